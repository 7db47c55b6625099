r"""Dynamical exponents of the networks, with jackknife errors over configurations.

Two independent measurements of ``z`` (paper Fig. 7):

* open system: :math:`\delta T/\bar T \sim \varepsilon^{d/2z}` (paper Eq. 2) at small eps;
* closed system: :math:`\sigma_E(t) \sim t^{1/z}` (paper Eq. 17) before the packet
  feels the chain ends.

Both fit a power law to a disorder average and take the error from a block
jackknife over configurations, which keeps the correlations between points
computed on the same disorder.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..infrastructure._validate import check_distinct, check_int, check_real, check_real_array, check_window
from ..numerics.fits import fit_averaged_power_law, fit_power_law
from .disorder import check_ensemble_memory
from .thermal import fluctuation_ratio, fluctuation_samples, spreading_samples

__all__ = ["ExponentFit", "open_system_z", "closed_system_z", "diffusive_window", "diffusive_window_z"]


@dataclass(frozen=True)
class ExponentFit:
    """A dynamical exponent and the curve it was fitted to.

    ``x`` is eps (open) or t (closed); ``y`` the disorder-averaged observable
    with jackknife errors ``y_err``; ``window`` the fit range in ``x``;
    ``slope`` the fitted power ``p`` (with ``slope_err``) and ``z``, ``z_err``
    the exponent derived from it.
    """

    alpha: float
    x: np.ndarray
    y: np.ndarray
    y_err: np.ndarray
    window: tuple
    slope: float
    slope_err: float
    z: float
    z_err: float

    def fitted(self, x):
        """The fitted power law evaluated at ``x``."""
        return fit_power_law(self.x, self.y, window=self.window)(x)


def open_system_z(eps, alpha, *, d=1, N, M, seed=0, fit_window=None, n_blocks=20, **model_params):
    r"""``z`` from :math:`\delta T/\bar T \propto \varepsilon^{d/2z}` in ``fit_window``.

    Parameters
    ----------
    eps : array_like
        Distinct bath couplings (> 0), at least 3 inside ``fit_window``.
    alpha, d, N, M, seed, **model_params
        As in :func:`mbl_open.resistor_networks.thermal_fluctuations`.
    fit_window : (float, float), optional
        Range of eps used by the fit (default: all).
    n_blocks : int
        Jackknife blocks (2 <= n_blocks <= M).
    """
    eps = check_real_array("eps", eps, low=0.0, low_open=True, ndim=1)
    check_distinct("eps", eps.tolist())
    check_int("M", M, low=2)
    window = check_window("fit_window", fit_window) if fit_window is not None else (eps.min(), eps.max())
    inside = int(np.count_nonzero((eps >= window[0]) & (eps <= window[1])))
    if inside < 3:  # before the samples are computed
        raise ValueError(f"eps must hold at least 3 values inside the fit window {tuple(map(float, window))}, "
                         f"got {inside}")
    var, mean = fluctuation_samples(eps, alpha, d=d, N=N, M=M, seed=seed, **model_params)

    f = fit_averaged_power_law(eps, fluctuation_ratio, var, mean, window=window, n_blocks=n_blocks)
    p, p_err = f.fit.exponent, f.fit.exponent_err
    return ExponentFit(float(alpha), eps, f.y, f.y_err, tuple(window), p, p_err, d / (2 * p), d * p_err / (2 * p**2))


def closed_system_z(t, alpha, *, N, M, seed=0, sigma_window=(3.0, None), n_blocks=20, **model_params):
    r"""``z`` from :math:`\sigma_E(t) \propto t^{1/z}` where ``sigma_window[0] <= sigma_E <= sigma_window[1]``.

    Parameters
    ----------
    t : array_like
        Times (see :func:`mbl_open.resistor_networks.spreading_samples`).
    alpha, N, M, seed, **model_params
        As in :func:`mbl_open.resistor_networks.spreading_width`.
    sigma_window : (float, float or None)
        Widths between which the fit is made; ``None`` as upper end means
        ``N / 10`` (well before the packet reaches the chain ends).
    n_blocks : int
        Jackknife blocks.
    """
    t = check_real_array("t", t, low=0.0, low_open=True, ndim=1)
    check_int("M", M, low=2)
    N = check_int("N", N, low=2)
    if isinstance(sigma_window, (str, bytes)) or not np.iterable(sigma_window) or len(sigma_window) != 2:
        raise TypeError(f"sigma_window must be a pair (low, high or None), got {sigma_window!r}")
    lo = check_real("sigma_window[0]", sigma_window[0], low=0.0, low_open=True)
    hi = N / 10 if sigma_window[1] is None else check_real("sigma_window[1]", sigma_window[1], low=lo, low_open=True)
    s2 = spreading_samples(t, alpha, N=N, M=M, seed=seed, **model_params)

    def width(s):
        return np.sqrt(s.mean(axis=-1))

    sigma = width(s2)
    inside = (sigma >= lo) & (sigma <= hi)
    if inside.sum() < 3:
        raise ValueError(
            f"only {int(inside.sum())} times have {lo:g} <= sigma_E <= {hi:g} for alpha={alpha:g}; "
            "extend t or the sigma window"
        )
    window = (float(t[inside].min()), float(t[inside].max()))

    f = fit_averaged_power_law(t, width, s2, window=window, n_blocks=n_blocks)
    p, p_err = f.fit.exponent, f.fit.exponent_err
    return ExponentFit(float(alpha), t, f.y, f.y_err, window, p, p_err, 1 / p, p_err / p**2)


def diffusive_window(alpha, *, d=2, N, M=4, seed=0, lam_min=3.0, lam_max_fraction=0.2, **model_params):
    r"""Range of eps where a diffusive network shows its asymptotic scaling.

    The tunnelling conductances ``G0 exp(-l/a)`` of a 2D network combine, in
    effective-medium fashion, to :math:`\Gamma_{\rm eff} = \exp\langle\ln\Gamma\rangle`
    (the geometric mean, exact for a log-symmetric distribution in 2D).  The bath
    then sets the length :math:`\lambda_\varepsilon = \sqrt{\Gamma_{\rm eff}/(\bar g\varepsilon)}`
    over which temperature variations are smoothed.  The continuum law
    :math:`\delta T \propto \varepsilon^{d/2z}` needs
    ``lam_min <= lambda_eps <= lam_max_fraction * N``: many links inside one
    smoothing length, but many smoothing lengths inside the sample.

    Returns
    -------
    (eps_lo, eps_hi, Gamma_eff) : tuple of float
    """
    alpha = check_real("alpha", alpha, low=0.0, low_open=True)
    lam_min = check_real("lam_min", lam_min, low=0.0, low_open=True)
    lam_max_fraction = check_real("lam_max_fraction", lam_max_fraction, low=0.0, low_open=True, high=1.0)
    from .disorder import check_model, draw_disorder

    model = check_model(**model_params)
    dis = draw_disorder(d=d, N=N, M=M, seed=seed)
    logs = np.concatenate([(np.log(model["G0"]) - l / model["a"]).ravel() for l in dis.lengths(alpha, a=model["a"])])
    gamma_eff = float(np.exp(logs.mean()))
    lam_max = lam_max_fraction * N
    if lam_max <= lam_min:
        raise ValueError(f"N={N} is too small: need lam_max_fraction * N > lam_min = {lam_min:g}")
    return gamma_eff / (model["gbar"] * lam_max**2), gamma_eff / (model["gbar"] * lam_min**2), gamma_eff


def diffusive_window_z(eps, alpha, *, d=2, N, M, seed=0, lam_min=3.0, lam_max_fraction=0.2, window_M=4, n_blocks=20,
                       **model_params):
    r"""``z`` of a diffusive network fitted in its own window :math:`\lambda_{\min} \le \lambda_\varepsilon \le
    f N` (paper Eq. 2 with the 2D network of paper Fig. 4).

    :func:`diffusive_window` sets the fit range from the effective conductance
    of ``window_M`` configurations; :func:`open_system_z` then fits
    :math:`\delta T/\bar T \propto \varepsilon^{d/2z}` there on ``M`` configurations.

    Parameters
    ----------
    eps : array_like
        Distinct bath couplings (> 0), at least 3 inside the window.
    alpha, d, N, M, seed, **model_params
        As in :func:`open_system_z` (the same ``seed`` for the window and the fit).
    lam_min, lam_max_fraction : float
        The window in healing lengths (:func:`diffusive_window`): ``lam_min > 0``,
        ``0 < lam_max_fraction <= 1``.
    window_M : int
        Configurations behind :math:`\Gamma_{\rm eff}` (``>= 1``).
    n_blocks : int
        Jackknife blocks of the fit (``2 <= n_blocks <= M``).

    Returns
    -------
    fit : ExponentFit
        The fit in the window (``fit.window``).
    gamma_eff : float
        The effective conductance :math:`\Gamma_{\rm eff}` that placed the window.
    """
    eps = check_real_array("eps", eps, low=0.0, low_open=True, ndim=1)
    check_distinct("eps", eps.tolist())
    check_int("n_blocks", n_blocks, low=2, high=check_int("M", M, low=2))
    window_M = check_int("window_M", window_M, low=1)
    check_ensemble_memory(check_int("N", N, low=2), window_M, check_int("d", d, low=1, high=2), name="window_M")
    lo, hi, gamma_eff = diffusive_window(alpha, d=d, N=N, M=window_M, seed=seed, lam_min=lam_min,
                                         lam_max_fraction=lam_max_fraction, **model_params)
    fit = open_system_z(eps, alpha, d=d, N=N, M=M, seed=seed, fit_window=(lo, hi), n_blocks=n_blocks,
                        **model_params)
    return fit, gamma_eff
