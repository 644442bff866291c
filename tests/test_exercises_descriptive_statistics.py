"""The notebook-14 checkers (dlmath/exercises/descriptive_statistics.py): correct solutions pass
(two different ones each), each catalogued mistake — written as real wrong code — is caught under
its own name, a stub is "not attempted", uncatalogued wrong solutions get expected-vs-got with the
generic hint, an input-mutating one the in-place hint, and each sweep's oracle agrees with an
independent computation (NumPy two-pass statistics, dlmath's BatchNorm1d and its autograd)."""
import math

import numpy as np
import pytest

import dlmath
from dlmath.exercises import (check_batchnorm_backward, check_batchnorm_forward,
                              check_running_mean_var)
from dlmath.exercises.descriptive_statistics import (_bn_backward_oracle, _bn_forward_oracle,
                                                     _exact_prefix)


def stub(*args, **kwargs):
    raise NotImplementedError


def _named(result, name):
    return result.status == "failed" and result.mistakes and result.mistakes[0] == name


# --------------------------------------------------------------------------------------------
# running_mean_var
# --------------------------------------------------------------------------------------------

def rmv_welford(xs, ddof=0, dtype=np.float64):
    means, variances = np.empty(len(xs)), np.empty(len(xs))
    mean = m2 = dtype(0.0)
    for k, x in enumerate(xs, start=1):
        x = dtype(x)
        delta = x - mean
        mean += delta / k
        m2 += delta * (x - mean)
        means[k - 1] = mean
        variances[k - 1] = m2 / (k - ddof) if k > ddof else np.nan
    return means, variances


def rmv_prefix_two_pass(xs, ddof=0):                   # slow but right: np.var of every prefix
    xs = np.asarray(xs, dtype=float)
    means = np.array([xs[:k].mean() for k in range(1, len(xs) + 1)])
    variances = np.array([xs[:k].var(ddof=ddof) if k > ddof else np.nan
                          for k in range(1, len(xs) + 1)])
    return means, variances


def _welford_with(update, denominator=lambda k, ddof: k - ddof, nan=True, sqrt=False):
    def fn(xs, ddof=0):
        means, variances = [], []
        mean = m2 = 0.0
        for k, x in enumerate(xs, start=1):
            x = float(x)
            old = mean
            mean = old + (x - old) / k
            m2 += update(x, old, mean)
            d = denominator(k, ddof)
            means.append(mean)
            variances.append(m2 / d if d > 0 else (math.nan if nan else 0.0))
        v = np.sqrt(variances) if sqrt else np.array(variances)
        return np.array(means), v
    return fn


_CORRECT_UPDATE = lambda x, old, new: (x - old) * (x - new)


def rmv_floor(xs, ddof=0):                            # mean += delta // k
    means, variances = np.empty(len(xs)), np.empty(len(xs))
    mean = m2 = 0.0
    for k, x in enumerate(xs, start=1):
        delta = x - mean
        mean += delta // k
        m2 += delta * (x - mean)
        means[k - 1] = mean
        variances[k - 1] = m2 / (k - ddof) if k > ddof else np.nan
    return means, variances


def rmv_naive(xs, ddof=0):
    xs = np.asarray(xs, dtype=float)
    n = np.arange(1, len(xs) + 1)
    means = np.cumsum(xs) / n
    m2 = np.cumsum(xs ** 2) - n * means ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        return means, np.where(n > ddof, m2 / (n - ddof), np.nan)


