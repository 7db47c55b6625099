"""Short phrases for the convergence chapter's prose: each function returns one data-dependent clause or word.

The sentences live in the chapter's Markdown; these functions decide only the
part that depends on the data (a trend or none, below or above a threshold),
and are tested.  The critical-point chapter's clauses are in
:mod:`~mbl_open.critical.phrases`.
"""
from __future__ import annotations

import numpy as np

from ..infrastructure._validate import check_real, check_real_array

__all__ = ["below_or_above", "shrink_clause", "noise_clause", "collapse_clause", "monotone_clause",
           "size_verdict_clause", "direction_word", "sizes_per_h_clause", "fit_range_clause", "list_or_none"]

#: The spread of relaxation rates (in units of eps) within which records count as collapsing against eps t.
COLLAPSE_TOLERANCE = 0.3


def below_or_above(value, limit) -> str:
    """``'below'`` or ``'above'`` (at or above) ``limit``."""
    return "below" if check_real("value", value) < check_real("limit", limit) else "above"


def shrink_clause(rel) -> str:
    """Whether the change of ``dbeta/beta`` shrinks with ``chi`` at every ``eps`` (``rel``: ``chi -> array``)."""
    if not isinstance(rel, dict) or not rel:
        raise TypeError("rel must be a non-empty dict chi -> relative changes per eps")
    chis = sorted(rel)
    shrinks = all(np.all(np.asarray(rel[a]) >= np.asarray(rel[b])) for a, b in zip(chis, chis[1:]))
    return ("the change shrinks with $\\chi$ at every $\\varepsilon$" if shrinks else
            "the change does not shrink with $\\chi$ at every $\\varepsilon$")


def noise_clause(eps_noisy, chi_from, chi_to) -> str:
    """Where the last ``chi`` step of a table is within five times the reproducibility of one chain."""
    eps_noisy = np.asarray(eps_noisy, dtype=float).ravel()
    if not eps_noisy.size:
        return (f"at every $\\varepsilon$ the step from $\\chi = {chi_from}$ to {chi_to} is more than five times "
                "that reproducibility, so the table measures bond dimension")
    eps_noisy = check_real_array("eps_noisy", eps_noisy, ndim=1)
    return (f"at $\\varepsilon = {', '.join(f'{e:g}' for e in eps_noisy)}$ the step from $\\chi = {chi_from}$ to "
            f"{chi_to} is within five times that $\\varepsilon$'s own reproducibility, so there the last step of the "
            "table is stopping noise as much as bond dimension")


def collapse_clause(spread, tolerance: float = COLLAPSE_TOLERANCE) -> str:
    """Whether relaxation rates with relative ``spread`` collapse against ``eps t``."""
    spread = check_real("spread", spread, low=0.0)
    if spread < tolerance:
        return (f"within the {tolerance:.0%} the chapter's check asks of the live run: plotted against "
                "$\\varepsilon t$ the records collapse at this size too")
    return (f"more than the {tolerance:.0%} the chapter's check asks of the live run, so at this size the collapse "
            "against $\\varepsilon t$ is only rough")


def monotone_clause(rates) -> str:
    """Whether the rates (ordered by decreasing ``eps``) grow at every step as ``eps`` falls."""
    rates = check_real_array("rates", rates, ndim=1)
    return ("the rate grows steadily as $\\varepsilon$ falls" if np.all(np.diff(rates) > 0) else
            "the rate does not grow steadily as $\\varepsilon$ falls")


def size_verdict_clause(pull) -> str:
    """``z`` over sizes, from its largest move in combined errors: within its errors, about, or beyond."""
    pull = abs(check_real("pull", pull))
    if pull < 1:
        return "$z$ does not move beyond its errors"
    if pull < 2:
        return "$z$ does not move beyond about its errors"
    return "$z$ moves with $N$ by more than its errors"


def direction_word(pull) -> str:
    """``'up'`` or ``'down'``: the sign of a difference."""
    return "up" if check_real("pull", pull) > 0 else "down"


def sizes_per_h_clause(by_size) -> str:
    """Which chain length holds which ``h``, e.g. "N = 16 at h = 1, 2, 3; N = 20 at h = 2, 4" (Markdown math)."""
    if not isinstance(by_size, dict):
        raise TypeError(f"by_size must be a dict N -> list of h, got {type(by_size).__name__}")
    return "; ".join(f"N = {n} at $h$ = {', '.join(f'{h:g}' for h in hs)}" for n, hs in sorted(by_size.items()) if hs)


def fit_range_clause(eps, eps_min_fits) -> str:
    """Whether a coupling lies among those the fits of ``z`` use (``eps >= eps_min_fits``)."""
    eps, eps_min_fits = check_real("eps", eps, low=0.0), check_real("eps_min_fits", eps_min_fits, low=0.0)
    if eps < eps_min_fits:
        return (f"lies at $\\varepsilon = {eps:g}$, below the couplings the fits of $z$ use "
                f"($\\varepsilon \\ge {eps_min_fits:g}$), which leave it out")
    return (f"lies at $\\varepsilon = {eps:g}$, among the couplings the fits of $z$ use "
            f"($\\varepsilon \\ge {eps_min_fits:g}$)")


def list_or_none(names) -> str:
    """Names joined by commas, in code style, or ``'none'``."""
    names = [str(n) for n in names]
    return ", ".join(f"`{n}`" for n in names) if names else "none"
