"""Result tables that read as tables in the book (HTML) and as aligned text in a terminal or a test.

A :class:`ResultTable` holds its cells as text, already formatted; Jupyter shows
its HTML form (:meth:`ResultTable._repr_html_`), ``print`` and ``str`` its
aligned text form (:meth:`ResultTable.text`).
"""
from __future__ import annotations

import html
from dataclasses import dataclass

__all__ = ["ResultTable"]


@dataclass(frozen=True)
class ResultTable:
    """A table of formatted cells.

    Attributes
    ----------
    header : tuple of str
        Column titles.
    rows : tuple of tuple of str
        One tuple of cells per row; a shorter row leaves its last columns empty.
    notes : str
        What the entries mean, printed under the table.
    """

    header: tuple
    rows: tuple
    notes: str = ""

    def __post_init__(self):
        header = tuple(str(h) for h in self.header)
        rows = tuple(tuple(str(c) for c in row) for row in self.rows)
        for i, row in enumerate(rows):
            if len(row) > len(header):
                raise ValueError(f"rows[{i}] has {len(row)} cells, the header {len(header)}")
        object.__setattr__(self, "header", header)
        object.__setattr__(self, "rows", tuple(row + ("",) * (len(header) - len(row)) for row in rows))

    def text(self) -> str:
        """Aligned columns (the first left-aligned, the others right-aligned), then the notes."""
        widths = [max(len(r[k]) for r in (self.header,) + self.rows) for k in range(len(self.header))]

        def line(cells):
            return " ".join(c.ljust(w) if k == 0 else c.rjust(w) for k, (c, w) in enumerate(zip(cells, widths)))

        lines = [line(self.header)] + [line(r).rstrip() for r in self.rows]
        return "\n".join(lines + ([self.notes] if self.notes else []))

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        esc = html.escape
        head = "".join(f"<th>{esc(h)}</th>" for h in self.header)
        body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in self.rows)
        notes = f'<p class="mbl-result-notes">{esc(self.notes)}</p>' if self.notes else ""
        return f'<table class="mbl-result"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{notes}'
