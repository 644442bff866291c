"""The view machinery every explorer shares.

An explorer is an ``ipywidgets.VBox`` made of: a row of controls, a one-line note (errors and hints),
the figure (an ``ipywidgets.Image`` holding a PNG), and an HTML read-out of the numbers.

* One ``matplotlib.figure.Figure`` per explorer, drawn by the Agg canvas — never pyplot, so nothing
  leaks into later cells and no inline backend is involved.
* ``compute()`` (a subclass method) turns the control values into plain data by calling the
  explorer's pure compute core; ``draw(result)`` moves the existing artists (``set_data``,
  ``set_offsets``, ``set_text``…) — no artist is stacked on another.
* Fast redraws by blitting: artists registered with ``self.dynamic(artist)`` are *animated*; the rest
  of the figure (axes, ticks, contours…) is drawn once and kept as a bitmap. An update restores that
  bitmap and draws only the dynamic artists. When an axis range or a 3-D view angle changed, only
  those axes are redrawn into the bitmap; when the subclass changed a static artist it calls
  ``self.invalidate()`` and the whole figure is redrawn. (Agg text rendering costs ~2–5 ms per
  string in Matplotlib 3.11, so a full redraw of three panels takes 100–200 ms on a busy 2-core
  machine, while a blitted update takes 5–30 ms; the tests check that both give the same pixels.)
* A middle layer for artists that change now and then, with a slower control (the contours of a
  new function, a rate map, a title): ``self.layer(artist)``. They are drawn over the static
  background and kept as a second bitmap, so that the fast updates blit over it; when the
  subclass changed one it calls ``self.invalidate_layer()`` and only the layer is redrawn — not
  the axes, ticks and labels under it (a few ms instead of a hundred).
* Axes registered with ``self.cache_axes(ax)`` keep the bitmap of each view they were redrawn
  at (axis limits, 3-D angles): coming back to a view — dragging a slider to and fro, a dropdown
  back to an earlier choice — restores it instead of redrawing the ticks and labels. Only for
  axes whose static pixels depend on nothing but the view (their changing artists are dynamic or
  in the layer, and every other change calls ``invalidate(ax)``, which starts a new set of kept
  views, or ``invalidate(ax, key=…)``, which names the static state so that its views come back
  with it). New tick labels need not mean a new layout: ``layout_if_needed()`` re-runs it only
  when a redrawn axes no longer fits its place (``layout_pads`` can leave labels room to grow).
  Changed axes whose areas do not meet are kept and restored each on its own; when every axes is
  cached, the whole background is also kept by the state of all of them, so that a dropdown that
  changes every panel comes back in one restore, however the panels touch. ``axes_area(ax, …)``
  fixes the area a (3-D) axes draws in, so that its redraws need not measure its tight box.
* PNG encoding without row filters at zlib level 1 (``fast_png``): ~3 ms a frame, against ~11 ms
  for PIL's default; BLAS is held to one thread during updates (small matrices, busy machine).
* Errors in a control combination become a readable note (and a banner over the figure), never a
  traceback: ``ValueError`` messages are written for the learner.
* ``_repr_mimebundle_`` returns, beside the live widget, a static ``image/png`` of the current frame
  and a ``text/plain`` line, so a saved notebook reads well without a kernel (GitHub, nbconvert).
"""
import base64
import html
import io
import struct
import time
import zlib

import ipywidgets as widgets
import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.font_manager import FontProperties
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path
from matplotlib.textpath import TextPath
from matplotlib.transforms import Affine2D, Bbox, IdentityTransform, ScaledTranslation
from PIL import Image as PILImage

DPI = 100
RC = {"font.size": 8.5, "axes.titlesize": 9.5, "axes.labelsize": 8.5, "xtick.labelsize": 8,
      "ytick.labelsize": 8, "legend.fontsize": 7.5, "axes.titlepad": 4.0,
      "figure.facecolor": "white", "axes.facecolor": "white", "savefig.facecolor": "white",
      "axes.spines.top": False, "axes.spines.right": False}
COLORS = {"blue": "#1f77b4", "orange": "#ff7f0e", "green": "#2ca02c", "red": "#d62728",
          "purple": "#9467bd", "brown": "#8c564b", "pink": "#e377c2", "gray": "#7f7f7f",
          "olive": "#bcbd22", "cyan": "#17becf"}
