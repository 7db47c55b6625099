"""The steady state of paper Eq. 7 for one chain: ``solve_steady_state``, ``solve_ladder``, ``steady_rdms``.

These are the entry points: they take a :class:`~mbl_open.lindblad.model.Chain`
and an options object (:mod:`~mbl_open.lindblad.options`), check everything
once, and hand the checked objects to the solvers, which trust them:
``method='exact'`` solves the sparse Liouvillian
(:mod:`~mbl_open.lindblad.exact`, ``N <= EXACT_MAX_N``), ``method='tebd'``
evolves the vectorised density matrix with TeNPy
(:mod:`~mbl_open.lindblad.tebd`).  Without a method (``method='auto'``) the
exact solver is used wherever it can run (it is the cheaper one there:
``benchmarks/bench_steady_speed.py`` times both), TEBD beyond; the result
says which it used (:attr:`SteadyState.method`).

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

from ..infrastructure._validate import check_choice, check_distinct, check_int, check_path, check_real
from ..infrastructure.limits import limit
from .exact import EXACT_MAX_N, EXACT_MIN_EPS, _steady_state_exact, check_exact_eps, rdms_from_rho
from .liouvillian import _bond_liouvillians, check_jumps
from .model import SIGN_READINGS, Chain, check_chain, paper_jumps
from .options import ExactOptions, TEBDOptions, solver_options
from .tebd import _evolve, check_tebd_eps

__all__ = ["METHOD_CHOICES", "SteadyState", "choose_method", "solve_steady_state", "solve_ladder", "steady_rdms"]

#: ``method`` of the entry points: a solver, or ``'auto'`` (exact where it can run, TEBD beyond).
METHOD_CHOICES = ("auto", "tebd", "exact")


@dataclass
class SteadyState:
    """A solved steady state.

    Attributes
    ----------
    rdms : ndarray, shape (N-1, 4, 4)
        Two-site reduced density matrices (trace 1).
    method : str
        The solver that computed it, ``'tebd'`` or ``'exact'``.
    params : dict
        ``N, h, eps, chi, sign`` of the run (``chi = 0`` for the exact solver).
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

    def __repr__(self) -> str:
        p = self.params
        chi = f", chi={p['chi']}" if self.method == "tebd" else ""
        return f"SteadyState(method={self.method!r}, N={p['N']}, h={p['h']:g}, eps={p['eps']:g}{chi})"


def check_ladder(eps) -> list[float]:
    """Bath couplings ``> 0``, distinct, at least one; returned in decreasing order."""
    if isinstance(eps, (str, bytes)) or not np.iterable(eps):
        raise TypeError(f"eps must be a sequence of bath couplings, got {type(eps).__name__}")
    values = sorted((check_real("eps", e, low=0.0, low_open=True) for e in eps), reverse=True)
    if not values:
        raise ValueError("eps must hold at least one bath coupling")
    return check_distinct("eps", values)


def choose_method(chain: Chain, eps_min: float, method: str = "auto", options=None) -> str:
    """The solver an entry point uses: ``method``, else the one ``options`` belongs to, else by size.

    ``'auto'`` with options of one solver picks that solver; without options it
    picks ``'exact'`` wherever the exact solver can run (``N <= EXACT_MAX_N``,
    ``eps >= EXACT_MIN_EPS``), ``'tebd'`` beyond.
    """
    check_choice("method", method, METHOD_CHOICES)
    if method != "auto":
        return method
    if isinstance(options, (TEBDOptions, str)):
        return "tebd"
    if isinstance(options, ExactOptions):
        return "exact"
    return "exact" if check_chain(chain).N <= EXACT_MAX_N and eps_min >= EXACT_MIN_EPS else "tebd"


@dataclass(frozen=True)
class _Problem:
    """A checked steady-state problem: what the solvers receive and trust."""

    chain: Chain
    method: str
    options: TEBDOptions | ExactOptions
    chi: int
    sign: str
    jumps: tuple


