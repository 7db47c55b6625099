"""The book's figure style: one palette, one size, labelled log axes, legends off the data.

Colours are the Okabe-Ito palette, distinguishable with the common forms of
colour blindness.  Inside a Jupyter kernel (the book's build) figures are
shown as SVG: sharp at any zoom, with text at the same scale in every figure
(no figure is wider than the page, :data:`PAGE_WIDTH`, so none is shrunk).
"""
from __future__ import annotations

import math
import os
import re

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.legend import Legend
from matplotlib.ticker import Formatter, LogLocator, NullFormatter

from ..infrastructure._validate import check_bool, check_instance, check_int, check_real

__all__ = ["PALETTE", "MARKERS", "PAGE_WIDTH", "subplots", "label_axes", "log_ticks", "legend", "exponent_text",
           "significant", "style", "check_axes"]

#: Okabe-Ito colour-blind-safe palette (black last, for reference lines).
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]

#: Width (inches) of the book's main column, about 720 CSS pixels: no figure is drawn wider, so none is
#: shrunk by the browser and its text keeps the size it has in the other figures.
PAGE_WIDTH = 7.5

_RC = {
    "axes.prop_cycle": plt.cycler(color=PALETTE[:-1]),
    "axes.grid": True,
    "grid.alpha": 0.3,
    "font.size": 10,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "figure.dpi": 150,
    "savefig.dpi": 150,
    "figure.constrained_layout.use": True,
}


#: Environment variable choosing how a Jupyter kernel shows figures: ``png`` (the default, at ``figure.dpi`` =
#: 150, sharp at the page width; the PDF check finds each figure by its pixel size, and nbval ignores PNG
#: outputs) or ``svg``.
FORMAT_VARIABLE = "MBL_OPEN_FIGURE_FORMAT"


def _set_inline_figure_format():
    """In an IPython kernel, make the inline backend emit :data:`FORMAT_VARIABLE` (also if activated later)."""
    fmt = os.environ.get(FORMAT_VARIABLE, "png").strip().lower()
    if fmt not in ("svg", "png"):
        raise ValueError(f"{FORMAT_VARIABLE} must be 'svg' or 'png', got {fmt!r}")
    try:
        from IPython import get_ipython
        from matplotlib_inline.config import InlineBackend
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        InlineBackend.instance(parent=shell).figure_formats = {fmt}


_set_inline_figure_format()


def subplots(ncols=1, nrows=1, *, width=4.2, height=3.2, **kwargs):
    """``plt.subplots`` with the book's style and a size of ``width x height`` per panel (inches).

    ``ncols`` and ``nrows`` are 1 to 12 panels; ``width`` and ``height`` are
    0 to 40 inches per panel.  A row wider than :data:`PAGE_WIDTH` is narrowed
    to it (the panels keep their height).
    """
    ncols, nrows = (check_int(name, v, low=1, high=12) for name, v in (("ncols", ncols), ("nrows", nrows)))
    width, height = (check_real(name, v, low=0.0, high=40.0, low_open=True)
                     for name, v in (("width", width), ("height", height)))
    with plt.rc_context(_RC):
        fig, axes = plt.subplots(nrows, ncols, figsize=(min(width * ncols, PAGE_WIDTH), height * nrows), **kwargs)
    fig.set_layout_engine("constrained")
    return fig, axes


_DIMENSIONLESS = re.compile(r"\s*\(dimensionless\)")


def label_axes(ax, xlabel, ylabel, *, logx=False, logy=False, title=None):
    """Set axis labels, log scales (ticks of :func:`log_ticks`) and an optional title.

    A label names the quantity and its unit where it has one; a
    ``"(dimensionless)"`` in a label is dropped.
    """
    check_axes(ax)
    logx, logy = check_bool("logx", logx), check_bool("logy", logy)
    ax.set_xlabel(_DIMENSIONLESS.sub("", xlabel))
    ax.set_ylabel(_DIMENSIONLESS.sub("", ylabel))
    if logx:
        ax.set_xscale("log")
        log_ticks(ax.xaxis)
    if logy:
        ax.set_yscale("log")
        log_ticks(ax.yaxis)
    if title:
        ax.set_title(title)
    ax.grid(True, which="major", alpha=0.3)
    return ax


# --- log axes ------------------------------------------------------------------------------------------------

_SUBS = ((1.0,), (1.0, 2.0, 5.0), tuple(float(k) for k in range(1, 10)))


