"""Benchmark: the charge-transport sweeps of Figs. 5 and 6 (`make bench`).

Fig. 5: 1D, N = 2000, M = 500 configurations, alpha in {0.05, 0.2, 0.3, 0.5, 3.0},
13 eps in [1e-4, 1e-1]; the batched series formula against a loop of
per-configuration ``scipy.sparse.linalg.spsolve`` Kirchhoff solves on the same
inputs (target <= 2 s).  Fig. 6: 2D, 100 x 100, alpha in {0.05, 0.3, 0.5, 1.0, 3.0},
8 eps in [0.01, 0.8], ``--configs`` configurations (default 500; target <= 5 min).
Peak memory by tracemalloc in a separate pass.
"""
import argparse
import os
import time
import tracemalloc

import numpy as np
from scipy import sparse
from scipy.sparse.linalg import spsolve
from _measure import timed_with_peak

os.environ.setdefault("MBL_OPEN_NO_PROGRESS", "1")
from mbl_open import resistor_networks as rn  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--configs", type=int, default=500, help="configurations of the 2D sweep")
args = parser.parse_args()

N1, M1 = 2000, 500
ALPHAS_1D = [0.05, 0.2, 0.3, 0.5, 3.0]
EPS_1D = np.geomspace(1e-4, 1e-1, 13)

t0 = time.perf_counter()
fast = {a: rn.current_samples(EPS_1D, a, N=N1, M=M1) for a in ALPHAS_1D}
t_fast = time.perf_counter() - t0
tracemalloc.start()
for a in ALPHAS_1D:
    rn.charge_current(EPS_1D, a, N=N1, M=M1)
peak_1d = tracemalloc.get_traced_memory()[1] / 2**20
tracemalloc.stop()

dis = rn.draw_disorder(N=N1, M=M1)
V = 0.1 * N1
t0 = time.perf_counter()
worst = 0.0
for a in ALPHAS_1D:
    (l,) = dis.lengths(a)
    G = rn.conductance(l, EPS_1D)  # absolute conductances, (n_eps, M, N-1)
    for e in range(EPS_1D.size):
        for m in range(M1):
            k = G[e, m]
            main = k[:-1] + k[1:]
            A = sparse.diags([-k[1:-1], main, -k[1:-1]], [-1, 0, 1], format="csc")
            rhs = np.zeros(N1 - 2)
            rhs[0] = k[0] * V
            mu = spsolve(A, rhs)
            j = k[-1] * mu[-1]
            worst = max(worst, abs(j / fast[a][e, m] - 1))
t_slow = time.perf_counter() - t0
print(f"Fig. 5 sweep: N={N1}, M={M1}, {len(ALPHAS_1D)} alphas x {EPS_1D.size} eps")
print(f"  batched series formula (mbl_open): {t_fast:8.2f} s (target <= 2 s)")
print(f"  spsolve Kirchhoff per configuration: {t_slow:8.2f} s")
print(f"  speed-up                          : {t_slow / t_fast:8.1f} x")
print(f"  peak memory                       : {peak_1d:8.0f} MB (tracemalloc)")
print(f"  max relative difference           : {worst:8.1e}")

N2, M2 = 100, args.configs
ALPHAS_2D = [0.05, 0.3, 0.5, 1.0, 3.0]
EPS_2D = np.linspace(0.01, 0.8, 8)
t_2d, peak_2d = timed_with_peak(lambda: [rn.charge_current(EPS_2D, a, d=2, N=N2, M=M2) for a in ALPHAS_2D])
solves = len(ALPHAS_2D) * EPS_2D.size * M2
print(f"Fig. 6 sweep: {N2} x {N2}, M={M2}, {len(ALPHAS_2D)} alphas x {EPS_2D.size} eps = {solves} lattice solves")
print(f"  wall time        : {t_2d:8.1f} s (target <= 300 s at M=500)")
print(f"  per lattice solve: {1e3 * t_2d / solves:8.2f} ms")
print(f"  peak memory      : {peak_2d:8.0f} MB (tracemalloc)")
