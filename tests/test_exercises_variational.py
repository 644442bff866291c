"""The notebook-17 checkers (dlmath/exercises/variational.py): correct solutions pass (two or
three different ones each), each catalogued mistake — written as real wrong code — is caught
under its own name, a stub is "not attempted", uncatalogued wrong solutions get expected-vs-got,
input-mutating ones the in-place message, the sweeps catch what the hand-picked cases miss, and
the oracles agree with independent computations (mpmath quadrature, a 2-D grid, kl_normal)."""
import math

import mpmath
import numpy as np
import pytest

import dlmath
from dlmath.exercises import check_elbo, check_kl_gaussian_standard, check_reparameterize
from dlmath.exercises import variational as V
from dlmath.info import kl_normal


def stub(*args):
    raise NotImplementedError


def _named(result, name):
    return result.status == "failed" and result.mistakes and result.mistakes[0] == name


# --------------------------------------------------------------------------------------------
# kl_gaussian_standard
# --------------------------------------------------------------------------------------------

def kl_vector(mu, logvar):
    mu, logvar = np.asarray(mu, dtype=float), np.asarray(logvar, dtype=float)
    return 0.5 * np.sum(mu ** 2 + np.exp(logvar) - 1 - logvar, axis=-1)


def kl_library(mu, logvar):                        # the general 1-D closed form, summed
    return np.sum(kl_normal(mu, np.exp(0.5 * np.asarray(logvar, dtype=float))), axis=-1)


def kl_loops(mu, logvar):                          # one example at a time, plain floats
    mu, logvar = np.asarray(mu, dtype=float), np.asarray(logvar, dtype=float)
    flat_mu, flat_lv = mu.reshape(-1, mu.shape[-1]), logvar.reshape(-1, mu.shape[-1])
    out = [0.5 * sum(m * m + math.exp(v) - 1 - v for m, v in zip(rm, rv))
           for rm, rv in zip(flat_mu, flat_lv)]
    return np.array(out).reshape(mu.shape[:-1])


def _half(t):
    return 0.5 * np.sum(t, axis=-1)


KL_WRONG = {
    "no −1": lambda m, v: _half(m ** 2 + np.exp(v) - v),
    "no log σ²": lambda m, v: _half(m ** 2 + np.exp(v) - 1),
    "logvar as log σ": lambda m, v: _half(m ** 2 + np.exp(2 * v) - 1 - 2 * v),
    "σ for σ²": lambda m, v: _half(m ** 2 + np.exp(v / 2) - 1 - v),
    "logvar as the variance": lambda m, v: _half(m ** 2 + v - 1 - np.log(np.abs(v) + 1e-300)),
    "μ not squared": lambda m, v: _half(m + np.exp(v) - 1 - v),
    "+ log σ²": lambda m, v: _half(m ** 2 + np.exp(v) - 1 + v),
    "½ missing": lambda m, v: np.sum(m ** 2 + np.exp(v) - 1 - v, axis=-1),
    "−1 once per example": lambda m, v: _half(m ** 2 + np.exp(v) - v) - 0.5,
    "reversed KL": lambda m, v: _half(v + (1 + m ** 2) * np.exp(-v) - 1),
    "not summed over the latent dimensions": lambda m, v: 0.5 * (m ** 2 + np.exp(v) - 1 - v),
    "summed over the batch": lambda m, v: np.sum(kl_vector(m, v)),
    "summed over the first axis": lambda m, v: 0.5 * np.sum(m ** 2 + np.exp(v) - 1 - v, axis=0),
    "keepdims": lambda m, v: 0.5 * np.sum(m ** 2 + np.exp(v) - 1 - v, axis=-1, keepdims=True),
    "integer inputs truncated": lambda m, v: kl_int_buffer(m, v),
}


def kl_int_buffer(mu, logvar):                      # a result buffer of the input's dtype
    out = np.zeros(np.shape(mu)[:-1], dtype=np.asarray(mu).dtype)
    out[...] = kl_vector(mu, logvar)
    return out


@pytest.mark.parametrize("solution", [kl_vector, kl_library, kl_loops])
def test_kl_correct(solution, capsys):
    r = check_kl_gaussian_standard(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(KL_WRONG))
