"""Checkers for the calculus notebooks 06–08: finite differences and the best step (06),
numerical gradients, directional derivatives and gradient descent (07), the local backward of a
node and the topological order of a computational graph (08).

Each checker lists the cases it runs (expected values are closed forms or hand-computed numbers,
never a reference solution) and the classic mistakes it recognises."""
import math
import warnings

import numpy as np

from .core import Case, Mistake, close, run_checks, _call

__all__ = ["check_central_difference", "check_best_central_step", "check_numerical_gradient",
           "check_directional_derivative", "check_gradient_descent", "check_div_backward",
           "check_topological_order"]


def _near(out, value, rtol=1e-6, atol=1e-12):
    """True when ``out`` is a finite array/number equal to ``value`` within tolerance."""
    try:
        out = np.asarray(getattr(out, "data", out), dtype=float)
        value = np.asarray(value, dtype=float)
        return out.shape == value.shape and bool(np.all(np.isfinite(out))) and \
            bool(np.allclose(out, value, rtol=rtol, atol=atol))
    except (TypeError, ValueError):
        return False


def _quiet(fn, *args):
    """Call without copying the arguments (to see whether fn changes them), warnings off."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            return fn(*args)


# ---------------------------------------------------------------------------------- notebook 06

def _cube(x):
    return x ** 3


def check_central_difference(fn):
    """central_difference(f, x, h) = (f(x + h) − f(x − h)) / (2h).

    Closed forms: for x³ the central difference is exactly 3x² + h²; for sin it is
    cos(x)·sin(h)/h; for exp at 0 it is sinh(h)/h.
    Catches: dividing by h instead of 2h, a forward or a backward difference, and the
    precedence slip ``... / 2 * h`` (which multiplies by h)."""
    h = 1e-3
    xs = np.array([0.0, 1.0, 2.0])
    cases = [
        Case("f(x) = x³ at x = 2, h = 0.1 (exactly 3x² + h² = 12.01)", (_cube, 2.0, 0.1),
             close(12.01, rtol=1e-9)),
        Case("f = sin at x = 1, h = 0.001", (np.sin, 1.0, h),
             close(math.cos(1.0) * math.sin(h) / h, rtol=1e-9)),
        Case("f = exp at x = 0, h = 0.5 (sinh(h)/h)", (np.exp, 0.0, 0.5),
             close(math.sinh(0.5) / 0.5, rtol=1e-9)),
        Case("f = sin at three points at once, x = [0, 1, 2]", (np.sin, xs, h),
             close(np.cos(xs) * math.sin(h) / h, rtol=1e-9)),
    ]
    at = lambda f: _call(f, (_cube, 2.0, 0.1))
    mistakes = [
        Mistake("divided by h", lambda f: _near(at(f), 24.02),
                "your answer is twice too big: the two points x − h and x + h are 2h apart, so "
                "divide the difference f(x + h) − f(x − h) by 2h, not by h."),
        Mistake("forward difference", lambda f: _near(at(f), 12.61),
                "that is the forward difference (f(x + h) − f(x))/h, whose error shrinks only "
                "like h. Use the two points on either side of x: (f(x + h) − f(x − h))/(2h)."),
        Mistake("backward difference", lambda f: _near(at(f), 11.41),
                "that is the backward difference (f(x) − f(x − h))/h. Use both neighbours: "
                "(f(x + h) − f(x − h))/(2h)."),
        Mistake("precedence", lambda f: _near(at(f), 2.402 / 2 * 0.1),
                "Python reads `a / 2 * h` as (a / 2) · h, so you multiplied by h instead of "
                "dividing. Put the denominator in parentheses: `/ (2 * h)`."),
    ]
    return run_checks("central_difference", fn, cases, mistakes)


def check_best_central_step(fn):
    """best_central_step(f0, f3, eps) = (3·eps·|f0| / |f3|)^(1/3), the h that minimises the
    central-difference error model E(h) = h²|f'''|/6 + eps·|f|/h.

    Catches: a step far too small (the forward-difference rule √ε, or no root at all — then
    round-off ε|f|/h dominates), missing absolute values (a negative f''' gives nan, a complex
    number or a negative h), the factor 3 lost when differentiating, and |f|/|f'''| upside down."""
    def best(f0, f3, eps):
        return (3 * eps * abs(f0) / abs(f3)) ** (1 / 3)

    def positive(expected):
        inner = close(expected, rtol=1e-9, atol=0)

        def expect(out):
            if isinstance(out, complex) or np.iscomplexobj(out):
                return f"expected a positive real step, got the complex number {out}"
            return inner(out)
        return expect

    s1, c1 = math.sin(1.0), -math.cos(1.0)
    cases = [
        Case("|f| = |f'''| = 1, eps = 1e-16", (1.0, 1.0, 1e-16), positive(best(1, 1, 1e-16))),
        Case("f = sin at x = 1 (f''' = −cos 1 < 0), float64 eps", (s1, c1, 2.220446049250313e-16),
             positive(best(s1, c1, 2.220446049250313e-16))),
        Case("f0 = −2, f3 = 6, eps = 1e-16", (-2.0, 6.0, 1e-16), positive(best(-2, 6, 1e-16))),
        Case("float32: eps = 1.19e-7", (1.0, 1.0, 1.1920929e-07), positive(best(1, 1, 1.1920929e-07))),
    ]
    h11 = best(1, 1, 1e-16)
    out = lambda f, *a: _call(f, a)

    def real(x):
        try:
            return float(x)
        except (TypeError, ValueError):
            return math.nan

    mistakes = [
        Mistake("too small", lambda f: 0 < real(out(f, 1.0, 1.0, 1e-16)) < h11 / 10,
                "your h is far too small, so round-off wins: f(x ± h) carry errors of about "
                "ε|f|, and dividing their difference by 2h blows that up to ε|f|/h. For the "
                "central difference truncation falls like h², so balance h²|f'''|/6 against "
                "ε|f|/h: the best h³ is proportional to ε — a cube root (≈ 1e-5), not the "
                "square root √ε ≈ 1e-8 that suits the forward difference."),
        Mistake("no absolute values", lambda f: not 0 < real(out(f, s1, c1, 1e-16)) < math.inf,
                "f''' (or f) can be negative — here f''' = −cos 1 — and a negative number's cube "
                "root is not a step size. The error model uses sizes: take abs(f0) and abs(f3)."),
        Mistake("factor 3 lost", lambda f: _near(out(f, 1.0, 1.0, 1e-16), h11 / 3 ** (1 / 3)),
                "close, but a factor 3^(1/3) too small: E'(h) = h|f'''|/3 − ε|f|/h², which is 0 "
                "when h³ = 3ε|f|/|f'''|."),
        Mistake("upside down", lambda f: _near(out(f, -2.0, 6.0, 1e-16), best(6, -2, 1e-16)),
                "|f| and |f'''| are swapped: a larger third derivative means more truncation "
                "error, so the best step gets smaller — |f'''| belongs in the denominator."),
    ]
    return run_checks("best_central_step", fn, cases, mistakes)


