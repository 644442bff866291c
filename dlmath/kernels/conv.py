"""2-D convolution (PyTorch's cross-correlation, no kernel flip), forward and the three gradients.

Shapes: input x (N, C_in, H, W), weight w (C_out, C_in, kh, kw), bias b (C_out,),
output y (N, C_out, Ho, Wo) with ``Ho = floor((H + 2ph - dh(kh-1) - 1)/sh) + 1`` (same for W)::

    y[n, co, oh, ow] = b[co] + Σ_{ci, ki, kj} w[co, ci, ki, kj] · x[n, ci, oh·sh - ph + ki·dh, ow·sw - pw + kj·dw]

(x is zero outside the image).  With ``col = im2col(x)`` (N, C_in·kh·kw, Ho·Wo), see
:mod:`.unfold`, and ``W = w.reshape(C_out, C_in·kh·kw)`` this is a matrix product per image,
and so are the gradients, given the upstream gradient ``gy = ∂L/∂y`` viewed as (N, C_out, Ho·Wo)::

    y[n]  = W @ col[n] + b  =  [W | b] @ [col[n]; 1]     conv2d_forward
    ∂L/∂W = Σ_n gy[n] @ col[n]ᵀ                          conv2d_backward_weight
    ∂L/∂x = col2im(Wᵀ @ gy[n])                          conv2d_backward_input
    ∂L/∂b = Σ_{n, oh, ow} gy[n, :, oh, ow]                conv2d_backward_bias

The three backward functions are separate so that a caller computes only the gradients it
needs (a network's first layer never needs ∂L/∂x).

How it is fast: the batch is cut into chunks of a few images whose column matrix fits in the
L2 cache (a per-thread buffer, reused across calls); each chunk is im2col'ed by a Numba loop
and multiplied by BLAS while still hot, and the chunks are shared between the cores by
:func:`dlmath.kernels._threads.parallel_batches` (BLAS on one thread meanwhile).  One giant
column matrix for the whole batch would be 9–25x the size of the input and spend its time in
memory traffic instead of arithmetic.
"""
import math

import numpy as np

from ._threads import parallel_batches, scratch
from .unfold import col2im_kernel, im2col_kernel
from .shapes import conv_output_size, float_array, pair

__all__ = ["conv2d_forward", "conv2d_backward_input", "conv2d_backward_weight",
           "conv2d_backward_bias"]

#: bytes of column matrix per chunk: most of a 1 MiB L2 cache (512 KiB–2 MiB measured within
#: noise of each other on the benchmark layers; 768 KiB was best on the largest one)
CHUNK_BYTES = 768 * 1024
#: below this many multiply-adds per thread, splitting the batch costs more than it saves
MIN_MACS_PER_THREAD = 2_000_000


def _same_dtype(op, **arrays):
    dtypes = {name: a.dtype for name, a in arrays.items() if a is not None}
    if len(set(dtypes.values())) > 1:
        listing = ", ".join(f"{name} {dt}" for name, dt in dtypes.items())
        raise TypeError(f"{op}: dtypes differ ({listing}); convert them to one float dtype")


def _check_shapes(op, x_shape, w_shape):
    if len(x_shape) != 4:
        raise ValueError(f"{op}: expected input of shape (N, C_in, H, W), got shape {tuple(x_shape)}")
    if len(w_shape) != 4:
        raise ValueError(f"{op}: expected weight of shape (C_out, C_in, kh, kw), "
                         f"got shape {tuple(w_shape)}")
    if x_shape[1] != w_shape[1]:
        raise ValueError(
            f"{op}: input has {x_shape[1]} channels (input shape {tuple(x_shape)}) but the weight "
            f"expects {w_shape[1]} (weight shape {tuple(w_shape)}; rule: weight is "
            f"(C_out, C_in, kh, kw) with C_in = input.shape[1])")


