"""Exact steady state of paper Eq. 7 for short chains (N <= 9).

The steady state solves ``L(rho) = 0`` with ``Tr rho = 1``, ``L`` the sparse
Liouvillian of :func:`~mbl_open.lindblad.liouvillian.liouvillian_sparse`.
A direct sparse LU of the ``4**N``-dimensional matrix fills in catastrophically
beyond N = 6 (measured: 11 million factor entries and 5.6 s at N = 6), so the
kernel is found iteratively:

* the trace condition is built in by solving ``A rho = E`` with
  ``A(rho) = L(rho) + E Tr(rho)`` (``E`` the identity matrix).  Taking the
  trace of ``A rho = E`` gives ``Tr rho = 1``, hence ``L rho = 0``; ``A`` is
  non-singular when the steady state is unique;
* GMRES on ``A`` is right-preconditioned by the inverse of the no-jump part
  ``M(rho) = -i (K rho - rho K^dag)``, ``K = H - (i eps / 2) sum_L rate L^dag L``,
  a Sylvester equation solved in the eigenbasis of ``K``.  With it, ``A M^-1``
  is the identity minus a quantum channel (the jump-to-jump map), so GMRES
  converges in a few dozen iterations.

The residual ``max |L rho|``, the trace and the Hermiticity of the result are
checked before it is returned.  For ``N <= 5``, ``solver='lu'`` solves the
same bordered system by sparse LU (used by the tests to cross-check GMRES).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg as la
import scipy.sparse as sp
import scipy.sparse.linalg as sla

from ..infrastructure._threads import single_threaded_blas
from ..infrastructure._validate import check_array, check_int, check_real, check_unit_trace
from ..infrastructure.limits import available_memory, limit
from .liouvillian import _liouvillian_sparse, check_jumps
from .model import Chain, check_chain, hamiltonian
from .options import ExactOptions, solver_options
from .spins import embed

__all__ = ["EXACT_MAX_N", "EXACT_MIN_EPS", "exact_memory_bytes", "ExactSteadyState", "steady_state_exact", "rdms_from_rho"]

#: Longest chain the exact solver accepts (memory, see :func:`exact_memory_bytes`).
EXACT_MAX_N = 9

#: Smallest bath coupling the exact solver accepts.  Below it the Liouvillian is so close to
#: singular that the solution, though it passes its residual check, stops approaching the
#: ``eps -> 0`` limit (measured at N = 5: the distance to the rate-equation state scales as
#: ``eps`` down to 1e-6, then grows again, to 0.03 at 1e-12); that limit is the rate equation.
EXACT_MIN_EPS = 1e-6

_GMRES_RESTART = 60


def exact_memory_bytes(N: int, n_jumps: int) -> int:
    """Rough peak memory of :func:`steady_state_exact` in bytes.

    Sparse Liouvillian (complex values + int32 indices, about ``2 N + 2 n_jumps``
    entries per row) plus the GMRES Krylov basis of ``_GMRES_RESTART`` vectors.
    """
    N = check_int("N", N, low=1, high=limit("HAMILTONIAN_MAX_N"))
    n_jumps = check_int("n_jumps", n_jumps, low=0, high=limit("MAX_CHAIN_N"))
    dim = 4**N
    nnz_per_row = 2 * N + 2 * n_jumps + 2
    return int(dim * nnz_per_row * 20 + (_GMRES_RESTART + 4) * dim * 16)


@dataclass
class ExactSteadyState:
    """Result of :func:`steady_state_exact`.

    Attributes
    ----------
    rho : ndarray, shape (2**N, 2**N)
        Steady state, Hermitian, trace 1.
    residual : float
        ``max |L(rho)|`` entrywise.
    hermiticity_error : float
        ``max |rho - rho^dag|`` before symmetrisation.
    iterations : int
        GMRES iterations (0 for LU).
    """

    rho: np.ndarray
    residual: float
    hermiticity_error: float
    iterations: int

    def rdms(self) -> np.ndarray:
        """Two-site reduced density matrices, see :func:`rdms_from_rho`."""
        return rdms_from_rho(self.rho)


def rdms_from_rho(rho: np.ndarray, n_sites: int = 2) -> np.ndarray:
    """All reduced density matrices of ``n_sites`` consecutive spins of a chain state.

    Parameters
    ----------
    rho : ndarray, shape (2**N, 2**N)
        A density matrix: trace 1 (a zero or unnormalised matrix is refused).
    n_sites : int
        Window length ``k``, ``1 <= k <= N`` (2: nearest-neighbour RDMs; 3: the
        windows the energy currents of paper Eq. 23 live on).

    Returns
    -------
    ndarray, shape (N-k+1, 2**k, 2**k)
        ``rho^(i..i+k-1)``, site ``i`` the most significant factor; for ``k = 2``
        the basis is ``|up up>, |up down>, |down up>, |down down>``.
    """
    rho = check_array("rho", rho, complex_ok=None)
    D = rho.shape[0] if rho.ndim == 2 else 0
    N = int(round(np.log2(D))) if D > 0 else 0
    if rho.shape != (D, D) or D != 2**N or N < 2:
        raise ValueError(f"rho must be a square matrix of size 2**N with N >= 2, got shape {rho.shape}")
    k = check_int("n_sites", n_sites, low=1, high=N)
    check_unit_trace("rho", rho)
    d = 2**k
    out = np.empty((N - k + 1, d, d), dtype=rho.dtype)
    for i in range(N - k + 1):
        r = rho.reshape(2**i, d, 2 ** (N - i - k), 2**i, d, 2 ** (N - i - k))
        out[i] = np.einsum("aibajb->ij", r)
    return out


def _no_jump_inverse(H, jumps, N, eps):
    """Return a function solving ``-i (K X - X K^dag) = Z`` for ``X``."""
    D = 2**N
    gamma = np.zeros((D, D), dtype=complex)
    for j in jumps:
        L = embed(j.op, j.first, N).astype(complex)
        gamma += j.rate * (L.conj().T @ L).toarray()
    K = H.toarray() - 0.5j * eps * gamma
    lam, V = la.eig(K)
    Vinv = la.inv(V)
    denom = -1j * (lam[:, None] - lam.conj()[None, :])

    def solve(z):
        Z = z.reshape(D, D)
        Y = (Vinv @ Z @ Vinv.conj().T) / denom
        return (V @ Y @ V.conj().T).ravel()

    return solve


def steady_state_exact(chain: Chain, eps, jumps, options: ExactOptions | None = None) -> ExactSteadyState:
    """Steady state of the Lindblad equation (paper Eq. 7) by exact linear algebra.

    Parameters
    ----------
    chain : Chain
        The chain of paper Eq. 6, ``N <= EXACT_MAX_N``.
    eps : float
        Bath coupling, ``eps >= EXACT_MIN_EPS`` (for smaller couplings use
        :func:`~mbl_open.lindblad.rate_equation.rate_equation_steady_state`,
        the ``eps -> 0`` limit).
    jumps : sequence of Jump
        Jump operators (e.g. :func:`~mbl_open.lindblad.model.paper_jumps`).
    options : ExactOptions, optional
        Linear solver and tolerance (:class:`~mbl_open.lindblad.options.ExactOptions`).

    Returns
    -------
    ExactSteadyState

    Raises
    ------
    ValueError
        ``N > EXACT_MAX_N`` or the estimated memory exceeds what is available;
        the solution fails the residual, trace or Hermiticity check.
    """
    chain = check_chain(chain)
    options = solver_options("exact", options)
    jumps = check_jumps(jumps, chain.N)
    return _steady_state_exact(chain, check_exact_eps(eps, chain.N, len(jumps), options), jumps, options)


def check_exact_eps(eps, N: int, n_jumps: int, options: ExactOptions) -> float:
    """``eps`` checked for the exact solver at chain length ``N`` (and ``N`` with it); returns ``eps``.

    Refuses ``eps < EXACT_MIN_EPS``, ``N > EXACT_MAX_N``, a Liouvillian larger
    than the available memory, and ``solver='lu'`` beyond ``N = 5``.
    """
    eps = check_real("eps", eps, low=0.0, low_open=True)
    if eps < EXACT_MIN_EPS:
        raise ValueError(f"eps must be >= {EXACT_MIN_EPS:g} for the exact solver, got {eps:g}: below that the "
                         "Liouvillian is too close to singular; the eps -> 0 limit is rate_equation_steady_state")
    if N > EXACT_MAX_N:
        raise ValueError(
            f"method='exact' needs N <= {EXACT_MAX_N} (the Liouvillian has 4**N rows; "
            f"N = {N} would need about {exact_memory_bytes(N, n_jumps) / 1e9:.0f} GB); use method='tebd'"
        )
    need, have = exact_memory_bytes(N, n_jumps), int(available_memory())
    if need > 0.8 * have:
        raise ValueError(
            f"method='exact' at N = {N} needs about {need / 1e9:.1f} GB, only {have / 1e9:.1f} GB available; "
            "use a smaller N or method='tebd'"
        )
    if options.solver == "lu":
        check_int("N (solver='lu')", N, high=5)
    return eps


@single_threaded_blas
def _steady_state_exact(chain: Chain, eps: float, jumps, options: ExactOptions) -> ExactSteadyState:
    """:func:`steady_state_exact` for arguments already checked (:func:`check_exact_eps`)."""
    N, solver, rtol = chain.N, options.solver, options.rtol
    D = 2**N
    Lmat = _liouvillian_sparse(chain, eps, jumps)
    diag = np.arange(D) * (D + 1)  # positions of rho_ii in vec(rho)
    rhs = np.zeros(D * D, dtype=complex)
    rhs[diag] = 1.0
    border = sp.csr_matrix((np.ones(D), (diag, np.zeros(D, int))), shape=(D * D, 1))
    trace_row = border.T
    iterations = 0
    if solver == "lu":
        A = (Lmat + border @ trace_row).tocsc()
        x = sla.spsolve(A, rhs)
    else:
        precond = _no_jump_inverse(hamiltonian(chain), jumps, N, eps)

        def apply_A(x):
            return Lmat @ x + rhs * x[diag].sum()

        def apply_AMinv(y):
            return apply_A(precond(y))

        op = sla.LinearOperator((D * D, D * D), matvec=apply_AMinv, dtype=complex)
        counter = {"n": 0}

        def count(_):
            counter["n"] += 1

        y, info = sla.gmres(op, rhs, rtol=rtol, atol=0.0, restart=_GMRES_RESTART, maxiter=50,
                            callback=count, callback_type="pr_norm")
        if info != 0:
            raise ValueError(f"GMRES did not converge (info={info}) for N={N}, h={chain.h}, eps={eps}")
        x = precond(y)
        iterations = counter["n"]
    rho = x.reshape(D, D)
    herm = float(np.max(np.abs(rho - rho.conj().T)))
    rho = 0.5 * (rho + rho.conj().T)
    rho /= np.trace(rho).real
    residual = float(np.max(np.abs(Lmat @ rho.ravel())))
    scale = float(np.max(np.abs(rho)))
    if residual > 1e-8 * max(1.0, eps) or herm > 1e-8 * scale:
        raise ValueError(
            f"exact steady state failed its checks: residual {residual:.2e}, Hermiticity error {herm:.2e}"
        )
    return ExactSteadyState(rho=rho, residual=residual, hermiticity_error=herm, iterations=iterations)
