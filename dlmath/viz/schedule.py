r"""Explorer — learning-rate schedules: the lr curve of a ``dlmath.optim.lr_scheduler`` scheduler
and the loss of a short mini-batch SGD run under it.

One source of truth for the curve: the lrs are read off the real scheduler (``get_last_lr()``),
stepped on a dummy ``dlmath.optim.SGD``, exactly as a training loop steps it — once per epoch
(StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, LinearLR), or once per batch
(OneCycleLR, with ``total_steps = epochs · steps_per_epoch``). Closed forms, t = epoch:

    StepLR             ηₜ = η₀ · γ^⌊t / step_size⌋
    MultiStepLR        ηₜ = η₀ · γ^(number of milestones ≤ t)
    ExponentialLR      ηₜ = η₀ · γᵗ
    CosineAnnealingLR  ηₜ = η_min + ½(η₀ − η_min)(1 + cos(π t / T_max))
    LinearLR           ηₜ = η₀ · (s + (e − s) · min(t, T) / T)
    OneCycleLR         η_max/div → η_max (cosine or linear) over pct_start of the steps, then
                       → η_max/(div · final_div)

A warm-up (``warmup`` epochs > 0) is ``LinearLR(start_factor=0.1, total_iters=warmup)`` chained on
the same optimizer (both step each epoch, as ``torch.optim.lr_scheduler.ChainedScheduler``): the
factors multiply, ηₜ = η₀ · (0.1 + 0.9 · min(t, W)/W) · (the schedule's factor) — exactly so for
the multiplicative schedules and for the cosine with η_min = 0.

The training run: least squares on fixed seeded data (n = 64 points, d = 8 features with
curvatures from 0.02 to 0.7), L(w) = (1/2n)‖Xw − y‖², from w₀ = 0, by mini-batch SGD
w ← w − ηₖ · (1/B) X_Bᵀ(X_B w − y_B), the batches a seeded reshuffle every epoch. Shown: the
excess loss L(wₖ) − L(w*) = ½(wₖ − w*)ᵀ H (wₖ − w*), H = XᵀX/n, after every step. With the full
batch (B = n) the run is gradient descent and, in H's eigenbasis (eigenvalues λⱼ, initial
errors cⱼ), L(wₖ) − L(w*) = ½ Σⱼ λⱼ cⱼ² Πᵢ₍ᵢ<ₖ₎ (1 − ηᵢλⱼ)². With small batches a constant lr stalls
at a noise floor (about proportional to η): decaying the lr lowers it.
"""
import math

import numpy as np
import ipywidgets as widgets
from matplotlib.ticker import FixedFormatter, FixedLocator, MaxNLocator, NullLocator

from .. import optim
from ..nn import Parameter
from ..optim import lr_scheduler
from ._base import COLORS, Explorer, fmt, table_html

__all__ = ["SCHEDULERS", "PARAMS", "DEFAULTS", "BATCH_SIZES", "WARMUP_START", "regression_data",
           "lr_schedule", "train_losses", "schedule_compute", "schedule_explorer",
           "ScheduleExplorer"]

#: "constant" is no scheduler at all (the baseline); the others are dlmath.optim.lr_scheduler's
SCHEDULERS = ("constant", "StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR",
              "LinearLR", "OneCycleLR")
#: each scheduler's own parameters (its constructor's keywords; milestones = two epochs)
PARAMS = {"constant": (), "StepLR": ("step_size", "gamma"),
          "MultiStepLR": ("milestones", "gamma"), "ExponentialLR": ("gamma",),
          "CosineAnnealingLR": ("T_max", "eta_min"),
          "LinearLR": ("start_factor", "end_factor", "total_iters"),
          "OneCycleLR": ("max_lr", "pct_start", "div_factor", "final_div_factor",
                         "anneal_strategy")}
DEFAULTS = {"lr": 1.0, "warmup": 0, "step_size": 10, "gamma": 0.5, "milestones": (15, 25),
            "T_max": 30, "eta_min": 0.0, "start_factor": 1.0, "end_factor": 0.05,
            "total_iters": 30, "max_lr": 1.0, "pct_start": 0.3, "div_factor": 25.0,
            "final_div_factor": 1e4, "anneal_strategy": "cos"}
