"""Tests of mbl_open.hydrodynamics.energy (paper Eqs. 20-23): energy densities, currents, sources, the balance."""
import numpy as np
import pytest

from mbl_open import lindblad as lb
from mbl_open.hydrodynamics import energy
from mbl_open.lindblad.spins import SX, SY, SZ

from _helpers import full
from mbl_open.lindblad import Chain


S = (SX, SY, SZ)


def kron(*ops):
    out = np.eye(1)
    for op in ops:
        out = np.kron(out, op)
    return out


def test_current_of_three_free_spins_is_the_scalar_chirality():
    # h = 0: j_{0,1} = i [S_0.S_1, S_1.S_2] = S_0 . (S_1 x S_2)
    j = energy.energy_currents(Chain(3, 0.0, np.zeros(3), np.zeros(3)))
    eps3 = np.zeros((3, 3, 3))
    eps3[0, 1, 2] = eps3[1, 2, 0] = eps3[2, 0, 1] = 1
    eps3[0, 2, 1] = eps3[2, 1, 0] = eps3[1, 0, 2] = -1
    chirality = sum(eps3[a, b, c] * kron(S[a], S[b], S[c]) for a in range(3) for b in range(3) for c in range(3))
    np.testing.assert_allclose(j[0], chirality, atol=1e-15)


def test_energy_densities_sum_to_h():
    N = 5
    zz, zx = lb.Chain.draw(N, 1.7, seed=3).fields
    hb = energy.energy_densities(Chain(N, 1.7, zz, zx))
    H = lb.hamiltonian(lb.Chain(N, 1.7, zz, zx)).toarray()
    np.testing.assert_allclose(sum(full(hb[i], i, N) for i in range(N - 1)), H, atol=1e-14)


@pytest.mark.parametrize("N", [3, 5])
def test_source_operators_are_the_adjoint_dissipator_of_h_i(N):
    zz, zx = lb.Chain.draw(N, 1.3, seed=8).fields
    jumps = lb.paper_jumps(N)
    hb = energy.energy_densities(Chain(N, 1.3, zz, zx))
    ops = energy.energy_source_operators(Chain(N, 1.3, zz, zx), jumps)
    for i in range(N - 1):
        X = full(hb[i], i, N)
        want = sum(energy.adjoint_dissipator(full(j.op, j.first, N), X, j.rate) for j in jumps)
        got = sum(full(op, w, N) for w, op in enumerate(ops[i]))
        np.testing.assert_allclose(got, want, atol=1e-14)


def test_exact_steady_state_satisfies_the_energy_balance():
    """Continuity (Eqs. 20-23): j_{i,i+1} - j_{i-1,i} = eps <D^dag h_i> island by island."""
    N, h, eps = 6, 1.0, 0.1
    zz, zx = lb.Chain.draw(N, h, 2, seed=1).fields
    st = lb.solve_steady_state(lb.Chain(N, h, zz, zx), eps, method="exact")
    bal = energy.energy_balance(st.rdms3, Chain(N, h, zz, zx), eps, lb.paper_jumps(N))
    assert np.max(np.abs(bal.source)) > 1e-3 and np.max(np.abs(bal.current)) > 1e-4  # not trivially zero
    np.testing.assert_allclose(bal.residual, 0.0, atol=1e-10)
    # and the 3-site RDMs reduce to the 2-site ones
    np.testing.assert_allclose(np.einsum("wikjk->wij", st.rdms3.reshape(N - 2, 4, 2, 4, 2)), st.rdms[:-1],
                               atol=1e-13)


def test_bad_input():
    z2, z3 = np.zeros(2), np.zeros(3)
    jumps = lb.paper_jumps(3)
    with pytest.raises(ValueError, match="N >= 3"):
        energy.energy_currents(Chain(2, 1.0, z2, z2))
    with pytest.raises(ValueError, match="rdms3 must have shape"):
        energy.energy_balance(np.zeros((2, 8, 8)), Chain(3, 1.0, z3, z3), 0.1, jumps)
    with pytest.raises(ValueError, match="same size"):
        energy.adjoint_dissipator(np.eye(2), np.eye(4))
    with pytest.raises(ValueError, match="rate"):
        energy.adjoint_dissipator(np.eye(2), np.eye(2), rate=-1.0)


def test_zero_three_site_rdms_are_refused_naming_rdms3():
    """energy_balance of zero RDMs returned zero energies, currents and sources: a plausible balance."""
    z4 = np.zeros(4)
    with pytest.raises(ValueError, match=r"rdms3 must hold density matrices of trace 1.*rdms3\[0\] has trace 0"):
        energy.energy_balance(np.zeros((2, 8, 8)), Chain(4, 1.0, z4, z4), 0.1, lb.paper_jumps(4))
