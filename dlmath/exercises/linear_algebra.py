"""Exercise checkers for linear algebra (notebooks 01–05).

Each checker runs the learner's function on cases whose answers are written out here — hand-computed
numbers, closed forms, or properties such as Av = λv — and recognises the classic mistakes for the
exercise by their symptoms. No checker calls a reference solution.

    01 vectors, matrices, tensors    check_vector_norms, check_cosine_similarity,
                                     check_add_channel_bias
    02 matrix multiplication         check_matmul_shape, check_linear_forward,
                                     check_parallelogram_area
    03 linear systems                check_least_squares, check_condition_number
    04 eigenvalues and PCA           check_power_iteration, check_explained_variance_ratio
    05 SVD                           check_rank_k_approx, check_eckart_young_error
"""
import math

import numpy as np

from .core import Case, Mistake, close, run_checks, _call

__all__ = ["check_vector_norms", "check_cosine_similarity", "check_add_channel_bias",
           "check_matmul_shape", "check_linear_forward", "check_parallelogram_area",
           "check_least_squares", "check_condition_number",
           "check_power_iteration", "check_explained_variance_ratio",
           "check_rank_k_approx", "check_eckart_young_error"]


def _arr(*rows):
    return np.array(rows, dtype=float)


def _value(f, *args):
    """The learner's output as a float array (what the detectors compare)."""
    out = _call(f, args)
    return np.asarray(getattr(out, "data", out), dtype=float)


def _near(f, args, target, rtol=1e-6, atol=1e-9):
    out = _value(f, *args)
    target = np.asarray(target, dtype=float)
    return out.shape == target.shape and np.allclose(out, target, rtol=rtol, atol=atol)


def _passes(f, args, expect):
    try:
        return expect(_call(f, args)) is None
    except Exception:
        return False


# ------------------------------------------------------------------------------------------------
# 01 · vectors, matrices, tensors
# ------------------------------------------------------------------------------------------------
def check_vector_norms(fn):
    """norms(x) → (‖x‖₁, ‖x‖₂, ‖x‖∞) = (Σ|xᵢ|, √Σxᵢ², max|xᵢ|).

    Catches: L1 without the absolute value, L2 without the square root, ∞-norm as max(x) instead
    of max|x|."""
    x = _arr(3, -4)
    cases = [Case("x = [3, −4]", (x,), close([7.0, 5.0, 4.0])),
             Case("x = [1, −2, 2, 0]", (_arr(1, -2, 2, 0),), close([5.0, 3.0, 2.0])),
             Case("a single entry x = [−7]", (_arr(-7),), close([7.0, 7.0, 7.0])),
             Case("the zero vector", (np.zeros(3),), close([0.0, 0.0, 0.0]))]
    first = lambda f, i: _value(f, x)[i]
    mistakes = [
        Mistake("L1 without abs", lambda f: np.isclose(first(f, 0), -1.0),
                "for [3, −4] your L1 norm is −1: the L1 norm adds the *sizes* of the entries, "
                "Σ|xᵢ| — take np.abs before summing."),
        Mistake("L2 without sqrt", lambda f: np.isclose(first(f, 1), 25.0),
                "for [3, −4] your L2 norm is 25, the *squared* length: take the square root, "
                "‖x‖₂ = √(Σxᵢ²) = 5."),
        Mistake("max without abs", lambda f: np.isclose(first(f, 2), 3.0),
                "for [3, −4] your ∞-norm is 3 = max(x), but the largest entry in size is −4: "
                "use max|xᵢ| (np.abs(x).max())."),
    ]
    return run_checks("vector_norms", fn, cases, mistakes)


