"""Wrong solutions for notebook 16 (information theory):
``check_entropy``, ``check_kl_divergence``, ``check_log_softmax``,
``check_smoothed_cross_entropy``.

Written from the exercise statements only. Every entry is a plausible learner's mistake or a
sneaky near-miss; the comment beside it names an input allowed by the statement on which it
differs from a correct implementation (or hangs, or changes the caller's arrays). Each was checked
against an independent reference (30–40-digit arithmetic) in a scratch file outside the repo.
"""
import math

import numpy as np


def _f(a, dtype=np.float64):
    return np.asarray(a, dtype=dtype)


def _plogp(p):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)


# ----------------------------------------------------------------------------------------------
# Exercise 1 — entropy(p, base)
# ----------------------------------------------------------------------------------------------
def ent_naive(p, base):
    p = _f(p)
    with np.errstate(divide="ignore", invalid="ignore"):
        return -np.sum(p * np.log(p), axis=-1) / np.log(base)          # 0·log 0 = nan


def ent_clip(p, base):
    # log(clip(p, 1e-12, 1)): every zero entry adds −1e-12·log(1e-12) ≈ 2.8e-11
    p = _f(p)
    q = np.clip(p, 1e-12, 1.0)
    return -np.sum(q * np.log(q), axis=-1) / np.log(base)


def ent_eps_in_log(p, base):
    p = _f(p)
    return -np.sum(p * np.log(p + 1e-10), axis=-1) / np.log(base)


def ent_times_log_base(p, base):
    return -np.sum(_plogp(_f(p)), axis=-1) * np.log(base)


def ent_ignores_base(p, base):
    with np.errstate(divide="ignore", invalid="ignore"):
        p = _f(p)
        return -np.sum(np.where(p > 0, p * np.log2(np.where(p > 0, p, 1.0)), 0.0), axis=-1)


def ent_log10_of_base(p, base):
    return -np.sum(_plogp(_f(p)), axis=-1) / np.log10(base)


def ent_zeros_to_one_inplace(p, base):
    # replaces the zeros by ones in the caller's array so that log 1 = 0
    p = np.asarray(p)
    p[p == 0] = 1
    return -np.sum(p * np.log(p), axis=-1) / np.log(base)


def ent_axis0(p, base):
    return -np.sum(_plogp(_f(p)), axis=0) / np.log(base)


def ent_sum_everything(p, base):
    return -np.sum(_plogp(_f(p))) / np.log(base)


def ent_mask_flattens(p, base):
    # p[p > 0] flattens the batch: one number for all distributions
    p = _f(p)
    nz = p[p > 0]
    return -np.sum(nz * np.log(nz)) / np.log(base)


def ent_not_summed(p, base):
    return -_plogp(_f(p)) / np.log(base)                               # shape (..., K)


def ent_no_minus(p, base):
    return np.sum(_plogp(_f(p)), axis=-1) / np.log(base)


def ent_float32(p, base):
    p = _f(p, np.float32)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(p > 0, p * np.log(np.where(p > 0, p, np.float32(1))), np.float32(0))
    return (-np.sum(t, axis=-1) / np.float32(np.log(base))).astype(float)


def ent_normalised(p, base):
    # divides by log K ("normalised entropy"): nan for K = 1 and base ignored
    p = _f(p)
    with np.errstate(divide="ignore", invalid="ignore"):
        return -np.sum(_plogp(p), axis=-1) / np.log(p.shape[-1])


def ent_hangs_skip_zero(p, base):
    # loops over the entries and `continue`s on a zero without advancing the index
    p = _f(p)
    rows = p.reshape(-1, p.shape[-1])
    out = np.empty(rows.shape[0])
    for r, row in enumerate(rows):
        s, k = 0.0, 0
        while k < len(row):
            if row[k] == 0:
                continue
            s -= row[k] * math.log(row[k])
            k += 1
        out[r] = s / math.log(base)
    return out.reshape(p.shape[:-1])


