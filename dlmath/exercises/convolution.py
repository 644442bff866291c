"""Checkers for notebook 24: convolution and pooling (the output-size rule is shared.py's).

* ``check_convolve2d`` grades a true 2-D convolution in "valid" mode against its definition,
  (x ∗ w)[i, j] = Σ_{a, b} x[i − a + kh − 1, j − b + kw − 1]·w[a, b], summed term by term with
  ``math.fsum`` (integers exactly) — an enumeration of the sum, with no kernel flipped anywhere;
* ``check_max_pool_backward`` grades the gradient of k×k max pooling with stride k by
  enumerating each window: its upstream gradient goes to the window's first maximum in row-major
  order (PyTorch's choice), everything else gets 0.
"""
import math

import numpy as np

from .core import Case, Mistake, Sweep, _call, compare_array, float_array, fmt, run_checks
from .core import as_array as _arr, matches as _matches

__all__ = ["check_convolve2d", "check_max_pool_backward"]


def _compare_array(out, expected, rtol=1e-10, atol=1e-12, name="the result"):
    return compare_array(out, expected, rtol=rtol, atol=atol, name=name)


def _float_result(out, expected):
    return float_array(out, expected, rtol=1e-10)


# ---------------------------------------------------------------------------------------------
# Exercise · true convolution
# ---------------------------------------------------------------------------------------------

def _convolve_oracle(x, w):
    """(x ∗ w)[i, j] = Σ_{a,b} x[i − a + kh − 1, j − b + kw − 1] w[a, b], i < H − kh + 1,
    j < W − kw + 1: the definition, each output an exactly rounded sum (math.fsum)."""
    x, w = np.asarray(x), np.asarray(w)
    (H, W), (kh, kw) = x.shape, w.shape
    out = np.empty((H - kh + 1, W - kw + 1))
    for i in range(H - kh + 1):
        for j in range(W - kw + 1):
            out[i, j] = math.fsum(float(x[i - a + kh - 1, j - b + kw - 1]) * float(w[a, b])
                                  for a in range(kh) for b in range(kw))
    return out


def _convolve_input(rng, i):
    """Corners first — a 1×1 kernel, a kernel as large as the image, a non-square kernel and
    image, an asymmetric integer kernel on an integer image, a single row — then random sizes
    with kernels that are never symmetric (a flip must show)."""
    corners = [
        (np.arange(12.0).reshape(3, 4), np.array([[2.0]])),
        (np.arange(9).reshape(3, 3), np.array([[1, 2, 0], [0, -1, 3], [4, 0, 5]])),
        (np.arange(20.0).reshape(4, 5), np.array([[1.0, -2.0, 0.5]])),
        (np.arange(20.0).reshape(5, 4), np.array([[1.0], [3.0]])),
        (np.array([[1, 0, 2, 5, 3]]), np.array([[1, 2]])),
        (np.eye(4), np.array([[0.0, 1.0], [2.0, 3.0]])),
    ]
    if i < len(corners):
        return corners[i]
    H, W = int(rng.integers(1, 9)), int(rng.integers(1, 9))
    kh, kw = int(rng.integers(1, H + 1)), int(rng.integers(1, W + 1))
    if i % 3 == 0:
        return (rng.integers(-5, 6, (H, W)), rng.integers(-3, 4, (kh, kw)))
    return (rng.standard_normal((H, W)), rng.standard_normal((kh, kw)))


def _xcorr(x, w):
    x, w = np.asarray(x, float), np.asarray(w, float)
    kh, kw = w.shape
    return np.array([[np.sum(x[i:i + kh, j:j + kw] * w) for j in range(x.shape[1] - kw + 1)]
                     for i in range(x.shape[0] - kh + 1)])


