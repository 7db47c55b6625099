"""Print the single-page build of the book to one PDF with headless Chromium, offline.

``make pdf`` builds the book as one HTML page (``jupyter-book build .
--builder singlehtml``, which reuses the execution cache of ``make book``)
and calls this script on it.  The page is opened in Debian's ``chromium``
through Selenium and ``chromedriver`` with the same offline settings as
``tools/check_book_html.py`` (every host name unresolvable), and

* the page is copied next to ``_static/`` and ``_images/`` first: Sphinx's
  singlehtml builder writes the root page to ``book/intro.html`` but links
  its assets as if it were at the top, so the copy is what loads them;
* printing waits until MathJax (the local copy) has typeset every equation
  and every image has loaded, and stops with an error if one is missing;
* the solutions of the exercises, folded behind a button on the web, are
  unfolded (a PDF has no button), and code and outputs wrap instead of
  being cut at the right margin.

Usage::

    python tools/print_pdf.py [_build/singlehtml] [_build/pdf/mbl-open.pdf]

Exit status 0 on success, 1 if the page is not fit to print, 2 if Chromium or
its driver is missing (``make browser`` installs both).
"""
from __future__ import annotations

import argparse
import base64
import importlib.util
import re
import shutil
import sys
import time
from pathlib import Path

_CHECK = Path(__file__).resolve().parent / "check_book_html.py"
_spec = importlib.util.spec_from_file_location("check_book_html", _CHECK)
check_html = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_html)

PRINT_NAME = "mbl-open.html"  # the copy of the single page, beside _static/ and _images/

# Unfold what the web page folds, and let long code lines wrap in print.
PREPARE = r"""
document.querySelectorAll('button.toggle-button-hidden').forEach(b => {
  if (typeof toggleHidden === 'function') { toggleHidden(b); }
});
document.querySelectorAll('.toggle-hidden').forEach(e => e.classList.remove('toggle-hidden'));
document.querySelectorAll('details').forEach(d => { d.open = true; });
const style = document.createElement('style');
style.textContent = `
@media print {
  pre { white-space: pre-wrap !important; overflow-wrap: anywhere; overflow: visible !important; }
  div.highlight, div.cell_output, div.output, .pst-scrollable-table-container, .table-wrapper {
    overflow: visible !important; }
  pre { font-size: 0.8em; }
  td, th, td code, th code, td span.pre, th span.pre {
    white-space: normal !important; overflow-wrap: anywhere; }
  table { max-width: 100%; }
  dt.sig, dt.sig span.pre { white-space: normal !important; overflow-wrap: anywhere; }
}`;
document.head.appendChild(style);
return document.querySelectorAll('.solution').length;
"""

WAIT_FOR_IMAGES_AND_FONTS = """
const done = arguments[arguments.length - 1];
const images = Array.from(document.images).map(img => img.decode().catch(() => null));
Promise.all(images).then(() => document.fonts.ready).then(() => done('ready'));
"""

REDIRECT = re.compile(r'url=([^"]+)"', re.I)


def page_to_print(root: Path) -> Path:
    """Copy the single page (the target of index.html) to the top of the build directory."""
    index = root / "index.html"
    if not index.is_file():
        raise FileNotFoundError(f"{index} does not exist: build the single page first "
                                "(jupyter-book build . --builder singlehtml)")
    match = REDIRECT.search(index.read_text(errors="replace"))
    source = (root / match.group(1)) if match else index
    target = root / PRINT_NAME
    if source.resolve() != target.resolve():
        shutil.copyfile(source, target)
    return target


def print_pdf(drv, page: Path, out: Path) -> list[str]:
    """Load ``page``, check it is complete, and print it to ``out``; the problems found."""
    drv.get(page.resolve().as_uri())
    problems = []
    mathjax = drv.execute_async_script(check_html.WAIT_FOR_MATHJAX)
    if mathjax.startswith("error"):
        problems.append(f"MathJax {mathjax}")
    solutions = drv.execute_script(PREPARE)
    drv.execute_async_script(WAIT_FOR_IMAGES_AND_FONTS)
    info = drv.execute_script(check_html.INSPECT)
    problems += check_html.content_problems(info)
    if problems:
        return problems
    # Chromium's own print call: WebDriver's print_page gives up after 10 s on a page this long
    pdf = drv.execute_cdp_cmd("Page.printToPDF", {
        "paperWidth": 21.0 / 2.54, "paperHeight": 29.7 / 2.54,  # A4, in inches
        "marginTop": 1.5 / 2.54, "marginBottom": 1.5 / 2.54, "marginLeft": 1.5 / 2.54, "marginRight": 1.5 / 2.54,
        "printBackground": True,  # the grey of code cells
        "generateDocumentOutline": True,  # the headings as PDF bookmarks
    })
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(base64.b64decode(pdf["data"]))
    print(f"printed {page.name}: math={info['math']} ({mathjax}) images={info['images']} "
          f"solutions unfolded={solutions}")
    return []


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("root", nargs="?", default="_build/singlehtml", help="single-page build directory")
    ap.add_argument("out", nargs="?", default="_build/pdf/mbl-open.pdf", help="the PDF to write")
    args = ap.parse_args(argv)
    try:
        page = page_to_print(Path(args.root))
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    chromium, driver = check_html.find_browser()
    if not chromium or not driver:
        print("error: headless Chromium is not available (need Debian's 'chromium' and 'chromium-driver'; "
              "`make browser` installs them as root). No PDF was printed.", file=sys.stderr)
        return 2
    start = time.monotonic()
    drv = check_html.make_driver(chromium, driver)
    drv.set_script_timeout(120)  # the whole book is one page: MathJax takes longer than on one chapter
    drv.set_page_load_timeout(120)
    out = Path(args.out)
    try:
        problems = print_pdf(drv, page, out)
    finally:
        drv.quit()
    if problems:
        print(f"FAIL {page}: " + "; ".join(problems), file=sys.stderr)
        return 1
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB) in {time.monotonic() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
