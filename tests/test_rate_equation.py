"""Tests of mbl_open.lindblad.rate_equation: the eps -> 0 limit of the steady state."""
import numpy as np

from mbl_open import lindblad as lb
from mbl_open.lindblad import Chain


def test_rate_equation_is_the_eps_to_zero_limit(chain5):
    N, zz, zx = chain5
    jumps = lb.paper_jumps(N)
    rq = lb.rate_equation_steady_state(lb.Chain(N, 2.0, zz, zx), jumps)
    assert abs(rq.populations.sum() - 1) < 1e-12 and rq.populations.min() >= 0
    errs = [np.abs(lb.steady_state_exact(lb.Chain(N, 2.0, zz, zx), e, jumps).rho - rq.rho).max() for e in (4e-3, 2e-3, 1e-3)]
    assert errs[2] < 1e-3
    ratios = np.array(errs[:-1]) / np.array(errs[1:])
    np.testing.assert_allclose(ratios, 2.0, rtol=0.05)  # corrections are linear in eps


def test_transition_rates_from_shared_overlaps_equal_v_dagger_l_v_jump_by_jump(chain5):
    import scipy.linalg as la

    from mbl_open.lindblad.model import Jump, hamiltonian
    from mbl_open.lindblad.rate_equation import transition_rates
    from mbl_open.lindblad.spins import embed

    N, zz, zx = chain5
    _, V = la.eigh(hamiltonian(Chain(N, 2.0, zz, zx)).toarray())
    rng = np.random.default_rng(3)
    dense = Jump(rng.standard_normal((4, 4)), 1, 0.7)                 # every entry nonzero, not diagonal
    diagonal = Jump(np.diag(rng.standard_normal(4)), 2, 1.3)           # the completeness shortcut
    jumps = lb.paper_jumps(N) + (dense, diagonal)
    ref = sum(j.rate * np.abs(V.T @ (embed(j.op, j.first, N) @ V)) ** 2 for j in jumps)
    np.fill_diagonal(ref, 0.0)
    np.testing.assert_allclose(transition_rates(V, jumps, N), ref, rtol=0, atol=1e-12 * ref.max())


def test_baths_with_every_rate_zero_are_refused_naming_jumps():
    """The rate equation of switched-off baths raised LinAlgError (a singular matrix)."""
    import dataclasses

    import pytest

    chain = lb.Chain.draw(4, 1.0, 0, seed=1)
    off = [dataclasses.replace(j, rate=0.0) for j in chain.jumps()]
    with pytest.raises(ValueError, match="jumps must have at least one rate > 0"):
        lb.rate_equation_steady_state(chain, off)
