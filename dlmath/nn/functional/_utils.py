"""Small helpers shared by the functional ops (not part of the public API)."""
import numpy as np

from ...autograd.mode import _GradMode
from ...autograd.tensor import Tensor, _as_array, _make, _norm_dims

_REDUCTIONS = ("mean", "sum", "none")


def recording():
    """True when ops are being recorded. Inside a backward closure this is True exactly when the
    backward pass itself is being differentiated (``create_graph=True``); fused ops use it to
    pick between a fast NumPy backward and one written with Tensor ops."""
    return _GradMode.enabled


def const(arr):
    """Wrap an ndarray as a Tensor with no history (the cheapest way to build one)."""
    return _make(arr, (), None, None)


def as_tensor(x, like=None):
    """``x`` as a Tensor. Python numbers take ``like``'s floating dtype (as in binary ops)."""
    if isinstance(x, Tensor):
        return x
    if like is not None and isinstance(x, (bool, int, float, np.number)) \
            and like.data.dtype.kind == "f":
        return Tensor(np.asarray(x, dtype=like.data.dtype))
    return Tensor(_as_array(x))


def check_reduction(reduction, fn):
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{fn}: reduction must be one of 'mean', 'sum' or 'none', "
                         f"got {reduction!r}")


def reduce(loss, reduction):
    """Apply ``reduction`` ('mean' | 'sum' | 'none') to an elementwise loss Tensor."""
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return loss.mean()


def pair(value, name, fn, allow_zero=True):
    """An int or a pair of ints → a tuple of two Python ints, with a clear error otherwise."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        out = (int(value), int(value))
    elif isinstance(value, (tuple, list)) and len(value) == 2 and all(
            isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in value):
        out = (int(value[0]), int(value[1]))
    else:
        raise ValueError(f"{fn}: {name} must be an int or a pair of ints, got {value!r}")
    lo = 0 if allow_zero else 1
    if out[0] < lo or out[1] < lo:
        rule = "non-negative" if allow_zero else "positive"
        raise ValueError(f"{fn}: {name} must be {rule}, got {value!r}")
    return out


def norm_dim(dim, ndim, fn):
    (d,) = _norm_dims(dim, ndim, fn)
    return d
