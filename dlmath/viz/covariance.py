"""Explorer 16 — covariance and correlation of a 2-D Gaussian: the ellipses, the eigenvectors, and
the sample correlation converging to ρ.

The covariance matrix of (x, y) with standard deviations σx, σy and correlation ρ is

    Σ = [[σx²,     ρσxσy],
         [ρσxσy,   σy²  ]].

Its eigenvectors v₁, v₂ (Σv = λv, λ₁ ≥ λ₂ ≥ 0) are the axes of the ellipses of equal density
{p : pᵀΣ⁻¹p = k²}; the semi-axes have lengths k√λ₁ and k√λ₂. For a 2-D Gaussian the fraction of
points inside the k-σ ellipse is 1 − e^(−k²/2): 39.3 % for k = 1, 86.5 % for k = 2.

The points are p = L z with z ~ N(0, I) and L the Cholesky factor of Σ (LLᵀ = Σ):
x = σx z₁, y = σy (ρ z₁ + √(1 − ρ²) z₂). One fixed z of ``N_MAX`` rows per seed: moving ρ, σx or
σy deforms the same cloud, and n takes its first n points, so a larger n only adds points.
The sample correlation ρ̂ = S_xy / √(S_xx S_yy) converges to ρ with standard error
≈ (1 − ρ²)/√n.
"""
import math

import numpy as np
import ipywidgets as widgets
from matplotlib.patches import FancyArrowPatch

from .. import linalg, prob
from ._base import COLORS, Explorer, PathText, fmt, table_html

__all__ = ["covariance_matrix", "gaussian_cloud", "running_correlation", "covariance_compute",
           "covariance_explorer", "CovarianceExplorer", "SAMPLE_SIZES", "N_MAX", "LIM"]

SAMPLE_SIZES = (5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000)
N_MAX = SAMPLE_SIZES[-1]
LIM = 6.0                        # the scatter shows [−LIM, LIM]²
SIGMA_MIN, SIGMA_MAX = 0.3, 2.0
RHO_MAX = 0.99
CIRCLE = linalg.unit_circle(121)


def covariance_matrix(rho, sigma_x=1.0, sigma_y=1.0):
    """Σ = [[σx², ρσxσy], [ρσxσy, σy²]] for |ρ| < 1 and σx, σy > 0 (shape (2, 2))."""
    rho, sx, sy = float(rho), float(sigma_x), float(sigma_y)
    if not (-1 < rho < 1):
        raise ValueError(f"the correlation ρ must lie strictly between −1 and 1, got {rho}")
    if not (sx > 0 and sy > 0 and math.isfinite(sx) and math.isfinite(sy)):
        raise ValueError(f"the standard deviations σx, σy must be > 0, got {sx}, {sy}")
    c = rho * sx * sy
    return np.array([[sx * sx, c], [c, sy * sy]])


def gaussian_cloud(rho, sigma_x, sigma_y, n, seed=0):
    """The first n of ``N_MAX`` seeded points of N(0, Σ), shape (n, 2): p = L z with z drawn by
    ``dlmath.prob.Normal(0, 1)`` and L = cholesky(Σ)."""
    n = int(n)
    if not 1 <= n <= N_MAX:
        raise ValueError(f"the sample size n must be between 1 and {N_MAX}, got {n}")
    z = prob.Normal(0.0, 1.0).sample((N_MAX, 2), generator=np.random.default_rng(seed))[:n]
    L = np.linalg.cholesky(covariance_matrix(rho, sigma_x, sigma_y))
    return z @ L.T


def running_correlation(points):
    """ρ̂ₘ, the sample correlation of the first m points, for m = 1 … n (shape (n,); nan for
    m < 2): S_xy/√(S_xx S_yy) with S_ab = Σ aᵢbᵢ − (Σ aᵢ)(Σ bᵢ)/m, from running sums."""
    x, y = points[:, 0], points[:, 1]
    m = np.arange(1, len(x) + 1)
    sx, sy = np.cumsum(x), np.cumsum(y)
    sxx = np.cumsum(x * x) - sx * sx / m
    syy = np.cumsum(y * y) - sy * sy / m
    sxy = np.cumsum(x * y) - sx * sy / m
    with np.errstate(divide="ignore", invalid="ignore"):
        r = sxy / np.sqrt(sxx * syy)
    r[m < 2] = np.nan
    return np.clip(r, -1.0, 1.0)


