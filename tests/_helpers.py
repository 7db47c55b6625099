"""Helpers shared by several test modules (tests/ is on sys.path: ``from _helpers import ...``)."""
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
