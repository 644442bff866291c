"""Checkers for notebook 15: maximum likelihood, losses as negative log-likelihoods, MAP.
Each lists its hand-picked cases and the classic mistakes it recognises; expected values are
hand-computed numbers or come from an independent oracle, never a reference solution's output:

* ``check_gaussian_nll`` takes the logarithm of mpmath's Gaussian *density* ``npdf`` at 30
  digits (mpmath's exponent range is unlimited, so a density of e^(−1250) is still a number);
* ``check_logistic_nll_and_grad`` evaluates each example's loss −log σ(z) or −log σ(−z) from the
  definition σ(z) = 1/(1 + e^(−z)) in mpmath at 50 digits, and its derivative with respect to the
  score z by a central difference there (h = 10⁻²⁰); since z = Xw + b is linear, the gradients
  are Σᵢ xᵢ·ℓᵢ'(zᵢ)/N and Σᵢ ℓᵢ'(zᵢ)/N — no formula for σ' is used;
* ``check_credible_interval`` builds every input from *counted* weights: integer prior weights
  aₖ and likelihood weights lₖ (handed over as log aₖ + C₁ and log lₖ + C₂, with −inf for 0), so
  the posterior masses aₖlₖ/Σ aₗlₗ and their cumulative sums are exact fractions, and the
  interval's ends are found by exact comparison with the thresholds (1 ∓ level)/2."""
from fractions import Fraction
import math

import mpmath
import numpy as np

from .core import Case, Given, Mistake, Sweep, fmt, run_checks, _call
from .core import as_array as _arr

__all__ = ["check_gaussian_nll", "check_logistic_nll_and_grad", "check_credible_interval"]


def _scalar(out):
    """out as one float, or None when it is not one number (never raises)."""
    try:
        v = _arr(out)
    except (TypeError, ValueError):
        return None
    return float(v.reshape(())) if v.size == 1 and v.ndim <= 1 else None


def _close_to(value, expected, rtol=1e-9, atol=1e-12):
    return value is not None and math.isfinite(value) and \
        math.isclose(value, expected, rel_tol=rtol, abs_tol=atol)


# ---------------------------------------------------------------------------------------------
# Exercise 1 · the Gaussian negative log-likelihood
# ---------------------------------------------------------------------------------------------

def _nll_oracle(y, mu, sigma):
    """(mean NLL, scale): −mean log npdf(yᵢ; μᵢ, σᵢ) from mpmath's density at 30 digits, and the
    mean of the absolute values of its two parts (a size for the tolerance: they may cancel)."""
    y = np.asarray(y, dtype=float)
    s = np.broadcast_to(np.asarray(sigma, dtype=float), y.shape)
    terms, scale = [], 0.0
    with mpmath.workdps(30):
        for yi, mi, si in zip(y.tolist(), np.asarray(mu, dtype=float).tolist(), s.tolist()):
            terms.append(-mpmath.log(mpmath.npdf(yi, mi, si)))
            scale += abs(0.5 * math.log(2 * math.pi) + math.log(si)) + ((yi - mi) / si) ** 2 / 2
        return float(mpmath.fsum(terms) / len(terms)), scale / len(terms)


def _nll_expect(y, mu, sigma):
    expected, scale = _nll_oracle(y, mu, sigma)
    return _nll_compare_to(expected, scale)


def _nll_compare_to(expected, scale):
    def expect(out):
        v = _scalar(out)
        if v is None:
            shape = np.shape(getattr(out, "data", out))
            return (f"expected one number (the mean over the observations), got "
                    f"{fmt(out) if np.size(getattr(out, 'data', out)) <= 12 else shape}")
        if not math.isfinite(v):
            return f"expected {fmt(expected, digits=12)}, got {fmt(v)}"
        if abs(v - expected) > 1e-9 * scale + 1e-12:
            return f"expected {fmt(expected, digits=12)}, got {fmt(v, digits=12)}"
        return None
    return expect


def _nll_input(rng, i):
    """(y, mu, sigma): N = 1–40; σ one number (sometimes an int) or one per observation, from
    10⁻⁶ to 10⁶; corners first: one observation, y = μ, residuals of 50 and 10⁴ σ (the density
    is 0.0), integer y and μ, σ spread over six orders of magnitude, σ near 10⁻²⁵⁰ and 10²⁵⁰
    (σ² under- or overflows)."""
    corners = [
        (np.array([0.0]), np.array([0.0]), 1),
        (np.array([3.0]), np.array([-2.0]), np.array([0.5])),
        (np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 3.0]), np.array([1e-3, 1.0, 1e3])),
        (np.array([50.0, -50.0]), np.array([0.0, 0.0]), 1.0),
        (np.array([1.0, 2.0]), np.array([1.0 + 1e-2, 2.0]), np.array([1e-6, 1e-6])),
        (np.array([4, -1, 7]), np.array([1, 1, 1]), 2),
        (np.array([1e4, 0.0]), np.array([0.0, 1.0]), np.array([1.0, 2.0])),
        (np.array([2e-250, -1e-250]), np.array([0.0, 0.0]), np.array([1e-250, 1e-249])),
        (np.array([1e250, 0.0]), np.array([0.0, 5e249]), np.array([1e250, 1e251])),
    ]
    if i < len(corners):
        return corners[i]
    N = int(rng.integers(1, 41))
    mu = rng.normal(0, rng.choice([1.0, 10.0, 1000.0]), N)
    if i % 3 == 0:
        sigma = float(rng.choice([0.01, 0.5, 1.0, 3.0, 100.0]))
        if i % 6 == 0:
            sigma = int(rng.integers(1, 5))
        s = np.full(N, float(sigma))
    else:
        sigma = np.exp(rng.uniform(-1, 1, N) * rng.choice([0.5, 3.0, 12.0]))
        s = sigma
    z = rng.normal(0, 1, N) * rng.choice([1.0, 1.0, 5.0, 60.0])
    y = mu + s * z
    if i % 7 == 3:
        y, mu = np.round(y).astype(np.int64), np.round(mu).astype(np.int64)
    return y, mu, sigma


