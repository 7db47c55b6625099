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
