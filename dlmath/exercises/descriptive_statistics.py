"""Checkers for notebook 14: descriptive statistics, stable variance, batch normalisation.

Each lists its hand-picked cases and the classic mistakes it recognises; the expected values come
from independent oracles, never from a reference solution's output:

* ``check_running_mean_var`` — exact rational arithmetic: every float of the data is converted to
  a ``fractions.Fraction`` (exactly), so the prefix means and Σ(x − x̄)² = Σx² − (Σx)²/n are exact
  and only the final conversion to float rounds;
* ``check_batchnorm_forward`` — the definition per feature with Python's ``statistics`` module
  (``fmean``, ``pvariance``, ``variance`` compute their sums exactly), then PyTorch's update rule
  written out;
* ``check_batchnorm_backward`` — the forward definition differentiated by the complex step
  ∂L/∂x_ij = Im L(x + i·h·e_ij)/h with h = 10⁻³⁰: no backward formula, no subtraction of nearly
  equal numbers, exact to rounding."""
import functools
import math
import statistics
from fractions import Fraction

import numpy as np

from .core import Case, Mistake, Sweep, fmt, run_checks, _call
from .core import as_array as _arr

__all__ = ["check_running_mean_var", "check_batchnorm_forward", "check_batchnorm_backward"]


def _raw(fn, *args):
    """Call the learner's fn for a detector (copies, time limit, no mutation failure)."""
    return _call(fn, args, mutates=True)


def _raw_parts(fn, args, k):
    """A detector's view of fn(*args): its k results as float arrays, or None if it raised or
    returned something else (so that one detector's clauses can be combined with ``or``)."""
    try:
        return _parts(_raw(fn, *args), k)
    except Exception:
        return None


def _parts(out, k):
    """The learner's tuple of k results as a list of float arrays, or None if it is not one."""
    if isinstance(out, np.ndarray) and out.ndim >= 1 and out.shape[0] == k and out.dtype != object:
        out = list(out)
    if not isinstance(out, (tuple, list)) or len(out) != k:
        return None
    try:
        return [_arr(o) for o in out]
    except (TypeError, ValueError):
        return None