def check_gaussian_nll(fn):
    """gaussian_nll(y, mu, sigma) = (1/N) Σᵢ [½ log(2πσᵢ²) + (yᵢ − μᵢ)²/(2σᵢ²)], one float;
    y, mu 1-D of length N (maybe ints), sigma a positive number or one per observation.

    Catches: log σ dropped, the ½ missing on the square or on the log, log σ² not halved,
    log 2π dropped, σ used as the variance (or not squared in the quadratic term), the sum
    instead of the mean, the log-likelihood (sign flipped), the log of the density (−log 0 = inf
    for observations 50σ away), σ² formed (it under- or overflows for σ = 10∓²⁰⁰), the
    per-observation array or the mean squared error returned.
    Sweep: −log of mpmath's Gaussian density, averaged at 30 digits."""
    two_pi = 2 * math.pi
    cases = [
        Case("one observation at its mean, σ = 1: ½ log 2π", (np.array([0.0]), np.array([0.0]), 1),
             _nll_compare_to(0.5 * math.log(two_pi), 1.0)),
        Case("y = [1, 3], μ = [0, 0], σ = 2: ½ log 8π + (1 + 9)/2/8",
             (np.array([1.0, 3.0]), np.array([0.0, 0.0]), 2.0),
             _nll_compare_to(0.5 * math.log(8 * math.pi) + 10 / 16, 3.0)),
        Case("σ differs between the observations, σ = [1, 0.1]",
             (np.array([1.0, 1.0]), np.array([0.0, 0.0]), np.array([1.0, 0.1])),
             _nll_expect(np.array([1.0, 1.0]), np.array([0.0, 0.0]), np.array([1.0, 0.1]))),
        Case("integer arrays y = [2, 4], μ = [1, 1] and the int σ = 1",
             (np.array([2, 4]), np.array([1, 1]), 1),
             _nll_compare_to(0.5 * math.log(two_pi) + 10 / 4, 4.0),
             hint="convert the arrays to float before squaring or dividing."),
        Case("an observation 50σ from its mean (its density is 0.0 in float64)",
             (np.array([50.0]), np.array([0.0]), 1.0),
             _nll_compare_to(0.5 * math.log(two_pi) + 1250.0, 1251.0)),
        Case("a tiny σ = 10⁻³, residual one σ", (np.array([1.001]), np.array([1.0]), 1e-3),
             _nll_expect(np.array([1.001]), np.array([1.0]), 1e-3)),
        Case("a large σ = 10³ for every observation",
             (np.array([10.0, -20.0, 5.0]), np.array([0.0, 0.0, 0.0]), 1e3),
             _nll_expect(np.array([10.0, -20.0, 5.0]), np.zeros(3), 1e3)),
        Case("σ given as an array of length 1", (np.array([2.0]), np.array([0.0]), np.array([2.0])),
             _nll_compare_to(0.5 * math.log(8 * math.pi) + 0.5, 2.0)),
        Case("σ = 10⁻²⁰⁰ with a residual of one σ (σ² underflows to 0.0)",
             (np.array([1e-200, 0.0]), np.array([0.0, 0.0]), 1e-200),
             _nll_compare_to(0.5 * math.log(two_pi) + math.log(1e-200) + 0.25, 461.0),
             hint="σ² = 10⁻⁴⁰⁰ is 0.0 in float64: write ½ log(2πσ²) as ½ log 2π + log σ and "
                  "the quadratic term as ½((y − μ)/σ)², so σ² is never formed."),
        Case("σ = 10²⁰⁰ (σ² overflows to inf)", (np.array([3e200]), np.array([1e200]), 1e200),
             _nll_compare_to(0.5 * math.log(two_pi) + math.log(1e200) + 2.0, 463.0),
             hint="σ² = 10⁴⁰⁰ is inf in float64: write ½ log(2πσ²) as ½ log 2π + log σ and "
                  "the quadratic term as ½((y − μ)/σ)², so σ² is never formed."),
    ]
    # the detectors' input: σ varies, so every variant below gives a different number
    y0, m0, s0 = np.array([1.0, 3.0, -2.0]), np.array([0.0, 0.5, 0.0]), np.array([1.0, 2.0, 0.3])
    r2 = (y0 - m0) ** 2

    def val(fn_, args=(y0, m0, s0)):
        return _scalar(_call(fn_, args))

    def gives(terms):
        return lambda fn_: _close_to(val(fn_), float(np.mean(terms)))

    def right(fn_):
        return gives(0.5 * np.log(two_pi * s0 ** 2) + r2 / (2 * s0 ** 2))(fn_)

    far = (np.array([1.0, 60.0]), np.array([0.0, 0.0]), np.array([1.0, 1.0]))
    correct = 0.5 * np.log(two_pi * s0 ** 2) + r2 / (2 * s0 ** 2)
    mistakes = [
        Mistake("log σ dropped", gives(0.5 * math.log(two_pi) + r2 / (2 * s0 ** 2)),
                "the ½ log σ² (= log σ) term is missing: it is the price a Gaussian pays for a "
                "wide σ, and when σ differs between observations (or σ is learned) it does not "
                "cancel. −log N(y; μ, σ²) = ½ log(2πσ²) + (y − μ)²/(2σ²)."),
        Mistake("½ missing on the square", gives(0.5 * np.log(two_pi * s0 ** 2) + r2 / s0 ** 2),
                "the quadratic term is (y − μ)²/(2σ²): the Gaussian's exponent is "
                "−(y − μ)²/(2σ²), so the 2 belongs in the denominator."),
        Mistake("½ missing on the log", gives(np.log(two_pi * s0 ** 2) + r2 / (2 * s0 ** 2)),
                "the normaliser is 1/√(2πσ²), whose −log is ½ log(2πσ²) — the square root gives "
                "the ½."),
        Mistake("log σ² not halved", gives(0.5 * math.log(two_pi) + np.log(s0 ** 2)
                                           + r2 / (2 * s0 ** 2)),
                "½ log(2πσ²) = ½ log 2π + log σ, not ½ log 2π + log σ²: the ½ applies to the "
                "whole logarithm."),
        Mistake("log 2π dropped", gives(np.log(s0) + r2 / (2 * s0 ** 2)),
                "the constant ½ log 2π is missing. It does not move the maximum, but the task "
                "asks for the value of the negative log-likelihood, every term included."),
        Mistake("σ used as the variance", gives(0.5 * np.log(two_pi * s0) + r2 / (2 * s0)),
                "`sigma` is the standard deviation σ, not the variance σ²: square it, "
                "½ log(2π·sigma²) + (y − μ)²/(2·sigma²)."),
        Mistake("σ not squared in the quadratic term",
                gives(0.5 * np.log(two_pi * s0 ** 2) + r2 / (2 * s0)),
                "the quadratic term divides by 2σ², the variance: (y − μ)²/(2·sigma**2)."),
        Mistake("sum instead of mean", gives(3 * correct),
                "that is the sum over the observations; the task asks for the mean (divide by N), "
                "the per-example loss that does not grow with the data set."),
        Mistake("log-likelihood returned", gives(-correct),
                "that is the log-likelihood; the negative log-likelihood is its negative: "
                "+½ log(2πσ²) + (y − μ)²/(2σ²), a number to be minimised."),
        Mistake("log of the density", lambda fn_: right(fn_) and (
            lambda v: v is None or not math.isfinite(v))(val(fn_, far)),
                "you took the log of the density: for an observation 60σ from its mean the "
                "density e^(−1800) is 0.0 in float64 and −log 0 = inf. Write the log-density "
                "directly, −½ log(2πσ²) − (y − μ)²/(2σ²): no exp, nothing to underflow."),
        Mistake("σ² formed", lambda fn_: right(fn_) and _close_to(
            val(fn_, (np.array([2, 4]), np.array([1, 1]), 1)), 0.5 * math.log(two_pi) + 2.5)
                and _close_to(val(fn_, (np.array([3e6]), np.array([1e6]), 1e6)),
                              0.5 * math.log(two_pi) + math.log(1e6) + 2.0) and (
            lambda v: v is None or not math.isfinite(v))(val(fn_, (np.array([1e-200]),
                                                                   np.array([0.0]), 1e-200))),
                "you formed σ² (or 2πσ²): for σ = 10⁻²⁰⁰ it underflows to 0.0 (log 0 = −inf, "
                "0/0 = nan), for σ = 10²⁰⁰ it overflows to inf. Use log σ for ½ log σ² and "
                "z = (y − μ)/σ for the quadratic term, ½ log 2π + log σ + ½z²: every piece stays "
                "in range."),
        Mistake("per-observation values returned",
                lambda fn_: np.shape(getattr(_call(fn_, (y0, m0, s0)), "data",
                                             _call(fn_, (y0, m0, s0)))) == (3,),
                "return one number, the mean over the N observations, not one value per "
                "observation."),
        Mistake("mean squared error returned", gives(r2),
                "that is the mean squared error; the Gaussian negative log-likelihood divides "
                "each squared residual by 2σ² and adds ½ log(2πσ²)."),
    ]
    sweep = Sweep(_nll_input, _nll_oracle, lambda out, exp, args: _nll_compare_to(*exp)(out),
                  n=150, seed=15,
                  property="mean negative log-likelihood (−log of mpmath's Gaussian density, "
                           "30 digits)",
                  hint="mean over i of ½ log(2π σᵢ²) + (yᵢ − μᵢ)²/(2σᵢ²), as floats.")
    return run_checks("gaussian_nll", fn, cases, mistakes, sweep=sweep, hint=sweep.hint)


