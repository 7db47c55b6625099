"""The critical analysis of the disorder ensembles (paper Eq. 9, Figs. 2, 3, 8-10), one room per job.

Rooms, from numbers to words
----------------------------
statistics
    On plain arrays ``betas (R, E, B)``: ``dbeta/beta(eps)``, ``z`` in a
    window, ``P(h)``, ``h_c``, the divergence fits of ``z(h)`` (``nu``, KT).
models
    Models of ``dbeta/beta(eps)`` with the covariance between ``eps`` values:
    power law, power law with a floor, lattice diffusion, the MBL intercept;
    chi2 probabilities and information criteria.
diffusion
    The ``z = 2`` null hypothesis of a finite chain, and the effective ``z``
    a window fit returns for it.
slopes
    Local slopes between neighbouring ``eps``; ``z`` with its systematic error.
rules
    What may be claimed: a resolved ``z``, a well-sampled size, a crossing
    the grid places (otherwise a bound).  Defined once, used everywhere.
summaries
    A dataset's numbers per chain length (needs an ``Ensemble``).
convergence
    Bond-dimension and reproduction checks on shared chains (paper Fig. 8).
tables
    Text tables, and the paper's numbers printed beside them.
phrases, convergence_phrases
    One data-dependent clause each, for the prose of the critical-point and
    the convergence chapters (a value or a bound, a drift or none); the
    sentences stay in the chapters' Markdown.

Every public name is also available here (``from mbl_open import critical as cp; cp.fit_z``).
"""
from . import rules
from . import convergence_phrases
from .convergence import SameChains, chi_convergence, chi_convergence_to_largest, same_chains_difference
from .diffusion import diffusion_curve, effective_z
from .models import (ACCEPTABLE_P, MODELS, ModelComparison, ModelFit, compare_models, fit_model,
                     order_parameter_covariance)
from .slopes import LocalSlopes, ZEstimate, local_slopes, z_with_systematics
from .statistics import (CriticalFit, ZFit, critical_disorder, fit_critical_exponent, fit_probability, fit_z,
                         nu_sensitivity, order_parameter, order_parameter_realisations, slope_probability)
from .summaries import (CriticalPointSummary, LimitComparison, SizeComparison, SizeRow, compare_limit, compare_sizes,
                        resolved, size_drift, size_row, summarise, well_sampled_minimum, z_by_size)
from .phrases import (crossings_clause, drift_clause, fit_quality_clause, fit_verdict, hc_text, intercept_clause,
                      limit_regime_text, nu_points_clause, nu_range_clause, paper_clause, plateau_clause, pull_clause,
                      size_difference_clause, trend_clause, window_shift_clause)
from .tables import (PAPER_N20, PAPER_N20_VALUES, format_chi_table, format_limit_comparison, format_model_table,
                     format_size_comparison, format_size_table, format_z_estimates, model_table, size_table)

__all__ = [
    # statistics
    "order_parameter", "order_parameter_realisations", "ZFit", "fit_z", "slope_probability", "critical_disorder",
    "CriticalFit", "fit_probability", "fit_critical_exponent", "nu_sensitivity",
    # models, diffusion, slopes
    "MODELS", "ACCEPTABLE_P", "ModelFit", "ModelComparison", "order_parameter_covariance", "fit_model",
    "compare_models", "diffusion_curve", "effective_z", "LocalSlopes", "local_slopes", "ZEstimate",
    "z_with_systematics",
    # rules, the convergence chapter's clauses
    "rules", "convergence_phrases",
    # summaries, convergence, tables
    "CriticalPointSummary", "summarise", "resolved", "SizeRow", "size_row", "size_drift", "SizeComparison",
    "compare_sizes", "z_by_size", "well_sampled_minimum", "LimitComparison", "compare_limit", "format_limit_comparison", "limit_regime_text", "chi_convergence",
    "chi_convergence_to_largest", "SameChains",
    "same_chains_difference", "PAPER_N20", "PAPER_N20_VALUES", "hc_text", "fit_verdict", "format_model_table",
    "format_size_table", "size_table", "model_table", "format_chi_table", "format_z_estimates",
    "format_size_comparison",
    # phrases
    "plateau_clause", "intercept_clause", "pull_clause", "fit_quality_clause", "paper_clause", "nu_range_clause",
    "size_difference_clause", "drift_clause", "crossings_clause", "nu_points_clause", "trend_clause",
    "window_shift_clause",
]