def _near(a, b, rtol=1e-9, atol=1e-12):
    """True when a and b have the same shape and values (nan where the other has nan)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))


def _pair(expected, out):
    """'<expected>, got <out>' — with 12 significant digits when 6 would look the same."""
    e, o = fmt(expected), fmt(out)
    if e == o:
        e, o = fmt(expected, digits=12), fmt(out, digits=12)
    return f"{e}, got {o}"


def _integer_trouble(fn, args, k, which=0):
    """True when fn's result ``which`` (one of k) on integer data is all whole numbers and
    differs from its result on the same data as floats: integer arithmetic truncated it."""
    as_float = tuple(np.asarray(a, dtype=float)
                     if isinstance(a, np.ndarray) and a.dtype.kind in "iu" else a for a in args)
    on_int, on_float = _raw_parts(fn, args, k), _raw_parts(fn, as_float, k)
    if on_int is None or on_float is None:
        return False
    a, b = on_int[which], on_float[which]
    finite = a[np.isfinite(a)]
    return (finite.size > 0 and bool(np.all(finite == np.round(finite)))
            and not _near(a, b, 1e-9, 1e-12))


def _digits_lost(got, want):
    """True when got agrees with want to about float32 precision only (1e-9 < error < 1e-4,
    relative): the symptom of computing in float32."""
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    if got.shape != want.shape or not np.all(np.isfinite(got[np.isfinite(want)])):
        return False
    ok = np.isfinite(want)
    rel = np.max(np.abs(got[ok] - want[ok]) / (1 + np.abs(want[ok])), initial=0.0)
    return 1e-9 < rel < 1e-4


_FLOAT32_HINT = ("your results are right to about 7 significant digits only — the precision of "
                 "float32. Compute in float64 (np.asarray(x, dtype=float); no np.float32 arrays "
                 "or dtype=np.float32).")
_INTEGER_HINT = ("your results are whole numbers where they should not be: integer input stayed "
                 "integer (np.zeros_like / np.empty_like of an integer array, or floor division "
                 "//). Convert first: np.asarray(x, dtype=float), and divide with /.")


def _within(out, expected, tol, what):
    """None if ``out`` has expected's shape and lies within tol (array or number) of it, with nan
    exactly where expected has nan; else a message naming the worst entry."""
    try:
        out = _arr(out)
    except (TypeError, ValueError):
        return f"{what}: expected a NumPy array, got {type(out).__name__}"
    expected = np.asarray(expected, dtype=float)
    if out.shape != expected.shape:
        return f"{what}: expected shape {expected.shape}, got {out.shape}"
    want_nan = np.isnan(expected)
    if np.any(want_nan & ~np.isnan(out)):
        k = tuple(int(i) for i in np.argwhere(want_nan & ~np.isnan(out))[0])
        return (f"{what}{list(k)} should be nan (the denominator is 0 there), got "
                f"{fmt(out[k])}")
    tol = np.broadcast_to(np.asarray(tol, dtype=float), expected.shape)
    with np.errstate(invalid="ignore"):
        err = np.where(want_nan, -1.0, np.abs(out - np.nan_to_num(expected)) - tol)
    err = np.where(~want_nan & ~np.isfinite(out), np.inf, err)
    if np.any(err > 0):
        if expected.size <= 10:
            return f"{what}: expected {_pair(expected, out)}"
        k = np.unravel_index(np.argmax(err), err.shape)
        return f"{what}: expected {_pair(expected[k], out[k])} at index {tuple(int(i) for i in k)}"
    return None


# ---------------------------------------------------------------------------------------------
# Exercise 1 · running mean and variance (Welford)
# ---------------------------------------------------------------------------------------------

def _exact_prefix(xs, ddof):
    """(means, variances) of every prefix of xs in exact rational arithmetic, rounded once:
    x̄_k = S₁/n, Σ(x − x̄_k)² = S₂ − S₁²/n with S₁ = Σx, S₂ = Σx² (exact, so no cancellation),
    divided by n − ddof (nan where that is 0)."""
    s1 = s2 = Fraction(0)
    means, variances = [], []
    for n, v in enumerate(np.asarray(xs).tolist(), start=1):
        f = Fraction(v)
        s1 += f
        s2 += f * f
        means.append(float(s1 / n))
        variances.append(float((s2 - s1 * s1 / n) / (n - ddof)) if n > ddof else math.nan)
    return np.array(means), np.array(variances)


def _rmv_compare(out, expected, args):
    parts = _parts(out, 2)
    if parts is None:
        return "return a tuple (means, variances) of two arrays"
    (m, v), (em, ev) = parts, expected
    xs = np.asarray(args[0], dtype=float)
    scale = float(np.max(np.abs(xs), initial=0.0))
    problem = _within(m, em, 1e-12 * (1 + scale), "means")
    if problem:
        return problem
    big = float(np.nanmax(np.abs(ev), initial=0.0))
    return _within(v, ev, 1e-6 * np.abs(np.nan_to_num(ev)) + 1e-9 * max(1.0, big), "variances")


def _rmv_expect(xs, ddof):
    expected = _exact_prefix(xs, ddof)
    return lambda out: _rmv_compare(out, expected, (xs, ddof))


_RMV_SMALL = np.array([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0])     # final: mean 5, var 4 (÷ n)


def _shifted(n=500, shift=1e9, seed=14):
    return shift + np.random.default_rng(seed).standard_normal(n)


def _prefix_variant(xs, ddof, how):
    """Prefix variances computed with one classic mistake (float64, for the detectors)."""
    xs = np.asarray(xs, dtype=float)
    n = np.arange(1, len(xs) + 1)
    mean, m2_new, m2_old, out_new, out_old = 0.0, 0.0, 0.0, [], []
    for k, x in enumerate(xs, start=1):
        old = mean
        mean = old + (x - old) / k
        m2_new += (x - mean) ** 2
        m2_old += (x - old) ** 2
        out_new.append(m2_new)
        out_old.append(m2_old)
    den = np.where(n - ddof > 0, n - ddof, np.nan)
    if how == "new mean twice":
        return np.array(out_new) / den
    if how == "old mean twice":
        return np.array(out_old) / den
    if how == "whole-data mean":
        return np.cumsum((xs - xs.mean()) ** 2) / den
    raise ValueError(how)


def _rmv_sweep():
    """Data sets of 1–200 values, corners first: one value (with ddof 0 and 1), two values,
    constant runs near 0 and near 10⁹, integers (also int64 near 3·10⁹, whose squares overflow
    int64 sums), data shifted by up to ±10⁸ with a spread of 10⁻³–10³ (shift/spread ≤ 10⁸),
    jumps between levels; the oracle is exact rational arithmetic."""
    def generate(rng, i):
        corners = [
            (np.array([7.25]), 0), (np.array([7.25]), 1), (np.array([1.0, 3.0]), 1),
            (np.full(20, 0.1), 0), (np.full(30, 1e9 + 0.5), 1), (np.array([3, 1, 4, 1, 5]), 1),
            (np.array([3_000_000_000 + k for k in (5, -2, 9, 0, 3, 3, -7)], dtype=np.int64), 0),
            (np.r_[np.zeros(10), np.full(10, 1e6)], 1), (-1e8 + rng.standard_normal(50), 0),
            (1e5 + 1e-3 * rng.standard_normal(60), 1),
        ]
        if i < len(corners):
            return corners[i]
        n = int(rng.integers(1, 201)) if i % 4 else int(rng.integers(1, 6))
        scale = float(rng.choice([1e-3, 1.0, 1e3]))
        shift = float(rng.choice([0.0, 10.0, 1e3, 1e6, 1e8]) * rng.choice([-1, 1])) * scale
        xs = shift + scale * rng.standard_normal(n)          # shift / spread ≤ 10⁸
        if i % 7 == 3 and scale >= 1:
            xs = np.round(xs).astype(np.int64)
        return xs, int(rng.integers(0, 2))

    return Sweep(generate, _exact_prefix, _rmv_compare, n=150, seed=14,
                 property="prefix means and variances (exact rational arithmetic)",
                 hint="Welford: with k the count so far, delta = x − mean; mean += delta / k; "
                      "M2 += delta · (x − mean) (the old and the new mean); variance = "
                      "M2 / (k − ddof), nan where k − ddof = 0.")


def check_running_mean_var(fn):
    """running_mean_var(xs, ddof=0) → (means, variances), the statistics of every prefix xs[:k+1]:
    means[k] = Σ_{i≤k} x_i/(k+1), variances[k] = Σ_{i≤k}(x_i − means[k])²/(k + 1 − ddof), nan
    where k + 1 − ddof = 0.

    Catches: ddof ignored, always n − 1, ddof reversed, the naive E[x²] − E[x]² (right on small
    data, wrong near 10⁹), Welford's M2 update with the new (or the old) mean twice, deviations
    from the whole data's mean, M2 not divided, standard deviations returned, 0 instead of nan,
    (variances, means) swapped, only the final pair returned, integer arithmetic on integer data,
    floor division, float32 precision, changing the input in place (the core). Sweep: exact
    rational arithmetic on shifted, integer and constant data."""
    shifted, shifted1 = _shifted(), _shifted(300, -1e9, 15)
    big_ints = np.array([3_000_000_000 + k for k in (4, -3, 8, 1, 0, 6, -2, 5)], dtype=np.int64)
    cases = [
        Case("[2, 4, 4, 4, 5, 5, 7, 9], ddof=0 (final mean 5, variance 4)", (_RMV_SMALL, 0),
             _rmv_expect(_RMV_SMALL, 0)),
        Case("[2, 4, 4, 4, 5, 5, 7, 9], ddof=1 (final variance 32/7; the first is nan)",
             (_RMV_SMALL, 1), _rmv_expect(_RMV_SMALL, 1)),
        Case("a single value, ddof=0", (np.array([3.5]), 0), _rmv_expect(np.array([3.5]), 0)),
        Case("a single value, ddof=1: its variance is nan", (np.array([3.5]), 1),
             _rmv_expect(np.array([3.5]), 1),
             hint="with one value and ddof=1 the denominator is 0: return nan there (float('nan') "
                  "or np.nan; plain Python 0.0/0 raises ZeroDivisionError)."),
        Case("integers np.array([1, 2, 3, 4, 10]), ddof=1", (np.array([1, 2, 3, 4, 10]), 1),
             _rmv_expect(np.array([1, 2, 3, 4, 10]), 1)),
        Case("500 values 10⁹ + N(0, 1), ddof=0", (shifted, 0), _rmv_expect(shifted, 0)),
        Case("300 values −10⁹ + N(0, 1), ddof=1", (shifted1, 1), _rmv_expect(shifted1, 1)),
        Case("50 copies of 10⁹ + 0.5: every variance is exactly 0", (np.full(50, 1e9 + 0.5), 0),
             _rmv_expect(np.full(50, 1e9 + 0.5), 0)),
        Case("int64 values near 3·10⁹ (their squares overflow an int64 sum)", (big_ints, 1),
             _rmv_expect(big_ints, 1),
             hint="don't square or sum integers as integers: x² ≈ 9·10¹⁸ and its sums overflow "
                  "int64 silently. Convert to float (float(x)) first."),
    ]
    em0, ev0 = _exact_prefix(_RMV_SMALL, 0)
    _, ev1 = _exact_prefix(_RMV_SMALL, 1)
    small2 = np.array([1.0, 4.0, 2.0, 8.0, 5.0, 7.0])

    def result(f, xs=_RMV_SMALL, ddof=0):
        return _raw_parts(f, (xs, ddof), 2)

    def variances(f, xs=_RMV_SMALL, ddof=0):
        parts = result(f, xs, ddof)
        return np.full(len(xs), -1.0) if parts is None else parts[1]

    def gives(expected, ddof=0, xs=_RMV_SMALL, skip_first=False):
        def detect(f):
            v = variances(f, xs, ddof)
            return _near(v[1:], expected[1:]) if skip_first else _near(v, expected)
        return detect

    def right(f, xs=_RMV_SMALL, ddof=0):
        parts = result(f, xs, ddof)
        return parts is not None and \
            _rmv_compare(parts, _exact_prefix(xs, ddof), (xs, ddof)) is None

    mistakes = [
        Mistake("ddof reversed",
                lambda f: gives(ev1, 0, skip_first=True)(f) and gives(ev0, 1, skip_first=True)(f),
                "ddof is reversed: ddof=0 divides the sum of squared deviations by the count n, "
                "ddof=1 by n − 1 (the unbiased sample variance)."),
        Mistake("ddof ignored", lambda f: gives(ev0, 0)(f) and gives(ev0, 1, skip_first=True)(f),
                "ddof is ignored: with ddof=1 divide M2 by (count − 1), not by the count. For "
                "[2, 4, 4, 4, 5, 5, 7, 9] the last variance is 4 with ddof=0 and 32/7 ≈ 4.571 "
                "with ddof=1."),
        Mistake("always n − 1", lambda f: gives(ev1, 0, skip_first=True)(f),
                "with ddof=0 divide by the count n itself (the population formula), not by "
                "n − 1: the denominator is count − ddof."),
        Mistake("naive formula", lambda f: right(f) and right(f, small2, 1)
                and not right(f, _shifted(200), 0),
                "right on small numbers, wrong near 10⁹: the textbook formula "
                "E[x²] − E[x]² (from running sums of x and x²) subtracts two numbers near 10¹⁸ "
                "whose float64 rounding errors (~100) are far larger than the variance (~1). "
                "Update the mean and M2 = Σ(x − mean)² directly (Welford): delta = x − mean; "
                "mean += delta / k; M2 += delta · (x − mean)."),
        Mistake("new mean twice", gives(_prefix_variant(_RMV_SMALL, 0, "new mean twice")),
                "M2 += (x − new mean)² undercounts: Welford's update multiplies the deviation "
                "from the OLD mean by the deviation from the NEW one, M2 += (x − old)·(x − new). "
                "(Check on two values a, b: M2 must be (a − b)²/2.)"),
        Mistake("old mean twice", gives(_prefix_variant(_RMV_SMALL, 0, "old mean twice")),
                "M2 += (x − old mean)² overcounts: Welford's update multiplies the deviation from "
                "the OLD mean by the deviation from the NEW one, M2 += (x − old)·(x − new). "
                "(Check on two values a, b: M2 must be (a − b)²/2.)"),
        Mistake("whole-data mean", gives(_prefix_variant(_RMV_SMALL, 0, "whole-data mean")),
                "variances[k] measures the deviations of the first k + 1 values from THEIR mean "
                "means[k], not from the mean of all the data."),
        Mistake("M2 not divided", gives(ev0 * np.arange(1, 9)),
                "these are the running sums of squared deviations M2; divide each by "
                "(count − ddof) to get the variance."),
        Mistake("standard deviation", gives(np.sqrt(ev0)),
                "these are standard deviations; the exercise asks for the variances (no square "
                "root)."),
        Mistake("0 instead of nan", lambda f: gives(ev1, 1, skip_first=True)(f)
                and np.isfinite(variances(f, _RMV_SMALL, 1)[0]),
                "with ddof=1 the first variance divides by 1 − 1 = 0: it is undefined, so put nan "
                "there (np.nan), not 0 or a number."),
        Mistake("swapped", lambda f: (lambda p: p is not None and _near(p[0], ev0)
                                      and _near(p[1], em0))(result(f)),
                "return the pair in the order (means, variances)."),
        Mistake("final values only", lambda f: (lambda p: p is not None and p[0].shape == ()
                                                and p[1].shape == ())(result(f)),
                "return the statistics of every prefix, two arrays of length n (means[k] and "
                "variances[k] after k + 1 values), not only the final pair."),
        Mistake("integer arithmetic",
                lambda f: _integer_trouble(f, (np.array([1, 2, 3, 4, 10]), 1), 2),
                _INTEGER_HINT),
        Mistake("floor division", lambda f: (lambda p: p is not None and np.all(np.isfinite(p[0]))
                                             and np.all(p[0] == np.round(p[0]))
                                             and np.ptp(p[0]) > 0 and not _near(p[0], em0))(
                    result(f)),
                "your means are whole numbers: // is floor division (7 // 2 = 3). Divide with / "
                "(delta / k)."),
        Mistake("float32", lambda f: (lambda p: p is not None and (_digits_lost(p[0], em0)
                                                                   or _digits_lost(p[1], ev0)))(
                    result(f)),
                _FLOAT32_HINT),
    ]
    sweep = _rmv_sweep()
    return run_checks("running_mean_var", fn, cases, mistakes, sweep=sweep, hint=sweep.hint)


# ---------------------------------------------------------------------------------------------
# Exercise 2 · batch normalisation forward (training and evaluation)
# ---------------------------------------------------------------------------------------------

def _bn_forward_oracle(x, gamma, beta, running_mean, running_var, training, momentum=0.1,
                       eps=1e-5):
    """PyTorch's BatchNorm1d from the definition, one feature at a time, with the statistics
    module's exactly summed mean, population (÷ N) and sample (÷ (N − 1)) variances."""
    x = np.asarray(x, dtype=float)
    gamma, beta = np.asarray(gamma, dtype=float), np.asarray(beta, dtype=float)
    rm, rv = np.asarray(running_mean, dtype=float), np.asarray(running_var, dtype=float)
    if not training:
        return gamma * (x - rm) / np.sqrt(rv + eps) + beta, rm.copy(), rv.copy()
    cols = [x[:, j].tolist() for j in range(x.shape[1])]
    mu = np.array([statistics.fmean(c) for c in cols])
    var_b = np.array([statistics.pvariance(c) for c in cols])
    var_u = np.array([statistics.variance(c) for c in cols])
    y = gamma * (x - mu) / np.sqrt(var_b + eps) + beta
    return y, (1 - momentum) * rm + momentum * mu, (1 - momentum) * rv + momentum * var_u


