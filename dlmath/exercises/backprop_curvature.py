"""Checkers for the calculus notebooks 09–11: backpropagation, curvature and Newton's method,
integration and Monte Carlo. Each lists its cases and the classic mistakes it recognises; the
expected values are hand-computed numbers or closed forms written out here, never a reference
solution's output. Each then runs a seeded sweep of random inputs — degenerate corners first —
against an independent oracle: a float64 autograd run for the backward passes, sech²(artanh H)
for tanh′, exact central differences of random polynomials for the Hessian, spectra chosen
before the matrix is built (and recomputed by mpmath) for the stationary points, the
Euler–Maclaurin formula (exact for polynomials) for the trapezoid rule, and two-pass sample
statistics with exactly rounded sums for Monte Carlo."""
import functools
import math

import mpmath
import numpy as np
from numpy.polynomial import polynomial as P

from .core import Case, Mistake, Sweep, close, equal, fmt, run_checks, _call
from .core import as_array as _arr
from .differentiation import (_EPS, _half_integers, _named, _poly1, _random_polyN, _terms_str,
                              _within, _wrong, _raw)
from ..autograd import tensor, logsumexp

__all__ = ["check_linear_backward", "check_softmax_cross_entropy_grad", "check_tanh_backward",
           "check_newton_minimize", "check_hessian_fd", "check_classify_stationary_point",
           "check_trapezoid", "check_monte_carlo", "check_minibatch_noise"]


def _parts(names, expected, rtol=1e-6, atol=1e-9):
    """An ``expect`` for functions that return a tuple of arrays, e.g. (dX, dW, db)."""
    checks = [close(e, rtol, atol) for e in expected]

    def expect(out):
        if isinstance(out, np.ndarray) and out.shape == (len(names),):
            out = tuple(out)             # (estimate, error) returned as one array: fine
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


def _linear_autograd(X, W, dZ):
    """(dX, dW, db) from a float64 autograd run: Z = XW + b with b = 0, and L = Σ Z ⊙ dZ, whose
    gradient with respect to Z is dZ."""
    Xt, Wt = tensor(np.array(X, dtype=float), requires_grad=True), \
        tensor(np.array(W, dtype=float), requires_grad=True)
    bt = tensor(np.zeros(np.shape(W)[1]), requires_grad=True)
    ((Xt @ Wt + bt) * tensor(np.array(dZ, dtype=float))).sum().backward()
    return Xt.grad.data, Wt.grad.data, bt.grad.data


def _parts_within(names, expected, rel=1e-9, what=None):
    """An ``expect`` for a tuple of arrays, each within rel × (its scale) of expected."""
    expected = [np.asarray(e, dtype=float) for e in expected]

    def expect(out):
        if isinstance(out, np.ndarray) and len(names) > 1 and out.shape[:1] == (len(names),):
            out = list(out)
        if not isinstance(out, (tuple, list)) or len(out) != len(names):
            return f"return a tuple of {len(names)} values ({', '.join(names)})"
        for name, part, e in zip(names, out, expected):
            scale = 1 + np.max(np.abs(e), initial=0)
            problem = _within(part, e, rel * scale, f"{name}" if what is None else what)
            if problem:
                return f"{name}: {problem}"
        return None
    return expect


def _linear_sweep():
    """Shapes (N, d_in, d_out) where wrong products still fit — batch size 1, one input, one
    output, square — or fit only one way round ((1, 3) against (3, 1)), with integer X or dZ;
    the oracle is a float64 autograd run."""
    def generate(rng, i):
        corners = [(1, 3, 1), (3, 1, 3), (1, 1, 1), (2, 2, 2), (4, 3, 1), (1, 3, 3), (3, 3, 1),
                   (1, 2, 4)]
        N, d_in, d_out = corners[i] if i < len(corners) else rng.integers(1, 6, 3)
        X = rng.integers(-3, 4, (N, d_in)) if i % 3 == 1 else rng.standard_normal((N, d_in))
        dZ = rng.integers(-2, 3, (N, d_out)) if i % 5 == 2 else rng.standard_normal((N, d_out))
        return X, rng.standard_normal((d_in, d_out)), dZ

    return Sweep(generate, _linear_autograd,
                 lambda out, expected, args: _parts_within(("dX", "dW", "db"), expected)(out),
                 n=200, seed=12,
                 property="backward pass of Z = XW + b (compared with a float64 autograd run)",
                 hint="Any batch size N (also 1), any numbers of inputs and outputs; X may hold "
                      "integers. Each gradient has the shape of its variable.")


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
        return _arr(_raw(f, *args)[i])

    def _all_right(f, args):
        X, W, dZ = args
        try:
            return all(_same(part(f, args, i), e)
                       for i, e in enumerate((dZ @ W.T, X.T @ dZ, dZ.sum(axis=0))))
        except Exception:
            return False

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
        Mistake("db keepdims", lambda f: part(f, (_LX, _LW, _LDZ), 2).shape == (1, 2),
                "db has shape (1, d_out), but b has shape (d_out,): sum over the batch without "
                "keepdims — dZ.sum(axis=0)."),
        Mistake("db over the wrong axis",
                lambda f: _same(part(f, (_LX, _LW, _LDZ), 2), _LDZ.sum(axis=1)),
                "db summed each row of dZ (axis=1); b has one entry per output, so sum each "
                "column — over the batch, axis=0."),
        Mistake("db summed over everything", lambda f: part(f, (_LX, _LW, _LDZ), 2).size == 1,
                "db is one number: you summed over both axes. Sum over the batch only "
                "(axis=0): each output's bias collects the gradients of its own column of dZ."),
        Mistake("averaged over the batch",
                lambda f: _same(part(f, (_LX, _LW, _LDZ), 1), _LDW / 2)
                or _same(part(f, (_LX, _LW, _LDZ), 0), _LDX / 2),
                "dW (or dX) is divided by the batch size: the backward pass of Z = XW + b has no "
                "1/N — if the loss is a mean, its 1/N is already inside dZ. dW = Xᵀ dZ, "
                "dX = dZ Wᵀ."),
        Mistake("batch of one", lambda f: _all_right(f, (_LX[:1], _LW, _LDZ[:1]))
                and not _all_right(f, (_LX, _LW, _LDZ)),
                "right for one example, wrong for a batch: with N rows, dW = Xᵀ dZ sums the "
                "outer products of all N rows (a matrix product, not an elementwise one), and "
                "db = dZ.sum(axis=0)."),
    ]
    return run_checks("linear_backward", fn, cases, mistakes, sweep=_linear_sweep())


def _softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


_CE_Z = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
_CE_Y = np.array([2, 0])
_CE_ONEHOT = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
_CE_GRAD = (_softmax(_CE_Z) - _CE_ONEHOT) / 2


def _ce_autograd(logits, y):
    """∂L/∂logits of L = mean over the rows of (logsumexp(zᵢ) − zᵢ,yᵢ), from a float64
    autograd run (dlmath's logsumexp is shifted per row, so huge logits are safe)."""
    z = tensor(np.array(logits, dtype=float), requires_grad=True)
    y = np.asarray(y)
    (logsumexp(z, dim=1) - z[np.arange(len(y)), y]).mean().backward()
    return z.grad.data


def _ce_sweep():
    """Batches of 1–6 rows and 2–7 classes; logits of every scale, rows offset from each other
    by up to thousands (so a shift by one global max underflows some rows), integer logits,
    int32 labels, every label the same; the oracle is a float64 autograd run."""
    def generate(rng, i):
        corners = [(np.array([[0, 0]]), np.array([1])),
                   (np.array([[1000.0, 1001.0, 1002.0], [0.0, 1.0, 2.0]]), np.array([0, 2])),
                   (np.array([[-1000.0, -999.0, -998.0], [5.0, 4.0, 3.0]]), np.array([1, 1])),
                   (rng.integers(-5, 6, (3, 4)), np.array([3, 0, 3])),
                   (rng.standard_normal((5, 3)), np.zeros(5, dtype=int)),
                   (50 * rng.standard_normal((2, 4)), np.array([2, 1])),
                   (rng.standard_normal((3, 3)), np.array([0, 1, 2], dtype=np.int32)),
                   (rng.standard_normal((1, 7)), np.array([6]))]
        if i < len(corners):
            return corners[i]
        N, K = int(rng.integers(1, 7)), int(rng.integers(2, 8))
        z = rng.standard_normal((N, K)) * rng.choice([1.0, 5.0, 30.0, 300.0])
        z += rng.standard_normal((N, 1)) * rng.choice([0.0, 100.0, 1000.0])
        if rng.random() < 0.15:
            z = np.round(z).astype(int)
        return z, rng.integers(0, K, N)

    def compare(out, expected, args):
        return _within(out, expected, 1e-10 / len(args[1]) + 1e-8 * np.abs(expected),
                       "the gradient (shaped like logits)")

    return Sweep(generate, _ce_autograd, compare, n=200, seed=13,
                 property="gradient of the mean cross-entropy (compared with a float64 autograd "
                          "run)",
                 hint="Rows can differ by thousands (shift each row by its own max), logits can "
                      "be integers, and any batch size N (also 1) is divided out once.")