STYLE = {"description_width": "initial"}


_BLAS = []
_RC_DEPTH = [0]


class _rc:
    """``with _rc():`` — the explorers' rcParams (``RC``) for the body, the caller's restored after.
    ``matplotlib.rc_context`` copies and restores all ~300 rcParams (~1 ms, twice per update);
    this sets and restores only the keys in ``RC``, and nothing when already inside one."""

    def __enter__(self):
        _RC_DEPTH[0] += 1
        if _RC_DEPTH[0] == 1:
            self._old = {k: mpl.rcParams[k] for k in RC}
            mpl.rcParams.update(RC)
        return self

    def __exit__(self, *exc):
        _RC_DEPTH[0] -= 1
        if _RC_DEPTH[0] == 0:
            mpl.rcParams.update(self._old)


def _one_blas_thread():
    """A context manager keeping BLAS to one thread during an update: explorers multiply small
    matrices, for which a second BLAS thread on a busy machine costs 10x more than it saves."""
    if not _BLAS:
        try:
            from threadpoolctl import ThreadpoolController
            _BLAS.append(ThreadpoolController())
        except Exception:                            # threadpoolctl missing: no limit
            _BLAS.append(None)
    if _BLAS[0] is None:
        import contextlib
        return contextlib.nullcontext()
    return _BLAS[0].limit(limits=1, user_api="blas")


def fmt(x, digits=4):
    """A number for a read-out: ±inf and nan spelled out, otherwise ``digits`` significant."""
    if x is None:
        return "—"
    x = float(x)
    if np.isnan(x):
        return "nan"
    if np.isinf(x):
        return "∞" if x > 0 else "−∞"
    return f"{x:.{digits}g}"


def table_html(rows, header=None):
    """A small HTML table for read-outs: rows of cells (strings)."""
    head = ""
    if header:
        head = "<tr>" + "".join(f"<th style='text-align:left;padding:0 10px 0 0'>{h}</th>"
                                for h in header) + "</tr>"
    body = "".join("<tr>" + "".join(f"<td style='padding:0 10px 0 0'>{c}</td>" for c in r)
                   + "</tr>" for r in rows)
    return f"<table style='font-size:90%;border-collapse:collapse'>{head}{body}</table>"


def _chunk(tag, data):
    return (struct.pack(">I", len(data)) + tag + data +
            struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF))


def fast_png(rgba, level=1):
    """Encode an (h, w, 4) uint8 RGBA array (the Agg buffer) as PNG, fast: no row filters, zlib
    at a low level — ~3 ms for a 900×430 frame where PIL's adaptive filtering takes ~11 ms, for a
    file of about the same size."""
    h, w, c = rgba.shape
    raw = np.empty((h, c * w + 1), dtype=np.uint8)
    raw[:, 0] = 0                                   # filter type "none" for every row
    raw[:, 1:] = rgba.reshape(h, c * w)
    color_type = {4: 6, 3: 2}[c]
    return (b"\x89PNG\r\n\x1a\n" +
            _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, color_type, 0, 0, 0)) +
            _chunk(b"IDAT", zlib.compress(raw, level)) + _chunk(b"IEND", b""))


def _meet(a, b):
    """Whether two axes areas (``_tight_box``: content plus a 2-pixel margin) share more than
    their outermost margin pixels."""
    return a.x0 + 1 <= b.x1 and b.x0 + 1 <= a.x1 and a.y0 + 1 <= b.y1 and b.y0 + 1 <= a.y1


