"""Tests of mbl_open.lindblad.steady: steady_rdms rejects bad input before any work."""
import numpy as np
import pytest

from mbl_open import lindblad as lb


GOOD = dict(N=4, h=1.0, eps=0.1, zeta_z=np.zeros(4), zeta_x=np.zeros(4))


@pytest.mark.parametrize("change,error,match", [
    (dict(N=1, zeta_z=np.zeros(1), zeta_x=np.zeros(1)), ValueError, "N must be"),
    (dict(N=4.0), TypeError, "N must be an integer"),
    (dict(eps=0.0), ValueError, "eps must be"),
    (dict(eps=-1.0), ValueError, "eps must be"),
    (dict(h=-1.0), ValueError, "h must be"),
    (dict(zeta_z=np.zeros(3)), ValueError, "zeta_z must have length N = 4"),
    (dict(zeta_x=np.zeros(5)), ValueError, "zeta_x must have length N = 4"),
    (dict(chi=0), ValueError, "chi must be"),
    (dict(sign="++"), ValueError, "sign must be one of"),
    (dict(method="ed"), ValueError, "method must be one of"),
    (dict(dt=0.0), ValueError, "dt must be"),
    (dict(dt=-0.1), ValueError, "dt must be"),
    (dict(tol=0.0), ValueError, "tol must be"),
    (dict(foo=1), TypeError, "unknown solver option"),
    (dict(method="exact", N=10, zeta_z=np.zeros(10), zeta_x=np.zeros(10)), ValueError, "N <= 9"),
])
def test_bad_input_is_rejected_before_work(change, error, match):
    kw = dict(GOOD, **change)
    with pytest.raises(error, match=match):
        lb.steady_rdms(kw.pop("N"), kw.pop("h"), kw.pop("eps"), kw.pop("zeta_z"), kw.pop("zeta_x"), **kw)