def check_softmax_cross_entropy_grad(fn):
    """softmax_cross_entropy_grad(logits, y) = ∂/∂logits of the mean cross-entropy
    = (softmax(logits) − onehot(y)) / N.

    The sweep compares with a float64 autograd run of the mean cross-entropy on batches with
    rows thousands apart, integer logits, batch size 1 and repeated labels. Catches: forgetting
    to divide by the batch size N, subtracting the one-hot from the logits instead of the
    probabilities, the sign flipped (one-hot − p), overflow (no max-shift), one global max
    instead of each row's own (rows far below it underflow to 0/0), the column max, and
    dividing by the number of classes."""
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
        return _arr(_raw(f, z, y))

    apart = np.array([[1000.0, 1001.0, 1002.0], [0.0, 1.0, 2.0]])
    by_column = (_softmax(_CE_Z - _CE_Z.max(axis=0)) - _CE_ONEHOT) / 2

    p = np.exp(_CE_Z) / np.exp(_CE_Z).sum(axis=0)               # normalised down each column
    over_batch = (p - _CE_ONEHOT) / 2
    columns = _softmax(_CE_Z)
    columns[:, _CE_Y] -= 1                                        # whole columns, every row
    def classes_from_labels(f):   # right when the top class occurs in y, wrong when not
        z = np.array([[0.0, 1.0, 2.0, 0.5], [1.0, 0.0, 0.0, 2.0]])
        def right(y):
            try:
                return _same(out(f, z, y), (_softmax(z) - np.eye(4)[y]) / 2)
            except Exception:
                return False
        return right(np.array([3, 0])) and not right(np.array([1, 0]))

    def global_max(f):
        try:
            g = out(f, apart, np.array([0, 2]))
        except Exception:
            return False
        good = (_softmax(apart) - np.eye(3)[[0, 2]]) / 2
        return _same(out(f), _CE_GRAD) and not _same(g, good)

    mistakes = [
        Mistake("not divided by N", lambda f: _same(out(f), 2 * _CE_GRAD),
                "the loss is the mean over the batch, so each example's gradient p − onehot is "
                "divided by the batch size N = len(y)."),
        Mistake("divided by the number of classes", lambda f: _same(out(f), 2 * _CE_GRAD / 3),
                "you divided by the number of classes K (logits.shape[1]); the mean is over "
                "the N examples, so divide by N = len(y) = logits.shape[0]."),
        Mistake("logits minus one-hot", lambda f: _same(out(f), (_CE_Z - _CE_ONEHOT) / 2)
                or _same(out(f), _CE_Z - _CE_ONEHOT),
                "subtract the one-hot from the probabilities softmax(logits), not from the "
                "logits themselves: ∂CE/∂z = softmax(z) − onehot(y)."),
        Mistake("sign flipped", lambda f: _same(out(f), -_CE_GRAD) or _same(out(f), -2 * _CE_GRAD),
                "the sign is flipped: the gradient is p − onehot (the true class's probability "
                "should go up, so its gradient is negative)."),
        Mistake("softmax over the batch", lambda f: _same(out(f), over_batch),
                "your probabilities sum to 1 down each column (over the batch). Each example "
                "has its own distribution over the K classes: normalise along each row, "
                "axis=1 (keepdims=True)."),
        Mistake("whole columns", lambda f: _same(out(f), columns / 2),
                "p[:, y] picks whole columns, so every row lost 1 in every labelled class. To "
                "pick one entry per row use p[np.arange(N), y] (or subtract np.eye(K)[y])."),
        Mistake("classes from the labels", classes_from_labels,
                "the number of classes is logits.shape[1], not y.max() + 1: a batch need not "
                "contain every class (here one example of class 1 with K = 4 logits)."),
        Mistake("column max", lambda f: _same(out(f), by_column),
                "you subtracted the maximum of each column (axis=0). Softmax is unchanged only "
                "when a whole row is shifted by the same amount: subtract each row's own "
                "maximum, logits.max(axis=1, keepdims=True)."),
        Mistake("overflow", lambda f: not np.all(np.isfinite(
            out(f, np.array([[1000.0, 1001.0, 1002.0]]), np.array([2])))),
            "exp(1000) overflows: compute softmax with the largest logit subtracted first."),
        Mistake("one global max", global_max,
                "you subtracted one maximum for the whole batch. When rows are far apart (here "
                "[1000, 1001, 1002] and [0, 1, 2]) the lower row becomes exp(−1000) = 0 "
                "everywhere and 0/0 = nan. Subtract each row's own maximum: "
                "logits.max(axis=1, keepdims=True)."),
    ]
    return run_checks("softmax_cross_entropy_grad", fn, cases, mistakes, sweep=_ce_sweep())


def _tanh_oracle(dH, H):
    """dH · tanh′(A) at A = artanh(H), with tanh′ = sech² = 1/cosh² — the derivative of the
    forward function, not the 1 − H² identity. (artanh is accurate to an ulp even next to ±1,
    so sech² comes out with a relative error of about 2|A|ε ≤ 1e-14; |H| = 1 gives 0.)"""
    with np.errstate(divide="ignore"):
        return np.asarray(dH, dtype=float) / np.cosh(np.arctanh(np.asarray(H, float))) ** 2


def _tanh_sweep():
    """Batches (N, d) with N = 1, a single unit, columns and rows; H = tanh(A) from small to
    fully saturated (|H| = 1 exactly), integer or zero dH."""
    def generate(rng, i):
        corners = [(1, 1), (1, 4), (4, 1), (2, 5), (3, 3)]
        N, d = corners[i] if i < len(corners) else rng.integers(1, 6, 2)
        A = rng.standard_normal((N, d)) * rng.choice([0.1, 1.0, 3.0, 30.0])
        dH = rng.standard_normal((N, d)) * 10.0 ** rng.uniform(-2, 2)
        if i % 4 == 1:
            dH = rng.integers(-3, 4, (N, d))
        if i == 3:
            dH = np.zeros((N, d))
        return dH, np.tanh(A)

    def compare(out, expected, args):
        return _within(out, expected, 1e-12 * (1 + np.abs(np.asarray(args[0], float)))
                       + 1e-9 * np.abs(expected), "dA (shaped like H)")

    return Sweep(generate, _tanh_oracle, compare, n=200, seed=14,
                 property="equation dA = dH·tanh′(A) with A = artanh(H) (tanh′ = 1/cosh²)",
                 hint="Any batch size (also 1) and any number of units; H can be ±1 (saturated) "
                      "and dH can be an integer array.")


def check_tanh_backward(fn):
    """tanh_backward(dH, H) = dH ⊙ (1 − H²), where H = tanh(A) is the layer's *output*.

    The sweep compares with dH·sech²(artanh H) (accurate to ~1e-14), on batch size 1,
    single units, saturated units (|H| = 1) and integer dH. Catches: applying tanh again
    (1 − tanh(H)²), forgetting to multiply by the incoming dH, using the sigmoid's derivative
    H(1 − H), the square left out (1 − H) or put on the difference ((1 − H)²), and a matrix
    product where the chain rule multiplies elementwise."""
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
    out = lambda f: _arr(_raw(f, g, h))
    square = (np.array([[1.0, 2.0], [-1.0, 0.5]]), np.array([[0.5, -0.2], [0.8, 0.1]]))

    def matrix_product(f):        # on a square batch a matrix product has the right shape
        dH, D = square[0], 1 - square[1] ** 2
        got = _raw(f, *square)
        return any(_same(got, p) for p in (dH @ D, D @ dH, dH @ D.T, D.T @ dH, dH.T @ D))

    mistakes = [
        Mistake("tanh applied twice", lambda f: _same(out(f), g * (1 - np.tanh(h) ** 2)),
                "H is already tanh(A): the derivative is 1 − H², not 1 − tanh(H)²."),
        Mistake("dH forgotten", lambda f: _same(out(f), 1 - h ** 2),
                "chain rule: multiply the local derivative 1 − H² by the gradient arriving from "
                "above, dH."),
        Mistake("sigmoid derivative", lambda f: _same(out(f), g * h * (1 - h)),
                "H(1 − H) is the sigmoid's derivative; tanh's is 1 − H²."),
        Mistake("plus sign", lambda f: _same(out(f), g * (1 + h ** 2)),
                "tanh′ = 1 − tanh², with a minus: the slope of tanh is 1 at 0 and falls towards 0 "
                "as the unit saturates (H → ±1)."),
        Mistake("square missing", lambda f: _same(out(f), g * (1 - h))
                or _same(out(f), g * (1 - h) ** 2),
                "tanh′(A) = 1 − tanh²(A) = 1 − H²: square H, then subtract from 1 — "
                "1 - H**2, not 1 - H or (1 - H)**2."),
        Mistake("matrix product", matrix_product,
                "the chain rule multiplies elementwise here: every unit's output depends only on "
                "its own input, so dA = dH * (1 − H²) entry by entry (*, not @ or np.dot), "
                "with the shape of H."),
    ]
    return run_checks("tanh_backward", fn, cases, mistakes, sweep=_tanh_sweep())


# ---------------------------------------------------------------------------------------------
# 10 · curvature and Newton's method
# ---------------------------------------------------------------------------------------------



def _grad_x3y(p):                 # f(x, y) = x³y  →  ∇f = (3x²y, x³)
    p = np.asarray(p, dtype=float)
    return np.array([3 * p[0] ** 2 * p[1], p[0] ** 3])


_FD_X = np.array([1.0, 2.0])
_FD_H = np.array([[12.0, 3.0], [3.0, 0.0]])        # [[6xy, 3x²], [3x², 0]] at (1, 2)
_QA = np.array([[3.0, 1.0, 0.0], [1.0, 2.0, -1.0], [0.0, -1.0, 4.0]])
_QB = np.array([1.0, 0.0, -1.0])


def _grad_quad(p):                # f = ½xᵀAx − bᵀx  →  ∇f = Ax − b, ∇²f = A
    return _QA @ np.asarray(p, dtype=float) - _QB


