import math

import pytest

from mbl_open.presentation.report import bound


@pytest.mark.parametrize("x, limit, text", [(2.2e-13, 1e-10, "< 1e-10"), (-2.2e-13, 1e-10, "< 1e-10"),
                                            (3.4e-4, 1e-10, "3.4e-04"), (2e-12, 1e-9, "< 1e-9"),
                                            (1e-10, 1e-10, "1.0e-10"), (math.nan, 1e-10, "nan")])
def test_bound_prints_round_off_as_a_bound_and_the_rest_as_a_value(x, limit, text):
    assert bound(x, limit) == text


@pytest.mark.parametrize("limit, exc", [(0.0, ValueError), (-1e-3, ValueError), (math.inf, ValueError),
                                        ("1e-9", TypeError)])
def test_bound_rejects_a_bad_limit(limit, exc):
    with pytest.raises(exc, match="limit"):
        bound(1e-12, limit)
