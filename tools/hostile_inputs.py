"""Try bad inputs against the public entry points and count what happens to each.

For every entry point a valid call is known; each argument in turn is replaced
by values a hostile but fair user might pass (NaN, inf, negative, zero, huge,
None, text, a bool, a complex number, an empty or ragged list), and, for some
arguments, by well-formed but degenerate values (:class:`Bad`: a zero density
matrix, all-zero betas, repeated eps, equal times, a file where a directory
belongs, sizes that pass a type check but not the memory or time limits).
Each call runs under a time limit and is classified:

``named``
    refused with ``ValueError`` / ``TypeError`` whose message names the argument
    (or, for a path that does not exist, ``FileNotFoundError`` showing the path);
``unclear``
    refused, but with another exception type or a message that does not name it;
``accepted``
    returned a result (right for inputs that are in fact valid, e.g. ``seed=0``);
``nonfinite``
    returned a result containing NaN or inf;
``timeout``
    still running after the time limit (a hang, or a size without a bound).

Usage::

    python tools/hostile_inputs.py [--timeout 20] [--show unclear,nonfinite,timeout]

It prints one row per entry point and the calls of the classes named in
``--show``.  The calls are small; the whole survey takes a few minutes.
"""
from __future__ import annotations

import argparse
import dataclasses
import math
import os
import signal
import tempfile
import warnings
from collections import Counter
from pathlib import Path

import numpy as np

os.environ.setdefault("MBL_OPEN_NO_PROGRESS", "1")

from mbl_open import critical as cp  # noqa: E402
from mbl_open import fracdiff  # noqa: E402
from mbl_open import hydrodynamics as hd  # noqa: E402
from mbl_open import lindblad as lb  # noqa: E402
from mbl_open import resistor_networks as rn  # noqa: E402
from mbl_open.ensemble import book_dataset, make_config  # noqa: E402
from mbl_open.numerics.fits import fit_power_law  # noqa: E402
from mbl_open.lindblad.options import tebd_options  # noqa: E402
from mbl_open.numerics.resampling import bootstrap, jackknife  # noqa: E402
from mbl_open.numerics.spread import relative_spread_from_moments  # noqa: E402

SCALARS = [math.nan, math.inf, -1, 0, 10**12, None, "x", True, 1 + 1j]
ARRAYS = [[], [[1.0, 2.0], [3.0]], [math.nan], [-1.0], "x", None, [1 + 1j]]


class Bad:
    """A degenerate value the survey writes as ``label``; ``also`` replaces further arguments of the same call.

    For values whose ``repr`` would be long (arrays, objects) or that are bad only together with another
    argument (``min_eps_t=50`` with ``max_eps_t=10``).
    """

    def __init__(self, label, value, **also):
        self.label, self.value, self.also = label, value, also

    def __repr__(self):
        return self.label

    def call(self, valid, arg) -> dict:
        """The keyword arguments of the bad call built on the ``valid`` ones."""
        return {**valid, **self.also, arg: self.value}


class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout


def _entries():
    """(name, function, valid keyword arguments, {argument: bad values})."""
    chain = lb.Chain.draw(4, 1.0, 0, seed=1)
    ref = lb.thermal_reference(chain)
    rdms = lb.solve_steady_state(chain, 0.2, method="exact").rdms
    betas = np.random.default_rng(0).uniform(0.4, 0.6, (20, 3, 5))
    eps = np.array([0.2, 0.1, 0.05, 0.02])
    zero_betas = Bad("zeros((20, 3, 5))", np.zeros_like(betas))  # infinite temperature: dbeta/beta undefined
    no_baths = Bad("<every rate 0>", [dataclasses.replace(j, rate=0.0) for j in chain.jumps()])
    a_file = Path(tempfile.mkdtemp(prefix="hostile_")) / "a_file"
    a_file.write_text("x")

    def bootstrap_mean(samples, n_resamples):
        """The bootstrap of a mean over many samples: its memory grows as n_resamples x len(samples)."""
        return bootstrap(np.mean, samples, n_resamples=n_resamples)

    e = [
        ("fracdiff.continuum_variance", fracdiff.continuum_variance, dict(eps=[0.1, 0.01], z=2.0, d=1),
         dict(eps=ARRAYS, z=SCALARS, d=SCALARS)),
        ("fracdiff.lattice_variance_samples", fracdiff.lattice_variance_samples,
         dict(eps=[0.1, 0.01], z=2.0, d=1, L=256, M=4, seed=0),
         dict(eps=ARRAYS, z=SCALARS, d=SCALARS, L=SCALARS, M=SCALARS, seed=SCALARS)),
        ("fracdiff.crossover_scan", fracdiff.crossover_scan, dict(z=2.0, d=1, L=512, M=4, n_eps=20, modes=5.0),
         dict(z=SCALARS, L=SCALARS, M=SCALARS, n_eps=SCALARS, modes=SCALARS)),
        ("rn.draw_disorder", rn.draw_disorder, dict(N=50, M=4, seed=0),
         dict(N=SCALARS, M=SCALARS + [Bad("10000000 (N=10)", 10**7, N=10)], seed=SCALARS)),
        ("rn.thermal_fluctuations", rn.thermal_fluctuations, dict(eps=[0.1, 0.01], alpha=0.5, N=50, M=4),
         dict(eps=ARRAYS, alpha=SCALARS, N=SCALARS, M=SCALARS)),
        ("rn.spreading_width", rn.spreading_width, dict(t=[1.0, 10.0], alpha=0.5, N=50, M=4),
         dict(t=ARRAYS, alpha=SCALARS, N=SCALARS, M=SCALARS)),
        ("rn.current_samples", rn.current_samples, dict(eps=[0.1, 0.01], alpha=0.5, N=50, M=4),
         dict(eps=ARRAYS, alpha=SCALARS, N=SCALARS, M=SCALARS, d=SCALARS)),
        ("rn.mean_link_resistance", rn.mean_link_resistance, dict(eps=[0.1, 0.01], alpha=0.5),
         dict(eps=ARRAYS, alpha=SCALARS)),
        ("rn.solve_chain", rn.solve_chain, dict(K=[1.0, 1.0], g=[1.0, 1.0, 1.0], b=[1.0, 0.0, 0.0]),
         dict(K=ARRAYS, g=ARRAYS, b=ARRAYS)),
        ("rn.open_system_z", rn.open_system_z, dict(eps=[0.1, 0.03, 0.01], alpha=0.5, N=50, M=8, n_blocks=4),
         dict(eps=ARRAYS + [[0.1], [0.1, 0.1, 0.1]], alpha=SCALARS, N=SCALARS, M=SCALARS, n_blocks=SCALARS)),
        ("lb.Chain.draw", lb.Chain.draw, dict(N=4, h=1.0, r=0, seed=0), dict(N=SCALARS, h=SCALARS, r=SCALARS,
                                                                         seed=SCALARS)),
        ("lb.paper_jumps", lb.paper_jumps, dict(N=4), dict(N=SCALARS, sign=SCALARS)),
        ("lb.hamiltonian", lb.hamiltonian, dict(chain=chain), dict(chain=SCALARS)),
        ("lb.solve_steady_state (exact)", lb.solve_steady_state, dict(chain=chain, eps=0.1, method="exact"),
         dict(chain=SCALARS, eps=SCALARS, jumps=ARRAYS + [no_baths], method=SCALARS, options=SCALARS,
              checkpoint=[Bad("<a file>", a_file)])),
        ("lb.solve_steady_state (tebd)", lb.solve_steady_state,
         dict(chain=chain, eps=0.2, chi=8, options=tebd_options("fast", max_eps_t=2.0)),
         dict(eps=SCALARS, chi=SCALARS, options=SCALARS, jumps=[no_baths], checkpoint=[Bad("<a file>", a_file)],
              observer=SCALARS)),
        ("lb.solve_realisation", lb.solve_realisation, dict(chain=chain, eps=[0.2, 0.1], method="exact"),
         dict(chain=SCALARS, eps=ARRAYS + SCALARS, method=SCALARS, rate_equation=SCALARS, thermometry=SCALARS)),
        ("lb.thermal_reference", lb.thermal_reference, dict(chain=chain),
         dict(chain=SCALARS, beta_max=SCALARS, method=SCALARS, dbeta=SCALARS)),
        ("lb.fit_betas", lb.fit_betas, dict(rdms=rdms, reference=ref),
         dict(rdms=ARRAYS + [Bad("zeros((3, 4, 4))", np.zeros((3, 4, 4)))], reference=SCALARS, n_grid=SCALARS)),
        ("lb.dbeta_over_beta", lb.dbeta_over_beta, dict(betas=[0.4, 0.5, 0.6]), dict(betas=ARRAYS + [[0.0, 0.0, 0.0]])),
        ("lb.rate_equation_steady_state", lb.rate_equation_steady_state, dict(chain=chain, jumps=chain.jumps()),
         dict(chain=SCALARS, jumps=ARRAYS + [no_baths])),
        ("hd.hydro_ladder", hd.hydro_ladder, dict(chain=chain, eps=[0.2, 0.1]),
         dict(chain=SCALARS, eps=ARRAYS, method=SCALARS, options=SCALARS, beta_max=SCALARS)),
        ("cp.order_parameter", cp.order_parameter, dict(betas=betas, n_resamples=20),
         dict(betas=ARRAYS + [zero_betas], n_resamples=SCALARS, seed=SCALARS)),
        ("cp.fit_z", cp.fit_z, dict(eps=eps[:3], betas=betas),
         dict(eps=ARRAYS + [[0.1, 0.1, 0.1]], betas=ARRAYS + [zero_betas, Bad("full((20, 3, 5), 0.5)",
                                                                               np.full_like(betas, 0.5))])),
        ("cp.fit_critical_exponent", cp.fit_critical_exponent,
         dict(h=[1.0, 2.0, 3.0, 4.0], z=[2.0, 3.0, 5.0, 9.0], z_err=[0.1, 0.1, 0.2, 0.5], h_c=6.0),
         dict(h=ARRAYS, z=ARRAYS, z_err=ARRAYS, h_c=SCALARS, form=SCALARS)),
        ("spread.relative_spread_from_moments", relative_spread_from_moments, dict(var=[1.0, 2.0], mean=[1.0, 1.0]),
         dict(var=ARRAYS, mean=ARRAYS)),
        ("fits.fit_power_law", fit_power_law, dict(x=[1.0, 2.0, 3.0], y=[1.0, 4.0, 9.0]),
         dict(x=ARRAYS + [[1.0, 1.0, 1.0]], y=ARRAYS, window=SCALARS)),
        ("hd.LocalGibbs", hd.LocalGibbs, dict(chain=chain, jumps=chain.jumps()), dict(chain=SCALARS, jumps=ARRAYS)),
        ("hd.energy_currents", hd.energy.energy_currents, dict(chain=chain), dict(chain=SCALARS)),
        ("lb.tebd_options", tebd_options, dict(solver="fast"),
         dict(solver=SCALARS, dt=SCALARS, order=SCALARS, engine=SCALARS, richardson=SCALARS, tol=SCALARS,
              max_eps_t=SCALARS, min_eps_t=SCALARS + [Bad("50 (max_eps_t=10)", 50, max_eps_t=10)],
              three_site=SCALARS)),
        ("ensemble.make_config", make_config, dict(raw=dict(store="s", method="exact", N=4, h=[1.0], eps=[0.1],
                                                           realisations=1)),
         dict(raw=SCALARS)),
        ("cp.summarise", cp.summarise, dict(ensemble=book_dataset("book_exact"), N=6, n_resamples=20),
         dict(ensemble=SCALARS, N=SCALARS, window=SCALARS, n_resamples=SCALARS, seed=SCALARS)),
        ("fracdiff.fit_dT_exponent", fracdiff.fit_dT_exponent,
         dict(eps=eps, samples=np.random.default_rng(1).uniform(1, 2, (8, 4)), window=(0.02, 0.2)),
         dict(eps=ARRAYS + [[0.2, 0.2, 0.05, 0.02]], samples=ARRAYS + [Bad("zeros((8, 4))", np.zeros((8, 4)))],
              window=SCALARS, n_blocks=SCALARS)),
        ("resampling.jackknife", jackknife, dict(estimator=np.mean, n_blocks=4),
         dict(n_blocks=SCALARS, estimator=SCALARS)),
        ("resampling.bootstrap", bootstrap, dict(estimator=np.mean, n_resamples=10),
         dict(n_resamples=SCALARS, seed=SCALARS, estimator=SCALARS)),
        ("resampling.bootstrap (10^4 samples)", bootstrap_mean, dict(samples=np.arange(1e4), n_resamples=10),
         dict(n_resamples=[10**6])),
    ]
    return e + _more_entries(chain, ref, rdms, betas, eps) + _book_helpers(chain, ref)


