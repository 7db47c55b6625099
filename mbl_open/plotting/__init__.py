"""Figure helpers of the book: the style (:mod:`.style`) and one module of figures per part of the book.

Every helper draws on axes it is given and returns them, so a chapter cell
creates the figure (:func:`subplots`), calls one helper and shows it.
"""
from .critical import plot_order_parameter, plot_slope_probability, plot_z_divergence, plot_z_fits
from .critical import plot_chi_convergence, plot_eps_slopes, plot_size_comparison, plot_z_by_size
from .hydro import plot_fourier_links, plot_mean_beta, plot_network_ingredients, plot_profiles, plot_survey_curves
from .lindblad import plot_chi_scan, plot_order_parameter_approach, plot_pauli_scatter, plot_rdm_diagonals
from .lindblad import plot_relaxation
from .networks import plot_exponent_fits, plot_local_slopes
from .style import MARKERS, PALETTE, label_axes, style, subplots

__all__ = ["PALETTE", "MARKERS", "subplots", "label_axes", "style", "plot_relaxation",
           "plot_order_parameter_approach", "plot_order_parameter",
           "plot_z_fits", "plot_slope_probability", "plot_z_divergence", "plot_exponent_fits", "plot_survey_curves",
           "plot_mean_beta", "plot_fourier_links", "plot_profiles", "plot_network_ingredients",
           "plot_local_slopes",
           "plot_size_comparison", "plot_chi_convergence", "plot_z_by_size", "plot_eps_slopes",
           "plot_pauli_scatter", "plot_rdm_diagonals", "plot_chi_scan"]
