"""Check the PDF of the whole book against the single page it was printed from.

``make pdf`` prints ``_build/singlehtml`` to ``_build/pdf/mbl-open.pdf``
(``tools/print_pdf.py``) and then runs this check, which reads the PDF with
``pypdf`` and fails if

* pages: it has fewer than ``MIN_PAGES_PER_CHAPTER`` pages per entry of
  ``_toc.yml`` (a print cut short);
* chapters: the heading of a chapter (the title of each page the single
  page's navigation links to, and its own ``<h1>``, up to the first equation)
  is missing from the PDF's outline, the bookmarks Chromium makes of the
  headings it printed;
* math: TeX is left untypeset in the text: ``\\(``, ``\\)``, ``\\[``, ``\\]``,
  ``$$``, or a ``$`` next to a letter, a digit or a backslash (``$x$``,
  ``$\\alpha``) outside code: a text line whose characters all belong to a
  code block (``<pre>``) of the page is code, and so is an inline ``<code>``
  span within a line (matplotlib labels such as ``r"$\\delta T$"`` are code);
* figures: an image file of the page (each distinct ``<img>`` under
  ``_images/``: every figure output and glued figure) has no image of the
  same pixel size in the PDF (a missing image prints as a small icon).

It prints the page count, the chapter and image counts, and exits with status
0 if every check passes, 1 otherwise.

Usage::

    python tools/check_pdf.py [_build/pdf/mbl-open.pdf] [--html _build/singlehtml/mbl-open.html] [--toc _toc.yml]
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

MIN_PAGES_PER_CHAPTER = 3  # the shortest page (symbols, references) fills at least one; chapters fill 10 to 40

# untypeset TeX: a math delimiter, or a dollar sign touching a letter, digit, backslash or brace
RAW_MATH = re.compile(r"\\[()\[\]]|\$\$|(?<=[A-Za-z0-9\\{}^_])\$|\$(?=[A-Za-z0-9\\{])")
_SPACE = re.compile(r"\s+")


#: A chapter number in front of a heading, "2. " or "8.1 ".
_NUMBER = re.compile(r"^\s*\d+(\.\d+)*\.?\s+")


def squeeze(text: str) -> str:
    """``text`` without any white space: PDF text extraction spaces and wraps lines its own way."""
    return _SPACE.sub("", text)


class BookPage(HTMLParser):
    """What the single page holds: code text, inline code spans, chapter titles and figure files."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pre: list[str] = []
        self.inline_code: set[str] = set()
        self.titles: dict[str, str] = {}  # "#document-<page>" (the navigation's links) or "h1" -> title
        self.images: set[str] = set()
        self._stack: list[tuple[str, str]] = []  # (kind, key) of the open elements, innermost last
        self._buf: dict[str, list[str]] = {}

    def _kind(self, tag, a):
        classes = (a.get("class") or "").split()
        if tag == "pre":
            return "pre", "pre"
        if tag == "code" and not self._inside("pre"):
            return "code", "code"
        if tag == "h1" and "h1" not in self.titles:
            return "title", "h1"
        if tag == "a" and (a.get("href") or "").startswith("#document-") and a["href"] not in self.titles:
            return "title", a["href"]
        if tag == "a" and "headerlink" in classes:
            return "skip", "skip"
        if tag == "span" and "math" in classes:
            return "math", "math"
        return "", ""

    def _inside(self, kind):
        return any(k == kind for k, _ in self._stack)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            if (a.get("src") or "").startswith("_images/"):
                self.images.add(a["src"])
            return  # a void element: no end tag
        kind, key = self._kind(tag, a)
        if kind in ("pre", "code", "title"):
            self._buf[key] = []
        self._stack.append((kind, key))

    def handle_endtag(self, tag):
        if not self._stack:
            return
        kind, key = self._stack.pop()
        if kind == "pre":
            self.pre.append("".join(self._buf.pop(key)))
        elif kind == "code":
            self.inline_code.add(squeeze("".join(self._buf.pop(key))))
        elif kind == "title":
            # compared up to the first equation: the PDF outline drops the math
            self.titles[key] = " ".join("".join(self._buf.pop(key)).split("\0")[0].split())
        elif kind == "math":
            for k, key2 in self._stack:
                if k == "title":
                    self._buf[key2].append("\0")

    def handle_data(self, data):
        if self._inside("skip") or self._inside("math"):
            return
        for kind, key in self._stack:
            if kind in ("pre", "code", "title"):
                self._buf[key].append(data)


def read_page(path: Path) -> BookPage:
    page = BookPage()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    page.close()
    return page


def toc_entries(toc: Path) -> int:
    """Entries of the table of contents: the root page and every ``file:``."""
    text = toc.read_text(encoding="utf-8")
    return len(re.findall(r"^\s*-?\s*file:\s*\S", text, re.M)) + len(re.findall(r"^root:\s*\S", text, re.M))