def _more_entries(chain, ref, rdms, betas, eps):
    """The rest of the public functions: continuum, networks, chain, bridge, analysis, infrastructure."""
    import tempfile

    import matplotlib

    matplotlib.use("Agg")
    from mbl_open import plotting
    from mbl_open.execution import chapters, runner
    from mbl_open.infrastructure import limits
    from mbl_open.presentation import measured, report
    from mbl_open import ensemble as en
    from mbl_open.numerics.fits import fit_averaged_power_law, fit_exponential_decay
    from mbl_open.hydrodynamics import compare, energy
    from mbl_open.lindblad import exact, liouvillian, model, options, relaxation, spins, tebd
    from mbl_open.lindblad import thermometry as th
    from mbl_open.numerics.resampling import pull
    from mbl_open.resistor_networks import disorder, thermal
    from mbl_open.numerics.spread import relative_spread

    rng = np.random.default_rng(2)
    N, h, zz, zx = chain.N, chain.h, chain.zeta_z, chain.zeta_x
    jumps = chain.jumps()
    state = lb.solve_steady_state(chain, 0.2, method="exact")
    sx = np.array([[0.0, 1.0], [1.0, 0.0]])
    sm = np.array([[0.0, 0.0], [1.0, 0.0]])
    G = hd.LocalGibbs(chain, jumps)
    t = np.arange(0.25, 8.0, 0.25)
    history = np.c_[t, 0.1 * np.exp(-0.8 * t)]
    exact_ds, chi_ds = book_dataset("book_exact"), book_dataset("book_chi")
    summary = cp.summarise(exact_ds, N=6, n_resamples=20)
    tmp = Path(tempfile.mkdtemp(prefix="hostile_"))
    cfg_raw = dict(store=str(tmp / "store"), method="exact", N=4, h=[1.0], eps=[0.2], realisations=1)
    config = make_config(cfg_raw)
    (tmp / "good.yaml").write_text("store: store\nmethod: exact\nN: 4\nh: [1.0]\neps: [0.2]\nrealisations: 1\n")
    ax = plotting.subplots()[1]
    zfits = [rn.open_system_z([0.1, 0.03, 0.01], 0.5, N=50, M=8, n_blocks=4)]
    fig_summary = summary
    samples = rng.uniform(1, 2, (8, 4))
    # degenerate values (Bad): a file where a directory belongs, baths that are all switched off, a results
    # file of other text
    (tmp / "a_file").write_text("x")
    a_file = Bad("<a file>", tmp / "a_file")
    no_baths = Bad("<every rate 0>", [dataclasses.replace(j, rate=0.0) for j in jumps])
    (tmp / "not_results.jsonl").write_text("store: store\n")
    not_json = Bad("<a file of non-JSON lines>", tmp / "not_results.jsonl")

    def fap(x, average, samples, window=None, n_blocks=4):  # the samples are positional (*samples) there
        return fit_averaged_power_law(x, average, samples, window=window, n_blocks=n_blocks)

    def mean_over_configurations(s):
        return np.mean(s, axis=-1)

    chapter = chapters.get_chapter("fractional_diffusion")
    return [
        # --- continuum (paper Eqs. 10-12) ---
        ("fracdiff.continuum_prefactor", fracdiff.continuum_prefactor, dict(z=2.0, d=1), dict(z=SCALARS, d=SCALARS)),
        ("fracdiff.crossover_wavenumber", fracdiff.crossover_wavenumber, dict(eps=[0.1, 0.01], z=2.0),
         dict(eps=ARRAYS, z=SCALARS, gamma=SCALARS, gbar=SCALARS)),
        ("fracdiff.lattice_wavenumbers", fracdiff.lattice_wavenumbers, dict(L=64, d=1),
         dict(L=SCALARS, d=SCALARS, dispersion=SCALARS)),
        ("fracdiff.solve_lattice", fracdiff.solve_lattice, dict(dg=rng.normal(size=64), eps=0.1, z=2.0),
         dict(dg=ARRAYS, eps=SCALARS, z=SCALARS, theta=SCALARS, dispersion=SCALARS)),
        ("fracdiff.lattice_variance", fracdiff.lattice_variance, dict(eps=[0.1, 0.01], z=2.0, L=64, M=4),
         dict(eps=ARRAYS, L=SCALARS, M=SCALARS, seed=SCALARS)),
        ("fracdiff.lattice_variance_expected", fracdiff.lattice_variance_expected, dict(eps=[0.1, 0.01], z=2.0, L=64),
         dict(eps=ARRAYS, z=SCALARS, d=SCALARS, L=SCALARS, dg=SCALARS)),
        ("fracdiff.scaling_window", fracdiff.scaling_window, dict(z=2.0, L=4096),
         dict(z=SCALARS, L=SCALARS, modes=SCALARS, k_hi=SCALARS)),
        # --- resistor networks (paper Eqs. 3-5, 13-17) ---
        ("rn.link_lengths", rn.link_lengths, dict(E=rng.uniform(size=(4, 10)), alpha=0.5),
         dict(E=ARRAYS, alpha=SCALARS, d=SCALARS, a=SCALARS)),
        ("rn.conductance", rn.conductance, dict(l=[1.0, 2.0], eps=0.1),
         dict(l=ARRAYS, eps=SCALARS, d=SCALARS, kappa0=SCALARS, a=SCALARS, G0=SCALARS)),
        ("rn.reduced_conductance", rn.reduced_conductance, dict(l=[1.0, 2.0], eps=0.1),
         dict(l=ARRAYS, eps=SCALARS, d=SCALARS, kappa0=SCALARS, G0=SCALARS)),
        ("rn.check_model", disorder.check_model, dict(G0=5.0),
         dict(G0=SCALARS, kappa0=SCALARS, T0=SCALARS, dg1=SCALARS, theta=SCALARS)),
        ("rn.charge_current", rn.charge_current, dict(eps=[0.1, 0.01], alpha=0.5, N=50, M=4),
         dict(eps=ARRAYS, alpha=SCALARS, d=SCALARS, N=SCALARS, M=SCALARS, seed=SCALARS)),
        ("rn.current_exponent", rn.current_exponent, dict(eps=[0.1, 0.03, 0.01], alpha=0.5, N=50, M=8, n_blocks=4),
         dict(eps=ARRAYS + [[0.1, 0.1, 0.1]], fit_window=SCALARS, n_blocks=SCALARS)),
        ("rn.current_density_2d", rn.current_density_2d, dict(eps=[0.1, 0.01], alpha=0.5, N=8, M=2),
         dict(eps=ARRAYS, alpha=SCALARS, N=SCALARS, M=SCALARS, eps_zero=SCALARS)),
        ("rn.crossover_length", rn.crossover_length, dict(eps=[0.1, 0.01]),
         dict(eps=ARRAYS, sigma0=SCALARS, a=SCALARS, G0=SCALARS)),
        ("rn.mean_link_resistance_asymptotic", rn.mean_link_resistance_asymptotic, dict(eps=[0.1, 0.01], alpha=0.5),
         dict(eps=ARRAYS, alpha=SCALARS, form=SCALARS)),
        ("rn.long_link_fraction", rn.long_link_fraction, dict(eps=[0.1, 0.01], alpha=0.5),
         dict(eps=ARRAYS, alpha=SCALARS, G0=SCALARS)),
        ("rn.closed_system_z", rn.closed_system_z, dict(t=np.geomspace(1.0, 1e4, 12), alpha=0.5, N=200, M=8, n_blocks=4),
         dict(t=ARRAYS, alpha=SCALARS, N=SCALARS, M=SCALARS, sigma_window=SCALARS, n_blocks=SCALARS)),
        ("rn.diffusive_window", rn.diffusive_window, dict(alpha=2.0, N=20, M=2),
         dict(alpha=SCALARS, N=SCALARS, M=SCALARS, lam_min=SCALARS, lam_max_fraction=SCALARS)),
        ("rn.solve_grid", rn.solve_grid, dict(Kh=np.ones((3, 2)), Kv=np.ones((2, 3)), g=np.full((3, 3), 0.1),
                                              b=np.ones((3, 3))),
         dict(Kh=ARRAYS, Kv=ARRAYS, g=ARRAYS, b=ARRAYS)),
        ("rn.steady_temperatures", rn.steady_temperatures,
         dict(Gamma=[1.0, 1.0], g1=[1.0, 1.0, 1.0], theta_g2=[0.1, 0.2, 0.1], eps=0.1, T0=1.0),
         dict(Gamma=ARRAYS, g1=ARRAYS, theta_g2=ARRAYS, eps=SCALARS, T0=SCALARS)),
        ("rn.temperature_deviations", rn.temperature_deviations, dict(eps=[0.1, 0.01], alpha=0.5, N=50, M=4),
         dict(eps=ARRAYS, alpha=SCALARS, N=SCALARS, M=SCALARS)),
        ("rn.fluctuation_samples", thermal.fluctuation_samples, dict(eps=[0.1, 0.01], alpha=0.5, N=50, M=4),
         dict(eps=ARRAYS, alpha=SCALARS, d=SCALARS, N=SCALARS, M=SCALARS)),
        ("rn.fluctuation_ratio", rn.fluctuation_ratio, dict(var=[[1.0, 2.0]], mean=[[1.0, 1.0]]),
         dict(var=ARRAYS + [Bad("[] (mean=[])", [], mean=[])], mean=ARRAYS, axis=SCALARS)),
        ("rn.spreading_samples", thermal.spreading_samples, dict(t=[1.0, 10.0], alpha=0.5, N=50, M=4),
         dict(t=ARRAYS, alpha=SCALARS, N=SCALARS, M=SCALARS)),
        # --- the open spin chain (paper Eqs. 6-9) ---
        ("lb.Chain", lb.Chain, dict(N=N, h=h, zeta_z=zz, zeta_x=zx), dict(N=SCALARS, h=SCALARS, zeta_z=ARRAYS,
                                                                         zeta_x=ARRAYS)),
        ("lb.Chain.jumps", chain.jumps, dict(sign="-+"), dict(sign=SCALARS)),
        ("lb.draw_fields", model.draw_fields, dict(N=4, seed=0), dict(N=SCALARS, seed=SCALARS)),
        ("lb.check_chain", model.check_chain, dict(chain=chain), dict(chain=SCALARS + ARRAYS)),
        ("lb.hamiltonian_terms", model.hamiltonian_terms, dict(chain=chain), dict(chain=SCALARS)),
        ("lb.h_key", model.h_key, dict(h=1.0), dict(h=SCALARS)),
        ("lb.realisation_seed", model.realisation_seed, dict(seed=0, N=4, h=1.0, r=0),
         dict(seed=SCALARS, N=SCALARS, h=SCALARS, r=SCALARS)),
        ("lb.solve_ladder", lb.solve_ladder, dict(chain=chain, eps=[0.2, 0.1], method="exact"),
         dict(chain=SCALARS, eps=ARRAYS + SCALARS + [[0.2, 0.1, 0.2]], method=SCALARS, chi=SCALARS, sign=SCALARS,
              options=SCALARS)),
        ("lb.solve_ladder (tebd)", lb.solve_ladder,
         dict(chain=chain, eps=[0.2, 0.1], method="tebd", chi=8, options=tebd_options("fast", max_eps_t=2.0)),
         dict(eps=ARRAYS + SCALARS + [[0.2, 0.1, 0.2]], chi=SCALARS, sign=SCALARS, options=SCALARS,
              checkpoint=SCALARS + [a_file])),
        ("lb.steady_rdms", lb.steady_rdms, dict(chain=chain, eps=0.1, method="exact"),
         dict(chain=SCALARS, eps=SCALARS, method=SCALARS, sign=SCALARS)),
        ("lb.steady_state_exact", exact.steady_state_exact, dict(chain=chain, eps=0.1, jumps=jumps),
         dict(chain=SCALARS, eps=SCALARS, jumps=ARRAYS + SCALARS + [no_baths], options=SCALARS)),
        ("lb.ExactOptions", lb.ExactOptions, dict(), dict(solver=SCALARS, rtol=SCALARS)),
        ("lb.options_from_mapping", options.options_from_mapping, dict(method="tebd", mapping={"solver": "fast"}),
         dict(method=SCALARS, mapping=SCALARS + [{"dt": "x"}, {"speed": 1}])),
        ("lb.exact_memory_bytes", exact.exact_memory_bytes, dict(N=4, n_jumps=8), dict(N=SCALARS, n_jumps=SCALARS)),
        ("lb.rdms_from_rho", exact.rdms_from_rho, dict(rho=state.rho, n_sites=2),
         dict(rho=ARRAYS + [Bad("zeros((16, 16))", np.zeros((16, 16)))], n_sites=SCALARS)),
        ("lb.check_jumps", liouvillian.check_jumps, dict(jumps=jumps, N=N),
         dict(jumps=ARRAYS + SCALARS + [no_baths], N=SCALARS, max_sites=SCALARS)),
        ("lb.bond_hamiltonians", liouvillian.bond_hamiltonians, dict(chain=chain), dict(chain=SCALARS)),
        ("lb.bond_liouvillians", liouvillian.bond_liouvillians, dict(chain=chain, eps=0.1, jumps=jumps),
         dict(chain=SCALARS, eps=SCALARS, jumps=ARRAYS + SCALARS)),
        ("lb.liouvillian_sparse", liouvillian.liouvillian_sparse, dict(chain=chain, eps=0.1, jumps=jumps),
         dict(chain=SCALARS, eps=SCALARS, jumps=ARRAYS + SCALARS)),
        ("lb.dissipator", liouvillian.dissipator, dict(L=sm, rho=np.eye(2) / 2), dict(L=ARRAYS, rho=ARRAYS)),
        ("lb.embed", spins.embed, dict(op=sx, first=0, N=3), dict(op=ARRAYS, first=SCALARS, N=SCALARS)),
        ("lb.pauli_coefficients", spins.pauli_coefficients, dict(X=np.kron(sx, sx)), dict(X=ARRAYS)),
        ("lb.operator_from_pauli", spins.operator_from_pauli, dict(c=np.eye(4)), dict(c=ARRAYS)),
        ("lb.superoperator_in_pauli_basis", spins.superoperator_in_pauli_basis,
         dict(superop=lambda X: sx @ X @ sx, n_sites=1), dict(superop=SCALARS, n_sites=SCALARS)),
        ("lb.infinite_temperature_mps", tebd.infinite_temperature_mps, dict(N=4),
         dict(N=SCALARS, identity_weight=SCALARS)),
        ("lb.rdms_from_mps", tebd.rdms_from_mps, dict(psi=tebd.infinite_temperature_mps(4)),
         dict(psi=SCALARS, identity_weight=SCALARS, n_sites=SCALARS)),
        ("lb.boltzmann_weights", th.boltzmann_weights, dict(E=[0.0, 1.0, 2.0], beta=0.5), dict(E=ARRAYS, beta=SCALARS)),
        ("lb.reference_from_spectrum", th.reference_from_spectrum,
         dict(E=ref_spectrum(chain)[0], V=ref_spectrum(chain)[1]), dict(E=ARRAYS, V=ARRAYS, beta_max=SCALARS)),
        ("lb.local_betas", lb.local_betas, dict(rdms=rdms, chain=chain, reference=ref),
         dict(rdms=ARRAYS, chain=SCALARS, reference=SCALARS, method=SCALARS, beta_max=SCALARS, dbeta=SCALARS)),
        ("lb.history_rate", relaxation.history_rate, dict(history=history),
         dict(history=ARRAYS + [Bad("-history", -history)], eps_t_min=SCALARS, floor=SCALARS)),
        ("lb.relax", relaxation.relax,
         dict(chain=chain, eps=0.2, reference=ref, chi=8, options=tebd_options("fast", max_eps_t=2.0)),
         dict(chain=SCALARS, eps=SCALARS, reference=SCALARS, chi=SCALARS, options=SCALARS)),
        # --- from the chain to hydrodynamics (paper supplement Eqs. 18-27) ---
        ("hd.LocalGibbs.weights", G.weights, dict(beta=0.5), dict(beta=SCALARS)),
        ("hd.LocalGibbs.source", G.source, dict(beta=0.5), dict(beta=SCALARS)),
        ("hd.LocalGibbs.g1", G.g1, dict(beta=0.5), dict(beta=SCALARS)),
        ("hd.LocalGibbs.mean_beta", G.mean_beta, dict(beta_max=20.0), dict(beta_max=SCALARS)),
        ("hd.LocalGibbs.response_matrix", G.response_matrix, dict(beta=0.5), dict(beta=SCALARS)),
        ("hd.window_size", energy.window_size, dict(N=4), dict(N=SCALARS)),
        ("hd.energy_densities", energy.energy_densities, dict(chain=chain), dict(chain=SCALARS)),
        ("hd.adjoint_dissipator", energy.adjoint_dissipator, dict(L=sm, X=sx), dict(L=ARRAYS, X=ARRAYS, rate=SCALARS)),
        ("hd.energy_source_operators", energy.energy_source_operators, dict(chain=chain, jumps=jumps),
         dict(chain=SCALARS, jumps=ARRAYS + SCALARS)),
        ("hd.energy_balance", energy.energy_balance, dict(rdms3=state.rdms3, chain=chain, eps=0.2, jumps=jumps),
         dict(rdms3=ARRAYS + [Bad("zeros((2, 8, 8))", np.zeros((2, 8, 8)))], chain=SCALARS, eps=SCALARS,
              jumps=ARRAYS + SCALARS)),
        ("hd.link_conductances", compare.link_conductances, dict(current=[0.1, 0.2], T=[2.0, 1.5, 1.0]),
         dict(current=ARRAYS, T=ARRAYS + [[1.0, 1.0, 1.0]])),
        ("hd.compare_with_network", compare.compare_with_network,
         dict(rdms3=state.rdms3, betas=lb.fit_betas(state.rdms, ref), gibbs=G, eps=0.2),
         dict(rdms3=ARRAYS, betas=ARRAYS, gibbs=SCALARS, eps=SCALARS, beta_bar=SCALARS)),
        ("hd.hydro_survey", hd.hydro_survey, dict(N=4, h_values=[1.0], eps_values=[0.2, 0.1], n_realisations=1,
                                                  seed=0),
         dict(N=SCALARS, h_values=ARRAYS, eps_values=ARRAYS + [[0.2, 0.2]], n_realisations=SCALARS + [100_000],
              seed=SCALARS)),
        # --- the MBL analysis (paper Eq. 9, Figs. 2, 3, 10) ---
        ("cp.order_parameter_realisations", cp.order_parameter_realisations, dict(betas=betas),
         dict(betas=ARRAYS + [Bad("zeros((20, 3, 5))", np.zeros_like(betas))])),
        ("cp.slope_probability", cp.slope_probability, dict(eps=eps[:3], betas=betas, n_resamples=20),
         dict(eps=ARRAYS, betas=ARRAYS, n_resamples=SCALARS, seed=SCALARS)),
        ("cp.critical_disorder", cp.critical_disorder,
         dict(h=[1.0, 2.0, 3.0, 4.0], P=[1.0, 0.7, 0.2, 0.0],
              replicas=[[1.0, 1.0, 1.0], [0.8, 0.6, 0.7], [0.1, 0.3, 0.2], [0.0, 0.0, 0.0]]),
         dict(h=ARRAYS, P=ARRAYS, replicas=SCALARS, level=SCALARS)),
        ("cp.resolved", cp.resolved, dict(summary=summary), dict(summary=SCALARS, h_c=SCALARS)),
        ("cp.size_row", cp.size_row, dict(ensemble=exact_ds, N=6, n_resamples=20),
         dict(ensemble=SCALARS, N=SCALARS, chi=SCALARS, n_resamples=SCALARS)),
        ("cp.nu_sensitivity", cp.nu_sensitivity, dict(h=[1.0, 2.0, 3.0, 4.0], z=[2.0, 3.0, 5.0, 9.0],
                                                      z_err=[0.1, 0.1, 0.2, 0.5], h_c=6.0, h_c_err=0.5),
         dict(h=ARRAYS, z=ARRAYS, z_err=ARRAYS, h_c=SCALARS + [3.5], h_c_err=SCALARS)),
        ("cp.fit_probability", cp.fit_probability, dict(chi2=2.0, dof=2), dict(chi2=SCALARS, dof=SCALARS)),
        ("cp.z_by_size", cp.z_by_size, dict(datasets=[exact_ds], h_values=[1.0, 2.0], window=(0.01, 0.2)),
         dict(datasets=SCALARS, h_values=ARRAYS + [[5.5]], window=SCALARS, min_realisations=SCALARS)),
        ("cp.chi_convergence", cp.chi_convergence, dict(tebd=chi_ds, exact=exact_ds, N=8, h=4.0),
         dict(tebd=SCALARS, exact=SCALARS, N=SCALARS, h=SCALARS)),
        ("cp.chi_convergence_to_largest", cp.chi_convergence_to_largest, dict(tebd=chi_ds, N=8, h=4.0),
         dict(tebd=SCALARS, N=SCALARS, h=SCALARS)),
        ("cp.same_chains_difference", cp.same_chains_difference, dict(a=chi_ds, b=chi_ds, N=8, h=4.0, chi=32),
         dict(a=SCALARS, b=SCALARS, N=SCALARS, h=SCALARS, chi=SCALARS)),
        ("cp.format_size_table", cp.format_size_table, dict(entries=[("exact", 6, cp.size_row(exact_ds, 6,
                                                                                             n_resamples=20))],
                                                            table_h=[1.0, 2.0]),
         dict(entries=SCALARS, table_h=ARRAYS)),
        ("fits.fit_averaged_power_law", fap, dict(x=eps, average=mean_over_configurations, samples=samples.T),
         dict(x=ARRAYS, average=SCALARS, samples=ARRAYS + [Bad("zeros((4, 8))", np.zeros((4, 8)))], window=SCALARS,
              n_blocks=SCALARS)),
        ("fits.fit_exponential_decay", fit_exponential_decay, dict(t=t, y=history[:, 1]),
         dict(t=ARRAYS + [Bad(f"full({t.size}, 2.0)", np.full(t.size, 2.0))], y=ARRAYS, t_min=SCALARS,
              y_min=SCALARS, min_points=SCALARS)),
        ("resampling.pull", pull, dict(a=1.0, a_err=0.1, b=1.2, b_err=0.1),
         dict(a=SCALARS, a_err=SCALARS, b=SCALARS, b_err=SCALARS)),
        ("spread.relative_spread", relative_spread, dict(values=betas[:, 0, :], site_axis=-1, config_axis=0),
         dict(values=ARRAYS + [Bad("zeros((20, 5))", np.zeros((20, 5)))], site_axis=SCALARS, config_axis=SCALARS)),
        # --- sweeps, datasets, stores ---
        ("ensemble.load_config", en.load_config, dict(path=tmp / "good.yaml"), dict(path=SCALARS)),
        ("ensemble.book_dataset", book_dataset, dict(name="book_exact"), dict(name=SCALARS)),
        ("ensemble.load_dataset", en.load_dataset, dict(path=exact_path()), dict(path=SCALARS)),
        ("ensemble.eps_index", en.eps_index, dict(ladder=[0.2, 0.1, 0.05], eps=[0.1]), dict(ladder=ARRAYS,
                                                                                          eps=ARRAYS + SCALARS)),
        ("ensemble.ResultStore", en.ResultStore, dict(config=config, read_only=True),
         dict(config=SCALARS, read_only=SCALARS)),
        ("ensemble.run_sweep", en.run_sweep, dict(config=config, workers=1),
         dict(config=SCALARS, workers=SCALARS, limit=SCALARS, scheduler=SCALARS)),
        ("ensemble.export_dataset", en.export_dataset, dict(config=config, path=tmp / "d.json"),
         dict(config=SCALARS, path=SCALARS)),
        ("Ensemble.betas_for", exact_ds.betas_for, dict(N=6, h=1.0), dict(N=SCALARS, h=SCALARS, chi=SCALARS)),
        ("Ensemble.count", exact_ds.count, dict(N=6, h=1.0), dict(N=SCALARS, h=SCALARS, chi=SCALARS)),
        ("Ensemble.h_values", exact_ds.h_values, dict(N=6), dict(N=SCALARS)),
        ("Ensemble.aligned_betas", exact_ds.aligned_betas, dict(N=6, h=1.0, realisations=[0, 1], eps=[0.2, 0.1]),
         dict(N=SCALARS, h=SCALARS, realisations=ARRAYS, eps=ARRAYS)),
        # --- figures and small tools ---
        ("plotting.subplots", plotting.subplots, dict(ncols=1), dict(ncols=SCALARS, nrows=SCALARS, width=SCALARS,
                                                                    height=SCALARS)),
        ("plotting.style", plotting.style, dict(k=0), dict(k=SCALARS)),
        ("plotting.label_axes", plotting.label_axes, dict(ax=ax, xlabel="x", ylabel="y"),
         dict(ax=SCALARS, logx=SCALARS, logy=SCALARS)),
        ("plotting.plot_exponent_fits", plotting.plot_exponent_fits, dict(ax=ax, fits=zfits),
         dict(ax=SCALARS, fits=ARRAYS + SCALARS, quantity=SCALARS, ms=SCALARS)),
        ("plotting.plot_order_parameter", plotting.plot_order_parameter, dict(ax=ax, summary=fig_summary),
         dict(ax=SCALARS, summary=SCALARS)),
        ("plotting.plot_slope_probability", plotting.plot_slope_probability,
         dict(ax=ax, summary=fig_summary, h_c=3.0, h_c_err=0.5), dict(summary=SCALARS, h_c=SCALARS,
                                                                      h_c_err=SCALARS, other=SCALARS)),
        ("plotting.plot_relaxation", plotting.plot_relaxation,
         dict(ax=ax, histories={0.1: history}, fits={0.1: fit_exponential_decay(t, history[:, 1])}),
         dict(ax=SCALARS, histories=SCALARS, fits=SCALARS)),
        ("report.bound", report.bound, dict(x=1e-12), dict(x=SCALARS, limit=SCALARS)),
        ("measured.records", measured.records, dict(results="steady_speed"),
         dict(results=SCALARS + [not_json], part=SCALARS)),
        ("limits.limit", limits.limit, dict(name="MAX_TASKS"), dict(name=SCALARS)),
        ("runner.parameter_hash", runner.parameter_hash, dict(parameters=dict(M=4)), dict(parameters=SCALARS)),
        ("chapters.get_chapter", chapters.get_chapter, dict(name="fractional_diffusion"), dict(name=SCALARS)),
        ("chapters.check_parameters", chapters.check_parameters, dict(chapter=chapter, overrides=dict(M_1d=8)),
         dict(chapter=SCALARS, overrides=SCALARS)),
        ("chapters.parse_cli_value", chapters.parse_cli_value, dict(raw="8", default=4), dict(raw=SCALARS)),
    ]