def check_convolve2d(fn):
    """convolve2d(x, w) → the true convolution of a 2-D image x (H, W) with a 2-D kernel w
    (kh ≤ H, kw ≤ W), "valid" mode: shape (H − kh + 1, W − kw + 1), floats for any input.

    Catches: no flip (that is cross-correlation, what deep-learning libraries call convolution),
    a flip along one axis only, the transpose wᵀ instead of the flip (the same for some kernels,
    not for others), "same" or "full" output sizes, the output written with its own axes flipped,
    an integer result for integer inputs. Sweep: the definition, enumerated (module docstring)."""
    x0 = np.arange(16.0).reshape(4, 4) ** 1.5
    w0 = np.array([[1.0, 2.0], [3.0, 5.0]])

    def out(f, x=x0, w=w0):
        return _call(f, (x, w))

    def gives(expected):
        return lambda f: _matches(out(f), expected)

    def shape_is(shape):
        def detect(f):
            try:
                return _arr(out(f)).shape == shape
            except (TypeError, ValueError):
                return False
        return detect

    def integer_result(f):
        o = _call(f, (np.arange(9).reshape(3, 3), np.array([[1, 2], [3, 4]])))
        return isinstance(o, np.ndarray) and o.dtype.kind in "iub"

    mistakes = [
        Mistake("no flip", gives(_xcorr(x0, w0)),
                "that is cross-correlation: the window times w as it stands (what conv2d in "
                "PyTorch and dlmath computes). True convolution flips the kernel in both axes "
                "first — w[::-1, ::-1] — so that (x ∗ w)[i, j] = Σ x[i − a, j − b]·w[a, b]."),
        Mistake("flipped along one axis", lambda f: gives(_xcorr(x0, w0[::-1]))(f)
                or gives(_xcorr(x0, w0[:, ::-1]))(f),
                "the flip is in both axes: w[::-1, ::-1] (rows and columns), a 180° rotation — "
                "not only the rows or only the columns."),
        Mistake("transpose, not flip", gives(_xcorr(x0, w0.T)),
                "wᵀ mirrors the kernel along its diagonal; convolution rotates it by 180° "
                "(w[::-1, ::-1]). They agree only for special kernels."),
        Mistake("same or full size", lambda f: shape_is((4, 4))(f) or shape_is((5, 5))(f),
                "'valid' convolution has only the positions where the kernel fits inside the "
                "image: (H − kh + 1, W − kw + 1) — no padding."),
        Mistake("output flipped", gives(_convolve_oracle(x0, w0)[::-1, ::-1]),
                "your output is upside down and mirrored: flip the kernel, not the result. "
                "Output cell (i, j) is the window starting at row i, column j."),
        Mistake("integer result", integer_result,
                "return floats (np.zeros(shape) is float; np.zeros_like of an integer array is "
                "not)."),
    ]
    cases = [
        # x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]], w = [[1, 0], [0, 2]] flipped → [[2, 0], [0, 1]]:
        # out[0, 0] = 2·1 + 1·5 = 7, out[0, 1] = 2·2 + 6 = 10, out[1, 0] = 2·4 + 8 = 16, 2·5 + 9 = 19
        Case("x = [[1..9]] (3×3), w = [[1, 0], [0, 2]]",
             (np.arange(1.0, 10.0).reshape(3, 3), np.array([[1.0, 0.0], [0.0, 2.0]])),
             lambda o: _compare_array(o, [[7.0, 10.0], [16.0, 19.0]])),
        # a 1×2 kernel [1, −1] flipped is [−1, 1]: out = x[j+1] − x[j]
        Case("a row [1, 4, 9, 16] with w = [[1, −1]]",
             (np.array([[1.0, 4.0, 9.0, 16.0]]), np.array([[1.0, -1.0]])),
             lambda o: _compare_array(o, [[3.0, 5.0, 7.0]])),
        Case("an integer image and kernel (the result must be a float array)",
             (np.arange(9).reshape(3, 3), np.array([[1, 2], [3, 4]])),
             lambda o: _float_result(o, _convolve_oracle(np.arange(9).reshape(3, 3),
                                                         np.array([[1, 2], [3, 4]])))),
        # the flipped kernel is [2, 1]: out[j] = 2·x[j] + x[j+1] = [2e12 + 3, 2·3 + 1, 2·1 + 7]
        Case("a huge pixel beside small ones: every output exact, x = [[1e12, 3, 1, 7]], "
             "w = [[1, 2]]", (np.array([[1e12, 3.0, 1.0, 7.0]]), np.array([[1.0, 2.0]])),
             lambda o: _compare_array(o, [[2e12 + 3.0, 7.0, 9.0]], rtol=1e-13, atol=0)),
        # uint8: flipped [1, 2] gives 100·1 + 200·2 = 500, beyond a byte; int64: 3e9·4e9 overflows
        Case("uint8 image and kernel (sums beyond 255)",
             (np.array([[100, 200]], dtype=np.uint8), np.array([[2, 1]], dtype=np.uint8)),
             lambda o: _float_result(o, [[500.0]])),
        Case("int64 values whose products overflow int64",
             (np.array([[3_000_000_000, 1]]), np.array([[4_000_000_000]])),
             lambda o: _float_result(o, [[1.2e19, 4e9]])),
        Case("a kernel as large as the image: one number, Σ x[a, b] w[1 − a, 1 − b]",
             (np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[10.0, 20.0], [30.0, 40.0]])),
             lambda o: _compare_array(o, [[1 * 40 + 2 * 30 + 3 * 20 + 4 * 10.0]])),
    ]
    sweep = Sweep(_convolve_input, _convolve_oracle,
                  lambda o, e, a: _compare_array(o, e), n=150, seed=24, property="x ∗ w")
    return run_checks("convolve2d", fn, cases, mistakes, sweep=sweep)


