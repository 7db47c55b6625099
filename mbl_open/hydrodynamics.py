r"""From the Lindblad equation to the heat equation with sources (seed supplement Eqs. 18-27).

On the ergodic side the steady state of Eq. 7 approaches a Gibbs state as
``eps -> 0``.  Expanding it in small local temperature variations around the
Gibbs state :math:`\rho_0(\bar T) = e^{-H/\bar T}/Z` (Eq. 18),

.. math:: \rho \approx \rho_0(\bar T) + \sum_j \delta T_j\,\partial\rho/\partial T_j ,

turns the exact energy balance of every island
(:mod:`mbl_open.lindblad.energy`, Eqs. 20-23)

.. math:: 0 = \langle j_{i-1,i}\rangle - \langle j_{i,i+1}\rangle + \varepsilon\langle D^\dagger(h_i)\rangle

into the resistor-network equation (Eq. 3 / Eq. 27) with

* mean temperature :math:`\bar T = 1/\bar\beta` from the global balance
  :math:`\mathrm{Tr}[H D\rho_0(\bar\beta)] = 0` (Eq. 19), :meth:`LocalGibbs.mean_beta`;
* link conductances :math:`\Gamma_{i,i+1} = \langle j_{i,i+1}\rangle/(T_i - T_{i+1})`
  (Eqs. 23-24), :func:`link_conductances`;
* sources :math:`\theta g_{2,i} = \mathrm{Tr}[h_i D\rho_0(\bar\beta)]` (Eq. 25),
  zero on average over islands because of Eq. 19, :meth:`LocalGibbs.source`;
* relaxation couplings :math:`g_{1,i} = -\sum_j \partial\,\mathrm{Tr}[h_i D\rho]/\partial T_j`
  (Eq. 26), :meth:`LocalGibbs.g1`.

Local temperatures
------------------
``partial rho / partial T_j`` needs a state with a temperature per island; we
take the local Gibbs state :math:`\rho(\{T\}) \propto \exp(-\sum_j h_j/T_j)`,
which is :math:`\rho_0` when all :math:`T_j = \bar T`.  Its derivative is given by
Duhamel's formula; in the eigenbasis :math:`H|n\rangle = E_n|n\rangle`, with
Boltzmann weights :math:`w_n`,

.. math::
    \frac{\partial \rho}{\partial\beta_j}\Big|_{mn}
    = -(h_j)_{mn}\,\frac{w_n - w_m}{\bar\beta(E_m - E_n)} + \langle h_j\rangle (\rho_0)_{mn}

(the fraction is :math:`w_m` when :math:`E_m = E_n`), and
:math:`\partial/\partial T_j = -\bar\beta^2\,\partial/\partial\beta_j`.
:meth:`LocalGibbs.response_matrix` returns the full matrix
:math:`M_{ij} = \partial\,\mathrm{Tr}[h_i D\rho]/\partial T_j`.  Because
:math:`\sum_j h_j = H`, its row sums are the response to a uniform temperature
change, :math:`d\,\mathrm{Tr}[h_i D\rho_0(T)]/dT`, which needs only diagonal
matrix elements; Eq. 27's local coupling :math:`g_1` is minus that row sum
(exact for a temperature profile that varies slowly on the range of :math:`M`).

All Gibbs quantities are computed by full diagonalisation, ``N <= 12``
(the response matrix: ``N <= 10``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.linalg as la
import scipy.sparse as sp
from scipy.optimize import brentq

from ._validate import check_choice, check_int, check_real, check_real_array
from .lindblad.energy import EnergyBalance, energy_balance, energy_densities, energy_source_operators
from .lindblad.liouvillian import check_jumps
from .lindblad.model import check_chain, hamiltonian
from .lindblad.thermometry import boltzmann_weights
from .lindblad.spins import embed
from .networks.thermal import steady_temperatures
from .progress import progress

__all__ = [
    "GIBBS_MAX_N",
    "RESPONSE_MAX_N",
    "LocalGibbs",
    "link_conductances",
    "HydroComparison",
    "compare_with_network",
    "hydro_ladder",
    "HydroSurvey",
    "hydro_survey",
]

#: Longest chain for the Gibbs quantities (dense diagonalisation of 2**N states).
GIBBS_MAX_N = 12
#: Longest chain for the full response matrix (dense 2**N x 2**N operators per island).
RESPONSE_MAX_N = 10


def _full_operator(window_ops: np.ndarray, N: int):
    """Sum of window operators ``(n_windows, d, d)`` embedded in the N-site chain (sparse)."""
    out = sp.csr_matrix((2**N, 2**N), dtype=complex)
    for w, op in enumerate(window_ops):
        out = out + embed(op, w, N)
    return out.tocsr()


class LocalGibbs:
    """Gibbs states of one disordered chain and their response to the baths (Eqs. 18-26).

    Parameters
    ----------
    N, h, zeta_z, zeta_x
        Chain of Eq. 6, ``2 <= N <= GIBBS_MAX_N``.
    jumps : sequence of Jump
        The baths (e.g. :func:`~mbl_open.lindblad.model.paper_jumps`), without ``eps``.

    Attributes
    ----------
    E : ndarray, shape (2**N,)
        Eigenvalues of ``H``.
    h_diag, source_diag : ndarray, shape (N-1, 2**N)
        ``<n|h_i|n>`` and ``<n|D^dag(h_i)|n>`` for every eigenstate.
    """

    def __init__(self, N, h, zeta_z, zeta_x, jumps):
        N, h, zeta_z, zeta_x = check_chain(N, h, zeta_z, zeta_x)
        if N > GIBBS_MAX_N:
            raise ValueError(f"LocalGibbs needs N <= {GIBBS_MAX_N} (full diagonalisation of 2**N states), got N = {N}")
        self.jumps = check_jumps(jumps, N, max_sites=2)
        self.N, self.h, self.zeta_z, self.zeta_x = N, h, zeta_z, zeta_x
        self.E, self.V = la.eigh(hamiltonian(N, h, zeta_z, zeta_x).toarray())
        hb = energy_densities(N, h, zeta_z, zeta_x)
        self._h_ops = [embed(hb[i], i, N).tocsr() for i in range(N - 1)]
        src = energy_source_operators(N, h, zeta_z, zeta_x, self.jumps)
        self._src_ops = [_full_operator(src[i], N) for i in range(N - 1)]
        self.h_diag = np.array([np.einsum("in,in->n", self.V, (op @ self.V).real) for op in self._h_ops])
        self.source_diag = np.array([np.einsum("in,in->n", self.V, (op @ self.V).real) for op in self._src_ops])

    # -- Gibbs averages -------------------------------------------------------------------------
    def thermal_reference(self, beta_max: float = 2.0):
        """The exact thermometer reference of this chain, from the spectrum already at hand.

        Same as :func:`~mbl_open.lindblad.thermometry.thermal_reference` with
        ``method='exact'``, without diagonalising ``H`` a second time.
        """
        from .lindblad.thermometry import reference_from_spectrum

        return reference_from_spectrum(self.E, self.V, beta_max=beta_max)

    def weights(self, beta: float) -> np.ndarray:
        """Boltzmann weights ``w_n = exp(-beta E_n) / Z``."""
        return boltzmann_weights(self.E, check_real("beta", beta))

    def energy(self, beta: float) -> np.ndarray:
        """``<h_i>`` in ``rho_0(beta)``, shape ``(N-1,)``."""
        return self.h_diag @ self.weights(beta)

    def source(self, beta: float) -> np.ndarray:
        """``Tr[h_i D rho_0(beta)] = <D^dag(h_i)>_beta`` (Eqs. 21 and 25: ``theta g2_i``), shape ``(N-1,)``."""
        return self.source_diag @ self.weights(beta)

    def source_slope(self, beta: float) -> np.ndarray:
        """``d Tr[h_i D rho_0(T)] / dT`` at ``T = 1/beta``: the row sums of :meth:`response_matrix`."""
        w = self.weights(beta)
        dE = self.E - w @ self.E
        return float(beta) ** 2 * (self.source_diag @ (w * dE))  # d/dT = -beta^2 d/dbeta

    def g1(self, beta: float) -> np.ndarray:
        """Local relaxation couplings of Eq. 26/27, ``g1_i = -d Tr[h_i D rho_0(T)] / dT``."""
        return -self.source_slope(beta)

    def global_balance(self, beta: float) -> float:
        """``Tr[H D rho_0(beta)]``, the left-hand side of Eq. 19 (without ``eps``)."""
        return float(np.sum(self.source(beta)))

    def mean_beta(self, beta_max: float = 20.0) -> float:
        """The inverse temperature ``beta_bar`` solving Eq. 19, ``Tr[H D rho_0(beta)] = 0``.

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
                             "no stationary mean temperature there (Eq. 19)")
        # the physical root is the one closest to infinite temperature
        k = change[np.argmin(np.abs(grid[change]))]
        if f[k] == 0.0:
            return float(grid[k])
        return float(brentq(self.global_balance, grid[k], grid[k + 1], xtol=1e-14, rtol=1e-14))

    # -- local temperatures (Duhamel) ---------------------------------------------------------
    def response_matrix(self, beta: float) -> np.ndarray:
        """``M_ij = d Tr[h_i D rho({T})] / d T_j`` at ``T_j = 1/beta`` (Eqs. 18, 22, 26).

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


def link_conductances(current, T) -> np.ndarray:
    """Effective link conductances ``Gamma_{i,i+1} = <j_{i,i+1}> / (T_i - T_{i+1})`` (Eqs. 23-24).

    Parameters
    ----------
    current : array_like, shape (N-2,)
        Energy currents between neighbouring islands (bonds).
    T : array_like, shape (N-1,)
        Local temperatures of the islands.

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
        raise ValueError("equal temperatures on the two ends of a link: its conductance is undefined")
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
        Eq. 19's mean inverse temperature.
    balance : EnergyBalance
        Measured energies, currents and sources of the steady state.
    Gamma : ndarray, shape (N-2,)
        Effective link conductances (Eqs. 23-24).
    g1, theta_g2 : ndarray, shape (N-1,)
        Eq. 26 and Eq. 25 evaluated at ``beta_bar``.
    T_pred : ndarray, shape (N-1,) or None
        Eq. 3 solved with ``Gamma``, ``g1``, ``theta_g2``, ``T0 = 1/beta_bar``;
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
        """``(mean_i beta_i - beta_bar) / beta_bar``: how far the steady state's mean is from Eq. 19."""
        return float((np.mean(self.betas) - self.beta_bar) / self.beta_bar)

    @property
    def fourier_fraction(self) -> float:
        """Fraction of links with ``Gamma > 0`` (heat flows from hot to cold, Fourier's law)."""
        return float(np.mean(self.Gamma > 0)) if np.all(np.isfinite(self.Gamma)) else float("nan")

    @property
    def source_linear(self) -> np.ndarray:
        """The bath source expanded to first order, ``theta g2_i - g1_i (T_i - T_bar)`` (Eqs. 25-27)."""
        return self.theta_g2 - self.g1 * (self.T - 1.0 / self.beta_bar)

    @property
    def source_error(self) -> float:
        """``|source_linear - <D^dag(h_i)>| / |<D^dag(h_i)>|`` (2-norms over islands): quality of Eqs. 25-26."""
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
    """Test the hydrodynamic description (Eq. 27) on one steady state.

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
        Eq. 19's solution, if already computed (it does not depend on ``eps``).

    Returns
    -------
    HydroComparison
    """
    N = gibbs.N
    if N < 3:
        raise ValueError(f"the network comparison needs N >= 3 (at least one link), got N = {N}")
    eps = check_real("eps", eps, low=0.0, low_open=True)
    betas = np.asarray(betas, dtype=float)
    if betas.shape != (N - 1,):
        raise ValueError(f"betas must have length N-1 = {N - 1}, got shape {betas.shape}")
    bal = energy_balance(rdms3, N, gibbs.h, eps, gibbs.zeta_z, gibbs.zeta_x, gibbs.jumps)
    beta_bar = gibbs.mean_beta() if beta_bar is None else check_real("beta_bar", beta_bar)
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


