"""Explorer 2 — momentum: heavy ball vs Nesterov on an ill-conditioned quadratic and Rosenbrock."""
import math

import numpy as np
import ipywidgets as widgets
from matplotlib import colormaps
from matplotlib.ticker import LogLocator, NullFormatter

from .. import landscapes, optim
from . import _opt
from ._base import COLORS, Explorer, fmt, table_html

__all__ = ["momentum_rate", "optimal_momentum", "momentum_function", "momentum_compute",
           "momentum_explorer", "MomentumExplorer"]

A_MIN, A_MAX = 1e-4, 2.0
ALPHAS = np.geomspace(A_MIN, A_MAX, 140)
BETAS = np.linspace(0.0, 0.99, 100)
FUNCTIONS = ("quadratic (κ, rotated)", "Rosenbrock")
STARTS = {"quadratic (κ, rotated)": (-1.6, 1.2), "Rosenbrock": (-1.5, 2.0)}
METHOD_COLORS = {"gradient descent": "0.55", "heavy ball": COLORS["blue"],
                 "Nesterov": COLORS["orange"]}


def momentum_rate(alpha, beta, curvatures, method="heavy ball"):
    r"""The asymptotic convergence rate (spectral radius of the iteration) on a quadratic with
    the given curvatures (Hessian eigenvalues): the error shrinks like ρᵏ.

    Per eigenvalue λ, the iterate obeys a 2-term recursion with characteristic polynomial
    z² − T z + D: heavy ball (``SGD(momentum=β)``) T = 1 + β − αλ, D = β; Nesterov
    (``nesterov=True``) T = (1 + β)(1 − αλ), D = β(1 − αλ). ρ = max over λ of the largest |root|.
    ``alpha`` and ``beta`` may be arrays (broadcast together).
    """
    a = np.asarray(alpha, dtype=float)[..., None]
    b = np.asarray(beta, dtype=float)[..., None]
    lam = np.asarray(curvatures, dtype=float)
    if method == "heavy ball":
        T, D = 1 + b - a * lam, b + 0 * lam
    elif method == "Nesterov":
        T, D = (1 + b) * (1 - a * lam), b * (1 - a * lam)
    elif method == "gradient descent":
        return np.max(np.abs(1 - a * lam), axis=-1)
    else:
        raise ValueError(f"method must be 'heavy ball', 'Nesterov' or 'gradient descent', "
                         f"got {method!r}")
    disc = np.sqrt((T * T - 4 * D).astype(complex))
    r = np.maximum(np.abs((T + disc) / 2), np.abs((T - disc) / 2))
    return np.max(r, axis=-1)


def optimal_momentum(L, mu):
    """Polyak's optimal heavy-ball parameters on a quadratic with curvatures in [μ, L]:
    α* = 4/(√L + √μ)², β* = ((√κ − 1)/(√κ + 1))², rate ρ* = (√κ − 1)/(√κ + 1), where κ = L/μ.
    Returns a dict with those and, for comparison, the best gradient-descent rate (κ − 1)/(κ + 1)
    at α = 2/(L + μ)."""
    if not (L >= mu > 0):
        raise ValueError(f"need L >= mu > 0, got L={L}, mu={mu}")
    k = L / mu
    sk = math.sqrt(k)
    return {"alpha": 4 / (math.sqrt(L) + math.sqrt(mu)) ** 2, "beta": ((sk - 1) / (sk + 1)) ** 2,
            "rate": (sk - 1) / (sk + 1), "kappa": k, "gd_alpha": 2 / (L + mu),
            "gd_rate": (k - 1) / (k + 1)}


def momentum_function(name, kappa=100.0):
    if name == "quadratic (κ, rotated)":
        if not kappa >= 1:
            raise ValueError(f"the condition number κ must be >= 1, got {kappa}")
        return landscapes.Quadratic.from_condition_number(kappa, mu=1.0, angle=math.pi / 6)
    if name == "Rosenbrock":
        return landscapes.Rosenbrock()
    raise ValueError(f"unknown function {name!r}; choose from {FUNCTIONS}")


