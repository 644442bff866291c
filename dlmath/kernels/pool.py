"""2-D max and average pooling (NCHW), forward and backward, as PyTorch with ``ceil_mode=False``.

Shapes: x (N, C, H, W) → y (N, C, Ho, Wo), ``Ho = floor((H + 2p - k)/s) + 1`` (same for W);
``stride`` defaults to ``kernel_size``; ``padding`` must be at most half the kernel.
Window of output (oh, ow): rows ``oh·sh - ph + ki``, columns ``ow·sw - pw + kj``, 0 ≤ ki < kh, 0 ≤ kj < kw.

Max pooling pads with −∞ (padding never wins)::

    y[n, c, oh, ow]      = max over the window of x[n, c, ih, iw]
    argmax[n, c, oh, ow] = ih·W + iw of that maximum (a flat index into the H×W plane, the
                           values of PyTorch's ``return_indices=True``, stored as int32)
    gx[n, c, ih, iw]     = Σ gy[n, c, oh, ow] over the outputs whose argmax is (ih, iw)

Ties: the *first* maximum in row-major window order wins (strict ``>``), so with overlapping
windows or equal values exactly one input per window receives the gradient, as in PyTorch's
CPU kernel.  A NaN in the window wins over numbers (NaN propagates, as in PyTorch).

Average pooling (``count_include_pad=True``: the padding counts as zeros in the mean, so the
divisor is always kh·kw)::

    y[n, c, oh, ow]  = (1 / (kh·kw)) · Σ_window x[n, c, ih, iw]
    gx[n, c, ih, iw] = (1 / (kh·kw)) · Σ gy[n, c, oh, ow] over the windows containing (ih, iw)

Implementation: Numba loops over (n, c) planes, split over the cores by
:func:`dlmath.kernels._threads.parallel_batches`.  Max pooling has a general kernel (any
kernel, stride, padding) and a written-out one for the common 2×2, stride 2 case that LLVM
vectorises (about 4x faster).  Average pooling accumulates each output row in a small
buffer with the window taps as outer loops, so the inner loop is a vectorisable row add.
Comparisons use selects rather than branches (random data would mispredict half of them),
and every index is unsigned (see :mod:`._loops`).
"""
import math

import numpy as np
from numba import njit

from ._loops import _u, _valid_range
from ._threads import parallel_batches
from .shapes import float_array, pair, pool_output_size

__all__ = ["max_pool2d_forward", "max_pool2d_backward", "avg_pool2d_forward",
           "avg_pool2d_backward"]

#: below this many window reads per thread, splitting over threads costs more than it saves
MIN_WORK_PER_THREAD = 200_000


@njit(nogil=True, cache=True)
def _max_pool_fwd(x, p0, p1, kh, kw, sh, sw, ph, pw, y, arg):
    """y, arg (P, Ho, Wo) ← max pooling of planes p0:p1 of x (P, H, W); any window geometry."""
    H, W = x.shape[1], x.shape[2]
    Ho, Wo = y.shape[1], y.shape[2]
    xf, yf, af = x.reshape(-1), y.reshape(-1), arg.reshape(-1)
    Wu = _u(W)
    for p in range(p0, p1):
        plane = _u(p * H * W)
        for oh in range(Ho):
            ih_lo, ih_hi = max(oh * sh - ph, 0), min(oh * sh - ph + kh, H)
            out = _u((p * Ho + oh) * Wo)
            for ow in range(Wo):
                iw_lo, iw_hi = max(ow * sw - pw, 0), min(ow * sw - pw + kw, W)
                where = _u(ih_lo) * Wu + _u(iw_lo)          # first in-bounds cell
                best = xf[plane + where]
                for ih in range(_u(ih_lo), _u(ih_hi)):
                    for iw in range(_u(iw_lo), _u(iw_hi)):
                        i = ih * Wu + iw
                        v = xf[plane + i]
                        take = (v > best) | (v != v)    # strict: first maximum wins; NaN wins
                        best = v if take else best      # (selects, not branches: random data
                        where = i if take else where    #  would mispredict half the time)
                yf[out + _u(ow)] = best
                af[out + _u(ow)] = where


@njit(nogil=True, cache=True)
def _max_pool_fwd_2x2(x, p0, p1, y, arg):
    """The common case kernel 2, stride 2, padding 0, written out so that LLVM vectorises it.

    Same result as :func:`_max_pool_fwd`: the four candidates are compared in row-major
    order, first maximum wins, NaN wins.
    """
    H, W = x.shape[1], x.shape[2]
    Ho, Wo = y.shape[1], y.shape[2]
    xf, yf, af = x.reshape(-1), y.reshape(-1), arg.reshape(-1)
    one, two, zero = _u(1), _u(2), _u(0)
    Wu = _u(W)
    for p in range(p0, p1):
        for oh in range(Ho):
            top = _u(p * H * W + 2 * oh * W)            # first of the two input rows
            out = _u((p * Ho + oh) * Wo)
            corner = np.int32(2 * oh * W)               # plane index of window (oh, 0)
            for ow in range(_u(Wo)):
                q = two * ow
                a, b = xf[top + q], xf[top + q + one]
                c, d = xf[top + Wu + q], xf[top + Wu + q + one]
                t1 = (b > a) | (b != b)
                m1, k1 = (b, one) if t1 else (a, zero)
                t2 = (d > c) | (d != d)
                m2, k2 = (d, Wu + one) if t2 else (c, Wu)
                t3 = (m2 > m1) | (m2 != m2)
                yf[out + ow] = m2 if t3 else m1
                af[out + ow] = corner + np.int32(q + (k2 if t3 else k1))