def check_cosine_similarity(fn):
    """cosine_similarity(a, b) = a·b / (‖a‖₂ ‖b‖₂), and 0.0 when either vector is zero.

    Catches: dividing by one norm only, L1 norms, squared norms, division by zero for a zero
    vector."""
    cases = [Case("perpendicular [1, 0] and [0, 1]", (_arr(1, 0), _arr(0, 1)), close(0.0)),
             Case("same direction [1, 2, 3] and [2, 4, 6]", (_arr(1, 2, 3), _arr(2, 4, 6)),
                  close(1.0)),
             Case("opposite [1, 1] and [−3, −3]", (_arr(1, 1), _arr(-3, -3)), close(-1.0)),
             Case("[3, 4] and [0, 2] (cos = 8/10)", (_arr(3, 4), _arr(0, 2)), close(0.8)),
             Case("[1, 2, 2] and [2, 1, 2] (cos = 8/9)", (_arr(1, 2, 2), _arr(2, 1, 2)),
                  close(8 / 9)),
             Case("a zero vector [0, 0] and [1, 2]", (_arr(0, 0), _arr(1, 2)), close(0.0))]
    probe = lambda f: float(_value(f, _arr(3, 4), _arr(0, 2)))

    def zero_division(f):
        try:
            out = _value(f, _arr(0, 0), _arr(1, 2))
        except (ZeroDivisionError, FloatingPointError):
            return True
        return not np.all(np.isfinite(out))

    mistakes = [
        Mistake("one norm only", lambda f: np.isclose(probe(f), 1.6) or np.isclose(probe(f), 4.0),
                "for [3, 4] and [0, 2] you return 8/5 or 8/2: divide the dot product by *both* "
                "lengths, ‖a‖·‖b‖ = 5·2 = 10."),
        Mistake("L1 norm", lambda f: np.isclose(probe(f), 8 / 14),
                "you divided by L1 norms (7·2): the angle formula a·b = ‖a‖‖b‖cos θ uses the "
                "Euclidean (L2) length √(Σxᵢ²)."),
        Mistake("squared norms", lambda f: np.isclose(probe(f), 8 / 100),
                "you divided by ‖a‖²‖b‖² = 100: take the square roots — the lengths are "
                "‖a‖ = √(a·a)."),
        Mistake("zero vector", zero_division,
                "a zero vector has no direction, and 0/0 gives nan: when either norm is 0, "
                "return 0.0 (PyTorch does the same by clamping the denominator)."),
    ]
    return run_checks("cosine_similarity", fn, cases, mistakes)


def check_add_channel_bias(fn):
    """add_channel_bias(Z, b): Z has shape (N, C, H, W), b has shape (C,); add b[c] to every pixel
    of channel c, i.e. Z + b.reshape(1, C, 1, 1).

    Catches: plain Z + b (b lines up with the last axis, W), b[:, None] (lines up with H), a
    reshape that changes the output's shape."""
    b = _arr(1, 2, 3)
    per_channel = lambda shape, bias: np.zeros(shape) + bias.reshape(1, -1, 1, 1)
    Z2 = np.arange(8, dtype=float).reshape(1, 2, 2, 2)
    cases = [Case("Z of shape (2, 3, 4, 5), b = [1, 2, 3]", (np.zeros((2, 3, 4, 5)), b),
                  close(per_channel((2, 3, 4, 5), b))),
             Case("a square case: Z of shape (2, 3, 3, 3)", (np.zeros((2, 3, 3, 3)), b),
                  close(per_channel((2, 3, 3, 3), b))),
             Case("Z = arange(8) as (1, 2, 2, 2), b = [10, −10]", (Z2, _arr(10, -10)),
                  close(Z2 + _arr(10, -10).reshape(1, 2, 1, 1)))]
    mistakes = [
        Mistake("last axis",
                lambda f: _near(f, (np.zeros((1, 3, 2, 3)), b), np.zeros((1, 3, 2, 3)) + b),
                "broadcasting lines shapes up from the *right*, so a (C,) bias is added along "
                "the last axis (W), not the channels. Reshape it to (1, C, 1, 1) — or "
                "b[:, None, None] — so it lines up with axis 1."),
        Mistake("height axis",
                lambda f: _near(f, (np.zeros((1, 3, 3, 2)), b),
                                np.zeros((1, 3, 3, 2)) + b[:, None]),
                "b[:, None] has shape (C, 1), which lines up with (H, W): the bias runs down "
                "the rows. The channel axis is third from the right, so use b[:, None, None]."),
        Mistake("shape changed",
                lambda f: _value(f, np.zeros((1, 3, 2, 2)), b).shape != (1, 3, 2, 2),
                "adding a bias must not change the shape (N, C, H, W). A (C, 1, 1, 1) bias "
                "lines up with N, not C: use b.reshape(1, C, 1, 1)."),
    ]
    return run_checks("add_channel_bias", fn, cases, mistakes)


# ------------------------------------------------------------------------------------------------
# 02 · matrix multiplication and the linear layer
# ------------------------------------------------------------------------------------------------
def _shape_expect(expected):
    def expect(out):
        if expected is None:
            return None if out is None else f"the shapes do not fit, so expected None, got {out!r}"
        if out is None:
            return f"expected {expected}, got None"
        try:
            got = tuple(int(v) for v in out)
        except TypeError:
            return f"expected a tuple like {expected}, got {out!r}"
        return None if got == expected else f"expected {expected}, got {got}"
    return expect


