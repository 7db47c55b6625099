"""Measured numbers that the chapters quote: the newest records of the benchmark results files.

The scripts in ``benchmarks/`` append one JSON line per run to a results file
(``benchmarks/results_*.jsonl``, committed); every record carries the commit
and the start time of its run.  The chapters and the README read the newest
record of a part from here instead of typing its numbers, so a re-run of a
benchmark updates them.
"""
from __future__ import annotations

import json
from pathlib import Path

__all__ = ["BENCHMARK_DIR", "latest_record", "records"]

#: The benchmark scripts and their results files (``benchmarks/`` at the top of the repository).
BENCHMARK_DIR = Path(__file__).resolve().parents[1] / "benchmarks"


def _path(results) -> Path:
    if not isinstance(results, (str, Path)):
        raise TypeError(f"results must be a results-file name such as 'steady_speed' or a path, got {results!r}")
    path = Path(results)
    if not path.suffix:
        path = BENCHMARK_DIR / f"results_{results}.jsonl"
    if not path.is_file():
        raise FileNotFoundError(f"no benchmark results file {path}")
    return path


def records(results, part=None, **match) -> list[dict]:
    """Every record of a results file, oldest first, optionally only those of one ``part``.

    Parameters
    ----------
    results : str or path
        ``'steady_speed'`` for ``benchmarks/results_steady_speed.jsonl``, or a path.
    part : str, optional
        Keep the records whose ``part`` is this.
    **match
        Keep the records whose fields have these values (e.g. ``N=8``).
    """
    out = []
    for line in _path(results).read_text().splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        if part is not None and rec.get("part") != part:
            continue
        if all(rec.get(k) == v for k, v in match.items()):
            out.append(rec)
    return out


def latest_record(results, part, **match) -> dict:
    """The newest record of ``part`` (see :func:`records`); ``LookupError`` when there is none."""
    found = records(results, part, **match)
    if not found:
        raise LookupError(f"no record of part {part!r} {match or ''} in {_path(results)}: run the benchmark")
    return found[-1]
