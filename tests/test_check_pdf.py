"""The check of the book's PDF must catch each kind of defect it claims to.

Small PDFs are made here with matplotlib (text and one raster image per page)
and given an outline with pypdf, beside a small single page of HTML, so the
check runs end to end without a browser or a built book.
"""
import importlib.util
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("pypdf")

TOOL = Path(__file__).resolve().parents[1] / "tools" / "check_pdf.py"
spec = importlib.util.spec_from_file_location("check_pdf", TOOL)
check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check)

TOC = "format: jb-book\nroot: book/intro\nchapters:\n  - file: book/one\n"  # 2 entries: floor 6 pages
CODE_LINE = 'label_axes(ax, r"$\\delta T$ (units of $\\theta$)")'
FIGURE = (40, 30)  # pixel size of the page's one figure


def html_page(code=CODE_LINE):
    return f"""<html><body>
<h1>The book<a class="headerlink" href="#b">#</a></h1>
<nav><a class="reference internal" href="#document-book/one">Chapter one and the <span class="math">\\(\\varepsilon\\)</span> law</a></nav>
<p>Prose with <code class="literal">$HOME</code> in it.</p>
<pre>{code}</pre>
<img alt="fig" src="_images/fig.png" />
</body></html>"""


def make_pdf(path, pages, image=FIGURE, outline=("The book", "Chapter one and the law")):
    """A PDF whose pages hold the given lines of text, the first page an image of ``image`` pixels."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages
    from pypdf import PdfReader, PdfWriter

    raw = path.with_suffix(".raw.pdf")
    with plt.rc_context({"pdf.fonttype": 42}), PdfPages(raw) as pdf:
        for i, lines in enumerate(pages):
            fig = plt.figure(figsize=(4, 5))
            for j, line in enumerate(lines):
                fig.text(0.05, 0.9 - 0.08 * j, line, parse_math=False, fontsize=7)
            if i == 0 and image:
                fig.figimage(np.random.default_rng(0).random((image[1], image[0])), 10, 10)
            pdf.savefig(fig)
            plt.close(fig)
    writer = PdfWriter()
    for page in PdfReader(raw).pages:
        writer.add_page(page)
    for i, title in enumerate(outline):
        writer.add_outline_item(title=title, page_number=min(i, len(pages) - 1))
    writer.write(path)


@pytest.fixture
def book(tmp_path):
    from PIL import Image

    (tmp_path / "_images").mkdir()
    Image.new("RGB", FIGURE).save(tmp_path / "_images" / "fig.png")
    (tmp_path / "page.html").write_text(html_page())
    (tmp_path / "_toc.yml").write_text(TOC)
    return tmp_path


def run(book, pdf):
    return check.main([str(pdf), "--html", str(book / "page.html"), "--toc", str(book / "_toc.yml")])


GOOD = [["The book", "Prose with $HOME in it.", CODE_LINE]] + [["Chapter one and the law", "more prose"]] * 6


def test_a_complete_pdf_passes(book, capsys):
    make_pdf(book / "book.pdf", GOOD)
    assert run(book, book / "book.pdf") == 0, capsys.readouterr().out
    out = capsys.readouterr().out
    assert "7 pages (floor 6)" in out and "2 of 2 chapter headings" in out and "1 of 1 figures" in out
    assert "PDF check: ok" in out


@pytest.mark.parametrize("pages, kwargs, defect", [
    (GOOD[:3], {}, "fewer than 6"),
    (GOOD + [["untypeset \\(x^2\\) in prose"]], {}, "untypeset TeX"),
    (GOOD + [["a dollar $x$ left by the parser"]], {}, "untypeset TeX"),
    (GOOD + [["display $$E = mc^2$$"]], {}, "untypeset TeX"),
    (GOOD, {"image": (14, 16)}, "figure(s) of the page not in the PDF"),  # Chromium's broken-image icon
    (GOOD, {"image": None}, "figure(s) of the page not in the PDF"),
    (GOOD, {"outline": ("The book",)}, "chapter heading(s) missing"),
])
def test_each_defect_is_reported(book, capsys, pages, kwargs, defect):
    make_pdf(book / "bad.pdf", pages, **kwargs)
    assert run(book, book / "bad.pdf") == 1
    out = capsys.readouterr().out
    assert defect in out, out


def test_code_is_told_from_prose():
    page = check.BookPage()
    page.feed(html_page())
    assert page.titles == {"h1": "The book", "#document-book/one": "Chapter one and the"}
    assert page.images == {"_images/fig.png"}
    lines = [CODE_LINE, "    r\"$\\delta T$ (units", "Prose with $HOME in it.", "raw $\\alpha$ here"]
    assert check.raw_math(lines, page) == ["raw $\\alpha$ here"]


def test_missing_files_are_reported(tmp_path, capsys):
    assert check.main([str(tmp_path / "none.pdf"), "--html", str(tmp_path / "none.html")]) == 1
    assert "make pdf" in capsys.readouterr().err
