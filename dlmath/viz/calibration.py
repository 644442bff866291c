r"""Explorer — calibration: a temperature T rescales a classifier's logits, p = softmax(z / T);
the reliability diagram, the expected calibration error (ECE) and the negative log-likelihood
(NLL) follow, the accuracy does not (the arg-max of z / T is the arg-max of z for every T > 0).

Definitions, for N predictions with logits zₙ ∈ ℝᴷ and labels yₙ:

    pₙ = softmax(zₙ / T),   confidence cₙ = maxₖ pₙₖ,   prediction ŷₙ = argmaxₖ pₙₖ
    accuracy   = (1/N) Σₙ [ŷₙ = yₙ]
    NLL(T)     = −(1/N) Σₙ log pₙ,yₙ = (1/N) Σₙ (logsumexp(zₙ / T) − zₙ,yₙ / T)
    bins       B₁ … B_M of [0, 1]: equal width ((b − 1)/M, b/M] (the first also holds 0), or
               equal mass (edges at the confidence quantiles; the same right-closed rule)
    acc_b      = mean of [ŷₙ = yₙ] over n ∈ B_b,   conf_b = mean of cₙ over n ∈ B_b
    ECE        = Σ_b (|B_b| / N) · |acc_b − conf_b|     (weighted by the bin counts; empty bins
               count 0 — the classic mistake is the unweighted mean over bins)

NLL(T) is convex in β = 1/T (a log-sum-exp of linear functions of β minus a linear one), so it has
one minimum over log T: ``fit_temperature`` finds it by golden-section search on log T.
As T → ∞ every pₙ tends to the uniform 1/K (confidence 1/K); as T → 0 to one-hot (confidence 1).

Input: logits (N, K), or probabilities (N, K) (rows in [0, 1] summing to 1: then z = log p, so
that T = 1 gives back p; a zero probability becomes log 1e-300), or for two classes a 1-D array:
probabilities of class 1 if all in [0, 1], else logits of class 1 against class 0.

Default data (no arguments): multinomial logistic regression, z = W x + b on the 64 pixels / 16
of ``dlmath.data.load_digits``' training split (1 437 images), trained without regularisation by
full-batch gradient descent with Nesterov momentum from W = 0 (deterministic) to a training loss of
about 1e-3 — it fits the training set perfectly and is overconfident on the 359 test images, whose
logits the explorer shows.
"""
import math

import numpy as np
import ipywidgets as widgets
from matplotlib.collections import PolyCollection
from matplotlib.ticker import FixedFormatter, FixedLocator, NullLocator

from ._base import COLORS, Explorer, fmt, table_html

__all__ = ["BINNINGS", "T_MIN", "T_MAX", "as_logits", "softmax", "nll", "bin_edges",
           "calibration_compute", "fit_temperature", "digits_logits", "calibration_explorer",
           "CalibrationExplorer"]

BINNINGS = ("equal width", "equal mass")
T_MIN, T_MAX = 0.25, 8.0                  # the slider's range
LOG2_T_CURVE = np.linspace(-2.0, 3.0, 81)  # log₂ T of the NLL / ECE curves
BINS_MAX = 30

_CACHE = {}


# -- the compute core -------------------------------------------------------------------------
def as_logits(x):
    """Logits (N, K) float64 from logits or probabilities (see the module docstring)."""
    a = np.asarray(x, dtype=float)
    if a.ndim == 1:
        if a.size and np.all((a >= 0) & (a <= 1)):
            a = np.stack([1 - a, a], axis=1)
        else:
            return np.stack([np.zeros_like(a), a], axis=1)
    if a.ndim != 2 or a.shape[0] < 1 or a.shape[1] < 2:
        raise ValueError(f"logits or probabilities must have shape (N, K) with N ≥ 1 and K ≥ 2 "
                         f"classes, got shape {np.shape(x)}")
    if not np.all(np.isfinite(a)):
        raise ValueError("the logits/probabilities contain nan or inf")
    if np.all((a >= 0) & (a <= 1)) and np.allclose(a.sum(axis=1), 1.0, atol=1e-6):
        a = np.log(np.maximum(a, 1e-300))
    return a


def _labels(labels, n, k):
    y = np.asarray(labels)
    if y.shape != (n,):
        raise ValueError(f"labels must have shape ({n},), one per prediction, got {y.shape}")
    if not np.issubdtype(y.dtype, np.integer):
        if not np.all(y == np.round(y)):
            raise ValueError("labels must be integer class indices")
        y = y.astype(np.int64)
    if y.size and (y.min() < 0 or y.max() >= k):
        raise ValueError(f"labels must be class indices 0 … {k - 1}, got {y.min()} … {y.max()}")
    return y


