"""Adversarial wrong solutions for notebook 26 (loss landscapes): filter normalisation of a random
direction, and the coordinates of a point in the plane spanned by two directions.

Each entry is a plausible learner's mistake or a sneaky near-miss, written from the exercise text
alone; the comment beside it names an input allowed by the statement on which it differs from a
correct solution (checked against a scratch reference outside the repo).  Entries labelled
"HANGS:" never return on some inputs.
"""
import numpy as np


# ---------------------------------------------------------------------------------------------
# Exercise 1 — filter_normalize(direction, weights) -> list of float arrays
# ---------------------------------------------------------------------------------------------

def _fn_filter(d_i, w_i):
    """Correct rescaling of one filter (used by the near-misses below)."""
    nd = np.linalg.norm(d_i)
    return np.zeros_like(d_i) if nd == 0 else d_i * (np.linalg.norm(w_i) / nd)


def _fn_whole_layer(direction, weights):
    # witness: d=[[1,0],[0,2]], w=[[3,0],[0,4]] -> layer ratio 5/sqrt5 gives rows [2.236,0],[0,4.47]
    # (not [3,0],[0,4])
    out = []
    for d, w in zip(direction, weights):
        d = np.asarray(d, dtype=float)
        w = np.asarray(w, dtype=float)
        if w.ndim < 2:
            out.append(np.zeros_like(d))
            continue
        nd = np.linalg.norm(d)
        out.append(np.zeros_like(d) if nd == 0 else d * np.linalg.norm(w) / nd)
    return out


def _fn_last_axis(direction, weights):
    # witness: d=[[1,1],[0,1]], w=[[1,0],[0,0]] -> normalises columns (not rows)
    out = []
    for d, w in zip(direction, weights):
        d = np.asarray(d, dtype=float)
        w = np.asarray(w, dtype=float)
        if w.ndim < 2:
            out.append(np.zeros_like(d))
            continue
        nd = np.sqrt(np.sum(d ** 2, axis=tuple(range(d.ndim - 1)), keepdims=True))
        nw = np.sqrt(np.sum(w ** 2, axis=tuple(range(w.ndim - 1)), keepdims=True))
        out.append(np.where(nd == 0, 0.0, d * nw / np.where(nd == 0, 1.0, nd)))
    return out


def _fn_bias_kept(direction, weights):
    # witness: a bias d=[1., 2.] -> returned unchanged (not zeros)
    out = []
    for d, w in zip(direction, weights):
        d = np.array(d, dtype=float)
        w = np.asarray(w, dtype=float)
        if w.ndim >= 2:
            d = np.stack([_fn_filter(d[i], w[i]) for i in range(d.shape[0])])
        out.append(d)
    return out


def _fn_bias_elementwise(direction, weights):
    # witness: a bias d=[1., -2.], w=[3., 4.] -> each entry treated as a filter: [3, -4] (not 0)
    out = []
    for d, w in zip(direction, weights):
        d = np.asarray(d, dtype=float)
        w = np.asarray(w, dtype=float)
        out.append(np.stack([_fn_filter(d[i], w[i]) for i in range(d.shape[0])]))
    return out


def _fn_bias_whole_vector(direction, weights):
    # witness: a bias d=[3., 4.], w=[0., 1.] -> rescaled to norm 1: [0.6, 0.8] (not zeros)
    out = []
    for d, w in zip(direction, weights):
        d = np.asarray(d, dtype=float)
        w = np.asarray(w, dtype=float)
        if w.ndim < 2:
            out.append(_fn_filter(d, w))
        else:
            out.append(np.stack([_fn_filter(d[i], w[i]) for i in range(d.shape[0])]))
    return out


