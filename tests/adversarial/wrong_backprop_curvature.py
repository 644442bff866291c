"""Wrong learner solutions for the backprop / curvature / integration exercises (notebooks 09-11),
written from the exercise text alone. Each function is wrong on some valid input; the comment
above it names one.
"""
import numpy as np


# ---------------------------------------------------------------- 09 · linear_backward(X, W, dZ) for Z = XW + b

# X (2, 3), W (3, 3) non-symmetric: dX should be dZ W^T, this gives dZ W (shape error if not square)
def lb_dx_without_transpose(X, W, dZ):
    return dZ @ W, X.T @ dZ, dZ.sum(axis=0)


# X (2, 3), W (3, 4): dW should be (3, 4) = X^T dZ, this gives (4, 3) = dZ^T X (PyTorch layout)
def lb_dw_transposed(X, W, dZ):
    return dZ @ W.T, dZ.T @ X, dZ.sum(axis=0)


# N = 2, dZ = ones: db should be (2, 2, ...), this gives (1, 1, ...) (mean over the batch)
def lb_db_mean(X, W, dZ):
    return dZ @ W.T, X.T @ dZ, dZ.mean(axis=0)


# dZ (2, 3): db should have shape (3,), this sums over axis 1 and gives shape (2,)
def lb_db_wrong_axis(X, W, dZ):
    return dZ @ W.T, X.T @ dZ, dZ.sum(axis=1)


# dZ (2, 3): db should have shape (3,), this gives one number
def lb_db_scalar(X, W, dZ):
    return dZ @ W.T, X.T @ dZ, dZ.sum()


# N = 2: dW should be X^T dZ, this divides by N
def lb_dw_averaged(X, W, dZ):
    return dZ @ W.T, X.T @ dZ / len(X), dZ.sum(axis=0)


# N = 2, dZ = [[1, 0], [0, 1]]: db should be (1, 1), this gives (1, 0) (first row only)
def lb_db_first_row(X, W, dZ):
    return dZ @ W.T, X.T @ dZ, dZ[0]


# dZ (2, 3): db should have shape (3,), this keeps dims and gives (1, 3)
def lb_db_keepdims(X, W, dZ):
    return dZ @ W.T, X.T @ dZ, dZ.sum(axis=0, keepdims=True)


# ---------------------------------------------------------------- 09 · softmax_cross_entropy_grad(logits, y)

def _onehot(y, k):
    return np.eye(k)[y]


# logits = [[1000, 0]], y = [0]: exp(1000) overflows, nan
def sce_no_max_shift(logits, y):
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(logits)
        p = e / e.sum(axis=1, keepdims=True)
    return (p - _onehot(y, logits.shape[1])) / len(y)


# N = 2: should divide by N (mean), this is the gradient of the sum
def sce_sum_not_mean(logits, y):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    return p - _onehot(y, logits.shape[1])


# logits = [[0, 1], [2, 0]]: softmax taken down the columns (axis 0)
def sce_softmax_over_batch(logits, y):
    e = np.exp(logits - logits.max(axis=0, keepdims=True))
    p = e / e.sum(axis=0, keepdims=True)
    return (p - _onehot(y, logits.shape[1])) / len(y)


# logits = [[0, 0], [1000, 1000]]: one global max; row 0 becomes exp(-1000) = 0, 0/0 = nan
def sce_global_max_shift(logits, y):
    with np.errstate(invalid="ignore"):
        e = np.exp(logits - logits.max())
        p = e / e.sum(axis=1, keepdims=True)
    return (p - _onehot(y, logits.shape[1])) / len(y)


# y = [0, 1] with N = 2: p[:, y] -= 1 subtracts 1 in columns 0 and 1 of EVERY row
def sce_fancy_index_columns(logits, y):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    p[:, y] -= 1
    return p / len(y)


# K = 3, N = 2: divides by K = 3 instead of N = 2
def sce_divides_by_classes(logits, y):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    return (p - _onehot(y, logits.shape[1])) / logits.shape[1]


# logits = [[0, 0]], y = [0]: should be (-0.5, 0.5), this gives (0.5, -0.5)
def sce_sign_flipped(logits, y):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    return (_onehot(y, logits.shape[1]) - p) / len(y)


# K = 3, y = [0, 1] (class 2 absent): np.eye(y.max() + 1) has 2 columns, shapes do not match
def sce_onehot_from_labels(logits, y):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    return (p - np.eye(np.max(y) + 1)[y]) / len(y)


