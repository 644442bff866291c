"""Checkers for notebook 16: entropy, cross-entropy, KL divergence, log-sum-exp. Each lists its
hand-picked cases (worked by hand) and the classic mistakes it recognises; the random inputs of
every sweep are graded against the *definition* evaluated in 30–40-digit arithmetic (mpmath), term
by term, with the conventions written out (0·log 0 = 0; a q of 0 where p is not gives +∞) — never
against a reference solution or a float64 library routine:

* ``check_entropy``: H(p) = −Σ p log p / log(base);
* ``check_kl_divergence``: KL(p‖q) = Σ p log(p/q);
* ``check_log_softmax``: zᵢ − log Σⱼ e^{zⱼ}, the exponentials taken exactly (no max-shift);
* ``check_smoothed_cross_entropy``: the mean of −Σ_k q_k log softmax(z)_k with
  q = (1 − ε)·onehot + ε/K."""
import math

import mpmath
import numpy as np

from .core import Case, Mistake, Sweep, fmt, run_checks, _call
from .core import as_array as _arr

__all__ = ["check_entropy", "check_kl_divergence", "check_log_softmax",
           "check_smoothed_cross_entropy"]


def _out(fn, args):
    """The learner's result as a float array, or None if it raised or is not numeric."""
    try:
        return _arr(_call(fn, args))
    except Exception:
        return None


def _is(out, expected, rtol=1e-9, atol=1e-12):
    """True when ``out`` (an array or None) has expected's shape and values, infinities in the
    same places (never raises)."""
    if out is None:
        return False
    expected = np.asarray(expected, dtype=float)
    if out.shape != expected.shape:
        return False
    if not np.array_equal(np.isposinf(out), np.isposinf(expected)):
        return False
    fin = np.isfinite(expected)
    return bool(np.all(np.isfinite(out[fin]))) and bool(
        np.allclose(out[fin], expected[fin], rtol=rtol, atol=atol))


def _nonfinite(out):
    return out is not None and not bool(np.all(np.isfinite(out)))


def _compare(expected, rtol=1e-9, atol=1e-12, what="one value per distribution"):
    """An ``expect``: shape (explained), infinities where expected (+∞ only there), finiteness,
    then values."""
    expected = np.asarray(expected, dtype=float)

    def expect(out):
        try:
            got = _arr(out)
        except (TypeError, ValueError):
            return f"expected an array of shape {expected.shape}, got {fmt(out)}"
        if got.shape != expected.shape:
            return (f"expected shape {expected.shape} ({what}), got {got.shape}"
                    + (f": {fmt(got)}" if got.size <= 12 else ""))
        show = (lambda a: fmt(a, digits=10)) if expected.size <= 12 else None
        inf = np.isposinf(expected)
        if np.any(inf & ~np.isposinf(got)):
            idx = tuple(int(i) for i in np.argwhere(inf & ~np.isposinf(got))[0])
            where = "" if expected.ndim == 0 else f" at index {idx}"
            return (f"expected +inf{where}, got {fmt(got[idx] if got.ndim else got)}"
                    + (f" (expected {show(expected)}, got {show(got)})" if show else ""))
        fin = ~inf
        if not np.all(np.isfinite(got[fin])):
            return (f"expected {show(expected)}, got {show(got)} (nan or inf)" if show
                    else "the result contains nan or inf where the answer is finite")
        if not np.allclose(got[fin], expected[fin], rtol=rtol, atol=atol):
            if show:
                return f"expected {show(expected)}, got {show(got)}"
            diff = np.where(fin, np.abs(got - expected), 0.0)
            worst = tuple(int(i) for i in np.unravel_index(np.argmax(diff), got.shape))
            return (f"expected {fmt(expected[worst], digits=10)} at index {worst}, got "
                    f"{fmt(got[worst], digits=10)}")
        return None
    return expect


def _sweep_compare(rtol, atol, what):
    return lambda out, expected, args: _compare(expected, rtol, atol, what)(out)


def _rows(a):
    """The last-axis vectors of ``a`` as a list of 1-D float arrays, and the batch shape."""
    a = np.asarray(a, dtype=float)
    return list(a.reshape(-1, a.shape[-1])), a.shape[:-1]


def _simplex(rng, K, zeros=0.0, tiny=False):
    """A probability vector of length K: Dirichlet with a random concentration, some entries set
    to exactly 0 (each with probability ``zeros``, never all), optionally some entries as small as
    1e-300."""
    p = rng.dirichlet(np.full(K, float(rng.choice([0.2, 1.0, 5.0]))))
    if zeros:
        drop = rng.random(K) < zeros
        if drop.all():
            drop[rng.integers(K)] = False
        p = np.where(drop, 0.0, p)
    if tiny and K > 1:
        k = int(rng.integers(K))
        p[k] = 10.0 ** -float(rng.integers(20, 301))
    p = np.maximum(p, 0.0)
    return p / p.sum()


# ---------------------------------------------------------------------------------------------
# Exercise 1 · entropy
# ---------------------------------------------------------------------------------------------

def _entropy_oracle(p, base):
    """−Σ_{p_k > 0} p_k ln p_k / ln(base) per last-axis vector, in 30-digit arithmetic."""
    rows, shape = _rows(p)
    with mpmath.workdps(30):
        lb = mpmath.log(mpmath.mpf(float(base)))
        out = [float(-mpmath.fsum(mpmath.mpf(float(x)) * mpmath.log(mpmath.mpf(float(x)))
                                  for x in r if x > 0) / lb) for r in rows]
    return np.array(out).reshape(shape)


def _entropy_input(rng, i):
    """(p, base); corners first: K = 1, one-hot (also integer), zeros in every place, uniform,
    dyadic, probabilities down to 1e-300, batches with one and two leading axes."""
    corners = [
        (np.array([1.0]), 2), (np.array([0, 1]), 2), (np.array([0.0, 0.0, 1.0, 0.0]), math.e),
        (np.array([0.0, 0.5, 0.5]), 2), (np.array([0.25] * 4), 2),
        (np.array([[0.5, 0.25, 0.125, 0.125], [0.0, 0.0, 0.0, 1.0]]), 2),
        (np.full(10, 0.1), 10), (np.array([1e-300, 1.0]), math.e),
        (np.array([[[0.5, 0.5], [1.0, 0.0]], [[0.0, 1.0], [0.9, 0.1]]]), 2.0),
        (np.array([[1, 0, 0], [0, 0, 1]]), 3), (np.array([0.3, 0.0, 0.7]), 1.5),
    ]
    if i < len(corners):
        return corners[i]
    base = [2, 2.0, math.e, 10, 1.5, 3, 16][int(rng.integers(7))]
    K = int(rng.integers(1, 13))
    lead = [(), (), (int(rng.integers(1, 5)),), (int(rng.integers(1, 4)), int(rng.integers(1, 4)))][
        i % 4]
    n = int(np.prod(lead)) if lead else 1
    rows = [_simplex(rng, K, zeros=float(rng.choice([0.0, 0.3, 0.7])), tiny=(i % 5 == 3))
            for _ in range(n)]
    p = np.array(rows).reshape(lead + (K,))
    if i % 9 == 4:                                   # integer one-hot rows
        p = np.zeros(lead + (K,), dtype=np.int64)
        p[..., int(rng.integers(K))] = 1
    return p, base


