"""Activation functions and (log-)softmax.

Each one either reuses a Tensor primitive (relu, sigmoid, tanh) or is a small fused op made with
``_make``: a NumPy forward and a backward that is plain NumPy when nobody is recording the
backward pass (fast), and written with Tensor ops when ``create_graph=True`` is (so second
derivatives stay correct). Both branches compute the same formula.
"""
import math
import warnings

import numpy as np

from ...autograd.tensor import _make, where
from ._utils import as_tensor, const, norm_dim, recording

__all__ = ["relu", "leaky_relu", "sigmoid", "tanh", "gelu", "silu", "softplus", "elu",
           "softmax", "log_softmax"]


def relu(input, inplace=False):
    """max(x, 0). The derivative is 1 for x > 0 and 0 for x ≤ 0 (0 at the kink, as PyTorch).
    ``inplace`` is accepted for PyTorch compatibility; dlmath always returns a new tensor.

    Same maths as ``Tensor.relu``, but the backward multiplies g by the boolean mask directly
    (one pass, one new array), which matters on big conv feature maps."""
    x = as_tensor(input)

    def backward(g, out):
        mask = x.data > 0
        if recording():
            return (g * const(mask.astype(x.data.dtype)),)
        return (const(np.multiply(g.data, mask, dtype=g.data.dtype)),)
    return _make(np.maximum(x.data, 0), (x,), backward, "Relu")


def leaky_relu(input, negative_slope=0.01, inplace=False):
    """x for x > 0, ``negative_slope``·x otherwise; derivative 1 or ``negative_slope``
    (``negative_slope`` at x = 0, as PyTorch)."""
    x = as_tensor(input)
    slope = np.asarray(negative_slope, dtype=x.data.dtype)
    pos = x.data > 0
    data = np.where(pos, x.data, x.data * slope)

    def backward(g, out):
        factor = np.where(pos, np.ones((), x.data.dtype), slope)
        if recording():
            return (g * const(factor),)
        return (const(g.data * factor),)
    return _make(data, (x,), backward, "LeakyRelu")


def sigmoid(input):
    """σ(x) = 1/(1 + e^(−x)), computed as ½(1 + tanh(x/2)) so that no exponential can overflow:
    σ(±1000) is exactly 1 / 0 with gradient σ(1 − σ) = 0, with no warning and no nan."""
    return as_tensor(input).sigmoid()


def tanh(input):
    """tanh x; derivative 1 − tanh² x."""
    return as_tensor(input).tanh()


# ---- GELU ------------------------------------------------------------------------------------
_ERF = None


def _erf_scalar(v):
    return math.erf(v)


def _erf_array(a):
    """erf elementwise, keeping the dtype. NumPy has no erf, so it is a Numba ufunc around
    ``math.erf`` (compiled on first use, cached on disk)."""
    global _ERF
    if _ERF is None:
        try:
            from numba import vectorize
            _ERF = vectorize(["float32(float32)", "float64(float64)"], cache=True)(_erf_scalar)
        except Exception:                                   # pragma: no cover - no numba
            _ERF = np.vectorize(math.erf, otypes=[np.float64])
    out = _ERF(a)
    return out.astype(a.dtype, copy=False) if isinstance(out, np.ndarray) else np.asarray(out)


def _erf(x):
    """erf as a differentiable op: d/dx erf x = (2/√π)·e^(−x²)."""
    def backward(g, out):
        return (g * (2.0 / math.sqrt(math.pi)) * (-(x * x)).exp(),)
    return _make(_erf_array(x.data), (x,), backward, "Erf")


def gelu(input, approximate="none"):
    """GELU(x) = x·Φ(x), Φ the standard normal CDF = ½(1 + erf(x/√2)).

    ``approximate='tanh'`` uses ½x(1 + tanh(√(2/π)(x + 0.044715x³))) instead, as PyTorch.
    Derivative (exact form): Φ(x) + x·φ(x), φ(x) = e^(−x²/2)/√(2π)."""
    x = as_tensor(input)
    if approximate == "tanh":
        c = math.sqrt(2.0 / math.pi)
        return 0.5 * x * (1.0 + (c * (x + 0.044715 * x * x * x)).tanh())
    if approximate != "none":
        raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")
    cdf = 0.5 * (1.0 + _erf_array(x.data * x.data.dtype.type(1 / math.sqrt(2.0))))
    inv_sqrt_2pi = 1.0 / math.sqrt(2.0 * math.pi)

    def backward(g, out):
        if recording():
            phi_cdf = 0.5 * (1.0 + _erf(x * (1 / math.sqrt(2.0))))
            return (g * (phi_cdf + x * (-0.5 * x * x).exp() * inv_sqrt_2pi),)
        d = cdf + x.data * np.exp(-0.5 * x.data * x.data) * x.data.dtype.type(inv_sqrt_2pi)
        return (const(g.data * d),)
    return _make(x.data * cdf, (x,), backward, "Gelu")


