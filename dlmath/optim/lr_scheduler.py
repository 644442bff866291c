r"""Learning-rate schedules, as ``torch.optim.lr_scheduler``.

A scheduler rewrites ``group["lr"]`` of its optimizer's parameter groups. Create it after the
optimizer, then call ``scheduler.step()`` once per epoch (or per batch, for OneCycleLR) *after*
``optimizer.step()``. Creating it already performs step 0: it stores ``group["initial_lr"]``
(the base rate η₀) and sets the lr for epoch 0. ``get_last_lr()`` returns the current lrs.

Like PyTorch, most schedules are applied as a *recursion* on the current lr (so several schedulers
can be chained on one optimizer); each docstring also gives the closed form they reproduce, with
t = ``last_epoch``, the number of ``step()`` calls so far:

    StepLR             ηₜ = η₀ · γ^⌊t / step_size⌋
    MultiStepLR        ηₜ = η₀ · γ^(number of milestones ≤ t)
    ExponentialLR      ηₜ = η₀ · γᵗ
    CosineAnnealingLR  ηₜ = η_min + ½(η₀ − η_min)(1 + cos(π t / T_max))
    LinearLR           ηₜ = η₀ · (s + (e − s) · min(t, T) / T)             (warm-up when s < e)
    OneCycleLR         η rises η_max/div → η_max over pct_start of the steps, then anneals to
                       η_max/(div·final_div); momentum moves the opposite way
    ReduceLROnPlateau  η ← max(η · factor, min_lr) after ``patience`` epochs without improvement
"""
import math
from bisect import bisect_right
from collections import Counter

from .optimizer import Optimizer

__all__ = ["LRScheduler", "StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR",
           "LinearLR", "OneCycleLR", "ReduceLROnPlateau"]


def _check_optimizer(optimizer):
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"{type(optimizer).__name__} is not a dlmath.optim.Optimizer")


class LRScheduler:
    """Base class. Subclasses implement ``get_lr()``: the lrs for epoch ``self.last_epoch``."""

    def __init__(self, optimizer, last_epoch=-1):
        _check_optimizer(optimizer)
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(f"param_groups[{i}] has no 'initial_lr': resuming a scheduler "
                                   f"with last_epoch={last_epoch} needs the optimizer state it "
                                   "was saved with (load the optimizer's state_dict first)")
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._step_count = 0
        self._is_initial = True
        self.step()
        self._is_initial = False

    def get_lr(self):
        raise NotImplementedError

    def get_last_lr(self):
        """The learning rate of each parameter group after the last ``step()``."""
        return list(self._last_lr)

    def step(self):
        """Advance one epoch (``last_epoch += 1``) and write the new lrs into the optimizer."""
        self._step_count += 1
        self.last_epoch += 1
        for group, lr in zip(self.optimizer.param_groups, self.get_lr()):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def state_dict(self):
        """Everything but the optimizer: ``last_epoch``, ``base_lrs``, the schedule's settings."""
        return {k: v for k, v in self.__dict__.items() if k != "optimizer"}

    def load_state_dict(self, state_dict):
        self.__dict__.update(state_dict)

    def _current_lrs(self):
        return [group["lr"] for group in self.optimizer.param_groups]


class StepLR(LRScheduler):
    r"""Multiply the lr by ``gamma`` every ``step_size`` epochs: ηₜ = η₀ · γ^⌊t / step_size⌋."""

    def __init__(self, optimizer, step_size, gamma=0.1, last_epoch=-1):
        if not (isinstance(step_size, int) and step_size >= 1):
            raise ValueError(f"StepLR: invalid step_size={step_size!r}; it must be an int >= 1")
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return self._current_lrs()
        return [lr * self.gamma for lr in self._current_lrs()]


class MultiStepLR(LRScheduler):
    r"""Multiply the lr by ``gamma`` at each milestone epoch: ηₜ = η₀ · γ^(#{milestones ≤ t})."""

    def __init__(self, optimizer, milestones, gamma=0.1, last_epoch=-1):
        milestones = list(milestones)
        if milestones != sorted(milestones):
            raise ValueError(f"MultiStepLR: invalid milestones={milestones!r}; they must be "
                             "increasing")
        self.milestones = Counter(milestones)
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self.last_epoch not in self.milestones:
            return self._current_lrs()
        factor = self.gamma ** self.milestones[self.last_epoch]
        return [lr * factor for lr in self._current_lrs()]


