"""Checkers for notebook 21: adaptive optimizers: Adagrad, RMSProp, Adam, AdamW.

Both exercises are one optimizer step in PyTorch's convention, returning new arrays
``(theta, m, v)``. Each checker lists hand-picked cases (expected values worked out in the
comments), recognises the classic mistakes by running the learner's function on probe inputs
and comparing with the mistake's own formula, then runs a seeded sweep — corners first — against
an oracle that is not a reference solution:

* the oracle evaluates the definitions of Kingma & Ba (Algorithm 1: m̂ and v̂ formed explicitly)
  and, for the decay, Loshchilov & Hutter's single expression
  θ_t = θ − η·(m̂/(√v̂ + ε) + λθ) (with PyTorch's η = lr), elementwise in 40-digit ``mpmath``
  arithmetic on the exact values of the float inputs, rounded once at the end;
* the sweep's states (m, v) are built from a random *history* of gradients through the closed
  form of an exponential average, m_{t−1} = (1 − β₁) Σ_{k<t} β₁^{t−1−k} g_k, so later steps look
  like those of a real run (not arbitrary m and v);
* results are compared with a tolerance of 1e-9 relative to the size of the terms that make up
  each number (β₁|m| + (1 − β₁)|g| for m, and the same through the step for θ), so a correct
  rearrangement (PyTorch's θ − (η/(1 − β₁ᵗ))·m/(√v/√(1 − β₂ᵗ) + ε)) passes, and a genuine
  mistake — visible at 1e-3 of that size or more on the probes — does not.
"""
import math

import mpmath
import numpy as np

from .core import Case, Mistake, Sweep, fmt, run_checks, _call
from .core import as_array as _arr, matches as _matches

__all__ = ["check_adam_step", "check_adam_decay_step"]

_NAMES = ("theta_new", "m_new", "v_new")
_RTOL = 1e-9


# ---------------------------------------------------------------------------------------------
# the oracle: the definitions in mpmath
# ---------------------------------------------------------------------------------------------

def _mp(x):
    return mpmath.mpf(float(x))


def _oracle(theta, g, m, v, t, lr, betas, eps, weight_decay=0.0, decoupled=False):
    """(θ_t, m_t, v_t) and the per-element tolerances, from the definitions, elementwise in
    40-digit arithmetic. L2: g' = g + λθ feeds m and v; AdamW: θ_t = θ − η(m̂/(√v̂+ε) + λθ)."""
    theta, g, m, v = (np.asarray(a, dtype=float) for a in (theta, g, m, v))
    out = [np.empty(theta.shape) for _ in range(3)]
    tol = [np.empty(theta.shape) for _ in range(3)]
    with mpmath.workdps(40):
        b1, b2, et, ep, lam = _mp(betas[0]), _mp(betas[1]), _mp(lr), _mp(eps), _mp(weight_decay)
        bc1, bc2 = 1 - b1 ** int(t), 1 - b2 ** int(t)
        for idx in np.ndindex(theta.shape):
            th, gi, mi, vi = (_mp(a[idx]) for a in (theta, g, m, v))
            gp = gi if decoupled else gi + lam * th            # the gradient m and v average
            mt = b1 * mi + (1 - b1) * gp
            vt = b2 * vi + (1 - b2) * gp * gp
            m_hat, v_hat = mt / bc1, vt / bc2
            denom = mpmath.sqrt(v_hat) + ep
            direction = m_hat / denom
            if decoupled:
                new = th - et * (direction + lam * th)
            else:
                new = th - et * direction
            out[0][idx], out[1][idx], out[2][idx] = float(new), float(mt), float(vt)
            size_m = b1 * abs(mi) + (1 - b1) * abs(gp)             # what m_t is made of
            size_v = b2 * vi + (1 - b2) * gp * gp
            size_th = abs(th) + et * size_m / bc1 / denom + et * lam * abs(th) * 2
            tol[0][idx], tol[1][idx], tol[2][idx] = (float(_RTOL * s) + 1e-300
                                                     for s in (size_th, size_m, size_v))
    return tuple(out), tuple(tol)


