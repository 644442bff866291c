"""Checkers for notebook 27: uncertainty and calibration.

Each lists its hand-picked cases (expected values worked out by hand in the comments) and the
classic mistakes it recognises, then runs a seeded sweep — degenerate corners first — against an
oracle that is not a reference solution:

* ``check_expected_calibration_error`` computes the ECE in exact rational arithmetic: every float
  confidence is read exactly as a ``Fraction``, its bin is the exact ceiling b = max(1, ⌈c·M⌉)
  (so (b − 1)/M < c ≤ b/M, and c = 0 joins bin 1), and the weighted sum of the gaps is exact,
  rounded to a float once at the end;
* ``check_posterior_predictive`` uses the *function-space* (Gaussian-process) form of the same
  predictive distribution, in mpmath at 50 digits: with K = τ² X Xᵀ and k* = τ² X x*,
  μ* = k*ᵀ (K + σ² I)⁻¹ y and v* = σ² + τ² x*ᵀx* − k*ᵀ (K + σ² I)⁻¹ k* — an N × N system
  where the learner solves a D × D one (for N = 0: μ* = 0, v* = σ² + τ² ‖x*‖²);
* ``check_uncertainty_decomposition`` computes every entropy in mpmath (0 · ln 0 = 0), the mean
  prediction p̄ from the exact sum of the members, and the epistemic part as the difference of the
  two high-precision entropies;
* ``check_accuracy_coverage`` counts, threshold by threshold, with plain Python loops and integer
  counts straight from the definition (coverage = #answered / N, accuracy = #right among them /
  #answered, nan when nothing is answered).
"""
import math
from fractions import Fraction

import mpmath
import numpy as np

from .core import Case, Mistake, Sweep, _call, fmt, run_checks
from .core import as_array as _arr, matches as _matches

__all__ = ["check_expected_calibration_error", "check_posterior_predictive",
           "check_uncertainty_decomposition", "check_accuracy_coverage"]

_EPS = np.finfo(float).eps


# ---------------------------------------------------------------------------------------------
# shared: reading the learner's result
# ---------------------------------------------------------------------------------------------

def _parts(out, count, names):
    """The learner's tuple of ``count`` results, or a message."""
    if not isinstance(out, (tuple, list)) or len(out) != count:
        return None, f"return a tuple of {count} arrays ({', '.join(names)}), got {fmt(out)}"
    return list(out), None


def _vector(got, expected, name, rtol, atol, nan_where=None):
    """None if ``got`` is a float ndarray of expected's shape whose entries are within
    ``atol + rtol·|expected|`` (atol may be an array) — nan exactly where ``nan_where`` says, and
    nowhere else — else a message naming the component, the entry, expected and got."""
    expected = np.asarray(expected, dtype=float)
    if not isinstance(got, np.ndarray):
        return f"{name}: expected a NumPy float array of shape {expected.shape}, got {fmt(got)}"
    if got.dtype.kind != "f":
        return (f"{name}: expected a float array, got dtype {got.dtype} ({fmt(got)}) — "
                f"make it float, e.g. np.array(…, dtype=float)")
    if got.shape != expected.shape:
        return f"{name}: expected shape {expected.shape}, got shape {got.shape} ({fmt(got)})"
    got = got.astype(float)
    nan_where = np.zeros(expected.shape, bool) if nan_where is None else nan_where
    if np.any(~np.isfinite(got) & ~nan_where):
        k = _first(~np.isfinite(got) & ~nan_where)
        return (f"{name}: expected {fmt(expected[k])} at index {_ix(k)}, got {fmt(got[k])}"
                + _whole(expected, got))
    if np.any(nan_where & ~np.isnan(got)):
        k = _first(nan_where & ~np.isnan(got))
        return (f"{name}: expected nan at index {_ix(k)}, got {fmt(got[k])}"
                + _whole(expected, got))
    err = np.where(nan_where, 0.0, np.abs(got - expected))
    tol = np.asarray(atol, dtype=float) + rtol * np.abs(np.where(nan_where, 0.0, expected))
    if np.any(err > tol):
        ratio = err / np.maximum(tol, 1e-300)
        k = tuple(int(j) for j in np.unravel_index(int(np.argmax(ratio)), ratio.shape))
        return (f"{name}: expected {fmt(expected[k], digits=10)} at index {_ix(k)}, got "
                f"{fmt(got[k], digits=10)}" + _whole(expected, got))
    return None


def _first(mask):
    return tuple(int(i) for i in np.argwhere(mask)[0])


def _ix(k):
    return k[0] if len(k) == 1 else k


def _whole(expected, got):
    if expected.size <= 8:
        return f" (expected {fmt(expected)}, got {fmt(got)})"
    return ""


def _nan_equal(got, expected, rtol=1e-9, atol=1e-12):
    """For detectors: ``got`` has expected's shape, nan exactly where expected is nan, close
    elsewhere; never raises."""
    try:
        got, expected = _arr(got), np.asarray(expected, dtype=float)
    except (TypeError, ValueError):
        return False
    if got.shape != expected.shape or not np.array_equal(np.isnan(got), np.isnan(expected)):
        return False
    ok = ~np.isnan(expected)
    return bool(np.all(np.isfinite(got[ok]))) and bool(
        np.allclose(got[ok], expected[ok], rtol=rtol, atol=atol))


# ---------------------------------------------------------------------------------------------
# Exercise 1 · expected calibration error
# ---------------------------------------------------------------------------------------------

def _ece_oracle(confidences, correct, n_bins=10):
    """Σ_b (|B_b|/N)·|acc_b − conf_b| in exact rationals; bin b = max(1, ⌈c·M⌉) of each exact
    confidence (module docstring)."""
    M = int(n_bins)
    conf = [Fraction(float(c)) for c in np.asarray(confidences).ravel().tolist()]
    right = [1 if bool(r) else 0 for r in np.asarray(correct).ravel().tolist()]
    bins = {}
    for c, r in zip(conf, right):
        bins.setdefault(max(1, math.ceil(c * M)), []).append((c, r))
    total = Fraction(0)
    for members in bins.values():
        n = len(members)
        acc = Fraction(sum(r for _, r in members), n)
        mean_conf = sum((c for c, _ in members), Fraction(0)) / n
        total += Fraction(n, len(conf)) * abs(acc - mean_conf)
    return float(total)


def _ece_variant(conf, correct, M, *, bins="right", zero="keep", norm="all", gap="abs",
                 total="weighted"):
    """The ECE with one mistake switched on (bin indices still exact, for recognising it)."""
    groups = {}
    for c, r in zip(np.asarray(conf, float).tolist(), np.asarray(correct).tolist()):
        x = Fraction(c) * M
        if bins == "right":
            b = math.ceil(x)
            if b == 0:
                if zero == "drop":
                    continue
                b = 1
        else:                                   # left-closed [(b − 1)/M, b/M)
            b = math.floor(x) + 1
            if b == M + 1:
                if bins == "left-drop":
                    continue
                if bins == "left-clip":
                    b = M
        groups.setdefault(b, []).append((c, 1.0 if r else 0.0))
    n_all = len(conf) if norm == "all" else sum(len(g) for g in groups.values())
    parts = []
    for g in groups.values():
        acc = sum(r for _, r in g) / len(g)
        mc = sum(c for c, _ in g) / len(g)
        d = {"abs": abs(acc - mc), "signed": acc - mc, "neg": mc - acc,
             "square": (acc - mc) ** 2}[gap]
        parts.append((len(g), d))
    if total == "max":
        return max(d for _, d in parts)
    if total == "mean":
        return sum(d for _, d in parts) / len(parts)
    if total == "mean over all bins":
        return sum(d for _, d in parts) / M
    return sum(n / n_all * d for n, d in parts)


