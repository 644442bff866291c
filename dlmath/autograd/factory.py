"""Tensor constructors. Float64 is the default dtype (the math notebooks want clean gradient
checks); pass ``dtype=np.float32`` for speed. Random tensors come from one seeded generator:
``dlmath.manual_seed(0)`` makes every run repeat."""
import numpy as np

from .tensor import Tensor, _as_array

_rng = np.random.default_rng(0)


def manual_seed(seed):
    """Reseed dlmath's global random generator (used by randn/rand and by nn.init)."""
    global _rng
    _rng = np.random.default_rng(seed)
    return _rng


def default_generator():
    """The global ``numpy.random.Generator`` behind randn, rand and parameter initialisation."""
    return _rng


def tensor(data, requires_grad=False, dtype=None):
    """A new tensor from a number, nested list or ndarray. Python numbers become float64;
    an ndarray keeps its dtype unless ``dtype`` is given. The data is copied."""
    arr = np.array(_as_array(data, dtype), copy=True)
    return Tensor(arr, requires_grad=requires_grad)


def _shape(shape):
    return tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape


def zeros(*shape, dtype=np.float64, requires_grad=False):
    return Tensor(np.zeros(_shape(shape), dtype=dtype), requires_grad=requires_grad)


def ones(*shape, dtype=np.float64, requires_grad=False):
    return Tensor(np.ones(_shape(shape), dtype=dtype), requires_grad=requires_grad)


def full(shape, fill_value, dtype=np.float64, requires_grad=False):
    return Tensor(np.full(shape, fill_value, dtype=dtype), requires_grad=requires_grad)


def zeros_like(t, dtype=None, requires_grad=False):
    return Tensor(np.zeros_like(_as_array(t), dtype=dtype), requires_grad=requires_grad)


def ones_like(t, dtype=None, requires_grad=False):
    return Tensor(np.ones_like(_as_array(t), dtype=dtype), requires_grad=requires_grad)


def eye(n, m=None, dtype=np.float64, requires_grad=False):
    return Tensor(np.eye(n, m, dtype=dtype), requires_grad=requires_grad)


def arange(start, end=None, step=1, dtype=np.float64, requires_grad=False):
    if end is None:
        start, end = 0, start
    return Tensor(np.arange(start, end, step, dtype=dtype), requires_grad=requires_grad)


def linspace(start, end, steps, dtype=np.float64, requires_grad=False):
    return Tensor(np.linspace(start, end, steps, dtype=dtype), requires_grad=requires_grad)


def randn(*shape, dtype=np.float64, requires_grad=False):
    """Standard normal samples N(0, 1)."""
    return Tensor(_rng.standard_normal(_shape(shape)).astype(dtype),
                  requires_grad=requires_grad)


def rand(*shape, dtype=np.float64, requires_grad=False):
    """Uniform samples on [0, 1)."""
    return Tensor(_rng.random(_shape(shape)).astype(dtype), requires_grad=requires_grad)