def _compare(out, expected, args=None):
    """None if ``out`` is a triple of arrays matching the oracle's, else a message."""
    values, tols = expected
    if not isinstance(out, (tuple, list)) or len(out) != 3:
        return f"return a tuple of 3 arrays (theta_new, m_new, v_new), got {fmt(out)}"
    for name, part, exp, tol in zip(_NAMES, out, values, tols):
        try:
            got = _arr(part)
        except (TypeError, ValueError):
            return f"{name}: expected {fmt(exp)}, got {fmt(part)}"
        if got.shape != exp.shape:
            return f"{name}: expected shape {exp.shape}, got shape {got.shape} ({fmt(got)})"
        if not np.all(np.isfinite(got)):
            return f"{name}: expected {fmt(exp)}, got {fmt(got)} (nan or inf)"
        bad = np.abs(got - exp) > tol
        if np.any(bad):
            if exp.size <= 12:
                return f"{name}: expected {fmt(exp, digits=10)}, got {fmt(got, digits=10)}"
            k = tuple(int(i) for i in np.argwhere(bad)[0])
            return (f"{name}: expected {fmt(exp[k], digits=10)} at index {k}, "
                    f"got {fmt(got[k], digits=10)}")
    return None


def _expect(*args):
    expected = _oracle(*args)
    return lambda o: _compare(o, expected)


# ---------------------------------------------------------------------------------------------
# the mistakes, as formulas (float arithmetic; used on probes only)
# ---------------------------------------------------------------------------------------------

def _variant(theta, g, m, v, t, lr, betas, eps, weight_decay=0.0, decoupled=False, *,
             bias1=True, bias2=True, state_corrected=False, state_part=None, eps_inside=False,
             eps_uncorrected=False, t_shift=0, swap_betas=False, one_minus=True, square=True,
             sqrt=True, old_state=False, sign=1.0, bias_on_theta=False,
             decay_lr=True, decay_after=False, l2_in_v=True, l2_factor=1.0, decay_bc=False,
             decay_scaled=False, both=False, swap_modes=False):
    """One Adam (/L2/AdamW) step with one mistake switched on."""
    theta, g, m, v = (np.asarray(a, dtype=float) for a in (theta, g, m, v))
    b1, b2 = (betas[1], betas[0]) if swap_betas else betas
    lam = float(weight_decay)
    if swap_modes:
        decoupled = not decoupled
    gp = g if (decoupled and not both) else g + l2_factor * lam * theta
    gv = gp if l2_in_v else g
    c1, c2 = (1 - b1, 1 - b2) if one_minus else (1.0, 1.0)
    mt = b1 * m + c1 * gp
    vt = b2 * v + c2 * (gv * gv if square else np.abs(gv))
    tt = t + t_shift
    with np.errstate(all="ignore"):
        bc1 = 1 - b1 ** tt if bias1 else 1.0
        bc2 = 1 - b2 ** tt if bias2 else 1.0
        m_use, v_use = (m, v) if old_state else (mt, vt)
        m_hat, v_hat = m_use / bc1, v_use / bc2
        if eps_uncorrected:
            direction = (math.sqrt(bc2) / bc1) * m_use / (np.sqrt(v_use) + eps)
        elif eps_inside:
            direction = m_hat / np.sqrt(v_hat + eps)
        elif not sqrt:
            direction = m_hat / (v_hat + eps)
        else:
            direction = m_hat / (np.sqrt(v_hat) + eps)
        start = theta
        if decoupled and not decay_after:
            rate = (lr if decay_lr else 1.0) / (bc1 if decay_bc else 1.0)
            decay = rate * lam * theta
            if decay_scaled:
                decay = decay / (np.sqrt(v_hat) + eps)
            start = theta - decay
        new = start - sign * lr * direction
        if decoupled and decay_after:
            new = new * (1 - lr * lam)
        if bias_on_theta:
            new = (theta - lr * mt / (np.sqrt(vt) + eps)) / (1 - b1 ** t)
    if state_corrected:
        mt = m_hat if state_part in (None, "m") else mt
        vt = v_hat if state_part in (None, "v") else vt
    return new, mt, vt


def _result(f, args):
    try:
        o = _call(f, args, mutates=True)
    except Exception:
        return None
    if not isinstance(o, (tuple, list)) or len(o) != 3:
        return None
    try:
        return tuple(_arr(p) for p in o)
    except (TypeError, ValueError):
        return None