class ExponentialLR(LRScheduler):
    r"""Multiply the lr by ``gamma`` every epoch: ηₜ = η₀ · γᵗ."""

    def __init__(self, optimizer, gamma, last_epoch=-1):
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self._is_initial:
            return self._current_lrs()
        return [lr * self.gamma for lr in self._current_lrs()]


class CosineAnnealingLR(LRScheduler):
    r"""Cosine annealing from η₀ down to ``eta_min`` over ``T_max`` epochs (SGDR without restarts).

    Closed form: ηₜ = η_min + ½(η₀ − η_min)(1 + cos(π t / T_max)). Applied, as in PyTorch, by the
    recursion ηₜ = η_min + (ηₜ₋₁ − η_min) · (1 + cos(π t/T_max)) / (1 + cos(π (t−1)/T_max)), which
    agrees with the closed form when nothing else touches the lr. Past ``T_max`` the lr climbs
    back up along the same cosine (period 2·T_max).
    """

    def __init__(self, optimizer, T_max, eta_min=0.0, last_epoch=-1):
        if not T_max > 0:
            raise ValueError(f"CosineAnnealingLR: invalid T_max={T_max!r}; it must be > 0")
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        t, T, eta_min = self.last_epoch, self.T_max, self.eta_min
        if self._is_initial:
            return self._current_lrs()
        if self._step_count == 1 and t > 0:           # resumed: jump straight to the closed form
            return [eta_min + (base - eta_min) * (1 + math.cos(t * math.pi / T)) / 2
                    for base in self.base_lrs]
        if (t - 1 - T) % (2 * T) == 0:                # the ratio below would be 0/0 here
            return [lr + (base - eta_min) * (1 - math.cos(math.pi / T)) / 2
                    for base, lr in zip(self.base_lrs, self._current_lrs())]
        ratio = (1 + math.cos(math.pi * t / T)) / (1 + math.cos(math.pi * (t - 1) / T))
        return [ratio * (lr - eta_min) + eta_min for lr in self._current_lrs()]


class LinearLR(LRScheduler):
    r"""Scale the lr by a factor moving linearly from ``start_factor`` to ``end_factor`` in
    ``total_iters`` epochs, then hold it: ηₜ = η₀ · (s + (e − s) · min(t, T)/T).

    The usual warm-up: ``LinearLR(opt, start_factor=0.1, total_iters=5)`` starts at η₀/10 and
    reaches η₀ at epoch 5.
    """

    def __init__(self, optimizer, start_factor=1.0 / 3, end_factor=1.0, total_iters=5,
                 last_epoch=-1):
        if not 0 < start_factor <= 1:
            raise ValueError(f"LinearLR: invalid start_factor={start_factor!r}; it must satisfy "
                             "0 < start_factor <= 1")
        if not 0 <= end_factor <= 1:
            raise ValueError(f"LinearLR: invalid end_factor={end_factor!r}; it must satisfy "
                             "0 <= end_factor <= 1")
        if not (isinstance(total_iters, int) and total_iters >= 1):
            raise ValueError(f"LinearLR: invalid total_iters={total_iters!r}; it must be an "
                             "int >= 1")
        self.start_factor = start_factor
        self.end_factor = end_factor
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        s, e, T, t = self.start_factor, self.end_factor, self.total_iters, self.last_epoch
        if t == 0:
            return [lr * s for lr in self._current_lrs()]
        if self._is_initial or t > T:
            return self._current_lrs()
        # factor(t)/factor(t−1) with factor(t) = s + (e − s)·t/T
        ratio = 1.0 + (e - s) / (T * s + (t - 1) * (e - s))
        return [lr * ratio for lr in self._current_lrs()]


def _per_group(name, optimizer, value):
    groups = optimizer.param_groups
    if isinstance(value, (list, tuple)):
        if len(value) != len(groups):
            raise ValueError(f"{name}: expected {len(groups)} values (one per parameter group), "
                             f"got {len(value)}")
        return list(value)
    return [value] * len(groups)


