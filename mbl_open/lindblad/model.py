"""The disordered Heisenberg chain and its baths (paper Eqs. 6-8).

Hamiltonian (paper Eq. 6), open chain of ``N`` spins 1/2::

    H = sum_i S_i . S_{i+1} + h sum_i (zeta^z_i S^z_i + zeta^x_i S^x_i)

with ``zeta`` uniform in ``[-1, 1]``.  The baths enter the Lindblad equation
(paper Eq. 7) through jump operators (paper Eq. 8), which here are *data*: a :class:`Jump`
holds the operator, the sites it acts on and its rate, so any set of baths can
be solved by the same code.  :func:`paper_jumps` builds the paper's set.

A :class:`Chain` is one disorder realisation of paper Eq. 6, validated once when
it is made; every physics function of the package takes it as its first
argument (``hamiltonian(chain)``, ``solve_steady_state(chain, eps)``), so a new
kind of disorder (a random coupling ``J_i``, say) changes this class and the
Hamiltonian, not every signature.

Seeding rule
------------
The fields of realisation ``r`` of an ensemble with base seed ``seed`` are
``draw_fields(N, (seed, N, h_key(h), r))`` with ``h_key(h) = round(1000 h)``
(:meth:`Chain.draw`): the same draw for every ``eps`` and every bond dimension
(convergence on fixed disorder, paper Fig. 8), independent draws for different
``N``, ``h`` or ``r`` (as in the paper).  The committed sweep stores depend on
this rule; it must not change.

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

from ..infrastructure._validate import check_choice, check_int, check_real, check_real_array
from ..infrastructure.limits import limit
from .spins import ID, SM, SP, SX, SY, SZ, embed

__all__ = [
    "SIGN_READINGS",
    "Jump",
    "Chain",
    "draw_fields",
    "h_key",
    "realisation_seed",
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


def h_key(h: float) -> int:
    """Integer key of a disorder strength in seeds and task names (``round(1000 h)``)."""
    return int(round(1000 * check_real("h", h, low=0.0)))


def realisation_seed(seed: int, N: int, h: float, r: int) -> tuple[int, int, int, int]:
    """The seed of realisation ``r`` of the ``(N, h)`` ensemble: ``(seed, N, h_key(h), r)``.

    Parameters
    ----------
    seed : int
        Base seed of the ensemble, ``>= 0``.
    N : int
        Chain length, ``>= 2``.
    h : float
        Disorder strength, ``>= 0``.
    r : int
        Realisation index, ``>= 0``.
    """
    return (check_int("seed", seed, low=0), check_int("N", N, low=2), h_key(h), check_int("r", r, low=0))


@dataclass(frozen=True, eq=False)
class Chain:
    """One disorder realisation of the chain of paper Eq. 6, checked once when made.

    Attributes
    ----------
    N : int
        Chain length, ``2 <= N <= MAX_CHAIN_N`` (:mod:`~mbl_open.infrastructure.limits`).
    h : float
        Disorder strength, ``h >= 0``.
    zeta_z, zeta_x : ndarray, shape (N,)
        Fields of paper Eq. 6 (uniform in ``[-1, 1]`` when drawn; any real values by hand).
    seed : tuple of int or None
        The seed that drew the fields (``None`` for fields given by hand).

    Examples
    --------
    >>> from mbl_open.lindblad import Chain
    >>> chain = Chain.draw(6, h=1.0, r=0, seed=7)
    >>> chain.N, chain.h, chain.zeta_z.shape
    (6, 1.0, (6,))
    """

    N: int
    h: float
    zeta_z: np.ndarray
    zeta_x: np.ndarray
    seed: tuple | None = None

    def __post_init__(self):
        N = check_int("N", self.N, low=2, high=limit("MAX_CHAIN_N"))
        h = check_real("h", self.h, low=0.0)
        fields = {}
        for name in ("zeta_z", "zeta_x"):
            arr = np.array(check_real_array(name, getattr(self, name), ndim=1), dtype=float)  # own copy
            if arr.shape != (N,):
                raise ValueError(f"{name} must have length N = {N} (one field per site), got length {arr.shape[0]}")
            arr.setflags(write=False)  # a chain is one realisation: its fields do not change
            fields[name] = arr
        for name, value in (("N", N), ("h", h), *fields.items()):
            object.__setattr__(self, name, value)

    @classmethod
    def draw(cls, N: int, h: float, r: int = 0, *, seed: int = 0) -> "Chain":
        """Realisation ``r`` of the ``(N, h)`` ensemble with base seed ``seed`` (the module's seeding rule)."""
        key = realisation_seed(seed, N, h, r)
        zeta_z, zeta_x = draw_fields(N, key)
        return cls(N, h, zeta_z, zeta_x, seed=key)

    @property
    def fields(self) -> tuple:
        """``(zeta_z, zeta_x)``."""
        return self.zeta_z, self.zeta_x

    def jumps(self, sign: str = "-+"):
        """The baths of paper Eq. 8 on this chain (:func:`paper_jumps`)."""
        return paper_jumps(self.N, sign)

    def __repr__(self) -> str:
        return f"Chain(N={self.N}, h={self.h:g}, seed={self.seed})"


def check_chain(chain) -> Chain:
    """Return ``chain`` if it is a :class:`Chain`; otherwise a TypeError that says how to make one."""
    if not isinstance(chain, Chain):
        raise TypeError(f"chain must be a Chain (Chain.draw(N, h, r, seed=...) or Chain(N, h, zeta_z, zeta_x)), "
                        f"got {type(chain).__name__}")
    return chain


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


def hamiltonian_terms(chain: Chain) -> list[tuple[np.ndarray, int]]:
    """Local terms of paper Eq. 6 as ``(operator, first site)`` pairs.

    Bond terms ``S_i . S_{i+1}`` (4x4) come first, then the on-site fields
    ``h (zeta^z_i S^z_i + zeta^x_i S^x_i)`` (2x2).
    """
    c = check_chain(chain)
    terms = [(_EXCHANGE, i) for i in range(c.N - 1)]
    terms += [(c.h * (c.zeta_z[i] * SZ + c.zeta_x[i] * SX), i) for i in range(c.N)]
    return terms


def hamiltonian(chain: Chain):
    """Sparse ``2**N x 2**N`` matrix of paper Eq. 6 (real: paper Eq. 6 has no ``S^y`` field).

    ``N <= HAMILTONIAN_MAX_N`` (:mod:`mbl_open.infrastructure.limits`): the matrix has about ``N 2**N`` entries.
    """
    check_int("N", check_chain(chain).N, low=2, high=limit("HAMILTONIAN_MAX_N"))
    H = sum(embed(op, first, chain.N) for op, first in hamiltonian_terms(chain))
    return H.tocsr()
