"""Tests of mbl_open.resistor_networks.exponents: open- and closed-system z fits and the diffusive window."""
import numpy as np
import pytest

from mbl_open import resistor_networks as rn


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


def test_diffusive_window_z_fits_inside_the_window_of_its_effective_conductance():
    eps = np.geomspace(1e-3, 1.0, 13)
    f, g_eff = rn.diffusive_window_z(eps, 1.0, N=40, M=3, seed=2, lam_min=2.0, n_blocks=3)
    lo, hi, g_want = rn.diffusive_window(1.0, N=40, seed=2, lam_min=2.0)
    assert g_eff == g_want and f.window == (lo, hi)
    ref = rn.open_system_z(eps, 1.0, d=2, N=40, M=3, seed=2, fit_window=(lo, hi), n_blocks=3)
    assert f.slope == ref.slope and f.z_err == ref.z_err
    assert 0.3 < f.slope < 0.6  # diffusive in 2D: slope 1/2 up to window corrections
    with pytest.raises(ValueError, match="n_blocks"):
        rn.diffusive_window_z(eps, 1.0, N=30, M=3, n_blocks=4)
    with pytest.raises(ValueError, match="window_M"):
        rn.diffusive_window_z(eps, 1.0, N=30, M=3, n_blocks=3, window_M=0)


@pytest.mark.parametrize("eps, match", [
    ([0.1, 0.1, 0.1], r"eps must be distinct values, got duplicates \[0.1\]"),
    ([0.1], "eps must hold at least 3 values inside the fit window"),
])
def test_too_few_distinct_couplings_are_refused_naming_eps(eps, match):
    """open_system_z said 'window must be (low, high) with low < high' after computing every sample."""
    with pytest.raises(ValueError, match=match):
        rn.open_system_z(eps, 0.5, N=50, M=8, n_blocks=4)
