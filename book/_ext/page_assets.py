"""Sphinx extension: every page gets MathJax, and no script is included twice.

* The sidebar shows chapter titles that contain math on *every* page, but
  Sphinx loads MathJax only on pages whose body has math, which left raw TeX
  in the navigation of pages such as the index.  The HTML assets policy
  ``'always'`` includes MathJax everywhere.
* Jupyter Book 1 sets up ``sphinx-thebe`` and ``sphinx-togglebutton`` twice,
  so their inline scripts appear twice and the second
  ``const THEBE_JS_URL`` is a JavaScript error in the console.  Duplicate
  script entries are dropped from each page's context.
"""
from __future__ import annotations


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for js in scripts:
        attributes = getattr(js, "attributes", {}) or {}
        key = (str(js), tuple(sorted((k, str(v)) for k, v in attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(js)
    scripts[:] = unique


def setup(app):
    app.set_html_assets_policy("always")
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
