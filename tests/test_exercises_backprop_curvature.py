"""Checkers of the calculus notebooks 09–11: a reference solution (written here) passes, every
catalogued mistake — written as real wrong code — is caught under its own name, and an unattempted
stub prints "not attempted yet"."""
import math

import numpy as np
import pytest

from dlmath.exercises import (check_linear_backward, check_softmax_cross_entropy_grad,
                              check_tanh_backward, check_hessian_fd,
                              check_classify_stationary_point, check_trapezoid, check_monte_carlo)
from dlmath.exercises import backprop_curvature as B


def stub(*args):
    raise NotImplementedError


def assert_catches(checker, wrong):
    for name, fn in wrong.items():
        r = checker(fn)
        assert not r and r.mistakes and r.mistakes[0] == name, (name, r.mistakes, r.message)


@pytest.mark.parametrize("checker", [
    check_linear_backward, check_softmax_cross_entropy_grad, check_tanh_backward,
    check_hessian_fd, check_classify_stationary_point, check_trapezoid, check_monte_carlo])
def test_stub_is_not_attempted(checker, capsys):
    r = checker(stub)
    assert r.status == "not attempted"
    assert "not attempted yet" in capsys.readouterr().out


# -- 09 ----------------------------------------------------------------------------------------

def test_linear_backward():
    ok = lambda X, W, dZ: (dZ @ W.T, X.T @ dZ, dZ.sum(axis=0))
    assert check_linear_backward(ok)
    assert_catches(check_linear_backward, {
        "dW transposed": lambda X, W, dZ: (dZ @ W.T, dZ.T @ X, dZ.sum(axis=0)),
        "dX with W, not Wᵀ": lambda X, W, dZ: (dZ @ W, X.T @ dZ, dZ.sum(axis=0)),
        "db not summed": lambda X, W, dZ: (dZ @ W.T, X.T @ dZ, dZ),
        "db averaged": lambda X, W, dZ: (dZ @ W.T, X.T @ dZ, dZ.mean(axis=0)),
        "db keepdims": lambda X, W, dZ: (dZ @ W.T, X.T @ dZ, dZ.sum(axis=0, keepdims=True)),
        "db over the wrong axis": lambda X, W, dZ: (dZ @ W.T, X.T @ dZ, dZ.sum(axis=1)),
        "db summed over everything": lambda X, W, dZ: (dZ @ W.T, X.T @ dZ, dZ.sum()),
        "averaged over the batch": lambda X, W, dZ: (dZ @ W.T, X.T @ dZ / len(X), dZ.sum(0)),
        "batch of one": lambda X, W, dZ: (dZ @ W.T, X.T * dZ, dZ.sum(axis=0)),
    })
    assert check_linear_backward(lambda X, W, dZ: ((W @ dZ.T).T, (dZ.T @ X).T, dZ.sum(0)))

    def in_place(X, W, dZ):
        grads = dZ @ W.T, X.T @ dZ, dZ.sum(axis=0)
        dZ[...] = 0                                # "free" the upstream gradient: the caller's
        return grads

    r = check_linear_backward(in_place)
    assert not r and "in place" in r.mistakes


def test_linear_backward_sweep_catches_shape_luck():
    def first_row_db(X, W, dZ):                    # right whenever N = 1 ... or dZ's rows agree
        return dZ @ W.T, X.T @ dZ, dZ[0] * len(dZ)
    r = check_linear_backward(first_row_db)
    assert not r and "db" in r.message
    oracle = B._linear_autograd(np.arange(6.0).reshape(2, 3), np.ones((3, 1)), np.ones((2, 1)))
    assert np.allclose(oracle[0], np.ones((2, 3))) and np.allclose(oracle[1], [[3], [5], [7]])
    assert np.allclose(oracle[2], [2.0])


def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _onehot(y, k):
    return np.eye(k)[y]