def _temperature(T):
    T = float(T)
    if not (T > 0 and math.isfinite(T)):
        raise ValueError(f"the temperature must be a finite number > 0, got {T}")
    return T


def softmax(logits, T=1.0):
    """p = softmax(z / T) row-wise, stable (the row maximum subtracted first)."""
    z = np.asarray(logits, dtype=float) / _temperature(T)
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def nll(logits, labels, T=1.0):
    """NLL(T) = mean over n of logsumexp(zₙ / T) − zₙ,yₙ / T (stable: no log of a rounded 0)."""
    z = np.asarray(logits, dtype=float) / _temperature(T)
    m = z.max(axis=1)
    lse = m + np.log(np.exp(z - m[:, None]).sum(axis=1))
    return float(np.mean(lse - z[np.arange(len(z)), labels]))


def bin_edges(conf, bins, binning="equal width"):
    """M + 1 increasing edges 0 = e₀ < … < e_M = 1: b/M, or (equal mass) the confidences at
    ranks ⌈bN/M⌉ (1-based) of the sorted confidences, duplicates merged (then fewer bins)."""
    if not (isinstance(bins, (int, np.integer)) and 1 <= bins <= 1000):
        raise ValueError(f"the number of bins must be an integer from 1 to 1000, got {bins!r}")
    if binning == "equal width":
        return np.arange(bins + 1) / bins
    if binning != "equal mass":
        raise ValueError(f"binning must be one of {BINNINGS}, got {binning!r}")
    c = np.sort(conf)
    n = len(c)
    inner = c[np.ceil(np.arange(1, bins) * n / bins).astype(int) - 1]
    inner = np.unique(inner[(inner > 0) & (inner < 1)])
    return np.concatenate([[0.0], inner, [1.0]])


def _bins(conf, correct, edges):
    """Per bin (right-closed, the first also holds 0): count, accuracy, mean confidence (nan for
    an empty bin)."""
    idx = np.searchsorted(edges[1:-1], conf, side="left")
    m = len(edges) - 1
    count = np.bincount(idx, minlength=m)
    with np.errstate(invalid="ignore", divide="ignore"):
        acc = np.bincount(idx, weights=correct.astype(float), minlength=m) / count
        cf = np.bincount(idx, weights=conf, minlength=m) / count
    return count, acc, cf


def calibration_compute(logits, labels, temperature=1.0, bins=10, binning="equal width"):
    """Everything the explorer shows for one temperature, as plain data:

    ``probs`` (N, K) = softmax(z / T), ``confidence`` (N,), ``prediction`` (N,), ``correct``
    (N, bool), ``edges`` (M + 1), per bin ``count``, ``acc``, ``conf`` (nan where empty),
    ``ece`` = Σ_b (count_b / N)|acc_b − conf_b|, ``mce`` (the largest gap over nonempty bins),
    ``nll``, ``accuracy``, ``mean_confidence``. ``logits``: (N, K) logits or probabilities
    (``as_logits``)."""
    z = as_logits(logits)
    n, k = z.shape
    y = _labels(labels, n, k)
    T = _temperature(temperature)
    p = softmax(z, T)
    conf = p.max(axis=1)
    pred = p.argmax(axis=1)
    correct = pred == y
    edges = bin_edges(conf, bins, binning)
    count, acc, cf = _bins(conf, correct, edges)
    full = count > 0
    gaps = np.abs(acc[full] - cf[full])
    return {"temperature": T, "n": n, "classes": k, "probs": p, "confidence": conf,
            "prediction": pred, "correct": correct, "edges": edges, "count": count,
            "acc": acc, "conf": cf, "binning": binning,
            "ece": float(np.sum(count[full] / n * gaps)),
            "mce": float(gaps.max()) if gaps.size else 0.0,
            "nll": nll(z, y, T), "accuracy": float(correct.mean()),
            "mean_confidence": float(conf.mean())}


def fit_temperature(logits, labels, lo=1e-2, hi=1e2, tol=1e-7):
    """T* = argmin NLL(T) over [lo, hi], by golden-section search on log T (NLL is unimodal in
    log T, see the module docstring) to |Δ log T| < tol. Returns T* (``lo`` or ``hi`` when the
    minimum is at the search bound: e.g. perfectly separable data, where NLL falls as T → 0)."""
    z = as_logits(logits)
    y = _labels(labels, *z.shape)
    a, b = math.log(lo), math.log(hi)
    g = (math.sqrt(5) - 1) / 2
    f = lambda u: nll(z, y, math.exp(u))              # noqa: E731
    c, d = b - g * (b - a), a + g * (b - a)
    fc, fd = f(c), f(d)
    while b - a > tol:
        if fc <= fd:
            b, d, fd = d, c, fc
            c = b - g * (b - a)
            fc = f(c)
        else:
            a, c, fc = c, d, fd
            d = a + g * (b - a)
            fd = f(d)
    u = (a + b) / 2
    for bound in (math.log(lo), math.log(hi)):         # the minimum at a bound: return it
        if f(bound) <= f(u):
            u = bound
    return math.exp(u)


