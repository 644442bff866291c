"""RMSprop: divide the gradient by a running root-mean-square of recent gradients."""
import numpy as np

from .optimizer import Optimizer, _check

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    r"""RMSprop (Hinton, 2012), as ``torch.optim.RMSprop``.

    With learning rate η, smoothing α, weight decay λ and momentum μ::

        g ← g + λθ                                   (g ← −g first if maximize)
        v ← α·v + (1 − α)·g²                         (running mean of g², v₀ = 0)
        centred:  ḡ ← α·ḡ + (1 − α)·g,   d = √(v − ḡ²) + ε     (an estimate of the std of g)
        else:                            d = √v + ε
        μ > 0:    b ← μ·b + g/d,   θ ← θ − η·b       (b₀ = 0)
        μ = 0:    θ ← θ − η·g/d

    Unlike Adagrad's ever-growing sum, the exponential average forgets old gradients (its memory
    is about 1/(1 − α) steps), so the per-coordinate step size does not shrink to zero.

    Parameters
    ----------
    lr : float, default 1e-2           η ≥ 0
    alpha : float, default 0.99        α in [0, 1]
    eps : float, default 1e-8          ε > 0
    weight_decay : float, default 0    λ ≥ 0
    momentum : float, default 0        μ ≥ 0
    centered : bool, default False     normalise by the variance instead of the raw second moment
    maximize, fused                    as in ``SGD``

    State per parameter: ``step``, ``square_avg`` (v), ``momentum_buffer`` (if μ > 0),
    ``grad_avg`` (ḡ, if centred).
    """

    _kernel_name = "rmsprop"

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, *, maximize=False, fused=None):
        defaults = dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum,
                        centered=centered, maximize=maximize, fused=fused)
        super().__init__(params, defaults)

    def _validate_group(self, group):
        super()._validate_group(group)
        _check(self, 0 <= group["alpha"] <= 1, "alpha", group["alpha"],
               "the smoothing constant must satisfy 0 <= alpha <= 1")
        _check(self, group["eps"] > 0, "eps", group["eps"], "eps must be > 0")
        _check(self, group["momentum"] >= 0, "momentum", group["momentum"], "momentum must be >= 0")

    def _init_state(self, state, data, group):
        state["step"] = 0
        state["square_avg"] = np.zeros(data.shape, data.dtype)
        if group["momentum"] > 0:
            state["momentum_buffer"] = np.zeros(data.shape, data.dtype)
        if group["centered"]:
            state["grad_avg"] = np.zeros(data.shape, data.dtype)

    def _update(self, kernel, param, grad, state, group, data):
        dtype = data.dtype.type
        state["step"] += 1
        if group["momentum"] > 0 and "momentum_buffer" not in state:
            state["momentum_buffer"] = np.zeros(data.shape, data.dtype)
        if group["centered"] and "grad_avg" not in state:
            state["grad_avg"] = np.zeros(data.shape, data.dtype)
        unused = param[:0]
        grad_avg = state["grad_avg"].reshape(-1) if group["centered"] else unused
        buf = state["momentum_buffer"].reshape(-1) if group["momentum"] > 0 else unused
        kernel(param, grad, state["square_avg"].reshape(-1), grad_avg, buf, dtype(group["lr"]),
               dtype(group["alpha"]), dtype(1 - group["alpha"]), dtype(group["eps"]),
               dtype(group["weight_decay"]), dtype(group["momentum"]), bool(group["centered"]),
               bool(group["maximize"]))
