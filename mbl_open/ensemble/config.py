"""A sweep: which disorder ensembles to solve, read from a YAML file.

A sweep is the product of chain lengths ``N``, bond dimensions ``chi``,
disorder strengths ``h`` and realisations ``r``; each ``(N, chi, h, r)`` is one :class:`Task`, which solves the
steady state of paper Eq. 7 for the whole ``eps`` ladder on one disorder draw and
fits the local temperatures (paper Eq. 9).

Disorder
--------
Task ``(N, h, r)`` solves ``Chain.draw(N, h, r, seed=seed)``, the one seeding
rule of the package (:mod:`mbl_open.lindblad.realisation`): fields
``draw_fields(N, (seed, N, h_key, r))`` with ``h_key = round(1000 h)``, the same
draw for every ``eps`` (one task holds the whole ladder) and every ``chi``
(convergence in ``chi`` on fixed disorder, paper Fig. 8), independent draws for
different ``h``, ``r`` or ``N`` (as in the paper).

YAML keys
---------
``store``
    Result directory, relative to the YAML file (required).
``N``
    Chain length or list of lengths (required).
``h``
    List of disorder strengths (required).
``eps``
    The ``eps`` ladder (required, except for ``method: limit``, which has
    none); solved from large to small, each warm-started from the previous
    steady state.
``realisations``
    Realisations per ``(N, h)`` (required).
``method``
    ``'tebd'`` (default), ``'exact'`` (``N <= 9``) or ``'limit'``: only the
    ``eps -> 0`` limit of each realisation from the rate equation
    (:mod:`~mbl_open.lindblad.rate_equation`, ``N <= 12``), with the
    many-body level spacings that say down to which ``eps`` it applies; with
    the seed of a ladder sweep it holds the limits of that sweep's chains.
``chi``
    TEBD bond dimension or list of them (default 64; ignored by ``'exact'``).
``seed``
    Base seed of the disorder (default 0).
``sign``
    Reading of the jump operators, ``'-+'`` (default), ``'literal'`` or ``'+-'``.
``solver``
    Solver options, default none.  For ``'tebd'``: ``solver`` (a named
    solver, ``'reference'`` or ``'fast'``) and any field of
    :class:`~mbl_open.lindblad.options.TEBDOptions` (``dt``, ``order``,
    ``engine``, ``richardson``, ``tail_tol``, ...), validated completely at
    load time.  Without ``solver``, the default named solver
    (:data:`~mbl_open.lindblad.options.DEFAULT_SOLVER`).  The config resolves
    the name at once into the options that differ from the reference solver's
    (:func:`~mbl_open.lindblad.options.reference_delta`); those are what the
    store records, so a store keeps its meaning when a named solver is retuned
    or the default changes.  For ``'exact'``: ``rtol``.
``thermometry``
    Options of :func:`~mbl_open.lindblad.thermometry.thermal_reference`
    (``method``, ``beta_max``, ``dbeta``, ``chi``), default none.
``checkpoints``
    Keep TeNPy HDF5 checkpoints of unfinished TEBD tasks inside the store so a
    killed task resumes mid-ladder (default true; on a cluster the store must
    then be on a file system the workers share).
``rate_equation``
    Also solve the ``eps -> 0`` limit of each realisation with the rate
    equation (:mod:`~mbl_open.lindblad.rate_equation`, ``N <= 12``) and fit its
    local temperatures: the MBL-side intercept of paper Eq. 9 (default false).
``relaxation``
    Relax every ``eps`` from infinite temperature instead of warm-starting it,
    and record ``O(t) = dbeta/beta(t)`` and the solver's change rates after
    every measurement block (paper Fig. 9;
    :func:`~mbl_open.lindblad.relaxation.relax_realisation`).  TEBD with a
    one-stage solver only; ``solver: {min_eps_t: 10}`` runs each to
    ``eps t = 10`` at least, as the paper's figure (default false).
``dataset``
    Path (relative to the YAML file) of the compact dataset that
    ``python -m mbl_open sweep`` writes after every run (see
    :mod:`~mbl_open.ensemble.dataset`), optional.
``description``
    Free text.

Limits
------
A sweep may hold at most ``MAX_TASKS`` tasks, TEBD chains at most ``TEBD_MAX_N``
sites and bond dimensions at most ``TEBD_MAX_CHI`` (:mod:`mbl_open.infrastructure.limits`); larger
values are refused at load time, before any store is touched.  On a machine
that can afford more, raise a limit with the environment variable
``MBL_OPEN_<NAME>``.

``h`` and ``realisations`` may grow between runs of the same store (more
data); every other key fixes what a task computes and is checked against the
store (:meth:`SweepConfig.physics`).
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..infrastructure._validate import check_choice, check_int, check_path, check_real
from ..infrastructure.limits import limit
from ..lindblad.exact import EXACT_MAX_N, EXACT_MIN_EPS
from ..lindblad.model import SIGN_READINGS, h_key, realisation_seed
from ..lindblad.options import METHODS, from_reference_delta, options_from_mapping, reference_delta
from ..lindblad.rate_equation import RATE_EQUATION_MAX_N
from ..lindblad.tebd import check_tebd_eps
from ..lindblad.thermometry import thermometry_options

__all__ = ["SWEEP_METHODS", "SweepConfig", "Task", "load_config", "make_config", "h_key"]

#: What a sweep's tasks compute: a steady-state ladder (the solvers' methods) or the ``eps -> 0`` limit only.
SWEEP_METHODS = METHODS + ("limit",)

_REQUIRED = ("store", "N", "h", "realisations")
_OPTIONAL = ("eps", "method", "chi", "seed", "sign", "solver", "thermometry", "checkpoints", "rate_equation",
             "relaxation", "dataset", "description")
_THERMOMETRY_OPTIONS = ("method", "beta_max", "dbeta", "chi")


@dataclass(frozen=True)
class Task:
    """One disorder realisation: the steady states of a whole ``eps`` ladder.

    Attributes
    ----------
    N, h, r : int, float, int
        Chain length, disorder strength, realisation index.
    seed : tuple of int
        ``(base seed, N, h_key, r)``, the seed of :func:`~mbl_open.lindblad.model.draw_fields`.
    eps : tuple of float
        The ladder, decreasing.
    method, chi, sign : str, int, str
    solver, thermometry : dict
        Options (as in the YAML file).
    rate_equation : bool
        Also compute the ``eps -> 0`` limit.
    relaxation : bool
        Relax every ``eps`` from infinite temperature and record the approach.
    """

    N: int
    h: float
    r: int
    seed: tuple
    eps: tuple
    method: str
    chi: int
    sign: str
    solver: dict = field(hash=False)
    thermometry: dict = field(hash=False)
    rate_equation: bool = False
    relaxation: bool = False

    @property
    def name(self) -> str:
        """Stable file name stem, e.g. ``N10_chi32_h2000_r0007`` (``N8_h2000_r0007`` for ``'exact'``)."""
        chi = f"_chi{self.chi}" if self.method == "tebd" else ""
        return f"N{self.N}{chi}_h{h_key(self.h)}_r{self.r:04d}"

    @property
    def options(self):
        """The solver's options object (:mod:`~mbl_open.lindblad.options`) that ``solver`` records."""
        return from_reference_delta(self.method, self.solver)

    def to_dict(self) -> dict:
        out = dict(N=self.N, h=self.h, r=self.r, seed=list(self.seed), eps=list(self.eps), method=self.method,
                   chi=self.chi, sign=self.sign, solver=dict(self.solver), thermometry=dict(self.thermometry),
                   rate_equation=self.rate_equation)
        return _with_later_keys(out, relaxation=self.relaxation)