# any logits: shifts the caller's logits in place (they come back changed)
def sce_shifts_caller_logits(logits, y):
    logits -= logits.max(axis=1, keepdims=True)
    e = np.exp(logits)
    p = e / e.sum(axis=1, keepdims=True)
    return (p - _onehot(y, logits.shape[1])) / len(y)


# ---------------------------------------------------------------- 09 · tanh_backward(dH, H)

# H = 0.5, dH = 1: should be 0.75, this gives 0.5 (1 - H, not 1 - H^2)
def tanh_forgets_square(dH, H):
    return dH * (1 - H)


# H = 0.5, dH = 1: should be 0.75, this gives 1 - tanh(0.5)^2 (treats H as A)
def tanh_of_h(dH, H):
    return dH * (1 - np.tanh(H) ** 2)


# H = 0.5, dH = 2: should be 1.5, this gives 0.75 (forgets the upstream gradient)
def tanh_forgets_upstream(dH, H):
    return (1 - H ** 2) * np.ones_like(dH)


# H = 0.5, dH = 1: should be 0.75, this gives 1.25
def tanh_plus_sign(dH, H):
    return dH * (1 + H ** 2)


# dH, H of shape (2, 2): a matrix product instead of the elementwise product
def tanh_matrix_product(dH, H):
    return np.dot(dH, 1 - H ** 2)


# H = 0.5, dH = 1: should be 0.75, this gives 0.25 ((1 - H)^2)
def tanh_square_outside(dH, H):
    return dH * (1 - H) ** 2


# any dH array: the caller's upstream gradient is overwritten (dH *= ...)
def tanh_in_place_into_dh(dH, H):
    dH *= 1 - H ** 2
    return dH


# H = 0.5, dH = 1: should be 0.75, this gives 0.25 (the sigmoid rule H(1 - H))
def tanh_sigmoid_rule(dH, H):
    return dH * H * (1 - H)


# ---------------------------------------------------------------- 10 · hessian_fd(grad_f, x, h)

# any non-quadratic f, e.g. f = sum(x^4) + x0 x1^3: columns carry different rounding, so the
# raw matrix is not exactly symmetric
def hess_not_symmetrised(grad_f, x, h=1e-5):
    n = len(x)
    H = np.zeros((n, n))
    for j in range(n):
        e = np.zeros(n)
        e[j] = h
        H[:, j] = (grad_f(x + e) - grad_f(x - e)) / (2 * h)
    return H


# f = x^2 (H = 2): this gives 4 (divides by h, not 2h)
def hess_divides_by_h(grad_f, x, h=1e-5):
    n = len(x)
    H = np.zeros((n, n))
    for j in range(n):
        e = np.zeros(n)
        e[j] = h
        H[:, j] = (grad_f(x + e) - grad_f(x - e)) / h
    return (H + H.T) / 2


# f = x^4 at x = 1, h = 1e-3: forward difference of the gradient, O(h) error (12.012 vs 12)
def hess_forward_difference(grad_f, x, h=1e-5):
    n = len(x)
    H = np.zeros((n, n))
    g0 = grad_f(x)
    for j in range(n):
        e = np.zeros(n)
        e[j] = h
        H[:, j] = (grad_f(x + e) - g0) / h
    return (H + H.T) / 2


# f = x0^2 + x1^2 (H = 2I): triu(H) + triu(H)^T doubles the diagonal, gives 4I
def hess_triu_doubles_diagonal(grad_f, x, h=1e-5):
    n = len(x)
    H = np.zeros((n, n))
    for j in range(n):
        e = np.zeros(n)
        e[j] = h
        H[:, j] = (grad_f(x + e) - grad_f(x - e)) / (2 * h)
    U = np.triu(H)
    return U + U.T


# f = x0^2 + x1^2: moving all coordinates at once puts (2, 2) in every column
def hess_moves_all_coordinates(grad_f, x, h=1e-5):
    n = len(x)
    H = np.zeros((n, n))
    for j in range(n):
        H[:, j] = (grad_f(x + h) - grad_f(x - h)) / (2 * h)
    return (H + H.T) / 2


# f = x^4 at x = 1, h = 0.1: should be the central difference with h = 0.1 (12.04), this
# ignores h and uses 1e-5
def hess_ignores_h(grad_f, x, h=1e-5):
    h = 1e-5
    n = len(x)
    H = np.zeros((n, n))
    for j in range(n):
        e = np.zeros(n)
        e[j] = h
        H[:, j] = (grad_f(x + e) - grad_f(x - e)) / (2 * h)
    return (H + H.T) / 2


