"""What each chapter's parameters must satisfy together, and what a run of it costs.

A chapter's parameters cell (``book/CHAPTER.md``) gives every parameter a
default, hence a type, and in a comment the range of each value on its own
(:func:`mbl_open.execution.chapters.read_ranges`).  What a range cannot say lives here,
in :data:`RULES`, one entry per chapter:

``rules``
    Conditions on several values at once: a list that must not be empty, a fit
    window ``[low, high]`` of two ordered entries, ``eps_min < eps_max``, a
    fit window holding at least three points of the grid, a dataset name that
    must resolve to a file in ``data/``.
``memory``
    The bytes of the chapter's dominant arrays as a function of its
    parameters (the kernel's own :data:`KERNEL_BYTES` are added).
``work``
    The seconds of its dominant computations, from unit costs measured on the
    2-core development machine (one core).  :meth:`ChapterRules.estimate`
    scales them so that the defaults take ``default_seconds``, the wall time
    of ``python -m mbl_open run CHAPTER`` measured for the README's table
    'Chapters, defaults and the paper's scale'.

:func:`mbl_open.execution.chapters.check_parameters` applies the rules and refuses a run
whose memory estimate exceeds 80% of the memory available (:func:`memory_limit`);
``python -m mbl_open run`` and :func:`mbl_open.execution.runner.run_chapter` also refuse
one whose time estimate exceeds :func:`time_limit` unless told ``--yes``
(``yes=True``).  The estimates are meant to be right within a factor of about
two: enough to tell seconds from hours and megabytes from the machine's memory.

Adding a chapter with parameters means adding its entry here (a test checks
that every such chapter has one and that each rule names only its parameters).
"""
from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..infrastructure import paths
from ..infrastructure.limits import available_memory

__all__ = [
    "KERNEL_BYTES",
    "RULES",
    "ChapterRules",
    "Estimate",
    "Rule",
    "available_memory",
    "dataset_names",
    "format_bytes",
    "format_seconds",
    "memory_limit",
    "time_limit",
]

#: Memory of a kernel with numpy, scipy, matplotlib, TeNPy and this package imported, before any array.
KERNEL_BYTES = 300e6

#: Environment variables: a lower memory limit than the available memory; another time limit than an hour.
MAX_BYTES_ENV = "MBL_OPEN_RUN_MAX_BYTES"
MAX_SECONDS_ENV = "MBL_OPEN_RUN_MAX_SECONDS"

#: Share of the available memory a run may be estimated to need (the rest for the machine's other work and for
#: the estimate's own error).
MEMORY_FRACTION = 0.8

#: Estimated run time above which a run needs ``--yes``, in seconds, unless ``MBL_OPEN_RUN_MAX_SECONDS`` is set.
DEFAULT_MAX_SECONDS = 3600.0


# ----------------------------------------------------------------------------------------------------------------
# limits and formatting

def _env_limit(name: str):
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a positive number, got {raw!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive number, got {raw!r}")
    return value


def memory_limit() -> tuple[float, str]:
    """``(bytes, description)``: :data:`MEMORY_FRACTION` of the available memory, or ``MBL_OPEN_RUN_MAX_BYTES``
    if that is smaller."""
    have = available_memory()
    cap = _env_limit(MAX_BYTES_ENV)
    if cap is not None and cap < MEMORY_FRACTION * have:
        return cap, f"the limit {MAX_BYTES_ENV} = {format_bytes(cap)}"
    return MEMORY_FRACTION * have, (f"{MEMORY_FRACTION:.0%} of the {format_bytes(have)} available "
                                    f"(set {MAX_BYTES_ENV} for a lower limit)")


def time_limit() -> float:
    """Seconds a run may be estimated to take without ``--yes``: one hour, or ``MBL_OPEN_RUN_MAX_SECONDS``."""
    cap = _env_limit(MAX_SECONDS_ENV)
    return DEFAULT_MAX_SECONDS if cap is None else cap


def format_seconds(seconds: float) -> str:
    """A duration in the largest sensible unit: ``'12 s'``, ``'4.5 min'``, ``'35 h'``, ``'12 days'``."""
    if seconds < 1:
        return "under 1 s"
    if seconds < 100:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.2g} min"
    if seconds < 3 * 86400:
        return f"{seconds / 3600:.3g} h"
    return f"{seconds / 86400:.3g} days"


def format_bytes(n: float) -> str:
    """A size in MB, GB or TB (decimal units, as ``free`` and the README give them)."""
    for unit, size in (("TB", 1e12), ("GB", 1e9)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n / 1e6:.3g} MB"


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# ----------------------------------------------------------------------------------------------------------------
# the rules

