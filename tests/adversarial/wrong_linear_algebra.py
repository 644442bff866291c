"""Wrong learner solutions for the linear-algebra exercises (notebooks 01-05), written from the
exercise text alone. Each function is wrong on some valid input; the comment above it names one.

Functions whose label starts with "HANGS:" never return on some inputs.
"""
import numpy as np


# ---------------------------------------------------------------- 01 · vector_norms(x) -> (L1, L2, Linf)

# x = [3, -4]: L1 should be 7, this gives -1
def norms_l1_without_abs(x):
    return np.sum(x), np.sqrt(np.sum(x ** 2)), np.max(np.abs(x))


# x = [3, -4]: Linf should be 4, this gives 3
def norms_linf_without_abs(x):
    a = np.abs(x)
    return a.sum(), np.sqrt(np.sum(x ** 2)), np.max(x)


# x = [3, -4]: Linf should be 4, this gives -4 (the signed entry of largest size)
def norms_linf_signed_entry(x):
    a = np.abs(x)
    return a.sum(), np.sqrt(np.sum(x ** 2)), x[np.argmax(a)]


# x = [3, 4]: L2 should be 5, this gives 25
def norms_l2_without_sqrt(x):
    a = np.abs(x)
    return a.sum(), np.sum(x ** 2), a.max()


# x = [3, -4]: L2 should be 5, this gives |3 - 4| = 1 (squares the sum, not the entries)
def norms_l2_square_of_sum(x):
    a = np.abs(x)
    return a.sum(), np.sqrt(np.sum(x) ** 2), a.max()


# x = [3, 4]: should be (7, 5, 4), this gives (5, 7, 4)
def norms_l1_l2_swapped(x):
    a = np.abs(x)
    return np.sqrt(np.sum(x ** 2)), a.sum(), a.max()


# x = [1e20, 0]: L2 should be 1e20, float32 squares overflow to inf; x = [0.1, 0.2] loses digits
def norms_in_float32(x):
    a = np.abs(np.asarray(x, dtype=np.float32))
    return a.sum(), np.sqrt(np.sum(a ** 2)), a.max()


# x = [1, -5]: Linf should be 5, this gives |max(x)| = 1
def norms_linf_abs_of_max(x):
    a = np.abs(x)
    return a.sum(), np.sqrt(np.sum(x ** 2)), abs(np.max(x))


# ---------------------------------------------------------------- 01 · cosine_similarity(a, b)

# a = [1, 0], b = [2, 0]: should be 1, this gives 2
def cos_divides_by_norm_a_only(a, b):
    na = np.linalg.norm(a)
    if na == 0:
        return 0.0
    return float(a @ b / na)


# a = [1, 0], b = [2, 0]: should be 1, this gives 2 (|a|^2 instead of |a||b|)
def cos_divides_by_norm_a_squared(a, b):
    na = np.linalg.norm(a)
    if na == 0 or np.linalg.norm(b) == 0:
        return 0.0
    return float(a @ b / (na * na))


# a = [1, 2], b = [0, 0]: should be 0.0, this gives nan (only the first argument is guarded)
def cos_guards_only_first_argument(a, b):
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    if na == 0:
        return 0.0
    return float(a @ b / (na * nb))


# a = [1, -1], b = [1, -1]: should be 1, this gives 0 (sum()==0 taken for "zero vector")
def cos_sum_zero_test(a, b):
    if np.sum(a) == 0 or np.sum(b) == 0:
        return 0.0
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


# a = [0, 0], b = [1, 0]: should be 0.0, this gives nan
def cos_no_zero_guard(a, b):
    with np.errstate(invalid="ignore", divide="ignore"):
        return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


# a = b = [1, 1]: should be 1, this gives 2 / (2 * 2) = 0.5 (L1 lengths)
def cos_l1_lengths(a, b):
    na, nb = np.sum(np.abs(a)), np.sum(np.abs(b))
    if na == 0 or nb == 0:
        return 0.0
    return float(a @ b / (na * nb))


# a = b = [1e-9, 0]: should be 1, this gives 0 (np.allclose(a, 0) calls a tiny vector zero)
def cos_allclose_zero_test(a, b):
    if np.allclose(a, 0) or np.allclose(b, 0):
        return 0.0
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


# a = [1, 0], b = [0, 1]: should be 0 (cos 90deg), this gives pi/2 (the angle, not its cosine)
def cos_returns_angle(a, b):
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    if na == 0 or nb == 0:
        return 0.0
    return float(np.arccos(np.clip(a @ b / (na * nb), -1, 1)))


# ---------------------------------------------------------------- 01 · add_channel_bias(Z, b)

# Z zeros (1, 2, 2, 2), b = [1, 2]: channel 1 should be all 2, here b runs along W instead
def bias_on_last_axis(Z, b):
    return Z + b


# Z zeros (1, 2, 2, 3), b = [1, 2]: b[:, None] lines up with H, not C
def bias_on_height_axis(Z, b):
    return Z + b[:, None]


# Z zeros (2, 2, 1, 1), b = [1, 2]: b reshaped to (C,1,1,1) lines up with N
def bias_on_batch_axis(Z, b):
    return Z + b.reshape(-1, 1, 1, 1)


# Z zeros (1, 2, 1, 1), b = [1, 2]: channel 1 should get 2, gets 1
def bias_first_entry_everywhere(Z, b):
    return Z + b[0]


# Z zeros (1, 2, 1, 1), b = [1, 3]: every channel gets the mean 2
def bias_mean_everywhere(Z, b):
    return Z + np.mean(b)


# Z = np.zeros((1, 2, 1, 1), int), b = [0.5, 1.5]: np.zeros_like(Z) is int, bias truncated to 0, 1
def bias_into_int_copy(Z, b):
    out = np.zeros_like(Z)
    for c in range(Z.shape[1]):
        out[:, c] = Z[:, c] + b[c]
    return out


# any Z: the caller's Z is changed (Z += ...); an int Z with a float b raises a casting error
def bias_in_place(Z, b):
    Z += b.reshape(1, -1, 1, 1)
    return Z


