"""Charge transport (paper Eqs. 4, 15, 16): series formula, Kirchhoff solves, limits, bad input."""
import numpy as np
import pytest
from scipy import sparse
from scipy.sparse.linalg import spsolve

from mbl_open import resistor_networks as rn


def test_series_formula_equals_kirchhoff_solve():
    eps = np.geomspace(1e-6, 1.0, 7)
    for alpha in (0.05, 0.3, 3.0):
        a = rn.current_samples(eps, alpha, N=300, M=4, seed=1, method="series")
        b = rn.current_samples(eps, alpha, N=300, M=4, seed=1, method="kirchhoff")
        np.testing.assert_allclose(a, b, rtol=1e-10)


def test_large_eps_current_is_ohmic_through_the_bath_channel():
    """eps -> inf: Gamma ~ eps sigma0 / l, so j / eps -> V / sum(l) / sigma0."""
    N, V = 100, 10.0
    j = rn.current_samples([1e8], 0.5, N=N, M=3, seed=2)[0]
    l = rn.draw_disorder(N=N, M=3, seed=2).lengths(0.5)[0]
    np.testing.assert_allclose(j / 1e8, V / l.sum(axis=-1), rtol=1e-6)


def test_two_dimensional_current_matches_a_sparse_kirchhoff_solve():
    N, eps, alpha, V = 6, 0.01, 0.3, 0.6
    j = rn.current_samples([eps], alpha, d=2, N=N, M=1, seed=3)[0, 0]
    lh, lv = rn.draw_disorder(d=2, N=N, M=1, seed=3).lengths(alpha)
    Gh, Gv = rn.conductance(lh[0], eps, d=2), rn.conductance(lv[0], eps, d=2)
    idx = np.arange(N * N).reshape(N, N)
    i = np.r_[idx[:, :-1].ravel(), idx[:-1, :].ravel()]
    k = np.r_[idx[:, 1:].ravel(), idx[1:, :].ravel()]
    w = np.r_[Gh.ravel(), Gv.ravel()]
    L = sparse.coo_matrix((np.r_[-w, -w], (np.r_[i, k], np.r_[k, i])), shape=(N * N,) * 2).tocsr()
    L = (L + sparse.diags(np.bincount(i, w, N * N) + np.bincount(k, w, N * N))).tocsr()
    fixed = np.r_[idx[:, 0], idx[:, -1]]
    free = np.setdiff1d(np.arange(N * N), fixed)
    mu = np.zeros(N * N)
    mu[idx[:, 0]] = V
    mu[free] = spsolve(L[free][:, free].tocsc(), -L[free][:, fixed] @ mu[fixed])
    expected = np.sum(Gh[:, 0] * (mu[idx[:, 0]] - mu[idx[:, 1]]))  # current leaving the left edge
    assert j == pytest.approx(expected, rel=1e-9)


def test_uniform_chain_current():
    """alpha large: all links ~ a, j = V / ((N-1) / Gamma) for Gamma = eps sigma0 + G0/e (a = 1)."""
    N, eps = 50, 0.2
    j = rn.charge_current([eps], 1e4, N=N, M=2)[0]
    G = eps * 1.0 / 1.0 + 5.0 * np.exp(-1.0)
    assert j == pytest.approx(0.1 * N * G / (N - 1), rel=1e-3)


def test_same_seed_same_disorder_and_averaging():
    a = rn.current_samples([1e-3, 1e-2], 0.3, N=100, M=5, seed=4)
    assert rn.charge_current([1e-2], 0.3, N=100, M=5, seed=4)[0] == pytest.approx(a[1].mean(), rel=1e-14)


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: rn.charge_current([1e-3], 0.3, N=100, M=2, V=0.0), ValueError, "V"),
        (lambda: rn.charge_current([1e-3], 0.3, N=100, M=2, sigma=1.0), TypeError, "unknown model"),
        (lambda: rn.charge_current([1e-3], 0.3, N=100, M=2, method="ohm"), ValueError, "method"),
        (lambda: rn.charge_current([1e-3], 0.3, N=2, M=2), ValueError, "N must be"),
        (lambda: rn.charge_current([-1e-3], 0.3, N=10, M=2), ValueError, "eps"),
        (lambda: rn.charge_current([1e-3], 0.3, N=10, M=2, G0=-5.0), ValueError, "G0"),
    ],
)
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_crossover_length_balances_the_two_channels():
    eps = np.array([1e-6, 1e-3, 0.1])
    l_star = rn.crossover_length(eps)
    np.testing.assert_allclose(eps / l_star, 5.0 * np.exp(-l_star), rtol=1e-10)


