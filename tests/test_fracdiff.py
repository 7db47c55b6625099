"""Fractional diffusion (paper Eqs. 10-12): continuum formula, lattice solver, bad inputs."""
import numpy as np
import pytest
from scipy import sparse
from scipy.sparse.linalg import spsolve

from mbl_open import fracdiff
from mbl_open.numerics.fits import fit_power_law


@pytest.mark.parametrize("z", [1.5, 2.0, 3.0, 4.0, 6.0])
def test_prefactor_equals_paper_in_one_dimension(z):
    paper = (z - 1) / (z**2 * np.sin(np.pi / z))
    assert fracdiff.continuum_prefactor(z, 1) == pytest.approx(paper, rel=1e-12)


@pytest.mark.parametrize("z", [3.0, 4.0, 5.0])
def test_prefactor_is_half_the_paper_form_in_two_dimensions(z):
    paper = (z - 2) / (z**2 * np.sin(2 * np.pi / z))
    assert fracdiff.continuum_prefactor(z, 2) == pytest.approx(paper / 2, rel=1e-12)


@pytest.mark.parametrize("d", [1, 2, 3])
def test_prefactor_is_finite_and_continuous_at_z_equal_d(d):
    k_d = {1: 1 / np.pi, 2: 1 / (2 * np.pi), 3: 1 / (2 * np.pi**2)}[d]
    at = fracdiff.continuum_prefactor(float(d), d)
    assert at == pytest.approx(k_d / d, rel=1e-12)
    assert fracdiff.continuum_prefactor(d + 1e-7, d) == pytest.approx(at, rel=1e-6)
    assert fracdiff.continuum_prefactor(d - 1e-7, d) == pytest.approx(at, rel=1e-6)


@pytest.mark.parametrize("d,z", [(1, 0.8), (1, 1.0), (1, 2.0), (1, 6.0), (2, 1.4), (2, 2.0), (2, 3.0), (3, 2.0)])
def test_closed_form_equals_quadrature(d, z):
    eps = np.array([1e-4, 1e-2])
    closed = fracdiff.continuum_variance(eps, z, d, gamma=2.0, gbar=0.7, theta=1.3, dg=0.05)
    quad = fracdiff.continuum_variance(eps, z, d, gamma=2.0, gbar=0.7, theta=1.3, dg=0.05, k_max=1e9)
    np.testing.assert_allclose(quad, closed, rtol=1e-6)


def test_continuum_scaling_exponent_and_units():
    eps = np.geomspace(1e-6, 1e-2, 5)
    var = fracdiff.continuum_variance(eps, 3.0, 1, dg=0.1, theta=2.0)
    fit = fit_power_law(eps, np.sqrt(var))
    assert fit.exponent == pytest.approx(1 / 6, abs=1e-12)
    # variance is quadratic in theta * dg
    assert fracdiff.continuum_variance(1e-3, 3.0, 1, dg=0.2, theta=2.0) == pytest.approx(4 * var[3], rel=1e-12)


@pytest.mark.parametrize("d,z", [(1, 0.5), (1, 0.3), (2, 1.0), (3, 1.5)])
def test_divergent_continuum_integral_is_refused(d, z):
    with pytest.raises(ValueError, match=r"z must be > d/2"):
        fracdiff.continuum_variance(1e-3, z, d)
    # with a cutoff the integral is finite
    assert np.isfinite(fracdiff.continuum_variance(1e-3, z, d, k_max=np.pi))


def test_solve_lattice_z2_is_the_discrete_heat_equation():
    """z = 2 with the lattice |k| must equal (-Laplacian + gbar eps) dT = eps theta dg on a ring."""
    L, eps, gamma, gbar, theta = 200, 0.03, 1.7, 0.9, 1.1
    dg = np.random.default_rng(1).normal(0, 0.05, L)
    lap = sparse.diags([-np.ones(L - 1), 2 * np.ones(L), -np.ones(L - 1)], [-1, 0, 1], format="lil")
    lap[0, L - 1] = lap[L - 1, 0] = -1
    a = (gamma * lap + gbar * eps * sparse.identity(L)).tocsc()
    expected = spsolve(a, eps * theta * dg)
    got = fracdiff.solve_lattice(dg, eps, 2.0, gamma=gamma, gbar=gbar, theta=theta)
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-14)