def _shows(probes, **flags):
    """A detector: on every probe the learner's triple equals the mistake's (on the parts where
    the mistake differs from the correct step), and on at least one probe it differs from the
    correct step."""
    def detect(f):
        differs = False
        for args in probes:
            got = _result(f, args)
            if got is None:
                return False
            wrong, right = _variant(*args, **flags), _variant(*args)
            for k in range(3):
                w_k = np.asarray(wrong[k], dtype=float)
                r_k = np.asarray(right[k], dtype=float)
                if np.allclose(w_k, r_k, rtol=1e-7, atol=0, equal_nan=True):
                    continue
                if not np.all(np.isfinite(w_k)):          # the mistake gives inf/nan there
                    if np.all(np.isfinite(got[k])):
                        return False
                elif not _matches(got[k], w_k, 1e-7, 1e-300):
                    return False
                differs = True
        return differs
    return detect


# ---------------------------------------------------------------------------------------------
# sweep inputs: corners, then states built from a gradient history
# ---------------------------------------------------------------------------------------------

def _history_state(rng, t, shape, scale, betas):
    """(g_t, m_{t−1}, v_{t−1}) from t random gradients g_1 … g_t (a mean plus noise, per
    coordinate scales ``scale``): m_{t−1} = (1 − β₁) Σ_{k<t} β₁^{t−1−k} g_k, v likewise with g²."""
    mean = rng.standard_normal(shape) * scale
    n_old = min(t - 1, 3000)                       # older terms weigh < β^3000: negligible
    spread = float(rng.choice([0.1, 1, 3]))        # noise relative to the mean
    hist = mean + rng.standard_normal((n_old,) + shape) * scale * spread
    b1, b2 = betas
    k = np.arange(n_old)[::-1]                     # k-th newest has weight β^k
    w1 = ((1 - b1) * b1 ** k).reshape((-1,) + (1,) * len(shape))
    w2 = ((1 - b2) * b2 ** k).reshape((-1,) + (1,) * len(shape))
    m = (w1 * hist).sum(axis=0) if n_old else np.zeros(shape)
    v = (w2 * hist ** 2).sum(axis=0) if n_old else np.zeros(shape)
    g = mean + rng.standard_normal(shape) * scale
    return g, m, v


_CORNERS = [
    # (theta, g, m, v, t, lr, betas, eps)
    (np.array([1.0, -2.0, 0.5]), np.array([0.3, -4.0, 0.0]), np.zeros(3), np.zeros(3), 1, 0.1,
     (0.9, 0.999), 1e-8),
    (np.array([0.0]), np.array([2.0]), np.zeros(1), np.zeros(1), 1, 1.0, (0.9, 0.999), 10.0),
    (np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1e100, -1e100], [1e-100, 0.0]]),
     np.zeros((2, 2)), np.zeros((2, 2)), 1, 0.01, (0.9, 0.999), 1e-8),
    (np.array([1.0, 1.0]), np.array([0.0, 0.0]), np.array([0.2, -0.1]), np.array([0.04, 0.5]), 5,
     0.1, (0.9, 0.99), 1e-8),
    (np.array([2.0, -1.0]), np.array([1.0, -3.0]), np.array([0.5, 0.5]), np.array([1.0, 2.0]), 2,
     0.5, (0.0, 0.9), 0.1),
    (np.array([0.5]), np.array([-1.0]), np.array([0.0]), np.array([0.0]), 1, 0.2, (0.0, 0.0),
     1e-8),
]


