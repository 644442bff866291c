"""Checkers for notebook 18: loss functions, the hinge loss and the margin, convexity.

Each lists its hand-picked cases (expected values worked out by hand in the comments) and the
classic mistakes it recognises, then runs a seeded sweep — degenerate corners first — against an
oracle that is not a reference solution:

* ``check_huber`` grades against the Huber loss as a *Moreau envelope*,
  ℓ_δ(r) = min_z [½(r − z)² + δ|z|], attained at the soft-threshold z* = sign(r)·max(|r| − δ, 0),
  whose slope is r − z*: no branches on |r| ≤ δ at all;
* ``check_svm_objective`` takes J from its definition and the subgradient from central
  differences of J (exact for a piecewise quadratic as long as the step crosses no kink; the
  step is chosen so that it does not), with the examples exactly on the margin — whose hinge
  term has slope 0 by the exercise's convention — dropped from the differentiated sum;
* ``check_quadratic_convexity`` builds every matrix from a known answer, A = R D Rᵀ + S with R
  invertible, D diagonal and S antisymmetric: xᵀAx = (Rᵀx)ᵀ D (Rᵀx), so by Sylvester's law of
  inertia the signs in D decide, and no eigenvalue is computed."""
from fractions import Fraction

import numpy as np

from .core import Case, Given, Mistake, Sweep, equal, fmt, run_checks, _call
from .core import as_array as _arr, matches as _matches

__all__ = ["check_huber", "check_svm_objective", "check_quadratic_convexity"]


def _compare_parts(names, out, expected, tols):
    """None if out is a tuple/list matching ``expected`` part by part, else a message."""
    if not isinstance(out, (tuple, list)) or len(out) != len(names):
        return (f"return a tuple of {len(names)} values ({', '.join(names)}), got "
                f"{fmt(out)}")
    for name, part, exp, (rtol, atol) in zip(names, out, expected, tols):
        exp = np.asarray(exp, dtype=float)
        try:
            got = _arr(part)
        except (TypeError, ValueError):
            return f"{name}: expected {fmt(exp)}, got {fmt(part)}"
        if got.shape != exp.shape:
            what = "a number" if exp.shape == () else f"shape {exp.shape}"
            return f"{name}: expected {what}, got shape {got.shape} ({fmt(got)})"
        if not np.all(np.isfinite(got)):
            return f"{name}: expected {fmt(exp)}, got {fmt(got)} (nan or inf)"
        if not np.allclose(got, exp, rtol=rtol, atol=atol):
            if exp.size <= 12:
                return f"{name}: expected {fmt(exp)}, got {fmt(got)}"
            k = int(np.argmax(np.abs(got - exp).ravel()))
            idx = tuple(int(i) for i in np.unravel_index(k, exp.shape))
            return f"{name}: expected {fmt(exp[idx])} at index {idx}, got {fmt(got[idx])}"
    return None


# ---------------------------------------------------------------------------------------------
# Exercise 1 · the Huber loss and its slope
# ---------------------------------------------------------------------------------------------

def _huber_oracle(r, delta):
    """ℓ_δ(r) = ½(r − z)² + δ|z| at the minimiser z = sign(r)·max(|r| − δ, 0) (soft threshold):
    the Huber loss as a Moreau envelope of δ|·|, and its slope r − z — in exact rational
    arithmetic (r − z cancels badly in floats when |r| ≫ δ), rounded once at the end."""
    r = np.asarray(r, dtype=float)
    d = Fraction(float(delta))
    loss, slope = np.empty(r.shape), np.empty(r.shape)
    for idx, v in np.ndenumerate(r):
        v = Fraction(float(v))
        z = max(abs(v) - d, Fraction(0)) * (1 if v > 0 else -1)
        loss[idx] = float((v - z) ** 2 / 2 + d * abs(z))
        slope[idx] = float(v - z)
    return loss, slope


_HUBER_TOLS = [(1e-9, 1e-15), (1e-9, 1e-15)]


def _huber_compare(out, expected, args):
    return _compare_parts(("loss", "slope"), out, expected, _HUBER_TOLS)


def _huber_input(rng, i):
    """(r, delta): corners first — residuals at exactly ±δ and 0, a single one, integer arrays
    with an int δ, 2-D arrays, tails on both sides; then δ log-uniform in [0.01, 100] and
    residuals on scales from 0.1δ to 100δ."""
    corners = [
        (np.array([-2.0, 0.0, 2.0]), 2.0), (np.array([0.0]), 1.0), (np.array([-7]), 3),
        (np.array([-4, -1, 0, 1, 4]), 1), (np.array([[0.25, -0.25], [-0.5, 0.5]]), 0.25),
        (np.array([1e9, -1e9, 1e-9]), 0.01), (np.array([-150.0, -100.0, 99.0]), 100),
        (np.array([3e160, -1e250, 0.5]), 1.0),
    ]
    if i < len(corners):
        return corners[i]
    delta = float(10 ** rng.uniform(-2, 2))
    shape = (int(rng.integers(1, 13)),) if i % 4 else (int(rng.integers(1, 4)),
                                                      int(rng.integers(1, 5)))
    r = rng.standard_normal(shape) * delta * float(rng.choice([0.3, 1.0, 3.0, 100.0]))
    if i % 5 == 0:                                   # some residuals exactly at ±δ
        r.flat[rng.integers(r.size)] = delta * float(rng.choice([-1.0, 1.0]))
    if i % 7 == 3:                                   # integers, with an int δ
        delta = int(rng.integers(1, 6))
        r = np.round(r * 3 / max(np.abs(r).max(), 1e-12) * delta).astype(np.int64)
    return r, delta


def _int_result(f):
    """True when huber returns an integer array for integer residuals."""
    o = _call(f, (np.array([-3, 1, 0, 2, 5]), 2), mutates=True)
    return isinstance(o, (tuple, list)) and len(o) == 2 and any(
        isinstance(v, np.ndarray) and v.dtype.kind in "iub" for v in o)