# ---------------------------------------------------------------------------------- notebook 07

def _sum_sq(v):
    return float(np.sum(v ** 2))


def _prod3(v):
    return float(v[0] * v[1] * v[2])


def check_numerical_gradient(fn):
    """numerical_gradient(f, x, h) → ∇f(x), a central difference along each coordinate.

    Cases: Σx² (gradient 2x), x₀x₁x₂ (gradient (x₁x₂, x₀x₂, x₀x₁) — the central difference is
    exact for it, so any leftover shift of another coordinate shows), and a 2×2 matrix input.
    Catches: perturbing all coordinates at once, not restoring x after perturbing it, and
    ``x_plus = x`` without a copy (both "copies" are the same array, the gradient comes out 0)."""
    u, v = np.array([1.0, 2.0]), np.array([3.0, -1.0])
    bilinear = lambda W: float(u @ W @ v)
    x_sq, x_3 = np.array([1.0, -2.0, 3.0]), np.array([1.0, 2.0, 3.0])
    cases = [
        Case("f(x) = Σ xᵢ² at x = [1, −2, 3] (∇f = 2x)", (_sum_sq, x_sq, 1e-5),
             close([2.0, -4.0, 6.0], rtol=1e-7, atol=1e-7)),
        Case("f(x) = x₀·x₁·x₂ at [1, 2, 3] (∇f = [6, 3, 2])", (_prod3, x_3, 1e-3),
             close([6.0, 3.0, 2.0], rtol=1e-8)),
        Case("a matrix input: f(W) = uᵀWv at W = 0 (∇f = u vᵀ, shape 2×2)",
             (bilinear, np.zeros((2, 2)), 1e-4), close(np.outer(u, v), rtol=1e-8, atol=1e-9)),
    ]
    sq = lambda f: _call(f, (_sum_sq, x_sq, 1e-5))

    def all_at_once(f):
        g = np.asarray(sq(f), dtype=float)
        return g.size > 1 and np.allclose(g, g.flat[0]) and not np.allclose(g, 0) \
            and not np.allclose(g, [2, -4, 6])

    def not_restored(f):
        x = x_3.copy()
        g = _quiet(f, _prod3, x, 1e-3)
        changed = not np.array_equal(x, x_3)
        return changed or (_near(sq(f), [2.0, -4.0, 6.0], atol=1e-7)
                           and not _near(g, [6.0, 3.0, 2.0], rtol=1e-8))

    mistakes = [
        Mistake("all at once", all_at_once,
                "every entry of your gradient is the same number: you moved all coordinates "
                "together (x + h), which measures the slope along [1, 1, …]. Move one "
                "coordinate at a time: only x[i] changes when computing entry i."),
        Mistake("aliasing", lambda f: _near(sq(f), np.zeros(3)),
                "your gradient is all zeros: `x_plus = x` does not copy an array, so x_plus and "
                "x_minus are the same array and f(x_plus) − f(x_minus) = 0. Use x.copy()."),
        Mistake("not restored", not_restored,
                "after perturbing x[i], put it back (x[i] = old) before moving on: otherwise "
                "the next coordinates are measured at a shifted point (and the caller's x is "
                "changed). Σxᵢ² hides this, x₀·x₁·x₂ does not."),
    ]
    return run_checks("numerical_gradient", fn, cases, mistakes)


