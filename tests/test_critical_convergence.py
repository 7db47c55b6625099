"""mbl_open.critical.convergence: bond-dimension convergence on shared chains."""

import numpy as np
import pytest

from mbl_open import critical as cp
from mbl_open import ensemble as en
from mbl_open.lindblad import dbeta_over_beta


def test_chi_convergence_to_largest_compares_each_chi_with_the_largest_on_the_same_chains():
    chi = en.book_dataset("book_chi")
    N = chi.sizes()[0]
    h = chi.h_values(N)[0]
    small, *_, top = chi.chis()
    rel = cp.chi_convergence_to_largest(chi, N, h)
    assert sorted(rel) == chi.chis()[:-1] and all(v.shape == chi.eps.shape for v in rel.values())
    r = np.intersect1d(chi.realisations(N, h, small), chi.realisations(N, h, top))
    o_top = dbeta_over_beta(chi.aligned_betas(N, h, top, realisations=r, eps=chi.eps)[:, -1])
    o_small = dbeta_over_beta(chi.aligned_betas(N, h, small, realisations=r, eps=chi.eps)[:, -1])
    assert rel[small][-1] == pytest.approx(abs(o_small - o_top) / o_top, rel=1e-12)
    # against the exact solver the same chains give nearly the same error at the smallest chi
    exact = cp.chi_convergence(chi, en.book_dataset("book_exact"), N, h)
    assert rel[small] == pytest.approx(exact[small], rel=0.1)
    with pytest.raises(ValueError, match="two bond dimensions"):
        cp.chi_convergence_to_largest(en.book_dataset("book_tebd"), 10, 1.0)
    with pytest.raises(TypeError, match="tebd"):
        cp.chi_convergence_to_largest("book_chi", N, h)
    with pytest.raises(ValueError, match="h = 7"):
        cp.chi_convergence_to_largest(chi, N, 7.0)
