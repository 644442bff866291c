"""Explorer 4 — activation functions, their derivatives (by dlmath autograd), saturation, softmax
with a temperature, and the gradient norm through the layers of a deep random network."""
import math

import numpy as np
import ipywidgets as widgets
from matplotlib.collections import PolyCollection
from matplotlib.ticker import (AutoLocator, LogLocator, MaxNLocator, NullFormatter,
                               NullLocator, ScalarFormatter)

import dlmath
from .. import nn
from ..nn import functional as F
from ._base import COLORS, Explorer, fmt, table_html

__all__ = ["ACTIVATIONS", "INITS", "activation_curves", "saturation_intervals",
           "softmax_compute", "depth_compute", "activation_explorer", "ActivationExplorer"]

ELEMENTWISE = {
    "ReLU": F.relu,
    "leaky ReLU": lambda x: F.leaky_relu(x, 0.01),
    "sigmoid": F.sigmoid,
    "tanh": F.tanh,
    "GELU": F.gelu,
}
ACTIVATIONS = tuple(ELEMENTWISE) + ("softmax",)
INITS = ("Xavier (Glorot) normal", "He (Kaiming) normal", "N(0, 1)", "N(0, 0.01²)")
X_GRID = np.linspace(-6, 6, 481)
SATURATION = 0.05          # |f′| below 5 % of its maximum counts as saturated


def activation_curves(name, xs=X_GRID):
    """f(x) and f′(x) on a grid, both from dlmath: f from ``dlmath.nn.functional``, f′ by
    autograd (backward of Σ f(xᵢ), which gives f′(xᵢ) since each output depends on one input)."""
    if name not in ELEMENTWISE:
        raise ValueError(f"unknown activation {name!r}; choose from {list(ELEMENTWISE)}")
    x = dlmath.tensor(np.asarray(xs, dtype=float), requires_grad=True)
    y = ELEMENTWISE[name](x)
    y.sum().backward()
    return y.data.copy(), x.grad.data.copy()


def saturation_intervals(xs, dfs, fraction=SATURATION):
    """The x-intervals where |f′| < fraction·max|f′| — the gradient (nearly) vanishes there."""
    xs, dfs = np.asarray(xs), np.abs(np.asarray(dfs))
    sat = dfs < fraction * dfs.max()
    out, start = [], None
    for i, s in enumerate(sat):
        if s and start is None:
            start = i
        if (not s or i == len(sat) - 1) and start is not None:
            end = i if s else i - 1
            out.append((float(xs[start]), float(xs[end])))
            start = None
    return out


def softmax_compute(logits, temperature=1.0):
    """p = softmax(z/T) and its Jacobian ∂pᵢ/∂zⱼ = pᵢ(δᵢⱼ − pⱼ)/T, both from dlmath (the
    Jacobian by ``dlmath.autograd.functional.jacobian``)."""
    if not temperature > 0:
        raise ValueError(f"the temperature must be > 0, got {temperature}")
    z = dlmath.tensor(np.asarray(logits, dtype=float))
    p = F.softmax(z / temperature, dim=0).data.copy()
    J = dlmath.autograd.functional.jacobian(lambda t: F.softmax(t / temperature, dim=0), z)
    J = J.data if hasattr(J, "data") else np.asarray(J)
    with np.errstate(divide="ignore"):
        H = float(-np.sum(np.where(p > 0, p * np.log(p), 0.0)))
    return {"p": p, "jacobian": np.asarray(J, dtype=float), "entropy": H,
            "temperature": temperature, "logits": np.asarray(logits, dtype=float)}