# ---------------------------------------------------------------------------------------------
# Exercise 2 · logistic regression's negative log-likelihood and its gradient
# ---------------------------------------------------------------------------------------------

def _mp_sigmoid(z):
    return 1 / (1 + mpmath.exp(-z))


def _mp_example_loss(z, y):
    """−log P(y | z) from the definition: −log σ(z) for y = 1, −log(1 − σ(z)) = −log σ(−z)
    for y = 0 (1 − σ(z) = e^(−z)/(1 + e^(−z)) = σ(−z))."""
    return -mpmath.log(_mp_sigmoid(z) if y == 1 else _mp_sigmoid(-z))


def _logistic_oracle(w, b, X, y):
    """(loss, grad_w, grad_b, scales) from mpmath at 50 digits: each example's loss from the
    definition, its derivative ℓᵢ'(zᵢ) by a central difference (h = 10⁻²⁰, error ~10⁻⁴⁰), and
    the chain rule through the linear score z = Xw + b. ``scales`` sizes the tolerances."""
    X = np.asarray(X, dtype=float)
    w = np.asarray(w, dtype=float)
    N = X.shape[0]
    with mpmath.workdps(50):
        h = mpmath.mpf(10) ** -20
        losses, slopes = [], []
        for xi, yi in zip(X.tolist(), np.asarray(y).tolist()):
            z = mpmath.fsum(mpmath.mpf(a) * mpmath.mpf(c) for a, c in zip(xi, w.tolist())) \
                + mpmath.mpf(float(b))
            losses.append(_mp_example_loss(z, int(yi)))
            slopes.append((_mp_example_loss(z + h, int(yi)) - _mp_example_loss(z - h, int(yi)))
                          / (2 * h))
        loss = float(mpmath.fsum(losses) / N)
        g = np.array([float(s) for s in slopes])
    with mpmath.workdps(50):                      # the sums themselves exactly (no cancellation)
        grad_w = np.array([float(mpmath.fsum(mpmath.mpf(X[i, j]) * slopes[i] for i in range(N))
                                 / N) for j in range(X.shape[1])])
        grad_b = float(mpmath.fsum(slopes) / N)
    scales = (float(np.mean([float(v) for v in losses])),
              np.mean(np.abs(X) * (np.abs(g)[:, None] + 1e-3), axis=0),
              float(np.mean(np.abs(g))) + 1e-3)
    return loss, grad_w, grad_b, scales


def _logistic_compare_to(expected):
    loss, gw, gb, (sl, sw, sb) = expected

    def expect(out):
        if not isinstance(out, (tuple, list)) or len(out) != 3:
            big = isinstance(out, np.ndarray) and out.size > 12
            return ("expected a tuple (loss, grad_w, grad_b), got "
                    + (f"an array of shape {out.shape}" if big else fmt(out)))
        v, got_w, got_b = out
        v = _scalar(v)
        if v is None:
            return f"the loss should be one number (the mean over the examples), got {fmt(out[0])}"
        if not math.isfinite(v) or abs(v - loss) > 1e-9 * sl + 1e-12:
            return f"loss: expected {fmt(loss, digits=12)}, got {fmt(v, digits=12)}"
        try:
            got_w = _arr(got_w)
        except (TypeError, ValueError):
            return f"grad_w should be an array of shape {gw.shape}, got {fmt(out[1])}"
        if got_w.shape != gw.shape:
            return f"grad_w: expected shape {gw.shape} (one entry per weight), got {got_w.shape}"
        if not np.all(np.isfinite(got_w)) or np.any(np.abs(got_w - gw) > 1e-8 * sw + 1e-15):
            return f"grad_w: expected {fmt(gw, digits=10)}, got {fmt(got_w, digits=10)}"
        b_ = _scalar(got_b)
        if b_ is None:
            return f"grad_b should be one number, got {fmt(out[2])}"
        if not math.isfinite(b_) or abs(b_ - gb) > 1e-8 * sb + 1e-15:
            return f"grad_b: expected {fmt(gb, digits=10)}, got {fmt(b_, digits=10)}"
        return None
    return expect


