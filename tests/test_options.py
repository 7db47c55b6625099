"""The TEBD solver's options: one definition, validated before any work; named solvers; the drift rule."""
import math

import numpy as np
import pytest

from mbl_open import lindblad as lb
from mbl_open.lindblad import liouvillian, tebd
from mbl_open.lindblad.options import (SOLVERS, ExactOptions, TEBDOptions, options_from_mapping,
                                       solver_options, tebd_options)


def test_named_solvers_are_option_values_that_explicit_options_override():
    ref = tebd_options("reference")
    assert ref == TEBDOptions() and ref.order == 2 and ref.richardson and ref.drift_tol is None
    fast = tebd_options("fast")
    assert (fast.order, fast.dt, fast.richardson, fast.engine, fast.tail_tol) == ("4_opt", 0.4, False, "qr", 2e-5)
    assert tebd_options("fast", dt=0.3).dt == 0.3 and tebd_options(fast, engine="svd").engine == "svd"
    assert set(SOLVERS) == {"reference", "fast"}



def test_a_mapping_builds_the_same_object_as_the_keywords():
    """A sweep file's solver: mapping goes through the options class itself (numbers as YAML text too)."""
    assert options_from_mapping("tebd", {"solver": "fast", "tail_tol": "1e-5"}) == tebd_options("fast", tail_tol=1e-5)
    assert options_from_mapping("tebd", {"tail_tol": None}) == tebd_options(tail_tol=None)
    assert options_from_mapping("exact", {"rtol": "1e-9"}) == ExactOptions(rtol=1e-9)
    with pytest.raises(TypeError, match="dt must be a number, got 'fast'"):
        options_from_mapping("tebd", {"dt": "fast"})
    with pytest.raises(TypeError, match=r"unknown solver option\(s\) \['dt'\] for method='exact'"):
        options_from_mapping("exact", {"dt": 0.1})
    assert solver_options("tebd") == tebd_options() and solver_options("exact") == ExactOptions()
    assert solver_options("tebd", "reference") == TEBDOptions()


def test_reference_delta_is_a_complete_record_of_any_solver(monkeypatch):
    from mbl_open.lindblad import options
    fast = tebd_options("fast", dt=0.3)
    delta = options.reference_delta(fast)
    assert "solver" not in delta and delta["dt"] == 0.3 and delta["engine"] == "qr"
    assert tebd_options("reference", **delta) == fast
    assert options.reference_delta(tebd_options("reference")) == {}
    with pytest.raises(TypeError, match="options must be a TEBDOptions"):
        options.reference_delta({"dt": 0.3})
    assert options.DEFAULT_SOLVER == "fast"
    assert tebd_options() == tebd_options(None) == tebd_options("fast")
    monkeypatch.setattr(options, "DEFAULT_SOLVER", "reference")  # the default is read at call time
    assert tebd_options() == tebd_options("reference")


def test_the_option_defaults_are_the_reference_solver_and_do_not_move():
    # sweep stores record a solver as its differences from these defaults: changing one changes what
    # every stored task means, so a change must be deliberate (and come with new store keys)
    from dataclasses import asdict
    assert asdict(TEBDOptions()) == dict(
        dt=0.1, order=2, richardson=True, engine="svd", tol=1e-5, drift_tol=None, tail_tol=None,
        check_every=0.25, min_eps_t=1.0, max_eps_t=40.0, window=3.0, floor_tol=0.05, svd_min=1e-12,
        identity_weight=2.0, checkpoint_every=120.0, three_site=False)


def test_richardson_gain_follows_the_trotter_order():
    assert TEBDOptions(order=2).richardson_gain == 4.0
    assert TEBDOptions(order=4).richardson_gain == TEBDOptions(order="4_opt").richardson_gain == 16.0