def _fn_zero_filter_nan(direction, weights):
    # witness: d=[[0,0],[1,0]], w=[[1,0],[1,0]] -> first row nan (0/0), not zeros
    out = []
    for d, w in zip(direction, weights):
        d = np.asarray(d, dtype=float)
        w = np.asarray(w, dtype=float)
        if w.ndim < 2:
            out.append(np.zeros_like(d))
            continue
        shape = (-1,) + (1,) * (d.ndim - 1)
        nd = np.linalg.norm(d.reshape(d.shape[0], -1), axis=1).reshape(shape)
        nw = np.linalg.norm(w.reshape(w.shape[0], -1), axis=1).reshape(shape)
        with np.errstate(all="ignore"):
            out.append(d * nw / nd)
    return out


def _fn_eps_denominator(direction, weights):
    # witness: d=[[1e-12, 0]], w=[[1., 0]] -> 1e-12/(1e-12 + 1e-10) ~ 0.0099 (not 1)
    out = []
    for d, w in zip(direction, weights):
        d = np.asarray(d, dtype=float)
        w = np.asarray(w, dtype=float)
        if w.ndim < 2:
            out.append(np.zeros_like(d))
            continue
        shape = (-1,) + (1,) * (d.ndim - 1)
        nd = np.linalg.norm(d.reshape(d.shape[0], -1), axis=1).reshape(shape)
        nw = np.linalg.norm(w.reshape(w.shape[0], -1), axis=1).reshape(shape)
        out.append(d * nw / (nd + 1e-10))
    return out


def _fn_small_norm_threshold(direction, weights):
    # witness: d=[[1e-9, 0]], w=[[2., 0]] -> "norm < 1e-8 means zero" gives [0, 0] (not [2, 0])
    out = []
    for d, w in zip(direction, weights):
        d = np.asarray(d, dtype=float)
        w = np.asarray(w, dtype=float)
        if w.ndim < 2:
            out.append(np.zeros_like(d))
            continue
        rows = []
        for i in range(d.shape[0]):
            nd = np.linalg.norm(d[i])
            rows.append(np.zeros_like(d[i]) if nd < 1e-8 else d[i] * np.linalg.norm(w[i]) / nd)
        out.append(np.stack(rows))
    return out


def _fn_mutates_direction(direction, weights):
    # witness: any 2-D layer -> the caller's direction array is rescaled in place (d[i] *= ...)
    out = []
    for d, w in zip(direction, weights):
        w = np.asarray(w, dtype=float)
        if w.ndim < 2:
            out.append(np.zeros(np.shape(d)))
            continue
        d = d if d.dtype.kind == "f" else d.astype(float)
        for i in range(d.shape[0]):
            nd = np.linalg.norm(d[i])
            if nd > 0:
                d[i] *= np.linalg.norm(w[i]) / nd
        out.append(d)
    return out


def _fn_int_truncation(direction, weights):
    # witness: int d=[[1, 1]], w=[[1, 0]] -> np.empty_like(int d) truncates 0.707 to 0
    out = []
    for d, w in zip(direction, weights):
        d = np.asarray(d)
        w = np.asarray(w)
        r = np.zeros_like(d)
        if w.ndim >= 2:
            for i in range(d.shape[0]):
                r[i] = _fn_filter(d[i].astype(float), w[i].astype(float))
        out.append(r)
    return out


def _fn_norm_axis1_only(direction, weights):
    # witness: conv d=[[[[1, 1]], [[0, 1]]]] (shape (1, 2, 1, 2)), w=[[[[1, 0]], [[0, 0]]]] -> each
    # last-axis row normalised separately: [[0.707, 0.707]], [[0, 0]]
    # (true [[0.577, 0.577]], [[0, 0.577]])
    out = []
    for d, w in zip(direction, weights):
        d = np.asarray(d, dtype=float)
        w = np.asarray(w, dtype=float)
        if w.ndim < 2:
            out.append(np.zeros_like(d))
            continue
        nd = np.linalg.norm(d, axis=-1, keepdims=True)
        nw = np.linalg.norm(w, axis=-1, keepdims=True)
        out.append(np.where(nd == 0, 0.0, d * nw / np.where(nd == 0, 1.0, nd)))
    return out


