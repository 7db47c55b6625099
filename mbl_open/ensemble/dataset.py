"""A compact, committed copy of a store: the local temperatures and provenance.

The store keeps everything (RDMs, per-stage diagnostics) in one file per task;
the book's chapters need only the fitted ``beta_i`` of every task and ``eps``,
plus a record of how they were made (and, for a sweep with ``relaxation: true``,
the recorded approach to each steady state, paper Fig. 9).  :func:`export_dataset` writes that as
one JSON file; :func:`load_dataset` reads it back as an :class:`Ensemble`.
"""
from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..infrastructure import paths
from ..infrastructure._validate import NotInDataError, check_array, check_instance, check_int, check_path, check_real
from ..infrastructure.results import atomic_write_bytes
from .config import SweepConfig, h_key
from .store import ResultStore

__all__ = ["DATA_DIR", "DatasetReplaceError", "Ensemble", "book_dataset", "ensemble_from_store", "eps_index",
           "export_dataset", "load_dataset"]

FORMAT = 1

#: The committed datasets of the book as found at import (:func:`mbl_open.infrastructure.paths.data_dir` is read at every call).
DATA_DIR = paths.data_dir(must_exist=False)


class DatasetReplaceError(ValueError):
    """Writing the dataset would replace one that holds other or more results (pass ``force`` to do it)."""


def eps_index(ladder, eps) -> np.ndarray:
    """Positions of the couplings ``eps`` in ``ladder`` (to compare two datasets at the couplings both hold).

    Raises
    ------
    ValueError
        If some ``eps`` is not on the ladder (within a relative ``1e-9``).
    """
    ladder = check_array("ladder", ladder, ndim=1)
    out = []
    for e in np.atleast_1d(check_array("eps", eps)).ravel():
        k = np.flatnonzero(np.isclose(ladder, e, rtol=1e-9, atol=0.0))
        if not k.size:
            raise ValueError(f"eps = {e:g} is not on the ladder {ladder.tolist()}")
        out.append(int(k[0]))
    return np.array(out, dtype=int)