class PathText(PathPatch):
    """A one-line label drawn as glyph outlines (``TextPath``), cached per string. A ``Text``
    lays out and rasterises its glyphs with FreeType on every draw (1–5 ms each); a cached
    outline is a filled path (~0.15 ms). For dynamic labels redrawn on every update — node values,
    shape sizes, short read-outs in the figure.

    ``PathText(ax, x, y, text, size=8.5, ha="left"|"center"|"right",
    va="baseline"|"center"|"top"|"bottom", transform=ax.transData, color=…, family=…,
    weight=…)``; ``set_text``, ``get_text``, ``set_position``, ``set_color`` as for Text."""

    _cache = {}

    def __init__(self, ax, x, y, text="", size=8.5, ha="left", va="baseline", transform=None,
                 color="black", family="DejaVu Sans", weight="normal", style="normal",
                 zorder=3):
        self._prop = FontProperties(family=family, weight=weight, style=style, size=size)
        self._align = (ha, va)
        self._xy = (x, y)
        self._base = ax.transData if transform is None else transform
        self._text = None
        super().__init__(Path(np.zeros((1, 2))), facecolor=color,
                         edgecolor="none", linewidth=0, zorder=zorder, clip_on=False)
        self._dpi = ax.get_figure(root=True).dpi_scale_trans
        self.set_in_layout(False)       # its extents are Bézier outlines: slow, and not needed
        ax.add_artist(self)
        self.set_text(text)

    def _outline(self, text):
        key = (text, self._prop)
        if key not in PathText._cache:
            if len(PathText._cache) > 4000:
                PathText._cache.clear()
            path = TextPath((0, 0), text, prop=self._prop) if text.strip() else \
                Path(np.zeros((1, 2)))
            ext = path.get_extents()
            PathText._cache[key] = (path, ext.x0, ext.x1)
        return PathText._cache[key]

    def set_text(self, text):
        text = str(text)
        if text == self._text:
            return
        self._text = text
        path, x0, x1 = self._outline(text)
        ha, va = self._align
        size = self._prop.get_size_in_points()
        dx = {"left": 0.0, "center": -(x0 + x1) / 2, "right": -x1}[ha]
        dy = {"baseline": 0.0, "center": -0.36 * size, "top": -0.76 * size,
              "bottom": 0.24 * size}[va]
        self.set_path(path)
        self.set_transform(Affine2D().translate(dx, dy).scale(1 / 72) + self._dpi +
                           ScaledTranslation(*self._xy, self._base))

    def get_text(self):
        return self._text

    def set_position(self, xy):
        self._xy = tuple(xy)
        text, self._text = self._text, None
        self.set_text(text)

    def get_position(self):
        return self._xy

    def set_color(self, color):
        self.set_facecolor(color)


