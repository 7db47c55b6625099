"""The book's chapters as the runner sees them.

A chapter is a MyST Markdown notebook in ``book/`` listed in ``_toc.yml``.  Its
parameters are the assignments in the code cell tagged ``parameters``: each
``name = literal`` line gives a parameter, its default and its type.  This
module finds chapters, reads those parameters and checks user-supplied values
against them, all without executing anything: each value against its type and
declared range, all values together against the chapter's rules and its memory
estimate (:mod:`mbl_open.execution.chapter_rules`), and the run time estimate
(:func:`check_run_time`).
"""
from __future__ import annotations

import ast
import difflib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import jupytext
import yaml

from . import chapter_rules
from ..infrastructure import paths
from ..infrastructure._validate import check_instance, check_mapping

__all__ = [
    "ROOT",
    "BOOK_DIR",
    "Chapter",
    "list_chapters",
    "get_chapter",
    "read_parameters",
    "read_ranges",
    "check_parameters",
    "check_run_time",
    "estimate",
    "parse_cli_value",
]

#: Repository root and the book's files, as found at import (:mod:`mbl_open.infrastructure.paths`).
ROOT = paths.root()
BOOK_DIR = paths.book_dir(must_exist=False)
TOC_FILE = paths.toc_file()


@dataclass(frozen=True)
class Chapter:
    """One chapter: its runner name (the file stem), source path, title and parameters."""

    name: str
    path: Path
    title: str
    parameters: dict = field(default_factory=dict)
    ranges: dict = field(default_factory=dict)

    def read(self):
        """The chapter as an ``nbformat`` notebook (via jupytext)."""
        return jupytext.read(self.path)

    @property
    def executable(self) -> bool:
        """True for a MyST notebook with code cells (a page without a kernel, such as
        one with shell examples in fenced blocks, is never executed)."""
        nb = self.read()
        return "kernelspec" in nb.metadata and any(c.cell_type == "code" for c in nb.cells)


def _toc_files(node) -> list[str]:
    files = []
    if isinstance(node, dict):
        if "file" in node:
            files.append(node["file"])
        if "root" in node:
            files.append(node["root"])
        for key in ("parts", "chapters", "sections"):
            for child in node.get(key, []) or []:
                files.extend(_toc_files(child))
    return files


def _title(nb, default: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return default


def read_parameters(nb) -> dict:
    """Defaults of the ``parameters``-tagged cell of notebook ``nb``.

    Returns an ordered ``{name: default}``; a notebook without such a cell has
    no parameters.  Every statement in the cell must be ``name = literal``.
    """
    cells = [c for c in nb.cells if c.cell_type == "code" and "parameters" in c.metadata.get("tags", [])]
    if not cells:
        return {}
    if len(cells) > 1:
        raise ValueError("a chapter must have at most one cell tagged 'parameters'")
    params = {}
    for stmt in ast.parse(cells[0].source).body:
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)):
            raise ValueError(
                f"the parameters cell may only hold 'name = literal' lines, found: {ast.unparse(stmt)!r}"
            )
        try:
            params[stmt.targets[0].id] = ast.literal_eval(stmt.value)
        except ValueError:
            raise ValueError(
                f"parameter {stmt.targets[0].id!r} must have a literal default, got {ast.unparse(stmt.value)!r}"
            ) from None
    return params


_RANGE = re.compile(r"allowed:\s*([\[(])\s*([^,\])]*?)\s*,\s*([^,\])]*?)\s*([\])])")


def _bound(text: str, name: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"parameter {name!r}: cannot read the bound {text!r} of its 'allowed:' range") from None


