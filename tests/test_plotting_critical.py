"""The figure helpers of the convergence checks and of the size comparison (mbl_open.plotting.critical)."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from mbl_open import critical as cp  # noqa: E402
from mbl_open import ensemble as en  # noqa: E402
from mbl_open import plotting  # noqa: E402


def test_size_comparison_draws_both_sizes_per_shared_h():
    exact, tebd = en.book_dataset("book_exact"), en.book_dataset("book_tebd")
    s = cp.summarise(exact, 8, window=(0.01, 0.05), n_resamples=20, seed=1)
    c = cp.compare_sizes(tebd, s, n_resamples=20, seed=1)
    fig, ax = plotting.subplots()
    assert plotting.plot_size_comparison(ax, s, c) is ax
    assert len(ax.containers) == 2 * c.h.size  # open N = 8 and filled N = 10 for every shared h
    assert ax.get_xscale() == ax.get_yscale() == "log"
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert texts == [f"h = {h:g} ({n} real.)" for h, n in zip(c.h, c.realisations)]


def test_chi_convergence_draws_one_curve_per_eps():
    rel = {8: np.array([5e-3, 2e-2, 4e-2]), 16: np.array([1e-4, 6e-4, 1e-2]), 32: np.array([4e-5, 2e-6, 1e-3])}
    fig, ax = plotting.subplots()
    plotting.plot_chi_convergence(ax, rel, [0.2, 0.1, 0.03])
    assert len(ax.lines) == 3 and ax.get_yscale() == "log" and ax.get_xscale() == "linear"
    np.testing.assert_allclose(ax.lines[2].get_xdata(), [1 / 8, 1 / 16, 1 / 32])
    np.testing.assert_allclose(ax.lines[2].get_ydata(), [4e-2, 1e-2, 1e-3])
    assert ax.get_legend().get_texts()[0].get_text() == r"$\varepsilon$ = 0.2"
    assert ax.get_ylabel() == r"$|O(\chi) - O_{\rm exact}| / O_{\rm exact}$ (dimensionless)"
    fig, ax = plotting.subplots()
    plotting.plot_chi_convergence(ax, rel, [0.2, 0.1, 0.03], reference=r"O(\chi = 32)")
    assert ax.get_ylabel() == r"$|O(\chi) - O(\chi = 32)| / O(\chi = 32)$ (dimensionless)"
    with pytest.raises(TypeError, match="reference"):
        plotting.plot_chi_convergence(ax, rel, [0.2, 0.1, 0.03], reference=None)


def test_z_by_size_draws_one_curve_per_h_against_inverse_length():
    exact = en.book_dataset("book_exact")
    zN = cp.z_by_size([exact], [1.0, 2.0], window=(0.03, 0.1))
    fig, ax = plotting.subplots()
    plotting.plot_z_by_size(ax, zN, [1.0, 2.0])
    assert len(ax.containers) == 2 and ax.get_xlim()[0] == 0
    np.testing.assert_allclose(np.asarray(ax.containers[0].lines[0].get_xdata(), float), [1 / 6, 1 / 7, 1 / 8])
    np.testing.assert_allclose(np.asarray(ax.containers[1].lines[0].get_ydata(), float),
                               [zN[2.0, n].z for n in (6, 7, 8)])
    assert "dynamical exponent" in ax.get_ylabel()
