"""Adversarial wrong solutions for notebook 22 (regularisation, data splits, dropout, early
stopping): inverted dropout, a stratified train/validation/test split, and early stopping with
patience.

Written from the exercise statements alone (without reading the checkers). Each entry is a
plausible learner's mistake or a sneaky near-miss; the comment beside it names an input allowed by
the statement on which it differs from a correct solution (checked against a scratch reference
outside the repo). Entries labelled "HANGS:" never return on some inputs.
"""
import math

import numpy as np


# ---------------------------------------------------------------------------------------------
# Exercise 1 — dropout_forward(x, p, training, rng)
# ---------------------------------------------------------------------------------------------

def _do_keep_below_p(x, p, training, rng):
    # witness: p=0.2, training -> keeps u < p (p read as the KEEP probability): ~20% survive
    if not training:
        return x
    if p == 1:
        return np.zeros_like(x)
    keep = rng.random(x.shape) < p
    return keep * x / (1 - p)


def _do_no_rescale(x, p, training, rng):
    # witness: p=0.5, training -> survivors not scaled by 1/(1-p): E[out] = x/2
    if not training:
        return x
    keep = rng.random(x.shape) >= p
    return keep * x


def _do_multiply_by_keep_prob(x, p, training, rng):
    # witness: p=0.5, training -> survivors multiplied by (1 - p) instead of divided
    if not training:
        return x
    keep = rng.random(x.shape) >= p
    return keep * x * (1 - p)


def _do_divide_by_p(x, p, training, rng):
    # witness: p=0.2, training -> survivors divided by p = 0.2 (not 1 - p = 0.8); p=0 divides by 0
    if not training:
        return x
    if p == 1:
        return np.zeros_like(x)
    keep = rng.random(x.shape) >= p
    return keep * x / p


def _do_eval_scaled(x, p, training, rng):
    # witness: p=0.5, training=False -> the classic (non-inverted) test-time scaling x (1 - p)
    if not training:
        return x * (1 - p)
    if p == 1:
        return np.zeros_like(x)
    keep = rng.random(x.shape) >= p
    return keep * x / (1 - p)


def _do_p_one_nan(x, p, training, rng):
    # witness: p=1, training -> 0 * x / 0 = nan everywhere
    if not training:
        return x
    keep = rng.random(x.shape) >= p
    return keep * x / (1 - p)


def _do_training_inverted(x, p, training, rng):
    # witness: training=True -> returns x unchanged (and drops in evaluation mode)
    if training:
        return x
    if p == 1:
        return np.zeros_like(x)
    keep = rng.random(x.shape) >= p
    return keep * x / (1 - p)


def _do_binomial_mask(x, p, training, rng):
    # witness: p=0.5, x of shape (4,) -> rng.binomial(1, 1-p, shape) draws a different mask from
    # the statement's rng.random(x.shape) >= p
    if not training:
        return x
    if p == 1:
        return np.zeros_like(x)
    keep = rng.binomial(1, 1 - p, size=x.shape)
    return keep * x / (1 - p)


def _do_global_random(x, p, training, rng):
    # witness: any training call with 0 < p < 1 -> the mask from np.random.random (the global
    # generator), not from rng
    if not training:
        return x
    if p == 1:
        return np.zeros_like(x)
    keep = np.random.random(x.shape) >= p
    return keep * x / (1 - p)


def _do_mask_per_row(x, p, training, rng):
    # witness: x of shape (2, 3) -> one uniform per row, broadcast along the row (whole rows
    # dropped); also draws fewer numbers
    if not training:
        return x
    if p == 1:
        return np.zeros_like(x)
    shape = x.shape[:1] + (1,) * (x.ndim - 1) if x.ndim else ()
    keep = rng.random(shape) >= p
    return keep * x / (1 - p)


def _do_len_shape(x, p, training, rng):
    # witness: 0-d x -> len(x) raises TypeError; 2-D x -> a mask of shape (len(x),) broadcasts
    # wrongly (or raises)
    if not training:
        return x
    if p == 1:
        return np.zeros_like(x)
    keep = rng.random(len(x)) >= p
    return keep * x / (1 - p)


def _do_mutates_x(x, p, training, rng):
    # witness: training, 0 < p < 1 -> x[~keep] = 0 and x /= (1 - p) change the caller's array
    if not training:
        return x
    if p == 1:
        return np.zeros_like(x)
    keep = rng.random(x.shape) >= p
    x[~keep] = 0
    x /= 1 - p
    return x


def _do_p_one_keeps_all(x, p, training, rng):
    # witness: p=1, training -> "p=1: nothing to do" returns x (every element must be dropped)
    if not training or p == 1:
        return x
    keep = rng.random(x.shape) >= p
    return keep * x / (1 - p)


