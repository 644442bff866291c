"""Explorer 17 — maximum likelihood: drag θ along the log-likelihood of seeded data.

For data x₁ … xₙ drawn independently from p(x | θ), the log-likelihood is

    ℓ(θ) = Σᵢ log p(xᵢ | θ)         (the total; ℓ(θ)/n is the per-sample value, −ℓ(θ)/n the loss).

Two models, each with a closed-form maximiser θ̂ and curvature −ℓ''(θ̂) there:

* coin flips, xᵢ ∈ {0, 1} ~ Bernoulli(p), k heads:  ℓ(p) = k log p + (n − k) log(1 − p),
  p̂ = k/n,  −ℓ''(p̂) = n / (p̂(1 − p̂));
* Gaussian, xᵢ ~ N(μ, σ²) with σ known:  ℓ(μ) = −n/2 · log(2πσ²) − Σᵢ (xᵢ − μ)² / (2σ²),
  μ̂ = x̄,  −ℓ''(μ̂) = n / σ².

The curvature grows like n: the curve sharpens and θ̂ is pinned down to about 1/√(−ℓ''(θ̂)),
the standard error. Near θ̂, ℓ(θ) ≈ ℓ(θ̂) − ½ (−ℓ''(θ̂)) (θ − θ̂)².

The data are one seeded sample of ``N_MAX`` draws (one uniform or normal z per draw, so moving
the true θ moves the same draws); n takes its first n, so a larger n only adds data.
"""
import math

import numpy as np
import ipywidgets as widgets
from matplotlib.ticker import AutoLocator, ScalarFormatter

from .. import prob
from ._base import COLORS, Explorer, fmt, table_html

__all__ = ["MODELS", "SAMPLE_SIZES", "N_MAX", "GRIDS", "mle_model", "mle_data",
           "log_likelihood", "mle_estimate", "mle_curvature", "mle_compute", "mle_explorer",
           "MLEExplorer"]

MODELS = {"Bernoulli": "coin flips: Bernoulli(p)", "Gaussian": "Gaussian: N(μ, σ²), σ known"}
SAMPLE_SIZES = (1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000)
N_MAX = SAMPLE_SIZES[-1]
#: the θ grid on which ℓ is drawn (p on [0, 1], where ℓ(0) or ℓ(1) is −∞ unless the data are
#: all tails or all heads; μ on [−5, 5])
GRIDS = {"Bernoulli": np.linspace(0.0, 1.0, 1001), "Gaussian": np.linspace(-5.0, 5.0, 1001)}
#: slider ranges: (θ min, θ max, θ step), (true θ min, max, step), defaults (θ, true θ)
RANGES = {"Bernoulli": ((0.01, 0.99, 0.005), (0.05, 0.95, 0.01), (0.5, 0.3)),
          "Gaussian": ((-5.0, 5.0, 0.01), (-1.5, 1.5, 0.05), (0.0, 0.8))}
SYMBOL = {"Bernoulli": "p", "Gaussian": "μ"}
YLIM = (-8.0, 0.8)                    # ℓ(θ) − ℓ(θ̂): the curve is drawn down to 8 below its top
HIST_EDGES = np.linspace(-5.0, 5.0, 41)
XS = np.linspace(-5.0, 5.0, 301)


def _check_model(model):
    if model not in MODELS:
        raise ValueError(f"unknown model {model!r}; choose from {list(MODELS)}")


def mle_model(model, theta, sigma=1.0):
    """The ``dlmath.prob`` distribution p(x | θ): Bernoulli(probs=θ) or Normal(θ, σ)."""
    _check_model(model)
    if model == "Bernoulli":
        return prob.Bernoulli(probs=theta)
    return prob.Normal(theta, sigma)


