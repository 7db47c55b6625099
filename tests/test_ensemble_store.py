"""mbl_open.ensemble.store and executors: one writer per store, failures reported where the user looks,
files written with the process's umask."""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import types
from pathlib import Path

import numpy as np
import pytest
import yaml

from mbl_open import ensemble as en
from mbl_open.lindblad import draw_fields
from mbl_open.ensemble import executors
from mbl_open.ensemble.store import LOCK_FILE, StaleLockWarning, StoreBusyError
from mbl_open.infrastructure.results import atomic_write_bytes

from _helpers import tiny
from mbl_open.lindblad import Chain

# a TEBD sweep of four short tasks with checkpoints: long enough (seconds) to be caught mid-run
BUSY = dict(store="store", N=4, h=[1.0, 4.0], eps=[0.5, 0.25], realisations=2, method="tebd", chi=16, seed=11,
            solver={"richardson": False, "checkpoint_every": 1e-3})


def _cli(*args, wait=True):
    env = dict(os.environ, MBL_OPEN_NO_PROGRESS="1")
    cmd = [sys.executable, "-m", "mbl_open", *map(str, args)]
    if wait:
        return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


# --- one writer per store ----------------------------------------------------------------------------

def test_a_second_sweep_on_a_locked_store_is_refused_at_once_naming_the_holder(tmp_path):
    cfg = tiny(tmp_path)
    store = en.ResultStore(cfg)
    with store.writer_lock():
        with pytest.raises(StoreBusyError, match=f"pid {os.getpid()} on {socket.gethostname()}, started"):
            en.run_sweep(cfg, workers=1)
        start = time.perf_counter()
        proc = _cli("sweep", cfg.source, "--workers", "1")
        assert proc.returncode == 2 and time.perf_counter() - start < 60
        assert f"in use by another sweep (pid {os.getpid()}" in proc.stderr and len(proc.stderr.splitlines()) == 1
    assert not list((tmp_path / "store" / "results").glob("*.json"))   # the refused sweeps computed nothing
    assert en.run_sweep(cfg, workers=1).done == 6                        # released: the next sweep runs
    assert (tmp_path / "store" / LOCK_FILE).read_text() == ""            # released in order: nobody named


@pytest.mark.slow
def test_two_sweep_processes_at_once_then_a_stale_lock_after_sigkill(tmp_path):
    (tmp_path / "sweep.yaml").write_text(yaml.safe_dump(BUSY))
    first = _cli("sweep", tmp_path / "sweep.yaml", "--workers", "1", wait=False)
    lock = tmp_path / "store" / LOCK_FILE
    deadline = time.time() + 120
    while time.time() < deadline and not (lock.exists() and lock.read_text()):
        time.sleep(0.05)
    holder = json.loads(lock.read_text())
    assert holder["pid"] == first.pid
    second = _cli("sweep", tmp_path / "sweep.yaml", "--workers", "1")
    assert second.returncode == 2 and f"pid {first.pid}" in second.stderr
    os.killpg(first.pid, signal.SIGKILL)  # the holder dies without releasing anything
    first.wait()
    assert json.loads(lock.read_text())["pid"] == first.pid             # its name is still in the file
    third = _cli("sweep", tmp_path / "sweep.yaml", "--workers", "1", "--limit", "1")
    assert third.returncode == 0, third.stderr
    assert "taken over" in third.stderr and f"pid {first.pid}" in third.stderr
    assert json.loads(lock.read_text() or "{}").get("pid") is None         # the third released it in order


def test_a_stale_lock_file_is_taken_over_with_a_warning(tmp_path):
    cfg = tiny(tmp_path)
    store = en.ResultStore(cfg)
    (store.root / LOCK_FILE).write_text(json.dumps(dict(pid=999999, host="elsewhere", started="yesterday")))
    with pytest.warns(StaleLockWarning, match="pid 999999 on elsewhere"):
        with store.writer_lock() as info:
            assert info["pid"] == os.getpid()


