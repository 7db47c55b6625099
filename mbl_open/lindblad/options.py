"""Options of the steady-state solvers: defined, documented and validated here, once.

Each solver has one frozen options class, checked when it is made:
:class:`TEBDOptions` (time evolution with TeNPy) and :class:`ExactOptions`
(sparse linear algebra).  :func:`~mbl_open.lindblad.steady.solve_steady_state`,
:func:`~mbl_open.lindblad.steady.solve_ladder`, the sweep configs (``solver:``
in a sweep YAML, read by :func:`options_from_mapping`) and the TEBD engine
(:func:`~mbl_open.lindblad.tebd.evolve_to_steady_state`) all receive such an
object and trust it.  A named solver (``'reference'`` or ``'fast'``) is a set
of TEBD option values; :func:`tebd_options` overrides some of them.

Adding an option: a field (with its default and its check in
``__post_init__``) in the options class, its use where it acts, a test.  Run
controls (where to checkpoint, the initial state, a callback) are not
options: they are keywords of the solver functions.

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

from ..infrastructure._validate import check_choice, check_real

__all__ = ["METHODS", "ORDERS", "ENGINES", "SOLVERS", "DEFAULT_SOLVER", "OPTION_NAMES", "TEBDOptions",
           "ExactOptions", "tebd_options", "solver_options", "options_from_mapping", "reference_delta",
           "from_reference_delta"]

#: The steady-state solvers: TEBD time evolution and exact sparse linear algebra.
METHODS = ("tebd", "exact")

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


#: Solvers of :class:`ExactOptions`: restarted GMRES with a no-jump preconditioner, or a sparse LU.
EXACT_SOLVERS = ("gmres", "lu")


@dataclass(frozen=True)
class ExactOptions:
    """Every option of the exact steady-state solver, with its default.

    Attributes
    ----------
    solver : {'gmres', 'lu'}
        GMRES on the Liouvillian with the no-jump evolution as preconditioner,
        or a direct sparse LU (``N <= 5`` only).
    rtol : float
        Relative tolerance of GMRES, ``0 < rtol <= 1e-3``.
    """

    solver: str = "gmres"
    rtol: float = 1e-12

    def __post_init__(self):
        object.__setattr__(self, "solver", check_choice("solver", self.solver, EXACT_SOLVERS))
        object.__setattr__(self, "rtol", check_real("rtol", self.rtol, low=0.0, low_open=True, high=1e-3))

    def replace(self, **changes) -> "ExactOptions":
        """A copy with some options changed (validated like a new instance)."""
        return dataclasses.replace(self, **changes)


_CLASSES = {"tebd": TEBDOptions, "exact": ExactOptions}


def reference_delta(options) -> dict:
    """The options that differ from the defaults of their class (for TEBD: the reference solver's).

    ``tebd_options('reference', **reference_delta(o)) == o`` for every
    :class:`TEBDOptions` ``o`` (and ``ExactOptions(**reference_delta(o)) == o``):
    a complete, stable record of a solver that does not depend on how the
    named solvers or the default are set (sweep stores key their tasks on it).
    """
    if not isinstance(options, (TEBDOptions, ExactOptions)):
        raise TypeError(f"options must be a TEBDOptions or an ExactOptions, got {options!r}")
    base = type(options)()
    return {f.name: getattr(options, f.name) for f in dataclasses.fields(options)
            if getattr(options, f.name) != getattr(base, f.name)}


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

    Examples
    --------
    >>> from mbl_open.lindblad import tebd_options
    >>> fast = tebd_options("fast", dt=0.2)
    >>> fast.order, fast.dt, fast.richardson
    ('4_opt', 0.2, False)
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


def from_reference_delta(method: str, delta: dict) -> TEBDOptions | ExactOptions:
    """The options object that :func:`reference_delta` recorded as ``delta`` (a sweep task's ``solver``)."""
    check_choice("method", method, METHODS)
    return TEBDOptions(**delta) if method == "tebd" else ExactOptions(**delta)


def solver_options(method: str, options=None):
    """The options object of ``method``: ``options`` checked against it, or the defaults.

    Parameters
    ----------
    method : {'tebd', 'exact'}
    options : TEBDOptions, ExactOptions, str or None
        An options object of the method's class; for ``'tebd'`` also a named
        solver (``'fast'``, ``'reference'``); ``None``: the method's defaults
        (for ``'tebd'`` the :data:`DEFAULT_SOLVER`).

    Raises
    ------
    TypeError
        When ``options`` belongs to the other method or is of another type.
    """
    check_choice("method", method, METHODS)
    if method == "tebd" and isinstance(options, str) and options not in SOLVERS:
        raise ValueError(f"options must be a TEBDOptions or a named solver {list(SOLVERS)}, got {options!r}")
    if options is None or (method == "tebd" and isinstance(options, str)):
        return tebd_options(options) if method == "tebd" else ExactOptions()
    if not isinstance(options, _CLASSES[method]):
        cls = _CLASSES[method].__name__
        names = f" or a named solver {list(SOLVERS)}" if method == "tebd" else ""
        raise TypeError(f"options for method={method!r} must be {'an' if cls[0] in 'AEIOU' else 'a'} {cls}{names}, "
                        f"got {type(options).__name__} (make one with tebd_options(...) or ExactOptions(...))")
    return options


def _from_text(name: str, annotation: str, value):
    """YAML 1.1 reads ``1e-5`` as text: a float field takes numeric text as its number."""
    if isinstance(value, str) and "float" in annotation:
        try:
            return float(value)
        except ValueError:
            raise TypeError(f"{name} must be a number, got {value!r}") from None
    return value


def options_from_mapping(method: str, mapping, *, name: str = "mapping") -> TEBDOptions | ExactOptions:
    """The options object of ``method`` from a mapping of names to values (a sweep file's ``solver:``).

    The mapping holds fields of the method's options class and, for
    ``'tebd'``, ``solver`` (a named solver whose values the other keys
    override).  Numbers written as text (YAML reads ``1e-5`` as text) are
    read for the fields that hold numbers; everything is then checked by the
    options class itself.

    Parameters
    ----------
    method : {'tebd', 'exact'}
    mapping : dict
    name : str
        What the mapping is called in error messages (a sweep file: ``'solver'``).

    Raises
    ------
    TypeError, ValueError
        For an unknown key (the allowed ones are listed), or a value the
        options class refuses; the message starts with ``name``.
    """
    check_choice("method", method, METHODS)
    if not isinstance(mapping, dict):
        raise TypeError(f"{name} must be a mapping of solver options to values, got {mapping!r}")
    cls = _CLASSES[method]
    types = {f.name: str(f.type) for f in dataclasses.fields(cls)}
    allowed = (("solver",) if method == "tebd" else ()) + tuple(types)
    unknown = sorted(set(mapping) - set(allowed), key=str)
    if unknown:
        raise TypeError(f"{name}: unknown solver option(s) {unknown} for method={method!r}; allowed: {list(allowed)}")
    try:
        values = {k: _from_text(k, types.get(k, ""), v) for k, v in mapping.items()}
        return tebd_options(**values) if method == "tebd" else ExactOptions(**values)
    except (TypeError, ValueError) as err:
        raise type(err)(f"{name}: {err}") from None
