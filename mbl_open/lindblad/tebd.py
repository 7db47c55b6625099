"""Steady state of paper Eq. 7 by TEBD on the vectorised density matrix, with TeNPy.

Vectorisation
-------------
``rho = sum c_{a_1...a_N} P_{a_1} (x) ... (x) P_{a_N}`` with the real Pauli
basis of :mod:`~mbl_open.lindblad.spins`; the coefficient tensor ``c`` is an
MPS with physical dimension 4.  The generator splits into bond pieces
``L = sum_b L_b`` (:func:`~mbl_open.lindblad.liouvillian.bond_liouvillians`),
real 16 x 16 matrices, so every gate ``exp(dt L_b)`` is real and the MPS stays
real.  The model handed to TeNPy is a :class:`~tenpy.models.model.NearestNeighborModel`
with ``H_bond = 1j * L_b``, for which TeNPy's ``exp(-i dt H_bond)`` *is*
``exp(dt L_b)``; :class:`LindbladTEBDEngine` only overrides the gate
construction to return that exponential as a real array.

Measurements
------------
``MPS.expectation_value`` would compute ``<<rho| O |rho>>``, quadratic in
``rho`` and wrong here.  Physical expectation values are linear,
``Tr(O rho) / Tr(rho)``: the overlap with the vectorised identity, a product
state with ``(sqrt 2, 0, 0, 0)`` on every site.  :func:`rdms_from_mps`
contracts left and right identity environments once and returns every
two-site reduced density matrix in one sweep.  Non-unitary gates leave the
represented state exact up to truncation but spoil the canonical form that
truncation relies on, so the state is re-canonicalised before each
measurement.  Exact gates conserve the trace; its drift measures the
truncation error.

Weighted local basis
--------------------
Truncation keeps the Schmidt vectors that matter most in the Hilbert-Schmidt
norm of the coefficients, which weighs a Pauli string across the whole chain as
much as a two-site one.  The state is stored in the rescaled coordinates
``c'_a = w_a c_a`` with ``w = (identity_weight, 1, 1, 1)`` on every site (gates
``D L_b D^-1``, exact), so that each non-identity factor costs a factor
``1/identity_weight`` in the truncation norm: few-body content, which the
two-site RDMs need, is kept preferentially.  Measured at N = 8, chi = 64, h = 1,
eps = 0.1, dt = 0.1 (error of the RDMs against exact, Trotter error included):
2.3e-4 for weight 1, 1.7e-4 for 2, 2.0e-4 for 4, 3.6e-4 for 8; the trace drift
fell from 1e-3 to 1e-6.  The default is 2.

Stopping rule
-------------
The evolution runs in blocks of ``check_every`` in units of ``eps t`` (the
relaxation rate is proportional to ``eps``, paper Fig. 9).  After each block
all two-site RDMs are measured; the run stops when the largest entry change per
unit ``eps t`` falls below ``tol``.

At a bond dimension below the exact one, truncation keeps kicking the state:
the change rate decays exponentially and then levels off at a noise floor
(measured at N = 8, chi = 64: about 2e-4 per unit ``eps t``, with the RDMs
fluctuating by ~5e-5 around their mean).  The run therefore also stops when
the rate, below ``floor_tol``, has stopped decaying: the mean rate over the
last ``window`` (in ``eps t``) is at least ``_PLATEAU_RATIO = 0.8`` of that over
the window before (an exponential decay would have to be slower than 0.075 per
unit ``eps t`` to pass for a plateau over the default window of 3).  The returned RDMs are then the
average over the last window, which is stationary and so averages the
truncation noise down; :attr:`TEBDDiagnostics.noise_floor` records the level.

The window-drift rule (``drift_tol``, used by the ``'fast'`` solver) looks
at the means of the last two windows instead of single blocks: noise averages
down in a window mean, a relaxation drift does not, and the distance to the
fixed point is about ``drift / lambda`` with ``lambda`` the slowest relaxation
rate in units of ``eps``.  Measured at N = 8, chi = 64, h = 2, eps = 0.05 over
a run to ``eps t = 20`` (window 1): the drift falls from 3.8e-4 at
``eps t = 6`` (window mean 2.3e-4 from exact) to 2-4e-5 on the noise floor from
``eps t = 8`` on (window means 7-10e-5 from exact, the truncation bias), where
the plateau rule with its default window of 3 stopped at ``eps t = 10.5``.  On
a warm-started ``eps`` the drift rule can stop after two windows, where the
plateau rule needs two windows of 3.

No rule stops a run before ``eps t = min_eps_t``.

The exponential-tail rule (``tail_tol``, used by the ``'fast'`` solver) turns
the drift into a distance.  The approach to the fixed point is a sum of
decaying modes (paper Fig. 9); once the slowest dominates, successive window
means approach it geometrically, ``m_k = rho + A r**k``.  From the last three
window means, ``r`` is the least-squares ratio of the successive changes, the
remaining distance is ``|m_k - m_(k-1)| r / (1 - r)`` (plus the misfit of the
geometric model, divided by ``1 - r``), and the run stops when that is below
``tail_tol`` and returns ``m_k`` plus the tail.  A slow decay
(small ``lambda``, strong disorder) therefore runs longer than under the drift
rule, a fast one stops earlier.  The estimate is read conservatively: a ratio
above ``_TAIL_MAX_RATIO`` counts as "not yet decaying", and a non-positive
ratio (noise, or a mean that turns round) counts the larger of the last two
changes as the distance.  ``benchmarks/bench_steady_speed.py`` records the
errors and times it gives against the exact solver and the reference solver.

Levers of the fast solver
-------------------------
``benchmarks/bench_steady_speed.py --part levers`` changes one option of the
``'fast'`` solver at a time (engine, ``dt``, stopping rule, window) on one
N = 8 chain at weak and strong disorder and records the largest two-site-RDM
error against the exact solver and the wall time of each variant in
``benchmarks/results_steady_speed.jsonl``.  What the records show: the QR
engine is as accurate as the SVD one with the Lindblad gates (the
canonical-form shortcut they share is restored by the re-canonicalisation
before each measurement) and faster; a smaller ``dt`` only pays at strong
disorder; the drift rule stops a slow strong-disorder relaxation too early; a
shorter window lets the plateau rule stop before the state has relaxed; at
the smallest ``eps`` every variant sits on the truncation floor of its ``chi``.

Truncation bias
---------------
The steady state of a truncated evolution is the fixed point of "evolve for a
step, truncate to chi", not the exact steady state compressed to chi (a reading
consistent with the records cited below: the truncation keeps removing many-body
strings that, in the exact evolution, partly flow back into the few-body ones;
the floor drops as the time between truncations grows). Its effect on the RDMs
is divided by a relaxation rate ``~ eps``, so it is largest at weak coupling.
Two numerical experiments measure it on one N = 8 chain at weak disorder:
``experiments/steady_state_compression.py`` (the exact steady state compressed
to ``chi`` is orders of magnitude closer than the TEBD fixed point) and
``experiments/projected_dynamics_floor.py`` (exact evolution truncated every
``dt`` has the same floor down to small ``dt``, the limit that a tangent-space
flow such as TDVP shares), with records in ``experiments/results_floor.jsonl``.
So no gate order, time step or identity weight removes it; a larger ``chi``
does. Check convergence in ``chi`` at the smallest ``eps`` you use.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import scipy.linalg as la

from ..infrastructure._threads import single_threaded_blas
from ..infrastructure._validate import check_int, check_real
from ..infrastructure.limits import limit
from ..infrastructure.progress import progress
from .options import TEBDOptions, solver_options
from .spins import operator_from_pauli

__all__ = [
    "TEBDDiagnostics",
    "TEBDSteadyState",
    "pauli_site",
    "LindbladChainModel",
    "LindbladTEBDEngine",
    "infinite_temperature_mps",
    "rdms_from_mps",
    "evolve_to_steady_state",
    "TEBD_MAX_EPS",
]

_LABELS = ("0", "x", "y", "z")

#: A window whose mean change rate is at least this fraction of the previous one's counts as a plateau.
_PLATEAU_RATIO = 0.8


def pauli_site():
    """A TeNPy site with the 4-dimensional Pauli operator basis as its local states."""
    from tenpy.linalg.charges import LegCharge
    from tenpy.networks.site import Site

    return Site(LegCharge.from_trivial(4), state_labels=list(_LABELS))


def _lindblad_model_class():
    from tenpy.models.lattice import Chain
    from tenpy.models.model import NearestNeighborModel
    import tenpy.linalg.np_conserved as npc

    class LindbladChainModel(NearestNeighborModel):
        """The vectorised Lindblad generator as a TeNPy nearest-neighbour model.

        Parameters
        ----------
        L_bonds : ndarray, shape (N-1, 16, 16)
            Real bond generators from :func:`~mbl_open.lindblad.liouvillian.bond_liouvillians`.

        Attributes
        ----------
        H_bond : list
            ``[None] + [1j * L_b]`` as TeNPy arrays with legs ``p0, p0*, p1, p1*``
            (``H_bond[i]`` acts on sites ``i-1, i``; ``None`` on the open end).
        L_bond : list
            ``[None] + [L_b]`` as real ndarrays (16 x 16).
        """

        def __init__(self, L_bonds):
            site = pauli_site()
            N = len(L_bonds) + 1
            lattice = Chain(N, site, bc="open", bc_MPS="finite")
            leg = site.leg
            H_bond = [None]
            for Lb in L_bonds:
                arr = (1j * Lb).reshape(4, 4, 4, 4).transpose(0, 2, 1, 3)
                H_bond.append(npc.Array.from_ndarray(arr, [leg, leg.conj(), leg, leg.conj()],
                                                     labels=["p0", "p0*", "p1", "p1*"]))
            self.L_bond = [None] + [np.asarray(Lb, dtype=float) for Lb in L_bonds]
            NearestNeighborModel.__init__(self, lattice, H_bond)

    return LindbladChainModel


def _lindblad_engine_class(engine="svd"):
    from tenpy.algorithms.tebd import QRBasedTEBDEngine, TEBDEngine
    import tenpy.linalg.np_conserved as npc

    base = {"svd": TEBDEngine, "qr": QRBasedTEBDEngine}[engine]

    class LindbladTEBDEngine(base):
        """TEBD with the real gates ``exp(dt L_b)`` (TeNPy's ``exp(-i dt H_bond)``, made real)."""

        def prepare_evolve(self, dt):
            with warnings.catch_warnings():  # TeNPy types 'order' as int, but its own '4_opt' is a str
                warnings.filterwarnings("ignore", message='Invalid type for key "order"')
                return super().prepare_evolve(dt)

        def _calc_U_bond(self, i_bond, dt, type_evo, E_offset):
            Lb = self.model.L_bond[i_bond]
            if Lb is None:
                return None
            if type_evo != "real" or E_offset is not None:
                raise ValueError("the Lindblad engine only supports real-time evolution without energy offset")
            leg = self.psi.sites[i_bond].leg
            U = la.expm(float(dt) * Lb).reshape(4, 4, 4, 4)
            return npc.Array.from_ndarray(U, [leg, leg, leg.conj(), leg.conj()], labels=["p0", "p1", "p0*", "p1*"])

    return LindbladTEBDEngine


def __getattr__(name):  # TeNPy is imported lazily: it is slow to import
    if name == "LindbladChainModel":
        return _lindblad_model_class()
    if name == "LindbladTEBDEngine":
        return _lindblad_engine_class()
    raise AttributeError(name)


def infinite_temperature_mps(N: int, identity_weight: float = 1.0):
    """``rho = 1 / 2**N`` as a TeNPy MPS: the product state ``(1, 0, 0, 0)``.

    Its norm is ``(identity_weight / sqrt 2)**N`` (weighted coordinates, see the module docstring).
    """
    from tenpy.networks.mps import MPS

    N = check_int("N", N, low=2, high=limit("TEBD_MAX_N"))
    identity_weight = check_real("identity_weight", identity_weight, low=0.0, low_open=True)
    psi = MPS.from_product_state([pauli_site()] * N, ["0"] * N, bc="finite", dtype=np.float64, unit_cell_width=N)
    psi.norm = (identity_weight / np.sqrt(2.0)) ** N
    return psi


def rdms_from_mps(psi, identity_weight: float = 1.0, n_sites: int = 2) -> tuple[np.ndarray, float]:
    """Every reduced density matrix of ``n_sites`` consecutive spins of a vectorised ``rho``, in one sweep.

    For ``n_sites = 2``, ``rho^(i,i+1) = sum_{ab} T_ab P_a (x) P_b`` with
    ``T_ab = Tr((P_a (x) P_b) rho)``, obtained by contracting all other sites
    with the vectorised identity ``(sqrt 2, 0, 0, 0)``; the result is divided by
    ``Tr rho``.  ``identity_weight`` undoes the weighting of the stored coordinates.

    Returns
    -------
    rdms : ndarray, shape (N-k+1, 2**k, 2**k), complex
    trace : float
        ``Tr rho`` of the (unnormalised) represented state (mean over windows).
    """
    if not hasattr(psi, "get_B") or not hasattr(psi, "L"):
        raise TypeError(f"psi must be a TeNPy MPS of the vectorised density matrix, got {type(psi).__name__}")
    identity_weight = check_real("identity_weight", identity_weight, low=0.0, low_open=True)
    N = psi.L
    k = check_int("n_sites", n_sites, low=1, high=N)
    unweight = np.array([1.0 / identity_weight, 1.0, 1.0, 1.0])[None, :, None]
    Bs = [psi.get_B(i, "B").transpose(["vL", "p", "vR"]).to_ndarray() * unweight * (1.0 if i else psi.get_SL(0)[0])
          for i in range(N)]
    left = [np.ones(1)]
    for B in Bs[:-1]:
        left.append(np.sqrt(2.0) * (left[-1] @ B[:, 0, :]))
    right = [np.ones(1)]
    for B in Bs[:0:-1]:
        right.append(np.sqrt(2.0) * (B[:, 0, :] @ right[-1]))
    right = right[::-1]  # right[j] = environment of sites j+1 ... N-1 (right[N-1] = 1)
    T = []
    for i in range(N - k + 1):
        t = left[i]  # (vR,), grows to (a_i, ..., a_j, vR)
        for B in Bs[i:i + k]:
            t = np.tensordot(t, B, axes=(-1, 0))  # append one physical index
        T.append((t @ right[i + k - 1]).reshape(-1))
    T = np.array(T) * psi.norm
    traces = 2.0 ** (k / 2) * T[:, 0]
    trace = float(np.mean(traces))
    rdms = operator_from_pauli(T) / traces[:, None, None]
    return rdms, trace


@dataclass
class TEBDDiagnostics:
    """What one TEBD run did, recorded per run.

    Attributes
    ----------
    eps, chi, dt : float, int, float
        Solver parameters.
    time : float
        Time reached (``t``, not ``eps t``), counted from the infinite-temperature start.
    steps : int
        Second-order Trotter steps taken in this run.
    truncation_error : float
        Accumulated discarded weight (TeNPy ``TruncationError.eps``); the QR engine does not
        compute it (``compute_err=False``, the expensive part of its update), so it stays 0.
    trace_drift : float
        ``|Tr rho - 1|`` at the end (exact gates conserve the trace).
    max_chi : int
        Largest bond dimension reached.
    wall_time : float
        Seconds spent in this run (all resumed sessions summed).
    converged : bool
        Whether the stopping rule was met before ``max_eps_t``.
    change_rate : float
        Last measured ``max |d rho^(i,i+1)| / d(eps t)``.
    noise_floor : float
        What the rule that stopped the run measured: the mean change rate over
        the last window (plateau rule), the window drift (``drift_tol``) or the
        estimated distance (``tail_tol``); 0 when it met ``tol``.
    averaged_blocks : int
        Number of measurements averaged into the returned RDMs.
    tail_correction : float
        Largest entry of the exponential tail added to the returned RDMs by the
        tail rule (``tail_tol``; 0 otherwise).
    stopped_by : str
        The rule that stopped the run: ``'tol'``, ``'drift'``, ``'tail'``,
        ``'plateau'``, or ``''`` (not converged).
    history : list of (float, float)
        ``(eps t, change rate)`` after every block.
    """

    eps: float
    chi: int
    dt: float
    time: float = 0.0
    steps: int = 0
    truncation_error: float = 0.0
    trace_drift: float = 0.0
    max_chi: int = 1
    wall_time: float = 0.0
    converged: bool = False
    change_rate: float = float("inf")
    noise_floor: float = 0.0
    averaged_blocks: int = 1
    tail_correction: float = 0.0
    stopped_by: str = ""
    history: list = field(default_factory=list)


@dataclass
class TEBDSteadyState:
    """Result of :func:`evolve_to_steady_state`: the RDMs, the MPS and the diagnostics.

    ``rdms3`` holds the three-site RDMs, shape ``(N-2, 8, 8)``, averaged like
    ``rdms``, when the run was asked for them (``three_site=True``), else ``None``.
    """

    rdms: np.ndarray
    psi: object
    diagnostics: TEBDDiagnostics
    rdms3: np.ndarray | None = None


def _run_key(L_bonds, chi, dt, svd_min, identity_weight, order=2, engine="svd") -> str:
    h = hashlib.sha256(np.ascontiguousarray(L_bonds).tobytes())
    extra = [] if (order, engine) == (2, "svd") else [order, engine]
    h.update(json.dumps([chi, dt, svd_min, identity_weight] + extra).encode())
    return h.hexdigest()[:16]


def _stack(recent, like):
    return np.array(recent) if len(recent) else np.zeros((0,) + np.shape(like), dtype=np.asarray(like).dtype)


def _save_checkpoint(path: Path, run, key: str) -> None:
    """Everything the loop needs to continue exactly as if it had not stopped (the
    stopping rules' windows of recent RDMs included)."""
    from tenpy.tools import hdf5_io

    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp.h5")  # unique per process: two writers never share it
    data = {"psi": run.psi, "key": key, "rdms": run.rdms, "recent": _stack(run.recent, run.rdms),
            "diagnostics": json.dumps(asdict(run.diag))}
    if run.rdms3 is not None:
        data.update(rdms3=run.rdms3, recent3=_stack(run.recent3, run.rdms3))
    hdf5_io.save(data, str(tmp))
    os.replace(tmp, path)


def _load_checkpoint(path: Path, key: str):
    from tenpy.tools import hdf5_io

    if not path.exists():
        return None
    data = hdf5_io.load(str(path))
    if data.get("key") != key:
        raise ValueError(f"checkpoint {path} belongs to a different run (other model or solver options); "
                         "remove it or choose another checkpoint path")
    diag = TEBDDiagnostics(**json.loads(data["diagnostics"]))
    rdms3 = data.get("rdms3")
    recent3 = list(np.asarray(data["recent3"])) if rdms3 is not None else []
    return data["psi"], diag, data["rdms"], list(np.asarray(data.get("recent", []))), rdms3, recent3


def _window_drift(recent, n_window, block) -> float:
    """Largest entry change per unit ``eps t`` between the means of the last two windows of RDMs.

    Truncation noise (block-to-block kicks of the state) averages down in a
    window mean while a relaxation drift does not, so this measures the drift
    under the noise; the distance to the fixed point is about ``drift / lambda``
    with ``lambda`` the slowest relaxation rate in units of ``eps``.
    """
    last = np.mean(recent[-n_window:], axis=0)
    before = np.mean(recent[-2 * n_window:-n_window], axis=0)
    return float(np.max(np.abs(last - before))) / (n_window * block)


#: The tail rule needs a visible decay: a ratio of successive window-mean changes above this is "not yet decaying".
_TAIL_MAX_RATIO = 0.9


def _tail_fit(recent, n_window):
    """One decaying mode fitted to the means of the last three windows.

    With ``m_k = rho + A r**k`` the changes ``d_k = m_k - m_(k-1)`` are
    geometric, ``d_k = r d_(k-1)``; ``r`` is their least-squares ratio and the
    sum of the remaining changes is ``d_k r / (1 - r)``.  The misfit
    ``e = d_k - r d_(k-1)`` (several modes, noise) is added to the distance as
    ``max |e| / (1 - r)``, so that changes that are not geometric (for
    instance nearly orthogonal, ``r ~ 0``) do not pass for a converged tail.

    Returns
    -------
    ratio : float or None
        ``r``; ``None`` when it is not in ``(0, _TAIL_MAX_RATIO]`` (no decay to extrapolate).
    distance : float
        ``max |tail| + max |e| / (1 - r)``; when ``r <= 0`` (no decay visible: noise, or the state
        turning round) the larger of ``max |d_k|`` and ``max |d_(k-1)|``;
        ``inf`` for a decay too slow to tell.
    """
    m = [np.mean(recent[len(recent) - (j + 1) * n_window:len(recent) - j * n_window], axis=0) for j in (2, 1, 0)]
    d1, d2 = m[1] - m[0], m[2] - m[1]
    denom = float(np.vdot(d1, d1).real)
    r = float(np.vdot(d1, d2).real) / denom if denom > 0 else 0.0
    if r <= 0.0:
        return None, float(max(np.max(np.abs(d1)), np.max(np.abs(d2))))
    if r > _TAIL_MAX_RATIO:
        return None, float("inf")
    misfit = float(np.max(np.abs(d2 - r * d1)))
    return r, (float(np.max(np.abs(d2))) * r + misfit) / (1.0 - r)


def _engine_options(engine):
    """TeNPy options of the QR engine: a bond expansion large at small chi, so that chi can grow quickly
    from the product state (TeNPy warns when the expansion is too small), and no truncation-error bookkeeping."""
    if engine == "qr":
        return {"cbe_expand": 0.1, "cbe_expand_0": 0.5, "cbe_min_block_increase": 5, "compute_err": False}
    return {}


@dataclass
class _Run:
    """The state of one run that a checkpoint must carry: the MPS, the diagnostics and the
    measurements the stopping rules look back on (the last ``n_keep`` blocks)."""

    psi: object
    diag: TEBDDiagnostics
    rdms: np.ndarray
    recent: list
    rdms3: np.ndarray | None = None
    recent3: list = field(default_factory=list)

    def record(self, rdms, rdms3, n_keep):
        self.rdms = rdms
        self.recent = (self.recent + [rdms])[-n_keep:]
        if rdms3 is not None:
            self.rdms3 = rdms3
            self.recent3 = (self.recent3 + [rdms3])[-n_keep:]

    def settle(self, rule, n_window, floor, tail_ratio=None):
        """Stop on a stationary state: return the mean of the last window, plus the fitted
        exponential tail ``d_k r / (1 - r)`` when ``tail_ratio = r`` is given (:func:`_tail_fit`)."""
        self.diag.converged, self.diag.noise_floor, self.diag.stopped_by = True, float(floor), rule
        self.diag.averaged_blocks = n_window
        self.rdms = np.mean(self.recent[-n_window:], axis=0)
        if self.rdms3 is not None:
            self.rdms3 = np.mean(self.recent3[-n_window:], axis=0)
        if tail_ratio is not None:
            for name in ("rdms", "rdms3"):
                series = self.recent if name == "rdms" else self.recent3
                if getattr(self, name) is not None:
                    before = np.mean(series[-2 * n_window:-n_window], axis=0)
                    tail = (getattr(self, name) - before) * (tail_ratio / (1.0 - tail_ratio))
                    setattr(self, name, getattr(self, name) + tail)
                    if name == "rdms":
                        self.diag.tail_correction = float(np.max(np.abs(tail)))


def _stop(run: _Run, opts: TEBDOptions, eps, n_window, block) -> bool:
    """Apply the stopping rules after a measurement (module docstring); True when the run is done."""
    diag = run.diag
    early = eps * diag.time < opts.min_eps_t  # no rule stops a run before min_eps_t
    if not early and diag.change_rate < opts.tol:
        diag.converged, diag.stopped_by = True, "tol"
        return True
    if not early and opts.drift_tol is not None and len(run.recent) >= 2 * n_window:
        drift = _window_drift(run.recent, n_window, block)
        if drift < opts.drift_tol:
            run.settle("drift", n_window, drift)
            return True
    if not early and opts.tail_tol is not None and len(run.recent) == 3 * n_window:
        ratio, distance = _tail_fit(run.recent, n_window)
        if distance < opts.tail_tol:
            run.settle("tail", n_window, distance, ratio)
            return True
    rates = [r for _, r in diag.history]
    if not early and len(rates) >= 2 * n_window and len(run.recent) >= n_window:
        last, before = np.mean(rates[-n_window:]), np.mean(rates[-2 * n_window:-n_window])
        if max(rates[-n_window:]) < opts.floor_tol and last >= _PLATEAU_RATIO * before:
            run.settle("plateau", n_window, last)
            return True
    return False


def _measure(run: _Run, engine, opts: TEBDOptions, eps, n_block, n_keep):
    """Re-canonicalise, measure the RDMs and update the diagnostics after one block of steps."""
    psi, diag = run.psi, run.diag
    psi.canonical_form(renormalize=False)
    new, trace = rdms_from_mps(psi, opts.identity_weight)
    new3 = rdms_from_mps(psi, opts.identity_weight, 3)[0] if opts.three_site else None
    diag.time += n_block * opts.dt
    diag.steps += n_block
    diag.truncation_error += float(np.nan_to_num(engine.trunc_err.eps))  # NaN when the QR engine skips it
    engine.trunc_err = type(engine.trunc_err)()
    diag.trace_drift = abs(trace - 1.0)
    diag.max_chi = max(diag.max_chi, max(psi.chi))
    diag.change_rate = float(np.max(np.abs(new - run.rdms))) / (eps * opts.dt * n_block)
    diag.history.append((eps * diag.time, diag.change_rate))
    run.record(new, new3, n_keep)


def _start(L_bonds, eps, chi, opts: TEBDOptions, psi0, checkpoint, key) -> _Run:
    """Resume from the checkpoint if there is one, else start from ``psi0`` or ``1 / 2**N``."""
    N = L_bonds.shape[0] + 1
    if checkpoint is not None:
        loaded = _load_checkpoint(checkpoint, key)
        if loaded is not None:
            psi, diag, rdms, recent, rdms3, recent3 = loaded
            if opts.three_site and rdms3 is None:
                raise ValueError(f"checkpoint {checkpoint} has no three-site RDMs; it was written with "
                                 "three_site=False: remove it or run without three_site")
            return _Run(psi, diag, rdms, recent, rdms3 if opts.three_site else None, recent3)
    psi = psi0.copy() if psi0 is not None else infinite_temperature_mps(N, opts.identity_weight)
    if psi.L != N:
        raise ValueError(f"psi0 has {psi.L} sites, the generator {N}")
    rdms3 = rdms_from_mps(psi, opts.identity_weight, 3)[0] if opts.three_site else None
    return _Run(psi, TEBDDiagnostics(eps=eps, chi=chi, dt=opts.dt), rdms_from_mps(psi, opts.identity_weight)[0],
                [], rdms3)


#: Largest bath coupling TEBD accepts: beyond it the bath terms of a time step overflow (the book's
#: regime is eps << 1, weakly open).
TEBD_MAX_EPS = 100.0


def check_tebd_eps(eps: float, opts: TEBDOptions) -> float:
    """A positive ``eps`` checked against TEBD's range: ``eps <= TEBD_MAX_EPS`` and :func:`check_run_length`."""
    if eps > TEBD_MAX_EPS:
        raise ValueError(f"eps must be <= {TEBD_MAX_EPS:g} for TEBD (the bath terms of a time step overflow "
                         f"beyond), got {eps:g}")
    check_run_length(eps, opts)
    return eps


def check_run_length(eps: float, opts: TEBDOptions) -> None:
    """Refuse a run whose worst case, ``max_eps_t / (eps dt)`` steps, exceeds ``TEBD_MAX_STEPS`` (:mod:`mbl_open.infrastructure.limits`).

    With Richardson extrapolation the second stage runs at ``dt / 2``, which is the one checked.
    """
    dt = opts.dt / 2 if opts.richardson else opts.dt
    steps = opts.max_eps_t / (eps * dt)
    if steps > limit("TEBD_MAX_STEPS"):
        raise ValueError(f"eps = {eps:g} with dt = {dt:g} may need up to {steps:.3g} TEBD steps to reach "
                         f"eps t = {opts.max_eps_t:g}, more than the limit {limit('TEBD_MAX_STEPS')} (the run time "
                         "grows as 1/eps); use a larger eps or dt, a smaller max_eps_t, or raise the limit with "
                         "MBL_OPEN_TEBD_MAX_STEPS")


def _check_generator(L_bonds, opts: TEBDOptions) -> np.ndarray:
    L_bonds = np.asarray(L_bonds, dtype=float)
    if L_bonds.ndim != 3 or L_bonds.shape[1:] != (16, 16) or L_bonds.shape[0] < 1:
        raise ValueError(f"L_bonds must have shape (N-1, 16, 16) with N >= 2, got {L_bonds.shape}")
    if opts.three_site and L_bonds.shape[0] < 2:
        raise ValueError(f"three_site=True needs N >= 3, got N = {L_bonds.shape[0] + 1}")
    return L_bonds


def evolve_to_steady_state(L_bonds, eps, *, chi, options: TEBDOptions | None = None, psi0=None, checkpoint=None,
                           observer=None, desc="TEBD") -> TEBDSteadyState:
    """Evolve ``rho`` under ``exp(t L)`` by TEBD at one time step until the local observables stop changing.

    Parameters
    ----------
    L_bonds : ndarray, shape (N-1, 16, 16)
        Bond generators (they contain ``eps``), see
        :func:`~mbl_open.lindblad.liouvillian.bond_liouvillians`.
    eps : float
        The bath coupling inside ``L_bonds``; sets the time unit of the stopping rule.
    chi : int
        Maximal bond dimension.
    options : TEBDOptions, optional
        Solver options (:mod:`~mbl_open.lindblad.options`; default the
        reference solver's).  One stage at ``options.dt``: ``richardson`` is
        applied by :func:`~mbl_open.lindblad.steady.solve_steady_state`.
    psi0 : tenpy MPS, optional
        Start state (warm start); copied.  Default ``1 / 2**N``.
    checkpoint : path-like, optional
        HDF5 file (TeNPy's I/O).  Written atomically every
        ``options.checkpoint_every`` seconds and at the end; if it exists, the
        run resumes from it (and returns at once when it already converged).
    observer : callable, optional
        ``observer(eps_t, rdms)`` is called after every measurement block with
        ``eps t`` and the two-site RDMs (relaxation curves, paper Fig. 9).
    desc : str
        Label of the progress bar (which counts ``eps t`` up to ``max_eps_t``
        and ends where the stopping rule fires).

    Returns
    -------
    TEBDSteadyState
    """
    opts = solver_options("tebd", options if options is not None else "reference")
    eps = check_tebd_eps(check_real("eps", eps, low=0.0, low_open=True), opts)
    chi = check_int("chi", chi, low=1, high=limit("TEBD_MAX_CHI"))
    L_bonds = _check_generator(L_bonds, opts)
    checkpoint = Path(checkpoint) if checkpoint is not None else None
    return _evolve(L_bonds, eps, chi, opts, psi0=psi0, checkpoint=checkpoint, observer=observer, desc=desc)


@single_threaded_blas
def _evolve(L_bonds, eps, chi, opts: TEBDOptions, *, psi0, checkpoint, observer, desc) -> TEBDSteadyState:
    """:func:`evolve_to_steady_state` for arguments already checked (the steady-state solver's inside)."""
    key = _run_key(L_bonds, chi, opts.dt, opts.svd_min, opts.identity_weight, opts.order, opts.engine)
    run = _start(L_bonds, eps, chi, opts, psi0, checkpoint, key)
    if run.diag.converged:
        return TEBDSteadyState(rdms=run.rdms, psi=run.psi, diagnostics=run.diag, rdms3=run.rdms3)

    w = np.kron([opts.identity_weight, 1.0, 1.0, 1.0], [opts.identity_weight, 1.0, 1.0, 1.0])
    model = _lindblad_model_class()(w[None, :, None] * L_bonds / w[None, None, :])
    n_block = max(1, int(round(opts.check_every / (eps * opts.dt))))
    engine = _lindblad_engine_class(opts.engine)(run.psi, model, {
        "order": opts.order, "dt": opts.dt, "N_steps": n_block, "preserve_norm": False,
        "trunc_params": {"chi_max": chi, "svd_min": opts.svd_min}, **_engine_options(opts.engine),
    })
    block = eps * opts.dt * n_block  # eps t per block
    n_window = max(2, int(round(opts.window / block)))
    n_keep = (3 if opts.tail_tol is not None else 2 if opts.drift_tol is not None else 1) * n_window
    start = last_save = time.perf_counter()
    wall0 = run.diag.wall_time
    bar = progress(total=opts.max_eps_t, initial=min(eps * run.diag.time, opts.max_eps_t), desc=desc,
                   unit="eps t", leave=False, bar_format="{desc}: {percentage:3.0f}%|{bar}| eps t = {n:.2f} of "
                   "{total:.4g} [{elapsed}<{remaining}]")
    try:
        while eps * run.diag.time < opts.max_eps_t - 1e-9:
            engine.run()
            _measure(run, engine, opts, eps, n_block, n_keep)
            if observer is not None:
                observer(eps * run.diag.time, run.rdms)
            bar.update(min(eps * run.diag.time, opts.max_eps_t) - bar.n)
            now = time.perf_counter()
            run.diag.wall_time = wall0 + now - start
            if _stop(run, opts, eps, n_window, block):
                bar.total = bar.n  # the stopping rule fired: the bar ends here, full
                bar.refresh()
                break
            if checkpoint is not None and now - last_save > opts.checkpoint_every:
                _save_checkpoint(checkpoint, run, key)
                last_save = now
    finally:
        bar.close()
    run.diag.wall_time = wall0 + time.perf_counter() - start
    if not run.diag.converged:
        warnings.warn(f"TEBD at eps={eps} did not meet tol={opts.tol} by eps t = {opts.max_eps_t} "
                      f"(last change rate {run.diag.change_rate:.2e})", RuntimeWarning, stacklevel=2)
    if checkpoint is not None:
        _save_checkpoint(checkpoint, run, key)
    return TEBDSteadyState(rdms=run.rdms, psi=run.psi, diagnostics=run.diag, rdms3=run.rdms3)