def _ece_compare(out, expected, args=None):
    """One float, |got − expected| ≤ 1e-12 + 1e-9·expected. The floor: each gap acc_b − conf_b
    is a difference of numbers ≤ 1 computed in float64 (an error of a few 1e-16), and the ECE of
    a perfectly calibrated set is exactly 0 — 1e-12 is 1000× what a float64 solution loses."""
    if isinstance(out, np.ndarray) and out.ndim == 0:
        out = out[()]
    if isinstance(out, (bool, np.bool_)) or not isinstance(out, (float, np.floating)):
        if isinstance(out, np.ndarray):
            return (f"expected one float, got an array of shape {out.shape} ({fmt(out)}) — "
                    f"return the sum over the bins, a single number")
        return f"expected a float, got {fmt(out)} ({type(out).__name__})"
    got = float(out)
    if not math.isfinite(got):
        return f"expected {fmt(expected, digits=10)}, got {fmt(got)}"
    if abs(got - expected) > 1e-12 + 1e-9 * abs(expected):
        return f"expected {fmt(expected, digits=10)}, got {fmt(got, digits=10)}"
    return None


_DYADIC_M = (1, 2, 4, 8, 16)


def _ece_input(rng, i):
    """Corners first — M = 1, M > N, N = 1, all confidences 1.0, all 0.0, confidences on the bin
    edges, every bin empty but one, bool and 0/1 labels — then random sets: uniform confidences,
    confidences bunched near 1 (as a real classifier's are) with exact 0s and 1s mixed in, and
    confidences exactly on the edges k/M. Edge values are only ever used with M a power of two,
    where k/M is a float exactly: for M = 10 the float 0.1 lies *above* 1/10 and the statement's
    rule puts it in bin 2, which no float64 solution could be blamed for missing."""
    f = lambda v: np.array(v, dtype=float)
    b = lambda v: np.array(v, dtype=bool)
    n = lambda v: np.array(v, dtype=np.int64)
    corners = [
        (f([0.9, 0.6, 0.3]), b([1, 1, 0]), 1),
        (f([0.15, 0.95]), n([0, 1]), 10),
        (f([0.7]), b([0]), 5),
        (f([0.05]), n([1]), 1),
        (f([1.0, 1.0, 1.0]), b([1, 0, 1]), 4),
        (f([0.0, 0.0, 0.0, 0.0]), n([0, 0, 1, 0]), 3),
        (f([0.25, 0.5, 0.5, 0.75, 1.0, 0.0]), b([1, 0, 1, 1, 0, 0]), 4),
        (f([0.3, 0.31, 0.33, 0.35]), n([1, 1, 0, 0]), 8),
        (f([0.125, 0.375, 0.625, 0.875, 1.0]), b([0, 0, 1, 1, 1]), 8),
        (f([0.5, 0.5]), n([1, 0]), 2),
    ]
    if i < len(corners):
        return corners[i]
    N = int(rng.integers(1, 61))
    kind = i % 3
    if kind == 0:                                   # uniform confidences, any M
        M = int(rng.integers(1, 21))
        conf = rng.random(N)
    elif kind == 1:                                 # bunched near 1, exact 0s and 1s
        M = int(rng.integers(1, 21))
        conf = 1 - rng.random(N) ** 3 * rng.uniform(0.1, 1.0)
        conf[rng.random(N) < 0.1] = 1.0
        conf[rng.random(N) < 0.05] = 0.0
    else:                                           # on the edges k/M (and half-way), M = 2^j
        M = int(rng.choice(_DYADIC_M))
        conf = rng.integers(0, 2 * M + 1, N) / (2 * M)
    correct = rng.random(N) < np.clip(conf + rng.uniform(-0.3, 0.3), 0, 1)
    return (conf, correct if i % 2 else correct.astype(np.int64), M)


# the probe for recognising mistakes (M = 8): c = 0, confidences on the edges 1/8, 4/8 and 6/8,
# two 1.0s, gaps of both signs, three empty bins (2, 3 and 7), and no value on an edge of 7 or 9
# bins (so the M ± 1 variants are well defined in float too). Chosen so that the right ECE and
# every mistake's value lie at least 0.005 apart (a test checks it).
_ECE_PROBE = (np.array([0.0, 0.125, 0.39, 0.46, 0.5, 0.5, 0.51, 0.75, 0.91, 1.0, 1.0]),
              np.array([1, 0, 0, 0, 1, 0, 1, 0, 1, 1, 0], dtype=bool), 8)


