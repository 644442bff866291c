"""Part 1 checkers: each reference solution passes, each catalogued mistake — written as the real
wrong code a learner would write — is caught under its own name, and an unattempted stub reports
"not attempted yet" instead of raising."""
from pathlib import Path

import numpy as np
import pytest

from dlmath.exercises import (check_vector_norms, check_cosine_similarity, check_add_channel_bias,
                              check_matmul_shape, check_linear_forward, check_parallelogram_area,
                              check_condition_number, check_power_iteration,
                              check_explained_variance_ratio)
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
    a = lambda x: np.abs(x)
    assert_catches(check_vector_norms, {
        "max without abs": lambda x: (a(x).sum(), np.sqrt((x ** 2).sum()), abs(x.max())),
        "signed max entry": lambda x: (a(x).sum(), np.sqrt((x ** 2).sum()), x[np.argmax(a(x))]),
        "square of the sum": lambda x: (a(x).sum(), np.sqrt(x.sum() ** 2), a(x).max()),
        "wrong order": lambda x: (np.sqrt((x ** 2).sum()), a(x).sum(), a(x).max()),
        "low precision": lambda x: (lambda y: (y.sum(), np.sqrt((y ** 2).sum()), y.max()))(
            np.abs(np.asarray(x, dtype=np.float32))),
    })


def test_cosine_similarity():
    def ok(a, b):
        na, nb = np.linalg.norm(a), np.linalg.norm(b)
        return 0.0 if na == 0 or nb == 0 else float(a @ b / (na * nb))
    assert check_cosine_similarity(ok)
    assert check_cosine_similarity(lambda a, b: 0.0 if not (a.any() and b.any()) else
                                   float(a @ b) / float(np.linalg.norm(a) * np.linalg.norm(b)))
    assert_catches(check_cosine_similarity, {
        "one norm only": lambda a, b: a @ b / np.linalg.norm(a) if np.linalg.norm(a) else 0.0,
        "L1 norm": lambda a, b: a @ b / max(np.abs(a).sum() * np.abs(b).sum(), 1e-12),
        "squared norms": lambda a, b: a @ b / max((a @ a) * (b @ b), 1e-12),
        "zero vector": lambda a, b: a @ b / (np.linalg.norm(a) * np.linalg.norm(b)),
    })
    n = np.linalg.norm
    assert_catches(check_cosine_similarity, {
        "second vector zero": lambda a, b: 0.0 if n(a) == 0 else a @ b / (n(a) * n(b)),
        "zero test by sum": lambda a, b: 0.0 if a.sum() == 0 or b.sum() == 0 else
        a @ b / (n(a) * n(b)),
        "squared length of one": lambda a, b: 0.0 if n(a) == 0 or n(b) == 0 else a @ b / n(a) ** 2,
        # PyTorch's clamped denominator and np.allclose call a 1e-9-long vector "zero"
        "tolerance zero test": lambda a, b: a @ b / max(n(a) * n(b), 1e-8),
        "angle instead of cosine": lambda a, b: 0.0 if n(a) == 0 or n(b) == 0 else
        np.arccos(np.clip(a @ b / (n(a) * n(b)), -1, 1)),
        "absolute value": lambda a, b: 0.0 if n(a) == 0 or n(b) == 0 else
        abs(a @ b) / (n(a) * n(b)),
    })
    r = check_cosine_similarity(lambda a, b: 0.0 if np.allclose(a, 0) or np.allclose(b, 0) else
                                a @ b / (n(a) * n(b)))
    assert not r and "tolerance zero test" in r.mistakes
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

    def into_int_copy(Z, b):
        out = np.zeros_like(Z)
        for c in range(Z.shape[1]):
            out[:, c] = Z[:, c] + b[c]
        return out

    def in_place(Z, b):
        Z += b.reshape(1, -1, 1, 1)
        return Z
    assert_catches(check_add_channel_bias, {
        "batch axis": lambda Z, b: Z + b.reshape(-1, 1, 1, 1) if Z.shape[0] == Z.shape[1] else
        Z + b.reshape(1, -1, 1, 1) + 1,
        "one number for all channels": lambda Z, b: Z + b.mean(),
        "integer result": into_int_copy,
        "in place": in_place,
    })