# Z zeros (1, 2, 3, 4), b = [1, 2]: channels moved last for broadcasting and never moved back,
# shape (1, 3, 4, 2)
def bias_channels_last_result(Z, b):
    return np.moveaxis(Z, 1, -1) + b


# ---------------------------------------------------------------- 02 · matmul_shape(shape_a, shape_b)

# (2, 3), (3, 4): should be (2, 4), this gives None (compares the outer sizes)
def mm_compares_outer_sizes(shape_a, shape_b):
    (m, n), (n2, p) = shape_a, shape_b
    if m != p:
        return None
    return (m, p)


# (2, 3), (3, 4): should be (2, 4), this gives (2, 3)
def mm_returns_rows_of_both(shape_a, shape_b):
    (m, n), (n2, p) = shape_a, shape_b
    if n != n2:
        return None
    return (m, n2)


# (2, 3), (3, 4): should be (2, 4), this gives (4, 2)
def mm_result_reversed(shape_a, shape_b):
    (m, n), (n2, p) = shape_a, shape_b
    if n != n2:
        return None
    return (p, m)


# (2, 3), (3, 4): should be (2, 4), this gives None (applies the rule for B @ A)
def mm_rule_for_b_times_a(shape_a, shape_b):
    (m, n), (n2, p) = shape_a, shape_b
    if p != m:
        return None
    return (m, p)


# (2, 3), (4, 5): should return None, this raises ValueError
def mm_raises_instead_of_none(shape_a, shape_b):
    (m, n), (n2, p) = shape_a, shape_b
    if n != n2:
        raise ValueError("inner sizes differ")
    return (m, p)


# (2, 3), (3, 4): should be the tuple (2, 4), this gives the list [2, 4]
def mm_returns_list(shape_a, shape_b):
    (m, n), (n2, p) = shape_a, shape_b
    if n != n2:
        return None
    return [m, p]


# (2, 1), (3, 4): should be None, this gives (2, 4) (thinks a size-1 axis broadcasts)
def mm_size_one_broadcasts(shape_a, shape_b):
    (m, n), (n2, p) = shape_a, shape_b
    if n != n2 and n != 1 and n2 != 1:
        return None
    return (m, p)


# (2, 3), (4, 5): should be None, this gives False
def mm_false_instead_of_none(shape_a, shape_b):
    (m, n), (n2, p) = shape_a, shape_b
    if n != n2:
        return False
    return (m, p)


# ---------------------------------------------------------------- 02 · linear(X, W, b)

# X = eye(2), W = [[1, 2], [3, 4]], b = 0: should be W.T = [[1, 3], [2, 4]], this gives W
def linear_no_transpose(X, W, b):
    return X @ W + b


# X (2, 3), W (2, 3), b (2,): shape (out, N) instead of (N, out); for N == out the values are
# transposed and b lands on the wrong axis
def linear_w_times_x_transposed(X, W, b):
    return W @ X.T + b


# X (1, 2) any, b = [1, 1]: the bias is forgotten
def linear_forgets_bias(X, W, b):
    return X @ W.T


# X zeros (2, 3), W (2, 3), b = [1, 2]: row 0 should be [1, 2], this gives [1, 1] (b[:, None]
# adds b[i] to row i; only runs when N == out)
def linear_bias_per_row(X, W, b):
    return X @ W.T + b[:, None]


# X zeros (1, 2), W any (1, 2), b = [1]: should be [[1]], this gives [[-1]]
def linear_subtracts_bias(X, W, b):
    return X @ W.T - b


# X = [[1, 2]] (int), W = [[0.5, 0.5]], b = [0.25]: should be 1.75, the int output array gives 1
def linear_into_input_dtype(X, W, b):
    out = np.zeros((X.shape[0], W.shape[0]), dtype=X.dtype)
    for i in range(X.shape[0]):
        for j in range(W.shape[0]):
            out[i, j] = X[i] @ W[j] + b[j]
    return out


# X = [[1/3, 1/7]], W = [[1/11, 1/13]], b = [1/17]: only ~7 correct digits (float32)
def linear_in_float32(X, W, b):
    f = np.float32
    return np.asarray(X, f) @ np.asarray(W, f).T + np.asarray(b, f)


# X (2, 3), W (4, 3): shape (4, 2) instead of (2, 4)
def linear_returns_transpose(X, W, b):
    return (X @ W.T + b).T


# ---------------------------------------------------------------- 02 · parallelogram_area(u, v)

# u = [0, 1], v = [1, 0]: should be 1, this gives -1 (signed determinant)
def area_signed(u, v):
    return u[0] * v[1] - u[1] * v[0]


# u = [1, 1], v = [1, 1]: should be 0, this gives 2 (plus instead of minus)
def area_plus_sign(u, v):
    return abs(u[0] * v[1] + u[1] * v[0])


# u = [1, 0], v = [1, 1]: should be 1, this gives sqrt(2) (ignores the angle)
def area_product_of_lengths(u, v):
    return float(np.linalg.norm(u) * np.linalg.norm(v))


# u = [1, 0], v = [0, 1]: should be 1, this gives 0 (|u1 v1 - u2 v2|)
def area_wrong_components(u, v):
    return abs(u[0] * v[0] - u[1] * v[1])


# u = [1, 0], v = [0, 1]: should be 1, this gives 0.5 (the triangle)
def area_halved(u, v):
    return abs(u[0] * v[1] - u[1] * v[0]) / 2


# u = [1, 0], v = [0, 1]: should be 1, this gives |u . v| = 0
def area_dot_product(u, v):
    return abs(float(np.dot(u, v)))


# u = [2, 0], v = [0, 3]: should be 6, this gives 36 (Gram determinant without the square root)
def area_gram_without_sqrt(u, v):
    u, v = np.asarray(u, float), np.asarray(v, float)
    return (u @ u) * (v @ v) - (u @ v) ** 2


# u = [1, 1e-8], v = [1, 0]: should be 1e-8, this gives 0 (|u|^2|v|^2 - (u.v)^2 cancels)
def area_gram_cancellation(u, v):
    u, v = np.asarray(u, float), np.asarray(v, float)
    return float(np.sqrt(max((u @ u) * (v @ v) - (u @ v) ** 2, 0.0)))


