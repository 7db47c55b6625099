"""Figures of the MBL critical point (paper Figs. 2 and 3)."""
from __future__ import annotations

import numpy as np

from .style import PALETTE, label_axes, style as _style

__all__ = ["plot_order_parameter", "plot_z_fits", "plot_slope_probability", "plot_z_divergence"]


def plot_order_parameter(ax, summary):
    """``dbeta/beta`` against ``eps`` for every ``h`` of a critical-point summary (paper Fig. 2a, b).

    Bootstrap error bars; the ``eps -> 0`` limit (rate equation) as a triangle
    left of the smallest ``eps``.
    """
    s = summary
    for k, h in enumerate(s.h):
        c, m = _style(k)
        ax.errorbar(s.eps, s.dbb[k], s.dbb_err[k], fmt=m + "-", color=c, ms=4, lw=1, capsize=2, label=f"h = {h:g}")
        ax.plot([s.eps.min() / 2], [s.dbb0[k]], "<", color=c, ms=6)
    label_axes(ax, r"bath coupling $\varepsilon$ (units of $J$)", r"$\delta\beta/\bar\beta$ (dimensionless)",
               logx=True, logy=True)
    ax.axvline(s.eps.min() * 0.75, color="0.7", lw=0.8)
    ax.legend(ncol=2, loc="lower right")
    return ax


def plot_z_fits(ax, summary):
    """The power-law fits ``A eps**(1/2z)`` (dashed) over their windows, with the data, for every resolved ``h``."""
    s = summary
    for k, f in enumerate(s.zfits):
        if not np.isfinite(f.z):
            continue
        c, m = _style(k)
        ax.errorbar(s.eps, s.dbb[k], s.dbb_err[k], fmt=m, color=c, ms=4, capsize=2,
                    label=f"h = {s.h[k]:g}: z = {f.z:.2g} ± {f.z_err:.1g}")
        e = np.geomspace(*f.window, 20)
        ax.plot(e, f(e), "--", color=c, lw=1.2)
    label_axes(ax, r"bath coupling $\varepsilon$ (units of $J$)", r"$\delta\beta/\bar\beta$ (dimensionless)",
               logx=True, logy=True)
    ax.legend(loc="lower right")
    return ax


def plot_slope_probability(ax, summary, h_c, h_c_err):
    """``P(h)`` with bootstrap errors, the line ``P = 1/2`` and ``h_c`` with its error band (paper Fig. 2c)."""
    s = summary
    ax.errorbar(s.h, s.P, s.P_err, fmt="o-", color=PALETTE[0], capsize=2, ms=5)
    ax.axhline(0.5, color="0.5", ls=":", lw=1)
    if np.isfinite(h_c):
        ax.axvspan(h_c - h_c_err, h_c + h_c_err, color=PALETTE[1], alpha=0.2, lw=0)
        ax.axvline(h_c, color=PALETTE[1], lw=1)
    label_axes(ax, r"disorder strength $h$ (units of $J$)", r"$P$ (fraction of realisations)")
    ax.set_ylim(-0.05, 1.05)
    return ax


def plot_z_divergence(ax, bx, summary, resolved, fits, h_c, *, label=""):
    """``z(h)`` with the fitted divergences (paper Fig. 3): linear ``h`` on ``ax``, ``h_c - h`` on log axes on ``bx``.

    Parameters
    ----------
    resolved : ndarray of bool
        Which ``h`` entered the fits (:func:`~mbl_open.critical.resolved`); the others are drawn open.
    fits : dict
        ``'power'`` and/or ``'kt'`` -> :class:`~mbl_open.critical.CriticalFit`.
    """
    s, ok = summary, resolved
    fin = np.isfinite(s.z)
    hz, zz, ze = s.h[ok], s.z[ok], s.z_err[ok]
    ax.errorbar(hz, zz, ze, fmt="o", color=PALETTE[0], capsize=2, ms=5, label=f"{label}, fitted".lstrip(", "))
    ax.errorbar(s.h[fin & ~ok], s.z[fin & ~ok], s.z_err[fin & ~ok], fmt="o", mfc="none", color=PALETTE[0],
                capsize=2, ms=5, label="unresolved or $h > h_c$")
    for (form, f), c, ls in zip(fits.items(), (PALETTE[1], PALETTE[2]), ("--", ":")):
        hh = np.linspace(hz.min(), h_c - 0.05, 100)
        name = rf"power law, $\nu$ = {f.exponent:.2g}" if form == "power" else rf"KT, $c$ = {f.exponent:.2g}"
        ax.plot(hh, f(hh), ls, color=c, lw=1.2, label=f"{name} ($\\chi^2$ = {f.chi2:.2g}, dof {f.dof})")
        if form == "power":
            x = np.geomspace((h_c - hz).min(), (h_c - hz).max(), 20)
            bx.plot(x, f(h_c - x), ls, color=c, lw=1.2)
    if np.isfinite(h_c):
        ax.axvline(h_c, color=PALETTE[1], lw=0.8)
        bx.errorbar(h_c - hz, zz, ze, fmt="o", color=PALETTE[0], ms=5, capsize=2)
    top = np.max(zz + ze) if ok.any() else np.nanmax(np.where(fin, s.z, np.nan))
    ax.set_ylim(0.5, 5 * top)
    label_axes(ax, r"disorder strength $h$ (units of $J$)", r"dynamical exponent $z$ (dimensionless)", logy=True)
    ax.legend(loc="upper left", fontsize=7)
    label_axes(bx, r"$h_c - h$ (units of $J$)", r"$z$ (dimensionless)", logx=True, logy=True)
    return ax, bx
