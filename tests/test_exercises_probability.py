"""The notebook-12 checkers (dlmath/exercises/probability.py): correct solutions pass (two or
three different ones each), each catalogued mistake — written as real wrong code — is caught
under its own name, a stub is "not attempted", uncatalogued wrong solutions get expected-vs-got,
an input-mutating one the in-place hint, the sweep catches what the hand-picked cases miss, and
the sweeps' oracles agree with independent computations."""
from fractions import Fraction
import math

import mpmath
import numpy as np
import pytest

from dlmath.exercises import (check_expectation_and_variance, check_interval_probability,
                              check_sample_categorical)
from dlmath.exercises import probability as P
from dlmath.prob import Bernoulli, Categorical, Exponential, Normal, Poisson


def stub(*args):
    raise NotImplementedError


def _named(result, name):
    return result.status == "failed" and result.mistakes and result.mistakes[0] == name


# --------------------------------------------------------------------------------------------
# expectation_and_variance
# --------------------------------------------------------------------------------------------

def ev_definition(values, probs):
    values = np.asarray(values, dtype=float)
    mean = np.sum(values * probs)
    return mean, np.sum((values - mean) ** 2 * probs)


def ev_moments(values, probs):                        # E[X²] − E[X]²: cancels near 1000
    values = np.asarray(values, dtype=float)
    mean = np.average(values, weights=probs)
    return mean, np.average(values ** 2, weights=probs) - mean ** 2


def ev_loop(values, probs):                           # plain Python floats
    mean = sum(float(v) * float(p) for v, p in zip(values, probs))
    return mean, sum((float(v) - mean) ** 2 * float(p) for v, p in zip(values, probs))


def _f(v):
    return np.asarray(v, dtype=float)


EV_WRONG = {
    "unweighted mean": lambda v, p: (np.mean(_f(v)), np.var(_f(v))),
    "mean of the products": lambda v, p: (np.mean(_f(v) * p),
                                          np.sum((_f(v) - np.mean(_f(v) * p)) ** 2 * p)),
    "sign flipped": lambda v, p: (np.sum(_f(v) * p),
                                  np.sum(_f(v) * p) ** 2 - np.sum(_f(v) ** 2 * p)),
    "not squared": lambda v, p: (np.sum(_f(v) * p), np.sum((_f(v) - np.sum(_f(v) * p)) * p)),
    "absolute deviation": lambda v, p: (np.sum(_f(v) * p),
                                        np.sum(np.abs(_f(v) - np.sum(_f(v) * p)) * p)),
    "second moment": lambda v, p: (np.sum(_f(v) * p), np.sum(_f(v) ** 2 * p)),
    "standard deviation": lambda v, p: (ev_definition(v, p)[0], math.sqrt(ev_definition(v, p)[1])),
    "unweighted variance": lambda v, p: (np.sum(_f(v) * p),
                                         np.mean((_f(v) - np.sum(_f(v) * p)) ** 2)),
    "probabilities squared": lambda v, p: (np.sum(_f(v) * p),
                                           np.sum(((_f(v) - np.sum(_f(v) * p)) * p) ** 2)),
    "swapped": lambda v, p: ev_definition(v, p)[::-1],
    "one-pass formula": ev_moments,
    "mean not squared": lambda v, p: (np.sum(_f(v) * p),
                                      np.sum(_f(v) ** 2 * p) - np.sum(_f(v) * p)),
    "K − 1 denominator": lambda v, p: (ev_definition(v, p)[0],
                                       ev_definition(v, p)[1] * len(v) / max(len(v) - 1, 1)),
    "low precision": lambda v, p: tuple(float(r) for r in ev_definition(
        np.asarray(v, dtype=np.float32), np.asarray(p, dtype=np.float32))),
}


@pytest.mark.parametrize("solution", [ev_definition, ev_loop])
def test_ev_correct(solution, capsys):
    r = check_expectation_and_variance(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(EV_WRONG))
def test_ev_mistakes(name):
    r = check_expectation_and_variance(EV_WRONG[name])
    assert _named(r, name), (r.mistakes, r.message)


