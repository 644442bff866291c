"""Wrong solutions for notebook 17 (variational inference / VAEs):
``check_kl_gaussian_standard``, ``check_reparameterize``, ``check_elbo``.

Written from the exercise statements only. Every entry is a plausible learner's mistake or a
sneaky near-miss; the comment beside it names an input allowed by the statement on which it
differs from a correct implementation (or hangs, or changes the caller's arrays). Each was checked
against an independent reference in a scratch file outside the repo.
"""
import numpy as np

import dlmath


# ----------------------------------------------------------------------------------------------
# helpers (a correct softplus and KL, used by the wrong ELBOs that go wrong somewhere else)
# ----------------------------------------------------------------------------------------------
def _softplus(t):
    return np.maximum(t, 0) + np.log1p(np.exp(-np.abs(t)))


def _kl(mu, logvar):
    mu = np.asarray(mu, dtype=np.float64)
    logvar = np.asarray(logvar, dtype=np.float64)
    return 0.5 * np.sum(mu ** 2 + np.exp(logvar) - 1.0 - logvar, axis=-1)


def _recon(x, x_logits):
    x = np.asarray(x, dtype=np.float64)
    l = np.asarray(x_logits, dtype=np.float64)
    return np.sum(-x * _softplus(-l) - (1.0 - x) * _softplus(l), axis=-1)


# ----------------------------------------------------------------------------------------------
# Exercise 1 — kl_gaussian_standard(mu, logvar)
# ----------------------------------------------------------------------------------------------
def kl_missing_minus_one(mu, logvar):
    mu, lv = np.asarray(mu, float), np.asarray(logvar, float)
    return 0.5 * np.sum(mu ** 2 + np.exp(lv) - lv, axis=-1)


def kl_missing_logvar_term(mu, logvar):
    mu, lv = np.asarray(mu, float), np.asarray(logvar, float)
    return 0.5 * np.sum(mu ** 2 + np.exp(lv) - 1.0, axis=-1)


def kl_missing_half(mu, logvar):
    mu, lv = np.asarray(mu, float), np.asarray(logvar, float)
    return np.sum(mu ** 2 + np.exp(lv) - 1.0 - lv, axis=-1)


def kl_minus_one_once(mu, logvar):
    # the −1 pulled out of the sum: subtracted once instead of d times
    mu, lv = np.asarray(mu, float), np.asarray(logvar, float)
    return 0.5 * (np.sum(mu ** 2, axis=-1) + np.sum(np.exp(lv), axis=-1) - 1.0
                  - np.sum(lv, axis=-1))


def kl_not_summed(mu, logvar):
    mu, lv = np.asarray(mu, float), np.asarray(logvar, float)
    return 0.5 * (mu ** 2 + np.exp(lv) - 1.0 - lv)


def kl_mean_over_latent(mu, logvar):
    mu, lv = np.asarray(mu, float), np.asarray(logvar, float)
    return 0.5 * np.mean(mu ** 2 + np.exp(lv) - 1.0 - lv, axis=-1)


def kl_sum_axis0(mu, logvar):
    mu, lv = np.asarray(mu, float), np.asarray(logvar, float)
    return 0.5 * np.sum(mu ** 2 + np.exp(lv) - 1.0 - lv, axis=0)


def kl_sum_axis1(mu, logvar):
    # written for a 2-D (N, d) batch; a 1-D input or two leading batch axes break it
    mu, lv = np.asarray(mu, float), np.asarray(logvar, float)
    if mu.ndim == 1:
        return 0.5 * np.sum(mu ** 2 + np.exp(lv) - 1.0 - lv)
    return 0.5 * np.sum(mu ** 2 + np.exp(lv) - 1.0 - lv, axis=1)


def kl_sum_everything(mu, logvar):
    mu, lv = np.asarray(mu, float), np.asarray(logvar, float)
    return 0.5 * np.sum(mu ** 2 + np.exp(lv) - 1.0 - lv)


def kl_keepdims(mu, logvar):
    mu, lv = np.asarray(mu, float), np.asarray(logvar, float)
    return 0.5 * np.sum(mu ** 2 + np.exp(lv) - 1.0 - lv, axis=-1, keepdims=True)