@dataclass(frozen=True)
class SweepConfig:
    """A validated sweep (see the module docstring for the keys)."""

    store: Path
    N: tuple
    h: tuple
    eps: tuple
    realisations: int
    method: str = "tebd"
    chi: tuple = (64,)
    seed: int = 0
    sign: str = "-+"
    solver: dict = field(default_factory=dict, hash=False)
    thermometry: dict = field(default_factory=dict, hash=False)
    checkpoints: bool = True
    rate_equation: bool = False
    relaxation: bool = False
    dataset: Path | None = None
    description: str = ""
    source: Path | None = None

    def tasks(self) -> list[Task]:
        """Every task, ordered by ``N``, ``chi``, then realisation, then ``h``.

        Realisation-major order means an interrupted sweep has a few
        realisations at every ``h`` rather than all of them at the first ``h``.
        """
        return [Task(N=n, h=h, r=r, seed=realisation_seed(self.seed, n, h, r), eps=self.eps, method=self.method,
                     chi=chi, sign=self.sign, solver=self.solver, thermometry=self.thermometry,
                     rate_equation=self.rate_equation, relaxation=self.relaxation)
                for n in self.N for chi in self.chi for r in range(self.realisations) for h in self.h]

    def physics(self) -> dict:
        """The keys that fix what every task computes (checked against an existing store)."""
        out = dict(eps=list(self.eps), method=self.method, chi=list(self.chi), seed=self.seed, sign=self.sign,
                   solver=dict(self.solver), thermometry=dict(self.thermometry),
                   rate_equation=self.rate_equation)
        return _with_later_keys(out, relaxation=self.relaxation)