def check_directional_derivative(fn):
    """directional_derivative(grad, u) = ∇f · u/‖u‖, the slope of f along the direction u.

    Catches: u not normalised, the gradient normalised instead of u, the elementwise product
    ∇f ⊙ u without the sum, and dividing by ‖u‖² instead of ‖u‖."""
    g = np.array([2.0, 6.0])
    cases = [
        Case("∇f = [2, 6], u = [1, 0] (a unit vector already)", (g, np.array([1.0, 0.0])),
             close(2.0, rtol=1e-9)),
        Case("∇f = [2, 6], u = [3, 4] (‖u‖ = 5: (6 + 24)/5 = 6)", (g, np.array([3.0, 4.0])),
             close(6.0, rtol=1e-9)),
        Case("∇f = [1, −1, 2], u = [0, 0, −0.5]",
             (np.array([1.0, -1.0, 2.0]), np.array([0.0, 0.0, -0.5])), close(-2.0, rtol=1e-9)),
        Case("u ⟂ ∇f: u = [−6, 2] (along a contour line)", (g, np.array([-6.0, 2.0])),
             close(0.0, atol=1e-9)),
    ]
    at = lambda f: _call(f, (g, np.array([3.0, 4.0])))
    mistakes = [
        Mistake("u not normalised", lambda f: _near(at(f), 30.0),
                "you got ∇f·u = 30 for u = [3, 4], five times too big: the directional "
                "derivative is the slope per unit length, so divide u by its norm first "
                "(u / np.linalg.norm(u))."),
        Mistake("gradient normalised", lambda f: _near(at(f), 30.0 / math.sqrt(40.0)),
                "you normalised the gradient instead of u. Keep ∇f as it is (its length is the "
                "steepness) and make u a unit vector."),
        Mistake("no sum", lambda f: np.shape(at(f)) == (2,),
                "the result should be one number: ∇f · u is the sum of the products "
                "(np.dot or @), not the elementwise product ∇f * u."),
        Mistake("divided by ‖u‖²", lambda f: _near(at(f), 30.0 / 25.0),
                "you divided by ‖u‖² = 25; the unit vector is u/‖u‖, so divide ∇f·u by ‖u‖ once."),
    ]
    return run_checks("directional_derivative", fn, cases, mistakes)