def test_kl_mistakes(name):
    r = check_kl_gaussian_standard(KL_WRONG[name])
    assert _named(r, name), (r.mistakes, r.message)


def test_kl_variants_of_sigma_confusion_and_mean():
    for f in (lambda m, v: _half(m ** 2 + np.exp(v / 2) - 1 - v / 2),
              lambda m, v: _half(m ** 2 + np.exp(v) - 1 - v / 2)):
        assert _named(check_kl_gaussian_standard(f), "σ for σ²")
    r = check_kl_gaussian_standard(lambda m, v: 0.5 * np.mean(m ** 2 + np.exp(v) - 1 - v, -1))
    assert _named(r, "not summed over the latent dimensions")
    r = check_kl_gaussian_standard(lambda m, v: np.mean(kl_vector(m, v)))
    assert _named(r, "summed over the batch")
    r = check_kl_gaussian_standard(lambda m, v: 0.5 * np.sum(m ** 2 + np.exp(v) - 1 - v,
                                                             axis=1 if np.ndim(m) == 3 else -1))
    assert _named(r, "summed over the first axis")


def test_kl_stub_generic_in_place():
    assert check_kl_gaussian_standard(stub).status == "not attempted"
    r = check_kl_gaussian_standard(lambda m, v: kl_vector(m, v) * 1.01)
    assert r.status == "failed" and r.mistakes == [] and "expected" in r.message
    assert "exp(logvar) − 1 − logvar" in r.message

    def squares_in_place(mu, logvar):
        mu **= 2                                     # changes mu (or fails on an int array)
        return 0.5 * np.sum(mu + np.exp(logvar) - 1 - logvar, axis=-1)
    r = check_kl_gaussian_standard(squares_in_place)
    assert r.status == "failed" and ("in place" in r.mistakes
                                     or "integer array in place" in r.mistakes)


def test_kl_sweep_catches_what_the_cases_miss():
    def wrong_for_many_dimensions(mu, logvar):       # forgets the last dimension when d ≥ 5
        mu, logvar = np.asarray(mu, float), np.asarray(logvar, float)
        if mu.shape[-1] >= 5:
            mu, logvar = mu[..., :-1], logvar[..., :-1]
        return kl_vector(mu, logvar)
    r = check_kl_gaussian_standard(wrong_for_many_dimensions)
    assert r.status == "failed" and "random inputs failed" in r.message


def test_kl_oracle_agrees_with_mpmath_and_a_2d_grid():
    for m, v in [(0.7, -0.4), (-2.0, 3.0), (0.0, -30.0), (1.5, 10.0), (0.3, 1e-8)]:
        s = math.exp(0.5 * v)
        with mpmath.workdps(30):
            q = lambda z: mpmath.npdf(z, m, s)
            integrand = lambda z: q(z) * (mpmath.log(q(z)) - mpmath.log(mpmath.npdf(z)))
            exact = mpmath.quad(integrand, [m - 40 * s, m - 5 * s, m, m + 5 * s, m + 40 * s])
        assert math.isclose(float(V._kl_1d_integral([m], [v])[0]), float(exact),
                            rel_tol=1e-9, abs_tol=1e-15)
    # additivity: a direct 2-D integral of a diagonal Gaussian against N(0, I)
    mu, lv = np.array([0.4, -1.1]), np.array([0.6, -0.9])
    s = np.exp(0.5 * lv)
    t = np.linspace(-12, 12, 1201)
    z1, z2 = np.meshgrid(mu[0] + s[0] * t, mu[1] + s[1] * t, indexing="ij")
    log_q = (-0.5 * ((z1 - mu[0]) / s[0]) ** 2 - 0.5 * ((z2 - mu[1]) / s[1]) ** 2
             - np.log(2 * np.pi * s[0] * s[1]))
    log_p = -0.5 * (z1 ** 2 + z2 ** 2) - np.log(2 * np.pi)
    h2 = (t[1] - t[0]) ** 2 * s[0] * s[1]
    grid = float(np.sum(np.exp(log_q) * (log_q - log_p)) * h2)
    assert math.isclose(float(V._kl_oracle(mu, lv)), grid, rel_tol=1e-9)
    assert math.isclose(grid, float(kl_library(mu, lv)), rel_tol=1e-9)


