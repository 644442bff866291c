"""The notebook-20 checkers (dlmath/exercises/momentum.py): correct solutions pass (two different
ones each), each catalogued mistake — written as real wrong code — is caught under its own name,
a stub is "not attempted", uncatalogued wrong solutions get expected-vs-got, an input-mutating one
the in-place hint, the sweep catches what the hand-picked cases miss, each oracle agrees with an
independent computation (dlmath.optim.SGD; mpmath's polynomial roots), and the notebook's
solutions pass."""
import json
import re
from fractions import Fraction
from pathlib import Path

import mpmath
import numpy as np
import pytest

import dlmath
from dlmath.exercises import check_heavy_ball, check_heavy_ball_rate
from dlmath.exercises import momentum as mo

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "20_momentum_nesterov.ipynb"


def stub(*args):
    raise NotImplementedError


def _named(result, name):
    return result.status == "failed" and result.mistakes and result.mistakes[0] == name


# --------------------------------------------------------------------------------------------
# heavy_ball
# --------------------------------------------------------------------------------------------

def hb_velocity(grad, x0, lr, beta, steps):
    x = np.array(x0, dtype=float)
    v = np.zeros_like(x)
    path = [x.copy()]
    for _ in range(steps):
        v = beta * v + grad(x)
        x = x - lr * v
        path.append(x.copy())
    return np.array(path)


def hb_alpha_inside(grad, x0, lr, beta, steps):      # u = −αv: u ← βu − α∇f, x ← x + u
    out = np.empty((steps + 1, len(x0)))
    out[0] = x0
    u = np.zeros(len(x0))
    for k in range(steps):
        u = beta * u - lr * grad(out[k])
        out[k + 1] = out[k] + u
    return out


def _wrong(body):
    """A heavy ball whose loop body is ``body(x, v, g, lr, beta) -> (x, v)``."""
    def f(grad, x0, lr, beta, steps):
        x = np.array(x0, dtype=float)
        v = np.zeros_like(x)
        path = [x.copy()]
        for _ in range(steps):
            x, v = body(x, v, grad(x), lr, beta)
            path.append(x.copy())
        return np.array(path)
    return f


def hb_double_first(grad, x0, lr, beta, steps):
    x = np.array(x0, dtype=float)
    v = grad(x)                                   # "PyTorch starts v at g" … and adds it again
    path = [x.copy()]
    for _ in range(steps):
        v = beta * v + grad(x)
        x = x - lr * v
        path.append(x.copy())
    return np.array(path)


def hb_position_minus(grad, x0, lr, beta, steps):
    path = [np.array(x0, dtype=float)]
    prev = path[0]
    for _ in range(steps):
        x = path[-1]
        path.append(x - lr * grad(x) - beta * (x - prev))
        prev = x
    return np.array(path)


def hb_no_x0(grad, x0, lr, beta, steps):
    return hb_velocity(grad, x0, lr, beta, steps)[1:]


def hb_extra_row(grad, x0, lr, beta, steps):
    return hb_velocity(grad, x0, lr, beta, steps + 1)


def hb_aliased(grad, x0, lr, beta, steps):
    x = np.array(x0, dtype=float)
    v = np.zeros_like(x)
    path = [x]
    for _ in range(steps):
        v = beta * v + grad(x)
        x -= lr * v                                    # changes the array stored in path
        path.append(x)
    return np.array(path)


HB_WRONG = {
    "lr applied twice": _wrong(lambda x, v, g, a, b: (x - a * (b * v + a * g), b * v + a * g)),
    "wrong sign": _wrong(lambda x, v, g, a, b: (x - (b * v - a * g), b * v - a * g)),
    "velocity as an average": _wrong(lambda x, v, g, a, b: (x - a * (b * v + (1 - b) * g),
                                                             b * v + (1 - b) * g)),
    "Nesterov's update": _wrong(lambda x, v, g, a, b: (x - a * (g + b * (b * v + g)), b * v + g)),
    "x moved before v": _wrong(lambda x, v, g, a, b: (x - a * v, b * v + g)),
    "first gradient counted twice": hb_double_first,
    "momentum ignored": _wrong(lambda x, v, g, a, b: (x - a * g, g)),
    "momentum term's sign": hb_position_minus,
    "x0 missing": hb_no_x0,
    "a row too many": hb_extra_row,
    "rows alias one array": hb_aliased,
}


@pytest.mark.parametrize("solution", [hb_velocity, hb_alpha_inside])
def test_heavy_ball_correct(solution, capsys):
    r = check_heavy_ball(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(HB_WRONG))
def test_heavy_ball_mistakes(name):
    r = check_heavy_ball(HB_WRONG[name])
    assert _named(r, name), (r.mistakes, r.message)


