"""Local temperatures of a steady state (paper Eq. 9).

The inverse local temperature ``beta_i`` of bond ``(i, i+1)`` minimises::

    F[beta] = Tr[(rho^(i,i+1) - rho_th^(i,i+1)(beta))^2]

where ``rho_th^(i,i+1)(beta)`` is the two-site reduction of the full-chain
Gibbs state ``exp(-beta H) / Z`` of paper Eq. 6 with the same disorder.  A
:class:`ThermalReference` provides ``rho_th(beta)`` and ``d rho_th / d beta`` for
every bond at any ``beta``:

* ``method='exact'`` (``N <= 12``): diagonalise ``H`` once; with eigenpairs
  ``(E_n, |n>)`` and eigenstate reductions ``r_n``,
  ``rho_th(beta) = sum_n w_n r_n`` with Boltzmann weights ``w_n`` and
  ``d rho_th / d beta = -sum_n w_n (E_n - <E>) r_n``.
* ``method='purification'`` (any N): TeNPy's purification MPS cooled by
  imaginary-time TEBD (:class:`~tenpy.algorithms.purification.PurificationTEBD`)
  from ``beta = 0`` to ``+beta_max`` with ``H`` and to ``-beta_max`` with ``-H``,
  recording the two-site reductions on a grid of step ``dbeta``; a cubic spline
  through the grid gives ``rho_th`` and its derivative in between.  The tests
  check it against ``'exact'``.

The minimum is located on a fine grid and polished by solving ``dF/dbeta = 0``
with Brent's method, so an exact Gibbs state is recovered to ~1e-10.
"""
from __future__ import annotations

import numpy as np
import scipy.linalg as la
from scipy.interpolate import CubicSpline
from scipy.optimize import brentq

from ..infrastructure._validate import check_array, check_choice, check_int, check_real, check_real_array, check_unit_trace
from ..infrastructure.limits import limit
from ..numerics.spread import relative_spread
from .liouvillian import bond_hamiltonians
from .model import Chain, check_chain, hamiltonian

__all__ = [
    "EXACT_THERMAL_MAX_N",
    "boltzmann_weights",
    "ThermalReference",
    "reference_from_spectrum",
    "thermal_reference",
    "thermometry_options",
    "fit_betas",
    "dbeta_over_beta",
    "local_betas",
]

#: Longest chain for which the Gibbs state is built by full diagonalisation.
EXACT_THERMAL_MAX_N = 12


def _check_rdms(rdms, N):
    rdms = check_array("rdms", rdms, complex_ok=True)
    if rdms.shape != (N - 1, 4, 4):
        raise ValueError(f"rdms must have shape (N-1, 4, 4) = ({N - 1}, 4, 4), got {rdms.shape}")
    if not np.all(np.isfinite(rdms)):
        raise ValueError("rdms must be finite")
    return rdms


class ThermalReference:
    """Two-site reductions of the Gibbs state of one disordered chain, as functions of ``beta``.

    Build with :func:`thermal_reference`.  Methods :meth:`rdms` and :meth:`drdms`
    return arrays of shape ``(N-1, 4, 4)``; :attr:`beta_range` is the interval
    on which they are valid.
    """

    def __init__(self, N, rdm_fn, drdm_fn, beta_range, method):
        self.N = N
        self._rdm_fn = rdm_fn
        self._drdm_fn = drdm_fn
        self.beta_range = beta_range
        self.method = method

    def rdms(self, beta: float) -> np.ndarray:
        """``rho_th^(i,i+1)(beta)`` for every bond."""
        return self._rdm_fn(beta)

    def drdms(self, beta: float) -> np.ndarray:
        """``d rho_th^(i,i+1) / d beta`` for every bond."""
        return self._drdm_fn(beta)


def boltzmann_weights(E, beta) -> np.ndarray:
    """Normalised Boltzmann weights ``exp(-beta E_n) / Z``, overflow-safe for either sign of ``beta``."""
    E = check_real_array("E", E, ndim=1)
    if E.size == 0:
        raise ValueError("E must hold at least one energy")
    x = -check_real("beta", beta) * (E - E.min())
    w = np.exp(x - x.max())
    return w / w.sum()