def check_entropy(fn):
    """entropy(p, base) = −Σ_k p_k log_base p_k over the last axis of p (shape (…, K)), with
    0·log 0 = 0; returns shape p.shape[:-1]. Catches: nan from 0·log 0, an epsilon in the log (or
    a clip), the natural log (or log₂) whatever the base, dividing by log₁₀(base), multiplying by
    ln(base) instead of dividing, the minus sign forgotten,
    Σ log p without the weights p, the mean over the outcomes instead of the sum, the per-outcome
    surprises returned unsummed, keepdims, summing over the whole batch or over the wrong axis,
    changing p in place (reported by the core). Sweep: the definition in 30-digit arithmetic."""
    half = np.array([0.5, 0.5])
    dyadic = np.array([0.5, 0.25, 0.125, 0.125])
    batch = np.array([[1 / 3, 1 / 3, 1 / 3], [1.0, 0.0, 0.0]])
    ln2 = math.log(2)
    cases = [
        Case("a fair coin in bits (1 bit)", (half, 2), _compare(1.0)),
        Case("(1/2, 1/4, 1/8, 1/8) in bits: 1.75 bits", (dyadic, 2), _compare(1.75)),
        Case("a fair die in nats (ln 6)", (np.full(6, 1 / 6), math.e), _compare(math.log(6))),
        Case("an impossible outcome: (0.5, 0.5, 0) in bits, still 1 bit",
             (np.array([0.5, 0.5, 0.0]), 2), _compare(1.0),
             hint="0·log 0 counts as 0 (the limit of p log p as p → 0), but in NumPy "
                  "0 * np.log(0) = 0 · (−inf) = nan: leave the zero terms out."),
        Case("a certain outcome, the integer one-hot [0, 1, 0]: 0 bits",
             (np.array([0, 1, 0]), 2), _compare(0.0)),
        Case("one outcome, K = 1: entropy 0", (np.array([1.0]), 10), _compare(0.0)),
        Case("8 equally likely outcomes, base the int 2: 3 bits", (np.full(8, 0.125), 2),
             _compare(3.0)),
        Case("a batch of 2 rows in base 3: uniform over 3 (1 trit) and certain (0)",
             (batch, 3), _compare([1.0, 0.0], what="one entropy per row")),
        Case("a 2 × 2 batch of coins (the last axis is the distribution)",
             (np.array([[[0.5, 0.5], [1.0, 0.0]], [[0.0, 1.0], [0.9, 0.1]]]), 2),
             _compare([[1.0, 0.0], [0.0, -(0.9 * math.log(0.9) + 0.1 * math.log(0.1)) / ln2]],
                      what="one entropy per distribution, shape p.shape[:-1]")),
        Case("probabilities of 1e-300 beside a likely outcome (in nats)",
             (np.array([1e-300, 0.25, 0.75]), math.e),
             _compare(-(0.25 * math.log(0.25) + 0.75 * math.log(0.75)))),
    ]

    def o(fn_, p, base):
        return _out(fn_, (np.asarray(p), base))

    def on_half(value):
        return lambda fn_: _is(o(fn_, half, 2), value)

    def nan_zero(fn_):
        return _is(o(fn_, half, 2), 1.0) and _nonfinite(o(fn_, [0.5, 0.5, 0.0], 2))

    def ignores_base(log, scale=1.0):
        def detect(fn_):
            return all(_is(o(fn_, np.full(k, 1 / k), b), scale * log(k))
                       for k, b in ((8, 2), (6, 10), (4, 3)))
        return detect

    def shape_is(p, shape):
        def detect(fn_):
            out = o(fn_, p, 2)
            return out is not None and out.shape == shape
        return detect

    def summed_batch(fn_):
        return _is(o(fn_, batch, 3), 1.0) and _is(o(fn_, half, 2), 1.0)

    def epsilon(fn_):
        out = o(fn_, [0, 1, 0], 2)
        return _is(o(fn_, half, 2), 1.0, 1e-6, 1e-6) and out is not None and out.shape == () \
            and 0 < abs(float(out)) < 1e-6

    mistakes = [
        Mistake("0·log 0 = nan", nan_zero,
                "a probability of exactly 0 gives 0 * np.log(0) = 0 · (−inf) = nan in NumPy, but "
                "its term is 0: p log p → 0 as p → 0 (an outcome that never happens adds no "
                "surprise on average). Leave those terms out, e.g. "
                "np.where(p > 0, p * np.log(np.where(p > 0, p, 1)), 0)."),
        Mistake("natural log whatever the base", ignores_base(np.log),
                "the units are set by `base`: divide the natural log by ln(base), "
                "log_base(x) = ln(x) / ln(base). For a fair coin in base 2 the answer is 1 bit, "
                "not ln 2 = 0.693 nats."),
        Mistake("log₂ whatever the base", ignores_base(np.log2),
                "base 2 gives bits, but `base` may be e, 10, 3, …: divide the natural log by "
                "ln(base) instead of always using log₂."),
        Mistake("epsilon in the log", epsilon,
                "an epsilon added inside the log (or a clip of p to [ε, 1]) changes the answer: a "
                "certain outcome must have entropy exactly 0, and the zero terms must add exactly "
                "0. Leave the terms with p_k = 0 out instead, e.g. "
                "np.where(p > 0, p * np.log(np.where(p > 0, p, 1)), 0)."),
        Mistake("divided by log₁₀(base)", on_half(math.log(2) / math.log10(2)),
                "log_base(x) = ln(x) / ln(base): divide the natural log by the *natural* log of "
                "the base (np.log(base)), or use log₁₀ for both (np.log10(p) / np.log10(base))."),
        Mistake("multiplied by ln(base)", on_half(ln2 * ln2),
                "changing units divides by ln(base): log_base(x) = ln(x) / ln(base). You "
                "multiplied by it (a fair coin came out as ln(2)² instead of 1 bit)."),
        Mistake("minus sign forgotten", on_half(-1.0),
                "log p ≤ 0 for a probability, so Σ p log p ≤ 0: the entropy is −Σ p log p, "
                "which is ≥ 0."),
        Mistake("Σ log p without the weights", on_half(2.0),
                "entropy is the *average* surprise: each −log p_k is weighted by the "
                "probability p_k of that outcome, H = −Σ p_k log p_k."),
        Mistake("mean instead of sum", on_half(0.5),
                "average over outcomes *weighted by p*, which is the sum Σ p_k(−log p_k); "
                "np.mean divides once more, by K."),
        Mistake("surprises not summed", shape_is(half, (2,)),
                "you returned one surprise −p_k log p_k per outcome: sum them over the last "
                "axis (np.sum(…, axis=-1)) for one entropy per distribution."),
        Mistake("keepdims", shape_is(batch, (2, 1)),
                "return shape p.shape[:-1] — one number per distribution: drop keepdims=True."),
        Mistake("summed over the whole batch", summed_batch,
                "sum over the last axis only (axis=-1): each row of a batch is its own "
                "distribution with its own entropy."),
        Mistake("summed over the first axis", shape_is(batch, (3,)),
                "the probability vector is the *last* axis: sum with axis=-1, not axis=0 "
                "(a 1-D p hides the difference)."),
    ]
    sweep = Sweep(_entropy_input, _entropy_oracle, _sweep_compare(1e-9, 1e-12,
                                                                  "one entropy per distribution"),
                  n=150, seed=16,
                  property="entropy −Σ p log p / ln(base) (30-digit arithmetic, 0·log 0 = 0)",
                  hint="H = −Σ_k p_k ln p_k / ln(base) over axis=-1, the terms with p_k = 0 "
                       "left out.")
    return run_checks("entropy", fn, cases, mistakes, sweep=sweep, hint=sweep.hint)