@dataclass
class Ensemble:
    """Fitted local temperatures of a sweep.

    Attributes
    ----------
    eps : ndarray (E,)
        The ladder, decreasing.
    N, chi, h, r : ndarray (T,)
        Chain length, bond dimension (0 for the exact solver), disorder
        strength, realisation of each stored task.
    betas : list of ndarray (E, N-1)
        Per task; ``nan`` where a fit hit the edge of the beta range.
    betas_eps0 : list of ndarray (N-1,) or None
        The ``eps -> 0`` limit from the rate equation, if the sweep computed it.
    diagnostics : dict of ndarray (T,)
        ``cpu_time``, ``max_truncation_error``, ``max_trace_drift``,
        ``converged`` (every stage of every eps), ``steps``.  The QR engine
        (the fast solver) does not compute the discarded weight, so its
        ``max_truncation_error`` is ``nan`` (``null`` in the file: not
        measured); ``max_trace_drift`` measures truncation for both engines.
    physics, provenance : dict
    relaxation : list or None
        Per task, one record per ``eps``: ``order_parameter`` ``(n, 2)`` rows
        ``(eps t, dbeta/beta)`` and ``history`` ``(n, 2)`` rows
        ``(eps t, max |d rho| / d(eps t))``, for a sweep with
        ``relaxation: true`` (read them with :meth:`relaxations`).
    level_spacings : list of dict or None
        Per task of a ``method: limit`` sweep, the chain's many-body level
        spacings (:func:`~mbl_open.ensemble.task.level_spacings`).
    """

    eps: np.ndarray
    N: np.ndarray
    chi: np.ndarray
    h: np.ndarray
    r: np.ndarray
    betas: list
    betas_eps0: list | None
    diagnostics: dict
    physics: dict
    provenance: dict
    relaxation: list | None = None
    level_spacings: list | None = None

    def sizes(self) -> list[int]:
        return sorted({int(n) for n in self.N})

    def h_values(self, N: int) -> list[float]:
        N = check_int("N", N, low=1)
        if N not in self.sizes():
            raise NotInDataError(f"N = {N} is not in this ensemble; its sizes are {self.sizes()}")
        return sorted({float(h) for n, h in zip(self.N, self.h) if n == N})

    def chis(self) -> list[int]:
        return sorted({int(c) for c in self.chi})

    def _select(self, N, h, chi):
        N = check_int("N", N, low=1)
        h = check_real("h", h, low=0.0)
        if chi is None:
            if len(self.chis()) > 1:
                raise ValueError(f"this ensemble holds several chi {self.chis()}: pass chi")
            chi = self.chis()[0]
        chi = check_int("chi", chi, low=0)
        if N not in self.sizes():
            raise NotInDataError(f"N = {N} is not in this ensemble; its sizes are {self.sizes()}")
        if chi not in self.chis():
            raise NotInDataError(f"chi = {chi} is not in this ensemble; its chi are {self.chis()} (0: exact solver)")
        idx = [k for k in range(len(self.N))
               if self.N[k] == N and self.chi[k] == chi and h_key(self.h[k]) == h_key(h)]
        if not idx:
            raise NotInDataError(f"h = {h:g} is not in this ensemble at N = {N}, chi = {chi}; its h there are "
                                 f"{self.h_values(N)}")
        return sorted(idx, key=lambda k: self.r[k])

    def realisations(self, N: int, h: float, chi: int | None = None) -> np.ndarray:
        """Realisation indices at ``(N, h, chi)``, in the order of :meth:`betas_for` with ``drop_nan=False``."""
        return np.array([self.r[k] for k in self._select(N, h, chi)])

    def betas_for(self, N: int, h: float, chi: int | None = None, *, drop_nan=True) -> np.ndarray:
        """``beta_i`` of every realisation at ``(N, h)`` (and ``chi`` if several), shape ``(R, E, N-1)``.

        Realisations with a failed fit (``nan``) are dropped unless ``drop_nan=False``.
        """
        b = np.array([self.betas[k] for k in self._select(N, h, chi)], dtype=float)
        return b[np.all(np.isfinite(b), axis=(1, 2))] if drop_nan else b

    def betas_eps0_for(self, N: int, h: float, chi: int | None = None, *, drop_nan=True) -> np.ndarray:
        """Rate-equation ``beta_i`` (``eps -> 0``) at ``(N, h)``, shape ``(R, N-1)``."""
        if self.betas_eps0 is None:
            raise KeyError("this sweep did not compute the eps -> 0 limit (rate_equation: true)")
        b = np.array([self.betas_eps0[k] for k in self._select(N, h, chi)], dtype=float)
        return b[np.all(np.isfinite(b), axis=1)] if drop_nan else b

    def relaxations(self, N: int, h: float, r: int = 0, chi: int | None = None) -> dict:
        """The recorded approach of realisation ``r`` at ``(N, h)`` to each steady state (paper Fig. 9).

        Returns
        -------
        dict
            ``eps -> Relaxation`` (:class:`~mbl_open.lindblad.relaxation.Relaxation`,
            with its rate fitted again from the record), largest ``eps`` first.
        """
        from ..lindblad.relaxation import Relaxation, history_rate

        if self.relaxation is None:
            raise NotInDataError("this sweep did not record relaxations (relaxation: true)")
        r = check_int("r", r, low=0)
        idx = [k for k in self._select(N, h, chi) if self.r[k] == r]
        if not idx:
            raise NotInDataError(f"realisation r = {r} is not in this dataset at N = {N}, h = {h:g}; it holds "
                                 f"{self.realisations(N, h, chi).tolist()}")
        out = {}
        for rec in self.relaxation[idx[0]]:
            history = np.array(rec["history"], dtype=float)
            out[float(rec["eps"])] = Relaxation(eps=float(rec["eps"]), history=history, fit=history_rate(history),
                                                order_parameter=np.array(rec["order_parameter"], dtype=float))
        return out

    def count(self, N: int, h: float, chi: int | None = None) -> int:
        return len(self._select(N, h, chi))

    def aligned_betas(self, N: int, h: float, chi: int | None = None, *, realisations, eps) -> np.ndarray:
        """``beta_i`` of the given realisations (in that order) at the given couplings, shape ``(R, E', N-1)``.

        Two sweeps with the same base seed solve the same chains (the seeding
        rule of :mod:`mbl_open.lindblad.realisation`), so this puts one
        dataset's realisations next to another's, e.g. TEBD at several ``chi``
        against the exact solver (paper Fig. 8).  Failed fits stay ``nan``.
        """
        held = self.realisations(N, h, chi)
        if isinstance(realisations, (str, bytes)) or not np.iterable(realisations):
            raise TypeError(f"realisations must be a list of realisation indices, got {realisations!r}")
        realisations = [check_int(f"realisations[{i}]", r, low=0) for i, r in enumerate(realisations)]
        missing = sorted(set(realisations) - set(held.tolist()))
        if missing:
            raise ValueError(f"realisations {missing} are not in this dataset at N={N}, h={h:g} (it holds "
                             f"{held.tolist()})")
        rows = [int(np.flatnonzero(held == r)[0]) for r in realisations]
        return self.betas_for(N, h, chi, drop_nan=False)[rows][:, eps_index(self.eps, eps)]

    @property
    def state(self) -> str:
        """``'complete: m of m tasks'``, or ``'incomplete: n of m tasks'`` for a dataset that is still growing."""
        p = self.provenance
        return f"{'complete' if p['complete'] else 'incomplete'}: {p['n_tasks']} of {p['n_tasks_planned']} tasks"

    def describe(self) -> str:
        """Where the data come from: sweep file, tasks, CPU time, dates, versions, commits (two lines)."""
        p = self.provenance
        return (f"{p['config_file']}: {self.state}, {p['cpu_time_total'] / 3600:.2f} CPU hours, computed "
                f"{p['first_task_started'][:10]} .. {p['last_task_finished'][:10]}, mbl_open "
                f"{', '.join(p['mbl_open_versions'])}, commit(s) {', '.join(dict.fromkeys(c[:10] for c in p['commits']))}\n"
                f"  method {self.physics['method']}, N {self.sizes()}, eps {self.eps.tolist()}")


