"""Explorer 1 — gradient descent and the learning rate, on a 1-D function or a 2-D surface."""
import math

import numpy as np
import ipywidgets as widgets
from matplotlib.ticker import LogLocator, NullFormatter

from .. import optim
from . import _opt
from ._base import COLORS, Explorer, fmt, table_html

__all__ = ["gd_function", "gd_compute", "gd_verdict", "gd_explorer", "GDExplorer", "LR_GRID"]

LR_MIN, LR_MAX = 1e-4, 10.0
LR_GRID = np.geomspace(LR_MIN, LR_MAX, 300)
VERDICT_COLORS = {"converged": COLORS["green"], "oscillating": COLORS["orange"],
                  "diverged": COLORS["red"], "slow": COLORS["blue"]}
START = {"quadratic ½Lx²": (1.5, 0.0), "double well (x² − 1)²": (1.8, 0.0),
         "quadratic (λ = 1, L; rotated)": (1.5, 1.2), "Rosenbrock": (-1.5, 2.0),
         "Himmelblau": (-0.5, 0.5)}


def gd_function(mode, name, L=4.0):
    """The function the explorer descends: ``mode`` "1-D" or "2-D"; ``name`` one of
    ``_opt.FUNCTIONS_1D`` / the 2-D names; ``L`` the curvature of the quadratics."""
    if mode == "1-D":
        if name not in _opt.FUNCTIONS_1D:
            raise ValueError(f"unknown 1-D function {name!r}; choose from {list(_opt.FUNCTIONS_1D)}")
        return _opt.FUNCTIONS_1D[name](L)
    if mode == "2-D":
        return _opt.function_2d(name, L)
    raise ValueError(f"mode must be '1-D' or '2-D', got {mode!r}")


def gd_verdict(losses, grad_norms, path, diverged, rel_tol=1e-4):
    """Classify a gradient-descent run: ``(verdict, growth)``.

    * "diverged" — a value overflowed, or the gradient norm grows geometrically over the second
      half of the run (growth factor per step ρ > 1) while the loss keeps rising (over each of
      the last two quarters, or above where it started);
    * "converged" — the final gradient norm is below ``rel_tol`` times the first one;
    * "oscillating" — not converged and successive steps mostly point in opposite directions
      (zig-zag across a valley; on a quadratic: learning rate between 1/L and 2/L);
    * "slow" — still descending steadily when the steps run out.

    ``growth`` is ρ = (‖g_n‖ / ‖g_{n/2}‖)^(1/(n − n/2)): on a quadratic it equals
    max |1 − lr·λ| along the dominant direction, so ρ > 1 exactly when lr > 2/L.
    """
    n = len(losses) - 1
    if diverged or not np.all(np.isfinite(losses)):
        return "diverged", math.inf
    if n == 0:
        return "slow", float("nan")
    g = np.asarray(grad_norms, dtype=float)
    half = n // 2
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = float((g[n] / g[half]) ** (1.0 / (n - half))) if g[half] > 0 else 0.0
    q = (half + n) // 2
    tol = 1 + 1e-9
    growing = g[q] > g[half] * tol and g[n] > g[q] * tol and losses[n] > losses[q] * tol
    if np.max(np.abs(path)) > 1e8 or (growth > tol and growing) or \
            (growth > tol and losses[n] > losses[0] * tol):
        return "diverged", growth
    if g[n] <= rel_tol * max(g[0], 1e-300) or g[n] < 1e-12:
        return "converged", growth
    steps = np.diff(np.asarray(path, dtype=float), axis=0)[half:]
    if len(steps) >= 2:
        dots = np.sum(steps[1:] * steps[:-1], axis=1)
        if np.mean(dots < 0) > 0.5:
            return "oscillating", growth
    return "slow", growth