def pdf_images(reader) -> dict[tuple[int, int], tuple[int, int]]:
    """The distinct image XObjects drawn on the pages (also inside form XObjects): reference -> pixel size."""
    from pypdf.generic import IndirectObject

    found: dict[tuple[int, int], tuple[int, int]] = {}
    seen_forms: set[tuple[int, int]] = set()

    def walk(resources):
        resources = resources.get_object() if resources is not None else None
        if not resources or "/XObject" not in resources:
            return
        for ref in resources["/XObject"].get_object().values():
            key = (ref.idnum, ref.generation) if isinstance(ref, IndirectObject) else (id(ref), 0)
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image":
                found[key] = (int(obj.get("/Width", 0)), int(obj.get("/Height", 0)))
            elif obj.get("/Subtype") == "/Form" and key not in seen_forms:
                seen_forms.add(key)
                walk(obj.get("/Resources"))

    for page in reader.pages:
        walk(page.get("/Resources"))
    return found


def missing_figures(html_dir: Path, srcs: set[str], pdf_sizes: list[tuple[int, int]]) -> list[str]:
    """Figure files of the page with no image of the same pixel size in the PDF.

    Chromium embeds a raster image at its own size, and draws a missing one as
    a small "broken image" icon, so matching sizes (not just counting) tells
    a printed figure from a placeholder.  A file that is not a raster image
    (SVG) is matched by count only.
    """
    from PIL import Image

    left = Counter(pdf_sizes)
    missing, unsized = [], []
    for src in sorted(srcs):
        try:
            with Image.open(html_dir / src) as img:
                size = img.size
        except OSError:
            unsized.append(src)
            continue
        if left[size] > 0:
            left[size] -= 1
        else:
            missing.append(src)
    if len(unsized) > sum(left.values()):
        missing += unsized[sum(left.values()):]
    return missing


def raw_math(lines: list[str], page: BookPage) -> list[str]:
    """Lines of PDF text with untypeset TeX outside code."""
    code = squeeze("\n".join(page.pre))
    spans = sorted((c for c in page.inline_code if RAW_MATH.search(c)), key=len, reverse=True)
    bad = []
    for line in lines:
        if not RAW_MATH.search(line):
            continue
        flat = squeeze(line)
        if flat in code:
            continue  # a line (or the wrapped part of one) of a code cell
        for span in spans:
            flat = flat.replace(span, "")
        if RAW_MATH.search(flat):
            bad.append(line.strip())
    return bad


def outline_titles(reader) -> list[str]:
    """The PDF's bookmarks (Chromium makes one per heading it printed)."""
    out = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                out.append(str(item.title))
    walk(reader.outline)
    return out


def page_math_lines(lines: list[str]) -> list[str]:
    return [line for line in lines if RAW_MATH.search(line)]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pdf", nargs="?", default="_build/pdf/mbl-open.pdf")
    ap.add_argument("--html", default="_build/singlehtml/mbl-open.html",
                    help="the single page the PDF was printed from (tools/print_pdf.py writes it)")
    ap.add_argument("--toc", default="_toc.yml")
    args = ap.parse_args(argv)
    pdf, html, toc = Path(args.pdf), Path(args.html), Path(args.toc)
    for path, hint in ((pdf, "make pdf"), (html, "make pdf"), (toc, "")):
        if not path.is_file():
            print(f"error: {path} does not exist" + (f": run `{hint}` first" if hint else ""), file=sys.stderr)
            return 1
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    page = read_page(html)
    texts = [p.extract_text() or "" for p in reader.pages]
    lines = [line for text in texts for line in text.splitlines()]
    problems = []

    n_pages, n_entries = len(reader.pages), toc_entries(toc)
    floor = MIN_PAGES_PER_CHAPTER * n_entries
    if n_pages < floor:
        problems.append(f"{n_pages} pages, fewer than {floor} ({MIN_PAGES_PER_CHAPTER} for each of the "
                        f"{n_entries} entries of {toc})")

    titles = [t for t in page.titles.values() if t]
    outline = [squeeze(title) for title in outline_titles(reader)]
    # without the chapter number: where a heading wraps, Chromium's bookmark may repeat its pieces
    # ("2. 2. The 1D ... network:The 1D ... network: a Griffiths chain"), number first
    missing = [t for t in titles if not any(squeeze(_NUMBER.sub("", t)) in entry for entry in outline)]
    if len(titles) < n_entries:
        problems.append(f"the page links {len(titles)} chapters, {toc} has {n_entries} entries")
    if missing:
        problems.append(f"{len(missing)} chapter heading(s) missing from the PDF's outline, e.g. {missing[0]!r}")

    bad = raw_math(lines, page)
    if bad:
        problems.append(f"{len(bad)} line(s) with untypeset TeX outside code, e.g. {bad[0][:80]!r}")

    images = pdf_images(reader)
    lost = missing_figures(html.parent, page.images, list(images.values()))
    if lost:
        problems.append(f"{len(lost)} figure(s) of the page not in the PDF, e.g. {lost[0]}")

    dollars = sum(1 for line in lines if "$" in line)
    print(f"{pdf}: {n_pages} pages (floor {floor}), {len(titles) - len(missing)} of {len(titles)} chapter headings, "
          f"{len(page.images) - len(lost)} of {len(page.images)} figures ({len(images)} images), {len(page_math_lines(lines)) - len(bad)} lines "
          f"with TeX characters all in code ({dollars} with '$')")
    for problem in problems:
        print(f"FAIL {problem}")
    print("PDF check: " + ("ok" if not problems else f"{len(problems)} problem(s)"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
