"""Figures of the MBL critical point (paper Figs. 2 and 3) and of its convergence checks (paper Figs. 8 and 10)."""
from __future__ import annotations

import numbers

import numpy as np

from ..infrastructure._validate import check_instance, check_mapping, check_real_array
from ..critical import rules
from .style import PALETTE, check_axes, exponent_text, label_axes, legend, significant, style as _style

__all__ = ["plot_order_parameter", "plot_z_fits", "plot_slope_probability", "plot_z_divergence",
           "plot_size_comparison", "plot_chi_convergence", "plot_z_by_size", "plot_eps_slopes"]


def _check_summary(summary):
    from ..critical import CriticalPointSummary  # here: the analysis imports the datasets

    if not isinstance(summary, CriticalPointSummary):
        raise TypeError(f"summary must be a CriticalPointSummary (critical.summarise), got {type(summary).__name__}")


def plot_order_parameter(ax, summary):
    """``dbeta/beta`` against ``eps`` for every ``h`` of a critical-point summary (paper Fig. 2a, b).

    Bootstrap error bars; the ``eps -> 0`` limit (rate equation) as a triangle
    left of the smallest ``eps``.
    """
    check_axes(ax, "ax")
    _check_summary(summary)
    s = summary
    for k, h in enumerate(s.h):
        c, m = _style(k)
        ax.errorbar(s.eps, s.dbb[k], s.dbb_err[k], fmt=m + "-", color=c, ms=4, lw=1, capsize=2, label=f"h = {h:g}")
        ax.plot([s.eps.min() / 2], [s.dbb0[k]], "<", color=c, ms=6)
    label_axes(ax, r"bath coupling $\varepsilon$ (units of $J$)", r"$\delta\beta/\bar\beta$",
               logx=True, logy=True)
    ax.axvline(s.eps.min() * 0.75, color="0.7", lw=0.8)
    legend(ax, ncol=2)
    return ax


def plot_z_fits(ax, summary):
    """The power-law fits ``A eps**(1/2z)`` (dashed) over their windows, with the data, for every finite ``z``.

    The legend quotes ``z`` where the data determine it
    (:func:`~mbl_open.critical.rules.z_resolved`), else ``z = -``.
    """
    check_axes(ax, "ax")
    _check_summary(summary)
    s = summary
    for k, f in enumerate(s.zfits):
        if not np.isfinite(f.z):
            continue
        c, m = _style(k)
        ax.errorbar(s.eps, s.dbb[k], s.dbb_err[k], fmt=m, color=c, ms=4, capsize=2,
                    label=f"h = {s.h[k]:g}: {exponent_text('z', f.z, f.z_err)}")
        e = np.geomspace(*f.window, 20)
        ax.plot(e, f(e), "--", color=c, lw=1.2)
    label_axes(ax, r"bath coupling $\varepsilon$ (units of $J$)", r"$\delta\beta/\bar\beta$",
               logx=True, logy=True)
    legend(ax)
    return ax


def _check_other(other, summary):
    """``other`` is None or a second chain length's summary, drawn beside ``summary``."""
    if other is None:
        return
    from ..critical import CriticalPointSummary

    check_instance("other", other, CriticalPointSummary, "None or a CriticalPointSummary (critical.summarise)")
    if other.N == summary.N:
        raise ValueError(f"other must be a second chain length, but both summaries have N = {summary.N}")