def kl_logvar_as_log_sigma(mu, logvar):
    # σ² = exp(2·logvar), log σ² = 2·logvar: reads logvar as log σ
    mu, lv = np.asarray(mu, float), np.asarray(logvar, float)
    return 0.5 * np.sum(mu ** 2 + np.exp(2 * lv) - 1.0 - 2 * lv, axis=-1)


def kl_logvar_as_variance(mu, logvar):
    mu, lv = np.asarray(mu, float), np.asarray(logvar, float)
    return 0.5 * np.sum(mu ** 2 + lv - 1.0 - np.log(lv), axis=-1)


def kl_half_log_only(mu, logvar):
    # the 1-D formula's log(σ2/σ1) = −½ log σ1², but the ½ applied twice
    mu, lv = np.asarray(mu, float), np.asarray(logvar, float)
    return np.sum(-0.25 * lv + 0.5 * (np.exp(lv) + mu ** 2) - 0.5, axis=-1)


def kl_reversed(mu, logvar):
    # KL(N(0, I) ‖ N(μ, σ²)) — arguments swapped
    mu, lv = np.asarray(mu, float), np.asarray(logvar, float)
    return np.sum(0.5 * lv + (1.0 + mu ** 2) / (2 * np.exp(lv)) - 0.5, axis=-1)


def kl_clip_logvar(mu, logvar):
    # "for stability" logvar is clipped to [−10, 10]: wrong for logvar < −10
    mu = np.asarray(mu, float)
    lv = np.clip(np.asarray(logvar, float), -10.0, 10.0)
    return 0.5 * np.sum(mu ** 2 + np.exp(lv) - 1.0 - lv, axis=-1)


def kl_eps_in_log(mu, logvar):
    # log σ² recomputed as log(σ² + 1e-8): fine for moderate logvar, wrong for logvar ≲ −15
    mu, lv = np.asarray(mu, float), np.asarray(logvar, float)
    var = np.exp(lv)
    return 0.5 * np.sum(mu ** 2 + var - 1.0 - np.log(var + 1e-8), axis=-1)


def kl_taylor_exp(mu, logvar):
    # exp(logvar) ≈ 1 + logvar + logvar²/2: right near logvar = 0 only
    mu, lv = np.asarray(mu, float), np.asarray(logvar, float)
    var = 1.0 + lv + 0.5 * lv ** 2
    return 0.5 * np.sum(mu ** 2 + var - 1.0 - lv, axis=-1)


def kl_int_buffer(mu, logvar):
    # result buffer allocated with the input's dtype: integer inputs truncate the KL
    mu, lv = np.asarray(mu), np.asarray(logvar)
    out = np.zeros(mu.shape[:-1], dtype=mu.dtype)
    out[...] = 0.5 * np.sum(mu ** 2 + np.exp(lv) - 1.0 - lv, axis=-1)
    return out


def kl_float32(mu, logvar):
    # computed in float32: the σ² − 1 − log σ² cancellation loses everything for small logvar
    mu, lv = np.asarray(mu, np.float32), np.asarray(logvar, np.float32)
    return (0.5 * np.sum(mu ** 2 + np.exp(lv) - np.float32(1.0) - lv, axis=-1)).astype(float)


def kl_inplace_square(mu, logvar):
    # squares the caller's float array in place (np.asarray makes no copy)
    mu, lv = np.asarray(mu, dtype=float), np.asarray(logvar, dtype=float)
    np.square(mu, out=mu)
    return 0.5 * np.sum(mu + np.exp(lv) - 1.0 - lv, axis=-1)


def kl_hangs_series(mu, logvar):
    # σ² − 1 − log σ² = Σ_{k≥2} logvar^k / k!, summed "until the term is negligible" with ≥
    mu, lv = np.asarray(mu, float), np.asarray(logvar, float)
    term = lv ** 2 / 2.0
    s = np.zeros_like(lv)
    k = 2
    while np.any(np.abs(term) >= 1e-16 * np.abs(s)):
        s = s + term
        k += 1
        term = term * lv / k
    return 0.5 * np.sum(mu ** 2 + s, axis=-1)


