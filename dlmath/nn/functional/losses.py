"""Loss functions with PyTorch's names, arguments and reductions.

``reduction`` is one of ``'mean'`` (average over the elements — for the class-index losses a
*weighted* average, see ``cross_entropy``), ``'sum'`` or ``'none'`` (the per-element losses).
PyTorch's deprecated ``size_average``/``reduce`` arguments are not supported, so every argument
after ``target`` (and ``weight`` where PyTorch has it third) is keyword-only.

Regression losses keep the input's dtype: a target without gradient is cast to it. When the
target's shape differs from the input's they broadcast, with PyTorch's warning.
"""
import math
import warnings

import numpy as np

from ...autograd import numerics
from ...autograd.tensor import Tensor, _make, where
from ._utils import as_tensor, check_reduction, const, recording, reduce
from .activations import log_softmax, softmax, softplus

__all__ = ["mse_loss", "l1_loss", "huber_loss", "smooth_l1_loss", "binary_cross_entropy",
           "binary_cross_entropy_with_logits", "cross_entropy", "nll_loss", "kl_div",
           "multi_margin_loss", "hinge_embedding_loss", "gaussian_nll_loss"]


# ----------------------------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------------------------
def _like_input(value, x):
    """``value`` as a Tensor; without gradient it takes the input's float dtype (a float64 target
    does not turn a float32 loss into float64)."""
    t = as_tensor(value, like=x)
    if not t.requires_grad and t.data.dtype != x.data.dtype and x.data.dtype.kind == "f":
        t = const(t.data.astype(x.data.dtype))
    return t


def _regression_target(target, x, fn):
    t = _like_input(target, x)
    if t.shape != x.shape:
        try:
            np.broadcast_shapes(t.shape, x.shape)
        except ValueError:
            raise ValueError(f"{fn}: target shape {t.shape} and input shape {x.shape} cannot be "
                             f"broadcast together; they should be equal") from None
        warnings.warn(f"{fn}: Using a target size ({t.shape}) that is different to the input "
                      f"size ({x.shape}). This will likely lead to incorrect results due to "
                      f"broadcasting. Please ensure they have the same size.", stacklevel=3)
    return t


def _same_shape_target(target, x, fn):
    t = as_tensor(target, like=x)
    if t.shape != x.shape:
        raise ValueError(f"{fn}: Using a target size ({t.shape}) that is different to the input "
                         f"size ({x.shape}) is not supported; they must have the same shape")
    return _like_input(t, x)


def _elementwise_weight(weight, x, fn):
    if weight is None:
        return None
    w = as_tensor(weight, like=x)
    try:
        np.broadcast_shapes(w.shape, x.shape)
    except ValueError:
        raise ValueError(f"{fn}: weight of shape {w.shape} cannot be broadcast to the input "
                         f"shape {x.shape}") from None
    return w.data.astype(x.data.dtype, copy=False)


# ----------------------------------------------------------------------------------------------
# regression losses
# ----------------------------------------------------------------------------------------------
def mse_loss(input, target, *, reduction="mean"):
    """Mean squared error: ℓ_i = (x_i − y_i)²."""
    check_reduction(reduction, "mse_loss")
    x = as_tensor(input)
    d = x - _regression_target(target, x, "mse_loss")
    return reduce(d * d, reduction)


def l1_loss(input, target, *, reduction="mean"):
    """Mean absolute error: ℓ_i = |x_i − y_i| (subgradient 0 at x = y, as PyTorch)."""
    check_reduction(reduction, "l1_loss")
    x = as_tensor(input)
    return reduce((x - _regression_target(target, x, "l1_loss")).abs(), reduction)


def huber_loss(input, target, reduction="mean", delta=1.0):
    """Huber loss with d = x − y:  ℓ = ½d² if |d| < δ, else δ(|d| − ½δ).
    Quadratic near 0, linear (gradient ±δ) in the tails, so outliers pull with bounded force."""
    check_reduction(reduction, "huber_loss")
    if not delta > 0:
        raise ValueError(f"huber_loss: delta must be positive, got {delta}")
    x = as_tensor(input)
    d = x - _regression_target(target, x, "huber_loss")
    ad = d.abs()
    return reduce(where(ad.data < delta, 0.5 * d * d, delta * (ad - 0.5 * delta)), reduction)