def test_mean_link_resistance_matches_sampled_links():
    eps, alpha = np.array([1e-3, 1e-1]), 0.5
    exact = rn.mean_link_resistance(eps, alpha)
    l = rn.draw_disorder(N=20001, M=20, seed=9).lengths(alpha)[0]
    sampled = (1.0 / rn.conductance(l, eps)).mean(axis=(1, 2))
    np.testing.assert_allclose(sampled, exact, rtol=0.05)


def test_full_asymptotic_form_beats_the_paper_form():
    eps = np.geomspace(1e-6, 1e-3, 4)
    for alpha in (0.1, 0.3):
        exact = rn.mean_link_resistance(eps, alpha)
        full = rn.mean_link_resistance_asymptotic(eps, alpha)
        paper = rn.mean_link_resistance_asymptotic(eps, alpha, form="paper")
        assert np.all(np.abs(np.log(full / exact)) < np.log(1.5))
        assert np.all(exact / paper > 5)  # the paper's form misses the long links and the constants
        tunnelling = rn.mean_link_resistance_asymptotic(eps, alpha, form="tunnelling")
        assert np.all((paper < tunnelling) & (tunnelling < full))
    with pytest.raises(ValueError, match="alpha"):
        rn.mean_link_resistance_asymptotic(eps, 1.5)
    with pytest.raises(ValueError, match="form"):
        rn.mean_link_resistance_asymptotic(eps, 0.3, form="exact")


@pytest.mark.parametrize("call", [
    lambda: rn.crossover_length([1e-3], G0=0.0),
    lambda: rn.mean_link_resistance([1e-3], 0.3, sigma0=-1.0),
    lambda: rn.mean_link_resistance_asymptotic([1e-3], 0.3, a=0.0),
    lambda: rn.conductance([0.0, 1.0], 1e-3),
    lambda: rn.reduced_conductance([-1.0], 1e-3),
])
def test_bad_model_constants_and_lengths(call):
    with pytest.raises(ValueError):
        call()


def test_long_link_fraction_is_the_tail_of_the_length_distribution():
    eps, alpha = np.array([1e-4, 1e-2]), 0.05
    frac = rn.long_link_fraction(eps, alpha)
    l_star = rn.crossover_length(eps)
    E = np.random.default_rng(0).exponential(size=200_000)
    lengths = rn.link_lengths(E, alpha)
    np.testing.assert_allclose(frac, [(lengths > l).mean() for l in l_star], atol=5e-3)
    assert frac[0] > 0.5  # at small alpha the "long" links are most links
    with pytest.raises(ValueError, match="alpha"):
        rn.long_link_fraction(eps, -1.0)


def test_current_exponent_fits_the_mean_current_with_a_jackknife_error():
    from mbl_open.numerics.fits import fit_power_law
    from mbl_open.numerics.resampling import jackknife

    eps = np.geomspace(1e-6, 1e-2, 7)
    f = rn.current_exponent(eps, 0.4, N=400, M=20, seed=5, n_blocks=10)
    j = rn.current_samples(eps, 0.4, N=400, M=20, seed=5)
    np.testing.assert_allclose(f.y, j.mean(axis=1), rtol=1e-12)
    _, p_err = jackknife(lambda s: fit_power_law(eps, s.mean(axis=-1)).exponent, j, n_blocks=10)
    assert f.fit.exponent_err == pytest.approx(p_err, rel=1e-12)
    assert 0 < f.fit.exponent < 1 and f.fit.exponent_err > 0  # the chapter checks 1 - alpha at its sizes
    with pytest.raises(ValueError, match="n_blocks"):
        rn.current_exponent(eps, 0.4, N=50, M=4, n_blocks=5)


