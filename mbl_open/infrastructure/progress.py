"""The one progress bar of :mod:`mbl_open`.

Every long loop in the package goes through :func:`progress`, a thin wrapper
around :class:`tqdm.tqdm` (plain text, written to stderr; ``tqdm.auto``'s
widgets would need a CDN in the rendered book).

Set the environment variable ``MBL_OPEN_NO_PROGRESS=1`` to silence every bar.
The Makefile sets it for the book build, the golden notebooks and the tests, so
that no progress text lands in an executed notebook.
"""
from __future__ import annotations

import os
import sys

from tqdm import tqdm

#: Name of the environment variable that silences all progress bars.
NO_PROGRESS_ENV = "MBL_OPEN_NO_PROGRESS"


def progress_disabled() -> bool:
    """True when ``MBL_OPEN_NO_PROGRESS`` is set to anything but ``''``/``0``."""
    return os.environ.get(NO_PROGRESS_ENV, "").strip() not in ("", "0")


def progress(iterable=None, **kwargs):
    """Wrap ``iterable`` in a tqdm bar unless ``MBL_OPEN_NO_PROGRESS`` is set.

    Parameters
    ----------
    iterable : iterable, optional
        What to loop over; ``None`` gives a manually updated bar (use ``total``).
    **kwargs
        Passed to :class:`tqdm.tqdm` (``desc``, ``total``, ``unit``, ...).
    """
    kwargs.setdefault("disable", progress_disabled())
    kwargs.setdefault("dynamic_ncols", True)
    # inside a kernel (papermill runs) every refresh becomes notebook output: refresh rarely
    kwargs.setdefault("mininterval", 0.1 if getattr(sys.stderr, "isatty", lambda: False)() else 10.0)
    return tqdm(iterable, **kwargs)