def _adam_input(rng, i):
    if i < len(_CORNERS):
        return _CORNERS[i]
    shape = (int(rng.integers(1, 9)),) if i % 4 else (int(rng.integers(1, 4)),
                                                     int(rng.integers(1, 4)))
    betas = (float(rng.choice([0.0, 0.5, 0.9, 0.9, 0.99])),
             float(rng.choice([0.0, 0.9, 0.99, 0.999, 0.999, 0.9999])))
    t = 1 if i % 5 == 0 else int(np.exp(rng.uniform(0, np.log(3000))))
    scale = 10 ** rng.uniform(-6, 6, shape) if i % 3 == 0 else 10 ** rng.uniform(-6, 6)
    if i % 11 == 0:
        scale = 10 ** rng.choice([-100.0, 100.0])
    g, m, v = _history_state(rng, t, shape, scale, betas)
    if i % 7 == 0:
        g[rng.integers(g.shape[0])] = 0.0
    eps = float(10 ** rng.uniform(-12, 1))
    lr = float(10 ** rng.uniform(-4, 0))
    theta = rng.standard_normal(shape) * float(rng.choice([1e-3, 1.0, 100.0]))
    return theta, g, m, v, t, lr, betas, eps


# ---------------------------------------------------------------------------------------------
# Exercise 1 · one step of Adam
# ---------------------------------------------------------------------------------------------

_ADAM_PROBES = [
    (np.array([1.0, -2.0, 0.5]), np.array([0.3, -4.0, 2.0]), np.zeros(3), np.zeros(3), 1, 0.1,
     (0.9, 0.99), 1e-3),
    (np.array([1.0, -2.0, 0.5]), np.array([0.3, -4.0, 2.0]), np.array([0.1, -0.2, 0.3]),
     np.array([0.02, 0.5, 0.09]), 3, 0.1, (0.8, 0.95), 1e-2),
]


