"""Adversarial wrong solutions for notebook 21 (Adagrad, RMSProp, Adam, AdamW): one Adam step with
bias correction, and Adam with weight decay — L2 inside Adam vs AdamW's decoupled decay.

Written from the exercise statements alone (without reading the checkers). Each entry is a
plausible learner's mistake or a sneaky near-miss; the comment beside it names an input allowed by
the statement on which it differs from a correct solution (checked against a scratch reference
outside the repo). Entries labelled "HANGS:" never return on some inputs.
"""
import numpy as np


def _adam(theta, g, m, v, t, lr, betas, eps):
    """A correct Adam step, used by the wrong weight-decay solutions that go wrong elsewhere."""
    b1, b2 = betas
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    mh = m / (1 - b1 ** t)
    vh = v / (1 - b2 ** t)
    return theta - lr * mh / (np.sqrt(vh) + eps), m, v


# ---------------------------------------------------------------------------------------------
# Exercise 1 — adam_step(theta, g, m, v, t, lr, betas, eps) -> (theta_new, m_new, v_new)
# ---------------------------------------------------------------------------------------------
# Witnesses: theta=[0], m=v=[0], t=1, lr=0.1, betas=(0.9, 0.999), eps=1e-8 unless said otherwise.

def _adam_no_bias_correction(theta, g, m, v, t, lr, betas, eps):
    # witness: g=[1], t=1 -> step lr * 0.1/sqrt(0.001) = 0.316 (bias-corrected: 0.1)
    b1, b2 = betas
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    return theta - lr * m / (np.sqrt(v) + eps), m, v


def _adam_eps_inside_sqrt(theta, g, m, v, t, lr, betas, eps):
    # witness: g=[1e-4], eps=1e-2 -> sqrt(v_hat + eps) = 0.1 instead of 1e-4 + 1e-2
    b1, b2 = betas
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    mh, vh = m / (1 - b1 ** t), v / (1 - b2 ** t)
    return theta - lr * mh / np.sqrt(vh + eps), m, v


def _adam_kingma_eps_hat(theta, g, m, v, t, lr, betas, eps):
    # witness: g=[1e-3], t=1, eps=1e-3 -> the paper's "efficient" form lr_t = lr sqrt(1-b2^t)/
    # (1-b1^t), theta -= lr_t m / (sqrt(v) + eps): eps is then not added to sqrt(v_hat)
    b1, b2 = betas
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    lr_t = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
    return theta - lr_t * m / (np.sqrt(v) + eps), m, v


def _adam_returns_corrected_state(theta, g, m, v, t, lr, betas, eps):
    # witness: g=[1], t=1 -> returns m_hat = 1, v_hat = 1 as the state (m_t = 0.1, v_t = 0.001)
    b1, b2 = betas
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    mh, vh = m / (1 - b1 ** t), v / (1 - b2 ** t)
    return theta - lr * mh / (np.sqrt(vh) + eps), mh, vh


def _adam_t_minus_one(theta, g, m, v, t, lr, betas, eps):
    # witness: t=1 -> 1 - beta^0 = 0: division by zero, inf/nan parameters
    b1, b2 = betas
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    mh, vh = m / (1 - b1 ** (t - 1)), v / (1 - b2 ** (t - 1))
    return theta - lr * mh / (np.sqrt(vh) + eps), m, v


def _adam_t_plus_one(theta, g, m, v, t, lr, betas, eps):
    # witness: g=[1], t=1 -> corrected with t+1 = 2: m_hat = 0.1/0.19 (not 1)
    b1, b2 = betas
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    mh, vh = m / (1 - b1 ** (t + 1)), v / (1 - b2 ** (t + 1))
    return theta - lr * mh / (np.sqrt(vh) + eps), m, v


def _adam_abs_not_square(theta, g, m, v, t, lr, betas, eps):
    # witness: g=[4] -> v averages |g| = 4 instead of g^2 = 16
    b1, b2 = betas
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * np.abs(g)
    mh, vh = m / (1 - b1 ** t), v / (1 - b2 ** t)
    return theta - lr * mh / (np.sqrt(vh) + eps), m, v