# ---------------------------------------------------------------------------------------------
# Exercise 2 · KL divergence
# ---------------------------------------------------------------------------------------------

def _kl_oracle(p, q):
    """Σ_{p_k > 0} p_k ln(p_k / q_k) per last-axis pair in 30-digit arithmetic; +∞ when some
    q_k = 0 with p_k > 0."""
    (prow, shape), (qrow, _) = _rows(p), _rows(q)
    out = []
    with mpmath.workdps(30):
        for a, b in zip(prow, qrow):
            if np.any((a > 0) & (b == 0)):
                out.append(math.inf)
                continue
            out.append(float(mpmath.fsum(mpmath.mpf(float(x)) * mpmath.log(
                mpmath.mpf(float(x)) / mpmath.mpf(float(y))) for x, y in zip(a, b) if x > 0)))
    return np.array(out).reshape(shape)


def _kl_input(rng, i):
    """(p, q); corners first: p = q, zeros in p / q / both, +∞ rows beside finite ones, one-hot
    and integer inputs, K = 1, nearly equal pairs, entries down to 1e-300."""
    corners = [
        (np.array([1.0]), np.array([1.0])), (np.array([0, 1]), np.array([0, 1])),
        (np.array([0.0, 0.5, 0.5]), np.array([0.0, 0.5, 0.5])),
        (np.array([0.0, 1.0]), np.array([0.5, 0.5])), (np.array([0.5, 0.5]), np.array([0.0, 1.0])),
        (np.array([[0.5, 0.5], [0.2, 0.8]]), np.array([[1.0, 0.0], [0.5, 0.5]])),
        (np.array([0.25, 0.75]), np.array([0.75, 0.25])),
        (np.array([1, 0, 0]), np.array([0.2, 0.3, 0.5])),
        (np.array([0.5, 0.5]), np.array([1e-300, 1.0])),
        (np.array([1e-300, 1.0]), np.array([0.5, 0.5])),
        (np.full(4, 0.25), np.array([0.25 + 1e-9, 0.25 - 1e-9, 0.25, 0.25])),
        (np.array([[[0.1, 0.9], [1.0, 0.0]], [[0.5, 0.5], [0.0, 1.0]]]),
         np.array([[[0.9, 0.1], [0.5, 0.5]], [[0.0, 1.0], [1.0, 0.0]]])),
    ]
    if i < len(corners):
        return corners[i]
    K = int(rng.integers(1, 11))
    lead = [(), (), (int(rng.integers(1, 5)),), (int(rng.integers(1, 4)), int(rng.integers(1, 4)))][
        i % 4]
    n = int(np.prod(lead)) if lead else 1
    P, Q = [], []
    for _ in range(n):
        p = _simplex(rng, K, zeros=float(rng.choice([0.0, 0.3, 0.6])), tiny=(i % 6 == 1))
        kind = int(rng.integers(4))
        if kind == 0:                                    # nearly equal
            q = p * (1 + rng.uniform(-1e-3, 1e-3, K) * rng.choice([1.0, 1e-3]))
            q = q / q.sum()
        elif kind == 1 and K > 1:                        # q says "impossible" to some of p
            q = _simplex(rng, K, zeros=0.5, tiny=(i % 6 == 2))
        else:
            q = _simplex(rng, K, zeros=float(rng.choice([0.0, 0.3])), tiny=(i % 6 == 2))
        P.append(p)
        Q.append(q)
    p, q = np.array(P).reshape(lead + (K,)), np.array(Q).reshape(lead + (K,))
    if i % 10 == 5:                                      # integer one-hot p
        k = int(rng.integers(K))
        p = np.zeros(lead + (K,), dtype=np.int64)
        p[..., k] = 1
    return p, q


