"""mbl_open.critical.statistics: the order parameter, z fits, P(h), h_c and the divergence fits, on arrays."""

import numpy as np
import pytest

from mbl_open import critical as cp
from mbl_open.lindblad import dbeta_over_beta

from _helpers import synthetic_betas as _synthetic


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


def test_nu_sensitivity_refits_at_h_c_and_its_error_bounds():
    h = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    z = 2.0 * (8.0 - h) ** -1.5
    out = cp.nu_sensitivity(h, z, 0.05 * z, 8.0, 0.5)
    assert sorted(out) == [7.5, 8.0, 8.5]
    assert out[8.0][0] == pytest.approx(1.5, rel=1e-6) and out[8.0][1] == 5
    assert out[7.5][0] < 1.5 < out[8.5][0]  # a closer h_c needs a smaller nu for the same points
    assert sorted(cp.nu_sensitivity(h[:3], z[:3], 0.05 * z[:3], 3.5, 1.0)) == [3.5, 4.5]  # 2 left below 2.5
    with pytest.raises(ValueError, match="one length"):
        cp.nu_sensitivity(h, z[:3], z, 8.0, 0.5)
    with pytest.raises(ValueError, match="h_c_err"):
        cp.nu_sensitivity(h, z, z, 8.0, -1.0)


@pytest.mark.parametrize("h, h_c, match", [
    ([1.0, 2.0, 3.0, 4.0], 2.5, r"h_c must be > max\(h\) = 4 .*got h_c = 2.5"),  # returned {}
    ([1.0, 2.0, 3.0, 4.0], 4.0, r"h_c must be > max\(h\) = 4"),
    ([1.0, 2.0], 8.0, "h must hold at least three resolved exponents"),  # returned {}
])
def test_nu_sensitivity_refuses_what_leaves_nothing_to_fit(h, h_c, match):
    z = 2.0 * (8.0 - np.asarray(h)) ** -1.5
    with pytest.raises(ValueError, match=match):
        cp.nu_sensitivity(h, z, 0.05 * z, h_c, 0.5)


def test_betas_of_infinite_temperature_are_refused_naming_betas():
    """order_parameter_realisations of zero betas returned nan; fit_z said 'mean' or 'y must be'."""
    eps, b = _synthetic(R=6)
    one_zero = b.copy()
    one_zero[2, 1] = 0.0
    with pytest.raises(ValueError, match=r"betas must have a nonzero mean .* betas\[2, 1\] has mean 0"):
        cp.order_parameter_realisations(one_zero)
    with pytest.raises(ValueError, match="betas must have a nonzero mean over realisations and bonds"):
        cp.fit_z(eps, np.zeros_like(b))
    with pytest.raises(ValueError, match=r"betas must give dbeta/beta > 0 .* got 0 at eps = 0.2"):
        cp.fit_z(eps, np.full_like(b, 0.5))  # no spread over the bonds
    with pytest.raises(ValueError, match="betas must hold at least 2 realisations"):
        cp.fit_z(eps, b[:1])
    with pytest.raises(ValueError, match=r"eps must be distinct values, got duplicates \[0.2\]"):
        cp.fit_z([0.2, 0.2, 0.05, 0.02], b)  # LinAlgError where every eps of the fit was equal


def test_fit_critical_exponent_names_what_has_too_few_points():
    with pytest.raises(ValueError, match="h, z and z_err must hold at least 3 points, got 2"):
        cp.fit_critical_exponent([1.0, 2.0], [2.0, 3.0], [0.1, 0.1], h_c=6.0)
