"""Exercise checkers for linear algebra (notebooks 01–05).

Each checker runs the learner's function on cases whose answers are written out here — hand-computed
numbers, closed forms, or properties such as Av = λv — then on a seeded sweep of random inputs
graded against an independent oracle (the definition summed exactly, an experiment with arrays of
zeros, a matrix built from chosen singular values or eigenpairs, exact rational or 40-digit
arithmetic), and recognises the classic mistakes for the exercise by their symptoms. No checker
calls a reference solution.

    01 vectors, matrices, tensors    check_vector_norms, check_cosine_similarity,
                                     check_add_channel_bias
    02 matrix multiplication         check_matmul_shape, check_linear_forward,
                                     check_parallelogram_area
    03 linear systems                check_condition_number, check_projection
    04 eigenvalues and PCA           check_power_iteration, check_explained_variance_ratio
    05 SVD                           check_top_singular_triplets, check_rank_for_error
"""
import fractions
import math

import numpy as np

from .core import Case, Given, Mistake, Sweep, close, fmt, run_checks, _call

__all__ = ["check_vector_norms", "check_cosine_similarity", "check_add_channel_bias",
           "check_matmul_shape", "check_linear_forward", "check_parallelogram_area",
           "check_condition_number", "check_projection",
           "check_power_iteration", "check_explained_variance_ratio",
           "check_top_singular_triplets", "check_rank_for_error"]


def _arr(*rows):
    return np.array(rows, dtype=float)


def _value(f, *args):
    """The learner's output as a float array (what the detectors compare)."""
    out = _call(f, args)
    return np.asarray(getattr(out, "data", out), dtype=float)


def _near(f, args, target, rtol=1e-6, atol=1e-9):
    """Does fn(*args) equal target? (False if fn raises: then it is not this mistake.)"""
    try:
        out = _value(f, *args)
    except Exception:
        return False
    target = np.asarray(target, dtype=float)
    return out.shape == target.shape and np.allclose(out, target, rtol=rtol, atol=atol)


def _passes(f, args, expect):
    try:
        return expect(_call(f, args)) is None
    except Exception:
        return False


def _scalar(out):
    """The learner's answer as a Python float (a 0-d or 1-element array, a Tensor are fine)."""
    v = np.asarray(getattr(out, "data", out), dtype=float)
    if v.size != 1:
        raise ValueError(f"expected a single number, got an array of shape {v.shape}")
    return float(v.reshape(()))


def _fails(f, args):
    """True when fn raises an arithmetic error or returns something non-finite on args."""
    try:
        out = _value(f, *args)
    except (ZeroDivisionError, FloatingPointError):
        return True
    return not np.all(np.isfinite(out))


def _raises_any(f, args):
    try:
        _call(f, args)
    except Exception:
        return True
    return False


def _low_precision(f, args, expected):
    """Right to float32 accuracy (~1e-5) but not to float64 accuracy (1e-10)."""
    out = _value(f, *args)
    return (out.shape == np.shape(expected) and np.allclose(out, expected, rtol=1e-5)
            and not np.allclose(out, expected, rtol=1e-10, atol=0))


def _parallel(v, w):
    v, w = np.asarray(v, dtype=float), np.asarray(w, dtype=float)
    return (v.shape == w.shape and np.all(np.isfinite(v)) and np.linalg.norm(v) > 0
            and abs(abs(v @ w) / (np.linalg.norm(v) * np.linalg.norm(w)) - 1) < 1e-6)


def _orthonormal(rng, n, r=None):
    """n×r with orthonormal columns: the Q of a Gaussian matrix's QR, column signs fixed."""
    r = n if r is None else r
    Q, R = np.linalg.qr(rng.standard_normal((n, r)))
    return Q * np.where(np.diag(R) < 0, -1.0, 1.0)


def _some(rng, shape, scale=1.0, decimals=1):
    """Random numbers with few digits (so a failing input prints exactly)."""
    return np.round(rng.standard_normal(shape) * 3, decimals) * scale


def _by_close(rtol=1e-6, atol=1e-9):
    return lambda out, expected, args: close(expected, rtol=rtol, atol=atol)(out)


def _elements(args):
    return sum(np.size(a) for a in args)


# ------------------------------------------------------------------------------------------------
# 01 · vectors, matrices, tensors
# ------------------------------------------------------------------------------------------------
def _norms_input(rng, i):
    corners = [_arr(0), _arr(-3), np.zeros(3), _arr(-5, -1), _arr(2, -7, 7), np.array([3, -4]),
               np.array([-2, -2, 1]), _arr(1e-16, -1e-16), _arr(1e8, -1e8, 1.5), -0.5 * np.ones(20),
               _arr(1e20, -3e20), _arr(0.1, 0.2, 0.3), _arr(1e-25, 2e-25)]
    if i < len(corners):
        return (corners[i],)
    n = int(rng.integers(1, 9))
    if i % 7 == 3:
        return (rng.integers(-9, 10, size=n),)                   # integer dtype
    x = _some(rng, n, 10.0 ** int(rng.integers(-2, 3)))
    if i % 5 == 1:
        x = -np.abs(x)                                           # all negative: max(x) < 0
    return (x,)


def _norms_oracle(x):
    v = [float(t) for t in x]
    return np.array([math.fsum(abs(t) for t in v), math.sqrt(math.fsum(t * t for t in v)),
                     max(abs(t) for t in v)])


def check_vector_norms(fn):
    """norms(x) → (‖x‖₁, ‖x‖₂, ‖x‖∞) = (Σ|xᵢ|, √Σxᵢ², max|xᵢ|).

    Catches: L1 without the absolute value, L2 without the square root, ∞-norm as max(x) instead
    of max|x|, the three in the wrong order, changing x in place. Sweep: random vectors (all
    negative, integer dtype, single entries, zeros) against the definitions summed exactly."""
    x = _arr(3, -4)
    cases = [Case("x = [3, −4]", (x,), close([7.0, 5.0, 4.0])),
             Case("x = [1, −2, 2, 0]", (_arr(1, -2, 2, 0),), close([5.0, 3.0, 2.0])),
             Case("a single entry x = [−7]", (_arr(-7),), close([7.0, 7.0, 7.0])),
             Case("the zero vector", (np.zeros(3),), close([0.0, 0.0, 0.0])),
             Case("all negative x = [−5, −1]", (_arr(-5, -1),), close([6.0, math.sqrt(26), 5.0])),
             Case("integers x = [3, −4] (dtype int64)", (np.array([3, -4]),),
                  close([7.0, 5.0, 4.0]))]
    first = lambda f, i: _value(f, x)[i]
    mistakes = [
        Mistake("L1 without abs", lambda f: np.isclose(first(f, 0), -1.0),
                "for [3, −4] your L1 norm is −1: the L1 norm adds the *sizes* of the entries, "
                "Σ|xᵢ| — take np.abs before summing."),
        Mistake("L2 without sqrt", lambda f: np.isclose(first(f, 1), 25.0),
                "for [3, −4] your L2 norm is 25, the *squared* length: take the square root, "
                "‖x‖₂ = √(Σxᵢ²) = 5."),
        Mistake("max without abs", lambda f: np.isclose(first(f, 2), 3.0)
                or np.isclose(_value(f, _arr(-5, -1))[2], 1.0),
                "for [3, −4] your ∞-norm is 3 = max(x) (and for [−5, −1] it is 1), but the "
                "largest entry in size is −4: use max|xᵢ| (np.abs(x).max()), not |max(x)|."),
        Mistake("signed max entry", lambda f: np.isclose(first(f, 2), -4.0),
                "for [3, −4] your ∞-norm is −4, the entry itself: a norm is a size, never "
                "negative — max|xᵢ| = |−4| = 4."),
        Mistake("square of the sum", lambda f: np.isclose(first(f, 1), 1.0),
                "for [3, −4] your L2 norm is 1 = √((3 − 4)²): square each entry *before* "
                "summing, √(Σxᵢ²) = √(9 + 16) = 5."),
        Mistake("low precision", lambda f: _low_precision(f, (_arr(0.1, 0.2, 0.3),),
                                                           _norms_oracle(_arr(0.1, 0.2, 0.3)))
                or not np.all(np.isfinite(_value(f, _arr(1e20, -3e20)))),
                "your norms are right to only ~7 digits (or overflow for [1e20, −3e20]): that is "
                "float32. Compute in float64, NumPy's default — don't convert to np.float32."),
        Mistake("wrong order", lambda f: sorted(np.round(_value(f, x), 9)) == [4.0, 5.0, 7.0]
                and not np.allclose(_value(f, x), [7.0, 5.0, 4.0]),
                "the three numbers are right but in the wrong order: return (‖x‖₁, ‖x‖₂, ‖x‖∞) — "
                "for [3, −4] that is (7, 5, 4)."),
    ]
    sweep = Sweep(_norms_input, _norms_oracle, _by_close(1e-12, 1e-300), n=200, seed=101,
                  size=_elements, property="(Σ|xᵢ|, √Σxᵢ², max|xᵢ|)")
    return run_checks("vector_norms", fn, cases, mistakes, sweep=sweep,
                      hint="Compute each norm from its definition, in this order: "
                           "np.abs(x).sum(), np.sqrt((x ** 2).sum()), np.abs(x).max().")


def _cos_input(rng, i):
    corners = [(_arr(1, 2), _arr(0, 0)), (_arr(0, 0, 0), _arr(1, 2, 3)), (_arr(0, 0), _arr(0, 0)),
               (_arr(1, -1), _arr(1, 0)), (_arr(2, -1, -1), _arr(1, 1, 0)),
               (np.array([1, 2]), np.array([2, 1])), (_arr(3), _arr(-2)),
               (_arr(1, 1), _arr(-3, -3)), (_arr(1, 2, 3), _arr(1, 2, 3)),
               (_arr(1e-3, 2e-3), _arr(3e3, -1e3)), (np.array([0, 5]), np.array([-1, -1])),
               (_arr(1e-9, 0), _arr(2e-9, 1e-9)), (_arr(3e-7, -4e-7), _arr(1, 1))]
    if i < len(corners):
        return corners[i]
    n = int(rng.integers(1, 7))
    if i % 7 == 2:
        return rng.integers(-4, 5, size=n), rng.integers(-4, 5, size=n)
    a = _some(rng, n, 10.0 ** int(rng.integers(-2, 3)))
    b = _some(rng, n, 10.0 ** int(rng.integers(-2, 3)))
    if i % 6 == 1:
        b = -2.5 * a if i % 12 == 1 else 0 * b
    if i % 6 == 4:
        a = np.zeros(n)
    return a, b


def _cos_oracle(a, b):
    a, b = [float(t) for t in a], [float(t) for t in b]
    if not any(a) or not any(b):
        return 0.0
    dot = math.fsum(x * y for x, y in zip(a, b))
    return dot / (math.sqrt(math.fsum(x * x for x in a)) * math.sqrt(math.fsum(y * y for y in b)))


def check_cosine_similarity(fn):
    """cosine_similarity(a, b) = a·b / (‖a‖₂ ‖b‖₂), and 0.0 when either vector is zero.

    Catches: dividing by one norm only, L1 norms, squared norms, division by zero for a zero
    vector (in either position), a zero test by the sum of the entries (a nonzero vector can sum
    to 0), |cos|. Sweep: random pairs (zero vectors first or second, parallel, integer dtype,
    scales 10⁻² to 10²) against the definition."""
    cases = [Case("perpendicular [1, 0] and [0, 1]", (_arr(1, 0), _arr(0, 1)), close(0.0)),
             Case("same direction [1, 2, 3] and [2, 4, 6]", (_arr(1, 2, 3), _arr(2, 4, 6)),
                  close(1.0)),
             Case("opposite [1, 1] and [−3, −3]", (_arr(1, 1), _arr(-3, -3)), close(-1.0)),
             Case("[3, 4] and [0, 2] (cos = 8/10)", (_arr(3, 4), _arr(0, 2)), close(0.8)),
             Case("[1, 2, 2] and [2, 1, 2] (cos = 8/9)", (_arr(1, 2, 2), _arr(2, 1, 2)),
                  close(8 / 9)),
             Case("a zero vector [0, 0] and [1, 2]", (_arr(0, 0), _arr(1, 2)), close(0.0)),
             Case("[1, 2] and the zero vector [0, 0] (the zero one second)",
                  (_arr(1, 2), _arr(0, 0)), close(0.0)),
             Case("[1, −1] (not zero, though its entries sum to 0) and [1, 0]",
                  (_arr(1, -1), _arr(1, 0)), close(1 / math.sqrt(2))),
             Case("tiny but not zero: [10⁻⁹, 0] and [2·10⁻⁹, 10⁻⁹] (cos = 2/√5)",
                  (_arr(1e-9, 0), _arr(2e-9, 1e-9)), close(2 / math.sqrt(5)))]
    probe = lambda f: _scalar(_call(f, (_arr(3, 4), _arr(0, 2))))
    val = lambda f, a, b: _scalar(_call(f, (_arr(*a), _arr(*b))))

    def zero_division(f):
        return _fails(f, (_arr(0, 0), _arr(1, 2)))

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
                "return 0.0."),
        Mistake("second vector zero", lambda f: _fails(f, (_arr(1, 2), _arr(0, 0))),
                "you guard against a zero a, but b can be the zero vector too: [1, 2] and "
                "[0, 0] gives 0/0. Return 0.0 when *either* norm is 0."),
        Mistake("zero test by sum", lambda f: np.isclose(val(f, (1, -1), (1, 0)), 0.0),
                "[1, −1] is not the zero vector, though its entries sum to 0: test the norm "
                "(np.linalg.norm(a) == 0) or np.any(a), not a.sum() == 0."),
        Mistake("squared length of one", lambda f: np.isclose(probe(f), 8 / 25)
                or np.isclose(probe(f), 2.0),
                "for [3, 4] and [0, 2] you divide by ‖a‖² = 25 (or ‖b‖² = 4): the denominator is "
                "the product of the two lengths, ‖a‖·‖b‖ = 5·2."),
        Mistake("tolerance zero test", lambda f: np.isclose(val(f, (1e-9, 0), (2e-9, 1e-9)), 0.0,
                                                            atol=1e-3),
                "[10⁻⁹, 0] is tiny but not zero, and cos θ does not depend on length: it should "
                "give 2/√5. Only an exactly zero vector gets 0.0 — test norm == 0 (or "
                "not np.any(a)), not np.allclose(a, 0) or a clamped denominator like "
                "max(‖a‖‖b‖, 1e-8)."),
        Mistake("angle instead of cosine",
                lambda f: np.isclose(val(f, (1, 0), (0, 1)), math.pi / 2),
                "you return the angle θ = arccos(…) (π/2 for perpendicular vectors): the "
                "exercise wants cos θ itself, a·b/(‖a‖‖b‖)."),
        Mistake("absolute value", lambda f: np.isclose(val(f, (1, 1), (-3, -3)), 1.0),
                "vectors pointing in opposite directions have cos θ = −1: don't take the "
                "absolute value of the dot product."),
    ]
    sweep = Sweep(_cos_input, _cos_oracle, _by_close(1e-9, 1e-12), n=200, seed=102,
                  size=_elements, property="cosine a·b / (‖a‖₂‖b‖₂) (0 when a or b is zero)")
    return run_checks("cosine_similarity", fn, cases, mistakes, sweep=sweep,
                      hint="cos θ = (a @ b) / (‖a‖₂ · ‖b‖₂), and 0.0 when either vector is "
                           "exactly zero.")