# ---------------------------------------------------------------- 03 · condition_number(A)

# A = diag(1, 10): should be 10, this gives 0.1 (sigma_min / sigma_max)
def cond_inverted(A):
    s = np.linalg.svd(A, compute_uv=False)
    return np.inf if s[-1] == 0 else s[-1] / s[0]


# A = [[1, 100], [0, 1]]: should be ~1e4, this gives 1 (eigenvalues instead of singular values)
def cond_eigenvalues(A):
    lam = np.abs(np.linalg.eigvals(A))
    return np.inf if lam.min() == 0 else float(lam.max() / lam.min())


# A = zeros((2, 2)): should be inf, this gives nan (0/0, no guard)
def cond_no_zero_guard(A):
    s = np.linalg.svd(A, compute_uv=False)
    with np.errstate(divide="ignore", invalid="ignore"):
        return s[0] / s[-1]


# A = diag(1, 1e-12): should be 1e12, this gives inf (tolerance instead of sigma_min == 0)
def cond_tolerance_as_zero(A):
    s = np.linalg.svd(A, compute_uv=False)
    return np.inf if s[-1] < 1e-10 else s[0] / s[-1]


# A = [[1, 0, 0], [0, 1, 0]]: should be 1, this gives inf (A^T A of a wide matrix has a zero
# eigenvalue); also loses half the digits when kappa is large
def cond_eigs_of_gram(A):
    lam = np.linalg.eigvalsh(A.T @ A)
    lam = np.clip(lam, 0, None)
    return np.inf if lam[0] == 0 else float(np.sqrt(lam[-1] / lam[0]))


# A = diag(4, 2, 1): should be 4, this gives 2 (second singular value instead of the last)
def cond_second_singular_value(A):
    s = np.linalg.svd(A, compute_uv=False)
    if len(s) < 2:
        return 1.0
    return np.inf if s[1] == 0 else s[0] / s[1]


# A = diag(1, 2): should be 2, this gives ||A||_F ||A^-1||_F = sqrt(5) sqrt(1.25) = 2.5
def cond_frobenius(A):
    return float(np.linalg.norm(A, "fro") * np.linalg.norm(np.linalg.inv(A), "fro"))


# A = [[1, 0], [0, 0]]: should be inf, this gives 0
def cond_zero_for_singular(A):
    s = np.linalg.svd(A, compute_uv=False)
    return 0.0 if s[-1] == 0 else s[0] / s[-1]


# ---------------------------------------------------------------- 04 · power_iteration(A, num_iters=100)

def _unit_start(n, seed=0):
    v = np.random.default_rng(seed).standard_normal(n)
    return v / np.linalg.norm(v)


# A = diag(-3, 1): should be -3, this gives +3 (||Av|| has no sign)
def power_norm_as_eigenvalue(A, num_iters=100):
    v = _unit_start(A.shape[0])
    for _ in range(num_iters):
        w = A @ v
        v = w / np.linalg.norm(w)
    return float(np.linalg.norm(A @ v)), v


# A = diag(2, 1): the vector should have length 1, this one has length ~2^100
def power_never_normalises(A, num_iters=100):
    v = _unit_start(A.shape[0])
    for _ in range(num_iters):
        v = A @ v
    return float(v @ A @ v / (v @ v)), v


# A = [[1, -2], [-2, 1]] (lambda = 3 on (1, -1), -1 on (1, 1)): the start (1, 1) is an
# eigenvector of -1 and never leaves it; gives -1
def power_start_from_ones(A, num_iters=100):
    v = np.ones(A.shape[0]) / np.sqrt(A.shape[0])
    for _ in range(num_iters):
        w = A @ v
        v = w / np.linalg.norm(w)
    return float(v @ A @ v), v


# A = diag(1, 5): the dominant eigenvector (0, 1) is orthogonal to the start e1; gives 1
def power_start_from_e1(A, num_iters=100):
    v = np.zeros(A.shape[0])
    v[0] = 1.0
    for _ in range(num_iters):
        w = A @ v
        v = w / np.linalg.norm(w)
    return float(v @ A @ v), v


# A = diag(-3, 1): v flips sign every step, so ||v_new - v|| ~ 2 forever (never returns)
def power_while_until_v_stops_changing(A, num_iters=100):
    v = _unit_start(A.shape[0])
    while True:
        w = A @ v
        w = w / np.linalg.norm(w)
        if np.linalg.norm(w - v) < 1e-12:
            return float(w @ A @ w), w
        v = w


# A = diag(1, 5): the eigenvector's first component is 0, (Av)[0] / v[0] is 0/0-ish garbage
def power_ratio_of_first_components(A, num_iters=100):
    v = _unit_start(A.shape[0])
    for _ in range(num_iters):
        w = A @ v
        v = w / np.linalg.norm(w)
    return float((A @ v)[0] / v[0]), v


# A = diag(1, 0.9), num_iters=100: 5 steps leave the vector ~0.6 away from (1, 0)
def power_ignores_num_iters(A, num_iters=100):
    v = _unit_start(A.shape[0])
    for _ in range(5):
        w = A @ v
        v = w / np.linalg.norm(w)
    return float(v @ A @ v), v


# A = diag(-5, 1): should be -5 (largest in absolute value), this gives 1 (largest)
def power_largest_not_largest_abs(A, num_iters=100):
    lam, V = np.linalg.eigh(A)
    return float(lam[-1]), V[:, -1]


# any A: the integer start vector cannot be divided in place (v /= norm raises a casting error)
def power_int_start_in_place(A, num_iters=100):
    v = np.arange(1, A.shape[0] + 1)
    v /= np.linalg.norm(v)
    for _ in range(num_iters):
        w = A @ v
        v = w / np.linalg.norm(w)
    return float(v @ A @ v), v


# A = diag(2, 1): the returned vector is A v (length ~2), not the unit vector v
def power_returns_unnormalised_av(A, num_iters=100):
    v = _unit_start(A.shape[0])
    for _ in range(num_iters):
        w = A @ v
        v = w / np.linalg.norm(w)
    return float(v @ A @ v), A @ v


# ---------------------------------------------------------------- 04 · explained_variance_ratio(X)

