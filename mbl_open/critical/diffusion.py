"""The ``z = 2`` null hypothesis of a finite chain: lattice diffusion with a weak bath (paper Eq. 1 on a lattice).

Lattice diffusion of a finite chain
-----------------------------------
Linearised around the mean temperature, the local temperatures of a diffusive
chain obey a discrete heat equation with a weak bath (paper Eq. 1 on a lattice)::

    (D L + eps) dT = eps theta dg,

on the ``M = N - 1`` bonds that the thermometer reads, ``L`` the Laplacian of
an open path (Neumann ends), ``dg`` independent random heating of variance
``sigma**2``.  In the cosine eigenmodes of ``L``, ``lambda_n = 4 sin**2(pi n / 2M)``,
each mode is damped by ``eps / (D lambda_n + eps)``; the thermometer's
spatial variance removes the uniform mode ``n = 0``, so the disorder average is::

    dbeta/beta = A sqrt( (1/M) sum_{n=1}^{M-1} [eps / (D lambda_n + eps)]**2 ).

For ``M -> inf`` at fixed ``eps/D`` the sum becomes an integral and
``dbeta/beta ~ eps**(1/4)``, i.e. ``z = 2``; on a finite chain the longest
nonuniform mode ``lambda_1 ~ (pi/M)**2`` takes over once ``eps < D lambda_1``
and the curve turns linear in ``eps``.  A power law fitted across that
crossover returns an effective ``z`` *below* 2 (:func:`effective_z`), which is
how a short diffusive chain can look "super-diffusive".
"""
from __future__ import annotations

import numpy as np

from ..infrastructure._validate import check_int, check_real, check_real_array

__all__ = ["diffusion_curve", "effective_z"]


def _mode_eigenvalues(N: int) -> np.ndarray:
    """``lambda_n``, ``n = 1 .. M-1``, of the open-path Laplacian on ``M = N - 1`` bonds."""
    M = N - 1
    n = np.arange(1, M)
    return 4.0 * np.sin(np.pi * n / (2 * M)) ** 2


def diffusion_curve(eps, N, D, amplitude=1.0) -> np.ndarray:
    """``dbeta/beta(eps)`` of a diffusive (``z = 2``) chain of ``N`` sites (module docstring; paper Eq. 1).

    Parameters
    ----------
    eps : array_like
        Bath couplings, ``> 0``.
    N : int
        Sites (``N - 1`` bonds carry the temperatures), ``N >= 3``.
    D : float
        Diffusion constant over the bath coupling, in bonds squared, ``> 0``.
    amplitude : float
        ``A``, the overall scale (``theta sigma / beta``).

    Returns
    -------
    ndarray, shape of ``eps``
    """
    eps = check_real_array("eps", eps, low=0.0, low_open=True)
    N = check_int("N", N, low=3)
    D = check_real("D", D, low=0.0, low_open=True)
    amplitude = check_real("amplitude", amplitude)
    lam = _mode_eigenvalues(N)
    e = eps[..., None]
    return amplitude * np.sqrt(np.sum((e / (D * lam + e)) ** 2, axis=-1) / (N - 1))


def effective_z(eps, N, D) -> float:
    """The ``z`` that an unweighted log-log power-law fit returns for a diffusive chain of ``N`` sites.

    Parameters
    ----------
    eps : array_like
        The fit's ``eps`` values (at least 2).
    N : int
    D : float
        As in :func:`diffusion_curve`.

    Returns
    -------
    float
        ``1 / (2 p)`` with ``p`` the fitted slope of ``log dbeta/beta`` against
        ``log eps``; 2 only for an infinite chain.
    """
    eps = check_real_array("eps", eps, low=0.0, low_open=True, ndim=1)
    if np.unique(eps).size < 2:
        raise ValueError(f"eps must hold at least 2 distinct values, got {eps.tolist()}")
    p = np.polyfit(np.log(eps), np.log(diffusion_curve(eps, N, D)), 1)[0]
    return float(1.0 / (2.0 * p))
