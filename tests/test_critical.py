"""Tests of mbl_open.critical: order parameter, z fits, slope probability, critical disorder and exponent, summaries."""
import subprocess
import sys

import numpy as np
import pytest
import scipy.stats

from mbl_open import critical as cp
from mbl_open import ensemble as en
from mbl_open.lindblad import dbeta_over_beta

from _helpers import tiny


def _synthetic(R=40, eps=(0.2, 0.1, 0.05, 0.02), z=2.0, B=9, seed=0, amp=0.3):
    """Betas whose dbeta/beta is exactly amp*eps**(1/2z) per realisation, up to small noise."""
    rng = np.random.default_rng(seed)
    eps = np.array(eps)
    shape = rng.standard_normal((R, 1, B))
    shape = (shape - shape.mean(axis=2, keepdims=True)) / shape.std(axis=2, keepdims=True)
    scale = amp * eps[None, :, None] ** (1 / (2 * z)) * (1 + 0.02 * rng.standard_normal((R, 1, 1)))
    return eps, 0.5 * (1.0 + scale * shape)


def test_order_parameter_matches_the_lindblad_definition():
    eps, b = _synthetic()
    value, err = cp.order_parameter(b, n_resamples=100)
    for k in range(len(eps)):
        assert value[k] == pytest.approx(dbeta_over_beta(b[:, k]), rel=1e-12)
    assert np.all(err > 0) and np.all(err < 0.1 * value)


@pytest.mark.parametrize("z", [1.5, 2.0, 4.0])
def test_fit_z_recovers_the_exponent(z):
    eps, b = _synthetic(z=z)
    fit = cp.fit_z(eps, b)
    assert fit.z == pytest.approx(z, rel=0.05)
    assert 0 < fit.z_err < 0.2 * z
    assert fit.n_points == 4 and fit.window == (0.02, 0.2)
    assert cp.fit_z(eps, b, window=(0.02, 0.1)).n_points == 3
    with pytest.raises(ValueError, match="at least 3 eps"):
        cp.fit_z(eps, b, window=(0.01, 0.06))


def test_slope_probability_and_critical_disorder():
    eps, grow = _synthetic(R=50)
    flat = grow[:, ::-1]  # dbeta/beta decreasing with eps: MBL-like
    P_up, _, reps_up = cp.slope_probability(eps, grow, n_resamples=50)
    P_down, _, reps_down = cp.slope_probability(eps, flat, n_resamples=50)
    assert P_up == 1.0 and P_down == 0.0
    h = np.array([1.0, 2.0, 3.0, 4.0])
    P = np.array([1.0, 0.8, 0.4, 0.1])
    hc, _, _ = cp.critical_disorder(h, P)
    assert hc == pytest.approx(2.75)
    rng = np.random.default_rng(1)
    reps = np.clip(P[:, None] + 0.05 * rng.standard_normal((4, 200)), 0, 1)
    hc, err, frac = cp.critical_disorder(h, P, reps)
    assert 0.05 < err < 0.4 and frac == 1.0
    assert np.isnan(cp.critical_disorder(h, np.ones(4))[0])  # never crosses: h_c > max(h)
    with pytest.raises(ValueError, match="increasing"):
        cp.critical_disorder(h[::-1], P)


@pytest.mark.parametrize("form", ["power", "kt"])
def test_critical_fits_recover_their_parameters(form):
    h = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    truth = cp.CriticalFit(form=form, exponent=1.5 if form == "power" else 2.0, exponent_err=0, prefactor=3.0,
                           h_c=8.0, h_c_err=0, chi2=0, dof=0)
    z = truth(h)
    fixed = cp.fit_critical_exponent(h, z, 0.05 * z, form=form, h_c=8.0)
    assert fixed.exponent == pytest.approx(truth.exponent, rel=1e-6) and fixed.chi2 < 1e-10
    free = cp.fit_critical_exponent(h, z, 0.05 * z, form=form)
    assert free.h_c == pytest.approx(8.0, rel=1e-3)
    other = cp.fit_critical_exponent(h, z, 0.05 * z, form="kt" if form == "power" else "power", h_c=8.0)
    assert other.chi2 > fixed.chi2
    with pytest.raises(ValueError, match="h_c must be"):
        cp.fit_critical_exponent(h, z, 0.05 * z, h_c=4.0)


