"""The ``eps -> 0`` limit of the steady state: a classical rate equation.

For ``eps -> 0`` the dissipator is a weak perturbation of ``-i[H, .]``.  To
zeroth order the steady state commutes with ``H``: with non-degenerate
eigenpairs ``(E_n, |n>)`` it is ``rho_0 = sum_n p_n |n><n|``.  The populations
are fixed at first order by the projection of paper Eq. 7 onto the diagonal, a Pauli
master equation::

    0 = sum_m (W_nm p_m - W_mn p_n),     W_nm = sum_L rate_L |<n|L|m>|^2

(``W_nm``: rate of ``m -> n``).  ``eps`` drops out, so ``rho_0`` is the exact
``eps -> 0`` intercept of every local observable, including the MBL-side
``dbeta/beta(eps -> 0)`` of paper Eq. 9.  Corrections are ``O(eps)``: coherences of
order ``eps / (E_n - E_m)``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg as la

from .._validate import check_int
from .exact import rdms_from_rho
from .liouvillian import check_jumps
from .model import check_chain, hamiltonian
from .spins import embed

__all__ = ["RATE_EQUATION_MAX_N", "RateEquationState", "rate_equation_steady_state"]

#: Longest chain for the rate equation (dense 2**N eigenproblem).
RATE_EQUATION_MAX_N = 12


@dataclass
class RateEquationState:
    """Result of :func:`rate_equation_steady_state`.

    Attributes
    ----------
    energies : ndarray, shape (2**N,)
    populations : ndarray, shape (2**N,)
        ``p_n``, non-negative, summing to 1.
    rates : ndarray, shape (2**N, 2**N)
        ``W_nm`` (``m -> n``), zero diagonal.
    rho : ndarray, shape (2**N, 2**N)
        ``rho_0 = sum_n p_n |n><n|`` in the computational basis.
    min_gap : float
        Smallest level spacing; the limit needs it to be much larger than ``eps``.
    """

    energies: np.ndarray
    populations: np.ndarray
    rates: np.ndarray
    rho: np.ndarray
    min_gap: float

    def rdms(self) -> np.ndarray:
        """Two-site reduced density matrices of ``rho_0``, shape ``(N-1, 4, 4)``."""
        return rdms_from_rho(self.rho)


def rate_equation_steady_state(N, h, zeta_z, zeta_x, jumps) -> RateEquationState:
    """Zeroth-order steady state ``rho_0 = lim_{eps -> 0} rho_eps``.

    Parameters
    ----------
    N, h, zeta_z, zeta_x
        The chain of paper Eq. 6, ``N <= RATE_EQUATION_MAX_N``.
    jumps : sequence of Jump
        Jump operators; only their matrix elements between eigenstates enter.

    Returns
    -------
    RateEquationState
    """
    N, h, zeta_z, zeta_x = check_chain(N, h, zeta_z, zeta_x)
    check_int("N (rate equation)", N, high=RATE_EQUATION_MAX_N)
    jumps = check_jumps(jumps, N)
    H = hamiltonian(N, h, zeta_z, zeta_x).toarray()
    E, V = la.eigh(H)
    W = np.zeros((2**N, 2**N))
    for j in jumps:
        L = embed(j.op, j.first, N)
        Lnm = V.conj().T @ (L @ V)
        W += j.rate * np.abs(Lnm) ** 2
    np.fill_diagonal(W, 0.0)
    Q = W - np.diag(W.sum(axis=0))  # dp/dt = Q p
    A = Q.copy()
    A[0] = 1.0  # replace one (redundant) balance equation by normalisation
    b = np.zeros(2**N)
    b[0] = 1.0
    p = la.solve(A, b)
    if np.min(p) < -1e-10:
        raise ValueError("rate equation gave negative populations: the jump graph is not connected")
    p = np.clip(p, 0.0, None)
    p /= p.sum()
    rho = (V * p) @ V.conj().T
    return RateEquationState(energies=E, populations=p, rates=W, rho=rho, min_gap=float(np.min(np.diff(E))))
