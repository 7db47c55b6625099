"""The chapter runner: parameter discovery, validation before execution, papermill runs."""
import json
import subprocess
import sys

import nbformat
import numpy as np
import pytest

from mbl_open.execution import chapters, runner
from mbl_open.infrastructure import paths
from mbl_open.execution.cli import main


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


def test_unknown_chapter_lists_the_chapters_that_run_and_the_closest_name():
    with pytest.raises(ValueError, match=r"name 'nope' is not a chapter that runs; chapters with code: .*"
                                         r"fractional_diffusion") as err:
        chapters.get_chapter("nope")
    assert "symbols" not in str(err.value) and "api_tools" not in str(err.value)   # text pages do not run
    with pytest.raises(ValueError, match=r"did you mean 'mbl_critical_point'\?"):
        chapters.get_chapter("mbl_critcal_point")


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
    assert "chapters with code" in capsys.readouterr().err
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
    assert "without encryption" not in proc.stderr and "IPKernelApp" not in proc.stderr   # no kernel log noise
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


# --- parameters checked together: the chapters' rules and cost estimates (mbl_open.execution.chapter_rules) ---

from mbl_open.execution import chapter_rules  # noqa: E402


@pytest.fixture
def no_run_limits(monkeypatch):
    """The refusal limits as shipped: no environment override of memory or time."""
    monkeypatch.delenv(chapter_rules.MAX_BYTES_ENV, raising=False)
    monkeypatch.delenv(chapter_rules.MAX_SECONDS_ENV, raising=False)


def _refused(chapter, overrides, *words):
    with pytest.raises(ValueError) as err:
        chapters.check_parameters(chapters.get_chapter(chapter), overrides)
    message = str(err.value)
    assert "\n" not in message
    for word in words:
        assert word in message, (word, message)
    return message


def test_an_empty_list_is_refused():
    _refused("thermal_network_1d", {"alphas": []}, "'alphas'", "at least one entry")


def test_a_reversed_window_is_refused():
    _refused("mbl_critical_point", {"window": [0.05, 0.02]}, "'window'", "low < high", "[0.05, 0.02]")


def test_a_window_of_three_entries_is_refused():
    _refused("mbl_critical_point", {"size_window": [0.01, 0.03, 0.1]}, "'size_window'", "exactly two entries")


@pytest.mark.parametrize("chapter", ["thermal_network_1d", "thermal_network_2d", "charge_transport"])
def test_eps_min_above_eps_max_is_refused(chapter):
    _refused(chapter, {"eps_min": 0.5}, "'eps_min'", "'eps_max'", "eps_min < 0.1")


def test_a_network_beyond_the_memory_is_refused(no_run_limits):
    # 1e6 islands x 1e5 configurations: some 10 TB of link arrays, each value inside its own range
    message = _refused("thermal_network_1d", {"N": 1_000_000, "M": 100_000}, "N = 1000000", "M = 100000",
                       "of memory", "N <= ")
    assert "TB" in message


def test_an_unknown_dataset_name_is_refused_listing_the_valid_ones():
    _refused("mbl_critical_point", {"dataset": "nosuch"}, "'dataset'", "'nosuch'", "book_exact", "tebd_n16")


def test_a_dataset_name_outside_data_is_refused():
    _refused("mbl_critical_point", {"dataset": "../../etc/x"}, "'dataset'", "'../../etc/x'", "data/", "book_exact")
    _refused("convergence", {"large_datasets": ["tebd_n12", "../data/tebd_n16"]}, "'large_datasets'",
             "'../data/tebd_n16'")


def test_dataset_names_and_paths_that_resolve_are_accepted(tmp_path, monkeypatch):
    ch = chapters.get_chapter("mbl_critical_point")
    assert chapters.check_parameters(ch, {"compare_dataset": "", "size_datasets": ["book_exact"]}) == {
        "compare_dataset": "", "size_datasets": ["book_exact"]}
    # the path of an export is made absolute: the kernel runs in its results directory
    monkeypatch.chdir(paths.data_dir().parent)
    export = paths.data_dir() / "book_exact.json"
    assert chapters.check_parameters(ch, {"dataset": "data/book_exact.json", "N": 7}) == {
        "dataset": str(export.resolve()), "N": 7}
    with pytest.raises(ValueError, match="'dataset'"):
        chapters.check_parameters(ch, {"dataset": str(tmp_path / "missing.json")})
    with pytest.raises(ValueError, match="'dataset'"):
        chapters.check_parameters(ch, {"dataset": ""})  # only the second dataset may be skipped


def test_every_broken_rule_is_reported_in_one_line():
    message = _refused("charge_transport", {"alphas_1d": [], "eps_2d": [0.1]}, "'alphas_1d'", "'eps_2d'")
    assert message.count("alphas_1d") == 1  # reported once, not once per rule that involves it


def test_every_chapter_with_parameters_has_rules_and_they_name_its_parameters():
    with_parameters = {c.name: c for c in chapters.list_chapters() if c.parameters}
    assert set(chapter_rules.RULES) == set(with_parameters)
    for name, entry in chapter_rules.RULES.items():
        ch = with_parameters[name]
        assert entry.rules, name
        assert entry.names <= set(ch.parameters), (name, entry.names - set(ch.parameters))
        assert entry.default_seconds > entry.overhead_seconds > 0, name
        assert entry.work(ch.parameters) > 0 and entry.memory(ch.parameters) > 0, name


