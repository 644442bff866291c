"""Wrong solutions for notebook 14 (descriptive statistics, batch normalisation):
``check_running_mean_var``, ``check_batchnorm_forward``, ``check_batchnorm_backward``.

Written from the exercise statements only. Every entry is a plausible learner's mistake or a
sneaky near-miss; the comment beside it names an input allowed by the statement on which it
differs from a correct implementation (or hangs, or changes the caller's arrays). Each was checked
against an independent reference in a scratch file outside the repo.
"""
import numpy as np


# ----------------------------------------------------------------------------------------------
# Exercise 1 — running_mean_var(xs, ddof=0)
# ----------------------------------------------------------------------------------------------
def _welford(xs, ddof, dtype=np.float64):
    """A correct Welford pass (used by the entries that go wrong somewhere else)."""
    n = len(xs)
    means, variances = np.empty(n), np.empty(n)
    mean, m2 = dtype(0.0), dtype(0.0)
    for k in range(n):
        x = dtype(xs[k])
        delta = x - mean
        mean = mean + delta / dtype(k + 1)
        m2 = m2 + delta * (x - mean)
        means[k] = mean
        den = k + 1 - ddof
        variances[k] = m2 / den if den > 0 else np.nan
    return means, variances


def rmv_naive_cumsum(xs, ddof=0):
    # E[x²] − E[x]² with cumulative sums: every digit lost near 1e9
    x = np.asarray(xs, dtype=float)
    k = np.arange(1, len(x) + 1)
    s1, s2 = np.cumsum(x), np.cumsum(x * x)
    with np.errstate(divide="ignore", invalid="ignore"):
        var = (s2 - s1 * s1 / k) / (k - ddof)
    var[k - ddof <= 0] = np.nan
    return s1 / k, var


def rmv_ignores_ddof(xs, ddof=0):
    return _welford(xs, 0)


def rmv_first_zero_not_nan(xs, ddof=0):
    means, variances = _welford(xs, ddof)
    variances[np.isnan(variances)] = 0.0
    return means, variances


