"""The disordered Heisenberg chain coupled weakly to non-thermal baths (paper Eqs. 6-9).

Public interface
----------------
Every physics function takes a :class:`Chain` first and ``eps`` after it::

    chain = Chain.draw(N, h, r, seed=seed)          # one disorder realisation
    state = solve_steady_state(chain, eps)          # exact where it can run, TEBD beyond
    betas = local_betas(state.rdms, chain)          # inverse local temperatures (paper Eq. 9)

Solver options are objects (``tebd_options('fast', dt=0.2)``, ``ExactOptions()``),
checked once where they enter.

Modules of lindblad
-------------------
spins
    Spin operators, chain embedding, the real Pauli operator basis.
model
    paper Eq. 6: the ``Chain`` (one disorder realisation, ``Chain.draw`` with the
    one seeding rule) and its ``hamiltonian``; jump operators as data (``Jump``,
    ``paper_jumps`` with the sign reading).
options
    ``TEBDOptions`` and ``ExactOptions``: every solver option, documented and checked once.
liouvillian
    paper Eq. 7 as bond superoperators (TEBD input) and as a sparse matrix.
exact
    Exact steady state for N <= 9 (preconditioned GMRES on the sparse Liouvillian).
tebd
    TEBD on the vectorised density matrix with TeNPy: stopping rule,
    checkpoints, diagnostics.
steady
    The entry points: ``solve_steady_state``, ``solve_ladder`` (an ``eps``
    ladder, warm-started), ``steady_rdms``.
realisation
    ``solve_realisation``: one chain over a ladder, with its local temperatures
    and the ``eps -> 0`` limit (the sweeps' pipeline).
relaxation
    The approach to the steady state against ``eps t`` and its decay rate;
    ``relax_realisation`` relaxes one chain at every ``eps`` of a ladder.
sign_trap
    The three readings of paper Eq. 8 side by side: unital, cooling, heating.
bond_dimension
    ``chi_scan``: ``dbeta/beta`` of one chain against the bond dimension (paper Fig. 8).
eps_ladder
    ``exact_curves``: ``dbeta/beta`` against ``eps`` for an ensemble of short
    chains (exact solver), with its ``eps -> 0`` limit and the ``b`` of paper Eq. 9.
rate_equation
    The ``eps -> 0`` limit: populations of eigenstates from a Pauli master equation.
thermometry
    Local temperatures by fitting Gibbs-state reductions (exact or purification).
"""
from .bond_dimension import ChiScan, chi_scan
from .eps_ladder import ExactCurves, exact_curves
from .exact import EXACT_MAX_N, rdms_from_rho, steady_state_exact
from .model import SIGN_READINGS, Chain, Jump, draw_fields, h_key, hamiltonian, paper_jumps, realisation_seed
from .options import ExactOptions, TEBDOptions, tebd_options
from .rate_equation import rate_equation_steady_state
from .relaxation import RateCollapse, Relaxation, history_rate, rate_collapse, relax, relax_realisation
from .realisation import Realisation, solve_realisation
from .sign_trap import SignReading, compare_sign_readings, dissipator_commutator
from .steady import SteadyState, solve_ladder, solve_steady_state, steady_rdms
from .thermometry import ThermalReference, dbeta_over_beta, fit_betas, local_betas, thermal_reference

__all__ = [
    "Chain",
    "ChiScan",
    "EXACT_MAX_N",
    "ExactCurves",
    "ExactOptions",
    "Realisation",
    "RateCollapse",
    "Relaxation",
    "SIGN_READINGS",
    "SignReading",
    "Jump",
    "SteadyState",
    "TEBDOptions",
    "ThermalReference",
    "chi_scan",
    "compare_sign_readings",
    "dbeta_over_beta",
    "dissipator_commutator",
    "draw_fields",
    "exact_curves",
    "fit_betas",
    "h_key",
    "history_rate",
    "hamiltonian",
    "local_betas",
    "paper_jumps",
    "rate_equation_steady_state",
    "rdms_from_rho",
    "realisation_seed",
    "rate_collapse",
    "relax",
    "relax_realisation",
    "solve_ladder",
    "solve_realisation",
    "solve_steady_state",
    "steady_rdms",
    "steady_state_exact",
    "tebd_options",
    "thermal_reference",
]
