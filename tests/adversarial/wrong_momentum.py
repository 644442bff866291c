"""Adversarial wrong solutions for notebook 20 (momentum and Nesterov): the heavy-ball trajectory in
PyTorch's velocity convention, and the spectral radius of the heavy ball's 2×2 iteration matrix.

Written from the exercise statements alone (without reading the checkers). Each entry is a
plausible learner's mistake or a sneaky near-miss; the comment beside it names an input allowed by
the statement on which it differs from a correct solution (checked against a scratch reference
outside the repo). Entries labelled "HANGS:" never return on some inputs.
"""
import cmath
import math

import numpy as np


# ---------------------------------------------------------------------------------------------
# Exercise 1 — heavy_ball(grad, x0, lr, beta, steps) -> (steps + 1, d) trajectory
# ---------------------------------------------------------------------------------------------
# Witnesses use f(x) = x^2 / 2 in 1-D (grad(x) = x) unless said otherwise.

def _hb_dampened(grad, x0, lr, beta, steps):
    # witness: x0=[1], lr=0.1, beta=0.5, steps=1 -> v_0 = (1 - beta) g: x1 = 0.95 (not 0.9)
    x = np.array(x0, dtype=float)
    v = np.zeros_like(x)
    out = [x.copy()]
    for _ in range(steps):
        v = beta * v + (1 - beta) * grad(x)
        x = x - lr * v
        out.append(x.copy())
    return np.array(out)


def _hb_nesterov(grad, x0, lr, beta, steps):
    # witness: x0=[1], lr=0.1, beta=0.5, steps=2 -> gradient at the look-ahead point
    # x - lr*beta*v: x2 = 0.765 (heavy ball: 0.76)
    x = np.array(x0, dtype=float)
    v = np.zeros_like(x)
    out = [x.copy()]
    for _ in range(steps):
        v = beta * v + grad(x - lr * beta * v)
        x = x - lr * v
        out.append(x.copy())
    return np.array(out)


def _hb_step_before_velocity(grad, x0, lr, beta, steps):
    # witness: x0=[1], steps=1 -> x moves with the old velocity v_{-1} = 0 first: x1 = x0
    x = np.array(x0, dtype=float)
    v = np.zeros_like(x)
    out = [x.copy()]
    for _ in range(steps):
        x = x - lr * v
        v = beta * v + grad(x)
        out.append(x.copy())
    return np.array(out)


def _hb_missing_x0_row(grad, x0, lr, beta, steps):
    # witness: steps=2 -> shape (2, d): row 0 is x1, not x0
    x = np.array(x0, dtype=float)
    v = np.zeros_like(x)
    out = []
    for _ in range(steps):
        v = beta * v + grad(x)
        x = x - lr * v
        out.append(x.copy())
    return np.array(out).reshape(steps, x.size)


def _hb_one_step_too_many(grad, x0, lr, beta, steps):
    # witness: steps=1 -> steps + 1 updates, x0 left out: rows x1, x2 (right shape, wrong rows)
    x = np.array(x0, dtype=float)
    v = np.zeros_like(x)
    out = []
    for _ in range(steps + 1):
        v = beta * v + grad(x)
        x = x - lr * v
        out.append(x.copy())
    return np.array(out)


def _hb_aliased_rows(grad, x0, lr, beta, steps):
    # witness: steps=2 -> x updated in place after being appended: every row is the last point
    x = np.array(x0, dtype=float)
    v = np.zeros_like(x)
    out = [x]
    for _ in range(steps):
        v = beta * v + grad(x)
        x -= lr * v
        out.append(x)
    return np.array(out)


def _hb_int_trajectory(grad, x0, lr, beta, steps):
    # witness: integer x0=[3], lr=0.1, beta=0 -> np.zeros((steps+1, d), dtype=x0.dtype) truncates
    # 2.7 to 2
    x0 = np.asarray(x0)
    out = np.zeros((steps + 1, x0.size), dtype=x0.dtype)
    out[0] = x0
    x = x0.astype(float)
    v = np.zeros_like(x)
    for k in range(steps):
        v = beta * v + grad(x)
        x = x - lr * v
        out[k + 1] = x
    return out