def check_expected_calibration_error(fn):
    """expected_calibration_error(confidences, correct, n_bins=10) → the ECE, a float:
    Σ_b (|B_b|/N)·|acc_b − conf_b| over M right-closed bins ((b − 1)/M, b/M], the first also
    holding c = 0; ``correct`` bool or 0/1.

    Catches: the unweighted mean of the gaps (over the non-empty bins, or over all M), the signed
    gap, left-closed bins [(b − 1)/M, b/M) (c = 1 dropped, put in an (M + 1)-th bin, or clipped
    into bin M — and confidences on an edge put in the next bin), c = 0 dropped, the squared gap,
    the maximum gap (the MCE), M + 1 or M − 1 bins, the input changed in place, an integer or
    array result. Sweep: the exact rational definition (module docstring)."""
    conf0, ok0, M0 = _ECE_PROBE

    def out(f, *args):
        return _call(f, args or _ECE_PROBE)

    def gives(**variant):
        def detect(f):
            return _matches(out(f), _ece_variant(conf0, ok0, M0, **variant))
        return detect

    def bins_off_by_one(f):
        return any(_matches(out(f), _ece_variant(conf0, ok0, m)) for m in (M0 + 1, M0 - 1))

    mistakes = [
        Mistake("unweighted mean over non-empty bins", gives(total="mean"),
                "weight each bin's gap by the fraction of the predictions in it, |B_b| / N: a "
                "bin holding 1 prediction must count less than a bin holding 100. ECE = "
                "Σ_b (|B_b|/N)·|acc_b − conf_b|, a sum, not a mean of the gaps."),
        Mistake("unweighted mean over all bins", gives(total="mean over all bins"),
                "dividing the sum of the gaps by M treats every bin alike, even the empty ones. "
                "Weight each bin's gap by |B_b| / N instead (empty bins then add 0)."),
        Mistake("signed gap", lambda f: gives(gap="signed")(f) or gives(gap="neg")(f),
                "take the absolute value of each bin's gap, |acc_b − conf_b|: an over-confident "
                "bin and an under-confident one must not cancel."),
        Mistake("left-closed bins", lambda f: any(gives(bins=v, norm=n)(f) for v in (
            "left-drop", "left-extra", "left-clip") for n in ("all", "kept")),
                "the bins are right-closed: bin b holds (b − 1)/M < c ≤ b/M, so c = 1 belongs to "
                "the last bin and a confidence on an edge (0.5 with M = 4) to the bin it closes "
                "— not the next one. np.floor(c·M) gives left-closed bins [(b − 1)/M, b/M); use "
                "b = ⌈c·M⌉ (np.ceil), with c = 0 in bin 1, or np.digitize(…, right=True)."),
        Mistake("c = 0 dropped", lambda f: gives(zero="drop")(f) or gives(zero="drop",
                                                                          norm="kept")(f),
                "a confidence of exactly 0 belongs to the first bin (the statement says so): "
                "with b = ⌈c·M⌉ it gets b = 0 — use max(1, ⌈c·M⌉)."),
        Mistake("squared gap", gives(gap="square"),
                "the gap is |acc_b − conf_b|, not its square (that is closer to a Brier-style "
                "score)."),
        Mistake("maximum gap (MCE)", gives(total="max"),
                "that is the maximum calibration error, max_b |acc_b − conf_b|. The ECE is the "
                "weighted *sum* Σ_b (|B_b|/N)·|acc_b − conf_b|."),
        Mistake("M + 1 or M − 1 bins", bins_off_by_one,
                "use exactly M = n_bins bins of width 1/M: the edges are 0, 1/M, …, M/M = 1 — "
                "M + 1 edges (np.linspace(0, 1, M + 1)) but M bins."),
    ]

    def ece(conf, correct, M=None):
        args = (np.array(conf, dtype=float), np.array(correct)) + (() if M is None else (M,))
        return args

    cases = [
        # M = 3: (0, 1/3] holds 0.2, 0.3 (acc 1/2, conf 0.25, gap 0.25, weight 2/5 → 0.1); (1/3,
        # 2/3] is empty; (2/3, 1] holds 0.9, 0.8, 0.95 (acc 2/3, conf 0.88333, gap 0.216667,
        # weight 3/5 → 0.13): ECE = 0.23
        Case("three bins, the middle one empty", ece([0.2, 0.3, 0.9, 0.8, 0.95],
                                                     [True, False, True, False, True], 3),
             lambda o: _ece_compare(o, 0.23)),
        Case("the same with correct as 0/1 integers", ece([0.2, 0.3, 0.9, 0.8, 0.95],
                                                          np.array([1, 0, 1, 0, 1]), 3),
             lambda o: _ece_compare(o, 0.23)),
        # M = 4, right-closed: 0.25 → bin 1 (gap 0.75, w 1/6 → 0.125); 0.5, 0.5 → bin 2 (acc 1/2,
        # gap 0); 0.75 → bin 3 (gap 0.25 → 1/24); 1.0, 1.0 → bin 4 (acc 1/2, gap 1/2, w 1/3 → 1/6)
        # ECE = 1/8 + 1/24 + 1/6 = 1/3
        Case("confidences on the bin edges 0.25, 0.5, 0.75, 1 (M = 4)",
             ece([0.25, 0.5, 0.5, 0.75, 1.0, 1.0], [1, 1, 0, 1, 1, 0], 4),
             lambda o: _ece_compare(o, 1 / 3)),
        # M = 2: [0, 0.5] holds 0, 0, 0.1 (acc 1/3, conf 1/30, gap 0.3, w 3/4 → 0.225);
        # (0.5, 1] holds 0.6 (acc 1, gap 0.4, w 1/4 → 0.1): ECE = 0.325
        Case("confidence 0 belongs to the first bin", ece([0.0, 0.0, 0.1, 0.6], [0, 1, 0, 1], 2),
             lambda o: _ece_compare(o, 0.325)),
        # M = 1: |acc − mean conf| = |2/3 − 0.6|
        Case("M = 1: one bin", ece([0.9, 0.6, 0.3], [True, True, False], 1),
             lambda o: _ece_compare(o, 2 / 3 - 0.6)),
        # bin 2 holds 0.15 (acc 0, gap 0.15, w 1/2); bin 10 holds 0.95 (gap 0.05, w 1/2): 0.1
        Case("more bins than predictions (M = 10, N = 2)", ece([0.15, 0.95], [0, 1], 10),
             lambda o: _ece_compare(o, 0.1)),
        Case("one prediction, wrong at confidence 0.7", ece([0.7], [False], 5),
             lambda o: _ece_compare(o, 0.7)),
        # all in the last bin: acc 3/4, conf 1 → 0.25
        Case("every confidence 1.0", ece([1.0, 1.0, 1.0, 1.0], [1, 1, 1, 0], 10),
             lambda o: _ece_compare(o, 0.25)),
        # all in the first bin: acc 1/3, conf 0 → 1/3
        Case("every confidence 0", ece([0.0, 0.0, 0.0], [0, 0, 1], 4),
             lambda o: _ece_compare(o, 1 / 3)),
        # all in (0.25, 0.375]: acc 1/2, conf 0.3225 → 0.1775
        Case("every bin empty but one (M = 8)", ece([0.3, 0.31, 0.33, 0.35], [1, 1, 0, 0], 8),
             lambda o: _ece_compare(o, 0.1775)),
        # bin 1: 0.05 right (gap 0.95, w 1/4); bin 6: 0.55, 0.56 (acc 1/2, conf 0.555, gap 0.055,
        # w 1/2); bin 10: 0.99 right (gap 0.01, w 1/4): 0.2375 + 0.0275 + 0.0025 = 0.2675
        Case("the default n_bins = 10 (called with two arguments)",
             ece([0.05, 0.55, 0.56, 0.99], [True, False, True, True]),
             lambda o: _ece_compare(o, 0.2675)),
        # integer confidences: 0 → bin 1 (acc 1/2, conf 0, gap 1/2, w 1/2); 1 → bin 2 (acc 1/2,
        # conf 1, gap 1/2, w 1/2): 0.5 — an integer buffer for acc_b or conf_b rounds 1/2 to 0
        Case("integer confidences 0 and 1 (an int array)",
             (np.array([0, 0, 1, 1]), np.array([1, 0, 1, 0]), 2),
             lambda o: _ece_compare(o, 0.5)),
        # M = 1, confidences [1, 1] as ints, one right: |1/2 − 1| = 0.5
        Case("integer confidences, one bin", (np.array([1, 1]), np.array([1, 0]), 1),
             lambda o: _ece_compare(o, 0.5)),
        # 0.75 × 4 with 3 right, 0.5 × 2 with 1 right: every bin's accuracy equals its confidence
        Case("perfectly calibrated: ECE = 0", ece([0.75] * 4 + [0.5] * 2, [1, 1, 1, 0, 1, 0], 4),
             lambda o: _ece_compare(o, 0.0)),
    ]
    sweep = Sweep(_ece_input, _ece_oracle, _ece_compare, n=150, seed=27, property="ECE")
    return run_checks("expected_calibration_error", fn, cases, mistakes, sweep=sweep)


# ---------------------------------------------------------------------------------------------
# Exercise 2 · the posterior predictive of Bayesian linear regression
# ---------------------------------------------------------------------------------------------

_PP_DPS = 50


def _cholesky_solve(K, B):
    """Solve K Z = B for a symmetric positive-definite K (lists of mpf), B with several
    columns."""
    n = len(K)
    L = [[mpmath.mpf(0)] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1):
            s = K[i][j] - mpmath.fsum(L[i][k] * L[j][k] for k in range(j))
            L[i][j] = mpmath.sqrt(s) if i == j else s / L[j][j]
    cols = len(B[0]) if n else 0
    Z = [[mpmath.mpf(0)] * cols for _ in range(n)]
    for r in range(cols):
        for i in range(n):
            Z[i][r] = (B[i][r] - mpmath.fsum(L[i][k] * Z[k][r] for k in range(i))) / L[i][i]
        for i in reversed(range(n)):
            Z[i][r] = (Z[i][r] - mpmath.fsum(L[k][i] * Z[k][r] for k in range(i + 1, n))) / L[i][i]
    return Z


def _predictive_oracle(X, y, X_new, noise_var, prior_var, with_weights=False):
    """(μ*, v*) from the function-space form (module docstring), in mpmath at 50 digits; with
    ``with_weights`` also ‖m‖ = ‖τ² Xᵀ (K + σ² I)⁻¹ y‖ (for the tolerance on μ*)."""
    mpf = mpmath.mpf
    with mpmath.workdps(_PP_DPS):
        Xr = [[mpf(float(v)) for v in row] for row in np.asarray(X, dtype=float).tolist()]
        Xn = [[mpf(float(v)) for v in row] for row in np.asarray(X_new, dtype=float).tolist()]
        yv = [mpf(float(v)) for v in np.asarray(y, dtype=float).ravel().tolist()]
        s2, t2 = mpf(float(noise_var)), mpf(float(prior_var))
        D = np.asarray(X_new).shape[1]

        def dot(a, b):
            return mpmath.fsum(p * q for p, q in zip(a, b))

        N = len(Xr)
        K = [[t2 * dot(Xr[i], Xr[j]) + (s2 if i == j else 0) for j in range(N)]
             for i in range(N)]
        ks = [[t2 * dot(Xr[i], x) for i in range(N)] for x in Xn]
        Z = _cholesky_solve(K, [[yv[i]] + [k[i] for k in ks] for i in range(N)]) if N else []
        alpha = [Z[i][0] for i in range(N)]
        mean = [dot(k, alpha) for k in ks]
        var = [s2 + t2 * dot(x, x) - dot(k, [Z[i][m + 1] for i in range(N)])
               for m, (k, x) in enumerate(zip(ks, Xn))]
        out = (np.array([float(v) for v in mean], dtype=float),
               np.array([float(v) for v in var], dtype=float))
        if with_weights:
            w = [t2 * mpmath.fsum(Xr[i][d] * alpha[i] for i in range(N)) for d in range(D)]
            out += (float(mpmath.sqrt(dot(w, w))),)
    return out


