"""One disorder realisation, solved over a ladder of bath couplings: the pipeline.

Every place that solves "realisation ``r`` at disorder ``h``" goes through this
module: the sweep tasks (:func:`mbl_open.ensemble.task.run_task`), the
hydrodynamics ladder and survey (:mod:`mbl_open.hydrodynamics.survey`), the
chapters and the tests.  So "``N = 12``, ``h = 1``, realisation 0, seed 1212" is
the same chain everywhere.

Seeding rule
------------
The fields of realisation ``r`` of an ensemble with base seed ``seed`` are
``draw_fields(N, (seed, N, h_key(h), r))`` with ``h_key(h) = round(1000 h)``:
the same draw for every ``eps`` and every bond dimension (convergence on fixed
disorder, paper Fig. 8), independent draws for different ``N``, ``h`` or ``r``
(as in the paper).  The committed sweep stores depend on this rule; it must not
change.

Steps
-----
1. :meth:`Chain.draw`: the fields of paper Eq. 6.
2. :func:`solve_ladder`: the steady states of paper Eq. 7 for the whole ``eps``
   ladder, large to small (TEBD warm-starts each from the previous one).
3. :func:`solve_realisation`: step 2, then the local temperatures of every
   state (paper Eq. 9) against one thermal reference, and optionally the
   ``eps -> 0`` limit from the rate equation.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._validate import check_bool, check_choice, check_distinct, check_int, check_path, check_real
from ..limits import limit
from .exact import EXACT_MAX_N, EXACT_MIN_EPS
from .model import SIGN_READINGS, check_chain, draw_fields, paper_jumps
from .rate_equation import RATE_EQUATION_MAX_N, RateEquationState, rate_equation_steady_state
from .steady import METHODS, SteadyState, solve_steady_state, tebd_ladder
from .thermometry import ThermalReference, fit_betas, thermal_reference

__all__ = ["Chain", "Realisation", "check_chain_object", "h_key", "realisation_seed", "solve_ladder",
           "solve_realisation"]


def h_key(h: float) -> int:
    """Integer key of a disorder strength in seeds and task names (``round(1000 h)``)."""
    return int(round(1000 * check_real("h", h, low=0.0)))


def realisation_seed(seed: int, N: int, h: float, r: int) -> tuple[int, int, int, int]:
    """The seed of realisation ``r`` of the ``(N, h)`` ensemble: ``(seed, N, h_key(h), r)``.

    Parameters
    ----------
    seed : int
        Base seed of the ensemble, ``>= 0``.
    N : int
        Chain length, ``>= 2``.
    h : float
        Disorder strength, ``>= 0``.
    r : int
        Realisation index, ``>= 0``.
    """
    return (check_int("seed", seed, low=0), check_int("N", N, low=2), h_key(h), check_int("r", r, low=0))


@dataclass(frozen=True, eq=False)
class Chain:
    """One disorder realisation of the chain of paper Eq. 6.

    Attributes
    ----------
    N : int
        Chain length.
    h : float
        Disorder strength.
    zeta_z, zeta_x : ndarray, shape (N,)
        Fields, uniform in ``[-1, 1]``.
    seed : tuple of int or None
        The seed that drew the fields (``None`` for fields given by hand).

    Notes
    -----
    The physics functions of :mod:`mbl_open.lindblad` take the four numbers
    ``(N, h, zeta_z, zeta_x)`` explicitly; :attr:`args` gives them in that
    order, e.g. ``hamiltonian(*chain.args)``.
    """

    N: int
    h: float
    zeta_z: np.ndarray
    zeta_x: np.ndarray
    seed: tuple | None = None

    def __post_init__(self):
        N, h, zz, zx = check_chain(self.N, self.h, self.zeta_z, self.zeta_x)
        for name, value in (("N", N), ("h", h), ("zeta_z", zz), ("zeta_x", zx)):
            object.__setattr__(self, name, value)

    @classmethod
    def draw(cls, N: int, h: float, r: int = 0, *, seed: int = 0) -> "Chain":
        """Realisation ``r`` of the ``(N, h)`` ensemble with base seed ``seed`` (the module's seeding rule)."""
        key = realisation_seed(seed, N, h, r)
        zeta_z, zeta_x = draw_fields(N, key)
        return cls(N, h, zeta_z, zeta_x, seed=key)

    @property
    def args(self) -> tuple:
        """``(N, h, zeta_z, zeta_x)``, the leading arguments of the physics functions."""
        return self.N, self.h, self.zeta_z, self.zeta_x

    @property
    def fields(self) -> tuple:
        """``(zeta_z, zeta_x)``."""
        return self.zeta_z, self.zeta_x

    def jumps(self, sign: str = "-+"):
        """The baths of paper Eq. 8 on this chain (:func:`~mbl_open.lindblad.model.paper_jumps`)."""
        return paper_jumps(self.N, sign)

    def thermal_reference(self, **options) -> ThermalReference:
        """Gibbs-state reductions of this chain (:func:`~mbl_open.lindblad.thermometry.thermal_reference`)."""
        return thermal_reference(*self.args, **options)


def check_chain_object(chain) -> Chain:
    """Return ``chain`` if it is a :class:`Chain`, else a TypeError pointing to :meth:`Chain.draw`."""
    if not isinstance(chain, Chain):
        raise TypeError(f"chain must be a Chain (see Chain.draw), got {type(chain).__name__}")
    return chain


def _check_ladder(eps) -> list[float]:
    if isinstance(eps, (str, bytes)) or not np.iterable(eps):
        raise TypeError(f"eps must be a sequence of bath couplings, got {type(eps).__name__}")
    values = sorted((check_real("eps", e, low=0.0, low_open=True) for e in eps), reverse=True)
    if not values:
        raise ValueError("eps must hold at least one bath coupling")
    return check_distinct("eps", values)


def solve_ladder(chain: Chain, eps, *, method: str = "tebd", chi: int = 64, sign: str = "-+",
                 three_site: bool = False, checkpoint=None, **solver_options) -> list[SteadyState]:
    """Steady states of paper Eq. 7 for one chain and a ladder of ``eps``, large to small.

    Parameters
    ----------
    chain : Chain
    eps : sequence of float
        Bath couplings ``> 0``, distinct; sorted into decreasing order, and the
        states come back in that order.
    method : {'tebd', 'exact'}
        ``'exact'`` needs ``N <= 9`` and always gives three-site RDMs.
        ``'tebd'`` warm-starts each ``eps`` from the previous steady state
        (:func:`~mbl_open.lindblad.steady.tebd_ladder`).
    chi : int
        TEBD bond dimension.
    sign : {'-+', 'literal', '+-'}
        Reading of paper Eq. 8.
    three_site : bool
        TEBD: also measure the three-site RDMs (energy currents, paper Eq. 23).
    checkpoint : path-like, optional
        TEBD: checkpoint directory (one subdirectory per ``eps``; created if
        missing, refused if it is a file).
    **solver_options
        As for :func:`~mbl_open.lindblad.steady.solve_steady_state`.

    Returns
    -------
    list of SteadyState
    """
    chain = check_chain_object(chain)
    eps = _check_ladder(eps)
    check_choice("method", method, METHODS)
    check_choice("sign", sign, SIGN_READINGS)
    three_site = check_bool("three_site", three_site)
    if checkpoint is not None:
        checkpoint = check_path("checkpoint", checkpoint, directory=True)
    # checked for the exact solver too, where it is unused (the sweeps record chi = 0 there)
    chi = check_int("chi", chi, low=0 if method == "exact" else 1, high=limit("TEBD_MAX_CHI"))
    if method == "exact":
        if chain.N > EXACT_MAX_N:
            raise ValueError(f"method='exact' needs N <= {EXACT_MAX_N}, got N = {chain.N}; use method='tebd'")
        if min(eps) < EXACT_MIN_EPS:  # the whole ladder before the first solve
            raise ValueError(f"eps must be >= {EXACT_MIN_EPS:g} for the exact solver, got {min(eps):g}")
        return [solve_steady_state(*chain.args[:2], e, *chain.args[2:], method="exact", sign=sign, **solver_options)
                for e in eps]
    if three_site:
        solver_options["three_site"] = True
    return tebd_ladder(*chain.args[:2], eps, *chain.args[2:], chi=chi, sign=sign, checkpoint=checkpoint,
                       **solver_options)


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
    return chain.thermal_reference(**thermometry)


def solve_realisation(chain: Chain, eps, *, method: str = "tebd", chi: int = 64, sign: str = "-+",
                      thermometry: dict | None = None, rate_equation: bool = False, **ladder_options) -> Realisation:
    """Solve one chain over an ``eps`` ladder and fit its local temperatures (paper Eqs. 7 and 9).

    Parameters
    ----------
    chain : Chain
    eps : sequence of float
        Bath couplings (see :func:`solve_ladder`).
    method, chi, sign
        As for :func:`solve_ladder`.
    thermometry : dict, optional
        Options of :func:`~mbl_open.lindblad.thermometry.thermal_reference`
        (``method``, ``beta_max``, ``dbeta``, ``chi``).
    rate_equation : bool
        Also solve the ``eps -> 0`` limit with the rate equation
        (``N <= 12``) and fit its local temperatures.
    **ladder_options
        ``three_site``, ``checkpoint`` and solver options of :func:`solve_ladder`.

    Returns
    -------
    Realisation
    """
    chain = check_chain_object(chain)
    rate_equation = check_bool("rate_equation", rate_equation)
    if rate_equation:
        check_int("N", chain.N, high=RATE_EQUATION_MAX_N)
    _check_ladder(eps)
    check_choice("method", method, METHODS)
    check_choice("sign", sign, SIGN_READINGS)
    if ladder_options.get("checkpoint") is not None:
        check_path("checkpoint", ladder_options["checkpoint"], directory=True)
    reference = thermal_reference_of(chain, thermometry)  # validates its options; before the expensive solve
    states = solve_ladder(chain, eps, method=method, chi=chi, sign=sign, **ladder_options)
    betas = np.array([fit_betas(s.rdms, reference) for s in states])
    limit = betas_eps0 = None
    if rate_equation:
        limit = rate_equation_steady_state(*chain.args, chain.jumps(sign))
        betas_eps0 = fit_betas(limit.rdms(), reference)
    return Realisation(chain=chain, eps=np.array([s.params["eps"] for s in states]), states=states,
                       reference=reference, betas=betas, limit=limit, betas_eps0=betas_eps0)
