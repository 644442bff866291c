"""The receptive-field explorer: output sizes, field sizes and jumps must follow the formulas
(checked on hand-worked stacks), the exact input set must be the support of the autograd gradient
of the chosen cell through dlmath's conv2d / pools (and the path counts that gradient itself, with
all-ones kernels and sum pools), dilation must leave holes, and clicking a cell of the grid must
pick it."""
import numpy as np
import pytest

import dlmath
import dlmath.nn.functional as F
from dlmath.viz import receptive_field_explorer
from dlmath.viz.receptive_field import (GRID_MAX, MAX_LAYERS, normalize_layers, output_sizes,
                                        receptive_field_compute)
from viz_helpers import assert_blit_matches_full_redraw


def autograd_counts(layers, n, cell, pool="sum", seed=0):
    """∂(output cell)/∂(input) by dlmath autograd: all-ones conv kernels, pools as sums
    (avg_pool2d · k²) or as max pools on a random positive input."""
    rng = np.random.default_rng(seed)
    x = dlmath.tensor(rng.uniform(0.5, 1.5, (1, 1, n, n)), requires_grad=True)
    y = x
    for L in normalize_layers(layers):
        if L["type"] == "conv":
            w = dlmath.tensor(np.ones((1, 1, L["k"], L["k"])))
            y = F.conv2d(y, w, stride=L["s"], padding=L["p"], dilation=L["d"])
        elif L["type"] == "max pool":
            if pool == "sum":
                y = F.avg_pool2d(y, L["k"], L["s"], L["p"]) * (L["k"] ** 2)
            else:
                y = F.max_pool2d(y, L["k"], L["s"], L["p"])
    y[0, 0, cell[0], cell[1]].backward()
    return np.asarray(x.grad.data)[0, 0], y.shape[-1]


def test_one_dilated_layer_touches_every_other_pixel():
    r = receptive_field_compute([("conv", 3, 1, 2, 0)], 8, (0, 0))
    assert r["sizes"] == [8, 4] and r["r"] == 5 and r["jump"] == 1
    np.testing.assert_array_equal(np.flatnonzero(r["row_counts"][0]), [0, 2, 4])
    support = np.zeros((8, 8), bool)
    support[np.ix_([0, 2, 4], [0, 2, 4])] = True
    np.testing.assert_array_equal(r["support"], support)
    assert r["touched"] == 9 and r["box_inside"] == 25 and r["holes"] == 16


