"""Numerics shared by every part of the book: statistics over disorder configurations and fits.

spread
    The relative spread ``sqrt(<<Var>>)/<<Mean>>`` (``dT/T`` and ``dbeta/beta``), defined once.
resampling
    Jackknife and bootstrap over configurations; ``pull`` (a difference in combined errors).
fits
    Power-law fits with jackknife errors, exponential decays, local exponents.
"""