def test_checkpoint_temporary_names_are_unique_per_process(tmp_path, monkeypatch):
    from tenpy.tools import hdf5_io

    from mbl_open.lindblad import tebd

    written = []
    monkeypatch.setattr(hdf5_io, "save", lambda data, name: (written.append(name), Path(name).write_bytes(b"x")))
    run = types.SimpleNamespace(psi=None, rdms=np.zeros((3, 4, 4)), recent=[], rdms3=None,
                                diag=tebd.TEBDDiagnostics(eps=0.1, chi=8, dt=0.4))
    target = tmp_path / "stage0_dt0.4.h5"
    tebd._save_checkpoint(target, run, "key")
    assert str(os.getpid()) in Path(written[0]).name and target.exists() and not Path(written[0]).exists()


def test_an_unreachable_scheduler_creates_no_store(tmp_path, monkeypatch):
    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", "1s")
    cfg = tiny(tmp_path)
    with pytest.raises(ValueError, match="no Dask scheduler answered"):
        en.run_sweep(cfg, scheduler="tcp://127.0.0.1:9")
    assert not cfg.store.exists()


# --- failures are visible ------------------------------------------------------------------------------

def test_failed_tasks_are_listed_with_their_reason_and_the_sweep_exits_nonzero(tmp_path):
    (tmp_path / "sweep.yaml").write_text(yaml.safe_dump(dict(BUSY, h=[1.0], realisations=1)))
    cfg = en.load_config(tmp_path / "sweep.yaml")
    task = cfg.tasks()[0]
    store = en.ResultStore(cfg)
    store.checkpoint_dir(task).write_text("a file where the task's checkpoint folder belongs")
    proc = _cli("sweep", cfg.source, "--workers", "1")
    assert proc.returncode == 1
    assert f"failed: {task.name}: FileExistsError" in proc.stderr, proc.stderr
    status = _cli("status", cfg.source)
    assert "failed 1" in status.stdout and f"failed: {task.name}: FileExistsError" in status.stdout
    store.checkpoint_dir(task).unlink()
    assert en.run_sweep(cfg, workers=1).done == 1
    assert not store.failure_path(task).exists()


def test_status_lists_current_failures_only_and_a_sweep_drops_stale_records(tmp_path):
    cfg = tiny(tmp_path, h=[1.0], realisations=2)
    assert en.run_sweep(cfg, workers=1).done == 2
    store = en.ResultStore(cfg)
    done, missing = cfg.tasks()
    store.result_path(missing).unlink()
    store.write_failure(done, "Traceback ...\nOSError: left by a crashed second writer")   # stale: it has a result
    store.write_failure(missing, "Traceback ...\nValueError: the real one")
    assert store.failures() == {missing.name: "ValueError: the real one"}
    proc = _cli("status", cfg.source)
    assert "failed 1" in proc.stdout and "the real one" in proc.stdout and "crashed second writer" not in proc.stdout
    assert en.run_sweep(cfg, workers=1).done == 2
    assert not list((store.root / "failed").glob("*.json"))


def test_every_yaml_section_is_validated_before_a_store_is_touched(tmp_path):
    (tmp_path / "sweep.yaml").write_text(yaml.safe_dump(dict(BUSY, thermometry={"dbeta": 100})))
    proc = _cli("sweep", tmp_path / "sweep.yaml")
    assert proc.returncode == 2 and "thermometry.dbeta must be" in proc.stderr
    assert not (tmp_path / "store").exists()


# --- permissions ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_atomic_writes_follow_the_umask(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        atomic_write_bytes(tmp_path / "f.json", b"{}")
    finally:
        os.umask(old)
    assert (tmp_path / "f.json").stat().st_mode & 0o777 == mode


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
    rdms = steady_rdms(Chain(4, 1.0, zz, zx), 0.05, method="exact")
    np.testing.assert_allclose(p["betas"][2], local_betas(rdms, Chain(4, 1.0, zz, zx)), atol=1e-9)
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