def _hb_steps_zero_1d(grad, x0, lr, beta, steps):
    # witness: steps=0 -> returns x0 itself, shape (d,), not (1, d)
    if steps == 0:
        return np.array(x0, dtype=float)
    x = np.array(x0, dtype=float)
    v = np.zeros_like(x)
    out = [x.copy()]
    for _ in range(steps):
        v = beta * v + grad(x)
        x = x - lr * v
        out.append(x.copy())
    return np.array(out)


def _hb_beta_on_sum(grad, x0, lr, beta, steps):
    # witness: x0=[1], lr=0.1, beta=0.5, steps=1 -> v = beta (v + g): x1 = 0.95 (not 0.9)
    x = np.array(x0, dtype=float)
    v = np.zeros_like(x)
    out = [x.copy()]
    for _ in range(steps):
        v = beta * (v + grad(x))
        x = x - lr * v
        out.append(x.copy())
    return np.array(out)


def _hb_stale_gradient(grad, x0, lr, beta, steps):
    # witness: x0=[1], lr=0.1, beta=0.5, steps=2 -> step k uses grad(x_{k-1}): x2 = 0.75
    # (not 0.76)
    x = np.array(x0, dtype=float)
    v = np.zeros_like(x)
    g = grad(x)
    out = [x.copy()]
    for _ in range(steps):
        v = beta * v + g
        g = grad(x)
        x = x - lr * v
        out.append(x.copy())
    return np.array(out)


def _hb_clipped_divergence(grad, x0, lr, beta, steps):
    # witness: x0=[1], lr=5, beta=0.9, steps=30 (rho 2.78) -> "guards" the run by clipping |x|
    # to 1e6: a diverging run is expected to grow past that
    x = np.array(x0, dtype=float)
    v = np.zeros_like(x)
    out = [x.copy()]
    for _ in range(steps):
        v = beta * v + grad(x)
        x = np.clip(x - lr * v, -1e6, 1e6)
        out.append(x.copy())
    return np.array(out)


def _hb_stops_when_diverging(grad, x0, lr, beta, steps):
    # witness: x0=[1], lr=5, beta=0.9, steps=30 (rho 2.78) -> stops at |x| > 1e3 and repeats
    # the last row
    x = np.array(x0, dtype=float)
    v = np.zeros_like(x)
    out = [x.copy()]
    for _ in range(steps):
        if np.max(np.abs(x)) > 1e3:
            out.append(x.copy())
            continue
        v = beta * v + grad(x)
        x = x - lr * v
        out.append(x.copy())
    return np.array(out)


def _hb_float32(grad, x0, lr, beta, steps):
    # witness: x0=[1], lr=0.1, beta=0.99, steps=200 -> float32 state: errors ~1e-6 and growing
    x = np.array(x0, dtype=np.float32)
    v = np.zeros_like(x)
    out = [x.copy()]
    for _ in range(steps):
        v = np.float32(beta) * v + grad(x.astype(float)).astype(np.float32)
        x = x - np.float32(lr) * v
        out.append(x.copy())
    return np.array(out, dtype=float)


def _hb_mutates_x0(grad, x0, lr, beta, steps):
    # witness: float x0 -> x = x0 (no copy) and x -= ...: the caller's x0 ends at x_steps
    x = x0
    v = np.zeros(np.shape(x0))
    out = [np.array(x, dtype=float)]
    for _ in range(steps):
        v = beta * v + grad(x)
        x -= lr * v
        out.append(np.array(x, dtype=float))
    return np.array(out)


def _hb_transposed(grad, x0, lr, beta, steps):
    # witness: d=2, steps=3 -> shape (d, steps + 1) (columns are the points)
    x = np.array(x0, dtype=float)
    v = np.zeros_like(x)
    cols = [x.copy()]
    for _ in range(steps):
        v = beta * v + grad(x)
        x = x - lr * v
        cols.append(x.copy())
    return np.array(cols).T


