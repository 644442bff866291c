"""Explorer 10 — low-rank approximation of an image by its SVD: rank slider, spectrum, error."""
import numpy as np
import ipywidgets as widgets
from matplotlib.ticker import MaxNLocator, NullFormatter

from .. import linalg
from . import _images
from ._base import COLORS, Explorer, fmt, table_html

__all__ = ["SVDCore", "svd_compute", "svd_explorer", "SVDExplorer", "SVD_IMAGES"]

SVD_IMAGES = {"scene": _images.scene, "shapes": _images.shapes,
              "digits": _images.digits_mosaic, "checkerboard": _images.checkerboard}


class SVDCore:
    """The SVD of one image, computed once; ``core(k)`` gives the rank-k picture and its numbers.

    ``singular_values`` (descending), ``error_curve[k]`` = ‖A − A_k‖_F / ‖A‖_F for k = 0 … r,
    ``energy[k]`` = fraction of Σσ² kept by the first k values (= 1 − error_curve[k]²).
    """

    def __init__(self, image):
        A = np.asarray(getattr(image, "data", image), dtype=float)
        if A.ndim != 2 or min(A.shape) < 1:
            raise ValueError(f"svd_explorer: the image must be a 2-D array, got shape {A.shape}")
        if not np.all(np.isfinite(A)):
            raise ValueError("svd_explorer: the image contains nan or inf")
        self.image = A
        self.U, self.s, self.Vt = linalg.svd(A)
        tol = (self.s[0] if len(self.s) else 0.0) * max(A.shape) * np.finfo(float).eps
        self.numerical_rank = int(np.sum(self.s > tol))
        self.rank_max = len(self.s)
        self.error_curve = np.array([linalg.low_rank_error(self.s, k, relative=True)
                                     for k in range(self.rank_max + 1)])
        total = float(np.sum(self.s ** 2))
        self.energy = np.concatenate([[0.0], np.cumsum(self.s ** 2)]) / (total if total else 1)

    def __call__(self, k):
        m, n = self.image.shape
        if not 0 <= k <= self.rank_max:
            raise ValueError(f"rank k must be between 0 and {self.rank_max}, got {k}")
        Ak = (self.U[:, :k] * self.s[:k]) @ self.Vt[:k]
        err = float(np.linalg.norm(self.image - Ak))
        norm = float(np.linalg.norm(self.image))
        return {
            "k": k, "reconstruction": Ak, "singular_values": self.s,
            "relative_error": err / norm if norm else 0.0,
            "relative_error_from_s": float(self.error_curve[k]),
            "spectral_error": float(self.s[k]) if k < self.rank_max else 0.0,
            "energy": float(self.energy[k]), "error_curve": self.error_curve,
            "storage": k * (m + n + 1) / (m * n), "shape": (m, n),
        }


def svd_compute(image, k):
    """The rank-k approximation of ``image`` and its numbers (see ``SVDCore``). The relative
    error ‖A − A_k‖_F/‖A‖_F equals √(σ²_{k+1} + … + σ²_r)/√(Σσ²) (Eckart–Young)."""
    return SVDCore(image)(k)


