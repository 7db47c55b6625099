r"""Steady states of resistor networks with sinks: ``(L_K + diag(g)) x = b``.

``L_K`` is the weighted graph Laplacian of the links (conductances ``K >= 0``)
and ``g >= 0`` an on-site sink (or, for Kirchhoff problems, the conductance to a
node held at fixed potential), so the matrix is symmetric, positive definite and
diagonally dominant as long as every connected part has some ``g > 0``.  In the thermal problem (paper Eq. 3 divided by eps) ``K`` is the
reduced conductance ``Gamma/eps``, ``g = g1`` and ``b = theta (g2 - g1)`` for the
deviation ``x = T - (T0 + theta)``.

Chains use an elimination in which every pivot is a sum of positive terms: the
effective sink of the eliminated part, passed through link ``K_i``, is the
series combination ``K_i s_i / (K_i + s_i)``.  There is no cancellation, so the
solution keeps its relative accuracy when conductances span hundreds of
decades (an ordinary LU loses the sinks against ``K/g > 1e16``).  Lattices use
LAPACK's banded Cholesky (``scipy.linalg.solveh_banded``).
"""
from __future__ import annotations

import numba
import numpy as np
import scipy.sparse as sp
from scipy.linalg import LinAlgError, solveh_banded
from scipy.sparse.csgraph import connected_components
from threadpoolctl import threadpool_limits

from ..infrastructure._validate import check_array
from ..infrastructure.progress import progress

__all__ = ["solve_chain", "solve_grid"]


def solve_chain(K, g, b):
    r"""Solve ``(L_K + diag(g)) x = b`` on open chains, batched and cancellation-free.

    Parameters
    ----------
    K : array_like, shape (..., N-1)
        Link conductances between islands ``i`` and ``i+1`` (``>= 0``; ``inf`` is
        not allowed, cap strong links, e.g. at 1e300).
    g : array_like, shape (..., N)
        On-site sinks (``>= 0``; every chain needs some ``g > 0`` where it is
        connected, else the system is singular and a ValueError is raised).
    b : array_like, shape (..., N)
        Right-hand sides.  The batch shapes (all but the last axis) of ``K``,
        ``g`` and ``b`` broadcast against each other.

    Returns
    -------
    numpy.ndarray, shape (..., N)

    Notes
    -----
    Forward sweep: ``s_0 = g_0``, ``w_i = K_i / (s_i + K_i)``,
    ``s_{i+1} = g_{i+1} + w_i s_i``, ``r_{i+1} = b_{i+1} + w_i r_i``; back
    substitution ``x_{N-1} = r_{N-1}/s_{N-1}``,
    ``x_i = r_i / (s_i + K_i) + w_i x_{i+1}``.  Cost ``O(N)`` per chain, all
    chains of the batch in one compiled loop (numba); no work array beyond the result.
    """
    K, g, b = (check_array(name, v, finite=False) for name, v in (("K", K), ("g", g), ("b", b)))
    N = g.shape[-1]
    if b.shape[-1] != N or K.shape[-1] != N - 1:
        raise ValueError(f"need K (..., N-1), g (..., N), b (..., N); got {K.shape}, {g.shape}, {b.shape}")
    try:
        batch = np.broadcast_shapes(K.shape[:-1], g.shape[:-1], b.shape[:-1])
    except ValueError:
        raise ValueError(f"the batch shapes of K {K.shape}, g {g.shape} and b {b.shape} do not broadcast") from None
    if not (np.all(np.isfinite(g)) and np.all(g >= 0)):
        raise ValueError("every sink g must be finite and >= 0")
    if np.any(np.isnan(K)) or np.any(K < 0) or np.any(np.isinf(K)):
        raise ValueError("conductances K must be finite and >= 0; cap perfect joints (e.g. at 1e300)")
    if not np.all(np.isfinite(b)):
        raise ValueError("b must be finite")
    scalar = batch == ()
    if scalar:  # one chain: work on a batch of one (0-d rows cannot be updated in place)
        K, g, b, batch = K[None], g[None], b[None], (1,)
    x = np.empty(batch + (N,))
    Kf = np.ascontiguousarray(np.broadcast_to(K, batch + (N - 1,))).reshape(-1, N - 1)
    gf, gi = _rows(g, batch)
    bf, bi = _rows(b, batch)
    _eliminate(Kf, gf, bf, gi, bi, x.reshape(-1, N))
    if not np.all(np.isfinite(x)):
        raise ValueError("singular chain: a chain with zero sinks everywhere (or cut off from every sink)")
    return x[0] if scalar else x