def _hb_lr_inside_velocity_reset(grad, x0, lr, beta, steps):
    # witness: x0=[1], lr=0.1, beta=0.5, steps=2 -> classical v = beta v - lr g, x = x + v but the
    # velocity starts at v_0 = -g (lr forgotten in the first step): x1 = 0 (not 0.9)
    x = np.array(x0, dtype=float)
    v = None
    out = [x.copy()]
    for _ in range(steps):
        g = grad(x)
        v = -g if v is None else beta * v - lr * g
        x = x + v
        out.append(x.copy())
    return np.array(out)


def _hb_beta_squared(grad, x0, lr, beta, steps):
    # witness: x0=[1], lr=0.1, beta=0.5, steps=2 -> v = beta^(k+1) v + g ("momentum decays like
    # beta^k"): x2 = 0.785 (not 0.76)
    x = np.array(x0, dtype=float)
    v = np.zeros_like(x)
    out = [x.copy()]
    for k in range(steps):
        v = beta ** (k + 1) * v + grad(x)
        x = x - lr * v
        out.append(x.copy())
    return np.array(out)


def _hb_flattens_gradient_shape(grad, x0, lr, beta, steps):
    # witness: d=1 -> grad gets a Python float x[0] instead of a (1,) array; a grad that indexes
    # its argument (x[0]) raises, and the rows come out 1-D
    x = np.array(x0, dtype=float)
    if x.size == 1:
        x = float(x[0])
        v = 0.0
        out = [x]
        for _ in range(steps):
            v = beta * v + float(np.asarray(grad(x)).ravel()[0])
            x = x - lr * v
            out.append(x)
        return np.array(out)
    v = np.zeros_like(x)
    out = [x.copy()]
    for _ in range(steps):
        v = beta * v + grad(x)
        x = x - lr * v
        out.append(x.copy())
    return np.array(out)


def _hb_hangs_steps_zero(grad, x0, lr, beta, steps):
    # witness: steps=0 -> a "do ... while" loop: one step is taken before the counter is tested,
    # and k == steps (= 0) is never true again (the rows go into a preallocated array)
    x = np.array(x0, dtype=float)
    v = np.zeros_like(x)
    out = np.empty((steps + 1, x.size))
    out[0] = x
    k = 0
    while True:
        v = beta * v + grad(x)
        x = x - lr * v
        k += 1
        out[min(k, steps)] = x
        if k == steps:
            break
    return out

def _hb_double_first_gradient(grad, x0, lr, beta, steps):
    # witness: x0=[1], lr=0.1, beta=0.5, steps=1 -> v starts at grad(x0) and the loop adds it
    # again: v_0 = beta g0 + g0, x1 = 0.85 (not 0.9)
    x = np.array(x0, dtype=float)
    v = grad(x)
    out = [x.copy()]
    for _ in range(steps):
        v = beta * v + grad(x)
        x = x - lr * v
        out.append(x.copy())
    return np.array(out)


def _hb_position_form_sign(grad, x0, lr, beta, steps):
    # witness: x0=[1], lr=0.1, beta=0.5, steps=2 -> position form with the momentum term's sign
    # flipped, + beta (x_{k-1} - x_k): x2 = 0.86 (not 0.76)
    x = np.array(x0, dtype=float)
    prev = x.copy()
    out = [x.copy()]
    for _ in range(steps):
        x, prev = x - lr * grad(x) + beta * (prev - x), x
        out.append(x.copy())
    return np.array(out)


def _hb_position_form_lr_beta(grad, x0, lr, beta, steps):
    # witness: x0=[1], lr=0.1, beta=0.5, steps=2 -> momentum term lr*beta*(x_k - x_{k-1}) (the
    # velocity's lr counted twice): x2 = 0.805 (not 0.76)
    x = np.array(x0, dtype=float)
    prev = x.copy()
    out = [x.copy()]
    for _ in range(steps):
        x, prev = x - lr * grad(x) + lr * beta * (x - prev), x
        out.append(x.copy())
    return np.array(out)


