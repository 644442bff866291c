"""Wrong solutions for notebook 12 (probability):
``check_expectation_and_variance``, ``check_sample_categorical``, ``check_interval_probability``.

Written from the exercise statements only (and the public ``dlmath.prob`` API they name). Every
entry is a plausible learner's mistake or a sneaky near-miss; the comment beside it names an input
allowed by the statement on which it differs from a correct implementation (or hangs, or changes
the caller's arrays). Each was checked against an independent reference in a scratch file outside
the repo.
"""
import math

import numpy as np


# ----------------------------------------------------------------------------------------------
# Exercise 1 — expectation_and_variance(values, probs)
# ----------------------------------------------------------------------------------------------
def _ev(values, probs):
    v, p = np.asarray(values, dtype=float), np.asarray(probs, dtype=float)
    m = float(np.sum(v * p))
    return m, float(np.sum((v - m) ** 2 * p))


def ev_plain_average(values, probs):
    v = np.asarray(values, dtype=float)
    return float(v.mean()), float(v.var())


def ev_unweighted_variance(values, probs):
    # the mean is weighted, the variance is np.var of the values
    m, _ = _ev(values, probs)
    return m, float(np.var(np.asarray(values, dtype=float)))


def ev_naive_second_moment(values, probs):
    # E[X²] − E[X]²: cancellation for values near 1000 with a small spread
    v, p = np.asarray(values, dtype=float), np.asarray(probs, dtype=float)
    m = float(np.sum(v * p))
    return m, float(np.sum(v * v * p) - m * m)


def ev_moments_swapped(values, probs):
    # E[X]² − E[X²]: the classic sign slip (negative "variance")
    v, p = np.asarray(values, dtype=float), np.asarray(probs, dtype=float)
    m = float(np.sum(v * p))
    return m, float(m * m - np.sum(v * v * p))


def ev_bessel(values, probs):
    # a "sample variance" correction K/(K − 1) carried over from data
    m, var = _ev(values, probs)
    k = len(values)
    return m, var * k / (k - 1) if k > 1 else var


def ev_reliability_weights(values, probs):
    # the unbiased weighted variance Σp(x − m)² / (1 − Σp²): nan for a single value
    v, p = np.asarray(values, dtype=float), np.asarray(probs, dtype=float)
    m = float(np.sum(v * p))
    with np.errstate(divide="ignore", invalid="ignore"):
        return m, float(np.sum(p * (v - m) ** 2) / (1 - np.sum(p * p)))


def ev_deviations_unweighted(values, probs):
    # Σ(x − m)² / K: deviations not weighted by their probabilities
    v = np.asarray(values, dtype=float)
    m, _ = _ev(values, probs)
    return m, float(np.sum((v - m) ** 2) / len(v))


def ev_missing_square_of_mean(values, probs):
    v, p = np.asarray(values, dtype=float), np.asarray(probs, dtype=float)
    m = float(np.sum(v * p))
    return m, float(np.sum(v * v * p) - m)                  # − E[X] instead of − E[X]²


def ev_std(values, probs):
    m, var = _ev(values, probs)
    return m, math.sqrt(var)                                # standard deviation


def ev_np_mean(values, probs):
    # np.mean(values * probs): divides the expectation by K once more
    v, p = np.asarray(values, dtype=float), np.asarray(probs, dtype=float)
    m = float(np.mean(v * p))
    return m, float(np.mean((v - m) ** 2 * p))


def ev_int_buffer(values, probs):
    # squared deviations stored in a buffer like `values`: integer values truncate them
    values = np.asarray(values)
    m = float(np.sum(values * np.asarray(probs, dtype=float)))
    sq = np.empty_like(values)
    sq[:] = (values - m) ** 2
    return m, float(np.sum(sq * probs))


def ev_dict_merges_repeats(values, probs):
    # {value: prob}: a repeated value keeps only its last probability
    table = dict(zip(np.asarray(values).tolist(), np.asarray(probs).tolist()))
    m = sum(x * q for x, q in table.items())
    return m, sum((x - m) ** 2 * q for x, q in table.items())


def ev_filter_misaligned(values, probs):
    # drops the zero-probability values but zips them with the unfiltered probs
    v, p = np.asarray(values, dtype=float), np.asarray(probs, dtype=float)
    pairs = list(zip(v[p > 0], p))
    m = sum(x * q for x, q in pairs)
    return float(m), float(sum((x - m) ** 2 * q for x, q in pairs))