def _rows(v, batch):
    """``v`` (shape ``vb + (N,)``, ``vb`` broadcastable to ``batch``) as distinct rows plus,
    for every chain of the batch, the index of its row; nothing is copied when
    ``v`` is shared across the batch."""
    vb = v.shape[:-1]
    idx = np.broadcast_to(np.arange(int(np.prod(vb))).reshape(vb), batch).ravel()
    return np.ascontiguousarray(v.reshape(-1, v.shape[-1])), np.ascontiguousarray(idx)


_BLOCK = 16  # chains advanced together in the compiled loop (independent, so they pipeline)


@numba.njit(cache=True, nogil=True, error_model="numpy")  # 1/0 -> inf, caught afterwards
def _eliminate(K, g, b, gi, bi, x):  # pragma: no cover - compiled
    """Chain elimination for every row of ``K`` (compiled; see :func:`solve_chain`).

    Chain ``j`` uses sinks ``g[gi[j]]`` and right-hand side ``b[bi[j]]``; blocks
    of ``_BLOCK`` chains are interleaved so the divisions of different chains overlap.
    """
    n_chains, N = x.shape
    w = np.empty((N - 1, _BLOCK))
    s = np.empty(_BLOCK)  # effective sinks of the eliminated left parts
    r = np.empty(_BLOCK)  # eliminated right-hand sides
    for j0 in range(0, n_chains, _BLOCK):
        nb = min(_BLOCK, n_chains - j0)
        for jj in range(nb):
            s[jj] = g[gi[j0 + jj], 0]
            r[jj] = b[bi[j0 + jj], 0]
        for i in range(N - 1):
            for jj in range(nb):
                j = j0 + jj
                k = K[j, i]
                inv = 1.0 / (s[jj] + k)
                wk = k * inv  # w_i = K_i / (s_i + K_i)
                w[i, jj] = wk
                x[j, i] = r[jj] * inv  # r_i / (s_i + K_i)
                s[jj] = g[gi[j], i + 1] + wk * s[jj]
                r[jj] = b[bi[j], i + 1] + wk * r[jj]
        for jj in range(nb):
            x[j0 + jj, N - 1] = r[jj] / s[jj]
        for i in range(N - 2, -1, -1):  # x_i = r_i / (s_i + K_i) + w_i x_{i+1}
            for jj in range(nb):
                x[j0 + jj, i] += w[i, jj] * x[j0 + jj, i + 1]


def _grid_band_matrix(Kh, Kv, g):
    """Lower banded form (for ``solveh_banded``) of ``L_K + diag(g)`` on an R x C lattice.

    Sites are ordered row by row, ``(r, c) -> r*C + c``; ``Kh[r, c]`` joins
    ``(r, c)``-``(r, c+1)``, ``Kv[r, c]`` joins ``(r, c)``-``(r+1, c)``.  Requires ``C <= R``
    or ``R == 1`` for a narrow band (see :func:`solve_grid`, which transposes).
    """
    R, C = g.shape
    n = R * C
    band = C if R > 1 else 1
    ab = np.zeros((band + 1, n))
    diag = g.copy()
    diag[:, :-1] += Kh
    diag[:, 1:] += Kh
    diag[:-1, :] += Kv
    diag[1:, :] += Kv
    ab[0] = diag.ravel()
    sub = np.zeros((R, C))
    sub[:, :-1] = -Kh
    ab[1, : n - 1] = sub.ravel()[: n - 1]
    if R > 1:
        ab[C, : n - C] = -Kv.ravel()
    return ab


def _check_sinks_per_part(Kh, Kv, g, batch):
    """Refuse a lattice with a connected part (links with K > 0) that holds no sink g > 0: it is singular."""
    R, C = g.shape[-2:]
    site = np.arange(R * C).reshape(R, C)
    Kh, Kv, g = (np.broadcast_to(a, batch + a.shape[-2:]).reshape((-1,) + a.shape[-2:]) for a in (Kh, Kv, g))
    for m in range(g.shape[0]):
        rows = np.r_[site[:, :-1][Kh[m] > 0], site[:-1, :][Kv[m] > 0]]
        cols = np.r_[site[:, 1:][Kh[m] > 0], site[1:, :][Kv[m] > 0]]
        graph = sp.coo_matrix((np.ones(rows.size), (rows, cols)), shape=(R * C, R * C))
        n_parts, label = connected_components(graph, directed=False)
        sunk = np.zeros(n_parts, dtype=bool)
        sunk[label[g[m].ravel() > 0]] = True
        if not sunk.all():
            raise ValueError(f"lattice {m} of the batch has {int((~sunk).sum())} connected part(s) without a sink "
                             "g > 0 (links with K = 0 cut it apart): the equations are singular there")


