"""The calibration explorer: ECE must be the bin-count-weighted gap (worked out by hand on four
predictions, and against a plain loop over the bins), the accuracy must not move with T, T* must
minimise the NLL (a zero of dNLL/dβ, β = 1/T), T → ∞ must give confidence 1/K, probabilities and
logits must give the same picture, and the figure must show the core's numbers."""
import math

import numpy as np
import pytest

from dlmath.viz import calibration_explorer
from dlmath.viz.calibration import (as_logits, bin_edges, calibration_compute, digits_logits,
                                    fit_temperature, nll, softmax)
from viz_helpers import assert_blit_matches_full_redraw, line_data

# four predictions, two classes (confidence, correct?):
#   [0.10, 0.90] y=1: 0.90 right     [0.22, 0.78] y=0: 0.78 wrong
#   [0.55, 0.45] y=0: 0.55 right     [0.30, 0.70] y=0: 0.70 wrong
P4 = np.array([[0.10, 0.90], [0.22, 0.78], [0.55, 0.45], [0.30, 0.70]])
Y4 = np.array([1, 0, 0, 0])


def test_ece_by_hand_on_four_predictions():
    r = calibration_compute(P4, Y4, 1.0, bins=5)
    # 5 bins of width 0.2: (0.4, 0.6] holds 0.55 (acc 1, gap 0.45); (0.6, 0.8] holds 0.70 and
    # 0.78 (acc 0, conf 0.74, gap 0.74); (0.8, 1] holds 0.90 (acc 1, gap 0.10)
    # ECE = 1/4·0.45 + 2/4·0.74 + 1/4·0.10 = 0.5075 (unweighted: (0.45 + 0.74 + 0.10)/3 = 0.43)
    np.testing.assert_array_equal(r["count"], [0, 0, 1, 2, 1])
    np.testing.assert_allclose(r["acc"][2:], [1, 0, 1])
    np.testing.assert_allclose(r["conf"][2:], [0.55, 0.74, 0.90])
    assert r["ece"] == pytest.approx(0.5075, abs=1e-12)
    assert r["mce"] == pytest.approx(0.74)
    assert r["accuracy"] == 0.5 and r["mean_confidence"] == pytest.approx(0.7325)
    # NLL = −(log 0.9 + log 0.22 + log 0.55 + log 0.3)/4
    assert r["nll"] == pytest.approx(-(math.log(0.9) + math.log(0.22) + math.log(0.55)
                                       + math.log(0.3)) / 4, rel=1e-12)
    # one bin: ECE = |mean accuracy − mean confidence| = |0.5 − 0.7325|
    assert calibration_compute(P4, Y4, 1.0, bins=1)["ece"] == pytest.approx(0.2325, abs=1e-12)


def ece_loop(probs, labels, edges):
    """Oracle: for each interval (e_{b−1}, e_b] (the first closed), its members by comparison."""
    conf, pred = probs.max(axis=1), probs.argmax(axis=1)
    total = 0.0
    for b in range(len(edges) - 1):
        lo, hi = edges[b], edges[b + 1]
        members = [n for n in range(len(conf)) if (conf[n] > lo or (b == 0 and conf[n] >= lo))
                   and conf[n] <= hi]
        if members:
            acc = sum(pred[n] == labels[n] for n in members) / len(members)
            cf = sum(conf[n] for n in members) / len(members)
            total += len(members) / len(conf) * abs(acc - cf)
    return total


def test_ece_against_a_loop_over_the_bins():
    rng = np.random.default_rng(4)
    for trial in range(25):
        n, k = int(rng.integers(1, 60)), int(rng.integers(2, 6))
        z = rng.normal(0, 3, (n, k))
        y = rng.integers(0, k, n)
        T = float(np.exp(rng.uniform(-1.5, 1.5)))
        for bins in (1, 3, 10, 15):
            for binning in ("equal width", "equal mass"):
                r = calibration_compute(z, y, T, bins, binning)
                assert r["count"].sum() == n
                assert r["ece"] == pytest.approx(ece_loop(softmax(z, T), y, r["edges"]),
                                                 abs=1e-12), (trial, bins, binning)
    conf = rng.uniform(0.1, 1, 1000)
    edges = bin_edges(conf, 10, "equal mass")
    counts = np.histogram(conf, edges)[0]
    assert len(edges) == 11 and counts.min() >= 99 and counts.max() <= 101


def test_probabilities_and_logits_give_the_same_result():
    z = np.log(P4) + np.array([[3.0], [-1.0], [0.5], [7.0]])       # any shift per row
    a, b = calibration_compute(P4, Y4, 1.7, 5), calibration_compute(z, Y4, 1.7, 5)
    for key in ("ece", "nll", "accuracy", "mean_confidence"):
        assert a[key] == pytest.approx(b[key], rel=1e-12)
    np.testing.assert_allclose(calibration_compute(P4, Y4, 1.0)["probs"], P4, rtol=1e-12)
    # binary: a 1-D array of P(class 1), or of class-1 logits
    np.testing.assert_allclose(as_logits(P4[:, 1]), as_logits(P4))
    s = np.array([2.0, -1.0, 0.3])
    np.testing.assert_allclose(softmax(as_logits(s))[:, 1], 1 / (1 + np.exp(-s)))


