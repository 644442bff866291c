"""Batch normalisation."""
import numpy as np

from ...autograd.tensor import _make
from ._utils import as_tensor, const, recording

__all__ = ["batch_norm"]


def _channel_vector(t, C, name):
    if t is None:
        return None
    t = as_tensor(t)
    if t.shape != (C,):
        raise ValueError(f"batch_norm: {name} must have shape ({C},) (one value per channel), "
                         f"got {t.shape}")
    return t


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    """Normalise each channel (dimension 1) of an (N, C, ...) input, then scale and shift:

        y = (x − μ) / √(σ² + eps) · weight + bias.

    ``training=True``: μ and σ² are the mean and the *biased* variance (÷ n) of this batch over
    every dimension except the channel one, and the running statistics (if given) are updated in
    place as PyTorch does, with the *unbiased* variance (÷ (n − 1)):

        running_mean ← (1 − momentum)·running_mean + momentum·μ
        running_var  ← (1 − momentum)·running_var  + momentum·σ²·n/(n − 1)

    ``training=False``: μ, σ² are ``running_mean``, ``running_var`` (y is then affine in x).

    Training mode is one fused op; its backward (x̂ the normalised input, ĝ = g·weight, means
    over the n values of a channel) is the classic
        ∂L/∂x = (ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)) / √(σ² + eps),
        ∂L/∂weight = Σ g·x̂,   ∂L/∂bias = Σ g,
    written with Tensor ops when the backward is itself recorded (create_graph=True)."""
    x = as_tensor(input)
    if x.ndim < 2:
        raise ValueError(f"batch_norm: expected an input of shape (N, C, ...) with at least 2 "
                         f"dimensions, got shape {x.shape}")
    C = x.shape[1]
    rm = _channel_vector(running_mean, C, "running_mean")
    rv = _channel_vector(running_var, C, "running_var")
    w = _channel_vector(weight, C, "weight")
    b = _channel_vector(bias, C, "bias")
    axes = (0,) + tuple(range(2, x.ndim))
    bshape = (1, C) + (1,) * (x.ndim - 2)
    dt = x.data.dtype

    if not training:
        if rm is None or rv is None:
            raise ValueError("batch_norm: running_mean and running_var are required when "
                             "training=False (evaluation uses the running statistics)")
        invstd = const((1.0 / np.sqrt(rv.data + eps)).astype(dt, copy=False).reshape(bshape))
        scale = invstd if w is None else invstd * w.reshape(bshape)
        y = (x - const(rm.data.astype(dt, copy=False).reshape(bshape))) * scale
        return y if b is None else y + b.reshape(bshape)

    n = x.data.size // max(C, 1)
    if n <= 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size "
                         f"{x.shape}")
    xd = x.data
    mean = xd.mean(axis=axes, keepdims=True)
    centred = xd - mean
    var = (centred * centred).mean(axis=axes, keepdims=True)
    invstd = (1.0 / np.sqrt(var + dt.type(eps))).astype(dt, copy=False)
    xhat = centred * invstd
    y = xhat
    if w is not None:
        y = y * w.data.reshape(bshape)
    if b is not None:
        y = y + b.data.reshape(bshape)
    if y is xhat:
        y = xhat.copy()

    with np.errstate(all="ignore"):
        if rm is not None:
            rm.data[...] = (1 - momentum) * rm.data + momentum * mean.reshape(C)
        if rv is not None:
            rv.data[...] = (1 - momentum) * rv.data + momentum * var.reshape(C) * (n / (n - 1))

    parents = tuple(t for t in (x, w, b) if t is not None)

    def backward(g, out):
        if recording():
            xm = x - x.mean(dim=axes, keepdim=True)
            inv = ((xm * xm).mean(dim=axes, keepdim=True) + eps) ** -0.5
            xh = xm * inv
            gh = g if w is None else g * w.reshape(bshape)
            gx = (inv * (gh - gh.mean(dim=axes, keepdim=True)
                         - xh * (gh * xh).mean(dim=axes, keepdim=True))
                  if x.requires_grad else None)
            gw = (g * xh).sum(dim=axes) if w is not None and w.requires_grad else None
            gb = g.sum(dim=axes) if b is not None and b.requires_grad else None
        else:
            gd = g.data
            gh = gd if w is None else gd * w.data.reshape(bshape)
            gx = gw = gb = None
            if x.requires_grad:
                gx = const(invstd * (gh - gh.mean(axis=axes, keepdims=True)
                                     - xhat * (gh * xhat).mean(axis=axes, keepdims=True)))
            if w is not None and w.requires_grad:
                gw = const((gd * xhat).sum(axis=axes))
            if b is not None and b.requires_grad:
                gb = const(gd.sum(axis=axes))
        grads = [gx]
        if w is not None:
            grads.append(gw)
        if b is not None:
            grads.append(gb)
        return tuple(grads)
    return _make(y, parents, backward, "BatchNorm")

