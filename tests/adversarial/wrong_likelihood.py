"""Wrong solutions for notebook 15 (likelihood, logistic regression, grid posteriors):
``check_gaussian_nll``, ``check_logistic_nll_and_grad``, ``check_credible_interval``.

Written from the exercise statements only. Every entry is a plausible learner's mistake or a
sneaky near-miss; the comment beside it names an input allowed by the statement on which it
differs from a correct implementation (or hangs, or changes the caller's arrays). Each was checked
against an independent reference in a scratch file outside the repo.
"""
import math

import numpy as np

_LOG_2PI = math.log(2 * math.pi)


# ----------------------------------------------------------------------------------------------
# Exercise 1 — gaussian_nll(y, mu, sigma)
# ----------------------------------------------------------------------------------------------
def _f(a):
    return np.asarray(a, dtype=np.float64)


def _terms(y, mu, sigma):
    s = _f(sigma)
    return 0.5 * _LOG_2PI + np.log(s) + (_f(y) - _f(mu)) ** 2 / (2 * s * s)


def nll_no_log_sigma(y, mu, sigma):
    s = _f(sigma)
    return float(np.mean(0.5 * _LOG_2PI + (_f(y) - _f(mu)) ** 2 / (2 * s * s)))


def nll_no_half_quadratic(y, mu, sigma):
    s = _f(sigma)
    return float(np.mean(0.5 * _LOG_2PI + np.log(s) + (_f(y) - _f(mu)) ** 2 / (s * s)))


def nll_no_constant(y, mu, sigma):
    s = _f(sigma)
    return float(np.mean(np.log(s) + (_f(y) - _f(mu)) ** 2 / (2 * s * s)))


def nll_log_of_density(y, mu, sigma):
    # −log of the density: the density is 0.0 at 50 σ, so the NLL becomes inf
    s = _f(sigma)
    pdf = np.exp(-(_f(y) - _f(mu)) ** 2 / (2 * s * s)) / np.sqrt(2 * np.pi * s * s)
    with np.errstate(divide="ignore"):
        return float(np.mean(-np.log(pdf)))


def nll_sum(y, mu, sigma):
    return float(np.sum(_terms(y, mu, sigma)))


def nll_sigma_is_variance(y, mu, sigma):
    s2 = _f(sigma)                                          # σ read as σ²
    return float(np.mean(0.5 * np.log(2 * np.pi * s2) + (_f(y) - _f(mu)) ** 2 / (2 * s2)))


def nll_sigma_not_squared(y, mu, sigma):
    s = _f(sigma)
    return float(np.mean(0.5 * _LOG_2PI + np.log(s) + (_f(y) - _f(mu)) ** 2 / (2 * s)))


def nll_log10(y, mu, sigma):
    s = _f(sigma)
    return float(np.mean(0.5 * np.log10(2 * np.pi * s * s) + (_f(y) - _f(mu)) ** 2 / (2 * s * s)))


def nll_int_buffer(y, mu, sigma):
    # per-observation terms stored in a buffer like y: integer y truncates them
    y = np.asarray(y)
    t = np.zeros_like(y)
    t[...] = _terms(y, mu, sigma)
    return float(np.mean(t))


def nll_shared_sigma(y, mu, sigma):
    # assumes one σ: a per-observation σ array is replaced by its mean
    s = float(np.mean(_f(sigma)))
    return float(np.mean(_terms(y, mu, s)))


def nll_log_of_mean_variance(y, mu, sigma):
    # ½ log(2π · mean σ²) — the log of the mean, not the mean of the logs
    s = _f(sigma)
    quad = np.mean((_f(y) - _f(mu)) ** 2 / (2 * s * s))
    return float(0.5 * np.log(2 * np.pi * np.mean(s * s)) + quad)


def nll_log_sigma_squared(y, mu, sigma):
    # log(2πσ²) with σ² formed first: under/overflows for extreme σ (1e-200, 1e200)
    s = _f(sigma)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        return float(np.mean(0.5 * np.log(2 * np.pi * s * s) + (_f(y) - _f(mu)) ** 2 / (2 * s * s)))