def _do_p_one_flat_zeros(x, p, training, rng):
    # witness: p=1, x of shape (2, 3) -> np.zeros(x.size): shape (6,), not (2, 3)
    if not training:
        return x
    if p == 1:
        return np.zeros(x.size)
    keep = rng.random(x.shape) >= p
    return keep * x / (1 - p)


def _do_returns_mask_too(x, p, training, rng):
    # witness: training -> returns (out, keep), a tuple, not the array
    if not training:
        return x
    if p == 1:
        return np.zeros_like(x), np.zeros(x.shape, dtype=bool)
    keep = rng.random(x.shape) >= p
    return keep * x / (1 - p), keep


def _do_strict_greater(x, p, training, rng):
    # witness: p=0, training -> "nothing is dropped": returns x.copy() WITHOUT drawing, so the
    # rng is not advanced and every later draw differs (also u > p instead of u >= p, which
    # only matters when u == p exactly)
    if not training:
        return x
    if p == 0:
        return x.copy()
    if p == 1:
        return np.zeros_like(x)
    keep = rng.random(x.shape) > p
    return keep * x / (1 - p)


def _do_transposed_draw(x, p, training, rng):
    # witness: x of shape (2, 3) -> draws rng.random((3, 2)).T: same numbers, wrong positions
    if not training:
        return x
    if p == 1:
        return np.zeros_like(x)
    keep = rng.random(x.shape[::-1]).T >= p
    return keep * x / (1 - p)


def _do_float32(x, p, training, rng):
    # witness: x=[0.1], p=0.3 -> float32 arithmetic: ~1e-8 relative error
    if not training:
        return x
    if p == 1:
        return np.zeros_like(x)
    keep = rng.random(x.shape) >= p
    return (keep * x.astype(np.float32) / np.float32(1 - p)).astype(float)


def _do_int_output(x, p, training, rng):
    # witness: p=0.5 -> np.zeros_like(x, dtype=int) then out[keep] = x / (1-p): truncated
    if not training:
        return x
    out = np.zeros(x.shape, dtype=int)
    if p == 1:
        return out
    keep = rng.random(x.shape) >= p
    out[keep] = (x[keep] / (1 - p)).astype(int)
    return out


def _do_p_zero_shortcut(x, p, training, rng):
    # witness: p=0, training -> returns x.copy() without the one rng.random(x.shape) call the
    # statement asks for: the output is right, but rng is not advanced, so every later draw
    # (the next layer's mask, the next batch's) differs from the reproducible stream
    if not training:
        return x
    if p == 0:
        return x.copy()
    if p == 1:
        return np.zeros_like(x)
    keep = rng.random(x.shape) >= p
    return keep * x / (1 - p)


def _do_empirical_rescale(x, p, training, rng):
    # witness: x of shape (4,), p=0.5 with 3 of 4 kept -> survivors divided by the fraction
    # actually kept (3/4), not by 1 - p (1/2)
    if not training:
        return x
    if p == 1:
        return np.zeros_like(x)
    keep = rng.random(x.shape) >= p
    frac = keep.mean() if keep.any() else 1.0
    return keep * x / frac


def _do_float32_uniforms(x, p, training, rng):
    # witness: x of shape (4,), p=0.5 -> rng.random(x.shape, dtype=np.float32) "to save memory"
    # draws a different stream of uniforms: a different mask
    if not training:
        return x
    if p == 1:
        return np.zeros_like(x)
    keep = rng.random(x.shape, dtype=np.float32) >= p
    return keep * x / (1 - p)


def _do_draws_in_eval(x, p, training, rng):
    # witness: training=False, p=0.5 -> the mask is drawn before the mode is tested: the output
    # is x, but rng moves on although evaluation drops nothing
    keep = rng.random(x.shape) >= p if p < 1 else None
    if not training:
        return x
    if p == 1:
        return np.zeros_like(x)
    return keep * x / (1 - p)


# ---------------------------------------------------------------------------------------------
# Exercise 2 — split_indices(y, fractions, seed) -> (train, val, test)
# ---------------------------------------------------------------------------------------------

def _cut(idx, f_val, f_test, rnd=round):
    n = len(idx)
    nv, nt = int(rnd(f_val * n)), int(rnd(f_test * n))
    nt = min(nt, n - nv)
    return idx[nv + nt:], idx[:nv], idx[nv:nv + nt]


def _cat(parts):
    return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, np.int64)


def _split_by_class(y, fractions, seed, rnd=round, shuffle=True):
    rng = np.random.default_rng(seed)
    y = np.asarray(y)
    tr, va, te = [], [], []
    for c in np.unique(y):
        idx = np.flatnonzero(y == c)
        if shuffle:
            rng.shuffle(idx)
        a, b, d = _cut(idx, fractions[1], fractions[2], rnd)
        tr.append(a), va.append(b), te.append(d)
    return _cat(tr), _cat(va), _cat(te)