# ---------------------------------------------------------------- 02 matrix multiplication
def test_matmul_shape():
    def ok(a, b):
        return (a[0], b[1]) if a[1] == b[0] else None
    assert check_matmul_shape(ok)
    assert check_matmul_shape(lambda a, b: (np.zeros(a) @ np.zeros(b)).shape
                              if a[1] == b[0] else None)

    def raises(a, b):
        if a[1] != b[0]:
            raise ValueError("inner sizes differ")
        return (a[0], b[1])
    assert_catches(check_matmul_shape, {
        "list": lambda a, b: [a[0], b[1]] if a[1] == b[0] else None,   # "as a tuple", says 02
        "raises": raises,
        "False instead of None": lambda a, b: (a[0], b[1]) if a[1] == b[0] else False,
        "size-1 axis broadcasts": lambda a, b: (a[0], b[1]) if a[1] == b[0] or 1 in (a[1], b[0])
        else None,
        "other order": lambda a, b: (a[0], b[1]) if a[0] == b[1] else None,
    })
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

    def into_input_dtype(X, W, b):
        out = np.zeros((X.shape[0], W.shape[0]), dtype=X.dtype)
        out[...] = X @ W.T + b
        return out
    f32 = lambda a: np.asarray(a, dtype=np.float32)
    assert_catches(check_linear_forward, {
        "transposed result": lambda X, W, b: W @ X.T + b,
        "bias subtracted": lambda X, W, b: X @ W.T - b,
        "integer result": into_input_dtype,
        "low precision": lambda X, W, b: f32(X) @ f32(W).T + f32(b),
    })
    r = check_linear_forward(lambda X, W, b: (X @ W.T + b).T)
    assert not r and "transposed result" in r.mistakes


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
    gram = lambda u, v: (u @ u) * (v @ v) - (u @ v) ** 2
    assert_catches(check_parallelogram_area, {
        "triangle": lambda u, v: abs(u[0] * v[1] - u[1] * v[0]) / 2,
        "wrong pairs": lambda u, v: abs(u[0] * v[0] - u[1] * v[1]),
        "dot product": lambda u, v: abs(u @ v),
        "area squared": gram,
        "cancellation": lambda u, v: np.sqrt(max(gram(u, v), 0.0)),
    })
    # through the angle: ‖u‖‖v‖ sin(arccos(cos θ)) loses digits the same way
    r = check_parallelogram_area(lambda u, v: 0.0 if not (u.any() and v.any()) else
                                 np.linalg.norm(u) * np.linalg.norm(v) * np.sin(np.arccos(np.clip(
                                     u @ v / (np.linalg.norm(u) * np.linalg.norm(v)), -1, 1))))
    assert not r and "cancellation" in r.mistakes


# ---------------------------------------------------------------- 03 linear systems


def test_condition_number():
    def ok(A):
        s = np.linalg.svd(A, compute_uv=False)
        return np.inf if s[-1] == 0 else s[0] / s[-1]
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
    sv = lambda A: np.linalg.svd(A, compute_uv=False)

    def gram_eigs(A):
        lam = np.clip(np.linalg.eigvalsh(A.T @ A), 0, None)
        return np.inf if lam[0] == 0 else np.sqrt(lam[-1] / lam[0])

    def python_division(A):
        s = sv(A)
        return float(s[0]) / float(s[-1])
    assert_catches(check_condition_number, {
        "eigenvalues": lambda A: (lambda l: l[-1] / l[0])(np.sort(np.linalg.eigvals(A).real)),
        "squared": lambda A: (lambda l: l[-1] / l[0])(np.linalg.eigvalsh(A.T @ A)),
        "wide matrix": gram_eigs,
        "zero matrix": lambda A: sv(A)[0] / sv(A)[-1],
        "second singular value": lambda A: sv(A)[0] / sv(A)[min(1, len(sv(A)) - 1)]
        if sv(A)[-1] > 0 else np.inf,
        "tolerance as zero": lambda A: np.inf if sv(A)[-1] < 1e-10 else sv(A)[0] / sv(A)[-1],
        "zero for singular": lambda A: 0.0 if sv(A)[-1] == 0 else sv(A)[0] / sv(A)[-1],
        "singular raises": python_division,
    })


# ---------------------------------------------------------------- 04 eigenvalues and PCA
def power_ok(A, num_iters=100):
    v = np.random.default_rng(0).standard_normal(A.shape[0])
    v = v / np.linalg.norm(v)
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

    def iterate(A, v, num_iters, fix_sign=False):
        for _ in range(num_iters):
            w = A @ v
            v = w / np.linalg.norm(w)
            if fix_sign:
                v = v * np.sign(v[0])
        return v

    def ones_start(A, num_iters=100):
        v = iterate(A, np.ones(A.shape[0]) / np.sqrt(A.shape[0]), num_iters)
        return v @ A @ v, v

    def e1_start(A, num_iters=100):
        v = iterate(A, np.eye(A.shape[0])[0], num_iters)
        return v @ A @ v, v

    def first_component_ratio(A, num_iters=100):
        v = iterate(A, np.random.default_rng(0).standard_normal(A.shape[0]), num_iters)
        return (A @ v)[0] / v[0], v

    def sign_by_first_entry(A, num_iters=100):
        v = iterate(A, np.random.default_rng(0).standard_normal(A.shape[0]), num_iters, True)
        return v @ A @ v, v

    def five_steps(A, num_iters=100):
        return power_ok(A, 5)

    def int_start_in_place(A, num_iters=100):
        v = np.arange(1, A.shape[0] + 1)
        v /= np.linalg.norm(v)
        return v @ A @ v, v

    def until_converged(A, num_iters=100):           # never stops when λ < 0: v flips sign
        v = np.ones(A.shape[0])
        while True:
            w = A @ v
            w = w / np.linalg.norm(w)
            if np.linalg.norm(w - v) < 1e-12:
                return w @ A @ w, w
            v = w
    assert_catches(check_power_iteration, {
        "start orthogonal": ones_start,
        "first component": first_component_ratio,
        "largest, not largest in size": lambda A, num_iters=100: (
            np.linalg.eigh(A)[0][-1], np.linalg.eigh(A)[1][:, -1]),
        "ignores num_iters": five_steps,
        "integer array in place": int_start_in_place,
        "time limit": until_converged,
    })
    for wrong in (e1_start, sign_by_first_entry):
        r = check_power_iteration(wrong)
        assert not r and r.mistakes, wrong.__name__
    assert "start orthogonal" in check_power_iteration(e1_start).mistakes
    assert "first component" in check_power_iteration(sign_by_first_entry).mistakes