def test_ev_stub_in_place_and_generic(capsys):
    r = check_expectation_and_variance(stub)
    assert r.status == "not attempted"
    assert "not attempted yet" in capsys.readouterr().out

    def normalises_in_place(values, probs):
        probs /= probs.sum()                           # changes the caller's probs
        return ev_definition(values, probs)
    r = check_expectation_and_variance(normalises_in_place)
    assert r.status == "failed" and "in place" in r.mistakes and "probs" in r.message

    r = check_expectation_and_variance(lambda v, p: (ev_definition(v, p)[0],
                                                     1.1 * ev_definition(v, p)[1]))
    assert r.status == "failed" and r.mistakes == []
    assert "expected the variance" in r.message and "weighted by the probabilities" in r.message
    r = check_expectation_and_variance(lambda v, p: ev_definition(v, p)[0])
    assert r.status == "failed" and "tuple of 2 numbers" in r.message


def test_ev_sweep_catches_what_the_cases_miss():
    def short_only(values, probs):                    # the mean wrong for K > 8
        m, s = ev_definition(values, probs)
        return (m + 0.5 if len(values) > 8 else m), s
    r = check_expectation_and_variance(short_only)
    assert r.status == "failed" and "random inputs failed" in r.message


def test_ev_oracles_agree_with_independent_computations():
    rng = np.random.default_rng(0)
    for i in range(40):
        made = P._ev_input(rng, i)
        values, probs = made.args if isinstance(made, P.Given) else made
        exact = P._ev_exact(values, probs)             # the definition, in fractions
        if isinstance(made, P.Given):
            assert tuple(made.expected) == exact       # population == definition, exactly
        with mpmath.workdps(50):
            m = mpmath.fsum(mpmath.mpf(float(v)) * float(p) for v, p in zip(values, probs))
            ws = mpmath.fsum((mpmath.mpf(float(v)) - m) ** 2 * float(p)
                             for v, p in zip(values, probs))
        assert abs(float(exact[0]) - float(m)) <= 1e-15 * (1 + abs(float(m)))
        assert abs(float(exact[1]) - float(ws)) <= 1e-15 * (1 + float(ws))
    assert P._ev_population([1, 3], [1, 1]) == (Fraction(2), Fraction(1))


# --------------------------------------------------------------------------------------------
# sample_categorical
# --------------------------------------------------------------------------------------------

def cat_searchsorted(probs, u):
    C = np.cumsum(probs)
    return np.minimum(np.searchsorted(C, u, side="right"), len(probs) - 1)


def cat_loop(probs, u):                               # walk along the cumulative sum
    out = []
    for x in u:
        total, k = 0.0, 0
        for k, p in enumerate(probs):
            total += p
            if x < total:
                break
        out.append(k)
    return np.array(out, dtype=np.int64)


def cat_count(probs, u):                              # the number of C_0 … C_{K−2} that are ≤ u
    C = np.cumsum(np.asarray(probs, dtype=float))[:-1]
    return (np.asarray(u)[:, None] >= C[None, :]).sum(axis=1)


def _cat_wrong_le(probs, u):
    return np.minimum(np.searchsorted(np.cumsum(probs), u, side="left"), len(probs) - 1)


def _cat_wrong_no_cumsum(probs, u):
    return np.array([next((k for k, p in enumerate(probs) if x < p), 0) for x in u])


def _cat_wrong_index_K(probs, u):
    return np.searchsorted(np.cumsum(probs), u, side="right")


def _cat_wrong_argmax(probs, u):                     # 0 where no C_k exceeds u
    return np.argmax(np.asarray(u)[:, None] < np.cumsum(probs)[None, :], axis=1)


CAT_WRONG = {
    "≤ instead of <": _cat_wrong_le,
    "cumulative sum not used": _cat_wrong_no_cumsum,
    "counted from 1": lambda p, u: cat_searchsorted(p, u) + 1,
    "index K": _cat_wrong_index_K,
    "1 − u": lambda p, u: cat_searchsorted(p, 1 - np.asarray(u)),
    "floats returned": lambda p, u: cat_searchsorted(p, u).astype(float),
    "uniform categories": lambda p, u: np.floor(np.asarray(u) * len(p)).astype(int),
    "most likely category": lambda p, u: np.full(len(u), int(np.argmax(p))),
}


