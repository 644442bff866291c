"""Checkers of the calculus notebooks 06–08: a reference solution passes, each catalogued mistake
(written as real wrong code) is caught under its own name, and an unattempted stub is reported
as "not attempted" without raising."""
import math

import numpy as np
import pytest

from dlmath.exercises import (check_central_difference, check_best_central_step,
                              check_numerical_gradient, check_directional_derivative,
                              check_gradient_descent, check_div_backward,
                              check_topological_order)
from dlmath.exercises import differentiation as D


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
        "half step": lambda f, x, h: (f(x + h / 2) - f(x - h / 2)) / h,
        "sign": lambda f, x, h: (f(x - h) - f(x + h)) / (2 * h),
        "h ignored": lambda f, x, h: (f(x + 1e-4) - f(x - 1e-4)) / 2e-4,
        "five-point stencil": lambda f, x, h: (f(x - 2 * h) - 8 * f(x - h) + 8 * f(x + h)
                                               - f(x + 2 * h)) / (12 * h),
        "scalars only": lambda f, x, h: float((f(x + h) - f(x - h)) / (2 * h)),
        "integer x": central_int_copy,
    }, capsys)


def central_int_copy(f, x, h):
    xp, xm = np.array(x), np.array(x)            # keep x's dtype: an int array rounds h away
    xp += h
    xm -= h
    return (f(xp) - f(xm)) / (2 * h)


def test_central_difference_sweep_and_in_place(capsys):
    assert check_central_difference(lambda f, x, h: (f(x + h) - f(x - h)) / 2 / h)

    def in_place(f, x, h):                       # shifts the caller's array and back: inexact
        x = np.asarray(x)
        if x.dtype.kind == "f":
            x += h
            up = f(x)
            x -= 2 * h
            down = f(x)
            x += h
            return (up - down) / (2 * h)
        return (f(x + h) - f(x - h)) / (2 * h)

    r = check_central_difference(in_place)
    assert not r and "in place" in r.mistakes and "changed its input x" in r.message

    def wrong_for_columns(f, x, h):              # right on the cases, wrong on (3, 1) arrays
        out = (f(x + h) - f(x - h)) / (2 * h)
        return out.ravel() if np.ndim(x) == 2 else out

    r = check_central_difference(wrong_for_columns)
    assert not r and r.mistakes == [] and "random inputs failed" in r.message
    assert "shape" in r.message and "It must work for any function f" in r.message


