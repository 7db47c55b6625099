"""Power-law fits used across the book.

A scaling law ``y = A x**p`` (for example ``dT ~ eps**(d/2z)``, paper Eq. 2) is fitted
as a straight line in log-log coordinates by weighted least squares.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import check_real_array

__all__ = ["PowerLawFit", "fit_power_law"]


@dataclass(frozen=True)
class PowerLawFit:
    """Result of :func:`fit_power_law`: ``y ~ prefactor * x**exponent``."""

    exponent: float
    exponent_err: float
    prefactor: float
    n_points: int

    def __call__(self, x):
        """Evaluate the fitted law at ``x``."""
        return self.prefactor * np.asarray(x, dtype=float) ** self.exponent


def fit_power_law(x, y, yerr=None, *, window=None) -> PowerLawFit:
    """Fit ``y = A x**p`` by least squares on ``log y`` against ``log x``.

    Parameters
    ----------
    x, y : array_like
        Positive data of equal length (at least 3 points inside ``window``).
    yerr : array_like, optional
        Standard errors of ``y``; they become weights ``y/yerr`` in log space.
        Without them the exponent error is scaled by the residual scatter.
    window : (float, float), optional
        Only points with ``window[0] <= x <= window[1]`` enter the fit.

    Returns
    -------
    PowerLawFit
        Exponent ``p`` with its one-sigma error, prefactor ``A`` and number of points used.
    """
    x = check_real_array("x", x, low=0.0, low_open=True, ndim=1)
    y = check_real_array("y", y, low=0.0, low_open=True, ndim=1)
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same length, got {x.size} and {y.size}")
    if yerr is not None:
        yerr = check_real_array("yerr", yerr, low=0.0, low_open=True, ndim=1)
        if yerr.shape != y.shape:
            raise ValueError(f"yerr must have the length of y ({y.size}), got {yerr.size}")
    keep = np.ones(x.size, dtype=bool)
    if window is not None:
        lo, hi = window
        if not lo < hi:
            raise ValueError(f"window must be (low, high) with low < high, got {window!r}")
        keep = (x >= lo) & (x <= hi)
    if keep.sum() < 3:
        raise ValueError(f"need at least 3 points inside window={window!r}, got {int(keep.sum())}")
    lx, ly = np.log(x[keep]), np.log(y[keep])
    w = np.ones_like(lx) if yerr is None else (y[keep] / yerr[keep])
    design = np.column_stack([np.ones_like(lx), lx]) * w[:, None]
    coef, *_ = np.linalg.lstsq(design, ly * w, rcond=None)
    cov = np.linalg.inv(design.T @ design)
    if yerr is None:
        resid = (ly - coef[0] - coef[1] * lx) * w
        dof = max(lx.size - 2, 1)
        cov = cov * (resid @ resid) / dof
    return PowerLawFit(
        exponent=float(coef[1]),
        exponent_err=float(np.sqrt(cov[1, 1])),
        prefactor=float(np.exp(coef[0])),
        n_points=int(keep.sum()),
    )
