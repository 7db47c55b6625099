"""Benchmark: the Fourier-space lattice solver of mbl_open.fracdiff (`make bench`).

Measures, in one run on the same inputs,
  (a) `lattice_variance`: one FFT per disorder sample, every eps from the power
      spectrum (Parseval), batched over samples;
  (b) the direct route: for every sample and every eps, `solve_lattice` back to
      real space and `numpy.var`;
and prints both wall times, their ratio and the peak memory of (a).
"""
import os
import resource
import time

import numpy as np

os.environ.setdefault("MBL_OPEN_NO_PROGRESS", "1")
from mbl_open import fracdiff  # noqa: E402

L, M, z, n_eps, seed = 65536, 64, 3.0, 31, 1
eps = np.geomspace(1e-9, 1.0, n_eps)

t0 = time.perf_counter()
var_fast, _ = fracdiff.lattice_variance(eps, z, 1, L=L, M=M, seed=seed)
t_fast = time.perf_counter() - t0
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

t0 = time.perf_counter()
fields = np.random.default_rng(seed).normal(0.0, 1.0, size=(M, L))
var_direct = np.array([np.mean([np.var(fracdiff.solve_lattice(f, e, z)) for f in fields]) for e in eps])
t_direct = time.perf_counter() - t0

assert np.allclose(var_fast, var_direct, rtol=1e-9), "the two routes disagree"
print(f"1D lattice, L={L}, M={M} samples, {n_eps} eps values")
print(f"  batched Parseval route : {t_fast:8.3f} s")
print(f"  per-sample per-eps FFTs: {t_direct:8.3f} s")
print(f"  speed-up               : {t_direct / t_fast:8.1f} x")
print(f"  peak memory (process)  : {peak_mb:8.0f} MB")