def mle_data(model, theta_true, sigma=1.0, seed=0, n=N_MAX):
    """The first n of ``N_MAX`` seeded draws from p(x | θ_true), shape (n,)."""
    n = int(n)
    if not 1 <= n <= N_MAX:
        raise ValueError(f"the data count n must be between 1 and {N_MAX}, got {n}")
    dist = mle_model(model, theta_true, sigma)
    return np.asarray(dist.sample((N_MAX,), generator=np.random.default_rng(seed)),
                      dtype=float)[:n]


def log_likelihood(model, data, theta, sigma=1.0):
    """The total ℓ(θ) = Σᵢ log p(xᵢ | θ) for each θ in ``theta`` (any shape), from the
    sufficient statistics: k = Σ xᵢ for the coin, x̄ and Σ(xᵢ − x̄)² for the Gaussian."""
    _check_model(model)
    x = np.asarray(data, dtype=float)
    theta = np.asarray(theta, dtype=float)
    n = len(x)
    if model == "Bernoulli":
        if not np.all((x == 0) | (x == 1)):
            raise ValueError("coin-flip data must be 0s and 1s")
        k = float(x.sum())
        with np.errstate(divide="ignore", invalid="ignore"):     # 0 · log 0 = 0
            heads = np.where(k > 0, k * np.log(theta), 0.0)
            tails = np.where(n - k > 0, (n - k) * np.log1p(-theta), 0.0)
        return heads + tails
    xbar = float(x.mean())
    ss = float(np.sum((x - xbar) ** 2))
    return (-0.5 * n * math.log(2 * math.pi * sigma * sigma)
            - (ss + n * (xbar - theta) ** 2) / (2 * sigma * sigma))


def mle_estimate(model, data):
    """The closed-form maximiser: p̂ = k/n (the fraction of heads), μ̂ = x̄."""
    _check_model(model)
    return float(np.mean(data))


def mle_curvature(model, data, sigma=1.0):
    """−ℓ''(θ̂): n / (p̂(1 − p̂)) for the coin (∞ when p̂ is 0 or 1), n / σ² for the Gaussian."""
    _check_model(model)
    n = len(data)
    if model == "Gaussian":
        return n / (sigma * sigma)
    p = mle_estimate(model, data)
    return math.inf if p in (0.0, 1.0) else n / (p * (1 - p))


def mle_compute(model, data, theta, sigma=1.0, theta_true=None):
    """Everything the explorer shows, as plain data.

    ``grid`` (θ values, ``grid_step`` apart) and ``loglik`` = ℓ(grid) (total); ``rel`` =
    ℓ(grid) − ℓ(θ̂) and ``quadratic`` = −½(−ℓ''(θ̂))(grid − θ̂)²; ``theta``, ``ll_theta`` =
    Σ log p(xᵢ | θ) summed from ``dlmath.prob`` (log_prob of each datum), ``per_sample`` =
    ll_theta / n; ``theta_hat`` (closed form), ``ll_hat``, ``grid_max`` (the θ of the grid's
    largest ℓ), ``curvature`` = −ℓ''(θ̂) and ``se`` = 1/√curvature; ``running`` — θ̂ of the first
    m data, m = 1…n; ``band_se`` — the standard error for one datum at the true θ (√(p(1 − p)) or
    σ: the band is θ_true ± 2·band_se/√m); for the data panel ``k`` (heads) or ``hist`` (density
    on ``HIST_EDGES``) and ``model_pmf``/``model_pdf`` at θ.
    """
    _check_model(model)
    x = np.asarray(data, dtype=float)
    n = len(x)
    if n < 1:
        raise ValueError("the likelihood needs at least one datum")
    theta = float(theta)
    grid = GRIDS[model]
    ll = log_likelihood(model, x, grid, sigma)
    th = mle_estimate(model, x)
    ll_hat = float(log_likelihood(model, x, th, sigma))
    curv = mle_curvature(model, x, sigma)
    ll_theta = float(np.sum(mle_model(model, theta, sigma).log_prob(x)))
    out = {"model": model, "n": n, "data": x, "sigma": float(sigma), "grid": grid,
           "grid_step": float(grid[1] - grid[0]), "loglik": ll, "rel": ll - ll_hat,
           "theta": theta, "ll_theta": ll_theta, "per_sample": ll_theta / n,
           "theta_hat": th, "ll_hat": ll_hat, "grid_max": float(grid[np.argmax(ll)]),
           "curvature": curv, "se": 1 / math.sqrt(curv) if curv > 0 else math.inf,
           "running": np.cumsum(x) / np.arange(1, n + 1),
           "theta_true": None if theta_true is None else float(theta_true),
           "in_range": bool(grid[0] - 1e-12 <= th <= grid[-1] + 1e-12) or model == "Bernoulli"}
    out["quadratic"] = (-0.5 * curv * (grid - th) ** 2 if math.isfinite(curv)
                        else np.full(grid.shape, np.nan))
    if model == "Bernoulli":
        out["k"] = int(x.sum())
        out["model_pmf"] = np.array([1 - theta, theta])
        if theta_true is not None:
            out["band_se"] = math.sqrt(theta_true * (1 - theta_true))
    else:
        out["hist"] = np.histogram(x, bins=HIST_EDGES)[0] / (n * np.diff(HIST_EDGES))
        out["model_pdf"] = np.asarray(prob.Normal(theta, sigma).pdf(XS), dtype=float)
        out["band_se"] = float(sigma)
    return out