@dataclass(frozen=True)
class Rule:
    """One condition on several parameters of a chapter (or on a list parameter's entries together).

    Attributes
    ----------
    names : tuple of str
        The parameters it involves.
    requirement : str
        The condition in words, e.g. ``'eps_min < eps_max'``.
    violation : callable
        ``violation(params)`` returns ``None`` when the full parameter dict
        ``params`` satisfies the rule, else a one-line message that names the
        parameters, their values and what is allowed.
    normalise : callable, optional
        ``normalise(value)`` gives the value the kernel must receive for
        ``names[0]`` (a dataset path made absolute, since the kernel runs in
        its results directory).
    """

    names: tuple
    requirement: str
    violation: Callable[[dict], "str | None"]
    normalise: "Callable | None" = None


def non_empty(name: str) -> Rule:
    """The list ``name`` holds at least one entry."""
    return min_entries(name, 1)


def min_entries(name: str, n: int, why: str = "") -> Rule:
    """The list ``name`` holds at least ``n`` entries (``why``: what needs them)."""
    reason = f" ({why})" if why else ""

    def violation(p):
        if len(p[name]) >= n:
            return None
        need = "at least one entry" if n == 1 else f"at least {n} entries"
        return f"parameter {name!r} must hold {need}{reason}, got {_short(p[name])}"

    return Rule((name,), f"{name} has at least {n} entr{'y' if n == 1 else 'ies'}", violation)


def distinct(name: str) -> Rule:
    """The entries of the list ``name`` are all different."""

    def violation(p):
        values = list(p[name])
        if len(set(values)) == len(values):
            return None
        return f"parameter {name!r} must not repeat a value, got {_short(p[name])}"

    return Rule((name,), f"the entries of {name} are distinct", violation)


def window(name: str) -> Rule:
    """The list ``name`` is a window ``[low, high]``: exactly two entries, ``low < high``."""

    def violation(p):
        w = p[name]
        if len(w) == 2 and w[0] < w[1]:
            return None
        return (f"parameter {name!r} is a window [low, high]: it must hold exactly two entries with "
                f"low < high, got {_short(w)}")

    return Rule((name,), f"{name} = [low, high] with low < high", violation)


def less(a: str, b: str) -> Rule:
    """``p[a] < p[b]`` (for ``eps_min < eps_max`` and the like)."""

    def violation(p):
        if p[a] < p[b]:
            return None
        return (f"parameters {a!r} and {b!r}: {a} must be less than {b}, got {a} = {p[a]!r} and {b} = {p[b]!r} "
                f"(allowed with this {b}: {a} < {p[b]!r}; with this {a}: {b} > {p[a]!r})")

    return Rule((a, b), f"{a} < {b}", violation)


def entries_above(name: str, bound: float, why: str) -> Rule:
    """Every entry of the list ``name`` exceeds ``bound`` (``why``: the reason)."""

    def violation(p):
        bad = [v for v in p[name] if not v > bound]
        if not bad:
            return None
        return f"parameter {name!r}: every entry must be > {bound:g} ({why}), got {_short(bad)} in {_short(p[name])}"

    return Rule((name,), f"every entry of {name} > {bound:g}", violation)


def count_below(name: str, bound: float, n: int, why: str) -> Rule:
    """At least ``n`` distinct entries of the list ``name`` lie below ``bound``."""

    def violation(p):
        if len({v for v in p[name] if v < bound}) >= n:
            return None
        return (f"parameter {name!r} must hold at least {n} distinct value{'s' * (n != 1)} below {bound:g} ({why}), "
                f"got {_short(p[name])}")

    return Rule((name,), f"{name} has {n} distinct entries < {bound:g}", violation)


def require(names, test: Callable[[dict], bool], requirement: str) -> Rule:
    """A condition not covered above: ``test(params)`` must be true; ``requirement`` says it in words."""
    names = tuple(names)

    def violation(p):
        if test(p):
            return None
        values = ", ".join(f"{k} = {_short(p[k])}" for k in names)
        return f"parameter{'s' * (len(names) > 1)} {', '.join(map(repr, names))}: need {requirement}, got {values}"

    return Rule(names, requirement, violation)


