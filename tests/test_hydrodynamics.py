"""From Lindblad to hydrodynamics (paper Eqs. 18-27): energy densities, currents, Eq. 19, the network test."""
import warnings

import numpy as np
import pytest
import scipy.linalg as la

from mbl_open import lindblad as lb
from mbl_open.hydrodynamics import LocalGibbs, compare_with_network, link_conductances
from mbl_open.hydrodynamics import energy
from mbl_open.lindblad.thermometry import reference_from_spectrum
from mbl_open.lindblad.spins import SX, SY, SZ, embed
from mbl_open.resistor_networks import steady_temperatures, solve_chain

S = (SX, SY, SZ)


def kron(*ops):
    out = np.eye(1)
    for op in ops:
        out = np.kron(out, op)
    return out


def full(op, first, N):
    return embed(op, first, N).toarray()


# --- hand-computable cases ------------------------------------------------------------------------

def test_current_of_three_free_spins_is_the_scalar_chirality():
    # h = 0: j_{0,1} = i [S_0.S_1, S_1.S_2] = S_0 . (S_1 x S_2)
    j = energy.energy_currents(3, 0.0, np.zeros(3), np.zeros(3))
    eps3 = np.zeros((3, 3, 3))
    eps3[0, 1, 2] = eps3[1, 2, 0] = eps3[2, 0, 1] = 1
    eps3[0, 2, 1] = eps3[2, 1, 0] = eps3[1, 0, 2] = -1
    chirality = sum(eps3[a, b, c] * kron(S[a], S[b], S[c]) for a in range(3) for b in range(3) for c in range(3))
    np.testing.assert_allclose(j[0], chirality, atol=1e-15)


def test_energy_densities_sum_to_h():
    N = 5
    zz, zx = lb.draw_fields(N, 3)
    hb = energy.energy_densities(N, 1.7, zz, zx)
    H = lb.hamiltonian(N, 1.7, zz, zx).toarray()
    np.testing.assert_allclose(sum(full(hb[i], i, N) for i in range(N - 1)), H, atol=1e-14)


def test_eq19_for_two_free_spins_is_ln3():
    """N = 2, h = 0: each of the four flip jumps takes a polarised triplet (E = 1/4) to an
    antiparallel product state (E = -1/4), rate 1/2, and dephasing of both sites gives
    -(p_T - p_S)/2, so Tr[H D rho_0] = -3 p_T/2 + p_S/2, zero at exp(beta) = 3."""
    G = LocalGibbs(2, 0.0, np.zeros(2), np.zeros(2), lb.paper_jumps(2))
    for beta in (-1.0, 0.0, 0.4, 2.0):
        Z = 3 * np.exp(-beta / 4) + np.exp(3 * beta / 4)
        pT, pS = np.exp(-beta / 4) / Z, np.exp(3 * beta / 4) / Z
        assert G.global_balance(beta) == pytest.approx(-1.5 * pT + 0.5 * pS, abs=1e-14)
    assert G.mean_beta() == pytest.approx(np.log(3.0), abs=1e-12)
    with pytest.raises(ValueError, match="does not change sign"):
        G.mean_beta(beta_max=0.5)


def test_unital_baths_give_infinite_temperature():
    N = 4
    zz, zx = lb.draw_fields(N, 5)
    G = LocalGibbs(N, 1.0, zz, zx, lb.paper_jumps(N, "literal"))
    assert G.mean_beta() == pytest.approx(0.0, abs=1e-12)


# --- the operators against full-chain constructions ---------------------------------------------

@pytest.mark.parametrize("N", [3, 5])
def test_source_operators_are_the_adjoint_dissipator_of_h_i(N):
    zz, zx = lb.draw_fields(N, 8)
    jumps = lb.paper_jumps(N)
    hb = energy.energy_densities(N, 1.3, zz, zx)
    ops = energy.energy_source_operators(N, 1.3, zz, zx, jumps)
    for i in range(N - 1):
        X = full(hb[i], i, N)
        want = sum(energy.adjoint_dissipator(full(j.op, j.first, N), X, j.rate) for j in jumps)
        got = sum(full(op, w, N) for w, op in enumerate(ops[i]))
        np.testing.assert_allclose(got, want, atol=1e-14)