def nll_quadratic_sigma_squared(y, mu, sigma):
    # log σ right, but (y − μ)² / (2σ²) with both squares formed: 0/0 or inf/inf for σ = 1e-250
    # or 1e250 (instead of ½((y − μ)/σ)²)
    s = _f(sigma)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore", under="ignore"):
        return float(np.mean(0.5 * _LOG_2PI + np.log(s) + (_f(y) - _f(mu)) ** 2 / (2 * s ** 2)))


def nll_inplace(y, mu, sigma):
    # residuals computed in the caller's float y
    r = np.asarray(y, dtype=float)
    r -= _f(mu)
    s = _f(sigma)
    return float(np.mean(0.5 * _LOG_2PI + np.log(s) + r * r / (2 * s * s)))


def nll_negative_power(y, mu, sigma):
    # σ**-2 on an integer σ: NumPy refuses negative integer powers of integers
    inv_var = np.asarray(sigma) ** -2
    return float(np.mean(0.5 * _LOG_2PI - 0.5 * np.log(inv_var)
                         + 0.5 * (_f(y) - _f(mu)) ** 2 * inv_var))


def nll_per_observation(y, mu, sigma):
    return _terms(y, mu, sigma)                             # shape (N,), not a number


def nll_log_likelihood(y, mu, sigma):
    return float(-np.mean(_terms(y, mu, sigma)))            # the sign of the log-likelihood


def _newton_log(s):
    # log s by Newton's method on e^t = s, stopping when |e^t − s| ≤ 1e-12
    t = np.zeros_like(s)
    while np.any(np.abs(np.exp(t) - s) > 1e-12):
        t = t - 1.0 + s * np.exp(-t)
    return t


def nll_hangs_newton_log(y, mu, sigma):
    s = _f(sigma) * np.ones(np.shape(y))
    return float(np.mean(0.5 * _LOG_2PI + _newton_log(s) + (_f(y) - _f(mu)) ** 2 / (2 * s * s)))


# ----------------------------------------------------------------------------------------------
# Exercise 2 — logistic_nll_and_grad(w, b, X, y)
# ----------------------------------------------------------------------------------------------
def _sp(t):
    return np.maximum(t, 0) + np.log1p(np.exp(-np.abs(t)))


def _sig(z):
    return np.where(z >= 0, 1 / (1 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))))


def _logreg(w, b, X, y, loss_fn=None, sig_fn=_sig):
    X, w, y = _f(X), _f(w), _f(y)
    z = X @ w + float(b)
    n = len(y)
    loss = np.mean(y * _sp(-z) + (1 - y) * _sp(z)) if loss_fn is None else loss_fn(z, y)
    r = sig_fn(z) - y
    return float(loss), X.T @ r / n, float(np.mean(r))


def lr_log_of_sigmoid(w, b, X, y):
    def loss(z, y):
        p = 1 / (1 + np.exp(-z))
        with np.errstate(divide="ignore", invalid="ignore"):
            return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    with np.errstate(over="ignore"):
        return _logreg(w, b, X, y, loss)


def lr_naive_softplus(w, b, X, y):
    def loss(z, y):
        with np.errstate(over="ignore"):
            return np.mean(np.log(1 + np.exp(z)) - y * z)
    return _logreg(w, b, X, y, loss)


def lr_sigmoid_exp_ratio(w, b, X, y):
    # σ(z) = e^z / (1 + e^z) in the gradient: inf/inf = nan for z = 1000
    def sig(z):
        with np.errstate(over="ignore", invalid="ignore"):
            return np.exp(z) / (1 + np.exp(z))
    return _logreg(w, b, X, y, sig_fn=sig)


def lr_gradient_sign(w, b, X, y):
    loss, gw, gb = _logreg(w, b, X, y)
    return loss, -gw, -gb                                   # y − σ(z): the ascent direction


def lr_sum_not_mean(w, b, X, y):
    loss, gw, gb = _logreg(w, b, X, y)
    n = len(y)
    return loss * n, gw * n, gb * n


def lr_loss_mean_grad_sum(w, b, X, y):
    loss, gw, gb = _logreg(w, b, X, y)
    n = len(y)
    return loss, gw * n, gb * n                             # gradients not divided by N


def lr_grad_b_sum(w, b, X, y):
    loss, gw, gb = _logreg(w, b, X, y)
    return loss, gw, gb * len(y)