def _hb_linearised_gradient(grad, x0, lr, beta, steps):
    # witness: a non-quadratic f, e.g. f = x^4/4 (grad x^3), x0=[1], lr=0.1, beta=0.5, steps=2 ->
    # the gradient is taken as affine, g(x0) + J (x - x0) with J from finite differences at x0:
    # exact for quadratics only
    x = np.array(x0, dtype=float)
    g0 = np.asarray(grad(x), dtype=float)
    d, h = x.size, 1e-6
    J = np.empty((d, d))
    for j in range(d):
        e = np.zeros(d)
        e[j] = h
        J[:, j] = (np.asarray(grad(x + e), dtype=float) - g0) / h
    v = np.zeros_like(x)
    out = [x.copy()]
    x_start = x.copy()
    for _ in range(steps):
        v = beta * v + g0 + J @ (x - x_start)
        x = x - lr * v
        out.append(x.copy())
    return np.array(out)


def _hb_separable_gradient(grad, x0, lr, beta, steps):
    # witness: a rotated quadratic, grad(x) = A x with A = [[2, 1], [1, 2]], x0=[1, 0] ->
    # coordinate i's gradient taken at x_i e_i (the other coordinates zeroed): right only when
    # f is a sum of one-variable functions
    x = np.array(x0, dtype=float)
    v = np.zeros_like(x)
    out = [x.copy()]
    for _ in range(steps):
        g = np.empty_like(x)
        for i in range(x.size):
            e = np.zeros_like(x)
            e[i] = x[i]
            g[i] = np.asarray(grad(e), dtype=float)[i]
        v = beta * v + g
        x = x - lr * v
        out.append(x.copy())
    return np.array(out)


def _hb_int_velocity_in_place(grad, x0, lr, beta, steps):
    # witness: integer x0=[3] -> v = np.zeros_like(x0) is an int buffer; v *= beta; v += g in
    # place: with casting="unsafe" every velocity is truncated to an integer
    x = np.array(x0)
    v = np.zeros_like(x)
    out = [np.array(x, dtype=float)]
    for _ in range(steps):
        np.multiply(v, beta, out=v, casting="unsafe")
        np.add(v, grad(np.asarray(x, dtype=float)), out=v, casting="unsafe")
        x = x - lr * v
        out.append(np.array(x, dtype=float))
    return np.array(out)


def _hb_grad_twice_per_step(grad, x0, lr, beta, steps):
    # witness: steps=10 -> grad called 20 times (a "norm check" evaluation left in before the
    # real one): the statement says once per step, at the current point
    x = np.array(x0, dtype=float)
    v = np.zeros_like(x)
    out = [x.copy()]
    for _ in range(steps):
        if not np.all(np.isfinite(grad(x))):
            break
        v = beta * v + grad(x)
        x = x - lr * v
        out.append(x.copy())
    return np.array(out)


# ---------------------------------------------------------------------------------------------
# Exercise 2 — heavy_ball_rate(lam, alpha, beta) -> rho(M)
# ---------------------------------------------------------------------------------------------

def _trace(lam, alpha, beta):
    return 1 + beta - alpha * lam


def _rate_ignores_imaginary(lam, alpha, beta):
    # witness: lam=1, alpha=1, beta=0.5 -> a = 0.5, disc < 0: |a|/2 = 0.25 (true sqrt(beta) = 0.707)
    a = _trace(lam, alpha, beta)
    s = math.sqrt(max(a * a - 4 * beta, 0.0))
    return (abs(a) + s) / 2


def _rate_nan_complex(lam, alpha, beta):
    # witness: lam=1, alpha=1, beta=0.5 -> np.sqrt of a negative discriminant: nan
    a = _trace(lam, alpha, beta)
    s = np.sqrt(a * a - 4 * beta)
    return float(max(abs((a + s) / 2), abs((a - s) / 2)))