def momentum_compute(f, alpha, beta, x0, steps, rate_map="heavy ball"):
    """Run gradient descent, heavy ball and Nesterov (all ``dlmath.optim.SGD``) from ``x0`` with
    learning rate ``alpha`` and momentum ``beta``; add the quadratic-model theory at f's minimum.

    Returns a dict: ``runs`` (method → dict with ``path``, ``losses``, ``diverged``),
    ``curvatures`` (Hessian eigenvalues at the minimum), ``L``, ``mu``, ``kappa``, ``optimal``
    (``optimal_momentum``), ``rates`` (method → theoretical ρ at (α, β)) and ``rate_map``: ρ over
    the grid ``ALPHAS`` × ``BETAS`` for the chosen method (rows β, columns α).
    """
    if not (alpha > 0 and math.isfinite(alpha)):
        raise ValueError(f"the learning rate α must be > 0, got {alpha}")
    if not 0 <= beta < 1:
        raise ValueError(f"the momentum β must be in [0, 1), got {beta}")
    factories = {
        "gradient descent": lambda p: optim.SGD(p, lr=alpha),
        "heavy ball": lambda p: optim.SGD(p, lr=alpha, momentum=beta),
        "Nesterov": lambda p: optim.SGD(p, lr=alpha, momentum=beta, nesterov=beta > 0),
    }
    runs = {}
    for name, factory in factories.items():
        tr, _ = _opt.run(factory, f, x0, steps)
        runs[name] = {"path": tr.path, "losses": tr.losses, "diverged": tr.diverged}
    m = np.asarray(f.minima)[0]
    lams = _opt.curvatures(f, m)
    L, mu = float(lams.max()), float(lams.min())
    rates = {name: float(momentum_rate(alpha, beta, lams, name)) for name in factories}
    grid = momentum_rate(ALPHAS[None, :], BETAS[:, None], lams, rate_map)
    return {"runs": runs, "curvatures": lams, "L": L, "mu": mu, "kappa": L / mu,
            "optimal": optimal_momentum(L, mu), "rates": rates, "rate_map": grid,
            "rate_map_method": rate_map, "alpha": alpha, "beta": beta, "minimum": m,
            "f_min": float(f.value(m))}


def visible_part(path, box):
    """The path up to (and including) its first point outside ``box`` ((lo, hi) corners): a
    diverging run is drawn until it leaves the picture, not as lines across the whole plot."""
    out = np.any((path < box[0]) | (path > box[1]), axis=1)
    if not out.any():
        return path
    return path[: int(np.argmax(out)) + 1]


