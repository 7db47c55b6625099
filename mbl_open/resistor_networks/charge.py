r"""Charge transport through the resistor networks (paper Eqs. 4, 15, 16; paper Figs. 5, 6).

Islands carry electro-chemical potentials :math:`\mu_i`; links conduct
:math:`\tilde\Gamma = \varepsilon\sigma_0/\ell^{2-d} + \tilde\Gamma_0 e^{-\ell/a}`
(paper Eq. 16), distributed exactly like the thermal conductances.  There are no
sinks: the steady state obeys Kirchhoff's law (paper Eq. 15) with the potential held
at ``V`` on one side and 0 on the other.

* 1D, ``N`` islands: :math:`\mu_0 = V`, :math:`\mu_{N-1} = 0`, and the current is
  exactly :math:`j = V / \sum_i \tilde\Gamma_i^{-1}` (resistors in series).
* 2D, ``N x N`` islands: :math:`\mu = V` on the left column, 0 on the right
  column, open top and bottom; :math:`j` is the total current from left to right.

All conductances enter divided by eps (``reduced_conductance``), so no
underflow occurs; the current is computed from the last links into the
grounded side, ``j = sum Gamma mu``, which involves no subtraction.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import integrate
from scipy.stats import gmean

from ..infrastructure._validate import check_choice, check_distinct, check_int, check_real, check_real_array, check_window
from .disorder import draw_disorder, reduced_conductance
from .solvers import solve_chain, solve_grid
from ..numerics.fits import AveragedPowerLawFit, fit_averaged_power_law
from .thermal import _check_common

__all__ = ["PAPER_CHARGE_MODEL", "current_samples", "charge_current", "current_exponent", "CurrentDensity2D",
           "current_density_2d", "crossover_length", "mean_link_resistance", "mean_link_resistance_asymptotic",
           "long_link_fraction", "LAW_FORMS", "chain_current_law", "ChainCurrentComparison",
           "chain_current_comparison"]

#: The paper's charge-network parameters (paper Figs. 5, 6): sigma0 = 1, a G~0 = 5 with
#: a = 1, and bias V = 0.1 N (``V=None``).
PAPER_CHARGE_MODEL = dict(sigma0=1.0, a=1.0, G0=5.0, V=None)
METHODS = ("series", "kirchhoff")


def _check_charge(N, model_params):
    unknown = set(model_params) - set(PAPER_CHARGE_MODEL)
    if unknown:
        raise TypeError(f"unknown model parameter(s) {sorted(unknown)}; valid: {sorted(PAPER_CHARGE_MODEL)}")
    m = {**PAPER_CHARGE_MODEL, **model_params}
    for name in ("sigma0", "a", "G0"):
        m[name] = check_real(name, m[name], low=0.0, low_open=True)
    m["V"] = 0.1 * N if m["V"] is None else check_real("V", m["V"], low=0.0, low_open=True)
    return m


def current_samples(eps, alpha, *, d=1, N, M, seed=0, method="series", **model_params):
    r"""Current :math:`j` of every configuration for every ``eps``.

    Parameters
    ----------
    eps : array_like
        Bath (phonon) couplings (> 0); the disorder is the same for every eps.
    alpha : float
        ``a / xi`` (> 0).
    d : int
        1 (chain of ``N`` islands) or 2 (``N x N`` lattice).
    N, M, seed : int
        Size (>= 3), configurations, disorder seed (the same link lengths as the
        thermal network with the same ``seed``).
    method : {'series', 'kirchhoff'}
        1D only: the exact series-resistor formula, or a Kirchhoff solve of the
        chain (the two must agree; 2D always solves Kirchhoff's equations).
    **model_params
        Overrides of :data:`PAPER_CHARGE_MODEL` (sigma0, a, G0, V).

    Returns
    -------
    numpy.ndarray of shape ``(len(eps), M)``
    """
    check_int("N", N, low=3)
    eps, alpha, d, N, M, seed, _ = _check_common(eps, alpha, d, N, M, seed, {})
    check_choice("method", method, METHODS)
    if d == 2 and method == "series":
        method = "kirchhoff"
    m = _check_charge(N, model_params)
    kw = dict(d=d, kappa0=m["sigma0"], a=m["a"], G0=m["G0"])
    lengths = draw_disorder(d=d, N=N, M=M, seed=seed).lengths(alpha, a=m["a"])
    e = eps[:, None]
    if d == 1:
        K = reduced_conductance(lengths[0], eps, **kw)  # Gamma/eps, (n_eps, M, N-1)
        if method == "series":
            return m["V"] * e / np.sum(1.0 / K, axis=-1)
        # interior islands 1..N-2; the end links act as sinks towards mu = V and mu = 0
        g = np.zeros(K.shape[:-1] + (N - 2,))
        g[..., 0] += K[..., 0]
        g[..., -1] += K[..., -1]
        b = np.zeros_like(g)
        b[..., 0] = K[..., 0] * m["V"]
        mu = solve_chain(K[..., 1:-1], g, b)
        return e * K[..., -1] * mu[..., -1]  # current into the grounded end
    out = np.empty((eps.size, M))
    for c in range(M):
        Kh = reduced_conductance(lengths[0][c], eps, **kw)  # (n_eps, N, N-1)
        Kv = reduced_conductance(lengths[1][c], eps, **kw)  # (n_eps, N-1, N)
        g = np.zeros((eps.size, N, N - 2))
        g[..., 0] += Kh[..., 0]
        g[..., -1] += Kh[..., -1]
        b = np.zeros_like(g)
        b[..., 0] = Kh[..., 0] * m["V"]
        mu = solve_grid(Kh[..., 1:-1], Kv[..., 1:-1], g, b)
        out[:, c] = eps * np.sum(Kh[..., -1] * mu[..., -1], axis=-1)
    return out


def charge_current(eps, alpha, *, d=1, N, M, seed=0, **model_params):
    r"""Disorder-averaged current :math:`\langle\langle j\rangle\rangle` for each ``eps`` (paper Figs. 5, 6).

    Defaults sigma0 = 1, a = 1, G~0 = 5 and bias V = 0.1 N: in 1D across the
    chain, in 2D ``mu = V`` on the left edge and 0 on the right.  Parameters
    (including ``method``) as in :func:`current_samples`.

    Returns
    -------
    numpy.ndarray of shape ``(len(eps),)``
    """
    return current_samples(eps, alpha, d=d, N=N, M=M, seed=seed, **model_params).mean(axis=1)


def current_exponent(eps, alpha, *, N, M, seed=0, fit_window=None, n_blocks=20,
                     **model_params) -> AveragedPowerLawFit:
    r"""The exponent of :math:`\langle\langle j\rangle\rangle \propto \varepsilon^{p}` in 1D, with a jackknife error.

    In the Griffiths regime (``alpha < 1``) the current vanishes as
    :math:`\varepsilon^{1-\alpha}` up to logarithms (paper Eq. 5).

    Parameters
    ----------
    eps : array_like
        Distinct bath couplings (> 0), at least 3 inside ``fit_window``.
    alpha, N, M, seed, **model_params
        As in :func:`current_samples` (``d = 1``).
    fit_window : (float, float), optional
        Range of ``eps`` in the fit (default: all).
    n_blocks : int
        Jackknife blocks over configurations (``2 <= n_blocks <= M``).

    Returns
    -------
    AveragedPowerLawFit
        ``y``, ``y_err``: the mean current per ``eps`` and its jackknife error;
        ``fit.exponent``, ``fit.exponent_err``: ``p``.
    """
    eps = check_real_array("eps", eps, low=0.0, low_open=True, ndim=1)
    check_distinct("eps", eps.tolist())
    check_int("n_blocks", n_blocks, low=2, high=check_int("M", M, low=2))
    window = check_window("fit_window", fit_window) if fit_window is not None else (eps.min(), eps.max())
    inside = int(np.count_nonzero((eps >= window[0]) & (eps <= window[1])))
    if inside < 3:  # before the samples are computed
        raise ValueError(f"eps must hold at least 3 values inside the fit window {tuple(map(float, window))}, "
                         f"got {inside}")
    j = current_samples(eps, alpha, N=N, M=M, seed=seed, **model_params)
    return fit_averaged_power_law(eps, lambda s: s.mean(axis=-1), j, window=window, n_blocks=n_blocks)


@dataclass(frozen=True)
class CurrentDensity2D:
    """Current density of the square network against ``eps`` and its straight-line fit (paper Fig. 6).

    Attributes
    ----------
    alpha : float
    eps : ndarray
    density, err : ndarray
        ``<<j>>/N`` per ``eps`` and its standard error over configurations.
    c1, c2 : float
        ``density ~ c1 + c2 eps`` (least squares).
    j0 : float
        The intrinsic density, at ``eps = eps_zero``.
    rel_resid : float
        Largest residual of the straight line, relative to the largest density.
    """

    alpha: float
    eps: np.ndarray
    density: np.ndarray
    err: np.ndarray
    c1: float
    c2: float
    j0: float
    rel_resid: float


def current_density_2d(eps, alpha, *, N, M, seed=0, eps_zero=1e-9, **model_params) -> CurrentDensity2D:
    r"""Current density of the ``N x N`` network, its fit :math:`c_1 + c_2\varepsilon`, and its
    :math:`\varepsilon\to0` value.

    The intrinsic network conducts at ``eps = 0`` in 2D, so ``c1`` estimates
    the intrinsic conductance only where the data are straight; ``j0``
    computes it directly, with a bath channel ``eps_zero`` of a typical link.

    Parameters
    ----------
    eps : array_like
        Bath couplings (> 0), at least 2.
    alpha, N, M, seed, **model_params
        As in :func:`current_samples` (``d = 2``), ``M >= 2``.
    eps_zero : float
        The coupling that stands for ``eps -> 0`` (> 0, below every ``eps``).
    """
    eps = check_real_array("eps", eps, low=0.0, low_open=True, ndim=1)
    if eps.size < 2:
        raise ValueError(f"eps needs at least 2 couplings for a straight-line fit, got {eps.size}")
    M = check_int("M", M, low=2)
    eps_zero = check_real("eps_zero", eps_zero, low=0.0, low_open=True, high=float(eps.min()), high_open=True)
    j = current_samples(np.r_[eps_zero, eps], alpha, d=2, N=N, M=M, seed=seed, **model_params)
    density = j[1:].mean(axis=1) / N
    err = j[1:].std(axis=1, ddof=1) / np.sqrt(M) / N
    c2, c1 = np.polyfit(eps, density, 1)
    resid = density - (c1 + c2 * eps)
    return CurrentDensity2D(alpha=float(alpha), eps=eps, density=density, err=err, c1=float(c1), c2=float(c2),
                            j0=float(j[0].mean() / N), rel_resid=float(np.max(np.abs(resid)) / density.max()))


def _check_positive(**values):
    return tuple(check_real(name, value, low=0.0, low_open=True) for name, value in values.items())


def crossover_length(eps, *, sigma0=1.0, a=1.0, G0=5.0):
    r"""Link length :math:`\ell^*` where the two channels of paper Eq. 16 are equal (1D).

    Solves :math:`\varepsilon\sigma_0/\ell^* = \tilde\Gamma_0 e^{-\ell^*/a}`, i.e.
    :math:`\ell^* = a\ln(\tilde\Gamma_0\ell^*/\sigma_0\varepsilon)
    \approx a\ln\varepsilon^{-1} + a\ln\ln\varepsilon^{-1}` at small eps, by
    fixed-point iteration (converges fast: the map contracts like a/l*).
    """
    eps = check_real_array("eps", eps, low=0.0, low_open=True, high=1.0, high_open=True)
    sigma0, a, G0 = _check_positive(sigma0=sigma0, a=a, G0=G0)
    l_star = np.maximum(a * np.log(G0 * a / (sigma0 * eps)), a)
    for _ in range(60):
        l_star = np.maximum(a * np.log(G0 * l_star / (sigma0 * eps)), a)
    return l_star


def mean_link_resistance(eps, alpha, *, sigma0=1.0, a=1.0, G0=5.0):
    r"""Exact disorder average :math:`\langle 1/\tilde\Gamma\rangle = \int d\ell\, p(\ell)/\tilde\Gamma(\ell)` in 1D.

    This is :math:`\bar\ell\bar\rho`, the first form of paper Eq. 5, evaluated by
    quadrature with :math:`p(\ell) = \xi^{-1}e^{-(\ell-a)/\xi}`; the mean current of
    a long chain is :math:`j \approx V/((N-1)\langle 1/\tilde\Gamma\rangle)`.
    """
    eps = check_real_array("eps", eps, low=0.0, low_open=True, ndim=1)
    alpha = check_real("alpha", alpha, low=0.0, low_open=True)
    sigma0, a, G0 = _check_positive(sigma0=sigma0, a=a, G0=G0)
    xi = a / alpha
    out = np.empty(eps.size)
    for i, e in enumerate(eps):
        # in u = (l - a) / xi the weight is exp(-u) for any xi: a narrow p(l) (large alpha) cannot be missed
        def integrand(u):
            l = a + xi * u
            return np.exp(-u) / (e * sigma0 / l + G0 * np.exp(-l / a))
        l_star = float(crossover_length(np.array([min(e, 0.5)]), sigma0=sigma0, a=a, G0=G0)[0])
        u_star = (l_star - a) / xi
        upper = 80.0 + 2.0 * max(u_star, 0.0)
        edges = sorted({0.0, min(80.0, upper), upper} | ({u_star} if 0.0 < u_star < upper else set()))
        out[i] = sum(integrate.quad(integrand, lo, hi, limit=500)[0] for lo, hi in zip(edges, edges[1:]))
    return out


def mean_link_resistance_asymptotic(eps, alpha, *, sigma0=1.0, a=1.0, G0=5.0, form="full"):
    r"""Small-eps closed forms of :math:`\langle 1/\tilde\Gamma\rangle` (paper Eq. 5), for ``alpha < 1``.

    ``form='paper'``: the paper's :math:`(\alpha/\tilde\Gamma_0)(\varepsilon/\ln\varepsilon^{-1})^{\alpha-1}`,
    which keeps only tunnelling links shorter than :math:`\ell^*` and drops
    the constants of that part.
    ``form='tunnelling'``: that part with its constants, the first term below.
    ``form='full'``: both parts of the integral split at :math:`\ell^*`,

    .. math::
        \frac{\alpha e^{\alpha}}{1-\alpha}\frac{e^{(1-\alpha)\ell^*/a}}{\tilde\Gamma_0}
        + e^{\alpha}\, e^{-\ell^*/\xi}\,\frac{\ell^* + \xi}{\sigma_0\varepsilon},

    the second term being the links longer than :math:`\ell^*`, which conduct
    through the bath channel (:math:`1/\tilde\Gamma \approx \ell/\sigma_0\varepsilon`).
    Both terms scale as :math:`\varepsilon^{\alpha-1}` up to powers of
    :math:`\ell^* \sim \ln\varepsilon^{-1}`.
    """
    eps = check_real_array("eps", eps, low=0.0, low_open=True, high=1.0, high_open=True, ndim=1)
    alpha = check_real("alpha", alpha, low=0.0, low_open=True, high=1.0, high_open=True)
    check_choice("form", form, ("paper", "tunnelling", "full"))
    sigma0, a, G0 = _check_positive(sigma0=sigma0, a=a, G0=G0)
    if form == "paper":
        return alpha / G0 * (eps / np.log(1.0 / eps)) ** (alpha - 1.0)
    xi = a / alpha
    l_star = crossover_length(eps, sigma0=sigma0, a=a, G0=G0)
    tunnelling = alpha * np.exp(alpha) / (1.0 - alpha) * np.exp((1.0 - alpha) * l_star / a) / G0
    if form == "tunnelling":
        return tunnelling
    bath = np.exp(alpha) * np.exp(-l_star / xi) * (l_star + xi) / (sigma0 * eps)
    return tunnelling + bath


def long_link_fraction(eps, alpha, *, sigma0=1.0, a=1.0, G0=5.0):
    r"""The fraction of 1D links longer than :math:`\ell^*`, which conduct through the bath channel.

    With :math:`p(\ell) = \xi^{-1}e^{-(\ell-a)/\xi}` it is
    :math:`P(\ell > \ell^*) = e^{-(\ell^*-a)/\xi}` (:func:`crossover_length`);
    at small ``alpha`` it is of order one, not small.
    """
    eps = check_real_array("eps", eps, low=0.0, low_open=True, high=1.0, high_open=True)
    alpha = check_real("alpha", alpha, low=0.0, low_open=True)
    sigma0, a, G0 = _check_positive(sigma0=sigma0, a=a, G0=G0)
    l_star = crossover_length(eps, sigma0=sigma0, a=a, G0=G0)
    return np.exp(-(l_star - a) * alpha / a)


#: The forms of :math:`\langle 1/\tilde\Gamma\rangle` a 1D current is compared with: the exact average
#: (:func:`mean_link_resistance`) and the small-eps forms of :func:`mean_link_resistance_asymptotic`.
LAW_FORMS = ("exact", "full", "tunnelling", "paper")


def chain_current_law(eps, alpha, *, N, form="exact", **model_params):
    r"""The current :math:`j = V/((N-1)\langle 1/\tilde\Gamma\rangle)` of a long, self-averaging chain.

    Resistors in series (paper Eq. 5): a chain of ``N`` islands has ``N - 1``
    links, whose total resistance approaches ``N - 1`` times the average link
    resistance.

    Parameters
    ----------
    eps : array_like
        Bath couplings, ``0 < eps`` (``< 1`` for the asymptotic forms).
    alpha : float
        ``a / xi`` (> 0; ``< 1`` for the asymptotic forms, which exist only in the Griffiths regime).
    N : int
        Islands, ``>= 3``.
    form : {'exact', 'full', 'tunnelling', 'paper'}
        ``'exact'``: :func:`mean_link_resistance` (quadrature of paper Eq. 5's first form);
        the others: :func:`mean_link_resistance_asymptotic` with that ``form``.
    **model_params
        Overrides of :data:`PAPER_CHARGE_MODEL` (sigma0, a, G0, V; ``V = None`` is ``0.1 N``).

    Returns
    -------
    numpy.ndarray, shape (len(eps),)
    """
    N = check_int("N", N, low=3)
    check_choice("form", form, LAW_FORMS)
    m = _check_charge(N, model_params)
    consts = dict(sigma0=m["sigma0"], a=m["a"], G0=m["G0"])
    if form == "exact":
        resistance = mean_link_resistance(eps, alpha, **consts)
    else:
        resistance = mean_link_resistance_asymptotic(eps, alpha, form=form, **consts)
    return m["V"] / ((N - 1) * resistance)


@dataclass(frozen=True)
class ChainCurrentComparison:
    r"""The mean 1D current against the forms of paper Eq. 5 (paper Fig. 5), for one ``alpha``.

    Attributes
    ----------
    alpha : float
    eps : ndarray
    window : (float, float)
        The fit range in ``eps``.
    j, j_err : ndarray
        The disorder-averaged current and its jackknife error.
    p, p_err : float
        The fitted exponent of :math:`j \propto \varepsilon^p` and its jackknife error.
    laws : dict
        :func:`chain_current_law` for every form of :data:`LAW_FORMS` (only ``'exact'``
        for ``alpha >= 1``, where the asymptotic forms do not exist).
    """

    alpha: float
    eps: np.ndarray
    window: tuple
    j: np.ndarray
    j_err: np.ndarray
    p: float
    p_err: float
    laws: dict

    @property
    def inside(self) -> np.ndarray:
        """Mask of the couplings inside the fit window."""
        return (self.eps >= self.window[0]) & (self.eps <= self.window[1])

    def ratio(self, form):
        """``j / law`` inside the fit window, for one form of :data:`LAW_FORMS` present in ``laws``."""
        check_choice("form", form, tuple(self.laws))
        return self.j[self.inside] / self.laws[form][self.inside]

    def paper_shortfall(self):
        r"""How far paper Eq. 5's resistance falls short, split into factors (geometric means over the window).

        Returns
        -------
        (total, constants, long_links) : tuple of float
            ``R_data / R_paper``; the part from the constants the paper's form drops
            (tunnelling term against the paper's form); the part from the links longer
            than :math:`\ell^*` (full form against the tunnelling term).  What remains,
            ``total / (constants * long_links)``, is what the full form itself misses.
        """
        if self.alpha >= 1:
            raise ValueError(f"the asymptotic forms need alpha < 1, got alpha={self.alpha:g}")
        law = {form: self.laws[form][self.inside] for form in ("paper", "tunnelling", "full")}
        return (float(gmean(law["paper"] / self.j[self.inside])), float(gmean(law["paper"] / law["tunnelling"])),
                float(gmean(law["tunnelling"] / law["full"])))


def chain_current_comparison(eps, alpha, *, N, M, seed=0, fit_window=None, n_blocks=20,
                             **model_params) -> ChainCurrentComparison:
    r"""The 1D current with its fitted exponent (:func:`current_exponent`) and the laws it is compared with.

    Parameters
    ----------
    eps : array_like
        Bath couplings, ``0 < eps < 1`` if ``alpha < 1`` (the asymptotic forms), at least 3 inside ``fit_window``.
    alpha, N, M, seed, fit_window, n_blocks, **model_params
        As in :func:`current_exponent`.

    Returns
    -------
    ChainCurrentComparison
    """
    eps = check_real_array("eps", eps, low=0.0, low_open=True, ndim=1)
    check_distinct("eps", eps.tolist())
    alpha = check_real("alpha", alpha, low=0.0, low_open=True)
    forms = LAW_FORMS if alpha < 1 else ("exact",)
    if alpha < 1:
        check_real_array("eps", eps, low=0.0, low_open=True, high=1.0, high_open=True)
    f = current_exponent(eps, alpha, N=N, M=M, seed=seed, fit_window=fit_window, n_blocks=n_blocks, **model_params)
    window = fit_window if fit_window is not None else (eps.min(), eps.max())
    laws = {form: chain_current_law(eps, alpha, N=N, form=form, **model_params) for form in forms}
    return ChainCurrentComparison(alpha=alpha, eps=eps, window=tuple(window), j=f.y, j_err=f.y_err, p=f.fit.exponent,
                                  p_err=f.fit.exponent_err, laws=laws)
