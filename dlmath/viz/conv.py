"""Explorer 6 — convolution and pooling on a small image: kernels, stride, padding, dilation, the
window that produces one output cell, and the output-size rule with the numbers substituted."""
import html

import numpy as np
import ipywidgets as widgets
from matplotlib import colormaps
from matplotlib.patches import Rectangle

import dlmath
from ..nn import functional as F
from . import _images
from ._base import COLORS, Explorer, table_html

__all__ = ["KERNELS", "parse_kernel", "kernel_text", "output_size", "conv_compute",
           "conv_explorer", "ConvExplorer", "MODES"]

KERNELS = {
    "identity": [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
    "box blur": [[1 / 9] * 3] * 3,
    "Gaussian blur": [[1 / 16, 2 / 16, 1 / 16], [2 / 16, 4 / 16, 2 / 16], [1 / 16, 2 / 16, 1 / 16]],
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "Sobel x": [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
    "Sobel y": [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
    "Laplacian": [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
}
MODES = ("convolution", "max pool", "avg pool")
IMAGES = ("digit",) + tuple(_images.SMALL_SHAPES)


def parse_kernel(text):
    """A square kernel from text: rows separated by ';' or new lines, numbers by spaces or commas
    (fractions like 1/9 are fine). Raises ValueError with a readable message."""
    rows = [r for r in text.replace("\n", ";").split(";") if r.strip()]
    if not rows:
        raise ValueError("the kernel is empty: type e.g. '1 0 -1; 2 0 -2; 1 0 -1'")
    values = []
    for r in rows:
        row = []
        for tok in r.replace(",", " ").split():
            try:
                if "/" in tok:
                    a, b = tok.split("/")
                    row.append(float(a) / float(b))
                else:
                    row.append(float(tok))
            except (ValueError, ZeroDivisionError):
                raise ValueError(f"cannot read {tok!r} in the kernel as a number") from None
        values.append(row)
    k = len(values)
    if any(len(r) != k for r in values):
        raise ValueError(f"the kernel must be square: {k} rows but row lengths "
                         f"{[len(r) for r in values]}")
    if k > 5:
        raise ValueError(f"kernels up to 5×5 here, got {k}×{k}")
    arr = np.array(values, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise ValueError("the kernel contains inf or nan")
    return arr


def kernel_text(K):
    """The text form of a kernel (what ``parse_kernel`` reads back)."""
    def num(x):
        return f"{x:.4g}"
    return "; ".join(" ".join(num(x) for x in row) for row in np.asarray(K))


def output_size(i, k, s, p, d=1):
    """⌊(i + 2p − d(k − 1) − 1)/s⌋ + 1 and the formula with the numbers substituted."""
    o = (i + 2 * p - d * (k - 1) - 1) // s + 1
    text = (f"⌊({i} + 2·{p} − {d}·({k} − 1) − 1) / {s}⌋ + 1 = "
            f"⌊{i + 2 * p - d * (k - 1) - 1} / {s}⌋ + 1 = {o}")
    return o, text


def conv_compute(image, kernel=None, stride=1, padding=0, dilation=1, mode="convolution",
                 pool_size=2, position=0):
    """One convolution (or pooling) of a single-channel image by ``dlmath.nn.functional`` —
    ``conv2d``, ``max_pool2d`` or ``avg_pool2d`` — plus what the picture needs.

    Returns a dict: ``output`` (Ho, Wo) from dlmath, ``out_shape`` and ``rule_h``/``rule_w`` (the
    output-size rule with numbers), ``padded`` (the zero-padded input), ``window`` (the output
    cell (i, j) for ``position`` = i·Wo + j), ``cells`` ((k², 2) padded-input coordinates (row,
    col) the window reads), ``manual`` (the cell recomputed by hand from those cells: Σ w·x,
    max or mean) and ``terms`` (the products w·x, convolution only).
    """
    x = np.asarray(getattr(image, "data", image), dtype=float)
    if x.ndim != 2:
        raise ValueError(f"the image must be 2-D (H, W), got shape {x.shape}")
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    s, p, d = int(stride), int(padding), int(dilation)
    xt = dlmath.tensor(x[None, None])
    if mode == "convolution":
        K = np.asarray(kernel, dtype=float)
        k = K.shape[0]
        y = F.conv2d(xt, dlmath.tensor(K[None, None]), stride=s, padding=p, dilation=d)
    else:
        K = None
        k = int(pool_size)
        if d != 1:
            raise ValueError(f"pooling here uses dilation 1 (dlmath's {mode.replace(' ', '_')}2d "
                             f"has no dilation); set dilation to 1")
        if p > k // 2:
            raise ValueError(f"pooling padding must be at most half the window: padding {p} > "
                             f"{k} // 2 = {k // 2} (PyTorch's rule: a window may not lie "
                             f"entirely in the padding)")
        pool = F.max_pool2d if mode == "max pool" else F.avg_pool2d
        y = pool(xt, k, stride=s, padding=p)
    out = np.asarray(y.data, dtype=float)[0, 0]
    Ho, rule_h = output_size(x.shape[0], k, s, p, d)
    Wo, rule_w = output_size(x.shape[1], k, s, p, d)
    if out.shape != (Ho, Wo):                # the rule and dlmath must agree
        raise AssertionError(f"output shape {out.shape} differs from the rule ({Ho}, {Wo})")
    position = int(np.clip(position, 0, Ho * Wo - 1))
    i, j = divmod(position, Wo)
    padded = np.pad(x, p)
    rows = i * s + np.arange(k) * d
    cols = j * s + np.arange(k) * d
    R, C = np.meshgrid(rows, cols, indexing="ij")
    vals = padded[R, C]
    terms = None
    if mode == "convolution":
        terms = K * vals
        manual = float(terms.sum())
    elif mode == "max pool":
        pv = np.pad(x, p, constant_values=-np.inf)[R, C]
        manual = float(pv.max())
    else:
        manual = float(vals.mean())
    return {"output": out, "out_shape": (Ho, Wo), "rule_h": rule_h, "rule_w": rule_w,
            "padded": padded, "padding": p, "stride": s, "dilation": d, "k": k,
            "kernel": K, "mode": mode, "position": position, "window": (i, j),
            "cells": np.stack([R.ravel(), C.ravel()], axis=1), "values": vals,
            "terms": terms, "manual": manual, "value": float(out[i, j]),
            "input_shape": x.shape}


class ConvExplorer(Explorer):
    name = "conv_explorer"
    summary = "convolution/pooling: kernels, stride, padding, dilation, window and output-size rule"
    figsize = (9.8, 3.4)

    def __init__(self, image="digit", kernel="Sobel x", mode="convolution", stride=1, padding=1,
                 dilation=1, custom_image=None):
        self._custom = None if custom_image is None else np.asarray(custom_image, dtype=float)
        self._init = (image, kernel, mode, stride, padding, dilation)
        self._static_key = None
        self._in_shape = self._omax = None
        self._img_cache = {}
        super().__init__()

    def build(self):
        image, kernel, mode, stride, padding, dilation = self._init
        images = (("your image",) if self._custom is not None else ()) + IMAGES
        image = "your image" if self._custom is not None else image
        self.add("image", widgets.Dropdown(options=images, value=image, description="image",
                                           layout=widgets.Layout(width="200px")))
        self.add("digit", widgets.IntSlider(value=0, min=0, max=1796, description="digit #",
                                            continuous_update=False,
                                            layout=widgets.Layout(width="250px")))
        self.add("mode", widgets.ToggleButtons(options=MODES, value=mode,
                                               style={"button_width": "110px"}))
        self.add("preset", widgets.Dropdown(options=list(KERNELS) + ["custom"],
                                            value=kernel if kernel in KERNELS else "custom",
                                            description="kernel",
                                            layout=widgets.Layout(width="200px")))
        text = kernel_text(KERNELS[kernel]) if kernel in KERNELS else kernel
        self.add("kernel", widgets.Text(value=text, description="3×3 values",
                                        continuous_update=False,
                                        layout=widgets.Layout(width="330px")))
        self.add("pool_size", widgets.IntSlider(value=2, min=2, max=3, description="window",
                                                layout=widgets.Layout(width="200px")))
        self.add("stride", widgets.IntSlider(value=stride, min=1, max=3, description="stride",
                                             layout=widgets.Layout(width="200px")))
        self.add("padding", widgets.IntSlider(value=padding, min=0, max=3, description="padding",
                                              layout=widgets.Layout(width="200px")))
        self.add("dilation", widgets.IntSlider(value=dilation, min=1, max=3,
                                               description="dilation",
                                               layout=widgets.Layout(width="200px")))
        self.add("position", widgets.IntSlider(value=0, min=0, max=63,
                                               description="window position",
                                               layout=widgets.Layout(width="420px")))
        self.controls["preset"].observe(self._on_preset, names="value")
        self.controls["kernel"].observe(self._on_text, names="value")
        self.controls["mode"].observe(self._show, names="value")
        self.controls["image"].observe(self._show, names="value")

        a1, a2, a3 = self.fig.subplots(1, 3, gridspec_kw={"width_ratios": [1.2, 0.75, 1]})
        self.ax_in, self.ax_k, self.ax_out = a1, a2, a3
        for ax in (a1, a2, a3):
            ax.tick_params(labelsize=7)
        gray = colormaps["gray_r"].with_extremes(bad="#dfe6ee")
        self.im_in = self.layer(a1.imshow(np.zeros((2, 2)), cmap=gray, vmin=0, vmax=1,
                                          interpolation="nearest"))
        self.in_title = self.layer(a1.set_title(""))
        self.border = self.dynamic(Rectangle((0, 0), 1, 1, fill=False, ec=COLORS["blue"],
                                             lw=1.2, ls="--"))
        a1.add_patch(self.border)
        self.field = self.dynamic(Rectangle((0, 0), 1, 1, fill=False, ec=COLORS["red"], lw=1.5))
        a1.add_patch(self.field)
        self.cells = self.dynamic(a1.scatter([], [], s=30, marker="s", facecolors="none",
                                             edgecolors=COLORS["red"], linewidths=1.2))
        self.im_k = a2.imshow(np.zeros((3, 3)), cmap="RdBu_r", vmin=-1, vmax=1,
                              interpolation="nearest")
        self.k_texts = []
        self.im_out = self.layer(a3.imshow(np.zeros((2, 2)), cmap=colormaps["viridis"]
                                           .with_extremes(bad="#eeeeee"),
                                           interpolation="nearest"))
        self.k_title = self.layer(a2.set_title(""))
        self.out_cell = self.dynamic(Rectangle((0, 0), 1, 1, fill=False, ec=COLORS["red"], lw=2))
        a3.add_patch(self.out_cell)
        self.out_title = self.dynamic(a3.set_title(""))
        self.cache_axes(a1, a2, a3)     # their static pixels: the view, and the kernel's key
        self._layer_state = None        # the images and titles: a layer, for all but position
        self._show()

    def control_rows(self):
        c = self.controls
        return [widgets.HBox([c["image"], c["digit"], c["mode"]]),
                widgets.HBox([c["preset"], c["kernel"], c["pool_size"]]),
                widgets.HBox([c["stride"], c["padding"], c["dilation"]]),
                widgets.HBox([c["position"]])]

    def _show(self, *_):
        conv = self.controls["mode"].value == "convolution"
        for k in ("preset", "kernel"):
            self.controls[k].layout.display = None if conv else "none"
        self.controls["pool_size"].layout.display = "none" if conv else None
        self.controls["digit"].layout.display = None if self.controls["image"].value == "digit" \
            else "none"

    def _on_preset(self, change):
        if change["new"] != "custom" and self._hold == 0:
            with self.hold():
                self.controls["kernel"].value = kernel_text(KERNELS[change["new"]])

    def _on_text(self, change):
        if self._hold == 0:
            try:
                K = parse_kernel(change["new"])
            except ValueError:
                K = None
            match = [n for n, v in KERNELS.items()
                     if K is not None and K.shape == (3, 3) and np.allclose(K, v)]
            with self.hold():
                self.controls["preset"].value = match[0] if match else "custom"

    def input_image(self):
        v = self.values()
        if v["image"] == "your image":
            return self._custom
        if v["image"] == "digit":
            key = ("digit", v["digit"])
            if key not in self._img_cache:
                self._img_cache[key] = _images.digit(v["digit"])[0]
            return self._img_cache[key]
        return _images.small_shape(v["image"])

    def compute(self):
        v = self.values()
        kernel = parse_kernel(v["kernel"]) if v["mode"] == "convolution" else None
        r = conv_compute(self.input_image(), kernel, v["stride"], v["padding"], v["dilation"],
                         v["mode"], v["pool_size"], v["position"])
        Ho, Wo = r["out_shape"]
        if self.controls["position"].max != Ho * Wo - 1:
            with self.hold():
                self.controls["position"].max = Ho * Wo - 1
        return r

    def _draw_kernel(self, r):
        a2 = self.ax_k
        for t in self.k_texts:
            t.remove()
        self.k_texts = []
        k = r["k"]
        self._k_title = ""
        if r["mode"] == "convolution":
            K = r["kernel"]
            m = max(float(np.max(np.abs(K))), 1e-12)
            self.im_k.set_data(K)
            self.im_k.set_clim(-m, m)
            self.im_k.set_cmap("RdBu_r")
            for a in range(k):
                for b in range(k):
                    val = K[a, b]
                    self.k_texts.append(a2.text(b, a, f"{val:.3g}", ha="center", va="center",
                                                fontsize=8 if k <= 3 else 6.5,
                                                color="white" if abs(val) > 0.6 * m else "black"))
            self._k_title = f"kernel {k}×{k}"
        else:
            self.im_k.set_data(np.zeros((k, k)))
            self.im_k.set_cmap("Greys")
            self.im_k.set_clim(0, 1)
            word = "max" if r["mode"] == "max pool" else "mean"
            self.k_texts.append(a2.text((k - 1) / 2, (k - 1) / 2, word, ha="center", va="center",
                                        fontsize=12))
            self._k_title = f"{k}×{k} window: {word}"
        self.im_k.set_extent((-0.5, k - 0.5, k - 0.5, -0.5))
        a2.set_xlim(-0.5, k - 0.5)
        a2.set_ylim(k - 0.5, -0.5)
        a2.set_xticks(range(k))
        a2.set_yticks(range(k))

    def _draw_layer_artists(self, r, pmax, omax):
        """The layer: the padded input and the output (nan outside them), and the titles of the
        input and kernel panels — everything but the window, which moves with ``position``."""
        P, p = r["padded"], r["padding"]
        H, W = r["input_shape"]
        Ho, Wo = r["out_shape"]
        canvas = np.full((H + 2 * pmax, W + 2 * pmax), np.nan)
        canvas[pmax - p: pmax - p + P.shape[0], pmax - p: pmax - p + P.shape[1]] = P
        self.im_in.set_data(canvas)
        self.in_title.set_text(f"input {H}×{W}" + (f", padded to {P.shape[0]}×{P.shape[1]}"
                                                   if p else ""))
        self.k_title.set_text(self._k_title + (f", dilation {r['dilation']}"
                                               if r["dilation"] > 1 else ""))
        out = r["output"]
        shown = np.full(omax, np.nan)
        shown[:Ho, :Wo] = out
        self.im_out.set_data(shown)
        finite = out[np.isfinite(out)]
        lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        self.im_out.set_clim(lo, hi if hi > lo else lo + 1)

    def draw(self, r):
        """Fixed axes for every stride/padding/dilation (so those sliders only blit): the input
        panel spans the largest padding, the output panel the largest output; cells outside the
        current padded input or output are nan, drawn in a neutral colour. The kernel panel is
        static, keyed by the kernel (or pooling window): a new image, kernel or mode redraws only
        the panels it changes, or brings back their kept bitmaps."""
        p = r["padding"]
        H, W = r["input_shape"]
        Ho, Wo = r["out_shape"]
        pmax = self.controls["padding"].max
        k = r["k"]
        kkey = (r["mode"], k) if r["kernel"] is None else \
            (r["mode"], k, tuple(r["kernel"].ravel().tolist()))
        omax = (H + 2 * pmax - k + 1, W + 2 * pmax - k + 1)
        if (H, W) != self._in_shape:
            self.im_in.set_extent((-pmax - 0.5, W + pmax - 0.5, H + pmax - 0.5, -pmax - 0.5))
            self.ax_in.set_xlim(-pmax - 0.5, W + pmax - 0.5)
            self.ax_in.set_ylim(H + pmax - 0.5, -pmax - 0.5)
            self.border.set_bounds(-0.5, -0.5, W, H)
            self._in_shape = (H, W)
            self.layout_if_needed()
        if kkey != self._static_key:
            self._draw_kernel(r)
            self._static_key = kkey
            self.invalidate(self.ax_k, key=kkey)
            self.layout_if_needed()
        if omax != self._omax:
            self.im_out.set_extent((-0.5, omax[1] - 0.5, omax[0] - 0.5, -0.5))
            self.ax_out.set_xlim(-0.5, omax[1] - 0.5)
            self.ax_out.set_ylim(omax[0] - 0.5, -0.5)
            self._omax = omax
            self.layout_if_needed()
        state = (kkey, self.controls["image"].value, self.controls["digit"].value, p,
                 r["stride"], r["dilation"])
        if state != self._layer_state:
            self._draw_layer_artists(r, pmax, omax)
            self._layer_state = state
            self.invalidate_layer(key=state)
        cells = r["cells"] - p                      # coordinates of the unpadded image
        self.cells.set_offsets(cells[:, ::-1])
        self.field.set_bounds(cells[:, 1].min() - 0.5, cells[:, 0].min() - 0.5,
                              np.ptp(cells[:, 1]) + 1, np.ptp(cells[:, 0]) + 1)
        i, j = r["window"]
        self.out_cell.set_bounds(j - 0.5, i - 0.5, 1, 1)
        self.out_title.set_text(f"output {Ho}×{Wo}; y[{i}, {j}] = {r['value']:.3g}")
        rows = [["output height", r["rule_h"]], ["output width", r["rule_w"]]]
        if r["mode"] == "convolution":
            terms = " + ".join(f"{w:.3g}·{x:.2g}" for w, x in
                               zip(r["kernel"].ravel(), r["values"].ravel()) if w != 0)
            rows.append([f"y[{i}, {j}] = Σ w·x", f"{terms or '0'} = {r['manual']:.6g}"])
        else:
            word = "max" if r["mode"] == "max pool" else "mean"
            rows.append([f"y[{i}, {j}] = {word} of the window",
                         f"{word}({', '.join(f'{x:.2g}' for x in r['values'].ravel())}) = "
                         f"{r['manual']:.6g}"])
        rows.append(["dlmath.nn.functional says", f"{r['value']:.6g}"])
        self.readout.value = table_html([[a, html.escape(b)] for a, b in rows]) + \
            "<div style='font-size:90%'>rule: o = ⌊(i + 2p − d(k − 1) − 1)/s⌋ + 1 with input i, " \
            "kernel k, stride s, padding p, dilation d.</div>"

    def on_error(self, message):
        self.readout.value = ""


def conv_explorer(image="digit", kernel="Sobel x", mode="convolution", stride=1, padding=1,
                  dilation=1, custom_image=None):
    """Convolve (``dlmath.nn.functional.conv2d``) or pool (``max_pool2d``/``avg_pool2d``) a small
    image — a real 8×8 digit or a synthetic shape (or ``custom_image``) — with a preset or typed
    kernel; sliders for stride, padding and dilation and for the window position, which highlights
    the input cells read and the output cell written. The read-out substitutes the numbers into
    the output-size rule and recomputes the highlighted cell by hand."""
    return ConvExplorer(image, kernel, mode, stride, padding, dilation, custom_image)