class _Aliased:
    """What ``_fresh_arrays`` hands the comparison instead of a result that returned one of the
    caller's running-statistics arrays itself."""

    def __init__(self, returned, argument):
        self.returned, self.argument = returned, argument

    def message(self):
        return (f"{self.returned} is the caller's {self.argument} array itself, not a new array: "
                f"return {self.argument}.copy() (otherwise a caller who updates the new "
                f"statistics in place changes the old ones too)")


def _fresh_arrays(fn):
    """fn, but a result whose new_running_mean / new_running_var IS (shares memory with) the
    running_mean / running_var it was given comes back as an ``_Aliased`` marker."""
    @functools.wraps(fn)
    def call(*args):
        out = fn(*args)
        if isinstance(out, (tuple, list)) and len(out) == 3 and len(args) >= 5:
            names = (("new_running_mean", "running_mean"), ("new_running_var", "running_var"))
            for (returned, argument), part, given in zip(names, out[1:], args[3:5]):
                if isinstance(part, np.ndarray) and isinstance(given, np.ndarray) \
                        and np.shares_memory(part, given):
                    return _Aliased(returned, argument)
        return out
    return call


def _bn_fwd_compare(out, expected, args):
    if isinstance(out, _Aliased):
        return out.message()
    parts = _parts(out, 3)
    if parts is None:
        return "return a tuple (y, new_running_mean, new_running_var) of three arrays"
    x = np.asarray(args[0], dtype=float)
    spread = float(np.max(np.abs(x - np.mean(x, axis=0)), initial=0.0))
    for name, got, want in zip(("y", "new_running_mean", "new_running_var"), parts, expected):
        scale = 1 + float(np.max(np.abs(want), initial=0.0))
        atol = 1e-9 * scale + (1e-9 * spread if name == "y" else 0.0)
        problem = _within(got, want, 1e-6 * np.abs(want) + atol, name)
        if problem:
            return problem
    return None