# ----------------------------------------------------------------------------------------------
# Exercise 2 — reparameterize(mu, logvar, eps)
# ----------------------------------------------------------------------------------------------
def rep_sigma_exp_logvar(mu, logvar, eps):
    return mu + logvar.exp() * eps                       # σ² used as σ


def rep_sigma_is_logvar(mu, logvar, eps):
    return mu + logvar * eps                             # logvar used as σ


def rep_half_outside_exp(mu, logvar, eps):
    return mu + 0.5 * logvar.exp() * eps                 # ½·e^logvar instead of e^(½ logvar)


def rep_exp_twice_logvar(mu, logvar, eps):
    return mu + (2.0 * logvar).exp() * eps               # logvar read as log σ² ... squared


def rep_no_mu(mu, logvar, eps):
    return (0.5 * logvar).exp() * eps


def rep_no_sigma(mu, logvar, eps):
    return mu + eps + 0.0 * logvar


def rep_mu_times(mu, logvar, eps):
    return mu * (0.5 * logvar).exp() * eps               # μ·σ·ε


def rep_numpy_sigma(mu, logvar, eps):
    # σ from NumPy on .data: right values, but no gradient reaches logvar
    sigma = dlmath.tensor(np.exp(0.5 * logvar.data))
    return mu + sigma * eps


def rep_numpy_everything(mu, logvar, eps):
    return dlmath.tensor(mu.data + np.exp(0.5 * logvar.data) * eps.data)


def rep_detached_sigma(mu, logvar, eps):
    return mu + (0.5 * logvar).exp().detach() * eps


def rep_own_noise(mu, logvar, eps):
    # ignores eps and draws its own standard normals
    noise = dlmath.tensor(np.random.default_rng(0).standard_normal(eps.shape))
    return mu + (0.5 * logvar).exp() * noise


def rep_mean_over_draws(mu, logvar, eps):
    z = mu + (0.5 * logvar).exp() * eps
    return z.mean(dim=0) if eps.ndim == 3 else z


def rep_first_draw_only(mu, logvar, eps):
    e = eps[0] if eps.ndim == 3 else eps
    z = mu + (0.5 * logvar).exp() * e
    if eps.ndim == 3:
        return dlmath.stack([z] * eps.shape[0], dim=0)
    return z


def rep_clamp_logvar(mu, logvar, eps):
    # logvar clamped to [−10, 10] "for stability": wrong values (and zero gradient) below −10
    return mu + (0.5 * dlmath.clamp(logvar, -10.0, 10.0)).exp() * eps


def rep_clip_inplace(mu, logvar, eps):
    # the same clamp done in place on the caller's logvar
    np.clip(logvar.data, -10.0, 10.0, out=logvar.data)
    return mu + (0.5 * logvar).exp() * eps


def rep_sqrt_var_plus_eps(mu, logvar, eps):
    # σ = sqrt(e^logvar + 1e-8): a small-variance floor, wrong for logvar ≲ −15
    return mu + (logvar.exp() + 1e-8).sqrt() * eps


def rep_returns_ndarray(mu, logvar, eps):
    return (mu + (0.5 * logvar).exp() * eps).data


def rep_hangs_chunks(mu, logvar, eps):
    # processes the S draws in two halves; for S = 1 the step is 0 and the loop never ends
    sigma = (0.5 * logvar).exp()
    if eps.ndim == 2:
        return mu + sigma * eps
    S = eps.shape[0]
    step = S // 2
    pieces, start = [], 0
    while start < S:
        chunk = eps[start:start + step]
        if chunk.shape[0]:
            pieces.append(mu + sigma * chunk)
        start += step
    return dlmath.cat(pieces, dim=0)


# ----------------------------------------------------------------------------------------------
# Exercise 3 — elbo(x, x_logits, mu, logvar)
# ----------------------------------------------------------------------------------------------
def elbo_log_of_sigmoid(x, x_logits, mu, logvar):
    x, l = np.asarray(x, float), np.asarray(x_logits, float)
    p = 1.0 / (1.0 + np.exp(-l))
    return np.sum(x * np.log(p) + (1 - x) * np.log(1 - p), axis=1) - _kl(mu, logvar)