def _sp_not_stratified(y, fractions, seed):
    # witness: y=[0,0,0,0,1,1,1,1], fractions (0.5, 0.5, 0) -> one global shuffle and cut: a part
    # can hold 3 of one class (f n_c = 2)
    y = np.asarray(y)
    idx = np.random.default_rng(seed).permutation(len(y))
    return _cut(idx, fractions[1], fractions[2])


def _sp_no_shuffle(y, fractions, seed):
    # witness: y=[0,0], fractions (0.5, 0.5, 0), any seed -> the first example of a class always
    # goes to validation: not random, the seed does nothing
    return _split_by_class(y, fractions, seed, shuffle=False)


def _sp_floor(y, fractions, seed):
    # witness: y = ten 0s, fractions (0.42, 0.29, 0.29) -> floor: val 2, test 2, train 6
    # (f n = 4.2: off by 1.8)
    return _split_by_class(y, fractions, seed, rnd=math.floor)


def _sp_ceil(y, fractions, seed):
    # witness: y = ten 0s, fractions (0.78, 0.11, 0.11) -> ceil: val 2, test 2, train 6
    # (f n = 7.8: off by 1.8)
    return _split_by_class(y, fractions, seed, rnd=math.ceil)


def _sp_global_numpy_random(y, fractions, seed):
    # witness: any call -> np.random.seed(seed) + np.random.shuffle change NumPy's global state
    np.random.seed(seed)
    y = np.asarray(y)
    tr, va, te = [], [], []
    for c in np.unique(y):
        idx = np.flatnonzero(y == c)
        np.random.shuffle(idx)
        a, b, d = _cut(idx, fractions[1], fractions[2])
        tr.append(a), va.append(b), te.append(d)
    return _cat(tr), _cat(va), _cat(te)


def _sp_at_least_one(y, fractions, seed):
    # witness: fractions (0.8, 0.2, 0) -> max(1, ...) puts one example in the test part although
    # f_test = 0
    rng = np.random.default_rng(seed)
    y = np.asarray(y)
    tr, va, te = [], [], []
    for c in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == c))
        n = len(idx)
        nv = min(max(1, round(fractions[1] * n)), n)
        nt = min(max(1, round(fractions[2] * n)), n - nv)
        va.append(idx[:nv]), te.append(idx[nv:nv + nt]), tr.append(idx[nv + nt:])
    return _cat(tr), _cat(va), _cat(te)


def _sp_test_gets_rest(y, fractions, seed):
    # witness: y=[0], fractions (0.5, 0.5, 0) -> train round(0.5) = 0, val round(0.5) = 0, the
    # test part gets the remainder although f_test = 0
    rng = np.random.default_rng(seed)
    y = np.asarray(y)
    tr, va, te = [], [], []
    for c in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == c))
        n = len(idx)
        nt_ = min(round(fractions[0] * n), n)
        nv = min(round(fractions[1] * n), n - nt_)
        tr.append(idx[:nt_]), va.append(idx[nt_:nt_ + nv]), te.append(idx[nt_ + nv:])
    return _cat(tr), _cat(va), _cat(te)


def _sp_local_indices(y, fractions, seed):
    # witness: y=[1,0,1,0] -> returns positions within each class (0, 1, ...) instead of indices
    # into y
    rng = np.random.default_rng(seed)
    y = np.asarray(y)
    tr, va, te = [], [], []
    for c in np.unique(y):
        n = int(np.sum(y == c))
        idx = rng.permutation(n)
        a, b, d = _cut(idx, fractions[1], fractions[2])
        tr.append(a), va.append(b), te.append(d)
    return _cat(tr), _cat(va), _cat(te)


def _sp_boolean_masks(y, fractions, seed):
    # witness: any y -> three boolean masks of length N instead of index arrays
    tr, va, te = _split_by_class(y, fractions, seed)
    n = len(y)
    out = []
    for part in (tr, va, te):
        m = np.zeros(n, dtype=bool)
        m[part] = True
        out.append(m)
    return tuple(out)


def _sp_float_empty(y, fractions, seed):
    # witness: f_test = 0 -> the empty test part is np.array([]) of dtype float64 (the statement:
    # an empty integer array); np.concatenate of python lists also gives float
    rng = np.random.default_rng(seed)
    y = np.asarray(y)
    tr, va, te = [], [], []
    for c in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == c))
        a, b, d = _cut(idx, fractions[1], fractions[2])
        tr += a.tolist()
        va += b.tolist()
        te += d.tolist()
    return np.array(tr), np.array(va), np.array(te)


