"""Explorer 5 — loss landscapes: a test function or a trained model's 2-D slice, as a contour plot
and a 3-D surface, with an optimizer path on top."""
import numpy as np
import ipywidgets as widgets
from matplotlib.ticker import MaxNLocator

from . import _opt
from .race import OPTIMIZERS, RACE_FUNCTIONS, race_function
from ._base import COLORS, Explorer, fmt, table_html

__all__ = ["LandscapeSource", "landscape_compute", "landscape_explorer", "LandscapeExplorer"]

SLICE = "your slice"
PATH_CHOICES = ("none", "SGD", "momentum", "Adam")


def _bilinear(xs, ys, Z, points):
    """Bilinear interpolation of Z[j, i] (at xs[i], ys[j]) at points (n, 2); nan outside."""
    p = np.asarray(points, dtype=float).reshape(-1, 2)
    out = np.full(len(p), np.nan)
    ok = (p[:, 0] >= xs[0]) & (p[:, 0] <= xs[-1]) & (p[:, 1] >= ys[0]) & (p[:, 1] <= ys[-1])
    if not ok.any():
        return out
    i = np.clip(np.searchsorted(xs, p[ok, 0]) - 1, 0, len(xs) - 2)
    j = np.clip(np.searchsorted(ys, p[ok, 1]) - 1, 0, len(ys) - 2)
    tx = (p[ok, 0] - xs[i]) / (xs[i + 1] - xs[i])
    ty = (p[ok, 1] - ys[j]) / (ys[j + 1] - ys[j])
    out[ok] = ((1 - tx) * (1 - ty) * Z[j, i] + tx * (1 - ty) * Z[j, i + 1]
               + (1 - tx) * ty * Z[j + 1, i] + tx * ty * Z[j + 1, i + 1])
    return out


