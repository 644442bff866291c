"""Checkers for notebook 20: momentum and Nesterov.

Each lists its hand-picked cases (expected values worked out by hand in the comments) and the
classic mistakes it recognises, then runs a seeded sweep — degenerate corners first — against an
oracle that is not a reference solution:

* ``check_heavy_ball`` grades the learner's velocity form (PyTorch's ``v ← βv + g``,
  ``x ← x − αv``) against the *position* form of the heavy ball: on a quadratic
  ½(x − c)ᵀA(x − c) with A = R diag(λ) Rᵀ, each eigen-coordinate e = Rᵀ(x − c) follows its own
  two-term recurrence e₁ = (1 − αλ)e₀, eₖ₊₁ = (1 + β − αλ)eₖ − βeₖ₋₁ (the 2×2 matrix of the
  notebook); on a non-quadratic f, Polyak's xₖ₊₁ = xₖ − α∇f(xₖ) + β(xₖ − xₖ₋₁), x₋₁ = x₀. No
  velocity appears in either;
* ``check_heavy_ball_rate`` grades ρ(M) against the roots of z² − Tz + β taken in exact
  rational arithmetic (T = 1 + β − αλ and the discriminant T² − 4β as fractions of the float
  inputs, so its sign is exact even at a repeated root): complex roots have |z|² = β (Vieta),
  real ones |z| = (|T| + √disc)/2 with the square root in 40-digit arithmetic (mpmath).
"""
from fractions import Fraction

import mpmath
import numpy as np

from .core import Case, Mistake, Sweep, fmt, run_checks, _call
from .core import as_array as _arr, matches as _matches

__all__ = ["check_heavy_ball", "check_heavy_ball_rate"]


# ---------------------------------------------------------------------------------------------
# Exercise 1 · the heavy ball in PyTorch's convention
# ---------------------------------------------------------------------------------------------

class _Grad:
    """∇f of a test function, callable on a 1-D point; named for the checker's messages."""

    def __init__(self, fn, name, quad=None):
        self.fn, self.__name__, self.quad = fn, name, quad      # quad = (R, lams, c) or None
        self.points = []                                          # where it was called

    def __call__(self, x):
        x = np.array(x, dtype=float)
        self.points.append(x.copy())
        return np.asarray(self.fn(x), dtype=float).copy()


def _quad_grad(lams, R=None, c=None):
    """∇f for f = ½(x − c)ᵀA(x − c), A = R diag(λ) Rᵀ (R = I when None)."""
    lams = np.asarray(lams, dtype=float)
    d = len(lams)
    R = np.eye(d) if R is None else np.asarray(R, dtype=float)
    c = np.zeros(d) if c is None else np.asarray(c, dtype=float)
    A = R @ np.diag(lams) @ R.T
    A = (A + A.T) / 2
    if np.allclose(R, np.eye(d)):
        name = f"∇f for f = ½ Σ λᵢ(xᵢ − cᵢ)², λ = {fmt(lams)}, c = {fmt(c)}"
    else:
        name = f"∇f = A(x − c) with A = {fmt(A)}, c = {fmt(c)}"
    return _Grad(lambda x: A @ (x - c), name, (R, lams, c))


def _quartic_grad(s):
    """∇f for the non-quadratic f = Σ (xᵢ⁴/4 + sᵢxᵢ²/2): ∇f = x³ + s·x."""
    s = np.asarray(s, dtype=float)
    return _Grad(lambda x: x ** 3 + s * x, f"∇f = x³ + s·x (f = Σ xᵢ⁴/4 + sᵢxᵢ²/2), s = {fmt(s)}")


def _hb_oracle(grad, x0, lr, beta, steps):
    """The heavy ball without a velocity: per eigen-coordinate of a quadratic, the 2-term
    recurrence of the 2×2 matrix; otherwise Polyak's position form."""
    x0 = np.asarray(x0, dtype=float)
    a, b = float(lr), float(beta)
    if grad.quad is not None:
        R, lams, c = grad.quad
        e = np.empty((steps + 1, len(x0)))
        e[0] = R.T @ (x0 - c)
        if steps >= 1:
            e[1] = (1 - a * lams) * e[0]
        for k in range(1, steps):
            e[k + 1] = (1 + b - a * lams) * e[k] - b * e[k - 1]
        return c[None, :] + e @ R.T
    path = [x0, x0]                                   # x₋₁ = x₀: no motion before the start
    for _ in range(steps):
        x, prev = path[-1], path[-2]
        path.append(x - a * grad(x) + b * (x - prev))
    return np.array(path[1:])


