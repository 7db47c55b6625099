"""Local energy densities, energy currents and the bath's energy source (paper Eqs. 20-23).

The Hamiltonian of paper Eq. 6 is split into bond energy densities ``H = sum_i h_i``,
``h_i`` on sites ``(i, i+1)``: the exchange ``S_i . S_{i+1}`` plus the share of
the two on-site fields (all of it at a chain end, half in the bulk), exactly as
:func:`~mbl_open.lindblad.liouvillian.bond_hamiltonians` splits it for TEBD.
Bond ``i`` is also where the thermometer reads its local temperature ``T_i``
(:mod:`~mbl_open.lindblad.thermometry`), so densities, currents and
temperatures all live on the same ``N - 1`` "islands".

Under paper Eq. 7 the energy of island ``i`` changes as (Heisenberg picture,
``dA/dt = i[H, A] + eps D^dag(A)``)::

    d<h_i>/dt = <j_{i-1,i}> - <j_{i,i+1}> + eps <D^dag(h_i)>          (paper Eqs. 20-23)

with the energy current ``j_{i,i+1} = i[h_i, h_{i+1}]`` (paper Eq. 23) on sites
``(i, i+1, i+2)`` and the adjoint dissipator
``D^dag(X) = sum_L rate_L (L^dag X L - {L^dag L, X} / 2)``.  A jump that
commutes with ``h_i`` drops out, so ``D^dag(h_i)`` is a sum of pieces on at most
three consecutive sites.  Everything here is therefore an expectation value in
the three-site reduced density matrices ``rho^(w, w+1, w+2)`` of a state, which
both solvers return (:attr:`~mbl_open.lindblad.steady.SteadyState.rdms3`).

Operators on three-site windows are stored densely as arrays
``(..., n_windows, 8, 8)`` (mostly zero): window ``w`` covers sites
``w, w+1, w+2``.  For ``N = 2`` the windows have two sites.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..infrastructure._validate import check_array, check_int, check_real, check_unit_trace
from ..lindblad.liouvillian import bond_hamiltonians, check_jumps
from ..lindblad.model import Chain, check_chain

__all__ = [
    "window_size",
    "energy_densities",
    "energy_currents",
    "adjoint_dissipator",
    "energy_source_operators",
    "window_expectations",
    "EnergyBalance",
    "energy_balance",
]


def window_size(N: int) -> int:
    """Sites per window: 3, or 2 for a two-site chain."""
    return min(3, check_int("N", N, low=2))


def _lift(op: np.ndarray, offset: int, W: int) -> np.ndarray:
    """Operator on ``k`` sites starting ``offset`` sites into a ``W``-site window."""
    k = int(round(np.log2(op.shape[0])))
    if offset < 0 or offset + k > W:
        raise ValueError(f"an operator on {k} sites does not fit at offset {offset} of a {W}-site window")
    return np.kron(np.kron(np.eye(2**offset), op), np.eye(2 ** (W - offset - k)))


def _window_of(lo: int, N: int) -> int:
    """Window holding sites ``lo ... lo+2`` (or the last window at the right end)."""
    return min(lo, N - window_size(N))


def energy_densities(chain: Chain) -> np.ndarray:
    """Bond energy densities ``h_i`` of paper Eq. 6, ``H = sum_i h_i`` (paper Eq. 20).

    Returns
    -------
    ndarray, shape (N-1, 4, 4)
        ``h_i`` on sites ``(i, i+1)``, basis as the two-site RDMs.
    """
    return bond_hamiltonians(check_chain(chain))


def energy_currents(chain: Chain) -> np.ndarray:
    """Energy current operators ``j_{i,i+1} = i [h_i, h_{i+1}]`` (paper Eq. 23).

    ``<j_{i,i+1}>`` is the energy flowing from island ``i`` to island ``i+1``
    per unit time: ``d<h_i>/dt`` under ``-i[H, rho]`` is ``<j_{i-1,i}> - <j_{i,i+1}>``.

    Returns
    -------
    ndarray, shape (N-2, 8, 8), complex (Hermitian)
        ``j_{i,i+1}`` on the window of sites ``(i, i+1, i+2)``.
    """
    hb = energy_densities(chain)
    N = chain.N
    if N < 3:
        raise ValueError(f"energy currents need N >= 3 (two bonds), got N = {N}")
    left = np.kron(hb[:-1], np.eye(2))  # h_i (x) 1 on (i, i+1, i+2)
    right = np.kron(np.eye(2), hb[1:])  # 1 (x) h_{i+1}
    return 1j * (left @ right - right @ left)


def adjoint_dissipator(L: np.ndarray, X: np.ndarray, rate: float = 1.0) -> np.ndarray:
    """``D^dag[L](X) = rate (L^dag X L - {L^dag L, X} / 2)`` for dense matrices (Heisenberg picture of paper Eq. 7)."""
    L, X = (check_array(name, a, complex_ok=None) for name, a in (("L", L), ("X", X)))
    if L.ndim != 2 or L.shape[0] != L.shape[1] or X.shape != L.shape:
        raise ValueError(f"L and X must be square matrices of the same size, got shapes {L.shape} and {X.shape}")
    rate = check_real("rate", rate, low=0.0)
    Ld = L.conj().T
    LdL = Ld @ L
    return rate * (Ld @ X @ L - 0.5 * (LdL @ X + X @ LdL))


def energy_source_operators(chain: Chain, jumps) -> np.ndarray:
    """``D^dag(h_i)`` for every island, split over three-site windows (source of paper Eqs. 21, 25).

    ``eps <D^dag(h_i)>`` is the rate at which the baths put energy into island
    ``i``; ``sum_i D^dag(h_i) = D^dag(H)`` enters the condition of paper Eq. 19.

    Parameters
    ----------
    chain : Chain
        Chain of paper Eq. 6.
    jumps : sequence of Jump
        Jump operators on one or two neighbouring sites
        (e.g. :func:`~mbl_open.lindblad.model.paper_jumps`), without ``eps``.

    Returns
    -------
    ndarray, shape (N-1, n_windows, 2**W, 2**W), complex
        ``ops[i, w]`` is the part of ``D^dag(h_i)`` placed on window ``w``
        (:func:`window_size` ``W`` sites); their sum over ``w`` (embedded) is
        ``D^dag(h_i)``.
    """
    hb = energy_densities(chain)
    N = chain.N
    jumps = check_jumps(jumps, N, max_sites=2)
    W = window_size(N)
    ops = np.zeros((N - 1, N - W + 1, 2**W, 2**W), dtype=complex)
    for i in range(N - 1):
        for jump in jumps:
            if jump.sites[-1] < i or jump.first > i + 1:
                continue  # disjoint supports: L commutes with h_i and drops out
            w = _window_of(min(jump.first, i), N)  # the union of supports spans <= 3 sites
            ops[i, w] += adjoint_dissipator(_lift(jump.op, jump.first - w, W), _lift(hb[i], i - w, W), jump.rate)
    return ops


def window_expectations(ops: np.ndarray, rdms_w: np.ndarray) -> np.ndarray:
    """``sum_w Tr(ops[..., w, :, :] rho_w)`` for window operators and window RDMs.

    Parameters
    ----------
    ops : ndarray, shape (..., n_windows, d, d) or (n_windows, d, d)
    rdms_w : ndarray, shape (n_windows, d, d)

    Returns
    -------
    ndarray, shape (...), real part (the operators are Hermitian).
    """
    ops, rdms_w = np.asarray(ops), np.asarray(rdms_w)
    if ops.shape[-3:] != rdms_w.shape:
        raise ValueError(f"window operators {ops.shape} do not match window RDMs {rdms_w.shape}")
    return np.einsum("...wij,wji->...", ops, rdms_w).real


@dataclass
class EnergyBalance:
    """Energy bookkeeping of one state, island by island (paper Eqs. 20-23).

    Attributes
    ----------
    energy : ndarray, shape (N-1,)
        ``<h_i>``.
    current : ndarray, shape (N-2,)
        ``<j_{i,i+1}>``, energy per unit time from island ``i`` to ``i+1``.
    source : ndarray, shape (N-1,)
        ``<D^dag(h_i)>``: the baths' energy input into island ``i`` is ``eps`` times this.
    eps : float
    """

    energy: np.ndarray
    current: np.ndarray
    source: np.ndarray
    eps: float

    @property
    def divergence(self) -> np.ndarray:
        """``<j_{i,i+1}> - <j_{i-1,i}>`` with no current through the chain ends, shape ``(N-1,)``."""
        j = np.concatenate([[0.0], self.current, [0.0]])
        return j[1:] - j[:-1]

    @property
    def residual(self) -> np.ndarray:
        """``d<h_i>/dt = -divergence + eps source``: zero in a steady state (continuity check)."""
        return -self.divergence + self.eps * self.source


def energy_balance(rdms3, chain: Chain, eps, jumps) -> EnergyBalance:
    """Energies, currents and bath sources of a state given by its three-site RDMs.

    Parameters
    ----------
    rdms3 : ndarray, shape (N-2, 8, 8)
        Three-site RDMs, each of trace 1
        (:attr:`~mbl_open.lindblad.steady.SteadyState.rdms3`,
        or :func:`~mbl_open.lindblad.exact.rdms_from_rho` with ``n_sites=3``).
    chain : Chain
    eps : float
    jumps : sequence of Jump
        The chain, bath coupling and baths the state belongs to.

    Returns
    -------
    EnergyBalance
    """
    N = check_chain(chain).N
    if N < 3:
        raise ValueError(f"energy_balance needs N >= 3 (a current needs two bonds), got N = {N}")
    eps = check_real("eps", eps, low=0.0, low_open=True)
    rdms3 = check_array("rdms3", rdms3, complex_ok=None)
    if rdms3.shape != (N - 2, 8, 8):
        raise ValueError(f"rdms3 must have shape (N-2, 8, 8) = ({N - 2}, 8, 8), got {rdms3.shape}")
    check_unit_trace("rdms3", rdms3)
    hb = energy_densities(chain)
    # <h_i> from window min(i, N-3), where h_i sits at offset i - w
    dens = np.zeros((N - 1, N - 2, 8, 8))
    for i in range(N - 1):
        w = _window_of(i, N)
        dens[i, w] = _lift(hb[i], i - w, 3)
    energy = window_expectations(dens, rdms3)
    current = np.einsum("wij,wji->w", energy_currents(chain), rdms3).real
    source = window_expectations(energy_source_operators(chain, jumps), rdms3)
    return EnergyBalance(energy=energy, current=current, source=source, eps=float(eps))