def elbo_naive_softplus(x, x_logits, mu, logvar):
    x, l = np.asarray(x, float), np.asarray(x_logits, float)
    sp = lambda t: np.log(1.0 + np.exp(t))
    return np.sum(-x * sp(-l) - (1 - x) * sp(l), axis=1) - _kl(mu, logvar)


def elbo_softplus_no_abs(x, x_logits, mu, logvar):
    # softplus(t) = max(t, 0) + log1p(e^(−t)) — the |t| forgotten
    x, l = np.asarray(x, float), np.asarray(x_logits, float)
    sp = lambda t: np.maximum(t, 0) + np.log1p(np.exp(-t))
    return np.sum(-x * sp(-l) - (1 - x) * sp(l), axis=1) - _kl(mu, logvar)


def elbo_clip_probabilities(x, x_logits, mu, logvar):
    # the Keras trick: log(clip(σ(ℓ), 1e-7, 1 − 1e-7))
    x, l = np.asarray(x, float), np.asarray(x_logits, float)
    p = np.clip(1.0 / (1.0 + np.exp(-l)), 1e-7, 1 - 1e-7)
    return np.sum(x * np.log(p) + (1 - x) * np.log(1 - p), axis=1) - _kl(mu, logvar)


def elbo_clip_logits(x, x_logits, mu, logvar):
    x, l = np.asarray(x, float), np.clip(np.asarray(x_logits, float), -30, 30)
    return np.sum(-x * _softplus(-l) - (1 - x) * _softplus(l), axis=1) - _kl(mu, logvar)


def elbo_clip_logits_inplace(x, x_logits, mu, logvar):
    # clips the caller's float logits in place (and is wrong beyond ±30)
    x, l = np.asarray(x, float), np.asarray(x_logits, dtype=float)
    np.clip(l, -30, 30, out=l)
    return np.sum(-x * _softplus(-l) - (1 - x) * _softplus(l), axis=1) - _kl(mu, logvar)


def elbo_special_case_negative(x, x_logits, mu, logvar):
    # patches only the statement's case (very negative ℓ in log σ); log(1 − σ(ℓ)) still naive
    x, l = np.asarray(x, float), np.asarray(x_logits, float)
    p = 1.0 / (1.0 + np.exp(-l))
    with np.errstate(divide="ignore"):
        log_p = np.where(l < -30, l, np.log(np.maximum(p, 1e-300)))
        log_1mp = np.log(1 - p)
    return np.sum(x * log_p + (1 - x) * log_1mp, axis=1) - _kl(mu, logvar)


def elbo_plus_kl(x, x_logits, mu, logvar):
    return _recon(x, x_logits) + _kl(mu, logvar)


def elbo_negated(x, x_logits, mu, logvar):
    # returns the loss −ELBO
    return -(_recon(x, x_logits) - _kl(mu, logvar))


def elbo_mean_over_pixels(x, x_logits, mu, logvar):
    return _recon(x, x_logits) / np.shape(x)[1] - _kl(mu, logvar)


def elbo_mean_over_batch(x, x_logits, mu, logvar):
    return np.full(np.shape(x)[0], np.mean(_recon(x, x_logits) - _kl(mu, logvar)))


def elbo_scalar_sum(x, x_logits, mu, logvar):
    return np.sum(_recon(x, x_logits) - _kl(mu, logvar))


def elbo_kl_summed_over_batch(x, x_logits, mu, logvar):
    mu, lv = np.asarray(mu, float), np.asarray(logvar, float)
    kl = 0.5 * np.sum(mu ** 2 + np.exp(lv) - 1.0 - lv)          # one number for the batch
    return _recon(x, x_logits) - kl


def elbo_kl_axis0(x, x_logits, mu, logvar):
    mu, lv = np.asarray(mu, float), np.asarray(logvar, float)
    kl = 0.5 * np.sum(mu ** 2 + np.exp(lv) - 1.0 - lv, axis=0)
    return _recon(x, x_logits) - kl