def _hessian_sweep():
    """Random polynomials in 1–4 variables — cubic in each, with products, and sometimes a
    degree-4 term, whose finite-difference Hessian is not symmetric by itself — at float or
    integer x (also 0) for steps 1e-2 … 1e-4, given through their exact gradients; the oracle is
    the exact central difference of each gradient column, symmetrised."""
    def generate(rng, i):
        corners = [(1, True, 1e-3), (2, False, 1e-2), (3, True, 1e-4), (4, False, 1e-3),
                   (2, None, 1e-3)]
        d, integer, h = corners[i] if i < len(corners) else \
            (int(rng.integers(1, 5)), rng.random() < 0.25, float(rng.choice([1e-2, 1e-3, 1e-4])))
        poly = _random_polyN(rng, d, quartic=rng.random() < 0.6)
        parts = [poly.partial(k) for k in range(d)]
        if integer is None:
            x = np.zeros(d)
        else:
            x = rng.integers(-2, 3, d) if integer else rng.uniform(-2, 2, d)
        grad = _named(lambda v: np.array([p.value(v) for p in parts]), f"∇f of f(x) = {poly}")
        grad.parts = parts
        return grad, x, h

    def oracle(grad, x, h):
        M = np.array([[p.central(j, h, x) for j in range(len(x))] for p in grad.parts])
        return (M + M.T) / 2, np.abs(M - M.T) / 2

    def compare(out, expected, args):
        """Entry (i, j) must lie between the two central-difference estimates of it, M[i, j]
        (from column j) and M[j, i] (from column i): their average, or either one, is right."""
        (mid, spread), (grad, x, h) = expected, args
        scale = max(p.scale(x, h) for p in grad.parts)
        problem = _within(out, mid, spread + 1e-8 * (1 + np.abs(mid)) + 64 * _EPS * scale / h,
                          "the Hessian")
        if problem:
            return problem
        out = _arr(out)
        if not np.array_equal(out, out.T):
            i, j = np.unravel_index(np.argmax(np.abs(out - out.T)), out.shape)
            return (f"the result is not exactly symmetric: H[{i}, {j}] = {out[i, j]!r} but "
                    f"H[{j}, {i}] = {out[j, i]!r}")
        return None

    return Sweep(generate, oracle, compare, n=150, seed=15,
                 size=lambda a: len(a[1]) + len(str(a[0].__name__)) / 1000,
                 property="Hessian by central differences of the gradient, symmetrised (the "
                          "differences evaluated exactly; each entry may be either estimate of "
                          "it or their average)",
                 hint="x can have 1 to 4 coordinates and integer entries; perturb one coordinate "
                      "at a time and return an exactly symmetric matrix.")


def check_hessian_fd(fn):
    """hessian_fd(grad_f, x, h) — column j = (∇f(x + h eⱼ) − ∇f(x − h eⱼ)) / 2h, then
    symmetrised: ½(H + Hᵀ).

    The sweep: random polynomials (cubic, with products and degree-4 terms) given through their
    exact gradients, against the exact central differences, symmetrised. Catches: an
    unsymmetrised (slightly asymmetric) result, forward instead of central differences, dividing
    by h instead of 2h, perturbing all coordinates at once, and an integer x perturbed in
    place."""
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
    quad = lambda f: _arr(_raw(f, _grad_quad, x3, 1e-4))
    cubic = lambda f: _arr(_raw(f, _grad_x3y, _FD_X, 1e-3))
    col = (_QA @ np.ones(3))[:, None] * np.ones((1, 3))
    quartic = lambda p: np.array([4 * np.asarray(p, dtype=float)[0] ** 3])      # f = x⁴

    def h_ignored(f):             # (4(1+h)³ − 4(1−h)³)/(2h) = 12 + 4h² depends on h
        a = _arr(_raw(f, quartic, np.array([1.0]), 0.1))
        b = _arr(_raw(f, quartic, np.array([1.0]), 0.01))
        return a.shape == (1, 1) and np.allclose(a, b, rtol=0, atol=1e-9) and \
            np.allclose(a, 12.0, atol=1e-3)
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
        Mistake("diagonal doubled", lambda f: np.allclose(quad(f), _QA + np.diag(np.diag(_QA)),
                                                          atol=1e-5),
                "the diagonal is twice too big: np.triu(H) + np.triu(H).T counts the diagonal "
                "twice. Symmetrise with (H + H.T) / 2."),
        Mistake("h ignored", h_ignored,
                "your result does not depend on h: use the step h you are given for the "
                "differences, not one of your own."),
        Mistake("integer x", lambda f: np.allclose(quad(f), _QA, atol=1e-6)
                and np.allclose(_arr(_call(f, (_grad_quad, np.array([1.0, -1.0, 2.0]), 1e-4))), _QA,
                                atol=1e-6)
                and _wrong(f, (_grad_quad, np.array([1, -1, 2]), 1e-4), _QA, atol=1e-6),
                "x may be an integer array (np.array([1, -1, 2])): then x.copy() (or "
                "np.zeros_like(x)) is an integer array too, and x[j] + h stored in it rounds h "
                "away. Build the step as a float array — e = np.zeros(len(x)); e[j] = h — and "
                "use x + e, or start from x = np.array(x, dtype=float)."),
    ]
    return run_checks("hessian_fd", fn, cases, mistakes, sweep=_hessian_sweep())


def _label_from_spectrum(lam, zero=1e-10):
    """The exercise's rule, applied to eigenvalues chosen before the matrix was built."""
    lam = np.asarray(lam, dtype=float)
    if np.any(lam > zero) and np.any(lam < -zero):
        return "saddle"
    if np.any(np.abs(lam) < zero):
        return "degenerate"
    return "minimum" if np.all(lam > 0) else "maximum"


def _with_spectrum(rng, lam, rotate=True):
    """A symmetric matrix Q diag(λ) Qᵀ with the eigenvalues λ (Q a random rotation)."""
    lam = np.asarray(lam, dtype=float)
    n = len(lam)
    Q = np.linalg.qr(rng.standard_normal((n, n)))[0] if rotate and n > 1 else np.eye(n)
    H = Q @ np.diag(lam) @ Q.T
    return (H + H.T) / 2


@functools.lru_cache(maxsize=512)         # the sweep is seeded: a re-run meets the same inputs
def _spectrum(data, n):
    """The eigenvalues of the symmetric float64 matrix with these bytes, from 30-digit
    arithmetic (mpmath's Jacobi method), not LAPACK."""
    H = np.frombuffer(data, dtype=float).reshape(n, n)
    with mpmath.workdps(30):
        lam = mpmath.eigsy(mpmath.matrix(H.tolist()), eigvals_only=True)
        return tuple(sorted(float(v) for v in lam))


def _classify_sweep():
    """Spectra chosen first, then rotated into a symmetric H: zero eigenvalues next to mixed
    signs (a saddle still), eigenvalues ±1e-16 (zero), 3e-9 (small but not zero),
    semidefinite and indefinite matrices, 1×1 to 5×5, integer matrices."""
    zeros = [0.0, 1e-16, -1e-16, 1e-13, -1e-13]

    def generate(rng, i):
        corners = [np.diag([0.0, 1.0, -1.0]), _with_spectrum(rng, [1e-16, 2.0]),
                   _with_spectrum(rng, [-1e-16, 3.0, 1.0]), np.diag([1e-16, -1e-16]),
                   _with_spectrum(rng, [2.0, -3.0]), _with_spectrum(rng, [0.0, -2.0]),
                   np.zeros((2, 2)), np.array([[-5.0]]), np.array([[0]]),
                   np.array([[1, 3], [3, 1]]), _with_spectrum(rng, [3e-9, 1.0, 2.0]),
                   np.diag([-3e-9, -1.0]), _with_spectrum(rng, [1e-16, 1.0, -1.0]),
                   _with_spectrum(rng, [1e4, 2e3]), _with_spectrum(rng, [1.0, 1e-16, -1e-16, 2.0]),
                   np.array([[2, 1], [1, 2]]), np.array([[1, 2], [2, 4]])]
        if i < len(corners):
            return (corners[i],)
        n = int(rng.integers(1, 6))
        kinds = rng.choice(["+", "-", "0", "small"], n, p=[0.4, 0.35, 0.2, 0.05])
        lam = [float(10 ** rng.uniform(-2, 1)) if k == "+" else -float(10 ** rng.uniform(-2, 1))
               if k == "-" else zeros[rng.integers(len(zeros))] if k == "0"
               else float(rng.choice([-3e-9, 3e-9])) for k in kinds]
        return (_with_spectrum(rng, lam, rotate=rng.random() < 0.8),)

    def oracle(H):
        H = np.asarray(H, dtype=float)
        lam = np.array(_spectrum(H.tobytes(), H.shape[0]))
        return _label_from_spectrum(lam), lam

    def compare(out, expected, args):
        label, lam = expected
        if isinstance(out, np.ndarray) and out.ndim == 0 or isinstance(out, np.generic):
            out = out.item()
        if out != label:
            return f"expected {label!r} (the eigenvalues are {fmt(lam)}), got {fmt(out)}"
        return None

    return Sweep(generate, oracle, compare, n=150, seed=16, size=lambda a: a[0].size,
                 property="classification by the signs of the eigenvalues (|λ| < 1e-10 counts "
                          "as zero)",
                 hint="A zero eigenvalue next to a positive and a negative one is still a "
                      "saddle; eigenvalues of ±1e-16 are zero, 3e-9 is not.")


