"""The steady state against the resistor network built from it (paper supplement Eqs. 23-27).

:func:`link_conductances` reads Fourier's law off the measured currents,
:func:`compare_with_network` builds the network of paper Eq. 27 from a steady state
and measures how well it predicts that steady state (:class:`HydroComparison`).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..infrastructure._validate import check_array, check_instance, check_real, check_real_array
from ..resistor_networks.thermal import steady_temperatures
from .energy import EnergyBalance, energy_balance
from .gibbs import LocalGibbs

__all__ = ["link_conductances", "HydroComparison", "compare_with_network"]


def link_conductances(current, T) -> np.ndarray:
    """Effective link conductances ``Gamma_{i,i+1} = <j_{i,i+1}> / (T_i - T_{i+1})`` (paper Eqs. 23-24).

    Parameters
    ----------
    current : array_like, shape (N-2,)
        Energy currents between neighbouring islands (bonds).
    T : array_like, shape (N-1,)
        Local temperatures of the islands; neighbours must differ.

    Returns
    -------
    ndarray, shape (N-2,)
        Positive where heat flows from hot to cold (Fourier's law).
    """
    T = check_real_array("T", T, ndim=1)
    current = check_real_array("current", current, ndim=1)
    if current.size != T.size - 1:
        raise ValueError(f"current must have one entry per link, len(T) - 1 = {T.size - 1}, got {current.size}")
    dT = T[:-1] - T[1:]
    if np.any(dT == 0.0):
        k = int(np.flatnonzero(dT == 0.0)[0])
        raise ValueError(f"T must differ between the two ends of every link (the conductance divides by "
                         f"T_i - T_(i+1)); T[{k}] = T[{k + 1}] = {T[k]:g}")
    return current / dT


@dataclass
class HydroComparison:
    """One steady state against the hydrodynamic (resistor-network) description.

    Attributes
    ----------
    eps : float
    betas : ndarray, shape (N-1,)
        Fitted local inverse temperatures of the steady state.
    beta_bar : float
        paper Eq. 19's mean inverse temperature.
    balance : EnergyBalance
        Measured energies, currents and sources of the steady state.
    Gamma : ndarray, shape (N-2,)
        Effective link conductances (paper Eqs. 23-24).
    g1, theta_g2 : ndarray, shape (N-1,)
        paper Eq. 26 and paper Eq. 25 evaluated at ``beta_bar``.
    T_pred : ndarray, shape (N-1,) or None
        paper Eq. 3 solved with ``Gamma``, ``g1``, ``theta_g2``, ``T0 = 1/beta_bar``;
        ``None`` when the network is not defined (``reason`` says why).
    reason : str
        Empty when ``T_pred`` exists.
    """

    eps: float
    betas: np.ndarray
    beta_bar: float
    balance: EnergyBalance
    Gamma: np.ndarray
    g1: np.ndarray
    theta_g2: np.ndarray
    T_pred: np.ndarray | None
    reason: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def T(self) -> np.ndarray:
        """Measured local temperatures ``1 / beta_i``."""
        return 1.0 / self.betas

    @property
    def beta_gap(self) -> float:
        """``(mean_i beta_i - beta_bar) / beta_bar``: how far the steady state's mean is from paper Eq. 19."""
        return float((np.mean(self.betas) - self.beta_bar) / self.beta_bar)

    @property
    def fourier_fraction(self) -> float:
        """Fraction of links with ``Gamma > 0`` (heat flows from hot to cold, Fourier's law)."""
        return float(np.mean(self.Gamma > 0)) if np.all(np.isfinite(self.Gamma)) else float("nan")

    @property
    def source_linear(self) -> np.ndarray:
        """The bath source expanded to first order, ``theta g2_i - g1_i (T_i - T_bar)`` (paper Eqs. 25-27)."""
        return self.theta_g2 - self.g1 * (self.T - 1.0 / self.beta_bar)

    @property
    def source_error(self) -> float:
        """``|source_linear - <D^dag(h_i)>| / |<D^dag(h_i)>|`` (2-norms over islands): quality of paper Eqs. 25-26."""
        measured = self.balance.source
        return float(np.linalg.norm(self.source_linear - measured) / np.linalg.norm(measured))

    @property
    def profile_error(self) -> float:
        """rms of ``T_pred - T`` over the rms spread of ``T`` about its mean (``nan`` without a prediction).

        0 is a perfect prediction; 1 is as good as predicting a flat profile.
        """
        if self.T_pred is None:
            return float("nan")
        T = self.T
        return float(np.sqrt(np.mean((self.T_pred - T) ** 2)) / np.std(T))

    @property
    def shape_error(self) -> float:
        """:attr:`profile_error` with both profiles' means removed (the shape alone)."""
        if self.T_pred is None:
            return float("nan")
        T, P = self.T, self.T_pred
        return float(np.sqrt(np.mean(((P - P.mean()) - (T - T.mean())) ** 2)) / np.std(T))


def compare_with_network(rdms3, betas, gibbs: LocalGibbs, eps, *, beta_bar=None) -> HydroComparison:
    """Test the hydrodynamic description (paper Eq. 27) on one steady state.

    Parameters
    ----------
    rdms3 : ndarray, shape (N-2, 8, 8)
        Three-site RDMs of the steady state (``SteadyState.rdms3``).
    betas : array_like, shape (N-1,)
        Its fitted local inverse temperatures (:func:`~mbl_open.lindblad.thermometry.fit_betas`).
    gibbs : LocalGibbs
        The same chain and baths.
    eps : float
        Bath coupling of the steady state.
    beta_bar : float, optional
        paper Eq. 19's solution, if already computed (it does not depend on ``eps``).

    Returns
    -------
    HydroComparison
    """
    check_instance("gibbs", gibbs, LocalGibbs, "a LocalGibbs of the chain")
    N = gibbs.N
    if N < 3:
        raise ValueError(f"the network comparison needs N >= 3 (at least one link), got N = {N}")
    eps = check_real("eps", eps, low=0.0, low_open=True)
    betas = check_array("betas", betas, finite=False)  # a failed fit (nan) is reported in the result
    if betas.shape != (N - 1,):
        raise ValueError(f"betas must have length N-1 = {N - 1}, got shape {betas.shape}")
    bal = energy_balance(rdms3, gibbs.chain, eps, gibbs.jumps)
    if beta_bar is not None:
        beta_bar = check_real("beta_bar", beta_bar, low=-50.0, high=50.0)
        if beta_bar == 0:
            raise ValueError("beta_bar must not be 0 (T_bar = 1/beta_bar is the bath temperature of the network)")
    beta_bar = gibbs.mean_beta() if beta_bar is None else beta_bar
    g1 = gibbs.g1(beta_bar)
    theta_g2 = gibbs.source(beta_bar)
    nan = np.full(N - 2, np.nan)
    if not np.all(np.isfinite(betas)) or np.any(betas <= 0):
        return HydroComparison(eps, betas, beta_bar, bal, nan, g1, theta_g2, None,
                               "a local temperature is not positive and finite")
    try:
        Gamma = link_conductances(bal.current, 1.0 / betas)
    except ValueError as err:  # equal temperatures across a link
        return HydroComparison(eps, betas, beta_bar, bal, nan, g1, theta_g2, None, str(err))
    T_pred = steady_temperatures(Gamma, g1, theta_g2, eps=eps, T0=1.0 / beta_bar)
    return HydroComparison(eps, betas, beta_bar, bal, Gamma, g1, theta_g2, T_pred)