def smooth_l1_loss(input, target, reduction="mean", beta=1.0):
    """Smooth L1: ℓ = ½d²/β if |d| < β, else |d| − ½β (= huber_loss / β)."""
    check_reduction(reduction, "smooth_l1_loss")
    if beta < 0:
        raise ValueError(f"smooth_l1_loss: beta must be non-negative, got {beta}")
    x = as_tensor(input)
    d = x - _regression_target(target, x, "smooth_l1_loss")
    ad = d.abs()
    if beta == 0:
        return reduce(ad, reduction)
    return reduce(where(ad.data < beta, (0.5 / beta) * d * d, ad - 0.5 * beta), reduction)


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    """Gaussian negative log-likelihood of ``target`` y under N(``input`` μ, ``var`` v):

        ℓ = ½ (log v̂ + (μ − y)² / v̂)  [+ ½ log 2π when ``full``],   v̂ = max(v, eps)

    — the loss of a network that predicts a mean *and* a variance for each target (the aleatoric
    uncertainty of notebook 27); with v fixed it is ½(μ − y)²/v + const, the MSE of notebook 15.
    ``var``: one variance per element of ``input`` (heteroscedastic), or ``input``'s shape with
    the last dimension 1 or dropped (one variance per sample), or a number ≥ 0 (homoscedastic).
    ``target`` has ``input``'s shape or broadcasts to it. As in PyTorch the clamp at ``eps``
    keeps log and division finite but is invisible to autograd: ∂ℓ/∂v = ½(1/v̂ − (μ − y)²/v̂²)
    even where v < eps. A negative variance is an error."""
    check_reduction(reduction, "gaussian_nll_loss")
    if not eps > 0:
        raise ValueError(f"gaussian_nll_loss: eps must be positive, got {eps}")
    x = as_tensor(input)
    t = _like_input(target, x)
    try:
        shape = np.broadcast_shapes(t.shape, x.shape)
    except ValueError:
        shape = None
    if shape != x.shape:
        raise ValueError(f"gaussian_nll_loss: target shape {t.shape} does not broadcast to the "
                         f"input shape {x.shape}")
    v = _like_input(var, x)                      # a number: one variance for every element
    if not isinstance(var, (int, float, np.number)) and v.shape != x.shape:
        if x.ndim and v.shape == x.shape[:-1]:
            v = v.unsqueeze(-1)                      # one variance per sample, for all its outputs
        elif not (x.ndim and v.ndim == x.ndim and v.shape[:-1] == x.shape[:-1]
                  and v.shape[-1] == 1):
            raise ValueError(f"gaussian_nll_loss: var of shape {v.shape} does not fit the input "
                             f"shape {x.shape}: give one variance per element {x.shape}, per "
                             f"sample {x.shape[:-1] + (1,)} or {x.shape[:-1]}, or a number")
    if np.any(np.isnan(v.data)) or np.any(v.data < 0):
        raise ValueError("gaussian_nll_loss: var has negative (or nan) entries; a variance must "
                         "be ≥ 0")
    v = v + const(np.maximum(v.data, eps) - v.data)  # the value max(v, eps), the gradient of v
    d = x - t
    loss = 0.5 * (v.log() + d * d / v)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return reduce(loss, reduction)