def _rate_plus_root_only(lam, alpha, beta):
    # witness: lam=3, alpha=1, beta=0 -> a = -2: (a + sqrt(disc))/2 = 0 (true rho = 2)
    a = _trace(lam, alpha, beta)
    disc = a * a - 4 * beta
    if disc < 0:
        return math.sqrt(beta)
    return abs(a + math.sqrt(disc)) / 2


def _rate_beta_not_sqrt(lam, alpha, beta):
    # witness: lam=1, alpha=1, beta=0.5 -> complex roots: returns beta = 0.5 (|z| = sqrt(beta))
    a = _trace(lam, alpha, beta)
    disc = a * a - 4 * beta
    if disc < 0:
        return beta
    return (abs(a) + math.sqrt(disc)) / 2


def _rate_no_half(lam, alpha, beta):
    # witness: lam=0, beta=0 -> |a| + sqrt(disc) = 2 (not 1): the /2 of the quadratic formula
    a = _trace(lam, alpha, beta)
    disc = a * a - 4 * beta
    if disc < 0:
        return math.sqrt(beta)
    return abs(a) + math.sqrt(disc)


def _rate_trace_sign(lam, alpha, beta):
    # witness: lam=1, alpha=0.5, beta=0 -> trace 1 + beta + alpha lam = 1.5 (not 0.5)
    a = 1 + beta + alpha * lam
    disc = a * a - 4 * beta
    if disc < 0:
        return math.sqrt(beta)
    return (abs(a) + math.sqrt(disc)) / 2


def _rate_trace_without_beta(lam, alpha, beta):
    # witness: lam=0, alpha=1, beta=0.5 -> trace 1 (forgot + beta): complex roots, sqrt(0.5)
    # (true: roots 1 and 0.5, rho = 1)
    a = 1 - alpha * lam
    disc = a * a - 4 * beta
    if disc < 0:
        return math.sqrt(beta)
    return (abs(a) + math.sqrt(disc)) / 2


def _rate_sqrt_abs_disc(lam, alpha, beta):
    # witness: lam=1, alpha=1, beta=0.5 -> sqrt(|disc|) in the real formula: (0.5 + 1.32)/2 = 0.91
    # (not 0.707)
    a = _trace(lam, alpha, beta)
    return (abs(a) + math.sqrt(abs(a * a - 4 * beta))) / 2


def _rate_modulus_sign_error(lam, alpha, beta):
    # witness: lam=1, alpha=1, beta=0.5 -> |z|^2 = (a/2)^2 + disc/4 (sign of the imaginary part's
    # square wrong): sqrt(a^2/2 - beta) -> nan here (true sqrt(beta))
    a = _trace(lam, alpha, beta)
    disc = a * a - 4 * beta
    if disc < 0:
        return math.sqrt(a * a / 4 + disc / 4) if a * a / 4 + disc / 4 >= 0 else float("nan")
    return (abs(a) + math.sqrt(disc)) / 2


def _rate_smaller_root(lam, alpha, beta):
    # witness: lam=0, beta=0.5 -> roots 1 and 0.5: returns the smaller modulus 0.5 (not 1)
    a = _trace(lam, alpha, beta)
    disc = a * a - 4 * beta
    if disc < 0:
        return math.sqrt(beta)
    return (abs(a) - math.sqrt(disc)) / 2


def _rate_vieta_division(lam, alpha, beta):
    # witness: beta=0, lam=1, alpha=1 -> a = 0: the small root (|a| - sqrt(disc))/2 = 0, then the
    # large root beta / small divides by zero
    a = _trace(lam, alpha, beta)
    disc = a * a - 4 * beta
    if disc < 0:
        return math.sqrt(beta)
    small = (abs(a) - math.sqrt(disc)) / 2
    return beta / small


def _rate_returns_root(lam, alpha, beta):
    # witness: lam=1, alpha=1, beta=0.5 -> returns the complex root of largest modulus, not |z|
    a = _trace(lam, alpha, beta)
    s = cmath.sqrt(a * a - 4 * beta)
    return max((a + s) / 2, (a - s) / 2, key=abs)


