"""Checkers for notebook 12: random variables, distributions, sampling, LLN and CLT. Each lists
its hand-picked cases and the classic mistakes it recognises; expected values are hand-computed
numbers or come from an independent oracle, never a reference solution's output:

* ``check_expectation_and_variance`` builds random inputs from a *counted population*: N = 2ᵐ
  tickets, n_k of them carrying the value v_k (so probs = n_k/N exactly); the mean and the
  variance are the average and the average squared deviation over the N tickets, in exact
  fractions. Inputs whose probabilities are not such fractions (a softmax output) are graded
  with the definition in exact fractions of the float inputs;
* ``check_sample_categorical`` draws tickets too: with probs = n_k/N, a u in [t/N, (t + 1)/N)
  falls on ticket t = ⌊uN⌋, and ticket t belongs to category k when n_0 + … + n_{k−1} ≤ t <
  n_0 + … + n_k — counted, not searched in a cumulative sum of floats;
* ``check_interval_probability`` compares with mpmath at 40 digits: Φ differences for the Normal,
  e^(−λa) − e^(−λb) for the Exponential, and for the discrete distributions the sum of the exact
  PMF over the whole numbers k with a ≤ k ≤ b (an enumeration of the support)."""
from fractions import Fraction
import math

import mpmath
import numpy as np

from .core import Case, Given, Mistake, Sweep, fmt, run_checks, _call
from .core import as_array as _arr
from ..prob import Bernoulli, Categorical, Exponential, Normal, Poisson

__all__ = ["check_expectation_and_variance", "check_sample_categorical",
           "check_interval_probability"]

_EPS = float(np.finfo(float).eps)
_NEAR_1000 = (np.array([1000.0, 1000.001]), np.array([0.5, 0.5]))   # variance 2.5e-7
_PROBE2 = (np.array([1.0, 4.0]), np.array([0.25, 0.75]))             # mean 3.25, variance 1.6875
_BELOW_ONE = float(np.nextafter(1.0, 0.0))          # the largest float64 below 1


def _number(out, what="one number"):
    """(value, None) for a scalar answer (a float, an int, a 0-d or one-element array), else
    (None, message)."""
    try:
        v = np.asarray(getattr(out, "data", out))
    except Exception:                                # noqa: BLE001 — any odd object
        return None, f"expected {what}, got {fmt(out)}"
    if v.dtype == object or v.dtype.kind not in "biuf":
        return None, f"expected {what}, got {fmt(out)}"
    if v.shape != ():
        return None, f"expected {what}, got an array of shape {v.shape}: {fmt(v)}"
    return float(v), None


# ---------------------------------------------------------------------------------------------
# Exercise 1 · expectation and variance from the definition
# ---------------------------------------------------------------------------------------------

def _ev_exact(values, probs):
    """(E[X], Var[X]) by the definition, in exact fractions of the float inputs."""
    v = [Fraction(float(x)) for x in np.asarray(values, dtype=float)]
    p = [Fraction(float(q)) for q in np.asarray(probs, dtype=float)]
    mean = sum(a * b for a, b in zip(v, p))
    var = sum((a - mean) ** 2 * b for a, b in zip(v, p))
    return mean, var


def _ev_population(values, counts):
    """(mean, variance) of the population of Σ counts tickets, counts[k] of them carrying
    values[k]: the plain average and the plain average squared deviation, as fractions."""
    tickets = [Fraction(float(v)) for v, c in zip(values, counts) for _ in range(int(c))]
    mean = sum(tickets) / len(tickets)
    return mean, sum((t - mean) ** 2 for t in tickets) / len(tickets)


def _ev_compare(out, expected, args):
    mean, var = (float(e) for e in expected)
    values = np.asarray(args[0], dtype=float)
    if isinstance(out, np.ndarray) and out.shape == (2,):
        out = tuple(out)
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        return f"return a tuple of 2 numbers (mean, variance), got {fmt(out)}"
    m, problem = _number(out[0], "the mean as one number")
    if problem:
        return problem
    s, problem = _number(out[1], "the variance as one number")
    if problem:
        return problem
    big = float(np.max(np.abs(values)))
    if not (math.isfinite(m) and abs(m - mean) <= 1e-6 * abs(mean) + 1e-9 * (1 + big)):
        return f"expected (mean, variance) = ({fmt(mean)}, {fmt(var)}), got ({fmt(m)}, {fmt(s)})"
    # the definition's own round-off: deviations of about ε·max|values| (a mean near 1000 is
    # itself off by ~1e-13), squared — far below what E[X²] − E[X]² loses (ε·max|values|²)
    if not (math.isfinite(s) and abs(s - var) <= 1e-6 * var + (16 * _EPS * (1 + big)) ** 2):
        return (f"the mean {fmt(m)} is right, but expected the variance {fmt(var)}, "
                f"got {fmt(s)}")
    return None


def _ev_expect(values, probs):
    expected = _ev_exact(values, probs)
    return lambda out: _ev_compare(out, expected, (values, probs))