# x = np.array([1, 2]) (int): np.zeros_like(x) is int, e[j] = h truncates to 0, H = 0
def hess_int_step_vector(grad_f, x, h=1e-5):
    n = len(x)
    H = np.zeros((n, n))
    for j in range(n):
        e = np.zeros_like(x)
        e[j] = h
        H[:, j] = (grad_f(x + e) - grad_f(x - e)) / (2 * h)
    return (H + H.T) / 2


# x = np.array([0.1, 0.7]): perturbs the caller's x with += / -=; it comes back changed in its
# last bits (and an int x truncates every step to 0)
def hess_perturbs_caller_x(grad_f, x, h=1e-5):
    n = len(x)
    H = np.zeros((n, n))
    for j in range(n):
        x[j] += h
        g_plus = grad_f(x)
        x[j] -= 2 * h
        g_minus = grad_f(x)
        x[j] += h
        H[:, j] = (g_plus - g_minus) / (2 * h)
    return (H + H.T) / 2


# ---------------------------------------------------------------- 10 · classify_stationary_point(H)

# H = [[1, 2], [2, 1]] (eigenvalues 3, -1): a saddle, the positive diagonal says "minimum"
def csp_diagonal(H):
    d = np.diag(H)
    if np.any(d > 1e-10) and np.any(d < -1e-10):
        return "saddle"
    if np.any(np.abs(d) <= 1e-10):
        return "degenerate"
    return "minimum" if d[0] > 0 else "maximum"


# H = diag(-1, -1, 1): det > 0 and H00 < 0 says "maximum", it is a saddle (2x2 rule on 3x3)
def csp_determinant_rule(H):
    det = np.linalg.det(H)
    if abs(det) < 1e-10:
        return "degenerate"
    if det < 0:
        return "saddle"
    return "minimum" if H[0, 0] > 0 else "maximum"


# H = np.full((3, 3), 1/3) (eigenvalues 0, 0, 1): eigvalsh gives ~4e-17 and ~2e-16 for the zeros,
# "== 0" misses them and says "minimum" instead of "degenerate"
def csp_exact_zero_test(H):
    lam = np.linalg.eigvalsh(H)
    if np.any(lam > 0) and np.any(lam < 0):
        return "saddle"
    if np.any(lam == 0):
        return "degenerate"
    return "minimum" if lam[0] > 0 else "maximum"


# H = diag(1, -1, 0): a saddle, checked for a zero eigenvalue first and called "degenerate"
def csp_degenerate_before_saddle(H):
    lam = np.linalg.eigvalsh(H)
    if np.any(np.abs(lam) < 1e-10):
        return "degenerate"
    if np.any(lam > 0) and np.any(lam < 0):
        return "saddle"
    return "minimum" if lam[0] > 0 else "maximum"


# H = diag(1, 2): should be "minimum", this gives "maximum" (names swapped)
def csp_min_max_swapped(H):
    lam = np.linalg.eigvalsh(H)
    if np.any(lam > 1e-10) and np.any(lam < -1e-10):
        return "saddle"
    if np.any(np.abs(lam) < 1e-10):
        return "degenerate"
    return "maximum" if lam[0] > 0 else "minimum"


# H = diag(1, 0): should be "degenerate", this gives "minimum" (semi-definite taken for definite)
def csp_semidefinite_is_minimum(H):
    lam = np.linalg.eigvalsh(H)
    if np.all(lam >= -1e-10):
        return "minimum"
    if np.all(lam <= 1e-10):
        return "maximum"
    return "saddle"


# H = diag(1e-8, 1): should be "minimum" (1e-8 > 1e-10), this gives "degenerate" (threshold 1e-6)
def csp_threshold_too_large(H):
    lam = np.linalg.eigvalsh(H)
    if np.any(lam > 1e-6) and np.any(lam < -1e-6):
        return "saddle"
    if np.any(np.abs(lam) < 1e-6):
        return "degenerate"
    return "minimum" if lam[0] > 0 else "maximum"


# H = diag(1, 2): should be "minimum", this gives "Minimum"
def csp_capitalised(H):
    lam = np.linalg.eigvalsh(H)
    if np.any(lam > 1e-10) and np.any(lam < -1e-10):
        return "Saddle"
    if np.any(np.abs(lam) < 1e-10):
        return "Degenerate"
    return "Minimum" if lam[0] > 0 else "Maximum"


# ---------------------------------------------------------------- 11 · trapezoid(f, a, b, n)

