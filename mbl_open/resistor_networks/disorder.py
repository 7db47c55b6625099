r"""Disorder of the resistor networks: link lengths, bath couplings, conductances.

Link lengths follow :math:`p(l) \propto e^{-(l/\xi)^d}` for :math:`l \ge a`,
with :math:`\alpha = a/\xi` (paper Eq. 14 and the text before paper Eq. 3).  They are
drawn by inverting the tail :math:`P(L > l) = e^{-((l/\xi)^d - \alpha^d)}`:

.. math:: l = \xi\,\big(\alpha^d + E\big)^{1/d}, \qquad E \sim \mathrm{Exp}(1),

so in one dimension :math:`l = a + \xi E`.  Every configuration has its own
random stream (spawned from the seed), so configuration ``m`` is the same for
every ``M > m``, every ``eps`` and every ``alpha`` (only the map from ``E`` to
``l`` depends on ``alpha``).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from ..infrastructure.limits import limit
from ..infrastructure._validate import check_int, check_real, check_real_array

__all__ = ["PAPER_MODEL", "Disorder", "check_model", "link_lengths", "draw_disorder",
           "conductance", "reduced_conductance"]

#: The paper's parameters (paper Fig. 1): kappa0 = 1, a G0 = 5 with a = 1, T0 = 1,
#: dg1 = dg2 = 0.05, theta = T0, gbar = 1.  ``theta=None`` means ``theta = T0``.
PAPER_MODEL = dict(kappa0=1.0, a=1.0, G0=5.0, T0=1.0, dg1=0.05, dg2=0.05, theta=None, gbar=1.0)

#: Reduced conductances are capped here: links stronger than this are perfect joints.
K_MAX = 1e300


def check_model(**model_params) -> dict:
    """The paper's model updated by ``model_params``, validated.

    Raises ``TypeError`` for an unknown name (listing the valid ones) and
    ``ValueError`` for a value out of range.
    """
    unknown = set(model_params) - set(PAPER_MODEL)
    if unknown:
        raise TypeError(f"unknown model parameter(s) {sorted(unknown)}; valid: {sorted(PAPER_MODEL)}")
    m = {**PAPER_MODEL, **model_params}
    if m["theta"] is None:
        m["theta"] = m["T0"]
    for name in ("kappa0", "a", "G0", "gbar"):
        m[name] = check_real(name, m[name], low=0.0, low_open=True)
    m["T0"] = check_real("T0", m["T0"], low=0.0)
    m["theta"] = check_real("theta", m["theta"], low=0.0)
    for name in ("dg1", "dg2"):
        m[name] = check_real(name, m[name], low=0.0, high=m["gbar"], high_open=True)
    return m


def link_lengths(E, alpha, *, d=1, a=1.0):
    r"""Map unit-exponential variates ``E`` to link lengths for correlation length ``xi = a/alpha``.

    Parameters
    ----------
    E : array_like
        Samples of Exp(1).
    alpha : float
        ``a / xi`` (> 0).
    d : int
        Dimension (1 or 2); sets ``p(l) ~ exp(-(l/xi)**d)``.
    a : float
        Microscopic length, the shortest link (> 0).
    """
    alpha = check_real("alpha", alpha, low=0.0, low_open=True)
    d = check_int("d", d, low=1, high=2)
    a = check_real("a", a, low=0.0, low_open=True)
    E = check_real_array("E", E, low=0.0)
    xi = a / alpha
    return xi * (alpha**d + E) ** (1.0 / d)


def _link_constants(d, kappa0, a, G0):
    """The constants of paper Eq. 13, checked: ``d`` in {1, 2}, ``kappa0 > 0``, ``a > 0``, ``G0 >= 0``."""
    return (check_int("d", d, low=1, high=2), check_real("kappa0", kappa0, low=0.0, low_open=True),
            check_real("a", a, low=0.0, low_open=True), check_real("G0", G0, low=0.0))


#: Bytes per configuration besides its arrays: the random stream spawned for it (a
#: ``numpy.random.SeedSequence``, about 470 bytes measured, rounded up).
STREAM_BYTES = 512


def ensemble_bytes(N: int, M: int, d: int) -> int:
    """Bytes of every array an ensemble of ``M`` configurations occupies in a computation.

    Per configuration, with ``L`` links and ``S`` islands (``N - 1`` and ``N``
    in 1D, ``2 N (N - 1)`` and ``N**2`` in 2D), 8 bytes per number:

    * the draw (:func:`draw_disorder`): the link variates ``E``, the coupling
      variates ``u1``, ``u2``, and the configuration's random stream
      (:data:`STREAM_BYTES`);
    * what the solvers derive from it: link lengths and conductances, the
      couplings ``g1``, ``g2``, the source and the solution.
    """
    links, sites = ((N - 1, N) if d == 1 else (2 * N * (N - 1), N * N))
    return M * (8 * 3 * links + 8 * 6 * sites + STREAM_BYTES)


def check_ensemble_memory(N: int, M: int, d: int, *, name: str = "M") -> None:
    """Refuse an ensemble whose arrays (:func:`ensemble_bytes`) exceed ``MAX_ARRAY_BYTES`` (:mod:`~mbl_open.infrastructure.limits`).

    ``name`` is the caller's name for the number of configurations ``M``, used in the message.
    """
    need = ensemble_bytes(N, M, d)
    if need > limit("MAX_ARRAY_BYTES"):
        raise ValueError(f"N = {N}, {name} = {M} needs about {need / 2**30:.3g} GiB for the arrays of the ensemble "
                         f"(disorder draws, random streams, lengths, couplings, conductances, solutions), more "
                         f"than the limit {limit('MAX_ARRAY_BYTES') / 2**30:.3g} GiB; use a smaller {name}, or raise "
                         "the limit with MBL_OPEN_MAX_ARRAY_BYTES")


@dataclass(frozen=True)
class Disorder:
    """One ensemble of networks.

    Attributes
    ----------
    E : tuple of numpy.ndarray
        Exp(1) variates of the links: ``(E,)`` with shape ``(M, N-1)`` in 1D,
        ``(E_h, E_v)`` with shapes ``(M, N, N-1)`` and ``(M, N-1, N)`` in 2D
        (horizontal links join columns, vertical links join rows).
    u1, u2 : numpy.ndarray
        Uniform variates in [-1, 1] of the couplings, shape ``(M, N)`` or ``(M, N, N)``.
    """

    d: int
    N: int
    M: int
    E: tuple
    u1: np.ndarray
    u2: np.ndarray

    def lengths(self, alpha, a=1.0):
        """Link lengths for this ``alpha`` (a tuple like :attr:`E`)."""
        return tuple(link_lengths(e, alpha, d=self.d, a=a) for e in self.E)

    def couplings(self, gbar, dg1, dg2):
        """``g1 = gbar + dg1 u1`` and ``g2 = gbar + dg2 u2`` (uniform in ``[gbar-dg, gbar+dg]``)."""
        return gbar + dg1 * self.u1, gbar + dg2 * self.u2


def draw_disorder(*, d=1, N, M, seed=0) -> Disorder:
    """Draw ``M`` configurations of an ``N``-island chain (d=1) or ``N x N`` lattice (d=2).

    Configuration ``m`` uses the ``m``-th child of ``numpy.random.SeedSequence(seed)``.
    The arrays are read-only, and the last few ensembles are cached, since a
    sweep over ``alpha`` draws the same ensemble again for every ``alpha``.
    An ensemble whose arrays (:func:`ensemble_bytes`) exceed ``MAX_ARRAY_BYTES``
    is refused before anything is drawn.
    """
    d = check_int("d", d, low=1, high=2)
    N = check_int("N", N, low=2, high=10**7 if d == 1 else 3000)
    M = check_int("M", M, low=1)
    check_ensemble_memory(N, M, d)
    seed = check_int("seed", seed, low=0)
    return _draw_disorder(d, N, M, seed)


@functools.lru_cache(maxsize=4)
def _draw_disorder(d, N, M, seed):
    shape = (N,) * d
    links = [(N - 1,)] if d == 1 else [(N, N - 1), (N - 1, N)]
    E = [np.empty((M,) + s) for s in links]
    u1, u2 = np.empty((M,) + shape), np.empty((M,) + shape)
    for m, child in enumerate(np.random.SeedSequence(seed).spawn(M)):
        rng = np.random.default_rng(child)
        for arr, s in zip(E, links):
            arr[m] = rng.exponential(1.0, s)
        u1[m] = rng.uniform(-1.0, 1.0, shape)
        u2[m] = rng.uniform(-1.0, 1.0, shape)
    for arr in (*E, u1, u2):
        arr.flags.writeable = False
    return Disorder(d, N, M, tuple(E), u1, u2)


def conductance(l, eps, *, d=1, kappa0=1.0, a=1.0, G0=5.0):
    r"""Link conductance of paper Eq. 13, :math:`\Gamma = \varepsilon\kappa_0/l^{2-d} + \Gamma_0 e^{-l/a}`.

    ``eps`` may be 0 (closed system, paper Eq. 17). Values below ~1e-308 underflow
    to 0; the steady-state solvers use :func:`reduced_conductance` instead.
    The result has shape ``eps.shape + l.shape``.
    """
    eps = check_real_array("eps", eps, low=0.0)
    l = check_real_array("l", l, low=0.0, low_open=True)
    d, kappa0, a, G0 = _link_constants(d, kappa0, a, G0)
    e = eps.reshape(eps.shape + (1,) * l.ndim)
    return e * kappa0 / l ** (2 - d) + G0 * np.exp(-l / a)


def reduced_conductance(l, eps, *, d=1, kappa0=1.0, a=1.0, G0=5.0):
    r""":math:`\Gamma/\varepsilon = \kappa_0/l^{2-d} + \Gamma_0 e^{-l/a}/\varepsilon` (paper Eq. 13 over eps).

    Neither term underflows in a way that matters: where ``G0 exp(-l/a)``
    underflows (``l/a > 745``) it is below ``1e-300`` times the bath term
    ``kappa0/l**(2-d)``; for ``eps < 1e-290`` the tunnelling term is evaluated in
    log space, ``exp(ln G0 - l/a - ln eps)``.  Values are capped at ``1e300``
    (a perfect joint).

    Returns
    -------
    numpy.ndarray of shape ``eps.shape + l.shape``
    """
    eps = check_real_array("eps", eps, low=0.0, low_open=True)
    l = check_real_array("l", l, low=0.0, low_open=True)
    d, kappa0, a, G0 = _link_constants(d, kappa0, a, G0)
    geometric = kappa0 / l if d == 1 else np.full(l.shape, float(kappa0))  # kappa0 / l**(2-d)
    e = eps.reshape(eps.shape + (1,) * l.ndim)
    if eps.min() >= 1e-290 and G0 / eps.min() < 1e300:
        out = (G0 * np.exp(-l / a)) * (1.0 / e)
        out += geometric
        return out
    with np.errstate(over="ignore"):
        out = np.exp(np.log(G0) - l / a - np.log(e))
    out += geometric
    return np.minimum(out, K_MAX, out=out)
