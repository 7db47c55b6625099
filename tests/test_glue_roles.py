"""Every number pasted into a chapter's prose is glued by that chapter, and glued sentences render their math."""
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ROLE = re.compile(r"\{glue(?::(text|md|any|figure|math))?\}`([^`]+)`")
CHAPTERS = sorted(p.stem for p in (ROOT / "tests" / "golden").glob("*.ipynb"))


def _glued_names(chapter):
    nb = json.loads((ROOT / "tests" / "golden" / f"{chapter}.ipynb").read_text())
    return {o["metadata"]["scrapbook"]["name"] for c in nb["cells"] for o in c.get("outputs", [])
            if "scrapbook" in o.get("metadata", {})}


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_glue_role_names_a_value_the_chapter_glues(chapter):
    roles = ROLE.findall((ROOT / "book" / f"{chapter}.md").read_text())
    names = _glued_names(chapter)
    for kind, key in roles:
        name = key.rsplit(":", 1)[0] if kind in ("text", "md") and ":" in key else key
        assert name in names, f"{chapter}: {{glue:{kind}}}`{key}` pastes a name the chapter never glues"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_glued_sentences_are_parsed_as_myst(chapter):
    # glue:md parses as CommonMark unless told otherwise, which leaves $...$ as raw text in the HTML
    for kind, key in ROLE.findall((ROOT / "book" / f"{chapter}.md").read_text()):
        if kind == "md":
            assert key.endswith(":myst"), f"{chapter}: {{glue:md}}`{key}` needs the :myst format"
