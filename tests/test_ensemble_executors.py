"""mbl_open.ensemble.executors: local workers and a Dask cluster fill a store alike; SIGKILL mid-run loses only the
tasks in flight; a dead worker stops the sweep without blaming the tasks."""
import os
import signal
import subprocess
import sys
import time
import warnings

import pytest
import yaml

from mbl_open import ensemble as en

from _helpers import tiny


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


def _die(task, checkpoint_dir):
    os._exit(9)  # a worker killed mid-task


def test_a_dead_worker_stops_the_sweep_without_marking_tasks_failed(tmp_path, monkeypatch):
    from mbl_open.ensemble import executors

    cfg = tiny(tmp_path, realisations=1)
    monkeypatch.setattr(executors, "_execute", _die)
    with pytest.raises(RuntimeError, match="worker process died"):
        en.run_sweep(cfg, workers=1)
    status = en.ResultStore(cfg).status()
    assert status.failed == 0 and status.missing == 2


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


def test_a_sweep_can_run_only_some_h_first(tmp_path):
    cfg = tiny(tmp_path)                                   # h = 1 and 6, 3 realisations
    status = en.run_sweep(cfg, workers=1, only_h=[6.0])
    assert (status.done, status.missing) == (3, 3)
    done = {p["task"]["h"] for p in en.ResultStore(cfg).load().values()}
    assert done == {6.0}
    with pytest.raises(ValueError, match=r"only_h \[2.0\] are not disorder strengths of the sweep"):
        en.run_sweep(cfg, workers=1, only_h=[2.0])
    with pytest.raises(TypeError, match="only_h must be a non-empty list"):
        en.run_sweep(cfg, workers=1, only_h=[])
    assert en.run_sweep(cfg, workers=1).done == 6
