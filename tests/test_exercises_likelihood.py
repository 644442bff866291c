"""The notebook-15 checkers (dlmath/exercises/likelihood.py): correct solutions pass (two
different ones each), each catalogued mistake — written as real wrong code — is caught under its
own name, a stub is "not attempted", uncatalogued wrong solutions get expected-vs-got, an
input-mutating one the in-place hint, the sweep catches what the hand-picked cases miss, and the
sweeps' oracles agree with independent computations."""
from fractions import Fraction
import math

import numpy as np
import pytest

from dlmath.exercises import (check_credible_interval, check_gaussian_nll,
                              check_logistic_nll_and_grad)
from dlmath.exercises import likelihood as L


def stub(*args):
    raise NotImplementedError


def _named(result, name):
    return result.status == "failed" and result.mistakes and result.mistakes[0] == name


# --------------------------------------------------------------------------------------------
# gaussian_nll
# --------------------------------------------------------------------------------------------

def _parts(y, mu, sigma):
    y, mu = np.asarray(y, dtype=float), np.asarray(mu, dtype=float)
    s = np.asarray(sigma, dtype=float) * np.ones_like(y)
    return y, mu, s


def nll_vector(y, mu, sigma):
    y, mu, s = _parts(y, mu, sigma)
    z = (y - mu) / s                                 # σ² never formed: σ may be 10⁻²⁰⁰
    return float(np.mean(0.5 * np.log(2 * np.pi) + np.log(s) + 0.5 * z * z))


def nll_loop(y, mu, sigma):                          # one observation at a time, math only
    sig = [float(sigma)] * len(y) if np.ndim(sigma) == 0 else [float(v) for v in sigma]
    total = 0.0
    for yi, mi, si in zip(y, mu, sig):
        z = (float(yi) - float(mi)) / si
        total += math.log(si) + 0.5 * math.log(2 * math.pi) + 0.5 * z * z
    return total / len(y)


def _nll_variant(fn):
    def wrong(y, mu, sigma):
        y, mu, s = _parts(y, mu, sigma)
        return fn(y, mu, s)
    return wrong


NLL_WRONG = {
    "log σ dropped": _nll_variant(lambda y, m, s: np.mean(0.5 * np.log(2 * np.pi)
                                                          + (y - m) ** 2 / (2 * s ** 2))),
    "½ missing on the square": _nll_variant(lambda y, m, s: np.mean(
        0.5 * np.log(2 * np.pi * s ** 2) + (y - m) ** 2 / s ** 2)),
    "½ missing on the log": _nll_variant(lambda y, m, s: np.mean(
        np.log(2 * np.pi * s ** 2) + (y - m) ** 2 / (2 * s ** 2))),
    "log σ² not halved": _nll_variant(lambda y, m, s: np.mean(
        0.5 * np.log(2 * np.pi) + np.log(s ** 2) + (y - m) ** 2 / (2 * s ** 2))),
    "log 2π dropped": _nll_variant(lambda y, m, s: np.mean(np.log(s) + (y - m) ** 2
                                                           / (2 * s ** 2))),
    "σ used as the variance": _nll_variant(lambda y, m, s: np.mean(
        0.5 * np.log(2 * np.pi * s) + (y - m) ** 2 / (2 * s))),
    "σ not squared in the quadratic term": _nll_variant(lambda y, m, s: np.mean(
        0.5 * np.log(2 * np.pi * s ** 2) + (y - m) ** 2 / (2 * s))),
    "sum instead of mean": _nll_variant(lambda y, m, s: np.sum(
        0.5 * np.log(2 * np.pi * s ** 2) + (y - m) ** 2 / (2 * s ** 2))),
    "log-likelihood returned": lambda y, m, s: -nll_vector(y, m, s),
    "log of the density": _nll_variant(lambda y, m, s: -np.mean(np.log(
        np.exp(-(y - m) ** 2 / (2 * s ** 2)) / np.sqrt(2 * np.pi * s ** 2)))),
    "σ² formed": _nll_variant(lambda y, m, s: np.mean(
        0.5 * np.log(2 * np.pi * s ** 2) + (y - m) ** 2 / (2 * s ** 2))),
    "per-observation values returned": _nll_variant(lambda y, m, s: 0.5 * np.log(
        2 * np.pi * s ** 2) + (y - m) ** 2 / (2 * s ** 2)),
    "mean squared error returned": _nll_variant(lambda y, m, s: np.mean((y - m) ** 2)),
}


