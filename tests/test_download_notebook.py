"""A chapter's notebook, as the book offers it for download, runs on its own.

The download menu of each chapter page offers ``.ipynb``: the notebook MyST-NB
made of ``book/<chapter>.md`` and executed during ``make book``, copied to
``_build/html/_sources/book/<chapter>.ipynb`` (``book/_ext/downloads.py``).
A reader runs it in a fresh kernel, in a directory of their own, in the
environment ``make env`` makes (the package installed from a checkout, which
is how it finds ``data/``; see ``mbl_open/infrastructure/paths.py``).  So does this test:
nbclient, a new kernel, a temporary working directory, and neither
``MBL_OPEN_ROOT`` nor ``MBL_OPEN_DATA_DIR`` set.

Two chapters: the smallest and quickest one (``thermal_network_1d``), and the
quickest one that reads the committed datasets (``mbl_critical_point``).

* ``test_offered_notebook_runs`` takes the very file offered, from the built
  book; it is skipped, saying why, when the book is not built (``make test``
  runs before ``make book`` in CI, which runs this test again after it).
* ``test_chapter_notebook_runs`` needs no build: it makes the notebook from
  ``book/<chapter>.md`` with MyST-NB's own reader, the function the build
  uses, so it has the same cells as the offered file, without the outputs
  (which executing replaces anyway).  Where a built book is at hand, the code
  of the two is compared.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
OFFERED = ROOT / "_build" / "html" / "_sources" / "book"
CHAPTERS = ["thermal_network_1d", "mbl_critical_point"]
TIMEOUT = 600  # seconds per cell, as in _config.yml


def notebook_from_markdown(chapter: str) -> nbformat.NotebookNode:
    """The notebook the build makes of ``book/<chapter>.md`` (MyST-NB's reader, the book's MyST settings)."""
    from myst_nb.core.read import read_myst_markdown_notebook
    from myst_parser.config.main import MdParserConfig

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    extensions = set(config.get("parse", {}).get("myst_enable_extensions", []))
    path = ROOT / "book" / f"{chapter}.md"
    return read_myst_markdown_notebook(path.read_text(encoding="utf-8"),
                                       config=MdParserConfig(enable_extensions=extensions),
                                       add_source_map=True, path=str(path))


def offered_notebook(chapter: str) -> Path | None:
    """The file the built book offers, if the book was built (after the last edit of the chapter)."""
    path = OFFERED / f"{chapter}.ipynb"
    if not path.is_file() or path.stat().st_mtime < (ROOT / "book" / f"{chapter}.md").stat().st_mtime:
        return None
    return path


def code_of(nb) -> list[str]:
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def run_fresh(nb: nbformat.NotebookNode, workdir: Path, monkeypatch) -> nbformat.NotebookNode:
    """Execute ``nb`` as a reader would: a new kernel, ``workdir`` as working directory, no path overrides."""
    from nbclient import NotebookClient

    for var in ("MBL_OPEN_ROOT", "MBL_OPEN_DATA_DIR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(workdir)
    kernel = nb.metadata.get("kernelspec", {}).get("name", "python3")
    client = NotebookClient(nb, timeout=TIMEOUT, kernel_name=kernel, allow_errors=False,
                            resources={"metadata": {"path": str(workdir)}})
    client.execute()  # raises CellExecutionError at the first failing cell
    return nb


def assert_ran_cleanly(nb: nbformat.NotebookNode):
    cells = [c for c in nb.cells if c.cell_type == "code"]
    assert cells and all(c.get("execution_count") for c in cells), "not every code cell was executed"
    errors = [o for c in cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, f"error output: {errors[0].get('ename')}: {errors[0].get('evalue')}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_offered_notebook_runs(chapter, tmp_path, monkeypatch):
    path = offered_notebook(chapter)
    if path is None:
        pytest.skip(f"the book is not built (or older than book/{chapter}.md): no {OFFERED / (chapter + '.ipynb')} "
                    "to download; `make book` makes it, and test_chapter_notebook_runs covers the same cells")
    workdir = tmp_path / "downloads"
    workdir.mkdir()
    saved = workdir / path.name
    shutil.copyfile(path, saved)  # as a reader saves it from the browser, and runs it from that folder
    nb = nbformat.read(saved, as_version=4)
    assert code_of(nb) == code_of(notebook_from_markdown(chapter)), "the offered notebook is not the chapter's"
    assert any(o for c in nb.cells for o in c.get("outputs", [])), "the offered notebook has no outputs"
    assert_ran_cleanly(run_fresh(nb, workdir, monkeypatch))


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_notebook_runs(chapter, tmp_path, monkeypatch):
    nb = notebook_from_markdown(chapter)
    assert code_of(nb), f"book/{chapter}.md has no code cells"
    assert os.path.commonpath([tmp_path, ROOT]) != str(ROOT)  # not run from inside the checkout
    assert_ran_cleanly(run_fresh(nb, tmp_path, monkeypatch))
