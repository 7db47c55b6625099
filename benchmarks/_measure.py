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
