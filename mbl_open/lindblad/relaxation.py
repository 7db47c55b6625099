"""Relaxation to the steady state and its rate (paper Fig. 9).

Started at infinite temperature, the state of paper Eq. 7 relaxes
exponentially at a rate proportional to ``eps``; plotted against ``eps t``,
runs at different ``eps`` collapse.  The rate is read from the TEBD solver's
own record, the largest change of any two-site RDM entry per unit ``eps t``
after every measurement block
(:attr:`~mbl_open.lindblad.tebd.TEBDDiagnostics.history`): a maximum over the
whole state, it decays with the slowest relaxing mode, which is what sets the
cost of a run.  The order parameter ``O(t) = dbeta/beta(t)``, the quantity of
paper Fig. 9, is recorded alongside (:func:`relax`); it can have little weight
in the slowest mode, so its own decay is not used for the rate.

:func:`relax_realisation` relaxes one chain at every ``eps`` of a ladder, each
from infinite temperature: what a sweep with ``relaxation: true`` computes
(paper Fig. 9 at the paper's ``N = 20``).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..infrastructure._validate import check_path, check_real, check_real_array
from ..numerics.fits import ExponentialFit, fit_exponential_decay
from ..infrastructure.results import atomic_write_bytes
from .model import Chain, check_chain
from .options import TEBDOptions, solver_options
from .realisation import Realisation, thermal_reference_of
from .steady import SteadyState, check_ladder, solve_steady_state
from .thermometry import ThermalReference, dbeta_over_beta, fit_betas

__all__ = ["Relaxation", "RateCollapse", "history_rate", "rate_collapse", "relax", "relax_realisation"]

#: File, inside a run's checkpoint directory, that keeps the recorded O(t) across an interruption.
TRACE_FILE = "order_parameter.json"

#: Changes per unit ``eps t`` at or below this size are never fitted (round-off and truncation noise).
HISTORY_FLOOR = 1e-5


def history_rate(history, *, eps_t_min: float = 1.0, floor: float | None = None) -> ExponentialFit:
    """Decay rate, in units of ``eps``, of a TEBD run's RDM changes per unit ``eps t``.

    Parameters
    ----------
    history : array_like, shape (n, >= 2)
        ``(eps t, max |d rho| / d(eps t) >= 0, ...)`` per block, as in
        :attr:`~mbl_open.lindblad.tebd.TEBDDiagnostics.history`.
    eps_t_min : float
        Skip the initial transient before this ``eps t``.
    floor : float, optional
        Skip changes at or below this size.  By default the run's own noise
        floor: three times the median change over its last quarter, and at
        least :data:`HISTORY_FLOOR`.  A truncated run (small ``chi``) stops
        decaying at its truncation floor, and points on that floor would
        flatten the fit.

    Returns
    -------
    ExponentialFit
        ``rate`` is ``nan`` when fewer than four points lie above the floor.
    """
    h = _two_columns("history", history)
    if np.any(h[:, 1] < 0):
        raise ValueError(f"history[:, 1] must be >= 0 (the size of the change per unit eps t), found "
                         f"{h[h[:, 1] < 0, 1][0]:g}")
    if floor is None:
        tail = h[-max(len(h) // 4, 1):, 1]
        floor = max(HISTORY_FLOOR, 3.0 * float(np.median(tail)))
    floor = check_real("floor", floor, low=0.0)
    eps_t_min = check_real("eps_t_min", eps_t_min, low=0.0)
    return fit_exponential_decay(h[:, 0], h[:, 1], t_min=eps_t_min, y_min=floor)


@dataclass
class Relaxation:
    """One TEBD run from infinite temperature to the steady state (:func:`relax`).

    Attributes
    ----------
    eps : float
    order_parameter : ndarray, shape (n_blocks, 2)
        ``(eps t, dbeta/beta)`` after every measurement block; the last row is
        the steady value.
    history : ndarray, shape (n_blocks, >= 2)
        The solver's record, ``(eps t, max |d rho| / d(eps t), ...)``.
    fit : ExponentialFit
        :func:`history_rate` of ``history``.
    state : SteadyState or None
        The steady state the run ended in (``None`` for a record read back
        from a dataset).
    """

    eps: float
    order_parameter: np.ndarray
    history: np.ndarray
    fit: ExponentialFit
    state: SteadyState | None = field(default=None, repr=False)

    @property
    def rate(self) -> float:
        """Relaxation rate in units of ``eps``."""
        return self.fit.rate


def relax(chain: Chain, eps: float, reference: ThermalReference, *, options=None, chi: int = 32, sign: str = "-+",
          checkpoint=None) -> Relaxation:
    """Relax one chain from infinite temperature, recording ``dbeta/beta`` and the RDM changes.

    Parameters
    ----------
    chain : Chain
    eps : float
        Bath coupling.
    reference : ThermalReference
        Thermometer of this chain (:func:`~mbl_open.lindblad.thermometry.thermal_reference`).
    chi : int
        Bond dimension.
    sign : {'-+', 'literal', '+-'}
        Reading of paper Eq. 8.
    options : TEBDOptions or str, optional
        TEBD options of one stage (the default ``'fast'`` solver has one; with
        ``richardson=True`` the run is refused).
    checkpoint : path-like, optional
        Directory: an interrupted run resumes there, and the ``O(t)`` recorded
        so far is kept beside the solver's checkpoint (:data:`TRACE_FILE`), so
        the record has no gap.

    Returns
    -------
    Relaxation
    """
    check_chain(chain)
    if not isinstance(reference, ThermalReference):
        raise TypeError(f"reference must be a ThermalReference, got {type(reference).__name__}")
    if reference.N != chain.N:
        raise ValueError(f"reference is for N = {reference.N}, the chain has N = {chain.N}")
    options = _one_stage(options)
    trace_file = None
    if checkpoint is not None:
        trace_file = check_path("checkpoint", checkpoint, directory=True) / TRACE_FILE
    trace = _read_trace(trace_file)

    def observe(eps_t, rdms):
        while trace and trace[-1][0] >= eps_t - 1e-9:  # recorded after the checkpoint the run resumed from
            trace.pop()
        trace.append((float(eps_t), float(dbeta_over_beta(fit_betas(rdms, reference)))))
        if trace_file is not None:
            atomic_write_bytes(trace_file, json.dumps(trace).encode())

    state = solve_steady_state(chain, eps, method="tebd", options=options, chi=chi, sign=sign,
                               checkpoint=checkpoint, observer=observe)
    history = np.array(state.diagnostics[0].history, dtype=float)
    return Relaxation(eps=float(state.params["eps"]), order_parameter=np.array(trace, dtype=float),
                      history=history, fit=history_rate(history), state=state)


@dataclass(frozen=True)
class RateCollapse:
    """How well relaxation records at several ``eps`` collapse against ``eps t`` (:func:`rate_collapse`).

    Attributes
    ----------
    rates : ndarray
        Decay rate of each record in units of ``eps``, in the order given.
    spread : float
        ``(max - min) / mean`` of ``rates``; 0 for a perfect collapse.
    late_deviation : float
        Largest ``|O(t) - O(t_f)|`` of any record at ``eps t >= eps_t_late``.
    """

    rates: np.ndarray
    spread: float
    late_deviation: float


def rate_collapse(runs, *, eps_t_late: float = 5.0) -> RateCollapse:
    """Compare the decay rates of relaxation records, in units of ``eps`` (paper Fig. 9).

    Parameters
    ----------
    runs : dict
        ``eps -> Relaxation`` (:func:`relax`, or
        :meth:`~mbl_open.ensemble.dataset.Ensemble.relaxations`), each with a
        fitted rate (a record too short to fit one has ``rate = nan``: leave it out).
    eps_t_late : float
        From this ``eps t`` on, the records' distance to their final value is
        reported; at most the end of the shortest record.
    """
    if not isinstance(runs, dict) or not runs:
        raise TypeError(f"runs must be a non-empty dict eps -> Relaxation, got {runs!r:.80}")
    for eps, run in runs.items():
        if not isinstance(run, Relaxation):
            raise TypeError(f"runs[{eps!r}] must be a Relaxation, got {type(run).__name__}")
        shape = np.shape(run.order_parameter)
        if len(shape) != 2 or shape[0] < 1 or shape[1] != 2:
            raise ValueError(f"runs[{eps!r}].order_parameter must have shape (n >= 1, 2): (eps t, dbeta/beta) per "
                             f"block, got shape {shape}")
        if not np.isfinite(run.rate):
            raise ValueError(f"runs[{eps!r}] must have a finite decay rate, got rate = {run.rate} (history_rate "
                             "fits none to a record with too few changes above its noise floor): leave it out")
    ends = [float(r.order_parameter[-1, 0]) for r in runs.values()]
    eps_t_late = check_real("eps_t_late", eps_t_late, low=0.0, high=min(ends))  # every record reaches it
    rates = np.array([r.rate for r in runs.values()], dtype=float)
    late = [np.abs(c[c[:, 0] >= eps_t_late, 1] - c[-1, 1]).max() for c in (r.order_parameter for r in runs.values())]
    return RateCollapse(rates=rates, spread=float(np.ptp(rates) / np.mean(rates)), late_deviation=float(max(late)))


def _read_trace(path: Path | None) -> list:
    if path is None or not path.is_file():
        return []
    try:
        rows = json.loads(path.read_text())
    except (OSError, ValueError):  # written atomically, so only a foreign file gets here
        raise ValueError(f"{path} is not a relaxation record written by relax; remove it to start the run "
                         "again") from None
    return [(float(t), float(o)) for t, o in rows]


def _one_stage(options) -> TEBDOptions:
    """TEBD options of one stage: a relaxation record must come from one time step."""
    options = solver_options("tebd", options)
    if options.richardson:  # refused before the run
        raise ValueError("a relaxation records one TEBD stage; pass options with richardson=False")
    return options


def relax_realisation(chain: Chain, eps, *, options=None, chi: int = 32, sign: str = "-+",
                      thermometry: dict | None = None, checkpoint=None) -> Realisation:
    """Relax one chain from infinite temperature at every ``eps`` of a ladder (paper Fig. 9).

    Unlike :func:`~mbl_open.lindblad.realisation.solve_realisation`, no
    ``eps`` is warm-started from another: every run starts from ``1 / 2**N``,
    so each records the whole approach to its steady state.

    Parameters
    ----------
    chain : Chain
    eps : sequence of float
        Bath couplings, distinct; solved in decreasing order.
    chi : int
        TEBD bond dimension.
    sign : {'-+', 'literal', '+-'}
        Reading of paper Eq. 8.
    thermometry : dict, optional
        Options of :func:`~mbl_open.lindblad.thermometry.thermal_reference`.
    checkpoint : path-like, optional
        Directory (created if missing; refused if it is a file); each ``eps``
        checkpoints in its own subdirectory.
    options : TEBDOptions or str, optional
        TEBD options of one stage (as for :func:`relax`).

    Returns
    -------
    Realisation
        ``states`` and ``betas`` of the final states, and
        ``extra['relaxation']``, one :class:`Relaxation` per ``eps``.
    """
    chain = check_chain(chain)
    eps = check_ladder(eps)
    if checkpoint is not None:
        checkpoint = check_path("checkpoint", checkpoint, directory=True)
    options = _one_stage(options)
    reference = thermal_reference_of(chain, thermometry)  # before the expensive runs
    runs = [relax(chain, e, reference, options=options, chi=chi, sign=sign,
                  checkpoint=None if checkpoint is None else checkpoint / f"eps{e:.6g}")
            for e in eps]
    states = [r.state for r in runs]
    return Realisation(chain=chain, eps=np.array(eps, dtype=float), states=states, reference=reference,
                       betas=np.array([fit_betas(s.rdms, reference) for s in states]),
                       extra={"relaxation": runs})


def _two_columns(name, values) -> np.ndarray:
    a = check_real_array(name, values, ndim=2)
    if a.shape[1] < 2 or a.shape[0] < 2:
        raise ValueError(f"{name} must have shape (n >= 2, >= 2): eps t and the recorded value, got {a.shape}")
    return a