def grid_points_in_window(grid: tuple, fit: tuple, at_least: int = 3) -> Rule:
    """The fit window ``[p[fit[0]], p[fit[1]]]`` holds ``at_least`` points of ``geomspace(*grid)``.

    ``grid`` names ``(low, high, n)`` of the geometric grid, ``fit`` the window's two ends.
    """
    lo, hi, n = grid
    names = tuple(dict.fromkeys((*grid, *fit)))

    def violation(p):
        if not (0 < p[lo] < p[hi] and p[n] >= 2 and p[fit[0]] < p[fit[1]]):
            return None  # reported by the ordering rules
        step = (math.log(p[hi]) - math.log(p[lo])) / (p[n] - 1)
        points = [math.exp(math.log(p[lo]) + k * step) for k in range(p[n])]
        slack = 1e-9
        inside = sum(p[fit[0]] * (1 - slack) <= x <= p[fit[1]] * (1 + slack) for x in points)
        if inside >= at_least:
            return None
        return (f"parameters {', '.join(map(repr, names))}: the fit window [{fit[0]}, {fit[1]}] = "
                f"[{p[fit[0]]:g}, {p[fit[1]]:g}] holds {inside} of the {n} = {p[n]} points from {lo} = {p[lo]:g} to "
                f"{hi} = {p[hi]:g}; the fit needs at least {at_least}: widen the window or raise {n}")

    return Rule(names, f"[{fit[0]}, {fit[1]}] holds >= {at_least} of the {n} points", violation)


def dataset_names() -> list[str]:
    """The datasets in the data directory (:func:`mbl_open.infrastructure.paths.data_dir`), by name (file stem), sorted."""
    return sorted(p.stem for p in paths.data_dir().glob("*.json") if p.is_file())


def _resolve_dataset(value) -> "Path | None":
    """The file a dataset parameter's value stands for, or ``None`` when it names nothing valid.

    A value ending in ``.json`` is a path (to the user's own export, relative to
    the current directory); any other value is a name (letters, digits, ``_``
    and ``-``, as :func:`mbl_open.ensemble.book_dataset` reads it) that must
    resolve to ``data/NAME.json`` inside the data directory.
    """
    if not isinstance(value, str) or not value.strip() or "\0" in value:
        return None
    if value.endswith(".json"):
        path = Path(value).expanduser().resolve()
        return path if path.is_file() else None
    if not re.fullmatch(r"[A-Za-z0-9_-]+", value):
        return None
    data = paths.data_dir()
    path = (data / f"{value}.json").resolve()
    if path.parent != data or not path.is_file():
        return None
    return path


def _dataset_sizes(value) -> list:
    """The chain lengths a dataset parameter's file holds (empty where it names nothing readable)."""
    import json

    path = _resolve_dataset(value)
    if path is None:
        return []
    try:
        doc = json.loads(path.read_bytes())
        return sorted({int(t["N"]) for t in doc["tasks"]})
    except (OSError, ValueError, KeyError, TypeError):
        return []


def size_in_dataset(dataset: str, size: str) -> Rule:
    """The chain length ``p[size]`` is one that the dataset ``p[dataset]`` holds (skipped for ``""``)."""

    def violation(p):
        if p[dataset] == "" or _resolve_dataset(p[dataset]) is None:
            return None  # reported by the dataset rule
        held = _dataset_sizes(p[dataset])
        if p[size] in held:
            return None
        return (f"parameter {size!r}: {size} = {p[size]} is not in the dataset {p[dataset]!r}, which holds "
                f"N = {held}; allowed: {', '.join(map(str, held))} (or another dataset with -p {dataset} NAME)")

    return Rule((dataset, size), f"{size} is a chain length of {dataset}", violation)


def datasets(name: str, *, allow_empty: bool = False) -> Rule:
    """The dataset parameter ``name`` (a name or a list of names) resolves to files in ``data/``.

    ``allow_empty``: ``""`` means "skip this dataset" for this parameter.  A
    value ending in ``.json`` is accepted as the path of an existing export.
    """

    def bad(p):
        values = p[name] if isinstance(p[name], list) else [p[name]]
        return [v for v in values if not (allow_empty and v == "") and _resolve_dataset(v) is None]

    def violation(p):
        wrong = bad(p)
        if not wrong:
            return None
        skip = ', or "" to skip it' if allow_empty else ""
        return (f"parameter {name!r}: {', '.join(map(repr, wrong))} is not a dataset; allowed: a name in data/ "
                f"({', '.join(dataset_names()) or 'none found'}) or the path of an existing .json export{skip}")

    def normalise(value):
        if isinstance(value, list):
            return [normalise(v) for v in value]
        if isinstance(value, str) and value.endswith(".json"):
            return str(_resolve_dataset(value) or value)
        return value

    return Rule((name,), f"{name} names datasets in data/", violation, normalise)


# ----------------------------------------------------------------------------------------------------------------
# unit costs, measured on the development machine (one core; the other busy), and the arrays that dominate memory

