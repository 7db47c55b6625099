"""Is a sweep's bond dimension large enough?  dbeta/beta at its smallest eps at chi and at 1.5 chi.

The check runs on the sweep's own disorder (the tasks' seeds) and solver: the
eps ladder at the sweep's chi, then, warm-started from that state, the
smallest eps again at ``1.5 chi`` for at least ``eps t = 4`` (the difference
of the two fixed points relaxes as ``exp(-lambda eps t)`` with ``lambda``
about 1, so at most a few per cent of it is left).  Printed and appended to
``experiments/results_chi_check.jsonl``: dbeta/beta at both chi, their
difference, and the wall times.

    python experiments/chi_check.py sweeps/tebd_n12.yaml --h 1 4 --realisations 2
"""
import argparse
import json
import time
from pathlib import Path

import sys  # noqa: E402
from pathlib import Path as _Path  # noqa: E402

sys.path.insert(0, str(_Path(__file__).resolve().parents[1] / "benchmarks"))  # the shared _measure helpers
from _measure import commit, peak_rss_mb, record  # noqa: E402

from mbl_open.ensemble import load_config
from mbl_open.lindblad import Chain, dbeta_over_beta, fit_betas, solve_ladder, solve_steady_state, thermal_reference


def check(task, factor=1.5, min_eps_t=4.0):
    N, h = task.N, task.h
    chain = Chain.draw(N, h, task.r, seed=task.seed[0])
    options = task.options  # the options object the task's record stands for
    t0 = time.perf_counter()
    ladder = solve_ladder(chain, task.eps, method="tebd", options=options, chi=task.chi, sign=task.sign)
    wall = time.perf_counter() - t0
    eps = ladder[-1].params["eps"]
    chi_big = int(round(factor * task.chi))
    t0 = time.perf_counter()
    big = solve_steady_state(chain, eps, method="tebd", chi=chi_big, sign=task.sign, psi0=ladder[-1].psi,
                             options=options.replace(min_eps_t=max(min_eps_t, options.min_eps_t)))
    wall_big = time.perf_counter() - t0
    ref = thermal_reference(chain, **task.thermometry)
    O, O_big = (dbeta_over_beta(fit_betas(s.rdms, ref)) for s in (ladder[-1], big))
    return dict(N=N, h=h, r=task.r, eps=eps, chi=task.chi, chi_check=chi_big, dbeta_over_beta=O,
                dbeta_over_beta_check=O_big, abs_change=abs(O_big - O), rel_change=abs(O_big - O) / abs(O_big),
                wall_ladder_s=round(wall, 1), wall_check_s=round(wall_big, 1),
                stopped_by=[d.stopped_by for d in big.diagnostics])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("config", help="sweep YAML")
    ap.add_argument("--h", type=float, nargs="+", required=True, help="disorder strengths to check")
    ap.add_argument("--realisations", type=int, default=2, help="first realisations of each h")
    ap.add_argument("--out", default=str(Path(__file__).parent / "results_chi_check.jsonl"))
    args = ap.parse_args()
    cfg = load_config(args.config)
    if cfg.method != "tebd":
        raise SystemExit(f"{args.config}: the check is for TEBD sweeps, this one is {cfg.method!r}")
    unknown = sorted(set(args.h) - set(cfg.h))
    if unknown:
        raise SystemExit(f"--h {unknown} not in the sweep's h = {list(cfg.h)}")
    tasks = [t for t in cfg.tasks() if t.h in args.h and t.r < args.realisations]
    start, head, rows = time.strftime("%Y-%m-%d %H:%M:%S"), commit(), []
    for task in tasks:
        rows.append(check(task))
        print(json.dumps(rows[-1]), flush=True)
    record(dict(part="chi_check", config=str(args.config), solver=dict(cfg.solver), rows=rows, started=start, commit=head,
                peak_rss_mb=peak_rss_mb(), max_abs_change=max(r["abs_change"] for r in rows)), args.out)


if __name__ == "__main__":
    main()