#: Keys added after stores had been written, with their defaults: a task record or a store's physics holds one
#: only when it differs from the default, so the stores written before it keep their meaning.
LATER_KEYS = {"relaxation": False}


def _with_later_keys(record: dict, **values) -> dict:
    return {**record, **{k: v for k, v in values.items() if v != LATER_KEYS[k]}}


def _path(name, value, base):
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise TypeError(f"{name} must be a path (text), got {value!r}")
    path = Path(value)
    return base / path if not path.is_absolute() and base is not None else path


def _number(name, value):
    """YAML 1.1 reads ``1e-5`` as text: accept numeric text, reject anything else."""
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            raise TypeError(f"{name} must be a number, got {value!r}") from None
    return value


def _as_list(name, value):
    if isinstance(value, (list, tuple)):
        if not value:
            raise ValueError(f"{name} must not be an empty list")
        return list(value)
    return [value]


def _check_solver(method, solver) -> dict:
    """The ``solver`` mapping of a sweep, as the options that differ from the defaults of their class.

    The options object is built and checked by :mod:`~mbl_open.lindblad.options`
    itself; a named solver is resolved into its values, so a store keeps its
    meaning when the named solvers are retuned.
    """
    return reference_delta(options_from_mapping(method, solver, name="solver"))


def _check_thermometry(thermo):
    """The ``thermometry`` mapping, validated with the thermometer's own ranges (before any store is touched)."""
    if not isinstance(thermo, dict):
        raise TypeError(f"thermometry must be a mapping, got {thermo!r}")
    unknown = sorted(set(thermo) - set(_THERMOMETRY_OPTIONS))
    if unknown:
        raise ValueError(f"unknown thermometry option(s) {unknown}; allowed: {list(_THERMOMETRY_OPTIONS)}")
    values = {k: (_number(f"thermometry.{k}", v) if k in ("beta_max", "dbeta") else v) for k, v in thermo.items()}
    try:
        full = thermometry_options(**values)
    except (TypeError, ValueError) as err:
        raise type(err)(f"thermometry.{err}") from None
    return {k: full[k] for k in thermo}  # only the keys given: a store's physics keeps its recorded form


def make_config(raw: dict, *, base: Path | None = None, source: Path | None = None) -> SweepConfig:
    """Validate a mapping of YAML keys into a :class:`SweepConfig`.

    Parameters
    ----------
    raw : dict
        The keys of the module docstring.
    base : Path, optional
        Directory that a relative ``store`` is resolved against (the YAML file's).
    """
    if not isinstance(raw, dict):
        raise TypeError(f"raw (a sweep config) must be a mapping of keys, got {type(raw).__name__}")
    unknown = sorted(set(raw) - set(_REQUIRED) - set(_OPTIONAL), key=str)
    if unknown:  # before the missing ones: a typo ('realisation:') is what the user wants to hear about
        hints = [f"'{k}' (did you mean '{close[0]}'?)" if (close := difflib.get_close_matches(
            str(k), _REQUIRED + _OPTIONAL, n=1)) else f"'{k}'" for k in unknown]
        raise ValueError(f"unknown sweep config key(s) {', '.join(hints)}; allowed: {list(_REQUIRED + _OPTIONAL)}")
    missing = [k for k in _REQUIRED if k not in raw]
    if missing:
        raise ValueError(f"sweep config is missing required key(s) {missing}")
    method = check_choice("method", raw.get("method", "tebd"), SWEEP_METHODS)
    if method == "limit":
        return _limit_config(raw, base, source)
    if "eps" not in raw:
        raise ValueError(f"sweep config is missing required key(s) ['eps'] (method: {method})")
    Ns = tuple(check_int("N", n, low=2, high=EXACT_MAX_N if method == "exact" else limit("TEBD_MAX_N"))
               for n in _as_list("N", raw["N"]))
    if len(set(Ns)) != len(Ns):
        raise ValueError(f"N values must be distinct, got {list(Ns)}")
    eps = tuple(sorted((check_real("eps", _number("eps", e), low=0.0, low_open=True)
                        for e in _as_list("eps", raw["eps"])),
                       reverse=True))
    if len(set(eps)) != len(eps):
        raise ValueError(f"eps values must be distinct, got {list(eps)}")
    chis = (0,) if method == "exact" else tuple(check_int("chi", c, low=1, high=limit("TEBD_MAX_CHI"))
                                                for c in _as_list("chi", raw.get("chi", 64)))
    if len(set(chis)) != len(chis):
        raise ValueError(f"chi values must be distinct, got {list(chis)}")
    common = _common(raw, Ns, tuple(sorted(chis)), base, source)
    solver = _check_solver(method, raw.get("solver") or {})
    if method == "tebd":  # the ladder against the solver's limits, before any task runs
        for e in (max(eps), min(eps)):
            check_tebd_eps(e, from_reference_delta(method, solver))
    elif min(eps) < EXACT_MIN_EPS:
        raise ValueError(f"eps must be >= {EXACT_MIN_EPS:g} for method: exact, got {min(eps):g}")
    if raw.get("rate_equation") and max(Ns) > RATE_EQUATION_MAX_N:
        raise ValueError(f"rate_equation: true needs N <= {RATE_EQUATION_MAX_N}, got N = {max(Ns)}")
    for flag in ("checkpoints", "rate_equation", "relaxation"):
        if flag in raw and not isinstance(raw[flag], bool):
            raise TypeError(f"{flag} must be true or false, got {raw[flag]!r}")
    if raw.get("relaxation"):
        if method != "tebd":
            raise ValueError("relaxation: true needs method: tebd (the exact solver has no time evolution)")
        if from_reference_delta(method, solver).richardson:
            raise ValueError("relaxation: true records one TEBD stage per eps; use a one-stage solver "
                             "(solver: {solver: fast}, or richardson: false)")
        if raw.get("rate_equation"):
            raise ValueError("relaxation: true and rate_equation: true cannot be combined; the rate equation "
                             "has no approach to record")
    return SweepConfig(eps=eps, method=method, solver=solver, checkpoints=raw.get("checkpoints", True),
                       rate_equation=raw.get("rate_equation", False), relaxation=raw.get("relaxation", False),
                       **common)


