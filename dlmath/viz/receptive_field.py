r"""Explorer — receptive fields: a stack of up to four conv / max-pool layers, each with its kernel
size k, stride s, dilation d and zero padding p; click a cell of the last output map and see
exactly which input pixels it depends on.

Per layer l (square maps and kernels; the same rule along rows and columns), from the input
(l = 0: n₀ = input size, r₀ = 1, j₀ = 1, f₀ = 0):

    output size   n_l = ⌊(n_{l−1} + 2p_l − d_l(k_l − 1) − 1) / s_l⌋ + 1
    field size    r_l = r_{l−1} + d_l (k_l − 1) j_{l−1}       (input pixels spanned by one cell)
    jump          j_l = j_{l−1} s_l                           (input pixels between neighbours)
    first pixel   f_l = f_{l−1} − p_l j_{l−1}                 (of cell 0's field; < 0: padding)

so cell i of layer l spans input pixels f_l + i·j_l … f_l + i·j_l + r_l − 1 (clipped to the input).
A max pool is a layer with d = 1 (p ≤ k // 2). "off" layers are skipped.

The exact set is finer than that box. Cell i of layer l reads cells i·s + a·d − p, a = 0 … k − 1,
of layer l − 1 (those inside the map; padding reads zeros). Propagating index sets backwards from
the chosen cell gives every cell, of every layer, that it depends on — with dilation the set has
holes: one layer k = 3, d = 2 reads input pixels 0, 2 and 4 only. Propagating counts instead of
sets (c_{l−1}[i·s + a·d − p] += c_l[i]) gives the number of paths from each pixel to the cell:
the gradient of the cell with respect to the input when every kernel is all ones and every pool
a sum (what ``dlmath.nn.functional.conv2d`` / ``avg_pool2d`` · k² give by autograd; a max pool's
gradient flows to one arg-max per window, a subset of the window it depends on). Kernels and
pools are k × k, so the 2-D count is the outer product of the row and the column counts.
"""
import ipywidgets as widgets
import matplotlib as mpl
import numpy as np
from matplotlib.patches import Rectangle

from ._base import COLORS, Explorer, table_html

__all__ = ["LAYER_TYPES", "MAX_LAYERS", "GRID_MAX", "DEFAULT_LAYERS", "normalize_layers",
           "output_sizes", "receptive_field_compute", "receptive_field_explorer",
           "ReceptiveFieldExplorer"]

LAYER_TYPES = ("conv", "max pool", "off")
MAX_LAYERS = 4               # in the explorer (the compute core takes any number)
GRID_MAX = 16                # the clickable output grid shows at most 16 × 16 cells
INPUT_MIN, INPUT_MAX = 4, 64
LIMITS = {"k": (1, 7), "s": (1, 3), "d": (1, 8), "p": (0, 3)}       # the explorer's sliders
#: a max pool, then a plain and a dilated conv: the dilated one leaves holes in the field
DEFAULT_LAYERS = [("max pool", 2, 2, 1, 0), ("conv", 3, 1, 1, 0), ("conv", 3, 1, 4, 0),
                  ("off", 3, 1, 1, 0)]


def _int(v, what, lo, hi=None):
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < lo or (
            hi is not None and v > hi):
        rng = f"from {lo} to {hi}" if hi is not None else f"≥ {lo}"
        raise ValueError(f"{what} must be an integer {rng}, got {v!r}")
    return int(v)


