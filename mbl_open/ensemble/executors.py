"""Running a sweep's missing tasks: local worker processes or a Dask cluster.

Both executors hand :func:`~mbl_open.ensemble.task.run_task` to workers and
write each result into the store *in this process* as soon as it arrives, so
the store has a single writer and a worker never needs to see it (except for
the optional TEBD checkpoints, which need a shared file system on a cluster).
Killing the sweep loses at most the tasks in flight; the next run computes
only what is missing.  A local worker whose sweep process is killed (even with
SIGKILL, which no handler can catch) notices within a second and exits, so no
orphan keeps computing beside the workers of the next run.
"""
from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import re
import threading
import time
import traceback

import numpy as np

from ..infrastructure._validate import check_instance, check_int, check_real
from ..infrastructure.limits import limit as max_limit
from ..infrastructure.progress import progress
from .config import SweepConfig, h_key
from .store import ResultStore, StoreStatus, failure_reason
from .task import run_task, running_commit

#: How long ``run_sweep`` waits for a Dask scheduler to answer before giving up.
CONNECT_TIMEOUT = "10s"
_ADDRESS = re.compile(r"^inproc://\S+$|^(tcp|tls|ucx|ws|wss)://[^\s:/]+(:\d+)?/?$|^[^\s:/]+:\d+$")

__all__ = ["run_sweep", "default_workers"]