def check_adam_step(fn):
    """adam_step(theta, g, m, v, t, lr, betas, eps) → (theta_new, m_new, v_new), PyTorch's Adam:
    m_t = β₁m + (1 − β₁)g, v_t = β₂v + (1 − β₂)g², θ − η·m̂/(√v̂ + ε) with m̂ = m_t/(1 − β₁ᵗ),
    v̂ = v_t/(1 − β₂ᵗ); m_t, v_t (uncorrected) returned as the new state.

    Catches: no bias correction (of m, of v, or both), the corrected m̂, v̂ returned as the state
    (corrupting every later step), ε inside the square root, ε on the uncorrected √v (the paper's
    "efficient" form), the step counter off by one (t − 1: a division by zero at t = 1, or t + 1),
    β₁ and β₂ swapped, the (1 − β) factors missing, |g| instead of g², no square root, the step
    taken with the previous averages, the sign of the step, the bias correction applied to θ.
    Sweep: the mpmath oracle on states built from gradient histories (module docstring)."""
    b = (0.9, 0.999)
    cases = [
        # t = 1: m₁ = 0.1g, v₁ = 0.001g², m̂ = g, v̂ = g²: the step is η·g/(|g| + ε) ≈ η·sign(g)
        Case("the first step (t = 1), g = [0.3, −4, 0], lr = 0.1",
             (np.array([1.0, -2.0, 0.5]), np.array([0.3, -4.0, 0.0]), np.zeros(3), np.zeros(3), 1,
              0.1, b, 1e-8),
             _expect(np.array([1.0, -2.0, 0.5]), np.array([0.3, -4.0, 0.0]), np.zeros(3),
                     np.zeros(3), 1, 0.1, b, 1e-8),
             hint="at t = 1, m̂₁ = g₁ and v̂₁ = g₁² exactly, so every coordinate moves by about "
                  "lr: here θ_new ≈ [0.9, −1.9, 0.5], m_new = [0.03, −0.4, 0], "
                  "v_new = [9e-5, 0.016, 0]."),
        # t = 1, ε = 1: m̂ = 3, v̂ = 9 → θ = 0 − 1·3/(3 + 1) = −0.75; m = 0.3, v = 0.009
        Case("t = 1 with a large eps = 1: θ = 0, g = 3, lr = 1",
             (np.array([0.0]), np.array([3.0]), np.zeros(1), np.zeros(1), 1, 1.0, b, 1.0),
             _expect(np.array([0.0]), np.array([3.0]), np.zeros(1), np.zeros(1), 1, 1.0, b, 1.0),
             hint="expected θ_new = −3/(√9 + 1) = −0.75: ε is added outside the square root of "
                  "the bias-corrected v̂."),
        # t = 2 after one constant gradient g = 1: m = 0.19, v = 0.001999, m̂ = v̂ = 1
        Case("the second step of a constant gradient g = 1 (m = 0.1, v = 0.001, t = 2)",
             (np.array([5.0]), np.array([1.0]), np.array([0.1]), np.array([0.001]), 2, 0.5, b,
              1e-8),
             _expect(np.array([5.0]), np.array([1.0]), np.array([0.1]), np.array([0.001]), 2, 0.5,
                     b, 1e-8),
             hint="m₂ = 0.9·0.1 + 0.1·1 = 0.19 = (1 − 0.9²)·1, so m̂₂ = 1 and v̂₂ = 1: the step is "
                  "0.5/(1 + 1e-8)."),
        # zero gradient, t = 3, β = (0.5, 0.5): m = 0.25, v = 0.125, m̂ = 0.25/0.875, v̂ = 1/7
        Case("a zero gradient with a non-zero state (t = 3, betas = (0.5, 0.5))",
             (np.array([1.0]), np.array([0.0]), np.array([0.5]), np.array([0.25]), 3, 0.1,
              (0.5, 0.5), 1e-8),
             _expect(np.array([1.0]), np.array([0.0]), np.array([0.5]), np.array([0.25]), 3, 0.1,
                     (0.5, 0.5), 1e-8)),
        # β₁ = 0: m = g, m̂ = g; 2-D arrays; huge and tiny gradients (g² of 1e100 is 1e200)
        Case("2-D arrays, β₁ = 0, gradients 1e100, −1e100, 1e-100 and 0 (t = 1)",
             (np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1e100, -1e100], [1e-100, 0.0]]),
              np.zeros((2, 2)), np.zeros((2, 2)), 1, 0.01, (0.0, 0.999), 1e-8),
             _expect(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1e100, -1e100], [1e-100, 0.0]]),
                     np.zeros((2, 2)), np.zeros((2, 2)), 1, 0.01, (0.0, 0.999), 1e-8)),
        # t = 10, β = (0.9, 0.999), ε = 0.1: both corrections matter, and ε is large
        Case("t = 10 with eps = 0.1 and a state m = [0.4, −0.2], v = [0.005, 0.001]",
             (np.array([0.0, 0.0]), np.array([1.0, -0.5]), np.array([0.4, -0.2]),
              np.array([0.005, 0.001]), 10, 0.1, b, 0.1),
             _expect(np.array([0.0, 0.0]), np.array([1.0, -0.5]), np.array([0.4, -0.2]),
                     np.array([0.005, 0.001]), 10, 0.1, b, 0.1)),
    ]
    P = _ADAM_PROBES
    mistakes = [
        Mistake("t − 1 in the bias correction",
                lambda f: _shows([P[1]], t_shift=-1)(f) and _shows([P[0]], t_shift=-1)(f),
                "the step counter is off by one: the first step is t = 1, so the bias "
                "correction of the first step is 1 − β₁¹ = 1 − β₁ (with t − 1, or a counter "
                "that starts at 0, it is 1 − β⁰ = 0: a division by zero)."),
        Mistake("t + 1 in the bias correction", _shows(P, t_shift=1),
                "the step counter is off by one: `t` is the number of *this* step (1 for the "
                "first update), so use β₁ᵗ and β₂ᵗ, not β^(t + 1)."),
        Mistake("corrected averages returned as the state",
                lambda f: any(_shows(P, state_corrected=True, state_part=part)(f)
                              for part in (None, "m", "v")),
                "return the *uncorrected* m_t and v_t as the new state: m̂ and v̂ are for the "
                "step only. Storing m̂ corrupts the state — the next step's average would start "
                "from a value already divided by 1 − β₁ᵗ, and be divided again."),
        Mistake("no bias correction", _shows(P, bias1=False, bias2=False),
                "divide by the bias corrections: m̂ = m_t/(1 − β₁ᵗ), v̂ = v_t/(1 − β₂ᵗ). Without "
                "them the first step is (1 − β₁)/√(1 − β₂) ≈ 3.16 times too large for the "
                "default betas (m₀ = v₀ = 0 drag both averages towards zero)."),
        Mistake("no bias correction of m", _shows(P, bias1=False),
                "m̂ = m_t/(1 − β₁ᵗ): the first moment needs its bias correction too."),
        Mistake("no bias correction of v", _shows(P, bias2=False),
                "v̂ = v_t/(1 − β₂ᵗ): the second moment needs its bias correction too."),
        Mistake("ε inside the square root", _shows(P, eps_inside=True),
                "ε goes outside the square root: m̂/(√v̂ + ε), as in PyTorch — not m̂/√(v̂ + ε)."),
        Mistake("ε on the uncorrected √v", _shows(P, eps_uncorrected=True),
                "that is the paper's 'efficient' arrangement, η·√(1 − β₂ᵗ)/(1 − β₁ᵗ)·m/(√v + ε), "
                "in which ε is added to the uncorrected √v. PyTorch (and the exercise) adds ε to "
                "√v̂, the bias-corrected one: m̂/(√v̂ + ε). The two differ when ε is not tiny."),
        Mistake("betas swapped", _shows(P, swap_betas=True),
                "β₁ (0.9 by default) belongs to the first moment m, β₂ (0.999) to the second "
                "moment v."),
        Mistake("(1 − β) missing", _shows(P, one_minus=False),
                "an exponential average weighs the new value by (1 − β): m_t = β₁m + (1 − β₁)g, "
                "v_t = β₂v + (1 − β₂)g²."),
        Mistake("|g| instead of g²", _shows(P, square=False),
                "v averages the squared gradient g² (elementwise), not |g|."),
        Mistake("no square root", _shows(P, sqrt=False),
                "divide by the root mean square: m̂/(√v̂ + ε), not m̂/(v̂ + ε)."),
        Mistake("step with the previous averages", _shows(P[1:], old_state=True),
                "update m and v with the new gradient first, then take the step with the new "
                "m_t and v_t (with the old ones the current gradient is ignored)."),
        Mistake("step uphill", _shows(P, sign=-1.0),
                "the step goes against the gradient: θ − η·m̂/(√v̂ + ε)."),
        Mistake("bias correction applied to θ", _shows(P, bias_on_theta=True),
                "the bias corrections divide the averages (m̂ = m_t/(1 − β₁ᵗ), "
                "v̂ = v_t/(1 − β₂ᵗ)), not the parameters."),
    ]
    sweep = Sweep(_adam_input, _oracle, _compare, n=120, seed=21,
                  property="Adam step (Kingma & Ba's definitions in 40-digit arithmetic)",
                  hint="m_t = β₁m + (1 − β₁)g, v_t = β₂v + (1 − β₂)g², "
                       "θ − lr·(m_t/(1 − β₁ᵗ))/(√(v_t/(1 − β₂ᵗ)) + ε); return (θ_new, m_t, v_t).")
    return run_checks("adam_step", fn, cases, mistakes, sweep=sweep, hint=sweep.hint)


