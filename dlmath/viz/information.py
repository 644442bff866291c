"""Explorer 8 — entropy, cross-entropy and KL divergence of two categorical distributions."""
import math

import numpy as np
import ipywidgets as widgets

from .. import info
from ._base import COLORS, Explorer, fmt, table_html

__all__ = ["information_compute", "information_explorer", "InformationExplorer"]

K = 4
P0 = (0.6, 0.25, 0.1, 0.05)
Q0 = (0.3, 0.3, 0.3, 0.1)


def _normalise(w, name):
    w = np.asarray(w, dtype=float)
    if np.any(w < 0) or not np.all(np.isfinite(w)):
        raise ValueError(f"{name}: weights must be finite and >= 0")
    if w.sum() <= 0:
        raise ValueError(f"{name} is all zeros: raise at least one of its sliders")
    return w / w.sum()


def information_compute(p_weights, q_weights, base=None):
    """H(p), H(q), H(p, q), H(q, p), KL(p‖q), KL(q‖p) for two categorical distributions given by
    non-negative weights (normalised here), all from ``dlmath.info``. ``base`` None (nats) or 2
    (bits). The dict also holds ``p`` and ``q`` and ``identity_gap`` = H(p, q) − H(p) − KL(p‖q)
    (0 up to round-off; nan when both sides are infinite)."""
    p, q = _normalise(p_weights, "p"), _normalise(q_weights, "q")
    r = {"p": p, "q": q, "base": base,
         "H_p": info.entropy(p, base=base), "H_q": info.entropy(q, base=base),
         "H_pq": info.cross_entropy(p, q, base=base), "H_qp": info.cross_entropy(q, p, base=base),
         "KL_pq": info.kl_divergence(p, q, base=base),
         "KL_qp": info.kl_divergence(q, p, base=base)}
    with np.errstate(invalid="ignore"):
        r["identity_gap"] = r["H_pq"] - r["H_p"] - r["KL_pq"] if math.isfinite(r["H_pq"]) \
            else float("nan")
    return r


