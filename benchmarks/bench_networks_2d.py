"""Benchmark: the whole Fig. 4 sweep (2D thermal network, 100 x 100, 500 configurations).

Paper parameters: alpha in {0.15, 0.2, 0.3, 0.5, 1.0}, 10 values of eps in
[1e-3, 1e-1]; prints the wall time (target <= 10 minutes), the time per
lattice solve and the peak memory (tracemalloc).  ``--configs M`` runs a
smaller ensemble (the wall time scales linearly in M).
"""
import argparse
import os

import numpy as np
from _measure import timed_with_peak

os.environ.setdefault("MBL_OPEN_NO_PROGRESS", "1")
from mbl_open import resistor_networks as rn  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--configs", type=int, default=500)
args = parser.parse_args()

N, M = 100, args.configs
ALPHAS = [0.15, 0.2, 0.3, 0.5, 1.0]
EPS = np.geomspace(1e-3, 1e-1, 10)

wall, peak_mb = timed_with_peak(lambda: [rn.thermal_fluctuations(EPS, a, d=2, N=N, M=M, seed=0) for a in ALPHAS])
solves = len(ALPHAS) * EPS.size * M
print(f"Fig. 4 sweep: {N} x {N}, M={M}, {len(ALPHAS)} alphas x {EPS.size} eps = {solves} lattice solves")
print(f"  wall time         : {wall:8.1f} s (target <= 600 s at M=500)")
print(f"  per lattice solve : {1e3 * wall / solves:8.2f} ms")
print(f"  peak memory       : {peak_mb:8.0f} MB (tracemalloc)")
