"""Regenerate the golden notebooks in tests/golden/ (``make goldens``).

Each chapter with code is executed with its default parameters through the
same papermill path as ``python -m mbl_open run``, in a temporary directory and
with progress bars off.  Images are dropped from the stored outputs (nbval does
not compare them) to keep the goldens small.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat

os.environ["MBL_OPEN_NO_PROGRESS"] = "1"
os.environ["MBL_OPEN_FIGURE_FORMAT"] = "png"  # as tests/conftest.py: nbval skips PNG figures

from mbl_open.execution.chapters import list_chapters  # noqa: E402
from mbl_open.execution.runner import execute  # noqa: E402

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
VOLATILE = ("image/png", "image/jpeg", "image/svg+xml")


def strip(nb):
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            for key in VOLATILE:
                out.get("data", {}).pop(key, None)
    return nb


def main(names=None) -> int:
    GOLDEN_DIR.mkdir(exist_ok=True)
    chapters = [c for c in list_chapters() if c.executable and (not names or c.name in names)]
    for chapter in chapters:
        target = GOLDEN_DIR / f"{chapter.name}.ipynb"
        with tempfile.TemporaryDirectory() as tmp:
            executed = Path(tmp) / target.name
            print(f"executing {chapter.name} ...", flush=True)
            start = time.perf_counter()
            execute(chapter, {}, executed, cwd=Path(tmp))
            print(f"  {chapter.name}: executed in {time.perf_counter() - start:.0f} s", flush=True)
            nb = strip(nbformat.read(executed, as_version=4))
        nbformat.write(nb, target)
        print(f"wrote {target.relative_to(Path.cwd()) if target.is_relative_to(Path.cwd()) else target}")
    stale = {p.stem for p in GOLDEN_DIR.glob("*.ipynb")} - {c.name for c in list_chapters()}
    for name in sorted(stale):
        (GOLDEN_DIR / f"{name}.ipynb").unlink()
        print(f"removed stale golden {name}.ipynb")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