def _hb_compare(out, expected, args):
    try:
        got = _arr(out)
    except (TypeError, ValueError):
        return f"return a float array of shape {expected.shape}, got {fmt(out)}"
    if got.shape != expected.shape:
        return f"expected an array of shape {expected.shape} (steps + 1 rows), got shape " \
               f"{got.shape}"
    if not np.all(np.isfinite(got)):
        return "the result contains nan or inf"
    scale = max(1.0, float(np.abs(expected).max()))
    if not np.allclose(got, expected, rtol=1e-8, atol=1e-10 * scale):
        k = int(np.argmax(np.abs(got - expected).max(axis=1)))
        return f"row {k} (x_{k}): expected {fmt(expected[k])}, got {fmt(got[k])}"
    return None


def _hb_variant(grad, x0, lr, beta, steps, *, lr_twice=False, sign=1.0, damp=False,
                nesterov=False, stale=False, double_first=False, momentum=True,
                diff_sign=1.0):
    """The velocity form with one of the classic mistakes switched on (the detectors)."""
    x = np.asarray(x0, dtype=float).copy()
    b = beta if momentum else 0.0
    v = grad(x) if double_first else np.zeros_like(x)
    path, prev = [x.copy()], x.copy()
    for _ in range(steps):
        g = grad(x)
        if diff_sign != 1.0:                          # position form with −β(xₖ − xₖ₋₁)
            x, prev = x - lr * g + diff_sign * b * (x - prev), x
            path.append(x.copy())
            continue
        if stale:                                     # x moves with the old velocity
            x = x - lr * v
            v = b * v + g
        else:
            v = b * v + ((1 - b) * g if damp else (lr * g if lr_twice else g))
            x = x - sign * lr * ((g + b * v) if nesterov else v)
        path.append(x.copy())
    return np.array(path)


_HB_PROBE = (_quad_grad([1.0, 3.0], c=[0.5, -1.0]), np.array([1.0, 2.0]), 0.2, 0.6, 6)