def test_exact_steady_state_satisfies_the_energy_balance():
    """Continuity (Eqs. 20-23): j_{i,i+1} - j_{i-1,i} = eps <D^dag h_i> island by island."""
    N, h, eps = 6, 1.0, 0.1
    zz, zx = lb.draw_fields(N, (1, 2))
    st = lb.solve_steady_state(N, h, eps, zz, zx, method="exact")
    bal = energy.energy_balance(st.rdms3, N, h, eps, zz, zx, lb.paper_jumps(N))
    assert np.max(np.abs(bal.source)) > 1e-3 and np.max(np.abs(bal.current)) > 1e-4  # not trivially zero
    np.testing.assert_allclose(bal.residual, 0.0, atol=1e-10)
    # and the 3-site RDMs reduce to the 2-site ones
    np.testing.assert_allclose(np.einsum("wikjk->wij", st.rdms3.reshape(N - 2, 4, 2, 4, 2)), st.rdms[:-1],
                               atol=1e-13)


def test_a_gibbs_state_carries_no_current_and_has_eq19_sources():
    N, h, beta = 5, 1.0, 0.7
    zz, zx = lb.draw_fields(N, 4)
    jumps = lb.paper_jumps(N)
    H = lb.hamiltonian(N, h, zz, zx).toarray()
    rho = la.expm(-beta * H)
    rho /= np.trace(rho)
    bal = energy.energy_balance(lb.rdms_from_rho(rho, 3), N, h, 0.1, zz, zx, jumps)
    np.testing.assert_allclose(bal.current, 0.0, atol=1e-14)  # H real: time-reversal symmetric
    G = LocalGibbs(N, h, zz, zx, jumps)
    np.testing.assert_allclose(bal.source, G.source(beta), atol=1e-13)
    np.testing.assert_allclose(bal.energy, G.energy(beta), atol=1e-13)


def test_local_gibbs_thermometer_reference_is_the_exact_one():
    N, h = 6, 1.5
    zz, zx = lb.draw_fields(N, 5)
    G = LocalGibbs(N, h, zz, zx, lb.paper_jumps(N))
    mine, ref = G.thermal_reference(beta_max=3.0), lb.thermal_reference(N, h, zz, zx, method="exact", beta_max=3.0)
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
    zz, zx = lb.draw_fields(N, 9)
    G = LocalGibbs(N, 2.0, zz, zx, lb.paper_jumps(N))
    s = G.source(G.mean_beta())
    assert np.max(np.abs(s)) > 1e-3
    assert abs(np.mean(s)) < 1e-13


def test_response_matrix_against_finite_differences_and_row_sums():
    """M_ij = d Tr[h_i D rho]/dT_j for rho ~ exp(-sum_j h_j / T_j), by Duhamel; checked by
    central differences of the local Gibbs state built with expm."""
    N, h = 4, 1.5
    zz, zx = lb.draw_fields(N, 12)
    jumps = lb.paper_jumps(N)
    G = LocalGibbs(N, h, zz, zx, jumps)
    beta = 0.6
    M = G.response_matrix(beta)
    hb = [full(x, i, N) for i, x in enumerate(energy.energy_densities(N, h, zz, zx))]
    src = energy.energy_source_operators(N, h, zz, zx, jumps)
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