def _relative(path):
    if path is None:
        return None
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _nan(x):
    return np.array([np.nan if v is None else v for v in x], dtype=float)


def ensemble_from_store(config: SweepConfig) -> Ensemble:
    """The finished tasks of a sweep's store as an :class:`Ensemble` (provenance summarised; reads only)."""
    store = ResultStore(config, read_only=True)
    payloads = list(store.load().values())
    if not payloads:
        raise ValueError(f"the store {store.root} holds no finished task yet")
    eps = np.array(payloads[0]["eps"], dtype=float)
    diag = dict(cpu_time=[], max_truncation_error=[], max_trace_drift=[], converged=[], steps=[])
    for p in payloads:
        stages = [s for per_eps in p["diagnostics"] for s in per_eps]
        diag["cpu_time"].append(p["cpu_time"])
        measured = p["task"]["solver"].get("engine") != "qr"  # the QR engine does not compute the discarded weight
        diag["max_truncation_error"].append(max((s.get("truncation_error", 0.0) for s in stages), default=0.0)
                                            if measured else np.nan)
        diag["max_trace_drift"].append(max((s.get("trace_drift", 0.0) for s in stages), default=0.0))
        diag["converged"].append(all(s.get("converged", True) for s in stages))
        diag["steps"].append(sum(s.get("steps", 0) for s in stages))
    has_eps0 = all(p.get("betas_eps0") is not None for p in payloads)
    relaxation = [p["relaxation"] for p in payloads] if config.relaxation else None
    status = store.status()
    started = sorted(p["started"] for p in payloads)
    finished = sorted(p["finished"] for p in payloads)
    provenance = dict(
        config_file=_relative(config.source),
        sweep=dict(N=list(config.N), chi=list(config.chi), h=list(config.h), realisations=config.realisations),
        description=config.description,
        created=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        n_tasks=len(payloads),
        n_tasks_planned=status.total,
        complete=status.done == status.total,
        first_task_started=started[0],
        last_task_finished=finished[-1],
        cpu_time_total=float(sum(p["cpu_time"] for p in payloads)),
        wall_time_total=float(sum(p["wall_time"] for p in payloads)),
        commits=sorted({p["commit"] for p in payloads}),
        mbl_open_versions=sorted({p["mbl_open_version"] for p in payloads}),
        hosts=sorted({p["host"] for p in payloads}),
        thermometry=sorted({p["thermometry"]["method"] for p in payloads}),
    )
    return Ensemble(
        eps=eps,
        N=np.array([p["task"]["N"] for p in payloads]),
        chi=np.array([p["task"]["chi"] for p in payloads]),
        h=np.array([p["task"]["h"] for p in payloads], dtype=float),
        r=np.array([p["task"]["r"] for p in payloads]),
        betas=[_betas(p["betas"], p["task"]["N"]) for p in payloads],
        betas_eps0=[_nan(p["betas_eps0"]) for p in payloads] if has_eps0 else None,
        diagnostics={k: np.array(v) for k, v in diag.items()},
        physics=config.physics(),
        provenance=provenance,
        relaxation=relaxation,
        level_spacings=[p["level_spacings"] for p in payloads] if config.method == "limit" else None,
    )


