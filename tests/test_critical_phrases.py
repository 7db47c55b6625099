"""mbl_open.critical.phrases: the data-dependent clauses the chapters glue into their prose."""

import numpy as np
import pytest

from mbl_open import critical as cp
from mbl_open.critical.statistics import CriticalFit


def test_h_c_is_a_value_only_where_the_grid_places_it_and_the_size_is_well_sampled():
    h, R = np.array([1.0, 2, 3, 4, 6]), np.array([12] * 5)
    assert cp.hc_text(4.5, 0.3, h, 0.95, R, plain=True) == "4.50 ± 0.30"
    assert cp.hc_text(6.0, 0.25, h, 0.61, R, plain=True) == "> 6"            # the last grid point
    assert cp.hc_text(4.5, 0.3, h, 0.5, R, plain=True) == "> 4"              # most replicas do not cross
    assert cp.hc_text(np.nan, np.nan, h, 0.0, R, plain=True) == "> 6"        # no crossing in the range
    assert cp.hc_text(4.5, 0.3, h, 0.95, np.array([3] * 5), plain=True) == "-"  # too few realisations
    assert cp.hc_text(6.0, 0.25, h, 0.61, R).startswith("above 6 (a bound: the disorder grid does not place")
    assert cp.hc_text(4.5, 0.3, h, 0.95, R) == "at 4.50 $\\pm$ 0.30"


def test_the_rate_equation_regime_is_named_from_the_ratio_of_eps_to_the_level_spacing():
    assert cp.limit_regime_text(0.02, 0.011).startswith("is 1.8 times that spacing, so the ladder does not reach")
    assert cp.limit_regime_text(1e-4, 0.011).startswith("is 0.0091 of that spacing, inside the rate-equation")
    with pytest.raises(ValueError, match="gap"):
        cp.limit_regime_text(0.02, 0.0)


def test_hc_text_and_compare_models_name_a_bad_argument():
    with pytest.raises(TypeError, match="h_c"):
        cp.hc_text("x", 0.1, [1.0, 2.0], 0.9, [12, 12])
    with pytest.raises(TypeError, match="window"):
        cp.compare_models([0.1, 0.2], np.ones((10, 2, 3)), N=4, window="x")


def test_the_plateau_clause_names_a_plateau_the_last_point_or_nowhere():
    h = np.array([1.0, 2, 3, 4, 5])
    err = np.full(5, 0.05)
    assert cp.plateau_clause(h, [1, 0.9, 0.52, 0.5, 0.47], err) == (
        "from $h = 3$ to $h = 5$ (3 disorder strengths) $P$ stays within two bootstrap errors of $1/2$")
    assert cp.plateau_clause(h, [1, 0.9, 0.8, 0.7, 0.55], err).startswith("only at the strongest disorder, $h = 5$")
    assert cp.plateau_clause(h, [1, 0.9, 0.8, 0.7, 0.65], err).startswith("no disorder strength")
    # a dip to 1/2 in the middle that leaves again is no plateau at the end
    assert cp.plateau_clause(h, [1, 0.5, 0.8, 0.7, 0.65], err).startswith("no disorder strength")
    with pytest.raises(ValueError, match="same length"):
        cp.plateau_clause(h, [1, 0.5], err)


def test_values_are_compared_in_errors_and_bounds_are_not():
    assert cp.pull_clause(5.0, 0.3, 5.8, 0.4, "the $N = 8$ value") == "1.6 combined errors from the $N = 8$ value"
    assert cp.pull_clause(5.0, 0.3, 5.8, 0.4, "x", comparable=False).startswith("not compared in errors")
    paper = cp.PAPER_N20_VALUES
    assert cp.paper_clause(8, 5.5, 0.69, True, 2.1, 0.3, paper=paper) == (
        "at $N = 8$, $h_c$ is 3.8 combined errors from the paper's and $\\nu$ is 2.0")
    assert cp.paper_clause(16, 6.0, 0.25, False, paper=paper) == (
        "at $N = 16$, $h_c$ is a bound, so it cannot be compared with the paper's in errors")


def _fit(chi2, dof):
    return CriticalFit("power", 2.0, 0.3, 1.0, 6.0, 0.0, chi2, dof)


