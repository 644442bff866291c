"""Adversarial wrong solutions for notebook 27 (uncertainty and calibration): the expected
calibration error over right-closed bins, the Bayesian linear-regression posterior predictive,
the total / aleatoric / epistemic entropy decomposition of an ensemble, and the
accuracy-coverage curve of a model that may abstain.

Written from the exercise text alone (/tmp/exercises/27.md), without reading the checkers. Each
entry is a plausible learner's mistake or a near-miss correct on typical inputs only; the comment
beside it names an input allowed by the statement on which it differs from a correct solution
(checked against a scratch exact-arithmetic reference outside the repo: fractions for
exercises 1, 2 and 4, mpmath at 60 digits for exercise 3).  Entries labelled "HANGS:" never
return on some inputs.
"""
import numpy as np


# ---------------------------------------------------------------------------------------------
# Exercise 1 — expected_calibration_error(confidences, correct, n_bins=10) -> float
# ---------------------------------------------------------------------------------------------

def _ece_parts(confidences, correct):
    return np.asarray(confidences, dtype=float), np.asarray(correct, dtype=float)


def _ece_index(c, n_bins):
    """Right-closed bin of each confidence (0-based), c = 0 in the first bin (the correct rule)."""
    return np.clip(np.ceil(c * n_bins).astype(np.int64), 1, n_bins) - 1


def _ece_left_closed(confidences, correct, n_bins=10):
    # witness: c=[0.5, 0.75], correct=[1, 0], M=2 -> 0.125 (true 0.625): floor(c*M) bins are
    # left-closed, so c = 0.5 goes to bin 2 instead of bin 1
    c, k = _ece_parts(confidences, correct)
    idx = np.minimum((c * n_bins).astype(int), n_bins - 1)
    ece = 0.0
    for b in range(n_bins):
        sel = idx == b
        if sel.any():
            ece += sel.mean() * abs(k[sel].mean() - c[sel].mean())
    return float(ece)


def _ece_digitize_zero_wraps(confidences, correct, n_bins=10):
    # witness: c=[0.0, 0.75], correct=[1, 0], M=2 -> 0.125 (true 0.875): np.digitize(right=True)
    # gives c = 0 the index 0, minus 1 = -1, i.e. the LAST bin
    c, k = _ece_parts(confidences, correct)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    idx = np.digitize(c, edges, right=True) - 1
    idx = np.where(idx < 0, n_bins + idx, idx)          # "python-style" negative index
    ece = 0.0
    for b in range(n_bins):
        sel = idx == b
        if sel.any():
            ece += sel.sum() / len(c) * abs(k[sel].mean() - c[sel].mean())
    return float(ece)


def _ece_unweighted(confidences, correct, n_bins=10):
    # witness: c=[0.25, 0.75, 0.75], correct=[1, 1, 1], M=2 -> 0.5 (true 5/12): plain mean of
    # the gaps of the non-empty bins, no |B_b|/N weights
    c, k = _ece_parts(confidences, correct)
    idx = _ece_index(c, n_bins)
    gaps = [abs(k[idx == b].mean() - c[idx == b].mean())
            for b in range(n_bins) if np.any(idx == b)]
    return float(np.mean(gaps))


def _ece_mean_over_all_bins(confidences, correct, n_bins=10):
    # witness: c=[0.75], correct=[1], M=2 -> 0.125 (true 0.25): averages the weighted gaps over
    # all M bins (empty ones included) instead of summing them
    c, k = _ece_parts(confidences, correct)
    idx = _ece_index(c, n_bins)
    parts = np.zeros(n_bins)
    for b in range(n_bins):
        sel = idx == b
        if sel.any():
            parts[b] = abs(k[sel].mean() - c[sel].mean())
    return float(parts.mean())


def _ece_signed_gap(confidences, correct, n_bins=10):
    # witness: c=[0.25, 0.75], correct=[1, 0], M=2 -> 0 (true 0.75): the signed gaps of an
    # under-confident and an over-confident bin cancel; |.| taken only at the end
    c, k = _ece_parts(confidences, correct)
    idx = _ece_index(c, n_bins)
    total = 0.0
    for b in range(n_bins):
        sel = idx == b
        if sel.any():
            total += sel.mean() * (k[sel].mean() - c[sel].mean())
    return float(abs(total))


def _ece_zero_dropped(confidences, correct, n_bins=10):
    # witness: c=[0.0], correct=[1], M=1 -> 0 (true 1): strict (b-1)/M < c <= b/M for every bin,
    # so a confidence of exactly 0 is in no bin
    c, k = _ece_parts(confidences, correct)
    ece = 0.0
    for b in range(1, n_bins + 1):
        sel = ((b - 1) / n_bins < c) & (c <= b / n_bins)
        if sel.any():
            ece += sel.sum() / len(c) * abs(k[sel].mean() - c[sel].mean())
    return float(ece)


def _ece_int_bin_buffers(confidences, correct, n_bins=10):
    # witness: c=np.array([1, 1]) (int), correct=[1, 0], M=1 -> 1.0 (true 0.5): the per-bin
    # accuracy buffer made like the confidences is an integer array, so acc_b = 0.5 becomes 0
    acc = np.zeros_like(confidences, shape=n_bins)
    conf = np.zeros_like(confidences, shape=n_bins)
    cnt = np.zeros(n_bins)
    c, k = _ece_parts(confidences, correct)
    idx = _ece_index(c, n_bins)
    for b in range(n_bins):
        sel = idx == b
        cnt[b] = sel.sum()
        if sel.any():
            acc[b] = k[sel].mean()
            conf[b] = c[sel].mean()
    return float(np.sum(cnt / len(c) * np.abs(acc - conf)))


def _ece_scales_in_place(confidences, correct, n_bins=10):
    # witness: c=np.array([0.5]), correct=[1], M=2 -> right value 0.5, but the caller's
    # confidences become [1.0] (scaled by M in place to find the bins)
    scaled = confidences
    scaled *= n_bins
    idx = np.clip(np.ceil(scaled).astype(np.int64), 1, n_bins) - 1
    c = np.asarray(scaled, dtype=float) / n_bins
    k = np.asarray(correct, dtype=float)
    ece = 0.0
    for b in range(n_bins):
        sel = idx == b
        if sel.any():
            ece += sel.sum() / len(c) * abs(k[sel].mean() - c[sel].mean())
    return float(ece)