def check_kl_divergence(fn):
    """kl_divergence(p, q) = Σ_k p_k ln(p_k / q_k) over the last axis, p and q of shape (…, K);
    terms with p_k = 0 are 0, and a q_k = 0 under p_k > 0 gives +∞. Catches: the arguments
    swapped (KL(q‖p)), nan from the p = 0 terms, +∞ lost (the term dropped, or q clipped by an
    epsilon), the sign flipped (Σ p log(q/p)), the cross-entropy H(p, q) returned, log₂ for ln,
    the symmetrised KL, the mean over outcomes, keepdims, a sum over the whole batch or over the
    first axis, changing an input in place (reported by the core). Sweep: the definition in 30-digit arithmetic."""
    p1, q1 = np.array([0.5, 0.5]), np.array([0.25, 0.75])
    kl1 = 0.5 * math.log(2) + 0.5 * math.log(2 / 3)               # = ½ ln(4/3)
    rev1 = 0.25 * math.log(0.5) + 0.75 * math.log(1.5)
    p2, q2 = np.array([0.9, 0.1]), np.array([0.5, 0.5])
    kl2 = 0.9 * math.log(1.8) + 0.1 * math.log(0.2)
    rev2 = 0.5 * math.log(0.5 / 0.9) + 0.5 * math.log(5.0)
    zp, zq = np.array([0.5, 0.5, 0.0]), np.array([0.25, 0.25, 0.5])
    cases = [
        Case("p = (0.5, 0.5), q = (0.25, 0.75): ½ ln(4/3)", (p1, q1), _compare(kl1)),
        Case("p = (0.9, 0.1), q = (0.5, 0.5)", (p2, q2), _compare(kl2),
             hint="p is the first argument: KL(p‖q) = Σ p log(p/q), weighted by p."),
        Case("p = q: KL = 0", (np.array([0.2, 0.3, 0.5]), np.array([0.2, 0.3, 0.5])),
             _compare(0.0)),
        Case("a zero in p: p = (0.5, 0.5, 0), q = (0.25, 0.25, 0.5): ln 2", (zp, zq),
             _compare(math.log(2)),
             hint="a term with p_k = 0 is 0 (the limit of p log p), but 0 * np.log(0) is nan "
                  "in NumPy: leave those terms out."),
        Case("zeros in the same place of p and q: (0.5, 0.5, 0) vs (0.5, 0.5, 0): 0",
             (zp, zp.copy()), _compare(0.0)),
        Case("q = 0 where p > 0: p = (0.5, 0.5), q = (1, 0): +inf",
             (p1, np.array([1.0, 0.0])), _compare(math.inf),
             hint="q_k = 0 where p_k > 0 means the model calls possible data impossible: the "
                  "divergence is +inf (np.inf), not nan and not a large finite number."),
        Case("a batch: an infinite row beside a finite one",
             (np.array([[0.5, 0.5], [0.9, 0.1]]), np.array([[1.0, 0.0], [0.5, 0.5]])),
             _compare([math.inf, kl2], what="one KL per row")),
        Case("an integer one-hot p = [0, 0, 1] against q = (0.2, 0.3, 0.5): −ln 0.5",
             (np.array([0, 0, 1]), np.array([0.2, 0.3, 0.5])), _compare(math.log(2)),
             hint="the result is a float even when p holds integers: np.asarray(p, dtype=float) "
                  "before computing (an integer result buffer truncates ln 2 to 0)."),
        Case("one outcome, K = 1: 0", (np.array([1.0]), np.array([1.0])), _compare(0.0)),
        Case("integer arrays p = [1, 0], q = [0, 1]: +inf", (np.array([1, 0]), np.array([0, 1])),
             _compare(math.inf)),
        Case("a 2 × 2 batch (the last axis is the distribution)",
             (np.stack([np.stack([p1, p2]), np.stack([q1, zp[:2]])]),
              np.stack([np.stack([q1, q2]), np.stack([p1, np.array([0.5, 0.5])])])),
             _compare([[kl1, kl2], [rev1, 0.0]],
                      what="one KL per distribution, shape p.shape[:-1]")),
    ]

    def o(fn_, p, q):
        return _out(fn_, (np.asarray(p, dtype=float), np.asarray(q, dtype=float)))

    def gives(value1, value2):
        return lambda fn_: _is(o(fn_, p1, q1), value1) and _is(o(fn_, p2, q2), value2)

    def nan_zero(fn_):
        return _is(o(fn_, p1, q1), kl1) and _nonfinite(o(fn_, zp, zq))

    def inf_lost(fn_):
        out = o(fn_, p1, [1.0, 0.0])
        return _is(o(fn_, p1, q1), kl1) and out is not None and out.shape == () \
            and bool(np.isfinite(out))

    def shape_is(p, q, shape):
        def detect(fn_):
            out = o(fn_, p, q)
            return out is not None and out.shape == shape
        return detect

    bp, bq = np.stack([p1, p2]), np.stack([q1, q2])
    wide_p = np.array([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]])
    wide_q = np.array([[0.3, 0.3, 0.4], [0.5, 0.25, 0.25]])
    ce = lambda p, q: -float(np.sum(p * np.log(q)))
    mistakes = [
        Mistake("arguments swapped", gives(rev1, rev2),
                "you computed KL(q‖p): the arguments are the other way round. KL(p‖q) = "
                "Σ p_k log(p_k/q_k) averages over p, the first argument (the data), and it is not "
                "symmetric: for p = (0.5, 0.5), q = (0.25, 0.75) it is 0.144, KL(q‖p) is 0.131."),
        Mistake("0·log 0 = nan", nan_zero,
                "an outcome with p_k = 0 contributes 0 (the limit of p log p as p → 0), but "
                "0 * np.log(0 / q) is 0 · (−inf) = nan in NumPy: leave the terms with p_k = 0 "
                "out (np.where(p > 0, …, 0) with safe arguments inside the log)."),
        Mistake("+inf lost", inf_lost,
                "when q_k = 0 but p_k > 0 the model calls an outcome impossible that does "
                "happen: p_k log(p_k/0) = +inf, and so is the KL. Don't drop that term or add an "
                "epsilon to q — return np.inf."),
        Mistake("sign flipped", gives(-kl1, -kl2),
                "the sign is flipped: KL(p‖q) = Σ p log(p/q) ≥ 0 (Gibbs' inequality); "
                "Σ p log(q/p) is its negative."),
        Mistake("cross-entropy returned", gives(ce(p1, q1), ce(p2, q2)),
                "that is the cross-entropy H(p, q) = −Σ p log q. The KL subtracts the entropy: "
                "KL(p‖q) = H(p, q) − H(p) = Σ p log p − Σ p log q."),
        Mistake("log₂", gives(kl1 / math.log(2), kl2 / math.log(2)),
                "the answer is in nats: use the natural logarithm np.log, not np.log2."),
        Mistake("symmetrised", lambda fn_: _is(o(fn_, p1, q1), (kl1 + rev1) / 2)
                or _is(o(fn_, p1, q1), kl1 + rev1),
                "KL(p‖q) is one sum weighted by p, Σ p log(p/q) — not the average (or sum) of "
                "KL(p‖q) and KL(q‖p). Its asymmetry is the point."),
        Mistake("mean instead of sum", gives(kl1 / 2, kl2 / 2),
                "the average over outcomes is already weighted by p: KL = Σ_k p_k log(p_k/q_k), "
                "a sum. np.mean divides once more, by K."),
        Mistake("terms not summed", shape_is(p1, q1, (2,)),
                "you returned one term p_k log(p_k/q_k) per outcome: sum them over the last axis "
                "for one KL per distribution."),
        Mistake("keepdims", shape_is(bp, bq, (2, 1)),
                "return shape p.shape[:-1] — one number per distribution: drop keepdims=True."),
        Mistake("summed over the first axis", shape_is(wide_p, wide_q, (3,)),
                "the probability vectors lie along the *last* axis: sum with axis=-1, not axis=0 "
                "(a 1-D p hides the difference)."),
        Mistake("summed over the whole batch", lambda fn_: _is(o(fn_, bp, bq), kl1 + kl2),
                "sum over the last axis only (axis=-1): each row of a batch is its own pair of "
                "distributions with its own KL."),
    ]
    sweep = Sweep(_kl_input, _kl_oracle, _sweep_compare(1e-9, 1e-12, "one KL per distribution"),
                  n=150, seed=16,
                  property="KL(p‖q) = Σ p log(p/q) (30-digit arithmetic; p_k = 0 terms 0, "
                           "+inf where q_k = 0 < p_k)",
                  hint="KL(p‖q) = Σ_k p_k (ln p_k − ln q_k) over axis=-1: terms with p_k = 0 "
                       "left out, +inf when some q_k = 0 with p_k > 0.")
    return run_checks("kl_divergence", fn, cases, mistakes, sweep=sweep, hint=sweep.hint)