def evr_ok(X):
    Xc = X - X.mean(axis=0)
    lam = np.linalg.eigvalsh(Xc.T @ Xc / (len(X) - 1))[::-1]
    return lam / lam.sum()


def test_explained_variance_ratio():
    assert check_explained_variance_ratio(evr_ok)

    def by_svd(X):
        s = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
        r = s ** 2 / np.sum(s ** 2)
        return np.pad(r, (0, X.shape[1] - len(r)))          # n < d: the rest are 0
    assert check_explained_variance_ratio(by_svd)
    # dividing by n instead of n − 1 changes nothing in a ratio
    # (np.atleast_2d: for one feature np.cov returns a 0-d array)
    assert check_explained_variance_ratio(lambda X: (lambda l: l / l.sum())(
        np.linalg.eigvalsh(np.atleast_2d(np.cov(X.T, bias=True)))[::-1]))

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

    def unpadded_svd(X):
        s = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
        return s ** 2 / np.sum(s ** 2)

    def moments(X):                       # E[xxᵀ] − E[x]E[x]ᵀ: cancels for a large mean
        m = X.mean(axis=0)
        lam = np.linalg.eigvalsh(X.T @ X / len(X) - np.outer(m, m))[::-1]
        return lam / lam.sum()

    def in_place(X):
        X -= X.mean(axis=0)
        lam = np.linalg.eigvalsh(X.T @ X)[::-1]
        return lam / lam.sum()
    assert_catches(check_explained_variance_ratio, {
        "fewer samples than features": unpadded_svd, "E[x²] − E[x]²": moments,
        "in place": in_place})


# ---------------------------------------------------------------- 05 SVD


# ---------------------------------------------------------------- sweeps and generic messages
def test_an_uncatalogued_mistake_gets_the_smallest_failing_input_and_a_hint():
    # right on every hand-picked case, wrong once a vector has 5 or more entries
    r = check_vector_norms(lambda x: (np.abs(x).sum(), np.sqrt((x ** 2).sum()),
                                      np.abs(x).max() * (1 if len(x) < 5 else 2)))
    assert not r and r.mistakes == []
    assert "random inputs failed" in r.message and "on input x = [" in r.message
    assert "from its definition" in r.message
    shown = r.message.split("on input x = [")[1].split("]")[0]
    assert shown.count(",") == 4, shown            # the smallest failing input: 5 entries
    # a wrong answer only on a 4×5 data matrix (n < d is not the catalogued mistake here)
    r = check_explained_variance_ratio(lambda X: evr_ok(X) if X.shape[0] != 4 or X.shape[1] < 3
                                       else evr_ok(X)[::-1])
    assert not r and "random inputs failed" in r.message and "Centre X" in r.message


def test_sweep_inputs_include_the_degenerate_corners():
    from dlmath.exercises.linear_algebra import _cond_input, _power_input, _evr_input
    from dlmath.exercises.core import Given
    rng = np.random.default_rng(0)
    made = [_cond_input(rng, i) for i in range(200)]
    assert all(isinstance(g, Given) for g in made)
    shapes = {g.args[0].shape for g in made}
    assert any(m < n for m, n in shapes) and any(m > n for m, n in shapes)   # wide and tall
    assert sum(g.expected == np.inf for g in made) >= 10                       # singular ones
    powers = [_power_input(rng, i) for i in range(150)]
    assert sum(g.expected[1][0] == 0 for g in powers) >= 20    # eigenvector, first entry 0
    assert sum(g.expected[0] < 0 for g in powers) >= 20        # negative dominant eigenvalue
    data = [_evr_input(rng, i)[0] for i in range(150)]
    assert any(X.shape[0] <= X.shape[1] for X in data)
    assert any(X.dtype.kind == "i" for X in data) and any(abs(X).max() > 1e5 for X in data)


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
    here = Path(__file__).parent
    for name in linear_algebra.__all__:
        own_file = (here / f"test_exercises_{name}.py").exists() or \
            (here / f"test_exercises_{name[len('check_'):]}.py").exists()
        assert f"test_{name[len('check_'):]}" in tested or own_file, name