def test_softmax_cross_entropy_grad():
    ok = lambda z, y: (_softmax(z) - _onehot(y, z.shape[1])) / len(y)

    def no_shift(z, y):
        e = np.exp(z)
        return (e / e.sum(axis=1, keepdims=True) - _onehot(y, z.shape[1])) / len(y)

    assert check_softmax_cross_entropy_grad(ok)
    assert_catches(check_softmax_cross_entropy_grad, {
        "not divided by N": lambda z, y: _softmax(z) - _onehot(y, z.shape[1]),
        "logits minus one-hot": lambda z, y: (z - _onehot(y, z.shape[1])) / len(y),
        "sign flipped": lambda z, y: (_onehot(y, z.shape[1]) - _softmax(z)) / len(y),
        "overflow": no_shift,
        "one global max": global_max,
        "divided by the number of classes": lambda z, y: (_softmax(z) - _onehot(y, z.shape[1]))
        / z.shape[1],
        "whole columns": whole_columns,
        "classes from the labels": lambda z, y: (_softmax(z) - _onehot(y, y.max() + 1)) / len(y),
        "softmax over the batch": lambda z, y: (np.exp(z) / np.exp(z).sum(axis=0)
                                                - _onehot(y, z.shape[1])) / len(y),
    })

    def shift_in_place(z, y):
        z -= z.max(axis=1, keepdims=True)
        return (_softmax(z) - _onehot(y, z.shape[1])) / len(y)

    r = check_softmax_cross_entropy_grad(shift_in_place)
    assert not r and r.mistakes == ["in place"]

    def p_minus_one(z, y):                         # the same gradient, written differently
        p = _softmax(z)
        p[np.arange(len(y)), y] -= 1
        return p / len(y)

    assert check_softmax_cross_entropy_grad(p_minus_one)


def global_max(z, y):
    e = np.exp(z - z.max())                        # one shift for the whole batch
    return (e / e.sum(axis=1, keepdims=True) - _onehot(y, z.shape[1])) / len(y)


def whole_columns(z, y):
    p = _softmax(z)
    p[:, y] -= 1
    return p / len(y)


def test_tanh_backward():
    assert check_tanh_backward(lambda dH, H: dH * (1 - H ** 2))
    assert_catches(check_tanh_backward, {
        "tanh applied twice": lambda dH, H: dH * (1 - np.tanh(H) ** 2),
        "dH forgotten": lambda dH, H: 1 - H ** 2,
        "sigmoid derivative": lambda dH, H: dH * H * (1 - H),
        "square missing": lambda dH, H: dH * (1 - H),
        "plus sign": lambda dH, H: dH * (1 + H ** 2),
        "matrix product": lambda dH, H: dH @ (1 - H ** 2).T,
    })
    assert check_tanh_backward(lambda dH, H: dH * (1 - H) * (1 + H))
    assert check_tanh_backward(lambda dH, H: dH / np.cosh(np.arctanh(H)) ** 2)

    def in_place(dH, H):
        dH *= 1 - H ** 2
        return dH

    r = check_tanh_backward(in_place)
    assert not r and r.mistakes == ["in place"] and "changed its input dH" in r.message


# -- 10 ----------------------------------------------------------------------------------------


def _fd_columns(grad_f, x, h, forward=False, denom=2.0, all_at_once=False):
    n = len(x)
    H = np.zeros((n, n))
    for j in range(n):
        e = np.ones(n) * h if all_at_once else np.eye(n)[j] * h
        lower = grad_f(x) if forward else grad_f(x - e)
        H[:, j] = (grad_f(x + e) - lower) / (h if forward else denom * h)
    return H


def test_hessian_fd():
    def ok(grad_f, x, h=1e-5):
        H = _fd_columns(grad_f, x, h)
        return (H + H.T) / 2

    assert check_hessian_fd(ok)
    sym = lambda H: (H + H.T) / 2
    assert_catches(check_hessian_fd, {
        "not symmetric": lambda g, x, h=1e-5: _fd_columns(g, x, h),
        "forward difference": lambda g, x, h=1e-5: sym(_fd_columns(g, x, h, forward=True)),
        "divided by h": lambda g, x, h=1e-5: sym(_fd_columns(g, x, h, denom=1.0)),
        "all coordinates at once": lambda g, x, h=1e-5: sym(_fd_columns(g, x, h, all_at_once=True)),
    })
    # unsymmetrised and all-at-once also caught
    r = check_hessian_fd(lambda g, x, h=1e-5: _fd_columns(g, x, h, all_at_once=True))
    assert not r and "all coordinates at once" in r.mistakes

    def triu_doubled(g, x, h=1e-5):
        U = np.triu(_fd_columns(g, x, h))
        return U + U.T

    def int_step(g, x, h=1e-5):
        n, H = len(x), np.zeros((len(x), len(x)))
        for j in range(n):
            e = np.zeros_like(x)                   # an integer x: e[j] = h stores 0
            e[j] = h
            H[:, j] = (g(x + e) - g(x - e)) / (2 * h)
        return (H + H.T) / 2

    assert_catches(check_hessian_fd, {
        "diagonal doubled": triu_doubled, "integer x": int_step,
        "h ignored": lambda g, x, h=1e-5: ok(g, x, 1e-5),
    })

    def upper_copied(g, x, h=1e-5):                # exactly symmetric too: each entry is one of
        U = np.triu(_fd_columns(g, x, h))          # the two estimates — also right
        return U + np.triu(U, 1).T

    assert check_hessian_fd(upper_copied)

    def in_place(g, x, h=1e-5):                    # restores x exactly: fine for a float x
        n, H = len(x), np.zeros((len(x), len(x)))
        for j in range(n):
            old = x[j]
            x[j] = old + h
            up = g(x)
            x[j] = old - h
            down = g(x)
            x[j] = old
            H[:, j] = (up - down) / (2 * h)
        return (H + H.T) / 2

    assert check_hessian_fd(in_place).mistakes == ["integer x"]


