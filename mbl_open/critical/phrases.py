"""Short phrases for the chapters' prose: each function returns one clause that a chapter glues.

A chapter's sentences live in its Markdown; where a sentence depends on the
data (a value or a bound, a drift or none), the data-dependent clause comes
from here, tested, and the rest of the sentence stays in the Markdown.  Each
function names in its docstring the words its clause follows.  The rules that
decide what may be claimed live in :mod:`~mbl_open.critical.rules`.
"""
from __future__ import annotations

import numpy as np

from ..infrastructure._validate import check_array, check_int, check_real, check_real_array
from . import rules

__all__ = ["hc_text", "fit_verdict", "limit_regime_text", "RATE_REGIME_FRACTION", "plateau_clause",
           "intercept_clause", "pull_clause", "fit_quality_clause", "paper_clause", "nu_range_clause",
           "size_difference_clause", "drift_clause", "crossings_clause", "nu_points_clause", "trend_clause",
           "window_shift_clause"]

#: ``P`` within this many bootstrap errors of 1/2 counts as "at 1/2".
P_HALF_ERRORS = 2.0


def hc_text(h_c, h_c_err, h, fraction, realisations, *, plain=False) -> str:
    """``h_c`` as the grid allows: a value with its error, a bound, or ``-`` (one clause; :mod:`.rules`).

    Markdown (``plain=False``) reads after "puts h_c": ``at 5.50 ± 0.69``, ``above 6 (a bound: ...)``.

    Parameters
    ----------
    h_c, h_c_err : float
        The crossing of ``P = 1/2`` and its bootstrap error (``nan``: none inside the range).
    h : array_like
        The disorder grid.
    fraction : float
        Share of bootstrap replicas crossing inside the range.
    realisations : array_like
        Realisations per ``h``.
    plain : bool
        Plain text (tables) instead of Markdown math.
    """
    h = check_real_array("h", h, ndim=1)
    h_c = float(check_array("h_c", [h_c], finite=False)[0])
    fraction = float(check_array("fraction", [fraction], finite=False)[0])
    if not rules.well_sampled(realisations):
        return "-" if plain else (f"nowhere yet (fewer than {rules.WELL_SAMPLED} realisations at some $h$)")
    if rules.crossing_placed(h_c, h, fraction):
        return f"{h_c:.2f} ± {h_c_err:.2f}" if plain else f"at {h_c:.2f} $\\pm$ {h_c_err:.2f}"
    # a crossing at the edge, one most replicas do not show, or none: the grid bounds h_c from below
    lower = (float(h[h <= h_c + 1e-9].max(initial=h.min())) if np.isfinite(h_c) and h_c < h.max() - 1e-9
             else float(h.max()))
    return f"> {lower:g}" if plain else f"above {lower:g} (a bound: the disorder grid does not place the crossing)"


def fit_verdict(fit) -> str:
    """One clause on whether a model describes the data: accepted or rejected, with chi2, dof and probability.

    Parameters
    ----------
    fit : ModelFit
        From :func:`~mbl_open.critical.fit_model` or a comparison.
    """
    from .models import ACCEPTABLE_P, ModelFit

    if not isinstance(fit, ModelFit):
        raise TypeError(f"fit must be a ModelFit (critical.fit_model), got {type(fit).__name__}")
    numbers = f"$\\chi^2$ = {fit.chi2:.1f} for {fit.dof} degrees of freedom, probability {fit.p_value:.2g}"
    return (f"describes the whole curve ({numbers})" if fit.acceptable else
            f"is rejected ({numbers}, below {ACCEPTABLE_P:.0%})")




#: ``eps`` below this fraction of the level spacing counts as inside the rate-equation regime.
RATE_REGIME_FRACTION = 0.1


def limit_regime_text(eps_min, gap) -> str:
    """One clause: whether a ladder's smallest ``eps`` reaches the rate-equation regime ``eps << gap``."""
    eps_min = check_real_array("eps_min", [eps_min], low=0.0, low_open=True)[0]
    gap = check_real_array("gap", [gap], low=0.0, low_open=True)[0]
    ratio = eps_min / gap
    if ratio > RATE_REGIME_FRACTION:
        return (f"is {ratio:.2g} times that spacing, so the ladder does not reach the rate-equation regime "
                f"(below about {RATE_REGIME_FRACTION:g} of the spacing), and subtracting the intercept from the "
                "data in the fit window would not be justified")
    return (f"is {ratio:.2g} of that spacing, inside the rate-equation regime: there the data should approach "
            "the intercept")


def _pull(a, a_err, b, b_err) -> float:
    return abs(a - b) / float(np.hypot(a_err, b_err))