# f = x on [0, 1], n = 1: should be 0.5, this gives linspace(0, 1, 1) = [0] and nonsense
def trap_n_points(f, a, b, n):
    x = np.linspace(a, b, n)
    y = f(x)
    h = (b - a) / n
    return h * (y[0] / 2 + y[1:-1].sum() + y[-1] / 2)


# f = 1 on [0, 1], n = 2: should be 1, this gives 1.5 (endpoints not halved)
def trap_no_halves(f, a, b, n):
    x = np.linspace(a, b, n + 1)
    h = (b - a) / n
    return h * np.sum(f(x))


# f = x on [0, 1], n = 1: should be 0.5, this gives 0 (left Riemann sum)
def trap_left_riemann(f, a, b, n):
    x = np.linspace(a, b, n + 1)
    h = (b - a) / n
    return h * np.sum(f(x[:-1]))


# f = 1 on [0, 1], n = 2: should be 1, this gives 2/3 (h = (b - a) / (n + 1))
def trap_wrong_width(f, a, b, n):
    x = np.linspace(a, b, n + 1)
    y = f(x)
    h = (b - a) / (n + 1)
    return h * (y[0] / 2 + y[1:-1].sum() + y[-1] / 2)


# a = 0, b = 1, n = 4 (ints): (b - a) // n is 0, gives 0
def trap_integer_division(f, a, b, n):
    x = np.linspace(a, b, n + 1)
    y = f(x)
    h = (b - a) // n
    return h * (y[0] / 2 + y[1:-1].sum() + y[-1] / 2)


# f = 1, a = 1, b = 0: should be -1, this gives +1 (abs(b - a))
def trap_abs_width(f, a, b, n):
    x = np.linspace(a, b, n + 1)
    y = f(x)
    h = abs(b - a) / n
    return h * (y[0] / 2 + y[1:-1].sum() + y[-1] / 2)


# f = 1 on [0, 1], n = 2: should be 1, this gives 1.25 (only the first endpoint halved)
def trap_halves_first_only(f, a, b, n):
    x = np.linspace(a, b, n + 1)
    y = f(x)
    h = (b - a) / n
    return h * (y[0] / 2 + y[1:].sum())


# f = 1 on [0, 1], n = 3: should be 1, this gives 2/3 (loop stops one interior point early)
def trap_loop_off_by_one(f, a, b, n):
    h = (b - a) / n
    total = 0.5 * f(np.array(a)) + 0.5 * f(np.array(b))
    for i in range(1, n - 1):
        total = total + f(np.array(a + i * h))
    return float(h * total)


# f = 1 on [0, 1], n = 6: np.arange(a, b + h, h) rounds to 8 points, not 7
def trap_arange_points(f, a, b, n):
    h = (b - a) / n
    x = np.arange(a, b + h, h)
    y = f(x)
    return h * (y[0] / 2 + y[1:-1].sum() + y[-1] / 2)


# ---------------------------------------------------------------- 11 · monte_carlo(g, x)

# g = identity, x = [0, 1]: s should use n - 1 (s = 0.707, se = 0.5), ddof=0 gives se = 0.354
def mc_ddof_zero(g, x):
    v = g(x)
    return v.mean(), v.std() / np.sqrt(len(v))


# g = identity, x = [0, 1, 2, 3]: divides s by n instead of sqrt(n)
def mc_divides_by_n(g, x):
    v = g(x)
    return v.mean(), v.std(ddof=1) / len(v)


# g = identity, x = [0, 2]: s^2 / sqrt(n) = 2 / 1.41 instead of s / sqrt(n) = 1
def mc_variance_not_std(g, x):
    v = g(x)
    return v.mean(), v.var(ddof=1) / np.sqrt(len(v))


# g = x^2, x = [0, 1, 2]: the error bar is computed from x, not from g(x)
def mc_std_of_x(g, x):
    v = g(x)
    return v.mean(), np.std(x, ddof=1) / np.sqrt(len(x))


# g = identity, x = [0, 1, 2, 3]: s / sqrt(n - 1) instead of s / sqrt(n)
def mc_sqrt_n_minus_1(g, x):
    v = g(x)
    return v.mean(), v.std(ddof=1) / np.sqrt(len(v) - 1)


# x = 1 + 1e-9 * k (tiny spread): float32 cannot see the spread, se = 0
def mc_float32(g, x):
    v = np.asarray(g(x), dtype=np.float32)
    return float(v.mean()), float(v.std(ddof=1) / np.sqrt(len(v)))


