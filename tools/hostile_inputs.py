"""Try bad inputs against the public entry points and count what happens to each.

For every entry point a valid call is known; each argument in turn is replaced
by values a hostile but fair user might pass (NaN, inf, negative, zero, huge,
None, text, a bool, a complex number, an empty or ragged list).  Each call runs
under a time limit and is classified:

``named``
    refused with ``ValueError`` / ``TypeError`` whose message names the argument;
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
import math
import os
import signal
import warnings
from collections import Counter

import numpy as np

os.environ.setdefault("MBL_OPEN_NO_PROGRESS", "1")

from mbl_open import critical as cp  # noqa: E402
from mbl_open import fracdiff  # noqa: E402
from mbl_open import hydrodynamics as hd  # noqa: E402
from mbl_open import lindblad as lb  # noqa: E402
from mbl_open import resistor_networks as rn  # noqa: E402
from mbl_open.ensemble import book_dataset, make_config  # noqa: E402
from mbl_open.fits import fit_power_law  # noqa: E402
from mbl_open.lindblad.options import tebd_options  # noqa: E402
from mbl_open.resampling import bootstrap, jackknife  # noqa: E402
from mbl_open.spread import relative_spread_from_moments  # noqa: E402

SCALARS = [math.nan, math.inf, -1, 0, 10**12, None, "x", True, 1 + 1j]
ARRAYS = [[], [[1.0, 2.0], [3.0]], [math.nan], [-1.0], "x", None, [1 + 1j]]


class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout


def _entries():
    """(name, function, valid keyword arguments, {argument: bad values})."""
    chain = lb.Chain.draw(4, 1.0, 0, seed=1)
    ref = chain.thermal_reference()
    rdms = lb.solve_steady_state(4, 1.0, 0.2, *chain.fields, method="exact").rdms
    betas = np.random.default_rng(0).uniform(0.4, 0.6, (20, 3, 5))
    eps = np.array([0.2, 0.1, 0.05, 0.02])
    e = [
        ("fracdiff.continuum_variance", fracdiff.continuum_variance, dict(eps=[0.1, 0.01], z=2.0, d=1),
         dict(eps=ARRAYS, z=SCALARS, d=SCALARS)),
        ("fracdiff.lattice_variance_samples", fracdiff.lattice_variance_samples,
         dict(eps=[0.1, 0.01], z=2.0, d=1, L=256, M=4, seed=0),
         dict(eps=ARRAYS, z=SCALARS, d=SCALARS, L=SCALARS, M=SCALARS, seed=SCALARS)),
        ("fracdiff.crossover_scan", fracdiff.crossover_scan, dict(z=2.0, d=1, L=512, M=4, n_eps=8, modes=5.0),
         dict(z=SCALARS, L=SCALARS, M=SCALARS, n_eps=SCALARS, modes=SCALARS)),
        ("rn.draw_disorder", rn.draw_disorder, dict(N=50, M=4, seed=0), dict(N=SCALARS, M=SCALARS, seed=SCALARS)),
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
         dict(eps=ARRAYS, alpha=SCALARS, N=SCALARS, M=SCALARS, n_blocks=SCALARS)),
        ("lb.Chain.draw", lb.Chain.draw, dict(N=4, h=1.0, r=0, seed=0), dict(N=SCALARS, h=SCALARS, r=SCALARS,
                                                                         seed=SCALARS)),
        ("lb.paper_jumps", lb.paper_jumps, dict(N=4), dict(N=SCALARS, sign=SCALARS)),
        ("lb.hamiltonian", lb.hamiltonian, dict(N=4, h=1.0, zeta_z=chain.zeta_z, zeta_x=chain.zeta_x),
         dict(N=SCALARS, h=SCALARS, zeta_z=ARRAYS, zeta_x=ARRAYS)),
        ("lb.solve_steady_state (exact)", lb.solve_steady_state,
         dict(N=4, h=1.0, eps=0.1, zeta_z=chain.zeta_z, zeta_x=chain.zeta_x, method="exact"),
         dict(N=SCALARS, h=SCALARS, eps=SCALARS, zeta_z=ARRAYS, jumps=ARRAYS, method=SCALARS)),
        ("lb.solve_steady_state (tebd)", lb.solve_steady_state,
         dict(N=4, h=1.0, eps=0.2, zeta_z=chain.zeta_z, zeta_x=chain.zeta_x, chi=8),
         dict(eps=SCALARS, chi=SCALARS, dt=SCALARS, richardson=SCALARS, tol=SCALARS, max_eps_t=SCALARS)),
        ("lb.solve_realisation", lb.solve_realisation, dict(chain=chain, eps=[0.2, 0.1], method="exact"),
         dict(chain=SCALARS, eps=ARRAYS + SCALARS, method=SCALARS, rate_equation=SCALARS, thermometry=SCALARS)),
        ("lb.thermal_reference", lb.thermal_reference, dict(N=4, h=1.0, zeta_z=chain.zeta_z, zeta_x=chain.zeta_x),
         dict(N=SCALARS, h=SCALARS, beta_max=SCALARS, method=SCALARS)),
        ("lb.fit_betas", lb.fit_betas, dict(rdms=rdms, reference=ref), dict(rdms=ARRAYS, reference=SCALARS,
                                                                           n_grid=SCALARS)),
        ("lb.dbeta_over_beta", lb.dbeta_over_beta, dict(betas=[0.4, 0.5, 0.6]), dict(betas=ARRAYS)),
        ("lb.rate_equation_steady_state", lb.rate_equation_steady_state,
         dict(N=4, h=1.0, zeta_z=chain.zeta_z, zeta_x=chain.zeta_x, jumps=chain.jumps()),
         dict(N=SCALARS, h=SCALARS, jumps=ARRAYS)),
        ("hd.hydro_ladder", hd.hydro_ladder, dict(chain=chain, eps=[0.2, 0.1]),
         dict(chain=SCALARS, eps=ARRAYS, method=SCALARS, beta_max=SCALARS)),
        ("cp.order_parameter", cp.order_parameter, dict(betas=betas, n_resamples=20),
         dict(betas=ARRAYS, n_resamples=SCALARS, seed=SCALARS)),
        ("cp.fit_z", cp.fit_z, dict(eps=eps[:3], betas=betas), dict(eps=ARRAYS, betas=ARRAYS)),
        ("cp.fit_critical_exponent", cp.fit_critical_exponent,
         dict(h=[1.0, 2.0, 3.0, 4.0], z=[2.0, 3.0, 5.0, 9.0], z_err=[0.1, 0.1, 0.2, 0.5], h_c=6.0),
         dict(h=ARRAYS, z=ARRAYS, z_err=ARRAYS, h_c=SCALARS, form=SCALARS)),
        ("spread.relative_spread_from_moments", relative_spread_from_moments, dict(var=[1.0, 2.0], mean=[1.0, 1.0]),
         dict(var=ARRAYS, mean=ARRAYS)),
        ("fits.fit_power_law", fit_power_law, dict(x=[1.0, 2.0, 3.0], y=[1.0, 4.0, 9.0]),
         dict(x=ARRAYS, y=ARRAYS, window=SCALARS)),
        ("hd.LocalGibbs", hd.LocalGibbs, dict(N=4, h=1.0, zeta_z=chain.zeta_z, zeta_x=chain.zeta_x,
                                             jumps=chain.jumps()),
         dict(N=SCALARS, h=SCALARS, zeta_z=ARRAYS, zeta_x=ARRAYS, jumps=ARRAYS)),
        ("hd.energy_currents", hd.energy.energy_currents, dict(N=4, h=1.0, zeta_z=chain.zeta_z, zeta_x=chain.zeta_x),
         dict(N=SCALARS, h=SCALARS, zeta_z=ARRAYS)),
        ("lb.tebd_options", tebd_options, dict(solver="fast"),
         dict(solver=SCALARS, dt=SCALARS, order=SCALARS, engine=SCALARS, richardson=SCALARS, tol=SCALARS,
              max_eps_t=SCALARS, three_site=SCALARS)),
        ("ensemble.make_config", make_config, dict(raw=dict(store="s", method="exact", N=4, h=[1.0], eps=[0.1],
                                                           realisations=1)),
         dict(raw=SCALARS)),
        ("cp.summarise", cp.summarise, dict(ensemble=book_dataset("book_exact"), N=6, n_resamples=20),
         dict(ensemble=SCALARS, N=SCALARS, window=SCALARS, n_resamples=SCALARS, seed=SCALARS)),
        ("fracdiff.fit_dT_exponent", fracdiff.fit_dT_exponent,
         dict(eps=eps, samples=np.random.default_rng(1).uniform(1, 2, (8, 4)), window=(0.02, 0.2)),
         dict(eps=ARRAYS, samples=ARRAYS, window=SCALARS, n_blocks=SCALARS)),
        ("resampling.jackknife", jackknife, dict(estimator=np.mean, n_blocks=4),
         dict(n_blocks=SCALARS, estimator=SCALARS)),
        ("resampling.bootstrap", bootstrap, dict(estimator=np.mean, n_resamples=10),
         dict(n_resamples=SCALARS, seed=SCALARS, estimator=SCALARS)),
    ]
    return e


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
    except Exception as exc:  # noqa: BLE001 - the survey's point
        return "unclear", f"{type(exc).__name__}: {exc}"
    finally:
        signal.alarm(0)


def _cli_cases(tmp):
    """Command lines a user might get wrong: (label, argv)."""
    from pathlib import Path

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

    import mbl_open.runner as runner
    from mbl_open.cli import main as cli

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


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--timeout", type=int, default=20, help="seconds per call")
    ap.add_argument("--show", default="unclear,nonfinite,timeout", help="classes whose calls are listed")
    args = ap.parse_args(argv)
    show = set(args.show.split(",")) if args.show else set()
    classes = ("named", "unclear", "accepted", "nonfinite", "timeout")
    total, listed = Counter(), []
    print(f"{'entry point':40s} {'tried':>5} " + " ".join(f"{c:>9}" for c in classes))
    for name, fn, valid, bad in _entries():
        counts = Counter()
        for arg, values in bad.items():
            for value in values:
                outcome, msg = classify(fn, {**valid, arg: value}, arg, args.timeout)
                counts[outcome] += 1
                if outcome in show:
                    listed.append(f"  {outcome:9s} {name}({arg}={value!r}) {msg[:150]}")
        total.update(counts)
        print(f"{name:40s} {sum(counts.values()):>5} " + " ".join(f"{counts[c]:>9}" for c in classes), flush=True)
    print(f"{'total':40s} {sum(total.values()):>5} " + " ".join(f"{total[c]:>9}" for c in classes))
    if listed:
        print("\n".join(["", "calls:"] + listed))
    print("\ncommand line (one line: 'error: ...' on stderr and status 2; usage: argparse's own message):")
    counts = _cli_survey(show)
    print("  " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) + f"  (of {sum(counts.values())})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
