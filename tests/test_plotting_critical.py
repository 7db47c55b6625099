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
    assert ax.get_ylabel() == r"$|O(\chi) - O_{\rm exact}| / O_{\rm exact}$"
    fig, ax = plotting.subplots()
    plotting.plot_chi_convergence(ax, rel, [0.2, 0.1, 0.03], reference=r"O(\chi = 32)")
    assert ax.get_ylabel() == r"$|O(\chi) - O(\chi = 32)| / O(\chi = 32)$"
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


def test_the_figure_helpers_draw_every_h_and_the_fits():
    import matplotlib

    matplotlib.use("Agg")
    from mbl_open import plotting

    ens = en.book_dataset("book_exact")
    s = cp.summarise(ens, 8, window=(0.01, 0.05), n_resamples=20, seed=1)
    hc, hc_err, _ = s.critical_disorder()
    fig, (ax, bx) = plotting.subplots(2)
    plotting.plot_order_parameter(ax, s)
    assert len(ax.containers) == s.h.size and len(ax.get_legend().get_texts()) == s.h.size
    plotting.plot_z_fits(bx, s)
    assert len(bx.containers) == int(np.isfinite([f.z for f in s.zfits]).sum())
    fig, (ax, bx) = plotting.subplots(2)
    ok = cp.resolved(s, hc)
    fits = {form: cp.fit_critical_exponent(s.h[ok], s.z[ok], s.z_err[ok], form=form, h_c=hc) for form in ("power", "kt")}
    plotting.plot_z_divergence(ax, bx, s, ok, fits, hc, label="N = 8")
    assert len(ax.lines) >= 3 and len(bx.lines) >= 1  # two fitted curves and h_c on the left; the power law right
    fig, ax = plotting.subplots()
    plotting.plot_slope_probability(ax, s, hc, hc_err)
    assert ax.get_ylim() == (-0.05, 1.05)


def test_the_p_and_z_figures_draw_a_second_chain_length_beside():
    import matplotlib

    matplotlib.use("Agg")
    from mbl_open import plotting

    ens = en.book_dataset("book_exact")
    s8, s6 = (cp.summarise(ens, n, window=(0.01, 0.05), n_resamples=20, seed=1) for n in (8, 6))
    hc, hc_err, _ = s8.critical_disorder()
    fig, ax = plotting.subplots()
    plotting.plot_slope_probability(ax, s8, hc, hc_err, other=s6)
    assert len(ax.containers) == 2 and [t.get_text() for t in ax.get_legend().get_texts()] == ["N = 8", "N = 6"]
    assert np.allclose(ax.containers[1].lines[0].get_ydata(), s6.P)
    fig, (ax, bx) = plotting.subplots(2)
    ok = cp.resolved(s8, hc)
    plotting.plot_z_divergence(ax, bx, s8, ok, {}, hc, label="N = 8", other=s6)
    assert np.allclose(ax.containers[-1].lines[0].get_ydata(), s6.z[np.isfinite(s6.z) & (s6.z_err < s6.z)])
    assert ax.get_legend().get_texts()[-1].get_text() == "N = 6 (not fitted)"
    with pytest.raises(ValueError, match="second chain length"):
        plotting.plot_slope_probability(ax, s8, hc, hc_err, other=s8)
    with pytest.raises(TypeError, match="other"):
        plotting.plot_z_divergence(ax, bx, s8, ok, {}, hc, other="N = 6")


def test_local_slopes_are_drawn_per_h_with_the_diffusion_references():
    ens = en.book_dataset("tebd_n12")
    slopes = {h: cp.local_slopes(ens.eps, ens.betas_for(12, h)) for h in (1.0, 4.0)}
    fig, ax = plotting.subplots()
    assert plotting.plot_eps_slopes(ax, slopes, N=12, D=0.12) is ax
    assert len(ax.containers) == 2 and len(ax.lines) >= 3   # two h, the z = 2 line, the finite-chain curve
    with pytest.raises(TypeError, match="LocalSlopes"):
        plotting.plot_eps_slopes(ax, {1.0: "x"})


def test_the_local_slope_figure_has_no_minor_tick_labels_to_collide():
    ens = en.book_dataset("tebd_n16")
    fig, ax = plotting.subplots()
    plotting.plot_eps_slopes(ax, {1.0: cp.local_slopes(ens.eps, ens.betas_for(16, 1.0))})
    fig.canvas.draw()
    assert not [t.get_text() for t in ax.get_xminorticklabels() if t.get_text()]