def _cond_A(X, noise_var, prior_var):
    """The condition number of A = XᵀX/σ² + I/τ² from the singular values of X (float64: it
    sets a tolerance, never an answer)."""
    X = np.asarray(X, dtype=float)
    D = X.shape[1]
    sv = np.linalg.svd(X, compute_uv=False) if X.shape[0] else np.zeros(0)
    big = (float(sv.max()) ** 2 if sv.size else 0.0) / noise_var + 1 / prior_var
    small = (float(sv.min()) ** 2 if sv.size == D else 0.0) / noise_var + 1 / prior_var
    return big / small


def _pp_compare(out, expected, args):
    """(mean, var): float arrays (M,) within the accuracy a float64 solution of the D × D system
    reaches. Measured on the sweep with np.linalg.solve, np.linalg.inv and a Cholesky
    factorisation: |δv*| ≤ 2·ε·cond(A)·v* and |δμ*| ≤ 7·ε·cond(A)·‖x*‖‖m‖ (ε = 2.2e-16) — the
    D × D system loses cond(A) in accuracy, however it is solved. The tolerances are 50× and
    150× that, plus 1e-10 relative: v* ≥ σ² > 0 is compared relatively; μ* gets an absolute
    floor, since it can be ≈ 0 by cancellation (x* orthogonal to what the data determine)."""
    mean_e, var_e, w_norm = expected
    X, _, X_new, s2, t2 = args
    parts, problem = _parts(out, 2, ("mean", "var"))
    if problem:
        return problem
    cond = _cond_A(X, float(s2), float(t2))
    xn = np.linalg.norm(np.asarray(X_new, dtype=float), axis=1)
    return (_vector(parts[0], mean_e, "mean", 1e-10, 1e3 * _EPS * cond * xn * w_norm)
            or _vector(parts[1], var_e, "var", 1e-10 + 1e2 * _EPS * cond, 0.0))


def _pp_literal(args, mean, var):
    """An expect for a hand-worked case (the weight norm, for the tolerance, from the oracle)."""
    w_norm = _predictive_oracle(*args, with_weights=True)[2]
    return lambda o: _pp_compare(o, (np.array(mean, float), np.array(var, float), w_norm), args)


def _pp_input(rng, i):
    """Corners first — no data (N = 0), D = 1, D > N, integer X / y / X_new, a huge prior
    (τ² = 1e8) and a tiny noise (σ² = 1e-6), with D ≤ N and with D > N, both together with
    D ≤ N — then random problems with N = 0–10, D = 1–5, M = 1–4, σ² and τ² spread over several
    decades. Never τ² = 1e8 *and* σ² = 1e-6 with D > N: A = XᵀX/σ² + I/τ² then has a condition
    number near 1e15 and no float64 solution of the statement's formula is accurate."""
    f = lambda v: np.array(v, dtype=float)
    corners = [
        (np.zeros((0, 2)), np.zeros(0), f([[1, 2], [0, 0]]), 0.25, 4.0),
        (f([[1], [2]]), f([1, 3]), f([[0], [1], [3]]), 0.5, 2.0),
        (f([[1, 1, 0]]), f([2]), f([[1, 1, 0], [0, 0, 1], [1, -1, 0]]), 0.5, 2.0),
        (np.array([[1, 0], [1, 1], [1, 2]]), np.array([1, 2, 2]), np.array([[1, 3], [0, 1]]),
         1.0, 1.0),
        (f([[1, 0], [1, 1], [1, 2], [1, 3]]), f([0.9, 2.1, 2.9, 4.2]), f([[1, 1.5], [1, 10]]),
         0.3, 1e8),
        (f([[1, 0], [1, 1], [1, 2], [1, 3]]), f([0.9, 2.1, 2.9, 4.2]), f([[1, 1.5], [1, 10]]),
         1e-6, 1.0),
        (f([[1, 0], [1, 1], [1, 2], [1, 3]]), f([0.9, 2.1, 2.9, 4.2]), f([[1, 1.5], [1, 10]]),
         1e-6, 1e8),
        (f([[1, 2, 0.5]]), f([1.0]), f([[1, 2, 0.5], [0, 0, 1], [3, -1, 2]]), 0.7, 1e8),
        (f([[1, 2, 0.5], [0, 1, 1]]), f([1.0, -2.0]), f([[1, 2, 0.5], [0, 0, 1]]), 1e-6, 0.5),
        (np.zeros((0, 3), dtype=np.int64), np.zeros(0, dtype=np.int64),
         np.array([[1, -1, 2]]), 2.0, 0.5),
    ]
    if i < len(corners):
        return corners[i]
    N, D, M = int(rng.integers(0, 11)), int(rng.integers(1, 6)), int(rng.integers(1, 5))
    s2 = float(np.exp(rng.uniform(-4, 2)))
    t2 = float(np.exp(rng.uniform(-2, 4)))
    if i % 7 == 0:
        t2 = 1e8
    elif i % 7 == 3:
        s2 = 1e-6
    elif i % 7 == 5 and N >= D:
        s2, t2 = 1e-6, 1e8
    X = rng.standard_normal((N, D)) * rng.uniform(0.3, 3)
    y = X @ rng.standard_normal(D) + math.sqrt(s2) * rng.standard_normal(N)
    X_new = rng.standard_normal((M, D)) * rng.uniform(0.5, 4)
    if i % 5 == 0:                                              # integer data
        X, X_new = np.round(X).astype(np.int64), np.round(X_new).astype(np.int64)
        y = np.round(y).astype(np.int64)
    return (X, y, X_new, s2, t2)


def _pp_variant(X, y, X_new, s2, t2, *, data_scale=None, prior=None, rhs_scale=None,
                noise_in_var=True, ml_mean=False, std=False):
    """(mean, var) of the weight-space formulas with one mistake switched on."""
    X, y, Xn = (np.asarray(a, dtype=float) for a in (X, y, X_new))
    D = X.shape[1]
    data_scale = 1 / s2 if data_scale is None else data_scale
    prior = 1 / t2 if prior is None else prior
    rhs_scale = 1 / s2 if rhs_scale is None else rhs_scale
    A = X.T @ X * data_scale + prior * np.eye(D)
    S = np.linalg.inv(A)
    m = np.linalg.lstsq(X, y, rcond=None)[0] if ml_mean else S @ X.T @ y * rhs_scale
    var = np.einsum("md,de,me->m", Xn, S, Xn) + (s2 if noise_in_var else 0.0)
    return Xn @ m, np.sqrt(var) if std else var


# a probe: N = 5 > D = 2 (least squares unique), σ² = 0.5 and τ² = 2 (so σ ≠ σ², 1/τ² ≠ τ²,
# σ² ≠ τ², and no factor is 1)
_PP_PROBE = (np.array([[1.0, -0.5], [0.3, 1.2], [-1.1, 0.4], [0.8, 0.9], [2.0, -1.3]]),
             np.array([0.7, 1.9, -0.4, 2.2, -0.1]),
             np.array([[1.0, 1.0], [-2.0, 0.5], [0.0, 3.0]]), 0.5, 2.0)


