"""Dropout."""
import numpy as np

from ...autograd.factory import default_generator
from ...autograd.tensor import _make
from ._utils import as_tensor, const, recording

__all__ = ["dropout"]


def dropout(input, p=0.5, training=True, inplace=False):
    """Inverted dropout: during training each element is zeroed with probability ``p`` and the
    survivors are scaled by 1/(1 − p), so E[dropout(x)] = x and nothing changes at test time.
    With ``training=False`` (or p = 0) the input is returned unchanged.

    The mask is drawn from dlmath's global generator (``dlmath.manual_seed`` makes it repeat).
    Backward multiplies g by the same mask·1/(1 − p). ``inplace`` is accepted and ignored."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    x = as_tensor(input)
    if not training or p == 0.0:
        return x
    dtype = x.data.dtype if x.data.dtype.kind == "f" else np.float64
    if p == 1.0:
        mask = np.zeros(x.shape, dtype=dtype)
    else:
        rdtype = np.float32 if dtype == np.float32 else np.float64
        keep = default_generator().random(x.shape, dtype=rdtype) >= p
        mask = keep.astype(dtype) * dtype.type(1.0 / (1.0 - p))

    def backward(g, out):
        if recording():
            return (g * const(mask),)
        return (const(g.data * mask),)
    return _make(x.data * mask, (x,), backward, "Dropout")
