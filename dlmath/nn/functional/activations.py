"""Activation functions and (log-)softmax.

Each one either reuses a Tensor primitive (relu, sigmoid, tanh) or is a small fused op made with
``_make``: a NumPy forward and a backward that is plain NumPy when nobody is recording the
backward pass (fast), and written with Tensor ops when ``create_graph=True`` is (so second
derivatives stay correct). Both branches compute the same formula.
"""
import math
import warnings

import numpy as np

from ...autograd import numerics
from ...autograd.tensor import _make, where
from ._utils import as_tensor, const, norm_dim, recording

__all__ = ["relu", "leaky_relu", "sigmoid", "logsigmoid", "tanh", "gelu", "silu", "softplus",
           "elu", "softmax", "log_softmax"]


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
    """σ(x) = 1/(1 + e^(−x)) — ``Tensor.sigmoid``: 1/(1 + e^(−x)) for x ≥ 0, eˣ/(1 + eˣ) for
    x < 0, so no exponential overflows (σ(±1000) is 1 / 0 with no warning) and σ(−40) = 4.2e-18
    keeps full relative precision; gradient σ(x)·σ(−x)."""
    return as_tensor(input).sigmoid()


def tanh(input):
    """tanh x; derivative 1 − tanh² x."""
    return as_tensor(input).tanh()


# ---- GELU ------------------------------------------------------------------------------------
_ERFC = None


def _erfc_scalar(v):
    return math.erfc(v)


def _erfc_array(a):
    """erfc elementwise in float64 (NumPy has no erfc, so it is a Numba ufunc around
    ``math.erfc``, compiled on first use and cached on disk)."""
    global _ERFC
    if _ERFC is None:
        try:
            from numba import vectorize
            _ERFC = vectorize(["float64(float64)"], cache=True)(_erfc_scalar)
        except Exception:                                   # pragma: no cover - no numba
            _ERFC = np.vectorize(math.erfc, otypes=[np.float64])
    return np.asarray(_ERFC(np.asarray(a, dtype=np.float64)))


def _normal_cdf_array(a):
    """Φ(x) = ½·erfc(−x/√2), in float64, as an array of ``a``'s shape. (The textbook
    ½(1 + erf(x/√2)) cancels to 0 for x < −8.3: erf rounds to −1. Φ(−10) = 7.6e-24.)"""
    return 0.5 * _erfc_array(np.asarray(a, dtype=np.float64) * -(1 / math.sqrt(2.0)))


def _normal_cdf(x):
    """Φ as a differentiable op: Φ′(x) = φ(x) = e^(−x²/2)/√(2π)."""
    def backward(g, out):
        return (g * (-0.5 * x * x).exp() * (1 / math.sqrt(2 * math.pi)),)
    return _make(_normal_cdf_array(x.data).astype(x.data.dtype, copy=False), (x,), backward,
                 "NormalCdf")


def _gelu_tanh(x):
    """½x(1 + tanh(u)), u = √(2/π)(x + 0.044715x³), as PyTorch's approximate='tanh'. Since
    1 + tanh u = 2σ(2u), it is evaluated as x·σ(2u) — the same number, but it keeps full
    relative precision for x ≪ 0, where 1 + tanh u cancels to 0."""
    c = math.sqrt(2.0 / math.pi)
    k = 0.044715
    xd = x.data
    with np.errstate(over="ignore"):                     # x³ = ±inf for huge |x|: σ is 0 or 1
        v = (2 * c) * (xd + k * xd * xd * xd)
    sig = numerics.sigmoid(v)

    def backward(g, out):
        if recording():
            return (g * _gelu_tanh_grad(x, c, k),)
        # d/dx x·σ(v) = σ(v) + x·v′·σ′(v). Where σ′(v) is exactly 0 (|x| > ~1e4), x·v′ may be
        # inf (x² overflows), so that term is taken as the 0 it is.
        sp = numerics.sigmoid_grad(v)
        xc = np.clip(xd, -1e4, 1e4)
        dv = (2 * c) * (1 + 3 * k * xc * xc)
        return (const(g.data * (sig + xc * dv * sp)),)
    return _make(xd * sig, (x,), backward, "Gelu")