#: Seconds per island, configuration and coupling of a 1D resistor network (disorder draw and chain solve).
NET1D_SECONDS = 5e-8
#: Bytes per island and configuration of a 1D network: disorder, couplings, lengths, conductances, solution.
NET1D_BYTES = 112
#: Seconds per configuration of the closed-chain spreading at N = 1000 (tridiagonal eigendecomposition) ...
SPREAD_SECONDS_1000 = 8.6e-3
#: ... growing as N ** SPREAD_POWER (measured from N = 1000 to 4000).
SPREAD_POWER = 2.4
#: Seconds of one banded Cholesky solve of a 100 x 100 lattice (2D networks) ...
GRID_SECONDS_100 = 9e-3
#: ... growing as N ** GRID_POWER (measured from N = 100 to 200; asymptotically N ** 4).
GRID_POWER = 3.5
#: Seconds per island, configuration and coupling of the 1D series-resistor current.
CHARGE1D_SECONDS = 5e-9
#: Seconds per lattice site and sample, per (log2 sites + n_eps / 2), of one FFT sample of fracdiff.
FD_SAMPLE_SECONDS = 9.2e-10
#: Seconds per mode and coupling of the response weights and the exact lattice average of fracdiff.
FD_MODE_SECONDS = 6e-8
#: Seconds of one exact steady state (preconditioned GMRES at eps ~ 0.1), by N (``benchmarks/`` crossover rows).
EXACT_SECONDS = {3: 0.05, 4: 0.07, 5: 0.1, 6: 0.17, 7: 0.38, 8: 1.4, 9: 7.8}
#: Seconds of the local Gibbs states of a chain (dense 2**N diagonalisation, thermometer), by N.
GIBBS_SECONDS = {8: 0.2, 9: 0.9, 10: 2.2, 11: 9.7, 12: 57.0}
#: Reference TEBD: seconds per step and bond per chi_bond**3, and per step and bond on top (the latter dominates
#: short chains: N = 6 costs about the same at chi = 8 and 64; N = 12, chi = 48 and N = 20, chi = 100 fix the former).
TEBD_CUBE_SECONDS = 2.5e-8
TEBD_BOND_SECONDS = 1.5e-3
#: The fast solver on a chain of at most 9 sites, against the reference at the same eps (measured at N = 6: its
#: 4th-order stages do not pay off there; on long chains at small eps it is 5-6 times faster instead).
FAST_SHORT_CHAIN_RATIO = 2.0
#: Fast TEBD ladder with three-site RDMs (hydrodynamics chapter): seconds per unit of 1/eps, per bond and per
#: chi_bond**3 of the bonds (from N = 10, chi = 16 and 32 at eps = 0.2, 0.1).
FAST_BOND_SECONDS = 0.126
FAST_CUBE_SECONDS = 2.8e-6
#: Seconds of loading the datasets of a data chapter, drawing and fitting them (everything not scaled below).
DATA_CHAPTER_SECONDS = 20.0


def _table(costs: dict, N: int) -> float:
    """``costs[N]``, extrapolated by the last ratio beyond the table and flat below it."""
    keys = sorted(costs)
    if N <= keys[0]:
        return costs[keys[0]]
    if N in costs:
        return costs[N]
    last, before = keys[-1], keys[-2]
    return costs[last] * (costs[last] / costs[before]) ** (N - last)


def _exact_seconds(N: int) -> float:
    return _table(EXACT_SECONDS, N)


def _gibbs_seconds(N: int) -> float:
    return _table(GIBBS_SECONDS, N)


def _exact_bytes(N: int) -> float:
    """Sparse Liouvillian (``4**N`` rows, about ``12 N`` entries of 20 bytes each) and 64 Krylov vectors."""
    dim = 4.0**N
    return dim * (12 * N - 6) * 20 + 64 * dim * 16


def _gibbs_bytes(N: int) -> float:
    """Three dense complex ``2**N x 2**N`` matrices (Hamiltonian, eigenvectors, a product)."""
    return 3 * 16 * 4.0**N


def _bond_chis(N: int, chi: int) -> list:
    """Bond dimension of each bond of an ``N``-site density-matrix MPS (local dimension 4) capped at ``chi``."""
    return [min(chi, 4 ** min(i, N - i)) for i in range(1, N)]


def _tebd_bytes(N: int, chi: int) -> float:
    """Three copies of the MPS (``4 chi**2`` complex numbers per site) and the two-site SVD workspace."""
    c = max(_bond_chis(N, chi))
    return 3 * N * 64 * c**2 + 6 * 16 * (4 * c) ** 2


def _tebd_reference_seconds(N: int, chi: int, eps: float, dt: float = 0.1, *, eps_t: float = 17.0) -> float:
    """Reference TEBD: ``eps_t / (eps dt)`` steps (17: a stage to eps t = 9 at dt and one to 4 at dt / 2;
    9 for one stage; 11 for a relaxation record), each costing every bond's overhead and ``chi**3``."""
    per_step = sum(TEBD_BOND_SECONDS + TEBD_CUBE_SECONDS * c**3 for c in _bond_chis(N, chi))
    return eps_t / (eps * dt) * per_step


