"""Checkers for the calculus notebooks 06–08: finite differences and the best step (06),
numerical gradients, directional derivatives and gradient descent (07), the local backward of a
node and the topological order of a computational graph (08).

Each checker lists the cases it runs (expected values are closed forms or hand-computed numbers,
never a reference solution), then a seeded sweep of random inputs — degenerate corners first —
graded against an independent oracle (exact central differences of random polynomials, a
numerical minimisation in mpmath, a topological order verified edge by edge), and the classic
mistakes it recognises."""
from dataclasses import dataclass
import functools
import math
import warnings

import mpmath
import numpy as np
from numpy.polynomial import polynomial as P

from .core import Case, Mistake, Sweep, fmt, run_checks, _call

__all__ = ["check_central_difference", "check_best_central_step", "check_numerical_gradient",
           "check_directional_derivative", "check_gradient_descent", "check_div_backward",
           "check_topological_order"]


def _near(out, value, rtol=1e-6, atol=1e-12):
    """True when ``out`` is a finite array/number equal to ``value`` within tolerance."""
    try:
        out = np.asarray(getattr(out, "data", out), dtype=float)
        value = np.asarray(value, dtype=float)
        return out.shape == value.shape and bool(np.all(np.isfinite(out))) and \
            bool(np.allclose(out, value, rtol=rtol, atol=atol))
    except (TypeError, ValueError):
        return False


def _quiet(fn, *args):
    """Call without copying the arguments (to see whether fn changes them), warnings off."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            return fn(*args)


def _raw(fn, *args):
    """Call the learner's fn for a detector: on copies and under the time limit, like every
    check, but without failing on a changed input (the detector only looks at the values)."""
    return _call(fn, args, mutates=True)


def _wrong(fn, args, expected, **tol):
    """For a detector: True when fn(*args) raises or returns something other than expected."""
    try:
        return not _near(_raw(fn, *args), expected, **tol)
    except Exception:
        return True


# ------------------------------------------------------------------------- the sweeps' oracles

_EPS = float(np.finfo(np.float64).eps)
_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _named(fn, name):
    """Give a generated function a readable name: the checkers' messages print it."""
    fn.__name__ = name
    return fn


def _power(var, p):
    return "" if p == 0 else var if p == 1 else var + str(p).translate(_SUP)


def _terms_str(terms):
    """'2x³ − x + 1' from [(coefficient, monomial)]: zero terms left out, a coefficient 1 hidden."""
    s = ""
    for c, mono in terms:
        if c == 0:
            continue
        a = abs(float(c))
        body = mono if mono and a == 1 else f"{a:g}{mono}"
        s += (" − " if c < 0 else " + ") + body
    if not s:
        return "0"
    return s[3:] if s.startswith(" + ") else "−" + s[3:]


def _half_integers(rng, size=None, top=3):
    """Random nonzero multiples of ½ in [−top, top]: readable coefficients."""
    v = rng.integers(1, 2 * top + 1, size) * rng.choice([-1, 1], size) / 2
    return float(v) if size is None else v


def _poly1(coefs):
    """p(x) = Σ cₖxᵏ (coefficients lowest first) as a vectorised function named by its formula,
    carrying its coefficients for the oracles."""
    c = np.array(coefs, dtype=float)

    def p(x):
        return P.polyval(np.asarray(x, dtype=float), c)
    p.coefs = c
    return _named(p, "x ↦ " + _terms_str([(c[k], _power("x", k))
                                          for k in range(len(c) - 1, -1, -1)]))


def _poly1_central(c, x, h):
    """(p(x + h) − p(x − h))/(2h) exactly, from Taylor's formula (finite for a polynomial):
    the sum over odd m of p⁽ᵐ⁾(x)·h^(m−1)/m!."""
    x = np.asarray(x, dtype=float)
    total, d = np.zeros(x.shape), np.array(c, dtype=float)
    for m in range(1, len(c)):
        d = P.polyder(d)
        if m % 2:
            total = total + P.polyval(x, d) * h ** (m - 1) / math.factorial(m)
    return total


class _PolyN:
    """A polynomial Σ c·x₀^e₀·x₁^e₁⋯ in the entries of x (in x.flat order), with exact central
    differences: the oracle of the numerical-gradient and Hessian checkers."""

    def __init__(self, terms):
        self.terms = [(float(c), tuple(int(p) for p in e)) for c, e in terms if c != 0]

    @staticmethod
    def _flat(x):
        return [float(v) for v in np.asarray(x, dtype=float).ravel()]

    def value(self, x):
        x = self._flat(x)
        return math.fsum(c * math.prod(x[k] ** p for k, p in enumerate(e)) for c, e in self.terms)

    def partial(self, i):
        return _PolyN([(c * e[i], e[:i] + (e[i] - 1,) + e[i + 1:])
                       for c, e in self.terms if e[i]])

    def central(self, i, h, x):
        """(f(x + h·eᵢ) − f(x − h·eᵢ))/(2h) exactly: the odd terms of the binomial expansion of
        (xᵢ ± h)^p, term by term."""
        x, out = self._flat(x), []
        for c, e in self.terms:
            p = e[i]
            if p:
                rest = c * math.prod(x[k] ** q for k, q in enumerate(e) if k != i)
                out.append(rest * math.fsum(math.comb(p, m) * x[i] ** (p - m) * h ** (m - 1)
                                            for m in range(1, p + 1, 2)))
        return math.fsum(out)

    def scale(self, x, h):
        """Σ |c|·Π(|xₖ| + |h|)^eₖ: the size of the numbers a finite difference subtracts."""
        x = [abs(v) + abs(h) for v in self._flat(x)]
        return math.fsum(abs(c) * math.prod(x[k] ** p for k, p in enumerate(e))
                         for c, e in self.terms)

    def __str__(self):
        terms = sorted(self.terms, key=lambda t: (-sum(t[1]), [-p for p in t[1]]))
        return _terms_str([(c, "".join(_power("x" + str(k).translate(_SUB), p)
                                       for k, p in enumerate(e))) for c, e in terms])


def _random_polyN(rng, d, quartic=False):
    """A random polynomial in d variables: a cubic in every variable (so that a forward
    difference or a shifted point shows), products of pairs and a triple (so that a coordinate
    left moved shows), and with ``quartic`` a degree-4 term (then a finite-difference Hessian is
    not symmetric by itself)."""
    terms = {}

    def add(c, *idx):
        e = [0] * d
        for k in idx:
            e[k] += 1
        terms[tuple(e)] = terms.get(tuple(e), 0.0) + c

    for k in range(d):
        add(_half_integers(rng), k, k, k)
        if rng.random() < 0.5:
            add(_half_integers(rng), k)
    for _ in range(d - 1):
        i, j = rng.choice(d, 2, replace=False)
        add(_half_integers(rng), int(i), int(j))
    if d >= 3:
        add(_half_integers(rng), *[int(k) for k in rng.choice(d, 3, replace=False)])
    if quartic:
        i, j = rng.integers(d, size=2)
        add(_half_integers(rng), int(i), int(i), int(i), int(j))
    add(float(rng.integers(-2, 3)))
    return _PolyN((c, e) for e, c in terms.items())


def _within(out, expected, tol, what="the result"):
    """None if ``out`` has expected's shape, is finite and lies within ``tol`` (a number or an
    array) of ``expected``; else a message naming the worst entry."""
    try:
        out = np.asarray(getattr(out, "data", out), dtype=float)
    except (TypeError, ValueError):
        return f"expected {what} as a number or a NumPy array, got {type(out).__name__}"
    expected = np.asarray(expected, dtype=float)
    if out.shape != expected.shape:
        return f"expected {what} of shape {expected.shape}, got shape {out.shape}"
    if not np.all(np.isfinite(out)):
        return f"expected {fmt(expected)}, got {fmt(out)} (it contains nan or inf)"
    err = np.abs(out - expected) - tol
    if np.any(err > 0):
        if expected.size <= 12:
            return f"expected {_pair(expected, out)}"
        k = np.unravel_index(np.argmax(err), err.shape)
        return (f"expected {_pair(expected[k], out[k])} at index "
                f"{tuple(int(i) for i in k)}")
    return None


def _close(expected, rtol=1e-6, atol=1e-9, what="the result"):
    """An ``expect`` like core's ``close``, printing enough digits to show the difference."""
    expected = np.asarray(expected, dtype=float)
    return lambda out: _within(out, expected, atol + rtol * np.abs(expected), what)


def _pair(expected, got):
    """'X, got Y' — with more digits when six would print the two alike."""
    e, g = fmt(expected), fmt(got)
    if e == g:
        long = lambda v: np.array2string(np.asarray(v, dtype=float), precision=14,
                                         separator=", ", floatmode="maxprec")
        e, g = long(expected), long(got)
    return f"{e}, got {g}"


