"""Write the measured numbers into the README from the benchmark records (``--check``: only compare).

The README cannot run code, so its solver-speed block is generated: the text
between ``<!-- measured:steady_speed -->`` and ``<!-- /measured -->`` is
rewritten from the newest records of ``benchmarks/results_steady_speed.jsonl``
(:mod:`mbl_open.measured`).  ``make test`` runs ``--check``, which fails when
the README no longer says what the records say.
"""
import argparse
import re
import sys
from pathlib import Path

from mbl_open.measured import latest_record

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"(<!-- measured:steady_speed -->\n).*?(<!-- /measured -->)", re.S)


def _ladder_line(part):
    try:
        r = latest_record("steady_speed", part)
    except LookupError:
        return f"- {part}: not measured yet"
    return (f"- N = {r['N']}, chi = {r['chi']}, h = {r['h']:g}, ladder eps = {r['eps'][0]:g} ... {r['eps'][-1]:g}: "
            f"reference {r['reference']['wall_s']:.0f} s, fast {r['fast']['wall_s']:.0f} s, "
            f"**{r['ratio']:.1f}x** ({r['started'][:10]}, commit {r['commit']})")


def _paper_line():
    try:
        r = latest_record("steady_speed", "paper")
    except LookupError:
        return "- N = 20, chi = 100 (the paper's scale): not measured yet"
    per_eps = ", ".join(f"{x['eps']:g}: {x['wall_s']:.0f} s" for x in r["per_eps"])
    return (f"- N = {r['N']}, chi = {r['chi']}, h = {r['h']:g} (the paper's scale), fast solver, ladder "
            f"eps = {r['eps'][0]:g} ... {r['eps'][-1]:g}: **{r['wall_s'] / 60:.0f} min** on one core "
            f"({per_eps}), peak memory {r['peak_rss_mb']:.0f} MB; dbeta/beta at eps = {r['eps_check']:g} "
            f"changes by {100 * r['dbeta_rel_change_chi']:.2g}% from chi = {r['chi']} to {r['chi_check']} "
            f"({r['started'][:10]}, commit {r['commit']})")


def block() -> str:
    """The generated text of the block."""
    lines = ["Measured by `benchmarks/bench_steady_speed.py` (one realisation, wall times on one core):", ""]
    lines += [_ladder_line("ladder8"), _ladder_line("ladder12"), _paper_line()]
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--check", action="store_true", help="exit 1 if the README differs from the records")
    args = ap.parse_args()
    text = README.read_text()
    if not BLOCK.search(text):
        sys.exit("README.md has no <!-- measured:steady_speed --> block")
    new = BLOCK.sub(lambda m: m.group(1) + block() + m.group(2), text)
    if args.check:
        if new != text:
            sys.exit("README.md's measured block is stale: run `python tools/readme_numbers.py`")
        return
    README.write_text(new)


if __name__ == "__main__":
    main()
