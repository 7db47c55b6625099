"""Helpers shared by several test modules (tests/ is on sys.path: ``from _helpers import ...``)."""
import numpy as np
import yaml
from scipy import sparse

from mbl_open import ensemble as en
from mbl_open.lindblad.spins import embed


# --- resistor networks (test_network_solvers, test_network_thermal) ---

def chain_matrix(K, g):
    main = g.copy()
    main[:-1] += K
    main[1:] += K
    return sparse.diags([-K, main, -K], [-1, 0, 1], format="csc")


# --- hydrodynamics (test_hydro_energy, test_hydro_gibbs) ---

def full(op, first, N):
    return embed(op, first, N).toarray()


# --- sweeps (test_ensemble, test_critical) ---

TINY = dict(store="store", N=4, h=[1.0, 6.0], eps=[0.2, 0.1, 0.05], realisations=3, method="exact", seed=5)


def tiny(tmp_path, **changes):
    raw = dict(TINY, **changes)
    path = tmp_path / "sweep.yaml"
    path.write_text(yaml.safe_dump(raw))
    return en.load_config(path)


# --- critical analysis (test_critical_*) ---

def synthetic_betas(R=40, eps=(0.2, 0.1, 0.05, 0.02), z=2.0, B=9, seed=0, amp=0.3):
    """Betas whose dbeta/beta is exactly amp*eps**(1/2z) per realisation, up to small noise."""
    rng = np.random.default_rng(seed)
    eps = np.array(eps)
    shape = rng.standard_normal((R, 1, B))
    shape = (shape - shape.mean(axis=2, keepdims=True)) / shape.std(axis=2, keepdims=True)
    scale = amp * eps[None, :, None] ** (1 / (2 * z)) * (1 + 0.02 * rng.standard_normal((R, 1, 1)))
    return eps, 0.5 * (1.0 + scale * shape)


def model_betas(curve, eps, *, R=400, B=15, seed=1, noise=0.5):
    """Synthetic betas (R, E, B) whose dbeta/beta follows ``curve(eps)`` up to one overall constant.

    Each realisation has its own pattern (shared by every eps, as the same disorder is) plus independent
    noise per eps, so the values at different eps are strongly but not fully correlated, as in the data."""
    eps = np.asarray(eps, dtype=float)
    rng = np.random.default_rng(seed)
    g = rng.standard_normal((R, 1, B))
    n = rng.standard_normal((R, eps.size, B))
    y = np.asarray(curve(eps))[None, :, None]
    return 1.0 + 0.1 * y * (g + noise * n) / np.hypot(1.0, noise)
