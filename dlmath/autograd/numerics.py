"""Numerically stable formulas on plain ndarrays (no autograd): the one place they live.

Every op that needs σ, σ′, tanh′, x·σ(x), softplus, softmax or log-sum-exp calls these, so a
fix here fixes all of them: ``Tensor.sigmoid``, ``Tensor.tanh``, ``Tensor.logsumexp`` and, in
``dlmath.nn.functional``, sigmoid, logsigmoid, silu, softplus, gelu('tanh'), softmax,
log_softmax, cross_entropy and binary_cross_entropy_with_logits.

Why they are needed: the textbook formulas are exact in real numbers but lose *every* digit in
one tail once each step is rounded to float64 (relative precision 1.1e-16):

    ½(1 + tanh(x/2)) at x = −40:  tanh(−20) rounds to −1, so σ = 0      (true σ = 4.2e-18)
    σ(1 − σ)         at x = +40:  σ rounds to 1, so σ′ = 0               (true σ′ = 4.2e-18)
    1 − tanh² x      at x = 20:   tanh(20) rounds to 1, so tanh′ = 0    (true 1.7e-17)
    log(1 + eˣ)      at x = −40:  1 + 4.2e-18 rounds to 1, so the log is 0 (true 4.2e-18)

The cure is always the same: exponentiate only −|x| ≤ 0 (nothing overflows), never form
1 + (something tiny) before a log (use log1p), and never subtract two nearly equal numbers
(rewrite 1 − σ(x) as σ(−x)). Each function below is then accurate to a few units in the last
place over the whole floating-point range (tests/test_precision.py checks it against mpmath)
and keeps the input's dtype.
"""
import numpy as np

__all__ = ["sigmoid", "sigmoid_grad", "tanh_grad", "silu", "silu_grad", "softplus", "softmax",
           "log_sum_exp", "log_softmax"]


def sigmoid(x):
    """σ(x) = 1/(1 + e^(−x)) for x ≥ 0 and eˣ/(1 + eˣ) for x < 0 (the same number, written so
    that no exponent is ever positive), in one line: e^(min(x, 0)) / (1 + e^(−|x|)). For x ≪ 0
    the result is eˣ to full relative precision, down to the smallest subnormal (x ≈ −745 in
    float64, −103 in float32)."""
    with np.errstate(under="ignore"):                  # e^(−1000) = 0 is the right answer
        return np.exp(np.minimum(x, 0)) / (1 + np.exp(-np.abs(x)))


def sigmoid_grad(x):
    """σ′(x) = σ(x)·σ(−x) = e/(1 + e)² with e = e^(−|x|): symmetric in x and accurate in both
    tails (σ(1 − σ) is 0 for x > 37, where σ rounds to 1)."""
    with np.errstate(under="ignore"):
        e = np.exp(-np.abs(x))
        return e / ((1 + e) * (1 + e))


def tanh_grad(x):
    """tanh′ x = 1 − tanh² x = sech² x = 4e/(1 + e)² with e = e^(−2|x|), i.e. 4σ′(2x)."""
    with np.errstate(under="ignore", over="ignore"):    # 2|x| = inf for |x| > max/2: e = 0
        e = np.exp(-2 * np.abs(x))
        return 4 * e / ((1 + e) * (1 + e))


def silu(x):
    """x·σ(x) = ((x·n)·n)/(1 + e) with e = e^(−|x|) and n = e^(min(x, 0)/2), so σ(x) = n²/(1 + e)
    (n = 1 for x ≥ 0). The same number as x·σ(x), but for x < −708 (float64; −87 in float32)
    σ(x) itself is a subnormal with few digits, and multiplying it by |x| would magnify its
    rounding error hundreds of times; x·n is still a normal number, so the result is rounded
    only once at the end."""
    with np.errstate(under="ignore"):
        n = np.exp(0.5 * np.minimum(x, 0))
        return ((x * n) * n) / (1 + np.exp(-np.abs(x)))


def silu_grad(x):
    """d/dx x·σ(x) = σ(x)·(1 + x·σ(−x)) = (n·(1 + x·σ(−x)))·n/(1 + e), in the same form as
    ``silu``, with σ(−x) = e^(−max(x, 0))/(1 + e)."""
    with np.errstate(under="ignore"):
        n = np.exp(0.5 * np.minimum(x, 0))
        d = 1 + np.exp(-np.abs(x))
        return (n * (1 + x * (np.exp(-np.maximum(x, 0)) / d))) * n / d


