"""Slow, obvious NumPy versions of every kernel: the definitions the fast kernels are tested against.

Two kinds:

* ``*_ref``: explicit Python loops over output positions, each line a formula from the
  docstrings of :mod:`.conv` and :mod:`.pool`.  Clear, and far too slow for training.
* ``conv2d_*_numpy``: the textbook vectorised NumPy method (``sliding_window_view`` im2col +
  one ``tensordot``), the "plain NumPy" baseline of the benchmarks.

Same argument conventions as the fast kernels; stride/padding/dilation are ints or pairs.
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .shapes import conv_output_size, pair, pool_output_size

__all__ = ["conv2d_forward_ref", "conv2d_backward_input_ref", "conv2d_backward_weight_ref",
           "conv2d_backward_bias_ref", "im2col_ref", "max_pool2d_forward_ref",
           "max_pool2d_backward_ref", "avg_pool2d_forward_ref", "avg_pool2d_backward_ref",
           "conv2d_forward_numpy", "conv2d_backward_input_numpy",
           "conv2d_backward_weight_numpy"]


def _conv_geometry(x_shape, w_shape, stride, padding, dilation):
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)
    kh, kw = w_shape[2], w_shape[3]
    Ho = conv_output_size(x_shape[2], kh, sh, ph, dh)
    Wo = conv_output_size(x_shape[3], kw, sw, pw, dw)
    return kh, kw, sh, sw, ph, pw, dh, dw, Ho, Wo


def _window(oh, ow, kh, kw, sh, sw, dh, dw):
    """Slices of the *padded* input seen by output (oh, ow)."""
    return (slice(oh * sh, oh * sh + dh * (kh - 1) + 1, dh),
            slice(ow * sw, ow * sw + dw * (kw - 1) + 1, dw))


def conv2d_forward_ref(x, w, b=None, stride=1, padding=0, dilation=1):
    """y[n, co, oh, ow] = b[co] + Σ_{ci, ki, kj} w[co, ci, ki, kj] · xpad[n, ci, oh·sh + ki·dh, ow·sw + kj·dw]."""
    kh, kw, sh, sw, ph, pw, dh, dw, Ho, Wo = _conv_geometry(x.shape, w.shape, stride, padding, dilation)
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    y = np.zeros((x.shape[0], w.shape[0], Ho, Wo), x.dtype)
    for oh in range(Ho):
        for ow in range(Wo):
            rows, cols = _window(oh, ow, kh, kw, sh, sw, dh, dw)
            patch = xp[:, :, rows, cols]                        # (N, C_in, kh, kw)
            y[:, :, oh, ow] = np.tensordot(patch, w, axes=([1, 2, 3], [1, 2, 3]))
    if b is not None:
        y += b[None, :, None, None]
    return y


def conv2d_backward_input_ref(gy, w, x_shape, stride=1, padding=0, dilation=1):
    """gx: every output (oh, ow) sends gy[n, :, oh, ow] · w back onto the input window it saw."""
    kh, kw, sh, sw, ph, pw, dh, dw, Ho, Wo = _conv_geometry(x_shape, w.shape, stride, padding, dilation)
    N, C, H, W = x_shape
    gxp = np.zeros((N, C, H + 2 * ph, W + 2 * pw), gy.dtype)
    for oh in range(Ho):
        for ow in range(Wo):
            rows, cols = _window(oh, ow, kh, kw, sh, sw, dh, dw)
            gxp[:, :, rows, cols] += np.tensordot(gy[:, :, oh, ow], w, axes=(1, 0))
    return gxp[:, :, ph:ph + H, pw:pw + W].copy()


def conv2d_backward_weight_ref(gy, x, w_shape, stride=1, padding=0, dilation=1):
    """gw[co, ci, ki, kj] = Σ_{n, oh, ow} gy[n, co, oh, ow] · xpad[n, ci, oh·sh + ki·dh, ow·sw + kj·dw]."""
    kh, kw, sh, sw, ph, pw, dh, dw, Ho, Wo = _conv_geometry(x.shape, w_shape, stride, padding, dilation)
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    gw = np.zeros(w_shape, x.dtype)
    for oh in range(Ho):
        for ow in range(Wo):
            rows, cols = _window(oh, ow, kh, kw, sh, sw, dh, dw)
            gw += np.tensordot(gy[:, :, oh, ow], xp[:, :, rows, cols], axes=(0, 0))
    return gw


def conv2d_backward_bias_ref(gy):
    """gb[co] = Σ_{n, oh, ow} gy[n, co, oh, ow]."""
    return gy.sum(axis=(0, 2, 3))


def im2col_ref(x, kernel_size, stride=1, padding=0, dilation=1):
    """col[n, (c, ki, kj), (oh, ow)] = xpad[n, c, oh·sh + ki·dh, ow·sw + kj·dw], shape (N, C·kh·kw, Ho·Wo)."""
    (kh, kw) = pair(kernel_size)
    kh, kw, sh, sw, ph, pw, dh, dw, Ho, Wo = _conv_geometry(
        x.shape, (1, 1, kh, kw), stride, padding, dilation)
    N, C = x.shape[:2]
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    col = np.zeros((N, C, kh, kw, Ho, Wo), x.dtype)
    for oh in range(Ho):
        for ow in range(Wo):
            rows, cols = _window(oh, ow, kh, kw, sh, sw, dh, dw)
            col[:, :, :, :, oh, ow] = xp[:, :, rows, cols]
    return col.reshape(N, C * kh * kw, Ho * Wo)


def _pool_geometry(x_shape, kernel_size, stride, padding, op):
    (kh, kw) = pair(kernel_size)
    (sh, sw) = (kh, kw) if stride is None else pair(stride)
    (ph, pw) = pair(padding)
    Ho = pool_output_size(x_shape[2], kh, sh, ph, op)
    Wo = pool_output_size(x_shape[3], kw, sw, pw, op)
    return kh, kw, sh, sw, ph, pw, Ho, Wo


def _clipped(o, s, p, k, size):
    """Input range [lo, hi) of window o, clipped to the image (the padding never wins a max)."""
    return max(o * s - p, 0), min(o * s - p + k, size)


def max_pool2d_forward_ref(x, kernel_size, stride=None, padding=0):
    """(y, argmax): the maximum of each window and its flat index ih·W + iw (first maximum in
    row-major window order)."""
    kh, kw, sh, sw, ph, pw, Ho, Wo = _pool_geometry(x.shape, kernel_size, stride, padding, "max_pool2d")
    N, C, H, W = x.shape
    y = np.empty((N, C, Ho, Wo), x.dtype)
    arg = np.empty((N, C, Ho, Wo), np.int64)
    for oh in range(Ho):
        h0, h1 = _clipped(oh, sh, ph, kh, H)
        for ow in range(Wo):
            w0, w1 = _clipped(ow, sw, pw, kw, W)
            win = x[:, :, h0:h1, w0:w1].reshape(N, C, -1)
            k = win.argmax(axis=2)                              # first maximum
            y[:, :, oh, ow] = np.take_along_axis(win, k[..., None], axis=2)[..., 0]
            arg[:, :, oh, ow] = (h0 + k // (w1 - w0)) * W + (w0 + k % (w1 - w0))
    return y, arg


def max_pool2d_backward_ref(gy, argmax, x_shape):
    """gx[n, c, i // W, i % W] += gy[n, c, oh, ow] with i = argmax[n, c, oh, ow]."""
    N, C, H, W = x_shape
    gx = np.zeros((N, C, H * W), gy.dtype)
    for n in range(N):
        for c in range(C):
            np.add.at(gx[n, c], argmax[n, c].ravel(), gy[n, c].ravel())
    return gx.reshape(x_shape)


def avg_pool2d_forward_ref(x, kernel_size, stride=None, padding=0):
    """y = mean of each zero-padded window (divisor kh·kw: ``count_include_pad=True``)."""
    kh, kw, sh, sw, ph, pw, Ho, Wo = _pool_geometry(x.shape, kernel_size, stride, padding, "avg_pool2d")
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    y = np.empty(x.shape[:2] + (Ho, Wo), x.dtype)
    for oh in range(Ho):
        for ow in range(Wo):
            y[:, :, oh, ow] = xp[:, :, oh * sh:oh * sh + kh, ow * sw:ow * sw + kw].sum(axis=(2, 3)) / (kh * kw)
    return y


def avg_pool2d_backward_ref(gy, x_shape, kernel_size, stride=None, padding=0):
    """gx: each gy[n, c, oh, ow] / (kh·kw) added to every cell of its window."""
    kh, kw, sh, sw, ph, pw, Ho, Wo = _pool_geometry(x_shape, kernel_size, stride, padding, "avg_pool2d")
    N, C, H, W = x_shape
    gxp = np.zeros((N, C, H + 2 * ph, W + 2 * pw), gy.dtype)
    for oh in range(Ho):
        for ow in range(Wo):
            gxp[:, :, oh * sh:oh * sh + kh, ow * sw:ow * sw + kw] += gy[:, :, oh, ow, None, None] / (kh * kw)
    return gxp[:, :, ph:ph + H, pw:pw + W].copy()


# --- the textbook vectorised NumPy method (benchmark baseline) -----------------------------

def _patches(x, kh, kw, sh, sw, ph, pw, dh, dw, Ho, Wo):
    """View (N, C, Ho, Wo, kh, kw) of the padded input: patches[n, c, oh, ow] = window of (oh, ow)."""
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    v = sliding_window_view(xp, (dh * (kh - 1) + 1, dw * (kw - 1) + 1), axis=(2, 3))
    return v[:, :, ::sh, ::sw, ::dh, ::dw][:, :, :Ho, :Wo]


def conv2d_forward_numpy(x, w, b=None, stride=1, padding=0, dilation=1):
    """im2col as a strided view, then one tensordot (a big matmul) over (C_in, kh, kw)."""
    kh, kw, sh, sw, ph, pw, dh, dw, Ho, Wo = _conv_geometry(x.shape, w.shape, stride, padding, dilation)
    patches = _patches(x, kh, kw, sh, sw, ph, pw, dh, dw, Ho, Wo)
    y = np.tensordot(patches, w, axes=([1, 4, 5], [1, 2, 3]))   # (N, Ho, Wo, C_out)
    if b is not None:
        y += b
    return np.ascontiguousarray(y.transpose(0, 3, 1, 2))


def conv2d_backward_weight_numpy(gy, x, w_shape, stride=1, padding=0, dilation=1):
    """gw = tensordot of gy with the strided patch view over (n, oh, ow)."""
    kh, kw, sh, sw, ph, pw, dh, dw, Ho, Wo = _conv_geometry(x.shape, w_shape, stride, padding, dilation)
    patches = _patches(x, kh, kw, sh, sw, ph, pw, dh, dw, Ho, Wo)
    return np.tensordot(gy, patches, axes=([0, 2, 3], [0, 2, 3]))  # (C_out, C_in, kh, kw)


def conv2d_backward_input_numpy(gy, w, x_shape, stride=1, padding=0, dilation=1):
    """gcol = gy·w by tensordot, then col2im as kh·kw strided slice additions."""
    kh, kw, sh, sw, ph, pw, dh, dw, Ho, Wo = _conv_geometry(x_shape, w.shape, stride, padding, dilation)
    N, C, H, W = x_shape
    gcol = np.tensordot(gy, w, axes=(1, 0))                    # (N, Ho, Wo, C_in, kh, kw)
    gxp = np.zeros((N, C, H + 2 * ph, W + 2 * pw), gy.dtype)
    for ki in range(kh):
        for kj in range(kw):
            gxp[:, :, ki * dh:ki * dh + sh * (Ho - 1) + 1:sh,
                kj * dw:kj * dw + sw * (Wo - 1) + 1:sw] += gcol[:, :, :, :, ki, kj].transpose(0, 3, 1, 2)
    return gxp[:, :, ph:ph + H, pw:pw + W].copy()