def check_matmul_shape(fn):
    """matmul_shape(shape_a, shape_b) → the shape of A @ B for 2-D A, B, or None if they don't fit:
    (m, n) @ (n, p) → (m, p).

    Catches: no check that the inner sizes agree, returning the inner sizes, mixing up the
    outer sizes."""
    cases = [Case("(2, 3) @ (3, 4)", ((2, 3), (3, 4)), _shape_expect((2, 4))),
             Case("a batch: (64, 784) @ (784, 128)", ((64, 784), (784, 128)),
                  _shape_expect((64, 128))),
             Case("row times column: (1, 5) @ (5, 1)", ((1, 5), (5, 1)), _shape_expect((1, 1))),
             Case("column times row: (5, 1) @ (1, 5)", ((5, 1), (1, 5)), _shape_expect((5, 5))),
             Case("(2, 3) @ (2, 3) does not fit", ((2, 3), (2, 3)), _shape_expect(None)),
             Case("(3, 2) @ (3, 2) does not fit", ((3, 2), (3, 2)), _shape_expect(None))]
    out = lambda f, a, b: tuple(int(v) for v in _call(f, (a, b)))
    mistakes = [
        Mistake("no compatibility check", lambda f: _call(f, ((2, 3), (2, 3))) is not None,
                "(2, 3) @ (2, 3) cannot be multiplied: each row of A (3 numbers) must pair with a "
                "column of B (2 numbers). Return None unless shape_a[1] == shape_b[0]."),
        Mistake("inner sizes", lambda f: out(f, (2, 3), (3, 4)) == (3, 3),
                "you returned the inner sizes (n, n): those are summed away. The result keeps "
                "the outer ones — rows of A, columns of B."),
        Mistake("wrong outer sizes", lambda f: out(f, (2, 3), (3, 4)) in {(4, 2), (2, 3), (3, 4)},
                "(m, n) @ (n, p) gives (m, p): one row per row of A (m) and one column per "
                "column of B (p), in that order."),
    ]
    return run_checks("matmul_shape", fn, cases, mistakes)


def check_linear_forward(fn):
    """linear(X, W, b) = X Wᵀ + b with X (N, in), W (out, in) as in dlmath.nn.Linear and PyTorch,
    b (out,) → (N, out).

    Catches: W not transposed, the bias added down the rows (b[:, None]), the bias forgotten."""
    X1, W1, b1 = _arr([1, 2, 3], [0, 1, 0]), _arr([1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]), \
        _arr(0, 0, 0, 10)
    # a square case (N = in = out = 3), where every mistake runs without an error
    X, W, b = _arr([1, 2, 0], [0, 1, 3], [2, 0, 1]), _arr([1, 0, 2], [0, 3, 0], [1, 1, 0]), \
        _arr(1, -1, 5)
    cases = [Case("X (2×3), W (4×3), b (4,)", (X1, W1, b1), close([[1, 2, 3, 16], [0, 1, 0, 11]])),
             Case("a square case: X, W 3×3, b = [1, −1, 5]", (X, W, b),
                  close([[2, 5, 8], [7, 2, 6], [5, -1, 7]])),
             Case("one sample, one output", (_arr([2, -1]), _arr([3, 4]), _arr(0.5)),
                  close([[2.5]]))]
    mistakes = [
        Mistake("W not transposed", lambda f: _near(f, (X, W, b), [[2, 5, 7], [4, 5, 5],
                                                                  [4, 0, 9]]),
                "W has one row per output neuron, shape (out, in), so the layer is X Wᵀ + b: "
                "use X @ W.T. (X @ W only ran because the test matrix was square.)"),
        Mistake("bias on the wrong axis", lambda f: _near(f, (X, W, b), [[2, 7, 4], [5, 2, 0],
                                                                        [9, 5, 7]]),
                "the bias belongs to the output neurons, the columns of X Wᵀ: add b with shape "
                "(out,) so it broadcasts along each row — not b[:, None], which adds b[i] to row i."),
        Mistake("bias forgotten", lambda f: _near(f, (X, W, b), [[1, 6, 3], [6, 3, 1], [4, 0, 2]]),
                "the output is X Wᵀ without the bias: add b (shape (out,), broadcast over the "
                "batch)."),
    ]
    return run_checks("linear_forward", fn, cases, mistakes)


