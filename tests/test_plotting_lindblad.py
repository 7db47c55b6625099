"""The Lindblad-chain figure helpers (mbl_open.plotting.lindblad)."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

from mbl_open import plotting  # noqa: E402
from mbl_open.numerics.fits import fit_exponential_decay  # noqa: E402


def test_relaxation_plot_draws_each_record_with_its_fit():
    t = np.arange(0.25, 8.0, 0.25)
    hist = {0.1: np.c_[t, 0.1 * np.exp(-0.8 * t)], 0.2: np.c_[t, 0.2 * np.exp(-0.7 * t)]}
    fits = {e: fit_exponential_decay(h[:, 0], h[:, 1], t_min=1.0) for e, h in hist.items()}
    fig, ax = plotting.subplots()
    plotting.plot_relaxation(ax, hist, fits)
    assert len(ax.lines) == 4 and ax.get_yscale() == "log"
    assert "rate 0.80" in ax.get_legend().get_texts()[0].get_text()


def test_tebd_against_exact_panels():
    rng = np.random.default_rng(0)
    exact = np.array([np.diag(p) for p in rng.dirichlet(np.ones(4), size=5)]).astype(complex)
    tebd = exact + 1e-3
    fig, (ax, bx) = plotting.subplots(2)
    plotting.plot_pauli_scatter(ax, exact, tebd)
    assert len(ax.lines) == 2 and len(ax.lines[1].get_xdata()) == 5 * 15  # diagonal, and 15 parameters per bond
    plotting.plot_rdm_diagonals(bx, exact, tebd)
    assert len(bx.lines) == 8 and len(bx.get_legend().get_texts()) == 4
    np.testing.assert_allclose(bx.lines[0].get_ydata(), exact[:, 0, 0].real - 0.25)


def test_chi_scan_plot_is_log_log_with_the_reference_in_its_label():
    from mbl_open.lindblad import ChiScan

    scan = ChiScan(chis=(8, 16, 32), dbeta=np.ones(3), error=np.array([1e-2, 1e-3, 1e-4]),
                   truncation_error=np.zeros(3), dbeta_ref=1.0, chi_ref=64, states=[])
    fig, ax = plotting.subplots()
    plotting.plot_chi_scan(ax, scan)
    assert len(ax.lines) == 1 and ax.get_xscale() == ax.get_yscale() == "log"
    assert "O(64)" in ax.get_ylabel()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["8", "16", "32"]


def test_order_parameter_approach_draws_the_distance_to_the_final_value():
    t = np.arange(0.25, 6.0, 0.25)
    curves = {0.1: np.c_[t, 0.5 - 0.2 * np.exp(-t)], 0.2: np.c_[t, 0.4 + 0.1 * np.exp(-t)]}
    fig, ax = plotting.subplots()
    plotting.plot_order_parameter_approach(ax, curves)
    assert len(ax.lines) == 2 and ax.get_yscale() == "log"
    y = ax.lines[0].get_ydata()
    np.testing.assert_allclose(y, np.maximum(0.2 * np.abs(np.exp(-t[:-1]) - np.exp(-t[-1])), 1e-12))
    import pytest
    with pytest.raises(ValueError, match=r"curves\[0.1\] must have shape"):
        plotting.plot_order_parameter_approach(ax, {0.1: np.ones((1, 2))})
    with pytest.raises(ValueError, match="at least one"):
        plotting.plot_order_parameter_approach(ax, {})