def depth_compute(name, depth, init, width=64, batch=256, seed=0):
    """A random deep network x → act(W₁x) → … → act(W_L ·) (no biases, width ``width``), one
    forward and backward pass in dlmath on a batch of N(0, 1) inputs, with the loss ⟨h_L, r⟩ for a
    fixed random r. Returns per layer l = 1…L: ``grad_norms`` ‖∂loss/∂W_l‖_F, ``act_std`` (std of
    the layer's output) and ``weight_std``."""
    if name not in ELEMENTWISE:
        raise ValueError(f"the deep network needs an elementwise activation, not {name!r}")
    if init not in INITS:
        raise ValueError(f"unknown initialisation {init!r}; choose from {INITS}")
    depth = int(depth)
    if depth < 1:
        raise ValueError(f"depth must be >= 1, got {depth}")
    rng = np.random.default_rng(seed)
    act = ELEMENTWISE[name]
    gain = {"ReLU": "relu", "leaky ReLU": "leaky_relu", "sigmoid": "sigmoid",
            "tanh": "tanh", "GELU": "relu"}[name]
    weights = []
    for _ in range(depth):
        W = dlmath.zeros(width, width, requires_grad=False)
        if init == INITS[0]:
            nn.init.xavier_normal_(W, gain=nn.init.calculate_gain(gain) if gain != "leaky_relu"
                                   else nn.init.calculate_gain(gain, 0.01), generator=rng)
        elif init == INITS[1]:
            nn.init.kaiming_normal_(W, a=0.01 if gain == "leaky_relu" else 0,
                                    nonlinearity="leaky_relu" if gain == "leaky_relu" else "relu",
                                    generator=rng)
        elif init == INITS[2]:
            nn.init.normal_(W, 0.0, 1.0, generator=rng)
        else:
            nn.init.normal_(W, 0.0, 0.01, generator=rng)
        W.requires_grad_(True)
        weights.append(W)
    x = dlmath.tensor(rng.standard_normal((batch, width)))
    r = dlmath.tensor(rng.standard_normal((batch, width)))
    h, stds = x, []
    with np.errstate(all="ignore"):
        for W in weights:
            h = act(h @ W.T)
            stds.append(float(np.std(h.data)))
        loss = (h * r).sum() / batch
        loss.backward()
        gnorms = np.array([float(np.linalg.norm(W.grad.data)) for W in weights])
    return {"grad_norms": gnorms, "act_std": np.array(stds),
            "weight_std": np.array([float(np.std(W.data)) for W in weights]),
            "depth": depth, "init": init, "activation": name}


