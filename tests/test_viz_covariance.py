"""Explorer 16 (notebooks 12, 14): covariance and correlation. The ellipse axes must be the
eigenvectors of Σ scaled by √λ, the points reproducible for a seed (a larger n only adds points),
ρ̂ must be np.corrcoef's, and the picture must show the compute core."""
import math

import numpy as np
import pytest

from dlmath.viz import covariance_explorer
from dlmath.viz.covariance import (N_MAX, covariance_compute, covariance_matrix, gaussian_cloud,
                                   running_correlation)
from viz_helpers import assert_blit_matches_full_redraw, line_data


@pytest.mark.parametrize("rho, sx, sy", [(0.6, 1.5, 1.0), (-0.9, 0.5, 2.0), (0.0, 1.0, 1.0),
                                         (0.99, 2.0, 2.0), (0.3, 0.3, 1.7)])
def test_ellipse_axes_are_the_eigenvectors_scaled_by_root_lambda(rho, sx, sy):
    r = covariance_compute(rho, sx, sy, n=50)
    S, lam, V = r["Sigma"], r["eigenvalues"], r["eigenvectors"]
    np.testing.assert_allclose(S, [[sx * sx, rho * sx * sy], [rho * sx * sy, sy * sy]])
    for i in range(2):                                              # Σv = λv, ‖v‖ = 1
        np.testing.assert_allclose(S @ V[:, i], lam[i] * V[:, i], atol=1e-12)
        assert np.linalg.norm(V[:, i]) == pytest.approx(1.0)
    assert lam[0] >= lam[1] > 0
    assert lam.sum() == pytest.approx(sx * sx + sy * sy)           # trace
    assert lam.prod() == pytest.approx(sx * sx * sy * sy * (1 - rho * rho))   # determinant
    np.testing.assert_allclose(r["axes"], V * np.sqrt(lam), atol=1e-15)
    for k in (1, 2):
        E = r["ellipses"][k]
        # every point of the k-σ ellipse has Mahalanobis distance k
        np.testing.assert_allclose(np.sum(E @ np.linalg.inv(S) * E, axis=1), k * k, rtol=1e-9)
        # its farthest point is along ±v₁ at k√λ₁, its nearest (sampled) close to k√λ₂
        far = E[np.argmax(np.hypot(E[:, 0], E[:, 1]))]
        assert np.linalg.norm(far) == pytest.approx(k * math.sqrt(lam[0]), rel=1e-9)
        assert abs(far @ V[:, 0]) / np.linalg.norm(far) == pytest.approx(1.0, abs=1e-9)
        assert np.hypot(E[:, 0], E[:, 1]).min() == pytest.approx(k * math.sqrt(lam[1]),
                                                                  rel=2e-3)


def test_points_are_seeded_and_a_larger_n_adds_points():
    a = gaussian_cloud(0.5, 1.0, 2.0, 300, seed=4)
    np.testing.assert_array_equal(a, gaussian_cloud(0.5, 1.0, 2.0, 300, seed=4))
    np.testing.assert_array_equal(a[:100], gaussian_cloud(0.5, 1.0, 2.0, 100, seed=4))
    assert not np.allclose(a, gaussian_cloud(0.5, 1.0, 2.0, 300, seed=5))
    # the same z for another Σ: p = L z, L the Cholesky factor
    z = np.linalg.solve(np.linalg.cholesky(covariance_matrix(0.5, 1.0, 2.0)), a.T).T
    b = gaussian_cloud(-0.7, 1.5, 0.5, 300, seed=4)
    np.testing.assert_allclose(b, z @ np.linalg.cholesky(covariance_matrix(-0.7, 1.5, 0.5)).T)
    np.testing.assert_allclose(a[:, 0], 1.0 * z[:, 0])              # x = σx z₁
    with pytest.raises(ValueError, match="between 1 and"):
        gaussian_cloud(0.5, 1, 1, N_MAX + 1)