def _sp_range_of_labels(y, fractions, seed):
    # witness: y=[-1, -1, 0] -> classes taken as range(max(y) + 1): the class -1 is lost
    rng = np.random.default_rng(seed)
    y = np.asarray(y)
    tr, va, te = [], [], []
    for c in range(int(y.max()) + 1):
        idx = rng.permutation(np.flatnonzero(y == c))
        a, b, d = _cut(idx, fractions[1], fractions[2])
        tr.append(a), va.append(b), te.append(d)
    return _cat(tr), _cat(va), _cat(te)


def _sp_mutates_y(y, fractions, seed):
    # witness: any y -> marks used examples with y[idx] = -10**9 in the caller's array
    rng = np.random.default_rng(seed)
    labels = np.unique(y)
    tr, va, te = [], [], []
    for c in labels:
        idx = rng.permutation(np.flatnonzero(y == c))
        y[idx] = -10 ** 9
        a, b, d = _cut(idx, fractions[1], fractions[2])
        tr.append(a), va.append(b), te.append(d)
    return _cat(tr), _cat(va), _cat(te)


def _sp_ignores_seed(y, fractions, seed):
    # witness: seeds 0 and 1 -> the same split (default_rng(0) hard-coded)
    return _split_by_class(y, fractions, 0)


def _sp_independent_assignment(y, fractions, seed):
    # witness: y = ten 0s, fractions (0.6, 0.2, 0.2) -> each example sent to a part at random
    # with probabilities fractions: the counts are binomial, often off by more than 1
    rng = np.random.default_rng(seed)
    part = rng.choice(3, size=len(y), p=list(fractions))
    return tuple(np.flatnonzero(part == k) for k in range(3))


def _sp_sattolo(y, fractions, seed):
    # witness: y=[0,0], fractions (0.5, 0.5, 0) -> a hand-written Fisher-Yates with
    # j = rng.integers(0, i) (should be i + 1) is Sattolo's algorithm: only cyclic permutations,
    # so an example never keeps its place (the first example always moves: biased)
    rng = np.random.default_rng(seed)
    y = np.asarray(y)
    tr, va, te = [], [], []
    for c in np.unique(y):
        idx = np.flatnonzero(y == c)
        for i in range(len(idx) - 1, 0, -1):
            j = int(rng.integers(0, i))
            idx[i], idx[j] = idx[j], idx[i]
        a, b, d = _cut(idx, fractions[1], fractions[2])
        tr.append(a), va.append(b), te.append(d)
    return _cat(tr), _cat(va), _cat(te)


def _sp_shuffle_skips_first(y, fractions, seed):
    # witness: y=[0,0,0], fractions (1/3, 1/3, 1/3) -> shuffles idx[1:] only: the first example
    # of each class always goes to validation (the first piece)
    rng = np.random.default_rng(seed)
    y = np.asarray(y)
    tr, va, te = [], [], []
    for c in np.unique(y):
        idx = np.flatnonzero(y == c)
        rest = idx[1:].copy()
        rng.shuffle(rest)
        idx = np.concatenate([idx[:1], rest])
        a, b, d = _cut(idx, fractions[1], fractions[2])
        tr.append(a), va.append(b), te.append(d)
    return _cat(tr), _cat(va), _cat(te)


def _sp_fractions_of_N(y, fractions, seed):
    # witness: y=[0,0,0,0,0,0,1,1], fractions (0.5, 0.5, 0) -> part sizes round(f N) = 4 taken
    # per class in turn (class 0 fills validation: 4 of its 6, f n_c = 3)
    rng = np.random.default_rng(seed)
    y = np.asarray(y)
    n = len(y)
    nv = round(fractions[1] * n)
    nt = min(round(fractions[2] * n), n - nv)
    order = np.concatenate([rng.permutation(np.flatnonzero(y == c)) for c in np.unique(y)])
    return order[nv + nt:], order[:nv], order[nv:nv + nt]


def _sp_coin_flip_sort(y, fractions, seed):
    # witness: y=[0,0], fractions (0.5, 0.5, 0) -> "shuffle" by a stable argsort of coin flips:
    # not a uniform permutation, example 0 lands first (in validation) 3/4 of the time
    rng = np.random.default_rng(seed)
    y = np.asarray(y)
    tr, va, te = [], [], []
    for c in np.unique(y):
        idx = np.flatnonzero(y == c)
        idx = idx[np.argsort(rng.random(len(idx)) > 0.5, kind="stable")]
        a, b, d = _cut(idx, fractions[1], fractions[2])
        tr.append(a), va.append(b), te.append(d)
    return _cat(tr), _cat(va), _cat(te)


