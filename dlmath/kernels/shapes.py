"""Output-size rules and argument checks shared by the convolution and pooling kernels.

No Numba here, so that importing it is cheap.

The one formula behind every sliding window, per spatial axis::

    out = floor((i + 2p - d(k - 1) - 1) / s) + 1

i input size, k kernel size, s stride, p zero padding on each side, d dilation
(d(k - 1) + 1 is the *effective* kernel: the span the dilated kernel covers).
"""

import numpy as np

__all__ = ["conv_output_size", "pool_output_size", "pair", "float_array"]


def pair(value, name="argument"):
    """Normalise ``value`` (an int or a pair of ints) to a tuple ``(h, w)`` of Python ints."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{name} must be an int or a pair (h, w), got {value!r}")
        h, w = value
    else:
        h = w = value
    try:
        if int(h) != h or int(w) != w:
            raise TypeError
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be integers, got {value!r}") from None
    return int(h), int(w)


def conv_output_size(i, k, s=1, p=0, d=1, op="conv2d"):
    """Length of a convolution's output along one axis.

    ``out = floor((i + 2p - d(k-1) - 1) / s) + 1`` for input size ``i``, kernel size ``k``,
    stride ``s``, padding ``p`` and dilation ``d``.

    Raises ``ValueError`` naming the numbers and the rule when the stride or dilation is not
    positive, the padding is negative, or the effective kernel ``d(k-1)+1`` does not fit in the
    padded input ``i + 2p`` (there would be no output at all).
    """
    if k <= 0:
        raise ValueError(f"{op}: kernel size must be positive, got {k}")
    if s <= 0:
        raise ValueError(f"{op}: stride must be positive, got stride={s}")
    if p < 0:
        raise ValueError(f"{op}: padding must be non-negative, got padding={p}")
    if d <= 0:
        raise ValueError(f"{op}: dilation must be positive, got dilation={d}")
    effective = d * (k - 1) + 1
    if effective > i + 2 * p:
        raise ValueError(
            f"{op}: kernel {k} (dilation {d} → effective {effective}) is larger than the "
            f"padded input {i + 2 * p} (input {i} + 2×padding {p})")
    return (i + 2 * p - effective) // s + 1


def pool_output_size(i, k, s, p, op="max_pool2d"):
    """Output length of a pooling window (dilation 1, ``ceil_mode=False``).

    Same formula as :func:`conv_output_size`; additionally, as in PyTorch, the padding may be
    at most half the kernel (``p <= k // 2``) so that every window overlaps the real input.
    """
    if k > 0 and 2 * p > k:
        raise ValueError(
            f"{op}: padding {p} should be at most half of the kernel size {k} "
            f"(rule: padding ≤ kernel_size // 2 = {k // 2})")
    return conv_output_size(i, k, s, p, 1, op=op)


def float_array(a, what, op):
    """``a`` as a C-contiguous, writeable float32/float64 array (a ``TypeError`` otherwise).

    Read-only inputs are copied: Numba would compile a separate version of every kernel for
    read-only arrays, a multi-second surprise in the middle of a training loop.
    """
    a = np.asarray(a)
    if a.dtype not in (np.float32, np.float64):
        raise TypeError(f"{op}: {what} must be float32 or float64, got dtype {a.dtype}")
    if not a.flags.writeable:
        return a.copy()
    return np.ascontiguousarray(a)