def test_the_fit_quality_clause_reports_chi2_and_rejects_only_when_every_form_fails():
    good = cp.fit_quality_clause({"power": _fit(1.2, 2)})
    assert good == "the power law has $\\chi^2$ = 1.2 for 2 degrees of freedom (probability 0.55)"
    bad = cp.fit_quality_clause({"power": _fit(30.0, 2), "kt": _fit(40.0, 2)})
    assert bad.endswith("so neither describes these points within their errors")
    assert cp.fit_quality_clause({}) == "there is no fit at this size"


def test_nu_is_quoted_with_its_range_over_h_c_or_not_at_all():
    assert cp.nu_range_clause(2.1, [1.5, 2.1, 2.6]) == (
        "$\\nu$ = 2.1 at that $h_c$, but anywhere from 1.5 to 2.6 when $h_c$ moves within its error")
    assert cp.nu_range_clause(np.nan, []).startswith("no $\\nu$ is fitted")
    assert cp.nu_points_clause([3, 5, 4]) == "the $\\nu$ fits rest on 3 to 5 resolved disorder strengths per size"
    assert cp.nu_points_clause([3]) == "the $\\nu$ fits rest on 3 resolved disorder strengths per size"
    assert cp.nu_points_clause([]).startswith("no size has three")


def test_the_size_clauses_count_what_they_say():
    ratio = np.array([[1.1, 1.2], [0.9, 0.8], [1.1, 0.9]])
    text = cp.size_difference_clause(8, 12, [1.0, 2.0, 3.0], [0.5, -2.5, 1.0], ratio)
    assert text == ("between $N = 8$ and $N = 12$ the largest difference is 2.5 combined errors (at $h = 2$), 1 of "
                    "the 3 shared disorder strengths differ by two or more, and the longer chain's curve lies above "
                    "the shorter one's at every coupling for 1 of them and below for 1")
    assert cp.size_difference_clause(8, None, [], [], [[]]).startswith("no second chain length")
    drift = dict(N=12, z=1.37, z_err=0.11, N_ref=8, z_ref=1.30, z_ref_err=0.14, pull=0.39)
    assert cp.drift_clause(drift) == ("shows no systematic drift towards the diffusive 2 (from 1.30 ± 0.14 at N = 8 "
                                      "to 1.37 ± 0.11 at N = 12, 0.4 combined errors)")
    assert cp.drift_clause(dict(drift, pull=2.5)).startswith("moves towards the diffusive 2")
    assert cp.drift_clause(dict(drift, pull=-2.5)).startswith("moves away from the diffusive 2")
    assert cp.trend_clause(1.2).startswith("no significant trend") and cp.trend_clause(2.5).startswith("a difference")


def test_crossings_are_compared_only_where_the_grid_places_them():
    class Row:
        def __init__(self, placed, h_c, h_c_err):
            self.placed, self.h_c, self.h_c_err = placed, h_c, h_c_err

    rows = {8: Row(True, 5.5, 0.69), 12: Row(True, 7.0, 1.18), 16: Row(False, 6.0, 0.25)}
    assert cp.crossings_clause(rows) == ("the crossings $h_c$ that the grid places (N = 8, 12) lie at most "
                                         "1.1 combined errors apart")
    assert cp.crossings_clause({16: rows[16]}).startswith("fewer than two sizes")


def test_intercept_and_window_clauses():
    assert cp.intercept_clause(8, 1.0, 0.0634, 0.1211, 0.01) == (
        "at $N = 8$ and $h = 1$ the rate equation gives $\\delta\\beta/\\bar\\beta = 0.063$ at "
        "$\\varepsilon \\to 0$, against 0.121 at $\\varepsilon = 0.01$")
    assert cp.intercept_clause(None, None, None, None, None).startswith("no dataset")
    assert cp.window_shift_clause([0.5, 1.5], 2.0) == (
        "the curve is straighter: $z$ moves by 0.5 combined errors, against 1.5 at $h$ = 2")
    assert cp.window_shift_clause([1.5, 0.5], 2.0).startswith("the curve bends as well")


def test_the_clauses_name_a_bad_argument():
    with pytest.raises(TypeError, match="a must be"):
        cp.pull_clause("x", 0.1, 1.0, 0.1, "y")
    with pytest.raises(TypeError, match="rows must be a dict N -> SizeRow"):
        cp.crossings_clause([1, 2])
