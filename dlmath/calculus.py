r"""Finite differences and the theory of their error (the Part 2 notebooks and the step-size explorer).

    forward_difference(f, x, h)    (f(x + h) − f(x)) / h            truncation error ≈ h·|f''|/2
    backward_difference(f, x, h)   (f(x) − f(x − h)) / h            truncation error ≈ h·|f''|/2
    central_difference(f, x, h)    (f(x + h) − f(x − h)) / (2h)     truncation error ≈ h²·|f'''|/6
    derivative(f, x, h, method)    any of the three by name
    numerical_gradient(f, x, h)    central differences along every coordinate of an array x

Round-off: f is computed with a relative error of about ε (machine epsilon, 2.2e-16 in float64), so
the difference quotient carries an extra error of about 2ε|f|/h (one-sided) or ε|f|/h (central).
Adding the two and minimising over h gives the best step:

    forward/backward: h* = 2·√(ε|f| / |f''|)           (≈ 1e-8 for well-scaled f)
    central:          h* = (3ε|f| / |f'''|)^(1/3)       (≈ 1e-5)

``error_model`` and ``best_h`` return these predictions; ``fd_error`` measures the actual error.
``h`` may be a number or an array of steps (the result then has h's shape).
"""
import numpy as np

__all__ = ["forward_difference", "backward_difference", "central_difference", "derivative",
           "numerical_gradient", "fd_error", "error_model", "best_h", "METHODS", "EPS"]

EPS = float(np.finfo(np.float64).eps)
METHODS = ("forward", "backward", "central")


def _check_h(h):
    h = np.asarray(h, dtype=float)
    if np.any(~np.isfinite(h)) or np.any(h == 0):
        raise ValueError("finite differences: the step h must be finite and non-zero")
    return h


def _scalar(out):
    return float(out) if np.ndim(out) == 0 else out


def forward_difference(f, x, h):
    """(f(x + h) − f(x)) / h — first-order accurate: the error shrinks like h."""
    h = _check_h(h)
    x = np.asarray(x, dtype=float)
    return _scalar((f(x + h) - f(x)) / h)


def backward_difference(f, x, h):
    """(f(x) − f(x − h)) / h — first-order accurate, like the forward difference."""
    h = _check_h(h)
    x = np.asarray(x, dtype=float)
    return _scalar((f(x) - f(x - h)) / h)


def central_difference(f, x, h):
    """(f(x + h) − f(x − h)) / (2h) — second-order accurate: the error shrinks like h²
    (the h² terms of the two Taylor expansions cancel)."""
    h = _check_h(h)
    x = np.asarray(x, dtype=float)
    return _scalar((f(x + h) - f(x - h)) / (2 * h))


_BY_NAME = {"forward": forward_difference, "backward": backward_difference,
            "central": central_difference}


def derivative(f, x, h=None, method="central"):
    """f'(x) by finite differences; ``h`` defaults to the method's typical best step
    (√ε·max(1, |x|) one-sided, ε^(1/3)·max(1, |x|) central)."""
    if method not in _BY_NAME:
        raise ValueError(f"derivative: method must be one of {METHODS}, got {method!r}")
    if h is None:
        scale = max(1.0, float(np.max(np.abs(x))))
        h = (EPS ** (1 / 3) if method == "central" else EPS ** 0.5) * scale
    return _BY_NAME[method](f, x, h)


def numerical_gradient(f, x, h=1e-6):
    """∇f(x) for a scalar function of an array, by central differences along each coordinate."""
    x = np.array(x, dtype=float)
    g = np.zeros_like(x)
    flat, gflat = x.reshape(-1), g.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        fp = float(f(x))
        flat[i] = old - h
        fm = float(f(x))
        flat[i] = old
        gflat[i] = (fp - fm) / (2 * h)
    return g


def fd_error(f, df, x, h, method="central"):
    """|finite-difference estimate − true derivative| at x, for each step in ``h``.
    ``df`` is the exact derivative (a function or a number)."""
    exact = df(x) if callable(df) else df
    return np.abs(np.asarray(derivative(f, x, _check_h(h), method)) - exact)


def error_model(h, method, f0, f2=None, f3=None, eps=EPS):
    """The predicted error: truncation + round-off.

    forward/backward: h|f''|/2 + 2ε|f|/h;  central: h²|f'''|/6 + ε|f|/h.
    Returns ``(truncation, roundoff, total)`` arrays shaped like h."""
    h = np.abs(_check_h(h))
    if method in ("forward", "backward"):
        if f2 is None:
            raise ValueError("error_model: one-sided differences need f2 = f''(x)")
        trunc, rnd = h * abs(f2) / 2, 2 * eps * abs(f0) / h
    elif method == "central":
        if f3 is None:
            raise ValueError("error_model: the central difference needs f3 = f'''(x)")
        trunc, rnd = h * h * abs(f3) / 6, eps * abs(f0) / h
    else:
        raise ValueError(f"error_model: method must be one of {METHODS}, got {method!r}")
    return trunc, rnd, trunc + rnd


def best_h(method, f0, f2=None, f3=None, eps=EPS):
    """The step that minimises ``error_model``: 2√(ε|f|/|f''|) one-sided, (3ε|f|/|f'''|)^(1/3)
    central. When f or the derivative in the formula is 0 the model has no interior minimum; the
    typical step (√ε or ε^(1/3)) is returned instead."""
    f0 = abs(f0) if f0 != 0 else 1.0
    if method in ("forward", "backward"):
        if f2 is None:
            raise ValueError("best_h: one-sided differences need f2 = f''(x)")
        return float(2 * np.sqrt(eps * f0 / abs(f2))) if f2 != 0 else float(np.sqrt(eps))
    if method == "central":
        if f3 is None:
            raise ValueError("best_h: the central difference needs f3 = f'''(x)")
        return float((3 * eps * f0 / abs(f3)) ** (1 / 3)) if f3 != 0 else float(eps ** (1 / 3))
    raise ValueError(f"best_h: method must be one of {METHODS}, got {method!r}")
