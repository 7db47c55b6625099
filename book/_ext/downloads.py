"""Sphinx extension: the download menu offers the executed notebook and the whole book as PDF.

sphinx-book-theme's download menu (the arrow at the top of each page) lists
the page source (``.md``) and "Print to PDF" (the browser's print dialog for
that one page).  Two entries are added:

``.ipynb``
    The chapter as a notebook, with the outputs shown on the page: the
    notebook MyST-NB makes of the page (``_build/jupyter_execute/<page>.ipynb``:
    code and MyST markdown) with the outputs of the execution cache merged in,
    as MyST-NB does to render the page (in ``execute_notebooks: cache`` mode
    MyST-NB 1.x writes that file without them).  It is written to
    ``_sources/<page>.ipynb`` and announced through the theme's own
    ``ipynb_source`` page variable, which MyST-NB 0.x used to set and 1.x no
    longer does.  Only pages with at least one code cell get it.  The notebook
    runs as downloaded in a checkout with the package installed (``make env``);
    ``tests/test_download_notebook.py`` executes one in a fresh kernel.
``book .pdf``
    The whole book in one PDF, ``mbl-open.pdf`` beside ``index.html``.  The
    PDF is printed from the single-page build by ``make pdf``, which runs
    after ``make book`` and copies it there; until then the entry is a
    broken link (``make check-html`` reports it).
"""
from __future__ import annotations

from pathlib import Path

BOOK_PDF = "mbl-open.pdf"  # make pdf copies _build/pdf/mbl-open.pdf to _build/html/mbl-open.pdf


def _page_notebook(app, docname: str):
    """The notebook MyST-NB made of ``docname`` in this build, if it has code cells."""
    import nbformat

    config = getattr(app.env, "mystnb_config", None)
    if config is None or not getattr(config, "output_folder", None):
        return None
    path = Path(config.output_folder).joinpath(*f"{docname}.ipynb".split("/"))
    source = Path(app.env.doc2path(docname))
    if not path.is_file() or path.stat().st_mtime < source.stat().st_mtime:
        return None  # not a notebook page, or a copy left by an older build
    try:
        nb = nbformat.read(path, as_version=4)
    except (OSError, ValueError):
        return None
    if not any(cell.cell_type == "code" for cell in nb.cells):
        return None
    if not any(cell.get("outputs") for cell in nb.cells) and config.execution_cache_path:
        from jupyter_cache import get_cache

        try:  # the outputs the page shows, from the execution cache
            _, nb = get_cache(config.execution_cache_path).merge_match_into_notebook(nb)
        except KeyError:
            pass  # not in the cache (execution off or not cached): offered without outputs
    return nb


def _offer_notebook(app, pagename, templatename, context, doctree):
    """Write the page's notebook to _sources/ and set the theme's ``ipynb_source``."""
    import nbformat

    if app.builder.name != "html" or doctree is None or pagename not in app.env.all_docs:
        return
    nb = _page_notebook(app, pagename)
    if nb is None:
        return
    relative = f"{pagename}.ipynb"
    target = Path(app.outdir, "_sources", *relative.split("/"))
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
    context["ipynb_source"] = relative


def _offer_book_pdf(app, pagename, templatename, context, doctree):
    """Append the whole-book PDF to the theme's download menu (built by the theme just before)."""
    if app.builder.name != "html":
        return
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            group["buttons"].append({
                "type": "link",
                "url": context["pathto"](BOOK_PDF, 1),
                "text": "book .pdf",
                "tooltip": "Download the whole book as one PDF",
                "icon": "fas fa-book",
                "label": "download-book-pdf-button",
            })


def setup(app):
    # the theme fills its download menu at priority 501: the notebook before, the book PDF after
    app.connect("html-page-context", _offer_notebook, priority=500)
    app.connect("html-page-context", _offer_book_pdf, priority=502)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
