"""Trotter error of the steady state without truncation: the fixed point of one Trotter step, exactly.

At N = 6 the vectorised state has 4**6 = 4096 entries, so one step of a
Suzuki-Trotter decomposition of exp(dt L) (TeNPy's sequence of even and odd
layers, ``TEBDEngine.suzuki_trotter_decomposition``) can be applied exactly,
layer by layer, without any truncation.  Its fixed point, found by power
iteration, differs from the exact steady state only by the splitting error.
Printed: the largest two-site-RDM error of that fixed point against
``steady_state_exact`` for each order and dt, at h = 1 and 6 (eps = 0.05, one
realisation).  This is why the fast solver needs no Richardson stage: at
dt = 0.4 the fourth-order fixed point is closer to the exact state than the
second-order one at dt = 0.1.

    python experiments/trotter_fixed_point.py      # a few minutes; appends to results_trotter.jsonl
"""
import json
import time
from pathlib import Path

import numpy as np
import scipy.linalg as la
import sys  # noqa: E402
from pathlib import Path as _Path  # noqa: E402

sys.path.insert(0, str(_Path(__file__).resolve().parents[1] / "benchmarks"))  # the shared _measure helpers
from _measure import commit, record  # noqa: E402
from tenpy.algorithms.tebd import TEBDEngine

from mbl_open.lindblad import draw_fields, paper_jumps, steady_state_exact
from mbl_open.lindblad.liouvillian import bond_liouvillians
from mbl_open.lindblad.spins import operator_from_pauli
from mbl_open.lindblad import Chain

N, EPS, SEED = 6, 0.05, (5, 2)
CASES = [(2, 0.1), (2, 0.05), ("4_opt", 0.2), ("4_opt", 0.3), ("4_opt", 0.4), ("4_opt", 0.5)]


def apply_layer(c, gates, parity):
    """Apply the gates of the bonds (b, b+1) with b % 2 == parity to the coefficient tensor ``c``."""
    for b in range(parity, N - 1, 2):
        c = np.moveaxis(np.tensordot(gates[b], np.moveaxis(c, (b, b + 1), (0, 1)).reshape(16, -1), axes=1)
                        .reshape((4, 4) + c.shape[:b] + c.shape[b + 2:]), (0, 1), (b, b + 1))
    return c


def fixed_point(L_bonds, order, dt, tol=1e-11, max_steps=200000):
    """Power iteration of one Trotter step (TeNPy's layer sequence for N_steps = 1)."""
    taus = TEBDEngine.suzuki_trotter_time_steps(order)
    seq = TEBDEngine.suzuki_trotter_decomposition(order, 1)
    gates = {j: [la.expm(taus[j] * dt * Lb).reshape(16, 16) for Lb in L_bonds] for j in {j for j, _ in seq}}
    c = np.zeros((4,) * N)
    c[(0,) * N] = 1.0
    for step in range(max_steps):
        new = c
        for j, parity in seq:
            new = apply_layer(new, gates[j], parity)
        new /= new[(0,) * N]
        if np.abs(new - c).max() < tol * dt:
            return new, step
        c = new
    raise RuntimeError("power iteration did not converge")


def rdms(c):
    """Two-site RDMs from the Pauli coefficients (all other sites traced: their identity component)."""
    T = []
    for i in range(N - 1):
        idx = [0] * N
        idx[i], idx[i + 1] = slice(None), slice(None)
        T.append(c[tuple(idx)].reshape(16))
    T = np.array(T)
    return operator_from_pauli(T) / (2.0 * T[:, :1, None])


def main():
    rows, start, head = [], time.strftime("%Y-%m-%d %H:%M:%S"), commit()
    for h in (1.0, 6.0):
        zz, zx = draw_fields(N, SEED)
        exact = steady_state_exact(Chain(N, h, zz, zx), EPS, paper_jumps(N)).rdms()
        L_bonds = bond_liouvillians(Chain(N, h, zz, zx), EPS, paper_jumps(N))
        for order, dt in CASES:
            t0 = time.perf_counter()
            c, steps = fixed_point(L_bonds, order, dt)
            err = float(np.abs(rdms(c) - exact).max())
            rows.append(dict(h=h, order=order, dt=dt, rdm_error=err, power_steps=steps,
                             wall_s=round(time.perf_counter() - t0, 1)))
            print(json.dumps(rows[-1]), flush=True)
    record(dict(part="trotter_fixed_point", N=N, eps=EPS, seed=list(SEED), rows=rows, started=start, commit=head),
           Path(__file__).parent / "results_trotter.jsonl")


if __name__ == "__main__":
    main()