@pytest.mark.parametrize("solution", [nll_vector, nll_loop])
def test_gaussian_nll_correct(solution, capsys):
    r = check_gaussian_nll(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(NLL_WRONG))
def test_gaussian_nll_mistakes(name):
    r = check_gaussian_nll(NLL_WRONG[name])
    assert _named(r, name), (r.mistakes, r.message)


def test_gaussian_nll_stub_generic_in_place():
    assert check_gaussian_nll(stub).status == "not attempted"
    r = check_gaussian_nll(lambda y, mu, sigma: 1.01 * nll_vector(y, mu, sigma))
    assert r.status == "failed" and r.mistakes == [] and "expected" in r.message
    assert "(yᵢ − μᵢ)²/(2σᵢ²)" in r.message

    def centred_in_place(y, mu, sigma):
        y -= mu                                      # changes the caller's y
        return nll_vector(y, np.zeros_like(y), sigma)
    r = check_gaussian_nll(centred_in_place)
    assert r.status == "failed" and ("in place" in r.mistakes
                                     or "integer array in place" in r.mistakes)


def test_gaussian_nll_sweep_catches_what_the_cases_miss():
    def mean_sigma(y, mu, sigma):                    # one σ for all, when there are many
        s = np.mean(sigma) if np.ndim(sigma) and len(sigma) > 3 else sigma
        return nll_vector(y, mu, s)
    r = check_gaussian_nll(mean_sigma)
    assert r.status == "failed" and "random inputs failed" in r.message


def test_gaussian_nll_oracle_agrees_with_the_formula():
    rng = np.random.default_rng(3)
    for i in range(12):
        y, mu, sigma = L._nll_input(rng, i)
        expected, scale = L._nll_oracle(y, mu, sigma)
        assert abs(expected - nll_loop(y, mu, sigma)) <= 1e-12 * scale + 1e-14
    # far in the tail: the oracle's log density is exact where float64's density is 0.0
    assert L._nll_oracle(np.array([1e4]), np.array([0.0]), 1.0)[0] == pytest.approx(
        0.5 * math.log(2 * math.pi) + 5e7, rel=1e-15)


# --------------------------------------------------------------------------------------------
# logistic_nll_and_grad
# --------------------------------------------------------------------------------------------

def _scores(w, b, X):
    X = np.asarray(X, dtype=float)
    return X, X @ np.asarray(w, dtype=float) + float(b)


def logistic_softplus(w, b, X, y):
    X, z = _scores(w, b, X)
    loss = np.mean(y * np.logaddexp(0, -z) + (1 - y) * np.logaddexp(0, z))
    r = 0.5 * (1 + np.tanh(z / 2)) - y                 # σ(z) − y, σ written with tanh
    return float(loss), X.T @ r / len(y), float(np.mean(r))


def logistic_pm_labels(w, b, X, y):                   # labels mapped to ±1 first, then the ±1 loss
    X, z = _scores(w, b, X)
    s = 2 * np.asarray(y) - 1
    m = s * z
    loss = np.mean(np.where(m > 0, np.log1p(np.exp(-np.abs(m))),
                            -m + np.log1p(np.exp(-np.abs(m)))))
    dm = -np.where(m > 0, np.exp(-np.abs(m)) / (1 + np.exp(-np.abs(m))),
                   1 / (1 + np.exp(-np.abs(m))))      # d/dm log(1 + e^(−m)) = −σ(−m)
    dz = s * dm
    return float(loss), X.T @ dz / len(y), float(np.mean(dz))


def _sig(z):
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-z))


def _wrong_logistic(loss_fn=None, grad_fn=None, score=None):
    """A wrong solution built from pieces: loss_fn(z, y), grad_fn(X, z, y) → (gw, gb)."""
    def good_loss(z, y):
        return np.mean(y * np.logaddexp(0, -z) + (1 - y) * np.logaddexp(0, z))

    def good_grad(X, z, y):
        r = _sig(z) - y
        return X.T @ r / len(y), float(np.mean(r))

    def wrong(w, b, X, y):
        X, z = _scores(w, b, X)
        if score is not None:
            z = score(X, w, b)
        gw, gb = (grad_fn or good_grad)(X, z, y)
        return float((loss_fn or good_loss)(z, y)), gw, gb
    return wrong


def _naive_loss(z, y):
    with np.errstate(divide="ignore", invalid="ignore"):
        p = _sig(z)
        return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def _eps_loss(z, y):
    p = _sig(z)
    return -np.mean(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))