def check_heavy_ball(fn):
    """heavy_ball(grad, x0, lr, beta, steps) → (steps + 1, d) iterates of the heavy ball in
    PyTorch's convention: vₖ = βvₖ₋₁ + ∇f(xₖ), v₋₁ = 0; xₖ₊₁ = xₖ − αvₖ.

    Catches: the learning rate applied twice (v ← βv + αg, x ← x − αv), the wrong sign (ascent,
    e.g. v ← βv − αg mixed with x ← x − v), the velocity as an average (v ← βv + (1 − β)g),
    Nesterov's update (x ← x − α(g + βv)) instead of the heavy ball's, the position moved with
    the old velocity (x updated before v: the first step does not move), the first gradient
    counted twice (v₀ = (1 + β)g₀), β ignored, −β(xₖ − xₖ₋₁) in the position form, x₀ missing
    from the result or a row too many, rows that alias one array, grad evaluated more than once
    per step or off the path; integer x0, in-place changes of x0. Sweep: the position-form
    oracle (module docstring)."""
    q1 = _quad_grad([1.0])
    cases = [
        # ½x², α = β = ½: v = 1, 1, ½ → x = 1, ½, 0, −¼  (xₖ₊₁ = xₖ − ½xₖ₋₁)
        Case("f = ½x², x0 = [1], α = 0.5, β = 0.5, 3 steps", (q1, np.array([1.0]), 0.5, 0.5, 3),
             lambda o: _hb_compare(o, np.array([[1.0], [0.5], [0.0], [-0.25]]), None)),
        # diag(1, 4), α = ¼, β = ½: g₀ = (2, 4) = v₀ → x₁ = (1.5, 0); g₁ = (1.5, 0),
        # v₁ = (2.5, 2) → x₂ = (0.875, −0.5)
        Case("integer x0 = [2, 1], f = ½(x₁² + 4x₂²), α = 0.25, β = 0.5, 2 steps",
             (_quad_grad([1.0, 4.0]), np.array([2, 1]), 0.25, 0.5, 2),
             lambda o: _hb_compare(o, np.array([[2.0, 1.0], [1.5, 0.0], [0.875, -0.5]]), None)),
        Case("steps = 0: just x0", (_quad_grad([1.0, 2.0]), np.array([3.0, -1.0]), 0.1, 0.9, 0),
             lambda o: _hb_compare(o, np.array([[3.0, -1.0]]), None)),
        # β = 0 is gradient descent: xₖ₊₁ = (1 − ¼·2)xₖ = ½xₖ
        Case("β = 0 (gradient descent) on f = x², α = 0.25", (_quad_grad([2.0]), np.array([1.0]),
                                                              0.25, 0.0, 3),
             lambda o: _hb_compare(o, np.array([[1.0], [0.5], [0.25], [0.125]]), None)),
        # f = 3/2 (x − 1)², α = 1, β = ½: g₀ = −3 → x₁ = 3; g₁ = 6, v₁ = 4.5 → x₂ = −1.5;
        # g₂ = −7.5, v₂ = −5.25 → x₃ = 3.75 (αλ = 3: it diverges, oscillating)
        Case("a diverging run: f = 1.5(x − 1)², x0 = [0], α = 1, β = 0.5",
             (_quad_grad([3.0], c=[1.0]), np.array([0.0]), 1.0, 0.5, 3),
             lambda o: _hb_compare(o, np.array([[0.0], [3.0], [-1.5], [3.75]]), None)),
        # f = x⁴/4, ∇f = x³: v₀ = 1 → x₁ = ½; g₁ = ⅛, v₁ = ⅝ → x₂ = 3/16
        Case("a non-quadratic f = x⁴/4, x0 = [1], α = 0.5, β = 0.5",
             (_quartic_grad([0.0]), np.array([1.0]), 0.5, 0.5, 2),
             lambda o: _hb_compare(o, np.array([[1.0], [0.5], [0.1875]]), None)),
    ]
    counted = _quad_grad([1.0, 5.0], c=[1.0, 0.0])
    expected_c = _hb_oracle(_quad_grad([1.0, 5.0], c=[1.0, 0.0]), np.array([0.0, 1.0]), 0.1, 0.8,
                            10)

    def calls(o):                      # right values, and grad called once per step at x_k
        problem = _hb_compare(o, expected_c, None)
        if problem:
            return problem
        pts = counted.points
        if not 10 <= len(pts) <= 11:
            return (f"grad was called {len(pts)} times for steps = 10: evaluate it once per step, "
                    "at the current point xₖ (10 calls; one more at the last point is tolerated)")
        for p in pts:
            if not np.any(np.all(np.isclose(expected_c, p, rtol=1e-9, atol=1e-12), axis=1)):
                return f"grad was called at {fmt(p)}, which is not one of the iterates xₖ"
        return None
    cases.append(Case("grad called once per step (f = ½((x₁ − 1)² + 5x₂²), 10 steps)",
                      (counted, np.array([0.0, 1.0]), 0.1, 0.8, 10), calls))
    grad, x0, lr, beta, steps = _HB_PROBE
    truth = _hb_oracle(*_HB_PROBE)

    def out(f):
        return _call(f, (grad, x0.copy(), lr, beta, steps), mutates=True)

    def gives(**flags):
        return lambda f: _matches(out(f), _hb_variant(*_HB_PROBE, **flags))

    def rows(f):
        try:
            return np.shape(_arr(out(f)))[0]
        except (TypeError, ValueError, IndexError):
            return None

    def aliased(f):
        o = _arr(out(f))
        return o.shape == truth.shape and np.allclose(o, o[-1]) and np.allclose(o[-1], truth[-1])

    mistakes = [
        Mistake("lr applied twice", gives(lr_twice=True),
                "in PyTorch's convention the velocity collects raw gradients, v ← βv + ∇f(x), and "
                "the learning rate is applied once, x ← x − αv. With v ← βv + α∇f(x) as well, α "
                "is "
                "applied twice (the other convention, v ← βv − α∇f(x), x ← x + v, puts α only "
                "inside v)."),
        Mistake("wrong sign", lambda f: gives(sign=-1.0)(f) or gives(sign=-1.0, lr_twice=True)(f),
                "your iterates go uphill: with v ← βv + ∇f(x) the step is x ← x − αv (minus). If "
                "you put α inside the velocity, v ← βv − α∇f(x), then the step is x ← x + v — "
                "don't "
                "mix the two conventions."),
        Mistake("velocity as an average", gives(damp=True),
                "v ← βv + (1 − β)∇f(x) is an exponential average (SGD's dampening = β, or Adam's "
                "first moment): the exercise's velocity adds the full gradient, v ← βv + ∇f(x), "
                "so on a steady slope it grows to ∇f/(1 − β)."),
        Mistake("Nesterov's update", gives(nesterov=True),
                "x ← x − α(∇f(x) + βv) is PyTorch's nesterov=True: momentum applied to the update "
                "once more. The heavy ball steps with the velocity itself, x ← x − αv."),
        Mistake("x moved before v", gives(stale=True),
                "update the velocity first, v ← βv + ∇f(xₖ), then move with it, xₖ₊₁ = xₖ − αv. "
                "Moving with the old velocity makes the first step (v₋₁ = 0) not move at all."),
        Mistake("first gradient counted twice", gives(double_first=True),
                "v₋₁ = 0, so v₀ = ∇f(x₀) (PyTorch initialises its buffer to the first gradient "
                "— that *is* the first update, not something to add the gradient to again)."),
        Mistake("momentum ignored", gives(momentum=False),
                "your iterates are plain gradient descent: the velocity must remember the past, "
                "v ← βv + ∇f(x) — don't reset it each step."),
        Mistake("momentum term's sign", gives(diff_sign=-1.0),
                "the heavy ball *continues* the last move: xₖ₊₁ = xₖ − α∇f(xₖ) + β(xₖ − xₖ₋₁), "
                "plus β(xₖ − xₖ₋₁), not minus."),
        Mistake("x0 missing", lambda f: rows(f) == steps,
                "return steps + 1 rows: row 0 is x0 itself, row k is xₖ."),
        Mistake("a row too many", lambda f: rows(f) == steps + 2,
                "return steps + 1 rows, x₀ … x_steps: `steps` updates, so one more point than "
                "steps, not two."),
        Mistake("rows alias one array", aliased,
                "every row of your result is the last point: you stored the same array each step "
                "and then changed it in place (x -= …). Store a copy (x.copy()) or write "
                "x = x - … (a new array)."),
    ]
    sweep = Sweep(_hb_input, _hb_oracle, _hb_compare, n=150, seed=20,
                  property="path (the position form xₖ₊₁ = xₖ − α∇f(xₖ) + β(xₖ − xₖ₋₁), per "
                           "eigen-direction on a quadratic)",
                  hint="v = βv + grad(x); x = x − lr·v; keep every xₖ (a copy), x0 first.")
    return run_checks("heavy_ball", fn, cases, mistakes, sweep=sweep, hint=sweep.hint)