def check_parallelogram_area(fn):
    """parallelogram_area(u, v) = |det [u v]| = |u₁v₂ − u₂v₁| for 2-D vectors u, v.

    Catches: the signed determinant (negative areas), ad + bc instead of ad − bc, the product of
    the lengths ‖u‖‖v‖."""
    cases = [Case("unit square e₁, e₂", (_arr(1, 0), _arr(0, 1)), close(1.0)),
             Case("rectangle (2, 0), (0, 3)", (_arr(2, 0), _arr(0, 3)), close(6.0)),
             Case("sheared square (1, 0), (1, 1)", (_arr(1, 0), _arr(1, 1)), close(1.0)),
             Case("swapped order e₂, e₁ (det = −1)", (_arr(0, 1), _arr(1, 0)), close(1.0)),
             Case("(3, 1), (1, 2)", (_arr(3, 1), _arr(1, 2)), close(5.0)),
             Case("parallel vectors (1, 2), (2, 4)", (_arr(1, 2), _arr(2, 4)), close(0.0))]
    val = lambda f, u, v: float(_value(f, _arr(*u), _arr(*v)))
    mistakes = [
        Mistake("signed", lambda f: np.isclose(val(f, (0, 1), (1, 0)), -1.0),
                "an area is never negative: the determinant is a *signed* area (negative when "
                "the order of u, v flips orientation) — take its absolute value."),
        Mistake("plus instead of minus", lambda f: np.isclose(val(f, (3, 1), (1, 2)), 7.0),
                "det [[a, b], [c, d]] = ad − bc, with a minus: for (3, 1), (1, 2) that is "
                "3·2 − 1·1 = 5."),
        Mistake("product of lengths", lambda f: np.isclose(val(f, (1, 0), (1, 1)), math.sqrt(2)),
                "‖u‖·‖v‖ is the area only when u ⟂ v; shearing keeps base and height, so the "
                "area of (1, 0), (1, 1) is 1. Use |u₁v₂ − u₂v₁|."),
    ]
    return run_checks("parallelogram_area", fn, cases, mistakes)


# ------------------------------------------------------------------------------------------------
# 03 · linear systems, conditioning, least squares
# ------------------------------------------------------------------------------------------------
_LS_SQUARE = (_arr([2, 1], [1, 3]), _arr(3, 5))                  # x = (0.8, 1.4)
_LS_LINE = (_arr([1, 0], [1, 1], [1, 2]), _arr(1, 2, 4))        # x = (5/6, 3/2)
_D = 1e-6                                                       # κ(A) ≈ 2.4e6
_LS_ILL = (_arr([1, 1], [1, 1 + _D], [1, 1 + 2 * _D]), _arr(2, 2 + _D, 2 + 2 * _D))  # x = (1, 1)


def check_least_squares(fn):
    """least_squares(A, b) → x minimising ‖Ax − b‖₂, accurate even when A is ill-conditioned.

    Catches: the normal equations (AᵀA squares the condition number), returning the whole
    np.linalg.lstsq tuple, np.linalg.solve on a non-square A, Aᵀb without solving."""
    sq, line, ill = close([0.8, 1.4]), close([5 / 6, 1.5]), close([1.0, 1.0], rtol=0, atol=1e-7)
    cases = [Case("a square system 2x + y = 3, x + 3y = 5", _LS_SQUARE, sq),
             Case("a line through (0, 1), (1, 2), (2, 4)", _LS_LINE, line),
             Case("nearly dependent columns (κ ≈ 2.4·10⁶), x = (1, 1)", _LS_ILL, ill)]

    def normal_equations(f):
        if not (_passes(f, _LS_SQUARE, sq) and _passes(f, _LS_LINE, line)):
            return False
        try:
            return ill(_call(f, _LS_ILL)) is not None
        except np.linalg.LinAlgError:
            return True

    def square_only(f):
        try:
            _call(f, _LS_LINE)
        except np.linalg.LinAlgError:
            return _passes(f, _LS_SQUARE, sq)
        return False

    mistakes = [
        Mistake("normal equations", normal_equations,
                "right on easy systems, but off by more than 1e-7 when the columns are nearly "
                "dependent: forming AᵀA squares the condition number (2.4e6 → 6e12) and loses "
                "half the digits. Let np.linalg.lstsq(A, b, rcond=None) (QR/SVD) work on A itself."),
        Mistake("whole lstsq tuple", lambda f: isinstance(_call(f, _LS_LINE), tuple),
                "np.linalg.lstsq returns four things (x, residuals, rank, singular values): "
                "return only the first, lstsq(A, b, rcond=None)[0]."),
        Mistake("square solve", square_only,
                "np.linalg.solve needs a square A. With more equations than unknowns there is "
                "usually no exact solution: use np.linalg.lstsq, which minimises ‖Ax − b‖."),
        Mistake("A transpose b", lambda f: _near(f, _LS_LINE, [7.0, 10.0]),
                "you returned Aᵀb = [7, 10]: that is the right-hand side of the normal equations, "
                "not their solution. Let np.linalg.lstsq solve the problem."),
    ]
    return run_checks("least_squares", fn, cases, mistakes)


