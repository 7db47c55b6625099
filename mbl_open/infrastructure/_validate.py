"""Input checks shared by the public functions of :mod:`mbl_open`.

Every public function validates its arguments with these helpers *before* any
expensive work starts, so a bad call fails at once with an error that names the
parameter and the range it must lie in.
"""
from __future__ import annotations

import numbers
import os
from pathlib import Path

import numpy as np

__all__ = [
    "check_int",
    "check_real",
    "check_real_array",
    "check_choice",
    "check_bool",
    "check_array",
    "check_callable",
    "check_window",
    "check_path",
    "check_instance",
    "check_mapping",
    "check_distinct",
    "check_unit_trace",
    "NotInDataError",
]


def _is_int(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def _is_real(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _range_text(low, high, low_open, high_open) -> str:
    parts = []
    if low is not None:
        parts.append(f"{'>' if low_open else '>='} {low}")
    if high is not None:
        parts.append(f"{'<' if high_open else '<='} {high}")
    return " and ".join(parts) if parts else "any value"


def check_int(name: str, value, *, low=None, high=None) -> int:
    """Return ``value`` as ``int`` or raise naming ``name`` and the allowed range."""
    if not _is_int(value):
        raise TypeError(
            f"{name} must be an integer ({_range_text(low, high, False, False)}), "
            f"got {value!r} of type {type(value).__name__}"
        )
    value = int(value)
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(
            f"{name} must be an integer {_range_text(low, high, False, False)}, got {value}"
        )
    return value


def check_real(name: str, value, *, low=None, high=None, low_open=False, high_open=False) -> float:
    """Return ``value`` as a finite ``float`` or raise naming ``name`` and the range.

    ``low_open=True`` excludes the lower bound itself (``value > low``).
    """
    if not _is_real(value):
        raise TypeError(
            f"{name} must be a real number ({_range_text(low, high, low_open, high_open)}), "
            f"got {value!r} of type {type(value).__name__}"
        )
    value = float(value)
    bad = not np.isfinite(value)
    if low is not None:
        bad |= value <= low if low_open else value < low
    if high is not None:
        bad |= value >= high if high_open else value > high
    if bad:
        raise ValueError(
            f"{name} must be finite and {_range_text(low, high, low_open, high_open)}, got {value}"
        )
    return value


def check_real_array(
    name: str, value, *, low=None, high=None, low_open=False, high_open=False, ndim=None
) -> np.ndarray:
    """Return ``value`` as a float array whose every entry satisfies the range.

    Scalars are accepted and returned as 0-d arrays unless ``ndim`` is given,
    in which case they are promoted to 1-d.
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be a real number or an array of real numbers, got {value!r}")
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError):  # ragged nested sequences
        raise TypeError(f"{name} must be a real number or a rectangular array of real numbers") from None
    if raw.dtype == bool:
        raise TypeError(f"{name} must hold real numbers, not booleans")
    if np.iscomplexobj(raw):
        raise TypeError(f"{name} must hold real numbers, got a complex array (take .real if that is meant)")
    try:
        arr = raw.astype(float, copy=False)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a real number or an array of real numbers, got {value!r}") from None
    if ndim is not None:
        if arr.ndim == 0 and ndim == 1:
            arr = arr.reshape(1)
        if arr.ndim != ndim:
            raise ValueError(f"{name} must be a {ndim}-d array, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty")
    bad = ~np.isfinite(arr)
    if low is not None:
        bad |= arr <= low if low_open else arr < low
    if high is not None:
        bad |= arr >= high if high_open else arr > high
    if np.any(bad):
        first = arr[bad].ravel()[0]
        raise ValueError(
            f"every entry of {name} must be finite and "
            f"{_range_text(low, high, low_open, high_open)}; found {first}"
        )
    return arr


def check_choice(name: str, value, choices) -> object:
    """Return ``value`` if it is one of ``choices``, else raise listing them."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {sorted(choices, key=str)}, got {value!r}")
    return value


def check_bool(name: str, value) -> bool:
    """Return ``value`` if it is ``True`` or ``False`` (numpy bools included); refuse anything else.

    Strings such as ``'no'`` and numbers such as ``0`` are refused rather than
    read by their truth value.
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r} of type {type(value).__name__}")
    return bool(value)


def check_array(name: str, value, *, complex_ok: bool | None = False, ndim=None, finite: bool = True) -> np.ndarray:
    """Return ``value`` as a float (or complex) array; refuse text, None, ragged lists, and NaN or inf (``finite``).

    ``complex_ok=None`` keeps the kind of the input: real stays real, complex stays complex.
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be an array of numbers, got {value!r}")
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a rectangular array of numbers (a ragged list was given)") from None
    if raw.dtype == bool or not (np.issubdtype(raw.dtype, np.number) or raw.dtype == object):
        raise TypeError(f"{name} must be an array of numbers, got dtype {raw.dtype}")
    if complex_ok is None:
        complex_ok = np.iscomplexobj(raw)
    if np.iscomplexobj(raw) and not complex_ok:
        raise TypeError(f"{name} must hold real numbers, got a complex array")
    try:
        arr = raw.astype(complex if complex_ok else float, copy=False)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of numbers") from None
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-d array, got shape {arr.shape}")
    if finite and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains nan or inf")
    return arr


def check_callable(name: str, value):
    """Return ``value`` if it can be called."""
    if not callable(value):
        raise TypeError(f"{name} must be a function, got {value!r} of type {type(value).__name__}")
    return value


def check_window(name: str, window, *, low=None) -> tuple[float, float]:
    """A fit window ``(low, high)`` of two finite numbers with ``low < high`` (and ``>= low`` if given)."""
    if isinstance(window, (str, bytes)) or not np.iterable(window) or len(window) != 2:
        raise TypeError(f"{name} must be a pair (low, high), got {window!r}")
    lo, hi = (check_real(f"{name}[{i}]", w, low=low) for i, w in enumerate(window))
    if not lo < hi:
        raise ValueError(f"{name} must be (low, high) with low < high, got {window!r}")
    return lo, hi


def check_path(name: str, value, *, directory: bool = False) -> Path:
    """Return ``value`` as a :class:`~pathlib.Path`; refuse anything that is not a ``str`` or path object.

    Parameters
    ----------
    name : str
        The parameter's name, for the message.
    value : str or os.PathLike
    directory : bool
        The path names a directory that is created if missing (a checkpoint
        directory): refuse it when it, or the nearest of its parents that
        exists, is not a directory, since nothing could be created there.
    """
    if isinstance(value, bytes) or not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name} must be a file path (str or pathlib.Path), got {value!r} of type "
                        f"{type(value).__name__}")
    if not str(value).strip():
        raise ValueError(f"{name} must be a file path, got an empty string")
    path = Path(value)
    if directory:
        existing = next((p for p in (path, *path.parents) if p.exists()), None)
        if existing is not None and not existing.is_dir():
            where = "it" if existing == path else f"its parent {existing}"
            raise ValueError(f"{name} must be a directory (created if missing), but {where} is a file: {path}")
    return path


