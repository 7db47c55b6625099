"""Options of the TEBD steady-state solver: defined, documented and validated here, once.

:func:`~mbl_open.lindblad.steady.solve_steady_state`, ``tebd_ladder``, the
sweep configs (``solver:`` in a sweep YAML) and
:func:`~mbl_open.lindblad.tebd.evolve_to_steady_state` all read a
:class:`TEBDOptions`.  A named solver (``solver='reference'`` or
``solver='fast'``) is a set of option values; explicit options override them.

Named solvers
-------------
``'reference'``
    Second-order TEBD at ``dt = 0.1`` and, warm-started, at ``dt / 2``, with
    the Richardson extrapolation ``(4 rho(dt/2) - rho(dt)) / 3`` and the
    block-rate stopping rule (``tol``, with the noise-floor plateau rule over
    ``window = 3``).
``'fast'`` (the default)
    One stage of TeNPy's optimised fourth-order decomposition (``'4_opt'``,
    ten half-layers per step) at ``dt = 0.4``, TeNPy's QR-based engine, and the
    exponential-tail stopping rule (``tail_tol = 2e-5`` over ``window = 1``;
    :mod:`~mbl_open.lindblad.tebd`).  The fixed point of a fourth-order step
    is off by ``O(dt**4)``, so no Richardson stage is needed:
    ``experiments/trotter_fixed_point.py`` computes the fixed points of the
    untruncated Trotter steps at N = 6 and compares them with the exact steady
    state (largest two-site-RDM error at weak and strong disorder, for
    ``'4_opt'`` at dt = 0.2 ... 0.5 and second order at dt = 0.1, 0.05;
    records in ``experiments/results_trotter.jsonl``); ``dt = 0.4`` is the
    largest step of that scan whose error stays below 1e-4 up to h = 6.  ``benchmarks/bench_steady_speed.py`` compares
    both named solvers with the exact one and with each other in time
    (``benchmarks/results_steady_speed.jsonl``).

The fields of :class:`TEBDOptions` default to the reference solver, and must
stay so: a sweep store records a solver as the options that differ from these
defaults (:func:`reference_delta`).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from .._validate import check_choice, check_real

__all__ = ["ORDERS", "ENGINES", "SOLVERS", "DEFAULT_SOLVER", "OPTION_NAMES", "TEBDOptions", "tebd_options",
           "reference_delta"]

#: Trotter orders (TeNPy's Suzuki-Trotter decompositions) and TEBD engines.
ORDERS = (2, 4, "4_opt")
ENGINES = ("svd", "qr")


@dataclass(frozen=True)
class TEBDOptions:
    """Every option of the TEBD steady-state solver, with its default.

    Attributes
    ----------
    dt : float
        Trotter step, ``0 < dt <= 1``.
    order : {2, 4, '4_opt'}
        Suzuki-Trotter order (TeNPy's decompositions); the fixed point is off
        by ``O(dt**order)`` (``'4_opt'`` is a fourth-order one with smaller constants).
    richardson : bool
        Converge at ``dt`` and at ``dt/2`` and extrapolate away the leading
        Trotter error (``O(dt**2)`` or ``O(dt**4)``).
    engine : {'svd', 'qr'}
        TeNPy's ``TEBDEngine`` or ``QRBasedTEBDEngine`` (QR with controlled
        bond expansion instead of the SVD of each bond update).
    tol : float
        Stop when the largest entry change of any two-site RDM per unit
        ``eps t`` between two measurements falls below ``tol`` (> 0).
    drift_tol : float or None
        Window-drift rule: stop when the means of the last two windows of
        RDMs differ by less than ``drift_tol`` per unit ``eps t`` (> 0), and
        return the last window's mean.  ``None`` switches the rule off.
    tail_tol : float or None
        Exponential-tail rule: fit one decaying mode to the means of the last
        three windows, ``m_k = rho + A r**k``, and stop when the estimated
        distance of the last window mean to the fixed point,
        ``max |m_k - m_(k-1)| r / (1 - r)``, is below ``tail_tol`` (> 0); the
        extrapolated ``rho`` is returned.  ``None`` switches the rule off.
    check_every : float
        Measurement interval in units of ``eps t`` (> 0).
    min_eps_t, max_eps_t : float
        Earliest stop and the stop without convergence, in units of ``eps t``
        (``0 <= min_eps_t <= max_eps_t``, ``max_eps_t >= check_every``).
    window : float
        Window length in ``eps t`` of the plateau and drift rules (``>= check_every``).
    floor_tol : float
        Plateau rule: a non-decaying change rate below this counts as the
        truncation noise floor (``>= 0``; 0 switches the rule off).
    svd_min : float
        Schmidt values below this are discarded besides ``chi`` (``>= 0``).
    identity_weight : float
        Weight of the identity in the stored local operator basis (> 0); a warm
        start must come from a run with the same weight.
    checkpoint_every : float
        Seconds between checkpoint writes (``>= 0``).
    three_site : bool
        Also measure the three-site RDMs (energy currents, ``N >= 3``).
    """

    dt: float = 0.1
    order: int | str = 2
    richardson: bool = True
    engine: str = "svd"
    tol: float = 1e-5
    drift_tol: float | None = None
    tail_tol: float | None = None
    check_every: float = 0.25
    min_eps_t: float = 1.0
    max_eps_t: float = 40.0
    window: float = 3.0
    floor_tol: float = 0.05
    svd_min: float = 1e-12
    identity_weight: float = 2.0
    checkpoint_every: float = 120.0
    three_site: bool = False

    def __post_init__(self):
        set_ = lambda name, value: object.__setattr__(self, name, value)  # noqa: E731 (frozen dataclass)
        set_("dt", check_real("dt", self.dt, low=0.0, low_open=True, high=1.0))
        order = check_choice("order", self.order, ORDERS)  # a bool is refused: True == 1 is no order
        set_("order", order if isinstance(order, str) else int(order))
        set_("engine", check_choice("engine", self.engine, ENGINES))
        for name in ("richardson", "three_site"):
            if not isinstance(getattr(self, name), bool):
                raise TypeError(f"{name} must be True or False, got {getattr(self, name)!r}")
        set_("tol", check_real("tol", self.tol, low=0.0, low_open=True))
        for name in ("drift_tol", "tail_tol"):
            if getattr(self, name) is not None:
                set_(name, check_real(name, getattr(self, name), low=0.0, low_open=True))
        set_("check_every", check_real("check_every", self.check_every, low=0.0, low_open=True))
        set_("min_eps_t", check_real("min_eps_t", self.min_eps_t, low=0.0))
        set_("max_eps_t", check_real("max_eps_t", self.max_eps_t, low=self.check_every))
        if self.min_eps_t > self.max_eps_t:  # the run would stop at max_eps_t before any rule may stop it
            raise ValueError(f"min_eps_t must be <= max_eps_t, got min_eps_t = {self.min_eps_t:g} > "
                             f"max_eps_t = {self.max_eps_t:g}")
        set_("window", check_real("window", self.window, low=self.check_every))
        set_("floor_tol", check_real("floor_tol", self.floor_tol, low=0.0))
        set_("svd_min", check_real("svd_min", self.svd_min, low=0.0))
        set_("identity_weight", check_real("identity_weight", self.identity_weight, low=0.0, low_open=True))
        set_("checkpoint_every", check_real("checkpoint_every", self.checkpoint_every, low=0.0))

    @property
    def richardson_gain(self) -> float:
        """``2**p`` of the Richardson combination for a Trotter error ``O(dt**p)``."""
        return 4.0 if self.order == 2 else 16.0

    def replace(self, **changes) -> "TEBDOptions":
        """A copy with some options changed (validated like a new instance)."""
        return dataclasses.replace(self, **changes)


#: Named solvers: option values on top of the defaults (module docstring).
SOLVERS = {
    "reference": {},
    "fast": dict(order="4_opt", dt=0.4, richardson=False, engine="qr", window=1.0, tail_tol=2e-5),
}

OPTION_NAMES = tuple(f.name for f in dataclasses.fields(TEBDOptions))

#: The named solver used when none is given.
DEFAULT_SOLVER = "fast"


def reference_delta(options: TEBDOptions) -> dict:
    """The options that differ from the reference solver's (the :class:`TEBDOptions` defaults).

    ``tebd_options('reference', **reference_delta(o)) == o`` for every ``o``:
    a complete, stable record of a solver that does not depend on how the
    named solvers or the default are set (sweep stores key their tasks on it).
    """
    if not isinstance(options, TEBDOptions):
        raise TypeError(f"options must be a TEBDOptions (see tebd_options), got {options!r}")
    base = TEBDOptions()
    return {name: getattr(options, name) for name in OPTION_NAMES if getattr(options, name) != getattr(base, name)}


def tebd_options(solver=None, **options) -> TEBDOptions:
    """The options of a named solver with some of them overridden.

    Parameters
    ----------
    solver : {'reference', 'fast'}, TEBDOptions or None
        Named solver (see the module docstring) or a complete set of options;
        ``None`` is :data:`DEFAULT_SOLVER`.
    **options
        Fields of :class:`TEBDOptions`.

    Raises
    ------
    TypeError
        For an option that :class:`TEBDOptions` does not have, or of the wrong type.
    ValueError
        For an unknown solver name or an option out of its range.
    """
    unknown = sorted(set(options) - set(OPTION_NAMES))
    if unknown:
        raise TypeError(f"unknown TEBD solver option(s) {unknown}; allowed: {list(OPTION_NAMES)}")
    if solver is None:
        solver = DEFAULT_SOLVER
    if isinstance(solver, TEBDOptions):
        return solver.replace(**options) if options else solver
    if not isinstance(solver, str):
        raise TypeError(f"solver must be one of {list(SOLVERS)} or a TEBDOptions, got {solver!r}")
    check_choice("solver", solver, tuple(SOLVERS))
    return TEBDOptions(**{**SOLVERS[solver], **options})
