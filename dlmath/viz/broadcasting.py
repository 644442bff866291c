"""Explorer 13 — broadcasting: how NumPy (and dlmath) combine arrays of two different shapes.

The rule, for shapes ``a`` and ``b``:

1. line the shapes up from the right, padding the shorter one on the left with 1s;
2. axis by axis, the two sizes must be equal, or one of them must be 1;
3. an axis of size 1 is stretched (virtually repeated) to the other size; the result takes the
   larger size on every axis.

``broadcast_rule`` applies these three steps literally (it does not ask NumPy);
``broadcast_compute`` adds, for every element of the result, which element of A and of B it reads
(the index on a stretched axis is always 0) — the picture draws exactly that.
"""
import math
import re

import numpy as np
import ipywidgets as widgets
from matplotlib import colormaps
from matplotlib.collections import PolyCollection
from matplotlib.patches import Polygon

from ._base import COLORS, Explorer, PathText, table_html

__all__ = ["parse_shape", "shape_text", "broadcast_rule", "broadcast_shape", "broadcast_compute",
           "grid_cells", "broadcasting_explorer", "BroadcastingExplorer", "BROADCAST_EXAMPLES",
           "MAX_AXES"]

MAX_AXES = 5                   # columns of the alignment table
DRAW_MAX_SIZE = 12             # largest size drawn along an axis (3-D: at most 6 layers)
DRAW_MAX_LAYERS = 6
MAP_LIMIT = 100_000            # larger results: the rule and one element, no element map

BROADCAST_EXAMPLES = {
    "(3, 1) and (1, 4)": ("3, 1", "1, 4"),
    "(2, 3) and (3,)": ("2, 3", "3"),
    "(4, 3) and (4,)": ("4, 3", "4"),
    "(4, 3) and (4, 1)": ("4, 3", "4, 1"),
    "(2, 3, 4) and (3, 1)": ("2, 3, 4", "3, 1"),
    "(3, 1, 5) and (4, 1)": ("3, 1, 5", "4, 1"),
    "(3, 3, 3) and (3,): the bias trap": ("3, 3, 3", "3"),
    "(3, 3, 3) and (3, 1, 1)": ("3, 3, 3", "3, 1, 1"),
    "(2, 3, 4) and (2, 3)": ("2, 3, 4", "2, 3"),
    "() and (2, 3)": ("", "2, 3"),
    "(32, 64) and (64,)": ("32, 64", "64"),
    "(2, 3, 8, 8) and (3, 1, 1)": ("2, 3, 8, 8", "3, 1, 1"),
}


def parse_shape(text, name="shape"):
    """Read a shape typed as ``2, 1, 4``, ``(2, 1, 4)``, ``2 1 4`` or ``2×1×4``; an empty text or
    ``()`` is the shape of a scalar. Sizes must be whole numbers ≥ 1."""
    if isinstance(text, (tuple, list)):
        parts = list(text)
    else:
        s = str(text).strip()
        s = s[1:-1] if s[:1] in "([" and s[-1:] in ")]" else s
        if re.search(r"[^\d\s,x×*]", s):
            raise ValueError(f"{name}: could not read a shape from {text!r}; write sizes "
                             f"separated by commas, e.g. 2, 1, 4 (empty for a scalar)")
        parts = [p for p in re.split(r"[\s,x×*]+", s) if p]
    try:
        shape = tuple(int(p) for p in parts)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: sizes must be whole numbers, got {text!r}") from None
    if any(n < 1 for n in shape):
        raise ValueError(f"{name}: every size must be at least 1, got {shape_text(shape)}")
    if len(shape) > MAX_AXES:
        raise ValueError(f"{name}: at most {MAX_AXES} axes here, got {len(shape)}")
    return shape


def shape_text(shape):
    """A shape as Python prints it: (3,), (2, 3), ()."""
    return str(tuple(int(n) for n in shape))


