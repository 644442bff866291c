"""Checkers shared by several notebooks. Each lists the hand-picked cases it runs, the classic
mistakes it recognises, and a seeded sweep of random inputs graded against an independent oracle
(log-sum-exp in float64 for softmax, counting the windows one by one for the conv output size).
Expected values are never taken from a reference solution."""
import numpy as np

from .core import Case, Mistake, Sweep, close, equal, fmt, run_checks, _call

__all__ = ["check_softmax", "check_conv_output_size"]


def _float_out(out):
    return np.asarray(getattr(out, "data", out), dtype=float)


def _softmax_oracle(z):
    """exp(z − logsumexp(z)) row by row, with logsumexp from np.logaddexp.reduce (pairwise
    log(eᵃ + eᵇ), never exp of a large number) — not the max-shift of the exercise."""
    z = np.asarray(z, dtype=float)
    return np.exp(z - np.logaddexp.reduce(z, axis=-1, keepdims=True))


def _softmax_input(rng, i):
    """Degenerate corners first, then batches whose rows differ hugely in scale and offset."""
    corners = [
        np.array([[0.0, 1.0], [-1000.0, -999.0]]),              # a global max kills row 2
        np.array([[1e4, -1e4], [3.0, 2.0]]),
        np.array([-1e4, 1e4, 0.0]),
        np.array([[5.0]]), np.array([7.0]),                      # one logit: probability 1
        np.array([[2.0, 2.0, 2.0], [-1e4, -1e4, -1e4]]),          # constant rows: uniform
        np.array([[1, 2, 3], [1000, 1000, 0]]),                  # integer dtype
        np.array([3, 1]),
        np.array([[[1.0, 2.0], [1e4, 0.0]], [[-1e4, -2e4], [0.5, 0.25]]]),   # 3-D
        np.array([[800.0, 0.0], [0.0, -800.0]]),
        np.array([1e-16, -1e-16, 0.0]),
    ]
    if i < len(corners):
        return (corners[i],)
    ndim = (1, 2, 2, 3)[i % 4]
    shape = tuple(int(v) for v in rng.integers(1, 5, size=ndim))
    z = np.round(rng.standard_normal(shape) * 3, 2)
    if ndim > 1:                            # every row its own scale and its own offset
        rows = shape[:-1] + (1,)
        scale = 10.0 ** rng.integers(-2, 4, size=rows)
        offset = rng.choice([0.0, 1e4, -1e4, 700.0, -750.0, 50.0], size=rows)
        z = z * scale + offset
    elif i % 3 == 0:
        z = z * 10.0 ** int(rng.integers(0, 5))
    if i % 10 == 7:
        z = np.round(z).astype(np.int64)
    return (z,)


def _softmax_compare(out, expected, args):
    out = _float_out(out)
    if out.shape != expected.shape:
        return f"expected shape {expected.shape} (the shape of z), got {out.shape}"
    if not np.all(np.isfinite(out)):
        return f"expected {fmt(expected)}, got {fmt(out)} (nan or inf)"
    if not np.allclose(out, expected, rtol=1e-6, atol=1e-12):
        return f"expected {fmt(expected)}, got {fmt(out)}"
    return None