def test_heavy_ball_stub_generic_in_place(capsys):
    assert check_heavy_ball(stub).status == "not attempted"
    assert "not attempted" in capsys.readouterr().out
    beta_squared = lambda grad, x0, lr, beta, steps: hb_velocity(grad, x0, lr, beta ** 2, steps)
    r = check_heavy_ball(beta_squared)
    assert r.status == "failed" and r.mistakes == [] and "expected" in r.message

    def in_place(grad, x0, lr, beta, steps):
        x = np.asarray(x0, dtype=float)                # no copy for a float x0
        v = np.zeros_like(x)
        path = [x.copy()]
        for _ in range(steps):
            v = beta * v + grad(x)
            x -= lr * v
            path.append(x.copy())
        return np.array(path)
    r = check_heavy_ball(in_place)
    assert r.status == "failed" and ("in place" in r.mistakes
                                     or "integer array in place" in r.mistakes)


def test_heavy_ball_grad_once_per_step():
    def twice(grad, x0, lr, beta, steps):           # right values, grad evaluated twice a step
        x = np.array(x0, dtype=float)
        v = np.zeros_like(x)
        path = [x.copy()]
        for _ in range(steps):
            _ = grad(x)
            v = beta * v + grad(x)
            x = x - lr * v
            path.append(x.copy())
        return np.array(path)

    def elsewhere(grad, x0, lr, beta, steps):       # right values, an extra call off the path
        grad(np.asarray(x0, dtype=float) + 1.0)
        return hb_velocity(grad, x0, lr, beta, steps)

    def one_ahead(grad, x0, lr, beta, steps):       # the gradient of the next point computed too
        x = np.array(x0, dtype=float)
        v, g, path = np.zeros_like(x), grad(x), [x.copy()]
        for _ in range(steps):
            v = beta * v + g
            x = x - lr * v
            path.append(x.copy())
            g = grad(x)
        return np.array(path)
    for wrong in (twice, elsewhere):
        r = check_heavy_ball(wrong)
        assert r.status == "failed" and "grad was called" in r.message, r.message
    assert check_heavy_ball(one_ahead)              # one call at the last point is tolerated


def test_heavy_ball_sweep_catches_what_the_cases_miss():
    def small_only(grad, x0, lr, beta, steps):        # right for d ≤ 2, wrong momentum beyond
        return hb_velocity(grad, x0, lr, beta if len(x0) <= 2 else beta / 2, steps)
    r = check_heavy_ball(small_only)
    assert r.status == "failed" and "random inputs failed" in r.message


def test_heavy_ball_oracle_matches_dlmath_sgd_and_fractions():
    """The position-form oracle equals dlmath.optim.SGD(momentum=β) step by step on the sweep's
    inputs, and the hand-picked diagonal cases in exact rational arithmetic."""
    rng = np.random.default_rng(3)
    for i in range(60):
        grad, x0, lr, beta, steps = mo._hb_input(rng, i)
        x = dlmath.tensor(np.array(x0, dtype=float), requires_grad=True)
        opt = dlmath.optim.SGD([x], lr=lr, momentum=beta)
        path = [x.data.copy()]
        for _ in range(steps):
            x.grad = dlmath.tensor(grad(x.data.copy()))
            opt.step()
            path.append(x.data.copy())
        expected = mo._hb_oracle(grad, x0, lr, beta, steps)
        assert mo._hb_compare(np.array(path), expected, None) is None, i
    # ½(x₁² + 4x₂²) from (2, 1), α = ¼, β = ½ in fractions: the recurrence per coordinate
    lam, a, b = [Fraction(1), Fraction(4)], Fraction(1, 4), Fraction(1, 2)
    e = [[Fraction(2), Fraction(1)]]
    e.append([(1 - a * l) * v for l, v in zip(lam, e[0])])
    e.append([(1 + b - a * l) * v1 - b * v0 for l, v1, v0 in zip(lam, e[1], e[0])])
    assert np.array_equal(mo._hb_oracle(mo._quad_grad([1.0, 4.0]), np.array([2, 1]), 0.25, 0.5,
                                        2), np.array(e, dtype=float))


# --------------------------------------------------------------------------------------------
# heavy_ball_rate
# --------------------------------------------------------------------------------------------

def rate_cases(lam, alpha, beta):
    T = 1 + beta - alpha * lam
    disc = T * T - 4 * beta
    if disc < 0:
        return float(np.sqrt(beta))
    return (abs(T) + np.sqrt(disc)) / 2


def rate_complex_sqrt(lam, alpha, beta):               # the quadratic formula in complex numbers
    import cmath
    T = 1 + beta - alpha * lam
    s = cmath.sqrt(T * T - 4 * beta)
    return max(abs((T + s) / 2), abs((T - s) / 2))


def _roots(T, D):
    s = np.sqrt(complex(T * T - 4 * D))
    return (T + s) / 2, (T - s) / 2


def _rate_T(T_of, D_of=lambda lam, a, b: b, pick=lambda z1, z2: max(abs(z1), abs(z2))):
    def f(lam, alpha, beta):
        return pick(*_roots(T_of(lam, alpha, beta), D_of(lam, alpha, beta)))
    return f


_T = lambda lam, a, b: 1 + b - a * lam


def rate_real_sqrt(lam, alpha, beta):
    T = 1 + beta - alpha * lam
    with np.errstate(invalid="ignore"):
        s = np.sqrt(T * T - 4 * beta)                  # nan when the roots are complex
    return max(abs((T + s) / 2), abs((T - s) / 2))


