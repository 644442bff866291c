"""Explorer 12 — Bayes' rule for a diagnostic test, as natural frequencies."""
import numpy as np
import ipywidgets as widgets
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from ._base import Explorer, fmt, table_html

__all__ = ["bayes_compute", "bayes_explorer", "BayesExplorer", "natural_frequencies"]

CATEGORIES = ("sick, test +", "sick, test −", "healthy, test +", "healthy, test −")
PALETTE = ("#c0392b", "#f5b7b1", "#2471a3", "#c9dff0")
GRIDS = {100: (10, 10), 1000: (25, 40), 10000: (100, 100)}
CELL = {100: (10, 2), 1000: (5, 1), 10000: (3, 1)}     # pixels per person, gap


def people_picture(grid, cell, gap):
    """Upsample a grid of category codes so that each person is a cell×cell square with a
    white (code 4) gap: the crowd reads as individuals."""
    step = cell + gap
    big = np.repeat(np.repeat(grid, step, axis=0), step, axis=1)
    rows = (np.arange(big.shape[0]) % step) >= cell
    cols = (np.arange(big.shape[1]) % step) >= cell
    big[rows, :] = 4
    big[:, cols] = 4
    return big


def natural_frequencies(expected, total):
    """Round expected counts to integers that still add up to ``total`` (largest remainders)."""
    expected = np.asarray(expected, dtype=float)
    counts = np.floor(expected).astype(int)
    short = int(total - counts.sum())
    if short > 0:
        order = np.argsort(-(expected - counts), kind="stable")
        counts[order[:short]] += 1
    return counts


def bayes_compute(prior, sensitivity, specificity, population=1000):
    """Bayes' rule for a test, as plain data.

    prior = P(sick), sensitivity = P(+ | sick), specificity = P(− | healthy). Returns a dict with
    ``posterior_positive`` = P(sick | +) = sens·prior / (sens·prior + (1 − spec)(1 − prior)),
    ``posterior_negative`` = P(sick | −), ``p_positive`` = P(+), the expected counts among
    ``population`` people (``expected``: TP, FN, FP, TN), the same rounded to whole people
    (``counts``), the natural-frequency estimate TP/(TP + FP), and ``grid``: an array of category
    codes 0–3 (TP, FN, FP, TN) laid out for the picture.
    """
    for name, v in (("prior", prior), ("sensitivity", sensitivity),
                    ("specificity", specificity)):
        if not 0 <= v <= 1:
            raise ValueError(f"{name} must be a probability in [0, 1], got {v}")
    if population not in GRIDS:
        raise ValueError(f"population must be one of {list(GRIDS)}, got {population}")
    p, se, sp = float(prior), float(sensitivity), float(specificity)
    tp, fn, fp, tn = p * se, p * (1 - se), (1 - p) * (1 - sp), (1 - p) * sp
    p_pos = tp + fp
    post_pos = tp / p_pos if p_pos > 0 else float("nan")
    post_neg = fn / (fn + tn) if fn + tn > 0 else float("nan")
    expected = population * np.array([tp, fn, fp, tn])
    counts = natural_frequencies(expected, population)
    rows, cols = GRIDS[population]
    codes = np.repeat(np.arange(4), counts)
    grid = codes.reshape(cols, rows).T           # fill column by column: blocks of colour
    nat = counts[0] / (counts[0] + counts[2]) if counts[0] + counts[2] else float("nan")
    return {"prior": p, "sensitivity": se, "specificity": sp, "population": population,
            "p_positive": p_pos, "posterior_positive": post_pos,
            "posterior_negative": post_neg, "expected": expected, "counts": counts,
            "natural_posterior": nat, "grid": grid,
            "likelihood_ratio_positive": se / (1 - sp) if sp < 1 else float("inf")}


