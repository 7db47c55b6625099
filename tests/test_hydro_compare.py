"""Tests of mbl_open.hydrodynamics.compare (and .survey): the network equation (paper Eqs. 3, 27) against Lindblad."""
import numpy as np
import pytest

from mbl_open import lindblad as lb
from mbl_open.hydrodynamics import LocalGibbs, compare_with_network, link_conductances
from mbl_open.resistor_networks import steady_temperatures, solve_chain
from mbl_open.lindblad import Chain


def test_steady_temperatures_solves_eq3():
    rng = np.random.default_rng(0)
    N, eps, T0 = 6, 0.05, 2.0
    Gamma, g1, s = rng.uniform(0.01, 0.2, N - 1), rng.uniform(0.05, 0.1, N), rng.normal(size=N) * 0.01
    for G in (Gamma, Gamma * np.array([1, -0.2, 1, 1, 1])):  # a negative link takes the banded-LU path
        T = steady_temperatures(G, g1, s, eps=eps, T0=T0)
        Tpad = np.concatenate([[T[0]], T, [T[-1]]])
        Gpad = np.concatenate([[0.0], G, [0.0]])
        lhs = -Gpad[1:] * (Tpad[2:] - Tpad[1:-1]) + Gpad[:-1] * (Tpad[1:-1] - Tpad[:-2])
        np.testing.assert_allclose(lhs, -eps * g1 * (T - T0) + eps * s, atol=1e-14)
    np.testing.assert_allclose(steady_temperatures(Gamma, g1, s, eps=eps, T0=0.0),
                               solve_chain(Gamma / eps, g1, s), rtol=1e-13)


def test_network_reproduces_a_profile_built_from_its_own_equation():
    """The comparison on ergodic chains at small eps: a prediction exists, Gamma is the
    ratio of Eqs. 23-24, the sources have zero mean, and the first-order source and Eq. 19
    are close to the measured ones (medians over six realisations: single chains at N = 6
    scatter, source errors from 0.08 to 0.45 here)."""
    N, h, eps = 6, 1.0, 0.02
    src, gap = [], []
    for r in range(6):
        chain = lb.Chain.draw(N, h, r, seed=7)
        G = LocalGibbs(chain, chain.jumps())
        st = lb.solve_steady_state(chain, eps, method="exact")
        c = compare_with_network(st.rdms3, lb.fit_betas(st.rdms, lb.thermal_reference(chain)), G, eps)
        assert c.T_pred is not None and c.reason == ""
        np.testing.assert_allclose(c.Gamma, link_conductances(c.balance.current, c.T))
        np.testing.assert_allclose(np.mean(c.theta_g2), 0.0, atol=1e-13)
        src.append(c.source_error)
        gap.append(abs(c.beta_gap))
    assert np.median(src) < 0.5 and min(src) < 0.2, src
    assert np.median(gap) < 0.03, gap


def test_ergodic_small_eps_works_and_mbl_does_not():
    """The chapter's statement in miniature (N = 6, six realisations): on the ergodic side
    the mean-temperature gap of Eq. 19 and the source error shrink as eps falls; on the MBL
    side they do not."""
    N = 6
    jumps = lb.paper_jumps(N)
    out = {}
    for h in (1.0, 8.0):
        gaps, errs = [], []
        for r in range(6):
            zz, zx = lb.Chain.draw(N, h, r, seed=7).fields
            G = LocalGibbs(Chain(N, h, zz, zx), jumps)
            bb = G.mean_beta()
            ref = lb.thermal_reference(lb.Chain(N, h, zz, zx), beta_max=4.0)
            row_g, row_e = [], []
            for eps in (0.2, 0.01):
                st = lb.solve_steady_state(lb.Chain(N, h, zz, zx), eps, method="exact")
                c = compare_with_network(st.rdms3, lb.fit_betas(st.rdms, ref), G, eps, beta_bar=bb)
                row_g.append(abs(c.beta_gap))
                row_e.append(c.source_error)
            gaps.append(row_g)
            errs.append(row_e)
        out[h] = np.median(gaps, axis=0), np.median(errs, axis=0)
    (g1, e1), (g8, e8) = out[1.0], out[8.0]
    # measured medians: gap 0.052 -> 0.014 and source error 1.2 -> 0.28 at h = 1; 0.25 and 8.5 at h = 8
    assert g1[1] < 0.5 * g1[0] and e1[1] < 0.5 * e1[0] and e1[1] < 0.5
    assert g8[1] > 0.05 and e8[1] > 1.0


def test_bad_input():
    z3 = np.zeros(3)
    jumps = lb.paper_jumps(3)
    with pytest.raises(ValueError, match="one entry per link"):
        link_conductances([0.1, 0.2], [1.0, 2.0])
    with pytest.raises(ValueError, match=r"T must differ between the two ends of every link.*T\[0\] = T\[1\] = 1"):
        link_conductances([0.1], [1.0, 1.0])
    with pytest.raises(ValueError, match="eps"):
        steady_temperatures([0.1], [1.0, 1.0], [0.0, 0.0], eps=0.0, T0=1.0)
    with pytest.raises(ValueError, match="Gamma of length"):
        steady_temperatures([0.1, 0.2], [1.0, 1.0], [0.0, 0.0], eps=0.1, T0=1.0)
    from mbl_open.hydrodynamics import hydro_ladder, hydro_survey

    z10 = np.zeros(10)
    with pytest.raises(ValueError, match="method='exact' needs N <= 9"):
        hydro_ladder(lb.Chain(10, 1.0, z10, z10), [0.1], method="exact")
    with pytest.raises(ValueError, match="3 <= N <= 12"):
        hydro_ladder(lb.Chain(13, 1.0, np.zeros(13), np.zeros(13)), [0.1], method="tebd")
    with pytest.raises(ValueError, match="method must be"):
        hydro_ladder(lb.Chain(3, 1.0, z3, z3), [0.1], method="dmrg")
    with pytest.raises(ValueError, match="eps"):
        hydro_ladder(lb.Chain(3, 1.0, z3, z3), [0.1, -0.1])
    with pytest.raises(TypeError, match="chain must be a Chain"):
        hydro_ladder(3, [0.1])
    with pytest.raises(ValueError, match="N must be"):
        hydro_survey(10, [1.0], [0.1], 2, 0)
    with pytest.raises(ValueError, match="n_realisations"):
        hydro_survey(5, [1.0], [0.1], 0, 0)
    G = LocalGibbs(Chain(3, 1.0, z3 + 0.1, z3), jumps)
    with pytest.raises(ValueError, match="betas must have length"):
        compare_with_network(np.zeros((1, 8, 8)), [1.0], G, 0.1)


@pytest.mark.parametrize("args, match", [
    ((4, [1.0], [0.2, 0.2], 1, 0), r"eps_values must be distinct values, got duplicates \[0.2\]"),
    ((4, [1.0], [0.2, 1e-8], 1, 0), "eps_values"),  # below the exact solver's range: named as the caller's
    ((4, [1.0], [0.2, 0.1], 100_000, 0), r"n_realisations must be <= 1000 .*MBL_OPEN_EXACT_MAX_REALISATIONS"),
])
def test_hydro_survey_refuses_its_bad_arguments_by_their_names(args, match):
    from mbl_open.hydrodynamics import hydro_survey

    with pytest.raises(ValueError, match=match):
        hydro_survey(*args)
