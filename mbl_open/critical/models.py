"""Models of ``dbeta/beta(eps)`` at one chain length and disorder, fitted with correlated errors and compared.

The order parameter of paper Eq. 9 is measured on a ladder of ``eps`` for the
*same* disorder realisations, so its values at different ``eps`` are strongly
correlated.  Every fit here is a generalised least-squares fit with the block
jackknife covariance between the ``eps`` values (:func:`order_parameter_covariance`),
done by ``lmfit`` on whitened residuals ``L^-1 (y - f)`` with ``C = L L^T``.
A covariance estimated from ``n`` samples gives a biased inverse; the fits
multiply ``chi2`` by the Hartlap factor ``(n - E - 2) / (n - 1)`` for ``E``
fitted points (Hartlap, Simon and Schneider, A&A 464, 399 (2007)), which
matters at 12-24 realisations.

Models (``MODELS``)
-------------------
``power_law``
    ``A eps**p``, ``p = 1/(2z)``: paper Eq. 9 on the ergodic side (in ``d = 1``).
``power_floor``
    ``c + A eps**p``: the power law beside a finite-``N`` floor that
    ``dbeta/beta`` approaches as ``eps -> 0`` (the rate-equation limit).
``diffusion``
    The ``z = 2`` null hypothesis of a *finite* chain (:func:`diffusion_curve`):
    two parameters, the diffusion constant over the bath coupling ``D`` and an
    amplitude.
``mbl_linear``
    ``y0 + b eps``: paper Eq. 9 on the MBL side, a finite intercept with a
    linear correction.

The finite-chain diffusion curve itself is in :mod:`~mbl_open.critical.diffusion`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from ..infrastructure._validate import check_choice, check_int, check_real_array, check_window
from ..numerics.resampling import jackknife_covariance
from .diffusion import diffusion_curve
from .statistics import _check_betas as _check_array_betas, _dbb

__all__ = [
    "MODELS",
    "ACCEPTABLE_P",
    "ModelFit",
    "ModelComparison",
    "order_parameter_covariance",
    "fit_model",
    "compare_models",
]

#: The models of ``dbeta/beta(eps)`` and their parameters (module docstring).
MODELS = {
    "power_law": ("A", "p"),
    "power_floor": ("c", "A", "p"),
    "diffusion": ("A", "D"),
    "mbl_linear": ("y0", "b"),
}

#: Fits whose chi2 probability is below this are not used for the systematic error of z.
ACCEPTABLE_P = 0.01


# --- data: the order parameter and its covariance --------------------------------------------------------

def _check_betas(eps, betas):
    """``eps`` and ``betas (R, E, B)`` checked as :mod:`.statistics` checks them, with three realisations at least."""
    eps = check_real_array("eps", eps, low=0.0, low_open=True, ndim=1)
    b = _check_array_betas(betas)
    if b.shape[1] != eps.size:
        raise ValueError(f"betas must have shape (realisations, {eps.size} eps, bonds >= 2), got {b.shape}")
    if b.shape[0] < 3:
        raise ValueError(f"betas must hold at least 3 realisations for a covariance, got {b.shape[0]}")
    return eps, b


def _n_blocks(betas, n_blocks):
    """The jackknife blocks behind a covariance of every eps of ``betas`` (enough for the Hartlap factor)."""
    R, E = np.shape(betas)[:2]
    n = min(R, 20) if n_blocks is None else int(n_blocks)
    if n < E + 3:
        raise ValueError(f"a covariance of {E} eps values needs at least {E + 3} realisations (jackknife blocks), "
                         f"got {n}: use fewer eps or more realisations")
    return n


def _data(eps, betas, n_blocks):
    """``(eps, y, cov, n)``: the couplings, ``dbeta/beta``, its covariance and the jackknife blocks behind it."""
    n = _n_blocks(betas, n_blocks)
    y, cov = order_parameter_covariance(eps, betas, n_blocks=n_blocks)
    return np.asarray(eps, dtype=float), y, cov, n


def order_parameter_covariance(eps, betas, *, n_blocks=None):
    """``dbeta/beta`` at every ``eps`` and the jackknife covariance between the ``eps`` values.

    Parameters
    ----------
    eps : array_like, shape (E,)
    betas : array_like, shape (R, E, B)
        Local inverse temperatures (realisations, eps, bonds), all finite.
    n_blocks : int, optional
        Jackknife blocks (default: delete-one up to 20 blocks, ``3 <= n_blocks <= R``).

    Returns
    -------
    y : ndarray, shape (E,)
    cov : ndarray, shape (E, E)
    """
    eps, b = _check_betas(eps, betas)
    R = b.shape[0]
    n_blocks = min(R, 20) if n_blocks is None else check_int("n_blocks", n_blocks, low=3, high=R)
    return jackknife_covariance(_dbb, np.moveaxis(b, 0, -1), n_blocks=n_blocks)


# --- fits -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ModelFit:
    """One model fitted to ``dbeta/beta(eps)`` with the covariance of the data.

    Attributes
    ----------
    model : str
        A key of :data:`MODELS`.
    params, errors : dict
        Best-fit values and one-sigma errors (``nan`` where the fit cannot give one).
    chi2 : float
        ``r^T C^-1 r`` at the minimum.
    dof : int
        Points minus parameters.
    p_value : float
        Chi-square probability of ``chi2`` (``nan`` without degrees of freedom).
    aic, bic : float
        ``chi2 + 2k`` and ``chi2 + k ln n`` (known covariance: no variance is estimated).
    eps : tuple of float
        The points fitted.
    """

    model: str
    params: dict
    errors: dict
    chi2: float
    dof: int
    p_value: float
    aic: float
    bic: float
    eps: tuple

    @property
    def acceptable(self) -> bool:
        """True when the fit has degrees of freedom and a chi2 probability of at least ``ACCEPTABLE_P``."""
        return bool(self.dof >= 1 and self.p_value >= ACCEPTABLE_P)

    @property
    def z(self) -> float:
        """``1 / (2p)`` of a power-law model (2 for ``diffusion``; ``inf`` where ``p <= 0``; ``nan`` for ``mbl_linear``)."""
        if self.model == "diffusion":
            return 2.0
        p = self.params.get("p")
        if p is None:
            return float("nan")
        return float(1.0 / (2.0 * p)) if p > 0 else float("inf")

    @property
    def z_err(self) -> float:
        p, dp = self.params.get("p"), self.errors.get("p")
        if p is None or not p > 0:
            return float("nan") if p is None else float("inf")
        return float(dp / (2.0 * p * p))

    def __call__(self, eps) -> np.ndarray:
        return _curve(self.model, np.asarray(eps, dtype=float), self.params, self._N)

    _N: int = field(default=0, repr=False)


def _curve(model, eps, params, N):
    if model == "power_law":
        return params["A"] * eps ** params["p"]
    if model == "power_floor":
        return params["c"] + params["A"] * eps ** params["p"]
    if model == "diffusion":
        return diffusion_curve(eps, N, params["D"], params["A"])
    return params["y0"] + params["b"] * eps


def _start(model, eps, y, N):
    """Starting values (and bounds) for lmfit: from a log-log line or a scan of D."""
    p, logA = np.polyfit(np.log(eps), np.log(y), 1)
    if model == "power_law":
        return dict(A=(np.exp(logA), 0.0, np.inf), p=(p, -2.0, 2.0))
    if model == "power_floor":
        return dict(c=(0.5 * y.min(), 0.0, np.inf), A=(np.exp(logA), 0.0, np.inf), p=(max(p, 0.1), 0.0, 3.0))
    if model == "diffusion":
        grid = np.logspace(-4, 4, 161)
        shapes = np.array([diffusion_curve(eps, N, d) for d in grid])
        amps = (shapes @ y) / np.sum(shapes**2, axis=1)
        best = int(np.argmin(np.sum((amps[:, None] * shapes - y) ** 2, axis=1)))
        return dict(A=(amps[best], 0.0, np.inf), D=(grid[best], 1e-8, 1e8))
    slope, y0 = np.polyfit(eps, y, 1)
    return dict(y0=(y0, -np.inf, np.inf), b=(slope, -np.inf, np.inf))


def fit_model(model, eps, y, cov, *, N=None, window=None, n_samples=None) -> ModelFit:
    """Generalised least-squares fit of one model of ``dbeta/beta(eps)``.

    Parameters
    ----------
    model : str
        A key of :data:`MODELS`.
    eps, y : array_like, shape (E,)
        Couplings and ``dbeta/beta`` (positive).
    cov : array_like, shape (E, E)
        Covariance of ``y`` (:func:`order_parameter_covariance`), positive definite.
    N : int, optional
        Chain length; required by ``'diffusion'``.
    window : (float, float), optional
        Only ``window[0] <= eps <= window[1]`` enter; at least one point more
        than the model has parameters.
    n_samples : int, optional
        Independent samples behind ``cov`` (jackknife blocks); with it the
        inverse covariance gets the Hartlap factor (module docstring), which
        needs ``n_samples > E + 2`` for ``E`` fitted points.

    Returns
    -------
    ModelFit
    """
    from lmfit import Parameters, minimize

    check_choice("model", model, tuple(MODELS))
    eps = check_real_array("eps", eps, low=0.0, low_open=True, ndim=1)
    y = check_real_array("y", y, low=0.0, low_open=True, ndim=1)
    cov = check_real_array("cov", cov, ndim=2)
    if y.shape != eps.shape or cov.shape != (eps.size, eps.size):
        raise ValueError(f"eps, y and cov must have shapes (E,), (E,), (E, E); got {eps.shape}, {y.shape}, {cov.shape}")
    if model == "diffusion":
        if N is None:
            raise ValueError("N (the chain length) is required by the 'diffusion' model")
        N = check_int("N", N, low=3)
    keep = np.ones(eps.size, bool)
    if window is not None:
        lo, hi = check_window("window", window, low=0.0)
        keep = (eps >= lo * (1 - 1e-12)) & (eps <= hi * (1 + 1e-12))
    k = len(MODELS[model])
    if keep.sum() < k + 1:
        raise ValueError(f"model {model!r} has {k} parameters and needs at least {k + 1} eps inside "
                         f"window={window}, got {int(keep.sum())}")
    e, v, C = eps[keep], y[keep], cov[np.ix_(keep, keep)]
    hartlap = 1.0
    if n_samples is not None:
        n_samples = check_int("n_samples", n_samples, low=e.size + 3)
        hartlap = (n_samples - e.size - 2) / (n_samples - 1)
    try:
        L = np.linalg.cholesky(C)
    except np.linalg.LinAlgError:
        raise ValueError("cov must be positive definite on the fitted points (more realisations, or fewer eps)") \
            from None
    params = Parameters()
    for name, (value, lo, hi) in _start(model, e, v, N).items():
        params.add(name, value=float(np.clip(value, lo, hi)), min=lo, max=hi)

    def residual(pars):
        return np.sqrt(hartlap) * np.linalg.solve(L, v - _curve(model, e, pars.valuesdict(), N))

    out = minimize(residual, params, method="leastsq", scale_covar=False)
    values = {name: float(out.params[name].value) for name in MODELS[model]}
    errors = {name: float(out.params[name].stderr) if out.params[name].stderr is not None else float("nan")
              for name in MODELS[model]}
    chi2 = float(np.sum(residual(out.params) ** 2))
    dof = int(e.size - k)
    p_value = float(stats.chi2.sf(chi2, dof)) if dof >= 1 else float("nan")
    return ModelFit(model=model, params=values, errors=errors, chi2=chi2, dof=dof, p_value=p_value,
                    aic=chi2 + 2 * k, bic=chi2 + k * np.log(e.size), eps=tuple(map(float, e)), _N=N or 0)


@dataclass(frozen=True)
class ModelComparison:
    """Every model fitted to the same points, ordered by ``aic`` (best first).

    Attributes
    ----------
    fits : tuple of ModelFit
    weights : dict
        Akaike weights ``exp(-dAIC/2)`` normalised over the models.
    y, cov : ndarray
        The data and covariance fitted.
    """

    fits: tuple
    weights: dict
    y: np.ndarray
    cov: np.ndarray

    @property
    def best(self) -> ModelFit:
        return self.fits[0]

    def __getitem__(self, model) -> ModelFit:
        for f in self.fits:
            if f.model == model:
                return f
        raise KeyError(f"model {model!r} was not fitted; fitted: {[f.model for f in self.fits]}")


def compare_models(eps, betas, *, N, models=None, window=None, n_blocks=None) -> ModelComparison:
    """Fit every model to the same ``eps`` points of one ``(N, h)`` ensemble and rank them by AIC.

    Parameters
    ----------
    eps : array_like, shape (E,)
    betas : array_like, shape (R, E, B)
    N : int
        Chain length (for ``'diffusion'``).
    models : sequence of str, optional
        Keys of :data:`MODELS` (default: all whose parameter count leaves a degree of freedom).
    window : (float, float), optional
        The ``eps`` range fitted by every model (default: all).
    n_blocks : int, optional
        Jackknife blocks of the covariance.

    Returns
    -------
    ModelComparison
    """
    if window is not None:
        window = check_window("window", window, low=0.0)
    eps, y, cov, n = _data(eps, betas, n_blocks)
    n_points = eps.size if window is None else int(np.sum((eps >= window[0] * (1 - 1e-12))
                                                          & (eps <= window[1] * (1 + 1e-12))))
    if models is None:
        models = [m for m, names in MODELS.items() if n_points > len(names)]
    if not models:
        raise ValueError(f"models must name at least one model of {list(MODELS)}")
    fits = sorted((fit_model(m, eps, y, cov, N=N, window=window, n_samples=n) for m in models), key=lambda f: f.aic)
    best = fits[0].aic
    raw = {f.model: np.exp(-(f.aic - best) / 2) for f in fits}
    total = sum(raw.values())
    return ModelComparison(fits=tuple(fits), weights={m: float(w / total) for m, w in raw.items()}, y=y, cov=cov)