def _bias_input(rng, i):
    corners = [(1, 1, 1, 1), (3, 3, 1, 1), (1, 2, 2, 2), (2, 2, 1, 2), (1, 3, 2, 3),
               (2, 1, 3, 3), (3, 3, 3, 3), (2, 4, 4, 1)]
    shape = corners[i] if i < len(corners) else tuple(int(v) for v in rng.integers(1, 5, 4))
    if i % 5 == 2:
        Z = rng.integers(-5, 6, size=shape)                     # integer images
    else:
        Z = _some(rng, shape)
    b = rng.integers(-9, 10, size=shape[1]) if i % 7 == 3 else _some(rng, shape[1], 1.0, 2)
    return Z, b


def _bias_oracle(Z, b):
    out = np.zeros(Z.shape)
    for n, c, h, w in np.ndindex(*Z.shape):                     # b[c] onto every pixel of c
        out[n, c, h, w] = float(Z[n, c, h, w]) + float(b[c])
    return out


def check_add_channel_bias(fn):
    """add_channel_bias(Z, b): Z has shape (N, C, H, W), b has shape (C,); add b[c] to every pixel
    of channel c, i.e. Z + b.reshape(1, C, 1, 1).

    Catches: plain Z + b (b lines up with the last axis, W), b[:, None] (lines up with H), a
    reshape that changes the output's shape or puts b on the batch axis, writing into Z.
    Sweep: random shapes (C equal to N, H or W, C = 1, integer Z) against adding b[c] pixel by
    pixel."""
    b = _arr(1, 2, 3)
    per_channel = lambda shape, bias: np.zeros(shape) + bias.reshape(1, -1, 1, 1)
    Z2 = np.arange(8, dtype=float).reshape(1, 2, 2, 2)
    cases = [Case("Z of shape (2, 3, 4, 5), b = [1, 2, 3]", (np.zeros((2, 3, 4, 5)), b),
                  close(per_channel((2, 3, 4, 5), b))),
             Case("a square case: Z of shape (2, 3, 3, 3)", (np.zeros((2, 3, 3, 3)), b),
                  close(per_channel((2, 3, 3, 3), b))),
             Case("Z = arange(8) as (1, 2, 2, 2), b = [10, −10]", (Z2, _arr(10, -10)),
                  close(Z2 + _arr(10, -10).reshape(1, 2, 1, 1))),
             Case("N = C: Z of shape (3, 3, 1, 2), b = [1, 2, 3]", (np.zeros((3, 3, 1, 2)), b),
                  close(per_channel((3, 3, 1, 2), b))),
             Case("integer Z (dtype int64) of shape (1, 2, 1, 1), b = [0.5, −0.5]",
                  (np.array([1, 2]).reshape(1, 2, 1, 1), _arr(0.5, -0.5)),
                  close(np.array([1.5, 1.5]).reshape(1, 2, 1, 1)))]
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
        Mistake("batch axis",
                lambda f: _near(f, (np.zeros((3, 3, 1, 2)), b),
                                np.zeros((3, 3, 1, 2)) + b.reshape(-1, 1, 1, 1)),
                "with N = C your bias went onto the *batch* axis: b.reshape(C, 1, 1, 1) lines up "
                "with N. Use b.reshape(1, C, 1, 1) (or b[:, None, None])."),
        Mistake("one number for all channels",
                lambda f: np.ptp(_value(f, np.zeros((1, 3, 1, 1)), b)) == 0,
                "every channel got the same number (b[0], or the mean of b?): channel c gets "
                "its own b[c]. b.reshape(1, C, 1, 1) puts b[c] on channel c."),
        Mistake("integer result",
                lambda f: _near(f, (np.zeros((1, 2, 1, 1)), _arr(0.5, -0.5)),
                                _arr(0.5, -0.5).reshape(1, 2, 1, 1))
                and not _near(f, (np.zeros((1, 2, 1, 1), dtype=int), _arr(0.5, -0.5)),
                              _arr(0.5, -0.5).reshape(1, 2, 1, 1)),
                "for an integer Z your result is rounded: np.empty_like(Z) / Z.copy() keep Z's "
                "integer dtype. Return Z + b.reshape(1, -1, 1, 1), which is float."),
    ]
    sweep = Sweep(_bias_input, _bias_oracle, n=150, seed=103, size=_elements,
                  property="per-channel sum Z[n, c, h, w] + b[c]")
    return run_checks("add_channel_bias", fn, cases, mistakes, sweep=sweep,
                      hint="b[c] goes to every pixel of channel c, and the result keeps Z's "
                           "shape: b.reshape(1, C, 1, 1) (or b[:, None, None]) lines b up with "
                           "axis 1.")


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
        if got != expected:
            return f"expected {expected}, got {got}"
        if not isinstance(out, tuple):
            return f"expected the tuple {expected}, got {type(out).__name__} {fmt(out)}"
        return None
    return expect


def _matmul_input(rng, i):
    corners = [((2, 3), (4, 2)), ((1, 1), (1, 1)), ((1, 4), (1, 4)), ((4, 1), (4, 1)),
               ((3, 3), (3, 3)), ((2, 5), (5, 2)), ((5, 2), (5, 2)), ((3, 1), (2, 3)),
               ((1, 3), (3, 1)), ((4, 2), (3, 4))]
    if i < len(corners):
        return corners[i]
    m, n, p = (int(v) for v in rng.integers(1, 7, 3))
    n2 = n if i % 2 else int(rng.integers(1, 7))
    if i % 4 == 0:                         # fits only the other way round: p == m, n2 ≠ n
        p, n2 = m, (n % 6) + 1
    return (m, n), (n2, p)


def _matmul_oracle(shape_a, shape_b):
    """Try it: multiply arrays of zeros of these shapes and look at the result."""
    try:
        return tuple((np.zeros(shape_a) @ np.zeros(shape_b)).shape)
    except ValueError:
        return None


def check_matmul_shape(fn):
    """matmul_shape(shape_a, shape_b) → the shape of A @ B for 2-D A, B, or None if they don't fit:
    (m, n) @ (n, p) → (m, p).

    Catches: no check that the inner sizes agree, checking the wrong pair of sizes (shapes that
    fit only in the other order), returning the inner sizes, mixing up the outer sizes.
    Sweep: random shape pairs against multiplying arrays of zeros of those shapes."""
    cases = [Case("(2, 3) @ (3, 4)", ((2, 3), (3, 4)), _shape_expect((2, 4))),
             Case("a batch: (64, 784) @ (784, 128)", ((64, 784), (784, 128)),
                  _shape_expect((64, 128))),
             Case("row times column: (1, 5) @ (5, 1)", ((1, 5), (5, 1)), _shape_expect((1, 1))),
             Case("column times row: (5, 1) @ (1, 5)", ((5, 1), (1, 5)), _shape_expect((5, 5))),
             Case("(2, 3) @ (2, 3) does not fit", ((2, 3), (2, 3)), _shape_expect(None)),
             Case("(3, 2) @ (3, 2) does not fit", ((3, 2), (3, 2)), _shape_expect(None)),
             Case("(2, 3) @ (4, 2) does not fit (though (4, 2) @ (2, 3) would)",
                  ((2, 3), (4, 2)), _shape_expect(None))]
    out = lambda f, a, b: tuple(int(v) for v in _call(f, (a, b)))
    mistakes = [
        Mistake("raises", lambda f: _raises_any(f, ((2, 3), (2, 3))),
                "when the shapes don't fit, *return* None — don't raise an error: the caller "
                "asks whether A @ B exists."),
        Mistake("False instead of None", lambda f: _call(f, ((2, 3), (2, 3))) is False,
                "return None (not False) when the product does not exist."),
        Mistake("list", lambda f: isinstance(_call(f, ((2, 3), (3, 4))), list),
                "return a tuple (m, p), not a list: shapes are tuples in NumPy (A.shape), and "
                "[2, 4] == (2, 4) is False in Python."),
        Mistake("size-1 axis broadcasts", lambda f: _call(f, ((2, 1), (3, 4))) is not None
                and _call(f, ((2, 3), (2, 3))) is None,
                "(2, 1) @ (3, 4) does not fit: matrix multiplication sums over the inner axis, "
                "so its sizes must be equal — a size-1 axis does not stretch here (broadcasting "
                "applies only to the batch axes in front)."),
        Mistake("other order", lambda f: _call(f, ((2, 3), (4, 2))) is not None
                and _call(f, ((2, 3), (2, 3))) is None,
                "(2, 3) @ (4, 2) does not fit — only (4, 2) @ (2, 3) would: the *columns* of A "
                "must match the *rows* of B. Compare shape_a[1] with shape_b[0]."),
        Mistake("no compatibility check", lambda f: _call(f, ((2, 3), (2, 3))) not in (None, False),
                "(2, 3) @ (2, 3) cannot be multiplied: each row of A (3 numbers) must pair with a "
                "column of B (2 numbers). Return None unless shape_a[1] == shape_b[0]."),
        Mistake("inner sizes", lambda f: out(f, (2, 3), (3, 4)) == (3, 3),
                "you returned the inner sizes (n, n): those are summed away. The result keeps "
                "the outer ones — rows of A, columns of B."),
        Mistake("wrong outer sizes", lambda f: out(f, (2, 3), (3, 4)) in {(4, 2), (2, 3), (3, 4)},
                "(m, n) @ (n, p) gives (m, p): one row per row of A (m) and one column per "
                "column of B (p), in that order."),
    ]
    sweep = Sweep(_matmul_input, _matmul_oracle,
                  lambda out, expected, args: _shape_expect(expected)(out), n=200, seed=104,
                  size=lambda a: sum(a[0]) + sum(a[1]),
                  property="shape of np.zeros(shape_a) @ np.zeros(shape_b) (None if it raises)")
    return run_checks("matmul_shape", fn, cases, mistakes, sweep=sweep,
                      hint="(m, n) @ (n2, p) exists only when n == n2, and then it is the tuple "
                           "(m, p); otherwise return None.")


def _linear_input(rng, i):
    corners = [(1, 1, 1), (3, 3, 3), (2, 1, 2), (1, 3, 1), (2, 2, 2), (4, 2, 4), (1, 1, 3)]
    N, d_in, d_out = corners[i] if i < len(corners) else (int(v) for v in rng.integers(1, 6, 3))
    if i % 6 == 2:
        return (rng.integers(-3, 4, (N, d_in)), rng.integers(-3, 4, (d_out, d_in)),
                rng.integers(-3, 4, d_out))
    if i % 6 == 5:                                   # integer data, float weights
        return rng.integers(-3, 4, (N, d_in)), _some(rng, (d_out, d_in)), _some(rng, d_out)
    return _some(rng, (N, d_in), 1.0, 3), _some(rng, (d_out, d_in), 1.0, 3), _some(rng, d_out)


_LIN_INT = (np.array([[1, 2]]), _arr([1, 0.5], [0.5, 0.5]), _arr(0, 0.25))
_LIN_INT_F = (_arr([1, 2]), _arr([1, 0.5], [0.5, 0.5]), _arr(0, 0.25))


def _linear_compare(out, expected, args):
    """Values to 10 digits of the size of the terms summed (float64 keeps ~16)."""
    X, W, b = (np.abs(np.asarray(a, dtype=float)) for a in args)
    return close(expected, rtol=0, atol=1e-10 * float((X @ W.T + b).max()) + 1e-300)(out)


def _linear_oracle(X, W, b):
    """Z[n, o] = Σᵢ X[n, i] W[o, i] + b[o], one output at a time."""
    N, d_out = X.shape[0], W.shape[0]
    Z = np.zeros((N, d_out))
    for n in range(N):
        for o in range(d_out):
            Z[n, o] = math.fsum([float(x) * float(w) for x, w in zip(X[n], W[o])] + [float(b[o])])
    return Z


def check_linear_forward(fn):
    """linear(X, W, b) = X Wᵀ + b with X (N, in), W (out, in) as in dlmath.nn.Linear and PyTorch,
    b (out,) → (N, out).

    Catches: W not transposed, the bias added down the rows (b[:, None]), the bias forgotten,
    the transposed result W Xᵀ + b. Sweep: random sizes (N, in, out from 1 to 5, square ones
    where every mistake runs, integer dtype) against Z[n, o] = Σᵢ X[n, i]·W[o, i] + b[o]."""
    X1, W1, b1 = _arr([1, 2, 3], [0, 1, 0]), _arr([1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]), \
        _arr(0, 0, 0, 10)
    # a square case (N = in = out = 3), where every mistake runs without an error
    X, W, b = _arr([1, 2, 0], [0, 1, 3], [2, 0, 1]), _arr([1, 0, 2], [0, 3, 0], [1, 1, 0]), \
        _arr(1, -1, 5)
    cases = [Case("X (2×3), W (4×3), b (4,)", (X1, W1, b1), close([[1, 2, 3, 16], [0, 1, 0, 11]])),
             Case("a square case: X, W 3×3, b = [1, −1, 5]", (X, W, b),
                  close([[2, 5, 8], [7, 2, 6], [5, -1, 7]])),
             Case("one sample, one output", (_arr([2, -1]), _arr([3, 4]), _arr(0.5)),
                  close([[2.5]])),
             Case("integer X = [[1, 2]] with W = [[1, 0.5], [0.5, 0.5]], b = [0, 0.25]",
                  _LIN_INT, close([[2.0, 1.75]]))]
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
        Mistake("bias subtracted", lambda f: _near(f, (X, W, b), X @ W.T - b),
                "the bias is *added*: X Wᵀ + b, not X Wᵀ − b."),
        Mistake("integer result", lambda f: _near(f, _LIN_INT, [[2.0, 1.75]])
                and not _near(f, _LIN_INT_F, [[2.0, 1.75]])
                or not _near(f, _LIN_INT, [[2.0, 1.75]]) and _near(f, _LIN_INT, [[2.0, 1.0]]),
                "for an integer X your output is rounded to integers: np.zeros(…, dtype=X.dtype) "
                "(or zeros_like(X)) makes an int array. Let NumPy pick the type: X @ W.T + b."),
        Mistake("low precision", lambda f: _low_precision(f, (X1 / 3, W1 / 7, b1 / 11),
                                                           _linear_oracle(X1 / 3, W1 / 7, b1 / 11)),
                "your outputs are right to only ~7 digits: that is float32. Keep NumPy's "
                "default float64."),
        Mistake("transposed result", lambda f: _near(f, (X1, W1, b1), [[1, 0], [2, 1], [3, 0],
                                                                       [16, 11]])
                or _near(f, (X, W, b), W @ X.T + b),
                "your result has shape (out, N), one row per *neuron*: that is (X Wᵀ + b)ᵀ = "
                "W Xᵀ + b[:, None]. The layer returns one row per sample: X @ W.T + b."),
    ]
    sweep = Sweep(_linear_input, _linear_oracle, _linear_compare, n=150, seed=105,
                  size=_elements, property="layer output Z[n, o] = Σᵢ X[n, i]·W[o, i] + b[o]")
    return run_checks("linear_forward", fn, cases, mistakes, sweep=sweep,
                      hint="Row n of the output is sample n, column o is neuron o: X @ W.T + b.")