def solve_grid(Kh, Kv, g, b, *, desc=None):
    """Solve ``(L_K + diag(g)) x = b`` on open R x C lattices by banded Cholesky.

    Parameters
    ----------
    Kh : array_like, shape (..., R, C-1)
        Conductances of the links within rows.
    Kv : array_like, shape (..., R-1, C)
        Conductances of the links within columns.
    g, b : array_like, shape (..., R, C)
        Sinks (>= 0, with some > 0 in every connected part) and right-hand sides.  Batch shapes (the leading axes)
        broadcast against each other.
    desc : str, optional
        Label of a progress bar over the batch (no bar without it).

    Returns
    -------
    numpy.ndarray, shape (..., R, C)

    Raises
    ------
    ValueError
        If the Cholesky factorisation fails, which happens only when the
        conductance-to-sink ratio exceeds double precision (~1e15).
    """
    Kh, Kv, g, b = (check_array(name, v, finite=False) for name, v in (("Kh", Kh), ("Kv", Kv), ("g", g), ("b", b)))
    if g.ndim < 2 or b.shape[-2:] != g.shape[-2:]:
        raise ValueError(f"g and b must end in the lattice shape (R, C), got {g.shape} and {b.shape}")
    R, C = g.shape[-2:]
    if Kh.shape[-2:] != (R, C - 1) or Kv.shape[-2:] != (R - 1, C):
        raise ValueError(f"Kh must end in {(R, C - 1)} and Kv in {(R - 1, C)}, got {Kh.shape} and {Kv.shape}")
    try:
        batch = np.broadcast_shapes(Kh.shape[:-2], Kv.shape[:-2], g.shape[:-2], b.shape[:-2])
    except ValueError:
        raise ValueError("the batch shapes of Kh, Kv, g and b do not broadcast") from None
    if not (np.all(np.isfinite(g)) and np.all(g >= 0)):
        raise ValueError("every sink g must be finite and >= 0")
    if not np.all(np.any(g > 0, axis=(-2, -1))):
        raise ValueError("g must have a sink > 0 somewhere in every lattice of the batch: without one the "
                         "lattice Laplacian is singular and the solution is undefined")
    for name, k in (("Kh", Kh), ("Kv", Kv)):
        if not (np.all(np.isfinite(k)) and np.all(k >= 0)):
            raise ValueError(f"every conductance in {name} must be finite and >= 0")
    if not np.all(np.isfinite(b)):
        raise ValueError("b must be finite")
    if np.any(Kh == 0) or np.any(Kv == 0):  # cut links: every connected part needs its own sink
        _check_sinks_per_part(Kh, Kv, g, batch)
    transpose = C > R > 1  # keep the band as narrow as possible
    n_batch = int(np.prod(batch))
    flat = [np.broadcast_to(a, batch + a.shape[-2:]).reshape((n_batch,) + a.shape[-2:]) for a in (Kh, Kv, g, b)]
    x = np.empty((n_batch, R, C))
    with threadpool_limits(limits=1, user_api="blas"):  # threads only slow down narrow-band solves
        _solve_grid_batch(flat, x, transpose, desc)
    return x.reshape(batch + (R, C))


def _solve_grid_batch(flat, x, transpose, desc):
    """Solve every system of the batch; a progress bar only when ``desc`` is given."""
    indices = range(x.shape[0]) if desc is None else progress(range(x.shape[0]), desc=desc, unit="solve")
    for j in indices:
        kh, kv, gj, bj = (a[j] for a in flat)
        if transpose:
            kh, kv, gj, bj = kv.T, kh.T, gj.T, bj.T
        ab = _grid_band_matrix(kh, kv, gj)
        try:
            sol = solveh_banded(ab, bj.ravel(), lower=True, check_finite=False)
        except LinAlgError:
            raise ValueError(
                "the lattice system is numerically singular: conductance/sink ratios exceed double "
                "precision (raise eps or lower G0)"
            ) from None
        sol = sol.reshape(gj.shape)
        x[j] = sol.T if transpose else sol
