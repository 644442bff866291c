"""Explorer 11 — the step size h of a finite difference: truncation error vs round-off error."""
import numpy as np
import ipywidgets as widgets

from .. import calculus
from ._base import COLORS, Explorer, fmt, table_html

__all__ = ["FD_FUNCTIONS", "fd_compute", "finite_difference_explorer", "FiniteDifferenceExplorer"]


def _tanh_derivs(x):
    t = np.tanh(x)
    s = 1 - t * t
    return t, s, -2 * t * s, -2 * s * (1 - 3 * t * t)


#: name → (f, f', f'', f''') as NumPy functions (the exact derivatives the errors are measured
#: against; tests check them against dlmath's autograd).
FD_FUNCTIONS = {
    "sin(x)": (np.sin, np.cos, lambda x: -np.sin(x), lambda x: -np.cos(x)),
    "exp(x)": (np.exp, np.exp, np.exp, np.exp),
    "x³": (lambda x: x ** 3, lambda x: 3 * x ** 2, lambda x: 6 * x, lambda x: 6 + 0 * x),
    "tanh(x)": tuple(lambda x, i=i: _tanh_derivs(x)[i] for i in range(4)),
    "1/(1 + x²)": (lambda x: 1 / (1 + x * x),
                   lambda x: -2 * x / (1 + x * x) ** 2,
                   lambda x: (6 * x * x - 2) / (1 + x * x) ** 3,
                   lambda x: 24 * x * (1 - x * x) / (1 + x * x) ** 4),
}
H_MIN, H_MAX = 1e-16, 1.0
ERR_FLOOR = 1e-18          # an error of exactly 0 is drawn here on the log axis


def fd_compute(function="sin(x)", x0=1.0, h=1e-5, hs=None):
    """Finite-difference errors at x0 — plain data for the view and the tests.

    ``function`` is a name in ``FD_FUNCTIONS`` or a tuple (f, f', f'', f'''). Returns a dict with
    the step grid ``hs`` and, for "forward", "central" and "backward", the measured errors
    ``errors[method]`` (|estimate − f'(x0)| on the grid), the predicted ``model[method]``
    (truncation + round-off), ``best_h[method]`` (the model's optimum), ``estimate[method]`` and
    ``error_at_h[method]`` at the chosen h; plus ``true`` = f'(x0).
    """
    if isinstance(function, str):
        if function not in FD_FUNCTIONS:
            raise ValueError(f"unknown function {function!r}; choose from {list(FD_FUNCTIONS)}")
        f, d1, d2, d3 = FD_FUNCTIONS[function]
    else:
        f, d1, d2, d3 = function
    if not (np.isfinite(h) and h > 0):
        raise ValueError(f"the step h must be a positive number, got {h}")
    hs = np.logspace(np.log10(H_MIN), np.log10(H_MAX), 241) if hs is None else np.asarray(hs)
    x0 = float(x0)
    f0, true, f2, f3 = float(f(x0)), float(d1(x0)), float(d2(x0)), float(d3(x0))
    out = {"x0": x0, "h": float(h), "hs": hs, "true": true, "f0": f0, "f2": f2, "f3": f3,
           "errors": {}, "model": {}, "best_h": {}, "estimate": {}, "error_at_h": {},
           "best_error_measured": {}}
    for method in calculus.METHODS:
        est = calculus.derivative(f, x0, hs, method)
        err = np.abs(est - true)
        out["errors"][method] = err
        _, _, total = calculus.error_model(hs, method, f0, f2=f2, f3=f3)
        out["model"][method] = total
        out["best_h"][method] = calculus.best_h(method, f0, f2=f2, f3=f3)
        e = float(calculus.derivative(f, x0, h, method))
        out["estimate"][method] = e
        out["error_at_h"][method] = abs(e - true)
        out["best_error_measured"][method] = float(np.min(err))
    return out


