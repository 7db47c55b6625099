r"""From the Lindblad equation to the heat equation with sources (paper supplement Eqs. 18-27).

On the ergodic side the steady state of paper Eq. 7 approaches a Gibbs state as
``eps -> 0``.  Expanding it in small local temperature variations around the
Gibbs state :math:`\rho_0(\bar T) = e^{-H/\bar T}/Z` (paper Eq. 18),

.. math:: \rho \approx \rho_0(\bar T) + \sum_j \delta T_j\,\partial\rho/\partial T_j ,

turns the exact energy balance of every island
(:mod:`mbl_open.hydrodynamics.energy`, paper Eqs. 20-23)

.. math:: 0 = \langle j_{i-1,i}\rangle - \langle j_{i,i+1}\rangle + \varepsilon\langle D^\dagger(h_i)\rangle

into the resistor-network equation (paper Eq. 3 / paper Eq. 27) with

* mean temperature :math:`\bar T = 1/\bar\beta` from the global balance
  :math:`\mathrm{Tr}[H D\rho_0(\bar\beta)] = 0` (paper Eq. 19), :meth:`LocalGibbs.mean_beta`;
* link conductances :math:`\Gamma_{i,i+1} = \langle j_{i,i+1}\rangle/(T_i - T_{i+1})`
  (paper Eqs. 23-24), :func:`link_conductances`;
* sources :math:`\theta g_{2,i} = \mathrm{Tr}[h_i D\rho_0(\bar\beta)]` (paper Eq. 25),
  zero on average over islands because of paper Eq. 19, :meth:`LocalGibbs.source`;
* relaxation couplings :math:`g_{1,i} = -\sum_j \partial\,\mathrm{Tr}[h_i D\rho]/\partial T_j`
  (paper Eq. 26), :meth:`LocalGibbs.g1`.

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
matrix elements; paper Eq. 27's local coupling :math:`g_1` is minus that row sum
(exact for a temperature profile that varies slowly on the range of :math:`M`).

All Gibbs quantities are computed by full diagonalisation, ``N <= 12``
(the response matrix: ``N <= 10``).
"""
from __future__ import annotations

from .compare import HydroComparison, compare_with_network, link_conductances
from .energy import (EnergyBalance, adjoint_dissipator, energy_balance, energy_currents, energy_densities,
                     energy_source_operators, window_expectations, window_size)
from .gibbs import RESPONSE_MAX_N, LocalGibbs, NetworkIngredients, network_ingredients
from .survey import HydroSurvey, hydro_ladder, hydro_survey

__all__ = [
    "RESPONSE_MAX_N",
    "LocalGibbs",
    "NetworkIngredients",
    "network_ingredients",
    "link_conductances",
    "HydroComparison",
    "compare_with_network",
    "hydro_ladder",
    "HydroSurvey",
    "hydro_survey",
    "EnergyBalance",
    "energy_balance",
    "energy_currents",
    "energy_densities",
    "energy_source_operators",
    "adjoint_dissipator",
    "window_expectations",
    "window_size",
]
