"""Where the package finds the book's files: the one place that knows the repository layout.

``mbl_open`` is the computational half of a book; it reads files that live
beside it in the repository, not inside the package:

``data/``
    The committed datasets (``data/NAME.json``) and growing sweep stores.
``book/`` and ``_toc.yml``
    The chapters the runner executes.
``benchmarks/``
    Timing records (``results_*.jsonl``) that the chapters and the README cite.
``experiments/``
    Records of the numerical experiments the book cites.

By default the repository is the parent of the package directory, which is
what ``make env`` (an editable install of the checkout) gives.  With the
package installed elsewhere (a wheel, a cluster's site-packages), point
``MBL_OPEN_ROOT`` at a checkout, or ``MBL_OPEN_DATA_DIR`` at a directory of
datasets only.  Both are read at every call, so they can be set at any time.
A missing directory is reported with what to set, not as a bare file error.
"""
from __future__ import annotations

import os
from pathlib import Path

__all__ = ["ROOT_ENV", "DATA_ENV", "root", "data_dir", "book_dir", "toc_file", "benchmarks_dir", "experiments_dir"]

#: Environment variable: the repository checkout the package reads its files from.
ROOT_ENV = "MBL_OPEN_ROOT"
#: Environment variable: the directory of committed datasets (default ``ROOT/data``).
DATA_ENV = "MBL_OPEN_DATA_DIR"

_PACKAGE_PARENT = Path(__file__).resolve().parents[2]  # mbl_open/infrastructure/paths.py -> the checkout


def root() -> Path:
    """The repository checkout: ``$MBL_OPEN_ROOT``, else the parent of the package directory."""
    value = os.environ.get(ROOT_ENV)
    return Path(value).expanduser().resolve() if value else _PACKAGE_PARENT


def _existing(path: Path, what: str, env: str) -> Path:
    if not path.is_dir():
        raise FileNotFoundError(
            f"{what} {path} does not exist: mbl_open reads it from a checkout of the book's repository "
            f"(install it with `make env`), or set {env} to where it is")
    return path


def data_dir(*, must_exist: bool = True) -> Path:
    """The committed datasets: ``$MBL_OPEN_DATA_DIR``, else ``root()/data``."""
    value = os.environ.get(DATA_ENV)
    path = Path(value).expanduser().resolve() if value else root() / "data"
    return _existing(path, "the data directory", f"{DATA_ENV} (or {ROOT_ENV})") if must_exist else path


def book_dir(*, must_exist: bool = True) -> Path:
    """The chapters (``root()/book``)."""
    path = root() / "book"
    return _existing(path, "the book directory", ROOT_ENV) if must_exist else path


def toc_file() -> Path:
    """The book's table of contents (``root()/_toc.yml``); may not exist outside a checkout."""
    return root() / "_toc.yml"


def benchmarks_dir(*, must_exist: bool = True) -> Path:
    """Timing benchmarks and their records (``root()/benchmarks``)."""
    path = root() / "benchmarks"
    return _existing(path, "the benchmarks directory", ROOT_ENV) if must_exist else path


def experiments_dir(*, must_exist: bool = True) -> Path:
    """Numerical experiments the book cites, and their records (``root()/experiments``)."""
    path = root() / "experiments"
    return _existing(path, "the experiments directory", ROOT_ENV) if must_exist else path