class FiniteDifferenceExplorer(Explorer):
    name = "finite_difference_explorer"
    summary = "forward vs central difference error against the step size h (truncation vs round-off)"
    figsize = (9.8, 3.4)

    def __init__(self, function="sin(x)", x0=1.0, h=0.1):
        self._init = (function, x0, h)
        super().__init__()

    def build(self):
        function, x0, h = self._init
        self.add("function", widgets.Dropdown(options=list(FD_FUNCTIONS), value=function,
                                              description="f", layout=widgets.Layout(width="170px")))
        self.add("x0", widgets.FloatSlider(value=x0, min=-2, max=2, step=0.05, description="x₀",
                                           layout=widgets.Layout(width="260px")))
        self.add("h", widgets.FloatLogSlider(value=h, base=10, min=-16, max=0, step=0.1,
                                             description="step h", readout_format=".1e",
                                             layout=widgets.Layout(width="380px")))
        ax, ax2 = self.fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.6, 1]})
        self.ax, self.ax2 = ax, ax2
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(H_MIN, H_MAX)
        ax.set_ylim(1e-17, 1e1)
        ax.set_xlabel("step h")
        ax.set_ylabel("|estimate − f′(x₀)|")
        ax.set_title("error of the finite difference")
        ax.grid(True, which="major", lw=0.4, alpha=0.5)
        eps = calculus.EPS
        ax.axvline(np.sqrt(eps), color="0.75", lw=0.8, ls=":")
        ax.axvline(eps ** (1 / 3), color="0.75", lw=0.8, ls=":")
        ax.text(np.sqrt(eps) * 0.7, 2e-17, "√ε", ha="right", fontsize=7, color="0.4")
        ax.text(eps ** (1 / 3) * 1.3, 2e-17, "ε^⅓", ha="left", fontsize=7, color="0.4")
        style = {"backward": COLORS["green"], "forward": COLORS["blue"],    # backward underneath
                 "central": COLORS["orange"]}
        self.lines, self.models, self.dots, self.stars = {}, {}, {}, {}
        for m, c in style.items():
            lw = 1.0 if m == "backward" else 1.4
            alpha = 0.45 if m == "backward" else 1.0
            self.lines[m], = ax.plot([], [], color=c, lw=lw, alpha=alpha, label=m)
            self.models[m], = ax.plot([], [], color=c, lw=0.9, ls="--", alpha=0.7)
            self.dots[m], = ax.plot([], [], "o", color=c, ms=5)
            self.stars[m], = ax.plot([], [], "*", color=c, ms=9, mec="k", mew=0.5)
        self.models["backward"].set_visible(False)
        self.stars["backward"].set_visible(False)
        self.hline = ax.axvline(1e-3, color=COLORS["red"], lw=1)
        ax.legend(handles=[self.lines[m] for m in calculus.METHODS], loc="upper center", ncols=3,
                  frameon=False)
        ax.text(0.99, 0.02, "dashed: theory   ★: best h", transform=ax.transAxes, ha="right",
                fontsize=7, color="0.35")
        # the error curves, models and best-h stars change with f and x₀ only: a layer (kept
        # per (f, x₀)); the dots and the h line move with h on top of it
        self.layer(*self.lines.values(), *self.models.values(), *self.stars.values())
        self._layer_state = None
        self.dynamic(*self.dots.values(), self.hline)
        ax2.set_title("secants at step h")
        self.curve, = ax2.plot([], [], color="k", lw=1.3)
        self.tangent, = ax2.plot([], [], color="0.5", lw=1, ls=":")
        self.sec_f, = ax2.plot([], [], color=style["forward"], lw=1.2)
        self.sec_c, = ax2.plot([], [], color=style["central"], lw=1.2)
        self.pts, = ax2.plot([], [], "o", color="k", ms=3)
        self._window = None
        self.dynamic(self.tangent, self.sec_f, self.sec_c, self.pts)
        self.cache_axes(ax, ax2)           # the curve panel keyed by the function

    def compute(self):
        v = self.values()
        return fd_compute(v["function"], v["x0"], v["h"])

    def draw(self, r):
        hs = r["hs"]
        state = (self.controls["function"].value, r["x0"])
        for m in calculus.METHODS:
            if state != self._layer_state:
                self.lines[m].set_data(hs, np.maximum(r["errors"][m], ERR_FLOOR))
                self.models[m].set_data(hs, r["model"][m])
                bh = r["best_h"][m]
                i = int(np.argmin(np.abs(np.log(hs) - np.log(bh))))
                self.stars[m].set_data([bh], [max(r["model"][m][i], ERR_FLOOR)])
            self.dots[m].set_data([r["h"]], [max(r["error_at_h"][m], ERR_FLOOR)])
        if state != self._layer_state:
            self._layer_state = state
            self.invalidate_layer(key=state)
        self.hline.set_xdata([r["h"], r["h"]])
        # right panel: f near x0, the tangent and the two secants at the current h
        v = self.values()
        f = FD_FUNCTIONS[v["function"]][0]
        x0, h = r["x0"], r["h"]
        w = 1.0
        if self._window != v["function"]:          # a new function: redraw the static curve
            xs = np.linspace(-3, 3, 300)
            ys = f(xs)
            self.curve.set_data(xs, ys)
            self.ax2.set_xlim(-3, 3)
            pad = 0.08 * (ys.max() - ys.min() + 1e-9)
            self.ax2.set_ylim(ys.min() - pad, ys.max() + pad)
            self.ax2.set_title(f"{v['function']}: tangent (dotted) and secants")
            self._window = v["function"]
            self.invalidate(self.ax2, key=v["function"])
            self.layout_if_needed()
        f0, d = r["f0"], r["true"]
        span = np.array([x0 - w, x0 + w])
        self.tangent.set_data(span, f0 + d * (span - x0))
        self.sec_f.set_data(span, f0 + r["estimate"]["forward"] * (span - x0))
        self.sec_c.set_data(span, f(x0) + r["estimate"]["central"] * (span - x0))
        self.pts.set_data([x0 - h, x0, x0 + h], [f(x0 - h), f0, f(x0 + h)])
        rows = [["f′(x₀) exact", f"{r['true']:.16g}", "", ""]]
        for m in calculus.METHODS:
            rows.append([m, f"{r['estimate'][m]:.16g}", fmt(r["error_at_h"][m], 3),
                         f"{r['best_h'][m]:.2g}"])
        self.readout.value = table_html(rows, ["at h = " + f"{r['h']:.1e}", "estimate",
                                               "error", "best h (theory)"]) + \
            ("<div style='font-size:90%'>Right of the best h the error falls with h "
             "(truncation: ∝ h forward, ∝ h² central); left of it, round-off ∝ ε/h takes over.</div>")


def finite_difference_explorer(function="sin(x)", x0=1.0, h=0.1):
    """Forward, backward and central differences of a function at x0 against the step h on a
    log slider: the measured error over all h (solid), the truncation + round-off model
    (dashed), the best h (★) and the current h (red line); the secants themselves on the right."""
    return FiniteDifferenceExplorer(function, x0, h)