@njit(nogil=True, cache=True)
def _max_pool_bwd(gy, arg, p0, p1, gx):
    """gx planes p0:p1 ← scatter-add of gy (P, Ho, Wo) onto the argmax positions."""
    HW = gx.shape[1] * gx.shape[2]
    HoWo = gy.shape[1] * gy.shape[2]
    gyf, af, gxf = gy.reshape(-1), arg.reshape(-1), gx.reshape(-1)
    for p in range(p0, p1):
        plane = _u(p * HW)
        for j in range(_u(HW)):
            gxf[plane + j] = 0
        base = _u(p * HoWo)
        for j in range(_u(HoWo)):
            gxf[plane + _u(af[base + j])] += gyf[base + j]


@njit(nogil=True, cache=True)
def _avg_pool_fwd(x, p0, p1, kh, kw, sh, sw, ph, pw, y):
    """y (P, Ho, Wo) ← average pooling (padding counted as zeros) of planes p0:p1 of x."""
    H, W = x.shape[1], x.shape[2]
    Ho, Wo = y.shape[1], y.shape[2]
    xf, yf = x.reshape(-1), y.reshape(-1)
    acc = np.empty(Wo, x.dtype)
    scale = 1.0 / (kh * kw)
    su = _u(sw)
    for p in range(p0, p1):
        plane = p * H * W
        for oh in range(Ho):
            acc[:] = 0
            for ki in range(kh):
                ih = oh * sh - ph + ki
                if ih < 0 or ih >= H:
                    continue
                for kj in range(kw):
                    lo, hi = _valid_range(kj - pw, sw, Wo, W)
                    if lo == hi:
                        continue
                    src, o0 = _u(plane + ih * W + lo * sw + kj - pw), _u(lo)
                    for j in range(_u(hi - lo)):
                        acc[o0 + j] += xf[src + j * su]
            out = _u((p * Ho + oh) * Wo)
            for ow in range(Wo):
                yf[out + _u(ow)] = acc[ow] * scale


@njit(nogil=True, cache=True)
def _avg_pool_bwd(gy, p0, p1, kh, kw, sh, sw, ph, pw, gx):
    """gx planes p0:p1 ← each gy (P, Ho, Wo) entry spread evenly over its window."""
    H, W = gx.shape[1], gx.shape[2]
    Ho, Wo = gy.shape[1], gy.shape[2]
    gyf, gxf = gy.reshape(-1), gx.reshape(-1)
    g = np.empty(Wo, gy.dtype)
    scale = 1.0 / (kh * kw)
    su = _u(sw)
    for p in range(p0, p1):
        plane = p * H * W
        for j in range(_u(H * W)):
            gxf[_u(plane) + j] = 0
        for oh in range(Ho):
            src = _u((p * Ho + oh) * Wo)
            for ow in range(Wo):
                g[ow] = gyf[src + _u(ow)] * scale
            for ki in range(kh):
                ih = oh * sh - ph + ki
                if ih < 0 or ih >= H:
                    continue
                for kj in range(kw):
                    lo, hi = _valid_range(kj - pw, sw, Wo, W)
                    if lo == hi:
                        continue
                    dst, o0 = _u(plane + ih * W + lo * sw + kj - pw), _u(lo)
                    for j in range(_u(hi - lo)):
                        gxf[dst + j * su] += g[o0 + j]


def _geometry(op, x_shape, kernel_size, stride, padding):
    """Validate; return (kh, kw, sh, sw, ph, pw), Ho, Wo."""
    if len(x_shape) != 4:
        raise ValueError(f"{op}: expected input of shape (N, C, H, W), got shape {tuple(x_shape)}")
    (kh, kw) = pair(kernel_size, "kernel_size")
    (sh, sw) = (kh, kw) if stride is None else pair(stride, "stride")
    (ph, pw) = pair(padding, "padding")
    Ho = pool_output_size(int(x_shape[2]), kh, sh, ph, op)
    Wo = pool_output_size(int(x_shape[3]), kw, sw, pw, op)
    return (kh, kw, sh, sw, ph, pw), Ho, Wo


def _run(kernel, planes, work_per_plane, head, tail):
    """Run ``kernel(*head, p0, p1, *tail)`` on slices ``p0:p1`` of the planes, one per thread."""
    min_planes = max(1, math.ceil(MIN_WORK_PER_THREAD / max(1, work_per_plane)))
    parallel_batches(lambda lo, hi: kernel(*head, lo, hi, *tail), planes, min_planes)


