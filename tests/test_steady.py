"""Tests of mbl_open.lindblad.steady: steady_rdms rejects bad input before any work."""
import numpy as np
import pytest

from mbl_open import lindblad as lb


CHAIN = lb.Chain(4, 1.0, np.zeros(4), np.zeros(4))


@pytest.mark.parametrize("args,error,match", [
    ((1, 1.0, np.zeros(1), np.zeros(1)), ValueError, "N must be"),
    ((4.0, 1.0, np.zeros(4), np.zeros(4)), TypeError, "N must be an integer"),
    ((4, -1.0, np.zeros(4), np.zeros(4)), ValueError, "h must be"),
    ((4, 1.0, np.zeros(3), np.zeros(4)), ValueError, "zeta_z must have length N = 4"),
    ((4, 1.0, np.zeros(4), np.zeros(5)), ValueError, "zeta_x must have length N = 4"),
])
def test_a_bad_chain_is_refused_when_it_is_made(args, error, match):
    with pytest.raises(error, match=match):
        lb.Chain(*args)


@pytest.mark.parametrize("change,error,match", [
    (dict(eps=0.0), ValueError, "eps must be"),
    (dict(eps=-1.0), ValueError, "eps must be"),
    (dict(chi=0, method="tebd"), ValueError, "chi must be"),
    (dict(sign="++"), ValueError, "sign must be one of"),
    (dict(method="ed"), ValueError, "method must be one of"),
    (dict(options=lb.ExactOptions(), method="tebd"), TypeError, "must be a TEBDOptions"),
    (dict(options=lb.tebd_options(), method="exact"), TypeError, "must be an ExactOptions"),
    (dict(options="fastest"), ValueError, r"options must be a TEBDOptions or a named solver .*, got 'fastest'"),
    (dict(options={"dt": 0.1}), TypeError, r"must be an ExactOptions, got dict \(make one with tebd_options"),
    (dict(dt=0.1), TypeError, "unexpected keyword argument 'dt'"),
    (dict(chain=(4, 1.0, np.zeros(4), np.zeros(4))), TypeError, r"chain must be a Chain \(Chain.draw"),
    (dict(method="exact", chain=lb.Chain(10, 1.0, np.zeros(10), np.zeros(10))), ValueError, "N <= 9"),
    (dict(method="exact", checkpoint="somewhere"), ValueError, "the exact solver takes none"),
])
def test_bad_input_is_rejected_before_work(change, error, match):
    kw = dict(dict(chain=CHAIN, eps=0.1), **change)
    with pytest.raises(error, match=match):
        lb.steady_rdms(kw.pop("chain"), kw.pop("eps"), **kw)


def test_options_are_checked_where_they_are_made():
    for bad, match in ((dict(dt=0.0), "dt must be"), (dict(dt=-0.1), "dt must be"), (dict(tol=0.0), "tol must be")):
        with pytest.raises(ValueError, match=match):
            lb.tebd_options(**bad)
    with pytest.raises(TypeError, match="unknown TEBD solver option"):
        lb.tebd_options(foo=1)
    with pytest.raises(ValueError, match="rtol must be"):
        lb.ExactOptions(rtol=1.0)


def test_auto_method_is_exact_where_it_can_run_and_says_so():
    small = lb.solve_steady_state(lb.Chain.draw(5, 1.0, seed=3), 0.2)
    assert small.method == "exact" and "method='exact'" in repr(small)
    big = lb.steady.choose_method(lb.Chain.draw(12, 1.0, seed=3), 0.02)
    assert big == "tebd"
    assert lb.steady.choose_method(lb.Chain.draw(5, 1.0, seed=3), 0.2, options="fast") == "tebd"
    assert lb.steady.choose_method(lb.Chain.draw(5, 1.0, seed=3), 1e-9) == "tebd"  # below the exact solver's eps


def test_a_checkpoint_directory_that_is_a_file_is_refused_at_the_entry(tmp_path):
    """A checkpoint path naming a file raised NotADirectoryError from mkdir, after the generators were built."""
    (tmp_path / "a_file").write_text("x")
    with pytest.raises(ValueError, match="checkpoint must be a directory .* it is a file"):
        lb.solve_steady_state(CHAIN, 0.2, method="tebd", chi=8, checkpoint=tmp_path / "a_file")
    with pytest.raises(ValueError, match="checkpoint must be a directory .* it is a file"):
        lb.solve_ladder(CHAIN, [0.2, 0.1], method="tebd", chi=8, checkpoint=tmp_path / "a_file")
    with pytest.raises(ValueError, match="checkpoint must be a directory .* its parent"):
        lb.solve_ladder(CHAIN, [0.2], method="tebd", chi=8, checkpoint=tmp_path / "a_file" / "sub")


@pytest.mark.parametrize("call", [
    lambda: lb.solve_ladder(CHAIN, [0.2, 0.1, 0.2], method="tebd", chi=8),
    lambda: lb.solve_ladder(CHAIN, [0.2, 0.1, 0.2], chi=8),
    lambda: lb.solve_ladder(CHAIN, [0.2, 0.1, 0.2], method="exact"),
])
def test_repeated_couplings_are_refused_by_every_ladder_alike(call):
    """Every ladder refuses a repeated eps (an older TEBD ladder solved it twice)."""
    with pytest.raises(ValueError, match=r"eps(_values)? must be distinct values, got duplicates \[0.2\]"):
        call()