# ---------------------------------------------------------------------------------------------
# Exercise · the gradient of max pooling
# ---------------------------------------------------------------------------------------------

def _pool_grad_oracle(x, grad_out, k):
    """dL/dx for y = max_pool(x, k, stride k): each window's upstream gradient at the first
    maximum in row-major order; rows/columns beyond the last full window get 0."""
    x, g = np.asarray(x, dtype=float), np.asarray(grad_out, dtype=float)
    dx = np.zeros(x.shape)
    for n in range(x.shape[0]):
        for c in range(x.shape[1]):
            for i in range(x.shape[2] // k):
                for j in range(x.shape[3] // k):
                    best, where = None, None
                    for a in range(k):
                        for b in range(k):
                            v = x[n, c, i * k + a, j * k + b]
                            if best is None or v > best:
                                best, where = v, (i * k + a, j * k + b)
                    dx[n, c][where] += g[n, c, i, j]
    return dx


def _pool_input(rng, i):
    """Corners first — ties inside a window, a constant image (all ties), sizes that k does not
    divide (leftover rows and columns), k = 1, a window as large as the image, negative values —
    then random batches (N, C, H, W) with rounded values so that ties happen."""
    corners = [
        (np.array([[[[1.0, 3.0], [3.0, 2.0]]]]), np.array([[[[5.0]]]]), 2),
        (np.ones((1, 1, 4, 4)), np.arange(1.0, 5.0).reshape(1, 1, 2, 2), 2),
        (np.arange(35.0).reshape(1, 1, 5, 7) % 6, np.arange(6.0).reshape(1, 1, 2, 3), 2),
        (np.arange(6.0).reshape(1, 1, 2, 3), np.arange(6.0).reshape(1, 1, 2, 3) - 2.5, 1),
        (-np.arange(9.0).reshape(1, 1, 3, 3), np.array([[[[2.0]]]]), 3),
    ]
    if i < len(corners):
        return corners[i]
    k = int(rng.integers(1, 4))
    N, C = int(rng.integers(1, 3)), int(rng.integers(1, 3))
    H, W = int(rng.integers(k, 3 * k + 3)), int(rng.integers(k, 3 * k + 3))
    x = np.round(rng.standard_normal((N, C, H, W)), 0 if i % 2 else 2)
    g = rng.standard_normal((N, C, H // k, W // k))
    return (x, g, k)


def check_max_pool_backward(fn):
    """max_pool_backward(x, grad_out, k) → dL/dx for y = max pooling of x (N, C, H, W) over
    k×k windows with stride k (no padding; rows/columns beyond the last full window are not
    pooled), given grad_out = dL/dy (N, C, H // k, W // k): each window's gradient goes to its
    maximum — with ties, the first in row-major order — and every other entry gets 0.

    Catches: the gradient sent to every element of the window (or divided among them, avg
    pooling's rule), sent to every tied maximum, to the last maximum instead of the first, the
    leftover rows/columns not zero, += into x itself. Sweep: the enumeration oracle, with ties."""
    x0 = np.array([[[[1.0, 5.0, 2.0, 0.0], [3.0, 4.0, 7.0, 7.0],
                     [0.0, 0.0, -1.0, -2.0], [0.0, 2.0, -3.0, -1.0]]]])
    g0 = np.array([[[[10.0, 20.0], [30.0, 40.0]]]])

    def out(f, *args):
        return _call(f, args or (x0, g0, 2))

    def gives(expected):
        return lambda f: _matches(out(f), expected)

    spread = np.kron(g0[0, 0], np.ones((2, 2)))[None, None]
    ties = np.zeros_like(x0)
    ties[0, 0] = [[0, 10, 0, 0], [0, 0, 20, 20], [0, 0, 40, 0], [0, 30, 0, 40]]
    last = np.zeros_like(x0)
    last[0, 0] = [[0, 10, 0, 0], [0, 0, 0, 20], [0, 0, 0, 0], [0, 30, 0, 40]]
    odd = (np.arange(15.0).reshape(1, 1, 3, 5), np.array([[[[1.0, 2.0]]]]), 2)

    def leftover_not_zero(f):
        try:
            got = _arr(_call(f, odd))
        except (TypeError, ValueError):
            return False
        return got.shape == (1, 1, 3, 5) and bool(np.any(got[0, 0, 2] != 0) or
                                                  np.any(got[0, 0, :, 4] != 0))

    mistakes = [
        Mistake("sent to every element", gives(spread),
                "only the maximum of a window influences the output, so only it gets the "
                "window's gradient; a small change in any other entry changes nothing, so their "
                "gradient is 0."),
        Mistake("average pooling's rule", gives(spread / 4),
                "dividing the gradient equally among the window is average pooling's backward "
                "pass; max pooling routes all of it to the window's maximum."),
        Mistake("every tied maximum", gives(ties),
                "with ties, the whole gradient goes to one maximum — the first in row-major "
                "order — not to each tied entry (that would count it several times)."),
        Mistake("last maximum", gives(last),
                "ties go to the *first* maximum in row-major order (scan a, then b, and replace "
                "only when strictly larger), as PyTorch does."),
        Mistake("leftover not zero", leftover_not_zero,
                "rows and columns beyond the last full k×k window are not pooled: they do not "
                "affect the output and their gradient is 0."),
    ]
    cases = [
        # windows [[1, 5], [3, 4]] → 5 at (0, 1); [[2, 0], [7, 7]] → first 7 at (1, 2);
        # [[0, 0], [0, 2]] → 2 at (3, 1); [[−1, −2], [−3, −1]] → first −1 at (2, 2)
        Case("a 4×4 image with ties and negative values, k = 2", (x0, g0, 2),
             lambda o: _compare_array(o, [[[[0, 10, 0, 0], [0, 0, 20, 0], [0, 0, 40, 0],
                                              [0, 30, 0, 0]]]])),
        Case("a 3×5 image, k = 2: the last row and column are not pooled", odd,
             lambda o: _compare_array(o, _pool_grad_oracle(*odd))),
        # the maximum beats the first entry by 1e-9 relative: it must still win
        Case("a near-tie: [[1, 1 + 1e-9], [0, 0]]",
             (np.array([[[[1.0, 1.0 + 1e-9], [0.0, 0.0]]]]), np.array([[[[0.5]]]]), 2),
             lambda o: _compare_array(o, [[[[0.0, 0.5], [0.0, 0.0]]]])),
        Case("an integer image with a gradient of 0.5 (the result is float)",
             (np.array([[[[1, 4], [2, 3]]]]), np.array([[[[0.5]]]]), 2),
             lambda o: _float_result(o, [[[[0.0, 0.5], [0.0, 0.0]]]])),
        Case("every value below −1e9", (np.array([[[[-5e9, -3e9], [-4e9, -6e9]]]]),
                                         np.array([[[[2.0]]]]), 2),
             lambda o: _compare_array(o, [[[[0.0, 2.0], [0.0, 0.0]]]])),
        Case("k = 1: the identity", (x0, g0.repeat(2, 2).repeat(2, 3), 1),
             lambda o: _compare_array(o, g0.repeat(2, 2).repeat(2, 3))),
    ]
    sweep = Sweep(_pool_input, _pool_grad_oracle, lambda o, e, a: _compare_array(o, e), n=150,
                  seed=24, property="dL/dx")
    return run_checks("max_pool_backward", fn, cases, mistakes, sweep=sweep)
