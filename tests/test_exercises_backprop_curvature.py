"""Checkers of the calculus notebooks 09–11: a reference solution (written here) passes, every
catalogued mistake — written as real wrong code — is caught under its own name, and an unattempted
stub prints "not attempted yet"."""
import numpy as np
import pytest

from dlmath.exercises import (check_linear_backward, check_softmax_cross_entropy_grad,
                              check_tanh_backward, check_newton_step, check_hessian_fd,
                              check_classify_stationary_point, check_trapezoid, check_monte_carlo,
                              check_euler_gradient_flow)


def stub(*args):
    raise NotImplementedError


def assert_catches(checker, wrong):
    for name, fn in wrong.items():
        r = checker(fn)
        assert not r and r.mistakes and r.mistakes[0] == name, (name, r.mistakes, r.message)


@pytest.mark.parametrize("checker", [
    check_linear_backward, check_softmax_cross_entropy_grad, check_tanh_backward,
    check_newton_step, check_hessian_fd, check_classify_stationary_point, check_trapezoid,
    check_monte_carlo, check_euler_gradient_flow])
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
    })


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
    })


def test_tanh_backward():
    assert check_tanh_backward(lambda dH, H: dH * (1 - H ** 2))
    assert_catches(check_tanh_backward, {
        "tanh applied twice": lambda dH, H: dH * (1 - np.tanh(H) ** 2),
        "dH forgotten": lambda dH, H: 1 - H ** 2,
        "sigmoid derivative": lambda dH, H: dH * H * (1 - H),
    })


# -- 10 ----------------------------------------------------------------------------------------

def test_newton_step():
    assert check_newton_step(lambda x, g, H: x - np.linalg.solve(H, g))
    assert check_newton_step(lambda x, g, H: x - np.linalg.inv(H) @ g)
    assert_catches(check_newton_step, {
        "multiplied by H": lambda x, g, H: x - H @ g,
        "wrong sign": lambda x, g, H: x + np.linalg.solve(H, g),
        "divided by the diagonal": lambda x, g, H: x - g / np.diag(H),
        "forgot x": lambda x, g, H: -np.linalg.solve(H, g),
    })


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

    assert check_classify_stationary_point(ok)
    assert_catches(check_classify_stationary_point, {
        "looked at the diagonal": diagonal, "determinant only": determinant,
        "zero eigenvalue ignored": ignores_zero})


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
    })


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
    })


def test_euler_gradient_flow():
    def ok(grad_f, x0, eta, steps):
        x, path = np.array(x0, dtype=float), [np.array(x0, dtype=float)]
        for _ in range(steps):
            x = x - eta * grad_f(x)
            path.append(x)
        return np.array(path)

    def aliased(grad_f, x0, eta, steps):
        x = np.array(x0, dtype=float)
        path = [x]
        for _ in range(steps):
            x -= eta * grad_f(x)
            path.append(x)
        return np.array(path)

    def plus(grad_f, x0, eta, steps):
        return ok(lambda x: -grad_f(x), x0, eta, steps)

    def no_x0(grad_f, x0, eta, steps):
        return ok(grad_f, x0, eta, steps)[1:]

    assert check_euler_gradient_flow(ok)
    assert_catches(check_euler_gradient_flow, {
        "plus sign": plus, "same array appended": aliased, "x0 missing": no_x0})


def test_messages_name_the_failing_case(capsys):
    r = check_trapezoid(lambda f, a, b, n: 0.0)
    assert not r and "∫₀¹ x² dx with n = 2" in r.message and r.mistakes == []