@pytest.mark.parametrize("solution", [cat_searchsorted, cat_loop, cat_count])
def test_cat_correct(solution, capsys):
    r = check_sample_categorical(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(CAT_WRONG))
def test_cat_mistakes(name):
    r = check_sample_categorical(CAT_WRONG[name])
    assert _named(r, name), (r.mistakes, r.message)


def test_cat_argmax_fallback_is_the_round_off_mistake():
    r = check_sample_categorical(_cat_wrong_argmax)
    assert _named(r, "index K"), (r.mistakes, r.message)


def test_cat_stub_in_place_and_generic():
    assert check_sample_categorical(stub).status == "not attempted"

    def sorts_in_place(probs, u):
        u.sort()                                      # changes the caller's u
        return cat_searchsorted(probs, u)
    r = check_sample_categorical(sorts_in_place)
    assert r.status == "failed" and "in place" in r.mistakes and "u" in r.message

    def most_likely_first(probs, u):                 # a sampler, but not this inverse CDF
        order = np.argsort(-np.asarray(probs, dtype=float), kind="stable")
        return order[cat_searchsorted(np.asarray(probs)[order], u)]
    r = check_sample_categorical(most_likely_first)
    assert r.status == "failed" and r.mistakes == [] and "expected [" in r.message
    r = check_sample_categorical(lambda p, u: cat_searchsorted(p, u)[:1])
    assert r.status == "failed" and "shape" in r.message


def test_cat_sweep_catches_what_the_cases_miss():
    def small_K_only(probs, u):                       # wrong beyond 10 categories
        k = cat_searchsorted(probs, u)
        return k if len(probs) <= 10 else np.zeros_like(k)
    r = check_sample_categorical(small_K_only)
    assert r.status == "failed" and "random inputs failed" in r.message


def test_cat_oracles_agree_with_exact_fractions():
    """The counted-ticket oracle equals the definition in exact fractions on every sweep input,
    and the hand-picked non-dyadic cases (ten 0.1's, a softmax) agree with a float cumsum."""
    rng = np.random.default_rng(12)
    for i in range(200):
        made = P._cat_input(rng, i)
        probs, u = made.args
        np.testing.assert_array_equal(made.expected, P._exact_categories(probs, u))
    tenth = np.full(10, 0.1)
    u = np.array([0.0, 0.05, 0.1, 0.2, 0.55, 0.95, float(np.nextafter(1.0, 0.0))])
    np.testing.assert_array_equal(P._exact_categories(tenth, u), [0, 0, 1, 2, 5, 9, 9])
    np.testing.assert_array_equal(cat_searchsorted(tenth, u), [0, 0, 1, 2, 5, 9, 9])


# --------------------------------------------------------------------------------------------
# interval_probability
# --------------------------------------------------------------------------------------------

def ip_cdf(dist, a, b):
    p = float(dist.cdf(b)) - float(dist.cdf(a))
    return p + float(dist.prob(a)) if dist.discrete else p


def ip_sum_pmf(dist, a, b):                           # discrete: add up the PMF; else the CDF
    if not dist.discrete:
        return float(dist.cdf(b) - dist.cdf(a))
    ks = np.arange(math.ceil(a), math.floor(b) + 1)
    return float(np.sum(dist.prob(ks))) if len(ks) else 0.0


def _wrong_one_minus(dist, a, b):                     # survival functions: loses the far tail
    p = (1 - float(dist.cdf(a))) - (1 - float(dist.cdf(b)))
    return p + float(dist.prob(a)) if dist.discrete else p


def _wrong_erf(dist, a, b):                           # ½(1 + erf) written out for the Normal
    if isinstance(dist, Normal):
        Phi = lambda x: 0.5 * (1 + math.erf((x - float(dist.loc)) / (float(dist.scale) * 2 ** 0.5)))
        return Phi(b) - Phi(a)
    return ip_cdf(dist, a, b)