def check_gradient_descent(fn):
    """gradient_descent(grad_f, x0, lr, steps) → the point after ``steps`` updates
    x ← x − lr·∇f(x), without changing the caller's x0.

    On f = 2x² (L = 4) each step multiplies x by (1 − 4·lr); on ½(x² + 10y²) the two coordinates
    shrink by (1 − lr) and (1 − 10·lr). Catches: + instead of − (ascent), the learning rate
    applied twice (lr² or two updates per step), one step too many or too few, and x0 changed in
    place."""
    if not callable(fn):
        return run_checks("gradient_descent", fn, [])
    def run(grad_f, x0, lr, steps):
        before = np.array(x0, copy=True)
        out = fn(grad_f, x0, lr, steps)
        return out, not np.array_equal(x0, before)

    def result(expected):
        inner = close(expected, rtol=1e-9, atol=1e-12)

        def expect(res):
            out, mutated = res
            if mutated:
                return "your function changed the caller's x0"
            return inner(out)
        return expect

    quad = lambda x: 4.0 * x                                # f = 2x², L = 4
    ellipse = lambda x: np.array([1.0, 10.0]) * x           # f = ½(x² + 10y²)
    one, two = np.array([1.0]), np.array([1.0, 1.0])
    cases = [
        Case("f = 2x², x0 = [1], lr = 0.1, 3 steps (0.6³)", (quad, one, 0.1, 3), result([0.216])),
        Case("f = ½(x² + 10y²), x0 = [1, 1], lr = 0.05, 10 steps", (ellipse, two, 0.05, 10),
             result([0.95 ** 10, 0.5 ** 10])),
        Case("0 steps returns x0", (ellipse, two, 0.05, 0), result([1.0, 1.0])),
        Case("lr = 0.6 > 2/L = 0.5 on f = 2x²: 5 steps of ×(−1.4)", (quad, one, 0.6, 5),
             result([(-1.4) ** 5])),
    ]

    def final(r, grad_f, x0, lr, steps):          # r is `run` (what run_checks grades)
        return _quiet(r, grad_f, np.array(x0, copy=True), lr, steps)[0]

    def mutates(r):
        return _quiet(r, quad, one.copy(), 0.1, 3)[1]

    q3 = lambda r: final(r, quad, one, 0.1, 3)
    mistakes = [
        Mistake("ascent", lambda r: _near(final(r, ellipse, two, 0.05, 10),
                                          [1.05 ** 10, 1.5 ** 10]),
                "your x runs away from the minimum: the gradient points uphill, so step against "
                "it — x = x − lr·∇f(x), with a minus."),
        Mistake("lr twice", lambda r: _near(q3(r), [0.96 ** 3]) or _near(q3(r), [0.6 ** 6]),
                "the learning rate is applied twice (lr·lr·∇f, or two updates per step). One "
                "step is exactly x ← x − lr·∇f(x)."),
        Mistake("off by one", lambda r: _near(q3(r), [0.6 ** 2]) or _near(q3(r), [0.6 ** 4]),
                "one step too few or too many: `for _ in range(steps)` makes exactly `steps` "
                "updates, and 0 steps returns x0 unchanged."),
        Mistake("x0 changed", mutates,
                "your function changed the caller's x0: `x = x0` does not copy, and `x -= …` then "
                "writes into x0. Start with x = np.array(x0, dtype=float) (a copy), or write "
                "x = x - lr * g, which makes a new array."),
    ]
    return run_checks("gradient_descent", run, cases, mistakes)


# ---------------------------------------------------------------------------------- notebook 08

