"""The benchmark records that the chapters and the README quote."""
import json

import pytest

from mbl_open.presentation import measured


def test_latest_record_is_the_newest_matching_line(tmp_path):
    path = tmp_path / "results_x.jsonl"
    lines = [dict(part="a", N=8, v=1), dict(part="b", N=8, v=2), dict(part="a", N=12, v=3), dict(part="a", N=8, v=4)]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n\n")
    assert measured.latest_record(path, "a")["v"] == 4
    assert measured.latest_record(path, "a", N=12)["v"] == 3
    assert [r["v"] for r in measured.records(path, "a")] == [1, 3, 4]
    with pytest.raises(LookupError, match="no record of part 'c'"):
        measured.latest_record(path, "c")
    with pytest.raises(TypeError, match="results must be"):
        measured.records(None)
    with pytest.raises(FileNotFoundError, match="results_nothing"):
        measured.records("nothing")


def test_the_committed_solver_benchmark_has_the_parts_the_book_quotes():
    for part in ("accuracy", "ladder12"):
        rec = measured.latest_record("steady_speed", part)
        assert rec["commit"] and rec["started"]


def test_readme_says_what_the_benchmark_records_say():
    import subprocess
    import sys
    from pathlib import Path

    tool = Path(__file__).resolve().parents[1] / "tools" / "readme_numbers.py"
    out = subprocess.run([sys.executable, str(tool), "--check"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_latest_records_answers_every_query_and_none_for_the_missing(tmp_path):
    path = tmp_path / "results_x.jsonl"
    lines = [dict(part="a", chi=64, v=1), dict(part="a", chi=128, v=2), dict(part="a", chi=64, v=3)]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    got = measured.latest_records(path, {"small": ("a", {"chi": 64}), "big": ("a", {"chi": 128}),
                                         "none": ("b", {})})
    assert list(got) == ["small", "big", "none"]
    assert got["small"]["v"] == 3 and got["big"]["v"] == 2 and got["none"] is None
    assert measured.latest_records("nothing", {"a": ("a", {})}) == {"a": None}  # no results file yet
    with pytest.raises(TypeError, match=r"queries\['a'\] must be a pair"):
        measured.latest_records(path, {"a": "a"})
    with pytest.raises(TypeError, match="queries must be a dict"):
        measured.latest_records(path, [("a", {})])


def test_chi_checks_merge_the_runs_of_a_sweep_and_a_rerun_replaces_its_realisation(tmp_path):
    path = tmp_path / "results_chi_check.jsonl"
    row = dict(N=16, eps=0.02, chi=48, chi_check=72, dbeta_over_beta=0.1, dbeta_over_beta_check=0.1,
               rel_change=1e-3, abs_change=1e-4)
    runs = [dict(part="chi_check", config="a.yaml", started="2026-01-01", commit="c1",
                 rows=[dict(row, h=4.0, r=0), dict(row, h=1.0, r=0)]),
            dict(part="chi_check", config="b.yaml", started="2026-01-02", rows=[dict(row, h=2.0, r=1)]),
            dict(part="chi_check", config="a.yaml", started="2026-01-03", commit="c2",
                 rows=[dict(row, h=4.0, r=0, abs_change=5e-4), dict(row, h=6.0, r=0)])]
    path.write_text("\n".join(json.dumps(x) for x in runs) + "\n")
    out = measured.chi_checks(path)
    assert list(out) == ["a.yaml", "b.yaml"]
    assert [(x["h"], x["r"]) for x in out["a.yaml"]] == [(1.0, 0), (4.0, 0), (6.0, 0)]
    assert [x["commit"] for x in out["a.yaml"]] == ["c1", "c2", "c2"]
    assert out["a.yaml"][1]["abs_change"] == 5e-4          # the rerun of (h = 4, r = 0) wins
    assert out["b.yaml"][0]["commit"] is None
    assert measured.chi_checks(tmp_path / "results_none.jsonl") == {}
    assert "tebd_n12" in " ".join(measured.chi_checks())   # the committed checks of the ensembles


@pytest.mark.parametrize("text, match", [("store: store\n", "line 1 .* is not JSON"),  # JSONDecodeError
                                         ('{"part": "a"}\n[1, 2]\n', "line 2 .* is a list")])  # AttributeError
def test_a_file_of_other_text_is_refused_naming_results(tmp_path, text, match):
    path = tmp_path / "other.jsonl"
    path.write_text(text)
    with pytest.raises(ValueError, match="results must be a benchmark results file .*" + match):
        measured.records(path, part="a")