# ---------------------------------------------------------------------------------------------
# Exercise 2 · L2 inside Adam vs AdamW's decoupled decay
# ---------------------------------------------------------------------------------------------

def _decay_input(rng, i):
    corners = [
        _CORNERS[0] + (0.0, True), _CORNERS[0] + (0.0, False),
        (np.array([2.0, 2.0]), np.array([100.0, 0.01]), np.zeros(2), np.zeros(2), 1, 0.5,
         (0.9, 0.999), 1e-8, 1.0, True),
        (np.array([2.0, 2.0]), np.array([100.0, 0.01]), np.zeros(2), np.zeros(2), 1, 0.5,
         (0.9, 0.999), 1e-8, 1.0, False),
        (np.array([0.0, 3.0]), np.array([0.0, 0.0]), np.array([0.1, 0.0]), np.array([0.01, 0.0]),
         4, 0.1, (0.9, 0.99), 1e-8, 0.5, True),
        (np.array([0.0, 3.0]), np.array([0.0, 0.0]), np.array([0.1, 0.0]), np.array([0.01, 0.0]),
         4, 0.1, (0.9, 0.99), 1e-8, 0.5, False),
    ]
    if i < len(corners):
        return corners[i]
    base = _adam_input(rng, i + 1)
    theta, lr = base[0], base[5]
    lam = 0.0 if i % 9 == 0 else float(min(10 ** rng.uniform(-4, 1), 0.5 / lr))
    if i % 6 == 0:
        theta = theta.copy()
        theta.flat[0] = 0.0
    return (theta,) + base[1:] + (lam, bool(i % 2))


