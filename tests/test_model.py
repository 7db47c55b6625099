"""Tests of mbl_open.lindblad.model and .spins (paper Eqs. 6, 8): jumps, sign readings, Hamiltonian, Pauli basis."""
import numpy as np

from mbl_open import lindblad as lb
from mbl_open.lindblad import spins
from mbl_open.lindblad.model import hamiltonian_terms
from mbl_open.lindblad.spins import SZ, embed
from mbl_open.lindblad import Chain


def full_commutator_sum(N, sign):
    return sum((lambda L: (L @ L.conj().T - L.conj().T @ L).toarray())(embed(j.op, j.first, N))
               for j in lb.paper_jumps(N, sign))


def test_pauli_basis_is_orthonormal_and_hermitian():
    B = spins._pauli_basis(2)
    np.testing.assert_allclose(np.einsum("aij,bji->ab", B, B), np.eye(16), atol=1e-15)
    np.testing.assert_allclose(B, B.conj().transpose(0, 2, 1), atol=1e-15)
    X = np.random.default_rng(0).normal(size=(4, 4)) + 1j * np.random.default_rng(1).normal(size=(4, 4))
    np.testing.assert_allclose(spins.operator_from_pauli(spins.pauli_coefficients(X)), X, atol=1e-14)


def test_paper_jumps_count_and_action():
    N = 4
    jumps = lb.paper_jumps(N)
    assert len(jumps) == 4 * (N - 1) + N
    up, dn = np.array([1.0, 0]), np.array([0, 1.0])
    L_plus_1 = jumps[0].op  # S^+_0 (1 - 2 S^z_1) / (2 sqrt 2): raise site 0 only if site 1 is down
    assert np.allclose(L_plus_1 @ np.kron(dn, dn), np.kron(up, dn) / np.sqrt(2))
    assert np.allclose(L_plus_1 @ np.kron(dn, up), 0)
    L_minus_1 = jumps[2].op  # '-+' reading: S^-_0 (1 + 2 S^z_1): lower site 0 only if site 1 is up
    assert np.allclose(L_minus_1 @ np.kron(up, up), np.kron(dn, up) / np.sqrt(2))
    assert np.allclose(L_minus_1 @ np.kron(up, dn), 0)


def test_literal_reading_is_unital_and_the_other_is_not():
    assert np.abs(full_commutator_sum(4, "literal")).max() < 1e-14
    assert np.abs(full_commutator_sum(4, "-+")).max() > 0.1
    assert np.abs(full_commutator_sum(4, "+-")).max() > 0.1


def test_the_opposite_sign_reading_heats_to_a_negative_temperature():
    chain = lb.Chain.draw(5, 2.0, seed=7)
    ref = lb.thermal_reference(chain)
    betas = {s: lb.local_betas(lb.steady_state_exact(chain, 0.1, chain.jumps(s)).rdms(), chain, reference=ref).mean()
             for s in ("-+", "+-")}
    assert betas["-+"] > 0.05 and betas["+-"] < -0.05, betas


def test_hamiltonian_is_eq6():
    N = 3
    zz, zx = np.array([0.1, -0.4, 0.9]), np.array([-0.2, 0.5, 0.3])
    H = lb.hamiltonian(lb.Chain(N, 2.0, zz, zx)).toarray()
    S = {"x": spins.SX, "y": spins.SY, "z": SZ}
    ref = sum(embed(np.kron(S[a], S[a]), i, N).toarray() for a in "xyz" for i in range(N - 1))
    ref = ref + sum(2.0 * (zz[i] * embed(SZ, i, N) + zx[i] * embed(spins.SX, i, N)).toarray() for i in range(N))
    np.testing.assert_allclose(H, ref, atol=1e-15)
    assert len(hamiltonian_terms(Chain(N, 2.0, zz, zx))) == 2 * N - 1
