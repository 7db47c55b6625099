"""Tests of mbl_open.lindblad.liouvillian (paper Eq. 7): the bond superoperators against the sparse Liouvillian."""
import numpy as np

from mbl_open import lindblad as lb
from mbl_open.lindblad import liouvillian, spins
from mbl_open.lindblad import Chain


def test_bond_split_reproduces_the_sparse_liouvillian():
    N = 4
    zz, zx = lb.Chain.draw(N, 1.0, seed=3).fields
    jumps = lb.paper_jumps(N)
    Lb = liouvillian.bond_liouvillians(Chain(N, 2.5, zz, zx), 0.3, jumps)
    full = np.zeros((4**N, 4**N))
    for b in range(N - 1):
        full += np.kron(np.kron(np.eye(4**b), Lb[b]), np.eye(4 ** (N - b - 2)))
    Ls = liouvillian.liouvillian_sparse(Chain(N, 2.5, zz, zx), 0.3, jumps)
    ref = spins.superoperator_in_pauli_basis(lambda X: (Ls @ X.ravel()).reshape(X.shape), N)
    np.testing.assert_allclose(full, ref, atol=1e-12)
