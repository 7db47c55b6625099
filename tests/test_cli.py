"""The command line refuses a user's mistake with one line on stderr, reads stores without writing, and
quarantines what it cannot read."""
import json
import os
import re
import stat
import subprocess
import sys

import pytest

from mbl_open import ensemble as en
from mbl_open.execution.cli import main

SWEEP = """store: store
method: exact
N: 4
h: [1.0]
eps: [0.2]
realisations: 1
"""


def _yaml(tmp_path, text=SWEEP, name="sweep.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def _one_line_error(capsys, code, *words):
    err = capsys.readouterr().err.strip()
    assert code == 2, err
    assert err.startswith("error: ") and "\n" not in err and "Traceback" not in err, err
    for w in words:
        assert w in err, (w, err)


@pytest.mark.parametrize("text, words", [
    ("store: [unclosed\n", ("while parsing",)),                          # malformed YAML
    ("store: s\nN: 4\n", ("h",)),                                         # a required key missing
    (SWEEP.replace("N: 4", "N: [4, 4]"), ("N",)),                         # duplicate N
    (SWEEP.replace("realisations: 1", "realisations: yes"), ("realisations",)),
])
def test_bad_sweep_files_give_one_line(tmp_path, capsys, text, words):
    _one_line_error(capsys, main(["status", str(_yaml(tmp_path, text))]), *words)


def test_missing_file_and_store_that_is_a_file(tmp_path, capsys):
    _one_line_error(capsys, main(["status", str(tmp_path / "nope.yaml")]), "nope.yaml")
    (tmp_path / "store").write_text("not a directory")
    _one_line_error(capsys, main(["sweep", str(_yaml(tmp_path))]), "is a file")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs file permissions (not root)")
def test_read_only_output_gives_one_line(tmp_path, capsys):
    cfg = _yaml(tmp_path)
    assert main(["sweep", str(cfg), "--workers", "1"]) == 0
    capsys.readouterr()
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        _one_line_error(capsys, main(["export", str(cfg), "--out", str(locked / "d.json")]), "ermission")
    finally:
        locked.chmod(stat.S_IRWXU)


def test_debug_shows_the_traceback(tmp_path):
    with pytest.raises(Exception):
        main(["--debug", "status", str(_yaml(tmp_path, "store: [unclosed\n"))])


def test_status_of_a_store_that_was_never_run_creates_nothing(tmp_path, capsys):
    cfg = _yaml(tmp_path)
    assert main(["status", str(cfg)]) == 0
    assert "0/1 done" in capsys.readouterr().out
    assert not (tmp_path / "store").exists()


def test_a_directory_or_a_malformed_payload_in_the_store_is_quarantined(tmp_path):
    cfg = en.load_config(_yaml(tmp_path))
    en.run_sweep(cfg, workers=1)
    store = en.ResultStore(cfg)
    task = cfg.tasks()[0]
    path = store.result_path(task)
    good = json.loads(path.read_text())
    # a checksum-valid document whose payload is not a result
    bad = dict(good, payload={"task": good["payload"]["task"], "betas": "nonsense"})
    bad["sha256"] = en.store._sha256(bad["payload"])
    path.write_text(json.dumps(bad))
    with pytest.warns(en.CorruptResultWarning, match="malformed payload"):
        assert en.ResultStore(cfg, read_only=True).status().done == 0
    assert path.exists()  # read-only: nothing moved
    with pytest.warns(en.CorruptResultWarning, match="malformed payload"):
        assert store.status().done == 0
    assert not path.exists() and list((store.root / "corrupt").iterdir())
    # a directory where the result file belongs
    path.mkdir()
    with pytest.warns(en.CorruptResultWarning, match="directory"):
        assert store.missing() == [task]
    assert not path.exists()
    en.run_sweep(cfg, workers=1)  # recomputed
    assert store.status().done == 1


def test_cli_runs_as_a_module_and_exits_2_on_a_user_error(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "mbl_open", "status", str(tmp_path / "missing.yaml")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and proc.stderr.startswith("error: ") and "Traceback" not in proc.stderr


@pytest.mark.parametrize("name, value, words", [
    ("L_1d", "-5", ("L_1d", "[8,")),
    ("n_eps", "2", ("n_eps", "[3, 10000]")),
    ("z_1d", "[2, -1]", ("z_1d", "(0, 20]")),
    ("M_1d", "lots", ("M_1d", "int")),
    ("no_such", "1", ("no_such", "valid parameters")),
])
def test_chapter_parameters_are_refused_before_any_kernel_starts(capsys, monkeypatch, name, value, words):
    import mbl_open.execution.runner as runner

    def no_kernel(*args, **kwargs):
        raise AssertionError("a kernel was started for a bad parameter")

    monkeypatch.setattr(runner, "run_chapter", no_kernel)
    _one_line_error(capsys, main(["run", "fractional_diffusion", "-p", name, value]), *words)


def test_list_shows_the_allowed_ranges(capsys):
    assert main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    line = next(l for l in lines if l.strip().startswith("L_1d"))
    assert line.split("=", 1)[1].split() == ["65536", "(allowed:", "[8,", "6.71089e+07])"], line


def test_read_only_status_of_an_existing_store_creates_no_directories(tmp_path):
    cfg = en.load_config(_yaml(tmp_path))
    en.ResultStore(cfg)  # creates the store
    for sub in ("results", "failed", "corrupt", "checkpoints"):
        (tmp_path / "store" / sub).rmdir()
    assert en.ResultStore(cfg, read_only=True).status().done == 0
    assert sorted(p.name for p in (tmp_path / "store").iterdir()) == ["sweep.json"]


def test_two_directories_in_place_of_a_result_are_both_quarantined_side_by_side(tmp_path):
    cfg = en.load_config(_yaml(tmp_path))
    store = en.ResultStore(cfg)
    path = store.result_path(cfg.tasks()[0])
    for _ in range(2):
        path.mkdir()
        with pytest.warns(en.CorruptResultWarning, match="directory"):
            store.missing()
    assert sorted(p.name for p in (store.root / "corrupt").iterdir()) == [f"{path.stem}.0", f"{path.stem}.1"]


@pytest.fixture
def no_kernel(monkeypatch):
    """``run_chapter`` replaced: a test fails if a kernel would start; the calls it would have made are kept."""
    import mbl_open.execution.runner as runner
    from mbl_open.execution import chapter_rules

    monkeypatch.delenv(chapter_rules.MAX_BYTES_ENV, raising=False)
    monkeypatch.delenv(chapter_rules.MAX_SECONDS_ENV, raising=False)
    calls = []

    def refuse(*args, **kwargs):
        calls.append((args, kwargs))
        if not kwargs.get("yes"):
            raise AssertionError("a kernel was started for a run that should have been refused")
        return "not executed"

    monkeypatch.setattr(runner, "run_chapter", refuse)
    return calls


def test_run_refuses_an_empty_list(capsys, no_kernel):
    _one_line_error(capsys, main(["run", "thermal_network_1d", "-p", "alphas", "[]"]), "'alphas'", "at least one")


def test_run_refuses_eps_min_above_the_default_eps_max(capsys, no_kernel):
    _one_line_error(capsys, main(["run", "thermal_network_1d", "-p", "eps_min", "0.5"]),
                    "'eps_min'", "'eps_max'", "eps_min < 0.1")


def test_run_refuses_an_empty_list_of_datasets(capsys, no_kernel):
    _one_line_error(capsys, main(["run", "mbl_critical_point", "-p", "size_datasets", "[]"]),
                    "'size_datasets'", "at least one")


def test_run_refuses_a_lattice_beyond_memory_or_time(capsys, monkeypatch, no_kernel):
    argv = ["run", "fractional_diffusion", "-p", "L_1d", "67108864", "-p", "M_1d", "100000"]
    _one_line_error(capsys, main(argv), "L_1d = 67108864", "M_1d = 100000", "estimated")  # days, or beyond memory
    monkeypatch.setenv("MBL_OPEN_RUN_MAX_BYTES", "8e9")  # a machine with 8 GB to spare: --yes does not help
    _one_line_error(capsys, main(argv + ["--yes"]), "L_1d", "GB of memory", "MBL_OPEN_RUN_MAX_BYTES = 8 GB",
                    "L_1d <= ")
    assert no_kernel == []


def test_run_refuses_hours_of_work_without_yes_and_runs_it_with_yes(capsys, no_kernel):
    _one_line_error(capsys, main(["run", "lindblad_to_hydrodynamics", "-p", "n_realisations", "10000"]),
                    "n_realisations", "[1, 1000]")          # beyond the solver's limit: refused by the range
    argv = ["run", "lindblad_to_hydrodynamics", "-p", "n_realisations", "1000"]
    _one_line_error(capsys, main(argv), "n_realisations = 1000", " h ", "more than 1 h", "--yes",
                    "n_realisations <= ")
    assert no_kernel == []
    assert main(argv + ["--yes"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("estimated: about ") and " h and " in out
    (args, kwargs), = no_kernel
    assert args[:2] == ("lindblad_to_hydrodynamics", {"n_realisations": 1000}) and kwargs == {"yes": True}


def test_run_prints_the_estimate_before_executing(capsys, no_kernel):
    assert main(["run", "fractional_diffusion", "--yes"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert re.fullmatch(r"estimated: about 11 s and [\d.]+ MB of memory", first), first


def test_list_prints_plain_titles_and_survives_a_closed_pipe():
    env = dict(os.environ, MBL_OPEN_NO_PROGRESS="1")
    out = subprocess.run([sys.executable, "-m", "mbl_open", "list"], capture_output=True, text=True, env=env)
    assert out.returncode == 0 and "$" not in out.stdout and "eps^d/2z" in out.stdout
    proc = subprocess.run(f"{sys.executable} -m mbl_open list | head -1", shell=True, capture_output=True, text=True,
                          env=env, executable="/bin/bash")
    assert proc.stdout.count("\n") == 1 and "Broken pipe" not in proc.stderr and "Error" not in proc.stderr