def _betas(rows, N) -> np.ndarray:
    """One task's ``beta_i`` per eps, shape ``(E, N-1)`` (``E = 0`` for a ``limit`` task)."""
    return np.array([_nan(row) for row in rows], dtype=float).reshape(len(rows), int(N) - 1)


def _relaxation_records(records) -> list:
    return [dict(eps=float(x["eps"]), order_parameter=[_list(row) for row in x["order_parameter"]],
                 history=[_list(row) for row in x["history"]]) for x in records]


def _list(x):
    return [None if not np.isfinite(v) else float(v) for v in np.ravel(x)]


def _task_keys(tasks) -> set:
    return {(int(t["N"]), int(t["chi"]), h_key(float(t["h"])), int(t["r"])) for t in tasks}


def _replace_problem(path: Path, doc: dict) -> str:
    """Why writing ``doc`` over the file at ``path`` would lose results ('' if it would not)."""
    path = path.resolve()
    try:
        old = json.loads(path.read_bytes())
        old_tasks = old["tasks"]
        old_physics = old["physics"]
        keys = _task_keys(old_tasks)
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        return f"{path} exists and is not a dataset"
    new_keys = _task_keys(doc["tasks"])
    if old_physics != json.loads(json.dumps(doc["physics"])):
        differing = sorted(k for k in set(old_physics) | set(doc["physics"])
                           if old_physics.get(k) != json.loads(json.dumps(doc["physics"].get(k))))
        return f"{path} holds {len(keys)} tasks of other physics parameters (differing: {differing})"
    lost = keys - new_keys
    if lost:
        return (f"{path} holds {len(keys)} tasks, the store {len(new_keys)}, and {len(lost)} of the dataset's "
                f"tasks are not in the store (a new or another store?)")
    return ""