# --- the network equation --------------------------------------------------------------------------

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
    """The comparison on an ergodic chain at small eps: a prediction exists, Gamma is the
    ratio of Eqs. 23-24, the sources have zero mean, and the first-order source and Eq. 19
    are close to the measured ones."""
    N, h, eps = 6, 1.0, 0.02
    zz, zx = lb.draw_fields(N, (7, 1))
    G = LocalGibbs(N, h, zz, zx, lb.paper_jumps(N))
    st = lb.solve_steady_state(N, h, eps, zz, zx, method="exact")
    ref = lb.thermal_reference(N, h, zz, zx)
    c = compare_with_network(st.rdms3, lb.fit_betas(st.rdms, ref), G, eps)
    assert c.T_pred is not None and c.reason == ""
    np.testing.assert_allclose(c.Gamma, link_conductances(c.balance.current, c.T))
    np.testing.assert_allclose(np.mean(c.theta_g2), 0.0, atol=1e-13)
    # at eps = 0.02 on the ergodic side the linearised source is within 30 % of the measured one
    assert c.source_error < 0.3
    assert abs(c.beta_gap) < 0.03


def test_ergodic_small_eps_works_and_mbl_does_not():
    """The chapter's statement in miniature (N = 6, two realisations): on the ergodic side
    the mean-temperature gap of Eq. 19 and the source error shrink as eps falls; on the MBL
    side they do not."""
    N = 6
    jumps = lb.paper_jumps(N)
    out = {}
    for h in (1.0, 8.0):
        gaps, errs = [], []
        for r in range(2):
            zz, zx = lb.draw_fields(N, (7, r))
            G = LocalGibbs(N, h, zz, zx, jumps)
            bb = G.mean_beta()
            ref = lb.thermal_reference(N, h, zz, zx, beta_max=4.0)
            row_g, row_e = [], []
            for eps in (0.2, 0.01):
                st = lb.solve_steady_state(N, h, eps, zz, zx, method="exact")
                c = compare_with_network(st.rdms3, lb.fit_betas(st.rdms, ref), G, eps, beta_bar=bb)
                row_g.append(abs(c.beta_gap))
                row_e.append(c.source_error)
            gaps.append(row_g)
            errs.append(row_e)
        out[h] = np.median(gaps, axis=0), np.median(errs, axis=0)
    (g1, e1), (g8, e8) = out[1.0], out[8.0]
    assert g1[1] < 0.3 * g1[0] and e1[1] < 0.3 * e1[0] and e1[1] < 0.3
    assert g8[1] > 0.05 and e8[1] > 1.0


# --- TEBD: three-site RDMs ------------------------------------------------------------------------

def test_tebd_three_site_rdms_match_exact():
    N, h, eps = 5, 1.0, 0.2
    zz, zx = lb.draw_fields(N, 11)
    ex = lb.solve_steady_state(N, h, eps, zz, zx, method="exact")
    st = lb.solve_steady_state(N, h, eps, zz, zx, method="tebd", chi=64, three_site=True)
    assert st.rdms3.shape == (N - 2, 8, 8)
    assert np.max(np.abs(st.rdms3 - ex.rdms3)) < 2e-5
    np.testing.assert_allclose(np.einsum("wikjk->wij", st.rdms3.reshape(N - 2, 4, 2, 4, 2)), st.rdms[:-1],
                               atol=1e-12)
    plain = lb.solve_steady_state(N, h, eps, zz, zx, method="tebd", chi=64)
    assert plain.rdms3 is None
    np.testing.assert_array_equal(plain.rdms, st.rdms)  # the stopping rule is unchanged


def test_tebd_three_site_checkpoint_resumes(tmp_path):
    N, h, eps = 4, 1.0, 0.2
    zz, zx = lb.draw_fields(N, 2)
    a = lb.solve_steady_state(N, h, eps, zz, zx, chi=16, three_site=True, checkpoint=tmp_path / "c")
    b = lb.solve_steady_state(N, h, eps, zz, zx, chi=16, three_site=True, checkpoint=tmp_path / "c")
    np.testing.assert_array_equal(a.rdms3, b.rdms3)
    lb.solve_steady_state(N, h, eps, zz, zx, chi=16, checkpoint=tmp_path / "d")
    with pytest.raises(ValueError, match="no three-site RDMs"):
        lb.solve_steady_state(N, h, eps, zz, zx, chi=16, three_site=True, checkpoint=tmp_path / "d")


