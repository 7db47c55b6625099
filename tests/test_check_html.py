"""The offline browser check of the rendered book must catch each kind of defect it claims to."""
import base64
import importlib.util
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parents[1] / "tools" / "check_book_html.py"
spec = importlib.util.spec_from_file_location("check_book_html", TOOL)
check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check)

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")

needs_browser = pytest.mark.skipif(None in check.find_browser(),
                                   reason="chromium/chromedriver not installed (make browser)")


def page(body, head=""):
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


@pytest.fixture
def site(tmp_path):
    (tmp_path / "fig.png").write_bytes(PNG)
    (tmp_path / "index.html").write_text(page('<p id="top">fine</p><img src="fig.png"><a href="other.html#sec">x</a>'
                                              '<pre>code with \\(tex\\) is fine</pre>'))
    (tmp_path / "other.html").write_text(page('<h1 id="sec">other</h1><a href="index.html#top">back</a>'))
    return tmp_path


@needs_browser
def test_a_clean_site_passes(site, capsys):
    assert check.main([str(site)]) == 0
    out = capsys.readouterr().out
    assert "2 passed, 0 failed" in out and "ok   index.html" in out


@needs_browser
@pytest.mark.parametrize("body, defect", [
    ('<img src="missing.png">', "image(s) not loaded"),
    ('<a href="nowhere.html">x</a>', "broken internal link"),
    ('<a href="other.html#nope">x</a>', "broken internal link"),
    ("<p>left over \\(x^2\\) in the text</p>", "raw TeX"),
    ('<span class="math">\\(x\\)</span>', "not typeset"),
    ("<script>console.error('boom')</script>", "console error"),
])
def test_each_defect_is_reported(site, capsys, body, defect):
    (site / "bad.html").write_text(page(body))
    assert check.main([str(site)]) == 1
    out = capsys.readouterr().out
    assert "FAIL bad.html" in out and defect in out, out


def test_missing_browser_is_a_clear_failure(site, monkeypatch, capsys):
    monkeypatch.setattr(check, "find_browser", lambda: (None, None))
    assert check.main([str(site)]) == 2
    assert "NOT checked" in capsys.readouterr().err


def test_a_redirect_page_is_checked_by_its_target_without_the_browser(tmp_path):
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "intro.html").write_text(page("<p>intro</p>"))
    redirect = tmp_path / "index.html"
    redirect.write_text('<meta http-equiv="Refresh" content="0; url=book/intro.html" />\n')
    assert check.check_page(None, redirect, tmp_path, {}) == ([], "redirect to book/intro.html")
    redirect.write_text('<meta http-equiv="Refresh" content="0; url=book/missing.html" />\n')
    problems, _ = check.check_page(None, redirect, tmp_path, {})
    assert problems == ["redirects to a missing page book/missing.html"]
