"""Check analytic gradients against central finite differences (in float64).

    ∂f_j/∂x_k ≈ (f_j(x + ε e_k) − f_j(x − ε e_k)) / 2ε        (error O(ε²))

``gradcheck`` compares every entry of the Jacobian (or, for outputs with many elements, two
random projections vᵀJ of it); ``gradgradcheck`` runs the same check on the gradient function
itself, which tests second derivatives.
"""
import numpy as np

from .engine import grad
from .mode import no_grad
from .tensor import Tensor

_FULL_JACOBIAN_MAX = 256


class GradcheckError(RuntimeError):
    """Raised by ``gradcheck`` when an analytic gradient disagrees with finite differences."""


def _outputs(fn, xs, need_graph):
    if need_graph:
        out = fn(*xs)
    else:
        with no_grad():
            out = fn(*xs)
    outs = (out,) if isinstance(out, Tensor) or out is None else tuple(out)
    return [o for o in outs if o is not None]


def _prepare(inputs):
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    xs = []
    for t in inputs:
        if isinstance(t, Tensor) and t.requires_grad:
            xs.append(Tensor(np.array(t.data, dtype=np.float64), requires_grad=True))
        else:
            xs.append(t)
    diff = [i for i, x in enumerate(xs) if isinstance(x, Tensor) and x.requires_grad]
    if not diff:
        raise ValueError("gradcheck: none of the inputs requires grad; create the tensors you "
                         "want checked with requires_grad=True")
    return xs, diff


def _analytic_rows(outs, xs, diff, vectors):
    """For each (output index, vector v): the list of vᵀ ∂out/∂x_i for every checked input."""
    rows = []
    for oi, o in enumerate(outs):
        for v in vectors[oi]:
            if not o.requires_grad:
                gs = (None,) * len(diff)
            else:
                gs = grad(o, [xs[i] for i in diff], grad_outputs=Tensor(v), retain_graph=True,
                          allow_unused=True)
            rows.append([np.zeros(xs[i].shape) if g is None else g.data.astype(np.float64)
                         for i, g in zip(diff, gs)])
    return rows


def _projection_vectors(outs, rng):
    """One-hot vectors (the full Jacobian) for small outputs, two random ones for large."""
    vectors = []
    for o in outs:
        n = o.data.size
        if n <= _FULL_JACOBIAN_MAX:
            eye = np.eye(n).reshape((n,) + o.shape) if n else np.zeros((0,) + o.shape)
            vectors.append([eye[j] for j in range(n)])
        else:
            vectors.append([rng.standard_normal(o.shape) for _ in range(2)])
    return vectors


def gradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True,
              _need_graph=False):
    """Return True if the autograd gradient of ``fn(*inputs)`` matches central differences.

    Inputs with ``requires_grad=True`` are checked (converted to float64 copies). On a mismatch
    raises ``GradcheckError`` naming the input, the element, the output, and both values
    (or returns False with ``raise_exception=False``)."""
    xs, diff = _prepare(inputs)
    outs = _outputs(fn, xs, True)
    rng = np.random.default_rng(0)
    vectors = _projection_vectors(outs, rng)
    analytic = _analytic_rows(outs, xs, diff, vectors)
    flat_vectors = [(oi, j, v) for oi, vs in enumerate(vectors) for j, v in enumerate(vs)]
    for pos, i in enumerate(diff):
        x = xs[i]
        for k in range(x.data.size):
            idx = np.unravel_index(k, x.shape)
            orig = x.data[idx]
            x.data[idx] = orig + eps
            plus = [o.data.astype(np.float64) for o in _outputs(fn, xs, _need_graph)]
            x.data[idx] = orig - eps
            minus = [o.data.astype(np.float64) for o in _outputs(fn, xs, _need_graph)]
            x.data[idx] = orig
            for r, (oi, j, v) in enumerate(flat_vectors):
                numeric = float(np.sum(v * (plus[oi] - minus[oi])) / (2 * eps))
                got = float(analytic[r][pos][idx])
                if not abs(got - numeric) <= atol + rtol * abs(numeric):
                    full = len(vectors[oi]) == outs[oi].data.size
                    where = (f"output {oi} element {np.unravel_index(j, outs[oi].shape)}" if full
                             else f"output {oi} projected on random direction {j}")
                    msg = (f"gradcheck failed for input {i} (shape {x.shape}) at index "
                           f"{tuple(int(t) for t in idx)}, {where}: analytic {got!r} vs "
                           f"numeric {numeric!r} (|diff| {abs(got - numeric):.3g} > "
                           f"atol {atol} + rtol {rtol}·|numeric|)")
                    if raise_exception:
                        raise GradcheckError(msg)
                    return False
    return True


def gradgradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True):
    """Check second derivatives: gradcheck of x ↦ ∂(vᵀ fn(x))/∂x, built with create_graph=True
    (v a fixed random weighting of the outputs)."""
    xs, diff = _prepare(inputs)
    rng = np.random.default_rng(1)
    weights = [Tensor(rng.standard_normal(o.shape)) for o in _outputs(fn, xs, True)]

    def first_derivative(*args):
        outs = _outputs(fn, args, True)
        total = sum(((o * w).sum() for o, w in zip(outs, weights) if o.requires_grad),
                    Tensor(np.array(0.0)))
        if not total.requires_grad:
            return tuple(Tensor(np.zeros(args[i].shape)) for i in diff)
        gs = grad(total, [args[i] for i in diff], create_graph=True, allow_unused=True)
        return tuple(Tensor(np.zeros(args[i].shape)) if g is None else g
                     for i, g in zip(diff, gs))

    return gradcheck(first_derivative, xs, eps, atol, rtol, raise_exception, _need_graph=True)
