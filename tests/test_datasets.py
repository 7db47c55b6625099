"""The committed datasets in data/: they load, agree with the sweep files that made them, and are analysed
deterministically (including the ones that are still growing)."""
from pathlib import Path

import numpy as np
import pytest

from mbl_open import critical as cp
from mbl_open import ensemble as en

ROOT = Path(__file__).resolve().parents[1]
DATASETS = sorted(p.stem for p in (ROOT / "data").glob("*.json"))


def test_the_book_sweeps_and_the_growing_ones_have_committed_their_datasets():
    # book_*.yaml feed the chapters; a sweep whose store is committed (data/stores/) grows across sessions
    # and exports its dataset from its first finished task on (a planned size has no results yet)
    for yaml in sorted((ROOT / "sweeps").glob("*.yaml")):
        cfg = en.load_config(yaml)
        growing = cfg.store.resolve().parent == ROOT / "data" / "stores"
        if growing and not en.ResultStore(cfg, read_only=True).status().done:
            assert not cfg.dataset.exists(), f"{yaml.name}: a dataset without a finished task"
            continue
        if yaml.stem.startswith("book_") or growing:
            assert cfg.dataset is not None and cfg.dataset.resolve().parent == ROOT / "data", yaml.name
            assert cfg.dataset.stem in DATASETS, yaml.name


@pytest.mark.parametrize("name", DATASETS)
def test_dataset_matches_its_sweep_file(name):
    ens = en.book_dataset(name)
    prov = ens.provenance
    cfg = en.load_config(ROOT / prov["config_file"])
    assert cfg.dataset.resolve() == ROOT / "data" / f"{name}.json"
    np.testing.assert_array_equal(ens.eps, cfg.eps)                 # one eps ladder for every task
    assert ens.physics["seed"] == cfg.seed and ens.physics["method"] == cfg.method
    if cfg.method == "tebd":
        assert ens.physics["solver"] == cfg.solver                   # the store's solver, as recorded
    planned = {(t.N, t.chi if cfg.method == "tebd" else None, t.h, t.r) for t in cfg.tasks()}
    assert prov["n_tasks_planned"] == len(planned)
    held = list(zip(ens.N.tolist(), ens.chi.tolist(), ens.h.tolist(), ens.r.tolist()))
    assert len(held) == len(set(held)) == prov["n_tasks"]             # no task twice
    for N, chi, h, r in held:
        assert (N, chi if cfg.method == "tebd" else None, h, r) in planned, (N, chi, h, r)
    assert prov["complete"] == (prov["n_tasks"] == prov["n_tasks_planned"])
    for b, N in zip(ens.betas, ens.N):
        assert b.shape == (len(ens.eps), N - 1)                      # the same realisation at every eps
    assert ens.diagnostics["converged"].all()


@pytest.mark.parametrize("name", DATASETS)
def test_realisations_are_the_first_ones_of_each_h(name):
    # a complete sweep holds realisations 0 .. R-1 of every h; a growing one runs realisation by realisation
    # (every h of realisation r before r + 1): past its first incomplete round it holds at most two rounds' worth
    # of tasks (those that finished while a stopped run's in-flight tasks were lost; a resumed run fills the gaps)
    ens = en.book_dataset(name)
    for N in ens.sizes():
        for chi in (ens.chis() if ens.physics["method"] == "tebd" else [None]):
            held = {h: np.sort(ens.realisations(N, h, chi)) for h in ens.h_values(N)}
            if ens.provenance["complete"]:
                for r in held.values():
                    np.testing.assert_array_equal(r, np.arange(r.size))
                assert len({r.size for r in held.values()}) == 1
            else:
                # h values added to a grown sweep start from realisation 0, so the gap is looked for h by h
                gaps = {h: int(np.flatnonzero(np.r_[r, -1] != np.arange(r.size + 1))[0]) for h, r in held.items()}
                beyond = sum(int((r > gaps[h]).sum()) for h, r in held.items())
                assert beyond <= 2 * len(held), (N, chi, gaps, beyond)


@pytest.mark.parametrize("name", DATASETS)
def test_analysis_is_deterministic_under_its_seed(name):
    ens = en.book_dataset(name)
    if ens.eps.size == 0:  # a limit sweep (method: limit) has no eps ladder to analyse
        assert ens.physics["method"] == "limit" and ens.betas_eps0 is not None
        return
    for N in ens.sizes():
        hs = [h for h in ens.h_values(N) if ens.count(N, h, ens.chis()[-1] if ens.physics["method"] == "tebd"
                                                        else None) >= 2]
        if not hs:
            continue
        h = hs[0]
        chi = ens.chis()[-1] if ens.physics["method"] == "tebd" else None
        a = cp.order_parameter(ens.betas_for(N, h, chi), n_resamples=50, seed=3)
        b = cp.order_parameter(ens.betas_for(N, h, chi), n_resamples=50, seed=3)
        for x, y in zip(a, b):
            np.testing.assert_array_equal(x, y)