class _Scalar:
    """A bare node for the backward checkers: data, grad and the inputs it was made from."""

    def __init__(self, data, grad=0.0, children=(), name=""):
        self.data, self.grad, self._prev, self.name = float(data), float(grad), tuple(children), name

    def __repr__(self):
        return f"node {self.name}" if self.name else "node"


def check_div_backward(fn):
    """div_backward(a, b, out) for out = a / b: adds out.grad·(1/b) to a.grad and
    out.grad·(−a/b²) to b.grad.

    Catches: ``=`` instead of ``+=`` (a reused node, or one with earlier contributions, loses
    them), the two inputs' gradients swapped, the minus sign of ∂(a/b)/∂b dropped, and the
    upstream gradient out.grad forgotten (the chain rule's outer factor)."""
    if not callable(fn):
        return run_checks("div_backward", fn, [])
    def run(a, b, g, ga=0.0, gb=0.0):
        """Build out = a / b with out.grad = g, call fn, return [a.grad, b.grad];
        b = None means out = a / a (one node used twice), returning [a.grad]."""
        A = _Scalar(a, ga, name="a")
        B = A if b is None else _Scalar(b, gb, name="b")
        out = _Scalar(A.data / B.data, g, (A, B), name="out")
        fn(A, B, out)
        return np.array([A.grad] if b is None else [A.grad, B.grad])

    cases = [
        Case("a = 3, b = 2, out.grad = 1", (3.0, 2.0, 1.0), close([0.5, -0.75], rtol=1e-9)),
        Case("a = 3, b = 2, out.grad = 2 (the chain rule scales by it)", (3.0, 2.0, 2.0),
             close([1.0, -1.5], rtol=1e-9)),
        Case("a.grad, b.grad already hold 10 and −1 from other paths",
             (3.0, 2.0, 1.0, 10.0, -1.0), close([10.5, -1.75], rtol=1e-9)),
        Case("the same node twice: a / a = 1 for every a, so its gradient is 0",
             (3.0, None, 1.0), close([0.0], atol=1e-12)),
    ]
    at = lambda r, *a: _quiet(r, *a)
    mistakes = [
        Mistake("overwrote", lambda r: _near(at(r, 3.0, 2.0, 1.0, 10.0, -1.0), [0.5, -0.75])
                or _near(at(r, 3.0, None, 1.0), [-1 / 3]),
                "use += : a node can feed several operations (or the same one twice, as in a/a), "
                "and its gradient is the sum of all those contributions. `a.grad = …` throws "
                "the earlier ones away."),
        Mistake("swapped", lambda r: _near(at(r, 3.0, 2.0, 1.0), [-0.75, 0.5]),
                "the two gradients are swapped: ∂(a/b)/∂a = 1/b goes to a.grad, and "
                "∂(a/b)/∂b = −a/b² goes to b.grad."),
        Mistake("sign", lambda r: _near(at(r, 3.0, 2.0, 1.0), [0.5, 0.75]),
                "b.grad has the wrong sign: a larger b makes a/b smaller, so ∂(a/b)/∂b = −a/b² "
                "is negative (for a, b > 0)."),
        Mistake("no out.grad", lambda r: _near(at(r, 3.0, 2.0, 2.0), [0.5, -0.75]),
                "multiply by out.grad: the chain rule says ∂L/∂a = ∂L/∂out · ∂out/∂a, and "
                "out.grad is ∂L/∂out (here 2, not 1)."),
    ]
    return run_checks("div_backward", run, cases, mistakes)


