"""Sphinx extension: every page gets MathJax, and no script is included twice.

* The sidebar shows chapter titles that contain math on *every* page, but
  Sphinx loads MathJax only on pages whose body has math, which left raw TeX
  in the navigation of pages such as the index.  The HTML assets policy
  ``'always'`` includes MathJax everywhere.
* Jupyter Book 1 sets up ``sphinx-thebe`` and ``sphinx-togglebutton`` so that
  their inline scripts appear twice on a page, and the second
  ``const THEBE_JS_URL`` is a JavaScript error in the console.  Script entries
  with the same file and attributes are dropped from each page's context
  (found with ``tools/check_book_html.py``).
* The theme's colour mode defaults to ``''`` under Jupyter Book 1, which the
  theme's script reports as a console error on a reader's first visit; the
  page context sets it to ``'auto'`` (follow the reader's system setting).
"""
from __future__ import annotations


def _key(js):
    attributes = getattr(js, "attributes", None) or {}
    filename = getattr(js, "filename", None) if hasattr(js, "filename") else str(js)
    return filename or None, tuple(sorted((k, str(v)) for k, v in attributes.items()))


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    if not context.get("default_mode"):  # read by the theme's layout.html
        context["default_mode"] = "auto"
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for js in scripts:
        key = _key(js)
        if key not in seen:
            seen.add(key)
            unique.append(js)
    scripts[:] = unique


def setup(app):
    app.set_html_assets_policy("always")
    app.connect("html-page-context", _dedupe_scripts, priority=999)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
