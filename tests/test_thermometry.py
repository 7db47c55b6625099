"""Tests of mbl_open.lindblad.thermometry: local temperatures from Gibbs-state reductions (exact, purification)."""
import numpy as np
import pytest
import scipy.linalg as la

from mbl_open import lindblad as lb


@pytest.mark.parametrize("N,h,beta", [(6, 1.0, 0.37), (8, 6.0, -0.05), (8, 2.0, 1.3)])
def test_thermometer_recovers_an_exact_gibbs_state(N, h, beta):
    zz, zx = lb.Chain.draw(N, h, seed=21).fields
    H = lb.hamiltonian(lb.Chain(N, h, zz, zx)).toarray()
    rho = la.expm(-beta * H)
    rho /= np.trace(rho)
    betas = lb.local_betas(lb.rdms_from_rho(rho), lb.Chain(N, h, zz, zx))
    assert np.abs(betas - beta).max() < 1e-6


def test_purification_reference_agrees_with_exact():
    N, h = 6, 3.0
    zz, zx = lb.Chain.draw(N, h, seed=4).fields
    ref_x = lb.thermal_reference(lb.Chain(N, h, zz, zx), method="exact")
    ref_p = lb.thermal_reference(lb.Chain(N, h, zz, zx), method="purification", beta_max=0.8, dbeta=0.02)
    for beta in (-0.3, 0.05, 0.61):
        assert np.abs(ref_p.rdms(beta) - ref_x.rdms(beta)).max() < 1e-5
        assert np.abs(lb.fit_betas(ref_x.rdms(beta), ref_p) - beta).max() < 1e-4


def test_fit_outside_the_range_is_nan():
    N = 5
    zz, zx = lb.Chain.draw(N, 1.0, seed=2).fields
    ref = lb.thermal_reference(lb.Chain(N, 1.0, zz, zx), beta_max=0.5)
    betas = lb.fit_betas(ref.rdms(0.3), lb.thermal_reference(lb.Chain(N, 1.0, zz, zx), beta_max=0.2))
    assert np.all(np.isnan(betas))
    with pytest.raises(ValueError, match="nan"):
        lb.dbeta_over_beta(betas)


def test_dbeta_over_beta_definition():
    b = np.array([[1.0, 2.0, 3.0], [2.0, 2.0, 2.0]])
    assert lb.dbeta_over_beta(b) == pytest.approx(np.sqrt((2 / 3 + 0) / 2) / 2)
    assert lb.dbeta_over_beta(b[0]) == pytest.approx(np.sqrt(2 / 3) / 2)


def test_thermometry_bad_input():
    with pytest.raises(ValueError, match=r"shape \(N-1, 4, 4\)"):
        lb.local_betas(np.zeros((2, 4, 4)), lb.Chain(4, 1.0, np.zeros(4), np.zeros(4)))
    with pytest.raises(ValueError, match="N <= 12"):
        lb.thermal_reference(lb.Chain(13, 1.0, np.zeros(13), np.zeros(13)), method="exact")
    with pytest.raises(ValueError, match="method must be one of"):
        lb.thermal_reference(lb.Chain(4, 1.0, np.zeros(4), np.zeros(4)), method="ed")


@pytest.mark.parametrize("rdms, where", [
    (np.zeros((3, 4, 4)), r"rdms\[0\] has trace 0"),
    (np.array([np.eye(4) / 4, np.eye(4) / 4, np.eye(4)]), r"rdms\[2\] has trace 4"),
])
def test_rdms_that_are_not_density_matrices_are_refused_naming_rdms(rdms, where):
    """fit_betas of zero RDMs returned betas near 0, a plausible infinite temperature."""
    chain = lb.Chain.draw(4, 1.0, 0, seed=1)
    with pytest.raises(ValueError, match="rdms must hold density matrices of trace 1.*" + where):
        lb.fit_betas(rdms, lb.thermal_reference(chain))
    with pytest.raises(ValueError, match="rdms must hold density matrices of trace 1"):
        lb.local_betas(rdms, chain)  # before the reference is built


def test_dbeta_over_beta_of_zero_betas_is_refused_naming_betas():
    with pytest.raises(ValueError, match="betas must have a nonzero mean"):
        lb.dbeta_over_beta(np.zeros((2, 3)))