def _ignores_decay(f):
    """θ_new is the plain Adam step on every probe although λ > 0."""
    for args in _DECAY_PROBES:
        got = _result(f, args)
        if got is None or not _matches(got[0], _variant(*args[:8])[0], 1e-7, 1e-300):
            return False
    return True


_DECAY_PROBES = [
    (np.array([2.0, -1.0, 0.5]), np.array([3.0, 0.02, -0.5]), np.zeros(3), np.zeros(3), 1, 0.3,
     (0.9, 0.99), 1e-3, 0.8, True),
    (np.array([2.0, -1.0, 0.5]), np.array([3.0, 0.02, -0.5]), np.zeros(3), np.zeros(3), 1, 0.3,
     (0.9, 0.99), 1e-3, 0.8, False),
    (np.array([2.0, -1.0, 0.5]), np.array([3.0, 0.02, -0.5]), np.array([0.2, 0.1, -0.1]),
     np.array([0.5, 0.01, 0.2]), 3, 0.3, (0.8, 0.95), 1e-2, 0.8, True),
    (np.array([2.0, -1.0, 0.5]), np.array([3.0, 0.02, -0.5]), np.array([0.2, 0.1, -0.1]),
     np.array([0.5, 0.01, 0.2]), 3, 0.3, (0.8, 0.95), 1e-2, 0.8, False),
]