def broadcast_rule(shape_a, shape_b):
    """Apply the broadcasting rule to two shapes, step by step, as plain data.

    Returns a dict with ``a``, ``b`` (the shapes), ``ndim`` (axes of the result), ``padded_a``,
    ``padded_b`` (both of length ``ndim``: 1s added on the left), ``added_a``/``added_b`` (how many
    1s were added), ``axes`` — one dict per axis, left to right, with ``axis`` (negative: −ndim …
    −1), ``a``, ``b``, ``out`` (the larger size, or None on a conflict), ``padded_a``/``padded_b``
    (the size is an added 1) and ``status`` ∈ {"equal", "stretch A", "stretch B", "conflict"} —,
    ``result`` (the result's shape, or None) and ``error`` (None, or the rule broken, e.g.
    "axis −2: 3 vs 4, neither is 1").
    """
    a, b = tuple(shape_a), tuple(shape_b)
    n = max(len(a), len(b))
    pa, pb = (1,) * (n - len(a)) + a, (1,) * (n - len(b)) + b
    axes, broken = [], []
    for i in range(n):
        sa, sb = pa[i], pb[i]
        if sa == sb:
            status, out = "equal", sa
        elif sa == 1:
            status, out = "stretch A", sb
        elif sb == 1:
            status, out = "stretch B", sa
        else:
            status, out = "conflict", None
            broken.append(f"axis {i - n}: {sa} vs {sb}, neither is 1".replace("-", "−"))
        axes.append({"axis": i - n, "a": sa, "b": sb, "out": out, "status": status,
                     "padded_a": i < n - len(a), "padded_b": i < n - len(b)})
    return {"a": a, "b": b, "ndim": n, "padded_a": pa, "padded_b": pb,
            "added_a": n - len(a), "added_b": n - len(b), "axes": axes,
            "result": None if broken else tuple(ax["out"] for ax in axes),
            "error": "; ".join(broken) if broken else None}


def broadcast_shape(shape_a, shape_b):
    """The shape of ``A + B`` for arrays of these shapes, by the rule; ``ValueError`` naming the
    broken axis when they do not broadcast."""
    r = broadcast_rule(shape_a, shape_b)
    if r["error"]:
        raise ValueError(f"shapes {shape_text(r['a'])} and {shape_text(r['b'])} do not "
                         f"broadcast: {r['error']}")
    return r["result"]


def _sources(padded, result, own_ndim):
    """For every element of the result (an array of the result's shape): the flat index of the
    element of the input that it reads, and whether it is that element's own position (not a
    stretched copy). On a stretched axis (padded size 1, result size > 1) the index is 0."""
    idx = np.indices(result, dtype=np.intp) if result else np.zeros((0,), dtype=np.intp)
    src = [np.zeros(result, dtype=np.intp) if p == 1 else idx[k] for k, p in enumerate(padded)]
    own = np.ones(result, dtype=bool)
    for k, p in enumerate(padded):
        if p == 1 and result[k] > 1:
            own &= idx[k] == 0
    own_shape = padded[len(padded) - own_ndim:]
    flat = np.ravel_multi_index(src[len(padded) - own_ndim:], own_shape) if own_ndim else \
        np.zeros(result, dtype=np.intp)
    return np.asarray(flat, dtype=np.intp), own