def _bn_fwd_expect(*args):
    expected = _bn_forward_oracle(*args)
    return lambda out: _bn_fwd_compare(out, expected, args)


# one batch with statistics far from the running ones, used by the detectors
_FX = np.array([[1.0, -2.0, 10.0], [3.0, 0.5, 12.0], [2.0, 1.5, 7.0], [6.0, -1.0, 9.0],
                [0.0, 2.5, 11.0], [4.0, 0.0, 8.0]])
_FG, _FB = np.array([1.5, -0.5, 2.0]), np.array([0.25, 1.0, -3.0])
_FRM, _FRV = np.array([10.0, -5.0, 0.0]), np.array([0.5, 9.0, 2.0])
_FM, _FE = 0.3, 1e-2


def _bn_variant(training, **kw):
    """The outputs on the detectors' batch computed with one classic mistake (kw names it)."""
    x, g, b, rm, rv, m, eps = _FX, _FG, _FB, _FRM, _FRV, _FM, _FE
    mu_b, var_b, var_u = x.mean(axis=0), x.var(axis=0), x.var(axis=0, ddof=1)
    if kw.get("swap_gb"):
        g, b = b, g
    batch = training != kw.get("flip_stats", False)
    if batch:
        mu, var = mu_b, (var_u if kw.get("unbiased_norm") else var_b)
    else:
        mu, var = rm, rv
    if kw.get("eps_outside"):
        y = g * (x - mu) / (np.sqrt(var) + eps) + b
    elif kw.get("no_eps"):
        y = g * (x - mu) / np.sqrt(var) + b
    else:
        y = g * (x - mu) / np.sqrt(var + eps) + b
    update = training != kw.get("flip_update", False)
    if not update:
        return y, rm, rv
    w_new, w_old = (1 - m, m) if kw.get("momentum_reversed") else (m, 1 - m)
    new_var = var_b if kw.get("biased_running") else var_u
    return y, w_old * rm + w_new * mu_b, w_old * rv + w_new * new_var


