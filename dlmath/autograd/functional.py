"""Functional transforms of a function f (as ``torch.autograd.functional`` and JAX's ``grad``).

    jacobian(f, x)[i..., j...] = ∂f(x)_i / ∂x_j          shape f(x).shape + x.shape
    hessian(f, x)[i..., j...]  = ∂²f / ∂x_i ∂x_j         shape x.shape + x.shape (f scalar)
    hvp(f, x, v)               = (f(x), H(x) v)          one double-backward, no full Hessian
    grad(f)                    = the function x ↦ ∇f(x)  (composable: grad(grad(f)))
"""
import numpy as np

from . import engine
from .tensor import Tensor, _as_array, stack


def _prepare(inputs, create_graph):
    single = isinstance(inputs, Tensor) or not isinstance(inputs, (tuple, list))
    xs = []
    for x in ((inputs,) if single else inputs):
        x = x if isinstance(x, Tensor) else Tensor(_as_array(x))
        if not (create_graph and x.requires_grad):
            x = x.detach().requires_grad_()
        xs.append(x)
    return single, tuple(xs)


def _zeros_if_none(gs, xs):
    return tuple(Tensor(np.zeros_like(x.data)) if g is None else g for g, x in zip(gs, xs))


def jacobian(func, inputs, create_graph=False):
    """The Jacobian of ``func`` at ``inputs`` (a Tensor, or a tuple of Tensors → tuple of
    Jacobians), computed one output element at a time by reverse mode."""
    single, xs = _prepare(inputs, create_graph)
    out = func(*xs)
    single_out = isinstance(out, Tensor)
    outs = (out,) if single_out else tuple(out)
    result = []
    for o in outs:
        per_input = [[] for _ in xs]
        for j in range(o.data.size):
            if not o.requires_grad:
                gs = (None,) * len(xs)
            else:
                onehot = np.zeros(o.data.size, dtype=o.data.dtype)
                onehot[j] = 1
                gs = engine.grad(o, xs, grad_outputs=Tensor(onehot.reshape(o.shape)),
                                 retain_graph=True, create_graph=create_graph, allow_unused=True)
            for i, g in enumerate(_zeros_if_none(gs, xs)):
                per_input[i].append(g)
        jac = tuple(stack(rows).reshape(o.shape + x.shape) if rows
                    else Tensor(np.zeros(o.shape + x.shape)) for rows, x in zip(per_input, xs))
        result.append(jac[0] if single else jac)
    return result[0] if single_out else tuple(result)


def hessian(func, inputs, create_graph=False):
    """The Hessian of a scalar ``func``: the Jacobian of its gradient (double backward)."""
    single, xs = _prepare(inputs, create_graph)

    def gradient(*args):
        y = func(*args)
        _check_scalar(y, "hessian")
        gs = engine.grad(y, args, create_graph=True, allow_unused=True)
        gs = _zeros_if_none(gs, args)
        return gs[0] if single else gs

    h = jacobian(gradient, xs[0] if single else xs, create_graph=create_graph)
    return h


def hvp(func, inputs, v, create_graph=False):
    """``(func(x), H v)``: the Hessian-vector product by differentiating ∇f(x)·v once more —
    costs about two backward passes and never forms H."""
    single, xs = _prepare(inputs, create_graph)
    vs = (v,) if single else tuple(v)
    vs = tuple(t if isinstance(t, Tensor) else Tensor(_as_array(t)) for t in vs)
    for x, t in zip(xs, vs):
        if t.shape != x.shape:
            raise ValueError(f"hvp: v has shape {t.shape} but the input has shape {x.shape}")
    y = func(*xs)
    _check_scalar(y, "hvp")
    gs = _zeros_if_none(engine.grad(y, xs, create_graph=True, allow_unused=True), xs)
    dot = sum(((g * t).sum() for g, t in zip(gs, vs)), Tensor(np.array(0.0)))
    if dot.requires_grad:
        hv = _zeros_if_none(engine.grad(dot, xs, create_graph=create_graph, allow_unused=True),
                            xs)
    else:
        hv = tuple(Tensor(np.zeros_like(x.data)) for x in xs)
    y = y if create_graph else y.detach()
    return y, (hv[0] if single else hv)


def grad(func):
    """Turn a scalar function into its gradient function: ``grad(f)(x) == ∇f(x)``.
    Nests: ``grad(grad(f))(x)`` is the second derivative of a 1-input scalar function."""
    def grad_func(*args):
        nested = any(isinstance(a, Tensor) and a.requires_grad for a in args)
        _, xs = _prepare(args, create_graph=nested)
        y = func(*xs)
        _check_scalar(y, "grad")
        if not y.requires_grad:
            gs = (None,) * len(xs)
        else:
            gs = engine.grad(y, xs, create_graph=nested, allow_unused=True)
        gs = _zeros_if_none(gs, xs)
        return gs[0] if len(gs) == 1 else gs
    grad_func.__name__ = f"grad_{getattr(func, '__name__', 'f')}"
    return grad_func


def _check_scalar(y, who):
    if not isinstance(y, Tensor) or y.data.size != 1:
        shape = y.shape if isinstance(y, Tensor) else type(y).__name__
        raise ValueError(f"{who}: the function must return a scalar tensor, got {shape}")
