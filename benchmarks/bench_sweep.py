"""Benchmark of the local sweep executor: does it keep every core busy?

The same tasks (TEBD steady states of small chains, a few seconds each) run
into two fresh stores, first with one worker process and then with all
cores; the ratio of wall times is the speed-up (target: >= 1.8 on 2 cores).
Both stores must hold identical results.  One JSON line is printed and
appended to ``--out``.

Run on an otherwise idle machine::

    python benchmarks/bench_sweep.py
"""
import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from mbl_open.ensemble import ResultStore, default_workers, make_config, run_sweep

SWEEP = dict(N=6, h=[1.0, 3.0, 5.0, 8.0], eps=[0.4, 0.2], realisations=2, method="tebd", chi=16, seed=3,
             solver={"richardson": False}, checkpoints=False)


def timed_sweep(root: Path, workers: int):
    cfg = make_config(dict(SWEEP, store=str(root / f"w{workers}")))
    t0 = time.perf_counter()
    status = run_sweep(cfg, workers=workers)
    wall = time.perf_counter() - t0
    assert status.done == status.total and not status.failed, status
    return cfg, wall


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="benchmarks/results_sweep.jsonl")
    args = ap.parse_args()
    os.environ.setdefault("MBL_OPEN_NO_PROGRESS", "1")
    n = default_workers()
    with tempfile.TemporaryDirectory() as tmp:
        cfg1, t1 = timed_sweep(Path(tmp), 1)
        cfgn, tn = timed_sweep(Path(tmp), n)
        same = ResultStore(cfg1).digests() == ResultStore(cfgn).digests()
        cpu = sum(p["cpu_time"] for p in ResultStore(cfg1).load().values())
    row = dict(benchmark="sweep_local_executor", tasks=len(cfg1.tasks()), cpu_time_per_task=cpu / len(cfg1.tasks()),
               wall_1_worker=t1, workers=n, wall_n_workers=tn, speedup=t1 / tn, identical_stores=same,
               target_speedup=1.8, date=time.strftime("%Y-%m-%d"))
    print(json.dumps(row))
    with open(args.out, "a") as fh:
        fh.write(json.dumps(row) + "\n")
    if not same:
        raise SystemExit("the two stores differ")


if __name__ == "__main__":
    main()