# ---------------------------------------------------------------------------------- notebook 06

def _cube(x):
    return x ** 3


def _central_sweep():
    """Random polynomials (degree ≤ 5), sin(ax + b) and exp(ax) at scalars, 0-d arrays, columns,
    rows, matrices and integer inputs; the oracle is the exact central difference of each."""
    shapes = [(), (1,), (4,), (3, 1), (1, 3), (2, 3)]
    steps = [0.5, 0.1, 1e-2, 1e-3, 1e-4]

    def function(rng, kind):
        if kind == 0:
            f = _poly1(_half_integers(rng, rng.integers(1, 7)))
            c = f.coefs
            f.exact = lambda x, h: _poly1_central(c, x, h)
            f.size = lambda x, h: P.polyval(np.abs(x) + abs(h), np.abs(c))
        elif kind == 1:
            a, b = _half_integers(rng), float(rng.integers(-3, 4)) / 2
            f = _named(lambda x: np.sin(a * np.asarray(x, dtype=float) + b),
                       f"x ↦ sin({_terms_str([(a, 'x'), (b, '')])})")
            f.exact = lambda x, h: np.cos(a * np.asarray(x, dtype=float) + b) * np.sin(a * h) / h
            f.size = lambda x, h: np.ones(np.shape(x))
        else:
            a = _half_integers(rng, top=1.5)
            f = _named(lambda x: np.exp(a * np.asarray(x, dtype=float)),
                       f"x ↦ exp({_terms_str([(a, 'x')])})")
            f.exact = lambda x, h: np.exp(a * np.asarray(x, dtype=float)) * np.sinh(a * h) / h
            f.size = lambda x, h: np.exp(abs(a) * (np.abs(x) + abs(h)))
        return f

    def generate(rng, i):
        corners = [(0, 0, 0.5),                                 # x = 0, a Python int
                   (0, np.arange(-1, 3), 0.25),                 # an integer array
                   (1, rng.uniform(-2, 2, (3, 1)), 0.1),        # a column
                   (2, np.array(1.5), 1e-3),                    # a 0-d array
                   (0, 30.0, 1e-2),                             # far from 0
                   (1, np.zeros((1, 3)), 1e-4)]                 # a row of zeros
        if i < len(corners):
            kind, x, h = corners[i]
        else:
            kind, shape = i % 3, shapes[rng.integers(len(shapes))]
            x = rng.uniform(-3, 3, shape)
            if rng.random() < 0.25:
                x = np.round(x).astype(int)
            x = x.item() if shape == () and rng.random() < 0.5 else x
            h = steps[rng.integers(len(steps))]
        return function(rng, kind), x, h

    def compare(out, expected, args):
        f, x, h = args
        return _within(out, expected, 1e-9 * np.abs(expected) + 16 * _EPS * f.size(x, h) / h,
                       "the result (shaped like x)")

    return Sweep(generate, lambda f, x, h: f.exact(x, h), compare, n=200, seed=6,
                 size=lambda a: np.size(a[1]) + len(a[0].__name__) / 100,
                 property="equation result = (f(x + h) − f(x − h))/(2h) (evaluated exactly for "
                          "this f; for a polynomial p it is p′(x) + p‴(x)h²/6 + …)",
                 hint="It must work for any function f, for x a number or an array of any shape "
                      "(also integers), and for any step h.")


def check_central_difference(fn):
    """central_difference(f, x, h) = (f(x + h) − f(x − h)) / (2h).

    Closed forms: for x³ the central difference is exactly 3x² + h²; for sin it is
    cos(x)·sin(h)/h; for exp at 0 it is sinh(h)/h; the sweep adds random polynomials (exact:
    Σ over odd m of p⁽ᵐ⁾(x)h^(m−1)/m!), sin(ax + b) and exp(ax) at arrays of any shape.
    Catches: dividing by h instead of 2h, a forward or a backward difference, the precedence slip
    ``... / 2 * h`` (which multiplies by h), and the points x ± h/2."""
    h = 1e-3
    xs = np.array([0.0, 1.0, 2.0])
    cases = [
        Case("f(x) = x³ at x = 2, h = 0.1 (exactly 3x² + h² = 12.01)", (_cube, 2.0, 0.1),
             _close(12.01, rtol=1e-9)),
        Case("f = sin at x = 1, h = 0.001", (np.sin, 1.0, h),
             _close(math.cos(1.0) * math.sin(h) / h, rtol=1e-9)),
        Case("f = exp at x = 0, h = 0.5 (sinh(h)/h)", (np.exp, 0.0, 0.5),
             _close(math.sinh(0.5) / 0.5, rtol=1e-9)),
        Case("f = sin at three points at once, x = [0, 1, 2]", (np.sin, xs, h),
             _close(np.cos(xs) * math.sin(h) / h, rtol=1e-9)),
    ]
    at = lambda f: _raw(f, _cube, 2.0, 0.1)
    mistakes = [
        Mistake("divided by h", lambda f: _near(at(f), 24.02),
                "your answer is twice too big: the two points x − h and x + h are 2h apart, so "
                "divide the difference f(x + h) − f(x − h) by 2h, not by h."),
        Mistake("forward difference", lambda f: _near(at(f), 12.61),
                "that is the forward difference (f(x + h) − f(x))/h, whose error shrinks only "
                "like h. Use the two points on either side of x: (f(x + h) − f(x − h))/(2h)."),
        Mistake("backward difference", lambda f: _near(at(f), 11.41),
                "that is the backward difference (f(x) − f(x − h))/h. Use both neighbours: "
                "(f(x + h) − f(x − h))/(2h)."),
        Mistake("precedence", lambda f: _near(at(f), 2.402 / 2 * 0.1),
                "Python reads `a / 2 * h` as (a / 2) · h, so you multiplied by h instead of "
                "dividing. Put the denominator in parentheses: `/ (2 * h)`."),
        Mistake("scalars only", lambda f: _near(at(f), 12.01)
                and _wrong(f, (_cube, np.array([1.0, 2.0]), 0.1), [3.01, 12.01]),
                "right for one number x, wrong for an array of points: keep the result an array "
                "— no float(), math.* or Python if on x; (f(x + h) − f(x − h))/(2h) works "
                "elementwise as it is."),
        Mistake("integer x", lambda f: _near(at(f), 12.01)
                and _near(_call(f, (_cube, np.array([1.0, 2.0]), 0.1)), [3.01, 12.01])
                and _wrong(f, (_cube, np.array([1, 2]), 0.1), [3.01, 12.01]),
                "x may be an integer (or an integer array): x.copy() keeps the integer dtype, so "
                "adding h to it in place fails or rounds h away. Write f(x + h) − f(x − h): x + h "
                "is a new (float) array and leaves the caller's x alone."),
        Mistake("sign", lambda f: _near(at(f), -12.01),
                "the sign is flipped: the slope is (f(x + h) − f(x − h))/(2h) — the value to the "
                "right minus the value to the left."),
        Mistake("h ignored", lambda f: abs(_raw(f, np.sin, 1.0, 0.5) - _raw(f, np.sin, 1.0, 0.1))
                < 1e-9 and abs(_raw(f, np.sin, 1.0, 0.5) - math.cos(1.0)) < 1e-3,
                "your result does not change with h: use the step h you are given (the "
                "notebook studies how the error depends on h), not a fixed one."),
        Mistake("five-point stencil", lambda f: _near(
            _raw(f, np.sin, 1.0, 0.5),
            (8 * (math.sin(1.5) - math.sin(0.5)) - (math.sin(2.0) - math.sin(0.0))) / 6.0),
                "that is the five-point stencil (f(x−2h) − 8f(x−h) + 8f(x+h) − f(x+2h))/(12h), a "
                "more accurate formula — but the exercise asks for the two-point central "
                "difference (f(x + h) − f(x − h))/(2h)."),
        Mistake("half step", lambda f: _near(at(f), 12.0025),
                "you used the points x ± h/2 (a step of h in total). The central difference with "
                "step h uses x + h and x − h, which are 2h apart: (f(x + h) − f(x − h))/(2h)."),
    ]
    return run_checks("central_difference", fn, cases, mistakes, sweep=_central_sweep())