def _logistic_input(rng, i):
    """(w, b, X, y): N = 1–12 examples, d = 1–4 features; corners first: one example, scores
    ±1000 on the right and the wrong side, all labels 1 or all 0, zero weights, integer X, w
    and b, a bias that alone decides."""
    corners = [
        (np.array([0.0]), 0.0, np.array([[0.0]]), np.array([1])),
        (np.array([1000.0]), 0.0, np.array([[1.0], [1.0], [-1.0]]), np.array([1, 0, 1])),
        (np.array([2, -1]), 1, np.array([[1, 2], [3, 0], [0, 5]]), np.array([1, 1, 0])),
        (np.array([0.0, 0.0]), -2.5, np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([0, 0])),
        (np.array([300.0, -200.0]), 40.0, np.array([[1.0, 0.5], [-2.0, 1.0], [0.1, 3.0]]),
         np.array([0, 1, 1])),
        (np.array([-0.5]), 900.0, np.array([[2.0], [4.0]]), np.array([1, 1])),
    ]
    if i < len(corners):
        return corners[i]
    while True:                                       # redraw until |z| ≤ 1000 (the statement)
        N, d = int(rng.integers(1, 13)), int(rng.integers(1, 5))
        X = rng.normal(0, rng.choice([0.1, 1.0, 10.0]), (N, d))
        w = rng.normal(0, rng.choice([0.0, 0.5, 2.0, 50.0, 300.0]), d)
        b = float(rng.normal(0, rng.choice([0.0, 1.0, 30.0])))
        if i % 9 == 5:                                # integers
            X, w, b = np.round(X).astype(np.int64), np.round(w).astype(np.int64), int(round(b))
        z = X @ w + b
        if np.max(np.abs(z)) <= 1000:
            return _labelled(rng, i, w, b, X, z)


def _labelled(rng, i, w, b, X, z):
    N = len(z)
    kind = i % 4
    if kind == 0:
        y = rng.integers(0, 2, N)
    elif kind == 1:                                   # the right side: confident and correct
        y = (z > 0).astype(np.int64)
    elif kind == 2:                                   # the wrong side
        y = (z <= 0).astype(np.int64)
    else:
        y = np.full(N, int(rng.integers(0, 2)))
    return w, b, X, y


def check_logistic_nll_and_grad(fn):
    """logistic_nll_and_grad(w, b, X, y) → (loss, grad_w, grad_b) for P(y = 1 | x) = σ(x·w + b):
    loss = −(1/N) Σ [y log σ(z) + (1 − y) log(1 − σ(z))], grad_w = Xᵀ(σ(z) − y)/N,
    grad_b = mean(σ(z) − y); X (N, d), w (d,), b a number, y 0/1 integers.

    Catches: log of σ (−log 0 = inf at |z| = 1000), an ε inside the log (a loss capped near 28),
    σ(z) overflowing in the gradient, the gradient's sign, gradients summed while the loss is a
    mean (or only grad_b summed, or the loss summed), the ±1-label formula log(1 + e^(−yz)) used
    on 0/1 labels, the bias left out of z, its gradient missing, the labels swapped, the gradient
    with respect to z returned. Sweep: mpmath at 50 digits, the derivative by a central
    difference of each example's loss."""
    cases = [
        Case("one example with x = 0, w = 0, b = 0, y = 1: loss log 2, grad_b = −½",
             (np.array([0.0]), 0.0, np.array([[0.0]]), np.array([1])),
             _logistic_compare_to((math.log(2), np.array([0.0]), -0.5,
                                   (1.0, np.array([1.0]), 1.0)))),
        Case("two examples on the right side, z = ±2",
             (np.array([2.0]), 0.0, np.array([[1.0], [-1.0]]), np.array([1, 0])),
             _logistic_compare_to((math.log1p(math.exp(-2)), np.array([-1 / (1 + math.exp(2))]),
                                   0.0, (1.0, np.array([1.0]), 1.0)))),
        Case("one example on the wrong side, y = 0 and z = 1000: loss 1000",
             (np.array([1000.0]), 0.0, np.array([[1.0]]), np.array([0])),
             _logistic_compare_to((1000.0, np.array([1.0]), 1.0, (1000.0, np.array([1.0]), 1.0))),
             hint="log σ(z) = −log(1 + e^(−z)) and log(1 − σ(z)) = −log(1 + e^(z)); compute "
                  "log(1 + eᵘ) as max(u, 0) + log1p(e^(−|u|)) (np.logaddexp(0, u)), never as "
                  "the log of a probability that has rounded to 0 or 1."),
        Case("scores 1000, 1000, −1000 with labels 1, 0, 1 (losses 0, 1000, 1000)",
             (np.array([1000.0]), 0.0, np.array([[1.0], [1.0], [-1.0]]), np.array([1, 0, 1])),
             _logistic_compare_to(_logistic_oracle(np.array([1000.0]), 0.0,
                                                   np.array([[1.0], [1.0], [-1.0]]),
                                                   np.array([1, 0, 1])))),
        Case("the bias alone: X = 0, b = 1.5, labels 1, 0, 1",
             (np.array([0.0, 0.0]), 1.5, np.zeros((3, 2)), np.array([1, 0, 1])),
             _logistic_compare_to(_logistic_oracle(np.zeros(2), 1.5, np.zeros((3, 2)),
                                                   np.array([1, 0, 1])))),
        Case("integer X, w and b", (np.array([1, -2]), 1, np.array([[1, 2], [3, 1], [0, 0]]),
                                    np.array([0, 1, 1])),
             _logistic_compare_to(_logistic_oracle(np.array([1, -2]), 1,
                                                   np.array([[1, 2], [3, 1], [0, 0]]),
                                                   np.array([0, 1, 1]))),
             hint="convert X, w and b to float before computing with them."),
    ]
    w0, b0 = np.array([0.8, -1.5]), 0.3                       # the detectors' small input
    X0 = np.array([[1.0, 0.5], [-0.5, 1.0], [2.0, -1.0], [0.3, 0.3]])
    y0 = np.array([1, 0, 0, 1])
    small = (w0, b0, X0, y0)
    z0 = X0 @ w0 + b0
    sig = 1 / (1 + np.exp(-z0))
    loss0 = float(np.mean(np.logaddexp(0, -z0) * y0 + np.logaddexp(0, z0) * (1 - y0)))
    gz = sig - y0
    huge = (np.array([1000.0]), 0.0, np.array([[1.0], [1.0], [-1.0]]), np.array([1, 0, 1]))

    def parts(fn_, args=small):
        out = _call(fn_, args)
        if not isinstance(out, (tuple, list)) or len(out) != 3:
            return None, None, None
        try:
            return _scalar(out[0]), _arr(out[1]), _scalar(out[2])
        except (TypeError, ValueError):
            return _scalar(out[0]), None, None

    def same_w(gw, expected):
        return gw is not None and gw.shape == expected.shape and np.allclose(gw, expected,
                                                                               rtol=1e-7,
                                                                               atol=1e-10)

    def gives(loss=loss0, gw=X0.T @ gz / 4, gb=float(np.mean(gz))):
        def detect(fn_):
            lv, gwv, gbv = parts(fn_)
            return (_close_to(lv, loss, 1e-7, 1e-10) and same_w(gwv, gw)
                    and _close_to(gbv, gb, 1e-7, 1e-10))
        return detect

    def right_small(fn_):
        return gives()(fn_)

    def huge_loss(fn_):
        return parts(fn_, huge)[0]

    y_pm_loss = float(np.mean(np.logaddexp(0, -y0 * z0)))
    y_pm_gz = -y0 / (1 + np.exp(y0 * z0))
    zb = X0 @ w0                                               # the bias left out
    sb = 1 / (1 + np.exp(-zb))
    swapped = 1 - y0
    mistakes = [
        Mistake("log of σ", lambda fn_: right_small(fn_) and (
            lambda v: v is None or not math.isfinite(v))(huge_loss(fn_)),
                "you took the log of σ(z) (or of 1 − σ(z)): at z = 1000, σ(z) rounds to exactly "
                "1.0, so log(1 − σ(z)) = log 0 = −inf. Use log σ(z) = −log(1 + e^(−z)) and "
                "log(1 − σ(z)) = −log(1 + e^(z)), with log(1 + eᵘ) = np.logaddexp(0, u) (that "
                "is max(u, 0) + log1p(e^(−|u|)): nothing overflows or rounds to 0)."),
        Mistake("ε inside the log", lambda fn_: right_small(fn_) and (
            lambda v: v is not None and math.isfinite(v) and 5 < v < 600)(huge_loss(fn_)),
                "adding a small ε inside the log (or clipping σ(z) to [ε, 1 − ε], or z) caps every "
                "example's loss at −log ε (about 28 for ε = 10⁻¹²), so a confident wrong "
                "prediction with z = 1000 costs 28 instead of 1000. Write the loss with "
                "log(1 + eᵘ) = np.logaddexp(0, u) and no ε: it is exact for every z."),
        Mistake("σ overflows in the gradient", lambda fn_: right_small(fn_) and (
            lambda p: _close_to(p[0], 2000 / 3, 1e-9, 1e-9) and (
                p[1] is None or not np.all(np.isfinite(p[1])) or p[2] is None
                or not math.isfinite(p[2])))(parts(fn_, huge)),
                "your loss is right, but the gradient is nan at z = ±1000: σ(z) written as "
                "eᶻ/(1 + eᶻ) (or 1/(1 + e^(−z)) for z = −1000) computes inf/inf. Use a form with "
                "no positive exponent, e.g. σ(z) = exp(−log(1 + e^(−z))) = "
                "np.exp(-np.logaddexp(0, -z))."),
        Mistake("gradient sign flipped", gives(gw=-X0.T @ gz / 4, gb=-float(np.mean(gz))),
                "the gradient of the *negative* log-likelihood is Xᵀ(σ(z) − y)/N — prediction "
                "minus label. y − σ(z) is the gradient of the log-likelihood, the direction "
                "that *increases* the loss."),
        Mistake("gradients summed, loss averaged", gives(gw=X0.T @ gz, gb=float(np.sum(gz))),
                "your loss is a mean over the N examples but your gradients are sums: the "
                "gradient of (1/N) Σ ℓᵢ is (1/N) Σ ∇ℓᵢ — divide by N there too, so that loss "
                "and gradient describe the same function."),
        Mistake("grad_b summed", gives(gb=float(np.sum(gz))),
                "grad_b is the derivative of the *mean* loss: (1/N) Σ (σ(zᵢ) − yᵢ), not the sum "
                "(your grad_w is averaged, grad_b must be too)."),
        Mistake("loss summed", lambda fn_: (
            lambda p: _close_to(p[0], 4 * loss0, 1e-7, 1e-10))(parts(fn_)),
                "that loss is the sum over the examples; the task asks for the mean, "
                "−(1/N) Σ [y log σ(z) + (1 − y) log(1 − σ(z))] (and gradients of the mean)."),
        Mistake("±1-label formula on 0/1 labels",
                lambda fn_: _close_to(parts(fn_)[0], y_pm_loss, 1e-7, 1e-10),
                "log(1 + e^(−y·z)) is the logistic loss for labels y ∈ {−1, +1}. With labels 0 "
                "and 1 it gives log 2 for every y = 0 example, whatever z is. Either map the "
                "labels to s = 2y − 1 first, or use y log σ(z) + (1 − y) log(1 − σ(z))."),
        Mistake("bias left out of the score", gives(
            loss=float(np.mean(np.logaddexp(0, -zb) * y0 + np.logaddexp(0, zb) * (1 - y0))),
            gw=X0.T @ (sb - y0) / 4, gb=float(np.mean(sb - y0))),
                "the score is z = X·w + b: add the bias b before applying σ."),
        Mistake("bias gradient missing", lambda fn_: (
            lambda p: _close_to(p[0], loss0, 1e-7, 1e-10) and same_w(p[1], X0.T @ gz / 4)
            and p[2] is not None and abs(p[2]) < 1e-12)(parts(fn_)),
                "∂loss/∂b is not 0: z depends on b with slope 1 for every example, so "
                "grad_b = (1/N) Σ (σ(zᵢ) − yᵢ)."),
        Mistake("labels swapped", gives(
            loss=float(np.mean(np.logaddexp(0, -z0) * swapped + np.logaddexp(0, z0) * y0)),
            gw=X0.T @ (sig - swapped) / 4, gb=float(np.mean(sig - swapped))),
                "σ(z) is the probability of y = 1: the y = 1 examples contribute −log σ(z), the "
                "y = 0 examples −log(1 − σ(z)) — you have them the other way round."),
        Mistake("gradient with respect to z", lambda fn_: (
            lambda p: p[1] is not None and p[1].shape == (4,) and (
                np.allclose(p[1], gz) or np.allclose(p[1], gz / 4)))(parts(fn_)),
                "grad_w must have one entry per weight (shape (d,)): σ(z) − y is the gradient "
                "with respect to the scores z; multiply by X (Xᵀ(σ(z) − y)/N) to get the one "
                "with respect to w."),
    ]
    sweep = Sweep(_logistic_input, _logistic_oracle,
                  lambda out, exp, args: _logistic_compare_to(exp)(out), n=150, seed=15,
                  property="loss and gradient (mpmath at 50 digits, derivatives by central "
                           "differences of each example's loss)",
                  hint="z = X @ w + b; loss = mean(y·log(1 + e^(−z)) + (1 − y)·log(1 + e^(z))) "
                       "with np.logaddexp(0, ·); grad_w = Xᵀ(σ(z) − y)/N, grad_b = mean(σ(z) − "
                       "y).")
    return run_checks("logistic_nll_and_grad", fn, cases, mistakes, sweep=sweep,
                      hint=sweep.hint)


