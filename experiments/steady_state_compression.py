"""How well can a bond dimension chi represent the exact steady state?

Takes the exact steady state of the acceptance case (N = 8, h = 1, eps = 0.05,
disorder seed (2026, 1)), writes it in the real Pauli basis with the TEBD
solver's identity weight, compresses it to an MPS of bond dimension chi by
left-to-right truncated SVDs, and prints the largest error of the two-site RDMs.
Compare with the TEBD error at the same chi (``projected_dynamics_floor.py
--tebd``, and the acceptance test in tests/test_tebd.py): a small compression error means the TEBD gap comes from the fixed point
of the truncated dynamics, not from what chi can represent.

Usage: python experiments/steady_state_compression.py [--chi 32 64 128] [--weight 1 2 3]

Each result is appended to ``experiments/results_floor.jsonl`` (part
``compression``), which the convergence chapter reads.
"""
import argparse
import datetime
from pathlib import Path

import numpy as np

import sys  # noqa: E402
from pathlib import Path as _Path  # noqa: E402

sys.path.insert(0, str(_Path(__file__).resolve().parents[1] / "benchmarks"))  # the shared _measure helpers
from _measure import commit, record  # noqa: E402

from mbl_open import lindblad as lb
from mbl_open.lindblad.spins import PAULI_BASIS, operator_from_pauli


def pauli_tensor(rho, N):
    """Coefficients c[a_1..a_N] = Tr(P_a1 x ... x P_aN rho), shape (4,)*N, real."""
    R = rho.reshape([2] * (2 * N)).transpose([x for k in range(N) for x in (k, N + k)]).reshape([4] * N)
    Q = np.array([[PAULI_BASIS[a][j, i] for i in range(2) for j in range(2)] for a in range(4)])
    for k in range(N):
        R = np.moveaxis(np.tensordot(Q, R, axes=([1], [k])), 0, k)
    return R.real


def rho_from_pauli(c):
    """Inverse of :func:`pauli_tensor`: rho = sum_a c_a P_a1 x ... x P_aN, shape (2**N, 2**N)."""
    N = c.ndim
    P = np.array(PAULI_BASIS)
    X = c.astype(complex)
    for _ in range(N):
        X = np.tensordot(X, P, axes=([0], [0]))  # consumes the leading site, appends (i_k, j_k)
    order = [2 * k for k in range(N)] + [2 * k + 1 for k in range(N)]
    return X.reshape([2, 2] * N).transpose(order).reshape(2**N, 2**N)


def scale_sites(c, w):
    for k in range(c.ndim):
        shape = [1] * c.ndim
        shape[k] = 4
        c = c * w.reshape(shape)
    return c


def compress(c, chi):
    """Left-to-right truncated SVDs to bond dimension chi; returns the reconstructed tensor."""
    N = c.ndim
    rest, left, out = c.reshape(1, -1), 1, None
    for _ in range(N - 1):
        U, s, Vh = np.linalg.svd(rest.reshape(left * 4, -1), full_matrices=False)
        k = min(chi, int(np.sum(s > 1e-14 * s[0])))
        A = U[:, :k].reshape(left, 4, k)
        out = A if out is None else np.tensordot(out, A, axes=([-1], [0]))
        rest, left = s[:k, None] * Vh[:k], k
    out = np.tensordot(out, rest.reshape(left, 4), axes=([-1], [0]))
    return out.reshape([4] * N)


def rdms_from_pauli(c):
    N = c.ndim
    out = []
    for k in range(N - 1):
        idx = tuple(slice(None) if m in (k, k + 1) else 0 for m in range(N))
        r = operator_from_pauli(c[idx].reshape(16) * np.sqrt(2.0) ** (N - 2))
        out.append(r / np.trace(r).real)
    return np.array(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chi", type=int, nargs="+", default=[32, 48, 64, 96, 128])
    ap.add_argument("--weight", type=float, nargs="+", default=[1.0, 2.0, 3.0])
    ap.add_argument("--out", default=str(Path(__file__).with_name("results_floor.jsonl")))
    args = ap.parse_args()
    started, code = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"), commit()
    N, h, eps = 8, 1.0, 0.05
    zz, zx = lb.draw_fields(N, (2026, int(h)))
    rho = lb.steady_state_exact(lb.Chain(N, h, zz, zx), eps, lb.paper_jumps(N)).rho
    exact = lb.rdms_from_rho(rho)
    c = pauli_tensor(rho, N)
    assert np.abs(rdms_from_pauli(c) - exact).max() < 1e-12
    assert np.abs(rho_from_pauli(c) - rho).max() < 1e-14
    for w0 in args.weight:
        w = np.array([w0, 1.0, 1.0, 1.0])
        for chi in args.chi:
            cc = scale_sites(compress(scale_sites(c, w), chi), 1.0 / w)
            err = float(np.abs(rdms_from_pauli(cc) - exact).max())
            print(f"identity weight {w0:g}, chi = {chi:3d}: max RDM error of the compressed exact state {err:.2e}")
            record(dict(part="compression", N=N, h=h, eps=eps, seed=[2026, int(h)], chi=chi, weight=w0,
                        max_rdm_error=err, started=started, commit=code), args.out)


if __name__ == "__main__":
    main()
