"""The fast TEBD steady-state solver against the reference solver, side by side in one run.

``solver='reference'`` is second-order TEBD at dt = 0.1 and dt = 0.05 with
Richardson extrapolation and the block-rate stopping rule; ``solver='fast'``
is one fourth-order stage (TeNPy's ``'4_opt'``) at dt = 0.4 with the QR
engine and the exponential-tail stopping rule (``mbl_open.lindblad.options``).
Both start every eps of a ladder from the previous eps's state (same disorder).

Parts (``--part``; each prints one JSON line and appends it to ``--out``, which the chapters read):

accuracy
    N = 8, chi = 64, h in {1, 2, 6}, ladder eps = 0.1, 0.05, 0.02, one
    realisation per h: the largest two-site-RDM error against the exact solver
    and the relative error of dbeta/beta, for both solvers.  Target: the fast
    solver's RDM error at most the reference's (or at most 1e-4 where the
    reference is below that), and its dbeta/beta within 1e-3 (relative) of exact.
levers
    The fast solver with one option changed at a time (the QR engine against
    the SVD one, dt, the stopping rule, the window) at N = 8, chi = 64: h = 2
    over eps = 0.1, 0.05, 0.02 and h = 6 at eps = 0.1; error against exact,
    steps and time of each.
ladder8, ladder12
    Wall time of the ladder eps = 0.2, 0.1, 0.05, 0.03, 0.02, one realisation,
    h = 2, at N = 8, chi = 64 and at N = 12, chi = 48: both solvers, and the
    ratio (target: at least 5).
paper
    The paper's scale with the fast solver: N = 20, chi = 100, h = 2, ladder
    0.2 ... 0.01: wall time and steps per eps, peak memory, and the change of
    dbeta/beta between chi = 100 and chi = 140 at eps = 0.02 (the chi = 140 run
    starts from the chi = 100 steady state).  ``--checkpoint DIR`` makes it resumable.

``--reuse-reference`` (accuracy only) takes the reference solver's rows from the
newest matching record instead of recomputing them (they hold no timing).

Run one part per process (peak memory is per process), e.g.
``OPENBLAS_NUM_THREADS=1 python benchmarks/bench_steady_speed.py --part ladder8``.
"""
import argparse
import json
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
from _measure import commit, peak_rss_mb, record

from mbl_open.lindblad import (dbeta_over_beta, draw_fields, local_betas, paper_jumps, solve_steady_state,
                               steady_state_exact, solve_ladder, thermal_reference)
from mbl_open.lindblad.options import SOLVERS, tebd_options
from mbl_open.lindblad import Chain

SEED = (5, 2)  # disorder of every part: draw_fields(N, SEED)
LADDER = (0.2, 0.1, 0.05, 0.03, 0.02)


def run_ladder(N, chi, h, eps_values, solver, zz, zx, checkpoint=None):
    """One ladder; returns (wall seconds, results, per-eps rows)."""
    t0 = time.perf_counter()
    res = solve_ladder(Chain(N, h, zz, zx), eps_values, method="tebd", chi=chi, checkpoint=checkpoint, options=tebd_options(solver))
    wall = time.perf_counter() - t0
    rows = [dict(eps=r.params["eps"], steps=sum(d.steps for d in r.diagnostics),
                 eps_t=[round(d.eps * d.time, 3) for d in r.diagnostics],
                 stopped_by=[d.stopped_by for d in r.diagnostics],
                 wall_s=round(sum(d.wall_time for d in r.diagnostics), 2)) for r in res]
    return wall, res, rows