def check_softmax(fn):
    """softmax(z) along the last axis: exp(z − max z) / Σ exp(z − max z), each row on its own
    (z may be 1-D, a batch of rows, or have more leading axes; integer logits are fine).

    Catches: no max-shift (overflow → nan for large logits), one global max for the whole batch
    instead of each row's own (underflow → 0/0 in rows far below the top), normalising over the
    wrong axis or over the whole array, forgetting keepdims, returning exp without dividing, an
    integer result for integer logits, changing z in place. Sweep: rows of wildly different
    scale and offset (±1e4) against exp(z − logsumexp z) in float64."""
    e = np.exp([1.0, 2.0, 3.0])
    small = e / e.sum()
    batch = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    spread = np.array([[0.0, 1.0], [-1000.0, -999.0]])       # rows 1000 apart
    pair = 1 / (1 + np.exp([1.0, -1.0]))                      # softmax([0, 1])
    cases = [
        Case("a 3-logit vector [1, 2, 3]", (np.array([1.0, 2.0, 3.0]),), close(small)),
        Case("a batch of 2 rows (normalise each row)", (batch,),
             close(np.stack([small, np.full(3, 1 / 3)]))),
        Case("huge logits [1000, 1001, 1002]", (np.array([1000.0, 1001.0, 1002.0]),),
             close(small)),
        Case("very negative logits [-1000, -999, -998]", (np.array([-1000.0, -999.0, -998.0]),),
             close(small)),
        Case("two rows 1000 apart, [[0, 1], [-1000, -999]] (each row has its own max)",
             (spread,), close(np.stack([pair, pair])),
             hint="Each row is shifted by its own maximum: z.max(axis=-1, keepdims=True)."),
        Case("integer logits [1, 2, 3] (dtype int64)", (np.array([1, 2, 3]),), close(small),
             hint="The result is float even when z holds integers."),
        Case("a 2 × 2 × 3 batch (the last axis is the one normalised)",
             (np.stack([batch, batch[::-1]]),),
             close(np.stack([np.stack([small, np.full(3, 1 / 3)]),
                             np.stack([np.full(3, 1 / 3), small])]))),
    ]

    def out(f, z):
        return _float_out(_call(f, (np.asarray(z),)))

    def global_max(f):
        o = out(f, spread)
        return np.allclose(o[0], pair) and not np.all(np.isfinite(o[1]))

    def vector_only(f):
        try:
            out(f, [1.0, 2.0, 3.0])
        except Exception as e:
            return "axis" in str(e).lower() or isinstance(e, IndexError)
        return False

    def no_keepdims(f):
        try:
            o = out(f, np.array([[0.0, 1.0, 2.0], [5.0, 5.0, 5.0]]))
        except ValueError:
            return np.allclose(out(f, [1.0, 2.0, 3.0]), small)
        sq = np.array([[0.0, 1.0], [2.0, 4.0]])
        e = np.exp(sq - sq.max(axis=-1))
        return out(f, sq).shape == (2, 2) and (np.allclose(out(f, sq), e / e.sum(axis=-1))
                                               or not np.isfinite(o).all())

    mistakes = [
        Mistake("overflow", lambda f: not np.all(np.isfinite(out(f, [1000.0, 1001.0, 1002.0]))),
                "exp(1000) overflows to inf and inf/inf is nan. Subtract the largest logit first: "
                "softmax(z) = softmax(z − max z), mathematically the same, numerically safe."),
        Mistake("shift by another value", lambda f: not np.all(np.isfinite(out(f, [0.0, -2000.0])))
                and np.all(np.isfinite(out(f, [1000.0, 1001.0, 1002.0]))),
                "shift by the *largest* logit: only then is every exponent ≤ 0 (no overflow) and "
                "the largest term exactly e⁰ = 1 (no 0/0). Subtracting the min or the mean "
                "overflows on [0, −2000]."),
        Mistake("clipped logits", lambda f: np.allclose(out(f, [1000.0, 1001.0, 1002.0]), 1 / 3),
                "clipping the logits changes their differences, and softmax depends only on "
                "the differences: [1000, 1001, 1002] must give the same as [0, 1, 2]. Subtract "
                "the max instead of clipping."),
        Mistake("global max", global_max,
                "one max for the whole batch is not enough: a row far below it, like "
                "[−1000, −999] next to [0, 1], becomes exp(−1000)/… = 0/0. Shift each row by its "
                "own max: z − z.max(axis=-1, keepdims=True)."),
        Mistake("wrong axis", lambda f: np.allclose(np.sum(out(f, batch), axis=0), 1.0)
                and not np.allclose(np.sum(out(f, batch), axis=-1), 1.0),
                "each row should sum to 1, but your columns do: normalise along the last axis "
                "(axis=-1, keepdims=True)."),
        Mistake("whole array", lambda f: np.isclose(out(f, batch).sum(), 1.0)
                and not np.allclose(out(f, batch).sum(axis=-1), 1.0),
                "your whole batch sums to 1, but each *row* should: sum along the last axis "
                "only, e.sum(axis=-1, keepdims=True)."),
        Mistake("keepdims forgotten", no_keepdims,
                "z.max(axis=-1) and e.sum(axis=-1) drop the last axis, shape (N,), which then "
                "broadcasts against the *columns* of the (N, K) batch: add keepdims=True."),
        Mistake("vectors fail", vector_only,
                "z may be a single vector (1-D) as well as a batch: axis=1 only exists for 2-D "
                "input. axis=-1 (the last axis) works for any number of dimensions."),
        Mistake("not normalised", lambda f: np.allclose(out(f, [0.0, 0.0]), 1.0),
                "the outputs must sum to 1: divide exp(z) by its sum."),
        Mistake("integer result", lambda f: np.allclose(out(f, [1.0, 2.0, 3.0]), small)
                and not np.allclose(out(f, np.array([1, 2, 3])), small),
                "right for float logits, wrong for integer ones: np.empty_like / zeros_like(z) "
                "or z.copy() keep z's integer dtype, and a probability stored in an int is 0. "
                "Compute in float (np.exp already returns floats)."),
    ]
    sweep = Sweep(_softmax_input, _softmax_oracle, _softmax_compare, n=200, seed=10,
                  property="softmax (each row ≥ 0, summing to 1, equal to exp(z − logsumexp z))",
                  hint="Compute each row on its own: e = np.exp(z − z.max(axis=-1, "
                       "keepdims=True)), then e / e.sum(axis=-1, keepdims=True).")
    return run_checks("softmax", fn, cases, mistakes, sweep=sweep)


