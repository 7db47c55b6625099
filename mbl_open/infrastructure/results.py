"""Where a chapter's data go when it is run through ``python -m mbl_open run``.

The runner sets ``MBL_OPEN_RESULTS_DIR`` to ``DIR/CHAPTER/<parameter-hash>/``
for the kernel; :func:`save_results` writes arrays there atomically.  In the
book build and in the tests the variable is unset and nothing is written.
"""
from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import numpy as np

__all__ = ["RESULTS_DIR_ENV", "results_dir", "save_results"]

#: Environment variable holding the run directory of the current chapter run.
RESULTS_DIR_ENV = "MBL_OPEN_RESULTS_DIR"


def results_dir() -> Path | None:
    """The run directory set by the runner, or ``None`` outside a runner call."""
    value = os.environ.get(RESULTS_DIR_ENV)
    return Path(value) if value else None


def _umask() -> int:
    """The process's file-creation mask (read without changing it where Linux allows)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:  # pragma: no cover - not Linux
        pass
    mask = os.umask(0o022)  # pragma: no cover - elsewhere: set and restore
    os.umask(mask)  # pragma: no cover
    return mask  # pragma: no cover


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one.

    The file gets the permissions of any file this process creates (``0o666``
    less the umask), not the private ``0o600`` of a temporary file, so a store
    on a shared file system stays readable by the group when the umask says so.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_results(name: str, **arrays) -> Path | None:
    """Save ``arrays`` as ``<run dir>/<name>.npz`` when running under the runner.

    Parameters
    ----------
    name : str
        File stem, letters, digits, ``-`` and ``_`` only.
    **arrays
        Arrays (or array-likes) to store under their keyword names.

    Returns
    -------
    pathlib.Path or None
        The file written, or ``None`` when no run directory is set.
    """
    if not name or not all(ch.isalnum() or ch in "-_" for ch in name):
        raise ValueError(f"name must be a non-empty file stem of letters, digits, '-' and '_', got {name!r}")
    if not arrays:
        raise ValueError("save_results needs at least one array to save")
    target_dir = results_dir()
    if target_dir is None:
        return None
    target_dir.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    np.savez(buf, **{k: np.asarray(v) for k, v in arrays.items()})
    path = target_dir / f"{name}.npz"
    atomic_write_bytes(path, buf.getvalue())
    return path