def _fn_spectral_norm(direction, weights):
    # witness: a Conv1d weight (1, 2, 2): filter [[1,0],[0,1]] -> ord=2 is the spectral norm 1
    # (Frobenius sqrt 2); on 4-D conv weights ord=2 raises
    out = []
    for d, w in zip(direction, weights):
        d = np.asarray(d, dtype=float)
        w = np.asarray(w, dtype=float)
        if w.ndim < 2:
            out.append(np.zeros_like(d))
            continue
        rows = []
        for i in range(d.shape[0]):
            nd = np.linalg.norm(d[i], ord=2)
            rows.append(np.zeros_like(d[i]) if nd == 0 else d[i] * np.linalg.norm(w[i], ord=2) / nd)
        out.append(np.stack(rows))
    return out


def _fn_squared_ratio(direction, weights):
    # witness: d=[[1, 0]], w=[[2, 0]] -> ratio 4/1 gives [4, 0] (not [2, 0])
    out = []
    for d, w in zip(direction, weights):
        d = np.asarray(d, dtype=float)
        w = np.asarray(w, dtype=float)
        if w.ndim < 2:
            out.append(np.zeros_like(d))
            continue
        shape = (-1,) + (1,) * (d.ndim - 1)
        nd2 = np.sum(d.reshape(d.shape[0], -1) ** 2, axis=1).reshape(shape)
        nw2 = np.sum(w.reshape(w.shape[0], -1) ** 2, axis=1).reshape(shape)
        out.append(np.where(nd2 == 0, 0.0, d * nw2 / np.where(nd2 == 0, 1.0, nd2)))
    return out


def _fn_inverted_ratio(direction, weights):
    # witness: d=[[1, 0]], w=[[2, 0]] -> d * ||d|| / ||w|| = [0.5, 0] (not [2, 0])
    out = []
    for d, w in zip(direction, weights):
        d = np.asarray(d, dtype=float)
        w = np.asarray(w, dtype=float)
        if w.ndim < 2:
            out.append(np.zeros_like(d))
            continue
        rows = []
        for i in range(d.shape[0]):
            nw = np.linalg.norm(w[i])
            rows.append(np.zeros_like(d[i]) if nw == 0 else d[i] * np.linalg.norm(d[i]) / nw)
        out.append(np.stack(rows))
    return out


def _fn_len_not_ndim(direction, weights):
    # witness: a single-output dense weight d=[[1., 1.]] (len 1) -> zeros (treated as a bias)
    out = []
    for d, w in zip(direction, weights):
        d = np.asarray(d, dtype=float)
        w = np.asarray(w, dtype=float)
        if len(w) < 2:
            out.append(np.zeros_like(d))
        else:
            out.append(np.stack([_fn_filter(d[i], w[i]) for i in range(d.shape[0])]))
    return out


def _fn_ndim_strict(direction, weights):
    # witness: a dense weight (2-D) -> "ndim > 2" zeroes it (only conv weights normalised)
    out = []
    for d, w in zip(direction, weights):
        d = np.asarray(d, dtype=float)
        w = np.asarray(w, dtype=float)
        if w.ndim <= 2:
            out.append(np.zeros_like(d))
        else:
            out.append(np.stack([_fn_filter(d[i], w[i]) for i in range(d.shape[0])]))
    return out


def _fn_dense_only(direction, weights):
    # witness: a conv weight (out, in, k, k) -> returned unchanged (only 2-D weights handled)
    out = []
    for d, w in zip(direction, weights):
        d = np.array(d, dtype=float)
        w = np.asarray(w, dtype=float)
        if w.ndim < 2:
            out.append(np.zeros_like(d))
        elif w.ndim == 2:
            out.append(np.stack([_fn_filter(d[i], w[i]) for i in range(d.shape[0])]))
        else:
            out.append(d)
    return out