def check_huber(fn):
    """huber(r, delta) → (loss, slope), elementwise, with PyTorch's HuberLoss convention:
    ℓ = ½r² for |r| ≤ δ, δ(|r| − ½δ) beyond; slope = ℓ'(r) = clip(r, −δ, δ).

    Catches: SmoothL1's convention (everything divided by δ), a wrong constant in the linear
    branch (δ|r| − δ², or no constant: the loss jumps at |r| = δ), the ½ missing from the
    quadratic, the branches swapped, |r| replaced by r in the linear branch, the threshold
    r² ≤ δ or r ≤ δ (no |·|), a slope that is not clipped (r everywhere), that loses the sign in
    the tails (+δ for negative residuals), that is ±1 in the tails, 2r inside, or the MAE's
    sign(r); an integer result for integer residuals; a mean returned instead of the array. Cases
    include residuals of 1e200 and more (r² overflows). Sweep: the Moreau-envelope oracle (see the
    module docstring)."""
    cases = [
        # δ = 1: ½r² inside, |r| − ½ outside; slope clip(r, −1, 1)
        Case("r = [−3, −1, −0.5, 0, 0.5, 1, 3], δ = 1",
             (np.array([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0]), 1.0),
             lambda o: _compare_parts(("loss", "slope"), o,
                                      ([2.5, 0.5, 0.125, 0.0, 0.125, 0.5, 2.5],
                                       [-1.0, -1.0, -0.5, 0.0, 0.5, 1.0, 1.0]), _HUBER_TOLS)),
        # δ = 2: 2(5 − 1) = 8, ½·2² = 2
        Case("integer r = [−5, −2, 0, 2, 5] with the int δ = 2",
             (np.array([-5, -2, 0, 2, 5]), 2),
             lambda o: _compare_parts(("loss", "slope"), o,
                                      ([8.0, 2.0, 0.0, 2.0, 8.0], [-2.0, -2.0, 0.0, 2.0, 2.0]),
                                      _HUBER_TOLS)),
        # δ = 0.01: ½·0.005² = 1.25e-5; 0.01·(0.02 − 0.005) = 1.5e-4; 0.01·(1 − 0.005) = 0.00995
        Case("a small δ = 0.01, r = [0.005, −0.02, 1]", (np.array([0.005, -0.02, 1.0]), 0.01),
             lambda o: _compare_parts(("loss", "slope"), o,
                                      ([1.25e-5, 1.5e-4, 0.00995], [0.005, -0.01, 0.01]),
                                      _HUBER_TOLS)),
        # δ = 100: 100·(150 − 50) = 10⁴; ½·50² = 1250; 100·(10⁶ − 50)
        Case("a large δ = 100, r = [−150, 50, 1e6]", (np.array([-150.0, 50.0, 1e6]), 100.0),
             lambda o: _compare_parts(("loss", "slope"), o,
                                      ([1e4, 1250.0, 99_995_000.0], [-100.0, 50.0, 100.0]),
                                      _HUBER_TOLS)),
        # δ = 1.5: 1.5·(2 − 0.75) = 1.875, 1.5·(4 − 0.75) = 4.875, ½·0.25² = 0.03125
        Case("a 2-D array r = [[0.5, −2], [4, −0.25]], δ = 1.5",
             (np.array([[0.5, -2.0], [4.0, -0.25]]), 1.5),
             lambda o: _compare_parts(("loss", "slope"), o,
                                      ([[0.125, 1.875], [4.875, 0.03125]],
                                       [[0.5, -1.5], [1.5, -0.25]]), _HUBER_TOLS)),
        Case("residuals exactly at ±δ = ±0.3", (np.array([0.3, -0.3]), 0.3),
             lambda o: _compare_parts(("loss", "slope"), o, ([0.045, 0.045], [0.3, -0.3]),
                                      _HUBER_TOLS)),
        Case("far tails r = ±1e12, δ = 1", (np.array([1e12, -1e12]), 1.0),
             lambda o: _compare_parts(("loss", "slope"), o,
                                      ([1e12 - 0.5, 1e12 - 0.5], [1.0, -1.0]), _HUBER_TOLS)),
        Case("very far tails r = [1e200, −1e300], δ = 2 (r² overflows to inf)",
             (np.array([1e200, -1e300]), 2.0),
             lambda o: _compare_parts(("loss", "slope"), o, ([2e200, 2e300], [2.0, -2.0]),
                                      _HUBER_TOLS),
             hint="far in the tails only the linear branch δ(|r| − ½δ) may be used: r² "
                  "overflows to inf beyond 1e154, so don't form r² (or √(r²)) for them."),
    ]
    probe = np.array([-5.0, -3.0, -1.5, -0.5, 0.0, 0.5, 1.5, 3.0, 5.0])
    d = 2.0
    a = np.abs(probe)
    inside = a <= d
    true_loss, true_slope = _huber_oracle(probe, d)

    def out(f):
        o = _call(f, (probe, d), mutates=True)
        return o if isinstance(o, (tuple, list)) and len(o) == 2 else (None, None)

    def loss_is(expected):
        return lambda f: _matches(out(f)[0], expected)

    def slope_is(expected):
        return lambda f: _matches(out(f)[1], expected)

    def loss_inside_is(expected):                  # the quadratic part wrong, any tail
        def detect(f):
            loss = out(f)[0]
            return loss is not None and np.shape(loss) == probe.shape \
                and _matches(np.asarray(loss)[inside], expected)
        return detect

    def loss_tail_is(tail):                          # quadratic part right, the tail wrong
        return loss_is(np.where(inside, 0.5 * probe ** 2, tail))

    mistakes = [
        Mistake("SmoothL1 convention", lambda f: _matches(out(f)[0], true_loss / d),
                "that is PyTorch's SmoothL1Loss(beta=δ) — ½r²/δ inside, |r| − ½δ outside — which "
                "is the Huber loss divided by δ. The exercise asks for HuberLoss(delta=δ): ½r² "
                "inside, δ(|r| − ½δ) outside, slope clipped to ±δ."),
        Mistake("branch constant δ²", loss_tail_is(d * a - d * d),
                "the linear branch must meet the parabola at |r| = δ: ½δ² = δ(δ − c) gives "
                "c = ½δ, so the tail is δ(|r| − ½δ) = δ|r| − ½δ², not δ|r| − δ² (your loss jumps "
                "down by ½δ² at |r| = δ)."),
        Mistake("no branch constant", loss_tail_is(d * a),
                "δ|r| alone jumps up by ½δ² at |r| = δ: subtract ½δ² so that both branches give "
                "½δ² there — δ(|r| − ½δ)."),
        Mistake("½ missing", loss_inside_is(probe[inside] ** 2),
                "inside |r| ≤ δ the Huber loss is ½r² (slope r), not r²."),
        Mistake("branches swapped", loss_is(np.where(inside, d * (a - 0.5 * d), 0.5 * probe ** 2)),
                "the quadratic ½r² belongs to the small residuals |r| ≤ δ and the linear "
                "δ(|r| − ½δ) to the large ones — that is what bounds an outlier's pull."),
        Mistake("r for |r| in the tail", loss_tail_is(d * (probe - 0.5 * d)),
                "the linear branch uses |r|: δ(|r| − ½δ). With r, a large negative residual gets "
                "a negative loss."),
        Mistake("threshold r² ≤ δ", loss_is(np.where(probe ** 2 <= d, 0.5 * probe ** 2,
                                                       d * (a - 0.5 * d))),
                "switch branches where |r| = δ (compare |r| ≤ δ), not where r² = δ."),
        Mistake("slope not clipped", slope_is(probe),
                "r is the slope of ½r², the squared error: outside |r| ≤ δ the Huber loss is "
                "linear and its slope is ±δ — clip(r, −δ, δ). That bound is the point of Huber."),
        Mistake("sign lost in the tail", slope_is(np.where(inside, probe, d)),
                "in the left tail (r < −δ) the loss δ(|r| − ½δ) = δ(−r − ½δ) decreases: its slope "
                "is −δ, i.e. δ·sign(r)."),
        Mistake("slope 2r inside", slope_is(np.where(inside, 2 * probe, d * np.sign(probe))),
                "the derivative of ½r² is r, not 2r."),
        Mistake("MAE slope", lambda f: slope_is(np.sign(probe))(f)
                or slope_is(d * np.sign(probe))(f),
                "sign(r) (or δ·sign(r)) is the slope of the absolute error everywhere; Huber is "
                "quadratic near 0, so its slope there is r itself."),
        Mistake("tail slope ±1", slope_is(np.where(inside, probe, np.sign(probe))),
                "in the tails the loss δ(|r| − ½δ) has slope ±δ, not ±1 (±1 belongs to "
                "SmoothL1Loss, which divides everything by δ)."),
        Mistake("r ≤ δ without |·|", loss_is(np.where(probe <= d, 0.5 * probe ** 2,
                                                      d * (a - 0.5 * d))),
                "the quadratic branch is for |r| ≤ δ: a large negative residual (r < −δ) belongs "
                "to the linear tail too."),
        Mistake("integer result", lambda f: _int_result(f),
                "your result is an integer array for integer residuals, so the halves were cut "
                "off (np.zeros_like(r) of an integer r is an integer array): build the results "
                "as floats, e.g. from np.asarray(r, dtype=float)."),
        Mistake("mean returned", lambda f: out(f)[0] is not None and np.ndim(out(f)[0]) == 0,
                "return the loss of every residual (an array of r's shape), not their mean: "
                "reduction='none'."),
    ]
    sweep = Sweep(_huber_input, _huber_oracle, _huber_compare, n=150, seed=18,
                  property="Huber loss and slope (as the Moreau envelope min_z ½(r − z)² + δ|z|)",
                  hint="loss = ½r² where |r| ≤ δ and δ(|r| − ½δ) elsewhere; slope = "
                       "clip(r, −δ, δ); both as float arrays of r's shape.")
    return run_checks("huber", fn, cases, mistakes, sweep=sweep, hint=sweep.hint)


