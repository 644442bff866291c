"""The regularisation explorer: ridge weights must solve the normal equations, lasso weights the
KKT conditions of (1/2n)‖Xw − y‖² + λΣ_{k≥1}|w_k| (checked on the full design matrix, and against
an oracle that enumerates every sign pattern), zeros must be exact, and the picture the core's."""
import itertools

import numpy as np
import pytest

from dlmath.viz import regularization_explorer
from dlmath.viz.regularization import (DEGREE_MAX, LAMBDAS, N_TRAIN, XS, features, lasso,
                                       reg_data, regularization_compute, regularization_path,
                                       ridge)
from viz_helpers import assert_blit_matches_full_redraw, line_data

DATA = reg_data()
LAMS = [0.0, 1e-8, 1e-5, 1e-3, 0.02, 0.3, 5.0]


def design(degree):
    return features(DATA["x_train"], degree), DATA["y_train"]


def kkt_violation(X, y, w, lam):
    """max violation of the lasso KKT conditions, w₀ unpenalised: with g = Xᵀ(y − Xw)/n,
    g₀ = 0; g_k = λ sign(w_k) where w_k ≠ 0; |g_k| ≤ λ where w_k = 0."""
    g = X.T @ (y - X @ w) / len(y)
    nz = w[1:] != 0
    viol = [abs(g[0])]
    viol += list(np.abs(g[1:][nz] - lam * np.sign(w[1:][nz])))
    viol += list(np.maximum(np.abs(g[1:][~nz]) - lam, 0))
    return max(viol)


def test_the_features_are_legendre_polynomials():
    x = np.array([0.0, 0.25, 0.5, 1.0])
    u = 2 * x - 1
    F = features(x, 3)
    np.testing.assert_allclose(F, np.stack([np.ones(4), u, (3 * u ** 2 - 1) / 2,
                                            (5 * u ** 3 - 3 * u) / 2], axis=1), atol=1e-15)
    assert np.linalg.cond(features(DATA["x_train"], DEGREE_MAX)) < 1e4     # well conditioned


@pytest.mark.parametrize("degree", [0, 1, 4, 9, DEGREE_MAX])
def test_ridge_solves_the_normal_equations(degree):
    X, y = design(degree)
    n = len(y)
    D = np.diag([0.0] + [1.0] * degree)
    for lam in LAMS:
        w = regularization_compute(degree, "L2", lam)["weights"]
        np.testing.assert_allclose((X.T @ X / n + lam * D) @ w, X.T @ y / n, atol=1e-10)
    # λ = 0 is least squares
    np.testing.assert_allclose(regularization_compute(degree, "L2", 0.0)["weights"],
                               np.linalg.lstsq(X, y, rcond=None)[0], atol=1e-8)


@pytest.mark.parametrize("degree", [1, 3, 6, 9, 12, DEGREE_MAX])
def test_lasso_meets_the_kkt_conditions_with_exact_zeros(degree):
    X, y = design(degree)
    path = regularization_path(degree, "L1")
    for lam, w in zip(LAMBDAS, path["weights"]):
        assert kkt_violation(X, y, w, lam) < 1e-10 * max(1.0, lam * 1e3), (degree, lam)
    for lam in LAMS:
        r = regularization_compute(degree, "L1", lam)
        assert kkt_violation(X, y, r["weights"], lam) < 1e-10
        assert r["zeros"] == int(np.sum(r["weights"][1:] == 0.0))
    np.testing.assert_allclose(regularization_compute(degree, "L1", 0.0)["weights"],
                               np.linalg.lstsq(X, y, rcond=None)[0], atol=1e-7)


def enumerate_lasso(G, b, lam):
    """Oracle: try every sign pattern s ∈ {−1, 0, 1}^d, solve G_AA w_A = b_A − λ s_A on its
    support, keep the sign-consistent ones, return the one of least objective."""
    best, best_w = np.inf, None
    d = len(b)
    for s in itertools.product((-1, 0, 1), repeat=d):
        s = np.array(s, dtype=float)
        A = np.flatnonzero(s)
        w = np.zeros(d)
        if len(A):
            w[A] = np.linalg.solve(G[np.ix_(A, A)], b[A] - lam * s[A])
            if np.any(np.sign(w[A]) != s[A]):
                continue
        f = 0.5 * w @ G @ w - b @ w + lam * np.abs(w).sum()
        if f < best:
            best, best_w = f, w
    return best_w


def test_lasso_agrees_with_enumerating_sign_patterns():
    rng = np.random.default_rng(7)
    for trial in range(60):
        d = int(rng.integers(1, 6))
        M = rng.standard_normal((12, d)) * np.geomspace(1, 0.05, d)
        G, b = M.T @ M / 12, rng.standard_normal(d) * 0.4
        lam = 10 ** rng.uniform(-4, 0)
        np.testing.assert_allclose(lasso(G, b, lam), enumerate_lasso(G, b, lam), atol=1e-10,
                                   err_msg=f"trial {trial}")
        # a warm start from elsewhere ends at the same point
        np.testing.assert_allclose(lasso(G, b, lam, w=rng.standard_normal(d)),
                                   enumerate_lasso(G, b, lam), atol=1e-10)
    G = np.array([[1.0, 0.9], [0.9, 1.0]])
    np.testing.assert_allclose(ridge(G, np.array([1.0, 0.5]), [0.0, 1.0])[1],
                               np.linalg.solve(G + np.eye(2), [1.0, 0.5]))


