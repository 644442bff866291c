r"""Explorer — regularisation: polynomial degree, an L2 or L1 penalty of weight λ, the fitted curve,
train and validation error, and the weights (L1 sets some exactly to zero).

Data (fixed, seeded): 20 training points x on [0, 1] (one uniform draw in each of 20 equal
cells), 100 validation points (uniform), y = sin(2πx) + 0.3·noise. Features: Legendre
polynomials of u = 2x − 1, φ_k(x) = P_k(u), k = 0 … d (orthogonal on [0, 1], so the design matrix
X (n, d + 1) stays well conditioned where monomials xᵏ would not). The intercept w₀ (φ₀ = 1) is
not penalised. With r = y − Xw the objectives are

    L2 (ridge):  (1/2n)‖Xw − y‖² + (λ/2) Σ_{k≥1} w_k²
                 solved in closed form: (XᵀX/n + λD) w = Xᵀy/n, D = diag(0, 1, …, 1);
    L1 (lasso):  (1/2n)‖Xw − y‖² + λ Σ_{k≥1} |w_k|
                 solved exactly by the feature-sign active-set method (Lee et al., 2007): on a
                 guessed support A with signs s, w_A = G_AA⁻¹(b_A − λ s_A), then a line search to
                 the first sign change, until the KKT conditions hold to round-off:
                 X₀ᵀr/n = 0, X_kᵀr/n = λ·sign(w_k) where w_k ≠ 0, |X_kᵀr/n| ≤ λ where w_k = 0.

The weights that are zero are exactly 0.0. For λ ≥ max_k |X_kᵀ(y − ȳ)|/n every L1 weight but w₀ is
zero (then w₀ = ȳ). Both are solved on centred features (w₀ = ȳ − x̄ᵀw eliminates the intercept):
G = X̃ᵀX̃/n, b = X̃ᵀỹ/n.
"""
import math

import numpy as np
import ipywidgets as widgets
from numpy.polynomial import legendre
from matplotlib.collections import LineCollection
from matplotlib.ticker import FixedFormatter, FixedLocator, LogLocator, NullFormatter, NullLocator

from ._base import COLORS, Explorer, PathText, fmt, table_html

__all__ = ["N_TRAIN", "N_VAL", "NOISE", "DEGREE_MAX", "LAMBDAS", "PENALTIES", "reg_data",
           "features", "ridge", "lasso", "regularization_compute", "regularization_path",
           "regularization_explorer", "RegularizationExplorer"]

N_TRAIN, N_VAL, NOISE, SEED = 20, 100, 0.3, 0
DEGREE_MAX = 15
PENALTIES = ("L2", "L1")
#: the λ values of the slider and of the error-vs-λ curves: 0, then 1e-8 … 10 every 0.2 decade
LAMBDAS = np.concatenate([[0.0], 10.0 ** np.round(np.arange(-8.0, 1.0001, 0.2), 1)])
LAM_ZERO_X = 10.0 ** -9.0                  # where λ = 0 sits on the log axis (tick "0")
XS = np.linspace(0.0, 1.0, 201)
MSE_YLIM = (1e-3, 10.0)
W_YLIM = (-300.0, 300.0)

_DATA = {}


def reg_data():
    """The fixed data: ``x_train``, ``y_train`` (20), ``x_val``, ``y_val`` (100), ``truth``
    (sin 2πx on ``XS``)."""
    if not _DATA:
        rng = np.random.default_rng(SEED)
        xt = (np.arange(N_TRAIN) + rng.uniform(size=N_TRAIN)) / N_TRAIN
        yt = np.sin(2 * np.pi * xt) + NOISE * rng.standard_normal(N_TRAIN)
        xv = rng.uniform(size=N_VAL)
        yv = np.sin(2 * np.pi * xv) + NOISE * rng.standard_normal(N_VAL)
        _DATA.update(x_train=xt, y_train=yt, x_val=xv, y_val=yv, truth=np.sin(2 * np.pi * XS))
    return _DATA


