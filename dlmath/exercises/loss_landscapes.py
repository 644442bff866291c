"""Checkers for notebook 26: loss landscapes of a real network.

* ``check_filter_normalize`` grades filter normalisation against its definition, filter by filter:
  for a weight w with two or more axes, filter i is ``w[i]`` (a row of a Linear weight, one output
  channel of a Conv2d weight) and d[i] ← d[i]·‖w[i]‖/‖d[i]‖ (Frobenius norms over the remaining
  axes, summed with ``math.fsum``); a 1-D parameter (bias, normalisation scale) gets zeros;
* ``check_plane_coordinates`` grades the least-squares coordinates (α, β) of a vector in the plane
  spanned by two directions against Cramer's rule on the 2×2 normal equations, with every dot
  product computed exactly (``fractions.Fraction`` of the floats) and rounded once.
"""
import math
from fractions import Fraction

import numpy as np

from .core import Case, Mistake, Sweep, _call, fmt, run_checks
from .core import as_array as _arr

__all__ = ["check_filter_normalize", "check_plane_coordinates"]


# ---------------------------------------------------------------------------------------------
# Exercise · filter normalisation
# ---------------------------------------------------------------------------------------------

def _filter_oracle(direction, weights):
    out = []
    for d, w in zip(direction, weights):
        d, w = np.asarray(d, dtype=float), np.asarray(w, dtype=float)
        if w.ndim <= 1:
            out.append(np.zeros(w.shape))
            continue
        o = np.zeros(w.shape)
        for i in range(w.shape[0]):
            wn = math.sqrt(math.fsum(float(v) ** 2 for v in w[i].ravel()))
            dn = math.sqrt(math.fsum(float(v) ** 2 for v in d[i].ravel()))
            if dn > 0:
                o[i] = d[i] * (wn / dn)
        out.append(o)
    return out


def _compare_list(out, expected, rtol=1e-12, atol=1e-14):
    if not isinstance(out, (list, tuple)) or len(out) != len(expected):
        return (f"return a list of {len(expected)} arrays (one per parameter), got "
                f"{fmt(out)}")
    for k, (o, e) in enumerate(zip(out, expected)):
        try:
            got = _arr(o)
        except (TypeError, ValueError):
            return f"parameter {k}: expected an array, got {fmt(o)}"
        if got.shape != e.shape:
            return f"parameter {k}: expected shape {e.shape}, got shape {got.shape}"
        if not np.all(np.isfinite(got)):
            return f"parameter {k}: the result contains nan or inf: {fmt(got)}"
        if not np.allclose(got, e, rtol=rtol, atol=atol):
            if e.size <= 12:
                return f"parameter {k} (shape {e.shape}): expected {fmt(e)}, got {fmt(got)}"
            i = tuple(int(j) for j in np.unravel_index(int(np.argmax(np.abs(got - e))), e.shape))
            return (f"parameter {k} (shape {e.shape}): expected {fmt(e[i])} at index {i}, got "
                    f"{fmt(got[i])}")
    return None


def _filter_input(rng, i):
    """Corners first — a lone bias, a 1×1 weight, a direction filter that is all zeros, a weight
    filter that is all zeros, a Conv2d weight (4-D), integer arrays, scales from 1e-8 to 1e8 —
    then random models of 1–4 parameters with 1–4 axes."""
    conv_w = np.arange(1.0, 2 * 3 * 2 * 2 + 1).reshape(2, 3, 2, 2)
    corners = [
        ([np.array([1.0, -2.0])], [np.array([0.5, 0.5])]),
        ([np.array([[3.0]])], [np.array([[-2.0]])]),
        ([np.array([[0.0, 0.0], [1.0, 1.0]])], [np.array([[1.0, 2.0], [3.0, 4.0]])]),
        ([np.array([[1.0, 2.0], [3.0, 4.0]])], [np.array([[0.0, 0.0], [6.0, 8.0]])]),
        ([np.ones((2, 3, 2, 2)), np.array([1.0, 1.0])], [conv_w, np.array([0.1, 0.2])]),
        ([np.array([[1, -1, 2]])], [np.array([[2, 2, 1]])]),
        ([np.array([[1e-8, 2e-8], [1e8, 0.0]])], [np.array([[1e8, 1e8], [1e-8, 1e-8]])]),
    ]
    if i < len(corners):
        return corners[i]
    weights, dirs = [], []
    for _ in range(int(rng.integers(1, 5))):
        ndim = int(rng.integers(1, 5))
        shape = tuple(int(s) for s in rng.integers(1, 5, ndim))
        weights.append(rng.standard_normal(shape) * float(rng.choice([0.01, 1.0, 30.0])))
        dirs.append(rng.standard_normal(shape))
    return (dirs, weights)


