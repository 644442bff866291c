"""Convolution and pooling as autograd ops whose arithmetic runs in ``dlmath.kernels``.

Output size per spatial axis (i input, k kernel, s stride, p padding, d dilation):

    o = ⌊(i + 2p − d(k − 1) − 1) / s⌋ + 1.

All arguments are checked here, before any kernel runs, and a bad one raises ``ValueError``
naming the shapes and the rule. Backward passes only compute what is needed: the gradient of
an input that does not require grad (e.g. the images fed to the first layer) is never formed.

Second derivatives: conv2d's backward is written with three mutually-adjoint ops (the
convolution, its input-gradient and its weight-gradient), each differentiable in terms of the
others, so ``create_graph=True`` works through conv2d. The pools' backwards are linear maps
(scatter to the arg-max / spread over the window) and are differentiable too.
"""
import numpy as np

from ...autograd.tensor import _make
from ._utils import as_tensor, const, pair
from ...kernels.shapes import conv_output_size

__all__ = ["conv2d", "max_pool2d", "avg_pool2d", "conv_output_size"]

def _kernels():
    """``dlmath.kernels`` (its Numba modules load on first attribute use, i.e. the first conv)."""
    from ... import kernels
    return kernels


# ----------------------------------------------------------------------------------------------
# validation
# ----------------------------------------------------------------------------------------------
def _spatial_out(fn, x_shape, k, s, p, d):
    out = []
    for axis, name in ((0, "height"), (1, "width")):
        i = x_shape[2 + axis]
        eff = d[axis] * (k[axis] - 1) + 1
        if eff > i + 2 * p[axis]:
            raise ValueError(
                f"{fn}: the kernel is larger than the padded input along the {name}: input "
                f"{tuple(x_shape)} has {name} {i}, padded {i} + 2·{p[axis]} = {i + 2 * p[axis]}, "
                f"but the effective kernel d·(k − 1) + 1 = {d[axis]}·({k[axis]} − 1) + 1 = {eff} "
                f"(rule: o = ⌊(i + 2p − d(k − 1) − 1)/s⌋ + 1 must be ≥ 1)")
        out.append(conv_output_size(i, k[axis], s[axis], p[axis], d[axis]))
    return tuple(out)