def test_central_difference_oracle_is_exact():
    rng = np.random.default_rng(0)
    for _ in range(20):
        c = rng.integers(-3, 4, 6).astype(float)
        x, h = rng.uniform(-2, 2, 4), 0.3
        direct = (np.polyval(c[::-1], x + h) - np.polyval(c[::-1], x - h)) / (2 * h)
        assert np.allclose(D._poly1_central(c, x, h), direct, rtol=1e-12, atol=1e-12)


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
    assert_catches(check_best_central_step, {
        "cube root as /3": lambda f0, f3, eps: (3 * eps * abs(f0) / abs(f3)) ** 1 / 3,
        "eps ignored": lambda f0, f3, eps: (3 * 2.220446049250313e-16 * abs(f0) / abs(f3))
        ** (1 / 3),
        "wrong constant": lambda f0, f3, eps: (6 * eps * abs(f0) / abs(f3)) ** (1 / 3),
        "floor division in the exponent": lambda f0, f3, eps: (3 * eps * abs(f0) / abs(f3))
        ** (1 // 3),
        "a constant step": lambda f0, f3, eps: 1e-5,
    }, capsys)
    assert check_best_central_step(lambda f0, f3, eps: np.cbrt(3 * eps * abs(f0 / f3)))
    # abs on f3 only: the sweep's negative f0 with a positive f3 gives a complex number
    r = check_best_central_step(lambda f0, f3, eps: (3 * eps * f0 / abs(f3)) ** (1 / 3))
    assert r.mistakes[0] == "no absolute values"


def test_best_step_oracle_minimises_the_error_model():
    for f0, f3, eps in [(1.0, 1.0, 1e-16), (-2.0, 6.0, 1e-10), (3e2, -1e-3, 1.19e-7)]:
        h = D._argmin_error(f0, f3, eps)
        assert math.isclose(h, (3 * eps * abs(f0) / abs(f3)) ** (1 / 3), rel_tol=1e-12)
        E = lambda t: t ** 2 * abs(f3) / 6 + eps * abs(f0) / t
        assert E(h) < E(h * 1.001) and E(h) < E(h / 1.001)


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
    """Perturbs the caller's array but always restores it exactly: fine for a float x (the
    caller finds x as it was), wrong for an integer x (old + h is rounded back to old)."""
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
    # restoring the caller's array exactly is not a change in place; only integer x trips it
    assert check_numerical_gradient(numgrad_in_place_restored).mistakes == ["integer x"]
    assert_catches(check_numerical_gradient, {
        "all at once": numgrad_all_at_once,
        "not restored": numgrad_not_restored,
        "aliasing": numgrad_aliasing,
    }, capsys)
    assert check_numerical_gradient(numgrad_not_restored_on_copy).mistakes == ["not restored"]
    assert_catches(check_numerical_gradient, {
        "integer x": numgrad_int_copy, "rows only": numgrad_rows,
        "divided by h": lambda f, x, h=1e-5: 2 * numgrad_ok(f, x, h),
        "forward difference": numgrad_forward,
    }, capsys)
    assert check_numerical_gradient(numgrad_ndindex)


def numgrad_int_copy(f, x, h=1e-5):
    x = x.copy()                                  # an integer x stays integer: h is rounded away
    g = np.zeros(x.shape)
    for i in range(x.size):
        old = x.flat[i]
        x.flat[i] = old + h
        fp = f(x)
        x.flat[i] = old - h
        fm = f(x)
        x.flat[i] = old
        g.flat[i] = (fp - fm) / (2 * h)
    return g


def numgrad_rows(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    g = np.zeros_like(x)
    for i in range(len(x)):                       # a matrix: x[i] is a whole row
        e = np.zeros_like(x)
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


def numgrad_forward(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    g = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e.flat[i] = h
        g.flat[i] = (f(x + e) - f(x)) / h
    return g


def numgrad_ndindex(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):                 # also the 0-d array: one index ()
        e = np.zeros_like(x)
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


def test_numerical_gradient_oracle_is_exact():
    rng = np.random.default_rng(1)
    poly = D._random_polyN(rng, 4, quartic=True)
    x, h = rng.uniform(-2, 2, 4), 1e-2
    for i in range(4):
        e = np.eye(4)[i] * h
        direct = (poly.value(x + e) - poly.value(x - e)) / (2 * h)
        assert math.isclose(poly.central(i, h, x), direct, rel_tol=1e-9, abs_tol=1e-9)
        assert math.isclose(poly.partial(i).value(x), poly.central(i, 1e-7, x), rel_tol=1e-9,
                            abs_tol=1e-9)


# --- 07: directional derivative --------------------------------------------------------------

def test_directional_derivative(capsys):
    ok = lambda g, u: g @ (u / np.linalg.norm(u))
    assert_passes_and_stub(check_directional_derivative, ok, capsys)
    assert_catches(check_directional_derivative, {
        "u not normalised": lambda g, u: g @ u,
        "gradient normalised": lambda g, u: (g / np.linalg.norm(g)) @ u,
        "no sum": lambda g, u: g * u / np.linalg.norm(u),
        "divided by ‖u‖²": lambda g, u: g @ u / (u @ u),
        "L1 length": lambda g, u: g @ u / np.abs(u).sum(),
        "absolute value": lambda g, u: abs(g @ u) / np.linalg.norm(u),
        "norm of the gradient": lambda g, u: np.linalg.norm(g),
        "minus sign": lambda g, u: -(g @ u) / np.linalg.norm(u),
        "zero test by the sum": lambda g, u: 0.0 if u.sum() == 0 else g @ u / np.linalg.norm(u),
    }, capsys)

    def in_place(g, u):
        u /= np.linalg.norm(u)
        return g @ u

    r = check_directional_derivative(in_place)
    assert not r and r.mistakes == ["in place"] and "changed its input u" in r.message
    # an integer u: u / norm is fine, u /= norm is not
    assert check_directional_derivative(lambda g, u: np.dot(g, u) / np.sqrt(np.sum(u * u)))


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
    assert_catches(check_gradient_descent, {
        "gradient at x0": gd_gradient_at_x0, "integer x0": gd_int_copy,
        "returned the path": gd_path, "stopped early": gd_stops_early,
    }, capsys)


def gd_gradient_at_x0(grad_f, x0, lr, steps):
    x = np.array(x0, dtype=float)
    for _ in range(steps):
        x = x - lr * grad_f(x0)
    return x


def gd_int_copy(grad_f, x0, lr, steps):
    x = x0.copy()                                 # an integer x0 gives an integer x
    for _ in range(steps):
        x -= lr * grad_f(x)
    return x


def gd_path(grad_f, x0, lr, steps):
    path = [np.array(x0, dtype=float)]
    for _ in range(steps):
        path.append(path[-1] - lr * grad_f(path[-1]))
    return np.array(path)


def gd_stops_early(grad_f, x0, lr, steps):
    x = np.array(x0, dtype=float)
    for _ in range(steps):
        g = grad_f(x)
        if np.linalg.norm(g) > 1e6:               # "it diverged anyway"
            break
        x = x - lr * g
    return x


def test_gradient_descent_oracle_is_the_iteration():
    rng = np.random.default_rng(2)
    for lam in ([0.5, 4.0], [0.0, 2.0], [-0.5, 3.0]):
        grad = D._gd_quadratic(rng, 2, lam)
        x0 = rng.standard_normal(2)
        assert np.allclose(D._gd_exact(grad, x0, 0.3, 7), gd_ok(grad, x0, 0.3, 7), rtol=1e-10)


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
        "wrong ∂/∂b": div_minus_one_over_b2, "same node": div_same_node_once,
        "product rule": div_product_rule, "a.grad for a.data": div_a_grad_for_data,
    }, capsys)
    assert check_div_backward(div_via_out)

    def zeroes_out_grad(a, b, out):
        div_ok(a, b, out)
        out.grad = 0.0

    r = check_div_backward(zeroes_out_grad)
    assert not r and "changed out.grad" in r.message

    def abs_upstream(a, b, out):                  # right for out.grad ≥ 0 only: the sweep sees it
        a.grad += abs(out.grad) / b.data
        b.grad += -a.data / b.data ** 2 * abs(out.grad)

    r = check_div_backward(abs_upstream)
    assert not r and "random inputs failed" in r.message and "out.grad =" in r.message


def div_via_out(a, b, out):
    a.grad += out.grad / b.data
    b.grad -= out.data / b.data * out.grad       # out.data / b = a / b²


def div_minus_one_over_b2(a, b, out):
    a.grad += out.grad / b.data
    b.grad += -1 / b.data ** 2 * out.grad


def div_same_node_once(a, b, out):
    if a is b:
        a.grad += out.grad / b.data
    else:
        div_ok(a, b, out)


def div_product_rule(a, b, out):
    a.grad += b.data * out.grad
    b.grad += -a.data / b.data ** 2 * out.grad


def div_a_grad_for_data(a, b, out):
    a.grad += out.grad / b.data
    b.grad += -a.grad / b.data ** 2 * out.grad


def test_div_oracle_differentiates_numerically():
    s = D._Division(3.0, -2.0, 1.5, 1.0, 2.0)
    assert np.allclose(D._div_oracle(s), [1.0 + 1.5 / -2.0, 2.0 - 1.5 * 3.0 / 4.0], rtol=1e-12)
    assert np.allclose(D._div_oracle(D._Division(-2.5, None, 1.0, 0.5)), [0.5], atol=1e-12)


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
        "shortcut": topo_seen_at_push, "root missing": topo_no_root,
        "seen by value": topo_seen_by_value,
    }, capsys)
    assert check_topological_order(topo_kahn)
    r = check_topological_order(topo_reversed_bfs)
    assert r.mistakes == ["shortcut"] and "random inputs failed" in r.message
    assert "comes before its input" in r.message and "the graph n" in r.message