def check_filter_normalize(fn):
    """filter_normalize(direction, weights) → a new list of arrays: for each parameter with two
    or more axes, every filter d[i] (axis 0) rescaled to the norm of the matching weight filter,
    d[i]·‖w[i]‖/‖d[i]‖ (a zero d[i] stays zero); a 1-D parameter's direction is all zeros.

    Catches: the whole tensor normalised at once (‖w‖/‖d‖), filters taken along the last axis
    instead of the first, 1-D parameters left as they were (or normalised as vectors), the ratio
    upside down, squared norms, nan for a zero filter, the caller's arrays changed in place, a
    single array instead of a list. Sweep: the filter-by-filter definition."""
    d0 = [np.array([[3.0, 4.0], [1.0, 0.0], [0.0, 2.0]]), np.array([5.0, 5.0, 5.0])]
    w0 = [np.array([[1.0, 0.0], [0.0, 2.0], [6.0, 8.0]]), np.array([0.1, 0.2, 0.3])]

    def out(f):
        return _call(f, ([a.copy() for a in d0], [a.copy() for a in w0]))

    def gives(expected):
        def detect(f):
            return _compare_list(out(f), [np.asarray(e, float) for e in expected]) is None
        return detect

    right = _filter_oracle(d0, w0)
    dn, wn = np.linalg.norm(d0[0]), np.linalg.norm(w0[0])
    col = d0[0] * (np.linalg.norm(w0[0], axis=0) / np.linalg.norm(d0[0], axis=0))
    rows_d = np.linalg.norm(d0[0], axis=1, keepdims=True)
    rows_w = np.linalg.norm(w0[0], axis=1, keepdims=True)
    mistakes = [
        Mistake("whole tensor", gives([d0[0] * wn / dn, np.zeros(3)]),
                "normalise each *filter* separately — row i of the weight (output channel i of a "
                "conv) gets d[i]·‖w[i]‖/‖d[i]‖ — not the whole tensor with one factor ‖w‖/‖d‖."),
        Mistake("filters along the last axis", gives([col, np.zeros(3)]),
                "a filter is w[i], along the *first* axis (one output unit or output channel); "
                "you normalised along the last axis (per input feature)."),
        Mistake("1-D not zeroed", lambda f: gives([right[0], d0[1]])(f) or gives(
            [right[0], d0[1] * np.linalg.norm(w0[1]) / np.linalg.norm(d0[1])])(f),
                "biases and other 1-D parameters get a zero direction (they do not move in the "
                "plot), not the random direction, normalised or not."),
        Mistake("ratio upside down", gives([d0[0] * rows_d / rows_w, np.zeros(3)]),
                "multiply by ‖w[i]‖/‖d[i]‖: the filter of the direction must end up with the "
                "weight filter's norm."),
        Mistake("squared norms", gives([d0[0] * rows_w ** 2 / rows_d ** 2, np.zeros(3)]),
                "use the norms ‖·‖ (square roots of the sums of squares), not their squares."),
    ]
    cases = [
        # rows: ‖d‖ = 5, 1, 2; ‖w‖ = 1, 2, 10 → factors 1/5, 2, 5
        Case("a 3×2 weight and its bias", (d0, w0),
             lambda o: _compare_list(o, [np.array([[0.6, 0.8], [2.0, 0.0], [0.0, 10.0]]),
                                         np.zeros(3)])),
        # the zero direction filter stays zero; the other gets norm 5: (1, 2)·5/√5
        Case("a direction filter of zeros", ([np.array([[0.0, 0.0], [1.0, 2.0]])],
                                             [np.array([[1.0, 1.0], [3.0, 4.0]])]),
             lambda o: _compare_list(o, [np.array([[0.0, 0.0], [math.sqrt(5), 2 * math.sqrt(5)]])])),
    ]
    cases += [
        # ‖d_0‖ = 1e-9 is small but not zero: d_0·2/1e-9 = (2, 0); row 1 keeps its norm √2
        Case("a tiny (1e-9) but nonzero direction filter", ([np.array([[1e-9, 0.0],
                                                                        [1.0, 1.0]])],
                                                            [np.array([[2.0, 0.0], [1.0, 1.0]])]),
             lambda o: _compare_list(o, [np.array([[2.0, 0.0], [1.0, 1.0]])])),
        # entries summing to 0 are not a zero filter: (1, −1)·5/√2
        Case("a filter whose entries sum to 0", ([np.array([[1.0, -1.0]])], [np.array([[3.0, 4.0]])]),
             lambda o: _compare_list(o, [np.array([[5 / math.sqrt(2), -5 / math.sqrt(2)]])])),
    ]
    sweep = Sweep(_filter_input, _filter_oracle, lambda o, e, a: _compare_list(o, e), n=120,
                  seed=26, property="the normalised direction")
    return run_checks("filter_normalize", fn, cases, mistakes, sweep=sweep)


