"""Local Gibbs states of one chain and their response to the baths (paper supplement Eqs. 18-26).

:class:`LocalGibbs` diagonalises ``H`` once and gives the mean temperature of
paper Eq. 19, the sources of paper Eq. 25, the couplings of paper Eq. 26 and the full response
matrix (Duhamel's formula, see :mod:`mbl_open.hydrodynamics`).
:func:`network_ingredients` collects the sources, couplings and response at one
temperature, with the two identities they obey.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg as la
import scipy.sparse as sp
from scipy.optimize import brentq

from ..infrastructure._validate import check_real
from ..lindblad.liouvillian import check_jumps
from ..lindblad.model import Chain, check_chain, hamiltonian
from ..lindblad.spins import embed
from ..lindblad.thermometry import EXACT_THERMAL_MAX_N, boltzmann_weights
from .energy import energy_densities, energy_source_operators

__all__ = ["RESPONSE_MAX_N", "LocalGibbs", "NetworkIngredients", "network_ingredients"]

#: Longest chain for the full response matrix (dense 2**N x 2**N operators per island).
RESPONSE_MAX_N = 10


def _full_operator(window_ops: np.ndarray, N: int):
    """Sum of window operators ``(n_windows, d, d)`` embedded in the N-site chain (sparse)."""
    out = sp.csr_matrix((2**N, 2**N), dtype=complex)
    for w, op in enumerate(window_ops):
        out = out + embed(op, w, N)
    return out.tocsr()


class LocalGibbs:
    """Gibbs states of one disordered chain and their response to the baths (paper Eqs. 18-26).

    Parameters
    ----------
    chain : Chain
        Chain of paper Eq. 6, ``N <= EXACT_THERMAL_MAX_N``.
    jumps : sequence of Jump, optional
        The baths, without ``eps``; default those of paper Eq. 8
        (:func:`~mbl_open.lindblad.model.paper_jumps`).

    Attributes
    ----------
    E : ndarray, shape (2**N,)
        Eigenvalues of ``H``.
    h_diag, source_diag : ndarray, shape (N-1, 2**N)
        ``<n|h_i|n>`` and ``<n|D^dag(h_i)|n>`` for every eigenstate.
    """

    def __init__(self, chain: Chain, jumps=None):
        N = check_chain(chain).N
        if N > EXACT_THERMAL_MAX_N:
            raise ValueError(f"LocalGibbs needs N <= {EXACT_THERMAL_MAX_N} (full diagonalisation of 2**N states), got N = {N}")
        self.jumps = check_jumps(chain.jumps() if jumps is None else jumps, N, max_sites=2)
        self.chain, self.N = chain, N
        self.E, self.V = la.eigh(hamiltonian(chain).toarray())
        hb = energy_densities(chain)
        self._h_ops = [embed(hb[i], i, N).tocsr() for i in range(N - 1)]
        src = energy_source_operators(chain, self.jumps)
        self._src_ops = [_full_operator(src[i], N) for i in range(N - 1)]
        self.h_diag = np.array([np.einsum("in,in->n", self.V, (op @ self.V).real) for op in self._h_ops])
        self.source_diag = np.array([np.einsum("in,in->n", self.V, (op @ self.V).real) for op in self._src_ops])

    # -- Gibbs averages -------------------------------------------------------------------------
    def thermal_reference(self, beta_max: float = 2.0):
        """The exact thermometer reference of this chain, from the spectrum already at hand.

        Same as :func:`~mbl_open.lindblad.thermometry.thermal_reference` with
        ``method='exact'``, without diagonalising ``H`` a second time.
        """
        from ..lindblad.thermometry import reference_from_spectrum

        return reference_from_spectrum(self.E, self.V, beta_max=beta_max)

    def weights(self, beta: float) -> np.ndarray:
        """Boltzmann weights ``w_n = exp(-beta E_n) / Z``."""
        return boltzmann_weights(self.E, check_real("beta", beta))

    def energy(self, beta: float) -> np.ndarray:
        """``<h_i>`` in ``rho_0(beta)``, shape ``(N-1,)``."""
        return self.h_diag @ self.weights(beta)

    def source(self, beta: float) -> np.ndarray:
        """``Tr[h_i D rho_0(beta)] = <D^dag(h_i)>_beta`` (paper Eqs. 21 and 25: ``theta g2_i``), shape ``(N-1,)``."""
        return self.source_diag @ self.weights(beta)

    def source_slope(self, beta: float) -> np.ndarray:
        """``d Tr[h_i D rho_0(T)] / dT`` at ``T = 1/beta``: the row sums of :meth:`response_matrix`."""
        w = self.weights(beta)
        dE = self.E - w @ self.E
        return float(beta) ** 2 * (self.source_diag @ (w * dE))  # d/dT = -beta^2 d/dbeta

    def g1(self, beta: float) -> np.ndarray:
        """Local relaxation couplings of paper Eq. 26/27, ``g1_i = -d Tr[h_i D rho_0(T)] / dT``."""
        return -self.source_slope(beta)

    def global_balance(self, beta: float) -> float:
        """``Tr[H D rho_0(beta)]``, the left-hand side of paper Eq. 19 (without ``eps``)."""
        return float(np.sum(self.source(beta)))

    def mean_beta(self, beta_max: float = 20.0) -> float:
        """The inverse temperature ``beta_bar`` solving paper Eq. 19, ``Tr[H D rho_0(beta)] = 0``.

        Parameters
        ----------
        beta_max : float
            The root is searched in ``[-beta_max, beta_max]``.

        Raises
        ------
        ValueError
            No sign change in the interval (the baths heat or cool at every
            temperature there).
        """
        beta_max = check_real("beta_max", beta_max, low=0.0, low_open=True, high=200.0)
        grid = np.linspace(-beta_max, beta_max, 401)
        f = np.array([self.global_balance(b) for b in grid])
        change = np.nonzero(np.sign(f[:-1]) * np.sign(f[1:]) <= 0)[0]
        if change.size == 0:
            raise ValueError(f"Tr[H D rho_0(beta)] does not change sign for |beta| <= {beta_max}: "
                             "no stationary mean temperature there (paper Eq. 19)")
        # the physical root is the one closest to infinite temperature
        k = change[np.argmin(np.abs(grid[change]))]
        if f[k] == 0.0:
            return float(grid[k])
        return float(brentq(self.global_balance, grid[k], grid[k + 1], xtol=1e-14, rtol=1e-14))

    # -- local temperatures (Duhamel) ---------------------------------------------------------
    def response_matrix(self, beta: float) -> np.ndarray:
        """``M_ij = d Tr[h_i D rho({T})] / d T_j`` at ``T_j = 1/beta`` (paper Eqs. 18, 22, 26).

        ``rho({T}) ~ exp(-sum_j h_j / T_j)`` (module docstring); ``N <= RESPONSE_MAX_N``.

        Returns
        -------
        ndarray, shape (N-1, N-1)
        """
        if self.N > RESPONSE_MAX_N:
            raise ValueError(f"response_matrix needs N <= {RESPONSE_MAX_N} (dense 2**N x 2**N operators "
                             f"per island), got N = {self.N}; use g1() for the local couplings")
        beta = check_real("beta", beta)
        w = self.weights(beta)
        dE = self.E[:, None] - self.E[None, :]  # E_m - E_n
        dw = w[None, :] - w[:, None]  # w_n - w_m
        small = np.abs(beta * dE) < 1e-10
        with np.errstate(divide="ignore", invalid="ignore"):
            F = np.where(small, 0.5 * (w[:, None] + w[None, :]), dw / np.where(small, 1.0, beta * dE))
        V = self.V
        src = [V.T @ (op @ V) for op in self._src_ops]
        M = np.empty((self.N - 1, self.N - 1))
        s = self.source(beta)
        e = self.energy(beta)
        for j, op in enumerate(self._h_ops):
            hj = (V.T @ (op @ V)) * F
            for i, A in enumerate(src):
                # d s_i / d beta_j = -sum_mn A_nm (h_j)_mn F_mn + s_i <h_j>   (A Hermitian: A_nm = conj(A_mn))
                M[i, j] = -np.sum(A.conj() * hj).real + s[i] * e[j]
        return -(beta**2) * M


@dataclass
class NetworkIngredients:
    """The ingredients of the network of paper Eq. 27 at one inverse temperature (:func:`network_ingredients`).

    Attributes
    ----------
    beta : float
    source : ndarray, shape (N-1,)
        ``theta g2_i`` (paper Eq. 25).
    g1 : ndarray, shape (N-1,)
        ``g1_i`` from the spectrum (paper Eq. 26).
    response : ndarray, shape (N-1, N-1)
        ``M_ij`` (:meth:`LocalGibbs.response_matrix`).
    """

    beta: float
    source: np.ndarray
    g1: np.ndarray
    response: np.ndarray

    @property
    def source_mean(self) -> float:
        """``|mean_i theta g2_i| / max_i |theta g2_i|``: zero at ``beta_bar`` (paper Eq. 19)."""
        return float(abs(np.mean(self.source)) / np.abs(self.source).max())

    @property
    def rowsum_error(self) -> float:
        """``max_i |-sum_j M_ij - g1_i|``: zero, since ``sum_j h_j = H`` (paper Eq. 26)."""
        return float(np.abs(-self.response.sum(axis=1) - self.g1).max())


def network_ingredients(gibbs: LocalGibbs, beta: float) -> NetworkIngredients:
    """Sources, couplings and the response matrix of one chain at ``beta`` (paper Eqs. 25, 26).

    Parameters
    ----------
    gibbs : LocalGibbs
        The chain and its baths, ``N <= RESPONSE_MAX_N``.
    beta : float
        Inverse temperature, usually ``beta_bar`` of paper Eq. 19 (:meth:`LocalGibbs.mean_beta`).

    Returns
    -------
    NetworkIngredients
    """
    if not isinstance(gibbs, LocalGibbs):
        raise TypeError(f"gibbs must be a LocalGibbs, got {type(gibbs).__name__}")
    if gibbs.N > RESPONSE_MAX_N:
        raise ValueError(f"network_ingredients needs N <= {RESPONSE_MAX_N} (the response matrix), got N = {gibbs.N}")
    beta = check_real("beta", beta)
    return NetworkIngredients(beta, gibbs.source(beta), gibbs.g1(beta), gibbs.response_matrix(beta))