# ---------------------------------------------------------------------------------------------
# Exercise 3 · a stable log_softmax
# ---------------------------------------------------------------------------------------------

def _log_softmax_oracle(z):
    """zᵢ − ln Σⱼ e^{zⱼ} for each last-axis row, every e^{zⱼ} taken exactly in 40-digit
    arithmetic (mpmath's exponent range is unbounded, so there is nothing to shift)."""
    z = np.asarray(z, dtype=float)
    rows, _ = _rows(z)
    out = []
    with mpmath.workdps(40):
        for r in rows:
            lse = mpmath.log(mpmath.fsum(mpmath.exp(mpmath.mpf(float(x))) for x in r))
            out.append([float(mpmath.mpf(float(x)) - lse) for x in r])
    return np.array(out).reshape(z.shape)


def _log_softmax_input(rng, i):
    """(z,); corners first: huge logits, rows thousands apart, entries thousands apart (the
    softmax underflows), K = 1, constant rows, integers, 3-D batches, the max not first."""
    corners = [
        np.array([0.0, -2000.0]), np.array([[0.0, 1.0], [-2000.0, -1999.0]]),
        np.array([1e4, -1e4, 0.0]), np.array([[5.0], [-1e4]]), np.array([7.0]),
        np.array([[2.0, 2.0, 2.0], [-1e4, -1e4, -1e4]]), np.array([[1, 2, 3], [1000, 1000, 0]]),
        np.array([3, 1]), np.array([[[1.0, 2.0], [1e4, 0.0]], [[-1e4, -2e4], [0.5, 0.25]]]),
        np.array([0.0, 3000.0, 0.0]), np.array([1e-16, -1e-16, 0.0]),
        np.array([[800.0, 0.0], [0.0, -800.0]]), np.array([-745.0, 0.0, -740.0]),
    ]
    if i < len(corners):
        return (corners[i],)
    ndim = (1, 2, 2, 3)[i % 4]
    shape = tuple(int(v) for v in rng.integers(1, 6, size=ndim))
    z = np.round(rng.standard_normal(shape) * 3, 2)
    rows = shape[:-1] + (1,)
    scale = 10.0 ** rng.integers(-2, 4, size=rows)              # spreads up to thousands
    offset = rng.choice([0.0, 1e4, -1e4, 700.0, -750.0, 50.0, 1000.0], size=rows)
    z = z * scale + offset
    if i % 10 == 7:
        z = np.round(z).astype(np.int64)
    return (z,)


