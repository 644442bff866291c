"""Checkers for the calculus notebooks 09–11: backpropagation, curvature and Newton's method,
integration and Monte Carlo. Each lists its cases and the classic mistakes it recognises; the
expected values are hand-computed numbers or closed forms written out here, never a reference
solution's output."""
import math

import numpy as np

from .core import Case, Mistake, close, equal, run_checks, _call

__all__ = ["check_linear_backward", "check_softmax_cross_entropy_grad", "check_tanh_backward",
           "check_newton_step", "check_hessian_fd", "check_classify_stationary_point",
           "check_trapezoid", "check_monte_carlo", "check_euler_gradient_flow"]


def _arr(out):
    return np.asarray(getattr(out, "data", out), dtype=float)


def _parts(names, expected, rtol=1e-6, atol=1e-9):
    """An ``expect`` for functions that return a tuple of arrays, e.g. (dX, dW, db)."""
    checks = [close(e, rtol, atol) for e in expected]

    def expect(out):
        if not isinstance(out, (tuple, list)) or len(out) != len(names):
            return f"return a tuple of {len(names)} values ({', '.join(names)})"
        for name, part, check in zip(names, out, checks):
            problem = check(part)
            if problem:
                return f"{name}: {problem}"
        return None
    return expect


def _same(a, b, atol=1e-9):
    a, b = _arr(a), np.asarray(b, dtype=float)
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-6, atol=atol)


# ---------------------------------------------------------------------------------------------
# 09 · backpropagation
# ---------------------------------------------------------------------------------------------

# A hand-computed linear layer: X (2×3), W (3×2), dZ (2×2)
_LX = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
_LW = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
_LDZ = np.array([[1.0, -1.0], [2.0, 0.0]])
_LDX = np.array([[1.0, -1.0, 0.0], [2.0, 0.0, 2.0]])           # dZ Wᵀ
_LDW = np.array([[9.0, -1.0], [12.0, -2.0], [15.0, -3.0]])      # Xᵀ dZ
_LDB = np.array([3.0, -1.0])                                    # column sums of dZ
# A square one (3 inputs, 3 outputs) with a non-symmetric W, to tell W from Wᵀ
_SX = np.array([[1.0, 0.0, 2.0], [0.0, 1.0, -1.0]])
_SW = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, 3.0], [4.0, 0.0, 1.0]])
_SDZ = np.array([[1.0, 0.0, -1.0], [0.0, 2.0, 1.0]])


def check_linear_backward(fn):
    """linear_backward(X, W, dZ) → (dX, dW, db) for Z = XW + b, given dZ = ∂L/∂Z.

    dX = dZ Wᵀ (shape of X), dW = Xᵀ dZ (shape of W), db = Σ over the batch of dZ (shape of b).
    Catches: dW transposed (dZᵀX), dX with W instead of Wᵀ, db not summed over the batch (dZ
    returned as it is), db averaged instead of summed."""
    rng = np.random.default_rng(9)
    X, W, dZ = rng.standard_normal((5, 4)), rng.standard_normal((4, 3)), rng.standard_normal((5, 3))
    names = ("dX", "dW", "db")
    cases = [
        Case("X 2×3, W 3×2 (hand-computed)", (_LX, _LW, _LDZ), _parts(names, (_LDX, _LDW, _LDB))),
        Case("a square layer, W not symmetric", (_SX, _SW, _SDZ),
             _parts(names, (_SDZ @ _SW.T, _SX.T @ _SDZ, _SDZ.sum(axis=0)))),
        Case("a batch of 5, 4 inputs → 3 outputs", (X, W, dZ),
             _parts(names, (dZ @ W.T, X.T @ dZ, dZ.sum(axis=0)))),
    ]

    def part(f, args, i):
        return _arr(_call(f, args)[i])

    mistakes = [
        Mistake("dW transposed",
                lambda f: part(f, (_LX, _LW, _LDZ), 1).shape == (2, 3)
                or _same(part(f, (_SX, _SW, _SDZ), 1), (_SX.T @ _SDZ).T),
                "dW must have the shape of W (inputs × outputs): dW = Xᵀ dZ. Writing dZᵀ X gives "
                "its transpose. Shape-check every gradient: it always has the shape of the thing "
                "it is the gradient of."),
        Mistake("dX with W, not Wᵀ", lambda f: _same(part(f, (_SX, _SW, _SDZ), 0), _SDZ @ _SW),
                "going backwards through Z = XW multiplies by the transpose: dX = dZ Wᵀ. dZ has "
                "one column per output, Wᵀ maps outputs back to inputs."),
        Mistake("db not summed", lambda f: part(f, (_LX, _LW, _LDZ), 2).shape == _LDZ.shape,
                "b is added to every row of the batch, so its gradient collects a contribution "
                "from every row: db = dZ.sum(axis=0), a vector with the shape of b."),
        Mistake("db averaged", lambda f: _same(part(f, (_LX, _LW, _LDZ), 2), _LDZ.mean(axis=0)),
                "db should be the sum over the batch, not the mean. If the loss is a mean, its "
                "1/N is already inside dZ — dividing again counts it twice."),
    ]
    return run_checks("linear_backward", fn, cases, mistakes)


