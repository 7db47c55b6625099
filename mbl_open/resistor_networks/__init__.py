"""Resistor-network models of the Griffiths regime (paper Eqs. 3, 13-17).

Islands with temperatures ``T_i`` are joined by insulating links of random
length ``l``; a link conducts heat with ``Gamma = eps kappa0 / l**(2-d) +
G0 exp(-l/a)`` (paper Eq. 13).  Modules:

disorder
    Link lengths ``p(l) ~ exp(-(l/xi)**d)``, couplings ``g1, g2`` and conductances.
solvers
    Batched steady-state solvers: stable elimination for chains, banded
    Cholesky for square lattices.
thermal
    ``thermal_fluctuations`` (paper Eq. 3, paper Figs. 1 and 4) and ``spreading_width``
    (paper Eq. 17, paper Fig. 7).
charge
    ``charge_current``: Kirchhoff networks without sinks (paper Eqs. 4, 15, 16; paper Figs. 5, 6);
    ``current_exponent`` (1D) and ``current_density_2d`` (2D), the fits of those figures;
    ``chain_current_comparison``: the 1D current against the forms of paper Eq. 5.
exponents
    ``open_system_z`` and ``closed_system_z``: power-law fits with jackknife errors;
    ``diffusive_window_z``: the 2D fit inside the window ``diffusive_window`` places.
"""
from .charge import (
    PAPER_CHARGE_MODEL,
    CurrentDensity2D,
    LAW_FORMS,
    ChainCurrentComparison,
    chain_current_comparison,
    chain_current_law,
    charge_current,
    current_density_2d,
    current_exponent,
    crossover_length,
    current_samples,
    mean_link_resistance,
    mean_link_resistance_asymptotic,
    long_link_fraction,
)
from .disorder import PAPER_MODEL, Disorder, conductance, draw_disorder, link_lengths, reduced_conductance
from .exponents import ExponentFit, closed_system_z, diffusive_window, diffusive_window_z, open_system_z
from .solvers import solve_chain, solve_grid
from .thermal import (
    fluctuation_ratio,
    fluctuation_samples,
    spreading_samples,
    spreading_width,
    steady_temperatures,
    temperature_deviations,
    thermal_fluctuations,
)

__all__ = [
    "PAPER_MODEL",
    "PAPER_CHARGE_MODEL",
    "charge_current",
    "CurrentDensity2D",
    "LAW_FORMS",
    "ChainCurrentComparison",
    "chain_current_comparison",
    "chain_current_law",
    "current_density_2d",
    "current_exponent",
    "long_link_fraction",
    "crossover_length",
    "mean_link_resistance",
    "mean_link_resistance_asymptotic",
    "current_samples",
    "ExponentFit",
    "closed_system_z",
    "diffusive_window",
    "diffusive_window_z",
    "open_system_z",
    "spreading_samples",
    "Disorder",
    "conductance",
    "draw_disorder",
    "fluctuation_ratio",
    "fluctuation_samples",
    "link_lengths",
    "reduced_conductance",
    "solve_chain",
    "solve_grid",
    "spreading_width",
    "steady_temperatures",
    "temperature_deviations",
    "thermal_fluctuations",
]
