"""Optimizers and learning-rate schedules with PyTorch's names, arguments and update rules.

    Optimizer                  the base class: param_groups, state, step, zero_grad, state_dict
    SGD                        momentum, dampening, Nesterov, weight decay
    Adagrad, RMSprop           per-coordinate step sizes from squared-gradient statistics
    Adam, AdamW                momentum + RMS scaling with bias correction; decoupled decay
    lr_scheduler               StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, LinearLR,
                               OneCycleLR, ReduceLROnPlateau

Each update is one fused Numba loop (``_kernels.py``, compiled on first use and cached) beside a
plain NumPy version of the same arithmetic; ``fused=False`` selects the NumPy one.
"""
from .optimizer import Optimizer
from .sgd import SGD
from .adagrad import Adagrad
from .rmsprop import RMSprop
from .adam import Adam, AdamW
from . import lr_scheduler

__all__ = ["Optimizer", "SGD", "Adagrad", "RMSprop", "Adam", "AdamW", "lr_scheduler"]
