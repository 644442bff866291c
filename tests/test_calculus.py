"""dlmath.calculus: finite differences, their error orders and the best-step theory."""
import numpy as np
import pytest

from dlmath import calculus


def slope(hs, errs):
    return np.polyfit(np.log(hs), np.log(errs), 1)[0]


def test_exact_on_polynomials_of_low_degree():
    f = lambda x: 3 * x + 2                                       # noqa: E731
    assert calculus.forward_difference(f, 1.0, 0.5) == pytest.approx(3.0)
    q = lambda x: x * x                                           # noqa: E731
    assert calculus.central_difference(q, 1.5, 0.25) == pytest.approx(3.0)   # exact for quadratics
    assert calculus.backward_difference(q, 1.5, 0.25) == pytest.approx(3.0 - 0.25)


def test_error_orders_in_the_truncation_regime():
    hs = np.logspace(-4, -2, 9)
    fwd = calculus.fd_error(np.sin, np.cos, 1.0, hs, "forward")
    bwd = calculus.fd_error(np.sin, np.cos, 1.0, hs, "backward")
    ctr = calculus.fd_error(np.sin, np.cos, 1.0, hs, "central")
    assert slope(hs, fwd) == pytest.approx(1.0, abs=0.05)
    assert slope(hs, bwd) == pytest.approx(1.0, abs=0.05)
    assert slope(hs, ctr) == pytest.approx(2.0, abs=0.05)
    # leading terms: h|f''|/2 and h²|f'''|/6
    np.testing.assert_allclose(fwd, hs * np.sin(1.0) / 2, rtol=0.02)
    np.testing.assert_allclose(ctr, hs ** 2 * np.cos(1.0) / 6, rtol=0.02)


def test_roundoff_dominates_for_tiny_steps():
    hs = np.logspace(-15, -12, 7)
    err = calculus.fd_error(np.exp, np.exp, 1.0, hs, "forward")
    assert np.all(err > 1e-5)                                    # far worse than at h = 1e-8
    assert calculus.fd_error(np.exp, np.exp, 1.0, 1e-8, "forward") < 1e-6


def test_best_h_theory_is_near_the_measured_optimum():
    hs = np.logspace(-14, -1, 261)
    x = 1.0
    for method, kw in (("forward", {"f2": -np.sin(x)}), ("central", {"f3": -np.cos(x)})):
        err = calculus.fd_error(np.sin, np.cos, x, hs, method)
        h_star = calculus.best_h(method, np.sin(x), **kw)
        # the measured curve is jagged where round-off rules: compare decade-wide medians
        def around(h):
            return np.median(err[np.abs(np.log10(hs) - np.log10(h)) <= 0.5])
        assert around(h_star) < around(h_star / 300) and around(h_star) < around(h_star * 300)
        _, _, model = calculus.error_model(hs, method, np.sin(x), **kw)
        _, _, predicted = calculus.error_model(h_star, method, np.sin(x), **kw)
        assert predicted / 10 < around(h_star) < predicted * 10
        assert np.argmin(model) == pytest.approx(np.argmin(np.abs(hs - h_star)), abs=1)
    assert calculus.best_h("forward", 1.0, f2=1.0) == pytest.approx(2 * np.sqrt(calculus.EPS))
    assert calculus.best_h("central", 1.0, f3=3.0) == pytest.approx(calculus.EPS ** (1 / 3))


def test_derivative_default_step_and_errors():
    assert calculus.derivative(np.exp, 0.0) == pytest.approx(1.0, abs=1e-9)
    assert calculus.derivative(np.exp, 0.0, method="forward") == pytest.approx(1.0, abs=1e-7)
    with pytest.raises(ValueError, match="method"):
        calculus.derivative(np.exp, 0.0, 1e-3, "sideways")
    with pytest.raises(ValueError, match="non-zero"):
        calculus.forward_difference(np.exp, 0.0, 0.0)
    with pytest.raises(ValueError, match="f2"):
        calculus.error_model(1e-3, "forward", 1.0)


def test_numerical_gradient_of_a_quadratic_form():
    A = np.array([[3.0, 1.0], [1.0, 2.0]])
    f = lambda x: 0.5 * x @ A @ x                                 # noqa: E731
    x = np.array([0.3, -0.7])
    np.testing.assert_allclose(calculus.numerical_gradient(f, x), A @ x, atol=1e-8)