# g = identity, x = 1e8 + [0, 1, 2]: the one-pass formula E[g^2] - E[g]^2 cancels (total minus
# kept); x = 1e8 + [0, 1, 2] gives se 1.0 instead of 0.577, x = 1e9 + [0, 1, 2] gives 0
def mc_one_pass_variance(g, x):
    v = g(x)
    n = len(v)
    mean = v.mean()
    var = (np.mean(v ** 2) - mean ** 2) * n / (n - 1)
    return mean, np.sqrt(max(var, 0.0)) / np.sqrt(n)


# g = identity, x = [1, 3]: should be (2, 1), this gives (1, 2)
def mc_tuple_swapped(g, x):
    v = g(x)
    return v.std(ddof=1) / np.sqrt(len(v)), v.mean()


# g = identity: the caller's x is centred in place; a bool or int g(x) raises
def mc_centres_in_place(g, x):
    v = g(x)
    mean = v.mean()
    v -= mean
    s = np.sqrt(np.sum(v ** 2) / (len(v) - 1))
    return mean, s / np.sqrt(len(v))


WRONG = {
    "check_linear_backward": [
        ("dX = dZ @ W (no transpose)", lb_dx_without_transpose),
        ("dW = dZ.T @ X (transposed)", lb_dw_transposed),
        ("db is the mean over the batch", lb_db_mean),
        ("db summed over the wrong axis", lb_db_wrong_axis),
        ("db is a scalar", lb_db_scalar),
        ("dW divided by N", lb_dw_averaged),
        ("db from the first row only", lb_db_first_row),
        ("db keeps dims (1, d_out)", lb_db_keepdims),
    ],
    "check_softmax_cross_entropy_grad": [
        ("no max shift", sce_no_max_shift),
        ("sum instead of mean", sce_sum_not_mean),
        ("softmax over the batch axis", sce_softmax_over_batch),
        ("one global max shift", sce_global_max_shift),
        ("p[:, y] -= 1 fancy-indexes columns", sce_fancy_index_columns),
        ("divides by K instead of N", sce_divides_by_classes),
        ("sign flipped", sce_sign_flipped),
        ("one-hot width from y.max() + 1", sce_onehot_from_labels),
        ("shifts the caller's logits in place", sce_shifts_caller_logits),
    ],
    "check_tanh_backward": [
        ("1 - H instead of 1 - H^2", tanh_forgets_square),
        ("1 - tanh(H)^2 (treats H as A)", tanh_of_h),
        ("forgets dH", tanh_forgets_upstream),
        ("1 + H^2", tanh_plus_sign),
        ("matrix product instead of elementwise", tanh_matrix_product),
        ("(1 - H)^2", tanh_square_outside),
        ("overwrites dH in place", tanh_in_place_into_dh),
        ("sigmoid rule H(1 - H)", tanh_sigmoid_rule),
    ],
    "check_hessian_fd": [
        ("not symmetrised", hess_not_symmetrised),
        ("divides by h instead of 2h", hess_divides_by_h),
        ("forward difference of the gradient", hess_forward_difference),
        ("triu + triu.T doubles the diagonal", hess_triu_doubles_diagonal),
        ("moves every coordinate at once", hess_moves_all_coordinates),
        ("ignores h", hess_ignores_h),
        ("int step vector from zeros_like(x)", hess_int_step_vector),
        ("perturbs the caller's x in place", hess_perturbs_caller_x),
    ],
    "check_classify_stationary_point": [
        ("diagonal entries instead of eigenvalues", csp_diagonal),
        ("2x2 determinant rule", csp_determinant_rule),
        ("exact == 0 zero test", csp_exact_zero_test),
        ("degenerate checked before saddle", csp_degenerate_before_saddle),
        ("minimum and maximum swapped", csp_min_max_swapped),
        ("semi-definite called minimum", csp_semidefinite_is_minimum),
        ("zero threshold 1e-6", csp_threshold_too_large),
        ("capitalised labels", csp_capitalised),
    ],
    "check_trapezoid": [
        ("n points instead of n + 1", trap_n_points),
        ("endpoints not halved", trap_no_halves),
        ("left Riemann sum", trap_left_riemann),
        ("h = (b - a) / (n + 1)", trap_wrong_width),
        ("integer division for h", trap_integer_division),
        ("abs(b - a) loses the sign for a > b", trap_abs_width),
        ("halves only the first endpoint", trap_halves_first_only),
        ("loop misses the last interior point", trap_loop_off_by_one),
        ("np.arange grid gets an extra point", trap_arange_points),
    ],
    "check_monte_carlo": [
        ("std with ddof=0", mc_ddof_zero),
        ("divides by n instead of sqrt(n)", mc_divides_by_n),
        ("variance instead of standard deviation", mc_variance_not_std),
        ("std of x instead of g(x)", mc_std_of_x),
        ("divides by sqrt(n - 1)", mc_sqrt_n_minus_1),
        ("float32", mc_float32),
        ("one-pass variance cancels", mc_one_pass_variance),
        ("returns (se, mean)", mc_tuple_swapped),
        ("centres g(x) in place", mc_centres_in_place),
    ],
}


