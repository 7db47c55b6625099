"""mbl_open.critical.rules: when a z is resolved, a size well sampled, a crossing placed by the grid."""
import numpy as np

from mbl_open import critical as cp
from mbl_open.critical import rules


def test_z_is_resolved_only_when_finite_with_an_error_below_itself():
    z = np.array([1.5, 8.0, np.inf, 3.0, np.nan])
    err = np.array([0.1, 9.0, np.inf, np.nan, 0.1])
    np.testing.assert_array_equal(rules.z_resolved(z, err), [True, False, False, False, False])
    assert rules.z_resolved(2.0, 1.9) and not rules.z_resolved(2.0, 2.0)


def test_a_size_is_well_sampled_from_ten_realisations_at_every_h():
    assert rules.well_sampled([10, 24, 12]) and not rules.well_sampled([24, 9]) and not rules.well_sampled([])


def test_a_crossing_at_the_last_grid_point_or_crossed_by_few_replicas_is_a_bound():
    h = [1, 2, 3, 4, 6]
    assert rules.crossing_placed(4.5, h, 0.95)
    assert not rules.crossing_placed(6.0, h, 0.95)          # at the last point: how far beyond is unknown
    assert not rules.crossing_placed(4.5, h, 0.61)          # most replicas do not cross inside the range
    assert not rules.crossing_placed(np.nan, h, 1.0)


def test_every_consumer_asks_the_same_rule():
    # the summaries' resolved(), a size row's z_at and the table's 'unresolved' agree on one example
    row = cp.SizeRow(N=8, h=np.array([1.0, 2.0, 4.0]), realisations=np.array([40, 40, 40]),
                     z=np.array([1.3, 3.0, 9.0]), z_err=np.array([0.1, 0.5, 12.0]), h_c=np.nan, h_c_err=np.nan,
                     nu=np.nan, nu_err=np.nan)
    assert row.z_at(1.0) == (1.3, 0.1) and row.z_at(4.0) == "unresolved" and row.z_at(5.0) is None
    table = cp.format_size_table([("x", 8, row)], [1.0, 4.0])
    assert "unresolved" in table.splitlines()[1] and "1.30 ±  0.10" in table.splitlines()[1]