def _ev_input(rng, i):
    """Corners first — one value, all values equal (also near 1000), a zero probability at either
    end, integer and negative values, probability ½ on two far-apart values — then counted
    populations of N = 2ᵐ tickets (K = 1–12 values: small integers, multiples of ⅛, or 1000 plus
    quarters) and, every fifth input, softmax probabilities (not exact fractions)."""
    corners = [([5.0], [1]), ([1000.0, 1000.0, 1000.0], [1, 2, 1]), ([-4, 0, 4], [0, 3, 1]),
               ([3, 7], [1, 0]), ([-1000, 1000], [1, 1]), ([1, 2, 3, 4, 5, 6], [1] * 6),
               ([0.125, -2.5, 7.75], [5, 2, 1]), ([999.75, 1000.0, 1000.25], [1, 6, 1]),
               ([2, 2, 9], [1, 1, 2]), ([0, 1], [7, 1]),
               ([1000 - 1 / 1024, 1000 + 1 / 1024], [1, 1]), ([-1000.0, -1000 + 1 / 512], [3, 1])]
    if i < len(corners):
        values, counts = corners[i]
        values = np.array(values)
        counts = np.array(counts)
        if i == 5:                                   # the die: probs 1/6, not exact fractions
            return (values.astype(np.int64), np.full(6, 1 / 6))
    elif i % 5 == 4:                                 # softmax output: Σ probs = 1 ± round-off
        K = int(rng.integers(2, 9))
        logits = rng.normal(0, 2, K)
        probs = np.exp(logits - logits.max())
        probs /= probs.sum()
        values = rng.integers(-20, 21, K).astype(float) * rng.choice([1.0, 0.5, 0.01])
        return values, probs
    else:
        K = int(rng.integers(1, 13))
        N = 2 ** int(rng.integers(max(1, math.ceil(math.log2(K))), 11))
        cut = np.sort(rng.integers(0, N + 1, K - 1))
        counts = np.diff(np.concatenate([[0], cut, [N]]))
        if counts.sum() == 0:
            counts[0] = N
        kind = i % 4
        if kind == 0:
            values = rng.integers(-20, 21, K)        # an integer array
        elif kind == 1:
            values = rng.integers(-80, 81, K) / 8.0
        elif kind == 2:
            values = 1000.0 + rng.integers(-8, 9, K) / 4.0
        else:                                        # 1000 ± 0.002: E[X²] − E[X]² cancels
            values = 1000.0 + rng.integers(-8, 9, K) / 4096.0
    N = int(counts.sum())
    probs = counts / N                               # exact: N is a power of 2
    if np.asarray(values).dtype.kind == "f" and np.all(values == np.round(values)) and i % 2:
        values = values.astype(np.int64)
    return Given((values, probs), _ev_population(values, counts))