def check_batchnorm_forward(fn):
    """batchnorm_forward(x, gamma, beta, running_mean, running_var, training, momentum=0.1,
    eps=1e-5) → (y, new_running_mean, new_running_var), PyTorch's BatchNorm1d on an (N, C) batch.

    training: y = γ(x − μ_B)/√(σ²_B + ε) + β with the biased batch variance; running statistics
    ← (1 − momentum)·old + momentum·(μ_B, unbiased σ²). evaluation: y with the running statistics,
    which come back unchanged.

    Catches: the running (evaluation) statistics used in training, batch statistics used in
    evaluation, the running variance updated with the biased variance, the batch normalised with
    the unbiased variance, momentum's weights reversed, running statistics not updated in training
    or updated in evaluation, ε outside the square root or forgotten, statistics over the
    features (axis 1) instead of the batch, γ and β swapped, the naive variance on features near
    10⁶, the caller's running arrays returned themselves (not new arrays), integer output for
    integer x, float32 precision, changing an input in place (the core). Cases and sweep include
    variances of 10⁴–10⁶ (raw breast-cancer areas). Sweep: the definition with exactly summed
    statistics."""
    xi = np.array([[1, 2], [3, 6]])
    ones2, zeros2 = np.ones(2), np.zeros(2)
    rng = np.random.default_rng(14)
    x8 = rng.normal(2.0, 3.0, (8, 3))
    g3, b3 = np.array([0.5, -2.0, 1.25]), np.array([1.0, 0.0, -0.5])
    const = np.column_stack([np.full(5, 4.0), np.arange(5.0)])
    far = 1e6 + rng.standard_normal((16, 2))
    wide = rng.normal([650.0, -20.0], [350.0, 900.0], (12, 2))     # variances ~10⁵ (areas)
    wide_rm, wide_rv = np.array([600.0, 0.0]), np.array([1.2e5, 8e5])
    cases = [
        Case("training, integer x [[1, 2], [3, 6]], γ = 1, β = 0, eps = 0 (y = ±1; running "
             "mean 0.1·μ = [0.2, 0.4], running var 0.9 + 0.1·[2, 8] = [1.1, 1.7])",
             (xi, ones2, zeros2, zeros2, ones2, True, 0.1, 0.0),
             _bn_fwd_expect(xi, ones2, zeros2, zeros2, ones2, True, 0.1, 0.0)),
        Case("evaluation with running mean [2, 4], running var [1, 4], γ = [2, 0.5], β = [1, −1]",
             (xi, np.array([2.0, 0.5]), np.array([1.0, -1.0]), np.array([2.0, 4.0]),
              np.array([1.0, 4.0]), False, 0.1, 0.0),
             _bn_fwd_expect(xi, np.array([2.0, 0.5]), np.array([1.0, -1.0]), np.array([2.0, 4.0]),
                            np.array([1.0, 4.0]), False, 0.1, 0.0)),
        Case("training, a batch of 8 with 3 features, default momentum and eps",
             (x8, g3, b3, np.zeros(3), np.ones(3), True),
             _bn_fwd_expect(x8, g3, b3, np.zeros(3), np.ones(3), True)),
        Case("training with a batch far from the running statistics (momentum 0.3, eps 0.01)",
             (_FX, _FG, _FB, _FRM, _FRV, True, _FM, _FE),
             _bn_fwd_expect(_FX, _FG, _FB, _FRM, _FRV, True, _FM, _FE)),
        Case("evaluation of the same batch", (_FX, _FG, _FB, _FRM, _FRV, False, _FM, _FE),
             _bn_fwd_expect(_FX, _FG, _FB, _FRM, _FRV, False, _FM, _FE)),
        Case("training, a constant feature (batch variance 0: y = β there)",
             (const, np.array([3.0, 1.0]), np.array([-1.0, 2.0]), zeros2, ones2, True),
             _bn_fwd_expect(const, np.array([3.0, 1.0]), np.array([-1.0, 2.0]), zeros2, ones2,
                            True)),
        Case("training with eps = 1", (x8, g3, b3, np.zeros(3), np.ones(3), True, 0.1, 1.0),
             _bn_fwd_expect(x8, g3, b3, np.zeros(3), np.ones(3), True, 0.1, 1.0)),
        Case("training with momentum 0 (the running statistics stay)",
             (_FX, _FG, _FB, _FRM, _FRV, True, 0.0, _FE),
             _bn_fwd_expect(_FX, _FG, _FB, _FRM, _FRV, True, 0.0, _FE)),
        Case("training with momentum 1 (running statistics = this batch's)",
             (_FX, _FG, _FB, _FRM, _FRV, True, 1.0, _FE),
             _bn_fwd_expect(_FX, _FG, _FB, _FRM, _FRV, True, 1.0, _FE)),
        Case("evaluation of a single example (N = 1)",
             (_FX[:1], _FG, _FB, _FRM, _FRV, False, _FM, _FE),
             _bn_fwd_expect(_FX[:1], _FG, _FB, _FRM, _FRV, False, _FM, _FE),
             hint="in evaluation there is no batch statistic to compute: a single example is "
                  "normalised with the running statistics alone."),
        Case("training, features with variances near 10⁵–10⁶ (like the breast-cancer areas)",
             (wide, ones2, zeros2, wide_rm, wide_rv, True),
             _bn_fwd_expect(wide, ones2, zeros2, wide_rm, wide_rv, True)),
        Case("evaluation with running variances near 10⁵–10⁶",
             (wide, np.array([0.5, 2.0]), np.array([1.0, 0.0]), wide_rm, wide_rv, False),
             _bn_fwd_expect(wide, np.array([0.5, 2.0]), np.array([1.0, 0.0]), wide_rm, wide_rv,
                            False)),
        Case("training, features near 10⁶ with spread about 1",
             (far, ones2, zeros2, zeros2, ones2, True),
             _bn_fwd_expect(far, ones2, zeros2, zeros2, ones2, True),
             hint="compute the variance as the mean of (x − μ)², not as E[x²] − μ²: near 10⁶ the "
                  "two terms are 10¹² and their rounding errors swamp a variance of 1."),
    ]

    def outs(f, training, args=None):
        a = args or (_FX, _FG, _FB, _FRM, _FRV, training, _FM, _FE)
        return _raw_parts(f, a, 3)

    def gives(training, part=None, **kw):
        want = _bn_variant(training, **kw)

        def detect(f):
            got = outs(f, training)
            if got is None:
                return False
            idx = range(3) if part is None else [part]
            return all(_near(got[i], want[i]) for i in idx)
        return detect

    def shape_of(training, i, shape):
        return lambda f: (lambda p: p is not None and p[i].shape == shape)(outs(f, training))

    def right(f, args):
        got = _raw_parts(f, args, 3)
        return got is not None and _bn_fwd_compare(got, _bn_forward_oracle(*args), args) is None

    def per_example(f):
        """y normalised along each ROW of a square batch (where that still broadcasts)."""
        x3 = _FX[:3]
        c = x3 - x3.mean(axis=1, keepdims=True)
        want = _FG * c / np.sqrt((c * c).mean(axis=1, keepdims=True) + _FE) + _FB
        got = _raw_parts(f, (x3, _FG, _FB, _FRM, _FRV, True, _FM, _FE), 3)
        return got is not None and _near(got[0], want)

    far_args = (far, ones2, zeros2, zeros2, ones2, True, 0.1, 1e-5)
    int_eval = (xi, np.array([2.0, 0.5]), np.array([1.0, -1.0]), np.array([2.0, 4.0]),
                np.array([1.0, 4.0]), False, 0.1, 0.0)

    def aliased(f):
        try:
            return any(isinstance(_raw(f, *a), _Aliased) for a in (
                (_FX, _FG, _FB, _FRM, _FRV, False, _FM, _FE),
                (_FX, _FG, _FB, _FRM, _FRV, True, 0.0, _FE)))
        except Exception:
            return False

    mistakes = [
        Mistake("running statistics returned themselves", aliased,
                "return NEW arrays for the running statistics: in evaluation "
                "running_mean.copy() and running_var.copy(), not the caller's arrays themselves "
                "(a caller who then updates the new statistics in place would change the old "
                "ones too)."),
        Mistake("eval statistics in training", gives(True, 0, flip_stats=True),
                "in training the batch is normalised with ITS OWN mean and variance, μ_B and "
                "σ²_B over the N examples; the running statistics are only updated (and used "
                "later, in evaluation)."),
        Mistake("batch statistics in evaluation", gives(False, 0, flip_stats=True),
                "in evaluation (training=False) normalise with running_mean and running_var: the "
                "output for one example must not depend on the other examples of the batch."),
        Mistake("running var biased", lambda f: gives(True, 0)(f) and gives(True, 2,
                                                                            biased_running=True)(f),
                "the running variance is updated with the UNBIASED batch variance "
                "Σ(x − μ_B)²/(N − 1) (PyTorch's convention), while the batch itself is "
                "normalised with the biased one (÷ N)."),
        Mistake("unbiased normalisation", gives(True, 0, unbiased_norm=True),
                "the batch is normalised with the BIASED variance Σ(x − μ_B)²/N (np.var's "
                "default); the unbiased one (÷ (N − 1)) only goes into the running variance."),
        Mistake("momentum reversed", gives(True, 1, momentum_reversed=True),
                "momentum is the weight of the NEW batch statistic (PyTorch's convention): "
                "running ← (1 − momentum)·running + momentum·batch. With momentum 0.1 the "
                "running statistics move 10 % of the way towards each batch."),
        Mistake("running statistics not updated", lambda f: gives(True, 0)(f)
                and gives(True, 1, flip_update=True)(f) and gives(True, 2, flip_update=True)(f),
                "in training, return the UPDATED running statistics: (1 − momentum)·old + "
                "momentum·batch statistic, the variance unbiased."),
        Mistake("running statistics updated in evaluation", lambda f: gives(False, 0)(f)
                and not gives(False, 1)(f),
                "in evaluation the running statistics are used, not updated: return them "
                "unchanged (as copies)."),
        Mistake("eps outside the square root", gives(True, 0, eps_outside=True),
                "ε goes inside the square root: (x − μ)/√(σ² + ε), not (x − μ)/(√σ² + ε)."),
        Mistake("eps forgotten", gives(True, 0, no_eps=True),
                "ε is missing: divide by √(σ² + ε) (it keeps a constant feature's 0/0 away)."),
        Mistake("statistics over the features", lambda f: shape_of(True, 1, (6,))(f)
                or per_example(f),
                "the statistics are per FEATURE, over the batch: mean and variance over axis 0 "
                "(the N examples), giving C values."),
        Mistake("gamma and beta swapped", gives(True, 0, swap_gb=True),
                "γ (gamma) scales and β (beta) shifts: y = γ·x̂ + β."),
        Mistake("naive variance", lambda f: gives(True)(f) and not right(f, far_args),
                "right on small numbers, wrong near 10⁶: E[x²] − μ² subtracts two numbers near "
                "10¹² whose rounding errors swamp a variance of 1. Use the mean of (x − μ)²."),
        Mistake("integer output", lambda f: _integer_trouble(f, int_eval, 3),
                _INTEGER_HINT),
        Mistake("float32", lambda f: (lambda p, w: p is not None and any(
                    _digits_lost(a, b) for a, b in zip(p, w)))(outs(f, True), _bn_variant(True)),
                _FLOAT32_HINT),
    ]

    def generate(rng, i):
        corners = [  # (N, C, training, momentum, eps, kind)
            (2, 1, True, 0.1, 1e-5, "normal"), (2, 3, True, 0.5, 1e-5, "int"),
            (5, 2, True, 0.1, 1e-5, "constant"), (4, 2, True, 0.0, 0.5, "normal"),
            (4, 2, True, 1.0, 1e-5, "normal"), (1, 3, False, 0.1, 1e-5, "normal"),
            (6, 2, False, 0.1, 2.0, "int"), (10, 2, True, 0.1, 1e-5, "far"),
            (3, 4, True, 0.9, 1e-3, "normal"), (7, 1, False, 0.1, 1e-5, "constant"),
            (9, 2, True, 0.1, 1e-5, "wide"), (5, 3, False, 0.1, 1e-5, "wide"),
        ]
        if i < len(corners):
            N, C, training, momentum, eps, kind = corners[i]
        else:
            training = bool(rng.random() < 0.65)
            N = int(rng.integers(2 if training else 1, 33))
            C = int(rng.integers(1, 7))
            momentum = float(rng.choice([0.1, 0.01, 0.5, float(rng.random())]))
            eps = float(rng.choice([1e-5, 1e-3, 0.1, 1.0]))
            kind = str(rng.choice(["normal", "normal", "int", "far", "constant", "wide"]))
        loc, sd = rng.normal(0, 5, C), rng.uniform(0.1, 4, C)
        if kind == "wide":                              # variances 10⁴–10⁶, like raw areas
            loc, sd = rng.normal(0, 1e3, C), rng.uniform(100, 1000, C)
        x = loc + sd * rng.standard_normal((N, C))
        if kind == "int":
            x = np.round(x).astype(np.int64)
        elif kind == "far":
            x = 1e6 * rng.choice([-1, 1]) + rng.standard_normal((N, C))
        elif kind == "constant":
            x[:, rng.integers(C)] = float(rng.integers(-3, 4))
        gamma = rng.normal(1, 1, C)
        beta = rng.normal(0, 1, C)
        rm = rng.normal(0, 5, C) if kind != "far" else np.full(C, 1e6)
        rv = rng.uniform(0.01, 10, C) if kind != "wide" else rng.uniform(1e4, 1e6, C)
        return x, gamma, beta, rm, rv, training, momentum, eps

    sweep = Sweep(generate, _bn_forward_oracle, _bn_fwd_compare, n=150, seed=14,
                  property="batch-norm output and running statistics (the definition, with "
                           "exactly summed means and variances per feature)",
                  hint="training: μ_B = x.mean(axis=0), σ²_B = x.var(axis=0) (÷ N), "
                       "y = γ(x − μ_B)/√(σ²_B + ε) + β, running ← (1 − momentum)·running + "
                       "momentum·(μ_B, x.var(axis=0, ddof=1)); evaluation: the running "
                       "statistics in the formula, returned unchanged.")
    return run_checks("batchnorm_forward", _fresh_arrays(fn) if callable(fn) else fn, cases,
                      mistakes, sweep=sweep, hint=sweep.hint)


