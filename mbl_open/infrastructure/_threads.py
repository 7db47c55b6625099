"""Single-threaded BLAS for code made of many small matrix operations."""
from __future__ import annotations

import functools

__all__ = ["single_threaded_blas"]


def single_threaded_blas(fn):
    """Decorator: run ``fn`` with BLAS limited to one thread.

    Matrices of a TEBD step (at most ``4 chi x 4 chi``) or of the exact
    solver's preconditioner are too small for threaded BLAS to pay off on a
    few cores, and threads fight when several runs share a machine.
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1, user_api="blas"):
            return fn(*args, **kwargs)

    return wrapper