# ----------------------------------------------------------------------------------------------
# binary classification
# ----------------------------------------------------------------------------------------------
def binary_cross_entropy(input, target, weight=None, *, reduction="mean"):
    """Binary cross-entropy on *probabilities* x ∈ [0, 1]:

        ℓ = −w · [y·log x + (1 − y)·log(1 − x)].

    As in PyTorch each log is clamped to ≥ −100, so x = 0 or 1 gives a finite loss (at most 100)
    instead of inf, and the gradient w·(x − y) / max(x(1 − x), 1e-12) is finite too. Prefer
    ``binary_cross_entropy_with_logits`` on raw scores: it never needs the clamp."""
    check_reduction(reduction, "binary_cross_entropy")
    x = as_tensor(input)
    y = _same_shape_target(target, x, "binary_cross_entropy")
    xd = x.data
    if xd.size and (np.nanmin(xd) < 0 or np.nanmax(xd) > 1):
        raise ValueError("binary_cross_entropy: all elements of input should be between 0 and 1 "
                         "(they are probabilities; for raw scores use "
                         "binary_cross_entropy_with_logits)")
    w = _elementwise_weight(weight, x, "binary_cross_entropy")
    with np.errstate(divide="ignore"):
        log_x = np.maximum(np.log(xd), -100)
        log_1mx = np.maximum(np.log1p(-xd), -100)
    yd = y.data
    loss = -(yd * log_x + (1 - yd) * log_1mx)
    if w is not None:
        loss = loss * w

    def backward(g, out):
        gx = gy = None
        if recording():
            if x.requires_grad:
                gx = g * (x - y) / ((1.0 - x) * x).clamp(min=1e-12)
            if y.requires_grad:
                gy = g * ((1.0 - x).log().clamp(min=-100.0) - x.log().clamp(min=-100.0))
            if w is not None:
                gx = None if gx is None else gx * const(w)
                gy = None if gy is None else gy * const(w)
            return gx, gy
        gd = g.data if w is None else g.data * w
        if x.requires_grad:
            gx = const(gd * (xd - yd) / np.maximum((1 - xd) * xd, 1e-12))
        if y.requires_grad:
            gy = const(gd * (log_1mx - log_x))
        return gx, gy
    return reduce(_make(loss, (x, y), backward, "BinaryCrossEntropy"), reduction)


def binary_cross_entropy_with_logits(input, target, weight=None, *, reduction="mean",
                                     pos_weight=None):
    """Binary cross-entropy on raw scores (logits) x, i.e. on σ(x) — computed without σ:

        ℓ = w · [p·y·softplus(−x) + (1 − y)·softplus(x)],   p = pos_weight (1 if not given),

    since −log σ(x) = softplus(−x) and −log(1 − σ(x)) = softplus(x), with
    softplus(x) = log(1 + eˣ) = max(x, 0) + log1p(e^(−|x|)) (``numerics.softplus``: never
    overflows, full relative precision in both tails). This equals PyTorch's
    (1 − y)·x + (1 + (p − 1)y)·softplus(−x), but that form cancels to 0 for y = 0, x ≪ 0
    (true loss eˣ); this one does not. At x = ±1000 the loss is exact (0 or 1000) and finite.

    Gradient: ∂ℓ/∂x = w·[(1 − y)·σ(x) − p·y·σ(−x)] (= w·(σ(x) − y) without ``pos_weight``,
    written so that neither σ(x) − 1 nor 1 − σ(x) is ever formed);
    ∂ℓ/∂y = w·[p·softplus(−x) − softplus(x)] = w·[(p − 1)·softplus(−x) − x]."""
    check_reduction(reduction, "binary_cross_entropy_with_logits")
    x = as_tensor(input)
    y = _same_shape_target(target, x, "binary_cross_entropy_with_logits")
    w = _elementwise_weight(weight, x, "binary_cross_entropy_with_logits")
    pw = None
    if pos_weight is not None:
        pw = as_tensor(pos_weight, like=x).data.astype(x.data.dtype, copy=False)
    xd, yd = x.data, y.data
    sp_neg = numerics.softplus(-xd)                     # −log σ(x)
    sp_pos = numerics.softplus(xd)                      # −log(1 − σ(x))
    py = yd if pw is None else pw * yd
    loss = py * sp_neg + (1 - yd) * sp_pos
    if w is not None:
        loss = loss * w

    def backward(g, out):
        gx = gy = None
        if recording():
            pyt = y if pw is None else const(pw) * y
            if x.requires_grad:
                gx = g * ((1.0 - y) * x.sigmoid() - pyt * (-x).sigmoid())
            if y.requires_grad:
                gy = g * (-x) if pw is None else g * (const(pw - 1) * _softplus_t(-x) - x)
            if w is not None:
                gx = None if gx is None else gx * const(w)
                gy = None if gy is None else gy * const(w)
            return gx, gy
        gd = g.data if w is None else g.data * w
        if x.requires_grad:
            gx = const(gd * ((1 - yd) * numerics.sigmoid(xd) - py * numerics.sigmoid(-xd)))
        if y.requires_grad:
            gy = const(gd * (-xd if pw is None else (pw - 1) * sp_neg - xd))
        return gx, gy
    return reduce(_make(loss, (x, y), backward, "BinaryCrossEntropyWithLogits"), reduction)