def _string_padding(padding, kernel_size, stride, dilation, fn="Conv2d"):
    if padding == "valid":
        return (0, 0)
    if padding == "same":
        if stride != (1, 1):
            raise ValueError(f"{fn}: padding='same' is not supported for strided convolutions "
                             f"(stride={stride})")
        pads = []
        for k, d in zip(kernel_size, dilation):
            total = d * (k - 1)
            if total % 2:
                raise ValueError(f"{fn}: padding='same' needs an even d·(k − 1) for symmetric "
                                 f"padding, got kernel_size={kernel_size}, dilation={dilation}")
            pads.append(total // 2)
        return tuple(pads)
    raise ValueError(f"{fn}: padding must be an int, a pair of ints, 'valid' or 'same', got "
                     f"{padding!r}")


def _batched_input(x, fn, what="input"):
    if x.ndim == 3:
        return x.reshape((1,) + x.shape), True
    if x.ndim != 4:
        raise ValueError(f"{fn}: expected a 4-D {what} (N, C, H, W) or a 3-D one (C, H, W), got "
                         f"shape {x.shape} ({x.ndim}-D)")
    return x, False


def _check_float_dtypes(fn, **tensors):
    dts = {k: t.data.dtype for k, t in tensors.items() if t is not None}
    for k, dt in dts.items():
        if dt not in (np.float32, np.float64):
            raise TypeError(f"{fn}: {k} must be float32 or float64, got {dt}")
    if len(set(dts.values())) > 1:
        listing = ", ".join(f"{k} {dt}" for k, dt in dts.items())
        raise TypeError(f"{fn}: dtypes differ ({listing}); convert them to one float dtype "
                        f"(e.g. model.float() or x.float())")


# ----------------------------------------------------------------------------------------------
# convolution: three ops, each the adjoint-partner of the others
# ----------------------------------------------------------------------------------------------
def _conv(x, w, geo):
    """y = conv(x, w) (no bias) as an op."""
    s, p, d = geo
    y = _kernels().conv2d_forward(x.data, w.data, None, s, p, d)

    def backward(g, out):
        return (_conv_grad_input(g, w, x.shape, geo) if x.requires_grad else None,
                _conv_grad_weight(g, x, w.shape, geo) if w.requires_grad else None)
    return _make(y, (x, w), backward, "Conv2d")


def _conv_grad_input(g, w, x_shape, geo):
    """∂L/∂x = conv2d_backward_input(g, w) as an op (linear in g and in w):
    <u, gi(g, w)> = <g, conv(u, w)>, so ∂/∂g = conv(u, w) and ∂/∂w = grad_weight(g, u)."""
    s, p, d = geo
    data = _kernels().conv2d_backward_input(np.ascontiguousarray(g.data), w.data, x_shape, s, p, d)

    def backward(u, out):
        return (_conv(u, w, geo) if g.requires_grad else None,
                _conv_grad_weight(g, u, w.shape, geo) if w.requires_grad else None)
    return _make(data, (g, w), backward, "Conv2dBackwardInput")


def _conv_grad_weight(g, x, w_shape, geo):
    """∂L/∂w = conv2d_backward_weight(g, x) as an op:
    <v, gw(g, x)> = <g, conv(x, v)>, so ∂/∂g = conv(x, v) and ∂/∂x = grad_input(g, v)."""
    s, p, d = geo
    data = _kernels().conv2d_backward_weight(np.ascontiguousarray(g.data), x.data, w_shape,
                                             s, p, d)

    def backward(v, out):
        return (_conv(x, v, geo) if g.requires_grad else None,
                _conv_grad_input(g, v, x.shape, geo) if x.requires_grad else None)
    return _make(data, (g, x), backward, "Conv2dBackwardWeight")


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D convolution (cross-correlation, as in every DL library: the kernel is not flipped).

    input (N, C_in, H, W) or (C_in, H, W); weight (C_out, C_in, kh, kw); bias (C_out,) or None;
    stride, padding, dilation: an int or a pair (padding also 'valid' or 'same'). Output
    (N, C_out, Ho, Wo) with Ho = ⌊(H + 2p − d(kh − 1) − 1)/s⌋ + 1 (same for Wo):

        y[n, o, i, j] = b[o] + Σ_{c, a, b'} w[o, c, a, b'] · x[n, c, i·s + a·d − p, j·s + b'·d − p].

    Gradients: ∂L/∂x is a "transposed" convolution of g with w, ∂L/∂w correlates x with g,
    ∂L/∂b = Σ g over (N, Ho, Wo); each is computed only if that argument requires grad. The
    kernels are Numba/BLAS (``dlmath.kernels``); the backward is also differentiable (see the
    module docstring). Only ``groups=1`` is supported."""
    fn = "conv2d"
    if groups != 1:
        raise NotImplementedError("conv2d: only groups=1 is supported")
    x, w = as_tensor(input), as_tensor(weight)
    b = None if bias is None else as_tensor(bias)
    x4, unbatched = _batched_input(x, fn)
    if w.ndim != 4:
        raise ValueError(f"{fn}: weight must be 4-D (C_out, C_in, kh, kw), got shape {w.shape}")
    if x4.shape[1] != w.shape[1]:
        raise ValueError(f"{fn}: input has {x4.shape[1]} channels (input shape {x.shape}) but "
                         f"the weight expects {w.shape[1]} (weight shape {w.shape}; rule: weight "
                         f"is (C_out, C_in, kh, kw) with C_in = input.shape[1])")
    if b is not None and b.shape != (w.shape[0],):
        raise ValueError(f"{fn}: bias must have shape ({w.shape[0]},) (one per output channel "
                         f"of weight {w.shape}), got {b.shape}")
    k = (int(w.shape[2]), int(w.shape[3]))
    if min(k) < 1:
        raise ValueError(f"{fn}: weight {w.shape} has an empty kernel")
    s = pair(stride, "stride", fn, allow_zero=False)
    d = pair(dilation, "dilation", fn, allow_zero=False)
    if isinstance(padding, str):
        p = _string_padding(padding, k, s, d, fn)
    else:
        p = pair(padding, "padding", fn)
    _spatial_out(fn, x4.shape, k, s, p, d)
    _check_float_dtypes(fn, input=x, weight=w, bias=b)

    y = _conv(x4, w, (s, p, d))
    if b is not None:
        y = _add_channel_bias(y, b)
    return y.reshape(y.shape[1:]) if unbatched else y


def _add_channel_bias(y, b):
    """y + b[None, :, None, None] as one op (no broadcast bookkeeping), gradient Σ g."""
    data = y.data
    data += b.data[:, None, None]          # y is a fresh kernel output: safe to update in place

    def backward(g, out):
        return (g, g.sum(dim=(0, 2, 3)) if b.requires_grad else None)
    return _make(data, (y, b), backward, "AddBias")


# ----------------------------------------------------------------------------------------------
# pooling
# ----------------------------------------------------------------------------------------------
def _pool_args(fn, x, kernel_size, stride, padding):
    x4, unbatched = _batched_input(x, fn)
    k = pair(kernel_size, "kernel_size", fn, allow_zero=False)
    s = k if stride is None or (isinstance(stride, (list, tuple)) and len(stride) == 0) \
        else pair(stride, "stride", fn, allow_zero=False)
    p = pair(padding, "padding", fn)
    for axis in (0, 1):
        if 2 * p[axis] > k[axis]:
            raise ValueError(f"{fn}: padding {p} should be at most half of the kernel size {k} "
                             f"(rule: padding ≤ kernel_size // 2, so every window overlaps the "
                             f"input)")
    _spatial_out(fn, x4.shape, k, s, p, (1, 1))
    _check_float_dtypes(fn, input=x)
    return x4, unbatched, k, s, p


def _gather_by_index(t, index, out_shape):
    """out[n, c, j] = t[n, c].flat[index[n, c, j]] as an op; its backward is the scatter-add
    (the max-pool backward), whose backward is this gather again."""
    N, C = t.shape[:2]
    flat = t.data.reshape(N, C, -1)
    data = np.take_along_axis(flat, index.reshape(N, C, -1), axis=2).reshape(out_shape)

    def backward(g, out):
        return (_scatter_by_index(g, index, t.shape),)
    return _make(data, (t,), backward, "PoolGather")


def _scatter_by_index(g, index, x_shape):
    """The max-pool backward: add g[n, c, j] at x[n, c].flat[index[n, c, j]]."""
    data = _kernels().max_pool2d_backward(np.ascontiguousarray(g.data), index, x_shape)

    def backward(gg, out):
        return (_gather_by_index(gg, index, g.shape),)
    return _make(data, (g,), backward, "MaxPool2dBackward")


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """Max over k×k windows: y[n, c, i, j] = max of x[n, c] over the window at (i·s − p, j·s − p)
    (padding counts as −∞). ``stride`` defaults to ``kernel_size``; overlapping windows
    (stride < kernel) are fine. Output size as conv2d with d = 1; padding ≤ kernel_size // 2.

    The gradient goes to the arg-max of each window (the first one, in row-major order, when
    several elements tie) and adds up where overlapping windows share their arg-max. Only
    ``dilation=1`` and ``ceil_mode=False`` are supported."""
    fn = "max_pool2d"
    if dilation not in (1, (1, 1)) or ceil_mode:
        raise NotImplementedError(f"{fn}: only dilation=1 and ceil_mode=False are supported")
    x = as_tensor(input)
    x4, unbatched, k, s, p = _pool_args(fn, x, kernel_size, stride, padding)
    y, index = _kernels().max_pool2d_forward(np.ascontiguousarray(x4.data), k, s, p)

    def backward(g, out):
        return (_scatter_by_index(g, index, x4.shape),)
    out = _make(y, (x4,), backward, "MaxPool2d")
    if unbatched:
        out = out.reshape(out.shape[1:])
    if return_indices:
        return out, const(index.reshape(out.shape))
    return out


def _avg_pool(x4, k, s, p):
    y = _kernels().avg_pool2d_forward(np.ascontiguousarray(x4.data), k, s, p)

    def backward(g, out):
        return (_avg_pool_adjoint(g, x4.shape, k, s, p),)
    return _make(y, (x4,), backward, "AvgPool2d")


def _avg_pool_adjoint(g, x_shape, k, s, p):
    """The avg-pool backward (spread g/k² over each window) as an op; its adjoint is the
    average pool itself."""
    data = _kernels().avg_pool2d_backward(np.ascontiguousarray(g.data), x_shape, k, s, p)

    def backward(gg, out):
        return (_avg_pool(gg, k, s, p),)
    return _make(data, (g,), backward, "AvgPool2dBackward")


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    """Mean over k×k windows; zero padding is counted in the mean (PyTorch's default
    ``count_include_pad=True``): y = Σ_window x / (kh·kw). ``stride`` defaults to
    ``kernel_size``. Backward spreads g/(kh·kw) over each window (adding where windows
    overlap). Only the defaults of ``ceil_mode``, ``count_include_pad`` and
    ``divisor_override`` are supported."""
    fn = "avg_pool2d"
    if ceil_mode or not count_include_pad or divisor_override is not None:
        raise NotImplementedError(f"{fn}: only ceil_mode=False, count_include_pad=True and "
                                  f"divisor_override=None are supported")
    x = as_tensor(input)
    x4, unbatched, k, s, p = _pool_args(fn, x, kernel_size, stride, padding)
    out = _avg_pool(x4, k, s, p)
    return out.reshape(out.shape[1:]) if unbatched else out
