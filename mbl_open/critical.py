"""Statistics of disorder ensembles: dbeta/beta(eps), z(h), P(h), h_c and nu (paper Eq. 9, paper Figs. 2, 3).

Every function takes the local inverse temperatures of one ``(N, h)`` as an
array ``betas`` of shape ``(R, E, B)``: ``R`` realisations, ``E`` values of
``eps`` (the same disorder for all of them), ``B = N - 1`` bonds.  Errors come
from resampling *realisations*, which carries the correlation between
different ``eps`` (same disorder) into fitted quantities: the bootstrap for
``dbeta/beta`` and ``P(h)``, the jackknife for ``z`` (as in the paper).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import curve_fit
from scipy.stats import chi2 as chi2_distribution

from ._validate import (NotInDataError, check_array, check_instance, check_int, check_mapping, check_real,
                        check_real_array, check_window)
from .ensemble.dataset import Ensemble
from .fits import PowerLawFit, fit_power_law
from .resampling import bootstrap, jackknife, pull
from .spread import relative_spread

__all__ = [
    "PAPER_N20",
    "PAPER_N20_VALUES",
    "fit_probability",
    "chi_convergence",
    "chi_convergence_to_largest",
    "SameChains",
    "same_chains_difference",
    "format_chi_table",
    "SizeComparison",
    "compare_sizes",
    "format_size_comparison",
    "size_drift",
    "z_by_size",
    "format_size_table",
    "nu_sensitivity",
    "resolved",
    "SizeRow",
    "size_row",
    "order_parameter",
    "order_parameter_realisations",
    "ZFit",
    "fit_z",
    "slope_probability",
    "critical_disorder",
    "CriticalFit",
    "fit_critical_exponent",
    "CriticalPointSummary",
    "summarise",
]


def _check_window(window) -> tuple[float, float]:
    """An ``eps`` window ``(low, high)`` with ``0 <= low < high``."""
    return check_window("window", window, low=0.0)


def _check_betas(betas) -> np.ndarray:
    b = check_array("betas", betas, finite=False)
    if b.ndim != 3 or b.shape[2] < 2 or b.shape[0] < 1:
        raise ValueError(f"betas must have shape (R, E, B) = (realisations, eps, bonds) with B >= 2, got {b.shape}")
    if not np.all(np.isfinite(b)):
        raise ValueError("betas contain nan (a fit hit the edge of the beta range): drop or refit those realisations")
    return b


def _dbb(b):
    """``dbeta/beta`` (:func:`~mbl_open.spread.relative_spread`) for b of shape (E, B, R) -> (E,)."""
    return relative_spread(b, site_axis=1, config_axis=-1)


def order_parameter(betas, *, n_resamples=400, seed=0):
    """``dbeta/beta(eps) = sqrt(<<Var_i beta_i>>) / <<Mean_i beta_i>>`` with bootstrap errors (paper Eq. 9).

    Parameters
    ----------
    betas : array_like, shape (R, E, B)
    n_resamples, seed : int
        Bootstrap over realisations, driven by ``numpy.random.default_rng(seed)``.

    Returns
    -------
    value, error : ndarray, shape (E,)
    """
    b = _check_betas(betas)
    if b.shape[0] < 2:
        return _dbb(np.moveaxis(b, 0, -1)), np.full(b.shape[1], np.nan)
    value, err, _ = bootstrap(_dbb, np.moveaxis(b, 0, -1), n_resamples=n_resamples, seed=seed)
    return value, err


def order_parameter_realisations(betas) -> np.ndarray:
    """``dbeta/beta`` of each realisation separately, ``std_i beta_i / mean_i beta_i``, shape (R, E)."""
    b = _check_betas(betas)
    return b.std(axis=2) / b.mean(axis=2)


@dataclass(frozen=True)
class ZFit:
    """Fit ``dbeta/beta = A eps**p`` with ``p = 1/(2z)`` over ``window`` (paper Eq. 9, ergodic side).

    ``law`` is the power law fitted to the full ensemble (call the ``ZFit`` to
    evaluate it); ``p_err`` and ``z_err`` are jackknife errors over realisations.
    """

    z: float
    z_err: float
    p: float
    p_err: float
    law: PowerLawFit
    window: tuple

    @property
    def prefactor(self) -> float:
        return self.law.prefactor

    @property
    def n_points(self) -> int:
        return self.law.n_points

    def __call__(self, eps):
        return self.law(eps)


def fit_z(eps, betas, *, window=None, n_blocks=None) -> ZFit:
    """Dynamical exponent ``z`` from ``dbeta/beta ~ eps**(1/2z)`` at small ``eps``, jackknife errors.

    Parameters
    ----------
    eps : array_like, shape (E,)
    betas : array_like, shape (R, E, B)
    window : (float, float), optional
        Only ``window[0] <= eps <= window[1]`` enter the fit (at least 3
        values); default all.  Comparing sizes or solvers, use the same window.
    n_blocks : int, optional
        Jackknife blocks (default: delete-one up to 20 blocks).

    Returns
    -------
    ZFit
        ``z = 1/(2p)``; ``inf`` when ``p <= 0`` (no decrease towards small
        ``eps``: the MBL side, where paper Eq. 9 has a finite intercept instead).
        The exponent is fitted as a straight line in log-log coordinates
        (unweighted: the points share their disorder, so their errors are
        correlated and a diagonal weighting would be wrong anyway).
    """
    eps = check_real_array("eps", eps, low=0.0, low_open=True, ndim=1)
    b = _check_betas(betas)
    if b.shape[1] != eps.size:
        raise ValueError(f"betas has {b.shape[1]} eps values, eps has {eps.size}")
    keep = np.ones(eps.size, bool)
    if window is not None:
        lo, hi = _check_window(window)
        keep = (eps >= lo * (1 - 1e-12)) & (eps <= hi * (1 + 1e-12))
    if keep.sum() < 3:
        raise ValueError(f"fit_z needs at least 3 eps inside window={window}, got {int(keep.sum())}")
    R = b.shape[0]
    if R < 2:
        raise ValueError("fit_z needs at least 2 realisations for its jackknife error")
    n_blocks = min(R, 20) if n_blocks is None else check_int("n_blocks", n_blocks, low=2, high=R)
    e = eps[keep]
    data = np.moveaxis(b[:, keep], 0, -1)  # (E', B, R)

    def slope(x):
        return fit_power_law(e, _dbb(x)).exponent

    p, p_err = jackknife(slope, data, n_blocks=n_blocks)
    p, p_err = float(p), float(p_err)
    z = 1.0 / (2.0 * p) if p > 0 else np.inf
    z_err = p_err / (2.0 * p * p) if p > 0 else np.inf
    return ZFit(z=float(z), z_err=float(z_err), p=p, p_err=p_err, law=fit_power_law(e, _dbb(data)),
                window=(float(e.min()), float(e.max())))


def _increasing_at_smallest(x):
    """x: per-realisation dbeta/beta, shape (E, R) with eps decreasing -> 1 where it grows with eps."""
    return (x[-2] > x[-1]).astype(float)


def slope_probability(eps, betas, *, n_resamples=400, seed=0):
    """``P``: fraction of realisations whose ``dbeta/beta`` increases with ``eps`` at the smallest ``eps``.

    The slope is the sign of ``dbeta/beta(eps_2) - dbeta/beta(eps_1)`` for the
    two smallest ``eps``.  Ergodic realisations have ``P -> 1``; on the MBL side
    the slope is negative (``const - b eps``, paper Eq. 9) and ``P`` falls below 1/2.

    Returns
    -------
    P, error, replicas : float, float, ndarray (n_resamples,)
        Bootstrap over realisations (``replicas`` feed :func:`critical_disorder`).
    """
    eps = check_real_array("eps", eps, low=0.0, low_open=True, ndim=1)
    b = _check_betas(betas)
    if eps.size != b.shape[1] or eps.size < 2:
        raise ValueError(f"need at least 2 eps values matching betas, got {eps.size} and {b.shape[1]}")
    order = np.argsort(-eps)  # decreasing eps: the smallest last
    per = order_parameter_realisations(b)[:, order].T  # (E, R)

    def est(x):
        return np.mean(_increasing_at_smallest(x), axis=-1)

    P, err, reps = bootstrap(est, per, n_resamples=n_resamples, seed=seed)
    return float(P), float(err), reps


def _crossing(h, P, level=0.5):
    """First ``h`` where P, linearly interpolated, comes down to ``level`` (nan if it never does)."""
    for k in range(1, len(h)):
        if P[k - 1] > level >= P[k]:
            return h[k - 1] + (P[k - 1] - level) / (P[k - 1] - P[k]) * (h[k] - h[k - 1])
    return np.nan


def critical_disorder(h, P, replicas=None, *, level=0.5):
    """``h_c`` where ``P(h) = 1/2`` (paper Fig. 2c), with a bootstrap error.

    Parameters
    ----------
    h : array_like, shape (H,)
        Increasing disorder strengths.
    P : array_like, shape (H,)
    replicas : array_like, shape (H, n_resamples), optional
        Bootstrap replicas of ``P`` per ``h`` (independent realisations at
        different ``h``, so replicas combine index by index).

    Returns
    -------
    h_c, error, fraction : float, float, float
        ``h_c`` is ``nan`` if ``P`` stays above 1/2 over the whole range
        (then ``h_c > max(h)``); ``fraction`` is the share of bootstrap
        replicas that cross inside the range (the error uses only those).
    """
    h = check_real_array("h", h, ndim=1)
    P = check_real_array("P", P, low=0.0, high=1.0, ndim=1)
    if h.shape != P.shape or np.any(np.diff(h) <= 0):
        raise ValueError("h must be increasing and P must have its length")
    level = check_real("level", level, low=0.0, high=1.0, low_open=True, high_open=True)
    hc = float(_crossing(h, P, level))
    if replicas is None:
        return hc, np.nan, np.nan
    reps = check_array("replicas", replicas)
    if reps.ndim != 2 or reps.shape[0] != h.size:
        raise ValueError(f"replicas must have shape (len(h), n_resamples), got {reps.shape}")
    cross = np.array([_crossing(h, reps[:, k], level) for k in range(reps.shape[1])])
    ok = np.isfinite(cross)
    err = float(np.std(cross[ok], ddof=1)) if ok.sum() >= 2 else np.nan
    return hc, err, float(ok.mean())


@dataclass(frozen=True)
class CriticalFit:
    """Fit of ``z(h)`` near ``h_c``: ``form`` is ``'power'`` or ``'kt'``.

    ``power``: ``z = A (h_c - h)**(-nu)``;  ``kt``: ``z = A exp(c / sqrt(h_c - h))``.
    ``exponent`` is ``nu`` or ``c``; ``chi2`` is the weighted sum of squared
    residuals of ``log z`` and ``dof`` its degrees of freedom; ``probability``
    the chance of a ``chi2`` at least this large if the form is right.
    """

    form: str
    exponent: float
    exponent_err: float
    prefactor: float
    h_c: float
    h_c_err: float
    chi2: float
    dof: int

    @property
    def probability(self) -> float:
        """``P(chi2' >= chi2)`` for ``dof`` degrees of freedom: below 0.01, the form is excluded."""
        return fit_probability(self.chi2, self.dof) if self.dof >= 1 else float("nan")

    def __call__(self, h):
        x = self.h_c - np.asarray(h, dtype=float)
        if self.form == "power":
            return self.prefactor * x ** (-self.exponent)
        return self.prefactor * np.exp(self.exponent / np.sqrt(x))


def fit_probability(chi2, dof) -> float:
    """The chance of a ``chi2`` at least this large with ``dof >= 1`` degrees of freedom (a fit's quality)."""
    chi2 = check_real("chi2", chi2, low=0.0)
    dof = check_int("dof", dof, low=1)
    return float(chi2_distribution.sf(chi2, dof))


def _log_model(form):
    if form == "power":
        return lambda h, la, e, hc: la - e * np.log(hc - h)
    return lambda h, la, e, hc: la + e / np.sqrt(hc - h)


def fit_critical_exponent(h, z, z_err, *, form="power", h_c=None) -> CriticalFit:
    """Fit the growth of ``z`` towards ``h_c`` (paper Fig. 3): power law (``nu``) or KT form.

    Parameters
    ----------
    h, z, z_err : array_like
        Finite ``z`` with errors at ``h < h_c``.
    form : {'power', 'kt'}
    h_c : float, optional
        Fix the critical disorder (e.g. from :func:`critical_disorder`);
        otherwise it is a third fit parameter.

    Fits are in ``log z`` with weights ``z / z_err``.  Compare the two forms by
    ``chi2`` at equal ``dof``.
    """
    if form not in ("power", "kt"):
        raise ValueError(f"form must be 'power' or 'kt', got {form!r}")
    h = check_real_array("h", h, ndim=1)
    z = check_real_array("z", z, low=0.0, low_open=True, ndim=1)
    z_err = check_real_array("z_err", z_err, low=0.0, low_open=True, ndim=1)
    if not h.shape == z.shape == z_err.shape:
        raise ValueError("h, z and z_err must have the same length")
    sigma = z_err / z
    model = _log_model(form)
    if h_c is not None:
        h_c = check_real("h_c", h_c, low=float(h.max()), low_open=True)
        n_par = 2
        if h.size < n_par + 1:
            raise ValueError(f"need at least {n_par + 1} points, got {h.size}")
        popt, pcov = curve_fit(lambda hh, la, e: model(hh, la, e, h_c), h, np.log(z), p0=[0.0, 1.0],
                               sigma=sigma, absolute_sigma=True, maxfev=20000)
        hc, hc_err = h_c, 0.0
    else:
        n_par = 3
        if h.size < n_par + 1:
            raise ValueError(f"need at least {n_par + 1} points to fit h_c as well, got {h.size}")
        lo = float(h.max()) + 1e-6
        popt, pcov = curve_fit(model, h, np.log(z), p0=[0.0, 1.0, h.max() + 1.0], sigma=sigma,
                               absolute_sigma=True, bounds=([-np.inf, 0.0, lo], [np.inf, np.inf, np.inf]),
                               maxfev=20000)
        hc, hc_err = float(popt[2]), float(np.sqrt(pcov[2, 2]))
    resid = (np.log(z) - model(h, *popt) if h_c is None else np.log(z) - model(h, popt[0], popt[1], h_c)) / sigma
    return CriticalFit(form=form, exponent=float(popt[1]), exponent_err=float(np.sqrt(pcov[1, 1])),
                       prefactor=float(np.exp(popt[0])), h_c=float(hc), h_c_err=hc_err,
                       chi2=float(resid @ resid), dof=int(h.size - n_par))


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
              min_realisations=2) -> CriticalPointSummary:
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

    Raises
    ------
    ValueError
        If ``N`` is not in the ensemble, or no ``h`` has ``min_realisations``.
    """
    from .ensemble.dataset import Ensemble

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
        P, Perr, reps = slope_probability(ensemble.eps, b, n_resamples=n_resamples, seed=seed)
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
    ok = np.isfinite(summary.z) & (summary.z_err < summary.z)
    return ok & (summary.h < h_c) if np.isfinite(h_c) else ok


@dataclass(frozen=True)
class SizeRow:
    """The critical-point numbers of one chain length (one row of the finite-size table).

    ``z``, ``z_err`` are per ``h``; ``h_c`` from ``P(h) = 1/2`` (``nan``: no
    crossing up to ``max(h)``); ``nu`` from a power-law fit of the resolved
    ``z`` at that ``h_c``, and ``kt_c`` from the Kosterlitz-Thouless form
    ``z = A exp(c / sqrt(h_c - h))`` on the same points, with the ``chi2`` of
    each fit and their common degrees of freedom ``fit_dof`` (all ``nan``
    with fewer than three resolved points).
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

    def probability(self, form) -> float:
        """The ``chi2`` probability of the ``'power'`` or ``'kt'`` fit (``nan`` without a fit)."""
        if form not in ("power", "kt"):
            raise ValueError(f"form must be 'power' or 'kt', got {form!r}")
        chi2 = self.chi2_power if form == "power" else self.chi2_kt
        return fit_probability(chi2, int(self.fit_dof)) if np.isfinite(chi2) else float("nan")