def read_ranges(nb) -> dict:
    """Allowed ranges declared in the parameters cell, ``{name: (low, high, low_open, high_open)}``.

    A parameter line may end in a comment with an interval in the usual
    notation, e.g. ``N = 8  # chain length, allowed: [3, 9]`` or
    ``eps_min = 1e-4  # allowed: (0, 1]`` (``inf`` for no bound).  For a list
    of numbers the range holds for every entry.
    """
    cells = [c for c in nb.cells if c.cell_type == "code" and "parameters" in c.metadata.get("tags", [])]
    out = {}
    for line in (cells[0].source.splitlines() if cells else []):
        code, _, comment = line.partition("#")
        m = _RANGE.search(comment)
        if not m or "=" not in code:
            continue
        name = code.split("=")[0].strip()
        out[name] = (_bound(m.group(2), name), _bound(m.group(3), name), m.group(1) == "(", m.group(4) == ")")
    return out


def _check_range(name: str, value, bounds) -> None:
    low, high, low_open, high_open = bounds
    text = f"{'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
    for v in (value if isinstance(value, (list, tuple)) else [value]):
        if not _is_number(v):
            continue
        if not math.isfinite(v) or v < low or v > high or (low_open and v == low) or (high_open and v == high):
            raise ValueError(f"parameter {name!r} must lie in {text}, got {v!r}")


def list_chapters() -> list[Chapter]:
    """Every chapter of ``_toc.yml``, in book order."""
    if not TOC_FILE.exists():
        raise FileNotFoundError(
            f"no _toc.yml at {ROOT}: mbl_open must be installed in editable mode from a checkout of the book"
        )
    toc = yaml.safe_load(TOC_FILE.read_text())
    chapters = []
    for rel in _toc_files(toc):
        path = ROOT / rel
        if path.suffix == "":
            path = path.with_suffix(".md")
        if path.suffix != ".md" or not path.exists():
            continue
        nb = jupytext.read(path)
        chapters.append(Chapter(path.stem, path, _title(nb, path.stem), read_parameters(nb), read_ranges(nb)))
    return chapters


def get_chapter(name: str) -> Chapter:
    """The chapter called ``name``; an unknown name raises listing the valid ones."""
    chapters = list_chapters()
    for chapter in chapters:
        if isinstance(name, str) and chapter.name == name:
            return chapter
    runnable = [c.name for c in chapters if c.executable]
    close = difflib.get_close_matches(str(name), runnable, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise ValueError(f"name {name!r} is not a chapter that runs{hint}; chapters with code: {', '.join(runnable)}")


def _type_name(value) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (list, tuple)):
        inner = sorted({_type_name(v) for v in value})
        return f"list of {'/'.join(inner)}" if inner else "list"
    return type(value).__name__


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _coerce(name: str, value, default):
    """``value`` converted to the type of ``default``, or a TypeError naming ``name``."""
    expected = _type_name(default)
    wrong = TypeError(f"parameter {name!r} must be of type {expected} (default {default!r}), got {value!r}")
    if default is None:
        return value
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise wrong
        return value
    if isinstance(default, int):
        if not isinstance(value, int) or isinstance(value, bool):
            raise wrong
        return value
    if isinstance(default, float):
        if not _is_number(value):
            raise wrong
        return float(value)
    if isinstance(default, str):
        if not isinstance(value, str):
            raise wrong
        return value
    if isinstance(default, (list, tuple)):
        if not isinstance(value, (list, tuple)):
            raise wrong
        if default:
            if all(_is_number(v) for v in default):
                if not all(_is_number(v) for v in value):
                    raise wrong
            elif all(isinstance(v, str) for v in default):
                if not all(isinstance(v, str) for v in value):
                    raise wrong
        return list(value)
    if isinstance(default, dict):
        if not isinstance(value, dict):
            raise wrong
        return value
    raise TypeError(f"parameter {name!r} has a default of unsupported type {type(default).__name__}")