def _common(raw, Ns, chis, base, source) -> dict:
    """The keys every method reads the same way, validated (the number of tasks against ``MAX_TASKS``)."""
    hs = tuple(check_real("h", _number("h", h), low=0.0) for h in _as_list("h", raw["h"]))
    if len({h_key(h) for h in hs}) != len(hs):
        raise ValueError(f"h values must differ by at least 0.001, got {list(hs)}")
    realisations = check_int("realisations", raw["realisations"], low=1)
    n_tasks = len(Ns) * len(chis) * len(hs) * realisations
    if n_tasks > limit("MAX_TASKS"):
        raise ValueError(f"the sweep has {n_tasks} tasks (N x chi x h x realisations), more than the limit "
                         f"{limit('MAX_TASKS')}; split it, or raise the limit with MBL_OPEN_MAX_TASKS")
    return dict(store=_path("store", raw["store"], base), N=Ns, h=hs, realisations=realisations, chi=chis,
                seed=check_int("seed", raw.get("seed", 0), low=0),
                sign=check_choice("sign", raw.get("sign", "-+"), SIGN_READINGS),
                thermometry=_check_thermometry(raw.get("thermometry") or {}),
                dataset=_path("dataset", raw.get("dataset"), base),
                description=str(raw.get("description", "")), source=source)


def _limit_config(raw, base, source) -> SweepConfig:
    """``method: limit``: the rate-equation limit of every realisation, no ``eps`` ladder."""
    for key, why in (("eps", "it has no eps ladder"), ("chi", "the rate equation is exact"),
                     ("solver", "the rate equation has no solver options"),
                     ("relaxation", "the limit has no approach to record"),
                     ("checkpoints", "a task has nothing to resume")):
        if key in raw:
            raise ValueError(f"method: limit takes no '{key}' key ({why}); remove it")
    if raw.get("rate_equation", True) is not True:
        raise ValueError(f"rate_equation must be true (or absent) for method: limit, got {raw['rate_equation']!r}")
    Ns = tuple(check_int("N", n, low=2, high=RATE_EQUATION_MAX_N) for n in _as_list("N", raw["N"]))
    if len(set(Ns)) != len(Ns):
        raise ValueError(f"N values must be distinct, got {list(Ns)}")
    return SweepConfig(eps=(), method="limit", solver={}, checkpoints=False, rate_equation=True, relaxation=False,
                       **_common(raw, Ns, (0,), base, source))


def load_config(path) -> SweepConfig:
    """Read and validate a sweep YAML file (see the module docstring)."""
    path = check_path("path", path)
    if not path.is_file():
        raise FileNotFoundError(f"sweep config {path} does not exist")
    try:
        with open(path, encoding="utf-8") as fh:
            raw = yaml.safe_load(fh)
    except UnicodeDecodeError as exc:
        raise ValueError(f"sweep config {path} is not UTF-8 text ({exc.reason})") from None
    except yaml.YAMLError as exc:
        raise ValueError(f"sweep config {path} is not valid YAML: {' '.join(str(exc).split())}") from None
    return make_config(raw, base=path.resolve().parent, source=path.resolve())
