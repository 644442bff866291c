"""Explorer 7 — distributions, sampling, the law of large numbers and the central limit theorem."""
import html
import math

import numpy as np
import ipywidgets as widgets
from matplotlib.ticker import AutoLocator

from .. import prob
from ._base import COLORS, Explorer, fmt, table_html

__all__ = ["make_distribution", "distribution_compute", "distribution_explorer",
           "DistributionExplorer", "DISTRIBUTIONS", "SAMPLE_SIZES"]

DISTRIBUTIONS = ("Bernoulli", "Categorical", "Normal", "Exponential", "Poisson")
SAMPLE_SIZES = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000)
REPEATS = 400                     # experiments behind the CLT histogram
Z_EDGES = np.linspace(-4, 4, 33)  # bins of the standardised mean


def make_distribution(name, p=0.3, weights=(1, 2, 3, 4), mu=0.0, sigma=1.0, rate=1.0):
    """The ``dlmath.prob`` distribution the explorer shows, from its control values."""
    if name == "Bernoulli":
        return prob.Bernoulli(probs=p)
    if name == "Categorical":
        w = np.asarray(weights, dtype=float)
        if np.any(w < 0) or w.sum() <= 0:
            raise ValueError("the categorical weights must be >= 0 and not all 0")
        return prob.Categorical(probs=w)
    if name == "Normal":
        return prob.Normal(mu, sigma)
    if name == "Exponential":
        return prob.Exponential(rate)
    if name == "Poisson":
        return prob.Poisson(rate)
    raise ValueError(f"unknown distribution {name!r}; choose from {DISTRIBUTIONS}")


def distribution_compute(dist, n, seed=0, repeats=REPEATS):
    """Sample and summarise, as plain data.

    Draws ``repeats`` independent experiments of ``n`` samples each from ``dist`` (one seeded
    generator). Experiment 0 gives the histogram and the running mean (law of large numbers);
    the means of all experiments, standardised as z = (x̄ − μ)/(σ/√n), give the CLT histogram,
    to be compared with N(0, 1). Returns a dict with ``samples`` (experiment 0), ``support`` and
    ``pmf`` (discrete) or ``xs`` and ``pdf`` (continuous), ``hist`` and ``edges`` (relative
    frequencies or densities), ``running_mean``, ``means``, ``z``, ``z_hist`` (density on
    ``Z_EDGES``), ``mean``, ``std``, ``sample_mean``, ``sample_std``.
    """
    if n < 1:
        raise ValueError(f"the sample size must be >= 1, got {n}")
    rng = np.random.default_rng(seed)
    data = np.asarray(dist.sample((repeats, n), generator=rng), dtype=float)
    x = data[0]
    mu, sd = float(dist.mean), float(dist.stddev)
    out = {"n": n, "samples": x, "mean": mu, "std": sd, "discrete": dist.discrete,
           "sample_mean": float(x.mean()),
           "sample_std": float(x.std(ddof=1)) if n > 1 else float("nan"),
           "running_mean": np.cumsum(x) / np.arange(1, n + 1)}
    if dist.discrete:
        support = np.asarray(dist.plot_range(), dtype=float)
        out["support"] = support
        out["pmf"] = np.asarray(dist.prob(support), dtype=float)
        edges = np.concatenate([support - 0.5, [support[-1] + 0.5]])
        counts = np.histogram(x, bins=edges)[0]
        out["hist"], out["edges"] = counts / n, edges
        # bars with gaps for the picture: heights h₀, 0, h₁, 0, … on edges k ± 0.35
        bar_edges = np.stack([support - 0.35, support + 0.35], axis=1).reshape(-1)
        bar_heights = np.stack([counts / n, np.zeros(len(support))], axis=1).reshape(-1)[:-1]
        out["bar_edges"], out["bar_heights"] = bar_edges, bar_heights
    else:
        lo, hi = dist.plot_range()
        edges = np.linspace(lo, hi, 41)
        xs = np.linspace(lo, hi, 300)
        out["xs"], out["pdf"] = xs, np.asarray(dist.prob(xs), dtype=float)
        counts = np.histogram(x, bins=edges)[0]
        out["hist"], out["edges"] = counts / (n * np.diff(edges)), edges
    means = data.mean(axis=1)
    out["means"] = means
    z = (means - mu) / (sd / math.sqrt(n)) if sd > 0 else np.zeros_like(means)
    out["z"] = z
    z_edges = _z_edges(mu, sd, n) if dist.discrete and sd > 0 else Z_EDGES
    out["z_hist"] = np.histogram(z, bins=z_edges)[0] / (repeats * np.diff(z_edges))
    out["z_edges"] = z_edges
    return out


