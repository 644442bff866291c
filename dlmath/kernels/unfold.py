"""im2col / col2im (PyTorch calls them unfold / fold): turn a convolution into a matrix product, and back.

For an input ``x`` of shape (N, C, H, W) and a kh×kw window with stride (sh, sw),
padding (ph, pw) and dilation (dh, dw), the *column matrix* of image n is::

    col[n, (c, ki, kj), (oh, ow)] = x[n, c, oh*sh - ph + ki*dh, ow*sw - pw + kj*dw]

(zero where the index falls into the padding), of shape (N, C·kh·kw, Ho·Wo) as PyTorch's
``unfold``: one column per output position, holding the input window that position sees.
Row ``(c, ki, kj)`` is flattened as ``(c*kh + ki)*kw + kj``, the same order as a weight
``w[co, c, ki, kj]`` reshaped to (C_out, C·kh·kw), so a convolution is one matrix product
per image::

    y[n] = w.reshape(C_out, C*kh*kw) @ col[n]          # (C_out, Ho*Wo), then reshape

``col2im`` is the adjoint (transpose) of ``im2col``: it *adds* every column entry back onto
the input position it was copied from; overlapping windows add up.  That is exactly the
gradient of ``im2col``, hence the input gradient of a convolution.

Implementation notes (why the Numba loops look the way they do):

* arrays are viewed flat and indexed with unsigned offsets (see :mod:`._loops`);
* with padding, each input plane is copied once into a small zero-bordered buffer, so the
  inner loop is a branch-free row copy (cheaper than writing the padding's zeros
  separately: a tap that touches the border would otherwise be written twice);
* the kernels work on a slice ``n0:n1`` of the batch and release the GIL, so that
  :mod:`dlmath.kernels._threads` can run two slices on two cores.
"""
import numpy as np
from numba import njit

from ._loops import _add_into, _copy, _fill_zero
from .shapes import conv_output_size, pair

__all__ = ["im2col", "col2im"]


@njit(nogil=True, cache=True)
def im2col_kernel(x, n0, n1, kh, kw, sh, sw, ph, pw, dh, dw, col):
    """Fill ``col[b, r]`` for ``r < C*kh*kw`` (col: (n1-n0, R ≥ C*kh*kw, Ho, Wo)) with the column
    matrix of image ``n0 + b`` of ``x`` (N, C, H, W), and any further rows with ones (they
    multiply the bias); both C-contiguous, same dtype.

    Each input plane is first copied into a zero-bordered buffer (when there is padding), so
    that every column-matrix row is a plain strided copy, with no bounds to check.
    """
    C, H, W = x.shape[1], x.shape[2], x.shape[3]
    B, R, Ho, Wo = col.shape[0], col.shape[1], col.shape[2], col.shape[3]
    Hp, Wp = H + 2 * ph, W + 2 * pw
    padded = ph > 0 or pw > 0
    buf = np.zeros(Hp * Wp if padded else 0, x.dtype)     # its border stays zero throughout
    xf = x.reshape(-1)
    cf = col.reshape(-1)
    for b in range(B):
        for c in range(C):
            plane = ((n0 + b) * C + c) * H * W
            if padded:
                for ih in range(H):
                    _copy(buf, (ih + ph) * Wp + pw, xf, plane + ih * W, W, 1)
                src, start, width = buf, 0, Wp
            else:
                src, start, width = xf, plane, W
            for ki in range(kh):
                for kj in range(kw):
                    dst = (b * R + (c * kh + ki) * kw + kj) * Ho * Wo
                    for oh in range(Ho):
                        _copy(cf, dst + oh * Wo, src, start + (oh * sh + ki * dh) * width + kj * dw,
                              Wo, sw)
        for r in range(C * kh * kw, R):             # extra rows (the bias trick): ones
            for j in range((b * R + r) * Ho * Wo, (b * R + r + 1) * Ho * Wo):
                cf[j] = 1