def _huge(out):
    v = float(np.asarray(getattr(out, "data", out)))
    return None if (np.isinf(v) or v > 1e15) else f"expected inf (or > 1e15), got {v:.6g}"


def check_condition_number(fn):
    """condition_number(A) = σ_max / σ_min (the 2-norm condition number κ₂), inf when singular.
    Works for square and rectangular matrices.

    Catches: the ratio of eigenvalues (wrong for non-symmetric A), the inverted ratio, ‖A‖₂ alone,
    the Frobenius norms ‖A‖_F‖A⁻¹‖_F."""
    a = 100.0
    shear = ((math.sqrt(a * a + 4) + a) / 2) ** 2      # σ₁/σ₂ of [[1, a], [0, 1]] in closed form
    cases = [Case("the identity I₃ (κ = 1)", (np.eye(3),), close(1.0)),
             Case("diag(10, 0.1) (κ = 100)", (np.diag([10.0, 0.1]),), close(100.0)),
             Case("rotate-and-scale [[0, −2], [0.5, 0]] (σ = 2, 0.5)", (_arr([0, -2], [0.5, 0]),),
                  close(4.0)),
             Case("the shear [[1, 100], [0, 1]]", (_arr([1, a], [0, 1]),), close(shear)),
             Case("a 3×2 matrix [[3, 0], [0, 4], [0, 0]]", (_arr([3, 0], [0, 4], [0, 0]),),
                  close(4 / 3)),
             Case("a singular matrix diag(1, 0)", (np.diag([1.0, 0.0]),), _huge)]
    val = lambda f, A: float(_value(f, A))
    mistakes = [
        Mistake("eigenvalues", lambda f: np.isclose(val(f, _arr([1, a], [0, 1])), 1.0),
                "the shear [[1, 100], [0, 1]] has both eigenvalues 1, yet it stretches some "
                "vectors 100×: eigenvalues do not measure stretching unless A is symmetric. "
                "Use the singular values, σ_max/σ_min (np.linalg.svd(A, compute_uv=False))."),
        Mistake("inverted", lambda f: np.isclose(val(f, np.diag([10.0, 0.1])), 0.01),
                "upside down: κ = σ_max/σ_min ≥ 1, the largest stretch over the smallest."),
        Mistake("norm of A only", lambda f: np.isclose(val(f, np.diag([10.0, 0.1])), 10.0),
                "‖A‖₂ = σ_max is only half of it: κ = ‖A‖·‖A⁻¹‖ = σ_max/σ_min."),
        Mistake("Frobenius", lambda f: np.isclose(val(f, np.eye(3)), 3.0),
                "κ(I) should be 1, you get 3: ‖·‖_F (np.linalg.norm's default for matrices) is "
                "not the 2-norm. Use the singular values: σ_max/σ_min."),
    ]
    return run_checks("condition_number", fn, cases, mistakes)


# ------------------------------------------------------------------------------------------------
# 04 · eigenvalues, power iteration, PCA
# ------------------------------------------------------------------------------------------------
_Q3 = np.eye(3) - 2 / 3 * np.ones((3, 3))          # a Householder reflection: orthogonal, symmetric
_A3 = _Q3 @ np.diag([20.0, 5.0, 1.0]) @ _Q3.T      # eigenvalues 20, 5, 1; top eigenvector Q3[:, 0]
_NEG = _arr([-4, 1], [1, 2])                       # eigenvalues −1 ± √10: the dominant one is < 0