def _gelu_tanh_grad(x, c, k):
    """The derivative of x·σ(v), v = 2c(x + kx³), with Tensor ops (for create_graph)."""
    v = 2 * c * (x + k * x * x * x)
    xc = x.clamp(-1e4, 1e4)
    return v.sigmoid() + xc * (2 * c * (1 + 3 * k * xc * xc)) * v.sigmoid() * (-v).sigmoid()


def gelu(input, approximate="none"):
    """GELU(x) = x·Φ(x), Φ the standard normal CDF, Φ(x) = ½(1 + erf(x/√2)) = ½·erfc(−x/√2).

    Evaluated with erfc (in float64, then cast), which keeps full relative precision for x ≪ 0
    (GELU(−10) = −7.6e-23; the erf form gives 0). ``approximate='tanh'`` uses
    ½x(1 + tanh(√(2/π)(x + 0.044715x³))) instead, as PyTorch.
    Derivative (exact form): Φ(x) + x·φ(x), φ(x) = e^(−x²/2)/√(2π)."""
    x = as_tensor(input)
    if approximate == "tanh":
        return _gelu_tanh(x)
    if approximate != "none":
        raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")
    dtype = x.data.dtype
    cdf = _normal_cdf_array(x.data)
    inv_sqrt_2pi = 1.0 / math.sqrt(2.0 * math.pi)

    def backward(g, out):
        if recording():                        # the same formula in float64 Tensor ops
            x64 = x.to(np.float64)
            d = _normal_cdf(x64) + x64 * (-0.5 * x64 * x64).exp() * inv_sqrt_2pi
            return (g * d.to(dtype),)
        xd = x.data.astype(np.float64, copy=False)
        with np.errstate(over="ignore"):                  # x² = inf: φ(x) is 0 there anyway
            d = cdf + xd * (np.exp(-0.5 * xd * xd) * inv_sqrt_2pi)
        return (const(g.data * d.astype(dtype, copy=False)),)
    return _make((x.data * cdf).astype(dtype, copy=False), (x,), backward, "Gelu")


def silu(input):
    """SiLU / swish: x·σ(x), derivative σ(x)·(1 + x·σ(−x)) (``numerics.silu``: the stable σ,
    and for x ≪ 0 the product formed before it underflows, so silu(−40) = −1.7e-16 and
    silu(−740) = −1.4e-319 keep every digit the format has)."""
    x = as_tensor(input)

    def backward(g, out):
        if recording():
            ax = x.abs()
            e, h = (-ax).exp(), (-0.5 * ax).exp()
            d = where(x.data < 0, (h * (1.0 + x / (1.0 + e))) * h, 1.0 + x * e / (1.0 + e))
            return (g * d / (1.0 + e),)
        return (const(g.data * numerics.silu_grad(x.data)),)
    return _make(numerics.silu(x.data), (x,), backward, "Silu")


def logsigmoid(input):
    """log σ(x) = −softplus(−x) = −log(1 + e^(−x)), without forming σ: finite and accurate
    also where σ(x) underflows (log σ(−1000) = −1000; σ(−1000).log() is −inf). Derivative
    σ(−x)."""
    return -softplus(-as_tensor(input), threshold=math.inf)


def softplus(input, beta=1.0, threshold=20.0):
    """(1/β)·log(1 + e^(βx)), computed as max(x, 0) + log1p(e^(−|βx|))/β
    (``numerics.softplus``): no overflow, and e^(βx)/β to full relative precision for βx ≪ 0
    (softplus(−40) = 4.2e-18, where log(1 + e⁻⁴⁰) rounds to 0). Like PyTorch it returns x
    itself where βx > ``threshold``. Derivative σ(βx) (1 above the threshold)."""
    x = as_tensor(input)
    with np.errstate(over="ignore"):                   # βx = ±inf is handled: σ(±inf) = 1, 0
        z = x.data * beta
    above = z > threshold
    data = numerics.softplus(x.data, beta)
    if above.any():
        data = np.where(above, x.data, data)

    def backward(g, out):
        if recording():
            return (g * where(above, 1.0, (x * beta).sigmoid()),)
        d = numerics.sigmoid(z)
        return (const(g.data * (np.where(above, 1, d) if above.any() else d)),)
    return _make(data.astype(x.data.dtype, copy=False), (x,), backward, "Softplus")