def topo_seen_at_push(root):
    order, seen, stack = [], {root}, [(root, False)]
    while stack:
        v, inputs_done = stack.pop()
        if inputs_done:
            order.append(v)
            continue
        stack.append((v, True))
        for c in v._prev:
            if c not in seen:                     # seen when pushed, not when explored
                seen.add(c)
                stack.append((c, False))
    return order


def topo_reversed_bfs(root):
    order, seen, queue = [], {root}, [root]
    while queue:
        v = queue.pop(0)
        order.append(v)
        for c in v._prev:
            if c not in seen:
                seen.add(c)
                queue.append(c)
    return order[::-1]


def topo_no_root(root):
    return [v for v in topo_ok(root) if v is not root]


def topo_seen_by_value(root):
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        v, inputs_done = stack.pop()
        if inputs_done:
            order.append(v)
        elif v.data not in seen:
            seen.add(v.data)
            stack.append((v, True))
            stack.extend((c, False) for c in v._prev)
    return order


def topo_kahn(root):
    nodes, stack = {root}, [root]
    while stack:
        for c in stack.pop()._prev:
            if c not in nodes:
                nodes.add(c)
                stack.append(c)
    waiting = {v: len(set(v._prev)) for v in nodes}
    users = {v: [] for v in nodes}
    for v in nodes:
        for c in set(v._prev):
            users[c].append(v)
    ready, order = [v for v in nodes if not waiting[v]], []
    while ready:
        v = ready.pop()
        order.append(v)
        for u in users[v]:
            waiting[u] -= 1
            if not waiting[u]:
                ready.append(u)
    return order


def test_topological_sweep_graphs_have_shortcuts():
    rng = np.random.default_rng(3)
    shortcut = 0
    for _ in range(50):
        root = D._random_graph(rng, 20)
        depth = {}
        for v in topo_ok(root):
            depth[v] = 1 + max((depth[c] for c in v._prev), default=0)
        shortcut += any(depth[v] - depth[c] > 1 for v in depth for c in v._prev)
    assert shortcut > 40


@pytest.mark.parametrize("checker", [check_central_difference, check_best_central_step,
                                     check_numerical_gradient, check_directional_derivative,
                                     check_gradient_descent, check_div_backward,
                                     check_topological_order])
def test_checkers_survive_crashes_and_non_functions(checker):
    r = checker(lambda *a: [][1])
    assert r.status == "failed" and "IndexError" in r.message
    assert checker(42).status == "error"
