r"""Thermal resistor networks: open steady state (paper Eq. 3) and closed spreading (paper Eq. 17).

Steady state of paper Eq. 3 with heat capacity 1 per island,

.. math::
    -\Gamma_{i,i+1}(T_{i+1}-T_i) + \Gamma_{i-1,i}(T_i-T_{i-1})
    = -\varepsilon g_{1,i}(T_i - T_0) + \varepsilon\theta g_{2,i}.

Dividing by :math:`\varepsilon` and writing :math:`T_i = \bar T + \delta T_i`
with :math:`\bar T = T_0 + \theta` (the Laplacian annihilates constants) gives

.. math:: \big(L_{\Gamma/\varepsilon} + \mathrm{diag}(g_1)\big)\,\delta T = \theta\,(g_2 - g_1),

solved for ``delta T`` directly, so its relative accuracy does not depend on
how small the deviations are.  The observable is the paper's
:math:`\delta T/\bar T = \sqrt{\langle\langle\mathrm{Var}_i T_i\rangle\rangle}/
\langle\langle\mathrm{E}_i T_i\rangle\rangle`.
"""
from __future__ import annotations

import numba
import numpy as np
from scipy.linalg import LinAlgError, eigh_tridiagonal, solve_banded
from threadpoolctl import threadpool_limits

from ..infrastructure._validate import check_array, check_int, check_real, check_real_array
from ..numerics.spread import relative_spread_from_moments
from ..infrastructure.progress import progress
from .disorder import check_ensemble_memory, check_model, conductance, draw_disorder, reduced_conductance
from .solvers import solve_chain, solve_grid

__all__ = ["steady_temperatures", "temperature_deviations", "fluctuation_samples", "fluctuation_ratio", "thermal_fluctuations",
           "spreading_samples", "spreading_width", "T_MAX_SPREADING"]

#: Largest time for spreading_width: eigenvalues carry an absolute error
#: ~1e-16 * max(Gamma), so exp(-lambda t) is reliable only for t << 1e15.
T_MAX_SPREADING = 1e12
#: The lattice (Cholesky) solver needs conductance/sink ratios below this.
_GRID_MAX_RATIO = 1e13


def _check_common(eps, alpha, d, N, M, seed, model_params):
    eps = check_real_array("eps", eps, low=0.0, low_open=True, ndim=1)
    alpha = check_real("alpha", alpha, low=0.0, low_open=True)
    d = check_int("d", d, low=1, high=2)
    N = check_int("N", N, low=2, high=10**6 if d == 1 else 2000)
    M = check_int("M", M, low=1)
    check_ensemble_memory(N, M, d)
    seed = check_int("seed", seed, low=0)
    model = check_model(**model_params)
    if d == 2:
        k_max = model["kappa0"] + model["G0"] * np.exp(-1.0) / eps.min()
        if k_max / (model["gbar"] - model["dg1"]) > _GRID_MAX_RATIO:
            eps_min = model["G0"] * np.exp(-1.0) / (_GRID_MAX_RATIO * (model["gbar"] - model["dg1"]))
            raise ValueError(
                f"eps must be >= {eps_min:.1e} for d=2: smaller eps makes conductance/sink ratios "
                f"exceed double precision in the lattice solver (got eps min {eps.min():.1e})"
            )
    return eps, alpha, d, N, M, seed, model