def plot_slope_probability(ax, summary, h_c, h_c_err, *, other=None):
    """``P(h)`` with bootstrap errors, the line ``P = 1/2`` and ``h_c`` with its error band (paper Fig. 2c).

    Parameters
    ----------
    ax : matplotlib Axes
    summary : :class:`~mbl_open.critical.CriticalPointSummary`
        The chain length whose ``h_c`` is drawn (filled symbols).
    h_c, h_c_err : float
        Its crossing of ``P = 1/2`` (nan: none, nothing drawn).
    other : :class:`~mbl_open.critical.CriticalPointSummary`, optional
        A second chain length, drawn beside it with open grey symbols.
    """
    check_axes(ax, "ax")
    _check_summary(summary)
    _check_other(other, summary)
    for name, v in (("h_c", h_c), ("h_c_err", h_c_err)):  # nan: no crossing of P = 1/2 (nothing drawn)
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (numbers.Real, np.floating, np.integer)):
            raise TypeError(f"{name} must be a number (nan for none), got {v!r}")
    if h_c_err < 0:
        raise ValueError(f"h_c_err must be >= 0 (or nan), got {h_c_err}")
    s = summary
    ax.errorbar(s.h, s.P, s.P_err, fmt="o-", color=PALETTE[0], capsize=2, ms=5, label=f"N = {s.N}")
    if other is not None:
        ax.errorbar(other.h, other.P, other.P_err, fmt="s--", mfc="none", color="0.45", capsize=2, ms=5, lw=0.8,
                    label=f"N = {other.N}")
        legend(ax)
    ax.axhline(0.5, color="0.5", ls=":", lw=1)
    if np.isfinite(h_c):
        ax.axvspan(h_c - h_c_err, h_c + h_c_err, color=PALETTE[1], alpha=0.2, lw=0)
        ax.axvline(h_c, color=PALETTE[1], lw=1)
    label_axes(ax, r"disorder strength $h$ (units of $J$)", r"$P$ (fraction of realisations)")
    ax.set_ylim(-0.05, 1.05)
    return ax


_FORMS = {"power": "power law, ", "kt": "KT, "}
_EXPONENTS = {"power": r"$\nu$", "kt": "$c$"}


def plot_z_divergence(ax, bx, summary, resolved, fits, h_c, *, label="", other=None):
    """``z(h)`` with the fitted divergences (paper Fig. 3): linear ``h`` on ``ax``, ``h_c - h`` on log axes on ``bx``.

    Parameters
    ----------
    resolved : ndarray of bool
        Which ``h`` entered the fits (:func:`~mbl_open.critical.resolved`); the others are drawn open.
    fits : dict
        ``'power'`` and/or ``'kt'`` -> :class:`~mbl_open.critical.CriticalFit`.
    h_c : float
        The critical disorder where the grid places it; ``nan`` otherwise (the right panel then says so).
    other : :class:`~mbl_open.critical.CriticalPointSummary`, optional
        A second chain length: its resolved ``z`` (error below the value) on ``ax`` in grey squares, not fitted.
    """
    check_axes(ax, "ax")
    _check_summary(summary)
    check_axes(bx, "bx")
    _check_other(other, summary)
    s, ok = summary, resolved
    fin = np.isfinite(s.z)
    hz, zz, ze = s.h[ok], s.z[ok], s.z_err[ok]
    ax.errorbar(hz, zz, ze, fmt="o", color=PALETTE[0], capsize=2, ms=5, label=f"{label}, fitted".lstrip(", "))
    ax.errorbar(s.h[fin & ~ok], s.z[fin & ~ok], s.z_err[fin & ~ok], fmt="o", mfc="none", color=PALETTE[0],
                capsize=2, ms=5, label="unresolved or $h > h_c$")
    if other is not None:
        fo = rules.z_resolved(other.z, other.z_err)
        ax.errorbar(other.h[fo] + 0.1, other.z[fo], other.z_err[fo], fmt="s", mfc="none", color="0.45", capsize=2,
                    ms=4, lw=0.8, label=f"N = {other.N} (not fitted)")
    for (form, f), c, ls in zip(fits.items(), (PALETTE[1], PALETTE[2]), ("--", ":")):
        hh = np.linspace(hz.min(), h_c - 0.05, 100)
        name = _FORMS[form] + exponent_text(_EXPONENTS[form], f.exponent, f.exponent_err)
        ax.plot(hh, f(hh), ls, color=c, lw=1.2, label=f"{name} ($\\chi^2$ = {significant(f.chi2, 2)}, dof {f.dof})")
        if form == "power":
            x = np.geomspace((h_c - hz).min(), (h_c - hz).max(), 20)
            bx.plot(x, f(h_c - x), ls, color=c, lw=1.2)
    if np.isfinite(h_c):
        ax.axvline(h_c, color=PALETTE[1], lw=0.8)
        bx.errorbar(h_c - hz, zz, ze, fmt="o", color=PALETTE[0], ms=5, capsize=2)
    else:
        bx.text(0.5, 0.5, "the disorder grid does not\nplace $h_c$: no divergence fit", transform=bx.transAxes,
                ha="center", va="center", fontsize=8, color="0.3")
    top = np.max(zz + ze) if ok.any() else np.nanmax(np.where(fin, s.z, np.nan))
    ax.set_ylim(0.5, 5 * top)
    label_axes(ax, r"disorder strength $h$ (units of $J$)", r"dynamical exponent $z$", logy=True)
    legend(ax, fontsize=7)
    label_axes(bx, r"$h_c - h$ (units of $J$)", r"$z$", logx=True, logy=True)
    return ax, bx