def check_expectation_and_variance(fn):
    """expectation_and_variance(values, probs) → (E[X], Var[X]) for X taking values[k] with
    probability probs[k]: E[X] = Σ values·probs, Var[X] = Σ (values − E[X])²·probs.

    Catches: the plain (unweighted) average of the values, the mean of values·probs (÷ K), the
    sign of E[X]² − E[X²], the deviations not squared (Σ (x − μ)p = 0) or their absolute values,
    the second moment E[X²] without centring, the standard deviation for the variance, the
    variance without the weights, the probabilities squared, the pair in the wrong order,
    E[X²] − E[X] (the mean not squared), a K/(K − 1) sample-variance factor, E[X²] − E[X]² on
    values near 1000 with a small spread (cancellation), float32.
    Sweep: counted populations (mean and variance of the tickets, in exact fractions) and
    softmax probabilities (the definition in exact fractions)."""
    def case(name, values, probs, hint=""):
        values, probs = np.asarray(values), np.asarray(probs, dtype=float)
        return Case(name, (values, probs), _ev_expect(values, probs), hint)

    cases = [
        case("a fair die: values 1…6 (integers), probabilities 1/6", np.arange(1, 7), [1 / 6] * 6),
        case("a coin: values [0, 1], probabilities [0.7, 0.3] (Bernoulli, p = 0.3)", [0.0, 1.0],
             [0.7, 0.3]),
        case("unequal probabilities: values [0, 10], probabilities [0.9, 0.1]", [0.0, 10.0],
             [0.9, 0.1]),
        case("one value, probability 1", [7.0], [1.0]),
        case("a probability 0: values [−2, 0, 5], probabilities [0.5, 0, 0.5]", [-2.0, 0.0, 5.0],
             [0.5, 0.0, 0.5]),
        case("a repeated value: values [1, 1, 3], probabilities [0.25, 0.25, 0.5]",
             [1.0, 1.0, 3.0], [0.25, 0.25, 0.5]),
        case("values near 1000: [999, 1000, 1002], probabilities [0.25, 0.5, 0.25]",
             np.array([999, 1000, 1002]), [0.25, 0.5, 0.25]),
        case("values near 1000 with a small spread: [1000, 1000.001], probabilities [0.5, 0.5]",
             np.array([1000.0, 1000.001]), [0.5, 0.5],
             hint="subtract the mean before squaring: E[X²] − E[X]² subtracts two numbers near "
                  "10⁶ whose difference is 2.5e-7, and loses most of its digits."),
        case("negative integers: values [−3, −1], probabilities [0.5, 0.5]", np.array([-3, -1]),
             [0.5, 0.5]),
    ]
    probe = (np.array([0.0, 10.0]), np.array([0.9, 0.1]))      # mean 1, variance 9

    def pair(f, args=probe):
        out = _call(f, args)
        if isinstance(out, np.ndarray) and out.shape == (2,):
            out = tuple(out)
        m, bad1 = _number(out[0])
        s, bad2 = _number(out[1])
        if bad1 or bad2:
            raise ValueError("not two numbers")
        return m, s

    def low_precision(f):
        v, p = np.array([0.1, 0.7, 2.3]), np.array([0.3, 0.5, 0.2])
        m, s = pair(f, (v, p))
        m0, s0 = (float(e) for e in _ev_exact(v, p))
        return 1e-12 < max(abs(m / m0 - 1), abs(s / s0 - 1)) < 1e-5

    def gives(mean=None, var=None, args=probe):
        def detect(f):
            m, s = pair(f, args)
            return (mean is None or math.isclose(m, mean, rel_tol=1e-9, abs_tol=1e-12)) and \
                (var is None or math.isclose(s, var, rel_tol=1e-9, abs_tol=1e-12))
        return detect

    mistakes = [
        Mistake("unweighted mean", gives(mean=5.0),
                "that is the plain average of the values, which treats every value as equally "
                "likely. The expectation weights each value by its probability: "
                "E[X] = Σ values[k]·probs[k] (values [0, 10] with probabilities [0.9, 0.1] have "
                "mean 1, not 5)."),
        Mistake("mean of the products", gives(mean=0.5),
                "E[X] is the *sum* Σ values[k]·probs[k], not the mean of the products (which "
                "divides once more by K): the probabilities already do the averaging."),
        Mistake("sign flipped", gives(mean=1.0, var=-9.0),
                "your variance is negative — a variance never is. Var[X] = E[X²] − E[X]² (the "
                "second moment minus the squared mean), not E[X]² − E[X²]; from the definition, "
                "Σ (values − E[X])²·probs cannot go wrong in sign."),
        Mistake("not squared", gives(mean=1.0, var=0.0),
                "the deviations x − E[X] weighted by their probabilities always average to 0: "
                "square them before weighting, Σ (values[k] − E[X])²·probs[k]."),
        Mistake("absolute deviation", gives(mean=1.0, var=1.8),
                "that is the mean absolute deviation Σ |x − E[X]|·p. The variance squares the "
                "deviations: Σ (values[k] − E[X])²·probs[k]."),
        Mistake("second moment", gives(mean=1.0, var=10.0),
                "that is E[X²] = Σ values²·probs, the second moment about 0. The variance "
                "measures the spread about the mean: subtract E[X] before squaring (or "
                "subtract E[X]² from E[X²])."),
        Mistake("standard deviation", gives(mean=1.0, var=3.0),
                "that is the standard deviation √Var[X]; return the variance itself, "
                "Σ (values[k] − E[X])²·probs[k], without the square root."),
        Mistake("unweighted variance", lambda f: gives(mean=1.0)(f)
                and any(gives(var=v)(f) for v in (41.0, 82.0, 25.0, 50.0)),
                "the squared deviations need the probabilities as weights too: "
                "Σ (values[k] − E[X])²·probs[k], not their plain average (or a sample variance "
                "of the values)."),
        Mistake("probabilities squared", gives(mean=1.0, var=1.62),
                "you weighted the squared deviations by probs² (squaring (x − μ)·p). Only the "
                "deviation is squared: Σ (values[k] − E[X])²·probs[k]."),
        Mistake("swapped", gives(mean=9.0, var=1.0),
                "return (mean, variance) in that order."),
        Mistake("mean not squared", gives(mean=3.25, var=9.0, args=_PROBE2),
                "Var[X] = E[X²] − E[X]²: the mean is squared too (E[X²] − E[X] mixes units, "
                "like metres² minus metres). Safer, from the definition: "
                "Σ (values[k] − E[X])²·probs[k]."),
        Mistake("K − 1 denominator", gives(mean=1.0, var=18.0),
                "there is no n − 1 here: the n − 1 of a sample variance corrects for estimating "
                "the mean from data, but probs are the exact probabilities, so "
                "Var[X] = Σ (values[k] − E[X])²·probs[k] as it stands."),
        Mistake("one-pass formula", lambda f: gives(mean=3.25, var=1.6875, args=_PROBE2)(f)
                and not gives(*(float(e) for e in _ev_exact(*_NEAR_1000)), args=_NEAR_1000)(f)
                and not low_precision(f),
                "E[X²] − E[X]² is right on paper, but in floating point it subtracts two nearly "
                "equal numbers when the values sit far from 0 (values 1000 and 1000.001: both "
                "terms are ≈ 10⁶, their difference 2.5e-7 is lost in rounding). Subtract the "
                "mean first: Σ (values[k] − E[X])²·probs[k]."),
        Mistake("low precision", lambda f: low_precision(f),
                "the results are right to only about 7 digits: float32 (np.float32, "
                "dtype='float32') keeps 24 bits. Compute in float64."),
    ]
    sweep = Sweep(_ev_input, _ev_exact, _ev_compare, n=200, seed=12,
                  size=lambda a: len(a[0]),
                  property="(mean, variance) of the population (or of the definition, in exact "
                           "fractions)",
                  hint="E[X] = Σ values·probs and Var[X] = Σ (values − E[X])²·probs, both "
                       "weighted by the probabilities.")
    return run_checks("expectation_and_variance", fn, cases, mistakes, sweep=sweep,
                      hint=sweep.hint)


# ---------------------------------------------------------------------------------------------
# Exercise 2 · the inverse CDF of a categorical distribution
# ---------------------------------------------------------------------------------------------