def _count_in(lo, hi, subs):
    decades = 10.0 ** np.arange(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1)
    values = np.outer(decades, subs).ravel()
    return int(((values >= lo * (1 - 1e-9)) & (values <= hi * (1 + 1e-9))).sum())


class _LogMajorLocator(LogLocator):
    """Decades where the view holds two of them; else 1-2-5 multiples; else every integer multiple."""

    def tick_values(self, vmin, vmax):
        lo, hi = sorted((vmin, vmax))
        subs = _SUBS[0]
        if lo > 0 and np.isfinite(hi):
            if _count_in(lo, hi, _SUBS[0]) < 2:
                subs = _SUBS[1] if _count_in(lo, hi, _SUBS[1]) >= 3 else _SUBS[2]
        self.set_params(subs=subs)
        return super().tick_values(vmin, vmax)


def significant(x, digits):
    """``x`` with at most ``digits`` significant digits, positional, trailing zeros dropped."""
    return np.format_float_positional(x, precision=digits, unique=True, fractional=False, trim="-")


class _LogLabels(Formatter):
    """Labels of a log axis: ``0.02``-style between 1e-3 and 1e4, else ``2×10^-5``; decades as ``10^k``.

    The digits are the fewest that tell the ticks of the view apart.
    """

    def __init__(self):
        self._plain, self._digits = False, 1

    def set_locs(self, locs):
        lo, hi = sorted(self.axis.get_view_interval()) if self.axis is not None else (-np.inf, np.inf)
        locs = np.asarray([x for x in locs if lo * (1 - 1e-9) <= x <= hi * (1 + 1e-9) and x > 0])
        decades = locs.size and np.allclose(10.0 ** np.round(np.log10(locs)), locs, rtol=1e-9)
        self._plain = bool(locs.size) and not decades and locs.min() >= 1e-3 and locs.max() < 1e4
        self._digits = next((d for d in range(1, 7) if len({self._text(x, d) for x in locs}) == locs.size), 6)

    def _text(self, x, digits):
        if self._plain:
            return significant(x, digits)
        mantissa, exponent = f"{x:.{digits - 1}e}".split("e")
        mantissa = mantissa.rstrip("0").rstrip(".")
        text = f"10^{{{int(exponent)}}}"
        if mantissa != "1":
            text = mantissa + r"\times" + text
        return r"$\mathdefault{" + text + "}$"

    def __call__(self, x, pos=None):
        return self._text(x, self._digits) if x > 0 else ""


def log_ticks(axis):
    """Ticks of a log axis with few enough labels not to crowd: labelled majors, unlabelled minors.

    Call after ``set_xscale('log')`` (which resets the ticks); :func:`label_axes` does.
    """
    axis.set_major_locator(_LogMajorLocator(base=10.0))
    axis.set_major_formatter(_LogLabels())
    axis.set_minor_locator(LogLocator(base=10.0, subs="auto"))
    axis.set_minor_formatter(NullFormatter())
    return axis


# --- legends -------------------------------------------------------------------------------------------------

_CORNERS = ("upper right", "upper left", "lower left", "lower right", "center right", "center left",
            "upper center", "lower center")


def _marker_points(ax):
    """Display coordinates of every marker of ``ax`` (data points and error-bar caps) inside its box."""
    xy = [line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float)) for line in ax.lines
          if line.get_visible() and line.get_marker() not in (None, "", " ", "None", "none")]
    xy += [c.get_offset_transform().transform(np.asarray(c.get_offsets(), dtype=float)) for c in ax.collections
           if isinstance(c, PathCollection) and c.get_visible() and len(c.get_offsets())]
    pts = np.concatenate(xy) if xy else np.empty((0, 2))
    pts = pts[np.isfinite(pts).all(axis=1)]
    box = ax.get_window_extent()
    return pts[(pts[:, 0] >= box.x0) & (pts[:, 0] <= box.x1) & (pts[:, 1] >= box.y0) & (pts[:, 1] <= box.y1)]


def _line_paths(ax):
    """Display-space paths of the drawn (not marker-only) lines of ``ax``: fits, references, guides."""
    return [line.get_transform().transform_path(line.get_path()) for line in ax.lines
            if line.get_visible() and line.get_linestyle() not in ("None", "none", "", " ")]