def gd_compute(f, lr, x0, steps):
    """Run gradient descent (``dlmath.optim.SGD(lr=lr)``, no momentum) on ``f`` from ``x0`` —
    a number for a 1-D function, a point (x, y) for a 2-D one — and describe the run.

    Returns a dict: ``path`` ((n+1, 2) points; for 1-D the x's are ``path[:, 0]``), ``losses``,
    ``grad_norms``, ``verdict`` and ``growth`` (see ``gd_verdict``), ``minimum`` (the known
    minimum nearest the end point), ``curvatures`` (Hessian eigenvalues there), ``L`` (the largest),
    ``lr_stable`` = 2/L, ``lr_best`` = 2/(L + μ) when μ > 0, ``rate`` = max|1 − lr·λ| (the local
    contraction factor per step) and the curve ``rate_curve`` over ``LR_GRID``.
    """
    if not (lr > 0 and math.isfinite(lr)):
        raise ValueError(f"the learning rate must be > 0, got {lr}")
    if int(steps) < 1:
        raise ValueError(f"steps must be >= 1, got {steps}")
    one_d = isinstance(f, _opt.Function1D)
    x0 = np.array([float(np.ravel(x0)[0]), 0.0]) if one_d else np.asarray(x0, dtype=float)
    tr, grads = _opt.run(lambda params: optim.SGD(params, lr=lr), f, x0, steps)
    verdict, growth = gd_verdict(tr.losses, grads, tr.path, tr.diverged)
    m = _opt.nearest_minimum(f, tr.path[-1])
    lams = _opt.curvatures(f, m) if m is not None else np.array([np.nan])
    lams_pos = lams[lams > 0]
    L = float(np.max(lams_pos)) if lams_pos.size else float("nan")
    mu = float(np.min(lams_pos)) if lams_pos.size else float("nan")
    rate_curve = np.max(np.abs(1 - LR_GRID[:, None] * lams_pos[None, :]), axis=1) \
        if lams_pos.size else np.full(LR_GRID.shape, np.nan)
    return {
        "one_d": one_d, "path": tr.path, "losses": tr.losses, "grad_norms": grads,
        "steps_done": tr.steps, "overflow": tr.diverged, "verdict": verdict, "growth": growth,
        "minimum": m, "curvatures": lams, "L": L, "mu": mu,
        "lr": lr, "lr_stable": 2 / L if L > 0 else float("nan"),
        "lr_best": 2 / (L + mu) if L > 0 and mu > 0 else float("nan"),
        "rate": float(np.max(np.abs(1 - lr * lams_pos))) if lams_pos.size else float("nan"),
        "rate_curve": rate_curve, "f_min": float(f.value(m)) if m is not None else float("nan"),
    }