def check_classify_stationary_point(fn):
    """classify_stationary_point(H) → "minimum" | "maximum" | "saddle" | "degenerate", from the
    signs of the eigenvalues of the (symmetric) Hessian H.

    The sweep chooses the spectrum first and rotates it into H (the oracle recomputes it in
    30-digit arithmetic), with zero eigenvalues next to mixed signs, ±1e-16, 3e-9, semidefinite
    and indefinite matrices. Catches: reading the signs of the diagonal entries, deciding from
    the determinant alone, calling a point with a zero eigenvalue a minimum, testing for
    'degenerate' before 'saddle', an exact == 0 test (rounded eigenvalues are ±1e-16, not 0), a
    zero threshold far looser than 1e-10, and words other than the four."""
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
    def call(f, H):
        out = _raw(f, np.asarray(H, dtype=float))
        return out.item() if isinstance(out, (np.ndarray, np.generic)) else out

    rng = np.random.default_rng(0)
    tiny = _with_spectrum(rng, [1e-16, 2.0])
    small = _with_spectrum(rng, [3e-9, 1.0, 2.0])
    words = ("minimum", "maximum", "saddle", "degenerate")
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
        Mistake("degenerate before saddle", lambda f: call(f, np.diag([0.0, 1.0, -1.0]))
                == "degenerate",
                "with eigenvalues 0, 1 and −1 the point is a saddle: it curves up along one "
                "direction and down along another, whatever the zero eigenvalue does. Test for "
                "a saddle (some λ > 0 and some λ < 0) before testing for a zero eigenvalue."),
        Mistake("exact zero test", lambda f: call(f, tiny) in ("minimum", "saddle")
                or call(f, np.diag([1e-16, -1e-16])) == "saddle",
                "computed eigenvalues are rounded: a zero eigenvalue comes out as ±1e-16, not 0, "
                "so `lam == 0` (or `> 0`) misreads it. Treat |λ| < 1e-10 as zero, as the "
                "exercise says — also when deciding the signs."),
        Mistake("threshold too loose", lambda f: call(f, small) == "degenerate",
                "the eigenvalues are 3e-9, 1 and 2: small, but not zero by the exercise's rule "
                "(|λ| < 1e-10). np.isclose(lam, 0) uses atol = 1e-8 — too loose; compare "
                "np.abs(lam) < 1e-10."),
        Mistake("not one of the four words", lambda f: call(f, np.diag([2.0, 3.0])) not in words
                or call(f, np.ones((2, 2))) not in words,
                "return exactly one of the strings 'minimum', 'maximum', 'saddle', "
                "'degenerate' (lower case)."),
    ]
    return run_checks("classify_stationary_point", fn, cases, mistakes, sweep=_classify_sweep())


# ---------------------------------------------------------------------------------------------
# 11 · integration, Monte Carlo and gradient flow
# ---------------------------------------------------------------------------------------------

def _square(x):
    return np.asarray(x, dtype=float) ** 2


def _trap_exact(f, a, b, n):
    """The trapezoid rule's value, in closed form. For a polynomial (degree ≤ 7) the
    Euler–Maclaurin formula is exact: T = ∫ₐᵇ f + h²/12·(f′(b) − f′(a)) − h⁴/720·(f‴(b) − f‴(a))
    + h⁶/30240·(f⁽⁵⁾(b) − f⁽⁵⁾(a)); for f = e^(cx) the sum is geometric:
    T = (h/2)·coth(ch/2)·(e^(cb) − e^(ca))."""
    a, b, h = float(a), float(b), (float(b) - float(a)) / n
    if hasattr(f, "coefs"):
        c = f.coefs
        F = P.polyint(c)
        total = P.polyval(b, F) - P.polyval(a, F)
        for k, w in ((1, 1 / 12), (3, -1 / 720), (5, 1 / 30240)):
            d = P.polyder(c, k) if len(c) > k else np.zeros(1)
            total += w * h ** (k + 1) * (P.polyval(b, d) - P.polyval(a, d))
        return total
    c = f.rate
    if h == 0:
        return 0.0
    return (h / 2) * (math.exp(c * b) - math.exp(c * a)) / math.tanh(c * h / 2)


def _trapezoid_sweep():
    """Polynomials up to degree 5 and e^(cx) on intervals of every kind — integer endpoints,
    a = b, a > b (the integral changes sign), wide and narrow — with n = 1 … 200 (also a NumPy
    integer); the oracle is the closed form of the rule (Euler–Maclaurin)."""
    def function(rng, kind):
        if kind == "poly":
            f = _poly1(_half_integers(rng, rng.integers(1, 7)))
            f.size = lambda a, b: P.polyval(max(abs(a), abs(b)), np.abs(f.coefs))
        else:
            c = _half_integers(rng, top=1.5)
            f = _named(lambda x: np.exp(c * np.asarray(x, dtype=float)),
                       f"x ↦ exp({_terms_str([(c, 'x')])})")
            f.rate = c
            f.size = lambda a, b: math.exp(abs(c) * max(abs(a), abs(b)))
        return f

    def generate(rng, i):
        corners = [("poly", 0, 1, 1), ("poly", 2.0, 2.0, 4), ("poly", 1.0, -1.0, 3),
                   ("exp", 0.0, 1.0, 1), ("poly", -5.0, 5.0, 3), ("poly", np.int64(1), 3, 2),
                   ("exp", 2.0, -1.0, np.int64(7)), ("poly", 0.0, 1e-3, 2)]
        if i < len(corners):
            kind, a, b, n = corners[i]
        else:
            kind = "poly" if rng.random() < 0.7 else "exp"
            a, b = np.round(rng.uniform(-3, 3, 2), int(rng.choice([0, 2, 6])))
            a, b = float(a), float(b)
            n = int(rng.choice([1, 2, 3, 4, 7, 10, 50, 200]))
        return function(rng, kind), a, b, n

    def compare(out, expected, args):
        f, a, b, n = args
        scale = abs(float(b) - float(a)) * f.size(float(a), float(b))
        return _within(out, expected, 1e-10 * (abs(expected) + scale) + 8 * n * _EPS * scale,
                       "one number")

    return Sweep(generate, lambda f, a, b, n: _trap_exact(f, a, b, n), compare, n=200, seed=17,
                 size=lambda a: a[3] + len(a[0].__name__) / 100,
                 property="equation result = h·(f₀/2 + f₁ + … + f_{n−1} + f_n/2) (evaluated in "
                          "closed form, Euler–Maclaurin)",
                 hint="a and b may be integers, equal, or in decreasing order (then h < 0 and the "
                      "result changes sign); n = 1 is a single trapezoid.")


def check_trapezoid(fn):
    """trapezoid(f, a, b, n) = h·(f₀/2 + f₁ + … + f_{n−1} + f_n/2), h = (b − a)/n, with n
    intervals (n + 1 points).

    The sweep compares with the rule's closed form (Euler–Maclaurin, exact for polynomials; a
    geometric sum for e^(cx)) on integer, equal and reversed endpoints and n from 1 to 200.
    Catches: endpoints counted with full weight, n points instead of n intervals (off by one),
    a left Riemann sum, the midpoint rule or Simpson's rule instead of trapezoids, and |b − a|
    (a reversed interval must give the negative)."""
    cases = [
        Case("∫₀¹ x² dx with n = 2", (_square, 0.0, 1.0, 2), close(0.375)),
        Case("∫₀¹ x² dx with n = 1", (_square, 0.0, 1.0, 1), close(0.5)),
        Case("∫₀² (3x + 1) dx with n = 5 (exact for a line)",
             (lambda x: 3 * np.asarray(x, dtype=float) + 1, 0.0, 2.0, 5), close(8.0)),
        Case("∫₀¹ eˣ dx with n = 1000", (np.exp, 0.0, 1.0, 1000), close(math.e - 1, rtol=1e-6)),
        Case("∫ from 1 to 3 of x² with n = 4", (_square, 1.0, 3.0, 4), close(8.75)),
    ]
    val = lambda f: float(_arr(_raw(f, _square, 0.0, 1.0, 2)))

    def wrong_grid(f):
        """Evaluate f with a spy that records where it is called: the n + 1 grid points?"""
        rng = np.random.default_rng(1)
        grids = [(0.0, 1.0, 3), (0.0, 0.7, 7), (1.0, -1.0, 3), (0.1, 0.4, 3)] + [
            (float(a), float(b), int(n)) for a, b, n in zip(
                np.round(rng.uniform(-3, 3, 30), 2), np.round(rng.uniform(-3, 3, 30), 2),
                rng.integers(1, 11, 30))]
        for a, b, n in grids:
            seen = []

            def spy(x):
                seen.extend(np.ravel(np.asarray(x, dtype=float)).tolist())
                return np.asarray(x, dtype=float) ** 2
            _raw(f, spy, a, b, n)
            grid = np.linspace(a, b, n + 1)
            if not seen:                  # f never called: not a grid mistake
                return False
            if np.max([np.min(np.abs(grid - v)) for v in seen]) > 1e-9 \
                    or np.max([np.min(np.abs(np.array(seen) - v)) for v in grid]) > 1e-9:
                return True
        return False
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
        Mistake("floor division", lambda f: val(f) == 0.0
                and math.isclose(float(_arr(_raw(f, _square, 0.0, 4.0, 2))), 24.0),
                "h came out 0: (b − a) // n is floor division (1 // 2 = 0). Use (b − a) / n."),
        Mistake("midpoint rule", lambda f: math.isclose(val(f), 0.3125),
                "that is the midpoint rule (rectangles with the height at each interval's "
                "middle). The trapezoid rule uses the end values: h·(f(xᵢ) + f(xᵢ₊₁))/2 for each "
                "interval, xᵢ = a + ih."),
        Mistake("Simpson's rule", lambda f: math.isclose(val(f), 1 / 3),
                "that is Simpson's rule (weights 1, 4, 2, …, 4, 1 times h/3), exact for x². The "
                "exercise asks for trapezoids: weights ½, 1, …, 1, ½ times h."),
        Mistake("interval reversed", lambda f: math.isclose(val(f), 0.375)
                and math.isclose(float(_arr(_raw(f, _square, 1.0, 0.0, 2))), 0.375),
                "for b < a the result must change sign (∫ from a to b = −∫ from b to a): keep "
                "h = (b − a)/n negative, don't take abs(b − a) or swap the endpoints."),
        Mistake("grid", wrong_grid,
                "f was evaluated at other points than xᵢ = a + i·h, i = 0 … n (n + 1 points from "
                "a to b). np.arange(a, b + h, h) with a float step can add a point past b (or "
                "miss b); build the grid with np.linspace(a, b, n + 1)."),
    ]
    return run_checks("trapezoid", fn, cases, mistakes, sweep=_trapezoid_sweep())