def rmv_index_denominator(xs, ddof=0):
    # divides by k − ddof (the 0-based index) instead of k + 1 − ddof
    means, variances = _welford(xs, 0)
    k = np.arange(len(means))
    m2 = variances * (k + 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = m2 / (k - ddof)
    out[k - ddof <= 0] = np.nan
    return means, out


def rmv_m2_new_mean_squared(xs, ddof=0):
    # M2 += (x − new mean)²
    n = len(xs)
    means, variances = np.empty(n), np.empty(n)
    mean = m2 = 0.0
    for k in range(n):
        x = float(xs[k])
        mean += (x - mean) / (k + 1)
        m2 += (x - mean) ** 2
        means[k] = mean
        variances[k] = m2 / (k + 1 - ddof) if k + 1 - ddof > 0 else np.nan
    return means, variances


def rmv_m2_old_mean_squared(xs, ddof=0):
    # M2 += (x − old mean)²
    n = len(xs)
    means, variances = np.empty(n), np.empty(n)
    mean = m2 = 0.0
    for k in range(n):
        x = float(xs[k])
        delta = x - mean
        mean += delta / (k + 1)
        m2 += delta ** 2
        means[k] = mean
        variances[k] = m2 / (k + 1 - ddof) if k + 1 - ddof > 0 else np.nan
    return means, variances


def rmv_int_output(xs, ddof=0):
    # output arrays made with zeros_like(xs): integer data truncates means and variances
    xs = np.asarray(xs)
    means, variances = np.zeros_like(xs), np.zeros_like(xs)
    m, v = _welford(xs, ddof)
    with np.errstate(invalid="ignore"):
        means[:] = m
        variances[:] = v
    return means, variances


def rmv_floor_division(xs, ddof=0):
    # mean += delta // n: floor division, exact only while deltas are multiples of n
    n = len(xs)
    means, variances = np.empty(n), np.empty(n)
    mean, m2 = 0, 0
    for k in range(n):
        x = xs[k]
        delta = x - mean
        mean = mean + delta // (k + 1)
        m2 = m2 + delta * (x - mean)
        means[k] = mean
        variances[k] = m2 / (k + 1 - ddof) if k + 1 - ddof > 0 else np.nan
    return means, variances


def rmv_shift_inplace(xs, ddof=0):
    # shifts the caller's array by its first value "for stability" (and forgets to undo it)
    x = np.asarray(xs, dtype=float)
    shift = x[0]
    x -= shift
    means, variances = _welford(x, ddof)
    return means + shift, variances


def rmv_shift_not_added_back(xs, ddof=0):
    x = np.asarray(xs, dtype=float)
    return _welford(x - x[0], ddof)                       # means of the shifted data


def rmv_float32(xs, ddof=0):
    return _welford(np.asarray(xs, dtype=np.float64), ddof, dtype=np.float32)


def rmv_whole_data_repeated(xs, ddof=0):
    x = np.asarray(xs, dtype=float)
    n = len(x)
    var = np.var(x, ddof=ddof) if n - ddof > 0 else np.nan
    return np.full(n, x.mean()), np.full(n, var)


def rmv_recorded_before_update(xs, ddof=0):
    # the statistics stored before x_k is folded in: one step behind
    n = len(xs)
    means, variances = np.empty(n), np.empty(n)
    mean = m2 = 0.0
    for k in range(n):
        means[k] = mean
        variances[k] = m2 / (k + 1 - ddof) if k + 1 - ddof > 0 else np.nan
        x = float(xs[k])
        delta = x - mean
        mean += delta / (k + 1)
        m2 += delta * (x - mean)
    return means, variances


def rmv_precedence(xs, ddof=0):
    # M2 / (k+1) − ddof instead of M2 / (k+1−ddof)
    means, variances = _welford(xs, 0)
    out = variances - ddof
    if ddof:
        out[0] = np.nan
    return means, out


def rmv_cumsum_means_naive_var(xs, ddof=0):
    # means by cumsum (fine), variances by the one-pass Σx² formula around the running mean
    x = np.asarray(xs, dtype=float)
    k = np.arange(1, len(x) + 1)
    means = np.cumsum(x) / k
    with np.errstate(divide="ignore", invalid="ignore"):
        var = (np.cumsum(x * x) / k - means ** 2) * k / (k - ddof)
    var[k - ddof <= 0] = np.nan
    return means, var


def rmv_hangs_skip_repeats(xs, ddof=0):
    # "nothing changes when x equals the mean" — but the index is never advanced there
    n = len(xs)
    means, variances = np.empty(n), np.empty(n)
    mean = m2 = 0.0
    k = 0
    while k < n:
        x = float(xs[k])
        delta = x - mean
        if delta == 0:
            means[k] = mean
            variances[k] = m2 / (k + 1 - ddof) if k + 1 - ddof > 0 else np.nan
            continue
        mean += delta / (k + 1)
        m2 += delta * (x - mean)
        means[k] = mean
        variances[k] = m2 / (k + 1 - ddof) if k + 1 - ddof > 0 else np.nan
        k += 1
    return means, variances


# ----------------------------------------------------------------------------------------------
# Exercise 2 — batchnorm_forward(x, gamma, beta, running_mean, running_var, training, …)
# ----------------------------------------------------------------------------------------------
def _f(a):
    return np.asarray(a, dtype=np.float64)


def _bn_parts(x, momentum, running_mean, running_var):
    x = _f(x)
    n = x.shape[0]
    mu = x.mean(axis=0)
    var = ((x - mu) ** 2).mean(axis=0)
    unb = var * n / (n - 1)
    new_m = (1 - momentum) * _f(running_mean) + momentum * mu
    new_v = (1 - momentum) * _f(running_var) + momentum * unb
    return x, mu, var, new_m, new_v


def bnf_unbiased_normalisation(x, gamma, beta, running_mean, running_var, training,
                               momentum=0.1, eps=1e-5):
    x, mu, var, new_m, new_v = _bn_parts(x, momentum, running_mean, running_var)
    if training:
        n = x.shape[0]
        y = _f(gamma) * (x - mu) / np.sqrt(var * n / (n - 1) + eps) + _f(beta)
        return y, new_m, new_v
    y = _f(gamma) * (x - _f(running_mean)) / np.sqrt(_f(running_var) + eps) + _f(beta)
    return y, _f(running_mean).copy(), _f(running_var).copy()


def bnf_running_var_biased(x, gamma, beta, running_mean, running_var, training,
                           momentum=0.1, eps=1e-5):
    x, mu, var, new_m, _ = _bn_parts(x, momentum, running_mean, running_var)
    if training:
        y = _f(gamma) * (x - mu) / np.sqrt(var + eps) + _f(beta)
        return y, new_m, (1 - momentum) * _f(running_var) + momentum * var
    y = _f(gamma) * (x - _f(running_mean)) / np.sqrt(_f(running_var) + eps) + _f(beta)
    return y, _f(running_mean).copy(), _f(running_var).copy()


def bnf_momentum_reversed(x, gamma, beta, running_mean, running_var, training,
                          momentum=0.1, eps=1e-5):
    x, mu, var, _, _ = _bn_parts(x, momentum, running_mean, running_var)
    if training:
        n = x.shape[0]
        y = _f(gamma) * (x - mu) / np.sqrt(var + eps) + _f(beta)
        return (y, momentum * _f(running_mean) + (1 - momentum) * mu,
                momentum * _f(running_var) + (1 - momentum) * var * n / (n - 1))
    y = _f(gamma) * (x - _f(running_mean)) / np.sqrt(_f(running_var) + eps) + _f(beta)
    return y, _f(running_mean).copy(), _f(running_var).copy()


def _bn_correct(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    x, mu, var, new_m, new_v = _bn_parts(x, momentum, running_mean, running_var)
    if training:
        return _f(gamma) * (x - mu) / np.sqrt(var + eps) + _f(beta), new_m, new_v
    y = _f(gamma) * (x - _f(running_mean)) / np.sqrt(_f(running_var) + eps) + _f(beta)
    return y, _f(running_mean).copy(), _f(running_var).copy()


def bnf_running_stats_in_training(x, gamma, beta, running_mean, running_var, training,
                                  momentum=0.1, eps=1e-5):
    # normalises with the running statistics in training too (updates them correctly)
    _, new_m, new_v = _bn_correct(x, gamma, beta, running_mean, running_var, True, momentum, eps)
    y = _f(gamma) * (_f(x) - _f(running_mean)) / np.sqrt(_f(running_var) + eps) + _f(beta)
    if training:
        return y, new_m, new_v
    return y, _f(running_mean).copy(), _f(running_var).copy()


def bnf_batch_stats_in_eval(x, gamma, beta, running_mean, running_var, training,
                            momentum=0.1, eps=1e-5):
    x = _f(x)
    mu, var = x.mean(axis=0), x.var(axis=0)
    y = _f(gamma) * (x - mu) / np.sqrt(var + eps) + _f(beta)
    if training:
        _, new_m, new_v = _bn_correct(x, gamma, beta, running_mean, running_var, True,
                                      momentum, eps)
        return y, new_m, new_v
    return y, _f(running_mean).copy(), _f(running_var).copy()


def bnf_updates_in_eval(x, gamma, beta, running_mean, running_var, training,
                        momentum=0.1, eps=1e-5):
    # in evaluation the running statistics are still updated from the batch
    y, _, _ = _bn_correct(x, gamma, beta, running_mean, running_var, training, momentum, eps)
    x, mu, var = _f(x), _f(x).mean(axis=0), _f(x).var(axis=0)
    n = x.shape[0]
    unb = var * n / (n - 1) if n > 1 else var
    return (y, (1 - momentum) * _f(running_mean) + momentum * mu,
            (1 - momentum) * _f(running_var) + momentum * unb)


def bnf_eps_outside_sqrt(x, gamma, beta, running_mean, running_var, training,
                         momentum=0.1, eps=1e-5):
    x, mu, var, new_m, new_v = _bn_parts(x, momentum, running_mean, running_var)
    if training:
        return _f(gamma) * (x - mu) / (np.sqrt(var) + eps) + _f(beta), new_m, new_v
    y = _f(gamma) * (x - _f(running_mean)) / (np.sqrt(_f(running_var)) + eps) + _f(beta)
    return y, _f(running_mean).copy(), _f(running_var).copy()


def bnf_no_eps(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    return _bn_correct(x, gamma, beta, running_mean, running_var, training, momentum, 0.0)


def bnf_axis1(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    # statistics per example (row) — layer norm, not batch norm
    x = _f(x)
    if not training:
        return _bn_correct(x, gamma, beta, running_mean, running_var, False, momentum, eps)
    mu = x.mean(axis=1, keepdims=True)
    var = x.var(axis=1, keepdims=True)
    _, new_m, new_v = _bn_correct(x, gamma, beta, running_mean, running_var, True, momentum, eps)
    return _f(gamma) * (x - mu) / np.sqrt(var + eps) + _f(beta), new_m, new_v


def bnf_naive_variance(x, gamma, beta, running_mean, running_var, training,
                       momentum=0.1, eps=1e-5):
    # σ² = E[x²] − E[x]²: cancellation for features near 1e6
    x = _f(x)
    if not training:
        return _bn_correct(x, gamma, beta, running_mean, running_var, False, momentum, eps)
    n = x.shape[0]
    mu = x.mean(axis=0)
    var = (x * x).mean(axis=0) - mu * mu
    y = _f(gamma) * (x - mu) / np.sqrt(var + eps) + _f(beta)
    return (y, (1 - momentum) * _f(running_mean) + momentum * mu,
            (1 - momentum) * _f(running_var) + momentum * var * n / (n - 1))


def bnf_float32(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    c = lambda a: np.asarray(a, dtype=np.float32)
    y, m, v = _bn_correct(c(x), c(gamma), c(beta), c(running_mean), c(running_var), training,
                          np.float32(momentum), np.float32(eps))
    x32 = c(x)
    if training:
        mu = x32.mean(axis=0)
        var = ((x32 - mu) ** 2).mean(axis=0)
        y = c(gamma) * (x32 - mu) / np.sqrt(var + np.float32(eps)) + c(beta)
    return y.astype(float), m, v


def bnf_int_output(x, gamma, beta, running_mean, running_var, training,
                   momentum=0.1, eps=1e-5):
    # y allocated with empty_like(x): integer x gives an integer (truncated) y
    y, m, v = _bn_correct(x, gamma, beta, running_mean, running_var, training, momentum, eps)
    out = np.empty_like(np.asarray(x))
    out[...] = y
    return out, m, v


def bnf_inplace_running(x, gamma, beta, running_mean, running_var, training,
                        momentum=0.1, eps=1e-5):
    # updates the caller's running statistics in place and returns them
    y, new_m, new_v = _bn_correct(x, gamma, beta, running_mean, running_var, training,
                                  momentum, eps)
    if training:
        running_mean *= (1 - momentum)
        running_mean += momentum * _f(x).mean(axis=0)
        running_var[...] = new_v
        return y, running_mean, running_var
    return y, new_m, new_v


def bnf_eval_returns_same_arrays(x, gamma, beta, running_mean, running_var, training,
                                 momentum=0.1, eps=1e-5):
    y, new_m, new_v = _bn_correct(x, gamma, beta, running_mean, running_var, training,
                                  momentum, eps)
    if training:
        return y, new_m, new_v
    return y, running_mean, running_var                   # the caller's objects, not new ones


def bnf_centres_x_inplace(x, gamma, beta, running_mean, running_var, training,
                          momentum=0.1, eps=1e-5):
    # x -= mean on the caller's (float) batch
    y, new_m, new_v = _bn_correct(x, gamma, beta, running_mean, running_var, training,
                                  momentum, eps)
    xa = np.asarray(x)
    if training and xa.dtype.kind == "f":
        xa -= xa.mean(axis=0)
    return y, new_m, new_v


def bnf_gamma_beta_swapped(x, gamma, beta, running_mean, running_var, training,
                           momentum=0.1, eps=1e-5):
    return _bn_correct(x, beta, gamma, running_mean, running_var, training, momentum, eps)


def bnf_bessel_int_division(x, gamma, beta, running_mean, running_var, training,
                            momentum=0.1, eps=1e-5):
    # unbiased variance as var * (N // (N − 1)): right for N = 2 only
    y, new_m, _ = _bn_correct(x, gamma, beta, running_mean, running_var, training, momentum, eps)
    if not training:
        return y, new_m, _f(running_var).copy()
    n = np.shape(x)[0]
    var = _f(x).var(axis=0)
    return y, new_m, (1 - momentum) * _f(running_var) + momentum * var * (n // (n - 1))


def bnf_momentum_or_default(x, gamma, beta, running_mean, running_var, training,
                            momentum=0.1, eps=1e-5):
    momentum = momentum or 0.1                            # momentum = 0 silently becomes 0.1
    return _bn_correct(x, gamma, beta, running_mean, running_var, training, momentum, eps)


def bnf_running_std(x, gamma, beta, running_mean, running_var, training,
                    momentum=0.1, eps=1e-5):
    # running_var tracks the (unbiased) standard deviation instead of the variance
    y, new_m, _ = _bn_correct(x, gamma, beta, running_mean, running_var, training, momentum, eps)
    if not training:
        return y, new_m, _f(running_var).copy()
    return y, new_m, (1 - momentum) * _f(running_var) + momentum * _f(x).std(axis=0, ddof=1)


def bnf_global_variance(x, gamma, beta, running_mean, running_var, training,
                        momentum=0.1, eps=1e-5):
    # one variance over the whole batch (all features), per-feature mean
    x = _f(x)
    if not training:
        return _bn_correct(x, gamma, beta, running_mean, running_var, False, momentum, eps)
    _, new_m, new_v = _bn_correct(x, gamma, beta, running_mean, running_var, True, momentum, eps)
    mu = x.mean(axis=0)
    return _f(gamma) * (x - mu) / np.sqrt(np.var(x) + eps) + _f(beta), new_m, new_v


def _newton_sqrt(v):
    # Newton's iteration for √v with an absolute stopping test on s² − v
    s = np.maximum(v, 1.0)
    while np.any(np.abs(s * s - v) > 1e-12):
        s = 0.5 * (s + v / s)
    return s


def bnf_hangs_newton_sqrt(x, gamma, beta, running_mean, running_var, training,
                          momentum=0.1, eps=1e-5):
    x, mu, var, new_m, new_v = _bn_parts(x, momentum, running_mean, running_var)
    if training:
        return _f(gamma) * (x - mu) / _newton_sqrt(var + eps) + _f(beta), new_m, new_v
    y = _f(gamma) * (x - _f(running_mean)) / _newton_sqrt(_f(running_var) + eps) + _f(beta)
    return y, _f(running_mean).copy(), _f(running_var).copy()


# ----------------------------------------------------------------------------------------------
# Exercise 3 — batchnorm_backward(dy, x, gamma, eps=1e-5)
# ----------------------------------------------------------------------------------------------
def _bwd_parts(dy, x, gamma, eps, var_ddof=0):
    dy, x, gamma = _f(dy), _f(x), _f(gamma)
    mu = x.mean(axis=0)
    var = x.var(axis=0, ddof=var_ddof)
    inv = 1.0 / np.sqrt(var + eps)
    xhat = (x - mu) * inv
    return dy, x, gamma, xhat, inv


def _dx_full(dxhat, xhat, inv):
    return inv * (dxhat - dxhat.mean(axis=0) - xhat * (dxhat * xhat).mean(axis=0))


def bnb_no_mean_path(dy, x, gamma, eps=1e-5):
    dy, x, gamma, xhat, inv = _bwd_parts(dy, x, gamma, eps)
    dxhat = dy * gamma
    dx = inv * (dxhat - xhat * (dxhat * xhat).mean(axis=0))
    return dx, (dy * xhat).sum(axis=0), dy.sum(axis=0)


def bnb_no_variance_path(dy, x, gamma, eps=1e-5):
    dy, x, gamma, xhat, inv = _bwd_parts(dy, x, gamma, eps)
    dxhat = dy * gamma
    dx = inv * (dxhat - dxhat.mean(axis=0))
    return dx, (dy * xhat).sum(axis=0), dy.sum(axis=0)


def bnb_stats_constant(dy, x, gamma, eps=1e-5):
    # μ_B and σ_B² treated as constants
    dy, x, gamma, xhat, inv = _bwd_parts(dy, x, gamma, eps)
    return dy * gamma * inv, (dy * xhat).sum(axis=0), dy.sum(axis=0)


def bnb_forgets_gamma(dy, x, gamma, eps=1e-5):
    dy, x, gamma, xhat, inv = _bwd_parts(dy, x, gamma, eps)
    return _dx_full(dy, xhat, inv), (dy * xhat).sum(axis=0), dy.sum(axis=0)


def bnb_dgamma_uses_x(dy, x, gamma, eps=1e-5):
    dy, x, gamma, xhat, inv = _bwd_parts(dy, x, gamma, eps)
    return _dx_full(dy * gamma, xhat, inv), (dy * x).sum(axis=0), dy.sum(axis=0)


def bnb_dbeta_mean(dy, x, gamma, eps=1e-5):
    dy, x, gamma, xhat, inv = _bwd_parts(dy, x, gamma, eps)
    return _dx_full(dy * gamma, xhat, inv), (dy * xhat).mean(axis=0), dy.mean(axis=0)


def bnb_dgamma_not_summed(dy, x, gamma, eps=1e-5):
    dy, x, gamma, xhat, inv = _bwd_parts(dy, x, gamma, eps)
    return _dx_full(dy * gamma, xhat, inv), dy * xhat, dy.sum(axis=0)


def bnb_unbiased_variance(dy, x, gamma, eps=1e-5):
    dy, x, gamma, xhat, inv = _bwd_parts(dy, x, gamma, eps, var_ddof=1)
    return _dx_full(dy * gamma, xhat, inv), (dy * xhat).sum(axis=0), dy.sum(axis=0)


def bnb_no_eps(dy, x, gamma, eps=1e-5):
    dy, x, gamma, xhat, inv = _bwd_parts(dy, x, gamma, 0.0)
    return _dx_full(dy * gamma, xhat, inv), (dy * xhat).sum(axis=0), dy.sum(axis=0)


def bnb_eps_outside_sqrt(dy, x, gamma, eps=1e-5):
    dy, x, gamma = _f(dy), _f(x), _f(gamma)
    mu = x.mean(axis=0)
    inv = 1.0 / (x.std(axis=0) + eps)
    xhat = (x - mu) * inv
    return _dx_full(dy * gamma, xhat, inv), (dy * xhat).sum(axis=0), dy.sum(axis=0)


def bnb_int_output(dy, x, gamma, eps=1e-5):
    # dx allocated with zeros_like(x): integer x truncates the gradient
    dy_, x_, gamma_, xhat, inv = _bwd_parts(dy, x, gamma, eps)
    dx = np.zeros_like(np.asarray(x))
    dx[...] = _dx_full(dy_ * gamma_, xhat, inv)
    return dx, (dy_ * xhat).sum(axis=0), dy_.sum(axis=0)


def bnb_centres_inplace(dy, x, gamma, eps=1e-5):
    # x -= x.mean(0) on the caller's (float) array
    xa = np.asarray(x)
    if xa.dtype.kind == "f":
        xa -= xa.mean(axis=0)
    dy, x, gamma, xhat, inv = _bwd_parts(dy, xa, gamma, eps)
    return _dx_full(dy * gamma, xhat, inv), (dy * xhat).sum(axis=0), dy.sum(axis=0)


def bnb_variance_sign(dy, x, gamma, eps=1e-5):
    dy, x, gamma, xhat, inv = _bwd_parts(dy, x, gamma, eps)
    dxhat = dy * gamma
    dx = inv * (dxhat - dxhat.mean(axis=0) + xhat * (dxhat * xhat).mean(axis=0))
    return dx, (dy * xhat).sum(axis=0), dy.sum(axis=0)


def bnb_dvar_over_n_minus_1(dy, x, gamma, eps=1e-5):
    # ∂σ²/∂x taken as 2(x − μ)/(N − 1)
    dy, x, gamma, xhat, inv = _bwd_parts(dy, x, gamma, eps)
    n = x.shape[0]
    dxhat = dy * gamma
    dx = inv * (dxhat - dxhat.mean(axis=0) - xhat * (dxhat * xhat).sum(axis=0) / (n - 1))
    return dx, (dy * xhat).sum(axis=0), dy.sum(axis=0)


def bnb_sums_not_means(dy, x, gamma, eps=1e-5):
    dy, x, gamma, xhat, inv = _bwd_parts(dy, x, gamma, eps)
    dxhat = dy * gamma
    dx = inv * (dxhat - dxhat.sum(axis=0) - xhat * (dxhat * xhat).sum(axis=0))
    return dx, (dy * xhat).sum(axis=0), dy.sum(axis=0)


def bnb_corrections_axis1(dy, x, gamma, eps=1e-5):
    dy, x, gamma, xhat, inv = _bwd_parts(dy, x, gamma, eps)
    dxhat = dy * gamma
    dx = inv * (dxhat - dxhat.mean(axis=1, keepdims=True)
                - xhat * (dxhat * xhat).mean(axis=1, keepdims=True))
    return dx, (dy * xhat).sum(axis=0), dy.sum(axis=0)


def bnb_zero_gamma_shortcut(dy, x, gamma, eps=1e-5):
    # "if γ has a zero, no gradient reaches x" — applied to every column
    dy_, x_, gamma_, xhat, inv = _bwd_parts(dy, x, gamma, eps)
    dx = _dx_full(dy_ * gamma_, xhat, inv)
    if np.any(gamma_ == 0):
        dx = np.zeros_like(dx)
    return dx, (dy_ * xhat).sum(axis=0), dy_.sum(axis=0)


def bnb_abs_gamma(dy, x, gamma, eps=1e-5):
    # scale taken as |γ| (γ read as a standard deviation)
    dy, x, gamma, xhat, inv = _bwd_parts(dy, x, gamma, eps)
    return _dx_full(dy * np.abs(gamma), xhat, inv), (dy * xhat).sum(axis=0), dy.sum(axis=0)


def bnb_hangs_newton_sqrt(dy, x, gamma, eps=1e-5):
    dy, x, gamma = _f(dy), _f(x), _f(gamma)
    mu = x.mean(axis=0)
    inv = 1.0 / _newton_sqrt(x.var(axis=0) + eps)
    xhat = (x - mu) * inv
    return _dx_full(dy * gamma, xhat, inv), (dy * xhat).sum(axis=0), dy.sum(axis=0)


# ----------------------------------------------------------------------------------------------
WRONG = {
    "check_running_mean_var": [
        # xs = 1e9 + [0, 1, 2, 0.5, 1.5] → variances all 0 instead of [0, .25, .667, .547, .5]
        ("cumulative Σx and Σx² (catastrophic cancellation)", rmv_naive_cumsum),
        # xs=[0., 1.], ddof=1 → [0, 0.25] instead of [nan, 0.5]
        ("ddof ignored (always divides by the count)", rmv_ignores_ddof),
        # xs=[0., 1.], ddof=1 → variances[0] = 0 instead of nan
        ("ddof=1: first variance 0 instead of nan", rmv_first_zero_not_nan),
        # xs=[0., 1.], ddof=0 → variances = [nan, 0.5] instead of [0, 0.25]
        ("denominator k − ddof (0-based index) instead of k + 1 − ddof", rmv_index_denominator),
        # xs=[0., 1.] → variances[1] = 0.125 instead of 0.25
        ("Welford with M2 += (x − new mean)²", rmv_m2_new_mean_squared),
        # xs=[0., 1.] → variances[1] = 0.5 instead of 0.25
        ("Welford with M2 += (x − old mean)²", rmv_m2_old_mean_squared),
        # int xs=[0, 1] → means[1] = 0 instead of 0.5
        ("output arrays of the input dtype: integers truncate", rmv_int_output),
        # int xs=[0, 1] → means[1] = 0 (floor division) instead of 0.5
        ("integer floor division in the mean update", rmv_floor_division),
        # float xs=[1., 2., 4.] → the caller's array becomes [0., 1., 3.]
        ("shifts the caller's array in place", rmv_shift_inplace),
        # xs=[5., 6.] → means [0, 0.5] instead of [5, 5.5]
        ("shift by x[0] for stability, means not shifted back", rmv_shift_not_added_back),
        # xs = 1e9 + [0, 1, 2, 0.5, 1.5] → float32 spacing 64 near 1e9: every variance 0
        ("float32 accumulators", rmv_float32),
        # xs=[0., 1., 2.] → means all 1.0 instead of [0, 0.5, 1]
        ("whole-data statistics repeated for every prefix", rmv_whole_data_repeated),
        # xs=[5., 6.] → means [0, 5] instead of [5, 5.5]
        ("records the statistics before folding in x_k (one step behind)",
         rmv_recorded_before_update),
        # xs=[0., 1., 2.], ddof=1 → variances[2] = −0.333 instead of 1.0
        ("operator precedence: M2/(k+1) − ddof", rmv_precedence),
        # xs = 1e9 + [0, 1, 2, 0.5, 1.5] → variances all 0 (Σx² cancels completely)
        ("cumsum means with an E[x²] − mean² variance", rmv_cumsum_means_naive_var),
        # xs=[0., 1.] (x_0 equals the initial mean 0) or a constant run → never returns
        ("HANGS: skips x equal to the mean without advancing the index", rmv_hangs_skip_repeats),
    ],
    "check_batchnorm_forward": [
        # x=[[0.], [2.]], γ=1, β=0, rm=0, rv=1, training → y ≈ ±0.707 instead of ±1
        ("training normalises with the unbiased variance", bnf_unbiased_normalisation),
        # same → new_running_var = 0.9 + 0.1·1 = 1.0 instead of 0.9 + 0.1·2 = 1.1
        ("running variance updated with the biased variance", bnf_running_var_biased),
        # same, momentum 0.1 → new_running_mean = 0.9 instead of 0.1
        ("momentum weights reversed", bnf_momentum_reversed),
        # x=[[0.], [2.]], rm=0, rv=1, training → y = [0, 2] instead of [−1, 1]
        ("eval statistics (running) used in training", bnf_running_stats_in_training),
        # x=[[0.], [2.]], rm=0, rv=1, eval → y = [−1, 1] instead of [0, 2]
        ("batch statistics used in evaluation", bnf_batch_stats_in_eval),
        # x=[[0.], [2.]], rm=0, rv=1, eval → new_running_mean 0.1 instead of 0
        ("running statistics updated in evaluation too", bnf_updates_in_eval),
        # x=[[0.], [2.]], training, eps=1 → y = ±0.5 instead of ±0.707
        ("ε added to σ instead of σ²", bnf_eps_outside_sqrt),
        # x=[[3.], [3.]] (constant feature), training → nan instead of β
        ("ε forgotten: 0/0 on a constant feature", bnf_no_eps),
        # x=[[0., 2.], [4., 6.], [1., 1.]], training → per-row statistics
        ("statistics over axis 1 (per example)", bnf_axis1),
        # x = 1e6 + [[0.], [1.], [0.3], [0.8], [0.55], [0.1]], training → y off by 1.5e-3
        ("naive E[x²] − E[x]² variance on data near 1e6", bnf_naive_variance),
        # x = 1e6 + [[0.1], [0.7], [0.4]], training → float32 spacing 0.0625: y off by ~10 %
        ("computed in float32", bnf_float32),
        # int x=[[0], [1]], training → y integer [0, 0] instead of [−1, 1] (≈ ±0.99998)
        ("y allocated like x: integer x truncates", bnf_int_output),
        # training → the caller's running_mean / running_var are overwritten
        ("updates the caller's running statistics in place", bnf_inplace_running),
        # eval → returned running_mean *is* the caller's array (not a new one)
        ("eval returns the caller's running arrays themselves", bnf_eval_returns_same_arrays),
        # float x=[[0.], [2.]], training → the caller's x becomes [[−1.], [1.]]
        ("centres the caller's x in place", bnf_centres_x_inplace),
        # x=[[0.], [2.]], γ=2, β=5, training → y = 5·x̂ + 2 instead of 2·x̂ + 5
        ("γ and β swapped", bnf_gamma_beta_swapped),
        # x=[[0.], [1.], [2.]], rv=0, momentum=1 → new_running_var 0.667 instead of 1.0
        ("Bessel factor N // (N − 1): integer division", bnf_bessel_int_division),
        # momentum=0, training, rm=0, x=[[0.], [2.]] → new_running_mean 0.1 instead of 0
        ("momentum or 0.1: momentum = 0 treated as the default", bnf_momentum_or_default),
        # x=[[0.], [4.]], rv=0, momentum=1 → new_running_var 2.83 (std) instead of 8
        ("running_var tracks the standard deviation", bnf_running_std),
        # x=[[0., 0.], [2., 20.]], training → one variance for both features
        ("one variance over all features", bnf_global_variance),
        # x=[[0.], [2000.]], training (σ² = 1e6) → Newton's |s² − v| ≤ 1e-12 is never met
        ("HANGS: Newton square root with an absolute tolerance", bnf_hangs_newton_sqrt),
    ],
    "check_batchnorm_backward": [
        # dy=[[1.], [0.], [0.]], x=[[0.], [1.], [3.]], γ=1 → dx off by the −mean(dx̂) term
        ("mean path missing", bnb_no_mean_path),
        # same → dx misses the x̂·mean(dx̂·x̂) term
        ("variance path missing", bnb_no_variance_path),
        # same → dx = dy·γ/σ
        ("μ_B and σ_B² treated as constants", bnb_stats_constant),
        # γ=[2.] with the batch above → dx half the right size
        ("γ forgotten in dx", bnb_forgets_gamma),
        # x=[[0.], [1.], [3.]] (mean ≠ 0), dy=[[1.], [0.], [0.]] → dγ = 0 instead of −1.069
        ("dγ = Σ dy·x instead of Σ dy·x̂", bnb_dgamma_uses_x),
        # N=3, dy=[[1.], [1.], [1.]] → dβ = 1 instead of 3
        ("dβ and dγ averaged over the batch", bnb_dbeta_mean),
        # N=3, C=1 → dγ shape (3, 1) instead of (1,)
        ("dγ not summed over the batch", bnb_dgamma_not_summed),
        # N=2, x=[[0.], [2.]], dy=[[1.], [0.]] → x̂ with N − 1: dγ −0.707 instead of −1.0
        ("unbiased variance in x̂", bnb_unbiased_variance),
        # x=[[3.], [3.]] (constant feature) → nan instead of 0 (dγ) / finite dx
        ("ε forgotten", bnb_no_eps),
        # x=[[0.], [2.]], eps=1 → dx differs (1/(σ+ε) instead of 1/√(σ²+ε))
        ("ε added to σ instead of σ²", bnb_eps_outside_sqrt),
        # int x=[[0], [1], [3]], dy=[[1.], [0.], [0.]] → dx truncated to integers
        ("dx allocated like x: integer x truncates", bnb_int_output),
        # float x=[[0.], [2.]] → the caller's x becomes [[−1.], [1.]]
        ("centres the caller's x in place", bnb_centres_inplace),
        # batch above → variance term added instead of subtracted
        ("sign error in the variance path", bnb_variance_sign),
        # batch above → variance path scaled by N/(N − 1)
        ("∂σ²/∂x with 2/(N − 1)", bnb_dvar_over_n_minus_1),
        # batch above → correction terms N times too big
        ("sums instead of means in the correction terms", bnb_sums_not_means),
        # x of shape (3, 2) → corrections averaged over features instead of the batch
        ("correction terms averaged over axis 1", bnb_corrections_axis1),
        # γ=[0., 1.], x of shape (3, 2) → dx of the γ=1 column zeroed too
        ("zero-γ shortcut zeroes every column", bnb_zero_gamma_shortcut),
        # γ=[−2.] → dx has the wrong sign
        ("|γ| instead of γ", bnb_abs_gamma),
        # x=[[0.], [2000.]] (σ² = 1e6) → Newton's |s² − v| ≤ 1e-12 never met
        ("HANGS: Newton square root with an absolute tolerance", bnb_hangs_newton_sqrt),
    ],
}