def _softplus_t(x):
    """softplus on a Tensor, differentiable (for the create_graph branch above)."""
    return softplus(x, threshold=np.inf)


# ----------------------------------------------------------------------------------------------
# multi-class: cross-entropy and negative log-likelihood
# ----------------------------------------------------------------------------------------------
def _batched(x, fn):
    """Input data as (N, C, d1, ...): an unbatched (C,) input becomes (1, C)."""
    if x.ndim == 0:
        raise ValueError(f"{fn}: input must have a class dimension, got a 0-d tensor")
    if x.ndim == 1:
        return x.data[None], True
    return x.data, False


def _class_weight(weight, C, dtype, fn):
    if weight is None:
        return None
    w = weight.data if isinstance(weight, Tensor) else np.asarray(weight)
    if w.shape != (C,):
        raise ValueError(f"{fn}: weight must have one entry per class, shape ({C},), got "
                         f"{w.shape}")
    return w.astype(dtype, copy=False)


def _index_array(target, fn):
    t = target.data if isinstance(target, Tensor) else np.asarray(target)
    if t.dtype.kind in "iu":
        return t.astype(np.int64, copy=False)
    if t.dtype.kind == "b":
        return t.astype(np.int64)
    if t.dtype.kind == "f":
        # dlmath turns Python ints into float64 tensors, so accept integral floats
        if np.all(np.isfinite(t)) and np.all(t == np.round(t)):
            return t.astype(np.int64)
        raise ValueError(f"{fn}: class-index targets must be integers, got non-integral "
                         f"values of dtype {t.dtype}")
    raise ValueError(f"{fn}: targets must be integer class indices, got dtype {t.dtype}")