# ---------------------------------------------------------------------------------------------
# Exercise · coordinates in the plane of two directions
# ---------------------------------------------------------------------------------------------

def _plane_oracle(delta, d1, d2):
    """(α, β) solving [d1·d1, d1·d2; d1·d2, d2·d2] (α, β) = (d1·Δ, d2·Δ) by Cramer's rule, with
    exact dot products of the floats."""
    q = lambda a, b: sum(Fraction(float(x)) * Fraction(float(y)) for x, y in zip(a, b))
    a, b = np.ravel(np.asarray(d1, float)), np.ravel(np.asarray(d2, float))
    t = np.ravel(np.asarray(delta, float))
    g11, g12, g22, r1, r2 = q(a, a), q(a, b), q(b, b), q(a, t), q(b, t)
    det = g11 * g22 - g12 * g12
    return (float((r1 * g22 - r2 * g12) / det), float((g11 * r2 - g12 * r1) / det))


def _compare_pair(out, expected, rtol=1e-9):
    if not isinstance(out, (tuple, list, np.ndarray)) or len(out) != 2:
        return f"return a pair (alpha, beta), got {fmt(out)}"
    try:
        got = np.array([float(v) for v in out])
    except (TypeError, ValueError):
        return f"return two numbers (alpha, beta), got {fmt(out)}"
    if not np.all(np.isfinite(got)):
        return f"got {fmt(tuple(got))} (nan or inf)"
    scale = max(1.0, abs(expected[0]), abs(expected[1]))
    if np.max(np.abs(got - np.asarray(expected))) > rtol * scale:
        return f"expected (α, β) = {fmt(tuple(expected))}, got {fmt(tuple(got))}"
    return None


def _plane_input(rng, i):
    """Corners first — orthonormal directions, orthogonal of different lengths, strongly
    correlated directions (15° apart), Δ in the plane exactly, Δ orthogonal to it, integer
    vectors, long vectors — then random ones, some nearly parallel."""
    corners = [
        (np.array([2.0, 3.0, 5.0]), np.array([1.0, 0.0, 0.0]), np.array([0.0, 1.0, 0.0])),
        (np.array([2.0, 3.0]), np.array([4.0, 0.0]), np.array([0.0, 0.5])),
        (np.array([1.0, 1.0]), np.array([1.0, 0.0]),
         np.array([math.cos(0.26), math.sin(0.26)])),
        (np.array([0.0, 0.0, 7.0]), np.array([1.0, 2.0, 0.0]), np.array([3.0, -1.0, 0.0])),
        (np.array([3, 1, 4, 1]), np.array([1, 1, 0, 0]), np.array([0, 1, 1, 2])),
    ]
    if i < len(corners):
        return corners[i]
    n = int(rng.integers(2, 200))
    d1 = rng.standard_normal(n)
    d2 = rng.standard_normal(n) + float(rng.choice([0.0, 0.0, 2.0, 10.0])) * d1
    delta = float(rng.normal()) * d1 + float(rng.normal()) * d2 + 0.3 * rng.standard_normal(n)
    return (delta, d1, d2)