def _golden(E, lo, hi, steps):
    """The minimiser of a unimodal E on [lo, hi] by golden-section search."""
    r = (math.sqrt(5) - 1) / 2
    c, d = hi - r * (hi - lo), lo + r * (hi - lo)
    Ec, Ed = E(c), E(d)
    for _ in range(steps):
        if Ec < Ed:
            hi, d, Ed = d, c, Ec
            c = hi - r * (hi - lo)
            Ec = E(c)
        else:
            lo, c, Ec = c, d, Ed
            d = lo + r * (hi - lo)
            Ed = E(d)
    return (lo + hi) / 2


@functools.lru_cache(maxsize=512)         # the sweep is seeded: a re-run meets the same inputs
def _argmin_error(f0, f3, eps):
    """The h > 0 that minimises E(h) = h²|f3|/6 + eps·|f0|/h, found numerically — golden-section
    searches over t = log h, in floats and then in 30-digit arithmetic near the float answer
    (E is flat at its minimum, so floats alone fix t only to ~1e-8) — not from the closed form."""
    a3, a0 = abs(float(f3)) / 6, abs(float(f0)) * float(eps)
    t = _golden(lambda t: math.exp(2 * t) * a3 + a0 * math.exp(-t), -80.0, 20.0, 70)
    with mpmath.workdps(30):
        A3, A0 = mpmath.mpf(a3), mpmath.mpf(abs(float(f0))) * mpmath.mpf(float(eps))
        t = _golden(lambda t: mpmath.exp(2 * t) * A3 + A0 * mpmath.exp(-t),
                    mpmath.mpf(t) - mpmath.mpf("1e-3"), mpmath.mpf(t) + mpmath.mpf("1e-3"), 55)
        return float(mpmath.exp(t))


def _best_step_sweep():
    """Signs and sizes of f and f''' in every combination (1e-3 … 1e3, ints, NumPy scalars) and
    the eps of float64, float32 and others; the oracle minimises E(h) numerically."""
    epsilons = [2.220446049250313e-16, 1.1920929e-07, 1e-16, 1e-10, 1e-12]

    def generate(rng, i):
        corners = [(-2, 6, 1e-16), (1.0, -1.0, epsilons[0]), (-0.5, -4.0, 1e-10),
                   (np.float64(3.0), np.int64(-1), epsilons[1]), (1e-3, 1e3, epsilons[0]),
                   (1e3, -1e-3, epsilons[0])]
        if i < len(corners):
            return corners[i]
        f0, f3 = rng.choice([-1, 1], 2) * 10.0 ** rng.uniform(-3, 3, 2)
        if rng.random() < 0.2:
            f0, f3 = int(rng.integers(1, 9)) * int(rng.choice([-1, 1])), int(rng.integers(-9, 0))
        return f0, f3, epsilons[rng.integers(len(epsilons))]

    def compare(out, expected, args):
        if isinstance(out, complex) or np.iscomplexobj(out):
            return f"expected the positive real step {expected:.10g}, got the complex number {out}"
        try:
            value = float(np.asarray(getattr(out, "data", out), dtype=float).reshape(()))
        except (TypeError, ValueError):
            return f"expected one number (the step h), got {fmt(out)}"
        if not abs(value - expected) <= 1e-9 * expected:
            return f"expected {expected:.10g}, got {value:.10g}"
        return None

    return Sweep(generate, _argmin_error, compare, n=120, seed=7, size=lambda a: 3,
                 property="minimiser of E(h) = h²|f3|/6 + eps·|f0|/h over h > 0 (found "
                          "numerically)",
                 hint="f0 and f3 may have either sign and any size, and eps is an argument.")


def check_best_central_step(fn):
    """best_central_step(f0, f3, eps) = (3·eps·|f0| / |f3|)^(1/3), the h that minimises the
    central-difference error model E(h) = h²|f'''|/6 + eps·|f|/h.

    The sweep's oracle minimises E numerically (golden section in 40-digit arithmetic).
    Catches: a step far too small (the forward-difference rule √ε, or no root at all — then
    round-off ε|f|/h dominates), ``x ** 1/3`` (which is x/3), missing absolute values (a negative
    f''' gives nan, a complex number or a negative h), the factor 3 lost or another wrong
    constant, |f|/|f'''| upside down, and the float64 ε used in place of the argument eps."""
    def best(f0, f3, eps):
        return (3 * eps * abs(f0) / abs(f3)) ** (1 / 3)

    def positive(expected):
        inner = _close(expected, rtol=1e-9, atol=0, what="the step h")

        def expect(out):
            if isinstance(out, complex) or np.iscomplexobj(out):
                return f"expected a positive real step, got the complex number {out}"
            return inner(out)
        return expect

    s1, c1 = math.sin(1.0), -math.cos(1.0)
    cases = [
        Case("|f| = |f'''| = 1, eps = 1e-16", (1.0, 1.0, 1e-16), positive(best(1, 1, 1e-16))),
        Case("f = sin at x = 1 (f''' = −cos 1 < 0), float64 eps", (s1, c1, 2.220446049250313e-16),
             positive(best(s1, c1, 2.220446049250313e-16))),
        Case("f0 = −2, f3 = 6, eps = 1e-16", (-2.0, 6.0, 1e-16), positive(best(-2, 6, 1e-16))),
        Case("float32: eps = 1.19e-7", (1.0, 1.0, 1.1920929e-07), positive(best(1, 1, 1.1920929e-07))),
    ]
    h11 = best(1, 1, 1e-16)
    out = lambda f, *a: _raw(f, *a)

    def real(x):
        try:
            return float(x)
        except (TypeError, ValueError):
            return math.nan

    def ratio(f, *a):             # your h / the best h, on the case a
        return real(out(f, *a)) / best(*a)

    def wrong_constant(f):        # the right powers (scales like the best h), a wrong factor
        r1, r2 = ratio(f, 1.0, 1.0, 1e-16), ratio(f, -2.0, 6.0, 1e-10)
        return 0.1 < r1 < 10 and not math.isclose(r1, 1, rel_tol=1e-6) and \
            math.isclose(r1, r2, rel_tol=1e-6)

    mistakes = [
        Mistake("floor division in the exponent", lambda f: _near(out(f, 1.0, 1.0, 1e-16), 1.0)
                and _near(out(f, -2.0, 6.0, 1e-10), 1.0),
                "1 // 3 is floor division, which gives 0, and anything ** 0 is 1. Write "
                "** (1 / 3) (or use np.cbrt)."),
        Mistake("a constant step",
                lambda f: _near(out(f, 1.0, 1.0, 1e-16), out(f, -2.0, 6.0, 1e-10))
                and _near(out(f, 1.0, 1.0, 1e-16), out(f, 5.0, 0.5, 1.1920929e-07)),
                "your step is the same whatever f0, f3 and eps are: compute it from them, "
                "h* = (3·eps·|f0|/|f‴|)^(1/3) — 1e-5 is only its size when |f| = |f‴| = 1 "
                "in float64."),
        Mistake("cube root as /3", lambda f: _near(out(f, 1.0, 1.0, 1e-16), 1e-16)
                or _near(out(f, -2.0, 6.0, 1e-16), 1e-16 * 2 / 6),
                "Python reads `x ** 1/3` as (x ** 1)/3 = x/3 — that 3 cancels the 3 of 3ε, so "
                "you returned ε|f0|/|f3| with no root at all. Write `x ** (1/3)` or np.cbrt(x)."),
        Mistake("too small", lambda f: 0 < real(out(f, 1.0, 1.0, 1e-16)) < h11 / 10,
                "your h is far too small, so round-off wins: f(x ± h) carry errors of about "
                "ε|f|, and dividing their difference by 2h blows that up to ε|f|/h. For the "
                "central difference truncation falls like h², so balance h²|f'''|/6 against "
                "ε|f|/h: the best h³ is proportional to ε — a cube root (≈ 1e-5), not the "
                "square root √ε ≈ 1e-8 that suits the forward difference."),
        Mistake("no absolute values", lambda f: not 0 < real(out(f, s1, c1, 1e-16)) < math.inf
                or not 0 < real(out(f, -2.0, 6.0, 1e-16)) < math.inf
                or not 0 < real(out(f, -0.5, -4.0, 1e-10)) < math.inf,
                "f''' (or f) can be negative — here f''' = −cos 1 — and a negative number's cube "
                "root is not a step size. The error model uses sizes: take abs(f0) and abs(f3)."),
        Mistake("eps ignored", lambda f: _near(out(f, 1.0, 1.0, 1e-16), best(1, 1, _EPS)),
                "use the eps you are given (here 1e-16), not the float64 machine epsilon: the "
                "best step depends on the precision the function values carry (float32 has "
                "eps ≈ 1.2e-7)."),
        Mistake("factor 3 lost", lambda f: _near(out(f, 1.0, 1.0, 1e-16), h11 / 3 ** (1 / 3)),
                "close, but a factor 3^(1/3) too small: E'(h) = h|f'''|/3 − ε|f|/h², which is 0 "
                "when h³ = 3ε|f|/|f'''|."),
        Mistake("upside down", lambda f: _near(out(f, -2.0, 6.0, 1e-16), best(6, -2, 1e-16)),
                "|f| and |f'''| are swapped: a larger third derivative means more truncation "
                "error, so the best step gets smaller — |f'''| belongs in the denominator."),
        Mistake("wrong constant", wrong_constant,
                "your h has the right form c·(ε|f|/|f'''|)^(1/3) but the wrong constant c: "
                "differentiate E(h) = h²|f'''|/6 + ε|f|/h to get E'(h) = h|f'''|/3 − ε|f|/h², "
                "which is 0 when h³ = 3ε|f|/|f'''|."),
    ]
    return run_checks("best_central_step", fn, cases, mistakes, sweep=_best_step_sweep())


