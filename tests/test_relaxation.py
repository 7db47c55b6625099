"""Relaxation to the steady state: the exponential fit, the noise floor, a short TEBD run."""
import numpy as np
import pytest

from mbl_open import lindblad as lb
from mbl_open.fits import fit_exponential_decay


def test_exponential_fit_recovers_a_known_rate_above_its_floor():
    t = np.linspace(0.0, 10.0, 41)
    y = 0.3 * np.exp(-0.8 * t) + 1e-6  # a decay onto a floor
    fit = fit_exponential_decay(t, y, t_min=1.0, y_min=1e-4)
    assert fit.rate == pytest.approx(0.8, rel=2e-3)
    assert fit.amplitude == pytest.approx(0.3, rel=1e-2)
    assert not fit.mask[t < 1.0].any() and not fit.mask[y <= 1e-4].any()
    np.testing.assert_allclose(fit(t[fit.mask]), y[fit.mask], rtol=1e-2)
    assert np.isnan(fit_exponential_decay(t, y, t_min=9.5).rate)  # too few points: not resolved


def test_history_rate_leaves_out_a_truncation_floor():
    t = np.arange(0.25, 12.0, 0.25)
    clean = 0.1 * np.exp(-0.8 * t)
    floored = np.maximum(clean, 4e-4)  # a small chi stops decaying here
    assert lb.history_rate(np.c_[t, floored], floor=1e-5).rate < 0.6  # a fixed floor is fooled
    assert lb.history_rate(np.c_[t, floored]).rate == pytest.approx(0.8, rel=1e-6)  # the run's own floor is not


def test_relax_records_the_approach_and_a_rate_proportional_to_eps():
    chain = lb.Chain.draw(4, 2.0, 0, seed=1)
    ref = chain.thermal_reference()
    runs = [lb.relax(chain, eps, ref, chi=16, richardson=False, solver="reference") for eps in (0.2, 0.1)]
    for run in runs:
        assert run.order_parameter.shape[1] == 2 and run.history.shape[0] == run.order_parameter.shape[0]
        final = lb.solve_steady_state(4, 2.0, run.eps, *chain.fields, method="exact")
        assert run.order_parameter[-1, 1] == pytest.approx(lb.dbeta_over_beta(lb.fit_betas(final.rdms, ref)),
                                                           abs=1e-3)
        assert np.isfinite(run.rate) and run.rate > 0
    assert runs[0].rate == pytest.approx(runs[1].rate, rel=0.3)


def test_bad_input():
    chain = lb.Chain.draw(4, 2.0, 0, seed=1)
    with pytest.raises(TypeError, match="reference"):
        lb.relax(chain, 0.1, None)
    with pytest.raises(ValueError, match="N = 5"):
        lb.relax(chain, 0.1, lb.Chain.draw(5, 2.0).thermal_reference())
    with pytest.raises(TypeError, match="observer"):
        lb.relax(chain, 0.1, chain.thermal_reference(), observer=print)
    with pytest.raises(ValueError, match="history"):
        lb.history_rate(np.ones(5))
    with pytest.raises(ValueError, match="same length"):
        fit_exponential_decay([0, 1, 2], [1, 2])
    with pytest.raises(ValueError, match="y"):
        fit_exponential_decay([0, 1, 2], [1, -2, 3])
