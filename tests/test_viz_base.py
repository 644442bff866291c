"""What every explorer promises: builds without error, every control moves it, the picture is
redrawn in place (the blitted frame equals a full redraw), the saved notebook carries a static PNG
that nbconvert shows, and nothing goes through pyplot."""
import base64
import io
import random
import subprocess
import sys
import textwrap

import ipywidgets as widgets
import nbformat
import numpy as np
import pytest
from PIL import Image

import dlmath.viz as viz
from dlmath.viz._base import DPI, Explorer, fast_png
from viz_helpers import assert_blit_matches_full_redraw, other_value, random_value

NAMES = [n for n in viz.__all__ if n != "widget_check"]


@pytest.fixture(scope="module")
def explorers():
    return {name: getattr(viz, name)() for name in NAMES}


def test_exported_explorers_are_the_ones_the_readme_lists():
    from pathlib import Path
    import re
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    listed = readme[readme.index("**Explorers**"):].split("\n\n")[0]
    assert set(NAMES) == set(re.findall(r"`(\w+)`", listed)) - {"dlmath"}, \
        "README's explorer list and dlmath.viz.__all__ disagree"
    assert {"gd_explorer", "conv_explorer", "backprop_stepper"} <= set(NAMES)
    with pytest.raises(AttributeError):
        viz.no_such_explorer


@pytest.mark.parametrize("name", NAMES)
def test_builds_into_a_widget_with_one_figure(explorers, name):
    ex = explorers[name]
    assert isinstance(ex, widgets.VBox) and isinstance(ex, Explorer)
    assert ex.error is None, ex.error
    assert ex.result is not None
    assert ex.image in ex.children and ex.readout in ex.children
    png = Image.open(io.BytesIO(ex.image.value))
    assert png.size == (round(ex.figsize[0] * DPI), round(ex.figsize[1] * DPI))
    assert ex.fig.canvas is ex.canvas


@pytest.mark.parametrize("name", NAMES)
def test_every_control_updates_and_blitting_is_exact(explorers, name):
    ex = explorers[name]
    for key, w in list(ex.controls.items()):
        before = ex.renders
        full_before = ex.full_draws
        w.value = other_value(w)
        assert ex.renders > before, f"{name}: changing {key} did not redraw"
        assert ex.error is None or isinstance(ex.error, str)
        if ex.error is None and ex.full_draws == full_before:
            assert_blit_matches_full_redraw(ex)
    assert ex.last_update_seconds is not None


@pytest.mark.parametrize("name", NAMES)
def test_random_control_sequences_stay_consistent(explorers, name):
    """Random walks over the controls: whatever the order, a cheap (blitted or partial) render
    shows exactly what a full redraw shows, and nothing raises."""
    ex = explorers[name]
    rng = random.Random(name)
    for _ in range(5):
        w = ex.controls[rng.choice(list(ex.controls))]
        full_before = ex.full_draws
        w.value = random_value(w, rng)
        if ex.error is None and ex.full_draws == full_before:
            assert_blit_matches_full_redraw(ex)


@pytest.mark.parametrize("name", NAMES)
def test_mimebundle_has_widget_png_and_text(explorers, name):
    ex = explorers[name]
    data, meta = ex._repr_mimebundle_()
    assert set(data) == {"application/vnd.jupyter.widget-view+json", "image/png", "text/plain"}
    assert data["text/plain"].startswith(name + ":")
    png = base64.b64decode(data["image/png"])
    assert Image.open(io.BytesIO(png)).size == Image.open(io.BytesIO(ex.image.value)).size
    np.testing.assert_array_equal(np.asarray(Image.open(io.BytesIO(png)).convert("RGB")),
                                  ex.frame())
    assert meta["image/png"]["alt"].startswith(name)


def test_nbconvert_html_shows_the_static_png_when_widget_state_is_stripped(explorers):
    from nbconvert import HTMLExporter
    nb = nbformat.v4.new_notebook()
    for name in ("gd_explorer", "conv_explorer"):
        data, meta = explorers[name]._repr_mimebundle_()
        cell = nbformat.v4.new_code_cell(f"viz.{name}()")
        cell.outputs = [nbformat.v4.new_output("execute_result", data=data, metadata=meta,
                                               execution_count=1)]
        nb.cells.append(cell)
    html, _ = HTMLExporter().from_notebook_node(nb)      # no metadata.widgets, as committed
    assert html.count('<img src="data:image/png;base64,') + \
        html.count('src="data:image/png;base64,') >= 2
    assert "application/vnd.jupyter.widget-view+json" not in html


def test_fast_png_round_trips():
    rgba = np.random.default_rng(0).integers(0, 256, (7, 5, 4), dtype=np.uint8)
    img = Image.open(io.BytesIO(fast_png(rgba)))
    np.testing.assert_array_equal(np.asarray(img), rgba)


