"""How chapters print numbers that the computation does not fix to the last digit.

A round-off-level diagnostic (a trace drift, a residual, the distance of a
state from a known exact one) changes from machine to machine with the BLAS
kernel and the number of threads.  Printed or glued as a value it would make
the golden notebooks, and the prose, depend on the machine; printed as a bound
it says what matters, that the quantity is at round-off level.
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from ..infrastructure._validate import check_real

__all__ = ["bound"]


def bound(x, limit: float = 1e-10) -> str:
    """``'< limit'`` when ``|x| < limit``, else ``|x|`` with two significant digits.

    Parameters
    ----------
    x : float
        A diagnostic whose size is expected near round-off (NaN is shown as ``'nan'``).
    limit : float
        Positive threshold below which only the bound is printed.

    Examples
    --------
    >>> bound(2.2e-13)
    '< 1e-10'
    >>> bound(3.4e-4)
    '3.4e-04'
    >>> bound(2e-12, 1e-9)
    '< 1e-9'
    """
    limit = check_real("limit", limit, low=0.0, low_open=True)
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (numbers.Real, np.floating, np.integer)):
        raise TypeError(f"x must be a real number (a diagnostic to print), got {x!r} of type {type(x).__name__}")
    x = abs(float(x))
    if math.isnan(x):
        return "nan"
    return f"< {limit:.0e}".replace("e-0", "e-") if x < limit else f"{x:.1e}"
