"""The rules that decide what the critical analysis may claim: defined once, used everywhere.

A number from a few realisations or from a crossing at the edge of the
disorder grid is not a measurement; these rules say when a value is printed
as a value, when as a bound, and when not at all.  The summaries, the tables,
the figures and the chapters all ask here.
"""
from __future__ import annotations

import numpy as np

__all__ = ["WELL_SAMPLED", "MIN_CROSSING_FRACTION", "z_resolved", "well_sampled", "crossing_placed"]

#: Realisations per ``h`` below which a size's jackknife errors are not trusted: its ``z``, ``h_c`` and ``nu``
#: are printed as ``-`` and it is left out of comparisons between sizes.
WELL_SAMPLED = 10

#: Share of bootstrap replicas of ``P(h)`` that must cross ``1/2`` inside the disorder range for ``h_c`` to be
#: printed as a value; below it, ``h_c`` is a bound.
MIN_CROSSING_FRACTION = 0.8


def z_resolved(z, z_err):
    """Whether a fitted ``z`` is resolved: finite, with an error smaller than itself (elementwise).

    Where the error is as large as ``z`` the window cannot tell ``z`` from
    infinity (``dbeta/beta`` hardly changes with ``eps``).
    """
    z, z_err = np.asarray(z, dtype=float), np.asarray(z_err, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.isfinite(z) & np.isfinite(z_err) & (z_err < z)


def well_sampled(realisations) -> bool:
    """Whether every ``h`` of a size holds at least :data:`WELL_SAMPLED` realisations."""
    r = np.asarray(realisations)
    return bool(r.size and r.min() >= WELL_SAMPLED)


def crossing_placed(h_c, h, fraction) -> bool:
    """Whether a crossing ``P(h_c) = 1/2`` is placed by the grid ``h``: a value, not a bound.

    It must lie strictly inside the range (not at its last point, where the
    grid cannot say how far beyond the crossing lies), and at least
    :data:`MIN_CROSSING_FRACTION` of the bootstrap replicas must cross inside
    the range.
    """
    h = np.asarray(h, dtype=float)
    return bool(np.isfinite(h_c) and h.size >= 2 and h_c < h.max() - 1e-9 * max(1.0, abs(h.max()))
                and np.isfinite(fraction) and fraction >= MIN_CROSSING_FRACTION)