def reference_rows(path, N, chi):
    """The reference solver's rows of the newest accuracy record in ``path`` at this ``N``, ``chi`` and seed.

    Accuracy is deterministic (no timing in it), so the reference solver's
    errors, which take most of the part's time, can be re-used while the
    fast solver is tuned; the record then names the run they come from.
    """
    found = None
    for line in Path(path).read_text().splitlines():
        rec = json.loads(line)
        if (rec.get("part"), rec.get("N"), rec.get("chi"), rec.get("seed")) == ("accuracy", N, chi, list(SEED)):
            rows = [r for r in rec["rows"] if r["solver"] == "reference"]
            if rows:
                found = (rows, dict(started=rec.get("started"), commit=rec.get("commit")))
    if found is None:
        raise SystemExit(f"{path} has no accuracy record with the reference solver at N={N}, chi={chi}")
    return found


def part_accuracy(N=8, chi=64, hs=(1.0, 2.0, 6.0), eps_values=(0.1, 0.05, 0.02), reuse=None):
    rows, solvers, reused = [], ("reference", "fast"), None
    if reuse is not None:
        rows, reused = reference_rows(reuse, N, chi)
        solvers = ("fast",)
    for h in hs:
        zz, zx = draw_fields(N, SEED)
        ref = thermal_reference(Chain(N, h, zz, zx))
        exact = {e: steady_state_exact(Chain(N, h, zz, zx), e, paper_jumps(N)).rdms() for e in eps_values}
        O_exact = {e: dbeta_over_beta(local_betas(exact[e], Chain(N, h, zz, zx), reference=ref)) for e in eps_values}
        for solver in solvers:
            wall, res, per_eps = run_ladder(N, chi, h, eps_values, solver, zz, zx)
            for r, row in zip(res, per_eps):
                e = row["eps"]
                O = dbeta_over_beta(local_betas(r.rdms, Chain(N, h, zz, zx), reference=ref))
                row.update(h=h, solver=solver, rdm_error=float(np.abs(r.rdms - exact[e]).max()),
                           dbeta_rel_error=float(abs(O - O_exact[e]) / O_exact[e]))
                rows.append(row)
                print(json.dumps(row), flush=True)
    verdict = []
    for h in hs:
        for e in eps_values:
            r = next(x for x in rows if x["h"] == h and x["eps"] == e and x["solver"] == "reference")
            f = next(x for x in rows if x["h"] == h and x["eps"] == e and x["solver"] == "fast")
            ok = f["rdm_error"] <= max(r["rdm_error"], 1e-4) and f["dbeta_rel_error"] <= 1e-3
            verdict.append(dict(h=h, eps=e, reference=r["rdm_error"], fast=f["rdm_error"],
                                fast_dbeta_rel_error=f["dbeta_rel_error"], met=bool(ok)))
    return dict(part="accuracy", N=N, chi=chi, seed=list(SEED), rows=rows, targets=verdict,
                all_met=all(v["met"] for v in verdict), reference_rows_from=reused)


def part_ladder(N, chi, h=2.0):
    zz, zx = draw_fields(N, SEED)
    out = dict(part=f"ladder{N}", N=N, chi=chi, h=h, eps=list(LADDER), seed=list(SEED))
    for solver in ("reference", "fast"):
        wall, _, rows = run_ladder(N, chi, h, LADDER, solver, zz, zx)
        out[solver] = dict(wall_s=round(wall, 1), per_eps=rows)
        print(json.dumps({solver: out[solver]}), flush=True)
    out["ratio"] = out["reference"]["wall_s"] / out["fast"]["wall_s"]
    out["target"] = 5.0
    return out


#: Variants of the fast solver, one option changed each (``part_levers``).
LEVERS = {
    "fast": {},
    "svd engine": dict(engine="svd"),
    "dt = 0.3": dict(dt=0.3),
    "drift rule": dict(tail_tol=None, drift_tol=5e-5),
    "window 0.5": dict(window=0.5, check_every=0.125),
}