class BayesExplorer(Explorer):
    name = "bayes_explorer"
    summary = "Bayes' rule for a diagnostic test: prior, sensitivity, specificity → posterior"
    figsize = (9.6, 3.4)

    def __init__(self, prior=0.01, sensitivity=0.9, specificity=0.95, population=1000):
        self._init = (prior, sensitivity, specificity, population)
        super().__init__()

    def build(self):
        prior, se, sp, n = self._init
        def lay():                       # one Layout per control: hiding one hides only it
            return widgets.Layout(width="300px")
        self.add("prior", widgets.FloatLogSlider(value=prior, base=10, min=-3, max=np.log10(0.5),
                                                 step=0.02, description="prior P(sick)",
                                                 readout_format=".3f", layout=lay()))
        self.add("sensitivity", widgets.FloatSlider(value=se, min=0.5, max=1.0, step=0.005,
                                                    description="sensitivity P(+|sick)",
                                                    readout_format=".3f", layout=lay()))
        self.add("specificity", widgets.FloatSlider(value=sp, min=0.5, max=1.0, step=0.005,
                                                    description="specificity P(−|healthy)",
                                                    readout_format=".3f", layout=lay()))
        self.add("population", widgets.Dropdown(options=list(GRIDS), value=n,
                                                description="people",
                                                layout=widgets.Layout(width="160px")))
        ax, ax2 = self.fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.7, 1]})
        self.ax, self.ax2 = ax, ax2
        ax.set_xticks([])
        ax.set_yticks([])
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        self.img = self.dynamic(ax.imshow(np.zeros((150, 240)), cmap=ListedColormap(PALETTE + ("white",)),
                                          vmin=-0.5, vmax=4.5, interpolation="nearest",
                                          aspect="auto"))
        self.title = self.dynamic(ax.set_title(""))
        ax.legend(handles=[Patch(color=c, label=l) for c, l in zip(PALETTE, CATEGORIES)],
                  loc="upper center", bbox_to_anchor=(0.5, -0.01), ncols=4, frameon=False,
                  handlelength=1.2, columnspacing=1.0)
        labels = ["prior\nP(sick)", "P(sick | +)", "P(sick | −)"]
        self.bars = ax2.bar(labels, [0, 0, 0], color=["0.6", PALETTE[0], PALETTE[1]])
        ax2.set_ylim(0, 1.12)
        ax2.set_title("probability of being sick")
        self.bar_text = [ax2.text(i, 0, "", ha="center", va="bottom", fontsize=8)
                         for i in range(3)]
        self.dynamic(*self.bars, *self.bar_text)
        self.cache_axes(ax)             # its static pixels depend only on the view (the crowd's size)
        self._shape = None

    def compute(self):
        v = self.values()
        return bayes_compute(v["prior"], v["sensitivity"], v["specificity"], v["population"])

    def draw(self, r):
        g = people_picture(r["grid"], *CELL[r["population"]])
        if self._shape != g.shape:
            self.img.set_extent((-0.5, g.shape[1] - 0.5, g.shape[0] - 0.5, -0.5))
            self.ax.set_xlim(-0.5, g.shape[1] - 0.5)
            self.ax.set_ylim(g.shape[0] - 0.5, -0.5)
            self._shape = g.shape
        self.img.set_data(g)
        tp, fn, fp, tn = r["counts"]
        self.title.set_text(f"{r['population']} people: of the {tp + fp} who test +, "
                            f"{tp} are sick")
        vals = [r["prior"], r["posterior_positive"], r["posterior_negative"]]
        for bar, txt, val in zip(self.bars, self.bar_text, vals):
            h = 0.0 if not np.isfinite(val) else val
            bar.set_height(h)
            txt.set_position((bar.get_x() + bar.get_width() / 2, h + 0.01))
            txt.set_text(f"{100 * val:.1f} %" if np.isfinite(val) else "n/a")
        self.readout.value = table_html([
            ["P(+) = sens·prior + (1 − spec)(1 − prior)", fmt(r["p_positive"])],
            ["P(sick | +) = sens·prior / P(+)", fmt(r["posterior_positive"])],
            ["natural frequencies: TP / (TP + FP)",
             f"{tp} / ({tp} + {fp}) = {fmt(r['natural_posterior'])}"],
            ["P(sick | −) = (1 − sens)·prior / P(−)", fmt(r["posterior_negative"])],
            ["likelihood ratio LR+ = sens / (1 − spec)", fmt(r["likelihood_ratio_positive"])],
        ])


def bayes_explorer(prior=0.01, sensitivity=0.9, specificity=0.95, population=1000):
    """Bayes' rule for a diagnostic test: sliders for the prior (prevalence, log scale),
    sensitivity and specificity; a crowd of 100, 1000 or 10 000 people coloured by (sick?,
    test result), and the posterior P(sick | +) next to the prior as bars."""
    return BayesExplorer(prior, sensitivity, specificity, population)
