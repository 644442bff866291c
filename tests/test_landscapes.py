"""dlmath.landscapes: exact derivatives vs finite differences and autograd; minima; trajectory."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import dlmath
from dlmath import landscapes as L
from dlmath import optim
from dlmath.autograd import functional

FUNCTIONS = [L.Quadratic((1.0, 10.0), angle=0.4, center=(0.5, -1.0)),
             L.Quadratic.from_condition_number(50.0, mu=0.2, angle=-1.0),
             L.Quadratic((2.0, -1.0), angle=0.3),
             L.Rosenbrock(), L.Rosenbrock(a=2.0, b=10.0), L.Himmelblau(), L.Beale(), L.Saddle(),
             L.Rastrigin()]
IDS = [repr(f) for f in FUNCTIONS]


def central_gradient(f, x, h=1e-6):
    e = np.eye(2)
    return np.array([(f.value(x + h * e[i]) - f.value(x - h * e[i])) / (2 * h) for i in range(2)])


def central_hessian(f, x, h=1e-5):
    e = np.eye(2)
    return np.stack([(f.gradient(x + h * e[i]) - f.gradient(x - h * e[i])) / (2 * h)
                     for i in range(2)], axis=1)


def points_in(f, seed, n=5):
    (x0, x1), (y0, y1) = f.domain
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)])


@pytest.mark.parametrize("f", FUNCTIONS, ids=IDS)
def test_gradient_and_hessian_match_central_differences(f):
    for x in points_in(f, 0):
        g = f.gradient(x)
        scale = 1 + np.abs(g).max()
        np.testing.assert_allclose(g, central_gradient(f, x), atol=1e-6 * scale)
        H = f.hessian(x)
        np.testing.assert_allclose(H, H.T)
        np.testing.assert_allclose(H, central_hessian(f, x), atol=1e-5 * (1 + np.abs(H).max()))


@settings(deadline=None, max_examples=25)
@given(index=st.integers(0, len(FUNCTIONS) - 1), u=st.floats(0, 1), v=st.floats(0, 1))
def test_exact_derivatives_equal_autograd(index, u, v):
    f = FUNCTIONS[index]
    (x0, x1), (y0, y1) = f.domain
    x = np.array([x0 + u * (x1 - x0), y0 + v * (y1 - y0)])
    xt = dlmath.tensor(x, requires_grad=True)
    y = f(xt)
    assert isinstance(y, dlmath.Tensor)
    assert y.item() == pytest.approx(f.value(x), rel=1e-14, abs=1e-12)
    y.backward()
    g = f.gradient(x)
    np.testing.assert_allclose(xt.grad.data, g, rtol=1e-12, atol=1e-10 * (1 + np.abs(g).max()))
    H = functional.hessian(f.value, dlmath.tensor(x)).data
    np.testing.assert_allclose(H, f.hessian(x), rtol=1e-12, atol=1e-10)


@pytest.mark.parametrize("f", FUNCTIONS, ids=IDS)
def test_known_stationary_points(f):
    for m in f.minima:
        assert np.abs(f.gradient(m)).max() < 1e-10
        assert np.all(np.linalg.eigvalsh(f.hessian(m)) > 0)             # a strict minimum
        (x0, x1), (y0, y1) = f.domain
        assert x0 <= m[0] <= x1 and y0 <= m[1] <= y1                    # visible when plotted
    for s in f.stationary_points:
        assert np.abs(f.gradient(s)).max() < 1e-10


def test_minimum_values_and_point_sets():
    assert L.Rosenbrock().value(np.array([1.0, 1.0])) == 0
    assert L.Beale().value(np.array([3.0, 0.5])) == 0
    assert L.Rastrigin().value(np.zeros(2)) == 0
    h = L.Himmelblau()
    assert h.minima.shape == (4, 2) and np.all(np.abs(h.value(h.minima.T)) < 1e-20)
    np.testing.assert_allclose(h.minima[0], [3.0, 2.0])
    for s in h.saddles:                                                 # one + and one − curvature
        lo, hi = np.linalg.eigvalsh(h.hessian(s))
        assert lo < 0 < hi
    assert np.all(np.linalg.eigvalsh(h.hessian(h.maximum[0])) < 0)
    saddle = L.Saddle()
    assert saddle.minima.shape == (0, 2)
    np.testing.assert_array_equal(np.linalg.eigvalsh(saddle.hessian(np.zeros(2))), [-2, 2])
    indefinite = L.Quadratic((2.0, -1.0))
    assert indefinite.minima.shape == (0, 2) and indefinite.stationary_points.shape == (1, 2)


def test_quadratic_construction():
    q = L.Quadratic((1.0, 9.0), angle=math.pi / 6, center=(1.0, 2.0))
    np.testing.assert_allclose(np.linalg.eigvalsh(q.A), [1.0, 9.0])
    direction = np.array([math.cos(math.pi / 6), math.sin(math.pi / 6)])     # first eigenvector
    np.testing.assert_allclose(q.A @ direction, 1.0 * direction, atol=1e-14)
    assert q.value(q.center) == 0 and q.condition_number == 9.0 and (q.L, q.mu) == (9.0, 1.0)
    np.testing.assert_allclose(q.b, q.A @ q.center)
    x = np.array([0.3, -0.7])
    assert q.value(x) == pytest.approx(0.5 * x @ q.A @ x - q.b @ x + 0.5 * q.center @ q.A @ q.center)
    k = L.Quadratic.from_condition_number(100.0)
    assert k.condition_number == 100.0
    with pytest.raises(ValueError, match="kappa=0.5"):
        L.Quadratic.from_condition_number(0.5)


@pytest.mark.parametrize("f", FUNCTIONS, ids=IDS)
def test_value_grid_is_pointwise(f):
    X, Y, Z = f.grid(7)
    assert Z.shape == (7, 7)
    i, j = 3, 5
    assert Z[i, j] == pytest.approx(f.value(np.array([X[i, j], Y[i, j]])), rel=1e-14, abs=1e-14)
    G = f.gradient(np.stack([X, Y]))
    np.testing.assert_allclose(G[:, i, j], f.gradient(np.array([X[i, j], Y[i, j]])))
    H = f.hessian(np.stack([X, Y]))
    np.testing.assert_allclose(H[:, :, i, j], f.hessian(np.array([X[i, j], Y[i, j]])))


def test_trajectory_of_gradient_descent_on_a_quadratic_is_the_closed_form():
    q = L.Quadratic((1.0, 4.0), angle=0.7)
    lr = 0.3
    t = L.trajectory(lambda p: optim.SGD(p, lr=lr), q, (1.0, -0.5), 25)
    assert t.path.shape == (26, 2) and t.losses.shape == (26,)
    assert not t.diverged and t.steps == 25
    M = np.eye(2) - lr * q.A
    expected = [np.linalg.matrix_power(M, k) @ np.array([1.0, -0.5]) for k in range(26)]
    np.testing.assert_allclose(t.path, expected, atol=1e-14)
    np.testing.assert_allclose(t.losses, [q.value(x) for x in expected], atol=1e-14)


def test_trajectory_detects_divergence_past_2_over_L():
    q = L.Quadratic((1.0, 10.0))
    t = L.trajectory(lambda p: optim.SGD(p, lr=0.25), q, (1.0, 1.0), 5000)   # 0.25 > 2/10
    assert t.diverged and t.steps < 5000
    assert len(t.path) == len(t.losses) == t.steps + 1
    assert np.all(np.isfinite(t.path)) and np.all(np.isfinite(t.losses))
    ok = L.trajectory(lambda p: optim.SGD(p, lr=0.19), q, (1.0, 1.0), 500)
    assert not ok.diverged and ok.losses[-1] < 1e-20


@pytest.mark.parametrize("f", [L.Rosenbrock(), L.Rastrigin(), L.Beale()], ids=repr)
def test_trajectory_with_autograd_equals_exact_gradients(f):
    def make(p):
        return optim.Adam(p, lr=0.05)
    exact = L.trajectory(make, f, (-1.0, 1.5), 60)
    auto = L.trajectory(make, f, (-1.0, 1.5), 60, gradient="autograd")
    np.testing.assert_allclose(auto.path, exact.path, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(auto.losses, exact.losses, rtol=1e-12, atol=1e-12)
    assert exact.losses[-1] < exact.losses[0]


def test_trajectory_accepts_a_plain_callable_and_checks_arguments():
    t = L.trajectory(lambda p: optim.SGD(p, lr=0.1), lambda x: (x * x).sum(), (1.0, 2.0), 3)
    np.testing.assert_allclose(t.path[-1], 0.8 ** 3 * np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="shape"):
        L.trajectory(lambda p: optim.SGD(p, lr=0.1), L.Saddle(), (1.0, 2.0, 3.0), 3)
    with pytest.raises(ValueError, match="steps=-1"):
        L.trajectory(lambda p: optim.SGD(p, lr=0.1), L.Saddle(), (1.0, 2.0), -1)