# ---------------------------------------------------------------------------------- notebook 07

def _sum_sq(v):
    return float(np.sum(v ** 2))


def _prod3(v):
    return float(v[0] * v[1] * v[2])


def _numgrad_sweep():
    """Random cubic polynomials (with pair and triple products) of x of every shape — (1,),
    (3,), (3, 1), (1, 3), (2, 3), 0-d — float or integer, for steps 1e-2 … 1e-5; the oracle is
    the exact central difference along each coordinate."""
    shapes = [(1,), (3,), (3, 1), (1, 3), (2, 3), (), (4,), (2, 2)]
    steps = [1e-2, 1e-3, 1e-4, 1e-5]

    def generate(rng, i):
        corners = [((1,), True), ((3, 1), False), ((1, 3), False), ((2, 3), True), ((), False),
                   ((3,), None)]
        shape, integer = corners[i] if i < len(corners) else \
            (shapes[rng.integers(len(shapes))], rng.random() < 0.25)
        poly = _random_polyN(rng, max(1, math.prod(shape)))
        if integer is None:
            x = np.zeros(shape)
        elif integer:
            x = rng.integers(-3, 4, shape)
        else:
            x = rng.uniform(-2, 2, shape)
        f = _named(lambda v: poly.value(v), "x ↦ " + str(poly))
        f.poly = poly
        return f, x, steps[i % len(steps)] if i < len(corners) else steps[rng.integers(4)]

    def oracle(f, x, h):
        return np.array([f.poly.central(i, h, x) for i in range(np.size(x))]).reshape(np.shape(x))

    def compare(out, expected, args):
        f, x, h = args
        tol = 1e-9 * (1 + np.abs(expected)) + 64 * _EPS * f.poly.scale(x, h) / h
        return _within(out, expected, tol, "the gradient (shaped like x)")

    return Sweep(generate, oracle, compare, n=200, seed=7,
                 size=lambda a: np.size(a[1]) + len(a[0].poly.terms) / 100,
                 property="equation gradient[i] = (f(x + h·eᵢ) − f(x − h·eᵢ))/(2h) "
                          "(evaluated exactly; xₖ means x.flat[k])",
                 hint="x can have any shape (also 0-d, a column or a row) and an integer dtype; "
                      "only coordinate i may move while entry i is measured.")


def check_numerical_gradient(fn):
    """numerical_gradient(f, x, h) → ∇f(x), a central difference along each coordinate.

    Cases: Σx² (gradient 2x), x₀x₁x₂ (gradient (x₁x₂, x₀x₂, x₀x₁) — the central difference is
    exact for it, so any leftover shift of another coordinate shows), and a 2×2 matrix input.
    The sweep: random cubics with products of coordinates, x of every shape and integer dtype,
    against the exact central differences. The caller's x must be left as it was found.
    Catches: perturbing all coordinates at once, not restoring x after perturbing it,
    ``x_plus = x`` without a copy (both "copies" are the same array, the gradient comes out 0),
    and an integer x perturbed in place (h is rounded away)."""
    u, v = np.array([1.0, 2.0]), np.array([3.0, -1.0])
    bilinear = lambda W: float(u @ W @ v)
    x_sq, x_3 = np.array([1.0, -2.0, 3.0]), np.array([1.0, 2.0, 3.0])
    cases = [
        Case("f(x) = Σ xᵢ² at x = [1, −2, 3] (∇f = 2x)", (_sum_sq, x_sq, 1e-5),
             _close([2.0, -4.0, 6.0], rtol=1e-7, atol=1e-7)),
        Case("f(x) = x₀·x₁·x₂ at [1, 2, 3] (∇f = [6, 3, 2])", (_prod3, x_3, 1e-3),
             _close([6.0, 3.0, 2.0], rtol=1e-8)),
        Case("a matrix input: f(W) = uᵀWv at W = 0 (∇f = u vᵀ, shape 2×2)",
             (bilinear, np.zeros((2, 2)), 1e-4), _close(np.outer(u, v), rtol=1e-8, atol=1e-9)),
    ]
    sq = lambda f: _raw(f, _sum_sq, x_sq, 1e-5)

    def all_at_once(f):
        g = np.asarray(sq(f), dtype=float)
        return g.size > 1 and np.allclose(g, g.flat[0]) and not np.allclose(g, 0) \
            and not np.allclose(g, [2, -4, 6])

    def not_restored(f):
        x = x_3.copy()
        g = _quiet(f, _prod3, x, 1e-3)
        changed = not np.array_equal(x, x_3)
        return changed or (_near(sq(f), [2.0, -4.0, 6.0], atol=1e-7)
                           and not _near(g, [6.0, 3.0, 2.0], rtol=1e-8))

    def integer_x(f):
        return _near(sq(f), [2.0, -4.0, 6.0], atol=1e-7) and \
            _near(_raw(f, _prod3, x_3, 1e-3), [6.0, 3.0, 2.0], rtol=1e-8) and \
            _wrong(f, (_sum_sq, np.array([1, -2, 3]), 1e-3), [2.0, -4.0, 6.0], atol=1e-6)

    mistakes = [
        Mistake("all at once", all_at_once,
                "every entry of your gradient is the same number: you moved all coordinates "
                "together (x + h), which measures the slope along [1, 1, …]. Move one "
                "coordinate at a time: only x[i] changes when computing entry i."),
        Mistake("divided by h", lambda f: _near(sq(f), [4.0, -8.0, 12.0], atol=1e-6),
                "every entry is twice too big: x + h·eᵢ and x − h·eᵢ are 2h apart, so divide "
                "by 2h."),
        Mistake("forward difference", lambda f: _near(sq(f), [2.00001, -3.99999, 6.00001],
                                                      rtol=0, atol=1e-8)
                or _near(sq(f), [1.99999, -4.00001, 5.99999], rtol=0, atol=1e-8),
                "each entry is off by h (here 1e-5): that is a one-sided difference "
                "(f(x + h·eᵢ) − f(x))/h. Use both sides, (f(x + h·eᵢ) − f(x − h·eᵢ))/(2h), "
                "whose error is of order h²."),
        Mistake("aliasing", lambda f: _near(sq(f), np.zeros(3)),
                "your gradient is all zeros: `x_plus = x` does not copy an array, so x_plus and "
                "x_minus are the same array and f(x_plus) − f(x_minus) = 0. Use x.copy()."),
        Mistake("not restored", not_restored,
                "after perturbing x[i], put it back exactly (old = x[i] first, then x[i] = old — "
                "adding h and subtracting it again does not always give old back in floating "
                "point) before moving on: otherwise the next coordinates are measured at a "
                "shifted point, or the caller's x is changed. Σxᵢ² hides this, x₀·x₁·x₂ does not."),
        Mistake("integer x", integer_x,
                "x may be an integer array (np.array([1, -2, 3])): writing old + h into it (or "
                "into x.copy(), which is an integer array too) rounds h away. Make a float copy "
                "first: x = np.array(x, dtype=float)."),
        Mistake("rows only", lambda f: _near(sq(f), [2.0, -4.0, 6.0], atol=1e-7)
                and _wrong(f, (bilinear, np.zeros((2, 2)), 1e-4), np.outer(u, v), atol=1e-6),
                "right for a vector, wrong for a matrix x: len(x) counts only the rows, and "
                "x[i] of a matrix is a whole row. Visit every entry: range(x.size) with "
                "x.flat[i] (or np.ndindex(x.shape)), and return an array shaped like x."),
    ]
    return run_checks("numerical_gradient", fn, cases, mistakes, sweep=_numgrad_sweep())