def test_datasets_say_whether_they_are_complete_and_align_on_shared_chains():
    exact, chi = en.book_dataset("book_exact"), en.book_dataset("book_chi")
    for d in (exact, chi, en.book_dataset("tebd_n12")):
        p = d.provenance
        assert d.state == f"{'complete' if p['complete'] else 'incomplete'}: {p['n_tasks']} of {p['n_tasks_planned']} tasks"
        assert d.describe().startswith(p["config_file"] + ": " + d.state)
    N, h = chi.sizes()[0], chi.h_values(chi.sizes()[0])[0]
    r = chi.realisations(N, h, chi.chis()[0])
    b = exact.aligned_betas(N, h, realisations=r[::-1], eps=chi.eps)
    full = exact.betas_for(N, h, drop_nan=False)
    held = exact.realisations(N, h).tolist()
    np.testing.assert_array_equal(b[0], full[held.index(r[-1])][en.eps_index(exact.eps, chi.eps)])
    assert b.shape == (len(r), len(chi.eps), N - 1)
    with pytest.raises(ValueError, match="not on the ladder"):
        en.eps_index(exact.eps, [0.123])
    with pytest.raises(ValueError, match="realisations"):
        exact.aligned_betas(N, h, realisations=[10**6], eps=chi.eps)


def test_the_bond_dimension_sweep_repeats_the_ensemble_at_its_own_chi():
    # tebd_n12_chi has the seed of tebd_n12: at chi = 48 it solves the ensemble's chains a second time
    twin, ens = en.book_dataset("tebd_n12_chi"), en.book_dataset("tebd_n12")
    (chi,), (N,) = ens.chis(), twin.sizes()
    (h,) = twin.h_values(N)
    assert chi in twin.chis()
    same = cp.same_chains_difference(twin, ens, N, h, chi)
    assert same.realisations.size >= 1 and same.eps.tolist() == ens.eps.tolist()
    assert same.difference[0] < 1e-8              # the first coupling: the same run, up to round-off
    assert same.difference.max() < 1e-3, same     # the smallest: within the solver's stopping noise
    assert np.all(cp.same_chains_difference(twin, twin, N, h, chi).difference == 0.0)
    with pytest.raises(ValueError, match="different seeds"):
        cp.same_chains_difference(twin, en.book_dataset("book_tebd"), N, h, chi)
    with pytest.raises(TypeError, match="b must be an Ensemble"):
        cp.same_chains_difference(twin, "tebd_n12", N, h, chi)


def test_the_relaxation_dataset_records_each_approach_from_infinite_temperature():
    from mbl_open.lindblad import dbeta_over_beta
    ens = en.book_dataset("relax_n20")
    cfg = en.load_config(ROOT / ens.provenance["config_file"])
    assert cfg.relaxation and ens.relaxation is not None
    (N,), (h,) = ens.sizes(), ens.h_values(ens.sizes()[0])
    runs = ens.relaxations(N, h)
    assert list(runs) == ens.eps.tolist()                            # one record per eps, largest first
    final = ens.betas_for(N, h, drop_nan=False)[0]
    for k, (eps, run) in enumerate(runs.items()):
        t = run.order_parameter[:, 0]
        assert np.all(np.diff(t) > 0) and t[0] <= 0.5                 # from the first block on
        assert t[-1] >= cfg.solver["min_eps_t"] - 1e-9               # run to the requested eps t
        np.testing.assert_allclose(run.history[:, 0], t)              # one O(t) per block of the solver
        # the last O(t) is that of the stored steady state, up to the solver's tail extrapolation
        assert abs(run.order_parameter[-1, 1] - dbeta_over_beta(final[k])) < 2e-3, eps
        assert np.isfinite(run.rate) and run.rate > 0


def test_make_data_resumes_every_sweep_whose_store_is_committed():
    # a fresh clone continues the growing sweeps with `make data`; one left out would never grow there
    data_rule = (ROOT / "Makefile").read_text().split("\ndata:", 1)[1].split("\n\n", 1)[0]
    for yaml in sorted((ROOT / "sweeps").glob("*.yaml")):
        if en.load_config(yaml).store.resolve().parent == ROOT / "data" / "stores":
            assert f"sweeps/{yaml.name}" in data_rule, yaml.name