# X = [[10, 0], [11, 1], [12, 0]] (mean far from 0): the first "component" points at the mean
def evr_no_centring(X):
    lam = np.linalg.eigvalsh(X.T @ X)[::-1]
    return lam / lam.sum()


# X with variances 4 and 1 along the axes: should be [0.8, 0.2], this gives [0.2, 0.8]
def evr_ascending(X):
    Xc = X - X.mean(axis=0)
    lam = np.linalg.eigvalsh(Xc.T @ Xc)
    return lam / lam.sum()


# X = [[0, 0], [2, 0], [0, 1], [2, 1]]: centring each row instead of each column
def evr_centres_rows(X):
    Xc = X - X.mean(axis=1, keepdims=True)
    lam = np.linalg.eigvalsh(Xc.T @ Xc)[::-1]
    return lam / lam.sum()


# X of shape (5, 2): returns 5 ratios (Xc Xc^T is n x n) instead of 2
def evr_gram_of_samples(X):
    Xc = X - X.mean(axis=0)
    lam = np.linalg.eigvalsh(Xc @ Xc.T)[::-1]
    return lam / lam.sum()


# X with singular values 2 and 1 after centring: should be [0.8, 0.2], this gives [2/3, 1/3]
def evr_singular_values_not_squared(X):
    s = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
    return s / s.sum()


# X with variances 4 and 1: should be [0.8, 0.2], this gives [1, 0.25] (divides by the largest)
def evr_divides_by_max(X):
    Xc = X - X.mean(axis=0)
    lam = np.linalg.eigvalsh(Xc.T @ Xc)[::-1]
    return lam / lam[0]


# X whose covariance is [[1, 0], [0, 4]] in that order: np.linalg.eig does not sort
def evr_eig_unsorted(X):
    Xc = X - X.mean(axis=0)
    lam = np.real(np.linalg.eig(Xc.T @ Xc)[0])
    return lam / lam.sum()


# any X: the caller's X is centred in place; an integer X raises a casting error
def evr_centres_in_place(X):
    X -= X.mean(axis=0)
    lam = np.linalg.eigvalsh(X.T @ X)[::-1]
    return lam / lam.sum()


# X of shape (2, 3) (fewer samples than features): SVD gives 2 values, 3 ratios are wanted
def evr_too_few_ratios_when_wide(X):
    s = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
    return s ** 2 / np.sum(s ** 2)


WRONG = {
    "check_vector_norms": [
        ("L1 without abs", norms_l1_without_abs),
        ("Linf as max(x) without abs", norms_linf_without_abs),
        ("Linf returns the signed entry of largest size", norms_linf_signed_entry),
        ("L2 without the square root", norms_l2_without_sqrt),
        ("L2 squares the sum instead of the entries", norms_l2_square_of_sum),
        ("L1 and L2 swapped in the tuple", norms_l1_l2_swapped),
        ("computed in float32", norms_in_float32),
        ("Linf as abs(max(x))", norms_linf_abs_of_max),
    ],
    "check_cosine_similarity": [
        ("divides by |a| only", cos_divides_by_norm_a_only),
        ("divides by |a| squared", cos_divides_by_norm_a_squared),
        ("zero guard only on the first argument", cos_guards_only_first_argument),
        ("sum()==0 as the zero-vector test", cos_sum_zero_test),
        ("no zero-vector guard (nan)", cos_no_zero_guard),
        ("L1 lengths instead of Euclidean", cos_l1_lengths),
        ("np.allclose(a, 0) calls tiny vectors zero", cos_allclose_zero_test),
        ("returns the angle instead of its cosine", cos_returns_angle),
    ],
    "check_add_channel_bias": [
        ("bias broadcast along the last axis", bias_on_last_axis),
        ("b[:, None] lines up with H", bias_on_height_axis),
        ("b reshaped to (C,1,1,1) lines up with N", bias_on_batch_axis),
        ("adds b[0] to every channel", bias_first_entry_everywhere),
        ("adds the mean of b", bias_mean_everywhere),
        ("writes floats into an int zeros_like copy", bias_into_int_copy),
        ("adds in place into the caller's Z", bias_in_place),
        ("returns channels-last shape", bias_channels_last_result),
    ],
    "check_matmul_shape": [
        ("compares the outer sizes", mm_compares_outer_sizes),
        ("returns (m, n2)", mm_returns_rows_of_both),
        ("returns (p, m)", mm_result_reversed),
        ("applies the rule for B @ A", mm_rule_for_b_times_a),
        ("raises instead of returning None", mm_raises_instead_of_none),
        ("returns a list instead of a tuple", mm_returns_list),
        ("treats a size-1 inner axis as broadcastable", mm_size_one_broadcasts),
        ("returns False instead of None", mm_false_instead_of_none),
    ],
    "check_linear_forward": [
        ("X @ W without transpose", linear_no_transpose),
        ("W @ X.T (transposed result)", linear_w_times_x_transposed),
        ("forgets the bias", linear_forgets_bias),
        ("bias added per row (b[:, None])", linear_bias_per_row),
        ("subtracts the bias", linear_subtracts_bias),
        ("output array in the input's int dtype", linear_into_input_dtype),
        ("computed in float32", linear_in_float32),
        ("returns (out, N)", linear_returns_transpose),
    ],
    "check_parallelogram_area": [
        ("signed determinant (no abs)", area_signed),
        ("plus instead of minus", area_plus_sign),
        ("product of the lengths", area_product_of_lengths),
        ("u1 v1 - u2 v2", area_wrong_components),
        ("half the area (triangle)", area_halved),
        ("absolute dot product", area_dot_product),
        ("Gram determinant without the square root", area_gram_without_sqrt),
        ("Gram determinant cancels for near-parallel vectors", area_gram_cancellation),
    ],
    "check_condition_number": [
        ("sigma_min / sigma_max", cond_inverted),
        ("eigenvalues instead of singular values", cond_eigenvalues),
        ("no guard: zero matrix gives nan", cond_no_zero_guard),
        ("tolerance 1e-10 instead of sigma_min == 0", cond_tolerance_as_zero),
        ("sqrt of eigenvalues of A^T A", cond_eigs_of_gram),
        ("second singular value instead of the last", cond_second_singular_value),
        ("Frobenius-norm condition number", cond_frobenius),
        ("returns 0 for a singular matrix", cond_zero_for_singular),
    ],
    "check_power_iteration": [
        ("||Av|| as the eigenvalue loses the sign", power_norm_as_eigenvalue),
        ("never normalises", power_never_normalises),
        ("starts from the ones vector", power_start_from_ones),
        ("starts from e1", power_start_from_e1),
        ("HANGS: while loop until v stops changing (sign flips for negative lambda)",
         power_while_until_v_stops_changing),
        ("eigenvalue as ratio of first components", power_ratio_of_first_components),
        ("ignores num_iters (5 steps)", power_ignores_num_iters),
        ("largest eigenvalue, not largest in absolute value", power_largest_not_largest_abs),
        ("integer start vector divided in place", power_int_start_in_place),
        ("returns A v instead of the unit vector", power_returns_unnormalised_av),
    ],
    "check_explained_variance_ratio": [
        ("no centring", evr_no_centring),
        ("ascending order", evr_ascending),
        ("centres rows instead of columns", evr_centres_rows),
        ("Gram matrix of samples (n ratios)", evr_gram_of_samples),
        ("singular values not squared", evr_singular_values_not_squared),
        ("divides by the largest eigenvalue", evr_divides_by_max),
        ("np.linalg.eig, unsorted", evr_eig_unsorted),
        ("centres the caller's X in place", evr_centres_in_place),
        ("too few ratios when n < d", evr_too_few_ratios_when_wide),
    ],
}