def elbo_kl_no_half(x, x_logits, mu, logvar):
    mu, lv = np.asarray(mu, float), np.asarray(logvar, float)
    return _recon(x, x_logits) - np.sum(mu ** 2 + np.exp(lv) - 1.0 - lv, axis=1)


def elbo_kl_logvar_as_log_sigma(x, x_logits, mu, logvar):
    mu, lv = np.asarray(mu, float), np.asarray(logvar, float)
    return _recon(x, x_logits) - 0.5 * np.sum(mu ** 2 + np.exp(2 * lv) - 1 - 2 * lv, axis=1)


def elbo_swapped_terms(x, x_logits, mu, logvar):
    # x·log(1 − σ) + (1 − x)·log σ
    x, l = np.asarray(x, float), np.asarray(x_logits, float)
    return np.sum(-x * _softplus(l) - (1 - x) * _softplus(-l), axis=1) - _kl(mu, logvar)


def elbo_softplus_sign(x, x_logits, mu, logvar):
    # log σ(ℓ) written as +softplus(−ℓ): the outer minus sign lost
    x, l = np.asarray(x, float), np.asarray(x_logits, float)
    return np.sum(x * _softplus(-l) + (1 - x) * _softplus(l), axis=1) - _kl(mu, logvar)


def elbo_pm_one_labels(x, x_logits, mu, logvar):
    # log σ(y·ℓ) with y = 2x − 1: right for binary x only
    x, l = np.asarray(x, float), np.asarray(x_logits, float)
    y = 2 * x - 1
    return np.sum(-_softplus(-y * l), axis=1) - _kl(mu, logvar)


def elbo_binarized_x(x, x_logits, mu, logvar):
    x = (np.asarray(x, float) > 0.5).astype(float)
    return _recon(x, x_logits) - _kl(mu, logvar)


def elbo_keepdims(x, x_logits, mu, logvar):
    x, l = np.asarray(x, float), np.asarray(x_logits, float)
    rec = np.sum(-x * _softplus(-l) - (1 - x) * _softplus(l), axis=1, keepdims=True)
    mu, lv = np.asarray(mu, float), np.asarray(logvar, float)
    kl = 0.5 * np.sum(mu ** 2 + np.exp(lv) - 1.0 - lv, axis=1, keepdims=True)
    return rec - kl                                             # shape (N, 1)


def elbo_int_buffer(x, x_logits, mu, logvar):
    # result buffer with x's dtype: integer x truncates every ELBO
    x = np.asarray(x)
    out = np.zeros(x.shape[0], dtype=x.dtype)
    out[...] = _recon(x, x_logits) - _kl(mu, logvar)
    return out


