"""Reverse-mode differentiation: one topological sort, then the chain rule node by node.

For a scalar loss L and every node v of the graph (processed outputs-first),

    ∂L/∂v = Σ over the ops u that used v of  (backward of u)(∂L/∂u),

so a node that is used twice (``x*x + x``) receives the sum of all its contributions. The sort is
iterative (an explicit stack), so a chain of 100 000 ops needs no recursion.

After a backward pass the graph's backward closures are freed, as PyTorch does, unless
``retain_graph=True`` (which ``create_graph=True`` implies).
"""
import numpy as np

from .mode import set_grad_enabled
from .tensor import Tensor, _as_array


def _freed(g, out):
    raise RuntimeError(
        "Trying to backward through the graph a second time: its intermediate results were "
        "freed by the first backward(). Recompute the forward pass, or pass "
        "retain_graph=True to the first backward() if you really need to go through it twice.")


def _topological_order(roots):
    """Nodes that require grad, each after every node it feeds into (outputs first)."""
    order, visited = [], set()
    stack = [(r, False) for r in roots]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        if id(node) in visited:
            continue
        visited.add(id(node))
        stack.append((node, True))
        for p in node._parents:
            if p.requires_grad and id(p) not in visited:
                stack.append((p, False))
    order.reverse()
    return order


def _root_grads(outputs, grad_outputs, who):
    grads = []
    for out, g in zip(outputs, grad_outputs):
        if not out.requires_grad:
            raise RuntimeError(f"{who}: a tensor of shape {out.shape} does not require grad and "
                               f"has no grad_fn (was it made inside no_grad(), or from tensors "
                               f"without requires_grad=True?)")
        if g is None:
            if out.data.size != 1:
                raise RuntimeError(
                    f"{who}: grad can be implicitly created only for scalar outputs, but this "
                    f"tensor has shape {out.shape}. Reduce it first (e.g. .sum()) or pass "
                    f"gradient=<a tensor of shape {out.shape}>.")
            g = Tensor(np.ones_like(out.data))
        else:
            g = g if isinstance(g, Tensor) else Tensor(_as_array(g, out.dtype))
            if g.shape != out.shape:
                raise RuntimeError(f"{who}: the gradient has shape {g.shape} but the output has "
                                   f"shape {out.shape}; they must match")
        grads.append(g)
    return grads


def _run(outputs, root_grads, retain_graph, create_graph, capture=None, accumulate=None):
    """The engine. ``capture``: ids of tensors whose total gradient to return (autograd.grad);
    ``accumulate``: ids of leaves to accumulate into (None = every leaf, backward())."""
    order = _topological_order(outputs)
    grads = {}
    for out, g in zip(outputs, root_grads):
        grads[id(out)] = grads[id(out)] + g if id(out) in grads else g
    captured = {}
    with set_grad_enabled(create_graph):
        for node in order:
            g = grads.pop(id(node), None)
            if g is None:
                continue
            if capture is not None:
                if id(node) in capture:
                    captured[id(node)] = g
            elif node._backward is None or node._retain:
                if accumulate is None or id(node) in accumulate:
                    _accumulate(node, g, create_graph)
            if node._backward is None:
                continue
            parent_grads = node._backward(g, node)
            if not retain_graph:
                node._backward = _freed
            for p, pg in zip(node._parents, parent_grads):
                if pg is None or not p.requires_grad:
                    continue
                key = id(p)
                grads[key] = grads[key] + pg if key in grads else pg
    return captured


def _accumulate(leaf, g, create_graph):
    """leaf.grad += g, keeping the leaf's dtype (float32 parameters get float32 gradients)."""
    if g.data.dtype != leaf.data.dtype:
        g = g.to(leaf.data.dtype)
    if g.shape != leaf.shape:        # defensive: every backward must return the input's shape
        raise RuntimeError(f"internal error: gradient of shape {g.shape} for a tensor of shape "
                           f"{leaf.shape}")
    if create_graph:
        leaf.grad = g if leaf.grad is None else leaf.grad + g
    elif leaf.grad is None:
        leaf.grad = Tensor(np.array(g.data, copy=True))
    elif leaf.grad.requires_grad:
        leaf.grad = Tensor(leaf.grad.data + g.data)
    else:
        leaf.grad.data += g.data


def _as_tuple(x):
    if isinstance(x, Tensor):
        return (x,)
    return tuple(x)


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate the gradient of ``tensors`` into the ``.grad`` of every leaf that requires
    grad (or only of ``inputs``). Gradients *add up* over calls, as in PyTorch: zero them
    between steps. ``create_graph=True`` records the backward pass itself, so the resulting
    ``.grad`` can be differentiated again."""
    tensors = _as_tuple(tensors)
    if grad_tensors is None or isinstance(grad_tensors, Tensor) or not isinstance(
            grad_tensors, (list, tuple)):
        grad_tensors = (grad_tensors,) * len(tensors) if grad_tensors is None else (grad_tensors,)
    if retain_graph is None:
        retain_graph = create_graph
    roots = _root_grads(tensors, grad_tensors, "backward")
    accumulate = None if inputs is None else {id(t) for t in _as_tuple(inputs)}
    _run(tensors, roots, retain_graph, create_graph, accumulate=accumulate)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         allow_unused=False):
    """Return (∂outputs/∂input for each input) as a tuple, without touching any ``.grad``.
    With ``create_graph=True`` the returned gradients can be differentiated again."""
    outputs = _as_tuple(outputs)
    inputs = _as_tuple(inputs)
    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    else:
        grad_outputs = _as_tuple(grad_outputs) if isinstance(grad_outputs, (Tensor, list, tuple)) \
            else (grad_outputs,)
    if retain_graph is None:
        retain_graph = create_graph
    for i, t in enumerate(inputs):
        if not isinstance(t, Tensor) or not t.requires_grad:
            raise RuntimeError(f"grad: input {i} does not require grad (create it with "
                               f"requires_grad=True)")
    roots = _root_grads(outputs, grad_outputs, "grad")
    captured = _run(outputs, roots, retain_graph, create_graph,
                    capture={id(t) for t in inputs})
    result = []
    for i, t in enumerate(inputs):
        g = captured.get(id(t))
        if g is None:
            if not allow_unused:
                raise RuntimeError(f"grad: input {i} (shape {t.shape}) was not used to compute "
                                   f"the outputs; pass allow_unused=True to get None for it")
        elif g.data.dtype != t.data.dtype:
            g = g.to(t.data.dtype)
        result.append(g)
    return tuple(result)
