"""Checkers of the calculus notebooks 06–08: a reference solution passes, each catalogued mistake
(written as real wrong code) is caught under its own name, and an unattempted stub is reported
as "not attempted" without raising."""
import numpy as np
import pytest

from dlmath.exercises import (check_central_difference, check_best_central_step,
                              check_numerical_gradient, check_directional_derivative,
                              check_gradient_descent, check_div_backward,
                              check_topological_order)


def stub(*args):
    raise NotImplementedError


def assert_catches(checker, wrong, capsys):
    for name, fn in wrong.items():
        r = checker(fn)
        assert not r and r.status == "failed", (name, r.message)
        assert r.mistakes and r.mistakes[0] == name, (name, r.mistakes, r.message)
        assert "❌" in capsys.readouterr().out


def assert_passes_and_stub(checker, ok, capsys):
    r = checker(ok)
    assert r, r.message
    assert "✅" in capsys.readouterr().out
    r = checker(stub)
    assert r.status == "not attempted"
    assert "not attempted yet" in capsys.readouterr().out


# --- 06: central difference ------------------------------------------------------------------

def central_ok(f, x, h):
    return (f(x + h) - f(x - h)) / (2 * h)


def test_central_difference(capsys):
    assert_passes_and_stub(check_central_difference, central_ok, capsys)
    assert_catches(check_central_difference, {
        "divided by h": lambda f, x, h: (f(x + h) - f(x - h)) / h,
        "forward difference": lambda f, x, h: (f(x + h) - f(x)) / h,
        "backward difference": lambda f, x, h: (f(x) - f(x - h)) / h,
        "precedence": lambda f, x, h: (f(x + h) - f(x - h)) / 2 * h,
    }, capsys)


# --- 06: best step -----------------------------------------------------------------------------

def best_ok(f0, f3, eps=2.220446049250313e-16):
    return (3 * eps * abs(f0) / abs(f3)) ** (1 / 3)


def test_best_central_step(capsys):
    assert_passes_and_stub(check_best_central_step, best_ok, capsys)
    assert_catches(check_best_central_step, {
        "too small": lambda f0, f3, eps: np.sqrt(eps * abs(f0) / abs(f3)),   # the forward rule
        "no absolute values": lambda f0, f3, eps: (3 * eps * f0 / f3) ** (1 / 3),
        "factor 3 lost": lambda f0, f3, eps: (eps * abs(f0) / abs(f3)) ** (1 / 3),
        "upside down": lambda f0, f3, eps: (3 * eps * abs(f3) / abs(f0)) ** (1 / 3),
    }, capsys)
    # other shapes of the same two mistakes
    r = check_best_central_step(lambda f0, f3, eps: 3 * eps * abs(f0) / abs(f3))   # no root
    assert "too small" in r.mistakes
    r = check_best_central_step(lambda f0, f3, eps: np.cbrt(3 * eps * f0 / f3))    # negative h
    assert r.mistakes[0] == "no absolute values"


# --- 07: numerical gradient ------------------------------------------------------------------

