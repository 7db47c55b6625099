"""One entry point for the steady state of paper Eq. 7: ``steady_rdms`` and friends.

``method='exact'`` (N <= 9) solves the sparse Liouvillian
(:mod:`~mbl_open.lindblad.exact`); ``method='tebd'`` evolves the vectorised
density matrix with TeNPy (:mod:`~mbl_open.lindblad.tebd`).

Trotter error and Richardson extrapolation
------------------------------------------
The fixed point of a second-order Trotter step differs from the true steady
state by ``c dt**2``, and this error does not shrink with ``eps``: it is a
rotation of the eigenbasis by the Trotter effective Hamiltonian
(``experiments/trotter_fixed_point.py`` measures it against the exact solver;
records in ``experiments/results_trotter.jsonl``).  With ``richardson=True``
the solver converges at ``dt`` and then, warm-started, at ``dt/2`` and
returns ``(4 rho(dt/2) - rho(dt)) / 3``, which cancels the ``dt**2`` term for
about twice the cost of one run, far cheaper than the ``dt`` a single run
would need for the same accuracy.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .._validate import check_choice, check_distinct, check_int, check_path, check_real
from .exact import rdms_from_rho, steady_state_exact
from .liouvillian import bond_liouvillians, check_jumps
from .model import SIGN_READINGS, check_chain, paper_jumps
from .options import OPTION_NAMES, tebd_options
from ..limits import limit
from .tebd import check_run_length, evolve_to_steady_state

__all__ = ["METHODS", "SOLVER_OPTIONS", "RUN_OPTIONS", "SteadyState", "solve_steady_state", "steady_rdms",
           "tebd_ladder"]

METHODS = ("tebd", "exact")

#: Keywords of one run that are not solver options: where to checkpoint, the warm start, a callback.
RUN_OPTIONS = ("checkpoint", "psi0", "observer")

#: Largest bath coupling TEBD accepts: beyond it the bath terms of a time step overflow (the book's
#: regime is eps << 1, weakly open).
TEBD_MAX_EPS = 100.0

#: Keywords accepted by each method: ``'tebd'`` takes ``solver`` (a named solver or a
#: :class:`~mbl_open.lindblad.options.TEBDOptions`), its fields, and the run options.
SOLVER_OPTIONS = {
    "tebd": ("solver",) + OPTION_NAMES + RUN_OPTIONS,
    "exact": ("rtol",),
}


@dataclass
class SteadyState:
    """A solved steady state.

    Attributes
    ----------
    rdms : ndarray, shape (N-1, 4, 4)
        Two-site reduced density matrices (trace 1).
    method : str
    params : dict
        ``N, h, eps, chi, sign`` of the run.
    diagnostics : list
        One :class:`~mbl_open.lindblad.tebd.TEBDDiagnostics` per TEBD stage
        (two with Richardson extrapolation); for ``'exact'`` a one-element list
        with ``residual``, ``hermiticity_error`` and ``iterations``.
    psi : tenpy MPS or None
        Final state of the finest TEBD stage (warm start for the next ``eps``).
    rdms3 : ndarray, shape (N-2, 8, 8), or None
        Three-site reduced density matrices (energy currents, paper Eq. 23): always
        for ``'exact'`` (``N >= 3``), for ``'tebd'`` with ``three_site=True``;
        Richardson-extrapolated like ``rdms``.
    rho : ndarray, shape (2**N, 2**N), or None
        The full density matrix (``'exact'`` only).
    """

    rdms: np.ndarray
    method: str
    params: dict
    diagnostics: list = field(default_factory=list)
    psi: object = None
    rdms3: np.ndarray | None = None
    rho: np.ndarray | None = None


def _check_options(method, options):
    unknown = sorted(set(options) - set(SOLVER_OPTIONS[method]))
    if unknown:
        raise TypeError(f"unknown solver option(s) {unknown} for method={method!r}; "
                        f"allowed: {list(SOLVER_OPTIONS[method])}")
    if method == "tebd":  # validated before any work
        tebd_options(**{k: v for k, v in options.items() if k not in RUN_OPTIONS})


def solve_steady_state(N, h, eps, zeta_z, zeta_x, *, method="tebd", chi=64, sign="-+", jumps=None,
                       **solver_options) -> SteadyState:
    """Steady state of paper Eq. 7 for one disorder realisation.

    Parameters
    ----------
    N : int
        Chain length, ``N >= 2`` (``N <= 9`` for ``'exact'``).
    h : float
        Disorder strength of paper Eq. 6, ``h >= 0``.
    eps : float
        Bath coupling, ``eps > 0``.
    zeta_z, zeta_x : array_like, length N
        Disorder fields (see :func:`~mbl_open.lindblad.model.draw_fields`).
    method : {'tebd', 'exact'}
    chi : int
        TEBD bond dimension, ``chi >= 1``.
    sign : {'-+', 'literal', '+-'}
        Reading of paper Eq. 8 (:func:`~mbl_open.lindblad.model.paper_jumps`).
    jumps : sequence of Jump, optional
        Other baths; overrides ``sign``.
    **solver_options
        ``'tebd'``: ``solver`` (``'fast'``, the default, ``'reference'``, or a
        :class:`~mbl_open.lindblad.options.TEBDOptions`) and any field of
        :class:`~mbl_open.lindblad.options.TEBDOptions` (``dt``,
        ``richardson``, ``tol``, ...), which overrides the named solver's;
        besides, ``checkpoint`` (a directory, created if missing; refused
        if it is a file), ``psi0`` (warm start) and
        ``observer`` (called as ``observer(eps_t, rdms)`` after every
        measurement block of every stage).
        ``'exact'``: ``rtol``.

    Returns
    -------
    SteadyState
    """
    N, h, zeta_z, zeta_x = check_chain(N, h, zeta_z, zeta_x)
    eps = check_real("eps", eps, low=0.0, low_open=True)
    check_choice("method", method, METHODS)
    chi = check_int("chi", chi, low=1, high=limit("TEBD_MAX_CHI"))
    check_choice("sign", sign, SIGN_READINGS)
    _check_options(method, solver_options)
    if method == "tebd":
        check_int("N", N, high=limit("TEBD_MAX_N"))
        check_real("eps", eps, high=TEBD_MAX_EPS)
        if solver_options.get("checkpoint") is not None:
            solver_options["checkpoint"] = check_path("checkpoint", solver_options["checkpoint"], directory=True)
    jumps = paper_jumps(N, sign) if jumps is None else check_jumps(jumps, N)
    params = dict(N=N, h=h, eps=eps, chi=chi, sign=sign)
    if method == "exact":
        ex = steady_state_exact(N, h, eps, zeta_z, zeta_x, jumps, **solver_options)
        diag = dict(residual=ex.residual, hermiticity_error=ex.hermiticity_error, iterations=ex.iterations)
        rdms3 = rdms_from_rho(ex.rho, 3) if N >= 3 else None
        return SteadyState(rdms=ex.rdms(), method=method, params=params, diagnostics=[diag], rdms3=rdms3,
                           rho=ex.rho)

    run = {k: solver_options.pop(k) for k in RUN_OPTIONS if k in solver_options}
    opts = tebd_options(**solver_options)
    checkpoint, psi0, observer = run.get("checkpoint"), run.get("psi0"), run.get("observer")
    L_bonds = bond_liouvillians(N, h, eps, zeta_z, zeta_x, jumps)
    stages = [opts.dt, opts.dt / 2] if opts.richardson else [opts.dt]
    results = []
    for k, dt_k in enumerate(stages):
        ckpt = None
        if checkpoint is not None:
            Path(checkpoint).mkdir(parents=True, exist_ok=True)
            ckpt = Path(checkpoint) / f"stage{k}_dt{dt_k:.6g}.h5"
        res = evolve_to_steady_state(L_bonds, eps, chi=chi, options=opts.replace(dt=dt_k), psi0=psi0,
                                     checkpoint=ckpt, observer=observer, desc=f"TEBD eps={eps:g} dt={dt_k:g}")
        results.append(res)
        psi0 = res.psi
    def combine(name):
        if getattr(results[-1], name) is None:
            return None
        if not opts.richardson:
            return getattr(results[-1], name)
        gain = opts.richardson_gain  # the leading Trotter error is O(dt^2) or O(dt^4)
        return (gain * getattr(results[1], name) - getattr(results[0], name)) / (gain - 1.0)

    return SteadyState(rdms=combine("rdms"), method=method, params=params,
                       diagnostics=[r.diagnostics for r in results], psi=results[-1].psi, rdms3=combine("rdms3"))


def steady_rdms(N, h, eps, zeta_z, zeta_x, *, method="tebd", chi=64, sign="-+", **solver_options) -> np.ndarray:
    """Two-site reduced density matrices of the steady state of paper Eq. 7.

    Returns
    -------
    ndarray, shape (N-1, 4, 4), complex
        ``rho^(i,i+1)``, trace 1, basis ``|up up>, |up down>, |down up>,
        |down down>`` (``S^z = +1/2`` first, site ``i`` the first factor).

    See :func:`solve_steady_state` for the parameters.
    """
    res = solve_steady_state(N, h, eps, zeta_z, zeta_x, method=method, chi=chi, sign=sign, **solver_options)
    return np.asarray(res.rdms, dtype=complex)


def tebd_ladder(N, h, eps_values, zeta_z, zeta_x, *, chi=64, sign="-+", checkpoint=None,
                **solver_options) -> list[SteadyState]:
    """Steady states for a decreasing ladder of ``eps``, each warm-started from the previous one.

    The paper uses the same disorder for every ``eps`` at fixed ``h``; starting
    the smaller ``eps`` from the larger one's steady state saves most of the
    relaxation time (which grows as ``1/eps``).

    Parameters
    ----------
    eps_values : sequence of float
        Distinct bath couplings ``> 0``; sorted into decreasing order, and
        results come back in that order.
    checkpoint : path-like, optional
        Directory (created if missing; refused if it is a file); each ``eps``
        gets a subdirectory, so an interrupted ladder resumes where it stopped.
    """
    if isinstance(eps_values, (str, bytes)) or not np.iterable(eps_values):
        raise TypeError(f"eps_values must be a list of bath couplings, got {eps_values!r}")
    eps_values = sorted((check_real(f"eps_values[{i}]", e, low=0.0, low_open=True, high=TEBD_MAX_EPS)
                         for i, e in enumerate(eps_values)), reverse=True)
    check_distinct("eps_values", eps_values)  # a repeated eps would solve the same state twice
    if checkpoint is not None:
        checkpoint = check_path("checkpoint", checkpoint, directory=True)
    if not eps_values:
        raise ValueError("eps_values must not be empty")
    _check_options("tebd", solver_options)
    opts = tebd_options(**{k: v for k, v in solver_options.items() if k not in RUN_OPTIONS})
    for eps in eps_values:  # the whole ladder before the first (hours-long) run
        check_run_length(eps, opts)
    out, psi0 = [], solver_options.pop("psi0", None)
    for eps in eps_values:
        ckpt = None if checkpoint is None else Path(checkpoint) / f"eps{eps:.6g}"
        res = solve_steady_state(N, h, eps, zeta_z, zeta_x, method="tebd", chi=chi, sign=sign,
                                 checkpoint=ckpt, psi0=psi0, **solver_options)
        out.append(res)
        psi0 = res.psi
    return out