class Explorer(widgets.VBox):
    """Base class. Subclasses define ``name``, ``summary``, ``figsize`` and the methods
    ``build()`` (controls via ``self.add``, axes and artists), ``compute()`` → result and
    ``draw(result)``; optionally ``on_error(message)``."""

    name = "explorer"
    summary = ""
    figsize = (9.6, 3.3)
    constrained = True          # False: the subclass places its axes itself (subplots_adjust)
    #: the constrained layout's padding (inches) and spacing (fractions); a wider ``w_pad``
    #: leaves tick labels room to grow without a new layout (see ``layout_if_needed``)
    layout_pads = {"h_pad": 0.04, "w_pad": 0.04, "hspace": 0.02, "wspace": 0.02}

    def __init__(self):
        super().__init__()
        self.controls = {}
        self.result = None
        self.error = None
        self.full_draws = 0
        self.renders = 0
        self.last_update_seconds = None
        self._dynamic = []
        self._bg = None
        self._bg_keys = []
        self._bg_version = -1
        self._tight = []
        self.partial_draws = 0
        self._dirty = set()
        self._version = 0
        self._need_layout = True
        self._hold = 0
        self._png = b""
        self._layer = []
        self._layer_bg = None
        self._layer_ok = False
        self._cached_axes = set()
        self._areas = {}                # axes → the figure area it promises to stay in
        self._figure_cache = {}         # the state of every axes → (background, tight boxes)
        self.figure_restores = 0        # a whole background brought back (all axes cached)
        self._axes_cache = {}           # (axes index, epoch, view key) → (tight box, bitmap)
        self._epoch = {}                # axes → its static state (invalidate(ax) count or key)
        self._cache_version = None
        self.layer_draws = 0            # layer drawn afresh
        self.layer_restores = 0         # layer brought back from a kept bitmap (by key)
        self.view_restores = 0          # an axes view brought back (cache_axes)
        self._layer_key = None
        self._layer_cache = {}          # (layer key, background state) → bitmap
        self._fresh = False
        self._redrawn = []              # the areas the last partial redraw painted
        self._static_epoch = 0          # count of invalidate() calls for the whole figure
        self._layout_if_needed = False
        with mpl.rc_context(RC):
            self.fig = Figure(figsize=self.figsize, dpi=DPI, layout=self._layout_engine())
            self.canvas = FigureCanvasAgg(self.fig)
            self.image = widgets.Image(format="png", layout=widgets.Layout(
                width="100%", max_width=f"{int(self.figsize[0] * DPI)}px", height="auto"))
            self.note = widgets.HTML(value="")
            self.readout = widgets.HTML(value="")
            self.build()
            self._banner = self.fig.text(
                0.5, 0.5, "", ha="center", va="center", fontsize=10, color="#a00000", wrap=True,
                bbox=dict(boxstyle="round", fc="#fff4f4", ec="#a00000", alpha=0.95))
            self._banner.set_visible(False)
            self.dynamic(self._banner)
        for w in self.controls.values():
            w.observe(self._on_change, names="value")
        self.children = self.layout_children()
        self.update()

    # -- construction helpers -----------------------------------------------------------------
    def add(self, name, widget):
        """Register a control (its ``value`` changes trigger an update) and return it."""
        if getattr(widget, "style", None) is not None and hasattr(widget.style, "description_width"):
            widget.style.description_width = "initial"
        self.controls[name] = widget
        return widget

    def dynamic(self, *artists):
        """Mark artists as changing on every update (drawn on top of the cached background)."""
        for a in artists:
            a.set_animated(True)
            self._dynamic.append(a)
        return artists[0] if len(artists) == 1 else artists

    def undynamic(self, *artists):
        for a in artists:
            if a in self._dynamic:
                self._dynamic.remove(a)

    def layer(self, *artists):
        """Put artists in the middle layer: drawn over the static background (in axes order,
        then by zorder, as a full draw would) and kept as a bitmap under the dynamic artists. For
        what changes with a slow control; call ``invalidate_layer()`` after changing one. An
        artist removed from the figure (``artist.remove()``) leaves the layer by itself."""
        for a in artists:
            a.set_animated(True)
            if a not in self._layer:
                self._layer.append(a)
        self._layer_ok = False
        return artists[0] if len(artists) == 1 else artists

    def unlayer(self, *artists):
        """Take artists out of the layer (they stay animated: add them elsewhere or
        ``set_animated(False)`` and ``invalidate()``)."""
        for a in artists:
            if a in self._layer:
                self._layer.remove(a)
        self._layer_ok = False

    def invalidate_layer(self, key=None):
        """Call after changing a layer artist: the next render redraws the layer only. ``key``
        (hashable, optional) names the layer's new state — the subclass promises that the same
        key always means the same layer artists — and the few most recent layer bitmaps are kept
        by key: coming back to a key over an unchanged background restores its bitmap."""
        self._layer_ok = False
        self._layer_key = key

    def _count(self, ax):
        """A fresh static state for ``ax`` (invalidate without a key)."""
        self._counter = getattr(self, "_counter", 0) + 1
        return self._counter

    def cache_axes(self, *axes):
        """Keep a bitmap of each view of these axes (see the module docstring): their static
        pixels must depend only on the axis limits and 3-D angles between ``invalidate`` calls."""
        self._cached_axes.update(axes)

    def invalidate(self, *axes, relayout=False, key=None):
        """Call after changing a static artist (a contour, a title…). With axes given, the next
        render redraws just those axes; without, the whole figure. ``relayout`` also re-runs
        the constrained layout (e.g. tick labels of a new width): the whole figure is redrawn,
        and, with axes given, the kept views of the other axes survive where they did not move.
        ``key`` (hashable, with axes) names the new static state of those axes, for
        ``cache_axes``: the views kept under that key come back with it (a log axis, then a
        linear one, then log again), where without a key every call starts afresh."""
        for ax in axes:
            self._epoch[ax] = ("key", key) if key is not None else self._count(ax)
        if axes and not relayout:
            self._dirty.update(axes)
            return
        if not axes:
            self._static_epoch += 1
        self._version += 1
        if relayout:
            self._need_layout = True

    def layout_if_needed(self):
        """Ask for a new layout only if needed: the next render redraws the changed axes in
        place and re-runs the constrained layout (a full draw) only when one of them no longer
        fits where the last layout put it — its area meets another axes' area or leaves the
        figure (tick labels grown wider). Where they fit, the other panels keep their bitmaps."""
        self._layout_if_needed = True

    def control_rows(self):
        """The controls, laid out in wrapping rows. Subclasses may regroup."""
        return [widgets.HBox(list(self.controls.values()),
                             layout=widgets.Layout(flex_flow="row wrap"))]

    def layout_children(self):
        return [*self.control_rows(), self.note, self.image, self.readout]

    def values(self):
        """The current control values as a dict."""
        return {k: w.value for k, w in self.controls.items()}

    def set(self, **values):
        """Set several controls at once with a single update (for scripts and tests)."""
        with self.hold():
            for k, v in values.items():
                if k not in self.controls:
                    raise KeyError(f"{self.name}: no control {k!r}; controls are "
                                   f"{list(self.controls)}")
                self.controls[k].value = v
        self.update()
        return self

    class _Hold:
        def __init__(self, ex):
            self.ex = ex

        def __enter__(self):
            self.ex._hold += 1

        def __exit__(self, *exc):
            self.ex._hold -= 1

    def hold(self):
        """Context manager: control changes inside it do not trigger updates."""
        return Explorer._Hold(self)

    # -- the update cycle ----------------------------------------------------------------------
    def _on_change(self, change):
        if self._hold == 0:
            self.update()

    def build(self):
        raise NotImplementedError

    def compute(self):
        raise NotImplementedError

    def draw(self, result):
        raise NotImplementedError

    def on_error(self, message):
        """Hook: hide the artists that would show stale data (default: nothing)."""

    def update(self):
        """Recompute from the controls, move the artists, render the PNG."""
        start = time.perf_counter()
        with _rc(), _one_blas_thread():
            try:
                with np.errstate(all="ignore"):
                    result = self.compute()
                    self.result = result
                    self.draw(result)
                self.error = None
                self.note.value = ""
                self._banner.set_visible(False)
            except Exception as exc:             # a readable message, never a traceback
                msg = str(exc) if isinstance(exc, (ValueError, ArithmeticError)) else \
                    f"{type(exc).__name__}: {exc}"
                self.error = msg
                self.note.value = ("<span style='color:#a00000'>⚠ " + html.escape(msg) +
                                   "</span>")
                self._banner.set_text("⚠ " + msg)
                self._banner.set_visible(True)
                try:
                    self.on_error(msg)
                except Exception:
                    pass
            self.render()
        self.last_update_seconds = time.perf_counter() - start

    def _axes_keys(self):
        keys = []
        for ax in self.fig.axes:
            k = (ax.get_visible(), tuple(ax.get_xlim()) + tuple(ax.get_ylim()))
            if hasattr(ax, "get_zlim"):
                k += (tuple(ax.get_zlim()), ax.elev, ax.azim, getattr(ax, "roll", 0))
            keys.append(k)
        return keys

    def render(self, full=False):
        """Draw the figure into the Agg buffer and publish the PNG. Three speeds: blit (restore the
        cached background, draw the dynamic artists), partial (an axis range or view angle
        changed: redraw just those axes into the background) and full (``invalidate()`` was
        called, or ``full=True``)."""
        with _rc():
            self._render(full)

    def _render(self, full):
        self._fresh = full                  # a full render draws the layer too, no kept bitmap
        keys = self._axes_keys()
        if (full or self._bg is None or self._version != self._bg_version
                or len(keys) != len(self._bg_keys)):
            self._full_draw()
            self._layer_ok = False
        else:
            changed = [i for i, (a, b, ax) in enumerate(zip(keys, self._bg_keys, self.fig.axes))
                       if a != b or ax in self._dirty]
            if changed and self._restore_figure(keys):
                self._layer_ok = False
            elif changed:
                self.canvas.restore_region(self._bg)
                if self._redraw_axes(changed):
                    self._patch_layer(changed)
                else:
                    if self._layout_if_needed:
                        self._need_layout = True
                    self._full_draw()
                    self._layer_ok = False
            elif not self._layer:
                self.canvas.restore_region(self._bg)
        self._layout_if_needed = False
        self._draw_layer()
        renderer = self.canvas.get_renderer()
        for a in self._dynamic:
            if a.get_visible() and (a.axes is None or a.axes.get_visible()):
                a.draw(renderer)
        self.renders += 1
        self._png = self._encode(compress_level=1)
        self.image.value = self._png

    def _patch_layer(self, changed):
        """After a partial redraw: when no layer artist lives in the redrawn axes, the kept
        layer bitmap is still right outside their area (the layer artists of the other axes stay
        inside those axes' areas, which the redrawn ones do not touch): copy the new background
        into just those areas of it instead of drawing the whole layer again."""
        axes = self.fig.axes
        redrawn = {axes[i] for i in changed}
        if (not self._layer_ok or self._layer_bg is None or not self._redrawn
                or any(a.axes is None or a.axes in redrawn for a in self._layer)):
            self._layer_ok = False
            return
        patches = [self.canvas.copy_from_bbox(box) for box in self._redrawn]
        self.canvas.restore_region(self._layer_bg)
        for patch in patches:
            self.canvas.restore_region(patch)
        self._layer_bg = self.canvas.copy_from_bbox(self.fig.bbox)
        if self._layer_key is not None:
            ck = (self._layer_key, self._cache_version, tuple(self._bg_keys),
                  tuple(self._epoch.get(ax, 0) for ax in axes))
            if len(self._layer_cache) >= 10 and ck not in self._layer_cache:
                self._layer_cache.pop(next(iter(self._layer_cache)))
            self._layer_cache[ck] = self._layer_bg

    def _draw_layer(self):
        """Bring the canvas to background + layer: from the kept bitmap when nothing in the layer
        or under it changed, else by drawing the layer over the background (and keeping that)."""
        self._layer = [a for a in self._layer if a.get_figure(root=True) is not None]
        if not self._layer:
            self._layer_bg = None
            return
        if self._layer_ok and self._layer_bg is not None:
            self.canvas.restore_region(self._layer_bg)
            return
        ck = None
        if self._layer_key is not None:       # the background is a function of these
            ck = (self._layer_key, self._cache_version, tuple(self._bg_keys),
                  tuple(self._epoch.get(ax, 0) for ax in self.fig.axes))
            if ck in self._layer_cache and not self._fresh:
                self._layer_bg = self._layer_cache[ck] = self._layer_cache.pop(ck)
                self.canvas.restore_region(self._layer_bg)
                self._layer_ok = True
                self.layer_restores += 1
                return
        self.canvas.restore_region(self._bg)
        renderer = self.canvas.get_renderer()
        order = {ax: i for i, ax in enumerate(self.fig.axes)}
        for a in sorted(self._layer, key=lambda a: (order.get(a.axes, len(order)),
                                                     a.get_zorder())):
            if a.get_visible() and (a.axes is None or a.axes.get_visible()):
                a.draw(renderer)
        self._layer_bg = self.canvas.copy_from_bbox(self.fig.bbox)
        self._layer_ok = True
        self.layer_draws += 1
        if ck is not None:
            if len(self._layer_cache) >= 10:
                self._layer_cache.pop(next(iter(self._layer_cache)))
            self._layer_cache[ck] = self._layer_bg

    def _full_draw(self):
        if not self.constrained:
            self._need_layout = False
        if self._need_layout and not isinstance(self.fig.get_layout_engine(),
                                                ConstrainedLayoutEngine):
            self.fig.set_layout_engine(self._layout_engine())
        self.canvas.draw()
        if self._need_layout:
            self.fig.set_layout_engine("none")
            self._need_layout = False
        renderer = self.canvas.get_renderer()
        self._tight = [self._tight_box(ax, renderer) for ax in self.fig.axes]
        self._bg = self.canvas.copy_from_bbox(self.fig.bbox)
        self._bg_keys = self._axes_keys()
        self._bg_version = self._version
        self._dirty.clear()
        self.full_draws += 1
        layout = (self._static_epoch, len(self.fig.axes),
                  tuple(tuple(ax.get_position().bounds) for ax in self.fig.axes))
        if layout != self._cache_version:             # new static content or axes moved
            self._axes_cache.clear()
            self._layer_cache.clear()
            self._figure_cache.clear()
            self._cache_version = layout
        if self._cached_axes:
            self._keep_views()
        self._keep_figure()

    def _keep_views(self):
        """After a full draw: keep the current view of each ``cache_axes`` axes whose area meets
        no other's, as ``_redraw_axes`` keeps a view after redrawing that axes alone."""
        axes, keys = self.fig.axes, self._bg_keys
        for i, box in enumerate(self._tight):
            if axes[i] not in self._cached_axes or box is None or any(
                    _meet(box, b) for j, b in enumerate(self._tight) if j != i and b is not None):
                continue
            self._keep(self._view_key((i,), keys), {i: box}, box)

    def axes_area(self, ax, left, bottom, right, top):
        """Promise that everything ``ax`` draws stays inside this part of the figure (figure
        fractions): its redraws clear and keep just that area, without measuring its tight box
        (for a 3-D axes ~20–50 ms of text layout per view, and a rotated one's box changes with
        the view, so that it may meet its neighbour's in one view and not in the next)."""
        self._areas[ax] = (left, bottom, right, top)

    def _tight_box(self, ax, renderer):
        if not ax.get_visible():
            return None
        if ax in self._areas:
            l, b, r, t = self._areas[ax]
            w, h = self.fig.bbox.width, self.fig.bbox.height
            return Bbox.from_extents(np.floor(l * w), np.floor(b * h), np.ceil(r * w),
                                     np.ceil(t * h))
        box = ax.get_tightbbox(renderer)
        if box is not None and hasattr(ax, "get_zlim"):
            # a 3-D box can poke out of its tight bbox when rotated: take a generous margin
            fig_box = ax.get_figure(root=True).bbox
            big = Bbox.union([box, ax.bbox.expanded(1.25, 1.25)])
            box = Bbox.intersection(big, fig_box) or box
        return None if box is None else Bbox.from_extents(
            np.floor(box.x0) - 2, np.floor(box.y0) - 2, np.ceil(box.x1) + 2, np.ceil(box.y1) + 2)

    def _view_key(self, group, keys):
        axes = self.fig.axes
        return tuple((i, self._epoch.get(axes[i], 0), keys[i]) for i in group)

    def _keep(self, ck, new_boxes, region_box):
        if ck not in self._axes_cache and len(self._axes_cache) >= 24:
            self._axes_cache.pop(next(iter(self._axes_cache)))
        self._axes_cache[ck] = (new_boxes, region_box, self.canvas.copy_from_bbox(region_box))

    def _redraw_axes(self, changed):
        """Redraw only the axes in ``changed`` (indices) into the restored background — or restore
        a kept bitmap of their new views (``cache_axes``), kept and restored together, by which
        axes changed and to which views. Returns False (→ full redraw) when their area would
        touch an unchanged axes' area."""
        renderer = self.canvas.get_renderer()
        axes = self.fig.axes
        keys = self._axes_keys()
        old = {i: self._tight[i] for i in changed}
        whole = tuple(changed)

        def lookup(g):
            if all(axes[i] in self._cached_axes for i in g):
                return self._axes_cache.get(self._view_key(g, keys))
            return None

        # the changed axes are kept together (by which changed, to which views) and, where
        # their area meets no other's, each on its own too: two panels that change together
        # with a third between them come back from their own views, whatever changed with them
        groups, kept = [whole], {}
        hit = lookup(whole)
        if hit is not None:
            kept[whole] = hit
        elif len(changed) > 1:
            groups = [(i,) for i in changed]
            kept = {g: h for g in groups for h in [lookup(g)] if h is not None}
        new_boxes = {}
        for g in groups:
            if g in kept:
                new_boxes.update(kept[g][0])
            else:
                for i in g:
                    new_boxes[i] = self._tight_box(axes[i], renderer)
        boxes = {}
        for i in changed:
            parts = [b for b in (old[i], new_boxes[i]) if b is not None]
            if parts:
                boxes[i] = Bbox.union(parts)
        others = [b for j, b in enumerate(self._tight) if j not in boxes and b is not None]
        inside = self.fig.bbox
        for i, box in boxes.items():
            if any(_meet(box, o) for o in others) or not box.overlaps(inside):
                return False
            new = new_boxes[i]
            if self._layout_if_needed and new is not None and not (
                    new.x0 >= inside.x0 - 2 and new.x1 <= inside.x1 + 2
                    and new.y0 >= inside.y0 - 2 and new.y1 <= inside.y1 + 2):
                return False

        def private(g, box):          # meets no area outside the group: safe to keep, restore
            return box is not None and not any(
                _meet(box, b) for j, b in enumerate(self._tight)
                if j not in g and j not in boxes and b is not None) and not any(
                _meet(box, b) for j, b in boxes.items() if j not in g)

        face = self.fig.get_facecolor()
        self._redrawn = list(boxes.values())
        for box in boxes.values():
            rect = Rectangle((box.x0, box.y0), box.width, box.height,
                             transform=IdentityTransform(), facecolor=face, edgecolor="none",
                             linewidth=0, antialiased=False)
            rect.set_figure(self.fig)
            rect.draw(renderer)
        for g in groups:
            ck = self._view_key(g, keys)
            if g in kept and private(g, kept[g][1]):
                self.canvas.restore_region(kept[g][2])
                self._axes_cache[ck] = self._axes_cache.pop(ck)      # most recently used last
                self.view_restores += 1
            else:
                for i in g:
                    if axes[i].get_visible():
                        axes[i].draw(renderer)
                parts = [new_boxes[i] for i in g if new_boxes[i] is not None]
                region = Bbox.union(parts) if parts else None
                if all(axes[i] in self._cached_axes for i in g) and private(g, region):
                    self._keep(ck, {i: new_boxes[i] for i in g}, region)
            for i in g:
                self._tight[i] = new_boxes[i]
        if len(groups) > 1 and all(axes[i] in self._cached_axes for i in whole):
            parts = [new_boxes[i] for i in whole if new_boxes[i] is not None]
            region = Bbox.union(parts) if parts else None
            if private(whole, region):
                self._keep(self._view_key(whole, keys), {i: new_boxes[i] for i in whole}, region)
        self._bg = self.canvas.copy_from_bbox(self.fig.bbox)
        self._bg_keys = keys
        self._dirty.clear()
        self.partial_draws += 1
        self._keep_figure()
        return True

    def _figure_key(self, keys):
        """The static state of the whole figure, when every visible axes is ``cache_axes``
        (else None): each axes' keyed state, view and place."""
        axes = self.fig.axes
        if any(ax.get_visible() and ax not in self._cached_axes for ax in axes):
            return None
        return (self._static_epoch, tuple(
            (self._epoch.get(ax, 0), k, tuple(ax.get_position().bounds))
            for ax, k in zip(axes, keys)))

    def _keep_figure(self):
        """Keep the background just drawn under the state of all axes, for a control that
        changes several panels at once (a dropdown): coming back to that state restores it
        whole, whichever panels touch each other."""
        fk = self._figure_key(self._bg_keys)
        if fk is None:
            return
        if fk not in self._figure_cache and len(self._figure_cache) >= 12:
            self._figure_cache.pop(next(iter(self._figure_cache)))
        self._figure_cache[fk] = (self._bg, tuple(self._tight))

    def _restore_figure(self, keys):
        """Bring back a kept background for the current state of all axes, if there is one."""
        fk = self._figure_key(keys)
        hit = None if fk is None else self._figure_cache.pop(fk, None)
        if hit is None:
            return False
        self._figure_cache[fk] = hit                               # most recently used last
        self._bg, tight = hit
        self._tight = list(tight)
        self.canvas.restore_region(self._bg)
        self._bg_keys = keys
        self._dirty.clear()
        self._redrawn = []
        self.figure_restores += 1
        self.view_restores += 1
        return True

    def _layout_engine(self):
        if not self.constrained:
            return None
        return ConstrainedLayoutEngine(**self.layout_pads)

    def _encode(self, compress_level=1):
        buf = np.asarray(self.canvas.buffer_rgba())
        if compress_level <= 3:
            return fast_png(buf, compress_level)
        out = io.BytesIO()
        PILImage.fromarray(np.ascontiguousarray(buf[..., :3]), "RGB").save(
            out, format="png", compress_level=compress_level, optimize=True)
        return out.getvalue()

    def frame(self):
        """The current frame as an RGB array (height, width, 3) — what the PNG shows."""
        return np.asarray(self.canvas.buffer_rgba())[..., :3].copy()

    def png(self):
        """The current frame as PNG bytes (well compressed: for saving in notebooks)."""
        return self._encode(compress_level=9)

    # -- display -------------------------------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs):
        """The live widget, plus a static PNG of the current (first) frame and a text line, so
        that the saved notebook shows a picture where no widget can be rendered."""
        data = super()._repr_mimebundle_(**kwargs) or {}
        data = dict(data)
        text = f"{self.name}: {self.summary}"
        data["image/png"] = base64.b64encode(self.png()).decode("ascii")
        data["text/plain"] = text + " (a static picture; run the notebook to use the controls)"
        return data, {"image/png": {"alt": text}}

    def __repr__(self):
        return f"<{type(self).__name__} {self.name!r}: {self.summary}>"