# ----------------------------------------------------------------------------------------------
# Exercise 2 — kl_divergence(p, q)
# ----------------------------------------------------------------------------------------------
def _kl(p, q):
    p, q = _f(p), _f(q)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0) / q), 0.0)
    return np.sum(t, axis=-1)


def kl_swapped(p, q):
    return _kl(q, p)


def kl_naive(p, q):
    p, q = _f(p), _f(q)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.sum(p * np.log(p / q), axis=-1)                      # 0·log 0 → nan


def kl_eps(p, q):
    # log((p + ε)/(q + ε)): finite where the answer is +inf
    p, q = _f(p), _f(q)
    return np.sum(p * np.log((p + 1e-10) / (q + 1e-10)), axis=-1)


def kl_drops_q_zero(p, q):
    # terms kept only where both p > 0 and q > 0: the +inf terms vanish
    p, q = _f(p), _f(q)
    ok = (p > 0) & (q > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.sum(np.where(ok, p * np.log(np.where(ok, p / np.where(ok, q, 1.0), 1.0)), 0.0),
                      axis=-1)


def kl_nan_to_num(p, q):
    # nan → 0 also turns +inf into 1.8e308
    p, q = _f(p), _f(q)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.sum(np.nan_to_num(p * np.log(p / q)), axis=-1)


def kl_cross_entropy(p, q):
    # −Σ p log q (the cross-entropy), not the KL
    p, q = _f(p), _f(q)
    with np.errstate(divide="ignore", invalid="ignore"):
        return -np.sum(np.where(p > 0, p * np.log(q), 0.0), axis=-1)


def kl_bits(p, q):
    return _kl(p, q) / math.log(2)


def kl_axis0(p, q):
    p, q = _f(p), _f(q)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0) / q), 0.0)
    return np.sum(t, axis=0)


def kl_mask_flattens(p, q):
    p, q = _f(p), _f(q)
    m = p > 0
    with np.errstate(divide="ignore"):
        return np.sum(p[m] * np.log(p[m] / q[m]))


def kl_q_floor_inplace(p, q):
    # floors the caller's q at 1e-300 in place "to avoid log 0" (and returns a finite number)
    q = np.asarray(q)
    q[q == 0] = 1e-300
    return _kl(p, q)


def kl_int_buffer(p, q):
    p = np.asarray(p)
    out = np.zeros(p.shape[:-1], dtype=p.dtype)
    out[...] = _kl(p, q)
    return out


def kl_abs_terms(p, q):
    # Σ p |log(p/q)|: the terms are made positive "because KL ≥ 0"
    p, q = _f(p), _f(q)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.sum(np.where(p > 0, p * np.abs(np.log(np.where(p > 0, p, 1.0) / q)), 0.0),
                      axis=-1)


def kl_hangs_skip_zero(p, q):
    p, q = _f(p), _f(q)
    rows_p, rows_q = p.reshape(-1, p.shape[-1]), q.reshape(-1, q.shape[-1])
    out = np.empty(rows_p.shape[0])
    for r in range(rows_p.shape[0]):
        s, k = 0.0, 0
        while k < rows_p.shape[1]:
            if rows_p[r, k] == 0:
                continue                                                # k never advances
            s += math.inf if rows_q[r, k] == 0 else \
                rows_p[r, k] * math.log(rows_p[r, k] / rows_q[r, k])
            k += 1
        out[r] = s
    return out.reshape(p.shape[:-1])


# ----------------------------------------------------------------------------------------------
# Exercise 3 — log_softmax(z)
# ----------------------------------------------------------------------------------------------
def _lsm(z):
    z = _f(z)
    m = np.max(z, axis=-1, keepdims=True)
    return z - m - np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True))


def lsm_no_shift(z):
    z = _f(z)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        return z - np.log(np.sum(np.exp(z), axis=-1, keepdims=True))


def lsm_global_shift(z):
    # one max for the whole batch: a row far below it underflows to log 0
    z = _f(z)
    m = np.max(z)
    with np.errstate(divide="ignore"):
        return z - m - np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True))


def lsm_log_of_softmax(z):
    z = _f(z)
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    with np.errstate(divide="ignore"):
        return np.log(e / e.sum(axis=-1, keepdims=True))