def _windows(i, k, s, p, d):
    """Count the conv windows one by one: a window starts at 0, s, 2s, … in the padded input of
    length i + 2p and covers the taps t, t + d, …, t + d(k−1), all of which must lie inside."""
    count, t = 0, 0
    while t + d * (k - 1) <= i + 2 * p - 1:
        count += 1
        t += s
    return count


def _conv_input(rng, i):
    corners = [(1, 1, 1, 0, 1), (5, 1, 3, 0, 1), (3, 3, 5, 0, 1), (4, 3, 2, 1, 1),
               (5, 3, 2, 1, 2), (6, 2, 3, 2, 2), (2, 3, 1, 1, 1), (7, 2, 2, 0, 3),
               (10, 4, 3, 3, 1), (9, 3, 4, 2, 3), (1, 3, 1, 1, 1), (8, 2, 3, 1, 2)]
    if i < len(corners):
        return corners[i]
    while True:
        n = int(rng.integers(1, 33))
        k, s = int(rng.integers(1, 8)), int(rng.integers(1, 5))
        p, d = int(rng.integers(0, 4)), int(rng.integers(1, 4))
        if d * (k - 1) + 1 <= n + 2 * p:          # the kernel fits in the padded input
            return (n, k, s, p, d)


def _int_compare(out, expected, args):
    if isinstance(out, (bool, np.bool_)) or not isinstance(out, (int, np.integer)):
        if isinstance(out, (float, np.floating)) and float(out) == expected:
            return f"expected the int {expected}, got the float {fmt(out)} (use //, not /)"
        return f"expected {expected}, got {fmt(out)}"
    return None if int(out) == expected else f"expected {expected}, got {int(out)}"