def covariance_compute(rho, sigma_x=1.0, sigma_y=1.0, n=200, seed=0):
    """Everything the explorer shows, as plain data.

    ``Sigma`` (Σ); ``eigenvalues`` λ₁ ≥ λ₂ and ``eigenvectors`` (columns v₁, v₂, from
    ``np.linalg.eigh``); ``axes`` — the eigenvectors scaled by √λ (columns, the 1-σ semi-axes);
    ``ellipses`` {1: (121, 2), 2: (121, 2)} — the k-σ ellipses k·V diag(√λ) (cos t, sin t);
    ``points`` (n, 2); ``sample_cov`` (ddof = 1) and its ``sample_ellipse`` (2-σ);
    ``sample_rho`` ρ̂ and ``se`` = (1 − ρ²)/√n; ``running`` — ρ̂ of the first m points, m = 1…n;
    ``inside`` {k: fraction of points with pᵀΣ⁻¹p ≤ k²} and ``inside_expected`` {k: 1 − e^(−k²/2)}.
    """
    S = covariance_matrix(rho, sigma_x, sigma_y)
    lam, V = np.linalg.eigh(S)
    lam, V = lam[::-1], V[:, ::-1]                     # λ₁ ≥ λ₂
    V = V * np.where(V[0] < 0, -1.0, 1.0)              # v with a non-negative x-component
    root = np.sqrt(np.maximum(lam, 0.0))
    axes = V * root
    ellipses = {k: k * CIRCLE @ axes.T for k in (1, 2)}
    P = gaussian_cloud(rho, sigma_x, sigma_y, n, seed)
    n = len(P)
    out = {"rho": float(rho), "sigma_x": float(sigma_x), "sigma_y": float(sigma_y), "n": n,
           "seed": int(seed), "Sigma": S, "eigenvalues": lam, "eigenvectors": V, "axes": axes,
           "ellipses": ellipses, "points": P, "se": (1 - float(rho) ** 2) / math.sqrt(n),
           "running": running_correlation(P)}
    d2 = np.sum(P @ np.linalg.inv(S) * P, axis=1)      # Mahalanobis distance² pᵀΣ⁻¹p
    out["inside"] = {k: float(np.mean(d2 <= k * k)) for k in (1, 2)}
    out["inside_expected"] = {k: 1 - math.exp(-k * k / 2) for k in (1, 2)}
    if n >= 2:
        C = np.cov(P, rowvar=False)
        out["sample_cov"] = C
        out["sample_rho"] = float(np.clip(C[0, 1] / math.sqrt(C[0, 0] * C[1, 1]), -1, 1))
        lc, Vc = np.linalg.eigh(C)
        out["sample_ellipse"] = 2 * CIRCLE @ (Vc * np.sqrt(np.maximum(lc, 0))).T
    else:
        out["sample_cov"] = np.full((2, 2), np.nan)
        out["sample_rho"] = float("nan")
        out["sample_ellipse"] = np.full((1, 2), np.nan)
    return out