def digits_logits():
    """(logits, labels) of the default classifier on the 359 test digits (see the module
    docstring), computed once and kept."""
    if "digits" not in _CACHE:
        from ..data import load_digits
        (Xt, yt), (Xv, yv) = load_digits()
        A = np.hstack([Xt / 16.0, np.ones((len(Xt), 1))])
        Av = np.hstack([Xv / 16.0, np.ones((len(Xv), 1))])
        n, K = len(A), 10
        Y = np.eye(K)[yt]
        W, V = np.zeros((A.shape[1], K)), np.zeros((A.shape[1], K))
        lr, beta = 8.0, 0.9
        for _ in range(600):                       # Nesterov: the gradient at W + βV
            Z = A @ (W + beta * V)
            Z -= Z.max(axis=1, keepdims=True)
            P = np.exp(Z)
            P /= P.sum(axis=1, keepdims=True)
            V = beta * V - lr * (A.T @ (P - Y)) / n
            W = W + V
        logits = Av @ W
        logits.setflags(write=False)
        yv = np.asarray(yv, dtype=np.int64)
        yv.setflags(write=False)
        _CACHE["digits"] = (logits, yv, nll(A @ W, yt))
    return _CACHE["digits"][:2]


# -- the view ---------------------------------------------------------------------------------
def _bars(left, right, bottom, top):
    return [[(l, b), (l, t), (r, t), (r, b)] for l, r, b, t in zip(left, right, bottom, top)]