# ---------------------------------------------------------------- 03 · project(A, b) by Gram–Schmidt

# A = [[2], [0]], b = [1, 0]: p should be [1, 0]; unnormalised v gives (v·b) v = [4, 0]
def proj_forgets_normalising(A, b):
    A, b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)
    basis = []
    for j in range(A.shape[1]):
        v = A[:, j].copy()
        for q in basis:
            v = v - (q @ v) / (q @ q) * q
        if np.linalg.norm(v) > 1e-10 * np.linalg.norm(A[:, j]):
            basis.append(v)                      # kept without dividing by its length
    p = np.zeros_like(b)
    for q in basis:
        p = p + (q @ b) * q
    return p


# A = [[1e-12], [0]], b = [1, 0]: p should be [1, 0]; the absolute tolerance drops the short column
def proj_absolute_tolerance(A, b):
    A, b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)
    basis = []
    for j in range(A.shape[1]):
        v = A[:, j].copy()
        for q in basis:
            v = v - (q @ v) * q
        if np.linalg.norm(v) > 1e-10:
            basis.append(v / np.linalg.norm(v))
    p = np.zeros_like(b)
    for q in basis:
        p = p + (q @ b) * q
    return p


# A = [[1, 0], [0, 0]] (a zero column), b = [1, 1]: p should be [1, 0]; 0 / 0 gives nan
def proj_never_skips(A, b):
    A, b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)
    basis = []
    for j in range(A.shape[1]):
        v = A[:, j].copy()
        for q in basis:
            v = v - (q @ v) * q
        basis.append(v / np.linalg.norm(v))
    p = np.zeros_like(b)
    for q in basis:
        p = p + (q @ b) * q
    return p


# A = [[1, 0], [0, 0]], b = [1, 1]: the zero column passes "0 >= 1e-10 * 0" and 0 / 0 gives nan
def proj_keep_test_greater_equal(A, b):
    A, b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)
    basis = []
    for j in range(A.shape[1]):
        v = A[:, j].copy()
        for q in basis:
            v = v - (q @ v) * q
        if np.linalg.norm(v) >= 1e-10 * np.linalg.norm(A[:, j]):
            basis.append(v / np.linalg.norm(v))
    p = np.zeros_like(b)
    for q in basis:
        p = p + (q @ b) * q
    return p


# A = [[1], [1]], b = [1, 0]: p should be [0.5, 0.5]; this returns the coordinate q·b = [0.7071]
def proj_returns_coordinates(A, b):
    A, b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)
    basis = []
    for j in range(A.shape[1]):
        v = A[:, j].copy()
        for q in basis:
            v = v - (q @ v) * q
        if np.linalg.norm(v) > 1e-10 * np.linalg.norm(A[:, j]):
            basis.append(v / np.linalg.norm(v))
    return np.array([q @ b for q in basis])


# A = [[1, 0], [0, 1]], b = [1, 1]: p should be [1, 1]; "p = ..." keeps only the last q's term: [0, 1]
def proj_overwrites_sum(A, b):
    A, b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)
    basis = []
    for j in range(A.shape[1]):
        v = A[:, j].copy()
        for q in basis:
            v = v - (q @ v) * q
        if np.linalg.norm(v) > 1e-10 * np.linalg.norm(A[:, j]):
            basis.append(v / np.linalg.norm(v))
    p = np.zeros_like(b)
    for q in basis:
        p = (q @ b) * q
    return p


# A = [[3], [4]] (integers), b = [3, 4]: p should be [3, 4]; Q = zeros_like(A) is an integer array,
# so q = [0.6, 0.8] is stored as [0, 0] and p comes out [0, 0]
def proj_integer_basis_array(A, b):
    A, b = np.asarray(A), np.asarray(b, dtype=float)
    m, n = A.shape
    Q = np.zeros_like(A)                         # integer A: an integer Q
    r = 0
    for j in range(n):
        v = A[:, j].astype(float)
        for i in range(r):
            v = v - (Q[:, i] @ v) * Q[:, i]
        if np.linalg.norm(v) > 1e-10 * np.linalg.norm(A[:, j]):
            Q[:, r] = v / np.linalg.norm(v)      # truncated to integers
            r += 1
    p = np.zeros(m)
    for i in range(r):
        p = p + (Q[:, i] @ b) * Q[:, i]
    return p