# ---------------------------------------------------------------------------------------------
# Exercise 2 · the soft-margin SVM objective and a subgradient
# ---------------------------------------------------------------------------------------------

def _scores(w, b, X):
    """f_i = Σ_j X_ij w_j + b, summed in plain floating point (exact for the integer cases)."""
    X = np.asarray(X, dtype=float)
    return (X * np.asarray(w, dtype=float)[None, :]).sum(axis=1) + float(b)


def _svm_value(w, b, X, y, lam, keep=None):
    """J(w, b) from the definition; ``keep`` drops hinge terms from the sum (not from N)."""
    m = np.asarray(y, dtype=float) * _scores(w, b, X)
    hinge = np.maximum(0.0, 1.0 - m)
    if keep is not None:
        hinge = hinge[keep]
    return 0.5 * float(lam) * float(np.sum(np.asarray(w, dtype=float) ** 2)) \
        + float(np.sum(hinge)) / len(y)


def _svm_value_exact(w, b, X, y, lam, keep):
    """J in exact rational arithmetic (for the finite differences next to a kink)."""
    w = [v if isinstance(v, Fraction) else Fraction(float(v)) for v in w]
    total = Fraction(0)
    for row, yi, k in zip(np.asarray(X, dtype=float), y, keep):
        if k:
            m = int(yi) * (sum(Fraction(float(x)) * v for x, v in zip(row, w))
                           + (b if isinstance(b, Fraction) else Fraction(float(b))))
            total += max(Fraction(0), 1 - m)
    return Fraction(lam) / 2 * sum(v * v for v in w) + total / len(y)


def _svm_oracle(w, b, X, y, lam):
    """(J, ∂J/∂w, ∂J/∂b): J by its definition; the derivatives by central differences of J with
    the examples exactly on the margin left out of the sum (their hinge term has value 0 and, by
    the exercise's convention, slope 0). J is then quadratic plus linear pieces; the step h is
    small enough that no other example crosses its kink, so the differences are exact up to
    rounding — and exact outright, in rational arithmetic, when an example is within 1e-3 of
    its kink (where h, and so the differences in floats, would be too small)."""
    w = np.asarray(w, dtype=float)
    X = np.asarray(X, dtype=float)
    m = np.asarray(y, dtype=float) * _scores(w, b, X)
    keep = m != 1.0
    gaps = np.abs(1.0 - m[keep])
    gap = float(gaps.min()) if gaps.size else 1.0
    h = 0.25 * gap / (1.0 + float(np.abs(X).max(initial=0.0)) * (len(w) + 1))
    h = min(h, 0.5)
    if gap < 1e-3:
        h = Fraction(h)
        J = lambda w_, b_: _svm_value_exact(w_, b_, X, y, lam, keep)
        shift = lambda v, j, s: [Fraction(float(x)) + (s * h if k == j else 0)
                                 for k, x in enumerate(v)]
        gw = np.array([float((J(shift(w, j, 1), Fraction(float(b)))
                              - J(shift(w, j, -1), Fraction(float(b)))) / (2 * h))
                       for j in range(len(w))])
        wf = [Fraction(float(x)) for x in w]
        gb = float((J(wf, Fraction(float(b)) + h) - J(wf, Fraction(float(b)) - h)) / (2 * h))
        return _svm_value(w, b, X, y, lam), gw, gb
    J = lambda w_, b_: _svm_value(w_, b_, X, y, lam, keep)
    gw = np.empty(len(w))
    for j in range(len(w)):
        e = np.zeros(len(w))
        e[j] = h
        gw[j] = (J(w + e, b) - J(w - e, b)) / (2 * h)
    gb = (J(w, float(b) + h) - J(w, float(b) - h)) / (2 * h)
    return _svm_value(w, b, X, y, lam), gw, gb


