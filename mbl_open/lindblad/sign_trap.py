"""The three readings of the jump operators of paper Eq. 8, side by side (the sign trap).

The text of the paper, as extracted, prints ``(1 - 2 S^z)`` for both signs of
the spin flip.  Read literally (``sign='literal'``), ``L^+`` and ``L^-`` on a
bond carry the same projector, so ``sum_nu [L_nu, L_nu^dag] = 0``: the
dissipator is unital, ``L(1) = 0``, and the steady state is ``1/2**N`` for every
``h`` and ``eps``.  The reading of paper Eq. 8 used throughout the book
(``'-+'``) flips a spin into the configuration antiparallel to its neighbour
and cools (``beta > 0``); the opposite pairing (``'+-'``) heats (``beta < 0``).

:func:`dissipator_commutator` measures unitality; :func:`compare_sign_readings`
solves one chain exactly with each reading and fits its local temperatures.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..infrastructure._validate import check_choice, check_int, check_real
from .exact import EXACT_MAX_N, EXACT_MIN_EPS, ExactSteadyState, steady_state_exact
from .model import SIGN_READINGS, Chain, check_chain, paper_jumps
from .spins import embed
from .thermometry import ThermalReference, local_betas, thermal_reference

__all__ = ["TRAP_ORDER", "SignReading", "dissipator_commutator", "compare_sign_readings"]

#: The order in which :func:`compare_sign_readings` reports the readings: the trap first.
TRAP_ORDER = ("literal", "-+", "+-")


def dissipator_commutator(N: int, sign: str = "-+") -> float:
    """``max |sum_nu rate_nu [L_nu, L_nu^dag]|`` over all matrix entries, for the baths of paper Eq. 8.

    The identity is stationary, ``L(1) = eps sum_nu rate_nu (L L^dag - L^dag L) = 0``,
    exactly when this sum vanishes: zero means the dissipator is unital and the
    steady state is ``1/2**N`` (infinite temperature).

    Parameters
    ----------
    N : int
        Chain length, ``2 <= N <= EXACT_MAX_N`` (the sum is a ``2**N x 2**N`` sparse matrix).
    sign : {'-+', 'literal', '+-'}
        Reading of paper Eq. 8 (:func:`~mbl_open.lindblad.model.paper_jumps`).

    Returns
    -------
    float
    """
    N = check_int("N", N, low=2, high=EXACT_MAX_N)
    check_choice("sign", sign, SIGN_READINGS)
    total = 0
    for jump in paper_jumps(N, sign):
        L = embed(jump.op, jump.first, N)
        total = total + jump.rate * (L @ L.conj().T - L.conj().T @ L)
    return float(abs(total).max())


@dataclass
class SignReading:
    """One reading of paper Eq. 8 solved on one chain (:func:`compare_sign_readings`).

    Attributes
    ----------
    sign : str
        ``'literal'``, ``'-+'`` or ``'+-'``.
    commutator : float
        :func:`dissipator_commutator` of the reading (zero: unital).
    deviation : float
        ``max |rho - 1/2**N|`` of the exact steady state.
    mean_beta : float
        Mean of the fitted local inverse temperatures (positive: the baths cool).
    state : ExactSteadyState
        The exact steady state.
    """

    sign: str
    commutator: float
    deviation: float
    mean_beta: float
    state: ExactSteadyState


def compare_sign_readings(chain: Chain, eps: float, *, readings=TRAP_ORDER,
                          reference: ThermalReference | None = None) -> dict[str, SignReading]:
    """Solve one chain exactly with each reading of paper Eq. 8: which is unital, which cools, which heats.

    Parameters
    ----------
    chain : Chain
        ``N <= EXACT_MAX_N`` (the exact solver).
    eps : float
        Bath coupling, ``>= EXACT_MIN_EPS``.
    readings : sequence of str
        Distinct readings among ``'-+'``, ``'literal'``, ``'+-'``; the result keeps their order.
    reference : ThermalReference, optional
        Thermometer of the chain; by default :func:`~mbl_open.lindblad.thermometry.thermal_reference`.

    Returns
    -------
    dict
        ``sign -> SignReading``.
    """
    chain = check_chain(chain)
    if chain.N > EXACT_MAX_N:
        raise ValueError(f"compare_sign_readings uses the exact solver, N <= {EXACT_MAX_N}; got N = {chain.N}")
    eps = check_real("eps", eps, low=EXACT_MIN_EPS)
    if isinstance(readings, (str, bytes)) or not np.iterable(readings):
        raise TypeError(f"readings must be a sequence of sign readings {list(SIGN_READINGS)}, got {readings!r}")
    readings = [check_choice("readings", s, SIGN_READINGS) for s in readings]
    if not readings or len(set(readings)) != len(readings):
        raise ValueError(f"readings must hold distinct sign readings, got {readings!r}")
    if reference is None:
        reference = thermal_reference(chain)
    elif not isinstance(reference, ThermalReference):
        raise TypeError(f"reference must be a ThermalReference, got {type(reference).__name__}")
    elif reference.N != chain.N:
        raise ValueError(f"reference is for N = {reference.N}, the chain has N = {chain.N}")
    N = chain.N
    identity = np.eye(2**N) / 2**N
    out = {}
    for sign in readings:
        state = steady_state_exact(chain, eps, paper_jumps(N, sign))
        betas = local_betas(state.rdms(), chain, reference=reference)
        out[sign] = SignReading(sign, dissipator_commutator(N, sign), float(np.abs(state.rho - identity).max()),
                                float(np.mean(betas)), state)
    return out
