"""The on-disk result store of a sweep: one file per finished task.

Layout
------
::

    STORE/
      sweep.json               what every task computes (SweepConfig.physics), fixed at creation
      writer.lock              who is writing now (pid, host, start time): one sweep process at a time
      results/<task>.json      one finished task: parameters, package version, results, diagnostics
      failed/<task>.json       the traceback of a task's last failure (removed when it succeeds)
      corrupt/<task>.<n>.json  result files that failed verification, moved aside
      checkpoints/<task>/      TeNPy checkpoints of a task in progress (removed when it succeeds,
                               or by the next run if a kill came in between)

Every file is written to a temporary name, flushed to disk and renamed over
the target, so a reader sees the old file or the whole new one; a process
killed at any moment leaves finished tasks intact.  A result file carries the
SHA-256 of its payload: a truncated or altered file fails verification, is
moved to ``corrupt/`` with a warning and its task counts as missing, so it is
recomputed and never silently read.

One process writes a store at a time: :meth:`ResultStore.writer_lock` holds an
exclusive ``flock`` on ``writer.lock`` for the whole sweep (with a Dask
cluster too: the sweep process, which writes every result, holds it).  The
kernel releases the lock when its holder dies in any way (SIGKILL, power
loss), so a lock whose holder is gone is taken over by the next sweep with a
note; a second sweep while the first runs is refused at once, naming it.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import math
import os
import shutil
import socket
import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..infrastructure.results import atomic_write_bytes
from .config import SweepConfig, Task

__all__ = ["CorruptResultWarning", "ResultStore", "StaleLockWarning", "StoreBusyError", "StoreMismatchError",
           "StoreStatus", "payload_digest"]

FORMAT = 1


class StoreMismatchError(ValueError):
    """The store on disk was created for different sweep parameters."""


class CorruptResultWarning(UserWarning):
    """A result file failed verification and was moved aside to be recomputed."""


class StoreBusyError(RuntimeError):
    """Another process is writing the store (a second sweep on it is refused)."""


class StaleLockWarning(UserWarning):
    """The store's lock was left by a process that is gone; the new sweep took it over."""


#: The lock file of a store (its content names the holder; the ``flock`` on it is the lock itself).
LOCK_FILE = "writer.lock"


def _holder_text(info: dict) -> str:
    return (f"pid {info.get('pid', '?')} on {info.get('host', '?')}, "
            f"started {info.get('started', '?')}")


def _read_holder(fd: int) -> dict:
    raw = os.pread(fd, 4096, 0)
    try:
        info = json.loads(raw) if raw.strip() else {}
    except (json.JSONDecodeError, UnicodeDecodeError):
        info = {}
    return info if isinstance(info, dict) else {}


def failure_reason(error: BaseException) -> str:
    """The one-line reason of a failed task: the exception's type and the first line of its message."""
    text = str(error).strip()
    return f"{type(error).__name__}: {text.splitlines()[0]}" if text else type(error).__name__


def _dumps(obj) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), allow_nan=True).encode()


def _sha256(payload) -> str:
    return hashlib.sha256(_dumps(payload)).hexdigest()


@dataclass(frozen=True)
class StoreStatus:
    """Counts of a sweep's tasks in a store."""

    total: int
    done: int
    failed: int
    missing: int
    in_progress: int

    def __str__(self) -> str:
        return (f"{self.done}/{self.total} done, {self.missing} missing "
                f"({self.in_progress} with a checkpoint), {self.failed} failed")


#: Payload keys that describe when and where a task ran, not what it computed.
TIMING_KEYS = ("cpu_time", "wall_time", "started", "finished", "host", "pid", "commit", "mbl_open_version")


def payload_digest(payload: dict, *, ndigits: int = 10) -> str:
    """Hash of a result payload without its timing keys, floats rounded to ``ndigits`` significant digits.

    Two stores that hold the same results (up to the last bits of floating
    point) have equal digests task by task.
    """
    def norm(x):
        if isinstance(x, float):
            if not math.isfinite(x) or x == 0.0:
                return repr(x)
            return float(f"{x:.{ndigits}g}")
        if isinstance(x, dict):
            return {k: norm(v) for k, v in x.items() if k not in TIMING_KEYS}
        if isinstance(x, (list, tuple)):
            return [norm(v) for v in x]
        return x

    return _sha256(norm(payload))