def _svm_compare(out, expected, args):
    J, gw, gb = expected
    scale = 1.0 + abs(J)
    return _compare_parts(("J", "grad_w", "grad_b"), out, expected,
                          [(1e-9, 1e-12), (1e-7, 1e-8 * scale), (1e-7, 1e-8 * scale)])


def _svm_input(rng, i):
    """(w, b, X, y, lam): corners first — integer data with examples exactly on the margin, λ = 0,
    one example, every example beyond the margin, d = 1, int b and λ; then N = 1–15, d = 1–5,
    margins kept at least 0.01 away from 1."""
    corners = [
        (np.array([1.0, 1.0]), 0.0, np.array([[1, 0], [0, 1], [2, 2], [-1, 0], [1, -1]]),
         np.array([1, 1, 1, -1, 1]), 0.5),
        (np.array([0.5, -0.5]), 0.5, np.array([[1, 0], [3, 2], [0, -1], [2, 2]]),
         np.array([1, 1, -1, -1]), 0.0),
        (np.array([2.0]), -1.0, np.array([[1], [0], [2], [-1], [1]]),
         np.array([1, -1, 1, -1, -1]), 1),
        (np.array([1.0, 1.0]), 0.0, np.array([[2, 0], [0, 3], [-2, -2]]), np.array([1, 1, -1]),
         0.2),
        (np.array([0.25, 0.5, -0.5]), 1.0, np.array([[3, -1, 2]]), np.array([-1]), 0),
        (np.array([0.0, 0.0]), 0.0, np.array([[1, 2], [3, 4]]), np.array([1, -1]), 0.1),
        (np.array([1.0, 2.0]), 1, np.array([[0, 0]]), np.array([1]), 0.1),
        (np.array([1.0, -0.5]), 2.0 ** -28, np.array([[1, 0], [0, 2], [2, 2], [-1, 0]]),
         np.array([1, -1, 1, -1]), 0.1),
    ]
    if i < len(corners):
        return corners[i]
    N, d = int(rng.integers(1, 16)), int(rng.integers(1, 6))
    lam = float(rng.choice([0.0, 0.01, 0.1, 1.0, 2.0]))
    if i % 6 == 1:
        lam = int(rng.integers(0, 3))
    X = rng.normal(0, float(rng.choice([0.5, 1.0, 3.0])), (N, d))
    if i % 4 == 2:
        X = np.round(X * 2).astype(np.int64)
    y = rng.choice([-1, 1], size=N).astype(np.int64)
    if i % 9 == 5:
        y[:] = 1                                     # one class only
    w = rng.normal(0, float(rng.choice([0.3, 1.0, 2.0])), d)
    for _ in range(100):                             # keep every margin away from the kink
        b = float(rng.normal(0, 1))
        m = y * _scores(w, b, X)
        if np.all(np.abs(1 - m) >= 0.01):
            break
    else:
        b = float(rng.normal(0, 1)) + 1e3            # all far beyond or far inside
    return w, b, X, y, lam


# a probe with examples on both sides of the margin and two exactly on it
_SVM_PROBE = (np.array([1.0, 0.5]), -0.5,
              np.array([[1, 1], [2, -2], [0, 3], [-1, 1], [2, 1], [1, -2]]),
              np.array([1, -1, 1, -1, 1, -1]), 0.3)


def _svm_variant(w, b, X, y, lam, *, nomax=False, sign=1.0, le=False, per_violator=False,
                 total=False, reg_b=False, reg_factor=0.5, reg_grad=True, margin=1.0,
                 reg_in_J=True):
    """The objective and subgradient with one mistake switched on (for recognising mistakes)."""
    w = np.asarray(w, dtype=float)
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    m = y * _scores(w, b, X)
    if nomax:
        terms, active = margin - m, np.ones(len(y), bool)
    else:
        terms = np.maximum(0.0, margin - m)
        active = m <= margin if le else m < margin
    n = max(int(active.sum()), 1) if per_violator else len(y)
    n = 1 if total else n
    reg = reg_factor * lam * (w @ w + (float(b) ** 2 if reg_b else 0.0))
    J = (reg if reg_in_J else 0.0) + terms.sum() / (1 if total else len(y))
    gw = (2 * reg_factor * lam * w if reg_grad else 0.0) \
        - sign * (y[active, None] * X[active]).sum(axis=0) / n
    gb = (2 * reg_factor * lam * float(b) if reg_b else 0.0) - sign * y[active].sum() / n
    return J, gw, gb


