"""mbl_open.ensemble.dataset: a committed dataset never loses results silently."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from mbl_open import ensemble as en

from _helpers import tiny

REPO = Path(__file__).resolve().parents[1]


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "mbl_open", *map(str, args)], capture_output=True, text=True,
                          env=dict(os.environ, MBL_OPEN_NO_PROGRESS="1"), timeout=600)


@pytest.fixture
def book_exact_copy(tmp_path):
    """The repository's exact sweep and its committed dataset, copied with their relative layout (no store)."""
    (tmp_path / "sweeps").mkdir()
    (tmp_path / "data").mkdir()
    shutil.copy(REPO / "sweeps" / "book_exact.yaml", tmp_path / "sweeps")
    shutil.copy(REPO / "data" / "book_exact.json", tmp_path / "data")
    return tmp_path / "sweeps" / "book_exact.yaml", tmp_path / "data" / "book_exact.json"


def test_a_limit_run_on_a_fresh_checkout_leaves_the_committed_dataset_alone(book_exact_copy):
    sweep, dataset = book_exact_copy
    before = dataset.read_bytes()
    proc = _cli("sweep", sweep, "--limit", "1", "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    assert "1/960 done" in proc.stdout and "no dataset written after a --limit run" in proc.stdout
    assert dataset.read_bytes() == before


def test_export_refuses_to_shrink_a_dataset_in_one_line_and_force_replaces_it(book_exact_copy, tmp_path):
    sweep, dataset = book_exact_copy
    before = dataset.read_bytes()
    assert _cli("sweep", sweep, "--limit", "1", "--workers", "1").returncode == 0
    proc = _cli("export", sweep)
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1
    for word in (str(dataset.resolve()), "holds 960 tasks", "the store 1", "--force"):
        assert word in proc.stderr, (word, proc.stderr)
    assert dataset.read_bytes() == before
    assert _cli("export", sweep, "--out", tmp_path / "trial.json").returncode == 0   # a separate path is fine
    assert en.load_dataset(tmp_path / "trial.json").provenance["n_tasks"] == 1
    assert _cli("export", sweep, "--force").returncode == 0                          # said explicitly
    assert en.load_dataset(dataset).provenance["n_tasks"] == 1


def test_export_refuses_other_physics_another_stores_tasks_and_files_that_are_no_dataset(tmp_path):
    cfg = tiny(tmp_path, dataset="data.json")
    assert en.run_sweep(cfg, workers=1).done == 6
    en.export_dataset(cfg, cfg.dataset)
    en.export_dataset(cfg, cfg.dataset)                                # the same results again: fine
    grown = tiny(tmp_path, dataset="data.json", realisations=4)          # a grown sweep: more tasks, fine
    assert en.run_sweep(grown, workers=1).done == 8
    en.export_dataset(grown, grown.dataset)
    with pytest.raises(en.DatasetReplaceError, match="holds 8 tasks, the store 6"):
        en.export_dataset(cfg, cfg.dataset)                             # the smaller sweep would drop two
    other = tiny(tmp_path, dataset="data.json", store="other", seed=6)
    assert en.run_sweep(other, workers=1).done == 6
    with pytest.raises(en.DatasetReplaceError, match="other physics parameters .*seed"):
        en.export_dataset(other, other.dataset)
    (tmp_path / "notes.json").write_text("my notes")
    with pytest.raises(en.DatasetReplaceError, match="is not a dataset"):
        en.export_dataset(cfg, tmp_path / "notes.json")
    assert (tmp_path / "notes.json").read_text() == "my notes"


def test_export_never_writes_over_its_own_sweep_file(tmp_path):
    cfg = tiny(tmp_path)
    assert en.run_sweep(cfg, workers=1).done == 6
    text = cfg.source.read_text()
    for force in (False, True):
        with pytest.raises(ValueError, match="the sweep file itself"):
            en.export_dataset(cfg, cfg.source, force=force)
    proc = _cli("export", cfg.source, "--out", cfg.source)
    assert proc.returncode == 2 and "the sweep file itself" in proc.stderr
    assert cfg.source.read_text() == text


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


def test_a_truncation_error_the_qr_engine_did_not_measure_is_stored_as_null(tmp_path):
    import json

    cfg = tiny(tmp_path, method="tebd", chi=8, N=4, h=[2.0], eps=[0.4, 0.2], realisations=1,
               solver={"solver": "fast"}, dataset="qr.json")
    assert cfg.solver.get("engine") == "qr" and en.run_sweep(cfg, workers=1).done == 1
    en.export_dataset(cfg, cfg.dataset)
    assert json.loads(cfg.dataset.read_text())["tasks"][0]["max_truncation_error"] is None
    ens = en.load_dataset(cfg.dataset)
    assert np.isnan(ens.diagnostics["max_truncation_error"]).all() and ens.diagnostics["converged"].all()