# --------------------------------------------------------------------------------------------
# reparameterize
# --------------------------------------------------------------------------------------------

def rep_exp(mu, logvar, eps):
    return mu + (0.5 * logvar).exp() * eps


def rep_sqrt(mu, logvar, eps):
    return mu + dlmath.sqrt(dlmath.exp(logvar)) * eps


def rep_power(mu, logvar, eps):
    return (logvar.exp() ** 0.5) * eps + mu


def _np_sigma(mu, logvar, eps):                      # right values, graph cut
    return dlmath.tensor(mu.data + np.exp(0.5 * logvar.data) * eps.data)


REP_WRONG = {
    "logvar as σ": lambda mu, lv, eps: mu + lv * eps,
    "variance as σ": lambda mu, lv, eps: mu + lv.exp() * eps,
    "½ outside the exp": lambda mu, lv, eps: mu + 0.5 * lv.exp() * eps,
    "exp(2·logvar)": lambda mu, lv, eps: mu + (2 * lv).exp() * eps,
    "exp(−½ logvar)": lambda mu, lv, eps: mu + (-0.5 * lv).exp() * eps,
    "√logvar": lambda mu, lv, eps: mu + lv.sqrt() * eps,
    "μ forgotten": lambda mu, lv, eps: (0.5 * lv).exp() * eps,
    "σ forgotten": lambda mu, lv, eps: mu + eps,
    "own randomness": lambda mu, lv, eps: mu + (0.5 * lv).exp() * dlmath.tensor(
        np.random.default_rng().standard_normal(eps.shape)),
    "graph cut": _np_sigma,
    "one ε for all draws": lambda mu, lv, eps: mu + (0.5 * lv).exp() * eps[:1],
    "one ε for all examples": lambda mu, lv, eps: mu + (0.5 * lv).exp() * eps[..., :1, :],
    "one ε for all dimensions": lambda mu, lv, eps: mu + (0.5 * lv).exp() * eps[..., :1],
    "draws averaged": lambda mu, lv, eps: mu + (0.5 * lv).exp() * (
        eps.mean(dim=0) if eps.ndim == 3 else eps),
}


@pytest.mark.parametrize("solution", [rep_exp, rep_sqrt, rep_power])
def test_rep_correct(solution, capsys):
    r = check_reparameterize(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(REP_WRONG))
def test_rep_mistakes(name):
    r = check_reparameterize(REP_WRONG[name])
    assert _named(r, name), (r.mistakes, r.message)


def test_rep_detach_and_numpy_result():
    r = check_reparameterize(lambda mu, lv, eps: mu + (0.5 * lv).exp().detach() * eps)
    assert _named(r, "graph cut") and "logvar" in r.message
    r = check_reparameterize(lambda mu, lv, eps: mu.data + np.exp(0.5 * lv.data) * eps.data)
    assert _named(r, "graph cut") and "NumPy array" in r.message


def test_rep_stub_generic_in_place():
    assert check_reparameterize(stub).status == "not attempted"
    r = check_reparameterize(lambda mu, lv, eps: mu + (0.5 * lv).exp() * eps * 1.001)
    assert r.status == "failed" and r.mistakes == [] and "expected" in r.message

    def shifts_mu(mu, lv, eps):
        with dlmath.no_grad():
            mu.data += 0.0 * mu.data + 1.0           # writes into the caller's tensor
        return (mu - 1.0) + (0.5 * lv).exp() * eps
    r = check_reparameterize(shifts_mu)
    assert r.status == "failed" and "in place" in r.message


def test_rep_sweep_catches_what_the_cases_miss():
    def wrong_for_wide(mu, lv, eps):                  # σ² for σ when d ≥ 4
        return mu + ((0.5 if mu.shape[-1] < 4 else 1.0) * lv).exp() * eps
    r = check_reparameterize(wrong_for_wide)
    assert r.status == "failed" and "random inputs failed" in r.message


