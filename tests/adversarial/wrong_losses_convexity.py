"""Adversarial wrong solutions for notebook 18 (losses and convexity): the Huber loss and its
slope, the soft-margin SVM objective with a subgradient, and the Hessian test for convexity of
x^T A x.

Each entry is a plausible learner's mistake or a sneaky near-miss; the comment beside it names an
input allowed by the statement on which it differs from a correct solution (checked against a
scratch reference outside the repo).  Entries labelled "HANGS:" never return on some inputs.
"""
import numpy as np


# ---------------------------------------------------------------------------------------------
# Exercise 1 — huber(r, delta) -> (loss, slope)
# ---------------------------------------------------------------------------------------------

def _huber_smooth_l1(r, delta):
    # witness: r=[0.5, 3.], delta=2 -> loss 0.0625 (not 0.125), 2.0 (not 4.0)
    r = np.asarray(r, dtype=float)
    a = np.abs(r)
    loss = np.where(a < delta, 0.5 * r ** 2 / delta, a - 0.5 * delta)
    slope = np.where(a < delta, r / delta, np.sign(r))
    return loss, slope


def _huber_no_half_quadratic(r, delta):
    # witness: r=[1.], delta=2 -> loss 1.0 (not 0.5), slope 2 (not 1)
    r = np.asarray(r, dtype=float)
    a = np.abs(r)
    loss = np.where(a <= delta, r ** 2, delta * (a - 0.5 * delta))
    slope = np.where(a <= delta, 2 * r, delta * np.sign(r))
    return loss, slope


def _huber_tail_no_half(r, delta):
    # witness: r=[5.], delta=2 -> loss 6.0 (not 8.0)
    r = np.asarray(r, dtype=float)
    a = np.abs(r)
    loss = np.where(a <= delta, 0.5 * r ** 2, delta * a - delta ** 2)
    slope = np.where(a <= delta, r, delta * np.sign(r))
    return loss, slope


def _huber_tail_slope_unsigned(r, delta):
    # witness: r=[-5.], delta=1 -> slope +1 (not -1)
    r = np.asarray(r, dtype=float)
    a = np.abs(r)
    loss = np.where(a <= delta, 0.5 * r ** 2, delta * (a - 0.5 * delta))
    slope = np.where(a <= delta, r, delta)
    return loss, slope


def _huber_tail_slope_sign_only(r, delta):
    # witness: r=[5.], delta=2 -> slope 1 (not 2)
    r = np.asarray(r, dtype=float)
    a = np.abs(r)
    loss = np.where(a <= delta, 0.5 * r ** 2, delta * (a - 0.5 * delta))
    slope = np.where(a <= delta, r, np.sign(r))
    return loss, slope


def _huber_quad_slope_abs(r, delta):
    # witness: r=[-0.5], delta=1 -> slope 0.5 (not -0.5)
    r = np.asarray(r, dtype=float)
    a = np.abs(r)
    loss = np.where(a <= delta, 0.5 * r ** 2, delta * (a - 0.5 * delta))
    slope = np.where(a <= delta, a, delta * np.sign(r))
    return loss, slope


def _huber_branch_on_r_not_abs(r, delta):
    # witness: r=[-5.], delta=1 -> loss 12.5 (not 4.5), slope -5 (not -1)
    r = np.asarray(r, dtype=float)
    quad = r <= delta
    loss = np.where(quad, 0.5 * r ** 2, delta * (np.abs(r) - 0.5 * delta))
    slope = np.where(quad, r, delta * np.sign(r))
    return loss, slope


def _huber_clip_upper_only(r, delta):
    # witness: r=[-5.], delta=1 -> slope -5 (not -1)
    r = np.asarray(r, dtype=float)
    a = np.abs(r)
    loss = np.where(a <= delta, 0.5 * r ** 2, delta * (a - 0.5 * delta))
    slope = np.minimum(r, delta)
    return loss, slope