@pytest.mark.parametrize("changes, exc, name", [
    (dict(dt=0.0), ValueError, "dt"), (dict(dt=1.5), ValueError, "dt"), (dict(dt=math.nan), ValueError, "dt"),
    (dict(dt="0.1"), TypeError, "dt"), (dict(order=3), ValueError, "order"), (dict(order=True), ValueError, "order"),
    (dict(order="2"), ValueError, "order"), (dict(engine="gpu"), ValueError, "engine"),
    (dict(richardson="no"), TypeError, "richardson"), (dict(three_site=1), TypeError, "three_site"),
    (dict(tol=0.0), ValueError, "tol"), (dict(drift_tol=-1e-5), ValueError, "drift_tol"),
    (dict(tail_tol=0.0), ValueError, "tail_tol"), (dict(tail_tol="1e-5"), TypeError, "tail_tol"),
    (dict(check_every=0.0), ValueError, "check_every"), (dict(max_eps_t=0.1), ValueError, "max_eps_t"),
    (dict(window=0.1), ValueError, "window"), (dict(floor_tol=-1.0), ValueError, "floor_tol"),
    (dict(svd_min=-1.0), ValueError, "svd_min"), (dict(identity_weight=0.0), ValueError, "identity_weight"),
    (dict(min_eps_t=-1.0), ValueError, "min_eps_t"), (dict(checkpoint_every=-1.0), ValueError, "checkpoint_every"),
])
def test_bad_options_are_refused_naming_the_option(changes, exc, name):
    with pytest.raises(exc, match=name):
        TEBDOptions(**changes)
    if any(isinstance(v, str) and v[0].isdigit() for v in changes.values()):
        return  # numbers as text are what YAML gives a sweep file: its mapping reads them (test below)
    with pytest.raises(exc, match=name):  # and by the same class where a sweep file gives them
        options_from_mapping("tebd", changes)


def test_unknown_options_and_solver_names_are_refused():
    with pytest.raises(TypeError, match="unknown TEBD solver option"):
        tebd_options(dtt=0.1)
    with pytest.raises(ValueError, match="solver must be one of"):
        tebd_options("quick")
    with pytest.raises(TypeError, match="solver must be one of"):
        tebd_options(2)
    with pytest.raises(TypeError, match=r"unknown solver option\(s\) \['speed'\] for method='tebd'"):
        options_from_mapping("tebd", {"speed": 2})


def test_fast_solver_matches_exact_at_small_n():
    N, h, eps = 5, 1.5, 0.2
    chain = lb.Chain.draw(N, h, seed=11)
    ex = lb.steady_rdms(chain, eps, method="exact")
    fast = lb.solve_steady_state(chain, eps, chi=64, options="fast")
    assert len(fast.diagnostics) == 1 and fast.diagnostics[0].converged
    assert fast.diagnostics[0].stopped_by in ("tail", "plateau")
    assert np.abs(fast.rdms - ex).max() < 1e-4
    # the same order at the same dt without the tail rule runs longer
    strict = lb.solve_steady_state(chain, eps, chi=64, options=tebd_options("fast", tail_tol=None))
    assert strict.diagnostics[0].steps > fast.diagnostics[0].steps


def test_fourth_order_removes_the_trotter_error_of_second_order():
    N, h, eps = 4, 2.0, 0.2
    chain = lb.Chain.draw(N, h, seed=3)
    ex = lb.steady_rdms(chain, eps, method="exact")
    err = {o: np.abs(lb.solve_steady_state(chain, eps, chi=16, options=tebd_options(
        order=o, dt=0.2, richardson=False, tol=1e-8, max_eps_t=60.0)).rdms - ex).max() for o in (2, "4_opt")}
    assert err["4_opt"] < err[2] / 20, err


def test_drift_rule_returns_the_last_window_mean():
    recent = [np.full((2, 4, 4), float(k)) for k in range(8)]
    # windows of 4 blocks of 0.25 eps t: means 1.5 and 5.5, 4 apart over 1 eps t
    assert tebd._window_drift(recent, 4, 0.25) == pytest.approx(4.0)


