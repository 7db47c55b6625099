"""mbl_open: the computations behind the *mbl-open* book.

The book reproduces and extends Lenarčič, Alberton, Rosch and Altman on the
many-body-localization transition in weakly open, driven systems.  Chapters in
``book/`` narrate, call and plot; everything they compute lives here.

Modules
-------
fracdiff
    Fractional diffusion with random sources (paper Eqs. 1, 2, 10-12).
networks
    Resistor networks of the Griffiths regime (paper Eqs. 3-5, 13-17).
lindblad
    The disordered spin chain with baths: exact and TEBD steady states,
    thermometry, energy currents (paper Eqs. 6-9, 20-23).
hydrodynamics
    From the Lindblad steady state to the network equation (paper Eqs. 18-27).
ensemble
    Disorder sweeps: resumable store, local or Dask execution, analysis.
fits
    Power-law fits in log-log coordinates.
plotting
    The book's figure style.
chapters, runner, cli
    Chapter discovery, papermill execution, ``python -m mbl_open``.
progress
    The one tqdm wrapper (silenced by ``MBL_OPEN_NO_PROGRESS=1``).
results
    Atomic saving of a chapter run's data.
"""
__version__ = "0.1.0"
