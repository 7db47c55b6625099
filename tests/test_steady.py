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


def test_a_checkpoint_directory_that_is_a_file_is_refused_at_the_entry(tmp_path):
    """A checkpoint path naming a file raised NotADirectoryError from mkdir, after the generators were built."""
    (tmp_path / "a_file").write_text("x")
    args = (4, 1.0, 0.2, np.zeros(4), np.zeros(4))
    with pytest.raises(ValueError, match="checkpoint must be a directory .* it is a file"):
        lb.solve_steady_state(*args, chi=8, checkpoint=tmp_path / "a_file")
    with pytest.raises(ValueError, match="checkpoint must be a directory .* it is a file"):
        lb.tebd_ladder(4, 1.0, [0.2, 0.1], np.zeros(4), np.zeros(4), chi=8, checkpoint=tmp_path / "a_file")
    with pytest.raises(ValueError, match="checkpoint must be a directory .* its parent"):
        lb.solve_ladder(lb.Chain(*args[:2], *args[3:]), [0.2], chi=8, checkpoint=tmp_path / "a_file" / "sub")


@pytest.mark.parametrize("call", [
    lambda: lb.tebd_ladder(4, 1.0, [0.2, 0.1, 0.2], np.zeros(4), np.zeros(4), chi=8),
    lambda: lb.solve_ladder(lb.Chain(4, 1.0, np.zeros(4), np.zeros(4)), [0.2, 0.1, 0.2], chi=8),
    lambda: lb.solve_ladder(lb.Chain(4, 1.0, np.zeros(4), np.zeros(4)), [0.2, 0.1, 0.2], method="exact"),
])
def test_repeated_couplings_are_refused_by_every_ladder_alike(call):
    """solve_ladder refused a repeated eps while tebd_ladder solved it twice."""
    with pytest.raises(ValueError, match=r"eps(_values)? must be distinct values, got duplicates \[0.2\]"):
        call()