def normalize_layers(layers):
    """Layer specs → a list of dicts ``{"type", "k", "s", "d", "p"}``. A spec is a dict with
    those keys (s, d, p optional: 1, 1, 0; a pool's s defaults to k) or a tuple
    ``(type, k, s, d, p)`` (trailing ones optional); type is "conv", "max pool" or "off"."""
    if layers is None:
        layers = DEFAULT_LAYERS
    if isinstance(layers, (dict, str)) or not hasattr(layers, "__iter__"):
        raise ValueError("layers must be a list of layer specs, e.g. [('conv', 3, 1, 1, 0), "
                         "('max pool', 2, 2)]")
    out = []
    for i, spec in enumerate(layers, 1):
        if isinstance(spec, dict):
            unknown = set(spec) - {"type", "k", "s", "d", "p"}
            if unknown:
                raise ValueError(f"layer {i}: unknown keys {sorted(unknown)}; use type, k, s, d, p")
            spec = dict(spec)
        else:
            spec = tuple(spec)
            if not 1 <= len(spec) <= 5:
                raise ValueError(f"layer {i}: a tuple (type, k, s, d, p), got {spec!r}")
            spec = dict(zip(("type", "k", "s", "d", "p"), spec))
        kind = spec.get("type", "conv")
        if kind not in LAYER_TYPES:
            raise ValueError(f"layer {i}: type must be one of {LAYER_TYPES}, got {kind!r}")
        k = _int(spec.get("k", 3), f"layer {i}: the kernel size k", 1)
        s = _int(spec.get("s", k if kind == "max pool" else 1), f"layer {i}: the stride s", 1)
        d = _int(spec.get("d", 1), f"layer {i}: the dilation d", 1)
        p = _int(spec.get("p", 0), f"layer {i}: the padding p", 0)
        if kind == "max pool" and d != 1:
            raise ValueError(f"layer {i}: a max pool has no dilation here (d = 1), got d = {d}")
        if kind == "max pool" and p > k // 2:
            raise ValueError(f"layer {i}: a max pool's padding must be ≤ k // 2 = {k // 2} "
                             f"(a window of padding alone has no maximum), got p = {p}")
        out.append({"type": kind, "k": k, "s": s, "d": d, "p": p})
    return out


def output_sizes(layers, input_size):
    """[n₀, n₁, …] for the active (not "off") layers; ValueError naming the first layer whose
    output would be empty."""
    n = _int(input_size, "the input size", 1)
    sizes = [n]
    for i, L in enumerate(layers, 1):
        if L["type"] == "off":
            continue
        span = L["d"] * (L["k"] - 1) + 1
        m = (n + 2 * L["p"] - span) // L["s"] + 1
        if m < 1:
            raise ValueError(f"layer {i} ({L['type']}): its input is {n}×{n}"
                             + (f" (+ padding {L['p']})" if L["p"] else "")
                             + f", smaller than its kernel's span d(k − 1) + 1 = {span}: the "
                             "output would be empty — shrink k or d, or enlarge the input")
        sizes.append(m)
        n = m
    return sizes


def _back(count, L, n_in):
    """One layer backwards: c_in[i·s + a·d − p] += c_out[i] over a = 0 … k − 1 (inside)."""
    out = np.zeros(n_in, dtype=np.int64)
    i = np.arange(len(count)) * L["s"] - L["p"]
    for a in range(L["k"]):
        idx = i + a * L["d"]
        ok = (idx >= 0) & (idx < n_in)
        np.add.at(out, idx[ok], count[ok])
    return out