def _sp_stochastic_rounding(y, fractions, seed):
    # witness: y = ten 0s, fractions (0.42, 0.29, 0.29) -> val and test sizes rounded up or down
    # at random (floor + Bernoulli(frac)): both up gives val 3, test 3, train 4 (f n = 4.2: ok),
    # both down gives train 6 (off by 1.8)
    rng = np.random.default_rng(seed)
    y = np.asarray(y)
    tr, va, te = [], [], []
    for c in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == c))
        n = len(idx)
        fv, ft = fractions[1] * n, fractions[2] * n
        nv = int(fv) + int(rng.random() < fv - int(fv))
        nt = min(int(ft) + int(rng.random() < ft - int(ft)), n - nv)
        va.append(idx[:nv]), te.append(idx[nv:nv + nt]), tr.append(idx[nv + nt:])
    return _cat(tr), _cat(va), _cat(te)


def _sp_unseeded(y, fractions, seed):
    # witness: the same (y, fractions, seed) twice -> default_rng() without the seed draws fresh
    # OS entropy: two calls give different splits (not reproducible)
    rng = np.random.default_rng()
    y = np.asarray(y)
    tr, va, te = [], [], []
    for c in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == c))
        a, b, d = _cut(idx, fractions[1], fractions[2])
        tr.append(a), va.append(b), te.append(d)
    return _cat(tr), _cat(va), _cat(te)


def _sp_test_from_sorted_rest(y, fractions, seed):
    # witness: y = six 0s, fractions (1/3, 1/3, 1/3) -> validation drawn at random, but the test
    # part is cut from the SORTED remainder: it always takes the smallest remaining indices
    # (example 0 is never in train)
    rng = np.random.default_rng(seed)
    y = np.asarray(y)
    tr, va, te = [], [], []
    for c in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == c))
        n = len(idx)
        nv = round(fractions[1] * n)
        nt = min(round(fractions[2] * n), n - nv)
        rest = np.sort(idx[nv:])
        va.append(idx[:nv]), te.append(rest[:nt]), tr.append(rest[nt:])
    return _cat(tr), _cat(va), _cat(te)


def _sp_singleton_to_test(y, fractions, seed):
    # witness: y=[0, 0, 1], fractions (0.5, 0.5, 0) -> "a class of one is too small to split:
    # keep it for testing": the test part is not empty although f_test = 0
    rng = np.random.default_rng(seed)
    y = np.asarray(y)
    tr, va, te = [], [], []
    for c in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == c))
        if len(idx) == 1:
            te.append(idx)
            continue
        a, b, d = _cut(idx, fractions[1], fractions[2])
        tr.append(a), va.append(b), te.append(d)
    return _cat(tr), _cat(va), _cat(te)


def _sp_stdlib_random(y, fractions, seed):
    # witness: any call -> random.seed(seed) + random.shuffle: reproducible and random, but it
    # changes Python's global random state and does not use np.random.default_rng(seed)
    import random
    random.seed(seed)
    y = np.asarray(y)
    tr, va, te = [], [], []
    for c in np.unique(y):
        idx = np.flatnonzero(y == c).tolist()
        random.shuffle(idx)
        a, b, d = _cut(np.array(idx, dtype=np.int64), fractions[1], fractions[2])
        tr.append(a), va.append(b), te.append(d)
    return _cat(tr), _cat(va), _cat(te)


def _sp_rotation(y, fractions, seed):
    # witness: y=[0, 0, 0, 0], fractions (0.5, 0.5, 0) -> a random ROTATION of each class's
    # indices instead of a shuffle: uniform marginals, but examples 0 and 2 are never together
    # in validation (a uniform shuffle: 1/6 of the seeds)
    rng = np.random.default_rng(seed)
    y = np.asarray(y)
    tr, va, te = [], [], []
    for c in np.unique(y):
        idx = np.flatnonzero(y == c)
        idx = np.roll(idx, int(rng.integers(len(idx))))
        a, b, d = _cut(idx, fractions[1], fractions[2])
        tr.append(a), va.append(b), te.append(d)
    return _cat(tr), _cat(va), _cat(te)


# ---------------------------------------------------------------------------------------------
# Exercise 3 — early_stopping(val_losses, patience) -> (best_epoch, stop_epoch)
# ---------------------------------------------------------------------------------------------

def _es_tie_improves(val_losses, patience):
    # witness: [1.0, 1.0, 2.0], patience=2 -> a tie counts as an improvement: (2, 3) not (1, 3)
    best, be = math.inf, 0
    for e, L in enumerate(val_losses, 1):
        if L <= best:
            best, be = L, e
        elif e - be >= patience:
            return be, e
    return be, len(val_losses)


def _es_zero_based(val_losses, patience):
    # witness: [3.0, 2.0, 2.5, 2.2, 1.9], 2 -> (1, 3): epochs counted from 0
    best, be = math.inf, -1
    for e, L in enumerate(val_losses):
        if L < best:
            best, be = L, e
        elif e - be >= patience:
            return be, e
    return be, len(val_losses) - 1