GAMMA = {"StepLR": 0.5, "MultiStepLR": 0.3, "ExponentialLR": 0.9}     # a sensible γ for each
BATCH_SIZES = (64, 16, 8)
WARMUP_START = 0.1
N, D, NOISE, DATA_SEED = 64, 8, 0.5, 0
EPOCHS_MAX = 100
LOSS_YLIM = (1e-5, 10.0)
FORMULAS = {"constant": "ηₜ = η₀",
            "StepLR": "ηₜ = η₀ · γ^⌊t / step_size⌋",
            "MultiStepLR": "ηₜ = η₀ · γ^(milestones ≤ t)",
            "ExponentialLR": "ηₜ = η₀ · γᵗ",
            "CosineAnnealingLR": "ηₜ = η_min + ½(η₀ − η_min)(1 + cos(πt / T_max))",
            "LinearLR": "ηₜ = η₀ · (s + (e − s) · min(t, T)/T)",
            "OneCycleLR": "η_max/div → η_max → η_max/(div·final_div), per batch"}

_DATA = {}


def regression_data():
    """The fixed seeded least-squares problem: X (N, D) with column scales √λ for curvatures λ
    from 1 down to 0.02, y = X w_true + 0.5·noise. Returns a dict with X, y, H = XᵀX/n,
    w_star (the least-squares solution) and the eigenvalues of H (ascending)."""
    if not _DATA:
        rng = np.random.default_rng(DATA_SEED)
        X = rng.standard_normal((N, D)) * np.sqrt(np.geomspace(1.0, 0.02, D))
        y = X @ rng.standard_normal(D) + NOISE * rng.standard_normal(N)
        H = X.T @ X / N
        _DATA.update(X=X, y=y, H=H, w_star=np.linalg.solve(H, X.T @ y / N),
                     curvatures=np.linalg.eigvalsh(H))
    return _DATA


def _check_batch(batch_size):
    if batch_size not in BATCH_SIZES:
        raise ValueError(f"batch_size must be one of {BATCH_SIZES} (n = {N}), got {batch_size!r}")
    return N // batch_size


def _params(name, params):
    if name not in SCHEDULERS:
        raise ValueError(f"unknown scheduler {name!r}; choose from {list(SCHEDULERS)}")
    p = dict(DEFAULTS)
    if name in GAMMA:
        p["gamma"] = GAMMA[name]
    for k, v in (params or {}).items():
        if k not in DEFAULTS:
            raise ValueError(f"unknown parameter {k!r}; parameters are {sorted(DEFAULTS)}")
        p[k] = v
    return p


def _make(name, opt, p, epochs, spe):
    """The real dlmath scheduler (plus its chained warm-up, or None) on optimizer ``opt``."""
    S = lr_scheduler
    if name == "OneCycleLR":
        total = epochs * spe
        if float(p["pct_start"]) * total == 1.0:
            # dlmath (like PyTorch) divides by pct_start·total − 1 − 0 for the first phase
            raise ValueError(f"OneCycleLR: pct_start · total_steps = {p['pct_start']} · {total} "
                             "= 1 step gives the warm-up phase no length; change pct_start")
        return None, S.OneCycleLR(opt, max_lr=float(p["max_lr"]), total_steps=total,
                                  pct_start=float(p["pct_start"]),
                                  div_factor=float(p["div_factor"]),
                                  final_div_factor=float(p["final_div_factor"]),
                                  anneal_strategy=p["anneal_strategy"], cycle_momentum=False)
    warmup = int(p["warmup"])
    if warmup < 0:
        raise ValueError(f"warmup must be >= 0 epochs, got {warmup}")
    warm = S.LinearLR(opt, start_factor=WARMUP_START, total_iters=warmup) if warmup else None
    if name == "constant":
        return warm, None
    if name == "StepLR":
        return warm, S.StepLR(opt, step_size=int(p["step_size"]), gamma=float(p["gamma"]))
    if name == "MultiStepLR":
        return warm, S.MultiStepLR(opt, milestones=sorted(int(m) for m in p["milestones"]),
                                   gamma=float(p["gamma"]))
    if name == "ExponentialLR":
        return warm, S.ExponentialLR(opt, gamma=float(p["gamma"]))
    if name == "CosineAnnealingLR":
        return warm, S.CosineAnnealingLR(opt, T_max=int(p["T_max"]), eta_min=float(p["eta_min"]))
    return warm, S.LinearLR(opt, start_factor=float(p["start_factor"]),
                            end_factor=float(p["end_factor"]), total_iters=int(p["total_iters"]))