def test_solve_lattice_2d_z2_matches_sparse_laplacian():
    L, eps = 16, 0.1
    dg = np.random.default_rng(2).normal(0, 1, (L, L))
    ring = sparse.diags([-np.ones(L - 1), 2 * np.ones(L), -np.ones(L - 1)], [-1, 0, 1], format="lil")
    ring[0, L - 1] = ring[L - 1, 0] = -1
    eye = sparse.identity(L)
    lap = sparse.kron(ring, eye) + sparse.kron(eye, ring)
    expected = spsolve((lap + eps * sparse.identity(L * L)).tocsc(), eps * dg.ravel()).reshape(L, L)
    np.testing.assert_allclose(fracdiff.solve_lattice(dg, eps, 2.0), expected, rtol=1e-10, atol=1e-14)


def test_parseval_shortcut_equals_explicit_spatial_variance():
    L, M, seed, eps, z, dg = 64, 3, 11, np.array([1e-3, 0.1]), 3.0, 0.05
    var, err = fracdiff.lattice_variance(eps, z, 1, L=L, M=M, seed=seed, dg=dg)
    fields = np.random.default_rng(seed).normal(0.0, dg, size=(M, L))
    explicit = np.array([[np.var(fracdiff.solve_lattice(f, e, z)) for f in fields] for e in eps])
    np.testing.assert_allclose(var, explicit.mean(axis=1), rtol=1e-10)
    np.testing.assert_allclose(err, explicit.std(axis=1, ddof=1) / np.sqrt(M), rtol=1e-8)


def test_samples_are_what_lattice_variance_averages():
    eps = np.array([1e-3, 1e-2, 0.1])
    samples = fracdiff.lattice_variance_samples(eps, 2.0, 1, L=128, M=6, seed=3)
    var, err = fracdiff.lattice_variance(eps, 2.0, 1, L=128, M=6, seed=3)
    assert samples.shape == (6, 3)
    np.testing.assert_allclose(var, samples.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(err, samples.std(axis=0, ddof=1) / np.sqrt(6), rtol=1e-12)
    with pytest.raises(ValueError, match="MAX_SAMPLE_BYTES"):
        fracdiff.lattice_variance_samples(np.full(1000, 0.1), 2.0, 1, L=64, M=10**6)


def test_exponent_error_counts_the_shared_sources():
    # every eps sees the same sources: the per-point fit error underestimates the exponent's scatter over
    # independent source sets, the jackknife over whole realisations does not
    L, z, M = 8192, 2.0, 64
    eps = np.geomspace(2 * np.pi / (3 * L), 2.0, 31) ** z
    window = fracdiff.scaling_window(z, L, modes=20, k_hi=0.25)
    exps, jack, naive = [], [], []
    for seed in range(16):
        samples = fracdiff.lattice_variance_samples(eps, z, 1, L=L, M=M, seed=seed)
        fit = fracdiff.fit_dT_exponent(eps, samples, window=window)
        var, err = fracdiff.lattice_variance(eps, z, 1, L=L, M=M, seed=seed)
        naive.append(fit_power_law(eps, np.sqrt(var), err / (2 * np.sqrt(var)), window=window).exponent_err)
        exps.append(fit.exponent)
        jack.append(fit.exponent_err)
    spread = np.std(exps, ddof=1)
    assert 0.6 < np.mean(jack) / spread < 1.6, (np.mean(jack), spread)
    assert np.mean(naive) < 0.75 * np.mean(jack), (np.mean(naive), np.mean(jack))
    with pytest.raises(ValueError, match="samples must have shape"):
        fracdiff.fit_dT_exponent(eps, np.ones((4, 3)), window=window)


def test_same_seed_same_sources_different_seed_different():
    kw = dict(L=256, M=4)
    a = fracdiff.lattice_variance([1e-3, 1e-2], 2.0, 1, seed=5, **kw)[0]
    b = fracdiff.lattice_variance([1e-3, 1e-2], 2.0, 1, seed=5, **kw)[0]
    c = fracdiff.lattice_variance([1e-3, 1e-2], 2.0, 1, seed=6, **kw)[0]
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)
    # the same sources are used for every eps: asking for one eps alone gives the same number
    single = fracdiff.lattice_variance([1e-2], 2.0, 1, seed=5, **kw)[0]
    assert single[0] == pytest.approx(a[1], rel=1e-12)


