"""The golden notebooks must be the chapters as they are now (run `make goldens` after editing one)."""
from pathlib import Path

import nbformat
import pytest

from mbl_open.execution.chapters import list_chapters

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
CHAPTERS = [c for c in list_chapters() if c.executable]


def code_cells(nb):
    return [c.source.strip() for c in nb.cells
            if c.cell_type == "code" and "injected-parameters" not in c.metadata.get("tags", [])]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.name for c in CHAPTERS])
def test_golden_is_current(chapter):
    path = GOLDEN_DIR / f"{chapter.name}.ipynb"
    assert path.exists(), f"no golden for {chapter.name}: run `make goldens`"
    golden = nbformat.read(path, as_version=4)
    assert code_cells(golden) == code_cells(chapter.read()), (
        f"tests/golden/{chapter.name}.ipynb is stale: run `make goldens`"
    )
    assert not [c for c in golden.cells if "injected-parameters" in c.metadata.get("tags", [])], (
        "goldens must be executed with the default parameters"
    )
    for cell in golden.cells:
        if cell.cell_type == "code":
            assert cell.get("execution_count") is not None, "golden has unexecuted cells"
            assert not [o for o in cell.outputs if o.output_type == "error"]


def test_no_golden_without_chapter_and_no_notebooks_in_book():
    names = {c.name for c in CHAPTERS}
    assert {p.stem for p in GOLDEN_DIR.glob("*.ipynb")} == names
    book = Path(__file__).resolve().parent.parent / "book"
    assert not list(book.rglob("*.ipynb")), "book/ holds MyST Markdown only"