def _eigenpair(A, lam):
    A = np.asarray(A, dtype=float)

    def expect(out):
        try:
            got_lam, v = out
        except (TypeError, ValueError):
            return f"expected a pair (eigenvalue, eigenvector), got {type(out).__name__}"
        got_lam = float(np.asarray(getattr(got_lam, "data", got_lam)))
        v = np.asarray(getattr(v, "data", v), dtype=float)
        if not np.isfinite(got_lam) or not np.all(np.isfinite(v)):
            return "the result contains nan or inf"
        if not math.isclose(got_lam, lam, rel_tol=1e-6, abs_tol=1e-9):
            return f"expected the eigenvalue {lam:.6g}, got {got_lam:.6g}"
        if v.shape != (A.shape[0],):
            return f"expected an eigenvector of shape ({A.shape[0]},), got {v.shape}"
        if not math.isclose(np.linalg.norm(v), 1.0, rel_tol=1e-6):
            return f"the eigenvector should have length 1, it has {np.linalg.norm(v):.6g}"
        if np.linalg.norm(A @ v - lam * v) > 1e-6 * max(1.0, abs(lam)):
            return "Av is not λv for the vector you returned"
        return None
    return expect


def check_power_iteration(fn):
    """power_iteration(A, num_iters) → (λ, v): the dominant eigenvalue (the Rayleigh quotient
    vᵀAv) and a unit eigenvector v, for a symmetric matrix A.

    Catches: no normalisation (overflow to inf/nan), ‖Av‖ instead of the Rayleigh quotient (loses
    the sign of a negative eigenvalue), returning a vector that is not of unit length."""
    cases = [Case("[[2, 1], [1, 2]] (λ = 3)", (_arr([2, 1], [1, 2]), 100),
                  _eigenpair([[2, 1], [1, 2]], 3.0)),
             Case("a negative dominant eigenvalue, [[−4, 1], [1, 2]] (λ = −1 − √10)", (_NEG, 200),
                  _eigenpair(_NEG, -1 - math.sqrt(10))),
             Case("3×3 with eigenvalues 20, 5, 1, 500 iterations", (_A3, 500),
                  _eigenpair(_A3, 20.0))]

    def overflow(f):
        lam, v = _call(f, (_A3, 500))
        return not (np.isfinite(float(np.asarray(lam))) and np.all(np.isfinite(np.asarray(v))))

    mistakes = [
        Mistake("overflow", overflow,
                "after 500 multiplications by a matrix with λ = 20 the vector's length is 20⁵⁰⁰, "
                "far beyond float64 (≈ 1.8e308): divide by the norm at *every* step, "
                "v ← Av/‖Av‖."),
        Mistake("norm instead of Rayleigh quotient",
                lambda f: np.isclose(float(np.asarray(_call(f, (_NEG, 200))[0])),
                                     1 + math.sqrt(10)),
                "for [[−4, 1], [1, 2]] you return +4.16, but the eigenvalue is −4.16: ‖Av‖ = |λ| "
                "forgets the sign. Use the Rayleigh quotient λ = vᵀAv (v of length 1)."),
        Mistake("not unit length",
                lambda f: not np.isclose(np.linalg.norm(np.asarray(
                    _call(f, (_arr([2, 1], [1, 2]), 100))[1], dtype=float)), 1.0),
                "return the normalised vector v (‖v‖ = 1), not Av or an unscaled iterate."),
    ]
    return run_checks("power_iteration", fn, cases, mistakes)


_PCA_SHIFTED = _arr([11, 10], [9, 10], [10, 10.5], [10, 9.5])     # variances 2/3, 1/6 → 0.8, 0.2
_PCA_AXES = 5.0 + np.concatenate([np.diag([1.0, 3.0, 2.0]), -np.diag([1.0, 3.0, 2.0])])  # 9:4:1
_U1, _U2 = _arr(0.6, 0.8), _arr(-0.8, 0.6)
_PCA_ROTATED = np.stack([2 * _U1, -2 * _U1, _U2, -_U2])            # variances 8 : 2 along u1, u2


def _pca_data():
    rng = np.random.default_rng(1)
    mix = _arr([2, 0, 0, 0], [1, 1, 0, 0], [0, 0.5, 0.5, 0], [0, 0, 0.2, 0.1])
    return rng.standard_normal((50, 4)) @ mix + 50.0