def _exact_reference(chain, beta_max):
    E, V = la.eigh(hamiltonian(chain).toarray())
    return reference_from_spectrum(E, V, beta_max=beta_max)


def reference_from_spectrum(E, V, *, beta_max=2.0) -> ThermalReference:
    """The exact thermometer reference from a full spectrum ``H = V diag(E) V^T``.

    For callers that already diagonalised ``H`` (e.g.
    :class:`~mbl_open.hydrodynamics.LocalGibbs`); :func:`thermal_reference`
    with ``method='exact'`` is the same thing starting from the chain.

    Parameters
    ----------
    E : ndarray, shape (2**N,)
        Eigenvalues of the (real) chain Hamiltonian.
    V : ndarray, shape (2**N, 2**N)
        Its real orthonormal eigenvectors as columns.
    beta_max : float
        Fitted ``beta`` are searched in ``[-beta_max, beta_max]``.
    """
    E, V = check_array("E", E), check_array("V", V, complex_ok=None)
    dim = E.shape[0] if E.ndim == 1 else 0
    N = int(round(np.log2(dim))) if dim >= 4 else 0
    if N < 2 or 2**N != dim or V.shape != (dim, dim):
        raise ValueError(f"E must have length 2**N with N >= 2 and V shape (2**N, 2**N), got {E.shape} and {V.shape}")
    if np.iscomplexobj(V):
        raise TypeError("V must be real (the chain Hamiltonian of paper Eq. 6 is real)")
    beta_max = check_real("beta_max", beta_max, low=0.0, low_open=True, high=50.0)
    E = E - E.min()
    # reductions of every eigenstate onto every bond: r[i, n] is 4 x 4 (real, H is real)
    r = np.empty((N - 1, dim, 4, 4))
    for i in range(N - 1):
        Vi = V.reshape(2**i, 4, 2 ** (N - i - 2), dim)
        r[i] = np.einsum("aibn,ajbn->nij", Vi, Vi, optimize=True)

    def weights(beta):
        return boltzmann_weights(E, beta)

    def rdm_fn(beta):
        return np.einsum("n,inab->iab", weights(beta), r)

    def drdm_fn(beta):
        w = weights(beta)
        dE = E - w @ E
        return -np.einsum("n,inab->iab", w * dE, r)

    return ThermalReference(N, rdm_fn, drdm_fn, (-beta_max, beta_max), "exact")


def _purification_reference(chain, beta_max, dbeta, chi):
    import tenpy.linalg.np_conserved as npc
    from tenpy.algorithms.purification import PurificationTEBD
    from tenpy.models.lattice import Chain as Lattice
    from tenpy.models.model import NearestNeighborModel
    from tenpy.networks.purification_mps import PurificationMPS
    from tenpy.networks.site import SpinHalfSite

    N = chain.N
    site = SpinHalfSite(conserve=None)  # basis up, down: the book's convention
    leg = site.leg
    n_steps = int(round(beta_max / dbeta))
    grid_pos = dbeta * np.arange(n_steps + 1)

    def cool(sign):
        lattice = Lattice(N, site, bc="open", bc_MPS="finite")
        H_bond = [None] + [
            npc.Array.from_ndarray(hb.reshape(2, 2, 2, 2).transpose(0, 2, 1, 3),
                                   [leg, leg.conj(), leg, leg.conj()], labels=["p0", "p0*", "p1", "p1*"])
            for hb in sign * bond_hamiltonians(chain)
        ]
        model = NearestNeighborModel(lattice, H_bond)
        psi = PurificationMPS.from_infiniteT(model.lat.mps_sites(), bc="finite", unit_cell_width=N)
        eng = PurificationTEBD(psi, model, {"dt": dbeta / 2,
                                            "trunc_params": {"chi_max": chi, "svd_min": 1e-10}})
        out = [_purification_rdms(psi)]
        for _ in range(n_steps):
            # the purification |psi(beta)> = exp(-beta H / 2)|psi(0)> represents exp(-beta H): cool by dbeta/2
            eng.run_imaginary(dbeta / 2)
            out.append(_purification_rdms(psi))
        return np.array(out)

    pos = cool(+1.0)
    neg = cool(-1.0)  # exp(-b (-H)) = exp(+b H): negative temperatures
    betas = np.concatenate([-grid_pos[:0:-1], grid_pos])
    data = np.concatenate([neg[:0:-1], pos]).real
    spline = CubicSpline(betas, data, axis=0)
    deriv = spline.derivative()
    return ThermalReference(N, lambda b: spline(b), lambda b: deriv(b), (-beta_max, beta_max), "purification")


