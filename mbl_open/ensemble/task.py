"""The work of one task: a disorder realisation solved for the whole ``eps`` ladder.

The physics is :func:`~mbl_open.lindblad.realisation.solve_realisation`; this
module adds what a store needs (provenance, timing, a JSON-ready payload).

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
import scipy.linalg as la

from ..infrastructure._threads import single_threaded_blas
from ..lindblad.model import hamiltonian
from ..lindblad.rate_equation import rate_equation_from_spectrum
from ..lindblad.model import Chain
from ..lindblad.realisation import solve_realisation, thermal_reference_of
from ..lindblad.thermometry import fit_betas, reference_from_spectrum, thermometry_options
from ..lindblad.relaxation import relax_realisation
from .config import Task

__all__ = ["run_task", "level_spacings", "package_commit", "running_commit"]


def package_commit() -> str:
    """Git commit of the ``mbl_open`` checkout now (``'unknown'`` outside a git work tree)."""
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


#: The commit of the code this process runs: read once, when the process first asks (a worker asks
#: at its start, see :func:`running_commit`), so a checkout that moves on during a long sweep does not
#: relabel what the process had already imported.
_RUNNING_COMMIT = None


def running_commit() -> str:
    """:func:`package_commit` as it was when this process first called this (the code it imported)."""
    global _RUNNING_COMMIT
    if _RUNNING_COMMIT is None:
        _RUNNING_COMMIT = package_commit()
    return _RUNNING_COMMIT


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


def level_spacings(energies, populations) -> dict:
    """Many-body level spacings of one chain: where the ``eps -> 0`` limit applies.

    The rate equation holds while ``eps`` is small against the spacing of the
    levels the steady state occupies (coherences are ``O(eps / (E_n - E_m))``).

    Returns
    -------
    dict
        ``min_gap``; ``mean_gap`` (bandwidth over ``2**N - 1``); ``median_gap``;
        ``weighted_gap``, the local spacing ``(E_{n+1} - E_{n-1}) / 2`` averaged
        with the steady state's populations ``p_n``.
    """
    E = np.sort(np.asarray(energies, dtype=float))
    gaps = np.diff(E)
    local = np.empty_like(E)
    local[1:-1] = (E[2:] - E[:-2]) / 2
    local[0], local[-1] = gaps[0], gaps[-1]
    p = np.asarray(populations, dtype=float)[np.argsort(energies)]
    return dict(min_gap=float(gaps.min()), mean_gap=float((E[-1] - E[0]) / (E.size - 1)),
                median_gap=float(np.median(gaps)), weighted_gap=float(np.sum(p * local)))


def _limit_payload(task: Task, chain) -> dict:
    """The rate-equation limit of one chain and its fitted temperatures (``method: limit``: no ladder)."""
    E, V = la.eigh(hamiltonian(chain).toarray())  # once, for the limit and the exact thermometer
    limit = rate_equation_from_spectrum(E, V, chain.jumps(task.sign))
    options = thermometry_options(**task.thermometry)
    if options["method"] == "purification":
        reference = thermal_reference_of(chain, task.thermometry)
    else:  # 'auto' is exact at the rate equation's sizes
        reference = reference_from_spectrum(E, V, beta_max=options["beta_max"])
    del V
    rdms = limit.rdms()
    return dict(eps=[], betas=[], betas_eps0=_floats(fit_betas(rdms, reference)), rdms=dict(re=[], im=[]),
                rdms_eps0=dict(re=rdms.real.tolist(), im=rdms.imag.tolist()),
                thermometry=dict(method=reference.method, beta_range=list(map(float, reference.beta_range))),
                diagnostics=[], level_spacings=level_spacings(limit.energies, limit.populations))


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
        ``mbl_open_version``, ``commit``; for a relaxation task
        (``task.relaxation``) also ``relaxation``, per eps the
        ``order_parameter`` rows ``(eps t, dbeta/beta)`` and the solver's
        ``history`` rows ``(eps t, max |d rho| / d(eps t))``.  ``cpu_time`` and ``wall_time`` are
        those of this call: a task resumed from checkpoints counts only the
        resumed part (the TEBD stages' own ``wall_time`` in ``diagnostics``
        sums all sessions).
    """
    from .. import __version__

    started, cpu0, wall0 = _now(), time.process_time(), time.perf_counter()
    commit = running_commit()
    chain = Chain.draw(task.N, task.h, task.r, seed=task.seed[0])
    if chain.seed != tuple(task.seed):
        raise ValueError(f"task {task.name}: seed {task.seed} does not follow the seeding rule {chain.seed}")
    if task.method == "limit":
        return dict(_limit_payload(task, chain), task=task.to_dict(), zeta_z=chain.zeta_z.tolist(),
                    zeta_x=chain.zeta_x.tolist(), cpu_time=time.process_time() - cpu0,
                    wall_time=time.perf_counter() - wall0, started=started, finished=_now(), host=platform.node(),
                    pid=os.getpid(), mbl_open_version=__version__, commit=commit)
    checkpoint = checkpoint_dir if task.method == "tebd" else None
    if task.relaxation:
        res = relax_realisation(chain, task.eps, options=task.options, chi=task.chi, sign=task.sign,
                                thermometry=task.thermometry, checkpoint=checkpoint)
    else:
        res = solve_realisation(chain, task.eps, method=task.method, options=task.options, chi=task.chi,
                                sign=task.sign, thermometry=task.thermometry, rate_equation=task.rate_equation,
                                checkpoint=checkpoint)
    states, reference, rdms = res.states, res.reference, res.rdms
    extra = {}
    if task.relaxation:
        extra["relaxation"] = [dict(eps=float(r.eps), order_parameter=r.order_parameter.tolist(),
                                    history=r.history[:, :2].tolist()) for r in res.extra["relaxation"]]
    return dict(
        task=task.to_dict(),
        zeta_z=chain.zeta_z.tolist(),
        zeta_x=chain.zeta_x.tolist(),
        eps=[float(s.params["eps"]) for s in states],
        betas=[_floats(b) for b in res.betas],
        betas_eps0=None if res.betas_eps0 is None else _floats(res.betas_eps0),
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
        commit=commit,
        **extra,
    )