def part_levers(N=8, chi=64, cases=((2.0, (0.1, 0.05, 0.02)), (6.0, (0.1,)))):
    """The fast solver with one option changed at a time: RDM error against exact, steps and time."""
    rows = []
    for h, eps_values in cases:
        zz, zx = draw_fields(N, SEED)
        exact = {e: steady_state_exact(Chain(N, h, zz, zx), e, paper_jumps(N)).rdms() for e in eps_values}
        for name, change in LEVERS.items():
            wall, res, per_eps = run_ladder(N, chi, h, eps_values, tebd_options("fast", **change), zz, zx)
            for r, row in zip(res, per_eps):
                row.update(h=h, lever=name, rdm_error=float(np.abs(r.rdms - exact[row["eps"]]).max()))
                rows.append(row)
                print(json.dumps(row), flush=True)
    return dict(part="levers", N=N, chi=chi, seed=list(SEED), levers=LEVERS, rows=rows)


def part_paper(N=20, chi=100, h=2.0, eps_values=(0.2, 0.1, 0.05, 0.03, 0.02, 0.01), chi_check=140, eps_check=0.02,
               checkpoint=None):
    """The fast solver at the paper's scale; the chi check starts from the chi = 100 state at ``eps_check``.

    With ``checkpoint`` (a directory) an interrupted run resumes; the recorded
    times are then the sums over the sessions (each run's own ``wall_time``).
    """
    zz, zx = draw_fields(N, SEED)
    ckpt = None if checkpoint is None else Path(checkpoint)
    _, res, rows = run_ladder(N, chi, h, eps_values, "fast", zz, zx, checkpoint=ckpt)
    ref = thermal_reference(Chain(N, h, zz, zx))
    O = {r.params["eps"]: dbeta_over_beta(local_betas(r.rdms, Chain(N, h, zz, zx), reference=ref)) for r in res}
    print(json.dumps(dict(per_eps=rows)), flush=True)
    start = next(r for r in res if r.params["eps"] == eps_check)
    check = solve_steady_state(Chain(N, h, zz, zx), eps_check, chi=chi_check, psi0=start.psi, checkpoint=None if ckpt is None else ckpt / f"chi{chi_check}", options=tebd_options("fast"))
    d = check.diagnostics[-1]
    O_check = dbeta_over_beta(local_betas(check.rdms, Chain(N, h, zz, zx), reference=ref))
    return dict(part="paper", N=N, chi=chi, h=h, seed=list(SEED), eps=list(eps_values),
                wall_s=round(sum(r["wall_s"] for r in rows), 1), per_eps=rows,
                dbeta_over_beta={str(k): v for k, v in O.items()}, goal_s=1800.0,
                chi_check=chi_check, eps_check=eps_check, wall_check_s=round(d.wall_time, 1), steps_check=d.steps,
                dbeta_over_beta_check=O_check, dbeta_rel_change_chi=float(abs(O_check - O[eps_check]) / O[eps_check]))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--part", choices=["accuracy", "levers", "ladder8", "ladder12", "paper"], required=True)
    ap.add_argument("--out", default="benchmarks/results_steady_speed.jsonl")
    ap.add_argument("--checkpoint", help="paper: a directory of checkpoints, so that an interrupted run resumes")
    ap.add_argument("--reuse-reference", action="store_true",
                    help="accuracy: take the reference solver's rows from the newest matching record in --out")
    args = ap.parse_args()
    start, head = time.strftime("%Y-%m-%d %H:%M:%S"), commit()  # the code that runs, not HEAD at the end
    if args.part == "accuracy":
        res = part_accuracy(reuse=args.out if args.reuse_reference else None)
    elif args.part == "levers":
        res = part_levers()
    elif args.part == "ladder8":
        res = part_ladder(8, 64)
    elif args.part == "ladder12":
        res = part_ladder(12, 48)
    else:
        res = part_paper(checkpoint=args.checkpoint)
    res.update(started=start, commit=head, peak_rss_mb=peak_rss_mb(),
               options={name: asdict(tebd_options(name)) for name in SOLVERS})
    record(res, args.out)


if __name__ == "__main__":
    main()