def _book_helpers(chain, ref):
    """The helpers the chapters call (one idea per cell), the relaxation sweeps and their figures."""
    import tempfile

    import matplotlib

    matplotlib.use("Agg")
    from mbl_open import ensemble as en
    from mbl_open import plotting
    from mbl_open.presentation import measured
    from mbl_open.numerics.fits import local_exponent
    from mbl_open.hydrodynamics.gibbs import network_ingredients

    ax = plotting.subplots()[1]
    exact_ds, tebd_ds = book_dataset("book_exact"), book_dataset("book_tebd")
    summary = cp.summarise(exact_ds, N=6, n_resamples=20)
    comparison = cp.compare_sizes(tebd_ds, summary, n_resamples=20)
    rows = {n: cp.size_row(exact_ds, n, window=(0.01, 0.05), n_resamples=20, seed=1) for n in (6, 8)}
    rel = {32: np.array([4e-5, 1e-3]), 8: np.array([5e-3, 4e-2])}
    start = lb.solve_steady_state(chain, 0.5, method="tebd", chi=16)
    exact_rdms = lb.solve_steady_state(chain, 0.2, method="exact").rdms
    x = np.geomspace(0.01, 0.2, 6)
    zfits = [rn.open_system_z(np.geomspace(1e-4, 1e-1, 8), 0.5, N=50, M=4, seed=2, n_blocks=4)]
    zN = cp.z_by_size([exact_ds], [1.0, 2.0], window=(0.01, 0.2))
    tmp = Path(tempfile.mkdtemp(prefix="hostile_relax_"))
    relax_cfg = make_config(dict(store=str(tmp / "store"), N=4, chi=8, h=[1.0], eps=[0.4], realisations=1,
                                 relaxation=True, solver=dict(solver="fast", min_eps_t=1.0)))
    en.run_sweep(relax_cfg, workers=1)
    relax_ds = en.load_dataset(en.export_dataset(relax_cfg, tmp / "relax.json"))
    G = hd.LocalGibbs(chain, chain.jumps())
    fast = tebd_options("fast", min_eps_t=1.0)
    (tmp / "a_file").write_text("x")
    no_rate = Bad("{eps: a record whose rate is nan}", {e: dataclasses.replace(r, fit=dataclasses.replace(
        r.fit, rate=float("nan"))) for e, r in relax_ds.relaxations(4, 1.0).items()})
    return [
        ("fits.local_exponent", local_exponent, dict(x=x, y=2.0 * x**0.5), dict(x=ARRAYS, y=ARRAYS)),
        ("fracdiff.crossover_scans", fracdiff.crossover_scans, dict(z_values=[2.0], d=1, L=512, M=4, n_eps=20,
                                                                    modes=5.0),
         dict(z_values=ARRAYS, d=SCALARS, L=SCALARS, M=SCALARS, seed=SCALARS)),
        ("rn.chain_current_law", rn.chain_current_law, dict(eps=[0.1, 0.01], alpha=0.3, N=201),
         dict(eps=ARRAYS, alpha=SCALARS, N=SCALARS, form=SCALARS)),
        ("rn.chain_current_comparison", rn.chain_current_comparison, dict(eps=[0.1, 0.03, 0.01, 0.003], alpha=0.3, N=51, M=4, n_blocks=2),
         dict(eps=ARRAYS + [[0.1]], alpha=SCALARS, N=SCALARS, M=SCALARS, seed=SCALARS, n_blocks=SCALARS)),
        ("rn.diffusive_window_z", rn.diffusive_window_z,
         dict(eps=np.geomspace(1e-3, 1.0, 13), alpha=1.0, N=40, M=3, seed=2, lam_min=2.0, n_blocks=3),
         dict(eps=ARRAYS, alpha=SCALARS, N=SCALARS, M=SCALARS, lam_min=SCALARS, lam_max_fraction=SCALARS,
              window_M=SCALARS, n_blocks=SCALARS)),
        ("lb.exact_curves", lb.exact_curves, dict(N=4, h=1.0, eps=[0.05, 0.2], n_realisations=2, seed=3),
         dict(N=SCALARS, h=SCALARS, eps=ARRAYS, n_realisations=SCALARS + [100_000], seed=SCALARS, sign=SCALARS)),
        ("lb.compare_sign_readings", lb.compare_sign_readings, dict(chain=chain, eps=0.1),
         dict(chain=SCALARS, eps=SCALARS, readings=ARRAYS + SCALARS, reference=SCALARS)),
        ("lb.chi_scan", lb.chi_scan, dict(chain=chain, start=start, chis=[8], reference=ref),
         dict(chain=SCALARS, start=SCALARS, chis=ARRAYS + SCALARS, reference=SCALARS, options=SCALARS)),
        ("lb.relax_realisation", lb.relax_realisation, dict(chain=chain, eps=[0.4], chi=8, options=fast),
         dict(chain=SCALARS, eps=ARRAYS + SCALARS, chi=SCALARS, sign=SCALARS, thermometry=SCALARS, options=SCALARS,
              checkpoint=SCALARS + [Bad("<a file>/sub", tmp / "a_file" / "sub")])),
        ("hd.network_ingredients", network_ingredients, dict(gibbs=G, beta=0.3), dict(gibbs=SCALARS, beta=SCALARS)),
        ("cp.compare_sizes", cp.compare_sizes, dict(ensemble=tebd_ds, summary=summary, n_resamples=20),
         dict(ensemble=SCALARS, summary=SCALARS, N=SCALARS, chi=SCALARS, n_resamples=SCALARS, seed=SCALARS,
              min_realisations=SCALARS)),
        ("cp.format_size_comparison", cp.format_size_comparison, dict(comparison=comparison),
         dict(comparison=SCALARS)),
        ("cp.size_drift", cp.size_drift, dict(rows=rows, h=1.0, reference_N=6),
         dict(rows=ARRAYS + SCALARS, h=SCALARS, reference_N=SCALARS)),
        ("cp.format_chi_table", cp.format_chi_table, dict(rel=rel, eps=[0.2, 0.03]), dict(rel=SCALARS, eps=ARRAYS)),
        ("measured.latest_records", measured.latest_records,
         dict(results="steady_speed", queries={"a": ("paper", {})}), dict(results=SCALARS, queries=SCALARS)),
        ("lb.rate_collapse", lb.rate_collapse, dict(runs=relax_ds.relaxations(4, 1.0)),
         dict(runs=ARRAYS + SCALARS + [no_rate], eps_t_late=SCALARS)),
        ("Ensemble.relaxations", relax_ds.relaxations, dict(N=4, h=1.0), dict(N=SCALARS, h=SCALARS, r=SCALARS,
                                                                              chi=SCALARS)),
        ("plotting.plot_pauli_scatter", plotting.plot_pauli_scatter, dict(ax=ax, exact_rdms=exact_rdms,
                                                                          tebd_rdms=start.rdms),
         dict(ax=SCALARS, exact_rdms=ARRAYS, tebd_rdms=ARRAYS)),
        ("plotting.plot_rdm_diagonals", plotting.plot_rdm_diagonals, dict(ax=ax, exact_rdms=exact_rdms,
                                                                          tebd_rdms=start.rdms),
         dict(ax=SCALARS, exact_rdms=ARRAYS, tebd_rdms=ARRAYS)),
        ("plotting.plot_chi_scan", plotting.plot_chi_scan,
         dict(ax=ax, scan=lb.chi_scan(chain, start, [8], ref)), dict(ax=SCALARS, scan=SCALARS)),
        ("plotting.plot_size_comparison", plotting.plot_size_comparison,
         dict(ax=ax, summary=summary, comparison=comparison), dict(ax=SCALARS, summary=SCALARS, comparison=SCALARS)),
        ("plotting.plot_chi_convergence", plotting.plot_chi_convergence, dict(ax=ax, rel=rel, eps=[0.2, 0.03]),
         dict(ax=SCALARS, rel=SCALARS, eps=ARRAYS, reference=SCALARS)),
        ("plotting.plot_z_by_size", plotting.plot_z_by_size, dict(ax=ax, z_fits=zN, h_values=[1.0, 2.0]),
         dict(ax=SCALARS, z_fits=SCALARS, h_values=ARRAYS)),
        ("plotting.plot_local_slopes", plotting.plot_local_slopes, dict(ax=ax, fits=zfits, scales=[1.0]),
         dict(ax=SCALARS, fits=ARRAYS + SCALARS, scales=ARRAYS, ms=SCALARS)),
    ]