def _adam_betas_swapped(theta, g, m, v, t, lr, betas, eps):
    # witness: g=[1], t=2, m=[0.1], v=[0.001] -> m uses beta2 and v uses beta1
    b2, b1 = betas
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    mh, vh = m / (1 - b1 ** t), v / (1 - b2 ** t)
    return theta - lr * mh / (np.sqrt(vh) + eps), m, v


def _adam_in_place_state(theta, g, m, v, t, lr, betas, eps):
    # witness: any m, v -> m *= b1; m += ... updates the caller's m and v in place
    b1, b2 = betas
    m *= b1
    m += (1 - b1) * g
    v *= b2
    v += (1 - b2) * g * g
    mh, vh = m / (1 - b1 ** t), v / (1 - b2 ** t)
    return theta - lr * mh / (np.sqrt(vh) + eps), m.copy(), v.copy()


def _adam_in_place_theta(theta, g, m, v, t, lr, betas, eps):
    # witness: any theta -> theta -= ... updates the caller's parameters in place
    b1, b2 = betas
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    mh, vh = m / (1 - b1 ** t), v / (1 - b2 ** t)
    theta -= lr * mh / (np.sqrt(vh) + eps)
    return theta.copy(), m, v


def _adam_no_eps(theta, g, m, v, t, lr, betas, eps):
    # witness: g=[0], m=v=[0] -> 0 / 0 = nan (eps forgotten)
    b1, b2 = betas
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    mh, vh = m / (1 - b1 ** t), v / (1 - b2 ** t)
    return theta - lr * mh / np.sqrt(vh), m, v


def _adam_only_m_corrected(theta, g, m, v, t, lr, betas, eps):
    # witness: g=[1], t=1 -> v not corrected: step 0.1 * 1/sqrt(0.001) = 3.16 (not 0.1)
    b1, b2 = betas
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    mh = m / (1 - b1 ** t)
    return theta - lr * mh / (np.sqrt(v) + eps), m, v


def _adam_sqrt_correction_missing(theta, g, m, v, t, lr, betas, eps):
    # witness: g=[1], t=1 -> sqrt(v_t) / (1 - b2^t) (the correction outside the root, not
    # under it): step 0.1 * 1/(0.0316/0.001) = 0.00316 (not 0.1)
    b1, b2 = betas
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    mh = m / (1 - b1 ** t)
    return theta - lr * mh / (np.sqrt(v) / (1 - b2 ** t) + eps), m, v


def _adam_correction_power_wrong(theta, g, m, v, t, lr, betas, eps):
    # witness: g=[1], t=2 -> (1 - beta)^t instead of 1 - beta^t
    b1, b2 = betas
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    mh, vh = m / (1 - (1 - b1) ** t), v / (1 - (1 - b2) ** t)
    return theta - lr * mh / (np.sqrt(vh) + eps), m, v


def _adam_beta1_falsy_default(theta, g, m, v, t, lr, betas, eps):
    # witness: betas=(0, 0.999) -> "b1 = betas[0] or 0.9" replaces beta1 = 0 by the default 0.9
    b1 = betas[0] or 0.9
    b2 = betas[1] or 0.999
    return _adam(theta, g, m, v, t, lr, (b1, b2), eps)


def _adam_skip_zero_gradient(theta, g, m, v, t, lr, betas, eps):
    # witness: g=[0], m=[0.1], v=[0.01], t=2 -> "nothing to do": returns the state unchanged
    # (m and v must still decay, and theta still moves by the momentum)
    if not np.any(g):
        return theta.copy(), m.copy(), v.copy()
    return _adam(theta, g, m, v, t, lr, betas, eps)


