"""Explorer 14 — the condition number: how much a linear system Ax = b amplifies an error in b.

A 2×2 matrix with a chosen condition number κ is built from its SVD with fixed rotations,

    A = U diag(1, 1/κ) Vᵀ,   U = rotation by 30°,   V = rotation by −15°,

so σ_max = 1, σ_min = 1/κ and κ(A) = σ_max/σ_min = κ. Change b by δb; the solution changes by
δx = A⁻¹δb, and

    ‖δx‖/‖x‖ ≤ κ · ‖δb‖/‖b‖,

with equality exactly when b lies along u₁ (the most-stretched output direction) and δb along u₂
(the least-stretched one). ``conditioning_compute`` returns both sides of the bound, measured, and
the amplification for every direction of δb.
"""
import math

import numpy as np
import ipywidgets as widgets
from matplotlib.patches import FancyArrowPatch

from .. import linalg
from ._base import COLORS, Explorer, PathText, fmt, table_html

__all__ = ["rotation", "conditioned_matrix", "conditioning_compute", "conditioning_explorer",
           "ConditioningExplorer", "U_ANGLE", "V_ANGLE", "KAPPA_MAX"]

U_ANGLE, V_ANGLE = 30.0, -15.0          # degrees: the fixed rotations U and V
KAPPA_MAX = 1e4
REL_MIN, REL_MAX = 1e-4, 1e-1
DIRECTIONS = np.linspace(0.0, 180.0, 181)   # δb and −δb give the same amplification
SHOWN = 0.3                              # δb is drawn with length SHOWN (in units of ‖b‖)


def rotation(degrees):
    """The 2×2 rotation by ``degrees`` counter-clockwise."""
    t = math.radians(degrees)
    return np.array([[math.cos(t), -math.sin(t)], [math.sin(t), math.cos(t)]])


def _unit(degrees):
    t = np.radians(degrees)
    return np.stack([np.cos(t), np.sin(t)], axis=-1)


def conditioned_matrix(kappa, u_angle=U_ANGLE, v_angle=V_ANGLE):
    """A = U diag(1, 1/κ) Vᵀ with U, V the rotations by ``u_angle``, ``v_angle`` degrees: a 2×2
    matrix with singular values 1 and 1/κ, so condition number κ (κ ≥ 1)."""
    kappa = float(kappa)
    if not (kappa >= 1 and math.isfinite(kappa)):
        raise ValueError(f"the condition number κ must be a finite number ≥ 1, got {kappa}")
    return rotation(u_angle) @ np.diag([1.0, 1.0 / kappa]) @ rotation(v_angle).T


def conditioning_compute(kappa, b_angle, db_angle, rel_size):
    """Solve Ax = b and A(x + δx) = b + δb for A = ``conditioned_matrix(kappa)``, b the unit
    vector at ``b_angle`` degrees and δb = ``rel_size`` · ‖b‖ · (unit vector at ``db_angle``).

    Returns a dict with ``A``; its SVD ``U, s, Vt`` (``dlmath.linalg.svd``) and ``kappa`` =
    s[0]/s[1]; ``b``, ``db``, ``x``, ``dx`` (δx from solving the perturbed system); ``rel_b`` =
    ‖δb‖/‖b‖, ``rel_x`` = ‖δx‖/‖x‖, ``bound`` = κ · rel_b, ``amplification`` = rel_x / rel_b (≤ κ);
    ``curve`` — the amplification for each δb direction in ``DIRECTIONS`` (degrees, 0–180°);
    ``best_for_b`` — its largest value for this b, ‖b‖/(σ_min‖x‖), which reaches κ only when b
    lies along u₁; ``worst_b_angle``/``worst_db_angle`` — the directions of u₁ and u₂, the
    columns of U (where the bound is attained); and ``ellipse`` — the points x + A⁻¹δb for every
    δb of this size, in units of ‖x‖ and with δb scaled to length ``SHOWN`` (what the picture
    draws).
    """
    rel_size = float(rel_size)
    if not (rel_size > 0 and math.isfinite(rel_size)):
        raise ValueError(f"the relative size ‖δb‖/‖b‖ must be > 0, got {rel_size}")
    A = conditioned_matrix(kappa)
    U, s, Vt = linalg.svd(A)
    b = _unit(b_angle)
    db = rel_size * np.linalg.norm(b) * _unit(db_angle)
    x = np.linalg.solve(A, b)
    dx = np.linalg.solve(A, b + db) - x          # the perturbed system, solved afresh
    nb, nx = np.linalg.norm(b), np.linalg.norm(x)
    rel_b, rel_x = np.linalg.norm(db) / nb, np.linalg.norm(dx) / nx
    k = float(s[0] / s[-1])
    dirs = _unit(DIRECTIONS)                                     # (m, 2) unit δb directions
    gains = np.linalg.norm(np.linalg.solve(A, dirs.T), axis=0) * nb / nx
    scale = SHOWN / rel_b                                        # drawn: δb of length SHOWN·‖b‖
    circle = linalg.unit_circle(121)
    ellipse = (x + scale * rel_size * nb * np.linalg.solve(A, circle.T).T) / nx
    u1_angle, u2_angle = U_ANGLE % 180, (U_ANGLE + 90) % 180   # U's columns (any, if κ = 1)
    return {"A": A, "U": U, "s": s, "Vt": Vt, "kappa": k, "kappa_asked": float(kappa),
            "b": b, "db": db, "x": x, "dx": dx, "rel_b": float(rel_b), "rel_x": float(rel_x),
            "bound": k * float(rel_b), "amplification": float(rel_x / rel_b),
            "curve": gains, "best_for_b": float(nb / (s[-1] * nx)),
            "worst_b_angle": u1_angle, "worst_db_angle": u2_angle,
            "scale": scale, "ellipse": ellipse, "b_angle": float(b_angle),
            "db_angle": float(db_angle) % 360}