def test_hessian_sweep_oracle_is_exact():
    rng = np.random.default_rng(4)
    poly = B._random_polyN(rng, 3, quartic=True)
    parts = [poly.partial(k) for k in range(3)]
    x, h = rng.uniform(-1, 1, 3), 1e-2
    M = np.array([[p.central(j, h, x) for j in range(3)] for p in parts])
    grad = lambda v: np.array([p.value(v) for p in parts])
    assert np.allclose(M, _fd_columns(grad, x, h), rtol=1e-9, atol=1e-9)


def test_classify_stationary_point():
    def ok(H):
        lam = np.linalg.eigvalsh(H)
        tol = 1e-10 * max(1.0, np.max(np.abs(lam)))
        if np.any(lam > tol) and np.any(lam < -tol):
            return "saddle"
        if np.any(np.abs(lam) <= tol):
            return "degenerate"
        return "minimum" if lam[0] > 0 else "maximum"

    def diagonal(H):
        d = np.diag(H)
        return "minimum" if np.all(d > 0) else "maximum" if np.all(d < 0) else "saddle"

    def determinant(H):
        det = np.linalg.det(H)
        return "minimum" if det > 0 else "saddle" if det < 0 else "degenerate"

    def ignores_zero(H):
        lam = np.linalg.eigvalsh(H)
        return ("minimum" if np.all(lam >= 0) else "maximum" if np.all(lam <= 0)
                else "saddle")

    def degenerate_first(H):
        lam = np.linalg.eigvalsh(H)
        if np.any(np.abs(lam) < 1e-10):
            return "degenerate"
        return ok(H)

    def exact_zero(H):
        lam = np.linalg.eigvalsh(H)
        if np.any(lam > 0) and np.any(lam < 0):
            return "saddle"
        return "degenerate" if np.any(lam == 0) else ok(H)

    def isclose_zero(H):
        lam = np.linalg.eigvalsh(H)
        zero = np.isclose(lam, 0)                  # atol = 1e-8
        if np.any(lam[~zero] > 0) and np.any(lam[~zero] < 0):
            return "saddle"
        return "degenerate" if np.any(zero) else ok(H)

    assert check_classify_stationary_point(ok)
    assert_catches(check_classify_stationary_point, {
        "looked at the diagonal": diagonal, "determinant only": determinant,
        "zero eigenvalue ignored": ignores_zero, "degenerate before saddle": degenerate_first,
        "exact zero test": exact_zero, "threshold too loose": isclose_zero,
        "not one of the four words": lambda H: ok(H).capitalize()})

    def notebook(H):                               # the notebook's absolute threshold
        lam = np.linalg.eigvalsh(H)
        if np.any(lam > 1e-10) and np.any(lam < -1e-10):
            return "saddle"
        if np.any(np.abs(lam) <= 1e-10):
            return "degenerate"
        return "minimum" if lam[0] > 0 else "maximum"

    assert check_classify_stationary_point(notebook)


def test_classify_sweep_has_the_hard_spectra():
    sw = B._classify_sweep()
    rng = np.random.default_rng(sw.seed)
    labels = [sw.oracle(*sw.generate(rng, i))[0] for i in range(sw.n)]
    assert {"minimum", "maximum", "saddle", "degenerate"} == set(labels)
    assert B._label_from_spectrum([0.0, 1.0, -1.0]) == "saddle"
    assert B._label_from_spectrum([1e-16, 2.0]) == "degenerate"
    assert B._label_from_spectrum([3e-9, 2.0]) == "minimum"


# -- 11 ----------------------------------------------------------------------------------------

