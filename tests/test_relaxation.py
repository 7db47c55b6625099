"""Relaxation to the steady state: the exponential fit, the noise floor, a short TEBD run."""
import numpy as np
import pytest

from mbl_open import lindblad as lb
from mbl_open.numerics.fits import fit_exponential_decay


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
    ref = lb.thermal_reference(chain)
    runs = [lb.relax(chain, eps, ref, chi=16, options=lb.tebd_options("reference", richardson=False)) for eps in (0.2, 0.1)]
    for run in runs:
        assert run.order_parameter.shape[1] == 2 and run.history.shape[0] == run.order_parameter.shape[0]
        final = lb.solve_steady_state(chain, run.eps, method="exact")
        assert run.order_parameter[-1, 1] == pytest.approx(lb.dbeta_over_beta(lb.fit_betas(final.rdms, ref)),
                                                           abs=1e-3)
        assert np.isfinite(run.rate) and run.rate > 0
    assert runs[0].rate == pytest.approx(runs[1].rate, rel=0.3)


def test_bad_input():
    chain = lb.Chain.draw(4, 2.0, 0, seed=1)
    with pytest.raises(TypeError, match="reference"):
        lb.relax(chain, 0.1, None)
    with pytest.raises(ValueError, match="N = 5"):
        lb.relax(chain, 0.1, lb.thermal_reference(lb.Chain.draw(5, 2.0)))
    with pytest.raises(TypeError, match="observer"):
        lb.relax(chain, 0.1, lb.thermal_reference(chain), observer=print)
    with pytest.raises(ValueError, match="history"):
        lb.history_rate(np.ones(5))
    with pytest.raises(ValueError, match="same length"):
        fit_exponential_decay([0, 1, 2], [1, 2])
    with pytest.raises(ValueError, match="y"):
        fit_exponential_decay([0, 1, 2], [1, -2, 3])


class _Interrupt(Exception):
    pass


@pytest.mark.parametrize("checkpoint_every", [0.0, 1e9])  # resume mid-run / from the start
def test_an_interrupted_relaxation_resumes_with_the_same_record(tmp_path, monkeypatch, checkpoint_every):
    # the O(t) recorded before the interruption is kept beside the checkpoint; what lies past the
    # checkpoint is recorded again, so the resumed record equals an uninterrupted one
    from mbl_open.lindblad import relaxation
    chain = lb.Chain.draw(4, 2.0, 0, seed=1)
    ref = lb.thermal_reference(chain)
    opts = dict(chi=8, options=lb.tebd_options("fast", checkpoint_every=checkpoint_every))
    whole = lb.relax(chain, 0.2, ref, **opts)
    calls, fit = [0], relaxation.fit_betas

    def failing(rdms, reference):
        calls[0] += 1
        if calls[0] == 6:
            raise _Interrupt
        return fit(rdms, reference)

    monkeypatch.setattr(relaxation, "fit_betas", failing)
    with pytest.raises(_Interrupt):
        lb.relax(chain, 0.2, ref, checkpoint=tmp_path, **opts)
    monkeypatch.setattr(relaxation, "fit_betas", fit)
    assert len(relaxation._read_trace(tmp_path / relaxation.TRACE_FILE)) == 5
    resumed = lb.relax(chain, 0.2, ref, checkpoint=tmp_path, **opts)
    assert resumed.order_parameter.shape == whole.order_parameter.shape
    np.testing.assert_allclose(resumed.order_parameter, whole.order_parameter, rtol=0, atol=1e-10)
    np.testing.assert_allclose(resumed.history, whole.history, rtol=1e-8, atol=1e-12)


def test_relax_realisation_starts_every_eps_from_infinite_temperature():
    chain = lb.Chain.draw(4, 2.0, 0, seed=1)
    res = lb.relax_realisation(chain, [0.2, 0.4], chi=16, options=lb.tebd_options("fast", min_eps_t=3.0))
    runs = res.extra["relaxation"]
    assert [r.eps for r in runs] == [0.4, 0.2] and res.eps.tolist() == [0.4, 0.2]
    for run, state, betas in zip(runs, res.states, res.betas):
        assert run.order_parameter[-1, 0] >= 3.0                    # min_eps_t: the record reaches eps t = 3
        assert run.order_parameter[0, 0] == pytest.approx(run.history[0, 0])
        # cold start: the first blocks are far from the steady state, whatever eps came before
        assert abs(run.order_parameter[0, 1] - run.order_parameter[-1, 1]) > 10 * abs(
            run.order_parameter[-2, 1] - run.order_parameter[-1, 1])
        np.testing.assert_allclose(betas, lb.fit_betas(state.rdms, res.reference))
        exact = lb.solve_steady_state(chain, run.eps, method="exact")
        np.testing.assert_allclose(state.rdms, exact.rdms, atol=2e-4)
    with pytest.raises(ValueError, match="richardson=False"):
        lb.relax_realisation(chain, [0.2], chi=8, options=lb.tebd_options("reference"))
    with pytest.raises(TypeError, match="thermometry"):
        lb.relax_realisation(chain, [0.2], chi=8, thermometry="exact")
    with pytest.raises(TypeError, match="chain must be a Chain"):
        lb.relax_realisation(None, [0.2])


