"""Resampling error estimates over disorder configurations.

Observables of this book are ratios of disorder averages, evaluated at several
``eps`` on the *same* configurations, so their statistical errors are
correlated across ``eps``.  Jackknife and bootstrap over configurations carry
those correlations into derived quantities such as fitted exponents (the paper
uses the jackknife for z and the bootstrap for P(h)).
"""
from __future__ import annotations

import numpy as np

from ._validate import check_array, check_callable, check_int, check_real_array
from .limits import limit

__all__ = ["jackknife", "bootstrap", "pull"]


def _split(samples, axis):
    arrays = [np.moveaxis(np.asarray(s, dtype=float), axis, -1) for s in samples]
    n = arrays[0].shape[-1]
    if any(a.shape[-1] != n for a in arrays):
        raise ValueError("every sample array needs the same number of configurations along axis")
    return arrays, n


def jackknife(estimator, *samples, n_blocks=20, axis=-1):
    """Block-jackknife mean and standard error of ``estimator(*samples)``.

    Parameters
    ----------
    estimator : callable
        Takes arrays with configurations on their last axis and returns a
        number or an array (for example a fitted exponent).
    *samples : array_like
        Per-configuration data; configurations along ``axis``.
    n_blocks : int
        Number of contiguous blocks left out in turn (2 <= n_blocks <= number of
        configurations); ``n_blocks`` equal to the number of configurations is
        the ordinary delete-one jackknife.
    axis : int
        Configuration axis of every sample array.

    Returns
    -------
    value, error : numpy.ndarray or float
        ``estimator`` on all data and its jackknife standard error.
    """
    check_callable("estimator", estimator)
    arrays, n = _split(samples, axis)
    n_blocks = check_int("n_blocks", n_blocks, low=2, high=n)
    full = np.asarray(estimator(*arrays), dtype=float)
    edges = np.linspace(0, n, n_blocks + 1).astype(int)
    reps = []
    for lo, hi in zip(edges[:-1], edges[1:]):
        keep = np.r_[0:lo, hi:n]
        reps.append(estimator(*(a[..., keep] for a in arrays)))
    reps = np.asarray(reps, dtype=float)
    err = np.sqrt((n_blocks - 1) / n_blocks * np.sum((reps - reps.mean(axis=0)) ** 2, axis=0))
    return full, err


def bootstrap(estimator, *samples, n_resamples=200, seed=0, axis=-1):
    """Bootstrap standard error of ``estimator(*samples)`` over configurations.

    Returns ``(value, error, replicas)`` with ``replicas`` of shape
    ``(n_resamples, ...)``; resampling is driven by ``numpy.random.default_rng(seed)``.
    """
    check_callable("estimator", estimator)
    arrays, n = _split(samples, axis)
    n_resamples = check_int("n_resamples", n_resamples, low=2, high=limit("MAX_RESAMPLES"))
    seed = check_int("seed", seed, low=0)
    rng = np.random.default_rng(seed)
    full = np.asarray(estimator(*arrays), dtype=float)
    reps = np.asarray([estimator(*(a[..., idx] for a in arrays))
                       for idx in rng.integers(0, n, size=(n_resamples, n))], dtype=float)
    return full, reps.std(axis=0, ddof=1), reps


def pull(a, a_err, b, b_err):
    """``(a - b) / sqrt(a_err**2 + b_err**2)``: a difference in units of its combined standard error.

    For two independent estimates (different disorder draws, different
    methods); arrays broadcast.  A zero combined error is refused.
    """
    a, b = check_array("a", a), check_array("b", b)
    a_err, b_err = (check_real_array(name, x, low=0.0) for name, x in (("a_err", a_err), ("b_err", b_err)))
    err = np.hypot(a_err, b_err)
    if np.any(err == 0):
        raise ValueError("a_err and b_err must not both be zero (the pull would be infinite)")
    out = (a - b) / err
    return float(out) if out.ndim == 0 else out