def plot_size_comparison(ax, summary, comparison):
    """``dbeta/beta`` of two chain lengths at the ``h`` both hold: the summary's open, the other's filled.

    Parameters
    ----------
    ax : matplotlib Axes
    summary : :class:`~mbl_open.critical.CriticalPointSummary`
        The reference size, drawn with open symbols over its whole ladder.
    comparison : :class:`~mbl_open.critical.SizeComparison`
        The other size (:func:`~mbl_open.critical.compare_sizes`), filled symbols, one colour per ``h``.
    """
    check_axes(ax, "ax")
    _check_summary(summary)
    from ..critical import SizeComparison

    check_instance("comparison", comparison, SizeComparison, "a SizeComparison (critical.compare_sizes)")
    s, c = summary, comparison
    for k, h in enumerate(c.h):
        col, m = _style(k)
        i = int(np.flatnonzero(s.h == h)[0])
        ax.errorbar(s.eps, s.dbb[i], s.dbb_err[i], fmt=m + "-", mfc="none", color=col, ms=4, lw=0.8, capsize=2)
        ax.errorbar(c.eps, c.dbb[k], c.dbb_err[k], fmt=m + "-", color=col, ms=5, lw=1.2, capsize=2,
                    label=f"h = {h:g} ({c.realisations[k]} real.)")
    label_axes(ax, r"bath coupling $\varepsilon$ (units of $J$)", r"$\delta\beta/\bar\beta$",
               logx=True, logy=True)
    legend(ax, ncol=2)
    return ax


def plot_chi_convergence(ax, rel, eps, *, reference=r"O_{\rm exact}"):
    """Relative error of ``dbeta/beta`` against ``1/chi``, one curve per ``eps``, on a log axis (paper Fig. 8).

    Parameters
    ----------
    ax : matplotlib Axes
    rel : dict
        ``chi -> ndarray (E,)`` (:func:`~mbl_open.critical.chi_convergence` or
        :func:`~mbl_open.critical.chi_convergence_to_largest`).
    eps : array_like, shape (E,)
        The couplings of the columns of ``rel``.
    reference : str
        The reference value in the axis label (TeX without dollars), e.g.
        ``r"O(\\chi = 64)"`` for :func:`~mbl_open.critical.chi_convergence_to_largest`.
    """
    check_axes(ax, "ax")
    if not isinstance(reference, str) or not reference.strip():
        raise TypeError(f"reference must be a non-empty TeX string such as 'O_{{\\rm exact}}', got {reference!r}")
    eps = check_real_array("eps", eps, low=0.0, low_open=True, ndim=1)
    check_mapping("rel", rel)
    if not rel:
        raise ValueError("rel must hold at least one bond dimension")
    rel = {chi: check_real_array(f"rel[{chi!r}]", r, low=0.0, ndim=1) for chi, r in rel.items()}
    for chi, r in rel.items():
        if not isinstance(chi, numbers.Integral) or isinstance(chi, bool) or chi < 1:
            raise TypeError(f"rel must map bond dimensions (integers >= 1) to errors, got the key {chi!r}")
        if r.shape != eps.shape:
            raise ValueError(f"rel[{chi}] must hold one value per eps ({eps.size}), got {r.size}")
    chis = sorted(rel)
    for j, e in enumerate(eps):
        c, m = _style(j)
        ax.plot([1 / chi for chi in chis], [rel[chi][j] for chi in chis], m + "-", color=c,
                label=rf"$\varepsilon$ = {e:g}")
    label_axes(ax, r"$1/\chi$", rf"$|O(\chi) - {reference}| / {reference}$", logy=True)
    legend(ax)
    return ax


