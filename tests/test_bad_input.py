"""Inputs where a method loses validity are refused with a clear error, not answered with nonsense;
limits of a sweep are checked at load time and can be raised on purpose."""
import numpy as np
import pytest

from mbl_open import ensemble as en
from mbl_open import lindblad as lb
from mbl_open import resistor_networks as rn
from mbl_open.infrastructure._validate import check_bool

CHAIN = lb.Chain.draw(4, 1.0, 0, seed=1)
BASE = dict(store="s", method="exact", N=4, h=[1.0], eps=[0.1], realisations=1)


@pytest.mark.parametrize("call, exc, match", [
    # the exact solver below its validity: the eps -> 0 limit is the rate equation
    (lambda: lb.steady_state_exact(CHAIN, 1e-9, CHAIN.jumps()), ValueError, "eps must be >="),
    # no baths: no unique steady state
    (lambda: lb.steady_state_exact(CHAIN, 0.1, []), ValueError, "at least one jump"),
    (lambda: lb.solve_steady_state(CHAIN, 0.1, jumps=[]), ValueError, "at least one jump"),
    (lambda: lb.rate_equation_steady_state(CHAIN, None), TypeError, "jumps must be a sequence"),
    (lambda: lb.steady_state_exact(CHAIN, 0.1, "jumps"), TypeError, "jumps"),
    # a lattice without any sink has no solution
    (lambda: rn.solve_grid(np.ones((3, 2)), np.ones((2, 3)), np.zeros((3, 3)), np.ones((3, 3))), ValueError,
     "sink"),
    # truth values of strings and numbers are not booleans
    (lambda: check_bool("richardson", "no"), TypeError, "richardson"),
    (lambda: check_bool("three_site", 0), TypeError, "three_site"),
    (lambda: lb.solve_ladder(CHAIN, [0.1], options=lb.tebd_options(three_site="no")), TypeError, "three_site"),
])
def test_invalid_regimes_are_refused(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_the_link_resistance_integral_holds_for_narrow_link_distributions():
    """alpha >> 1: every link has length a, so <1/Gamma> -> 1/(eps sigma0/a + G0 e^-1)."""
    eps = np.array([1e-8, 1e-2])
    got = rn.mean_link_resistance(eps, 1e4)
    np.testing.assert_allclose(got, 1 / (eps + 5.0 * np.exp(-1.0)), rtol=2e-3)
    assert np.all(np.diff(rn.mean_link_resistance(eps, 30.0)) < 0)


@pytest.mark.parametrize("change, exc, match", [
    (dict(N=[4, 4]), ValueError, "N values must be distinct"),
    (dict(method="tebd", chi=[8, 8]), ValueError, "chi values must be distinct"),
    (dict(method="tebd", N=10**9), ValueError, "N must be an integer"),
    (dict(method="tebd", chi=10**6), ValueError, "chi must be an integer"),
    (dict(realisations=10**12), ValueError, "MBL_OPEN_MAX_TASKS"),
    (dict(realisations=True), TypeError, "realisations"),
    (dict(checkpoints="no"), TypeError, "checkpoints"),
])
def test_sweep_config_limits(tmp_path, change, exc, match):
    with pytest.raises(exc, match=match):
        en.make_config({**BASE, **change}, base=tmp_path)


def test_a_limit_can_be_raised_on_purpose(tmp_path, monkeypatch):
    big = {**BASE, "realisations": 2_000_000}
    with pytest.raises(ValueError, match="MAX_TASKS"):
        en.make_config(big, base=tmp_path)
    monkeypatch.setenv("MBL_OPEN_MAX_TASKS", "3000000")
    assert en.make_config(big, base=tmp_path).realisations == 2_000_000
    monkeypatch.setenv("MBL_OPEN_MAX_TASKS", "lots")
    with pytest.raises(ValueError, match="MBL_OPEN_MAX_TASKS must be a positive integer"):
        en.make_config(BASE, base=tmp_path)


@pytest.mark.parametrize("call, match", [
    (lambda: lb.paper_jumps(10**9), "N must be an integer"),
    (lambda: lb.draw_fields(10**9, 0), "N must be an integer"),
    (lambda: lb.hamiltonian(lb.Chain(30, 1.0, np.zeros(30), np.zeros(30))), "N must be an integer"),
    (lambda: lb.fit_betas(np.zeros((3, 4, 4)), lb.thermal_reference(CHAIN), n_grid=10**7), "n_grid"),
    (lambda: lb.solve_steady_state(CHAIN, 1e-5, method="tebd", chi=8), "TEBD steps"),
    (lambda: lb.solve_ladder(CHAIN, [0.1, 1e-6], method="tebd", chi=8), "TEBD steps"),
    (lambda: lb.solve_steady_state(CHAIN, 0.1, method="tebd", chi=10**5), "chi must be an integer"),
    (lambda: en.make_config({**BASE, "method": "tebd", "eps": [0.1, 1e-6]}), "TEBD steps"),
])
def test_sizes_and_run_lengths_beyond_the_limits_are_refused_up_front(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_refusals_come_before_the_first_run(monkeypatch):
    """Checks that concern the whole ladder or the second Richardson stage run before any solve."""
    import mbl_open.lindblad.steady as steady

    calls = []
    real = steady._evolve
    monkeypatch.setattr(steady, "_evolve", lambda *a, **k: calls.append(1) or real(*a, **k))
    monkeypatch.setenv("MBL_OPEN_TEBD_MAX_STEPS", "5000")
    with pytest.raises(ValueError, match="dt = 0.05"):  # the dt/2 stage of the reference solver
        lb.solve_ladder(lb.Chain.draw(3, 1.0), [0.1], chi=4, options=lb.tebd_options("reference"))
    with pytest.raises(ValueError, match="one TEBD stage"):
        lb.relax(CHAIN, 0.2, lb.thermal_reference(CHAIN), chi=4, options=lb.tebd_options("reference"))
    assert not calls
    with pytest.raises(ValueError, match="eps must be >="):
        lb.solve_ladder(CHAIN, [0.1, 1e-7], method="exact")


@pytest.mark.parametrize("change, match", [
    (dict(eps=[0.1, 1e-7]), "method: exact"),
    (dict(method="tebd", eps=[200.0, 0.1]), "eps must be"),
])
def test_sweep_configs_refuse_couplings_their_solver_cannot_take(tmp_path, change, match):
    with pytest.raises(ValueError, match=match):
        en.make_config({**BASE, **change}, base=tmp_path)