def test_accuracy_does_not_move_with_the_temperature():
    z, y = digits_logits()
    base = calibration_compute(z, y, 1.0)
    for T in (0.25, 0.6, 2.0, 8.0, 1e3):
        r = calibration_compute(z, y, T)
        assert r["accuracy"] == base["accuracy"]
        np.testing.assert_array_equal(r["prediction"], base["prediction"])


def test_a_large_temperature_flattens_to_one_over_k():
    z, y = digits_logits()
    r = calibration_compute(z, y, 1e7)
    np.testing.assert_allclose(r["confidence"], 0.1, atol=1e-5)
    assert r["nll"] == pytest.approx(math.log(10), abs=1e-5)
    assert calibration_compute(z, y, 0.01)["mean_confidence"] > 0.999


def test_t_star_minimises_the_nll():
    z, y = digits_logits()
    T = fit_temperature(z, y)
    f = nll(z, y, T)
    assert f <= nll(z, y, 1.0) and f <= nll(z, y, T * 1.01) and f <= nll(z, y, T / 1.01)
    # independent check: dNLL/dβ = mean over n of (Σ_k p_k z_k − z_y) vanishes at β = 1/T*
    p = softmax(z, T)
    grad = np.mean((p * z).sum(axis=1) - z[np.arange(len(y)), y])
    assert abs(grad) < 1e-6 * np.abs(z).mean()
    grid = np.exp(np.linspace(np.log(0.1), np.log(30), 3001))
    best = grid[np.argmin([nll(z, y, t) for t in grid])]
    assert T == pytest.approx(best, rel=3e-3)
    # the default classifier is overconfident: T* > 1 and better calibrated there
    r1, rs = calibration_compute(z, y, 1.0), calibration_compute(z, y, T)
    assert T > 1.5 and r1["mean_confidence"] > r1["accuracy"] and rs["ece"] < r1["ece"]
    # perfectly separated data: the NLL falls as T → 0, T* is the lower search bound
    assert fit_temperature(np.array([[5.0, 0.0], [0.0, 5.0]]), [0, 1]) == pytest.approx(1e-2)


def test_the_default_data_is_cached_and_deterministic():
    z, y = digits_logits()
    assert digits_logits()[0] is z and z.shape == (359, 10) and y.shape == (359,)
    assert not z.flags.writeable
    r = calibration_compute(z, y, 1.0)
    assert r["accuracy"] == pytest.approx(0.947, abs=0.01)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="labels must have shape"):
        calibration_compute(P4, [0, 1], 1.0)
    with pytest.raises(ValueError, match="class indices 0 … 1"):
        calibration_compute(P4, [0, 1, 2, 0], 1.0)
    with pytest.raises(ValueError, match="temperature"):
        calibration_compute(P4, Y4, 0.0)
    with pytest.raises(ValueError, match="bins"):
        calibration_compute(P4, Y4, 1.0, bins=0)
    with pytest.raises(ValueError, match="binning"):
        calibration_compute(P4, Y4, 1.0, binning="quantile")
    with pytest.raises(ValueError, match="shape"):
        calibration_compute(np.ones((3, 1)), [0, 0, 0])
    with pytest.raises(ValueError, match="both"):
        calibration_explorer(P4)


@pytest.fixture(scope="module")
def ex():
    return calibration_explorer()


def test_the_picture_shows_the_core(ex):
    z, y = digits_logits()
    assert ex.error is None and ex.t_star == pytest.approx(fit_temperature(z, y))
    ex.set(T=2.0, bins=12, binning="equal width")
    r = calibration_compute(z, y, 2.0, 12)
    assert ex.result["ece"] == pytest.approx(r["ece"], rel=1e-12)
    full = r["count"] > 0
    assert len(ex.acc_bars.get_paths()) == full.sum()
    tops = [p.vertices[:, 1].max() for p in ex.acc_bars.get_paths()]
    np.testing.assert_allclose(tops, r["acc"][full])
    (tx,), (ty,) = line_data(ex.nll_dot)
    assert tx == 2.0 and ty == pytest.approx(r["nll"])
    assert f"<b>{r['ece']:.4f}</b>" in ex.readout.value
    assert_blit_matches_full_redraw(ex)
    ex.set(binning="equal mass")
    assert_blit_matches_full_redraw(ex)
    ex.to_best.click()
    assert ex.result["temperature"] == pytest.approx(ex.t_star) and ex.error is None
    assert_blit_matches_full_redraw(ex)


def test_your_own_logits():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 3, 200)
    z = rng.normal(0, 1, (200, 3)) + 4 * np.eye(3)[y] * rng.uniform(0, 2, (200, 1))
    e = calibration_explorer(z, y, bins=8)
    assert e.error is None and e.controls["bins"].value == 8
    assert e.result["n"] == 200 and e.result["classes"] == 3
    e2 = calibration_explorer(softmax(z), y, bins=8)        # probabilities: the same numbers
    assert e2.result["ece"] == pytest.approx(e.result["ece"], rel=1e-9)
    assert e2.t_star == pytest.approx(e.t_star, rel=1e-6)