def elu(input, alpha=1.0):
    """x for x > 0, α(eˣ − 1) otherwise, with eˣ − 1 as ``expm1`` (exact for tiny x, where
    exp(x) − 1 keeps only the last digits of 1)."""
    x = as_tensor(input)
    neg = alpha * x.clamp(max=0.0).expm1()
    return where(x.data > 0, x, neg)


# ---- softmax ---------------------------------------------------------------------------------
def _softmax_dim(dim, ndim, fn):
    if dim is None:
        # PyTorch's legacy rule for an implicit dimension, with its warning
        warnings.warn(f"Implicit dimension choice for {fn} has been deprecated. Change the call "
                      f"to include dim=X as an argument.", stacklevel=3)
        dim = 0 if ndim in (0, 1, 3) else 1
    return norm_dim(dim, ndim, fn)


def softmax(input, dim=None, dtype=None):
    """softmax(x)_i = e^(x_i − m) / Σ_j e^(x_j − m) along ``dim`` with m = max_j x_j
    (``numerics.softmax``).

    Subtracting the max changes nothing mathematically but keeps every exponent ≤ 0, so logits of
    ±1e4 give exact finite results instead of inf/inf = nan. Backward (y the output):
    ∂L/∂x = y ⊙ (g − Σ_j g_j y_j), evaluated as y ⊙ ((g − g_k) + Σ_j (g_k − g_j) y_j) where k is
    the row's entry with y_k > ½ if it has one (g_k = 0 otherwise) — the same number, since
    Σ_j y_j = 1, but the big y_k never enters a sum, so a confident row's ∂y_k/∂x_k =
    y_k(1 − y_k) keeps its digits instead of rounding to 0."""
    x = as_tensor(input)
    if dtype is not None:
        x = x.to(dtype)
    d = _softmax_dim(dim, x.ndim, "softmax")

    def backward(g, out):
        big = (out.data > 0.5).astype(out.data.dtype)
        if recording():
            gk = (g * const(big)).sum(dim=d, keepdim=True)
            return (out * ((g - gk) + ((gk - g) * out).sum(dim=d, keepdim=True)),)
        yd, gd = out.data, g.data
        gk = (gd * big).sum(axis=d, keepdims=True)
        return (const(yd * ((gd - gk) + ((gk - gd) * yd).sum(axis=d, keepdims=True))),)
    return _make(numerics.softmax(x.data, d), (x,), backward, "Softmax")


def log_softmax(input, dim=None, dtype=None):
    """log softmax(x)_i = (x_i − m) − log Σ_j e^(x_j − m), m = max_j x_j (log-sum-exp trick):
    never forms a softmax that could underflow to 0 and then log(0) = −inf, so logits of ±1e4
    give exact finite values (e.g. −2e4, not −inf). The sum is taken as 1 + Σ_{j≠argmax} and
    its log with log1p (``numerics.log_softmax``), so a confident row keeps its tiny value:
    log_softmax((0, −50))₀ = −1.9e-22, not 0.

    Backward: g − y·Σ_j g_j with y = softmax(x); where y_i > ½ it is evaluated as
    (g_i − Σ_j g_j) − (Σ_j g_j)·expm1(log y_i), so 1 − y_i is not rounded to 0 for y_i ≈ 1."""
    x = as_tensor(input)
    if dtype is not None:
        x = x.to(dtype)
    d = _softmax_dim(dim, x.ndim, "log_softmax")

    def backward(g, out):
        if recording():
            total = g.sum(dim=d, keepdim=True)
            y = softmax(x, dim=d)
            return (where(y.data > 0.5, (g - total) - total * out.expm1(), g - y * total),)
        gd, y = g.data, numerics.softmax(x.data, d)
        total = gd.sum(axis=d, keepdims=True)
        gx = gd - y * total
        big = y > 0.5
        if big.any():
            gx = np.where(big, (gd - total) - total * np.expm1(out.data), gx)
        return (const(gx),)
    return _make(numerics.log_softmax(x.data, d), (x,), backward, "LogSoftmax")
