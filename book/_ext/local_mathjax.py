"""Sphinx extension: serve MathJax 3 from the built book instead of a CDN.

The MathJax 3.2.2 ``es5`` bundle ships in the PyPI package
``django-static-mathjax`` (pinned in requirements.txt).  This extension points
``mathjax_path`` at ``_static/mathjax/tex-chtml.js`` and copies the bundle there
after an HTML build, so equations render with no network.
"""
from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from sphinx.errors import ExtensionError

TARGET = "mathjax"  # below _static/


def mathjax_source() -> Path:
    spec = importlib.util.find_spec("mathjax")
    if spec is None or not spec.submodule_search_locations:
        raise ExtensionError("local_mathjax: the package django-static-mathjax is not installed")
    es5 = Path(list(spec.submodule_search_locations)[0]) / "static" / "mathjax" / "es5"
    if not (es5 / "tex-chtml.js").exists():
        raise ExtensionError(f"local_mathjax: no tex-chtml.js in {es5}")
    return es5


def _config_inited(app, config):
    config.mathjax_path = f"{TARGET}/tex-chtml.js"  # relative paths are taken below _static/


def _build_finished(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    dest = Path(app.outdir) / "_static" / TARGET
    shutil.copytree(mathjax_source(), dest, dirs_exist_ok=True)


def setup(app):
    mathjax_source()  # fail early if the bundle is missing
    app.connect("config-inited", _config_inited)
    app.connect("build-finished", _build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
