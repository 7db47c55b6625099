"""Models of dbeta/beta(eps): known answers on synthetic ensembles drawn from each model, the limits of the
finite-chain diffusion curve, local slopes and the systematic error of z."""
import numpy as np
import pytest

from mbl_open import critical as cm
from mbl_open.critical import models
from mbl_open.numerics.resampling import jackknife, jackknife_covariance

from _helpers import model_betas

EPS = np.array([0.2, 0.1, 0.05, 0.03, 0.02])


def ensemble(curve, *, R=400, B=15, seed=1, noise=0.5):
    return model_betas(curve, EPS, R=R, B=B, seed=seed, noise=noise)


def test_the_diffusion_curve_has_the_continuum_and_the_single_mode_limits():
    eps = np.array([1e-3, 2e-3])
    long = cm.diffusion_curve(eps, 20001, 1.0)           # bath length 1/sqrt(eps) << N: continuum, eps**(1/4)
    assert np.log(long[1] / long[0]) / np.log(2) == pytest.approx(0.25, abs=0.01)
    short = cm.diffusion_curve(eps, 8, 1.0)              # eps << D lambda_1: every mode linear in eps
    assert np.log(short[1] / short[0]) / np.log(2) == pytest.approx(1.0, abs=0.01)
    # an effective z below 2 on a short chain, growing with the chain at a fixed eps window ...
    zs = [cm.effective_z([0.02, 0.03, 0.05], N, 0.1) for N in (8, 16, 64, 4096)]
    assert zs[0] < zs[1] < zs[2] <= zs[3] < 2.0
    # ... and reaching 2 only where the bath length sqrt(D / eps) is many bonds (no lattice corrections)
    assert zs[3] < 1.95 and cm.effective_z([0.02, 0.03, 0.05], 4096, 10.0) == pytest.approx(2.0, rel=0.01)


def test_jackknife_covariance_diagonal_is_the_jackknife_error_squared():
    b = ensemble(lambda e: e**0.25, R=40)
    x = np.moveaxis(b, 0, -1)
    f = models._dbb
    _, err = jackknife(f, x, n_blocks=20)
    y, cov = jackknife_covariance(f, x, n_blocks=20)
    np.testing.assert_allclose(np.sqrt(np.diag(cov)), err, rtol=1e-12)
    assert np.all(np.linalg.eigvalsh(cov) > 0) and cov[0, -1] > 0     # correlated, positive definite


@pytest.mark.parametrize("truth, curve, check", [
    ("power_law", lambda e: e**0.25, lambda f: abs(f.params["p"] - 0.25) < 3 * f.errors["p"]),
    ("diffusion", lambda e: cm.diffusion_curve(e, 12, 2.0), lambda f: abs(np.log(f.params["D"] / 2.0)) < 0.3),
    ("mbl_linear", lambda e: 0.8 - 0.5 * e, lambda f: abs(f.params["b"] / f.params["y0"] + 0.625) < 0.05),
    ("power_floor", lambda e: 0.2 + e**0.5, lambda f: abs(f.params["p"] - 0.5) < 3 * f.errors["p"]),
])
def test_each_model_is_recovered_from_an_ensemble_drawn_from_it(truth, curve, check):
    comparison = cm.compare_models(EPS, ensemble(curve), N=12)
    fit = comparison[truth]
    assert check(fit), fit
    assert fit.acceptable, fit                                         # chi2 probability >= 1%
    if truth != "power_floor":                                         # it contains the others: not penalised away
        assert comparison.best.model == truth or comparison.weights[truth] > 0.1, comparison.weights


def test_diffusion_data_are_told_apart_from_an_mbl_intercept_and_a_pure_power_law():
    comparison = cm.compare_models(EPS, ensemble(lambda e: cm.diffusion_curve(e, 16, 0.1), R=2000), N=16)
    assert comparison["diffusion"].aic < comparison["mbl_linear"].aic - 10
    assert comparison["diffusion"].aic < comparison["power_law"].aic
    assert not comparison["power_law"].acceptable                      # a drifting slope is not one power law


def test_local_slopes_of_a_power_law_are_its_exponent_and_of_diffusion_they_drift():
    s = cm.local_slopes(EPS, ensemble(lambda e: e**0.3))
    np.testing.assert_allclose(s.slope, 0.3, atol=4 * s.slope_err.max())
    assert np.all(np.diff(s.eps_mid) > 0)
    d = cm.local_slopes(EPS, ensemble(lambda e: cm.diffusion_curve(e, 12, 1.0), R=2000))
    assert d.slope[0] > d.slope[-1] + 5 * np.hypot(d.slope_err[0], d.slope_err[-1])   # steeper at small eps
    assert np.all(d.z_local < 2.0)


def test_z_with_systematics_on_a_clean_power_law_and_on_a_short_diffusive_chain():
    z = cm.z_with_systematics(EPS, ensemble(lambda e: e**0.25), window=(0.02, 0.05))
    assert abs(z.z - 2.0) < 3 * z.stat and z.resolved
    assert np.isfinite(z.sys) and z.sys < 4 * z.stat
    assert set(z.alternatives) == {"power law, eps 0.03-0.1", "power law, eps 0.05-0.2", "power law + floor, all eps"}


def test_bad_input_is_refused_naming_the_parameter():
    y, cov = cm.order_parameter_covariance(EPS, ensemble(lambda e: e**0.25, R=30))
    with pytest.raises(ValueError, match="needs at least 4 eps inside window"):
        cm.fit_model("power_floor", EPS, y, cov, window=(0.02, 0.05))
    with pytest.raises(ValueError, match="model must be one of"):
        cm.fit_model("kt", EPS, y, cov)
    with pytest.raises(ValueError, match="N \\(the chain length\\) is required"):
        cm.fit_model("diffusion", EPS, y, cov)
    with pytest.raises(ValueError, match="cov must be positive definite"):
        cm.fit_model("power_law", EPS, y, np.ones((5, 5)))
    with pytest.raises(ValueError, match="betas must hold at least 3 realisations"):
        cm.order_parameter_covariance(EPS, ensemble(lambda e: e, R=2))
    with pytest.raises(ValueError, match="eps must hold at least 2 distinct"):
        cm.effective_z([0.1, 0.1], 12, 1.0)


def test_too_few_realisations_for_a_covariance_are_refused_in_one_line():
    with pytest.raises(ValueError, match="a covariance of 5 eps values needs at least 8 realisations"):
        cm.compare_models(EPS, ensemble(lambda e: e**0.25, R=6), N=12)


def test_z_estimates_print_both_errors_or_the_bound_the_slope_allows():
    clean = cm.z_with_systematics(EPS, ensemble(lambda e: e**0.25), window=(0.02, 0.05))
    assert clean.resolved and clean.text().startswith(f"{clean.z:.2f} ± {clean.stat:.2f} (stat)")
    flat = cm.z_with_systematics(EPS, ensemble(lambda e: 0.8 - 0.01 * e, R=200), window=(0.02, 0.05))
    assert not flat.resolved and (flat.text() == "-" or flat.text().startswith("> "))
    if np.isfinite(flat.lower_bound):
        assert flat.lower_bound == pytest.approx(1 / (2 * (flat.p + 2 * flat.p_err)))
    table = cm.format_z_estimates({1.0: clean, 8.0: flat})
    assert table.count("\n") == 1 and "(stat)" in table.splitlines()[0]