def softplus(x, beta=1):
    """log(1 + eˣ) = max(x, 0) + log1p(e^(−|x|)): no overflow for x ≫ 0, and eˣ to full
    relative precision for x ≪ 0 (log1p(t) = t − t²/2 + … keeps a tiny t). With ``beta`` > 0:
    (1/β)·log(1 + e^(βx)) = max(x, 0) + log1p(e^(−|βx|))/β, finite even where βx overflows."""
    with np.errstate(under="ignore", over="ignore"):
        t = np.log1p(np.exp(-np.abs(x * beta if beta != 1 else x)))
        return np.maximum(x, 0) + (t / beta if beta != 1 else t)


def _shifted_exp(x, axis):
    """m = max_j x_j, e = e^(x − m) and S = Σ_j e_j − 1, the sum *without* its largest term,
    all along ``axis`` (kept as size 1), so that log Σ_j e^(x_j) = m + log1p(S).

    e is exactly 1 at the max (e⁰) and wherever x_j − m is too small to move e^(x_j − m) off 1;
    those terms are counted exactly and only the others summed, so S keeps its digits even when
    it is far below 1 (forming Σ e and subtracting 1 would round a tiny S away). A row whose
    max is ±inf or nan is shifted by 0 instead (no inf − inf); its S means nothing and the
    callers treat such rows separately."""
    m = np.max(x, axis=axis, keepdims=True)
    finite = np.isfinite(m)
    if not finite.all():
        m = np.where(finite, m, 0)
    e = np.exp(x - m)
    ones = e == 1
    rest = np.where(ones, 0, e).sum(axis=axis, keepdims=True)
    n_ones = np.count_nonzero(ones, axis=axis, keepdims=True).astype(rest.dtype)
    return m, e, rest + (n_ones - 1), finite


def softmax(x, axis):
    """e^(x_i − m) / Σ_j e^(x_j − m) along ``axis``, m = max_j x_j: every exponent ≤ 0, so
    nothing overflows, and each e^(x_i − m) is one correctly rounded exponential of an exact
    (or once-rounded) difference — more accurate than exp(log_softmax), whose argument carries
    the rounding error of a number as large as |x_i − m|. A row whose max is ±inf is shifted
    by 0 instead (nan/0 as PyTorch, no inf − inf warning)."""
    m = np.max(x, axis=axis, keepdims=True)
    if not np.all(np.isfinite(m)):
        m = np.where(np.isfinite(m), m, 0)
    e = np.exp(x - m)
    return e / e.sum(axis=axis, keepdims=True)


def log_sum_exp(x, axis):
    """log Σ_j e^(x_j) along ``axis`` (kept as a size-1 dimension), computed as m + log1p(S)
    (see ``_shifted_exp``). Subtracting the max m keeps every exponent ≤ 0, so nothing
    overflows; leaving the 1 out of S and adding it back inside log1p keeps a tiny S: for
    x = (0, −50) the result is 1.9e-22, where log(1 + S) would round to 0. A row whose max is
    +inf / −inf / nan gives +inf / −inf / nan, as PyTorch."""
    m, _, s, finite = _shifted_exp(x, axis)
    if finite.all():
        return m + np.log1p(s)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(finite, m + np.log1p(s), np.max(x, axis=axis, keepdims=True))


def log_softmax(x, axis, with_softmax=False):
    """log softmax(x)_i = x_i − log Σ_j e^(x_j) = (x_i − m) − log1p(S) along ``axis``.

    Written with (x − m) first, so the largest entry gets exactly −log1p(S) (for x = (0, −50):
    −1.9e-22; x_i − (m + log1p S) would round to 0). With ``with_softmax`` also returns
    softmax(x) = e^(x − m)/(1 + S) from the same exponentials. Rows with a non-finite max follow
    PyTorch (nan where x_i is ±inf too, −inf elsewhere)."""
    m, e, s, finite = _shifted_exp(x, axis)
    if finite.all():
        out = (x - m) - np.log1p(s)
        y = e / (1 + s) if with_softmax else None
    else:                                  # rows with max ±inf: the plain formula's nan/−inf
        with np.errstate(invalid="ignore", divide="ignore"):
            out = np.where(finite, (x - m) - np.log1p(s),
                           (x - m) - np.log(e.sum(axis=axis, keepdims=True)))
            y = np.where(finite, e / (1 + s), softmax(x, axis)) if with_softmax else None
    return (out, y) if with_softmax else out
