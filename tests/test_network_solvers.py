"""Tests of mbl_open.resistor_networks.solvers: chain and lattice solvers against sparse LU, extreme conductances."""
import numpy as np
import pytest
from scipy import sparse
from scipy.sparse.linalg import spsolve

from mbl_open import resistor_networks as rn

from _helpers import chain_matrix


def test_chain_solver_matches_sparse_lu_on_random_chains():
    rng = np.random.default_rng(0)
    K = rng.exponential(1.0, (5, 99)) * 10 ** rng.uniform(-3, 3, (5, 99))
    g = rng.uniform(0.5, 1.5, (5, 100))
    b = rng.normal(size=(5, 100))
    x = rn.solve_chain(K, g, b)
    for m in range(5):
        np.testing.assert_allclose(x[m], spsolve(chain_matrix(K[m], g[m]), b[m]), rtol=1e-10, atol=1e-12)


def test_chain_solver_broadcasts_batches():
    rng = np.random.default_rng(1)
    K = rng.exponential(1.0, (3, 4, 9))
    g, b = rng.uniform(0.5, 1.5, (4, 10)), rng.normal(size=(4, 10))
    x = rn.solve_chain(K, g, b)
    assert x.shape == (3, 4, 10)
    np.testing.assert_allclose(x[2, 1], rn.solve_chain(K[2, 1], g[1], b[1]), rtol=1e-14)


def test_uniform_chain_decays_exponentially_from_a_point_source():
    """Uniform K and g: x_i ~ q^|i-j| with q + 1/q = 2 + g/K (far from the ends)."""
    N, K, g = 2001, 3.0, 0.2
    b = np.zeros(N)
    b[N // 2] = 1.0
    x = rn.solve_chain(np.full(N - 1, K), np.full(N, g), b)
    q = 1 + g / (2 * K) - np.sqrt((1 + g / (2 * K)) ** 2 - 1)
    i = np.arange(N // 2 - 50, N // 2 + 51)
    expected = q ** np.abs(i - N // 2) / (K * (1 / q - q))
    np.testing.assert_allclose(x[i], expected, rtol=1e-10)


def test_strip_on_the_lattice_solver_equals_the_chain():
    rng = np.random.default_rng(5)
    K = rng.exponential(1.0, 59) * 10 ** rng.uniform(-4, 4, 59)
    g, b = rng.uniform(0.9, 1.1, 60), rng.normal(size=60)
    chain = rn.solve_chain(K, g, b)
    row = rn.solve_grid(K[None, :], np.zeros((0, 60)), g[None, :], b[None, :])[0]
    col = rn.solve_grid(np.zeros((60, 0)), K[:, None], g[:, None], b[:, None])[:, 0]
    np.testing.assert_allclose(row, chain, rtol=1e-9)
    np.testing.assert_allclose(col, chain, rtol=1e-9)


def test_grid_solver_matches_sparse_lu():
    rng = np.random.default_rng(6)
    R, C = 7, 11
    Kh, Kv = rng.exponential(1, (R, C - 1)), rng.exponential(1, (R - 1, C))
    g, b = rng.uniform(0.5, 1.5, (R, C)), rng.normal(size=(R, C))
    idx = np.arange(R * C).reshape(R, C)
    i = np.r_[idx[:, :-1].ravel(), idx[:-1, :].ravel()]
    j = np.r_[idx[:, 1:].ravel(), idx[1:, :].ravel()]
    w = np.r_[Kh.ravel(), Kv.ravel()]
    A = sparse.coo_matrix((np.r_[-w, -w], (np.r_[i, j], np.r_[j, i])), shape=(R * C,) * 2).tocsc()
    A = A + sparse.diags(np.bincount(i, w, R * C) + np.bincount(j, w, R * C) + g.ravel())
    expected = spsolve(A.tocsc(), b.ravel()).reshape(R, C)
    np.testing.assert_allclose(rn.solve_grid(Kh, Kv, g, b), expected, rtol=1e-10)
    np.testing.assert_allclose(rn.solve_grid(Kh.T.copy()[:, :].T, Kv, g, b), expected, rtol=1e-10)


def test_conductances_spanning_hundreds_of_decades():
    """Two-island exact solution and cluster merging/splitting with K from 1e-250 to 1e250."""
    g, b = np.array([0.9, 1.2]), np.array([0.3, -0.5])
    for K in (1e-250, 1e-20, 1.0, 1e20, 1e250):
        x = rn.solve_chain(np.array([K]), g, b)
        det = g[0] * g[1] + K * (g[0] + g[1])
        exact = np.array([b[0] * g[1] + K * (b[0] + b[1]), b[1] * g[0] + K * (b[0] + b[1])]) / det
        np.testing.assert_allclose(x, exact, rtol=1e-13)
    # a chain with one near-zero link splits; one near-infinite link merges two islands
    rng = np.random.default_rng(7)
    K = rng.uniform(0.5, 2, 9)
    g, b = rng.uniform(0.9, 1.1, 10), rng.normal(size=10)
    K_cut = K.copy(); K_cut[4] = 1e-280
    x = rn.solve_chain(K_cut, g, b)
    np.testing.assert_allclose(x[:5], rn.solve_chain(K[:4], g[:5], b[:5]), rtol=1e-12)
    K_join = K.copy(); K_join[4] = 1e280
    x = rn.solve_chain(K_join, g, b)
    merged_g = np.r_[g[:4], g[4] + g[5], g[6:]]
    merged_b = np.r_[b[:4], b[4] + b[5], b[6:]]
    y = rn.solve_chain(np.r_[K[:4], K[5:]], merged_g, merged_b)
    np.testing.assert_allclose(x[[4, 5]], y[4], rtol=1e-12)


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: rn.solve_chain(np.ones(3), np.ones(5), np.ones(5)), ValueError, "need K"),
        (lambda: rn.solve_chain(np.ones(4), -np.ones(5), np.ones(5)), ValueError, "sink"),
        (lambda: rn.solve_chain(np.ones(4), np.zeros(5), np.ones(5)), ValueError, "singular"),
        (lambda: rn.solve_chain(np.full(4, np.inf), np.ones(5), np.ones(5)), ValueError, "finite"),
        (lambda: rn.solve_grid(np.ones((3, 2)), np.ones((3, 3)), np.ones((3, 3)), np.ones((3, 3))), ValueError, "Kv"),
    ],
)
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_solve_grid_refuses_a_part_cut_off_from_every_sink():
    Kh, Kv, b = np.ones((3, 2)), np.ones((2, 3)), np.ones((3, 3))
    g = np.zeros((3, 3))
    g[0, 0] = 0.1
    cut = Kv.copy()
    cut[1, :] = 0.0  # the last row hangs free
    with pytest.raises(ValueError, match="1 connected part.*without a sink"):
        rn.solve_grid(Kh, cut, g, b)
    g[2, 1] = 0.1  # a sink in the cut-off row: both parts are solvable, each on its own
    x = rn.solve_grid(Kh, cut, g, b)
    np.testing.assert_allclose(x[2], rn.solve_grid(Kh[2:], np.ones((0, 3)), g[2:], b[2:])[0])
