"""Checkers for notebook 23: neurons, logic gates and activations.

* ``check_xor_weights`` runs the learner's two-layer network of step units on the four inputs —
  the definition of XOR is its own oracle (an enumeration of the truth table) — and asks for a
  margin: every pre-activation at least 0.1 away from 0, so the answer does not hinge on what the
  step does exactly at 0.
* ``check_gelu_grad`` grades GELU′(x) = Φ(x) + x·φ(x) against the same formula in 50-digit
  arithmetic (mpmath) — Φ(x) = ½·erfc(−x/√2) there, exactly — with an error measured relative to
  Φ(x) + |x|·φ(x), the size of the two terms: where they cancel (GELU′ = 0 near x = −0.75) no
  float formula can do better than that, and everywhere else it is the value's own size. The
  textbook Φ(x) = ½(1 + erf(x/√2)) fails this below x ≈ −5: erf rounds towards −1 and 1 + erf
  keeps only a few digits (none at all below x ≈ −8.3, where it is exactly 0).
"""
import math

import numpy as np

from .core import Case, Mistake, Sweep, _call, fmt, run_checks
from .core import as_array as _arr

__all__ = ["check_xor_weights", "check_gelu_grad"]

# ---------------------------------------------------------------------------------------------
# Exercise · XOR from two layers of step units
# ---------------------------------------------------------------------------------------------

XOR_INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_TARGETS = np.array([0, 1, 1, 0])
MARGIN = 0.1


def _xor_parts(out):
    """(W1 (2, 2), b1 (2,), w2 (2,), b2 float) from the learner's answer, or a message."""
    if not isinstance(out, (tuple, list)) or len(out) != 4:
        return None, f"return a tuple of 4 values (W1, b1, w2, b2), got {fmt(out)}"
    names, shapes = ("W1", "b1", "w2", "b2"), ((2, 2), (2,), (2,), ())
    parts = []
    for name, part, shape in zip(names, out, shapes):
        try:
            a = _arr(part)
        except (TypeError, ValueError):
            return None, f"{name} must be numbers, got {fmt(part)}"
        if a.shape != shape and not (shape == () and a.shape == (1,)):
            what = "a number" if shape == () else f"shape {shape}"
            return None, f"{name} must be {what}, got shape {a.shape} ({fmt(a)})"
        if not np.all(np.isfinite(a)):
            return None, f"{name} must be finite numbers, got {fmt(a)}"
        parts.append(a.reshape(shape))
    return parts, None


def xor_network(W1, b1, w2, b2, X=XOR_INPUTS):
    """(pre-activations of the hidden layer (4, 2), hidden outputs, output pre-activation (4,),
    outputs) of h = step(W1 x + b1), y = step(w2·h + b2), step(z) = 1 if z > 0 else 0."""
    z1 = X @ np.asarray(W1, float).T + np.asarray(b1, float)
    h = (z1 > 0).astype(float)
    z2 = h @ np.asarray(w2, float) + float(b2)
    return z1, h, z2, (z2 > 0).astype(int)


def _xor_expect(out):
    parts, problem = _xor_parts(out)
    if problem:
        return problem
    z1, h, z2, y = xor_network(*parts)
    rows = []
    for x, t, got in zip(XOR_INPUTS.astype(int), XOR_TARGETS, y):
        if got != t:
            rows.append(f"x = ({x[0]}, {x[1]}) → {got}, XOR is {t}")
    if rows:
        table = "; ".join(f"({a}, {b}) → {v}" for (a, b), v in zip(XOR_INPUTS.astype(int), y))
        return f"your network computes {table}: " + "; ".join(rows)
    small = [(f"hidden unit {j + 1}", i) for i in range(4) for j in range(2)
             if abs(z1[i, j]) < MARGIN] + [("the output", i) for i in range(4)
                                            if abs(z2[i]) < MARGIN]
    if small:
        unit, i = small[0]
        x = XOR_INPUTS[i].astype(int)
        z = z1[i, int(unit[-1]) - 1] if unit.startswith("hidden") else z2[i]
        return (f"right on all four inputs, but {unit}'s pre-activation at x = ({x[0]}, {x[1]}) "
                f"is {fmt(float(z))}: every pre-activation must be at least {MARGIN} away from 0 "
                "(an input on a unit's line is decided by what step does at exactly 0)")
    return None