def test_large_lambda_zeros_every_l1_weight_and_zeros_grow_with_lambda():
    for degree in (3, 9, DEGREE_MAX):
        r = regularization_compute(degree, "L1", 0.0)
        lam_max = r["lam_max"]
        X, y = design(degree)
        np.testing.assert_allclose(lam_max, np.abs(X[:, 1:].T @ (y - y.mean())).max() / N_TRAIN)
        top = regularization_compute(degree, "L1", lam_max * 1.0001)
        assert top["zeros"] == degree and top["weights"][0] == pytest.approx(y.mean())
        assert regularization_compute(degree, "L1", lam_max * 0.99)["zeros"] == degree - 1
        assert r["zeros"] == 0
        zeros = regularization_path(degree, "L1")["zeros"]
        assert zeros[-1] == degree and zeros[0] == 0
        # more zeros with λ: step by step up to degree 9; beyond, a variable may leave the
        # support and come back along the path, but two decades more λ never has fewer zeros
        assert np.all(zeros[10:] >= zeros[:-10])
        if degree <= 9:
            assert np.all(np.diff(zeros) >= 0)
        # ridge shrinks but never zeros
        assert regularization_compute(degree, "L2", 5.0)["zeros"] == 0


def test_the_path_curves_are_the_fits_at_each_lambda():
    for degree, penalty in ((9, "L2"), (9, "L1"), (2, "L1")):
        path = regularization_path(degree, penalty)
        for i in (0, 7, 30, len(LAMBDAS) - 1):
            r = regularization_compute(degree, penalty, float(LAMBDAS[i]))
            np.testing.assert_allclose(path["weights"][i], r["weights"], atol=1e-9)
            assert path["train_mse"][i] == pytest.approx(r["train_mse"], rel=1e-8)
            assert path["val_mse"][i] == pytest.approx(r["val_mse"], rel=1e-8)
        Xv = features(DATA["x_val"], degree)
        w = path["weights"][10]
        assert path["val_mse"][10] == pytest.approx(np.mean((Xv @ w - DATA["y_val"]) ** 2))
    # ridge: the training error can only grow with λ
    assert np.all(np.diff(regularization_path(9, "L2")["train_mse"]) >= -1e-12)


def test_overfitting_shows_in_the_validation_error():
    low = regularization_compute(DEGREE_MAX, "L2", 0.0)
    mid = regularization_compute(DEGREE_MAX, "L2", 1e-4)
    assert low["train_mse"] < mid["train_mse"] and low["val_mse"] > mid["val_mse"]
    assert regularization_compute(0, "L2", 0.0)["val_mse"] > mid["val_mse"]     # underfit


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="degree"):
        regularization_compute(16, "L2", 0.1)
    with pytest.raises(ValueError, match="penalty"):
        regularization_compute(3, "L0", 0.1)
    with pytest.raises(ValueError, match="λ"):
        regularization_compute(3, "L1", -1.0)
    with pytest.raises(ValueError, match="penalty"):
        regularization_explorer(penalty="elastic")


@pytest.fixture(scope="module")
def ex():
    return regularization_explorer()


def test_defaults(ex):
    r = ex.result
    assert ex.error is None and (r["degree"], r["penalty"]) == (9, "L2")
    assert r["lam"] == pytest.approx(1e-3, rel=1e-9)


def test_the_picture_shows_the_core_after_moving_sliders(ex):
    ex.controls["penalty"].value = "L1"
    ex.controls["degree"].value = 12
    lam = float(LAMBDAS[35])                                     # 10^-1.2
    ex.controls["lam"].value = lam
    r = ex.result
    assert ex.error is None and (r["degree"], r["penalty"], r["lam"]) == (12, "L1", lam)
    ref = regularization_compute(12, "L1", lam)
    np.testing.assert_array_equal(r["weights"], ref["weights"])
    x, y = line_data(ex.fit_line)
    np.testing.assert_allclose(y, np.clip(features(XS, 12) @ ref["weights"], -5, 5))
    zx, _ = line_data(ex.zero_marks)
    np.testing.assert_array_equal(zx, np.flatnonzero(ref["weights"][1:] == 0) + 1)
    assert r["zeros"] > 0 and len(zx) == r["zeros"]
    assert ex.zero_text.get_text() == f"zeros: {r['zeros']} of 12"
    (vx,), (vy,) = line_data(ex.val_dot)
    assert vx == lam and vy == pytest.approx(ref["val_mse"])
    np.testing.assert_allclose(line_data(ex.val_curve)[1],
                               np.clip(regularization_path(12, "L1")["val_mse"], 5e-4, 20))
    assert_blit_matches_full_redraw(ex)
    ex.controls["lam"].value = 0.0                               # λ = 0 sits at the "0" tick
    assert ex.result["zeros"] == 0 and line_data(ex.lam_line)[0][0] == 1e-9
    assert_blit_matches_full_redraw(ex)