def _ece_bin_midpoint(confidences, correct, n_bins=10):
    # witness: c=[0.9], correct=[1], M=10 -> 0.15 (true 0.1): conf_b taken as the bin's midpoint
    # (b - 1/2)/M instead of the mean confidence of its predictions
    c, k = _ece_parts(confidences, correct)
    idx = _ece_index(c, n_bins)
    ece = 0.0
    for b in range(n_bins):
        sel = idx == b
        if sel.any():
            ece += sel.mean() * abs(k[sel].mean() - (b + 0.5) / n_bins)
    return float(ece)


def _ece_float32(confidences, correct, n_bins=10):
    # witness: c=[1 - 2**-30], correct=[1], M=1 -> 0 (true 2**-30 ~ 9.3e-10): float32 rounds the
    # confidence to 1, the gap cancels completely
    c = np.asarray(confidences, dtype=np.float32)
    k = np.asarray(correct, dtype=np.float32)
    idx = np.clip(np.ceil(c * np.float32(n_bins)).astype(np.int64), 1, n_bins) - 1
    ece = np.float32(0)
    for b in range(n_bins):
        sel = idx == b
        if sel.any():
            ece += np.float32(sel.mean()) * abs(k[sel].mean() - c[sel].mean())
    return float(ece)


def _ece_ignores_bins(confidences, correct, n_bins=10):
    # witness: c=[0.25, 0.75], correct=[1, 0], M=2 -> 0 (true 0.75): one global gap
    # |accuracy - mean confidence|; right only for M = 1
    c, k = _ece_parts(confidences, correct)
    return float(abs(k.mean() - c.mean()))


def _ece_empty_bins_nan(confidences, correct, n_bins=10):
    # witness: c=[0.75], correct=[1], M=2 -> nan (true 0.25): mean of an empty bin is nan and
    # 0 * nan = nan in the weighted sum (right only when every bin is occupied)
    c, k = _ece_parts(confidences, correct)
    idx = _ece_index(c, n_bins)
    with np.errstate(all="ignore"):
        accs = np.array([k[idx == b].mean() if np.any(idx == b) else np.nan
                         for b in range(n_bins)])
        confs = np.array([c[idx == b].mean() if np.any(idx == b) else np.nan
                          for b in range(n_bins)])
    w = np.bincount(idx, minlength=n_bins) / len(c)
    return float(np.sum(w * np.abs(accs - confs)))


def _ece_counts_not_fractions(confidences, correct, n_bins=10):
    # witness: c=[0.75, 0.75], correct=[1, 1], M=1 -> 0.5 (true 0.25): weights |B_b| instead of
    # |B_b|/N
    c, k = _ece_parts(confidences, correct)
    idx = _ece_index(c, n_bins)
    ece = 0.0
    for b in range(n_bins):
        sel = idx == b
        if sel.any():
            ece += sel.sum() * abs(k[sel].mean() - c[sel].mean())
    return float(ece)


def _ece_linspace_m_edges(confidences, correct, n_bins=10):
    # witness: c=[0.5], correct=[1], M=1 -> 0 (true 0.5): edges np.linspace(0, 1, M) give only
    # M - 1 bins (none at all for M = 1)
    c, k = _ece_parts(confidences, correct)
    edges = np.linspace(0.0, 1.0, n_bins)
    ece = 0.0
    for i, (lo, hi) in enumerate(zip(edges[:-1], edges[1:])):
        sel = ((lo < c) | ((i == 0) & (c == 0))) & (c <= hi)
        if sel.any():
            ece += sel.sum() / len(c) * abs(k[sel].mean() - c[sel].mean())
    return float(ece)


def _ece_per_bin_vector(confidences, correct, n_bins=10):
    # witness: c=[0.25, 0.75], correct=[1, 0], M=2 -> array([0.375, 0.375]) of shape (2,)
    # (true the float 0.75): the per-bin contributions, never summed
    c, k = _ece_parts(confidences, correct)
    idx = _ece_index(c, n_bins)
    out = np.zeros(n_bins)
    for b in range(n_bins):
        sel = idx == b
        if sel.any():
            out[b] = sel.sum() / len(c) * abs(k[sel].mean() - c[sel].mean())
    return out


def _ece_int_correct_as_index(confidences, correct, n_bins=10):
    # witness: c=[0.25, 0.75], correct=np.array([1, 0]) (int), M=2 -> 0.5 (true 0.75):
    # `sel & correct` is an int array for int labels, so indexing with it picks elements 0 and 1
    # instead of masking; right for bool labels
    c = np.asarray(confidences, dtype=float)
    idx = _ece_index(c, n_bins)
    ece = 0.0
    for b in range(n_bins):
        sel = idx == b
        if sel.any():
            acc = len(c[sel & correct]) / sel.sum()
            ece += sel.sum() / len(c) * abs(acc - c[sel].mean())
    return float(ece)


def _ece_hangs_on_zero(confidences, correct, n_bins=10):
    # witness: c=[0.0], correct=[1], M=10 -> the bin search "b += 1 until (b-1)/M < c <= b/M"
    # never finds a bin for c = 0: never returns
    c, k = _ece_parts(confidences, correct)
    idx = np.empty(len(c), dtype=np.int64)
    for n, cn in enumerate(c):
        b = 1
        while not ((b - 1) / n_bins < cn <= b / n_bins):
            b = b % n_bins + 1                  # "wrap around", stays in 1 … M
        idx[n] = b - 1
    ece = 0.0
    for b in range(n_bins):
        sel = idx == b
        if sel.any():
            ece += sel.sum() / len(c) * abs(k[sel].mean() - c[sel].mean())
    return float(ece)