def _fn_sum_zero_test(direction, weights):
    # witness: d=[[1., -1.]], w=[[1., 0.]] -> "sum == 0 means zero filter" gives [0, 0]
    # (not [0.707, -0.707])
    out = []
    for d, w in zip(direction, weights):
        d = np.asarray(d, dtype=float)
        w = np.asarray(w, dtype=float)
        if w.ndim < 2:
            out.append(np.zeros_like(d))
            continue
        rows = []
        for i in range(d.shape[0]):
            if np.sum(d[i]) == 0:
                rows.append(np.zeros_like(d[i]))
            else:
                rows.append(d[i] * np.linalg.norm(w[i]) / np.linalg.norm(d[i]))
        out.append(np.stack(rows))
    return out


def _fn_zero_weight_keeps_d(direction, weights):
    # witness: d=[[1., 2.]], w=[[0., 0.]] -> "can't rescale to 0" keeps [1, 2] (not [0, 0])
    out = []
    for d, w in zip(direction, weights):
        d = np.asarray(d, dtype=float)
        w = np.asarray(w, dtype=float)
        if w.ndim < 2:
            out.append(np.zeros_like(d))
            continue
        rows = []
        for i in range(d.shape[0]):
            nw = np.linalg.norm(w[i])
            rows.append(d[i].copy() if nw == 0 else _fn_filter(d[i], w[i]))
        out.append(np.stack(rows))
    return out


def _fn_mutates_list(direction, weights):
    # witness: any call -> the caller's list `direction` has its entries replaced by the results
    for k, (d, w) in enumerate(zip(direction, weights)):
        d = np.asarray(d, dtype=float)
        w = np.asarray(w, dtype=float)
        if w.ndim < 2:
            direction[k] = np.zeros_like(d)
        else:
            direction[k] = np.stack([_fn_filter(d[i], w[i]) for i in range(d.shape[0])])
    return direction


def _fn_buffer_like_weights(direction, weights):
    # witness: float d=[[1., 1.]], int w=[[1, 0]] -> zeros_like(w) is int: [0.707, 0.707]
    # truncated to [0, 0]
    out = []
    for d, w in zip(direction, weights):
        d = np.asarray(d, dtype=float)
        w = np.asarray(w)
        r = np.zeros_like(w)
        if w.ndim >= 2:
            for i in range(d.shape[0]):
                r[i] = _fn_filter(d[i], w[i].astype(float))
        out.append(r)
    return out


def _fn_generator(direction, weights):
    # witness: any call -> returns a generator (round brackets), not a list
    return (np.zeros(np.shape(d)) if np.ndim(w) < 2 else
            np.stack([_fn_filter(np.asarray(d[i], dtype=float), np.asarray(w[i], dtype=float))
                      for i in range(np.shape(d)[0])])
            for d, w in zip(direction, weights))


def _fn_hangs_on_zero_filter(direction, weights):
    # witness: d=[[0., 0.], [1., 0.]] -> the loop `continue`s on the zero filter without i += 1
    out = []
    for d, w in zip(direction, weights):
        d = np.array(d, dtype=float)
        w = np.asarray(w, dtype=float)
        if w.ndim < 2:
            out.append(np.zeros_like(d))
            continue
        i = 0
        while i < d.shape[0]:
            nd = np.linalg.norm(d[i])
            if nd == 0:
                continue     # "already zero, nothing to do" ... but i is never advanced
            d[i] = d[i] * np.linalg.norm(w[i]) / nd
            i += 1
        out.append(d)
    return out


# ---------------------------------------------------------------------------------------------
# Exercise 2 — plane_coordinates(delta, d1, d2) -> (alpha, beta)
# ---------------------------------------------------------------------------------------------

def _pc_vectors(delta, d1, d2):
    return (np.asarray(delta, dtype=float), np.asarray(d1, dtype=float),
            np.asarray(d2, dtype=float))


def _pc_orthogonal_projection(delta, d1, d2):
    # witness: delta=[1, 1], d1=[1, 0], d2=[1, 1] -> (1, 1) (true (0, 1)); cross term ignored
    x, a, b = _pc_vectors(delta, d1, d2)
    return float(x @ a / (a @ a)), float(x @ b / (b @ b))


