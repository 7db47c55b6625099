"""The chapter runner: parameter discovery, validation before execution, papermill runs."""
import json
import subprocess
import sys

import nbformat
import numpy as np
import pytest

from mbl_open import chapters, runner
from mbl_open.cli import main


def test_every_chapter_in_toc_is_found_with_parameters():
    found = {c.name: c for c in chapters.list_chapters()}
    assert {"intro", "fractional_diffusion"} <= set(found)
    params = found["fractional_diffusion"].parameters
    assert params["z_1d"] == [2, 3, 4, 6]
    assert isinstance(params["M_1d"], int) and isinstance(params["dg"], float)
    assert found["intro"].parameters == {}


def test_papermill_reads_the_same_parameters_as_the_runner():
    # papermill warns "Unable to parse line" (and then "unknown parameter" for an override) on a parameter line
    # with a second '=', e.g. in its comment: every chapter's parameters must parse cleanly for it too
    from papermill.translators import PythonTranslator
    for c in chapters.list_chapters():
        cells = [x for x in c.read().cells if "parameters" in x.metadata.get("tags", [])]
        found = [p.name for cell in cells for p in PythonTranslator.inspect(cell)]
        assert found == list(c.parameters), c.name


def test_parameters_cell_must_hold_literals():
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("a = 1\nb = [1, 2.5]\nc = 'x'", metadata={"tags": ["parameters"]}))
    assert chapters.read_parameters(nb) == {"a": 1, "b": [1, 2.5], "c": "x"}
    nb.cells[0].source = "a = 1 + np.pi"
    with pytest.raises(ValueError, match="literal"):
        chapters.read_parameters(nb)


def test_unknown_chapter_lists_valid_names():
    with pytest.raises(ValueError, match=r"unknown chapter 'nope'.*fractional_diffusion"):
        chapters.get_chapter("nope")


def test_unknown_parameter_lists_valid_parameters():
    ch = chapters.get_chapter("fractional_diffusion")
    with pytest.raises(ValueError, match=r"no parameter 'L'.*L_1d \(int\)"):
        chapters.check_parameters(ch, {"L": 3})


@pytest.mark.parametrize(
    "name, value",
    [("M_1d", 2.5), ("M_1d", "many"), ("M_1d", True), ("dg", "small"), ("z_1d", 3), ("z_1d", ["a"]),
     ("run_checks", 1)],
)
def test_wrong_type_is_a_type_error(name, value):
    ch = chapters.get_chapter("fractional_diffusion")
    with pytest.raises(TypeError, match=f"parameter '{name}' must be of type"):
        chapters.check_parameters(ch, {name: value})


def test_values_are_converted_to_the_default_types():
    ch = chapters.get_chapter("fractional_diffusion")
    got = chapters.check_parameters(ch, {"dg": 1, "z_1d": (2, 2.5), "M_1d": 8})
    assert got == {"dg": 1.0, "z_1d": [2, 2.5], "M_1d": 8}
    assert isinstance(got["dg"], float)


@pytest.mark.parametrize(
    "raw, default, expected",
    [("1e-3", 0.5, 1e-3), ("7", 3, 7), ("[2, 3]", [1], [2, 3]), ("2,3", [1], [2, 3]), ("4", [1], [4]),
     ("false", True, False), ("True", False, True), ("hello", "x", "hello"), ("'q'", "x", "q"),
     ("abc", 1, "abc")],
)
def test_cli_value_parsing(raw, default, expected):
    assert chapters.parse_cli_value(raw, default) == expected


def test_parameter_hash_is_stable_and_order_free():
    a = runner.parameter_hash({"x": 1, "y": [1, 2]})
    assert a == runner.parameter_hash({"y": [1, 2], "x": 1})
    assert a != runner.parameter_hash({"x": 2, "y": [1, 2]})
    ch = chapters.get_chapter("fractional_diffusion")
    # giving a default explicitly is the same run as not giving it
    assert runner.run_directory(ch, {}) == runner.run_directory(ch, {"M_1d": ch.parameters["M_1d"]})


def test_cli_errors_before_execution(capsys, tmp_path):
    assert main(["run", "nope", "--out", str(tmp_path)]) == 2
    assert "valid chapters" in capsys.readouterr().err
    assert main(["run", "fractional_diffusion", "-p", "Lx", "3", "--out", str(tmp_path)]) == 2
    assert "valid parameters" in capsys.readouterr().err
    assert main(["run", "fractional_diffusion", "-p", "M_1d", "2.5", "--out", str(tmp_path)]) == 2
    assert "must be of type int" in capsys.readouterr().err
    assert main(["run", "symbols", "--out", str(tmp_path)]) == 2
    assert "text page without code cells" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []  # nothing was executed or written


def test_cli_list_prints_parameters(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "fractional_diffusion:" in out and "L_1d" in out and "intro:" in out
    assert "symbols: Symbols\n    (text page, nothing to execute)" in out


@pytest.mark.slow
def test_run_writes_notebook_parameters_and_data(tmp_path):
    """End to end through ``python -m mbl_open run`` with small parameters."""
    cmd = [sys.executable, "-m", "mbl_open", "run", "fractional_diffusion", "--out", str(tmp_path),
           "-p", "L_1d", "4096", "-p", "M_1d", "4", "-p", "L_2d", "256", "-p", "M_2d", "2",
           "-p", "z_1d", "[2, 3]", "-p", "z_2d", "[3]", "-p", "n_eps", "15", "-p", "modes_2d", "2.0", "-p", "modes_1d", "5.0", "-p", "run_checks", "false"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    runs = list((tmp_path / "fractional_diffusion").iterdir())
    assert len(runs) == 1
    run_dir = runs[0]
    params = json.loads((run_dir / "parameters.json").read_text())
    assert params["L_1d"] == 4096 and params["z_1d"] == [2, 3] and params["run_checks"] is False
    assert params["gamma"] == 1.0  # defaults recorded too
    assert run_dir.name == runner.parameter_hash(params)
    nb = nbformat.read(run_dir / "fractional_diffusion.ipynb", as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "L_1d = 4096" in injected[0].source
    data = np.load(run_dir / "fractional_diffusion.npz")
    assert data["d1_z2_eps"].shape == (15,)
    assert not list(run_dir.glob("*.partial.ipynb"))


@pytest.mark.slow
def test_failed_run_keeps_failed_notebook(tmp_path):
    cmd = [sys.executable, "-m", "mbl_open", "run", "fractional_diffusion", "--out", str(tmp_path),
           "-p", "L_1d", "4096", "-p", "M_1d", "4", "-p", "L_2d", "256", "-p", "M_2d", "2", "-p", "modes_2d", "50"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1  # a value in its declared range that the computation refuses inside the kernel
    assert "too small for a scaling window" in proc.stderr
    run_dir = next((tmp_path / "fractional_diffusion").iterdir())
    assert (run_dir / "fractional_diffusion.failed.ipynb").exists()
    assert not (run_dir / "fractional_diffusion.ipynb").exists()
