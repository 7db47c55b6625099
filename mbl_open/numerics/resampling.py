"""Resampling error estimates over disorder configurations.

Observables of this book are ratios of disorder averages, evaluated at several
``eps`` on the *same* configurations, so their statistical errors are
correlated across ``eps``.  Jackknife and bootstrap over configurations carry
those correlations into derived quantities such as fitted exponents (the paper
uses the jackknife for z and the bootstrap for P(h)).
"""
from __future__ import annotations

import numpy as np

from ..infrastructure._validate import check_array, check_callable, check_int, check_real_array
from ..infrastructure.limits import limit

__all__ = ["jackknife", "jackknife_covariance", "bootstrap", "pull"]


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
    full, reps = _jackknife_replicas(estimator, arrays, n, n_blocks)
    err = np.sqrt((n_blocks - 1) / n_blocks * np.sum((reps - reps.mean(axis=0)) ** 2, axis=0))
    return full, err


def _jackknife_replicas(estimator, arrays, n, n_blocks):
    """The estimator on all data and on each of ``n_blocks`` leave-one-block-out subsets."""
    full = np.asarray(estimator(*arrays), dtype=float)
    edges = np.linspace(0, n, n_blocks + 1).astype(int)
    reps = []
    for lo, hi in zip(edges[:-1], edges[1:]):
        keep = np.r_[0:lo, hi:n]
        reps.append(estimator(*(a[..., keep] for a in arrays)))
    return full, np.asarray(reps, dtype=float)


def jackknife_covariance(estimator, *samples, n_blocks=20, axis=-1):
    """Block-jackknife covariance between the components of a vector estimator.

    Parameters
    ----------
    estimator : callable
        Takes arrays with configurations on their last axis and returns a 1-d
        array (for example ``dbeta/beta`` at every ``eps`` of one ensemble).
    *samples, n_blocks, axis
        As for :func:`jackknife`.

    Returns
    -------
    value : ndarray, shape (K,)
        ``estimator`` on all data.
    cov : ndarray, shape (K, K)
        ``(n_blocks - 1) / n_blocks * sum_b (x_b - xbar)(x_b - xbar)^T``; its
        diagonal is the square of :func:`jackknife`'s error.
    """
    check_callable("estimator", estimator)
    arrays, n = _split(samples, axis)
    n_blocks = check_int("n_blocks", n_blocks, low=2, high=n)
    full, reps = _jackknife_replicas(estimator, arrays, n, n_blocks)
    if full.ndim != 1:
        raise ValueError(f"estimator must return a 1-d array for a covariance, got shape {full.shape}")
    d = reps - reps.mean(axis=0)
    return full, (n_blocks - 1) / n_blocks * (d.T @ d)


def _check_resample_memory(n_resamples, n, per_replica):
    """Refuse a bootstrap whose resample indices and replicas exceed ``MAX_ARRAY_BYTES`` (:mod:`~mbl_open.infrastructure.limits`).

    The indices of every resample are drawn at once (``n_resamples x n`` integers, 8 bytes each), and the
    replicas hold ``per_replica`` numbers each.
    """
    need = 8 * n_resamples * (n + per_replica)
    if need > limit("MAX_ARRAY_BYTES"):
        raise ValueError(f"n_resamples = {n_resamples} resamples of {n} configurations need about "
                         f"{need / 2**30:.3g} GiB (resample indices and replicas), more than the limit "
                         f"{limit('MAX_ARRAY_BYTES') / 2**30:.3g} GiB; use fewer resamples, or raise the limit with "
                         "MBL_OPEN_MAX_ARRAY_BYTES")


def bootstrap(estimator, *samples, n_resamples=200, seed=0, axis=-1):
    """Bootstrap standard error of ``estimator(*samples)`` over configurations.

    Parameters
    ----------
    estimator : callable
        As for :func:`jackknife`.
    *samples : array_like
        Per-configuration data; configurations along ``axis``.
    n_resamples : int
        Resamples, ``2 <= n_resamples <= MAX_RESAMPLES``; besides, the
        ``n_resamples x`` (number of configurations) resample indices and the
        replicas must fit in ``MAX_ARRAY_BYTES`` (:mod:`~mbl_open.infrastructure.limits`).
    seed : int
        Resampling is driven by ``numpy.random.default_rng(seed)``.
    axis : int
        Configuration axis of every sample array.

    Returns
    -------
    value, error, replicas
        ``estimator`` on all data, the bootstrap standard error, and the
        replicas, of shape ``(n_resamples, ...)``.
    """
    check_callable("estimator", estimator)
    arrays, n = _split(samples, axis)
    n_resamples = check_int("n_resamples", n_resamples, low=2, high=limit("MAX_RESAMPLES"))
    seed = check_int("seed", seed, low=0)
    _check_resample_memory(n_resamples, n, 1)  # before the estimator runs
    full = np.asarray(estimator(*arrays), dtype=float)
    _check_resample_memory(n_resamples, n, full.size)  # now that the size of one replica is known
    rng = np.random.default_rng(seed)
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
