"""Part 1 checkers: each reference solution passes, each catalogued mistake — written as the real
wrong code a learner would write — is caught under its own name, and an unattempted stub reports
"not attempted yet" instead of raising."""
import numpy as np
import pytest

from dlmath.exercises import (check_vector_norms, check_cosine_similarity, check_add_channel_bias,
                              check_matmul_shape, check_linear_forward, check_parallelogram_area,
                              check_least_squares, check_condition_number, check_power_iteration,
                              check_explained_variance_ratio, check_rank_k_approx,
                              check_eckart_young_error)
from dlmath.exercises import linear_algebra


def stub(*args):
    raise NotImplementedError


def assert_catches(checker, wrong):
    for name, fn in wrong.items():
        r = checker(fn)
        assert not r, name
        assert name in r.mistakes, (name, r.mistakes, r.message)


# ---------------------------------------------------------------- 01 vectors, matrices, tensors
def test_vector_norms():
    ok = lambda x: (np.abs(x).sum(), np.sqrt((x ** 2).sum()), np.abs(x).max())
    assert check_vector_norms(ok)
    assert check_vector_norms(lambda x: tuple(np.linalg.norm(x, p) for p in (1, 2, np.inf)))
    assert_catches(check_vector_norms, {
        "L1 without abs": lambda x: (x.sum(), np.sqrt((x ** 2).sum()), np.abs(x).max()),
        "L2 without sqrt": lambda x: (np.abs(x).sum(), (x ** 2).sum(), np.abs(x).max()),
        "max without abs": lambda x: (np.abs(x).sum(), np.sqrt((x ** 2).sum()), x.max()),
    })


def test_cosine_similarity():
    def ok(a, b):
        na, nb = np.linalg.norm(a), np.linalg.norm(b)
        return 0.0 if na == 0 or nb == 0 else float(a @ b / (na * nb))
    assert check_cosine_similarity(ok)
    assert check_cosine_similarity(lambda a, b: a @ b / max(np.linalg.norm(a) * np.linalg.norm(b),
                                                            1e-8))
    assert_catches(check_cosine_similarity, {
        "one norm only": lambda a, b: a @ b / np.linalg.norm(a) if np.linalg.norm(a) else 0.0,
        "L1 norm": lambda a, b: a @ b / max(np.abs(a).sum() * np.abs(b).sum(), 1e-12),
        "squared norms": lambda a, b: a @ b / max((a @ a) * (b @ b), 1e-12),
        "zero vector": lambda a, b: a @ b / (np.linalg.norm(a) * np.linalg.norm(b)),
    })
    # plain Python floats raise ZeroDivisionError instead of returning nan: still recognised
    r = check_cosine_similarity(lambda a, b: float(a @ b) / float(np.linalg.norm(a) *
                                                                    np.linalg.norm(b)))
    assert not r and "zero vector" in r.mistakes


def test_add_channel_bias():
    assert check_add_channel_bias(lambda Z, b: Z + b.reshape(1, -1, 1, 1))
    assert check_add_channel_bias(lambda Z, b: Z + b[:, None, None])
    assert_catches(check_add_channel_bias, {
        "last axis": lambda Z, b: Z + b,
        "height axis": lambda Z, b: Z + b[:, None],
        "shape changed": lambda Z, b: Z + b.reshape(-1, 1, 1, 1),
    })


# ---------------------------------------------------------------- 02 matrix multiplication
def test_matmul_shape():
    def ok(a, b):
        return (a[0], b[1]) if a[1] == b[0] else None
    assert check_matmul_shape(ok)
    assert check_matmul_shape(lambda a, b: [a[0], b[1]] if a[1] == b[0] else None)  # a list is fine
    assert_catches(check_matmul_shape, {
        "no compatibility check": lambda a, b: (a[0], b[1]),
        "inner sizes": lambda a, b: (a[1], b[0]) if a[1] == b[0] else None,
        "wrong outer sizes": lambda a, b: (b[1], a[0]) if a[1] == b[0] else None,
    })


def test_linear_forward():
    assert check_linear_forward(lambda X, W, b: X @ W.T + b)
    assert check_linear_forward(lambda X, W, b: np.einsum("ni,oi->no", X, W) + b[None, :])
    assert_catches(check_linear_forward, {
        "W not transposed": lambda X, W, b: X @ W + b,
        "bias on the wrong axis": lambda X, W, b: X @ W.T + b[:, None],
        "bias forgotten": lambda X, W, b: X @ W.T,
    })