# ---------------------------------------------------------------- 10 · newton_minimize(grad_f, hess_f, x0)

# f = x^2 / 2 from x0 = [0] (already the minimum): should take 0 steps; stepping first reports 1
def newton_steps_before_test(grad_f, hess_f, x0, tol=1e-10, max_steps=50):
    x = np.array(x0, dtype=float)
    steps = 0
    while steps < max_steps:
        H = hess_f(x)
        if np.linalg.eigvalsh(H).min() <= 0:
            raise ValueError("the Hessian is not positive definite")
        x = x + np.linalg.solve(H, -grad_f(x))
        steps += 1
        if np.linalg.norm(grad_f(x)) <= tol:
            break
    return x, steps


# f = x^T H x / 2 - c^T x with H the 8x8 Hilbert matrix (kappa ~ 1.5e10), c = H @ 1, x0 = 0: one
# solve step leaves ||grad|| = ||Hx - c|| ~ 3e-16; inv(H) @ g leaves ~3e-8 > tol, so it needs 2+ steps
def newton_forms_inverse(grad_f, hess_f, x0, tol=1e-10, max_steps=50):
    x = np.array(x0, dtype=float)
    steps = 0
    while steps < max_steps:
        g = grad_f(x)
        if np.linalg.norm(g) <= tol:
            break
        H = hess_f(x)
        if np.linalg.eigvalsh(H).min() <= 0:
            raise ValueError("the Hessian is not positive definite")
        x = x - np.linalg.inv(H) @ g
        steps += 1
    return x, steps


# f = x^2 - y^2 (a saddle, H = diag(2, -2)) from x0 = [1, 1]: should raise ValueError; this steps on
def newton_no_definiteness_test(grad_f, hess_f, x0, tol=1e-10, max_steps=50):
    x = np.array(x0, dtype=float)
    steps = 0
    while steps < max_steps:
        g = grad_f(x)
        if np.linalg.norm(g) <= tol:
            break
        x = x + np.linalg.solve(hess_f(x), -g)
        steps += 1
    return x, steps


# f = -(x^2 + y^2) (a maximum, H = -2I, det = 4 > 0) from x0 = [1, 1]: should raise; det > 0 passes it
def newton_definiteness_by_determinant(grad_f, hess_f, x0, tol=1e-10, max_steps=50):
    x = np.array(x0, dtype=float)
    steps = 0
    while steps < max_steps:
        g = grad_f(x)
        if np.linalg.norm(g) <= tol:
            break
        H = hess_f(x)
        if np.linalg.det(H) <= 0:
            raise ValueError("the Hessian is not positive definite")
        x = x + np.linalg.solve(H, -g)
        steps += 1
    return x, steps


# H = [[1, 2], [2, 1]] (eigenvalues 3 and -1, a saddle): positive diagonal passes; should raise
def newton_definiteness_by_diagonal(grad_f, hess_f, x0, tol=1e-10, max_steps=50):
    x = np.array(x0, dtype=float)
    steps = 0
    while steps < max_steps:
        g = grad_f(x)
        if np.linalg.norm(g) <= tol:
            break
        H = np.atleast_2d(hess_f(x))
        if np.any(np.diag(H) <= 0):
            raise ValueError("the Hessian is not positive definite")
        x = x + np.linalg.solve(H, -g)
        steps += 1
    return x, steps


# f = (x - 3)^2 from x0 = [0]: the minimum is 3; x - p with H p = -g walks to -3 and beyond
def newton_step_sign_flipped(grad_f, hess_f, x0, tol=1e-10, max_steps=50):
    x = np.array(x0, dtype=float)
    steps = 0
    while steps < max_steps:
        g = grad_f(x)
        if np.linalg.norm(g) <= tol:
            break
        H = hess_f(x)
        if np.linalg.eigvalsh(H).min() <= 0:
            raise ValueError("the Hessian is not positive definite")
        x = x - np.linalg.solve(H, -g)
        steps += 1
    return x, steps


