"""Explorer 3 — an optimizer race: SGD, momentum, Adagrad, RMSProp and Adam from one start."""
import math

import numpy as np
import ipywidgets as widgets
from matplotlib.ticker import LogLocator, NullFormatter

from .. import landscapes, optim
from . import _opt
from ._base import COLORS, Explorer, fmt, table_html

__all__ = ["OPTIMIZERS", "RACE_FUNCTIONS", "race_compute", "optimizer_race", "OptimizerRace"]

#: name → factory(lr) → (params → a dlmath.optim optimizer). Hyper-parameters other than the
#: learning rate are PyTorch's defaults (momentum 0.9 for "momentum").
OPTIMIZERS = {
    "SGD": lambda lr: (lambda p: optim.SGD(p, lr=lr)),
    "momentum": lambda lr: (lambda p: optim.SGD(p, lr=lr, momentum=0.9)),
    "Adagrad": lambda lr: (lambda p: optim.Adagrad(p, lr=lr)),
    "RMSprop": lambda lr: (lambda p: optim.RMSprop(p, lr=lr)),
    "Adam": lambda lr: (lambda p: optim.Adam(p, lr=lr)),
}
OPT_COLORS = {"SGD": COLORS["gray"], "momentum": COLORS["blue"], "Adagrad": COLORS["green"],
              "RMSprop": COLORS["purple"], "Adam": COLORS["red"]}
#: function → (start point, default learning rates), tuned so that each optimizer makes progress
RACE_FUNCTIONS = {
    "Rosenbrock": ((-1.5, 2.0), {"SGD": 1e-3, "momentum": 1e-3, "Adagrad": 0.5,
                                 "RMSprop": 0.01, "Adam": 0.1}),
    "Himmelblau": ((0.0, -4.0), {"SGD": 0.01, "momentum": 1e-3, "Adagrad": 0.3,
                                 "RMSprop": 0.03, "Adam": 0.1}),
    "Beale": ((-1.0, -1.5), {"SGD": 0.03, "momentum": 1e-3, "Adagrad": 0.3, "RMSprop": 0.1,
                             "Adam": 0.1}),
    "quadratic (κ = 20, rotated)": ((-1.6, 1.2), {"SGD": 0.03, "momentum": 0.01, "Adagrad": 0.3,
                                                  "RMSprop": 0.03, "Adam": 0.1}),
    "saddle x² − y²": ((1.5, 0.01), {"SGD": 0.05, "momentum": 0.02, "Adagrad": 0.1,
                                     "RMSprop": 0.03, "Adam": 0.05}),
    "Rastrigin": ((3.2, -2.6), {"SGD": 1e-3, "momentum": 1e-3, "Adagrad": 0.3, "RMSprop": 0.1,
                                "Adam": 0.1}),
}
LR_MIN, LR_MAX = 1e-4, 1.0


def race_function(name):
    if name == "quadratic (κ = 20, rotated)":
        return landscapes.Quadratic.from_condition_number(20, angle=math.pi / 6)
    if name not in RACE_FUNCTIONS:
        raise ValueError(f"unknown function {name!r}; choose from {list(RACE_FUNCTIONS)}")
    return _opt.function_2d(name)


def race_compute(f, x0, steps, lrs, cache=None):
    """Run each optimizer in ``lrs`` (name → learning rate; names from ``OPTIMIZERS``) on ``f``
    from ``x0`` for ``steps`` steps. Returns name → dict(``path``, ``losses``, ``diverged``,
    ``final``). ``cache`` (a dict) reuses runs whose inputs did not change."""
    out = {}
    for name, lr in lrs.items():
        if name not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {name!r}; choose from {list(OPTIMIZERS)}")
        if not (lr > 0 and math.isfinite(lr)):
            raise ValueError(f"{name}: the learning rate must be > 0, got {lr}")
        key = (id(f), tuple(np.asarray(x0, dtype=float)), int(steps), name, float(lr))
        if cache is not None and key in cache:
            out[name] = cache[key]
            continue
        tr, _ = _opt.run(OPTIMIZERS[name](lr), f, x0, steps)
        out[name] = {"path": tr.path, "losses": tr.losses, "diverged": tr.diverged,
                     "final": float(tr.losses[-1]), "lr": lr}
        if cache is not None:
            cache[key] = out[name]
    return out