def _adam_flattened(theta, g, m, v, t, lr, betas, eps):
    # witness: 2-D theta of shape (2, 3) -> everything returned flattened to (6,)
    th, gg, mm, vv = (np.ravel(a) for a in (theta, g, m, v))
    return _adam(th, gg, mm, vv, t, lr, betas, eps)


def _adam_order_swapped(theta, g, m, v, t, lr, betas, eps):
    # witness: any input -> returns (theta_new, v_new, m_new)
    th, mm, vv = _adam(theta, g, m, v, t, lr, betas, eps)
    return th, vv, mm


def _adam_float32(theta, g, m, v, t, lr, betas, eps):
    # witness: g=[1e-100] -> float32 flushes 1e-100 to 0 (and 1e100 to inf)
    f = np.float32
    th, gg, mm, vv = (np.asarray(a, dtype=f) for a in (theta, g, m, v))
    out = _adam(th, gg, mm, vv, t, f(lr), (f(betas[0]), f(betas[1])), f(eps))
    return tuple(np.asarray(a, dtype=float) for a in out)


def _adam_eps_squared_inside(theta, g, m, v, t, lr, betas, eps):
    # witness: g=[1e-3], eps=1e-2 -> sqrt(v_hat + eps^2) instead of sqrt(v_hat) + eps
    b1, b2 = betas
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    mh, vh = m / (1 - b1 ** t), v / (1 - b2 ** t)
    return theta - lr * mh / np.sqrt(vh + eps * eps), m, v


def _adam_uses_raw_g_in_step(theta, g, m, v, t, lr, betas, eps):
    # witness: t=2, m=[0.1], v=[0.001], g=[-1] -> step direction from g (RMSProp), not m_hat
    b1, b2 = betas
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    vh = v / (1 - b2 ** t)
    return theta - lr * g / (np.sqrt(vh) + eps), m, v


def _adam_amsgrad_state(theta, g, m, v, t, lr, betas, eps):
    # witness: t=2, m=[0.1], v=[1.0], g=[0.1] -> AMSGrad's running max: v_new = max(v, v_t) =
    # 1.0 (not 0.99901)
    b1, b2 = betas
    m = b1 * m + (1 - b1) * g
    v = np.maximum(v, b2 * v + (1 - b2) * g * g)
    mh, vh = m / (1 - b1 ** t), v / (1 - b2 ** t)
    return theta - lr * mh / (np.sqrt(vh) + eps), m, v


def _adam_dot_square(theta, g, m, v, t, lr, betas, eps):
    # witness: 1-D g=[3, 4] -> g @ g = 25 is one number: v averages the squared NORM (every
    # coordinate gets v = 0.025), not the elementwise squares [0.009, 0.016]; 2-D g raises
    b1, b2 = betas
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * (g @ g)
    mh, vh = m / (1 - b1 ** t), v / (1 - b2 ** t)
    return theta - lr * mh / (np.sqrt(vh) + eps), m, v


def _adam_ascent(theta, g, m, v, t, lr, betas, eps):
    # witness: g=[1] -> theta + lr * ... (steps uphill)
    b1, b2 = betas
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    mh, vh = m / (1 - b1 ** t), v / (1 - b2 ** t)
    return theta + lr * mh / (np.sqrt(vh) + eps), m, v


def _adam_step_clipped_to_lr(theta, g, m, v, t, lr, betas, eps):
    # witness: t=102, m=[0.1], v=[0.001] (100 zero gradients, then g=1), g=[1] -> |m_hat| /
    # sqrt(v_hat) = 1.3 > 1 after a jump in the gradient; "Adam's step is at most lr" clips it
    th, mm, vv = _adam(theta, g, m, v, t, lr, betas, eps)
    return theta + np.clip(th - theta, -lr, lr), mm, vv


def _adam_correction_times_t(theta, g, m, v, t, lr, betas, eps):
    # witness: t=2, g=[1], m=[0.1], v=[0.001] -> 1 - beta*t (a typo for beta**t): right at t=1,
    # 1 - 1.8 < 0 at t=2
    b1, b2 = betas
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    mh, vh = m / (1 - b1 * t), v / abs(1 - b2 * t)
    return theta - lr * mh / (np.sqrt(vh) + eps), m, v