def features(x, degree):
    """The design matrix (len(x), degree + 1): column k is the Legendre polynomial P_k(2x − 1)."""
    return legendre.legvander(2 * np.asarray(x, dtype=float) - 1, int(degree))


def _check(degree, penalty, lam):
    if not (isinstance(degree, (int, np.integer)) and 0 <= degree <= DEGREE_MAX):
        raise ValueError(f"the degree must be an integer from 0 to {DEGREE_MAX}, got {degree!r}")
    if penalty not in PENALTIES:
        raise ValueError(f"the penalty must be 'L2' or 'L1', got {penalty!r}")
    if not (lam >= 0 and math.isfinite(lam)):
        raise ValueError(f"λ must be a finite number >= 0, got {lam}")


def _centred(degree):
    """G = X̃ᵀX̃/n, b = X̃ᵀỹ/n on the centred non-constant features, their means and ȳ."""
    d = reg_data()
    F = features(d["x_train"], degree)[:, 1:]
    mean, ybar = F.mean(axis=0), float(d["y_train"].mean())
    Fc, yc = F - mean, d["y_train"] - ybar
    return Fc.T @ Fc / N_TRAIN, Fc.T @ yc / N_TRAIN, mean, ybar


def ridge(G, b, lams):
    """Ridge weights for every λ in ``lams``: (G + λI) w = b, one batched solve; shape
    (len(lams), len(b))."""
    lams = np.atleast_1d(np.asarray(lams, dtype=float))
    k = len(b)
    if k == 0:
        return np.zeros((len(lams), 0))
    M = G[None, :, :] + lams[:, None, None] * np.eye(k)
    return np.linalg.solve(M, np.broadcast_to(b, (len(lams), k))[..., None])[..., 0]


def _objective(G, b, lam, w):
    return 0.5 * w @ G @ w - b @ w + lam * np.abs(w).sum()


def lasso(G, b, lam, w=None, max_iter=1000):
    """Minimise ½wᵀGw − bᵀw + λ‖w‖₁ (G positive definite) by feature-sign search, from ``w``
    (a warm start, or 0). Returns w with exact zeros; raises if the KKT conditions
    |b − Gw|_k ≤ λ (w_k = 0), (b − Gw)_k = λ sign(w_k) (w_k ≠ 0) are not met to round-off."""
    k = len(b)
    w = np.zeros(k) if w is None else np.array(w, dtype=float)
    tol = 1e-13 * max(1.0, float(np.abs(b).max(initial=0.0)))
    for _ in range(max_iter):
        g = G @ w - b
        nz = w != 0
        theta = np.sign(w)
        if not nz.any() or np.abs(g[nz] + lam * theta[nz]).max() <= 10 * tol:
            viol = np.where(nz, -np.inf, np.abs(g) - lam)
            j = int(np.argmax(viol)) if k else 0
            if k == 0 or viol[j] <= tol:
                return w
            theta[j] = -np.sign(g[j])          # enter with the sign that lowers the objective
            nz[j] = True
        A = np.flatnonzero(nz)
        GA, bA = G[np.ix_(A, A)], b[A]
        new = np.linalg.solve(GA, bA - lam * theta[A])
        cur = w[A]
        best_f, best_v = math.inf, None
        for t, zero in [(1.0, None)] + [(cur[i] / (cur[i] - new[i]), i) for i in range(len(A))
                                        if cur[i] != 0 and np.sign(new[i]) != np.sign(cur[i])]:
            v = cur + t * (new - cur)
            if zero is not None:
                v[zero] = 0.0                    # the coordinate that crossed zero: exactly 0
            f = _objective(GA, bA, lam, v)
            if f < best_f:
                best_f, best_v = f, v
        w[A] = best_v
    raise RuntimeError(f"lasso: no convergence in {max_iter} iterations (λ = {lam})")