# ---------------------------------------------------------------------------------------------
# Exercise 3 · batch normalisation backward
# ---------------------------------------------------------------------------------------------

_H = 1e-30


def _bn_loss(x, gamma, beta, dy, eps, ddof=0):
    """L = Σ dy ⊙ y for y = γ(x − μ)/√(σ² + ε) + β, batched over leading axes (complex-safe:
    (x − μ)² is a plain square, never |x − μ|²)."""
    n = x.shape[-2]
    mu = x.sum(axis=-2, keepdims=True) / n
    c = x - mu
    var = (c * c).sum(axis=-2, keepdims=True) / (n - ddof)
    y = gamma * c / np.sqrt(var + eps) + beta
    return (dy * y).sum(axis=(-2, -1))


def _bn_backward_oracle(dy, x, gamma, eps=1e-5, ddof=0):
    """(dx, dgamma, dbeta) by the complex step: each entry of x (then of γ, β) in turn gets an
    imaginary part h, and ∂L/∂entry = Im L / h — the forward pass differentiated to rounding
    error, with no backward formula."""
    x = np.asarray(x, dtype=float)
    dy, gamma = np.asarray(dy, dtype=float), np.asarray(gamma, dtype=float)
    N, C = x.shape
    beta = np.zeros(C)
    eye_x = np.eye(N * C).reshape(N * C, N, C)
    dx = _bn_loss(x + 1j * _H * eye_x, gamma, beta, dy, eps, ddof).imag.reshape(N, C) / _H
    eye_c = np.eye(C)[:, None, :]
    dgamma = _bn_loss(x, gamma + 1j * _H * eye_c, beta, dy, eps, ddof).imag / _H
    dbeta = _bn_loss(x, gamma, beta + 1j * _H * eye_c, dy, eps, ddof).imag / _H
    return dx, dgamma, dbeta


def _bn_bwd_compare(out, expected, args):
    parts = _parts(out, 3)
    if parts is None:
        return "return a tuple (dx, dgamma, dbeta) of three arrays"
    dy, x, gamma = (np.asarray(a, dtype=float) for a in args[:3])
    eps = args[3] if len(args) > 3 else 1e-5
    inv = 1 / np.sqrt(x.var(axis=0) + eps)
    scale = 1 + float(np.max(np.abs(dy * gamma * inv), initial=0.0)) * len(x)
    for name, got, want in zip(("dx", "dgamma", "dbeta"), parts, expected):
        s = scale if name == "dx" else 1 + float(np.max(np.abs(dy), initial=0.0)) * len(x)
        problem = _within(got, want, 1e-6 * np.abs(want) + 1e-9 * s, name)
        if problem:
            return problem
    return None