def test_summarise_collects_every_h(tmp_path):
    cfg = tiny(tmp_path, rate_equation=True, dataset="tiny.json")
    en.run_sweep(cfg, workers=1)
    out = subprocess.run([sys.executable, "-m", "mbl_open", "export", str(cfg.source)], capture_output=True, text=True)
    assert out.returncode == 0 and cfg.dataset.exists()
    ens = en.book_dataset(str(cfg.dataset))
    s = cp.summarise(ens, 4, n_resamples=50)
    assert s.h.tolist() == [1.0, 6.0] and s.dbb.shape == (2, 3) and s.realisations.tolist() == [3, 3]
    np.testing.assert_allclose(s.dbb[1], cp.order_parameter(ens.betas_for(4, 6.0), n_resamples=50)[0])
    assert np.all(np.isfinite(s.dbb0)) and len(s.zfits) == 2 and s.P_replicas.shape == (2, 50)
    with pytest.raises(ValueError, match="name must be a dataset name"):
        en.book_dataset("../etc/passwd")
    with pytest.raises(FileNotFoundError, match="regenerate"):
        en.book_dataset("no_such_dataset")


def test_size_row_and_resolved_on_the_book_dataset():
    ens = en.book_dataset("book_exact")
    row = cp.size_row(ens, 8, window=(0.01, 0.05), n_resamples=50, seed=1)
    s = cp.summarise(ens, 8, window=(0.01, 0.05), n_resamples=50, seed=1)
    np.testing.assert_array_equal(row.z, s.z)
    hc = s.critical_disorder()[0]
    assert row.h_c == hc
    ok = cp.resolved(s, hc)
    assert ok.sum() >= 3 and np.all(s.h[ok] < hc) and np.all(s.z_err[ok] < s.z[ok])
    assert np.isfinite(row.nu) and row.nu > 0
    with pytest.raises(ValueError, match="N = 99 is not in the ensemble"):
        cp.summarise(ens, 99)
    with pytest.raises(ValueError, match="no h at N = 8 has min_realisations = 41 realisations"):
        cp.summarise(ens, 8, min_realisations=41)


def test_nu_sensitivity_refits_at_h_c_and_its_error_bounds():
    h = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    z = 2.0 * (8.0 - h) ** -1.5
    out = cp.nu_sensitivity(h, z, 0.05 * z, 8.0, 0.5)
    assert sorted(out) == [7.5, 8.0, 8.5]
    assert out[8.0][0] == pytest.approx(1.5, rel=1e-6) and out[8.0][1] == 5
    assert out[7.5][0] < 1.5 < out[8.5][0]  # a closer h_c needs a smaller nu for the same points
    assert cp.nu_sensitivity(h[:3], z[:3], 0.05 * z[:3], 2.5, 0.2) == {}  # fewer than 3 points below
    with pytest.raises(ValueError, match="one length"):
        cp.nu_sensitivity(h, z[:3], z, 8.0, 0.5)
    with pytest.raises(ValueError, match="h_c_err"):
        cp.nu_sensitivity(h, z, z, 8.0, -1.0)