# any float x0 that is not already the minimum: moves the caller's x0 along with x ("x += p")
def newton_updates_x0_in_place(grad_f, hess_f, x0, tol=1e-10, max_steps=50):
    x = x0 if np.asarray(x0).dtype.kind == "f" else np.array(x0, dtype=float)
    steps = 0
    while steps < max_steps:
        g = grad_f(x)
        if np.linalg.norm(g) <= tol:
            break
        H = hess_f(x)
        if np.linalg.eigvalsh(H).min() <= 0:
            raise ValueError("the Hessian is not positive definite")
        x += np.linalg.solve(H, -g)
        steps += 1
    return x, steps


# f = (x - 0.5)^2 from the integer x0 = [0]: an integer x truncates the step 0.5 to 0, returns [0]
def newton_keeps_integer_dtype(grad_f, hess_f, x0, tol=1e-10, max_steps=50):
    x = np.array(x0)                             # a copy — but of x0's dtype
    steps = 0
    while steps < max_steps:
        g = grad_f(x)
        if np.linalg.norm(g) <= tol:
            break
        H = hess_f(x)
        if np.linalg.eigvalsh(H).min() <= 0:
            raise ValueError("the Hessian is not positive definite")
        x[...] = x + np.linalg.solve(H, -g)
        steps += 1
    return x, steps


# f = e^x - 2x from x0 = [5] with max_steps = 2: 2 steps are taken, "for steps in range(max_steps)"
# reports 1
def newton_for_loop_count_off_by_one(grad_f, hess_f, x0, tol=1e-10, max_steps=50):
    x = np.array(x0, dtype=float)
    steps = 0
    for steps in range(max_steps):
        g = grad_f(x)
        if np.linalg.norm(g) <= tol:
            break
        H = hess_f(x)
        if np.linalg.eigvalsh(H).min() <= 0:
            raise ValueError("the Hessian is not positive definite")
        x = x + np.linalg.solve(H, -g)
    return x, steps


# f = e^x - 2x from x0 = [1], tol = 1e-10: stops once ||g||^2 <= 1e-10, i.e. ||g|| ~ 1e-6 — one step
# early, with ||g|| far above tol
def newton_squared_norm_test(grad_f, hess_f, x0, tol=1e-10, max_steps=50):
    x = np.array(x0, dtype=float)
    steps = 0
    while steps < max_steps:
        g = grad_f(x)
        if g @ g <= tol:
            break
        H = hess_f(x)
        if np.linalg.eigvalsh(H).min() <= 0:
            raise ValueError("the Hessian is not positive definite")
        x = x + np.linalg.solve(H, -g)
        steps += 1
    return x, steps


# f = e^x - 2x from x0 = [5] with max_steps = 2 (or tol = 0, which round-off may never reach):
# the loop ignores max_steps
def newton_ignores_max_steps(grad_f, hess_f, x0, tol=1e-10, max_steps=50):
    x = np.array(x0, dtype=float)
    steps = 0
    while np.linalg.norm(grad_f(x)) > tol:
        H = hess_f(x)
        if np.linalg.eigvalsh(H).min() <= 0:
            raise ValueError("the Hessian is not positive definite")
        x = x + np.linalg.solve(H, -grad_f(x))
        steps += 1
    return x, steps


# ---------------------------------------------------------------- 11 · minibatch_noise(G, B)

# G = [[0], [2]], B = 1: sigma^2 = 1, answer 1; ddof = 1 gives sigma^2 = 2 and answer 2
def mbn_sigma2_ddof1(G, B):
    G = np.asarray(G, dtype=float)
    N = len(G)
    sigma2 = np.sum((G - G.mean(axis=0)) ** 2) / (N - 1)
    return sigma2 / B * (N - B) / (N - 1)


# G = [[0], [2]], B = 1: answer 1 * 1 * (1 / 1) = 1; (N - B) / N gives 1/2
def mbn_correction_over_N(G, B):
    G = np.asarray(G, dtype=float)
    N = len(G)
    sigma2 = np.mean(np.sum((G - G.mean(axis=0)) ** 2, axis=1))
    return sigma2 / B * (N - B) / N


# G = [[0], [2]], B = 2 (= N: the batch is the data set): answer 0; without the correction 1/2
def mbn_no_correction(G, B):
    G = np.asarray(G, dtype=float)
    sigma2 = np.mean(np.sum((G - G.mean(axis=0)) ** 2, axis=1))
    return sigma2 / B


