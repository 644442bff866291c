"""The optimizer updates as pure array functions: one fused Numba loop and one plain NumPy version each.

Every function updates its arrays **in place** and returns nothing. All arrays are 1-D and
contiguous (the optimizer passes flattened views of the parameter and its state); ``grad`` is only
read. The scalar arguments arrive already converted to the parameter's dtype, and every constant the
update needs (``1 - β``, the bias corrections, …) is computed once by the caller, so the Numba
loop and the NumPy version evaluate the same expression in the same order and in the same
precision: a float32 parameter is updated in float32 arithmetic by both, like PyTorch does.

``*_fused``  one pass over the parameter: each element is read once, updated in registers and written
             back once. ``@njit(cache=True)`` compiles on the first call (one specialisation per
             dtype) and caches the machine code in ``__pycache__``; nothing is compiled at import.
``*_numpy``  the same update as whole-array NumPy expressions: the readable reference the fused loop
             is tested against (and the ``fused=False`` path of every optimizer).
"""
import numpy as np
from numba import njit

__all__ = ["sgd_fused", "sgd_numpy", "adagrad_fused", "adagrad_numpy",
           "rmsprop_fused", "rmsprop_numpy", "adam_fused", "adam_numpy"]


# --- SGD ---------------------------------------------------------------------------------------
# g ← ±g + λθ;  b ← g (first step) or μb + (1−τ)g;  g ← g + μb (Nesterov) or b;  θ ← θ − ηg

@njit(cache=True, error_model="numpy")
def sgd_fused(param, grad, buf, lr, momentum, one_minus_dampening, weight_decay,
              nesterov, maximize, first_step):
    for i in range(param.size):
        g = -grad[i] if maximize else grad[i]
        if weight_decay != 0:
            g = g + weight_decay * param[i]
        if momentum != 0:
            if first_step:
                b = g
            else:
                b = momentum * buf[i] + one_minus_dampening * g
            buf[i] = b
            if nesterov:
                g = g + momentum * b
            else:
                g = b
        param[i] = param[i] - lr * g


def sgd_numpy(param, grad, buf, lr, momentum, one_minus_dampening, weight_decay,
              nesterov, maximize, first_step):
    g = -grad if maximize else grad
    if weight_decay != 0:
        g = g + weight_decay * param
    if momentum != 0:
        if first_step:
            buf[...] = g
        else:
            buf[...] = momentum * buf + one_minus_dampening * g
        g = g + momentum * buf if nesterov else buf
    param -= lr * g


# --- Adagrad -----------------------------------------------------------------------------------
# g ← ±g + λθ;  s ← s + g²;  θ ← θ − η̃ g / (√s + ε)   with η̃ = η / (1 + (t−1)·lr_decay)

@njit(cache=True, error_model="numpy")
def adagrad_fused(param, grad, state_sum, clr, eps, weight_decay, maximize):
    for i in range(param.size):
        g = -grad[i] if maximize else grad[i]
        if weight_decay != 0:
            g = g + weight_decay * param[i]
        s = state_sum[i] + g * g
        state_sum[i] = s
        param[i] = param[i] - clr * (g / (np.sqrt(s) + eps))


def adagrad_numpy(param, grad, state_sum, clr, eps, weight_decay, maximize):
    g = -grad if maximize else grad
    if weight_decay != 0:
        g = g + weight_decay * param
    state_sum += g * g
    param -= clr * (g / (np.sqrt(state_sum) + eps))


# --- RMSprop -----------------------------------------------------------------------------------
# g ← ±g + λθ;  v ← αv + (1−α)g²;  centred: ḡ ← αḡ + (1−α)g, d = √(v − ḡ²) + ε, else d = √v + ε;
# momentum: b ← μb + g/d, θ ← θ − ηb;  otherwise θ ← θ − η g/d

@njit(cache=True, error_model="numpy")
def rmsprop_fused(param, grad, square_avg, grad_avg, buf, lr, alpha, one_minus_alpha, eps,
                  weight_decay, momentum, centered, maximize):
    for i in range(param.size):
        g = -grad[i] if maximize else grad[i]
        if weight_decay != 0:
            g = g + weight_decay * param[i]
        v = alpha * square_avg[i] + one_minus_alpha * g * g
        square_avg[i] = v
        if centered:
            ga = alpha * grad_avg[i] + one_minus_alpha * g
            grad_avg[i] = ga
            d = np.sqrt(v - ga * ga) + eps
        else:
            d = np.sqrt(v) + eps
        if momentum > 0:
            b = momentum * buf[i] + g / d
            buf[i] = b
            param[i] = param[i] - lr * b
        else:
            param[i] = param[i] - lr * (g / d)


def rmsprop_numpy(param, grad, square_avg, grad_avg, buf, lr, alpha, one_minus_alpha, eps,
                  weight_decay, momentum, centered, maximize):
    g = -grad if maximize else grad
    if weight_decay != 0:
        g = g + weight_decay * param
    square_avg[...] = alpha * square_avg + one_minus_alpha * g * g
    if centered:
        grad_avg[...] = alpha * grad_avg + one_minus_alpha * g
        d = np.sqrt(square_avg - grad_avg * grad_avg) + eps
    else:
        d = np.sqrt(square_avg) + eps
    if momentum > 0:
        buf[...] = momentum * buf + g / d
        param -= lr * buf
    else:
        param -= lr * (g / d)


# --- Adam / AdamW ------------------------------------------------------------------------------
# g ← ±g (+ λθ for Adam's L2 penalty; AdamW instead shrinks θ ← θ(1 − ηλ));
# m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  AMSGrad: v̂ ← max(v̂, v), used in place of v;
# θ ← θ − (η / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε)

@njit(cache=True, error_model="numpy")
def adam_fused(param, grad, exp_avg, exp_avg_sq, max_exp_avg_sq, beta1, one_minus_beta1,
               beta2, one_minus_beta2, step_size, bias_correction2_sqrt, eps, weight_decay,
               decay_factor, decoupled, amsgrad, maximize):
    for i in range(param.size):
        g = -grad[i] if maximize else grad[i]
        p = param[i]
        if weight_decay != 0:
            if decoupled:
                p = p * decay_factor
            else:
                g = g + weight_decay * p
        m = beta1 * exp_avg[i] + one_minus_beta1 * g
        v = beta2 * exp_avg_sq[i] + one_minus_beta2 * g * g
        exp_avg[i] = m
        exp_avg_sq[i] = v
        if amsgrad:
            v = max(max_exp_avg_sq[i], v)
            max_exp_avg_sq[i] = v
        param[i] = p - step_size * m / (np.sqrt(v) / bias_correction2_sqrt + eps)


def adam_numpy(param, grad, exp_avg, exp_avg_sq, max_exp_avg_sq, beta1, one_minus_beta1,
               beta2, one_minus_beta2, step_size, bias_correction2_sqrt, eps, weight_decay,
               decay_factor, decoupled, amsgrad, maximize):
    g = -grad if maximize else grad
    if weight_decay != 0:
        if decoupled:
            param *= decay_factor
        else:
            g = g + weight_decay * param
    exp_avg[...] = beta1 * exp_avg + one_minus_beta1 * g
    exp_avg_sq[...] = beta2 * exp_avg_sq + one_minus_beta2 * g * g
    v = exp_avg_sq
    if amsgrad:
        np.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq)
        v = max_exp_avg_sq
    param -= step_size * exp_avg / (np.sqrt(v) / bias_correction2_sqrt + eps)
