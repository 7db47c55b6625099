"""``dbeta/beta`` against ``eps`` for an ensemble of short chains, with its ``eps -> 0`` limit (paper Eq. 9).

:func:`exact_curves` solves ``n_realisations`` chains at one disorder strength
exactly over a ladder of bath couplings, and each with the rate equation (the
exact ``eps -> 0`` limit), and fits their local temperatures.  The result,
:class:`ExactCurves`, holds the order parameter ``dbeta/beta`` at every ``eps``
and at ``eps -> 0``, and the measures the book reads off it: the distance of
the steady state from the rate-equation state and its power law in ``eps``,
and the slope ``b`` of paper Eq. 9, ``dbeta/beta = c - b eps``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..infrastructure._validate import check_choice, check_int, check_real
from ..infrastructure.limits import check_count
from .exact import EXACT_MAX_N, EXACT_MIN_EPS
from .model import SIGN_READINGS
from .model import Chain
from .realisation import solve_realisation
from .steady import check_ladder
from .thermometry import dbeta_over_beta

__all__ = ["ExactCurves", "exact_curves"]


@dataclass
class ExactCurves:
    """Exact steady states of an ensemble of chains over an ``eps`` ladder, and their ``eps -> 0`` limit.

    Attributes
    ----------
    N : int
    h : float
    eps : ndarray, shape (n_eps,)
        Decreasing.
    betas : ndarray, shape (R, n_eps, N-1)
        Local inverse temperatures of every realisation at every ``eps``.
    betas0 : ndarray, shape (R, N-1)
        Those of the rate-equation states (``eps -> 0``).
    drho : ndarray, shape (R, n_eps)
        ``max |rho(eps) - rho_0|`` over the entries of the full density matrix.
    iterations : list of int
        GMRES iterations of every exact solve.
    ensemble : list of float
        ``dbeta/beta`` over the realisations at each ``eps`` (paper Eq. 9).
    limit : float
        ``dbeta/beta`` of the rate-equation states.
    """

    N: int
    h: float
    eps: np.ndarray
    betas: np.ndarray
    betas0: np.ndarray
    drho: np.ndarray
    iterations: list
    ensemble: list
    limit: float

    @property
    def distance(self) -> np.ndarray:
        """Largest distance from the rate-equation state over the realisations, per ``eps``."""
        return self.drho.max(axis=0)

    @property
    def distance_slope(self) -> float:
        """``p`` of ``distance ~ eps**p``, a straight-line fit in log-log (1 in first-order theory)."""
        return np.polyfit(np.log(self.eps), np.log(self.distance), 1)[0]

    @property
    def monotone(self) -> bool:
        """Whether the distance from the rate-equation state falls at every step of the ladder."""
        return bool(np.all(np.diff(self.distance) < 0))

    @property
    def b_fit(self) -> float:
        """``b`` of paper Eq. 9, ``dbeta/beta = c - b eps``: minus the slope of a straight line through
        :attr:`ensemble` (positive: the ratio grows as ``eps`` falls, the MBL side)."""
        return -np.polyfit(self.eps, self.ensemble, 1)[0]

    @property
    def absolute_change(self) -> float:
        """``|dbeta/beta|`` change from the largest to the smallest ``eps``."""
        return abs(self.ensemble[-1] - self.ensemble[0])

    @property
    def change(self) -> float:
        """:attr:`absolute_change` relative to ``dbeta/beta`` at the smallest ``eps``."""
        ens = np.array(self.ensemble)
        return abs(ens[-1] - ens[0]) / ens[-1]

    @property
    def mean_beta(self) -> float:
        """Mean local inverse temperature at the smallest ``eps`` (over bonds and realisations)."""
        return float(self.betas[:, -1].mean())

    @property
    def negative_fraction(self) -> float:
        """Fraction of the local ``beta_i`` at the smallest ``eps`` that are negative."""
        return float((self.betas[:, -1] < 0).mean())


def exact_curves(N: int, h: float, eps, n_realisations: int, seed: int, *, sign: str = "-+") -> ExactCurves:
    """Exact steady states and the rate-equation limit of ``n_realisations`` chains at ``h``, with their betas.

    Realisation ``r`` is ``Chain.draw(N, h, r, seed=seed)``
    (:mod:`mbl_open.lindblad.realisation`), solved by
    :func:`~mbl_open.lindblad.realisation.solve_realisation` with the exact
    solver and ``rate_equation=True``.

    Parameters
    ----------
    N : int
        ``3 <= N <= EXACT_MAX_N``.
    h : float
        Disorder strength, ``>= 0``.
    eps : sequence of float
        Bath couplings, distinct, each ``>= EXACT_MIN_EPS``; sorted into decreasing order.
    n_realisations : int
        ``1 <= n_realisations <= EXACT_MAX_REALISATIONS`` (:mod:`~mbl_open.infrastructure.limits`, 1000 unless raised:
        a realisation takes about 0.2 s at N = 4 with two ``eps``, 4 s at N = 7 with five).
    seed : int
        Base seed of the ensemble, ``>= 0``.
    sign : {'-+', 'literal', '+-'}
        Reading of paper Eq. 8.

    Returns
    -------
    ExactCurves
    """
    N = check_int("N", N, low=3, high=EXACT_MAX_N)
    h = check_real("h", h, low=0.0)
    ladder = check_ladder(eps)
    if min(ladder) < EXACT_MIN_EPS:
        raise ValueError(f"eps must be >= {EXACT_MIN_EPS:g} for the exact solver, got {min(ladder):g}")
    R = check_count("n_realisations", check_int("n_realisations", n_realisations, low=1), "EXACT_MAX_REALISATIONS",
                    f"each realisation solves {len(ladder)} eps and the rate equation exactly")
    seed = check_int("seed", seed, low=0)
    check_choice("sign", sign, SIGN_READINGS)
    runs = [solve_realisation(Chain.draw(N, h, r, seed=seed), eps, method="exact", sign=sign, rate_equation=True)
            for r in range(R)]
    betas, betas0 = np.array([x.betas for x in runs]), np.array([x.betas_eps0 for x in runs])
    drho = np.array([[np.abs(st.rho - x.limit.rho).max() for st in x.states] for x in runs])
    iterations = [st.diagnostics[0]["iterations"] for x in runs for st in x.states]
    ensemble = [dbeta_over_beta(betas[:, k]) for k in range(betas.shape[1])]
    return ExactCurves(N=N, h=h, eps=runs[0].eps, betas=betas, betas0=betas0, drho=drho, iterations=iterations,
                       ensemble=ensemble, limit=dbeta_over_beta(betas0))
