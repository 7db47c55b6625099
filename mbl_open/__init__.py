"""mbl_open: the computations behind the *mbl-open* book.

The book reproduces and extends Lenarčič, Alberton, Rosch and Altman on the
many-body-localization transition in weakly open, driven systems.  Chapters in
``book/`` narrate, call and plot; everything they compute lives here.

Modules
-------
Physics, from the continuum to the spin chain:

fracdiff
    Fractional diffusion with random sources (paper Eqs. 1, 2, 10-12).
resistor_networks
    Thermal and charge resistor networks of the Griffiths regime (paper Eqs. 3-5,
    13-17); not to be confused with TeNPy's tensor networks.
lindblad
    The disordered spin chain with baths: model, exact and TEBD steady states,
    the rate-equation limit, thermometry (paper Eqs. 6-9).
hydrodynamics
    From the Lindblad steady state to the network equation: energy densities
    and currents, local Gibbs states, the comparison (paper Eqs. 18-27).
critical
    Statistics of disorder ensembles: dbeta/beta, z(h), P(h), h_c, nu and the
    KT form (paper Eq. 9, paper Figs. 2, 3).

Infrastructure:

ensemble
    Disorder sweeps: config, resumable store, local or Dask execution, datasets.
spread, fits, resampling
    The relative spread sqrt(<<Var>>)/<<Mean>>, power-law fits, jackknife and bootstrap.
plotting, report, measured, results
    Figure style, printing helpers, benchmark records, atomic saving of a run's data.
chapters, runner, cli
    Chapter discovery, papermill execution, ``python -m mbl_open``.
progress
    The one tqdm wrapper (silenced by ``MBL_OPEN_NO_PROGRESS=1``).
"""
__version__ = "0.1.0"
