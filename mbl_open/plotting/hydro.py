"""Figures of the Lindblad-to-hydrodynamics comparison (paper supplement Eqs. 18-27)."""
from __future__ import annotations

import numpy as np

from .style import MARKERS, PALETTE, check_axes, label_axes, legend, style as _style

__all__ = ["plot_survey_curves", "plot_mean_beta", "plot_fourier_links", "plot_profiles", "plot_network_ingredients"]


_EPS_AXIS = r"bath coupling $\varepsilon$"


def plot_survey_curves(ax, x, curves, labels, *, ylabel, logy=True, limits=None):
    """One curve per disorder strength against ``eps`` (a row of ``curves`` per label), optional dotted limits.

    No legend: the caller adds one (:func:`~mbl_open.plotting.style.legend`) to the panel that needs it.
    """
    check_axes(ax, "ax")
    for k, (y, label) in enumerate(zip(curves, labels)):
        c, m = _style(k)
        ax.plot(x, y, m + "-", color=c, label=label)
        if limits is not None:
            ax.axhline(limits[k], color=c, ls=":", lw=1)
    label_axes(ax, _EPS_AXIS, ylabel, logx=True, logy=logy)
    return ax


def plot_mean_beta(ax, detail):
    """Mean fitted ``beta_i`` against ``eps`` (symbols) and ``beta_bar`` of paper Eq. 19 (line), per chain.

    ``detail`` maps ``h -> {'ladder': [HydroComparison, ...], ...}``.
    """
    check_axes(ax, "ax")
    for k, (h, d) in enumerate(detail.items()):
        c, m = _style(k)
        lad = d["ladder"]
        ax.plot([x.eps for x in lad], [np.mean(x.betas) for x in lad], m, color=c, label=f"h = {h:g}: mean $\\beta_i$")
        ax.axhline(lad[0].beta_bar, color=c, lw=1, label=rf"h = {h:g}: $\bar\beta$ (paper Eq. 19)")
    label_axes(ax, _EPS_AXIS, r"inverse temperature $\beta$ (1/energy)", logx=True)
    legend(ax)
    return ax


def plot_fourier_links(ax, ladder, *, title=""):
    """Energy current against temperature difference on every link, darker for smaller ``eps`` (paper Eqs. 23-24)."""
    check_axes(ax, "ax")
    for e, c in enumerate(ladder):
        shade = 0.25 + 0.75 * e / max(1, len(ladder) - 1)
        for link in range(c.T.size - 1):
            ax.plot(c.T[link] - c.T[link + 1], c.balance.current[link], MARKERS[link % len(MARKERS)],
                    color=PALETTE[link % (len(PALETTE) - 1)], alpha=shade, ms=4)
    ax.axhline(0, color="0.6", lw=1)
    ax.axvline(0, color="0.6", lw=1)
    label_axes(ax, r"$T_i - T_{i+1}$ (energy)", r"$\langle j_{i,i+1}\rangle$ (energy/time)", title=title)
    return ax


def plot_profiles(ax, ladder, *, title=""):
    """Measured local temperatures and the network prediction at the largest and smallest ``eps``.

    Returns the ``(eps, reason)`` of the states without a prediction.
    """
    check_axes(ax, "ax")
    missing = []
    for k, c in enumerate((ladder[0], ladder[-1])):
        col, m = _style(k)
        islands = np.arange(c.T.size)
        ax.plot(islands, c.T, m, color=col, label=rf"measured, $\varepsilon$ = {c.eps:g}")
        if c.T_pred is None:  # e.g. a negative local temperature: no network to solve
            missing.append((c.eps, c.reason))
            continue
        ax.plot(islands, c.T_pred, "-", color=col, label=f"network (profile error {c.profile_error:.2f})")
    ax.axhline(1 / ladder[0].beta_bar, color="0.4", ls=":", lw=1)
    label_axes(ax, "island $i$ (bond index)", "local temperature $T_i$ (energy)", title=title)
    legend(ax)
    return missing


def plot_network_ingredients(ax, bx, ingredients):
    """The network of paper Eq. 27 per chain: sources ``theta g2`` and couplings ``g1`` per island (``ax``),
    and ``|M_ij|`` against ``|i - j|`` on a log scale (``bx``).

    Parameters
    ----------
    ax, bx : matplotlib Axes
    ingredients : dict
        ``h -> NetworkIngredients`` (:func:`~mbl_open.hydrodynamics.gibbs.network_ingredients`),
        one colour per chain.
    """
    check_axes(ax, "ax")
    check_axes(bx, "bx")
    for k, (h, ing) in enumerate(ingredients.items()):
        c, m = _style(k)
        islands = np.arange(ing.source.size)
        ax.plot(islands, ing.source, m + "-", color=c, label=rf"h = {h:g}: $\theta g_{{2,i}}$")
        ax.plot(islands, ing.g1, m + "--", color=c, mfc="none", label=rf"h = {h:g}: $g_{{1,i}}$")
        dist = np.abs(islands[:, None] - islands[None, :]).ravel()
        bx.plot(dist + 0.1 * (k - 0.5), np.abs(ing.response).ravel(), m, color=c, ms=4, label=f"h = {h:g}")
    ax.axhline(0, color="0.6", lw=1)
    label_axes(ax, "island $i$ (bond index)", r"$\theta g_{2,i}$, $g_{1,i}$ (energy/time, energy/(time temperature))")
    legend(ax, ncol=2)
    label_axes(bx, r"distance $|i - j|$ (islands)", r"$|M_{ij}|$ (energy/(time temperature))", logy=True)
    legend(bx)
    return ax, bx