def _area_input(rng, i):
    corners = [(_arr(1, 0), _arr(1, 1e-8)), (_arr(3, 4), _arr(3.000001, 4)),
               (_arr(0, 0), _arr(1, 2)),
               (_arr(2, 5), _arr(0, 0)), (np.array([3, 1]), np.array([1, 2])),
               (_arr(-2, -3), _arr(4, 6)), (_arr(1e-3, 0), _arr(0, 1e-3)),
               (_arr(1e8, 1), _arr(1e8, 2)), (_arr(-1, 2), _arr(-3, -1))]
    if i < len(corners):
        return corners[i]
    if i % 6 == 2:
        return rng.integers(-6, 7, 2), rng.integers(-6, 7, 2)
    u = _some(rng, 2, 10.0 ** int(rng.integers(-1, 4)))
    v = _some(rng, 2, 10.0 ** int(rng.integers(-1, 4)))
    if i % 6 == 4:                                      # nearly parallel
        v = u * float(rng.choice([2.0, -0.5, 3.0])) + np.round(rng.standard_normal(2), 2) * 1e-6
    return u, v


def _area_oracle(u, v):
    """|u₁v₂ − u₂v₁| in exact rational arithmetic (no rounding at all)."""
    F = fractions.Fraction
    return float(abs(F(float(u[0])) * F(float(v[1])) - F(float(u[1])) * F(float(v[0]))))


def _area_compare(out, expected, args):
    got = _scalar(out)
    scale = float(np.linalg.norm(np.asarray(args[0], float)) *
                  np.linalg.norm(np.asarray(args[1], float)))
    if not math.isfinite(got) or abs(got - expected) > 1e-6 * expected + 1e-12 * scale:
        return f"expected {fmt(expected)}, got {fmt(got)}"
    return None


def check_parallelogram_area(fn):
    """parallelogram_area(u, v) = |det [u v]| = |u₁v₂ − u₂v₁| for 2-D vectors u, v.

    Catches: the signed determinant (negative areas), ad + bc instead of ad − bc, the product of
    the lengths ‖u‖‖v‖, half of it (the triangle), formulas that lose digits for nearly parallel
    vectors (√(‖u‖²‖v‖² − (u·v)²), the angle through arccos). Sweep: random pairs (parallel,
    nearly parallel, zero, integer, large) against the exact rational determinant."""
    cases = [Case("unit square e₁, e₂", (_arr(1, 0), _arr(0, 1)), close(1.0)),
             Case("rectangle (2, 0), (0, 3)", (_arr(2, 0), _arr(0, 3)), close(6.0)),
             Case("sheared square (1, 0), (1, 1)", (_arr(1, 0), _arr(1, 1)), close(1.0)),
             Case("swapped order e₂, e₁ (det = −1)", (_arr(0, 1), _arr(1, 0)), close(1.0)),
             Case("(3, 1), (1, 2)", (_arr(3, 1), _arr(1, 2)), close(5.0)),
             Case("parallel vectors (1, 2), (2, 4)", (_arr(1, 2), _arr(2, 4)), close(0.0)),
             Case("nearly parallel (1, 0), (1, 10⁻⁸): area 10⁻⁸", (_arr(1, 0), _arr(1, 1e-8)),
                  close(1e-8, rtol=1e-6, atol=1e-15))]
    val = lambda f, u, v: _scalar(_call(f, (_arr(*u), _arr(*v))))
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
        Mistake("triangle", lambda f: np.isclose(val(f, (2, 0), (0, 3)), 3.0),
                "that is the area of the triangle with sides u, v: the parallelogram is twice "
                "as big, |u₁v₂ − u₂v₁| with no ½."),
        Mistake("wrong pairs", lambda f: np.isclose(val(f, (1, 0), (0, 1)), 0.0)
                and np.isclose(val(f, (2, 0), (3, 0)), 6.0)
                and np.isclose(val(f, (1, 1), (1, 1)), 0.0),
                "the determinant pairs u₁ with v₂ and u₂ with v₁: u₁v₂ − u₂v₁ (you paired "
                "u₁ with v₁) — e₁, e₂ span the unit square, area 1."),
        Mistake("dot product", lambda f: np.isclose(val(f, (1, 0), (0, 1)), 0.0)
                and np.isclose(val(f, (1, 0), (2, 0)), 2.0)
                and np.isclose(val(f, (1, 1), (1, 1)), 2.0),
                "|u·v| measures how much u and v point the same way: it is 0 for perpendicular "
                "vectors, whose parallelogram is a rectangle. The area is |u₁v₂ − u₂v₁|."),
        Mistake("area squared", lambda f: np.isclose(val(f, (2, 0), (0, 3)), 36.0),
                "for (2, 0), (0, 3) you get 36 = 6²: ‖u‖²‖v‖² − (u·v)² is the *squared* area. "
                "Take the square root — or better, use |u₁v₂ − u₂v₁|, which needs none."),
        Mistake("cancellation", lambda f: np.isclose(val(f, (3, 1), (1, 2)), 5.0)
                and np.isclose(val(f, (2, 0), (0, 3)), 6.0)
                and not np.isclose(val(f, (1, 0), (1, 1e-8)), 1e-8, rtol=1e-3, atol=0),
                "right on paper, but for nearly parallel vectors your formula subtracts two "
                "almost equal numbers (‖u‖²‖v‖² − (u·v)², or 1 − cos²θ through the angle) and "
                "loses half the digits: (1, 0), (1, 10⁻⁸) should give 10⁻⁸. The determinant "
                "u₁v₂ − u₂v₁ has no such cancellation."),
    ]
    sweep = Sweep(_area_input, _area_oracle, _area_compare, n=200, seed=106, size=_elements,
                  property="area |u₁v₂ − u₂v₁| (exact)")
    return run_checks("parallelogram_area", fn, cases, mistakes, sweep=sweep,
                      hint="The area is the absolute value of the determinant of the matrix "
                           "with columns u, v: abs(u[0] * v[1] - u[1] * v[0]).")


# ------------------------------------------------------------------------------------------------
# 03 · linear systems, conditioning, least squares
# ------------------------------------------------------------------------------------------------


def _huge(out):
    v = float(np.asarray(getattr(out, "data", out)))
    return None if (np.isinf(v) or v > 1e15) else f"expected inf (or > 1e15), got {v:.6g}"


def _nan_or_raises(f, args):
    try:
        return bool(np.any(np.isnan(_value(f, *args))))
    except (ZeroDivisionError, FloatingPointError):
        return True


