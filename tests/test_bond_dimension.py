"""dbeta/beta against the bond dimension on one chain (mbl_open.lindblad.bond_dimension, paper Fig. 8)."""
import numpy as np
import pytest

from mbl_open import lindblad as lb


@pytest.fixture(scope="module")
def setup():
    chain = lb.Chain.draw(4, 4.0, 0, seed=11)
    start = lb.solve_steady_state(chain, 0.5, method="tebd", chi=16)
    return chain, start, lb.thermal_reference(chain)


def test_the_untruncated_bond_dimension_reproduces_the_reference(setup):
    chain, start, ref = setup
    scan = lb.chi_scan(chain, start, [16, 2], ref)
    assert scan.chis == (16, 2) and scan.chi_ref == 16
    assert scan.dbeta.shape == scan.error.shape == scan.truncation_error.shape == (2,)
    O_ref = lb.dbeta_over_beta(lb.local_betas(start.rdms, chain, reference=ref))
    assert scan.dbeta_ref == O_ref
    np.testing.assert_allclose(scan.error, np.abs(scan.dbeta - O_ref) / O_ref)
    assert scan.error[0] < 1e-3 < scan.error[1]  # chi = 16 is exact at N = 4; chi = 2 truncates
    assert [s.params["chi"] for s in scan.states] == [16, 2]
    assert list(scan.truncation_error) == [s.diagnostics[-1].truncation_error for s in scan.states]


def test_bad_calls_are_refused(setup):
    chain, start, ref = setup
    with pytest.raises(TypeError, match="psi0"):
        lb.chi_scan(chain, start, [4], ref, psi0=start.psi)
    with pytest.raises(ValueError, match=r"chis\[1\] must be"):
        lb.chi_scan(chain, start, [4, 0], ref)
    with pytest.raises(ValueError, match="at least one"):
        lb.chi_scan(chain, start, [], ref)
    exact = lb.solve_steady_state(chain, 0.5, method="exact")
    with pytest.raises(TypeError, match="TEBD SteadyState"):
        lb.chi_scan(chain, exact, [4], ref)
    with pytest.raises(ValueError, match="the chain has N = 5"):
        lb.chi_scan(lb.Chain.draw(5, 4.0, 0, seed=11), start, [4], ref)
    with pytest.raises(TypeError, match="ThermalReference"):
        lb.chi_scan(chain, start, [4], None)