def _softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


_CE_Z = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
_CE_Y = np.array([2, 0])
_CE_ONEHOT = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
_CE_GRAD = (_softmax(_CE_Z) - _CE_ONEHOT) / 2


def check_softmax_cross_entropy_grad(fn):
    """softmax_cross_entropy_grad(logits, y) = ∂/∂logits of the mean cross-entropy
    = (softmax(logits) − onehot(y)) / N.

    Catches: forgetting to divide by the batch size N, subtracting the one-hot from the logits
    instead of the probabilities, the sign flipped (one-hot − p), overflow (no max-shift)."""
    third, sixth = 1 / 3, 1 / 6                     # p = 1/3 everywhere; (p − 1)/2 = −1/3
    cases = [
        Case("all logits 0, labels [0, 2]", (np.zeros((2, 3)), np.array([0, 2])),
             close([[-third, sixth, sixth], [sixth, sixth, -third]])),
        Case("logits [[1, 2, 3], [0, 0, 0]], labels [2, 0]", (_CE_Z, _CE_Y), close(_CE_GRAD)),
        Case("one example, 4 classes", (np.array([[0.0, math.log(2), math.log(3), 0.0]]),
                                        np.array([1])),
             close([[1 / 7, 2 / 7 - 1, 3 / 7, 1 / 7]])),
        Case("huge logits [[1000, 1001, 1002]], label 2",
             (np.array([[1000.0, 1001.0, 1002.0]]), np.array([2])), close(_CE_GRAD[:1] * 2)),
    ]

    def out(f, z=_CE_Z, y=_CE_Y):
        return _arr(_call(f, (z, y)))

    mistakes = [
        Mistake("not divided by N", lambda f: _same(out(f), 2 * _CE_GRAD),
                "the loss is the mean over the batch, so each example's gradient p − onehot is "
                "divided by the batch size N = len(y)."),
        Mistake("logits minus one-hot", lambda f: _same(out(f), (_CE_Z - _CE_ONEHOT) / 2)
                or _same(out(f), _CE_Z - _CE_ONEHOT),
                "subtract the one-hot from the probabilities softmax(logits), not from the "
                "logits themselves: ∂CE/∂z = softmax(z) − onehot(y)."),
        Mistake("sign flipped", lambda f: _same(out(f), -_CE_GRAD) or _same(out(f), -2 * _CE_GRAD),
                "the sign is flipped: the gradient is p − onehot (the true class's probability "
                "should go up, so its gradient is negative)."),
        Mistake("overflow", lambda f: not np.all(np.isfinite(
            out(f, np.array([[1000.0, 1001.0, 1002.0]]), np.array([2])))),
            "exp(1000) overflows: compute softmax with the largest logit subtracted first."),
    ]
    return run_checks("softmax_cross_entropy_grad", fn, cases, mistakes)