def _cond_input(rng, i):
    """A built from known singular values σ, A = U diag(σ) Vᵀ; the answer is σ_max/σ_min."""
    corners = [
        (_arr([5]), [5.0]), (_arr([0]), [0.0]), (np.zeros((2, 3)), [0.0, 0.0]),
        (np.array([[3, 0], [4, 5]]), [math.sqrt(45), math.sqrt(5)]),          # integer dtype
        (np.array([[2, 0], [0, -3]]), [3.0, 2.0]),                             # indefinite
        (_arr([1, 0, 0], [0, 2, 0]), [2.0, 1.0]),                              # wide
        (_arr([1], [2], [2]), [3.0]),                                          # one column
        (_arr([1, 2], [2, 4]), [5.0, 0.0]),                                    # rank 1
        (_arr([-3, 0], [0, 1]), [3.0, 1.0]),
    ]
    kappa = lambda s: max(s) / min(s) if min(s) > 0 else math.inf
    if i < len(corners):
        return Given((corners[i][0],), kappa(corners[i][1]))
    m, n = (int(v) for v in rng.integers(1, 6, 2))
    r = min(m, n)
    s = np.sort(10.0 ** rng.uniform(0, 4, r))[::-1]
    if i % 6 == 0 and r > 1:
        s[-1] = 0.0                                    # singular
    elif i % 6 == 1:
        s = np.where(np.arange(r) < r // 2, s[0], s[-1])  # at most two distinct values
    s = s * 10.0 ** int(rng.integers(-3, 4))
    A = _orthonormal(rng, m, r) @ np.diag(s) @ _orthonormal(rng, n, r).T
    return Given((A,), kappa(list(s)))


def _cond_compare(out, expected, args):
    got = _scalar(out)
    if math.isinf(expected):
        if math.isinf(got) and got > 0 or got > 1e12:
            return None
        return f"expected inf (σ_min = 0), got {fmt(got)}"
    if not math.isfinite(got) or abs(got - expected) > 1e-6 * expected:
        return f"expected {fmt(expected)}, got {fmt(got)}"
    return None


def check_condition_number(fn):
    """condition_number(A) = σ_max / σ_min (the 2-norm condition number κ₂), inf when singular.
    Works for square and rectangular matrices.

    Catches: the ratio of eigenvalues (wrong for non-symmetric A, negative for indefinite A), the
    inverted ratio, ‖A‖₂ alone, the Frobenius norms ‖A‖_F‖A⁻¹‖_F, eigenvalues of AᵀA without the
    square root (κ²), AᵀA for a wide matrix (extra zero eigenvalues), 0/0 for the zero matrix.
    Sweep: random m×n matrices built from known singular values (tall, wide, 1×n, singular,
    at most two distinct values, κ up to 10⁴) against σ_max/σ_min of the construction."""
    a = 100.0
    shear = ((math.sqrt(a * a + 4) + a) / 2) ** 2      # σ₁/σ₂ of [[1, a], [0, 1]] in closed form
    by_sigma = lambda out, s: _cond_compare(out, max(s) / min(s) if min(s) > 0 else math.inf, ())
    cases = [Case("the identity I₃ (κ = 1)", (np.eye(3),), close(1.0)),
             Case("diag(10, 0.1) (κ = 100)", (np.diag([10.0, 0.1]),), close(100.0)),
             Case("rotate-and-scale [[0, −2], [0.5, 0]] (σ = 2, 0.5)", (_arr([0, -2], [0.5, 0]),),
                  close(4.0)),
             Case("the shear [[1, 100], [0, 1]]", (_arr([1, a], [0, 1]),), close(shear)),
             Case("a 3×2 matrix [[3, 0], [0, 4], [0, 0]]", (_arr([3, 0], [0, 4], [0, 0]),),
                  close(4 / 3)),
             Case("a singular matrix diag(1, 0)", (np.diag([1.0, 0.0]),), _huge),
             Case("an indefinite diag(−3, 1) (σ = 3, 1)", (np.diag([-3.0, 1.0]),), close(3.0)),
             Case("a wide 2×3 matrix [[1, 0, 0], [0, 2, 0]] (σ = 2, 1)",
                  (_arr([1, 0, 0], [0, 2, 0]),), close(2.0)),
             Case("the zero matrix (σ_min = 0)", (np.zeros((2, 2)),),
                  lambda out: by_sigma(out, [0.0])),
             Case("diag(4, 2, 1) (κ = 4: σ_min is the last one)", (np.diag([4.0, 2.0, 1.0]),),
                  close(4.0)),
             Case("diag(1, 10⁻¹²): tiny but not zero, κ = 10¹²", (np.diag([1.0, 1e-12]),),
                  close(1e12))]
    val = lambda f, A: _scalar(_call(f, (A,)))
    mistakes = [
        Mistake("eigenvalues", lambda f: np.isclose(val(f, _arr([1, a], [0, 1])), 1.0)
                or np.isclose(val(f, np.diag([-3.0, 1.0])), -3.0)
                or np.isclose(val(f, np.diag([-3.0, 1.0])), -1 / 3),
                "the shear [[1, 100], [0, 1]] has both eigenvalues 1, yet it stretches some "
                "vectors 100×: eigenvalues do not measure stretching unless A is symmetric (and "
                "they can be negative). Use the singular values, σ_max/σ_min "
                "(np.linalg.svd(A, compute_uv=False))."),
        Mistake("inverted", lambda f: np.isclose(val(f, np.diag([10.0, 0.1])), 0.01),
                "upside down: κ = σ_max/σ_min ≥ 1, the largest stretch over the smallest."),
        Mistake("norm of A only", lambda f: np.isclose(val(f, np.diag([10.0, 0.1])), 10.0),
                "‖A‖₂ = σ_max is only half of it: κ = ‖A‖·‖A⁻¹‖ = σ_max/σ_min."),
        Mistake("Frobenius", lambda f: np.isclose(val(f, np.eye(3)), 3.0),
                "κ(I) should be 1, you get 3: ‖·‖_F (np.linalg.norm's default for matrices) is "
                "not the 2-norm. Use the singular values: σ_max/σ_min."),
        Mistake("squared", lambda f: np.isclose(val(f, np.diag([10.0, 0.1])), 1e4),
                "for diag(10, 0.1) you get 10⁴ = κ²: the eigenvalues of AᵀA are the *squares* "
                "σᵢ². Take square roots — or use np.linalg.svd(A, compute_uv=False) directly."),
        Mistake("wide matrix", lambda f: np.isclose(val(f, _arr([3, 0], [0, 4], [0, 0])), 4 / 3)
                and not np.isclose(val(f, _arr([1, 0, 0], [0, 2, 0])), 2.0),
                "right for tall matrices, wrong for the wide [[1, 0, 0], [0, 2, 0]]: AᵀA is "
                "3×3 with an extra zero eigenvalue that is not a singular value. A has "
                "min(m, n) singular values — np.linalg.svd(A, compute_uv=False) returns exactly "
                "those."),
        Mistake("zero matrix", lambda f: np.isinf(val(f, np.diag([1.0, 0.0])))
                and not np.isinf(val(f, np.zeros((2, 2)))),
                "for the zero matrix σ_max = σ_min = 0 and 0/0 is nan: test σ_min == 0 "
                "*before* dividing and return inf."),
        Mistake("second singular value",
                lambda f: np.isclose(val(f, np.diag([4.0, 2.0, 1.0])), 2.0),
                "for diag(4, 2, 1) you get 2 = σ₁/σ₂: σ_min is the *last* singular value, "
                "s[-1], not s[1]."),
        Mistake("tolerance as zero", lambda f: np.isinf(val(f, np.diag([1.0, 1e-12])))
                or val(f, np.diag([1.0, 1e-12])) > 1e15,
                "σ_min = 10⁻¹² is small but not 0, so κ = 10¹² (very ill-conditioned, but "
                "finite): return inf only when σ_min == 0 exactly."),
        Mistake("zero for singular", lambda f: val(f, np.diag([1.0, 0.0])) == 0,
                "a singular matrix has κ = ∞ (σ_min = 0 means some direction is squashed to 0), "
                "not 0: return np.inf."),
        Mistake("singular raises", lambda f: _nan_or_raises(f, (np.diag([1.0, 0.0]),)),
                "a singular matrix has σ_min = 0: return inf (np.inf) instead of dividing by 0."),
    ]
    sweep = Sweep(_cond_input, None, _cond_compare,
                  n=200, seed=107, size=lambda a: np.size(a[0]),
                  property="condition number σ_max/σ_min (of the singular values A was built "
                           "from)")
    return run_checks("condition_number", fn, cases, mistakes, sweep=sweep,
                      hint="s = np.linalg.svd(A, compute_uv=False) holds the min(m, n) singular "
                           "values, largest first: return s[0] / s[-1], or inf if s[-1] == 0.")


# ------------------------------------------------------------------------------------------------
# 04 · eigenvalues, power iteration, PCA
# ------------------------------------------------------------------------------------------------
_Q3 = np.eye(3) - 2 / 3 * np.ones((3, 3))          # a Householder reflection: orthogonal, symmetric
_A3 = _Q3 @ np.diag([20.0, 5.0, 1.0]) @ _Q3.T      # eigenvalues 20, 5, 1; top eigenvector Q3[:, 0]
_NEG = _arr([-4, 1], [1, 2])                       # eigenvalues −1 ± √10: the dominant one is < 0
_ORTH_ONES = _arr([4.5, -0.5], [-0.5, 4.5])        # λ = 5 along (1, −1), λ = 4 along (1, 1)
_SLOW = _arr([1.9, 0.1], [0.1, 1.9])               # λ = 2, 1.8: (0.9)⁴⁰⁰ ≈ 5e-19, 0.9⁵ ≈ 0.6


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


def _symmetric_with(rng, eigenvalues, zero_first=False):
    """Q diag(λ) Qᵀ for a random orthogonal Q, returned with the eigenvector of eigenvalues[0].
    With zero_first, A's first row and column are exactly 0 (e₁ is an eigenvector for λ = 0),
    so every other eigenvector — the dominant one too — has first component exactly 0."""
    lam = np.asarray(eigenvalues, dtype=float)
    if zero_first and len(lam) > 1:
        B, w = _symmetric_with(rng, lam[:-1])
        A = np.zeros((len(lam), len(lam)))
        A[1:, 1:] = B
        return A, np.concatenate([[0.0], w])
    Q = _orthonormal(rng, len(lam))
    A = Q @ np.diag(lam) @ Q.T
    return (A + A.T) / 2, Q[:, 0]


def _power_input(rng, i):
    corners = [
        (_arr([5]), 5.0, _arr(1)), (_arr([-3]), -3.0, _arr(1)),
        (_arr([3, -2], [-2, 3]), 5.0, _arr(1, -1) / math.sqrt(2)),        # v₁ ⟂ (1, 1)
        (_arr([1, 0, 0], [0, 3, 2], [0, 2, 3]), 5.0, _arr(0, 1, 1) / math.sqrt(2)),   # v₁ ⟂ e₁
        (np.array([[2, 1], [1, 2]]), 3.0, _arr(1, 1) / math.sqrt(2)),    # integer dtype
        (np.diag([1.0, -4.0]), -4.0, _arr(0, 1)),
        (_arr([0, 0], [0, 2]), 2.0, _arr(0, 1)),
        (_arr([0, 0, 0], [0, 0, 0], [0, 0, -5]), -5.0, _arr(0, 0, 1)),
        (_arr([0, 0, 0], [0, 3, 2], [0, 2, 3]), 5.0, _arr(0, 1, 1) / math.sqrt(2)),
    ]
    if i < len(corners):
        A, lam, v = corners[i]
        return Given((A, 100), (lam, v))
    n = int(rng.integers(2, 6))
    top = float(rng.choice([-1.0, 1.0]) * np.round(rng.uniform(1, 20), 2))
    rest = np.round(rng.uniform(-0.6, 0.6, n - 1), 2) * abs(top)
    if i % 5 == 1:
        rest[0] = 0.0                                             # a zero eigenvalue
    A, v = _symmetric_with(rng, np.concatenate([[top], rest]), zero_first=i % 4 == 2)
    return Given((A, int(rng.choice([100, 150, 300]))), (top, v))


def _power_compare(out, expected, args):
    return _eigenpair(args[0], expected[0])(out)


def check_power_iteration(fn):
    """power_iteration(A, num_iters) → (λ, v): the dominant eigenvalue (the Rayleigh quotient
    vᵀAv) and a unit eigenvector v, for a symmetric matrix A.

    Catches: no normalisation (overflow to inf/nan), ‖Av‖ instead of the Rayleigh quotient (loses
    the sign of a negative eigenvalue), the largest eigenvalue instead of the largest in size,
    returning a vector that is not of unit length, a start vector with no component along the
    dominant eigenvector (all ones, e₁), dividing by (or fixing the sign with) the first
    component when it is 0. Sweep: random symmetric matrices built from chosen eigenvalues
    (dominant positive or negative, zero eigenvalues, mixed signs, eigenvectors with a zero
    first component, 1×1, integer dtype) against the construction."""
    cases = [Case("[[2, 1], [1, 2]] (λ = 3)", (_arr([2, 1], [1, 2]), 100),
                  _eigenpair([[2, 1], [1, 2]], 3.0)),
             Case("a negative dominant eigenvalue, [[−4, 1], [1, 2]] (λ = −1 − √10)", (_NEG, 200),
                  _eigenpair(_NEG, -1 - math.sqrt(10))),
             Case("3×3 with eigenvalues 20, 5, 1, 500 iterations", (_A3, 500),
                  _eigenpair(_A3, 20.0)),
             Case("[[4.5, −0.5], [−0.5, 4.5]] (λ = 5, v = (1, −1)/√2 ⟂ (1, 1); next λ = 4)",
                  (_ORTH_ONES, 100), _eigenpair(_ORTH_ONES, 5.0)),
             Case("[[1, 0, 0], [0, 3, 2], [0, 2, 3]] (λ = 5, v = (0, 1, 1)/√2: first entry 0)",
                  (_arr([1, 0, 0], [0, 3, 2], [0, 2, 3]), 100),
                  _eigenpair([[1, 0, 0], [0, 3, 2], [0, 2, 3]], 5.0)),
             Case("[[0, 0, 0], [0, 3, 2], [0, 2, 3]] (λ = 5; every Av has first entry 0)",
                  (_arr([0, 0, 0], [0, 3, 2], [0, 2, 3]), 100),
                  _eigenpair([[0, 0, 0], [0, 3, 2], [0, 2, 3]], 5.0)),
             Case("a 1×1 matrix [[−3]]", (_arr([-3]), 10), _eigenpair([[-3.0]], -3.0)),
             Case("slow convergence: eigenvalues 2 and 1.8, 400 iterations", (_SLOW, 400),
                  _eigenpair(_SLOW, 2.0))]

    def overflow(f):
        lam, v = _call(f, (_A3, 500))
        return not (np.isfinite(_scalar(lam)) and np.all(np.isfinite(np.asarray(v, float))))

    zero_first = _arr([1, 0, 0], [0, 3, 2], [0, 2, 3])
    zero_row = _arr([0, 0, 0], [0, 3, 2], [0, 2, 3])       # (A v)₀ = 0 exactly, for every v
    lam_of = lambda f, A, k=100: _scalar(_call(f, (A, k))[0])
    vec_of = lambda f, A, k=100: np.asarray(getattr(v := _call(f, (A, k))[1], "data", v), float)
    mistakes = [
        Mistake("overflow", overflow,
                "after 500 multiplications by a matrix with λ = 20 the vector's length is 20⁵⁰⁰, "
                "far beyond float64 (≈ 1.8e308): divide by the norm at *every* step, "
                "v ← Av/‖Av‖."),
        Mistake("norm instead of Rayleigh quotient",
                lambda f: np.isclose(lam_of(f, _NEG, 200), 1 + math.sqrt(10)),
                "for [[−4, 1], [1, 2]] you return +4.16, but the eigenvalue is −4.16: ‖Av‖ = |λ| "
                "forgets the sign. Use the Rayleigh quotient λ = vᵀAv (v of length 1)."),
        Mistake("largest, not largest in size",
                lambda f: np.isclose(lam_of(f, _NEG, 200), -1 + math.sqrt(10)),
                "for [[−4, 1], [1, 2]] you return 2.16, the *largest* eigenvalue, but the "
                "dominant one is the largest in absolute value, −4.16 — the one power "
                "iteration converges to."),
        Mistake("start orthogonal", lambda f: np.isclose(lam_of(f, _ORTH_ONES), 4.0, rtol=1e-3)
                and _parallel(vec_of(f, _ORTH_ONES), _arr(1, 1))
                or np.isclose(lam_of(f, zero_first), 1.0)
                and _parallel(vec_of(f, zero_first), _arr(1, 0, 0)),
                "your start vector has no component along the dominant eigenvector: (1, 1) is "
                "itself an eigenvector of [[4.5, −0.5], [−0.5, 4.5]] (λ = 4), and e₁ one of "
                "[[1, 0, 0], [0, 3, 2], [0, 2, 3]] (λ = 1), so A·v never leaves it (only "
                "round-off could help). Start from a (seeded) random vector, which has such a "
                "component with probability 1."),
        Mistake("not unit length",
                lambda f: not np.isclose(np.linalg.norm(vec_of(f, _arr([2, 1], [1, 2]))), 1.0),
                "return the normalised vector v (‖v‖ = 1), not Av or an unscaled iterate."),
        Mistake("first component",
                lambda f: not (np.all(np.isfinite(vec_of(f, zero_row)))
                               and np.isfinite(lam_of(f, zero_row))
                               and np.isclose(np.linalg.norm(vec_of(f, zero_row)), 1.0))
                or _parallel(vec_of(f, zero_first), _arr(0, 1, 1))
                and not np.isclose(lam_of(f, zero_first), 5.0),
                "the dominant eigenvector of [[0, 0, 0], [0, 3, 2], [0, 2, 3]] is (0, 1, 1)/√2: "
                "its first component is 0, so dividing by v[0] (λ ≈ (Av)₀/v₀) or fixing the sign "
                "with np.sign(v[0]) breaks. Use the Rayleigh quotient vᵀAv, and leave the sign "
                "alone (−v is an eigenvector too)."),
    ]
    def ignores_iterations(f):
        few, many = _call(f, (_SLOW, 5)), _call(f, (_SLOW, 400))
        return (np.isclose(_scalar(few[0]), _scalar(many[0]), rtol=1e-12, atol=0)
                and not np.isclose(_scalar(many[0]), 2.0, rtol=1e-9))

    mistakes.insert(1, Mistake(
        "ignores num_iters", ignores_iterations,
        "5 and 400 iterations give you the same answer: run the loop num_iters times — a matrix "
        "whose two largest eigenvalues are close (2 and 1.8 here) needs many steps."))
    sweep = Sweep(_power_input, None, _power_compare, n=150, seed=108,
                  size=lambda a: np.size(a[0]),
                  property="eigenpair (Av = λv, ‖v‖ = 1, λ the eigenvalue largest in size, as "
                           "A was built)")
    return run_checks("power_iteration", fn, cases, mistakes, sweep=sweep,
                      hint="Start from a seeded random (float) vector; num_iters times "
                           "v ← Av / ‖Av‖; at the end λ = vᵀAv and return (λ, v).")


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


_PCA_FEW = _arr([4, 0, 2, 7], [4, -2, 2, 7], [1, -1, 2, 7])   # n = 3 < d = 4: ratios 3:1:0:0


def _evr_oracle(X):
    """The covariance eigenvalue shares from the definition, in exact/high precision: centre the
    data exactly (fractions), form XcᵀXc exactly, take its eigenvalues with 40-digit mpmath."""
    import mpmath
    F = fractions.Fraction
    X = np.asarray(X, dtype=float)
    n, d = X.shape
    cols = [[F(float(v)) for v in X[:, j]] for j in range(d)]
    cols = [[v - sum(c) / n for v in c] for c in cols]
    with mpmath.workdps(40):
        C = mpmath.matrix(d, d)
        for a in range(d):
            for b in range(a, d):
                s = sum(x * y for x, y in zip(cols[a], cols[b]))
                C[a, b] = C[b, a] = mpmath.mpf(s.numerator) / s.denominator
        lam = sorted((max(float(e), 0.0) for e in mpmath.eigsy(C, eigvals_only=True)),
                     reverse=True)
    return np.array(lam) / sum(lam)


def _evr_input(rng, i):
    corners = [
        _arr([1, 5], [3, 5], [2, 5]),                          # a constant feature: ratio 0
        _arr([0, 1, 2], [2, 0, 1]),                            # n = 2: one direction only
        np.array([[1, 2], [3, 5], [4, 4], [0, 1]]),            # integer dtype
        _arr([1], [4], [6]),                                   # d = 1
        _arr([1, 0], [-1, 0], [0, 1], [0, -1]),                # isotropic: 0.5, 0.5
        1e6 + _arr([1, 2], [-1, 0.5], [0, -2.5]),              # a huge mean, variance ~ 1
        _arr([1, 0, 0, 0, 2], [0, 1, 0, 3, 0], [0, 0, 1, 1, 1]),   # n = 3 < d = 5
        _arr([1, 1e-4], [-1, -1e-4], [1, -1e-4], [-1, 1e-4]),  # one tiny direction
        _arr([2, 3], [2, 3], [5, 7]),                          # repeated samples
    ]
    if i < len(corners):
        return (corners[i],)
    n, d = int(rng.integers(2, 9)), int(rng.integers(1, 6))
    if i % 7 == 3:
        X = rng.integers(-5, 6, (n, d))
        while np.all(X == X[0]):                              # no variance at all: undefined
            X = rng.integers(-5, 6, (n, d))
        return (X,)
    r = max(1, min(d, n - 1) - (i % 3 == 0))                  # sometimes rank-deficient
    U = rng.standard_normal((n, r))
    U = U - U.mean(axis=0)                                    # centred columns
    s = np.sort(10.0 ** rng.uniform(-1, 1, r))[::-1]
    X = U @ np.diag(s) @ _orthonormal(rng, d, r).T
    offset = np.round(rng.standard_normal(d) * 10.0 ** int(rng.integers(0, 4)), 1)
    if i % 9 == 5:
        offset = offset * 0 + 1e6
    return (np.round(X + offset, 6),)


def check_explained_variance_ratio(fn):
    """explained_variance_ratio(X) → for data X (n samples × d features), the fraction of the total
    variance along each principal direction, shape (d,), in decreasing order.

    Catches: no centring, unsorted eigenvalues (eigh returns them ascending), singular values not
    squared, variances not divided by their total, the n×n Gram matrix X Xᵀ (or np.cov(X) without
    rowvar=False), per-feature variances instead of principal directions, only min(n, d) ratios
    when n ≤ d, the variance as E[x²] − E[x]² (cancels when the mean is large), changing X in
    place. Sweep: random data (rank-deficient, n < d, d = 1, large means, integer dtype) against
    the covariance eigenvalues computed exactly (fractions + 40-digit mpmath)."""
    cases = [Case("4 points around (10, 10): variances 2 : 0.5", (_PCA_SHIFTED,), close([0.8, 0.2])),
             Case("±e₁, ±3e₂, ±2e₃ shifted by 5 (variances 1 : 9 : 4)", (_PCA_AXES,),
                  close(np.array([9.0, 4.0, 1.0]) / 14)),
             Case("a tilted cloud ±2u₁, ±u₂ (u₁ = (0.6, 0.8))", (_PCA_ROTATED,), close([0.8, 0.2])),
             Case("random correlated data, 50 × 4, mean 50 (properties)", (_pca_data(),),
                  _ratio_properties(_pca_data())),
             Case("3 samples of 4 features (n < d): ratios 3/4, 1/4, 0, 0", (_PCA_FEW,),
                  close([0.75, 0.25, 0.0, 0.0])),
             Case("the 4 points around (10, 10) moved to (10⁸, 10⁸)", (_PCA_SHIFTED + (1e8 - 10),),
                  close([0.8, 0.2]))]
    out = lambda f, X: _value(f, X)
    mistakes = [
        Mistake("not centred", lambda f: out(f, _PCA_SHIFTED)[0] > 0.95
                and np.isclose(out(f, _PCA_SHIFTED).sum(), 1.0),
                "almost all the 'variance' sits in the first direction because the data were not "
                "centred: that direction just points at the mean (10, 10). Subtract X.mean(axis=0) "
                "first."),
        Mistake("not sorted", lambda f: out(f, _PCA_AXES)[0] < out(f, _PCA_AXES)[-1],
                "the ratios are not largest first: np.linalg.eigh returns eigenvalues ascending "
                "(np.linalg.eig in no particular order). Reverse them, or sort descending."),
        Mistake("singular values not squared", lambda f: _near(f, (_PCA_SHIFTED,), [2 / 3, 1 / 3]),
                "the variance along direction i is σᵢ²/(n − 1): square the singular values "
                "before dividing by their total."),
        Mistake("not normalised", lambda f: not np.isclose(out(f, _PCA_SHIFTED).sum(), 1.0)
                and out(f, _PCA_SHIFTED).shape == (2,),
                "these are variances, not ratios: divide them by their total so they add up to 1."),
        Mistake("Gram matrix", lambda f: out(f, _PCA_SHIFTED).shape == (4,),
                "you return one number per *sample* (4) instead of per feature (2): X Xᵀ — and "
                "np.cov(X), which treats rows as variables — is n×n. Use the d×d covariance "
                "XcᵀXc/(n − 1) (np.cov(X, rowvar=False)), or the SVD of the centred X."),
        Mistake("feature variances", lambda f: _near(f, (_PCA_ROTATED,), [0.584, 0.416]),
                "these are the variances of the separate features, but the cloud is tilted: the "
                "principal directions are the eigenvectors of the covariance matrix, and the "
                "ratios are its eigenvalues over their sum."),
        Mistake("fewer samples than features",
                lambda f: out(f, _PCA_FEW).shape in {(2,), (3,)} and _near(f, (_PCA_SHIFTED,),
                                                                         [0.8, 0.2]),
                "with fewer samples (3) than features (4) the SVD of Xc gives only 3 singular "
                "values, but the d×d covariance has d eigenvalues — the missing ones are 0. "
                "Return all d ratios (pad with zeros, or use the covariance)."),
        Mistake("E[x²] − E[x]²", lambda f: _near(f, (_PCA_SHIFTED,), [0.8, 0.2])
                and not _near(f, (_PCA_SHIFTED + (1e8 - 10),), [0.8, 0.2]),
                "right near the origin, wrong when the mean is large: a covariance formed as "
                "E[xxᵀ] − E[x]E[x]ᵀ subtracts two huge, nearly equal numbers (10¹⁶ here) and "
                "the variance ~1 drowns in their round-off. Centre first: Xc = X − X.mean(axis=0), "
                "then XcᵀXc."),
    ]
    sweep = Sweep(_evr_input, _evr_oracle, n=150, seed=109, size=_elements,
                  property="ratios λᵢ/Σλⱼ of the covariance eigenvalues, largest first")
    return run_checks("explained_variance_ratio", fn, cases, mistakes, sweep=sweep,
                      hint="Centre X (subtract the column means), take the eigenvalues of the "
                           "d×d covariance XcᵀXc/(n − 1) (eigvalsh: ascending, so reverse), "
                           "divide by their sum.")


# ------------------------------------------------------------------------------------------------
# 03 · orthogonal projection onto the column space (Gram–Schmidt written out)
# ------------------------------------------------------------------------------------------------
_PJ_LINE = (_arr([1], [2], [2]), _arr(3, 0, 0))                 # p = (aᵀb/aᵀa) a = (1, 2, 2)/3
_PJ_FIT = (_arr([1, 0], [1, 1], [1, 2]), _arr(1, 2, 4))         # p = A(5/6, 3/2) = (5/6, 7/3, 23/6)
_PJ_SKEW = (_arr([1, 1, 1], [0, 1, 1], [0, 0, 1], [0, 0, 0]), _arr(1, 2, 3, 4))   # p = (1, 2, 3, 0)
_PJ_A1, _PJ_A2 = _arr(1, 1, 1, 1), _arr(0, 1, 2, 3)
# third column = 0.1 a₁ + 0.7 a₂ in floating point: its Gram–Schmidt remainder is round-off, not 0
_PJ_DEP = (np.column_stack([_PJ_A1, _PJ_A2, 0.1 * _PJ_A1 + 0.7 * _PJ_A2]), _arr(1, 0, 2, 5))
_PJ_DEP_P = _arr(-0.1, 1.3, 2.7, 4.1)                          # the line −0.1 + 1.4t through b
_PJ_TWICE = (_arr([1, 1], [2, 2], [2, 2]), _arr(3, 0, 0))       # the same column twice
_PJ_ZERO_COL = (_arr([0, 1], [0, 2], [0, 2]), _arr(3, 0, 0))    # a zero column, then a
_PJ_TINY = (_arr([1, 0], [0, 1e-12], [0, 0]), _arr(1, 2, 3))    # independent, but 1e-12 long
_PJ_NEAR = (_arr([1, 1], [0, 1e-6], [0, 0]), _arr(0, 1, 0))     # columns 1e-6 rad apart
_PJ_ROWS = (_arr([1, 0, 0], [1, 0, 0], [0, 1, 0]), _arr(1, 0, 0))  # col ≠ row space: p = (½, ½, 0)
_PJ_WIDE = (_arr([1, 2, 3], [0, 1, 4]), _arr(5, -1))            # rank 2 in R²: p = b
_PJ_INT = (np.array([[1, 0], [1, 1], [1, 2]]), np.array([1, 2, 4]))


def _pj_raw_columns(A, b):
    """The mistake model: each column's own line projection, added up (no orthogonalisation)."""
    A, b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)
    return sum(((a @ b) / (a @ a) * a for a in A.T if a @ a > 0), np.zeros_like(b))