def _solve(degree, penalty, lams, warm=None):
    """Full weight vectors (w₀ … w_d) for each λ in ``lams`` (for L1 solved from the largest λ
    down, each warm-started from the previous one; the first from ``warm``, w₁ … w_d, if given)."""
    G, b, mean, ybar = _centred(degree)
    lams = np.asarray(lams, dtype=float)
    if penalty == "L2":
        W = ridge(G, b, lams)
    else:
        W = np.zeros((len(lams), len(b)))
        w = warm
        for i in np.argsort(-lams, kind="stable"):
            w = lasso(G, b, float(lams[i]), w)
            W[i] = w
    w0 = ybar - W @ mean
    return np.concatenate([w0[:, None], W], axis=1)


def _errors(degree, W):
    d = reg_data()
    Xt, Xv = features(d["x_train"], degree), features(d["x_val"], degree)
    train = np.mean((W @ Xt.T - d["y_train"]) ** 2, axis=1)
    val = np.mean((W @ Xv.T - d["y_val"]) ** 2, axis=1)
    return train, val


_PATHS = {}


def regularization_path(degree, penalty):
    """Train and validation MSE and the number of zero weights (among w₁ … w_d) for every λ in
    ``LAMBDAS`` — the curves of the middle panel (cached per degree and penalty)."""
    _check(degree, penalty, 0.0)
    key = (int(degree), penalty)
    if key not in _PATHS:
        W = _solve(degree, penalty, LAMBDAS)
        train, val = _errors(degree, W)
        _PATHS[key] = {"lambdas": LAMBDAS, "weights": W, "train_mse": train, "val_mse": val,
                       "zeros": np.sum(W[:, 1:] == 0, axis=1)}
    return _PATHS[key]


def regularization_compute(degree=9, penalty="L2", lam=1e-3):
    """The fit for one (degree, penalty, λ): ``weights`` (w₀ … w_d), ``curve`` (the fit on
    ``XS``), ``train_mse``, ``val_mse``, ``zeros`` (how many of w₁ … w_d are exactly 0) and
    ``n_penalised`` = d, ``lam_max`` (the smallest λ with every L1 weight zero), plus ``path``
    (``regularization_path``) for the error-vs-λ curves."""
    _check(degree, penalty, lam)
    degree, lam = int(degree), float(lam)
    path = regularization_path(degree, penalty)
    near = int(np.argmin(np.abs(np.log10(LAMBDAS + 1e-300) - np.log10(lam + 1e-300))))
    W = _solve(degree, penalty, [lam], warm=path["weights"][near, 1:])    # a warm start
    train, val = _errors(degree, W)
    w = W[0]
    G, b, _, _ = _centred(degree)
    return {"degree": degree, "penalty": penalty, "lam": lam, "weights": w,
            "curve": features(XS, degree) @ w, "train_mse": float(train[0]),
            "val_mse": float(val[0]), "zeros": int(np.sum(w[1:] == 0)), "n_penalised": degree,
            "lam_max": float(np.abs(b).max(initial=0.0)), "path": path}


def _lam_label(lam):
    return "0" if lam == 0 else f"{lam:.2g}"