def check_posterior_predictive(fn):
    """posterior_predictive(X, y, X_new, noise_var, prior_var) → (mean, var), float arrays (M,):
    the predictive mean x*ᵀm and variance σ² + x*ᵀΣx* of Bayesian linear regression with
    A = XᵀX/σ² + I/τ², Σ = A⁻¹, m = Σ Xᵀy/σ² (N = 0 allowed).

    Catches: the variance without σ² (the uncertainty about w only), the prior precision τ²
    instead of 1/τ², XᵀX without the /σ² (with or without it on Xᵀy), Xᵀy without the /σ²,
    σ² and τ² swapped, the maximum-likelihood (least-squares) mean, the standard deviation
    instead of the variance, noise_var or prior_var treated as a standard deviation (squared),
    inputs changed in place, integer results. Sweep: the function-space form (module
    docstring)."""
    X0, y0, Xn0, s20, t20 = _PP_PROBE

    def out(f):
        return _call(f, _PP_PROBE)

    def part(f, k):
        o = out(f)
        return o[k] if isinstance(o, (tuple, list)) and len(o) == 2 else None

    def mean_is(**variant):
        return lambda f: _matches(part(f, 0), _pp_variant(*_PP_PROBE, **variant)[0])

    def var_is(**variant):
        return lambda f: _matches(part(f, 1), _pp_variant(*_PP_PROBE, **variant)[1])

    def either(**variant):
        return lambda f: mean_is(**variant)(f) or var_is(**variant)(f)

    def params(noise, prior):                   # the right formulas with other σ², τ²
        mean, var = _pp_variant(X0, y0, Xn0, noise, prior)
        return lambda f: _matches(part(f, 0), mean) or _matches(part(f, 1), var)

    def as_std(f):
        return any(params(a, b)(f) for a, b in ((s20 ** 2, t20), (s20, t20 ** 2),
                                                  (s20 ** 2, t20 ** 2)))

    mistakes = [
        Mistake("variance without σ²", var_is(noise_in_var=False),
                "the predictive variance of a new *observation* y* = x*ᵀw + ε adds the noise: "
                "v* = σ² + x*ᵀΣx*. x*ᵀΣx* alone is the uncertainty about the mean x*ᵀw "
                "(it shrinks to 0 with data; v* never falls below σ²)."),
        Mistake("prior precision τ² instead of 1/τ²", either(prior=t20),
                "the prior w ~ N(0, τ² I) has precision I/τ²: A = XᵀX/σ² + I/τ² (a large prior "
                "variance means a weak prior, a small term in A)."),
        Mistake("XᵀX without /σ²", lambda f: either(data_scale=1.0)(f) or either(
            data_scale=1.0, rhs_scale=1.0)(f),
                "both data terms carry 1/σ²: A = XᵀX/σ² + I/τ² and m = Σ Xᵀy/σ². Dropping it "
                "from XᵀX weighs the data as if σ² = 1 against the prior."),
        Mistake("Xᵀy without /σ²", mean_is(rhs_scale=1.0),
                "the mean is m = Σ Xᵀy / σ² — with A's 1/σ² in Σ, the σ² cancels only if both "
                "are there."),
        Mistake("σ² and τ² swapped", params(t20, s20),
                "noise_var is σ², the noise of the observations (it divides XᵀX and Xᵀy and is "
                "added to v*); prior_var is τ², the prior variance of the weights (its "
                "inverse is added to A)."),
        Mistake("maximum-likelihood mean", mean_is(ml_mean=True),
                "that is the least-squares (maximum-likelihood) fit, with no prior. The "
                "posterior mean m = (XᵀX/σ² + I/τ²)⁻¹ Xᵀy/σ² is pulled towards 0 by the prior "
                "(ridge regression with λ = σ²/τ²)."),
        Mistake("standard deviation, not variance", var_is(std=True),
                "return the variance v* = σ² + x*ᵀΣx*, not its square root."),
        Mistake("noise_var or prior_var taken as a standard deviation", as_std,
                "noise_var and prior_var are already variances, σ² and τ²: use them as they "
                "are, without squaring."),
    ]

    f = lambda v: np.array(v, dtype=float)
    worked_1d = (f([[1], [2]]), f([1, 3]), f([[0], [1], [3]]), 0.5, 2.0)
    no_data = (np.zeros((0, 2)), np.zeros(0), f([[1, 2], [0, 0]]), 0.25, 4.0)
    ortho = (f([[2, 0], [0, 1]]), f([2, -1]), f([[1, 1], [0, 2]]), 2.0, 1.0)
    wide = (f([[1, 1, 0]]), f([2]), f([[1, 1, 0], [0, 0, 1], [1, -1, 0]]), 0.5, 2.0)
    ints = (np.array([[1, 0], [1, 1], [1, 2]]), np.array([1, 2, 2]), np.array([[1, 3], [0, 1]]),
            1.0, 1.0)
    line = (f([[1, 0], [1, 1], [1, 2], [1, 3]]), f([1, 2, 2, 4]), f([[1, 1.5], [1, 10]]))
    cases = [
        # D = 1: A = (1 + 4)/0.5 + 1/2 = 10.5, Σ = 2/21, m = Σ·(1 + 6)/0.5 = 4/3;
        # μ* = (0, 4/3, 4), v* = 0.5 + x*²·2/21 = (1/2, 25/42, 19/14)
        Case("one feature: X = [[1], [2]], y = [1, 3], σ² = 0.5, τ² = 2", worked_1d,
             _pp_literal(worked_1d, [0, 4 / 3, 4], [0.5, 25 / 42, 19 / 14])),
        # N = 0: the prior predictive, μ* = 0, v* = σ² + τ²‖x*‖² = 0.25 + 4·5, 0.25
        Case("no data yet (N = 0): the prior predictive", no_data,
             _pp_literal(no_data, [0, 0], [20.25, 0.25])),
        # A = diag(4/2 + 1, 1/2 + 1) = diag(3, 3/2), Xᵀy/σ² = (2, −1/2), m = (2/3, −1/3);
        # μ* = (1/3, −2/3), v* = 2 + 1/3 + 2/3 = 3 and 2 + 4·(2/3) = 14/3
        Case("two orthogonal data points, σ² = 2, τ² = 1", ortho,
             _pp_literal(ortho, [1 / 3, -2 / 3], [3.0, 14 / 3])),
        # D = 3 > N = 1 (function space: K = τ²·2 + σ² = 4.5): at x* = x₁, k* = 4, μ* = 4·2/4.5
        # = 16/9, v* = 0.5 + 4 − 16/4.5 = 17/18; along e₃ and (1, −1, 0) the data say nothing:
        # μ* = 0, v* = σ² + τ²‖x*‖² = 2.5 and 4.5
        Case("more weights than data (D = 3, N = 1)", wide,
             _pp_literal(wide, [16 / 9, 0, 0], [17 / 18, 2.5, 4.5])),
        # XᵀX = [[3, 3], [3, 5]], A = XᵀX + I = [[4, 3], [3, 6]], A⁻¹ = [[6, −3], [−3, 4]]/15,
        # Xᵀy = (5, 6), m = (12, 9)/15 = (0.8, 0.6): μ* = (0.8 + 1.8, 0.6) = (2.6, 0.6);
        # v* = 1 + (6 − 18 + 36)/15 = 2.6 and 1 + 4/15 = 19/15
        Case("integer X, y and X_new (the results are float arrays)", ints,
             _pp_literal(ints, [2.6, 0.6], [2.6, 19 / 15])),
        # least squares through (0, 1), (1, 2), (2, 2), (3, 4): intercept 0.9, slope 0.9, so
        # μ* ≈ (2.25, 9.9); (XᵀX)⁻¹ = [[14, −6], [−6, 4]]/20 gives v* ≈ σ²(1 + x*ᵀ(XᵀX)⁻¹x*)
        # = 0.3·(1.25, 15.7) = (0.375, 4.71) — all up to O(1/τ²) = 1e-8
        Case("a huge prior variance (τ² = 1e8): nearly least squares", line + (0.3, 1e8),
             lambda o: _pp_compare(o, _predictive_oracle(*line, 0.3, 1e8, with_weights=True),
                                   line + (0.3, 1e8))),
        # ridge with λ = σ²/τ² = 1e-6: μ* ≈ (2.25, 9.9) again, v* ≈ 1e-6·(1.25, 15.7)
        Case("a tiny noise variance (σ² = 1e-6)", line + (1e-6, 1.0),
             lambda o: _pp_compare(o, _predictive_oracle(*line, 1e-6, 1.0, with_weights=True),
                                   line + (1e-6, 1.0))),
    ]
    sweep = Sweep(_pp_input, lambda *a: _predictive_oracle(*a, with_weights=True), _pp_compare,
                  n=150, seed=27, property="predictive (mean, var)")
    return run_checks("posterior_predictive", fn, cases, mistakes, sweep=sweep)