def _purification_rdms(psi):
    import tenpy.linalg.np_conserved as npc

    out = []
    for i in range(psi.L - 1):
        theta = psi.get_theta(i, 2)
        rho = npc.tensordot(theta, theta.conj(), axes=(["vL", "q0", "q1", "vR"], ["vL*", "q0*", "q1*", "vR*"]))
        rho = rho.transpose(["p0", "p1", "p0*", "p1*"]).to_ndarray().reshape(4, 4)
        out.append(rho / np.trace(rho))
    return np.array(out)


def thermometry_options(*, method="auto", beta_max=2.0, dbeta=0.02, chi=64) -> dict:
    """The thermometer's options, validated (the one place their ranges are defined).

    Parameters
    ----------
    method : {'auto', 'exact', 'purification'}
    beta_max : float
        In ``(0, 50]``.
    dbeta : float
        In ``(0, beta_max / 4]``.
    chi : int
        In ``[1, MBL_OPEN_TEBD_MAX_CHI]``.

    Returns
    -------
    dict
        The four options, normalised (keys as the arguments).
    """
    check_choice("method", method, ("auto", "exact", "purification"))
    beta_max = check_real("beta_max", beta_max, low=0.0, low_open=True, high=50.0)
    dbeta = check_real("dbeta", dbeta, low=0.0, low_open=True, high=beta_max / 4)  # checked even where unused
    chi = check_int("chi", chi, low=1, high=limit("TEBD_MAX_CHI"))
    return dict(method=method, beta_max=beta_max, dbeta=dbeta, chi=chi)


def thermal_reference(chain: Chain, *, method="auto", beta_max=2.0, dbeta=0.02, chi=64) -> ThermalReference:
    """Gibbs-state reductions of the chain of paper Eq. 6, for the thermometer.

    Parameters
    ----------
    chain : Chain
        The chain (the same disorder as the steady state).
    method : {'auto', 'exact', 'purification'}
        ``'auto'``: exact for ``N <= EXACT_THERMAL_MAX_N``, purification beyond.
    beta_max : float
        Fitted ``beta`` are searched in ``[-beta_max, beta_max]``.
    dbeta, chi : float, int
        Grid step and bond dimension of the purification (ignored by ``'exact'``).
    """
    N = check_chain(chain).N
    opts = thermometry_options(method=method, beta_max=beta_max, dbeta=dbeta, chi=chi)
    method, beta_max, dbeta, chi = opts["method"], opts["beta_max"], opts["dbeta"], opts["chi"]
    if method == "auto":
        method = "exact" if N <= EXACT_THERMAL_MAX_N else "purification"
    if method == "exact":
        if N > EXACT_THERMAL_MAX_N:
            raise ValueError(f"method='exact' needs N <= {EXACT_THERMAL_MAX_N} "
                             f"(dense diagonalisation of 2**N states), got N = {N}; use 'purification'")
        return _exact_reference(chain, beta_max)
    return _purification_reference(chain, beta_max, dbeta, chi)


