"""The benchmark records that the chapters and the README quote."""
import json

import pytest

from mbl_open import measured


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