def _mc_oracle(g, x):
    """(mean, s/√n) of the values g(x) by two passes with correctly rounded sums (math.fsum):
    the mean, then the squared deviations from it, corrected by the deviations' own sum — no
    cancellation, whatever the offset."""
    v = [float(t) for t in np.asarray(g(x), dtype=float).ravel()]
    n = len(v)
    mean = math.fsum(v) / n
    d = [t - mean for t in v]
    s2 = (math.fsum(t * t for t in d) - math.fsum(d) ** 2 / n) / (n - 1)
    return mean, math.sqrt(max(s2, 0.0) / n), max(abs(t) for t in v)


def _mc_sweep():
    """n = 2 … 1000 samples of every scale, offset by up to 1e7 from 0 (where E[g²] − E[g]²
    cancels catastrophically), integer samples, constant values (error bar 0), and several g;
    the oracle is a two-pass computation with exactly rounded sums."""
    funcs = [_named(lambda x: np.asarray(x, dtype=float), "x ↦ x"),
             _named(lambda x: np.asarray(x, dtype=float) ** 2, "x ↦ x²"),
             _named(lambda x: 2 * np.asarray(x, dtype=float) + 1, "x ↦ 2x + 1"),
             _named(lambda x: np.sin(np.asarray(x, dtype=float)), "x ↦ sin x"),
             _named(lambda x: np.exp(-np.asarray(x, dtype=float) ** 2 / 2), "x ↦ exp(−x²/2)")]

    def generate(rng, i):
        corners = [(0, np.array([1.0, 3.0])), (0, 1e7 + rng.standard_normal(50)),
                   (2, 1e6 + rng.standard_normal(10) * 0.1), (0, rng.integers(0, 10, 20)),
                   (1, np.full(5, 0.1)), (4, rng.standard_normal(3)),
                   (0, 1e8 + np.arange(4.0))]
        if i < len(corners):
            k, x = corners[i]
            return funcs[k], x
        n = int(rng.choice([2, 3, 5, 10, 100, 1000]))
        x = rng.standard_normal(n) * 10.0 ** rng.uniform(-2, 2)
        if rng.random() < 0.3:
            x = x + float(rng.choice([-1, 1]) * 10.0 ** rng.uniform(2, 7))
        if rng.random() < 0.15:
            x = np.round(x).astype(int)
        k = int(rng.integers(len(funcs))) if np.max(np.abs(x)) < 1e3 else int(rng.choice([0, 2]))
        return funcs[k], x

    def compare(out, expected, args):
        mean, se, big = expected
        n = np.size(args[1])
        if isinstance(out, np.ndarray) and out.shape == (2,):
            out = tuple(out)
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            return "return a tuple of 2 values (estimate, standard error)"
        problem = _within(out[0], mean, 1e-12 * abs(mean) + 16 * math.log2(n + 1) * _EPS * big,
                          "the estimate (one number)")
        if problem:
            return f"estimate: {problem}"
        problem = _within(out[1], se, 1e-7 * se + 64 * math.log2(n + 1) * _EPS * big / math.sqrt(n),
                          "the standard error (one number)")
        return f"standard error: {problem}" if problem else None

    return Sweep(generate, _mc_oracle, compare, n=200, seed=18, size=lambda a: np.size(a[1]),
                 property="pair (mean of g(x), s/√n) with s the sample standard deviation "
                          "(computed with exactly rounded sums)",
                 hint="Samples can sit far from 0 (1e7 ± 1): compute s from the deviations "
                      "g(xᵢ) − mean, not from mean(g²) − mean(g)².")


def check_monte_carlo(fn):
    """monte_carlo(g, x) → (estimate, standard_error): the mean of g(xᵢ) over the samples x and
    its standard error s/√n, s the sample standard deviation of g(xᵢ) (ddof = 1).

    The sweep compares with a two-pass computation (exactly rounded sums) on 2 to 1000
    samples, far from 0 or not, integer or constant. Catches: dividing by n instead of √n, the variance instead of
    the standard deviation, the population standard deviation (ddof = 0), forgetting to apply
    g, dividing s by √(n − 1), and the one-pass variance mean(g²) − mean(g)², which cancels
    catastrophically when the values sit far from 0."""
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
        return float(_arr(_raw(f, line, x3)[1]))

    def low_precision(f):
        x = np.array([1.7353966925395727, -1.4327724893069245, 0.1234567891234])
        try:
            m = float(_arr(_raw(f, lambda v: np.asarray(v, dtype=float), x)[0]))
        except Exception:
            return False
        return 1e-10 < abs(m - x.mean()) / abs(x.mean()) < 1e-5

    def one_pass(f):
        far = 1e8 + np.array([-1.5, 0.25, 0.5, 0.75])        # deviations −1.5, .25, .5, .75
        try:
            got = float(_arr(_raw(f, lambda x: np.asarray(x, dtype=float), far)[1]))
        except Exception:
            return False
        return math.isclose(se(f), math.sqrt(2), rel_tol=1e-9) and \
            not math.isclose(got, math.sqrt(3.125 / 3) / 2, rel_tol=1e-6)

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
        Mistake("g not applied", lambda f: math.isclose(float(_arr(_raw(f, line, x3)[0])), 2.0),
                "apply g to the samples first: average g(x), not x."),
        Mistake("std of x, not of g(x)", lambda f: math.isclose(se(f), math.sqrt(2.5 / 5))
                and math.isclose(float(_arr(_raw(f, line, x3)[0])), 5.0),
                "the error bar is the spread of the values you average, g(xᵢ), not of the "
                "samples xᵢ: s = np.std(g(x), ddof=1)."),
        Mistake("swapped", lambda f: math.isclose(float(_arr(_raw(f, line, x3)[0])), math.sqrt(2))
                and math.isclose(se(f), 5.0),
                "return (estimate, standard_error) in that order: the mean first, then s/√n."),
        Mistake("low precision", low_precision,
                "the results are right to only about 7 digits: float32 (np.float32, "
                "dtype='float32') keeps 24 bits. Compute in float64."),
        Mistake("√(n − 1)", lambda f: math.isclose(se(f), math.sqrt(10) / 2),
                "the n − 1 belongs inside s (the sample standard deviation, ddof=1); the error "
                "bar then divides s by √n, not by √(n − 1)."),
        Mistake("one-pass variance", one_pass,
                "mean(g²) − mean(g)² is right on paper but cancels catastrophically in floating "
                "point when the values sit far from 0 (here 1e8 ± 1: both terms are ≈ 1e16 and "
                "their difference ≈ 1 is lost in rounding). Subtract the mean first: "
                "s² = Σ(vᵢ − mean)²/(n − 1), or np.std(v, ddof=1)."),
    ]
    return run_checks("monte_carlo", fn, cases, mistakes, sweep=_mc_sweep())


# ---------------------------------------------------------------------------------------------
# 10 · Newton's method written out
# ---------------------------------------------------------------------------------------------
import functools                                       # noqa: E402
import itertools                                       # noqa: E402

from .core import Sweep, fmt                           # noqa: E402



class _NewtonRaised:
    """Stands for "the learner's function raised this ValueError" so that cases can judge it."""

    def __init__(self, error):
        self.error = error

    def __repr__(self):
        return f"raised {type(self.error).__name__}: {self.error}"


def _newton_catching(fn):
    """fn, with a ValueError (np.linalg.LinAlgError is one) turned into a ``_NewtonRaised`` value.
    Everything else — NotImplementedError, the time limit, the in-place check — is untouched."""
    if not callable(fn):
        return fn

    @functools.wraps(fn)
    def run(*args):
        try:
            return fn(*args)
        except ValueError as e:
            return _NewtonRaised(e)
    return run


def _newton_named(f, name):
    f.__name__ = name
    return f


def _newton_quadratic(A, b, minimiser=None):
    """grad_f, hess_f of f(x) = ½xᵀAx + bᵀx: ∇f = Ax + b, ∇²f = A (both new float arrays)."""
    A, b = np.array(A, dtype=float), np.array(b, dtype=float)
    grad = _newton_named(lambda x: A @ np.asarray(x, dtype=float) + b,
                         f"grad_f (f = ½xᵀAx + bᵀx, A = {fmt(A)}, b = {fmt(b)})")
    hess = _newton_named(lambda x: A.copy(), "hess_f (= A)")
    grad.minimiser = minimiser
    return grad, hess