class OneCycleLR(LRScheduler):
    r"""The 1cycle policy (Smith & Topin, 2017), as ``torch.optim.lr_scheduler.OneCycleLR``.

    Over ``total_steps`` batches (or ``epochs · steps_per_epoch``), call ``step()`` after every
    batch. With η_max = ``max_lr``, η_start = η_max / div_factor, η_end = η_start / final_div_factor:

    * phase 1, steps 0 … pct_start·N − 1: anneal η_start → η_max, momentum max → base;
    * phase 2, up to step N − 1: anneal η_max → η_end, momentum base → max.

    (``three_phase=True``: η_start → η_max → η_start symmetrically, then → η_end.) "Anneal" is
    cosine, a + (b − a)·(1 − cos(π p))/2 for p from 0 to 1, or linear. With ``cycle_momentum`` the
    optimizer's ``momentum`` (SGD, RMSprop) or ``betas[0]`` (Adam, AdamW) moves opposite to the lr.
    """

    def __init__(self, optimizer, max_lr, total_steps=None, epochs=None, steps_per_epoch=None,
                 pct_start=0.3, anneal_strategy="cos", cycle_momentum=True, base_momentum=0.85,
                 max_momentum=0.95, div_factor=25.0, final_div_factor=1e4, three_phase=False,
                 last_epoch=-1):
        _check_optimizer(optimizer)
        if total_steps is not None:
            if not (isinstance(total_steps, int) and total_steps > 0):
                raise ValueError(f"OneCycleLR: invalid total_steps={total_steps!r}; it must be a "
                                 "positive int")
            self.total_steps = total_steps
        elif epochs is not None and steps_per_epoch is not None:
            for arg, val in (("epochs", epochs), ("steps_per_epoch", steps_per_epoch)):
                if not (isinstance(val, int) and val > 0):
                    raise ValueError(f"OneCycleLR: invalid {arg}={val!r}; it must be a positive int")
            self.total_steps = epochs * steps_per_epoch
        else:
            raise ValueError("OneCycleLR: give total_steps, or both epochs and steps_per_epoch")
        if not (isinstance(pct_start, float) and 0 <= pct_start <= 1):
            raise ValueError(f"OneCycleLR: invalid pct_start={pct_start!r}; it must be a float in "
                             "[0, 1]")
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(f"OneCycleLR: invalid anneal_strategy={anneal_strategy!r}; it must be "
                             "'cos' or 'linear'")
        self.anneal_strategy = anneal_strategy
        n = self.total_steps
        if three_phase:
            self._phases = [(float(pct_start * n) - 1, "initial_lr", "max_lr",
                             "max_momentum", "base_momentum"),
                            (float(2 * pct_start * n) - 2, "max_lr", "initial_lr",
                             "base_momentum", "max_momentum"),
                            (n - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum")]
        else:
            self._phases = [(float(pct_start * n) - 1, "initial_lr", "max_lr",
                             "max_momentum", "base_momentum"),
                            (n - 1, "max_lr", "min_lr", "base_momentum", "max_momentum")]
        self.optimizer = optimizer
        max_lrs = _per_group("OneCycleLR max_lr", optimizer, max_lr)
        if last_epoch == -1:
            for group, lr in zip(optimizer.param_groups, max_lrs):
                group["initial_lr"] = lr / div_factor
                group["max_lr"] = lr
                group["min_lr"] = group["initial_lr"] / final_div_factor
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            if "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
                raise ValueError(f"OneCycleLR: cycle_momentum=True needs an optimizer with "
                                 f"momentum or betas; {type(optimizer).__name__} has neither "
                                 "(pass cycle_momentum=False)")
            self.use_beta1 = "betas" in optimizer.defaults
            maxs = _per_group("OneCycleLR max_momentum", optimizer, max_momentum)
            bases = _per_group("OneCycleLR base_momentum", optimizer, base_momentum)
            if last_epoch == -1:
                for group, m_max, m_base in zip(optimizer.param_groups, maxs, bases):
                    self._set_momentum(group, m_max)
                    group["max_momentum"] = m_max
                    group["base_momentum"] = m_base
        super().__init__(optimizer, last_epoch)

    def _set_momentum(self, group, value):
        if self.use_beta1:
            group["betas"] = (value, *group["betas"][1:])
        else:
            group["momentum"] = value

    def _anneal(self, start, end, pct):
        if self.anneal_strategy == "cos":
            return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)
        return (end - start) * pct + start

    def get_lr(self):
        t = self.last_epoch
        if t > self.total_steps:
            raise ValueError(f"OneCycleLR: tried to step {t} times; the schedule has "
                             f"total_steps={self.total_steps}")
        lrs = []
        for group in self.optimizer.param_groups:
            start_step = 0.0
            for i, (end_step, lr0, lr1, m0, m1) in enumerate(self._phases):
                if t <= end_step or i == len(self._phases) - 1:
                    pct = (t - start_step) / (end_step - start_step)
                    lrs.append(self._anneal(group[lr0], group[lr1], pct))
                    if self.cycle_momentum:
                        self._set_momentum(group, self._anneal(group[m0], group[m1], pct))
                    break
                start_step = end_step
        return lrs


class ReduceLROnPlateau(LRScheduler):
    r"""Cut the lr when a monitored metric stops improving, as PyTorch's ``ReduceLROnPlateau``.

    Call ``step(metric)`` once per epoch. A value is an improvement when it beats the best so far by
    the threshold: in ``mode="min"`` with ``threshold_mode="rel"``, ``metric < best·(1 − threshold)``
    (``"abs"``: ``metric < best − threshold``; ``mode="max"`` mirrors both). After more than
    ``patience`` epochs in a row without improvement, every group's lr becomes
    ``max(lr · factor, min_lr)`` (skipped if that changes it by less than ``eps``), and the next
    ``cooldown`` epochs are not counted. (Unlike the other schedulers it takes no ``last_epoch``
    and does not touch the lr when created.)
    """

    def __init__(self, optimizer, mode="min", factor=0.1, patience=10, threshold=1e-4,
                 threshold_mode="rel", cooldown=0, min_lr=0, eps=1e-8):
        _check_optimizer(optimizer)
        if not factor < 1.0:
            raise ValueError(f"ReduceLROnPlateau: invalid factor={factor!r}; it must be < 1")
        if mode not in ("min", "max"):
            raise ValueError(f"ReduceLROnPlateau: invalid mode={mode!r}; it must be 'min' or 'max'")
        if threshold_mode not in ("rel", "abs"):
            raise ValueError(f"ReduceLROnPlateau: invalid threshold_mode={threshold_mode!r}; it "
                             "must be 'rel' or 'abs'")
        self.optimizer = optimizer
        self.mode, self.factor, self.patience = mode, factor, patience
        self.threshold, self.threshold_mode = threshold, threshold_mode
        self.cooldown, self.eps = cooldown, eps
        self.min_lrs = _per_group("ReduceLROnPlateau min_lr", optimizer, min_lr)
        self.last_epoch = 0
        self.best = math.inf if mode == "min" else -math.inf
        self.num_bad_epochs = 0
        self.cooldown_counter = 0
        self._last_lr = [group["lr"] for group in optimizer.param_groups]

    def is_better(self, a, best):
        """Whether metric value ``a`` is a significant improvement on ``best``."""
        if self.mode == "min":
            return a < (best * (1 - self.threshold) if self.threshold_mode == "rel"
                        else best - self.threshold)
        return a > (best * (1 + self.threshold) if self.threshold_mode == "rel"
                    else best + self.threshold)

    @property
    def in_cooldown(self):
        return self.cooldown_counter > 0

    def step(self, metrics):
        current = float(metrics)
        self.last_epoch += 1
        if self.is_better(current, self.best):
            self.best = current
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.in_cooldown:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0
        if self.num_bad_epochs > self.patience:
            for group, min_lr in zip(self.optimizer.param_groups, self.min_lrs):
                new_lr = max(group["lr"] * self.factor, min_lr)
                if group["lr"] - new_lr > self.eps:
                    group["lr"] = new_lr
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

