"""Sphinx extension: module constants on the API pages show short values only.

A constant whose value is an array, a path of the machine that built the book,
or any other long text is documented by its comment alone (its ``= ...`` line
would be a ten-line array or a build machine's directory); short values such
as ``EXACT_MAX_N = 9`` are shown as usual.
"""
from __future__ import annotations

from pathlib import PurePath

from sphinx.ext.autodoc import DataDocumenter

#: Longest ``repr`` shown as a constant's value.
MAX_VALUE_CHARS = 60


class CompactDataDocumenter(DataDocumenter):
    """``DataDocumenter`` that leaves out values that are arrays, paths or long."""

    priority = DataDocumenter.priority + 1

    def should_suppress_value_header(self) -> bool:
        value = self.object
        if hasattr(value, "shape") or isinstance(value, PurePath) or len(repr(value)) > MAX_VALUE_CHARS:
            return True
        return super().should_suppress_value_header()


def setup(app):
    app.setup_extension("sphinx.ext.autodoc")
    app.add_autodocumenter(CompactDataDocumenter, override=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