class ConditioningExplorer(Explorer):
    name = "conditioning_explorer"
    summary = "a 2×2 system Ax = b with condition number κ: how much an error in b grows in x"
    figsize = (9.8, 3.4)

    def __init__(self, kappa=20.0, b_angle=50.0, db_angle=120.0, rel_size=0.01):
        self._init = (kappa, b_angle, db_angle, rel_size)
        super().__init__()

    def build(self):
        kappa, b_angle, db_angle, rel_size = self._init
        def lay():                       # one Layout per control: hiding one hides only it
            return widgets.Layout(width="330px")
        self.kappa = self.add("kappa", widgets.FloatLogSlider(
            value=kappa, base=10, min=0, max=math.log10(KAPPA_MAX), step=0.01,
            description="condition number κ", readout_format=".3g", layout=lay()))
        self.b_angle = self.add("b_angle", widgets.FloatSlider(
            value=b_angle, min=0, max=180, step=1, description="direction of b (°)",
            readout_format=".0f", layout=lay()))
        self.db_angle = self.add("db_angle", widgets.FloatSlider(
            value=db_angle, min=0, max=360, step=1, description="direction of δb (°)",
            readout_format=".0f", layout=lay()))
        self.rel_size = self.add("rel_size", widgets.FloatLogSlider(
            value=rel_size, base=10, min=math.log10(REL_MIN), max=math.log10(REL_MAX),
            step=0.05, description="size ‖δb‖/‖b‖", readout_format=".2g", layout=lay()))
        self.worst = widgets.Button(description="worst case: b ∥ u₁, δb ∥ u₂",
                                    layout=widgets.Layout(width="230px"))
        self.worst.on_click(lambda _: self.use_worst_case())

        ax_b, ax_x, ax_bar, ax_c = self.fig.subplots(
            1, 4, gridspec_kw={"width_ratios": [1, 1, 0.8, 1.15]})
        self.ax_b, self.ax_x, self.ax_bar, self.ax_c = ax_b, ax_x, ax_bar, ax_c
        circ = linalg.unit_circle(121)
        for ax, title in ((ax_b, "b-plane: b and b + δb"),
                          (ax_x, "x-plane (units of ‖x‖)")):
            ax.set_aspect("equal")
            ax.set_xlim(-1.45, 1.45)
            ax.set_ylim(-1.45, 1.45)
            ax.axhline(0, color="0.85", lw=0.6)
            ax.axvline(0, color="0.85", lw=0.6)
            ax.plot(circ[:, 0], circ[:, 1], color="0.8", lw=0.8)
            ax.set_title(title)
            ax.tick_params(labelsize=7)
        u1, u2 = rotation(U_ANGLE).T
        for v, name, c in ((u1, "u₁", COLORS["gray"]), (u2, "u₂", COLORS["purple"])):
            ax_b.plot([-1.6 * v[0], 1.6 * v[0]], [-1.6 * v[1], 1.6 * v[1]], ls=":", lw=1, color=c)
            ax_b.text(1.2 * v[0] + 0.12 * v[1], 1.2 * v[1] - 0.12 * v[0], name, fontsize=8,
                      color=c, ha="center", va="center")
        v1, v2 = rotation(V_ANGLE).T
        for v, name, c in ((v1, "v₁", COLORS["gray"]), (v2, "v₂", COLORS["purple"])):
            ax_x.plot([-1.6 * v[0], 1.6 * v[0]], [-1.6 * v[1], 1.6 * v[1]], ls=":", lw=1, color=c)
            ax_x.text(1.2 * v[0] + 0.12 * v[1], 1.2 * v[1] - 0.12 * v[0], name, fontsize=8,
                      color=c, ha="center", va="center")

        def arrow(ax, color, lw=1.6):
            a = FancyArrowPatch((0, 0), (1, 0), arrowstyle="-|>", mutation_scale=10, lw=lw,
                                color=color, shrinkA=0, shrinkB=0, zorder=4)
            ax.add_patch(a)
            return self.dynamic(a)
        self.b_arrow = arrow(ax_b, COLORS["blue"])
        self.bp_arrow = arrow(ax_b, COLORS["red"], 1.2)
        self.db_circle, = ax_b.plot([], [], color=COLORS["red"], lw=0.8, ls="--")
        self.x_arrow = arrow(ax_x, COLORS["blue"])
        self.xp_arrow = arrow(ax_x, COLORS["red"], 1.2)
        self.dx_ellipse, = ax_x.plot([], [], color=COLORS["red"], lw=0.8, ls="--")
        ax_b.text(0.03, 0.03, f"δb drawn with length {SHOWN:g}‖b‖", transform=ax_b.transAxes,
                  fontsize=7)
        ax_x.text(0.03, 0.03, "δx to the same scale", transform=ax_x.transAxes, fontsize=7)
        self.dynamic(self.db_circle, self.dx_ellipse)

        ax_bar.set_yscale("log")
        ax_bar.set_ylim(1e-8, 1e4)
        ax_bar.set_xlim(-0.6, 2.6)
        ax_bar.set_xticks([0, 1, 2], ["‖δb‖/‖b‖", "‖δx‖/‖x‖", "κ‖δb‖/‖b‖"], fontsize=7)
        ax_bar.set_title("relative errors")
        self.bars = ax_bar.bar([0, 1, 2], [1, 1, 1], bottom=1e-8, width=0.65,
                               color=[COLORS["red"], COLORS["orange"], "0.75"])
        self.bar_texts = [PathText(ax_bar, i, 1, "", size=7, ha="center", va="bottom")
                          for i in range(3)]
        self.dynamic(*self.bars, *self.bar_texts)
        self.verdict = self.dynamic(PathText(ax_bar, 0.5, 0.97, "", size=7.5, ha="center",
                                             va="top", transform=ax_bar.transAxes))

        ax_c.set_yscale("log")
        ax_c.set_xlim(0, 180)
        ax_c.set_ylim(0.5 / KAPPA_MAX, 2 * KAPPA_MAX)
        ax_c.set_xticks([0, 45, 90, 135, 180])
        ax_c.set_xlabel("direction of δb (°, mod 180)")
        ax_c.set_title("amplification (‖δx‖/‖x‖)/(‖δb‖/‖b‖)")
        ax_c.axhline(1, color="0.7", lw=0.7)
        self.curve, = ax_c.plot(DIRECTIONS, np.ones_like(DIRECTIONS), color="k", lw=1.3)
        self.kappa_line, = ax_c.plot([0, 180], [1, 1], color=COLORS["red"], ls="--", lw=1)
        self.kappa_text = PathText(ax_c, 3, 1, "", size=7.5, color=COLORS["red"], va="bottom")
        self.amp_dot, = ax_c.plot([], [], "o", color=COLORS["orange"], mec="k", mew=0.6, ms=6)
        self.dynamic(self.curve, self.kappa_line, self.kappa_text, self.amp_dot)

    def control_rows(self):
        c = self.controls
        return [widgets.HBox([c["kappa"], c["rel_size"], self.worst],
                             layout=widgets.Layout(flex_flow="row wrap")),
                widgets.HBox([c["b_angle"], c["db_angle"]],
                             layout=widgets.Layout(flex_flow="row wrap"))]

    def use_worst_case(self):
        """b along u₁ and δb along u₂: the bound is attained."""
        self.set(b_angle=round(U_ANGLE % 180), db_angle=round((U_ANGLE + 90) % 360))

    def compute(self):
        v = self.values()
        return conditioning_compute(v["kappa"], v["b_angle"], v["db_angle"], v["rel_size"])

    def draw(self, r):
        b, db, x, dx = r["b"], r["db"], r["x"], r["dx"]
        nx = np.linalg.norm(x)
        sc = r["scale"]
        self.b_arrow.set_positions((0, 0), tuple(b))
        self.bp_arrow.set_positions(tuple(b), tuple(b + sc * db))
        circ = linalg.unit_circle(121)
        ring = b + SHOWN * np.linalg.norm(b) * circ
        self.db_circle.set_data(ring[:, 0], ring[:, 1])
        xs = x / nx
        self.x_arrow.set_positions((0, 0), tuple(xs))
        self.xp_arrow.set_positions(tuple(xs), tuple(xs + sc * dx / nx))
        self.dx_ellipse.set_data(r["ellipse"][:, 0], r["ellipse"][:, 1])
        vals = (r["rel_b"], r["rel_x"], r["bound"])
        for bar, t, val in zip(self.bars, self.bar_texts, vals):
            bar.set_height(max(val, 1e-8) - 1e-8)
            t.set_position((t.get_position()[0], min(max(val, 1e-8), 1e4) * 1.3))
            t.set_text(f"{val:.2g}")
        ok = r["rel_x"] <= r["bound"] * (1 + 1e-9)
        attained = r["rel_x"] >= r["bound"] * (1 - 1e-6)
        self.verdict.set_text("measured = bound (attained)" if attained else
                              f"measured = {r['rel_x'] / r['bound']:.2g} × bound" if ok else
                              "bound violated?!")
        self.curve.set_ydata(r["curve"])
        self.kappa_line.set_ydata([r["kappa"]] * 2)
        self.kappa_text.set_position((3, r["kappa"] * 1.15))
        self.kappa_text.set_text(f"bound κ = {r['kappa']:.3g}")
        self.amp_dot.set_data([r["db_angle"] % 180], [r["amplification"]])
        A = r["A"]
        self.readout.value = table_html([
            ["A = U diag(1, 1/κ) Vᵀ", f"[[{A[0, 0]:.4g}, {A[0, 1]:.4g}], "
                                      f"[{A[1, 0]:.4g}, {A[1, 1]:.4g}]]"],
            ["singular values σ_max, σ_min (dlmath.linalg.svd)",
             f"{fmt(r['s'][0])}, {fmt(r['s'][1])};  κ = σ_max/σ_min = {fmt(r['kappa'])}"],
            ["b, x = A⁻¹b", f"({b[0]:.3g}, {b[1]:.3g}),  ({x[0]:.4g}, {x[1]:.4g})"],
            ["‖δx‖/‖x‖ measured ≤ κ‖δb‖/‖b‖ bound",
             f"{fmt(r['rel_x'])} ≤ {fmt(r['bound'])}"],
            ["amplification (measured / relative change in b)",
             f"{fmt(r['amplification'])} (at most {fmt(r['best_for_b'])} for this b; "
             f"κ = {fmt(r['kappa'])} when b ∥ u₁)"],
            ["where the bound is attained", f"b at {r['worst_b_angle']:.0f}° (u₁), δb at "
                                            f"{r['worst_db_angle']:.0f}° (u₂)"],
        ])

    def on_error(self, message):
        self.readout.value = ""


def conditioning_explorer(kappa=20.0, b_angle=50.0, db_angle=120.0, rel_size=0.01):
    """Perturb the right-hand side of a 2×2 system Ax = b, with A = U diag(1, 1/κ) Vᵀ (fixed
    rotations U, V; κ from a slider). Left: b and b + δb, with the circle of every δb of that
    size; middle: x and x + δx in units of ‖x‖, and the ellipse A⁻¹ makes of that circle; right:
    the relative errors ‖δb‖/‖b‖, ‖δx‖/‖x‖ and the bound κ‖δb‖/‖b‖ as bars, and the
    amplification for every direction of δb under the line κ. The button puts b along u₁ and δb
    along u₂, where the bound is attained. ``.result`` is ``conditioning_compute``'s output."""
    return ConditioningExplorer(kappa, b_angle, db_angle, rel_size)