class _FreeLegend(Legend):
    """A legend in the first corner of its axes that covers no marker (and, if one can, crosses no line);
    else outside the axes, on the side where it takes the smaller share of them.

    The place is chosen whenever the figure is laid out or drawn, so later
    changes of limits, scales or titles are taken into account; once outside,
    the legend stays on its side, so the layout settles.
    """

    _placing = False
    _side = None  # None (inside), "right" or "below"
    _first = None  # the corner the caller asked for, tried first

    def _place(self, renderer):
        if renderer is None or self._placing:
            return
        self._placing = True
        try:
            if self._side is None and self._place_inside(renderer):
                return
            self._place_outside(renderer)
        finally:
            self._placing = False

    def _place_inside(self, renderer):
        """Move to the first free corner; False where every corner covers a marker."""
        ax = self.axes
        ax.get_xlim(), ax.get_ylim()  # autoscale now, so the points sit where they are drawn
        points, paths = _marker_points(ax), _line_paths(ax)
        self.set_bbox_to_anchor(None)
        free = []
        for loc in ((self._first,) if self._first in _CORNERS else ()) + _CORNERS:
            self.set_loc(loc)
            box = super().get_window_extent(renderer).padded(renderer.points_to_pixels(3.0))
            if not (len(points) and box.count_contains(points)):
                if not any(p.intersects_bbox(box, filled=False) for p in paths):
                    return True
                free.append(loc)
        if free:
            self.set_loc(free[0])
        return bool(free)

    def _place_outside(self, renderer):
        """Right of the axes, or below its x label, whichever takes the smaller share of the axes."""
        ax, frame = self.axes, self.axes.get_window_extent(renderer)
        if self._side is None:
            self.set_loc("upper left")
            box = super().get_window_extent(renderer)
            self._side = "right" if box.width / frame.width <= box.height / frame.height else "below"
        if self._side == "right":
            self.set_loc("upper left")
            self.set_bbox_to_anchor((1.02, 1.0), transform=ax.transAxes)
            return
        below = ax.xaxis.get_tightbbox(renderer)
        y = (min(below.y0, frame.y0) - frame.y0) / frame.height if below is not None else -0.15
        self.set_loc("upper center")
        self.set_bbox_to_anchor((0.5, y - 0.01), transform=ax.transAxes)

    def get_window_extent(self, renderer=None):
        self._place(renderer)
        return super().get_window_extent(renderer)

    def get_tightbbox(self, renderer=None):
        self._place(renderer)
        return super().get_tightbbox(renderer)

    def draw(self, renderer):
        self._place(renderer)
        super().draw(renderer)


def legend(ax, **kwargs):
    """``ax.legend(**kwargs)`` placed off the data: the first free corner of the axes, else outside.

    A corner given as ``loc`` (e.g. ``'lower right'``) is tried first.  With
    ``bbox_to_anchor`` the caller places the legend, as ``ax.legend`` would.
    """
    check_axes(ax)
    if "bbox_to_anchor" in kwargs:
        return ax.legend(**kwargs)
    first = kwargs.pop("loc", None)
    leg = ax.legend(loc="upper right", **kwargs)
    leg.__class__ = _FreeLegend  # the legend ax.legend made and registered, with the placement above
    leg._first = first
    return leg


def exponent_text(name, value, error):
    """``"z = 2.3 ± 0.4"`` where the data determine the exponent, else ``"z = -"``.

    Determined means finite with an error below the value
    (:func:`mbl_open.critical.rules.z_resolved`).  The error has one
    significant digit (two if it starts with 1) and the value as many
    decimals as the error.
    """
    from ..critical import rules  # here: the critical package imports the datasets

    if not rules.z_resolved(value, error):
        return f"{name} = -"
    if error == 0:
        return f"{name} = {significant(value, 3)}"
    lead = error / 10.0 ** math.floor(math.log10(error))
    decimals = max(0, 1 - math.floor(math.log10(error)) - (lead >= 2))
    return f"{name} = {value:.{decimals}f} ± {error:.{decimals}f}"


def style(k):
    """Colour and marker of the ``k``-th curve of a figure (``k >= 0``)."""
    k = check_int("k", k, low=0)
    return PALETTE[k % len(PALETTE)], MARKERS[k % len(MARKERS)]


def check_axes(ax, name: str = "ax") -> Axes:
    """Return ``ax`` if it is a matplotlib ``Axes`` (from :func:`subplots`); else a TypeError naming ``name``."""
    return check_instance(name, ax, Axes, "matplotlib Axes (from subplots)")
