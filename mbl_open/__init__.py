"""mbl_open: the computations behind the *mbl-open* book.

The book reproduces and extends Lenarčič, Alberton, Rosch and Altman on the
many-body-localization transition in weakly open, driven systems.  Chapters in
``book/`` narrate, call and plot; everything they compute lives here.

Layers
------
From the bottom up; a layer imports only from the layers listed before it.

infrastructure
    Argument checks, limits, paths, the progress bar, atomic writes (no physics).
numerics
    The relative spread, jackknife and bootstrap, power-law fits.
fracdiff, resistor_networks, lindblad, hydrodynamics
    The physics, from the continuum to the spin chain: fractional diffusion
    (paper Eqs. 1, 2, 10-12); thermal and charge resistor networks of the
    Griffiths regime (paper Eqs. 3-5, 13-17; not TeNPy's tensor networks); the
    disordered spin chain with baths, its ``Chain``, exact and TEBD steady
    states, the rate-equation limit and thermometry (paper Eqs. 6-9); and the
    bridge from its steady state to the network equation (paper Eqs. 18-27).
ensemble
    Disorder sweeps of the spin chain: config, resumable store, local or Dask
    execution, committed datasets.
critical
    The analysis of the ensembles: dbeta/beta, z(h), P(h), h_c, nu and the KT
    form, model comparison, and the clauses the chapters' prose glues (paper
    Eq. 9, paper Figs. 2, 3).
plotting, presentation, execution
    The book: figures; printed numbers and the records the chapters cite;
    chapter discovery, each chapter's rules, papermill execution and
    ``python -m mbl_open``.
"""
__version__ = "0.1.0"