@njit(nogil=True, cache=True)
def col2im_kernel(col, n0, n1, kh, kw, sh, sw, ph, pw, dh, dw, x):
    """Overwrite images ``n0:n1`` of ``x`` (N, C, H, W) with col2im of ``col[b, r]``,
    ``r < C*kh*kw`` (col: (n1-n0, ≥ C*kh*kw, Ho, Wo)).

    The adjoint of :func:`im2col_kernel`: ``x[n, c, ih, iw] = Σ col[...]`` over every
    (tap, output position) that reads input position (ih, iw).  Sums go into a zeroed
    padded plane, whose interior is then copied out (the padding's share is dropped).
    """
    C, H, W = x.shape[1], x.shape[2], x.shape[3]
    B, R, Ho, Wo = col.shape[0], col.shape[1], col.shape[2], col.shape[3]
    Hp, Wp = H + 2 * ph, W + 2 * pw
    padded = ph > 0 or pw > 0
    buf = np.empty(Hp * Wp if padded else 0, x.dtype)
    xf = x.reshape(-1)
    cf = col.reshape(-1)
    for b in range(B):
        for c in range(C):
            plane = ((n0 + b) * C + c) * H * W
            if padded:
                _fill_zero(buf, 0, Hp * Wp)
                dst, start, width = buf, 0, Wp
            else:
                _fill_zero(xf, plane, H * W)
                dst, start, width = xf, plane, W
            for ki in range(kh):
                for kj in range(kw):
                    src = (b * R + (c * kh + ki) * kw + kj) * Ho * Wo
                    for oh in range(Ho):
                        _add_into(dst, start + (oh * sh + ki * dh) * width + kj * dw, cf,
                                  src + oh * Wo, Wo, sw)
            if padded:
                for ih in range(H):
                    _copy(xf, plane + ih * W, buf, (ih + ph) * Wp + pw, W, 1)


def _geometry(x_shape, kernel_size, stride, padding, dilation, op):
    N, C, H, W = x_shape
    (kh, kw), (sh, sw) = pair(kernel_size, "kernel_size"), pair(stride, "stride")
    (ph, pw), (dh, dw) = pair(padding, "padding"), pair(dilation, "dilation")
    Ho = conv_output_size(H, kh, sh, ph, dh, op)
    Wo = conv_output_size(W, kw, sw, pw, dw, op)
    return (kh, kw, sh, sw, ph, pw, dh, dw), Ho, Wo


def im2col(x, kernel_size, stride=1, padding=0, dilation=1):
    """Column matrices of a batch: ``x`` (N, C, H, W) → ``col`` (N, C·kh·kw, Ho·Wo) (PyTorch's ``unfold``).

    ``col[n, (c*kh + ki)*kw + kj, oh*Wo + ow] = x[n, c, oh*sh - ph + ki*dh, ow*sw - pw + kj*dw]``,
    zero in the padding.
    """
    x = np.ascontiguousarray(x)
    if x.ndim != 4:
        raise ValueError(f"im2col: expected x of shape (N, C, H, W), got {x.shape}")
    g, Ho, Wo = _geometry(x.shape, kernel_size, stride, padding, dilation, "im2col")
    N, C = x.shape[:2]
    col = np.empty((N, C * g[0] * g[1], Ho, Wo), x.dtype)
    im2col_kernel(x, 0, N, *g, col)
    return col.reshape(N, C * g[0] * g[1], Ho * Wo)


def col2im(col, x_shape, kernel_size, stride=1, padding=0, dilation=1):
    """Adjoint of :func:`im2col`: ``col`` (N, C·kh·kw, Ho·Wo) → ``x`` of shape ``x_shape`` (PyTorch's ``fold``).

    Each column entry is added to the input position it came from; entries that came from the
    padding are dropped.  ``<im2col(x), col> == <x, col2im(col)>`` for all x, col.
    """
    x_shape = tuple(int(s) for s in x_shape)
    g, Ho, Wo = _geometry(x_shape, kernel_size, stride, padding, dilation, "col2im")
    N, C = x_shape[:2]
    K = C * g[0] * g[1]
    col = np.ascontiguousarray(col)
    if col.shape != (N, K, Ho * Wo):
        raise ValueError(f"col2im: expected col of shape {(N, K, Ho * Wo)} for x_shape {x_shape}, "
                         f"got {col.shape}")
    x = np.empty(x_shape, col.dtype)
    col2im_kernel(col.reshape(N, K, Ho, Wo), 0, N, *g, x)
    return x