def lsm_forgets_m(z):
    z = _f(z)
    m = np.max(z, axis=-1, keepdims=True)
    return z - np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True))  # m not added back


def lsm_axis0(z):
    z = _f(z)
    m = np.max(z, axis=0, keepdims=True)
    return z - m - np.log(np.sum(np.exp(z - m), axis=0, keepdims=True))


def lsm_no_keepdims(z):
    # max and sum without keepdims: (N,) broadcasts along the wrong axis of (N, K)
    z = _f(z)
    m = np.max(z, axis=-1)
    return z - m - np.log(np.sum(np.exp(z - np.max(z, axis=-1, keepdims=True)), axis=-1))


def lsm_shift_by_mean(z):
    z = _f(z)
    m = np.mean(z, axis=-1, keepdims=True)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        return z - m - np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True))


def lsm_shift_by_min(z):
    z = _f(z)
    m = np.min(z, axis=-1, keepdims=True)
    with np.errstate(over="ignore", invalid="ignore"):
        return z - m - np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True))


def lsm_inplace(z):
    # shifts the caller's array in place
    z = np.asarray(z)
    z -= np.max(z, axis=-1, keepdims=True).astype(z.dtype)
    return z - np.log(np.sum(np.exp(z), axis=-1, keepdims=True))


def lsm_int_output(z):
    out = np.empty_like(np.asarray(z))
    out[...] = _lsm(z)
    return out


def lsm_axis1(z):
    # written for (N, K) batches: axis=1 hard-coded (1-D input fails, 3-D is wrong)
    z = _f(z)
    m = np.max(z, axis=1, keepdims=True)
    return z - m - np.log(np.sum(np.exp(z - m), axis=1, keepdims=True))


def lsm_float32(z):
    return _lsm(_f(z, np.float32)).astype(float)


def lsm_hangs_range_shift(z):
    # keeps the logits "in exp's range" by shifting in steps of 700 — rows spread over more
    # than 1400 bounce between the two tests forever
    z = _f(z).copy()
    while np.max(z) > 700 or np.min(z) < -700:
        if np.max(z) > 700:
            z = z - 700.0
        else:
            z = z + 700.0
    return z - np.log(np.sum(np.exp(z), axis=-1, keepdims=True))


# ----------------------------------------------------------------------------------------------
# Exercise 4 — smoothed_cross_entropy(logits, targets, eps)
# ----------------------------------------------------------------------------------------------
def _rows(logits, targets):
    ls = _lsm(logits)
    t = np.asarray(targets)
    return ls, ls[np.arange(ls.shape[0]), t]


def sce_k_minus_one(logits, targets, eps):
    # the other convention: 1 − ε on the true class, ε/(K − 1) on each of the others
    ls, true = _rows(logits, targets)
    K = ls.shape[1]
    if K == 1:
        return float(np.mean(-true))
    others = ls.sum(axis=1) - true
    return float(np.mean(-((1 - eps) * true + eps / (K - 1) * others)))


def sce_smooths_prediction(logits, targets, eps):
    # smooths the predicted probabilities instead of the target
    z = _f(logits)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    K = z.shape[1]
    ps = (1 - eps) * p + eps / K
    return float(np.mean(-np.log(ps[np.arange(z.shape[0]), np.asarray(targets)])))


def sce_ignores_eps(logits, targets, eps):
    ls, true = _rows(logits, targets)
    return float(np.mean(-true))


def sce_no_shift(logits, targets, eps):
    z = _f(logits)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        ls = z - np.log(np.sum(np.exp(z), axis=1, keepdims=True))
    K = z.shape[1]
    true = ls[np.arange(z.shape[0]), np.asarray(targets)]
    return float(np.mean(-((1 - eps) * true + eps / K * ls.sum(axis=1))))