@pytest.mark.parametrize("d,z,L,modes", [(1, 2.0, 65536, 50), (1, 3.0, 65536, 50), (1, 4.0, 65536, 50),
                                         (1, 6.0, 65536, 50), (2, 3.0, 1024, 10), (2, 4.0, 1024, 10)])
def test_lattice_average_matches_continuum_in_window(d, z, L, modes):
    """Acceptance: variance within 5%, exponent within 3% of d/2z, in the scaling window."""
    lo, hi = fracdiff.scaling_window(z, L, modes=modes, k_hi=0.25)
    eps = np.geomspace(lo, hi, 8)
    exact = fracdiff.lattice_variance_expected(eps, z, d, L=L)
    cont = fracdiff.continuum_variance(eps, z, d)
    assert np.max(np.abs(exact / cont - 1)) < 0.05
    fit = fit_power_law(eps, np.sqrt(exact))
    assert abs(fit.exponent / (d / (2 * z)) - 1) < 0.03


def test_sampled_variance_is_unbiased():
    eps = np.array([1e-3, 1e-2, 1e-1])
    var, err = fracdiff.lattice_variance(eps, 3.0, 1, L=4096, M=64, seed=0)
    exact = fracdiff.lattice_variance_expected(eps, 3.0, 1, L=4096)
    assert np.all(np.abs(var - exact) < 4 * err)


def test_lattice_leaves_continuum_outside_window():
    """Below the window dT ~ eps (finite size), above it dT saturates at theta dg / gbar."""
    L, z = 1024, 2.0
    small = np.array([1e-13, 1e-12, 1e-11])
    exact = np.sqrt(fracdiff.lattice_variance_expected(small, z, 1, L=L))
    assert fit_power_law(small, exact).exponent == pytest.approx(1.0, abs=1e-3)
    big = np.sqrt(fracdiff.lattice_variance_expected(1e8, z, 1, L=L, dg=0.05))
    assert float(big) == pytest.approx(0.05, rel=1e-3)