def _single_layer_gate(out):
    """The output alone (hidden layer ignored) is linear in x: the answer is a one-layer gate."""
    parts, problem = _xor_parts(out)
    if problem:
        return False
    W1, b1, w2, b2 = parts
    return bool(np.allclose(W1, 0) or np.allclose(w2, 0))


def check_xor_weights(fn):
    """xor_weights() → (W1, b1, w2, b2) of h = step(W1 x + b1), y = step(w2·h + b2) computing
    XOR on {0, 1}², every pre-activation at least 0.1 from 0.

    Catches: XNOR (the output inverted), OR or AND alone (what one unit can do), a hidden layer
    that does nothing (W1 = 0 or w2 = 0), the wrong shapes (W1 of shape (2,), a list of four
    numbers), weights that rely on step(0) (a pre-activation of exactly 0, or closer than 0.1),
    a function that needs arguments. Oracle: the truth table, enumerated."""
    def answer(f):
        return _call(f, ())

    def computes(table):
        def detect(f):
            parts, problem = _xor_parts(answer(f))
            return problem is None and list(xor_network(*parts)[3]) == table
        return detect

    cases = [Case("the four inputs (0, 0), (0, 1), (1, 0), (1, 1)", (), _xor_expect)]
    mistakes = [
        Mistake("XNOR", computes([1, 0, 0, 1]),
                "your network says 1 exactly where XOR says 0: that is XNOR. Flip the output "
                "unit: negate w2 and b2 (and nudge b2 so no pre-activation is 0)."),
        Mistake("OR", computes([0, 1, 1, 1]),
                "that is OR: it is wrong only at (1, 1). XOR = OR and not AND — one hidden unit "
                "for OR, one for AND (or NAND), and an output that combines them."),
        Mistake("AND", computes([0, 0, 0, 1]),
                "that is AND. XOR is 1 when exactly one input is 1: try hidden units for OR and "
                "NAND, and an output unit that is their AND."),
        Mistake("no hidden layer", lambda f: _single_layer_gate(answer(f)),
                "with W1 = 0 or w2 = 0 the hidden layer does nothing, and one step unit can only "
                "cut the square with one line — no line separates XOR's 1s from its 0s."),
    ]
    return run_checks("xor_weights", fn, cases, mistakes, time_limit=2.0)


# ---------------------------------------------------------------------------------------------
# Exercise · the derivative of GELU
# ---------------------------------------------------------------------------------------------

_GELU_RTOL = 1e-12


def _gelu_grad_oracle(x):
    """Φ(x) + x·φ(x) in 50-digit arithmetic, and Φ(x) + |x|·φ(x) (the terms' size), as floats."""
    import mpmath
    x = np.asarray(x, dtype=float)
    value, scale = np.empty(x.shape), np.empty(x.shape)
    with mpmath.workdps(50):
        for idx, v in np.ndenumerate(x):
            if abs(v) > 60:                # Φ is 0 or 1 to far below float resolution, φ is 0
                value[idx] = scale[idx] = 1.0 if v > 0 else 0.0
                continue
            m = mpmath.mpf(float(v))
            cdf = mpmath.erfc(-m / mpmath.sqrt(2)) / 2
            pdf = mpmath.exp(-m * m / 2) / mpmath.sqrt(2 * mpmath.pi)
            value[idx] = float(cdf + m * pdf)
            scale[idx] = float(cdf + abs(m) * pdf)
    return value, scale


