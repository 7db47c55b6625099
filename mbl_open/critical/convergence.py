"""Bond-dimension convergence and reproduction checks of TEBD datasets on shared chains (paper Fig. 8).

Two sweeps with the same base seed solve the same chains (the seeding rule of
:mod:`mbl_open.lindblad.realisation`), so their ``dbeta/beta`` can be compared
chain by chain: TEBD against the exact solver, each ``chi`` against the
largest, or one sweep against a repetition of it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..infrastructure._validate import NotInDataError, check_instance
from ..ensemble.dataset import Ensemble
from ..numerics.spread import relative_spread
from .statistics import order_parameter_realisations

__all__ = ["chi_convergence", "chi_convergence_to_largest", "SameChains", "same_chains_difference"]


def chi_convergence(tebd, exact, N, h) -> dict:
    """Relative error of ``dbeta/beta`` from TEBD at each bond dimension against the exact solver (paper Fig. 8).

    Both datasets must come from sweeps with the same base seed, so that
    realisation ``r`` is the same chain in both (:mod:`mbl_open.lindblad.realisation`).

    Parameters
    ----------
    tebd, exact : Ensemble
        TEBD at several ``chi``, and the exact solver, both holding ``(N, h)``.
    N : int
    h : float

    Returns
    -------
    dict
        ``chi -> ndarray`` of ``|O(chi) - O_exact| / O_exact`` per ``eps`` of
        the TEBD ladder, ``O`` the disorder-averaged ``dbeta/beta`` over the
        TEBD realisations.
    """
    for name, d in (("tebd", tebd), ("exact", exact)):
        if not isinstance(d, Ensemble):
            raise TypeError(f"{name} must be an Ensemble, got {type(d).__name__}")
    if tebd.physics.get("seed") != exact.physics.get("seed"):
        raise ValueError(f"the datasets have different seeds ({tebd.physics.get('seed')} and "
                         f"{exact.physics.get('seed')}): their realisations are different chains")
    out = {}
    for chi in tebd.chis():  # each chi against the exact solver on its own realisations (a sweep may be growing)
        r = tebd.realisations(N, h, chi)
        o_exact = _ensemble_spread(exact.aligned_betas(N, h, realisations=r, eps=tebd.eps))
        out[chi] = np.abs(_ensemble_spread(tebd.betas_for(N, h, chi, drop_nan=False)) - o_exact) / o_exact
    return out


def _ensemble_spread(betas) -> np.ndarray:
    """Disorder-averaged ``dbeta/beta`` of ``betas (R, E, B)``, one value per ``eps``."""
    return np.array([relative_spread(betas[:, j], site_axis=1, config_axis=0) for j in range(betas.shape[1])])


def chi_convergence_to_largest(tebd, N, h) -> dict:
    """Relative change of ``dbeta/beta`` from each bond dimension to the largest one (paper Fig. 8).

    Where no exact steady state exists (``N > 8`` here), the largest bond
    dimension of the sweep is the reference, as the paper takes ``chi = 100``
    at ``N = 20``.  Each smaller ``chi`` is compared on the realisations it
    shares with the largest, so that a growing sweep compares the same chains.

    Parameters
    ----------
    tebd : Ensemble
        TEBD at two or more bond dimensions, holding ``(N, h)``.
    N : int
    h : float

    Returns
    -------
    dict
        ``chi -> ndarray (E,)`` of ``|O(chi) - O(chi_max)| / O(chi_max)`` per
        ``eps`` of the ladder, for every ``chi < chi_max`` that shares at least
        one realisation with ``chi_max``; ``O`` is the disorder-averaged
        ``dbeta/beta`` over the shared realisations.
    """
    check_instance("tebd", tebd, Ensemble, "an Ensemble")
    chis = tebd.chis()
    if len(chis) < 2:
        raise ValueError(f"tebd must hold at least two bond dimensions to compare, it holds chi = {chis}")
    top = chis[-1]
    r_top = tebd.realisations(N, h, top)  # refuses an (N, h) without tasks at chi_max
    out = {}
    for chi in chis[:-1]:
        try:
            r = np.intersect1d(tebd.realisations(N, h, chi), r_top)
        except NotInDataError:  # a growing sweep: no task at this (N, h, chi) yet
            continue
        if r.size:
            o_top = _ensemble_spread(tebd.aligned_betas(N, h, top, realisations=r, eps=tebd.eps))
            o = _ensemble_spread(tebd.aligned_betas(N, h, chi, realisations=r, eps=tebd.eps))
            out[chi] = np.abs(o - o_top) / o_top
    return out


@dataclass(frozen=True)
class SameChains:
    """Two datasets' ``dbeta/beta`` on the chains both hold (:func:`same_chains_difference`).

    ``difference[j]`` is the largest relative difference of one chain's
    ``dbeta/beta`` at ``eps[j]``, over the shared ``realisations``.
    """

    eps: np.ndarray
    realisations: np.ndarray
    difference: np.ndarray


def same_chains_difference(a, b, N, h, chi=None) -> SameChains:
    """How closely two sweeps with one seed agree on the chains both solved (a reproduction check).

    Two sweeps with the same base seed solve the same chains (the seeding rule
    of :mod:`mbl_open.lindblad.realisation`).  With the same method, bond
    dimension and solver, they differ only where the solver's stopping rule
    meets round-off: at large ``eps`` the runs agree to machine precision, at
    small ``eps`` the noise plateau of a truncated run may end it a few steps
    earlier or later, which moves ``dbeta/beta`` within the solver's tolerance.

    Parameters
    ----------
    a, b : Ensemble
        Datasets from sweeps with the same base seed.
    N : int
    h : float
    chi : int, optional
        The bond dimension to compare (needed where either holds several).

    Returns
    -------
    SameChains
        Per ``eps`` both ladders hold, ``max_r |O_a(r) - O_b(r)| / O_b(r)``
        with ``O(r)`` the ``dbeta/beta`` of chain ``r`` alone; empty arrays
        where the datasets share no chain.
    """
    for name, d in (("a", a), ("b", b)):
        check_instance(name, d, Ensemble, "an Ensemble")
    if a.physics.get("seed") != b.physics.get("seed"):
        raise ValueError(f"the datasets have different seeds ({a.physics.get('seed')} and {b.physics.get('seed')}): "
                         "their realisations are different chains")
    eps = np.array([e for e in a.eps if np.isclose(b.eps, e, rtol=1e-9, atol=0.0).any()])
    r = np.intersect1d(a.realisations(N, h, chi), b.realisations(N, h, chi))
    if not (r.size and eps.size):
        return SameChains(eps=eps, realisations=r, difference=np.zeros(0))
    o_a = order_parameter_realisations(a.aligned_betas(N, h, chi, realisations=r, eps=eps))
    o_b = order_parameter_realisations(b.aligned_betas(N, h, chi, realisations=r, eps=eps))
    return SameChains(eps=eps, realisations=r, difference=np.max(np.abs(o_a - o_b) / np.abs(o_b), axis=0))