def _pj_svd_projection(A, b):
    """p = U_r U_rᵀ b: the left singular vectors of the non-zero singular values are an
    orthonormal basis of col(A) (an independent route: LAPACK's SVD, not Gram–Schmidt)."""
    A, b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)
    if A.size == 0 or not np.any(A):
        return np.zeros_like(b)
    U, s, _ = np.linalg.svd(A, full_matrices=False)
    Ur = U[:, s > 1e-9 * s[0]]
    return Ur @ (Ur.T @ b)


def _pj_compare(out, expected, args):
    A, b = (np.asarray(a, dtype=float) for a in args)
    p = np.asarray(getattr(out, "data", out), dtype=float)
    if p.shape != b.shape:
        return (f"expected a vector shaped like b, {b.shape}, got shape {p.shape} — p lives in "
                f"the same space as b")
    if not np.all(np.isfinite(p)):
        return f"expected {fmt(expected)}, got {fmt(p)} (the result contains nan or inf)"
    scale = np.linalg.norm(b)
    inner = A.T @ (b - p)
    bound = 1e-7 * (np.linalg.norm(A, axis=0) * scale + 1e-300)
    if np.any(np.abs(inner) > bound):
        j = int(np.argmax(np.abs(inner) / bound))
        return (f"b − p is not orthogonal to the column A[:, {j}]: A[:, {j}]·(b − p) = "
                f"{fmt(inner[j])} (expected p = {fmt(expected)}, got {fmt(p)})")
    if not np.allclose(p, expected, rtol=1e-6, atol=1e-8 * scale + 1e-12):
        return (f"b − p is orthogonal to every column, but p is not in col(A): expected "
                f"{fmt(expected)}, got {fmt(p)}")
    return None


def _pj_generate(rng, i):
    """Random (A, b): shapes 1–8 × 1–6 (mostly tall), rank 0 … min(m, n) by construction, columns scaled over
    six orders of magnitude, zero and repeated columns, integer dtype, b in col(A), b ⟂ col(A),
    b = 0. Inputs whose independent columns are nearly parallel (κ > 1e3 after scaling each to
    length 1) are drawn again, so that every reasonable tolerance decides dependence the same."""
    corners = [(np.zeros((3, 2)), _arr(1, 2, 3)), (_arr([2], [0]), np.zeros(2)),
               (_arr([3.0]), _arr(-2.0)), (_arr([0.0]), _arr(5.0)), (_arr([1, 2, 3]), _arr(7.0))]
    if i < len(corners):
        return corners[i]
    while True:
        m = int(rng.integers(1, 9))
        n = int(rng.integers(1, min(m + 2, 7)))
        r = min(m, n) if i % 4 == 0 else 0 if i % 25 == 7 else int(rng.integers(1, min(m, n) + 1))
        A = rng.standard_normal((m, r)) @ rng.standard_normal((r, n))
        if i % 3 == 0:
            A = A * 10.0 ** rng.uniform(-3, 3, n)
        if i % 5 == 1 and n > 1:
            A[:, rng.integers(n)] = 0.0
        if i % 5 == 2 and n > 1:
            A[:, -1] = A[:, 0]
        if i % 7 == 3:
            A = np.round(3 * A).astype(np.int64)
        if _pj_well_separated(A):
            break
    b = rng.standard_normal(m)
    kind = i % 6
    if kind == 1:
        b = A @ rng.standard_normal(n)
    elif kind == 2:
        b = b - _pj_svd_projection(A, b)
    elif kind == 3 and i % 12 == 3:
        b = np.zeros(m)
    elif kind == 4:
        b = np.round(4 * b).astype(np.int64)
    return A, b


def _pj_well_separated(A):
    """Is the greedy set of independent columns (Gram–Schmidt's choice, in column order)
    well conditioned?"""
    A = np.asarray(A, dtype=float)
    keep = []
    for j in range(A.shape[1]):
        if np.linalg.matrix_rank(A[:, keep + [j]]) > len(keep):
            keep.append(j)
    if not keep:
        return True
    K = A[:, keep] / np.linalg.norm(A[:, keep], axis=0)
    return np.linalg.cond(K) < 1e3


def check_projection(fn):
    """project(A, b) → p, the orthogonal projection of b onto col(A): the point of the column
    space closest to b, characterised by p ∈ col(A) and Aᵀ(b − p) = 0. A is m × n with columns
    that may be dependent (or zero); b has shape (m,). Written with Gram–Schmidt.

    Catches: q not normalised, columns projected on one by one without orthogonalising,
    dependent columns divided by their (round-off) remainder, an absolute instead of a relative
    tolerance, a tolerance so loose it drops independent columns, the coordinates Qᵀb (or x̂)
    instead of p, walking over the rows of A instead of its columns, the normal equations on a
    rank-deficient A, integer arrays that truncate, changing A or b in place (by the core)."""
    cases = [Case("one column a = (1, 2, 2), b = (3, 0, 0)", _PJ_LINE,
                  close(_arr(1, 2, 2) / 3)),
             Case("fit a line: columns 1 and t = (0, 1, 2), b = (1, 2, 4)", _PJ_FIT,
                  close(_arr(5 / 6, 7 / 3, 23 / 6))),
             Case("three non-perpendicular columns (1, 0, 0, 0), (1, 1, 0, 0), (1, 1, 1, 0)", _PJ_SKEW,
                  close(_arr(1, 2, 3, 0))),
             Case("a zero column, then a = (1, 2, 2)", _PJ_ZERO_COL, close(_arr(1, 2, 2) / 3)),
             Case("the same column twice", _PJ_TWICE, close(_arr(1, 2, 2) / 3)),
             Case("a third column = 0.1·a₁ + 0.7·a₂ (dependent)", _PJ_DEP, close(_PJ_DEP_P)),
             Case("a second column only 1e-12 long (independent)", _PJ_TINY, close(_arr(1, 2, 0))),
             Case("two columns 1e-6 rad apart (independent)", _PJ_NEAR, close(_arr(0, 1, 0))),
             Case("a square A whose column space is not its row space", _PJ_ROWS,
                  close(_arr(0.5, 0.5, 0))),
             Case("a wide 2 × 3 A of rank 2 (p = b)", _PJ_WIDE, close(_arr(5, -1))),
             Case("A = 0 (p = 0)", (np.zeros((3, 2)), _arr(1, 2, 3)), close(np.zeros(3))),
             Case("b already in col(A) (p = b)", (_PJ_FIT[0], _arr(1, 3, 5)), close(_arr(1, 3, 5))),
             Case("b ⟂ col(A) (p = 0)", (_PJ_FIT[0], _arr(1, -2, 1)), close(np.zeros(3))),
             Case("integer arrays A, b (the line fit)", _PJ_INT, close(_arr(5 / 6, 7 / 3, 23 / 6)))]
    sweep = Sweep(_pj_generate, _pj_svd_projection, compare=_pj_compare, n=200, seed=0,
                  property="projection (b − p ⟂ every column of A, and p in col(A))")

    out = lambda f, args: _value(f, *args)
    fit_p = _arr(5 / 6, 7 / 3, 23 / 6)

    def not_normalised(f):
        p = out(f, _PJ_LINE)
        return p.shape == (3,) and np.allclose(p, 3 * _arr(1, 2, 2))

    def dependent(f):
        if not _near(f, _PJ_FIT, fit_p):
            return False
        for args, want in ((_PJ_DEP, _PJ_DEP_P), (_PJ_TWICE, _arr(1, 2, 2) / 3),
                           (_PJ_ZERO_COL, _arr(1, 2, 2) / 3)):
            try:
                if not _near(f, args, want):
                    return True
            except (ZeroDivisionError, FloatingPointError):
                return True
        return False

    def normal_equations(f):
        try:
            _call(f, _PJ_TWICE)
        except np.linalg.LinAlgError:
            return _near(f, _PJ_FIT, fit_p)
        return False

    def integer(f):
        return _near(f, (_PJ_INT[0].astype(float), _PJ_INT[1].astype(float)), fit_p) and \
            not _passes(f, _PJ_INT, close(fit_p))

    mistakes = [
        Mistake("float32", lambda f: np.asarray(getattr(_call(f, _PJ_FIT), "data",
                                                        _call(f, _PJ_FIT))).dtype == np.float32,
                "you compute in float32, which keeps only about 7 digits: with the round-off of "
                "a dependent column at 1e-7 instead of 1e-16, neither the projection nor the "
                "test for dependence is accurate. Work in float64 (np.asarray(A, dtype=float))."),
        Mistake("not normalised", not_normalised,
                "for the single column a = (1, 2, 2) and b = (3, 0, 0) you return (aᵀb)·a = "
                "(3, 6, 6), ‖a‖² = 9 times too long: divide what is left of each column by its "
                "length, q = v/‖v‖, before adding (q·b)·q — or add (v·b)/(v·v)·v."),
        Mistake("raw columns", lambda f: _near(f, _PJ_SKEW, _pj_raw_columns(*_PJ_SKEW)),
                "you add up the projections of b onto each column separately. That works only "
                "when the columns are perpendicular; otherwise the pieces overlap and are counted "
                "twice. First make the columns orthogonal: subtract from each column its "
                "projections onto the unit vectors already found (Gram–Schmidt)."),
        Mistake("orthogonalised against the columns",
                lambda f: _near(f, _PJ_SKEW, _arr(0, 2, 1, 0)),
                "subtract from each column its projections onto the *unit vectors q found so far*, "
                "not onto the earlier columns of A: those are not perpendicular to one another, "
                "so what is left is not perpendicular to them either."),
        Mistake("coordinates", lambda f: out(f, _PJ_FIT).shape in ((1,), (2,)),
                "you return one number per column — the coordinates Qᵀb (or x̂) — but p is a "
                "vector in the same space as b: p = Q(Qᵀb) = Σ (q·b)·q, length m."),
        Mistake("rows", lambda f: _near(f, _PJ_ROWS, _arr(1, 0, 0))
                and not _passes(f, _PJ_FIT, close(fit_p)),
                "you projected onto the space spanned by the *rows* of A: `for a in A` walks over "
                "rows. The columns are A[:, j] (or `for a in A.T`)."),
        Mistake("normal equations, rank-deficient", normal_equations,
                "np.linalg.solve(AᵀA, Aᵀb) fails when two columns are equal: AᵀA is singular "
                "when the columns are dependent (there are many x̂, one p). Gram–Schmidt copes — "
                "skip a column whose remainder is zero — and the exercise asks you to write it."),
        Mistake("absolute tolerance", lambda f: _near(f, _PJ_TINY, _arr(1, 0, 0)),
                "the column (0, 1e-12, 0) is independent of (1, 0, 0), yet you dropped it: compare "
                "the remainder with the column's own length, ‖v‖ ≤ 1e-10·‖aⱼ‖, not with a fixed "
                "number — a short column is not a dependent one."),
        Mistake("tolerance too loose", lambda f: _near(f, _PJ_NEAR, np.zeros(3)),
                "the columns (1, 0, 0) and (1, 1e-6, 0) are independent (their remainder is 1e-6 "
                "of the column's length), yet you dropped the second: use a tolerance near "
                "round-off, ‖v‖ ≤ 1e-10·‖aⱼ‖, not 1e-3 or 1e-6."),
        Mistake("dependent columns", dependent,
                "right for independent columns, wrong when one column is a combination of the "
                "earlier ones: its remainder v is zero — or, in floating point, round-off of "
                "size 1e-16 — and v/‖v‖ is then nan or a random direction outside col(A). Skip "
                "the column when ‖v‖ ≤ 1e-10·‖aⱼ‖ (a zero column too)."),
        Mistake("integer arrays", integer,
                "right for float arrays, wrong for integer ones: np.zeros_like(A) or A.copy() "
                "keeps the integer dtype, so storing v/‖v‖ in it truncates to whole numbers. "
                "Start from A = np.asarray(A, dtype=float) (and b likewise)."),
    ]
    return run_checks("projection", fn, cases, mistakes, sweep=sweep,
                      hint="Check the definition on that input: b − p must be orthogonal to "
                           "every column of A, and p a combination of the columns.")