def check_tanh_backward(fn):
    """tanh_backward(dH, H) = dH ⊙ (1 − H²), where H = tanh(A) is the layer's *output*.

    Catches: applying tanh again (1 − tanh(H)²), forgetting to multiply by the incoming dH,
    using the sigmoid's derivative H(1 − H)."""
    rng = np.random.default_rng(10)
    H = np.tanh(rng.standard_normal((4, 3)))
    dH = rng.standard_normal((4, 3))
    cases = [
        Case("dH = [[1, 2]], H = [[0, 0.5]]", (np.array([[1.0, 2.0]]), np.array([[0.0, 0.5]])),
             close([[1.0, 1.5]])),
        Case("saturated units H = ±0.9", (np.ones((1, 3)), np.array([[0.9, -0.9, 0.0]])),
             close([[0.19, 0.19, 1.0]])),
        Case("a 4×3 batch", (dH, H), close(dH * (1 - H ** 2))),
    ]
    h, g = np.array([[0.5, -0.5]]), np.array([[2.0, 3.0]])
    out = lambda f: _arr(_call(f, (g, h)))
    mistakes = [
        Mistake("tanh applied twice", lambda f: _same(out(f), g * (1 - np.tanh(h) ** 2)),
                "H is already tanh(A): the derivative is 1 − H², not 1 − tanh(H)²."),
        Mistake("dH forgotten", lambda f: _same(out(f), 1 - h ** 2),
                "chain rule: multiply the local derivative 1 − H² by the gradient arriving from "
                "above, dH."),
        Mistake("sigmoid derivative", lambda f: _same(out(f), g * h * (1 - h)),
                "H(1 − H) is the sigmoid's derivative; tanh's is 1 − H²."),
    ]
    return run_checks("tanh_backward", fn, cases, mistakes)


# ---------------------------------------------------------------------------------------------
# 10 · curvature and Newton's method
# ---------------------------------------------------------------------------------------------

_NH = np.array([[2.0, 1.0], [1.0, 3.0]])
_NG = np.array([1.0, 2.0])
_NX = np.array([1.0, -1.0])
_NNEW = _NX - np.array([0.2, 0.6])                 # H⁻¹g = [[3, −1], [−1, 2]]/5 · g = [0.2, 0.6]


def check_newton_step(fn):
    """newton_step(x, g, H) = x − H⁻¹ g (solve H p = g; never multiply by H).

    Catches: multiplying by H instead of solving with it, the + sign, dividing by the diagonal
    of H (ignoring the off-diagonal curvature), forgetting to start from x."""
    A = np.array([[4.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 2.0]])
    b = np.array([1.0, -2.0, 3.0])
    x0 = np.array([5.0, 5.0, -5.0])

    def lands_on_minimum(out):
        out = _arr(out)
        if out.shape != (3,):
            return f"expected shape (3,), got {out.shape}"
        r = A @ out - b
        if not np.allclose(r, 0, atol=1e-8):
            return ("one Newton step on a quadratic ½xᵀAx − bᵀx must land on its minimum "
                    f"(where Ax = b), but Ax − b = {np.round(r, 4)}")
        return None

    cases = [
        Case("diagonal H = diag(2, 4), g = [2, 8] at x = [1, 1]",
             (np.array([1.0, 1.0]), np.array([2.0, 8.0]), np.diag([2.0, 4.0])), close([0.0, -1.0])),
        Case("H = [[2, 1], [1, 3]], g = [1, 2] at x = [1, −1]", (_NX, _NG, _NH), close(_NNEW)),
        Case("a 3-D quadratic: one step from [5, 5, −5]", (x0, A @ x0 - b, A), lands_on_minimum),
    ]
    out = lambda f: _arr(_call(f, (_NX, _NG, _NH)))
    mistakes = [
        Mistake("multiplied by H", lambda f: _same(out(f), _NX - _NH @ _NG),
                "the Newton step divides by the curvature: solve H p = g (np.linalg.solve(H, g)) "
                "and use x − p. Multiplying by H makes steep directions take even bigger steps."),
        Mistake("wrong sign", lambda f: _same(out(f), _NX + (_NX - _NNEW)),
                "step against the gradient: x − H⁻¹g. With + you walk uphill."),
        Mistake("divided by the diagonal", lambda f: _same(out(f), _NX - _NG / np.diag(_NH)),
                "dividing g by the diagonal of H ignores how the coordinates interact (the "
                "off-diagonal entries). Solve the full system H p = g."),
        Mistake("forgot x", lambda f: _same(out(f), _NNEW - _NX),
                "the step is taken from the current point: return x − H⁻¹g, not just −H⁻¹g."),
    ]
    return run_checks("newton_step", fn, cases, mistakes)


def _grad_x3y(p):                 # f(x, y) = x³y  →  ∇f = (3x²y, x³)
    p = np.asarray(p, dtype=float)
    return np.array([3 * p[0] ** 2 * p[1], p[0] ** 3])


_FD_X = np.array([1.0, 2.0])
_FD_H = np.array([[12.0, 3.0], [3.0, 0.0]])        # [[6xy, 3x²], [3x², 0]] at (1, 2)
_QA = np.array([[3.0, 1.0, 0.0], [1.0, 2.0, -1.0], [0.0, -1.0, 4.0]])
_QB = np.array([1.0, 0.0, -1.0])