def test_sample_correlation_is_corrcoef_and_converges_with_its_standard_error():
    for rho in (-0.8, 0.0, 0.6):
        r = covariance_compute(rho, 1.5, 0.7, n=N_MAX, seed=1)
        P = r["points"]
        assert r["sample_rho"] == pytest.approx(np.corrcoef(P.T)[0, 1], rel=1e-12)
        np.testing.assert_allclose(r["sample_cov"], np.cov(P.T), rtol=1e-12)
        run = r["running"]
        for m in (2, 3, 17, 250, N_MAX):
            assert run[m - 1] == pytest.approx(np.corrcoef(P[:m].T)[0, 1], rel=1e-9, abs=1e-12)
        assert np.isnan(run[0])
        assert r["se"] == pytest.approx((1 - rho ** 2) / math.sqrt(N_MAX))
        assert abs(r["sample_rho"] - rho) < 4 * r["se"] + 1e-3
    # the standard error is right: spread of ρ̂ over seeds ≈ (1 − ρ²)/√n
    rho, n = 0.5, 200
    rhos = [covariance_compute(rho, 1, 1, n, seed=s)["sample_rho"] for s in range(300)]
    assert np.std(rhos) == pytest.approx((1 - rho ** 2) / math.sqrt(n), rel=0.15)
    assert running_correlation(np.array([[0.0, 1.0], [1.0, 3.0]]))[1] == pytest.approx(1.0)


def test_fraction_inside_the_ellipses_and_bad_input():
    r = covariance_compute(0.7, 1.2, 0.8, n=N_MAX, seed=2)
    assert r["inside_expected"][1] == pytest.approx(1 - math.exp(-0.5))
    for k in (1, 2):
        p = r["inside_expected"][k]
        assert abs(r["inside"][k] - p) < 4 * math.sqrt(p * (1 - p) / N_MAX)
    with pytest.raises(ValueError, match="strictly between"):
        covariance_matrix(1.0)
    with pytest.raises(ValueError, match="must be > 0"):
        covariance_matrix(0.5, 0.0, 1.0)


@pytest.fixture(scope="module")
def ex():
    return covariance_explorer()


def test_the_picture_shows_the_core(ex):
    ex.set(rho=-0.55, sigma_x=1.8, sigma_y=0.6, n=500, seed=3)
    r = ex.result
    assert ex.error is None and r["rho"] == pytest.approx(-0.55) and r["n"] == 500
    np.testing.assert_array_equal(ex.cloud.get_offsets(), r["points"])
    np.testing.assert_array_equal(r["points"], gaussian_cloud(-0.55, 1.8, 0.6, 500, seed=3))
    for k, line in zip((1, 2), ex.ellipse_lines):
        x, y = line_data(line)
        np.testing.assert_allclose(np.stack([x, y], 1), r["ellipses"][k])
    for i, arrow in enumerate(ex.arrows):
        np.testing.assert_allclose(arrow._posA_posB[0], (0, 0))
        np.testing.assert_allclose(arrow._posA_posB[1], r["axes"][:, i])
    x, y = line_data(ex.rho_dot)
    assert (x[0], y[0]) == pytest.approx((500, np.corrcoef(r["points"].T)[0, 1]))
    assert line_data(ex.rho_line)[1] == pytest.approx([-0.55, -0.55])
    assert len(line_data(ex.run_line)[0]) == 499
    assert f"{r['sample_rho']:.3f} ± {r['se']:.3f}" in ex.rho_text.get_text()
    assert "ρ̂" in ex.readout.value and "eigh" in ex.readout.value
    assert_blit_matches_full_redraw(ex)


def test_sliders_move_the_state(ex):
    full = ex.full_draws
    ex.controls["n"].value = 5000
    assert len(ex.result["points"]) == 5000 and ex.result["n"] == 5000
    ex.controls["rho"].value = 0.0
    ex.set(sigma_x=1.0, sigma_y=1.0)                      # a circle: λ₁ = λ₂ = 1
    np.testing.assert_allclose(ex.result["eigenvalues"], [1.0, 1.0])
    seed = ex.controls["seed"].value
    before = ex.result["points"].copy()
    ex.resample.click()
    assert ex.controls["seed"].value == seed + 1
    assert not np.allclose(ex.result["points"], before)
    assert ex.full_draws == full                            # every control only blits
