"""Explorers 4 and 6: activations (f′ by autograd, saturation, softmax, depth) and convolution
(the output must equal dlmath.nn.functional.conv2d / pools, and the hand computation)."""
import math

import numpy as np
import pytest

import dlmath
import dlmath.nn.functional as F
from dlmath.viz import activation_explorer, conv_explorer
from dlmath.viz.activation import (INITS, X_GRID, activation_curves, depth_compute,
                                   saturation_intervals, softmax_compute)
from dlmath.viz.conv import KERNELS, conv_compute, output_size, parse_kernel
from viz_helpers import line_data

_erf = np.vectorize(math.erf)


# -- activations -------------------------------------------------------------------------------
def test_derivatives_by_autograd_match_the_formulas():
    x = X_GRID
    s = 1 / (1 + np.exp(-x))
    phi = np.exp(-x ** 2 / 2) / math.sqrt(2 * math.pi)
    expected = {
        "sigmoid": (s, s * (1 - s)),
        "tanh": (np.tanh(x), 1 - np.tanh(x) ** 2),
        "ReLU": (np.maximum(x, 0), (x > 0).astype(float)),
        "leaky ReLU": (np.where(x > 0, x, 0.01 * x), np.where(x > 0, 1.0, 0.01)),
        "GELU": (x * 0.5 * (1 + _erf(x / math.sqrt(2))), 0.5 * (1 + _erf(x / math.sqrt(2))) + x * phi),
    }
    for name, (f, df) in expected.items():
        fx, dfx = activation_curves(name)
        np.testing.assert_allclose(fx, f, atol=1e-12, err_msg=name)
        np.testing.assert_allclose(dfx, df, atol=1e-12, err_msg=name)


@pytest.fixture(scope="module")
def act():
    return activation_explorer("sigmoid", depth=20)


def test_figure_shows_f_and_fprime_and_shades_saturation(act):
    act.controls["activation"].value = "tanh"
    x, y = line_data(act.d_line)
    np.testing.assert_allclose(y, 1 - np.tanh(x) ** 2, atol=1e-12)
    sat = act.result["saturated"]
    assert len(sat) == 2 and sat[0][0] == X_GRID[0] and sat[1][1] == X_GRID[-1]
    a = math.atanh(math.sqrt(0.95))                  # 1 − tanh² = 0.05
    assert sat[0][1] == pytest.approx(-a, abs=0.03) and sat[1][0] == pytest.approx(a, abs=0.03)
    assert len(act.shades[0].get_paths()) == 2
    act.controls["activation"].value = "ReLU"
    assert act.result["saturated"] == [(X_GRID[0], pytest.approx(0.0, abs=0.03))]


def test_saturation_intervals_helper():
    xs = np.linspace(-1, 1, 5)
    assert saturation_intervals(xs, [0, 1, 1, 1, 0]) == [(-1.0, -1.0), (1.0, 1.0)]
    assert saturation_intervals(xs, [1, 1, 1, 1, 1]) == []


def test_softmax_with_temperature(act):
    act.controls["activation"].value = "softmax"
    act.set(z0=2.0, z1=1.0, z2=-1.0, T=0.5)
    z = np.array([2.0, 1.0, -1.0]) / 0.5
    p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    np.testing.assert_allclose(act.result["softmax"]["p"], p, rtol=1e-12)
    np.testing.assert_allclose([b.get_height() for b in act.p_bars], p, rtol=1e-12)
    J = (np.diag(p) - np.outer(p, p)) / 0.5
    np.testing.assert_allclose(act.result["softmax"]["jacobian"], J, atol=1e-12)
    np.testing.assert_allclose(act.jac.get_array(), J, atol=1e-12)
    hot = softmax_compute([2.0, 1.0, -1.0], 0.01)["p"]
    np.testing.assert_allclose(hot, [1, 0, 0], atol=1e-12)
    flat = softmax_compute([2.0, 1.0, -1.0], 1e4)["p"]
    np.testing.assert_allclose(flat, [1 / 3] * 3, atol=1e-3)
    assert not act.controls["depth"].layout.display is None


def test_gradients_vanish_or_explode_with_depth(act):
    sig = depth_compute("sigmoid", 20, INITS[0])
    assert sig["grad_norms"][0] / sig["grad_norms"][-1] < 1e-6              # vanishing
    relu_big = depth_compute("ReLU", 20, "N(0, 1)")
    assert relu_big["act_std"][-1] / relu_big["act_std"][0] > 1e10          # exploding
    relu_he = depth_compute("ReLU", 20, INITS[1])
    ratio = relu_he["grad_norms"][0] / relu_he["grad_norms"][-1]
    assert 1e-2 < ratio < 1e2                                               # He keeps it flat
    act.set(activation="sigmoid", depth=12, init=INITS[0])
    x, y = line_data(act.g_line)
    np.testing.assert_array_equal(x, np.arange(1, 13))
    np.testing.assert_allclose(y, depth_compute("sigmoid", 12, INITS[0])["grad_norms"])