def ref_spectrum(chain):
    """Eigenvalues and eigenvectors of the chain's Hamiltonian, the input of ``reference_from_spectrum``."""
    H = lb.hamiltonian(chain)
    H = H.toarray() if hasattr(H, "toarray") else np.asarray(H)
    return np.linalg.eigh(H)


def exact_path():
    return Path(__file__).resolve().parents[1] / "data" / "book_exact.json"


def _call(fn, kwargs):
    if fn in (jackknife, bootstrap):
        kw = dict(kwargs)
        return fn(kw.pop("estimator"), np.arange(20.0), **kw)
    return fn(**kwargs)


def _finite(result) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a complex result is checked by its real part here
            arrays = [np.asarray(v, dtype=float) for v in (result if isinstance(result, tuple) else (result,))]
    except (TypeError, ValueError):
        return True  # an object: not checked here
    return all(np.all(np.isfinite(a)) for a in arrays)


def classify(fn, kwargs, arg, timeout):
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(timeout)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = _call(fn, kwargs)
        return ("accepted" if _finite(result) else "nonfinite"), ""
    except Timeout:
        return "timeout", ""
    except (ValueError, TypeError) as exc:
        names = {arg, arg.replace("_", " ")}
        return ("named" if any(n in str(exc) for n in names) else "unclear"), f"{type(exc).__name__}: {exc}"
    except FileNotFoundError as exc:  # the right refusal of a path that does not exist, if it shows the path
        return ("named" if str(kwargs[arg]) in str(exc) else "unclear"), f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # noqa: BLE001 - the survey's point
        return "unclear", f"{type(exc).__name__}: {exc}"
    finally:
        signal.alarm(0)


