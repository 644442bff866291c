"""Shared pieces of the optimization explorers: test functions by name, 1-D functions lifted to
the 2-D interface of ``dlmath.landscapes``, contour levels, and the run of an optimizer."""
import math

import numpy as np

from .. import landscapes

__all__ = ["Function1D", "FUNCTIONS_1D", "function_2d", "FUNCTIONS_2D", "contour_levels",
           "draw_contour", "ContourCache", "nearest_minimum", "curvatures", "run"]


class Function1D:
    """A function of one variable with its first two derivatives, usable wherever
    ``dlmath.landscapes`` expects a 2-D function: ``value``/``gradient``/``hessian`` take a point
    (x, y) and ignore y (its gradient component is 0, so an optimizer never moves it)."""

    __test__ = False

    def __init__(self, name, f, df, d2f, minima, domain, f_min=0.0):
        self.name, self.f, self.df, self.d2f = name, f, df, d2f
        self.minima_1d = np.asarray(minima, dtype=float)
        self.minima = np.stack([self.minima_1d, np.zeros_like(self.minima_1d)], axis=1)
        self.domain_1d = domain
        self.domain = (domain, (-1.0, 1.0))
        self.f_min = f_min

    def value(self, x):
        return self.f(np.asarray(x, dtype=float)[0])

    __call__ = value

    def gradient(self, x):
        x = np.asarray(x, dtype=float)
        return np.stack([self.df(x[0]), np.zeros_like(x[1])])

    def hessian(self, x):
        x = np.asarray(x, dtype=float)
        z = np.zeros_like(x[0])
        return np.array([[self.d2f(x[0]), z], [z, z]])


def quadratic_1d(L):
    return Function1D(f"quadratic ½·{L:g}·x²", lambda x: 0.5 * L * x * x, lambda x: L * x,
                      lambda x: L + 0 * x, [0.0], (-2.0, 2.0))


def double_well():
    return Function1D("double well (x² − 1)²", lambda x: (x * x - 1) ** 2,
                      lambda x: 4 * x * (x * x - 1), lambda x: 12 * x * x - 4, [-1.0, 1.0],
                      (-2.0, 2.0))


FUNCTIONS_1D = {"quadratic ½Lx²": quadratic_1d, "double well (x² − 1)²": lambda L: double_well()}
FUNCTIONS_2D = {
    "quadratic (λ = 1, L; rotated)": lambda L: landscapes.Quadratic((1.0, L), angle=math.pi / 6),
    "Rosenbrock": lambda L: landscapes.Rosenbrock(),
    "Himmelblau": lambda L: landscapes.Himmelblau(),
    "Beale": lambda L: landscapes.Beale(),
    "saddle x² − y²": lambda L: landscapes.Saddle(),
    "Rastrigin": lambda L: landscapes.Rastrigin(),
}


def function_2d(name, L=10.0):
    if name not in FUNCTIONS_2D:
        raise ValueError(f"unknown function {name!r}; choose from {list(FUNCTIONS_2D)}")
    return FUNCTIONS_2D[name](L)


def contour_levels(Z, n=18):
    """Contour levels that look good for any function: quantiles of f on the grid, spaced
    geometrically above the minimum (valleys like Rosenbrock's get lines too)."""
    z = np.asarray(Z, dtype=float)
    z = z[np.isfinite(z)]
    lo, hi = float(z.min()), float(np.quantile(z, 0.9))
    if hi <= lo:
        return np.linspace(lo, lo + 1, n)
    return lo + (hi - lo) * np.geomspace(1e-3, 1.0, n)


def draw_contour(ax, f, old=None, n=160, levels=18, linewidths=0.7):
    """Replace ``old`` (a previous contour set, or None) by a contour plot of the 2-D test
    function ``f`` over its domain, and fit the axes to that domain. Returns the new set."""
    if old is not None:
        old.remove()
    (x0, x1), (y0, y1) = f.domain
    X, Y = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    Z = f.value_grid(X, Y)
    contour = ax.contour(X, Y, Z, levels=contour_levels(Z, levels), cmap="viridis",
                         linewidths=linewidths)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    return contour


def fit_domain(ax, f):
    """Set the axes limits to the 2-D function's plotting window ``f.domain``."""
    (x0, x1), (y0, y1) = f.domain
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)


class ContourCache:
    """The contour plots of the functions an explorer has shown, kept on one axes: ``show(f,
    key)`` makes the contour set of f visible (computing it the first time ``key`` is seen, exactly
    as ``draw_contour`` does), hides the one shown before and fits the axes to f's domain. Going
    back to a function (or a κ) costs nothing; at most ``size`` sets are kept.

    ``on_new(contour_set)`` is called for each new set (e.g. ``Explorer.layer``)."""

    def __init__(self, ax, n=160, levels=18, linewidths=0.7, size=24, on_new=None):
        self.ax, self.n, self.levels, self.linewidths = ax, n, levels, linewidths
        self.size, self.on_new = size, on_new
        self.sets = {}
        self.current = None

    def show(self, f, key):
        cs = self.sets.pop(key, None)
        if cs is None:
            if len(self.sets) >= self.size:
                self.sets.pop(next(iter(self.sets))).remove()
            lims = self.ax.get_xlim(), self.ax.get_ylim()
            cs = draw_contour(self.ax, f, n=self.n, levels=self.levels,
                              linewidths=self.linewidths)
            self.ax.set_xlim(lims[0])
            self.ax.set_ylim(lims[1])
            if self.on_new is not None:
                self.on_new(cs)
        self.sets[key] = cs                      # most recently used last
        for other in self.sets.values():
            other.set_visible(other is cs)
        self.current = cs
        fit_domain(self.ax, f)
        return cs

    def hide(self):
        """Hide every kept set (the axes then shows something else, e.g. a 1-D curve)."""
        for cs in self.sets.values():
            cs.set_visible(False)
        self.current = None


def nearest_minimum(f, point):
    """The known minimum of f closest to ``point`` (None when f has none)."""
    minima = np.asarray(getattr(f, "minima", np.zeros((0, 2))))
    if minima.size == 0:
        return None
    p = np.asarray(point, dtype=float)
    if not np.all(np.isfinite(p)):
        return minima[0]
    return minima[int(np.argmin(np.linalg.norm(minima - p, axis=1)))]


def curvatures(f, point):
    """The Hessian eigenvalues of f at ``point`` (ascending); for a 1-D function just f''."""
    if isinstance(f, Function1D):
        return np.array([float(f.d2f(np.asarray(point, dtype=float)[0]))])
    H = np.asarray(f.hessian(np.asarray(point, dtype=float)), dtype=float)
    return np.linalg.eigvalsh((H + H.T) / 2)


def run(optimizer_factory, f, x0, steps):
    """``dlmath.landscapes.trajectory`` plus the gradient norms along the path."""
    tr = landscapes.trajectory(optimizer_factory, f, np.asarray(x0, dtype=float), int(steps))
    with np.errstate(all="ignore"):
        grads = np.linalg.norm(np.asarray(f.gradient(tr.path.T), dtype=float), axis=0)
    return tr, grads
