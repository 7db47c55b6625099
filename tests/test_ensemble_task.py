"""mbl_open.ensemble.task: what one task computes and records (relaxation approaches, the eps -> 0 limit of
method: limit, the commit of the code the worker imported)."""

import numpy as np
import pytest

from mbl_open import ensemble as en

from _helpers import tiny


def test_a_relaxation_sweep_records_each_approach_and_exports_it(tmp_path):
    cfg = tiny(tmp_path, method="tebd", chi=16, N=4, h=[2.0], eps=[0.4, 0.2], realisations=1, relaxation=True,
               solver={"solver": "fast", "min_eps_t": 2.0}, dataset="relax.json")
    assert cfg.physics()["relaxation"] is True and cfg.tasks()[0].to_dict()["relaxation"] is True
    # a ladder sweep records no such key, so the stores written before it existed still open
    assert "relaxation" not in tiny(tmp_path).physics() and "relaxation" not in tiny(tmp_path).tasks()[0].to_dict()
    assert en.run_sweep(cfg, workers=1).done == 1
    payload = en.ResultStore(cfg).verify(cfg.tasks()[0])
    assert [r["eps"] for r in payload["relaxation"]] == [0.4, 0.2]
    ens = en.load_dataset(en.export_dataset(cfg, cfg.dataset))
    runs = ens.relaxations(4, 2.0)
    assert list(runs) == [0.4, 0.2]
    for eps, run in runs.items():
        rec = payload["relaxation"][[0.4, 0.2].index(eps)]
        np.testing.assert_allclose(run.order_parameter, rec["order_parameter"])
        assert run.order_parameter[-1, 0] >= 2.0 and np.isfinite(run.rate)
    # the final O(t) is the steady state's dbeta/beta, also stored as betas
    from mbl_open.lindblad import dbeta_over_beta
    b = ens.betas_for(4, 2.0)[0]
    assert runs[0.2].order_parameter[-1, 1] == pytest.approx(dbeta_over_beta(b[1]), abs=1e-3)
    with pytest.raises(KeyError, match="r = 1"):
        ens.relaxations(4, 2.0, r=1)
    (tmp_path / "plain").mkdir()
    plain = tiny(tmp_path / "plain", dataset="plain.json", realisations=1, h=[1.0])
    en.run_sweep(plain, workers=1)
    with pytest.raises(KeyError, match="relaxation: true"):
        en.load_dataset(en.export_dataset(plain, plain.dataset)).relaxations(4, 1.0)


def test_a_task_records_the_commit_its_process_imported(monkeypatch):
    # a checkout that moves on during a long sweep must not relabel what a running worker computes
    from mbl_open.ensemble import task
    monkeypatch.setattr(task, "_RUNNING_COMMIT", None)
    monkeypatch.setattr(task, "package_commit", lambda: "aaaa")
    assert task.running_commit() == "aaaa"
    monkeypatch.setattr(task, "package_commit", lambda: "bbbb")
    assert task.running_commit() == "aaaa"


# --- method: limit (the eps -> 0 limit of a ladder sweep's chains) -----------------------------------------

def test_a_limit_sweep_gives_the_rate_equation_limit_of_the_same_chains_as_a_ladder_sweep(tmp_path):
    ladder = tiny(tmp_path, N=5, realisations=2, rate_equation=True, dataset="ladder.json")
    limit = en.make_config(dict(store="limit", N=5, h=[1.0, 6.0], realisations=2, method="limit", seed=5,
                                dataset="limit.json"), base=tmp_path)
    assert limit.eps == () and limit.physics()["rate_equation"] is True and limit.tasks()[0].name == "N5_h1000_r0000"
    assert en.run_sweep(ladder, workers=1).done == 4 and en.run_sweep(limit, workers=1).done == 4
    a = en.load_dataset(en.export_dataset(ladder, ladder.dataset))
    b = en.load_dataset(en.export_dataset(limit, limit.dataset))
    for h in (1.0, 6.0):
        np.testing.assert_allclose(b.betas_eps0_for(5, h), a.betas_eps0_for(5, h), atol=1e-10)
        assert b.betas_for(5, h).shape == (2, 0, 4)
    gaps = b.level_spacings[0]
    assert 0 < gaps["min_gap"] <= gaps["median_gap"] and gaps["mean_gap"] > 0 and gaps["weighted_gap"] > 0