def _cli_cases(tmp):
    """Command lines a user might get wrong: (label, argv)."""
    tmp = Path(tmp)
    good = "store: store\nmethod: exact\nN: 4\nh: [1.0]\neps: [0.2]\nrealisations: 1\n"
    files = {
        "malformed YAML": "store: [unclosed\n", "not a mapping": "- 1\n- 2\n", "missing key": "store: s\nN: 4\n",
        "unknown key": good + "colour: red\n", "duplicate N": good.replace("N: 4", "N: [4, 4]"),
        "N too large (exact)": good.replace("N: 4", "N: 12"), "bool realisations": good.replace(": 1\n", ": yes\n"),
        "huge realisations": good.replace(": 1\n", ": 1000000000000\n"), "negative eps": good.replace("0.2", "-0.2"),
        "tebd tiny eps": good.replace("exact", "tebd").replace("0.2", "0.00001"),
        "bad solver option": good.replace("exact", "tebd") + "solver: {dt: 5}\n",
        "bad thermometry": good + "thermometry: {method: magic}\n",
    }
    cases = []
    for label, text in files.items():
        path = tmp / (label.replace(" ", "_") + ".yaml")
        path.write_text(text)
        cases += [(f"status: {label}", ["status", str(path)]), (f"sweep: {label}", ["sweep", str(path)])]
    (tmp / "good.yaml").write_text(good)
    (tmp / "bin.yaml").write_bytes(b"\xff\xfe\x00store")
    cases.append(("status: non-UTF-8 file", ["status", str(tmp / "bin.yaml")]))
    (tmp / "file_store.yaml").write_text(good.replace("store: store", "store: a_file"))
    (tmp / "a_file").write_text("x")
    cases.append(("sweep: store path is a file", ["sweep", str(tmp / "file_store.yaml")]))
    cases += [
        ("status: missing file", ["status", str(tmp / "missing.yaml")]),
        ("export: nothing stored", ["export", str(tmp / "missing_key.yaml"), "--out", str(tmp / "d.json")]),
        ("run: unknown chapter", ["run", "no_such_chapter"]),
        ("run: unknown parameter", ["run", "fractional_diffusion", "-p", "nope", "1"]),
        ("run: out of range", ["run", "fractional_diffusion", "-p", "L_1d", "-5"]),
        ("run: wrong type", ["run", "fractional_diffusion", "-p", "M_1d", "lots"]),
        ("run: parameter twice", ["run", "fractional_diffusion", "-p", "M_1d", "4", "-p", "M_1d", "8"]),
        ("run: text page", ["run", "symbols"]),
        ("sweep: zero workers", ["sweep", str(tmp / "good.yaml"), "--workers", "0"]),
        ("sweep: negative limit", ["sweep", str(tmp / "good.yaml"), "--limit", "-3"]),
    ]
    return cases