def _z_edges(mu, sd, n, width=0.25, lim=4.5):
    """Bins for the standardised mean of n integer-valued draws. The mean lives on the lattice
    k/n, so z = (k/n − μ)√n/σ is spaced 1/(σ√n) apart; each bin holds the same number of lattice
    points (otherwise the histogram shows aliasing spikes instead of the bell)."""
    dz = 1 / (sd * math.sqrt(n))
    m = max(1, round(width / dz))
    k0 = math.floor((mu - lim * sd / math.sqrt(n)) * n)
    k1 = math.ceil((mu + lim * sd / math.sqrt(n)) * n)
    ks = np.arange(k0, k1 + m, m)
    return (ks / n - mu) / (sd / math.sqrt(n)) - dz / 2


class DistributionExplorer(Explorer):
    name = "distribution_explorer"
    summary = "samples vs PMF/PDF, the law of large numbers and the CLT for the mean"
    figsize = (9.8, 3.2)

    def __init__(self, distribution="Exponential", n=20, seed=0):
        if distribution not in DISTRIBUTIONS:
            raise ValueError(f"distribution_explorer: unknown distribution {distribution!r}; "
                             f"choose from {DISTRIBUTIONS}")
        n = min(SAMPLE_SIZES, key=lambda s: abs(s - n))      # the nearest slider position
        self._init = (distribution, n, seed)
        super().__init__()

    def build(self):
        name, n, seed = self._init
        self.add("distribution", widgets.Dropdown(options=DISTRIBUTIONS, value=name,
                                                  description="distribution",
                                                  layout=widgets.Layout(width="220px")))
        self.add("n", widgets.SelectionSlider(options=SAMPLE_SIZES, value=n,
                                              description="sample size n",
                                              layout=widgets.Layout(width="330px")))
        self.add("seed", widgets.BoundedIntText(value=seed, min=0, max=10 ** 9,
                                                description="seed",
                                                layout=widgets.Layout(width="130px")))
        self.resample = widgets.Button(description="new samples", layout=widgets.Layout(width="110px"))
        self.resample.on_click(lambda _: setattr(self.controls["seed"], "value",
                                                 self.controls["seed"].value + 1))
        def kw():              # one Layout per slider: hiding one (layout.display) hides only it
            return dict(continuous_update=True, layout=widgets.Layout(width="210px"))
        self.add("p", widgets.FloatSlider(value=0.3, min=0, max=1, step=0.01, description="p", **kw()))
        for i, w in enumerate((1.0, 2.0, 3.0, 4.0)):
            self.add(f"w{i}", widgets.FloatSlider(value=w, min=0, max=5, step=0.1,
                                                  description=f"weight {i}", **kw()))
        self.add("mu", widgets.FloatSlider(value=0.0, min=-3, max=3, step=0.1, description="μ", **kw()))
        self.add("sigma", widgets.FloatSlider(value=1.0, min=0.2, max=3, step=0.1,
                                              description="σ", **kw()))
        self.add("rate", widgets.FloatSlider(value=1.0, min=0.2, max=5, step=0.1,
                                             description="rate λ", **kw()))
        self.controls["distribution"].observe(self._show_params, names="value")

        a1, a2, a3 = self.fig.subplots(1, 3)
        self.ax_h, self.ax_l, self.ax_c = a1, a2, a3
        self.hist = self.dynamic(a1.stairs(np.zeros(1), [0, 1], fill=True, color=COLORS["blue"],
                                           alpha=0.45, label="samples"))
        self.pmf, = a1.plot([], [], "o", color="k", ms=4, label="PMF")
        self.pdf, = a1.plot([], [], color="k", lw=1.4, label="PDF")
        self.h_title = self.dynamic(a1.set_title(""))
        a2.set_xscale("log")
        a2.set_xlim(1, max(SAMPLE_SIZES))
        a2.set_xlabel("number of samples m")
        a2.set_title("law of large numbers: running mean")
        self.run_line, = a2.plot([], [], color=COLORS["blue"], lw=1.2)
        self.mu_line = a2.axhline(0, color="k", lw=1, ls="--")
        self.band_hi, = a2.plot([], [], color="0.6", lw=0.8)
        self.band_lo, = a2.plot([], [], color="0.6", lw=0.8)
        note = a2.text(0.98, 0.03, "gray: μ ± 2σ/√m", transform=a2.transAxes, ha="right",
                       fontsize=7, color="0.4")
        self.dynamic(self.run_line)
        # what depends on the distribution's parameters (PMF/PDF, μ and its band, the legend) is
        # a layer over the axes, with what a full draw puts above it (the note, the spines); the
        # views of both panels are kept, so that going back to a parameter redraws no ticks
        self.layer(self.pmf, self.pdf, self.mu_line, self.band_hi, self.band_lo, note,
                   *a1.spines.values(), *a2.spines.values())
        self.cache_axes(a1, a2)
        self.legend = None
        a3.set_xlim(-4, 4)
        a3.set_ylim(0, 0.75)
        a3.set_xlabel("z = (x̄ − μ) / (σ/√n)")
        zs = np.linspace(-4, 4, 200)
        a3.plot(zs, np.exp(-zs ** 2 / 2) / math.sqrt(2 * math.pi), color="k", lw=1.3,
                label="N(0, 1)")
        self.z_hist = self.dynamic(a3.stairs(np.zeros(len(Z_EDGES) - 1), Z_EDGES, fill=True,
                                             color=COLORS["orange"], alpha=0.5,
                                             label=f"{REPEATS} means"))
        a3.legend(loc="upper right", frameon=False)
        self.c_title = self.dynamic(a3.set_title(""))
        self._static_key = None
        self._kind = None
        self._relayout = False
        self._show_params()

    def control_rows(self):
        c = self.controls
        row1 = widgets.HBox([c["distribution"], c["n"], c["seed"], self.resample])
        row2 = widgets.HBox([c[k] for k in ("p", "w0", "w1", "w2", "w3", "mu", "sigma", "rate")],
                            layout=widgets.Layout(flex_flow="row wrap"))
        return [row1, row2]

    def _show_params(self, *_):
        name = self.controls["distribution"].value
        visible = {"Bernoulli": ("p",), "Categorical": ("w0", "w1", "w2", "w3"),
                   "Normal": ("mu", "sigma"), "Exponential": ("rate",), "Poisson": ("rate",)}[name]
        for k in ("p", "w0", "w1", "w2", "w3", "mu", "sigma", "rate"):
            self.controls[k].layout.display = None if k in visible else "none"

    def distribution(self):
        v = self.values()
        return make_distribution(v["distribution"], p=v["p"],
                                 weights=[v[f"w{i}"] for i in range(4)], mu=v["mu"],
                                 sigma=v["sigma"], rate=v["rate"])

    def compute(self):
        v = self.values()
        dist = self.distribution()
        r = distribution_compute(dist, int(v["n"]), int(v["seed"]))
        r["distribution"] = dist
        return r

    def _set_static(self, r):
        """Parts that depend on the distribution only (not on n or the seed)."""
        a1, a2 = self.ax_h, self.ax_l
        mu, sd = r["mean"], r["std"]
        if r["discrete"]:
            self.pmf.set_data(r["support"], r["pmf"])
            self.pmf.set_visible(True)
            self.pdf.set_visible(False)
            top = float(r["pmf"].max())
            a1.set_xlim(r["edges"][0], r["edges"][-1])
            a1.set_xticks(r["support"] if len(r["support"]) <= 12 else
                          np.unique(np.linspace(r["support"][0], r["support"][-1], 7).round()))
        else:
            self.pdf.set_data(r["xs"], r["pdf"])
            self.pdf.set_visible(True)
            self.pmf.set_visible(False)
            top = float(r["pdf"].max())
            a1.set_xlim(r["edges"][0], r["edges"][-1])
            a1.xaxis.set_major_locator(AutoLocator())
        a1.set_ylim(0, 1.6 * top)
        if self.legend is None or self.legend.legend_handles is None or \
                (self.legend.get_texts()[1].get_text() == "PMF") != r["discrete"]:
            if self.legend is not None:
                self.unlayer(self.legend)
            self.legend = self.layer(a1.legend(
                handles=[self.hist, self.pmf if r["discrete"] else self.pdf],
                loc="upper right", frameon=False))
        self.mu_line.set_ydata([mu, mu])
        m = np.logspace(0, np.log10(max(SAMPLE_SIZES)), 100)
        self.band_hi.set_data(m, mu + 2 * sd / np.sqrt(m))
        self.band_lo.set_data(m, mu - 2 * sd / np.sqrt(m))
        a2.set_ylim(mu - 2.6 * max(sd, 1e-3), mu + 2.6 * max(sd, 1e-3))
        kind = type(r["distribution"]).__name__
        ticks = tuple(a1.get_xticks()) if r["discrete"] else "auto"
        self.invalidate(a1, key=ticks)          # a1's ticks; a2 has only its view
        self.invalidate_layer(key=repr(r["distribution"]))
        self._relayout = kind != self._kind     # another distribution: new tick labels
        self._kind = kind

    def draw(self, r):
        dist = r["distribution"]
        key = repr(dist)
        if key != self._static_key:
            self._set_static(r)
            self._static_key = key
        if r["discrete"]:
            self.hist.set_data(r["bar_heights"], r["bar_edges"])
        else:
            self.hist.set_data(r["hist"], r["edges"])
        n = r["n"]
        self.h_title.set_text(f"{n} sample{'s' if n > 1 else ''} vs "
                              f"{'PMF' if r['discrete'] else 'PDF'}")
        m = np.arange(1, n + 1)
        self.run_line.set_data(m, r["running_mean"])
        self.z_hist.set_data(r["z_hist"], r["z_edges"])
        self.c_title.set_text(f"CLT: mean of n = {n}, standardised")
        if self._relayout:                      # lay out again if the new labels do not fit
            self._relayout = False
            self.layout_if_needed()
        self.readout.value = table_html([
            ["distribution", html.escape(repr(dist))],
            ["mean μ / sample mean (n samples)", f"{fmt(r['mean'])} / {fmt(r['sample_mean'])}"],
            ["std σ / sample std (ddof = 1)", f"{fmt(r['std'])} / {fmt(r['sample_std'])}"],
            ["entropy (nats)", fmt(float(dist.entropy()))],
            ["std of the mean: σ/√n / across experiments",
             f"{fmt(r['std'] / math.sqrt(n))} / {fmt(float(np.std(r['means'], ddof=1)))}"],
        ])


def distribution_explorer(distribution="Exponential", n=20, seed=0):
    """Bernoulli, categorical, Normal, Exponential or Poisson (``dlmath.prob``) with parameter
    sliders: the histogram of n samples against the PMF/PDF, the running mean converging to μ
    (law of large numbers) and the histogram of 400 standardised sample means against N(0, 1)
    (central limit theorem). A sample-size slider and a seed."""
    return DistributionExplorer(distribution, n, seed)