def lr_grad_wrong_axis(w, b, X, y):
    X_, w_, y_ = _f(X), _f(w), _f(y)
    z = X_ @ w_ + float(b)
    r = _sig(z) - y_
    loss = float(np.mean(y_ * _sp(-z) + (1 - y_) * _sp(z)))
    return loss, np.mean(X_ * r[:, None], axis=1), float(np.mean(r))   # shape (N,)


def lr_pm_one_labels(w, b, X, y):
    # the ±1-label loss log(1 + e^(−y z)) applied to 0/1 labels
    def loss(z, y):
        return np.mean(_sp(-y * z))
    return _logreg(w, b, X, y, loss)


def lr_int_grad_buffer(w, b, X, y):
    # grad_w in a buffer like a row of X: integer X truncates the gradient
    loss, gw, gb = _logreg(w, b, X, y)
    out = np.zeros_like(np.asarray(X)[0])
    out[...] = gw
    return loss, out, gb


def lr_scales_X_inplace(w, b, X, y):
    # multiplies the caller's float X by the residuals in place
    loss, gw, gb = _logreg(w, b, X, y)
    Xa = np.asarray(X)
    if Xa.dtype.kind == "f":
        z = Xa @ _f(w) + float(b)
        Xa *= (_sig(z) - _f(y))[:, None]
        gw = Xa.mean(axis=0)
    return loss, gw, gb


def lr_forgets_bias(w, b, X, y):
    return _logreg(w, 0.0, X, y)


def lr_clip_scores(w, b, X, y):
    X_, w_, y_ = _f(X), _f(w), _f(y)
    z = np.clip(X_ @ w_ + float(b), -30, 30)                # "for stability"
    r = _sig(z) - y_
    loss = float(np.mean(y_ * _sp(-z) + (1 - y_) * _sp(z)))
    return loss, X_.T @ r / len(y_), float(np.mean(r))


def lr_clip_probabilities(w, b, X, y):
    def loss(z, y):
        p = np.clip(_sig(z), 1e-15, 1 - 1e-15)
        return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    return _logreg(w, b, X, y, loss)


def lr_column_gradient(w, b, X, y):
    loss, gw, gb = _logreg(w, b, X, y)
    return loss, gw[:, None], gb                            # shape (d, 1)


def lr_hangs_one_sided_reduction(w, b, X, y):
    # softplus with a range reduction written only for large positive arguments:
    # a large negative argument (here −z for z = 1000) is never reduced
    def sp(t):
        t = np.array(t, dtype=float)
        shift = np.zeros_like(t)
        while np.any(np.abs(t) > 700):
            big = t > 700
            shift = shift + np.where(big, 700.0, 0.0)
            t = np.where(big, t - 700.0, t)
        return shift + np.log1p(np.exp(t))

    def loss(z, y):
        return np.mean(y * sp(-z) + (1 - y) * sp(z))
    return _logreg(w, b, X, y, loss)


# ----------------------------------------------------------------------------------------------
# Exercise 3 — credible_interval(grid, log_prior, log_lik, level)
# ----------------------------------------------------------------------------------------------
def _cdf_from_log(lp):
    lp = _f(lp)
    p = np.exp(lp - np.max(lp))
    return np.cumsum(p) / np.sum(p)


def _first(F, t):
    return int(np.argmax(F >= t))


def _ci(grid, F, level):
    grid = np.asarray(grid)
    return grid[_first(F, (1 - level) / 2)], grid[_first(F, (1 + level) / 2)]


def ci_unshifted_exp(grid, log_prior, log_lik, level):
    with np.errstate(over="ignore", invalid="ignore"):
        p = np.exp(_f(log_prior) + _f(log_lik))
        F = np.cumsum(p) / np.sum(p)
    return _ci(grid, F, level)


def ci_prior_forgotten(grid, log_prior, log_lik, level):
    return _ci(grid, _cdf_from_log(log_lik), level)


def ci_likelihood_forgotten(grid, log_prior, log_lik, level):
    return _ci(grid, _cdf_from_log(log_prior), level)


def ci_one_sided_thresholds(grid, log_prior, log_lik, level):
    # thresholds 1 − level and level instead of (1 ∓ level)/2
    F = _cdf_from_log(_f(log_prior) + _f(log_lik))
    g = np.asarray(grid)
    return g[_first(F, 1 - level)], g[_first(F, level)]