def _tickets(counts, u):
    """Category of each u for probs = counts/N (N = Σ counts a power of 2): the ticket
    t = ⌊u·N⌋ (exact: u·N only shifts the exponent), and ticket t's owner."""
    N = int(np.sum(counts))
    owner = np.repeat(np.arange(len(counts)), counts)
    return owner[np.floor(np.asarray(u) * N).astype(np.int64)]


def _exact_categories(probs, u):
    """The smallest k with u < C_k, C_k the exact (fraction) sum probs[0] + … + probs[k]; the
    last category where u is not below any of them."""
    C, total = [], Fraction(0)
    for p in np.asarray(probs, dtype=float):
        total += Fraction(float(p))
        C.append(total)
    K = len(C)
    return np.array([next((k for k, c in enumerate(C) if Fraction(float(x)) < c), K - 1)
                     for x in u], dtype=np.int64)


def _cat_compare(out, expected, args):
    expected = np.asarray(expected)
    try:
        got = np.asarray(getattr(out, "data", out))
    except Exception:                                # noqa: BLE001
        return f"expected an integer array of length {len(expected)}, got {fmt(out)}"
    if got.shape != expected.shape:
        return (f"expected an integer array of shape {expected.shape} (one category per u), "
                f"got {fmt(out)}" + (f" of shape {got.shape}" if got.ndim else ""))
    if got.dtype.kind not in "iu":
        try:
            same = got.dtype.kind in "fb" and np.array_equal(got.astype(float), expected)
        except (TypeError, ValueError):
            same = False
        if same:
            return (f"the categories are right but have dtype {got.dtype}: return integers "
                    "(indices), e.g. with .astype(int)")
        return f"expected {fmt(expected)}, got {fmt(got)}"
    if not np.array_equal(got, expected):
        bad = int(np.flatnonzero(got != expected)[0])
        u = np.asarray(args[1])
        return (f"expected {fmt(expected)}, got {fmt(got)} (first difference at u = "
                f"{fmt(float(u[bad]), digits=None)}: category {int(expected[bad])}, not "
                f"{int(got[bad])})")
    return None


def _cat_expect(probs, u):
    expected = _exact_categories(probs, u)
    return lambda out: _cat_compare(out, expected, (probs, u))


