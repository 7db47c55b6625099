"""The book's figure style (mbl_open.plotting.style): page width, labels, log ticks, legends, exponent texts."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot  # noqa: E402

import importlib  # noqa: E402
from types import SimpleNamespace  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from mbl_open import plotting  # noqa: E402
style = importlib.import_module("mbl_open.plotting.style")  # the module (plotting.style is the colour function)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    matplotlib.pyplot.close("all")


def _labels(axis, which="major"):
    axis.figure.canvas.draw()
    lo, hi = sorted(axis.get_view_interval())
    ticks = axis.get_major_ticks() if which == "major" else axis.get_minor_ticks()
    locs = axis.get_majorticklocs() if which == "major" else axis.get_minorticklocs()
    return [t.label1.get_text() for t, x in zip(ticks, locs) if lo <= x <= hi and t.label1.get_text()]


def test_a_row_of_panels_is_never_wider_than_the_page():
    fig, axes = plotting.subplots(2, width=4.4, height=3.0)
    assert tuple(fig.get_size_inches()) == (plotting.PAGE_WIDTH, 3.0)
    fig, ax = plotting.subplots(1, width=5.0, height=3.0)
    assert tuple(fig.get_size_inches()) == (5.0, 3.0)


def test_labels_drop_dimensionless():
    fig, ax = plotting.subplots()
    plotting.label_axes(ax, r"bond dimension $\chi$ (dimensionless)", "energy current (energy/time)")
    assert ax.get_xlabel() == r"bond dimension $\chi$" and ax.get_ylabel() == "energy current (energy/time)"


@pytest.mark.parametrize("lo, hi, expected", [
    (0.012, 0.21, ["0.02", "0.05", "0.1", "0.2"]),           # short: 1-2-5, plain numbers
    (0.31, 0.62, ["0.4", "0.5", "0.6"]),                      # shorter: every integer multiple
    (1e-5, 1e-1, None),                                      # long: decades as powers of ten
])
def test_log_axes_label_few_ticks_and_no_minor_ones(lo, hi, expected):
    fig, ax = plotting.subplots()
    ax.plot([lo, hi], [1.0, 2.0])
    plotting.label_axes(ax, "x", "y", logx=True)
    ax.set_xlim(lo, hi)
    labels = _labels(ax.xaxis)
    if expected is None:
        assert labels and all(t.startswith(r"$\mathdefault{10^{") for t in labels)
    else:
        assert labels[:len(expected)] == expected
    assert _labels(ax.xaxis, "minor") == []


def test_log_labels_with_small_values_use_powers_of_ten():
    fig, ax = plotting.subplots()
    ax.plot([2e-5, 9e-5], [1.0, 2.0])
    plotting.label_axes(ax, "x", "y", logx=True)
    ax.set_xlim(2e-5, 9e-5)
    labels = _labels(ax.xaxis)
    assert labels and all(r"\times10^{-5}" in t for t in labels)


def _crowded(n=30):
    """A figure whose data fill every corner of the axes, and one entry with a long label."""
    fig, ax = plotting.subplots(width=4.0, height=3.0)
    x = np.linspace(0, 1, n)
    for y in (0.0, 0.5, 1.0):
        ax.plot(x, np.full(n, y), "o", label=f"a long legend entry at y = {y}")
    ax.plot(np.full(n, 0.5), x, "s", label="a vertical row")
    return fig, ax


def test_a_legend_goes_to_a_free_corner():
    fig, ax = plotting.subplots()
    ax.plot([0, 1, 2], [0, 1, 2], "o", label="rising")
    leg = plotting.legend(ax)
    fig.canvas.draw()
    assert leg is ax.get_legend() and leg._loc in (2, 4)  # upper left or lower right: the empty corners


def test_a_legend_tries_the_asked_corner_first_and_leaves_it_when_it_covers_data():
    fig, ax = plotting.subplots()
    ax.plot([0, 1, 2], [0, 1, 2], "o", label="rising")
    leg = plotting.legend(ax, loc="lower right")
    fig.canvas.draw()
    assert leg._loc == 4  # lower right is free
    leg = plotting.legend(ax, loc="lower left")
    fig.canvas.draw()
    assert leg._loc != 3  # lower left holds the first point


def test_a_legend_with_no_free_corner_goes_outside_the_axes():
    fig, ax = _crowded()
    leg = plotting.legend(ax)
    fig.canvas.draw()
    box, frame = leg.get_window_extent(), ax.get_window_extent()
    assert box.x0 >= frame.x1 or box.y1 <= frame.y0  # right of the axes or below them
    assert box.x1 <= fig.bbox.x1 + 1 and box.y0 >= -1  # and inside the figure


def test_a_legend_anchored_by_the_caller_stays_there():
    fig, ax = _crowded()
    leg = plotting.legend(ax, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    assert type(leg) is matplotlib.legend.Legend


@pytest.mark.parametrize("value, error, text", [
    (2.31, 0.04, "z = 2.31 ± 0.04"), (6.1, 1.2, "z = 6.1 ± 1.2"), (7.8, 3.0, "z = 8 ± 3"), (25.0, 40.0, "z = -"),
    (70.0, 100.0, "z = -"), (np.inf, np.inf, "z = -"), (np.nan, 0.1, "z = -"), (2.0, 0.0, "z = 2"),
])
def test_exponent_texts_quote_only_determined_values(value, error, text):
    assert plotting.exponent_text("z", value, error) == text


def test_an_unresolved_network_exponent_is_a_dash_in_the_legend():
    x = np.geomspace(1e-3, 1e-1, 5)
    fit = SimpleNamespace(x=x, y=x ** 0.25, y_err=0.1 * x ** 0.25, z=np.inf, z_err=np.inf, window=(1e-3, 1e-1),
                          fitted=lambda e: e ** 0.25, alpha=0.5)
    fig, ax = plotting.subplots()
    plotting.plot_exponent_fits(ax, [fit])
    plotting.legend(ax)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [r"$\alpha$=0.5: z = -"]


def test_the_inline_figure_format_is_checked(monkeypatch):
    monkeypatch.setenv(style.FORMAT_VARIABLE, "gif")
    with pytest.raises(ValueError, match="svg"):
        style._set_inline_figure_format()
