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
``EXACT_MAX_REALISATIONS``
    Realisations of one ensemble of exact solves (``exact_curves``,
    ``hydro_survey``): each realisation solves every ``eps`` exactly, about
    0.2 s at N = 4 with two ``eps`` and 4 s at N = 7 with five on one core, so
    the limit keeps the shortest calls to minutes.
``MAX_CHAIN_N``
    Sites of a disorder draw or a list of jump operators.
``HAMILTONIAN_MAX_N``
    Sites of the sparse many-body Hamiltonian (``2**N`` states).
``MAX_GRID``
    Points of a fit grid (thermometry).
``MAX_RESAMPLES``
    Bootstrap resamples.
``MAX_ARRAY_BYTES``
    Bytes of the arrays of one computation: a network ensemble (its disorder
    draws and what the solvers derive from them), the resample indices of a
    bootstrap.
``MAX_WORKERS``
    Local worker processes of one sweep.
"""
from __future__ import annotations

import os

__all__ = ["available_memory", "LIMITS", "check_count", "limit"]

LIMITS = dict(MAX_TASKS=1_000_000, TEBD_MAX_N=128, TEBD_MAX_CHI=1024, TEBD_MAX_STEPS=2_000_000,
              EXACT_MAX_REALISATIONS=1_000, MAX_CHAIN_N=100_000, HAMILTONIAN_MAX_N=18, MAX_GRID=100_000,
              MAX_RESAMPLES=1_000_000, MAX_ARRAY_BYTES=8 * 2**30, MAX_WORKERS=256)


def check_count(name: str, value: int, limit_name: str, what: str) -> int:
    """Refuse a count ``value`` above the limit ``limit_name``, saying what it costs and how to raise the limit.

    Parameters
    ----------
    name : str
        The parameter's name, for the message.
    value : int
        Already an ``int`` (:func:`~mbl_open.infrastructure._validate.check_int`).
    limit_name : str
        A key of :data:`LIMITS`.
    what : str
        What one unit of the count costs, for the message.

    Returns
    -------
    int
        ``value``.
    """
    high = limit(limit_name)
    if value > high:
        raise ValueError(f"{name} must be <= {high} (the limit {limit_name}; {what}), got {value}; use fewer, or "
                         f"raise the limit with the environment variable MBL_OPEN_{limit_name}")
    return value


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


def available_memory() -> float:
    """Bytes of memory the machine can give a new process now (``MemAvailable``; the total where unknown)."""
    try:
        import psutil

        return float(psutil.virtual_memory().available)
    except ImportError:  # pragma: no cover - psutil comes with the requirements
        try:
            with open("/proc/meminfo") as fh:
                for line in fh:
                    if line.startswith("MemAvailable:"):
                        return float(line.split()[1]) * 1024
        except OSError:
            pass
        return float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