def test_rep_given_is_the_definition():
    g = V._rep_given([[1.0, -2.0]], [[0.5, 3.0]], [[[0.2, -1.0]], [[1.5, 0.4]]],
                     [[[1.0, 2.0]], [[-1.0, 0.5]]])
    mu, lv, eps = g.args
    assert np.allclose(np.exp(0.5 * lv.data), [[0.5, 3.0]])
    z = g.expected["z"]
    assert np.allclose(z, [[[1.1, -5.0]], [[1.75, -0.8]]])
    assert np.allclose(g.expected["grad_mu"], [[0.0, 2.5]])
    assert np.allclose(g.expected["grad_logvar"], [[0.5 * 0.5 * (0.2 - 1.5),
                                                    0.5 * 3.0 * (-2.0 + 0.2)]])


# --------------------------------------------------------------------------------------------
# elbo
# --------------------------------------------------------------------------------------------

def softplus(t):
    return np.maximum(t, 0) + np.log1p(np.exp(-np.abs(t)))


def elbo_softplus(x, logits, mu, logvar):
    x, logits = np.asarray(x, dtype=float), np.asarray(logits, dtype=float)
    rec = -np.sum(x * softplus(-logits) + (1 - x) * softplus(logits), axis=1)
    return rec - kl_vector(mu, logvar)


def elbo_logaddexp(x, logits, mu, logvar):             # log σ(ℓ) = −log(e⁰ + e^−ℓ)
    x, logits = np.asarray(x, dtype=float), np.asarray(logits, dtype=float)
    log_p = -np.logaddexp(0, -logits)
    log_1mp = -np.logaddexp(0, logits)
    return np.sum(x * log_p + (1 - x) * log_1mp, axis=1) - kl_library(mu, logvar)


def _naive_rec(x, logits):
    p = 1 / (1 + np.exp(-np.asarray(logits, dtype=float)))
    return np.sum(x * np.log(p) + (1 - x) * np.log(1 - p), axis=1)


def _rec(x, logits):
    return elbo_softplus(x, logits, np.zeros((len(x), 1)), np.zeros((len(x), 1)))


def _clip_rec(x, logits):
    p = np.clip(1 / (1 + np.exp(-np.asarray(logits, dtype=float))), 1e-7, 1 - 1e-7)
    return np.sum(x * np.log(p) + (1 - x) * np.log(1 - p), axis=1)


ELBO_WRONG = {
    "KL added": lambda x, l, m, v: _rec(x, l) + kl_vector(m, v),
    "loss returned": lambda x, l, m, v: -_rec(x, l) + kl_vector(m, v),
    "reconstruction sign": lambda x, l, m, v: -_rec(x, l) - kl_vector(m, v),
    "KL missing": lambda x, l, m, v: _rec(x, l),
    "reconstruction missing": lambda x, l, m, v: -kl_vector(m, v),
    "unstable log-sigmoid": lambda x, l, m, v: _naive_rec(x, l) - kl_vector(m, v),
    "clipped probabilities": lambda x, l, m, v: _clip_rec(x, l) - kl_vector(m, v),
    "logits as probabilities": lambda x, l, m, v: np.sum(
        x * np.log(l) + (1 - x) * np.log(1 - l), axis=1) - kl_vector(m, v),
    "x and σ(ℓ) swapped": lambda x, l, m, v: _naive_rec(1 / (1 + np.exp(-l)),
                                                         np.log(x) - np.log1p(-x)) - kl_vector(m, v),
    "mean over pixels": lambda x, l, m, v: _rec(x, l) / np.shape(x)[1] - kl_vector(m, v),
    "averaged over the batch": lambda x, l, m, v: np.mean(elbo_softplus(x, l, m, v)),
    "KL over the batch": lambda x, l, m, v: _rec(x, l) - np.sum(kl_vector(m, v)),
    "x and 1 − x swapped": lambda x, l, m, v: _rec(1 - np.asarray(x, float), l) - kl_vector(m, v),
    "binary x only": lambda x, l, m, v: _rec(np.round(np.asarray(x, float) + 0.01), l)
    - kl_vector(m, v),
    "KL part wrong": lambda x, l, m, v: _rec(x, l) - 2 * kl_vector(m, v),
    "integer inputs truncated": lambda x, l, m, v: elbo_int_buffer(x, l, m, v),
    "keepdims": lambda x, l, m, v: elbo_softplus(x, l, m, v)[:, None],
}


