"""mbl_open.ensemble.config: a sweep file read and validated completely before any store is touched; the seeding
rule that makes realisation r at h the same chain in every sweep."""

import numpy as np
import pytest

from mbl_open import ensemble as en
from mbl_open.lindblad import draw_fields
from mbl_open.lindblad.options import reference_delta, tebd_options

from _helpers import tiny


# --- config ------------------------------------------------------------------------------------------

def test_config_resolves_paths_and_orders_eps(tmp_path):
    cfg = tiny(tmp_path, eps=[0.05, 0.2, 0.1], dataset="data/tiny.json")
    assert cfg.store == tmp_path / "store" and cfg.dataset == tmp_path / "data" / "tiny.json"
    assert cfg.eps == (0.2, 0.1, 0.05)
    assert len(cfg.tasks()) == 6


def test_config_reads_yaml_exponent_notation(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("store: s\nN: 6\nh: [1]\neps: [2e-2, 1e-1, 5e-2]\nrealisations: 1\nsolver: {solver: reference, tol: 1e-6}\n")
    cfg = en.load_config(path)
    assert cfg.eps == (0.1, 0.05, 0.02) and cfg.solver == {"tol": 1e-6}


def test_config_without_a_solver_name_records_the_default_solver(tmp_path):
    from mbl_open.lindblad.options import DEFAULT_SOLVER, reference_delta, tebd_options
    cfg = tiny(tmp_path, method="tebd", chi=8)
    assert cfg.solver == reference_delta(tebd_options(DEFAULT_SOLVER)) != {}


@pytest.mark.parametrize("change, match", [
    (dict(N=1), "N must be an integer >= 2"),
    (dict(N=12), "N must be an integer"),             # exact method: N <= 9
    (dict(eps=[0.1, 0.0]), "eps must be finite and > 0"),
    (dict(eps=[0.1, 0.1]), "distinct"),
    (dict(h=[1.0, 1.0001]), "differ"),
    (dict(realisations=0), "realisations must be an integer >= 1"),
    (dict(sign="++"), "sign must be one of"),
    (dict(method="dmrg"), "method must be one of"),
    (dict(solver={"dt": 0.1}), "unknown solver option"),   # exact takes only rtol
    (dict(method="tebd", solver={"dt": 5}), r"solver: dt must be finite and > 0.0 and <= 1.0"),
    (dict(method="tebd", solver={"order": 3}), "order must be one of"),
    (dict(method="tebd", solver={"engine": "gpu"}), "engine must be one of"),
    (dict(method="tebd", solver={"solver": "quick"}), "solver must be one of"),
    (dict(method="tebd", solver={"three_site": "yes"}), "solver: three_site must be True or False"),
    (dict(method="tebd", solver={"floor_tol": -1}), "floor_tol"),
    (dict(thermometry={"beta": 1}), "unknown thermometry option"),
    (dict(colour="red"), "unknown sweep config key"),
    (dict(method="tebd", N=14, rate_equation=True), "rate_equation: true needs N <= 12"),
    (dict(relaxation=True), "relaxation: true needs method: tebd"),
    (dict(method="tebd", relaxation=True, solver={"solver": "reference"}), "one TEBD stage"),
    (dict(method="tebd", relaxation=True, rate_equation=True), "cannot be combined"),
    (dict(method="tebd", relaxation="yes"), "relaxation must be true or false"),
])
def test_config_rejects_bad_input(tmp_path, change, match):
    with pytest.raises((ValueError, TypeError), match=match):
        tiny(tmp_path, **change)


def test_config_takes_a_named_solver_and_its_overrides(tmp_path):
    cfg = tiny(tmp_path, method="tebd", solver={"solver": "fast", "dt": 0.3, "order": 4, "three_site": True,
                                                 "floor_tol": 0})
    # resolved into the options that differ from the reference solver's: the store's record does not
    # depend on how 'fast' or the default solver are set later
    assert cfg.solver == {"dt": 0.3, "order": 4, "richardson": False, "engine": "qr", "window": 1.0,
                          "tail_tol": 2e-5, "floor_tol": 0.0, "three_site": True}
    assert all(t.solver == cfg.solver for t in cfg.tasks())
    assert tiny(tmp_path, method="tebd").solver == reference_delta(tebd_options())  # no solver: the default


def test_config_requires_keys(tmp_path):
    with pytest.raises(ValueError, match="missing required key"):
        en.make_config(dict(N=4, h=[1], eps=[0.1], realisations=1))
    with pytest.raises(FileNotFoundError):
        en.load_config(tmp_path / "nope.yaml")


def test_disorder_is_shared_across_eps_and_independent_across_h_and_r(tmp_path):
    cfg = tiny(tmp_path)
    tasks = cfg.tasks()
    seeds = {t.seed for t in tasks}
    assert len(seeds) == len(tasks)  # independent draws per (h, r)
    assert all(t.eps == cfg.eps for t in tasks)  # one task = one draw for the whole ladder
    a, b = (draw_fields(4, t.seed)[0] for t in tasks[:2])
    assert not np.allclose(a, b)
    assert tasks[0].name == "N4_h1000_r0000" and tasks[1].name == "N4_h6000_r0000"
    conv = tiny(tmp_path, method="tebd", chi=[32, 8], realisations=1, h=[2.0]).tasks()
    assert [t.name for t in conv] == ["N4_chi8_h2000_r0000", "N4_chi32_h2000_r0000"]
    assert conv[0].seed == conv[1].seed  # chi convergence on fixed disorder (Fig. 8)


def test_thermometry_out_of_the_thermometers_range_is_refused_when_the_sweep_loads(tmp_path):
    # it used to be accepted and then fail inside every task (failed tasks: test_ensemble_store)
    with pytest.raises(ValueError, match=r"thermometry.dbeta must be finite and > 0.0 and <= 0.5"):
        tiny(tmp_path, realisations=1, thermometry={"method": "purification", "beta_max": 2.0, "dbeta": 0.9})
    assert not (tmp_path / "store").exists()


@pytest.mark.parametrize("change, match", [
    (dict(eps=[0.1]), "method: limit takes no 'eps' key"),
    (dict(chi=32), "takes no 'chi' key"),
    (dict(solver={"rtol": 1e-9}), "takes no 'solver' key"),
    (dict(N=13), "N must be an integer >= 2 and <= 12"),
    (dict(rate_equation=False), "rate_equation must be true"),
])
def test_a_limit_sweep_refuses_what_it_cannot_use(tmp_path, change, match):
    raw = dict(dict(store="s", N=6, h=[1.0], realisations=1, method="limit"), **change)
    with pytest.raises((ValueError, TypeError), match=match):
        en.make_config(raw, base=tmp_path)


def test_a_key_typo_is_named_with_the_closest_valid_key(tmp_path):
    raw = dict(store="s", N=6, h=[1.0], eps=[0.1], realisation=3)
    with pytest.raises(ValueError, match="'realisation' \\(did you mean 'realisations'\\?\\)"):
        en.make_config(raw, base=tmp_path)