def _class_target_weights(target, xd, unbatched, wvec, ignore_index, smoothing, fn,
                          allow_probs):
    """The per-element class weighting q (same shape as xd) with loss_i = −Σ_c q_ic·x_ic, and
    the denominator of the 'mean' reduction."""
    N, C = xd.shape[0], xd.shape[1]
    bshape = (1, C) + (1,) * (xd.ndim - 2)
    tarr = target.data if isinstance(target, Tensor) else np.asarray(target)
    user_shape = xd.shape[1:] if unbatched else xd.shape
    expect_user = () if unbatched else xd.shape[:1] + xd.shape[2:]
    if allow_probs and tarr.dtype.kind == "f" and tarr.shape == user_shape:
        # class probabilities (soft labels), the input's shape
        q = tarr.reshape(xd.shape).astype(xd.dtype, copy=True)
        if smoothing:
            q = (1 - smoothing) * q + smoothing / C
        if wvec is not None:
            q = q * wvec.reshape(bshape)
        return q, float(q.size // C)
    t = _index_array(target, fn)
    if t.shape != expect_user:
        probs = f", or class probabilities of shape {user_shape}" if allow_probs else ""
        raise ValueError(f"{fn}: target of shape {t.shape} does not fit input of shape "
                         f"{user_shape}: expected class indices of shape {expect_user}{probs}")
    if unbatched:
        t = t.reshape(1)
    valid = t != ignore_index
    bad = valid & ((t < 0) | (t >= C))
    if bad.any():
        raise IndexError(f"{fn}: Target {int(t[bad].flat[0])} is out of bounds (there are {C} "
                         f"classes, so class indices must be in [0, {C - 1}])")
    ts = np.where(valid, t, 0)
    q = np.zeros(xd.shape, dtype=xd.dtype)
    np.put_along_axis(q, np.expand_dims(ts, 1), 1, axis=1)
    wy = valid.astype(xd.dtype) if wvec is None else wvec[ts] * valid
    q *= np.expand_dims(wy, 1) * (1 - smoothing) if smoothing else np.expand_dims(wy, 1)
    if smoothing:
        smooth = np.full(bshape, smoothing / C, dtype=xd.dtype) if wvec is None \
            else (smoothing / C) * wvec.reshape(bshape)
        q += smooth * np.expand_dims(valid, 1)
    return q, float(wy.sum())


def _weighted_nll(xd, unbatched, q, denom, reduction, logp):
    """−Σ_c q_c·logp_c per element, then reduced (the forward value of CE / NLL)."""
    prod = q * logp
    if not np.all(np.isfinite(logp)):
        prod = np.where(q == 0, 0, prod)      # 0·(−inf) counts as 0: masked-out classes
    per = -prod.sum(axis=1)
    if reduction == "none":
        return per.reshape(()) if unbatched else per
    total = per.sum()
    if reduction == "sum":
        return np.asarray(total)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(total / xd.dtype.type(denom))


def _grad_scale(g, reduction, denom, xd, unbatched):
    """∂L/∂(per-element loss) as an array broadcastable against (N, C, ...)."""
    gd = g.data
    if reduction == "none":
        return np.expand_dims(gd.reshape(xd.shape[:1] + xd.shape[2:]), 1)
    return gd / xd.dtype.type(denom) if reduction == "mean" else gd


def _softmax_minus_target_array(y, logp, q, qsum):
    """softmax·Σ_c q_c − q (∂ℓ/∂x of the cross-entropy) from y = softmax and logp = log
    softmax. Where y is above ½ it is written as Σq·(y − 1) + (Σq − q) with
    y − 1 = expm1(log y): for a confident, correct row y = 1 − 1.9e-22 and y − 1 would round
    to 0."""
    gx = y * qsum - q
    big = y > 0.5
    if big.any():
        gx = np.where(big, qsum * np.expm1(logp) + (qsum - q), gx)
    return gx


def _softmax_minus_target(x, q, qsum):
    """The same with Tensor ops along dim 1 (differentiable, for create_graph)."""
    y = softmax(x, dim=1)
    q, qsum = const(np.asarray(q, x.data.dtype)), const(np.asarray(qsum, x.data.dtype))
    return where(y.data > 0.5, qsum * log_softmax(x, dim=1).expm1() + (qsum - q), y * qsum - q)


def _plain_cross_entropy(x, target, ignore_index, reduction):
    """The common case — (N, C) logits, integer class indices all in range, no weights, no
    smoothing — without building a one-hot matrix: ℓ_i = −logp[i, y_i] and
    ∂ℓ_i/∂x_i = softmax(x_i) − onehot(y_i). Returns None when the case does not apply."""
    t = target.data if isinstance(target, Tensor) else target
    if not isinstance(t, np.ndarray) or t.dtype.kind not in "iu" or t.shape != x.shape[:1]:
        return None
    N, C = x.shape
    if N == 0 or 0 <= ignore_index < C or t.min() < 0 or t.max() >= C:
        return None                          # ignore_index or a bad target: general path
    xd = x.data
    rows = np.arange(N)
    logp, y = numerics.log_softmax(xd, 1, with_softmax=True)
    per = -logp[rows, t]
    if reduction == "none":
        data = per
    else:
        data = np.asarray(per.sum() if reduction == "sum" else per.mean())

    def backward(g, out):
        if recording():
            onehot = np.zeros_like(xd)
            onehot[rows, t] = 1
            gs = g.reshape(N, 1) if reduction == "none" else (g / N if reduction == "mean"
                                                               else g)
            return (_softmax_minus_target(x, onehot, 1.0) * gs,)
        gx = y.copy()
        yt = y[rows, t]
        gx[rows, t] = np.where(yt > 0.5, np.expm1(logp[rows, t]), yt - 1)  # softmax − 1
        gd = g.data
        if reduction == "none":
            gx *= gd.reshape(N, 1)
        else:
            gx *= gd / N if reduction == "mean" else gd
        return (const(gx),)
    return _make(data, (x,), backward, "CrossEntropy")


def cross_entropy(input, target, weight=None, *, ignore_index=-100, reduction="mean",
                  label_smoothing=0.0):
    """Cross-entropy between softmax(input) (along dimension 1) and the targets.

    ``input``: raw scores (logits) of shape (N, C), (C,) or (N, C, d1, d2, ...).
    ``target``: class indices of shape (N,) / () / (N, d1, ...) — an integer array or Tensor
    (dlmath's float tensors with integral values are accepted too) — or class probabilities of
    the input's shape. ``weight``: per-class weights w_c. Targets equal to ``ignore_index``
    contribute nothing. ``label_smoothing`` ε mixes the one-hot target with the uniform one:
    q = (1 − ε)·onehot + ε/C.

        ℓ_i = −Σ_c w_c q_ic log softmax(x_i)_c,
        'mean' = Σ_i ℓ_i / Σ_i w_{y_i}  (the weighted mean, as PyTorch; = Σ ℓ_i / N unweighted).

    Stability: log softmax is computed with the log-sum-exp shift (see ``log_softmax``), so
    logits of ±1e4 give exact finite losses and gradients, and a confident correct row keeps
    its tiny loss (logits (0, −50), target 0: 1.9e-22, not 0) and gradient (softmax − 1 as
    expm1(log softmax)). This is one fused op; its gradient is
    the famous ∂ℓ_i/∂x_i = softmax(x_i)·Σ_c q_ic − q_ic, i.e. softmax − onehot unweighted."""
    check_reduction(reduction, "cross_entropy")
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"cross_entropy: label_smoothing must be between 0.0 and 1.0, got "
                         f"{label_smoothing}")
    x = as_tensor(input)
    if weight is None and not label_smoothing and x.ndim == 2:
        fast = _plain_cross_entropy(x, target, ignore_index, reduction)
        if fast is not None:
            return fast
    xd, unbatched = _batched(x, "cross_entropy")
    C = xd.shape[1]
    wvec = _class_weight(weight, C, xd.dtype, "cross_entropy")
    q, denom = _class_target_weights(target, xd, unbatched, wvec, ignore_index,
                                     label_smoothing, "cross_entropy", allow_probs=True)
    logp, y = numerics.log_softmax(xd, 1, with_softmax=True)
    data = _weighted_nll(xd, unbatched, q, denom, reduction, logp)

    def backward(g, out):
        qsum = q.sum(axis=1, keepdims=True)
        if recording():
            xb = x.reshape(xd.shape)
            gs = g.reshape(xd.shape[:1] + (1,) + xd.shape[2:]) if reduction == "none" else \
                (g / denom if reduction == "mean" else g)
            gx = _softmax_minus_target(xb, q, qsum) * gs
            return (gx.reshape(x.shape),)
        scale = _grad_scale(g, reduction, denom, xd, unbatched)
        gx = _softmax_minus_target_array(y, logp, q, qsum) * scale
        return (const(gx.reshape(x.shape)),)
    return _make(data, (x,), backward, "CrossEntropy")


