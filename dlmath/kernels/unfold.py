"""im2col / col2im (PyTorch calls them unfold / fold): turn a convolution into a matrix product, and back.

For an input ``x`` of shape (N, C, H, W) and a kh×kw window with stride (sh, sw),
padding (ph, pw) and dilation (dh, dw), the *column matrix* of the batch is::

    col[(c, ki, kj), (n, oh, ow)] = x[n, c, oh*sh - ph + ki*dh, ow*sw - pw + kj*dw]

(zero where the index falls into the padding), of shape (C·kh·kw, N·Ho·Wo): one column per
output position, holding the input window that position sees.  Row ``(c, ki, kj)`` is
flattened as ``(c*kh + ki)*kw + kj``, the same order as a weight ``w[co, c, ki, kj]``
reshaped to (C_out, C·kh·kw), so a convolution is one matrix product::

    y = (w.reshape(C_out, C*kh*kw) @ col).reshape(C_out, N, Ho, Wo).transpose(1, 0, 2, 3)

``col2im`` is the adjoint (transpose) of ``im2col``: it *adds* every column entry back onto
the input position it was copied from; overlapping windows add up.  That is exactly the
gradient of ``im2col``, hence the input gradient of a convolution.

Implementation notes (why the Numba loops look the way they do):

* arrays are viewed flat and indexed with unsigned offsets (see :mod:`._loops`);
* for each kernel tap (c, ki, kj) the range of output columns whose input is inside the
  image is computed once (:func:`_valid_range`), so the inner loop is a branch-free copy
  and the padding is written as zeros without ever building a padded copy of ``x``;
* the kernels work on a slice ``n0:n1`` of the batch and release the GIL, so that
  :mod:`dlmath.kernels._threads` can run two slices on two cores.
"""
import numpy as np
from numba import njit

from ._loops import _add_into, _copy, _fill_zero, _valid_range
from .shapes import conv_output_size, pair

__all__ = ["im2col", "col2im"]


@njit(nogil=True, cache=True)
def im2col_kernel(x, n0, n1, kh, kw, sh, sw, ph, pw, dh, dw, col):
    """Fill ``col`` (C*kh*kw, n1-n0, Ho, Wo) with the column matrix of images ``n0:n1``.

    ``x`` (N, C, H, W) and ``col`` must be C-contiguous and of the same dtype.
    """
    C, H, W = x.shape[1], x.shape[2], x.shape[3]
    B, Ho, Wo = col.shape[1], col.shape[2], col.shape[3]
    xf = x.reshape(-1)
    cf = col.reshape(-1)
    for c in range(C):
        for ki in range(kh):
            oh_lo, oh_hi = _valid_range(ki * dh - ph, sh, Ho, H)
            for kj in range(kw):
                off = kj * dw - pw
                lo, hi = _valid_range(off, sw, Wo, W)
                for b in range(B):
                    plane = ((n0 + b) * C + c) * H * W
                    dst = ((((c * kh + ki) * kw + kj) * B) + b) * Ho * Wo
                    if lo > 0 or hi < Wo or oh_lo > 0 or oh_hi < Ho:
                        _fill_zero(cf, dst, Ho * Wo)       # this tap reaches into the padding
                    for oh in range(oh_lo, oh_hi):
                        ih = oh * sh - ph + ki * dh
                        _copy(cf, dst + oh * Wo + lo, xf, plane + ih * W + lo * sw + off,
                              hi - lo, sw)


@njit(nogil=True, cache=True)
def col2im_kernel(col, n0, n1, kh, kw, sh, sw, ph, pw, dh, dw, x):
    """Overwrite images ``n0:n1`` of ``x`` (N, C, H, W) with col2im of ``col`` (C*kh*kw, n1-n0, Ho, Wo).

    The adjoint of :func:`im2col_kernel`: ``x[n, c, ih, iw] = Σ col[...]`` over every
    (tap, output position) that reads input position (ih, iw); padding entries are dropped.
    """
    C, H, W = x.shape[1], x.shape[2], x.shape[3]
    B, Ho, Wo = col.shape[1], col.shape[2], col.shape[3]
    xf = x.reshape(-1)
    cf = col.reshape(-1)
    _fill_zero(xf, n0 * C * H * W, (n1 - n0) * C * H * W)
    for c in range(C):
        for ki in range(kh):
            oh_lo, oh_hi = _valid_range(ki * dh - ph, sh, Ho, H)
            for kj in range(kw):
                off = kj * dw - pw
                lo, hi = _valid_range(off, sw, Wo, W)
                for b in range(B):
                    plane = ((n0 + b) * C + c) * H * W
                    src = ((((c * kh + ki) * kw + kj) * B) + b) * Ho * Wo
                    for oh in range(oh_lo, oh_hi):
                        ih = oh * sh - ph + ki * dh
                        _add_into(xf, plane + ih * W + lo * sw + off, cf, src + oh * Wo + lo,
                                  hi - lo, sw)


def _geometry(x_shape, kernel_size, stride, padding, dilation, op):
    N, C, H, W = x_shape
    (kh, kw), (sh, sw) = pair(kernel_size, "kernel_size"), pair(stride, "stride")
    (ph, pw), (dh, dw) = pair(padding, "padding"), pair(dilation, "dilation")
    Ho = conv_output_size(H, kh, sh, ph, dh, op)
    Wo = conv_output_size(W, kw, sw, pw, dw, op)
    return (kh, kw, sh, sw, ph, pw, dh, dw), Ho, Wo


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    """Column matrix of a batch: ``x`` (N, C, H, W) → ``col`` (C·kh·kw, N·Ho·Wo).

    ``col[(c*kh + ki)*kw + kj, (n*Ho + oh)*Wo + ow] = x[n, c, oh*sh - ph + ki*dh, ow*sw - pw + kj*dw]``,
    zero in the padding.
    """
    x = np.ascontiguousarray(x)
    if x.ndim != 4:
        raise ValueError(f"im2col: expected x of shape (N, C, H, W), got {x.shape}")
    g, Ho, Wo = _geometry(x.shape, kernel_size, stride, padding, dilation, "im2col")
    N, C = x.shape[:2]
    col = np.empty((C * g[0] * g[1], N, Ho, Wo), x.dtype)
    im2col_kernel(x, 0, N, *g, col)
    return col.reshape(C * g[0] * g[1], N * Ho * Wo)


def col2im(col, x_shape, kernel_size, stride=1, padding=0, dilation=1):
    """Adjoint of :func:`im2col`: ``col`` (C·kh·kw, N·Ho·Wo) → ``x`` of shape ``x_shape``.

    Each column entry is added to the input position it came from; entries that came from the
    padding are dropped.  ``<im2col(x), col> == <x, col2im(col)>`` for all x, col.
    """
    x_shape = tuple(int(s) for s in x_shape)
    g, Ho, Wo = _geometry(x_shape, kernel_size, stride, padding, dilation, "col2im")
    N, C = x_shape[:2]
    K = C * g[0] * g[1]
    col = np.ascontiguousarray(col)
    if col.shape != (K, N * Ho * Wo):
        raise ValueError(f"col2im: expected col of shape {(K, N * Ho * Wo)} for x_shape {x_shape}, "
                         f"got {col.shape}")
    x = np.empty(x_shape, col.dtype)
    col2im_kernel(col.reshape(K, N, Ho, Wo), 0, N, *g, x)
    return x