def check_svm_objective(fn):
    """svm_objective(w, b, X, y, lam) → (J, grad_w, grad_b) with
    J = λ/2 ‖w‖² + (1/N) Σ max(0, 1 − y_i(x_i·w + b)) and the subgradient
    grad_w = λw − (1/N) Σ_{y_i f_i < 1} y_i x_i, grad_b = −(1/N) Σ_{y_i f_i < 1} y_i.

    Catches: the hinge without max(0, ·), the subgradient's sign flipped, examples exactly on
    the margin counted (≤ instead of <), the mean taken over the violators only, sums instead of
    means, the bias regularised, λ‖w‖² without the ½ (or its gradient doubled), the
    regulariser's gradient forgotten, the regulariser missing from J, the perceptron's
    max(0, −y f) (margin 0). A case with margins 1 ± 2⁻³⁰ catches a tolerance around the kink
    (np.isclose). Sweep: definition + central differences (module docstring)."""
    def parts(J, gw, gb):
        return lambda o: _compare_parts(("J", "grad_w", "grad_b"), o, (J, gw, gb),
                                        [(1e-9, 1e-12), (1e-9, 1e-12), (1e-9, 1e-12)])
    cases = [
        # f = [−0.5, 1]: hinge 1.5 and 2 → mean 1.75; λ/2‖w‖² = 0.05·0.5 = 0.025
        # grad_w = 0.1·[0.5, −0.5] − ½([1, 2] − [2, 0]) = [0.55, −1.05]; grad_b = −½(1 − 1) = 0
        Case("two examples, both violating: X = [[1, 2], [2, 0]], y = [1, −1], w = [0.5, −0.5], "
             "b = 0, λ = 0.1",
             (np.array([0.5, -0.5]), 0.0, np.array([[1, 2], [2, 0]]), np.array([1, -1]), 0.1),
             parts(1.775, [0.55, -1.05], 0.0)),
        # y·f = [1, 1, 4, 1, 0]: only the last violates (hinge 1); J = 0.25·2 + 1/5 = 0.7
        # grad_w = 0.5·[1, 1] − ⅕·[1, −1] = [0.3, 0.7]; grad_b = −⅕
        Case("three examples exactly on the margin (y·f = 1) and one violator, λ = 0.5",
             _svm_input(None, 0), parts(0.7, [0.3, 0.7], -0.2),
             hint="an example with y·f exactly 1 has hinge value 0 and, by the exercise's "
                  "convention, slope 0: count only y·f < 1."),
        # f = 0.75 − 0.5 − 1 + 1 = 0.25, y f = −0.25: hinge 1.25; grad_w = −(−1)[3, −1, 2]
        Case("one example, λ = 0 (the int 0), w = [0.25, 0.5, −0.5], b = 1",
             _svm_input(None, 4), parts(1.25, [3.0, -1.0, 2.0], 1.0)),
        # y·f = [2, 3, 4]: all beyond the margin; J = 0.1·2 = 0.2, grad_w = λw, grad_b = 0
        Case("every example beyond the margin, λ = 0.2", _svm_input(None, 3),
             parts(0.2, [0.2, 0.2], 0.0)),
        # f = [2.5, 1.5, 2], y·f = [2.5, −1.5, −2]: hinge [0, 2.5, 3], mean 11/6; ½·0.25 = 0.125
        # grad_w = 0.5 − ⅓((−1)(−1) + (−1)·0) = 1/6; grad_b = −⅓(−1 − 1) = 2/3
        Case("d = 1, int λ = 1 and int b = 2: X = [[1], [−1], [0]], y = [1, −1, −1], w = [0.5]",
             (np.array([0.5]), 2, np.array([[1], [-1], [0]]), np.array([1, -1, -1]), 1),
             parts(0.125 + 11 / 6, [1 / 6], 2 / 3)),
        # the bias alone puts the example on the margin: y·f = 1 → J = ½·0.1·5, grad = λw, 0
        Case("one example on the margin through the bias: x = (0, 0), y = 1, b = 1",
             _svm_input(None, 6), parts(0.25, [0.1, 0.2], 0.0)),
        # b = 2⁻³⁰: y·f = 1 + 2⁻³⁰ (beyond, barely) and 1 − 2⁻³⁰ (a violator, barely);
        # J = 0.25·1 + 2⁻³⁰/2; grad_w = 0.5·1 − ½·(−1)(−1) = 0; grad_b = −½·(−1) = ½
        Case("margins 1 ± 2⁻³⁰: one example barely beyond the margin, one barely violating it",
             (np.array([1.0]), 2.0 ** -30, np.array([[1], [-1]]), np.array([1, -1]), 0.5),
             parts(0.25 + 2.0 ** -31, [0.0], 0.5),
             hint="compare y·f < 1 exactly: a margin of 1 − 2⁻³⁰ is a (tiny) violation and "
                  "1 + 2⁻³⁰ is none; a tolerance such as np.isclose(y·f, 1) misreads both."),
        # w = 0, b = 0: y·f = 0 for both, hinge 1 each → J = 1; grad_w = −½([1, 2] − [3, 4])
        Case("w = 0 and b = 0: every example violates by 1", _svm_input(None, 5),
             parts(1.0, [1.0, 1.0], 0.0)),
    ]
    w0, b0, X0, y0, lam0 = _SVM_PROBE

    def gives(**flags):
        J, gw, gb = _svm_variant(w0, b0, X0, y0, lam0, **flags)
        J_ok, gw_ok, gb_ok = _svm_variant(w0, b0, X0, y0, lam0)
        probe_checks = []
        for got_idx, (wrong, right) in enumerate(((J, J_ok), (gw, gw_ok), (gb, gb_ok))):
            if not np.allclose(wrong, right):
                probe_checks.append((got_idx, wrong))

        def detect(f):
            o = _call(f, _SVM_PROBE, mutates=True)
            if not isinstance(o, (tuple, list)) or len(o) != 3:
                return False
            return bool(probe_checks) and all(_matches(o[k], v, 1e-9, 1e-12)
                                              for k, v in probe_checks)
        return detect

    mistakes = [
        Mistake("no max(0, ·)", gives(nomax=True),
                "the hinge is max(0, 1 − y·f): an example beyond the margin (y·f > 1) costs 0 "
                "and does not pull at all. Without the max its term 1 − y·f goes negative, so "
                "the loss rewards pushing easy examples ever further and every example pulls."),
        Mistake("subgradient sign flipped", gives(sign=-1.0),
                "the slope of max(0, 1 − y·f) with respect to f is −y for a violator, so its "
                "gradient with respect to w is −y·x (and −y for b): grad_w = λw − (1/N)Σ y_i x_i "
                "over the violators. Your sign makes a step go uphill."),
        Mistake("margin counted (≤)", gives(le=True),
                "an example exactly on the margin (y·f = 1) has hinge value 0 and, by the "
                "exercise's convention, slope 0: select the violators with y·f < 1, not ≤ 1."),
        Mistake("mean over the violators", gives(per_violator=True),
                "J averages over all N examples, so the hinge part of the gradient is divided "
                "by N as well — not by the number of violators."),
        Mistake("sums instead of means", gives(total=True),
                "J has (1/N) Σ: the mean of the hinge terms, and its gradient carries the same "
                "1/N."),
        Mistake("bias regularised", lambda f: gives(reg_b=True)(f)
                or _gb_has_lam_b(f),
                "the regulariser is λ/2 ‖w‖² — the bias b is not in it, so grad_b has no λb "
                "term and J no λb²/2."),
        Mistake("½ missing from λ/2 ‖w‖²", lambda f: gives(reg_factor=1.0)(f)
                or _gw_has_2lam(f),
                "the derivative of λ/2 ‖w‖² is λw (J has the ½; its gradient not a 2)."),
        Mistake("regulariser's gradient forgotten", gives(reg_grad=False),
                "J includes λ/2 ‖w‖², so grad_w includes its gradient λw."),
        Mistake("regulariser missing from J", gives(reg_in_J=False),
                "J = λ/2 ‖w‖² + mean hinge: the regulariser is part of the value too."),
        Mistake("perceptron loss (margin 0)", gives(margin=0.0),
                "the SVM's hinge is max(0, 1 − y·f), with margin 1: max(0, −y·f) is the "
                "perceptron's loss, which is happy as soon as an example is on the right side."),
    ]
    sweep = Sweep(_svm_input, _svm_oracle, _svm_compare, n=150, seed=18,
                  property="objective (definition) and subgradient (central differences of J)",
                  hint="with f = Xw + b and the violators V = {i : y_i f_i < 1}: "
                       "J = λ/2 ‖w‖² + mean(max(0, 1 − y f)), grad_w = λw − Σ_V y_i x_i / N, "
                       "grad_b = −Σ_V y_i / N.")
    return run_checks("svm_objective", fn, cases, mistakes, sweep=sweep, hint=sweep.hint)