class CalibrationExplorer(Explorer):
    name = "calibration_explorer"
    summary = "temperature scaling: reliability diagram, ECE and NLL against T; T* by NLL"
    figsize = (9.8, 3.3)
    constrained = False

    def __init__(self, logits=None, labels=None, bins=10):
        if logits is None and labels is None:
            logits, labels = digits_logits()
            self._source = "default: logistic regression on the digits' test split"
        elif logits is None or labels is None:
            raise ValueError("calibration_explorer: pass both probs_or_logits and labels, or "
                             "neither (for the default digits classifier)")
        else:
            self._source = "your data"
        self.z = as_logits(logits)
        self.y = _labels(labels, *self.z.shape)
        if not (isinstance(bins, (int, np.integer)) and 1 <= bins <= BINS_MAX):
            raise ValueError(f"bins must be an integer from 1 to {BINS_MAX}, got {bins!r}")
        self._bins0 = int(bins)
        self.t_star = fit_temperature(self.z, self.y)
        self.nll_curve = np.array([nll(self.z, self.y, 2.0 ** u) for u in LOG2_T_CURVE])
        self.nll_star = nll(self.z, self.y, self.t_star)
        self._ece_curves = {}
        self._key = None
        super().__init__()

    def build(self):
        self.add("T", widgets.FloatLogSlider(value=1.0, base=2, min=math.log2(T_MIN),
                                             max=math.log2(T_MAX), step=0.05,
                                             description="logit temperature T",
                                             readout_format=".3g",
                                             layout=widgets.Layout(width="360px")))
        self.add("bins", widgets.IntSlider(value=self._bins0, min=1, max=BINS_MAX,
                                           description="bins M",
                                           layout=widgets.Layout(width="260px")))
        self.add("binning", widgets.ToggleButtons(options=BINNINGS, value="equal width",
                                                  description="bins of",
                                                  style={"button_width": "90px"}))
        self.to_best = widgets.Button(description="T = T* (min NLL)",
                                      layout=widgets.Layout(width="150px"))
        self.to_best.on_click(lambda _: self.controls["T"].__setattr__("value", self.t_star))

        a1, a2, a3 = self.fig.subplots(1, 3, gridspec_kw={"width_ratios": [1.15, 1, 1.1]})
        self.fig.subplots_adjust(left=0.055, right=0.985, bottom=0.15, top=0.9, wspace=0.32)
        self.ax_rel, self.ax_hist, self.ax_t = a1, a2, a3
        k = self.z.shape[1]
        a1.plot([0, 1], [0, 1], ls="--", color="0.5", lw=0.9)
        a1.set_xlim(0, 1)
        a1.set_ylim(0, 1)
        a1.set_xticks([0, 0.25, 0.5, 0.75, 1], ["0", "0.25", "0.5", "0.75", "1"])
        a1.set_yticks([0, 0.25, 0.5, 0.75, 1], ["0", "0.25", "0.5", "0.75", "1"])
        a1.set_xlabel("confidence (max probability)")
        a1.set_ylabel("accuracy in the bin")
        a1.set_title("reliability diagram")
        self.acc_bars = PolyCollection([], facecolors=COLORS["blue"], edgecolors="white",
                                       linewidths=0.5, alpha=0.85)
        self.gap_bars = PolyCollection([], facecolors=COLORS["red"], edgecolors=COLORS["red"],
                                       linewidths=0.5, alpha=0.3)
        a1.add_collection(self.acc_bars)
        a1.add_collection(self.gap_bars)
        self.bin_dots, = a1.plot([], [], "o", color="k", ms=2.5)
        a1.text(0.03, 0.95, "blue: accuracy per bin\nred: its gap to the diagonal\n"
                "(ECE: their mean, weighted by the bin counts)", va="top",
                transform=a1.transAxes, fontsize=6.5, color="0.35")

        n = self.z.shape[0]
        a2.set_yscale("log")
        a2.set_xlim(0, 1)
        a2.set_ylim(0.7, 2.0 * n)
        decades = [10 ** e for e in range(int(math.log10(2.0 * n)) + 1)]
        a2.yaxis.set_major_locator(FixedLocator(decades))       # few ticks: a fast first draw
        a2.yaxis.set_major_formatter(FixedFormatter([f"{d:g}" for d in decades]))
        a2.yaxis.set_minor_locator(NullLocator())
        a2.set_xticks([0, 0.25, 0.5, 0.75, 1], ["0", "0.25", "0.5", "0.75", "1"])
        a2.set_xlabel("confidence")
        a2.set_title("how many predictions per bin")
        a2.axvline(1.0 / k, color="0.7", lw=0.8, ls=":")
        a2.text(1.0 / k + 0.01, 0.85, "1/K", fontsize=6.5, color="0.5")
        self.hist_bars = PolyCollection([], facecolors=COLORS["gray"], edgecolors="white",
                                        linewidths=0.5)
        a2.add_collection(self.hist_bars)
        self.conf_line = a2.axvline(0.5, color=COLORS["orange"], lw=1.2)
        self.acc_line = a2.axvline(0.5, color=COLORS["green"], lw=1.2, ls="--")
        a2.text(0.97, 0.95, f"N = {n}, K = {k}", va="top", ha="right", transform=a2.transAxes,
                fontsize=7.5)
        a2.plot([], [], color=COLORS["orange"], lw=1.2, label="mean confidence")
        a2.plot([], [], color=COLORS["green"], lw=1.2, ls="--", label="accuracy")
        a2.legend(loc="upper left", bbox_to_anchor=(0.0, 0.9), fontsize=6.5, frameon=False)

        a3.set_xscale("log", base=2)
        a3.set_xlim(T_MIN, T_MAX)
        ticks = [0.25, 0.5, 1, 2, 4, 8]
        a3.set_xticks(ticks, [f"{t:g}" for t in ticks])
        a3.minorticks_off()
        a3.set_xlabel("temperature T")
        a3.set_title("NLL and ECE against T")
        Ts = 2.0 ** LOG2_T_CURVE
        top = float(np.nanmax(self.nll_curve[np.isfinite(self.nll_curve)], initial=1.0))
        a3.set_ylim(0, min(max(1.05 * top, 0.05), 3 * max(self.nll_star, 0.05)))
        a3.plot(Ts, self.nll_curve, color=COLORS["purple"], lw=1.4, label="NLL")
        self.ece_curve, = a3.plot(Ts, np.zeros_like(Ts), color=COLORS["red"], lw=1.2,
                                  label="ECE")
        self.layer(self.ece_curve)
        a3.axvline(self.t_star, color=COLORS["purple"], lw=0.8, ls=":")
        if T_MIN <= self.t_star <= T_MAX:
            a3.text(self.t_star * 1.05, 0.55, f"T* = {self.t_star:.3g}", fontsize=7,
                    color=COLORS["purple"], transform=a3.get_xaxis_transform())
        a3.legend(loc="upper center", fontsize=7, frameon=False)
        self.t_line = a3.axvline(1.0, color="k", lw=0.9)
        self.nll_dot, = a3.plot([], [], "o", color=COLORS["purple"], mec="k", ms=5)
        self.ece_dot, = a3.plot([], [], "o", color=COLORS["red"], mec="k", ms=5)
        self.dynamic(self.acc_bars, self.gap_bars, self.bin_dots,
                     self.hist_bars, self.conf_line, self.acc_line, self.t_line,
                     self.nll_dot, self.ece_dot)

    def control_rows(self):
        c = self.controls
        return [widgets.HBox([c["T"], self.to_best, c["bins"], c["binning"]],
                             layout=widgets.Layout(flex_flow="row wrap"))]

    def ece_curve_for(self, bins, binning):
        """ECE at each temperature of ``LOG2_T_CURVE`` (kept per bins and binning)."""
        key = (bins, binning)
        if key not in self._ece_curves:
            if len(self._ece_curves) >= 64:
                self._ece_curves.pop(next(iter(self._ece_curves)))
            self._ece_curves[key] = np.array([
                calibration_compute(self.z, self.y, 2.0 ** u, bins, binning)["ece"]
                for u in LOG2_T_CURVE])
        return self._ece_curves[key]

    def compute(self):
        v = self.values()
        r = calibration_compute(self.z, self.y, v["T"], v["bins"], v["binning"])
        r["ece_curve"] = self.ece_curve_for(v["bins"], v["binning"])
        r["t_star"], r["nll_star"], r["bins"] = self.t_star, self.nll_star, v["bins"]
        return r

    def draw(self, r):
        key = (r["bins"], r["binning"])
        if key != self._key:                 # the ECE curve depends on the bins only
            self.ece_curve.set_ydata(r["ece_curve"])
            self.invalidate_layer(key)
            self._key = key
        e = r["edges"]
        full = r["count"] > 0
        left, right = e[:-1][full], e[1:][full]
        acc, cf = r["acc"][full], r["conf"][full]
        pad = np.minimum(0.004, (right - left) * 0.1)
        self.acc_bars.set_verts(_bars(left + pad, right - pad, np.zeros_like(acc), acc))
        self.gap_bars.set_verts(_bars(left + pad, right - pad, np.minimum(acc, cf),
                                      np.maximum(acc, cf)))
        self.bin_dots.set_data(cf, acc)
        self.hist_bars.set_verts(_bars(left + pad, right - pad, np.full(len(left), 0.7),
                                       r["count"][full].astype(float)))
        self.conf_line.set_xdata([r["mean_confidence"]] * 2)
        self.acc_line.set_xdata([r["accuracy"]] * 2)
        T = r["temperature"]
        self.t_line.set_xdata([T, T])
        self.nll_dot.set_data([T], [r["nll"]])
        self.ece_dot.set_data([T], [r["ece"]])
        counts = " ".join(str(int(c)) for c in r["count"])
        over = r["mean_confidence"] - r["accuracy"]
        star = (f"{fmt(r['t_star'], 4)} (NLL {fmt(r['nll_star'], 4)})"
                + ("" if T_MIN <= r["t_star"] <= T_MAX else " — outside the slider's range"))
        self.readout.value = table_html([
            ["data", f"{self._source}: N = {r['n']} predictions, K = {r['classes']} classes"],
            ["ECE = Σ_b (n_b/N)·|acc_b − conf_b|", f"<b>{r['ece']:.4f}</b>  ({len(e) - 1} bins; "
                                                   f"largest bin gap {r['mce']:.3f})"],
            ["NLL = −(1/N) Σ log p_y", f"{fmt(r['nll'], 4)}"],
            ["accuracy (the same for every T)", f"{r['accuracy']:.4f}"],
            ["mean confidence", f"{r['mean_confidence']:.4f}  ("
             + ("over" if over > 0 else "under") + f"confident by {abs(over):.4f})"],
            ["NLL-optimal temperature T* (golden section on log T)", star],
            ["bin counts n_b (low → high confidence)", counts],
        ])

    def on_error(self, message):
        self.readout.value = ""


def calibration_explorer(probs_or_logits=None, labels=None, bins=10):
    """Temperature scaling of a classifier: p = softmax(z / T) with T on a log slider
    (0.25 … 8), M bins (slider, equal width or equal mass). Left: the reliability diagram
    (accuracy per confidence bin, the gap to the diagonal) and the ECE; middle: how many
    predictions fall in each bin, the mean confidence against the accuracy; right: NLL(T) and
    ECE(T), with the NLL-optimal T* (button "T = T*"). Without arguments: an overconfident
    logistic regression on the digits' test split. ``probs_or_logits`` (N, K) and ``labels``
    (N,): your own, e.g. a network's validation logits. ``.result`` is
    ``calibration_compute``'s output."""
    return CalibrationExplorer(probs_or_logits, labels, bins)