def test_the_defaults_pass_the_rules_and_are_estimated_to_take_minutes_at_most(no_run_limits):
    for ch in chapters.list_chapters():
        if not ch.parameters:
            assert chapters.estimate(ch) is None
            continue
        assert chapters.check_parameters(ch, {}) == {}
        cost = chapters.check_run_time(ch, {})
        assert cost.seconds < 300, (ch.name, cost)
        assert cost.seconds == pytest.approx(chapter_rules.RULES[ch.name].default_seconds), ch.name
        assert cost.bytes < 2e9, (ch.name, cost)


def test_a_long_run_is_refused_without_yes_and_the_message_gives_the_estimate(no_run_limits):
    ch = chapters.get_chapter("lindblad_to_hydrodynamics")
    with pytest.raises(ValueError, match=r"n_realisations' must lie in \[1, 1000\], got 10000"):
        chapters.check_parameters(ch, {"n_realisations": 10000})   # beyond the solver's own limit: refused at once
    overrides = chapters.check_parameters(ch, {"n_realisations": 1000})
    with pytest.raises(ValueError, match=r"n_realisations = 1000 is estimated to run for [\d.]+ h.*--yes"
                                         r".*n_realisations <= \d+"):
        chapters.check_run_time(ch, overrides)
    assert chapters.check_run_time(ch, overrides, yes=True).seconds > 3600
    with pytest.raises(ValueError, match="--yes"):
        runner.run_chapter("lindblad_to_hydrodynamics", {"n_realisations": 1000}, out_dir="/nonexistent")


def test_the_limits_can_be_set_from_the_environment(monkeypatch):
    ch = chapters.get_chapter("fractional_diffusion")
    monkeypatch.setenv(chapter_rules.MAX_SECONDS_ENV, "5")
    with pytest.raises(ValueError, match="more than 5 s"):
        chapters.check_run_time(ch, {})
    monkeypatch.setenv(chapter_rules.MAX_BYTES_ENV, "1e8")
    with pytest.raises(ValueError, match="MBL_OPEN_RUN_MAX_BYTES = 100 MB"):
        chapters.check_parameters(ch, {})
    monkeypatch.setenv(chapter_rules.MAX_BYTES_ENV, "lots")
    with pytest.raises(ValueError, match="MBL_OPEN_RUN_MAX_BYTES must be a positive number"):
        chapters.check_parameters(ch, {})


def test_a_chain_length_the_dataset_does_not_hold_is_refused_naming_the_sizes_it_holds():
    ch = chapters.get_chapter("mbl_critical_point")
    with pytest.raises(ValueError, match=r"N = 16 is not in the dataset 'tebd_n12', which holds N = \[12\]"):
        chapters.check_parameters(ch, {"dataset": "tebd_n12"})
    assert chapters.check_parameters(ch, {"dataset": "tebd_n12", "N": 12})["N"] == 12
    with pytest.raises(ValueError, match=r"compare_N = 8 is not in the dataset 'book_tebd'"):
        chapters.check_parameters(ch, {"compare_dataset": "book_tebd"})


@pytest.mark.slow
def test_an_interrupted_run_prints_one_line_and_no_kernel_traceback(tmp_path):
    """Ctrl-C during a cell printed the kernel's ZMQ traceback (a reply to a socket already closed)."""
    import signal
    import time

    cmd = [sys.executable, "-m", "mbl_open", "run", "closed_system_spreading", "--out", str(tmp_path)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(8)  # inside the chapter's first long cell
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode != 0 and "interrupted: the chapter stopped" in err
    assert "Traceback" not in err and "ZMQError" not in err and "IPKernelApp" not in err, err[-2000:]


@pytest.mark.parametrize("error", [RuntimeError("a cell failed"), KeyboardInterrupt()])
def test_a_failed_or_interrupted_run_keeps_its_notebook_and_none_of_its_data(tmp_path, monkeypatch, error):
    def execute(chapter, overrides, output, *, cwd, results_dir):
        (results_dir / "curves.npz").write_bytes(b"half")      # the chapter saved data, then stopped
        output.write_text("{}")
        raise error

    monkeypatch.setattr(runner, "execute", execute)
    with pytest.raises(type(error)):
        runner.run_chapter("fractional_diffusion", {}, out_dir=tmp_path)
    run_dir = next((tmp_path / "fractional_diffusion").iterdir())
    assert (run_dir / "fractional_diffusion.failed.ipynb").exists() and not list(run_dir.glob("*.npz"))


def test_the_second_chain_length_must_differ_from_the_first():
    ch = chapters.get_chapter("mbl_critical_point")
    with pytest.raises(ValueError, match="compare_N different from N"):
        chapters.check_parameters(ch, {"dataset": "book_exact", "N": 8})
    assert chapters.check_parameters(ch, {"dataset": "book_exact", "N": 8, "compare_dataset": ""})["N"] == 8
