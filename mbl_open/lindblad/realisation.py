"""One disorder realisation, solved over a ladder of bath couplings: the pipeline.

Every place that solves "realisation ``r`` at disorder ``h``" goes through this
module: the sweep tasks (:func:`mbl_open.ensemble.task.run_task`), the
hydrodynamics ladder and survey (:mod:`mbl_open.hydrodynamics.survey`), the
chapters and the tests.  So "``N = 12``, ``h = 1``, realisation 0, seed 1212" is
the same chain everywhere.

The chain of realisation ``r`` is :meth:`Chain.draw(N, h, r, seed=seed)
<mbl_open.lindblad.model.Chain.draw>`, whose seeding rule the committed sweep
stores depend on (:mod:`~mbl_open.lindblad.model`).

Steps
-----
1. :meth:`~mbl_open.lindblad.model.Chain.draw`: the fields of paper Eq. 6.
2. :func:`~mbl_open.lindblad.steady.solve_ladder`: the steady states of paper
   Eq. 7 for the whole ``eps`` ladder, large to small (TEBD warm-starts each
   from the previous one).
3. :func:`solve_realisation`: step 2, then the local temperatures of every
   state (paper Eq. 9) against one thermal reference, and optionally the
   ``eps -> 0`` limit from the rate equation.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..infrastructure._validate import check_bool, check_int
from .model import Chain
from .rate_equation import RATE_EQUATION_MAX_N, RateEquationState, rate_equation_steady_state
from .steady import _check_controls, _problem, _solve_ladder
from .thermometry import ThermalReference, fit_betas, thermal_reference

__all__ = ["Realisation", "solve_realisation", "thermal_reference_of"]


@dataclass
class Realisation:
    """One chain solved over an ``eps`` ladder, with its local temperatures.

    Attributes
    ----------
    chain : Chain
    eps : ndarray, shape (n_eps,)
        Decreasing.
    states : list of SteadyState
        One per ``eps``.
    reference : ThermalReference
        The Gibbs-state reductions every fit used.
    betas : ndarray, shape (n_eps, N-1)
        Local inverse temperatures (paper Eq. 9); ``nan`` where a fit hit the
        edge of the reference's beta range.
    limit : RateEquationState or None
        The ``eps -> 0`` steady state (``rate_equation=True``).
    betas_eps0 : ndarray, shape (N-1,), or None
        Its local inverse temperatures.
    """

    chain: Chain
    eps: np.ndarray
    states: list
    reference: ThermalReference
    betas: np.ndarray
    limit: RateEquationState | None = None
    betas_eps0: np.ndarray | None = None
    extra: dict = field(default_factory=dict)

    @property
    def rdms(self) -> np.ndarray:
        """Two-site RDMs, shape ``(n_eps, N-1, 4, 4)``."""
        return np.array([s.rdms for s in self.states])


def thermal_reference_of(chain: Chain, thermometry: dict | None) -> ThermalReference:
    """The thermal reference of ``chain`` with the options ``thermometry`` (``None``: the defaults).

    ``thermometry`` holds keyword options of
    :func:`~mbl_open.lindblad.thermometry.thermal_reference`, as a sweep file
    gives them; it is checked to be a dict before anything is computed.
    """
    thermometry = {} if thermometry is None else thermometry
    if not isinstance(thermometry, dict):
        raise TypeError(f"thermometry must be a dict of thermal_reference options, got {type(thermometry).__name__}")
    return thermal_reference(chain, **thermometry)


def solve_realisation(chain: Chain, eps, *, method: str = "auto", options=None, chi: int = 64, sign: str = "-+",
                      thermometry: dict | None = None, rate_equation: bool = False,
                      checkpoint=None) -> Realisation:
    """Solve one chain over an ``eps`` ladder and fit its local temperatures (paper Eqs. 7 and 9).

    Parameters
    ----------
    chain : Chain
    eps : sequence of float
        Bath couplings (see :func:`~mbl_open.lindblad.steady.solve_ladder`).
    method, options, chi, sign
        As for :func:`~mbl_open.lindblad.steady.solve_steady_state`.
    thermometry : dict, optional
        Options of :func:`~mbl_open.lindblad.thermometry.thermal_reference`
        (``method``, ``beta_max``, ``dbeta``, ``chi``).
    rate_equation : bool
        Also solve the ``eps -> 0`` limit with the rate equation
        (``N <= 12``) and fit its local temperatures.
    checkpoint : path-like, optional
        TEBD: checkpoint directory of the ladder (one subdirectory per ``eps``).

    Returns
    -------
    Realisation
    """
    problem, ladder = _problem(chain, eps, method, options, chi, sign, None)  # everything, once
    rate_equation = check_bool("rate_equation", rate_equation)
    if rate_equation:
        check_int("N", chain.N, high=RATE_EQUATION_MAX_N)
    checkpoint = _check_controls(problem, checkpoint, None, None)["checkpoint"]
    reference = thermal_reference_of(chain, thermometry)  # validates its options; before the expensive solve
    states = _solve_ladder(problem, ladder, checkpoint=checkpoint)
    betas = np.array([fit_betas(s.rdms, reference) for s in states])
    limit = betas_eps0 = None
    if rate_equation:
        limit = rate_equation_steady_state(chain, problem.jumps)
        betas_eps0 = fit_betas(limit.rdms(), reference)
    return Realisation(chain=chain, eps=np.array(ladder, dtype=float), states=states, reference=reference,
                       betas=betas, limit=limit, betas_eps0=betas_eps0)
