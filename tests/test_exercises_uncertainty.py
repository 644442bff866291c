"""The notebook-27 checkers (dlmath/exercises/uncertainty.py): correct solutions pass (two or three
different ones each; the notebook's own in a separate test), each catalogued mistake — written as
real wrong code — is caught under its own name, a stub is "not attempted", uncatalogued wrong
solutions get expected-vs-got, input mutation is caught, the sweep catches what the hand-picked
cases miss, and each oracle agrees with an independent computation (exact ECE constructions, the
weight-space posterior in mpmath, the mutual information as a mean KL divergence, vectorised
counting)."""
import math
from pathlib import Path

import mpmath
import numpy as np
import pytest

from dlmath.exercises import (check_accuracy_coverage, check_expected_calibration_error,
                              check_posterior_predictive, check_uncertainty_decomposition)
from dlmath.exercises import uncertainty as un
from exercise_helpers import named as _named, notebook_solutions, stub

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "27_uncertainty_calibration.ipynb"
notebook_solution = notebook_solutions(NOTEBOOK)


def _generic(result):
    return result.status == "failed" and "expected" in result.message and not result.mistakes


# --------------------------------------------------------------------------------------------
# expected_calibration_error
# --------------------------------------------------------------------------------------------

def ece_loop(confidences, correct, n_bins=10):          # bin by bin, edges in float
    N, total = len(confidences), 0.0
    for b in range(1, n_bins + 1):
        lo, hi = (b - 1) / n_bins, b / n_bins
        idx = [n for n in range(N)
               if lo < confidences[n] <= hi or (b == 1 and confidences[n] == 0)]
        if idx:
            acc = sum(bool(correct[n]) for n in idx) / len(idx)
            conf = sum(confidences[n] for n in idx) / len(idx)
            total += len(idx) / N * abs(acc - conf)
    return total


def ece_bincount(confidences, correct, n_bins=10):      # b = max(1, ⌈c·M⌉), vectorised
    c, r = np.asarray(confidences, float), np.asarray(correct, float)
    b = np.maximum(np.ceil(c * n_bins), 1).astype(int) - 1
    gaps = np.bincount(b, r, n_bins) - np.bincount(b, c, n_bins)   # |B|·(acc − conf)
    return float(np.abs(gaps).sum() / len(c))


def ece_digitize(confidences, correct, n_bins=10):      # np.digitize(right=True)
    c, r = np.asarray(confidences, float), np.asarray(correct, float)
    b = np.digitize(c, np.linspace(0, 1, n_bins + 1)[1:-1], right=True)
    ece = 0.0
    for k in range(n_bins):
        m = b == k
        if m.any():
            ece += m.mean() * abs(r[m].mean() - c[m].mean())
    return ece


@pytest.mark.parametrize("fn", [ece_loop, ece_bincount, ece_digitize])
def test_ece_correct_solutions_pass(fn):
    assert check_expected_calibration_error(fn)


def _bins(c, M, rule):
    """Per-prediction bin index 0…M−1 (or M) under a (possibly wrong) rule; -1 = dropped."""
    c = np.asarray(c, float)
    if rule == "right":
        return np.maximum(np.ceil(c * M), 1).astype(int) - 1
    if rule == "no zero":
        b = np.ceil(c * M).astype(int) - 1
        return np.where(c == 0, -1, b)
    if rule == "floor clip":
        return np.minimum(np.floor(c * M).astype(int), M - 1)
    if rule == "floor drop":
        b = np.floor(c * M).astype(int)
        return np.where(b == M, -1, b)
    if rule == "digitize":                                  # right=False, an (M+1)-th bin
        return np.digitize(c, np.linspace(0, 1, M + 1)) - 1


def _ece_with(bins="right", gap=abs, reduce="weighted", M_shift=0):
    def ece(confidences, correct, n_bins=10):
        M = n_bins + M_shift
        c, r = np.asarray(confidences, float), np.asarray(correct, float)
        b = _bins(c, M, bins)
        gaps, sizes = [], []
        for k in sorted(set(b.tolist()) - {-1}):
            m = b == k
            gaps.append(gap(r[m].mean() - c[m].mean()))
            sizes.append(m.sum())
        gaps, sizes = np.array(gaps), np.array(sizes)
        if reduce == "mean":
            return float(gaps.mean())
        if reduce == "mean over M":
            return float(gaps.sum() / M)
        if reduce == "max":
            return float(gaps.max())
        return float((sizes / len(c) * gaps).sum())
    return ece


