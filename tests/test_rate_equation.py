"""Tests of mbl_open.lindblad.rate_equation: the eps -> 0 limit of the steady state."""
import numpy as np

from mbl_open import lindblad as lb


def test_rate_equation_is_the_eps_to_zero_limit(chain5):
    N, zz, zx = chain5
    jumps = lb.paper_jumps(N)
    rq = lb.rate_equation_steady_state(N, 2.0, zz, zx, jumps)
    assert abs(rq.populations.sum() - 1) < 1e-12 and rq.populations.min() >= 0
    errs = [np.abs(lb.steady_state_exact(N, 2.0, e, zz, zx, jumps).rho - rq.rho).max() for e in (4e-3, 2e-3, 1e-3)]
    assert errs[2] < 1e-3
    ratios = np.array(errs[:-1]) / np.array(errs[1:])
    np.testing.assert_allclose(ratios, 2.0, rtol=0.05)  # corrections are linear in eps