def _directional_sweep():
    """Gradients and directions in 1–6 dimensions, of sizes 1e-3 … 1e3, integer or float,
    with the corners u ∥ ∇f, u antiparallel, u ⟂ ∇f, ∇f = 0 and a one-hot u; the oracle is
    ∇f·u/‖u‖ in 30-digit arithmetic."""
    def generate(rng, i):
        g = rng.standard_normal(2)
        corners = [(np.array([2, 6]), np.array([3, 4])),               # integers
                   (np.array([-1.5]), np.array([-2.0])),               # one dimension
                   (g, 3.0 * np.array([-g[1], g[0]])),                 # u ⟂ ∇f
                   (g, -0.01 * g),                                     # u antiparallel to ∇f
                   (np.zeros(3), rng.standard_normal(3)),              # a zero gradient
                   (rng.standard_normal(3), np.array([0.0, 1e3, 0.0])),  # a long one-hot u
                   (rng.standard_normal(4), 1e-3 * rng.standard_normal(4))]
        if i < len(corners):
            return corners[i]
        d = int(rng.choice([1, 2, 3, 4, 6]))
        g = rng.standard_normal(d) * 10.0 ** rng.uniform(-1, 2)
        u = rng.standard_normal(d) * 10.0 ** rng.uniform(-3, 3)
        if rng.random() < 0.2:
            g = np.round(g).astype(int)
        if rng.random() < 0.2:
            u = rng.integers(-4, 5, d)
            u[rng.integers(d)] = int(rng.choice([-3, 1, 2]))        # never the zero vector
        return g, u

    def oracle(g, u):
        with mpmath.workdps(30):
            g, u = [mpmath.mpf(float(v)) for v in g], [mpmath.mpf(float(v)) for v in u]
            return float(mpmath.fsum(a * b for a, b in zip(g, u))
                         / mpmath.sqrt(mpmath.fsum(b * b for b in u)))

    def compare(out, expected, args):
        tol = 1e-9 * abs(expected) + 1e-12 * float(np.linalg.norm(np.asarray(args[0], float)))
        return _within(out, expected, tol, "one number")

    return Sweep(generate, oracle, compare, n=200, seed=8,
                 property="equation slope = ∇f·u/‖u‖ (evaluated in 30 digits)",
                 hint="u can point anywhere, have any length and be an integer array; the slope "
                      "is negative when u points downhill.")


def check_directional_derivative(fn):
    """directional_derivative(grad, u) = ∇f · u/‖u‖, the slope of f along the direction u.

    The sweep compares with ∇f·u/‖u‖ in 30-digit arithmetic on random and corner inputs
    (integers, one dimension, u ⟂ ∇f, u antiparallel, ∇f = 0, very long and very short u).
    Catches: u not normalised, the gradient normalised instead of u, the elementwise product
    ∇f ⊙ u without the sum, dividing by ‖u‖² instead of ‖u‖, the L1 length of u, and an
    absolute value (a slope downhill is negative)."""
    g = np.array([2.0, 6.0])
    cases = [
        Case("∇f = [2, 6], u = [1, 0] (a unit vector already)", (g, np.array([1.0, 0.0])),
             _close(2.0, rtol=1e-9)),
        Case("∇f = [2, 6], u = [3, 4] (‖u‖ = 5: (6 + 24)/5 = 6)", (g, np.array([3.0, 4.0])),
             _close(6.0, rtol=1e-9)),
        Case("∇f = [1, −1, 2], u = [0, 0, −0.5]",
             (np.array([1.0, -1.0, 2.0]), np.array([0.0, 0.0, -0.5])), _close(-2.0, rtol=1e-9)),
        Case("u ⟂ ∇f: u = [−6, 2] (along a contour line)", (g, np.array([-6.0, 2.0])),
             _close(0.0, atol=1e-9)),
    ]
    at = lambda f: _raw(f, g, np.array([3.0, 4.0]))
    mistakes = [
        Mistake("u not normalised", lambda f: _near(at(f), 30.0),
                "you got ∇f·u = 30 for u = [3, 4], five times too big: the directional "
                "derivative is the slope per unit length, so divide u by its norm first "
                "(u / np.linalg.norm(u))."),
        Mistake("gradient normalised", lambda f: _near(at(f), 30.0 / math.sqrt(40.0)),
                "you normalised the gradient instead of u. Keep ∇f as it is (its length is the "
                "steepness) and make u a unit vector."),
        Mistake("no sum", lambda f: np.shape(at(f)) == (2,),
                "the result should be one number: ∇f · u is the sum of the products "
                "(np.dot or @), not the elementwise product ∇f * u."),
        Mistake("divided by ‖u‖²", lambda f: _near(at(f), 30.0 / 25.0),
                "you divided by ‖u‖² = 25; the unit vector is u/‖u‖, so divide ∇f·u by ‖u‖ once."),
        Mistake("norm of the gradient", lambda f: _near(at(f), math.sqrt(40.0)),
                "‖∇f‖ is the slope in the steepest direction only (u along ∇f). Along any other "
                "u the slope is ∇f·u/‖u‖."),
        Mistake("minus sign", lambda f: _near(at(f), -6.0),
                "the sign is flipped: moving along u = [3, 4] goes uphill here, so the slope "
                "∇f·u/‖u‖ = +6."),
        Mistake("zero test by the sum", lambda f: _near(_raw(f, g, np.array([1.0, -1.0])), 0.0)
                and _near(at(f), 6.0),
                "u = [1, −1] is not the zero vector although its entries sum to 0: test "
                "np.linalg.norm(u) == 0 (or np.all(u == 0)) if you guard against u = 0."),
        Mistake("L1 length", lambda f: _near(at(f), 30.0 / 7.0),
                "you divided by |u₁| + |u₂| = 7, the L1 length. A unit vector has Euclidean "
                "length 1: divide by ‖u‖ = √(Σuᵢ²) = np.linalg.norm(u) = 5."),
        Mistake("absolute value", lambda f: _near(at(f), 6.0)
                and _near(_raw(f, np.array([1.0, -1.0, 2.0]), np.array([0.0, 0.0, -0.5])), 2.0),
                "the slope has a sign: along u = [0, 0, −0.5] the function goes down, so the "
                "directional derivative is −2, not 2. Leave out abs()."),
    ]
    return run_checks("directional_derivative", fn, cases, mistakes, sweep=_directional_sweep())


def _gd_quadratic(rng, d, eigenvalues=None):
    """∇f(x) = Ax − b for f = ½xᵀAx − bᵀx with A = Q diag(λ) Qᵀ (Q a random rotation, λ may
    include 0 — a flat direction — or be negative); the function carries Q, λ and b."""
    lam = np.array(eigenvalues if eigenvalues is not None else rng.uniform(0.2, 10.0, d), float)
    Q = np.linalg.qr(rng.standard_normal((d, d)))[0] if d > 1 and rng.random() < 0.7 \
        else np.eye(d)
    A = Q @ np.diag(lam) @ Q.T
    A = (A + A.T) / 2
    b = np.round(rng.standard_normal(d), 1) if rng.random() < 0.7 else np.zeros(d)
    grad = _named(lambda x: A @ x - b, f"x ↦ Ax − b with A = {fmt(A)}, b = {fmt(b)}")
    grad.Q, grad.lam, grad.b = Q, lam, b
    return grad


def _gd_exact(grad_f, x0, lr, steps):
    """The point after `steps` gradient steps on f = ½xᵀAx − bᵀx, in closed form: in the
    eigenbasis z = Qᵀx each coordinate obeys z ← (1 − lr·λ)z + lr·β (β = Qᵀb), so after k steps
    z_k = m^k z₀ + lr·β·(1 + m + … + m^(k−1)) with m = 1 − lr·λ."""
    Q, lam = grad_f.Q, grad_f.lam
    z0, beta, m = Q.T @ np.asarray(x0, dtype=float), Q.T @ grad_f.b, 1 - lr * lam
    geometric = np.array([steps if mi == 1 else (1 - mi ** steps) / (1 - mi) for mi in m])
    return Q @ (m ** steps * z0 + lr * beta * geometric)