def sce_log_of_softmax(logits, targets, eps):
    # log(softmax): −inf for a probability below the float64 range, so ε·(−inf) = inf
    z = _f(logits)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    with np.errstate(divide="ignore"):
        ls = np.log(e / e.sum(axis=1, keepdims=True))
    K = z.shape[1]
    true = ls[np.arange(z.shape[0]), np.asarray(targets)]
    with np.errstate(invalid="ignore"):
        return float(np.mean(-((1 - eps) * true + eps / K * ls.sum(axis=1))))


def sce_sum_over_batch(logits, targets, eps):
    ls, true = _rows(logits, targets)
    K = ls.shape[1]
    return float(np.sum(-((1 - eps) * true + eps / K * ls.sum(axis=1))))


def sce_true_class_one_minus_eps(logits, targets, eps):
    # the true class gets 1 − ε only (its ε/K share forgotten)
    ls, true = _rows(logits, targets)
    K = ls.shape[1]
    others = ls.sum(axis=1) - true
    return float(np.mean(-((1 - eps) * true + eps / K * others)))


def sce_wrong_indexing(logits, targets, eps):
    # ls[:, targets] picks an (N, N) block instead of one entry per row
    ls = _lsm(logits)
    K = ls.shape[1]
    true = ls[:, np.asarray(targets)]
    return float(np.mean(-((1 - eps) * true + eps / K * ls.sum(axis=1, keepdims=True))))


def sce_no_division_by_k(logits, targets, eps):
    ls, true = _rows(logits, targets)
    return float(np.mean(-((1 - eps) * true + eps * ls.sum(axis=1))))


def sce_inplace_shift(logits, targets, eps):
    z = np.asarray(logits)
    z -= z.max(axis=1, keepdims=True)
    ls = z - np.log(np.sum(np.exp(z), axis=1, keepdims=True))
    K = ls.shape[1]
    true = ls[np.arange(ls.shape[0]), np.asarray(targets)]
    return float(np.mean(-((1 - eps) * true + eps / K * ls.sum(axis=1))))


def sce_global_shift(logits, targets, eps):
    z = _f(logits)
    m = z.max()
    with np.errstate(divide="ignore", invalid="ignore"):
        ls = z - m - np.log(np.sum(np.exp(z - m), axis=1, keepdims=True))
    K = z.shape[1]
    true = ls[np.arange(z.shape[0]), np.asarray(targets)]
    with np.errstate(invalid="ignore"):
        return float(np.mean(-((1 - eps) * true + eps / K * ls.sum(axis=1))))


def sce_no_minus(logits, targets, eps):
    ls, true = _rows(logits, targets)
    K = ls.shape[1]
    return float(np.mean((1 - eps) * true + eps / K * ls.sum(axis=1)))


def sce_per_example(logits, targets, eps):
    ls, true = _rows(logits, targets)
    K = ls.shape[1]
    return -((1 - eps) * true + eps / K * ls.sum(axis=1))               # shape (N,)


def sce_hangs_skip_zero_weight(logits, targets, eps):
    # skips classes with zero target weight (ε = 0) — with `continue` before the increment
    ls = _lsm(logits)
    N, K = ls.shape
    t = np.asarray(targets)
    total = 0.0
    for i in range(N):
        k = 0
        while k < K:
            w = (1 - eps) * (k == t[i]) + eps / K
            if w == 0:
                continue
            total -= w * ls[i, k]
            k += 1
    return total / N