# G = [[0], [2], [4]], B = 2: sigma^2 = 8/3, answer 8/3 / 2 * 1/2 = 2/3; dividing by sqrt(2) gives 0.943
def mbn_divides_by_sqrt_B(G, B):
    G = np.asarray(G, dtype=float)
    N = len(G)
    sigma2 = np.mean(np.sum((G - G.mean(axis=0)) ** 2, axis=1))
    return sigma2 / np.sqrt(B) * (N - B) / (N - 1)


# G = 1e8 + [[0], [1], [2]] (a huge common part), B = 1: answer 2/3; the one-pass
# mean ||g||^2 - ||mean||^2 subtracts two numbers ~1e16 and gives 0 (or a multiple of 2)
def mbn_one_pass_variance(G, B):
    G = np.asarray(G, dtype=float)
    N = len(G)
    sigma2 = np.mean(np.sum(G ** 2, axis=1)) - np.sum(G.mean(axis=0) ** 2)
    return sigma2 / B * (N - B) / (N - 1)


# G = [[0, 0], [2, 2]], B = 1: sigma^2 = 2 (squared distances summed over coordinates); the mean over
# all N * d entries gives 1
def mbn_mean_over_all_entries(G, B):
    G = np.asarray(G, dtype=float)
    N = len(G)
    sigma2 = np.mean((G - G.mean(axis=0)) ** 2)
    return sigma2 / B * (N - B) / (N - 1)


# any float G: centres the caller's G in place (G -= mean); the number is right
def mbn_centres_G_in_place(G, B):
    G = np.asarray(G) if np.asarray(G).dtype.kind == "f" else np.asarray(G, dtype=float)
    N = len(G)
    G -= G.mean(axis=0)
    sigma2 = np.mean(np.sum(G ** 2, axis=1))
    return sigma2 / B * (N - B) / (N - 1)


# G = 1e4 + [[0], [1e-3], [2e-3]], B = 1: answer 6.7e-7; float32 cannot tell the rows apart (spacing
# at 1e4 is 1e-3) and loses all digits
def mbn_float32(G, B):
    G = np.asarray(G, dtype=np.float32)
    N = len(G)
    sigma2 = np.mean(np.sum((G - G.mean(axis=0)) ** 2, axis=1))
    return float(sigma2 / B * (N - B) / (N - 1))


# G = [[0], [1], [5]], B = 1: distances to the mean are 2, 1, 3, so sigma^2 = 14/3; the square of the
# mean distance gives 4
def mbn_square_of_mean_distance(G, B):
    G = np.asarray(G, dtype=float)
    N = len(G)
    sigma = np.mean(np.linalg.norm(G - G.mean(axis=0), axis=1))
    return sigma ** 2 / B * (N - B) / (N - 1)


# G = [[0], [1], [2]], B = 2: answer (2/3) / 2 * 1/2 = 1/6; (N - B) // (N - 1) = 1 // 2 = 0 gives 0
def mbn_integer_division_in_correction(G, B):
    G = np.asarray(G, dtype=float)
    N = len(G)
    sigma2 = np.mean(np.sum((G - G.mean(axis=0)) ** 2, axis=1))
    return sigma2 / B * ((N - B) // (N - 1))

WRONG["check_newton_minimize"] = [
    ("steps before testing the gradient", newton_steps_before_test),
    ("forms inv(H)", newton_forms_inverse),
    ("no positive-definiteness test", newton_no_definiteness_test),
    ("definiteness by det(H) > 0", newton_definiteness_by_determinant),
    ("definiteness by the diagonal", newton_definiteness_by_diagonal),
    ("step sign flipped", newton_step_sign_flipped),
    ("updates the caller's x0 in place", newton_updates_x0_in_place),
    ("keeps x0's integer dtype", newton_keeps_integer_dtype),
    ("for steps in range(max_steps) off by one", newton_for_loop_count_off_by_one),
    ("stops on ||g||^2 <= tol", newton_squared_norm_test),
    ("ignores max_steps", newton_ignores_max_steps),
]
WRONG["check_minibatch_noise"] = [
    ("sigma^2 with ddof = 1", mbn_sigma2_ddof1),
    ("(N - B) / N", mbn_correction_over_N),
    ("no finite-population correction", mbn_no_correction),
    ("divides by sqrt(B)", mbn_divides_by_sqrt_B),
    ("one-pass variance cancels", mbn_one_pass_variance),
    ("mean over all N * d entries", mbn_mean_over_all_entries),
    ("centres the caller's G in place", mbn_centres_G_in_place),
    ("float32", mbn_float32),
    ("square of the mean distance", mbn_square_of_mean_distance),
    ("integer division in the correction", mbn_integer_division_in_correction),
]