def ece_linspace_n_bins(confidences, correct, n_bins=10):    # linspace(0, 1, M): M − 1 bins
    c, r = np.asarray(confidences, float), np.asarray(correct, float)
    edges = np.linspace(0, 1, n_bins)
    b = np.digitize(c, edges[1:-1], right=True)
    return float(sum(np.mean(b == k) * abs(r[b == k].mean() - c[b == k].mean())
                     for k in range(len(edges) - 1) if np.any(b == k)))


@pytest.mark.parametrize("fn, name", [
    (_ece_with(reduce="mean"), "unweighted mean over non-empty bins"),
    (_ece_with(reduce="mean over M"), "unweighted mean over all bins"),
    (_ece_with(gap=lambda d: d), "signed gap"),
    (_ece_with(gap=lambda d: -d), "signed gap"),
    (_ece_with(bins="floor clip"), "left-closed bins"),
    (_ece_with(bins="floor drop"), "left-closed bins"),
    (_ece_with(bins="digitize"), "left-closed bins"),
    (_ece_with(bins="no zero"), "c = 0 dropped"),
    (_ece_with(gap=lambda d: d * d), "squared gap"),
    (_ece_with(reduce="max"), "maximum gap (MCE)"),
    (_ece_with(M_shift=1), "M + 1 or M − 1 bins"),
    (ece_linspace_n_bins, "M + 1 or M − 1 bins"),
])
def test_ece_mistakes_are_named(fn, name):
    assert _named(check_expected_calibration_error(fn), name)


def test_ece_stub_mutation_uncatalogued_and_sweep():
    assert check_expected_calibration_error(stub).status == "not attempted"

    def in_place(confidences, correct, n_bins=10):
        np.clip(confidences, 1e-12, 1.0, out=confidences)     # "avoid the c = 0 corner"
        return ece_bincount(confidences, correct, n_bins)
    r = check_expected_calibration_error(in_place)
    assert r.status == "failed" and "in place" in r.message and "in place" in r.mistakes
    assert _generic(check_expected_calibration_error(
        lambda c, r, n_bins=10: ece_bincount(c, r, n_bins) * 1.001 + 1e-3))

    def right_for_small_sets(confidences, correct, n_bins=10):  # forgets predictions past 12
        return ece_bincount(confidences[:12], correct[:12], n_bins) * min(1, 12 / len(
            confidences)) if len(confidences) > 12 else ece_bincount(confidences, correct, n_bins)
    r = check_expected_calibration_error(right_for_small_sets)
    assert r.status == "failed" and "random inputs" in r.message


def test_ece_result_must_be_one_float():
    r = check_expected_calibration_error(lambda c, k, n_bins=10: np.array([ece_bincount(
        c, k, n_bins)]))
    assert r.status == "failed" and "shape (1,)" in r.message
    r = check_expected_calibration_error(lambda c, k, n_bins=10: int(ece_bincount(c, k, n_bins)))
    assert r.status == "failed" and "expected a float" in r.message
    assert check_expected_calibration_error(                     # a 0-d float array is a float
        lambda c, k, n_bins=10: np.array(ece_bincount(c, k, n_bins)))


def test_ece_probe_separates_every_mistake():
    """On the probe, every mistake's value differs from the right one and from the others."""
    conf, ok, M = un._ECE_PROBE
    right = un._ece_oracle(conf, ok, M)
    variants = {"mean": dict(total="mean"), "all": dict(total="mean over all bins"),
                "signed": dict(gap="signed"), "neg": dict(gap="neg"),
                "drop": dict(bins="left-drop"), "extra": dict(bins="left-extra"),
                "clip": dict(bins="left-clip"), "drop kept": dict(bins="left-drop", norm="kept"),
                "zero": dict(zero="drop"), "zero kept": dict(zero="drop", norm="kept"),
                "square": dict(gap="square"), "max": dict(total="max")}
    values = {k: un._ece_variant(conf, ok, M, **v) for k, v in variants.items()}
    values["M+1"], values["M-1"] = (un._ece_oracle(conf, ok, m) for m in (M + 1, M - 1))
    assert un._ece_variant(conf, ok, M) == pytest.approx(right, abs=1e-15)
    vals = list(values.values())
    assert all(abs(v - right) > 5e-3 for v in vals)
    assert all(abs(a - b) > 5e-3 for i, a in enumerate(vals) for b in vals[i + 1:])