def _grad_quad(p):                # f = ½xᵀAx − bᵀx  →  ∇f = Ax − b, ∇²f = A
    return _QA @ np.asarray(p, dtype=float) - _QB


def check_hessian_fd(fn):
    """hessian_fd(grad_f, x, h) — column j = (∇f(x + h eⱼ) − ∇f(x − h eⱼ)) / 2h, then
    symmetrised: ½(H + Hᵀ).

    Catches: an unsymmetrised (slightly asymmetric) result, forward instead of central
    differences, dividing by h instead of 2h, perturbing all coordinates at once."""
    sin, cos, ex = math.sin(0.5), math.cos(0.5), math.exp(-0.3)

    def grad_sin_exp(p):          # f = sin(x)·eʸ
        p = np.asarray(p, dtype=float)
        return np.array([np.cos(p[0]) * np.exp(p[1]), np.sin(p[0]) * np.exp(p[1])])

    def symmetric(out):
        out = _arr(out)
        if out.shape != (2, 2):
            return f"expected shape (2, 2), got {out.shape}"
        if not np.array_equal(out, out.T):
            return ("the result is not exactly symmetric: H[0, 1] = "
                    f"{out[0, 1]!r} but H[1, 0] = {out[1, 0]!r}")
        return None

    cases = [
        Case("f = x³y at (1, 2), h = 1e-3", (_grad_x3y, _FD_X, 1e-3), close(_FD_H, atol=1e-5)),
        Case("f = x³y at (1, 2): symmetric", (_grad_x3y, _FD_X, 1e-3), symmetric),
        Case("f = ½xᵀAx − bᵀx in 3-D (H = A)", (_grad_quad, np.array([0.5, -1.0, 2.0]), 1e-4),
             close(_QA, atol=1e-6)),
        Case("f = sin(x)·eʸ at (0.5, −0.3)", (grad_sin_exp, np.array([0.5, -0.3]), 1e-4),
             close([[-sin * ex, cos * ex], [cos * ex, sin * ex]], atol=1e-6)),
    ]
    x3 = np.array([0.5, -1.0, 2.0])
    quad = lambda f: _arr(_call(f, (_grad_quad, x3, 1e-4)))
    cubic = lambda f: _arr(_call(f, (_grad_x3y, _FD_X, 1e-3)))
    col = (_QA @ np.ones(3))[:, None] * np.ones((1, 3))
    mistakes = [
        Mistake("not symmetric", lambda f: np.allclose(cubic(f), _FD_H, atol=1e-5)
                and not np.array_equal(cubic(f), cubic(f).T),
                "finite differences give a Hessian that is only nearly symmetric (each column "
                "has its own rounding and truncation error). A true Hessian is symmetric: return "
                "(H + H.T) / 2."),
        Mistake("forward difference", lambda f: 1e-4 < np.max(np.abs(cubic(f) - _FD_H)) < 0.05,
                "the error is of order h, the signature of a forward difference. Use the central "
                "difference (∇f(x + h eⱼ) − ∇f(x − h eⱼ)) / 2h: its error is of order h²."),
        Mistake("divided by h", lambda f: np.allclose(quad(f), 2 * _QA, atol=1e-5),
                "every entry is twice too big: the central difference spans from x − h to x + h, "
                "a distance of 2h, so divide by 2h."),
        Mistake("all coordinates at once", lambda f: np.allclose(quad(f), col, atol=1e-5)
                or np.allclose(quad(f), (col + col.T) / 2, atol=1e-5),
                "perturb one coordinate at a time: x + h·eⱼ changes only coordinate j "
                "(e = np.zeros_like(x); e[j] = h). Adding h to all of x measures H·[1, …, 1]."),
    ]
    return run_checks("hessian_fd", fn, cases, mistakes)