def ev_inplace_centre(values, probs):
    # centres the caller's float array in place
    v = np.asarray(values, dtype=float)
    p = np.asarray(probs, dtype=float)
    m = float(np.sum(v * p))
    v -= m
    return m, float(np.sum(v * v * p))


def ev_float32(values, probs):
    v, p = np.asarray(values, dtype=np.float32), np.asarray(probs, dtype=np.float32)
    m = np.sum(v * p)
    return float(m), float(np.sum((v - m) ** 2 * p))


def ev_hangs_skip_zero(values, probs):
    # "skip the zero probabilities" with continue — and the index never advances there
    m = 0.0
    i = 0
    while i < len(probs):
        if probs[i] == 0:
            continue
        m += float(values[i]) * float(probs[i])
        i += 1
    var = 0.0
    for x, q in zip(values, probs):
        var += (float(x) - m) ** 2 * float(q)
    return m, var


# ----------------------------------------------------------------------------------------------
# Exercise 2 — sample_categorical(probs, u)
# ----------------------------------------------------------------------------------------------
def sc_left_side(probs, u):
    # smallest k with u ≤ C_k (≤ instead of <)
    c = np.cumsum(probs)
    return np.minimum(np.searchsorted(c, u, side="left"), len(c) - 1)


def sc_no_clip(probs, u):
    # never clipped: returns K when round-off leaves C_{K−1} below u
    return np.searchsorted(np.cumsum(probs), u, side="right")


def sc_digitize_no_clip(probs, u):
    return np.digitize(u, np.cumsum(probs))


def sc_argmax_no_fallback(probs, u):
    # argmax of (u < C): when no C_k exceeds u argmax is 0, not K − 1
    c = np.cumsum(probs)
    return np.argmax(np.asarray(u)[:, None] < c[None, :], axis=1)


def sc_argmax_le(probs, u):
    c = np.cumsum(probs)
    return np.argmax(np.asarray(u)[:, None] <= c[None, :], axis=1)


def sc_count_strictly_below(probs, u):
    # number of C_k strictly below u: the ≤/< slip written as a count
    c = np.cumsum(probs)
    k = (c[None, :] < np.asarray(u)[:, None]).sum(axis=1)
    return np.minimum(k, len(c) - 1)


def sc_float_result(probs, u):
    c = np.cumsum(probs)
    k = np.searchsorted(c, u, side="right")
    return np.minimum(k, len(c) - 1.0)                  # a float array


def sc_sorted_probs(probs, u):
    # sorts the probabilities (largest first) and forgets to map back to the category
    p = np.sort(np.asarray(probs))[::-1]
    c = np.cumsum(p)
    return np.minimum(np.searchsorted(c, u, side="right"), len(c) - 1)


def sc_uniform_bins(probs, u):
    # floor(u·K): as if all categories were equally likely
    k = len(probs)
    return np.minimum(np.floor(np.asarray(u) * k).astype(np.int64), k - 1)


def sc_float32_cumsum(probs, u):
    c = np.cumsum(np.asarray(probs, dtype=np.float32))
    return np.minimum(np.searchsorted(c, u, side="right"), len(c) - 1)


def sc_cumsum_inplace(probs, u):
    # cumsum into the caller's probs
    p = np.asarray(probs)
    np.cumsum(p, out=p)
    return np.minimum(np.searchsorted(p, u, side="right"), len(p) - 1)


def sc_exclusive_cumsum_le(probs, u):
    # uses the left edges C_{k−1} and takes the first k with u ≤ C_k via the next edge
    c = np.concatenate([[0.0], np.cumsum(probs)[:-1]])
    k = (np.asarray(u)[:, None] > c[None, :]).sum(axis=1) - 1
    return np.clip(k, 0, len(c) - 1)


def sc_column(probs, u):
    c = np.cumsum(probs)
    k = np.minimum(np.searchsorted(c, u, side="right"), len(c) - 1)
    return k[:, None]                                   # shape (n, 1)


def sc_hangs_binary_search(probs, u):
    # binary search with lo = mid (instead of mid + 1): stuck when hi = lo + 1
    c = np.cumsum(probs)
    out = np.empty(len(u), dtype=np.int64)
    for i, ui in enumerate(u):
        lo, hi = 0, len(c) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if ui < c[mid]:
                hi = mid
            else:
                lo = mid
        out[i] = lo
    return out


