"""mbl_open.critical.summaries: a dataset's numbers per chain length, on the committed datasets and a tiny sweep."""
import subprocess
import sys

import numpy as np
import pytest

from mbl_open import critical as cp
from mbl_open import ensemble as en
from mbl_open.lindblad import dbeta_over_beta

from _helpers import tiny


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


def test_size_drift_compares_the_longest_chain_with_the_reference_size():
    ens = en.book_dataset("book_exact")
    rows = {n: cp.size_row(ens, n, window=(0.01, 0.05), n_resamples=50, seed=1) for n in (6, 8)}
    d = cp.size_drift(rows, 1.0, reference_N=6)
    k = list(rows[8].h).index(1.0)
    assert d["N"] == 8 and d["z"] == pytest.approx(rows[8].z[k]) and d["z_ref"] == pytest.approx(rows[6].z[k])
    from mbl_open.numerics.resampling import pull
    assert d["pull"] == pytest.approx(pull(rows[8].z[k], rows[8].z_err[k], rows[6].z[k], rows[6].z_err[k]))
    with pytest.raises(ValueError, match="reference_N = 7"):
        cp.size_drift(rows, 1.0, reference_N=7)
    with pytest.raises(TypeError, match="rows"):
        cp.size_drift([1, 2], 1.0, reference_N=6)


def test_z_by_size_refuses_an_h_that_no_dataset_holds():
    """An h absent from the data gave {} without a word."""
    exact = en.book_dataset("book_exact")
    with pytest.raises(ValueError, match=r"h_values \[5.5\] are in none of the datasets; the h they hold are \[1.0"):
        cp.z_by_size([exact], [1.0, 5.5], window=(0.03, 0.1))


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


def test_the_limit_of_a_limit_sweep_is_compared_with_the_ladder_on_the_same_chains(tmp_path):
    ladder = tiny(tmp_path, N=5, realisations=3, dataset="ladder.json")
    limit = en.make_config(dict(store="limit", N=5, h=[1.0, 6.0], realisations=3, method="limit", seed=5,
                                dataset="limit.json"), base=tmp_path)
    assert en.run_sweep(ladder, workers=1).done == 6 and en.run_sweep(limit, workers=1).done == 6
    a, b = (en.load_dataset(en.export_dataset(c, c.dataset)) for c in (ladder, limit))
    c = cp.compare_limit(b, a, 5, n_resamples=20)
    assert c.h.tolist() == [1.0, 6.0] and c.chains.tolist() == [3, 3] and c.eps_min == 0.05
    assert np.all(c.gap > 0) and np.all(np.isfinite(c.dbb0))
    assert c.dbb0[1] > c.dbb0[0]                       # strong disorder keeps its variations as eps -> 0
    assert cp.format_limit_comparison(c).count("\n") == 3
    with pytest.raises(ValueError, match="method: limit"):
        cp.compare_limit(a, a, 5)


def test_a_placed_crossing_carries_the_range_of_nu_over_its_error():
    row = cp.size_row(en.book_dataset("book_exact"), 8, window=(0.03, 0.1), n_resamples=100, slope_eps=(0.02, 0.03))
    assert row.placed and np.isfinite(row.nu)
    lo, hi = row.nu_range
    assert lo < row.nu < hi                      # nu at h_c - err, h_c, h_c + err: the joint uncertainty
    line = cp.format_size_table([("book_exact", 8, row)], [1.0]).splitlines()[1]
    assert f"{row.nu:.1f} [{lo:.1f}, {hi:.1f}]" in line


def test_a_growing_sweep_is_summarised_on_its_well_sampled_h():
    n12 = en.book_dataset("tebd_n12")                 # h = 1 ... 8 with 24 realisations, new h with a few
    assert cp.well_sampled_minimum(n12, 12) == cp.rules.WELL_SAMPLED
    s = cp.summarise(n12, 12, window=(0.02, 0.05), n_resamples=20, min_realisations=cp.well_sampled_minimum(n12, 12))
    assert s.realisations.min() >= cp.rules.WELL_SAMPLED
    assert cp.well_sampled_minimum(en.book_dataset("tebd_n20"), 20) == 2   # nothing well sampled: all that is there