def lr_schedule(name, params=None, epochs=30, steps_per_epoch=1):
    """The lr of every training step, shape (epochs · steps_per_epoch,), read from the real
    scheduler with ``get_last_lr()``: an epoch scheduler is stepped once per epoch (its lr held
    for that epoch's steps), OneCycleLR once per step. ``params``: the scheduler's keywords (see
    ``PARAMS``) plus ``lr`` (η₀, the optimizer's lr; OneCycleLR ignores it) and ``warmup``."""
    p = _params(name, params)
    epochs, spe = int(epochs), int(steps_per_epoch)
    if not 1 <= epochs <= 10_000 or spe < 1:
        raise ValueError(f"need epochs >= 1 and steps_per_epoch >= 1, got {epochs}, {spe}")
    lr = float(p["lr"])
    if not (lr > 0 and math.isfinite(lr)):
        raise ValueError(f"the base learning rate must be > 0, got {lr}")
    opt = optim.SGD([Parameter(np.zeros(1))], lr=lr)
    warm, main = _make(name, opt, p, epochs, spe)
    last = main or warm
    read = (lambda: last.get_last_lr()[0]) if last else (lambda: opt.param_groups[0]["lr"])
    if name == "OneCycleLR":
        out = [read()]
        for _ in range(epochs * spe - 1):
            main.step()
            out.append(read())
        return np.array(out, dtype=float)
    out = [read()]
    for _ in range(epochs - 1):
        for s in (warm, main):
            if s is not None:
                s.step()
        out.append(read())
    return np.repeat(np.array(out, dtype=float), spe)


_BATCHES = {}