def default_workers() -> int:
    """Local worker processes by default: every core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


#: How often (seconds) a local worker checks that the sweep process that started it is alive.
ORPHAN_CHECK_INTERVAL = 0.5


def _exit_when_orphaned(parent: int) -> None:
    """Stop this worker at once when its sweep process is gone (killed with SIGKILL, say).

    Without this a worker of a killed sweep would keep computing, and a resumed
    sweep would start new workers beside it on the same task and checkpoint.
    """
    while True:
        time.sleep(ORPHAN_CHECK_INTERVAL)
        if os.getppid() != parent:
            os._exit(70)


def _worker_init(parent: int | None = None):
    # one BLAS thread per worker process: the workers already fill the cores
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    running_commit()  # the commit of the code this worker imports now, recorded with every task it runs
    if parent is not None:
        threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True, name="orphan-check").start()


def _execute(task, checkpoint_dir):
    """Worker entry point (module level so it pickles for both executors)."""
    if checkpoint_dir is not None:
        os.makedirs(checkpoint_dir, exist_ok=True)
    return run_task(task, checkpoint_dir=checkpoint_dir)


def _jobs(store: ResultStore, tasks):
    ckpt = store.config.checkpoints and store.config.method == "tebd"
    return [(t, str(store.checkpoint_dir(t)) if ckpt else None) for t in tasks]


def _record(store, bar, task, future_result):
    try:
        payload = future_result()
    except cf.process.BrokenProcessPool as exc:  # a worker died (killed, out of memory): not the task's fault
        raise RuntimeError("a local worker process died (killed or out of memory?); finished tasks are "
                           "stored: run the sweep again to continue") from exc
    except Exception as exc:  # the task failed: keep the traceback, carry on with the others
        store.write_failure(task, traceback.format_exc(), failure_reason(exc))
        bar.set_postfix_str(f"last failure: {task.name}")
        bar.update(1)
        return False
    store.write(task, payload)
    bar.update(1)
    return True


def _run_local(store, jobs, workers):
    ctx = multiprocessing.get_context("spawn")  # no fork of a process holding threads (tqdm, BLAS)
    with progress(total=len(jobs), desc=f"sweep ({workers} workers)", unit="task") as bar, \
            cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_init,
                                   initargs=(os.getpid(),)) as pool:
        futures = {pool.submit(_execute, task, ckpt): task for task, ckpt in jobs}
        try:
            for fut in cf.as_completed(futures):
                _record(store, bar, futures[fut], fut.result)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _connect(scheduler):
    """A Dask client for ``scheduler`` (an address or a client), and whether this call opened it."""
    try:
        from distributed import Client
    except ImportError as exc:  # pragma: no cover - dask is in requirements.txt
        raise ImportError("running on a cluster needs dask.distributed (pip install distributed)") from exc
    if isinstance(scheduler, Client) or not isinstance(scheduler, str):
        return scheduler, False
    try:
        return Client(scheduler, timeout=CONNECT_TIMEOUT), True
    except (OSError, TimeoutError) as exc:
        raise ValueError(f"scheduler {scheduler!r}: no Dask scheduler answered within {CONNECT_TIMEOUT} "
                         f"({type(exc).__name__}); start one with `dask scheduler`, or check the address") from None


def _run_dask(store, jobs, client):
    from distributed import as_completed

    n = len(client.scheduler_info().get("workers", {}))
    with progress(total=len(jobs), desc=f"sweep (dask, {n} workers)", unit="task") as bar:
        futures = {}
        for task, ckpt in jobs:
            fut = client.submit(_execute, task, ckpt, key=f"mbl-open-{task.name}-{os.getpid()}", pure=False)
            futures[fut] = task
        try:
            for fut in as_completed(list(futures)):
                _record(store, bar, futures[fut], fut.result)
        except BaseException:
            client.cancel(list(futures))
            raise


def run_sweep(config: SweepConfig, *, scheduler=None, workers: int | None = None,
              limit: int | None = None, only_h=None) -> StoreStatus:
    """Compute every task of ``config`` that the store does not hold yet.

    Parameters
    ----------
    config : SweepConfig
    scheduler : str or distributed.Client, optional
        Address of a Dask scheduler (``'tcp://host:8786'``) or a connected
        client; ``None`` (default) runs local worker processes.
    workers : int, optional
        Local worker processes (default: all cores); ignored with ``scheduler``.
    limit : int, optional
        Run at most this many of the missing tasks (in sweep order), e.g. to
        fill a store in portions.
    only_h : sequence of float, optional
        Run only the missing tasks at these disorder strengths (each one of
        the sweep's ``h``), e.g. new values added to a grown sweep before the
        extra realisations of the old ones.

    Returns
    -------
    StoreStatus
        Counts after the run; failed tasks keep their traceback in
        ``STORE/failed/`` (:meth:`ResultStore.failures` gives one line each)
        and are retried by the next run.

    Raises
    ------
    StoreBusyError
        Another sweep process is writing the same store.
    """
    check_instance("config", config, SweepConfig, "a SweepConfig (from load_config or make_config)")
    if scheduler is not None and not (isinstance(scheduler, str) or hasattr(scheduler, "submit")):
        raise TypeError(f"scheduler must be an address such as 'tcp://host:8786' or a dask Client, "
                        f"got {scheduler!r}")
    if isinstance(scheduler, str) and not _ADDRESS.match(scheduler):
        raise ValueError(f"scheduler must be an address such as 'tcp://host:8786' (protocol://host:port), "
                         f"got {scheduler!r}")
    if workers is not None:
        workers = check_int("workers", workers, low=1, high=max_limit("MAX_WORKERS"))
    if limit is not None:
        limit = check_int("limit", limit, low=1)
    keys = None
    if only_h is not None:
        if isinstance(only_h, (str, bytes)) or not np.iterable(only_h) or not len(only_h):
            raise TypeError(f"only_h must be a non-empty list of disorder strengths, got {only_h!r}")
        keys = {h_key(check_real(f"only_h[{i}]", h, low=0.0)) for i, h in enumerate(only_h)}
        unknown = sorted(k / 1000 for k in keys - {h_key(h) for h in config.h})
        if unknown:
            raise ValueError(f"only_h {unknown} are not disorder strengths of the sweep; its h are {list(config.h)}")
    client, own = _connect(scheduler) if scheduler is not None else (None, False)  # before the store exists
    try:
        store = ResultStore(config)  # a store made with other parameters fails here, before any work
        with store.writer_lock():  # a second sweep on this store is refused here, naming this one
            todo = store.missing()
            store.drop_finished_checkpoints(todo)
            if keys is not None:
                todo = [t for t in todo if h_key(t.h) in keys]
            if limit is not None:
                todo = todo[:limit]
            if todo:
                jobs = _jobs(store, todo)
                if client is None:
                    _run_local(store, jobs, workers or default_workers())
                else:
                    _run_dask(store, jobs, client)
            return store.status()
    finally:
        if own:
            client.close()
