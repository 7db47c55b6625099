"""Run the test suite under several BLAS configurations of one machine (``make test-portability``).

Floating-point results depend on the BLAS kernel (AVX2, AVX, SSE ...) and on
the number of BLAS threads, which change the order of summation.  The suite
and the golden notebooks must not: every printed digit and every tolerance has
to hold on any machine.  This script imitates other machines on this one by
forcing OpenBLAS to other kernels (``OPENBLAS_CORETYPE``) and thread counts
(``OPENBLAS_NUM_THREADS``), runs the same command as ``make test`` in each
configuration, and prints one line per configuration.

The configurations are, unless given with ``--config KERNEL:THREADS``:

* the newest kernel below the machine's own that this CPU can execute, with 2 threads;
* the next one, with 1 thread;
* the machine's own kernel with 1 thread (``make test`` runs it with the
  machine's default thread count).

``--limit K`` runs only the first ``K`` of them (CI runs the goldens in the first).

Before the suite runs, each configuration is checked to take effect (the
kernel and thread count OpenBLAS reports through ``threadpoolctl``); a
configuration that OpenBLAS ignores is an error, not a silent pass.

Usage::

    python tools/test_portability.py                 # all configurations, the whole suite
    python tools/test_portability.py --goldens-only  # only the golden notebooks (nbval)
    python tools/test_portability.py --goldens-only --limit 1   # what CI runs
    python tools/test_portability.py --config Sandybridge:2 -- tests/test_networks.py

Exit status 0 when every configuration passes, 1 otherwise.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: OpenBLAS x86-64 kernels, newest first, with the CPU flag each needs.
KERNELS = (("SkylakeX", "avx512f"), ("Haswell", "avx2"), ("Sandybridge", "avx"),
           ("Nehalem", "sse4_2"), ("Prescott", "sse3"))

NBVAL = ["--nbval", "--nbval-current-env", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg",
         "--nbval-cell-timeout=600"]

PROBE = ("import json, numpy, threadpoolctl; "
         "print(json.dumps([(i['architecture'], i['num_threads']) "
         "for i in threadpoolctl.threadpool_info() if i['internal_api'] == 'openblas']))")


def cpu_flags() -> set[str]:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return set()
    for line in text.splitlines():
        if line.startswith("flags"):
            return set(line.split(":", 1)[1].split())
    return set()


def blas_env(kernel: str | None, threads: int) -> dict:
    env = dict(os.environ, MBL_OPEN_NO_PROGRESS="1", OPENBLAS_NUM_THREADS=str(threads))
    env.pop("MPLBACKEND", None)
    if kernel:
        env["OPENBLAS_CORETYPE"] = kernel
    else:
        env.pop("OPENBLAS_CORETYPE", None)
    return env


def probe(kernel: str | None, threads: int) -> list[tuple[str, int]]:
    """(kernel, threads) of every OpenBLAS that numpy and scipy load, as OpenBLAS reports them."""
    out = subprocess.run([sys.executable, "-c", "import scipy.linalg; " + PROBE], env=blas_env(kernel, threads),
                         capture_output=True, text=True, check=True).stdout
    return [tuple(x) for x in json.loads(out)]


def default_configs() -> list[tuple[str, int]]:
    own = probe(None, 1)[0][0]
    flags = cpu_flags()
    names = [name for name, _ in KERNELS]
    below = names[names.index(own) + 1:] if own in names else names[1:]
    runnable = [name for name, flag in KERNELS if name in below and flag in flags]
    if len(runnable) < 2:
        raise SystemExit(f"need two OpenBLAS kernels other than {own} that this CPU runs; found {runnable}")
    return [(runnable[0], 2), (runnable[1], 1), (own, 1)]


def parse_config(text: str) -> tuple[str, int]:
    kernel, sep, threads = text.partition(":")
    if not sep or not kernel or not threads.isdigit() or int(threads) < 1:
        raise argparse.ArgumentTypeError(f"--config must look like KERNEL:THREADS (e.g. Sandybridge:2), got {text!r}")
    return kernel, int(threads)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", action="append", type=parse_config, metavar="KERNEL:THREADS",
                        help="a configuration to run (repeatable); default: three, see the module docstring")
    parser.add_argument("--limit", type=int, default=None, metavar="K",
                        help="run only the first K configurations (K >= 1)")
    parser.add_argument("--goldens-only", action="store_true", help="run only the golden notebooks (nbval)")
    parser.add_argument("pytest_args", nargs="*", help="passed to pytest (default: tests, or tests/golden)")
    args = parser.parse_args(argv)

    if args.limit is not None and args.limit < 1:
        parser.error(f"--limit must be >= 1, got {args.limit}")
    configs = (args.config or default_configs())[:args.limit]
    targets = args.pytest_args or (["tests/golden"] if args.goldens_only else ["tests"])
    rows, ok = [], True
    for kernel, threads in configs:
        seen = probe(kernel, threads)
        if any(k.lower() != kernel.lower() or n != threads for k, n in seen):
            print(f"{kernel}:{threads}: OpenBLAS did not take this configuration (it reports {seen})", flush=True)
            rows.append((kernel, threads, "not applied", 0.0))
            ok = False
            continue
        print(f"== OPENBLAS_CORETYPE={kernel} OPENBLAS_NUM_THREADS={threads}: pytest {' '.join(targets)}", flush=True)
        start = time.perf_counter()
        cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *NBVAL, *targets]
        rc = subprocess.run(cmd, cwd=ROOT, env=blas_env(kernel, threads)).returncode
        wall = time.perf_counter() - start
        rows.append((kernel, threads, "passed" if rc == 0 else f"FAILED (pytest status {rc})", wall))
        ok &= rc == 0
    print("\nBLAS configuration            result      wall time")
    for kernel, threads, result, wall in rows:
        print(f"  {kernel:>12s}, {threads} thread(s)   {result:<10s}  {wall:7.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