def check_log_softmax(fn):
    """log_softmax(z) = zᵢ − log Σⱼ e^{zⱼ} along the last axis, via the max-shift of each row
    (z of shape (…, K), possibly integers); returns z's shape. Catches: no max-shift (exp
    overflows to inf → nan), log of a (stable) softmax (underflow → −inf), one max for the whole
    batch, a shift by something other than the max (the mean, the first entry) that still
    overflows, m not added back, the shift without the log-sum, the softmax returned, the
    log-sum-exp returned, normalising over the wrong axis, keepdims forgotten, changing z in
    place (reported by the core). Sweep: the exact exponentials in 40-digit arithmetic."""
    v = np.array([1.0, 2.0, 3.0])
    lse_v = math.log(math.exp(1) + math.exp(2) + math.exp(3))
    ls_v = v - lse_v
    pair = -np.log1p(np.exp([1.0, -1.0]))                        # log softmax([0, 1])
    spread = np.array([[0.0, 1.0], [-2000.0, -1999.0]])
    cases = [
        Case("a 3-logit vector [1, 2, 3]", (v,), _compare(ls_v, 1e-10, 1e-10, "z's shape")),
        Case("huge logits [1000, 1001, 1002] (e^1000 overflows)",
             (np.array([1000.0, 1001.0, 1002.0]),), _compare(ls_v, 1e-10, 1e-10, "z's shape")),
        Case("[0, −2000]: softmax₁ = e^−2000 is below the smallest float64, its log is not",
             (np.array([0.0, -2000.0]),), _compare([0.0, -2000.0], 1e-10, 1e-10, "z's shape"),
             hint="log(softmax(z)) takes the log of a probability that rounded to 0: compute "
                  "z − m − log Σ exp(z − m) directly, never the softmax first."),
        Case("two rows 2000 apart, [[0, 1], [−2000, −1999]] (each row has its own max)",
             (spread,), _compare(np.stack([pair, pair]), 1e-10, 1e-10, "z's shape"),
             hint="Each row is shifted by its own maximum: z.max(axis=-1, keepdims=True)."),
        Case("integer logits [1, 2, 3] (dtype int64)", (np.array([1, 2, 3]),),
             _compare(ls_v, 1e-10, 1e-10, "z's shape"),
             hint="The result is float even when z holds integers."),
        Case("one logit per row, K = 1: log 1 = 0", (np.array([[5.0], [-1e4]]),),
             _compare([[0.0], [0.0]], 1e-10, 1e-10, "z's shape")),
        Case("[1e4, −1e4, 0]: −0, −2e4, −1e4", (np.array([1e4, -1e4, 0.0]),),
             _compare([0.0, -2e4, -1e4], 1e-10, 1e-10, "z's shape")),
        Case("a constant row [7, 7, 7, 7]: −log 4 each", (np.full(4, 7.0),),
             _compare(np.full(4, -math.log(4)), 1e-10, 1e-10, "z's shape")),
        Case("a 2 × 2 × 3 batch (the last axis is normalised)",
             (np.stack([np.stack([v, v[::-1] + 1e3]), np.stack([v - 3e3, np.zeros(3)])]),),
             _compare(np.stack([np.stack([ls_v, ls_v[::-1]]),
                                np.stack([ls_v, np.full(3, -math.log(3))])]), 1e-10, 1e-10,
                      "z's shape")),
    ]

    def o(fn_, z):
        return _out(fn_, (np.asarray(z, dtype=float),))

    def right(fn_, z, expected):
        return _is(o(fn_, z), expected, 1e-10, 1e-10)

    def log_of_softmax(fn_):
        out = o(fn_, [0.0, -2000.0])
        return right(fn_, v, ls_v) and out is not None and out.shape == (2,) \
            and abs(out[0]) < 1e-9 and out[1] == -math.inf

    def global_max(fn_):
        out = o(fn_, spread)
        return right(fn_, v, ls_v) and out is not None and out.shape == (2, 2) \
            and np.allclose(out[0], pair) and not np.all(np.isfinite(out[1]))

    def other_shift(fn_):
        return right(fn_, [1000.0, 1001.0, 1002.0], ls_v) and (
            _nonfinite(o(fn_, [0.0, 3000.0, 0.0])) or _nonfinite(o(fn_, [3000.0, 0.0, 0.0])))

    def lse_returned(fn_):
        out = o(fn_, v)
        return out is not None and out.size in (1, 3) and np.allclose(out, lse_v)

    def wrong_axis(fn_):
        z = np.array([[1.0, 2.0, 3.0], [0.0, 5.0, 1.0]])
        lse0 = np.log(np.exp(z).sum(axis=0, keepdims=True))
        return _is(o(fn_, z), z - lse0, 1e-9, 1e-9) or _is(o(fn_, z[:1]), np.zeros((1, 3)))

    def no_keepdims(fn_):
        z = np.array([[1.0, 2.0, 3.0], [0.0, 5.0, 1.0]])
        good = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
        return right(fn_, v, ls_v) and right(fn_, z[:1], good[:1]) and not right(fn_, z, good)

    mistakes = [
        Mistake("overflow", lambda fn_: right(fn_, v, ls_v)
                and _nonfinite(o(fn_, [1000.0, 1001.0, 1002.0])),
                "exp(1000) overflows to inf, and inf/inf or inf − inf is nan. Subtract the row's "
                "largest logit first: log Σ e^{z_j} = m + log Σ e^{z_j − m}, m = max_j z_j — "
                "every exponent is then ≤ 0 and the largest term is e⁰ = 1."),
        Mistake("log of the softmax", log_of_softmax,
                "you took the log of a softmax: its entry e^−2000 rounds to 0.0 in float64 and "
                "log 0 = −inf, though the exact answer is −2000. Never form the probabilities: "
                "log softmax(z) = (z − m) − log Σ exp(z − m)."),
        Mistake("one max for the whole batch", global_max,
                "each row needs its own maximum: with one max for the whole batch a row lying "
                "2000 below it has exp(z − m) = 0 everywhere and log 0 = −inf. Use "
                "z.max(axis=-1, keepdims=True)."),
        Mistake("shift by something other than the max", other_shift,
                "the shift must be the row's *maximum*: with the mean, the first entry or the "
                "minimum, an entry 3000 above it still gives exp(3000) = inf. Only "
                "m = max z makes every exponent ≤ 0."),
        Mistake("m not added back", lambda fn_: right(fn_, v, v - (lse_v - 3.0)),
                "the shift has to be undone: log Σ e^{z_j} = m + log Σ e^{z_j − m}, so "
                "log softmax(z) = z − m − log Σ e^{z − m} (you subtracted only the log Σ)."),
        Mistake("log-sum missing", lambda fn_: right(fn_, v, v - 3.0),
                "z − max z is only the shift: subtract log Σ e^{z − m} as well, so that the "
                "exponentials of the result sum to 1."),
        Mistake("softmax returned", lambda fn_: right(fn_, v, np.exp(ls_v)),
                "you returned the softmax probabilities; the task is their logarithm, "
                "z − m − log Σ exp(z − m) — computed without forming the probabilities."),
        Mistake("log-sum-exp returned", lse_returned,
                "that is log Σ e^{z_j}, the normaliser; return z − log Σ e^{z_j}, one value per "
                "logit, the shape of z."),
        Mistake("wrong axis", wrong_axis,
                "normalise along the last axis (axis=-1): each row is one example's logits. "
                "A 1-D z hides the difference."),
        Mistake("keepdims", no_keepdims,
                "z.max(axis=-1) and the sum drop the last axis, so z − m lines the maxima up "
                "against the wrong entries (or fails): use keepdims=True so that they broadcast "
                "along each row."),
    ]
    sweep = Sweep(_log_softmax_input, _log_softmax_oracle,
                  _sweep_compare(1e-10, 1e-10, "the shape of z"), n=150, seed=16,
                  property="log softmax z − log Σ e^z (exact exponentials, 40-digit arithmetic)",
                  hint="m = z.max(axis=-1, keepdims=True); return z − m − log(Σ exp(z − m)) "
                       "with the sum over axis=-1, keepdims=True.")
    return run_checks("log_softmax", fn, cases, mistakes, sweep=sweep, hint=sweep.hint)


# ---------------------------------------------------------------------------------------------
# Exercise 4 · cross-entropy with label smoothing
# ---------------------------------------------------------------------------------------------