class CovarianceExplorer(Explorer):
    name = "covariance_explorer"
    summary = "a 2-D Gaussian with correlation ρ: covariance ellipses, eigenvectors, ρ̂ → ρ"
    figsize = (9.8, 3.7)

    def __init__(self, rho=0.6, sigma_x=1.5, sigma_y=1.0, n=200, seed=0):
        n = min(SAMPLE_SIZES, key=lambda s: abs(s - n))      # the nearest slider position
        self._init = (rho, sigma_x, sigma_y, n, seed)
        super().__init__()

    def build(self):
        rho, sx, sy, n, seed = self._init
        def lay():                       # one Layout per control: hiding one hides only it
            return widgets.Layout(width="300px")
        self.rho = self.add("rho", widgets.FloatSlider(
            value=rho, min=-RHO_MAX, max=RHO_MAX, step=0.01, description="correlation ρ",
            readout_format=".2f", layout=lay()))
        self.sigma_x = self.add("sigma_x", widgets.FloatSlider(
            value=sx, min=SIGMA_MIN, max=SIGMA_MAX, step=0.05, description="σx", layout=lay()))
        self.sigma_y = self.add("sigma_y", widgets.FloatSlider(
            value=sy, min=SIGMA_MIN, max=SIGMA_MAX, step=0.05, description="σy", layout=lay()))
        self.n = self.add("n", widgets.SelectionSlider(
            options=SAMPLE_SIZES, value=n, description="sample size n", layout=lay()))
        self.seed = self.add("seed", widgets.BoundedIntText(
            value=seed, min=0, max=10 ** 9, description="seed",
            layout=widgets.Layout(width="130px")))
        self.resample = widgets.Button(description="new sample",
                                       layout=widgets.Layout(width="110px"))
        self.resample.on_click(lambda _: setattr(self.seed, "value", self.seed.value + 1))

        ax_s, ax_r = self.fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.45]})
        self.ax_s, self.ax_r = ax_s, ax_r
        ax_s.set_aspect("equal")
        ax_s.set_xlim(-LIM, LIM)
        ax_s.set_ylim(-LIM, LIM)
        ax_s.axhline(0, color="0.88", lw=0.6)
        ax_s.axvline(0, color="0.88", lw=0.6)
        ax_s.set_xlabel("x")
        ax_s.set_ylabel("y")
        ax_s.set_title("samples, 1σ and 2σ ellipses, √λ·v")
        ax_s.tick_params(labelsize=7)
        self.cloud = ax_s.scatter(np.zeros(1), np.zeros(1), s=4, color=COLORS["blue"],
                                  alpha=0.35, linewidths=0)
        self.ellipse_lines = [ax_s.plot([], [], color=COLORS["red"], lw=lw)[0]
                              for lw in (1.6, 1.0)]
        self.sample_line, = ax_s.plot([], [], color="k", lw=0.9, ls="--")
        self.dynamic(self.cloud, *self.ellipse_lines, self.sample_line)
        self.arrows, self.arrow_texts = [], []
        for c in (COLORS["green"], COLORS["purple"]):
            a = FancyArrowPatch((0, 0), (1, 0), arrowstyle="-|>", mutation_scale=11, lw=1.8,
                                color=c, shrinkA=0, shrinkB=0, zorder=4)
            ax_s.add_patch(a)
            self.arrows.append(self.dynamic(a))
            self.arrow_texts.append(self.dynamic(PathText(ax_s, 0, 0, "", size=8, color=c,
                                                          ha="center", va="center",
                                                          weight="bold")))
        ax_s.text(0.02, 0.02, "red: 1σ, 2σ ellipses of Σ;  dashed: 2σ of the sample",
                  transform=ax_s.transAxes, fontsize=6.5, color="0.35")

        ax_r.set_xscale("log")
        ax_r.set_xlim(2, 1.5 * N_MAX)
        ax_r.set_ylim(-1.05, 1.05)
        ax_r.set_xlabel("number of points m")
        ax_r.set_title("sample correlation ρ̂ of the first m points")
        ax_r.axhline(0, color="0.88", lw=0.6)
        ax_r.text(0.98, 0.03, "gray: ρ ± 2(1 − ρ²)/√m", transform=ax_r.transAxes, ha="right",
                  fontsize=7, color="0.4")
        self.band_hi, = ax_r.plot([], [], color="0.6", lw=0.8)
        self.band_lo, = ax_r.plot([], [], color="0.6", lw=0.8)
        self.rho_line, = ax_r.plot([2, 1.5 * N_MAX], [0, 0], color="k", lw=1, ls="--")
        self.run_line, = ax_r.plot([], [], color=COLORS["blue"], lw=1.2)
        self.rho_dot, = ax_r.plot([], [], "o", color=COLORS["orange"], mec="k", mew=0.6, ms=6)
        # its digits change on every update: a Text (a PathText would build a new glyph outline,
        # ~15 ms, for every new string)
        self.rho_text = ax_r.text(0.03, 0.05, "", fontsize=8.5, va="bottom", zorder=7,
                                  transform=ax_r.transAxes,
                                  bbox=dict(boxstyle="round,pad=0.25", fc="white", ec="0.8",
                                            alpha=0.85))
        self.dynamic(self.band_hi, self.band_lo, self.rho_line, self.run_line, self.rho_dot,
                     self.rho_text)
        self._m = np.geomspace(2, 1.5 * N_MAX, 120)

    def control_rows(self):
        c = self.controls
        return [widgets.HBox([c["rho"], c["sigma_x"], c["sigma_y"]],
                             layout=widgets.Layout(flex_flow="row wrap")),
                widgets.HBox([c["n"], c["seed"], self.resample],
                             layout=widgets.Layout(flex_flow="row wrap"))]

    def compute(self):
        v = self.values()
        return covariance_compute(v["rho"], v["sigma_x"], v["sigma_y"], v["n"], v["seed"])

    def draw(self, r):
        self.cloud.set_offsets(r["points"])
        for k, line in zip((1, 2), self.ellipse_lines):
            e = r["ellipses"][k]
            line.set_data(e[:, 0], e[:, 1])
        self.sample_line.set_data(r["sample_ellipse"][:, 0], r["sample_ellipse"][:, 1])
        for i, (a, t) in enumerate(zip(self.arrows, self.arrow_texts)):
            tip = r["axes"][:, i]
            a.set_positions((0.0, 0.0), (float(tip[0]), float(tip[1])))
            length = float(np.hypot(*tip))
            u = tip / length if length > 0 else np.array([1.0, 0.0])
            off = u * (length + 0.55)
            t.set_position((float(off[0]), float(off[1])))
            t.set_text(f"√λ{'₁₂'[i]}v{'₁₂'[i]}")
        ins, exp_ = r["inside"], r["inside_expected"]
        rho, n = r["rho"], r["n"]
        m = self._m
        half = 2 * (1 - rho * rho) / np.sqrt(m)
        self.band_hi.set_data(m, np.minimum(rho + half, 1.0))
        self.band_lo.set_data(m, np.maximum(rho - half, -1.0))
        self.rho_line.set_ydata([rho, rho])
        ms = np.arange(1, n + 1)
        self.run_line.set_data(ms[1:], r["running"][1:])
        self.rho_dot.set_data([n], [r["sample_rho"]])
        self.rho_text.set_text(f"ρ̂ = {r['sample_rho']:.3f} ± {r['se']:.3f}")
        S, C, lam, V = r["Sigma"], r["sample_cov"], r["eigenvalues"], r["eigenvectors"]
        mat = lambda A: f"[[{A[0, 0]:.3g}, {A[0, 1]:.3g}], [{A[1, 0]:.3g}, {A[1, 1]:.3g}]]"
        self.readout.value = table_html([
            ["Σ = [[σx², ρσxσy], [ρσxσy, σy²]]", mat(S)],
            ["eigenvalues λ₁, λ₂ (np.linalg.eigh)", f"{fmt(lam[0])}, {fmt(lam[1])}  "
             f"(λ₁ + λ₂ = σx² + σy² = {fmt(lam.sum())}, λ₁λ₂ = det Σ = {fmt(lam.prod())})"],
            ["eigenvectors v₁, v₂ (the ellipse axes)", f"({V[0, 0]:.3f}, {V[1, 0]:.3f}), "
                                                       f"({V[0, 1]:.3f}, {V[1, 1]:.3f})"],
            [f"sample covariance (n = {n}, ddof = 1)", mat(C)],
            ["sample correlation ρ̂ ± standard error (1 − ρ²)/√n",
             f"{fmt(r['sample_rho'])} ± {fmt(r['se'], 2)}  (ρ = {fmt(rho)})"],
            ["points inside the 1σ / 2σ ellipse", f"{100 * ins[1]:.1f} % / {100 * ins[2]:.1f} % "
             f"(1 − e^(−k²/2): {100 * exp_[1]:.1f} % / {100 * exp_[2]:.1f} %)"],
        ])

    def on_error(self, message):
        self.readout.value = ""


def covariance_explorer(rho=0.6, sigma_x=1.5, sigma_y=1.0, n=200, seed=0):
    """A 2-D Gaussian with correlation ρ and standard deviations σx, σy (sliders): n seeded
    points (a sample-size slider; a larger n adds points to the same sample), the 1σ and 2σ
    ellipses of Σ, its eigenvectors drawn scaled by √λ (the ellipse's semi-axes), and the sample
    correlation ρ̂ of the first m points converging to ρ inside ρ ± 2(1 − ρ²)/√m. ``.result`` is
    ``covariance_compute``'s output."""
    return CovarianceExplorer(rho, sigma_x, sigma_y, n, seed)