# ---------------------------------------------------------------------------------------------
# Exercise 3 · total = aleatoric + epistemic
# ---------------------------------------------------------------------------------------------

_H_DPS = 30


def _decomposition_oracle(probs):
    """(total, aleatoric, epistemic) with every entropy in mpmath (module docstring)."""
    P = np.asarray(probs, dtype=float)
    S, N, K = P.shape
    mpf = mpmath.mpf
    with mpmath.workdps(_H_DPS):
        def H(row):
            return -mpmath.fsum(p * mpmath.log(p) for p in row if p != 0)

        rows = [[[mpf(v) for v in P[s, n].tolist()] for n in range(N)] for s in range(S)]
        total, alea, epi = [], [], []
        for n in range(N):
            mean = [mpmath.fsum(rows[s][n][k] for s in range(S)) / S for k in range(K)]
            t = H(mean)
            a = mpmath.fsum(H(rows[s][n]) for s in range(S)) / S
            total.append(float(t))
            alea.append(float(a))
            epi.append(float(t - a))
    return np.array(total), np.array(alea), np.array(epi)


# Tolerances (relative 1e-9 for all three, plus these absolute floors):
# total: p̄ itself is rounded in float64 (each entry within S·ε of its value), which moves H(p̄)
#   by ≈ Σ_k |1 + ln p̄_k|·δp̄_k — a few 1e-16 even when H(p̄) ≈ 0 (a nearly one-hot mean):
#   floor 1e-13.
# aleatoric: the members' rows are exact inputs; −Σ p ln p of them is accurate relative to its
#   value: floor 1e-15 (only for entropies that are 0 or within rounding of it).
# epistemic = total − aleatoric cancels when the members agree (two numbers ≈ ln K subtracted):
#   floor 1e-12, ≈ 1000× the rounding of the two sums.
_H_TOL = {"total": 1e-13, "aleatoric": 1e-15, "epistemic": 1e-12}


def _decomposition_compare(out, expected, args=None):
    parts, problem = _parts(out, 3, ("total", "aleatoric", "epistemic"))
    if problem:
        return problem
    for got, exp, name in zip(parts, expected, ("total", "aleatoric", "epistemic")):
        problem = _vector(got, exp, name, 1e-9, _H_TOL[name])
        if problem:
            return problem
    return None


def _simplex(rng, shape, concentration):
    g = rng.gamma(concentration, size=shape)
    g[g.sum(-1) == 0, 0] = 1.0                      # a row that underflowed entirely
    return g / g.sum(-1, keepdims=True)


def _decomposition_input(rng, i):
    """Corners first — S = 1 (epistemic 0), K = 1 (every entropy 0), exact zeros, a
    probability of 1e-300, one-hot members that disagree (epistemic = ln K), members that agree
    (epistemic 0 by cancellation), uniform rows (ln K), N = 1 — then random (S, N, K) up to
    (6, 6, 6) from Dirichlet distributions of varied concentration, some entries set to exactly 0
    and the rows renormalised."""
    f = lambda v: np.array(v, dtype=float)
    corners = [
        (f([[[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]]]),),                      # S = 1
        (np.ones((3, 2, 1)),),                                            # K = 1
        (f([[[1.0, 0.0], [0.5, 0.5]], [[0.0, 1.0], [0.5, 0.5]]]),),       # zeros; agree on row 1
        (f([[[1 - 1e-300, 1e-300, 0.0]], [[0.5, 0.5, 0.0]]]),),           # 1e-300
        (np.eye(4)[:, None, :].repeat(2, axis=1),),                        # one-hot, all differ
        (np.tile(f([[0.1, 0.6, 0.3], [0.25, 0.25, 0.5]]), (5, 1, 1)),),   # all members agree
        (np.full((2, 3, 5), 0.2),),                                       # uniform: ln 5
        (f([[[0.9, 0.1]], [[0.1, 0.9]], [[0.5, 0.5]]]),),                 # N = 1
        (f([[[1.0, 0.0, 0.0, 0.0]], [[1.0, 0.0, 0.0, 0.0]]]),),           # one-hot, agree: 0
    ]
    if i < len(corners):
        return corners[i]
    S, N, K = (int(rng.integers(1, 7)) for _ in range(3))
    P = _simplex(rng, (S, N, K), float(np.exp(rng.uniform(-2.5, 1.5))))
    if i % 3 == 0 and K > 1:                                 # exact zeros
        P[rng.random(P.shape) < 0.3] = 0.0
        empty = P.sum(-1) == 0
        P[empty, int(rng.integers(K))] = 1.0
        P = P / P.sum(-1, keepdims=True)
    if i % 4 == 1 and S > 1:                                  # members near one another
        base = _simplex(rng, (1, N, K), 1.0)
        P = 0.95 * base + 0.05 * P
        P = P / P.sum(-1, keepdims=True)
    return (P,)


def _entropy(p):
    """−Σ p ln p along the last axis (0 ln 0 = 0) of any non-negative array — also of the
    non-distributions a mistake produces (a sum over S), which dlmath.info.entropy refuses."""
    with np.errstate(all="ignore"):
        t = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    return -t.sum(-1)


# a probe: S = 3, N = 4, K = 5 (no two axes alike), exact zeros, members that disagree in every
# row (epistemic > 0 everywhere) and entropies that differ row by row
_DEC_PROBE = np.array([
    [[0.5, 0.3, 0.2, 0.0, 0.0], [0.1, 0.1, 0.1, 0.1, 0.6], [1.0, 0.0, 0.0, 0.0, 0.0],
     [0.2, 0.2, 0.2, 0.2, 0.2]],
    [[0.1, 0.6, 0.1, 0.1, 0.1], [0.0, 0.0, 0.5, 0.5, 0.0], [0.0, 1.0, 0.0, 0.0, 0.0],
     [0.4, 0.1, 0.1, 0.1, 0.3]],
    [[0.3, 0.3, 0.1, 0.2, 0.1], [0.6, 0.1, 0.1, 0.1, 0.1], [0.25, 0.25, 0.25, 0.25, 0.0],
     [0.05, 0.05, 0.8, 0.05, 0.05]],
])