def _smoothed_ce_oracle(logits, targets, eps):
    """(1/N) Σ_i −Σ_k q_ik (z_ik − ln Σ_j e^{z_ij}), q = (1 − ε)·[k = y_i] + ε/K, in 40-digit
    arithmetic with exact exponentials."""
    z = np.asarray(logits, dtype=float)
    N, K = z.shape
    total = mpmath.mpf(0)
    with mpmath.workdps(40):
        e = mpmath.mpf(float(eps))
        for row, y in zip(z, np.asarray(targets)):
            zs = [mpmath.mpf(float(x)) for x in row]
            lse = mpmath.log(mpmath.fsum(mpmath.exp(x) for x in zs))
            total += -mpmath.fsum(((1 - e) * (k == int(y)) + e / K) * (zs[k] - lse)
                                  for k in range(K))
        return float(total / N)


def _smoothed_ce_input(rng, i):
    """(logits, targets, eps); corners first: ε = 0 (also the int 0), N = 1, K = 1 and 2,
    logits of ±1000, rows whose logits differ by thousands, integer logits, large ε."""
    corners = [
        (np.array([[0.0, 0.0]]), np.array([0]), 0),
        (np.array([[1000.0, 0.0, -1000.0]]), np.array([0]), 0.3),
        (np.array([[1000.0, 0.0, -1000.0]]), np.array([2]), 0.1),
        (np.array([[5.0]]), np.array([0]), 0.5),
        (np.array([[1000, 1001], [-1000, 0]]), np.array([1, 0]), 0.0),
        (np.array([[0.0, -3000.0, 5.0], [2.0, 2.0, 2.0]]), np.array([1, 2]), 0.2),
        (np.array([[3.0, 1.0]]), np.array([1]), 0.9),
        (np.array([[-1e4, 1e4]]), np.array([1]), 0.05),
    ]
    if i < len(corners):
        return corners[i]
    N, K = int(rng.integers(1, 7)), int(rng.integers(1, 11)) if i % 7 else 2
    z = np.round(rng.standard_normal((N, K)) * 3, 2)
    scale = 10.0 ** rng.integers(-1, 4, size=(N, 1))
    offset = rng.choice([0.0, 1000.0, -1000.0, 750.0, 30.0], size=(N, 1))
    z = z * scale + offset
    if i % 10 == 4:
        z = np.round(z).astype(np.int64)
    y = rng.integers(K, size=N)
    eps = [0.0, 0.1, 0.05, 0.2, 0.5, 0.9, float(np.round(rng.uniform(0, 1), 3)), 0][i % 8]
    return z, y, eps


