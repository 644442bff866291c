"""Checkers for notebook 13, Bayes' theorem and naive Bayes. Each lists its hand-picked cases
and the classic mistakes it recognises; expected values are hand-computed numbers or come from
an independent oracle, never a reference solution's output:

* ``check_p_disease_given_positive`` and ``check_posterior`` build every random input from a
  *counted population* (natural frequencies): n_k people of hypothesis k, m_k of whom show the
  evidence, so prior = n_k/N, likelihood = m_k/n_k and the answer is m_k / Σ m — counted, not
  computed with Bayes' formula;
* ``check_log_gaussian_nb_predict`` compares with per-feature log-densities from
  ``dlmath.prob.Normal.log_prob``, normalised with ``np.logaddexp.reduce`` (pairwise
  log(eᵃ + eᵇ), never the exp of a large or very negative number)."""
import math

import numpy as np

from .core import Case, Given, Mistake, Sweep, close, fmt, run_checks, _call
from .core import as_array as _arr, matches as _is
from ..prob import Normal

__all__ = ["check_p_disease_given_positive", "check_posterior", "check_log_gaussian_nb_predict"]


# ---------------------------------------------------------------------------------------------
# Exercise 1 · the diagnostic test
# ---------------------------------------------------------------------------------------------

def _diagnostic_population(rng, i):
    """A counted population: N people, S of them sick, TP sick ones and FP healthy ones test
    positive. Returns Given((sensitivity, specificity, prevalence), TP / (TP + FP)). Corners
    first: nobody sick, everybody sick, a perfect test, a useless one, a rare disease."""
    corners = [(1000, 0, 0, 50), (200, 200, 180, 0), (1000, 10, 10, 0), (1000, 10, 9, 0),
               (100, 50, 25, 25), (10000, 1, 1, 999), (10000, 100, 90, 495),
               (1000, 500, 400, 100), (20, 1, 0, 1), (10**6, 10, 10, 10**5)]
    if i < len(corners):
        N, S, TP, FP = corners[i]
    else:
        N = int(rng.choice([10, 100, 1000, 10000, 10**6]))
        S = int(rng.integers(0, N + 1)) if i % 3 else int(rng.integers(0, max(2, N // 50)))
        TP = int(rng.integers(0, S + 1))
        FP = int(rng.integers(0, N - S + 1)) if i % 4 else int(rng.integers(0, (N - S) // 20 + 1))
        if TP + FP == 0:
            FP = 1 if N > S else 0
            TP = 1 if FP == 0 else TP
    H = N - S
    sens = TP / S if S else float(rng.choice([0.5, 0.9, 1.0]))
    spec = 1 - FP / H if H else float(rng.choice([0.5, 0.95, 1.0]))
    return Given((sens, spec, S / N), TP / (TP + FP))


def _scalar_compare(out, expected, args):
    try:
        v = np.asarray(getattr(out, "data", out), dtype=float)
    except (TypeError, ValueError):
        return f"expected a number, got {fmt(out)}"
    if v.shape != ():
        return f"expected one number, got shape {v.shape}"
    if not math.isfinite(float(v)):
        return f"expected {fmt(expected)}, got {fmt(float(v))}"
    if not math.isclose(float(v), expected, rel_tol=1e-9, abs_tol=1e-12):
        return f"expected {fmt(expected)}, got {fmt(float(v))}"
    return None


def check_p_disease_given_positive(fn):
    """p_disease_given_positive(sensitivity, specificity, prevalence) = P(sick | +)

        = sens·prev / (sens·prev + (1 − spec)(1 − prev)),

    with sensitivity = P(+ | sick), specificity = P(− | healthy), prevalence = P(sick); P(+) > 0
    in every case. Catches: returning the sensitivity (the base-rate fallacy), the specificity
    used as the false-positive rate, the prevalence forgotten in the evidence, returning the
    numerator (no evidence) or the evidence P(+) itself, P(healthy | +), P(sick | −),
    sensitivity and specificity swapped. Sweep: counted populations (natural frequencies)."""
    f = lambda s, t, p: s * p / (s * p + (1 - t) * (1 - p))
    cases = [
        Case("sens 0.9, spec 0.95, prevalence 0.01 (90 of the 585 positives are sick)",
             (0.9, 0.95, 0.01), close(90 / 585)),
        Case("sens 0.99, spec 0.99, prevalence 0.5", (0.99, 0.99, 0.5), close(0.99)),
        Case("sens 0.8, spec 0.9, prevalence 0.2 (160 of 240 positives)", (0.8, 0.9, 0.2),
             close(2 / 3)),
        Case("a perfect specificity 1.0: every positive is sick", (0.7, 1.0, 0.001), close(1.0)),
        Case("prevalence 0: nobody is sick", (0.9, 0.95, 0.0), close(0.0)),
        Case("prevalence 1 (the int 1): everybody is sick", (0.9, 0.5, 1), close(1.0)),
        Case("sensitivity the int 1, spec 0.9, prevalence 0.1 (100 of 190 positives)",
             (1, 0.9, 0.1), close(10 / 19)),
    ]

    def v(fn_, s, t, p):
        out = np.asarray(_call(fn_, (s, t, p)), dtype=float)
        return float(out) if out.shape == () else float("nan")

    def gives(formula):
        pts = [(0.9, 0.95, 0.01), (0.8, 0.9, 0.2), (0.6, 0.7, 0.3)]
        return lambda fn_: all(math.isclose(v(fn_, *a), formula(*a), rel_tol=1e-9) for a in pts)

    mistakes = [
        Mistake("sensitivity returned", gives(lambda s, t, p: s),
                "that is the sensitivity P(+ | sick), not P(sick | +) — the base-rate fallacy. "
                "Out of 10 000 people with prevalence 1 %, 90 of the 100 sick test positive, but so "
                "do 495 of the 9 900 healthy: only 90 of 585 positives are sick."),
        Mistake("specificity as the false-positive rate", gives(lambda s, t, p: s * p / (s * p + t * (1 - p))),
                "a healthy person tests positive with probability 1 − specificity (the specificity "
                "is P(− | healthy), the *right* answer for the healthy): the evidence is "
                "P(+) = sens·prev + (1 − spec)(1 − prev)."),
        Mistake("prevalence ignored", gives(lambda s, t, p: s / (s + 1 - t)),
                "the prevalence must weight both groups: sens·prev people are sick and positive, "
                "(1 − spec)(1 − prev) are healthy and positive. Without it you assume half the "
                "people are sick."),
        Mistake("no evidence", gives(lambda s, t, p: s * p),
                "sens·prev is P(sick and +), the numerator only: divide by the evidence "
                "P(+) = sens·prev + (1 − spec)(1 − prev), the probability of testing positive at "
                "all."),
        Mistake("evidence returned", gives(lambda s, t, p: s * p + (1 - t) * (1 - p)),
                "that is P(+), the probability of a positive test (the evidence). P(sick | +) "
                "is the share of the sick among the positives: sens·prev / P(+)."),
        Mistake("P(healthy | +)", gives(lambda s, t, p: 1 - f(s, t, p)),
                "that is P(healthy | +), the share of *healthy* people among the positives: you "
                "want the sick ones, sens·prev in the numerator."),
        Mistake("P(sick | −)", gives(lambda s, t, p: (1 - s) * p / ((1 - s) * p + t * (1 - p))),
                "that is P(sick | −), for a *negative* test. For a positive one the sick are "
                "counted by the sensitivity and the healthy by 1 − specificity."),
        Mistake("sensitivity and specificity swapped", gives(lambda s, t, p: f(t, s, p)),
                "sensitivity and specificity are swapped: sensitivity = P(+ | sick) (first "
                "argument), specificity = P(− | healthy) (second)."),
    ]
    sweep = Sweep(_diagnostic_population, None, _scalar_compare, n=200, seed=13,
                  property="share of the sick among the positives TP / (TP + FP), counted in a "
                           "population of N people",
                  hint="P(sick | +) = sens·prev / (sens·prev + (1 − spec)(1 − prev)).")
    return run_checks("p_disease_given_positive", fn, cases, mistakes, sweep=sweep,
                      hint="P(sick | +) = sens·prev / (sens·prev + (1 − spec)(1 − prev)).")


# ---------------------------------------------------------------------------------------------
# Exercise 2 · the posterior over a finite set of hypotheses
# ---------------------------------------------------------------------------------------------

def _counted_hypotheses(rng, i):
    """Given((prior, likelihoods), posterior) from a counted population: n_k people under
    hypothesis k, m_k ≤ n_k of them show the evidence; posterior_k = m_k / Σ m. Corners first:
    one hypothesis, a hypothesis with prior 0, likelihood 0, equal likelihoods (posterior =
    prior), integer likelihoods 0/1, K up to 12, priors that differ by 10⁶."""
    corners = [([7], [3]), ([5, 5], [1, 4]), ([0, 10, 10], [0, 5, 2]), ([3, 6, 9], [0, 6, 3]),
               ([4, 8, 12], [2, 4, 6]), ([10**6, 1], [1, 1]), ([2, 3], [2, 0]),
               ([1, 1, 1, 1], [1, 0, 1, 0])]
    if i < len(corners):
        n, m = (np.array(v) for v in corners[i])
    else:
        K = int(rng.integers(1, 13))
        n = rng.integers(0, rng.choice([5, 100, 10**6]) + 1, K)
        n[rng.integers(K)] = max(1, n.max())
        m = np.array([rng.integers(0, k + 1) for k in n])
        if m.sum() == 0:
            k = int(np.argmax(n))
            m[k] = n[k]
    prior = n / n.sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        like = np.where(n > 0, m / np.maximum(n, 1), rng.random(len(n)))
    if i == 7 or i % 9 == 4:                          # likelihoods that are all 0 or 1: integers
        if np.all(np.isin(like, (0.0, 1.0))):
            like = like.astype(np.int64)
    return Given((prior, like), m / m.sum())


def check_posterior(fn):
    """posterior(prior, likelihoods) for hypotheses H_1 … H_K (1-D arrays of length K):
    prior[k] = P(H_k), likelihoods[k] = P(E | H_k), returns P(H_k | E)
    = prior[k]·likelihoods[k] / Σ_j prior[j]·likelihoods[j] (P(E) > 0 in every case).

    Catches: returning the likelihoods (P(E | H) for P(H | E)), normalised likelihoods (the
    prior forgotten), the unnormalised product prior·likelihood (the evidence forgotten),
    dividing by the sum of the likelihoods or of the prior instead of the evidence, returning the
    prior, a scalar P(E) returned, changing an input in place (reported by the core). Sweep:
    counted populations, where the posterior is m_k / Σ m."""
    cases = [
        Case("two coins, prior [0.5, 0.5], P(heads | coin) = [0.5, 1.0]",
             (np.array([0.5, 0.5]), np.array([0.5, 1.0])), close([1 / 3, 2 / 3])),
        Case("prior [0.9, 0.1], likelihoods [0.1, 0.9] (the prior matters)",
             (np.array([0.9, 0.1]), np.array([0.1, 0.9])), close([0.5, 0.5])),
        Case("three hypotheses, prior [0.2, 0.3, 0.5], likelihoods [0.5, 0.2, 0.1]",
             (np.array([0.2, 0.3, 0.5]), np.array([0.5, 0.2, 0.1])),
             close(np.array([0.1, 0.06, 0.05]) / 0.21)),
        Case("equal likelihoods [0.3, 0.3, 0.3]: the evidence says nothing, posterior = prior",
             (np.array([0.6, 0.3, 0.1]), np.array([0.3, 0.3, 0.3])), close([0.6, 0.3, 0.1])),
        Case("a hypothesis with prior 0 stays at 0", (np.array([0.0, 0.25, 0.75]),
                                                      np.array([1.0, 0.5, 0.5])),
             close([0.0, 0.25, 0.75])),
        Case("integer likelihoods np.array([1, 0, 1])",
             (np.array([0.25, 0.25, 0.5]), np.array([1, 0, 1])), close([1 / 3, 0.0, 2 / 3])),
        Case("a single hypothesis", (np.array([1.0]), np.array([0.2])), close([1.0])),
        Case("an impossible hypothesis beside a very unlikely one (likelihoods 0 and 1e-10)",
             (np.array([0.5, 0.5]), np.array([0.0, 1e-10])), close([0.0, 1.0], atol=1e-15),
             hint="a likelihood of exactly 0 gives a posterior of exactly 0, however small the "
                  "other likelihoods are: don't add an epsilon before taking logs."),
    ]
    pri, lik = np.array([0.2, 0.3, 0.5]), np.array([0.5, 0.2, 0.1])

    def gives(expected):
        return lambda fn_: _is(_call(fn_, (pri, lik)), expected)

    mistakes = [
        Mistake("likelihoods returned", gives(lik),
                "you returned the likelihoods P(E | H_k), but the task is the other way round, "
                "P(H_k | E): P(E | H) and P(H | E) are different numbers (P(sum 12 | first die "
                "6) = 1/6, P(first die 6 | sum 12) = 1). Multiply by the prior, then normalise."),
        Mistake("prior forgotten", gives(lik / lik.sum()),
                "you normalised the likelihoods, but the prior is missing: posterior ∝ prior × "
                "likelihood. With a prior of [0.9, 0.1] and likelihoods [0.1, 0.9] the two "
                "hypotheses end up equally likely."),
        Mistake("no evidence", gives(pri * lik),
                "prior × likelihood is P(H_k and E), not yet P(H_k | E): divide by the evidence "
                "P(E) = Σ_j prior[j]·likelihoods[j] so that the posterior sums to 1."),
        Mistake("divided by the likelihoods' sum", gives(pri * lik / lik.sum()),
                "the evidence is P(E) = Σ_j P(H_j) P(E | H_j) (the law of total probability), "
                "not the sum of the likelihoods: divide prior × likelihood by Σ prior × "
                "likelihood."),
        Mistake("divided by the prior", gives(lik / pri / np.sum(lik / pri)),
                "prior and likelihood are multiplied, not divided: posterior ∝ P(H_k) P(E | H_k)."),
        Mistake("prior returned", gives(pri),
                "that is the prior, unchanged: the evidence E has to update it, posterior ∝ "
                "prior × likelihood."),
        Mistake("evidence returned", lambda fn_: _is(_call(fn_, (pri, lik)), np.sum(pri * lik)),
                "you returned the evidence P(E), one number; return the vector of posteriors "
                "P(H_k | E), one per hypothesis."),
    ]
    sweep = Sweep(_counted_hypotheses, None, None, n=200, seed=13,
                  property="posterior, counted: m_k / Σ m for n_k people under H_k of whom m_k "
                           "show the evidence",
                  hint="posterior = prior × likelihoods / Σ(prior × likelihoods), as floats.")
    return run_checks("posterior", fn, cases, mistakes, sweep=sweep,
                      hint="posterior = prior × likelihoods / Σ(prior × likelihoods), as floats.")


# ---------------------------------------------------------------------------------------------
# Exercise 3 · Gaussian naive Bayes in log space
# ---------------------------------------------------------------------------------------------

def _nb_oracle(X, means, variances, log_priors):
    """log P(c | x_n) from dlmath.prob.Normal's log-density per feature, summed, plus the log
    prior, normalised over the classes with np.logaddexp.reduce (pairwise, no max-shift)."""
    X = np.asarray(X, dtype=float)
    means, variances = np.asarray(means, dtype=float), np.asarray(variances, dtype=float)
    dens = Normal(means[None], np.sqrt(variances)[None]).log_prob(X[:, None, :])   # (N, K, d)
    joint = np.asarray(log_priors, dtype=float)[None] + dens.sum(axis=-1)
    return joint - np.logaddexp.reduce(joint, axis=1, keepdims=True)


def _nb_compare(out, expected, args):
    try:
        out = _arr(out)
    except (TypeError, ValueError):
        return f"expected an array of shape {expected.shape}, got {fmt(out)}"
    if out.shape != expected.shape:
        return (f"expected shape {expected.shape} (one row per example, one column per class), "
                f"got {out.shape}")
    if not np.all(np.isfinite(out)):
        return f"expected {fmt(expected)}, got {fmt(out)} (nan or inf)"
    tol = 1e-9 * (1 + np.abs(expected)) + 1e-12 * float(np.max(np.abs(expected)))
    if np.any(np.abs(out - expected) > tol):
        return f"expected {fmt(expected)}, got {fmt(out)}"
    return None


def _nb_input(rng, i):
    """(X, means, variances, log_priors): N = 1–5 rows, K = 1–4 classes, d = 1–80 features;
    corners first: 64 features far from every class mean (each product underflows), tiny
    variances (a smoothed constant feature), one class, integer X, very unequal priors."""
    if i == 0:                                       # every class's product underflows
        d = 64
        means = np.stack([np.zeros(d), np.ones(d), np.full(d, 2.0)])
        return (np.full((2, d), 10.0), means, np.ones((3, d)), np.log([0.2, 0.3, 0.5]))
    if i == 1:                                       # one class: log posterior 0
        return (rng.standard_normal((3, 5)), rng.standard_normal((1, 5)),
                rng.uniform(0.5, 2, (1, 5)), np.array([0.0]))
    N, K = int(rng.integers(1, 6)), int(rng.integers(2, 5))
    d = int(rng.choice([1, 2, 5, 30, 64, 80]))
    means = rng.normal(0, rng.choice([1.0, 5.0, 20.0]), (K, d))
    variances = rng.uniform(0.05, 4, (K, d)) * rng.choice([1.0, 0.1, 10.0])
    if i % 5 == 2:
        variances[:, int(rng.integers(d))] = 1e-9    # a constant feature, smoothed
    X = means[rng.integers(K, size=N)] + rng.normal(0, rng.choice([0.5, 2.0, 8.0]), (N, d))
    if i % 7 == 3:
        X = np.round(X).astype(np.int64)
    priors = rng.dirichlet(np.ones(K)) if i % 4 else np.r_[1e-6, np.ones(K - 1)]
    return X, means, variances, np.log(priors / priors.sum())


# hand-picked inputs, the expected values worked out by hand
_ONE_X = np.array([[0.0], [2.0]])                   # 1 feature, 2 classes N(0, 1) and N(2, 4)
_ONE_MU = np.array([[0.0], [2.0]])
_ONE_VAR = np.array([[1.0], [4.0]])
_ONE_LP = np.log([0.5, 0.5])


def _one_feature_expected(log_priors):
    # a_c = log π_c − ½ log(2π σ²_c) − (x − μ_c)²/(2σ²_c), normalised by hand for two classes
    a = np.array([[-0.5 * math.log(2 * math.pi) - 0.0, -0.5 * math.log(8 * math.pi) - 4 / 8],
                  [-0.5 * math.log(2 * math.pi) - 2.0, -0.5 * math.log(8 * math.pi) - 0.0]])
    a = a + np.asarray(log_priors)[None]
    m = a.max(axis=1, keepdims=True)
    return a - (m + np.log(np.exp(a - m).sum(axis=1, keepdims=True)))


_PIXELS = (np.array([[16, 0, 3, 12], [0, 16, 16, 1]], dtype=np.uint8),
           np.array([[14.0, 1.0, 4.0, 10.0], [2.0, 13.0, 15.0, 0.5]]),
           np.array([[4.0, 1.0, 9.0, 6.0], [3.0, 5.0, 2.0, 1.0]]), np.log([0.4, 0.6]))
_FAR_FROM_ZERO = (np.array([[1e8 + 0.3, 2e8 - 0.5]]),
                  np.array([[1e8, 2e8], [1e8 + 1.0, 2e8 - 1.0]]), np.ones((2, 2)),
                  np.log([0.5, 0.5]))


def check_log_gaussian_nb_predict(fn):
    """log_gaussian_nb_predict(X, means, variances, log_priors) → L of shape (N, K),
    L[n, c] = log P(c | x_n) for Gaussian naive Bayes:

        a_nc = log_priors[c] + Σ_j [−½ log(2π variances[c, j]) − (X[n, j] − means[c, j])² /
        (2 variances[c, j])],      L[n, c] = a_nc − log Σ_c' exp(a_nc'),

    X (N, d), means and variances (K, d) (every variance > 0, already smoothed), log_priors (K,).
    Catches: the product of densities in linear space (underflow: log 0 = −inf), exp of the log
    joint without the max-shift (0/0 when every class is far away), the prior or the evidence
    forgotten, the −½ log σ² term dropped, the ½ dropped, standard deviations for variances,
    probabilities instead of log-probabilities, normalising over the examples instead of the
    classes, returning the predicted labels. Sweep: dlmath.prob.Normal's log-density,
    normalised with np.logaddexp.reduce, on inputs of up to 80 features."""
    d = 64
    far_X = np.full((2, d), 10.0)                    # each class's product: e^(−2000 …) = 0.0
    far_mu = np.stack([np.zeros(d), np.ones(d), np.full(d, 2.0)])
    far_var, far_lp = np.ones((3, d)), np.log([0.2, 0.3, 0.5])
    far_expected = _nb_oracle(far_X, far_mu, far_var, far_lp)
    # one class near, one far: the far class's product underflows on its own
    mixed = (np.zeros((1, 40)), np.stack([np.zeros(40), np.full(40, 8.0)]), np.ones((2, 40)),
             np.log([0.5, 0.5]))
    unequal = np.log([0.9, 0.1])
    cases = [
        Case("one feature, classes N(0, 1) and N(2, 4), equal priors (worked by hand)",
             (_ONE_X, _ONE_MU, _ONE_VAR, _ONE_LP), close(_one_feature_expected(_ONE_LP))),
        Case("the same with priors [0.9, 0.1]", (_ONE_X, _ONE_MU, _ONE_VAR, unequal),
             close(_one_feature_expected(unequal))),
        Case("40 features, x at class 0's mean and 8σ from class 1's (its product underflows)",
             mixed, close(np.array([[0.0, -1280.0]]), atol=1e-9)),
        Case("64 features, every class far away (every product underflows to 0.0)",
             (far_X, far_mu, far_var, far_lp), close(far_expected, rtol=1e-12, atol=1e-9)),
        Case("integer X", (np.array([[0], [2]]), _ONE_MU, _ONE_VAR, _ONE_LP),
             close(_one_feature_expected(_ONE_LP))),
        Case("uint8 pixels 0–16, as the digits store them", _PIXELS,
             close(_nb_oracle(*_PIXELS), rtol=1e-12, atol=1e-9),
             hint="convert X to float before squaring: in uint8, 16² = 256 wraps round to 0."),
        Case("features near 10⁸ (x − μ small, x² huge)", _FAR_FROM_ZERO,
             close(_nb_oracle(*_FAR_FROM_ZERO), rtol=1e-12, atol=1e-9),
             hint="compute (x − μ)² as a difference first: expanding it to x² − 2xμ + μ² "
                  "cancels catastrophically when x and μ are large and close."),
    ]
    small = (_ONE_X, _ONE_MU, _ONE_VAR, unequal)
    ok_small = _one_feature_expected(unequal)

    def out(fn_, args=small):
        return _call(fn_, args)

    def right_small(fn_):
        return _is(out(fn_), ok_small, 1e-9, 1e-9)

    def variant(**kw):
        """The log posterior of ``small`` computed with one change."""
        X, mu, var, lp = small
        v = var ** 2 if kw.get("std") else var
        dens = -(X[:, None, :] - mu[None]) ** 2 / (v[None] * (1 if kw.get("no_half") else 2))
        if not kw.get("no_norm"):
            dens = dens - 0.5 * np.log(2 * math.pi * v[None])
        a = dens.sum(axis=-1) + (0 if kw.get("no_prior") else lp[None])
        if kw.get("no_evidence"):
            return a
        if kw.get("over_rows"):
            return a - np.logaddexp.reduce(a, axis=0, keepdims=True)
        return a - np.logaddexp.reduce(a, axis=1, keepdims=True)

    def gives(**kw):
        return lambda fn_: _is(out(fn_), variant(**kw), 1e-9, 1e-9)

    def nonfinite(fn_, args):
        try:
            return not np.all(np.isfinite(_arr(out(fn_, args))))
        except Exception:
            return False

    mistakes = [
        Mistake("linear space", lambda fn_: right_small(fn_) and nonfinite(fn_, mixed),
                "you multiplied the densities (or exponentiated each class's log joint) in linear "
                "space: 40 densities of about e^(−32) multiply to e^(−1280), which is 0.0 in "
                "float64, and log 0 = −inf. Stay in log space: add the log-densities, "
                "a = log prior + Σ_j log N(x_j; μ_cj, σ²_cj)."),
        Mistake("no max-shift", lambda fn_: right_small(fn_) and not nonfinite(fn_, mixed)
                and nonfinite(fn_, (far_X, far_mu, far_var, far_lp)),
                "when every class is far away, every exp(a_c) is 0.0 and log Σ exp(a_c) = log 0. "
                "Subtract the largest a_c first: log Σ exp(a_c) = m + log Σ exp(a_c − m) with "
                "m = max_c a_c (the largest term becomes e⁰ = 1)."),
        Mistake("prior forgotten", gives(no_prior=True),
                "the log prior is missing: a_nc = log_priors[c] + Σ_j log N(x_nj; μ_cj, σ²_cj). "
                "With priors [0.9, 0.1] the answer changes."),
        Mistake("no evidence", gives(no_evidence=True),
                "these are the log joints log P(c, x), not log P(c | x): subtract the log "
                "evidence log P(x) = log Σ_c exp(a_nc) from each row, so exp of each row sums "
                "to 1."),
        Mistake("no −½ log(2πσ²)", gives(no_norm=True),
                "the Gaussian log-density is −½ log(2πσ²) − (x − μ)²/(2σ²): the first term "
                "differs between classes with different variances, so it does not cancel when "
                "you normalise (the 2π alone would)."),
        Mistake("½ dropped", gives(no_half=True),
                "the exponent of a Gaussian is −(x − μ)²/(2σ²): the 2 is missing."),
        Mistake("standard deviations", gives(std=True),
                "`variances` holds σ², not σ: divide (x − μ)² by 2·variances and take "
                "½ log(2π·variances) — no extra squaring."),
        Mistake("probabilities returned",
                lambda fn_: _is(out(fn_), np.exp(ok_small), 1e-9, 1e-12),
                "you returned the posterior probabilities; the task asks for their logarithms "
                "log P(c | x) (an exp of them would underflow for unlikely classes)."),
        Mistake("normalised over the examples", gives(over_rows=True),
                "each *row* (one example, all classes) must be normalised: log Σ over the classes, "
                "axis=1 with keepdims=True, not over the examples."),
        Mistake("labels returned", lambda fn_: np.shape(out(fn_)) == (2,),
                "return the whole (N, K) matrix of log posteriors, not only the predicted class: "
                "the prediction is its argmax over axis 1."),
    ]
    sweep = Sweep(_nb_input, _nb_oracle, _nb_compare, n=150, seed=13,
                  property="log posterior (dlmath.prob.Normal's log-density per feature, "
                           "summed, plus the log prior, normalised over the classes)",
                  hint="a = log_priors + Σ_j (−½ log(2π var) − (x − μ)²/(2 var)) for every "
                       "(example, class), then a − (m + log Σ exp(a − m)) with m the row max.")
    return run_checks("log_gaussian_nb_predict", fn, cases, mistakes, sweep=sweep,
                      hint=sweep.hint)