def test_set_changes_several_controls_with_one_update(explorers):
    ex = explorers["matrix_explorer"]
    before = ex.renders
    ex.set(a=1.0, b=0.0, c=0.0, d=1.0)
    assert ex.renders == before + 1
    np.testing.assert_array_equal(ex.result["A"], np.eye(2))
    with pytest.raises(KeyError, match="no control"):
        ex.set(zz=1)


def test_errors_become_messages_not_tracebacks():
    ex = viz.conv_explorer()
    ex.controls["kernel"].value = "1 2; 3"
    assert "square" in ex.error
    assert "square" in ex.note.value
    assert ex._banner.get_visible()
    ex.controls["kernel"].value = "1 0 -1; 2 0 -2; 1 0 -1"
    assert ex.error is None and ex.note.value == "" and not ex._banner.get_visible()


def test_no_pyplot_and_no_global_figures():
    code = textwrap.dedent("""
        import sys
        import dlmath.viz as viz
        for name in ("matrix_explorer", "bayes_explorer", "finite_difference_explorer"):
            getattr(viz, name)()
        print("matplotlib.pyplot" in sys.modules)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- the layer, the kept views and the light rc context (dlmath.viz._base) ----------------------
class _Tiny(Explorer):
    """Two panels: a dynamic dot, a layer curve and title, and a slow control that moves the
    right panel's limits (a kept view)."""
    name = "tiny"
    figsize = (6, 2.5)

    def build(self):
        self.add("a", widgets.FloatSlider(value=1.0, min=0.5, max=3.0, step=0.5))
        self.add("x", widgets.FloatSlider(value=0.0, min=-1.0, max=1.0, step=0.1))
        self.ax1, self.ax2 = self.fig.subplots(1, 2)
        self.curve, = self.ax1.plot([], [], color="C1", lw=2)
        self.layer(self.curve, self.ax1.title, *self.ax1.spines.values())
        self.dot = self.dynamic(*self.ax1.plot([], [], "o", color="C0"))
        self.ax1.set_xlim(-1, 1)
        self.ax1.set_ylim(0, 3)
        self.line, = self.ax2.plot([0, 1], [0, 1], color="k")
        self.cache_axes(self.ax2)

    def compute(self):
        return self.values()

    def draw(self, r):
        xs = np.linspace(-1, 1, 50)
        if getattr(self, "_a", None) != r["a"]:
            self._a = r["a"]
            self.curve.set_data(xs, r["a"] * xs ** 2)
            self.ax1.set_title(f"a = {r['a']:g}")
            self.invalidate_layer(key=r["a"])
            self.ax2.set_ylim(0, r["a"])
        self.dot.set_data([r["x"]], [r["a"] * r["x"] ** 2])


def test_layer_and_kept_views_show_what_a_full_redraw_shows():
    ex = _Tiny()
    walk = [("a", 2.0), ("x", 0.5), ("a", 1.0), ("a", 2.0), ("x", -0.5), ("a", 3.0), ("a", 1.0),
            ("a", 2.0), ("x", 0.1)]
    for key, value in walk:
        ex.controls[key].value = value
        assert_blit_matches_full_redraw(ex)
    assert ex.layer_restores >= 1 and ex.view_restores >= 1


def test_moving_a_dynamic_artist_draws_no_layer_and_no_axes():
    ex = _Tiny()
    ex.controls["a"].value = 2.0
    counts = (ex.full_draws, ex.partial_draws, ex.layer_draws, ex.layer_restores)
    for x in (0.2, 0.4, -0.3):
        ex.controls["x"].value = x
    assert (ex.full_draws, ex.partial_draws, ex.layer_draws, ex.layer_restores) == counts
    assert_blit_matches_full_redraw(ex)


def test_a_removed_layer_artist_leaves_the_layer():
    ex = _Tiny()
    extra, = ex.ax1.plot([-1, 1], [2, 2], color="C2")
    ex.layer(extra)
    ex.invalidate_layer()
    ex.render()
    assert extra in ex._layer
    extra.remove()
    ex.invalidate_layer()
    ex.render()
    assert extra not in ex._layer
    assert_blit_matches_full_redraw(ex)


def test_invalidate_with_a_key_brings_the_kept_views_back():
    ex = _Tiny()
    ex.controls["a"].value = 2.0
    ex.invalidate(ex.ax2, key="plain")
    ex.controls["a"].value = 1.0
    ex.controls["a"].value = 2.0
    restores = ex.view_restores
    ex.invalidate(ex.ax2, key="other")           # a new static state: its own set of views
    ex.controls["a"].value = 1.0
    assert ex.view_restores == restores
    ex.invalidate(ex.ax2, key="plain")           # back: the view at a = 1 is kept under "plain"
    ex.render()
    assert ex.view_restores == restores + 1
    assert_blit_matches_full_redraw(ex)


def test_updates_leave_the_callers_rcparams_as_they_were():
    import matplotlib as mpl
    from dlmath.viz._base import RC, _rc
    before = {k: mpl.rcParams[k] for k in RC}
    with mpl.rc_context({"font.size": 13.0}):
        ex = _Tiny()
        ex.controls["a"].value = 2.0
        assert mpl.rcParams["font.size"] == 13.0
        with _rc():
            assert mpl.rcParams["font.size"] == RC["font.size"]
            with _rc():                           # nested: still the explorers' settings
                assert mpl.rcParams["font.size"] == RC["font.size"]
            assert mpl.rcParams["font.size"] == RC["font.size"]
        assert mpl.rcParams["font.size"] == 13.0
    assert {k: mpl.rcParams[k] for k in RC} == before


@pytest.mark.parametrize("name, walk", [
    ("momentum_explorer", [("kappa", 10.0), ("steps", 200), ("alpha", 0.01), ("kappa", 50.0),
                           ("rate_map", "Nesterov"), ("kappa", 10.0), ("steps", 100),
                           ("rate_map", "heavy ball"), ("kappa", 50.0), ("function", "Rosenbrock"),
                           ("beta", 0.5), ("function", "quadratic (κ, rotated)"),
                           ("kappa", 10.0)]),
    ("optimizer_race", [("function", "Himmelblau"), ("x0", 1.0), ("function", "saddle x² − y²"),
                        ("y0", 0.5), ("function", "Rosenbrock"), ("steps", 300),
                        ("function", "Himmelblau"), ("show_Adam", False), ("lr_SGD", 0.002),
                        ("function", "Rosenbrock"), ("steps", 200)]),
    ("distribution_explorer", [("distribution", "Normal"), ("mu", 1.0), ("sigma", 2.0),
                               ("mu", 0.0), ("n", 200), ("mu", 1.0), ("distribution", "Poisson"),
                               ("rate", 3.0), ("distribution", "Categorical"), ("w2", 0.5),
                               ("distribution", "Normal"), ("distribution", "Bernoulli"),
                               ("p", 0.7), ("distribution", "Exponential")]),
    ("conv_explorer", [("image", "ring"), ("position", 7), ("preset", "Laplacian"),
                       ("image", "digit"), ("mode", "max pool"), ("padding", 0),
                       ("mode", "convolution"), ("preset", "Sobel x"), ("image", "ring"),
                       ("stride", 2), ("position", 3), ("image", "digit")]),
    ("svd_explorer", [("image", "checkerboard"), ("k", 2), ("scale", "linear"),
                      ("image", "scene"), ("scale", "log"), ("image", "checkerboard"),
                      ("k", 1), ("scale", "linear"), ("image", "scene")]),
    ("landscape_explorer", [("azim", 30), ("surface", "Rosenbrock"), ("elev", 80),
                            ("surface", "Himmelblau"), ("log", True), ("azim", -60),
                            ("elev", 35), ("surface", "Rosenbrock"), ("elev", 80),
                            ("log", False), ("azim", 170)]),
    ("activation_explorer", [("activation", "tanh"), ("depth", 5), ("activation", "softmax"),
                             ("z0", -1.0), ("activation", "sigmoid"), ("init", "N(0, 1)"),
                             ("activation", "tanh"), ("depth", 20), ("activation", "softmax"),
                             ("activation", "ReLU")]),
    ("gd_explorer", [("function", "Rosenbrock"), ("steps", 120), ("mode", "1-D"), ("L", 9.0),
                     ("mode", "2-D"), ("function", "Himmelblau"), ("steps", 40),
                     ("function", "Rosenbrock"), ("lr", 0.01)]),
    ("information_explorer", [("base", 2), ("p0", 0.9), ("base", "e"), ("q1", 0.0),
                              ("base", 2)]),
    ("finite_difference_explorer", [("function", "exp(x)"), ("h", 1e-8), ("x0", 0.5),
                                    ("function", "sin(x)"), ("function", "exp(x)"),
                                    ("h", 1e-3)]),
])
def test_going_back_and_forth_shows_what_a_full_redraw_shows(name, walk):
    """Walks that come back to earlier states: restored layers and views, patched layers and
    partial redraws must give the pixels of a full redraw (checked every second move, so that
    the cheap paths also run after one another)."""
    ex = getattr(viz, name)()
    for i, (key, value) in enumerate(walk):
        ex.controls[key].value = value
        assert ex.error is None, ex.error
        if i % 2:
            assert_blit_matches_full_redraw(ex)
    assert_blit_matches_full_redraw(ex)