def max_pool2d_forward(x, kernel_size, stride=None, padding=0):
    """Max pooling: x (N, C, H, W) → (y, argmax), both (N, C, Ho, Wo); y has x's dtype, argmax
    is int32, the flat index ``ih·W + iw`` of each window's maximum inside its H×W plane
    (PyTorch's ``return_indices`` values; PyTorch stores them as int64, int32 halves the
    memory traffic and a plane never has 2³¹ cells).

    ``y[n, c, oh, ow] = max_{ki, kj} x[n, c, oh·sh - ph + ki, ow·sw - pw + kj]`` (padding = −∞;
    ties → first maximum in row-major window order).  ``stride`` defaults to ``kernel_size``.
    """
    op = "max_pool2d"
    x = float_array(x, "input", op)
    g, Ho, Wo = _geometry(op, x.shape, kernel_size, stride, padding)
    N, C, H, W = x.shape
    y = np.empty((N * C, Ho, Wo), x.dtype)
    arg = np.empty((N * C, Ho, Wo), np.int32)
    planes = x.reshape(N * C, H, W)
    if g == (2, 2, 2, 2, 0, 0):
        _run(_max_pool_fwd_2x2, N * C, Ho * Wo, (planes,), (y, arg))
    else:
        _run(_max_pool_fwd, N * C, 4 * Ho * Wo * g[0] * g[1], (planes,), (*g, y, arg))
    return y.reshape(N, C, Ho, Wo), arg.reshape(N, C, Ho, Wo)


def max_pool2d_backward(gy, argmax, x_shape):
    """Gradient of max pooling: gy (N, C, Ho, Wo), argmax from the forward → gx of ``x_shape``.

    ``gx[n, c, ih, iw] = Σ gy[n, c, oh, ow]`` over the outputs with ``argmax[n, c, oh, ow] = ih·W + iw``
    (every other input gets 0).
    """
    op = "max_pool2d_backward"
    gy = float_array(gy, "grad_output", op)
    argmax = np.ascontiguousarray(argmax, dtype=np.int32)
    x_shape = tuple(int(s) for s in x_shape)
    if len(x_shape) != 4 or gy.ndim != 4 or gy.shape[:2] != x_shape[:2] or argmax.shape != gy.shape:
        raise ValueError(f"{op}: grad_output {gy.shape} and argmax {argmax.shape} must be "
                         f"(N, C, Ho, Wo) with (N, C) = x_shape[:2] of {x_shape}")
    N, C, H, W = x_shape
    if argmax.size and (argmax.min() < 0 or argmax.max() >= H * W):
        raise ValueError(f"{op}: argmax entries must lie in [0, H·W) = [0, {H * W})")
    Ho, Wo = gy.shape[2:]
    gx = np.empty((N * C, H, W), gy.dtype)
    _run(_max_pool_bwd, N * C, Ho * Wo + H * W,
         (gy.reshape(N * C, Ho, Wo), argmax.reshape(N * C, Ho, Wo)), (gx,))
    return gx.reshape(x_shape)


def avg_pool2d_forward(x, kernel_size, stride=None, padding=0):
    """Average pooling: x (N, C, H, W) → y (N, C, Ho, Wo), same dtype.

    ``y[n, c, oh, ow] = (1/(kh·kw)) Σ_{ki, kj} x[n, c, oh·sh - ph + ki, ow·sw - pw + kj]`` (padding = 0,
    counted in the divisor: PyTorch's ``count_include_pad=True``).  ``stride`` defaults to
    ``kernel_size``.
    """
    op = "avg_pool2d"
    x = float_array(x, "input", op)
    g, Ho, Wo = _geometry(op, x.shape, kernel_size, stride, padding)
    N, C, H, W = x.shape
    y = np.empty((N * C, Ho, Wo), x.dtype)
    _run(_avg_pool_fwd, N * C, Ho * Wo * g[0] * g[1], (x.reshape(N * C, H, W),), (*g, y))
    return y.reshape(N, C, Ho, Wo)


def avg_pool2d_backward(gy, x_shape, kernel_size, stride=None, padding=0):
    """Gradient of average pooling: gy (N, C, Ho, Wo) → gx of ``x_shape``.

    ``gx[n, c, ih, iw] = (1/(kh·kw)) Σ gy[n, c, oh, ow]`` over the windows that contain (ih, iw).
    """
    op = "avg_pool2d_backward"
    gy = float_array(gy, "grad_output", op)
    x_shape = tuple(int(s) for s in x_shape)
    g, Ho, Wo = _geometry(op, x_shape, kernel_size, stride, padding)
    N, C, H, W = x_shape
    if gy.shape != (N, C, Ho, Wo):
        raise ValueError(f"{op}: grad_output has shape {gy.shape}, expected {(N, C, Ho, Wo)} "
                         f"(the shape of the forward output)")
    gx = np.empty((N * C, H, W), gy.dtype)
    _run(_avg_pool_bwd, N * C, Ho * Wo * g[0] * g[1], (gy.reshape(N * C, Ho, Wo),), (*g, gx))
    return gx.reshape(x_shape)