def nll_loss(input, target, weight=None, *, ignore_index=-100, reduction="mean"):
    """Negative log-likelihood of class indices given *log-probabilities* ``input`` (e.g. the
    output of ``log_softmax``): ℓ_i = −w_{y_i}·input[i, y_i]; 'mean' divides by Σ_i w_{y_i}.
    ``cross_entropy(x, y)`` equals ``nll_loss(log_softmax(x, 1), y)``. Shapes as in
    ``cross_entropy`` (class dimension 1)."""
    check_reduction(reduction, "nll_loss")
    x = as_tensor(input)
    xd, unbatched = _batched(x, "nll_loss")
    wvec = _class_weight(weight, xd.shape[1], xd.dtype, "nll_loss")
    q, denom = _class_target_weights(target, xd, unbatched, wvec, ignore_index, 0.0,
                                     "nll_loss", allow_probs=False)
    data = _weighted_nll(xd, unbatched, q, denom, reduction, xd)

    def backward(g, out):
        if recording():
            gs = g.reshape(xd.shape[:1] + (1,) + xd.shape[2:]) if reduction == "none" else \
                (g / denom if reduction == "mean" else g)
            return ((const(-q) * gs).reshape(x.shape),)
        return (const((-q * _grad_scale(g, reduction, denom, xd, unbatched)).reshape(x.shape)),)
    return _make(data, (x,), backward, "NllLoss")