def numgrad_ok(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    g = np.zeros_like(x)
    for i in range(x.size):
        old = x.flat[i]
        x.flat[i] = old + h
        fp = f(x)
        x.flat[i] = old - h
        fm = f(x)
        x.flat[i] = old
        g.flat[i] = (fp - fm) / (2 * h)
    return g


def numgrad_in_place_restored(f, x, h=1e-5):
    """Perturbs the caller's array but always restores it: correct."""
    g = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        fp = f(x)
        x[i] = old - h
        fm = f(x)
        x[i] = old
        g[i] = (fp - fm) / (2 * h)
    return g


def numgrad_all_at_once(f, x, h=1e-5):
    g = np.zeros_like(x)
    for i in range(x.size):
        g.flat[i] = (f(x + h) - f(x - h)) / (2 * h)
    return g


def numgrad_not_restored(f, x, h=1e-5):
    g = np.zeros_like(x)
    for i in range(x.size):
        x.flat[i] += h
        fp = f(x)
        x.flat[i] -= 2 * h
        fm = f(x)
        g.flat[i] = (fp - fm) / (2 * h)
    return g


def numgrad_not_restored_on_copy(f, x, h=1e-5):
    x = x.copy()                                  # the caller's x is safe, the result is not
    return numgrad_not_restored(f, x, h)


def numgrad_aliasing(f, x, h=1e-5):
    g = np.zeros_like(x)
    for i in range(x.size):
        x_plus = x                                # not a copy
        x_plus.flat[i] += h
        x_minus = x
        x_minus.flat[i] -= h
        g.flat[i] = (f(x_plus) - f(x_minus)) / (2 * h)
    return g


def test_numerical_gradient(capsys):
    assert_passes_and_stub(check_numerical_gradient, numgrad_ok, capsys)
    assert check_numerical_gradient(numgrad_in_place_restored)
    assert_catches(check_numerical_gradient, {
        "all at once": numgrad_all_at_once,
        "not restored": numgrad_not_restored,
        "aliasing": numgrad_aliasing,
    }, capsys)
    assert check_numerical_gradient(numgrad_not_restored_on_copy).mistakes == ["not restored"]


# --- 07: directional derivative --------------------------------------------------------------

def test_directional_derivative(capsys):
    ok = lambda g, u: g @ (u / np.linalg.norm(u))
    assert_passes_and_stub(check_directional_derivative, ok, capsys)
    assert_catches(check_directional_derivative, {
        "u not normalised": lambda g, u: g @ u,
        "gradient normalised": lambda g, u: (g / np.linalg.norm(g)) @ u,
        "no sum": lambda g, u: g * u / np.linalg.norm(u),
        "divided by ‖u‖²": lambda g, u: g @ u / (u @ u),
    }, capsys)


# --- 07: gradient descent --------------------------------------------------------------------

def gd_ok(grad_f, x0, lr, steps):
    x = np.array(x0, dtype=float)
    for _ in range(steps):
        x = x - lr * grad_f(x)
    return x


def gd_ascent(grad_f, x0, lr, steps):
    x = np.array(x0, dtype=float)
    for _ in range(steps):
        x = x + lr * grad_f(x)
    return x


def gd_lr_squared(grad_f, x0, lr, steps):
    x = np.array(x0, dtype=float)
    for _ in range(steps):
        step = lr * grad_f(x)
        x = x - lr * step
    return x


def gd_two_updates(grad_f, x0, lr, steps):
    x = np.array(x0, dtype=float)
    for _ in range(steps):
        x = x - lr * grad_f(x)
        x = x - lr * grad_f(x)
    return x


def gd_off_by_one(grad_f, x0, lr, steps):
    x = np.array(x0, dtype=float)
    for _ in range(steps + 1):
        x = x - lr * grad_f(x)
    return x


def gd_in_place(grad_f, x0, lr, steps):
    x = x0
    for _ in range(steps):
        x -= lr * grad_f(x)
    return x


def test_gradient_descent(capsys):
    assert_passes_and_stub(check_gradient_descent, gd_ok, capsys)
    assert_catches(check_gradient_descent, {
        "ascent": gd_ascent, "lr twice": gd_lr_squared, "off by one": gd_off_by_one,
        "x0 changed": gd_in_place,
    }, capsys)
    assert check_gradient_descent(gd_two_updates).mistakes[0] == "lr twice"


# --- 08: the backward of division ------------------------------------------------------------

def div_ok(a, b, out):
    a.grad += out.grad / b.data
    b.grad += -a.data / b.data ** 2 * out.grad


def div_overwrote(a, b, out):
    a.grad = out.grad / b.data
    b.grad = -a.data / b.data ** 2 * out.grad


def div_swapped(a, b, out):
    a.grad += -a.data / b.data ** 2 * out.grad
    b.grad += out.grad / b.data


def div_sign(a, b, out):
    a.grad += out.grad / b.data
    b.grad += a.data / b.data ** 2 * out.grad


def div_no_upstream(a, b, out):
    a.grad += 1 / b.data
    b.grad += -a.data / b.data ** 2


def test_div_backward(capsys):
    assert_passes_and_stub(check_div_backward, div_ok, capsys)
    assert_catches(check_div_backward, {
        "overwrote": div_overwrote, "swapped": div_swapped, "sign": div_sign,
        "no out.grad": div_no_upstream,
    }, capsys)


# --- 08: topological order -------------------------------------------------------------------

def topo_ok(root):
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        v, inputs_done = stack.pop()
        if inputs_done:
            order.append(v)
        elif v not in seen:
            seen.add(v)
            stack.append((v, True))
            stack.extend((c, False) for c in v._prev if c not in seen)
    return order


def topo_recursive(root):
    order, seen = [], set()

    def visit(v):
        if v not in seen:
            seen.add(v)
            for c in v._prev:
                visit(c)
            order.append(v)
    visit(root)
    return order


def topo_no_seen(root):
    order, stack = [], [(root, False)]
    while stack:
        v, inputs_done = stack.pop()
        if inputs_done:
            order.append(v)
        else:
            stack.append((v, True))
            stack.extend((c, False) for c in v._prev)
    return order


def topo_root_first(root):
    return topo_ok(root)[::-1]


def topo_preorder(root):
    order, seen, stack = [], set(), [root]
    while stack:
        v = stack.pop()
        if v in seen:
            continue
        seen.add(v)
        order.append(v)
        stack.extend(v._prev)
    return order[::-1]


def test_topological_order(capsys):
    assert_passes_and_stub(check_topological_order, topo_ok, capsys)
    assert_catches(check_topological_order, {
        "recursion": topo_recursive, "duplicates": topo_no_seen, "root first": topo_root_first,
        "pre-order": topo_preorder,
    }, capsys)


@pytest.mark.parametrize("checker", [check_central_difference, check_best_central_step,
                                     check_numerical_gradient, check_directional_derivative,
                                     check_gradient_descent, check_div_backward,
                                     check_topological_order])
def test_checkers_survive_crashes_and_non_functions(checker):
    r = checker(lambda *a: [][1])
    assert r.status == "failed" and "IndexError" in r.message
    assert checker(42).status == "error"