def test_linear_forward_accepts_dlmath_tensors():
    import dlmath as dm
    assert check_linear_forward(lambda X, W, b: dm.tensor(X) @ dm.tensor(W).T + dm.tensor(b))


def test_parallelogram_area():
    assert check_parallelogram_area(lambda u, v: abs(u[0] * v[1] - u[1] * v[0]))
    assert check_parallelogram_area(lambda u, v: abs(np.linalg.det(np.column_stack([u, v]))))
    assert_catches(check_parallelogram_area, {
        "signed": lambda u, v: u[0] * v[1] - u[1] * v[0],
        "plus instead of minus": lambda u, v: abs(u[0] * v[1] + u[1] * v[0]),
        "product of lengths": lambda u, v: np.linalg.norm(u) * np.linalg.norm(v)
        if abs(u[0] * v[1] - u[1] * v[0]) > 0 else 0.0,
    })


# ---------------------------------------------------------------- 03 linear systems
def test_least_squares():
    assert check_least_squares(lambda A, b: np.linalg.lstsq(A, b, rcond=None)[0])
    assert check_least_squares(lambda A, b: np.linalg.pinv(A) @ b)

    def qr(A, b):
        Q, R = np.linalg.qr(A)
        return np.linalg.solve(R, Q.T @ b)
    assert check_least_squares(qr)
    assert_catches(check_least_squares, {
        "normal equations": lambda A, b: np.linalg.solve(A.T @ A, A.T @ b),
        "whole lstsq tuple": lambda A, b: np.linalg.lstsq(A, b, rcond=None),
        "square solve": lambda A, b: np.linalg.solve(A, b),
        "A transpose b": lambda A, b: A.T @ b,
    })
    r = check_least_squares(lambda A, b: np.linalg.inv(A.T @ A) @ A.T @ b)
    assert not r and "normal equations" in r.mistakes


def test_condition_number():
    def ok(A):
        s = np.linalg.svd(A, compute_uv=False)
        return s[0] / s[-1]
    assert check_condition_number(ok)
    assert check_condition_number(lambda A: np.linalg.cond(A))

    def eigen_ratio(A):
        lam = np.abs(np.linalg.eigvals(A))
        return lam.max() / lam.min()
    assert_catches(check_condition_number, {
        "eigenvalues": eigen_ratio,
        "inverted": lambda A: 1 / ok(A),
        "norm of A only": lambda A: np.linalg.norm(A, 2),
        "Frobenius": lambda A: np.linalg.norm(A) * np.linalg.norm(np.linalg.inv(A)),
    })


# ---------------------------------------------------------------- 04 eigenvalues and PCA
def power_ok(A, num_iters=100):
    v = np.ones(A.shape[0]) / np.sqrt(A.shape[0])
    for _ in range(num_iters):
        w = A @ v
        v = w / np.linalg.norm(w)
    return v @ A @ v, v


def test_power_iteration():
    assert check_power_iteration(power_ok)

    def random_start(A, num_iters=100):
        v = np.random.default_rng(3).standard_normal(A.shape[0])
        for _ in range(num_iters):
            v = A @ v
            v /= np.linalg.norm(v)
        return float(v @ A @ v), v
    assert check_power_iteration(random_start)

    def no_normalisation(A, num_iters=100):
        v = np.ones(A.shape[0])
        for _ in range(num_iters):
            v = A @ v
        return v @ A @ v / (v @ v), v / np.linalg.norm(v)

    def norm_not_rayleigh(A, num_iters=100):
        v = np.ones(A.shape[0])
        for _ in range(num_iters):
            w = A @ v
            lam = np.linalg.norm(w)
            v = w / lam
        return lam, v

    def returns_Av(A, num_iters=100):
        lam, v = power_ok(A, num_iters)
        return lam, A @ v
    assert_catches(check_power_iteration, {"overflow": no_normalisation,
                                           "norm instead of Rayleigh quotient": norm_not_rayleigh,
                                           "not unit length": returns_Av})


def evr_ok(X):
    Xc = X - X.mean(axis=0)
    lam = np.linalg.eigvalsh(Xc.T @ Xc / (len(X) - 1))[::-1]
    return lam / lam.sum()