def plot_z_by_size(ax, z_fits, h_values):
    """The dynamical exponent ``z`` against ``1/N``, one curve per ``h``, jackknife errors (paper Fig. 10).

    Parameters
    ----------
    ax : matplotlib Axes
    z_fits : dict
        ``(h, N) -> ZFit`` (:func:`~mbl_open.critical.z_by_size`).
    h_values : sequence of float
        The disorder strengths to draw, in this order (colours follow it).
    """
    check_axes(ax, "ax")
    from ..critical import ZFit

    check_mapping("z_fits", z_fits)
    for key, fit in z_fits.items():
        if not (isinstance(key, tuple) and len(key) == 2):
            raise TypeError(f"z_fits must map (h, N) to a ZFit (critical.z_by_size), got the key {key!r}")
        check_instance(f"z_fits[{key!r}]", fit, ZFit, "a ZFit (critical.z_by_size)")
    h_values = check_real_array("h_values", h_values, low=0.0, ndim=1).tolist()
    for k, h in enumerate(h_values):
        c, m = _style(k)
        Ns = sorted(N for (hh, N) in z_fits if hh == h)
        ax.errorbar([1 / N for N in Ns], [z_fits[h, N].z for N in Ns], [z_fits[h, N].z_err for N in Ns],
                    fmt=m + "-", color=c, capsize=2, label=f"h = {h:g}")
    label_axes(ax, r"$1/N$", r"dynamical exponent $z$")
    ax.set_xlim(0, None)
    legend(ax)
    return ax


def plot_eps_slopes(ax, slopes, *, N=None, D=None):
    """Local slopes ``d ln(dbeta/beta) / d ln eps`` between neighbouring ``eps``, one curve per ``h``.

    A power law is a horizontal line at ``1/2z``; a drifting slope is an
    effective exponent.  Dotted: ``1/4``, diffusion (``z = 2``) of an infinite
    chain; with ``N`` and ``D``, solid grey: the local slopes of the finite
    diffusive chain (:func:`~mbl_open.critical.diffusion_curve`).

    Parameters
    ----------
    ax : matplotlib Axes
    slopes : dict
        ``h -> LocalSlopes`` (:func:`~mbl_open.critical.local_slopes`).
    N : int, optional
    D : float, optional
        Diffusion constant over bath coupling of the finite-chain curve.
    """
    from ..critical import LocalSlopes, diffusion_curve

    check_axes(ax, "ax")
    check_mapping("slopes", slopes)
    for k, (h, sl) in enumerate(slopes.items()):
        check_instance(f"slopes[{h!r}]", sl, LocalSlopes, "a LocalSlopes (critical.local_slopes)")
        c, m = _style(k)
        ax.errorbar(sl.eps_mid, sl.slope, sl.slope_err, fmt=m + "-", color=c, ms=4, lw=1, capsize=2,
                    label=f"h = {h:g}")
    ax.axhline(0.25, color="0.3", ls=":", lw=1, label="z = 2, infinite chain")
    ax.axhline(0.0, color="0.6", lw=0.8)
    if N is not None and D is not None:
        e = np.geomspace(min(sl.eps_mid.min() for sl in slopes.values()) / 1.5,
                         max(sl.eps_mid.max() for sl in slopes.values()) * 1.5, 40)
        y = np.log(diffusion_curve(e, N, D))
        ax.plot(np.sqrt(e[1:] * e[:-1]), np.diff(y) / np.diff(np.log(e)), color="0.5", lw=1.5,
                label=f"z = 2, N = {N} (fitted D)")
    label_axes(ax, r"bath coupling $\varepsilon$ (units of $J$)",
               r"local slope $d\ln(\delta\beta/\bar\beta)/d\ln\varepsilon$", logx=True)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax
