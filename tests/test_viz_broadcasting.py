"""Explorer 13 (notebook 01): broadcasting. The rule, written out, must agree with NumPy on every
pair of small shapes; the element map must reproduce np.broadcast_to and A + B; the picture must
show the table, the stretched copies and the broken rule."""
import itertools

import numpy as np
import pytest

from dlmath.viz import broadcasting_explorer
from dlmath.viz.broadcasting import (BROADCAST_EXAMPLES, broadcast_compute, broadcast_rule,
                                     broadcast_shape, grid_cells, parse_shape)
from viz_helpers import assert_blit_matches_full_redraw

SMALL = [s for n in range(4) for s in itertools.product((1, 2, 3), repeat=n)]   # 40 shapes


def test_the_rule_agrees_with_numpy_on_every_pair_of_small_shapes():
    ok = failed = 0
    for a, b in itertools.product(SMALL, repeat=2):
        r = broadcast_rule(a, b)
        try:
            expected = np.broadcast_shapes(a, b)
        except ValueError:
            expected = None
        assert r["result"] == expected, (a, b)
        assert (r["error"] is None) == (expected is not None), (a, b)
        if expected is None:
            failed += 1
        else:
            ok += 1
    assert ok > 0 and failed > 0


def test_the_rule_pads_on_the_left_and_names_the_broken_axis():
    r = broadcast_rule((2, 3, 4), (3, 1))
    assert r["padded_b"] == (1, 3, 1) and r["added_b"] == 1 and r["added_a"] == 0
    assert [ax["status"] for ax in r["axes"]] == ["stretch B", "equal", "stretch B"]
    assert [ax["axis"] for ax in r["axes"]] == [-3, -2, -1]
    assert r["axes"][0]["padded_b"] and not r["axes"][1]["padded_b"]
    assert broadcast_rule((4, 3), (4,))["error"] == "axis −1: 3 vs 4, neither is 1"
    two = broadcast_rule((2, 3), (4, 5))["error"]
    assert two == "axis −2: 2 vs 4, neither is 1; axis −1: 3 vs 5, neither is 1"
    assert broadcast_rule((), (2, 3))["result"] == (2, 3)
    assert broadcast_shape((3, 1), (1, 4)) == (3, 4)
    with pytest.raises(ValueError, match=r"\(32, 64\) and \(32,\) do not broadcast: axis −1"):
        broadcast_shape((32, 64), (32,))


def test_the_element_map_is_numpys_broadcast_to_and_a_plus_b():
    rng = np.random.default_rng(0)
    pairs = [(a, b) for a, b in itertools.product(SMALL, repeat=2)
             if broadcast_rule(a, b)["result"] is not None]
    for a, b in pairs[::7] + [((2, 3, 8, 8), (3, 1, 1)), ((), ())]:
        A, B = rng.normal(size=a), rng.normal(size=b)
        r = broadcast_compute(a, b)
        res = r["result"]
        np.testing.assert_array_equal(np.ravel(A)[r["a_source"]], np.broadcast_to(A, res))
        np.testing.assert_array_equal(np.ravel(B)[r["b_source"]], np.broadcast_to(B, res))
        np.testing.assert_array_equal(np.ravel(A)[r["a_source"]] + np.ravel(B)[r["b_source"]],
                                      A + B)
        # each element of A sits in its own place exactly once; every other cell is a copy
        assert r["a_own"].sum() == np.size(A) and r["b_own"].sum() == np.size(B)
        assert sorted(r["a_source"][r["a_own"]].tolist()) == list(range(np.size(A)))


def test_the_chosen_element_names_its_sources():
    r = broadcast_compute((3, 1), (1, 4), cell=6)
    assert r["cell_index"] == (1, 2) and r["a_index"] == (1, 0) and r["b_index"] == (0, 2)
    assert r["formula"] == "C[1, 2] = A[1, 0] + B[0, 2]"
    r = broadcast_compute((2, 3, 4), (3, 1), cell=23)
    assert r["formula"] == "C[1, 2, 3] = A[1, 2, 3] + B[2, 0]"
    assert broadcast_compute((), (2,), cell=1)["formula"] == "C[1] = A + B[1]"
    assert broadcast_compute((2,), (3,))["formula"] == ""
    assert not broadcast_compute((2, 3, 8, 8), (3, 1, 1))["drawable"]
    assert "too large" in broadcast_compute((32, 64), (64,))["why_not"]
    huge = broadcast_compute((10 ** 6, 1, 10 ** 6), (1000, 1), cell=5)    # no 10¹⁵-cell map
    assert huge["size"] == 10 ** 15 and "a_source" not in huge and "too many" in huge["why_not"]
    assert huge["formula"] == "C[0, 0, 5] = A[0, 0, 5] + B[0, 0]"
    # the one-element rule agrees with the element map wherever both exist
    for a, b in [((3, 1, 5), (4, 1)), ((2, 3, 4), (3, 1)), ((1,), (2, 2))]:
        r0 = broadcast_compute(a, b)
        for cell in range(r0["size"]):
            r = broadcast_compute(a, b, cell)
            assert r["a_index"] == tuple(int(i) for i in np.unravel_index(
                r["a_source"].flat[cell], a)), (a, b, cell)
            assert r["b_index"] == tuple(int(i) for i in np.unravel_index(
                r["b_source"].flat[cell], b)), (a, b, cell)


def test_parse_shape():
    for text in ("2, 1, 4", "(2, 1, 4)", "2 1 4", "2×1×4", "[2,1,4]", " 2,1,4 "):
        assert parse_shape(text) == (2, 1, 4), text
    assert parse_shape("") == () and parse_shape("()") == () and parse_shape("(3,)") == (3,)
    with pytest.raises(ValueError, match="could not read a shape"):
        parse_shape("1 2 1; 0 0 0")
    with pytest.raises(ValueError, match="could not read a shape"):
        parse_shape("2, -1")
    with pytest.raises(ValueError, match="at least 1"):
        parse_shape("0, 3")
    with pytest.raises(ValueError, match="at most 5 axes"):
        parse_shape("1,1,1,1,1,1")


def test_grid_cells_fit_the_box_and_draw_back_layers_first():
    polys, order = grid_cells((3, 4, 5), (0, 0, 2, 2))
    assert polys.shape == (60, 4, 2)
    assert polys[..., 0].min() >= 0 and polys[..., 0].max() <= 2
    assert polys[..., 1].min() >= 0 and polys[..., 1].max() <= 2
    layer = np.arange(60) // 20
    assert np.all(np.diff(layer[order]) <= 0)               # layer 2 (back) first, 0 last
    # row 0 on top, column 0 on the left (front layer)
    assert polys[0, 0, 1] > polys[5, 0, 1] and polys[0, 0, 0] < polys[1, 0, 0]
    assert grid_cells((), (0, 0, 1, 1))[0].shape == (1, 4, 2)


@pytest.fixture(scope="module")
def ex():
    return broadcasting_explorer()


def test_table_shows_padding_stretching_and_the_result(ex):
    ex.set(shape_a="2, 3, 4", shape_b="3, 1")
    assert ex.error is None and ex.result["result"] == (2, 3, 4)
    first = 5 - 3                                             # right-aligned in 5 columns
    rows = [[t.get_text() for t in row[first:]] for row in ex.table_texts]
    assert rows == [["2", "3", "4"], ["1", "3", "1"], ["2", "3", "4"]]
    assert not any(t.get_visible() for row in ex.table_texts for t in row[:first])
    gray = np.array([0.5, 0.5, 0.5, 1.0])
    assert np.allclose(ex.table_texts[1][first].get_facecolor(), gray)     # an added 1
    assert not np.allclose(ex.table_texts[1][first + 2].get_facecolor(), gray)
    colors = ex.table_bg.get_facecolors()                     # order: per axis A, B, result
    yellow = np.array([1.0, 0xe6 / 255, 0x80 / 255, 1.0])
    stretched = [np.allclose(c, yellow) for c in colors]
    assert stretched == [False, True, False, False, False, False, False, True, False]
    assert "C has shape (2, 3, 4)" in ex.verdict.get_text()
    assert "np.broadcast_shapes says</td><td style='padding:0 10px 0 0'>(2, 3, 4)" in \
        ex.readout.value


def test_grids_show_copies_faded_and_c_made_of_both(ex):
    ex.set(shape_a="3, 1", shape_b="1, 4", cell=0)
    r = ex.result
    polys, order = ex._polys[0]
    assert len(ex.grids[0].get_paths()) == 12 and len(ex.grids[2].get_paths()) == 24
    fa = ex.grids[0].get_facecolors()
    own = r["a_own"].ravel()[order]
    src = r["a_source"].ravel()[order]
    lightness = fa[:, :3].mean(axis=1)
    assert np.all(lightness[~own] > lightness[own].max() - 1e-12)   # copies are paler
    for s in range(3):                                          # one hue per element of A
        same = fa[(src == s) & ~own]
        assert np.allclose(same, same[0])
    edge = ex.grids[1].get_edgecolors()
    assert (edge[:, 0] < 0.3).sum() == 4                       # the 4 elements of B, outlined
    ex.controls["cell"].value = 6                               # C[1, 2]
    np.testing.assert_allclose(ex.marks[2].get_xy()[:4], ex._polys[2][0][6])
    assert ex.formula.get_text() == "C[1, 2] = A[1, 0] + B[0, 2]"
    assert_blit_matches_full_redraw(ex)


