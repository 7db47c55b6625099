"""The book's chapters as the runner sees them.

A chapter is a MyST Markdown notebook in ``book/`` listed in ``_toc.yml``.  Its
parameters are the assignments in the code cell tagged ``parameters``: each
``name = literal`` line gives a parameter, its default and its type.  This
module finds chapters, reads those parameters and checks user-supplied values
against them, all without executing anything.
"""
from __future__ import annotations

import ast
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import jupytext
import yaml

from ._validate import check_instance, check_mapping

__all__ = [
    "ROOT",
    "BOOK_DIR",
    "Chapter",
    "list_chapters",
    "get_chapter",
    "read_parameters",
    "read_ranges",
    "check_parameters",
    "parse_cli_value",
]

#: Repository root (the package is installed in editable mode next to ``book/``).
ROOT = Path(__file__).resolve().parent.parent
BOOK_DIR = ROOT / "book"
TOC_FILE = ROOT / "_toc.yml"


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
    raise ValueError(f"name: unknown chapter {name!r}; valid chapters: {', '.join(c.name for c in chapters)}")


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
    """Validate ``overrides`` against the chapter's parameters.

    Returns the overrides converted to the defaults' types.  An unknown name
    raises ``ValueError`` listing the valid parameters; a value of the wrong type
    raises ``TypeError`` naming the expected type; a number outside the range
    the chapter declares (:func:`read_ranges`) raises ``ValueError`` naming it.
    All of this happens before any kernel starts.
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
    return checked


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