def _tebd_fast_ladder_seconds(N: int, chi: int, eps) -> float:
    """The fast solver's eps ladder with three-site RDMs: proportional to ``sum(1 / eps)``."""
    per_eps = FAST_BOND_SECONDS * (N - 1) + FAST_CUBE_SECONDS * sum(c**3 for c in _bond_chis(N, chi))
    return sum(1.0 / e for e in eps) * per_eps


def _net1d_seconds(N: int, M: int, n_eps: int) -> float:
    return NET1D_SECONDS * N * M * n_eps + 2e-5 * M


def _net1d_bytes(N: int, M: int) -> float:
    return NET1D_BYTES * N * M


def _grid_solve_seconds(N: int) -> float:
    return GRID_SECONDS_100 * (N / 100) ** GRID_POWER


def _grid_bytes(N: int, M: int, n_eps: int) -> float:
    """Disorder, couplings and lengths of ``M`` lattices, one lattice's conductances and solutions at every
    coupling, and the banded matrix with its Cholesky factor."""
    return 8 * (7 * M * N**2 + 6 * n_eps * N**2 + 2 * (N + 1) * N**2)


def _fd_modes(L: int, d: int) -> int:
    return L ** (d - 1) * (L // 2 + 1)


def _fd_scan_seconds(L: int, d: int, M: int, n_eps: int) -> float:
    """One :func:`mbl_open.fracdiff.crossover_scan`: an FFT and a (modes x eps) product per sample, plus the weights
    and the exact lattice average over every mode and coupling."""
    sites = L**d
    return (M * FD_SAMPLE_SECONDS * sites * (math.log2(sites) + n_eps / 2)
            + FD_MODE_SECONDS * n_eps * _fd_modes(L, d))


def _fd_scan_bytes(L: int, d: int, M: int, n_eps: int) -> float:
    """Two (eps x modes) arrays of response weights, a chunk of source fields with its FFT, the samples."""
    sites, modes = L**d, _fd_modes(L, d)
    chunk = max(1, min(M, 2**22 // sites))
    return 8 * (2 * n_eps * modes + 3 * modes + 3 * chunk * sites + 2 * M * n_eps)


# ----------------------------------------------------------------------------------------------------------------
# the chapters' cost models; ``p`` holds every parameter of a run (defaults included)

def _fractional_diffusion_seconds(p):
    """One crossover scan per z in each dimension (and the z = 1.5 scan of an exercise in 1D)."""
    n_1d = len(p["z_1d"]) + (0 if 1.5 in p["z_1d"] else 1)
    return (n_1d * _fd_scan_seconds(p["L_1d"], 1, p["M_1d"], p["n_eps"])
            + len(p["z_2d"]) * _fd_scan_seconds(p["L_2d"], 2, p["M_2d"], p["n_eps"]))


def _fractional_diffusion_bytes(p):
    return max(_fd_scan_bytes(p["L_1d"], 1, p["M_1d"], p["n_eps"]), _fd_scan_bytes(p["L_2d"], 2, p["M_2d"], p["n_eps"]))


def _thermal_network_1d_seconds(p):
    """Every alpha, two exercise alphas on the full ensemble and one on a tenth of it."""
    N, M, n = p["N"], p["M"], p["n_eps"]
    return (len(p["alphas"]) + 2) * _net1d_seconds(N, M, n) + _net1d_seconds(N, M // 10, n)


def _thermal_network_1d_bytes(p):
    return _net1d_bytes(p["N"], p["M"]) + 16 * p["n_eps"] * p["M"]


def _closed_system_spreading_seconds(p):
    """Eigendecompositions of every closed chain (every alpha, two exercises, the small ensembles) and the open
    network at every alpha plus one."""
    N = p["N"]
    chains = p["M"] * (len(p["alphas"]) + 2) + p["n_small"] * p["M_small"]
    per_chain = SPREAD_SECONDS_1000 * (N / 1000) ** SPREAD_POWER + 8e-9 * p["n_t"] * N
    return chains * per_chain + (len(p["alphas"]) + 1) * _net1d_seconds(N, p["M_open"], p["n_eps"])


def _closed_system_spreading_bytes(p):
    N = p["N"]
    return 3 * 8 * N**2 + 8 * p["n_t"] * N + _net1d_bytes(N, max(p["M"], p["M_open"], p["M_small"]))


def _thermal_network_2d_seconds(p):
    """One lattice solve per configuration and coupling, for every alpha and two exercise alphas."""
    return (len(p["alphas"]) + 2) * (p["M"] * p["n_eps"] + 4) * _grid_solve_seconds(p["N"])


def _thermal_network_2d_bytes(p):
    return _grid_bytes(p["N"], p["M"], p["n_eps"])


def _charge_transport_seconds(p):
    """The 1D series current (every alpha and one exercise) and one 2D lattice solve per configuration and
    coupling (plus the eps -> 0 one), for every alpha and two exercise alphas."""
    one_d = (len(p["alphas_1d"]) + 1) * (CHARGE1D_SECONDS * p["N_1d"] * p["M_1d"] * p["n_eps"] + 2e-5 * p["M_1d"])
    two_d = (len(p["alphas_2d"]) + 2) * p["M_2d"] * (len(p["eps_2d"]) + 1) * _grid_solve_seconds(p["N_2d"])
    return one_d + two_d


def _charge_transport_bytes(p):
    one_d = 8 * p["N_1d"] * p["M_1d"] * (4 + 3 * p["n_eps"])  # conductances at every eps at once, 1/K, the sum
    return max(one_d, _grid_bytes(p["N_2d"], p["M_2d"], len(p["eps_2d"]) + 1))


def _lindblad_chain_seconds(p):
    """Exact sign readings, the reference TEBD run (Richardson), the fast run, the relaxation records, the chi
    scan (warm-started, yet about a full run each; with the chi = 4 of an exercise) and the exact eps curves
    (every h and the h = 3 of an exercise, each realisation with its rate-equation limit)."""
    N, chi, eps, dt = p["N_tebd"], p["chi"], p["eps_tebd"], p["dt"]
    reference = _tebd_reference_seconds(N, chi, eps, dt)
    fast = FAST_SHORT_CHAIN_RATIO * _tebd_reference_seconds(N, chi, eps)
    relax = sum(_tebd_reference_seconds(N, chi, e, dt, eps_t=9.0) for e in set(p["eps_relax"]) if e != eps)
    scan = sum(_tebd_reference_seconds(N, c, eps, dt) for c in [*p["chis"], 4])
    curves = ((len(p["h_values"]) + 1) * p["n_realisations"] * (len(p["eps_exact"]) + 1)
              * _exact_seconds(p["N_exact"]))
    return 3 * _exact_seconds(N) + reference + fast + relax + scan + _gibbs_seconds(N) + curves


def _lindblad_chain_bytes(p):
    chi = max([p["chi"], *p["chis"]])
    return max(_exact_bytes(p["N_exact"]), _exact_bytes(p["N_tebd"]) + _tebd_bytes(p["N_tebd"], chi))


def _lindblad_to_hydrodynamics_seconds(p):
    """The detailed chains, the survey (every h and realisation: its eps ladder, the rate-equation limit and the
    Gibbs states), the survey one site longer at h = 1 (an exercise) and the TEBD ladder."""
    n_eps = len(p["eps_values"])
    N, Ns = p["N"], p["N_survey"]
    detail = len(p["h_detail"]) * (n_eps * _exact_seconds(N) + _gibbs_seconds(N))
    chain = (n_eps + 1) * _exact_seconds(Ns) + _gibbs_seconds(Ns)
    survey = len(p["h_survey"]) * p["n_realisations"] * chain
    exercise = 0.0
    if Ns < 9 and 1.0 in p["h_survey"]:
        exercise = p["n_realisations"] * ((n_eps + 1) * _exact_seconds(Ns + 1) + _gibbs_seconds(Ns + 1))
    tebd = _gibbs_seconds(p["N_tebd"]) + _tebd_fast_ladder_seconds(p["N_tebd"], p["chi"], p["eps_tebd"])
    return detail + survey + exercise + tebd


def _lindblad_to_hydrodynamics_bytes(p):
    longest = max(p["N"], p["N_survey"] + (1 if p["N_survey"] < 9 and 1.0 in p["h_survey"] else 0))
    return max(_exact_bytes(longest) + _gibbs_bytes(longest),
               _gibbs_bytes(p["N_tebd"]) + _tebd_bytes(p["N_tebd"], p["chi"]))


def _mbl_critical_point_seconds(p):
    """Loading and drawing the datasets, then bootstraps: the two summaries, the size comparison, three exercise
    summaries and a row of the size table per dataset (about 0.3 s per 400 resamples each)."""
    summaries = 8 + 1.5 * len(p["size_datasets"])
    return DATA_CHAPTER_SECONDS / 2 + 0.3 * p["n_resamples"] / 400 * summaries


def _mbl_critical_point_bytes(p):
    return 50e6 + 2e3 * p["n_resamples"]


def _convergence_seconds(p):
    """Loading, drawing and fitting the datasets, and the live relaxation records (every eps, the eps = 0.4 of an
    exercise, the smallest eps again at chi = 8) with their thermometer."""
    N, chi, eps = p["N_relax"], p["chi_relax"], p["eps_relax"]
    records = sum(_tebd_reference_seconds(N, chi, e, eps_t=11.0) for e in [*set(eps), 0.4])
    records += _tebd_reference_seconds(N, 8, min(eps), eps_t=11.0) if eps else 0.0
    return DATA_CHAPTER_SECONDS + _gibbs_seconds(N) + records


def _convergence_bytes(p):
    return 100e6 + _gibbs_bytes(p["N_relax"]) + _tebd_bytes(p["N_relax"], p["chi_relax"])


# ----------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Estimate:
    """Estimated peak memory (bytes, the kernel included) and wall time (seconds) of one run."""

    bytes: float
    seconds: float

    def __str__(self) -> str:
        return f"about {format_seconds(self.seconds)} and {format_bytes(self.bytes)} of memory"


@dataclass(frozen=True)
class ChapterRules:
    """Everything :mod:`mbl_open.execution.chapters` checks about one chapter beyond single values.

    Attributes
    ----------
    default_seconds : float
        Measured wall time of the chapter with its defaults (README table).
    rules : tuple of Rule
        Conditions on several parameters at once.
    memory : callable
        ``memory(params)``: bytes of the dominant arrays.
    work : callable
        ``work(params)``: seconds of the dominant computations from the unit costs above.
    overhead_seconds : float
        Part of ``default_seconds`` that does not scale (kernel start, imports, figures).
    """

    default_seconds: float
    rules: tuple
    memory: Callable[[dict], float]
    work: Callable[[dict], float]
    overhead_seconds: float = 2.0

    def estimate(self, defaults: dict, params: dict) -> Estimate:
        """Memory and time of a run with ``params``, time calibrated so that ``defaults`` take ``default_seconds``."""
        base = self.work(defaults)
        scale = (self.default_seconds - self.overhead_seconds) / base if base > 0 else 0.0
        return Estimate(bytes=KERNEL_BYTES + self.memory(params),
                        seconds=self.overhead_seconds + scale * self.work(params))

    @property
    def names(self) -> set:
        """Every parameter some rule involves."""
        return {name for rule in self.rules for name in rule.names}


#: The rules and cost models of every chapter with parameters, by chapter name.
RULES = {
    "fractional_diffusion": ChapterRules(
        default_seconds=11,
        rules=(
            non_empty("z_1d"),
            non_empty("z_2d"),
            entries_above("z_1d", 0.5, "the continuum law needs z > d/2 = 0.5 in one dimension"),
            entries_above("z_2d", 1.0, "the continuum law needs z > d/2 = 1 in two dimensions"),
            require(("M_1d", "n_eps"), lambda p: p["M_1d"] * p["n_eps"] * 8 <= 2**30,
                    "M_1d * n_eps <= 134217728 (1 GiB of samples)"),
            require(("M_2d", "n_eps"), lambda p: p["M_2d"] * p["n_eps"] * 8 <= 2**30,
                    "M_2d * n_eps <= 134217728 (1 GiB of samples)"),
        ),
        memory=_fractional_diffusion_bytes,
        work=_fractional_diffusion_seconds,
    ),
    "thermal_network_1d": ChapterRules(
        default_seconds=4,
        rules=(
            non_empty("alphas"),
            count_below("alphas", 1.0, 2, "the straight-line fit of z against 1/alpha in the Griffiths regime"),
            less("eps_min", "eps_max"),
            less("eps_min", "fit_eps_max"),
            grid_points_in_window(("eps_min", "eps_max", "n_eps"), ("eps_min", "fit_eps_max")),
            require(("jackknife_blocks", "M"), lambda p: p["jackknife_blocks"] <= p["M"] // 10,
                    "jackknife_blocks <= M // 10 (an exercise fits M // 10 configurations)"),
        ),
        memory=_thermal_network_1d_bytes,
        work=_thermal_network_1d_seconds,
    ),
    "closed_system_spreading": ChapterRules(
        default_seconds=41,
        rules=(
            non_empty("alphas"),
            less("t_min", "t_max"),
            less("eps_min", "fit_eps_max"),
            require(("t_max",), lambda p: p["t_max"] <= 1e12,
                    "t_max <= 1e12 (beyond, eigenvalue round-off spoils exp(-lambda t))"),
            require(("N",), lambda p: p["N"] <= 20000, "N <= 20000 (the closed chain is diagonalised densely)"),
            require(("sigma_fit_min", "N"), lambda p: p["sigma_fit_min"] < p["N"] / 10,
                    "sigma_fit_min < N / 10 (the fit window of the width ends at N / 10)"),
            require(("jackknife_blocks", "M_open"), lambda p: p["jackknife_blocks"] <= p["M_open"],
                    "jackknife_blocks <= M_open"),
        ),
        memory=_closed_system_spreading_bytes,
        work=_closed_system_spreading_seconds,
    ),
    "thermal_network_2d": ChapterRules(
        default_seconds=19,
        rules=(
            non_empty("alphas"),
            less("eps_min", "eps_max"),
            require(("lam_min", "lam_max_fraction", "N"), lambda p: p["lam_min"] < p["lam_max_fraction"] * p["N"],
                    "lam_min < lam_max_fraction * N (the diffusive fit window)"),
        ),
        memory=_thermal_network_2d_bytes,
        work=_thermal_network_2d_seconds,
    ),
    "charge_transport": ChapterRules(
        default_seconds=12,
        rules=(
            non_empty("alphas_1d"),
            count_below("alphas_1d", 1.0, 1, "the Griffiths regime the chapter compares with the paper's law"),
            non_empty("alphas_2d"),
            less("eps_min", "eps_max"),
            less("eps_min", "fit_eps_max"),
            grid_points_in_window(("eps_min", "eps_max", "n_eps"), ("eps_min", "fit_eps_max")),
            require(("eps_max", "alphas_1d"), lambda p: p["eps_max"] < 1 or min(p["alphas_1d"], default=1) >= 1,
                    "eps_max < 1 when some alpha < 1 (the asymptotic laws)"),
            require(("jackknife_blocks", "M_1d"), lambda p: p["jackknife_blocks"] <= p["M_1d"],
                    "jackknife_blocks <= M_1d"),
            min_entries("eps_2d", 2, "the straight-line fit c1 + c2 eps"),
            distinct("eps_2d"),
            entries_above("eps_2d", 1e-9, "the eps -> 0 run uses eps = 1e-9 below every eps_2d"),
        ),
        memory=_charge_transport_bytes,
        work=_charge_transport_seconds,
    ),
    "lindblad_chain": ChapterRules(
        default_seconds=61,
        rules=(
            min_entries("chis", 2, "the chi scan compares successive bond dimensions"),
            distinct("chis"),
            non_empty("h_values"),
            min_entries("eps_exact", 2, "the eps curves and their slope"),
            distinct("eps_exact"),
        ),
        memory=_lindblad_chain_bytes,
        work=_lindblad_chain_seconds,
    ),
    "lindblad_to_hydrodynamics": ChapterRules(
        default_seconds=100,
        rules=(
            non_empty("h_detail"),
            non_empty("eps_values"),
            distinct("eps_values"),
            non_empty("h_survey"),
            require(("h_survey",), lambda p: min(p["h_survey"], default=2) <= 1.0 <= 4.0 <= max(p["h_survey"],
                                                                                               default=2),
                    "an h <= 1 (ergodic) and an h >= 4 (localised) in h_survey: the chapter compares the two"),
            non_empty("eps_tebd"),
            distinct("eps_tebd"),
        ),
        memory=_lindblad_to_hydrodynamics_bytes,
        work=_lindblad_to_hydrodynamics_seconds,
    ),
    "mbl_critical_point": ChapterRules(
        default_seconds=12,
        rules=(
            datasets("dataset"),
            datasets("compare_dataset", allow_empty=True),
            size_in_dataset("dataset", "N"),
            size_in_dataset("compare_dataset", "compare_N"),
            require(("N", "compare_dataset", "compare_N"),
                    lambda p: p["compare_dataset"] == "" or p["compare_N"] != p["N"],
                    'a second chain length compare_N different from N (or compare_dataset "" to skip it)'),
            non_empty("size_datasets"),
            datasets("size_datasets"),
            window("window"),
            window("size_window"),
            window("slope_eps"),
            datasets("limit_dataset", allow_empty=True),
            datasets("limit_source"),
        ),
        memory=_mbl_critical_point_bytes,
        work=_mbl_critical_point_seconds,
    ),
    "convergence": ChapterRules(
        default_seconds=30,
        rules=(
            datasets("exact_dataset"),
            datasets("chi_dataset"),
            datasets("tebd_dataset"),
            datasets("large_datasets"),
            datasets("large_chi_dataset", allow_empty=True),
            datasets("relax_dataset", allow_empty=True),
            non_empty("eps_relax"),
            distinct("eps_relax"),
            non_empty("h_sizes"),
            window("window_sizes"),
        ),
        memory=_convergence_bytes,
        work=_convergence_seconds,
    ),
}
