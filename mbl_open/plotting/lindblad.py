"""Figures of the Lindblad chain: relaxation towards the steady state."""
from __future__ import annotations

from .style import MARKERS, PALETTE, label_axes

__all__ = ["plot_relaxation"]


def plot_relaxation(ax, histories: dict, fits: dict):
    """Relaxation records against ``eps t``, one colour per ``eps``, with their exponential fits dashed.

    Parameters
    ----------
    ax : matplotlib Axes
    histories : dict
        ``eps -> array (n, >= 2)`` of ``(eps t, max |d rho| / d(eps t))``
        (:attr:`~mbl_open.lindblad.relaxation.Relaxation.history`).
    fits : dict
        ``eps -> ExponentialFit`` (:func:`~mbl_open.lindblad.relaxation.history_rate`).
    """
    for i, eps in enumerate(sorted(histories)):
        h, fit = histories[eps], fits[eps]
        ax.plot(h[:, 0], h[:, 1], MARKERS[i % len(MARKERS)], color=PALETTE[i % 7], ms=3,
                label=rf"$\varepsilon$ = {eps:g}: rate {fit.rate:.2f}")
        ax.plot(h[fit.mask, 0], fit(h[fit.mask, 0]), "--", color=PALETTE[i % 7], lw=1)
    label_axes(ax, r"$\varepsilon t$ (dimensionless)",
               r"max $|\Delta\rho^{(i,i+1)}| / \Delta(\varepsilon t)$ (dimensionless)", logy=True)
    ax.legend(fontsize=8)
    return ax
