"""Adversarial wrong solutions for notebook 23 (neurons, logic gates, activations): a softmax that
does not overflow, XOR from three step neurons, and the derivative of the exact GELU.

Written from the exercise statements alone (without reading the checkers). Each entry is a
plausible learner's mistake or a sneaky near-miss; the comment beside it names an input allowed by
the statement on which it differs from a correct solution (checked against a scratch reference
outside the repo). Entries labelled "HANGS:" never return on some inputs.
"""
import math

import numpy as np


# ---------------------------------------------------------------------------------------------
# Exercise 1 — softmax(z), along the last axis, no overflow
# ---------------------------------------------------------------------------------------------

def _sm_naive(z):
    # witness: z=[1000., 0.] -> exp(1000) = inf, inf/inf = nan (true [1, 0])
    e = np.exp(np.asarray(z, dtype=float))
    return e / e.sum(axis=-1, keepdims=True)


def _sm_global_max(z):
    # witness: z=[[0., 1.], [5000., 5001.]] -> row 0 underflows to 0/0 = nan after z - 5001
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max())
    return e / e.sum(axis=-1, keepdims=True)


def _sm_subtract_min(z):
    # witness: z=[0., 1000.] -> exp(1000 - 0) overflows (true [0, 1])
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.min(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _sm_subtract_mean(z):
    # witness: z=[0., 2000.] -> exp(1000) overflows (true [0, 1])
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.mean(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _sm_axis0(z):
    # witness: z=[[0., 1.], [2., 3.]] -> columns normalised (each column [0.12, 0.88])
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _sm_no_keepdims(z):
    # witness: z=[[0., 1.], [2., 3.]] -> (N,) max broadcast along the last axis (row i - max j)
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=-1))
    return e / e.sum(axis=-1)


def _sm_whole_array(z):
    # witness: z=[[0., 0.], [0., 0.]] -> 0.25 everywhere (rows must each sum to 1: 0.5)
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max())
    return e / e.sum()