#: Keys every result payload holds (:func:`~mbl_open.ensemble.task.run_task`).
PAYLOAD_KEYS = ("task", "zeta_z", "zeta_x", "eps", "betas", "betas_eps0", "rdms", "thermometry", "diagnostics",
                "cpu_time", "wall_time", "started", "finished", "mbl_open_version", "commit")


def _payload_problem(payload, task: Task) -> str:
    """Why ``payload`` cannot be the result of ``task`` ('' if it can)."""
    if not isinstance(payload, dict):
        return f"a {type(payload).__name__}, not a dict"
    missing = [k for k in PAYLOAD_KEYS if k not in payload]
    if missing:
        return f"missing keys {missing}"
    n_eps = len(task.eps)
    betas, eps = payload["betas"], payload["eps"]
    if not (isinstance(eps, list) and len(eps) == n_eps and isinstance(betas, list) and len(betas) == n_eps):
        return f"eps and betas must be lists of {n_eps} entries"
    if not all(isinstance(b, list) and len(b) == task.N - 1 for b in betas):
        return f"every betas entry must hold N - 1 = {task.N - 1} values"
    diag = payload["diagnostics"]
    if not (isinstance(diag, list) and len(diag) == n_eps
            and all(isinstance(d, list) and all(isinstance(x, dict) for x in d) for d in diag)):
        return f"diagnostics must be a list of {n_eps} lists of stage records"
    for key in ("started", "finished", "commit"):
        if not isinstance(payload[key], str):
            return f"{key} must be a string"
    if not isinstance(payload["cpu_time"], (int, float)):
        return "cpu_time must be a number"
    if task.relaxation:
        relax = payload.get("relaxation")
        if not (isinstance(relax, list) and len(relax) == n_eps
                and all(isinstance(r, dict) and {"eps", "order_parameter", "history"} <= set(r) for r in relax)):
            return f"relaxation must be a list of {n_eps} records (eps, order_parameter, history)"
    return ""