def _es_patience_plus_one(val_losses, patience):
    # witness: [3.0, 2.0, 2.5, 2.2, 1.9], 2 -> waits one epoch too long ("counter > patience"):
    # sees the 1.9, (5, 5) not (2, 4)
    best, be = math.inf, 0
    for e, L in enumerate(val_losses, 1):
        if L < best:
            best, be = L, e
        elif e - be > patience:
            return be, e
    return be, len(val_losses)


def _es_patience_minus_one(val_losses, patience):
    # witness: [3.0, 2.0, 2.5, 2.2, 1.9], 2 -> stops one epoch early: (2, 3) not (2, 4)
    best, be = math.inf, 0
    for e, L in enumerate(val_losses, 1):
        if L < best:
            best, be = L, e
        elif e - be >= patience - 1:
            return be, e
    return be, len(val_losses)


def _es_global_argmin(val_losses, patience):
    # witness: [3.0, 2.0, 2.5, 2.2, 1.9], 2 -> best epoch 5 from argmin over ALL losses, (5, 4)
    best, be = math.inf, 0
    stop = len(val_losses)
    for e, L in enumerate(val_losses, 1):
        if L < best:
            best, be = L, e
        elif e - be >= patience:
            stop = e
            break
    return int(np.argmin(val_losses)) + 1, stop


def _es_best_plus_patience(val_losses, patience):
    # witness: [3.0, 2.0], patience=3 -> stop = best + patience = 5 > n = 2 (training ran out)
    best, be = math.inf, 0
    for e, L in enumerate(val_losses, 1):
        if L < best:
            best, be = L, e
        elif e - be >= patience:
            break
    return be, be + patience


def _es_compares_previous(val_losses, patience):
    # witness: [1.0, 3.0, 2.0, 2.5], 2 -> "improvement" = lower than the previous epoch: 2.0 < 3.0
    # resets the count, (1, 4) not (1, 3)
    prev, count = math.inf, 0
    best, be = math.inf, 0
    for e, L in enumerate(val_losses, 1):
        if L < best:
            best, be = L, e
        count = 0 if L < prev else count + 1
        prev = L
        if count >= patience:
            return be, e
    return be, len(val_losses)


def _es_min_delta(val_losses, patience):
    # witness: [1.0, 0.99995, 0.9999], 1 -> an improvement must beat the best by 1e-4: (1, 2)
    # not (3, 3)
    best, be = math.inf, 0
    for e, L in enumerate(val_losses, 1):
        if L < best - 1e-4:
            best, be = L, e
        elif e - be >= patience:
            return be, e
    return be, len(val_losses)


def _es_list_sentinel(val_losses, patience):
    # witness: a list [1.0, 2.0] -> appends a +inf sentinel to the caller's list (the result is
    # right; the caller's list grows by one each call)
    if isinstance(val_losses, list):
        val_losses.append(math.inf)
        losses = val_losses
    else:
        losses = list(val_losses) + [math.inf]
    best, be = math.inf, 0
    n = len(losses) - 1
    for e in range(1, n + 1):
        L = losses[e - 1]
        if L < best:
            best, be = L, e
        elif e - be >= patience:
            return be, e
    return be, n


def _es_tie_resets_counter(val_losses, patience):
    # witness: [1.0, 2.0, 1.0, 2.0], 2 -> a tie with the best resets the patience count without
    # becoming the best: (1, 4) not (1, 3)
    best, be, since = math.inf, 0, 0
    for e, L in enumerate(val_losses, 1):
        if L < best:
            best, be, since = L, e, 0
        elif L == best:
            since = 0
        else:
            since += 1
        if since >= patience:
            return be, e
    return be, len(val_losses)


def _es_argmin_slice_off_by_one(val_losses, patience):
    # witness: [3.0, 2.0, 1.0], 5 -> best from argmin(losses[:stop - 1]): the last epoch is left
    # out, (2, 3) not (3, 3)
    best, be = math.inf, 0
    stop = len(val_losses)
    for e, L in enumerate(val_losses, 1):
        if L < best:
            best, be = L, e
        elif e - be >= patience:
            stop = e
            break
    head = list(val_losses[:max(stop - 1, 1)])
    return int(np.argmin(head)) + 1, stop


def _es_list_only(val_losses, patience):
    # witness: a NumPy array -> val_losses.index(...) raises AttributeError
    best = val_losses[0]
    be = 1
    for e in range(2, len(val_losses) + 1):
        L = val_losses[e - 1]
        if L < best:
            best, be = L, e
        elif e - be >= patience:
            return val_losses.index(best) + 1, e
    return val_losses.index(best) + 1, len(val_losses)