def check_adam_decay_step(fn):
    """adam_decay_step(theta, g, m, v, t, lr, betas, eps, weight_decay, decoupled) →
    (theta_new, m_new, v_new): decoupled=False is torch.optim.Adam(weight_decay=λ) (g' = g + λθ
    into Adam), decoupled=True is torch.optim.AdamW (θ' = θ − ηλθ, then Adam with the raw g).

    Catches: the two conventions swapped, the decay not multiplied by lr, the decay applied
    after the Adam step (to the updated θ), the decay bias-corrected (η/(1 − β₁ᵗ)·λθ), the
    decoupled decay divided by √v̂ + ε, L2 and the decoupled decay both applied, 2λθ for the L2
    gradient, the L2 gradient fed into m but not v, weight decay ignored altogether; and every
    mistake of Exercise 1 on the Adam step inside (the generic expected-vs-got). Sweep: the mpmath
    oracle (Loshchilov & Hutter's expression for AdamW) on history-built states."""
    b = (0.9, 0.999)
    th2, g2 = np.array([2.0, 2.0]), np.array([100.0, 0.01])
    z2 = np.zeros(2)
    cases = [
        # λ = 0: both are the plain Adam step
        Case("weight_decay = 0, decoupled=True (plain Adam)",
             _CORNERS[0] + (0.0, True), _expect(*_CORNERS[0], 0.0, True)),
        # AdamW, t = 1: θ' = 2 − 0.5·1·2 = 1, then each coordinate moves by ≈ lr = 0.5 → 0.5;
        # m = 0.1g, v = 0.001g² (λ never enters them)
        Case("AdamW at t = 1: θ = [2, 2], g = [100, 0.01], lr = 0.5, λ = 1",
             (th2, g2, z2, z2, 1, 0.5, b, 1e-8, 1.0, True),
             _expect(th2, g2, z2, z2, 1, 0.5, b, 1e-8, 1.0, True),
             hint="AdamW: θ' = θ − lr·λ·θ = 2 − 0.5·1·2 = 1, then the Adam step with the raw "
                  "gradient moves each coordinate by ≈ lr = 0.5: θ_new ≈ [0.5, 0.5]; m and v "
                  "never see λ."),
        # L2, t = 1: g' = g + 2 = [102, 2.01]; m̂ = g', v̂ = g'²: each coordinate moves by ≈ lr
        Case("L2 inside Adam at t = 1: the same inputs, decoupled=False",
             (th2, g2, z2, z2, 1, 0.5, b, 1e-8, 1.0, False),
             _expect(th2, g2, z2, z2, 1, 0.5, b, 1e-8, 1.0, False),
             hint="L2: g' = g + λθ = [102, 2.01] goes into m and v; at t = 1 the step is "
                  "lr·g'/(|g'| + ε) ≈ 0.5 per coordinate: θ_new ≈ [1.5, 1.5], "
                  "m_new = 0.1·g' = [10.2, 0.201]."),
        # a zero gradient and θ = 0 in one coordinate, t = 4, a state from earlier steps
        Case("AdamW, t = 4: θ = [0, 3], g = 0, m = [0.1, 0], v = [0.01, 0], λ = 0.5",
             (np.array([0.0, 3.0]), z2, np.array([0.1, 0.0]), np.array([0.01, 0.0]), 4, 0.1,
              (0.9, 0.99), 1e-8, 0.5, True),
             _expect(np.array([0.0, 3.0]), z2, np.array([0.1, 0.0]), np.array([0.01, 0.0]), 4,
                     0.1, (0.9, 0.99), 1e-8, 0.5, True)),
        Case("L2, t = 4: the same inputs, decoupled=False",
             (np.array([0.0, 3.0]), z2, np.array([0.1, 0.0]), np.array([0.01, 0.0]), 4, 0.1,
              (0.9, 0.99), 1e-8, 0.5, False),
             _expect(np.array([0.0, 3.0]), z2, np.array([0.1, 0.0]), np.array([0.01, 0.0]), 4,
                     0.1, (0.9, 0.99), 1e-8, 0.5, False)),
    ]
    P = _DECAY_PROBES
    Pw, Pl = [P[0], P[2]], [P[1], P[3]]
    mistakes = [
        Mistake("conventions swapped", _shows(P, swap_modes=True),
                "decoupled=True is AdamW — decay θ directly (θ − lr·λ·θ) and give Adam the raw "
                "gradient; decoupled=False is the L2 penalty inside Adam — add λθ to the "
                "gradient, so that m and v see it."),
        Mistake("weight decay ignored", _ignores_decay,
                "weight_decay is not used: with λ > 0, decoupled=True must shrink θ by lr·λ·θ and "
                "decoupled=False must add λθ to the gradient."),
        Mistake("decay not multiplied by lr", _shows(Pw, decay_lr=False),
                "PyTorch's AdamW decays by θ ← θ − lr·λ·θ: the decay is multiplied by the "
                "learning rate (θ − λθ would shrink θ by the factor 1 − λ every step)."),
        Mistake("decay bias-corrected", _shows(Pw, decay_bc=True),
                "the decoupled decay is lr·λ·θ — not (lr/(1 − β₁ᵗ))·λθ: the bias correction "
                "belongs to m̂ only."),
        Mistake("decay divided by √v̂ + ε", _shows(Pw, decay_scaled=True),
                "the point of AdamW is that the decay is *not* rescaled per coordinate: every "
                "weight shrinks by the same factor 1 − lr·λ."),
        Mistake("decay applied after the Adam step", _shows(Pw, decay_after=True),
                "decay the weights first, θ' = θ − lr·λ·θ with the θ you were given, then take "
                "the Adam step from θ' (PyTorch's order); decaying the already-updated θ adds "
                "a spurious lr²·λ·(step) term."),
        Mistake("L2 and decoupled decay both", _shows(Pw, both=True),
                "with decoupled=True the gradient stays raw: the decay is applied to θ only, not "
                "also added to g (that would apply weight decay twice — like adding λ‖θ‖²/2 to "
                "the loss *and* using AdamW)."),
        Mistake("2λθ for the L2 gradient", _shows(Pl, l2_factor=2.0),
                "PyTorch's weight_decay adds λθ to the gradient (the gradient of λ‖θ‖²/2), not "
                "2λθ."),
        Mistake("L2 gradient not in v", _shows(Pl, l2_in_v=False),
                "with L2 the whole g' = g + λθ is the gradient: both m and v average it."),
    ]
    sweep = Sweep(_decay_input, _oracle, _compare, n=120, seed=21,
                  property="Adam step with weight decay (the definitions in 40-digit arithmetic)",
                  hint="decoupled=False: adam_step with g + λθ; decoupled=True: "
                       "adam_step from θ − lr·λ·θ with the raw g.")
    return run_checks("adam_decay_step", fn, cases, mistakes, sweep=sweep, hint=sweep.hint)