def broadcast_compute(shape_a, shape_b, cell=0):
    """``broadcast_rule`` plus, when the shapes broadcast, the element map:

    ``a_source``/``b_source`` (arrays of the result's shape: the flat index into A / B that each
    result element reads, so that ``A.ravel()[a_source]`` is A stretched to the result),
    ``a_own``/``b_own`` (True where the element is in its own place, False on a stretched copy),
    ``size`` (elements of the result), and for the result element number ``cell`` (row-major,
    clipped): ``cell_index``, ``a_index``, ``b_index`` (multi-indices) and ``formula``
    ("C[1, 2, 0] = A[2, 0] + B[1, 0, 0]"). ``drawable`` says whether the picture can show it
    (at most 3 axes, small sizes), ``why_not`` why not. (Results of more than ``MAP_LIMIT``
    elements get no element map, and ``cell`` stays below ``MAP_LIMIT``.)
    """
    r = broadcast_rule(shape_a, shape_b)
    res = r["result"]
    r.update(size=0, drawable=False, why_not="", cell=0, formula="")
    if res is None:
        r["why_not"] = "the shapes do not broadcast: " + r["error"]
        return r
    size = math.prod(res)
    cell = int(np.clip(cell, 0, min(size, MAP_LIMIT) - 1))
    ci = tuple(int(i) for i in np.unravel_index(cell, res)) if res else ()
    # the rule again, for one element: a stretched axis (padded size 1) reads index 0
    ai = tuple(0 if p == 1 else i for p, i in zip(r["padded_a"], ci))[r["added_a"]:]
    bi = tuple(0 if p == 1 else i for p, i in zip(r["padded_b"], ci))[r["added_b"]:]

    def ref(name, index):
        return f"{name}[{', '.join(map(str, index))}]" if index else name
    r.update(size=size, cell=cell, cell_index=ci, a_index=ai, b_index=bi,
             formula=f"{ref('C', ci)} = {ref('A', ai)} + {ref('B', bi)}")
    if size > MAP_LIMIT:
        r["why_not"] = f"{shape_text(res)} has {size:,} elements: too many to draw"
        return r
    a_src, a_own = _sources(r["padded_a"], res, len(r["a"]))
    b_src, b_own = _sources(r["padded_b"], res, len(r["b"]))
    r.update(a_source=a_src, b_source=b_src, a_own=a_own, b_own=b_own)
    if len(res) > 3:
        r["why_not"] = f"{len(res)} axes: only up to 3 axes are drawn (the table shows the rule)"
    elif any(n > DRAW_MAX_SIZE for n in res) or (len(res) == 3 and res[0] > DRAW_MAX_LAYERS):
        r["why_not"] = (f"{shape_text(res)} is too large to draw cell by cell (at most "
                        f"{DRAW_MAX_SIZE} per axis, {DRAW_MAX_LAYERS} layers)")
    else:
        r["drawable"] = True
    return r


def grid_cells(shape, box, depth_shift=0.35):
    """Squares for the elements of an array of ≤ 3 axes, row-major, drawn inside ``box`` =
    (x0, y0, width, height): 1-D as one row, 2-D as rows × columns (row 0 on top), 3-D as a stack
    of 2-D layers, layer 0 in front and each further layer shifted up and right by
    ``depth_shift`` of a cell. Returns ``(polygons, order)``: (n, 4, 2) corners and the order to
    draw them in (back layers first)."""
    shape = tuple(shape)
    d, rows, cols = ((1, 1, 1) + shape)[-3:]
    x0, y0, w, h = box
    tw, th = cols + (d - 1) * depth_shift, rows + (d - 1) * depth_shift
    s = min(w / tw, h / th, 0.42)
    left = x0 + (w - s * tw) / 2
    top = y0 + h - (h - s * th) / 2
    k, i, j = np.meshgrid(np.arange(d), np.arange(rows), np.arange(cols), indexing="ij")
    k, i, j = k.ravel(), i.ravel(), j.ravel()
    cx = left + s * (j + k * depth_shift)
    cy = top - s * (d - 1) * depth_shift - s * (i + 1) + s * k * depth_shift
    square = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], dtype=float) * s * 0.94
    polys = np.stack([cx, cy], axis=1)[:, None, :] + square[None] + s * 0.03
    order = np.lexsort((np.arange(len(k)), -k))      # back layer (largest k) first
    return polys, order


def _cell_colors(source, n, cmap, own, light=0.3):
    """One colour per element of the input (a shade of ``cmap``); copies are the same colour
    washed out towards white (opaque, so a front layer hides the layers behind it)."""
    cols = colormaps[cmap](0.35 + 0.5 * (source / max(n - 1, 1)))
    fade = np.where(own, 1.0, light)[:, None]
    cols[:, :3] = 1 - (1 - cols[:, :3]) * fade
    return cols