def ci_level_as_alpha(grid, log_prior, log_lik, level):
    # level read as α: thresholds level/2 and 1 − level/2
    F = _cdf_from_log(_f(log_prior) + _f(log_lik))
    g = np.asarray(grid)
    return g[_first(F, level / 2)], g[_first(F, 1 - level / 2)]


def ci_last_below(grid, log_prior, log_lik, level):
    # returns the last θ_k with F_k below each threshold (one grid step too early)
    F = _cdf_from_log(_f(log_prior) + _f(log_lik))
    g = np.asarray(grid)
    i, j = _first(F, (1 - level) / 2), _first(F, (1 + level) / 2)
    return g[max(i - 1, 0)], g[max(j - 1, 0)]


def ci_nearest_mass(grid, log_prior, log_lik, level):
    # the θ_k whose F_k is nearest to each threshold (may be below it)
    F = _cdf_from_log(_f(log_prior) + _f(log_lik))
    g = np.asarray(grid)
    return (g[int(np.argmin(np.abs(F - (1 - level) / 2)))],
            g[int(np.argmin(np.abs(F - (1 + level) / 2)))])


def ci_separate_shifts(grid, log_prior, log_lik, level):
    # each factor shifted by its own maximum: the product can still underflow to 0/0
    lp = _f(log_prior) - np.max(_f(log_prior))
    ll = _f(log_lik) - np.max(_f(log_lik))
    with np.errstate(invalid="ignore"):
        p = np.exp(lp + ll)
        F = np.cumsum(p) / np.sum(p)
    return _ci(grid, F, level)


def ci_shift_by_mean(grid, log_prior, log_lik, level):
    # shifted by the mean log posterior: −inf (a zero factor) makes everything nan
    lp = _f(log_prior) + _f(log_lik)
    with np.errstate(over="ignore", invalid="ignore"):
        p = np.exp(lp - np.mean(lp))
        F = np.cumsum(p) / np.sum(p)
    return _ci(grid, F, level)


def ci_multiplied_logs(grid, log_prior, log_lik, level):
    # log posterior = log prior × log likelihood
    with np.errstate(invalid="ignore"):
        return _ci(grid, _cdf_from_log(_f(log_prior) * _f(log_lik)), level)


def ci_adds_in_place(grid, log_prior, log_lik, level):
    # lp = log_prior; lp += log_lik — adds into the caller's log_prior
    lp = np.asarray(log_prior)
    lp += _f(log_lik)
    return _ci(grid, _cdf_from_log(lp), level)


def ci_returns_indices(grid, log_prior, log_lik, level):
    F = _cdf_from_log(_f(log_prior) + _f(log_lik))
    return _first(F, (1 - level) / 2), _first(F, (1 + level) / 2)


def ci_density_spacing(grid, log_prior, log_lik, level):
    # normalises as a density with Δθ = grid[1] − grid[0]: IndexError for K = 1
    g = np.asarray(grid, dtype=float)
    dtheta = g[1] - g[0]
    lp = _f(log_prior) + _f(log_lik)
    p = np.exp(lp - np.max(lp))
    F = np.cumsum(p * dtheta) / np.sum(p * dtheta)
    return _ci(grid, F, level)


def ci_exclusive_cdf(grid, log_prior, log_lik, level):
    # F_k = P(θ < θ_k) (mass strictly before θ_k): one grid step too late
    lp = _f(log_prior) + _f(log_lik)
    p = np.exp(lp - np.max(lp))
    F = (np.cumsum(p) - p) / np.sum(p)
    g = np.asarray(grid)
    i = _first(F, (1 - level) / 2) if np.any(F >= (1 - level) / 2) else len(g) - 1
    j = _first(F, (1 + level) / 2) if np.any(F >= (1 + level) / 2) else len(g) - 1
    return g[i], g[j]


def ci_hangs_binary_search(grid, log_prior, log_lik, level):
    # binary search for the first F_k ≥ t with lo = mid: stuck when hi = lo + 1
    F = _cdf_from_log(_f(log_prior) + _f(log_lik))
    g = np.asarray(grid)

    def first(t):
        lo, hi = 0, len(F) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if F[mid] >= t:
                hi = mid
            else:
                lo = mid
        return lo
    return g[first((1 - level) / 2)], g[first((1 + level) / 2)]