# ---------------------------------------------------------------------------------------------
# Exercise 3 · an equal-tailed credible interval from a grid posterior
# ---------------------------------------------------------------------------------------------

def _counted_interval(prior_w, lik_w, level):
    """(k_lo, k_hi, margin) from integer weights, exactly: mass_k = a_k l_k / Σ a l, F_k its
    cumulative sum, k_lo the first k with F_k ≥ (1 − level)/2, k_hi the first with
    F_k ≥ (1 + level)/2; margin = min over k and both thresholds of |F_k − threshold|."""
    mass = [int(a) * int(b) for a, b in zip(prior_w, lik_w)]
    total = sum(mass)
    lv = Fraction(float(level))
    q_lo, q_hi = (1 - lv) / 2, (1 + lv) / 2
    k_lo = k_hi = None
    margin, run = Fraction(1), 0
    for k, m in enumerate(mass):
        run += m
        F = Fraction(run, total)
        margin = min(margin, abs(F - q_lo), abs(F - q_hi))
        if k_lo is None and F >= q_lo:
            k_lo = k
        if k_hi is None and F >= q_hi:
            k_hi = k
    return k_lo, k_hi, float(margin)


def _logs(weights, shift):
    w = np.asarray(weights, dtype=float)
    with np.errstate(divide="ignore"):
        return np.log(w) + shift


def _ci_given(grid, prior_w, lik_w, level, c_prior=0.0, c_lik=0.0):
    """Given((grid, log_prior, log_lik, level), (lo, hi)) from counted weights."""
    k_lo, k_hi, _ = _counted_interval(prior_w, lik_w, level)
    return Given((grid, _logs(prior_w, c_prior), _logs(lik_w, c_lik), level),
                 (grid[k_lo], grid[k_hi]))


def _ci_compare(out, expected, args):
    lo, hi = expected
    try:
        pair = [_scalar(v) for v in out] if isinstance(out, (tuple, list, np.ndarray)) else None
    except TypeError:
        pair = None
    if pair is None or len(pair) != 2 or None in pair:
        return f"expected a pair (lo, hi) of grid values, got {fmt(out)}"
    ok = all(math.isfinite(g) and abs(g - e) <= 1e-12 * (1 + abs(e))
             for g, e in zip(pair, (lo, hi)))
    if not ok:
        return (f"expected (lo, hi) = ({fmt(lo, digits=10)}, {fmt(hi, digits=10)}), got "
                f"({fmt(pair[0], digits=10)}, {fmt(pair[1], digits=10)})")
    return None


def _ci_input(rng, i):
    """Counted weights on a grid of K = 1–300 points: a smooth bump (a binomial likelihood or a
    Gaussian, rounded to integers up to 10¹²) times a prior (flat, ramped, a step with zeros, or
    another bump); log shifts from −5000 to +800; levels 0.5–0.999. Inputs with a cumulative mass
    within 10⁻⁹ of a threshold are redrawn. Corners first: one grid point, one point with all
    the mass, the mass in the first or the last point, integer grids."""
    corners = [
        (np.array([0.3]), [5], [2], 0.95, -3.0, 7.0),
        (np.linspace(0, 1, 6), [1, 1, 1, 1, 1, 1], [0, 0, 0, 4, 0, 0], 0.9, 0.0, -5000.0),
        (np.arange(8), [1] * 8, [50, 1, 1, 1, 1, 1, 1, 1], 0.9, 800.0, 0.0),
        (np.linspace(-1, 1, 5), [0, 1, 1, 1, 1], [1, 1, 1, 1, 100], 0.5, -5000.0, 800.0),
    ]
    if i < len(corners):
        return _ci_given(*corners[i])
    while True:
        K = int(rng.choice([2, 3, 5, 10, 41, 101, 300]))
        lo0 = float(rng.normal(0, 3))
        grid = lo0 + np.arange(K) * float(rng.choice([0.001, 0.01, 0.5, 1.0, 7.0]))
        if i % 11 == 6:
            grid = np.arange(K) + int(rng.integers(-5, 5))
        t = np.linspace(0, 1, K)
        if i % 2:
            n = int(rng.integers(1, 200))
            k = int(rng.integers(0, n + 1))
            with np.errstate(divide="ignore"):
                ll = k * np.log(np.clip(t, 1e-300, 1)) + (n - k) * np.log(np.clip(1 - t, 1e-300, 1))
            ll = np.where((t == 0) & (k > 0) | (t == 1) & (k < n), -np.inf, ll)
            if k == 0:
                ll[0] = 0.0
        else:
            c, s = rng.uniform(-0.2, 1.2), rng.choice([0.01, 0.05, 0.2, 1.0])
            ll = -0.5 * ((t - c) / s) ** 2
        if not np.any(np.isfinite(ll)):
            continue
        lik_w = np.floor(1e12 * np.exp(ll - np.max(ll))).astype(np.int64)
        kind = i % 4
        if kind == 0:
            prior_w = np.ones(K, dtype=np.int64)
        elif kind == 1:
            prior_w = np.arange(1, K + 1, dtype=np.int64)[::int(rng.choice([-1, 1]))].copy()
        elif kind == 2:
            prior_w = np.ones(K, dtype=np.int64) * 3
            prior_w[:int(rng.integers(0, K))] = 0
        else:
            prior_w = np.floor(1e6 * np.exp(-0.5 * ((t - rng.uniform(0, 1)) / 0.3) ** 2)) \
                .astype(np.int64) + 1
        if int(np.sum(prior_w * lik_w)) == 0:
            continue
        level = float(rng.choice([0.5, 0.8, 0.9, 0.95, 0.99, 0.999]))
        if _counted_interval(prior_w, lik_w, level)[2] < 1e-9:
            continue
        shift = (float(rng.choice([0.0, -5000.0, 800.0, -300.0])),
                 float(rng.choice([0.0, -5000.0, 800.0, 12.5])))
        if shift[0] + shift[1] > 1000:
            shift = (shift[0], -shift[1])
        given = _ci_given(grid, prior_w, lik_w, level, *shift)
        if i % 5 == 3:                      # a steep ramp added to one factor, taken off the other
            ramp = np.linspace(0.0, float(rng.choice([-900.0, 900.0])), K)
            g, lp, ll, lv = given.args
            given = Given((g, lp + ramp, ll - ramp, lv), given.expected)
        return given