# ------------------------------------------------------------------------------------------------
# 05 · the top-k singular triplets by power iteration on AᵀA with deflation (no library SVD)
# ------------------------------------------------------------------------------------------------
import contextlib                                               # noqa: E402
from fractions import Fraction                                  # noqa: E402

from .core import Sweep, fmt                                    # noqa: E402,F811

_ST_Q3 = np.eye(3) - 2 / 3 * np.ones((3, 3))                    # Householder: orthogonal, symmetric
_ST_V3 = np.array([[2, -2, 1], [1, 2, 2], [2, 1, -2]]) / 3      # orthogonal, Vᵀ ≠ V
_ST_H4 = np.eye(4) - 0.5 * np.ones((4, 4))                      # Householder in R⁴ (entries ±½)
_ST_R2 = np.array([[0.6, -0.8], [0.8, 0.6]])                    # a rotation
_ST_R45 = np.array([[1.0, -1.0], [1.0, 1.0]]) / math.sqrt(2)


def _st_built(P, sigma, Q):
    """A = P diag(σ) Qᵀ for orthonormal columns P (m×r), Q (n×r): its singular values are σ."""
    return (np.asarray(P, dtype=float) * np.asarray(sigma, dtype=float)) @ np.asarray(Q).T


# (A, k, σ of A from the construction)
_ST_ROT3 = (_st_built(_ST_Q3, [4, 2, 1], _ST_V3), 2, [4.0, 2.0, 1.0])
_ST_TALL = (_st_built(_ST_H4[:, :2], [3, 0.5], _ST_R45), 2, [3.0, 0.5])
_ST_WIDE = (_st_built(_ST_R2, [5, 1], _ST_H4[:, :2]), 1, [5.0, 1.0])
_ST_ONE = (np.array([[-3.0]]), 1, [3.0])
_ST_E3 = (np.array([[1.0, 0, 0], [0, 0, 3], [0, 2, 0]]), 3, [3.0, 2.0, 1.0])     # v₁ = e₃
# v₁ = (1, −1, 0)/√2 ⟂ (1, 1, 1), and AᵀA (1, 1, 1) = (0, 0, 1) exactly in floating point
_ST_PERP = (np.array([[2.0, -2, 0], [0, 0, 1]]), 1, [2 * math.sqrt(2), 1.0])
_ST_REPEAT = (_st_built(_ST_Q3, [2, 2, 1], _ST_V3), 3, [2.0, 2.0, 1.0])
_ST_EQUAL = (3 * _ST_V3, 3, [3.0, 3.0, 3.0])
_ST_DEFICIENT = (_st_built(_ST_H4[:, :3], [5, 2, 0], _ST_V3), 2, [5.0, 2.0, 0.0])
_ST_INT = (np.array([[3, 0], [4, 5]]), 2, [3 * math.sqrt(5), math.sqrt(5)])       # int64
_ST_SLOW = (_st_built(_ST_Q3, [1, 0.95, 0.3], _ST_V3), 2, [1.0, 0.95, 0.3])
_ST_D4 = (_st_built(_ST_H4, [8, 4, 2, 1], _ST_H4[:, ::-1]), 2, [8.0, 4.0, 2.0, 1.0])
_ST_TALL3 = (_st_built(_ST_H4[:, :3], [5, 3, 1], _ST_V3), 1, [5.0, 3.0, 1.0])

_ST_BANNED = ("svd", "eig", "eigh", "eigvals", "eigvalsh")


class _LibraryDecomposition(Exception):
    """Raised inside the learner's code when it calls a library SVD/eigen-solver."""


@contextlib.contextmanager
def _st_no_library_decompositions():
    """While grading, np.linalg.svd/eig/eigh/eigvals/eigvalsh raise: the exercise is to find the
    triplets with matrix–vector products. (NumPy's own internal uses — np.linalg.norm(A, 2),
    matrix_rank — are not affected; neither is dlmath's code outside the learner's call.)"""
    saved = {name: getattr(np.linalg, name) for name in _ST_BANNED}

    def blocked(name):
        def refuse(*args, **kwargs):
            raise _LibraryDecomposition(
                f"np.linalg.{name} is switched off in this exercise — find the triplets yourself "
                f"with power iteration on AᵀA")
        return refuse
    try:
        for name in _ST_BANNED:
            setattr(np.linalg, name, blocked(name))
        yield
    finally:
        for name, f in saved.items():
            setattr(np.linalg, name, f)


def _st_sub(i):
    return str(i).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def _st_arrays(out):
    """(U, s, Vt) as float arrays, or a message saying why the output is not such a triple."""
    if not isinstance(out, (tuple, list)) or len(out) != 3:
        what = f"a {type(out).__name__} of length {len(out)}" if isinstance(out, (tuple, list)) \
            else f"{type(out).__name__}"
        return None, f"expected a triple (U, s, Vt), got {what}"
    try:
        return tuple(np.asarray(getattr(x, "data", x), dtype=float) for x in out), None
    except (TypeError, ValueError) as e:
        return None, f"could not read (U, s, Vt) as arrays ({e})"


def _st_problem(out, A, k, sigma):
    """None if out = (U, s, Vt) holds k singular triplets of A for its top-k singular values σ
    (known from the construction): shapes, s = σ[:k], orthonormal uᵢ and vᵢ, Avᵢ = σᵢuᵢ and
    Aᵀuᵢ = σᵢvᵢ. Otherwise a message naming the first property that fails."""
    A = np.asarray(A, dtype=float)
    m, n = A.shape
    arrays, problem = _st_arrays(out)
    if problem:
        return problem
    U, s, Vt = arrays
    for name, got, want, what in (("U", U.shape, (m, k), "one column uᵢ per triplet"),
                                  ("s", s.shape, (k,), "one σᵢ per triplet"),
                                  ("Vt", Vt.shape, (k, n), "one row vᵢᵀ per triplet")):
        if got != want:
            return f"expected {name} of shape {want} ({what}, A is {m}×{n}, k = {k}), got {got}"
    if not (np.all(np.isfinite(U)) and np.all(np.isfinite(s)) and np.all(np.isfinite(Vt))):
        return "the result contains nan or inf"
    sig = np.asarray(sigma, dtype=float)[:k]
    top = float(np.max(sigma)) if len(sigma) else 0.0
    if not np.allclose(s, sig, rtol=1e-6, atol=1e-9 * top):
        return f"expected the singular values s = {fmt(sig)}, got {fmt(s)}"
    if k and np.abs(U.T @ U - np.eye(k)).max() > 1e-6:
        return f"the columns of U are not orthonormal (UᵀU ≠ I): U = {fmt(U)}"
    if k and np.abs(Vt @ Vt.T - np.eye(k)).max() > 1e-6:
        return f"the rows of Vt are not orthonormal (Vt Vtᵀ ≠ I): Vt = {fmt(Vt)}"
    for i in range(k):
        j = _st_sub(i + 1)
        r = np.linalg.norm(A @ Vt[i] - sig[i] * U[:, i])
        if r > 1e-6 * top:
            return (f"A v{j} ≠ σ{j} u{j}: ‖A v{j} − σ{j} u{j}‖ = {r:.3g} (v{j} = {fmt(Vt[i])}, "
                    f"u{j} = {fmt(U[:, i])})")
        r = np.linalg.norm(A.T @ U[:, i] - sig[i] * Vt[i])
        if r > 1e-6 * top:
            return (f"Aᵀ u{j} ≠ σ{j} v{j}: ‖Aᵀ u{j} − σ{j} v{j}‖ = {r:.3g} — v{j} is not a right "
                    f"singular vector for σ{j} = {sig[i]:.6g}")
    return None


def _st_expect(A, k, sigma):
    return lambda out: _st_problem(out, A, k, sigma)


def _st_case(name, spec, hint=""):
    A, k, sigma = spec
    return Case(name, (A, k), _st_expect(A, k, sigma), hint)


def _st_orthonormal(rng, m, r):
    return np.linalg.qr(rng.standard_normal((m, r)))[0] if r else np.zeros((m, 0))


def _st_signed_permutation(rng, m, r):
    P = np.zeros((m, r), dtype=np.int64)
    P[rng.permutation(m)[:r], np.arange(r)] = rng.choice([-1, 1], r)
    return P


def _st_spectrum(rng, r):
    """r singular values, largest 1, descending: each the previous one again (a repeat) or
    30–85 % of it, so that power iteration converges fast and AᵀA keeps enough digits."""
    sigma = [1.0]
    for _ in range(r - 1):
        sigma.append(sigma[-1] if rng.random() < 0.25 else sigma[-1] * rng.uniform(0.3, 0.85))
    return np.array(sigma[:r])


def _st_random(rng, i):
    """(A, k, σ): A built as P diag(σ) Qᵀ with known σ. Corners first: k = 0, A = 0, 1×1, a row,
    a column, integer matrices (signed permutations: singular vectors along the axes, so zero
    components), all σ equal, two distinct values each repeated, rank-deficient with k = rank,
    scales 1e±3."""
    if i == 0:
        return np.zeros((3, 2)), 0, np.zeros(2)
    if i == 1:
        return np.array([[-rng.uniform(0.5, 5)]]), 1, None
    if i in (2, 3):
        m, n = (1, 4) if i == 2 else (5, 1)
        A = rng.standard_normal((m, n))
        return A, 1, np.array([np.sqrt(np.sum(A ** 2))])
    if i == 4:
        P, Q = _st_signed_permutation(rng, 4, 4), _st_signed_permutation(rng, 4, 4)
        return (P * np.array([3, 2, 2, 1])) @ Q.T, 4, np.array([3.0, 2, 2, 1])
    if i == 5:
        return 2.5 * _st_orthonormal(rng, 4, 4), 4, np.full(4, 2.5)
    if i == 6:
        sigma = np.array([3.0, 3.0, 0.7, 0.7])
        return _st_built(_st_orthonormal(rng, 5, 4), sigma, _st_orthonormal(rng, 4, 4)), 4, sigma
    if i == 7:
        sigma = np.array([2.0, 1.0, 0.0])
        A = _st_built(_st_orthonormal(rng, 3, 2), sigma[:2], _st_orthonormal(rng, 5, 2))
        return A, 2, sigma
    m, n = int(rng.integers(1, 7)), int(rng.integers(1, 7))
    p = min(m, n)
    r = p if rng.random() < 0.7 else int(rng.integers(1, p + 1))
    k = r if i % 3 == 0 else int(rng.integers(0, r + 1))
    if i % 9 == 4:                  # integer: σ whole numbers 1–5 (distinct ones ≤ 80 % apart)
        sigma = np.sort(rng.integers(1, 6, r))[::-1].astype(float)
        P, Q = _st_signed_permutation(rng, m, r), _st_signed_permutation(rng, n, r)
        A = (P * sigma.astype(np.int64)) @ Q.T
        return A, k, np.concatenate([sigma, np.zeros(p - r)])
    sigma = _st_spectrum(rng, r) * 10.0 ** (rng.uniform(-3, 3) if i % 4 == 1 else 0.0)
    A = _st_built(_st_orthonormal(rng, m, r), sigma, _st_orthonormal(rng, n, r))
    return A, k, np.concatenate([sigma, np.zeros(p - r)])


