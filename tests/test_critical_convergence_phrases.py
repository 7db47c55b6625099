"""mbl_open.critical.convergence_phrases: the clauses the convergence chapter glues into its prose."""

import numpy as np
import pytest

from mbl_open.critical import convergence_phrases as cv


def test_thresholds_and_trends_are_named_from_the_numbers():
    assert cv.below_or_above(5e-4, 1e-3) == "below" and cv.below_or_above(1e-3, 1e-3) == "above"
    assert cv.shrink_clause({16: [1e-2, 1e-1], 32: [1e-3, 1e-2]}).startswith("the change shrinks")
    assert cv.shrink_clause({16: [1e-2, 1e-3], 32: [1e-3, 1e-2]}).startswith("the change does not shrink")
    with pytest.raises(TypeError, match="rel must be a non-empty dict"):
        cv.shrink_clause({})
    assert cv.monotone_clause([1.1, 1.3, 1.6]) == "the rate grows steadily as $\\varepsilon$ falls"
    assert cv.monotone_clause([1.1, 1.0, 1.6]).startswith("the rate does not grow steadily")


def test_the_noise_clause_names_the_couplings_where_the_last_step_is_noise():
    assert cv.noise_clause(np.array([0.03, 0.02]), 48, 64).startswith(
        "at $\\varepsilon = 0.03, 0.02$ the step from $\\chi = 48$ to 64 is within five times")
    assert cv.noise_clause(np.array([]), 48, 64).endswith("so the table measures bond dimension")


def test_the_collapse_and_size_verdicts_follow_their_thresholds():
    assert cv.collapse_clause(0.12).startswith("within the 30%")
    assert cv.collapse_clause(0.45).startswith("more than the 30%")
    assert cv.size_verdict_clause(-0.5) == "$z$ does not move beyond its errors"
    assert cv.size_verdict_clause(1.5) == "$z$ does not move beyond about its errors"
    assert cv.size_verdict_clause(2.5) == "$z$ moves with $N$ by more than its errors"
    assert cv.direction_word(0.3) == "up" and cv.direction_word(-0.3) == "down"


def test_lists_of_sizes_couplings_and_names():
    assert cv.sizes_per_h_clause({20: [2.0, 4.0], 16: [1.0, 3.0], 12: []}) == (
        "N = 16 at $h$ = 1, 3; N = 20 at $h$ = 2, 4")
    assert cv.fit_range_clause(0.02, 0.03).startswith("lies at $\\varepsilon = 0.02$, below the couplings")
    assert cv.fit_range_clause(0.05, 0.03).startswith("lies at $\\varepsilon = 0.05$, among the couplings")
    assert cv.list_or_none(["sweeps/tebd_n16.yaml"]) == "`sweeps/tebd_n16.yaml`" and cv.list_or_none([]) == "none"
