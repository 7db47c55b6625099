"""Disorder ensembles of the open spin chain: sweeps, the result store, executors, datasets.

The paper's main result (paper Eq. 9, paper Figs. 2, 3, 8-10) is a statistic over
hundreds of disorder realisations, each a TEBD steady state for a ladder of
``eps``.  This package runs such ensembles so that nothing finished is ever
lost and the same code path runs on a laptop or a Dask cluster.

Workflow
--------
::

    python -m mbl_open sweep sweeps/book_exact.yaml     # local processes, all cores
    python -m mbl_open sweep sweeps/paper.yaml --scheduler tcp://host:8786   # a Dask cluster
    python -m mbl_open status sweeps/book_exact.yaml    # done / missing / failed
    python -m mbl_open export sweeps/book_exact.yaml    # the compact dataset (data/*.json)

Modules of ensemble
-------------------
config
    ``SweepConfig`` (from YAML) and ``Task``: one realisation at one ``(N, h)``
    with its whole ``eps`` ladder and a seed fixed by ``(seed, N, h, r)``.
store
    ``ResultStore``: one checksummed JSON file per finished task, atomic
    writes, corrupted files quarantined and recomputed, parameter check,
    one writing process at a time (a lock that a dead holder cannot keep).
task
    ``run_task``: the steady states of one realisation and their local
    temperatures (what a worker executes).
executors
    ``run_sweep``: local worker processes or ``dask.distributed``.
dataset
    ``export_dataset`` / ``load_dataset``: the compact committed copy of a store
    (never replaced by one that holds fewer or other results without ``force``).

The statistics of the ensembles (z, P(h), h_c, nu) are in :mod:`mbl_open.critical`.
"""
from .config import SweepConfig, Task, load_config, make_config
from .dataset import DATA_DIR, DatasetReplaceError, Ensemble, book_dataset, ensemble_from_store, eps_index, export_dataset, load_dataset
from .executors import default_workers, run_sweep
from .store import CorruptResultWarning, ResultStore, StaleLockWarning, StoreBusyError, StoreMismatchError, StoreStatus
from .task import run_task

__all__ = [
    "DATA_DIR",
    "CorruptResultWarning",
    "DatasetReplaceError",
    "book_dataset",
    "Ensemble",
    "ResultStore",
    "StaleLockWarning",
    "StoreBusyError",
    "StoreMismatchError",
    "StoreStatus",
    "SweepConfig",
    "Task",
    "default_workers",
    "ensemble_from_store",
    "eps_index",
    "export_dataset",
    "load_config",
    "load_dataset",
    "make_config",
    "run_sweep",
    "run_task",
]