def _newton_exp():
    """f(x) = eˣ − 2x (1-D): f′ = eˣ − 2, f″ = eˣ, minimum at ln 2; Newton's map x − 1 + 2e⁻ˣ."""
    grad = _newton_named(lambda x: np.exp(np.asarray(x, dtype=float)) - 2, "grad_f (f = eˣ − 2x)")
    hess = _newton_named(lambda x: np.exp(np.asarray(x, dtype=float)).reshape(1, 1),
                         "hess_f (= eˣ)")
    return grad, hess


def _newton_cosh(c, m, S):
    """f(x) = Σ cᵢ cosh(xᵢ − mᵢ) + ½(x − m)ᵀS(x − m), S positive semi-definite, every cᵢ > 0:
    strictly convex, ∇f = c·sinh(x − m) + S(x − m), ∇²f = diag(c·cosh(x − m)) + S, minimum m."""
    def grad(x):
        d = np.asarray(x, dtype=float) - m
        return c * np.sinh(d) + S @ d

    def hess(x):
        d = np.asarray(x, dtype=float) - m
        return np.diag(c * np.cosh(d)) + S

    _newton_named(grad, f"grad_f (f = Σ cᵢ cosh(xᵢ − mᵢ) + ½(x − m)ᵀS(x − m), c = {fmt(c)}, "
                        f"m = {fmt(m)}, S = {fmt(S)})")
    _newton_named(hess, "hess_f")
    grad.minimiser = m
    return grad, hess


_NEWTON_HILBERT = 1.0 / (np.arange(8)[:, None] + np.arange(8)[None, :] + 1)   # κ ≈ 1.5·10¹⁰


def _newton_backward_error(H, g, p):
    """‖Hp + g‖ / (‖H‖‖p‖ + ‖g‖): how well p solves H p = −g, relative to the sizes involved.
    A backward-stable solver (np.linalg.solve, Cholesky) leaves ~1e-16 whatever κ is."""
    scale = np.linalg.norm(H, 2) * np.linalg.norm(p) + np.linalg.norm(g)
    return np.linalg.norm(H @ p + g) / scale


def _newton_pair(out):
    """(x, steps) from the learner's result, or a message saying what is wrong with its form."""
    if isinstance(out, _NewtonRaised):
        return None, (f"your function {out!r}, but H is positive definite here: Newton's "
                      "method should run")
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        return None, f"return the pair (x, steps), got {fmt(out)}"
    x, steps = out
    if isinstance(steps, (bool, np.bool_)) or not isinstance(steps, (int, np.integer)):
        return None, f"steps must be a whole number (the Newton steps taken), got {fmt(steps)}"
    return (np.asarray(getattr(x, "data", x)), int(steps)), None


def _newton_result(x_expected, steps_expected, atol=1e-9):
    """An expect for newton_minimize: the pair (x, steps) with x ≈ x_expected (a float array)."""
    x_expected = np.asarray(x_expected, dtype=float)

    def expect(out):
        pair, problem = _newton_pair(out)
        if problem:
            return problem
        x, steps = pair
        if x.dtype.kind != "f":
            return f"x should be a float array, got dtype {x.dtype} ({fmt(x)})"
        problem = close(x_expected, rtol=1e-9, atol=atol)(x)
        if problem:
            return f"x: {problem}"
        if steps != steps_expected:
            return f"expected {steps_expected} Newton step(s), got steps = {steps}"
        return None
    return expect


def _newton_must_raise(what):
    def expect(out):
        if isinstance(out, _NewtonRaised):
            return None
        return (f"{what} is not positive definite, so your function should raise a ValueError; "
                f"it returned {fmt(out)}")
    return expect


def _newton_one_step_solves(H, g, x0):
    """An expect: exactly one step was taken, and p = x − x0 solves H p = −g to working
    precision (backward error below 1e-12)."""
    def expect(out):
        pair, problem = _newton_pair(out)
        if problem:
            return problem
        x, steps = pair
        if steps != 1 or x.shape != x0.shape:
            return (f"expected one step to a point of shape {x0.shape}, got steps = {steps}, "
                    f"x = {fmt(x)}")
        err = _newton_backward_error(H, g, np.asarray(x, dtype=float) - x0)
        if not err < 1e-12:
            return (f"the step p = x − x0 does not solve H p = −g to working precision: "
                    f"‖Hp + g‖ / (‖H‖‖p‖ + ‖g‖) = {err:.1e} (np.linalg.solve leaves ~1e-16)")
        return None
    return expect


def _newton_sweep_quadratic(rng, i):
    """Random quadratics ½xᵀAx + bᵀx built around a chosen minimiser x* (b = −Ax*), κ ≤ 10⁴;
    corners first: x0 = x*, an integer problem, 1-D, tiny and huge curvature; every 7th
    quadratic is indefinite or negative definite (the function must raise)."""
    n = 1 if i == 2 else int(rng.integers(1, 6))
    if i == 1:                                          # integers; x* by the 2×2 adjugate formula
        A = np.array([[4, 1], [1, 3]])
        b = np.array([1, -2])
        x_star = -np.array([[3, -1], [-1, 4]]) @ b / 11
        grad, hess = _newton_quadratic(A, b, x_star)
        x0 = np.array([2, -3])
        return grad, hess, x0, 1e-9, 50
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    scale = {3: 1e-6, 4: 1e6}.get(i, 1.0)              # tiny and huge curvature
    lam = np.exp(rng.uniform(0, np.log(1e4), n)) * scale
    indefinite = i % 7 == 6
    if indefinite:
        lam[0] = -lam[0]
        if n == 1 or rng.random() < 0.3:
            lam = -np.abs(lam)                          # a maximum
    A = Q @ np.diag(lam) @ Q.T
    A = (A + A.T) / 2
    x_star = rng.uniform(-3, 3, n)
    b = -(A @ x_star)
    grad, hess = _newton_quadratic(A, b, None if indefinite else x_star)
    if i == 0:
        x0 = x_star.copy()                              # already at the minimum: 0 steps
    else:
        x0 = x_star + rng.choice([-1.0, 1.0], n) * rng.uniform(0.5, 3, n)
    tol = 1e-7 * np.max(np.abs(lam)) * (1 + np.linalg.norm(x_star) + np.linalg.norm(x0))
    return grad, hess, x0, tol, 50


def _newton_oracle_quadratic(grad, hess, x0, tol, max_steps):
    if grad.minimiser is None:
        return "raise"
    x_star = grad.minimiser
    return x_star, 0 if np.linalg.norm(grad(x0)) <= tol else 1


def _newton_compare_quadratic(out, expected, args):
    if expected == "raise":
        return _newton_must_raise("the Hessian (an indefinite or negative definite A)")(out)
    x_star, steps = expected
    scale = 1 + np.linalg.norm(x_star) + np.linalg.norm(args[2])
    return _newton_result(x_star, steps, atol=1e-8 * scale)(out)


def _newton_cosh_args(rng, n):
    c = rng.uniform(0.5, 2.0, n)
    m = rng.uniform(-2, 2, n)
    B = rng.standard_normal((n, int(rng.integers(1, n + 1)))) * rng.uniform(0, 2)
    return c, m, B @ B.T


def _newton_sweep_one_step(rng, i):
    n = int(rng.integers(1, 6))
    c, m, S = _newton_cosh_args(rng, n)
    grad, hess = _newton_cosh(c, m, S)
    return grad, hess, m + rng.uniform(-2, 2, n), 0.0, 1


def _newton_oracle_one_step(grad, hess, x0, tol, max_steps):
    return hess(x0), grad(x0)


def _newton_compare_one_step(out, expected, args):
    H, g = expected
    return _newton_one_step_solves(H, g, np.asarray(args[2], dtype=float))(out)


def _newton_sweep_converge(rng, i):
    n = 1 if i == 0 else int(rng.integers(1, 6))
    c, m, S = _newton_cosh_args(rng, n)
    grad, hess = _newton_cosh(c, m, S)
    return grad, hess, m + rng.uniform(-2.5, 2.5, n), 1e-10, 50


def _newton_compare_converge(out, expected, args):
    grad, _, x0, tol, max_steps = args
    pair, problem = _newton_pair(out)
    if problem:
        return problem
    x, steps = pair
    if x.shape != np.shape(x0):
        return f"expected x of shape {np.shape(x0)}, got {x.shape}"
    g = grad(x)
    if not np.linalg.norm(g) <= tol:
        return (f"the returned x is not a stationary point: ‖∇f(x)‖ = {np.linalg.norm(g):.1e} "
                f"> tol = {tol:g} (x = {fmt(x)}, the minimum is {fmt(expected)})")
    if not 1 <= steps < max_steps:
        return (f"Newton's method converges here in a handful of steps, but steps = {steps} "
                f"(max_steps = {max_steps})")
    return None


