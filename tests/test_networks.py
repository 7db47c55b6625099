"""Resistor networks (paper Eqs. 3, 13, 14, 17): solvers, limits, determinism, robustness, bad input."""
import numpy as np
import pytest
from scipy import sparse
from scipy.linalg import expm
from scipy.sparse.linalg import spsolve

from mbl_open import resistor_networks as rn
from mbl_open.resistor_networks import disorder


def chain_matrix(K, g):
    N = g.size
    main = g.copy()
    main[:-1] += K
    main[1:] += K
    return sparse.diags([-K, main, -K], [-1, 0, 1], format="csc")


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


def test_no_disorder_gives_uniform_temperature():
    """g1 = g2 = gbar everywhere: T_i = T0 + theta exactly, so dT/T = 0."""
    dT = rn.temperature_deviations([1e-3, 1.0], 0.3, N=50, M=3, dg1=0.0, dg2=0.0)
    assert np.max(np.abs(dT)) == 0.0
    assert np.all(rn.thermal_fluctuations([1e-3], 0.3, N=50, M=3, dg1=0.0, dg2=0.0) == 0.0)


def test_energy_balance_of_steady_state():
    """Summing Eq. 3 over islands: sum_i g1_i dT_i = theta sum_i (g2_i - g1_i)."""
    dis = rn.draw_disorder(N=200, M=4, seed=3)
    g1, g2 = dis.couplings(1.0, 0.05, 0.05)
    dT = rn.temperature_deviations([1e-4, 1e-2], 0.2, N=200, M=4, seed=3)
    np.testing.assert_allclose((g1 * dT).sum(-1), (g2 - g1).sum(-1)[None, :].repeat(2, 0), rtol=1e-9, atol=1e-14)


def test_large_eps_limit_is_bath_dominated_network():
    """For eps -> inf, Gamma/eps -> kappa0/l: dT/T converges."""
    r = rn.thermal_fluctuations([1e6, 1e9], 0.5, N=100, M=5)
    assert r[0] == pytest.approx(r[1], rel=1e-5)


def test_same_seed_same_disorder_for_every_eps_and_M():
    a = rn.thermal_fluctuations([1e-3, 1e-2], 0.3, N=100, M=6, seed=4)
    b = rn.thermal_fluctuations([1e-2], 0.3, N=100, M=6, seed=4)
    assert b[0] == a[1]
    d1 = rn.temperature_deviations([1e-2], 0.3, N=100, M=6, seed=4)
    d2 = rn.temperature_deviations([1e-2], 0.3, N=100, M=3, seed=4)
    np.testing.assert_array_equal(d1[:, :3], d2)  # configuration m does not depend on M
    assert rn.thermal_fluctuations([1e-2], 0.3, N=100, M=6, seed=5)[0] != a[1]


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


def test_tiny_eps_small_alpha_network_is_finite_and_balanced():
    """alpha = 0.02, eps = 1e-150: Gamma spans > 100 decades; results finite and energy balanced."""
    l = rn.draw_disorder(N=400, M=2, seed=8).lengths(0.02)[0]
    G = rn.conductance(l, 1e-150)
    assert np.log10(G.max() / G.min()) > 100
    dT = rn.temperature_deviations([1e-150, 1e-3], 0.02, N=400, M=2, seed=8)
    assert np.all(np.isfinite(dT))
    g1, g2 = rn.draw_disorder(N=400, M=2, seed=8).couplings(1.0, 0.05, 0.05)
    np.testing.assert_allclose((g1 * dT[0]).sum(-1), (g2 - g1).sum(-1), rtol=1e-9)
    # deep in the eps -> 0 limit the strongly linked clusters are isothermal
    assert np.all(np.isfinite(rn.thermal_fluctuations([1e-150, 1e-100], 0.02, N=400, M=2, seed=8)))


def test_two_dimensional_eps_too_small_is_a_clear_error():
    with pytest.raises(ValueError, match="eps must be >= .* for d=2"):
        rn.thermal_fluctuations([1e-20], 0.3, d=2, N=10, M=1)


def test_two_dimensional_network_runs_and_is_deterministic():
    a = rn.thermal_fluctuations([1e-3, 1e-1], 0.3, d=2, N=12, M=2, seed=1)
    b = rn.thermal_fluctuations([1e-3, 1e-1], 0.3, d=2, N=12, M=2, seed=1)
    np.testing.assert_array_equal(a, b)
    assert 0 < a[0] < a[1]


def test_link_length_distribution():
    E = np.random.default_rng(0).exponential(1.0, 200_000)
    l1 = rn.link_lengths(E, 0.5, d=1)
    assert l1.min() >= 1.0 and np.mean(l1 - 1) == pytest.approx(2.0, rel=0.01)  # l - a ~ Exp(xi)
    l2 = rn.link_lengths(E, 0.5, d=2)
    xi = 2.0
    # P(L > l) = exp(-((l/xi)^2 - alpha^2))
    for l in (1.5, 3.0, 5.0):
        p = np.exp(-((l / xi) ** 2 - 0.25))
        assert abs(np.mean(l2 > l) - p) < 4 * np.sqrt(p * (1 - p) / E.size)