def rate_clipped(lam, alpha, beta):
    T = 1 + beta - alpha * lam
    s = np.sqrt(max(T * T - 4 * beta, 0.0))
    return (abs(T) + s) / 2


RATE_WRONG = {
    "largest root without |·|": _rate_T(_T, pick=lambda z1, z2: max(z1.real, z2.real)),
    "only the '+' root": _rate_T(_T, pick=lambda z1, z2: abs(z1)),
    "nan for complex roots": rate_real_sqrt,
    "discriminant clipped to 0": rate_clipped,
    "β instead of √β": lambda lam, a, b: (b if (1 + b - a * lam) ** 2 < 4 * b
                                          else rate_cases(lam, a, b)),
    "√β always": lambda lam, a, b: float(np.sqrt(b)),
    "gradient descent's rate": lambda lam, a, b: abs(1 - a * lam),
    "trace 1 − β − αλ": _rate_T(lambda lam, a, b: 1 - b - a * lam),
    "constant term −β": _rate_T(_T, lambda lam, a, b: -b),
    "Nesterov's matrix": _rate_T(lambda lam, a, b: (1 + b) * (1 - a * lam),
                                 lambda lam, a, b: b * (1 - a * lam)),
    "complex number returned": _rate_T(_T, pick=lambda z1, z2: z1 if abs(z1) >= abs(z2) else z2),
}


@pytest.mark.parametrize("solution", [rate_cases, rate_complex_sqrt])
def test_rate_correct(solution, capsys):
    r = check_heavy_ball_rate(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(RATE_WRONG))
def test_rate_mistakes(name):
    r = check_heavy_ball_rate(RATE_WRONG[name])
    assert _named(r, name), (r.mistakes, r.message)


def test_rate_stub_and_generic():
    assert check_heavy_ball_rate(stub).status == "not attempted"
    r = check_heavy_ball_rate(lambda lam, a, b: 1.01 * rate_cases(lam, a, b))
    assert r.status == "failed" and r.mistakes == [] and "expected" in r.message


def test_rate_sweep_catches_what_the_cases_miss():
    def small_lam_only(lam, a, b):                     # wrong (GD's rate) for λ > 1000
        return rate_cases(lam, a, b) if lam <= 1000 else abs(1 - a * lam)
    r = check_heavy_ball_rate(small_lam_only)
    assert r.status == "failed" and "random inputs failed" in r.message


def test_rate_oracle_matches_mpmath_roots_and_measured_rates():
    """Away from repeated roots the oracle equals the largest |root| found by mpmath.polyroots
    (Durand–Kerner, no discriminant) and dlmath.viz's momentum_rate; on a 1-D quadratic the
    measured contraction |x_k|^(1/k) of dlmath.optim.SGD approaches it."""
    from dlmath.viz.momentum import momentum_rate
    rng = np.random.default_rng(4)
    for i in range(120):
        lam, a, b = mo._rate_input(rng, i)
        T = mpmath.mpf(1) + mpmath.mpf(b) - mpmath.mpf(a) * mpmath.mpf(lam)
        with mpmath.workdps(40):
            disc = T * T - 4 * mpmath.mpf(b)
            if abs(disc) < mpmath.mpf(10) ** -6:
                continue
            try:                         # z² − Tz + b; mpmath 1.4 wants ascending order
                roots = mpmath.polyroots([mpmath.mpf(b), -T, 1], asc=True, maxsteps=200,
                                         extraprec=60)
            except TypeError:            # mpmath 1.3 (beside PyTorch's sympy): descending only
                roots = mpmath.polyroots([1, -T, mpmath.mpf(b)], maxsteps=200, extraprec=60)
            rho = float(max(abs(z) for z in roots))
        assert np.isclose(mo._rate_oracle(lam, a, b), rho, rtol=1e-12), (lam, a, b)
        assert np.isclose(momentum_rate(a, b, [lam]), rho, rtol=1e-9, atol=1e-15)
    x = dlmath.tensor(np.array([1.0]), requires_grad=True)
    opt = dlmath.optim.SGD([x], lr=0.05, momentum=0.25)
    for _ in range(400):
        x.grad = dlmath.tensor(1.0 * x.data)
        opt.step()
    assert abs(abs(x.data[0]) ** (1 / 400) - mo._rate_oracle(1.0, 0.05, 0.25)) < 2e-3


# --------------------------------------------------------------------------------------------
# the notebook's solutions
# --------------------------------------------------------------------------------------------

def _solutions():
    nb = json.loads(NOTEBOOK.read_text())
    blocks = []
    for cell in nb["cells"]:
        src = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and "<summary>Solution</summary>" in src:
            blocks += re.findall(r"```python\n(.*?)```", src, re.S)
    return blocks


def test_notebook_solutions_pass():
    blocks = _solutions()
    assert len(blocks) == 2
    ns = {"np": np}
    for code in blocks:
        exec(code, ns)
    assert check_heavy_ball(ns["heavy_ball"])
    assert check_heavy_ball_rate(ns["heavy_ball_rate"])