def check_uncertainty_decomposition(fn):
    """uncertainty_decomposition(probs) → (total, aleatoric, epistemic), float arrays (N,), for
    probs (S, N, K): total = H(p̄ₙ), aleatoric = (1/S) Σ_s H(p_s,n), epistemic = total −
    aleatoric, entropies in nats with 0 · ln 0 = 0.

    Catches: total and aleatoric swapped (the mean of the entropies as "total"), log base 2,
    nan (or inf) at exact zeros, the mean over the wrong axis (N or K instead of S), the sum over
    S instead of the mean, the epistemic part with the wrong sign, entropies without the minus
    sign, probs changed in place. Sweep: mpmath entropies (module docstring)."""
    P0 = _DEC_PROBE
    S0 = P0.shape[0]
    total0, alea0 = _entropy(P0.mean(0)), _entropy(P0).mean(0)

    def out(f):
        o = _call(f, (P0,))
        return list(o) if isinstance(o, (tuple, list)) and len(o) == 3 else [None] * 3

    def gives(k, expected):
        return lambda f: _matches(out(f)[k], expected)

    def nonfinite(f):
        for part in out(f):
            try:
                a = _arr(part)
            except (TypeError, ValueError):
                continue
            if a.size and not np.all(np.isfinite(a)):
                return True
        return False

    def wrong_axis(f):
        shapes = set()
        for part in out(f):
            try:
                shapes.add(_arr(part).shape)
            except (TypeError, ValueError):
                pass
        alternatives = [(0, _entropy(P0.mean(1))), (1, _entropy(P0).mean(1))]
        return (S0,) in shapes or any(gives(k, v)(f) for k, v in alternatives)

    mistakes = [
        Mistake("total and aleatoric swapped",
                lambda f: gives(0, alea0)(f) and gives(1, total0)(f),
                "total is the entropy of the *mean* prediction, H(p̄ₙ) with p̄ₙ = (1/S) Σ_s p_s,n; "
                "aleatoric is the *mean of the entropies*, (1/S) Σ_s H(p_s,n). The entropy of "
                "the average is the larger (H is concave), so epistemic = total − aleatoric ≥ 0."),
        Mistake("log base 2", lambda f: gives(0, total0 / math.log(2))(f) or gives(
            1, alea0 / math.log(2))(f),
                "the entropies are in nats: use the natural logarithm, np.log (np.log2 gives "
                "bits, larger by 1/ln 2 ≈ 1.44)."),
        Mistake("nan at exact zeros", nonfinite,
                "0 · ln 0 is nan in floating point (0 · −inf), but in an entropy it counts as 0 "
                "(the limit of p ln p as p → 0). Skip the zero entries, e.g. "
                "np.where(p > 0, p * np.log(np.where(p > 0, p, 1)), 0) — don't add an epsilon."),
        Mistake("mean over the wrong axis", wrong_axis,
                "probs is (S, N, K): average over the S samples, axis 0 (p̄ = probs.mean(axis=0),"
                " shape (N, K)), and take each entropy over the K classes, the last axis. Every "
                "result has shape (N,)."),
        Mistake("sum over S instead of the mean", lambda f: gives(1, S0 * alea0)(f) or gives(
            0, _entropy(P0.sum(0)))(f),
                "both averages are over the S samples: p̄ = (1/S) Σ_s p_s (a distribution again) "
                "and aleatoric = (1/S) Σ_s H(p_s) — divide by S."),
        Mistake("epistemic with the wrong sign", lambda f: gives(0, total0)(f) and gives(
            1, alea0)(f) and gives(2, alea0 - total0)(f),
                "epistemic = total − aleatoric = H(p̄) − mean_s H(p_s), which is ≥ 0: the "
                "mutual information between the prediction and the model."),
        Mistake("entropy without the minus sign", lambda f: gives(0, -total0)(f) or gives(
            1, -alea0)(f),
                "H(p) = −Σ_k p_k ln p_k: the minus sign makes it ≥ 0 (each ln p_k ≤ 0)."),
    ]

    f = lambda v: np.array(v, dtype=float)
    ln2 = math.log(2)
    disagree = f([[[1.0, 0.0]], [[0.0, 1.0]]])
    halves = f([[[0.5, 0.5], [0.9, 0.1]], [[0.5, 0.5], [0.9, 0.1]]])
    mixed = f([[[0.5, 0.5, 0.0]], [[0.0, 0.5, 0.5]]])
    cases = [
        # two members, sure and opposite: p̄ = (1/2, 1/2), H(p̄) = ln 2, each H = 0
        Case("two confident members that disagree: all of it epistemic", (disagree,),
             lambda o: _decomposition_compare(o, (f([ln2]), f([0.0]), f([ln2])))),
        # both members say (1/2, 1/2) and (0.9, 0.1): nothing to disagree about, epistemic 0
        Case("members that agree: all of it aleatoric", (halves,),
             lambda o: _decomposition_compare(o, _decomposition_oracle(halves))),
        # p̄ = (1/4, 1/2, 1/4): H = (3/2) ln 2; each member H = ln 2; epistemic = (1/2) ln 2
        Case("exact zeros in the members: 0 · ln 0 = 0", (mixed,),
             lambda o: _decomposition_compare(o, (f([1.5 * ln2]), f([ln2]), f([0.5 * ln2])))),
        # S = 1: p̄ = p₁, so total = aleatoric, epistemic 0; H(0.2, 0.3, 0.5) and H(1, 0, 0) = 0
        Case("a single sample (S = 1): epistemic 0", (f([[[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]]]),),
             lambda o: _decomposition_compare(o, _decomposition_oracle(
                 f([[[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]]])))),
        # K = 1: every distribution is (1,), every entropy 0
        Case("one class (K = 1): every entropy 0", (np.ones((2, 3, 1)),),
             lambda o: _decomposition_compare(o, (np.zeros(3), np.zeros(3), np.zeros(3)))),
        # the same as the first case with integer one-hot members: the results are still floats
        Case("integer one-hot members that disagree (an int array)",
             (np.array([[[1, 0]], [[0, 1]]]),),
             lambda o: _decomposition_compare(o, (f([ln2]), f([0.0]), f([ln2])))),
        Case("a probability of 1e-300", (f([[[1 - 1e-300, 1e-300, 0.0]], [[0.5, 0.5, 0.0]]]),),
             lambda o: _decomposition_compare(o, _decomposition_oracle(
                 f([[[1 - 1e-300, 1e-300, 0.0]], [[0.5, 0.5, 0.0]]])))),
        Case("three members, four inputs, five classes (with zeros)", (P0,),
             lambda o: _decomposition_compare(o, _decomposition_oracle(P0))),
    ]
    sweep = Sweep(_decomposition_input, _decomposition_oracle, _decomposition_compare, n=150,
                  seed=27, property="decomposition")
    return run_checks("uncertainty_decomposition", fn, cases, mistakes, sweep=sweep)


# ---------------------------------------------------------------------------------------------
# Exercise 4 · accuracy and coverage of a model that may abstain
# ---------------------------------------------------------------------------------------------

def _coverage_oracle(confidences, correct, thresholds):
    """For each threshold, in the given order: count the answered (c ≥ t) and the right among
    them with integer counters; coverage = answered / N, accuracy = right / answered or nan."""
    conf = [float(c) for c in np.asarray(confidences).ravel().tolist()]
    right = [bool(r) for r in np.asarray(correct).ravel().tolist()]
    cov, acc = [], []
    for t in np.asarray(thresholds).ravel().tolist():
        answered = hits = 0
        for c, r in zip(conf, right):
            if c >= t:
                answered += 1
                hits += 1 if r else 0
        cov.append(answered / len(conf))
        acc.append(hits / answered if answered else math.nan)
    return np.array(cov, dtype=float), np.array(acc, dtype=float)


def _coverage_compare(out, expected, args=None):
    """Both float arrays (T,); the counts are exact, so a ratio k/n is within a rounding of its
    value: relative 1e-12. accuracy is nan exactly where nothing is answered."""
    parts, problem = _parts(out, 2, ("coverage", "accuracy"))
    if problem:
        return problem
    cov_e, acc_e = expected
    return (_vector(parts[0], cov_e, "coverage", 1e-12, 0.0)
            or _vector(parts[1], acc_e, "accuracy", 1e-12, 0.0, nan_where=np.isnan(acc_e)))


def _coverage_variant(conf, correct, thresholds, *, strict=False, below=False, over_all=False,
                      empty=math.nan, count=False, error=False, order=None):
    conf, right = np.asarray(conf, float), np.asarray(correct).astype(bool)
    ts = np.asarray(thresholds, float)
    if order == "ascending":
        ts = np.sort(ts)
    elif order == "descending":
        ts = np.sort(ts)[::-1]
    cov, acc = [], []
    for t in ts:
        mask = conf <= t if below else (conf > t if strict else conf >= t)
        n = int(mask.sum())
        cov.append(n if count else n / len(conf))
        k = int(right[mask].sum())
        a = (k / len(conf) if over_all else k / n) if n else empty
        acc.append(1 - a if error and n else a)
    return np.array(cov, float), np.array(acc, float)