def test_spreading_conserves_energy_and_matches_matrix_exponential():
    N, t = 40, np.array([0.0, 0.5, 3.0, 50.0])
    sigma = rn.spreading_width(t, 0.7, N=N, M=1, seed=2)
    # e(0) = V V^T e0 from the eigendecomposition is the delta peak up to round-off (~1e-15 per site), so
    # sigma(0)^2 <= N (N/2)^2 1e-15 = 1.6e-11 here: sigma(0) ~ 1e-6 at most, not exactly 0 (BLAS-dependent).
    assert sigma[0] == pytest.approx(0.0, abs=1e-5)
    l = rn.draw_disorder(N=N, M=1, seed=2).lengths(0.7)[0][0]
    G = rn.conductance(l, 0.0)
    L = chain_matrix(G, np.zeros(N)).toarray()
    e0 = np.zeros(N); e0[N // 2] = 1.0
    for tk, sk in zip(t, sigma):
        e = expm(-L * tk) @ e0
        assert e.sum() == pytest.approx(1.0, abs=1e-12)  # energy conservation
        assert sk == pytest.approx(np.sqrt(((np.arange(N) - N // 2) ** 2 * e).sum()), rel=1e-8, abs=1e-5)


def test_spreading_is_diffusive_for_uniform_links():
    """Uniform G (alpha large is nearly uniform): sigma^2 = 2 G t before the walls matter."""
    sigma = rn.spreading_width([10.0, 100.0], 50.0, N=401, M=1, G0=np.e ** 1.02)
    # alpha = 50: every l is within 2% of a = 1, so G ~ G0/e
    G = np.e ** 1.02 * np.exp(-1.0)
    np.testing.assert_allclose(sigma**2, 2 * G * np.array([10.0, 100.0]), rtol=0.05)


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: rn.thermal_fluctuations([0.0], 0.3, N=10, M=2), ValueError, "eps"),
        (lambda: rn.thermal_fluctuations([1e-3], -0.3, N=10, M=2), ValueError, "alpha"),
        (lambda: rn.thermal_fluctuations([1e-3], 0.3, d=3, N=10, M=2), ValueError, "d must be"),
        (lambda: rn.thermal_fluctuations([1e-3], 0.3, N=1, M=2), ValueError, "N must be"),
        (lambda: rn.thermal_fluctuations([1e-3], 0.3, N=10, M=0), ValueError, "M must be"),
        (lambda: rn.thermal_fluctuations([1e-3], 0.3, N=10, M=2, seed=-1), ValueError, "seed"),
        (lambda: rn.thermal_fluctuations([1e-3], 0.3, N=10, M=2, dg1=1.5), ValueError, "dg1"),
        (lambda: rn.thermal_fluctuations([1e-3], 0.3, N=10, M=2, G0=0.0), ValueError, "G0"),
        (lambda: rn.thermal_fluctuations([1e-3], 0.3, N=10, M=2, kappa=1.0), TypeError, "unknown model"),
        (lambda: rn.thermal_fluctuations([1e-3], 0.3, N=10.0, M=2), TypeError, "N must be"),
        (lambda: rn.spreading_width([1e13], 0.3, N=10, M=2), ValueError, "t"),
        (lambda: rn.spreading_width([-1.0], 0.3, N=10, M=2), ValueError, "t"),
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


def test_open_system_z_recovers_diffusion_for_short_links():
    """alpha large: nearly uniform chain, dT/T ~ eps^(1/4) while 3 << lambda_eps << N, so z close to 2."""
    f = rn.open_system_z(np.geomspace(1e-3, 1e-1, 5), 5.0, N=100_000, M=4, n_blocks=4)
    assert f.z == pytest.approx(2.0, rel=0.05)
    assert f.z_err > 0 and f.y.shape == (5,)


def test_closed_system_z_of_uniform_chain_is_two():
    f = rn.closed_system_z(np.geomspace(1, 1e4, 20), 50.0, N=1001, M=4, n_blocks=4)
    assert f.z == pytest.approx(2.0, rel=0.03)


def test_closed_system_z_needs_points_in_window():
    with pytest.raises(ValueError, match="extend t"):
        rn.closed_system_z([1e-3, 1e-2, 1e-1], 0.5, N=101, M=2, n_blocks=2)


def test_diffusive_window_moves_with_effective_conductance():
    lo1, hi1, g1 = rn.diffusive_window(0.2, N=100)
    lo2, hi2, g2 = rn.diffusive_window(1.0, N=100)
    assert g1 < g2 and hi1 < hi2 and lo1 < hi1
    assert hi1 / lo1 == pytest.approx((0.2 * 100 / 3.0) ** 2)
    with pytest.raises(ValueError, match="too small"):
        rn.diffusive_window(0.5, N=10)


def test_fluctuation_ratio_checks_its_samples():
    assert rn.fluctuation_ratio([[4.0, 4.0]], [[2.0, 2.0]])[0] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="same shape"):
        rn.fluctuation_ratio([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="mean"):
        rn.fluctuation_ratio([1.0], [0.0])