def test_spectral_and_lattice_dispersion_agree_at_small_k():
    k_lat, mult = fracdiff.lattice_wavenumbers(64, 2)
    k_spec, _ = fracdiff.lattice_wavenumbers(64, 2, dispersion="spectral")
    assert mult.sum() == 64 * 64
    small = k_spec < 0.3
    np.testing.assert_allclose(k_lat[small], k_spec[small], rtol=0.004)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: fracdiff.continuum_variance(0.0, 2.0), "eps"),
        (lambda: fracdiff.continuum_variance([1e-3, -1.0], 2.0), "eps"),
        (lambda: fracdiff.continuum_variance(1e-3, 2.0, 4), "d must be"),
        (lambda: fracdiff.continuum_variance(1e-3, -1.0), "z must be"),
        (lambda: fracdiff.continuum_variance(1e-3, 2.0, gamma=0.0), "gamma"),
        (lambda: fracdiff.continuum_variance(1e-3, 2.0, k_max=-1.0), "k_max"),
        (lambda: fracdiff.lattice_variance(1e-3, 2.0, L=2, M=4), "L must be"),
        (lambda: fracdiff.lattice_variance(1e-3, 2.0, L=64, M=1), "M must be"),
        (lambda: fracdiff.lattice_variance(1e-3, 2.0, L=64, M=4, seed=-1), "seed must be"),
        (lambda: fracdiff.lattice_variance(1e-3, 2.0, 2, L=10**5, M=4), "L must be"),
        (lambda: fracdiff.lattice_variance(1e-3, 2.0, L=64, M=4, dispersion="cubic"), "dispersion"),
        (lambda: fracdiff.solve_lattice(np.ones((4, 5)), 1e-3, 2.0), "dg must be"),
        (lambda: fracdiff.solve_lattice(np.ones(8), 0.0, 2.0), "eps"),
        (lambda: fracdiff.scaling_window(2.0, 16), "too small"),
    ],
)
def test_bad_input_raises_value_error_naming_parameter(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize(
    "call",
    [
        lambda: fracdiff.continuum_variance(1e-3, "2"),
        lambda: fracdiff.continuum_variance(1e-3, 2.0, 1.5),
        lambda: fracdiff.lattice_variance(1e-3, 2.0, L=64.0, M=4),
        lambda: fracdiff.lattice_variance("small", 2.0, L=64, M=4),
        lambda: fracdiff.lattice_variance(1e-3, 2.0, L=64, M=True),
    ],
)
def test_wrong_types_raise_type_error(call):
    with pytest.raises(TypeError):
        call()


def test_crossover_scan_is_the_chapter_computation():
    s = fracdiff.crossover_scan(2.0, 1, L=2048, M=20, seed=4, n_eps=12, modes=20.0, k_hi=0.3)
    samples = fracdiff.lattice_variance_samples(s.eps, 2.0, 1, L=2048, M=20, seed=4)
    np.testing.assert_allclose(s.dT, np.sqrt(samples.mean(axis=0)), rtol=1e-12)
    np.testing.assert_allclose(s.k_eps[[0, -1]], [2 * np.pi / (3 * 2048), 2.0])
    assert s.window == fracdiff.scaling_window(2.0, 2048, modes=20.0, k_hi=0.3)
    assert s.inside.sum() >= 3
    assert abs(s.fit_expected.exponent - 0.25) < 0.01 and abs(s.fit.exponent - 0.25) < 4 * s.fit.exponent_err + 0.01
    with pytest.raises(ValueError, match="n_eps"):
        fracdiff.crossover_scan(2.0, 1, L=256, M=4, n_eps=2)


def test_crossover_scan_deviations_and_pulls():
    s = fracdiff.crossover_scan(2.0, 1, L=2048, M=20, seed=4, n_eps=12, modes=20.0, k_hi=0.3)
    assert s.target == 0.25
    assert s.exponent_dev == pytest.approx(s.fit.exponent / 0.25 - 1, rel=1e-12)
    assert s.exact_dev == pytest.approx(s.fit_expected.exponent / 0.25 - 1, rel=1e-12)
    assert s.exponent_pull * s.fit.exponent_err == pytest.approx(s.fit.exponent - s.fit_expected.exponent)
    np.testing.assert_allclose(s.variance_ratio, s.dT**2 / s.dT_continuum**2, rtol=1e-12)
    var_err = 2 * s.dT * s.dT_err  # the standard error of the sampled variance
    np.testing.assert_allclose(s.variance_pull * var_err, s.dT**2 - s.dT_expected**2, rtol=1e-10, atol=1e-30)
    assert np.all(np.abs(s.variance_pull) < 5)  # the samples scatter around the exact lattice average
    assert np.all(np.abs(s.variance_ratio[s.inside] - 1) < 0.1)


def test_crossover_scans_give_each_z_its_own_seed():
    scans = fracdiff.crossover_scans([2, 3], 1, L=2048, M=8, seed=5, n_eps=16, modes=20.0, k_hi=0.3)
    assert [s.z for s in scans] == [2.0, 3.0]
    one = fracdiff.crossover_scan(3.0, 1, L=2048, M=8, seed=6, n_eps=16, modes=20.0, k_hi=0.3)
    np.testing.assert_array_equal(scans[1].dT, one.dT)
    with pytest.raises(ValueError, match="z_values"):
        fracdiff.crossover_scans([2, 25], 1, L=1024, M=8)
    with pytest.raises(ValueError, match="seed"):
        fracdiff.crossover_scans([2], 1, L=1024, M=8, seed=-1)


@pytest.mark.parametrize("eps, samples, match", [
    ([0.2, 0.1, 0.05, 0.02], np.zeros((8, 4)), "samples must differ between realisations"),  # said 'y must be'
    ([0.2, 0.1, 0.05, 0.02], np.ones((1, 4)), r"samples must have shape \(M, 4\) with M >= 2"),  # said 'yerr'
    ([0.2, 0.2, 0.05, 0.02], np.arange(1.0, 33.0).reshape(8, 4), r"eps must be distinct values"),  # LinAlgError
])
def test_fit_dt_exponent_names_the_argument_it_cannot_fit(eps, samples, match):
    with pytest.raises(ValueError, match=match):
        fracdiff.fit_dT_exponent(eps, samples, window=(0.01, 0.3))