def _pc_unit_orthonormal(delta, d1, d2):
    # witness: delta=[2, 0], d1=[2, 0], d2=[0, 1] -> (4, 0) (true (1, 0)); assumes unit vectors
    x, a, b = _pc_vectors(delta, d1, d2)
    return float(x @ a), float(x @ b)


def _pc_normalised_directions(delta, d1, d2):
    # witness: delta=[2, 0], d1=[2, 0], d2=[0, 1] -> coordinates along d1/|d1|: (2, 0) (not (1, 0))
    x, a, b = _pc_vectors(delta, d1, d2)
    D = np.stack([a / np.linalg.norm(a), b / np.linalg.norm(b)], axis=1)
    c = np.linalg.lstsq(D, x, rcond=None)[0]
    return float(c[0]), float(c[1])


def _pc_gram_schmidt_coords(delta, d1, d2):
    # witness: delta=[1, 1], d1=[1, 0], d2=[1, 1] -> coordinates in the orthonormal basis
    # (e1, e2): (1, 1) (not (0, 1))
    x, a, b = _pc_vectors(delta, d1, d2)
    e1 = a / np.linalg.norm(a)
    u = b - (b @ e1) * e1
    e2 = u / np.linalg.norm(u)
    return float(x @ e1), float(x @ e2)


def _pc_gram_schmidt_alpha_unconverted(delta, d1, d2):
    # witness: delta=[1, 1], d1=[1, 0], d2=[1, 1] -> alpha = x.d1/|d1|^2 = 1 (true 0); beta right
    x, a, b = _pc_vectors(delta, d1, d2)
    u = b - (b @ a) / (a @ a) * a
    return float(x @ a / (a @ a)), float(x @ u / (u @ u))


def _pc_swapped(delta, d1, d2):
    # witness: delta=[1, 2], d1=[1, 0], d2=[0, 1] -> (2, 1) (not (1, 2))
    x, a, b = _pc_vectors(delta, d1, d2)
    c = np.linalg.lstsq(np.stack([a, b], axis=1), x, rcond=None)[0]
    return float(c[1]), float(c[0])


def _pc_cramer_sign(delta, d1, d2):
    # witness: delta=[1, 1], d1=[1, 0], d2=[1, 1] -> off-diagonal sign wrong: (4, 3) (not (0, 1))
    x, a, b = _pc_vectors(delta, d1, d2)
    g11, g12, g22 = a @ a, a @ b, b @ b
    r1, r2 = x @ a, x @ b
    det = g11 * g22 - g12 ** 2
    return float((g22 * r1 + g12 * r2) / det), float((g11 * r2 + g12 * r1) / det)


def _pc_cramer_det_plus(delta, d1, d2):
    # witness: delta=[1, 1], d1=[1, 0], d2=[1, 1] -> det g11 g22 + g12^2 = 3 (not 1)
    x, a, b = _pc_vectors(delta, d1, d2)
    g11, g12, g22 = a @ a, a @ b, b @ b
    r1, r2 = x @ a, x @ b
    det = g11 * g22 + g12 ** 2
    return float((g22 * r1 - g12 * r2) / det), float((g11 * r2 - g12 * r1) / det)


