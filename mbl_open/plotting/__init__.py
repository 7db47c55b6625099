"""Figure helpers of the book: the style (:mod:`.style`) and one module of figures per part of the book.

Every helper draws on axes it is given and returns them, so a chapter cell
creates the figure (:func:`subplots`), calls one helper and shows it.  Legends added in a chapter go
through :func:`legend` (placed off the data) and log axes through :func:`label_axes` (labels that do not
crowd).
"""
from .critical import plot_order_parameter, plot_slope_probability, plot_z_divergence, plot_z_fits
from .critical import plot_chi_convergence, plot_eps_slopes, plot_size_comparison, plot_z_by_size
from .hydro import plot_fourier_links, plot_mean_beta, plot_network_ingredients, plot_profiles, plot_survey_curves
from .lindblad import plot_chi_scan, plot_order_parameter_approach, plot_pauli_scatter, plot_rdm_diagonals
from .lindblad import plot_relaxation
from .networks import plot_exponent_fits, plot_local_slopes
from .style import MARKERS, PAGE_WIDTH, PALETTE, exponent_text, label_axes, legend, log_ticks, style, subplots

__all__ = ["PALETTE", "MARKERS", "PAGE_WIDTH", "subplots", "label_axes", "log_ticks", "legend", "exponent_text",
           "style", "plot_relaxation",
           "plot_order_parameter_approach", "plot_order_parameter",
           "plot_z_fits", "plot_slope_probability", "plot_z_divergence", "plot_exponent_fits", "plot_survey_curves",
           "plot_mean_beta", "plot_fourier_links", "plot_profiles", "plot_network_ingredients",
           "plot_local_slopes",
           "plot_size_comparison", "plot_chi_convergence", "plot_z_by_size", "plot_eps_slopes",
           "plot_pauli_scatter", "plot_rdm_diagonals", "plot_chi_scan"]