def plateau_clause(h, P, P_err) -> str:
    """Where ``P(h)`` sits at 1/2 (within two bootstrap errors): a plateau, the last point, or nowhere.

    Reads as a sentence of its own: "from h = 5 to h = 10 (6 disorder strengths)
    P stays within two bootstrap errors of 1/2", "only at the strongest disorder
    ...", or "no disorder strength has P within two bootstrap errors of 1/2"
    (Markdown math in the returned text).
    """
    h = check_real_array("h", h, ndim=1)
    P, P_err = (check_real_array(n, a, ndim=1) for n, a in (("P", P), ("P_err", P_err)))
    if not h.size == P.size == P_err.size:
        raise ValueError(f"h, P and P_err must have the same length, got {h.size}, {P.size}, {P_err.size}")
    near = np.abs(P - 0.5) < P_HALF_ERRORS * P_err
    tail = h.size - int(np.argmin(near[::-1])) if not near.all() else 0  # first h from which every P is near 1/2
    if tail < h.size - 1:
        return (f"from $h = {h[tail]:g}$ to $h = {h[-1]:g}$ ({h.size - tail} disorder strengths) $P$ stays within "
                "two bootstrap errors of $1/2$")
    if tail == h.size - 1:
        return f"only at the strongest disorder, $h = {h[-1]:g}$, is $P$ within two bootstrap errors of $1/2$"
    return "no disorder strength has $P$ within two bootstrap errors of $1/2$"


def intercept_clause(N, h, dbb0, dbb, eps) -> str:
    """The ``eps -> 0`` intercept against the smallest ``eps`` of one curve (``N = None``: none drawn).

    E.g. "at N = 8 and h = 1 the rate equation gives dbeta/beta = 0.063 at eps -> 0,
    against 0.121 at eps = 0.01" (Markdown math in the returned text).
    """
    if N is None:
        return "no dataset with the rate-equation limit is drawn here"
    N, h = check_int("N", N, low=2), check_real("h", h, low=0.0)
    dbb0, dbb, eps = check_real("dbb0", dbb0), check_real("dbb", dbb), check_real("eps", eps, low=0.0)
    return (f"at $N = {N}$ and $h = {h:g}$ the rate equation gives $\\delta\\beta/\\bar\\beta = {dbb0:.3f}$ at "
            f"$\\varepsilon \\to 0$, against {dbb:.3f} at $\\varepsilon = {eps:g}$")


def pull_clause(a, a_err, b, b_err, what: str, *, comparable: bool = True) -> str:
    """Two values in combined errors, e.g. "1.2 combined errors from the N = 8 value".

    ``comparable=False`` (a bound among them) gives "not compared in errors (a bound)".
    """
    if not comparable:
        return "not compared in errors (a bound is not a value)"
    a, a_err, b, b_err = (check_real(n, v) for n, v in (("a", a), ("a_err", a_err), ("b", b), ("b_err", b_err)))
    return f"{_pull(a, a_err, b, b_err):.1f} combined errors from {what}"


def fit_quality_clause(fits) -> str:
    """chi2 of the divergence fits, e.g. "the power law has chi2 = 1.2 for 2 degrees of freedom (probability
    0.55)"; ``{}``: "there is no fit at this size"."""
    if not isinstance(fits, dict):
        raise TypeError(f"fits must be a dict form -> CriticalFit, got {type(fits).__name__}")
    names = {"power": "the power law", "kt": "the Kosterlitz-Thouless form"}
    parts = [f"{names[form]} has $\\chi^2$ = {f.chi2:.1f} for {f.dof} degrees of freedom (probability "
             f"{f.probability:.2f})" for form, f in fits.items()]
    if not parts:
        return "there is no fit at this size"
    rejected = all(f.probability < 0.01 for f in fits.values())
    return " and ".join(parts) + (", so neither describes these points within their errors" if rejected else "")


def paper_clause(N, h_c, h_c_err, placed, nu=None, nu_err=None, *, paper) -> str:
    """This size against the paper's ``N = 20`` numbers, e.g. "at N = 8, h_c is 4.1 combined errors from the
    paper's and nu is 1.6" (Markdown math in the returned text); a bound is not compared in errors."""
    N = check_int("N", N, low=2)
    if placed:
        parts = [f"$h_c$ is {_pull(h_c, h_c_err, *paper['h_c']):.1f} combined errors from the paper's"]
    else:
        parts = ["$h_c$ is a bound, so it cannot be compared with the paper's in errors"]
    if nu is not None:
        parts.append(f"$\\nu$ is {_pull(nu, nu_err, *paper['nu']):.1f}")
    return f"at $N = {N}$, " + " and ".join(parts)