def size_row(ensemble, N, *, chi=None, window=None, n_resamples=400, seed=0) -> SizeRow:
    """Summarise one chain length of an ensemble into a :class:`SizeRow` (paper Figs. 2c and 3)."""
    s = summarise(ensemble, N, chi=chi, window=window, n_resamples=n_resamples, seed=seed)
    hc, hc_err, _ = s.critical_disorder()
    ok = resolved(s, hc)
    if not (ok.sum() >= 3 and np.isfinite(hc)):
        return SizeRow(int(N), s.h, s.realisations, s.z, s.z_err, float(hc), float(hc_err), np.nan, np.nan)
    power, kt = (fit_critical_exponent(s.h[ok], s.z[ok], s.z_err[ok], form=form, h_c=hc) for form in ("power", "kt"))
    return SizeRow(int(N), s.h, s.realisations, s.z, s.z_err, float(hc), float(hc_err),
                   float(power.exponent), float(power.exponent_err), float(kt.exponent), float(kt.exponent_err),
                   float(power.chi2), float(kt.chi2), float(power.dof))


def nu_sensitivity(h, z, z_err, h_c, h_c_err) -> dict:
    """How much of ``nu`` is set by the choice of ``h_c``: the power-law fit at ``h_c - err``, ``h_c``, ``h_c + err``.

    The error of :func:`fit_critical_exponent` holds ``h_c`` fixed; refitting
    with ``h_c`` moved by its own error shows the larger uncertainty.

    Parameters
    ----------
    h, z, z_err : array_like
        The resolved exponents (:func:`resolved`).
    h_c, h_c_err : float
        The critical disorder and its error.

    Returns
    -------
    dict
        ``h_c_try -> (nu, n_points)`` for every trial with at least three points below it.
    """
    h = check_real_array("h", h, ndim=1)
    z, z_err = (check_real_array(name, a, low=0.0, low_open=True, ndim=1) for name, a in (("z", z), ("z_err", z_err)))
    if not (h.shape == z.shape == z_err.shape and h.ndim == 1):
        raise ValueError(f"h, z and z_err must be 1-D arrays of one length, got shapes {h.shape}, {z.shape}, "
                         f"{z_err.shape}")
    h_c = check_real("h_c", h_c)
    h_c_err = check_real("h_c_err", h_c_err, low=0.0)
    out = {}
    for trial in (h_c - h_c_err, h_c, h_c + h_c_err):
        sel = h < trial
        if sel.sum() >= 3:
            f = fit_critical_exponent(h[sel], z[sel], z_err[sel], form="power", h_c=trial)
            out[float(trial)] = (f.exponent, int(sel.sum()))
    return out