def _gelu_compare(out, expected, args):
    value, scale = expected
    try:
        got = _arr(out)
    except (TypeError, ValueError):
        return f"expected an array, got {fmt(out)}"
    if got.shape != value.shape:
        what = "a number" if value.shape == () else f"shape {value.shape}"
        return f"expected {what}, got shape {got.shape} ({fmt(got)})"
    if not np.all(np.isfinite(got)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(got))[0]) if got.ndim else ()
        return (f"at x = {fmt(np.asarray(args[0], float)[bad], digits=None)} you returned "
                f"{fmt(got[bad])}; GELU′ there is {fmt(value[bad])} (nan or inf)")
    err = np.abs(got - value)
    tol = _GELU_RTOL * scale + 1e-300
    if np.all(err <= tol):
        return None
    k = tuple(int(i) for i in np.unravel_index(int(np.argmax(err / tol)), value.shape))
    xk = float(np.asarray(args[0], float)[k])
    return (f"at x = {fmt(xk, digits=None)}: expected {fmt(value[k], digits=17)}, got "
            f"{fmt(got[k], digits=17)} (relative error {float(err[k] / scale[k]):.1e}; "
            f"{_GELU_RTOL:g} is the bound)")


def _gelu_input(rng, i):
    """Corners first — a 0-d array, integers whose square overflows int64, 0, the zero of GELU′
    near −0.75, the far left tail where Φ(x) is below
    1e-20, x = ±40 (everything underflows or is 1), huge |x| (x² overflows), a 2-D array, an
    integer array — then arrays on scales from 0.1 to 30."""
    corners = [
        np.array(0.7), np.array([4_000_000_000, -3_000_000_000, 7]),
        np.array([0.0]), np.array([-0.7517916243]), np.array([-10.0, -12.5, -20.0]),
        np.array([-40.0, 40.0, -38.5]), np.array([1e200, -1e200, 3e160]),
        np.array([[0.5, -0.5], [2.0, -6.0]]), np.array([-3, -1, 0, 2, 7]),
        np.array([-5.0, -6.5, -8.0, -8.5]), np.array([1e-300, -1e-300, 5e-324]),
    ]
    if i < len(corners):
        return (corners[i],)
    scale = float(rng.choice([0.1, 1.0, 3.0, 10.0, 30.0]))
    shape = (int(rng.integers(1, 12)),) if i % 5 else (int(rng.integers(1, 4)),
                                                     int(rng.integers(1, 4)))
    return (rng.standard_normal(shape) * scale,)


def _phi(x):
    return np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)


def _cdf(x):
    return 0.5 * np.vectorize(math.erfc, otypes=[float])(-np.asarray(x, float) / math.sqrt(2))