# ---------------------------------------------------------------------------------------------
# Exercise 2 — posterior_predictive(X, y, X_new, noise_var, prior_var) -> (mean, var)
# ---------------------------------------------------------------------------------------------

def _pp_parts(X, y, X_new):
    return (np.asarray(X, dtype=float), np.asarray(y, dtype=float),
            np.asarray(X_new, dtype=float))


def _pp_posterior(X, y, noise_var, prior_var):
    """The correct posterior (m, Sigma)."""
    D = X.shape[1]
    A = X.T @ X / noise_var + np.eye(D) / prior_var
    S = np.linalg.inv(A)
    return S @ (X.T @ y) / noise_var, S


def _pp_no_noise(X, y, X_new, noise_var, prior_var):
    # witness: X=[[1.]], y=[1.], X_new=[[1.]], s2=t2=1 -> var 0.5 (true 1.5): the predictive
    # variance without the observation noise s2
    X, y, Xn = _pp_parts(X, y, X_new)
    m, S = _pp_posterior(X, y, noise_var, prior_var)
    return Xn @ m, np.einsum("md,de,me->m", Xn, S, Xn)


def _pp_diagonal_sigma(X, y, X_new, noise_var, prior_var):
    # witness: X=[[1.,1.]], y=[1.], X_new=[[1.,1.]], s2=t2=1 -> var 7/3 (true 5/3): only the
    # diagonal of Sigma, sum_d x_d^2 Sigma_dd (posterior correlations dropped)
    X, y, Xn = _pp_parts(X, y, X_new)
    m, S = _pp_posterior(X, y, noise_var, prior_var)
    return Xn @ m, noise_var + (Xn ** 2) @ np.diag(S)


def _pp_full_covariance(X, y, X_new, noise_var, prior_var):
    # witness: X=[[1.]], y=[1.], X_new=[[1.],[2.]], s2=t2=1 -> var of shape (2, 2)
    # (s2 I + X_new Sigma X_new^T), not the (M,) diagonal
    X, y, Xn = _pp_parts(X, y, X_new)
    m, S = _pp_posterior(X, y, noise_var, prior_var)
    return Xn @ m, noise_var * np.eye(len(Xn)) + Xn @ S @ Xn.T


def _pp_prior_variance_not_precision(X, y, X_new, noise_var, prior_var):
    # witness: X=[[1.]], y=[1.], X_new=[[1.]], s2=1, t2=2 -> mean 1/3, var 4/3 (true 2/3, 5/3):
    # A = X^T X / s2 + t2 I (prior variance added where its inverse belongs)
    X, y, Xn = _pp_parts(X, y, X_new)
    A = X.T @ X / noise_var + prior_var * np.eye(X.shape[1])
    S = np.linalg.inv(A)
    m = S @ X.T @ y / noise_var
    return Xn @ m, noise_var + np.einsum("md,de,me->m", Xn, S, Xn)


def _pp_mean_without_noise_scale(X, y, X_new, noise_var, prior_var):
    # witness: X=[[1.]], y=[1.], X_new=[[1.]], s2=2, t2=1 -> mean 2/3 (true 1/3): m = Sigma X^T y
    # without the 1/s2
    X, y, Xn = _pp_parts(X, y, X_new)
    _, S = _pp_posterior(X, y, noise_var, prior_var)
    return Xn @ (S @ X.T @ y), noise_var + np.einsum("md,de,me->m", Xn, S, Xn)


def _pp_ridge_sigma_unscaled(X, y, X_new, noise_var, prior_var):
    # witness: X=[[1.]], y=[1.], X_new=[[1.]], s2=2, t2=1 -> var 2 + 1/3 (true 2 + 2/3): ridge
    # form, Sigma = (X^T X + (s2/t2) I)^-1 forgetting the factor s2 (the mean is right)
    X, y, Xn = _pp_parts(X, y, X_new)
    R = np.linalg.inv(X.T @ X + noise_var / prior_var * np.eye(X.shape[1]))
    return Xn @ (R @ X.T @ y), noise_var + np.einsum("md,de,me->m", Xn, R, Xn)


def _pp_swapped_variances(X, y, X_new, noise_var, prior_var):
    # witness: X=[[2.]], y=[1.], X_new=[[1.]], s2=2, t2=1 -> A = 4/1 + 1/2 = 4.5 (true 4/2 + 1 = 3)
    # so mean 2/9, var 2 + 2/9 (true 1/3, 2 + 1/3): s2 and t2 swapped inside A
    X, y, Xn = _pp_parts(X, y, X_new)
    A = X.T @ X / prior_var + np.eye(X.shape[1]) / noise_var
    S = np.linalg.inv(A)
    m = S @ X.T @ y / noise_var
    return Xn @ m, noise_var + np.einsum("md,de,me->m", Xn, S, Xn)


def _pp_no_data_shortcut(X, y, X_new, noise_var, prior_var):
    # witness: X=np.zeros((0, 1)), y=np.zeros(0), X_new=[[2.]], s2=t2=1 -> var 2 (true 1 + 4 = 5):
    # the N = 0 shortcut uses s2 + t2, forgetting the |x*|^2 of the prior term
    X, y, Xn = _pp_parts(X, y, X_new)
    if len(X) == 0:
        return np.zeros(len(Xn)), np.full(len(Xn), noise_var + prior_var)
    m, S = _pp_posterior(X, y, noise_var, prior_var)
    return Xn @ m, noise_var + np.einsum("md,de,me->m", Xn, S, Xn)


def _pp_least_squares_mean(X, y, X_new, noise_var, prior_var):
    # witness: X=[[1.]], y=[1.], X_new=[[1.]], s2=t2=1 -> mean 1 (true 1/2): the mean from the
    # least-squares fit (no prior shrinkage); the variance is right
    X, y, Xn = _pp_parts(X, y, X_new)
    _, S = _pp_posterior(X, y, noise_var, prior_var)
    w = np.linalg.lstsq(X, y, rcond=None)[0]
    return Xn @ w, noise_var + np.einsum("md,de,me->m", Xn, S, Xn)