def _geometry(op, x_shape, w_shape, stride, padding, dilation):
    """Validate and return ((kh, kw, sh, sw, ph, pw, dh, dw), Ho, Wo)."""
    _check_shapes(op, x_shape, w_shape)
    (sh, sw), (ph, pw) = pair(stride, "stride"), pair(padding, "padding")
    (dh, dw) = pair(dilation, "dilation")
    kh, kw = int(w_shape[2]), int(w_shape[3])
    Ho = conv_output_size(int(x_shape[2]), kh, sh, ph, dh, op)
    Wo = conv_output_size(int(x_shape[3]), kw, sw, pw, dw, op)
    return (kh, kw, sh, sw, ph, pw, dh, dw), Ho, Wo


def _check_grad_output(op, gy, N, C_out, Ho, Wo):
    if gy.shape != (N, C_out, Ho, Wo):
        raise ValueError(f"{op}: grad_output has shape {gy.shape}, expected {(N, C_out, Ho, Wo)} "
                         f"(the shape of the forward output)")


def _plan(N, K, P, C_out, itemsize):
    """Images per chunk, and the minimum images per thread worth a thread hand-off."""
    chunk = max(1, CHUNK_BYTES // (K * P * itemsize))
    per_image = C_out * K * P
    return chunk, max(1, math.ceil(MIN_MACS_PER_THREAD / per_image))


def conv2d_forward(x, w, b=None, stride=1, padding=0, dilation=1):
    """y = conv2d(x, w) + b: x (N, C_in, H, W), w (C_out, C_in, kh, kw), b (C_out,) or None
    → y (N, C_out, Ho, Wo), same dtype.

    ``y[n, co, oh, ow] = b[co] + Σ w[co, ci, ki, kj] · x[n, ci, oh·sh - ph + ki·dh, ow·sw - pw + kj·dw]``.
    ``stride``, ``padding``, ``dilation``: an int or a pair (h, w).
    """
    op = "conv2d"
    x, w = float_array(x, "input", op), float_array(w, "weight", op)
    b = None if b is None else float_array(b, "bias", op)
    _same_dtype(op, input=x, weight=w, bias=b)
    g, Ho, Wo = _geometry(op, x.shape, w.shape, stride, padding, dilation)
    N, C, C_out, (kh, kw) = x.shape[0], x.shape[1], w.shape[0], g[:2]
    if b is not None and b.shape != (C_out,):
        raise ValueError(f"{op}: bias must have shape ({C_out},) for weight shape {w.shape}, "
                         f"got {b.shape}")
    K, P = C * kh * kw, Ho * Wo
    # The bias rides along in the matrix product: W2 = [W | b] and col gets a last row of ones.
    W2 = w.reshape(C_out, K) if b is None else np.concatenate([w.reshape(C_out, K), b[:, None]], 1)
    rows = W2.shape[1]
    y = np.empty((N, C_out, P), x.dtype)
    chunk, min_images = _plan(N, K, P, C_out, x.itemsize)

    def work(lo, hi):
        for a in range(lo, hi, chunk):
            e = min(a + chunk, hi)
            col = scratch("col", (e - a, rows, Ho, Wo), x.dtype)
            im2col_kernel(x, a, e, *g, col)           # row K, if any, is all ones
            np.matmul(W2, col.reshape(e - a, rows, P), out=y[a:e])   # one GEMM per image

    parallel_batches(work, N, min_images, chunk)
    return y.reshape(N, C_out, Ho, Wo)


def conv2d_backward_weight(gy, x, w_shape, stride=1, padding=0, dilation=1):
    """∂L/∂w from gy = ∂L/∂y (N, C_out, Ho, Wo) and the input x (N, C_in, H, W) → (C_out, C_in, kh, kw).

    ``gw[co, ci, ki, kj] = Σ_{n, oh, ow} gy[n, co, oh, ow] · x[n, ci, oh·sh - ph + ki·dh, ow·sw - pw + kj·dw]``
    i.e. ``Σ_n gy[n] @ im2col(x)[n]ᵀ``.
    """
    op = "conv2d_backward_weight"
    gy, x = float_array(gy, "grad_output", op), float_array(x, "input", op)
    _same_dtype(op, grad_output=gy, input=x)
    w_shape = tuple(int(s) for s in w_shape)
    g, Ho, Wo = _geometry(op, x.shape, w_shape, stride, padding, dilation)
    N, C, C_out, (kh, kw) = x.shape[0], x.shape[1], w_shape[0], g[:2]
    _check_grad_output(op, gy, N, C_out, Ho, Wo)
    K, P = C * kh * kw, Ho * Wo
    G = gy.reshape(N, C_out, P)
    chunk, min_images = _plan(N, K, P, C_out, x.itemsize)

    def work(lo, hi):
        acc = np.zeros((K, C_out), x.dtype)      # gwᵀ: BLAS is 1.2–1.8x faster at col @ gyᵀ
        for a in range(lo, hi, chunk):           # than at gy @ colᵀ on the benchmark layers
            e = min(a + chunk, hi)
            col = scratch("col", (e - a, K, Ho, Wo), x.dtype)
            im2col_kernel(x, a, e, *g, col)
            part = scratch("gw", (e - a, K, C_out), x.dtype)
            np.matmul(col.reshape(e - a, K, P), G[a:e].transpose(0, 2, 1), out=part)
            acc += part[0] if e - a == 1 else part.sum(axis=0)
        return acc

    parts = parallel_batches(work, N, min_images, chunk)
    gw = parts[0]
    for part in parts[1:]:
        gw += part
    return np.ascontiguousarray(gw.T).reshape(w_shape)


def conv2d_backward_input(gy, w, x_shape, stride=1, padding=0, dilation=1):
    """∂L/∂x from gy = ∂L/∂y (N, C_out, Ho, Wo) and the weight w → (N, C_in, H, W) = x_shape.

    ``gx[n, ci, ih, iw] = Σ gy[n, co, oh, ow] · w[co, ci, ki, kj]`` over all (co, ki, kj, oh, ow)
    with ``ih = oh·sh - ph + ki·dh`` and ``iw = ow·sw - pw + kj·dw``, i.e. ``col2im(Wᵀ @ gy[n])``.
    """
    op = "conv2d_backward_input"
    gy, w = float_array(gy, "grad_output", op), float_array(w, "weight", op)
    _same_dtype(op, grad_output=gy, weight=w)
    x_shape = tuple(int(s) for s in x_shape)
    g, Ho, Wo = _geometry(op, x_shape, w.shape, stride, padding, dilation)
    N, C, C_out, (kh, kw) = x_shape[0], x_shape[1], w.shape[0], g[:2]
    _check_grad_output(op, gy, N, C_out, Ho, Wo)
    K, P = C * kh * kw, Ho * Wo
    G = gy.reshape(N, C_out, P)
    Wt = w.reshape(C_out, K).T
    gx = np.empty(x_shape, gy.dtype)
    chunk, min_images = _plan(N, K, P, C_out, gy.itemsize)

    def work(lo, hi):
        for a in range(lo, hi, chunk):
            e = min(a + chunk, hi)
            gcol = scratch("col", (e - a, K, Ho, Wo), gy.dtype)
            np.matmul(Wt, G[a:e], out=gcol.reshape(e - a, K, P))
            col2im_kernel(gcol, a, e, *g, gx)

    parallel_batches(work, N, min_images, chunk)
    return gx


def conv2d_backward_bias(gy):
    """∂L/∂b = Σ_{n, oh, ow} gy[n, co, oh, ow]: gy (N, C_out, Ho, Wo) → (C_out,), same dtype."""
    gy = float_array(gy, "grad_output", "conv2d_backward_bias")
    if gy.ndim != 4:
        raise ValueError(f"conv2d_backward_bias: expected grad_output of shape (N, C_out, Ho, Wo), "
                         f"got {gy.shape}")
    N, C_out, Ho, Wo = gy.shape
    G = gy.reshape(N, C_out, Ho * Wo)
    parts = parallel_batches(lambda lo, hi: G[lo:hi].sum(axis=2).sum(axis=0), N,
                             max(1, MIN_MACS_PER_THREAD // max(1, C_out * Ho * Wo)))
    return np.sum(parts, axis=0, dtype=gy.dtype)