def _st_sweep():
    known = {}

    def key(A, k):
        A = np.asarray(A)
        return A.tobytes(), A.shape, A.dtype.str, int(k)

    def generate(rng, i):
        A, k, sigma = _st_random(rng, i)
        if sigma is None:                             # the 1×1 corner
            sigma = np.abs(A[0])
        known[key(A, k)] = np.asarray(sigma, dtype=float)
        return A, k

    return Sweep(generate, lambda A, k: known[key(A, k)],
                 compare=lambda out, sigma, args: _st_problem(out, args[0], args[1], sigma),
                 n=200, seed=0, size=lambda args: np.asarray(args[0]).size + args[1],
                 property="singular-triplet property (s = the top-k σ of the constructed A, "
                          "orthonormal uᵢ and vᵢ, A vᵢ = σᵢ uᵢ and Aᵀ uᵢ = σᵢ vᵢ)")


def _st_out(f, spec, k=None):
    """The learner's (U, s, Vt) on a spec, as float arrays (raises if it is not a triple)."""
    A, k0, _ = spec
    arrays, problem = _st_arrays(_call(f, (A, k0 if k is None else k)))
    if problem:
        raise ValueError(problem)
    return arrays


def _st_passes(f, spec):
    A, k, sigma = spec
    try:
        return _st_problem(_call(f, (A, k)), A, k, sigma) is None
    except Exception:
        return False


def _st_library(f):
    try:
        _call(f, _ST_ROT3[:2])
    except _LibraryDecomposition:
        return True
    except Exception:
        return False
    return False


def _st_k_zero(f):
    if tuple(x.shape for x in _st_out(f, _ST_TALL, 1)) != ((4, 1), (1,), (1, 2)):
        return False
    try:
        U, s, Vt = _st_out(f, _ST_TALL, 0)
    except Exception:
        return True
    return (U.shape, s.shape, Vt.shape) != ((4, 0), (0,), (0, 2))


def _st_shapes(f, spec):
    U, s, Vt = _st_out(f, spec)
    return U.shape, s.shape, Vt.shape


def _st_ratio_close(a, b, rtol=1e-4):
    return a.shape == b.shape and np.allclose(a, b, rtol=rtol, atol=1e-9)


def _st_first_entry(f):
    """Right on the rotated matrix, but a zero or nan vector once v₁ = e₃ has v₁[0] = 0."""
    if not _st_passes(f, _ST_ROT3):
        return False
    U, s, Vt = _st_out(f, _ST_E3)
    if s.shape != (3,) or Vt.shape != (3, 3) or U.shape != (3, 3):
        return False
    unit = lambda x: np.all(np.isfinite(x)) and abs(np.linalg.norm(x) - 1) < 1e-3
    return not np.isfinite(s[0]) or not unit(Vt[0]) or not unit(U[:, 0])


def _st_fixed_start(f):
    if not _st_passes(f, _ST_ROT3):
        return False
    s_e3 = _st_out(f, _ST_E3)[1]
    s_perp = _st_out(f, _ST_PERP)[1]
    missed_e3 = s_e3.shape == (3,) and not np.isclose(s_e3[0], 3.0, rtol=1e-3)
    missed_perp = s_perp.shape == (1,) and np.isclose(s_perp[0], 1.0, rtol=1e-3)
    return missed_e3 or missed_perp


def _st_not_converged(f):
    if _st_passes(f, _ST_SLOW) or not _st_passes(f, _ST_ROT3):
        return False
    U, s, Vt = _st_out(f, _ST_SLOW)
    A = _ST_SLOW[0]
    return (s.shape == (2,) and np.allclose(s, [1.0, 0.95], rtol=2e-2)
            and Vt.shape == (2, 3) and np.linalg.norm(A @ Vt[0] - s[0] * U[:, 0]) < 0.3)


def _st_independent_signs(f):
    """Right values and orthonormal vectors, but A vᵢ = −σᵢ uᵢ for some i: u and v were found by
    two separate power iterations, each with its own sign."""
    for spec in (_ST_ROT3, _ST_TALL, _ST_D4, _ST_TALL3):
        A, k, sigma = spec
        U, s, Vt = _st_out(f, spec)
        m, n = A.shape
        if U.shape != (m, k) or Vt.shape != (k, n) or not np.allclose(s, sigma[:k], rtol=1e-6):
            return False
        if any(np.allclose(A @ Vt[i], -s[i] * U[:, i], atol=1e-6) for i in range(k)):
            return True
    return False


def _st_integer(f):
    A, k, sigma = _ST_INT
    return _st_passes(f, (A.astype(float), k, sigma)) and not _st_passes(f, _ST_INT)


def check_top_singular_triplets(fn):
    """top_singular_triplets(A, k) → (U, s, Vt): the k largest singular values s (descending) of
    an m×n matrix A and their singular vectors — U (m×k) with orthonormal columns uᵢ, Vt (k×n)
    with orthonormal rows vᵢ, A vᵢ = σᵢ uᵢ — found by power iteration on AᵀA with deflation,
    without np.linalg.svd/eig/eigh (they are switched off during the check). 0 ≤ k ≤ rank A.

    Graded on hand-picked matrices built with exact orthogonal factors, then on 200 matrices
    P diag(σ) Qᵀ built from random orthogonal P, Q (QR of Gaussian matrices) and a chosen σ, so
    the singular values are known from the construction; the vectors are judged by the
    definition (orthonormal, Avᵢ = σᵢuᵢ, Aᵀuᵢ = σᵢvᵢ), so any valid choice of signs, and any
    basis of a repeated σ's singular space, passes.

    Catches: a library SVD/eigen-solver, k = 0 not handled, all min(m, n) triplets instead of k,
    k ± 1 triplets, U or Vt transposed, u and v swapped (AAᵀ for v), σ² reported as σ, no
    deflation (or the start vector projected only once), deflation by σ instead of σ², power
    iteration on A instead of AᵀA, u = Av not divided by σ, u and v from separate power
    iterations (inconsistent signs), dividing by (or taking the sign of) a first component that
    is zero, a fixed start vector (e₁ or the ones vector) perpendicular to v₁, too few
    iterations for σ₂/σ₁ = 0.95, integer matrices, changing A in place (by the core)."""
    cases = [_st_case("a rotated 3×3 with σ = 4, 2, 1, k = 2", _ST_ROT3),
             _st_case("a tall 4×2 with σ = 3, 0.5, k = 2", _ST_TALL),
             _st_case("a wide 2×4 with σ = 5, 1, k = 1", _ST_WIDE),
             _st_case("k = 0: no triplets (empty U (4×0), s, Vt (0×2))", (_ST_TALL[0], 0, [])),
             _st_case("the 1×1 matrix [[−3]] (σ = 3, u = −v)", _ST_ONE),
             _st_case("v₁ = e₃ has a zero first component: [[1, 0, 0], [0, 0, 3], [0, 2, 0]]",
                      _ST_E3),
             _st_case("v₁ = (1, −1, 0)/√2 ⟂ (1, 1, 1): [[2, −2, 0], [0, 0, 1]], k = 1", _ST_PERP),
             _st_case("a repeated singular value σ = 2, 2, 1, k = 3", _ST_REPEAT),
             _st_case("all singular values equal: 3 × an orthogonal matrix, k = 3", _ST_EQUAL),
             _st_case("rank 2 (σ = 5, 2, 0) and k = rank = 2", _ST_DEFICIENT),
             _st_case("an integer matrix [[3, 0], [4, 5]] (σ = 3√5, √5), k = 2", _ST_INT),
             _st_case("slow convergence: σ = 1, 0.95, 0.3, k = 2", _ST_SLOW)]
    ROT3 = _ST_ROT3

    def s_of(f, spec):
        return _st_out(f, spec)[1]

    mistakes = [
        Mistake("library decomposition", _st_library,
                "np.linalg.svd (and eig/eigh) is switched off for this exercise: the point is to "
                "find the triplets yourself. vᵢ are the eigenvectors of AᵀA, so power iteration "
                "on AᵀA (notebook 04) finds v₁; then σ₁ = ‖Av₁‖, u₁ = Av₁/σ₁, deflate, repeat."),
        Mistake("k = 0", _st_k_zero,
                "for k = 0 return three empty arrays of shapes (m, 0), (0,) and (0, n): e.g. "
                "start from U = np.zeros((m, k)), s = np.zeros(k), Vt = np.zeros((k, n)) and fill "
                "one column/entry/row per triplet (np.column_stack([]) fails on an empty list)."),
        Mistake("all triplets", lambda f: _st_shapes(f, _ST_D4)[1] == (4,)
                or _st_shapes(f, _ST_TALL3)[1] == (3,),
                "you return min(m, n) triplets whatever k is: the loop should run k times "
                "(for i in range(k)), and k = 1 asks for the top triplet only."),
        Mistake("off by one in k", lambda f: _st_shapes(f, _ST_D4)[1] in ((1,), (3,)),
                "for k = 2 you return a different number of triplets: `for i in range(k)` runs "
                "exactly k times (0, 1, …, k − 1); range(k + 1) or range(1, k) is off by one."),
        Mistake("u and v swapped", lambda f: _st_shapes(f, _ST_WIDE)[0] == (4, 1)
                and _st_shapes(f, _ST_WIDE)[2] == (1, 2),
                "u and v are swapped: for an m×n matrix A the right singular vectors vᵢ live in "
                "Rⁿ (the input side) and are the eigenvectors of the n×n matrix AᵀA; uᵢ = Avᵢ/σᵢ "
                "live in Rᵐ. Iterate v ← AᵀAv, not v ← AAᵀv."),
        Mistake("U transposed", lambda f: _st_shapes(f, _ST_D4)[0] == (2, 4),
                "U should hold the left singular vectors as its *columns*, shape (m, k): if you "
                "collect the uᵢ in a list, np.array(us) stacks them as rows — transpose it "
                "(or np.column_stack(us))."),
        Mistake("Vt transposed", lambda f: _st_shapes(f, _ST_D4)[2] == (4, 2),
                "Vt is Vᵀ: the right singular vectors are its *rows*, shape (k, n), as in "
                "np.linalg.svd. You returned V (the vᵢ as columns)."),
        Mistake("σ² for σ", lambda f: _st_ratio_close(s_of(f, ROT3), np.array([16.0, 4.0])),
                "for σ = 4, 2 you return 16, 4: power iteration on AᵀA finds its eigenvalue "
                "λ = vᵀAᵀAv = σ², so σ = √λ — or simply σ = ‖Av‖."),
        Mistake("not deflated", lambda f: _st_ratio_close(s_of(f, ROT3), np.array([4.0, 4.0])),
                "your second triplet repeats the first (σ = 4, 4): after finding (σ₁, u₁, v₁) "
                "remove it — deflate M ← M − σ₁² v₁v₁ᵀ (M = AᵀA) or A ← A − σ₁ u₁v₁ᵀ — before "
                "the next power iteration. Projecting only the start vector off v₁ is not "
                "enough: round-off brings v₁ back and it grows fastest."),
        Mistake("deflated by σ", lambda f: s_of(f, ROT3).shape == (2,)
                and (np.isclose(s_of(f, ROT3)[1], math.sqrt(12), rtol=1e-4)
                     or np.isclose(s_of(f, ROT3)[1], 12.0, rtol=1e-4)),
                "deflation by the wrong amount: AᵀA has the eigenvalue σ₁² along v₁, so remove "
                "σ₁² v₁v₁ᵀ from AᵀA (not σ₁ v₁v₁ᵀ); from A remove σ₁ u₁v₁ᵀ (not σ₁² u₁v₁ᵀ). "
                "Then the deflated matrix has σ₂ on top."),
        Mistake("eigenvectors of A", lambda f: np.isclose(s_of(f, _ST_INT)[0], 5.0, rtol=1e-4),
                "for [[3, 0], [4, 5]] you return σ₁ = 5, its largest *eigenvalue*. Singular "
                "vectors are eigenvectors of AᵀA, not of A (they agree only for symmetric A with "
                "non-negative eigenvalues): iterate v ← AᵀAv, σ = ‖Av‖ = 3√5."),
        Mistake("u not divided by σ", lambda f: _st_ratio_close(
                    np.linalg.norm(_st_out(f, ROT3)[0], axis=0), np.array([4.0, 2.0])),
                "your uᵢ have length σᵢ: u = Av is σ times too long. The left singular vector is "
                "the unit vector uᵢ = Avᵢ/σᵢ."),
        Mistake("independent signs", _st_independent_signs,
                "the values and directions are right but A vᵢ = −σᵢ uᵢ: u and v found by two "
                "separate power iterations each come with an arbitrary sign. Find v, then take "
                "u = Av/σ, so that the pair fits together."),
        Mistake("first component", _st_first_entry,
                "right for the rotated matrix, wrong when v₁ = e₃ has first component 0: don't "
                "divide by v[0] (for the eigenvalue) or multiply by np.sign(v[0]) (to fix the "
                "sign — np.sign(0) = 0). Use σ = ‖Av‖; the sign of a singular pair needs no "
                "fixing, u = Av/σ makes it consistent."),
        Mistake("fixed start vector", _st_fixed_start,
                "a fixed start vector such as e₁ or (1, 1, …, 1) can be exactly perpendicular to "
                "v₁ (here v₁ = e₃ ⟂ e₁, and v₁ = (1, −1, 0)/√2 ⟂ (1, 1, 1)); power iteration then "
                "never sees σ₁. Start from a random vector, e.g. "
                "np.random.default_rng(0).standard_normal(n)."),
        Mistake("not converged", _st_not_converged,
                "close but not converged: with σ₂/σ₁ = 0.95 the error shrinks only by "
                "(σ₂/σ₁)² ≈ 0.9 per step. Do num_iters = 500 steps (or stop only when v no "
                "longer changes, ‖v_new − v‖ < 1e-12)."),
        Mistake("integer matrix", _st_integer,
                "right for float matrices, wrong for the integer one: np.zeros_like(A) or "
                "A.copy() keeps the integer dtype (and M -= … on an integer M fails). Start "
                "with A = np.asarray(A, dtype=float)."),
    ]
    with _st_no_library_decompositions():
        return run_checks("top_singular_triplets", fn, cases, mistakes, sweep=_st_sweep(),
                          time_limit=5.0,
                          hint="Check the definition on that input: s must be the k largest "
                               "singular values, and each pair must satisfy A vᵢ = σᵢ uᵢ, "
                               "Aᵀ uᵢ = σᵢ vᵢ with orthonormal uᵢ, vᵢ.")




# ------------------------------------------------------------------------------------------------
# 05 · the smallest rank whose Eckart–Young error meets a relative tolerance
# ------------------------------------------------------------------------------------------------
def _re_exact(s, rel_tol):
    """The definition in exact rational arithmetic: the smallest k with
    Σ_{i>k} σᵢ² ≤ rel_tol² · Σ σᵢ² (both sides squared, so no square roots and no rounding)."""
    s = np.asarray(s)
    sq = [Fraction(int(x)) ** 2 if s.dtype.kind in "iu" else Fraction(float(x)) ** 2 for x in s]
    bound = Fraction(float(rel_tol)) ** 2 * sum(sq, Fraction(0))
    for k in range(len(sq) + 1):
        if sum(sq[k:], Fraction(0)) <= bound:
            return k
    raise AssertionError("unreachable: k = len(s) always qualifies")