def check_newton_minimize(fn):
    """newton_minimize(grad_f, hess_f, x0, tol, max_steps) → (x, steps): Newton's method.

    From x0 (maybe an integer array; never changed): at the current x compute g = ∇f(x) and stop
    if ‖g‖ ≤ tol (also before the first step); else compute H = ∇²f(x), raise ValueError unless H
    is positive definite, solve H p = −g (not via H⁻¹) and set x ← x + p; at most max_steps steps.

    Catches: the + sign, forming H⁻¹ (loses digits on the Hilbert matrix, κ ≈ 1.5·10¹⁰), dividing
    by the diagonal of H, the gradient or the Hessian of a stale point, never stopping, stepping
    before checking, miscounting the steps, accepting an indefinite H, testing definiteness by
    the determinant or by the diagonal, integer truncation of x0, changing x0 in place (reported
    by the core). The sweeps are graded against independent
    oracles: a quadratic built around a chosen minimiser x* (one step must land on x*, whatever
    κ ≤ 10⁴), one step on a strictly convex non-quadratic must solve H p = −g (its backward error),
    and the iteration must end where ‖∇f‖ ≤ tol."""
    run = _newton_catching(fn)
    g1, h1 = _newton_quadratic([[6.0]], [-12.0])                        # f = 3(x − 2)² + const
    A2 = np.array([[2.0, 1.0], [1.0, 3.0]])
    x2 = np.array([0.5, -1.25])
    g2, h2 = _newton_quadratic(A2, -A2 @ x2)                            # minimum at (0.5, −1.25)
    ge, he = _newton_exp()
    gs, hs = _newton_quadratic(np.diag([2.0, -2.0]), [0.0, 0.0])        # the saddle x² − y²
    gm, hm = _newton_quadratic(-2 * np.eye(2), [0.0, 0.0])              # the maximum of −‖x‖²
    gp, hp = _newton_quadratic([[1.0, 3.0], [3.0, 1.0]], [0.0, 0.0])   # saddle, positive diagonal
    g_hilbert = _NEWTON_HILBERT @ np.ones(8)
    gh, hh = _newton_quadratic(_NEWTON_HILBERT, g_hilbert)              # minimum at −[1, …, 1]
    newton_map = lambda x: x - 1 + 2 * math.exp(-x)                     # for eˣ − 2x, by hand
    x_e, steps_e = 0.0, 0
    while abs(math.exp(x_e) - 2) > 1e-12:
        x_e, steps_e = newton_map(x_e), steps_e + 1
    zeros8 = np.zeros(8)
    cases = [
        Case("f = 3(x − 2)², one step from x0 = [0]", (g1, h1, np.array([0.0]), 1e-10, 50),
             _newton_result([2.0], 1)),
        Case("f = 3(x − 2)², starting at the minimum x0 = [2]",
             (g1, h1, np.array([2.0]), 1e-10, 50), _newton_result([2.0], 0)),
        Case("a 2-D quadratic with minimum (0.5, −1.25), from (4, 4)",
             (g2, h2, np.array([4.0, 4.0]), 1e-10, 50), _newton_result(x2, 1)),
        Case("the same quadratic from the integer start np.array([3, -2])",
             (g2, h2, np.array([3, -2]), 1e-10, 50), _newton_result(x2, 1)),
        Case("f = eˣ − 2x, max_steps = 2 from x0 = [0] (x₁ = 1, x₂ = 2/e)",
             (ge, he, np.array([0.0]), 1e-12, 2), _newton_result([2 / math.e], 2)),
        Case("f = eˣ − 2x from x0 = [0] until |f′| ≤ 1e-12 (the minimum ln 2)",
             (ge, he, np.array([0.0]), 1e-12, 50), _newton_result([x_e], steps_e, atol=1e-11)),
        Case("the saddle x² − y² (H = diag(2, −2)) from (1, 0.5)",
             (gs, hs, np.array([1.0, 0.5]), 1e-10, 50), _newton_must_raise("H = diag(2, −2)")),
        Case("the maximum of −‖x‖² (H = −2I) from (1, 1)",
             (gm, hm, np.array([1.0, 1.0]), 1e-10, 50), _newton_must_raise("H = −2I")),
        Case("H = [[1, 3], [3, 1]] (positive diagonal, eigenvalues 4 and −2) from (1, 0.5)",
             (gp, hp, np.array([1.0, 0.5]), 1e-10, 50),
             _newton_must_raise("H = [[1, 3], [3, 1]]")),
        Case("one step on the 8×8 Hilbert quadratic (κ ≈ 1.5·10¹⁰)", (gh, hh, zeros8, 0.0, 1),
             _newton_one_step_solves(_NEWTON_HILBERT, g_hilbert, zeros8)),
    ]

    def pair(f, args):
        out = _call(run, args)
        return _newton_pair(out)[0] if not isinstance(out, _NewtonRaised) else None

    def x_of(f, args):
        p = pair(f, args)
        return None if p is None else np.asarray(p[0], dtype=float)

    def steps_of(f, args):
        p = pair(f, args)
        return None if p is None else p[1]

    def near(x, target):
        return x is not None and x.shape == np.shape(target) and np.allclose(x, target, atol=1e-9)

    one_step = (g1, h1, np.array([0.0]), 1e-10, 1)
    two_exp = (ge, he, np.array([0.0]), 1e-12, 2)

    def raises(f, args):
        return isinstance(_call(run, args), _NewtonRaised)

    def inverse_formed(f):
        x = x_of(f, (gh, hh, zeros8, 0.0, 1))
        if x is None or x.shape != (8,):
            return False
        err = _newton_backward_error(_NEWTON_HILBERT, _NEWTON_HILBERT @ np.ones(8), x)
        return 1e-12 <= err < 1e-3

    def integer_trouble(f):
        if not near(x_of(f, (g2, h2, np.array([4.0, 4.0]), 1e-10, 50)), x2):
            return False                             # not the integer start's fault
        try:
            out = _call(fn, (g2, h2, np.array([3, -2]), 1e-10, 50))
        except TypeError:                            # x += p on an int array (UFuncTypeError)
            return True
        p = _newton_pair(out)[0] if not isinstance(out, _NewtonRaised) else None
        if p is None:
            return False
        x = np.asarray(p[0])
        return x.dtype.kind in "iu" or (near(x, np.trunc(x2)) or near(x, np.round(x2)))

    mistakes = [
        Mistake("wrong sign", lambda f: near(x_of(f, one_step), [-2.0]),
                "the Newton step goes to the bottom of the quadratic model: solve H p = −g "
                "(minus!) and move to x + p. With +g you step uphill, away from the minimum."),
        Mistake("divided by the diagonal",
                lambda f: near(x_of(f, (g2, h2, np.array([4.0, 4.0]), 1e-10, 1)),
                               np.array([4.0, 4.0]) - g2(np.array([4.0, 4.0])) / np.diag(A2)),
                "dividing g by the diagonal of H ignores how the coordinates interact (the "
                "off-diagonal entries of H). Solve the whole system H p = −g."),
        Mistake("formed the inverse", inverse_formed,
                "your step has the right formula, but forming H⁻¹ (np.linalg.inv or pinv) loses "
                "digits on an ill-conditioned H — here the 8×8 Hilbert matrix, κ ≈ 1.5·10¹⁰ "
                "(notebook 3). Solve the system instead: p = np.linalg.solve(H, -g)."),
        Mistake("stale gradient",
                lambda f: near(x_of(f, two_exp), [1 + 1 / math.e]),
                "the second step used the gradient of the start point: compute g = ∇f(x) afresh "
                "at the current x in every step (inside the loop)."),
        Mistake("stale Hessian",
                lambda f: near(x_of(f, two_exp), [3 - math.e]),
                "the second step used the Hessian of the start point: compute H = ∇²f(x) afresh "
                "at the current x in every step (inside the loop)."),
        Mistake("never stops", lambda f: steps_of(f, (g1, h1, np.array([0.0]), 1e-10, 50)) == 50,
                "on a quadratic one Newton step lands on the minimum, yet your loop ran all "
                "max_steps steps: stop as soon as ‖∇f(x)‖ ≤ tol (np.linalg.norm(g) <= tol)."),
        Mistake("steps before checking",
                lambda f: steps_of(f, (g1, h1, np.array([2.0]), 1e-10, 50)) == 1
                and steps_of(f, (g1, h1, np.array([0.0]), 1e-10, 50)) == 1,
                "started at the minimum, your function still took a step: test ‖∇f(x)‖ ≤ tol at "
                "the top of the loop, before any step (0 steps is a valid answer)."),
        Mistake("steps miscounted",
                lambda f: near(x_of(f, one_step), [2.0]) and near(x_of(f, two_exp), [2 / math.e])
                and near(x_of(f, (g1, h1, np.array([0.0]), 1e-10, 50)), [2.0])
                and steps_of(f, (g1, h1, np.array([0.0]), 1e-10, 50)) in (0, 2),
                "the point is right but the count is off by one: steps is the number of updates "
                "x ← x + p your loop made (here 1)."),
        Mistake("indefinite H accepted",
                lambda f: near(x_of(f, one_step), [2.0]) and near(x_of(f, two_exp), [2 / math.e])
                and not raises(f, (gs, hs, np.array([1.0, 0.5]), 1e-10, 50)),
                "at a saddle the Newton step heads for the saddle, not downhill (this notebook): "
                "check that H is positive definite — every eigenvalue > 0 (np.linalg.eigvalsh) or "
                "np.linalg.cholesky(H) succeeds — and raise ValueError otherwise."),
        Mistake("determinant test",
                lambda f: raises(f, (gs, hs, np.array([1.0, 0.5]), 1e-10, 50))
                and not raises(f, (gm, hm, np.array([1.0, 1.0]), 1e-10, 50)),
                "det H > 0 does not make H positive definite: the determinant is the product of "
                "the eigenvalues, and H = −2I has two negative ones. Test every eigenvalue "
                "(np.linalg.eigvalsh(H).min() > 0) or try np.linalg.cholesky(H)."),
        Mistake("diagonal test",
                lambda f: raises(f, (gs, hs, np.array([1.0, 0.5]), 1e-10, 50))
                and raises(f, (gm, hm, np.array([1.0, 1.0]), 1e-10, 50))
                and not raises(f, (gp, hp, np.array([1.0, 0.5]), 1e-10, 50)),
                "a positive diagonal does not make H positive definite: [[1, 3], [3, 1]] curves "
                "down along (1, −1) (eigenvalue −2). Test the eigenvalues "
                "(np.linalg.eigvalsh(H).min() > 0) or try np.linalg.cholesky(H)."),
        Mistake("integer x0", integer_trouble,
                "x0 was an integer array, and the updates were cut to integers (or refused): "
                "start from a float copy, x = np.array(x0, dtype=float)."),
    ]
    return run_checks("newton_minimize", run, cases, mistakes, sweep=[
        Sweep(_newton_sweep_quadratic, _newton_oracle_quadratic, _newton_compare_quadratic,
              n=120, seed=10, property="claim that one step from x0 lands on the minimiser x* "
              "= −A⁻¹b (chosen first, b = −Ax*) — or raises ValueError when A is not positive "
              "definite"),
        Sweep(_newton_sweep_one_step, _newton_oracle_one_step, _newton_compare_one_step, n=60,
              seed=11, property="rule H(x0) p = −∇f(x0) for the one step p = x − x0"),
        Sweep(_newton_sweep_converge, lambda g, *rest: g.minimiser, _newton_compare_converge,
              n=60, seed=12, property="stopping rule ‖∇f(x)‖ ≤ tol at the returned x"),
    ], hint="Newton's method: g = grad_f(x); stop if ‖g‖ ≤ tol; H = hess_f(x); check H is "
            "positive definite; p = np.linalg.solve(H, -g); x = x + p.")


