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

from ..infrastructure._validate import check_int, check_real_array
from .exact import rdms_from_rho
from .liouvillian import check_jumps
from .model import Chain, check_chain, hamiltonian

__all__ = ["RATE_EQUATION_MAX_N", "RateEquationState", "rate_equation_from_spectrum", "rate_equation_steady_state",
           "transition_rates"]

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


def _local_overlap(V, N, first, k, a, b, cache):
    """``V_a^H V_b``: eigenvectors restricted to local state ``a`` (resp. ``b``) of sites ``first .. first+k-1``."""
    key = (first, k, a, b)
    if key not in cache:
        V4 = V.reshape(2**first, 2**k, 2 ** (N - first - k), V.shape[1])
        Va = V4[:, a].reshape(-1, V.shape[1])
        Vb = V4[:, b].reshape(-1, V.shape[1])
        cache[key] = Va.conj().T @ Vb
    return cache[key]


def transition_rates(V, jumps, N) -> np.ndarray:
    """``W_nm = sum_L rate_L |<n|L|m>|**2`` (``m -> n``), zero diagonal, from the eigenvectors ``V``.

    A jump acting on ``k`` sites is a sum of local transitions ``op[a, b] |a><b|``;
    ``<n|a><b|m>`` summed over the other sites is ``V_a^H V_b`` with ``V_a`` the
    ``2**(N-k)`` rows of ``V`` in local state ``a``, a quarter of a full matrix
    product for a bond.  Each such overlap is computed once and shared by every
    jump on the same sites; a diagonal jump loses one of its entries to the
    completeness of ``V`` (it changes only the dropped diagonal of ``W``).  For
    the paper's jumps (one nonzero entry per bond flip) a bond costs one full
    matrix product instead of four and a site's ``S^z`` half of one, so about
    ``1.5 N`` products replace ``5 N`` (measured by
    ``benchmarks/bench_rate_equation.py``).

    Parameters
    ----------
    V : ndarray, shape (2**N, 2**N)
        Eigenvectors of ``H`` in columns.
    jumps : sequence of Jump
    N : int

    Returns
    -------
    ndarray, shape (2**N, 2**N)
    """
    W = np.zeros((2**N, 2**N))
    cache, where = {}, None
    for j in sorted(jumps, key=lambda j: (j.first, j.n_sites)):
        k = j.n_sites
        if (j.first, k) != where:  # overlaps are shared only by jumps on the same sites: keep one set in memory
            cache.clear()
            where = (j.first, k)
        op = np.array(j.op)
        if not np.any(op - np.diag(np.diag(op))):
            # diagonal: sum_a V_a^H V_a = 1 (orthonormal V) adds only to W's diagonal, which is dropped, so
            # one diagonal entry is eliminated: op -> op - op[-1, -1] * 1
            op = op - op[-1, -1] * np.eye(op.shape[0])
        Lnm = 0.0
        for a, b in zip(*np.nonzero(op)):
            Lnm = Lnm + op[a, b] * _local_overlap(V, N, j.first, k, int(a), int(b), cache)
        if np.ndim(Lnm):
            W += j.rate * (Lnm.real**2 + Lnm.imag**2 if np.iscomplexobj(Lnm) else np.square(Lnm, out=Lnm))
    np.fill_diagonal(W, 0.0)
    return W


def rate_equation_steady_state(chain: Chain, jumps) -> RateEquationState:
    """Zeroth-order steady state ``rho_0 = lim_{eps -> 0} rho_eps``.

    Parameters
    ----------
    chain : Chain
        The chain of paper Eq. 6, ``N <= RATE_EQUATION_MAX_N``.
    jumps : sequence of Jump
        Jump operators; only their matrix elements between eigenstates enter.

    Returns
    -------
    RateEquationState

    Examples
    --------
    >>> from mbl_open.lindblad import Chain, dbeta_over_beta, fit_betas, rate_equation_steady_state
    >>> from mbl_open.lindblad import thermal_reference
    >>> chain = Chain.draw(6, h=1.0, seed=7)
    >>> limit = rate_equation_steady_state(chain, chain.jumps())
    >>> round(dbeta_over_beta(fit_betas(limit.rdms(), thermal_reference(chain))), 3)
    0.029
    """
    N = check_chain(chain).N
    check_int("N (rate equation)", N, high=RATE_EQUATION_MAX_N)
    jumps = check_jumps(jumps, N)
    E, V = la.eigh(hamiltonian(chain).toarray())
    return rate_equation_from_spectrum(E, V, jumps)


def rate_equation_from_spectrum(E, V, jumps) -> RateEquationState:
    """:func:`rate_equation_steady_state` for a chain already diagonalised, ``H = V diag(E) V^T``.

    For callers that need the spectrum for something else too (the exact
    thermometer, :func:`~mbl_open.lindblad.thermometry.reference_from_spectrum`).

    Parameters
    ----------
    E : ndarray, shape (2**N,)
        Eigenvalues, increasing, ``N <= RATE_EQUATION_MAX_N``.
    V : ndarray, shape (2**N, 2**N)
        Orthonormal eigenvectors in columns.
    jumps : sequence of Jump
    """
    E = check_real_array("E", E, ndim=1)
    N = int(round(np.log2(E.size))) if E.size >= 4 else 0
    if N < 2 or 2**N != E.size or np.shape(V) != (E.size, E.size):
        raise ValueError(f"E must have length 2**N (N >= 2) and V shape (2**N, 2**N), got {E.shape}, {np.shape(V)}")
    check_int("N (rate equation)", N, high=RATE_EQUATION_MAX_N)
    jumps = check_jumps(jumps, N)
    W = transition_rates(V, jumps, N)
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