class ResultStore:
    """A sweep's results on disk (see the module docstring).

    Parameters
    ----------
    config : SweepConfig
        The sweep; its ``store`` directory is created if missing.  An existing
        store created with different :meth:`SweepConfig.physics` raises
        :class:`StoreMismatchError` before anything is computed.
    read_only : bool
        Read without writing anything (``status``, ``export``): a store that
        does not exist yet is reported as empty instead of being created, and
        corrupt results count as missing but are not moved to ``corrupt/``.
    """

    def __init__(self, config: SweepConfig, *, read_only: bool = False):
        if not isinstance(config, SweepConfig):
            raise TypeError(f"config must be a SweepConfig (see load_config), got {type(config).__name__}")
        if not isinstance(read_only, bool):
            raise TypeError(f"read_only must be True or False, got {read_only!r}")
        self.config = config
        self.root = Path(config.store)
        self.read_only = read_only
        if self.root.exists() and not self.root.is_dir():
            raise NotADirectoryError(f"the store path {self.root} is a file, not a directory; "
                                     f"set 'store' in {config.source or 'the sweep file'} to a directory")
        self._open()

    # --- layout -------------------------------------------------------------------------------
    @property
    def results_dir(self) -> Path:
        return self.root / "results"

    def result_path(self, task: Task) -> Path:
        return self.results_dir / f"{task.name}.json"

    def failure_path(self, task: Task) -> Path:
        return self.root / "failed" / f"{task.name}.json"

    def checkpoint_dir(self, task: Task) -> Path:
        return self.root / "checkpoints" / task.name

    def _open(self):
        meta = self.root / "sweep.json"
        physics = self.config.physics()
        if meta.exists():
            try:
                stored = json.loads(meta.read_text())
            except json.JSONDecodeError as exc:
                raise StoreMismatchError(f"{meta} is not valid JSON ({exc}); not a result store?") from None
            if stored.get("physics") != json.loads(_dumps(physics)):
                diff = sorted(k for k in set(physics) | set(stored.get("physics", {}))
                              if json.loads(_dumps(physics.get(k))) != stored.get("physics", {}).get(k))
                raise StoreMismatchError(
                    f"the store {self.root} was created with different sweep parameters (differing: {diff}); "
                    f"use a new 'store' directory or the original parameters")
        elif self.read_only:
            return
        else:
            self.root.mkdir(parents=True, exist_ok=True)
            from .. import __version__

            atomic_write_bytes(meta, json.dumps(dict(format=FORMAT, physics=physics, mbl_open_version=__version__),
                                                indent=1, sort_keys=True).encode())
        if self.read_only:
            return
        for sub in ("results", "failed", "corrupt", "checkpoints"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)

    # --- writing -------------------------------------------------------------------------------
    def write(self, task: Task, payload: dict) -> Path:
        """Store a finished task atomically; drop its failure record and checkpoints."""
        if payload.get("task") != json.loads(_dumps(task.to_dict())):
            raise ValueError(f"payload of {task.name} does not belong to this task")
        doc = dict(format=FORMAT, sha256=_sha256(payload), payload=payload)
        path = self.result_path(task)
        atomic_write_bytes(path, _dumps(doc))
        self.failure_path(task).unlink(missing_ok=True)
        shutil.rmtree(self.checkpoint_dir(task), ignore_errors=True)
        return path

    def drop_finished_checkpoints(self, missing=None) -> int:
        """Remove the checkpoints and failure records of finished tasks; return how many went.

        :meth:`write` stores the result first and removes the checkpoints
        after, so a process killed in between leaves the checkpoints of a
        finished task behind (no run would ever resume them); a failure record
        of a task that has a result since is stale as well.  Checkpoints of
        missing tasks, and directories that are no task of this sweep, are left
        alone.

        Parameters
        ----------
        missing : list of Task, optional
            The result of :meth:`missing`, if the caller has it already.
        """
        missing = self.missing() if missing is None else list(missing)
        if not all(isinstance(t, Task) for t in missing):
            raise TypeError("missing must be a list of Task (as returned by ResultStore.missing())")
        todo = {t.name for t in missing}
        done = {t.name for t in self.config.tasks()} - todo
        gone = 0
        for d in (self.root / "checkpoints").iterdir():
            if d.name in done:
                shutil.rmtree(d, ignore_errors=True)
                gone += 1
        for f in (self.root / "failed").glob("*.json"):
            if f.stem in done:
                f.unlink(missing_ok=True)
                gone += 1
        return gone

    def write_failure(self, task: Task, error: str, reason: str | None = None) -> None:
        """Record why a task failed (it stays missing and is retried by the next run).

        Parameters
        ----------
        task : Task
        error : str
            The traceback.
        reason : str, optional
            One line for the user (default: the traceback's last line).
        """
        if reason is None:
            lines = [ln for ln in error.strip().splitlines() if ln and not ln[0].isspace()]
            reason = lines[-1] if lines else "unknown error"
        atomic_write_bytes(self.failure_path(task), _dumps(dict(task=task.to_dict(), error=error, reason=reason)))

    def failures(self, missing=None) -> dict:
        """The one-line failure reason of every task that is missing and failed last time, by task name.

        Records of tasks that have a result since are not current and are left
        out (the next sweep run removes them).
        """
        missing = self.missing() if missing is None else list(missing)
        out = {}
        for task in missing:
            path = self.failure_path(task)
            try:
                doc = json.loads(path.read_bytes())
            except FileNotFoundError:
                continue
            except (json.JSONDecodeError, UnicodeDecodeError):
                out[task.name] = "unreadable failure record"
                continue
            reason = doc.get("reason") if isinstance(doc, dict) else None
            if not reason:  # a record written before reasons were kept: the traceback's last line
                lines = [ln for ln in str(doc.get("error", "")).strip().splitlines() if ln and not ln[0].isspace()]
                reason = lines[-1] if lines else "unknown error"
            out[task.name] = reason
        return out

    @contextmanager
    def writer_lock(self):
        """Hold the store's single-writer lock for the duration of a ``with`` block.

        Raises
        ------
        StoreBusyError
            At once, if another live process holds it (the message names its
            pid, host and start time).

        Warns
        -----
        StaleLockWarning
            When the lock file names a holder that is gone (killed, power
            loss): the lock is free and is taken over.
        """
        if self.read_only:
            raise ValueError("a read-only store cannot be locked for writing")
        path = self.root / LOCK_FILE
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise StoreBusyError(
                    f"the store {self.root} is in use by another sweep ({_holder_text(_read_holder(fd))}); "
                    f"wait for it to finish or stop that process") from None
            previous = _read_holder(fd)
            if previous:
                warnings.warn(f"{path}: the previous sweep ({_holder_text(previous)}) ended without releasing "
                              f"the lock (killed?); taken over", StaleLockWarning, stacklevel=3)
            info = dict(pid=os.getpid(), host=socket.gethostname(),
                        started=time.strftime("%Y-%m-%d %H:%M:%S %Z"))
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(info).encode(), 0)
            os.fsync(fd)
            try:
                yield info
            finally:
                os.ftruncate(fd, 0)  # released in order: nobody to name
        finally:
            os.close(fd)  # closing the descriptor releases the flock

    # --- reading -------------------------------------------------------------------------------
    def _quarantine(self, path: Path, reason: str) -> None:
        if self.read_only:
            warnings.warn(f"{path.name}: {reason}; counted as missing (the next sweep run moves it to corrupt/)",
                          CorruptResultWarning, stacklevel=3)
            return
        n = 0
        while ((target := self.root / "corrupt" / f"{path.stem}.{n}.json").exists()
               or target.with_suffix("").exists()):
            n += 1
        if path.is_dir():
            shutil.move(str(path), str(target.with_suffix("")))
        else:
            path.replace(target)
        warnings.warn(f"{path.name}: {reason}; moved to {target} and the task will be recomputed",
                      CorruptResultWarning, stacklevel=3)

    def verify(self, task: Task) -> dict | None:
        """The verified payload of ``task``, or ``None`` if it is not (validly) stored.

        A file that is truncated, not JSON, fails its checksum or belongs to
        another task is moved to ``corrupt/`` (with a :class:`CorruptResultWarning`).
        """
        path = self.result_path(task)
        if path.is_dir():
            self._quarantine(path, "a directory where a result file belongs")
            return None
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            doc = json.loads(raw)
            payload = doc["payload"]
            ok = doc.get("format") == FORMAT and doc.get("sha256") == _sha256(payload)
        except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError, AttributeError):
            ok = False
        if not ok:
            self._quarantine(path, "truncated or corrupted (checksum or JSON failed)")
            return None
        problem = _payload_problem(payload, task)
        if problem:
            self._quarantine(path, f"a valid checksum but a malformed payload ({problem})")
            return None
        if payload.get("task") != json.loads(_dumps(task.to_dict())):
            self._quarantine(path, "holds another task's parameters")
            return None
        return payload

    def load(self, tasks=None) -> dict:
        """Verified payloads of ``tasks`` (default: every task of the sweep) that are stored, by task name."""
        out = {}
        for task in self.config.tasks() if tasks is None else tasks:
            payload = self.verify(task)
            if payload is not None:
                out[task.name] = payload
        return out

    def missing(self) -> list[Task]:
        """Tasks without a valid result, in sweep order (corrupted files are quarantined here)."""
        return [t for t in self.config.tasks() if self.verify(t) is None]

    def status(self) -> StoreStatus:
        tasks = self.config.tasks()
        if not (self.root / "sweep.json").exists():  # a read-only look at a store that was never run
            return StoreStatus(total=len(tasks), done=0, failed=0, missing=len(tasks), in_progress=0)
        missing = self.missing()
        failed = sum(1 for t in missing if self.failure_path(t).exists())
        in_progress = sum(1 for t in missing if self.checkpoint_dir(t).exists())
        return StoreStatus(total=len(tasks), done=len(tasks) - len(missing), failed=failed,
                           missing=len(missing), in_progress=in_progress)

    def digests(self) -> dict:
        """``payload_digest`` of every stored task, by name (for comparing two stores)."""
        return {name: payload_digest(p) for name, p in self.load().items()}
