"""Adversarial wrong solutions for notebook 19 (GD, SGD, mini-batches, schedules): the mini-batches
of one epoch, warm-up + cosine learning rate, and one epoch of mini-batch SGD.

Written from the exercise statements alone (without reading the checkers). Each entry is a
plausible learner's mistake or a sneaky near-miss; the comment beside it names an input allowed by
the statement on which it differs from a correct solution (checked against a scratch reference
outside the repo). Entries labelled "HANGS:" never return on some inputs.
"""
import copy
import math

import numpy as np


# ---------------------------------------------------------------------------------------------
# Exercise 1 — minibatches(n, batch_size, rng) -> list of 1-D int index arrays
# ---------------------------------------------------------------------------------------------

def _mb_drop_last(n, batch_size, rng):
    # witness: n=5, B=2 -> 2 batches (the last index is lost), not 3 (drop_last=True)
    order = rng.permutation(n)
    return [order[i * batch_size:(i + 1) * batch_size] for i in range(n // batch_size)]


def _mb_pad_last(n, batch_size, rng):
    # witness: n=5, B=2 -> last batch [o4, o0] (padded by wrapping round), not [o4]
    order = rng.permutation(n)
    out = []
    for i in range(0, n, batch_size):
        b = order[i:i + batch_size]
        if len(b) < batch_size:
            b = np.concatenate([b, order[:batch_size - len(b)]])
        out.append(b)
    return out


def _mb_own_generator(n, batch_size, rng):
    # witness: any n >= 2 -> the shuffle comes from default_rng(0), not from the given rng,
    # and the caller's rng is never advanced
    order = np.random.default_rng(0).permutation(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


def _mb_shuffles_batch_order(n, batch_size, rng):
    # witness: n=4, B=2 -> an extra rng.permutation(2) reorders the batches and advances rng
    # by more than one permutation
    order = rng.permutation(n)
    batches = [order[i:i + batch_size] for i in range(0, n, batch_size)]
    return [batches[j] for j in rng.permutation(len(batches))]


def _mb_array_split_balanced(n, batch_size, rng):
    # witness: n=10, B=4 -> np.array_split into ceil(10/4)=3 balanced pieces: sizes 4,3,3 (the
    # statement's pieces are 4,4,2)
    order = rng.permutation(n)
    return list(np.array_split(order, math.ceil(n / batch_size)))


def _mb_array_split_floor(n, batch_size, rng):
    # witness: n=5, B=2 -> array_split(order, 5 // 2 = 2): sizes 3,2 (not 2,2,1); B > n -> 0
    # sections raises
    order = rng.permutation(n)
    return list(np.array_split(order, n // batch_size))


def _mb_extra_empty_batch(n, batch_size, rng):
    # witness: n=4, B=2 -> n // B + 1 = 3 batches, the last one empty
    order = rng.permutation(n)
    return [order[i * batch_size:(i + 1) * batch_size] for i in range(n // batch_size + 1)]


def _mb_round_count(n, batch_size, rng):
    # witness: n=5, B=4 -> round(5/4) = 1 batch: index o4 is lost
    order = rng.permutation(n)
    return [order[i * batch_size:(i + 1) * batch_size] for i in range(round(n / batch_size))]


def _mb_strided(n, batch_size, rng):
    # witness: n=5, B=2 -> order[i::3] gives sizes 2,2,1 but batch 0 is {o0, o3}, not {o0, o1}
    order = rng.permutation(n)
    k = math.ceil(n / batch_size)
    return [order[i::k] for i in range(k)]


def _mb_no_shuffle_when_one_batch(n, batch_size, rng):
    # witness: n=3, B=5 -> "one batch holds everything, the order does not matter": returns
    # [0, 1, 2] without drawing, so rng is not advanced and the next epoch repeats the previous
    if batch_size >= n:
        return [np.arange(n)]
    order = rng.permutation(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


def _mb_copied_rng(n, batch_size, rng):
    # witness: n=4, B=2 -> draws from a deep copy: the caller's rng is never advanced, so every
    # epoch gets the same shuffle
    order = copy.deepcopy(rng).permutation(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


def _mb_choice_not_permutation(n, batch_size, rng):
    # witness: n=10, B=3 -> rng.choice(n, n, replace=False) is a different draw from
    # rng.permutation(n) (the statement fixes the draw)
    order = rng.choice(n, size=n, replace=False)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


def _mb_float_indices(n, batch_size, rng):
    # witness: any n -> batches of float64 "indices" (X[b] then raises IndexError)
    order = rng.permutation(n).astype(float)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


def _mb_sorted_batches(n, batch_size, rng):
    # witness: n=6, B=2 -> the batches sorted by their smallest index: same sets, wrong order of
    # the pieces
    order = rng.permutation(n)
    batches = [order[i:i + batch_size] for i in range(0, n, batch_size)]
    return sorted(batches, key=lambda b: int(b.min()))


def _mb_reseeded_by_n(n, batch_size, rng):
    # witness: n=8, B=3 -> "seed from the rng": draws an integer seed first, then a fresh
    # generator's permutation: a different shuffle and an rng advanced by the wrong draw
    seed = int(rng.integers(2 ** 31))
    order = np.random.default_rng(seed).permutation(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


def _mb_last_gets_remainder_of_B(n, batch_size, rng):
    # witness: n=5, B=3 -> the last piece gets B - n % B = 1 index (order[3:4]), not n % B = 2:
    # o4 is lost
    order = rng.permutation(n)
    full = n // batch_size
    out = [order[i * batch_size:(i + 1) * batch_size] for i in range(full)]
    if n % batch_size:
        start = full * batch_size
        out.append(order[start:start + (batch_size - n % batch_size)])
    return out


def _mb_hangs_b_gt_n(n, batch_size, rng):
    # witness: n=3, B=5 -> for B > n the step is max(n - B, 0) = 0: i never moves (the batches
    # are kept by start index, so the loop runs in constant memory)
    order = rng.permutation(n)
    out, i = {}, 0
    while i < n:
        step = batch_size if batch_size <= n else max(n - batch_size, 0)
        out[i] = order[i:i + batch_size]
        i += step
    return list(out.values())

def _mb_remainder_first(n, batch_size, rng):
    # witness: n=5, B=2 -> the smaller piece comes first: order[0:1], order[1:3], order[3:5]
    # (the statement: order[0:2], order[2:4], order[4:5])
    order = rng.permutation(n)
    r = n % batch_size
    out = [order[:r]] if r else []
    return out + [order[i:i + batch_size] for i in range(r, n, batch_size)]


def _mb_cut_from_the_end(n, batch_size, rng):
    # witness: n=5, B=2 -> pieces cut from the end: order[3:5], order[1:3], order[0:1]
    order = rng.permutation(n)
    out = []
    for stop in range(n, 0, -batch_size):
        out.append(order[max(stop - batch_size, 0):stop])
    return out


def _mb_column_batches(n, batch_size, rng):
    # witness: any n -> each batch is a (k, 1) column, not 1-D (X[b] is then (k, 1, d))
    order = rng.permutation(n).reshape(-1, 1)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


def _mb_reversed_pieces(n, batch_size, rng):
    # witness: n=6, B=2 -> the right pieces in reverse order (last piece first)
    order = rng.permutation(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)][::-1]


# ---------------------------------------------------------------------------------------------
# Exercise 2 — lr_at(step, base_lr, warmup_steps, total_steps, min_lr=0.0) -> float
# ---------------------------------------------------------------------------------------------

def _cos_part(t, base_lr, W, T, min_lr):
    p = (t - W) / (T - W)
    return min_lr + 0.5 * (base_lr - min_lr) * (1 + math.cos(math.pi * p))


def _lr_warmup_plus_one(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    # witness: t=0, W=4 -> base/4 (warm-up (t+1)/W), not 0
    if step < warmup_steps:
        return base_lr * (step + 1) / warmup_steps
    if step > total_steps:
        return float(min_lr)
    return _cos_part(step, base_lr, warmup_steps, total_steps, min_lr)


def _lr_p_ignores_warmup(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    # witness: t=W=2, T=4 -> p = t/T = 0.5 -> base/2 (not base): cosine not shifted by W
    if step < warmup_steps:
        return base_lr * step / warmup_steps
    if step > total_steps:
        return float(min_lr)
    p = step / total_steps
    return min_lr + 0.5 * (base_lr - min_lr) * (1 + math.cos(math.pi * p))


def _lr_p_over_T(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    # witness: W=2, T=4, t=4 -> p = (t-W)/T = 0.5 -> base/2 (not min_lr)
    if step < warmup_steps:
        return base_lr * step / warmup_steps
    if step > total_steps:
        return float(min_lr)
    p = (step - warmup_steps) / total_steps
    return min_lr + 0.5 * (base_lr - min_lr) * (1 + math.cos(math.pi * p))


def _lr_min_not_subtracted(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    # witness: t=W=0, T=10, base=1, min=0.1 -> 0.1 + 1 = 1.1 (not 1)
    if step < warmup_steps:
        return base_lr * step / warmup_steps
    if step > total_steps:
        return float(min_lr)
    p = (step - warmup_steps) / (total_steps - warmup_steps)
    return min_lr + 0.5 * base_lr * (1 + math.cos(math.pi * p))


def _lr_min_ignored(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    # witness: t=T=10, W=0, min=0.1 -> 0 (not 0.1)
    if step < warmup_steps:
        return base_lr * step / warmup_steps
    if step > total_steps:
        return 0.0
    p = (step - warmup_steps) / (total_steps - warmup_steps)
    return 0.5 * base_lr * (1 + math.cos(math.pi * p))


def _lr_no_clamp_after_T(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    # witness: W=0, T=4, t=8 -> the cosine goes round again: base (not min_lr)
    if step < warmup_steps:
        return base_lr * step / warmup_steps
    return _cos_part(step, base_lr, warmup_steps, total_steps, min_lr)


def _lr_floor_division(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    # witness: integer arguments t=1, W=4, base=1 -> 1 * 1 // 4 = 0 (not 0.25); p = 3 // 8 = 0
    if step < warmup_steps:
        return base_lr * step // warmup_steps
    if step > total_steps:
        return float(min_lr)
    p = (step - warmup_steps) // (total_steps - warmup_steps)
    return min_lr + 0.5 * (base_lr - min_lr) * (1 + math.cos(math.pi * p))


def _lr_warmup_from_min(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    # witness: t=0, W=4, min=0.1 -> eta_0 = 0.1 (the statement: warm-up from 0)
    if step < warmup_steps:
        return min_lr + (base_lr - min_lr) * step / warmup_steps
    if step > total_steps:
        return float(min_lr)
    return _cos_part(step, base_lr, warmup_steps, total_steps, min_lr)


def _lr_quarter_cosine(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    # witness: W=0, T=4, t=2 -> cos(pi p / 2) form: min + (max-min) cos(pi/4) = 0.707 (not 0.5)
    if step < warmup_steps:
        return base_lr * step / warmup_steps
    if step > total_steps:
        return float(min_lr)
    p = (step - warmup_steps) / (total_steps - warmup_steps)
    return min_lr + (base_lr - min_lr) * math.cos(math.pi * p / 2)


def _lr_linear_decay(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    # witness: W=0, T=4, t=1 -> 1 - p = 0.75 (cosine: 0.854)
    if step < warmup_steps:
        return base_lr * step / warmup_steps
    if step > total_steps:
        return float(min_lr)
    p = (step - warmup_steps) / (total_steps - warmup_steps)
    return min_lr + (base_lr - min_lr) * (1 - p)


def _lr_T_minus_one(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    # witness: W=0, T=4, t=2 -> p = 2/3 (denominator T - W - 1), cosine 0.25 (not 0.5);
    # T = W + 1 divides by zero
    if step < warmup_steps:
        return base_lr * step / warmup_steps
    if step > total_steps:
        return float(min_lr)
    p = min((step - warmup_steps) / (total_steps - warmup_steps - 1), 1.0)
    return min_lr + 0.5 * (base_lr - min_lr) * (1 + math.cos(math.pi * p))


def _lr_steps_from_one(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    # witness: t=0, W=0, T=10 -> evaluates at t+1: 0.976 (not base); counted from 1
    t = step + 1
    if t < warmup_steps:
        return base_lr * t / warmup_steps
    if t > total_steps:
        return float(min_lr)
    return _cos_part(t, base_lr, warmup_steps, total_steps, min_lr)


def _lr_warmup_inclusive_zero_div(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    # witness: W=0, t=0 -> t <= W takes the warm-up branch: 0 / 0 raises ZeroDivisionError
    if step <= warmup_steps:
        return base_lr * step / warmup_steps
    if step > total_steps:
        return float(min_lr)
    return _cos_part(step, base_lr, warmup_steps, total_steps, min_lr)


def _lr_zero_after_T(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    # witness: t=T+1, min=0.1 -> 0 (not 0.1): "the run is over"
    if step < warmup_steps:
        return base_lr * step / warmup_steps
    if step > total_steps:
        return 0.0
    return _cos_part(step, base_lr, warmup_steps, total_steps, min_lr)


def _lr_clamp_one_early(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    # witness: W=3, T=4, t=3 -> t >= T - 1 returns min_lr (the peak base_lr is expected)
    if step < warmup_steps:
        return base_lr * step / warmup_steps
    if step >= total_steps - 1:
        return float(min_lr)
    return _cos_part(step, base_lr, warmup_steps, total_steps, min_lr)


def _lr_float32(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    # witness: base=0.1, W=0, T=7, t=3 -> float32 arithmetic: relative error ~1e-7 against the
    # 50-digit value; far worse for large T near the end (1 + cos in float32 cancels)
    f = np.float32
    t, W, T = f(step), f(warmup_steps), f(total_steps)
    if step < warmup_steps:
        return float(f(base_lr) * t / W)
    if step > total_steps:
        return float(f(min_lr))
    p = (t - W) / (T - W)
    return float(f(min_lr) + f(0.5) * (f(base_lr) - f(min_lr)) * (f(1) + np.cos(f(np.pi) * p)))


def _lr_warmup_reaches_max_at_W_minus_1(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    # witness: W=4, t=3 -> t / (W - 1) = 1: base (not 0.75 base); W=1 divides by zero
    if step < warmup_steps:
        return base_lr * step / (warmup_steps - 1)
    if step > total_steps:
        return float(min_lr)
    return _cos_part(step, base_lr, warmup_steps, total_steps, min_lr)


def _lr_floor_phase_only(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    # witness: integer arguments t=3, W=0, T=6, base=1 -> p = 3 // 6 = 0: 1.0 (not 0.5); the
    # warm-up is right
    if step < warmup_steps:
        return base_lr * step / warmup_steps
    if step > total_steps:
        return float(min_lr)
    p = (step - warmup_steps) // (total_steps - warmup_steps)
    return min_lr + 0.5 * (base_lr - min_lr) * (1 + math.cos(math.pi * p))


def _lr_degrees(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    # witness: W=0, T=4, t=2 -> cos(180 p) read as degrees but math.cos takes radians
    if step < warmup_steps:
        return base_lr * step / warmup_steps
    if step > total_steps:
        return float(min_lr)
    p = (step - warmup_steps) / (total_steps - warmup_steps)
    return min_lr + 0.5 * (base_lr - min_lr) * (1 + math.cos(180 * p))


def _lr_cosine_of_steps_left(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    # witness: W=2, T=6, t=3 -> phase from the steps left, p = (T - t)/T = 1/2 (not 1/4)
    if step < warmup_steps:
        return base_lr * step / warmup_steps
    if step > total_steps:
        return float(min_lr)
    p = 1 - (total_steps - step) / total_steps
    return min_lr + 0.5 * (base_lr - min_lr) * (1 + math.cos(math.pi * p))


def _lr_warmup_to_min_then_jump(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    # witness: W=4, t=2, min=0.5, base=1 -> warm-up climbs to min_lr: 0.25 (not 0.5)
    if step < warmup_steps:
        return min_lr * step / warmup_steps if min_lr > 0 else base_lr * step / warmup_steps
    if step > total_steps:
        return float(min_lr)
    return _cos_part(step, base_lr, warmup_steps, total_steps, min_lr)


# ---------------------------------------------------------------------------------------------
# Exercise 3 — sgd_epoch(w, X, y, lr, batches) -> weights after one epoch
# ---------------------------------------------------------------------------------------------

def _xy(X, y):
    return np.asarray(X, dtype=float), np.asarray(y, dtype=float)


def _sgd_sum_not_mean(w, X, y, lr, batches):
    # witness: X=[[1],[1]], y=[1,1], w=[0], lr=0.1, one batch [0,1] -> 0.2 (not 0.1)
    X, y = _xy(X, y)
    w = np.array(w, dtype=float)
    for b in batches:
        w = w - lr * X[b].T @ (X[b] @ w - y[b])
    return w


def _sgd_divides_by_N(w, X, y, lr, batches):
    # witness: X=[[1],[1]], y=[1,1], batches [[0],[1]] -> divides each step by N=2
    X, y = _xy(X, y)
    w = np.array(w, dtype=float)
    for b in batches:
        w = w - lr * X[b].T @ (X[b] @ w - y[b]) / len(y)
    return w


def _sgd_divides_by_first_batch_size(w, X, y, lr, batches):
    # witness: N=3, batches [[0,1],[2]] -> the last (smaller) batch's gradient divided by 2
    X, y = _xy(X, y)
    w = np.array(w, dtype=float)
    B = len(batches[0])
    for b in batches:
        w = w - lr * X[b].T @ (X[b] @ w - y[b]) / B
    return w


def _sgd_factor_two(w, X, y, lr, batches):
    # witness: X=[[1]], y=[1], w=[0], lr=0.1 -> 0.2 (gradient of (1/|b|) sum r^2, not 1/(2|b|))
    X, y = _xy(X, y)
    w = np.array(w, dtype=float)
    for b in batches:
        w = w - lr * 2 * X[b].T @ (X[b] @ w - y[b]) / len(b)
    return w


def _sgd_grad_at_start(w, X, y, lr, batches):
    # witness: X=[[1],[1]], y=[1,1], w=[0], lr=0.5, batches [[0],[1]] -> every gradient taken at
    # the epoch's starting w: 1.0 (not 0.75)
    X, y = _xy(X, y)
    w0 = np.array(w, dtype=float)
    w = w0.copy()
    for b in batches:
        w = w - lr * X[b].T @ (X[b] @ w0 - y[b]) / len(b)
    return w


def _sgd_sign_flipped(w, X, y, lr, batches):
    # witness: X=[[1]], y=[1], w=[0], lr=0.1 -> -0.1 (residual y - Xw with "w - lr g": ascent)
    X, y = _xy(X, y)
    w = np.array(w, dtype=float)
    for b in batches:
        w = w - lr * X[b].T @ (y[b] - X[b] @ w) / len(b)
    return w


def _sgd_in_place(w, X, y, lr, batches):
    # witness: any w -> w -= ... changes the caller's array
    X, y = _xy(X, y)
    for b in batches:
        w -= lr * X[b].T @ (X[b] @ w - y[b]) / len(b)
    return w.copy()


def _sgd_int_accumulator(w, X, y, lr, batches):
    # witness: integer X=[[1],[1]], y=[1,1], w=[0.], lr=0.1 -> the gradient accumulator
    # zeros_like(X[0]) is int: each 0.1*... contribution truncated
    w = np.array(w, dtype=float)
    for b in batches:
        g = np.zeros_like(X[0])
        for i in b:
            g = g + ((X[i] @ w - y[i]) * X[i] / len(b)).astype(g.dtype)
        w = w - lr * g
    return w


def _sgd_full_batch(w, X, y, lr, batches):
    # witness: batches [[0],[1]] -> one step on the union of the batches (not two steps)
    X, y = _xy(X, y)
    w = np.array(w, dtype=float)
    b = np.concatenate(batches)
    return w - lr * X[b].T @ (X[b] @ w - y[b]) / len(b)


def _sgd_skips_last_batch(w, X, y, lr, batches):
    # witness: batches [[0],[1]] -> only the first batch is used (range(len(batches) - 1))
    X, y = _xy(X, y)
    w = np.array(w, dtype=float)
    for k in range(len(batches) - 1):
        b = batches[k]
        w = w - lr * X[b].T @ (X[b] @ w - y[b]) / len(b)
    return w


def _sgd_column_weights(w, X, y, lr, batches):
    # witness: any input -> w as a (d, 1) column; returns shape (d, 1), not (d,)
    X, y = _xy(X, y)
    w = np.array(w, dtype=float).reshape(-1, 1)
    y = y.reshape(-1, 1)
    for b in batches:
        w = w - lr * X[b].T @ (X[b] @ w - y[b]) / len(b)
    return w


def _sgd_squeezed_batch(w, X, y, lr, batches):
    # witness: d=1, a batch of 2 -> np.squeeze(X[b]) is (2,), X_b @ w with w (1,) raises
    X, y = _xy(X, y)
    w = np.array(w, dtype=float)
    for b in batches:
        Xb = np.squeeze(X[b])
        r = Xb @ w - y[b]
        w = w - lr * (Xb.T @ r) / len(b)
    return np.atleast_1d(w)


def _sgd_coordinatewise(w, X, y, lr, batches):
    # witness: d=2, X=[[1,1]], y=[1], w=[0,0], lr=0.5 -> coordinate j's gradient is taken after
    # coordinate j-1 was already updated (Gauss-Seidel): [0.5, 0.25] (not [0.5, 0.5])
    X, y = _xy(X, y)
    w = np.array(w, dtype=float)
    for b in batches:
        for j in range(len(w)):
            r = X[b] @ w - y[b]
            w[j] -= lr * (X[b][:, j] @ r) / len(b)
    return w


def _sgd_lr_per_batch(w, X, y, lr, batches):
    # witness: batches [[0],[1]] -> lr shared out over the batches (lr / 2 each step)
    X, y = _xy(X, y)
    w = np.array(w, dtype=float)
    for b in batches:
        w = w - (lr / len(batches)) * X[b].T @ (X[b] @ w - y[b]) / len(b)
    return w


def _sgd_float32(w, X, y, lr, batches):
    # witness: X=[[3]], y=[1], w=[0.1], lr=0.01 -> float32 weights: error ~1e-8 relative
    X = np.asarray(X, dtype=np.float32)
    y = np.asarray(y, dtype=np.float32)
    w = np.array(w, dtype=np.float32)
    for b in batches:
        w = w - np.float32(lr) * X[b].T @ (X[b] @ w - y[b]) / np.float32(len(b))
    return w.astype(float)


def _sgd_batches_sorted(w, X, y, lr, batches):
    # witness: batches [[1],[0]] with X=[[1],[2]] -> processed sorted by first index, [[0],[1]]
    X, y = _xy(X, y)
    w = np.array(w, dtype=float)
    for b in sorted(batches, key=lambda b: int(np.min(b))):
        w = w - lr * X[b].T @ (X[b] @ w - y[b]) / len(b)
    return w


def _sgd_product_of_means(w, X, y, lr, batches):
    # witness: X=[[1],[3]], y=[0,0], w=[1], lr=0.1, one batch [0,1] -> mean(r) * mean(x) =
    # 2*2 = 4 instead of mean(r x) = (1 + 9)/2 = 5 (right for batches of one)
    X, y = _xy(X, y)
    w = np.array(w, dtype=float)
    for b in batches:
        r = X[b] @ w - y[b]
        w = w - lr * r.mean() * X[b].mean(axis=0)
    return w


def _sgd_divides_by_size_of_Xb(w, X, y, lr, batches):
    # witness: d=2, X=[[1,1]], y=[1], w=[0,0], lr=0.5, batch [0] -> divides by X[b].size = 2
    # (|b| * d), not |b| = 1 (right for d = 1)
    X, y = _xy(X, y)
    w = np.array(w, dtype=float)
    for b in batches:
        w = w - lr * X[b].T @ (X[b] @ w - y[b]) / X[b].size
    return w


def _sgd_mean_of_everything(w, X, y, lr, batches):
    # witness: d=2, X=[[1,0]], y=[1], w=[0,0], lr=1 -> np.mean without an axis: every
    # coordinate gets the same scalar step [0.5, 0.5] (not [1, 0]); right for d = 1
    X, y = _xy(X, y)
    w = np.array(w, dtype=float)
    for b in batches:
        r = X[b] @ w - y[b]
        w = w - lr * np.mean(X[b] * r[:, None]) * X.shape[1]
    return w


def _sgd_y_not_indexed(w, X, y, lr, batches):
    # witness: X=[[1],[1]], y=[0,1], batches [[1]] -> the targets are y[:|b|] = [0] (not y[1])
    X, y = _xy(X, y)
    w = np.array(w, dtype=float)
    for b in batches:
        r = X[b] @ w - y[:len(b)]
        w = w - lr * X[b].T @ r / len(b)
    return w


def _sgd_prediction_cast_to_y(w, X, y, lr, batches):
    # witness: integer y=[1], X=[[1]], w=[0.5] -> predictions cast to y's dtype "to match":
    # 0.5 -> 0, residual -1 (not -0.5)
    w = np.array(w, dtype=float)
    y = np.asarray(y)
    for b in batches:
        Xb = np.asarray(X[b], dtype=float)
        r = (Xb @ w).astype(y.dtype) - y[b]
        w = w - lr * Xb.T @ r / len(b)
    return w


def _sgd_pops_batches(w, X, y, lr, batches):
    # witness: any call -> consumes the caller's list with batches.pop(0): the values are right,
    # but afterwards the caller's batches is empty (a second epoch over it does nothing)
    X, y = _xy(X, y)
    w = np.array(w, dtype=float)
    while batches:
        b = batches.pop(0)
        w = w - lr * X[b].T @ (X[b] @ w - y[b]) / len(b)
    return w


def _sgd_base_list_pop(w, X, y, lr, batches):
    # witness: any call -> empties the caller's list with the base-class list.pop (round any
    # read-only override of pop): the values are right, the caller's batches is gone
    X, y = _xy(X, y)
    w = np.array(w, dtype=float)
    for b in list(batches):
        w = w - lr * X[b].T @ (X[b] @ w - y[b]) / len(b)
    while len(batches):
        list.pop(batches)
    return w


WRONG = {
    "check_minibatches": [
        ("last incomplete batch dropped (drop_last)", _mb_drop_last),
        ("last batch padded by wrapping round", _mb_pad_last),
        ("own generator default_rng(0) instead of rng", _mb_own_generator),
        ("batch order shuffled too (extra draw)", _mb_shuffles_batch_order),
        ("np.array_split into ceil(n/B) balanced pieces", _mb_array_split_balanced),
        ("np.array_split into n // B pieces", _mb_array_split_floor),
        ("n // B + 1 batches: an empty batch when B divides n", _mb_extra_empty_batch),
        ("round(n / B) batches", _mb_round_count),
        ("strided slices order[i::k]", _mb_strided),
        ("B >= n: arange(n) without drawing", _mb_no_shuffle_when_one_batch),
        ("draws from a deep copy: rng never advanced", _mb_copied_rng),
        ("rng.choice(n, n, replace=False) instead of permutation", _mb_choice_not_permutation),
        ("float64 index arrays", _mb_float_indices),
        ("batches sorted by their smallest index", _mb_sorted_batches),
        ("seed drawn from rng, fresh generator's permutation", _mb_reseeded_by_n),
        ("last batch of size B - n % B", _mb_last_gets_remainder_of_B),
        ("HANGS: while loop never advances when B > n", _mb_hangs_b_gt_n),
        ("the smaller remainder batch first", _mb_remainder_first),
        ("pieces cut from the end of the order", _mb_cut_from_the_end),
        ("(k, 1) column batches instead of 1-D", _mb_column_batches),
        ("the right pieces in reverse order", _mb_reversed_pieces),
    ],
    "check_lr_at": [
        ("warm-up (t+1)/W: eta_0 != 0", _lr_warmup_plus_one),
        ("cosine phase p = t/T (not shifted by W)", _lr_p_ignores_warmup),
        ("cosine phase p = (t-W)/T", _lr_p_over_T),
        ("min_lr added but not subtracted from the amplitude", _lr_min_not_subtracted),
        ("min_lr ignored", _lr_min_ignored),
        ("no clamp after T: cosine goes round again", _lr_no_clamp_after_T),
        ("floor division with integer arguments", _lr_floor_division),
        ("warm-up from min_lr instead of 0", _lr_warmup_from_min),
        ("quarter cosine cos(pi p / 2)", _lr_quarter_cosine),
        ("linear decay instead of cosine", _lr_linear_decay),
        ("phase denominator T - W - 1", _lr_T_minus_one),
        ("steps counted from 1", _lr_steps_from_one),
        ("t <= W in the warm-up branch: W = 0 divides by zero", _lr_warmup_inclusive_zero_div),
        ("0 after T instead of min_lr", _lr_zero_after_T),
        ("clamped to min_lr from t = T - 1", _lr_clamp_one_early),
        ("float32 arithmetic", _lr_float32),
        ("warm-up t/(W-1): peak one step early", _lr_warmup_reaches_max_at_W_minus_1),
        ("floor division in the cosine phase only", _lr_floor_phase_only),
        ("cos(180 p): degrees for radians", _lr_degrees),
        ("phase from the steps left, 1 - (T - t)/T", _lr_cosine_of_steps_left),
        ("warm-up climbs to min_lr, then jumps", _lr_warmup_to_min_then_jump),
    ],
    "check_sgd_epoch": [
        ("sum over the batch instead of the mean", _sgd_sum_not_mean),
        ("divides by N instead of |b|", _sgd_divides_by_N),
        ("divides by the first batch's size for every batch", _sgd_divides_by_first_batch_size),
        ("gradient without the 1/2 (factor 2)", _sgd_factor_two),
        ("every gradient at the epoch's starting w", _sgd_grad_at_start),
        ("residual y - Xw: steps uphill", _sgd_sign_flipped),
        ("w -= ... changes the caller's w", _sgd_in_place),
        ("int gradient accumulator zeros_like(X[0])", _sgd_int_accumulator),
        ("one full-batch step on the union of the batches", _sgd_full_batch),
        ("last batch skipped", _sgd_skips_last_batch),
        ("w as a (d, 1) column", _sgd_column_weights),
        ("np.squeeze on the batch (d = 1 breaks)", _sgd_squeezed_batch),
        ("coordinate-wise update (Gauss-Seidel)", _sgd_coordinatewise),
        ("lr divided by the number of batches", _sgd_lr_per_batch),
        ("float32 arithmetic", _sgd_float32),
        ("batches processed sorted, not in the given order", _sgd_batches_sorted),
        ("mean(r) * mean(x) instead of mean(r x)", _sgd_product_of_means),
        ("divides by X[b].size = |b| d", _sgd_divides_by_size_of_Xb),
        ("np.mean without an axis (one scalar for all coordinates)", _sgd_mean_of_everything),
        ("targets y[:|b|] instead of y[b]", _sgd_y_not_indexed),
        ("predictions cast to y's (integer) dtype", _sgd_prediction_cast_to_y),
        ("batches.pop(0) empties the caller's list", _sgd_pops_batches),
        ("list.pop(batches): the caller's list emptied round the overrides", _sgd_base_list_pop),
    ],
}