class MomentumExplorer(Explorer):
    name = "momentum_explorer"
    summary = "heavy ball vs Nesterov: α, β and κ sliders, the optimal (α, β) and the rate map"
    figsize = (9.8, 3.4)

    def __init__(self, function=FUNCTIONS[0], kappa=50.0, alpha=None, beta=None, steps=100):
        self._init = (function, kappa, alpha, beta, steps)
        self._static_key = None
        super().__init__()

    def build(self):
        function, kappa, alpha, beta, steps = self._init
        f = momentum_function(function, kappa)
        lams = _opt.curvatures(f, np.asarray(f.minima)[0])
        opt = optimal_momentum(lams.max(), lams.min())
        alpha = opt["alpha"] if alpha is None else alpha
        beta = round(opt["beta"], 2) if beta is None else beta
        self.add("function", widgets.Dropdown(options=FUNCTIONS, value=function, description="f",
                                              layout=widgets.Layout(width="230px")))
        self.add("kappa", widgets.FloatLogSlider(value=kappa, base=10, min=0, max=3, step=0.05,
                                                 description="condition κ", readout_format=".3g",
                                                 layout=widgets.Layout(width="300px")))
        self.add("steps", widgets.IntSlider(value=steps, min=10, max=400, step=10,
                                            description="steps", continuous_update=True,
                                            layout=widgets.Layout(width="260px")))
        self.add("alpha", widgets.FloatLogSlider(value=alpha, base=10, min=math.log10(A_MIN),
                                                 max=math.log10(A_MAX), step=0.01,
                                                 description="learning rate α",
                                                 readout_format=".3g",
                                                 layout=widgets.Layout(width="360px")))
        self.add("beta", widgets.FloatSlider(value=beta, min=0, max=0.99, step=0.01,
                                             description="momentum β",
                                             layout=widgets.Layout(width="300px")))
        self.add("rate_map", widgets.ToggleButtons(options=["heavy ball", "Nesterov"],
                                                   value="heavy ball", description="rate map",
                                                   style={"button_width": "80px"}))
        self.optimal = widgets.Button(description="use optimal (α*, β*)",
                                      layout=widgets.Layout(width="170px"))
        self.optimal.on_click(lambda _: self.use_optimal())
        self.controls["function"].observe(self._on_function, names="value")

        a1, a2, a3 = self.fig.subplots(1, 3, gridspec_kw={"width_ratios": [1.1, 1, 1.05]})
        self.ax_c, self.ax_l, self.ax_r = a1, a2, a3
        self.contours = _opt.ContourCache(a1, on_new=self.layer)     # one set per (f, κ) shown
        self.contour = None
        self.paths, self.losses = {}, {}
        for name, c in METHOD_COLORS.items():
            self.paths[name], = a1.plot([], [], "-", color=c, lw=1.1, label=name)
            self.losses[name], = a2.plot([], [], color=c, lw=1.3, label=name)
        self.min_pt, = a1.plot([], [], "*", color="gold", mec="k", mew=0.6, ms=11, zorder=5)
        legend = a1.legend(loc="lower left", fontsize=7, frameon=True, framealpha=0.85)
        # what changes with f, κ or the rate map (contours, rate map, titles) is a layer over the
        # axes: with the artists drawn above it in a full draw (legend, star, spines), so that the
        # picture is the same — only the layer is redrawn when κ moves, not ticks and labels
        self.layer(a1.title, self.min_pt, legend, *a1.spines.values())
        self.theory, = a2.plot([], [], ls="--", color=COLORS["blue"], lw=0.9)
        a2.set_yscale("log")
        a2.set_xlabel("step")
        a2.set_title("f(xₖ) − f(x*)   (dashed: ρ²ᵏ theory)")
        a2.yaxis.set_major_locator(LogLocator(numticks=6))
        a2.yaxis.set_minor_formatter(NullFormatter())
        self.dynamic(*self.paths.values(), *self.losses.values(), self.theory)
        a3.set_xscale("log")
        a3.set_xlabel("learning rate α")
        a3.set_ylabel("momentum β")
        cmap = colormaps["viridis"].with_extremes(bad="0.88")
        self.mesh = a3.pcolormesh(ALPHAS, BETAS, np.zeros((len(BETAS), len(ALPHAS))),
                                  cmap=cmap, vmin=-3, vmax=0, shading="auto", rasterized=True)
        self.fig.colorbar(self.mesh, ax=a3, fraction=0.06, pad=0.02,
                          label="log₁₀(1 − ρ): brighter = faster")
        note = a3.text(0.97, 0.03, "gray: diverges", transform=a3.transAxes, ha="right",
                       fontsize=7, color="0.3")
        self.boundary = None
        self._boundaries = {}          # (f, κ, rate map) → the contour ρ = 0.999 of that map
        self.star, = a3.plot([], [], "*", color="cyan", mec="k", ms=13, mew=0.7)
        self.dot, = a3.plot([], [], "o", mfc="none", mec=COLORS["red"], ms=12, mew=2)
        self.dynamic(self.dot)
        self.r_title = a3.set_title("")
        self.layer(self.mesh, note, self.star, self.r_title, *a3.spines.values())
        self.cache_axes(a1, a2)        # their views (f's domain, steps × loss decades) recur

    def control_rows(self):
        c = self.controls
        return [widgets.HBox([c["function"], c["kappa"], c["steps"]]),
                widgets.HBox([c["alpha"], c["beta"], self.optimal]),
                widgets.HBox([c["rate_map"]])]

    def _on_function(self, change):
        quad = change["new"].startswith("quad")
        self.controls["kappa"].layout.display = None if quad else "none"
        if self._hold == 0:
            with self.hold():
                if quad:
                    self.use_optimal(update=False)
                else:          # the local optimum (α ≈ 0.004, β ≈ 0.92) diverges from (−1.5, 2):
                    self.controls["alpha"].value = 1e-3     # the curvature on the way is larger
                    self.controls["beta"].value = 0.9

    def use_optimal(self, update=True):
        """Set α and β to Polyak's optimum for the current function (one update)."""
        f = self.function()
        lams = _opt.curvatures(f, np.asarray(f.minima)[0])
        opt = optimal_momentum(lams.max(), lams.min())
        with self.hold():
            self.controls["alpha"].value = min(max(opt["alpha"], A_MIN), A_MAX)
            self.controls["beta"].value = min(round(opt["beta"], 2), 0.99)
        if update:
            self.update()

    def function(self):
        v = self.values()
        return momentum_function(v["function"], v["kappa"])

    def compute(self):
        v = self.values()
        f = self.function()
        r = momentum_compute(f, v["alpha"], v["beta"], STARTS[v["function"]], v["steps"],
                             v["rate_map"])
        r["f"] = f
        return r

    def _draw_static(self, r, v, key):
        """The layer: what depends on f, κ and the rate map only (``key``), not on α, β, steps."""
        f = r["f"]
        a1, a3 = self.ax_c, self.ax_r
        self.contour = self.contours.show(f, key[:2])
        m = r["minimum"]
        self.min_pt.set_data([m[0]], [m[1]])
        a1.set_title(v["function"] + (f", κ = {r['kappa']:.3g}"
                                      if v["function"].startswith("quad") else
                                      f" (local κ ≈ {r['kappa']:.0f})"))
        with np.errstate(all="ignore"):
            speed = np.log10(np.clip(1 - r["rate_map"], 1e-3, None))
        self.mesh.set_array(np.ma.masked_where(r["rate_map"] >= 1, speed).ravel())
        self.boundary = self._boundaries.pop(key, None)
        if self.boundary is None:
            if len(self._boundaries) >= 24:
                self._boundaries.pop(next(iter(self._boundaries))).remove()
            self.boundary = self.layer(a3.contour(ALPHAS, BETAS, r["rate_map"], levels=[0.999],
                                                  colors="k", linewidths=0.9))
        self._boundaries[key] = self.boundary
        for b in self._boundaries.values():
            b.set_visible(b is self.boundary)
        o = r["optimal"]
        self.star.set_data([o["alpha"]], [o["beta"]])
        self.r_title.set_text(f"{r['rate_map_method']} rate ρ(α, β); ★ optimum")
        a3.set_xlim(A_MIN, A_MAX)
        a3.set_ylim(0, 0.99)
        self.invalidate_layer(key)

    def draw(self, r):
        v = self.values()
        key = (v["function"], v["kappa"] if v["function"].startswith("quad") else None,
               v["rate_map"])
        if key != self._static_key:
            self._draw_static(r, v, key)
            self._static_key = key
        fmin = r["f_min"]
        top = 1.0
        (x0, x1), (y0, y1) = r["f"].domain
        box = np.array([[x0 - (x1 - x0), y0 - (y1 - y0)], [x1 + (x1 - x0), y1 + (y1 - y0)]])
        for name, run in r["runs"].items():
            P = visible_part(run["path"], box)
            self.paths[name].set_data(P[:, 0], P[:, 1])
            gap = np.maximum(run["losses"] - fmin, 1e-16)
            self.losses[name].set_data(np.arange(len(gap)), gap)
            top = max(top, float(gap[0]))
        rho = r["rates"]["heavy ball"]
        k = np.arange(v["steps"] + 1)
        l0 = r["runs"]["heavy ball"]["losses"][0] - fmin
        with np.errstate(all="ignore"):
            self.theory.set_data(k, np.maximum(l0 * rho ** (2 * k), 1e-300))
        self.theory.set_color(METHOD_COLORS["heavy ball"])
        xlim, ylim = (0, v["steps"]), (1e-12, 10 ** math.ceil(math.log10(top * 1e3)))
        if self.ax_l.get_xlim() != xlim:
            self.ax_l.set_xlim(*xlim)
        if self.ax_l.get_ylim() != ylim:
            self.ax_l.set_ylim(*ylim)
        self.dot.set_data([r["alpha"]], [r["beta"]])
        o = r["optimal"]
        self.readout.value = table_html([
            ["κ = L/μ (curvatures at the minimum)", f"{fmt(r['kappa'])} = {fmt(r['L'])}/{fmt(r['mu'])}"],
            ["optimal α* = 4/(√L + √μ)², β* = ((√κ − 1)/(√κ + 1))²",
             f"α* = {fmt(o['alpha'])}, β* = {fmt(o['beta'])}"],
            ["best rates: momentum (√κ − 1)/(√κ + 1) vs GD (κ − 1)/(κ + 1)",
             f"{fmt(o['rate'])} vs {fmt(o['gd_rate'])}"],
            ["rate ρ at the current (α, β): GD / heavy ball / Nesterov",
             " / ".join(fmt(r["rates"][m]) for m in ("gradient descent", "heavy ball", "Nesterov"))],
            ["final f − f*: GD / heavy ball / Nesterov",
             " / ".join(("diverged" if run["diverged"] else fmt(run["losses"][-1] - r["f_min"], 3))
                        for run in r["runs"].values())],
        ])


def momentum_explorer(function=FUNCTIONS[0], kappa=50.0, alpha=None, beta=None, steps=100):
    """Gradient descent, heavy-ball momentum and Nesterov momentum (``dlmath.optim.SGD``) side by
    side on a rotated quadratic with condition number κ (slider) or on Rosenbrock. Sliders for the
    learning rate α and the momentum β (default: the optimum for κ); a button sets the optimal
    (α*, β*). Right: the theoretical convergence rate ρ(α, β) as a map, with the stability
    boundary ρ = 1, the optimum ★ and the current choice."""
    return MomentumExplorer(function, kappa, alpha, beta, steps)
