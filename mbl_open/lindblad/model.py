"""The disordered Heisenberg chain and its baths (paper Eqs. 6-8).

Hamiltonian (paper Eq. 6), open chain of ``N`` spins 1/2::

    H = sum_i S_i . S_{i+1} + h sum_i (zeta^z_i S^z_i + zeta^x_i S^x_i)

with ``zeta`` uniform in ``[-1, 1]``.  The baths enter the Lindblad equation
(paper Eq. 7) through jump operators (paper Eq. 8), which here are *data*: a :class:`Jump`
holds the operator, the sites it acts on and its rate, so any set of baths can
be solved by the same code.  :func:`paper_jumps` builds the paper's set.

The sign trap
-------------
The text extraction of paper Eq. 8 reads ``S^+-_i (1 - 2 S^z_{i+1})`` for *both*
signs.  Taken literally, every pair ``(L^+, L^-)`` then satisfies
``[L^+, L^+^dag] + [L^-, L^-^dag] = 0``, so the dissipator is unital and the
infinite-temperature state ``1 / 2**N`` is an exact steady state.  The reading
``S^+-_i (1 -+ 2 S^z_{i+1})`` (``sign='-+'``, the default) flips a spin only
into the configuration antiparallel to its neighbour; it is not unital and
gives the non-trivial steady state the paper studies.  The opposite pairing
(``sign='+-'``) flips a spin into the configuration *parallel* to its
neighbour; it is not unital either, but the baths then heat the chain and the
steady state has a negative temperature.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validate import check_choice, check_int, check_real, check_real_array
from ..limits import limit
from .spins import ID, SM, SP, SX, SY, SZ, embed

__all__ = [
    "SIGN_READINGS",
    "Jump",
    "draw_fields",
    "check_chain",
    "paper_jumps",
    "hamiltonian_terms",
    "hamiltonian",
]

#: The three readings of paper Eq. 8, see the module docstring.
SIGN_READINGS = ("-+", "literal", "+-")

_EXCHANGE = np.kron(SX, SX) + np.kron(SY, SY).real + np.kron(SZ, SZ)  # S_i . S_{i+1}


@dataclass(frozen=True)
class Jump:
    """One jump operator ``L`` of the Lindblad equation (paper Eq. 7).

    Attributes
    ----------
    op : ndarray, shape (2**k, 2**k)
        ``L`` restricted to the ``k`` consecutive sites it acts on.
    first : int
        Leftmost site.
    rate : float
        Multiplies ``eps``: the dissipator is ``eps * rate * D[L]``.
    label : str
        Name used in plots and error messages, e.g. ``"L^{+,1}_3"``.
    """

    op: np.ndarray
    first: int
    rate: float = 1.0
    label: str = ""

    @property
    def n_sites(self) -> int:
        return int(round(np.log2(self.op.shape[0])))

    @property
    def sites(self) -> tuple[int, ...]:
        return tuple(range(self.first, self.first + self.n_sites))


def draw_fields(N: int, seed) -> tuple[np.ndarray, np.ndarray]:
    """Disorder fields ``(zeta_z, zeta_x)``, each uniform in ``[-1, 1]`` (paper Eq. 6).

    Parameters
    ----------
    N : int
        Chain length, ``N >= 2``.
    seed : int or sequence of int
        Seed of :func:`numpy.random.default_rng`; a tuple such as
        ``(base_seed, realisation)`` gives independent streams per realisation.
    """
    N = check_int("N", N, low=2, high=limit("MAX_CHAIN_N"))
    parts = seed if isinstance(seed, tuple) else (seed,)
    if not parts or any(isinstance(p, (bool, np.bool_)) or not isinstance(p, (int, np.integer)) or p < 0
                        for p in parts):
        raise TypeError(f"seed must be a non-negative integer or a tuple of them, got {seed!r}")
    rng = np.random.default_rng(seed)
    zeta = rng.uniform(-1.0, 1.0, size=(2, N))
    return zeta[0], zeta[1]


def check_chain(N, h, zeta_z, zeta_x):
    """Validate the chain parameters; return ``(N, h, zeta_z, zeta_x)`` normalised."""
    N = check_int("N", N, low=2)
    h = check_real("h", h, low=0.0)
    zeta_z = check_real_array("zeta_z", zeta_z, ndim=1)
    zeta_x = check_real_array("zeta_x", zeta_x, ndim=1)
    for name, arr in (("zeta_z", zeta_z), ("zeta_x", zeta_x)):
        if arr.shape != (N,):
            raise ValueError(f"{name} must have length N = {N} (one field per site), got length {arr.shape[0]}")
    return N, h, zeta_z, zeta_x


def paper_jumps(N: int, sign: str = "-+") -> tuple[Jump, ...]:
    """The jump operators of paper Eq. 8 on an open chain of ``N`` sites.

    Per bond ``(i, i+1)``::

        L^{+-,1}_i = S^+-_i (1 -+ 2 S^z_{i+1}) / (2 sqrt 2)
        L^{+-,2}_i = (1 -+ 2 S^z_i) S^+-_{i+1} / (2 sqrt 2)

    and ``L^z_i = S^z_i`` on every site, all with rate 1.

    Parameters
    ----------
    N : int
        Chain length, ``N >= 2``.
    sign : {'-+', 'literal', '+-'}
        ``'-+'``: the upper sign goes with ``S^+`` (flip into the antiparallel
        configuration, non-unital).  ``'literal'``: ``(1 - 2 S^z)`` for both,
        as the extracted text reads (unital, steady state ``1/2**N``).
        ``'+-'``: the opposite pairing (flip into the parallel configuration,
        also non-unital): the baths heat, and the steady state has a negative
        temperature.
    """
    N = check_int("N", N, low=2, high=limit("MAX_CHAIN_N"))
    check_choice("sign", sign, SIGN_READINGS)
    norm = 1.0 / (2.0 * np.sqrt(2.0))
    minus, plus = ID - 2 * SZ, ID + 2 * SZ  # 2 x projector on down / up
    factor = {"-+": {"+": minus, "-": plus}, "literal": {"+": minus, "-": minus}, "+-": {"+": plus, "-": minus}}[sign]
    jumps = []
    for i in range(N - 1):
        for s, Sflip in (("+", SP), ("-", SM)):
            jumps.append(Jump(norm * np.kron(Sflip, factor[s]), i, 1.0, f"L^{{{s},1}}_{i}"))
            jumps.append(Jump(norm * np.kron(factor[s], Sflip), i, 1.0, f"L^{{{s},2}}_{i}"))
    for i in range(N):
        jumps.append(Jump(SZ.copy(), i, 1.0, f"L^z_{i}"))
    return tuple(jumps)


def hamiltonian_terms(N, h, zeta_z, zeta_x) -> list[tuple[np.ndarray, int]]:
    """Local terms of paper Eq. 6 as ``(operator, first site)`` pairs.

    Bond terms ``S_i . S_{i+1}`` (4x4) come first, then the on-site fields
    ``h (zeta^z_i S^z_i + zeta^x_i S^x_i)`` (2x2).
    """
    N, h, zeta_z, zeta_x = check_chain(N, h, zeta_z, zeta_x)
    terms = [(_EXCHANGE, i) for i in range(N - 1)]
    terms += [(h * (zeta_z[i] * SZ + zeta_x[i] * SX), i) for i in range(N)]
    return terms


def hamiltonian(N, h, zeta_z, zeta_x):
    """Sparse ``2**N x 2**N`` matrix of paper Eq. 6 (real: paper Eq. 6 has no ``S^y`` field).

    ``N <= HAMILTONIAN_MAX_N`` (:mod:`mbl_open.limits`): the matrix has about ``N 2**N`` entries.
    """
    check_int("N", N, low=2, high=limit("HAMILTONIAN_MAX_N"))
    terms = hamiltonian_terms(N, h, zeta_z, zeta_x)
    H = sum(embed(op, first, N) for op, first in terms)
    return H.tocsr()
