"""mbl_open.critical.tables: the finite-size and bond-dimension tables."""

import numpy as np
import pytest
import scipy.stats

from mbl_open import critical as cp
from mbl_open import ensemble as en


def test_size_table_prints_every_size_and_the_paper_row():
    ens = en.book_dataset("book_exact")
    row = cp.size_row(ens, 8, window=(0.01, 0.05), n_resamples=50, seed=1)
    text = cp.format_size_table([("book_exact 360/360", 8, row), ("tebd_n12 17/168 incomplete", 12, "too few")],
                                [1.0, 4.0])
    lines = text.splitlines()
    assert lines[0].split()[:3] == ["N", "dataset", "R"] and "z(h=1)" in lines[0] and "nu" in lines[0]
    k = int(np.flatnonzero(row.h == 1.0)[0])
    assert f"{row.z[k]:6.2f} ± {row.z_err[k]:5.2f}" in lines[1]
    assert "(no row)" in lines[2] and lines[-1].endswith("; N = 12 (tebd_n12 17/168 incomplete): no row, too few")
    paper = lines[-2]  # the last row; the notes follow the table
    assert paper.split()[0] == "20" and cp.PAPER_N20["nu"] in paper and cp.PAPER_N20["h_c"] in paper
    assert "KT c" in lines[0] and cp.PAPER_N20["KT"] in paper and lines[-1].startswith("R: fewest realisations")
    html = cp.size_table([("book_exact 360/360", 8, row)], [1.0, 4.0])._repr_html_()
    assert html.count("<tr>") == 3 and "<th>z(h=1)</th>" in html and "<td>(no row" not in html
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


def test_chi_table_has_one_row_per_bond_dimension():
    rel = {32: np.array([4e-5, 1e-3]), 8: np.array([5e-3, 4e-2])}
    lines = cp.format_chi_table(rel, [0.2, 0.03]).splitlines()
    assert lines[0].split() == ["chi", "eps=0.2", "eps=0.03"]
    assert lines[1].split() == ["8", "5.0e-03", "4.0e-02"] and lines[2].split()[0] == "32"
    with pytest.raises(ValueError, match=r"rel\[8\] has shape \(2,\), eps has \(3,\)"):
        cp.format_chi_table(rel, [0.2, 0.1, 0.03])
    with pytest.raises(TypeError, match="rel must be a non-empty dict"):
        cp.format_chi_table({}, [0.2])


def test_size_rows_fit_nu_only_where_h_c_is_placed():
    n16 = cp.size_row(en.book_dataset("tebd_n16"), 16, window=(0.03, 0.1), n_resamples=60)
    assert not n16.placed and np.isnan(n16.nu)          # its crossing sits at the last h = 6
    assert "> 6" in cp.format_size_table([("tebd_n16", 16, n16)], [1.0]).splitlines()[1]


def test_the_model_table_and_the_fit_verdict_say_which_model_holds():
    from _helpers import model_betas

    eps = np.array([0.2, 0.1, 0.05, 0.03, 0.02])
    c = cp.compare_models(eps, model_betas(lambda e: e**0.25, eps), N=10)
    table = cp.format_model_table({1.0: c})
    assert table.splitlines()[1].split()[-1] == c.best.model and "power_law" in table.splitlines()[0]
    assert cp.fit_verdict(c["power_law"]).startswith("describes the whole curve")
    assert cp.fit_verdict(c["mbl_linear"]).startswith("is rejected")


def test_z_from_fewer_than_ten_realisations_is_printed_as_a_dash():
    row = cp.SizeRow(N=10, h=np.array([1.0, 2.0]), realisations=np.array([3, 3]), z=np.array([1.5, 4.3]),
                     z_err=np.array([0.55, 2.0]), h_c=4.5, h_c_err=0.0, nu=1.7, nu_err=0.1)
    line = cp.format_size_table([("book_tebd", 10, row)], [1.0, 2.0]).splitlines()[1]
    assert "1.50" not in line and "4.50" not in line and "1.7" not in line and line.split()[3:5] == ["-", "-"]