def elbo_int_buffer(x, logits, mu, logvar):         # a result buffer of x's dtype
    out = np.zeros(np.shape(x)[0], dtype=np.asarray(x).dtype)
    out[:] = elbo_softplus(x, logits, mu, logvar)
    return out


@pytest.mark.parametrize("solution", [elbo_softplus, elbo_logaddexp])
def test_elbo_correct(solution, capsys):
    r = check_elbo(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(ELBO_WRONG))
def test_elbo_mistakes(name):
    r = check_elbo(ELBO_WRONG[name])
    assert _named(r, name), (r.mistakes, r.message)


def test_elbo_overflowing_softplus_and_batch_sum():
    def log1p_exp(x, l, m, v):                        # softplus as log(1 + eᵗ): overflows
        x, l = np.asarray(x, float), np.asarray(l, float)
        return -np.sum(x * np.log(1 + np.exp(-l)) + (1 - x) * np.log(1 + np.exp(l)), 1) \
            - kl_vector(m, v)
    assert _named(check_elbo(log1p_exp), "unstable log-sigmoid")
    assert _named(check_elbo(lambda *a: np.sum(elbo_softplus(*a))), "averaged over the batch")
    assert _named(check_elbo(lambda *a: np.full(len(a[0]), np.mean(elbo_softplus(*a)))),
                  "averaged over the batch")
    signed = lambda x, l, m, v: -np.sum(softplus(-(2 * np.asarray(x, float) - 1) * l), axis=1) \
        - kl_vector(m, v)                            # the ±1-label shortcut
    assert _named(check_elbo(signed), "binary x only")


def test_elbo_stub_generic_in_place():
    assert check_elbo(stub).status == "not attempted"
    r = check_elbo(lambda x, l, m, v: _rec(x, l) * 1.001 - kl_vector(m, v))
    assert r.status == "failed" and r.mistakes == [] and "expected" in r.message
    assert "softplus" in r.message

    def scales_in_place(x, logits, mu, logvar):
        x *= 1.0                                      # fine so far …
        logits -= 0.0
        mu += 1.0                                     # … but this changes the caller's mu
        return elbo_softplus(x, logits, mu - 1.0, logvar)
    r = check_elbo(scales_in_place)
    assert r.status == "failed" and ("in place" in r.mistakes
                                     or "integer array in place" in r.mistakes)


def test_elbo_sweep_catches_what_the_cases_miss():
    def drops_last_pixel_when_wide(x, logits, mu, logvar):
        x, logits = np.asarray(x, float), np.asarray(logits, float)
        if x.shape[1] > 8:
            x, logits = x[:, :-1], logits[:, :-1]
        return elbo_softplus(x, logits, mu, logvar)
    r = check_elbo(drops_last_pixel_when_wide)
    assert r.status == "failed" and "random inputs failed" in r.message


def test_elbo_oracle_agrees_with_float_softplus_and_bernoulli():
    rng = np.random.default_rng(3)
    x = rng.integers(0, 2, (3, 6)).astype(float)
    logits = rng.normal(0, 4, (3, 6))
    ref = -np.sum(x * softplus(-logits) + (1 - x) * softplus(logits), axis=1)
    assert np.allclose(V._bernoulli_loglik(x, logits), ref, rtol=1e-13)
    # for binary x it is the Bernoulli log-pmf of dlmath.prob, summed over pixels
    bern = dlmath.prob.Bernoulli(logits=logits).log_prob(x).sum(axis=1)
    assert np.allclose(V._bernoulli_loglik(x, logits), bern, rtol=1e-10)
    mu, lv = rng.normal(size=(3, 2)), rng.normal(size=(3, 2))
    assert np.allclose(V._kl_closed(mu, lv), V._kl_oracle(mu, lv), rtol=1e-9)