def _problem(chain, eps, method, options, chi, sign, jumps) -> tuple[_Problem, list[float]]:
    """Check the arguments of an entry point once; return the problem and the decreasing ladder."""
    chain = check_chain(chain)
    ladder = check_ladder(eps)
    method = choose_method(chain, ladder[-1], method, options)
    options = solver_options(method, options)
    check_choice("sign", sign, SIGN_READINGS)
    jumps = paper_jumps(chain.N, sign) if jumps is None else check_jumps(jumps, chain.N,
                                                                         max_sites=2 if method == "tebd" else None)
    if method == "exact":
        chi = check_int("chi", chi, low=0, high=limit("TEBD_MAX_CHI"))  # unused; the sweeps record chi = 0
        check_exact_eps(ladder[-1], chain.N, len(jumps), options)
    else:
        chi = check_int("chi", chi, low=1, high=limit("TEBD_MAX_CHI"))
        check_int("N", chain.N, high=limit("TEBD_MAX_N"))
        if options.three_site and chain.N < 3:
            raise ValueError(f"three_site=True needs N >= 3, got N = {chain.N}")
        for e in ladder:  # the whole ladder before the first (hours-long) run
            check_tebd_eps(e, options)
    return _Problem(chain, method, options, chi, sign, jumps), ladder


def _exact(p: _Problem, eps: float) -> SteadyState:
    ex = _steady_state_exact(p.chain, eps, p.jumps, p.options)
    diag = dict(residual=ex.residual, hermiticity_error=ex.hermiticity_error, iterations=ex.iterations)
    rdms3 = rdms_from_rho(ex.rho, 3) if p.chain.N >= 3 else None
    return SteadyState(rdms=ex.rdms(), method="exact", params=_params(p, eps), diagnostics=[diag], rdms3=rdms3,
                       rho=ex.rho)


def _params(p: _Problem, eps: float) -> dict:
    return dict(N=p.chain.N, h=p.chain.h, eps=eps, chi=p.chi if p.method == "tebd" else 0, sign=p.sign)


def _tebd(p: _Problem, eps: float, *, checkpoint, psi0, observer) -> SteadyState:
    """One TEBD steady state: one stage, or two with the Richardson extrapolation."""
    opts = p.options
    L_bonds = _bond_liouvillians(p.chain, eps, p.jumps)
    stages = [opts.dt, opts.dt / 2] if opts.richardson else [opts.dt]
    results = []
    for k, dt_k in enumerate(stages):
        ckpt = None
        if checkpoint is not None:
            Path(checkpoint).mkdir(parents=True, exist_ok=True)
            ckpt = Path(checkpoint) / f"stage{k}_dt{dt_k:.6g}.h5"
        res = _evolve(L_bonds, eps, p.chi, opts.replace(dt=dt_k), psi0=psi0, checkpoint=ckpt, observer=observer,
                      desc=f"TEBD eps={eps:g} dt={dt_k:g}")
        results.append(res)
        psi0 = res.psi

    def combine(name):
        if getattr(results[-1], name) is None:
            return None
        if not opts.richardson:
            return getattr(results[-1], name)
        gain = opts.richardson_gain  # the leading Trotter error is O(dt^2) or O(dt^4)
        return (gain * getattr(results[1], name) - getattr(results[0], name)) / (gain - 1.0)

    return SteadyState(rdms=combine("rdms"), method="tebd", params=_params(p, eps),
                       diagnostics=[r.diagnostics for r in results], psi=results[-1].psi, rdms3=combine("rdms3"))


def solve_steady_state(chain: Chain, eps, *, method: str = "auto", options=None, chi: int = 64, sign: str = "-+",
                       jumps=None, checkpoint=None, psi0=None, observer=None) -> SteadyState:
    """Steady state of paper Eq. 7 for one disorder realisation.

    Parameters
    ----------
    chain : Chain
        The chain of paper Eq. 6 (:meth:`Chain.draw <mbl_open.lindblad.model.Chain.draw>`).
    eps : float
        Bath coupling, ``eps > 0``.
    method : {'auto', 'tebd', 'exact'}
        ``'auto'``: the solver ``options`` belongs to; without options the
        exact solver where it can run (``N <= EXACT_MAX_N``), TEBD beyond
        (:func:`choose_method`).  :attr:`SteadyState.method` says which ran.
    options : TEBDOptions, ExactOptions or str, optional
        Options of the solver (:mod:`~mbl_open.lindblad.options`), or the
        name of a TEBD solver (``'fast'``, the default, or ``'reference'``);
        e.g. ``tebd_options('fast', dt=0.2)``.
    chi : int
        TEBD bond dimension, ``1 <= chi <= TEBD_MAX_CHI``.
    sign : {'-+', 'literal', '+-'}
        Reading of paper Eq. 8 (:func:`~mbl_open.lindblad.model.paper_jumps`).
    jumps : sequence of Jump, optional
        Other baths; overrides ``sign``.
    checkpoint : path-like, optional
        TEBD: a directory (created if missing; refused if it is a file) where
        each stage checkpoints and from which an interrupted run resumes.
    psi0 : tenpy MPS, optional
        TEBD: warm start (e.g. the ``psi`` of a larger ``eps``).
    observer : callable, optional
        TEBD: called as ``observer(eps_t, rdms)`` after every measurement
        block of every stage.

    Returns
    -------
    SteadyState

    Examples
    --------
    >>> from mbl_open.lindblad import Chain, solve_steady_state
    >>> state = solve_steady_state(Chain.draw(6, h=1.0, seed=7), 0.1)
    >>> state
    SteadyState(method='exact', N=6, h=1, eps=0.1)
    >>> state.rdms.shape
    (5, 4, 4)
    """
    p, (eps,) = _problem(chain, [eps], method, options, chi, sign, jumps)
    controls = _check_controls(p, checkpoint, psi0, observer)
    return _exact(p, eps) if p.method == "exact" else _tebd(p, eps, **controls)