def check_parameters(chapter: Chapter, overrides: dict) -> dict:
    """Validate ``overrides`` against the chapter's parameters, one by one and together.

    Returns the overrides converted to the defaults' types (a dataset given as
    a path to a ``.json`` file made absolute, since the kernel runs in its
    results directory).  All of this happens before any kernel starts.

    Raises
    ------
    ValueError
        An unknown name (the message lists the valid parameters); a number
        outside the range the chapter declares (:func:`read_ranges`); values
        that break one of the chapter's rules (:data:`mbl_open.execution.chapter_rules.RULES`:
        empty lists, unordered windows, ``eps_min >= eps_max``, unknown
        datasets, ...), every broken rule in one line; or values whose memory
        estimate exceeds the memory available
        (:func:`mbl_open.execution.chapter_rules.memory_limit`).
    TypeError
        A value of the wrong type (the message names the expected type).
    """
    check_instance("chapter", chapter, Chapter, "a Chapter (from get_chapter)")
    check_mapping("overrides", overrides)
    checked = {}
    for name, value in overrides.items():
        if name not in chapter.parameters:
            valid = ", ".join(f"{k} ({_type_name(v)})" for k, v in chapter.parameters.items()) or "none"
            raise ValueError(f"chapter {chapter.name!r} has no parameter {name!r}; valid parameters: {valid}")
        checked[name] = _coerce(name, value, chapter.parameters[name])
        if name in chapter.ranges:
            _check_range(name, checked[name], chapter.ranges[name])
    entry = chapter_rules.RULES.get(chapter.name)
    if entry is None:
        return checked
    full = {**chapter.parameters, **checked}
    _check_rules(chapter, entry, full)
    for rule in entry.rules:
        if rule.normalise is not None and rule.names[0] in checked:
            checked[rule.names[0]] = rule.normalise(checked[rule.names[0]])
    cost = entry.estimate(chapter.parameters, full)
    limit, described = chapter_rules.memory_limit()
    if cost.bytes > limit:
        raise ValueError(
            f"chapter {chapter.name!r} {_with(chapter, checked)} needs an estimated "
            f"{chapter_rules.format_bytes(cost.bytes)} of memory, more than {described}; "
            + _allowed(chapter, entry, full, checked, lambda c: c.bytes, limit, "it fits")
        )
    return checked


def _check_rules(chapter: Chapter, entry, params: dict) -> None:
    """Raise one ValueError listing every broken rule (a parameter already reported is not reported again)."""
    messages, reported = [], set()
    for rule in entry.rules:
        if reported & set(rule.names):
            continue
        message = rule.violation(params)
        if message is not None:
            messages.append(message)
            reported |= set(rule.names)
    if messages:
        raise ValueError(f"chapter {chapter.name!r}: " + "; ".join(messages))


def _with(chapter: Chapter, checked: dict) -> str:
    """``'with N = 1000000, M = 100000'`` for the values that differ from the defaults."""
    changed = {k: v for k, v in checked.items() if v != chapter.parameters[k]}
    if not changed:
        return "with its defaults"
    text = ", ".join(f"{k} = {v!r}" for k, v in changed.items())
    return "with " + (text if len(text) <= 200 else text[:197] + "...")


def _largest_within(chapter: Chapter, entry, params: dict, name: str, measure, limit: float):
    """The largest value of ``name`` between its default and ``params[name]`` whose cost stays within ``limit``,
    the others as in ``params``; ``None`` if even the default does not fit or ``name`` is not a raised number."""
    value, default = params[name], chapter.parameters[name]
    if not (_is_number(value) and _is_number(default)) or not value > default:
        return None

    def fits(v):
        return measure(entry.estimate(chapter.parameters, {**params, name: v})) <= limit

    low, high = default, value
    if not fits(low):
        return None
    integer = isinstance(default, int)
    for _ in range(200):
        if (high - low <= 1) if integer else (high <= low * 1.01 + 1e-300):
            break
        mid = (low + high) // 2 if integer else (math.sqrt(low * high) if low > 0 else (low + high) / 2)
        low, high = (mid, high) if fits(mid) else (low, mid)
    return low


