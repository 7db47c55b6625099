"""mbl_open.presentation.tables: a result table as aligned text and as HTML."""
import pytest

from mbl_open.presentation.tables import ResultTable


def test_text_is_aligned_and_html_escapes_cells():
    t = ResultTable(("N", "z(h=1)", "h_c"), (("8", "1.30 ± 0.14", "5.50 ± 0.69"), ("16", "<2")), notes="R: a note")
    lines = t.text().splitlines()
    assert lines[0] == "N       z(h=1)         h_c" and lines[1] == "8  1.30 ± 0.14 5.50 ± 0.69"
    assert lines[2] == "16          <2" and lines[3] == "R: a note" and str(t) == repr(t) == t.text()
    html = t._repr_html_()
    assert "<td>&lt;2</td><td></td>" in html and html.count("<tr>") == 3 and "R: a note" in html


def test_a_row_longer_than_the_header_is_refused():
    with pytest.raises(ValueError, match=r"rows\[0\] has 3 cells, the header 2"):
        ResultTable(("a", "b"), (("1", "2", "3"),))