def test_size_table_prints_every_size_and_the_paper_row():
    ens = en.book_dataset("book_exact")
    row = cp.size_row(ens, 8, window=(0.01, 0.05), n_resamples=50, seed=1)
    text = cp.format_size_table([("book_exact 360/360", 8, row), ("tebd_n12 17/168 incomplete", 12, "too few")],
                                [1.0, 4.0])
    lines = text.splitlines()
    assert lines[0].split()[:3] == ["N", "dataset", "R"] and "z(h=1)" in lines[0] and "nu" in lines[0]
    k = int(np.flatnonzero(row.h == 1.0)[0])
    assert f"{row.z[k]:6.2f} ± {row.z_err[k]:5.2f}" in lines[1]
    assert "(no row yet: too few)" in lines[2]
    assert lines[-1].split()[0] == "20" and cp.PAPER_N20["nu"] in lines[-1] and cp.PAPER_N20["h_c"] in lines[-1]
    assert "KT c" in lines[0] and cp.PAPER_N20["KT"] in lines[-1]
    s = cp.summarise(ens, 8, window=(0.01, 0.05), n_resamples=50, seed=1)
    ok = cp.resolved(s, row.h_c)
    kt = cp.fit_critical_exponent(s.h[ok], s.z[ok], s.z_err[ok], form="kt", h_c=row.h_c)
    assert row.kt_c == kt.exponent and row.chi2_kt == kt.chi2 and row.fit_dof == kt.dof
    assert row.probability("kt") == kt.probability == pytest.approx(scipy.stats.chi2.sf(kt.chi2, kt.dof), rel=1e-12)
    assert 0 < row.probability("power") <= 1 and cp.fit_probability(0.0, 2) == 1.0
    with pytest.raises(ValueError, match="dof"):
        cp.fit_probability(1.0, 0)
    with pytest.raises(ValueError, match="form must be"):
        row.probability("exp")
    with pytest.raises(ValueError, match="chi2"):
        cp.fit_probability(-1.0, 2)
    assert f"{kt.exponent:4.1f} ± {kt.exponent_err:3.1f}" in lines[1]
    assert f"{row.chi2_power:.1f} / {row.chi2_kt:.1f} ({kt.dof:g})" in lines[1]


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


def test_chi_convergence_and_z_by_size_on_the_committed_datasets():
    exact, chi = en.book_dataset("book_exact"), en.book_dataset("book_chi")
    N = chi.sizes()[0]
    h = chi.h_values(N)[0]
    rel = cp.chi_convergence(chi, exact, N, h)
    assert sorted(rel) == chi.chis() and all(v.shape == chi.eps.shape for v in rel.values())
    r = chi.realisations(N, h, chi.chis()[0])
    o_exact = dbeta_over_beta(exact.aligned_betas(N, h, realisations=r, eps=chi.eps)[:, -1])
    o_chi = dbeta_over_beta(chi.betas_for(N, h, chi.chis()[-1], drop_nan=False)[:, -1])
    assert rel[chi.chis()[-1]][-1] == pytest.approx(abs(o_chi - o_exact) / o_exact, rel=1e-12)
    assert rel[chi.chis()[-1]].max() < rel[chi.chis()[0]].max()  # a larger chi is closer to exact
    z = cp.z_by_size([exact, en.book_dataset("book_tebd")], [1.0], window=(0.03, 0.1))
    assert sorted(n for _, n in z) == sorted(set(exact.sizes()) | {10})
    assert z[1.0, 8].z == pytest.approx(cp.fit_z(exact.eps, exact.betas_for(8, 1.0), window=(0.03, 0.1)).z)
    with pytest.raises(TypeError, match="window"):
        cp.z_by_size([exact], [1.0], window=0.1)


def test_chi_convergence_to_largest_compares_each_chi_with_the_largest_on_the_same_chains():
    chi = en.book_dataset("book_chi")
    N = chi.sizes()[0]
    h = chi.h_values(N)[0]
    small, *_, top = chi.chis()
    rel = cp.chi_convergence_to_largest(chi, N, h)
    assert sorted(rel) == chi.chis()[:-1] and all(v.shape == chi.eps.shape for v in rel.values())
    r = np.intersect1d(chi.realisations(N, h, small), chi.realisations(N, h, top))
    o_top = dbeta_over_beta(chi.aligned_betas(N, h, top, realisations=r, eps=chi.eps)[:, -1])
    o_small = dbeta_over_beta(chi.aligned_betas(N, h, small, realisations=r, eps=chi.eps)[:, -1])
    assert rel[small][-1] == pytest.approx(abs(o_small - o_top) / o_top, rel=1e-12)
    # against the exact solver the same chains give nearly the same error at the smallest chi
    exact = cp.chi_convergence(chi, en.book_dataset("book_exact"), N, h)
    assert rel[small] == pytest.approx(exact[small], rel=0.1)
    with pytest.raises(ValueError, match="two bond dimensions"):
        cp.chi_convergence_to_largest(en.book_dataset("book_tebd"), 10, 1.0)
    with pytest.raises(TypeError, match="tebd"):
        cp.chi_convergence_to_largest("book_chi", N, h)
    with pytest.raises(ValueError, match="h = 7"):
        cp.chi_convergence_to_largest(chi, N, 7.0)