def elbo_logits_as_probabilities(x, x_logits, mu, logvar):
    x, p = np.asarray(x, float), np.asarray(x_logits, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.sum(x * np.log(p) + (1 - x) * np.log(1 - p), axis=1) - _kl(mu, logvar)


def elbo_hangs_log1p_series(x, x_logits, mu, logvar):
    # log1p(u), u = e^(−|ℓ|) ∈ (0, 1], by its Taylor series "until the term is below 1e-16";
    # at ℓ = 0 (u = 1) the terms are 1/k and the loop runs ~1e16 times
    x, l = np.asarray(x, float), np.asarray(x_logits, float)
    u = np.exp(-np.abs(l))
    s, power, k = np.zeros_like(u), u.copy(), 1
    while np.any(power / k > 1e-16):
        s = s + (-1) ** (k + 1) * power / k
        power = power * u
        k += 1
    sp_pos = np.maximum(l, 0) + s           # softplus(ℓ)
    sp_neg = np.maximum(-l, 0) + s          # softplus(−ℓ)
    return np.sum(-x * sp_neg - (1 - x) * sp_pos, axis=1) - _kl(mu, logvar)


def elbo_hangs_kl_series(x, x_logits, mu, logvar):
    # the KL via the ≥-terminated series of kl_hangs_series: never stops when some logvar = 0
    return _recon(x, x_logits) - kl_hangs_series(mu, logvar)


# ----------------------------------------------------------------------------------------------
WRONG = {
    "check_kl_gaussian_standard": [
        # mu=[0.], logvar=[0.] → d/2 = 0.5 instead of 0
        ("drops the −1 (KL of N(0,1) is ½ per dim, not 0)", kl_missing_minus_one),
        # mu=[0.], logvar=[1.] → 0.859 instead of 0.359
        ("drops the −log σ² term", kl_missing_logvar_term),
        # mu=[1.], logvar=[0.] → 1.0 instead of 0.5
        ("missing the factor ½", kl_missing_half),
        # mu=[0., 0.], logvar=[0., 0.] → −0.5 instead of 0
        ("−1 subtracted once, not once per latent dim", kl_minus_one_once),
        # mu=zeros((3, 2)), logvar=ones((3, 2)) → shape (3, 2) instead of (3,)
        ("not summed over the latent dims (returns (…, d))", kl_not_summed),
        # mu=[1., 1.], logvar=[0., 0.] → 0.5 instead of 1.0
        ("mean over latent dims instead of sum", kl_mean_over_latent),
        # mu=[[1., 2.], [0., 0.]], logvar=0 → [0.5, 2.0] instead of [2.5, 0.0]
        ("summed over axis 0 (the batch) instead of the last axis", kl_sum_axis0),
        # mu=ones((2, 3, 4)), logvar=0 → shape (2, 4) instead of (2, 3)
        ("sums axis 1: wrong for two leading batch axes", kl_sum_axis1),
        # mu=[[1.], [2.]], logvar=0 → 2.5 (scalar) instead of [0.5, 2.0]
        ("sums over the batch too: one number for the whole batch", kl_sum_everything),
        # mu=zeros((3, 2)), logvar=0 → shape (3, 1) instead of (3,)
        ("keepdims=True: shape (…, 1) instead of (…,)", kl_keepdims),
        # mu=[0.], logvar=[1.] → 2.195 instead of 0.359
        ("logvar read as log σ (σ² = e^(2·logvar))", kl_logvar_as_log_sigma),
        # mu=[0.], logvar=[2.] → 0.153 instead of 2.195; nan for logvar ≤ 0
        ("logvar used as the variance itself", kl_logvar_as_variance),
        # mu=[0.], logvar=[1.] → 0.609 instead of 0.359
        ("−¼ log σ² (the ½ applied twice to the log term)", kl_half_log_only),
        # mu=[0.], logvar=[1.] → 0.184 instead of 0.359
        ("reverse KL(N(0,I) ‖ q): arguments swapped", kl_reversed),
        # mu=[0.], logvar=[-30.] → 4.5 instead of 14.5
        ("logvar clipped to [−10, 10] for 'stability'", kl_clip_logvar),
        # mu=[0.], logvar=[-30.] → 8.71 instead of 14.5
        ("log(σ² + 1e-8): an epsilon in the log", kl_eps_in_log),
        # mu=[0.], logvar=[3.] → 2.25 instead of 8.04
        ("second-order Taylor approximation of e^logvar", kl_taylor_exp),
        # int mu=[1], logvar=[0] → 0 instead of 0.5
        ("result buffer of the input dtype: integer inputs truncate", kl_int_buffer),
        # mu=[0.], logvar=[1e-3] → 2.618e-7 instead of 2.501e-7 (5 % relative, 1.2e-8 absolute:
        # a near-miss, caught only with an absolute tolerance below ~1e-8 or a relative test)
        ("computed in float32 (cancellation for logvar near 0)", kl_float32),
        # float mu=[1., 2.] → the caller's mu becomes [1., 4.]
        ("squares the caller's mu in place", kl_inplace_square),
        # mu=[0.], logvar=[0.] → never returns (term 0 ≥ 1e-16·0 forever)
        ("HANGS: series for σ²−1−log σ² with a ≥ test never ends when logvar = 0",
         kl_hangs_series),
    ],
    "check_reparameterize": [
        # mu=[[0.]], logvar=[[1.]], eps=[[1.]] → z = 2.718 instead of 1.649
        ("σ = e^logvar (the variance used as σ)", rep_sigma_exp_logvar),
        # mu=[[0.]], logvar=[[1.]], eps=[[1.]] → z = 1 instead of 1.649
        ("σ = logvar", rep_sigma_is_logvar),
        # mu=[[0.]], logvar=[[1.]], eps=[[1.]] → z = 1.359 instead of 1.649
        ("½·e^logvar instead of e^(½·logvar)", rep_half_outside_exp),
        # mu=[[0.]], logvar=[[1.]], eps=[[1.]] → z = 7.389 instead of 1.649
        ("σ = e^(2·logvar)", rep_exp_twice_logvar),
        # mu=[[1.]], logvar=[[0.]], eps=[[1.]] → z = 1 instead of 2; dz/dμ = 0
        ("forgets μ: z = σ·ε", rep_no_mu),
        # mu=[[0.]], logvar=[[2.]], eps=[[1.]] → z = 1 instead of 2.718; dz/dlogvar = 0
        ("forgets σ: z = μ + ε", rep_no_sigma),
        # mu=[[0.]], logvar=[[0.]], eps=[[1.]] → z = 0 instead of 1
        ("z = μ·σ·ε", rep_mu_times),
        # mu=[[0.]], logvar=[[0.]], eps=[[1.]] → z right, logvar.grad None instead of 0.5
        ("σ computed with NumPy on .data: no gradient to logvar", rep_numpy_sigma),
        # mu=[[0.]], logvar=[[0.]], eps=[[1.]] → z right, no gradient at all
        ("whole computation in NumPy: graph cut", rep_numpy_everything),
        # mu=[[0.]], logvar=[[0.]], eps=[[1.]] → z right, logvar.grad None instead of 0.5
        ("σ detached", rep_detached_sigma),
        # eps=[[1.]] → z uses a fresh N(0,1) draw (≈ 0.126) instead of ε = 1
        ("draws its own noise, ignores eps", rep_own_noise),
        # eps shape (5, 1, 1) → returns shape (1, 1) instead of (5, 1, 1)
        ("S draws averaged: shape (N, d) instead of (S, N, d)", rep_mean_over_draws),
        # eps=[[[1.]], [[2.]]], mu=0, logvar=0 → z[1] = 1 instead of 2
        ("uses only the first of the S draws", rep_first_draw_only),
        # mu=[[0.]], logvar=[[-20.]], eps=[[1.]] → z = 6.7e-3 instead of 4.5e-5, grad 0
        ("logvar clamped to [−10, 10]", rep_clamp_logvar),
        # logvar=[[-20.]] → the caller's logvar.data becomes −10 (and z is wrong as above)
        ("clamps the caller's logvar in place", rep_clip_inplace),
        # mu=[[0.]], logvar=[[-20.]], eps=[[1.]] → z = 1.1e-4 instead of 4.5e-5
        ("σ = sqrt(e^logvar + 1e-8): a variance floor", rep_sqrt_var_plus_eps),
        # any input → returns an ndarray, not a Tensor: no backward possible
        ("returns z.data (a NumPy array)", rep_returns_ndarray),
        # eps of shape (1, N, d) (S = 1) → step = 0, infinite loop
        ("HANGS: splits the S draws in halves; S = 1 gives step 0", rep_hangs_chunks),
    ],
    "check_elbo": [
        # x=[[1]], ℓ=[[-1000.]], mu=logvar=[[0.]] → −inf instead of −1000
        ("log of a computed sigmoid", elbo_log_of_sigmoid),
        # x=[[1]], ℓ=[[-1000.]] → −inf instead of −1000
        ("softplus as log(1 + e^t): overflows", elbo_naive_softplus),
        # x=[[1]], ℓ=[[-1000.]] → nan instead of −1000 (0·inf in the (1−x) term)
        ("softplus without |t|: max(t,0) + log1p(e^(−t))", elbo_softplus_no_abs),
        # x=[[1]], ℓ=[[-1000.]] → −16.1 instead of −1000
        ("clips σ(ℓ) to [1e-7, 1−1e-7] before the log", elbo_clip_probabilities),
        # x=[[1]], ℓ=[[-1000.]] → −30 instead of −1000
        ("clips logits to ±30", elbo_clip_logits),
        # float ℓ=[[-1000.]] → the caller's logits become −30 (and the ELBO is −30)
        ("clips the caller's logits in place", elbo_clip_logits_inplace),
        # x=[[0.]], ℓ=[[1000.]] → −inf instead of −1000
        ("special-cases only very negative ℓ; log(1−σ(ℓ)) naive", elbo_special_case_negative),
        # x=[[1.]], ℓ=[[0.]], mu=[[1.]], logvar=[[0.]] → −0.193 instead of −1.193
        ("ELBO sign: reconstruction + KL", elbo_plus_kl),
        # x=[[1.]], ℓ=[[0.]], mu=logvar=[[0.]] → +0.693 instead of −0.693
        ("returns −ELBO (the loss)", elbo_negated),
        # x=[[1., 1.]], ℓ=[[0., 0.]], mu=logvar=[[0.]] → −0.693 instead of −1.386
        ("reconstruction averaged over pixels", elbo_mean_over_pixels),
        # x=[[1.], [0.]], ℓ=[[0.], [5.]], mu=logvar=zeros((2, 1)) → both −2.85, not [−0.69, −5.01]
        ("ELBO averaged over the batch", elbo_mean_over_batch),
        # same batch as above → scalar −5.70 instead of shape (2,)
        ("summed over the batch: a scalar", elbo_scalar_sum),
        # x=zeros((2,1)), ℓ=-50, mu=[[1.], [0.]], logvar=0 → KL 0.5 taken from both
        ("KL summed over the whole batch", elbo_kl_summed_over_batch),
        # mu=[[1., 2.], [0., 0.]], logvar=0 (N = d = 2) → KLs [0.5, 2.0] instead of [2.5, 0]
        ("KL summed over axis 0", elbo_kl_axis0),
        # mu=[[1.]], logvar=[[0.]], x=0, ℓ=-50 → −1.0 instead of −0.5
        ("KL without the ½", elbo_kl_no_half),
        # mu=[[0.]], logvar=[[1.]], x=0, ℓ=-50 → −2.195 instead of −0.359
        ("KL with logvar read as log σ", elbo_kl_logvar_as_log_sigma),
        # x=[[1.]], ℓ=[[2.]], mu=logvar=0 → −2.127 instead of −0.127
        ("x·log(1−σ) + (1−x)·log σ: terms swapped", elbo_swapped_terms),
        # x=[[1.]], ℓ=[[2.]], mu=logvar=0 → +0.127 instead of −0.127
        ("+softplus(−ℓ) for log σ(ℓ): sign lost", elbo_softplus_sign),
        # x=[[0.3]], ℓ=[[1.]], mu=logvar=0 → −0.913 instead of −1.013
        ("±1-label form log σ((2x−1)ℓ): right for binary x only", elbo_pm_one_labels),
        # x=[[0.3]], ℓ=[[1.]], mu=logvar=0 → −1.313 instead of −1.013
        ("binarises the intensities x > 0.5", elbo_binarized_x),
        # x=zeros((3, 2)), ℓ=0, mu=logvar=zeros((3, 1)) → shape (3, 1) instead of (3,)
        ("keepdims: shape (N, 1)", elbo_keepdims),
        # int x=[[1]], ℓ=[[0.]], mu=logvar=0 → 0 instead of −0.693
        ("result buffer of x's dtype: integer x truncates", elbo_int_buffer),
        # x=[[1.]], ℓ=[[2.]], mu=logvar=0 → nan (log(1 − 2)) instead of −0.127
        ("logits treated as probabilities", elbo_logits_as_probabilities),
        # x=[[1.]], ℓ=[[0.]] → never returns (alternating harmonic series, 1e16 terms)
        ("HANGS: log1p by Taylor series; ℓ = 0 never converges", elbo_hangs_log1p_series),
        # mu=[[0.]], logvar=[[0.]] → never returns
        ("HANGS: KL by a ≥-terminated series; logvar = 0 never stops", elbo_hangs_kl_series),
    ],
}
