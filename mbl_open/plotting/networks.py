"""Figures of the resistor-network chapters: disorder averages and their power-law fits."""
from __future__ import annotations

from ..numerics.fits import local_exponent
import numpy as np

from ..infrastructure._validate import check_real, check_real_array
from .style import check_axes, exponent_text, style as _style

__all__ = ["plot_exponent_fits", "plot_local_slopes"]


def _check_fits(fits):
    if isinstance(fits, (str, bytes)) or not np.iterable(fits):
        raise TypeError(f"fits must be a list of ExponentFit (open_system_z, closed_system_z), got {fits!r}")
    if len(fits) == 0:
        raise ValueError("fits must hold at least one ExponentFit")
    for i, f in enumerate(fits):
        if not all(hasattr(f, a) for a in ("x", "y", "y_err", "z", "window", "fitted")):
            raise TypeError(f"fits[{i}] must be an ExponentFit (open_system_z, closed_system_z), got {f!r:.60}")


def plot_exponent_fits(ax, fits, *, quantity="z", line="--", ms=4):
    """Each fit's disorder average with jackknife errors, and its power law over the fit window.

    The labels quote ``z`` where the fit determines it, else ``z = -``; add the legend after labelling
    the axes (:func:`~mbl_open.plotting.style.legend`).

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
    check_axes(ax, "ax")
    _check_fits(fits)
    ms = check_real("ms", ms, low=0.0, low_open=True)
    if quantity not in ("z", "slope"):
        raise ValueError(f"quantity must be 'z' or 'slope', got {quantity!r}")
    for i, f in enumerate(fits):
        c, m = _style(i)
        text = exponent_text("z", f.z, f.z_err) if quantity == "z" else f"slope {f.slope:.3f}"
        ax.errorbar(f.x, f.y, f.y_err, fmt=m, color=c, ms=ms, label=rf"$\alpha$={f.alpha:g}: {text}")
        inside = f.x[(f.x >= f.window[0]) & (f.x <= f.window[1])]
        ax.plot(inside, f.fitted(inside), line, color=c, lw=1 if line == "--" else 1.5)
    return ax


def plot_local_slopes(ax, fits, scales, *, ms=3):
    r"""The local slope ``d ln y / d ln x`` of each fit's disorder average against ``x / scale``.

    No legend: add it after labelling the axes (:func:`~mbl_open.plotting.style.legend`).

    Parameters
    ----------
    fits : sequence of ExponentFit
        From :func:`~mbl_open.resistor_networks.open_system_z` (or ``diffusive_window_z``).
    scales : sequence of float
        One positive scale per fit (for example :math:`\Gamma_{\rm eff}`, under which the
        curves of different ``alpha`` collapse).
    """
    check_axes(ax, "ax")
    _check_fits(fits)
    scales = check_real_array("scales", scales, low=0.0, low_open=True, ndim=1)
    if len(scales) != len(fits):
        raise ValueError(f"scales needs one value per fit ({len(fits)}), got {len(scales)}")
    ms = check_real("ms", ms, low=0.0, low_open=True)
    for i, (f, scale) in enumerate(zip(fits, scales)):
        c, m = _style(i)
        mid, slope = local_exponent(f.x, f.y)
        ax.plot(mid / scale, slope, m + "-", color=c, ms=ms, lw=0.8, label=rf"$\alpha$={f.alpha:g}")
    return ax