def receptive_field_compute(layers=None, input_size=32, cell=None):
    """The receptive field of one output cell, as plain data.

    ``layers``: specs (``normalize_layers``); ``input_size``: n₀; ``cell``: (row, col) in the last
    output map (default its centre). Returns ``layers`` (the active ones, each with ``index``,
    ``in_size``, ``out_size``, ``r``, ``jump``, ``first``), ``sizes`` [n₀ … n_L], ``r``, ``jump``,
    ``cell``, ``row_counts`` / ``col_counts`` (per level 0 … L, the path counts along each axis),
    ``maps`` (per level, the 2-D path counts, outer products), ``counts`` = maps[0] (input),
    ``support`` (counts > 0: the exact set of input pixels), ``box`` (top, left, bottom, right:
    the r × r field from the formulas, may reach outside the input), ``touched`` (support size),
    ``box_inside`` (box pixels inside the input), ``holes`` (those not in the support)."""
    spec = normalize_layers(layers)
    sizes = output_sizes(spec, input_size)
    active = [dict(L, index=i) for i, L in enumerate(spec, 1) if L["type"] != "off"]
    r, j, f = 1, 1, 0
    for L, n_in, n_out in zip(active, sizes, sizes[1:]):
        r, f = r + L["d"] * (L["k"] - 1) * j, f - L["p"] * j
        j *= L["s"]
        L.update(in_size=n_in, out_size=n_out, r=r, jump=j, first=f)
    n_out = sizes[-1]
    if cell is None:
        cell = (n_out // 2, n_out // 2)
    cell = tuple(cell)
    if len(cell) != 2:
        raise ValueError(f"cell must be (row, col), got {cell!r}")
    row, col = (_int(c, f"the output {w}", 0, n_out - 1) for c, w in zip(cell, ("row", "col")))
    counts = {}
    for axis, c0 in (("row", row), ("col", col)):
        c = np.zeros(n_out, dtype=np.int64)
        c[c0] = 1
        per_level = [c]
        for L, n_in in zip(active[::-1], sizes[-2::-1]):
            c = _back(c, L, n_in)
            per_level.append(c)
        counts[axis] = per_level[::-1]
    maps = [np.outer(a, b) for a, b in zip(counts["row"], counts["col"])]
    support = maps[0] > 0
    top, left = f + row * j, f + col * j
    box = (top, left, top + r - 1, left + r - 1)
    n0 = sizes[0]
    inside = [max(0, min(hi, n0 - 1) - max(lo, 0) + 1) for lo, hi in ((top, top + r - 1),
                                                                     (left, left + r - 1))]
    box_inside = inside[0] * inside[1]
    touched = int(support.sum())
    return {"layers": active, "sizes": sizes, "r": r, "jump": j, "first": f, "cell": (row, col),
            "row_counts": counts["row"], "col_counts": counts["col"], "maps": maps,
            "counts": maps[0], "support": support, "box": box, "touched": touched,
            "box_inside": box_inside, "holes": box_inside - touched,
            "input_size": n0, "out_size": n_out}


# -- the view ---------------------------------------------------------------------------------
_CMAP = mpl.colormaps["Blues"]
EMPTY, HOLE = np.array([242, 242, 242, 255], np.uint8), np.array([255, 204, 140, 255], np.uint8)


def _rgba(counts, holes=None):
    """Path counts → RGBA: 0 light gray, ≥ 1 blue (darker = more paths), holes orange."""
    c = counts.astype(float)
    top = c.max()
    shade = 0.35 + 0.65 * np.log(np.maximum(c, 1)) / np.log(top) if top > 1 else \
        np.full(c.shape, 0.7)
    img = _CMAP(shade, bytes=True)
    img[c == 0] = EMPTY
    if holes is not None:
        img[holes] = HOLE
    return img


class _Pixels(mpl.artist.Artist):
    """A picture copied pixel for pixel onto the canvas at (x, y) (its lower-left corner, in
    pixels): no resampling, no colour mapping — ``AxesImage``/``FigureImage`` pay ~3–10 ms a
    draw for both, this ~0.2 ms."""

    def __init__(self, fig, x, y, size):
        super().__init__()
        self._xy = (x, y)
        self._img = np.zeros((size, size, 4), np.uint8)
        fig.add_artist(self)

    def set_data(self, img):
        self._img = np.ascontiguousarray(img[::-1])     # row 0 at the top
        self.stale = True

    def draw(self, renderer):
        if not self.get_visible():
            return
        gc = renderer.new_gc()
        renderer.draw_image(gc, *self._xy, self._img)
        gc.restore()


def _pixels(rgba, px):
    """An n × n RGBA map as a px × px picture (nearest cell per pixel), with 1-pixel white
    cell borders when the cells are at least 5 pixels wide: drawn as a figure image, unscaled
    (an axes image would be resampled on every draw)."""
    n = len(rgba)
    idx = np.arange(px) * n // px
    img = rgba[idx][:, idx]
    if px >= 5 * n:
        edge = np.flatnonzero(np.diff(idx)) + 1
        img[edge, :] = 255
        img[:, edge] = 255
    return img


def _grid_index(n):
    """The output indices the clickable grid shows: all when n ≤ GRID_MAX, else GRID_MAX
    evenly spread ones."""
    if n <= GRID_MAX:
        return np.arange(n)
    return np.unique(np.round(np.linspace(0, n - 1, GRID_MAX)).astype(int))


class ReceptiveFieldExplorer(Explorer):
    name = "receptive_field_explorer"
    summary = "a conv/pool stack: click an output cell, see the exact input pixels it depends on"
    figsize = (9.8, 3.1)
    constrained = False

    def __init__(self, layers=None, input_size=32):
        spec = normalize_layers(layers)
        if len(spec) > MAX_LAYERS:
            raise ValueError(f"the explorer shows at most {MAX_LAYERS} layers, got {len(spec)}")
        for i, L in enumerate(spec, 1):
            for key, (lo, hi) in LIMITS.items():
                if not lo <= L[key] <= hi:
                    raise ValueError(f"layer {i}: {key} = {L[key]} is outside the explorer's "
                                     f"range {lo} … {hi}")
        spec += [{"type": "off", "k": 3, "s": 1, "d": 1, "p": 0}] * (MAX_LAYERS - len(spec))
        self._spec0 = spec
        self._n0 = _int(input_size, "the input size", INPUT_MIN, INPUT_MAX)
        self._syncing = False
        self._grid_n = None
        self._grid_idx = None
        self._selected = None
        self._titles = None
        super().__init__()

    # -- controls ---------------------------------------------------------------------------
    def build(self):
        sizes = output_sizes(self._spec0, self._n0)
        n_out = sizes[-1]
        self.add("input_size", widgets.IntSlider(value=self._n0, min=INPUT_MIN, max=INPUT_MAX,
                                                 description="input size n",
                                                 layout=widgets.Layout(width="250px")))
        self.add("row", widgets.IntSlider(value=n_out // 2, min=0, max=max(n_out - 1, 0),
                                          description="output row",
                                          layout=widgets.Layout(width="220px")))
        self.add("col", widgets.IntSlider(value=n_out // 2, min=0, max=max(n_out - 1, 0),
                                          description="output column",
                                          layout=widgets.Layout(width="230px")))
        for i, L in enumerate(self._spec0, 1):
            self.add(f"type{i}", widgets.Dropdown(options=LAYER_TYPES, value=L["type"],
                                                  description=f"layer {i}",
                                                  layout=widgets.Layout(width="150px")))
            for key, (lo, hi) in LIMITS.items():
                self.add(f"{key}{i}", widgets.IntSlider(
                    value=L[key], min=lo, max=hi, description=key,
                    layout=widgets.Layout(width="135px")))
            self.controls[f"type{i}"].observe(self._on_type, names="value")
        for i in range(1, MAX_LAYERS + 1):
            self._enable(i)
        # the clickable output map: one ToggleButton per cell (not controls: they set row/col)
        self.cells = []
        for a in range(GRID_MAX):
            for b in range(GRID_MAX):
                t = widgets.ToggleButton(value=False, description="", tooltip=f"output cell "
                                         f"({a}, {b})", layout=widgets.Layout(
                                             width="15px", height="15px", padding="0px",
                                             margin="0px"))
                t.observe(lambda ch, a=a, b=b: self._on_cell(a, b, ch), names="value")
                self.cells.append(t)
        self.grid = widgets.GridBox(self.cells, layout=widgets.Layout(
            grid_template_columns=f"repeat({GRID_MAX}, 15px)", grid_gap="1px",
            margin="2px 0 0 12px"))
        self.grid_label = widgets.HTML(value="")

        # the figure: the input (left) and one panel per layer, all in unit coordinates
        # (whole pixels: each map is a figure image of exactly its panel's size)
        W, H = (round(v * self.fig.dpi) for v in self.figsize)
        boxes = [(20, 25, 235)] + [(280 + 175 * i, 78, 155) for i in range(MAX_LAYERS)]
        axes = [self.fig.add_axes([x / W, y / H, size / W, size / H]) for x, y, size in boxes]
        self.ax_in, self.ax_layers = axes[0], axes[1:]
        self.images, self.titles, self.chosen, self._px = [], [], [], []
        for ax, (x, y, size) in zip(axes, boxes):
            ax.set_xlim(0, 1)
            ax.set_ylim(1, 0)
            ax.set_xticks([])
            ax.set_yticks([])
            for sp in ax.spines.values():
                sp.set_visible(True)
                sp.set_color("0.6")
            im = _Pixels(self.fig, x + 1, y + 1, size - 2)
            self._px.append(size - 2)
            title = ax.text(0.5, 1.03, "", ha="center", va="bottom", transform=ax.transAxes,
                            fontsize=8.5)
            rect = Rectangle((0, 0), 0, 0, fill=False, ec=COLORS["red"], lw=1.8, visible=False)
            ax.add_patch(rect)
            self.chosen.append(rect)
            self.images.append(im)
            self.titles.append(title)
        self.box = Rectangle((0, 0), 0, 0, fill=False, ec=COLORS["red"], lw=1.4, ls="--")
        self.ax_in.add_patch(self.box)
        self.layer(*self.titles)
        self.dynamic(*self.images, self.box, *self.chosen)
        self.fig.text(0.99, 0.01, "blue: pixels/cells the chosen cell depends on (darker: more "
                      "paths)   orange: holes in the r×r field   red: the field's box, the cell",
                      ha="right", va="bottom", fontsize=6.5, color="0.35")

    def _enable(self, i):
        kind = self.controls[f"type{i}"].value
        for key in LIMITS:
            self.controls[f"{key}{i}"].disabled = kind == "off" or (key == "d" and
                                                                    kind == "max pool")

    def _on_type(self, change):
        i = int(change["owner"].description.split()[-1])
        self._enable(i)

    def _on_cell(self, a, b, change):
        if self._syncing:
            return
        if change["new"]:
            idx = self._grid_idx
            if idx is None or a >= len(idx) or b >= len(idx):
                return
            self.set(row=int(idx[a]), col=int(idx[b]))
        else:                                     # a click on the chosen cell keeps it chosen
            self._syncing = True
            try:
                change["owner"].value = True
            finally:
                self._syncing = False

    def control_rows(self):
        c = self.controls

        def row(*ws):
            return widgets.HBox(list(ws), layout=widgets.Layout(flex_flow="row wrap"))
        left = widgets.VBox([row(c["input_size"], c["row"], c["col"])] + [
            row(c[f"type{i}"], *(c[f"{k}{i}"] for k in LIMITS))
            for i in range(1, MAX_LAYERS + 1)])
        right = widgets.VBox([self.grid_label, self.grid])
        return [widgets.HBox([left, right], layout=widgets.Layout(flex_flow="row wrap"))]

    def layers(self):
        """The layer specs of the current controls (a max pool's d slider is ignored: d = 1)."""
        v = self.values()
        out = []
        for i in range(1, MAX_LAYERS + 1):
            kind = v[f"type{i}"]
            out.append({"type": kind, "k": v[f"k{i}"], "s": v[f"s{i}"],
                        "d": 1 if kind == "max pool" else v[f"d{i}"], "p": v[f"p{i}"]})
        return out

    # -- update -----------------------------------------------------------------------------
    def compute(self):
        layers = self.layers()
        n = self.controls["input_size"].value
        n_out = output_sizes(normalize_layers(layers), n)[-1]
        with self.hold():                        # the cell stays inside the output map
            for key in ("row", "col"):
                w = self.controls[key]
                if w.max != n_out - 1:
                    if w.value > n_out - 1:
                        w.value = n_out - 1
                    w.max = n_out - 1
        return receptive_field_compute(layers, n, (self.controls["row"].value,
                                                   self.controls["col"].value))

    def _sync_grid(self, n_out, cell):
        self._syncing = True
        try:
            if n_out != self._grid_n:
                idx = _grid_index(n_out)
                m = len(idx)
                shown = []
                for a in range(m):
                    for b in range(m):
                        t = self.cells[a * GRID_MAX + b]
                        tip = f"output cell ({idx[a]}, {idx[b]})"
                        if t.tooltip != tip:                 # only for a subsampled grid
                            t.tooltip = tip
                        shown.append(t)
                # one message for the browser: the grid's children are the m × m cells shown
                self.grid.children = shown
                self.grid.layout.grid_template_columns = f"repeat({m}, 15px)"
                self._grid_idx, self._grid_n = idx, n_out
                self.grid_label.value = (
                    f"<small>click a cell of the {n_out}×{n_out} output</small>" if m == n_out
                    else f"<small>{n_out}×{n_out} output: every ~{(n_out - 1) / (m - 1):.2g}"
                         f"th cell shown; the sliders reach all</small>")
            idx = self._grid_idx
            pos = np.flatnonzero(idx == cell[0]), np.flatnonzero(idx == cell[1])
            sel = (int(pos[0][0]) * GRID_MAX + int(pos[1][0])) if all(len(q) for q in pos) \
                else None
            if sel != self._selected:
                if self._selected is not None:
                    self.cells[self._selected].value = False
                    self.cells[self._selected].button_style = ""
                if sel is not None:
                    self.cells[sel].value = True
                    self.cells[sel].button_style = "danger"
                self._selected = sel
        finally:
            self._syncing = False

    def draw(self, r):
        self._sync_grid(r["out_size"], r["cell"])
        sizes, active = r["sizes"], r["layers"]
        n0 = sizes[0]
        top, left, bottom, right = r["box"]
        inbox = np.zeros((n0, n0), dtype=bool)
        inbox[max(top, 0):bottom + 1, max(left, 0):right + 1] = True
        holes = inbox & ~r["support"]
        self.images[0].set_data(_pixels(_rgba(r["counts"], holes), self._px[0]))
        self.box.set_bounds(left / n0, top / n0, r["r"] / n0, r["r"] / n0)
        titles = [f"input {n0}×{n0}"]
        for i, ax in enumerate(self.ax_layers):
            if i < len(active):
                L, n = active[i], sizes[i + 1]
                ax.set_visible(True)
                self.images[i + 1].set_data(_pixels(_rgba(r["maps"][i + 1]), self._px[i + 1]))
                self.images[i + 1].set_visible(True)
                desc = (f"conv k{L['k']} s{L['s']} d{L['d']}" if L["type"] == "conv" else
                        f"pool k{L['k']} s{L['s']}") + (f" p{L['p']}" if L["p"] else "")
                titles.append(f"L{L['index']} {desc}: {n}×{n}")
            else:
                ax.set_visible(False)
                self.images[i + 1].set_visible(False)
                titles.append("")
        n = sizes[-1]
        row, col = r["cell"]
        for i, rect in enumerate(self.chosen):        # the chosen cell, in the last map
            rect.set_visible(i == len(active))
        self.chosen[len(active)].set_bounds(col / n, row / n, 1 / n, 1 / n)
        if titles != self._titles:
            for t, s in zip(self.titles, titles):
                t.set_text(s)
            self.invalidate_layer(tuple(titles))
            self._titles = titles
        rows = [["input", "—", "—", f"{n0}", "1", "1"]]
        for L in active:
            formula = (f"⌊({L['in_size']} + 2·{L['p']} − {L['d']}·({L['k']} − 1) − 1)/{L['s']}⌋"
                       f" + 1 = {L['out_size']}")
            rows.append([f"layer {L['index']}", L["type"],
                         f"k={L['k']} s={L['s']} d={L['d']} p={L['p']}", formula,
                         f"{L['r']}", f"{L['jump']}"])
        clip = (top < 0 or left < 0 or bottom > n0 - 1 or right > n0 - 1)
        summary = (f"cell ({row}, {col}) of the {n}×{n} output depends on {r['touched']} input "
                   f"pixels; its {r['r']}×{r['r']} field (rows {top} … {bottom}, columns {left} "
                   f"… {right}) holds {r['box_inside']} input pixels, {r['holes']} of them holes"
                   + (" — it reaches into the padding (or past the input's edge)" if clip
                      else ""))
        self.readout.value = (table_html(rows, ["", "type", "k, s, d, p",
                                                "output size ⌊(n + 2p − d(k−1) − 1)/s⌋ + 1",
                                                "field r", "jump j"])
                              + f"<div style='font-size:90%'>{summary}. "
                              "r_l = r_{l−1} + d_l(k_l − 1)·j_{l−1}, j_l = j_{l−1}·s_l.</div>")

    def on_error(self, message):
        self.readout.value = ""


def receptive_field_explorer(layers=None, input_size=32):
    """A stack of up to four layers (each conv, max pool or off, with kernel k, stride s,
    dilation d, padding p) on an n × n input (n = 4 … 64). Click a cell of the output map (the
    grid of squares; or the row/column sliders) to see its receptive field: the input pixels it
    depends on, coloured by the number of paths (exact, with the holes a dilation leaves,
    orange) inside the r × r box of the formulas (red), and the cells of every intermediate map
    it depends on. The read-out lists each layer's output size, field r and jump j.
    ``layers``: e.g. ``[("conv", 3, 1, 1, 0), ("max pool", 2, 2)]`` (see ``normalize_layers``).
    ``.result`` is ``receptive_field_compute``'s output."""
    return ReceptiveFieldExplorer(layers, input_size)