class MLEExplorer(Explorer):
    name = "mle_explorer"
    summary = "drag θ along the log-likelihood of n data: the maximum at p̂ = k/n or μ̂ = x̄"
    figsize = (9.8, 3.4)
    constrained = False           # fixed axes positions, the same for both models (see below)

    def __init__(self, model="Bernoulli", n=10, theta=None, theta_true=None, sigma=1.0,
                 seed=0):
        _check_model(model)
        n = min(SAMPLE_SIZES, key=lambda s: abs(s - n))
        (_, _, _), (_, _, _), (th0, tt0) = RANGES[model]
        self._init = (model, n, th0 if theta is None else theta,
                      tt0 if theta_true is None else theta_true, sigma, seed)
        self._static_key = None
        # The background (everything but the dynamic artists) depends only on the model, and the
        # axes do not move: keep one bitmap per model, so that switching back and forth
        # restores it instead of redrawing every tick label (~10 ms against ~150 ms).
        self._model_bg = {}
        self._restore_bg = False
        super().__init__()

    def build(self):
        model, n, theta, theta_true, sigma, seed = self._init
        def lay():                       # one Layout per control: hiding one hides only it
            return widgets.Layout(width="300px")
        self.model = self.add("model", widgets.Dropdown(
            options=[(label, key) for key, label in MODELS.items()], value=model,
            description="data", layout=widgets.Layout(width="280px")))
        self.n = self.add("n", widgets.SelectionSlider(
            options=SAMPLE_SIZES, value=n, description="data count n", layout=lay()))
        self.theta = self.add("theta", widgets.FloatSlider(
            value=0.5, min=0, max=1, description="θ", readout_format=".3f", layout=lay()))
        self.theta_true = self.add("theta_true", widgets.FloatSlider(
            value=0.5, min=0, max=1, description="true θ", readout_format=".2f", layout=lay()))
        self.sigma = self.add("sigma", widgets.FloatSlider(
            value=sigma, min=0.5, max=2.0, step=0.05, description="known σ", layout=lay()))
        self.seed = self.add("seed", widgets.BoundedIntText(
            value=seed, min=0, max=10 ** 9, description="seed",
            layout=widgets.Layout(width="130px")))
        self.to_max = widgets.Button(description="θ → θ̂ (the maximum)",
                                     layout=widgets.Layout(width="170px"))
        self.to_max.on_click(lambda _: self.jump_to_maximum())
        self.resample = widgets.Button(description="new data",
                                       layout=widgets.Layout(width="90px"))
        self.resample.on_click(lambda _: setattr(self.seed, "value", self.seed.value + 1))
        self.model.observe(self._on_model, names="value")
        self._set_ranges(model, theta, theta_true)

        a1, a2, a3 = self.fig.subplots(1, 3, gridspec_kw={"width_ratios": [0.9, 1.25, 1]})
        self.fig.subplots_adjust(left=0.05, right=0.985, bottom=0.14, top=0.92, wspace=0.3)
        self.ax_d, self.ax_l, self.ax_r = a1, a2, a3
        self.bars = a1.stairs(np.zeros(1), [0, 1], fill=True, color=COLORS["blue"], alpha=0.45,
                              label="data")
        self.rug, = a1.plot([], [], "|", color=COLORS["blue"], ms=9, mew=0.8)
        self.model_pmf, = a1.plot([], [], "o", color=COLORS["red"], ms=6, label="p(x | θ)")
        self.model_pdf, = a1.plot([], [], color=COLORS["red"], lw=1.4, label="p(x | θ)")
        self.dynamic(self.bars, self.rug, self.model_pmf, self.model_pdf)

        a2.set_ylim(*YLIM)
        a2.axhline(0, color="0.85", lw=0.6)
        self.true_line = a2.axvline(0, color="0.6", lw=0.9, ls=":")
        self.quad_line, = a2.plot([], [], color="0.55", lw=1, ls="--")
        self.ll_line, = a2.plot([], [], color="k", lw=1.5)
        self.max_dot, = a2.plot([], [], "*", color="gold", mec="k", mew=0.6, ms=12, zorder=5)
        self.theta_dot, = a2.plot([], [], "o", color=COLORS["red"], mec="k", mew=0.6, ms=7,
                                  zorder=6)
        self.theta_vline, = a2.plot([], [], color=COLORS["red"], lw=0.8, alpha=0.6)
        # read-outs whose digits change on every update: Text (a PathText builds a new outline
        # for every new string)
        self.ll_text = a2.text(0.03, 0.04, "", transform=a2.transAxes, fontsize=7.5,
                               va="bottom", linespacing=1.3, zorder=7,
                               bbox=dict(boxstyle="round,pad=0.25", fc="white", ec="0.8",
                                         alpha=0.85))
        a2.set_ylabel("ℓ(θ) − ℓ(θ̂)   (total over n)")
        a2.text(0.99, 0.985, "dashed: −½(−ℓ″(θ̂))(θ − θ̂)²", transform=a2.transAxes,
                ha="right", va="top", fontsize=6.5, color="0.4")
        self.dynamic(self.true_line, self.quad_line, self.ll_line, self.theta_vline,
                     self.max_dot, self.theta_dot, self.ll_text)

        a3.set_xscale("log")
        a3.set_xlim(1, 1.5 * N_MAX)
        a3.set_xlabel("number of data m")
        a3.set_title("θ̂ of the first m data")
        a3.text(0.98, 0.03, "gray: true θ ± 2·SE(m)", transform=a3.transAxes, ha="right",
                fontsize=7, color="0.4")
        self._m = np.geomspace(1, 1.5 * N_MAX, 120)
        self.band_hi, = a3.plot([], [], color="0.6", lw=0.8)
        self.band_lo, = a3.plot([], [], color="0.6", lw=0.8)
        self.true_hline, = a3.plot([1, 1.5 * N_MAX], [0, 0], color="k", lw=1, ls="--")
        self.run_line, = a3.plot([], [], color=COLORS["blue"], lw=1.2)
        self.run_dot, = a3.plot([], [], "*", color="gold", mec="k", mew=0.6, ms=11)
        self.dynamic(self.band_hi, self.band_lo, self.true_hline, self.run_line, self.run_dot)

    def control_rows(self):
        c = self.controls
        return [widgets.HBox([c["model"], c["n"], c["seed"], self.resample],
                             layout=widgets.Layout(flex_flow="row wrap")),
                widgets.HBox([c["theta"], self.to_max, c["theta_true"], c["sigma"]],
                             layout=widgets.Layout(flex_flow="row wrap"))]

    def _set_ranges(self, model, theta=None, theta_true=None):
        """Slider ranges, steps, labels and defaults for ``model`` (no update)."""
        (lo, hi, step), (tlo, thi, tstep), (th0, tt0) = RANGES[model]
        s = SYMBOL[model]
        with self.hold():
            for w, a, b, st, v in ((self.theta, lo, hi, step, th0 if theta is None else theta),
                                   (self.theta_true, tlo, thi, tstep,
                                    tt0 if theta_true is None else theta_true)):
                w.min, w.max = -1e9, 1e9
                w.min, w.max = a, b
                w.step = st
                w.value = v
            self.theta.description = f"θ = {s} (drag)"
            self.theta_true.description = f"true {s} (makes the data)"
            self.sigma.layout.display = None if model == "Gaussian" else "none"

    def _on_model(self, change):
        self._set_ranges(change["new"])        # the update follows from the model's own change

    def jump_to_maximum(self):
        """Move θ to the closed-form maximum θ̂ (to the slider's step)."""
        if self.result is not None:
            w = self.theta
            w.value = min(max(round(self.result["theta_hat"] / w.step) * w.step, w.min), w.max)

    def compute(self):
        v = self.values()
        data = mle_data(v["model"], v["theta_true"], v["sigma"], v["seed"], v["n"])
        return mle_compute(v["model"], data, v["theta"], v["sigma"], v["theta_true"])

    def _set_static(self, model):
        a1, a2, a3 = self.ax_d, self.ax_l, self.ax_r
        grid = GRIDS[model]
        s = SYMBOL[model]
        a2.set_xlim(grid[0] - 0.01 * np.ptp(grid), grid[-1] + 0.01 * np.ptp(grid))
        a2.set_xlabel(f"θ = {s}")
        a2.set_title(f"log-likelihood ℓ({s}) = Σ log p(xᵢ | {s})")
        if model == "Bernoulli":
            a1.set_xlim(-0.6, 1.6)
            a1.set_ylim(0, 1.08)
            a1.set_xticks([0, 1], ["0 (tails)", "1 (heads)"])
            a1.set_title("flips: fraction of each vs p(x | θ)")
            a3.set_ylim(0, 1)
        else:
            a1.set_xlim(HIST_EDGES[0], HIST_EDGES[-1])
            a1.set_ylim(0, 1.0)
            a1.xaxis.set_major_locator(AutoLocator())
            a1.xaxis.set_major_formatter(ScalarFormatter())
            a1.set_title("data (histogram, rug) vs p(x | θ)")
            a3.set_ylim(-5, 5)
        a1.set_xlabel("" if model == "Bernoulli" else "x")
        self.model_pmf.set_visible(model == "Bernoulli")
        self.model_pdf.set_visible(model == "Gaussian")
        self.rug.set_visible(model == "Gaussian")
        a1.legend(handles=[self.bars, self.model_pmf if model == "Bernoulli" else
                           self.model_pdf], loc="upper right", frameon=False)
        self.invalidate()
        self._restore_bg = model in self._model_bg

    def _full_draw(self):
        """A full redraw, or, right after a switch to a model drawn before, its kept bitmap."""
        model, restore = self._static_key, self._restore_bg
        self._restore_bg = False
        if restore:
            bg, keys, tight = self._model_bg[model]
            self.canvas.restore_region(bg)
            self._bg, self._bg_keys, self._tight = bg, list(keys), list(tight)
            self._bg_version = self._version
            self._dirty.clear()
            return
        super()._full_draw()
        if model is not None:
            self._model_bg[model] = (self._bg, list(self._bg_keys), list(self._tight))

    def draw(self, r):
        model = r["model"]
        if model != self._static_key:
            self._set_static(model)
            self._static_key = model
        n, th, theta = r["n"], r["theta_hat"], r["theta"]
        s = SYMBOL[model]
        if model == "Bernoulli":
            k = r["k"]
            self.bars.set_data([(n - k) / n, 0, k / n], [-0.35, 0.35, 0.65, 1.35])
            self.model_pmf.set_data([0, 1], r["model_pmf"])
            self.rug.set_data([], [])
        else:
            self.bars.set_data(r["hist"], HIST_EDGES)
            self.model_pdf.set_data(XS, r["model_pdf"])
            self.rug.set_data(r["data"], np.full(n, 0.03))
        grid = r["grid"]
        lo = YLIM[0] - 1.0                           # clip far-off values just below the axes
        self.ll_line.set_data(grid, np.maximum(r["rel"], lo))
        self.quad_line.set_data(grid, np.maximum(r["quadratic"], lo))
        rel_theta = r["ll_theta"] - r["ll_hat"]
        self.theta_dot.set_data([theta], [max(rel_theta, YLIM[0] + 0.15)])
        self.theta_vline.set_data([theta, theta], [YLIM[0], max(rel_theta, YLIM[0])])
        self.max_dot.set_data([th], [0.0])
        tt = r["theta_true"]
        self.true_line.set_xdata([tt, tt])
        formula = "n/(p̂(1 − p̂))" if model == "Bernoulli" else "n/σ²"
        est = f"p̂ = k/n = {r['k']}/{n}" if model == "Bernoulli" else "μ̂ = x̄"
        self.ll_text.set_text(f"{est} = {th:.3f}\n−ℓ″(θ̂) = {formula} = {fmt(r['curvature'])}\n"
                              f"ℓ(θ) − ℓ(θ̂) = {rel_theta:.2f} at θ = {theta:.3f}")
        m = self._m
        half = 2 * r["band_se"] / np.sqrt(m)
        self.band_hi.set_data(m, tt + half)
        self.band_lo.set_data(m, tt - half)
        self.true_hline.set_ydata([tt, tt])
        self.run_line.set_data(np.arange(1, n + 1), r["running"])
        self.run_dot.set_data([n], [th])
        loss = "binary cross-entropy" if model == "Bernoulli" else "Gaussian negative log-likelihood"
        self.readout.value = table_html([
            [f"data: n = {n}", (f"k = {r['k']} heads" if model == "Bernoulli" else
                                f"x̄ = {fmt(th)}, σ = {fmt(r['sigma'])} (known)")
             + f"; drawn with true {s} = {fmt(tt)}"],
            [f"total ℓ(θ) = Σ log p(xᵢ | θ) at θ = {fmt(theta)} (dlmath.prob log_prob)",
             fmt(r["ll_theta"], 6)],
            ["per sample ℓ(θ)/n  (−ℓ(θ)/n is the " + loss + ")", fmt(r["per_sample"], 5)],
            [f"maximum: {est} (closed form) / on the grid", f"{fmt(th)} / {fmt(r['grid_max'])}"
             + ("" if r["in_range"] else "  (outside the plotted range)")],
            [f"curvature −ℓ″(θ̂) = {formula}; standard error 1/√(−ℓ″)",
             f"{fmt(r['curvature'])}; {fmt(r['se'], 3)}"
             + ("  (p̂ at the edge: ℓ keeps rising towards it)" if not
                math.isfinite(r["curvature"]) else "")],
        ])

    def on_error(self, message):
        self.readout.value = ""


def mle_explorer(model="Bernoulli", n=10, theta=None, theta_true=None, sigma=1.0, seed=0):
    """Maximum likelihood for coin flips (Bernoulli p) or Gaussian data (μ, σ known), chosen in a
    dropdown. n seeded data (a larger n adds data to the same sample) drawn with a true θ; drag
    θ along the log-likelihood ℓ(θ) − ℓ(θ̂) (total over the data): the maximum sits at the
    closed form p̂ = k/n or μ̂ = x̄, the curvature −ℓ″(θ̂) = n/(p̂(1 − p̂)) or n/σ² grows with n
    (the curve sharpens), and θ̂ of the first m data converges to the true θ. ``.result`` is
    ``mle_compute``'s output."""
    return MLEExplorer(model, n, theta, theta_true, sigma, seed)