def check_classify_stationary_point(fn):
    """classify_stationary_point(H) → "minimum" | "maximum" | "saddle" | "degenerate", from the
    signs of the eigenvalues of the (symmetric) Hessian H.

    Catches: reading the signs of the diagonal entries, deciding from the determinant alone,
    calling a point with a zero eigenvalue a minimum."""
    cases = [
        Case("H = diag(2, 3)", (np.diag([2.0, 3.0]),), equal("minimum")),
        Case("H = diag(−1, −4)", (np.diag([-1.0, -4.0]),), equal("maximum")),
        Case("H = diag(2, −2), the saddle x² − y²", (np.diag([2.0, -2.0]),), equal("saddle")),
        Case("H = [[1, 3], [3, 1]] (positive diagonal)", (np.array([[1.0, 3.0], [3.0, 1.0]]),),
             equal("saddle")),
        Case("H = diag(1, −1, −1) in 3-D (det > 0)", (np.diag([1.0, -1.0, -1.0]),),
             equal("saddle")),
        Case("H = [[1, 1], [1, 1]] (eigenvalues 2 and 0)", (np.ones((2, 2)),),
             equal("degenerate")),
        Case("H = [[−2, 1], [1, −2]]", (np.array([[-2.0, 1.0], [1.0, -2.0]]),), equal("maximum")),
    ]
    call = lambda f, H: _call(f, (np.asarray(H, dtype=float),))
    mistakes = [
        Mistake("looked at the diagonal", lambda f: call(f, [[1, 3], [3, 1]]) == "minimum",
                "the diagonal entries are the curvatures along the axes only. [[1, 3], [3, 1]] "
                "curves up along x and y but down along (1, −1): use the eigenvalues "
                "(np.linalg.eigvalsh)."),
        Mistake("determinant only", lambda f: call(f, np.diag([-1.0, -4.0])) == "minimum"
                or call(f, np.diag([1.0, -1.0, -1.0])) in ("minimum", "maximum"),
                "det > 0 does not mean a minimum: the determinant is the product of the "
                "eigenvalues, and two (or any even number of) negative ones multiply to a "
                "positive number. Look at the sign of every eigenvalue."),
        Mistake("zero eigenvalue ignored", lambda f: call(f, np.ones((2, 2))) == "minimum",
                "with a zero eigenvalue the second-order test cannot decide (x⁴, −x⁴ and x³ all "
                "have f'' = 0 at 0): return 'degenerate' when no eigenvalue is negative-and-"
                "positive and one is (nearly) zero."),
    ]
    return run_checks("classify_stationary_point", fn, cases, mistakes)


# ---------------------------------------------------------------------------------------------
# 11 · integration, Monte Carlo and gradient flow
# ---------------------------------------------------------------------------------------------

def _square(x):
    return np.asarray(x, dtype=float) ** 2


def check_trapezoid(fn):
    """trapezoid(f, a, b, n) = h·(f₀/2 + f₁ + … + f_{n−1} + f_n/2), h = (b − a)/n, with n
    intervals (n + 1 points).

    Catches: endpoints counted with full weight, n points instead of n intervals (off by one),
    a left Riemann sum instead of trapezoids."""
    cases = [
        Case("∫₀¹ x² dx with n = 2", (_square, 0.0, 1.0, 2), close(0.375)),
        Case("∫₀¹ x² dx with n = 1", (_square, 0.0, 1.0, 1), close(0.5)),
        Case("∫₀² (3x + 1) dx with n = 5 (exact for a line)",
             (lambda x: 3 * np.asarray(x, dtype=float) + 1, 0.0, 2.0, 5), close(8.0)),
        Case("∫₀¹ eˣ dx with n = 1000", (np.exp, 0.0, 1.0, 1000), close(math.e - 1, rtol=1e-6)),
        Case("∫ from 1 to 3 of x² with n = 4", (_square, 1.0, 3.0, 4), close(8.75)),
    ]
    val = lambda f: float(_arr(_call(f, (_square, 0.0, 1.0, 2))))
    mistakes = [
        Mistake("endpoints counted fully", lambda f: math.isclose(val(f), 0.625),
                "the two endpoints belong to one trapezoid each, so they get weight ½: "
                "h·(f₀/2 + f₁ + … + f_{n−1} + f_n/2)."),
        Mistake("n points, not n intervals", lambda f: math.isclose(val(f), 0.5)
                or math.isclose(val(f), 0.25),
                "n intervals need n + 1 points: np.linspace(a, b, n + 1), and h = (b − a)/n."),
        Mistake("left Riemann sum", lambda f: math.isclose(val(f), 0.125),
                "that is a left Riemann sum (rectangles with the left height). A trapezoid "
                "averages both ends: h·(f(xᵢ) + f(xᵢ₊₁))/2 for each interval."),
    ]
    return run_checks("trapezoid", fn, cases, mistakes)


