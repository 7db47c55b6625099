"""Measured numbers that the chapters quote: the newest records of the benchmark and experiment results files.

The timing scripts in ``benchmarks/`` and the numerical experiments in
``experiments/`` append one JSON line per run to a results file
(``results_*.jsonl`` beside them, committed); every record carries the commit
and the start time of its run.  The chapters and the README read the newest
record of a part from here instead of typing its numbers, so a re-run of a
benchmark updates them.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..infrastructure import paths

__all__ = ["BENCHMARK_DIR", "chi_checks", "latest_record", "latest_records", "records"]

#: The benchmark scripts and their results files, as found at import (:func:`mbl_open.infrastructure.paths.benchmarks_dir`).
BENCHMARK_DIR = paths.benchmarks_dir(must_exist=False)


def _path(results) -> Path:
    """A results file by name (``'steady_speed'``: ``results_steady_speed.jsonl`` in ``benchmarks/`` or
    ``experiments/``) or by path."""
    if not isinstance(results, (str, Path)):
        raise TypeError(f"results must be a results-file name such as 'steady_speed' or a path, got {results!r}")
    path = Path(results)
    if not path.suffix:
        name = f"results_{results}.jsonl"
        where = [paths.benchmarks_dir(must_exist=False), paths.experiments_dir(must_exist=False)]
        path = next((d / name for d in where if (d / name).is_file()), where[0] / name)
    if not path.is_file():
        raise FileNotFoundError(f"no benchmark or experiment results file {path}")
    return path


def records(results, part=None, **match) -> list[dict]:
    """Every record of a results file, oldest first, optionally only those of one ``part``.

    Parameters
    ----------
    results : str or path
        ``'steady_speed'`` for ``benchmarks/results_steady_speed.jsonl`` (or
        ``experiments/results_NAME.jsonl`` for an experiment), or a
        path; every non-empty line must be a JSON object.
    part : str, optional
        Keep the records whose ``part`` is this.
    **match
        Keep the records whose fields have these values (e.g. ``N=8``).
    """
    if part is not None and not isinstance(part, str):
        raise TypeError(f"part must be a record part name (str) or None, got {part!r}")
    path = _path(results)
    out = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError:  # JSONDecodeError: not a results file of the benchmarks
            raise ValueError(f"results must be a benchmark results file of JSON lines; line {number} of {path} "
                             f"is not JSON: {line[:60]!r}") from None
        if not isinstance(rec, dict):
            raise ValueError(f"results must be a benchmark results file of JSON records (objects); line {number} "
                             f"of {path} is a {type(rec).__name__}")
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


def latest_records(results, queries) -> dict:
    """The newest record of each of several parts at once, ``None`` for those not measured yet.

    Parameters
    ----------
    results : str or path
        As in :func:`records`.
    queries : dict
        ``key -> (part, match)``: the ``part`` and a dict of field values of
        :func:`latest_record` (e.g. ``{"tebd": ("tebd", {"chi": 64})}``).

    Returns
    -------
    dict
        ``key -> record``, in the order of ``queries``; ``None`` where the
        results file or a matching record does not exist yet (run the benchmark).
    """
    if not isinstance(queries, dict):
        raise TypeError(f"queries must be a dict key -> (part, match), got {queries!r}")
    for key, query in queries.items():
        if not (isinstance(query, tuple) and len(query) == 2 and isinstance(query[0], str)
                and isinstance(query[1], dict)):
            raise TypeError(f"queries[{key!r}] must be a pair (part, dict of field values), got {query!r}")
    out = {}
    for key, (part, match) in queries.items():
        try:
            out[key] = latest_record(results, part, **match)
        except (LookupError, FileNotFoundError):
            out[key] = None
    return out


def chi_checks(results="chi_check") -> dict:
    """Every bond-dimension check of ``experiments/chi_check.py``, per sweep file.

    The check solves a sweep's smallest ``eps`` again at 1.5 times its
    ``chi`` on the sweep's own chains (paper Fig. 8's criterion, applied to
    the ensembles).  A later record of the same ``(h, r)`` replaces an
    earlier one.

    Returns
    -------
    dict
        ``config file -> list of rows``, sorted by ``(h, r)``; each row is the
        benchmark's (``N``, ``h``, ``r``, ``eps``, ``chi``, ``chi_check``,
        ``dbeta_over_beta``, ``dbeta_over_beta_check``, ``abs_change``,
        ``rel_change``, ...) plus ``started`` and ``commit`` of its run.
        Empty when the results file does not exist yet.
    """
    try:
        found = records(results, "chi_check")
    except FileNotFoundError:
        return {}
    rows = {}
    for rec in found:  # oldest first
        for row in rec["rows"]:
            rows.setdefault(rec["config"], {})[(row["h"], row["r"])] = dict(
                row, started=rec["started"], commit=rec.get("commit"))
    return {config: [per[k] for k in sorted(per)] for config, per in sorted(rows.items())}