class LandscapeSource:
    """A surface to look at: a ``dlmath.landscapes`` test function (sampled on its domain) or
    precomputed slice data ``alphas`` (nx,), ``betas`` (ny,), ``losses`` (ny, nx) — the layout of
    ``dlmath.loss_landscape.slice_2d`` (``losses[j, i]`` at ``(alphas[i], betas[j])``)."""

    def __init__(self, name, X, Y, Z, f=None, minima=None, xlabel="x", ylabel="y"):
        self.name, self.X, self.Y, self.Z, self.f = name, X, Y, Z, f
        self.xs, self.ys = X[0], Y[:, 0]
        self.minima = np.zeros((0, 2)) if minima is None else np.asarray(minima).reshape(-1, 2)
        self.xlabel, self.ylabel = xlabel, ylabel
        finite = Z[np.isfinite(Z)]
        if finite.size == 0:
            raise ValueError(f"{name}: the losses contain no finite value")
        self.z_min, self.z_max = float(finite.min()), float(finite.max())

    @classmethod
    def from_function(cls, name, n=121):
        f = race_function(name)
        (x0, x1), (y0, y1) = f.domain
        X, Y = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
        return cls(name, X, Y, np.asarray(f.value_grid(X, Y), dtype=float), f, f.minima)

    @classmethod
    def from_slice(cls, alphas, betas, losses, name=SLICE):
        a = np.asarray(alphas, dtype=float).ravel()
        b = np.asarray(betas, dtype=float).ravel()
        L = np.asarray(getattr(losses, "data", losses), dtype=float)
        if L.shape != (len(b), len(a)):
            raise ValueError(f"losses must have shape (len(betas), len(alphas)) = "
                             f"({len(b)}, {len(a)}), got {L.shape}")
        if len(a) < 2 or len(b) < 2 or np.any(np.diff(a) <= 0) or np.any(np.diff(b) <= 0):
            raise ValueError("alphas and betas must be increasing, with at least 2 values each")
        X, Y = np.meshgrid(a, b)
        finite = np.where(np.isfinite(L), L, np.inf)
        j, i = np.unravel_index(np.argmin(finite), L.shape)
        return cls(name, X, Y, L, None, [[a[i], b[j]]], xlabel="α (direction 1)",
                   ylabel="β (direction 2)")

    def value_at(self, points):
        P = np.asarray(points, dtype=float).reshape(-1, 2)
        if self.f is not None:
            return np.asarray(self.f.value(P.T), dtype=float)
        return _bilinear(self.xs, self.ys, self.Z, P)

    def coarse(self, n=41):
        """The surface subsampled to about n × n points (what the 3-D plot draws)."""
        sy = max(1, len(self.ys) // n)
        sx = max(1, len(self.xs) // n)
        return self.X[::sy, ::sx], self.Y[::sy, ::sx], self.Z[::sy, ::sx]


def _transform(z, source, log_scale):
    if not log_scale:
        return z
    span = max(source.z_max - source.z_min, 1e-12)
    return np.log10(np.maximum(z - source.z_min, 0) + 1e-3 * span)


def landscape_compute(source, log_scale=False, path=None):
    """The surface and an optional path, as plain data: ``Z`` (for the contour), ``Zc`` with
    ``Xc``, ``Yc`` (coarse, for the 3-D surface), ``path`` (n, 2) and ``path_z`` (its heights),
    all in the displayed scale (log₁₀(f − min + 10⁻³·range) when ``log_scale``)."""
    Xc, Yc, Zc = source.coarse()
    out = {"name": source.name, "X": source.X, "Y": source.Y,
           "Z": _transform(source.Z, source, log_scale), "Xc": Xc, "Yc": Yc,
           "Zc": _transform(Zc, source, log_scale), "log_scale": log_scale,
           "minima": source.minima, "z_range": (source.z_min, source.z_max)}
    if path is not None:
        P = np.asarray(path, dtype=float).reshape(-1, 2)
        out["path"] = P
        out["path_values"] = source.value_at(P)
        out["path_z"] = _transform(out["path_values"], source, log_scale)
    return out


class LandscapeExplorer(Explorer):
    name = "landscape_explorer"
    summary = "a loss landscape as contour and 3-D surface, with an optimizer path"
    figsize = (9.8, 3.9)
    constrained = False         # constrained layout and 3-D axes do not always agree

    def __init__(self, function="Himmelblau", slice_data=None, path=None, elev=35, azim=-60):
        if slice_data is not None:
            if isinstance(slice_data, dict):
                a, b, l = slice_data["alphas"], slice_data["betas"], slice_data["losses"]
            else:
                a, b, l = slice_data.alphas, slice_data.betas, slice_data.losses
            self._slice = LandscapeSource.from_slice(a, b, l)
        else:
            self._slice = None
        self._given_path = None if path is None else np.asarray(path, dtype=float).reshape(-1, 2)
        self._sources = {}
        self._paths = {}
        self._init = (function, elev, azim)
        self._static_key = None
        super().__init__()

    def build(self):
        function, elev, azim = self._init
        options = ([SLICE] if self._slice is not None else []) + list(RACE_FUNCTIONS)
        first = SLICE if self._slice is not None else function
        self.add("surface", widgets.Dropdown(options=options, value=first, description="surface",
                                             layout=widgets.Layout(width="260px")))
        self.add("log", widgets.Checkbox(value=first in ("Rosenbrock", "Beale"),
                                         description="log scale", indent=False,
                                         layout=widgets.Layout(width="110px")))
        # a 3-D re-render takes ~70 ms here (mplot3d sorts and projects every polygon): the view
        # updates when the slider is released
        self.add("elev", widgets.IntSlider(value=elev, min=0, max=90, description="elevation",
                                           continuous_update=False,
                                           layout=widgets.Layout(width="260px")))
        self.add("azim", widgets.IntSlider(value=azim, min=-180, max=180, description="azimuth",
                                           continuous_update=False,
                                           layout=widgets.Layout(width="300px")))
        self.add("optimizer", widgets.Dropdown(options=self._path_options(first),
                                               value=self._path_options(first)[-1],
                                               description="path",
                                               layout=widgets.Layout(width="200px")))
        self.add("lr", widgets.FloatLogSlider(value=0.1, base=10, min=-4, max=0, step=0.05,
                                              description="lr", readout_format=".2g",
                                              layout=widgets.Layout(width="260px")))
        self.add("steps", widgets.IntSlider(value=100, min=5, max=400, step=5,
                                            description="steps", continuous_update=False,
                                            layout=widgets.Layout(width="260px")))
        self.controls["surface"].observe(self._on_surface, names="value")
        self._on_surface({"new": first})

        gs = self.fig.add_gridspec(1, 2, width_ratios=[1, 1.3], left=0.065, right=0.97,
                                   bottom=0.13, top=0.92, wspace=0.08)
        self.ax_c = self.fig.add_subplot(gs[0])
        self.ax_s = self.fig.add_subplot(gs[1], projection="3d")
        self.contour = None
        self.surface = None
        self._drawn = {}           # (surface, log) → (contour set, 3-D surface), kept hidden
        self.cache_axes(self.ax_c, self.ax_s)
        # the 3-D panel draws right of x = 482 px for every surface and view (measured), the
        # contour panel left of 445 px: its redraws clear and keep the right part of the figure
        self.axes_area(self.ax_s, 0.465, 0.0, 1.0, 1.0)
        self.min_pts, = self.ax_c.plot([], [], "*", color="gold", mec="k", mew=0.6, ms=11,
                                       zorder=5)
        self.path2d, = self.ax_c.plot([], [], "-o", color=COLORS["red"], ms=2, lw=1.2)
        self.path3d, = self.ax_s.plot([], [], [], "-", color=COLORS["red"], lw=1.6)
        self.dynamic(self.path2d, self.path3d)
        self.ax_s.set_box_aspect(None, zoom=1.1)

    def control_rows(self):
        c = self.controls
        return [widgets.HBox([c["surface"], c["log"], c["elev"], c["azim"]]),
                widgets.HBox([c["optimizer"], c["lr"], c["steps"]])]

    def _path_options(self, surface):
        if surface == SLICE:
            return ["none", "given path"] if self._given_path is not None else ["none"]
        return list(PATH_CHOICES)

    def _on_surface(self, change):
        name = change["new"]
        opts = self._path_options(name)
        with self.hold():
            w = self.controls["optimizer"]
            if list(w.options) != opts:
                w.options = opts
            w.value = opts[-1] if name == SLICE else "Adam"
            if name != SLICE:
                self.controls["lr"].value = RACE_FUNCTIONS[name][1]["Adam"]
            self.controls["log"].value = name in ("Rosenbrock", "Beale")
        for k in ("lr", "steps"):
            self.controls[k].layout.display = "none" if name == SLICE else None

    def source(self, name=None):
        name = name or self.controls["surface"].value
        if name == SLICE:
            return self._slice
        if name not in self._sources:
            self._sources[name] = LandscapeSource.from_function(name)
        return self._sources[name]

    def compute(self):
        v = self.values()
        src = self.source()
        path = None
        if v["surface"] == SLICE:
            if v["optimizer"] == "given path":
                path = self._given_path
        elif v["optimizer"] != "none":
            key = (v["surface"], v["optimizer"], v["lr"], v["steps"])
            if key not in self._paths:          # the view controls do not change the path
                if len(self._paths) >= 64:
                    self._paths.pop(next(iter(self._paths)))
                start = RACE_FUNCTIONS[v["surface"]][0]
                tr, _ = _opt.run(OPTIMIZERS[v["optimizer"]](v["lr"]), src.f, start, v["steps"])
                self._paths[key] = tr.path
            path = self._paths[key]
        r = landscape_compute(src, v["log"], path)
        return r

    def _draw_static(self, r, key):
        """The static parts for a (surface, log scale) pair. The contour set and the 3-D surface
        of each pair seen are kept (hidden when another is shown): coming back to a pair shows
        them again without recomputing, and both panels are keyed by the pair, so that their
        kept bitmaps (each 3-D view angle of the surface) come back too."""
        a1, a3 = self.ax_c, self.ax_s
        for k, (contour, surface) in self._drawn.items():
            contour.set_visible(k == key)
            surface.set_visible(k == key)
        if key not in self._drawn:
            if len(self._drawn) >= 12:                      # the oldest pair: drop it
                old = next(iter(self._drawn))
                for artist in self._drawn.pop(old):
                    artist.remove()
            Z = r["Z"]
            finite = Z[np.isfinite(Z)]
            levels = np.linspace(finite.min(), finite.max(), 22) if r["log_scale"] else \
                _opt.contour_levels(Z, 20)
            contour = a1.contour(r["X"], r["Y"], Z, levels=levels, cmap="viridis",
                                 linewidths=0.8)
            Zc = np.ma.masked_invalid(r["Zc"])
            surface = a3.plot_surface(r["Xc"], r["Yc"], Zc, cmap="viridis", linewidth=0,
                                      antialiased=False, rcount=40, ccount=40, alpha=0.9)
            self._drawn[key] = (contour, surface)
        self._drawn[key] = self._drawn.pop(key)             # most recently used last
        self.contour, self.surface = self._drawn[key]
        a1.set_xlim(r["X"].min(), r["X"].max())
        a1.set_ylim(r["Y"].min(), r["Y"].max())
        src = self.source()
        a1.set_xlabel(src.xlabel)
        a1.set_ylabel(src.ylabel)
        m = r["minima"]
        self.min_pts.set_data(m[:, 0], m[:, 1])
        a1.set_title(r["name"] + (" (log scale)" if r["log_scale"] else ""))
        a3.set_xlim(r["X"].min(), r["X"].max())
        a3.set_ylim(r["Y"].min(), r["Y"].max())
        a3.set_zlim(float(np.nanmin(r["Zc"])), float(np.nanmax(r["Zc"])))
        a3.set_xlabel(src.xlabel, labelpad=-4)
        a3.set_ylabel(src.ylabel, labelpad=-4)
        a3.set_zlabel("log₁₀ loss" if r["log_scale"] else "loss", labelpad=-2)
        a3.tick_params(pad=-2, labelsize=7)
        for axis in (a3.xaxis, a3.yaxis, a3.zaxis):      # few ticks: text is the slow part
            axis.set_major_locator(MaxNLocator(4))
        self.invalidate(a1, a3, key=key)

    def draw(self, r):
        v = self.values()
        key = (v["surface"], v["log"])
        if key != self._static_key:
            self._draw_static(r, key)
            self._static_key = key
        if (self.ax_s.elev, self.ax_s.azim) != (v["elev"], v["azim"]):
            self.ax_s.view_init(elev=v["elev"], azim=v["azim"])
        if "path" in r:
            P, z = r["path"], r["path_z"]
            self.path2d.set_data(P[:, 0], P[:, 1])
            self.path3d.set_data_3d(P[:, 0], P[:, 1], z)
            self.path2d.set_visible(True)
            self.path3d.set_visible(True)
        else:
            self.path2d.set_visible(False)
            self.path3d.set_visible(False)
        zmin, zmax = r["z_range"]
        rows = [["loss range on the grid", f"{fmt(zmin)} … {fmt(zmax)}"]]
        if "path" in r:
            pv = r["path_values"]
            rows.append(["path", f"{len(pv) - 1} steps, loss {fmt(pv[0])} → {fmt(pv[-1])}"])
        if v["surface"] == SLICE:
            rows.append(["", "a 2-D slice L(θ* + α d₁ + β d₂) along filter-normalised random "
                             "directions (Li et al. 2018); θ* at (0, 0)"])
        self.readout.value = table_html(rows)


def landscape_explorer(function="Himmelblau", slice_data=None, path=None, elev=35, azim=-60):
    """A loss surface as a contour plot and a 3-D surface (elevation and azimuth sliders, log
    scale), with an optimizer path (SGD, momentum or Adam from ``dlmath.optim``) on top.

    ``function`` picks a ``dlmath.landscapes`` test function. ``slice_data`` shows a trained
    model's slice instead: a dict (or object) with ``alphas``, ``betas`` and ``losses[j, i]`` at
    ``(alphas[i], betas[j])`` — what ``dlmath.loss_landscape.slice_2d`` returns; ``path`` is an
    optional (n, 2) array of (α, β) points to overlay (e.g. a training run projected on the
    directions)."""
    return LandscapeExplorer(function, slice_data, path, elev, azim)