def _gd_sweep():
    """Quadratics in 1–3 dimensions (rotated, with a flat direction, with a negative
    curvature), 0, 1 or many steps, learning rates below and far above 2/L (runs that grow to
    1e9 and more) and lr = 0, float and integer starting points; the oracle is the closed form
    of the iteration."""
    def generate(rng, i):
        corners = [(1, [4.0], np.array([1]), 0.1, 3),              # integer x0
                   (2, None, np.array([1, 2]), 0.05, 0),           # 0 steps
                   (2, None, rng.standard_normal(2), 0.05, 1),     # 1 step
                   (3, None, rng.standard_normal(3), 0.0, 4),      # lr = 0
                   (2, [0.0, 2.0], rng.standard_normal(2), 0.3, 6),    # a flat direction
                   (2, [1.0, 4.0], rng.standard_normal(2), 0.55, 4),   # lr > 2/L: diverges
                   (2, [-0.5, 3.0], rng.standard_normal(2), 0.1, 5),   # a saddle
                   (1, [4.0], np.array([1.0]), 0.6, 60)]               # far past 2/L: ~1e9
        if i < len(corners):
            d, lam, x0, lr, steps = corners[i]
            return _gd_quadratic(rng, d, lam), x0, lr, steps
        d = int(rng.integers(1, 4))
        grad = _gd_quadratic(rng, d)
        x0 = rng.integers(-3, 4, d) if rng.random() < 0.2 else rng.standard_normal(d) * 3
        if rng.random() < 0.15:                                    # diverging, many steps
            return grad, x0, float(rng.uniform(2.1, 2.6) / grad.lam.max()), \
                int(rng.integers(30, 80))
        lr = float(rng.uniform(0.01, 1.9 / grad.lam.max()))
        return grad, x0, lr, int(rng.choice([1, 2, 3, 5, 10, 25]))

    def compare(out, expected, args):
        scale = 1 + np.max(np.abs(expected)) + np.max(np.abs(args[1]))
        return _within(out, expected, 1e-9 * scale, "the final point (shaped like x0)")

    return Sweep(generate, lambda g, x0, lr, steps: _gd_exact(g, x0, lr, steps), compare,
                 n=200, seed=9, size=lambda a: np.size(a[1]) + a[3],
                 property="closed form x_k = x* + Q·diag((1 − lr·λ)^k)·Qᵀ(x₀ − x*) of k steps "
                          "x ← x − lr·∇f(x)",
                 hint="x0 may be an integer array; 0 steps return x0 unchanged.")


def check_gradient_descent(fn):
    """gradient_descent(grad_f, x0, lr, steps) → the point after ``steps`` updates
    x ← x − lr·∇f(x), without changing the caller's x0.

    On f = 2x² (L = 4) each step multiplies x by (1 − 4·lr); on ½(x² + 10y²) the two coordinates
    shrink by (1 − lr) and (1 − 10·lr); the sweep runs rotated quadratics (with flat and
    negative curvature, integer x0, lr above 2/L) against the closed form of the iteration.
    Catches: + instead of − (ascent), the learning rate applied twice (lr² or two updates per
    step), one step too many or too few, the gradient taken at x0 every step, x0 changed in
    place, and an integer x0 updated in place."""
    quad = lambda x: 4.0 * x                                # f = 2x², L = 4
    ellipse = lambda x: np.array([1.0, 10.0]) * x           # f = ½(x² + 10y²)
    one, two = np.array([1.0]), np.array([1.0, 1.0])
    result = lambda expected: _close(expected, rtol=1e-9, atol=1e-12, what="the final point")
    cases = [
        Case("f = 2x², x0 = [1], lr = 0.1, 3 steps (0.6³)", (quad, one, 0.1, 3), result([0.216])),
        Case("f = ½(x² + 10y²), x0 = [1, 1], lr = 0.05, 10 steps", (ellipse, two, 0.05, 10),
             result([0.95 ** 10, 0.5 ** 10])),
        Case("0 steps returns x0", (ellipse, two, 0.05, 0), result([1.0, 1.0])),
        Case("lr = 0.6 > 2/L = 0.5 on f = 2x²: 5 steps of ×(−1.4)", (quad, one, 0.6, 5),
             result([(-1.4) ** 5])),
    ]

    def final(f, grad_f, x0, lr, steps):
        return _raw(f, grad_f, np.array(x0, copy=True), lr, steps)

    def mutates(f):
        x = one.copy()
        _quiet(f, quad, x, 0.1, 3)
        return not np.array_equal(x, one)

    def integer_x0(f):
        return _near(final(f, quad, np.array([1.0, 2.0]), 0.1, 3), [0.216, 0.432]) and \
            _wrong(f, (quad, np.array([1, 2]), 0.1, 3), [0.216, 0.432])

    q3 = lambda f: final(f, quad, one, 0.1, 3)
    mistakes = [
        Mistake("ascent", lambda f: _near(final(f, ellipse, two, 0.05, 10),
                                          [1.05 ** 10, 1.5 ** 10]),
                "your x runs away from the minimum: the gradient points uphill, so step against "
                "it — x = x − lr·∇f(x), with a minus."),
        Mistake("lr twice", lambda f: _near(q3(f), [0.96 ** 3]) or _near(q3(f), [0.6 ** 6]),
                "the learning rate is applied twice (lr·lr·∇f, or two updates per step). One "
                "step is exactly x ← x − lr·∇f(x)."),
        Mistake("off by one", lambda f: _near(q3(f), [0.6 ** 2]) or _near(q3(f), [0.6 ** 4]),
                "one step too few or too many: `for _ in range(steps)` makes exactly `steps` "
                "updates, and 0 steps returns x0 unchanged."),
        Mistake("gradient at x0", lambda f: _near(q3(f), [1 - 3 * 0.4]),
                "every step used the gradient at x0: evaluate grad_f at the current x, "
                "x = x − lr·grad_f(x), so each step sees where it is now."),
        Mistake("returned the path", lambda f: np.shape(q3(f)) in ((4, 1), (3, 1), (4,)),
                "return only the final point (an array shaped like x0), not every point along "
                "the way."),
        Mistake("stopped early", lambda f: _near(final(f, quad, one, 0.6, 5), [(-1.4) ** 5])
                and not _near(final(f, quad, one, 0.6, 60), [(-1.4) ** 60]),
                "make all `steps` updates, even when x grows: above lr = 2/L gradient descent "
                "diverges, and the returned point should show it (the exercise's function does "
                "exactly what it is told)."),
        Mistake("x0 changed", mutates,
                "your function changed the caller's x0: `x = x0` does not copy, and `x -= …` then "
                "writes into x0. Start with x = np.array(x0, dtype=float) (a copy), or write "
                "x = x - lr * g, which makes a new array."),
        Mistake("integer x0", integer_x0,
                "x0 may be an integer array (np.array([1, 2])): x0.copy() is then an integer "
                "array, so x -= lr·g fails (or rounds). Start from a float copy: "
                "x = np.array(x0, dtype=float)."),
    ]
    return run_checks("gradient_descent", fn, cases, mistakes, sweep=_gd_sweep())


# ---------------------------------------------------------------------------------- notebook 08

class _Scalar:
    """A bare node for the backward checkers: data, grad and the inputs it was made from."""

    def __init__(self, data, grad=0.0, children=(), name=""):
        self.data, self.grad, self._prev, self.name = float(data), float(grad), tuple(children), name

    def __repr__(self):
        return f"node {self.name}" if self.name else "node"


@dataclass(frozen=True)
class _Division:
    """One setup for div_backward: out = a / b (b None: out = a / a, one node used twice), with
    out.grad = g, and ga, gb already in a.grad, b.grad from other paths of the graph."""
    a: float
    b: float = None
    g: float = 1.0
    ga: float = 0.0
    gb: float = 0.0

    def __repr__(self):
        if self.b is None:
            s = f"out = a / a (one node used twice) with a = {fmt(self.a)}, out.grad = " \
                f"{fmt(self.g)}"
            return s + (f", a.grad already {fmt(self.ga)}" if self.ga else "")
        s = f"out = a / b with a = {fmt(self.a)}, b = {fmt(self.b)}, out.grad = {fmt(self.g)}"
        if self.ga or self.gb:
            s += f", a.grad and b.grad already {fmt(self.ga)} and {fmt(self.gb)}"
        return s


def _div_oracle(s):
    """a.grad, b.grad after the backward step: what they held plus out.grad times the partial
    derivatives of (a, b) ↦ a/b, which mpmath differentiates numerically (30 digits)."""
    with mpmath.workdps(30):
        if s.b is None:
            return np.array([s.ga + s.g * float(mpmath.diff(lambda t: t / t, s.a))])
        da = mpmath.diff(lambda t: t / s.b, s.a)
        db = mpmath.diff(lambda t: s.a / t, s.b)
        return np.array([s.ga + s.g * float(da), s.gb + s.g * float(db)])


def _div_expect(expected, setup):
    expected = np.asarray(expected, dtype=float)
    b = setup.a if setup.b is None else setup.b
    scale = abs(setup.ga) + abs(setup.gb) + abs(setup.g) * (1 + abs(setup.a) / abs(b)) / abs(b)

    def expect(res):
        grads, changed = res
        if changed:
            return (f"your function changed {' and '.join(changed)}; div_backward should only "
                    "add to a.grad and b.grad")
        return _within(grads, expected, 1e-9 * scale + 1e-300,
                       "[a.grad]" if setup.b is None else "[a.grad, b.grad]")
    return expect