def check_topological_order(fn):
    """topological_order(root) → every node root depends on, each exactly once and after all
    of its inputs (``node._prev``), root last — without recursion.

    Catches: duplicates (no "seen" set, so a reused node is listed twice), root first (the order
    backward() uses, not this one), a node listed before its inputs (pre-order), missing nodes,
    and recursion, which fails on a deep graph (a chain of 20 000 operations)."""
    def graphs():
        x, w, b = _Scalar(2, name="x"), _Scalar(-3, name="w"), _Scalar(1, name="b")
        m = _Scalar(0, children=(x, w), name="x*w")
        s = _Scalar(0, children=(m, b), name="x*w + b")
        neuron = _Scalar(0, children=(s,), name="tanh")
        a = _Scalar(1, name="a")
        p, q = _Scalar(0, children=(a,), name="exp(a)"), _Scalar(0, children=(a,), name="tanh(a)")
        diamond = _Scalar(0, children=(p, q), name="exp(a) + tanh(a)")
        c = _Scalar(1, name="c")
        cc = _Scalar(0, children=(c, c), name="c*c")
        square = _Scalar(0, children=(cc, c), name="c*c + c")
        chain = _Scalar(1, name="x0")
        for i in range(20000):
            chain = _Scalar(0, children=(chain,), name=f"x{i + 1}")
        return {"leaf": _Scalar(1, name="leaf"), "neuron": neuron, "diamond": diamond,
                "square": square, "chain": chain}

    G = graphs()
    cases = [Case("a single leaf", (G["leaf"],), _valid_order(G["leaf"])),
             Case("a neuron tanh(x·w + b)", (G["neuron"],), _valid_order(G["neuron"])),
             Case("a reused node: exp(a) + tanh(a)", (G["diamond"],), _valid_order(G["diamond"])),
             Case("the same input twice: c·c + c", (G["square"],), _valid_order(G["square"])),
             Case("a chain of 20 000 operations", (G["chain"],), _valid_order(G["chain"]))]
    order = lambda f, g: _quiet(f, G[g])

    def raises_recursion(f):
        try:
            order(f, "chain")
        except RecursionError:
            return True
        return False

    def ids(f, g):
        return [id(v) for v in order(f, g)]

    mistakes = [
        Mistake("recursion", raises_recursion,
                "your function recurses once per node, and Python stops at about a thousand "
                "nested calls (RecursionError). Keep your own stack (a list): push (node, "
                "False) to visit it, (node, True) to mean 'its inputs are done, append it'."),
        Mistake("duplicates", lambda f: len(set(ids(f, "diamond"))) < len(ids(f, "diamond"))
                or len(set(ids(f, "square"))) < len(ids(f, "square")),
                "a reused node appears more than once, so backward would run its _backward "
                "twice. Keep a set of nodes already visited and skip them."),
        Mistake("root first", lambda f: ids(f, "neuron")[:1] == [id(G["neuron"])]
                and ids(f, "neuron")[-1:] != [id(G["neuron"])],
                "your list starts with the root. Here inputs come first and the root last; "
                "backward() walks the list reversed (reversed(order))."),
        Mistake("pre-order", lambda f: _valid_order(G["diamond"])(order(f, "diamond"))
                is not None and len(set(ids(f, "diamond"))) == len(ids(f, "diamond")) == 4,
                "some node is listed before one of its inputs. Append a node only once all "
                "its inputs are in the list: visit the inputs first, then the node (post-order)."),
    ]
    return run_checks("topological_order", fn, cases, mistakes)


def _reachable(root):
    seen, stack = {id(root): root}, [root]
    while stack:
        for c in stack.pop()._prev:
            if id(c) not in seen:
                seen[id(c)] = c
                stack.append(c)
    return seen


def _valid_order(root):
    nodes = _reachable(root)

    def expect(out):
        try:
            out = list(out)
        except TypeError:
            return f"expected a list of nodes, got {type(out).__name__}"
        got = [id(v) for v in out]
        if len(set(got)) < len(got):
            return "some node appears more than once"
        missing = set(nodes) - set(got)
        if missing:
            return f"{len(missing)} of the {len(nodes)} nodes are missing, e.g. " \
                   f"{nodes[next(iter(missing))]!r}"
        if set(got) - set(nodes):
            return "the list contains something that is not a node of this graph"
        where = {i: k for k, i in enumerate(got)}
        for v in out:
            for c in v._prev:
                if where[id(c)] > where[id(v)]:
                    return f"{v!r} comes before its input {c!r}"
        if got[-1] != id(root):
            return "the root should come last"
        return None
    return expect