def _adam_old_state_returned(theta, g, m, v, t, lr, betas, eps):
    # witness: g=[1], t=1 -> the step is right but the state returned is the old (m, v) = 0
    th, _, _ = _adam(theta, g, m, v, t, lr, betas, eps)
    return th, m.copy(), v.copy()


def _adam_clips_gradient(theta, g, m, v, t, lr, betas, eps):
    # witness: g=[1e100] -> "for stability" the gradient is clipped to +-1e10 first: m_new =
    # 1e9 (not 1e99), v_new = 1e17 (not 1e197)
    return _adam(theta, np.clip(g, -1e10, 1e10), m, v, t, lr, betas, eps)


def _adam_flushes_tiny(theta, g, m, v, t, lr, betas, eps):
    # witness: g=[1e-100] -> gradients below 1e-30 flushed to 0: m_new = 0 (not 1e-101), v_new = 0
    g = np.where(np.abs(g) < 1e-30, 0.0, g)
    return _adam(theta, g, m, v, t, lr, betas, eps)


def _adam_nan_to_num(theta, g, m, v, t, lr, betas, eps):
    # witness: g=[1e100], t=1 -> g^2 = 1e200 is finite, but v is capped at 1e150 "to avoid
    # overflow": v_new = 1e150 (not 1e197) and the step grows by 10^23.5
    th, mm, vv = _adam(theta, g, m, v, t, lr, betas, eps)
    vv = np.minimum(vv, 1e150)
    vh = vv / (1 - betas[1] ** t)
    mh = mm / (1 - betas[0] ** t)
    return theta - lr * mh / (np.sqrt(vh) + eps), mm, vv


# ---------------------------------------------------------------------------------------------
# Exercise 2 — adam_decay_step(theta, g, m, v, t, lr, betas, eps, weight_decay, decoupled)
# ---------------------------------------------------------------------------------------------
# Witnesses: theta=[1], g=[0.5], m=v=[0], t=1, lr=0.1, betas=(0.9, 0.999), eps=1e-8, wd=0.5.

def _wd_no_lr(theta, g, m, v, t, lr, betas, eps, weight_decay, decoupled):
    # witness: decoupled, wd=0.5 -> theta' = (1 - wd) theta = 0.5 (not (1 - lr wd) theta = 0.95)
    if decoupled:
        return _adam(theta - weight_decay * theta, g, m, v, t, lr, betas, eps)
    return _adam(theta, g + weight_decay * theta, m, v, t, lr, betas, eps)


def _wd_flag_inverted(theta, g, m, v, t, lr, betas, eps, weight_decay, decoupled):
    # witness: decoupled=True, wd=0.5 -> L2 inside Adam (and AdamW for decoupled=False)
    if not decoupled:
        return _adam(theta - lr * weight_decay * theta, g, m, v, t, lr, betas, eps)
    return _adam(theta, g + weight_decay * theta, m, v, t, lr, betas, eps)


def _wd_decay_after_step(theta, g, m, v, t, lr, betas, eps, weight_decay, decoupled):
    # witness: decoupled, wd=0.5 -> decays the already-updated theta: (1 - lr wd)(theta - step)
    if decoupled:
        th, mm, vv = _adam(theta, g, m, v, t, lr, betas, eps)
        return th - lr * weight_decay * th, mm, vv
    return _adam(theta, g + weight_decay * theta, m, v, t, lr, betas, eps)


def _wd_l2_step_only(theta, g, m, v, t, lr, betas, eps, weight_decay, decoupled):
    # witness: decoupled=False, t=1 -> g' used for m but v averages the raw g
    if decoupled:
        return _adam(theta - lr * weight_decay * theta, g, m, v, t, lr, betas, eps)
    b1, b2 = betas
    gp = g + weight_decay * theta
    m = b1 * m + (1 - b1) * gp
    v = b2 * v + (1 - b2) * g * g
    mh, vh = m / (1 - b1 ** t), v / (1 - b2 ** t)
    return theta - lr * mh / (np.sqrt(vh) + eps), m, v