def check_conv_output_size(fn):
    """conv_output_size(i, k, s=1, p=0, d=1) = ⌊(i + 2p − d(k−1) − 1)/s⌋ + 1, an int.

    Catches: the off-by-one (forgetting the +1), ignoring stride, ignoring dilation, padding
    counted once instead of on both sides, rounding up instead of down, padding or dilation
    handled outside the division by the stride (wrong only when both are used), a float result.
    Sweep: random i, k, s, p, d in combination against counting the windows one by one."""
    cases = [Case("28×28 input, 5×5 kernel", (28, 5, 1, 0, 1), equal(24)),
             Case("28, k5, padding 2 keeps the size", (28, 5, 1, 2, 1), equal(28)),
             Case("stride 2: 7, k3, s2", (7, 3, 2, 0, 1), equal(3)),
             Case("stride that does not divide: 8, k3, s2", (8, 3, 2, 0, 1), equal(3)),
             Case("dilation 2: 7, k3, d2", (7, 3, 1, 0, 2), equal(3)),
             Case("kernel = input", (5, 5, 1, 0, 1), equal(1)),
             Case("stride and padding together: 5, k3, s2, p1", (5, 3, 2, 1, 1), equal(3)),
             Case("stride and dilation together: 9, k3, s2, d2", (9, 3, 2, 0, 2), equal(3)),
             Case("all four: 10, k3, s3, p2, d2", (10, 3, 3, 2, 2), equal(4)),
             Case("the defaults s = 1, p = 0, d = 1: conv_output_size(28, 5)", (28, 5),
                  equal(24))]
    f_ = lambda f, *a: _call(f, a)
    mistakes = [
        Mistake("off by one", lambda f: f_(f, 28, 5, 1, 0, 1) == 23,
                "off by one: the first window already gives an output, so add 1 — "
                "(i + 2p − k)/s + 1 for stride 1, dilation 1."),
        Mistake("stride ignored", lambda f: f_(f, 7, 3, 2, 0, 1) == 5,
                "the stride is ignored: the window jumps s pixels, so divide by s (and floor)."),
        Mistake("dilation ignored", lambda f: f_(f, 7, 3, 1, 0, 2) == 5,
                "dilation is ignored: a k-tap kernel with dilation d spans d(k−1)+1 pixels."),
        Mistake("span d·k", lambda f: f_(f, 7, 3, 1, 0, 2) == 2 and f_(f, 28, 5, 1, 0, 1) == 24,
                "a k-tap kernel with dilation d spans d(k−1) + 1 pixels (k taps, k − 1 gaps of "
                "d), not d·k: for k = 3, d = 2 that is 5 pixels."),
        Mistake("padding once", lambda f: f_(f, 28, 5, 1, 2, 1) == 26,
                "padding goes on both sides: use i + 2p."),
        Mistake("stride and dilation swapped", lambda f: f_(f, 10, 3, 2, 0, 1) == 6
                and f_(f, 9, 3, 1, 0, 2) == 4,
                "stride and dilation are swapped: the dilation d spreads the kernel's taps "
                "(span d(k−1) + 1), the stride s is the step between windows (divide by s)."),
        Mistake("rounded up", lambda f: f_(f, 8, 3, 2, 0, 1) == 4 or f_(f, 3, 1, 3, 0, 1) == 2,
                "a window that would stick out past the edge is not used: round down (//), "
                "not up and not to the nearest integer."),
        Mistake("padding outside the division", lambda f: f_(f, 5, 3, 2, 1, 1) in (4, 5)
                and f_(f, 28, 5, 1, 2, 1) == 28,
                "padding belongs inside the division by the stride: the padded input is "
                "i + 2p long, and the windows step through all of it — ⌊(i + 2p − d(k−1) − 1)/s⌋ "
                "+ 1 (for 5, k3, s2, p1 that is 3)."),
        Mistake("dilation with the stride", lambda f: f_(f, 9, 3, 2, 0, 2) != 3
                and f_(f, 7, 3, 1, 0, 2) == 3 and f_(f, 7, 3, 2, 0, 1) == 3,
                "stride and dilation are each right on their own but not together: the span "
                "d(k−1) + 1 is subtracted *before* dividing by s, and s divides only that "
                "difference — ⌊(i + 2p − d(k−1) − 1)/s⌋ + 1 (for 9, k3, s2, d2 that is 3)."),
        Mistake("float result", lambda f: isinstance(f_(f, 28, 5, 1, 0, 1), (float, np.floating)),
                "a size is a whole number: return an int. `/` and np.floor give floats; "
                "use `//` (it floors for you)."),
        Mistake("no defaults", lambda f: _raises(f, TypeError, 28, 5),
                "s, p and d have defaults (s=1, p=0, d=1): "
                "def conv_output_size(i, k, s=1, p=0, d=1)."),
    ]
    sweep = Sweep(_conv_input, lambda i, k, s, p, d: _windows(i, k, s, p, d), _int_compare,
                  n=300, seed=11, size=lambda a: sum(a),
                  property="number of windows (counted one by one in the padded input)",
                  hint="Check each parameter's role: the padded length is i + 2p, one window "
                       "spans d(k−1) + 1 pixels, and its start moves by s — the size is "
                       "⌊(i + 2p − d(k−1) − 1)/s⌋ + 1.")
    return run_checks("conv_output_size", fn, cases, mistakes, sweep=sweep)


def _raises(f, exc, *args):
    try:
        _call(f, args)
    except exc:
        return True
    return False
