"""Write the measured numbers into the README from the benchmark records (``--check``: only compare).

The README cannot run code, so two of its blocks are generated: the text
between ``<!-- measured:steady_speed -->`` and ``<!-- /measured -->`` is
rewritten from the newest records of ``benchmarks/results_steady_speed.jsonl``
(:mod:`mbl_open.presentation.measured`), and the one after ``<!-- measured:datasets -->``
from the provenance of the datasets that grow across sessions (every ``data/*.json`` but the
``book_*`` ones), and the one after
``<!-- measured:chi_check -->`` from ``experiments/results_chi_check.jsonl``.  ``make test`` runs ``--check``, which
fails when the README no longer says what the records say.
"""
import argparse
import re
import sys
from pathlib import Path

from mbl_open.presentation.measured import chi_checks, latest_record

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"(<!-- measured:steady_speed -->\n).*?(<!-- /measured -->)", re.S)
DATA_BLOCK = re.compile(r"(<!-- measured:datasets -->\n).*?(<!-- /measured -->)", re.S)
CHI_BLOCK = re.compile(r"(<!-- measured:chi_check -->\n).*?(<!-- /measured -->)", re.S)
DATA_DIR = README.parent / "data"


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


def data_block() -> str:
    """Status of the growing datasets: tasks, CPU time, the rate per task and what the rest costs at it."""
    from mbl_open.ensemble import book_dataset

    lines = []
    for name in sorted(p.stem for p in DATA_DIR.glob("*.json") if not p.stem.startswith("book_")):
        p = book_dataset(name).provenance
        per_task = p["cpu_time_total"] / max(p["n_tasks"], 1)
        rest = (p["n_tasks_planned"] - p["n_tasks"]) * per_task / 3600
        lines.append(f"- `data/{name}.json`: {'complete' if p['complete'] else 'incomplete'}, {p['n_tasks']} of "
                     f"{p['n_tasks_planned']} tasks, {p['cpu_time_total'] / 3600:.2f} CPU h "
                     f"({per_task:.0f} CPU s per task on average, computed {p['first_task_started'][:10]} .. "
                     f"{p['last_task_finished'][:10]})"
                     + ("" if p["complete"] else f"; the rest is about {rest:.0f} CPU h at that rate"))
    return "\n".join(lines) + "\n"


def chi_block() -> str:
    """The bond-dimension checks of the growing sweeps: the change of dbeta/beta from chi to 1.5 chi."""
    lines = []
    for config, checked in chi_checks().items():
        per_h = ", ".join(f"{x['abs_change']:.1e} ({100 * x['rel_change']:.2g}% of {x['dbeta_over_beta_check']:.3f}; "
                          f"h = {x['h']:g}, r = {x['r']})" for x in checked)
        runs = dict.fromkeys(x["started"][:10] + (f", commit {x['commit']}" if x["commit"] else "") for x in checked)
        x = checked[0]
        lines.append(f"- `{config}` (N = {x['N']}, chi = {x['chi']} -> {x['chi_check']}, eps = {x['eps']:g}): "
                     f"dbeta/beta changes by {per_h}; largest {max(y['abs_change'] for y in checked):.1e} "
                     f"({'; '.join(runs)})")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--check", action="store_true", help="exit 1 if the README differs from the records")
    args = ap.parse_args()
    text = README.read_text()
    if not BLOCK.search(text) or not DATA_BLOCK.search(text) or not CHI_BLOCK.search(text):
        sys.exit("README.md lacks a <!-- measured:steady_speed -->, <!-- measured:datasets --> or "
                 "<!-- measured:chi_check --> block")
    new = BLOCK.sub(lambda m: m.group(1) + block() + m.group(2), text)
    new = DATA_BLOCK.sub(lambda m: m.group(1) + data_block() + m.group(2), new)
    new = CHI_BLOCK.sub(lambda m: m.group(1) + chi_block() + m.group(2), new)
    if args.check:
        if new != text:
            sys.exit("README.md's measured blocks are stale: run `python tools/readme_numbers.py`")
        return
    README.write_text(new)


if __name__ == "__main__":
    main()