def hydro_ladder(N, h, eps_values, zeta_z, zeta_x, *, method="exact", chi=32, sign="-+", beta_max=4.0,
                 **solver_options) -> list[HydroComparison]:
    """Steady states of one chain on a ladder of ``eps``, each compared with the network (Eq. 27).

    Parameters
    ----------
    N, h, zeta_z, zeta_x
        Chain of Eq. 6 (``N <= 9`` for ``'exact'``, ``3 <= N <= GIBBS_MAX_N``).
    eps_values : sequence of float
        Bath couplings; results come back in decreasing ``eps``.
    method : {'exact', 'tebd'}
        ``'tebd'`` runs :func:`~mbl_open.lindblad.steady.tebd_ladder` (warm
        starts, three-site RDMs) with ``chi`` and ``solver_options``.
    sign : str
        Reading of Eq. 8.
    beta_max : float
        Range of the thermometer fits.

    Returns
    -------
    list of HydroComparison
    """
    from .lindblad import EXACT_MAX_N, fit_betas, paper_jumps, solve_steady_state, tebd_ladder

    N, h, zeta_z, zeta_x = check_chain(N, h, zeta_z, zeta_x)
    eps_values = sorted((check_real("eps", e, low=0.0, low_open=True) for e in eps_values), reverse=True)
    if not eps_values:
        raise ValueError("eps_values must not be empty")
    check_choice("method", method, ("exact", "tebd"))
    if N < 3 or N > GIBBS_MAX_N:
        raise ValueError(f"hydro_ladder needs 3 <= N <= {GIBBS_MAX_N} (a link, and a diagonalisable H), got N = {N}")
    if method == "exact" and N > EXACT_MAX_N:
        raise ValueError(f"method='exact' needs N <= {EXACT_MAX_N}, got N = {N}; use method='tebd'")
    jumps = paper_jumps(N, sign)
    gibbs = LocalGibbs(N, h, zeta_z, zeta_x, jumps)
    beta_bar = gibbs.mean_beta()
    ref = gibbs.thermal_reference(beta_max)
    if method == "exact":
        states = [solve_steady_state(N, h, e, zeta_z, zeta_x, method="exact", sign=sign, **solver_options)
                  for e in eps_values]
    else:
        states = tebd_ladder(N, h, eps_values, zeta_z, zeta_x, chi=chi, sign=sign, three_site=True,
                             **solver_options)
    out = []
    for st in states:
        c = compare_with_network(st.rdms3, fit_betas(st.rdms, ref), gibbs, st.params["eps"], beta_bar=beta_bar)
        c.extra["diagnostics"] = st.diagnostics
        out.append(c)
    return out