def _pc_floor_division(delta, d1, d2):
    # witness: delta=[1, 0], d1=[2, 0], d2=[0, 1] -> 2 // 4 = 0 (true alpha 0.5)
    x, a, b = delta, d1, d2
    g11, g12, g22 = a @ a, a @ b, b @ b
    r1, r2 = x @ a, x @ b
    det = g11 * g22 - g12 ** 2
    return float((g22 * r1 - g12 * r2) // det), float((g11 * r2 - g12 * r1) // det)


def _pc_orthogonal_shortcut_abs_tol(delta, d1, d2):
    # witness: delta=[1e-5, 1e-5], d1=[1e-5, 0], d2=[1e-5, 1e-5] -> d1.d2 = 1e-10 < 1e-8 taken as
    # orthogonal: (1, 1) (true (0, 1))
    x, a, b = _pc_vectors(delta, d1, d2)
    if abs(a @ b) < 1e-8:
        return float(x @ a / (a @ a)), float(x @ b / (b @ b))
    c = np.linalg.solve(np.array([[a @ a, a @ b], [a @ b, b @ b]]), np.array([x @ a, x @ b]))
    return float(c[0]), float(c[1])


def _pc_lstsq_rcond(delta, d1, d2):
    # witness: d1=[1, 0], d2=[1, 1e-4], delta=[0, 1e-4] -> rcond=1e-3 drops the small singular
    # value: about (0.5, 0.5) (true (-1, 1))
    x, a, b = _pc_vectors(delta, d1, d2)
    c = np.linalg.lstsq(np.stack([a, b], axis=1), x, rcond=1e-3)[0]
    return float(c[0]), float(c[1])


def _pc_float32(delta, d1, d2):
    # witness: d1=[1, 0, 0], d2=[1, 1e-3, 0], delta=d1 + d2 -> float32 rounding gives errors ~1e-4
    # relative (true (1, 1))
    x, a, b = (np.asarray(v, dtype=np.float32) for v in (delta, d1, d2))
    G = np.array([[a @ a, a @ b], [a @ b, b @ b]], dtype=np.float32)
    c = np.linalg.solve(G, np.array([x @ a, x @ b], dtype=np.float32))
    return float(c[0]), float(c[1])


def _pc_mutates_inputs(delta, d1, d2):
    # witness: any float call -> the caller's d1 and d2 are normalised in place (d1 /= |d1|)
    n1, n2 = np.linalg.norm(d1), np.linalg.norm(d2)
    d1 /= n1
    d2 /= n2
    c = np.linalg.lstsq(np.stack([d1, d2], axis=1), np.asarray(delta, dtype=float), rcond=None)[0]
    return float(c[0] / n1), float(c[1] / n2)


def _pc_projection_onto_delta(delta, d1, d2):
    # witness: delta=[2, 0], d1=[1, 0], d2=[0, 1] -> d1.delta/|delta|^2 = 0.5 (true 2)
    x, a, b = _pc_vectors(delta, d1, d2)
    return float(a @ x / (x @ x)), float(b @ x / (x @ x))


def _pc_two_coordinates_only(delta, d1, d2):
    # witness: delta=[0, 0, 1], d1=[1, 0, 1], d2=[0, 1, 0] -> solves with the first two rows only:
    # (0, 0) (true (0.5, 0))
    x, a, b = _pc_vectors(delta, d1, d2)
    c = np.linalg.solve(np.stack([a[:2], b[:2]], axis=1), x[:2])
    return float(c[0]), float(c[1])


def _pc_returns_residual_norm(delta, d1, d2):
    # witness: any delta -> returns (alpha, ||residual||) instead of (alpha, beta)
    x, a, b = _pc_vectors(delta, d1, d2)
    D = np.stack([a, b], axis=1)
    c = np.linalg.lstsq(D, x, rcond=None)[0]
    return float(c[0]), float(np.linalg.norm(x - D @ c))


def _pc_det_abs_threshold(delta, d1, d2):
    # witness: delta=[1e-3, 1e-3, 0], d1=[1e-3, 0, 0], d2=[1e-3, 1e-3, 0] -> det = 1e-12 judged
    # "singular", falls back to separate projections: (1, 1) (true (0, 1))
    x, a, b = _pc_vectors(delta, d1, d2)
    g11, g12, g22 = a @ a, a @ b, b @ b
    det = g11 * g22 - g12 ** 2
    if abs(det) < 1e-10:
        return float(x @ a / g11), float(x @ b / g22)
    r1, r2 = x @ a, x @ b
    return float((g22 * r1 - g12 * r2) / det), float((g11 * r2 - g12 * r1) / det)


def _pc_hangs_gradient_descent(delta, d1, d2):
    # witness: d1=[1, 0], d2=[1, 1e-3], delta=[0, 1] -> gradient descent with an absolute stop
    # test on the gradient; step 1/|G| is stable but convergence rate ~1e-7 per step: never stops
    x, a, b = _pc_vectors(delta, d1, d2)
    G = np.array([[a @ a, a @ b], [a @ b, b @ b]])
    r = np.array([x @ a, x @ b])
    c = np.zeros(2)
    lr = 1.0 / np.linalg.norm(G)
    while True:
        g = G @ c - r
        if np.max(np.abs(g)) < 1e-13:
            return float(c[0]), float(c[1])
        c = c - lr * g


WRONG = {
    "check_filter_normalize": [
        ("one norm for the whole layer instead of per filter", _fn_whole_layer),
        ("filters taken along the last axis (columns)", _fn_last_axis),
        ("1-D parameters returned unchanged instead of zeros", _fn_bias_kept),
        ("1-D parameters: each entry normalised as a filter", _fn_bias_elementwise),
        ("1-D parameters rescaled as one vector", _fn_bias_whole_vector),
        ("zero filter divides 0/0 -> nan", _fn_zero_filter_nan),
        ("||d_i|| + 1e-10 in the denominator", _fn_eps_denominator),
        ("filters with norm < 1e-8 treated as zero", _fn_small_norm_threshold),
        ("d[i] *= ... rescales the caller's arrays in place", _fn_mutates_direction),
        ("zeros_like(int d) output truncates", _fn_int_truncation),
        ("norm over the last axis only (conv filters split)", _fn_norm_axis1_only),
        ("np.linalg.norm(ord=2): spectral norm of 2-D filters", _fn_spectral_norm),
        ("squared norms ratio ||w||^2/||d||^2", _fn_squared_ratio),
        ("ratio inverted d*||d||/||w||", _fn_inverted_ratio),
        ("len(w) < 2 instead of w.ndim < 2", _fn_len_not_ndim),
        ("w.ndim > 2 required (dense weights zeroed)", _fn_ndim_strict),
        ("conv weights (ndim > 2) returned unchanged", _fn_dense_only),
        ("sum(d_i) == 0 used as the zero-filter test", _fn_sum_zero_test),
        ("zero weight filter keeps d_i unchanged", _fn_zero_weight_keeps_d),
        ("results written into the caller's list", _fn_mutates_list),
        ("output buffer zeros_like(w): int weights truncate", _fn_buffer_like_weights),
        ("returns a generator instead of a list", _fn_generator),
        ("HANGS: loop index not advanced on a zero filter", _fn_hangs_on_zero_filter),
    ],
    "check_plane_coordinates": [
        ("separate projections, cross term d1.d2 ignored", _pc_orthogonal_projection),
        ("dot products only (assumes orthonormal directions)", _pc_unit_orthonormal),
        ("coordinates along the normalised directions", _pc_normalised_directions),
        ("Gram-Schmidt coordinates not converted back", _pc_gram_schmidt_coords),
        ("Gram-Schmidt: alpha left as the plain projection", _pc_gram_schmidt_alpha_unconverted),
        ("returns (beta, alpha)", _pc_swapped),
        ("Cramer's rule with the off-diagonal sign flipped", _pc_cramer_sign),
        ("determinant g11 g22 + g12^2", _pc_cramer_det_plus),
        ("floor division // in Cramer's rule", _pc_floor_division),
        ("|d1.d2| < 1e-8 (absolute) shortcut as orthogonal", _pc_orthogonal_shortcut_abs_tol),
        ("lstsq with rcond=1e-3 drops a small singular value", _pc_lstsq_rcond),
        ("float32 normal equations", _pc_float32),
        ("d1 /= |d1| in place (mutates caller's arrays)", _pc_mutates_inputs),
        ("projects the directions onto delta", _pc_projection_onto_delta),
        ("solves with the first two coordinates only", _pc_two_coordinates_only),
        ("returns the residual norm as the second value", _pc_returns_residual_norm),
        ("|det| < 1e-10 (absolute) judged singular", _pc_det_abs_threshold),
        ("HANGS: gradient descent with an absolute stop test", _pc_hangs_gradient_descent),
    ],
}