# ----------------------------------------------------------------------------------------------
WRONG = {
    "check_entropy": [
        # p=[0.5, 0.5, 0.], base 2 → nan instead of 1.0
        ("p·log p with 0·log 0 = nan", ent_naive),
        # p=[1, 0, 0, 0, 0], base e → 1.1e-10 instead of 0
        ("log(clip(p, 1e-12, 1))", ent_clip),
        # p=[1e-10, 1 − 1e-10], base e → 2.233e-9 instead of 2.403e-9 (7 %)
        ("log(p + 1e-10)", ent_eps_in_log),
        # p=[0.5, 0.5], base 2 → 0.480 instead of 1.0
        ("× ln(base) instead of ÷ ln(base)", ent_times_log_base),
        # p=[0.5, 0.5], base e → 1.0 instead of 0.693
        ("always bits: base ignored", ent_ignores_base),
        # p=[0.5, 0.5], base 2 → 2.30 instead of 1.0
        ("÷ log10(base)", ent_log10_of_base),
        # float p=[0.5, 0.5, 0.] → the caller's p becomes [0.5, 0.5, 1.]
        ("sets the caller's zeros to 1 in place", ent_zeros_to_one_inplace),
        # p=[[1., 0., 0.], [0.5, 0.25, 0.25]] → shape (3,) instead of (2,)
        ("summed over axis 0", ent_axis0),
        # same batch → one number instead of [0, 1.04]
        ("summed over the whole batch", ent_sum_everything),
        # same batch → p[p > 0] flattens it: one number
        ("p[p > 0] mask flattens the batch", ent_mask_flattens),
        # p=[0.5, 0.5] → shape (2,) instead of ()
        ("terms not summed", ent_not_summed),
        # p=[0.5, 0.5], base e → −0.693 instead of 0.693
        ("minus sign dropped", ent_no_minus),
        # p=[0.3, 0.7], base e → off by 4e-8 (float32), far beyond nine digits
        ("computed in float32", ent_float32),
        # p=[1.] (K = 1) → nan instead of 0; p=[0.5, 0.5], base e → 1 instead of 0.693
        ("divides by log K (normalised entropy)", ent_normalised),
        # p=[1., 0.] → never returns
        ("HANGS: `continue` on a zero entry skips the index increment", ent_hangs_skip_zero),
    ],
    "check_kl_divergence": [
        # p=[0.5, 0.5], q=[0.9, 0.1] → 0.368 instead of 0.511
        ("arguments swapped: KL(q ‖ p)", kl_swapped),
        # p=[1., 0.], q=[0.5, 0.5] → nan instead of 0.693
        ("p·log(p/q) with 0·log 0 = nan", kl_naive),
        # p=[0.5, 0.5], q=[1., 0.] → 10.8 instead of inf
        ("log((p + ε)/(q + ε)): finite instead of inf", kl_eps),
        # p=[0.5, 0.5], q=[1., 0.] → −0.347 instead of inf
        ("drops the terms with q = 0", kl_drops_q_zero),
        # p=[0.5, 0.5], q=[1., 0.] → 9e307 instead of inf
        ("np.nan_to_num: +inf becomes 1.8e308", kl_nan_to_num),
        # p = q = [0.5, 0.5] → 0.693 instead of 0
        ("cross-entropy −Σ p log q instead of KL", kl_cross_entropy),
        # p=[0.5, 0.5], q=[0.9, 0.1] → 0.737 (bits) instead of 0.511 nats
        ("log base 2", kl_bits),
        # p=[[1., 0., 0.], [0.5, 0.25, 0.25]], q uniform → shape (3,) instead of (2,)
        ("summed over axis 0", kl_axis0),
        # same → one number for the whole batch
        ("p[p > 0] mask flattens the batch", kl_mask_flattens),
        # float p=[0.5, 0.5], q=[1., 0.] → the caller's q becomes [1., 1e-300]; 344.6 not inf
        ("floors the caller's q at 1e-300 in place", kl_q_floor_inplace),
        # int p=[1, 0], q=[0.5, 0.5] → 0 instead of 0.693
        ("result buffer of p's integer dtype", kl_int_buffer),
        # p=[0.5, 0.5], q=[0.25, 0.75] → 0.549 instead of 0.144
        ("Σ p·|log(p/q)|", kl_abs_terms),
        # p=[0., 1.], q=[0.5, 0.5] → never returns
        ("HANGS: `continue` on p_k = 0 skips the index increment", kl_hangs_skip_zero),
    ],
    "check_log_softmax": [
        # z=[1000., 0.] → [−inf, −inf] instead of [0, −1000]
        ("no max-shift: exp overflows", lsm_no_shift),
        # z=[[0., 1.], [-3000., -2999.]] → second row inf instead of [−1.313, −0.313]
        ("one max for the whole batch", lsm_global_shift),
        # z=[0., -2000.] → [0, −inf] instead of [0, −2000]
        ("log of the softmax", lsm_log_of_softmax),
        # z=[1., 2.] → [−0.313, 0.687] instead of [−1.313, −0.313]
        ("max subtracted but not added back", lsm_forgets_m),
        # z=[[0., 1.], [2., 5.]] → normalised over columns
        ("over axis 0", lsm_axis0),
        # z=[[0., 1.], [2., 5.]] → max/sum of row i subtracted from column i
        ("max and log-sum without keepdims (broadcast along the wrong axis)", lsm_no_keepdims),
        # z=[0., 2000.] → exp(1000) overflows: [−inf, −inf] instead of [−2000, 0]
        ("shift by the mean", lsm_shift_by_mean),
        # z=[0., 1000.] → exp(1000) = inf: [−inf, −inf] instead of [−1000, 0]
        ("shift by the min", lsm_shift_by_min),
        # float z=[1., 2.] → the caller's z becomes [−1., 0.]
        ("shifts the caller's array in place", lsm_inplace),
        # int z=[0, 1] → integer output (truncated) instead of [−1.313, −0.313]
        ("output allocated like z: integers truncate", lsm_int_output),
        # 1-D z=[0., 1.] → AxisError; 3-D input normalised over axis 1
        ("axis=1 hard-coded", lsm_axis1),
        # z=[1000.1, 1000.2] → error ~2e-5 (float32 rounds the logits), far beyond 1e-10
        ("computed in float32", lsm_float32),
        # z=[0., -2000.] → never returns (bounces between +700 and −700 shifts)
        ("HANGS: shifting by ±700 until in range", lsm_hangs_range_shift),
    ],
    "check_smoothed_cross_entropy": [
        # logits=[[0., 1., 2.]], targets=[0], eps=0.1 → 2.258 instead of 2.308
        ("ε/(K − 1) convention", sce_k_minus_one),
        # same → 2.168 instead of 2.308
        ("smooths the predicted probabilities, not the target", sce_smooths_prediction),
        # same → 2.408 instead of 2.308
        ("ε ignored (plain cross-entropy)", sce_ignores_eps),
        # logits=[[1000., 0.]], targets=[0], eps=0.1 → inf instead of 50
        ("no max-shift", sce_no_shift),
        # logits=[[0., -2000.]], targets=[0], eps=0.1 → inf instead of 100
        ("log of the softmax (−inf for tiny probabilities)", sce_log_of_softmax),
        # logits=[[0., 1.], [1., 0.]], targets=[0, 0], eps=0 → 1.627 instead of 0.813
        ("summed over the batch", sce_sum_over_batch),
        # logits=[[0., 1., 2.]], targets=[0], eps=0.1 → 2.227 instead of 2.308
        ("true class gets 1 − ε only", sce_true_class_one_minus_eps),
        # logits=[[0., 1.], [1., 0.]], targets=[0, 1], eps=0 → 0.813 instead of 1.313
        ("ls[:, targets] (N × N block)", sce_wrong_indexing),
        # logits=[[0., 1., 2.]], targets=[0], eps=0.1 → 2.589 instead of 2.308
        ("ε not divided by K", sce_no_division_by_k),
        # float logits=[[0., 1.]] → the caller's logits become [[−1., 0.]]
        ("shifts the caller's logits in place", sce_inplace_shift),
        # logits=[[0., 1.], [-3000., -2999.]], targets=[0, 0], eps=0.1 → −inf instead of 1.263
        ("one max for the whole batch", sce_global_shift),
        # logits=[[0., 1.]], targets=[0], eps=0 → −1.313 instead of 1.313
        ("minus sign dropped", sce_no_minus),
        # logits=[[0., 1.], [1., 0.]], targets=[0, 0], eps=0 → shape (2,) instead of a number
        ("per-example losses, not their mean", sce_per_example),
        # eps=0 with K ≥ 2 → never returns
        ("HANGS: skips zero-weight classes with `continue` before the increment",
         sce_hangs_skip_zero_weight),
    ],
}
