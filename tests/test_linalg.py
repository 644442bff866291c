"""dlmath.linalg against numpy.linalg: power iteration, SVD/PCA, low-rank approximation, 2×2 maps."""
import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra.numpy import arrays

import dlmath
from dlmath import linalg

finite = st.floats(-5, 5, allow_nan=False, allow_infinity=False)


def test_power_iteration_symmetric_matches_eigh():
    rng = np.random.default_rng(1)
    B = rng.standard_normal((6, 6))
    A = B @ B.T + np.diag([10, 0, 0, 0, 0, 0])
    r = linalg.power_iteration(A, num_iters=5000, tol=1e-12)
    w, V = np.linalg.eigh(A)
    assert r.converged
    assert r.eigenvalue == pytest.approx(w[-1], rel=1e-10)
    v = V[:, -1] * np.sign(V[np.argmax(np.abs(V[:, -1])), -1])
    np.testing.assert_allclose(r.eigenvector, v, atol=1e-6)
    assert len(r.history) == r.iterations


def test_power_iteration_rate_is_ratio_of_eigenvalues():
    A = np.diag([4.0, 2.0, 1.0])
    r = linalg.power_iteration(A, num_iters=60, tol=0, x0=np.ones(3))
    err = np.abs(r.history - 4.0)
    ratio = err[10] / err[9]
    assert ratio == pytest.approx((2 / 4) ** 2, rel=1e-2)     # Rayleigh quotient: squared rate


def test_power_iteration_accepts_tensors_and_checks_input():
    r = linalg.power_iteration(dlmath.tensor([[2.0, 0.0], [0.0, 1.0]]))
    assert r.eigenvalue == pytest.approx(2.0)
    with pytest.raises(ValueError, match="square"):
        linalg.power_iteration(np.ones((2, 3)))
    with pytest.raises(ValueError, match="zero vector"):
        linalg.power_iteration(np.eye(2), x0=np.zeros(2))


def test_svd_reconstructs_and_has_deterministic_signs():
    rng = np.random.default_rng(2)
    A = rng.standard_normal((7, 5))
    U, s, Vt = linalg.svd(A)
    np.testing.assert_allclose((U * s) @ Vt, A, atol=1e-12)
    np.testing.assert_allclose(s, np.linalg.svd(A, compute_uv=False))
    idx = np.argmax(np.abs(Vt), axis=1)
    assert np.all(Vt[np.arange(len(s)), idx] > 0)


@given(arrays(np.float64, (6, 4), elements=finite), st.integers(0, 4))
def test_low_rank_error_is_the_tail_of_the_singular_values(A, k):
    Ak = linalg.low_rank_approx(A, k)
    s = np.linalg.svd(A, compute_uv=False)
    assert np.linalg.norm(A - Ak) == pytest.approx(np.sqrt(np.sum(s[k:] ** 2)), abs=1e-9)
    assert linalg.low_rank_error(s, k) == pytest.approx(np.sqrt(np.sum(s[k:] ** 2)), abs=1e-12)
    assert np.linalg.matrix_rank(Ak, tol=1e-8) <= k
    if k < len(s):
        assert np.linalg.norm(A - Ak, 2) == pytest.approx(s[k], abs=1e-9)
        assert linalg.low_rank_error(s, k, norm=2) == s[k]


def test_low_rank_checks_k():
    with pytest.raises(ValueError, match="k must be"):
        linalg.low_rank_approx(np.ones((3, 3)), 4)
    with pytest.raises(ValueError, match="k must be"):
        linalg.low_rank_error([1.0, 0.5], 3)


def test_pca_matches_covariance_eigendecomposition():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((200, 3)) @ np.array([[3, 0, 0], [1, 1, 0], [0, 0, 0.2]])
    p = linalg.pca(X, 2)
    w, V = np.linalg.eigh(np.cov(X.T))
    np.testing.assert_allclose(p.explained_variance, w[::-1][:2], rtol=1e-10)
    for i in range(2):
        assert abs(p.components[i] @ V[:, ::-1][:, i]) == pytest.approx(1.0, abs=1e-10)
    np.testing.assert_allclose(p.components @ p.components.T, np.eye(2), atol=1e-12)
    Z = p.transform(X)
    np.testing.assert_allclose(Z.var(axis=0, ddof=1), p.explained_variance, rtol=1e-10)
    full = linalg.pca(X)
    np.testing.assert_allclose(full.inverse_transform(full.transform(X)), X, atol=1e-10)
    assert full.explained_variance_ratio.sum() == pytest.approx(1.0)


@given(arrays(np.float64, (2, 2), elements=finite))
def test_eig2_matches_numpy(A):
    e = linalg.eig2(A)
    ref = np.linalg.eigvals(A)
    assert e.det == pytest.approx(np.linalg.det(A), abs=1e-9)
    assert sorted(np.round(e.eigenvalues, 6), key=lambda z: (z.real, z.imag)) == \
        pytest.approx(sorted(np.round(ref, 6), key=lambda z: (z.real, z.imag)), abs=1e-4)
    if e.real and abs(e.discriminant) > 1e-6:
        for j in range(2):
            v = e.eigenvectors[:, j]
            assert np.linalg.norm(A @ v - e.eigenvalues[j].real * v) < 1e-6 * max(1, np.abs(A).max())
            assert np.linalg.norm(v) == pytest.approx(1.0)


def test_eig2_cases():
    rot = linalg.eig2([[0, -1], [1, 0]])
    assert not rot.real and rot.eigenvectors is None
    np.testing.assert_allclose(sorted(rot.eigenvalues.imag), [-1, 1])
    shear = linalg.eig2([[1, 1], [0, 1]])
    assert shear.real
    np.testing.assert_allclose(np.abs(shear.eigenvectors), [[1, 1], [0, 0]])
    ident = linalg.eig2(np.eye(2) * 3)
    np.testing.assert_allclose(ident.eigenvectors, np.eye(2))
    with pytest.raises(ValueError, match="2×2"):
        linalg.eig2(np.eye(3))


def test_transform_and_helpers():
    A = np.array([[2.0, 1.0], [0.0, 1.0]])
    pts = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    np.testing.assert_allclose(linalg.transform(A, pts), (A @ pts.T).T)
    np.testing.assert_allclose(linalg.transform(A, pts.T), A @ pts.T)
    lines = linalg.grid_lines(2.0, 5)
    assert lines.shape == (10, 2, 2)
    np.testing.assert_allclose(linalg.transform(A, lines)[3], (A @ lines[3].T).T)
    c = linalg.unit_circle(50)
    np.testing.assert_allclose(np.linalg.norm(c, axis=1), 1.0)
    assert linalg.det2(A) == 2.0
    assert "rotation" in linalg.describe2([[0, -1], [1, 0]])
    assert "singular" in linalg.describe2([[1, 2], [2, 4]])
    assert "reflection" in linalg.describe2([[1, 0], [0, -1]])