class GDExplorer(Explorer):
    name = "gd_explorer"
    summary = "gradient descent with a learning-rate slider: path, loss curve, verdict, 2/L line"
    figsize = (9.8, 3.3)

    def __init__(self, mode="2-D", function=None, lr=0.1, steps=40, L=4.0):
        self._init = (mode, function, lr, steps, L)
        self._static_key = None
        self._functions = {}
        super().__init__()

    # -- controls ------------------------------------------------------------------------------
    def _names(self, mode):
        return list(_opt.FUNCTIONS_1D) if mode == "1-D" else \
            [k for k in START if k not in _opt.FUNCTIONS_1D]

    def build(self):
        mode, function, lr, steps, L = self._init
        names = self._names(mode)
        function = function or names[0]
        self.add("mode", widgets.ToggleButtons(options=["1-D", "2-D"], value=mode,
                                               style={"button_width": "50px"}))
        self.add("function", widgets.Dropdown(options=names, value=function, description="f",
                                              layout=widgets.Layout(width="250px")))
        self.add("L", widgets.FloatSlider(value=L, min=1, max=20, step=0.5,
                                          description="curvature L", continuous_update=False,
                                          layout=widgets.Layout(width="260px")))
        self.add("lr", widgets.FloatLogSlider(value=lr, base=10, min=math.log10(LR_MIN),
                                              max=math.log10(LR_MAX), step=0.01,
                                              description="learning rate", readout_format=".3g",
                                              layout=widgets.Layout(width="380px")))
        self.add("steps", widgets.IntSlider(value=steps, min=1, max=200, description="steps",
                                            layout=widgets.Layout(width="300px")))
        x, y = START[function]
        self.add("x0", widgets.FloatSlider(value=x, min=-2, max=2, step=0.05, description="start x",
                                           layout=widgets.Layout(width="250px")))
        self.add("y0", widgets.FloatSlider(value=y, min=-2, max=2, step=0.05, description="start y",
                                           layout=widgets.Layout(width="250px")))
        self.controls["mode"].observe(self._on_mode, names="value")
        self.controls["function"].observe(self._on_function, names="value")
        self._set_ranges(function, reset=False)

        a1, a2, a3 = self.fig.subplots(1, 3, gridspec_kw={"width_ratios": [1.15, 1, 1]})
        self.ax_f, self.ax_loss, self.ax_rate = a1, a2, a3
        self.curve, = a1.plot([], [], color="k", lw=1.3)
        self.contour = None
        self.contours = _opt.ContourCache(a1, linewidths=0.8)   # kept per function (and L)
        self.minima_pts, = a1.plot([], [], "*", color="gold", mec="k", mew=0.6, ms=11, zorder=5)
        self.path, = a1.plot([], [], "-o", color=COLORS["red"], ms=3, lw=1)
        self.start, = a1.plot([], [], "o", color=COLORS["red"], mfc="white", ms=6, mew=1.5)
        self.dynamic(self.path, self.start)
        a2.set_yscale("log")
        a2.set_xlabel("step")
        a2.set_title("loss f(xₖ) − f(x*)")
        a2.yaxis.set_major_locator(LogLocator(numticks=6))
        a2.yaxis.set_minor_formatter(NullFormatter())
        self.loss_line, = a2.plot([], [], color=COLORS["red"], lw=1.4)
        self.verdict = a2.text(0.97, 0.95, "", transform=a2.transAxes, ha="right", va="top",
                               fontsize=11, fontweight="bold")
        self.dynamic(self.loss_line, self.verdict)
        a3.set_xscale("log")
        a3.set_xlim(LR_MIN, LR_MAX)
        a3.set_ylim(0, 2.5)
        a3.set_xlabel("learning rate")
        a3.set_title("contraction per step max|1 − lr·λ|")
        a3.axhline(1, color="0.5", lw=0.8)
        self.rate_curve, = a3.plot([], [], color="k", lw=1.3)
        self.stable_line = a3.axvline(1, color=COLORS["red"], ls="--", lw=1)
        self.stable_text = a3.text(1, 2.4, "2/L", color=COLORS["red"], ha="left", va="top",
                                   fontsize=8)
        self.best_line = a3.axvline(1, color=COLORS["green"], ls=":", lw=1)
        self.rate_dot, = a3.plot([], [], "o", color=COLORS["red"], ms=6)
        self.dynamic(self.rate_dot)
        # static pixels: the path and rate panels keyed by (mode, function, L), the loss panel by
        # its view only; coming back to a function (or an L, or a step range) restores them
        self.cache_axes(a1, a2, a3)

    def _function(self, mode, name, L):
        """``gd_function``, kept per (mode, name, L): building a test function refines its
        minima by Newton steps, a few ms each time."""
        key = (mode, name, L if "quadratic" in name else None)
        if key not in self._functions:
            if len(self._functions) >= 64:
                self._functions.pop(next(iter(self._functions)))
            self._functions[key] = gd_function(mode, name, L)
        return self._functions[key]

    def _set_ranges(self, name, reset=True):
        f = self._function(self.controls["mode"].value, name, self.controls["L"].value)
        (x0, x1), (y0, y1) = f.domain
        with self.hold():
            for key, lo, hi in (("x0", x0, x1), ("y0", y0, y1)):
                w = self.controls[key]
                w.min, w.max = -1e9, 1e9
                w.min, w.max = lo, hi
                w.step = (hi - lo) / 100
            if reset:
                self.controls["x0"].value, self.controls["y0"].value = START[name]
            self.controls["y0"].layout.display = "none" if isinstance(f, _opt.Function1D) else None
            self.controls["L"].layout.display = None if "quadratic" in name else "none"

    def _on_mode(self, change):
        names = self._names(change["new"])
        with self.hold():
            self.controls["function"].options = names
            self.controls["function"].value = names[0]
            self._set_ranges(names[0])
        self.update()

    def _on_function(self, change):
        if self._hold == 0:
            with self.hold():
                self._set_ranges(change["new"])

    # -- compute and draw ---------------------------------------------------------------------
    def function(self):
        v = self.values()
        return self._function(v["mode"], v["function"], v["L"])

    def compute(self):
        v = self.values()
        f = self.function()
        r = gd_compute(f, v["lr"], (v["x0"], v["y0"]), v["steps"])
        r["f"] = f
        return r

    def _draw_static(self, f, r, title, key):
        a1 = self.ax_f
        (x0, x1), (y0, y1) = f.domain
        if r["one_d"]:
            self.contours.hide()
            self.contour = None
            xs = np.linspace(x0, x1, 300)
            ys = f.f(xs)
            self.curve.set_data(xs, ys)
            self.curve.set_visible(True)
            a1.set_xlim(x0, x1)
            a1.set_ylim(ys.min() - 0.08 * np.ptp(ys), ys.max() + 0.08 * np.ptp(ys))
            self.minima_pts.set_data(f.minima_1d, f.f(f.minima_1d))
            a1.set_aspect("auto")
            a1.set_xlabel("x")
        else:
            self.curve.set_visible(False)
            self.contour = self.contours.show(f, key)
            mins = np.asarray(f.minima).reshape(-1, 2)
            self.minima_pts.set_data(mins[:, 0], mins[:, 1])
            a1.set_xlabel("x")
        a1.set_title(title)
        self.rate_curve.set_data(LR_GRID, r["rate_curve"])
        for line in (self.stable_line, self.best_line):
            line.set_visible(np.isfinite(r["lr_stable"]))
        if np.isfinite(r["lr_stable"]):
            self.stable_line.set_xdata([r["lr_stable"]] * 2)
            self.stable_text.set_position((r["lr_stable"] * 1.1, 2.4))
            self.stable_text.set_text("2/L" if "quadratic" in f.name else "2/L (local)")
        if np.isfinite(r["lr_best"]):
            self.best_line.set_xdata([r["lr_best"]] * 2)
        self.invalidate(self.ax_f, self.ax_rate, key=key)
        self.layout_if_needed()

    def draw(self, r):
        v = self.values()
        f = r["f"]
        key = (v["mode"], v["function"], v["L"] if "quadratic" in v["function"] else None)
        if key != self._static_key:
            title = v["function"] + (f", L = {v['L']:g}" if "quadratic" in v["function"] else "")
            self._draw_static(f, r, title, key)
            self._static_key = key
        P = r["path"]
        if r["one_d"]:
            xs = P[:, 0]
            self.path.set_data(xs, f.f(xs))
            self.start.set_data(xs[:1], f.f(xs[:1]))
        else:
            self.path.set_data(P[:, 0], P[:, 1])
            self.start.set_data(P[:1, 0], P[:1, 1])
        n = int(v["steps"])
        fmin = r["f_min"] if np.isfinite(r["f_min"]) else 0.0
        gap = np.maximum(r["losses"] - fmin, 1e-16)
        self.loss_line.set_data(np.arange(len(gap)), gap)
        top = max(1e3, float(gap[0]) * 1e3)
        # the step axis ends at the next of 10, 20, 50, 100, 200: a few views, each kept, so
        # that dragging the steps slider mostly moves the curve instead of redrawing the ticks
        lim = (0, next((m for m in (10, 20, 50, 100, 200) if m >= n), max(n, 1)))
        ylim = (1e-12, 10 ** math.ceil(math.log10(top)))
        if self.ax_loss.get_xlim() != lim:
            self.ax_loss.set_xlim(*lim)
        if tuple(self.ax_loss.get_ylim()) != ylim:
            self.ax_loss.set_ylim(*ylim)
        self.verdict.set_text(r["verdict"])
        self.verdict.set_color(VERDICT_COLORS[r["verdict"]])
        if np.isfinite(r["rate"]):
            self.rate_dot.set_data([r["lr"]], [min(r["rate"], 2.45)])
        else:
            self.rate_dot.set_data([], [])
        g_end = r["grad_norms"][-1] if len(r["grad_norms"]) else float("nan")
        self.readout.value = table_html([
            ["verdict", f"<b style='color:{VERDICT_COLORS[r['verdict']]}'>{r['verdict']}</b>"
             + (" (overflow)" if r["overflow"] else "")],
            ["learning rate / stability limit 2/L", f"{fmt(r['lr'])} / {fmt(r['lr_stable'])}"
             + ("  (L = largest curvature at the minimum)")],
            ["best fixed rate 2/(L + μ)", fmt(r["lr_best"])],
            ["contraction per step max|1 − lr·λ| / measured ‖∇f‖ growth",
             f"{fmt(r['rate'])} / {fmt(r['growth'])}"],
            ["final loss, ‖∇f‖", f"{fmt(r['losses'][-1])}, {fmt(g_end)}"],
        ])


def gd_explorer(mode="2-D", function=None, lr=0.1, steps=40, L=4.0):
    """Gradient descent (``dlmath.optim.SGD``) on a 1-D function or a 2-D surface: a log slider
    for the learning rate, the start point and the number of steps. Shows the path (on the
    curve or the contour plot), the loss curve on a log scale with the verdict — converged,
    oscillating, diverged or slow — and the contraction factor max|1 − lr·λ| against the
    learning rate with the stability line lr = 2/L (exact on the quadratics, local elsewhere)."""
    return GDExplorer(mode, function, lr, steps, L)