def export_dataset(config: SweepConfig, path, *, force: bool = False) -> Path:
    """Write the compact dataset of a sweep's store to ``path`` (JSON, atomic); returns the path.

    A dataset never loses results silently: if ``path`` holds a dataset with
    tasks the store does not hold (fewer tasks, a fresh store, another
    store's tasks), other physics parameters, or a file that is no dataset,
    nothing is written unless ``force=True``.  The sweep's own YAML file is
    never overwritten.

    Raises
    ------
    DatasetReplaceError
        The file at ``path`` would lose results (the message gives both task
        counts and how to force it).
    """
    check_instance("config", config, SweepConfig, "a SweepConfig (from load_config or make_config)")
    path = check_path("path", path)
    if not isinstance(force, bool):
        raise TypeError(f"force must be True or False, got {force!r}")
    if path.is_dir():
        raise ValueError(f"path {path} is a directory; give the dataset's file name (.json)")
    if config.source is not None and path.resolve() == Path(config.source).resolve():
        raise ValueError(f"path {path} is the sweep file itself; give the dataset's file name (.json)")
    ens = ensemble_from_store(config)
    doc = dict(
        format=FORMAT,
        physics=ens.physics,
        provenance=ens.provenance,
        eps=ens.eps.tolist(),
        tasks=[dict(N=int(ens.N[k]), chi=int(ens.chi[k]), h=float(ens.h[k]), r=int(ens.r[k]),
                    betas=[_list(row) for row in ens.betas[k]],
                    betas_eps0=None if ens.betas_eps0 is None else _list(ens.betas_eps0[k]),
                    **{name: (bool(v[k]) if v.dtype == bool else _list([v[k]])[0]) for name, v in ens.diagnostics.items()},
                    **({} if ens.relaxation is None else {"relaxation": _relaxation_records(ens.relaxation[k])}),
                    **({} if ens.level_spacings is None else {"level_spacings": ens.level_spacings[k]}))
               for k in np.lexsort((ens.r, ens.h, ens.chi, ens.N))],
    )
    if path.exists() and not force:
        problem = _replace_problem(path, doc)
        if problem:
            raise DatasetReplaceError(f"not written: {problem}; pass --force (force=True) to replace it")
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, (json.dumps(doc, indent=None, separators=(",", ":")) + "\n").encode())
    return path


def load_dataset(path) -> Ensemble:
    """Read a file written by :func:`export_dataset`."""
    path = check_path("path", path)
    if not path.is_file():
        raise FileNotFoundError(f"dataset {path} does not exist (regenerate it with `python -m mbl_open sweep`)")
    try:
        doc = json.loads(path.read_bytes())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"path {path} is not a dataset (not JSON: {exc}); export one with "
                         "`python -m mbl_open export SWEEP.yaml`") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        found = doc.get("format") if isinstance(doc, dict) else type(doc).__name__
        raise ValueError(f"path {path}: unknown dataset format {found!r} (expected {FORMAT})")
    missing = [k for k in ("tasks", "eps", "physics", "provenance") if k not in doc]
    if missing:
        raise ValueError(f"path {path} is not a dataset: it lacks the key(s) {missing}")
    tasks = doc["tasks"]
    has_eps0 = all(t["betas_eps0"] is not None for t in tasks)
    diag_keys = ("cpu_time", "max_truncation_error", "max_trace_drift", "converged", "steps")
    return Ensemble(
        eps=np.array(doc["eps"], dtype=float),
        N=np.array([t["N"] for t in tasks]),
        chi=np.array([t["chi"] for t in tasks]),
        h=np.array([t["h"] for t in tasks], dtype=float),
        r=np.array([t["r"] for t in tasks]),
        betas=[_betas(t["betas"], t["N"]) for t in tasks],
        betas_eps0=[_nan(t["betas_eps0"]) for t in tasks] if has_eps0 else None,
        diagnostics={k: np.array([np.nan if t[k] is None else t[k] for t in tasks]) for k in diag_keys},
        physics=doc["physics"],
        provenance=doc["provenance"],
        relaxation=[t["relaxation"] for t in tasks] if doc["physics"].get("relaxation") else None,
        level_spacings=[t["level_spacings"] for t in tasks] if doc["physics"]["method"] == "limit" else None,
    )


def book_dataset(name) -> Ensemble:
    """Load a dataset by name from the data directory (``'book_exact'``, :func:`mbl_open.infrastructure.paths.data_dir`),
    or from a path to a ``.json`` file."""
    path = check_path("name", name)
    if path.suffix != ".json":
        if not str(name).replace("_", "").replace("-", "").isalnum():
            raise ValueError(f"name must be a dataset name such as 'book_exact' or a path to a .json file, got {name!r}")
        path = paths.data_dir() / f"{name}.json"
    return load_dataset(path)