def silu(input):
    """SiLU / swish: x·σ(x)."""
    x = as_tensor(input)
    return x * x.sigmoid()


def softplus(input, beta=1.0, threshold=20.0):
    """(1/β)·log(1 + e^(βx)), computed stably as max(βx, 0) + log1p(e^(−|βx|)); like PyTorch it
    returns x itself where βx > ``threshold``."""
    x = as_tensor(input)
    z = x * beta
    soft = (z.relu() + (1.0 + (-z.abs()).exp()).log()) / beta
    return where(z.data > threshold, x, soft)


def elu(input, alpha=1.0):
    """x for x > 0, α(eˣ − 1) otherwise."""
    x = as_tensor(input)
    neg = alpha * ((x.clamp(max=0.0)).exp() - 1.0)
    return where(x.data > 0, x, neg)


# ---- softmax ---------------------------------------------------------------------------------
def _softmax_dim(dim, ndim, fn):
    if dim is None:
        # PyTorch's legacy rule for an implicit dimension, with its warning
        warnings.warn(f"Implicit dimension choice for {fn} has been deprecated. Change the call "
                      f"to include dim=X as an argument.", stacklevel=3)
        dim = 0 if ndim in (0, 1, 3) else 1
    return norm_dim(dim, ndim, fn)


def _shifted(a, d):
    """a − max(a) along d; a row whose max is ±inf is shifted by 0 instead (gives nan/0 like
    PyTorch rather than inf − inf warnings)."""
    m = a.max(axis=d, keepdims=True)
    if not np.all(np.isfinite(m)):
        m = np.where(np.isfinite(m), m, 0)
    return a - m


def softmax(input, dim=None, dtype=None):
    """softmax(x)_i = e^(x_i − m) / Σ_j e^(x_j − m) along ``dim`` with m = max_j x_j.

    Subtracting the max changes nothing mathematically but keeps every exponent ≤ 0, so logits of
    ±1e4 give exact finite results instead of inf/inf = nan. Backward (y the output):
    ∂L/∂x = y ⊙ (g − Σ_j g_j y_j)."""
    x = as_tensor(input)
    if dtype is not None:
        x = x.to(dtype)
    d = _softmax_dim(dim, x.ndim, "softmax")
    e = np.exp(_shifted(x.data, d))
    y = e / e.sum(axis=d, keepdims=True)

    def backward(g, out):
        if recording():
            return (out * (g - (g * out).sum(dim=d, keepdim=True)),)
        yd = out.data
        gd = g.data
        return (const(yd * (gd - (gd * yd).sum(axis=d, keepdims=True))),)
    return _make(y, (x,), backward, "Softmax")


def _log_softmax_array(a, d):
    s = _shifted(a, d)
    return s - np.log(np.exp(s).sum(axis=d, keepdims=True))


def log_softmax(input, dim=None, dtype=None):
    """log softmax(x)_i = (x_i − m) − log Σ_j e^(x_j − m), m = max_j x_j (log-sum-exp trick):
    never forms a softmax that could underflow to 0 and then log(0) = −inf, so logits of ±1e4
    give exact finite values (e.g. −2e4, not −inf). Backward: g − softmax(x)·Σ_j g_j."""
    x = as_tensor(input)
    if dtype is not None:
        x = x.to(dtype)
    d = _softmax_dim(dim, x.ndim, "log_softmax")

    def backward(g, out):
        if recording():
            return (g - out.exp() * g.sum(dim=d, keepdim=True),)
        gd = g.data
        return (const(gd - np.exp(out.data) * gd.sum(axis=d, keepdims=True)),)
    return _make(_log_softmax_array(x.data, d), (x,), backward, "LogSoftmax")