# ----------------------------------------------------------------------------------------------
WRONG = {
    "check_gaussian_nll": [
        # y=[0.], mu=[0.], sigma=2.0 → 0.919 instead of 1.612
        ("log σ dropped", nll_no_log_sigma),
        # y=[1.], mu=[0.], sigma=1.0 → 1.919 instead of 1.419
        ("½ missing in the quadratic term", nll_no_half_quadratic),
        # y=[0.], mu=[0.], sigma=1.0 → 0 instead of 0.919
        ("constant ½ log 2π dropped", nll_no_constant),
        # y=[50.], mu=[0.], sigma=1.0 → inf instead of 1250.92
        ("−log of the density (0.0 at 50 σ)", nll_log_of_density),
        # y=[0., 0.], mu=[0., 0.], sigma=1.0 → 1.838 instead of 0.919
        ("sum instead of mean", nll_sum),
        # y=[1.], mu=[0.], sigma=2.0 → 1.516 instead of 1.737
        ("σ read as the variance", nll_sigma_is_variance),
        # y=[1.], mu=[0.], sigma=2.0 → 1.862 instead of 1.737
        ("(y − μ)²/(2σ): σ not squared", nll_sigma_not_squared),
        # y=[0.], mu=[0.], sigma=1.0 → 0.399 instead of 0.919
        ("log10 instead of the natural log", nll_log10),
        # int y=[0], mu=[0], sigma=1 → 0 instead of 0.919
        ("terms in an integer buffer like y", nll_int_buffer),
        # y=[0., 3.], mu=[0., 0.], sigma=[1., 3.] → uses σ = 2 for both
        ("per-observation σ replaced by its mean", nll_shared_sigma),
        # y=mu=[0., 0.], sigma=[1., 3.] → 1.723 instead of 1.468
        ("½ log(2π·mean σ²): log of the mean", nll_log_of_mean_variance),
        # y=mu=[0.], sigma=1e-200 → nan (σ² = 0: −inf + 0/0) instead of −459.6
        ("log(2πσ²) with σ² formed first (underflow for tiny σ)", nll_log_sigma_squared),
        # y=[1e-250], mu=[0.], sigma=1e-250 → nan (0/0) instead of 0.919 + 0.5 − 575.6 = −574.2
        ("(y − μ)²/(2σ²) with the squares formed: 0/0 for σ = 1e-250", nll_quadratic_sigma_squared),
        # float y=[1., 2.], mu=[1., 1.], sigma=1.0 → the caller's y becomes [0., 1.]
        ("residuals computed in the caller's y", nll_inplace),
        # sigma=2 (a Python int) → ValueError (integers to negative integer powers)
        ("σ**−2 on an integer σ raises", nll_negative_power),
        # y=[0., 1.], mu=[0., 0.], sigma=1.0 → array of 2 instead of one number
        ("returns the per-observation terms", nll_per_observation),
        # y=[0.], mu=[0.], sigma=1.0 → −0.919 instead of 0.919
        ("returns the log-likelihood (sign)", nll_log_likelihood),
        # y=mu=[0.], sigma=1e6 → never returns (|e^t − σ| ≤ 1e-12 unreachable in float64)
        ("HANGS: Newton's method for log σ with an absolute tolerance", nll_hangs_newton_log),
    ],
    "check_logistic_nll_and_grad": [
        # w=[1.], b=0, X=[[1000.]], y=[0] → loss inf instead of 1000
        ("log of a computed sigmoid", lr_log_of_sigmoid),
        # same → inf instead of 1000
        ("softplus as log(1 + e^z): overflows", lr_naive_softplus),
        # same → gradients nan instead of [1000.], 1.0
        ("σ(z) = e^z/(1 + e^z) in the gradient: nan at z = 1000", lr_sigmoid_exp_ratio),
        # w=[0.], b=0, X=[[1.]], y=[1] → grad_w +0.5 instead of −0.5
        ("gradient sign (y − σ)", lr_gradient_sign),
        # w=[0.], b=0, X=[[1.], [1.]], y=[1, 1] → loss 1.386 instead of 0.693
        ("sum instead of mean", lr_sum_not_mean),
        # same → grad_w −1.0 instead of −0.5
        ("loss averaged, gradients summed", lr_loss_mean_grad_sum),
        # same → grad_b −1.0 instead of −0.5
        ("grad_b summed, not averaged", lr_grad_b_sum),
        # X of shape (3, 2) → grad_w shape (3,) instead of (2,)
        ("gradient averaged over the wrong axis", lr_grad_wrong_axis),
        # w=[0.], b=2, X=[[1.]], y=[0] → log(2) instead of softplus(2) = 2.127
        ("±1-label loss on 0/1 labels", lr_pm_one_labels),
        # int X=[[1]], w=[0.], b=0, y=[1] → grad_w [0] instead of [−0.5]
        ("grad_w in an integer buffer like X's rows", lr_int_grad_buffer),
        # float X=[[1.]], w=[0.], y=[1] → the caller's X becomes [[−0.5]]
        ("scales the caller's X in place", lr_scales_X_inplace),
        # w=[0.], b=3, X=[[1.]], y=[1] → loss 0.693 instead of 0.0486
        ("bias b forgotten", lr_forgets_bias),
        # w=[1.], b=0, X=[[1000.]], y=[0] → loss 30 instead of 1000
        ("scores clipped to ±30", lr_clip_scores),
        # same → loss 34.5 instead of 1000
        ("probabilities clipped to [1e-15, 1 − 1e-15]", lr_clip_probabilities),
        # X of shape (3, 2) → grad_w shape (2, 1) instead of (2,)
        ("grad_w as a column (d, 1)", lr_column_gradient),
        # w=[1.], b=0, X=[[1000.]], y=[0] → never returns
        ("HANGS: softplus range reduction only for positive arguments",
         lr_hangs_one_sided_reduction),
    ],
    "check_credible_interval": [
        # grid=[0,1,2], log_prior=0, log_lik=[-5000, -4999, -5000], level 0.5 → nan → (0, 0)
        # instead of (1, 1)
        ("exp of the unshifted log posterior", ci_unshifted_exp),
        # grid=[0,1,2], log_prior=[-inf, 0, 0], log_lik=[0, 0, 0], level 0.5 → lo 0 instead of 1
        ("prior forgotten", ci_prior_forgotten),
        # grid=[0,1,2], log_prior=0, log_lik=[-inf, 0, 0], level 0.5 → lo 0 instead of 1
        ("likelihood forgotten", ci_likelihood_forgotten),
        # grid=0..9, flat posterior, level 0.5 → (4, 4) instead of (2, 7)
        ("thresholds 1 − level and level", ci_one_sided_thresholds),
        # grid=0..9, flat posterior, level 0.9 → (4, 5) instead of (0, 9)
        ("level read as α: thresholds level/2, 1 − level/2", ci_level_as_alpha),
        # grid=0..9, flat, level 0.5 → (1, 6) instead of (2, 7)
        ("last θ with F below the threshold (one step early)", ci_last_below),
        # grid=0..9, flat, level 0.55 → thresholds .225/.775: nearest F .2/.8 → (1, 7)
        # instead of (2, 7)
        ("θ whose F is nearest to the threshold", ci_nearest_mass),
        # grid=[0,1], log_prior=[0, -800], log_lik=[-800, 0], level 0.5 → nan instead of (0, 1)
        ("each factor shifted by its own max: underflow to 0/0", ci_separate_shifts),
        # grid=[0,1,2], log_prior=[-inf, 0, 0], log_lik=0, level 0.5 → nan → (0, 0) not (1, 2)
        ("shifted by the mean log posterior (−inf)", ci_shift_by_mean),
        # grid=[0,1,2], log_prior=[-1, -1, -1], log_lik=[-1, -2, -3], level 0.5 → wrong weights
        ("log prior × log likelihood", ci_multiplied_logs),
        # float log_prior=[0., 0.] → the caller's log_prior becomes log_lik
        ("adds log_lik into the caller's log_prior", ci_adds_in_place),
        # grid=[10., 20., 30.], flat, level 0.5 → (0, 2) instead of (10, 30)
        ("returns indices instead of grid values", ci_returns_indices),
        # K = 1 (grid=[5.]) → IndexError
        ("normalises with Δθ = grid[1] − grid[0]: fails for K = 1", ci_density_spacing),
        # grid=0..9, flat, level 0.5 → (3, 8) instead of (2, 7)
        ("exclusive cumulative mass P(θ < θ_k)", ci_exclusive_cdf),
        # grid=0..9, flat, level 0.5 → never returns
        ("HANGS: binary search with lo = mid", ci_hangs_binary_search),
    ],
}