def test_trapezoid():
    def ok(f, a, b, n):
        x = np.linspace(a, b, n + 1)
        y = f(x)
        return (b - a) / n * (y[0] / 2 + y[1:-1].sum() + y[-1] / 2)

    assert check_trapezoid(ok)
    assert check_trapezoid(lambda f, a, b, n: np.trapezoid(f(np.linspace(a, b, n + 1)),
                                                           np.linspace(a, b, n + 1)))
    assert_catches(check_trapezoid, {
        "endpoints counted fully": lambda f, a, b, n: (b - a) / n * f(np.linspace(a, b, n + 1)).sum(),
        "n points, not n intervals": lambda f, a, b, n: np.trapezoid(f(np.linspace(a, b, n)),
                                                                     np.linspace(a, b, n)),
        "left Riemann sum": lambda f, a, b, n: (b - a) / n * f(np.linspace(a, b, n + 1)[:-1]).sum(),
        "midpoint rule": lambda f, a, b, n: (b - a) / n * f(a + (b - a) / n
                                                           * (np.arange(n) + 0.5)).sum(),
        "interval reversed": lambda f, a, b, n: ok(f, min(a, b), max(a, b), n),
        "floor division": trap_floor,
        "grid": trap_arange,
    })
    assert check_trapezoid(trap_loop)


def trap_floor(f, a, b, n):
    x = np.linspace(a, b, n + 1)
    y = f(x)
    return (b - a) // n * (y[0] / 2 + y[1:-1].sum() + y[-1] / 2)


def trap_arange(f, a, b, n):
    h = (b - a) / n
    x = np.arange(a, b + h, h)                    # a float step: sometimes one point too many
    y = f(x)
    return h * (y[0] / 2 + y[1:-1].sum() + y[-1] / 2)


def trap_loop(f, a, b, n):
    h, total = (b - a) / n, 0.0
    for i in range(n):
        total += h * (f(a + i * h) + f(a + (i + 1) * h)) / 2
    return total


def test_trapezoid_oracle_is_the_rule():
    f = B._poly1([1.0, -2.0, 0.5, 3.0, -1.0, 0.5])
    for a, b, n in [(0.0, 1.0, 3), (2.0, -1.0, 7), (-3.0, 3.0, 1)]:
        x = np.linspace(a, b, n + 1)
        assert math.isclose(B._trap_exact(f, a, b, n), np.trapezoid(f(x), x), rel_tol=1e-12)


def test_monte_carlo():
    def ok(g, x):
        v = g(x)
        return v.mean(), v.std(ddof=1) / np.sqrt(len(v))

    assert check_monte_carlo(ok)
    assert_catches(check_monte_carlo, {
        "divided by n": lambda g, x: (g(x).mean(), g(x).std(ddof=1) / len(x)),
        "variance, not std": lambda g, x: (g(x).mean(), g(x).var(ddof=1) / np.sqrt(len(x))),
        "ddof = 0": lambda g, x: (g(x).mean(), g(x).std() / np.sqrt(len(x))),
        "g not applied": lambda g, x: (x.mean(), x.std(ddof=1) / np.sqrt(len(x))),
        "√(n − 1)": lambda g, x: (g(x).mean(), g(x).std(ddof=1) / np.sqrt(len(x) - 1)),
        "one-pass variance": mc_one_pass,
        "std of x, not of g(x)": lambda g, x: (g(x).mean(), x.std(ddof=1) / np.sqrt(len(x))),
        "swapped": lambda g, x: ok(g, x)[::-1],
        "low precision": lambda g, x: tuple(float(v) for v in ok(lambda t: np.float32(g(t)), x)),
    })
    assert check_monte_carlo(lambda g, x: np.array(ok(g, x)))      # an array of two is fine too
    assert check_monte_carlo(lambda g, x: (np.mean(g(x)), np.sqrt(np.var(g(x)) / (len(x) - 1))))


def mc_one_pass(g, x):
    v = g(x)
    n = len(v)
    var = (np.mean(v ** 2) - v.mean() ** 2) * n / (n - 1)
    return v.mean(), np.sqrt(max(var, 0.0) / n)


def test_monte_carlo_oracle_has_no_cancellation():
    far = 1e8 + np.array([-1.5, 0.25, 0.5, 0.75])
    mean, se, _ = B._mc_oracle(lambda x: x, far)
    assert mean == 1e8 and math.isclose(se, math.sqrt(3.125 / 3) / 2, rel_tol=1e-14)


def test_messages_name_the_failing_case(capsys):
    r = check_trapezoid(lambda f, a, b, n: 0.0)
    assert not r and "∫₀¹ x² dx with n = 2" in r.message and r.mistakes == []
