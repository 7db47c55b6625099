"""Tests of mbl_open.hydrodynamics.gibbs (paper Eqs. 19, 25-26): LocalGibbs, the mean temperature, sources, response."""
import numpy as np
import pytest
import scipy.linalg as la

from mbl_open import lindblad as lb
from mbl_open.hydrodynamics import LocalGibbs, network_ingredients
from mbl_open.hydrodynamics import energy
from mbl_open.lindblad.thermometry import reference_from_spectrum

from _helpers import full
from mbl_open.lindblad import Chain


def test_eq19_for_two_free_spins_is_ln3():
    """N = 2, h = 0: each of the four flip jumps takes a polarised triplet (E = 1/4) to an
    antiparallel product state (E = -1/4), rate 1/2, and dephasing of both sites gives
    -(p_T - p_S)/2, so Tr[H D rho_0] = -3 p_T/2 + p_S/2, zero at exp(beta) = 3."""
    G = LocalGibbs(Chain(2, 0.0, np.zeros(2), np.zeros(2)), lb.paper_jumps(2))
    for beta in (-1.0, 0.0, 0.4, 2.0):
        Z = 3 * np.exp(-beta / 4) + np.exp(3 * beta / 4)
        pT, pS = np.exp(-beta / 4) / Z, np.exp(3 * beta / 4) / Z
        assert G.global_balance(beta) == pytest.approx(-1.5 * pT + 0.5 * pS, abs=1e-14)
    assert G.mean_beta() == pytest.approx(np.log(3.0), abs=1e-12)
    with pytest.raises(ValueError, match="does not change sign"):
        G.mean_beta(beta_max=0.5)


def test_unital_baths_give_infinite_temperature():
    N = 4
    zz, zx = lb.Chain.draw(N, 1.0, seed=5).fields
    G = LocalGibbs(Chain(N, 1.0, zz, zx), lb.paper_jumps(N, "literal"))
    assert G.mean_beta() == pytest.approx(0.0, abs=1e-12)


def test_a_gibbs_state_carries_no_current_and_has_eq19_sources():
    N, h, beta = 5, 1.0, 0.7
    zz, zx = lb.Chain.draw(N, h, seed=4).fields
    jumps = lb.paper_jumps(N)
    H = lb.hamiltonian(lb.Chain(N, h, zz, zx)).toarray()
    rho = la.expm(-beta * H)
    rho /= np.trace(rho)
    bal = energy.energy_balance(lb.rdms_from_rho(rho, 3), Chain(N, h, zz, zx), 0.1, jumps)
    np.testing.assert_allclose(bal.current, 0.0, atol=1e-14)  # H real: time-reversal symmetric
    G = LocalGibbs(Chain(N, h, zz, zx), jumps)
    np.testing.assert_allclose(bal.source, G.source(beta), atol=1e-13)
    np.testing.assert_allclose(bal.energy, G.energy(beta), atol=1e-13)


def test_local_gibbs_thermometer_reference_is_the_exact_one():
    N, h = 6, 1.5
    zz, zx = lb.Chain.draw(N, h, seed=5).fields
    G = LocalGibbs(Chain(N, h, zz, zx), lb.paper_jumps(N))
    mine, ref = G.thermal_reference(beta_max=3.0), lb.thermal_reference(lb.Chain(N, h, zz, zx), method="exact", beta_max=3.0)
    assert mine.beta_range == ref.beta_range == (-3.0, 3.0)
    for beta in (-1.2, 0.0, 0.4, 2.5):
        np.testing.assert_allclose(mine.rdms(beta), ref.rdms(beta), atol=1e-13)
        np.testing.assert_allclose(mine.drdms(beta), ref.drdms(beta), atol=1e-12)
    E, V = G.E, G.V
    with pytest.raises(ValueError, match="2\\*\\*N"):
        reference_from_spectrum(E[:-1], V)
    with pytest.raises(TypeError, match="real"):
        reference_from_spectrum(E, V.astype(complex))
    with pytest.raises(ValueError, match="beta_max"):
        reference_from_spectrum(E, V, beta_max=0.0)


