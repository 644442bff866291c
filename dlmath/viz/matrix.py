"""Explorer 9 — a 2×2 matrix as a map of the plane: grid, unit circle, eigenvectors, determinant."""
import numpy as np
import ipywidgets as widgets
from matplotlib.collections import LineCollection
from matplotlib.patches import Polygon

from .. import linalg
from ._base import COLORS, Explorer, fmt, table_html

__all__ = ["matrix_compute", "matrix_explorer", "MatrixExplorer", "MATRIX_PRESETS"]

MATRIX_PRESETS = {
    "identity": (1.0, 0.0, 0.0, 1.0),
    "rotation 30°": (0.866, -0.5, 0.5, 0.866),
    "scaling (1.5, 0.5)": (1.5, 0.0, 0.0, 0.5),
    "shear": (1.0, 1.0, 0.0, 1.0),
    "reflection": (1.0, 0.0, 0.0, -1.0),
    "symmetric": (1.5, 0.5, 0.5, 1.0),
    "singular (det 0)": (1.0, 2.0, 0.5, 1.0),
    "complex eigenvalues": (0.5, -1.0, 1.0, 0.5),
}
GRID_LIM, GRID_N, VIEW = 2.0, 9, 4.0


def matrix_compute(A, grid_lim=GRID_LIM, grid_n=GRID_N):
    """Everything the picture shows, as plain data.

    Returns a dict with ``A`` (2×2), ``det``, ``trace``, ``eigenvalues`` (complex when the
    discriminant is negative), ``eigenvectors`` (2×2 unit columns, or None), ``real_eigen``,
    ``singular_values`` (the semi-axes of the unit circle's image), ``grid`` (transformed grid
    segments, shape (2n, 2, 2)), ``circle`` (the unit circle's image, (m, 2)), ``square`` (the unit
    square's image, (4, 2), area |det|), ``e1``/``e2`` (images of the basis vectors: A's columns)
    and ``description``.
    """
    A = np.asarray(A, dtype=float).reshape(2, 2)
    e = linalg.eig2(A)
    square = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], dtype=float)
    return {
        "A": A, "det": e.det, "trace": e.trace, "eigenvalues": e.eigenvalues,
        "eigenvectors": e.eigenvectors, "real_eigen": e.real,
        "singular_values": np.linalg.svd(A, compute_uv=False),
        "grid": linalg.transform(A, linalg.grid_lines(grid_lim, grid_n)),
        "circle": linalg.transform(A, linalg.unit_circle(181)),
        "square": linalg.transform(A, square),
        "e1": A[:, 0].copy(), "e2": A[:, 1].copy(),
        "description": linalg.describe2(A),
    }


