"""Adam and AdamW: momentum plus per-coordinate scaling, with bias correction."""
import math

import numpy as np

from .optimizer import Optimizer, _check

__all__ = ["Adam", "AdamW"]


class Adam(Optimizer):
    r"""Adam (Kingma & Ba, 2015), as ``torch.optim.Adam``.

    With learning rate η, betas (β₁, β₂), weight decay λ and step count t = 1, 2, …::

        g  ← g + λθ                                   (L2 penalty; g ← −g first if maximize)
        m  ← β₁·m + (1 − β₁)·g                        first moment  (m₀ = 0)
        v  ← β₂·v + (1 − β₂)·g²                       second moment (v₀ = 0)
        v̂  ← max(v̂, v)  and use v̂ for v               (AMSGrad only)
        m̂  = m / (1 − β₁ᵗ),   v̂ₜ = v / (1 − β₂ᵗ)       bias correction
        θ  ← θ − η · m̂ / (√v̂ₜ + ε)

    Bias correction undoes the pull of m₀ = v₀ = 0 towards zero: after t steps of a constant
    gradient g, m = (1 − β₁ᵗ)·g exactly, so m̂ = g. The step is computed in PyTorch's arrangement
    θ ← θ − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε).

    With ``decoupled_weight_decay=True`` (that is, ``AdamW``) the decay is not added to g but
    applied to θ directly, θ ← θ·(1 − ηλ), before the Adam step.

    Parameters
    ----------
    lr : float, default 1e-3                  η ≥ 0
    betas : (float, float), (0.9, 0.999)      each in [0, 1)
    eps : float, default 1e-8                 ε > 0
    weight_decay : float, default 0           λ ≥ 0
    amsgrad : bool, default False             keep the running maximum of v (Reddi et al., 2018)
    maximize, fused                           as in ``SGD``
    decoupled_weight_decay : bool, False      AdamW's decay (Loshchilov & Hutter, 2019)

    State per parameter: ``step``, ``exp_avg`` (m), ``exp_avg_sq`` (v), ``max_exp_avg_sq`` (v̂).
    """

    _kernel_name = "adam"

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, maximize=False, fused=None, decoupled_weight_decay=False):
        defaults = dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay,
                        amsgrad=amsgrad, maximize=maximize, fused=fused,
                        decoupled_weight_decay=decoupled_weight_decay)
        super().__init__(params, defaults)

    def _validate_group(self, group):
        super()._validate_group(group)
        betas = group["betas"]
        _check(self, len(betas) == 2, "betas", betas, "betas must be a pair (beta1, beta2)")
        for i, beta in enumerate(betas):
            _check(self, 0 <= beta < 1, f"betas[{i}]", beta, f"it must satisfy 0 <= betas[{i}] < 1")
        _check(self, group["eps"] > 0, "eps", group["eps"], "eps must be > 0")

    def _init_state(self, state, data, group):
        state["step"] = 0
        state["exp_avg"] = np.zeros(data.shape, data.dtype)
        state["exp_avg_sq"] = np.zeros(data.shape, data.dtype)
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = np.zeros(data.shape, data.dtype)

    def _update(self, kernel, param, grad, state, group, data):
        dtype = data.dtype.type
        state["step"] += 1
        t = state["step"]
        lr, wd = group["lr"], group["weight_decay"]
        beta1, beta2 = group["betas"]
        if group["amsgrad"] and "max_exp_avg_sq" not in state:
            state["max_exp_avg_sq"] = np.zeros(data.shape, data.dtype)
        max_sq = state["max_exp_avg_sq"].reshape(-1) if group["amsgrad"] else param[:0]
        bias_correction1 = 1 - beta1 ** t
        bias_correction2 = 1 - beta2 ** t
        kernel(param, grad, state["exp_avg"].reshape(-1), state["exp_avg_sq"].reshape(-1), max_sq,
               dtype(beta1), dtype(1 - beta1), dtype(beta2), dtype(1 - beta2),
               dtype(lr / bias_correction1), dtype(math.sqrt(bias_correction2)),
               dtype(group["eps"]), dtype(wd), dtype(1 - lr * wd),
               bool(group["decoupled_weight_decay"]), bool(group["amsgrad"]),
               bool(group["maximize"]))


class AdamW(Adam):
    r"""AdamW (Loshchilov & Hutter, 2019): Adam with *decoupled* weight decay, as ``torch.optim.AdamW``.

    ::

        θ ← θ·(1 − ηλ)                                  decay the weights directly …
        m ← β₁·m + (1 − β₁)·g,   v ← β₂·v + (1 − β₂)·g²   … and run Adam on the raw gradient
        θ ← θ − η · m̂ / (√v̂ + ε)                        (m̂, v̂ bias-corrected as in Adam)

    In Adam an L2 penalty λθ is added to g and then divided by √v̂, so weights with large past
    gradients are barely regularised; AdamW's decay shrinks every weight by the same factor.
    Same arguments as ``Adam`` except the default ``weight_decay=0.01``.
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False, *, maximize=False, fused=None):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                         amsgrad=amsgrad, maximize=maximize, fused=fused,
                         decoupled_weight_decay=True)