def _div_sweep():
    """Random a, b (either sign, |b| from 0.1 to 10), out.grad (also 0 and negative) and
    earlier contributions, with a node used twice a quarter of the time; the oracle
    differentiates a/b numerically."""
    def generate(rng, i):
        corners = [_Division(-2.5, None, 1.5, 0.5), _Division(0.0, 2.0, 1.0),
                   _Division(1.5, -4.0, 0.0, 3.0, -1.0), _Division(2.0, -0.5, -1.0),
                   _Division(1.0, 1e-3, 1.0), _Division(6.0, 3.0, 2.0, 1.0, -4.0),
                   _Division(-1.0, None, -2.0)]
        if i < len(corners):
            return (corners[i],)
        a = float(np.round(rng.standard_normal() * 3, 2))
        b = float(rng.choice([-1, 1]) * np.round(10 ** rng.uniform(-1, 1), 3))
        g = float(rng.choice([1.0, -1.0, 0.5, np.round(rng.standard_normal(), 2)]))
        ga, gb = (float(np.round(v, 2)) if rng.random() < 0.5 else 0.0
                  for v in rng.standard_normal(2) * 5)
        return (_Division(a, None if rng.random() < 0.25 else b, g, ga, gb),)

    def compare(out, expected, args):
        return _div_expect(expected, args[0])(out)

    size = lambda args: sum(v not in (0.0, 1.0) for v in vars(args[0]).values()
                            if v is not None)
    return Sweep(generate, _div_oracle, compare, n=200, seed=10, size=size,
                 property="equation a.grad += out.grad·∂(a/b)/∂a, b.grad += out.grad·∂(a/b)/∂b "
                          "(the derivatives computed numerically)",
                 hint="a and b may have either sign, out.grad may be 0 or negative, the gradients "
                      "may already hold contributions, and a may be both inputs.")


def check_div_backward(fn):
    """div_backward(a, b, out) for out = a / b: adds out.grad·(1/b) to a.grad and
    out.grad·(−a/b²) to b.grad.

    The sweep compares with the partial derivatives of a/b computed numerically by mpmath, on
    random signs, earlier contributions, out.grad = 0, and a node used as both inputs.
    Catches: ``=`` instead of ``+=`` (a reused node, or one with earlier contributions, loses
    them), the two inputs' gradients swapped, the minus sign of ∂(a/b)/∂b dropped, the
    upstream gradient out.grad forgotten (the chain rule's outer factor), and −1/b² or −a/b
    in place of −a/b²."""
    if not callable(fn):
        return run_checks("div_backward", fn, [])

    def run(*setup):
        """Build out = a / b from a _Division, call fn, return ([a.grad, b.grad] — [a.grad]
        when one node is both inputs —, the list of things fn changed but should not have)."""
        s, = setup
        A = _Scalar(s.a, s.ga, name="a")
        B = A if s.b is None else _Scalar(s.b, s.gb, name="b")
        out = _Scalar(A.data / B.data, s.g, (A, B), name="out")
        before = [("a.data", A, A.data), ("b.data", B, B.data), ("out.data", out, out.data)]
        fn(A, B, out)
        changed = [name for name, node, value in before if node.data != value]
        if out.grad != s.g:
            changed.append("out.grad")
        return np.array([A.grad] if s.b is None else [A.grad, B.grad]), changed

    def case(name, setup, expected):
        return Case(name, (setup,), _div_expect(expected, setup))

    cases = [
        case("a = 3, b = 2, out.grad = 1", _Division(3.0, 2.0, 1.0), [0.5, -0.75]),
        case("a = 3, b = 2, out.grad = 2 (the chain rule scales by it)",
             _Division(3.0, 2.0, 2.0), [1.0, -1.5]),
        case("a.grad, b.grad already hold 10 and −1 from other paths",
             _Division(3.0, 2.0, 1.0, 10.0, -1.0), [10.5, -1.75]),
        case("the same node twice: a / a = 1 for every a, so its gradient is 0",
             _Division(3.0, None, 1.0), [0.0]),
    ]

    def at(r, *a):
        try:
            return _raw(r, _Division(*a))[0]
        except Exception:
            return None

    mistakes = [
        Mistake("overwrote", lambda r: _near(at(r, 3.0, 2.0, 1.0, 10.0, -1.0), [0.5, -0.75])
                or _near(at(r, 3.0, None, 1.0), [-1 / 3]),
                "use += : a node can feed several operations (or the same one twice, as in a/a), "
                "and its gradient is the sum of all those contributions. `a.grad = …` throws "
                "the earlier ones away."),
        Mistake("swapped", lambda r: _near(at(r, 3.0, 2.0, 1.0), [-0.75, 0.5]),
                "the two gradients are swapped: ∂(a/b)/∂a = 1/b goes to a.grad, and "
                "∂(a/b)/∂b = −a/b² goes to b.grad."),
        Mistake("sign", lambda r: _near(at(r, 3.0, 2.0, 1.0), [0.5, 0.75]),
                "b.grad has the wrong sign: a larger b makes a/b smaller, so ∂(a/b)/∂b = −a/b² "
                "is negative (for a, b > 0)."),
        Mistake("no out.grad", lambda r: _near(at(r, 3.0, 2.0, 2.0), [0.5, -0.75]),
                "multiply by out.grad: the chain rule says ∂L/∂a = ∂L/∂out · ∂out/∂a, and "
                "out.grad is ∂L/∂out (here 2, not 1)."),
        Mistake("wrong ∂/∂b", lambda r: _near(at(r, 3.0, 2.0, 1.0)[:1], [0.5])
                and any(_near(at(r, 3.0, 2.0, 1.0)[1:], [v])
                        for v in (-0.25, -1.5, -2.25, -2 / 9)),
                "b.grad has the wrong size: the derivative of a/b = a·b⁻¹ with respect to b is "
                "a·(−1)·b⁻² = −a/b² (here −3/4), not −1/b², −a/b or −(a/b)²."),
        Mistake("product rule", lambda r: _near(at(r, 3.0, 2.0, 1.0)[:1], [2.0]),
                "a.grad got out.grad·b: that is the rule for a·b. For a / b = a·b⁻¹, "
                "∂out/∂a = 1/b."),
        Mistake("a.grad for a.data", lambda r: _near(at(r, 3.0, 2.0, 1.0), [0.5, -0.125]),
                "b's share uses a.grad where it needs a.data: ∂(a/b)/∂b = −a/b² is about the "
                "value a (a.data); a.grad is a's gradient."),
        Mistake("same node", lambda r: _near(at(r, 3.0, 2.0, 1.0, 10.0, -1.0), [10.5, -1.75])
                and not _near(at(r, 3.0, None, 1.0), [0.0], atol=1e-12),
                "right for two different nodes, wrong for a / a: when a and b are the same node "
                "it receives both shares, out.grad·(1/a) and out.grad·(−a/a²), which cancel. Two "
                "plain += lines (a.grad += …, then b.grad += …) do exactly that — no special "
                "case for `a is b`."),
    ]
    return run_checks("div_backward", run, cases, mistakes, sweep=_div_sweep())