def _sm_mutates_input(z):
    # witness: z=np.array([1., 2.]) -> caller's z becomes [-1., 0.] (in-place shift)
    z -= np.max(z, axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def _sm_int_buffer(z):
    # witness: z=np.array([1, 2]) -> empty_like keeps int: probabilities truncated to [0, 0]
    out = np.empty_like(z)
    shifted = z - np.max(z, axis=-1, keepdims=True)
    e = np.exp(shifted)
    out[...] = e / e.sum(axis=-1, keepdims=True)
    return out


def _sm_clip_logits(z):
    # witness: z=[1000., 999.] -> both clipped to 500: [0.5, 0.5] (true [0.731, 0.269])
    z = np.clip(np.asarray(z, dtype=float), -500, 500)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def _sm_float32(z):
    # witness: z=[0., 20.] -> float32 result 2.06e-9 carries only ~7 digits; [0., 1e-7] gives
    # [0.49999997, 0.50000003] rounded to float32
    z = np.asarray(z, dtype=np.float32)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _sm_naive_logsumexp(z):
    # witness: z=[1000., 1000.] -> log(sum(exp z)) = inf, exp(z - inf) = 0 (true [0.5, 0.5])
    z = np.asarray(z, dtype=float)
    lse = np.log(np.exp(z).sum(axis=-1, keepdims=True))
    return np.exp(z - lse)


def _sm_axis1(z):
    # axis=1 instead of the last axis: same for (N, K), wrong for (B, N, K);
    # witness: z=np.zeros((1, 2, 3)) -> 0.5 everywhere (rows of 3 must give 1/3)
    z = np.asarray(z, dtype=float)
    if z.ndim == 1:
        e = np.exp(z - z.max())
        return e / e.sum()
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _sm_apply_along_axis(z):            # not registered: the text now says non-empty
    # witness: z=np.zeros((0, 3)) (an empty batch) -> np.apply_along_axis raises ValueError
    def row(r):
        e = np.exp(r - r.max())
        return e / e.sum()
    return np.apply_along_axis(row, -1, np.asarray(z, dtype=float))


# ---------------------------------------------------------------------------------------------
# Exercise 2 — xor_weights() -> (W1, b1, w2, b2), step(z) = 1 if z > 0
# ---------------------------------------------------------------------------------------------

def _xor_columns_are_units():
    # hidden 1 = OR (2x1 + 2x2 - 1), hidden 2 = AND (x1 + x2 - 1.5), output h1 - 2 h2 - 0.5,
    # but W1 is written with each unit in a COLUMN: row 0 gives 2x1 + x2 - 1, which is 0 at (0, 1)
    W1 = np.array([[2.0, 1.0], [2.0, 1.0]])
    return W1, np.array([-1.0, -1.5]), np.array([1.0, -2.0]), -0.5


def _xor_step_ge_zero():
    # designed for step(z) = 1 if z >= 0: OR = x1 + x2 - 1 is exactly 0 at (1, 0) -> step gives 0
    W1 = np.array([[1.0, 1.0], [1.0, 1.0]])
    return W1, np.array([-1.0, -2.0]), np.array([1.0, -1.0]), -1.0


def _xor_thin_hidden_margin():
    # truth table right, but AND unit x1 + x2 - 1.95 is only 0.05 from 0 at (1, 1)
    W1 = np.array([[1.0, 1.0], [1.0, 1.0]])
    return W1, np.array([-0.5, -1.95]), np.array([1.0, -2.0]), -0.5


def _xor_thin_output_margin():
    # truth table right, hidden margins 0.5, but output h1 - h2 - 0.95 is 0.05 at (1, 0)
    W1 = np.array([[1.0, 1.0], [1.0, 1.0]])
    return W1, np.array([-0.5, -1.5]), np.array([1.0, -1.0]), -0.95


def _xor_computes_xnor():
    # output sign flipped: -h1 + 2 h2 + 0.5 is XNOR (1 on (0, 0) and (1, 1))
    W1 = np.array([[1.0, 1.0], [1.0, 1.0]])
    return W1, np.array([-0.5, -1.5]), np.array([-1.0, 2.0]), 0.5


def _xor_or_only():
    # second hidden unit ignored (w2 = [1, 0]): y = OR, wrong on (1, 1)
    W1 = np.array([[1.0, 1.0], [1.0, 1.0]])
    return W1, np.array([-0.5, -1.5]), np.array([1.0, 0.0]), -0.5


def _xor_and_of_or_and():
    # output h1 AND h2 with hidden (OR, AND): that is AND, not XOR (NAND needed, not AND)
    W1 = np.array([[1.0, 1.0], [1.0, 1.0]])
    return W1, np.array([-0.5, -1.5]), np.array([1.0, 1.0]), -1.5


def _xor_pm1_inputs():
    # designed for inputs in {-1, +1}: OR = x1 + x2 + 1, AND = x1 + x2 - 1; on {0, 1} the
    # OR unit fires on (0, 0) (pre-activation 1) and the AND unit is 0 at (1, 0)
    W1 = np.array([[1.0, 1.0], [1.0, 1.0]])
    return W1, np.array([1.0, -1.0]), np.array([1.0, -2.0]), -0.5


def _xor_order_b1_w2_swapped():
    # right numbers, returned as (W1, w2, b1, b2): b1 = [1, -2] makes OR always fire
    W1 = np.array([[1.0, 1.0], [1.0, 1.0]])
    b1, w2 = np.array([-0.5, -1.5]), np.array([1.0, -2.0])
    return W1, w2, b1, -0.5


def _xor_column_biases():
    # b1 and w2 as columns (2, 1): W1 @ x + b1 broadcasts to (2, 2) — not the shapes asked for
    W1 = np.array([[1.0, 1.0], [1.0, 1.0]])
    return W1, np.array([[-0.5], [-1.5]]), np.array([[1.0], [-2.0]]), -0.5


def _xor_forgets_b2():
    # returns three arrays: b2 folded into ... nothing (output unit always has threshold 0)
    W1 = np.array([[1.0, 1.0], [1.0, 1.0]])
    return W1, np.array([-0.5, -1.5]), np.array([1.0, -2.0])


def _xor_flat_W1():
    # W1 flattened to shape (4,) [w11, w12, w21, w22]
    return np.array([1.0, 1.0, 1.0, 1.0]), np.array([-0.5, -1.5]), np.array([1.0, -2.0]), -0.5


def _xor_b2_vector():
    # b2 given per hidden unit, shape (2,) — the output has ONE bias
    W1 = np.array([[1.0, 1.0], [1.0, 1.0]])
    return W1, np.array([-0.5, -1.5]), np.array([1.0, -2.0]), np.array([-0.25, -0.25])


def _xor_hangs_search():
    # HANGS: integer grid search for margin >= 1 with |weights| <= 1 — impossible, never stops
    rng = np.random.default_rng(0)
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    while True:
        W1 = rng.integers(-1, 2, (2, 2)).astype(float)
        b1 = rng.integers(-1, 2, 2) * 0.5
        w2 = rng.integers(-1, 2, 2).astype(float)
        b2 = float(rng.integers(-1, 2)) * 0.5
        pre_h = X @ W1.T + b1
        pre_y = (pre_h > 0) @ w2 + b2
        if np.abs(pre_h).min() >= 1 and np.abs(pre_y).min() >= 1 and \
                np.array_equal(pre_y > 0, X[:, 0] != X[:, 1]):
            return W1, b1, w2, b2


# ---------------------------------------------------------------------------------------------
# Exercise 3 — gelu_grad(x) = Phi(x) + x phi(x), 12 digits, tails and huge |x|
# ---------------------------------------------------------------------------------------------

_SQRT2 = math.sqrt(2.0)
_SQRT2PI = math.sqrt(2.0 * math.pi)
_erf = np.vectorize(math.erf, otypes=[float])
_erfc = np.vectorize(math.erfc, otypes=[float])


def _phi(x):
    return np.exp(-0.5 * x * x) / _SQRT2PI


def _gg_textbook_erf(x):
    # witness: x=-10 -> 0.5 (1 + erf(-7.07)) = 0 exactly (true Phi = 7.6e-24), so the result
    # is -10 phi(-10) alone: relative error ~1e-3; x=-40 worse
    x = np.asarray(x, dtype=float)
    return 0.5 * (1.0 + _erf(x / _SQRT2)) + x * _phi(x)


def _gg_one_minus_erfc(x):
    # Phi written as 1 - Q(x), Q(x) = erfc(x/sqrt2)/2: cancellation in the left tail;
    # witness: x=-8 -> Phi(-8) = 6.2e-16 comes out as 6.7e-16 (relative error ~1e-2 vs 4e-14)
    x = np.asarray(x, dtype=float)
    return 1.0 - 0.5 * _erfc(x / _SQRT2) + x * _phi(x)


def _gg_erf_switch_at_minus8(x):
    # erfc only below -8, the textbook erf above: x=-6 -> Phi(-6) = 9.9e-10 has ~7 digits,
    # relative error ~1e-8 vs Phi + |x| phi = 3.7e-8
    x = np.asarray(x, dtype=float)
    Phi = np.where(x < -8, 0.5 * _erfc(-x / _SQRT2), 0.5 * (1.0 + _erf(x / _SQRT2)))
    return Phi + x * _phi(x)


def _gg_erfc_wrong_sign(x):
    # witness: x=0.5 -> 0.5 erfc(x/sqrt2) = 1 - Phi(x) = 0.3085 (true Phi 0.6915)
    x = np.asarray(x, dtype=float)
    return 0.5 * _erfc(x / _SQRT2) + x * _phi(x)


def _gg_tanh_approx(x):
    # witness: x=1 -> derivative of the tanh approximation 1.0830 vs exact 1.0833
    x = np.asarray(x, dtype=float)
    c = math.sqrt(2.0 / math.pi)
    u = c * (x + 0.044715 * x ** 3)
    t = np.tanh(u)
    return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * c * (1.0 + 3 * 0.044715 * x * x)


def _gg_sigmoid_approx(x):
    # witness: x=1 -> d/dx [x sigmoid(1.702 x)] = 1.0667 vs exact 1.0833
    x = np.asarray(x, dtype=float)
    s = 0.5 * (1.0 + np.tanh(0.851 * x))
    return s + 1.702 * x * s * (1.0 - s)


def _gg_forgets_x_phi(x):
    # witness: x=1 -> Phi(1) = 0.8413 (true 1.0833): returned GELU's "gate" only
    x = np.asarray(x, dtype=float)
    return 0.5 * _erfc(-x / _SQRT2)


def _gg_phi_without_x(x):
    # witness: x=2 -> Phi(2) + phi(2) = 1.0313 (true 1.0852)
    x = np.asarray(x, dtype=float)
    return 0.5 * _erfc(-x / _SQRT2) + _phi(x)


def _gg_phi_no_normaliser(x):
    # witness: x=1 -> phi without 1/sqrt(2 pi): 0.8413 + 0.6065 = 1.4478 (true 1.0833)
    x = np.asarray(x, dtype=float)
    return 0.5 * _erfc(-x / _SQRT2) + x * np.exp(-0.5 * x * x)


def _gg_returns_gelu(x):
    # witness: x=1 -> GELU(1) = 0.8413 (the function, not its derivative)
    x = np.asarray(x, dtype=float)
    return x * 0.5 * _erfc(-x / _SQRT2)


def _gg_central_difference(x):
    # witness: x=1 -> (GELU(1+h) - GELU(1-h)) / 2h with h=1e-5 has ~10 digits, not 12;
    # x=1e200 -> x + h == x, result 0 (true 1)
    x = np.asarray(x, dtype=float)
    h = 1e-5

    def gelu(t):
        return t * 0.5 * _erfc(-t / _SQRT2)
    return (gelu(x + h) - gelu(x - h)) / (2 * h)


def _gg_left_tail_zero(x):
    # "negligible" left tail clipped: x=-12 -> 0 (true -12 phi(-12) + Phi(-12) = -6.5e-31)
    x = np.asarray(x, dtype=float)
    out = 0.5 * _erfc(-x / _SQRT2) + x * _phi(x)
    return np.where(x < -10, 0.0, out)


def _gg_left_tail_zero_35(x):
    # left tail clipped below -35: x=-36 -> 0 (true -36 phi(-36) = -9.4e-281 + Phi, a normal float)
    x = np.asarray(x, dtype=float)
    out = 0.5 * _erfc(-x / _SQRT2) + x * _phi(x)
    return np.where(x < -35, 0.0, out)


def _gg_right_tail_one(x):
    # right tail clipped to 1 above 5: x=5.5 -> 1 (true 1 + 5.5 phi(5.5) - Q(5.5) = 1.00000058)
    x = np.asarray(x, dtype=float)
    out = 0.5 * _erfc(-x / _SQRT2) + x * _phi(x)
    return np.where(x > 5, 1.0, out)


def _gg_right_tail_one_7(x):
    # right tail clipped to 1 above 7: x=7.5 -> 1 (true 1 + 7.5 phi(7.5) - Q(7.5) = 1 + 1.8e-12)
    x = np.asarray(x, dtype=float)
    out = 0.5 * _erfc(-x / _SQRT2) + x * _phi(x)
    return np.where(x > 7, 1.0, out)


def _gg_erf_switch_at_minus5(x):
    # erfc only below -5, the textbook erf above: x=-5 -> Phi(-5) = 2.9e-7 from 1 + erf loses
    # ~5 digits of 16, relative error ~7e-12 vs Phi + |x| phi = 7.7e-6
    x = np.asarray(x, dtype=float)
    Phi = np.where(x < -5, 0.5 * _erfc(-x / _SQRT2), 0.5 * (1.0 + _erf(x / _SQRT2)))
    return Phi + x * _phi(x)


def _gg_int_buffer(x):
    # witness: x=np.array([0, 1]) -> zeros_like keeps int: [0.5, 1.083] truncated to [0, 1]
    out = np.zeros_like(x)
    flat = np.asarray(x).ravel()
    vals = [0.5 * math.erfc(-t / _SQRT2) + t * math.exp(-0.5 * t * t) / _SQRT2PI for t in flat]
    out[...] = np.array(vals).reshape(np.shape(x))
    return out


def _gg_int_square_overflow(x):
    # witness: x=np.array([4_000_000_000]) (int64) -> x**2 wraps around to a negative number,
    # exp(+huge) = inf (true value 1)
    x = np.asarray(x)
    Phi = 0.5 * _erfc(-x.astype(float) / _SQRT2)
    return Phi + x * np.exp(-(x ** 2) / 2) / _SQRT2PI


def _gg_python_power_overflow(x):
    # witness: x=1e200 -> Python float t**2 raises OverflowError (true value 1)
    def one(t):
        t = float(t)
        return 0.5 * math.erfc(-t / _SQRT2) + t * math.exp(-t ** 2 / 2) / _SQRT2PI
    return np.vectorize(one, otypes=[float])(x)


def _gg_float32(x):
    # witness: x=1 -> float32 gives 1.0833155 to ~7 digits (12 wanted); 1e200 -> inf * 0 = nan
    x = np.asarray(x, dtype=np.float32)
    erfc32 = np.vectorize(lambda t: np.float32(math.erfc(t)), otypes=[np.float32])
    phi = np.exp(np.float32(-0.5) * x * x) / np.float32(_SQRT2PI)
    return 0.5 * erfc32(-x / np.float32(_SQRT2)) + x * phi


def _gg_flattens(x):
    # witness: x of shape (2, 3) -> returned with shape (6,)
    x = np.asarray(x, dtype=float).ravel()
    return 0.5 * _erfc(-x / _SQRT2) + x * _phi(x)


def _gg_atleast_1d(x):
    # witness: x = np.array(0.5) (0-d) -> shape (1,) instead of ()
    x = np.atleast_1d(np.asarray(x, dtype=float))
    return 0.5 * _erfc(-x / _SQRT2) + x * _phi(x)


def _gg_vectorize_no_otypes(x):         # not registered: the text now says non-empty
    # witness: x = np.zeros((0,)) (an empty array is an array of some shape) -> np.vectorize
    # without otypes raises "cannot call `vectorize` on size 0 inputs"
    f = np.vectorize(lambda t: 0.5 * math.erfc(-t / _SQRT2) + t * math.exp(-0.5 * t * t) / _SQRT2PI)
    return f(np.asarray(x, dtype=float))


def _gg_loop_over_first_axis(x):
    # witness: x of shape (2, 2) -> math.erfc gets a row and raises TypeError
    x = np.asarray(x, dtype=float)
    return np.array([0.5 * math.erfc(-t / _SQRT2) + t * math.exp(-0.5 * t * t) / _SQRT2PI
                     for t in x])


def _gg_mutates_input(x):
    # witness: x=np.array([1., 2.]) -> caller's x divided by sqrt 2 in place
    x /= _SQRT2                        # now x holds u = x / sqrt 2
    return 0.5 * _erfc(-x) + x * _SQRT2 * np.exp(-x * x) / _SQRT2PI


def _gg_hangs_series(x):
    # HANGS: Taylor series of erf summed until the term is below 1e-17 — for x = 1e200 the terms
    # are inf/nan (nan < 1e-17 is False), and for |x| ~ 40 it needs ~10^3 terms per element
    def one(t):
        u = float(t) / _SQRT2
        term, total, n = u, 0.0, 0
        while not abs(term) < 1e-17 * max(1.0, abs(total)) or n < 3:
            total += term / (2 * n + 1)
            n += 1
            term *= -u * u / n
        Phi = 0.5 * (1.0 + 2.0 / math.sqrt(math.pi) * total)
        return Phi + float(t) * math.exp(-0.5 * float(t) ** 2) / _SQRT2PI
    return np.vectorize(one, otypes=[float])(x)


WRONG = {
    "check_softmax": [
        ("naive exp without shift (overflows at 1000)", _sm_naive),
        ("one global max for all rows (rows thousands apart -> nan)", _sm_global_max),
        ("subtracts the row minimum", _sm_subtract_min),
        ("subtracts the row mean", _sm_subtract_mean),
        ("softmax along axis 0", _sm_axis0),
        ("max without keepdims (broadcast across rows)", _sm_no_keepdims),
        ("whole array normalised as one distribution", _sm_whole_array),
        ("z -= max in place (mutates caller's z)", _sm_mutates_input),
        ("empty_like int buffer truncates probabilities", _sm_int_buffer),
        ("logits clipped to [-500, 500]", _sm_clip_logits),
        ("float32 throughout", _sm_float32),
        ("naive log-sum-exp then exp(z - lse)", _sm_naive_logsumexp),
        ("axis=1 instead of the last axis (3-D input)", _sm_axis1),
    ],
    "check_xor_weights": [
        ("W1 written with units in columns", _xor_columns_are_units),
        ("designed for step(z) = 1 if z >= 0 (pre-activation 0)", _xor_step_ge_zero),
        ("hidden AND margin 0.05", _xor_thin_hidden_margin),
        ("output margin 0.05", _xor_thin_output_margin),
        ("output sign flipped: XNOR", _xor_computes_xnor),
        ("second hidden unit unused: OR", _xor_or_only),
        ("output AND of (OR, AND): AND", _xor_and_of_or_and),
        ("weights designed for inputs in {-1, +1}", _xor_pm1_inputs),
        ("returned as (W1, w2, b1, b2)", _xor_order_b1_w2_swapped),
        ("b1 and w2 as (2, 1) columns", _xor_column_biases),
        ("b2 forgotten: 3-tuple", _xor_forgets_b2),
        ("W1 flattened to shape (4,)", _xor_flat_W1),
        ("b2 as a (2,) vector", _xor_b2_vector),
        ("HANGS: random search for an impossible margin", _xor_hangs_search),
    ],
    "check_gelu_grad": [
        ("textbook Phi = (1 + erf)/2 (left tail lost)", _gg_textbook_erf),
        ("Phi = 1 - erfc(x/sqrt2)/2 (cancellation)", _gg_one_minus_erfc),
        ("erfc only below -8, erf above", _gg_erf_switch_at_minus8),
        ("erfc(+x/sqrt2): 1 - Phi", _gg_erfc_wrong_sign),
        ("tanh approximation's derivative", _gg_tanh_approx),
        ("sigmoid(1.702 x) approximation's derivative", _gg_sigmoid_approx),
        ("x phi(x) term forgotten", _gg_forgets_x_phi),
        ("Phi + phi (x factor forgotten)", _gg_phi_without_x),
        ("phi without 1/sqrt(2 pi)", _gg_phi_no_normaliser),
        ("returns GELU itself", _gg_returns_gelu),
        ("central finite difference", _gg_central_difference),
        ("left tail below -10 clipped to 0", _gg_left_tail_zero),
        ("left tail below -35 clipped to 0", _gg_left_tail_zero_35),
        ("right tail above 5 clipped to 1", _gg_right_tail_one),
        ("right tail above 7 clipped to 1", _gg_right_tail_one_7),
        ("erfc only below -5, erf above", _gg_erf_switch_at_minus5),
        ("zeros_like int buffer truncates", _gg_int_buffer),
        ("int64 x**2 wraps around", _gg_int_square_overflow),
        ("Python float t**2 overflows at 1e200", _gg_python_power_overflow),
        ("float32 throughout", _gg_float32),
        ("flattens the output", _gg_flattens),
        ("atleast_1d: 0-d input returned as (1,)", _gg_atleast_1d),
        ("loops over the first axis only (2-D input breaks)", _gg_loop_over_first_axis),
        ("x /= sqrt2 in place (mutates caller's x)", _gg_mutates_input),
        ("HANGS: erf Taylor series never converges for huge x", _gg_hangs_series),
    ],
}
