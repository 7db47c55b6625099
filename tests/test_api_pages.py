"""The API reference part of the book documents every public module of the package."""
import pkgutil
import re
from pathlib import Path

import mbl_open

ROOT = Path(__file__).resolve().parents[1]


def test_every_public_module_has_an_automodule_directive():
    documented = set()
    for page in (ROOT / "book").glob("api_*.md"):
        documented |= set(re.findall(r"\.\. automodule:: ([\w.]+)", page.read_text()))
    public = {m.name for m in pkgutil.walk_packages(mbl_open.__path__, "mbl_open.")
              if not any(part.startswith("_") for part in m.name.split("."))}
    missing = sorted(public - documented)
    assert not missing, f"modules without an API page entry: {missing}"
    assert not sorted(documented - public - {"mbl_open"}), "API pages name modules that do not exist"
