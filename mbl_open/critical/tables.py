"""The critical analysis as text tables, and the paper's own numbers they are printed beside.

Presentation only: every number comes from :mod:`~mbl_open.critical.summaries`
or :mod:`~mbl_open.critical.convergence`; the rule that decides what is printed
as a value, a bound or ``-`` lives in :mod:`~mbl_open.critical.rules`.
"""
from __future__ import annotations

import numpy as np

from ..infrastructure._validate import check_real_array
from . import rules
from ..presentation.tables import ResultTable
from .phrases import hc_text
from .summaries import SizeComparison, SizeRow

__all__ = ["PAPER_N20", "PAPER_N20_VALUES", "size_table", "format_size_table", "model_table", "format_chi_table", "format_size_comparison",
           "format_model_table", "format_z_estimates", "format_limit_comparison"]


#: The paper's numbers at ``N = 20`` (TEBD, ``chi = 100``), as the finite-size table prints them.
PAPER_N20 = {"z(h=1)": "about 2", "z(h=4-5)": "> 8", "h_c": ">= 8.75 ± 0.5", "nu": "4 ± 0.9",
             "KT": "not excluded"}


#: The paper's critical disorder and exponent at ``N = 20`` as (value, error), for comparisons in units of errors.
PAPER_N20_VALUES = {"h_c": (8.75, 0.5), "nu": (4.0, 0.9)}


def model_table(comparisons) -> ResultTable:
    """One row per ``h``: each model's chi2/dof, chi2 probability and Akaike weight, and the fitted ``D``.

    Parameters
    ----------
    comparisons : dict
        ``h -> ModelComparison`` (:func:`~mbl_open.critical.compare_models`).

    Returns
    -------
    ResultTable
        HTML in the book, aligned text for ``print`` (:func:`format_model_table`).
    """
    from .models import MODELS, ModelComparison

    if not isinstance(comparisons, dict) or not comparisons:
        raise TypeError(f"comparisons must be a non-empty dict h -> ModelComparison, got {comparisons!r:.80}")
    names = list(MODELS)
    rows = []
    for h, c in comparisons.items():
        if not isinstance(c, ModelComparison):
            raise TypeError(f"comparisons[{h!r}] must be a ModelComparison, got {type(c).__name__}")
        cells = []
        for m in names:
            try:
                f = c[m]
            except KeyError:
                cells.append("-")
                continue
            cells.append(f"{f.chi2:6.1f}/{f.dof} p={f.p_value:7.1e} w={c.weights[m]:4.2f}")
        d = c["diffusion"] if "diffusion" in [f.model for f in c.fits] else None
        d_txt = f"{d.params['D']:.2g} ± {d.errors['D']:.1g}" if d is not None else "-"
        rows.append((f"{h:g}", *cells, d_txt, c.best.model))
    notes = ("chi2/dof with the jackknife covariance between eps (Hartlap-corrected), p: chi2 probability, "
             "w: Akaike weight; D: diffusion constant over bath coupling (bonds^2)")
    return ResultTable(("h", *names, "D (diffusion)", "best"), tuple(rows), notes)


def format_model_table(comparisons) -> str:
    """:func:`model_table` as aligned text."""
    return model_table(comparisons).text()


