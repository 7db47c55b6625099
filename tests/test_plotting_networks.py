"""The resistor-network figure helpers (mbl_open.plotting.networks)."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from mbl_open import plotting  # noqa: E402
from mbl_open import resistor_networks as rn  # noqa: E402


def test_exponent_fits_draw_data_and_the_law_inside_the_window():
    eps = np.geomspace(1e-4, 1e-1, 8)
    fits = [rn.open_system_z(eps, a, N=200, M=20, seed=2, fit_window=(1e-4, 1e-2), n_blocks=5) for a in (0.5, 2.0)]
    fig, ax = plotting.subplots()
    plotting.plot_exponent_fits(ax, fits)
    assert len(ax.containers) == 2  # one errorbar per alpha
    x = ax.lines[1].get_xdata()  # the first fitted line (after the first errorbar's data line)
    assert x.min() >= 1e-4 and x.max() <= 1e-2 * (1 + 1e-12)
    ax.legend()
    assert "z = " in ax.get_legend().get_texts()[0].get_text()
    with pytest.raises(ValueError, match="quantity"):
        plotting.plot_exponent_fits(ax, fits, quantity="p")


def test_local_slopes_draw_one_curve_per_fit_against_the_scaled_midpoints():
    eps = np.geomspace(1e-4, 1e-1, 8)
    fits = [rn.open_system_z(eps, a, N=200, M=4, seed=2, n_blocks=4) for a in (0.5, 2.0)]
    fig, ax = plotting.subplots()
    plotting.plot_local_slopes(ax, fits, [1.0, 10.0])
    assert len(ax.lines) == 2
    x, y = ax.lines[1].get_data()
    np.testing.assert_allclose(x, np.sqrt(eps[1:] * eps[:-1]) / 10.0)
    np.testing.assert_allclose(y, np.diff(np.log(fits[1].y)) / np.diff(np.log(eps)))
    ax.legend()
    assert ax.get_legend().get_texts()[1].get_text() == r"$\alpha$=2"
    with pytest.raises(ValueError, match="scales"):
        plotting.plot_local_slopes(ax, fits, [1.0])