@dataclass
class HydroSurvey:
    """How well the hydrodynamic description works, over disorder and ``eps`` (exact solver).

    Arrays have shape ``(len(h_values), n_realisations, len(eps_values))``;
    ``gap0`` (the rate-equation limit ``eps -> 0``) has no ``eps`` axis.
    """

    N: int
    h_values: np.ndarray
    eps_values: np.ndarray
    seed: int
    beta_bar: np.ndarray
    gap: np.ndarray
    gap0: np.ndarray
    fourier: np.ndarray
    source_error: np.ndarray
    profile_error: np.ndarray
    shape_error: np.ndarray

    def median(self, name: str) -> np.ndarray:
        """Median over realisations of one metric, shape ``(len(h_values), len(eps_values))``
        (``(len(h_values),)`` for ``gap0``); absolute values for the gaps."""
        a = getattr(self, name)
        if name.startswith("gap"):
            a = np.abs(a)
        return np.nanmedian(a, axis=1)


def hydro_survey(N, h_values, eps_values, n_realisations, seed) -> HydroSurvey:
    """Run :func:`hydro_ladder` (exact solver) for every ``h`` and realisation, plus the ``eps -> 0`` limit.

    Realisation ``r`` at disorder ``h`` uses
    ``draw_fields(N, (seed, round(1000 h), r))``.

    Parameters
    ----------
    N : int
        ``3 <= N <= 9``.
    h_values, eps_values : sequence of float
    n_realisations : int
    seed : int
    """
    from .lindblad import EXACT_MAX_N, draw_fields, fit_betas, paper_jumps, rate_equation_steady_state
    from .lindblad import thermal_reference

    N = check_int("N", N, low=3, high=EXACT_MAX_N)
    h_values = check_real_array("h_values", h_values, low=0.0, ndim=1)
    eps_values = np.array(sorted(check_real_array("eps_values", eps_values, low=0.0, low_open=True, ndim=1),
                                 reverse=True))
    R = check_int("n_realisations", n_realisations, low=1)
    seed = check_int("seed", seed, low=0)
    shape = (h_values.size, R, eps_values.size)
    gap, fourier, src, prof, shp = (np.full(shape, np.nan) for _ in range(5))
    gap0, beta_bar = np.full(shape[:2], np.nan), np.full(shape[:2], np.nan)
    jumps = paper_jumps(N)
    tasks = [(k, h, r) for k, h in enumerate(h_values) for r in range(R)]
    for k, h, r in progress(tasks, desc=f"hydrodynamics survey N={N}", unit="chain"):
        zz, zx = draw_fields(N, (seed, int(round(1000 * h)), r))
        ladder = hydro_ladder(N, h, eps_values, zz, zx, method="exact")
        for e, c in enumerate(ladder):
            gap[k, r, e], fourier[k, r, e] = c.beta_gap, c.fourier_fraction
            src[k, r, e], prof[k, r, e], shp[k, r, e] = c.source_error, c.profile_error, c.shape_error
        beta_bar[k, r] = ladder[0].beta_bar
        rho0 = rate_equation_steady_state(N, h, zz, zx, jumps).rdms()
        b0 = fit_betas(rho0, thermal_reference(N, h, zz, zx, beta_max=4.0))
        gap0[k, r] = (np.mean(b0) - beta_bar[k, r]) / beta_bar[k, r]
    return HydroSurvey(N, h_values, eps_values, seed, beta_bar, gap, gap0, fourier, src, prof, shp)
