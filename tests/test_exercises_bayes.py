"""The notebook-13 checkers (dlmath/exercises/bayes.py): correct solutions pass (two different
ones each), each catalogued mistake — written as real wrong code — is caught under its own name,
a stub is "not attempted", an uncatalogued wrong solution gets the generic message, an
input-mutating one the in-place hint, and the sweep catches what the hand-picked cases miss."""
import math

import numpy as np
import pytest

from dlmath.exercises import (check_log_gaussian_nb_predict, check_p_disease_given_positive,
                              check_posterior)


def stub(*args):
    raise NotImplementedError


def _named(result, name):
    return result.status == "failed" and result.mistakes and result.mistakes[0] == name


# --------------------------------------------------------------------------------------------
# p_disease_given_positive
# --------------------------------------------------------------------------------------------

def pdp_formula(sens, spec, prev):
    return sens * prev / (sens * prev + (1 - spec) * (1 - prev))


def pdp_frequencies(sens, spec, prev):                # out of 10 000 people, without rounding
    sick = 10_000 * prev
    true_pos, false_pos = sens * sick, (1 - spec) * (10_000 - sick)
    return true_pos / (true_pos + false_pos)


def pdp_odds(sens, spec, prev):                       # posterior odds = LR⁺ × prior odds
    if prev == 0 or sens == 0:
        return 0.0
    if spec == 1 or prev == 1:
        return 1.0
    odds = sens / (1 - spec) * prev / (1 - prev)
    return odds / (1 + odds)


PDP_WRONG = {
    "sensitivity returned": lambda s, t, p: s,
    "specificity as the false-positive rate": lambda s, t, p: s * p / (s * p + t * (1 - p)),
    "prevalence ignored": lambda s, t, p: s / (s + 1 - t),
    "no evidence": lambda s, t, p: s * p,
    "evidence returned": lambda s, t, p: s * p + (1 - t) * (1 - p),
    "P(healthy | +)": lambda s, t, p: (1 - t) * (1 - p) / (s * p + (1 - t) * (1 - p)),
    "P(sick | −)": lambda s, t, p: (1 - s) * p / ((1 - s) * p + t * (1 - p)),
    "sensitivity and specificity swapped": lambda s, t, p: t * p / (t * p + (1 - s) * (1 - p)),
}


@pytest.mark.parametrize("solution", [pdp_formula, pdp_frequencies, pdp_odds])
def test_p_disease_correct(solution, capsys):
    r = check_p_disease_given_positive(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(PDP_WRONG))
def test_p_disease_mistakes(name):
    r = check_p_disease_given_positive(PDP_WRONG[name])
    assert _named(r, name), (r.mistakes, r.message)


def test_p_disease_stub_and_generic():
    assert check_p_disease_given_positive(stub).status == "not attempted"
    r = check_p_disease_given_positive(lambda s, t, p: s * p / (s * p + (1 - t)))
    assert r.status == "failed" and r.mistakes == []
    assert "sens·prev / (sens·prev + (1 − spec)(1 − prev))" in r.message


def test_p_disease_sweep_catches_what_the_cases_miss():
    def only_round_prevalences(s, t, p):            # wrong unless p is one of the cases' values
        if p in (0.01, 0.5, 0.2, 0.001, 0.0, 1, 0.1):
            return pdp_formula(s, t, p)
        return pdp_formula(s, t, p) * 1.01
    r = check_p_disease_given_positive(only_round_prevalences)
    assert r.status == "failed" and "random inputs failed" in r.message


# --------------------------------------------------------------------------------------------
# posterior
# --------------------------------------------------------------------------------------------

def post_vector(prior, likelihoods):
    joint = np.asarray(prior, dtype=float) * likelihoods
    return joint / joint.sum()


def post_loop(prior, likelihoods):                    # one hypothesis at a time, plain floats
    joint = [float(p) * float(l) for p, l in zip(prior, likelihoods)]
    evidence = sum(joint)
    return np.array([j / evidence for j in joint])


def post_in_place(prior, likelihoods):
    prior *= likelihoods                              # changes the caller's prior
    return prior / prior.sum()


POST_WRONG = {
    "likelihoods returned": lambda p, l: np.asarray(l, dtype=float),
    "prior forgotten": lambda p, l: l / np.sum(l),
    "no evidence": lambda p, l: p * l,
    "divided by the likelihoods' sum": lambda p, l: p * l / np.sum(l),
    "divided by the prior": lambda p, l: (l / p) / np.sum(l / p),
    "prior returned": lambda p, l: p.copy(),
    "evidence returned": lambda p, l: np.sum(p * l),
}


@pytest.mark.parametrize("solution", [post_vector, post_loop])
def test_posterior_correct(solution, capsys):
    r = check_posterior(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(POST_WRONG))
def test_posterior_mistakes(name):
    r = check_posterior(POST_WRONG[name])
    assert _named(r, name), (r.mistakes, r.message)


def test_posterior_in_place_and_stub():
    r = check_posterior(post_in_place)
    assert r.status == "failed" and "in place" in r.mistakes and "prior" in r.message
    assert check_posterior(stub).status == "not attempted"


