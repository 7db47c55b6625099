r"""Fractional diffusion with random sources (paper Eqs. 1, 2, 10-12).

The linearised heat equation with random sink and source terms (paper Eq. 1),
generalised to dynamical exponent ``z`` through the Riesz derivative (paper Eq. 10),
has the steady-state response (paper Eq. 11)

.. math::

    \delta T(k) = \frac{\varepsilon\,\theta\,\delta g(k)}{\gamma |k|^z + \bar g\,\varepsilon}.

For white-noise sources, :math:`\langle \delta g(r)\delta g(r')\rangle =
\delta g^2\,\delta(r-r')`, the variance of the temperature is (paper Eq. 12)

.. math::

    \langle \delta T^2\rangle = \Big(\frac{\theta\,\delta g}{\bar g}\Big)^2
    \Big(\frac{\bar g\,\varepsilon}{\gamma}\Big)^{d/z}\, C(z, d),
    \qquad
    C(z, d) = K_d\,\frac{\pi (z - d)}{z^2 \sin(\pi d / z)},

with :math:`K_d = S_d/(2\pi)^d` (:math:`K_1 = 1/\pi`, :math:`K_2 = 1/2\pi`),
so :math:`\delta T \propto \varepsilon^{d/2z}` (paper Eq. 2).  The k-integral is a
Beta function and converges for ``z > d/2``; at ``z = d`` the prefactor has a
removable 0/0 and stays finite.

The lattice counterpart draws Gaussian ``dg`` on an ``L**d`` periodic lattice
(spacing 1) and solves the same equation exactly in Fourier space with a
lattice ``|k|``.

Functions
---------
continuum_prefactor, continuum_variance
    The continuum prediction, closed form or (with a cutoff) by quadrature.
lattice_wavenumbers, solve_lattice
    The lattice ``|k|`` and the exact Fourier-space solution for given sources.
lattice_variance, lattice_variance_samples, lattice_variance_expected
    Disorder-averaged spatial variance: sampled, and its exact expectation.
fit_dT_exponent
    The exponent d/2z, with an error that resamples whole realisations.
scaling_window
    The range of ``eps`` in which lattice and continuum must agree.
CrossoverScan, crossover_scan, crossover_scans
    ``dT(eps)`` on the lattice across the whole crossover, fitted in the window, for one or several ``z``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import integrate, special

from .infrastructure._validate import check_array, check_choice, check_distinct, check_int, check_real, check_real_array
from .numerics.fits import PowerLawFit, fit_averaged_power_law, fit_power_law
from .infrastructure._threads import single_threaded_blas
from .infrastructure.progress import progress

__all__ = [
    "continuum_prefactor",
    "continuum_variance",
    "crossover_wavenumber",
    "lattice_wavenumbers",
    "solve_lattice",
    "lattice_variance",
    "lattice_variance_samples",
    "fit_dT_exponent",
    "lattice_variance_expected",
    "scaling_window",
    "CrossoverScan",
    "crossover_scan",
    "crossover_scans",
]

DISPERSIONS = ("lattice", "spectral")
_MAX_SITES = 2**26  # one lattice realisation must fit comfortably in memory


def _surface_factor(d: int) -> float:
    """K_d = S_d / (2 pi)^d, the angular factor of a radial d-dimensional k-integral."""
    return 2.0 / ((4.0 * np.pi) ** (d / 2) * special.gamma(d / 2))


def _check_z_d(z, d, *, need_convergent=True):
    d = check_int("d", d, low=1, high=3)
    z = check_real("z", z, low=0.0, low_open=True)
    if need_convergent and z <= d / 2:
        raise ValueError(
            f"z must be > d/2 = {d / 2:g} for d={d}: the continuum integral "
            f"int d^dk / (gamma |k|^z + gbar eps)^2 diverges at large k when 2z <= d "
            f"(got z={z:g}); pass k_max to integrate up to a cutoff instead"
        )
    return z, d


def continuum_prefactor(z, d=1):
    r"""Dimensionless prefactor :math:`C(z, d)` of paper Eq. 12.

    .. math:: C(z, d) = K_d \frac{\pi(z-d)}{z^2\sin(\pi d/z)}
              = \frac{K_d}{z}\,B\!\left(\tfrac{d}{z}, 2-\tfrac{d}{z}\right)

    Parameters
    ----------
    z : float
        Dynamical exponent, ``z > d/2`` (the integral diverges otherwise).
    d : int
        Spatial dimension, 1, 2 or 3.

    Returns
    -------
    float
        ``C(z, d)``; in ``d = 1`` it equals the paper's
        ``(z - 1) / (z**2 sin(pi/z))``, in ``d = 2`` half of the paper's expression.
        The value at ``z = d`` is the finite limit ``K_d / d``.
    """
    z, d = _check_z_d(z, d)
    s = d / z
    # pi (1 - s) / sin(pi s) = 1 / sinc(1 - s): no 0/0 at s = 1
    return float(_surface_factor(d) / (z * np.sinc(1.0 - s)))


def continuum_variance(eps, z, d=1, *, gamma=1.0, gbar=1.0, theta=1.0, dg=1.0, k_max=None):
    r"""Continuum variance :math:`\langle\delta T^2\rangle` of paper Eq. 12.

    Parameters
    ----------
    eps : float or array_like
        Bath coupling, ``eps > 0``.
    z : float
        Dynamical exponent; ``z > d/2`` unless ``k_max`` is given.
    d : int
        Spatial dimension (1, 2 or 3).
    gamma, gbar : float
        Generalised conductivity and mean bath coupling of paper Eq. 11 (> 0).
    theta, dg : float
        Drive strength and source-noise amplitude (> 0); the variance is
        proportional to ``(theta * dg)**2``.
    k_max : float, optional
        ``None`` (default) integrates over all of k-space in closed form.
        A positive number integrates the radial integral numerically up to
        ``|k| = k_max`` (a sharp ultraviolet cutoff), which is finite for any ``z``.

    Returns
    -------
    numpy.ndarray
        Variance for every ``eps`` (same shape as ``eps``).
    """
    eps = check_real_array("eps", eps, low=0.0, low_open=True)
    gamma, gbar, theta, dg = _check_constants(gamma, gbar, theta, dg)
    if k_max is None:
        z, d = _check_z_d(z, d)
        c = continuum_prefactor(z, d)
        return (theta * dg / gbar) ** 2 * (gbar * eps / gamma) ** (d / z) * c
    z, d = _check_z_d(z, d, need_convergent=False)
    k_max = check_real("k_max", k_max, low=0.0, low_open=True)
    out = np.empty(eps.shape)
    for idx, e in np.ndenumerate(eps):
        k_eps = (gbar * e / gamma) ** (1.0 / z)
        # integrate in units of the crossover wavenumber so quad sees an O(1) scale
        f = lambda q: q ** (d - 1) / (q**z + 1.0) ** 2  # noqa: E731
        upper = k_max / k_eps
        val = integrate.quad(f, 0.0, min(upper, 1.0), limit=200)[0]
        if upper > 1.0:  # beyond q = 1 integrate in log q, where the tail is smooth
            g = lambda t: f(np.exp(t)) * np.exp(t)  # noqa: E731
            val += integrate.quad(g, 0.0, np.log(upper), limit=200)[0]
        out[idx] = (
            (theta * dg / gbar) ** 2 * _surface_factor(d) * k_eps**d * val
        )
    return out


def crossover_wavenumber(eps, z, *, gamma=1.0, gbar=1.0):
    r"""Wavenumber :math:`k_\varepsilon = (\bar g \varepsilon/\gamma)^{1/z}` where
    the two terms of the denominator of paper Eq. 11 are equal."""
    eps = check_real_array("eps", eps, low=0.0, low_open=True)
    z = check_real("z", z, low=0.0, low_open=True)
    gamma = check_real("gamma", gamma, low=0.0, low_open=True)
    gbar = check_real("gbar", gbar, low=0.0, low_open=True)
    return (gbar * eps / gamma) ** (1.0 / z)


def _check_lattice(L, d):
    d = check_int("d", d, low=1, high=3)
    max_L = int(round(_MAX_SITES ** (1.0 / d)))
    L = check_int("L", L, low=4, high=max_L)
    return L, d


def lattice_wavenumbers(L, d=1, *, dispersion="lattice"):
    r"""Lattice :math:`|k|` on the half-spectrum grid of ``numpy.fft.rfftn``.

    Parameters
    ----------
    L : int
        Linear size of the periodic ``L**d`` lattice (spacing 1), ``L >= 4``.
    d : int
        Dimension, 1, 2 or 3.
    dispersion : {'lattice', 'spectral'}
        ``'lattice'``: :math:`|k|^2 = \sum_\mu 4\sin^2(k_\mu/2)`, the eigenvalues
        of the nearest-neighbour lattice Laplacian, so ``z = 2`` is exactly the
        discrete heat equation (a uniform resistor network).
        ``'spectral'``: :math:`|k|^2 = \sum_\mu k_\mu^2` with
        :math:`k_\mu \in (-\pi, \pi]`.

    Returns
    -------
    k : numpy.ndarray
        ``|k|`` with shape ``(L,)*(d-1) + (L//2+1,)``.
    multiplicity : numpy.ndarray
        How many modes of the full spectrum each entry stands for (1 or 2),
        so that ``sum(multiplicity * f(k))`` is the sum over all ``L**d`` modes.
    """
    L, d = _check_lattice(L, d)
    check_choice("dispersion", dispersion, DISPERSIONS)
    axes = [2 * np.pi * np.fft.fftfreq(L)] * (d - 1) + [2 * np.pi * np.fft.rfftfreq(L)]
    grids = np.meshgrid(*axes, indexing="ij", sparse=True)
    if dispersion == "lattice":
        k2 = sum(4.0 * np.sin(g / 2.0) ** 2 for g in grids)
    else:
        k2 = sum(g**2 for g in grids)
    k = np.sqrt(np.broadcast_to(k2, tuple(len(a) for a in axes)))
    mult = np.full(k.shape, 2.0)
    mult[..., 0] = 1.0
    if L % 2 == 0:
        mult[..., -1] = 1.0
    return k, mult


def _green_squared(k, eps, z, gamma, gbar, theta):
    """|eps theta G(k)|^2 of paper Eq. 11 for every k (last axes) and eps (first axis)."""
    eps = eps.reshape((-1,) + (1,) * k.ndim)
    return (eps * theta / (gamma * k**z + gbar * eps)) ** 2


def solve_lattice(dg, eps, z, *, gamma=1.0, gbar=1.0, theta=1.0, dispersion="lattice"):
    r"""Exact steady state :math:`\delta T_x` of the lattice version of paper Eq. 11.

    Parameters
    ----------
    dg : array_like
        Source field on a periodic ``L**d`` lattice, shape ``(L,)*d`` with d = 1-3.
    eps : float
        Bath coupling (> 0).
    z : float
        Dynamical exponent (> 0; on a lattice every ``z`` is finite).
    gamma, gbar, theta : float
        Model constants of paper Eq. 11 (> 0).
    dispersion : {'lattice', 'spectral'}
        Lattice ``|k|``, see :func:`lattice_wavenumbers`.

    Returns
    -------
    numpy.ndarray
        ``dT`` on the lattice, same shape as ``dg``.
    """
    dg = check_array("dg", dg)
    if dg.ndim not in (1, 2, 3) or len(set(dg.shape)) != 1 or dg.shape[0] < 4:
        raise ValueError(f"dg must be an L x ... x L array with 1-3 equal axes and L >= 4, got shape {dg.shape}")
    eps = check_real("eps", eps, low=0.0, low_open=True)
    z = check_real("z", z, low=0.0, low_open=True)
    gamma = check_real("gamma", gamma, low=0.0, low_open=True)
    gbar = check_real("gbar", gbar, low=0.0, low_open=True)
    theta = check_real("theta", theta, low=0.0, low_open=True)
    k, _ = lattice_wavenumbers(dg.shape[0], dg.ndim, dispersion=dispersion)
    response = eps * theta / (gamma * k**z + gbar * eps)
    axes = tuple(range(dg.ndim))
    return np.fft.irfftn(np.fft.rfftn(dg) * response, s=dg.shape, axes=axes)


def _check_constants(gamma, gbar, theta, dg):
    """The model constants of paper Eq. 11, each checked to be a positive number."""
    return tuple(check_real(name, value, low=0.0, low_open=True)
                 for name, value in (("gamma", gamma), ("gbar", gbar), ("theta", theta), ("dg", dg)))


def _nonzero_modes(L, d, dispersion):
    """Lattice |k| and multiplicities with the k = 0 mode (the spatial mean) given weight 0."""
    k, mult = lattice_wavenumbers(L, d, dispersion=dispersion)
    mult = mult.copy()
    mult.flat[0] = 0.0
    return k, mult


def lattice_variance_expected(
    eps, z, d=1, *, L, gamma=1.0, gbar=1.0, theta=1.0, dg=1.0, dispersion="lattice"
):
    r"""Exact disorder average of the spatial variance of :math:`\delta T_x`.

    For i.i.d. sources of variance ``dg**2``,

    .. math:: \langle\langle \mathrm{Var}_x\,\delta T_x\rangle\rangle
              = \frac{\delta g^2}{L^d}\sum_{k\neq 0}
                \Big(\frac{\varepsilon\theta}{\gamma|k|^z + \bar g\varepsilon}\Big)^2 ,

    the lattice sum that replaces the integral of paper Eq. 12 (the ``k = 0`` mode
    only shifts the spatial mean).  Parameters as in :func:`lattice_variance`.
    """
    eps = check_real_array("eps", eps, low=0.0, low_open=True)
    z = check_real("z", z, low=0.0, low_open=True)
    L, d = _check_lattice(L, d)
    gamma, gbar, theta, dg = _check_constants(gamma, gbar, theta, dg)
    k, mult = _nonzero_modes(L, d, dispersion)
    out = np.empty(eps.size)
    for i, e in enumerate(eps.ravel()):
        out[i] = np.sum(mult * _green_squared(k, np.array([e]), z, gamma, gbar, theta)[0])
    return (dg**2 / L**d * out).reshape(eps.shape)


#: Largest per-sample array (samples x eps) :func:`lattice_variance_samples` builds, in bytes.
MAX_SAMPLE_BYTES = 2**30


@single_threaded_blas  # a thin (samples x modes) @ (modes x eps) product: memory-bound, and BLAS threads
# stall badly when another process holds a core (measured: 20-44 s instead of 3 s per 2D call in a kernel)
def lattice_variance_samples(
    eps,
    z,
    d=1,
    *,
    L,
    M,
    seed=0,
    gamma=1.0,
    gbar=1.0,
    theta=1.0,
    dg=1.0,
    dispersion="lattice",
):
    r"""The spatial variance of :math:`\delta T_x` in each of ``M`` source realisations.

    Draws ``M`` independent Gaussian source fields :math:`\delta g_x \sim
    N(0, \delta g^2)` on a periodic ``L**d`` lattice and solves paper Eq. 11 exactly
    in Fourier space for every ``eps``.  The same source fields are used for
    every ``eps``, so the rows are correlated across ``eps``: an error of a
    quantity that combines several ``eps`` (a fitted exponent) must resample
    whole rows (:func:`mbl_open.numerics.resampling.jackknife` with ``axis=0``).  By
    Parseval the spatial variance of one sample is ``sum_{k != 0} |dg_k|^2
    |eps theta G(k)|^2 / L**(2d)``, so a sample costs one FFT however many
    ``eps`` are asked for.

    Parameters
    ----------
    eps : float or array_like
        Bath couplings (> 0).
    z : float
        Dynamical exponent (> 0).
    d : int
        Dimension, 1-3.
    L : int
        Linear lattice size, ``4 <= L`` and ``L**d <= 2**26``.
    M : int
        Number of disorder samples, ``M >= 2``; ``M * eps.size * 8`` bytes must
        stay below :data:`MAX_SAMPLE_BYTES`.
    seed : int
        Seed of :func:`numpy.random.default_rng`; same seed, same sources.
    gamma, gbar, theta, dg : float
        Model constants (> 0).
    dispersion : {'lattice', 'spectral'}
        Lattice ``|k|``, see :func:`lattice_wavenumbers`.

    Returns
    -------
    numpy.ndarray, shape (M,) + eps.shape
        ``Var_x dT_x`` of every sample at every ``eps``.
    """
    eps = check_real_array("eps", eps, low=0.0, low_open=True)
    z = check_real("z", z, low=0.0, low_open=True)
    L, d = _check_lattice(L, d)
    M = check_int("M", M, low=2)
    if M * eps.size * 8 > MAX_SAMPLE_BYTES:
        raise ValueError(f"M * len(eps) = {M * eps.size} samples need {M * eps.size * 8 / 2**30:.1f} GiB, more "
                         f"than MAX_SAMPLE_BYTES = {MAX_SAMPLE_BYTES / 2**30:.0f} GiB; use fewer samples or eps")
    seed = check_int("seed", seed, low=0)
    gamma, gbar, theta, dg = _check_constants(gamma, gbar, theta, dg)
    k, mult = _nonzero_modes(L, d, dispersion)
    # weights[e, k]: contribution of |dg_k|^2 to Var_x dT_x at eps[e]
    weights = (mult * _green_squared(k, eps.ravel(), z, gamma, gbar, theta)).reshape(eps.size, -1)
    weights /= float(L) ** (2 * d)
    rng = np.random.default_rng(seed)
    chunk = max(1, min(M, 2**22 // L**d))
    out = np.empty((M, eps.size))
    done = 0
    with progress(total=M, desc=f"lattice d={d} z={z:g}", unit="sample") as bar:
        while done < M:
            m = min(chunk, M - done)
            fields = rng.normal(0.0, dg, size=(m,) + (L,) * d)
            power = np.abs(np.fft.rfftn(fields, axes=tuple(range(1, d + 1)))) ** 2
            out[done:done + m] = power.reshape(m, -1) @ weights.T  # (m, n_eps)
            done += m
            bar.update(m)
    return out.reshape((M,) + eps.shape)


def lattice_variance(eps, z, d=1, *, L, M, seed=0, **model):
    r"""Sampled :math:`\langle\langle \mathrm{Var}_x\,\delta T_x\rangle\rangle` on the lattice.

    The mean over the ``M`` realisations of :func:`lattice_variance_samples`
    (the paper's observable is ``dT = sqrt(<<Var>>)``), with its standard
    error at each ``eps`` separately.

    Parameters
    ----------
    eps, z, d, L, M, seed, **model
        As in :func:`lattice_variance_samples` (``model``: ``gamma``,
        ``gbar``, ``theta``, ``dg``, ``dispersion``).

    Returns
    -------
    var : numpy.ndarray
        Sample mean of the spatial variance for every ``eps``.
    err : numpy.ndarray
        Its standard error over the ``M`` samples, at each ``eps`` alone
        (the errors at different ``eps`` are correlated: same sources).
    """
    samples = lattice_variance_samples(eps, z, d, L=L, M=M, seed=seed, **model)
    return samples.mean(axis=0), samples.std(axis=0, ddof=1) / np.sqrt(samples.shape[0])


def fit_dT_exponent(eps, samples, *, window, n_blocks=16) -> PowerLawFit:
    r"""The exponent of :math:`\delta T \propto \varepsilon^{d/2z}` with an error that knows the sources are shared.

    Fits ``dT = sqrt(mean(samples))`` against ``eps`` inside ``window``
    (:func:`~mbl_open.numerics.fits.fit_power_law`, weighted by the per-``eps``
    standard errors).  That fit's own error treats the ``eps`` points as
    independent, but :func:`lattice_variance_samples` uses the same sources
    at every ``eps``; the error returned here is the block jackknife over
    whole realisations instead (:func:`~mbl_open.numerics.resampling.jackknife`), which
    carries those correlations into the exponent.

    Parameters
    ----------
    eps : array_like, shape (E,)
        Distinct bath couplings.
    samples : array_like, shape (M, E)
        ``Var_x dT_x`` per realisation (:func:`lattice_variance_samples`),
        ``M >= 2``, not all equal at any ``eps``.
    window : (float, float)
        Fit range in ``eps``.
    n_blocks : int
        Jackknife blocks, ``>= 2``; at most ``M`` are used (delete-one for fewer samples).

    Returns
    -------
    PowerLawFit
        The fit on all realisations, with ``exponent_err`` the jackknife error.
    """
    eps = check_real_array("eps", eps, low=0.0, low_open=True, ndim=1)
    check_distinct("eps", eps.tolist())
    samples = check_real_array("samples", samples, low=0.0, ndim=2)
    if samples.shape[1] != eps.size or samples.shape[0] < 2:
        raise ValueError(f"samples must have shape (M, {eps.size}) with M >= 2 realisations for {eps.size} eps, got "
                         f"{samples.shape}")
    spread = np.ptp(samples, axis=0)
    if not np.all(spread > 0):  # dT = sqrt(mean) and its standard error are the fit's points and weights
        k = int(np.flatnonzero(~(spread > 0))[0])
        raise ValueError(f"samples must differ between realisations at every eps (their standard error weights "
                         f"the fit; an all-zero column has no dT either), got {samples.shape[0]} equal values "
                         f"{samples[0, k]:g} at eps = {eps[k]:g}")

    var_all = samples.mean(axis=0)
    dT_err = samples.std(axis=0, ddof=1) / np.sqrt(samples.shape[0]) / (2 * np.sqrt(var_all))  # fixed weights

    n_blocks = min(check_int("n_blocks", n_blocks, low=2), samples.shape[0])  # few samples: delete-one
    return fit_averaged_power_law(eps, lambda s: np.sqrt(s.mean(axis=-1)), samples, window=window, yerr=dT_err,
                                  n_blocks=n_blocks, axis=0).fit


def scaling_window(z, L, *, modes=50.0, k_hi=0.2, gamma=1.0, gbar=1.0):
    r"""Range of ``eps`` where the lattice must reproduce the continuum law.

    The response of paper Eq. 11 is dominated by wavenumbers near
    :math:`k_\varepsilon = (\bar g\varepsilon/\gamma)^{1/z}`.  The lattice
    agrees with the continuum when :math:`k_\varepsilon` is small against the
    zone boundary (the lattice ``|k|`` deviates from ``k`` by ~k^2/24) and large
    against the smallest wavenumber :math:`2\pi/L`, i.e. when
    ``modes * 2 pi / L <= k_eps <= k_hi``.  Equivalently
    :math:`\gamma (\text{modes}\,2\pi/L)^z \le \bar g \varepsilon \le \gamma k_{hi}^z`.

    Returns
    -------
    (eps_lo, eps_hi) : tuple of float
    """
    z = check_real("z", z, low=0.0, low_open=True)
    L = check_int("L", L, low=4)
    modes = check_real("modes", modes, low=1.0)
    k_hi = check_real("k_hi", k_hi, low=0.0, low_open=True, high=np.pi)
    gamma = check_real("gamma", gamma, low=0.0, low_open=True)
    gbar = check_real("gbar", gbar, low=0.0, low_open=True)
    k_lo = modes * 2.0 * np.pi / L
    if k_lo >= k_hi:
        raise ValueError(
            f"L={L} is too small for a scaling window: need modes*2*pi/L = {k_lo:.3g} < k_hi = {k_hi:g}; "
            f"use L > {int(np.ceil(modes * 2 * np.pi / k_hi))} or fewer modes"
        )
    return gamma * k_lo**z / gbar, gamma * k_hi**z / gbar


@dataclass(frozen=True)
class CrossoverScan:
    """Lattice against continuum ``dT`` over the whole finite-size crossover, for one ``z`` and ``d``.

    Attributes
    ----------
    d : int
    z : float
    eps, k_eps : ndarray
        The couplings and their wavenumbers :math:`k_\\varepsilon` (:func:`crossover_wavenumber`).
    dT, dT_err : ndarray
        ``sqrt`` of the sampled spatial variance and its standard error.
    dT_expected : ndarray
        The exact ensemble average on the lattice (:func:`lattice_variance_expected`).
    dT_continuum : ndarray
        The infinite-system law (:func:`continuum_variance`).
    window : (float, float)
        The scaling window in ``eps`` (:func:`scaling_window`).
    fit, fit_expected : PowerLawFit
        ``dT ~ eps**(d/2z)`` fitted in the window to the samples (jackknife
        error, :func:`fit_dT_exponent`) and to the exact average.
    """

    d: int
    z: float
    eps: np.ndarray
    k_eps: np.ndarray
    dT: np.ndarray
    dT_err: np.ndarray
    dT_expected: np.ndarray
    dT_continuum: np.ndarray
    window: tuple
    fit: PowerLawFit
    fit_expected: PowerLawFit

    @property
    def inside(self) -> np.ndarray:
        """Mask of the couplings inside the scaling window."""
        return (self.eps >= self.window[0]) & (self.eps <= self.window[1])

    @property
    def target(self) -> float:
        """The continuum exponent ``d/2z`` of paper Eq. 2."""
        return self.d / (2 * self.z)

    @property
    def exponent_dev(self) -> float:
        """Relative deviation of the sampled exponent from ``d/2z``."""
        return self.fit.exponent / self.target - 1

    @property
    def exact_dev(self) -> float:
        """Relative deviation of the exact lattice average's exponent from ``d/2z`` (the window's own correction)."""
        return self.fit_expected.exponent / self.target - 1

    @property
    def exponent_pull(self) -> float:
        """Sampled minus exact-average exponent, in units of the sampled exponent's jackknife error."""
        return (self.fit.exponent - self.fit_expected.exponent) / self.fit.exponent_err

    @property
    def variance_ratio(self) -> np.ndarray:
        """Sampled lattice variance over the continuum variance (paper Eq. 12), at every ``eps``."""
        return (self.dT / self.dT_continuum) ** 2

    @property
    def variance_pull(self) -> np.ndarray:
        """Sampled minus exact lattice variance, in units of the sampled variance's standard error, per ``eps``."""
        return (self.dT ** 2 - self.dT_expected ** 2) / (2 * self.dT * self.dT_err)


def crossover_scan(z, d, *, L, M, seed=0, n_eps=30, k_range=None, modes=50.0, k_hi=0.2, gamma=1.0, gbar=1.0,
                   theta=1.0, dg=1.0) -> CrossoverScan:
    """Sample ``dT(eps)`` on the lattice from deep in the finite-size regime to the bandwidth, and fit it.

    Parameters
    ----------
    z : float
        Dynamical exponent.
    d : int
        Dimension.
    L, M, seed : int
        Lattice size, source realisations and their seed (:func:`lattice_variance_samples`).
    n_eps : int
        Couplings on the grid (``>= 3``).
    k_range : (float, float), optional
        Range of :math:`k_\\varepsilon` of the grid, geometric; default from
        ``2 pi / (3 L)`` (a third of the smallest lattice wavenumber) to 2.
    modes, k_hi : float
        The scaling window (:func:`scaling_window`).
    gamma, gbar, theta, dg : float
        The model of paper Eq. 11.
    """
    z = check_real("z", z, low=0.0, low_open=True, high=20.0)  # eps = gamma k**z underflows beyond
    L = check_int("L", L, low=4)
    n_eps = check_int("n_eps", n_eps, low=3, high=10_000)
    lo, hi = (2 * np.pi / (3 * L), 2.0) if k_range is None else k_range
    lo = check_real("k_range[0]", lo, low=0.0, low_open=True)
    hi = check_real("k_range[1]", hi, low=lo, low_open=True)
    model = dict(gamma=gamma, gbar=gbar, theta=theta, dg=dg)
    k_grid = np.geomspace(lo, hi, n_eps)
    eps = gamma * k_grid**z / gbar
    window = scaling_window(z, L, modes=modes, k_hi=k_hi, gamma=gamma, gbar=gbar)
    samples = lattice_variance_samples(eps, z, d, L=L, M=M, seed=seed, **model)
    var, err = samples.mean(axis=0), samples.std(axis=0, ddof=1) / np.sqrt(samples.shape[0])
    expected = lattice_variance_expected(eps, z, d, L=L, **model)
    return CrossoverScan(d=int(d), z=float(z), eps=eps, k_eps=k_grid, dT=np.sqrt(var), dT_err=err / (2 * np.sqrt(var)),
                         dT_expected=np.sqrt(expected), dT_continuum=np.sqrt(continuum_variance(eps, z, d, **model)),
                         window=window, fit=fit_dT_exponent(eps, samples, window=window),
                         fit_expected=fit_power_law(eps, np.sqrt(expected), window=window))


def crossover_scans(z_values, d, *, L, M, seed=0, **scan_options) -> list:
    """One :func:`crossover_scan` per dynamical exponent, each with its own independent sources.

    Parameters
    ----------
    z_values : sequence of float
        Dynamical exponents, each ``0 < z <= 20``.
    d : int
        Dimension.
    L, M : int
        Lattice size and source realisations (:func:`lattice_variance_samples`).
    seed : int
        The ``i``-th exponent draws its sources with seed ``seed + i`` (``seed >= 0``).
    **scan_options
        The other keywords of :func:`crossover_scan` (``n_eps``, ``k_range``, ``modes``, ``k_hi``
        and the model constants ``gamma``, ``gbar``, ``theta``, ``dg``).

    Returns
    -------
    list of CrossoverScan
        In the order of ``z_values``.
    """
    zs = check_real_array("z_values", z_values, low=0.0, low_open=True, high=20.0, ndim=1).tolist()
    seed = check_int("seed", seed, low=0)
    return [crossover_scan(z, d, L=L, M=M, seed=seed + i, **scan_options) for i, z in enumerate(zs)]
