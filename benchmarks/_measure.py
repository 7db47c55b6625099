"""Shared helper of the benchmark scripts: wall time and peak memory of one call."""
import time
import tracemalloc


def timed_with_peak(fn):
    """Run ``fn()`` once under tracemalloc; return (wall seconds, peak MB of traced allocations)."""
    tracemalloc.start()
    t0 = time.perf_counter()
    fn()
    wall = time.perf_counter() - t0
    peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return wall, peak_mb


def peak_rss_mb():
    """Peak resident memory of this process so far, in MB."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def record(result: dict, out) -> None:
    """Print one benchmark result as a JSON line and append it to the results file ``out``."""
    import json
    from pathlib import Path

    line = json.dumps(result)
    print(line, flush=True)
    with open(Path(out), "a") as fh:
        fh.write(line + "\n")


def commit():
    """Short hash of the checked-out commit, ``+dirty`` with uncommitted changes (call it when a run
    starts: that is the code that runs)."""
    from mbl_open.ensemble.task import package_commit

    full = package_commit()
    return full.split("+")[0][:10] + ("+dirty" if full.endswith("+dirty") else "")