def _gb_has_lam_b(f):
    """grad_b contains λb on the probe (J may be right)."""
    o = _call(f, _SVM_PROBE, mutates=True)
    if not isinstance(o, (tuple, list)) or len(o) != 3:
        return False
    w0, b0, _, _, lam0 = _SVM_PROBE
    _, _, gb = _svm_variant(*_SVM_PROBE)
    return _matches(o[2], gb + lam0 * b0)


def _gw_has_2lam(f):
    """grad_w contains 2λw on the probe (J may be right)."""
    o = _call(f, _SVM_PROBE, mutates=True)
    if not isinstance(o, (tuple, list)) or len(o) != 3:
        return False
    w0, _, _, _, lam0 = _SVM_PROBE
    _, gw, _ = _svm_variant(*_SVM_PROBE)
    return _matches(o[1], gw + lam0 * w0)


# ---------------------------------------------------------------------------------------------
# Exercise 3 · is a quadratic convex?
# ---------------------------------------------------------------------------------------------

_WORDS = ("strictly convex", "convex", "not convex")


def _label(D):
    """The answer from the signs on the diagonal of D (Sylvester's law of inertia)."""
    D = np.asarray(D, dtype=float)
    if np.any(D < 0):
        return "not convex"
    return "strictly convex" if np.all(D > 0) else "convex"


def _exact_det_nonzero(R):
    """det(R) ≠ 0 for an integer matrix, by Gaussian elimination in exact fractions."""
    M = [[Fraction(int(v)) for v in row] for row in np.asarray(R)]
    n = len(M)
    for c in range(n):
        p = next((r for r in range(c, n) if M[r][c] != 0), None)
        if p is None:
            return False
        M[c], M[p] = M[p], M[c]
        for r in range(c + 1, n):
            t = M[r][c] / M[c][c]
            M[r] = [a - t * b for a, b in zip(M[r], M[c])]
    return True


def _random_orthogonal(rng, n):
    Q, Rq = np.linalg.qr(rng.standard_normal((n, n)))
    return Q * np.sign(np.diag(Rq))[None, :]


def _spectrum(rng, n, kind):
    """n curvatures for the answer ``kind``; nonzero ones at least 1e-6 of the largest."""
    mags = 10 ** rng.uniform(-6, 0, n)
    if kind == "strictly convex":
        return mags
    if kind == "convex":
        z = rng.integers(1, n + 1) if n > 1 else 1
        mags[rng.permutation(n)[:z]] = 0.0
        return mags
    signs = rng.choice([-1.0, 0.0, 1.0], n)
    signs[rng.integers(n)] = -1.0
    return signs * mags