def test_posterior_generic_and_sweep():
    r = check_posterior(lambda p, l: np.sqrt(p * l) / np.sum(np.sqrt(p * l)))
    assert r.status == "failed" and r.mistakes == []
    assert "prior × likelihoods / Σ(prior × likelihoods)" in r.message

    def short_vectors_only(p, l):                     # right for K ≤ 4, the prior dropped beyond
        return post_vector(p, l) if len(p) <= 4 else l / np.sum(l)
    r = check_posterior(short_vectors_only)
    assert r.status == "failed" and "random inputs failed" in r.message


# --------------------------------------------------------------------------------------------
# log_gaussian_nb_predict
# --------------------------------------------------------------------------------------------

def _joint(X, means, variances, log_priors, half=2.0, norm=True, square=False):
    X = np.asarray(X, dtype=float)
    v = variances ** 2 if square else variances
    d = -(X[:, None, :] - means[None]) ** 2 / (half * v[None])
    if norm:
        d = d - 0.5 * np.log(2 * np.pi * v[None])
    return log_priors[None] + d.sum(axis=-1)


def nb_max_shift(X, means, variances, log_priors):
    a = _joint(X, means, variances, log_priors)
    m = a.max(axis=1, keepdims=True)
    return a - (m + np.log(np.exp(a - m).sum(axis=1, keepdims=True)))


def nb_loops(X, means, variances, log_priors):        # row by row, class by class, math only
    N, K = len(X), len(means)
    out = np.empty((N, K))
    for n in range(N):
        a = [float(log_priors[c]) + sum(-0.5 * math.log(2 * math.pi * variances[c, j])
                                        - (float(X[n, j]) - means[c, j]) ** 2
                                        / (2 * variances[c, j]) for j in range(X.shape[1]))
             for c in range(K)]
        m = max(a)
        lse = m + math.log(sum(math.exp(x - m) for x in a))
        out[n] = [x - lse for x in a]
    return out


def nb_linear(X, means, variances, log_priors):
    X = np.asarray(X, dtype=float)
    dens = np.exp(-(X[:, None, :] - means[None]) ** 2 / (2 * variances[None])) \
        / np.sqrt(2 * np.pi * variances[None])
    joint = np.exp(log_priors)[None] * dens.prod(axis=-1)
    return np.log(joint / joint.sum(axis=1, keepdims=True))


def nb_no_shift(X, means, variances, log_priors):
    a = _joint(X, means, variances, log_priors)
    return a - np.log(np.exp(a).sum(axis=1, keepdims=True))


def nb_no_prior(X, means, variances, log_priors):
    return nb_max_shift(X, means, variances, np.zeros_like(log_priors))


def nb_no_evidence(X, means, variances, log_priors):
    return _joint(X, means, variances, log_priors)


def _normalise(a, axis=1):
    m = a.max(axis=axis, keepdims=True)
    return a - (m + np.log(np.exp(a - m).sum(axis=axis, keepdims=True)))


NB_WRONG = {
    "linear space": nb_linear,
    "no max-shift": nb_no_shift,
    "prior forgotten": nb_no_prior,
    "no evidence": nb_no_evidence,
    "no −½ log(2πσ²)": lambda *a: _normalise(_joint(*a, norm=False)),
    "½ dropped": lambda *a: _normalise(_joint(*a, half=1.0)),
    "standard deviations": lambda *a: _normalise(_joint(*a, square=True)),
    "probabilities returned": lambda *a: np.exp(nb_max_shift(*a)),
    "normalised over the examples": lambda *a: _normalise(_joint(*a), axis=0),
    "labels returned": lambda *a: nb_max_shift(*a).argmax(axis=1),
}


@pytest.mark.parametrize("solution", [nb_max_shift, nb_loops])
def test_nb_correct(solution, capsys):
    r = check_log_gaussian_nb_predict(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(NB_WRONG))
def test_nb_mistakes(name):
    r = check_log_gaussian_nb_predict(NB_WRONG[name])
    assert _named(r, name), (r.mistakes, r.message)


def test_nb_in_place_stub_generic():
    def centred_in_place(X, means, variances, log_priors):
        X -= means[0]                                  # changes X (or fails on integer X)
        return nb_max_shift(X + means[0], means, variances, log_priors)
    r = check_log_gaussian_nb_predict(centred_in_place)
    assert r.status == "failed" and ("in place" in r.mistakes
                                     or "integer array in place" in r.mistakes)
    assert check_log_gaussian_nb_predict(stub).status == "not attempted"
    r = check_log_gaussian_nb_predict(lambda *a: _normalise(_joint(*a)) * 1.5)
    assert r.status == "failed" and r.mistakes == []
    assert "m the row max" in r.message


def test_nb_sweep_catches_what_the_cases_miss():
    def one_feature_only(X, means, variances, log_priors):   # uses the first feature only
        return nb_max_shift(X[:, :1], means[:, :1], variances[:, :1], log_priors) \
            if X.shape[1] > 64 else nb_max_shift(X, means, variances, log_priors)
    r = check_log_gaussian_nb_predict(one_feature_only)
    assert r.status == "failed" and "random inputs failed" in r.message