def _batches(batch_size, steps, seed):
    """Per step k: H_k = X_Bᵀ X_B / B and b_k = X_Bᵀ y_B / B of its mini-batch (a seeded reshuffle
    of the n points every epoch), for the first ``steps`` steps (cached per batch size and seed)."""
    spe = _check_batch(batch_size)
    key = (batch_size, seed)
    if key not in _BATCHES or len(_BATCHES[key][0]) < steps:
        d = regression_data()
        epochs = max(EPOCHS_MAX, -(-steps // spe))
        rng = np.random.default_rng(seed)
        idx = np.concatenate([rng.permutation(N) for _ in range(epochs)]).reshape(-1, batch_size)
        Xb, yb = d["X"][idx], d["y"][idx]
        _BATCHES[key] = (np.einsum("kbi,kbj->kij", Xb, Xb) / batch_size,
                         np.einsum("kbi,kb->ki", Xb, yb) / batch_size)
    Hb, bb = _BATCHES[key]
    return Hb[:steps], bb[:steps]


def train_losses(lrs, batch_size=8, seed=0):
    """Excess training loss L(wₖ) − L(w*), k = 0 … K, of mini-batch SGD from w₀ = 0 with lr
    ``lrs[k]`` at step k (K = len(lrs)); a pure function of the lr sequence (the data and the
    batch order are fixed by ``seed``). Each step is w ← (I − ηₖHₖ) w + ηₖbₖ with the batch's
    Hₖ, bₖ; the losses are ½(wₖ − w*)ᵀH(wₖ − w*), vectorised. A diverging run gives inf/nan."""
    lrs = np.asarray(lrs, dtype=float)
    if lrs.ndim != 1 or not np.all(np.isfinite(lrs)):
        raise ValueError("lrs must be a 1-D sequence of finite learning rates")
    d = regression_data()
    Hb, bb = _batches(batch_size, len(lrs), seed)
    A = np.eye(D) - lrs[:, None, None] * Hb
    c = lrs[:, None] * bb
    w = np.zeros(D)
    W = [w]
    with np.errstate(all="ignore"):
        for Ak, ck in zip(A, c):
            w = Ak @ w + ck
            W.append(w)
        E = np.array(W) - d["w_star"]
        return 0.5 * np.einsum("ki,ij,kj->k", E, d["H"], E)


def _diverged_at(losses):
    """The first step where the run blew up: the loss not finite or above 1000 × the initial."""
    bad = ~np.isfinite(losses) | (losses > 1e3 * max(losses[0], 1e-12))
    return int(np.argmax(bad)) if bad.any() else None


_CONSTANT = {}


def _constant_run(lr, steps, batch_size, seed):
    """``train_losses`` at a constant lr, kept for the few most recent settings: the reference
    curve does not change while a schedule parameter is dragged."""
    key = (lr, steps, batch_size, seed)
    if key not in _CONSTANT:
        if len(_CONSTANT) >= 16:
            _CONSTANT.pop(next(iter(_CONSTANT)))
        _CONSTANT[key] = train_losses(np.full(steps, lr), batch_size, seed)
        _CONSTANT[key].setflags(write=False)
    return _CONSTANT[key]


def schedule_compute(name, params=None, epochs=30, batch_size=8, seed=0):
    """Everything the explorer shows, as plain data: ``lrs`` (per step, from the real
    scheduler), ``losses`` (excess loss after each step, K + 1 values, ``train_losses(lrs)``),
    ``constant`` (the same run at the constant lr η₀, or max_lr for OneCycleLR), ``epoch``
    (the step index in epochs, k / steps_per_epoch, K + 1 values), ``steps_per_epoch``,
    ``diverged_at`` / ``constant_diverged_at`` (a step, or None), ``final``, ``best``."""
    p = _params(name, params)
    spe = _check_batch(batch_size)
    epochs = int(epochs)
    lrs = lr_schedule(name, p, epochs, spe)
    losses = train_losses(lrs, batch_size, seed)
    ref_lr = float(p["max_lr"] if name == "OneCycleLR" else p["lr"])
    constant = _constant_run(ref_lr, len(lrs), batch_size, seed)
    return {"name": name, "params": p, "epochs": epochs, "batch_size": batch_size,
            "steps_per_epoch": spe, "lrs": lrs, "losses": losses, "constant": constant,
            "constant_lr": ref_lr, "epoch": np.arange(len(lrs) + 1) / spe,
            "diverged_at": _diverged_at(losses), "constant_diverged_at": _diverged_at(constant),
            "final": float(losses[-1]), "best": float(np.nanmin(losses)),
            "constant_final": float(constant[-1]),
            "curvatures": regression_data()["curvatures"]}


def _nice_top(x):
    """The smallest of 1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10ᵏ at or above x (a y-limit that
    changes only now and then)."""
    if not (x > 0 and math.isfinite(x)):
        return 1.0
    e = math.floor(math.log10(x))
    for m in (1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if m * 10 ** e >= x * (1 - 1e-12):
            return m * 10.0 ** e


def _power(k):
    """10ᵏ as plain text with superscripts: "10⁻³"."""
    sup = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
    return "1" if k == 0 else "10" if k == 1 else "10" + str(k).translate(sup)


def _warmup_factor(name, p):
    """The chained warm-up's factor, as text ("" without one)."""
    W = int(p["warmup"])
    if name == "OneCycleLR" or W == 0:
        return ""
    return f" × ({WARMUP_START:g} + {1 - WARMUP_START:g} · min(t, {W})/{W})   (warm-up)"


def _call(name, p, epochs, spe):
    """The constructor call, as a learner would type it."""
    def g(v):
        return f"{v:g}" if isinstance(v, float) else repr(v)
    if name == "constant":
        main = "no scheduler"
    elif name == "OneCycleLR":
        main = (f"OneCycleLR(opt, max_lr={g(float(p['max_lr']))}, total_steps={epochs * spe}, "
                f"pct_start={g(float(p['pct_start']))}, div_factor={g(float(p['div_factor']))}, "
                f"final_div_factor={g(float(p['final_div_factor']))}, "
                f"anneal_strategy={p['anneal_strategy']!r}, cycle_momentum=False) — step() per "
                "batch")
    else:
        args = []
        for k in PARAMS[name]:
            v = sorted(int(m) for m in p[k]) if k == "milestones" else p[k]
            args.append(f"{k}={g(v)}")
        main = f"{name}(opt, {', '.join(args)}) — step() per epoch"
    if name != "OneCycleLR" and int(p["warmup"]) > 0:
        warm = f"LinearLR(opt, start_factor={WARMUP_START:g}, total_iters={int(p['warmup'])})"
        main = (warm + " — step() per epoch" if name == "constant" else
                warm + " chained with " + main)
    return main


class ScheduleExplorer(Explorer):
    name = "schedule_explorer"
    summary = "a learning-rate scheduler and its parameters: the lr per step and a training run"
    figsize = (9.8, 3.3)

    def __init__(self, scheduler="CosineAnnealingLR", epochs=30, batch_size=8, **params):
        if "milestones" in params:
            m = sorted(int(v) for v in params.pop("milestones"))
            if len(m) != 2:
                raise ValueError(f"milestones: give two epochs, got {m}")
            params["milestone_1"], params["milestone_2"] = m
        _check_batch(batch_size)
        self._init = (scheduler, epochs, batch_size, params)
        super().__init__()

    def build(self):
        scheduler, epochs, batch_size, params = self._init
        if scheduler not in SCHEDULERS:
            raise ValueError(f"unknown scheduler {scheduler!r}; choose from {list(SCHEDULERS)}")
        p = _params(scheduler, {k: v for k, v in params.items() if k in DEFAULTS})
        m1, m2 = p["milestones"]

        def lay(w="250px"):
            return widgets.Layout(width=w)
        a = self.add
        a("scheduler", widgets.Dropdown(options=SCHEDULERS, value=scheduler,
                                        description="scheduler", layout=lay("240px")))
        a("epochs", widgets.IntSlider(value=epochs, min=5, max=EPOCHS_MAX, step=5,
                                      description="epochs", layout=lay()))
        a("batch_size", widgets.Dropdown(
            options=[(f"full batch ({N})" if b == N else f"mini-batch {b}", b)
                     for b in BATCH_SIZES], value=batch_size, description="batch",
            layout=lay("200px")))
        a("lr", widgets.FloatLogSlider(value=p["lr"], base=10, min=-3, max=math.log10(3),
                                       step=0.02, description="base lr η₀",
                                       readout_format=".3g", layout=lay("290px")))
        a("warmup", widgets.IntSlider(value=p["warmup"], min=0, max=20,
                                      description="warm-up epochs", layout=lay()))
        a("step_size", widgets.IntSlider(value=p["step_size"], min=1, max=50,
                                         description="step_size", layout=lay()))
        a("milestone_1", widgets.IntSlider(value=m1, min=1, max=EPOCHS_MAX,
                                           description="milestone 1", layout=lay()))
        a("milestone_2", widgets.IntSlider(value=m2, min=1, max=EPOCHS_MAX,
                                           description="milestone 2", layout=lay()))
        a("gamma", widgets.FloatSlider(value=p["gamma"], min=0.05, max=1.0, step=0.01,
                                       description="gamma γ", layout=lay()))
        a("T_max", widgets.IntSlider(value=p["T_max"], min=1, max=EPOCHS_MAX,
                                     description="T_max", layout=lay()))
        a("eta_min", widgets.FloatSlider(value=p["eta_min"], min=0.0, max=1.0, step=0.005,
                                         description="eta_min", readout_format=".3f",
                                         layout=lay()))
        a("start_factor", widgets.FloatSlider(value=p["start_factor"], min=0.01, max=1.0,
                                              step=0.01, description="start_factor",
                                              layout=lay()))
        a("end_factor", widgets.FloatSlider(value=p["end_factor"], min=0.0, max=1.0, step=0.01,
                                            description="end_factor", layout=lay()))
        a("total_iters", widgets.IntSlider(value=p["total_iters"], min=1, max=EPOCHS_MAX,
                                           description="total_iters", layout=lay()))
        a("max_lr", widgets.FloatLogSlider(value=p["max_lr"], base=10, min=-3,
                                           max=math.log10(3), step=0.02, description="max_lr",
                                           readout_format=".3g", layout=lay("290px")))
        a("pct_start", widgets.FloatSlider(value=p["pct_start"], min=0.0, max=1.0, step=0.05,
                                           description="pct_start", layout=lay()))
        a("div_factor", widgets.FloatLogSlider(value=p["div_factor"], base=10, min=0, max=3,
                                               step=0.1, description="div_factor",
                                               readout_format=".3g", layout=lay()))
        a("final_div_factor", widgets.FloatLogSlider(
            value=p["final_div_factor"], base=10, min=0, max=5, step=0.25,
            description="final_div_factor", readout_format=".3g", layout=lay()))
        a("anneal_strategy", widgets.ToggleButtons(options=["cos", "linear"],
                                                   value=p["anneal_strategy"],
                                                   description="anneal",
                                                   style={"button_width": "60px"}))
        for k, v in params.items():
            if k not in self.controls:
                raise ValueError(f"schedule_explorer: unknown parameter {k!r}; parameters are "
                                 f"{sorted(self.controls)} (or milestones=(a, b))")
            self.controls[k].value = v
        self.controls["scheduler"].observe(self._on_scheduler, names="value")
        self.controls["epochs"].observe(self._on_epochs, names="value")
        self._show(scheduler)

        a1, a2 = self.fig.subplots(1, 2)
        self.ax_lr, self.ax_loss = a1, a2
        a1.set_xlabel("epoch")
        a1.set_title("learning rate of each step (get_last_lr())")
        self.lr_const, = a1.plot([], [], ls="--", color="0.6", lw=1, label="constant lr")
        self.lr_line, = a1.plot([], [], color=COLORS["blue"], lw=1.6, drawstyle="steps-post",
                                label="schedule")
        a1.legend(loc="upper right", frameon=False)
        a2.set_yscale("log")
        a2.set_ylim(*LOSS_YLIM)
        # plain-text labels (10⁻³): mathtext would be parsed again on every redraw of the axes
        decades = range(int(math.log10(LOSS_YLIM[0])), int(math.log10(LOSS_YLIM[1])) + 1)
        a2.yaxis.set_major_locator(FixedLocator([10.0 ** k for k in decades]))
        a2.yaxis.set_major_formatter(FixedFormatter([_power(k) for k in decades]))
        a2.yaxis.set_minor_locator(NullLocator())
        for ax in (a1, a2):
            ax.xaxis.set_major_locator(MaxNLocator(6, integer=True))
        a1.yaxis.set_major_locator(MaxNLocator(5))
        a2.set_xlabel("epoch")
        a2.set_title("training loss L(wₖ) − L(w*)  (least squares, SGD)")
        self.loss_const, = a2.plot([], [], color="0.6", lw=0.9, label="constant lr")
        self.loss_line, = a2.plot([], [], color=COLORS["orange"], lw=1.2, label="schedule")
        a2.legend(loc="upper right", frameon=False)
        self.dynamic(self.lr_const, self.lr_line, self.loss_const, self.loss_line)
        self.cache_axes(a1, a2)         # epochs × lr-range views recur while dragging

    def control_rows(self):
        c = self.controls

        def wrap():                      # one Layout per box
            return widgets.Layout(flex_flow="row wrap")
        return [widgets.HBox([c["scheduler"], c["epochs"], c["batch_size"]], layout=wrap()),
                widgets.HBox([c["lr"], c["warmup"], c["max_lr"]], layout=wrap()),
                widgets.HBox([c[k] for k in ("step_size", "milestone_1", "milestone_2", "gamma",
                                             "T_max", "eta_min", "start_factor", "end_factor",
                                             "total_iters", "pct_start", "div_factor",
                                             "final_div_factor", "anneal_strategy")],
                             layout=wrap())]

    def _show(self, name):
        """Show the controls this scheduler uses, hide the others."""
        used = set(PARAMS[name]) | {"scheduler", "epochs", "batch_size"}
        used |= {"max_lr"} if name == "OneCycleLR" else {"lr", "warmup"}
        if "milestones" in used:
            used |= {"milestone_1", "milestone_2"}
        for k, w in self.controls.items():
            w.layout.display = None if k in used else "none"

    def _on_scheduler(self, change):
        name = change["new"]
        self._show(name)
        if self._hold == 0 and name in GAMMA:
            with self.hold():
                self.controls["gamma"].value = GAMMA[name]

    def _on_epochs(self, change):
        """T_max and total_iters that spanned the whole run keep spanning it."""
        if self._hold:
            return
        with self.hold():
            for k in ("T_max", "total_iters"):
                if self.controls[k].value == change["old"]:
                    self.controls[k].value = change["new"]

    def params(self):
        """The scheduler parameters of the current controls (as ``schedule_compute`` takes)."""
        v = self.values()
        p = {k: v[k] for k in DEFAULTS if k in v}
        p["milestones"] = (v["milestone_1"], v["milestone_2"])
        return p

    def compute(self):
        v = self.values()
        return schedule_compute(v["scheduler"], self.params(), v["epochs"], v["batch_size"])

    def draw(self, r):
        x = r["epoch"]
        lrs = r["lrs"]
        self.lr_line.set_data(x, np.append(lrs, lrs[-1]))
        self.lr_const.set_data([0, r["epochs"]], [r["constant_lr"]] * 2)
        lo = LOSS_YLIM[0] * 0.5
        hi = LOSS_YLIM[1] * 10
        for line, losses in ((self.loss_line, r["losses"]), (self.loss_const, r["constant"])):
            y = np.where(np.isfinite(losses), losses, hi)
            line.set_data(x, np.clip(y, lo, hi))
        xlim = (0, r["epochs"])
        ylim = (0, _nice_top(1.08 * max(lrs.max(), r["constant_lr"])))
        for ax, lim in ((self.ax_lr, xlim), (self.ax_loss, xlim)):
            if ax.get_xlim() != lim:
                ax.set_xlim(*lim)
        if self.ax_lr.get_ylim() != ylim:
            self.ax_lr.set_ylim(*ylim)
        p, spe = r["params"], r["steps_per_epoch"]

        def status(losses, at):
            if at is not None:
                return f"diverged at step {at} (epoch {at / spe:.3g})"
            return f"final {fmt(losses[-1], 3)}, best {fmt(np.min(losses), 3)}"
        K = len(lrs)
        self.readout.value = table_html([
            ["scheduler (dlmath.optim.lr_scheduler)", _call(r["name"], p, r["epochs"], spe)],
            ["closed form (t = epoch)", FORMULAS[r["name"]] + _warmup_factor(r["name"], p)],
            ["training run", f"{r['epochs']} epochs × {spe} step{'s' * (spe > 1)} of batch "
                             f"{r['batch_size']} = {K} SGD steps; curvatures of L: "
                             f"{fmt(r['curvatures'][0], 2)} … {fmt(r['curvatures'][-1], 2)} "
                             f"(gradient descent is stable for η < 2/λ_max = "
                             f"{fmt(2 / r['curvatures'][-1], 3)})"],
            ["lr: first / largest / last", f"{fmt(lrs[0], 3)} / {fmt(lrs.max(), 3)} / "
                                           f"{fmt(lrs[-1], 3)}"],
            ["L(wₖ) − L(w*) under the schedule", status(r["losses"], r["diverged_at"])],
            [f"… at the constant lr {fmt(r['constant_lr'], 3)}",
             status(r["constant"], r["constant_diverged_at"])],
        ])

    def on_error(self, message):
        self.readout.value = ""
        for line in (self.lr_line, self.lr_const, self.loss_line, self.loss_const):
            line.set_data([], [])


def schedule_explorer(scheduler="CosineAnnealingLR", **params):
    """Pick a learning-rate scheduler (dropdown: constant, StepLR, MultiStepLR, ExponentialLR,
    CosineAnnealingLR, LinearLR, OneCycleLR) and its parameters (sliders named after the
    constructor's keywords; only the chosen scheduler's are shown), a base lr, an optional
    warm-up (a chained LinearLR), the number of epochs and the batch size. Left: the lr of every
    step, read from the real ``dlmath.optim.lr_scheduler`` scheduler; right: the excess loss of
    mini-batch SGD on a fixed least-squares problem under that schedule, against the constant lr.
    ``params``: ``epochs``, ``batch_size`` (64, 16, 8), ``lr``, ``warmup``, and the scheduler's own
    (``step_size``, ``gamma``, ``milestones=(a, b)``, ``T_max``, ``eta_min``, ``start_factor``,
    ``end_factor``, ``total_iters``, ``max_lr``, ``pct_start``, ``div_factor``,
    ``final_div_factor``, ``anneal_strategy``). ``.result`` is ``schedule_compute``'s output."""
    return ScheduleExplorer(scheduler, **params)