def _huber_int_truncation(r, delta):
    # witness: r=np.array([1, 3]), delta=2 -> loss [0, 4] (not [0.5, 4.0]); zeros_like keeps int
    a = np.abs(r)
    loss = np.zeros_like(r)
    slope = np.zeros_like(r)
    inner = a <= delta
    loss[inner] = 0.5 * r[inner] ** 2
    loss[~inner] = delta * (a[~inner] - 0.5 * delta)
    slope[inner] = r[inner]
    slope[~inner] = delta * np.sign(r[~inner])
    return loss, slope


def _huber_mutates_input(r, delta):
    # witness: r=np.array([-3., 0.5]), delta=1 -> caller's r becomes [-1., 0.5] (np.clip out=r)
    r_abs = np.abs(r)
    loss = np.where(r_abs <= delta, 0.5 * r ** 2, delta * (r_abs - 0.5 * delta))
    slope = np.clip(r, -delta, delta, out=r)
    return loss.astype(float), slope.astype(float)


def _huber_delta_floor_half(r, delta):
    # witness: r=[5.], delta=3 -> loss 3*(5-1)=12 (not 10.5); delta // 2 floors
    r = np.asarray(r, dtype=float)
    a = np.abs(r)
    loss = np.where(a <= delta, 0.5 * r ** 2, delta * (a - delta // 2))
    slope = np.where(a <= delta, r, delta * np.sign(r))
    return loss, slope


def _huber_delta_one_hardcoded(r, delta):
    # witness: r=[1.5], delta=2 -> loss 1.0 (not 1.125), slope 1 (not 1.5)
    r = np.asarray(r, dtype=float)
    a = np.abs(r)
    loss = np.where(a <= 1, 0.5 * r ** 2, a - 0.5)
    slope = np.clip(r, -1, 1)
    return loss, slope


def _huber_mean_reduction(r, delta):
    # witness: r=[1., 3.], delta=1 -> returns scalar loss 1.5 (shape (), not (2,))
    r = np.asarray(r, dtype=float)
    a = np.abs(r)
    loss = np.where(a <= delta, 0.5 * r ** 2, delta * (a - 0.5 * delta))
    slope = np.where(a <= delta, r, delta * np.sign(r))
    return np.mean(loss), slope / r.size


def _huber_flattens(r, delta):
    # witness: r=[[1., 3.]], delta=1 -> shape (2,) (not (1, 2))
    r = np.asarray(r, dtype=float).ravel()
    a = np.abs(r)
    loss = np.where(a <= delta, 0.5 * r ** 2, delta * (a - 0.5 * delta))
    slope = np.where(a <= delta, r, delta * np.sign(r))
    return loss, slope


def _huber_cancellation(r, delta):
    # witness: r=[1e12], delta=0.01 -> loss 0.5r^2 - 0.5(|r|-d)^2 loses all digits (true 1e10)
    r = np.asarray(r, dtype=float)
    a = np.abs(r)
    excess = np.maximum(a - delta, 0.0)
    loss = 0.5 * r ** 2 - 0.5 * excess ** 2
    slope = r - np.sign(r) * excess
    return loss, slope


def _huber_sqrt_abs_overflow(r, delta):
    # witness: r=[1e200], delta=1 -> sqrt(r**2) overflows to inf (true loss 1e200 - 0.5)
    r = np.asarray(r, dtype=float)
    with np.errstate(over="ignore"):
        a = np.sqrt(r ** 2)
    loss = np.where(a <= delta, 0.5 * r ** 2, delta * (a - 0.5 * delta))
    slope = np.where(a <= delta, r, delta * r / a)
    return loss, slope


def _huber_swapped_outputs(r, delta):
    # witness: r=[3.], delta=1 -> returns (slope, loss) = (1, 2.5) instead of (2.5, 1)
    r = np.asarray(r, dtype=float)
    a = np.abs(r)
    loss = np.where(a <= delta, 0.5 * r ** 2, delta * (a - 0.5 * delta))
    slope = np.where(a <= delta, r, delta * np.sign(r))
    return slope, loss


def _huber_hangs_on_zero(r, delta):
    # witness: r=[0., 2.], delta=1 -> the index is never advanced past a zero residual
    r = np.asarray(r, dtype=float)
    flat = r.ravel()
    loss = np.zeros(flat.size)
    slope = np.zeros(flat.size)
    i = 0
    while i < flat.size:
        x = flat[i]
        if x == 0:
            continue        # "nothing to add" ... but i is never incremented
        if abs(x) <= delta:
            loss[i], slope[i] = 0.5 * x * x, x
        else:
            loss[i], slope[i] = delta * (abs(x) - 0.5 * delta), delta * np.sign(x)
        i += 1
    return loss.reshape(r.shape), slope.reshape(r.shape)


# ---------------------------------------------------------------------------------------------
# Exercise 2 — svm_objective(w, b, X, y, lam) -> (J, grad_w, grad_b)
# ---------------------------------------------------------------------------------------------

def _svm_parts(w, b, X, y):
    X = np.asarray(X, dtype=float)
    w = np.asarray(w, dtype=float)
    y = np.asarray(y, dtype=float)
    m = y * (X @ w + b)
    return X, w, y, m


def _svm_no_max(w, b, X, y, lam):
    # witness: w=[1.], b=0, X=[[3]], y=[1], lam=0 -> J = -2 (not 0), grad_w -3 (not 0)
    X, w, y, m = _svm_parts(w, b, X, y)
    N = len(y)
    J = 0.5 * lam * w @ w + np.mean(1 - m)
    gw = lam * w - (y @ X) / N
    gb = -np.sum(y) / N
    return J, gw, gb


def _svm_margin_active(w, b, X, y, lam):
    # witness: w=[1], b=0, X=[[1]], y=[1], lam=0 (y f = 1 exactly) -> grad_w -1 (slope 0 asked: 0)
    X, w, y, m = _svm_parts(w, b, X, y)
    N = len(y)
    act = (m <= 1).astype(float)
    J = 0.5 * lam * w @ w + np.mean(np.maximum(0, 1 - m))
    gw = lam * w - ((act * y) @ X) / N
    gb = -np.sum(act * y) / N
    return J, gw, gb


def _svm_kink_half(w, b, X, y, lam):
    # witness: same as above (y f = 1) -> grad_w -0.5 (midpoint of the subdifferential, not 0)
    X, w, y, m = _svm_parts(w, b, X, y)
    N = len(y)
    act = np.where(m < 1, 1.0, np.where(m == 1, 0.5, 0.0))
    J = 0.5 * lam * w @ w + np.mean(np.maximum(0, 1 - m))
    gw = lam * w - ((act * y) @ X) / N
    gb = -np.sum(act * y) / N
    return J, gw, gb


def _svm_regularises_bias(w, b, X, y, lam):
    # witness: w=[1.], b=2, X=[[0]], y=[1], lam=1 -> J 2.5 (not 0.5), grad_b 2 (not 0)
    X, w, y, m = _svm_parts(w, b, X, y)
    N = len(y)
    act = (m < 1).astype(float)
    J = 0.5 * lam * (w @ w + b * b) + np.mean(np.maximum(0, 1 - m))
    gw = lam * w - ((act * y) @ X) / N
    gb = lam * b - np.sum(act * y) / N
    return J, gw, gb


def _svm_no_half_reg(w, b, X, y, lam):
    # witness: w=[1.], b=5, X=[[0]], y=[1], lam=1 -> J 1 (not 0.5), grad_w 2 (not 1)
    X, w, y, m = _svm_parts(w, b, X, y)
    N = len(y)
    act = (m < 1).astype(float)
    J = lam * w @ w + np.mean(np.maximum(0, 1 - m))
    gw = 2 * lam * w - ((act * y) @ X) / N
    gb = -np.sum(act * y) / N
    return J, gw, gb


def _svm_sum_not_mean(w, b, X, y, lam):
    # witness: w=[0.], b=0, X=[[1],[2]], y=[1,1], lam=0 -> J 2 (not 1), grad_w -3 (not -1.5)
    X, w, y, m = _svm_parts(w, b, X, y)
    act = (m < 1).astype(float)
    J = 0.5 * lam * w @ w + np.sum(np.maximum(0, 1 - m))
    gw = lam * w - (act * y) @ X
    gb = -np.sum(act * y)
    return J, gw, gb


def _svm_grad_sign_flipped(w, b, X, y, lam):
    # witness: w=[0.], b=0, X=[[1]], y=[1], lam=0 -> grad_w +1 (not -1), grad_b +1 (not -1)
    X, w, y, m = _svm_parts(w, b, X, y)
    N = len(y)
    act = (m < 1).astype(float)
    J = 0.5 * lam * w @ w + np.mean(np.maximum(0, 1 - m))
    gw = lam * w + ((act * y) @ X) / N
    gb = np.sum(act * y) / N
    return J, gw, gb


def _svm_forgets_reg_grad(w, b, X, y, lam):
    # witness: w=[1.], b=5, X=[[0]], y=[1], lam=1 -> grad_w 0 (not 1)
    X, w, y, m = _svm_parts(w, b, X, y)
    N = len(y)
    act = (m < 1).astype(float)
    J = 0.5 * lam * w @ w + np.mean(np.maximum(0, 1 - m))
    gw = -((act * y) @ X) / N
    gb = -np.sum(act * y) / N
    return J, gw, gb


def _svm_ignores_label(w, b, X, y, lam):
    # witness: w=[0.], b=0, X=[[1]], y=[-1], lam=0 -> grad_w -1 (not +1); hinge on f, not y f
    X = np.asarray(X, dtype=float)
    w = np.asarray(w, dtype=float)
    f = X @ w + b
    N = X.shape[0]
    act = (f < 1).astype(float)
    J = 0.5 * lam * w @ w + np.mean(np.maximum(0, 1 - f))
    gw = lam * w - (act @ X) / N
    gb = -np.sum(act) / N
    return J, gw, gb


def _svm_int_accumulator(w, b, X, y, lam):
    # witness: w=[0], b=0, X=[[1],[1],[1]], y=[1,1,1] ints, lam=0 -> grad_w [0] (not -1); the
    # accumulator np.zeros_like(X[0]) is int so each -x/N step truncates to 0
    N = len(y)
    gw = np.zeros_like(X[0])
    gb = 0.0
    J = 0.5 * lam * float(np.dot(w, w))
    for i in range(N):
        m = y[i] * (np.dot(X[i], w) + b)
        if m < 1:
            J += (1 - m) / N
            gw -= (y[i] * X[i] / N).astype(gw.dtype)
            gb -= y[i] / N
    return J, gw + lam * np.asarray(w), gb


def _svm_mutates_X(w, b, X, y, lam):
    # witness: X=np.array([[1.],[2.]]), y=[1,-1], w=[0.], b=0, lam=0 -> caller's X becomes
    # [[1.],[-2.]] (X *= y[:, None] in place)
    X *= y[:, None]
    m = X @ w + y * b
    N = len(y)
    act = (m < 1).astype(float)
    J = 0.5 * lam * np.dot(w, w) + np.mean(np.maximum(0, 1 - m))
    gw = lam * np.asarray(w, float) - (act @ X) / N
    gb = -np.sum(act * y) / N
    return J, gw, gb


def _svm_column_broadcast(w, b, X, y, lam):
    # witness: w=[1.], b=0, X=[[2],[1]], y=[1,-1], lam=0 -> f as an (N,1) column makes y * f an
    # (N, N) matrix: J 1.25 (not 1.0)
    X = np.asarray(X, dtype=float)
    w = np.asarray(w, dtype=float)
    f = X @ w[:, None] + b               # (N, 1)
    m = y * f                            # (N, N) !
    N = len(y)
    act = (m < 1).astype(float)
    J = 0.5 * lam * w @ w + np.mean(np.maximum(0, 1 - m))
    gw = lam * w - (X.T @ (act * y)).sum(axis=1) / N
    gb = -np.sum(act * y) / N
    return J, gw, gb


def _svm_grad_shape_row(w, b, X, y, lam):
    # witness: w=[0.,0.], b=0, X=[[1,0]], y=[1], lam=0 -> grad_w has shape (1, 2), not (2,)
    X, w, y, m = _svm_parts(w, b, X, y)
    N = len(y)
    act = (m < 1).astype(float)
    J = 0.5 * lam * w @ w + np.mean(np.maximum(0, 1 - m))
    gw = lam * w[None, :] - (act * y)[None, :] @ X / N
    gb = -np.sum(act * y) / N
    return J, gw, gb


def _svm_divides_by_d(w, b, X, y, lam):
    # witness: w=[0.,0.], b=0, X=[[1,0]], y=[1], lam=0 -> J 0.5 and grads halved (divides by d=2)
    X, w, y, m = _svm_parts(w, b, X, y)
    D = X.shape[1]
    act = (m < 1).astype(float)
    J = 0.5 * lam * w @ w + np.sum(np.maximum(0, 1 - m)) / D
    gw = lam * w - ((act * y) @ X) / D
    gb = -np.sum(act * y) / D
    return J, gw, gb


def _svm_mean_over_active(w, b, X, y, lam):
    # witness: w=[1.], b=0, X=[[0],[5]], y=[1,1], lam=0 -> grad_w 0, grad_b -1 (not -0.5):
    # averages over the violating examples only; nan when none violate
    X, w, y, m = _svm_parts(w, b, X, y)
    act = m < 1
    J = 0.5 * lam * w @ w + np.mean(np.maximum(0, 1 - m))
    with np.errstate(invalid="ignore"):
        gw = lam * w - np.mean(y[act, None] * X[act], axis=0)
        gb = -np.mean(y[act]) if act.any() else float("nan")
    return J, gw, gb


def _svm_n_minus_one(w, b, X, y, lam):
    # witness: w=[0.], b=0, X=[[1],[1]], y=[1,1], lam=0 -> J 2 (not 1); divides by N - 1
    X, w, y, m = _svm_parts(w, b, X, y)
    N = max(len(y) - 1, 1)
    act = (m < 1).astype(float)
    J = 0.5 * lam * w @ w + np.sum(np.maximum(0, 1 - m)) / N
    gw = lam * w - ((act * y) @ X) / N
    gb = -np.sum(act * y) / N
    return J, gw, gb


def _svm_isclose_kink(w, b, X, y, lam):
    # witness: w=[1 - 1e-9], b=0, X=[[1.]], y=[1], lam=0 -> y f = 1 - 1e-9 < 1 is a violation
    # (grad_w -1), but np.isclose treats it as on the margin (grad_w 0)
    X, w, y, m = _svm_parts(w, b, X, y)
    N = len(y)
    act = ((m < 1) & ~np.isclose(m, 1)).astype(float)
    J = 0.5 * lam * w @ w + np.mean(np.maximum(0, 1 - m))
    gw = lam * w - ((act * y) @ X) / N
    gb = -np.sum(act * y) / N
    return J, gw, gb


def _svm_hangs_on_margin(w, b, X, y, lam):
    # witness: w=[1], b=0, X=[[1],[0]], y=[1,1], lam=0 -> example 0 is exactly on the margin and
    # the loop index is not advanced for it
    X, w, y, m = _svm_parts(w, b, X, y)
    N = len(y)
    J = 0.5 * lam * w @ w
    gw = lam * w.copy()
    gb = 0.0
    i = 0
    while i < N:
        if m[i] == 1:
            continue        # "kink: slope 0, skip" ... without i += 1
        if m[i] < 1:
            J += (1 - m[i]) / N
            gw = gw - y[i] * X[i] / N
            gb -= y[i] / N
        i += 1
    return J, gw, gb


# ---------------------------------------------------------------------------------------------
# Exercise 3 — quadratic_convexity(A) -> "strictly convex" | "convex" | "not convex"
# ---------------------------------------------------------------------------------------------

def _classify(ev, tol):
    if np.any(ev < -tol):
        return "not convex"
    if np.any(np.abs(ev) <= tol):
        return "convex"
    return "strictly convex"


def _qc_unsymmetrised_eigvals(A):
    # witness: A=[[1,4],[0,1]] -> eig(A) = 1,1 "strictly convex"; Hessian 2,4;4,2 has -2: "not convex"
    ev = np.real(np.linalg.eigvals(np.asarray(A, dtype=float)))
    return _classify(ev, 1e-10 * np.max(np.abs(ev)))


def _qc_eigvalsh_on_A(A):
    # witness: A=[[1,4],[0,1]] -> eigvalsh reads the lower triangle only -> "strictly convex"
    ev = np.linalg.eigvalsh(np.asarray(A, dtype=float))
    return _classify(ev, 1e-10 * np.max(np.abs(ev)))


def _qc_diagonal_only(A):
    # witness: A=[[1,4],[0,1]] -> diagonal positive "strictly convex" (true: "not convex")
    d = np.diag(np.asarray(A, dtype=float)) * 2
    return _classify(d, 1e-10 * np.max(np.abs(d)))


def _qc_gram_matrix(A):
    # witness: A=[[1,0],[0,-1]] -> A^T A = I "strictly convex" (true: "not convex")
    A = np.asarray(A, dtype=float)
    ev = np.linalg.eigvalsh(A.T @ A)
    return _classify(ev, 1e-10 * np.max(np.abs(ev)))


def _qc_absolute_tol(A):
    # witness: A=1e-11*I(2) -> every eigenvalue 2e-11 <= 1e-10 "convex" (true "strictly convex")
    A = np.asarray(A, dtype=float)
    ev = np.linalg.eigvalsh(A + A.T)
    return _classify(ev, 1e-10)


def _qc_no_tol(A):
    # witness: A=[[6,7,1,2],[1,5,-1,-1],[3,9,22,7],[-2,-5,9,11]] (singular Hessian, computed
    # eigenvalue -5.6e-15) -> "not convex" (true "convex")
    A = np.asarray(A, dtype=float)
    ev = np.linalg.eigvalsh(A + A.T)
    return _classify(ev, 0.0)


def _qc_tol_positive_side_only(A):
    # witness: A=[[6,7,1,2],[1,5,-1,-1],[3,9,22,7],[-2,-5,9,11]] -> tiny negative eigenvalue
    # compared with < 0 -> "not convex" (true "convex")
    A = np.asarray(A, dtype=float)
    ev = np.linalg.eigvalsh(A + A.T)
    tol = 1e-10 * np.max(np.abs(ev))
    if np.any(ev < 0):
        return "not convex"
    if np.any(ev <= tol):
        return "convex"
    return "strictly convex"


def _qc_tol_negative_side_only(A):
    # witness: A=[[6,6,-5,-2,2],[4,31,-13,-17,0],[-3,-23,14,8,12],[-6,-23,14,15,6],
    # [-10,-10,6,2,13]] (computed zero eigenvalue +3.8e-15) -> "strictly convex" (true "convex")
    A = np.asarray(A, dtype=float)
    ev = np.linalg.eigvalsh(A + A.T)
    tol = 1e-10 * np.max(np.abs(ev))
    if np.any(ev < -tol):
        return "not convex"
    if np.any(ev == 0):
        return "convex"
    return "strictly convex"


def _qc_tol_from_A_entries(A):
    # witness: A=[[1,1e11],[-1e11,0.01]] -> Hessian diag(2, 0.02) strictly convex, but the
    # tolerance 1e-10*max|A_ij| = 10 calls both eigenvalues zero -> "convex"
    A = np.asarray(A, dtype=float)
    ev = np.linalg.eigvalsh(A + A.T)
    return _classify(ev, 1e-10 * np.max(np.abs(A)))


def _qc_normalise_nan(A):
    # witness: A=zeros((2,2)) -> ev / max|ev| is nan, no comparison holds -> "strictly convex"
    # (true "convex": the zero matrix is flat in every direction)
    A = np.asarray(A, dtype=float)
    ev = np.linalg.eigvalsh(A + A.T)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = ev / np.max(np.abs(ev))
    return _classify(s, 1e-10)


def _qc_strict_lt_tol(A):
    # witness: A=zeros((3,3)) -> |0| < 0 is False, so no eigenvalue counts as zero ->
    # "strictly convex" (true "convex")
    A = np.asarray(A, dtype=float)
    ev = np.linalg.eigvalsh(A + A.T)
    tol = 1e-10 * np.max(np.abs(ev))
    if np.any(ev < -tol):
        return "not convex"
    if np.any(np.abs(ev) < tol):
        return "convex"
    return "strictly convex"


def _qc_leading_minors(A):
    # witness: A=[[0,0],[0,-1]] -> leading minors 0, 0 are >= 0 -> "convex" (true "not convex":
    # Sylvester's criterion with >= does not test semidefiniteness)
    A = np.asarray(A, dtype=float)
    H = A + A.T
    n = H.shape[0]
    minors = np.array([np.linalg.det(H[:k, :k]) for k in range(1, n + 1)])
    scale = max(np.max(np.abs(H)), 1e-300) ** np.arange(1, n + 1)
    rel = minors / scale
    if np.all(rel > 1e-10):
        return "strictly convex"
    if np.all(rel >= -1e-10):
        return "convex"
    return "not convex"


def _qc_int_hessian(A):
    # witness: A=np.array([[0,1],[0,0]]) (ints) -> H = zeros_like(A) keeps int, (0+1)/2 -> 0,
    # zero Hessian "convex" (true eigenvalues +-1 "not convex")
    n = A.shape[0]
    H = np.zeros_like(A)
    for i in range(n):
        for j in range(n):
            H[i, j] = (A[i, j] + A[j, i]) / 2
    ev = np.linalg.eigvalsh(H)
    return _classify(ev, 1e-10 * np.max(np.abs(ev)))


def _qc_mutates_A(A):
    # witness: A=np.array([[1.,2.],[0.,1.]]) -> caller's A is overwritten by A + A^T
    A += A.T.copy()
    ev = np.linalg.eigvalsh(A)
    return _classify(ev, 1e-10 * np.max(np.abs(ev)))


def _qc_n1_special_case(A):
    # witness: A=[[0]] -> "strictly convex" from the >= 0 shortcut (true "convex")
    A = np.asarray(A, dtype=float)
    if A.shape[0] == 1:
        return "strictly convex" if A[0, 0] >= 0 else "not convex"
    ev = np.linalg.eigvalsh(A + A.T)
    return _classify(ev, 1e-10 * np.max(np.abs(ev)))


def _qc_det_flatness(A):
    # witness: A=1e-8*I(2) -> det(H) = 4e-16 ~ 0 -> "convex" (true "strictly convex")
    A = np.asarray(A, dtype=float)
    H = A + A.T
    ev = np.linalg.eigvalsh(H)
    tol = 1e-10 * np.max(np.abs(ev))
    if np.any(ev < -tol):
        return "not convex"
    if abs(np.linalg.det(H)) <= 1e-10:
        return "convex"
    return "strictly convex"


def _qc_hangs_power_iteration(A):
    # witness: A=[[1,0],[0,-2]] -> the dominant eigenvalue is negative, the power-iteration
    # vector flips sign every step and "until it stops changing" never comes
    A = np.asarray(A, dtype=float)
    H = A + A.T
    x = np.ones(H.shape[0]) / np.sqrt(H.shape[0])
    while True:
        y = H @ x
        ny = np.linalg.norm(y)
        if ny == 0:
            scale = 0.0
            break
        y = y / ny
        if np.linalg.norm(y - x) < 1e-12:
            scale = ny
            break
        x = y
    ev = np.linalg.eigvalsh(H)
    return _classify(ev, 1e-10 * scale)


WRONG = {
    "check_huber": [
        ("SmoothL1 convention (divides the loss by delta)", _huber_smooth_l1),
        ("quadratic branch missing the 1/2", _huber_no_half_quadratic),
        ("linear branch delta*|r| - delta^2 (missing 1/2)", _huber_tail_no_half),
        ("tail slope +delta regardless of sign", _huber_tail_slope_unsigned),
        ("tail slope sign(r) without the factor delta", _huber_tail_slope_sign_only),
        ("quadratic-branch slope |r| instead of r", _huber_quad_slope_abs),
        ("branch chosen on r <= delta instead of |r| <= delta", _huber_branch_on_r_not_abs),
        ("slope clipped from above only (min(r, delta))", _huber_clip_upper_only),
        ("zeros_like(r) output truncates for integer r", _huber_int_truncation),
        ("np.clip(..., out=r) overwrites the caller's array", _huber_mutates_input),
        ("delta // 2 floors half of delta", _huber_delta_floor_half),
        ("delta hard-coded to 1", _huber_delta_one_hardcoded),
        ("reduction='mean' (scalar loss) instead of 'none'", _huber_mean_reduction),
        ("flattens 2-D residuals", _huber_flattens),
        ("tail as 0.5r^2 - 0.5(|r|-delta)^2: cancellation far out", _huber_cancellation),
        ("|r| as sqrt(r**2): overflow for huge residuals", _huber_sqrt_abs_overflow),
        ("returns (slope, loss) swapped", _huber_swapped_outputs),
        ("HANGS: element loop never advances past a zero residual", _huber_hangs_on_zero),
    ],
    "check_svm_objective": [
        ("hinge without max(0, .)", _svm_no_max),
        ("examples exactly on the margin counted as violations", _svm_margin_active),
        ("slope 1/2 at the kink instead of 0", _svm_kink_half),
        ("bias regularised too", _svm_regularises_bias),
        ("lam*||w||^2 without the 1/2", _svm_no_half_reg),
        ("sum over examples instead of the mean", _svm_sum_not_mean),
        ("hinge gradient sign flipped (+y x)", _svm_grad_sign_flipped),
        ("regulariser's gradient lam*w forgotten", _svm_forgets_reg_grad),
        ("hinge on f instead of y*f (labels ignored)", _svm_ignores_label),
        ("int accumulator zeros_like(X[0]) truncates grad_w", _svm_int_accumulator),
        ("X *= y[:, None] in place (mutates caller's X)", _svm_mutates_X),
        ("w as a column: y * f broadcasts to (N, N)", _svm_column_broadcast),
        ("grad_w returned with shape (1, d)", _svm_grad_shape_row),
        ("divides by d instead of N", _svm_divides_by_d),
        ("gradient averaged over violating examples only", _svm_mean_over_active),
        ("divides by N - 1", _svm_n_minus_one),
        ("np.isclose(y f, 1) treats near-margin violations as on the margin", _svm_isclose_kink),
        ("HANGS: loop index not advanced for an example on the margin", _svm_hangs_on_margin),
    ],
    "check_quadratic_convexity": [
        ("eigenvalues of A itself (not symmetrised)", _qc_unsymmetrised_eigvals),
        ("eigvalsh(A) on the non-symmetric A (lower triangle only)", _qc_eigvalsh_on_A),
        ("diagonal of A only", _qc_diagonal_only),
        ("eigenvalues of A^T A instead of A + A^T", _qc_gram_matrix),
        ("absolute tolerance 1e-10 (fails for A scaled by 1e-8)", _qc_absolute_tol),
        ("no tolerance: exact sign of computed eigenvalues", _qc_no_tol),
        ("tolerance on the positive side only (ev < 0 -> not convex)", _qc_tol_positive_side_only),
        ("tolerance on the negative side only (ev == 0 -> flat)", _qc_tol_negative_side_only),
        ("tolerance relative to max |A_ij| instead of the Hessian", _qc_tol_from_A_entries),
        ("eigenvalues normalised by max |ev|: nan for the zero matrix", _qc_normalise_nan),
        ("|ev| < tol (strict): zero matrix called strictly convex", _qc_strict_lt_tol),
        ("leading principal minors >= 0 taken as semidefinite", _qc_leading_minors),
        ("Hessian in zeros_like(A): int truncation", _qc_int_hessian),
        ("A += A.T in place (mutates caller's A)", _qc_mutates_A),
        ("n = 1 shortcut: A[0,0] >= 0 -> strictly convex", _qc_n1_special_case),
        ("flatness via |det H| <= 1e-10 (absolute)", _qc_det_flatness),
        ("HANGS: power iteration for the scale never converges", _qc_hangs_power_iteration),
    ],
}