def check_instance(name: str, value, cls, what: str):
    """Return ``value`` if it is an instance of ``cls``; else a TypeError naming ``name`` and ``what`` it must be."""
    if not isinstance(value, cls):
        raise TypeError(f"{name} must be {what}, got {value!r:.80} of type {type(value).__name__}")
    return value


def check_mapping(name: str, value) -> dict:
    """Return ``value`` if it is a mapping (a ``dict``), else a TypeError naming ``name``."""
    if not isinstance(value, dict):
        raise TypeError(f"{name} must be a mapping (dict), got {value!r:.80} of type {type(value).__name__}")
    return value


def check_distinct(name: str, values) -> list:
    """Return ``values`` as a list if no value repeats; else a ValueError naming ``name`` and the repeated values.

    Parameters
    ----------
    name : str
        The parameter's name, for the message.
    values : iterable of hashable
        Already checked one by one (e.g. with :func:`check_real`).
    """
    values = list(values)
    seen, repeated = set(), []
    for v in values:
        if v in seen and v not in repeated:
            repeated.append(v)
        seen.add(v)
    if repeated:
        raise ValueError(f"{name} must be distinct values, got duplicates {repeated}")
    return values


def check_unit_trace(name: str, matrices, *, atol: float = 1e-6) -> np.ndarray:
    """Refuse density matrices whose trace is not 1 (within ``atol``); return ``matrices`` unchanged.

    Parameters
    ----------
    name : str
        The parameter's name, for the message.
    matrices : ndarray, shape (..., d, d)
        One density matrix or a stack of them (already checked for shape and finiteness).
    atol : float
        Allowed ``|Tr rho - 1|``.

    A zero matrix (trace 0) is the typical mistake: every result computed
    from it would be a plausible-looking number.
    """
    traces = np.trace(matrices, axis1=-2, axis2=-1)
    bad = np.abs(traces - 1.0) > atol
    if not np.any(bad):
        return matrices
    where = tuple(int(i) for i in np.argwhere(np.atleast_1d(bad))[0]) if np.ndim(bad) else ()
    value = complex(traces[where])
    shown = f"{value.real:.6g}" if value.imag == 0 else f"{value:.6g}"
    if not where:
        raise ValueError(f"{name} must be a density matrix of trace 1 (normalise it by its trace), got trace {shown}")
    raise ValueError(f"{name} must hold density matrices of trace 1 (normalise each by its trace); "
                     f"{name}[{', '.join(map(str, where))}] has trace {shown}")


class NotInDataError(ValueError, KeyError):
    """A well-formed request for something a dataset does not hold (a ``ValueError`` and a ``KeyError``)."""

    __str__ = ValueError.__str__