def _es_returns_floats(val_losses, patience):
    # witness: any input -> epochs as floats from np.argmin arithmetic on a float array:
    # (2.0, 4.0) instead of ints
    best, be = math.inf, 0.0
    for e, L in zip(np.arange(1.0, len(val_losses) + 1), val_losses):
        if L < best:
            best, be = L, e
        elif e - be >= patience:
            return be, e
    return be, float(len(val_losses))


def _es_rounded_compare(val_losses, patience):
    # witness: [1.0, 0.9999999], 1 -> losses rounded to 6 decimals: the tiny improvement is a tie,
    # (1, 2) not (2, 2)
    best, be = math.inf, 0
    for e, L in enumerate(val_losses, 1):
        if round(L, 6) < round(best, 6) if best != math.inf else True:
            best, be = L, e
        elif e - be >= patience:
            return be, e
    return be, len(val_losses)


def _es_first_epoch_index_zero(val_losses, patience):
    # witness: [2.0, 3.0, 4.0], 2 -> best initialised to epoch 1's loss but best_epoch = 0 (an
    # index): when epoch 1 stays the best, returns (0, 2) not (1, 3)
    best, be = val_losses[0], 0
    for e in range(2, len(val_losses) + 1):
        L = val_losses[e - 1]
        if L < best:
            best, be = L, e
        elif e - be >= patience:
            return be, e
    return be, len(val_losses)


def _es_hangs_on_tie(val_losses, patience):
    # witness: [1.0, 1.0, 2.0], 2 -> a while loop that only advances the epoch on an improvement
    # or an increase: a tie is neither, the index never moves
    best, be, e = math.inf, 0, 1
    n = len(val_losses)
    while e <= n:
        L = val_losses[e - 1]
        if L < best:
            best, be = L, e
            e += 1
        elif L > best:
            if e - be >= patience:
                return be, e
            e += 1
        elif e - be >= patience:
            return be, e
    return be, n


def _es_last_minimum(val_losses, patience):
    # witness: [2.0, 1.0, 1.0, 1.0, 0.5], patience 2 -> stop right (4), but the best epoch is the
    # LAST epoch with the smallest loss among 1..stop: 4 (not 2)
    best, be = math.inf, 0
    stop = len(val_losses)
    for e, L in enumerate(val_losses, 1):
        if L < best:
            best, be = L, e
        elif e - be >= patience:
            stop = e
            break
    head = np.asarray(val_losses[:stop], dtype=float)
    return int(len(head) - 1 - np.argmin(head[::-1])) + 1, stop


def _es_looks_one_ahead(val_losses, patience):
    # witness: [3.0, 2.0, 2.5, 2.2, 1.9], 2 -> "peeks" at the next epoch before stopping: does not
    # stop at 4 because epoch 5 improves, (5, 5) — it looks at a loss after the stopping epoch
    best, be = math.inf, 0
    n = len(val_losses)
    for e, L in enumerate(val_losses, 1):
        if L < best:
            best, be = L, e
        elif e - be >= patience:
            if e < n and val_losses[e] < best:
                continue
            return be, e
    return be, n


def _es_isclose_tie(val_losses, patience):
    # witness: [1.0, 1.0 - 1e-9], patience 1 -> np.isclose calls the strictly smaller loss a tie:
    # (1, 2) not (2, 2)
    best, be = math.inf, 0
    for e, L in enumerate(val_losses, 1):
        if L < best and not np.isclose(L, best):
            best, be = L, e
        elif e - be >= patience:
            return be, e
    return be, len(val_losses)


def _es_skips_last_epoch(val_losses, patience):
    # witness: [3.0, 2.0, 1.0], patience 5 -> range(1, n) never looks at epoch n: (2, 3) not (3, 3)
    best, be = math.inf, 0
    n = len(val_losses)
    for e in range(1, n):
        L = val_losses[e - 1]
        if L < best:
            best, be = L, e
        elif e - be >= patience:
            return be, e
    return max(be, 1), n


def _es_returns_list(val_losses, patience):
    # witness: any input -> [best_epoch, stop_epoch], a list (the statement: a tuple of two ints)
    best, be = math.inf, 0
    for e, L in enumerate(val_losses, 1):
        if L < best:
            best, be = L, e
        elif e - be >= patience:
            return [be, e]
    return [be, len(val_losses)]


