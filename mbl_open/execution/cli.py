"""Command line: ``python -m mbl_open {list,run,sweep,status,export} ...``.

Examples
--------
List every chapter with its parameters and defaults::

    python -m mbl_open list

Re-execute a chapter with other parameters (results under ``results/``)::

    python -m mbl_open run fractional_diffusion -p M_1d 1024 -p z_1d "[2, 2.5, 3]"

Run (or resume) a disorder sweep on all local cores, or on a Dask cluster::

    python -m mbl_open sweep sweeps/book_exact.yaml
    python -m mbl_open sweep sweeps/book_exact.yaml --scheduler tcp://10.0.0.5:8786
    python -m mbl_open status sweeps/book_exact.yaml
    python -m mbl_open export sweeps/book_exact.yaml     # dataset of what the store holds so far
"""
from __future__ import annotations

import argparse
import os
import re
import sys

from .chapters import check_parameters, check_run_time, get_chapter, list_chapters, parse_cli_value

__all__ = ["main"]


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m mbl_open", description=__doc__.split("\n\n")[0])
    parser.add_argument("--debug", action="store_true",
                        help="show the full Python traceback of an error (default: one line on stderr)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="print every chapter with its parameters and defaults")
    run = sub.add_parser("run", help="execute a chapter through papermill")
    run.add_argument("chapter", help="chapter name (see 'list')")
    run.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="override one parameter (repeatable); VALUE is a Python literal or plain text",
    )
    run.add_argument("--out", default="results", help="results directory (default: results)")
    run.add_argument("--yes", action="store_true",
                     help="run even if the estimated run time exceeds an hour (MBL_OPEN_RUN_MAX_SECONDS)")
    sweep = sub.add_parser("sweep", help="compute the missing tasks of a disorder sweep (resumable)")
    sweep.add_argument("config", help="sweep YAML file (see mbl_open.ensemble.config)")
    sweep.add_argument("--scheduler", default=None, metavar="ADDRESS",
                       help="Dask scheduler address, e.g. tcp://host:8786 (default: local worker processes)")
    sweep.add_argument("--workers", type=int, default=None, help="local worker processes (default: all cores)")
    sweep.add_argument("--limit", type=int, default=None,
                       help="run at most this many missing tasks (a trial: no dataset is written)")
    sweep.add_argument("--h", type=float, nargs="+", default=None, metavar="H", dest="only_h",
                       help="run only the missing tasks at these disorder strengths (e.g. new h of a grown sweep)")
    sweep.add_argument("--force", action="store_true",
                       help="let the dataset written at the end replace one that holds other or more results")
    status = sub.add_parser("status", help="done / missing / failed counts of a sweep's store")
    status.add_argument("config", help="sweep YAML file")
    export = sub.add_parser("export", help="write the compact dataset of a sweep's store (what it holds so far)")
    export.add_argument("config", help="sweep YAML file")
    export.add_argument("--out", default=None, help="output .json (default: the config's 'dataset')")
    export.add_argument("--force", action="store_true",
                        help="replace a dataset that holds other or more results than the store")
    return parser


def _plain(title: str) -> str:
    """A chapter title for the terminal: MyST math ``$...$`` as plain text."""
    text = re.sub(r"\$([^$]*)\$", r"\1", title)
    for tex, plain in (("\\varepsilon", "eps"), ("\\beta", "beta"), ("\\nu", "nu"), ("\\chi", "chi")):
        text = text.replace(tex, plain)
    return text.replace("{", "").replace("}", "").replace("\\", "")


def _cmd_list() -> int:
    for chapter in list_chapters():
        print(f"{chapter.name}: {_plain(chapter.title)}")
        if not chapter.executable:
            print("    (text page, nothing to execute)")
        elif not chapter.parameters:
            print("    (no parameters)")
        width = max((len(k) for k in chapter.parameters), default=0)
        for key, value in chapter.parameters.items():
            allowed = ""
            if key in chapter.ranges:
                low, high, low_open, high_open = chapter.ranges[key]
                allowed = f"   (allowed: {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'})"
            print(f"    {key:<{width}} = {value!r}{allowed}")
    return 0