class InformationExplorer(Explorer):
    name = "information_explorer"
    summary = "H(p), H(p, q), KL(p‖q) and KL(q‖p) of two distributions p and q"
    figsize = (9.8, 3.3)

    def __init__(self, p=P0, q=Q0):
        if len(p) != K or len(q) != K:
            raise ValueError(f"information_explorer: p and q need {K} weights each")
        self._init = (p, q)
        super().__init__()

    def build(self):
        p, q = self._init
        def lay():                       # one Layout per control: hiding one hides only it
            return widgets.Layout(width="200px")
        for i in range(K):
            self.add(f"p{i}", widgets.FloatSlider(value=p[i], min=0, max=1, step=0.01,
                                                  description=f"p weight {i}", layout=lay()))
        for i in range(K):
            self.add(f"q{i}", widgets.FloatSlider(value=q[i], min=0, max=1, step=0.01,
                                                  description=f"q weight {i}", layout=lay()))
        self.add("base", widgets.ToggleButtons(options=[("nats (ln)", "e"), ("bits (log₂)", 2)],
                                               value="e", description="unit",
                                               style={"button_width": "80px"}))
        a1, a2 = self.fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.5]})
        self.ax_pq, self.ax_b = a1, a2
        x = np.arange(K)
        self.bars_p = a1.bar(x - 0.2, np.zeros(K), width=0.4, color=COLORS["blue"], label="p")
        self.bars_q = a1.bar(x + 0.2, np.zeros(K), width=0.4, color=COLORS["orange"], label="q")
        a1.set_xticks(x)
        a1.set_xlabel("outcome")
        a1.set_ylim(0, 1.05)
        a1.set_title("the two distributions")
        a1.legend(frameon=False, loc="upper left")
        self.dynamic(*self.bars_p, *self.bars_q)
        labels = ["H(p)", "H(p, q)", "KL(p‖q)", "KL(q‖p)", "H(q, p)", "H(q)"]
        xs = np.arange(6)
        c_h, c_kl = "#8fbcd4", COLORS["red"]
        self.b_base = a2.bar(xs, np.zeros(6), color=[COLORS["blue"], COLORS["blue"], c_kl, c_kl,
                                                     COLORS["orange"], COLORS["orange"]],
                             width=0.65)
        self.b_top = a2.bar(xs, np.zeros(6), color=c_kl, alpha=0.55, width=0.65, hatch="//",
                            edgecolor="white")
        a2.set_xticks(xs, labels)
        self.texts = [a2.text(i, 0, "", ha="center", va="bottom", fontsize=7.5) for i in xs]
        self.dynamic(*self.b_base, *self.b_top, *self.texts)
        self.b_title = a2.set_title("")
        a2.text(0.5, 0.97, "hatched: the KL part, H(p, q) = H(p) + KL(p‖q)",
                transform=a2.transAxes, ha="center", va="top", fontsize=7.5, color="0.35")
        self._base_shown = "unset"
        self.cache_axes(a1, a2)            # the bar panel keyed by the unit: both come back

    def control_rows(self):
        c = self.controls
        return [widgets.HBox([c[f"p{i}"] for i in range(K)]),
                widgets.HBox([c[f"q{i}"] for i in range(K)]), widgets.HBox([c["base"]])]

    def compute(self):
        v = self.values()
        base = None if v["base"] == "e" else 2
        return information_compute([v[f"p{i}"] for i in range(K)],
                                   [v[f"q{i}"] for i in range(K)], base)

    def draw(self, r):
        if self._base_shown != r["base"]:
            unit = "nats" if r["base"] is None else "bits"
            self.top = 3.0 if r["base"] is None else 3.0 / math.log(2)
            self.ax_b.set_ylim(0, self.top * 1.12)
            self.b_title.set_text(f"entropy, cross-entropy, KL (in {unit})")
            self._base_shown = r["base"]
            self.invalidate(self.ax_b, key=unit)
        for bar, h in zip(self.bars_p, r["p"]):
            bar.set_height(h)
        for bar, h in zip(self.bars_q, r["q"]):
            bar.set_height(h)
        top = self.top
        base = [r["H_p"], r["H_p"], r["KL_pq"], r["KL_qp"], r["H_q"], r["H_q"]]
        stack = [0.0, r["KL_pq"], 0.0, 0.0, r["KL_qp"], 0.0]
        totals = [r["H_p"], r["H_pq"], r["KL_pq"], r["KL_qp"], r["H_qp"], r["H_q"]]
        for i in range(6):
            b = min(base[i], top)
            s = min(stack[i], top - b)
            self.b_base[i].set_height(b)
            self.b_top[i].set_y(b)
            self.b_top[i].set_height(max(s, 0.0))
            t = totals[i]
            self.texts[i].set_position((i, min(t, top) + 0.02 * top))
            self.texts[i].set_text("∞" if math.isinf(t) else (f"{t:.3f}" + ("↑" if t > top else "")))
        unit = "nats" if r["base"] is None else "bits"
        gap = r["identity_gap"]
        self.readout.value = table_html([
            ["p", ", ".join(f"{x:.3f}" for x in r["p"])],
            ["q", ", ".join(f"{x:.3f}" for x in r["q"])],
            [f"H(p), H(q) [{unit}]", f"{fmt(r['H_p'])}, {fmt(r['H_q'])}"],
            ["H(p, q) = H(p) + KL(p‖q)",
             f"{fmt(r['H_pq'])} = {fmt(r['H_p'])} + {fmt(r['KL_pq'])}"
             + ("" if not np.isfinite(gap) else f"   (gap {gap:.1e})")],
            ["KL(p‖q) vs KL(q‖p) — not symmetric", f"{fmt(r['KL_pq'])} vs {fmt(r['KL_qp'])}"],
            ["", "KL = ∞ when one distribution gives 0 to an outcome the other allows"
             if math.isinf(r["KL_pq"]) or math.isinf(r["KL_qp"]) else ""],
        ])


def information_explorer(p=P0, q=Q0):
    """Two distributions p and q over 4 outcomes (weight sliders, normalised): their bars, and
    H(p), H(p, q), KL(p‖q), KL(q‖p), H(q, p), H(q) as bars — the cross-entropy bar is stacked as
    entropy + KL, and the two KL bars differ (asymmetry). Nats or bits. Numbers from
    ``dlmath.info``."""
    return InformationExplorer(p, q)