LOGISTIC_WRONG = {
    "log of σ": _wrong_logistic(loss_fn=_naive_loss),
    "ε inside the log": _wrong_logistic(loss_fn=_eps_loss),
    "gradient sign flipped": _wrong_logistic(grad_fn=lambda X, z, y: (
        X.T @ (y - _sig(z)) / len(y), float(np.mean(y - _sig(z))))),
    "gradients summed, loss averaged": _wrong_logistic(grad_fn=lambda X, z, y: (
        X.T @ (_sig(z) - y), float(np.sum(_sig(z) - y)))),
    "loss summed": _wrong_logistic(loss_fn=lambda z, y: np.sum(
        y * np.logaddexp(0, -z) + (1 - y) * np.logaddexp(0, z))),
    "±1-label formula on 0/1 labels": _wrong_logistic(
        loss_fn=lambda z, y: np.mean(np.logaddexp(0, -y * z)),
        grad_fn=lambda X, z, y: (X.T @ (-y * _sig(-y * z)) / len(y),
                                 float(np.mean(-y * _sig(-y * z))))),
    "bias left out of the score": _wrong_logistic(
        score=lambda X, w, b: X @ np.asarray(w, dtype=float)),
    "bias gradient missing": _wrong_logistic(grad_fn=lambda X, z, y: (
        X.T @ (_sig(z) - y) / len(y), 0.0)),
    "labels swapped": _wrong_logistic(
        loss_fn=lambda z, y: np.mean((1 - y) * np.logaddexp(0, -z) + y * np.logaddexp(0, z)),
        grad_fn=lambda X, z, y: (X.T @ (_sig(z) - (1 - y)) / len(y),
                                 float(np.mean(_sig(z) - (1 - y))))),
    "σ overflows in the gradient": _wrong_logistic(grad_fn=lambda X, z, y: (
        X.T @ (np.exp(z) / (1 + np.exp(z)) - y) / len(y),
        float(np.mean(np.exp(z) / (1 + np.exp(z)) - y)))),
    "grad_b summed": _wrong_logistic(grad_fn=lambda X, z, y: (
        X.T @ (_sig(z) - y) / len(y), float(np.sum(_sig(z) - y)))),
    "gradient with respect to z": _wrong_logistic(grad_fn=lambda X, z, y: (
        (_sig(z) - y) / len(y), float(np.mean(_sig(z) - y)))),
}


@pytest.mark.parametrize("solution", [logistic_softplus, logistic_pm_labels])
def test_logistic_correct(solution, capsys):
    r = check_logistic_nll_and_grad(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(LOGISTIC_WRONG))
def test_logistic_mistakes(name):
    r = check_logistic_nll_and_grad(LOGISTIC_WRONG[name])
    assert _named(r, name), (r.mistakes, r.message)


def test_logistic_stub_generic_in_place():
    assert check_logistic_nll_and_grad(stub).status == "not attempted"

    def grad_times_two(w, b, X, y):
        loss, gw, gb = logistic_softplus(w, b, X, y)
        return loss, 2 * gw, gb
    r = check_logistic_nll_and_grad(grad_times_two)
    assert r.status == "failed" and r.mistakes == [] and "grad_w: expected" in r.message

    def no_tuple(w, b, X, y):
        return logistic_softplus(w, b, X, y)[0]
    r = check_logistic_nll_and_grad(no_tuple)
    assert r.status == "failed" and "tuple (loss, grad_w, grad_b)" in r.message

    def normalise_in_place(w, b, X, y):
        X /= 1.0                                       # in place (fails on integer X, too)
        return logistic_softplus(w, b, X, y)

    def w_in_place(w, b, X, y):
        out = logistic_softplus(w, b, X, y)
        w[...] = 0
        return out
    for fn in (normalise_in_place, w_in_place):
        r = check_logistic_nll_and_grad(fn)
        assert r.status == "failed" and ("in place" in r.mistakes
                                         or "integer array in place" in r.mistakes), r.message


def test_logistic_sweep_catches_what_the_cases_miss():
    def first_feature_only(w, b, X, y):               # drops every feature but the first if d > 2
        X = np.asarray(X, dtype=float)
        if X.shape[1] > 2:
            loss, gw, gb = logistic_softplus(np.asarray(w)[:1], b, X[:, :1], y)
            return loss, np.concatenate([gw, np.zeros(X.shape[1] - 1)]), gb
        return logistic_softplus(w, b, X, y)
    r = check_logistic_nll_and_grad(first_feature_only)
    assert r.status == "failed" and "random inputs failed" in r.message


