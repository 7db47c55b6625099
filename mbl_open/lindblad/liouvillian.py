"""The Lindblad generator of paper Eq. 7, as bond superoperators and as one sparse matrix.

paper Eq. 7::

    d rho / dt = L(rho) = -i [H, rho] + eps sum_L rate_L (L rho L^dag - {L^dag L, rho} / 2)

Two representations, built independently so that one validates the other:

* :func:`bond_liouvillians` -- the generator split into nearest-neighbour
  pieces ``L = sum_b L_b`` in the real Pauli basis (16 x 16 real matrices),
  the input of the TEBD solver.  Every on-site term (field, dephasing) is
  shared equally between the bonds that touch its site, so each is counted
  exactly once.
* :func:`liouvillian_sparse` -- the full ``4**N x 4**N`` sparse matrix in the
  computational basis, row-major vectorisation ``vec(rho)[i * 2**N + j] =
  rho[i, j]``, so that ``vec(A rho B) = (A kron B^T) vec(rho)``.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ..infrastructure._validate import check_array, check_int, check_real
from ..infrastructure.limits import limit
from .model import Chain, Jump, check_chain, hamiltonian, hamiltonian_terms
from .spins import ID, embed, superoperator_in_pauli_basis

__all__ = ["bond_hamiltonians", "bond_jumps", "bond_liouvillians", "liouvillian_sparse", "dissipator"]


def check_jumps(jumps, N: int, *, max_sites: int | None = None) -> tuple[Jump, ...]:
    """Validate a collection of :class:`~mbl_open.lindblad.model.Jump` for an N-site chain.

    There must be at least one jump, and at least one with ``rate > 0``: with
    no bath the steady state is not unique, and the solvers would fail slowly
    (GMRES) or return an arbitrary state (TEBD).
    """
    N = check_int("N", N, low=2, high=limit("MAX_CHAIN_N"))
    if max_sites is not None:
        max_sites = check_int("max_sites", max_sites, low=1)
    if isinstance(jumps, (str, bytes, Jump)) or not np.iterable(jumps):
        raise TypeError(f"jumps must be a sequence of Jump (e.g. paper_jumps(N)), got {type(jumps).__name__}")
    jumps = tuple(jumps)
    if not jumps:
        raise ValueError("jumps must hold at least one jump operator: without baths the steady state is not "
                         "unique (every eigenstate of H is one)")
    for j in jumps:
        if not isinstance(j, Jump):
            raise TypeError(f"jumps must be Jump instances, got {type(j).__name__}")
        if j.op.shape != (2**j.n_sites, 2**j.n_sites):
            raise ValueError(f"jump {j.label or j}: operator must be square of size 2**k, got {j.op.shape}")
        if j.first < 0 or j.first + j.n_sites > N:
            raise ValueError(f"jump {j.label}: acts on sites {j.sites}, outside the chain 0..{N - 1}")
        if max_sites is not None and j.n_sites > max_sites:
            raise ValueError(
                f"jump {j.label}: acts on {j.n_sites} sites; the TEBD solver needs jumps on at most {max_sites}"
            )
        check_real(f"rate of jump {j.label}", j.rate, low=0.0)
    if all(j.rate == 0 for j in jumps):  # refused before a solver spends its time on a singular problem
        raise ValueError(f"jumps must have at least one rate > 0, got every rate 0 ({len(jumps)} jump operators): "
                         "without baths the steady state is not unique (every eigenstate of H is one)")
    return jumps


def dissipator(L: np.ndarray, rho: np.ndarray) -> np.ndarray:
    """``D[L](rho) = L rho L^dag - {L^dag L, rho} / 2`` for dense matrices."""
    L, rho = (check_array(name, x, complex_ok=None, ndim=2) for name, x in (("L", L), ("rho", rho)))
    if L.shape[0] != L.shape[1] or rho.shape != L.shape:
        raise ValueError(f"L and rho must be square matrices of one size, got {L.shape} and {rho.shape}")
    LdL = L.conj().T @ L
    return L @ rho @ L.conj().T - 0.5 * (LdL @ rho + rho @ LdL)


def _on_bond(op: np.ndarray, first: int, bond: int) -> np.ndarray:
    """Lift a one- or two-site operator to the 4x4 space of ``bond = (b, b+1)``."""
    if op.shape == (4, 4):
        return op
    return np.kron(op, ID) if first == bond else np.kron(ID, op)


def _site_weight(site: int, bond: int, N: int) -> float:
    """Share of an on-site term of ``site`` carried by ``bond`` (1 at the chain ends, else 1/2)."""
    if site not in (bond, bond + 1):
        return 0.0
    return 1.0 if site in (0, N - 1) else 0.5


def bond_hamiltonians(chain: Chain) -> np.ndarray:
    """paper Eq. 6 split into bond terms ``H = sum_b h_b``, shape ``(N-1, 4, 4)``.

    ``h_b`` holds ``S_b . S_{b+1}`` and the shares of the two on-site fields
    (all of it at a chain end, half in the bulk).
    """
    terms = hamiltonian_terms(chain)
    N = chain.N
    out = np.zeros((N - 1, 4, 4))
    for op, first in terms:
        if op.shape == (4, 4):
            out[first] += op
        else:
            for b in (first - 1, first):
                if 0 <= b < N - 1:
                    out[b] += _site_weight(first, b, N) * _on_bond(op, first, b)
    return out


def bond_jumps(N, jumps) -> list[list[np.ndarray]]:
    """Jump operators per bond as 4x4 matrices, with ``sqrt(share * rate)`` folded in.

    Two-site jumps belong to their bond; one-site jumps are shared like the fields.
    """
    out = [[] for _ in range(N - 1)]
    for j in jumps:
        bonds = (j.first,) if j.n_sites == 2 else (j.first - 1, j.first)
        for b in bonds:
            if 0 <= b < N - 1:
                w = 1.0 if j.n_sites == 2 else _site_weight(j.first, b, N)
                out[b].append(np.sqrt(w * j.rate) * _on_bond(j.op, j.first, b))
    return out


def bond_liouvillians(chain: Chain, eps, jumps) -> np.ndarray:
    """Nearest-neighbour pieces of the generator of paper Eq. 7 in the Pauli basis.

    Parameters
    ----------
    chain : Chain
        The chain of paper Eq. 6.
    eps : float
        Bath coupling, ``eps > 0``.
    jumps : sequence of Jump
        Jump operators on one or two neighbouring sites.

    Returns
    -------
    ndarray, shape (N-1, 16, 16), real
        ``Lb[b]`` acts on the Pauli coordinates of sites ``(b, b+1)``,
        index ``4 a + c`` for ``P_a (x) P_c``; ``sum_b Lb[b]`` (embedded) is
        the full generator.
    """
    eps = check_real("eps", eps, low=0.0, low_open=True)
    return _bond_liouvillians(check_chain(chain), eps, check_jumps(jumps, chain.N, max_sites=2))


def _bond_liouvillians(chain: Chain, eps: float, jumps) -> np.ndarray:
    """:func:`bond_liouvillians` for arguments already checked (the solvers' inside)."""
    out = np.empty((chain.N - 1, 16, 16))
    for b, (hb, Lb) in enumerate(zip(bond_hamiltonians(chain), bond_jumps(chain.N, jumps))):

        def generator(X, hb=hb, Lb=Lb):
            out = -1j * (hb @ X - X @ hb)
            for L in Lb:
                out = out + eps * dissipator(L, X)
            return out

        out[b] = superoperator_in_pauli_basis(generator, 2)
    return out


def liouvillian_sparse(chain: Chain, eps, jumps) -> sp.csr_matrix:
    """The full generator of paper Eq. 7 as a sparse complex ``4**N x 4**N`` matrix.

    Row-major vectorisation, ``vec(A rho B) = (A kron B^T) vec(rho)``.
    """
    eps = check_real("eps", eps, low=0.0, low_open=True)
    return _liouvillian_sparse(check_chain(chain), eps, check_jumps(jumps, chain.N))


def _liouvillian_sparse(chain: Chain, eps: float, jumps) -> sp.csr_matrix:
    """:func:`liouvillian_sparse` for arguments already checked."""
    N = chain.N
    H = hamiltonian(chain).astype(complex)
    I = sp.identity(2**N, format="csr", dtype=complex)
    gen = -1j * (sp.kron(H, I) - sp.kron(I, H.T))
    gamma = sp.csr_matrix((2**N, 2**N), dtype=complex)
    for j in jumps:
        L = embed(j.op, j.first, N).astype(complex)
        gen = gen + (eps * j.rate) * sp.kron(L, L.conj())
        gamma = gamma + j.rate * (L.conj().T @ L)
    gen = gen - 0.5 * eps * (sp.kron(gamma, I) + sp.kron(I, gamma.T))
    return gen.tocsr()
