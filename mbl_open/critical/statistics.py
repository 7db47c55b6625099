"""Statistics of one disorder ensemble, on plain arrays: dbeta/beta(eps), z, P(h), h_c and nu (paper Eq. 9, Figs. 2, 3).

Every function takes the local inverse temperatures of one ``(N, h)`` as an
array ``betas`` of shape ``(R, E, B)``: ``R`` realisations, ``E`` values of
``eps`` (the same disorder for all of them), ``B = N - 1`` bonds; or numbers
derived from them.  Nothing here knows a dataset or a store.  Errors come from
resampling *realisations*, which carries the correlation between different
``eps`` (same disorder) into fitted quantities: the bootstrap for
``dbeta/beta`` and ``P(h)``, the jackknife for ``z`` (as in the paper).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import curve_fit
from scipy.stats import chi2 as chi2_distribution

from ..infrastructure._validate import check_array, check_distinct, check_int, check_real, check_real_array, check_window
from ..numerics.fits import PowerLawFit, fit_power_law
from ..numerics.resampling import bootstrap, jackknife
from ..numerics.spread import relative_spread

__all__ = [
    "order_parameter",
    "order_parameter_realisations",
    "ZFit",
    "fit_z",
    "slope_probability",
    "critical_disorder",
    "CriticalFit",
    "fit_probability",
    "fit_critical_exponent",
    "nu_sensitivity",
]


def _check_window(window) -> tuple[float, float]:
    """An ``eps`` window ``(low, high)`` with ``0 <= low < high``."""
    return check_window("window", window, low=0.0)


def _check_betas(betas) -> np.ndarray:
    """``betas`` of shape (R, E, B), finite, whose mean over realisations and bonds is nonzero at every eps."""
    b = check_array("betas", betas, finite=False)
    if b.ndim != 3 or b.shape[2] < 2 or b.shape[0] < 1:
        raise ValueError(f"betas must have shape (R, E, B) = (realisations, eps, bonds) with B >= 2, got {b.shape}")
    if not np.all(np.isfinite(b)):
        raise ValueError("betas contain nan (a fit hit the edge of the beta range): drop or refit those realisations")
    zero = np.flatnonzero(b.mean(axis=(0, 2)) == 0)
    if zero.size:
        raise ValueError(f"betas must have a nonzero mean over realisations and bonds at every eps: dbeta/beta is "
                         f"undefined at infinite temperature (mean beta = 0), found at eps index {zero.tolist()}")
    return b


def _dbb(b):
    """``dbeta/beta`` (:func:`~mbl_open.numerics.spread.relative_spread`) for b of shape (E, B, R) -> (E,)."""
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
    """``dbeta/beta`` of each realisation separately, ``std_i beta_i / mean_i beta_i``.

    Parameters
    ----------
    betas : array_like, shape (R, E, B)
        Every realisation needs a nonzero mean over its bonds at every ``eps``
        (``mean_i beta_i = 0``, e.g. all ``beta_i = 0``, infinite temperature,
        leaves ``dbeta/beta`` undefined).

    Returns
    -------
    ndarray, shape (R, E)
    """
    b = _check_betas(betas)
    mean = b.mean(axis=2)
    if np.any(mean == 0):
        r, e = np.argwhere(mean == 0)[0]
        raise ValueError(f"betas must have a nonzero mean over the bonds of every realisation and eps: dbeta/beta "
                         f"is undefined where mean_i beta_i = 0 (infinite temperature); betas[{r}, {e}] has mean 0")
    return b.std(axis=2) / mean


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
        Distinct bath couplings.
    betas : array_like, shape (R, E, B)
        At least two realisations; ``dbeta/beta`` must be positive at every
        ``eps`` of the fit.
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

    Examples
    --------
    Local inverse temperatures whose spread falls as ``eps**(1/4)`` (diffusion, ``z = 2``):

    >>> import numpy as np
    >>> from mbl_open import critical as cp
    >>> eps = np.array([0.1, 0.05, 0.02])
    >>> noise = np.random.default_rng(0).normal(size=(20, 3, 7))
    >>> betas = 1 + 0.3 * eps[None, :, None] ** 0.25 * noise     # (realisations, eps, bonds)
    >>> fit = cp.fit_z(eps, betas)
    >>> round(fit.z, 2), round(fit.z_err, 2)
    (2.11, 0.32)
    """
    eps = check_real_array("eps", eps, low=0.0, low_open=True, ndim=1)
    check_distinct("eps", eps.tolist())
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
        raise ValueError(f"betas must hold at least 2 realisations (the jackknife error of fit_z), got {R}")
    n_blocks = min(R, 20) if n_blocks is None else check_int("n_blocks", n_blocks, low=2, high=R)
    e = eps[keep]
    data = np.moveaxis(b[:, keep], 0, -1)  # (E', B, R)
    dbb = _dbb(data)
    if not np.all(dbb > 0):  # the log-log fit needs dbeta/beta > 0 (a spread over bonds, a positive mean)
        k = int(np.flatnonzero(~(dbb > 0))[0])
        raise ValueError(f"betas must give dbeta/beta > 0 at every eps of the fit (some spread over the bonds, a "
                         f"positive mean beta), got {dbb[k]:g} at eps = {e[k]:g}")

    def slope(x):
        return fit_power_law(e, _dbb(x)).exponent

    p, p_err = jackknife(slope, data, n_blocks=n_blocks)
    p, p_err = float(p), float(p_err)
    z = 1.0 / (2.0 * p) if p > 0 else np.inf
    z_err = p_err / (2.0 * p * p) if p > 0 else np.inf
    return ZFit(z=float(z), z_err=float(z_err), p=p, p_err=p_err, law=fit_power_law(e, dbb),
                window=(float(e.min()), float(e.max())))