def _cat_input(rng, i):
    """Given((probs, u), categories) from a counted population of N = 2ᵐ tickets (probs =
    counts/N exactly, so float cumulative sums are exact too). u = (t + f)/N with f = 0 (exactly
    on a cumulative sum, every third input), random, or just below 1. Corners first: K = 1, zero
    counts first/last/in a row, a one-hot, u = 0 and the largest float below 1."""
    corners = [([1], [0.0, _BELOW_ONE]), ([0, 1, 0], [0.0, 0.5, _BELOW_ONE]),
               ([0, 0, 3, 1], [0.0, 0.75, 0.5]), ([2, 1, 1, 0, 0], [0.5, 0.75, _BELOW_ONE]),
               ([1, 0, 0, 1], [0.5, 0.25, 0.0]), ([4, 4], [0.5, 0.499999999999, 0.5000000001])]
    if i < len(corners):
        counts, u = corners[i]
        counts, u = np.array(counts), np.array(u)
    else:
        K = int(rng.integers(1, 13))
        N = 2 ** int(rng.integers(max(0, math.ceil(math.log2(K))), 13))
        cut = np.sort(rng.integers(0, N + 1, K - 1))
        counts = np.diff(np.concatenate([[0], cut, [N]]))
        n = int(rng.integers(1, 30))
        t = rng.integers(0, N, n)
        if i % 3 == 0:                               # exactly on the boundaries C_k
            edges = np.cumsum(counts)[:-1]
            if len(edges):
                t[: n // 2 + 1] = rng.choice(edges, n // 2 + 1) % N
            f = np.zeros(n)
        else:
            f = rng.random(n)
            f[rng.random(n) < 0.1] = _BELOW_ONE
        u = (t + f) / N
        u = np.where(u < 1, u, _BELOW_ONE)
    probs = counts / counts.sum()
    if i % 7 == 1 and np.all(np.isin(probs, (0.0, 1.0))):
        probs = probs.astype(np.int64)                 # a one-hot label, as integers
    return Given((probs, u), _tickets(counts, u))


def check_sample_categorical(fn):
    """sample_categorical(probs, u) → k with k_i = the smallest k with u_i < C_k,
    C_k = probs[0] + … + probs[k] (the last category K − 1 where round-off leaves u_i ≥ C_{K−1}).

    Catches: ≤ for < (searchsorted's side='left': a u exactly on C_k, and categories of
    probability 0, go to the wrong side), the probabilities compared with u without the
    cumulative sum, categories counted from 1, the index K (or 0 from an argmax over an
    all-False row) when C_{K−1} rounds below u, 1 − u for u, categories as floats, u·K (every
    category equally likely), the most likely category for every u. Sweep: counted
    populations, u on a ticket t = ⌊uN⌋, exact on the boundaries."""
    tenth = np.full(10, 0.1)
    soft = np.exp(np.array([2.0, 1.0, 0.1, -1.0]))
    soft = soft / soft.sum()
    q = np.array([0.25, 0.5, 0.25])

    def case(name, probs, u, hint=""):
        return Case(name, (probs, np.asarray(u, dtype=float)), _cat_expect(probs, u), hint)

    cases = [
        case("probs [0.25, 0.5, 0.25], u = [0.1, 0.3, 0.8, 0]", q, [0.1, 0.3, 0.8, 0.0]),
        case("u exactly on a cumulative sum: probs [0.25, 0.5, 0.25], u = [0.25, 0.75]", q,
             [0.25, 0.75],
             hint="u = C_k belongs to category k + 1: compare with <, as in 'the smallest k with "
                  "u < C_k' (np.searchsorted(C, u, side='right'))."),
        case("a probability 0 in the middle: probs [0.5, 0, 0.5], u = [0.5, 0.49, 0]",
             np.array([0.5, 0.0, 0.5]), [0.5, 0.49, 0.0],
             hint="a category of probability 0 owns the empty interval [C_{k−1}, C_k) and is "
                  "never returned."),
        case("a probability 0 first: probs [0, 0.5, 0.5], u = [0, 0.5]",
             np.array([0.0, 0.5, 0.5]), [0.0, 0.5]),
        case("a probability 0 last: probs [0.5, 0.5, 0], u = [largest float below 1, 0.5]",
             np.array([0.5, 0.5, 0.0]), [_BELOW_ONE, 0.5]),
        case("one category: probs [1.0], u = [0, 0.5, largest float below 1]", np.array([1.0]),
             [0.0, 0.5, _BELOW_ONE]),
        case("a one-hot label as integers: probs np.array([0, 1, 0]), u = [0, 0.5]",
             np.array([0, 1, 0]), [0.0, 0.5]),
        case("ten probabilities 0.1, u = [0, 0.05, 0.1, 0.2, 0.55, 0.95, largest float below 1]",
             tenth, [0.0, 0.05, 0.1, 0.2, 0.55, 0.95, _BELOW_ONE],
             hint="the cumulative sum of ten 0.1's is 0.9999999999999999 in float64, and u may "
                  "be that large: such a u belongs to the last category, K − 1 — never return K."),
        case("a softmax output, probs = softmax([2, 1, 0.1, −1])", soft,
             [0.02, 0.6, 0.64, 0.7, 0.85, 0.93, 0.99]),
        case("a single u", q, [0.6]),
    ]

    def out(f, probs, u):
        return np.asarray(_call(f, (np.asarray(probs, dtype=float), np.asarray(u, dtype=float))))

    def gives(probs, u, expected):
        return lambda f: np.array_equal(out(f, probs, u), expected)

    uq = np.array([0.1, 0.3, 0.8, 0.0, 0.6])
    right_q = np.array([0, 1, 2, 0, 1])

    def not_cumulative(f):
        got = out(f, np.full(5, 0.2), [0.1, 0.3, 0.5, 0.7, 0.9])
        return not np.array_equal(got, [0, 1, 2, 3, 4]) and \
            len(got) == 5 and np.max(np.unique(got, return_counts=True)[1]) >= 3

    def index_K(f):
        return np.array_equal(out(f, q, uq), right_q) and \
            out(f, tenth, [0.05, _BELOW_ONE])[1] != 9

    mistakes = [
        Mistake("≤ instead of <", lambda f: np.array_equal(out(f, q, uq), right_q)
                and (np.array_equal(out(f, q, [0.25, 0.75]), [0, 1])
                     or np.array_equal(out(f, [0.0, 0.5, 0.5], [0.0]), [0])),
                "a u exactly equal to a cumulative sum C_k belongs to the *next* category: "
                "category k owns [C_{k−1}, C_k), closed on the left and open on the right, so "
                "compare u < C_k (np.searchsorted(C, u, side='right'); side='left' is ≤). With "
                "≤, a category of probability 0 can be returned."),
        Mistake("counted from 1", gives(q, uq, right_q + 1),
                "categories are numbered 0, …, K − 1 (indices into probs), not from 1."),
        Mistake("index K", index_K,
                "round-off: the cumulative sum of ten 0.1's is 0.9999999999999999 < 1, and a u "
                "that large is not below any C_k. It belongs to the last category, K − 1: clip "
                "the index (np.minimum(k, K − 1)) or set the last cumulative sum to 1 or ∞ — "
                "index K does not exist, and 0 (argmax of an all-False row) is wrong."),
        Mistake("1 − u", lambda f: any(gives(q, uq, np.array([2, 1, 0, k, 1]))(f) for k in (2, 3)),
                "you used 1 − u. That also gives a sample from the distribution, but the task "
                "specifies the inverse CDF of u itself: the smallest k with u < C_k (so u = 0 "
                "gives the first category with a positive probability)."),
        Mistake("floats returned", lambda f: out(f, q, uq).dtype.kind == "f"
                and np.array_equal(out(f, q, uq), right_q),
                "the categories are right but they are floats: return integers (indices), "
                "e.g. np.searchsorted(…) already gives them, or .astype(int)."),
        Mistake("uniform categories", lambda f: np.array_equal(out(f, [0.75, 0.125, 0.125],
                                                                   [0.5, 0.7]), [1, 2]),
                "⌊u·K⌋ makes every category equally likely; the probabilities decide the "
                "widths of the intervals: category k owns [C_{k−1}, C_k)."),
        Mistake("most likely category", lambda f: np.array_equal(out(f, q, uq), [1] * 5),
                "every u got the most likely category (the argmax): that is the mode, not a "
                "sample. Each u picks the category whose interval [C_{k−1}, C_k) contains it."),
        Mistake("cumulative sum not used", not_cumulative,
                "compare u with the cumulative sums C_k = probs[0] + … + probs[k] (np.cumsum), "
                "not with the probabilities themselves: category k owns the interval "
                "[C_{k−1}, C_k), whose length is probs[k]."),
    ]
    sweep = Sweep(_cat_input, None, _cat_compare, n=200, seed=12, size=lambda a: np.size(a[1]),
                  property="category of the ticket ⌊u·N⌋ in a counted population of N tickets",
                  hint="C = np.cumsum(probs); k = the number of C_0, …, C_{K−2} that are ≤ u, "
                       "i.e. the smallest k with u < C_k, and K − 1 for a u beyond them all.")
    return run_checks("sample_categorical", fn, cases, mistakes, sweep=sweep, hint=sweep.hint)


# ---------------------------------------------------------------------------------------------
# Exercise 3 · the probability of an interval
# ---------------------------------------------------------------------------------------------

def _discrete_pmf(dist):
    """(support, exact pmf) for a discrete distribution, in mpmath: the whole numbers it can
    take and their probabilities."""
    if isinstance(dist, Bernoulli):
        p = mpmath.mpf(float(dist.probs))
        return [0, 1], [1 - p, p]
    if isinstance(dist, Categorical):
        w = [mpmath.mpf(float(x)) for x in dist.probs]
        s = sum(w)
        return list(range(len(w))), [x / s for x in w]
    lam = mpmath.mpf(float(dist.rate))
    top = int(float(lam) + 40 * math.sqrt(float(lam) + 1) + 60)
    pm = [mpmath.exp(-lam) * lam ** k / mpmath.factorial(k) if (k or lam) else mpmath.mpf(1)
          for k in range(top)]
    return list(range(top)), pm


def _cdf_exact(dist, x):
    """P(X ≤ x) in mpmath."""
    x = mpmath.mpf(float(x))
    if isinstance(dist, Normal):
        return mpmath.ncdf(x, mu=float(dist.loc), sigma=float(dist.scale))
    if isinstance(dist, Exponential):
        return -mpmath.expm1(-mpmath.mpf(float(dist.rate)) * x) if x > 0 else mpmath.mpf(0)
    ks, pm = _discrete_pmf(dist)
    return sum((p for k, p in zip(ks, pm) if k <= x), mpmath.mpf(0))


def _interval_exact(dist, a, b):
    """(P(a ≤ X ≤ b), P(X ≤ a), P(X ≤ b)) at 40 digits: a difference of exact CDFs for the
    continuous distributions (P(X = a) = 0), the sum of the exact PMF over the whole numbers
    k with a ≤ k ≤ b for the discrete ones."""
    with mpmath.workdps(40):
        Fa, Fb = _cdf_exact(dist, a), _cdf_exact(dist, b)
        if isinstance(dist, Normal):
            mu, s = float(dist.loc), float(dist.scale)
            za, zb = (mpmath.mpf(float(a)) - mu) / s, (mpmath.mpf(float(b)) - mu) / s
            if zb > 0:                               # the upper tail: 1 − Φ, without cancelling
                P = mpmath.ncdf(-za) - mpmath.ncdf(-zb)
            else:
                P = mpmath.ncdf(zb) - mpmath.ncdf(za)
        elif isinstance(dist, Exponential):
            lam = mpmath.mpf(float(dist.rate))
            lo, hi = max(mpmath.mpf(float(a)), 0), max(mpmath.mpf(float(b)), 0)
            P = mpmath.exp(-lam * lo) - mpmath.exp(-lam * hi)
        else:
            ks, pm = _discrete_pmf(dist)
            P = sum((p for k, p in zip(ks, pm) if a <= k <= b), mpmath.mpf(0))
        return float(P), float(Fa), float(Fb)


def _interval_compare(out, expected, args):
    P, Fa, Fb = expected
    v, problem = _number(out)
    if problem:
        return problem
    tol = 1e-9 * abs(P) + 1e-12 * max(Fa, Fb)
    if not (math.isfinite(v) and abs(v - P) <= tol):
        return f"expected {fmt(P, digits=10)}, got {fmt(v, digits=10)}"
    return None


def _interval_case(name, dist, a, b, hint=""):
    expected = _interval_exact(dist, a, b)
    return Case(name, (dist, a, b), lambda out: _interval_compare(out, expected, (dist, a, b)),
                hint)


def _interval_input(rng, i):
    """(dist, a, b): Normal (σ from 0.01 to 10, intervals from points to many σ wide, the lower
    tail down to 30σ below the mean), Exponential (rates 0.1–20, negative a), Poisson (rates
    0–20), Bernoulli (p = 0, 1 or random) and Categorical (K = 1–6, zeros), with equal,
    integer, half-integer and random endpoints. Corners first."""
    corners = [(Normal(0.0, 1.0), 0.0, 0.0), (Exponential(3.0), -2.0, 0.0),
               (Poisson(0.0), 0, 0), (Bernoulli(0.0), 0.5, 1.0), (Bernoulli(1.0), 1, 1),
               (Categorical(np.array([0.0, 1.0, 0.0])), 0.5, 1.5),
               (Normal(2.0, 0.5), 2.0 - 0.5 * 20, 2.0 - 0.5 * 19), (Poisson(7.5), 7, 7),
               (Categorical(np.array([1.0])), -1.0, 0.0), (Exponential(0.5), 1e-12, 2e-12)]
    if i < len(corners):
        return corners[i]
    kind = ("Normal", "Exponential", "Poisson", "Bernoulli", "Categorical")[i % 5]
    style = int(rng.integers(4))

    def ends(lo, hi, whole=False):
        x = np.sort(rng.uniform(lo, hi, 2))
        if whole or style == 0:
            x = np.round(x)
        elif style == 1:
            x = np.round(2 * x) / 2
        if style == 2 and rng.random() < 0.4:
            x[1] = x[0]
        return float(x[0]), float(x[1])

    if kind == "Normal":
        mu, s = float(rng.uniform(-5, 5)), float(10.0 ** rng.uniform(-2, 1))
        if rng.random() < 0.3:                       # the lower tail
            z1 = float(rng.uniform(-30, -3))
            z0 = z1 - float(rng.choice([0.0, 0.01, 1.0, 5.0]))
            return Normal(mu, s), mu + s * z0, mu + s * z1
        za, zb = ends(-4, 4)
        return Normal(mu, s), mu + s * za, mu + s * zb
    if kind == "Exponential":
        lam = float(10.0 ** rng.uniform(-1, 1.3))
        a, b = ends(-1 / lam, 4 / lam)
        return Exponential(lam), a, b
    if kind == "Poisson":
        lam = float(rng.choice([0.0, 0.5, 3.5, 10.0, 20.0])) if rng.random() < 0.5 \
            else float(rng.uniform(0, 20))
        a, b = ends(-2, lam + 4 * math.sqrt(lam) + 3)
        return Poisson(lam), (int(a) if style == 0 else a), (int(b) if style == 0 else b)
    if kind == "Bernoulli":
        p = float(rng.choice([0.0, 1.0, 0.5])) if rng.random() < 0.3 else float(rng.random())
        a, b = ends(-1.5, 2.5)
        return Bernoulli(p), a, b
    K = int(rng.integers(1, 7))
    w = rng.random(K) * (rng.random(K) < 0.8)
    if w.sum() == 0:
        w[int(rng.integers(K))] = 1.0
    a, b = ends(-1.5, K + 0.5)
    return Categorical(w / w.sum()), a, b


def check_interval_probability(fn):
    """interval_probability(dist, a, b) → P(a ≤ X ≤ b) = F(b) − F(a) + P(X = a), where
    P(X = a) is the PMF for a discrete X and 0 for a continuous one (a density is not a
    probability).

    Catches: the density (or a difference of densities) returned as a probability, a density
    times the width, F(b) − F(a) for a discrete X (P(X = a) lost), F(b) − F(a − 1) or
    whole-number rounding of a non-integer a, the density added at a for a continuous X,
    F(a) − F(b), the complement 1 − P, F(b) alone, P(X = b) left out, and an answer that
    loses the far lower tail of a Normal (1 − F differences, or ½(1 + erf) written out).
    Sweep: mpmath at 40 digits —
    Φ differences, e^(−λa) − e^(−λb), the exact PMF summed over the support."""
    N01 = Normal(0.0, 1.0)
    pois = Poisson(3.5)
    cases = [
        _interval_case("Normal(0, 1), [−1.96, 1.96]", N01, -1.96, 1.96),
        _interval_case("Normal(0, 1), integer endpoints [−1, 1]", N01, -1, 1),
        _interval_case("Normal(0, 0.01), [−0.001, 0.001] (a density of 39.9 at the peak)",
                       Normal(0.0, 0.01), -0.001, 0.001),
        _interval_case("Normal(0, 1), a single point a = b = 0.5", N01, 0.5, 0.5,
                       hint="for a continuous X, P(X = a) = 0: the density p(a) is not a "
                            "probability."),
        _interval_case("Exponential(2), [−1, 0.5] (a below the support)", Exponential(2.0),
                       -1.0, 0.5),
        _interval_case("Exponential(2), a single point a = b = 0 (the density there is 2)",
                       Exponential(2.0), 0.0, 0.0),
        _interval_case("Poisson(3.5), [2, 4]", pois, 2, 4,
                       hint="for a discrete X, F(b) − F(a) = P(a < X ≤ b) leaves out P(X = a)."),
        _interval_case("Poisson(3.5), a single point a = b = 3", pois, 3, 3),
        _interval_case("Poisson(3.5), [0.2, 0.8] (between two support points)", pois, 0.2, 0.8),
        _interval_case("Poisson(3.5), [0.5, 2.5] (non-integer endpoints)", pois, 0.5, 2.5),
        _interval_case("Bernoulli(0.3), a = b = 0", Bernoulli(0.3), 0, 0),
        _interval_case("Bernoulli(0.3), [−1, 0.5]", Bernoulli(0.3), -1.0, 0.5),
        _interval_case("Categorical([0.2, 0.5, 0.3]), [1, 2]",
                       Categorical(np.array([0.2, 0.5, 0.3])), 1, 2),
        _interval_case("Categorical([0.2, 0.5, 0.3]), [1.5, 1.7]",
                       Categorical(np.array([0.2, 0.5, 0.3])), 1.5, 1.7),
        _interval_case("the far lower tail: Normal(0, 1), [−12, −11] (about 1.9e-28)", N01,
                       -12.0, -11.0,
                       hint="subtract the two lower-tail CDF values themselves, "
                            "dist.cdf(b) − dist.cdf(a): both are tiny but accurate, while "
                            "1 − F or 1 + erf(…) near −1 keeps only round-off."),
        _interval_case("Normal(5, 2), 12 to 11 standard deviations below the mean",
                       Normal(5.0, 2.0), 5.0 - 24.0, 5.0 - 22.0),
    ]

    def v(f, dist, a, b):
        x, bad = _number(_call(f, (dist, a, b)))
        if bad:
            raise ValueError(bad)
        return x

    def near(x, y, rel=1e-7):
        return math.isclose(x, y, rel_tol=rel, abs_tol=1e-15)

    dens = Normal(0.0, 0.01)
    F = lambda d, x: float(d.cdf(x))
    p = lambda d, x: float(d.prob(x))
    right = lambda f, d, a, b: _interval_compare(_call(f, (d, a, b)), _interval_exact(d, a, b),
                                                 None) is None

    mistakes = [
        Mistake("density added", lambda f: right(f, pois, 2, 4) and
                near(v(f, Exponential(2.0), 0.0, 0.0), 2.0)
                and near(v(f, N01, -1.0, 2.0), F(N01, 2.0) - F(N01, -1.0) + p(N01, -1.0)),
                "the P(X = a) term belongs to discrete distributions only: for a continuous X "
                "dist.prob(a) is a density, and P(X = a) = 0."),
        Mistake("density as probability", lambda f: any(
            near(v(f, d, a, b), g) for d, a, b, g in (
                (dens, 0.0, 0.0, p(dens, 0.0)), (N01, -1.0, 2.0, p(N01, 2.0) - p(N01, -1.0)),
                (N01, -1.0, 2.0, p(N01, 2.0)), (dens, -0.001, 0.001, p(dens, 0.001)))),
                "a density value is not a probability (Normal(0, 0.01) has density 39.9 at its "
                "peak): probabilities of a continuous X come from areas under the density, "
                "P(a ≤ X ≤ b) = F(b) − F(a) with F = dist.cdf, and P(X = a) = 0."),
        Mistake("density times width", lambda f: any(
            near(v(f, N01, -1.0, 1.0), g) for g in (2 * p(N01, 0.0), 2 * p(N01, -1.0))),
                "density × width is only an approximation for a very narrow interval; the exact "
                "probability is the area F(b) − F(a) (dist.cdf)."),
        Mistake("P(X = a) lost", lambda f: right(f, N01, -1.0, 2.0)
                and near(v(f, pois, 2, 4), F(pois, 4) - F(pois, 2)),
                "for a discrete X, F(b) − F(a) = P(a < X ≤ b): the point a itself has "
                "probability P(X = a) = dist.prob(a) > 0 and must be added back."),
        Mistake("a − 1", lambda f: right(f, pois, 2, 4) and (
            near(v(f, pois, 0.5, 2.5), F(pois, 2.5)) or near(v(f, pois, 0.2, 0.8), p(pois, 0))),
                "F(b) − F(a − 1) (or rounding a down) is right only for a whole-number a: for "
                "a = 0.5 it counts X = 0, which is not in [0.5, 2.5]. Use F(b) − F(a) + P(X = a) "
                "— dist.prob(a) is 0 where X cannot be a — or round a *up*."),
        Mistake("b excluded", lambda f: near(v(f, pois, 2, 4), F(pois, 3) - F(pois, 1))
                and not right(f, pois, 2, 4),
                "the interval [a, b] includes both ends: for a discrete X, P(X = b) belongs to "
                "it too (range(⌈a⌉, ⌊b⌋) stops one short; F(b) − F(a) + P(X = a) counts "
                "a ≤ X ≤ b)."),
        Mistake("reversed", lambda f: near(v(f, N01, -1.0, 2.0), F(N01, -1.0) - F(N01, 2.0)),
                "F(a) − F(b) is negative: the probability of [a, b] is F(b) − F(a), the larger "
                "CDF value minus the smaller."),
        Mistake("complement", lambda f: near(v(f, N01, -1.0, 2.0),
                                             1 - (F(N01, 2.0) - F(N01, -1.0))),
                "that is the probability of falling *outside* [a, b]; inside it is F(b) − F(a)."),
        Mistake("only F(b)", lambda f: near(v(f, N01, -1.0, 2.0), F(N01, 2.0))
                and near(v(f, Exponential(1.0), 1.0, 2.0), F(Exponential(1.0), 2.0)),
                "F(b) = P(X ≤ b) counts everything below b; subtract F(a) = P(X ≤ a) to keep "
                "only the interval."),
        Mistake("lost the lower tail", lambda f: right(f, N01, -1.0, 2.0)
                and right(f, pois, 2, 4) and not right(f, N01, -12.0, -11.0),
                "right in the middle of the distribution, but not in the far lower tail: "
                "there both CDF values are tiny (Φ(−11) ≈ 1.9e-28), and a formula that goes "
                "through numbers near 1 — 1 − F(…), or ½(1 + erf(z/√2)) with erf ≈ −1 — keeps "
                "only their round-off. Subtract dist.cdf(b) − dist.cdf(a) directly."),
    ]
    sweep = Sweep(_interval_input, _interval_exact, _interval_compare, n=200, seed=12,
                  size=lambda a: 1,
                  property="probability of [a, b] (mpmath: CDF differences, or the exact PMF "
                           "summed over the support)",
                  hint="P(a ≤ X ≤ b) = dist.cdf(b) − dist.cdf(a), plus dist.prob(a) when "
                       "dist.discrete (the point a itself).")
    return run_checks("interval_probability", fn, cases, mistakes, sweep=sweep, hint=sweep.hint)