def _ratio_properties(X):
    Xc = X - X.mean(axis=0)
    share = (Xc ** 2).sum(axis=0) / (Xc ** 2).sum()      # each feature's share of the variance

    def expect(out):
        r = np.asarray(getattr(out, "data", out), dtype=float)
        if r.shape != (X.shape[1],):
            return f"expected one ratio per feature, shape ({X.shape[1]},), got {r.shape}"
        if not np.all(np.isfinite(r)):
            return "the result contains nan or inf"
        if not np.isclose(r.sum(), 1.0):
            return f"the ratios should add up to 1, they add up to {r.sum():.6g}"
        if np.any(np.diff(r) > 1e-12) or r.min() < -1e-12:
            return "the ratios should be non-negative and in decreasing order"
        if r[0] < share.max() - 1e-9 or r[-1] > share.min() + 1e-9:
            return ("the first component must explain at least as much variance as any single "
                    "feature, and the last at most as little (the Rayleigh quotient bounds)")
        return None
    return expect


def check_explained_variance_ratio(fn):
    """explained_variance_ratio(X) → for data X (n samples × d features), the fraction of the total
    variance along each principal direction, shape (d,), in decreasing order.

    Catches: no centring, unsorted eigenvalues (eigh returns them ascending), singular values not
    squared, variances not divided by their total, the n×n Gram matrix X Xᵀ, per-feature variances
    instead of principal directions."""
    cases = [Case("4 points around (10, 10): variances 2 : 0.5", (_PCA_SHIFTED,), close([0.8, 0.2])),
             Case("±e₁, ±3e₂, ±2e₃ shifted by 5 (variances 1 : 9 : 4)", (_PCA_AXES,),
                  close(np.array([9.0, 4.0, 1.0]) / 14)),
             Case("a tilted cloud ±2u₁, ±u₂ (u₁ = (0.6, 0.8))", (_PCA_ROTATED,), close([0.8, 0.2])),
             Case("random correlated data, 50 × 4, mean 50 (properties)", (_pca_data(),),
                  _ratio_properties(_pca_data()))]
    out = lambda f, X: _value(f, X)
    mistakes = [
        Mistake("not centred", lambda f: out(f, _PCA_SHIFTED)[0] > 0.95,
                "almost all the 'variance' sits in the first direction because the data were not "
                "centred: that direction just points at the mean (10, 10). Subtract X.mean(axis=0) "
                "first."),
        Mistake("not sorted", lambda f: out(f, _PCA_AXES)[0] < out(f, _PCA_AXES)[-1],
                "the ratios come out in increasing order: np.linalg.eigh returns eigenvalues "
                "ascending. Reverse them (or sort descending)."),
        Mistake("singular values not squared", lambda f: _near(f, (_PCA_SHIFTED,), [2 / 3, 1 / 3]),
                "the variance along direction i is σᵢ²/(n − 1): square the singular values "
                "before dividing by their total."),
        Mistake("not normalised", lambda f: not np.isclose(out(f, _PCA_SHIFTED).sum(), 1.0)
                and out(f, _PCA_SHIFTED).shape == (2,),
                "these are variances, not ratios: divide them by their total so they add up to 1."),
        Mistake("Gram matrix", lambda f: out(f, _PCA_SHIFTED).shape == (4,),
                "you return one number per *sample* (4) instead of per feature (2): X Xᵀ is n×n. "
                "Use the d×d covariance XcᵀXc/(n − 1), or the SVD of the centred X."),
        Mistake("feature variances", lambda f: _near(f, (_PCA_ROTATED,), [0.584, 0.416]),
                "these are the variances of the separate features, but the cloud is tilted: the "
                "principal directions are the eigenvectors of the covariance matrix, and the "
                "ratios are its eigenvalues over their sum."),
    ]
    return run_checks("explained_variance_ratio", fn, cases, mistakes)


# ------------------------------------------------------------------------------------------------
# 05 · SVD and low-rank approximation
# ------------------------------------------------------------------------------------------------
_S2 = 1 / math.sqrt(2)
_QR = _arr([0.6, -0.8], [0.8, 0.6])
_PR = _arr([_S2, -_S2], [_S2, _S2])
_ROT = _QR @ np.diag([4.0, 2.0]) @ _PR.T                       # σ = 4, 2
_TALL = _Q3[:, :2] @ np.diag([6.0, 1.0]) @ _PR.T               # 3×2, σ = 6, 1
_DIAG = np.diag([5.0, 3.0, 1.0])
# V is orthogonal with |V| not symmetric, so no sign choice makes Vᵀ symmetric: rows ≠ columns
_V3 = _arr([2, -2, 1], [1, 2, 2], [2, 1, -2]) / 3
_ROT3 = _Q3 @ np.diag([6.0, 2.0, 1.0]) @ _V3.T                # σ = 6, 2, 1