def rmv_whole_mean(xs, ddof=0):
    xs = np.asarray(xs, dtype=float)
    n = np.arange(1, len(xs) + 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (np.cumsum(xs) / n,
                np.where(n > ddof, np.cumsum((xs - xs.mean()) ** 2) / (n - ddof), np.nan))


RMV_WRONG = {
    "ddof reversed": _welford_with(_CORRECT_UPDATE, lambda k, ddof: k - (1 - ddof)),
    "ddof ignored": _welford_with(_CORRECT_UPDATE, lambda k, ddof: k),
    "always n − 1": _welford_with(_CORRECT_UPDATE, lambda k, ddof: k - 1),
    "naive formula": rmv_naive,
    "new mean twice": _welford_with(lambda x, old, new: (x - new) ** 2),
    "old mean twice": _welford_with(lambda x, old, new: (x - old) ** 2),
    "whole-data mean": rmv_whole_mean,
    "M2 not divided": _welford_with(_CORRECT_UPDATE, lambda k, ddof: 1),
    "standard deviation": _welford_with(_CORRECT_UPDATE, sqrt=True),
    "0 instead of nan": _welford_with(_CORRECT_UPDATE, nan=False),
    "swapped": lambda xs, ddof=0: rmv_welford(xs, ddof)[::-1],
    "final values only": lambda xs, ddof=0: tuple(a[-1] for a in rmv_welford(xs, ddof)),
    "integer arithmetic": lambda xs, ddof=0: tuple(np.array(a, dtype=np.asarray(xs).dtype)
                                                   for a in rmv_welford(xs, ddof)),
    "floor division": rmv_floor,
    "float32": lambda xs, ddof=0: rmv_welford(np.asarray(xs, dtype=np.float32), ddof,
                                              dtype=np.float32),
}


@pytest.mark.parametrize("solution", [rmv_welford, rmv_prefix_two_pass])
def test_running_mean_var_correct(solution, capsys):
    r = check_running_mean_var(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(RMV_WRONG))
def test_running_mean_var_mistakes(name):
    r = check_running_mean_var(RMV_WRONG[name])
    assert _named(r, name), (r.mistakes, r.message)


def test_running_mean_var_stub_generic_in_place():
    assert check_running_mean_var(stub).status == "not attempted"

    def lagged(xs, ddof=0):                            # statistics of the previous prefix
        m, v = rmv_welford(xs, ddof)
        return np.r_[m[:1], m[:-1]], np.r_[v[:1], v[:-1]]
    r = check_running_mean_var(lagged)
    assert r.status == "failed" and r.mistakes == [] and "expected" in r.message
    assert "M2 += delta · (x − mean)" in r.message

    def sorted_first(xs, ddof=0):                      # sorts the caller's data in place
        xs.sort()
        return rmv_welford(xs, ddof)
    r = check_running_mean_var(sorted_first)
    assert r.status == "failed" and "in place" in r.mistakes and "xs" in r.message


def test_running_mean_var_sweep_catches_what_the_cases_miss():
    def short_only(xs, ddof=0):                        # ddof dropped beyond 100 values
        return rmv_welford(xs, ddof if len(xs) <= 100 or len(xs) == 300 else 0)
    r = check_running_mean_var(short_only)
    assert r.status == "failed" and "random inputs failed" in r.message


def test_running_mean_var_oracle_is_exact():
    means, variances = _exact_prefix(np.array([2.0, 4, 4, 4, 5, 5, 7, 9]), 0)
    assert means[-1] == 5 and variances[-1] == 4
    assert _exact_prefix(np.array([2.0, 4, 4, 4, 5, 5, 7, 9]), 1)[1][-1] == 32 / 7
    rng = np.random.default_rng(3)
    xs = rng.standard_normal(40) * 3 + 1
    m, v = _exact_prefix(xs, 1)
    assert np.allclose(m, np.cumsum(xs) / np.arange(1, 41), rtol=1e-14)
    assert np.isnan(v[0]) and np.allclose(v[1:], [xs[:k].var(ddof=1) for k in range(2, 41)],
                                          rtol=1e-12)
    shifted = 1e9 + rng.standard_normal(200)          # two-pass in float64 is accurate here
    assert np.allclose(_exact_prefix(shifted, 0)[1][-1], np.var(shifted), rtol=1e-9)


# --------------------------------------------------------------------------------------------
# batchnorm_forward
# --------------------------------------------------------------------------------------------

def bnf_numpy(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    x = np.asarray(x, dtype=float)
    if training:
        mu, var = x.mean(axis=0), x.var(axis=0)
        new_mean = (1 - momentum) * running_mean + momentum * mu
        new_var = (1 - momentum) * running_var + momentum * x.var(axis=0, ddof=1)
    else:
        mu, var = running_mean, running_var
        new_mean, new_var = running_mean.copy(), running_var.copy()
    return gamma * (x - mu) / np.sqrt(var + eps) + beta, new_mean, new_var


def bnf_loops(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    N, C = np.shape(x)                                 # one feature at a time, plain floats
    y, rm, rv = np.empty((N, C)), np.empty(C), np.empty(C)
    for j in range(C):
        col = [float(x[i][j]) for i in range(N)]
        if training:
            mu = sum(col) / N
            ss = sum((c - mu) ** 2 for c in col)
            m, v = mu, ss / N
            rm[j] = (1 - momentum) * running_mean[j] + momentum * mu
            rv[j] = (1 - momentum) * running_var[j] + momentum * ss / (N - 1)
        else:
            m, v = running_mean[j], running_var[j]
            rm[j], rv[j] = m, v
        for i in range(N):
            y[i, j] = gamma[j] * (col[i] - m) / math.sqrt(v + eps) + beta[j]
    return y, rm, rv


def _bnf_with(**kw):
    """bnf_numpy with one classic mistake."""
    def fn(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
        x = np.asarray(x, dtype=float)
        axis = 1 if kw.get("axis1") else 0
        g, b = (beta, gamma) if kw.get("swap") else (gamma, beta)
        use_batch = training != kw.get("flip_stats", False)
        if use_batch:
            mu = x.mean(axis=axis, keepdims=True)
            var = x.var(axis=axis, keepdims=True, ddof=1 if kw.get("unbiased") else 0)
            if kw.get("naive"):
                var = (x ** 2).mean(axis=axis, keepdims=True) - mu ** 2
        else:
            mu, var = running_mean, running_var
        if kw.get("eps_outside"):
            y = g * (x - mu) / (np.sqrt(var) + eps) + b
        elif kw.get("no_eps"):
            y = g * (x - mu) / np.sqrt(var) + b
        else:
            y = g * (x - mu) / np.sqrt(var + eps) + b
        update = training != kw.get("flip_update", False)
        if not update:
            return y, running_mean.copy(), running_var.copy()
        m = 1 - momentum if kw.get("reversed") else momentum
        bmu = x.mean(axis=axis)
        bvar = x.var(axis=axis, ddof=0 if kw.get("biased_running") else 1)
        return y, (1 - m) * running_mean + m * bmu, (1 - m) * running_var + m * bvar
    return fn


def bnf_in_place(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    y, m, v = bnf_numpy(x, gamma, beta, running_mean, running_var, training, momentum, eps)
    running_mean[...] = m                              # PyTorch updates its buffers in place,
    running_var[...] = v                               # but the exercise asks for new arrays
    return y, running_mean, running_var


def bnf_returns_callers_arrays(x, gamma, beta, running_mean, running_var, training,
                               momentum=0.1, eps=1e-5):
    y, m, v = bnf_numpy(x, gamma, beta, running_mean, running_var, training, momentum, eps)
    return (y, m, v) if training else (y, running_mean, running_var)


def bnf_like_x(x, *args):                             # y allocated like (integer) x
    y, m, v = bnf_numpy(x, *args)
    out = np.empty_like(np.asarray(x))
    out[...] = y
    return out, m, v


def bnf_float32(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    c = lambda a: np.asarray(a, dtype=np.float32)
    return tuple(a.astype(float) for a in bnf_numpy(
        c(x), c(gamma), c(beta), c(running_mean), c(running_var), training, np.float32(momentum),
        np.float32(eps)))


BNF_WRONG = {
    "eval statistics in training": _bnf_with(flip_stats=True, flip_update=True),
    "batch statistics in evaluation": lambda x, g, b, rm, rv, training, *a:
        _bnf_with()(x, g, b, rm, rv, True, *a)[0:1] + (rm.copy(), rv.copy()),
    "running var biased": _bnf_with(biased_running=True),
    "unbiased normalisation": _bnf_with(unbiased=True),
    "momentum reversed": _bnf_with(reversed=True),
    "running statistics not updated": lambda x, g, b, rm, rv, *a:
        bnf_numpy(x, g, b, rm, rv, *a)[0:1] + (rm.copy(), rv.copy()),
    "running statistics updated in evaluation": lambda x, g, b, rm, rv, training, *a:
        bnf_numpy(x, g, b, rm, rv, training, *a)[0:1] + bnf_numpy(x, g, b, rm, rv, True, *a)[1:],
    "eps outside the square root": _bnf_with(eps_outside=True),
    "eps forgotten": _bnf_with(no_eps=True),
    "statistics over the features": _bnf_with(axis1=True),
    "gamma and beta swapped": _bnf_with(swap=True),
    "naive variance": _bnf_with(naive=True),
    "running statistics returned themselves": bnf_returns_callers_arrays,
    "integer output": bnf_like_x,
    "float32": bnf_float32,
}


@pytest.mark.parametrize("solution", [bnf_numpy, bnf_loops])
def test_batchnorm_forward_correct(solution, capsys):
    r = check_batchnorm_forward(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(BNF_WRONG))
def test_batchnorm_forward_mistakes(name):
    r = check_batchnorm_forward(BNF_WRONG[name])
    assert _named(r, name), (r.mistakes, r.message)


def test_batchnorm_forward_stub_generic_in_place():
    assert check_batchnorm_forward(stub).status == "not attempted"
    r = check_batchnorm_forward(bnf_in_place)
    assert r.status == "failed" and "in place" in r.mistakes and "running_mean" in r.message

    def half_momentum(x, g, b, rm, rv, training, momentum=0.1, eps=1e-5):
        return bnf_numpy(x, g, b, rm, rv, training, momentum / 2, eps)
    r = check_batchnorm_forward(half_momentum)
    assert r.status == "failed" and r.mistakes == [] and "expected" in r.message
    assert "x.var(axis=0, ddof=1)" in r.message


def test_large_variances_are_covered():
    def bnf_small_var_only(x, g, b, rm, rv, training, momentum=0.1, eps=1e-5):
        y, m, v = bnf_numpy(x, g, b, rm, rv, training, momentum, eps)
        return (y if np.max(np.var(x, axis=0)) < 1e4 else y * 1.001), m, v
    assert check_batchnorm_forward(bnf_small_var_only).status == "failed"

    def bnb_small_var_only(dy, x, gamma, eps=1e-5):
        dx, dg, db = bnb_compact(dy, x, gamma, eps)
        return (dx if np.max(np.var(x, axis=0)) < 1e4 else dx * 1.001), dg, db
    assert check_batchnorm_backward(bnb_small_var_only).status == "failed"


def test_batchnorm_forward_sweep_catches_what_the_cases_miss():
    def wide_batches_wrong(x, g, b, rm, rv, training, momentum=0.1, eps=1e-5):
        y, m, v = bnf_numpy(x, g, b, rm, rv, training, momentum, eps)
        return (y * 1.01 if np.shape(x)[1] == 5 else y), m, v
    r = check_batchnorm_forward(wide_batches_wrong)
    assert r.status == "failed" and "random inputs failed" in r.message


def test_batchnorm_forward_oracle_matches_dlmath_batchnorm1d():
    rng = np.random.default_rng(5)
    for training in (True, False):
        x = rng.normal(3, 2, (7, 4))
        bn = dlmath.nn.BatchNorm1d(4, momentum=0.3, eps=1e-3, dtype=np.float64)
        with dlmath.no_grad():
            bn.weight.data[...] = rng.normal(1, 1, 4)
            bn.bias.data[...] = rng.normal(0, 1, 4)
        bn.running_mean.data[...] = rng.normal(0, 1, 4)
        bn.running_var.data[...] = rng.uniform(0.5, 2, 4)
        args = (x, bn.weight.data.copy(), bn.bias.data.copy(), bn.running_mean.data.copy(),
                bn.running_var.data.copy(), training, 0.3, 1e-3)
        bn.train(training)
        y = bn(dlmath.tensor(x)).data
        expected = _bn_forward_oracle(*args)
        assert np.allclose(expected[0], y, rtol=1e-12, atol=1e-12)
        assert np.allclose(expected[1], bn.running_mean.data, rtol=1e-12)
        assert np.allclose(expected[2], bn.running_var.data, rtol=1e-12)


# --------------------------------------------------------------------------------------------
# batchnorm_backward
# --------------------------------------------------------------------------------------------

def bnb_compact(dy, x, gamma, eps=1e-5):
    x = np.asarray(x, dtype=float)
    inv = 1 / np.sqrt(x.var(axis=0) + eps)
    xhat = (x - x.mean(axis=0)) * inv
    g = dy * gamma
    dx = inv * (g - g.mean(axis=0) - xhat * (g * xhat).mean(axis=0))
    return dx, (dy * xhat).sum(axis=0), dy.sum(axis=0)


def bnb_three_paths(dy, x, gamma, eps=1e-5):          # the chain rule node by node
    x = np.asarray(x, dtype=float)
    N = len(x)
    mu = x.mean(axis=0)
    xc = x - mu
    var = (xc ** 2).mean(axis=0)
    inv = (var + eps) ** -0.5
    xhat = xc * inv
    dxhat = dy * gamma
    dvar = np.sum(dxhat * xc, axis=0) * -0.5 * (var + eps) ** -1.5
    dmu = -np.sum(dxhat * inv, axis=0) + dvar * np.sum(-2 * xc, axis=0) / N
    dx = dxhat * inv + dvar * 2 * xc / N + dmu / N
    return dx, np.sum(dy * xhat, axis=0), np.sum(dy, axis=0)


def _bnb_with(**kw):
    def fn(dy, x, gamma, eps=1e-5):
        x = np.asarray(x, dtype=float)
        N = len(x)
        inv = 1 / np.sqrt(x.var(axis=0, ddof=1 if kw.get("unbiased") else 0)
                          + (0 if kw.get("no_eps") else eps))
        xhat = (x - x.mean(axis=0)) * inv
        g = dy if kw.get("no_gamma") else dy * gamma
        mean_path = 0 if kw.get("no_mean") else g.mean(axis=0)
        var_path = 0 if kw.get("no_var") else xhat * (g * xhat).mean(axis=0)
        sign = -1 if kw.get("var_sign") else 1
        if kw.get("eps_outside"):
            inv = 1 / (x.std(axis=0) + eps)
            xhat = (x - x.mean(axis=0)) * inv
            var_path = xhat * (g * xhat).mean(axis=0)
        dx = inv * (g - mean_path - sign * var_path) * (N if kw.get("times_n") else 1)
        if kw.get("sums"):
            dx = inv * (g - g.sum(axis=0) - xhat * (g * xhat).sum(axis=0))
        dgamma = (dy * (x if kw.get("dgamma_x") else xhat)).sum(axis=kw.get("axis", 0))
        dbeta = dy.sum(axis=kw.get("axis", 0))
        if kw.get("means"):
            dgamma, dbeta = dgamma / N, dbeta / N
        if kw.get("swap"):
            dgamma, dbeta = dbeta, dgamma
        return dx, dgamma, dbeta
    return fn


BNB_WRONG = {
    "mean path missing": _bnb_with(no_mean=True),
    "variance path missing": _bnb_with(no_var=True),
    "both paths missing": _bnb_with(no_mean=True, no_var=True),
    "variance path sign": _bnb_with(var_sign=True),
    "gamma forgotten": _bnb_with(no_gamma=True),
    "unbiased variance": _bnb_with(unbiased=True),
    "eps forgotten": _bnb_with(no_eps=True),
    "factor N": _bnb_with(times_n=True),
    "dgamma from x": _bnb_with(dgamma_x=True),
    "means instead of sums": _bnb_with(means=True),
    "dgamma and dbeta swapped": _bnb_with(swap=True),
    "sum over the wrong axis": _bnb_with(axis=1),
    "eps outside the square root": _bnb_with(eps_outside=True),
    "sums in the corrections": _bnb_with(sums=True),
    "integer output": lambda dy, x, *a: (lambda r: (np.array(r[0], dtype=np.asarray(x).dtype),)
                                         + r[1:])(bnb_compact(dy, x, *a)),
    "float32": lambda dy, x, gamma, eps=1e-5: tuple(a.astype(float) for a in bnb_compact(
        np.float32(dy), np.asarray(x, dtype=np.float32), np.float32(gamma), np.float32(eps))),
}


@pytest.mark.parametrize("solution", [bnb_compact, bnb_three_paths])
def test_batchnorm_backward_correct(solution, capsys):
    r = check_batchnorm_backward(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(BNB_WRONG))
def test_batchnorm_backward_mistakes(name):
    r = check_batchnorm_backward(BNB_WRONG[name])
    assert _named(r, name), (r.mistakes, r.message)


def test_batchnorm_backward_stub_generic_in_place():
    assert check_batchnorm_backward(stub).status == "not attempted"

    def centred_in_place(dy, x, gamma, eps=1e-5):
        x -= x.mean(axis=0)                            # changes x (or fails on integer x)
        return bnb_compact(dy, x, gamma, eps)
    r = check_batchnorm_backward(centred_in_place)
    assert r.status == "failed" and ("in place" in r.mistakes
                                     or "integer array in place" in r.mistakes)

    def half_variance_path(dy, x, gamma, eps=1e-5):
        dx, dg, db = bnb_compact(dy, x, gamma, eps)
        x = np.asarray(x, dtype=float)
        inv = 1 / np.sqrt(x.var(axis=0) + eps)
        xhat = (x - x.mean(axis=0)) * inv
        return dx + 0.5 * inv * xhat * (dy * gamma * xhat).mean(axis=0), dg, db
    r = check_batchnorm_backward(half_variance_path)
    assert r.status == "failed" and r.mistakes == [] and "expected" in r.message
    assert "dbeta = dy.sum(0)" in r.message


def test_batchnorm_backward_sweep_catches_what_the_cases_miss():
    def wide_wrong(dy, x, gamma, eps=1e-5):          # the mean path dropped for 4+ features
        f = _bnb_with(no_mean=True) if np.shape(x)[1] >= 4 else bnb_compact
        return f(dy, x, gamma, eps)
    r = check_batchnorm_backward(wide_wrong)
    assert r.status == "failed" and "random inputs failed" in r.message


def test_batchnorm_backward_oracle_matches_dlmath_autograd():
    rng = np.random.default_rng(6)
    for eps in (1e-5, 0.5):
        x, dy = rng.normal(2, 3, (6, 3)), rng.standard_normal((6, 3))
        bn = dlmath.nn.BatchNorm1d(3, eps=eps, dtype=np.float64)
        with dlmath.no_grad():
            bn.weight.data[...] = rng.normal(0, 2, 3)
        xt = dlmath.tensor(x, requires_grad=True)
        (bn(xt) * dlmath.tensor(dy)).sum().backward()
        dx, dgamma, dbeta = _bn_backward_oracle(dy, x, bn.weight.data, eps)
        assert np.allclose(dx, xt.grad.data, rtol=1e-10, atol=1e-12)
        assert np.allclose(dgamma, bn.weight.grad.data, rtol=1e-12)
        assert np.allclose(dbeta, bn.bias.grad.data, rtol=1e-12)
