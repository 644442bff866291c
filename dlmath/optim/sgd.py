"""Stochastic gradient descent, with momentum, Nesterov momentum and weight decay."""
import numpy as np

from .optimizer import Optimizer, _check

__all__ = ["SGD"]


class SGD(Optimizer):
    r"""Stochastic gradient descent (optionally with momentum), as ``torch.optim.SGD``.

    For each parameter θ with gradient g, learning rate η, momentum μ, dampening τ and weight
    decay λ, one ``step()`` does::

        g ← g + λθ                                  (L2 weight decay; g ← −g first if maximize)
        b ← g                          on the first step,
        b ← μ·b + (1 − τ)·g            afterwards          (momentum buffer, if μ ≠ 0)
        g ← g + μ·b   (Nesterov)   or   g ← b   (classical momentum)
        θ ← θ − η·g

    With τ = 0 this is Polyak's heavy ball written with a velocity:
    θₖ₊₁ = θₖ − η∇f(θₖ) + μ(θₖ − θₖ₋₁). On a quadratic with curvatures in [m, L] (κ = L/m) the
    best choice η = 4/(√L + √m)², μ = ((√κ − 1)/(√κ + 1))² contracts the error by
    (√κ − 1)/(√κ + 1) per step, against (κ − 1)/(κ + 1) for plain gradient descent.

    Parameters
    ----------
    params : iterable of parameters or of dicts (parameter groups)
    lr : float, default 1e-3           learning rate η ≥ 0
    momentum : float, default 0        μ ≥ 0
    dampening : float, default 0       τ: the new gradient enters the buffer with weight 1 − τ
    weight_decay : float, default 0    λ ≥ 0, adds λθ to the gradient (an L2 penalty λ/2·‖θ‖²)
    nesterov : bool, default False     look-ahead form; needs momentum > 0 and dampening = 0
    maximize : bool, default False     ascend instead (use −g)
    fused : bool or None, default None None/True: the one-pass Numba kernel; False: plain NumPy

    State per parameter: ``momentum_buffer`` (when momentum ≠ 0).
    """

    _kernel_name = "sgd"

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False,
                 *, maximize=False, fused=None):
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                        nesterov=nesterov, maximize=maximize, fused=fused)
        super().__init__(params, defaults)

    def _validate_group(self, group):
        super()._validate_group(group)
        _check(self, group["momentum"] >= 0, "momentum", group["momentum"], "momentum must be >= 0")
        if group["nesterov"]:
            _check(self, group["momentum"] > 0 and group["dampening"] == 0, "nesterov", True,
                   "Nesterov momentum requires momentum > 0 and dampening = 0 (got momentum="
                   f"{group['momentum']!r}, dampening={group['dampening']!r})")

    def _update(self, kernel, param, grad, state, group, data):
        dtype = data.dtype.type
        momentum = group["momentum"]
        first_step = False
        if momentum != 0:
            buf = state.get("momentum_buffer")
            if buf is None:                      # b₀ = g: the kernel fills it on this step
                buf = state["momentum_buffer"] = np.zeros(data.shape, data.dtype)
                first_step = True
            flat_buf = buf.reshape(-1)
        else:
            flat_buf = param[:0]                 # unused; an empty array of the right type
        kernel(param, grad, flat_buf, dtype(group["lr"]), dtype(momentum),
               dtype(1 - group["dampening"]), dtype(group["weight_decay"]),
               bool(group["nesterov"]), bool(group["maximize"]), first_step)
