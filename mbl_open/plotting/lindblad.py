"""Figures of the Lindblad chain: TEBD against exact, relaxation towards the steady state, bond dimension."""
from __future__ import annotations

import numpy as np

from ..infrastructure._validate import check_array, check_instance, check_mapping, check_real, check_real_array
from .style import MARKERS, PALETTE, check_axes, label_axes, legend

__all__ = ["plot_pauli_scatter", "plot_rdm_diagonals", "plot_relaxation", "plot_order_parameter_approach",
           "plot_chi_scan"]

def _check_rdms(name, rdms):
    rdms = check_array(name, rdms, complex_ok=None)
    if rdms.ndim != 3 or rdms.shape[1:] != (4, 4):
        raise ValueError(f"{name} must be two-site RDMs, shape (N-1, 4, 4), got shape {rdms.shape}")
    return rdms


def _check_rdm_pair(exact_rdms, tebd_rdms):
    exact_rdms, tebd_rdms = _check_rdms("exact_rdms", exact_rdms), _check_rdms("tebd_rdms", tebd_rdms)
    if exact_rdms.shape != tebd_rdms.shape:
        raise ValueError(f"exact_rdms and tebd_rdms must be of the same chain, got shapes {exact_rdms.shape} and "
                         f"{tebd_rdms.shape}")
    return exact_rdms, tebd_rdms


_PAIR_LABELS = [r"$\uparrow\uparrow$", r"$\uparrow\downarrow$", r"$\downarrow\uparrow$", r"$\downarrow\downarrow$"]


def plot_pauli_scatter(ax, exact_rdms, tebd_rdms):
    """The fifteen real parameters ``<P_a (x) P_b>``, ``(a, b) != (0, 0)``, of every two-site RDM: TEBD against exact.

    Parameters
    ----------
    ax : matplotlib Axes
    exact_rdms, tebd_rdms : ndarray, shape (N-1, 4, 4)
        Two-site reduced density matrices of the same steady state; a grey
        diagonal marks agreement.
    """
    check_axes(ax, "ax")
    exact_rdms, tebd_rdms = _check_rdm_pair(exact_rdms, tebd_rdms)
    from ..lindblad.spins import pauli_coefficients  # here: importing mbl_open.lindblad loads TeNPy

    c_ex = pauli_coefficients(exact_rdms).real[:, 1:].ravel()
    c_tb = pauli_coefficients(tebd_rdms).real[:, 1:].ravel()
    lim = np.abs(c_ex).max() * 1.1
    ax.plot([-lim, lim], [-lim, lim], "-", color="0.6", lw=1)
    ax.plot(c_ex, c_tb, MARKERS[0], color=PALETTE[0], ms=4)
    label_axes(ax, r"exact $\langle P_a\otimes P_b\rangle$",
               r"TEBD $\langle P_a\otimes P_b\rangle$")
    return ax


def plot_rdm_diagonals(ax, exact_rdms, tebd_rdms):
    """The diagonal of every two-site RDM minus 1/4 along the chain: exact (lines), TEBD (symbols).

    Parameters
    ----------
    ax : matplotlib Axes
    exact_rdms, tebd_rdms : ndarray, shape (N-1, 4, 4)
    """
    check_axes(ax, "ax")
    exact_rdms, tebd_rdms = _check_rdm_pair(exact_rdms, tebd_rdms)
    bonds = np.arange(len(exact_rdms))
    for k in range(4):
        ax.plot(bonds, exact_rdms[:, k, k].real - 0.25, "-", color=PALETTE[k], lw=1)
        ax.plot(bonds, tebd_rdms[:, k, k].real - 0.25, MARKERS[k], color=PALETTE[k], ms=5, label=_PAIR_LABELS[k])
    label_axes(ax, "bond $i$ (site index)", r"$\rho^{(i,i+1)}_{kk} - 1/4$")
    legend(ax, ncol=2)
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
    check_axes(ax, "ax")
    for name, d in (("histories", histories), ("fits", fits)):
        check_mapping(name, d)
    if set(fits) != set(histories):
        raise ValueError(f"fits and histories must hold the same eps, got {sorted(fits)} and {sorted(histories)}")
    for i, eps in enumerate(sorted(histories)):
        h, fit = histories[eps], fits[eps]
        ax.plot(h[:, 0], h[:, 1], MARKERS[i % len(MARKERS)], color=PALETTE[i % 7], ms=3,
                label=rf"$\varepsilon$ = {eps:g}: rate {fit.rate:.2f}")
        ax.plot(h[fit.mask, 0], fit(h[fit.mask, 0]), "--", color=PALETTE[i % 7], lw=1)
    label_axes(ax, r"$\varepsilon t$",
               r"max $|\Delta\rho^{(i,i+1)}| / \Delta(\varepsilon t)$", logy=True)
    legend(ax)
    return ax


def plot_order_parameter_approach(ax, curves: dict, *, floor: float = 1e-12):
    """``|O(t) - O(t_f)|`` against ``eps t``, one colour per ``eps``, log scale (paper Fig. 9).

    Parameters
    ----------
    ax : matplotlib Axes
    curves : dict
        ``eps -> array (n >= 2, 2)`` of ``(eps t, O(t))`` after every
        measurement block (:attr:`~mbl_open.lindblad.relaxation.Relaxation.order_parameter`);
        the last row is ``O(t_f)``, the value at the end of the run.
    floor : float
        Differences below this are drawn at it (a log axis cannot show 0).
    """
    check_axes(ax, "ax")
    check_mapping("curves", curves)
    if not curves:
        raise ValueError("curves must hold at least one eps")
    floor = check_real("floor", floor, low=0.0, low_open=True)
    for k, eps in enumerate(sorted(curves)):
        check_real(f"eps {eps!r} of curves", eps, low=0.0, low_open=True)
        c = check_real_array(f"curves[{eps!r}]", curves[eps], ndim=2)
        if c.shape[0] < 2 or c.shape[1] != 2:
            raise ValueError(f"curves[{eps!r}] must have shape (n >= 2, 2): eps t and O(t), got {c.shape}")
        dev = np.maximum(np.abs(c[:-1, 1] - c[-1, 1]), floor)
        ax.plot(c[:-1, 0], dev, "-", color=PALETTE[k % len(PALETTE)], label=rf"$\varepsilon$ = {eps:g}")
    label_axes(ax, r"$\varepsilon t$", r"$|O(t) - O(t_f)|$", logy=True)
    legend(ax)
    return ax


def plot_chi_scan(ax, scan):
    """Relative error of ``dbeta/beta`` against the bond dimension, log-log (paper Fig. 8).

    Parameters
    ----------
    ax : matplotlib Axes
    scan : ChiScan
        :func:`~mbl_open.lindblad.bond_dimension.chi_scan`; the reference bond
        dimension names the axis.
    """
    check_axes(ax, "ax")
    from ..lindblad.bond_dimension import ChiScan  # here: importing mbl_open.lindblad loads TeNPy

    check_instance("scan", scan, ChiScan, "a ChiScan (lindblad.chi_scan)")
    ax.plot(scan.chis, scan.error, MARKERS[0] + "-", color=PALETTE[0])
    ref = scan.chi_ref
    label_axes(ax, r"bond dimension $\chi$",
               rf"$|O(\chi) - O({ref})| / O({ref})$, $O = \delta\beta/\beta$", logx=True, logy=True)
    ax.set_xticks(scan.chis, [str(c) for c in scan.chis])
    return ax
