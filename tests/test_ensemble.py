"""Tests of mbl_open.ensemble (config, store, executors, dataset): disorder sweeps, atomicity, resume after SIGKILL."""
import json
import os
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pytest
import yaml

from mbl_open import ensemble as en
from mbl_open.lindblad import draw_fields
from mbl_open.lindblad.options import reference_delta, tebd_options

from _helpers import tiny

REPO = Path(__file__).resolve().parents[1]


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
    (dict(method="tebd", solver={"three_site": "yes"}), "three_site must be true or false"),
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


# --- store --------------------------------------------------------------------------------------------

def test_sweep_fills_the_store_and_a_rerun_computes_nothing(tmp_path):
    cfg = tiny(tmp_path, rate_equation=True)
    status = en.run_sweep(cfg, workers=2)
    assert (status.done, status.missing, status.failed) == (6, 0, 0)
    store = en.ResultStore(cfg)
    p = store.verify(cfg.tasks()[0])
    assert p["task"]["N"] == 4 and len(p["betas"]) == 3 and len(p["betas"][0]) == 3
    assert p["mbl_open_version"] and p["cpu_time"] > 0 and p["diagnostics"][0][0]["residual"] < 1e-8
    # the stored betas are those of the steady state of this disorder
    from mbl_open.lindblad import local_betas, steady_rdms
    zz, zx = draw_fields(4, tuple(p["task"]["seed"]))
    rdms = steady_rdms(4, 1.0, 0.05, zz, zx, method="exact")
    np.testing.assert_allclose(p["betas"][2], local_betas(rdms, 4, 1.0, zz, zx), atol=1e-9)
    mtimes = {f: f.stat().st_mtime_ns for f in store.results_dir.iterdir()}
    again = en.run_sweep(cfg, workers=1)
    assert again.done == 6 and {f: f.stat().st_mtime_ns for f in store.results_dir.iterdir()} == mtimes


def test_store_with_other_parameters_is_refused_before_work(tmp_path):
    en.run_sweep(tiny(tmp_path, realisations=1), workers=1)
    grown = tiny(tmp_path, realisations=2, h=[1.0, 6.0, 3.0])  # more data: allowed
    assert en.ResultStore(grown).status().done == 2
    with pytest.raises(en.StoreMismatchError, match="differing: \\['eps'\\]"):
        en.run_sweep(tiny(tmp_path, eps=[0.2, 0.1, 0.04]), workers=1)


@pytest.mark.parametrize("damage", ["truncate", "edit", "garbage", "other-task"])
def test_corrupted_result_is_detected_and_recomputed(tmp_path, damage):
    cfg = tiny(tmp_path, realisations=1)
    en.run_sweep(cfg, workers=1)
    store = en.ResultStore(cfg)
    t0, t1 = cfg.tasks()[:2]
    path = store.result_path(t0)
    good = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(good[: len(good) // 2])
    elif damage == "edit":  # still valid JSON, one number changed: only the checksum notices
        doc = json.loads(good)
        doc["payload"]["betas"][0][0] += 1e-3
        path.write_text(json.dumps(doc))
    elif damage == "garbage":
        path.write_bytes(b"\x00" * 100)
    else:
        path.write_bytes(store.result_path(t1).read_bytes())
    with pytest.warns(en.CorruptResultWarning):
        assert store.verify(t0) is None
    assert len(list((store.root / "corrupt").iterdir())) == 1
    assert store.status().missing == 1
    en.run_sweep(cfg, workers=1)
    assert path.read_bytes() and store.verify(t0)["betas"] == json.loads(good)["payload"]["betas"]


def test_thermometry_out_of_the_thermometers_range_is_refused_when_the_sweep_loads(tmp_path):
    # it used to be accepted and then fail inside every task (failed tasks: test_ensemble_store)
    with pytest.raises(ValueError, match=r"thermometry.dbeta must be finite and > 0.0 and <= 0.5"):
        tiny(tmp_path, realisations=1, thermometry={"method": "purification", "beta_max": 2.0, "dbeta": 0.9})
    assert not (tmp_path / "store").exists()


def test_bad_executor_arguments(tmp_path):
    cfg = tiny(tmp_path)
    with pytest.raises(ValueError, match="workers must be an integer >= 1"):
        en.run_sweep(cfg, workers=0)
    with pytest.raises(TypeError, match="scheduler must be"):
        en.run_sweep(cfg, scheduler=8786)


# --- reliability: SIGKILL mid-run ---------------------------------------------------------------------

KILL = dict(store="store", N=4, h=[1.0, 4.0], eps=[0.5, 0.25], realisations=2, method="tebd", chi=16, seed=11,
            solver={"richardson": False, "checkpoint_every": 1e-3})


def _sweep_cmd(cfg_path, *extra):
    env = dict(os.environ, MBL_OPEN_NO_PROGRESS="1")
    return subprocess.Popen([sys.executable, "-m", "mbl_open", "sweep", str(cfg_path), *extra], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


@pytest.mark.slow
def test_sigkill_mid_sweep_then_resume_equals_an_uninterrupted_run(tmp_path):
    killed_dir, straight_dir = tmp_path / "killed", tmp_path / "straight"
    for d in (killed_dir, straight_dir):
        d.mkdir()
        (d / "sweep.yaml").write_text(yaml.safe_dump(KILL))
    proc = _sweep_cmd(killed_dir / "sweep.yaml", "--workers", "2")
    results = killed_dir / "store" / "results"
    deadline = time.time() + 300
    while time.time() < deadline and (not results.exists() or len(list(results.glob("*.json"))) < 1):
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the sweep and its workers, mid-task
    proc.wait()
    cfg_killed = en.load_config(killed_dir / "sweep.yaml")
    status = en.ResultStore(cfg_killed).status()
    assert 1 <= status.done < 4, status
    assert status.in_progress >= 1  # a task was cut off with a checkpoint on disk
    assert proc.returncode == -signal.SIGKILL
    assert subprocess.run([sys.executable, "-m", "mbl_open", "sweep", str(killed_dir / "sweep.yaml"), "--workers", "2"],
                          env=dict(os.environ, MBL_OPEN_NO_PROGRESS="1"), capture_output=True).returncode == 0
    assert en.run_sweep(en.load_config(straight_dir / "sweep.yaml"), workers=2).done == 4
    killed = en.ResultStore(cfg_killed).digests()
    straight = en.ResultStore(en.load_config(straight_dir / "sweep.yaml")).digests()
    assert len(killed) == 4 and killed == straight
    assert not any((killed_dir / "store" / "checkpoints").iterdir())


# --- Dask ---------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_dask_local_cluster_produces_the_same_store(tmp_path):
    from distributed import LocalCluster

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    local, dask = tiny(tmp_path / "a"), tiny(tmp_path / "b")
    en.run_sweep(local, workers=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            status = en.run_sweep(dask, scheduler=cluster.scheduler_address)
    assert status.done == 6 and status.failed == 0
    assert en.ResultStore(local).digests() == en.ResultStore(dask).digests()


# --- dataset ------------------------------------------------------------------------------------------

def test_export_and_load_dataset_round_trip(tmp_path):
    cfg = tiny(tmp_path, rate_equation=True, dataset="tiny.json")
    en.run_sweep(cfg, workers=1)
    path = en.export_dataset(cfg, cfg.dataset)
    ens = en.load_dataset(path)
    direct = en.ensemble_from_store(cfg)
    assert ens.sizes() == [4] and ens.h_values(4) == [1.0, 6.0]
    b = ens.betas_for(4, 6.0)
    assert b.shape == (3, 3, 3)
    np.testing.assert_array_equal(b, direct.betas_for(4, 6.0))
    assert ens.betas_eps0_for(4, 1.0).shape == (3, 3)
    prov = ens.provenance
    assert prov["complete"] and prov["n_tasks"] == 6 and prov["cpu_time_total"] > 0 and prov["commits"]
    assert ens.physics["eps"] == [0.2, 0.1, 0.05]
    with pytest.raises(ValueError, match=r"h = 2 is not in this ensemble at N = 4.*\[1.0, 6.0\]"):
        ens.betas_for(4, 2.0)
    with pytest.raises(KeyError, match=r"N = 5 is not in this ensemble; its sizes are \[4\]"):
        ens.count(5, 1.0)  # a KeyError too: a lookup of something the data do not hold
    with pytest.raises(TypeError, match="N must be"):
        ens.betas_for("4", 1.0)


def test_a_dead_worker_stops_the_sweep_without_marking_tasks_failed(tmp_path, monkeypatch):
    from mbl_open.ensemble import executors

    cfg = tiny(tmp_path, realisations=1)
    monkeypatch.setattr(executors, "_execute", _die)
    with pytest.raises(RuntimeError, match="worker process died"):
        en.run_sweep(cfg, workers=1)
    status = en.ResultStore(cfg).status()
    assert status.failed == 0 and status.missing == 2


def test_checkpoints_of_finished_tasks_are_dropped_by_the_next_run(tmp_path):
    """A kill between writing a result and removing its checkpoints leaves them behind; the next run tidies."""
    cfg = tiny(tmp_path, realisations=1)
    en.run_sweep(cfg, workers=1)
    store = en.ResultStore(cfg)
    done, missing = cfg.tasks()[:2]
    store.result_path(missing).unlink()
    for t in (done, missing):
        (store.checkpoint_dir(t) / "eps0.2").mkdir(parents=True)
        (store.checkpoint_dir(t) / "eps0.2" / "stage0_dt0.1.h5").write_bytes(b"x")
    (store.root / "checkpoints" / "not_a_task").mkdir()
    assert store.drop_finished_checkpoints() == 1
    assert not store.checkpoint_dir(done).exists()
    assert store.checkpoint_dir(missing).exists() and (store.root / "checkpoints" / "not_a_task").exists()
    (store.checkpoint_dir(done) / "eps0.2").mkdir(parents=True)
    assert en.run_sweep(cfg, workers=1).done == len(cfg.tasks())
    assert sorted(p.name for p in (store.root / "checkpoints").iterdir()) == ["not_a_task"]
    with pytest.raises(TypeError, match="missing must be a list of Task"):
        store.drop_finished_checkpoints(["N4_h1000_r0000"])


def _die(task, checkpoint_dir):
    os._exit(9)  # a worker killed mid-task


@pytest.mark.slow
def test_sigkill_of_the_sweep_process_alone_leaves_no_worker_running(tmp_path):
    """SIGKILL to the sweep process only (not its group), mid TEBD task: its workers must stop by themselves."""
    import psutil

    (tmp_path / "sweep.yaml").write_text(yaml.safe_dump(KILL))
    proc = _sweep_cmd(tmp_path / "sweep.yaml", "--workers", "2")
    parent = psutil.Process(proc.pid)
    checkpoints = tmp_path / "store" / "checkpoints"
    deadline = time.time() + 300
    while time.time() < deadline and not (checkpoints.exists() and any(checkpoints.iterdir())):
        time.sleep(0.05)  # a TEBD task is under way
    workers = [c for c in parent.children(recursive=True) if c.is_running()]
    assert workers, "no worker process found"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    gone, alive = psutil.wait_procs(workers, timeout=15)
    for p in alive:
        p.kill()
    assert not alive, [p.pid for p in alive]


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