def _increasing_at_smallest(x):
    """x: per-realisation dbeta/beta, shape (E, R) with eps decreasing -> 1 where it grows with eps."""
    return (x[-2] > x[-1]).astype(float)


def slope_probability(eps, betas, *, n_resamples=400, seed=0, eps_pair=None):
    """``P``: fraction of realisations whose ``dbeta/beta`` increases with ``eps`` at small ``eps``.

    The slope is the sign of ``dbeta/beta(eps_hi) - dbeta/beta(eps_lo)`` for a
    pair of couplings, by default the two smallest.  Ergodic realisations have
    ``P -> 1``; on the MBL side the slope is negative (``const - b eps``,
    paper Eq. 9) and ``P`` falls below 1/2.  To compare sizes, use the same
    pair at every size (``eps_pair``).

    Parameters
    ----------
    eps : array_like, shape (E,)
    betas : array_like, shape (R, E, B)
    n_resamples, seed : int
        Bootstrap over realisations.
    eps_pair : (float, float), optional
        The two couplings of the slope, both on the ladder ``eps``.

    Returns
    -------
    P, error, replicas : float, float, ndarray (n_resamples,)
        Bootstrap over realisations (``replicas`` feed :func:`critical_disorder`).
    """
    eps = check_real_array("eps", eps, low=0.0, low_open=True, ndim=1)
    b = _check_betas(betas)
    if eps.size != b.shape[1] or eps.size < 2:
        raise ValueError(f"need at least 2 eps values matching betas, got {eps.size} and {b.shape[1]}")
    if eps_pair is None:
        cols = np.argsort(eps)[:2]
    else:
        lo, hi = check_window("eps_pair", eps_pair, low=0.0)
        cols = []
        for e in (lo, hi):
            k = np.flatnonzero(np.isclose(eps, e, rtol=1e-9, atol=0.0))
            if not k.size:
                raise ValueError(f"eps_pair must be two couplings of the ladder {eps.tolist()}, got {e:g}")
            cols.append(int(k[0]))
    per = order_parameter_realisations(b)[:, [cols[1], cols[0]]].T  # (2, R): larger eps first, the smaller last

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
            raise ValueError(f"h, z and z_err must hold at least {n_par + 1} points, got {h.size}")
        popt, pcov = curve_fit(lambda hh, la, e: model(hh, la, e, h_c), h, np.log(z), p0=[0.0, 1.0],
                               sigma=sigma, absolute_sigma=True, maxfev=20000)
        hc, hc_err = h_c, 0.0
    else:
        n_par = 3
        if h.size < n_par + 1:
            raise ValueError(f"h, z and z_err must hold at least {n_par + 1} points to fit h_c as well, got {h.size}")
        lo = float(h.max()) + 1e-6
        popt, pcov = curve_fit(model, h, np.log(z), p0=[0.0, 1.0, h.max() + 1.0], sigma=sigma,
                               absolute_sigma=True, bounds=([-np.inf, 0.0, lo], [np.inf, np.inf, np.inf]),
                               maxfev=20000)
        hc, hc_err = float(popt[2]), float(np.sqrt(pcov[2, 2]))
    resid = (np.log(z) - model(h, *popt) if h_c is None else np.log(z) - model(h, popt[0], popt[1], h_c)) / sigma
    return CriticalFit(form=form, exponent=float(popt[1]), exponent_err=float(np.sqrt(pcov[1, 1])),
                       prefactor=float(np.exp(popt[0])), h_c=float(hc), h_c_err=hc_err,
                       chi2=float(resid @ resid), dof=int(h.size - n_par))


def nu_sensitivity(h, z, z_err, h_c, h_c_err) -> dict:
    """How much of ``nu`` is set by the choice of ``h_c``: the power-law fit at ``h_c - err``, ``h_c``, ``h_c + err``.

    The error of :func:`fit_critical_exponent` holds ``h_c`` fixed; refitting
    with ``h_c`` moved by its own error shows the larger uncertainty.

    Parameters
    ----------
    h, z, z_err : array_like
        The resolved exponents (:func:`resolved`): at least three, every ``h`` below ``h_c``.
    h_c, h_c_err : float
        The critical disorder, ``h_c > max(h)``, and its error.

    Returns
    -------
    dict
        ``h_c_try -> (nu, n_points)`` for every trial with at least three points below it (always
        ``h_c`` itself; ``h_c - h_c_err`` may leave fewer).
    """
    h = check_real_array("h", h, ndim=1)
    z, z_err = (check_real_array(name, a, low=0.0, low_open=True, ndim=1) for name, a in (("z", z), ("z_err", z_err)))
    if not (h.shape == z.shape == z_err.shape and h.ndim == 1):
        raise ValueError(f"h, z and z_err must be 1-D arrays of one length, got shapes {h.shape}, {z.shape}, "
                         f"{z_err.shape}")
    if h.size < 3:
        raise ValueError(f"h must hold at least three resolved exponents to fit nu, got {h.size}")
    h_c = check_real("h_c", h_c)
    if not h_c > h.max():  # every point must lie on the ergodic side; else no trial may keep three of them
        raise ValueError(f"h_c must be > max(h) = {h.max():g} (h, z, z_err are the exponents resolved below h_c, "
                         f"see resolved), got h_c = {h_c:g}")
    h_c_err = check_real("h_c_err", h_c_err, low=0.0)
    out = {}
    for trial in (h_c - h_c_err, h_c, h_c + h_c_err):
        sel = h < trial
        if sel.sum() >= 3:
            f = fit_critical_exponent(h[sel], z[sel], z_err[sel], form="power", h_c=trial)
            out[float(trial)] = (f.exponent, int(sel.sum()))
    return out
