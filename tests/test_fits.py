import numpy as np
import pytest

from mbl_open.numerics.fits import fit_power_law


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


def test_averaged_power_law_is_the_jackknife_of_the_fit():
    """The exponent's error is the block jackknife of the refit over configurations, the value the fit on all."""
    from mbl_open.numerics.fits import fit_averaged_power_law
    from mbl_open.numerics.resampling import jackknife

    rng = np.random.default_rng(4)
    x = np.geomspace(1e-3, 1e-1, 8)
    samples = x[:, None] ** 0.4 * rng.lognormal(0.0, 0.3, (x.size, 60))  # the same configurations at every x
    f = fit_averaged_power_law(x, lambda s: s.mean(axis=-1), samples, n_blocks=12)
    want_y, want_err = jackknife(lambda s: s.mean(axis=-1), samples, n_blocks=12)
    _, p_err = jackknife(lambda s: fit_power_law(x, s.mean(axis=-1)).exponent, samples, n_blocks=12)
    np.testing.assert_allclose(f.y, want_y)
    np.testing.assert_allclose(f.y_err, want_err)
    assert f.fit.exponent == pytest.approx(fit_power_law(x, want_y).exponent, rel=1e-12)
    assert f.fit.exponent_err == pytest.approx(p_err, rel=1e-12)
    assert abs(f.fit.exponent - 0.4) < 4 * f.fit.exponent_err
    with pytest.raises(TypeError, match="average"):
        fit_averaged_power_law(x, "mean", samples)
    with pytest.raises(ValueError, match="n_blocks"):
        fit_averaged_power_law(x, lambda s: s.mean(axis=-1), samples, n_blocks=61)


def test_local_exponent_is_the_slope_between_neighbours():
    from mbl_open.numerics.fits import local_exponent

    x = np.geomspace(1e-4, 1.0, 9)
    mid, slope = local_exponent(x, 2.0 * x**0.5)
    np.testing.assert_allclose(slope, 0.5, rtol=1e-12)
    np.testing.assert_allclose(mid, np.sqrt(x[1:] * x[:-1]))
    y = np.where(x < 1e-2, x, 1e-2)  # slope 1, then saturation (slope 0)
    _, slope = local_exponent(x, y)
    assert slope[0] == pytest.approx(1.0) and slope[-1] == pytest.approx(0.0, abs=1e-12)
    with pytest.raises(ValueError, match="increasing"):
        local_exponent(x[::-1], y)
    with pytest.raises(ValueError, match="same length"):
        local_exponent(x, y[:-1])
    with pytest.raises(ValueError, match="y"):
        local_exponent(x, -y)


def test_points_at_one_time_or_one_x_are_refused_naming_it():
    """fit_exponential_decay with every t equal returned a rate (1.25); fit_power_law raised LinAlgError."""
    from mbl_open.numerics.fits import fit_exponential_decay

    with pytest.raises(ValueError, match="t must span a range"):
        fit_exponential_decay(np.full(8, 2.0), np.exp(-np.arange(8.0)))
    with pytest.raises(ValueError, match="t must span a range"):  # the selected points: t >= t_min
        fit_exponential_decay([0.0, 0.0, 1.0, 1.0, 1.0, 1.0], np.exp(-np.arange(6.0)), t_min=0.5)
    with pytest.raises(ValueError, match="x must span a range"):
        fit_power_law([1.0, 1.0, 1.0], [1.0, 2.0, 3.0])


def test_an_average_that_cannot_be_fitted_is_refused_naming_samples():
    """A zero or wrongly shaped average was refused as 'y must be ...' or 'x and y must have the same length'."""
    from mbl_open.numerics.fits import fit_averaged_power_law

    x = np.array([0.1, 0.2, 0.4])
    with pytest.raises(ValueError, match=r"average\(\*samples\) must be finite and > 0"):
        fit_averaged_power_law(x, lambda s: s.mean(axis=-1), np.zeros((3, 8)))
    with pytest.raises(ValueError, match=r"average\(\*samples\) must give one value per x"):
        fit_averaged_power_law(x, lambda s: s.mean(axis=-1), np.ones((4, 8)))