def test_ece_oracle_agrees_with_independent_facts():
    """Perfect calibration gives 0; M = 1 gives |accuracy − mean confidence|; a float
    implementation agrees on random data; the worked cases are what the oracle says."""
    rng = np.random.default_rng(3)
    for M in (1, 2, 4, 8, 16):                   # k/M confidences, each bin exactly calibrated
        conf, correct = [], []
        for k in range(1, M + 1):
            n = 2 * M
            conf += [k / M] * n
            correct += [1] * (n * k // M) + [0] * (n - n * k // M)
        assert un._ece_oracle(np.array(conf), np.array(correct), M) == 0.0
    for i in range(60):
        c = rng.random(int(rng.integers(1, 50)))
        r = rng.random(len(c)) < 0.7
        assert un._ece_oracle(c, r, 1) == pytest.approx(abs(r.mean() - c.mean()), abs=1e-15)
        args = un._ece_input(rng, i)
        assert un._ece_oracle(*args) == pytest.approx(ece_loop(*args), abs=1e-14)
    assert un._ece_oracle(np.array([0.2, 0.3, 0.9, 0.8, 0.95]),
                          np.array([1, 0, 1, 0, 1]), 3) == pytest.approx(0.23, abs=1e-15)
    assert un._ece_oracle(np.array([0.25, 0.5, 0.5, 0.75, 1, 1.0]),
                          np.array([1, 1, 0, 1, 1, 0]), 4) == pytest.approx(1 / 3, abs=1e-15)


# --------------------------------------------------------------------------------------------
# posterior_predictive
# --------------------------------------------------------------------------------------------

def pp_solve(X, y, X_new, noise_var, prior_var):
    X = np.asarray(X, float)
    A = X.T @ X / noise_var + np.eye(X.shape[1]) / prior_var
    m = np.linalg.solve(A, X.T @ y / noise_var)
    V = np.linalg.solve(A, np.asarray(X_new, float).T)
    return X_new @ m, noise_var + np.sum(X_new * V.T, axis=1)


def pp_inv(X, y, X_new, noise_var, prior_var):
    X, Xn = np.asarray(X, float), np.asarray(X_new, float)
    S = np.linalg.inv(X.T @ X / noise_var + np.eye(X.shape[1]) / prior_var)
    m = S @ X.T @ y / noise_var
    return Xn @ m, noise_var + np.einsum("md,de,me->m", Xn, S, Xn)


def pp_loop_cholesky(X, y, X_new, noise_var, prior_var):    # one new point at a time
    X, Xn = np.asarray(X, float), np.asarray(X_new, float)
    L = np.linalg.cholesky(X.T @ X / noise_var + np.eye(X.shape[1]) / prior_var)
    m = np.linalg.solve(L.T, np.linalg.solve(L, X.T @ y / noise_var))
    mean, var = np.zeros(len(Xn)), np.zeros(len(Xn))
    for i, x in enumerate(Xn):
        z = np.linalg.solve(L, x)
        mean[i], var[i] = x @ m, noise_var + z @ z
    return mean, var


@pytest.mark.parametrize("fn", [pp_solve, pp_inv, pp_loop_cholesky])
def test_posterior_correct_solutions_pass(fn):
    assert check_posterior_predictive(fn)


def _pp_with(*, data=lambda s2: 1 / s2, prior=lambda t2: 1 / t2, rhs=lambda s2: 1 / s2,
             noise=True, std=False, ml=False, sq_noise=False, sq_prior=False, swap=False):
    def fn(X, y, X_new, noise_var, prior_var):
        s2, t2 = (prior_var, noise_var) if swap else (noise_var, prior_var)
        s2, t2 = s2 ** 2 if sq_noise else s2, t2 ** 2 if sq_prior else t2
        X, Xn = np.asarray(X, float), np.asarray(X_new, float)
        S = np.linalg.inv(X.T @ X * data(s2) + prior(t2) * np.eye(X.shape[1]))
        m = np.linalg.lstsq(X, y, rcond=None)[0] if ml else S @ X.T @ y * rhs(s2)
        var = np.einsum("md,de,me->m", Xn, S, Xn) + (s2 if noise else 0)
        return Xn @ m, np.sqrt(var) if std else var
    return fn


@pytest.mark.parametrize("fn, name", [
    (_pp_with(noise=False), "variance without σ²"),
    (_pp_with(prior=lambda t2: t2), "prior precision τ² instead of 1/τ²"),
    (_pp_with(data=lambda s2: 1.0), "XᵀX without /σ²"),
    (_pp_with(data=lambda s2: 1.0, rhs=lambda s2: 1.0), "XᵀX without /σ²"),
    (_pp_with(rhs=lambda s2: 1.0), "Xᵀy without /σ²"),
    (_pp_with(swap=True), "σ² and τ² swapped"),
    (_pp_with(ml=True), "maximum-likelihood mean"),
    (_pp_with(std=True), "standard deviation, not variance"),
    (_pp_with(sq_noise=True), "noise_var or prior_var taken as a standard deviation"),
    (_pp_with(sq_prior=True), "noise_var or prior_var taken as a standard deviation"),
    (_pp_with(sq_noise=True, sq_prior=True),
     "noise_var or prior_var taken as a standard deviation"),
])
def test_posterior_mistakes_are_named(fn, name):
    assert _named(check_posterior_predictive(fn), name)


def test_posterior_stub_mutation_uncatalogued_and_sweep():
    assert check_posterior_predictive(stub).status == "not attempted"

    def in_place(X, y, X_new, noise_var, prior_var):
        X /= math.sqrt(noise_var)                     # "whiten" the caller's data
        mean, var = pp_solve(X, y / math.sqrt(noise_var), X_new, 1.0, prior_var)
        return mean, var - 1.0 + noise_var
    r = check_posterior_predictive(in_place)
    assert r.status == "failed" and "in place" in r.message
    r = check_posterior_predictive(lambda *a: (pp_solve(*a)[0] * 1.01, pp_solve(*a)[1]))
    assert _generic(r)
    r = check_posterior_predictive(lambda *a: (pp_solve(*a)[0], pp_solve(*a)[1] + 0.01))
    assert _generic(r)

    def wrong_for_more_data(X, y, X_new, noise_var, prior_var):   # uses only 5 rows
        return pp_solve(X[:5], y[:5], X_new, noise_var, prior_var)
    r = check_posterior_predictive(wrong_for_more_data)
    assert r.status == "failed" and "random inputs" in r.message


def test_posterior_results_must_be_float_arrays():
    r = check_posterior_predictive(lambda *a: tuple(list(v) for v in pp_solve(*a)))
    assert r.status == "failed" and "NumPy float array" in r.message
    r = check_posterior_predictive(lambda *a: pp_solve(*a)[0])
    assert r.status == "failed" and "tuple of 2" in r.message


def test_posterior_probe_separates_every_mistake():
    right = un._pp_variant(*un._PP_PROBE)
    X, y, Xn, s2, t2 = un._PP_PROBE
    variants = [dict(noise_in_var=False), dict(prior=t2), dict(data_scale=1.0),
                dict(data_scale=1.0, rhs_scale=1.0), dict(rhs_scale=1.0), dict(ml_mean=True),
                dict(std=True)]
    outs = [un._pp_variant(*un._PP_PROBE, **v) for v in variants]
    outs += [un._pp_variant(X, y, Xn, a, b) for a, b in ((t2, s2), (s2 ** 2, t2), (s2, t2 ** 2),
                                                         (s2 ** 2, t2 ** 2))]
    for o in outs:
        assert not (np.allclose(o[0], right[0], rtol=1e-6) and np.allclose(o[1], right[1],
                                                                          rtol=1e-6))
    for i, a in enumerate(outs):
        for b in outs[i + 1:]:
            assert not (np.allclose(a[0], b[0]) and np.allclose(a[1], b[1]))


def _weight_space_mp(X, y, X_new, s2, t2):
    """The statement's formulas, Σ = A⁻¹ and m = Σ Xᵀy/σ², in mpmath (50 digits)."""
    with mpmath.workdps(50):
        X, Xn = mpmath.matrix(np.asarray(X, float).tolist()), mpmath.matrix(
            np.asarray(X_new, float).tolist())
        yv = mpmath.matrix(np.asarray(y, float).tolist())
        s2, t2 = mpmath.mpf(s2), mpmath.mpf(t2)
        D = Xn.cols
        A = X.T * X / s2 + mpmath.eye(D) / t2
        S = mpmath.inverse(A)
        m = S * (X.T * yv) / s2
        mean = [float((Xn[i, :] * m)[0]) for i in range(Xn.rows)]
        var = [float(s2 + (Xn[i, :] * S * Xn[i, :].T)[0]) for i in range(Xn.rows)]
    return np.array(mean), np.array(var)


def test_posterior_function_space_equals_weight_space():
    """The oracle (N × N, function space) equals the statement's D × D weight-space formulas,
    both at 50 digits, on random problems with N ≥ 1 (and the prior predictive for N = 0)."""
    rng = np.random.default_rng(11)
    for i in range(40):
        N, D, M = int(rng.integers(1, 8)), int(rng.integers(1, 5)), int(rng.integers(1, 4))
        X, Xn = rng.standard_normal((N, D)), rng.standard_normal((M, D)) * 2
        y = rng.standard_normal(N)
        s2, t2 = float(np.exp(rng.uniform(-3, 2))), float(np.exp(rng.uniform(-2, 3)))
        mean, var = un._predictive_oracle(X, y, Xn, s2, t2)
        mean_w, var_w = _weight_space_mp(X, y, Xn, s2, t2)
        assert np.allclose(mean, mean_w, rtol=1e-13, atol=1e-14)
        assert np.allclose(var, var_w, rtol=1e-13)
    Xn = rng.standard_normal((3, 2))
    mean, var = un._predictive_oracle(np.zeros((0, 2)), np.zeros(0), Xn, 0.3, 2.0)
    assert np.array_equal(mean, np.zeros(3)) and np.allclose(var, 0.3 + 2.0 * (Xn ** 2).sum(1))


def test_posterior_variance_grows_away_from_the_data():
    """D = 1 data at x ∈ [−1, 1]: v*(x*) rises with |x*| from ≈ σ² towards σ² + τ²x*²; the
    hand-worked values of the cases are the oracle's."""
    rng = np.random.default_rng(2)
    X = rng.uniform(-1, 1, (20, 1))
    y = 2 * X[:, 0] + 0.1 * rng.standard_normal(20)
    xs = np.linspace(0, 10, 21)[:, None]
    _, var = un._predictive_oracle(X, y, xs, 0.01, 1.0)
    assert np.all(np.diff(var) > 0) and var[0] == pytest.approx(0.01, rel=1e-15)
    assert np.all(var < 0.01 + xs[:, 0] ** 2 + 1e-15)
    f = lambda v: np.array(v, float)
    mean, var = un._predictive_oracle(f([[1], [2]]), f([1, 3]), f([[0], [1], [3]]), 0.5, 2.0)
    assert np.allclose(mean, [0, 4 / 3, 4]) and np.allclose(var, [0.5, 25 / 42, 19 / 14])
    mean, var = un._predictive_oracle(f([[1, 1, 0]]), f([2]), f([[1, 1, 0], [0, 0, 1],
                                                                 [1, -1, 0]]), 0.5, 2.0)
    assert np.allclose(mean, [16 / 9, 0, 0]) and np.allclose(var, [17 / 18, 2.5, 4.5])
    line = (f([[1, 0], [1, 1], [1, 2], [1, 3]]), f([1, 2, 2, 4]), f([[1, 1.5], [1, 10]]))
    mean, var = un._predictive_oracle(*line, 0.3, 1e8)       # → least squares
    assert np.allclose(mean, [2.25, 9.9], rtol=1e-7) and np.allclose(var, [0.375, 4.71], rtol=1e-7)
    mean, var = un._predictive_oracle(*line, 1e-6, 1.0)
    assert np.allclose(mean, [2.25, 9.9], rtol=1e-5) and np.allclose(var, [1.25e-6, 1.57e-5],
                                                                     rtol=1e-5)


# --------------------------------------------------------------------------------------------
# uncertainty_decomposition
# --------------------------------------------------------------------------------------------

def dec_vectorised(probs):
    p = np.asarray(probs, float)

    def H(q):
        return -np.sum(np.where(q > 0, q * np.log(np.where(q > 0, q, 1.0)), 0.0), axis=-1)
    total, aleatoric = H(p.mean(axis=0)), H(p).mean(axis=0)
    return total, aleatoric, total - aleatoric


def dec_loops(probs):
    S, N, K = probs.shape
    total, aleatoric = np.zeros(N), np.zeros(N)
    for n in range(N):
        mean = [sum(probs[s, n, k] for s in range(S)) / S for k in range(K)]
        total[n] = -sum(q * math.log(q) for q in mean if q > 0)
        aleatoric[n] = sum(-sum(q * math.log(q) for q in probs[s, n] if q > 0)
                           for s in range(S)) / S
    return total, aleatoric, total - aleatoric


def dec_mean_kl(probs):                                    # epistemic = mean_s KL(p_s ‖ p̄)
    p = np.asarray(probs, float)
    pbar = p.mean(axis=0)
    with np.errstate(all="ignore"):
        plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
        kl = np.where(p > 0, p * (np.log(np.where(p > 0, p, 1.0))
                                  - np.log(np.where(pbar > 0, pbar, 1.0))), 0.0)
    aleatoric = -plogp.sum(-1).mean(0)
    epistemic = kl.sum(-1).mean(0)
    return aleatoric + epistemic, aleatoric, epistemic


@pytest.mark.parametrize("fn", [dec_vectorised, dec_loops, dec_mean_kl])
def test_decomposition_correct_solutions_pass(fn):
    assert check_uncertainty_decomposition(fn)


def _dec_with(*, log=np.log, zeros_ok=True, axis=0, reduce=np.mean, sign=1, minus=-1,
              swap=False):
    def fn(probs):
        p = np.asarray(probs, float)

        def H(q):
            with np.errstate(all="ignore"):
                t = q * log(q) if not zeros_ok else np.where(q > 0, q * log(np.where(
                    q > 0, q, 1.0)), 0.0)
            return minus * t.sum(-1)
        pbar = reduce(p, axis=axis)
        total, aleatoric = H(pbar), reduce(H(p), axis=axis)
        if swap:
            total, aleatoric = aleatoric, total
        return total, aleatoric, sign * (total - aleatoric)
    return fn


@pytest.mark.parametrize("fn, name", [
    (_dec_with(swap=True), "total and aleatoric swapped"),
    (_dec_with(log=np.log2), "log base 2"),
    (_dec_with(zeros_ok=False), "nan at exact zeros"),
    (_dec_with(axis=1), "mean over the wrong axis"),
    (_dec_with(reduce=np.sum), "sum over S instead of the mean"),
    (_dec_with(sign=-1), "epistemic with the wrong sign"),
    (_dec_with(minus=1), "entropy without the minus sign"),
])
def test_decomposition_mistakes_are_named(fn, name):
    assert _named(check_uncertainty_decomposition(fn), name)


def test_decomposition_stub_mutation_uncatalogued_and_sweep():
    assert check_uncertainty_decomposition(stub).status == "not attempted"

    def in_place(probs):
        probs[probs == 0] = 1e-300                     # "avoid log 0" in the caller's array
        return dec_vectorised(probs)
    r = check_uncertainty_decomposition(in_place)
    assert r.status == "failed" and "in place" in r.message
    assert _generic(check_uncertainty_decomposition(
        lambda p: tuple(v * 1.001 for v in dec_vectorised(p))))

    def variance_as_epistemic(probs):                  # a different notion of disagreement
        t, a, _ = dec_vectorised(probs)
        return t, a, np.asarray(probs, float).var(axis=0).sum(-1)
    assert check_uncertainty_decomposition(variance_as_epistemic).status == "failed"

    def right_for_few_classes(probs):                  # forgets classes beyond the fifth
        if probs.shape[2] <= 5:
            return dec_vectorised(probs)
        return dec_vectorised(probs[:, :, :5] / probs[:, :, :5].sum(-1, keepdims=True))
    r = check_uncertainty_decomposition(right_for_few_classes)
    assert r.status == "failed" and "random inputs" in r.message


def test_decomposition_results_must_be_float_arrays_without_nan():
    r = check_uncertainty_decomposition(lambda p: dec_vectorised(p)[:2])
    assert r.status == "failed" and "tuple of 3" in r.message

    def eps_hack(probs):                               # log(p + 1e-12): close, but not 0·ln 0
        p = np.asarray(probs, float)
        H = lambda q: -(q * np.log(q + 1e-12)).sum(-1)
        t, a = H(p.mean(0)), H(p).mean(0)
        return t, a, t - a
    assert check_uncertainty_decomposition(eps_hack).status == "failed"


def test_decomposition_oracle_agrees_with_independent_facts():
    """epistemic = (1/S) Σ_s KL(p_s ‖ p̄) ≥ 0 (float computation); S = 1 gives 0; one-hot
    members that all differ give ln K; K = 1 gives 0 everywhere."""
    rng = np.random.default_rng(4)
    for i in range(60):
        (P,) = un._decomposition_input(rng, i)
        t, a, e = un._decomposition_oracle(P)
        assert np.all(e >= -1e-15) and np.all(t <= math.log(P.shape[2]) + 1e-15)
        assert np.allclose(e, dec_mean_kl(P)[2], rtol=1e-9, atol=1e-13)
        assert np.allclose(t, a + e, rtol=1e-14, atol=1e-15)
    t, a, e = un._decomposition_oracle(rng.dirichlet(np.ones(4), (1, 5)))
    assert np.all(e == 0)
    t, a, e = un._decomposition_oracle(np.eye(6)[:, None, :])
    assert np.allclose(t, math.log(6)) and np.all(a == 0) and np.allclose(e, math.log(6))
    assert all(np.all(v == 0) for v in un._decomposition_oracle(np.ones((3, 2, 1))))


# --------------------------------------------------------------------------------------------
# accuracy_coverage
# --------------------------------------------------------------------------------------------

def cov_broadcast(confidences, correct, thresholds):
    c = np.asarray(confidences, float)[None, :]
    r = np.asarray(correct, bool)[None, :]
    answered = c >= np.asarray(thresholds, float)[:, None]
    n = answered.sum(axis=1)
    with np.errstate(all="ignore"):
        accuracy = np.where(n > 0, (answered & r).sum(axis=1) / np.maximum(n, 1), np.nan)
    return n / c.shape[1], accuracy.astype(float)


def cov_loop(confidences, correct, thresholds):
    coverage, accuracy = [], []
    for t in thresholds:
        m = confidences >= t
        coverage.append(m.mean())
        accuracy.append(np.mean(correct[m]) if m.any() else np.nan)
    return np.array(coverage, dtype=float), np.array(accuracy, dtype=float)


@pytest.mark.parametrize("fn", [cov_broadcast, cov_loop])
def test_coverage_correct_solutions_pass(fn):
    assert check_accuracy_coverage(fn)


def _cov_with(*, answers=lambda c, t: c >= t, over_all=False, empty=np.nan, count=False,
              error=False, order=None, swap=False):
    def fn(confidences, correct, thresholds):
        ts = np.asarray(thresholds, float)
        ts = np.sort(ts) if order == "asc" else np.sort(ts)[::-1] if order == "desc" else ts
        cov, acc = [], []
        for t in ts:
            m = answers(confidences, t)
            cov.append(m.sum() if count else m.mean())
            if not m.any():
                acc.append(empty)
            else:
                a = np.sum(correct[m]) / (len(m) if over_all else m.sum())
                acc.append(1 - a if error else a)
        cov, acc = np.array(cov, dtype=float), np.array(acc, dtype=float)
        return (acc, cov) if swap else (cov, acc)
    return fn


def cov_python_division(confidences, correct, thresholds):   # ZeroDivisionError at nothing
    cov, acc = [], []
    for t in thresholds:
        n = sum(1 for c in confidences if c >= t)
        k = sum(1 for c, r in zip(confidences, correct) if c >= t and r)
        cov.append(n / len(confidences))
        acc.append(k / n)
    return np.array(cov, float), np.array(acc, float)


@pytest.mark.parametrize("fn, name", [
    (_cov_with(answers=lambda c, t: c > t), "> instead of ≥"),
    (_cov_with(answers=lambda c, t: c <= t), "answered set reversed"),
    (_cov_with(over_all=True), "accuracy over all N"),
    (_cov_with(empty=0.0), "a number instead of nan when nothing is answered"),
    (_cov_with(empty=1.0), "a number instead of nan when nothing is answered"),
    (cov_python_division, "a number instead of nan when nothing is answered"),
    (_cov_with(count=True), "coverage as a count"),
    (_cov_with(order="asc"), "results in sorted-threshold order"),
    (_cov_with(order="desc"), "results in sorted-threshold order"),
    (_cov_with(error=True), "error rate instead of accuracy"),
    (_cov_with(swap=True), "coverage and accuracy swapped"),
])
def test_coverage_mistakes_are_named(fn, name):
    assert _named(check_accuracy_coverage(fn), name)


def test_coverage_stub_mutation_uncatalogued_and_sweep():
    assert check_accuracy_coverage(stub).status == "not attempted"

    def in_place(confidences, correct, thresholds):
        thresholds.sort()                              # sorts the caller's thresholds
        return cov_broadcast(confidences, correct, thresholds)
    r = check_accuracy_coverage(in_place)
    assert r.status == "failed" and "in place" in r.message
    assert _generic(check_accuracy_coverage(
        lambda c, r, t: (cov_broadcast(c, r, t)[0], cov_broadcast(c, r, t)[1] * 0.99)))

    def right_for_short_lists(confidences, correct, thresholds):   # drops predictions past 10
        return cov_broadcast(confidences[:10], correct[:10], thresholds)
    r = check_accuracy_coverage(right_for_short_lists)
    assert r.status == "failed" and "random inputs" in r.message


def test_coverage_nan_only_where_nothing_is_answered():
    def nan_for_perfect(confidences, correct, thresholds):       # nan where accuracy is 1
        cov, acc = cov_broadcast(confidences, correct, thresholds)
        return cov, np.where(acc == 1, np.nan, acc)
    r = check_accuracy_coverage(nan_for_perfect)
    assert r.status == "failed" and "nan" in r.message
    def integer_coverage(confidences, correct, thresholds):    # an int array, 0 or 1
        coverage, accuracy = cov_broadcast(confidences, correct, thresholds)
        return coverage.astype(int), accuracy
    r = check_accuracy_coverage(integer_coverage)
    assert r.status == "failed" and "float array" in r.message


def test_coverage_oracle_agrees_with_independent_facts():
    """Vectorised counting agrees (nan included); coverage never rises with the threshold."""
    rng = np.random.default_rng(6)
    for i in range(80):
        args = un._coverage_input(rng, i)
        cov, acc = un._coverage_oracle(*args)
        cov2, acc2 = cov_broadcast(*args)
        assert np.array_equal(cov, cov2) and np.array_equal(acc, acc2, equal_nan=True)
        order = np.argsort(args[2], kind="stable")
        assert np.all(np.diff(cov[order]) <= 0)
        assert np.array_equal(np.isnan(acc), cov == 0)


# --------------------------------------------------------------------------------------------
# the notebook's own solutions (the notebook is written separately)
# --------------------------------------------------------------------------------------------


def test_notebook_solutions_pass():
    for name, check in (("expected_calibration_error", check_expected_calibration_error),
                        ("posterior_predictive", check_posterior_predictive),
                        ("uncertainty_decomposition", check_uncertainty_decomposition),
                        ("accuracy_coverage", check_accuracy_coverage)):
        result = check(notebook_solution(name))
        assert result, f"{name}: {result.message}"