def _cli_survey(show) -> Counter:
    import contextlib
    import io
    import tempfile

    import mbl_open.execution.runner as runner
    from mbl_open.execution.cli import main as cli

    def no_kernel(*a, **k):
        raise AssertionError("a kernel was started")

    runner.run_chapter, saved = no_kernel, runner.run_chapter
    counts = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        for label, argv in _cli_cases(tmp):
            err = io.StringIO()
            try:
                with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                    code = cli(argv)
            except SystemExit as exc:  # argparse's own usage errors
                code = exc.code
            except Exception as exc:  # noqa: BLE001 - a traceback for a user's mistake
                code, err = "traceback", io.StringIO(f"{type(exc).__name__}: {exc}")
            text = err.getvalue().strip()
            outcome = ("one line" if code == 2 and text.count("\n") == 0 and text.startswith("error")
                       else "usage" if code == 2 else "traceback" if code == "traceback" else f"exit {code}")
            counts[outcome] += 1
            if outcome not in ("one line", "usage") or "cli" in show:
                print(f"  {outcome:9s} {label}: {text[:150]}")
    runner.run_chapter = saved
    return counts


def survey(timeout=20):
    """Every bad call of every entry point: a list of ``(entry, argument, value, outcome, message)``."""
    rows = []
    cwd = os.getcwd()
    os.chdir(tempfile.mkdtemp(prefix="hostile_cwd_"))  # valid calls may write (checkpoints, results) into "."
    try:
        for name, fn, valid, bad in _entries():
            outcome, msg = classify(fn, valid, "", timeout)
            if outcome != "accepted":  # the survey's own mistake: every bad call starts from a valid one
                raise RuntimeError(f"the valid call of {name} fails: {outcome} {msg}")
            for arg, values in bad.items():
                for value in values:
                    kwargs = value.call(valid, arg) if isinstance(value, Bad) else {**valid, arg: value}
                    outcome, msg = classify(fn, kwargs, arg, timeout)
                    rows.append((name, arg, value, outcome, msg))
    finally:
        os.chdir(cwd)
    return rows