IP_WRONG = {
    "density as probability": lambda d, a, b: float(d.prob(b)) - float(d.prob(a)),
    "density times width": lambda d, a, b: float(d.prob((a + b) / 2)) * (b - a),
    "P(X = a) lost": lambda d, a, b: float(d.cdf(b)) - float(d.cdf(a)),
    "a − 1": lambda d, a, b: (float(d.cdf(b)) - float(d.cdf(a - 1))) if d.discrete
    else float(d.cdf(b)) - float(d.cdf(a)),
    "density added": lambda d, a, b: float(d.cdf(b)) - float(d.cdf(a)) + float(d.prob(a)),
    "reversed": lambda d, a, b: -ip_cdf(d, a, b),
    "complement": lambda d, a, b: 1 - ip_cdf(d, a, b),
    "only F(b)": lambda d, a, b: float(d.cdf(b)),
    "b excluded": lambda d, a, b: ip_sum_pmf(d, a, b) - float(d.prob(b)) if d.discrete
    else ip_cdf(d, a, b),
    "lost the lower tail": _wrong_one_minus,
}


@pytest.mark.parametrize("solution", [ip_cdf, ip_sum_pmf])
def test_ip_correct(solution, capsys):
    r = check_interval_probability(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(IP_WRONG))
def test_ip_mistakes(name):
    r = check_interval_probability(IP_WRONG[name])
    assert _named(r, name), (r.mistakes, r.message)


def test_ip_erf_written_out_loses_the_tail():
    r = check_interval_probability(_wrong_erf)
    assert _named(r, "lost the lower tail"), (r.mistakes, r.message)


def test_ip_stub_and_generic():
    assert check_interval_probability(stub).status == "not attempted"
    r = check_interval_probability(lambda d, a, b: 0.99 * ip_cdf(d, a, b))
    assert r.status == "failed" and r.mistakes == [] and "expected" in r.message
    assert "dist.prob(a) when dist.discrete" in r.message
    r = check_interval_probability(lambda d, a, b: np.array([ip_cdf(d, a, b)]))
    assert r.status == "failed" and "shape (1,)" in r.message


def test_ip_sweep_catches_what_the_cases_miss():
    def exponential_scale(dist, a, b):                # right except for rates above 10
        if isinstance(dist, Exponential) and float(dist.rate) > 10:
            return ip_cdf(Exponential(1 / float(dist.rate)), a, b)
        return ip_cdf(dist, a, b)
    r = check_interval_probability(exponential_scale)
    assert r.status == "failed" and "random inputs failed" in r.message


def test_ip_oracle_agrees_with_independent_formulas():
    """Closed forms worked independently: Φ(1.96) − Φ(−1.96) by erfc, a Poisson sum by factorials,
    the exponential by exp; and Normal.cdf differences on the sweep's tail inputs."""
    assert P._interval_exact(Normal(0.0, 1.0), -1.96, 1.96)[0] == \
        pytest.approx(1 - math.erfc(1.96 / math.sqrt(2)), rel=1e-14)
    lam = 3.5
    assert P._interval_exact(Poisson(lam), 2, 4)[0] == pytest.approx(
        sum(lam ** k * math.exp(-lam) / math.factorial(k) for k in (2, 3, 4)), rel=1e-14)
    assert P._interval_exact(Poisson(lam), 0.2, 0.8)[0] == 0.0
    assert P._interval_exact(Exponential(2.0), -1.0, 0.5)[0] == pytest.approx(1 - math.exp(-1),
                                                                              rel=1e-15)
    assert P._interval_exact(Categorical(np.array([0.2, 0.5, 0.3])), 1, 2)[0] == \
        pytest.approx(0.8, rel=1e-15)
    assert P._interval_exact(Bernoulli(0.3), -1.0, 0.5)[0] == pytest.approx(0.7, rel=1e-15)
    tail = P._interval_exact(Normal(0.0, 1.0), -12.0, -11.0)[0]
    r2 = math.sqrt(2)
    assert tail == pytest.approx(0.5 * (math.erfc(11 / r2) - math.erfc(12 / r2)), rel=1e-13)
    rng = np.random.default_rng(3)
    for i in range(60):
        dist, a, b = P._interval_input(rng, i)
        assert a <= b
        exact = P._interval_exact(dist, a, b)[0]
        assert exact == pytest.approx(ip_cdf(dist, a, b), rel=1e-8, abs=1e-12)
