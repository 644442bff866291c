"""Adagrad: per-coordinate learning rates from the running sum of squared gradients."""
import numpy as np

from .optimizer import Optimizer, _check

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    r"""Adagrad (Duchi, Hazan & Singer, 2011), as ``torch.optim.Adagrad``.

    With learning rate η, learning-rate decay δ, weight decay λ and step count t = 1, 2, …::

        g  ← g + λθ                                  (g ← −g first if maximize)
        η̃  = η / (1 + (t − 1)·δ)
        s  ← s + g²                                  (s₀ = initial_accumulator_value)
        θ  ← θ − η̃ · g / (√s + ε)

    Every coordinate gets its own step η̃/√s: coordinates with large past gradients move less.
    Because s only grows, the steps shrink for ever — the weakness RMSprop and Adam fix.

    Parameters
    ----------
    lr : float, default 1e-2                η ≥ 0
    lr_decay : float, default 0             δ ≥ 0
    weight_decay : float, default 0         λ ≥ 0
    initial_accumulator_value : float, 0    s₀ ≥ 0
    eps : float, default 1e-10              ε > 0, keeps the division finite
    maximize, fused                         as in ``SGD``

    State per parameter: ``step`` (int), ``sum`` (s).
    """

    _kernel_name = "adagrad"

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                 eps=1e-10, *, maximize=False, fused=None):
        defaults = dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, eps=eps,
                        maximize=maximize, fused=fused)
        super().__init__(params, defaults)

    def _validate_group(self, group):
        super()._validate_group(group)
        _check(self, group["lr_decay"] >= 0, "lr_decay", group["lr_decay"], "lr_decay must be >= 0")
        _check(self, group["initial_accumulator_value"] >= 0, "initial_accumulator_value",
               group["initial_accumulator_value"], "the initial accumulator must be >= 0")
        _check(self, group["eps"] > 0, "eps", group["eps"], "eps must be > 0")

    def _init_state(self, state, data, group):
        state["step"] = 0
        state["sum"] = np.full(data.shape, group["initial_accumulator_value"], dtype=data.dtype)

    def _update(self, kernel, param, grad, state, group, data):
        dtype = data.dtype.type
        state["step"] += 1
        clr = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])
        kernel(param, grad, state["sum"].reshape(-1), dtype(clr), dtype(group["eps"]),
               dtype(group["weight_decay"]), bool(group["maximize"]))
