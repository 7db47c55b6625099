"""How ``z`` drifts and how far it can be trusted: local slopes, and ``z`` with its window and model systematics.

A power law fitted in one window of ``eps`` gives one number even where the
slope of ``log dbeta/beta`` against ``log eps`` drifts across the window; the
local slopes between neighbouring ``eps`` show the drift (the standard way to
see an effective exponent), and refitting in other windows and with an
``eps -> 0`` floor (:mod:`~mbl_open.critical.models`) gives ``z`` a
systematic error beside its statistical one.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..infrastructure._validate import check_int
from ..numerics.resampling import jackknife
from . import rules
from .models import _check_betas, _data, _dbb, fit_model

__all__ = ["LocalSlopes", "local_slopes", "ZEstimate", "z_with_systematics"]


@dataclass(frozen=True)
class LocalSlopes:
    """``d ln(dbeta/beta) / d ln eps`` between neighbouring ``eps`` (a drifting exponent shows here).

    Attributes
    ----------
    eps_mid : ndarray, shape (E-1,)
        Geometric means of neighbouring ``eps``.
    slope, slope_err : ndarray, shape (E-1,)
        The local slope and its jackknife error; ``z_local = 1/(2 slope)``.
    """

    eps_mid: np.ndarray
    slope: np.ndarray
    slope_err: np.ndarray

    @property
    def z_local(self) -> np.ndarray:
        with np.errstate(divide="ignore"):
            return np.where(self.slope > 0, 1.0 / (2.0 * self.slope), np.inf)


def local_slopes(eps, betas, *, n_blocks=None) -> LocalSlopes:
    """Local slopes of ``log dbeta/beta`` against ``log eps`` with jackknife errors.

    Parameters
    ----------
    eps : array_like, shape (E,)
        Distinct couplings.
    betas : array_like, shape (R, E, B)
    n_blocks : int, optional

    Returns
    -------
    LocalSlopes
        Ordered by increasing ``eps``.
    """
    eps, b = _check_betas(eps, betas)
    order = np.argsort(eps)
    eps, b = eps[order], b[:, order]
    if np.any(np.diff(eps) <= 0):
        raise ValueError(f"eps must be distinct values, got {eps.tolist()}")
    R = b.shape[0]
    n_blocks = min(R, 20) if n_blocks is None else check_int("n_blocks", n_blocks, low=2, high=R)
    dlog = np.diff(np.log(eps))

    def slopes(x):
        return np.diff(np.log(_dbb(x))) / dlog

    s, err = jackknife(slopes, np.moveaxis(b, 0, -1), n_blocks=n_blocks)
    return LocalSlopes(eps_mid=np.sqrt(eps[1:] * eps[:-1]), slope=np.asarray(s), slope_err=np.asarray(err))


@dataclass(frozen=True)
class ZEstimate:
    """``z`` from the power law in the chosen window, with its statistical and systematic errors.

    Attributes
    ----------
    z, stat : float
        The power-law ``z`` in ``window`` and its fit error (from the covariance).
    sys : float
        Largest shift of ``z`` among the alternatives (other windows, the
        power law with a floor) whose fits are acceptable; ``nan`` if none is.
    alternatives : dict
        ``label -> ModelFit`` for every alternative tried.
    window : tuple
    p, p_err : float
        The fitted slope ``1/2z`` in ``window`` and its error.
    """

    z: float
    stat: float
    sys: float
    alternatives: dict
    window: tuple
    p: float = np.nan
    p_err: float = np.nan

    @property
    def total(self) -> float:
        """Statistical and systematic error combined in quadrature (the statistical alone without a systematic)."""
        return float(np.hypot(self.stat, self.sys if np.isfinite(self.sys) else 0.0))

    @property
    def resolved(self) -> bool:
        """A finite ``z`` whose combined error is smaller than itself (:func:`~mbl_open.critical.rules.z_resolved`)."""
        return bool(rules.z_resolved(self.z, self.total))

    @property
    def lower_bound(self) -> float:
        """The ``z`` the slope allows at two standard errors above it, ``1/(2(p + 2 dp))``; ``nan`` if that slope
        is not positive (the data then bound nothing)."""
        top = self.p + 2 * self.p_err
        return float(1.0 / (2.0 * top)) if np.isfinite(top) and top > 0 else float("nan")

    def text(self, *, plain=True) -> str:
        """``z ± stat ± sys``, or ``z > bound`` where ``z`` is not resolved, or ``-``."""
        pm, gt = ("±", ">") if plain else ("$\\pm$", "$>$")
        if self.resolved:
            sys = f" {pm} {self.sys:.2f} (sys)" if np.isfinite(self.sys) else " (no acceptable alternative)"
            return f"{self.z:.2f} {pm} {self.stat:.2f} (stat){sys}"
        return f"{gt} {self.lower_bound:.1f}" if np.isfinite(self.lower_bound) else "-"


def z_with_systematics(eps, betas, *, window, windows=None, n_blocks=None) -> ZEstimate:
    """The power-law ``z`` in ``window`` and its systematic error from window and model choice.

    Parameters
    ----------
    eps : array_like, shape (E,)
    betas : array_like, shape (R, E, B)
    window : (float, float)
        The main window (at least 3 points).
    windows : sequence of (float, float), optional
        Alternative windows (default: every run of three neighbouring ``eps``).
    n_blocks : int, optional

    Returns
    -------
    ZEstimate
    """
    eps, y, cov, n = _data(eps, betas, n_blocks)
    main = fit_model("power_law", eps, y, cov, window=window, n_samples=n)
    if windows is None:
        e = np.sort(eps)
        windows = [(float(e[i]), float(e[i + 2])) for i in range(e.size - 2)]
    alternatives = {}
    span = (min(main.eps), max(main.eps))
    for w in windows:
        if np.allclose(w, span):
            continue
        alternatives[f"power law, eps {w[0]:g}-{w[1]:g}"] = fit_model("power_law", eps, y, cov, window=w,
                                                                       n_samples=n)
    if eps.size >= 4:
        alternatives["power law + floor, all eps"] = fit_model("power_floor", eps, y, cov, n_samples=n)
    shifts = [abs(f.z - main.z) for f in alternatives.values() if f.acceptable and np.isfinite(f.z)]
    sys = float(max(shifts)) if shifts and np.isfinite(main.z) else float("nan")
    return ZEstimate(z=main.z, stat=main.z_err, sys=sys, alternatives=alternatives, window=span,
                     p=main.params["p"], p_err=main.errors["p"])