def size_table(entries, table_h) -> ResultTable:
    """The finite-size table: ``z(h)``, ``h_c`` and ``nu`` per chain length, then the paper's row.

    Parameters
    ----------
    entries : sequence of (str, int, SizeRow or str)
        ``(dataset tag, N, row)``; a string in place of a row says why a size has no row.
    table_h : sequence of float
        The disorder strengths whose ``z`` gets a column.

    Returns
    -------
    ResultTable
        HTML in the book, aligned text for ``print`` (:func:`format_size_table`).
    """
    table_h = check_real_array("table_h", table_h, low=0.0, ndim=1).tolist()
    if isinstance(entries, (str, bytes)) or not np.iterable(entries):
        raise TypeError(f"entries must be a list of (label, N, SizeRow or reason) triples, got {entries!r}")
    entries = list(entries)
    for i, e in enumerate(entries):
        if isinstance(e, (str, bytes)) or not np.iterable(e) or len(e) != 3:
            raise TypeError(f"entries[{i}] must be a (label, N, SizeRow or reason) triple, got {e!r:.80}")
    header = ("N", "dataset", "R", *(f"z(h={h:g})" for h in table_h), "h_c", "nu", "KT c", "chi2 nu/KT")
    rows = [_size_cells(tag, n, row, table_h) for tag, n, row in entries]
    missing = [f"N = {n} ({tag}): no row, {row}" for tag, n, row in entries if not isinstance(row, SizeRow)]
    paper = PAPER_N20
    z_paper = [paper["z(h=1)"] if h == 1 else "" for h in table_h]
    if table_h:
        z_paper[-1] = paper["z(h=4-5)"] + " (h=4-5)"
    rows.append(("20", "paper (TEBD, chi = 100)", "", *z_paper, paper["h_c"], paper["nu"], paper["KT"]))
    notes = ("R: fewest realisations of any h in the row; unresolved: the error of z is as large as z; "
             f"z and h_c: '-' with fewer than {rules.WELL_SAMPLED} realisations; h_c: a bound where the grid "
             f"does not place the crossing (at its last h, or crossed by fewer than "
             f"{rules.MIN_CROSSING_FRACTION:.0%} of the bootstrap replicas); nu and KT only where h_c is a "
             "value, nu [range when h_c moves within its error]; chi2 nu/KT: of the power law and of the "
             "Kosterlitz-Thouless form (dof) on the same points" + "".join(f"; {m}" for m in missing))
    return ResultTable(header, tuple(rows), notes)


def _size_cells(tag, n, row, table_h) -> tuple:
    if not isinstance(row, SizeRow):
        return (str(n), tag, "", "(no row)")  # the reason is in the notes: a long cell would widen the column
    zs = []
    for h in table_h:
        k = np.flatnonzero(row.h == h)
        if not k.size or not np.isfinite(row.z[k[0]]) or row.realisations[k[0]] < rules.WELL_SAMPLED:
            zs.append("-")  # no z, or a jackknife over too few realisations to trust
        elif not rules.z_resolved(row.z[k[0]], row.z_err[k[0]]):
            zs.append("unresolved")
        else:
            zs.append(f"{row.z[k[0]]:6.2f} ± {row.z_err[k[0]]:5.2f}")
    hc_txt = hc_text(row.h_c, row.h_c_err, row.h, row.crossing_fraction, row.realisations, plain=True)
    nu_txt = (f"{row.nu:.1f} [{row.nu_range[0]:.1f}, {row.nu_range[1]:.1f}]"
              if np.isfinite(row.nu) and row.placed else "-")
    kt_txt = f"{row.kt_c:4.1f} ± {row.kt_c_err:3.1f}" if np.isfinite(row.kt_c) else "-"
    chi_txt = (f"{row.chi2_power:.1f} / {row.chi2_kt:.1f} ({row.fit_dof:g})" if np.isfinite(row.chi2_kt) else "-")
    return (str(n), tag, str(row.realisations.min()), *zs, hc_txt, nu_txt, kt_txt, chi_txt)


def format_size_table(entries, table_h) -> str:
    """:func:`size_table` as aligned text."""
    return size_table(entries, table_h).text()


