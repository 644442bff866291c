"""Explorer 14 (notebook 03): the condition number. A = U diag(1, 1/κ) Vᵀ must have condition
number κ; the measured error ratio must respect ‖δx‖/‖x‖ ≤ κ‖δb‖/‖b‖, reach it exactly in the
worst case, and the picture must show the numbers of the compute core."""
import math

import numpy as np
import pytest

from dlmath.viz import conditioning_explorer
from dlmath.viz.conditioning import (DIRECTIONS, U_ANGLE, conditioned_matrix,
                                     conditioning_compute, rotation)
from viz_helpers import assert_blit_matches_full_redraw, line_data


@pytest.mark.parametrize("kappa", [1.0, 7.5, 100.0, 1e4])
def test_the_matrix_has_the_asked_condition_number(kappa):
    A = conditioned_matrix(kappa)
    s = np.linalg.svd(A, compute_uv=False)
    np.testing.assert_allclose(s, [1.0, 1.0 / kappa], rtol=1e-12)
    assert np.linalg.cond(A) == pytest.approx(kappa, rel=1e-10)
    np.testing.assert_allclose(A @ rotation(-15.0)[:, 1], rotation(U_ANGLE)[:, 1] / kappa,
                               atol=1e-15)                          # A v₂ = σ_min u₂
    with pytest.raises(ValueError, match="≥ 1"):
        conditioned_matrix(0.5)


def test_the_bound_holds_everywhere_and_is_attained_in_the_worst_case():
    for kappa in (1.0, 3.0, 50.0, 1e4):
        for b_angle in range(0, 180, 15):
            for db_angle in range(0, 360, 20):
                r = conditioning_compute(kappa, b_angle, db_angle, 1e-3)
                assert r["rel_x"] <= r["bound"] * (1 + 1e-9), (kappa, b_angle, db_angle)
                assert r["amplification"] >= 1 / kappa * (1 - 1e-9)
        worst = conditioning_compute(kappa, U_ANGLE, U_ANGLE + 90, 1e-3)
        assert worst["rel_x"] == pytest.approx(worst["bound"], rel=1e-7)
        assert (worst["worst_b_angle"], worst["worst_db_angle"]) == pytest.approx((30, 120))
        if kappa > 1:                          # dlmath.linalg.svd finds the same u₁, u₂
            np.testing.assert_allclose(np.abs(worst["U"].T @ rotation(U_ANGLE)), np.eye(2),
                                       atol=1e-9)
        best = conditioning_compute(kappa, U_ANGLE, U_ANGLE, 1e-3)     # δb along b = u₁
        assert best["amplification"] == pytest.approx(1.0, rel=1e-7)


def test_measured_quantities_are_what_they_claim():
    r = conditioning_compute(40.0, 50.0, 120.0, 0.02)
    A = r["A"]
    assert r["kappa"] == pytest.approx(40.0, rel=1e-12)
    np.testing.assert_allclose(A @ r["x"], r["b"], atol=1e-13)
    np.testing.assert_allclose(A @ (r["x"] + r["dx"]), r["b"] + r["db"], atol=1e-13)
    np.testing.assert_allclose(r["dx"], np.linalg.inv(A) @ r["db"], rtol=1e-9)
    assert r["rel_b"] == pytest.approx(0.02)
    assert r["rel_x"] == pytest.approx(np.linalg.norm(r["dx"]) / np.linalg.norm(r["x"]))
    assert r["bound"] == pytest.approx(40 * 0.02)
    # the curve is the amplification for each direction; the current one lies on it
    assert np.interp(120.0 % 180, DIRECTIONS, r["curve"]) == pytest.approx(
        r["amplification"], rel=1e-9)
    assert r["curve"].max() == pytest.approx(r["best_for_b"], rel=1e-3)
    assert r["best_for_b"] < 40 and r["curve"].max() <= 40
    # linear: the amplification does not depend on the size of δb
    assert conditioning_compute(40.0, 50.0, 120.0, 1e-4)["amplification"] == pytest.approx(
        r["amplification"], rel=1e-6)
    # the drawn ellipse: every point is (x + A⁻¹δb)/‖x‖ for a δb drawn at length 0.3‖b‖
    nx = np.linalg.norm(r["x"])
    back = A @ (r["ellipse"] * nx - r["x"]).T
    np.testing.assert_allclose(np.linalg.norm(back, axis=0), 0.3, rtol=1e-9)
    with pytest.raises(ValueError, match="must be > 0"):
        conditioning_compute(10.0, 0, 0, 0.0)


@pytest.fixture(scope="module")
def ex():
    return conditioning_explorer()


def test_the_picture_shows_the_core(ex):
    ex.set(kappa=200.0, b_angle=50.0, db_angle=100.0, rel_size=0.01)
    r = ex.result
    assert ex.error is None and r["kappa"] == pytest.approx(200.0, rel=1e-9)
    tops = [bar.get_y() + bar.get_height() for bar in ex.bars]
    np.testing.assert_allclose(tops, [r["rel_b"], r["rel_x"], r["bound"]], rtol=1e-9)
    assert line_data(ex.kappa_line)[1] == pytest.approx([200.0, 200.0])
    np.testing.assert_allclose(line_data(ex.curve)[1], r["curve"])
    x, y = line_data(ex.amp_dot)
    assert (x[0], y[0]) == pytest.approx((100.0, r["amplification"]))
    np.testing.assert_allclose(ex.b_arrow._posA_posB[1], r["b"])
    xs = r["x"] / np.linalg.norm(r["x"])
    np.testing.assert_allclose(ex.x_arrow._posA_posB[1], xs)
    assert "bound κ = 200" in ex.kappa_text.get_text()
    assert "× bound" in ex.verdict.get_text()
    assert_blit_matches_full_redraw(ex)


def test_kappa_slider_moves_the_bound_and_the_worst_case_button_attains_it(ex):
    ex.controls["kappa"].value = 1000.0
    assert ex.result["bound"] == pytest.approx(1000 * ex.result["rel_b"], rel=1e-9)
    ex.worst.click()
    assert (ex.controls["b_angle"].value, ex.controls["db_angle"].value) == (30, 120)
    r = ex.result
    assert r["rel_x"] == pytest.approx(r["bound"], rel=1e-6)
    assert ex.verdict.get_text() == "measured = bound (attained)"
    assert "attained" not in conditioning_explorer(kappa=1000.0).verdict.get_text()
    ex.controls["kappa"].value = 1.0                                # orthogonal A: no growth
    assert ex.result["amplification"] == pytest.approx(1.0, rel=1e-9)
    assert math.isclose(ex.result["rel_x"], ex.result["rel_b"], rel_tol=1e-9)