class SVDExplorer(Explorer):
    name = "svd_explorer"
    summary = "rank-k approximation of an image by its SVD, singular values and relative error"
    figsize = (9.8, 2.9)

    def __init__(self, image=None, k=5):
        self._custom = image
        self._k0 = k
        self._cores = {}
        super().__init__()

    def build(self):
        options = (["your image"] if self._custom is not None else []) + list(SVD_IMAGES)
        self.add("image", widgets.Dropdown(options=options, value=options[0],
                                           description="image", layout=widgets.Layout(width="200px")))
        core = self._core(options[0])
        self.add("k", widgets.IntSlider(value=min(self._k0, core.numerical_rank), min=0,
                                        max=max(core.numerical_rank, 1), description="rank k",
                                        continuous_update=True,
                                        layout=widgets.Layout(width="420px")))
        self.add("scale", widgets.ToggleButtons(options=["log", "linear"], value="log",
                                                description="σ axis",
                                                style={"button_width": "60px"}))
        axs = self.fig.subplots(1, 4, gridspec_kw={"width_ratios": [1, 1, 1.35, 1.35]})
        self.ax_img, self.ax_rec, self.ax_s, self.ax_err = axs
        for ax in (self.ax_img, self.ax_rec):
            ax.set_xticks([])
            ax.set_yticks([])
        self.ax_img.set_title("original")
        self.im_orig = self.ax_img.imshow(np.zeros((2, 2)), cmap="gray", vmin=0, vmax=1,
                                          interpolation="nearest")
        self.im_rec = self.dynamic(self.ax_rec.imshow(np.zeros((2, 2)), cmap="gray", vmin=0,
                                                      vmax=1, interpolation="nearest"))
        self.rec_title = self.dynamic(self.ax_rec.set_title(""))
        self.ax_s.set_title("singular values σᵢ")
        self.ax_s.set_xlabel("i")
        self.s_all, = self.ax_s.plot([], [], ".", color="0.65", ms=3)
        self.s_kept, = self.ax_s.plot([], [], ".", color=COLORS["blue"], ms=4)
        self.s_line = self.ax_s.axvline(0.5, color=COLORS["red"], lw=1)
        self.ax_err.set_title("relative error ‖A − A_k‖_F / ‖A‖_F")
        for ax in (self.ax_s, self.ax_err):
            ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        self.ax_err.set_xlabel("k")
        self.err_line, = self.ax_err.plot([], [], color=COLORS["purple"], lw=1.4)
        self.err_dot, = self.ax_err.plot([], [], "o", color=COLORS["red"], ms=5)
        self.err_text = self.ax_err.text(0.95, 0.9, "", transform=self.ax_err.transAxes,
                                         ha="right", fontsize=8)
        self.dynamic(self.s_kept, self.s_line, self.err_dot, self.err_text)
        self.cache_axes(self.ax_img, self.ax_rec, self.ax_s, self.ax_err)
        self._shown = None

    def _core(self, name):
        if name not in self._cores:
            img = self._custom if name == "your image" else SVD_IMAGES[name]()
            self._cores[name] = SVDCore(img)
        return self._cores[name]

    def compute(self):
        v = self.values()
        core = self._core(v["image"])
        top = max(core.numerical_rank, 1)
        if self.controls["k"].max != top:                 # a new image: new slider range
            with self.hold():
                self.controls["k"].max = top
        return core(min(self.controls["k"].value, core.numerical_rank))

    def _set_image(self, name, core, scale):
        """Static parts for a new image (original, full spectrum, error curve) or σ scale. Each
        panel's static state is keyed (by the image, and the scale for the spectrum), so that
        going back to an image or scale brings back the kept bitmaps of its panels instead of
        redrawing their ticks and labels; the layout is redone only when a panel no longer
        fits."""
        A = core.image
        lo, hi = float(A.min()), float(A.max())
        hi = hi if hi > lo else lo + 1
        self.im_orig.set_data(A)
        self.im_orig.set_clim(lo, hi)
        self.im_rec.set_clim(lo, hi)
        self.im_orig.set_extent((-0.5, A.shape[1] - 0.5, A.shape[0] - 0.5, -0.5))
        self.im_rec.set_extent((-0.5, A.shape[1] - 0.5, A.shape[0] - 0.5, -0.5))
        for ax in (self.ax_img, self.ax_rec):
            ax.set_xlim(-0.5, A.shape[1] - 0.5)
            ax.set_ylim(A.shape[0] - 0.5, -0.5)
        s = core.s
        i = np.arange(1, len(s) + 1)
        self.s_all.set_data(i, s)
        self.ax_s.set_yscale(scale)
        r = max(core.numerical_rank, 1)
        self.ax_s.set_xlim(0, r + 1)
        positive = s[s > 1e-12 * s[0]] if s[0] > 0 else np.array([1.0])
        if scale == "log":
            # at least two decades, and labels at powers of ten only (a narrow log range would
            # label its minor ticks too, wider than the layout left room for)
            self.ax_s.set_ylim(min(max(positive.min() * 0.5, s[0] * 1e-6), s[0] * 0.01), s[0] * 2)
            self.ax_s.yaxis.set_minor_formatter(NullFormatter())
        else:
            self.ax_s.set_ylim(0, s[0] * 1.05)
        ks = np.arange(len(core.error_curve))
        self.err_line.set_data(ks, core.error_curve)
        self.ax_err.set_xlim(-0.02 * r, r * 1.02)
        self.ax_err.set_ylim(0, 1.02)
        self.ax_img.set_title(f"original {A.shape[0]}×{A.shape[1]}, rank {core.numerical_rank}")
        if self._shown is None or self._shown[0] != name:
            self.invalidate(self.ax_img, self.ax_err, key=name)
        self.invalidate(self.ax_s, key=(name, scale))
        self.layout_if_needed()

    def draw(self, r):
        v = self.values()
        core = self._core(v["image"])
        if self._shown != (v["image"], v["scale"]):
            self._set_image(v["image"], core, v["scale"])
            self._shown = (v["image"], v["scale"])
        k = r["k"]
        self.im_rec.set_data(r["reconstruction"])
        self.rec_title.set_text(f"rank {k}: storage {100 * r['storage']:.0f} %")
        s = r["singular_values"]
        self.s_kept.set_data(np.arange(1, k + 1), s[:k])
        self.s_line.set_xdata([k + 0.5, k + 0.5])
        self.err_dot.set_data([k], [r["relative_error"]])
        self.err_text.set_text(f"k = {k}: {100 * r['relative_error']:.2f} %")
        self.readout.value = table_html([
            ["rank k", f"{k} of {len(s)}"],
            ["relative error ‖A − A_k‖_F/‖A‖_F", fmt(r["relative_error"])],
            ["√(σ²_{k+1} + … + σ²_r) / √(Σσ²) (Eckart–Young)", fmt(r["relative_error_from_s"])],
            ["spectral error ‖A − A_k‖₂ = σ_{k+1}", fmt(r["spectral_error"])],
            ["energy kept Σ_{i≤k} σᵢ² / Σσᵢ²", f"{100 * r['energy']:.2f} %"],
            ["numbers stored k(m + n + 1) / (mn)", f"{100 * r['storage']:.1f} %"],
        ])


def svd_explorer(image=None, k=5):
    """Approximate an image by its best rank-k matrix A_k = Σ_{i≤k} σᵢuᵢvᵢᵀ: a rank slider, the
    original and A_k side by side, the singular values (kept ones highlighted) and the relative
    error against k. ``image`` (a 2-D array) adds "your image" to the built-in ones."""
    return SVDExplorer(image, k)
