"""dlmath — the small, readable deep-learning library built alongside the course
"The Math Behind Deep Learning".

Names and semantics follow PyTorch: ``dlmath.tensor``, ``Tensor.backward``, ``dlmath.no_grad``,
``dlmath.nn.functional.conv2d``, ``dlmath.optim.Adam`` …

Only the autograd core is imported eagerly; the heavier submodules (``nn``, ``optim``, ``viz``, …)
load on first use so that ``import dlmath`` stays fast.
"""
import importlib

import numpy as _np

from .autograd import (Tensor, tensor, no_grad, enable_grad, set_grad_enabled,
                       is_grad_enabled, cat, stack, where, maximum, minimum, matmul,
                       zeros, ones, full, zeros_like, ones_like, eye, arange, linspace,
                       randn, rand, manual_seed,
                       exp, log, log1p, expm1, sqrt, sin, cos, abs, tanh, sigmoid, relu, clamp, clip, sum, mean, var,
                       max, min, logsumexp, reshape, transpose, permute)

float32, float64, int64, bool_ = _np.float32, _np.float64, _np.int64, _np.bool_

__version__ = "0.1.0"

_LAZY = {"autograd", "kernels", "nn", "optim", "linalg", "calculus", "prob", "info",
         "landscapes", "viz", "data", "exercises", "train", "serialization", "models"}
_LAZY_ATTRS = {"save": "serialization", "load": "serialization"}


def __getattr__(name):
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    if name in _LAZY_ATTRS:
        return getattr(importlib.import_module(f".{_LAZY_ATTRS[name]}", __name__), name)
    raise AttributeError(f"module 'dlmath' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_LAZY) + list(_LAZY_ATTRS))