def _coverage_input(rng, i):
    """Corners first — thresholds above every confidence (nan), equal to a confidence, negative,
    unsorted, tied confidences, bool and 0/1 labels, no thresholds at all (T = 0), N = 1,
    integer thresholds — then random: N = 1–50 confidences (some rounded so that ties happen),
    T = 0–8 thresholds drawn from the confidences themselves and from [−0.2, 1.2], unsorted."""
    f = lambda v: np.array(v, dtype=float)
    corners = [
        (f([0.2, 0.5, 0.9]), np.array([True, False, True]), f([0.95, 1.5])),
        (f([0.2, 0.5, 0.5, 0.9]), np.array([1, 0, 1, 1]), f([0.5, 0.9, 0.2])),
        (f([0.3, 0.6]), np.array([0, 1]), f([-1.0, 0.0])),
        (f([0.7, 0.7, 0.7]), np.array([True, True, False]), f([0.7, 0.69, 0.71])),
        (f([0.4, 0.8]), np.array([1, 0]), f([])),
        (f([1.0]), np.array([False]), f([1.0, 0.5, 1.0 + 1e-12])),
        (f([0.0, 1.0, 0.5]), np.array([1, 1, 0]), np.array([0, 1, 2])),
        (f([0.9, 0.1, 0.6, 0.6, 0.3]), np.array([True, False, False, True, True]),
         f([0.6, 0.1, 0.95, 0.3, 0.0])),
    ]
    if i < len(corners):
        return corners[i]
    N = int(rng.integers(1, 51))
    conf = rng.random(N)
    if i % 2:
        conf = np.round(conf, 1)
    correct = rng.random(N) < conf
    T = int(rng.integers(0, 9))
    from_data = rng.choice(conf, size=T)
    free = rng.uniform(-0.2, 1.2, size=T)
    thresholds = np.where(rng.random(T) < 0.5, from_data, free)
    return (conf, correct if i % 3 else correct.astype(np.int64), thresholds)


# a probe: ties at 0.8 and 0.5, a threshold above every confidence (1.1), negative and 0
# thresholds, unsorted, accuracy neither 0 nor 1 where something is answered
_COV_PROBE = (np.array([0.9, 0.8, 0.8, 0.6, 0.3, 1.0, 0.5]),
              np.array([True, False, True, True, False, True, False]),
              np.array([0.8, 0.95, 1.1, 0.0, 0.5, -1.0]))


def check_accuracy_coverage(fn):
    """accuracy_coverage(confidences, correct, thresholds) → (coverage, accuracy), float arrays
    (T,) in the order of ``thresholds``: answered = {n : cₙ ≥ t}, coverage = |answered| / N,
    accuracy = the fraction right among the answered, nan when nothing is answered.

    Catches: > instead of ≥ (ties at the threshold), the answered set reversed (c ≤ t), the
    accuracy over all N (abstentions counted as errors), 0 or 1 instead of nan when nothing is
    answered (or a ZeroDivisionError), coverage as a count, the results in sorted-threshold order,
    the error rate instead of the accuracy, the two results swapped, inputs changed in place,
    integer results. Sweep: counting loops (module docstring)."""
    conf0, ok0, t0 = _COV_PROBE
    cov0, acc0 = _coverage_oracle(*_COV_PROBE)

    def out(f, *args):
        o = _call(f, args or _COV_PROBE)
        return list(o) if isinstance(o, (tuple, list)) and len(o) == 2 else [None, None]

    def gives(**variant):
        c, a = _coverage_variant(*_COV_PROBE, **variant)

        def detect(f):
            got = out(f)
            return _nan_equal(got[0], c) and _nan_equal(got[1], a)
        return detect

    def number_for_nothing(f):
        got = out(f)
        try:
            a = _arr(got[1])
        except (TypeError, ValueError):
            return False
        nothing = np.isnan(acc0)
        return (_nan_equal(got[0], cov0) and a.shape == acc0.shape
                and bool(np.all(np.isfinite(a[nothing])))
                and _nan_equal(a[~nothing], acc0[~nothing]))

    def raises_for_nothing(f):
        try:
            _call(f, (conf0, ok0, np.array([1.1])))
        except ZeroDivisionError:
            return True
        return False

    def swapped(f):
        got = out(f)
        return _nan_equal(got[0], acc0) and _nan_equal(got[1], cov0)

    mistakes = [
        Mistake("> instead of ≥", gives(strict=True),
                "the model answers when its confidence is *at least* t: cₙ ≥ t. With > a "
                "prediction whose confidence equals the threshold is wrongly left out."),
        Mistake("answered set reversed", gives(below=True),
                "the model answers when it is confident: the answered set is {n : cₙ ≥ t}, "
                "the predictions at or above the threshold."),
        Mistake("accuracy over all N", lambda f: gives(over_all=True)(f) or gives(
            over_all=True, empty=0.0)(f),
                "accuracy(t) is measured on the answered predictions only: the number right "
                "among them divided by how many were answered — abstentions are not errors."),
        Mistake("a number instead of nan when nothing is answered",
                lambda f: raises_for_nothing(f) or number_for_nothing(f),
                "when no confidence reaches t nothing is answered and the accuracy is undefined "
                "(0/0): return nan there (math.nan / np.nan), not 0 or 1, and don't divide by 0."),
        Mistake("coverage as a count", gives(count=True),
                "coverage is a fraction: the number answered divided by N."),
        Mistake("results in sorted-threshold order", lambda f: gives(order="ascending")(f) or
                gives(order="descending")(f),
                "return the results in the order of `thresholds` as given — entry i belongs to "
                "thresholds[i] — not in sorted order."),
        Mistake("error rate instead of accuracy", gives(error=True),
                "accuracy is the fraction of the answered predictions that are *correct*, not "
                "the fraction that are wrong."),
        Mistake("coverage and accuracy swapped", swapped,
                "return (coverage, accuracy), in that order."),
    ]

    f = lambda v: np.array(v, dtype=float)
    base = (f([0.9, 0.8, 0.8, 0.6, 0.3]), np.array([True, False, True, True, False]))
    cases = [
        # t = 0.7: answered 0.9, 0.8, 0.8 (2 right): coverage 3/5, accuracy 2/3;
        # t = 0.0: all five (3 right): 1, 3/5; t = 0.95: none: 0, nan
        Case("five predictions, thresholds 0.7, 0, 0.95", base + (f([0.7, 0.0, 0.95]),),
             lambda o: _coverage_compare(o, (f([0.6, 1.0, 0.0]), f([2 / 3, 0.6, math.nan])))),
        # t = 0.8 equals two confidences: both are answered (c ≥ t) → 3/5, 2/3
        Case("a threshold equal to a confidence (0.8, twice)", base + (f([0.8]),),
             lambda o: _coverage_compare(o, (f([0.6]), f([2 / 3])))),
        # unsorted: 0.6 → 4 answered, 3 right; 0.9 → 1, right; 0.3 → all five
        Case("unsorted thresholds 0.6, 0.9, 0.3", base + (f([0.6, 0.9, 0.3]),),
             lambda o: _coverage_compare(o, (f([0.8, 0.2, 1.0]), f([0.75, 1.0, 0.6])))),
        # a negative threshold answers everything; one above 1 answers nothing
        Case("thresholds −0.5 and 2 (everything, nothing)", base + (f([-0.5, 2.0]),),
             lambda o: _coverage_compare(o, (f([1.0, 0.0]), f([0.6, math.nan])))),
        Case("correct as 0/1 integers", (base[0], np.array([1, 0, 1, 1, 0]), f([0.7, 0.0])),
             lambda o: _coverage_compare(o, (f([0.6, 1.0]), f([2 / 3, 0.6])))),
        Case("no thresholds (T = 0): two empty float arrays", base + (f([]),),
             lambda o: _coverage_compare(o, (f([]), f([])))),
        Case("integer thresholds 0 and 1", (f([1.0, 0.4]), np.array([True, False]),
                                            np.array([0, 1])),
             lambda o: _coverage_compare(o, (f([1.0, 0.5]), f([0.5, 1.0])))),
    ]
    sweep = Sweep(_coverage_input, _coverage_oracle, _coverage_compare, n=150, seed=27,
                  property="(coverage, accuracy)")
    return run_checks("accuracy_coverage", fn, cases, mistakes, sweep=sweep)