def test_compare_sizes_puts_the_longer_chain_next_to_the_summary():
    exact, tebd = en.book_dataset("book_exact"), en.book_dataset("book_tebd")
    s = cp.summarise(exact, 8, window=(0.01, 0.05), n_resamples=20, seed=1)
    c = cp.compare_sizes(tebd, s, n_resamples=20, seed=1)
    assert c.N == 10 and c.N_ref == 8 and c.h.tolist() == [1.0, 2.0, 3.0, 6.0]
    assert c.dbb.shape == c.ratio.shape == (4, tebd.eps.size) and c.pull.shape == (4,)
    v, e = cp.order_parameter(tebd.betas_for(10, 3.0), n_resamples=20, seed=1)
    cols = en.eps_index(s.eps, tebd.eps)
    np.testing.assert_allclose(c.ratio[2], v / s.dbb[2, cols], rtol=1e-12)
    assert c.pull[2] == pytest.approx(np.max(np.abs(v - s.dbb[2, cols]) / np.hypot(e, s.dbb_err[2, cols])))
    lines = cp.format_size_comparison(c).splitlines()
    assert len(lines) == 4 and lines[2].startswith("  h =  3.0: N = 10 / N = 8: ")
    assert f"largest |difference| / error {c.pull[2]:.1f};" in lines[2]
    with pytest.raises(ValueError, match="no h at N = 10 has min_realisations = 4 realisations"):
        cp.compare_sizes(tebd, s, min_realisations=4)
    with pytest.raises(ValueError, match="N = 12 is not in the ensemble"):
        cp.compare_sizes(tebd, s, N=12)
    with pytest.raises(TypeError, match="summary must be a CriticalPointSummary"):
        cp.compare_sizes(tebd, s.dbb)
    with pytest.raises(TypeError, match="comparison must be a SizeComparison"):
        cp.format_size_comparison(s)


def test_chi_table_has_one_row_per_bond_dimension():
    rel = {32: np.array([4e-5, 1e-3]), 8: np.array([5e-3, 4e-2])}
    lines = cp.format_chi_table(rel, [0.2, 0.03]).splitlines()
    assert lines[0].split() == ["chi", "eps=0.2", "eps=0.03"]
    assert lines[1].split() == ["8", "5.0e-03", "4.0e-02"] and lines[2].split()[0] == "32"
    with pytest.raises(ValueError, match=r"rel\[8\] has shape \(2,\), eps has \(3,\)"):
        cp.format_chi_table(rel, [0.2, 0.1, 0.03])
    with pytest.raises(TypeError, match="rel must be a non-empty dict"):
        cp.format_chi_table({}, [0.2])


def test_size_drift_compares_the_longest_chain_with_the_reference_size():
    ens = en.book_dataset("book_exact")
    rows = {n: cp.size_row(ens, n, window=(0.01, 0.05), n_resamples=50, seed=1) for n in (6, 8)}
    d = cp.size_drift(rows, 1.0, reference_N=6)
    k = list(rows[8].h).index(1.0)
    assert d["N"] == 8 and d["z"] == pytest.approx(rows[8].z[k]) and d["z_ref"] == pytest.approx(rows[6].z[k])
    from mbl_open.resampling import pull
    assert d["pull"] == pytest.approx(pull(rows[8].z[k], rows[8].z_err[k], rows[6].z[k], rows[6].z_err[k]))
    assert d["below_2"] == bool(rows[6].z[k] < 2 and rows[8].z[k] < 2)
    with pytest.raises(ValueError, match="reference_N = 7"):
        cp.size_drift(rows, 1.0, reference_N=7)
    with pytest.raises(TypeError, match="rows"):
        cp.size_drift([1, 2], 1.0, reference_N=6)
