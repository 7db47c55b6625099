"""Ladders in eps and surveys over disorder of the hydrodynamic comparison (paper supplement Eqs. 18-27)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..infrastructure._validate import check_choice, check_distinct, check_int, check_real, check_real_array
from ..infrastructure.limits import check_count
from ..lindblad.exact import EXACT_MAX_N, EXACT_MIN_EPS
from ..lindblad.model import SIGN_READINGS, Chain, check_chain
from ..lindblad.options import solver_options
from ..lindblad.rate_equation import rate_equation_steady_state
from ..lindblad.steady import solve_ladder
from ..lindblad.thermometry import EXACT_THERMAL_MAX_N, fit_betas, thermal_reference
from ..infrastructure.progress import progress
from .compare import HydroComparison, compare_with_network
from .gibbs import LocalGibbs

__all__ = ["hydro_ladder", "HydroSurvey", "hydro_survey"]


def hydro_ladder(chain: Chain, eps, *, method="exact", options=None, chi=32, sign="-+",
                 beta_max=4.0) -> list[HydroComparison]:
    """Steady states of one chain on a ladder of ``eps``, each compared with the network (paper Eq. 27).

    Parameters
    ----------
    chain : Chain
        One realisation of paper Eq. 6 (:meth:`~mbl_open.lindblad.model.Chain.draw`),
        ``3 <= N <= EXACT_THERMAL_MAX_N`` (``N <= 9`` for ``'exact'``).
    eps : sequence of float
        Bath couplings; results come back in decreasing ``eps``.
    method : {'exact', 'tebd'}
        ``'tebd'`` warm-starts each ``eps`` from the previous state and
        measures three-site RDMs, with ``chi`` and ``options``
        (:func:`~mbl_open.lindblad.steady.solve_ladder`).
    options : TEBDOptions, ExactOptions or str, optional
        Options of the solver; ``three_site`` is set for TEBD.
    sign : str
        Reading of paper Eq. 8.
    beta_max : float
        Range of the thermometer fits.

    Returns
    -------
    list of HydroComparison
    """
    check_chain(chain)
    check_choice("method", method, ("exact", "tebd"))
    options = solver_options(method, options)
    if method == "tebd":
        options = options.replace(three_site=True)
    check_choice("sign", sign, SIGN_READINGS)
    beta_max = check_real("beta_max", beta_max, low=0.0, low_open=True)
    if chain.N < 3 or chain.N > EXACT_THERMAL_MAX_N:
        raise ValueError(f"hydro_ladder needs 3 <= N <= {EXACT_THERMAL_MAX_N} (a link, and a diagonalisable H), "
                         f"got N = {chain.N}")
    gibbs = LocalGibbs(chain, chain.jumps(sign))
    beta_bar = gibbs.mean_beta()
    ref = gibbs.thermal_reference(beta_max)
    states = solve_ladder(chain, eps, method=method, options=options, chi=chi, sign=sign)
    out = []
    for st in states:
        c = compare_with_network(st.rdms3, fit_betas(st.rdms, ref), gibbs, st.params["eps"], beta_bar=beta_bar)
        c.extra["diagnostics"] = st.diagnostics
        out.append(c)
    return out


@dataclass
class HydroSurvey:
    """How well the hydrodynamic description works, over disorder and ``eps`` (exact solver).

    Arrays have shape ``(len(h_values), n_realisations, len(eps_values))``;
    ``gap0`` (the rate-equation limit ``eps -> 0``) has no ``eps`` axis.
    """

    N: int
    h_values: np.ndarray
    eps_values: np.ndarray
    seed: int
    beta_bar: np.ndarray
    gap: np.ndarray
    gap0: np.ndarray
    fourier: np.ndarray
    source_error: np.ndarray
    profile_error: np.ndarray
    shape_error: np.ndarray

    def median(self, name: str) -> np.ndarray:
        """Median over realisations of one metric, shape ``(len(h_values), len(eps_values))``
        (``(len(h_values),)`` for ``gap0``); absolute values for the gaps."""
        a = getattr(self, name)
        if name.startswith("gap"):
            a = np.abs(a)
        return np.nanmedian(a, axis=1)


def hydro_survey(N, h_values, eps_values, n_realisations, seed) -> HydroSurvey:
    """Run :func:`hydro_ladder` (exact solver) for every ``h`` and realisation, plus the ``eps -> 0`` limit.

    Realisation ``r`` at disorder ``h`` is ``Chain.draw(N, h, r, seed=seed)``,
    the chain a sweep with the same base seed solves
    (:mod:`mbl_open.lindblad.model`).

    Parameters
    ----------
    N : int
        ``3 <= N <= 9``.
    h_values, eps_values : sequence of float
        Disorder strengths; distinct bath couplings ``>= EXACT_MIN_EPS`` (the exact solver's range).
    n_realisations : int
        Realisations per ``h``, ``1 <= n_realisations <= EXACT_MAX_REALISATIONS`` (:mod:`~mbl_open.infrastructure.limits`).
    seed : int
    """
    N = check_int("N", N, low=3, high=EXACT_MAX_N)
    h_values = check_real_array("h_values", h_values, low=0.0, ndim=1)
    eps_values = np.array(check_distinct("eps_values", sorted(
        check_real_array("eps_values", eps_values, low=EXACT_MIN_EPS, ndim=1).tolist(), reverse=True)))
    R = check_count("n_realisations", check_int("n_realisations", n_realisations, low=1), "EXACT_MAX_REALISATIONS",
                    f"each realisation solves {h_values.size} h x {eps_values.size} eps and the rate equation exactly")
    seed = check_int("seed", seed, low=0)
    shape = (h_values.size, R, eps_values.size)
    gap, fourier, src, prof, shp = (np.full(shape, np.nan) for _ in range(5))
    gap0, beta_bar = np.full(shape[:2], np.nan), np.full(shape[:2], np.nan)
    tasks = [(k, h, r) for k, h in enumerate(h_values) for r in range(R)]
    for k, h, r in progress(tasks, desc=f"hydrodynamics survey N={N}", unit="chain"):
        chain = Chain.draw(N, h, r, seed=seed)
        ladder = hydro_ladder(chain, eps_values, method="exact")
        for e, c in enumerate(ladder):
            gap[k, r, e], fourier[k, r, e] = c.beta_gap, c.fourier_fraction
            src[k, r, e], prof[k, r, e], shp[k, r, e] = c.source_error, c.profile_error, c.shape_error
        beta_bar[k, r] = ladder[0].beta_bar
        rho0 = rate_equation_steady_state(chain, chain.jumps()).rdms()
        b0 = fit_betas(rho0, thermal_reference(chain, beta_max=4.0))
        gap0[k, r] = (np.mean(b0) - beta_bar[k, r]) / beta_bar[k, r]
    return HydroSurvey(N, h_values, eps_values, seed, beta_bar, gap, gap0, fourier, src, prof, shp)