class BroadcastingExplorer(Explorer):
    name = "broadcasting_explorer"
    summary = "broadcasting two shapes: aligned from the right, size-1 axes stretched, the result"
    figsize = (9.8, 3.5)
    constrained = False

    def __init__(self, shape_a="3, 1", shape_b="1, 4", cell=0):
        self._init = (shape_a, shape_b, cell)
        self._grid_key = None
        self._syncing = False
        super().__init__()

    def build(self):
        a, b, cell = self._init
        a = a if isinstance(a, str) else ", ".join(map(str, a))
        b = b if isinstance(b, str) else ", ".join(map(str, b))
        match = [k for k, v in BROADCAST_EXAMPLES.items() if v == (a, b)]
        self.example = self.add("example", widgets.Dropdown(
            options=["custom"] + list(BROADCAST_EXAMPLES), value=match[0] if match else "custom",
            description="example", layout=widgets.Layout(width="330px")))
        self.shape_a = self.add("shape_a", widgets.Text(
            value=a, description="shape of A", continuous_update=False,
            placeholder="e.g. 2, 1, 4", layout=widgets.Layout(width="220px")))
        self.shape_b = self.add("shape_b", widgets.Text(
            value=b, description="shape of B", continuous_update=False,
            placeholder="e.g. 3, 1", layout=widgets.Layout(width="220px")))
        self.cell = self.add("cell", widgets.IntSlider(
            value=int(cell), min=0, max=11, description="element of C = A + B",
            layout=widgets.Layout(width="420px")))
        self.example.observe(self._on_example, names="value")
        self.shape_a.observe(self._on_text, names="value")
        self.shape_b.observe(self._on_text, names="value")

        ax = self.fig.add_axes((0, 0, 1, 1))
        self.ax = ax
        ax.set_xlim(0, 9.8)
        ax.set_ylim(0, 3.5)
        ax.axis("off")
        # -- the alignment table (left): rows A, B, result; one column per axis, right-aligned
        self._col_x = 0.95 + 0.48 * np.arange(MAX_AXES)
        self._row_y = np.array([2.45, 1.95, 1.3])
        ax.text(0.1, 3.25, "1 · line the shapes up from the right", fontsize=9.5,
                fontweight="bold")
        ax.text(0.1, 2.9, "axis", fontsize=8, color="0.4", va="center")
        for j, x in enumerate(self._col_x):
            ax.text(x, 2.9, f"−{MAX_AXES - j}", ha="center", va="center", fontsize=8,
                    color="0.4")
        for y, label in zip(self._row_y, ("A", "B", "C = A + B")):
            ax.text(0.1, y, label, va="center", fontsize=9,
                    fontweight="bold" if label != "C = A + B" else "normal")
        ax.plot([0.1, self._col_x[-1] + 0.24], [1.65, 1.65], color="0.3", lw=0.8)
        ax.text(0.1, 0.75, "yellow: size 1, stretched (every copy reads index 0)\n"
                "grey: a 1 added on the left", fontsize=7.5, color="0.35", va="center")
        self.table_bg = self.dynamic(PolyCollection([], edgecolors="0.75", linewidths=0.6))
        ax.add_collection(self.table_bg)
        self.table_texts = [[self.dynamic(PathText(ax, x, y, "", size=9.5, ha="center",
                                                   va="center"))
                             for x in self._col_x] for y in self._row_y]
        self.verdict = self.dynamic(PathText(ax, 0.1, 0.28, "", size=9, va="center",
                                             weight="bold"))
        # -- the three grids (right): A stretched, B stretched, C = A + B
        ax.plot([3.95, 3.95], [0.1, 3.4], color="0.85", lw=0.8)
        ax.text(4.1, 3.25, "2 · stretch the size-1 axes: faded cells are copies",
                fontsize=9.5, fontweight="bold")
        self._boxes = [(4.05 + 1.95 * k, 0.45, 1.8, 2.35) for k in range(3)]
        self.grid_titles = [self.dynamic(PathText(ax, x + w / 2, 2.95, "", size=8.5,
                                                  ha="center"))
                            for (x, _, w, _) in self._boxes]
        self.grids = [self.dynamic(PolyCollection([], linewidths=0.6)) for _ in range(3)]
        for g in self.grids:
            ax.add_collection(g)
        self.marks = [self.dynamic(Polygon(np.zeros((4, 2)), closed=True, fill=False,
                                           ec=COLORS["red"], lw=2.0)) for _ in range(3)]
        for m in self.marks:
            ax.add_patch(m)
        self.formula = self.dynamic(PathText(ax, 4.1, 0.22, "", size=9, va="center",
                                             family="DejaVu Sans Mono"))

        self.nodraw = self.dynamic(ax.text(6.9, 1.7, "", ha="center", va="center", fontsize=9,
                                           color="0.3"))

    def control_rows(self):
        c = self.controls
        return [widgets.HBox([c["example"], c["shape_a"], c["shape_b"]],
                             layout=widgets.Layout(flex_flow="row wrap")),
                widgets.HBox([c["cell"]])]

    def _on_example(self, change):
        if change["new"] != "custom" and not self._syncing:
            a, b = BROADCAST_EXAMPLES[change["new"]]
            self._syncing = True
            try:
                with self.hold():
                    self.shape_a.value, self.shape_b.value = a, b
            finally:
                self._syncing = False
            self._fit_cell_slider()

    def _on_text(self, change):
        self._fit_cell_slider()
        if self._syncing:
            return
        try:
            key = (parse_shape(self.shape_a.value), parse_shape(self.shape_b.value))
        except ValueError:
            key = None
        match = [k for k, (a, b) in BROADCAST_EXAMPLES.items()
                 if key == (parse_shape(a), parse_shape(b))]
        self._syncing = True
        try:
            with self.hold():
                self.example.value = match[0] if match else "custom"
        finally:
            self._syncing = False

    def _fit_cell_slider(self):
        """The element slider runs over the elements of C (so that ``set(shape_a=…, cell=…)``
        can pick any element of the new result)."""
        try:
            res = broadcast_rule(parse_shape(self.shape_a.value),
                                 parse_shape(self.shape_b.value))["result"]
        except ValueError:
            return
        top = min(math.prod(res), MAP_LIMIT) - 1 if res is not None else 0
        if self.cell.max != top:
            with self.hold():
                self.cell.max = top

    def compute(self):
        a = parse_shape(self.shape_a.value, "shape of A")
        b = parse_shape(self.shape_b.value, "shape of B")
        self._fit_cell_slider()
        r = broadcast_compute(a, b, self.cell.value)
        self.cell.disabled = r["result"] is None or r["size"] <= 1
        return r

    # -- drawing -------------------------------------------------------------------------------
    def _draw_table(self, r):
        n = r["ndim"]
        polys, colors = [], []
        first = MAX_AXES - n
        for row in self.table_texts:
            for t in row:
                t.set_visible(False)
        for k, axis in enumerate(r["axes"]):
            j = first + k
            x = self._col_x[j]
            cells = ((0, axis["a"], axis["padded_a"], axis["status"] == "stretch A"),
                     (1, axis["b"], axis["padded_b"], axis["status"] == "stretch B"))
            for row, size, padded, stretched in cells:
                t = self.table_texts[row][j]
                t.set_text(str(size))
                t.set_color("0.5" if padded else "black")
                t.set_visible(True)
                bg = "#ffe680" if stretched else ("#f4b6b6" if axis["status"] == "conflict"
                                                  else "#f3f3f3")
                polys.append(self._cell_square(x, self._row_y[row]))
                colors.append(bg)
            t = self.table_texts[2][j]
            t.set_text("✗" if axis["out"] is None else str(axis["out"]))
            t.set_color(COLORS["red"] if axis["out"] is None else "black")
            t.set_visible(True)
            polys.append(self._cell_square(x, self._row_y[2]))
            colors.append("#f4b6b6" if axis["out"] is None else "#dff0d8")
        self.table_bg.set_verts(polys)
        self.table_bg.set_facecolors(colors)
        if r["error"]:
            self.verdict.set_text("✗ " + r["error"])
            self.verdict.set_color(COLORS["red"])
        else:
            self.verdict.set_text(f"✓ C has shape {shape_text(r['result'])}")
            self.verdict.set_color(COLORS["green"])

    @staticmethod
    def _cell_square(x, y, w=0.44, h=0.4):
        return [(x - w / 2, y - h / 2), (x + w / 2, y - h / 2), (x + w / 2, y + h / 2),
                (x - w / 2, y + h / 2)]

    def _draw_grids(self, r):
        res = r["result"]
        if self._grid_key != res:
            self._polys = [grid_cells(res, box) for box in self._boxes]
            self._grid_key = res
        na = int(np.prod(r["a"], dtype=np.int64))
        nb = int(np.prod(r["b"], dtype=np.int64))
        ca = _cell_colors(r["a_source"].ravel(), na, "Blues", r["a_own"].ravel())
        cb = _cell_colors(r["b_source"].ravel(), nb, "Oranges", r["b_own"].ravel())
        for k, (polys, order) in enumerate(self._polys):
            g = self.grids[k]
            if k < 2:
                col = (ca, cb)[k]
                own = (r["a_own"], r["b_own"])[k].ravel()
                g.set_verts(polys[order])
                g.set_facecolors(col[order])
                g.set_edgecolors(np.where(own[order, None], [[0.15, 0.15, 0.15, 1.0]],
                                          [[0.55, 0.55, 0.55, 0.6]]))
            else:                           # C: each cell half A's colour, half B's
                tri = np.stack([polys[order][:, [0, 1, 3]], polys[order][:, [1, 2, 3]]], axis=1)
                tri = tri.reshape(-1, 3, 2)          # per cell: A's triangle, then B's
                sq = np.stack([ca[order], cb[order]], axis=1).reshape(-1, 4)
                sq[:, 3] = 1.0
                g.set_verts(tri)
                g.set_facecolors(sq)
                g.set_edgecolors("none")
            g.set_visible(True)
        ta = f"A {shape_text(r['a'])}" + (f" → {shape_text(res)}" if r["a"] != res else "")
        tb = f"B {shape_text(r['b'])}" + (f" → {shape_text(res)}" if r["b"] != res else "")
        for t, s in zip(self.grid_titles, (ta, tb, f"C = A + B {shape_text(res)}")):
            t.set_text(s)
            t.set_visible(True)
        for m, (polys, _) in zip(self.marks, self._polys):
            m.set_xy(polys[r["cell"]])
            m.set_visible(True)

    def draw(self, r):
        self._draw_table(r)
        if r["drawable"]:
            self._draw_grids(r)
            self.nodraw.set_visible(False)
        else:
            for a in (*self.grids, *self.marks, *self.grid_titles):
                a.set_visible(False)
            self.nodraw.set_text(r["why_not"].replace(": ", ":\n", 1))
            self.nodraw.set_visible(True)
        self.formula.set_text(r["formula"])
        self._readout(r)

    def _readout(self, r):
        rows = [["A, B", f"{shape_text(r['a'])}, {shape_text(r['b'])}"],
                ["lined up from the right", f"{shape_text(r['padded_a'])} / "
                                            f"{shape_text(r['padded_b'])}"]]
        if r["error"]:
            rows.append(["result", f"<b style='color:{COLORS['red']}'>error: {r['error']}</b>"])
        else:
            rows.append(["result C = A + B", f"<b>{shape_text(r['result'])}</b>"])
            rows.append([f"element {r['cell']} of {r['size']}", r["formula"]])
        try:
            numpy_says = shape_text(np.broadcast_shapes(r["a"], r["b"]))
        except ValueError:
            numpy_says = "error (cannot broadcast)"
        rows.append(["np.broadcast_shapes says", numpy_says])
        self.readout.value = table_html(rows) + (
            "<div style='font-size:90%'>rule: align from the right, pad with 1s on the left; on "
            "every axis the sizes must be equal or one must be 1; a size-1 axis is stretched "
            "(no data is copied in memory).</div>")

    def on_error(self, message):
        self.readout.value = ""


def broadcasting_explorer(shape_a="3, 1", shape_b="1, 4", cell=0):
    """Broadcast two shapes: type them (``2, 1, 4``; empty for a scalar) or pick an example. The
    table lines them up from the right (added 1s in grey, size-1 axes in yellow, a conflicting
    axis in red with the rule it breaks); the grids show A and B stretched to the result's shape
    (faded cells are copies of the element at index 0 of a stretched axis) and C = A + B, each
    cell half A's colour, half B's. The slider picks an element of C and names the elements of A
    and B it adds. ``.result`` is ``broadcast_compute``'s output."""
    return BroadcastingExplorer(shape_a, shape_b, cell)