def _wd_l2_twice(theta, g, m, v, t, lr, betas, eps, weight_decay, decoupled):
    # witness: decoupled=False -> g' = g + 2 wd theta (the gradient of wd ||theta||^2, not of
    # wd/2 ||theta||^2)
    if decoupled:
        return _adam(theta - lr * weight_decay * theta, g, m, v, t, lr, betas, eps)
    return _adam(theta, g + 2 * weight_decay * theta, m, v, t, lr, betas, eps)


def _wd_both(theta, g, m, v, t, lr, betas, eps, weight_decay, decoupled):
    # witness: decoupled=True -> decays theta AND adds wd*theta to the gradient
    gp = g + weight_decay * theta
    if decoupled:
        return _adam(theta - lr * weight_decay * theta, gp, m, v, t, lr, betas, eps)
    return _adam(theta, gp, m, v, t, lr, betas, eps)


def _wd_decay_through_adam(theta, g, m, v, t, lr, betas, eps, weight_decay, decoupled):
    # witness: decoupled=True, g=[0.5], t=2, m=[0.05], v=[0.00025] -> the decay divided by
    # sqrt(v_hat) + eps like the Adam step
    if not decoupled:
        return _adam(theta, g + weight_decay * theta, m, v, t, lr, betas, eps)
    b1, b2 = betas
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    mh, vh = m / (1 - b1 ** t), v / (1 - b2 ** t)
    return theta - lr * (mh + weight_decay * theta) / (np.sqrt(vh) + eps), m, v


def _wd_decay_bias_corrected(theta, g, m, v, t, lr, betas, eps, weight_decay, decoupled):
    # witness: decoupled, t=1 -> decay lr wd theta / (1 - beta1^t) = 10x too strong at t = 1
    if not decoupled:
        return _adam(theta, g + weight_decay * theta, m, v, t, lr, betas, eps)
    b1 = betas[0]
    return _adam(theta - lr * weight_decay * theta / (1 - b1 ** t), g, m, v, t, lr, betas, eps)


def _wd_always_adamw(theta, g, m, v, t, lr, betas, eps, weight_decay, decoupled):
    # witness: decoupled=False, wd=0.5 -> the flag ignored: always AdamW
    return _adam(theta - lr * weight_decay * theta, g, m, v, t, lr, betas, eps)


def _wd_always_l2(theta, g, m, v, t, lr, betas, eps, weight_decay, decoupled):
    # witness: decoupled=True, wd=0.5 -> the flag ignored: always L2 inside Adam
    return _adam(theta, g + weight_decay * theta, m, v, t, lr, betas, eps)


def _wd_exponential_decay(theta, g, m, v, t, lr, betas, eps, weight_decay, decoupled):
    # witness: decoupled, lr=1, wd=0.5 -> theta * exp(-lr wd) = 0.607 theta (not 0.5 theta):
    # the continuous-time decay, close only while lr wd is small
    if decoupled:
        return _adam(theta * np.exp(-lr * weight_decay), g, m, v, t, lr, betas, eps)
    return _adam(theta, g + weight_decay * theta, m, v, t, lr, betas, eps)


def _wd_in_place_decay(theta, g, m, v, t, lr, betas, eps, weight_decay, decoupled):
    # witness: decoupled, any theta -> theta *= (1 - lr wd) changes the caller's theta
    if decoupled:
        theta *= 1 - lr * weight_decay
        return _adam(theta, g, m, v, t, lr, betas, eps)
    return _adam(theta, g + weight_decay * theta, m, v, t, lr, betas, eps)


