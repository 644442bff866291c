"""check_newton_minimize (notebook 10, exercise 1): correct solutions pass, each catalogued mistake
— written as real wrong code — is caught under its own name, a stub is "not attempted", an
uncatalogued wrong solution gets the generic message."""
import numpy as np
import pytest

from dlmath.exercises import check_newton_minimize


def _positive_definite(H):
    if np.linalg.eigvalsh(H).min() <= 0:
        raise ValueError("the Hessian is not positive definite")


def newton(grad_f, hess_f, x0, tol=1e-10, max_steps=50, step=None, start=None):
    """The reference loop; ``step(H, g)`` returns p and ``start(x0)`` the working copy."""
    x = np.array(x0, dtype=float) if start is None else start(x0)
    steps = 0
    while True:
        g = grad_f(x)
        if np.linalg.norm(g) <= tol or steps >= max_steps:
            return x, steps
        H = hess_f(x)
        _positive_definite(H)
        x = x + (np.linalg.solve(H, -g) if step is None else step(H, g))
        steps += 1


def by_cholesky(grad_f, hess_f, x0, tol=1e-10, max_steps=50):
    x = np.asarray(x0).astype(float)
    for k in range(max_steps + 1):
        g = grad_f(x)
        if np.linalg.norm(g) <= tol or k == max_steps:
            return x, k
        L = np.linalg.cholesky(hess_f(x))             # LinAlgError (a ValueError) if not PD
        x = x - np.linalg.solve(L.T, np.linalg.solve(L, g))


def wrong_sign(grad_f, hess_f, x0, tol=1e-10, max_steps=50):
    return newton(grad_f, hess_f, x0, tol, max_steps, step=lambda H, g: np.linalg.solve(H, g))


def diagonal(grad_f, hess_f, x0, tol=1e-10, max_steps=50):
    return newton(grad_f, hess_f, x0, tol, max_steps, step=lambda H, g: -g / np.diag(H))


def inverse(grad_f, hess_f, x0, tol=1e-10, max_steps=50):
    return newton(grad_f, hess_f, x0, tol, max_steps, step=lambda H, g: -np.linalg.inv(H) @ g)


def pseudo_inverse(grad_f, hess_f, x0, tol=1e-10, max_steps=50):
    return newton(grad_f, hess_f, x0, tol, max_steps, step=lambda H, g: -np.linalg.pinv(H) @ g)


def stale_gradient(grad_f, hess_f, x0, tol=1e-10, max_steps=50):
    x = np.array(x0, dtype=float)
    g = grad_f(x)                                      # computed once, outside the loop
    steps = 0
    while np.linalg.norm(g) > tol and steps < max_steps:
        H = hess_f(x)
        _positive_definite(H)
        x = x + np.linalg.solve(H, -g)
        steps += 1
    return x, steps


def stale_hessian(grad_f, hess_f, x0, tol=1e-10, max_steps=50):
    x = np.array(x0, dtype=float)
    H = hess_f(x)                                      # computed once, outside the loop
    _positive_definite(H)
    steps = 0
    while np.linalg.norm(grad_f(x)) > tol and steps < max_steps:
        x = x + np.linalg.solve(H, -grad_f(x))
        steps += 1
    return x, steps


def never_stops(grad_f, hess_f, x0, tol=1e-10, max_steps=50):
    x = np.array(x0, dtype=float)
    for _ in range(max_steps):
        H = hess_f(x)
        _positive_definite(H)
        x = x + np.linalg.solve(H, -grad_f(x))
    return x, max_steps


def steps_before_checking(grad_f, hess_f, x0, tol=1e-10, max_steps=50):
    x = np.array(x0, dtype=float)
    for k in range(1, max_steps + 1):
        H = hess_f(x)
        _positive_definite(H)
        x = x + np.linalg.solve(H, -grad_f(x))
        if np.linalg.norm(grad_f(x)) <= tol:
            break
    return x, k


def miscounted(grad_f, hess_f, x0, tol=1e-10, max_steps=50):
    x = np.array(x0, dtype=float)
    steps = 0
    while True:
        steps += 1                                     # counts the final check as a step
        g = grad_f(x)
        if np.linalg.norm(g) <= tol or steps > max_steps:
            return x, steps
        H = hess_f(x)
        _positive_definite(H)
        x = x + np.linalg.solve(H, -g)


def no_definiteness_check(grad_f, hess_f, x0, tol=1e-10, max_steps=50):
    x = np.array(x0, dtype=float)
    steps = 0
    while np.linalg.norm(grad_f(x)) > tol and steps < max_steps:
        x = x + np.linalg.solve(hess_f(x), -grad_f(x))
        steps += 1
    return x, steps


def integer_in_place(grad_f, hess_f, x0, tol=1e-10, max_steps=50):
    x = np.array(x0)                                   # keeps an integer dtype
    steps = 0
    while np.linalg.norm(grad_f(x)) > tol and steps < max_steps:
        H = hess_f(x)
        _positive_definite(H)
        x += np.linalg.solve(H, -grad_f(x))            # int += float: a casting error
        steps += 1
    return x, steps


def integer_truncated(grad_f, hess_f, x0, tol=1e-10, max_steps=50):
    x = np.array(x0)                                   # keeps an integer dtype
    steps = 0
    while np.linalg.norm(grad_f(x)) > tol and steps < max_steps:
        H = hess_f(x)
        _positive_definite(H)
        x[:] = x + np.linalg.solve(H, -grad_f(x))      # written back into the int array
        steps += 1
    return x, steps


def mutates_x0(grad_f, hess_f, x0, tol=1e-10, max_steps=50):
    x = x0                                             # no copy
    steps = 0
    while np.linalg.norm(grad_f(x)) > tol and steps < max_steps:
        H = hess_f(x)
        _positive_definite(H)
        x += np.linalg.solve(H, -grad_f(x))
        steps += 1
    return x.astype(float), steps


def damped(grad_f, hess_f, x0, tol=1e-10, max_steps=50):
    return newton(grad_f, hess_f, x0, tol, max_steps, step=lambda H, g: 0.5 * np.linalg.solve(H, -g))


def stub(grad_f, hess_f, x0, tol=1e-10, max_steps=50):
    raise NotImplementedError


@pytest.mark.parametrize("solution", [newton, by_cholesky])
def test_correct_solutions_pass(solution, capsys):
    r = check_newton_minimize(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, name", [
    (wrong_sign, "wrong sign"), (diagonal, "divided by the diagonal"),
    (inverse, "formed the inverse"), (pseudo_inverse, "formed the inverse"),
    (stale_gradient, "stale gradient"), (stale_hessian, "stale Hessian"),
    (never_stops, "never stops"), (steps_before_checking, "steps before checking"),
    (miscounted, "steps miscounted"), (no_definiteness_check, "indefinite H accepted"),
    (integer_in_place, "integer x0"), (integer_truncated, "integer x0"),
])
def test_each_mistake_is_named(wrong, name):
    r = check_newton_minimize(wrong)
    assert r.status == "failed" and r.mistakes and r.mistakes[0] == name, (r.mistakes, r.message)


def test_in_place_change_of_x0_is_reported():
    r = check_newton_minimize(mutates_x0)
    assert r.status == "failed" and "in place" in r.mistakes and "x0" in r.message


def test_stub_is_not_attempted(capsys):
    r = check_newton_minimize(stub)
    assert r.status == "not attempted"
    assert "not attempted yet" in capsys.readouterr().out


def test_uncatalogued_mistake_gets_the_generic_message():
    r = check_newton_minimize(damped)
    assert r.status == "failed" and r.mistakes == []
    assert "Newton's method: g = grad_f(x)" in r.message


def test_not_a_function():
    assert check_newton_minimize(None).status == "error"


def diagonal_beyond_2d(grad_f, hess_f, x0, tol=1e-10, max_steps=50):
    """Right on every hand-picked case (n ≤ 2 or diagonal H), wrong for larger full H."""
    n = np.size(x0)
    return newton(grad_f, hess_f, x0, tol, max_steps,
                  step=lambda H, g: np.linalg.solve(H, -g) if n <= 2 or n == 8
                  else -g / np.diag(H))


def test_the_sweep_catches_what_the_cases_miss():
    r = check_newton_minimize(diagonal_beyond_2d)
    assert r.status == "failed" and "random inputs failed" in r.message


def determinant_test(grad_f, hess_f, x0, tol=1e-10, max_steps=50):
    def check(H):
        if np.linalg.det(H) <= 0:
            raise ValueError("not positive definite")
    return newton_with(check, grad_f, hess_f, x0, tol, max_steps)


def diagonal_test(grad_f, hess_f, x0, tol=1e-10, max_steps=50):
    def check(H):
        if np.any(np.diag(H) <= 0):
            raise ValueError("not positive definite")
    return newton_with(check, grad_f, hess_f, x0, tol, max_steps)


def newton_with(check, grad_f, hess_f, x0, tol, max_steps):
    x = np.array(x0, dtype=float)
    steps = 0
    while np.linalg.norm(grad_f(x)) > tol and steps < max_steps:
        H = hess_f(x)
        check(H)
        x = x + np.linalg.solve(H, -grad_f(x))
        steps += 1
    return x, steps


@pytest.mark.parametrize("wrong, name", [(determinant_test, "determinant test"),
                                         (diagonal_test, "diagonal test")])
def test_wrong_definiteness_tests_are_named(wrong, name):
    r = check_newton_minimize(wrong)
    assert r.status == "failed" and r.mistakes and r.mistakes[0] == name, (r.mistakes, r.message)