def test_explained_variance_ratio():
    assert check_explained_variance_ratio(evr_ok)

    def by_svd(X):
        s = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
        return s ** 2 / np.sum(s ** 2)
    assert check_explained_variance_ratio(by_svd)
    # dividing by n instead of n − 1 changes nothing in a ratio
    assert check_explained_variance_ratio(lambda X: (lambda l: l / l.sum())(
        np.linalg.eigvalsh(np.cov(X.T, bias=True))[::-1]))

    def not_centred(X):
        lam = np.linalg.eigvalsh(X.T @ X)[::-1]
        return lam / lam.sum()

    def not_sorted(X):
        Xc = X - X.mean(axis=0)
        lam = np.linalg.eigvalsh(Xc.T @ Xc)
        return lam / lam.sum()

    def s_not_squared(X):
        s = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
        return s / s.sum()

    def variances(X):
        Xc = X - X.mean(axis=0)
        return np.linalg.eigvalsh(Xc.T @ Xc / (len(X) - 1))[::-1]

    def gram(X):
        Xc = X - X.mean(axis=0)
        lam = np.clip(np.linalg.eigvalsh(Xc @ Xc.T)[::-1], 0, None)
        return lam / lam.sum()

    def feature_variances(X):
        v = np.sort(X.var(axis=0))[::-1]
        return v / v.sum()
    assert_catches(check_explained_variance_ratio, {
        "not centred": not_centred, "not sorted": not_sorted,
        "singular values not squared": s_not_squared, "not normalised": variances,
        "Gram matrix": gram, "feature variances": feature_variances})


# ---------------------------------------------------------------- 05 SVD
def test_rank_k_approx():
    def ok(A, k):
        U, s, Vt = np.linalg.svd(A, full_matrices=False)
        return (U[:, :k] * s[:k]) @ Vt[:k]
    assert check_rank_k_approx(ok)

    def outer_sum(A, k):
        U, s, Vt = np.linalg.svd(A)
        return sum((s[i] * np.outer(U[:, i], Vt[i]) for i in range(k)), np.zeros(A.shape))
    assert check_rank_k_approx(outer_sum)

    def k_plus_one(A, k):
        U, s, Vt = np.linalg.svd(A, full_matrices=False)
        return (U[:, :k + 1] * s[:k + 1]) @ Vt[:k + 1]

    def no_sigma(A, k):
        U, s, Vt = np.linalg.svd(A, full_matrices=False)
        return U[:, :k] @ Vt[:k]

    def vt_columns(A, k):
        U, s, Vt = np.linalg.svd(A, full_matrices=False)
        return U[:, :k] @ np.diag(s[:k]) @ Vt[:, :k].T
    assert_catches(check_rank_k_approx, {"k + 1 components": k_plus_one,
                                         "singular values forgotten": no_sigma,
                                         "columns of Vt": vt_columns})


def test_eckart_young_error():
    assert check_eckart_young_error(lambda s, k: np.sqrt(np.sum(s[k:] ** 2)))
    assert check_eckart_young_error(lambda s, k: np.linalg.norm(s[k:]))
    assert_catches(check_eckart_young_error, {
        "off by one": lambda s, k: np.sqrt(np.sum(s[k + 1:] ** 2)) if k < len(s) else 0.0,
        "not squared": lambda s, k: np.sum(s[k:]),
        "no square root": lambda s, k: np.sum(s[k:] ** 2),
        "kept part": lambda s, k: np.sqrt(np.sum(s[:k] ** 2)),
    })


# ---------------------------------------------------------------- every checker
@pytest.mark.parametrize("name", linear_algebra.__all__)
def test_stub_is_not_attempted(name, capsys):
    r = getattr(linear_algebra, name)(stub)
    assert r.status == "not attempted"
    assert "not attempted yet" in capsys.readouterr().out


@pytest.mark.parametrize("name", linear_algebra.__all__)
def test_checker_survives_a_crashing_function(name):
    r = getattr(linear_algebra, name)(lambda *a: 1 / 0)
    assert r.status == "failed" and "ZeroDivisionError" in r.message


def test_every_checker_is_tested():
    tested = {n for n in globals() if n.startswith("test_")}
    for name in linear_algebra.__all__:
        assert f"test_{name[len('check_'):]}" in tested, name