def check_plane_coordinates(fn):
    """plane_coordinates(delta, d1, d2) → (alpha, beta) minimising ‖Δ − α d₁ − β d₂‖ for 1-D
    arrays of one length (d₁, d₂ linearly independent, not necessarily orthogonal or of unit
    length): the solution of the 2×2 normal equations.

    Catches: the projections ⟨Δ, d₁⟩/‖d₁‖² and ⟨Δ, d₂⟩/‖d₂‖² taken separately (right only for
    orthogonal directions), the dot products ⟨Δ, dₖ⟩ without dividing by the norms, dividing by
    ‖dₖ‖ instead of ‖dₖ‖² (cosines times ‖Δ‖), the two coordinates swapped. Sweep: Cramer's rule
    with exact dot products."""
    delta0, a0, b0 = np.array([3.0, 1.0]), np.array([1.0, 0.0]), np.array([1.0, 1.0])

    def out(f, args=(delta0, a0, b0)):
        return _call(f, args)

    def gives(pair, args=(delta0, a0, b0)):
        return lambda f: _compare_pair(out(f, args), pair) is None

    sep = (float(delta0 @ a0 / (a0 @ a0)), float(delta0 @ b0 / (b0 @ b0)))
    dots = (float(delta0 @ a0), float(delta0 @ b0))
    cos = (float(delta0 @ a0 / np.linalg.norm(a0)), float(delta0 @ b0 / np.linalg.norm(b0)))
    mistakes = [
        Mistake("separate projections", gives(sep),
                "⟨Δ, d₁⟩/‖d₁‖² is the coordinate along d₁ only when d₁ ⟂ d₂. Random directions in "
                "a real network are nearly but not exactly orthogonal: solve the 2×2 system "
                "G (α, β) = (⟨d₁, Δ⟩, ⟨d₂, Δ⟩) with the Gram matrix G = [[⟨d₁,d₁⟩, ⟨d₁,d₂⟩], "
                "[⟨d₁,d₂⟩, ⟨d₂,d₂⟩]]."),
        Mistake("plain dot products", gives(dots),
                "⟨Δ, d⟩ alone grows with ‖d‖; the coordinates come from the normal equations "
                "(for orthonormal directions they reduce to the dot products)."),
        Mistake("divided by the norm", gives(cos),
                "dividing ⟨Δ, d⟩ by ‖d‖ gives a length along the unit vector d/‖d‖, not the "
                "coefficient of d itself; and the directions' correlation still needs the 2×2 "
                "system."),
        Mistake("coordinates swapped", gives((1.0, 2.0)),
                "return (α, β) in that order: α multiplies d₁, β multiplies d₂."),
    ]
    cases = [
        # Δ = (3, 1) = 2·(1, 0) + 1·(1, 1)
        Case("Δ = (3, 1), d₁ = (1, 0), d₂ = (1, 1): correlated directions", (delta0, a0, b0),
             lambda o: _compare_pair(o, (2.0, 1.0))),
        # (2, 3, 5): the part (0, 0, 5) is off the plane; α = 2/4·… with d₁ = (4, 0, 0): 0.5
        Case("Δ partly off the plane, orthogonal d₁ = (4, 0, 0), d₂ = (0, 0.5, 0)",
             (np.array([2.0, 3.0, 5.0]), np.array([4.0, 0.0, 0.0]), np.array([0.0, 0.5, 0.0])),
             lambda o: _compare_pair(o, (0.5, 6.0))),
    ]
    def scaled(c):                                  # the first case, every vector times c
        args = (delta0 * c, a0 * c, b0 * c)
        return Case(f"the first case scaled by {c:g} (α, β do not change)", args,
                    lambda o: _compare_pair(o, (2.0, 1.0)))
    near = (np.array([0.0, 1e-4]), np.array([1.0, 0.0]), np.array([1.0, 1e-4]))
    cases += [scaled(1e-6), scaled(1e-3), scaled(1e5),
              # d₂ − d₁ = Δ: (α, β) = (−1, 1), directions 1e-4 rad apart
              Case("nearly parallel directions (1e-4 rad apart)", near,
                   lambda o: _compare_pair(o, (-1.0, 1.0), rtol=1e-6))]
    sweep = Sweep(_plane_input, lambda *a: _plane_oracle(*a),
                  lambda o, e, a: _compare_pair(o, e), n=150, seed=26, property="(α, β)")
    return run_checks("plane_coordinates", fn, cases, mistakes, sweep=sweep)