# ----------------------------------------------------------------------------------------------
# Exercise 3 — interval_probability(dist, a, b)
# ----------------------------------------------------------------------------------------------
def _cdf(dist, x):
    return float(dist.cdf(x))


def ip_cdf_difference_everywhere(dist, a, b):
    # cdf(b) − cdf(a) also for discrete X: loses P(X = a)
    return _cdf(dist, b) - _cdf(dist, a)


def ip_a_minus_one(dist, a, b):
    # cdf(b) − cdf(a − 1): right for whole-number a only
    if dist.discrete:
        return _cdf(dist, b) - _cdf(dist, a - 1)
    return _cdf(dist, b) - _cdf(dist, a)


def ip_round_a(dist, a, b):
    if dist.discrete:
        return _cdf(dist, b) - _cdf(dist, round(a) - 1)
    return _cdf(dist, b) - _cdf(dist, a)


def ip_discrete_formula_for_all(dist, a, b):
    # cdf(b) − cdf(a − 1) for every distribution (right only for the integer-valued ones)
    return _cdf(dist, b) - _cdf(dist, math.ceil(a) - 1)


def ip_point_is_density(dist, a, b):
    # a == b for a continuous X: returns the density p(a), read as a probability
    if dist.discrete:
        return _cdf(dist, b) - _cdf(dist, math.ceil(a) - 1)
    if a == b:
        return float(dist.prob(a))
    return _cdf(dist, b) - _cdf(dist, a)


def ip_midpoint_rule(dist, a, b):
    # density at the midpoint times the width (fine only for narrow intervals)
    if dist.discrete:
        return _cdf(dist, b) - _cdf(dist, math.ceil(a) - 1)
    return float(dist.prob(0.5 * (a + b))) * (b - a)


def ip_sum_pmf_from_a(dist, a, b):
    # Σ P(X = x) for x = a, a + 1, …, ≤ b: misses the integers when a is not whole
    if dist.discrete:
        return float(sum(float(dist.prob(x)) for x in np.arange(a, b + 1) if x <= b))
    return _cdf(dist, b) - _cdf(dist, a)


def ip_sum_pmf_excludes_b(dist, a, b):
    if dist.discrete:
        return float(sum(float(dist.prob(k)) for k in range(math.ceil(a), math.floor(b))))
    return _cdf(dist, b) - _cdf(dist, a)


def ip_pdf_sum(dist, a, b):
    # sums the "probabilities" prob(x) at the whole numbers in [a, b] for every distribution
    ks = range(math.ceil(a), math.floor(b) + 1)
    return float(sum(float(dist.prob(k)) for k in ks))


def ip_survival_difference(dist, a, b):
    # P(X ≥ a) − P(X > b) = (1 − F(a)) − (1 − F(b)): the far lower tail rounds to 0
    if dist.discrete:
        return _cdf(dist, b) - _cdf(dist, math.ceil(a) - 1)
    return (1.0 - _cdf(dist, a)) - (1.0 - _cdf(dist, b))


def ip_own_normal_erf(dist, a, b):
    # own Normal CDF ½(1 + erf(z/√2)): no relative precision in the lower tail
    if dist.discrete:
        return _cdf(dist, b) - _cdf(dist, math.ceil(a) - 1)
    if hasattr(dist, "loc"):
        mu, s = float(dist.loc), float(dist.scale)
        phi = lambda x: 0.5 * (1.0 + math.erf((x - mu) / (s * math.sqrt(2))))
        return phi(b) - phi(a)
    return _cdf(dist, b) - _cdf(dist, a)


def ip_exponential_scale(dist, a, b):
    # own Exponential CDF 1 − e^(−x/λ): the rate used as a scale
    if dist.discrete:
        return _cdf(dist, b) - _cdf(dist, math.ceil(a) - 1)
    if hasattr(dist, "rate"):
        lam = float(dist.rate)
        f = lambda x: 1.0 - math.exp(-max(x, 0.0) / lam)
        return f(b) - f(a)
    return _cdf(dist, b) - _cdf(dist, a)


def ip_exponential_negative(dist, a, b):
    # own Exponential CDF 1 − e^(−λx) without the x ≥ 0 guard: negative a breaks it
    if dist.discrete:
        return _cdf(dist, b) - _cdf(dist, math.ceil(a) - 1)
    if hasattr(dist, "rate"):
        lam = float(dist.rate)
        f = lambda x: 1.0 - math.exp(-lam * x)
        return f(b) - f(a)
    return _cdf(dist, b) - _cdf(dist, a)