def fit_betas(rdms, reference: ThermalReference, *, n_grid=401) -> np.ndarray:
    """Inverse local temperatures minimising ``F[beta]`` bond by bond.

    Parameters
    ----------
    rdms : ndarray, shape (N-1, 4, 4)
        Two-site reduced density matrices (e.g. of a steady state), each of trace 1.
    reference : ThermalReference
        Gibbs reductions of the same chain.
    n_grid : int
        Points of the coarse scan of ``F`` over ``reference.beta_range``.

    Returns
    -------
    ndarray, shape (N-1,)
        ``beta_i``; ``nan`` where the minimum lies on the edge of the range
        (``|beta| >= beta_max``: enlarge ``beta_max``).
    """
    if not isinstance(reference, ThermalReference):
        raise TypeError(f"reference must be a ThermalReference (see thermal_reference), got {type(reference).__name__}")
    N = reference.N
    rdms = _check_rdms(rdms, N)
    n_grid = check_int("n_grid", n_grid, low=11, high=limit("MAX_GRID"))
    check_unit_trace("rdms", rdms)
    lo, hi = reference.beta_range
    grid = np.linspace(lo, hi, n_grid)
    th = np.array([reference.rdms(b) for b in grid])  # (n_grid, N-1, 4, 4)
    F = np.sum(np.abs(rdms[None] - th) ** 2, axis=(2, 3))
    betas = np.full(N - 1, np.nan)
    for i in range(N - 1):
        k = int(np.argmin(F[:, i]))
        if k in (0, n_grid - 1):
            continue

        def dF(b, i=i):
            return -2.0 * np.real(np.sum((rdms[i] - reference.rdms(b)[i]).conj() * reference.drdms(b)[i]))

        a, c = grid[k - 1], grid[k + 1]
        fa, fc = dF(a), dF(c)
        if fa < 0 < fc:
            betas[i] = brentq(dF, a, c, xtol=1e-14, rtol=1e-14)
        else:  # flat minimum: keep the grid point
            betas[i] = grid[k]
    return betas


def dbeta_over_beta(betas) -> float:
    """Order parameter ``dbeta / beta = sqrt(<<Var_i beta_i>>) / <<Mean_i beta_i>>`` (paper Eq. 9).

    The relative spread of :mod:`mbl_open.numerics.spread`, with bonds as sites.

    Parameters
    ----------
    betas : array_like, shape (N-1,) or (R, N-1)
        Local inverse temperatures of one realisation or of ``R`` realisations;
        ``<<.>>`` averages over realisations.  Their mean must not be zero.
    """
    b = check_array("betas", betas, finite=False)
    if b.ndim == 1:
        b = b[None]
    if b.ndim != 2 or b.shape[1] < 2:
        raise ValueError(f"betas must have shape (N-1,) or (R, N-1) with N-1 >= 2, got {np.shape(betas)}")
    if not np.all(np.isfinite(b)):
        raise ValueError("betas contain nan or inf (a fit hit the edge of the beta range)")
    if b.mean() == 0:
        raise ValueError("betas must have a nonzero mean: dbeta/beta is undefined at infinite temperature "
                         "(mean beta = 0)")
    return float(relative_spread(b, site_axis=1, config_axis=0))


def local_betas(rdms, chain: Chain, *, reference: ThermalReference | None = None, method="auto",
                beta_max=2.0, dbeta=0.02, chi=64) -> np.ndarray:
    """Inverse local temperatures ``beta_i`` of every bond (paper Eq. 9).

    Parameters
    ----------
    rdms : ndarray, shape (N-1, 4, 4)
        Two-site reduced density matrices of trace 1, e.g. from
        :func:`~mbl_open.lindblad.steady.steady_rdms`.
    chain : Chain
        The chain they belong to.
    reference : ThermalReference, optional
        Reuse Gibbs reductions already built for this chain (same disorder
        for every ``eps``); otherwise one is built with ``method``,
        ``beta_max``, ``dbeta``, ``chi`` (see :func:`thermal_reference`).

    Returns
    -------
    ndarray, shape (N-1,)

    Examples
    --------
    >>> from mbl_open.lindblad import Chain, dbeta_over_beta, local_betas, solve_steady_state
    >>> chain = Chain.draw(6, h=1.0, seed=7)
    >>> betas = local_betas(solve_steady_state(chain, 0.1).rdms, chain)
    >>> betas.shape, round(dbeta_over_beta(betas), 3)
    ((5,), 0.059)
    """
    N = check_chain(chain).N
    rdms = check_unit_trace("rdms", _check_rdms(rdms, N))  # before the reference is built
    if reference is None:
        reference = thermal_reference(chain, method=method, beta_max=beta_max, dbeta=dbeta, chi=chi)
    elif not isinstance(reference, ThermalReference):
        raise TypeError(f"reference must be a ThermalReference (thermal_reference), got {type(reference).__name__}")
    elif (method, beta_max, dbeta, chi) != ("auto", 2.0, 0.02, 64):
        raise ValueError("method, beta_max, dbeta and chi build a reference: pass them or reference, not both")
    elif reference.N != N:
        raise ValueError(f"reference is for N = {reference.N}, the rdms for N = {N}")
    return fit_betas(rdms, reference)