def _rate_squared(lam, alpha, beta):
    # witness: lam=1, alpha=0.5, beta=0 -> returns rho^2 = 0.25 (not 0.5): the per-step
    # contraction of x^2 instead of |x|
    a = _trace(lam, alpha, beta)
    disc = a * a - 4 * beta
    r = math.sqrt(beta) if disc < 0 else (abs(a) + math.sqrt(disc)) / 2
    return r * r


def _rate_lam_zero_shortcut(lam, alpha, beta):
    # witness: lam=0 -> "no curvature, nothing to contract": 0 (true: roots 1 and beta, rho = 1)
    if lam == 0:
        return 0.0
    a = _trace(lam, alpha, beta)
    disc = a * a - 4 * beta
    if disc < 0:
        return math.sqrt(beta)
    return (abs(a) + math.sqrt(disc)) / 2


def _rate_gd_when_beta_zero_wrong(lam, alpha, beta):
    # witness: beta=0, lam=3, alpha=1 -> plain-GD shortcut 1 - alpha lam = -2 without the abs
    if beta == 0:
        return 1 - alpha * lam
    a = _trace(lam, alpha, beta)
    disc = a * a - 4 * beta
    if disc < 0:
        return math.sqrt(beta)
    return (abs(a) + math.sqrt(disc)) / 2


def _rate_repeated_root_tolerance(lam, alpha, beta):
    # witness: lam=1, alpha=1, beta=0.49 -> a = 0.49, disc = 0.2401 - 1.96 < 0 is complex, but
    # the "near-zero discriminant" test is relative to a^2 and far too loose: returns |a|/2
    a = _trace(lam, alpha, beta)
    disc = a * a - 4 * beta
    if abs(disc) <= 10 * a * a:
        return abs(a) / 2 + math.sqrt(max(disc, 0.0)) / 2
    if disc < 0:
        return math.sqrt(beta)
    return (abs(a) + math.sqrt(disc)) / 2


def _rate_hangs_power_iteration(lam, alpha, beta):
    # witness: lam=1, alpha=1, beta=0.5 -> complex eigenvalues: the power iteration's vector
    # rotates and "until the ratio stops changing" never comes
    a = _trace(lam, alpha, beta)
    x, y = 1.0, 0.0
    prev = None
    while True:
        x, y = a * x - beta * y, x
        n = math.hypot(x, y)
        if n == 0:
            return 0.0
        x, y = x / n, y / n
        if prev is not None and abs(n - prev) < 1e-15:
            return n
        prev = n


def _rate_pow_half_no_abs(lam, alpha, beta):
    # witness: lam=1, alpha=1, beta=0.5 -> disc ** 0.5 of a negative float is complex in Python:
    # returns the complex root (a + i sqrt(-disc))/2, not a real modulus
    a = _trace(lam, alpha, beta)
    disc = a * a - 4 * beta
    return (abs(a) + disc ** 0.5) / 2


def _rate_char_poly_sign(lam, alpha, beta):
    # witness: lam=1, alpha=1, beta=0.5 -> characteristic polynomial z^2 - a z - beta (sign of
    # the determinant): disc = a^2 + 4 beta is never negative, (0.5 + 1.5)/2 = 1 (true 0.707)
    a = _trace(lam, alpha, beta)
    return (abs(a) + math.sqrt(a * a + 4 * beta)) / 2


def _rate_small_disc_is_zero(lam, alpha, beta):
    # witness: lam=1, beta=0.81, alpha = 1 + beta - 2 sqrt(beta) - 1e-8/3.6 (just past the
    # repeated root: disc = 9.99999994e-9 > 0) -> a learner guarding against "a tiny negative
    # discriminant" sets |disc| < 1e-8 to 0: 0.9 instead of 0.90005 (relative error 5.6e-5)
    a = _trace(lam, alpha, beta)
    disc = a * a - 4 * beta
    if abs(disc) < 1e-8:
        disc = 0.0
    if disc < 0:
        return math.sqrt(beta)
    return (abs(a) + math.sqrt(disc)) / 2


