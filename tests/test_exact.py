"""Tests of mbl_open.lindblad.exact: the exact steady state of short chains and its reduced density matrices."""
import numpy as np
import pytest

from mbl_open import lindblad as lb


def test_exact_steady_state_is_a_state_and_gmres_matches_lu(chain5):
    N, zz, zx = chain5
    jumps = lb.paper_jumps(N)
    g = lb.steady_state_exact(lb.Chain(N, 3.0, zz, zx), 0.07, jumps)
    u = lb.steady_state_exact(lb.Chain(N, 3.0, zz, zx), 0.07, jumps, lb.ExactOptions(solver="lu"))
    assert abs(np.trace(g.rho) - 1) < 1e-12
    np.testing.assert_allclose(g.rho, g.rho.conj().T, atol=1e-14)
    assert np.linalg.eigvalsh(g.rho).min() > 0
    assert g.residual < 1e-10
    np.testing.assert_allclose(g.rho, u.rho, atol=1e-10)
    rd = g.rdms()
    assert rd.shape == (N - 1, 4, 4)
    np.testing.assert_allclose(np.trace(rd, axis1=1, axis2=2), 1.0, atol=1e-12)


def test_literal_reading_gives_the_infinite_temperature_state():
    N = 6
    zz, zx = lb.Chain.draw(N, 2.0, seed=5).fields
    rho = lb.steady_state_exact(lb.Chain(N, 2.0, zz, zx), 0.1, lb.paper_jumps(N, "literal")).rho
    assert np.abs(rho - np.eye(2**N) / 2**N).max() < 1e-10
    rho_pm = lb.steady_state_exact(lb.Chain(N, 2.0, zz, zx), 0.1, lb.paper_jumps(N, "-+")).rho
    assert np.abs(rho_pm - np.eye(2**N) / 2**N).max() > 1e-3


def test_rdms_from_rho_of_a_product_state():
    a = np.diag([0.7, 0.3])
    b = np.array([[0.4, 0.1j], [-0.1j, 0.6]])
    c = np.diag([0.5, 0.5])
    rd = lb.rdms_from_rho(np.kron(np.kron(a, b), c))
    np.testing.assert_allclose(rd[0], np.kron(a, b), atol=1e-15)
    np.testing.assert_allclose(rd[1], np.kron(b, c), atol=1e-15)


def test_bad_input():
    with pytest.raises(ValueError, match="n_sites"):
        lb.rdms_from_rho(np.eye(4), 3)


def test_a_zero_density_matrix_is_refused_naming_rho():
    """rdms_from_rho of a zero matrix returned zero RDMs; a state needs trace 1."""
    with pytest.raises(ValueError, match=r"rho must be a density matrix of trace 1.*got trace 0"):
        lb.rdms_from_rho(np.zeros((16, 16)))
    with pytest.raises(ValueError, match="rho must be a density matrix of trace 1"):
        lb.rdms_from_rho(np.eye(16))  # unnormalised: trace 16


def test_baths_with_every_rate_zero_are_refused_before_gmres(chain5):
    """Without a bath GMRES spent seconds and then did not converge: refused at once, naming jumps."""
    import dataclasses
    import time

    N, zz, zx = chain5
    off = [dataclasses.replace(j, rate=0.0) for j in lb.paper_jumps(N)]
    start = time.perf_counter()
    with pytest.raises(ValueError, match="jumps must have at least one rate > 0"):
        lb.steady_state_exact(lb.Chain(N, 1.0, zz, zx), 0.1, off)
    with pytest.raises(ValueError, match="jumps must have at least one rate > 0"):
        lb.solve_steady_state(lb.Chain(N, 1.0, zz, zx), 0.1, jumps=off, method="tebd", chi=8)  # TEBD returned an arbitrary state
    assert time.perf_counter() - start < 1.0
