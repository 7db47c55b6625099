"""Execute a chapter with chosen parameters through papermill.

``run_chapter('fractional_diffusion', {'M_1d': 64})`` validates the parameters
(names, types, ranges, the chapter's rules and its memory and time estimates,
see :mod:`mbl_open.execution.chapter_rules`) before anything executes, then runs the
chapter's notebook (read from MyST Markdown by jupytext) with papermill and writes

``DIR/CHAPTER/<parameter-hash>/``
    ``CHAPTER.ipynb``   the executed notebook,
    ``parameters.json`` every parameter value of the run (defaults included),
    ``*.npz``           data the chapter saved with :func:`mbl_open.infrastructure.results.save_results`.

The hash is taken over all parameter values, so the same effective parameters
always land in the same directory.  The notebook is written under a temporary
name and renamed when execution succeeded; a failed run leaves
``CHAPTER.failed.ipynb`` with the traceback.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

from ..infrastructure._validate import check_mapping
from .chapters import Chapter, check_parameters, check_run_time, get_chapter
from ..infrastructure.progress import progress_disabled
from ..infrastructure.results import RESULTS_DIR_ENV, atomic_write_bytes

__all__ = ["parameter_hash", "run_directory", "execute", "run_chapter"]

#: Per-cell timeout of a runner execution, in seconds (paper-scale runs are long).
CELL_TIMEOUT = None


def parameter_hash(parameters: dict) -> str:
    """Twelve hex digits identifying a full set of parameter values."""
    check_mapping("parameters", parameters)
    try:
        text = json.dumps(parameters, sort_keys=True, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        raise TypeError(f"parameters must hold numbers, text, bools and lists of them ({exc})") from None
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def run_directory(chapter: Chapter, overrides: dict, out_dir="results") -> Path:
    """``out_dir/CHAPTER/<hash>`` for the chapter's defaults updated by ``overrides``."""
    full = {**chapter.parameters, **overrides}
    return Path(out_dir) / chapter.name / parameter_hash(full)


@contextlib.contextmanager
def _environ(**values):
    old = {k: os.environ.get(k) for k in values}
    os.environ.update({k: str(v) for k, v in values.items()})
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def execute(chapter: Chapter, overrides: dict, output: Path, *, cwd: Path, results_dir: Path | None = None):
    """Run ``chapter`` with papermill, writing the executed notebook to ``output``.

    ``overrides`` must already be checked; only they are injected (papermill
    adds an ``injected-parameters`` cell after the ``parameters`` cell), so a run
    with no overrides executes the chapter exactly as written.
    """
    import papermill

    env = {RESULTS_DIR_ENV: str(results_dir)} if results_dir is not None else {}
    with _environ(**env):
        papermill.execute_notebook(
            chapter.read(),
            str(output),
            parameters=overrides,
            cwd=str(cwd),
            progress_bar=not progress_disabled(),  # one bar over the cells, on the terminal
            execution_timeout=CELL_TIMEOUT,
            # the kernel's own log says nothing to a reader: its warning that a local TCP connection is
            # unencrypted, and on an interrupt the traceback of a reply to a closed socket (a failing cell
            # comes back as PapermillExecutionError, with its traceback in the failed notebook)
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
        )


def run_chapter(name: str, overrides: dict | None = None, out_dir="results", *, yes: bool = False) -> Path:
    """Validate, execute and store one chapter run; return the executed notebook's path.

    Parameters
    ----------
    name : str
        Chapter name (:func:`mbl_open.execution.chapters.list_chapters`).
    overrides : dict, optional
        Parameter values that replace the chapter's defaults.
    out_dir : str or Path
        Results directory.
    yes : bool
        Run even if the estimated run time exceeds
        :func:`mbl_open.execution.chapter_rules.time_limit` (an hour); ``--yes`` on the command line.

    Raises
    ------
    ValueError
        Unknown chapter or parameter name (the message lists the valid ones), a
        value outside its range, values that break the chapter's rules, a
        memory estimate above the memory available, or (without ``yes``) a time
        estimate above the limit.
    TypeError
        A parameter value of the wrong type.
    papermill.PapermillExecutionError
        A cell failed; ``CHAPTER.failed.ipynb`` holds the traceback, and the
        data files the run had written are removed (an interrupted run too).
    """
    chapter = get_chapter(name)
    overrides = check_parameters(chapter, dict(overrides or {}))
    check_run_time(chapter, overrides, yes=bool(yes))
    run_dir = run_directory(chapter, overrides, out_dir).resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    full = {**chapter.parameters, **overrides}
    atomic_write_bytes(run_dir / "parameters.json", json.dumps(full, indent=2, sort_keys=True).encode())
    partial = run_dir / f"{chapter.name}.partial.ipynb"
    final = run_dir / f"{chapter.name}.ipynb"
    before = {p.name for p in run_dir.glob("*.npz")}
    try:
        execute(chapter, overrides, partial, cwd=run_dir, results_dir=run_dir)
    except BaseException:
        # a failed or interrupted run keeps its notebook (with the traceback) and no data of its own
        for path in run_dir.glob("*.npz"):
            if path.name not in before:
                path.unlink(missing_ok=True)
        if partial.exists():
            os.replace(partial, run_dir / f"{chapter.name}.failed.ipynb")
        raise
    os.replace(partial, final)
    return final
