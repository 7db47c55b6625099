"""The relative spread, defined once (mbl_open.numerics.spread) and used by networks, thermometry and the ensembles."""
import numpy as np
import pytest

from mbl_open import critical, lindblad as lb
from mbl_open.resistor_networks.thermal import fluctuation_ratio
from mbl_open.numerics.spread import relative_spread, relative_spread_from_moments


def test_one_statistic_everywhere():
    rng = np.random.default_rng(4)
    b = rng.uniform(0.5, 1.5, size=(7, 5))  # (configurations, sites)
    expected = np.sqrt(np.mean(np.var(b, axis=1))) / np.mean(b)
    assert relative_spread(b, site_axis=1, config_axis=0) == pytest.approx(expected, rel=1e-14)
    assert relative_spread(b.T, site_axis=0, config_axis=1) == pytest.approx(expected, rel=1e-14)
    assert lb.dbeta_over_beta(b) == pytest.approx(expected, rel=1e-14)
    assert fluctuation_ratio(b.var(axis=1), b.mean(axis=1)) == pytest.approx(expected, rel=1e-14)
    stacked = np.stack([b, 2 * b + 1])  # (E, R, B) -> critical expects (R, E, B)
    value, _ = critical.order_parameter(np.moveaxis(stacked, 0, 1), n_resamples=10)
    np.testing.assert_allclose(value, [relative_spread(x, site_axis=1, config_axis=0) for x in stacked], rtol=1e-13)
    assert relative_spread_from_moments([1.0, 4.0], [2.0, 2.0]) == pytest.approx(np.sqrt(2.5) / 2)
    with pytest.raises(ValueError, match="must differ"):
        relative_spread(b, site_axis=0, config_axis=0)


@pytest.mark.parametrize("call, exc, match", [
    (lambda: relative_spread_from_moments([1.0, np.nan], [1.0, 1.0]), ValueError, "var contains nan"),
    (lambda: relative_spread_from_moments([1.0, 2.0], [1.0]), ValueError, "same shape"),
    (lambda: relative_spread_from_moments([1.0, -2.0], [1.0, 1.0]), ValueError, "var must be >= 0"),
    (lambda: relative_spread_from_moments([1.0, 2.0], [1.0, -1.0]), ValueError, "mean is zero"),
    (lambda: relative_spread_from_moments([1j, 2.0], [1.0, 1.0]), TypeError, "var"),
    (lambda: relative_spread(np.ones(4), site_axis=0, config_axis=0), ValueError, "site axis"),
    (lambda: relative_spread(np.ones((3, 4)), site_axis=2, config_axis=0), ValueError, "site_axis"),
    (lambda: relative_spread([["a", "b"], ["c", "d"]], site_axis=1, config_axis=0), TypeError, "values"),
    (lambda: critical.resolved("summary"), TypeError, "CriticalPointSummary"),
])
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


@pytest.mark.parametrize("call, match", [
    (lambda: relative_spread_from_moments([], []), "var and mean must not be empty"),  # returned nan
    (lambda: relative_spread(np.zeros((0, 4)), site_axis=1, config_axis=0), "values must not be empty"),  # nan
    (lambda: relative_spread(np.zeros((3, 4)), site_axis=1, config_axis=0), "values must not average to zero"),
    (lambda: critical.order_parameter_realisations(np.zeros((3, 2, 4))), r"betas must have a nonzero mean"),  # nan
    (lambda: critical.order_parameter(np.zeros((3, 2, 4))), r"betas must have a nonzero mean"),  # said 'mean'
])
def test_nothing_to_average_is_refused_naming_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()
