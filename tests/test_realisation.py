"""One disorder realisation through the pipeline: the seeding rule, the ladder, the local temperatures."""
import json
from pathlib import Path

import numpy as np
import pytest

from mbl_open import lindblad as lb
from mbl_open.ensemble import load_config

ROOT = Path(__file__).resolve().parents[1]


def test_the_seeding_rule():
    c = lb.Chain.draw(7, 2.5, 3, seed=11)
    assert c.seed == (11, 7, 2500, 3) == lb.realisation_seed(11, 7, 2.5, 3)
    np.testing.assert_array_equal(c.fields, lb.draw_fields(7, (11, 7, 2500, 3)))
    # independent across h, r and N; the same for the same key
    assert not np.allclose(c.zeta_z, lb.Chain.draw(7, 2.0, 3, seed=11).zeta_z)
    assert not np.allclose(c.zeta_z, lb.Chain.draw(7, 2.5, 4, seed=11).zeta_z)
    assert not np.allclose(c.zeta_z[:6], lb.Chain.draw(6, 2.5, 3, seed=11).zeta_z)
    np.testing.assert_array_equal(c.zeta_x, lb.Chain.draw(7, 2.5, 3, seed=11).zeta_x)
    assert (c.N, c.h) == (7, 2.5) and lb.h_key(0.0015) == 2


def test_sweep_tasks_follow_the_same_rule():
    cfg = load_config(ROOT / "sweeps" / "tebd_n12.yaml")
    for task in cfg.tasks()[:10]:
        assert tuple(task.seed) == lb.Chain.draw(task.N, task.h, task.r, seed=cfg.seed).seed


def test_committed_results_were_drawn_by_the_rule():
    """A finished task must never change meaning: the fields stored with every committed result
    are the ones the rule draws today."""
    files = sorted((ROOT / "data" / "stores").glob("*/results/*.json"))
    assert files, "no committed sweep results"
    for path in files[:12]:
        payload = json.loads(path.read_text())["payload"]
        t = payload["task"]
        chain = lb.Chain.draw(t["N"], t["h"], t["r"], seed=t["seed"][0])
        assert list(chain.seed) == t["seed"], path.name
        np.testing.assert_array_equal(chain.zeta_z, payload["zeta_z"])
        np.testing.assert_array_equal(chain.zeta_x, payload["zeta_x"])


def test_solve_realisation_is_the_direct_computation():
    chain = lb.Chain.draw(5, 1.5, 0, seed=3)
    eps = [0.05, 0.2]  # sorted into decreasing order
    res = lb.solve_realisation(chain, eps, method="exact", rate_equation=True)
    np.testing.assert_array_equal(res.eps, [0.2, 0.05])
    ref = lb.thermal_reference(chain)
    for k, e in enumerate(res.eps):
        st = lb.solve_steady_state(chain, e, method="exact")
        np.testing.assert_allclose(res.rdms[k], st.rdms, atol=1e-13)
        np.testing.assert_allclose(res.betas[k], lb.fit_betas(st.rdms, ref), atol=1e-10)
        assert res.states[k].rho.shape == (32, 32)
    limit = lb.rate_equation_steady_state(chain, chain.jumps())
    np.testing.assert_allclose(res.betas_eps0, lb.fit_betas(limit.rdms(), ref), atol=1e-10)
    assert res.betas.shape == (2, 4)


def test_a_tebd_ladder_through_the_pipeline_matches_exact():
    chain = lb.Chain.draw(4, 1.0, 1, seed=5)
    ladder = lb.solve_ladder(chain, [0.2, 0.1], chi=16, options=lb.tebd_options(three_site=True))
    exact = lb.solve_ladder(chain, [0.2, 0.1], method="exact")
    for t, e in zip(ladder, exact):
        assert np.abs(t.rdms - e.rdms).max() < 1e-4
        assert t.rdms3.shape == (2, 8, 8)


@pytest.mark.parametrize("call, exc, match", [
    (lambda: lb.Chain.draw(1, 1.0), ValueError, "N"),
    (lambda: lb.Chain.draw(4, -1.0), ValueError, "h"),
    (lambda: lb.Chain.draw(4, 1.0, -1), ValueError, "r"),
    (lambda: lb.Chain.draw(4, 1.0, seed=-2), ValueError, "seed"),
    (lambda: lb.Chain.draw(4, 1.0, 1.5), TypeError, "r"),
    (lambda: lb.Chain(3, 1.0, np.zeros(2), np.zeros(3)), ValueError, "zeta_z"),
    (lambda: lb.solve_ladder((3, 1.0), [0.1]), TypeError, "chain"),
    (lambda: lb.solve_ladder(lb.Chain.draw(3, 1.0), []), ValueError, "eps"),
    (lambda: lb.solve_ladder(lb.Chain.draw(3, 1.0), 0.1), TypeError, "eps"),
    (lambda: lb.solve_ladder(lb.Chain.draw(3, 1.0), [0.1, 0.1]), ValueError, "eps"),
    (lambda: lb.solve_ladder(lb.Chain.draw(3, 1.0), [0.1], method="dmrg"), ValueError, "method"),
    (lambda: lb.solve_ladder(lb.Chain.draw(10, 1.0), [0.1], method="exact"), ValueError, "N <= 9"),
    (lambda: lb.solve_ladder(lb.Chain.draw(3, 1.0), [0.1], options=lb.tebd_options(three_site="yes")), TypeError, "three_site"),
    (lambda: lb.solve_realisation(lb.Chain.draw(3, 1.0), [0.1], thermometry="exact"), TypeError, "thermometry"),
    (lambda: lb.solve_realisation(lb.Chain.draw(3, 1.0), [0.1], rate_equation="no"), TypeError, "rate_equation"),
    (lambda: lb.solve_realisation(lb.Chain.draw(13, 1.0), [0.1], rate_equation=True), ValueError, "N"),
])
def test_bad_input_is_refused_before_any_work(call, exc, match):
    with pytest.raises(exc, match=match):
        call()