def _wd_in_place_gradient(theta, g, m, v, t, lr, betas, eps, weight_decay, decoupled):
    # witness: decoupled=False -> g += wd * theta changes the caller's gradient
    if decoupled:
        return _adam(theta - lr * weight_decay * theta, g, m, v, t, lr, betas, eps)
    g += weight_decay * theta
    return _adam(theta, g, m, v, t, lr, betas, eps)


def _wd_decay_with_lr_squared(theta, g, m, v, t, lr, betas, eps, weight_decay, decoupled):
    # witness: decoupled, lr=0.1 -> decay lr^2 wd theta ("the step is lr*(...) and the decay
    # term inside is lr*wd*theta")
    if decoupled:
        b1, b2 = betas
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        mh, vh = m / (1 - b1 ** t), v / (1 - b2 ** t)
        return theta - lr * (mh / (np.sqrt(vh) + eps) + lr * weight_decay * theta), m, v
    return _adam(theta, g + weight_decay * theta, m, v, t, lr, betas, eps)


def _wd_adam_step_without_correction(theta, g, m, v, t, lr, betas, eps, weight_decay,
                                     decoupled):
    # witness: wd=0, t=1, g=[0.5] -> the inner Adam step has no bias correction
    b1, b2 = betas
    if decoupled:
        theta = theta - lr * weight_decay * theta
    else:
        g = g + weight_decay * theta
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    return theta - lr * m / (np.sqrt(v) + eps), m, v


def _wd_l2_uses_decayed_theta(theta, g, m, v, t, lr, betas, eps, weight_decay, decoupled):
    # witness: decoupled=False -> the penalty's gradient taken at (1 - lr wd) theta, and the
    # step taken from theta: g' = g + wd (1 - lr wd) theta
    if decoupled:
        return _adam(theta - lr * weight_decay * theta, g, m, v, t, lr, betas, eps)
    th = theta - lr * weight_decay * theta
    return _adam(theta, g + weight_decay * th, m, v, t, lr, betas, eps)


def _wd_l2_also_decays(theta, g, m, v, t, lr, betas, eps, weight_decay, decoupled):
    # witness: decoupled=False -> adds wd*theta to the gradient AND decays theta
    if decoupled:
        return _adam(theta - lr * weight_decay * theta, g, m, v, t, lr, betas, eps)
    return _adam(theta - lr * weight_decay * theta, g + weight_decay * theta, m, v, t, lr,
                 betas, eps)


def _wd_only_where_gradient(theta, g, m, v, t, lr, betas, eps, weight_decay, decoupled):
    # witness: decoupled, g=[0, 1], theta=[1, 1] -> the coordinate with a zero gradient is not
    # decayed ("sparse" decay)
    if decoupled:
        mask = (np.asarray(g) != 0)
        return _adam(theta - lr * weight_decay * theta * mask, g, m, v, t, lr, betas, eps)
    return _adam(theta, g + weight_decay * theta, m, v, t, lr, betas, eps)


def _wd_l2_minus(theta, g, m, v, t, lr, betas, eps, weight_decay, decoupled):
    # witness: decoupled=False, theta=[1], g=[0.5] -> g - wd theta (sign of the penalty)
    if decoupled:
        return _adam(theta - lr * weight_decay * theta, g, m, v, t, lr, betas, eps)
    return _adam(theta, g - weight_decay * theta, m, v, t, lr, betas, eps)


def _wd_implicit_decay(theta, g, m, v, t, lr, betas, eps, weight_decay, decoupled):
    # witness: decoupled, lr=1, wd=0.5 -> theta / (1 + lr wd) = 0.667 theta (not 0.5 theta): the
    # proximal ("implicit") decay, close only while lr wd is small
    if decoupled:
        return _adam(theta / (1 + lr * weight_decay), g, m, v, t, lr, betas, eps)
    return _adam(theta, g + weight_decay * theta, m, v, t, lr, betas, eps)


