"""The three readings of paper Eq. 8 (mbl_open.lindblad.sign_trap): unital, cooling, heating."""
import numpy as np
import pytest

from mbl_open import lindblad as lb


def test_only_the_literal_reading_is_unital():
    assert lb.dissipator_commutator(4, "literal") < 1e-14
    assert lb.dissipator_commutator(4, "-+") > 0.1
    assert lb.dissipator_commutator(4, "+-") > 0.1


def test_the_literal_reading_stays_at_infinite_temperature_and_the_others_cool_and_heat():
    chain = lb.Chain.draw(4, 2.0, 0, seed=7)
    trap = lb.compare_sign_readings(chain, 0.1)
    assert list(trap) == ["literal", "-+", "+-"]
    assert trap["literal"].deviation < 1e-10 and abs(trap["literal"].mean_beta) < 1e-6
    assert trap["-+"].deviation > 1e-3 and trap["-+"].mean_beta > 0
    assert trap["+-"].mean_beta < 0
    np.testing.assert_allclose(np.trace(trap["-+"].state.rho).real, 1.0, atol=1e-12)
    assert list(lb.compare_sign_readings(chain, 0.1, readings=["+-"])) == ["+-"]


def test_bad_calls_are_refused():
    chain = lb.Chain.draw(4, 2.0, 0, seed=7)
    with pytest.raises(ValueError, match="N must be"):
        lb.dissipator_commutator(1)
    with pytest.raises(ValueError, match="sign must be one of"):
        lb.dissipator_commutator(4, "++")
    with pytest.raises(ValueError, match="distinct"):
        lb.compare_sign_readings(chain, 0.1, readings=["-+", "-+"])
    with pytest.raises(ValueError, match="eps must be"):
        lb.compare_sign_readings(chain, 1e-9)
    with pytest.raises(ValueError, match="exact solver"):
        lb.compare_sign_readings(lb.Chain.draw(10, 2.0, 0, seed=7), 0.1)
    with pytest.raises(TypeError, match="Chain"):
        lb.compare_sign_readings((4, 2.0), 0.1)
    with pytest.raises(ValueError, match="reference is for N = 5"):
        lb.compare_sign_readings(chain, 0.1, reference=lb.thermal_reference(lb.Chain.draw(5, 2.0, 0, seed=7)))