def _bn_bwd_expect(*args):
    expected = _bn_backward_oracle(*args)
    return lambda out: _bn_bwd_compare(out, expected, args)


# the detectors' batch: N = 6 ≠ C = 3, ε large enough to matter, γ not symmetric
_BX = np.array([[0.5, 2.0, -1.0], [1.5, -1.0, 0.0], [-2.0, 0.5, 3.0], [1.0, 1.0, 1.0],
                [3.0, -0.5, 2.0], [0.0, 4.0, -2.0]])
_BDY = np.array([[1.0, -0.5, 0.25], [0.0, 2.0, -1.0], [-1.5, 0.5, 0.5], [2.0, 1.0, -2.0],
                 [0.5, -1.0, 1.0], [-0.25, 0.0, 3.0]])
_BG, _BE = np.array([1.5, -0.75, 2.0]), 0.05


def _bn_bwd_variant(**kw):
    """(dx, dgamma, dbeta) on the detectors' batch with one classic mistake."""
    x, dy, g, eps = _BX, _BDY, _BG, _BE
    N = len(x)
    mu = x.mean(axis=0)
    var = x.var(axis=0, ddof=1 if kw.get("unbiased") else 0)
    inv = 1 / np.sqrt(var + (0.0 if kw.get("no_eps") else eps))
    if kw.get("eps_outside"):
        inv = 1 / (np.sqrt(var) + eps)
    xh = (x - mu) * inv
    gh = dy if kw.get("no_gamma") else dy * g
    mean_path = 0 if kw.get("no_mean") else gh.mean(axis=0)
    var_path = 0 if kw.get("no_var") else xh * (gh * xh).mean(axis=0)
    if kw.get("var_sign"):
        var_path = -var_path
    dx = inv * (gh - mean_path - var_path)
    if kw.get("sums"):
        dx = inv * (gh - gh.sum(axis=0) - xh * (gh * xh).sum(axis=0))
    if kw.get("times_n"):
        dx = dx * N
    dgamma = (dy * (x if kw.get("dgamma_x") else xh)).sum(axis=0)
    dbeta = dy.sum(axis=0)
    if kw.get("means"):
        dgamma, dbeta = dgamma / N, dbeta / N
    if kw.get("swap"):
        dgamma, dbeta = dbeta, dgamma
    return dx, dgamma, dbeta