WRONG = {
    "check_dropout_forward": [
        ("keeps u < p (p as the keep probability)", _do_keep_below_p),
        ("survivors not rescaled", _do_no_rescale),
        ("survivors multiplied by (1 - p)", _do_multiply_by_keep_prob),
        ("survivors divided by p", _do_divide_by_p),
        ("evaluation mode scales by (1 - p)", _do_eval_scaled),
        ("p = 1 divides by zero: nan", _do_p_one_nan),
        ("training flag inverted", _do_training_inverted),
        ("rng.binomial mask instead of rng.random >= p", _do_binomial_mask),
        ("global np.random instead of rng", _do_global_random),
        ("one uniform per row (whole rows dropped)", _do_mask_per_row),
        ("rng.random(len(x)): 0-d and 2-D x break", _do_len_shape),
        ("x[~keep] = 0; x /= 1 - p in place", _do_mutates_x),
        ("p = 1 returns x", _do_p_one_keeps_all),
        ("p = 1 returns flat zeros(x.size)", _do_p_one_flat_zeros),
        ("returns (out, mask)", _do_returns_mask_too),
        ("p = 0 returns x.copy() without drawing; u > p", _do_strict_greater),
        ("mask drawn transposed", _do_transposed_draw),
        ("float32 arithmetic", _do_float32),
        ("integer output array", _do_int_output),
        ("p = 0 shortcut without drawing: rng not advanced", _do_p_zero_shortcut),
        ("survivors divided by the fraction actually kept", _do_empirical_rescale),
        ("float32 uniforms: a different stream", _do_float32_uniforms),
        ("mask drawn in evaluation mode too", _do_draws_in_eval),
    ],
    "check_split_indices": [
        ("not stratified: one global shuffle", _sp_not_stratified),
        ("no shuffle: the seed does nothing", _sp_no_shuffle),
        ("floor of f n for validation and test", _sp_floor),
        ("ceil of f n for validation and test", _sp_ceil),
        ("np.random.seed + np.random.shuffle (global state)", _sp_global_numpy_random),
        ("at least one example per part (f = 0 not empty)", _sp_at_least_one),
        ("train and val rounded, test gets the rest", _sp_test_gets_rest),
        ("positions within the class instead of indices", _sp_local_indices),
        ("boolean masks instead of index arrays", _sp_boolean_masks),
        ("float64 arrays (empty part np.array([]))", _sp_float_empty),
        ("classes range(max(y) + 1): negative labels lost", _sp_range_of_labels),
        ("y[idx] = ... marks the caller's labels", _sp_mutates_y),
        ("seed ignored: default_rng(0)", _sp_ignores_seed),
        ("each example assigned independently with p = fractions", _sp_independent_assignment),
        ("Sattolo's shuffle (j < i): biased", _sp_sattolo),
        ("shuffle skips the first example of each class", _sp_shuffle_skips_first),
        ("part sizes from round(f N), classes concatenated", _sp_fractions_of_N),
        ("stable argsort of coin flips as the shuffle: biased", _sp_coin_flip_sort),
        ("stochastic rounding of the part sizes", _sp_stochastic_rounding),
        ("default_rng() without the seed: not reproducible", _sp_unseeded),
        ("test part cut from the sorted remainder", _sp_test_from_sorted_rest),
        ("a class of one goes to test (f_test = 0 not empty)", _sp_singleton_to_test),
        ("random.seed + random.shuffle (Python's global state)", _sp_stdlib_random),
        ("a random rotation instead of a shuffle", _sp_rotation),
    ],
    "check_early_stopping": [
        ("a tie counts as an improvement (<=)", _es_tie_improves),
        ("epochs counted from 0", _es_zero_based),
        ("stops one epoch late (counter > patience)", _es_patience_plus_one),
        ("stops one epoch early (patience - 1)", _es_patience_minus_one),
        ("best epoch = argmin over all losses (looks past the stop)", _es_global_argmin),
        ("stop = best + patience even past n", _es_best_plus_patience),
        ("improvement measured against the previous epoch", _es_compares_previous),
        ("min_delta 1e-4 for an improvement", _es_min_delta),
        ("appends a sentinel to the caller's list", _es_list_sentinel),
        ("a tie resets the patience count", _es_tie_resets_counter),
        ("best from argmin(losses[:stop - 1])", _es_argmin_slice_off_by_one),
        ("list.index: NumPy arrays raise", _es_list_only),
        ("epochs returned as floats", _es_returns_floats),
        ("losses rounded to 6 decimals before comparing", _es_rounded_compare),
        ("epoch 1 recorded as best epoch 0", _es_first_epoch_index_zero),
        ("HANGS: while loop never advances on a tie", _es_hangs_on_tie),
        ("best epoch = the LAST minimum among 1..stop", _es_last_minimum),
        ("peeks at the next epoch's loss before stopping", _es_looks_one_ahead),
        ("np.isclose(L, best) treated as a tie", _es_isclose_tie),
        ("range(1, n): the last epoch never looked at", _es_skips_last_epoch),
        ("returns a list [best, stop]", _es_returns_list),
    ],
}