class MatrixExplorer(Explorer):
    name = "matrix_explorer"
    summary = "a 2×2 matrix acting on the plane (grid, unit circle, eigenvectors, det as area)"
    figsize = (9.0, 4.3)

    def __init__(self, matrix=(1.2, 0.6, 0.3, 0.9)):
        self._initial = np.asarray(matrix, dtype=float).reshape(-1)
        if self._initial.size != 4:
            raise ValueError("matrix_explorer: matrix must have 4 entries (a, b, c, d)")
        super().__init__()

    def build(self):
        a, b, c, d = self._initial
        for name, v in zip("abcd", (a, b, c, d)):
            self.add(name, widgets.FloatSlider(value=v, min=-2, max=2, step=0.05,
                                               description=name, continuous_update=True,
                                               readout_format=".2f",
                                               layout=widgets.Layout(width="230px")))
        self.preset = widgets.Dropdown(options=["custom"] + list(MATRIX_PRESETS),
                                       value="custom", description="preset",
                                       layout=widgets.Layout(width="220px"))
        self.preset.observe(self._on_preset, names="value")

        ax0, ax1 = self.fig.subplots(1, 2)
        self.ax_in, self.ax_out = ax0, ax1
        for ax, title in ((ax0, "before: the plane"), (ax1, "after: A · (the plane)")):
            ax.set_aspect("equal")
            ax.set_xlim(-VIEW, VIEW)
            ax.set_ylim(-VIEW, VIEW)
            ax.axhline(0, color="0.7", lw=0.6)
            ax.axvline(0, color="0.7", lw=0.6)
            ax.set_title(title)
        grid = linalg.grid_lines(GRID_LIM, GRID_N)
        ax0.add_collection(LineCollection(grid, colors="0.6", lw=0.7))
        circ = linalg.unit_circle(181)
        ax0.plot(circ[:, 0], circ[:, 1], color=COLORS["purple"], lw=1.5)
        ax0.add_patch(Polygon([[0, 0], [1, 0], [1, 1], [0, 1]], closed=True,
                              fc=COLORS["blue"], alpha=0.25, ec=COLORS["blue"]))
        ax0.quiver([0, 0], [0, 0], [1, 0], [0, 1], color=[COLORS["red"], COLORS["green"]],
                   angles="xy", scale_units="xy", scale=1, width=0.012)
        ax0.text(1.05, -0.35, "e₁", color=COLORS["red"])
        ax0.text(-0.4, 1.05, "e₂", color=COLORS["green"])
        ax0.text(-VIEW + 0.2, -VIEW + 0.3, "area = 1", fontsize=8)

        self.grid = self.dynamic(LineCollection(grid, colors="0.55", lw=0.7))
        ax1.add_collection(self.grid)
        self.square = self.dynamic(Polygon(np.zeros((4, 2)), closed=True, fc=COLORS["blue"],
                                           alpha=0.25, ec=COLORS["blue"]))
        ax1.add_patch(self.square)
        self.circle, = ax1.plot([], [], color=COLORS["purple"], lw=1.5)
        self.eig_lines = [ax1.plot([], [], ls="--", lw=1.3, color=col)[0]
                          for col in (COLORS["orange"], COLORS["brown"])]
        self.basis = ax1.quiver([0, 0], [0, 0], [1, 0], [0, 1],
                                color=[COLORS["red"], COLORS["green"]], angles="xy",
                                scale_units="xy", scale=1, width=0.012)
        self.det_text = ax1.text(-VIEW + 0.2, -VIEW + 0.3, "", fontsize=8)
        self.eig_text = ax1.text(-VIEW + 0.2, VIEW - 0.6, "", fontsize=8)
        self.dynamic(self.circle, *self.eig_lines, self.basis, self.det_text, self.eig_text)

    def control_rows(self):
        c = self.controls
        return [widgets.HBox([c["a"], c["b"], self.preset]), widgets.HBox([c["c"], c["d"]])]

    def _on_preset(self, change):
        if change["new"] == "custom":
            return
        with self.hold():
            for name, v in zip("abcd", MATRIX_PRESETS[change["new"]]):
                self.controls[name].value = v
        self.update()

    def compute(self):
        v = self.values()
        return matrix_compute([[v["a"], v["b"]], [v["c"], v["d"]]])

    def draw(self, r):
        self.grid.set_segments(r["grid"])
        self.square.set_xy(r["square"])
        det = r["det"]
        self.square.set_facecolor(COLORS["blue"] if det >= 0 else COLORS["red"])
        self.circle.set_data(r["circle"][:, 0], r["circle"][:, 1])
        self.basis.set_UVC([r["e1"][0], r["e2"][0]], [r["e1"][1], r["e2"][1]])
        self.det_text.set_text(f"area = det A = {det:.3g}" + (" (flipped)" if det < 0 else ""))
        lams = r["eigenvalues"]
        if r["real_eigen"]:
            V = r["eigenvectors"]
            same = np.allclose(V[:, 0], V[:, 1]) or np.allclose(V[:, 0], -V[:, 1])
            for j, line in enumerate(self.eig_lines):
                v = V[:, j] * 2 * VIEW
                line.set_data([-v[0], v[0]], [-v[1], v[1]])
                line.set_visible(not (same and j == 1))
            txt = f"λ = {lams[0].real:.3g}, {lams[1].real:.3g}"
            if same:
                txt = f"λ = {lams[0].real:.3g} (repeated)"
        else:
            for line in self.eig_lines:
                line.set_visible(False)
            txt = f"λ = {lams[0].real:.3g} ± {abs(lams[0].imag):.3g}i (complex)"
        self.eig_text.set_text(txt)
        A = r["A"]
        ev = ", ".join(f"{l.real:.4g}" if r["real_eigen"] else f"{l.real:.4g}{l.imag:+.4g}i"
                       for l in lams)
        self.readout.value = table_html([
            ["A", f"[[{A[0, 0]:.3g}, {A[0, 1]:.3g}], [{A[1, 0]:.3g}, {A[1, 1]:.3g}]]"],
            ["det A = ad − bc (signed area of the shaded parallelogram)", fmt(det)],
            ["trace", fmt(r["trace"])],
            ["eigenvalues (dashed lines: real eigenvectors)", ev],
            ["singular values (circle → ellipse semi-axes)",
             ", ".join(fmt(s) for s in r["singular_values"])],
            ["what it does", r["description"]],
        ])

    def on_error(self, message):
        pass


def matrix_explorer(matrix=(1.2, 0.6, 0.3, 0.9)):
    """Explore a 2×2 matrix A = [[a, b], [c, d]] as a map of the plane: sliders for a, b, c, d
    (and presets); the grid, the unit circle (→ an ellipse with the singular values as
    semi-axes) and the unit square (→ a parallelogram of signed area det A) before and after the
    map; eigenvectors as dashed lines when they are real. ``.result`` holds ``matrix_compute``'s
    output for the current sliders."""
    return MatrixExplorer(matrix)