# -- convolution -------------------------------------------------------------------------------
def naive_correlate(x, K, s, p, d):
    xp = np.pad(x, p)
    k = K.shape[0]
    Ho = (x.shape[0] + 2 * p - d * (k - 1) - 1) // s + 1
    Wo = (x.shape[1] + 2 * p - d * (k - 1) - 1) // s + 1
    out = np.zeros((Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            out[i, j] = np.sum(K * xp[i * s: i * s + d * (k - 1) + 1: d,
                                      j * s: j * s + d * (k - 1) + 1: d])
    return out


@pytest.mark.parametrize("s, p, d", [(1, 0, 1), (1, 1, 1), (2, 1, 1), (1, 2, 2), (3, 3, 3),
                                     (2, 0, 2)])
def test_conv_output_equals_dlmath_conv2d_and_a_naive_loop(s, p, d):
    rng = np.random.default_rng(s * 10 + p + d)
    x = rng.random((12, 12))
    for name in ("Sobel x", "sharpen", "Gaussian blur"):
        K = np.array(KERNELS[name], dtype=float)
        r = conv_compute(x, K, s, p, d, position=5)
        ref = F.conv2d(dlmath.tensor(x[None, None]), dlmath.tensor(K[None, None]), stride=s,
                       padding=p, dilation=d).data[0, 0]
        np.testing.assert_array_equal(r["output"], ref)
        np.testing.assert_allclose(r["output"], naive_correlate(x, K, s, p, d), atol=1e-12)
        assert r["manual"] == pytest.approx(r["value"], abs=1e-12)


def test_conv_explorer_figure_and_window():
    ex = conv_explorer(image="digit", kernel="Laplacian", stride=1, padding=1, dilation=1)
    x = ex.input_image()
    K = np.array(KERNELS["Laplacian"], dtype=float)
    ref = F.conv2d(dlmath.tensor(x[None, None]), dlmath.tensor(K[None, None]), padding=1).data[0, 0]
    np.testing.assert_array_equal(ex.im_out.get_array()[:8, :8], ref)
    assert np.isnan(np.asarray(ex.im_out.get_array().filled(np.nan))[8:, :]).all()
    assert ex.controls["position"].max == 63
    for pos in (0, 9, 63):
        ex.controls["position"].value = pos
        i, j = divmod(pos, 8)
        assert ex.result["window"] == (i, j)
        assert ex.result["manual"] == pytest.approx(ref[i, j], abs=1e-12)
        assert tuple(ex.out_cell.get_xy()) == (j - 0.5, i - 0.5)
        cells = ex.cells.get_offsets()
        assert cells[:, 0].min() == j - 1 and cells[:, 1].min() == i - 1  # (col, row), unpadded
    ex.set(stride=2, dilation=2, padding=2)
    Ho, text = output_size(8, 3, 2, 2, 2)
    assert ex.result["out_shape"] == (Ho, Ho) and ex.result["rule_h"] == text
    assert text == "⌊(8 + 2·2 − 2·(3 − 1) − 1) / 2⌋ + 1 = ⌊7 / 2⌋ + 1 = 4"
    assert "⌊(8 + 2·2 − 2·(3 − 1) − 1) / 2⌋ + 1" in ex.readout.value
    assert ex.controls["position"].max == Ho * Ho - 1


def test_pooling_equals_dlmath_pools():
    ex = conv_explorer(image="ring", mode="max pool", stride=2, padding=1, dilation=1)
    ex.controls["pool_size"].value = 3
    x = ex.input_image()
    ref = F.max_pool2d(dlmath.tensor(x[None, None]), 3, stride=2, padding=1).data[0, 0]
    np.testing.assert_array_equal(ex.result["output"], ref)
    ex.controls["mode"].value = "avg pool"
    ref = F.avg_pool2d(dlmath.tensor(x[None, None]), 3, stride=2, padding=1).data[0, 0]
    np.testing.assert_array_equal(ex.result["output"], ref)
    for pos in range(0, ex.controls["position"].max + 1, 4):
        ex.controls["position"].value = pos
        assert ex.result["manual"] == pytest.approx(ex.result["value"], abs=1e-12)


def test_invalid_combinations_show_messages():
    ex = conv_explorer(image="digit", padding=0)
    ex.controls["kernel"].value = "; ".join(["1 1 1 1 1"] * 5)
    ex.controls["dilation"].value = 3                       # 3·(5 − 1) + 1 = 13 > 8
    assert ex.error is not None and "larger than the padded input" in ex.error
    assert "larger than the padded input" in ex.note.value
    ex.controls["dilation"].value = 1
    assert ex.error is None and ex.result["out_shape"] == (4, 4)
    ex.controls["mode"].value = "max pool"
    ex.controls["padding"].value = 2                        # > window 2 // 2
    assert "at most half the window" in ex.error
    ex.controls["padding"].value = 0
    ex.controls["dilation"].value = 2
    assert "dilation" in ex.error
    ex.controls["dilation"].value = 1
    assert ex.error is None
    with pytest.raises(ValueError, match="cannot read"):
        parse_kernel("1 2 x; 1 1 1; 1 1 1")
    np.testing.assert_allclose(parse_kernel("1/9 1/9; 0, 1"), [[1 / 9, 1 / 9], [0, 1]])


def test_preset_and_text_stay_in_sync():
    ex = conv_explorer()
    ex.controls["preset"].value = "Sobel y"
    np.testing.assert_allclose(parse_kernel(ex.controls["kernel"].value), KERNELS["Sobel y"])
    np.testing.assert_allclose(ex.result["kernel"], KERNELS["Sobel y"])
    ex.controls["kernel"].value = "0 0 0; 0 1 0; 0 0 0"
    assert ex.controls["preset"].value == "identity"
    np.testing.assert_allclose(ex.result["output"], np.pad(ex.input_image(), 1)[1:-1, 1:-1])
    ex.controls["kernel"].value = "1 2 3; 4 5 6; 7 8 9"
    assert ex.controls["preset"].value == "custom"