def _convexity_input(rng, i):
    """Given((A,), answer). Corners first (n = 1, the zero matrix, a purely antisymmetric A, a
    singular rotated matrix, scales 1e±8), then alternately
    * floats: A = s·(Q diag(μ) Qᵀ + S), μ chosen (zeros exact, the others ≥ 1e-6 max|μ|), Q a
      random rotation, S antisymmetric with entries up to 10× the curvatures, s ∈ {1e−8, 1, 1e8};
    * integers: A = R D Rᵀ + S with R an integer matrix whose det ≠ 0 (checked exactly), D an
      integer diagonal and S integer antisymmetric — the answer is read off D."""
    corners = [([[3.0]], "strictly convex"), ([[0]], "convex"), ([[-0.5]], "not convex"),
               (np.zeros((4, 4)), "convex"), ([[0, 2], [-2, 0]], "convex"),
               ([[1, 4], [0, 1]], "not convex"), ([[1, 0], [4, 1]], "not convex")]
    if i < len(corners):
        A, answer = corners[i]
        return Given((np.array(A),), answer)
    n = int(rng.integers(1, 9))
    kind = _WORDS[i % 3]
    if i % 2:                                        # floats from a chosen spectrum
        mu = _spectrum(rng, n, kind)
        Q = _random_orthogonal(rng, n)
        top = float(np.abs(mu).max())
        K = rng.standard_normal((n, n)) * float(rng.choice([0.0, 1.0, 10.0])) * (top or 1.0)
        A = Q @ np.diag(mu) @ Q.T + (K - K.T) / 2
        scale = float(rng.choice([1e-8, 1.0, 1.0, 1e8]))
        return Given((A * scale,), _label(mu))
    for _ in range(50):
        R = rng.integers(-3, 4, (n, n))              # well conditioned (a float check only
        if _exact_det_nonzero(R) and np.linalg.cond(R) < 1e3:   # keeps λ's far from the tol)
            break
    else:
        R = np.eye(n, dtype=np.int64)
    D = {"strictly convex": rng.integers(1, 4, n), "convex": rng.integers(0, 3, n),
         "not convex": rng.integers(-2, 3, n)}[kind]
    if kind == "convex" and np.all(D > 0):
        D[rng.integers(n)] = 0
    if kind == "not convex" and not np.any(D < 0):
        D[rng.integers(n)] = -1
    H = R @ np.diag(D) @ R.T                         # the Hessian we want: inertia of D
    K = rng.integers(-4, 5, (n, n)) * int(rng.choice([1, 1, 10**6, 10**12]))
    if np.all(H.diagonal() % 2 == 0) and i % 4 == 0:
        A = np.triu(H, 1) + np.diag(H.diagonal() // 2)  # A + Aᵀ = H, odd entries possible
    else:
        A = H + (K - K.T)                            # A + Aᵀ = 2H
    return Given((A.astype(np.int64),), _label(D))


def _word_compare(out, expected, args):
    if isinstance(out, (np.ndarray, np.generic)) and np.ndim(out) == 0:
        out = out.item()
    if not isinstance(out, str):
        return f"expected the string {expected!r}, got {fmt(out)}"
    if out != expected:
        return f"expected {expected!r}, got {out!r}"
    return None


def check_quadratic_convexity(fn):
    """quadratic_convexity(A) → "strictly convex" | "convex" | "not convex" for f(x) = xᵀAx:
    its Hessian is A + Aᵀ, and the answer is the signs of that matrix's eigenvalues, counting
    |λ| ≤ 1e-10·max|λ| as zero.

    Catches: eigenvalues of A itself (A not symmetrised: np.linalg.eigvals, or eigvalsh, which
    reads one triangle only), the diagonal entries only, the determinant only, leading principal
    minors ≥ 0 (Sylvester's criterion, which holds for positive definite but not for
    semidefinite matrices), no tolerance, an absolute tolerance, a flat direction called strictly
    convex or not convex, the signs reversed, the zero matrix, booleans instead of the words;
    cases with odd integer entries (halves truncated in an integer Hessian) and a huge
    antisymmetric part (a tolerance taken from A's entries). Sweep: matrices built from a known
    answer (module docstring)."""
    rng = np.random.default_rng(18)
    rotated = [_random_orthogonal(rng, 3) for _ in range(4)]
    singular = [Q @ np.diag([0.0, 1.0, 2.0]) @ Q.T for Q in rotated]
    Q8 = _random_orthogonal(rng, 8)
    K8 = rng.standard_normal((8, 8)) * 30
    pd8 = Q8 @ np.diag(np.arange(1.0, 9.0)) @ Q8.T + (K8 - K8.T) / 2
    v = np.array([1.0, 2.0, 3.0]) / 7
    cases = [
        Case("A = diag(2, 3) (integers)", (np.array([[2, 0], [0, 3]]),), equal("strictly convex")),
        Case("A = diag(1, 0): flat along the second axis", (np.array([[1.0, 0.0], [0.0, 0.0]]),),
             equal("convex")),
        Case("A = diag(1, −1): the saddle x² − y²", (np.array([[1.0, 0.0], [0.0, -1.0]]),),
             equal("not convex")),
        Case("A = [[1, 4], [0, 1]] (not symmetric; both eigenvalues of A are 1)",
             (np.array([[1, 4], [0, 1]]),), equal("not convex"),
             hint="xᵀAx = x₁² + 4x₁x₂ + x₂²: its Hessian is A + Aᵀ = [[2, 4], [4, 2]], with "
                  "eigenvalues 6 and −2."),
        Case("A = [[0, 1], [−1, 0]] (antisymmetric: xᵀAx = 0 for every x)",
             (np.array([[0.0, 1.0], [-1.0, 0.0]]),), equal("convex")),
        Case("A = [[1, 3], [3, 1]] (positive diagonal)", (np.array([[1.0, 3.0], [3.0, 1.0]]),),
             equal("not convex")),
        Case("A = diag(−1, −2) (positive determinant)", (np.diag([-1.0, -2.0]),),
             equal("not convex")),
        Case("A = diag(0, −1) (leading principal minors 0 and 0)", (np.diag([0.0, -1.0]),),
             equal("not convex")),
        Case("the 3×3 zero matrix", (np.zeros((3, 3)),), equal("convex")),
        Case("n = 1: A = [[5]], [[0]] is next", (np.array([[5]]),), equal("strictly convex")),
        Case("n = 1: A = [[0]] (int)", (np.array([[0]]),), equal("convex")),
        Case("A = v vᵀ with v = (1, 2, 3)/7 (rank 1)", (np.outer(v, v),), equal("convex")),
        Case("a rotated diag(0, 1, 2): its zero eigenvalue computes as about ±1e-16",
             (singular[0],), equal("convex")),
        Case("1e-8 · diag(1e-3, 1): tiny, but both curvatures positive",
             (1e-8 * np.diag([1e-3, 1.0]),), equal("strictly convex")),
        Case("1e-8 · diag(1, −1e-3): tiny, and one curvature negative",
             (1e-8 * np.diag([1.0, -1e-3]),), equal("not convex")),
        Case("1e8 · (a rotated diag(0, 1, 2))", (1e8 * singular[1],), equal("convex")),
        Case("8×8: eigenvalues 1 … 8 plus a large antisymmetric part", (pd8,),
             equal("strictly convex")),
        Case("integers [[1, 3], [0, 1]]: the Hessian [[2, 3], [3, 2]] has eigenvalues 5 and −1",
             (np.array([[1, 3], [0, 1]]),), equal("not convex"),
             hint="(A + Aᵀ)/2 of an integer matrix has halves: computed into an integer array "
                  "(np.zeros_like(A)) they are truncated. Use A + A.T, or convert to float."),
        Case("integers [[0, 1], [0, 0]]: f = x₁x₂", (np.array([[0, 1], [0, 0]]),),
             equal("not convex")),
        Case("[[1, 1e11], [−1e11, 0.01]]: a huge antisymmetric part, Hessian diag(2, 0.02)",
             (np.array([[1.0, 1e11], [-1e11, 0.01]]),), equal("strictly convex"),
             hint="the antisymmetric part of A does not change xᵀAx at all: the tolerance is "
                  "relative to the Hessian's eigenvalues, not to the entries of A."),
    ]

    def ans(f, A):
        try:
            out = _call(f, (np.array(A),), mutates=True)
        except Exception:
            return None
        if isinstance(out, (np.ndarray, np.generic)) and np.ndim(out) == 0:
            out = out.item()
        return out

    right = lambda f, A, word: ans(f, A) == word
    basics = lambda f: (right(f, np.diag([1.0, 2.0]), "strictly convex")
                        and right(f, np.diag([1.0, -1.0]), "not convex")
                        and right(f, np.diag([1.0, 0.0]), "convex"))
    mistakes = [
        Mistake("not symmetrised",
                lambda f: ans(f, [[1, 4], [0, 1]]) in ("strictly convex", "convex")
                and right(f, [[1.0, 3.0], [3.0, 1.0]], "not convex"),
                "the Hessian of xᵀAx is A + Aᵀ, not A (notebook 7: ∇(xᵀAx) = (A + Aᵀ)x). The "
                "eigenvalues of a non-symmetric A are not curvatures (A = [[1, 4], [0, 1]] has "
                "eigenvalues 1 and 1, but xᵀAx = x₁² + 4x₁x₂ + x₂² is negative at (1, −1)), and "
                "np.linalg.eigvalsh reads only one triangle of its argument: symmetrise first, "
                "H = A + A.T."),
        Mistake("diagonal only", lambda f: ans(f, [[1.0, 3.0], [3.0, 1.0]]) == "strictly convex"
                and right(f, np.diag([-1.0, 2.0]), "not convex"),
                "the diagonal entries are the curvatures along the axes only: [[1, 3], [3, 1]] "
                "curves up along both axes but down along (1, −1). Use the eigenvalues of the "
                "Hessian."),
        Mistake("determinant only", lambda f: ans(f, np.diag([-1.0, -2.0])) in
                ("strictly convex", "convex") and right(f, np.diag([1.0, -2.0]), "not convex")
                and right(f, np.diag([1.0, 2.0]), "strictly convex"),
                "det > 0 does not mean convex: the determinant is the product of the "
                "eigenvalues, and two negative ones multiply to a positive number."),
        Mistake("leading principal minors", lambda f: ans(f, np.diag([0.0, -1.0])) == "convex"
                and right(f, np.diag([1.0, -1.0]), "not convex")
                and right(f, np.diag([1.0, 2.0]), "strictly convex"),
                "all leading principal minors > 0 proves positive definiteness (Sylvester), but "
                "minors ≥ 0 do not prove semidefiniteness: diag(0, −1) has minors 0 and 0 and "
                "curves down. Use the eigenvalues."),
        Mistake("signs reversed", lambda f: ans(f, np.diag([1.0, 2.0])) == "not convex"
                and ans(f, np.diag([-1.0, -2.0])) == "strictly convex",
                "convex means curving up: every eigenvalue of the Hessian ≥ 0 (> 0 for strictly "
                "convex); negative eigenvalues are a concave direction."),
        Mistake("flat called strictly convex", lambda f: ans(f, np.diag([1.0, 0.0]))
                == "strictly convex" and right(f, np.diag([1.0, -1.0]), "not convex"),
                "a zero eigenvalue is a flat direction: f = x₁² is convex but not strictly (the "
                "chord between (0, 0) and (0, 1) lies on the graph). 'strictly convex' needs "
                "every eigenvalue > 0 (beyond the tolerance)."),
        Mistake("flat called not convex", lambda f: ans(f, np.diag([1.0, 0.0])) == "not convex"
                and right(f, np.diag([1.0, 2.0]), "strictly convex"),
                "a zero eigenvalue (a flat direction) does not break convexity: convex needs "
                "every eigenvalue ≥ 0, and the answer is then 'convex'."),
        Mistake("zero matrix", lambda f: ans(f, np.zeros((2, 2))) != "convex"
                and right(f, np.diag([1.0, 0.0]), "convex"),
                "for the zero matrix every eigenvalue is 0 and the largest |λ| is 0 too: with "
                "the rule |λ| ≤ 1e-10·max|λ| they all count as zero, so f ≡ 0 is 'convex'. "
                "Compare with ≤ (not <), and don't divide by max|λ|."),
        Mistake("no tolerance", lambda f: basics(f)
                and right(f, np.diag([0.0, 1.0, 2.0]), "convex")
                and any(ans(f, S) != "convex" for S in singular),
                "a zero eigenvalue comes out of np.linalg.eigvalsh as about ±1e-16, not 0: treat "
                "|λ| ≤ 1e-10·max|λ| as zero, as the exercise says."),
        Mistake("absolute tolerance", lambda f: basics(f)
                and right(f, np.diag([1e-3, 1.0]), "strictly convex")
                and (ans(f, 1e-8 * np.diag([1e-3, 1.0])) != "strictly convex"
                     or ans(f, 1e-8 * np.diag([1.0, -1e-3])) != "not convex"
                     or ans(f, 1e8 * singular[1]) != "convex"),
                "the tolerance must scale with the matrix: multiplying A by 10⁸ or 10⁻⁸ does not "
                "change the answer. Use |λ| ≤ 1e-10·max|λ|, not a fixed |λ| ≤ 1e-10."),
        Mistake("not one of the three strings",
                lambda f: ans(f, np.diag([1.0, 2.0])) not in _WORDS
                or ans(f, np.diag([1.0, 0.0])) not in _WORDS,
                "return exactly one of the strings 'strictly convex', 'convex' or 'not convex' "
                "(not a boolean)."),
    ]
    sweep = Sweep(_convexity_input, None, _word_compare, n=150, seed=18,
                  property="answer (the matrix built as R D Rᵀ + antisymmetric, read off D)",
                  hint="λ = np.linalg.eigvalsh(A + A.T); zero means |λ| ≤ 1e-10·max|λ|; "
                       "any λ below that → 'not convex', all above → 'strictly convex', "
                       "otherwise 'convex'.")
    return run_checks("quadratic_convexity", fn, cases, mistakes, sweep=sweep, hint=sweep.hint)