def test_sources_at_beta_bar_average_to_zero():
    N = 7
    zz, zx = lb.Chain.draw(N, 2.0, seed=9).fields
    G = LocalGibbs(Chain(N, 2.0, zz, zx), lb.paper_jumps(N))
    s = G.source(G.mean_beta())
    assert np.max(np.abs(s)) > 1e-3
    assert abs(np.mean(s)) < 1e-13


def test_response_matrix_against_finite_differences_and_row_sums():
    """M_ij = d Tr[h_i D rho]/dT_j for rho ~ exp(-sum_j h_j / T_j), by Duhamel; checked by
    central differences of the local Gibbs state built with expm."""
    N, h = 4, 1.5
    zz, zx = lb.Chain.draw(N, h, seed=12).fields
    jumps = lb.paper_jumps(N)
    G = LocalGibbs(Chain(N, h, zz, zx), jumps)
    beta = 0.6
    M = G.response_matrix(beta)
    hb = [full(x, i, N) for i, x in enumerate(energy.energy_densities(Chain(N, h, zz, zx)))]
    src = energy.energy_source_operators(Chain(N, h, zz, zx), jumps)
    A = [sum(full(op, w, N) for w, op in enumerate(src[i])) for i in range(N - 1)]

    def s_of_T(T):
        rho = la.expm(-sum(hj / Tj for hj, Tj in zip(hb, T)))
        rho /= np.trace(rho)
        return np.array([np.trace(a @ rho).real for a in A])

    d = 1e-5
    for j in range(N - 1):
        Tp, Tm = np.full(N - 1, 1 / beta), np.full(N - 1, 1 / beta)
        Tp[j] += d
        Tm[j] -= d
        np.testing.assert_allclose(M[:, j], (s_of_T(Tp) - s_of_T(Tm)) / (2 * d), rtol=1e-6, atol=1e-10)
    np.testing.assert_allclose(M.sum(axis=1), G.source_slope(beta), atol=1e-13)
    np.testing.assert_allclose(-M.sum(axis=1), G.g1(beta), atol=1e-13)


def test_bad_input():
    z2, z3 = np.zeros(2), np.zeros(3)
    jumps = lb.paper_jumps(3)
    with pytest.raises(ValueError, match="N <= 12"):
        LocalGibbs(Chain(13, 1.0, np.zeros(13), np.zeros(13)), lb.paper_jumps(13))
    with pytest.raises(ValueError, match="zeta_z must have length"):
        LocalGibbs(Chain(3, 1.0, z2, z3), jumps)
    with pytest.raises(ValueError, match="N <= 10"):
        LocalGibbs(Chain(11, 1.0, np.zeros(11), np.zeros(11)), lb.paper_jumps(11)).response_matrix(0.1)
    G = LocalGibbs(Chain(3, 1.0, z3 + 0.1, z3), jumps)
    with pytest.raises((TypeError, ValueError), match="beta"):
        G.source("hot")
    with pytest.raises(ValueError, match="beta"):
        G.g1(np.nan)


def test_network_ingredients_obey_eq19_and_the_row_sum_rule():
    chain = lb.Chain.draw(5, 1.0, 0, seed=2)
    G = LocalGibbs(chain, chain.jumps())
    ing = network_ingredients(G, G.mean_beta())
    assert ing.source.shape == ing.g1.shape == (4,) and ing.response.shape == (4, 4)
    np.testing.assert_allclose(ing.g1, G.g1(ing.beta))
    assert ing.source_mean < 1e-12 and ing.rowsum_error < 1e-12
    assert network_ingredients(G, 0.3).source_mean > 1e-6  # away from beta_bar the baths heat or cool
    with pytest.raises(TypeError, match="LocalGibbs"):
        network_ingredients(chain, 0.3)
    with pytest.raises(ValueError, match="beta must be finite"):
        network_ingredients(G, float("nan"))