def ip_hangs_simpson(dist, a, b):
    # continuous X: Simpson's rule with n doubling (capped at 2^16) until the relative change
    # is < 1e-9; when the integral is 0 (a == b) the test 0 < 0 never holds
    if dist.discrete:
        return _cdf(dist, b) - _cdf(dist, math.ceil(a) - 1)

    def simpson(n):
        x = np.linspace(a, b, n + 1)
        f = np.asarray(dist.prob(x), dtype=float)
        h = (b - a) / n
        return h / 3 * (f[0] + f[-1] + 4 * f[1:-1:2].sum() + 2 * f[2:-1:2].sum())

    n = 16
    old, new = simpson(n), simpson(2 * n)
    while not abs(new - old) < 1e-9 * abs(new):
        n = min(2 * n, 2 ** 16)
        old, new = new, simpson(2 * n)
    return float(new)


# ----------------------------------------------------------------------------------------------
WRONG = {
    "check_expectation_and_variance": [
        # values=[0., 1.], probs=[0.25, 0.75] → (0.5, 0.25) instead of (0.75, 0.1875)
        ("plain average of the values", ev_plain_average),
        # values=[0., 1.], probs=[0.25, 0.75] → variance 0.25 instead of 0.1875
        ("weighted mean, unweighted np.var", ev_unweighted_variance),
        # values=[1000., 1000.001], probs=[0.5, 0.5] → variance off by ~1e-3 relative
        ("E[X²] − E[X]² (cancellation near 1000)", ev_naive_second_moment),
        # values=[0., 1.], probs=[0.5, 0.5] → variance −0.25 instead of 0.25
        ("E[X]² − E[X²] (sign slip)", ev_moments_swapped),
        # values=[0., 1.], probs=[0.5, 0.5] → variance 0.5 instead of 0.25
        ("sample-variance factor K/(K − 1)", ev_bessel),
        # values=[3.], probs=[1.] → variance nan instead of 0
        ("reliability-weights variance / (1 − Σp²)", ev_reliability_weights),
        # values=[0., 1.], probs=[0.25, 0.75] → variance 0.3125 instead of 0.1875
        ("deviations not weighted by probs (divided by K)", ev_deviations_unweighted),
        # values=[0., 4.], probs=[0.5, 0.5] → 8 − 2 = 6 instead of 4
        ("E[X²] − E[X] (square of the mean forgotten)", ev_missing_square_of_mean),
        # values=[0., 4.], probs=[0.5, 0.5] → 2 instead of 4
        ("returns the standard deviation", ev_std),
        # values=[1., 3.], probs=[0.5, 0.5] → mean 1.0 instead of 2.0
        ("np.mean(values·probs) instead of the sum", ev_np_mean),
        # int values=[0, 1], probs=[0.5, 0.5] → variance 0 instead of 0.25
        ("squared deviations in an integer buffer", ev_int_buffer),
        # values=[1, 1, 2], probs=[0.25, 0.25, 0.5] → mean 1.25 instead of 1.5
        ("dict(zip(values, probs)): repeated values lose probability", ev_dict_merges_repeats),
        # values=[1., 2., 3.], probs=[0., 0.5, 0.5] → mean 1.5 instead of 2.5
        ("filters zero probabilities, zips with unfiltered probs", ev_filter_misaligned),
        # float values=[1., 3.] → the caller's array becomes [−1., 1.]
        ("centres the caller's values in place", ev_inplace_centre),
        # values=[1000., 1000.001], probs=[0.5, 0.5] → float32 variance ≈ 2.4e-7 vs 2.5e-7
        ("computed in float32", ev_float32),
        # values=[1., 2.], probs=[0., 1.] → never returns
        ("HANGS: `continue` on a zero probability skips the index increment",
         ev_hangs_skip_zero),
    ],
    "check_sample_categorical": [
        # probs=[0.5, 0.5], u=[0.5] → 0 instead of 1
        ("u ≤ C_k instead of u < C_k (searchsorted side='left')", sc_left_side),
        # ten 0.1s (C_9 = 1 − 2⁻⁵³), u=[1 − 2⁻⁵³] → 10 instead of 9
        ("no clip: returns K when round-off leaves C_{K−1} < 1", sc_no_clip),
        # same → 10 instead of 9
        ("np.digitize without clipping", sc_digitize_no_clip),
        # same → 0 instead of 9
        ("argmax(u < C): 0 when no C_k exceeds u", sc_argmax_no_fallback),
        # probs=[0.5, 0.5], u=[0.5] → 0 instead of 1
        ("argmax(u ≤ C)", sc_argmax_le),
        # probs=[0., 1.], u=[0.] → 0 (a zero-probability category) instead of 1
        ("counts C_k < u (the ≤/< slip as a count)", sc_count_strictly_below),
        # probs=[0.5, 0.5], u=[0.7] → array([1.]) of float dtype
        ("returns a float array", sc_float_result),
        # probs=[0.2, 0.8], u=[0.5] → 0 (sorted [0.8, 0.2]) instead of 1
        ("sorts the probabilities first", sc_sorted_probs),
        # probs=[0.9, 0.1], u=[0.6] → 1 instead of 0
        ("floor(u·K): equal-width bins", sc_uniform_bins),
        # ten 0.1s, u=[C_2] = [0.30000000000000004] → 2 instead of 3
        ("cumulative sums in float32", sc_float32_cumsum),
        # float probs=[0.5, 0.5] → the caller's probs become [0.5, 1.0]
        ("cumsum into the caller's probs", sc_cumsum_inplace),
        # probs=[0.5, 0.5], u=[0.5] → 0 instead of 1
        ("left edges with u > C_{k−1}: boundaries go to the lower category",
         sc_exclusive_cumsum_le),
        # probs=[0.5, 0.5], u=[0.7, 0.2] → shape (2, 1) instead of (2,)
        ("returns shape (n, 1)", sc_column),
        # probs=[0.5, 0.5], u=[0.7] → never returns
        ("HANGS: binary search with lo = mid", sc_hangs_binary_search),
    ],
    "check_interval_probability": [
        # Poisson(2), a = b = 1 → 0 instead of P(X = 1) = 0.2707
        ("cdf(b) − cdf(a) for a discrete X (drops P(X = a))", ip_cdf_difference_everywhere),
        # Poisson(2), a=0.2, b=0.8 → P(X = 0) = 0.1353 instead of 0
        ("cdf(b) − cdf(a − 1): wrong for non-integer a", ip_a_minus_one),
        # Poisson(2), a=0.4, b=0.8 → 0.1353 instead of 0
        ("cdf(b) − cdf(round(a) − 1)", ip_round_a),
        # Normal(0, 1), a = b = 0 → 0.3413 instead of 0
        ("discrete formula cdf(b) − cdf(⌈a⌉ − 1) for continuous X too",
         ip_discrete_formula_for_all),
        # Normal(0, 1), a = b = 0 → 0.3989 (the density) instead of 0
        ("a == b: returns the density as a probability", ip_point_is_density),
        # Normal(0, 1), a=-1, b=1 → 0.798 instead of 0.683
        ("density at the midpoint × width", ip_midpoint_rule),
        # Poisson(2), a=0.5, b=1.5 → 0 instead of P(X = 1) = 0.2707
        ("Σ prob(x) for x = a, a+1, …: misses integers for non-integer a", ip_sum_pmf_from_a),
        # Poisson(2), a = b = 1 → 0 instead of 0.2707
        ("Σ prob(k) for k in range(⌈a⌉, ⌊b⌋): b excluded", ip_sum_pmf_excludes_b),
        # Normal(0, 1), a=-1, b=1 → p(−1) + p(0) + p(1) = 0.883 instead of 0.683
        ("sums prob(k) at whole numbers for every distribution (PDF as probability)",
         ip_pdf_sum),
        # Normal(0, 1), a=-12, b=-11 → 0 instead of 1.9e-28
        ("(1 − F(a)) − (1 − F(b)): the lower tail cancels to 0", ip_survival_difference),
        # Normal(0, 1), a=-12, b=-11 → 0 instead of 1.9e-28
        ("own ½(1 + erf) Normal CDF", ip_own_normal_erf),
        # Exponential(2), a=0, b=1 → 0.393 instead of 0.865
        ("Exponential: rate used as a scale", ip_exponential_scale),
        # Exponential(1), a=-1, b=1 → 2.35 instead of 0.632
        ("Exponential: own CDF without the x ≥ 0 guard", ip_exponential_negative),
        # Normal(0, 1), a = b = 0.5 → never returns
        ("HANGS: Simpson refinement with a strict relative test; a == b never stops",
         ip_hangs_simpson),
    ],
}
