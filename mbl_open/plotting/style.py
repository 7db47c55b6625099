"""The book's figure style: one palette, one size, labelled log axes.

Colours are the Okabe-Ito palette, distinguishable with the common forms of
colour blindness.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.axes import Axes

from .._validate import check_bool, check_instance, check_int, check_real

__all__ = ["PALETTE", "MARKERS", "subplots", "label_axes", "style", "check_axes"]

#: Okabe-Ito colour-blind-safe palette (black last, for reference lines).
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]

_RC = {
    "axes.prop_cycle": plt.cycler(color=PALETTE[:-1]),
    "axes.grid": True,
    "grid.alpha": 0.3,
    "font.size": 10,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "figure.constrained_layout.use": True,
}


def subplots(ncols=1, nrows=1, *, width=4.2, height=3.2, **kwargs):
    """``plt.subplots`` with the book's style and a size of ``width x height`` per panel (inches).

    ``ncols`` and ``nrows`` are 1 to 12 panels; ``width`` and ``height`` are
    0 to 40 inches per panel.
    """
    ncols, nrows = (check_int(name, v, low=1, high=12) for name, v in (("ncols", ncols), ("nrows", nrows)))
    width, height = (check_real(name, v, low=0.0, high=40.0, low_open=True)
                     for name, v in (("width", width), ("height", height)))
    with plt.rc_context(_RC):
        fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, height * nrows), **kwargs)
    fig.set_layout_engine("constrained")
    return fig, axes


def label_axes(ax, xlabel, ylabel, *, logx=False, logy=False, title=None):
    """Set axis labels (with units or 'dimensionless'), log scales and an optional title."""
    check_axes(ax)
    logx, logy = check_bool("logx", logx), check_bool("logy", logy)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if logx:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    if title:
        ax.set_title(title)
    ax.grid(True, which="major", alpha=0.3)
    return ax


def style(k):
    """Colour and marker of the ``k``-th curve of a figure (``k >= 0``)."""
    k = check_int("k", k, low=0)
    return PALETTE[k % len(PALETTE)], MARKERS[k % len(MARKERS)]


def check_axes(ax, name: str = "ax") -> Axes:
    """Return ``ax`` if it is a matplotlib ``Axes`` (from :func:`subplots`); else a TypeError naming ``name``."""
    return check_instance(name, ax, Axes, "matplotlib Axes (from subplots)")