def _deviation_blocks(eps, alpha, d, N, M, seed, model, max_numbers=1_000_000):
    """Yield ``(eps_slice, config_index, dT)`` blocks covering all eps and configurations.

    1D: all configurations at once, chunked over eps to bound memory.
    2D: one configuration (all eps) at a time, with a progress bar.
    """
    dis = draw_disorder(d=d, N=N, M=M, seed=seed)
    g1, g2 = dis.couplings(model["gbar"], model["dg1"], model["dg2"])
    b = model["theta"] * (g2 - g1)
    kw = dict(d=d, kappa0=model["kappa0"], a=model["a"], G0=model["G0"])
    lengths = dis.lengths(alpha, a=model["a"])
    if d == 1:
        step = max(1, max_numbers // (M * N))
        for start in range(0, eps.size, step):
            sl = slice(start, start + step)
            K = reduced_conductance(lengths[0], eps[sl], **kw)  # (n, M, N-1)
            yield sl, slice(None), solve_chain(K, g1, b)  # g1, b (M, N) shared by every eps
        return
    for m in progress(range(M), desc=f"2D network alpha={alpha:g}", unit="config"):
        Kh = reduced_conductance(lengths[0][m], eps, **kw)  # (n_eps, N, N-1)
        Kv = reduced_conductance(lengths[1][m], eps, **kw)
        yield slice(None), m, solve_grid(Kh, Kv, g1[m], b[m], desc=None)


def steady_temperatures(Gamma, g1, theta_g2, *, eps, T0):
    r"""Steady state of paper Eq. 3 for one chain with given conductances and couplings.

    Solves

    .. math::
        -\Gamma_{i,i+1}(T_{i+1}-T_i) + \Gamma_{i-1,i}(T_i-T_{i-1})
        = -\varepsilon g_{1,i}(T_i - T_0) + \varepsilon\,\theta g_{2,i}

    for :math:`T_i` (no current through the chain ends) by the chain
    elimination of :func:`~mbl_open.resistor_networks.solvers.solve_chain`, i.e.
    :math:`(L_{\Gamma/\varepsilon} + \mathrm{diag}(g_1))(T - T_0) = \theta g_2`.
    Unlike :func:`temperature_deviations` nothing is drawn: the inputs are,
    e.g., conductances and couplings measured on the spin chain
    (:mod:`mbl_open.hydrodynamics`).

    Parameters
    ----------
    Gamma : array_like, shape (N-1,)
        Link conductances.  A physical network has ``Gamma >= 0`` (heat flows
        from hot to cold) and is solved by the cancellation-free elimination;
        effective conductances measured on a small system can be negative,
        and then a banded LU solves the same equations.
    g1 : array_like, shape (N,)
        Relaxation couplings (``>= 0`` with at least one ``> 0`` for a physical network).
    theta_g2 : array_like, shape (N,)
        Source amplitudes :math:`\theta g_{2,i}` (any sign).
    eps : float
        Bath coupling, ``> 0``.
    T0 : float
        Temperature the sinks relax towards.

    Returns
    -------
    numpy.ndarray, shape (N,)
    """
    eps = check_real("eps", eps, low=0.0, low_open=True)
    T0 = check_real("T0", T0)
    g1 = check_real_array("g1", g1, ndim=1)
    N = g1.size
    if N < 2:
        raise ValueError(f"g1 must have length N >= 2 (one per island), got {N}")
    Gamma = check_real_array("Gamma", Gamma, ndim=1)
    theta_g2 = check_real_array("theta_g2", theta_g2, ndim=1)
    if Gamma.size != N - 1 or theta_g2.size != N:
        raise ValueError(f"need Gamma of length N-1 = {N - 1} and theta_g2 of length N = {N}, "
                         f"got {Gamma.size} and {theta_g2.size}")
    if np.all(Gamma >= 0) and np.all(g1 >= 0):
        if not np.any(g1 > 0):
            raise ValueError("g1 must be > 0 on at least one island (else the mean temperature is undetermined)")
        return T0 + solve_chain(Gamma / eps, g1, theta_g2)
    # measured effective conductances may be negative: a general banded LU, singularity checked
    K = Gamma / eps
    ab = np.zeros((3, N))
    ab[0, 1:] = -K
    ab[2, :-1] = -K
    ab[1] = g1 + np.concatenate([K, [0.0]]) + np.concatenate([[0.0], K])
    try:
        x = solve_banded((1, 1), ab, theta_g2)
    except LinAlgError:
        raise ValueError("the network of paper Eq. 3 with these Gamma and g1 is singular") from None
    return T0 + x


def temperature_deviations(eps, alpha, *, d=1, N, M, seed=0, **model_params):
    r"""Steady-state deviations :math:`\delta T_i = T_i - (T_0+\theta)` of paper Eq. 3.

    Parameters
    ----------
    eps : array_like
        Bath couplings (> 0), one steady state per value; the disorder is the
        same for every ``eps``.
    alpha : float
        ``a/xi`` (> 0).
    d : int
        1 (chain of ``N`` islands) or 2 (``N x N`` lattice, open boundaries).
    N, M : int
        System size and number of disorder configurations.
    seed : int
        Seed of the disorder (see :func:`mbl_open.resistor_networks.draw_disorder`).
    **model_params
        Overrides of :data:`mbl_open.resistor_networks.PAPER_MODEL` (kappa0, a, G0, T0,
        dg1, dg2, theta, gbar).

    Returns
    -------
    numpy.ndarray
        Shape ``(len(eps), M, N)`` in 1D, ``(len(eps), M, N, N)`` in 2D.
    """
    eps, alpha, d, N, M, seed, model = _check_common(eps, alpha, d, N, M, seed, model_params)
    out = np.empty((eps.size, M) + (N,) * d)
    for sl, m, block in _deviation_blocks(eps, alpha, d, N, M, seed, model):
        out[sl, m] = block
    return out


def fluctuation_samples(eps, alpha, *, d=1, N, M, seed=0, **model_params):
    r"""Per-configuration island statistics: :math:`\mathrm{Var}_i T_i` and :math:`\mathrm{E}_i T_i`.

    Parameters as in :func:`temperature_deviations`.  Profiles are reduced
    block by block, so memory stays bounded at paper scale.

    Returns
    -------
    var, mean : numpy.ndarray, each of shape ``(len(eps), M)``
        Sample variance and mean over islands of each configuration's ``T_i``.
    """
    eps, alpha, d, N, M, seed, model = _check_common(eps, alpha, d, N, M, seed, model_params)
    var = np.empty((eps.size, M))
    mean = np.empty((eps.size, M))
    T_bar = model["T0"] + model["theta"]
    for sl, m, block in _deviation_blocks(eps, alpha, d, N, M, seed, model):
        rows = block.reshape(-1, N**d)
        v, mu = np.empty(rows.shape[0]), np.empty(rows.shape[0])
        _row_var_mean(rows, v, mu)
        var[sl, m] = v.reshape(block.shape[:-d])
        mean[sl, m] = T_bar + mu.reshape(block.shape[:-d])
    return var, mean


@numba.njit(cache=True, nogil=True)
def _row_var_mean(x, var, mean):  # pragma: no cover - compiled
    """Population variance and mean of every row of ``x`` (two passes over each row, in cache)."""
    n = x.shape[1]
    for j in range(x.shape[0]):
        mu = 0.0
        for i in range(n):
            mu += x[j, i]
        mu /= n
        acc = 0.0
        for i in range(n):
            dev = x[j, i] - mu
            acc += dev * dev
        mean[j] = mu
        var[j] = acc / n


def fluctuation_ratio(var, mean, axis=-1):
    r""":math:`\sqrt{\langle\langle\mathrm{Var}\rangle\rangle}/\langle\langle\mathrm{E}\rangle\rangle` from per-configuration samples (averaged over ``axis``).

    ``var`` (>= 0) and ``mean`` (> 0) are the arrays returned by :func:`fluctuation_samples`: of one
    shape, not empty.
    """
    var, mean = check_array("var", var, finite=False), check_array("mean", mean, finite=False)
    if var.shape != mean.shape:
        raise ValueError(f"var and mean must have the same shape, got {var.shape} and {mean.shape}")
    if var.size == 0:
        raise ValueError(f"var and mean must not be empty, got shape {var.shape}")
    if np.any(var < 0) or np.any(mean <= 0) or not (np.all(np.isfinite(var)) and np.all(np.isfinite(mean))):
        raise ValueError("var must be finite and >= 0, mean finite and > 0")
    return relative_spread_from_moments(var, mean, axis=axis)


def thermal_fluctuations(eps, alpha, *, d=1, N, M, seed=0, **model_params):
    r"""Relative temperature variations :math:`\delta T/\bar T` for each ``eps`` (paper Figs. 1, 4).

    :math:`\delta T/\bar T = \sqrt{\langle\langle \mathrm{Var}_i T_i\rangle\rangle}
    / \langle\langle \mathrm{E}_i T_i\rangle\rangle`, with the sample variance and
    mean over islands and ``<<.>>`` the average over ``M`` configurations.
    Parameters as in :func:`temperature_deviations`; the paper's defaults are
    kappa0=1, a=1, G0=5, T0=1, dg1=dg2=0.05, theta=T0, gbar=1.

    Returns
    -------
    numpy.ndarray of shape ``(len(eps),)``
    """
    return fluctuation_ratio(*fluctuation_samples(eps, alpha, d=d, N=N, M=M, seed=seed, **model_params))


def spreading_samples(t, alpha, *, N, M, seed=0, **model_params):
    r"""Per-configuration squared widths :math:`\sum_i (i-x_0)^2 e_i(t)` of the closed chain (paper Eq. 17).

    With ``eps = 0`` the links conduct ``G0 exp(-l/a)`` and, with unit heat
    capacity, :math:`\dot e = -L_\Gamma e`.  Starting from
    :math:`e_i = \delta_{i,x_0}`, ``x0 = N // 2``, the profile is
    :math:`e(t) = V e^{-\Lambda t} V^T e(0)` from the exact eigendecomposition
    of the tridiagonal :math:`L_\Gamma` (no time stepping).

    Parameters
    ----------
    t : array_like
        Times, ``0 <= t <= 1e12`` (beyond, eigenvalue round-off ~1e-16 max(Gamma)
        would spoil ``exp(-lambda t)``).
    alpha : float
        ``a/xi`` (> 0).
    N, M, seed : int
        Chain length (>= 3), configurations, disorder seed (the same disorder as
        :func:`thermal_fluctuations` with ``d=1`` and the same seed).
    **model_params
        ``a`` and ``G0`` are used; the other model parameters are accepted and ignored.

    Returns
    -------
    numpy.ndarray of shape ``(len(t), M)``
    """
    t = check_real_array("t", t, low=0.0, high=T_MAX_SPREADING, ndim=1)
    alpha = check_real("alpha", alpha, low=0.0, low_open=True)
    N = check_int("N", N, low=3, high=20000)
    M = check_int("M", M, low=1)
    seed = check_int("seed", seed, low=0)
    model = check_model(**model_params)
    dis = draw_disorder(d=1, N=N, M=M, seed=seed)
    (lengths,) = dis.lengths(alpha, a=model["a"])
    G = conductance(lengths, 0.0, d=1, kappa0=model["kappa0"], a=model["a"], G0=model["G0"])
    x0 = N // 2
    dist2 = (np.arange(N) - x0) ** 2.0
    out = np.empty((t.size, M))
    with threadpool_limits(limits=1, user_api="blas"):  # small products: threads only contend
        _spread(G, t, x0, dist2, out, alpha)
    return np.maximum(out, 0.0)


def _spread(G, t, x0, dist2, out, alpha):
    """Fill ``out[:, m]`` with the squared width of configuration ``m`` (see :func:`spreading_samples`)."""
    N = G.shape[1] + 1
    for m in progress(range(G.shape[0]), desc=f"spreading alpha={alpha:g}", unit="config"):
        diag = np.zeros(N)
        diag[:-1] += G[m]
        diag[1:] += G[m]
        lam, V = eigh_tridiagonal(diag, -G[m])
        lam = np.maximum(lam, 0.0)
        weights = V[x0] * (dist2 @ V)  # w_k = V[x0, k] sum_i (i - x0)^2 V[i, k]
        out[:, m] = np.exp(-np.outer(t, lam)) @ weights


def spreading_width(t, alpha, *, N, M, seed=0, **model_params):
    r"""Width :math:`\sigma_E(t)` of the disorder-averaged energy profile of the closed chain (paper Eq. 17, paper Fig. 7).

    .. math:: \sigma_E(t)^2 = \sum_i (i - x_0)^2 \langle\langle e_i(t)\rangle\rangle,
              \qquad e_i(0) = \delta_{i,x_0},\ x_0 = N/2 .

    Parameters as in :func:`spreading_samples`.

    Returns
    -------
    numpy.ndarray of shape ``(len(t),)``
    """
    return np.sqrt(spreading_samples(t, alpha, N=N, M=M, seed=seed, **model_params).mean(axis=1))
