"""The work of one task: a disorder realisation solved for the whole ``eps`` ladder.

:func:`run_task` is what a worker process (local or Dask) executes.  It is a
plain function of a :class:`~mbl_open.ensemble.config.Task` (picklable, no
global state) and returns a JSON-ready payload that the store writes.
"""
from __future__ import annotations

import datetime as _dt
import os
import platform
import subprocess
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np

from .._threads import single_threaded_blas
from ..lindblad.model import draw_fields, paper_jumps
from ..lindblad.rate_equation import rate_equation_steady_state
from ..lindblad.steady import solve_steady_state, tebd_ladder
from ..lindblad.thermometry import fit_betas, thermal_reference
from .config import Task

__all__ = ["run_task", "package_commit"]


def package_commit() -> str:
    """Git commit of the ``mbl_open`` checkout (``'unknown'`` outside a git work tree)."""
    here = Path(__file__).resolve().parent
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    if out.returncode != 0:
        return "unknown"
    commit = out.stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "."], cwd=here.parent, capture_output=True,
                           text=True, timeout=10).stdout.strip()
    return commit + ("+dirty" if dirty else "")


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def _floats(x) -> list:
    """JSON-ready list; ``None`` for a failed fit (``nan``)."""
    return [None if not np.isfinite(v) else float(v) for v in x]


def _diag_dict(d) -> dict:
    out = asdict(d) if not isinstance(d, dict) else dict(d)
    out.pop("history", None)  # per-block rates: large, and only needed for relaxation plots
    return {k: (float(v) if isinstance(v, (np.floating, np.integer)) and not isinstance(v, bool) else v)
            for k, v in out.items()}


@single_threaded_blas
def run_task(task: Task, *, checkpoint_dir=None) -> dict:
    """Solve one realisation for every ``eps`` of the ladder and fit its local temperatures.

    Parameters
    ----------
    task : Task
    checkpoint_dir : path-like, optional
        TEBD checkpoints (one subdirectory per ``eps``); a task killed
        mid-ladder resumes from there.

    Returns
    -------
    dict
        ``task`` (its parameters), ``zeta_z``, ``zeta_x``, ``eps``,
        ``betas`` (one list of N-1 per eps; ``None`` where a fit hit the edge of
        the beta range), ``betas_eps0`` (the rate-equation limit, or ``None``), ``rdms`` (``re`` and ``im`` parts, shape
        ``(n_eps, N-1, 4, 4)``), ``diagnostics`` (per eps, per stage),
        ``cpu_time``, ``wall_time``, ``started``, ``finished``, ``host``,
        ``mbl_open_version``, ``commit``.  ``cpu_time`` and ``wall_time`` are
        those of this call: a task resumed from checkpoints counts only the
        resumed part (the TEBD stages' own ``wall_time`` in ``diagnostics``
        sums all sessions).
    """
    from .. import __version__

    started, cpu0, wall0 = _now(), time.process_time(), time.perf_counter()
    N, h = task.N, task.h
    zeta_z, zeta_x = draw_fields(N, task.seed)
    solver = dict(task.solver)
    if task.method == "tebd":
        solver["solver"] = "reference"  # task.solver holds the options that differ from the reference solver's
        states = tebd_ladder(N, h, task.eps, zeta_z, zeta_x, chi=task.chi, sign=task.sign,
                             checkpoint=checkpoint_dir, **solver)
    else:
        states = [solve_steady_state(N, h, eps, zeta_z, zeta_x, method="exact", sign=task.sign, **solver)
                  for eps in task.eps]
    reference = thermal_reference(N, h, zeta_z, zeta_x, **task.thermometry)
    rdms = np.array([s.rdms for s in states])
    betas = [fit_betas(r, reference) for r in rdms]
    betas_eps0 = None
    if task.rate_equation:
        limit = rate_equation_steady_state(N, h, zeta_z, zeta_x, paper_jumps(N, task.sign))
        betas_eps0 = fit_betas(limit.rdms(), reference)
    return dict(
        task=task.to_dict(),
        zeta_z=zeta_z.tolist(),
        zeta_x=zeta_x.tolist(),
        eps=[float(s.params["eps"]) for s in states],
        betas=[_floats(b) for b in betas],
        betas_eps0=None if betas_eps0 is None else _floats(betas_eps0),
        rdms=dict(re=rdms.real.tolist(), im=rdms.imag.tolist()),
        thermometry=dict(method=reference.method, beta_range=list(map(float, reference.beta_range))),
        diagnostics=[[_diag_dict(d) for d in s.diagnostics] for s in states],
        cpu_time=time.process_time() - cpu0,
        wall_time=time.perf_counter() - wall0,
        started=started,
        finished=_now(),
        host=platform.node(),
        pid=os.getpid(),
        mbl_open_version=__version__,
        commit=package_commit(),
    )
