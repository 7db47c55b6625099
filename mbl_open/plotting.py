"""The book's figure style: one palette, one size, labelled log axes.

Colours are the Okabe-Ito palette, distinguishable with the common forms of
colour blindness.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

__all__ = ["PALETTE", "MARKERS", "subplots", "label_axes", "plot_relaxation", "plot_order_parameter", "plot_z_fits",
           "plot_slope_probability", "plot_z_divergence", "plot_exponent_fits",
           "plot_survey_curves", "plot_mean_beta", "plot_fourier_links", "plot_profiles", "plot_network_ingredients"]

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
    """``plt.subplots`` with the book's style and a size of ``width x height`` per panel (inches)."""
    with plt.rc_context(_RC):
        fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, height * nrows), **kwargs)
    fig.set_layout_engine("constrained")
    return fig, axes


def label_axes(ax, xlabel, ylabel, *, logx=False, logy=False, title=None):
    """Set axis labels (with units or 'dimensionless'), log scales and an optional title."""
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


def _style(k):
    return PALETTE[k % len(PALETTE)], MARKERS[k % len(MARKERS)]


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


# --- the Lindblad-to-hydrodynamics comparison (paper supplement Eqs. 18-27) ------------------------------

_EPS_AXIS = r"bath coupling $\varepsilon$ (dimensionless)"


def plot_survey_curves(ax, x, curves, labels, *, ylabel, logy=True, limits=None):
    """One curve per disorder strength against ``eps`` (a row of ``curves`` per label), optional dotted limits."""
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
    for k, (h, d) in enumerate(detail.items()):
        c, m = _style(k)
        lad = d["ladder"]
        ax.plot([x.eps for x in lad], [np.mean(x.betas) for x in lad], m, color=c, label=f"h = {h:g}: mean $\\beta_i$")
        ax.axhline(lad[0].beta_bar, color=c, lw=1, label=rf"h = {h:g}: $\bar\beta$ (paper Eq. 19)")
    label_axes(ax, _EPS_AXIS, r"inverse temperature $\beta$ (1/energy)", logx=True)
    ax.legend()
    return ax


def plot_fourier_links(ax, ladder, *, title=""):
    """Energy current against temperature difference on every link, darker for smaller ``eps`` (paper Eqs. 23-24)."""
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
    ax.legend()
    return missing


def plot_network_ingredients(ax, bx, k, h, source, g1, response):
    """Sources ``theta g2`` and couplings ``g1`` per island (``ax``), and ``|M_ij|`` against ``|i - j|`` (``bx``)."""
    c, m = _style(k)
    islands = np.arange(source.size)
    ax.plot(islands, source, m + "-", color=c, label=rf"h = {h:g}: $\theta g_{{2,i}}$")
    ax.plot(islands, g1, m + "--", color=c, mfc="none", label=rf"h = {h:g}: $g_{{1,i}}$")
    dist = np.abs(islands[:, None] - islands[None, :]).ravel()
    bx.plot(dist + 0.1 * (k - 0.5), np.abs(response).ravel(), m, color=c, ms=4, label=f"h = {h:g}")
    return ax, bx