# any float A: the columns of the caller's A are overwritten by the q's (p itself is right)
def proj_orthonormalises_A_in_place(A, b):
    A = np.asarray(A, dtype=float)               # no copy for a float A
    b = np.asarray(b, dtype=float)
    kept = []
    for j in range(A.shape[1]):
        length = np.linalg.norm(A[:, j])
        for i in kept:
            A[:, j] -= (A[:, i] @ A[:, j]) * A[:, i]
        if np.linalg.norm(A[:, j]) > 1e-10 * length:
            A[:, j] /= np.linalg.norm(A[:, j])
            kept.append(j)
    p = np.zeros_like(b)
    for i in kept:
        p = p + (A[:, i] @ b) * A[:, i]
    return p


# A = [[1, 2, 0], [0, 0, 1]] (wide), b = [1, 1]: p should be [1, 1]; looking only at the first
# min(m, n) = 2 columns (both along e1) gives [1, 0]
def proj_only_first_m_columns(A, b):
    A, b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)
    m, n = A.shape
    basis = []
    for j in range(min(m, n)):                   # "a basis of R^m has at most m vectors"
        v = A[:, j].copy()
        for q in basis:
            v = v - (q @ v) * q
        if np.linalg.norm(v) > 1e-10 * np.linalg.norm(A[:, j]):
            basis.append(v / np.linalg.norm(v))
    p = np.zeros_like(b)
    for q in basis:
        p = p + (q @ b) * q
    return p


# A = [[1, 0], [1, 0]], b = [1, 0]: col(A) is span{(1, 1)}, p = [0.5, 0.5]; the rows span (1, 0),
# so projecting onto the row space gives [1, 0]
def proj_uses_rows(A, b):
    A, b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)
    basis = []
    for j in range(A.shape[0]):
        v = A[j].copy()
        for q in basis:
            v = v - (q @ v) * q
        if np.linalg.norm(v) > 1e-10 * np.linalg.norm(A[j]):
            basis.append(v / np.linalg.norm(v))
    p = np.zeros_like(b)
    for q in basis:
        p = p + (q @ b) * q
    return p


# the 8x8 Hilbert matrix, b = its first column: float32 leaves A^T (b - p) ~ 1e-7, not ~ 1e-16
def proj_float32(A, b):
    A, b = np.asarray(A, dtype=np.float32), np.asarray(b, dtype=np.float32)
    basis = []
    for j in range(A.shape[1]):
        v = A[:, j].copy()
        for q in basis:
            v = v - (q @ v) * q
        if np.linalg.norm(v) > 1e-10 * np.linalg.norm(A[:, j]):
            basis.append(v / np.linalg.norm(v))
    p = np.zeros_like(b)
    for q in basis:
        p = p + (q @ b) * q
    return p


# A = [[1, 2], [1, 2]] (a dependent column), b = [1, 0]: the skip forgets "j += 1", loops forever
def proj_while_loop_skip_never_advances(A, b):
    A, b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)
    basis, j = [], 0
    while j < A.shape[1]:
        v = A[:, j].copy()
        for q in basis:
            v = v - (q @ v) * q
        if np.linalg.norm(v) <= 1e-10 * np.linalg.norm(A[:, j]):
            continue                             # skip it ... without moving on
        basis.append(v / np.linalg.norm(v))
        j += 1
    p = np.zeros_like(b)
    for q in basis:
        p = p + (q @ b) * q
    return p


# ---------------------------------------------------------------- 05 · top_singular_triplets(A, k, num_iters)

def _power_top(M, rng, num_iters):
    v = rng.standard_normal(M.shape[0])
    for _ in range(num_iters):
        w = M @ v
        v = w / np.linalg.norm(w)
    return v


# A = diag(3, 2), k = 2: deflating A^T A by sigma (3) instead of sigma^2 (9) leaves eigenvalue 6 > 4,
# so the second triplet is v1 again with sigma = sqrt(6)
def tst_deflates_by_sigma(A, k, num_iters=500):
    A = np.asarray(A, dtype=float)
    m, n = A.shape
    M, rng = A.T @ A, np.random.default_rng(0)
    U, s, Vt = np.zeros((m, k)), np.zeros(k), np.zeros((k, n))
    for i in range(k):
        v = _power_top(M, rng, num_iters)
        s[i] = np.linalg.norm(A @ v)
        U[:, i], Vt[i] = A @ v / s[i], v
        M = M - s[i] * np.outer(v, v)
    return U, s, Vt


# A = [[2, -1, 0, 0], [-1, 2, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]] (v1 = (1, -1, 0, 0)/sqrt(2), sigma1 = 3):
# the fixed start (1, 1, 1, 1)/2 is exactly perpendicular to v1 and stays exactly on the eigenvector
# (1, 1, 1, 1) of A^T A (every product is exact), so the top triplet comes out with sigma = 1
def tst_fixed_start_ones(A, k, num_iters=500):
    A = np.asarray(A, dtype=float)
    m, n = A.shape
    M = A.T @ A
    U, s, Vt = np.zeros((m, k)), np.zeros(k), np.zeros((k, n))
    for i in range(k):
        v = np.ones(n)
        for _ in range(num_iters):
            w = M @ v
            v = w / np.linalg.norm(w)
        s[i] = np.linalg.norm(A @ v)
        U[:, i], Vt[i] = A @ v / s[i], v
        M = M - s[i] ** 2 * np.outer(v, v)
    return U, s, Vt


# A = diag(3, 2.9, 1), k = 2: no deflation, only a start perpendicular to v1 — round-off brings v1 back
# over 500 steps, so the second triplet is (close to) the first
def tst_orthogonal_start_no_deflation(A, k, num_iters=500):
    A = np.asarray(A, dtype=float)
    m, n = A.shape
    M, rng = A.T @ A, np.random.default_rng(0)
    U, s, Vt = np.zeros((m, k)), np.zeros(k), np.zeros((k, n))
    for i in range(k):
        v = rng.standard_normal(n)
        for j in range(i):
            v = v - (Vt[j] @ v) * Vt[j]
        for _ in range(num_iters):
            w = M @ v
            v = w / np.linalg.norm(w)
        s[i] = np.linalg.norm(A @ v)
        U[:, i], Vt[i] = A @ v / s[i], v
    return U, s, Vt