@pytest.mark.parametrize("layers, n, sizes, rs, jumps", [
    # three 3×3 convs (VGG): r = 3, 5, 7; sizes 32 − 2 per layer
    ([("conv", 3), ("conv", 3), ("conv", 3)], 32, [32, 30, 28, 26], [3, 5, 7], [1, 1, 1]),
    # conv 3, pool 2/2, conv 3: r = 3, 3 + 1·1 = 4, 4 + 2·2 = 8; j = 1, 2, 2;
    # sizes ⌊(32 − 3)/1⌋ + 1 = 30, ⌊(30 − 2)/2⌋ + 1 = 15, 13
    ([("conv", 3), ("max pool", 2, 2), ("conv", 3)], 32, [32, 30, 15, 13], [3, 4, 8],
     [1, 2, 2]),
    # strided 5×5 with padding 2: ⌊(32 + 4 − 5)/2⌋ + 1 = 16; then k3 d2 p2: ⌊(16 + 4 − 5)/1⌋ + 1
    # = 16, r = 5 + 2·2·2 = 13; then "off" changes nothing
    ([("conv", 5, 2, 1, 2), ("conv", 3, 1, 2, 2), ("off", 3)], 32, [32, 16, 16], [5, 13], [2, 2]),
    # the default stack: pool 2/2, conv 3, conv 3 d4: 16, 14, 6; r = 2, 2 + 2·2 = 6,
    # 6 + 4·2·2 = 22; j = 2
    (None, 32, [32, 16, 14, 6], [2, 6, 22], [2, 2, 2]),
])
def test_sizes_fields_and_jumps_follow_the_formulas(layers, n, sizes, rs, jumps):
    r = receptive_field_compute(layers, n)
    assert r["sizes"] == sizes and output_sizes(normalize_layers(layers), n) == sizes
    assert [L["r"] for L in r["layers"]] == rs and [L["jump"] for L in r["layers"]] == jumps
    assert r["r"] == rs[-1] and r["jump"] == jumps[-1]
    assert r["cell"] == (sizes[-1] // 2, sizes[-1] // 2)


STACKS = [
    [("conv", 3, 1, 2, 0)],
    [("conv", 3, 1, 1, 0), ("conv", 3, 1, 4, 0)],
    [("max pool", 2, 2), ("conv", 3, 1, 1, 0), ("conv", 3, 1, 4, 0)],
    [("conv", 5, 2, 1, 2), ("max pool", 3, 2, 1, 1), ("conv", 3, 1, 2, 1)],
    [("conv", 4, 3, 2, 3), ("conv", 2, 1, 3, 0), ("max pool", 2, 1), ("conv", 3, 2, 1, 1)],
    [("conv", 1, 2, 1, 0), ("conv", 3, 1, 3, 0)],
]


@pytest.mark.parametrize("layers", STACKS, ids=range(len(STACKS)))
def test_the_counts_are_the_autograd_gradient_of_the_cell(layers):
    n = 23
    rng = np.random.default_rng(len(layers))
    n_out = output_sizes(normalize_layers(layers), n)[-1]
    cells = {(0, 0), (n_out - 1, n_out - 1), (n_out // 2, 0)} | {
        tuple(int(v) for v in rng.integers(0, n_out, 2)) for _ in range(3)}
    for cell in cells:
        r = receptive_field_compute(layers, n, cell)
        grad, size = autograd_counts(layers, n, cell)
        assert size == r["out_size"]
        np.testing.assert_allclose(grad, r["counts"], rtol=1e-12, err_msg=str(cell))
        np.testing.assert_array_equal(grad != 0, r["support"])
        # a max pool routes the gradient to one arg-max per window: a subset of the support
        gmax, _ = autograd_counts(layers, n, cell, pool="max", seed=7)
        assert np.all(r["support"][gmax != 0])
        if not any(L[0] == "max pool" for L in layers):
            np.testing.assert_allclose(gmax, r["counts"])
        # the support lies in the r × r box of the formulas, and reaches its edges
        top, left, bottom, right = r["box"]
        rows, cols = np.nonzero(r["support"])
        assert rows.min() >= top and rows.max() <= bottom and cols.min() >= left \
            and cols.max() <= right
        if all(len(L) < 5 or L[4] == 0 for L in layers):      # (padding may cut the edge)
            assert (rows.min(), rows.max(), cols.min(), cols.max()) == (top, bottom, left, right)
        assert r["holes"] == r["box_inside"] - r["support"].sum() >= 0


def test_the_maps_are_the_sets_of_every_layer():
    r = receptive_field_compute(STACKS[2], 32, (1, 2))
    assert len(r["maps"]) == 4
    last = np.zeros((6, 6), int)
    last[1, 2] = 1
    np.testing.assert_array_equal(r["maps"][-1], last)
    # the dilated conv (d = 4) reads cells (1 + 4a, 2 + 4b) of the 14 × 14 map
    np.testing.assert_array_equal(np.argwhere(r["maps"][2]),
                                  [(1 + 4 * a, 2 + 4 * b) for a in range(3) for b in range(3)])
    assert r["holes"] > 0


def test_bad_layers_are_named():
    with pytest.raises(ValueError, match="layer 2 .conv.*empty"):
        receptive_field_compute([("conv", 3), ("conv", 7, 1, 4)], 16)
    with pytest.raises(ValueError, match="layer 1: a max pool has no dilation"):
        receptive_field_compute([("max pool", 2, 2, 2)], 16)
    with pytest.raises(ValueError, match="padding must be ≤ k // 2"):
        receptive_field_compute([("max pool", 2, 2, 1, 2)], 16)
    with pytest.raises(ValueError, match="type must be one of"):
        receptive_field_compute([("avg", 2)], 16)
    with pytest.raises(ValueError, match="output row"):
        receptive_field_compute([("conv", 3)], 8, (6, 0))
    with pytest.raises(ValueError, match="stride"):
        receptive_field_compute([{"type": "conv", "k": 3, "s": 0}], 8)
    with pytest.raises(ValueError, match="at most 4 layers"):
        receptive_field_explorer([("conv", 3)] * 5)


@pytest.fixture(scope="module")
def ex():
    return receptive_field_explorer()


def visible_cells(ex):
    return list(ex.grid.children)


def test_defaults_and_the_grid(ex):
    r = ex.result
    assert ex.error is None and r["sizes"] == [32, 16, 14, 6] and r["cell"] == (3, 3)
    assert len(visible_cells(ex)) == 36 and ex.grid.layout.grid_template_columns.startswith(
        "repeat(6,")
    chosen = [t for t in ex.cells if t.value]
    assert chosen == [ex.cells[3 * GRID_MAX + 3]] and chosen[0].tooltip == "output cell (3, 3)"
    assert not ex.ax_layers[3].get_visible()            # layer 4 is off
    assert ex.controls["d1"].disabled and not ex.controls["d2"].disabled     # pool: d = 1


def test_clicking_a_cell_picks_it(ex):
    ex.cells[1 * GRID_MAX + 4].value = True            # what a click does
    assert ex.result["cell"] == (1, 4) and ex.error is None
    assert (ex.controls["row"].value, ex.controls["col"].value) == (1, 4)
    assert [t for t in ex.cells if t.value] == [ex.cells[1 * GRID_MAX + 4]]
    ref = receptive_field_compute(ex.layers(), 32, (1, 4))
    np.testing.assert_array_equal(ex.result["counts"], ref["counts"])
    assert_blit_matches_full_redraw(ex)
    ex.cells[1 * GRID_MAX + 4].value = False           # clicking it again keeps it
    assert ex.cells[1 * GRID_MAX + 4].value and ex.result["cell"] == (1, 4)
    x0, y0 = ex.chosen[3].get_xy()
    assert (x0, y0) == (4 / 6, 1 / 6) and ex.chosen[3].get_visible()


def test_the_grid_follows_the_output_size(ex):
    ex.set(type3="off")                                   # output 14 × 14: the cell clamps
    assert ex.result["out_size"] == 14 and len(visible_cells(ex)) == 196
    assert not ex.ax_layers[2].get_visible() and ex.chosen[2].get_visible()
    assert_blit_matches_full_redraw(ex)
    ex.set(type1="conv", k1=3, s1=1)                     # 30 → 28: more than 16, subsampled
    n = ex.result["out_size"]
    assert n == 28 and len(visible_cells(ex)) == GRID_MAX ** 2
    assert ex.cells[-1].tooltip == f"output cell ({n - 1}, {n - 1})"
    ex.cells[GRID_MAX - 1].value = True
    assert ex.result["cell"] == (ex.controls["row"].value, n - 1)
    ex.set(k1=7, d2=4, row=27)                            # the slider reaches every cell
    assert ex.result["cell"][0] == ex.result["out_size"] - 1
    assert_blit_matches_full_redraw(ex)


def test_an_empty_output_is_a_note_and_the_explorer_recovers(ex):
    ex.set(type1="conv", k1=7, d1=4, type2="conv", k2=7, d2=4, input_size=20)
    assert ex.error and "empty" in ex.error and "layer 1" in ex.error
    ex.set(input_size=64)
    assert ex.error is None and ex.result["sizes"][0] == 64
    assert_blit_matches_full_redraw(ex)


def test_every_layer_can_be_switched_off():
    e = receptive_field_explorer([("conv", 3)], input_size=10)
    assert e.result["sizes"] == [10, 8]
    e.set(type1="off")
    assert e.error is None and e.result["sizes"] == [10] and e.result["r"] == 1
    assert e.result["touched"] == 1 and all(not ax.get_visible() for ax in e.ax_layers)
    assert e.chosen[0].get_visible()
    assert_blit_matches_full_redraw(e)
    assert len(e.controls) == 3 + 5 * MAX_LAYERS