def test_fast_run_resumes_mid_run_from_its_checkpoint(tmp_path):
    N = 5
    Lb = liouvillian.bond_liouvillians(lb.Chain.draw(N, 1.0, seed=11), 0.2, lb.paper_jumps(N))
    opts = tebd_options("fast", engine="svd")
    with pytest.warns(RuntimeWarning, match="did not meet"):
        part = tebd.evolve_to_steady_state(Lb, 0.2, chi=32, options=opts.replace(max_eps_t=1.2),
                                           checkpoint=tmp_path / "c.h5")
    assert not part.diagnostics.converged
    resumed = tebd.evolve_to_steady_state(Lb, 0.2, chi=32, options=opts, checkpoint=tmp_path / "c.h5")
    straight = tebd.evolve_to_steady_state(Lb, 0.2, chi=32, options=opts)
    assert resumed.diagnostics.converged and resumed.diagnostics.steps == straight.diagnostics.steps
    np.testing.assert_allclose(resumed.rdms, straight.rdms, atol=1e-12)
    with pytest.raises(ValueError, match="different run"):  # a checkpoint of the reference solver is not this run
        tebd.evolve_to_steady_state(Lb, 0.2, chi=32, options=tebd_options("reference", dt=0.4),
                                    checkpoint=tmp_path / "c.h5")


def _geometric_run(rho, A, q, n_blocks, n_keep):
    """A run whose block measurements approach ``rho`` as ``rho + A q**b``."""
    recent = [rho + A * q ** b for b in range(n_blocks)][-n_keep:]
    return tebd._Run(psi=None, diag=tebd.TEBDDiagnostics(eps=0.1, chi=8, dt=0.1), rdms=recent[-1], recent=recent)


def test_tail_rule_extrapolates_a_single_exponential_exactly():
    rng = np.random.default_rng(0)
    rho, A = rng.normal(size=(3, 4, 4)), rng.normal(size=(3, 4, 4))
    run = _geometric_run(rho, A, 0.8, 20, 12)  # windows of 4 blocks: r = 0.8**4
    ratio, distance = tebd._tail_fit(run.recent, 4)
    assert ratio == pytest.approx(0.8 ** 4)
    window_mean = np.mean(run.recent[-4:], axis=0)
    assert distance == pytest.approx(np.abs(window_mean - rho).max())
    run.settle("tail", 4, distance, ratio)
    np.testing.assert_allclose(run.rdms, rho, atol=1e-12)
    assert run.diag.tail_correction == pytest.approx(distance) and run.diag.stopped_by == "tail"


def test_tail_rule_reads_noise_and_slow_decay_conservatively():
    rho = np.zeros((2, 4, 4))
    noise = _geometric_run(rho, np.full_like(rho, 1e-3), -1.0, 12, 12)  # alternating: no decay, r < 0
    ratio, distance = tebd._tail_fit(noise.recent, 1)
    assert ratio is None and distance == pytest.approx(2e-3)
    turning = [rho + 1e-3, rho + 2e-3, rho + 2e-3 - 1e-6]  # the mean turns round: not converged
    assert tebd._tail_fit(turning, 1) == (None, pytest.approx(1e-3))
    d1, d2 = np.zeros_like(rho), np.zeros_like(rho)
    d1[0, 0, 0], d2[0, 1, 1] = 1e-3, 1e-3  # orthogonal changes: r = 0 but the state still moves
    ratio, distance = tebd._tail_fit([rho, rho + d1, rho + d1 + d2], 1)
    assert ratio is None and distance == pytest.approx(1e-3)
    d2[0, 0, 0] = 1e-5  # nearly orthogonal, r small and positive: the misfit keeps the distance large
    ratio, distance = tebd._tail_fit([rho, rho + d1, rho + d1 + d2], 1)
    assert 0 < ratio < 0.02 and distance > 9e-4
    slow = _geometric_run(rho, np.ones_like(rho), 0.99, 12, 12)  # r = 0.99: too slow to extrapolate
    assert tebd._tail_fit(slow.recent, 1) == (None, math.inf)


def test_an_earliest_stop_after_the_last_is_refused_naming_both():
    """tebd_options(min_eps_t=50, max_eps_t=10) was accepted: the run stopped at 10, before any rule might stop it."""
    with pytest.raises(ValueError, match=r"min_eps_t must be <= max_eps_t, got min_eps_t = 50 > max_eps_t = 10"):
        tebd_options(min_eps_t=50, max_eps_t=10)
    with pytest.raises(ValueError, match="min_eps_t must be <= max_eps_t"):
        tebd_options(min_eps_t=50.0)  # the fast solver's max_eps_t is 40
    assert tebd_options(min_eps_t=10, max_eps_t=10).min_eps_t == 10.0
