"""The eps -> 0 rate equation: transition rates from shared local overlaps against V^H L V jump by jump.

Both are timed side by side in one run on the same chain (this machine is noisy), single-threaded BLAS,
and the rates must agree to 1e-10 relative.  Appends its figures to benchmarks/results_rate_equation.jsonl.

    python benchmarks/bench_rate_equation.py [--N 10] [--repeats 3]
"""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import scipy.linalg as la  # noqa: E402

from _measure import commit, record  # noqa: E402
from mbl_open.lindblad import Chain  # noqa: E402
from mbl_open.lindblad.model import hamiltonian  # noqa: E402
from mbl_open.lindblad.rate_equation import transition_rates  # noqa: E402
from mbl_open.lindblad.spins import embed  # noqa: E402


def jump_by_jump(V, jumps, N):
    W = np.zeros((2**N, 2**N))
    for j in jumps:
        L = embed(j.op, j.first, N)
        W += j.rate * np.abs(V.conj().T @ (L @ V)) ** 2
    np.fill_diagonal(W, 0.0)
    return W


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--N", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    started, run_commit = time.strftime("%Y-%m-%d"), commit()
    chain = Chain.draw(args.N, 4.0, 0, seed=1212)
    _, V = la.eigh(hamiltonian(chain).toarray())
    jumps = chain.jumps("-+")
    times = {"jump_by_jump": [], "shared_overlaps": []}
    for _ in range(args.repeats):
        for name, fn in (("jump_by_jump", jump_by_jump), ("shared_overlaps", transition_rates)):
            t0 = time.perf_counter()
            W = fn(V, jumps, args.N)
            times[name].append(time.perf_counter() - t0)
            if name == "jump_by_jump":
                ref = W
    err = float(np.abs(W - ref).max() / np.abs(ref).max())
    best = {k: min(v) for k, v in times.items()}
    ratio = best["jump_by_jump"] / best["shared_overlaps"]
    print(f"N = {args.N}, {len(jumps)} jumps: jump by jump {best['jump_by_jump']:.2f} s, shared overlaps "
          f"{best['shared_overlaps']:.2f} s, {ratio:.2f}x; largest relative difference {err:.1e}")
    if err > 1e-10:  # the diagonal jumps use the completeness of V: rounding of order 1e-12
        raise SystemExit(f"the two rate matrices differ by {err:.1e}")
    record(dict(part="transition_rates", N=args.N, n_jumps=len(jumps), seconds=best, speedup=ratio,
                max_rel_diff=err, started=started, commit=run_commit),
           Path(__file__).with_name("results_rate_equation.jsonl"))


if __name__ == "__main__":
    main()