#: The paper's numbers at ``N = 20`` (TEBD, ``chi = 100``), as the finite-size table prints them.
PAPER_N20 = {"z(h=1)": "about 2", "z(h=4-5)": "> 8", "h_c": ">= 8.75 ± 0.5", "nu": "4 ± 0.9",
             "KT": "not excluded"}
#: The paper's critical disorder and exponent at ``N = 20`` as (value, error), for comparisons in units of errors.
PAPER_N20_VALUES = {"h_c": (8.75, 0.5), "nu": (4.0, 0.9)}


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
        ``N`` (the largest size holding ``h``), ``z``, ``z_err``, ``z_ref``, ``z_ref_err``, ``pull`` (their
        difference in combined errors, :func:`~mbl_open.resampling.pull`) and ``below_2`` (whether every size's
        ``z(h)`` lies below 2).
    """
    check_mapping("rows", rows)
    h = check_real("h", h, low=0.0)
    reference_N = check_int("reference_N", reference_N, low=2)
    z = {}
    for n, row in rows.items():
        check_instance(f"rows[{n!r}]", row, SizeRow, "a SizeRow (size_row)")
        k = np.flatnonzero(row.h == h)
        if k.size and np.isfinite(row.z[k[0]]) and row.z_err[k[0]] < row.z[k[0]]:
            z[n] = (float(row.z[k[0]]), float(row.z_err[k[0]]))
    if reference_N not in z:
        raise ValueError(f"reference_N = {reference_N} has no resolved z at h = {h:g}; sizes with one: {sorted(z)}")
    big = max(z)
    return dict(N=big, z=z[big][0], z_err=z[big][1], z_ref=z[reference_N][0], z_ref_err=z[reference_N][1],
                pull=pull(*z[big], *z[reference_N]), below_2=all(v < 2 for v, _ in z.values()))


def format_size_table(entries, table_h) -> str:
    """The finite-size table: ``z(h)``, ``h_c`` and ``nu`` per chain length, then the paper's row.

    Parameters
    ----------
    entries : sequence of (str, int, SizeRow or str)
        ``(dataset tag, N, row)``; a string in place of a row says why a size has no row yet.
    table_h : sequence of float
        The disorder strengths whose ``z`` gets a column.

    Returns
    -------
    str
    """
    table_h = check_real_array("table_h", table_h, low=0.0, ndim=1).tolist()
    if isinstance(entries, (str, bytes)) or not np.iterable(entries):
        raise TypeError(f"entries must be a list of (label, N, SizeRow or reason) triples, got {entries!r}")
    entries = list(entries)
    for i, e in enumerate(entries):
        if isinstance(e, (str, bytes)) or not np.iterable(e) or len(e) != 3:
            raise TypeError(f"entries[{i}] must be a (label, N, SizeRow or reason) triple, got {e!r:.80}")
    lines = [f"{'N':>3} {'dataset':24s} {'R':>3} " + "".join(f"{'z(h=' + format(h, 'g') + ')':>14}"
                                                            for h in table_h)
             + f"{'h_c':>13} {'nu':>11} {'KT c':>11} {'chi2 nu/KT':>16}"]
    for tag, n, row in entries:
        if not isinstance(row, SizeRow):
            lines.append(f"{n:>3} {tag:24s} (no row yet: {row})")
            continue
        zs = []
        for h in table_h:
            k = np.flatnonzero(row.h == h)
            if not k.size or not np.isfinite(row.z[k[0]]):
                zs.append(f"{'-':>13}")
            elif row.z_err[k[0]] >= row.z[k[0]]:  # the rule of resolved(): an error as large as the value
                zs.append(f"{'unresolved':>13}")
            else:
                zs.append(f"{row.z[k[0]]:6.2f} ± {row.z_err[k[0]]:5.2f}")
        hc_txt = f"{row.h_c:5.2f} ± {row.h_c_err:4.2f}" if np.isfinite(row.h_c) else f"> {row.h.max():g}"
        nu_txt = f"{row.nu:4.1f} ± {row.nu_err:3.1f}" if np.isfinite(row.nu) else "-"
        kt_txt = f"{row.kt_c:4.1f} ± {row.kt_c_err:3.1f}" if np.isfinite(row.kt_c) else "-"
        chi_txt = (f"{row.chi2_power:.1f} / {row.chi2_kt:.1f} ({row.fit_dof:g})" if np.isfinite(row.chi2_kt)
                   else "-")
        lines.append(f"{n:>3} {tag:24s} {row.realisations.min():>3} " + " ".join(zs)
                     + f" {hc_txt:>13} {nu_txt:>11} {kt_txt:>11} {chi_txt:>16}")
    lines.append("R: fewest realisations of any h in the row; unresolved: the error of z is as large as z; "
                 "chi2 nu/KT: of the power law and of the Kosterlitz-Thouless form (dof) on the same points")
    paper = PAPER_N20
    lines.append(f"{20:>3} {'paper (TEBD, chi = 100)':24s} {'':>3} {paper['z(h=1)']:>13} {'':>13} {'':>13} "
                 f"{paper['z(h=4-5)'] + ' (h=4-5)':>13} {paper['h_c']:>13} {paper['nu']:>11} {paper['KT']:>11}")
    return "\n".join(lines)


def chi_convergence(tebd, exact, N, h) -> dict:
    """Relative error of ``dbeta/beta`` from TEBD at each bond dimension against the exact solver (paper Fig. 8).

    Both datasets must come from sweeps with the same base seed, so that
    realisation ``r`` is the same chain in both (:mod:`mbl_open.lindblad.realisation`).

    Parameters
    ----------
    tebd, exact : Ensemble
        TEBD at several ``chi``, and the exact solver, both holding ``(N, h)``.
    N : int
    h : float

    Returns
    -------
    dict
        ``chi -> ndarray`` of ``|O(chi) - O_exact| / O_exact`` per ``eps`` of
        the TEBD ladder, ``O`` the disorder-averaged ``dbeta/beta`` over the
        TEBD realisations.
    """
    from .ensemble.dataset import Ensemble

    for name, d in (("tebd", tebd), ("exact", exact)):
        if not isinstance(d, Ensemble):
            raise TypeError(f"{name} must be an Ensemble, got {type(d).__name__}")
    if tebd.physics.get("seed") != exact.physics.get("seed"):
        raise ValueError(f"the datasets have different seeds ({tebd.physics.get('seed')} and "
                         f"{exact.physics.get('seed')}): their realisations are different chains")
    out = {}
    for chi in tebd.chis():  # each chi against the exact solver on its own realisations (a sweep may be growing)
        r = tebd.realisations(N, h, chi)
        o_exact = _ensemble_spread(exact.aligned_betas(N, h, realisations=r, eps=tebd.eps))
        out[chi] = np.abs(_ensemble_spread(tebd.betas_for(N, h, chi, drop_nan=False)) - o_exact) / o_exact
    return out


def _ensemble_spread(betas) -> np.ndarray:
    """Disorder-averaged ``dbeta/beta`` of ``betas (R, E, B)``, one value per ``eps``."""
    return np.array([relative_spread(betas[:, j], site_axis=1, config_axis=0) for j in range(betas.shape[1])])


def chi_convergence_to_largest(tebd, N, h) -> dict:
    """Relative change of ``dbeta/beta`` from each bond dimension to the largest one (paper Fig. 8).

    Where no exact steady state exists (``N > 8`` here), the largest bond
    dimension of the sweep is the reference, as the paper takes ``chi = 100``
    at ``N = 20``.  Each smaller ``chi`` is compared on the realisations it
    shares with the largest, so that a growing sweep compares the same chains.

    Parameters
    ----------
    tebd : Ensemble
        TEBD at two or more bond dimensions, holding ``(N, h)``.
    N : int
    h : float

    Returns
    -------
    dict
        ``chi -> ndarray (E,)`` of ``|O(chi) - O(chi_max)| / O(chi_max)`` per
        ``eps`` of the ladder, for every ``chi < chi_max`` that shares at least
        one realisation with ``chi_max``; ``O`` is the disorder-averaged
        ``dbeta/beta`` over the shared realisations.
    """
    check_instance("tebd", tebd, Ensemble, "an Ensemble")
    chis = tebd.chis()
    if len(chis) < 2:
        raise ValueError(f"tebd must hold at least two bond dimensions to compare, it holds chi = {chis}")
    top = chis[-1]
    r_top = tebd.realisations(N, h, top)  # refuses an (N, h) without tasks at chi_max
    out = {}
    for chi in chis[:-1]:
        try:
            r = np.intersect1d(tebd.realisations(N, h, chi), r_top)
        except NotInDataError:  # a growing sweep: no task at this (N, h, chi) yet
            continue
        if r.size:
            o_top = _ensemble_spread(tebd.aligned_betas(N, h, top, realisations=r, eps=tebd.eps))
            o = _ensemble_spread(tebd.aligned_betas(N, h, chi, realisations=r, eps=tebd.eps))
            out[chi] = np.abs(o - o_top) / o_top
    return out


@dataclass(frozen=True)
class SameChains:
    """Two datasets' ``dbeta/beta`` on the chains both hold (:func:`same_chains_difference`).

    ``difference[j]`` is the largest relative difference of one chain's
    ``dbeta/beta`` at ``eps[j]``, over the shared ``realisations``.
    """

    eps: np.ndarray
    realisations: np.ndarray
    difference: np.ndarray


def same_chains_difference(a, b, N, h, chi=None) -> SameChains:
    """How closely two sweeps with one seed agree on the chains both solved (a reproduction check).

    Two sweeps with the same base seed solve the same chains (the seeding rule
    of :mod:`mbl_open.lindblad.realisation`).  With the same method, bond
    dimension and solver, they differ only where the solver's stopping rule
    meets round-off: at large ``eps`` the runs agree to machine precision, at
    small ``eps`` the noise plateau of a truncated run may end it a few steps
    earlier or later, which moves ``dbeta/beta`` within the solver's tolerance.

    Parameters
    ----------
    a, b : Ensemble
        Datasets from sweeps with the same base seed.
    N : int
    h : float
    chi : int, optional
        The bond dimension to compare (needed where either holds several).

    Returns
    -------
    SameChains
        Per ``eps`` both ladders hold, ``max_r |O_a(r) - O_b(r)| / O_b(r)``
        with ``O(r)`` the ``dbeta/beta`` of chain ``r`` alone; empty arrays
        where the datasets share no chain.
    """
    for name, d in (("a", a), ("b", b)):
        check_instance(name, d, Ensemble, "an Ensemble")
    if a.physics.get("seed") != b.physics.get("seed"):
        raise ValueError(f"the datasets have different seeds ({a.physics.get('seed')} and {b.physics.get('seed')}): "
                         "their realisations are different chains")
    eps = np.array([e for e in a.eps if np.isclose(b.eps, e, rtol=1e-9, atol=0.0).any()])
    r = np.intersect1d(a.realisations(N, h, chi), b.realisations(N, h, chi))
    if not (r.size and eps.size):
        return SameChains(eps=eps, realisations=r, difference=np.zeros(0))
    o_a = order_parameter_realisations(a.aligned_betas(N, h, chi, realisations=r, eps=eps))
    o_b = order_parameter_realisations(b.aligned_betas(N, h, chi, realisations=r, eps=eps))
    return SameChains(eps=eps, realisations=r, difference=np.max(np.abs(o_a - o_b) / np.abs(o_b), axis=0))


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


@dataclass(frozen=True)
class SizeComparison:
    """``dbeta/beta`` of a second chain length next to a :class:`CriticalPointSummary`, per shared ``h``.

    Arrays have one row per entry of ``h`` (the disorder strengths both hold)
    and one column per ``eps`` of the second dataset's ladder.  ``ratio`` is
    the second size's ``dbeta/beta`` over the summary's at the same ``eps``;
    ``pull`` is the largest ``|difference| / combined error`` over ``eps``
    (:func:`~mbl_open.resampling.pull`).
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
    from .ensemble.dataset import Ensemble, eps_index

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


def z_by_size(datasets, h_values, *, window, min_realisations=2) -> dict:
    """``z`` in one ``eps`` window for every chain length the datasets hold (paper Fig. 10).

    Parameters
    ----------
    datasets : sequence of Ensemble
        Later datasets take precedence for a chain length that several hold.
    h_values : sequence of float
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
    out = {}
    for h in h_values:
        for n, d in sorted(by_size.items()):
            if h in d.h_values(n) and d.count(n, h) >= min_realisations:
                out[float(h), n] = fit_z(d.eps, d.betas_for(n, h), window=window)
    return out