# --- bad input ------------------------------------------------------------------------------------

def test_bad_input():
    z2, z3 = np.zeros(2), np.zeros(3)
    jumps = lb.paper_jumps(3)
    with pytest.raises(ValueError, match="N >= 3"):
        energy.energy_currents(2, 1.0, z2, z2)
    with pytest.raises(ValueError, match="rdms3 must have shape"):
        energy.energy_balance(np.zeros((2, 8, 8)), 3, 1.0, 0.1, z3, z3, jumps)
    with pytest.raises(ValueError, match="N <= 12"):
        LocalGibbs(13, 1.0, np.zeros(13), np.zeros(13), lb.paper_jumps(13))
    with pytest.raises(ValueError, match="zeta_z must have length"):
        LocalGibbs(3, 1.0, z2, z3, jumps)
    with pytest.raises(ValueError, match="N <= 10"):
        LocalGibbs(11, 1.0, np.zeros(11), np.zeros(11), lb.paper_jumps(11)).response_matrix(0.1)
    with pytest.raises(ValueError, match="one entry per link"):
        link_conductances([0.1, 0.2], [1.0, 2.0])
    with pytest.raises(ValueError, match="equal temperatures"):
        link_conductances([0.1], [1.0, 1.0])
    with pytest.raises(ValueError, match="eps"):
        steady_temperatures([0.1], [1.0, 1.0], [0.0, 0.0], eps=0.0, T0=1.0)
    with pytest.raises(ValueError, match="Gamma of length"):
        steady_temperatures([0.1, 0.2], [1.0, 1.0], [0.0, 0.0], eps=0.1, T0=1.0)
    with pytest.raises(ValueError, match="n_sites"):
        lb.rdms_from_rho(np.eye(4), 3)
    with pytest.raises(ValueError, match="three_site=True needs N >= 3"):
        lb.solve_steady_state(2, 1.0, 0.1, z2, z2, three_site=True)
    from mbl_open.hydrodynamics import hydro_ladder, hydro_survey

    z10 = np.zeros(10)
    with pytest.raises(ValueError, match="method='exact' needs N <= 9"):
        hydro_ladder(10, 1.0, [0.1], z10, z10, method="exact")
    with pytest.raises(ValueError, match="3 <= N <= 12"):
        hydro_ladder(13, 1.0, [0.1], np.zeros(13), np.zeros(13), method="tebd")
    with pytest.raises(ValueError, match="method must be"):
        hydro_ladder(3, 1.0, [0.1], z3, z3, method="dmrg")
    with pytest.raises(ValueError, match="eps"):
        hydro_ladder(3, 1.0, [0.1, -0.1], z3, z3)
    with pytest.raises(ValueError, match="N must be"):
        hydro_survey(10, [1.0], [0.1], 2, 0)
    with pytest.raises(ValueError, match="n_realisations"):
        hydro_survey(5, [1.0], [0.1], 0, 0)
    with pytest.raises(ValueError, match="same size"):
        energy.adjoint_dissipator(np.eye(2), np.eye(4))
    with pytest.raises(ValueError, match="rate"):
        energy.adjoint_dissipator(np.eye(2), np.eye(2), rate=-1.0)
    G = LocalGibbs(3, 1.0, z3 + 0.1, z3, jumps)
    with pytest.raises((TypeError, ValueError), match="beta"):
        G.source("hot")
    with pytest.raises(ValueError, match="beta"):
        G.g1(np.nan)
    with pytest.raises(ValueError, match="betas must have length"):
        compare_with_network(np.zeros((1, 8, 8)), [1.0], G, 0.1)