class ActivationExplorer(Explorer):
    name = "activation_explorer"
    summary = "activations f and f′ (autograd), saturation, softmax temperature, gradients vs depth"
    figsize = (9.8, 3.3)
    # room for the y tick labels of every activation (−1.0, 0.25…) and for softmax's panels
    # under one layout: a change of activation then needs no new layout
    layout_pads = {"h_pad": 0.04, "w_pad": 0.1, "hspace": 0.02, "wspace": 0.02}

    def __init__(self, activation="sigmoid", depth=20, init="Xavier (Glorot) normal"):
        self._init = (activation, depth, init)
        self._mode = None
        self._sat_key = None
        self._depth_cache = {}
        super().__init__()

    def build(self):
        activation, depth, init = self._init
        self.add("activation", widgets.Dropdown(options=ACTIVATIONS, value=activation,
                                                description="activation",
                                                layout=widgets.Layout(width="220px")))
        self.add("depth", widgets.IntSlider(value=depth, min=1, max=50, description="depth",
                                            continuous_update=False,
                                            layout=widgets.Layout(width="280px")))
        self.add("init", widgets.Dropdown(options=INITS, value=init, description="init",
                                          layout=widgets.Layout(width="260px")))
        def lay():                       # one Layout per control: hiding one hides only it
            return widgets.Layout(width="210px")
        for i, z in enumerate((2.0, 1.0, 0.1)):
            self.add(f"z{i}", widgets.FloatSlider(value=z, min=-4, max=4, step=0.1,
                                                  description=f"logit z{i + 1}", layout=lay()))
        self.add("T", widgets.FloatLogSlider(value=1.0, base=10, min=-1, max=1, step=0.02,
                                             description="temperature T", readout_format=".2f",
                                             layout=widgets.Layout(width="280px")))
        self.controls["activation"].observe(self._show, names="value")

        a1, a2, a3 = self.fig.subplots(1, 3)
        self.ax_f, self.ax_d, self.ax_g = a1, a2, a3
        # elementwise artists
        self.f_line, = a1.plot([], [], color=COLORS["blue"], lw=1.8)
        self.d_line, = a2.plot([], [], color=COLORS["red"], lw=1.8)
        self.shades = []
        for ax in (a1, a2):
            pc = PolyCollection([], facecolors="0.85", edgecolors="none",
                                transform=ax.get_xaxis_transform(), zorder=0)
            ax.add_collection(pc)
            self.shades.append(pc)
        self.sat_label = a2.text(0.02, 0.97, "", transform=a2.transAxes, va="top", fontsize=7,
                                 color="0.35")
        # softmax artists
        self.p_bars = a1.bar(np.arange(3), np.zeros(3), color=[COLORS["blue"], COLORS["orange"],
                                                               COLORS["green"]])
        self.jac = a2.imshow(np.zeros((3, 3)), cmap="RdBu_r", vmin=-0.5, vmax=0.5)
        self.p_text = [a1.text(i, 0, "", ha="center", va="bottom", fontsize=8) for i in range(3)]
        self.j_text = [a2.text(j, i, "", ha="center", va="center", fontsize=8)
                       for i in range(3) for j in range(3)]
        self.f_title = a1.set_title("")
        self.d_title = a2.set_title("")
        self.dynamic(*self.p_bars, self.jac, *self.p_text, *self.j_text)
        # depth panel
        a3.set_yscale("log")
        a3.set_xlabel("layer")
        a3.yaxis.set_minor_formatter(NullFormatter())
        self.g_line, = a3.plot([], [], "o-", color=COLORS["purple"], ms=3, lw=1.3,
                               label="‖∂loss/∂W_l‖")
        self.s_line, = a3.plot([], [], "s--", color=COLORS["olive"], ms=2.5, lw=1,
                               label="std of activations")
        self.g_legend = a3.legend(loc="lower left", fontsize=7, frameon=False)
        self.g_title = a3.set_title("gradients through depth")
        self.g_note = a3.text(0.5, 0.5, "", transform=a3.transAxes, ha="center", va="center",
                              fontsize=8, color="0.3", wrap=True)
        self.dynamic(self.g_line, self.s_line, self.g_title)
        self.cache_axes(a1, a2, a3)      # keyed: (mode, activation) for a1, a2; mode for a3
        self._show()

    def control_rows(self):
        c = self.controls
        return [widgets.HBox([c["activation"], c["depth"], c["init"]]),
                widgets.HBox([c["z0"], c["z1"], c["z2"], c["T"]])]

    def _show(self, *_):
        soft = self.controls["activation"].value == "softmax"
        for k in ("z0", "z1", "z2", "T"):
            self.controls[k].layout.display = None if soft else "none"
        for k in ("depth", "init"):
            self.controls[k].layout.display = "none" if soft else None

    def compute(self):
        v = self.values()
        name = v["activation"]
        if name == "softmax":
            return {"mode": "softmax",
                    "softmax": softmax_compute([v["z0"], v["z1"], v["z2"]], v["T"])}
        fx, dfx = activation_curves(name)
        key = (name, v["depth"], v["init"])
        if key not in self._depth_cache:
            self._depth_cache[key] = depth_compute(name, v["depth"], v["init"])
        return {"mode": "elementwise", "name": name, "x": X_GRID, "f": fx, "df": dfx,
                "saturated": saturation_intervals(X_GRID, dfx),
                "depth": self._depth_cache[key]}

    def _set_mode(self, mode):
        soft = mode == "softmax"
        a1, a2, a3 = self.ax_f, self.ax_d, self.ax_g
        for art in (self.f_line, self.d_line, *self.shades, self.sat_label):
            art.set_visible(not soft)
        for art in (*self.p_bars, self.jac, *self.p_text, *self.j_text):
            art.set_visible(soft)
        self.g_legend.set_visible(not soft)
        a2.set_aspect("equal" if soft else "auto")
        if soft:
            a1.set_xlim(-0.6, 2.6)
            a1.set_ylim(0, 1.1)
            a1.set_xticks([0, 1, 2], ["p₁", "p₂", "p₃"])
            a1.set_xlabel("")
            self.f_title.set_text("softmax(z / T)")
            a2.set_xlim(-0.5, 2.5)
            a2.set_ylim(2.5, -0.5)
            a2.set_xticks([0, 1, 2], ["z₁", "z₂", "z₃"])
            a2.set_yticks([0, 1, 2], ["p₁", "p₂", "p₃"])
            a2.set_xlabel("")
            self.d_title.set_text("Jacobian ∂pᵢ/∂zⱼ (autograd)")
            self.g_line.set_visible(False)
            self.s_line.set_visible(False)
            self.g_title.set_text("")
            a3.set_xlabel("")
            self.g_note.set_text("softmax turns logits into probabilities\n"
                                 "(an output layer, not a hidden activation):\n"
                                 "pick an elementwise activation for the depth panel")
            a3.set_yscale("linear")
            a3.set_xlim(0, 1)
            a3.set_ylim(0, 1)
            a3.set_xticks([])
            a3.set_yticks([])
        else:
            a1.set_xlim(X_GRID[0], X_GRID[-1])
            a2.set_xlim(X_GRID[0], X_GRID[-1])
            for ax in (a1, a2):
                for axis in (ax.xaxis, ax.yaxis):
                    axis.set_major_locator(AutoLocator())
                    axis.set_major_formatter(ScalarFormatter())
                ax.set_xlabel("x")
            self.g_line.set_visible(True)
            self.s_line.set_visible(True)
            self.g_note.set_text("")
            a3.set_yscale("log")
            a3.set_xlabel("layer")
            a3.yaxis.set_major_locator(LogLocator(numticks=6))
            # no minor ticks: over tens of decades they are hundreds of (empty) labels to lay
            # out on every redraw of the panel
            a3.yaxis.set_minor_locator(NullLocator())
            a3.yaxis.set_minor_formatter(NullFormatter())
            a3.xaxis.set_major_locator(MaxNLocator(integer=True))
        self._mode = mode
        self._sat_key = None
        self.invalidate(a3, key=mode)
        if soft:
            self.invalidate(a1, a2, key=mode)
        self.layout_if_needed()

    def draw(self, r):
        if r["mode"] != self._mode:
            self._set_mode(r["mode"])
        if r["mode"] == "softmax":
            s = r["softmax"]
            for bar, txt, p in zip(self.p_bars, self.p_text, s["p"]):
                bar.set_height(p)
                txt.set_position((bar.get_x() + bar.get_width() / 2, p + 0.02))
                txt.set_text(f"{p:.3f}")
            J = s["jacobian"]
            self.jac.set_data(J)
            m = max(float(np.max(np.abs(J))), 1e-12)
            self.jac.set_clim(-m, m)
            for t, val in zip(self.j_text, J.ravel()):
                t.set_text(f"{val:+.3f}")
                t.set_color("white" if abs(val) > 0.6 * m else "black")
            self.readout.value = table_html([
                ["z / T", ", ".join(f"{z / s['temperature']:.3g}" for z in s["logits"])],
                ["p = softmax(z / T)", ", ".join(f"{p:.4f}" for p in s["p"])],
                ["entropy H(p) (nats); max ln 3 = 1.0986", fmt(s["entropy"])],
                ["Jacobian rows (pᵢ(δᵢⱼ − pⱼ)/T)",
                 "<br>".join("[" + ", ".join(f"{x:+.3f}" for x in row) + "]" for row in J)],
                ["", "T → 0: one-hot (argmax); T → ∞: uniform. Each Jacobian row sums to 0."],
            ])
            return
        name = r["name"]
        if self._sat_key != name:              # static per activation
            self.f_line.set_data(r["x"], r["f"])
            self.d_line.set_data(r["x"], r["df"])
            for ax, y in ((self.ax_f, r["f"]), (self.ax_d, r["df"])):
                pad = 0.08 * (y.max() - y.min() + 1e-9)
                ax.set_ylim(y.min() - pad, y.max() + pad)
            verts = [[(a, 0), (b, 0), (b, 1), (a, 1)] for a, b in r["saturated"]]
            for pc in self.shades:
                pc.set_verts(verts)
            self.sat_label.set_text("gray: saturated, |f′| < 5 % of max" if verts else "")
            self.f_title.set_text(f"{name}: f(x)")
            self.d_title.set_text("f′(x) by dlmath autograd")
            self._sat_key = name
            self.invalidate(self.ax_f, self.ax_d, key=("elementwise", name))
            self.layout_if_needed()
        d = r["depth"]
        L = d["depth"]
        layers = np.arange(1, L + 1)
        g = np.where(np.isfinite(d["grad_norms"]), d["grad_norms"], np.nan)
        sd = np.where(np.isfinite(d["act_std"]), d["act_std"], np.nan)
        self.g_line.set_data(layers, np.maximum(g, 1e-300))
        self.s_line.set_data(layers, np.maximum(sd, 1e-300))
        vals = np.concatenate([g[np.isfinite(g) & (g > 0)], sd[np.isfinite(sd) & (sd > 0)]])
        lo = 10 ** math.floor(math.log10(max(vals.min(), 1e-300)) - 0.3) if vals.size else 1e-3
        hi = 10 ** math.ceil(math.log10(vals.max()) + 0.3) if vals.size else 1e3
        lim = (max(lo, 1e-300), min(hi, 1e300))
        if self.ax_g.get_ylim() != lim:
            self.ax_g.set_ylim(*lim)
        if self.ax_g.get_xlim() != (0.5, L + 0.5):
            self.ax_g.set_xlim(0.5, L + 0.5)
        self.g_title.set_text(f"{L} layers, {d['init'].split(' (')[0]}")
        ratio = g[0] / g[-1] if g[-1] > 0 else math.inf
        self.readout.value = table_html([
            ["saturated where (|f′| < 5 % of max)",
             ", ".join(f"[{a:.2g}, {b:.2g}]" for a, b in r["saturated"]) or "nowhere"],
            ["max f′", fmt(float(np.max(r["df"])))],
            ["‖∂loss/∂W‖ first layer / last layer",
             f"{fmt(g[0])} / {fmt(g[-1])}  (ratio {fmt(ratio, 3)})"],
            ["std of activations, last layer", fmt(sd[-1])],
            ["", "ratio ≪ 1: vanishing gradients (the early layers barely learn); activations or "
             "gradients growing by orders of magnitude: exploding"],
        ])


def activation_explorer(activation="sigmoid", depth=20, init="Xavier (Glorot) normal"):
    """ReLU, leaky ReLU, sigmoid, tanh, GELU (from ``dlmath.nn.functional``) with f and f′ side by
    side — f′ computed by dlmath's autograd — and the saturated regions shaded; softmax on three
    logits with a temperature slider (probabilities and their Jacobian). A depth slider and an
    initialisation choice show the gradient norm per layer of a random deep network (vanishing
    or exploding gradients)."""
    return ActivationExplorer(activation, depth, init)