def check_topological_order(fn):
    """topological_order(root) → every node root depends on, each exactly once and after all
    of its inputs (``node._prev``), root last — without recursion.

    The sweep verifies the order edge by edge on random DAGs with shared nodes, repeated inputs
    and shortcut edges (a node used both directly and through a longer path), in every input
    order. Catches: duplicates (no "seen" set, so a reused node is listed twice), root first
    (the order backward() uses, not this one), a node listed before its inputs (pre-order), an
    order that fails only with shortcut edges (breadth-first, or nodes marked seen when pushed),
    missing nodes, and recursion, which fails on a deep graph (a chain of 20 000 operations)."""
    def graphs():
        x, w, b = _Scalar(2, name="x"), _Scalar(-3, name="w"), _Scalar(1, name="b")
        m = _Scalar(0, children=(x, w), name="x*w")
        s = _Scalar(0, children=(m, b), name="x*w + b")
        neuron = _Scalar(0, children=(s,), name="tanh")
        a = _Scalar(1, name="a")
        p, q = _Scalar(0, children=(a,), name="exp(a)"), _Scalar(0, children=(a,), name="tanh(a)")
        diamond = _Scalar(0, children=(p, q), name="exp(a) + tanh(a)")
        c = _Scalar(1, name="c")
        cc = _Scalar(0, children=(c, c), name="c*c")
        square = _Scalar(0, children=(cc, c), name="c*c + c")
        chain = _Scalar(1, name="x0")
        for i in range(20000):
            chain = _Scalar(0, children=(chain,), name=f"x{i + 1}")
        return {"leaf": _Scalar(1, name="leaf"), "neuron": neuron, "diamond": diamond,
                "square": square, "chain": chain}

    G = graphs()
    cases = [Case("a single leaf", (G["leaf"],), _valid_order(G["leaf"])),
             Case("a neuron tanh(x·w + b)", (G["neuron"],), _valid_order(G["neuron"])),
             Case("a reused node: exp(a) + tanh(a)", (G["diamond"],), _valid_order(G["diamond"])),
             Case("the same input twice: c·c + c", (G["square"],), _valid_order(G["square"])),
             Case("a chain of 20 000 operations", (G["chain"],), _valid_order(G["chain"]))]
    order = lambda f, g: _raw(f, G[g])

    def raises_recursion(f):
        try:
            order(f, "chain")
        except RecursionError:
            return True
        return False

    def ids(f, g):
        return [id(v) for v in order(f, g)]

    def seen_by_value(f):
        x, w, b = _Scalar(2, name="x"), _Scalar(-3, name="w"), _Scalar(1, name="b")
        m = _Scalar(-6, children=(x, w), name="x*w")
        t = _Scalar(math.tanh(-5), children=(_Scalar(-5, children=(m, b), name="x*w + b"),),
                    name="tanh")
        return _valid_order(t)(_raw(f, t)) is None and \
            len(ids(f, "neuron")) < len(_reachable(G["neuron"]))

    def only_shortcuts_fail(f):
        if any(_valid_order(G[g])(order(f, g)) for g in ("neuron", "diamond", "square")):
            return False
        return any(_valid_order(r)(_raw(f, r)) for r in _shortcut_graphs())

    mistakes = [
        Mistake("recursion", raises_recursion,
                "your function recurses once per node, and Python stops at about a thousand "
                "nested calls (RecursionError). Keep your own stack (a list): push (node, "
                "False) to visit it, (node, True) to mean 'its inputs are done, append it'."),
        Mistake("duplicates", lambda f: len(set(ids(f, "diamond"))) < len(ids(f, "diamond"))
                or len(set(ids(f, "square"))) < len(ids(f, "square")),
                "a reused node appears more than once, so backward would run its _backward "
                "twice. Keep a set of nodes already visited and skip them."),
        Mistake("root first", lambda f: ids(f, "neuron")[:1] == [id(G["neuron"])]
                and ids(f, "neuron")[-1:] != [id(G["neuron"])],
                "your list starts with the root. Here inputs come first and the root last; "
                "backward() walks the list reversed (reversed(order))."),
        Mistake("pre-order", lambda f: _valid_order(G["diamond"])(order(f, "diamond"))
                is not None and len(set(ids(f, "diamond"))) == len(ids(f, "diamond")) == 4,
                "some node is listed before one of its inputs. Append a node only once all "
                "its inputs are in the list: visit the inputs first, then the node (post-order)."),
        Mistake("root missing", lambda f: id(G["neuron"]) not in ids(f, "neuron")
                and len(ids(f, "neuron")) == 5,
                "the root is missing: the list holds every node root depends on and root "
                "itself, last."),
        Mistake("seen by value", seen_by_value,
                "different nodes can hold the same number (here several hold 0.0), so a seen "
                "set of .data values skips nodes it has never visited. Put the nodes themselves "
                "in the set (seen.add(v); `v in seen`)."),
        Mistake("shortcut", only_shortcuts_fail,
                "right on graphs where every path from a node to the root has the same length, "
                "wrong with a shortcut edge — in r = g(c, a), a = f(c), the node c feeds r "
                "directly and through a. Breadth-first order, or marking a node seen when it is "
                "pushed (before its own inputs are explored), lists c by its shortest path and "
                "can put a before c. Mark v seen when you pop (v, False), push (v, True) below "
                "its inputs, and append v only when (v, True) comes back."),
    ]
    return run_checks("topological_order", fn, cases, mistakes, sweep=_topo_sweep())


class _GraphRoot(_Scalar):
    """The root of a generated graph; its repr lists the whole graph for the messages."""

    def __repr__(self):
        nodes = sorted(_reachable(self).values(), key=lambda v: -int(v.name[1:]))
        edges = [f"{v.name} ← ({', '.join(c.name for c in v._prev)})" for v in nodes if v._prev]
        return "the graph " + ("; ".join(edges) if edges else f"{self.name} (a single leaf)")


def _graph(edges, root):
    """Nodes n0, n1, … from {name: input names}; returns the node named root (a _GraphRoot)."""
    made = {}

    def node(name):
        if name not in made:
            kids = [node(c) for c in edges.get(name, ())]
            made[name] = (_GraphRoot if name == root else _Scalar)(0, children=kids, name=name)
        return made[name]
    return node(root)


def _shortcut_graphs():
    """Small graphs with a shortcut edge, in both input orders: where breadth-first order and
    marking nodes seen when pushed go wrong."""
    return [_graph({"n2": ("n0", "n1"), "n1": ("n0",)}, "n2"),
            _graph({"n2": ("n1", "n0"), "n1": ("n0",)}, "n2"),
            _graph({"n3": ("n0", "n2"), "n2": ("n1",), "n1": ("n0",)}, "n3"),
            _graph({"n3": ("n2", "n0"), "n2": ("n1",), "n1": ("n0",)}, "n3")]


def _random_graph(rng, n):
    """A random DAG of n nodes n0 … n(n−1), each node's inputs drawn from earlier nodes: mostly
    the previous one (long paths) plus random earlier ones (shortcut edges, shared nodes, the
    same input twice), in random order."""
    nodes = []
    leaves = int(rng.integers(1, min(n, 4) + 1))
    for k in range(n):
        kids = []
        if k >= leaves:
            m = int(rng.choice([1, 2, 2, 3]))
            kids = [nodes[k - 1]] if rng.random() < 0.7 else []
            while len(kids) < m:
                kids.append(nodes[int(rng.integers(0, k))])
            rng.shuffle(kids)
        nodes.append((_GraphRoot if k == n - 1 else _Scalar)(0, children=kids, name=f"n{k}"))
    return nodes[-1]


def _topo_sweep():
    def generate(rng, i):
        corners = _shortcut_graphs() + [
            _graph({"n1": ("n0", "n0")}, "n1"),                               # one input twice
            _graph({f"n{k}": (f"n{k - 1}", f"n{k - 2}")[::(-1) ** k]          # a ladder of
                    for k in range(2, 25)} | {"n1": ("n0",)}, "n24"),          # shortcuts
            _graph({"n6": ("n0", "n1", "n2", "n1", "n3", "n4", "n5", "n0")}, "n6")]
        return (corners[i] if i < len(corners) else
                _random_graph(rng, int(rng.integers(1, 31))),)

    def compare(out, expected, args):
        return _valid_order(args[0])(out)

    return Sweep(generate, lambda root: None, compare, n=200, seed=11,
                 size=lambda a: len(_reachable(a[0])),
                 property="topological order (each node after all of its inputs, each once, "
                          "the root last)",
                 hint="A node can be used by several nodes at different depths (a shortcut "
                      "edge); append it only once every one of its inputs is in the list.")


def _reachable(root):
    seen, stack = {id(root): root}, [root]
    while stack:
        for c in stack.pop()._prev:
            if id(c) not in seen:
                seen[id(c)] = c
                stack.append(c)
    return seen


def _label(v):
    return f"node {v.name}" if getattr(v, "name", "") else "a node"


def _valid_order(root):
    """An ``expect`` that verifies an order from the definition, edge by edge."""
    nodes = _reachable(root)

    def expect(out):
        try:
            out = list(out)
        except TypeError:
            return f"expected a list of nodes, got {type(out).__name__}"
        got = [id(v) for v in out]
        if len(set(got)) < len(got):
            twice = next(v for k, v in enumerate(out) if got.index(id(v)) < k)
            return f"some node appears more than once ({_label(twice)})"
        missing = set(nodes) - set(got)
        if missing:
            first = next(v for k, v in nodes.items() if k in missing)
            return f"{len(missing)} of the {len(nodes)} nodes are missing, e.g. {_label(first)}"
        if set(got) - set(nodes):
            return "the list contains something that is not a node of this graph"
        where = {i: k for k, i in enumerate(got)}
        for v in out:
            for c in v._prev:
                if where[id(c)] > where[id(v)]:
                    return f"{_label(v)} comes before its input {_label(c)}"
        if got[-1] != id(root):
            return "the root should come last"
        return None
    return expect
