"""Upper limits on sizes and counts, read in one place.

Every public function refuses, before any work starts, a size or count that
cannot fit in the memory or time of a workstation (two cores, tens of GB).  The
limits are deliberately generous for this book and easy to raise on a bigger
machine: set the environment variable ``MBL_OPEN_<NAME>`` (for example
``MBL_OPEN_MAX_TASKS=5000000``) before starting Python or the command line.

``MAX_TASKS``
    Tasks of one sweep (N x chi x h x realisations).
``TEBD_MAX_N``, ``TEBD_MAX_CHI``
    Chain length and bond dimension of TEBD (in sweeps and the solver).
``TEBD_MAX_STEPS``
    Time steps one TEBD run may need to reach ``max_eps_t`` (the run time
    grows as ``1/(eps dt)``).
``MAX_CHAIN_N``
    Sites of a disorder draw or a list of jump operators.
``HAMILTONIAN_MAX_N``
    Sites of the sparse many-body Hamiltonian (``2**N`` states).
``MAX_GRID``
    Points of a fit grid (thermometry).
``MAX_RESAMPLES``
    Bootstrap resamples.
``MAX_ARRAY_BYTES``
    Bytes of one sample array (disorder draws of a network ensemble).
``MAX_WORKERS``
    Local worker processes of one sweep.
"""
from __future__ import annotations

import os

__all__ = ["LIMITS", "limit"]

LIMITS = dict(MAX_TASKS=1_000_000, TEBD_MAX_N=128, TEBD_MAX_CHI=1024, TEBD_MAX_STEPS=2_000_000,
              MAX_CHAIN_N=100_000, HAMILTONIAN_MAX_N=18, MAX_GRID=100_000, MAX_RESAMPLES=1_000_000,
              MAX_ARRAY_BYTES=8 * 2**30, MAX_WORKERS=256)


def limit(name: str) -> int:
    """The limit ``name`` of :data:`LIMITS`, or its override from the environment variable ``MBL_OPEN_<name>``."""
    if not isinstance(name, str) or name not in LIMITS:
        raise ValueError(f"name must be one of the limits {sorted(LIMITS)}, got {name!r}")
    raw = os.environ.get(f"MBL_OPEN_{name}")
    if raw is None:
        return LIMITS[name]
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"MBL_OPEN_{name} must be a positive integer, got {raw!r}") from None
    if value < 1:
        raise ValueError(f"MBL_OPEN_{name} must be a positive integer, got {value}")
    return value