def nu_range_clause(nu, nus) -> str:
    """``nu`` at ``h_c`` and its range when ``h_c`` moves within its error (``nus`` empty: no ``nu`` fitted)."""
    nus = list(nus)
    if not nus:
        return "no $\\nu$ is fitted, since $\\nu$ would follow from whatever $h_c$ is fed in"
    return (f"$\\nu$ = {nu:.1f} at that $h_c$, but anywhere from {min(nus):.1f} to {max(nus):.1f} when $h_c$ "
            "moves within its error")


def size_difference_clause(short_N, long_N, h, pull, ratio) -> str:
    """Two sizes curve by curve: the largest difference in combined errors, how many reach two, and on which
    side the curves lie (``long_N = None``: no second size)."""
    if long_N is None:
        return "no second chain length was chosen (`compare_dataset` is empty)"
    h, pull = check_real_array("h", h, ndim=1), check_real_array("pull", pull, ndim=1)
    ratio = check_real_array("ratio", ratio, ndim=2)
    worst = int(np.argmax(np.abs(pull)))
    return (f"between $N = {short_N}$ and $N = {long_N}$ the largest difference is {abs(pull[worst]):.1f} "
            f"combined errors (at $h = {h[worst]:g}$), {int((np.abs(pull) >= 2).sum())} of the {h.size} shared "
            f"disorder strengths differ by two or more, and the longer chain's curve lies above the shorter one's at "
            f"every coupling for {int((ratio > 1).all(axis=1).sum())} of them and below for "
            f"{int((ratio < 1).all(axis=1).sum())}")


def drift_clause(drift) -> str:
    """How ``z(h = 1)`` moves from a reference size to the largest (:func:`~mbl_open.critical.size_drift`).

    Follows "z(h = 1)", e.g. "shows no systematic drift towards the diffusive 2 (from 1.30 ± 0.14 at N = 8
    to 1.37 ± 0.11 at N = 12, 0.4 combined errors)".
    """
    if not isinstance(drift, dict):
        raise TypeError(f"drift must be the dict of size_drift, got {type(drift).__name__}")
    moved = (f"from {drift['z_ref']:.2f} ± {drift['z_ref_err']:.2f} at N = {drift['N_ref']} to {drift['z']:.2f} "
             f"± {drift['z_err']:.2f} at N = {drift['N']}, {abs(drift['pull']):.1f} combined errors")
    if abs(drift["pull"]) < 1:
        return f"shows no systematic drift towards the diffusive 2 ({moved})"
    if drift["pull"] > 0:
        return f"moves towards the diffusive 2 ({moved}); more realisations must show whether the trend holds"
    return f"moves away from the diffusive 2 ({moved})"


def crossings_clause(rows) -> str:
    """How far apart the crossings are that the grid places, over sizes (``rows``: ``N -> SizeRow``)."""
    if not isinstance(rows, dict):
        raise TypeError(f"rows must be a dict N -> SizeRow (size_row), got {type(rows).__name__}")
    well = {n: r for n, r in rows.items() if r.placed}
    moves = [_pull(well[a].h_c, well[a].h_c_err, well[b].h_c, well[b].h_c_err) for a in well for b in well if a < b]
    if not moves:
        return "fewer than two sizes have a crossing $h_c$ that the grid places, so no two values can be compared"
    return (f"the crossings $h_c$ that the grid places (N = {', '.join(str(n) for n in well)}) lie at most "
            f"{max(moves):.1f} combined errors apart")


def nu_points_clause(n_points) -> str:
    """How many resolved disorder strengths the ``nu`` fits rest on, per size (``n_points``: sorted ints)."""
    n_points = sorted(int(n) for n in n_points)
    if not n_points:
        return "no size has three resolved exponents for a fit"
    span = f"{n_points[0]}" + (f" to {n_points[-1]}" if len(n_points) > 1 else "")
    return f"the $\\nu$ fits rest on {span} resolved disorder strengths per size"


def trend_clause(spread) -> str:
    """Whether ``z`` differs between sizes beyond two combined errors (``spread``: the largest pull)."""
    spread = check_real("spread", spread, low=0.0)
    return ("no significant trend with $N$ at these sizes" if spread < 2 else
            "a difference beyond two errors, more than the disorder average explains")


def window_shift_clause(moves, h_other) -> str:
    """How far ``z`` moves between two windows at the weakest disorder against the next ``h``.

    ``moves``: the two shifts in combined errors, weakest disorder first.
    """
    a, b = (check_real(f"moves[{k}]", m, low=0.0) for k, m in enumerate(moves))
    shape = "the curve is straighter" if a < b else "the curve bends as well"
    return f"{shape}: $z$ moves by {a:.1f} combined errors, against {b:.1f} at $h$ = {h_other:g}"
