import numpy as np
import pytest

from mbl_open.fits import fit_power_law


def test_exact_power_law_is_recovered():
    x = np.geomspace(1e-4, 1e-1, 10)
    fit = fit_power_law(x, 3.0 * x**0.37)
    assert fit.exponent == pytest.approx(0.37, abs=1e-12)
    assert fit.prefactor == pytest.approx(3.0, rel=1e-12)
    assert fit(1e-2) == pytest.approx(3.0 * 1e-2**0.37)


def test_weights_and_window():
    rng = np.random.default_rng(0)
    x = np.geomspace(1e-4, 1, 40)
    y = x**0.25 * (1 + 0.01 * rng.normal(size=x.size))
    y[x > 0.1] = 1.0  # saturation outside the window
    fit = fit_power_law(x, y, 0.01 * y, window=(1e-4, 1e-2))
    assert abs(fit.exponent - 0.25) < 4 * fit.exponent_err
    assert fit.exponent_err < 0.01
    assert fit.n_points == int(np.sum(x <= 1e-2))


@pytest.mark.parametrize(
    "args, kwargs",
    [
        (([1, 2], [1, 2]), {}),
        (([1, 2, 3], [1, 2]), {}),
        (([1, 2, 3], [1, -2, 3]), {}),
        (([1, 2, 3], [1, 2, 3]), {"window": (3, 1)}),
        (([1, 2, 3], [1, 2, 3], [1, 1]), {}),
    ],
)
def test_bad_input(args, kwargs):
    with pytest.raises(ValueError):
        fit_power_law(*args, **kwargs)