def check_smoothed_cross_entropy(fn):
    """smoothed_cross_entropy(logits, targets, eps) = mean_i −Σ_k q_ik log softmax(z_i)_k with
    q = (1 − ε)·onehot(y_i) + ε/K (PyTorch's label_smoothing), logits (N, K), targets (N,) ints.
    Catches: ε/(K − 1) on the other classes, ε/K on the other classes only, the (1 − ε) missing
    on the one-hot part, ε and 1 − ε swapped, ε ignored, the prediction smoothed instead of the
    target, the logits smoothed, ε not divided by K, the minus sign forgotten, the sum over the
    batch, an average over the classes too, the per-example losses, no max-shift (overflow), one
    max for the whole batch, log of the softmax (−inf × ε/K), changing an input in place (reported by the core). Sweep: the definition in 40-digit arithmetic."""
    Lz = np.array([[2.0, 0.0, 0.0, 0.0], [0.0, 1.0, -1.0, 3.0]])
    Ly = np.array([0, 2])
    far = np.array([[1000.0, 0.0, -1000.0]])

    def exact(z, y, eps, target=None, pred=None):
        """The loss by float64 formula for the hand-picked, moderate logits (and variants)."""
        z = np.asarray(z, dtype=float)
        N, K = z.shape
        logp = z - np.log(np.exp(z - z.max(1, keepdims=True)).sum(1, keepdims=True)) \
            - z.max(1, keepdims=True)
        onehot = np.eye(K)[y]
        q = (1 - eps) * onehot + eps / K if target is None else target(onehot, eps, K)
        if pred is not None:
            logp = np.log(pred(np.exp(logp), eps, K))
        return float(np.mean(-(q * logp).sum(1)))

    l_far = 1000.0 - (0.7 + 0.1) * 1000.0 + 0.1 * 1000.0          # = 300, hand-worked
    cases = [
        Case("ε = 0, logits (0, 0): ln 2", (np.array([[0.0, 0.0]]), np.array([0]), 0.0),
             _compare(math.log(2), what="one number, the mean loss")),
        Case("ε = 0.2, K = 4, logits (2, 0, 0, 0), target 0: ln(e² + 3) − 0.85·2",
             (Lz[:1], Ly[:1], 0.2),
             _compare(math.log(math.e ** 2 + 3) - 0.85 * 2, what="one number, the mean loss")),
        Case("two examples, K = 4, ε = 0.1 (the mean over the batch)", (Lz, Ly, 0.1),
             _compare(exact(Lz, Ly, 0.1), what="one number, the mean loss")),
        Case("logits (1000, 0, −1000), ε = 0.3: exactly 300 (every class enters the loss)",
             (far, np.array([0]), 0.3), _compare(l_far, what="one number, the mean loss"),
             hint="with ε > 0 the class at −1000 has target weight ε/K and log-probability "
                  "−2000: compute log softmax with the max-shift, never log(softmax)."),
        Case("ε = 0 and logits (1000, 1001), target 1: ln(1 + e⁻¹)",
             (np.array([[1000.0, 1001.0]]), np.array([1]), 0),
             _compare(math.log1p(math.exp(-1)), what="one number, the mean loss")),
        Case("two rows 2000 apart, [[1000, 1001], [−1000, −999]], targets [1, 0], ε = 0",
             (np.array([[1000.0, 1001.0], [-1000.0, -999.0]]), np.array([1, 0]), 0.0),
             _compare(math.log1p(math.exp(-1)) + 0.5, what="one number, the mean loss"),
             hint="each row is shifted by its own maximum: z.max(axis=1, keepdims=True)."),
        Case("integer logits [[1, 2, 3], [3, 2, 1]], targets [2, 2], ε the int 0",
             (np.array([[1, 2, 3], [3, 2, 1]]), np.array([2, 2]), 0),
             _compare(math.log(math.e + math.e ** 2 + math.e ** 3) - 2.0,
                      what="one number, the mean loss")),
        Case("K = 1: one class, loss 0", (np.array([[5.0]]), np.array([0]), 0.5),
             _compare(0.0, what="one number, the mean loss")),
        Case("a wrong confident prediction, logits (5, 0), target 1, ε = 0.1",
             (np.array([[5.0, 0.0]]), np.array([1]), 0.1),
             _compare(exact(np.array([[5.0, 0.0]]), np.array([1]), 0.1),
                      what="one number, the mean loss")),
    ]

    def o(fn_, z, y, eps):
        return _out(fn_, (np.asarray(z, dtype=float), np.asarray(y), eps))

    def gives(target=None, pred=None, scale=1.0):
        def detect(fn_):
            return all(_is(o(fn_, Lz, Ly, e), scale * exact(Lz, Ly, e, target, pred), 1e-9)
                       for e in (0.1, 0.3))
        return detect

    def rest(onehot, eps, K, w):
        return (1 - eps) * onehot + w * (1 - onehot)

    def logits_smoothed(fn_):
        return all(_is(o(fn_, Lz, Ly, e), exact((1 - e) * Lz, Ly, 0.0), 1e-9)
                   or _is(o(fn_, Lz, Ly, e), exact((1 - e) * Lz + e / 4, Ly, 0.0), 1e-9)
                   for e in (0.1, 0.3))

    def per_example(fn_):
        out = o(fn_, Lz, Ly, 0.1)
        return out is not None and out.shape == (2,)

    mistakes = [
        Mistake("ε/(K − 1)", gives(target=lambda oh, e, K: rest(oh, e, K, e / (K - 1))),
                "this task uses PyTorch's convention: *every* class, the true one included, gets "
                "ε/K, so the true class has 1 − ε + ε/K. You spread ε over the K − 1 other "
                "classes instead (q = 1 − ε on the true class, ε/(K − 1) elsewhere) — another "
                "convention, a different loss."),
        Mistake("ε/K on the other classes only", gives(target=lambda oh, e, K: rest(oh, e, K, e / K)),
                "the uniform part ε/K goes to every class, the true one too: q_y = 1 − ε + ε/K. "
                "Without it the target sums to 1 − ε/K, not 1."),
        Mistake("(1 − ε) missing", gives(target=lambda oh, e, K: oh + e / K),
                "the one-hot part must shrink to (1 − ε)·onehot so that the target still sums "
                "to 1: q = (1 − ε)·onehot + ε/K. Adding ε/K to the one-hot gives 1 + ε."),
        Mistake("ε and 1 − ε swapped", gives(target=lambda oh, e, K: e * oh + (1 - e) / K),
                "ε is the *small* share moved to the uniform distribution: "
                "q = (1 − ε)·onehot + ε/K, not ε·onehot + (1 − ε)/K."),
        Mistake("ε ignored", gives(target=lambda oh, e, K: oh),
                "that is the plain cross-entropy: with ε > 0 the target is the smoothed "
                "q = (1 − ε)·onehot + ε/K, so every class's log-probability enters the loss."),
        Mistake("prediction smoothed", gives(target=lambda oh, e, K: oh,
                                             pred=lambda s, e, K: (1 - e) * s + e / K),
                "you smoothed the model's *prediction*, −log((1 − ε)·softmax_y + ε/K). Label "
                "smoothing changes the *target*: loss = −Σ_k q_k log softmax(z)_k with "
                "q = (1 − ε)·onehot + ε/K."),
        Mistake("logits smoothed", logits_smoothed,
                "you smoothed the logits. Scaling logits by (1 − ε) is a softmax temperature, "
                "something else; label smoothing changes the *target*: "
                "q = (1 − ε)·onehot + ε/K."),
        Mistake("ε not divided by K", gives(target=lambda oh, e, K: (1 - e) * oh + e),
                "the ε of the target mass is spread *evenly* over the K classes: each gets ε/K "
                "(the uniform distribution times ε), so that q still sums to 1."),
        Mistake("minus sign forgotten", gives(scale=-1.0),
                "log-probabilities are ≤ 0, so the loss −Σ q_k log softmax(z)_k is ≥ 0: keep the "
                "minus sign."),
        Mistake("sum over the batch", gives(scale=2.0),
                "return the *mean* over the N examples, not the sum."),
        Mistake("averaged over the classes too", gives(scale=0.25),
                "average over the examples only: each example's loss is the *sum* "
                "−Σ_k q_k log softmax(z)_k over its K classes (np.mean over both axes divides by "
                "K as well)."),
        Mistake("per-example losses", per_example,
                "return one number, the mean over the N examples, not one loss per example."),
        Mistake("overflow", lambda fn_: _is(o(fn_, Lz, Ly, 0.1), exact(Lz, Ly, 0.1))
                and _nonfinite(o(fn_, [[1000.0, 1001.0]], [1], 0.0)),
                "exp(1000) overflows: compute log softmax with the max-shift, "
                "z − m − log Σ exp(z − m), m the row's largest logit (your log_softmax from "
                "Exercise 3)."),
        Mistake("one max for the whole batch", lambda fn_: _is(o(fn_, Lz, Ly, 0.1),
                                                                exact(Lz, Ly, 0.1))
                and _is(o(fn_, [[1000.0, 1001.0]], [1], 0.0), math.log1p(math.exp(-1)))
                and _nonfinite(o(fn_, [[1000.0, 1001.0], [-1000.0, -999.0]], [1, 1], 0.0)),
                "each row needs its own maximum: shifted by the batch's largest logit (1001), "
                "the row (−1000, −999) has exp(z − m) = 0 everywhere and log 0 = −inf. Use "
                "z.max(axis=1, keepdims=True)."),
        Mistake("log of the softmax", lambda fn_: _is(o(fn_, Lz, Ly, 0.1), exact(Lz, Ly, 0.1))
                and _nonfinite(o(fn_, far, [0], 0.3)),
                "with ε > 0 every class has target weight ε/K, so a class whose softmax "
                "underflows to 0.0 gives ε/K · log 0 = −inf. Use log softmax computed directly, "
                "z − m − log Σ exp(z − m) (for logits (1000, 0, −1000) it is (0, −1000, −2000))."),
    ]
    sweep = Sweep(_smoothed_ce_input, _smoothed_ce_oracle,
                  _sweep_compare(1e-9, 1e-12, "one number, the mean loss"), n=150, seed=16,
                  property="mean smoothed cross-entropy (exact exponentials, 40-digit "
                           "arithmetic)",
                  hint="q = (1 − ε)·onehot(y) + ε/K for every class; loss = mean over examples "
                       "of −Σ_k q_k·log_softmax(z)_k, log_softmax with the max-shift.")
    return run_checks("smoothed_cross_entropy", fn, cases, mistakes, sweep=sweep,
                      hint=sweep.hint)