# any A with m != n or k >= 1: returns V (shape (n, k)) where Vt (shape (k, n)) is asked for
def tst_returns_v_not_vt(A, k, num_iters=500):
    A = np.asarray(A, dtype=float)
    m, n = A.shape
    M, rng = A.T @ A, np.random.default_rng(0)
    U, s, V = np.zeros((m, k)), np.zeros(k), np.zeros((n, k))
    for i in range(k):
        v = _power_top(M, rng, num_iters)
        s[i] = np.linalg.norm(A @ v)
        U[:, i], V[:, i] = A @ v / s[i], v
        M = M - s[i] ** 2 * np.outer(v, v)
    return U, s, V


# A = [[1, 2], [3, 4]], k = 1: u found by its own power iteration on A A^T comes out as -u1, so
# A v1 = -sigma1 u (the signs of the pair do not match; (U * s) @ Vt = -A_1)
def tst_u_by_separate_power_iteration(A, k, num_iters=500):
    A = np.asarray(A, dtype=float)
    m, n = A.shape
    M, N = A.T @ A, A @ A.T
    rng = np.random.default_rng(1)
    U, s, Vt = np.zeros((m, k)), np.zeros(k), np.zeros((k, n))
    for i in range(k):
        v = _power_top(M, rng, num_iters)
        u = _power_top(N, rng, num_iters)
        s[i] = np.linalg.norm(A @ v)
        U[:, i], Vt[i] = u, v
        M = M - s[i] ** 2 * np.outer(v, v)
        N = N - s[i] ** 2 * np.outer(u, u)
    return U, s, Vt


# A = diag(3, 2), k = 1: sigma taken as ||A^T A v|| = 9 (the eigenvalue sigma^2) instead of 3
def tst_sigma_is_eigenvalue(A, k, num_iters=500):
    A = np.asarray(A, dtype=float)
    m, n = A.shape
    M, rng = A.T @ A, np.random.default_rng(0)
    U, s, Vt = np.zeros((m, k)), np.zeros(k), np.zeros((k, n))
    for i in range(k):
        v = _power_top(M, rng, num_iters)
        s[i] = np.linalg.norm(M @ v)
        U[:, i], Vt[i] = A @ v / np.linalg.norm(A @ v), v
        M = M - s[i] * np.outer(v, v)
    return U, s, Vt


# any A with k = 0: returns three arrays of shape (0,) instead of (m, 0), (0,), (0, n)
def tst_k0_flat_empty_arrays(A, k, num_iters=500):
    if k == 0:
        return np.array([]), np.array([]), np.array([])
    A = np.asarray(A, dtype=float)
    m, n = A.shape
    M, rng = A.T @ A, np.random.default_rng(0)
    U, s, Vt = np.zeros((m, k)), np.zeros(k), np.zeros((k, n))
    for i in range(k):
        v = _power_top(M, rng, num_iters)
        s[i] = np.linalg.norm(A @ v)
        U[:, i], Vt[i] = A @ v / s[i], v
        M = M - s[i] ** 2 * np.outer(v, v)
    return U, s, Vt


# A = [[2, 1], [1, 2]] (integers; v1 = (1, 1)/sqrt(2)), k = 1: arrays of A's dtype truncate u and v
# to [0, 0]
def tst_integer_result_arrays(A, k, num_iters=500):
    A = np.asarray(A)
    m, n = A.shape
    M, rng = A.T @ A, np.random.default_rng(0)
    U = np.zeros((m, k), dtype=A.dtype)
    s = np.zeros(k, dtype=A.dtype)
    Vt = np.zeros((k, n), dtype=A.dtype)
    for i in range(k):
        v = _power_top(M.astype(float), rng, num_iters)
        sigma = np.linalg.norm(A @ v)
        U[:, i], s[i], Vt[i] = A @ v / sigma, sigma, v
        M = M - sigma ** 2 * np.outer(v, v)
    return U, s, Vt


# any float A with k >= 1: deflates the caller's A in place (A -= sigma u v^T); the triplets are right
def tst_deflates_A_in_place(A, k, num_iters=500):
    A = np.asarray(A, dtype=float)               # no copy for a float A
    m, n = A.shape
    rng = np.random.default_rng(0)
    U, s, Vt = np.zeros((m, k)), np.zeros(k), np.zeros((k, n))
    for i in range(k):
        v = _power_top(A.T @ A, rng, num_iters)
        s[i] = np.linalg.norm(A @ v)
        U[:, i], Vt[i] = A @ v / s[i], v
        A -= s[i] * np.outer(U[:, i], v)
    return U, s, Vt


# A = diag(1, 0.99), k = 1: ignores num_iters and takes 20 steps; (0.99^2)^20 ~ 0.67 of v2 is left
def tst_ignores_num_iters(A, k, num_iters=500):
    A = np.asarray(A, dtype=float)
    m, n = A.shape
    M, rng = A.T @ A, np.random.default_rng(0)
    U, s, Vt = np.zeros((m, k)), np.zeros(k), np.zeros((k, n))
    for i in range(k):
        v = _power_top(M, rng, 20)
        s[i] = np.linalg.norm(A @ v)
        U[:, i], Vt[i] = A @ v / s[i], v
        M = M - s[i] ** 2 * np.outer(v, v)
    return U, s, Vt


# ---------------------------------------------------------------- 05 · rank_for_error(s, rel_tol)

# s = [1, 1e-9], rel_tol = 1e-10: error of k = 1 is 1e-9 > 1e-10, answer 2; "total - kept" cancels
# to 0 and gives 1
def rfe_total_minus_kept(s, rel_tol):
    sq = np.asarray(s, dtype=float) ** 2
    total = sq.sum()
    for k in range(len(sq) + 1):
        if total - sq[:k].sum() <= rel_tol ** 2 * total:
            return k


# s = [1, 1], rel_tol = 1: k = 0 meets the bound with equality (answer 0); "<" gives 1
def rfe_strict_less(s, rel_tol):
    sq = np.asarray(s, dtype=float) ** 2
    for k in range(len(sq) + 1):
        if sq[k:].sum() < rel_tol ** 2 * sq.sum():
            return k
    return len(sq)