class OptimizerRace(Explorer):
    name = "optimizer_race"
    summary = "SGD, momentum, Adagrad, RMSprop and Adam (dlmath.optim) racing on one surface"
    figsize = (9.8, 3.7)

    def __init__(self, function="Rosenbrock", steps=200):
        self._init = (function, steps)
        self._cache, self._fcache = {}, {}
        self._static_key = None
        self._rescaled = False
        super().__init__()

    def build(self):
        function, steps = self._init
        (x, y), lrs = RACE_FUNCTIONS[function]
        self.add("function", widgets.Dropdown(options=list(RACE_FUNCTIONS), value=function,
                                              description="f", layout=widgets.Layout(width="250px")))
        self.add("steps", widgets.IntSlider(value=steps, min=10, max=500, step=10,
                                            description="steps", continuous_update=True,
                                            layout=widgets.Layout(width="280px")))
        self.add("x0", widgets.FloatSlider(value=x, min=-5, max=5, step=0.05, description="start x",
                                           layout=widgets.Layout(width="240px")))
        self.add("y0", widgets.FloatSlider(value=y, min=-5, max=5, step=0.05, description="start y",
                                           layout=widgets.Layout(width="240px")))
        for name in OPTIMIZERS:
            self.add(f"show_{name}", widgets.Checkbox(value=True, description=name, indent=False,
                                                      layout=widgets.Layout(width="100px")))
            self.add(f"lr_{name}", widgets.FloatLogSlider(
                value=lrs[name], base=10, min=math.log10(LR_MIN), max=math.log10(LR_MAX),
                step=0.05, description="lr", readout_format=".2g",
                layout=widgets.Layout(width="260px")))
        self.controls["function"].observe(self._on_function, names="value")
        self._set_start_ranges(function)

        a1, a2 = self.fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.15]})
        self.ax_c, self.ax_l = a1, a2
        self.contours = _opt.ContourCache(a1, n=180, levels=20, on_new=self.layer)
        self.contour = None
        self.min_pts, = a1.plot([], [], "*", color="gold", mec="k", mew=0.6, ms=11, zorder=5)
        # what changes with f (contours, minima, title) is a layer over the axes, with the spines
        # drawn above it as in a full draw; the views of both panels are kept (f's domains, loss
        # decades), so that going back to a function or a start redraws no ticks and labels
        self.layer(a1.title, self.min_pts, *a1.spines.values())
        self.cache_axes(a1, a2)
        self.paths, self.losses = {}, {}
        for name, c in OPT_COLORS.items():
            self.paths[name], = a1.plot([], [], "-", color=c, lw=1.4, label=name)
            self.losses[name], = a2.plot([], [], color=c, lw=1.4, label=name)
        self.start, = a1.plot([], [], "o", mfc="white", mec="k", ms=7, mew=1.5)
        a2.legend(loc="upper right", fontsize=7, framealpha=0.85, ncols=2)
        a2.set_xlabel("step")
        a2.yaxis.set_minor_formatter(NullFormatter())
        self.dynamic(*self.paths.values(), *self.losses.values(), self.start)

    def control_rows(self):
        c = self.controls
        top = widgets.HBox([c["function"], c["steps"], c["x0"], c["y0"]],
                           layout=widgets.Layout(flex_flow="row wrap"))
        rows = [widgets.HBox([c[f"show_{n}"], c[f"lr_{n}"]]) for n in OPTIMIZERS]
        grid = widgets.HBox(rows, layout=widgets.Layout(flex_flow="row wrap"))
        return [top, grid]

    def _set_start_ranges(self, name):
        (x0, x1), (y0, y1) = self.function(name).domain
        for key, lo, hi in (("x0", x0, x1), ("y0", y0, y1)):
            w = self.controls[key]
            w.min, w.max = -1e9, 1e9
            w.min, w.max = lo, hi
            w.step = (hi - lo) / 200

    def _on_function(self, change):
        if self._hold:
            return
        name = change["new"]
        (x, y), lrs = RACE_FUNCTIONS[name]
        with self.hold():
            self._set_start_ranges(name)
            self.controls["x0"].value, self.controls["y0"].value = x, y
            for n, lr in lrs.items():
                self.controls[f"lr_{n}"].value = lr

    def function(self, name=None):
        name = name or self.controls["function"].value
        if name not in self._fcache:
            self._fcache[name] = race_function(name)
        return self._fcache[name]

    def compute(self):
        v = self.values()
        f = self.function()
        lrs = {n: v[f"lr_{n}"] for n in OPTIMIZERS if v[f"show_{n}"]}
        if len(self._cache) > 200:
            self._cache.clear()
        runs = race_compute(f, (v["x0"], v["y0"]), v["steps"], lrs, self._cache)
        minima = np.asarray(f.minima).reshape(-1, 2)
        f_min = float(min(f.value(m) for m in minima)) if len(minima) else None
        return {"runs": runs, "f_min": f_min, "f": f, "x0": (v["x0"], v["y0"])}

    def _draw_static(self, f, r, name):
        """What depends on the function only: its contours, minima and title (the layer), and
        the loss axis' scale and title."""
        a1, a2 = self.ax_c, self.ax_l
        self.contour = self.contours.show(f, name)
        mins = np.asarray(f.minima).reshape(-1, 2)
        self.min_pts.set_data(mins[:, 0], mins[:, 1])
        a1.set_title(name)
        self.invalidate_layer(name)
        scale, title = a2.get_yscale(), a2.get_title()
        if r["f_min"] is not None:
            if scale != "log":
                a2.set_yscale("log")
                a2.yaxis.set_major_locator(LogLocator(numticks=6))
            a2.set_title("f(xₖ) − f(x*)  (log scale)")
        else:
            a2.set_yscale("linear")
            a2.set_title("f(xₖ)  (no minimum: f → −∞)")
        self._rescaled = a2.get_yscale() != scale
        if (a2.get_yscale(), a2.get_title()) != (scale, title):
            self.invalidate(a2, key=(a2.get_yscale(), a2.get_title()))

    def draw(self, r):
        v = self.values()
        f = r["f"]
        if self._static_key != v["function"]:
            self._draw_static(f, r, v["function"])
            self._static_key = v["function"]
        self.start.set_data([r["x0"][0]], [r["x0"][1]])
        (x0, x1), (y0, y1) = f.domain
        box = np.array([[x0 - (x1 - x0), y0 - (y1 - y0)], [x1 + (x1 - x0), y1 + (y1 - y0)]])
        lo, hi = np.inf, -np.inf
        for name in OPTIMIZERS:
            run = r["runs"].get(name)
            if run is None:
                self.paths[name].set_visible(False)
                self.losses[name].set_visible(False)
                continue
            self.paths[name].set_visible(True)
            self.losses[name].set_visible(True)
            P = run["path"]
            out = np.any((P < box[0]) | (P > box[1]), axis=1)
            P = P[: int(np.argmax(out)) + 1] if out.any() else P
            self.paths[name].set_data(P[:, 0], P[:, 1])
            y = run["losses"] - r["f_min"] if r["f_min"] is not None else run["losses"]
            if r["f_min"] is not None:
                y = np.maximum(y, 1e-16)
            self.losses[name].set_data(np.arange(len(y)), y)
            lo, hi = min(lo, float(np.min(y))), max(hi, float(y[0]))
        xlim = (0, v["steps"])
        if r["f_min"] is not None:
            top = 10 ** math.ceil(math.log10(max(hi, 1e-12) * 30)) if np.isfinite(hi) else 1e3
            bottom = 10 ** math.floor(math.log10(max(lo, 1e-12) / 3)) if np.isfinite(lo) else 1e-12
            ylim = (max(bottom, 1e-12), top)       # whole decades: few full redraws
        else:
            f0 = float(f.value(np.asarray(r["x0"])))
            ylim = (f0 - 10 * max(1.0, abs(f0)), f0 + max(1.0, abs(f0)))
        if self.ax_l.get_xlim() != xlim:
            self.ax_l.set_xlim(*xlim)
        if self.ax_l.get_ylim() != ylim:
            self.ax_l.set_ylim(*ylim)
        if self._rescaled:             # new tick labels: a new layout if they are too wide
            self.layout_if_needed()
        self._rescaled = False
        rows = []
        for name, run in r["runs"].items():
            gap = run["final"] - r["f_min"] if r["f_min"] is not None else run["final"]
            rows.append([f"<span style='color:{OPT_COLORS[name]}'>■</span> {name}",
                         f"{run['lr']:.3g}", "diverged" if run["diverged"] else fmt(gap, 3)])
        self.readout.value = table_html(rows, ["optimizer", "lr", "final f − f*" if
                                               r["f_min"] is not None else "final f"])


def optimizer_race(function="Rosenbrock", steps=200):
    """SGD, SGD with momentum 0.9, Adagrad, RMSprop and Adam — the real ``dlmath.optim`` classes —
    started from one point on a test function, each with its own learning-rate slider (and a
    checkbox to hide it). Paths on one contour plot; losses f − f* on a log scale."""
    return OptimizerRace(function, steps)