def _rotation(rng, d):
    Q, Rq = np.linalg.qr(rng.standard_normal((d, d)))
    return Q * np.sign(np.diag(Rq))[None, :]


def _hb_input(rng, i):
    """(grad, x0, lr, beta, steps): corners first — d = 1 with 0 steps, β = 0, a flat direction
    (λ = 0), integer x0, β = 0.99, α at gradient descent's edge 2/L, a diverging run, a centre
    far from 0, a non-quadratic f; then random rotated quadratics (d = 1–6, κ up to 10⁴, αL in
    (0, 3), β in [0, 0.99]) and, every fifth input, the quartic x³ + s·x."""
    corners = [
        (_quad_grad([2.0]), np.array([1.5]), 0.3, 0.5, 0),
        (_quad_grad([1.0, 10.0]), np.array([1.0, 1.0]), 0.05, 0.0, 12),
        (_quad_grad([0.0, 1.0]), np.array([2.0, -1.0]), 0.5, 0.7, 10),
        (_quad_grad([1.0, 3.0], c=[1.0, -2.0]), np.array([4, -3]), 0.25, 0.5, 8),
        (_quad_grad([1.0, 100.0]), np.array([1.0, 1.0]), 0.01, 0.99, 40),
        (_quad_grad([1.0, 100.0]), np.array([1.0, 0.5]), 2 / 100, 0.0, 20),
        (_quad_grad([1.0, 8.0]), np.array([0.5, 0.5]), 0.5, 0.5, 25),
        (_quad_grad([0.5, 2.0], c=[1e6, -1e6]), np.array([0.0, 0.0]), 0.1, 0.8, 15),
        (_quartic_grad([1.0, -0.5, 0.0]), np.array([1.2, -0.8, 0.3]), 0.1, 0.9, 20),
    ]
    if i < len(corners):
        return corners[i]
    d = int(rng.integers(1, 7))
    steps = int(rng.integers(0, 41))
    beta = 0.0 if i % 11 == 0 else float(rng.choice([rng.uniform(0, 0.99), 0.9, 0.99]))
    x0 = rng.uniform(-2, 2, d)
    if i % 7 == 0:
        x0 = rng.integers(-5, 6, d)
    if i % 5 == 0:
        s = rng.uniform(-0.5, 2.0, d)
        return _quartic_grad(s), np.clip(x0, -1.5, 1.5), float(rng.uniform(0.01, 0.1)), \
            beta, min(steps, 25)
    kappa = 10 ** rng.uniform(0, 4)
    lams = 10 ** rng.uniform(-1, 1, d)
    if d > 1:
        lams[0], lams[1] = 1.0, kappa
    lams *= 10 ** rng.uniform(-2, 2)
    R = _rotation(rng, d)
    c = rng.normal(0, 1, d) * float(rng.choice([0.0, 1.0, 100.0]))
    lr = float(rng.uniform(0.01, 3.0)) / float(lams.max())
    return _quad_grad(lams, R, c), x0, lr, beta, steps


# ---------------------------------------------------------------------------------------------
# Exercise 2 · the rate: the spectral radius of the heavy ball's 2×2 matrix
# ---------------------------------------------------------------------------------------------

def _rate_oracle(lam, alpha, beta):
    """ρ(M) from the exact discriminant of z² − Tz + β (module docstring)."""
    T = 1 + Fraction(float(beta)) - Fraction(float(alpha)) * Fraction(float(lam))
    B = Fraction(float(beta))
    disc = T * T - 4 * B
    with mpmath.workdps(40):
        if disc < 0:                                  # complex pair: |z|² = z·z̄ = β
            return float(mpmath.sqrt(mpmath.mpf(B.numerator) / B.denominator))
        root = mpmath.sqrt(mpmath.mpf(disc.numerator) / disc.denominator)
        return float((abs(mpmath.mpf(T.numerator) / T.denominator) + root) / 2)


def _rate_compare(out, expected, args):
    if isinstance(out, (complex, np.complexfloating)) or (
            isinstance(out, np.ndarray) and out.dtype.kind == "c"):
        return f"return the modulus |z|, a real number; got the complex {fmt(out)}"
    try:
        got = _arr(out)
    except (TypeError, ValueError):
        return f"return one real number; got {fmt(out)}"
    if got.shape != ():
        return f"return one number (the largest |z|), got an array of shape {got.shape}"
    got = float(got)
    if not np.isfinite(got):
        return f"expected {fmt(expected)}, got {fmt(got)}"
    if not np.isclose(got, expected, rtol=1e-6, atol=1e-12):
        return f"expected {fmt(expected)}, got {fmt(got)}"
    return None


def _rate_input(rng, i):
    """(lam, alpha, beta): corners first — β = 0, λ = 0, ints, complex roots, repeated roots
    (exactly, and Polyak's optimum at both ends of [μ, L] for κ = 100, 10⁴, 10⁸), a negative
    trace, large αλ; then λ log-uniform in [1e-4, 1e4], αλ in [1e-4, 10], β in [0, 0.999],
    with some β on the boundary αλ = (1 ± √β)² between real and complex roots."""
    corners = [(2.0, 0.25, 0.0), (0.0, 0.1, 0.5), (1, 2, 0), (1.0, 0.5, 0.81), (1.0, 0.25, 0.25),
               (1.0, 3.0, 0.25), (1e6, 1.0, 0.9), (1e-8, 1.0, 0.999), (4.0, 1.0, 0.0)]
    for kappa in (100.0, 1e4, 1e8):
        a = 4 / (np.sqrt(kappa) + 1) ** 2
        b = ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2
        corners += [(1.0, a, b), (kappa, a, b)]
    if i < len(corners):
        return corners[i]
    lam = 0.0 if i % 13 == 0 else float(10 ** rng.uniform(-4, 4))
    beta = 0.0 if i % 9 == 0 else float(rng.choice([rng.uniform(0, 1), rng.uniform(0.9, 0.999)]))
    al = float(10 ** rng.uniform(-4, 1))
    if i % 4 == 1:                                    # on (or next to) a repeated root
        al = (1 + float(rng.choice([-1.0, 1.0])) * np.sqrt(beta)) ** 2 * (1 + rng.choice(
            [0.0, 1e-9, -1e-9, 1e-3]))
    alpha = al / lam if lam > 0 else float(10 ** rng.uniform(-3, 0))
    return lam, alpha, beta