def test_rate_collapse_measures_the_spread_of_the_rates_and_the_late_distance():
    t = np.arange(0.25, 10.0, 0.25)

    def record(eps, rate):
        history = np.c_[t, 0.1 * np.exp(-rate * t)]
        o = np.c_[t, 0.5 + 0.2 * np.exp(-rate * t)]
        return lb.Relaxation(eps=eps, order_parameter=o, history=history, fit=lb.history_rate(history))

    col = lb.rate_collapse({0.2: record(0.2, 0.8), 0.1: record(0.1, 1.0)})
    np.testing.assert_allclose(col.rates, [0.8, 1.0], rtol=1e-6)
    assert col.spread == pytest.approx(0.2 / 0.9, rel=1e-6)
    late = 0.2 * (np.exp(-0.8 * 5.0) - np.exp(-0.8 * t[-1]))  # the slower record, at eps t = 5
    assert col.late_deviation == pytest.approx(late, rel=1e-9)
    with pytest.raises(TypeError, match="runs"):
        lb.rate_collapse({})
    with pytest.raises(TypeError, match=r"runs\[0.1\] must be a Relaxation"):
        lb.rate_collapse({0.1: np.ones((3, 2))})
    with pytest.raises(ValueError, match="eps_t_late"):
        lb.rate_collapse({0.2: record(0.2, 0.8)}, eps_t_late=-1)
    with pytest.raises(ValueError, match="eps_t_late"):
        lb.rate_collapse({0.2: record(0.2, 0.8)}, eps_t_late=20.0)  # beyond the end of the record


def test_rate_collapse_refuses_a_record_without_a_rate():
    """A record whose rate is nan (too few points above its floor) made the spread nan."""
    import dataclasses

    t = np.arange(0.25, 10.0, 0.25)
    history = np.c_[t, 0.1 * np.exp(-0.8 * t)]
    fit = lb.history_rate(history)
    ok = lb.Relaxation(eps=0.2, order_parameter=np.c_[t, 0.5 + 0.2 * np.exp(-0.8 * t)], history=history, fit=fit)
    bad = dataclasses.replace(ok, eps=0.1, fit=dataclasses.replace(fit, rate=float("nan")))
    with pytest.raises(ValueError, match=r"runs\[0.1\] must have a finite decay rate, got rate = nan"):
        lb.rate_collapse({0.2: ok, 0.1: bad})
    with pytest.raises(ValueError, match=r"runs\[0.1\].order_parameter must have shape"):  # was an IndexError
        lb.rate_collapse({0.2: ok, 0.1: dataclasses.replace(ok, order_parameter=np.zeros((0, 2)))})


def test_negative_changes_in_a_history_are_refused_naming_history():
    """history_rate of a history with negative changes said 'y must be ...'."""
    t = np.arange(0.25, 8.0, 0.25)
    with pytest.raises(ValueError, match=r"history\[:, 1\] must be >= 0"):
        lb.history_rate(np.c_[t, -0.1 * np.exp(-0.8 * t)])


def test_a_checkpoint_directory_that_is_a_file_is_refused_before_the_reference(tmp_path):
    (tmp_path / "a_file").write_text("x")
    chain = lb.Chain.draw(4, 2.0, 0, seed=1)
    with pytest.raises(ValueError, match="checkpoint must be a directory .* its parent .* is a file"):
        lb.relax_realisation(chain, [0.2], chi=8, checkpoint=tmp_path / "a_file" / "runs", options=lb.tebd_options("fast"))
    with pytest.raises(ValueError, match="checkpoint must be a directory .* it is a file"):
        lb.relax(chain, 0.2, lb.thermal_reference(chain), chi=8, checkpoint=tmp_path / "a_file", options=lb.tebd_options("fast"))
