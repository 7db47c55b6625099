"""Benchmarks of the Lindblad TEBD solver (reference solver: step cost, steady states, crossover).

Parts (``--part``; each prints one JSON line and appends it to ``--out``):

step
    One full second-order TEBD step at N=20, chi=100 (state grown until the
    central bonds hold chi=100) against the summed time of the SVDs it performs,
    timed inside the same step by wrapping TeNPy's LAPACK SVD call.  Target:
    ratio <= 1.5.
steady20, steady12
    Wall time to the steady state of one realisation (default solver options,
    Richardson extrapolation included) at N=20, chi=100, eps=0.05, h=2 and at
    N=12, chi=48, eps=0.02, h=2; peak resident memory of the process.
crossover
    Exact solver against TEBD (chi=64) for N = 4 ... 9 at eps=0.1, h=2: wall
    times, and the N from which TEBD is faster (extrapolating the exact
    solver's exponential growth beyond the largest N it can hold).

Run one part per process (peak memory is per process), e.g.
``OPENBLAS_NUM_THREADS=1 python benchmarks/bench_lindblad.py --part step``.
"""
import argparse
import json
import time

import numpy as np
from _measure import peak_rss_mb, record

from mbl_open.lindblad import draw_fields, paper_jumps, solve_steady_state
from mbl_open.lindblad.liouvillian import bond_liouvillians
from mbl_open.lindblad import tebd
from mbl_open.lindblad import Chain


def part_step(N=20, chi=100, repeats=5):
    import tenpy.linalg.np_conserved as npc_mod

    zz, zx = draw_fields(N, (5, 2))
    Lb = bond_liouvillians(Chain(N, 2.0, zz, zx), 0.05, paper_jumps(N))
    Model, Engine = tebd._lindblad_model_class(), tebd._lindblad_engine_class()
    psi = tebd.infinite_temperature_mps(N)
    eng = Engine(psi, Model(Lb), {"order": 2, "dt": 0.1, "N_steps": 1, "preserve_norm": False,
                                  "trunc_params": {"chi_max": chi, "svd_min": 1e-12}})
    grow = 0
    while min(psi.chi[N // 2 - 3:N // 2 + 3]) < chi and grow < 200:
        eng.run()
        grow += 1
    svd_time = [0.0]
    orig = npc_mod.svd_flat

    def timed_svd(*args, **kwargs):
        t0 = time.perf_counter()
        out = orig(*args, **kwargs)
        svd_time[0] += time.perf_counter() - t0
        return out

    npc_mod.svd_flat = timed_svd
    ratios, walls, svds = [], [], []
    try:
        for _ in range(repeats):
            svd_time[0] = 0.0
            t0 = time.perf_counter()
            eng.run()  # N_steps=1: half step on one sublattice, full on the other, half again
            wall = time.perf_counter() - t0
            walls.append(wall)
            svds.append(svd_time[0])
            ratios.append(wall / svd_time[0])
    finally:
        npc_mod.svd_flat = orig
    return dict(part="step", N=N, chi=chi, growth_steps=grow, chi_profile=list(map(int, psi.chi)),
                step_wall_s=walls, svd_s=svds, ratio=ratios, ratio_median=float(np.median(ratios)),
                target=1.5, peak_rss_mb=peak_rss_mb())


def part_steady(N, chi, eps, h=2.0):
    zz, zx = draw_fields(N, (5, 2))
    t0 = time.perf_counter()
    res = solve_steady_state(Chain(N, h, zz, zx), eps, method="tebd", chi=chi)
    wall = time.perf_counter() - t0
    diags = [dict(dt=d.dt, steps=d.steps, eps_t=d.eps * d.time, wall_s=d.wall_time, max_chi=d.max_chi,
                  truncation_error=d.truncation_error, trace_drift=d.trace_drift, converged=d.converged)
             for d in res.diagnostics]
    return dict(part=f"steady{N}", N=N, chi=chi, eps=eps, h=h, wall_s=wall, stages=diags, peak_rss_mb=peak_rss_mb())


def part_crossover(Ns=(4, 5, 6, 7, 8, 9), eps=0.1, h=2.0, chi=64, tebd_max_n=8):
    rows = []
    for N in Ns:
        zz, zx = draw_fields(N, (5, 2))
        row = dict(N=N)
        t0 = time.perf_counter()
        ex = solve_steady_state(Chain(N, h, zz, zx), eps, method="exact") if N <= 9 else None
        row["exact_s"] = time.perf_counter() - t0
        if N <= tebd_max_n:
            t0 = time.perf_counter()
            tb = solve_steady_state(Chain(N, h, zz, zx), eps, method="tebd", chi=chi)
            row["tebd_s"] = time.perf_counter() - t0
            row["max_abs_diff"] = float(np.abs(tb.rdms - ex.rdms).max())
        rows.append(row)
        print(json.dumps(row), flush=True)
    Nx = np.array([r["N"] for r in rows if r["N"] >= 6], float)
    tx = np.array([r["exact_s"] for r in rows if r["N"] >= 6])
    slope, icpt = np.polyfit(Nx, np.log(tx), 1)  # exact: t ~ exp(slope N)
    Nt = np.array([r["N"] for r in rows if "tebd_s" in r and r["N"] >= 5], float)
    tt = np.array([r["tebd_s"] for r in rows if "tebd_s" in r and r["N"] >= 5])
    a, b = np.polyfit(Nt, tt, 1)  # TEBD: t ~ a N + b at fixed chi (once chi saturates)
    grid = np.arange(int(max(r["N"] for r in rows)) + 1, 40)  # beyond what was measured
    measured = [r["N"] for r in rows if "tebd_s" in r and r["tebd_s"] < r["exact_s"]]
    faster = np.array(measured) if measured else grid[np.exp(icpt + slope * grid) > a * grid + b]
    return dict(part="crossover", eps=eps, h=h, chi=chi, rows=rows, exact_growth_per_site=float(np.exp(slope)),
                tebd_linear_fit=[float(a), float(b)], tebd_faster_from_N=int(faster[0]) if faster.size else None,
                peak_rss_mb=peak_rss_mb())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--part", choices=["step", "steady20", "steady12", "crossover"], required=True)
    ap.add_argument("--out", default="benchmarks/results_lindblad.jsonl")
    args = ap.parse_args()
    if args.part == "step":
        res = part_step()
    elif args.part == "steady20":
        res = part_steady(20, 100, 0.05)
    elif args.part == "steady12":
        res = part_steady(12, 48, 0.02)
    else:
        res = part_crossover()
    record(res, args.out)


if __name__ == "__main__":
    main()