WRONG = {
    "check_adam_step": [
        ("no bias correction", _adam_no_bias_correction),
        ("eps inside the square root", _adam_eps_inside_sqrt),
        ("the paper's efficient form: eps not added to sqrt(v_hat)", _adam_kingma_eps_hat),
        ("returns the bias-corrected m_hat, v_hat as the state", _adam_returns_corrected_state),
        ("bias correction with t - 1 (t = 1 divides by zero)", _adam_t_minus_one),
        ("bias correction with t + 1", _adam_t_plus_one),
        ("v averages |g| instead of g^2", _adam_abs_not_square),
        ("beta1 and beta2 swapped", _adam_betas_swapped),
        ("m *= b1 ... in place (changes the caller's m, v)", _adam_in_place_state),
        ("theta -= ... in place (changes the caller's theta)", _adam_in_place_theta),
        ("eps forgotten: 0/0 for zero gradients", _adam_no_eps),
        ("only m bias-corrected", _adam_only_m_corrected),
        ("v's correction outside the square root", _adam_sqrt_correction_missing),
        ("correction (1 - beta)^t instead of 1 - beta^t", _adam_correction_power_wrong),
        ("betas[0] or 0.9: beta1 = 0 replaced by the default", _adam_beta1_falsy_default),
        ("zero gradient: returns the state unchanged", _adam_skip_zero_gradient),
        ("2-D arrays flattened", _adam_flattened),
        ("returns (theta, v, m)", _adam_order_swapped),
        ("float32 arithmetic", _adam_float32),
        ("sqrt(v_hat + eps^2) instead of sqrt(v_hat) + eps", _adam_eps_squared_inside),
        ("step along the raw gradient g (RMSProp), not m_hat", _adam_uses_raw_g_in_step),
        ("AMSGrad's max(v, v_t) as the state", _adam_amsgrad_state),
        ("g @ g (squared norm) instead of g * g", _adam_dot_square),
        ("theta + lr * ... (ascent)", _adam_ascent),
        ("update clipped to +-lr", _adam_step_clipped_to_lr),
        ("correction 1 - beta * t (typo for beta ** t)", _adam_correction_times_t),
        ("old (m, v) returned as the state", _adam_old_state_returned),
        ("gradient clipped to +-1e10 first", _adam_clips_gradient),
        ("gradients below 1e-30 flushed to 0", _adam_flushes_tiny),
        ("v capped at 1e150", _adam_nan_to_num),
    ],
    "check_adam_decay_step": [
        ("decoupled decay without lr: (1 - wd) theta", _wd_no_lr),
        ("decoupled flag inverted", _wd_flag_inverted),
        ("decoupled decay applied after the Adam step", _wd_decay_after_step),
        ("L2: v averages the raw g", _wd_l2_step_only),
        ("L2 gradient 2 wd theta", _wd_l2_twice),
        ("decoupled: decays and adds wd theta to the gradient", _wd_both),
        ("decoupled decay divided by sqrt(v_hat) + eps", _wd_decay_through_adam),
        ("decoupled decay bias-corrected by 1 - beta1^t", _wd_decay_bias_corrected),
        ("flag ignored: always AdamW", _wd_always_adamw),
        ("flag ignored: always L2", _wd_always_l2),
        ("theta * exp(-lr wd) instead of (1 - lr wd) theta", _wd_exponential_decay),
        ("theta *= (1 - lr wd) in place", _wd_in_place_decay),
        ("g += wd theta in place", _wd_in_place_gradient),
        ("decoupled decay lr^2 wd theta", _wd_decay_with_lr_squared),
        ("inner Adam step without bias correction", _wd_adam_step_without_correction),
        ("L2 penalty gradient at the decayed theta", _wd_l2_uses_decayed_theta),
        ("L2 mode also decays theta", _wd_l2_also_decays),
        ("decoupled decay only where g != 0", _wd_only_where_gradient),
        ("L2 gradient g - wd theta", _wd_l2_minus),
        ("implicit decay theta / (1 + lr wd)", _wd_implicit_decay),
    ],
}
