"""Spin-1/2 operators, chain embedding and the real Pauli operator basis.

Conventions used throughout :mod:`mbl_open.lindblad`:

* one spin has basis ``|up>, |down>`` (``S^z = +1/2`` first);
* on a chain, site 0 is the first (most significant) tensor factor, so a
  two-site reduced density matrix ``rho^(i,i+1)`` has basis
  ``|up up>, |up down>, |down up>, |down down>`` with site ``i`` first;
* the operator basis is ``P_a = sigma^a / sqrt(2)``, ``a = 0, x, y, z``
  (``sigma^0`` the identity).  It is orthonormal for the Hilbert-Schmidt
  product, ``Tr(P_a P_b) = delta_ab``, and every ``P_a`` is Hermitian, so a
  Hermitian operator has *real* coordinates ``c_a = Tr(P_a X)``.  This is the
  vectorisation the TEBD code uses: gates are real and the
  infinite-temperature state is a product state.
"""
from __future__ import annotations

from functools import reduce

import numpy as np
import scipy.sparse as sp

from ..infrastructure._validate import check_array, check_callable, check_int
from ..infrastructure.limits import limit

__all__ = [
    "SZ",
    "SX",
    "SY",
    "SP",
    "SM",
    "ID",
    "PAULI_BASIS",
    "embed",
    "pauli_coefficients",
    "operator_from_pauli",
    "superoperator_in_pauli_basis",
]

ID = np.eye(2)
SZ = np.array([[0.5, 0.0], [0.0, -0.5]])
SX = np.array([[0.0, 0.5], [0.5, 0.0]])
SY = np.array([[0.0, -0.5j], [0.5j, 0.0]])
SP = np.array([[0.0, 1.0], [0.0, 0.0]])  # S^+ |down> = |up>
SM = SP.T.copy()

#: ``P_a = sigma^a / sqrt(2)`` for ``a = 0, x, y, z``; shape ``(4, 2, 2)``.
PAULI_BASIS = np.array([ID, 2 * SX, 2 * SY, 2 * SZ]) / np.sqrt(2)


#: Sites of the largest Pauli basis built here (``16**n`` entries: 4 sites are 65536).
PAULI_MAX_SITES = 4


def _sites_of(name: str, dim: int, base: int) -> int:
    """``n`` with ``base**n == dim`` (``dim`` a matrix side or a coefficient count), or a ValueError naming ``name``."""
    n = int(round(np.log(dim) / np.log(base))) if dim >= 1 else -1
    if n < 1 or base**n != dim or n > PAULI_MAX_SITES:
        raise ValueError(f"{name} must act on 1 to {PAULI_MAX_SITES} spins ({base}**n entries along its last "
                         f"axis), got {dim}")
    return n


def _operator(name: str, X, *, square: bool = True) -> np.ndarray:
    X = check_array(name, X, complex_ok=None)  # real stays real (the chain Hamiltonian is)
    if X.ndim < (2 if square else 1) or (square and X.shape[-1] != X.shape[-2]):
        raise ValueError(f"{name} must be {'a square matrix' if square else 'an array'} (or a stack of them), "
                         f"got shape {X.shape}")
    return X


def _pauli_basis(n_sites: int) -> np.ndarray:
    """Products ``P_a1 (x) ... (x) P_an`` as an array ``(4**n, 2**n, 2**n)``."""
    basis = PAULI_BASIS
    for _ in range(n_sites - 1):
        basis = np.einsum("aij,bkl->abikjl", basis, PAULI_BASIS).reshape(
            basis.shape[0] * 4, basis.shape[1] * 2, basis.shape[2] * 2
        )
    return basis


def embed(op: np.ndarray, first: int, N: int) -> sp.csr_matrix:
    """The operator ``op`` acting on sites ``first, first+1, ...`` of an N-site chain.

    Parameters
    ----------
    op : ndarray, shape (2**k, 2**k)
        Operator on ``k`` consecutive sites.
    first : int
        Leftmost site it acts on.
    N : int
        Chain length.

    Returns
    -------
    scipy.sparse.csr_matrix, shape (2**N, 2**N)
    """
    if not sp.issparse(op):
        op = _operator("op", op)
    N = check_int("N", N, low=1, high=limit("HAMILTONIAN_MAX_N"))
    k = int(round(np.log2(op.shape[-1]))) if op.shape[-1] >= 1 else 0
    if op.ndim != 2 or k < 1 or 2**k != op.shape[-1]:
        raise ValueError(f"op must be a 2**k x 2**k matrix on k >= 1 spins, got shape {op.shape}")
    first = check_int("first", first, low=0)
    if first + k > N:
        raise ValueError(f"first = {first}: an operator on {k} sites cannot start there in a chain of N = {N}")
    factors = [sp.identity(2**first, format="csr"), sp.csr_matrix(op), sp.identity(2 ** (N - first - k), format="csr")]
    return reduce(lambda a, b: sp.kron(a, b, format="csr"), factors)


def pauli_coefficients(X: np.ndarray) -> np.ndarray:
    """Coordinates ``c_a = Tr(P_a X)`` of operators on ``n`` sites.

    Parameters
    ----------
    X : ndarray, shape (..., 2**n, 2**n)

    Returns
    -------
    ndarray, shape (..., 4**n)
        Complex in general; real (up to rounding) for Hermitian ``X``.
    """
    X = _operator("X", X)
    basis = _pauli_basis(_sites_of("X", X.shape[-1], 2))
    return np.einsum("aji,...ij->...a", basis, X)


def operator_from_pauli(c: np.ndarray) -> np.ndarray:
    """Inverse of :func:`pauli_coefficients`: ``X = sum_a c_a P_a``."""
    c = _operator("c", c, square=False)
    n = _sites_of("c", c.shape[-1], 4)
    return np.einsum("...a,aij->...ij", c, _pauli_basis(n))


def superoperator_in_pauli_basis(superop, n_sites: int) -> np.ndarray:
    """Matrix ``M_ab = Tr(P_a superop(P_b))`` of a linear map on ``n_sites`` spins.

    ``superop`` is a callable taking and returning ``(2**n, 2**n)`` matrices.
    For a Hermiticity-preserving map (any Lindbladian) the matrix is real; this
    function checks that and returns the real part.
    """
    check_callable("superop", superop)
    n_sites = check_int("n_sites", n_sites, low=1, high=PAULI_MAX_SITES)
    basis = _pauli_basis(n_sites)
    images = np.array([superop(P) for P in basis])
    M = np.einsum("aji,bij->ab", basis, images)
    if np.max(np.abs(M.imag), initial=0.0) > 1e-12 * max(1.0, np.max(np.abs(M.real))):
        raise ValueError("the map does not preserve Hermiticity: its Pauli-basis matrix is not real")
    return np.ascontiguousarray(M.real)
