"""Convergence in the bond dimension on one chain (paper Fig. 8).

Truncating the bond dimension ``chi`` of the vectorised density matrix changes
the steady state, and with it ``dbeta/beta`` (paper Eq. 9).  Paper Fig. 8 plots
the relative change against ``chi``.  :func:`chi_scan` re-solves the steady
state of one chain at smaller bond dimensions, each run warm-started from a
converged state at a large ``chi``, and compares ``dbeta/beta`` with that
state's.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..infrastructure._validate import check_int
from ..infrastructure.limits import limit
from .model import Chain, check_chain
from .options import solver_options
from .steady import SteadyState, solve_steady_state
from .thermometry import ThermalReference, dbeta_over_beta, local_betas

__all__ = ["ChiScan", "chi_scan"]


@dataclass
class ChiScan:
    """``dbeta/beta`` of one chain at several bond dimensions against a reference state (:func:`chi_scan`).

    Attributes
    ----------
    chis : tuple of int
        The bond dimensions, in the order given.
    dbeta : ndarray, shape (len(chis),)
        ``dbeta/beta`` (paper Eq. 9) of the steady state at each ``chi``.
    error : ndarray, shape (len(chis),)
        ``|dbeta(chi) - dbeta_ref| / dbeta_ref``.
    truncation_error : ndarray, shape (len(chis),)
        Accumulated truncation error of each run (its last TEBD stage).
    dbeta_ref : float
        ``dbeta/beta`` of the reference state.
    chi_ref : int
        Bond dimension of the reference state.
    states : list of SteadyState
        The steady state at each ``chi``.
    """

    chis: tuple
    dbeta: np.ndarray
    error: np.ndarray
    truncation_error: np.ndarray
    dbeta_ref: float
    chi_ref: int
    states: list


def chi_scan(chain: Chain, start: SteadyState, chis, reference: ThermalReference, *, options=None) -> ChiScan:
    """Steady states of one chain at the bond dimensions ``chis``, each warm-started from ``start`` (paper Fig. 8).

    Parameters
    ----------
    chain : Chain
    start : SteadyState
        A converged TEBD steady state of ``chain`` (same ``N``, ``h``), the
        reference: every run starts from its state and has its ``eps``, and
        ``dbeta/beta`` is compared with its own.
    chis : sequence of int
        Bond dimensions, each ``1 <= chi <= TEBD_MAX_CHI``.
    reference : ThermalReference
        Thermometer of the chain (:func:`~mbl_open.lindblad.thermometry.thermal_reference`).
    options : TEBDOptions or str, optional
        TEBD options of every run (as for :func:`~mbl_open.lindblad.steady.solve_steady_state`).

    Returns
    -------
    ChiScan
    """
    chain = check_chain(chain)
    if not isinstance(start, SteadyState) or start.method != "tebd" or start.psi is None:
        raise TypeError("start must be a TEBD SteadyState with its final state (solve_steady_state(method='tebd'))")
    if (start.params["N"], start.params["h"]) != (chain.N, chain.h):
        raise ValueError(f"start is a state of N = {start.params['N']}, h = {start.params['h']:g}; "
                         f"the chain has N = {chain.N}, h = {chain.h:g}")
    if not isinstance(reference, ThermalReference):
        raise TypeError(f"reference must be a ThermalReference, got {type(reference).__name__}")
    if reference.N != chain.N:
        raise ValueError(f"reference is for N = {reference.N}, the chain has N = {chain.N}")
    if isinstance(chis, (str, bytes)) or not np.iterable(chis):
        raise TypeError(f"chis must be a sequence of bond dimensions, got {chis!r}")
    chis = tuple(check_int(f"chis[{i}]", c, low=1, high=limit("TEBD_MAX_CHI")) for i, c in enumerate(chis))
    if not chis:
        raise ValueError("chis must hold at least one bond dimension")
    options = solver_options("tebd", options)
    dbeta_ref = dbeta_over_beta(local_betas(start.rdms, chain, reference=reference))
    eps = start.params["eps"]
    states, dbeta = [], []
    for chi in chis:
        state = solve_steady_state(chain, eps, options=options, chi=chi, psi0=start.psi)
        states.append(state)
        dbeta.append(dbeta_over_beta(local_betas(state.rdms, chain, reference=reference)))
    return ChiScan(chis=chis, dbeta=np.array(dbeta), error=np.array([abs(O - dbeta_ref) / dbeta_ref for O in dbeta]),
                   truncation_error=np.array([s.diagnostics[-1].truncation_error for s in states]),
                   dbeta_ref=dbeta_ref, chi_ref=int(start.params["chi"]), states=states)
