"""Power-law and exponential fits used across the book.

A scaling law ``y = A x**p`` (for example ``dT ~ eps**(d/2z)``, paper Eq. 2) is fitted
as a straight line in log-log coordinates by weighted least squares; an
exponential decay ``y = A exp(-rate t)`` (relaxation to the steady state, paper
Fig. 9) as a straight line in ``log y`` against ``t``.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from ..infrastructure._validate import check_array, check_callable, check_int, check_real, check_real_array, check_window
from .resampling import jackknife

__all__ = ["AveragedPowerLawFit", "ExponentialFit", "PowerLawFit", "fit_averaged_power_law", "fit_exponential_decay",
           "fit_power_law", "local_exponent"]


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
        Positive data of equal length (at least 3 points inside ``window``,
        not all at the same ``x``).
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
        lo, hi = check_window("window", window)
        keep = (x >= lo) & (x <= hi)
    if keep.sum() < 3:
        raise ValueError(f"need at least 3 points inside window={window!r}, got {int(keep.sum())}")
    if np.ptp(x[keep]) == 0:  # a vertical line has no slope (the normal equations are singular)
        raise ValueError(f"x must span a range: every x inside window={window!r} is {x[keep][0]:g}")
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


def local_exponent(x, y):
    r"""The local slope :math:`d\ln y/d\ln x` between neighbouring points, at their geometric midpoints.

    A power law ``y = A x**p`` has the local slope ``p`` everywhere; a crossover
    between two laws (``dT ~ eps**(d/2z)`` and its finite-size or bath limits,
    paper Eq. 2) shows as a drift from one slope to the other.

    Parameters
    ----------
    x, y : array_like, shape (n,)
        Positive data of equal length, ``n >= 2``, ``x`` strictly increasing.

    Returns
    -------
    x_mid : numpy.ndarray, shape (n - 1,)
        ``sqrt(x[i] x[i+1])``.
    slope : numpy.ndarray, shape (n - 1,)
        ``(ln y[i+1] - ln y[i]) / (ln x[i+1] - ln x[i])``.
    """
    x = check_real_array("x", x, low=0.0, low_open=True, ndim=1)
    y = check_real_array("y", y, low=0.0, low_open=True, ndim=1)
    if x.shape != y.shape or x.size < 2:
        raise ValueError(f"x and y must have the same length >= 2, got {x.size} and {y.size}")
    if np.any(np.diff(x) <= 0):
        raise ValueError("x must be strictly increasing")
    return np.sqrt(x[1:] * x[:-1]), np.diff(np.log(y)) / np.diff(np.log(x))


@dataclass(frozen=True)
class AveragedPowerLawFit:
    """Result of :func:`fit_averaged_power_law`.

    Attributes
    ----------
    y, y_err : ndarray
        The average over all configurations and its jackknife error, per ``x``.
    fit : PowerLawFit
        The power law fitted to ``y``; its ``exponent_err`` is the jackknife
        error over configurations.
    """

    y: np.ndarray
    y_err: np.ndarray
    fit: PowerLawFit


def fit_averaged_power_law(x, average, *samples, window=None, yerr=None, n_blocks=20,
                           axis=-1) -> AveragedPowerLawFit:
    """Fit ``y = A x**p`` to a disorder average, with the exponent's error from a block jackknife.

    Every ``x`` is computed on the same configurations, so the errors of the
    points are correlated, and the least-squares error of the exponent, which
    treats them as independent, is wrong.  Leaving out blocks of whole
    configurations and refitting (:func:`~mbl_open.numerics.resampling.jackknife`)
    carries the correlations into the exponent.

    Parameters
    ----------
    x : array_like, shape (n,)
        Positive abscissae (``eps`` or ``t``).
    average : callable
        ``average(*samples)`` with configurations on the last axis returns the
        ``n`` positive values to fit (a mean, a ratio of means, a width).
    *samples : array_like
        Per-configuration data, configurations along ``axis``.
    window : (float, float), optional
        Fit range in ``x`` (:func:`fit_power_law`).
    yerr : array_like, optional
        Fixed fit weights, the same for every jackknife replica.
    n_blocks : int
        Jackknife blocks, ``2 <= n_blocks <=`` the number of configurations.
    axis : int
        Configuration axis of the samples.

    Returns
    -------
    AveragedPowerLawFit
    """
    x = check_real_array("x", x, low=0.0, low_open=True, ndim=1)
    check_callable("average", average)
    if not samples:
        raise ValueError("samples: fit_averaged_power_law needs at least one array of per-configuration samples")
    axis = check_int("axis", axis)
    for i, s in enumerate(samples):
        s = check_array(f"samples[{i}]", s, finite=False)
        if not -s.ndim <= axis < s.ndim or s.shape[axis] < 2:
            raise ValueError(f"samples[{i}] must hold at least 2 configurations along axis {axis}, got shape "
                             f"{s.shape}")
    y = np.asarray(average(*(np.moveaxis(np.asarray(s, dtype=float), axis, -1) for s in samples)), dtype=float)
    if y.shape != x.shape:  # checked here, where the names are the caller's, not inside the fit
        raise ValueError(f"average(*samples) must give one value per x, shape {x.shape}, got shape {y.shape}")
    if not np.all(np.isfinite(y) & (y > 0)):
        raise ValueError(f"average(*samples) must be finite and > 0 at every x (the fit is in log-log), found "
                         f"{y[~(np.isfinite(y) & (y > 0))][0]:g}")

    def exponent(*s):
        return fit_power_law(x, average(*s), yerr, window=window).exponent

    y, y_err = jackknife(average, *samples, n_blocks=n_blocks, axis=axis)
    _, p_err = jackknife(exponent, *samples, n_blocks=n_blocks, axis=axis)
    full = fit_power_law(x, y, yerr, window=window)
    return AveragedPowerLawFit(y=y, y_err=y_err, fit=dataclasses.replace(full, exponent_err=float(p_err)))


@dataclass(frozen=True)
class ExponentialFit:
    """Result of :func:`fit_exponential_decay`: ``y ~ amplitude * exp(-rate * t)``.

    ``mask`` marks the points that entered the fit.
    """

    rate: float
    amplitude: float
    n_points: int
    mask: np.ndarray

    def __call__(self, t):
        """Evaluate the fitted decay at ``t``."""
        return self.amplitude * np.exp(-self.rate * np.asarray(t, dtype=float))


def fit_exponential_decay(t, y, *, t_min: float = 0.0, y_min: float = 0.0, min_points: int = 4) -> ExponentialFit:
    """Fit ``y = A exp(-rate t)`` by least squares on ``log y`` against ``t``.

    Parameters
    ----------
    t, y : array_like
        Times and a decaying, non-negative quantity of equal length; the
        selected points must not all share one time.
    t_min : float
        Only points with ``t >= t_min`` enter (skips the initial transient).
    y_min : float
        Only points with ``y > y_min`` enter (skips the noise floor).
    min_points : int
        Fewer points than this inside the selection give ``rate = nan``
        (the decay is not resolved) rather than an error.

    Returns
    -------
    ExponentialFit
    """
    t = check_real_array("t", t, ndim=1)
    y = check_real_array("y", y, low=0.0, ndim=1)
    if t.shape != y.shape:
        raise ValueError(f"t and y must have the same length, got {t.size} and {y.size}")
    t_min, y_min = check_real("t_min", t_min), check_real("y_min", y_min, low=0.0)
    min_points = check_int("min_points", min_points, low=2)
    mask = (t >= t_min) & (y > y_min)
    if mask.sum() < min_points:
        return ExponentialFit(rate=float("nan"), amplitude=float("nan"), n_points=int(mask.sum()), mask=mask)
    if np.ptp(t[mask]) == 0:  # no time elapses between the points: no rate can be read off them
        raise ValueError(f"t must span a range: every selected t (t >= t_min, y > y_min) is {t[mask][0]:g}")
    slope, icpt = np.polyfit(t[mask], np.log(y[mask]), 1)
    return ExponentialFit(rate=float(-slope), amplitude=float(np.exp(icpt)), n_points=int(mask.sum()), mask=mask)