def check_gelu_grad(fn):
    """gelu_grad(x) → GELU′(x) = Φ(x) + x·φ(x) elementwise (x a NumPy array of any shape,
    integers too), for the exact GELU(x) = x·Φ(x), to 1e-12 relative to Φ(x) + |x|φ(x).

    Catches: Φ alone (the x·φ term missing — GELU is x·Φ, a product), φ without 1/√(2π), the
    sign of x·φ flipped, the tanh approximation's derivative (good to ~1e-3, not the exact GELU),
    the derivative of x·σ(1.702x) (another approximation), Φ written as ½(1 + erf(x/√2)) (loses
    the left tail: wrong digits below x ≈ −5, 0 below −8.3), a scalar or mean returned, integer
    results for integer x; huge |x| (1e200, where x² overflows) must give finite values. Sweep: the mpmath oracle (module
    docstring)."""
    probe = np.array([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 3.0])
    cdf, pdf = _cdf(probe), _phi(probe)

    def out(f, x=probe):
        return _call(f, (x,))

    def gives(expected, rtol=1e-7, x=probe):
        def detect(f):
            try:
                got = _arr(out(f, x))
            except (TypeError, ValueError):
                return False
            return got.shape == np.shape(expected) and bool(
                np.allclose(got, expected, rtol=rtol, atol=0.0))
        return detect

    c = math.sqrt(2 / math.pi)
    u = c * (probe + 0.044715 * probe ** 3)
    tanh_grad = 0.5 * (1 + np.tanh(u)) + 0.5 * probe * (1 - np.tanh(u) ** 2) * c * (
        1 + 3 * 0.044715 * probe ** 2)
    s = 1 / (1 + np.exp(-1.702 * probe))
    sig_grad = s + 1.702 * probe * s * (1 - s)
    tail = np.array([-6.0, -9.0])
    erf_form = 0.5 * (1 + np.vectorize(math.erf)(tail / math.sqrt(2))) + tail * _phi(tail)

    def integer_result(f):
        o = out(f, np.array([-2, 0, 3]))
        return isinstance(o, np.ndarray) and o.dtype.kind in "iub"

    mistakes = [
        Mistake("Φ alone", gives(cdf),
                "that is Φ(x), the derivative of x·Φ(x) without its second term: by the product "
                "rule GELU′(x) = Φ(x) + x·Φ′(x) = Φ(x) + x·φ(x)."),
        Mistake("φ unnormalised", gives(cdf + probe * np.exp(-0.5 * probe ** 2)),
                "φ(x) = exp(−x²/2)/√(2π): the 1/√(2π) that makes it a density is missing."),
        Mistake("sign of xφ", gives(cdf - probe * pdf),
                "d/dx [x·Φ(x)] = Φ(x) + x·φ(x) — plus, not minus."),
        Mistake("tanh approximation", gives(tanh_grad, rtol=1e-9),
                "that is the derivative of the tanh approximation ½x(1 + tanh(√(2/π)(x + "
                "0.044715x³))) — good to about 1e-3, but the exercise is the exact GELU x·Φ(x): "
                "use Φ(x) = ½·erfc(−x/√2)."),
        Mistake("sigmoid approximation", gives(sig_grad, rtol=1e-9),
                "x·σ(1.702x) is an approximation of GELU (off by up to ~0.02): the exercise is "
                "the exact x·Φ(x), whose derivative is Φ(x) + x·φ(x)."),
        Mistake("½(1 + erf) in the tail", gives(erf_form, rtol=1e-15, x=tail),
                "Φ(x) = ½(1 + erf(x/√2)) cancels in the left tail: erf(x/√2) rounds towards −1, "
                "so 1 + erf keeps few digits (none below x ≈ −8.3). Use Φ(x) = ½·erfc(−x/√2) "
                "(math.erfc, e.g. through np.vectorize), which stays accurate there."),
        Mistake("integer result", integer_result,
                "GELU′ of integers is not an integer: return a float array (np.asarray(x, "
                "dtype=float) first)."),
    ]
    cases = [
        # Φ(0) = ½, 0·φ(0) = 0
        Case("x = 0 (GELU′(0) = Φ(0) = ½)", (np.array([0.0]),),
             lambda o: _gelu_compare(o, _gelu_grad_oracle(np.array([0.0])), (np.array([0.0]),))),
        Case("x = [−3, −1, −0.5, 0.5, 1, 2, 3]", (probe,),
             lambda o: _gelu_compare(o, _gelu_grad_oracle(probe), (probe,))),
        Case("the far left tail x = [−6, −9, −12]", (np.array([-6.0, -9.0, -12.0]),),
             lambda o: _gelu_compare(o, _gelu_grad_oracle(np.array([-6.0, -9.0, -12.0])),
                                     (np.array([-6.0, -9.0, -12.0]),))),
    ]
    sweep = Sweep(_gelu_input, _gelu_grad_oracle, _gelu_compare, n=120, seed=23,
                  property="GELU′(x)")
    return run_checks("gelu_grad", fn, cases, mistakes, sweep=sweep)
