"""Figures of the resistor-network chapters: disorder averages and their power-law fits."""
from __future__ import annotations

from .style import style as _style

__all__ = ["plot_exponent_fits"]


def plot_exponent_fits(ax, fits, *, quantity="z", line="--", ms=4):
    """Each fit's disorder average with jackknife errors, and its power law over the fit window.

    Parameters
    ----------
    fits : sequence of ExponentFit
        From :func:`~mbl_open.resistor_networks.open_system_z` or
        :func:`~mbl_open.resistor_networks.closed_system_z`.
    quantity : {'z', 'slope'}
        What the legend quotes for each ``alpha``.
    line : str
        Matplotlib line style of the fitted power laws.
    """
    if quantity not in ("z", "slope"):
        raise ValueError(f"quantity must be 'z' or 'slope', got {quantity!r}")
    for i, f in enumerate(fits):
        c, m = _style(i)
        text = f"z = {f.z:.2f} ± {f.z_err:.2f}" if quantity == "z" else f"slope {f.slope:.3f}"
        ax.errorbar(f.x, f.y, f.y_err, fmt=m, color=c, ms=ms, label=rf"$\alpha$={f.alpha:g}: {text}")
        inside = f.x[(f.x >= f.window[0]) & (f.x <= f.window[1])]
        ax.plot(inside, f.fitted(inside), line, color=c, lw=1 if line == "--" else 1.5)
    return ax
