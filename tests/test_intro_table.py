"""The landing page's table of chapters names every chapter that has parameters, in the book's order."""
import re
from pathlib import Path

from mbl_open.execution.chapters import list_chapters

ROOT = Path(__file__).resolve().parents[1]


def test_the_landing_table_lists_every_chapter_with_parameters_in_order():
    text = (ROOT / "book" / "intro.md").read_text()
    rows = re.findall(r"^\| \{doc\}`[^<`]+ <(\w+)>` \| \{glue:text\}`intro_n_\1` \| \{glue:text\}`intro_t_\1` \|$",
                      text, re.M)
    assert rows == [c.name for c in list_chapters() if c.parameters]