def check_rank_k_approx(fn):
    """rank_k_approx(A, k) → A_k = Σ_{i≤k} σᵢ uᵢ vᵢᵀ, the best rank-k approximation of A.

    Catches: k + 1 components instead of k, the singular values left out, the columns of Vᵀ used
    instead of its rows."""
    cases = [Case("diag(5, 3, 1), k = 1", (_DIAG, 1), close(np.diag([5.0, 0, 0]))),
             Case("diag(5, 3, 1), k = 2", (_DIAG, 2), close(np.diag([5.0, 3, 0]))),
             Case("diag(5, 3, 1), k = 0 (the zero matrix)", (_DIAG, 0), close(np.zeros((3, 3)))),
             Case("diag(5, 3, 1), k = 3 (A itself)", (_DIAG, 3), close(_DIAG)),
             Case("a rotated 2×2 with σ = 4, 2, k = 1", (_ROT, 1),
                  close(4 * np.outer(_QR[:, 0], _PR[:, 0]))),
             Case("a 3×2 matrix with σ = 6, 1, k = 1", (_TALL, 1),
                  close(6 * np.outer(_Q3[:, 0], _PR[:, 0]))),
             Case("a rotated 3×3 with σ = 6, 2, 1, k = 2", (_ROT3, 2),
                  close(6 * np.outer(_Q3[:, 0], _V3[:, 0]) + 2 * np.outer(_Q3[:, 1], _V3[:, 1])))]
    mistakes = [
        Mistake("k + 1 components", lambda f: _near(f, (_DIAG, 1), np.diag([5.0, 3, 0])),
                "for k = 1 you kept two components: Python slices stop *before* the end, so "
                "U[:, :k], s[:k], Vt[:k] already hold exactly k."),
        Mistake("singular values forgotten", lambda f: _near(f, (_DIAG, 1), np.diag([1.0, 0, 0])),
                "the pieces are σᵢ uᵢ vᵢᵀ: multiply by the singular values, "
                "(U[:, :k] * s[:k]) @ Vt[:k]."),
        Mistake("columns of Vt", lambda f: _near(f, (_DIAG, 1), np.diag([5.0, 0, 0]))
                and not _near(f, (_ROT3, 1), 6 * np.outer(_Q3[:, 0], _V3[:, 0])),
                "right for diagonal matrices, wrong once A is rotated: np.linalg.svd returns Vᵀ, "
                "whose *rows* are the right singular vectors — use Vt[:k, :], not Vt[:, :k]."),
    ]
    return run_checks("rank_k_approx", fn, cases, mistakes)


def check_eckart_young_error(fn):
    """eckart_young_error(s, k) = ‖A − A_k‖_F = √(σ²_{k+1} + … + σ²_r) from the singular values
    s (descending) alone.

    Catches: skipping one value too many (s[k + 1:]), singular values not squared, no square
    root, the kept part instead of the dropped one."""
    s = _arr(5, 3, 1)
    cases = [Case("s = [5, 3, 1], k = 1", (s, 1), close(math.sqrt(10))),
             Case("s = [5, 3, 1], k = 0 (‖A‖_F)", (s, 0), close(math.sqrt(35))),
             Case("s = [5, 3, 1], k = 2", (s, 2), close(1.0)),
             Case("s = [5, 3, 1], k = 3 (exact)", (s, 3), close(0.0)),
             Case("s = [4, 3], k = 0", (_arr(4, 3), 0), close(5.0))]
    val = lambda f, k: float(_value(f, s, k))
    mistakes = [
        Mistake("off by one", lambda f: np.isclose(val(f, 1), 1.0),
                "for k = 1 the dropped values are σ₂, σ₃ = s[1:], i.e. s[k:] in 0-based Python; "
                "s[k + 1:] skips one."),
        Mistake("not squared", lambda f: np.isclose(val(f, 1), 4.0),
                "the Frobenius error adds *squares*: √(σ₂² + σ₃²) = √10, not σ₂ + σ₃."),
        Mistake("no square root", lambda f: np.isclose(val(f, 1), 10.0),
                "that is the squared error: take the square root, √(Σ_{i>k} σᵢ²)."),
        Mistake("kept part", lambda f: np.isclose(val(f, 1), 5.0),
                "the error is what is *dropped*, σ_{k+1}, …, σ_r, not what is kept."),
    ]
    return run_checks("eckart_young_error", fn, cases, mistakes)