def _re_int(out):
    """The learner's answer as an int, or None if it is not a whole number."""
    value = getattr(out, "data", out)
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.reshape(()).item()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not (math.isfinite(value) and value == int(value)):
        return None
    return int(value)


def _re_compare(out, expected, args=None):
    got = _re_int(out)
    if got is None:
        return f"expected the whole number k = {expected}, got {fmt(out)}"
    if got != expected:
        return f"expected k = {expected}, got {got}"
    return None


def _re_expect(expected):
    return lambda out: _re_compare(out, expected)


def _re_generate(rng, i):
    """(s, rel_tol): corners first (A = 0, one value, rel_tol = 0, 1 and 2, repeated values,
    integer s, a tail far below ε·‖A‖², scales 1e±20), then random descending spectra with up to
    12 values spanning up to 12 orders of magnitude, repeats and trailing zeros, and rel_tol = 0,
    ≥ 1, or the geometric mean of two consecutive relative errors — so that the answer never
    hangs on the last bit of a sum."""
    corners = [(np.zeros(3), 0.1), (np.zeros(1), 0.0), (np.array([7.0]), 0.5),
               (np.array([7.0]), 1.0), (np.array([7.0]), 0.0), (np.array([5, 3, 1]), 0.5),
               (np.full(4, 2.0), 0.6), (np.array([1.0, 1e-9]), 1e-10),
               (np.array([1.0, 1e-9]), 2e-9), (np.array([3e-20, 1e-20]), 0.5),
               (np.array([3e20, 2e20, 1e20]), 0.7), (np.array([4.0, 2, 0, 0]), 0.0),
               (np.array([5.0, 3, 1]), 2.0), (np.array([1.0, 1e-6, 1e-7, 1e-8]), 3e-8)]
    if i < len(corners):
        return corners[i]
    n = int(rng.integers(1, 13))
    if i % 7 == 3:
        s = np.sort(rng.integers(0, 40, n))[::-1]
    else:
        span = rng.uniform(0, 12)
        s = np.sort(10.0 ** (-span * rng.random(n)))[::-1]
        if i % 5 == 2 and n > 1:                      # repeated values
            j = int(rng.integers(0, n - 1))
            s[j + 1] = s[j]
        if i % 6 == 1:                                # trailing zeros (rank < len(s))
            s[int(rng.integers(0, n + 1)):] = 0.0
        s = s * 10.0 ** rng.uniform(-20, 20)
    sq = [Fraction(int(x)) ** 2 if s.dtype.kind in "iu" else Fraction(float(x)) ** 2 for x in s]
    total = sum(sq, Fraction(0))
    mode = i % 4
    if mode == 0 or total == 0:
        return s, (0.0 if mode == 0 else float(rng.uniform(0, 1.5)))
    if mode == 1 and rng.random() < 0.5:
        return s, float(rng.uniform(1.0, 3.0))
    errors = [math.sqrt(float(sum(sq[k:], Fraction(0)) / total)) for k in range(n + 1)]
    gaps = [k for k in range(n) if errors[k] > errors[k + 1]]
    k = gaps[int(rng.integers(0, len(gaps)))]
    lo = errors[k + 1]
    tol = math.sqrt(errors[k] * lo) if lo > 0 else errors[k] * 10.0 ** -rng.uniform(0.3, 3)
    return s, tol


def _re_model_answer(model, s, rel_tol):
    try:
        return model(np.asarray(s, dtype=float), rel_tol)
    except Exception:
        return "raised"


def _re_like(f, model, probes):
    """Does the learner answer like `model` on every probe, where the model is wrong on one?"""
    wrong_somewhere = False
    for s, tol in probes:
        want = _re_model_answer(model, s, tol)
        try:
            got = _re_int(_call(f, (s, tol)))
        except Exception:
            got = "raised"
        if got != want:
            return False
        wrong_somewhere |= want != _re_exact(s, tol)
    return wrong_somewhere


def _re_first(errors_ok, n):
    return next((k for k in range(n + 1) if errors_ok(k)), None)


_RE_MODELS = {
    # each: (s as float array, rel_tol) → what that mistaken formula returns
    "σ not squared": lambda s, t: _re_first(lambda k: s[k:].sum() <= t * s.sum(), len(s)),
    "energy, not error": lambda s, t: _re_first(
        lambda k: (s[k:] ** 2).sum() <= t * (s ** 2).sum(), len(s)),
    "total minus kept": lambda s, t: _re_first(
        lambda k: math.sqrt(max((s ** 2).sum() - (s[:k] ** 2).sum(), 0.0))
        <= t * math.sqrt((s ** 2).sum()), len(s)),
    "absolute tolerance": lambda s, t: _re_first(
        lambda k: math.sqrt((s[k:] ** 2).sum()) <= t, len(s)),
    "strict inequality": lambda s, t: _re_first(
        lambda k: math.sqrt((s[k:] ** 2).sum()) < t * math.sqrt((s ** 2).sum()), len(s)),
    "kept, not dropped": lambda s, t: _re_first(
        lambda k: math.sqrt((s[:k] ** 2).sum()) <= t * math.sqrt((s ** 2).sum()), len(s)),
    "spectral norm": lambda s, t: _re_first(
        lambda k: (s[k] if k < len(s) else 0.0) <= t * (s[0] if len(s) else 0.0), len(s)),
    "stops before len(s)": lambda s, t: _re_first(
        lambda k: k < len(s) and math.sqrt((s[k:] ** 2).sum()) <= t * math.sqrt((s ** 2).sum()),
        len(s)),
}
_RE_BASIC = [(np.array([5.0, 3, 1]), 0.5), (np.array([5.0, 3, 1]), 0.6),
             (np.array([3.0, 2, 2]), 0.5), (np.array([5.0, 3, 1]), 0.2)]


def _re_off_by_one(f):
    shifts = set()
    for s, tol in _RE_BASIC + [(np.array([5.0, 3, 1]), 1.0), (np.array([4.0, 2, 1, 1]), 0.3)]:
        try:
            got = _re_int(_call(f, (s, tol)))
        except Exception:
            return False
        if got is None:
            return False
        shifts.add(got - _re_exact(s, tol))
    return shifts in ({1}, {-1}, {0, -1}, {0, 1}) and shifts != {0}


def _re_zero_matrix(f):
    try:
        if _re_int(_call(f, (np.array([5.0, 3, 1]), 0.5))) != 2:
            return False
    except Exception:
        return False
    try:
        return _re_int(_call(f, (np.zeros(3), 0.1))) != 0
    except Exception:
        return True


def _re_integer(f):
    s = np.array([5, 3, 1])
    try:
        ok_float = _re_int(_call(f, (s.astype(float), 0.5))) == 2
    except Exception:
        return False
    try:
        return ok_float and _re_int(_call(f, (s, 0.5))) != 2
    except Exception:
        return ok_float


def check_rank_for_error(fn):
    """rank_for_error(s, rel_tol) → the smallest k (0 ≤ k ≤ len(s)) whose best rank-k
    approximation meets ‖A − A_k‖_F ≤ rel_tol · ‖A‖_F, from the singular values s of A alone
    (1-D, descending, ≥ 0): by Eckart–Young, ‖A − A_k‖_F = √(Σ_{i>k} σᵢ²).

    The oracle is the definition in exact rational arithmetic (fractions.Fraction: the smallest k
    with Σ_{i>k} σᵢ² ≤ rel_tol²·Σ σᵢ²); random tolerances sit between two consecutive errors, so
    any accurate float computation agrees with it.

    Catches: σ instead of σ² (no squares), the energy fraction instead of the error (no square
    root), the 2-norm error σ_{k+1} instead of the Frobenius one, the cancelling "total minus
    kept" tail √(‖A‖_F² − Σ_{i≤k} σᵢ²), an absolute instead of a relative tolerance, < instead
    of ≤, the kept part instead of the dropped one, k off by one, never trying k = len(s),
    dividing by ‖A‖ = 0 for the zero matrix, integer s, changing s in place (by the core)."""
    cases = [Case("s = [5, 3, 1], rel_tol = 0.5 (errors 1, 0.53, 0.17, 0)",
                  (np.array([5.0, 3, 1]), 0.5), _re_expect(2)),
             Case("s = [5, 3, 1], rel_tol = 0.6", (np.array([5.0, 3, 1]), 0.6), _re_expect(1)),
             Case("s = [3, 2, 2], rel_tol = 0.5 (errors 1, 0.69, 0.49, 0)",
                  (np.array([3.0, 2, 2]), 0.5), _re_expect(2)),
             Case("rel_tol = 1: k = 0 already qualifies (error = ‖A‖)",
                  (np.array([5.0, 3, 1]), 1.0), _re_expect(0)),
             Case("rel_tol = 0 on [5, 3, 1]: only A₃ = A itself", (np.array([5.0, 3, 1]), 0.0),
                  _re_expect(3)),
             Case("rel_tol = 0 on [4, 2, 0, 0]: k = the rank, 2", (np.array([4.0, 2, 0, 0]), 0.0),
                  _re_expect(2)),
             Case("the zero matrix, s = [0, 0, 0]", (np.zeros(3), 0.1), _re_expect(0)),
             Case("s = [1, 1e-9], rel_tol = 1e-10: the tail σ₂² is below ε·‖A‖²",
                  (np.array([1.0, 1e-9]), 1e-10), _re_expect(2)),
             Case("s = [500, 300, 100], rel_tol = 0.5 (scaled up)",
                  (np.array([500.0, 300, 100]), 0.5), _re_expect(2)),
             Case("s = [0.05, 0.03, 0.01], rel_tol = 0.5 (scaled down)",
                  (np.array([0.05, 0.03, 0.01]), 0.5), _re_expect(2)),
             Case("integer s = np.array([5, 3, 1]), rel_tol = 0.5", (np.array([5, 3, 1]), 0.5),
                  _re_expect(2)),
             Case("one singular value s = [7], rel_tol = 0.5", (np.array([7.0]), 0.5),
                  _re_expect(1)),
             Case("equal values s = [2, 2, 2, 2], rel_tol = 0.6 (errors 1, 0.87, 0.71, 0.5, 0)",
                  (np.full(4, 2.0), 0.6), _re_expect(3))]
    sweep = Sweep(_re_generate, _re_exact, compare=_re_compare, n=300, seed=0,
                  size=lambda args: np.asarray(args[0]).size,
                  property="definition (smallest k with √(Σ_{i>k} σᵢ²) ≤ rel_tol·√(Σ σᵢ²), "
                           "in exact arithmetic)")
    M = _RE_MODELS
    cancel = [(np.array([1.0, 1e-9]), 1e-10), (np.array([1.0, 3e-9]), 1e-9)] + _RE_BASIC
    mistakes = [
        Mistake("σ not squared", lambda f: _re_like(f, M["σ not squared"], _RE_BASIC),
                "you add the singular values themselves: the Frobenius error adds their "
                "*squares*, ‖A − A_k‖_F = √(σ²_{k+1} + … + σ²_r), and ‖A‖_F = √(Σ σᵢ²)."),
        Mistake("energy, not error", lambda f: _re_like(f, M["energy, not error"], _RE_BASIC),
                "you compare the dropped *energy* fraction Σ_{i>k} σᵢ² / Σ σᵢ² with rel_tol, but "
                "rel_tol bounds the error ‖A − A_k‖_F / ‖A‖_F, its square root — compare "
                "√(Σ_{i>k} σᵢ²) ≤ rel_tol·√(Σ σᵢ²) (or square rel_tol)."),
        Mistake("total minus kept", lambda f: _re_like(f, M["total minus kept"], cancel),
                "for s = [1, 1e-9] you find k = 1 good enough for rel_tol = 1e-10, but the "
                "error of A₁ is 1e-9. ‖A‖_F² − Σ_{i≤k} σᵢ² subtracts two nearly equal numbers: "
                "1 + 1e-18 rounds to 1, so the difference is 0 (catastrophic cancellation). Add "
                "the dropped squares directly, Σ_{i>k} σᵢ² = np.sum(s[k:]**2)."),
        Mistake("absolute tolerance", lambda f: _re_like(f, M["absolute tolerance"], _RE_BASIC + [
                    (np.array([500.0, 300, 100]), 0.5), (np.array([0.05, 0.03, 0.01]), 0.5)]),
                "rel_tol is *relative*: compare the error with rel_tol·‖A‖_F, where "
                "‖A‖_F = √(Σ σᵢ²) — your answer changes when s is multiplied by 100."),
        Mistake("strict inequality", lambda f: _re_like(f, M["strict inequality"], _RE_BASIC + [
                    (np.array([5.0, 3, 1]), 1.0), (np.array([4.0, 2, 2]), 1.0)]),
                "the error must be *at most* rel_tol·‖A‖_F (≤, not <): for rel_tol = 1, k = 0 "
                "qualifies, and for rel_tol = 0 the exact k = rank does."),
        Mistake("kept, not dropped", lambda f: _re_like(f, M["kept, not dropped"], _RE_BASIC),
                "the error is what A_k leaves *out*: σ_{k+1}, …, σ_r, i.e. s[k:] — not s[:k], "
                "the part it keeps (that sum is 0 for k = 0, so k = 0 always passed)."),
        Mistake("spectral norm", lambda f: _re_like(f, M["spectral norm"], _RE_BASIC),
                "you compare σ_{k+1} with rel_tol·σ₁ — the error in the 2-norm "
                "(‖A − A_k‖₂ = σ_{k+1}, ‖A‖₂ = σ₁). The exercise asks for the Frobenius norm: "
                "‖A − A_k‖_F = √(Σ_{i>k} σᵢ²) and ‖A‖_F = √(Σ σᵢ²)."),
        Mistake("stops before len(s)", lambda f: _re_like(f, M["stops before len(s)"], [
                    (np.array([5.0, 3, 1]), 0.0), (np.array([5.0, 3, 1]), 0.5)]),
                "k runs from 0 to len(s) inclusive: for rel_tol = 0 and no zero singular value "
                "only k = len(s) (A itself, error 0) qualifies — use range(len(s) + 1)."),
        Mistake("off by one", _re_off_by_one,
                "your k is off by one: k counts the kept singular values, so the error of A_k "
                "uses s[k:] (0-based: σ_{k+1} is s[k]), and k = 0 is allowed (the zero matrix, "
                "error ‖A‖_F)."),
        Mistake("zero matrix", _re_zero_matrix,
                "for A = 0 (s = [0, 0, 0]) every k has error 0 ≤ rel_tol·0, so the answer is 0. "
                "Dividing by ‖A‖_F = 0 gives nan, and every comparison with nan is False: "
                "compare error ≤ rel_tol·‖A‖_F (a product) instead."),
        Mistake("integer s", _re_integer,
                "right for float s, wrong for integer s: convert first, "
                "s = np.asarray(s, dtype=float)."),
    ]
    return run_checks("rank_for_error", fn, cases, mistakes, sweep=sweep,
                      hint="Check the definition on that input: the answer is the smallest k "
                           "with √(Σ_{i>k} σᵢ²) ≤ rel_tol·√(Σ σᵢ²).")