WRONG = {
    "check_heavy_ball": [
        ("dampened velocity v = beta v + (1 - beta) g", _hb_dampened),
        ("Nesterov look-ahead gradient", _hb_nesterov),
        ("x moved before the velocity is updated", _hb_step_before_velocity),
        ("row x0 missing: shape (steps, d)", _hb_missing_x0_row),
        ("steps + 1 updates, x0 left out", _hb_one_step_too_many),
        ("rows aliased to one array updated in place", _hb_aliased_rows),
        ("trajectory array with x0's integer dtype", _hb_int_trajectory),
        ("steps = 0 returns x0 of shape (d,)", _hb_steps_zero_1d),
        ("v = beta (v + g)", _hb_beta_on_sum),
        ("stale gradient from the previous point", _hb_stale_gradient),
        ("|x| clipped to 1e6 (diverging runs)", _hb_clipped_divergence),
        ("stops moving once |x| > 1e3", _hb_stops_when_diverging),
        ("float32 state", _hb_float32),
        ("x = x0 then x -= ... (changes the caller's x0)", _hb_mutates_x0),
        ("transposed: shape (d, steps + 1)", _hb_transposed),
        ("classical convention with v_0 = -g (lr missing in the first step)",
         _hb_lr_inside_velocity_reset),
        ("momentum beta^(k+1) growing with the step", _hb_beta_squared),
        ("d = 1 handled as scalars: rows 1-D, grad gets a float", _hb_flattens_gradient_shape),
        ("HANGS: do-while loop never ends for steps = 0", _hb_hangs_steps_zero),
        ("v starts at grad(x0) and the loop adds it again", _hb_double_first_gradient),
        ("position form with + beta (x_{k-1} - x_k)", _hb_position_form_sign),
        ("position form with lr * beta (x_k - x_{k-1})", _hb_position_form_lr_beta),
        ("gradient linearised at x0 (exact for quadratics only)", _hb_linearised_gradient),
        ("gradient coordinate by coordinate (right for separable f only)",
         _hb_separable_gradient),
        ("int velocity buffer zeros_like(x0), unsafe in-place casts", _hb_int_velocity_in_place),
        ("grad evaluated twice per step", _hb_grad_twice_per_step),
    ],
    "check_heavy_ball_rate": [
        ("complex roots: imaginary part ignored (|a|/2)", _rate_ignores_imaginary),
        ("np.sqrt of a negative discriminant: nan", _rate_nan_complex),
        ("(a + sqrt(disc))/2 only, no max of moduli", _rate_plus_root_only),
        ("complex roots: beta instead of sqrt(beta)", _rate_beta_not_sqrt),
        ("quadratic formula without the /2", _rate_no_half),
        ("trace 1 + beta + alpha lam (sign)", _rate_trace_sign),
        ("trace 1 - alpha lam (beta forgotten)", _rate_trace_without_beta),
        ("sqrt(|disc|) in the real-root formula", _rate_sqrt_abs_disc),
        ("complex modulus with the wrong sign (a^2/4 + disc/4)", _rate_modulus_sign_error),
        ("smaller root's modulus", _rate_smaller_root),
        ("large root from Vieta beta / small: divides by zero", _rate_vieta_division),
        ("returns the (complex) root, not its modulus", _rate_returns_root),
        ("rho squared", _rate_squared),
        ("lam = 0 shortcut returns 0", _rate_lam_zero_shortcut),
        ("beta = 0 shortcut 1 - alpha lam without abs", _rate_gd_when_beta_zero_wrong),
        ("loose repeated-root test (relative to a^2)", _rate_repeated_root_tolerance),
        ("HANGS: power iteration on rotating eigenvectors", _rate_hangs_power_iteration),
        ("disc ** 0.5 without abs: complex result", _rate_pow_half_no_abs),
        ("characteristic polynomial z^2 - a z - beta", _rate_char_poly_sign),
        ("|disc| < 1e-8 treated as a repeated root", _rate_small_disc_is_zero),
    ],
}
