"""Infrastructure that the physics and the book lean on; nothing here knows any physics.

_validate, _threads
    Argument checks that name the parameter and its range; single-threaded BLAS for worker processes.
limits
    Size and time limits, read in one place (each can be raised by an environment variable).
paths
    Where the book's files are (``data/``, ``book/``, ``benchmarks/``, ``experiments/``);
    ``MBL_OPEN_ROOT`` and ``MBL_OPEN_DATA_DIR`` point elsewhere.
progress
    The one tqdm wrapper (silenced by ``MBL_OPEN_NO_PROGRESS=1``).
results
    Atomic writes of a run's data.
"""