def test_current_density_2d_is_linear_with_an_intrinsic_intercept():
    eps = np.array([0.1, 0.3, 0.5])
    r = rn.current_density_2d(eps, 3.0, N=12, M=4, seed=2)
    j = rn.current_samples(np.r_[1e-9, eps], 3.0, d=2, N=12, M=4, seed=2)
    np.testing.assert_allclose(r.density, j[1:].mean(axis=1) / 12, rtol=1e-12)
    assert r.j0 == pytest.approx(j[0].mean() / 12, rel=1e-12)
    assert r.rel_resid < 0.05 and abs(r.c1 / r.j0 - 1) < 0.1  # short links: the network conducts by itself
    with pytest.raises(ValueError, match="eps_zero"):
        rn.current_density_2d(eps, 3.0, N=12, M=4, eps_zero=0.2)
    with pytest.raises(ValueError, match="at least 2"):
        rn.current_density_2d([0.1], 3.0, N=12, M=4)


def test_chain_current_law_is_the_series_current_of_the_mean_link():
    eps = np.geomspace(1e-4, 1e-2, 3)
    j = rn.chain_current_law(eps, 0.3, N=201)
    np.testing.assert_allclose(j, 0.1 * 201 / (200 * rn.mean_link_resistance(eps, 0.3)), rtol=1e-14)
    j_paper = rn.chain_current_law(eps, 0.3, N=201, form="paper", V=2.0)
    np.testing.assert_allclose(j_paper, 2.0 / (200 * rn.mean_link_resistance_asymptotic(eps, 0.3, form="paper")))
    # a long chain self-averages: the sampled mean current approaches the law
    np.testing.assert_allclose(rn.charge_current(eps, 3.0, N=20_000, M=2, seed=1),
                               rn.chain_current_law(eps, 3.0, N=20_000), rtol=0.02)
    with pytest.raises(ValueError, match="form"):
        rn.chain_current_law(eps, 0.3, N=201, form="exactly")
    with pytest.raises(ValueError, match="alpha"):
        rn.chain_current_law(eps, 3.0, N=201, form="full")  # no asymptotic form outside the Griffiths regime


def test_chain_current_comparison_splits_the_paper_shortfall():
    from scipy.stats import gmean

    eps = np.geomspace(1e-4, 1e-1, 7)
    window = (1e-4, 1e-2)
    c = rn.chain_current_comparison(eps, 0.3, N=300, M=10, seed=4, fit_window=window, n_blocks=5)
    f = rn.current_exponent(eps, 0.3, N=300, M=10, seed=4, fit_window=window, n_blocks=5)
    np.testing.assert_array_equal(c.j, f.y)
    assert (c.p, c.p_err) == (f.fit.exponent, f.fit.exponent_err)
    assert set(c.laws) == set(rn.LAW_FORMS) and c.inside.sum() == 5
    np.testing.assert_allclose(c.ratio("exact"), c.j[:5] / rn.chain_current_law(eps[:5], 0.3, N=300))
    total, constants, long_links = c.paper_shortfall()
    assert total == pytest.approx(gmean(c.laws["paper"][:5] / c.j[:5]))
    assert constants > 1 and long_links > 1  # the paper's form drops both (the chapter's table)
    short = rn.chain_current_comparison(eps, 3.0, N=300, M=4, seed=4, n_blocks=2)
    assert set(short.laws) == {"exact"}
    with pytest.raises(ValueError, match="form"):
        short.ratio("full")
    with pytest.raises(ValueError, match="alpha < 1"):
        short.paper_shortfall()
    with pytest.raises(ValueError, match="eps"):
        rn.chain_current_comparison([1e-3, 1e-2, 2.0], 0.3, N=300, M=4, n_blocks=2)


@pytest.mark.parametrize("call", [
    lambda: rn.current_exponent([0.1, 0.1, 0.1], 0.5, N=50, M=8, n_blocks=4),
    lambda: rn.current_exponent([0.1, 0.01], 0.5, N=50, M=8, n_blocks=4),
    lambda: rn.chain_current_comparison([0.1], 0.3, N=51, M=4, n_blocks=2),
])
def test_too_few_distinct_couplings_are_refused_naming_eps(call):
    """These said 'window must be (low, high) with low < high' (a window the user had not passed)."""
    with pytest.raises(ValueError, match="eps must"):
        call()