class RegularizationExplorer(Explorer):
    name = "regularization_explorer"
    summary = "polynomial degree, an L2 or L1 penalty λ: the fit, train/validation error, weights"
    figsize = (9.8, 3.3)
    constrained = False

    def __init__(self, degree=9, penalty="L2", lam=1e-3):
        _check(degree, penalty, lam)
        self._init = (int(degree), penalty, float(lam))
        self._key = None
        super().__init__()

    def build(self):
        degree, penalty, lam = self._init
        near = LAMBDAS[0] if lam == 0 else min(
            LAMBDAS[1:], key=lambda v: abs(math.log10(v) - math.log10(lam)))
        self.add("degree", widgets.IntSlider(value=degree, min=0, max=DEGREE_MAX,
                                             description="polynomial degree d",
                                             layout=widgets.Layout(width="300px")))
        self.add("penalty", widgets.ToggleButtons(options=PENALTIES, value=penalty,
                                                  description="penalty",
                                                  style={"button_width": "50px"}))
        self.add("lam", widgets.SelectionSlider(
            options=[(_lam_label(v), float(v)) for v in LAMBDAS], value=float(near),
            description="penalty weight λ", layout=widgets.Layout(width="360px")))
        data = reg_data()
        a1, a2, a3 = self.fig.subplots(1, 3, gridspec_kw={"width_ratios": [1.1, 1, 1]})
        self.fig.subplots_adjust(left=0.05, right=0.99, bottom=0.15, top=0.91, wspace=0.3)
        self.ax_fit, self.ax_err, self.ax_w = a1, a2, a3
        a1.plot(XS, data["truth"], ls="--", color="0.6", lw=1, label="sin 2πx")
        a1.plot(data["x_val"], data["y_val"], ".", color=COLORS["orange"], ms=3, alpha=0.6,
                label="validation")
        a1.plot(data["x_train"], data["y_train"], "o", color=COLORS["blue"], ms=4,
                label="train")
        self.fit_line, = a1.plot([], [], color="k", lw=1.5, label="fit")
        a1.set_xlim(0, 1)
        a1.set_ylim(-2, 2)
        a1.set_xlabel("x")
        a1.set_title("data and the fitted polynomial")
        a1.legend(loc="lower left", fontsize=6.5, ncol=2, frameon=False)

        a2.set_xscale("log")
        a2.set_yscale("log")
        a2.set_xlim(LAM_ZERO_X / 2.5, 30)
        a2.set_ylim(*MSE_YLIM)
        ticks = [LAM_ZERO_X, 1e-8, 1e-6, 1e-4, 1e-2, 1]
        a2.xaxis.set_major_locator(FixedLocator(ticks))
        a2.xaxis.set_major_formatter(FixedFormatter(["0", "1e-8", "1e-6", "1e-4", "0.01", "1"]))
        a2.xaxis.set_minor_locator(NullLocator())
        a2.yaxis.set_major_locator(LogLocator(numticks=6))
        a2.yaxis.set_minor_formatter(NullFormatter())
        a2.set_xlabel("λ")
        a2.set_title("mean squared error vs λ")
        xs = np.where(LAMBDAS == 0, LAM_ZERO_X, LAMBDAS)
        self._lam_x = xs
        self.train_curve, = a2.plot(xs, np.ones_like(xs), color=COLORS["blue"], lw=1.2,
                                    label="train")
        self.val_curve, = a2.plot(xs, np.ones_like(xs), color=COLORS["orange"], lw=1.2,
                                  label="validation")
        a2.axhline(NOISE ** 2, color="0.7", lw=0.8, ls=":")
        a2.text(0.98, NOISE ** 2 * 1.15, "noise σ²", transform=a2.get_yaxis_transform(),
                ha="right", fontsize=6.5, color="0.5")
        a2.legend(loc="upper left", fontsize=7, frameon=False)
        self.layer(self.train_curve, self.val_curve)
        self.lam_line = a2.axvline(1.0, color=COLORS["red"], lw=0.9)
        self.train_dot, = a2.plot([], [], "o", color=COLORS["blue"], mec="k", ms=5)
        self.val_dot, = a2.plot([], [], "o", color=COLORS["orange"], mec="k", ms=5)

        a3.set_yscale("symlog", linthresh=1e-2)
        a3.set_xlim(-0.7, DEGREE_MAX + 0.7)
        a3.set_ylim(*W_YLIM)
        a3.set_xticks(range(0, DEGREE_MAX + 1, 3))
        a3.yaxis.set_minor_locator(NullLocator())
        a3.axhline(0, color="0.6", lw=0.6)
        a3.set_xlabel("k (Legendre P_k)")
        a3.set_title("weights w_k (symlog); ✕ = exactly 0")
        a3.text(0.02, 0.03, "■ w₀: not penalised", transform=a3.transAxes, fontsize=6.5,
                color="0.45")
        self.stems = LineCollection([], colors=COLORS["blue"], linewidths=2)
        a3.add_collection(self.stems)
        self.w_dots, = a3.plot([], [], "o", color=COLORS["blue"], ms=3.5)
        self.w0_dot, = a3.plot([], [], "s", color="0.45", ms=4)
        self.zero_marks, = a3.plot([], [], "x", color=COLORS["red"], ms=6, mew=1.6)
        self.zero_text = PathText(a3, 0.98, 0.96, "", ha="right", va="top",
                                  transform=a3.transAxes, size=8, color=COLORS["red"])
        self.dynamic(self.fit_line, self.lam_line, self.train_dot, self.val_dot, self.stems,
                     self.w_dots, self.w0_dot, self.zero_marks, self.zero_text)

    def control_rows(self):
        c = self.controls
        return [widgets.HBox([c["degree"], c["penalty"], c["lam"]],
                             layout=widgets.Layout(flex_flow="row wrap"))]

    def compute(self):
        v = self.values()
        return regularization_compute(v["degree"], v["penalty"], v["lam"])

    def draw(self, r):
        key = (r["degree"], r["penalty"])
        path = r["path"]
        if key != self._key:
            lo, hi = MSE_YLIM[0] / 2, MSE_YLIM[1] * 2
            self.train_curve.set_ydata(np.clip(path["train_mse"], lo, hi))
            self.val_curve.set_ydata(np.clip(path["val_mse"], lo, hi))
            self.invalidate_layer(key)
            self._key = key
        self.fit_line.set_data(XS, np.clip(r["curve"], -5, 5))
        x = LAM_ZERO_X if r["lam"] == 0 else r["lam"]
        self.lam_line.set_xdata([x, x])
        lo = MSE_YLIM[0] / 2
        self.train_dot.set_data([x], [max(r["train_mse"], lo)])
        self.val_dot.set_data([x], [max(r["val_mse"], lo)])
        w = r["weights"]
        k = np.arange(1, len(w))
        wk = np.clip(w[1:], *W_YLIM)
        nz = wk != 0
        self.stems.set_segments([[(i, 0.0), (i, v)] for i, v in zip(k[nz], wk[nz])])
        self.w_dots.set_data(k[nz], wk[nz])
        self.zero_marks.set_data(k[~nz], np.zeros(int((~nz).sum())))
        self.w0_dot.set_data([0], [np.clip(w[0], *W_YLIM)])
        d = r["n_penalised"]
        self.zero_text.set_text(f"zeros: {r['zeros']} of {d}")
        best = int(np.argmin(path["val_mse"]))
        objective = ("(1/2n)‖Xw − y‖² + (λ/2)Σ w_k²" if r["penalty"] == "L2" else
                     "(1/2n)‖Xw − y‖² + λΣ |w_k|")
        self.readout.value = table_html([
            ["objective (k ≥ 1; w₀ not penalised)", objective],
            [f"train / validation MSE at λ = {_lam_label(r['lam'])}",
             f"{fmt(r['train_mse'], 3)} / {fmt(r['val_mse'], 3)}   (noise σ² = {NOISE ** 2:g})"],
            ["weights exactly 0 (of w₁ … w_d)", f"{r['zeros']} of {d}"
             + (f"; all are 0 for λ ≥ max|X̃ᵀỹ|/n = {fmt(r['lam_max'], 3)}"
                if r["penalty"] == "L1" and d else "")],
            ["lowest validation MSE on the λ grid",
             f"{fmt(path['val_mse'][best], 3)} at λ = {_lam_label(LAMBDAS[best])}"],
            ["largest |w_k|", fmt(np.abs(w).max(), 3)],
        ])

    def on_error(self, message):
        self.readout.value = ""


def regularization_explorer(degree=9, penalty="L2", lam=1e-3):
    """Fit a polynomial of degree d (Legendre features, slider 0–15) to 20 noisy points of
    sin 2πx with an L2 (ridge, closed form) or L1 (lasso, exact active-set solution) penalty of
    weight λ (slider: 0 and 1e-8 … 10). Left: the data and the fit; middle: train and validation
    MSE against λ with the current λ marked; right: the weights, the exact zeros marked ✕ and
    counted. ``.result`` is ``regularization_compute``'s output."""
    return RegularizationExplorer(degree, penalty, lam)