# ----------------------------------------------------------------------------------------------
# margins and divergences
# ----------------------------------------------------------------------------------------------
def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, *, reduction="mean"):
    """Multi-class hinge loss (Crammer–Singer style, as PyTorch's MultiMarginLoss):

        ℓ_i = Σ_{j ≠ y_i} w_{y_i} · max(0, margin − x_{i,y_i} + x_{i,j})^p / C,

    ``input`` (N, C) or (C,), ``target`` class indices, p ∈ {1, 2}."""
    check_reduction(reduction, "multi_margin_loss")
    if p not in (1, 2):
        raise ValueError(f"multi_margin_loss: only p = 1 and p = 2 are supported, got {p}")
    x = as_tensor(input)
    xd, unbatched = _batched(x, "multi_margin_loss")
    if xd.ndim != 2:
        raise ValueError(f"multi_margin_loss: input must be (N, C) or (C,), got {x.shape}")
    C = xd.shape[1]
    t = _index_array(target, "multi_margin_loss").reshape(-1)
    if t.shape != (xd.shape[0],):
        raise ValueError(f"multi_margin_loss: target of shape {np.shape(target)} does not fit "
                         f"input of shape {x.shape}: expected one class index per row")
    if ((t < 0) | (t >= C)).any():
        raise IndexError(f"multi_margin_loss: target values must be in [0, {C - 1}]")
    onehot = np.zeros(xd.shape, dtype=xd.dtype)
    onehot[np.arange(len(t)), t] = 1
    xb = x.reshape(xd.shape)
    x_true = (xb * const(onehot)).sum(dim=1, keepdim=True)
    z = (margin - x_true + xb).relu()
    h = z if p == 1 else z * z
    h = h * const(1 - onehot)
    wvec = _class_weight(weight, C, xd.dtype, "multi_margin_loss")
    if wvec is not None:
        h = h * const(wvec[t][:, None])
    per = h.sum(dim=1) / C
    if unbatched:
        per = per.reshape(())
    return reduce(per, reduction)


def hinge_embedding_loss(input, target, margin=1.0, *, reduction="mean"):
    """ℓ_i = x_i if y_i = 1, max(0, margin − x_i) if y_i = −1 (targets are ±1; x is typically a
    distance between two embeddings)."""
    check_reduction(reduction, "hinge_embedding_loss")
    x = as_tensor(input)
    t = target.data if isinstance(target, Tensor) else np.asarray(target)
    try:
        np.broadcast_shapes(t.shape, x.shape)
    except ValueError:
        raise ValueError(f"hinge_embedding_loss: target shape {t.shape} does not match input "
                         f"shape {x.shape}") from None
    margin_part = where(t != 1, (margin - x).clamp(min=0.0), 0.0)
    self_part = where(t != -1, x, 0.0)
    return reduce(margin_part + self_part, reduction)


def kl_div(input, target, *, reduction="mean", log_target=False):
    """Kullback–Leibler divergence KL(target ‖ q) with PyTorch's argument convention:

    **``input`` is the log-probabilities log q** (e.g. ``log_softmax`` output), not q itself;
    ``target`` is the probabilities p (or log p when ``log_target=True``). Pointwise

        ℓ = p·(log p − input)      (with 0·log 0 = 0),

    and KL(p‖q) = Σ over the distribution's elements of ℓ. Reductions:
      'batchmean' — Σ ℓ / batch size (input.shape[0]): the mathematically correct mean KL per
                    sample; use this one.
      'mean'      — Σ ℓ / (number of elements): averages over *all* elements, i.e. also divides
                    by the number of classes — it is KL/C, not KL (kept because PyTorch has it).
      'sum', 'none' as usual."""
    if reduction not in ("mean", "sum", "none", "batchmean"):
        raise ValueError(f"kl_div: reduction must be one of 'mean', 'batchmean', 'sum' or "
                         f"'none', got {reduction!r}")
    x = as_tensor(input)
    p = _like_input(target, x)
    try:
        np.broadcast_shapes(p.shape, x.shape)
    except ValueError:
        raise ValueError(f"kl_div: target shape {p.shape} does not match input shape "
                         f"{x.shape}") from None
    if log_target:
        pointwise = p.exp() * (p - x)
    else:
        pos = p.data > 0
        safe = where(pos, p, 1.0)
        pointwise = where(pos, p * safe.log(), 0.0) - p * x
    if reduction == "batchmean":
        total = pointwise.sum()
        return total / x.shape[0] if x.ndim else total
    return reduce(pointwise, reduction)

