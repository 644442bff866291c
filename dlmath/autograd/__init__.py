"""Reverse-mode automatic differentiation on NumPy arrays, with PyTorch's names.

    tensor.py     the Tensor and every primitive op, each forward beside its backward
    engine.py     topological sort + chain rule: backward() and grad()
    mode.py       no_grad / enable_grad
    functional.py jacobian, hessian, hvp, grad(f)
    gradcheck.py  finite-difference checks of first and second derivatives
    numerics.py   the numerically stable formulas (sigmoid, softplus, log-sum-exp, …) every op
                  shares
"""
from .mode import no_grad, enable_grad, set_grad_enabled, is_grad_enabled
from .tensor import Tensor, cat, stack, where, maximum, minimum, matmul, MaxResult
from .factory import (tensor, zeros, ones, full, zeros_like, ones_like, eye, arange, linspace,
                      randn, rand, manual_seed, default_generator)
from .functions import (exp, log, log1p, expm1, sqrt, sin, cos, abs, tanh, sigmoid, relu, clamp,
                        clip, sum, mean, var, max, min, logsumexp, reshape, transpose, permute)
from .engine import backward, grad
from .gradcheck import gradcheck, gradgradcheck, GradcheckError
from . import functional
