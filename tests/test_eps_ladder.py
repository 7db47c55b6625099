"""dbeta/beta against eps for an ensemble of short chains (mbl_open.lindblad.eps_ladder, paper Eq. 9)."""
import numpy as np
import pytest

from mbl_open import lindblad as lb


def test_exact_curves_are_the_realisations_and_their_rate_equation_limit():
    c = lb.exact_curves(4, 1.0, [0.05, 0.2], 2, 3)
    np.testing.assert_array_equal(c.eps, [0.2, 0.05])
    assert c.betas.shape == (2, 2, 3) and c.betas0.shape == (2, 3) and c.drho.shape == (2, 2)
    one = lb.solve_realisation(lb.Chain.draw(4, 1.0, 1, seed=3), [0.2, 0.05], method="exact", rate_equation=True)
    np.testing.assert_allclose(c.betas[1], one.betas, atol=1e-12)
    np.testing.assert_allclose(c.betas0[1], one.betas_eps0, atol=1e-12)
    assert c.ensemble[1] == lb.dbeta_over_beta(c.betas[:, 1]) and c.limit == lb.dbeta_over_beta(c.betas0)
    # the steady state approaches the rate-equation state as eps falls (first order in eps)
    assert c.monotone and 0.5 < c.distance_slope < 1.5
    b = -(c.ensemble[1] - c.ensemble[0]) / (c.eps[1] - c.eps[0])  # a line through two points
    assert c.b_fit == pytest.approx(b, rel=1e-10)
    assert c.change == pytest.approx(c.absolute_change / c.ensemble[-1])
    assert c.mean_beta > 0 and 0 <= c.negative_fraction <= 1 and len(c.iterations) == 4


def test_bad_calls_are_refused():
    with pytest.raises(ValueError, match="N must be"):
        lb.exact_curves(2, 1.0, [0.1], 2, 0)
    with pytest.raises(ValueError, match="eps must be >= 1e-06"):
        lb.exact_curves(4, 1.0, [0.1, 1e-8], 2, 0)
    with pytest.raises(ValueError, match="n_realisations"):
        lb.exact_curves(4, 1.0, [0.1], 0, 0)
    with pytest.raises(ValueError, match="sign must be one of"):
        lb.exact_curves(4, 1.0, [0.1], 2, 0, sign="x")


def test_an_ensemble_of_hours_is_refused_with_the_way_to_raise_the_limit(monkeypatch):
    """n_realisations = 1e5 was allowed (the sweep limit, 1e6) and would have taken about six hours at N = 4."""
    with pytest.raises(ValueError, match=r"n_realisations must be <= 1000 .*MBL_OPEN_EXACT_MAX_REALISATIONS"):
        lb.exact_curves(4, 1.0, [0.05, 0.2], 100_000, 3)
    monkeypatch.setenv("MBL_OPEN_EXACT_MAX_REALISATIONS", "1")
    with pytest.raises(ValueError, match="n_realisations must be <= 1 "):
        lb.exact_curves(4, 1.0, [0.05, 0.2], 2, 3)
    assert lb.exact_curves(4, 1.0, [0.05, 0.2], 1, 3).betas.shape == (1, 2, 3)