def _check_controls(p: _Problem, checkpoint, psi0, observer) -> dict:
    if p.method == "exact" and (checkpoint, psi0, observer) != (None, None, None):
        raise ValueError("checkpoint, psi0 and observer control a TEBD run; the exact solver takes none of them")
    if checkpoint is not None:
        checkpoint = check_path("checkpoint", checkpoint, directory=True)
    if observer is not None and not callable(observer):
        raise TypeError(f"observer must be callable as observer(eps_t, rdms), got {type(observer).__name__}")
    return dict(checkpoint=checkpoint, psi0=psi0, observer=observer)


def steady_rdms(chain: Chain, eps, **kwargs) -> np.ndarray:
    """Two-site reduced density matrices of the steady state of paper Eq. 7.

    Returns
    -------
    ndarray, shape (N-1, 4, 4), complex
        ``rho^(i,i+1)``, trace 1, basis ``|up up>, |up down>, |down up>,
        |down down>`` (``S^z = +1/2`` first, site ``i`` the first factor).

    See :func:`solve_steady_state` for the parameters.
    """
    return np.asarray(solve_steady_state(chain, eps, **kwargs).rdms, dtype=complex)


def solve_ladder(chain: Chain, eps, *, method: str = "auto", options=None, chi: int = 64, sign: str = "-+",
                 jumps=None, checkpoint=None, psi0=None) -> list[SteadyState]:
    """Steady states of paper Eq. 7 for one chain and a ladder of ``eps``, large to small.

    The paper uses the same disorder for every ``eps`` at fixed ``h``; TEBD
    starts each smaller ``eps`` from the larger one's steady state, which
    saves most of the relaxation time (it grows as ``1/eps``).

    Parameters
    ----------
    chain : Chain
    eps : sequence of float
        Bath couplings ``> 0``, distinct; sorted into decreasing order, and the
        states come back in that order.
    method, options, chi, sign, jumps
        As for :func:`solve_steady_state` (the method is chosen once, for the
        smallest ``eps``).
    checkpoint : path-like, optional
        TEBD: checkpoint directory (one subdirectory per ``eps``; created if
        missing, refused if it is a file), so an interrupted ladder resumes
        where it stopped.
    psi0 : tenpy MPS, optional
        TEBD: warm start of the largest ``eps``.

    Returns
    -------
    list of SteadyState

    Examples
    --------
    >>> from mbl_open.lindblad import Chain, solve_ladder
    >>> states = solve_ladder(Chain.draw(6, h=1.0, seed=7), [0.05, 0.1])
    >>> [s.params["eps"] for s in states], states[0].method
    ([0.1, 0.05], 'exact')
    """
    p, ladder = _problem(chain, eps, method, options, chi, sign, jumps)
    controls = _check_controls(p, checkpoint, psi0, None)
    return _solve_ladder(p, ladder, checkpoint=controls["checkpoint"], psi0=psi0)


def _solve_ladder(p: _Problem, ladder, *, checkpoint=None, psi0=None) -> list[SteadyState]:
    """:func:`solve_ladder` for a checked problem (the ensemble pipeline's inside)."""
    if p.method == "exact":
        return [_exact(p, e) for e in ladder]
    out = []
    for e in ladder:
        ckpt = None if checkpoint is None else Path(checkpoint) / f"eps{e:.6g}"
        state = _tebd(p, e, checkpoint=ckpt, psi0=psi0, observer=None)
        out.append(state)
        psi0 = state.psi
    return out