def test_logistic_oracle_agrees_with_the_closed_form():
    rng = np.random.default_rng(4)
    for i in range(10):
        w, b, X, y = L._logistic_input(rng, i)
        loss, gw, gb, (sl, sw, sb) = L._logistic_oracle(w, b, X, y)
        X_, z = _scores(w, b, X)
        assert np.max(np.abs(z)) <= 1000
        r = _sig(z) - y                                # the derived gradient σ(z) − y
        assert loss == pytest.approx(np.mean(y * np.logaddexp(0, -z)
                                             + (1 - y) * np.logaddexp(0, z)), rel=1e-12, abs=1e-15)
        np.testing.assert_allclose(gw, X_.T @ r / len(y), rtol=1e-9, atol=1e-12 * (1 + sw.max()))
        assert gb == pytest.approx(np.mean(r), rel=1e-9, abs=1e-12)


# --------------------------------------------------------------------------------------------
# credible_interval
# --------------------------------------------------------------------------------------------

def ci_searchsorted(grid, log_prior, log_lik, level):
    lp = np.asarray(log_prior, dtype=float) + log_lik
    m = np.exp(lp - np.max(lp))
    F = np.cumsum(m / m.sum())
    return grid[np.searchsorted(F, (1 - level) / 2)], grid[np.searchsorted(F, (1 + level) / 2)]


def ci_loop(grid, log_prior, log_lik, level):        # walk the grid once, math only
    lp = [float(a) + float(b) for a, b in zip(log_prior, log_lik)]
    top = max(lp)
    mass = [math.exp(v - top) for v in lp]
    total = sum(mass)
    lo = hi = None
    run = 0.0
    for g, m in zip(grid, mass):
        run += m / total
        if lo is None and run >= (1 - level) / 2:
            lo = g
        if hi is None and run >= (1 + level) / 2:
            hi = g
    return lo, hi if hi is not None else grid[-1]


def _ci_from_mass(transform_F=None, post=None, thresholds=None, shift=0, ret=None):
    def wrong(grid, log_prior, log_lik, level):
        lp = (post or (lambda a, b: a + b))(np.asarray(log_prior, dtype=float),
                                            np.asarray(log_lik, dtype=float))
        m = np.exp(lp - np.max(lp))
        m = m / m.sum()
        F = np.cumsum(m) if transform_F is None else transform_F(m, grid)
        q = thresholds(level) if thresholds else ((1 - level) / 2, (1 + level) / 2)
        k = [int(np.clip(np.searchsorted(F, t) + shift, 0, len(grid) - 1)) for t in q]
        return ret(grid, k) if ret else (grid[k[0]], grid[k[1]])
    return wrong


def ci_no_shift(grid, log_prior, log_lik, level):
    with np.errstate(over="ignore", invalid="ignore"):
        m = np.exp(np.asarray(log_prior) + log_lik)
        F = np.cumsum(m / m.sum())
    return grid[min(np.searchsorted(F, (1 - level) / 2), len(grid) - 1)], \
        grid[min(np.searchsorted(F, (1 + level) / 2), len(grid) - 1)]


def ci_hdi(grid, log_prior, log_lik, level):
    lp = np.asarray(log_prior, dtype=float) + log_lik
    m = np.exp(lp - np.max(lp))
    m = m / m.sum()
    order = np.argsort(-m, kind="stable")
    keep = order[:np.searchsorted(np.cumsum(m[order]), level) + 1]
    return grid[keep.min()], grid[keep.max()]


def ci_nearest(grid, log_prior, log_lik, level):
    lp = np.asarray(log_prior, dtype=float) + log_lik
    m = np.exp(lp - np.max(lp))
    F = np.cumsum(m / m.sum())
    return (grid[np.argmin(np.abs(F - (1 - level) / 2))],
            grid[np.argmin(np.abs(F - (1 + level) / 2))])


def _trapezoid_F(m, grid):
    F = np.concatenate([[0.0], np.cumsum((m[1:] + m[:-1]) / 2)])
    return F / F[-1] if F[-1] > 0 else F


def ci_unnormalised(grid, log_prior, log_lik, level):
    lp = np.asarray(log_prior, dtype=float) + log_lik
    F = np.cumsum(np.exp(lp - np.max(lp)))
    return grid[min(np.searchsorted(F, (1 - level) / 2), len(grid) - 1)], \
        grid[min(np.searchsorted(F, (1 + level) / 2), len(grid) - 1)]