def test_a_broken_rule_is_shown_not_raised(ex):
    ex.controls["example"].value = "(4, 3) and (4,)"
    assert (ex.shape_a.value, ex.shape_b.value) == ("4, 3", "4")
    assert ex.error is None and ex.result["result"] is None
    assert ex.verdict.get_text() == "✗ axis −1: 3 vs 4, neither is 1"
    assert ex.table_texts[2][4].get_text() == "✗"
    assert not any(g.get_visible() for g in ex.grids)
    assert "do not broadcast" in ex.nodraw.get_text() and ex.nodraw.get_visible()
    assert ex.cell.disabled
    assert_blit_matches_full_redraw(ex)
    ex.shape_b.value = "4, 1"                                   # the fix
    assert ex.result["result"] == (4, 3) and ex.example.value == "(4, 3) and (4, 1)"
    assert all(g.get_visible() for g in ex.grids) and not ex.cell.disabled


def test_typing_errors_become_messages_and_examples_follow_the_text(ex):
    ex.shape_a.value = "2; 3"
    assert "could not read a shape" in ex.error and ex.example.value == "custom"
    ex.shape_a.value = "2, 3"
    ex.shape_b.value = "3"
    assert ex.error is None and ex.example.value == "(2, 3) and (3,)"
    ex.set(shape_a="2, 3, 8, 8", shape_b="3, 1, 1")
    assert "only up to 3 axes" in ex.nodraw.get_text()
    assert ex.result["result"] == (2, 3, 8, 8)
    ex.set(shape_a="1000000, 1, 1000000", shape_b="1000, 1")       # 10¹⁵ elements: no map
    assert ex.error is None and ex.cell.max == 99_999 and "too many" in ex.nodraw.get_text()
    ex.set(shape_a="3, 1, 5", shape_b="4, 1", cell=59)          # the slider follows the shapes
    assert ex.cell.max == 59 and ex.result["cell_index"] == (2, 3, 4)


def test_every_example_builds():
    ex = broadcasting_explorer("2, 3, 4", "3, 1")
    assert ex.example.value == "(2, 3, 4) and (3, 1)"
    for name, (a, b) in BROADCAST_EXAMPLES.items():
        ex.example.value = name
        assert ex.error is None, (name, ex.error)
        expected = None
        try:
            expected = np.broadcast_shapes(parse_shape(a), parse_shape(b))
        except ValueError:
            pass
        assert ex.result["result"] == expected, name


# -- PathText (dlmath.viz._base), the cached-outline label these explorers draw with ------------
def _ink_box(fig, canvas):
    canvas.draw()
    rgb = np.asarray(canvas.buffer_rgba())[..., :3].astype(int)
    rows, cols = np.nonzero(rgb.sum(axis=2) < 600)
    return rows.min(), rows.max(), cols.min(), cols.max()


def test_path_text_is_placed_and_sized_like_text():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from dlmath.viz._base import PathText

    def figure():
        fig = Figure(figsize=(3, 1), dpi=100)
        canvas = FigureCanvasAgg(fig)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, 3)
        ax.set_ylim(0, 1)
        ax.axis("off")
        return fig, canvas, ax
    fig, canvas, ax = figure()
    label = PathText(ax, 1.5, 0.5, "grad −0.9151", size=10, ha="center", va="center")
    r0, r1, c0, c1 = _ink_box(fig, canvas)
    assert abs((c0 + c1) / 2 - 150) <= 2 and abs((r0 + r1) / 2 - 50) <= 3
    fig2, canvas2, ax2 = figure()
    ax2.text(1.5, 0.5, "grad −0.9151", fontsize=10, ha="center", va="center")
    q0, q1, d0, d1 = _ink_box(fig2, canvas2)
    assert abs((c1 - c0) - (d1 - d0)) <= 0.1 * (d1 - d0)           # same width, ±10 %
    assert abs((r1 - r0) - (q1 - q0)) <= 2
    path = label.get_path()
    label.set_text("grad −0.9151")
    assert label.get_path() is path and label.get_text() == "grad −0.9151"
    other = PathText(ax, 0.5, 0.5, "grad −0.9151", size=10)
    assert other.get_path() is path                                 # one outline per string
    label.set_text("")
    other.set_visible(False)
    canvas.draw()
    assert np.asarray(canvas.buffer_rgba())[..., :3].min() == 255     # nothing drawn