def _pp_returns_std(X, y, X_new, noise_var, prior_var):
    # witness: X=[[1.]], y=[1.], X_new=[[1.]], s2=t2=1 -> 1.2247 = sqrt(1.5) (true var 1.5)
    X, y, Xn = _pp_parts(X, y, X_new)
    m, S = _pp_posterior(X, y, noise_var, prior_var)
    return Xn @ m, np.sqrt(noise_var + np.einsum("md,de,me->m", Xn, S, Xn))


def _pp_column_mean(X, y, X_new, noise_var, prior_var):
    # witness: X=[[1.]], y=[1.], X_new=[[1.],[2.]], s2=t2=1 -> mean of shape (2, 1) (true (2,)):
    # y reshaped into a column vector and the column kept
    X, y, Xn = _pp_parts(X, y, X_new)
    _, S = _pp_posterior(X, y, noise_var, prior_var)
    m = S @ X.T @ y.reshape(-1, 1) / noise_var
    return Xn @ m, noise_var + np.einsum("md,de,me->m", Xn, S, Xn)


def _pp_squeezed(X, y, X_new, noise_var, prior_var):
    # witness: X=[[1.]], y=[1.], X_new=[[1.]] (M = 1), s2=t2=1 -> mean and var of shape ()
    # (true (1,)): np.squeeze of the (M, 1) results
    X, y, Xn = _pp_parts(X, y, X_new)
    m, S = _pp_posterior(X, y, noise_var, prior_var)
    mean = np.squeeze(Xn @ m[:, None])
    var = np.squeeze(noise_var + np.sum((Xn @ S) * Xn, axis=1, keepdims=True))
    return mean, var


def _pp_int_output_buffers(X, y, X_new, noise_var, prior_var):
    # witness: X=[[1.]], y=[1.], X_new=np.array([[1]]) (int), s2=t2=1 -> mean [0], var [1]
    # (true [0.5], [1.5]): outputs filled into zeros_like(X_new[:, 0]), an integer array
    Xf, yf, Xn = _pp_parts(X, y, X_new)
    m, S = _pp_posterior(Xf, yf, noise_var, prior_var)
    mean = np.zeros_like(X_new[:, 0])
    var = np.zeros_like(X_new[:, 0])
    for i, x in enumerate(Xn):
        mean[i] = x @ m
        var[i] = noise_var + x @ S @ x
    return mean, var


def _pp_whitens_in_place(X, y, X_new, noise_var, prior_var):
    # witness: X=np.array([[1.]]), y=np.array([1.]), X_new=[[1.]], s2=4, t2=1 -> right values
    # (mean 0.2, var 4.8) but the caller's X and y are divided by 2 in place
    s = np.sqrt(noise_var)
    X /= s
    y /= s
    Xn = np.asarray(X_new, dtype=float)
    A = X.T @ X + np.eye(X.shape[1]) / prior_var
    S = np.linalg.inv(A)
    m = S @ X.T @ y
    return Xn @ m, noise_var + np.einsum("md,de,me->m", Xn, S, Xn)


def _pp_woodbury_cancellation(X, y, X_new, noise_var, prior_var):
    # witness: X=[[1000.]], y=[1.], X_new=[[1000.]], s2=1, t2=1e10 -> var ~ 2 - 1e-10 exactly,
    # here off by O(1): Sigma = t2 I - t2^2 X^T (s2 I + t2 X X^T)^-1 X subtracts two numbers
    # ~1e10 to get ~1e-6 (catastrophic cancellation); mathematically the same formula
    X, y, Xn = _pp_parts(X, y, X_new)
    D, N = X.shape[1], X.shape[0]
    G = np.linalg.inv(noise_var * np.eye(N) + prior_var * X @ X.T)
    S = prior_var * np.eye(D) - prior_var ** 2 * X.T @ G @ X
    m = prior_var * X.T @ G @ y
    return Xn @ m, noise_var + np.einsum("md,de,me->m", Xn, S, Xn)


def _pp_float32(X, y, X_new, noise_var, prior_var):
    # witness: X=[[1e20]], y=[1.], X_new=[[1e20]], s2=t2=1 -> mean 0, var 1 (true 1 - 1e-40,
    # 2 - 1e-40): X^T X = 1e40 overflows float32 to inf, so Sigma = 0 and m = 0
    X = np.asarray(X, dtype=np.float32)
    y = np.asarray(y, dtype=np.float32)
    Xn = np.asarray(X_new, dtype=np.float32)
    s2, t2 = np.float32(noise_var), np.float32(prior_var)
    A = X.T @ X / s2 + np.eye(X.shape[1], dtype=np.float32) / t2
    S = np.linalg.inv(A)
    m = S @ X.T @ y / s2
    return Xn @ m, s2 + np.einsum("md,de,me->m", Xn, S, Xn)


def _pp_precision_as_covariance(X, y, X_new, noise_var, prior_var):
    # witness: X=[[1.]], y=[1.], X_new=[[1.]], s2=t2=1 -> var 1 + 2 = 3 (true 1.5): x^T A x with
    # the precision A where its inverse Sigma belongs
    X, y, Xn = _pp_parts(X, y, X_new)
    m, _ = _pp_posterior(X, y, noise_var, prior_var)
    A = X.T @ X / noise_var + np.eye(X.shape[1]) / prior_var
    return Xn @ m, noise_var + np.einsum("md,de,me->m", Xn, A, Xn)


def _pp_hangs_without_data(X, y, X_new, noise_var, prior_var):
    # witness: X=np.zeros((0, 1)), y=np.zeros(0), X_new=[[1.]], s2=t2=1 -> the gradient-descent
    # step 1/||X||_F^2 is inf for N = 0, m becomes nan and "until np.allclose(m_new, m)" never
    # holds: never returns
    X, y, Xn = _pp_parts(X, y, X_new)
    D = X.shape[1]
    A = X.T @ X / noise_var + np.eye(D) / prior_var
    b = X.T @ y / noise_var
    with np.errstate(all="ignore"):
        step = 1.0 / (np.sum(X ** 2) / noise_var)      # Lipschitz bound of the data term only
        m = np.zeros(D)
        while True:
            m_new = m - step * (A @ m - b)
            if np.allclose(m_new, m, rtol=1e-13, atol=1e-15):
                break
            m = m_new
    S = np.linalg.inv(A)
    return Xn @ m_new, noise_var + np.einsum("md,de,me->m", Xn, S, Xn)


