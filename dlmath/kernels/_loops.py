"""Tiny Numba helpers for the inner loops of the kernels.

Why unsigned offsets: with a signed index, Numba must support Python's negative-index
wrap-around (``a[-1]``) on every access, so each load gets a compare-and-select that stops
LLVM from vectorising the loop.  Converting the (already non-negative) offset to ``uint64``
removes that: the copy in :func:`_copy` runs 2–5x faster on rows of 10–30 elements
(measured on this project's benchmark shapes).  Beware that in Numba ``uint64 + int64`` is a
float, so every term of an unsigned offset must be unsigned.

The helpers are ``inline="always"`` so that each call site becomes a plain loop in its kernel.
"""
import numpy as np
from numba import njit

_u = np.uint64


@njit(cache=True, inline="always")
def _valid_range(off, step, n_out, n_in):
    """Output indices ``o`` in ``[lo, hi)`` with ``0 <= o*step + off < n_in`` (signed ints)."""
    lo = 0
    if off < 0:
        lo = (-off + step - 1) // step
    hi = 0
    if n_in - 1 - off >= 0:
        hi = (n_in - 1 - off) // step + 1
    hi = min(hi, n_out)
    lo = min(lo, hi)
    return lo, hi


@njit(cache=True, inline="always")
def _fill_zero(dst, d0, n):
    """``dst[d0:d0 + n] = 0``."""
    d0 = _u(d0)
    for j in range(_u(n)):
        dst[d0 + j] = 0


@njit(cache=True, inline="always")
def _copy(dst, d0, src, s0, n, step):
    """``dst[d0 + j] = src[s0 + j*step]`` for ``j < n`` (offsets ≥ 0)."""
    d0 = _u(d0)
    s0 = _u(s0)
    if step == 1:
        for j in range(_u(n)):
            dst[d0 + j] = src[s0 + j]
    else:
        st = _u(step)
        for j in range(_u(n)):
            dst[d0 + j] = src[s0 + j * st]


@njit(cache=True, inline="always")
def _add_into(dst, d0, src, s0, n, step):
    """``dst[d0 + j*step] += src[s0 + j]`` for ``j < n`` (offsets ≥ 0)."""
    d0 = _u(d0)
    s0 = _u(s0)
    if step == 1:
        for j in range(_u(n)):
            dst[d0 + j] += src[s0 + j]
    else:
        st = _u(step)
        for j in range(_u(n)):
            dst[d0 + j * st] += src[s0 + j]