# ---------------------------------------------------------------------------------------------
# 11 · the noise of a mini-batch gradient
# ---------------------------------------------------------------------------------------------

def _mb_noise_by_enumeration(G, B):
    """E‖mean of B distinct rows − mean of all rows‖², averaged over every one of the C(N, B)
    equally likely batches — the definition, enumerated (small N only)."""
    C = np.asarray(G, dtype=float)
    if B == len(C):
        return 0.0                                      # the only batch is the whole set
    C = C - C.mean(axis=0)                              # centred rows: ĝ_S − ḡ = mean_S(C)
    total, count = 0.0, 0
    for batch in itertools.combinations(range(len(C)), B):
        m = C[list(batch)].mean(axis=0)
        total += float(m @ m)
        count += 1
    return total / count


def _mb_noise_sweep(rng, i):
    """(G, B) with N = 2…9 examples, d = 1…4 coordinates; corners first: B = N, B = 1,
    identical rows, an integer G, a huge common offset (1e6) with spread 1, tiny gradients."""
    N = {0: 2, 1: 7, 5: 9}.get(i, int(rng.integers(2, 10)))
    d = 1 if i == 5 else int(rng.integers(1, 5))
    B = {0: N, 1: 1, 5: 4}.get(i, int(rng.integers(1, N + 1)))
    if i == 2:
        G = np.repeat(rng.standard_normal((1, d)), N, axis=0)
    elif i == 3:
        G = rng.integers(-5, 6, size=(N, d))
    elif i == 4:
        G = 1e6 + rng.standard_normal((N, d))
    elif i == 6:
        G = 1e-5 * rng.standard_normal((N, d))
    else:
        G = rng.normal(rng.normal(0, 3), rng.uniform(0.1, 3), size=(N, d))
    return G, B


def _mb_noise_compare(out, expected, args):
    G = np.asarray(args[0], dtype=float)
    spread = float(np.mean((G - G.mean(axis=0)) ** 2))
    atol = 1e-10 * spread + 1e-25 * (1 + float(np.max(np.abs(G)))) ** 2
    return close(expected, rtol=1e-7, atol=atol)(out)


_MB4 = np.array([[1.0], [2.0], [3.0], [4.0]])          # σ² = 1.25, B = 2: 1.25 · (2/3) / 2 = 5/12
_MB_CROSS = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]])   # ḡ = 0, ‖gᵢ‖ = 1


def check_minibatch_noise(fn):
    """minibatch_noise(G, B) = E‖ĝ_B − ḡ‖², the mean squared distance between the mean gradient
    of a batch of B *distinct* examples drawn uniformly (a batch of a shuffled epoch) and the
    full-batch gradient ḡ, for per-example gradients G (N × d, N ≥ 2, 1 ≤ B ≤ N):

        E‖ĝ_B − ḡ‖² = σ²/B · (N − B)/(N − 1),   σ² = (1/N) Σᵢ ‖gᵢ − ḡ‖².

    Catches: sampling with replacement (no (N − B)/(N − 1) factor), the sample variance (ddof=1)
    together with the factor, (N − B)/N for the factor, the standard deviation instead of the
    expected square, the variance of all entries pooled (np.var(G) without an axis),
    per-coordinate variances not summed, ‖gᵢ‖² not centred on ḡ, 1/√B instead of
    1/B, the one-pass formula mean‖g‖² − ‖ḡ‖² (cancels catastrophically under a large common
    offset), changing G in place (reported by the core). The sweep's oracle averages over every
    one of the C(N, B) possible batches."""
    cases = [
        Case("G = [[1], [3]], B = 1", (np.array([[1.0], [3.0]]), 1), close(1.0)),
        Case("G = [[1], [3]], B = 2 (the batch is everything)", (np.array([[1.0], [3.0]]), 2),
             close(0.0)),
        Case("G = [[1], [2], [3], [4]], B = 2", (_MB4, 2), close(5 / 12)),
        Case("four 2-D gradients ±e₁, ±e₂, B = 2", (_MB_CROSS, 2), close(1 / 3)),
        Case("four 2-D gradients ±e₁, ±e₂, B = 3", (_MB_CROSS, 3), close(1 / 9)),
        Case("three identical gradients [2, 5], B = 2", (np.array([[2.0, 5.0]] * 3), 2),
             close(0.0)),
        Case("G = [[1], [2], [3], [4]] + 10⁸ (a large common part), B = 2", (_MB4 + 1e8, 2),
             close(5 / 12)),
        Case("an integer G = np.array([[1], [2], [3], [4]]), B = 2",
             (np.array([[1], [2], [3], [4]]), 2), close(5 / 12)),
    ]

    def val(f, G=_MB4, B=2):
        out = np.asarray(_call(f, (G, B)), dtype=float)
        return float(out) if out.shape == () else None

    def is_(f, *values, G=_MB4, B=2):
        v = val(f, G, B)
        return v is not None and any(math.isclose(v, w, rel_tol=1e-9) for w in values)

    mistakes = [
        Mistake("with replacement", lambda f: is_(f, 1.25 / 2),
                "that is the noise of B examples drawn *with* replacement, σ²/B. A batch of a "
                "shuffled epoch holds B different examples, which is less noisy: multiply by "
                "(N − B)/(N − 1) — 0 when B = N, as it must be."),
        Mistake("ddof = 1", lambda f: is_(f, (5 / 3) * (2 / 3) / 2, (5 / 3) / 2),
                "σ² here is the variance of the N gradients themselves, dividing by N (ddof=0): "
                "np.mean(np.sum((G - G.mean(0))**2, axis=1)). The (N − 1) already sits in the "
                "factor (N − B)/(N − 1)."),
        Mistake("(N − B)/N", lambda f: is_(f, 1.25 * (2 / 4) / 2),
                "the finite-population factor is (N − B)/(N − 1), not (N − B)/N: with B = 1 it "
                "must be 1 (one example is one example, with or without replacement)."),
        Mistake("standard deviation", lambda f: is_(f, math.sqrt(5 / 12), math.sqrt(0.625)),
                "return the expected *squared* distance E‖ĝ − ḡ‖² (a variance), not its square "
                "root."),
        Mistake("not centred", lambda f: is_(f, 7.5 * (2 / 3) / 2, 7.5 / 2, 7.5 * (2 / 4) / 2),
                "σ² measures the spread around the full gradient: use ‖gᵢ − ḡ‖², not ‖gᵢ‖² "
                "(subtract G.mean(axis=0) first)."),
        Mistake("1/√B", lambda f: is_(f, 1.25 * (2 / 3) / math.sqrt(2), 1.25 / math.sqrt(2)),
                "the variance of a mean of B terms falls like 1/B (its standard deviation like "
                "1/√B): divide σ² by B."),
        Mistake("variance of all entries",
                lambda f: is_(f, 5 / 12) and is_(f, 1 / 6, G=_MB_CROSS, B=2),
                "np.var(G) without an axis mixes the coordinates into one pool of numbers. σ² is "
                "the mean squared distance of each gradient *vector* from the mean vector: "
                "np.mean(np.sum((G - G.mean(axis=0))**2, axis=1))."),
        Mistake("per coordinate", lambda f: np.shape(_call(f, (_MB_CROSS, 2))) == (2,),
                "return one number: the expected squared *length* ‖ĝ − ḡ‖² sums the variances of "
                "all d coordinates (sum over axis 1 as well)."),
        Mistake("one-pass variance", lambda f: is_(f, 5 / 12) and not is_(f, 5 / 12, G=_MB4 + 1e8),
                "mean(‖g‖²) − ‖ḡ‖² subtracts two huge, nearly equal numbers when the gradients "
                "share a large common part (here 10⁸): all digits cancel. Centre first — "
                "G − G.mean(axis=0) — then square."),
    ]
    return run_checks("minibatch_noise", fn, cases, mistakes, sweep=Sweep(
        _mb_noise_sweep, _mb_noise_by_enumeration, _mb_noise_compare, n=200, seed=13,
        size=lambda args: np.size(args[0]),
        property="equality with the average of ‖ĝ_S − ḡ‖² over all C(N, B) batches S"),
        hint="E‖ĝ_B − ḡ‖² = σ²/B · (N − B)/(N − 1) with σ² = (1/N) Σ ‖gᵢ − ḡ‖².")