# ---------------------------------------------------------------------------------------------
# Exercise 3 — uncertainty_decomposition(probs) -> (total, aleatoric, epistemic)
# ---------------------------------------------------------------------------------------------

def _ud_entropy(p, axis=-1):
    """The correct entropy in nats with 0 ln 0 = 0."""
    p = np.asarray(p, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    return -t.sum(axis=axis)


def _ud_nan_zero_log_zero(probs):
    # witness: probs=[[[1., 0.]]] -> total nan (true 0): 0 * log 0 = 0 * -inf = nan
    P = np.asarray(probs, dtype=float)
    with np.errstate(all="ignore"):
        H = lambda p: -np.sum(p * np.log(p), axis=-1)
        total = H(P.mean(axis=0))
        aleatoric = H(P).mean(axis=0)
    return total, aleatoric, total - aleatoric


def _ud_log_eps(probs):
    # witness: probs=np.full((1, 1, 1000), 1e-3) -> total = ln(1000) - 1.0e-5 (true
    # ln(1000) = 6.9077...): log(p + 1e-8) biases every nonzero term; also H([1, 0]) = -1e-8 < 0
    P = np.asarray(probs, dtype=float)
    H = lambda p: -np.sum(p * np.log(p + 1e-8), axis=-1)
    total = H(P.mean(axis=0))
    aleatoric = H(P).mean(axis=0)
    return total, aleatoric, total - aleatoric


def _ud_swapped(probs):
    # witness: probs=[[[1., 0.]], [[0., 1.]]] -> total 0, aleatoric ln 2, epistemic -ln 2
    # (true ln 2, 0, ln 2): entropy of the mean and mean of the entropies swapped
    P = np.asarray(probs, dtype=float)
    total = _ud_entropy(P).mean(axis=0)
    aleatoric = _ud_entropy(P.mean(axis=0))
    return total, aleatoric, total - aleatoric


def _ud_bits(probs):
    # witness: probs=[[[0.5, 0.5]]] -> total 1 (true ln 2 = 0.693): log2, entropy in bits
    P = np.asarray(probs, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        H = lambda p: -np.sum(np.where(p > 0, p * np.log2(np.where(p > 0, p, 1.0)), 0.0),
                              axis=-1)
    total = H(P.mean(axis=0))
    aleatoric = H(P).mean(axis=0)
    return total, aleatoric, total - aleatoric


def _ud_mean_over_samples_axis(probs):
    # witness: probs=[[[1., 0.], [0.5, 0.5]]] (S=1, N=2) -> total of shape (1,) = [H(0.75, 0.25)]
    # (true (2,) [0, ln 2]): p-bar averaged over axis 1 (the N inputs) instead of axis 0
    P = np.asarray(probs, dtype=float)
    total = _ud_entropy(P.mean(axis=1))
    aleatoric = _ud_entropy(P).mean(axis=1)
    return total, aleatoric, total - aleatoric


def _ud_variance_epistemic(probs):
    # witness: probs=[[[1., 0.]], [[0., 1.]]] -> epistemic 0.5 (true ln 2): the summed variance
    # of the members' probabilities as the "disagreement"
    P = np.asarray(probs, dtype=float)
    total = _ud_entropy(P.mean(axis=0))
    aleatoric = _ud_entropy(P).mean(axis=0)
    return total, aleatoric, P.var(axis=0).sum(axis=-1)


def _ud_squeezed(probs):
    # witness: probs=[[[1., 0.], [0.5, 0.5]]] (S=1, N=2) -> scalars H(0.75, 0.25), ln2/2 (true
    # (2,) arrays [0, ln 2], [0, ln 2], [0, 0]): np.squeeze drops S = 1, then axis 0 is N
    P = np.squeeze(np.asarray(probs, dtype=float))
    total = _ud_entropy(P.mean(axis=0))
    aleatoric = _ud_entropy(P).mean(axis=0)
    return total, aleatoric, total - aleatoric


def _ud_nan_to_num_after_sum(probs):
    # witness: probs=[[[0.5, 0.5, 0.]]] -> total 0 (true ln 2): the nan from 0 log 0 is replaced
    # after summing over k, so the whole entropy becomes 0
    P = np.asarray(probs, dtype=float)
    with np.errstate(all="ignore"):
        H = lambda p: np.nan_to_num(-np.sum(p * np.log(p), axis=-1))
        total = H(P.mean(axis=0))
        aleatoric = H(P).mean(axis=0)
    return total, aleatoric, total - aleatoric


def _ud_normalised_entropy(probs):
    # witness: probs=[[[1/3, 1/3, 1/3]]] -> total 1 (true ln 3): entropy divided by ln K
    # (and K = 1 gives 0/0 = nan)
    P = np.asarray(probs, dtype=float)
    with np.errstate(all="ignore"):
        lnK = np.log(P.shape[-1])
        total = _ud_entropy(P.mean(axis=0)) / lnK
        aleatoric = _ud_entropy(P).mean(axis=0) / lnK
    return total, aleatoric, total - aleatoric


def _ud_float32(probs):
    # witness: probs=[[[.5+1e-6, .5-1e-6]], [[.5-1e-6, .5+1e-6]]] -> float32 arrays, total off by
    # 1.9e-9 (~1e7 float64 ulps), and the epistemic 2.0e-12 comes out exactly 0 (float32 rounds
    # both members to the same entropy)
    P = np.asarray(probs, dtype=np.float32)
    with np.errstate(divide="ignore", invalid="ignore"):
        H = lambda p: -np.sum(np.where(p > 0, p * np.log(np.where(p > 0, p, 1)), 0),
                              axis=-1, dtype=np.float32)
    total = H(P.mean(axis=0))
    aleatoric = H(P).mean(axis=0)
    return total, aleatoric, total - aleatoric


def _ud_clips_in_place(probs):
    # witness: probs=np.array([[[1., 0.]]]) -> about the right values, but the caller's 0 entry
    # becomes 1e-12 (np.clip(..., out=probs) to avoid log 0)
    np.clip(probs, 1e-12, 1.0, out=probs)
    P = np.asarray(probs, dtype=float)
    H = lambda p: -np.sum(p * np.log(p), axis=-1)
    total = H(P.mean(axis=0))
    aleatoric = H(P).mean(axis=0)
    return total, aleatoric, total - aleatoric


def _ud_int_output_buffers(probs):
    # witness: probs=np.array([[[1, 0]], [[0, 1]]]) (int one-hot members) -> total [0],
    # epistemic [0] (true [ln 2], [ln 2]): outputs filled into empty_like(probs[0, :, 0]), an
    # integer array
    P = np.asarray(probs, dtype=float)
    S, N, K = P.shape
    total = np.empty_like(probs[0, :, 0])
    aleatoric = np.empty_like(probs[0, :, 0])
    for n in range(N):
        total[n] = _ud_entropy(P[:, n].mean(axis=0))
        aleatoric[n] = _ud_entropy(P[:, n]).mean()
    return total, aleatoric, total - aleatoric


def _ud_keepdims(probs):
    # witness: probs=[[[0.5, 0.5]]] -> arrays of shape (1, 1) (true (1,)): entropies summed with
    # keepdims=True
    P = np.asarray(probs, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        H = lambda p: -np.sum(np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0),
                              axis=-1, keepdims=True)
    total = H(P.mean(axis=0))
    aleatoric = H(P).mean(axis=0)
    return total, aleatoric, total - aleatoric


def _ud_first_member_aleatoric(probs):
    # witness: probs=[[[1., 0.]], [[0.5, 0.5]]] -> aleatoric 0 (true ln2/2): the entropy of the
    # first member only (right for S = 1 or identical members)
    P = np.asarray(probs, dtype=float)
    total = _ud_entropy(P.mean(axis=0))
    aleatoric = _ud_entropy(P[0])
    return total, aleatoric, total - aleatoric


def _ud_mean_over_classes(probs):
    # witness: probs=[[[0.5, 0.5]]] -> total ln2/2 (true ln 2): -mean_k p ln p instead of the sum
    P = np.asarray(probs, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        H = lambda p: -np.mean(np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0),
                               axis=-1)
    total = H(P.mean(axis=0))
    aleatoric = H(P).mean(axis=0)
    return total, aleatoric, total - aleatoric


def _ud_hangs_on_zero_entry(probs):
    # witness: probs=[[[1., 0.]]] -> the class loop `continue`s past a zero entry before
    # advancing k: never returns
    P = np.asarray(probs, dtype=float)
    S, N, K = P.shape

    def H(p):
        h, k = 0.0, 0
        while k < K:
            if p[k] == 0:
                continue                          # "0 ln 0 = 0: skip it"
            h -= p[k] * np.log(p[k])
            k += 1
        return h

    total = np.array([H(P[:, n].mean(axis=0)) for n in range(N)])
    aleatoric = np.array([np.mean([H(P[s, n]) for s in range(S)]) for n in range(N)])
    return total, aleatoric, total - aleatoric


# ---------------------------------------------------------------------------------------------
# Exercise 4 — accuracy_coverage(confidences, correct, thresholds) -> (coverage, accuracy)
# ---------------------------------------------------------------------------------------------

def _ac_parts(confidences, correct, thresholds):
    return (np.asarray(confidences, dtype=float), np.asarray(correct, dtype=bool),
            np.asarray(thresholds, dtype=float))


def _ac_strict(confidences, correct, thresholds):
    # witness: c=[0.5], correct=[1], t=[0.5] -> coverage [0], accuracy [nan] (true [1], [1]):
    # c > t instead of c >= t
    c, k, T = _ac_parts(confidences, correct, thresholds)
    cov, acc = [], []
    for t in T:
        sel = c > t
        cov.append(sel.mean())
        acc.append(k[sel].mean() if sel.any() else np.nan)
    return np.array(cov, dtype=float), np.array(acc, dtype=float)


def _ac_empty_zero(confidences, correct, thresholds):
    # witness: c=[0.5], correct=[1], t=[0.9] -> accuracy [0] (true [nan])
    c, k, T = _ac_parts(confidences, correct, thresholds)
    cov = np.array([(c >= t).mean() for t in T], dtype=float)
    acc = np.array([k[c >= t].mean() if np.any(c >= t) else 0.0 for t in T], dtype=float)
    return cov, acc


def _ac_empty_one(confidences, correct, thresholds):
    # witness: c=[0.5], correct=[1], t=[0.9] -> accuracy [1] (true [nan]): "an abstaining model
    # makes no mistakes"
    c, k, T = _ac_parts(confidences, correct, thresholds)
    cov = np.array([(c >= t).mean() for t in T], dtype=float)
    acc = np.array([k[c >= t].mean() if np.any(c >= t) else 1.0 for t in T], dtype=float)
    return cov, acc


def _ac_coverage_count(confidences, correct, thresholds):
    # witness: c=[0.5, 0.9], correct=[1, 1], t=[0.7] -> coverage [1] (true [0.5]): the size of
    # the answered set, not divided by N
    c, k, T = _ac_parts(confidences, correct, thresholds)
    cov = np.array([np.sum(c >= t) for t in T], dtype=float)
    with np.errstate(all="ignore"):
        acc = np.array([k[c >= t].mean() if np.any(c >= t) else np.nan for t in T])
    return cov, acc


def _ac_int_output_buffers(confidences, correct, thresholds):
    # witness: c=[0.5, 1.], correct=[1, 0], t=np.array([0, 1]) (int) -> coverage [1, 0],
    # accuracy [0, 0] (true [1, 0.5], [0.5, 0]): outputs filled into zeros_like(thresholds)
    c, k, _ = _ac_parts(confidences, correct, thresholds)
    cov = np.zeros_like(thresholds)
    acc = np.zeros_like(thresholds)
    for i, t in enumerate(thresholds):
        sel = c >= t
        cov[i] = sel.mean()
        acc[i] = k[sel].mean() if sel.any() else np.nan
    return cov, acc


def _ac_sorted_thresholds(confidences, correct, thresholds):
    # witness: c=[0.5], correct=[1], t=[0.9, 0.1] -> coverage [1, 0] (true [0, 1]): thresholds
    # sorted for a single sweep and the results never put back in the caller's order
    c, k, T = _ac_parts(confidences, correct, thresholds)
    T = np.sort(T)
    cov = np.array([(c >= t).mean() for t in T], dtype=float)
    acc = np.array([k[c >= t].mean() if np.any(c >= t) else np.nan for t in T], dtype=float)
    return cov, acc


def _ac_searchsorted_right(confidences, correct, thresholds):
    # witness: c=[0.5, 0.5, 0.7], correct=[1, 0, 1], t=[0.5] -> coverage [1/3], accuracy [1]
    # (true [1], [2/3]): N - searchsorted(side="right") counts c > t, ties at t dropped
    c, k, T = _ac_parts(confidences, correct, thresholds)
    order = np.argsort(c)
    cs, ks = c[order], k[order].astype(float)
    N = len(c)
    tail = np.concatenate([np.cumsum(ks[::-1])[::-1], [0.0]])   # hits among sorted[i:]
    start = np.searchsorted(cs, T, side="right")
    n_ans = N - start
    cov = n_ans / N
    with np.errstate(all="ignore"):
        acc = np.where(n_ans > 0, tail[start] / n_ans, np.nan)
    return cov.astype(float), acc.astype(float)


def _ac_accuracy_over_n(confidences, correct, thresholds):
    # witness: c=[0.2, 0.9], correct=[1, 1], t=[0.5] -> accuracy [0.5] (true [1]): correct
    # answered predictions divided by N, not by the number answered
    c, k, T = _ac_parts(confidences, correct, thresholds)
    cov = np.array([(c >= t).mean() for t in T], dtype=float)
    acc = np.array([np.sum(k & (c >= t)) / len(c) if np.any(c >= t) else np.nan for t in T],
                   dtype=float)
    return cov, acc


def _ac_stack_empty_thresholds(confidences, correct, thresholds):
    # witness: thresholds=np.array([]) (T = 0), c=[0.5], correct=[1] -> ValueError from np.stack
    # of an empty list (true two empty float arrays of shape (0,))
    c, k, T = _ac_parts(confidences, correct, thresholds)
    cov = [np.mean(c >= t) for t in T]
    acc = [k[c >= t].mean() if np.any(c >= t) else np.nan for t in T]
    return np.stack(cov).astype(float), np.stack(acc).astype(float)


def _ac_invert_int_labels(confidences, correct, thresholds):
    # witness: c=[0.9, 0.9], correct=np.array([1, 0]) (int), t=[0.] -> accuracy [2.5] (true
    # [0.5]): 1 - mean(~correct); ~ is a bitwise not for ints (~1 = -2, ~0 = -1)
    c = np.asarray(confidences, dtype=float)
    k = np.asarray(correct)
    T = np.asarray(thresholds, dtype=float)
    cov = np.array([(c >= t).mean() for t in T], dtype=float)
    acc = np.array([1 - np.mean(~k[c >= t]) if np.any(c >= t) else np.nan for t in T],
                   dtype=float)
    return cov, acc


def _ac_sorts_in_place(confidences, correct, thresholds):
    # witness: c=np.array([0.9, 0.1]), correct=np.array([True, False]), t=[0.5] -> right values
    # ([0.5], [1]) but the caller's arrays come back sorted ([0.1, 0.9], [False, True])
    order = np.argsort(confidences)
    confidences[:] = confidences[order]
    correct[:] = correct[order]
    c, k, T = _ac_parts(confidences, correct, thresholds)
    cov = np.array([(c >= t).mean() for t in T], dtype=float)
    acc = np.array([k[c >= t].mean() if np.any(c >= t) else np.nan for t in T], dtype=float)
    return cov, acc


def _ac_float32(confidences, correct, thresholds):
    # witness: c=[0.5], correct=[1], t=[0.5 + 1e-9] -> coverage [1], accuracy [1] (true [0],
    # [nan]): both rounded to float32, 0.5 + 1e-9 becomes 0.5 and the comparison flips
    c = np.asarray(confidences, dtype=np.float32)
    k = np.asarray(correct, dtype=bool)
    T = np.asarray(thresholds, dtype=np.float32)
    cov = np.array([(c >= t).mean() for t in T], dtype=float)
    acc = np.array([k[c >= t].mean() if np.any(c >= t) else np.nan for t in T], dtype=float)
    return cov, acc


def _ac_mean_confidence(confidences, correct, thresholds):
    # witness: c=[0.5], correct=[1], t=[0.] -> accuracy [0.5] (true [1]): the mean confidence of
    # the answered predictions instead of the fraction correct
    c, k, T = _ac_parts(confidences, correct, thresholds)
    cov = np.array([(c >= t).mean() for t in T], dtype=float)
    acc = np.array([c[c >= t].mean() if np.any(c >= t) else np.nan for t in T], dtype=float)
    return cov, acc


def _ac_python_int_division(confidences, correct, thresholds):
    # witness: c=[0.5], correct=[1], t=[0.9] -> ZeroDivisionError (true accuracy [nan]): counts
    # turned into Python ints, so 0 / 0 raises instead of giving nan
    c, k, T = _ac_parts(confidences, correct, thresholds)
    cov, acc = [], []
    for t in T:
        n_ans = int(np.sum(c >= t))
        hits = int(np.sum(k & (c >= t)))
        cov.append(n_ans / len(c))
        acc.append(hits / n_ans)
    return np.array(cov, dtype=float), np.array(acc, dtype=float)


def _ac_hangs_bisection(confidences, correct, thresholds):
    # witness: c=[0.1, 0.9], correct=[1, 1], t=[0.5] -> the hand-written bisection for the
    # first sorted c >= t sets lo = mid (not mid + 1): with lo = 0, hi = 1 it never ends
    c, k, T = _ac_parts(confidences, correct, thresholds)
    order = np.argsort(c)
    cs, ks = c[order], k[order]
    N = len(c)
    cov, acc = [], []
    for t in T:
        lo, hi = 0, N
        while lo < hi:
            mid = (lo + hi) // 2
            if cs[mid] >= t:
                hi = mid
            else:
                lo = mid
        n_ans = N - lo
        cov.append(n_ans / N)
        acc.append(ks[lo:].mean() if n_ans else np.nan)
    return np.array(cov, dtype=float), np.array(acc, dtype=float)


WRONG = {
    "check_expected_calibration_error": [
        ("left-closed bins floor(c*M): c on an edge in the bin above", _ece_left_closed),
        ("np.digitize(right=True) - 1: c = 0 wraps to the last bin", _ece_digitize_zero_wraps),
        ("unweighted mean of the bin gaps", _ece_unweighted),
        ("mean over all M bins instead of the weighted sum", _ece_mean_over_all_bins),
        ("signed gaps summed, |.| only at the end", _ece_signed_gap),
        ("c = 0 in no bin (strict lower edge everywhere)", _ece_zero_dropped),
        ("zeros_like(confidences) bin buffers truncate for integer input", _ece_int_bin_buffers),
        ("confidences scaled by M in place", _ece_scales_in_place),
        ("bin midpoint instead of the mean confidence", _ece_bin_midpoint),
        ("computed in float32", _ece_float32),
        ("one global gap, bins ignored", _ece_ignores_bins),
        ("empty bins give nan", _ece_empty_bins_nan),
        ("weights |B_b| instead of |B_b|/N", _ece_counts_not_fractions),
        ("np.linspace(0, 1, M) edges: M - 1 bins", _ece_linspace_m_edges),
        ("per-bin contributions returned, not summed", _ece_per_bin_vector),
        ("sel & correct for int labels becomes an integer index", _ece_int_correct_as_index),
        ("HANGS: bin search never finds a bin for c = 0", _ece_hangs_on_zero),
    ],
    "check_posterior_predictive": [
        ("predictive variance without the noise", _pp_no_noise),
        ("only the diagonal of Sigma", _pp_diagonal_sigma),
        ("full M x M predictive covariance returned", _pp_full_covariance),
        ("prior variance added to A instead of its inverse", _pp_prior_variance_not_precision),
        ("mean m = Sigma X^T y without 1/sigma^2", _pp_mean_without_noise_scale),
        ("ridge form: Sigma missing the factor sigma^2", _pp_ridge_sigma_unscaled),
        ("sigma^2 and tau^2 swapped in A", _pp_swapped_variances),
        ("N = 0 shortcut: var = sigma^2 + tau^2", _pp_no_data_shortcut),
        ("least-squares mean (no prior)", _pp_least_squares_mean),
        ("standard deviation instead of variance", _pp_returns_std),
        ("mean of shape (M, 1)", _pp_column_mean),
        ("np.squeeze: shape () for M = 1", _pp_squeezed),
        ("zeros_like(X_new[:, 0]) outputs truncate for integer X_new", _pp_int_output_buffers),
        ("X and y whitened in place", _pp_whitens_in_place),
        ("Woodbury form: catastrophic cancellation for a large prior", _pp_woodbury_cancellation),
        ("computed in float32 (overflow)", _pp_float32),
        ("precision A used where Sigma belongs", _pp_precision_as_covariance),
        ("HANGS: gradient descent with step 1/||X||^2 never stops for N = 0",
         _pp_hangs_without_data),
    ],
    "check_uncertainty_decomposition": [
        ("0 * log 0 = nan", _ud_nan_zero_log_zero),
        ("log(p + 1e-8)", _ud_log_eps),
        ("total and aleatoric swapped", _ud_swapped),
        ("entropy in bits (log2)", _ud_bits),
        ("mean prediction over the N axis", _ud_mean_over_samples_axis),
        ("epistemic = summed variance of the members", _ud_variance_epistemic),
        ("np.squeeze breaks S = 1", _ud_squeezed),
        ("nan_to_num after the sum over classes", _ud_nan_to_num_after_sum),
        ("entropy normalised by ln K", _ud_normalised_entropy),
        ("computed in float32", _ud_float32),
        ("np.clip(out=probs) changes the caller's array", _ud_clips_in_place),
        ("empty_like(probs[0, :, 0]) outputs truncate for integer probs", _ud_int_output_buffers),
        ("results of shape (N, 1)", _ud_keepdims),
        ("aleatoric from the first member only", _ud_first_member_aleatoric),
        ("mean over classes instead of the sum", _ud_mean_over_classes),
        ("HANGS: class loop never advances past a zero entry", _ud_hangs_on_zero_entry),
    ],
    "check_accuracy_coverage": [
        ("c > t instead of c >= t", _ac_strict),
        ("accuracy 0 when nothing is answered", _ac_empty_zero),
        ("accuracy 1 when nothing is answered", _ac_empty_one),
        ("coverage as a count", _ac_coverage_count),
        ("zeros_like(thresholds) outputs truncate for integer thresholds", _ac_int_output_buffers),
        ("results in sorted-threshold order", _ac_sorted_thresholds),
        ("searchsorted side='right': ties at t dropped", _ac_searchsorted_right),
        ("accuracy divided by N", _ac_accuracy_over_n),
        ("np.stack fails for T = 0", _ac_stack_empty_thresholds),
        ("~correct on integer labels", _ac_invert_int_labels),
        ("sorts the caller's arrays in place", _ac_sorts_in_place),
        ("compared in float32", _ac_float32),
        ("mean confidence instead of accuracy", _ac_mean_confidence),
        ("Python ints: 0/0 raises when nothing is answered", _ac_python_int_division),
        ("HANGS: bisection with lo = mid never ends", _ac_hangs_bisection),
    ],
}