def check_monte_carlo(fn):
    """monte_carlo(g, x) → (estimate, standard_error): the mean of g(xᵢ) over the samples x and
    its standard error s/√n, s the sample standard deviation of g(xᵢ) (ddof = 1).

    Catches: dividing by n instead of √n, the variance instead of the standard deviation, the
    population standard deviation (ddof = 0), forgetting to apply g."""
    x1 = np.array([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0])
    x3 = np.arange(5.0)
    line = lambda x: 2 * np.asarray(x, dtype=float) + 1
    cases = [
        Case("g(x) = x on [2, 4, 4, 4, 5, 5, 7, 9]", (lambda x: np.asarray(x, dtype=float), x1),
             _parts(("estimate", "standard error"), (5.0, math.sqrt(4 / 7)))),
        Case("g(x) = x² on [1, −1, 1, −1] (no spread)", (_square, np.array([1.0, -1, 1, -1])),
             _parts(("estimate", "standard error"), (1.0, 0.0))),
        Case("g(x) = 2x + 1 on [0, 1, 2, 3, 4]", (line, x3),
             _parts(("estimate", "standard error"), (5.0, math.sqrt(2)))),
    ]

    def se(f):
        return float(_arr(_call(f, (line, x3))[1]))

    mistakes = [
        Mistake("divided by n", lambda f: math.isclose(se(f), math.sqrt(10) / 5)
                or math.isclose(se(f), math.sqrt(8) / 5),
                "the standard error shrinks like 1/√n, not 1/n: s / np.sqrt(n)."),
        Mistake("variance, not std", lambda f: any(math.isclose(se(f), v / math.sqrt(5))
                                                   for v in (10.0, 8.0)),
                "use the standard deviation s (np.std), not the variance s²: the error is "
                "measured in the same units as the estimate."),
        Mistake("ddof = 0", lambda f: math.isclose(se(f), math.sqrt(8 / 5)),
                "use the sample standard deviation, which divides by n − 1: np.std(v, ddof=1). "
                "(The mean was estimated from the same samples, which uses up one degree of "
                "freedom.)"),
        Mistake("g not applied", lambda f: math.isclose(float(_arr(_call(f, (line, x3))[0])), 2.0),
                "apply g to the samples first: average g(x), not x."),
    ]
    return run_checks("monte_carlo", fn, cases, mistakes)


def check_euler_gradient_flow(fn):
    """euler_gradient_flow(grad_f, x0, eta, steps) → array of shape (steps + 1, d): the Euler
    steps x_{k+1} = x_k − η∇f(x_k) of the gradient flow ẋ = −∇f(x), starting with x0.

    Catches: the + sign (gradient ascent), the same array appended every step and updated in
    place (all rows equal), x0 missing from the path (off by one)."""
    two_x = lambda x: 2 * np.asarray(x, dtype=float)
    A = np.diag([1.0, 10.0])
    cases = [
        Case("f = x², x0 = 1, η = 0.25, 3 steps", (two_x, np.array([1.0]), 0.25, 3),
             close([[1.0], [0.5], [0.25], [0.125]])),
        Case("f = ½(x² + 10y²), x0 = (1, 1), η = 0.1, 2 steps",
             (lambda x: A @ np.asarray(x, dtype=float), np.array([1.0, 1.0]), 0.1, 2),
             close([[1.0, 1.0], [0.9, 0.0], [0.81, 0.0]])),
        Case("f = x², η = 1.5 > 2/L = 1: the steps blow up", (two_x, np.array([1.0]), 1.5, 3),
             close([[1.0], [-2.0], [4.0], [-8.0]])),
    ]
    path = lambda f: _arr(_call(f, (two_x, np.array([1.0]), 0.25, 3)))
    mistakes = [
        Mistake("plus sign", lambda f: _same(path(f), [[1.0], [1.5], [2.25], [3.375]]),
                "gradient flow runs downhill: x ← x − η∇f(x)."),
        Mistake("same array appended", lambda f: _same(path(f), np.full((4, 1), 0.125)),
                "every row is the last point: the same array was appended each step and then "
                "changed in place (x -= …). Append x.copy(), or write x = x − η * grad_f(x), "
                "which makes a new array."),
        Mistake("x0 missing", lambda f: _same(path(f), [[0.5], [0.25], [0.125]]),
                "the path should start with x0 itself: steps + 1 rows, x0 first."),
    ]
    return run_checks("euler_gradient_flow", fn, cases, mistakes)
