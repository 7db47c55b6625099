"""Tests of mbl_open.resistor_networks.thermal (paper Eqs. 3, 17): temperature fluctuations and spreading."""
import numpy as np
import pytest
from scipy.linalg import expm

from mbl_open import resistor_networks as rn

from _helpers import chain_matrix


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


def test_fluctuation_ratio_checks_its_samples():
    assert rn.fluctuation_ratio([[4.0, 4.0]], [[2.0, 2.0]])[0] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="same shape"):
        rn.fluctuation_ratio([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="mean"):
        rn.fluctuation_ratio([1.0], [0.0])


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
    ],
)
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


@pytest.mark.parametrize("var, mean", [([], []), (np.zeros((3, 0)), np.zeros((3, 0)))])
def test_fluctuation_ratio_of_no_samples_is_refused_naming_var_and_mean(var, mean):
    """fluctuation_ratio([], []) returned nan."""
    with pytest.raises(ValueError, match="var and mean must not be empty"):
        rn.fluctuation_ratio(var, mean)