def ci_separate_shifts(grid, log_prior, log_lik, level):
    a = np.asarray(log_prior, dtype=float)
    b = np.asarray(log_lik, dtype=float)
    with np.errstate(invalid="ignore"):
        m = np.exp(a - a.max()) * np.exp(b - b.max())
        F = np.cumsum(m / m.sum())
    k = [min(int(np.searchsorted(F, q)), len(grid) - 1) for q in ((1 - level) / 2,
                                                                  (1 + level) / 2)]
    return grid[k[0]], grid[k[1]]


CI_WRONG = {
    "factors shifted separately": ci_separate_shifts,
    "prior forgotten": _ci_from_mass(post=lambda a, b: b),
    "likelihood forgotten": _ci_from_mass(post=lambda a, b: a),
    "prior subtracted": _ci_from_mass(post=lambda a, b: np.where(np.isinf(a), -np.inf, b - a)),
    "masses not normalised": ci_unnormalised,
    "no max-shift": ci_no_shift,
    "tails not halved": _ci_from_mass(thresholds=lambda lv: (1 - lv, lv)),
    "indices returned": _ci_from_mass(ret=lambda grid, k: (k[0], k[1])),
    "density, not mass": _ci_from_mass(transform_F=lambda m, grid: np.cumsum(
        m / (grid[1] - grid[0] if len(grid) > 1 else 1.0))),
    "trapezoid CDF": _ci_from_mass(transform_F=_trapezoid_F),
    "one grid point early": _ci_from_mass(shift=-1),
    "one grid point late": _ci_from_mass(shift=+1),
    "nearest cumulative mass": ci_nearest,
    "highest-density interval": ci_hdi,
    "lo and hi swapped": _ci_from_mass(ret=lambda grid, k: (grid[k[1]], grid[k[0]])),
}


@pytest.mark.parametrize("solution", [ci_searchsorted, ci_loop])
def test_credible_interval_correct(solution, capsys):
    r = check_credible_interval(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(CI_WRONG))
def test_credible_interval_mistakes(name):
    r = check_credible_interval(CI_WRONG[name])
    assert _named(r, name), (r.mistakes, r.message)


def test_credible_interval_stub_generic_in_place():
    assert check_credible_interval(stub).status == "not attempted"

    def interpolated(grid, log_prior, log_lik, level):   # between grid points: not grid values
        lo, hi = ci_searchsorted(grid, log_prior, log_lik, level)
        step = grid[1] - grid[0] if len(grid) > 1 else 1.0
        return lo - 0.3 * step, hi - 0.3 * step
    r = check_credible_interval(interpolated)
    assert r.status == "failed" and r.mistakes == [] and "expected (lo, hi)" in r.message

    def add_in_place(grid, log_prior, log_lik, level):
        log_lik += log_prior                             # changes the caller's log_lik
        return ci_searchsorted(grid, np.zeros_like(log_prior), log_lik, level)
    r = check_credible_interval(add_in_place)
    assert r.status == "failed" and "in place" in r.mistakes and "log_lik" in r.message


def test_credible_interval_sweep_catches_what_the_cases_miss():
    def short_grids_only(grid, log_prior, log_lik, level):   # the prior dropped for K > 12
        if len(grid) > 12:
            return ci_searchsorted(grid, np.zeros_like(log_prior), log_lik, level)
        return ci_searchsorted(grid, log_prior, log_lik, level)
    r = check_credible_interval(short_grids_only)
    assert r.status == "failed" and "random inputs failed" in r.message


def test_credible_interval_counting_oracle():
    """The sweep's exact answer agrees with an independent float computation (margins are
    ≥ 10⁻⁹, so round-off cannot change it), and the counting itself on a hand example."""
    rng = np.random.default_rng(5)
    for i in range(25):
        given = L._ci_input(rng, i)
        grid, lp, ll, level = given.args
        assert ci_loop(grid, lp, ll, level) == pytest.approx(given.expected, abs=1e-12)
    k_lo, k_hi, margin = L._counted_interval([1, 1, 1, 1], [1, 2, 3, 4], 0.5)
    # masses 1, 2, 3, 4 of 10: F = .1, .3, .6, 1; thresholds .25 and .75
    assert (k_lo, k_hi) == (1, 3) and margin == pytest.approx(float(Fraction(1, 20)))