def check_credible_interval(fn):
    """credible_interval(grid, log_prior, log_lik, level) → (lo, hi), two grid values: with
    posterior masses ∝ exp(log_prior + log_lik) and cumulative masses F_k, lo is the first grid
    value with F_k ≥ (1 − level)/2 and hi the first with F_k ≥ (1 + level)/2.

    Catches: the prior or the likelihood forgotten, the prior subtracted, masses not normalised,
    exp without the max-shift (0/0 when every log is −5000, inf at +800), each factor shifted by
    its own maximum instead of their sum (0/0 when prior and likelihood disagree by e^800), the
    tails not halved, indices returned instead of grid values, density instead of mass (F
    divided by the grid step), a trapezoid-rule CDF, the grid point whose cumulative mass is
    nearest the threshold, the first index past the threshold minus or plus one, the
    highest-density interval, lo and hi swapped. Sweep: counted integer weights, the cumulative
    masses compared exactly."""
    g5 = np.linspace(0.0, 1.0, 5)
    flat5 = np.zeros(5)
    bump = np.log([1.0, 2.0, 4.0, 2.0, 1.0])
    cases = [
        Case("flat prior, likelihood ∝ [1, 2, 4, 2, 1], level 0.5: F = [.1, .3, .7, .9, 1]",
             (g5, flat5, bump, 0.5), lambda out: _ci_compare(out, (0.25, 0.75), None)),
        Case("the same at level 0.9", (g5, flat5, bump, 0.9),
             lambda out: _ci_compare(out, (0.0, 1.0), None)),
        Case("a prior ∝ [8, 4, 2, 1, 1] with the same likelihood, level 0.5 (masses 8, 8, 8, 2, 1)",
             (g5, np.log([8.0, 4.0, 2.0, 1.0, 1.0]), bump, 0.5),
             lambda out: _ci_compare(out, (0.0, 0.5), None)),
        Case("every log-likelihood near −5000 (exp of each is 0.0)",
             (g5, flat5, bump - 5000.0, 0.5), lambda out: _ci_compare(out, (0.25, 0.75), None),
             hint="subtract the largest log posterior before exponentiating: the masses are "
                  "ratios, and exp(−5000) is 0.0 in float64."),
        Case("log-likelihoods near +800 (exp of each overflows to inf)",
             (g5, flat5, bump + 800.0, 0.5), lambda out: _ci_compare(out, (0.25, 0.75), None),
             hint="subtract the largest log posterior before exponentiating: exp(800) is inf."),
        Case("a prior that is 0 (−inf) on the first three of six points",
             (np.linspace(0, 1, 6), np.array([-np.inf, -np.inf, -np.inf, 0.0, 0.0, 0.0]),
              np.log([5.0, 5.0, 5.0, 2.0, 3.0, 5.0]), 0.5),
             lambda out: _ci_compare(out, (0.8, 1.0), None),
             hint="a log of −inf (a factor that is 0) must give mass exactly 0: shift by the "
                  "maximum, which is finite; a mean or a sum with a −inf in it is −inf or nan."),
        Case("prior and likelihood that disagree: log_prior = [0, −400, −800], log_lik = "
             "[−800, −400, 0] (equal posterior masses)",
             (np.array([0.0, 1.0, 2.0]), np.array([0.0, -400.0, -800.0]),
              np.array([-800.0, -400.0, 0.0]), 0.5),
             lambda out: _ci_compare(out, (0.0, 2.0), None),
             hint="add the logs first and shift their *sum* by its maximum: shifting each "
                  "factor by its own maximum still leaves exp(−800) = 0.0 everywhere."),
        Case("one grid point", (np.array([2.5]), np.array([-1.0]), np.array([3.0]), 0.95),
             lambda out: _ci_compare(out, (2.5, 2.5), None)),
        Case("an integer grid np.arange(10), the mass in one point",
             (np.arange(10), np.zeros(10), np.where(np.arange(10) == 7, 0.0, -np.inf), 0.95),
             lambda out: _ci_compare(out, (7, 7), None)),
        Case("a skewed posterior, masses ∝ [40, 30, 15, 8, 4, 2, 1], level 0.8",
             (np.linspace(0.1, 0.7, 7), np.zeros(7), np.log([40.0, 30, 15, 8, 4, 2, 1]), 0.8),
             lambda out: _ci_compare(out, (0.1, 0.4), None)),
    ]
    # the detectors' input: 8 points, step 0.5, an informative prior, shifted logs
    grid0 = np.linspace(1.0, 4.5, 8)
    a0 = np.array([6, 5, 5, 9, 7, 2, 3, 1])          # every variant below gives another pair
    l0 = np.array([4, 9, 9, 14, 14, 10, 7, 12])
    lp0, ll0 = _logs(a0, -40.0), _logs(l0, -250.0)
    small = (grid0, lp0, ll0, 0.8)

    def ends(fn_, args=small):
        out = _call(fn_, args)
        try:
            pair = [_scalar(v) for v in out]
        except TypeError:
            return None
        return tuple(pair) if len(pair) == 2 and None not in pair else None

    def interval(mass, level=0.8, grid=grid0):
        F = np.cumsum(mass)
        return (grid[np.searchsorted(F, (1 - level) / 2)] if F[-1] >= (1 - level) / 2 else None,
                grid[np.searchsorted(F, (1 + level) / 2)] if F[-1] >= (1 + level) / 2 else None)

    def gives(expected):
        return lambda fn_: ends(fn_) is not None and None not in expected and \
            np.allclose(ends(fn_), expected, rtol=1e-12, atol=1e-12)

    post = (a0 * l0) / np.sum(a0 * l0)
    right = interval(post)
    step = grid0[1] - grid0[0]
    trap = np.concatenate([[0.0], np.cumsum((post[1:] + post[:-1]) / 2)])
    trap = trap / trap[-1]

    def idx(v):
        return int(np.flatnonzero(grid0 == v)[0])

    def hdi(mass, level):
        order = np.argsort(-mass, kind="stable")
        keep = order[:np.searchsorted(np.cumsum(mass[order]), level) + 1]
        return grid0[keep.min()], grid0[keep.max()]

    moderate = (g5, flat5, bump, 0.5)
    opposed = (np.array([0.0, 1.0, 2.0]), np.array([0.0, -400.0, -800.0]),
               np.array([-800.0, -400.0, 0.0]), 0.5)
    big = (g5, flat5, bump - 5000.0, 0.5)
    huge = (g5, flat5, bump + 800.0, 0.5)
    mistakes = [
        Mistake("prior forgotten", gives(interval(l0 / l0.sum())),
                "the posterior is ∝ prior × likelihood: add log_prior to log_lik before "
                "exponentiating. Without the prior you get the interval of the normalised "
                "likelihood."),
        Mistake("likelihood forgotten", gives(interval(a0 / a0.sum())),
                "the posterior is ∝ prior × likelihood: you used the prior alone. Add log_lik "
                "to log_prior before exponentiating."),
        Mistake("prior subtracted", gives(interval((l0 / a0) / np.sum(l0 / a0))),
                "log posterior = log prior + log likelihood (+ a constant): the prior "
                "multiplies, so its log is added, not subtracted."),
        Mistake("masses not normalised", gives(interval(a0 * l0 / np.max(a0 * l0))),
                "the masses must sum to 1 before you take cumulative sums: divide "
                "exp(log_post − max) by its sum. (The unknown constants in log_prior and "
                "log_lik make exp(log_post) anything but a probability.)"),
        Mistake("no max-shift", lambda fn_: gives(right)(fn_) and ends(fn_, moderate) is not None
                and np.allclose(ends(fn_, moderate), (0.25, 0.75)) and (
            ends(fn_, big) is None or ends(fn_, huge) is None
            or not np.allclose(ends(fn_, big), (0.25, 0.75))
            or not np.allclose(ends(fn_, huge), (0.25, 0.75))),
                "exp of log posteriors near −5000 is 0.0 for every grid point (0/0 = nan after "
                "normalising), and near +800 it is inf. Subtract the largest log posterior "
                "first: exp(log_post − max) has largest entry 1, and the normalised masses are "
                "the same."),
        Mistake("factors shifted separately", lambda fn_: gives(right)(fn_) and all(
            ends(fn_, a) is not None and np.allclose(ends(fn_, a), (0.25, 0.75))
            for a in (moderate, big, huge)) and not (
            lambda e: e is not None and np.allclose(e, (0.0, 2.0)))(ends(fn_, opposed)),
                "shift the *sum* log_prior + log_lik by its maximum, not each factor by its "
                "own: with log_prior = [0, −400, −800] and log_lik = [−800, −400, 0] each factor's "
                "largest entry is 0, yet every product is e^(−800) = 0.0, and 0/0 = nan."),
        Mistake("tails not halved", gives(interval(post, level=0.6)),
                "an equal-tailed interval at level 0.8 leaves (1 − 0.8)/2 = 0.1 of the mass in "
                "each tail: the thresholds are (1 − level)/2 and (1 + level)/2, not 1 − level "
                "and level."),
        Mistake("indices returned", lambda fn_: ends(fn_) is not None and np.allclose(
            ends(fn_), (idx(right[0]), idx(right[1]))),
                "return the grid values θ_k (grid[k]), not the indices k."),
        Mistake("density, not mass", gives(interval(post / step)),
                "you divided the masses by the grid step (a density that integrates to 1) and "
                "then summed them without multiplying back: the cumulative sums of a density "
                "are not probabilities. Use the masses exp(log_post − max) / their sum "
                "directly."),
        Mistake("trapezoid CDF", gives((grid0[np.searchsorted(trap, 0.1)],
                                        grid0[np.searchsorted(trap, 0.9)])),
                "the grid points are the possible values, each with its own mass: F_k is the "
                "plain cumulative sum of the masses up to and including θ_k (np.cumsum), not "
                "a trapezoid-rule integral of a density."),
        Mistake("one grid point early", gives((grid0[idx(right[0]) - 1],
                                               grid0[idx(right[1]) - 1])),
                "you returned the last grid value *before* the cumulative mass reaches the "
                "threshold; the task asks for the first θ_k with F_k ≥ the threshold "
                "(np.searchsorted(F, q) with side='left' gives exactly that index)."),
        Mistake("one grid point late", gives((grid0[idx(right[0]) + 1],
                                              grid0[idx(right[1]) + 1])),
                "one grid point too far: the first θ_k with F_k ≥ q is grid[np.searchsorted(F, "
                "q)], with no + 1 (F_k includes the mass at θ_k itself)."),
        Mistake("nearest cumulative mass", gives(
            (grid0[np.argmin(np.abs(np.cumsum(post) - 0.1))],
             grid0[np.argmin(np.abs(np.cumsum(post) - 0.9))])),
                "you took the grid point whose cumulative mass is *nearest* the threshold; the "
                "task asks for the first θ_k whose cumulative mass *reaches* it, F_k ≥ q "
                "(np.searchsorted(F, q)), which may be further from q."),
        Mistake("highest-density interval", gives(hdi(post, 0.8)),
                "that is a highest-density interval (the most probable points first); the task "
                "asks for the equal-tailed one, with (1 − level)/2 of the mass below lo and "
                "(1 − level)/2 above hi."),
        Mistake("lo and hi swapped", gives((right[1], right[0])),
                "return (lo, hi) with lo ≤ hi: lo is where the cumulative mass reaches "
                "(1 − level)/2, hi where it reaches (1 + level)/2."),
    ]
    sweep = Sweep(_ci_input, None, _ci_compare, n=150, seed=15,
                  property="equal-tailed interval (counted integer weights, cumulative masses "
                           "compared exactly with the thresholds)",
                  hint="log_post = log_prior + log_lik; mass = exp(log_post − max); mass /= "
                       "mass.sum(); F = np.cumsum(mass); lo = grid[first k with F[k] ≥ "
                       "(1 − level)/2], hi = grid[first k with F[k] ≥ (1 + level)/2].")
    return run_checks("credible_interval", fn, cases, mistakes, sweep=sweep, hint=sweep.hint)