def _cmd_run(args) -> int:
    from .runner import run_chapter

    chapter = get_chapter(args.chapter)
    if not chapter.executable:
        runnable = [c.name for c in list_chapters() if c.executable]
        raise ValueError(f"{chapter.name!r} is a text page without code cells, nothing to execute; "
                         f"executable chapters: {runnable}")
    raw = {}
    for name, value in args.parameter:
        if name in raw:
            raise ValueError(f"parameter {name!r} given twice")
        raw[name] = value
    overrides = {}
    for name, value in raw.items():
        default = chapter.parameters.get(name)
        overrides[name] = parse_cli_value(value, default) if name in chapter.parameters else value
    checked = check_parameters(chapter, overrides)  # all errors before anything executes
    cost = check_run_time(chapter, checked, yes=args.yes)
    if cost is not None:
        print(f"estimated: {cost}", flush=True)
    out = run_chapter(chapter.name, overrides, args.out, yes=args.yes)
    print(f"executed notebook: {out}")
    return 0


def _print_failures(store, stream=sys.stderr, limit: int = 5) -> None:
    """One line per distinct failure reason: how many tasks, the reason, the first task."""
    by_reason = {}
    for name, reason in store.failures().items():
        by_reason.setdefault(reason, []).append(name)
    for reason, names in list(by_reason.items())[:limit]:
        more = f" and {len(names) - 1} more" if len(names) > 1 else ""
        print(f"  failed: {names[0]}{more}: {reason}", file=stream)
    if len(by_reason) > limit:
        print(f"  ... {len(by_reason) - limit} more distinct reasons", file=stream)
    if by_reason:
        print(f"  (tracebacks in {store.root / 'failed'})", file=stream)


def _cmd_sweep(args) -> int:
    from ..ensemble import ResultStore, export_dataset, load_config, run_sweep

    config = load_config(args.config)
    status = run_sweep(config, scheduler=args.scheduler, workers=args.workers, limit=args.limit, only_h=args.only_h)
    print(f"{config.store}: {status}")
    if status.failed:
        _print_failures(ResultStore(config, read_only=True))
    if config.dataset is not None and status.done:
        if args.limit is not None:
            print(f"no dataset written after a --limit run; write it with "
                  f"`python -m mbl_open export {args.config}` (or --out another path)")
        else:
            print(f"dataset written: {export_dataset(config, config.dataset, force=args.force)}")
    return 1 if status.failed else 0


def _cmd_status(args) -> int:
    from ..ensemble import ResultStore, load_config

    config = load_config(args.config)
    store = ResultStore(config, read_only=True)
    status = store.status()
    print(f"{config.store}: {status}")
    print(f"done {status.done}  missing {status.missing}  failed {status.failed}  total {status.total}")
    if status.failed:
        _print_failures(store, stream=sys.stdout)
    return 0


def _cmd_export(args) -> int:
    from ..ensemble import export_dataset, load_config

    config = load_config(args.config)
    out = args.out or config.dataset
    if out is None:
        raise ValueError(f"{args.config} names no 'dataset' file: pass --out PATH")
    print(f"dataset written: {export_dataset(config, out, force=args.force)}")
    return 0


def _user_errors() -> tuple:
    """Exceptions that mean a user's mistake (bad value, bad file, unreachable cluster): one line, no traceback."""
    import yaml

    from ..ensemble.store import StoreBusyError

    return (ValueError, TypeError, OSError, yaml.YAMLError, StoreBusyError)


def _dispatch(args) -> int:
    if args.command == "list":
        return _cmd_list()
    if args.command == "sweep":
        return _cmd_sweep(args)
    if args.command == "status":
        return _cmd_status(args)
    if args.command == "export":
        return _cmd_export(args)
    return _cmd_run(args)


def main(argv=None) -> int:
    """Run one command; return the exit status (0 success, 1 failed work, 2 a user's mistake, 130 interrupted).

    A user's mistake prints ``error: ...`` on one line; ``--debug`` shows the
    traceback instead.  Any other exception is a bug and keeps its traceback.
    """
    args = _build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except BrokenPipeError:  # `list | head`: the reader left; not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # keep the interpreter's final flush from failing again
        return 0
    except KeyboardInterrupt:
        if args.command == "run":
            print("interrupted: the chapter stopped; its notebook so far is kept as CHAPTER.failed.ipynb and "
                  "no data of this run", file=sys.stderr)
        else:
            print("interrupted (finished tasks are kept; the next run resumes)", file=sys.stderr)
        return 130
    except _user_errors() as exc:
        if args.debug:
            raise
        message = " ".join(str(exc).split()) or type(exc).__name__
        print(f"error: {message}  (run with --debug for the traceback)", file=sys.stderr)
        return 2
    except Exception as exc:  # papermill execution errors
        if type(exc).__name__ == "PapermillExecutionError" and not args.debug:
            print(f"error: the chapter failed while executing:\n{exc}", file=sys.stderr)
            return 1
        raise
