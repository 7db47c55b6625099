"""A dataset's critical-point numbers per chain length: the summaries behind paper Figs. 2, 3 and 10.

These functions read an :class:`~mbl_open.ensemble.dataset.Ensemble` and hand
plain arrays to :mod:`~mbl_open.critical.statistics`; what counts as a resolved
``z`` or a well-sampled size is decided in :mod:`~mbl_open.critical.rules`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..infrastructure._validate import NotInDataError, check_instance, check_int, check_mapping, check_real, check_real_array
from ..ensemble.dataset import Ensemble
from ..numerics.resampling import pull
from . import rules
from .statistics import (_check_window, critical_disorder, fit_critical_exponent, fit_probability, fit_z,
                         nu_sensitivity, order_parameter, slope_probability)

__all__ = [
    "CriticalPointSummary",
    "summarise",
    "resolved",
    "SizeRow",
    "size_row",
    "well_sampled_minimum",
    "size_drift",
    "SizeComparison",
    "compare_sizes",
    "z_by_size",
    "LimitComparison",
    "compare_limit",
]


@dataclass
class CriticalPointSummary:
    """Everything paper Figs. 2 and 3 show for one chain length, per disorder strength.

    Arrays have one row per entry of ``h``; ``eps`` is decreasing.  ``dbb0`` is
    the ``eps -> 0`` limit from the rate equation (``nan`` if not computed).
    ``z``/``z_err`` are ``inf`` where ``dbeta/beta`` does not decrease towards small ``eps``.
    """

    N: int
    h: np.ndarray
    eps: np.ndarray
    realisations: np.ndarray
    dbb: np.ndarray
    dbb_err: np.ndarray
    dbb0: np.ndarray
    dbb0_err: np.ndarray
    P: np.ndarray
    P_err: np.ndarray
    P_replicas: np.ndarray
    zfits: list

    @property
    def z(self) -> np.ndarray:
        return np.array([f.z for f in self.zfits])

    @property
    def z_err(self) -> np.ndarray:
        return np.array([f.z_err for f in self.zfits])

    def critical_disorder(self, level=0.5):
        """``(h_c, error, fraction of crossing replicas)`` from ``P(h) = level``, see :func:`critical_disorder`."""
        return critical_disorder(self.h, self.P, self.P_replicas, level=level)


def summarise(ensemble, N, *, chi=None, window=None, n_resamples=400, seed=0,
              min_realisations=2, slope_eps=None) -> CriticalPointSummary:
    """Order parameter, ``P``, ``z`` and the ``eps -> 0`` limit for every ``h`` of one chain length.

    Parameters
    ----------
    ensemble : Ensemble
        From :func:`~mbl_open.ensemble.dataset.load_dataset` or ``ensemble_from_store``.
    N : int
    chi : int, optional
        Needed when the ensemble holds several bond dimensions.
    window : (float, float), optional
        ``eps`` range of the ``z`` fits (default: all ``eps``).
    n_resamples, seed : int
        Bootstrap settings (the same seed for every ``h``: reproducible).
    min_realisations : int
        ``h`` values with fewer realisations (a sweep still growing) are left
        out; at least 2 (the jackknife of ``z`` needs them).
    slope_eps : (float, float), optional
        The couplings between which ``P`` takes the sign of the slope
        (default: the two smallest of the ladder); the same pair at every
        size makes ``P(h)`` comparable across sizes.

    Raises
    ------
    ValueError
        If ``N`` is not in the ensemble, or no ``h`` has ``min_realisations``.
    """
    if not isinstance(ensemble, Ensemble):
        raise TypeError(f"ensemble must be an Ensemble (see book_dataset or load_dataset), got "
                        f"{type(ensemble).__name__}")
    min_realisations = check_int("min_realisations", min_realisations, low=2)
    if window is not None:
        _check_window(window)
    check_int("n_resamples", n_resamples, low=2)
    check_int("seed", seed, low=0)
    if N not in ensemble.sizes():
        raise ValueError(f"N = {N!r} is not in the ensemble, which holds N = {ensemble.sizes()}")
    hs = np.array([h for h in ensemble.h_values(N) if ensemble.count(N, h, chi) >= min_realisations], dtype=float)
    if hs.size == 0:
        raise ValueError(f"no h at N = {N} has min_realisations = {min_realisations} realisations yet")
    rows = dict(R=[], dbb=[], err=[], dbb0=[], err0=[], P=[], Perr=[], reps=[], fits=[])
    for h in hs:
        b = ensemble.betas_for(N, h, chi)
        v, e = order_parameter(b, n_resamples=n_resamples, seed=seed)
        P, Perr, reps = slope_probability(ensemble.eps, b, n_resamples=n_resamples, seed=seed, eps_pair=slope_eps)
        rows["R"].append(len(b))
        rows["dbb"].append(v)
        rows["err"].append(e)
        rows["P"].append(P)
        rows["Perr"].append(Perr)
        rows["reps"].append(reps)
        rows["fits"].append(fit_z(ensemble.eps, b, window=window))
        if ensemble.betas_eps0 is not None:
            b0 = ensemble.betas_eps0_for(N, h, chi)[:, None, :]
            v0, e0 = order_parameter(b0, n_resamples=n_resamples, seed=seed)
            rows["dbb0"].append(v0[0])
            rows["err0"].append(e0[0])
        else:
            rows["dbb0"].append(np.nan)
            rows["err0"].append(np.nan)
    return CriticalPointSummary(
        N=int(N), h=hs, eps=np.asarray(ensemble.eps, dtype=float), realisations=np.array(rows["R"]),
        dbb=np.array(rows["dbb"]), dbb_err=np.array(rows["err"]), dbb0=np.array(rows["dbb0"]),
        dbb0_err=np.array(rows["err0"]), P=np.array(rows["P"]), P_err=np.array(rows["Perr"]),
        P_replicas=np.array(rows["reps"]), zfits=rows["fits"])


def resolved(summary: CriticalPointSummary, h_c=np.nan) -> np.ndarray:
    """The ``h`` whose ``z`` is resolved: finite, an error below its value, and below ``h_c`` (if finite).

    Beyond ``h_c`` the fit of paper Eq. 9 no longer measures transport, and where the
    error exceeds ``z`` the window cannot tell ``z`` from infinity (``z > 8``
    needs ``eps < 0.01``).
    """
    if not isinstance(summary, CriticalPointSummary):
        raise TypeError(f"summary must be a CriticalPointSummary (see summarise), got {type(summary).__name__}")
    if not isinstance(h_c, (int, float, np.floating, np.integer)) or isinstance(h_c, bool):
        raise TypeError(f"h_c must be a number (nan for none), got {h_c!r}")
    ok = rules.z_resolved(summary.z, summary.z_err)
    return ok & (summary.h < h_c) if np.isfinite(h_c) else ok


@dataclass(frozen=True)
class SizeRow:
    """The critical-point numbers of one chain length (one row of the finite-size table).

    ``z``, ``z_err`` are per ``h``; ``h_c`` from ``P(h) = 1/2`` (``nan``: no
    crossing up to ``max(h)``); ``nu`` from a power-law fit of the resolved
    ``z`` at that ``h_c``, and ``kt_c`` from the Kosterlitz-Thouless form
    ``z = A exp(c / sqrt(h_c - h))`` on the same points, with the ``chi2`` of
    each fit and their common degrees of freedom ``fit_dof`` (all ``nan``
    with fewer than three resolved points, or where :attr:`placed` is false:
    ``nu`` is fitted only where the grid places ``h_c``).
    ``crossing_fraction`` is the share of bootstrap replicas of ``P`` that
    cross ``1/2`` inside the range; ``nu_range`` the smallest and largest
    ``nu`` when ``h_c`` moves over ``h_c +- h_c_err`` (:func:`nu_sensitivity`),
    the joint uncertainty of the two that the error of ``nu`` at fixed ``h_c`` omits.
    """

    N: int
    h: np.ndarray
    realisations: np.ndarray
    z: np.ndarray
    z_err: np.ndarray
    h_c: float
    h_c_err: float
    nu: float
    nu_err: float
    kt_c: float = np.nan
    kt_c_err: float = np.nan
    chi2_power: float = np.nan
    chi2_kt: float = np.nan
    fit_dof: float = np.nan
    crossing_fraction: float = np.nan
    nu_range: tuple = (np.nan, np.nan)

    @property
    def placed(self) -> bool:
        """Whether the grid places ``h_c`` (:func:`~mbl_open.critical.rules.crossing_placed`) and the size is
        well sampled (:func:`~mbl_open.critical.rules.well_sampled`): only then are ``h_c`` and ``nu`` values."""
        return rules.crossing_placed(self.h_c, self.h, self.crossing_fraction) and rules.well_sampled(
            self.realisations)

    def z_at(self, h):
        """``(z, z_err)`` where this size resolves ``z(h)`` (:func:`~mbl_open.critical.rules.z_resolved`),
        ``None`` where it holds no ``h``, else ``'unresolved'``."""
        h = check_real("h", h, low=0.0)
        k = np.flatnonzero(self.h == h)
        if not k.size:
            return None
        z, dz = float(self.z[k[0]]), float(self.z_err[k[0]])
        return (z, dz) if rules.z_resolved(z, dz) else "unresolved"

    def probability(self, form) -> float:
        """The ``chi2`` probability of the ``'power'`` or ``'kt'`` fit (``nan`` without a fit)."""
        if form not in ("power", "kt"):
            raise ValueError(f"form must be 'power' or 'kt', got {form!r}")
        chi2 = self.chi2_power if form == "power" else self.chi2_kt
        return fit_probability(chi2, int(self.fit_dof)) if np.isfinite(chi2) else float("nan")


def well_sampled_minimum(ensemble, N, chi=None) -> int:
    """The ``min_realisations`` a summary of a growing sweep should use: :data:`~mbl_open.critical.rules.WELL_SAMPLED`
    where at least three disorder strengths hold that many (the new ``h`` join once they do), else 2."""
    check_instance("ensemble", ensemble, Ensemble, "an Ensemble (book_dataset)")
    counts = [ensemble.count(N, h, chi) for h in ensemble.h_values(N)] if N in ensemble.sizes() else []
    return rules.WELL_SAMPLED if sum(c >= rules.WELL_SAMPLED for c in counts) >= 3 else 2


def size_row(ensemble, N, *, chi=None, window=None, n_resamples=400, seed=0, slope_eps=None) -> SizeRow:
    """Summarise one chain length of an ensemble into a :class:`SizeRow` (paper Figs. 2c and 3; arguments of
    :func:`summarise`).

    Where at least three disorder strengths hold :data:`~mbl_open.critical.rules.WELL_SAMPLED` realisations,
    only those enter (the new ``h`` of a growing sweep join the row once they have as many); otherwise every
    ``h`` with two or more, and the row says it is not well sampled.
    """
    s = summarise(ensemble, N, chi=chi, window=window, n_resamples=n_resamples, seed=seed, slope_eps=slope_eps,
                  min_realisations=well_sampled_minimum(ensemble, N, chi))
    hc, hc_err, fraction = s.critical_disorder()
    row = SizeRow(int(N), s.h, s.realisations, s.z, s.z_err, float(hc), float(hc_err), np.nan, np.nan,
                  crossing_fraction=float(fraction))
    ok = resolved(s, hc)
    if not (ok.sum() >= 3 and row.placed):  # nu only where h_c is a value, not a bound
        return row
    power, kt = (fit_critical_exponent(s.h[ok], s.z[ok], s.z_err[ok], form=form, h_c=hc) for form in ("power", "kt"))
    nus = [nu for nu, _ in nu_sensitivity(s.h[ok], s.z[ok], s.z_err[ok], hc, hc_err).values()]
    return SizeRow(int(N), s.h, s.realisations, s.z, s.z_err, float(hc), float(hc_err),
                   float(power.exponent), float(power.exponent_err), float(kt.exponent), float(kt.exponent_err),
                   float(power.chi2), float(kt.chi2), float(power.dof), float(fraction),
                   (float(min(nus)), float(max(nus))))


def size_drift(rows, h, reference_N) -> dict:
    """How ``z(h)`` of the largest chain moves away from that of ``reference_N`` (paper Fig. 10's question).

    Parameters
    ----------
    rows : dict
        ``N -> SizeRow`` (:func:`size_row`).
    h : float
        The disorder strength compared (``h = 1``: does ``z`` approach the diffusive 2?).
    reference_N : int
        The size compared against, e.g. the largest exact one.

    Returns
    -------
    dict
        ``N`` (the largest size holding ``h``), ``z``, ``z_err``, ``N_ref``, ``z_ref``, ``z_ref_err``, ``pull`` (their
        difference in combined errors, :func:`~mbl_open.numerics.resampling.pull`).
    """
    check_mapping("rows", rows)
    h = check_real("h", h, low=0.0)
    reference_N = check_int("reference_N", reference_N, low=2)
    z = {}
    for n, row in rows.items():
        check_instance(f"rows[{n!r}]", row, SizeRow, "a SizeRow (size_row)")
        here = row.z_at(h)
        if isinstance(here, tuple):
            z[n] = here
    if reference_N not in z:
        raise ValueError(f"reference_N = {reference_N} has no resolved z at h = {h:g}; sizes with one: {sorted(z)}")
    big = max(z)
    return dict(N=big, z=z[big][0], z_err=z[big][1], N_ref=reference_N, z_ref=z[reference_N][0],
                z_ref_err=z[reference_N][1],
                pull=pull(*z[big], *z[reference_N]))


@dataclass(frozen=True)
class SizeComparison:
    """``dbeta/beta`` of a second chain length next to a :class:`CriticalPointSummary`, per shared ``h``.

    Arrays have one row per entry of ``h`` (the disorder strengths both hold)
    and one column per ``eps`` of the second dataset's ladder.  ``ratio`` is
    the second size's ``dbeta/beta`` over the summary's at the same ``eps``;
    ``pull`` is the largest ``|difference| / combined error`` over ``eps``
    (:func:`~mbl_open.numerics.resampling.pull`).
    """

    N: int
    N_ref: int
    h: np.ndarray
    eps: np.ndarray
    realisations: np.ndarray
    dbb: np.ndarray
    dbb_err: np.ndarray
    ratio: np.ndarray
    pull: np.ndarray


def compare_sizes(ensemble, summary, *, N=None, chi=None, n_resamples=400, seed=0,
                  min_realisations=2) -> SizeComparison:
    """The order parameter of another chain length at the ``h`` and ``eps`` a summary also holds (paper Eq. 9).

    Parameters
    ----------
    ensemble : Ensemble
        The second dataset (e.g. TEBD at a larger ``N``); its ``eps`` must lie on the summary's ladder.
    summary : CriticalPointSummary
        The reference size (:func:`summarise`).
    N : int, optional
        The chain length of ``ensemble`` to compare (default: its smallest).
    chi : int, optional
        Needed when the ensemble holds several bond dimensions.
    n_resamples, seed : int
        Bootstrap settings of :func:`order_parameter` (the same seed for every ``h``).
    min_realisations : int
        ``h`` values with fewer realisations in ``ensemble`` are left out; at least 2.

    Returns
    -------
    SizeComparison

    Raises
    ------
    ValueError
        If ``N`` is not in the ensemble, an ``eps`` of it is not on the
        summary's ladder, or no ``h`` is shared with ``min_realisations``.
    """
    from ..ensemble.dataset import eps_index

    if not isinstance(ensemble, Ensemble):
        raise TypeError(f"ensemble must be an Ensemble (see book_dataset or load_dataset), got "
                        f"{type(ensemble).__name__}")
    if not isinstance(summary, CriticalPointSummary):
        raise TypeError(f"summary must be a CriticalPointSummary (see summarise), got {type(summary).__name__}")
    min_realisations = check_int("min_realisations", min_realisations, low=2)
    check_int("n_resamples", n_resamples, low=2)
    check_int("seed", seed, low=0)
    N = ensemble.sizes()[0] if N is None else N
    if N not in ensemble.sizes():
        raise ValueError(f"N = {N!r} is not in the ensemble, which holds N = {ensemble.sizes()}")
    cols = eps_index(summary.eps, ensemble.eps)
    shared = [h for h in ensemble.h_values(N) if h in summary.h and ensemble.count(N, h, chi) >= min_realisations]
    if not shared:
        raise ValueError(f"no h at N = {N} has min_realisations = {min_realisations} realisations and is in the summary "
                         f"(h = {summary.h.tolist()})")
    dbb, err, ratio, pulls = [], [], [], []
    for h in shared:
        v, e = order_parameter(ensemble.betas_for(N, h, chi), n_resamples=n_resamples, seed=seed)
        i = int(np.flatnonzero(summary.h == h)[0])
        ref, ref_err = summary.dbb[i, cols], summary.dbb_err[i, cols]
        dbb.append(v)
        err.append(e)
        ratio.append(v / ref)
        pulls.append(np.abs(pull(v, e, ref, ref_err)).max())
    return SizeComparison(N=int(N), N_ref=summary.N, h=np.array(shared, dtype=float),
                          eps=np.asarray(ensemble.eps, dtype=float),
                          realisations=np.array([ensemble.count(N, h, chi) for h in shared]),
                          dbb=np.array(dbb), dbb_err=np.array(err), ratio=np.array(ratio), pull=np.array(pulls))


def z_by_size(datasets, h_values, *, window, min_realisations=2) -> dict:
    """``z`` in one ``eps`` window for every chain length the datasets hold (paper Fig. 10).

    Parameters
    ----------
    datasets : sequence of Ensemble
        Later datasets take precedence for a chain length that several hold.
    h_values : sequence of float
        Disorder strengths, each held by at least one dataset (at some size).
    window : (float, float)
        The same ``eps`` window at every size, so that only ``N`` changes.
    min_realisations : int
        Sizes with fewer realisations at an ``h`` (a sweep still growing) are skipped there.

    Returns
    -------
    dict
        ``(h, N) -> ZFit``.
    """
    window = _check_window(window)
    min_realisations = check_int("min_realisations", min_realisations, low=2)
    if isinstance(datasets, (str, bytes)) or not np.iterable(datasets):
        raise TypeError(f"datasets must be a list of Ensemble (book_dataset), got {datasets!r}")
    for i, d in enumerate(datasets):
        check_instance(f"datasets[{i}]", d, Ensemble, "an Ensemble (book_dataset)")
    h_values = check_real_array("h_values", h_values, low=0.0, ndim=1)
    by_size = {}
    for d in datasets:
        by_size.update({n: d for n in d.sizes()})
    held = sorted({float(h) for n, d in by_size.items() for h in d.h_values(n)})
    missing = [float(h) for h in h_values if h not in held]
    if missing:
        raise NotInDataError(f"h_values {missing} are in none of the datasets; the h they hold are {held}")
    out = {}
    for h in h_values:
        for n, d in sorted(by_size.items()):
            if h in d.h_values(n) and d.count(n, h) >= min_realisations:
                out[float(h), n] = fit_z(d.eps, d.betas_for(n, h), window=window)
    return out


@dataclass(frozen=True)
class LimitComparison:
    """The exact ``eps -> 0`` limit next to a ladder at its smallest ``eps``, on the same chains, per ``h``.

    Arrays have one entry per ``h`` that both datasets hold on at least two shared chains.
    ``dbb0`` and ``dbb_min`` are the order parameter (paper Eq. 9) of those chains at ``eps -> 0`` (rate
    equation) and at ``eps_min``; ``gap`` is the median over the chains of the population-weighted many-body
    level spacing, the scale ``eps`` must stay below for the limit to apply.
    """

    N: int
    eps_min: float
    h: np.ndarray
    chains: np.ndarray
    dbb0: np.ndarray
    dbb0_err: np.ndarray
    dbb_min: np.ndarray
    dbb_min_err: np.ndarray
    gap: np.ndarray


def compare_limit(limit, ladder, N, *, chi=None, n_resamples=400, seed=0) -> LimitComparison:
    """The rate-equation limit of a ``method: limit`` dataset against a ladder dataset on the chains both hold.

    Parameters
    ----------
    limit : Ensemble
        From a ``method: limit`` sweep (its level spacings recorded).
    ladder : Ensemble
        A ladder sweep with the same base seed (the same chains).
    N : int
    chi : int, optional
        The ladder's bond dimension, if it holds several.
    n_resamples, seed : int
        Bootstrap of the order parameter.
    """
    for name, d in (("limit", limit), ("ladder", ladder)):
        check_instance(name, d, Ensemble, "an Ensemble (book_dataset)")
    if limit.level_spacings is None or limit.betas_eps0 is None:
        raise ValueError("limit must be the dataset of a method: limit sweep (it holds no level spacings)")
    if limit.physics.get("seed") != ladder.physics.get("seed"):
        raise ValueError(f"the datasets have different seeds ({limit.physics.get('seed')} and "
                         f"{ladder.physics.get('seed')}): their realisations are different chains")
    N = check_int("N", N, low=2)
    k_min = int(np.argmin(ladder.eps))
    rows = dict(h=[], chains=[], dbb0=[], dbb0_err=[], dbb=[], dbb_err=[], gap=[])
    for h in limit.h_values(N):
        if N not in ladder.sizes() or h not in ladder.h_values(N):
            continue
        shared = np.intersect1d(limit.realisations(N, h), ladder.realisations(N, h, chi))
        if shared.size < 2:
            continue
        held = limit.realisations(N, h).tolist()
        idx = [limit._select(N, h, None)[held.index(r)] for r in shared]
        b0 = np.array([limit.betas_eps0[k] for k in idx])[:, None, :]
        b = ladder.aligned_betas(N, h, chi, realisations=shared, eps=[ladder.eps[k_min]])
        if not (np.all(np.isfinite(b0)) and np.all(np.isfinite(b))):
            continue
        v0, e0 = order_parameter(b0, n_resamples=n_resamples, seed=seed)
        v, e = order_parameter(b, n_resamples=n_resamples, seed=seed)
        rows["h"].append(h)
        rows["chains"].append(shared.size)
        rows["dbb0"].append(v0[0])
        rows["dbb0_err"].append(e0[0])
        rows["dbb"].append(v[0])
        rows["dbb_err"].append(e[0])
        rows["gap"].append(float(np.median([limit.level_spacings[k]["weighted_gap"] for k in idx])))
    return LimitComparison(N=N, eps_min=float(ladder.eps[k_min]), h=np.array(rows["h"], dtype=float),
                           chains=np.array(rows["chains"], dtype=int), dbb0=np.array(rows["dbb0"]),
                           dbb0_err=np.array(rows["dbb0_err"]), dbb_min=np.array(rows["dbb"]),
                           dbb_min_err=np.array(rows["dbb_err"]), gap=np.array(rows["gap"]))