def _allowed(chapter: Chapter, entry, params: dict, checked: dict, measure, limit: float, outcome: str) -> str:
    """``'<outcome> with the other values as given for N <= 2183 or M <= 218'``, or advice when no one value helps."""
    bounds = []
    for name in checked:
        v = _largest_within(chapter, entry, params, name, measure, limit)
        if v is not None:
            bounds.append(f"{name} <= {v:.3g}" if isinstance(v, float) else f"{name} <= {v}")
    if bounds:
        return f"{outcome} with the other values as given for " + " or ".join(bounds)
    raised = [k for k in checked if _is_number(checked[k]) and checked[k] != chapter.parameters[k]]
    if len(raised) > 1:
        return f"lowering one of {', '.join(raised)} alone is not enough: lower several of them"
    return "lower the parameters that set the chapter's size"


def estimate(chapter: Chapter, overrides: dict | None = None) -> "chapter_rules.Estimate | None":
    """Estimated peak memory and wall time of a run of ``chapter``.

    Parameters
    ----------
    chapter : Chapter
        From :func:`get_chapter`.
    overrides : dict, optional
        Parameter values already checked by :func:`check_parameters`.

    Returns
    -------
    mbl_open.execution.chapter_rules.Estimate or None
        ``bytes`` and ``seconds`` of the run (the time calibrated to the
        chapter's measured default time); ``None`` for a chapter without an
        entry in :data:`mbl_open.execution.chapter_rules.RULES` (one without parameters).
    """
    check_instance("chapter", chapter, Chapter, "a Chapter (from get_chapter)")
    entry = chapter_rules.RULES.get(chapter.name)
    if entry is None:
        return None
    return entry.estimate(chapter.parameters, {**chapter.parameters, **check_mapping("overrides", overrides or {})})


def check_run_time(chapter: Chapter, overrides: dict, *, yes: bool = False) -> "chapter_rules.Estimate | None":
    """Refuse a run estimated to take longer than :func:`mbl_open.execution.chapter_rules.time_limit` (an hour) unless ``yes``.

    Parameters
    ----------
    chapter : Chapter
        From :func:`get_chapter`.
    overrides : dict
        Parameter values already checked by :func:`check_parameters`.
    yes : bool
        Accept any estimated time (``--yes`` on the command line).

    Returns
    -------
    mbl_open.execution.chapter_rules.Estimate or None
        The estimate (:func:`estimate`).

    Raises
    ------
    ValueError
        The estimate exceeds the limit and ``yes`` is false; the one-line
        message gives the estimate and, for each raised parameter that can
        bring it within the limit alone, the largest value that does.
    """
    cost = estimate(chapter, overrides)
    limit = chapter_rules.time_limit()
    if cost is None or yes or cost.seconds <= limit:
        return cost
    entry = chapter_rules.RULES[chapter.name]
    full = {**chapter.parameters, **overrides}
    fmt = chapter_rules.format_seconds
    raise ValueError(
        f"chapter {chapter.name!r} {_with(chapter, overrides)} is estimated to run for {fmt(cost.seconds)} "
        f"(its defaults: {fmt(entry.default_seconds)}), more than {fmt(limit)}; pass --yes (yes=True from Python) to "
        f"run it anyway; "
        + _allowed(chapter, entry, full, overrides, lambda c: c.seconds, limit, f"it stays within {fmt(limit)}")
    )


def parse_cli_value(raw: str, default):
    """Turn the command-line text ``raw`` into a Python value shaped like ``default``.

    Strings are taken verbatim (quotes optional), booleans accept
    ``true/false`` in any case, numbers and lists are Python literals
    (``1e-3``, ``[2, 3, 4]`` or ``2,3,4``).
    """
    if not isinstance(raw, str):
        raise TypeError(f"raw must be the command-line text (a str), got {raw!r} of type {type(raw).__name__}")
    if isinstance(default, str):
        try:
            value = ast.literal_eval(raw)
            return value if isinstance(value, str) else raw
        except (ValueError, SyntaxError):
            return raw
    if isinstance(default, bool) and raw.strip().lower() in ("true", "false"):
        return raw.strip().lower() == "true"
    try:
        value = ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        return raw  # left as text: the type check reports it
    if isinstance(value, tuple):
        value = list(value)
    if isinstance(default, (list, tuple)) and _is_number(value):
        value = [value]
    return value