def format_chi_table(rel, eps) -> str:
    """The table of :func:`chi_convergence`: one row per bond dimension, one column per ``eps`` (paper Fig. 8).

    Parameters
    ----------
    rel : dict
        ``chi -> ndarray (E,)`` of relative errors, as :func:`chi_convergence` returns it.
    eps : array_like, shape (E,)
        The couplings of the columns (the TEBD ladder).

    Returns
    -------
    str
        A header line and one line per ``chi``, increasing.
    """
    eps = check_real_array("eps", eps, low=0.0, low_open=True, ndim=1)
    if not isinstance(rel, dict) or not rel:
        raise TypeError(f"rel must be a non-empty dict chi -> relative errors (see chi_convergence), got {rel!r}")
    for chi in sorted(rel):
        if np.shape(rel[chi]) != eps.shape:
            raise ValueError(f"rel[{chi!r}] has shape {np.shape(rel[chi])}, eps has {eps.shape}")
    lines = ["   chi  " + "  ".join(f"eps={e:<6g}" for e in eps)]
    for chi in sorted(rel):
        lines.append(f"  {chi:4d}  " + "  ".join(f"{x:10.1e}" for x in rel[chi]))
    return "\n".join(lines)


def format_size_comparison(comparison) -> str:
    """One line per ``h`` of a :class:`SizeComparison`: the ratios per ``eps``, the relative errors and the pull."""
    c = comparison
    if not isinstance(c, SizeComparison):
        raise TypeError(f"comparison must be a SizeComparison (see compare_sizes), got {type(c).__name__}")
    lines = []
    for k, h in enumerate(c.h):
        rel = c.dbb_err[k] / c.dbb[k]
        lines.append(f"  h = {h:4.1f}: N = {c.N} / N = {c.N_ref}: " + "  ".join(f"{v:.2f}" for v in c.ratio[k])
                     + f"  (relative error of N = {c.N}: {100 * rel.min():.0f}-{100 * rel.max():.0f}%; largest "
                     f"|difference| / error {c.pull[k]:.1f}; eps {c.eps.tolist()})")
    return "\n".join(lines)


def format_z_estimates(estimates) -> str:
    """One line per ``h``: ``z`` with its statistical and systematic errors, or the bound the data allow.

    Parameters
    ----------
    estimates : dict
        ``h -> ZEstimate`` (:func:`~mbl_open.critical.z_with_systematics`).
    """
    from .slopes import ZEstimate

    if not isinstance(estimates, dict) or not estimates:
        raise TypeError(f"estimates must be a non-empty dict h -> ZEstimate, got {estimates!r:.80}")
    lines = []
    for h, e in estimates.items():
        if not isinstance(e, ZEstimate):
            raise TypeError(f"estimates[{h!r}] must be a ZEstimate, got {type(e).__name__}")
        used = [k for k, f in e.alternatives.items() if f.acceptable and np.isfinite(f.z)]
        lines.append(f"  h = {h:4g}: z = {e.text()}   [window eps {e.window[0]:g}-{e.window[1]:g}; systematic from "
                     f"{len(used)} of {len(e.alternatives)} alternatives with chi2 probability >= 1%]")
    return "\n".join(lines)


def format_limit_comparison(comparison) -> str:
    """One line per ``h`` of a :class:`~mbl_open.critical.summaries.LimitComparison`."""
    from .summaries import LimitComparison

    c = comparison
    if not isinstance(c, LimitComparison):
        raise TypeError(f"comparison must be a LimitComparison (critical.compare_limit), got {type(c).__name__}")
    lines = [f"{'h':>5} {'chains':>6} {'eps -> 0':>16} {'eps = ' + format(c.eps_min, 'g'):>16} "
             f"{'level spacing':>14} {'eps_min / spacing':>18}"]
    for k, h in enumerate(c.h):
        lines.append(f"{h:5g} {c.chains[k]:6d} {c.dbb0[k]:8.3f} ± {c.dbb0_err[k]:5.3f} "
                     f"{c.dbb_min[k]:8.3f} ± {c.dbb_min_err[k]:5.3f} {c.gap[k]:14.2e} {c.eps_min / c.gap[k]:18.2g}")
    lines.append(f"dbeta/beta of the same chains (N = {c.N}) at eps -> 0 (rate equation) and at the ladder's smallest "
                 "eps; level spacing: median over the chains of the population-weighted many-body spacing")
    return "\n".join(lines)