# s = [3, 2, 1], rel_tol = 0: answer 3 (only the full rank is exact); range(len(s)) returns None
def rfe_range_misses_full_rank(s, rel_tol):
    sq = np.asarray(s, dtype=float) ** 2
    for k in range(len(sq)):
        if sq[k:].sum() <= rel_tol ** 2 * sq.sum():
            return k


# s = [1, 1, 1, 1], rel_tol = 0.5: the answer is 3 (sqrt(1) <= 0.5 * sqrt(4)); summing s without
# squares, (4 - k) <= 0.5 * 4 already at k = 2
def rfe_no_squares(s, rel_tol):
    s = np.asarray(s, dtype=float)
    for k in range(len(s) + 1):
        if s[k:].sum() <= rel_tol * s.sum():
            return k


# s = [0, 0] (the zero matrix), rel_tol = 0.5: answer 0; err / ||A|| is 0 / 0 = nan, never <= tol,
# and the loop falls through to None
def rfe_divides_by_norm(s, rel_tol):
    s = np.asarray(s, dtype=float)
    norm = np.sqrt(np.sum(s ** 2))
    for k in range(len(s) + 1):
        if np.sqrt(np.sum(s[k:] ** 2)) / norm <= rel_tol:
            return k


# s = [2, 1], rel_tol = 0.1: error of k = 1 is 1 / sqrt(5) = 0.45 > 0.1, answer 2; the 1-based tail
# s[k + 1:] makes the error of k = 1 zero and gives 1
def rfe_tail_off_by_one(s, rel_tol):
    sq = np.asarray(s, dtype=float) ** 2
    for k in range(len(sq) + 1):
        if sq[k + 1:].sum() <= rel_tol ** 2 * sq.sum():
            return k


# s = [1, 1, 1, 1], rel_tol = 0.5: squared error of k is (4 - k), bound tau^2 * 4 = 1 gives k = 3;
# comparing with tau * ||A||_F^2 = 2 gives k = 2
def rfe_tolerance_not_squared(s, rel_tol):
    sq = np.asarray(s, dtype=float) ** 2
    for k in range(len(sq) + 1):
        if sq[k:].sum() <= rel_tol * sq.sum():
            return k


# any float s: squares the caller's array in place (s = [3, 1] becomes [9, 1]); the answer is right
def rfe_squares_s_in_place(s, rel_tol):
    sq = np.asarray(s)
    if sq.dtype.kind != "f":
        sq = sq.astype(float)
    sq **= 2
    for k in range(len(sq) + 1):
        if sq[k:].sum() <= rel_tol ** 2 * sq.sum():
            return k


# s = [1, 1], rel_tol = 1: k = 0 (the zero approximation, error ||A||_F) is never tried; gives 1
def rfe_starts_at_one(s, rel_tol):
    sq = np.asarray(s, dtype=float) ** 2
    for k in range(1, len(sq) + 1):
        if sq[k:].sum() <= rel_tol ** 2 * sq.sum():
            return k
    return len(sq)


# s = [1, 1e-30], rel_tol = 0: the answer is 2 (the tail 1e-60 is not 0); in float32 1e-60 underflows
# to 0 and this gives 1
def rfe_float32(s, rel_tol):
    sq = np.asarray(s, dtype=np.float32) ** 2
    bound = np.float32(rel_tol) ** 2 * sq.sum()
    for k in range(len(sq) + 1):
        if sq[k:].sum() <= bound:
            return k


# s = [0, 0] (the zero matrix), any rel_tol: "<" is never true for 0 < 0 and the while loop runs forever
def rfe_while_strict_less(s, rel_tol):
    sq = np.asarray(s, dtype=float) ** 2
    bound = rel_tol ** 2 * sq.sum()
    k = 0
    while not sq[k:].sum() < bound:
        k += 1
    return k

WRONG["check_projection"] = [
    ("columns not normalised", proj_forgets_normalising),
    ("absolute tolerance 1e-10", proj_absolute_tolerance),
    ("dependent and zero columns never skipped", proj_never_skips),
    ("keep test >= lets a zero column through", proj_keep_test_greater_equal),
    ("returns coordinates q.b, not the projection", proj_returns_coordinates),
    ("p = ... overwrites the sum", proj_overwrites_sum),
    ("integer basis array zeros_like(A)", proj_integer_basis_array),
    ("orthonormalises the caller's A in place", proj_orthonormalises_A_in_place),
    ("only the first min(m, n) columns", proj_only_first_m_columns),
    ("rows instead of columns", proj_uses_rows),
    ("float32", proj_float32),
    ("HANGS: while loop skip never advances", proj_while_loop_skip_never_advances),
]
WRONG["check_top_singular_triplets"] = [
    ("deflates by sigma, not sigma^2", tst_deflates_by_sigma),
    ("fixed start (1, ..., 1)", tst_fixed_start_ones),
    ("perpendicular start, no deflation", tst_orthogonal_start_no_deflation),
    ("returns V, not Vt", tst_returns_v_not_vt),
    ("u by its own power iteration (sign)", tst_u_by_separate_power_iteration),
    ("sigma = ||A^T A v|| (sigma^2)", tst_sigma_is_eigenvalue),
    ("k = 0 gives flat empty arrays", tst_k0_flat_empty_arrays),
    ("result arrays of A's integer dtype", tst_integer_result_arrays),
    ("deflates the caller's A in place", tst_deflates_A_in_place),
    ("ignores num_iters (20 steps)", tst_ignores_num_iters),
]
WRONG["check_rank_for_error"] = [
    ("total minus kept cancels", rfe_total_minus_kept),
    ("strict < instead of <=", rfe_strict_less),
    ("range(len(s)) misses k = len(s)", rfe_range_misses_full_rank),
    ("sums s, not s^2", rfe_no_squares),
    ("divides by ||A||_F (zero matrix)", rfe_divides_by_norm),
    ("tail s[k + 1:] off by one", rfe_tail_off_by_one),
    ("tolerance not squared", rfe_tolerance_not_squared),
    ("squares the caller's s in place", rfe_squares_s_in_place),
    ("k starts at 1", rfe_starts_at_one),
    ("float32", rfe_float32),
    ("HANGS: while loop with < on the zero matrix", rfe_while_strict_less),
]