#: The calls whose outcome is not ``named`` and has been looked at: valid inputs that are accepted, and the
#: refusals still to be made clearer.  ``tests/test_hostile_inputs.py`` fails on any other outcome.
REVIEWED = Path(__file__).resolve().parent / "hostile_inputs_reviewed.txt"


def read_reviewed(path=REVIEWED) -> dict:
    """``call -> outcome`` of the reviewed file (lines ``outcome call``; ``#`` starts a comment)."""
    out = {}
    for line in Path(path).read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            outcome, call = line.split(" ", 1)
            out[call] = outcome
    return out


def call_text(name, arg, value) -> str:
    """One call as the survey and its list of known outcomes write it."""
    return f"{name}({arg}={value!r})"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--timeout", type=int, default=20, help="seconds per call")
    ap.add_argument("--show", default="unclear,nonfinite,timeout", help="classes whose calls are listed")
    ap.add_argument("--reviewed", action="store_true",
                    help=f"print every call that is not 'named' in the format of {REVIEWED.name} and stop")
    args = ap.parse_args(argv)
    show = set(args.show.split(",")) if args.show else set()
    classes = ("named", "unclear", "accepted", "nonfinite", "timeout")
    rows = survey(args.timeout)
    if args.reviewed:
        print("\n".join(f"{o} {call_text(n, a, v)}" for n, a, v, o, m in rows if o != "named"))
        return 0
    per_entry = {}
    for name, arg, value, outcome, msg in rows:
        per_entry.setdefault(name, Counter())[outcome] += 1
    total = Counter()
    print(f"{'entry point':40s} {'tried':>5} " + " ".join(f"{c:>9}" for c in classes))
    for name, counts in per_entry.items():
        total.update(counts)
        print(f"{name:40s} {sum(counts.values()):>5} " + " ".join(f"{counts[c]:>9}" for c in classes))
    print(f"{'total':40s} {sum(total.values()):>5} " + " ".join(f"{total[c]:>9}" for c in classes))
    listed = [f"  {o:9s} {call_text(n, a, v)} {m[:150]}" for n, a, v, o, m in rows if o in show]
    if listed:
        print("\n".join(["", "calls:"] + listed))
    print("\ncommand line (one line: 'error: ...' on stderr and status 2; usage: argparse's own message):")
    counts = _cli_survey(show)
    print("  " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) + f"  (of {sum(counts.values())})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