def check_batchnorm_backward(fn):
    """batchnorm_backward(dy, x, gamma, eps=1e-5) → (dx, dgamma, dbeta) for training-mode batch
    norm on an (N, C) batch, y = γx̂ + β, x̂ = (x − μ_B)/√(σ²_B + ε) (biased σ²_B):

        dx = (ĝ − mean(ĝ) − x̂·mean(ĝx̂))/√(σ²_B + ε) with ĝ = γ·dy (means over the batch),
        dgamma = Σ dy·x̂, dbeta = Σ dy.

    Catches: the mean path missing (no −mean(ĝ)), the variance path missing (no −x̂·mean(ĝx̂)),
    both missing, the variance path with the wrong sign, γ forgotten in dx, the unbiased variance,
    ε forgotten or outside the square root, sums instead of means in the two correction terms,
    dx N times too large, dgamma from x instead of x̂, means instead of sums for dgamma/dbeta,
    dgamma and dbeta swapped, sums over the wrong axis (or none), integer dx for integer x,
    float32 precision, changing an input in place (the core). Sweep: complex-step derivatives of
    the forward definition, including variances of 10⁴–10⁶."""
    rng = np.random.default_rng(14)
    x8, dy8 = rng.normal(1.0, 2.0, (8, 3)), rng.standard_normal((8, 3))
    g3 = np.array([0.5, -2.0, 1.25])
    const = np.column_stack([np.full(5, -2.0), np.arange(5.0), rng.standard_normal(5)])
    dyc = rng.standard_normal((5, 3))
    xi = np.array([[1, 4], [2, -3], [7, 0], [0, 1]])
    dyi = np.array([[1.0, 0.5], [-2.0, 1.0], [0.0, -1.0], [3.0, 2.0]])
    x_wide = rng.normal([650.0, 0.0], [350.0, 900.0], (10, 2))      # variances ~10⁵–10⁶
    dy_wide = rng.standard_normal((10, 2))
    cases = [
        Case("N = 2, one feature, x = [[0], [2]], dy = [[1], [3]], γ = [2], eps = 0 "
             "(x̂ = ∓1 whatever x is, so dx = 0; dgamma = 2, dbeta = 4)",
             (np.array([[1.0], [3.0]]), np.array([[0.0], [2.0]]), np.array([2.0]), 0.0),
             _bn_bwd_expect(np.array([[1.0], [3.0]]), np.array([[0.0], [2.0]]), np.array([2.0]),
                            0.0)),
        Case("a batch of 8 with 3 features, default eps", (dy8, x8, g3),
             _bn_bwd_expect(dy8, x8, g3)),
        Case("the detectors' batch, 6 × 3 with eps = 0.05", (_BDY, _BX, _BG, _BE),
             _bn_bwd_expect(_BDY, _BX, _BG, _BE)),
        Case("a constant feature (x̂ = 0 there; only ε keeps 1/√(σ² + ε) finite)",
             (dyc, const, g3), _bn_bwd_expect(dyc, const, g3)),
        Case("eps = 1", (dy8, x8, g3, 1.0), _bn_bwd_expect(dy8, x8, g3, 1.0)),
        Case("features with variances near 10⁵–10⁶ (like the breast-cancer areas)",
             (dy_wide, x_wide, np.array([1.5, -0.5])),
             _bn_bwd_expect(dy_wide, x_wide, np.array([1.5, -0.5]))),
        Case("integer x, γ = [0, −3] (a zero and a negative γ)",
             (dyi, xi, np.array([0.0, -3.0])), _bn_bwd_expect(dyi, xi, np.array([0.0, -3.0]))),
    ]

    def gives(part=None, **kw):
        want = _bn_bwd_variant(**kw)

        def detect(f):
            got = _raw_parts(f, (_BDY, _BX, _BG, _BE), 3)
            if got is None:
                return False
            idx = range(3) if part is None else [part]
            return all(_near(got[i], want[i], 1e-7, 1e-9) for i in idx)
        return detect

    def dgamma_shape(f):
        got = _raw_parts(f, (_BDY, _BX, _BG, _BE), 3)
        return got is not None and (got[1].shape != (3,) or got[2].shape != (3,))

    mistakes = [
        Mistake("mean path missing", gives(0, no_mean=True),
                "dx misses the path through the batch mean: μ_B depends on every x_i, and it "
                "contributes −mean(ĝ)/√(σ² + ε) to each dx_i (ĝ = γ·dy). Full formula: "
                "dx = (ĝ − mean(ĝ) − x̂·mean(ĝ·x̂))/√(σ² + ε), means over the batch (axis 0)."),
        Mistake("variance path missing", gives(0, no_var=True),
                "dx misses the path through the batch variance: σ²_B depends on every x_i, and it "
                "contributes −x̂_i·mean(ĝ·x̂)/√(σ² + ε) (ĝ = γ·dy). Full formula: "
                "dx = (ĝ − mean(ĝ) − x̂·mean(ĝ·x̂))/√(σ² + ε)."),
        Mistake("both paths missing", gives(0, no_mean=True, no_var=True),
                "γ·dy/√(σ² + ε) treats μ_B and σ²_B as constants, but they are computed from the "
                "batch: each x_i also moves them. Add both paths: dx = (ĝ − mean(ĝ) − "
                "x̂·mean(ĝ·x̂))/√(σ² + ε), ĝ = γ·dy."),
        Mistake("variance path sign", gives(0, var_sign=True),
                "the variance path has the wrong sign: a larger x_i far from the mean raises σ², "
                "which shrinks every x̂ — dx = (ĝ − mean(ĝ) − x̂·mean(ĝ·x̂))/√(σ² + ε)."),
        Mistake("gamma forgotten", gives(0, no_gamma=True),
                "dx needs γ: ∂L/∂x̂ = γ·dy, since y = γ·x̂ + β."),
        Mistake("unbiased variance", lambda f: gives(0, unbiased=True)(f) or (lambda w: (
                    lambda got: got is not None and _near(got[0], w[0], 1e-7, 1e-9))(
                    _raw_parts(f, (_BDY, _BX, _BG, _BE), 3)))(
                    _bn_backward_oracle(_BDY, _BX, _BG, _BE, ddof=1)),
                "training-mode batch norm normalises with the BIASED batch variance "
                "Σ(x − μ)²/N (x.var(axis=0)), not the unbiased one."),
        Mistake("eps forgotten", gives(0, no_eps=True),
                "ε is missing: x̂ = (x − μ)/√(σ² + ε), and the same √(σ² + ε) divides dx."),
        Mistake("eps outside the square root", gives(0, eps_outside=True),
                "ε goes inside the square root: x̂ = (x − μ)/√(σ² + ε), not (x − μ)/(σ + ε) — "
                "and the same √(σ² + ε) divides dx."),
        Mistake("sums in the corrections", gives(0, sums=True),
                "the two correction terms are MEANS over the batch, not sums: dx = (ĝ − mean(ĝ) − "
                "x̂·mean(ĝ·x̂))/√(σ² + ε) — the 1/N comes from μ_B and σ²_B being averages."),
        Mistake("factor N", gives(0, times_n=True),
                "dx is N times too large: the derivation gives sums Σĝ and Σĝx̂ multiplied by 1/N "
                "— as means, dx = (ĝ − mean(ĝ) − x̂·mean(ĝ·x̂))/√(σ² + ε)."),
        Mistake("dgamma from x", gives(1, dgamma_x=True),
                "dgamma = Σ dy·x̂ (the NORMALISED input, since y = γ·x̂ + β), not Σ dy·x."),
        Mistake("means instead of sums", lambda f: gives(1, means=True)(f)
                or gives(2, means=True)(f),
                "γ and β are used by every example of the batch, so their gradients are SUMS over "
                "the batch: dgamma = Σ dy·x̂, dbeta = Σ dy (axis 0), not means."),
        Mistake("dgamma and dbeta swapped", lambda f: gives(1, swap=True)(f)
                and gives(2, swap=True)(f),
                "return (dx, dgamma, dbeta) in that order: dgamma = Σ dy·x̂, dbeta = Σ dy."),
        Mistake("sum over the wrong axis", dgamma_shape,
                "dgamma and dbeta have one entry per feature, shape (C,): sum over the batch, "
                "axis 0."),
        Mistake("integer output",
                lambda f: _integer_trouble(f, (dyi, xi, np.array([1.0, -3.0])), 3),
                _INTEGER_HINT),
        Mistake("float32", lambda f: (lambda p, w: p is not None and any(
                    _digits_lost(a, b) for a, b in zip(p, w)))(
                    _raw_parts(f, (_BDY, _BX, _BG, _BE), 3), _bn_bwd_variant()),
                _FLOAT32_HINT),
    ]

    def generate(rng, i):
        corners = [  # (N, C, eps, kind)
            (2, 1, 1e-5, "normal"), (2, 3, 0.0, "normal"), (3, 2, 1e-5, "int"),
            (5, 3, 1e-5, "constant"), (4, 2, 1.0, "normal"), (6, 2, 1e-5, "gamma0"),
            (16, 1, 1e-5, "far"), (3, 4, 0.1, "dyint"), (7, 2, 1e-5, "wide"),
        ]
        if i < len(corners):
            N, C, eps, kind = corners[i]
        else:
            N, C = int(rng.integers(2, 25)), int(rng.integers(1, 6))
            eps = float(rng.choice([1e-5, 1e-3, 0.1, 1.0]))
            kind = str(rng.choice(["normal", "normal", "int", "constant", "gamma0", "dyint",
                                   "far", "wide"]))
        x = rng.normal(0, 3, C) + rng.uniform(0.2, 3, C) * rng.standard_normal((N, C))
        dy = rng.standard_normal((N, C))
        gamma = rng.normal(0.5, 1.5, C)
        if kind == "int":
            x = np.round(x).astype(np.int64)
        elif kind == "constant":
            x[:, rng.integers(C)] = float(rng.integers(-3, 4))
        elif kind == "gamma0":
            gamma[rng.integers(C)] = 0.0
        elif kind == "dyint":
            dy = rng.integers(-3, 4, (N, C))
        elif kind == "far":
            x = 1e3 + rng.standard_normal((N, C))
        elif kind == "wide":                            # variances 10⁴–10⁶, like raw areas
            x = rng.normal(0, 1e3, C) + rng.uniform(100, 1000, C) * rng.standard_normal((N, C))
        if eps == 0.0 and np.any(np.ptp(np.asarray(x, dtype=float), axis=0) == 0):
            eps = 1e-5
        return dy, x, gamma, eps

    sweep = Sweep(generate, _bn_backward_oracle, _bn_bwd_compare, n=150, seed=14,
                  property="gradients (complex-step derivatives of the batch-norm forward pass)",
                  hint="with x̂ = (x − μ_B)/√(σ²_B + ε) and ĝ = γ·dy: dx = (ĝ − ĝ.mean(0) − "
                       "x̂·(ĝ·x̂).mean(0))/√(σ²_B + ε), dgamma = (dy·x̂).sum(0), "
                       "dbeta = dy.sum(0).")
    return run_checks("batchnorm_backward", fn, cases, mistakes, sweep=sweep, hint=sweep.hint)