def check_heavy_ball_rate(fn):
    """heavy_ball_rate(lam, alpha, beta) → ρ(M), the largest |z| over the roots of
    z² − (1 + β − αλ)z + β, the eigenvalues of the heavy ball's 2×2 matrix.

    Catches: the real part or the largest root without |·| (negative trace), only the '+' root,
    a real square root of a negative discriminant (nan), the discriminant clipped to 0 (|T|/2 for
    complex roots), β instead of √β for complex roots, √β always, gradient descent's |1 − αλ|,
    the trace 1 − β − αλ, the constant term −β, Nesterov's matrix, a complex number returned.
    Sweep: the exact-discriminant oracle (module docstring)."""
    r_real = (1.2 + np.sqrt(0.44)) / 2
    r_neg = (1.75 + np.sqrt(2.0625)) / 2
    cases = [
        # β = 0: the roots are 1 − αλ = 0.5 and 0
        Case("β = 0: λ = 2, α = 0.25", (2.0, 0.25, 0.0), lambda o: _rate_compare(o, 0.5, None)),
        # λ = 0: z² − 1.5z + 0.5 = (z − 1)(z − 0.5)
        Case("λ = 0 (a flat direction): α = 0.1, β = 0.5", (0.0, 0.1, 0.5),
             lambda o: _rate_compare(o, 1.0, None)),
        # T = 1.31, T² = 1.7161 < 4β = 3.24: complex pair of modulus √0.81
        Case("complex roots: λ = 1, α = 0.5, β = 0.81", (1.0, 0.5, 0.81),
             lambda o: _rate_compare(o, 0.9, None),
             hint="for complex roots z, z̄ the product z·z̄ = |z|² is the constant term β."),
        # T = 1, T² − 4β = 0: the repeated root ½
        Case("a repeated root: λ = 1, α = 0.25, β = 0.25", (1.0, 0.25, 0.25),
             lambda o: _rate_compare(o, 0.5, None)),
        # T = 1.2, disc = 1.44 − 1 = 0.44: (1.2 + √0.44)/2 = 0.93166…
        Case("real roots: λ = 1, α = 0.05, β = 0.25", (1.0, 0.05, 0.25),
             lambda o: _rate_compare(o, r_real, None)),
        # T = −1.75, disc = 3.0625 − 1: the root (−1.75 − √2.0625)/2 = −1.593…
        Case("a negative trace: λ = 1, α = 3, β = 0.25 (diverges)", (1.0, 3.0, 0.25),
             lambda o: _rate_compare(o, r_neg, None)),
        # κ = 100: α* = 4/121, β* = 81/121; at λ = 1 and λ = 100 a repeated root ±9/11
        Case("Polyak's α*, β* for κ = 100, at λ = μ = 1", (1.0, 4 / 121, 81 / 121),
             lambda o: _rate_compare(o, 9 / 11, None)),
        Case("Polyak's α*, β* for κ = 100, at λ = L = 100", (100.0, 4 / 121, 81 / 121),
             lambda o: _rate_compare(o, 9 / 11, None)),
        # ints: |1 − 1·3| = 2
        Case("ints λ = 3, α = 1, β = 0", (3, 1, 0), lambda o: _rate_compare(o, 2.0, None)),
    ]
    P_neg, P_cplx, P_real, P_t = (1.0, 3.0, 0.25), (1.0, 0.5, 0.81), (1.0, 0.05, 0.25), \
        (1.0, 0.05, 0.1)

    def val(f, args):
        try:
            o = _call(f, args, mutates=True)
            if isinstance(o, (complex, np.complexfloating)):
                return complex(o)
            return float(_arr(o))
        except Exception:
            return None

    def near(x, y):
        return x is not None and not isinstance(x, complex) and np.isfinite(x) \
            and np.isclose(x, y, rtol=1e-6, atol=1e-12)

    nan_at = lambda f, args: (lambda v: v is not None and not isinstance(v, complex)
                              and np.isnan(v))(val(f, args))
    ok_real = lambda f: near(val(f, P_real), r_real)
    mistakes = [
        Mistake("largest root without |·|", lambda f: near(val(f, P_neg), (-1.75 + np.sqrt(2.0625))
                                                           / 2),
                "the rate is the largest *modulus* |z|: at T = 1 + β − αλ < 0 the root of largest "
                "size is the negative one, (T − √disc)/2. Take max(|z₁|, |z₂|)."),
        Mistake("only the '+' root", lambda f: near(val(f, P_neg), (1.75 - np.sqrt(2.0625)) / 2),
                "both roots count: when T = 1 + β − αλ < 0, |(T − √disc)/2| is the larger one — "
                "ρ = (|T| + √disc)/2 for real roots."),
        Mistake("nan for complex roots", lambda f: nan_at(f, P_cplx) and ok_real(f),
                "when T² < 4β the roots are complex and np.sqrt of the negative discriminant is "
                "nan: "
                "the two roots are then z and its conjugate z̄, with |z|² = z·z̄ = β, so ρ = √β."),
        Mistake("discriminant clipped to 0", lambda f: near(val(f, P_cplx), 1.31 / 2),
                "for complex roots z = (T ± i√(4β − T²))/2 the imaginary part counts too: "
                "|z| = √β, not |T|/2."),
        Mistake("β instead of √β", lambda f: near(val(f, P_cplx), 0.81) and ok_real(f),
                "for complex roots |z|² = z·z̄ = β: the modulus is √β."),
        Mistake("√β always", lambda f: near(val(f, P_real), 0.5) and near(val(f, P_cplx), 0.9)
                and near(val(f, P_neg), 0.5),
                "|z| = √β holds only for complex roots (T² < 4β); real roots have different "
                "sizes, "
                "and the larger is (|T| + √(T² − 4β))/2."),
        Mistake("gradient descent's rate", lambda f: near(val(f, P_real), 0.95)
                and near(val(f, P_cplx), 0.5),
                "|1 − αλ| is the rate of gradient descent (β = 0). With momentum the iteration is "
                "the 2×2 matrix M: use the roots of z² − (1 + β − αλ)z + β."),
        Mistake("trace 1 − β − αλ", lambda f: near(val(f, P_t), _rho(1 - 0.1 - 0.05, 0.1)),
                "the trace of M is 1 + β − αλ: the momentum term +β(xₖ − xₖ₋₁) adds β to the "
                "coefficient of xₖ."),
        Mistake("constant term −β", lambda f: near(val(f, P_cplx), _rho(1.31, -0.81)),
                "the characteristic polynomial of M = [[T, −β], [1, 0]] is z² − Tz + β "
                "(det M = +β): the roots multiply to β."),
        Mistake("Nesterov's matrix",
                lambda f: near(val(f, P_real), _rho(1.25 * 0.95, 0.25 * 0.95)),
                "that is Nesterov's iteration, trace (1 + β)(1 − αλ) and determinant β(1 − αλ). "
                "The heavy ball's matrix has trace 1 + β − αλ and determinant β."),
        Mistake("complex number returned", lambda f: isinstance(val(f, P_cplx), complex),
                "return the modulus |z| (abs(z)), a real number — not the root z itself."),
    ]
    sweep = Sweep(_rate_input, _rate_oracle, _rate_compare, n=200, seed=20,
                  property="spectral radius (exact discriminant; |z|² = β for complex roots)",
                  hint="T = 1 + β − αλ, disc = T² − 4β; real roots: ρ = (|T| + √disc)/2, "
                       "complex roots: ρ = √β.")
    return run_checks("heavy_ball_rate", fn, cases, mistakes, sweep=sweep, hint=sweep.hint)


def _rho(T, D):
    """max |z| over the roots of z² − Tz + D, by NumPy (for the detectors only)."""
    return float(np.max(np.abs(np.roots([1.0, -T, D]))))
