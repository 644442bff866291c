"""dlmath.info: entropy, cross-entropy, KL — identities, conventions, bases and readable errors."""
import math

import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra.numpy import arrays

from dlmath import info

weights = arrays(np.float64, 4, elements=st.floats(0.01, 10))


def normalise(w):
    return w / w.sum()


@given(weights, weights)
def test_identities(wp, wq):
    p, q = normalise(wp), normalise(wq)
    assert info.cross_entropy(p, q) == pytest.approx(info.entropy(p) + info.kl_divergence(p, q),
                                                     abs=1e-12)
    assert info.kl_divergence(p, q) >= 0
    assert info.kl_divergence(p, p) == pytest.approx(0.0, abs=1e-14)
    assert 0 <= info.entropy(p) <= math.log(4) + 1e-12
    assert info.entropy(p, base=2) == pytest.approx(info.entropy(p) / math.log(2))
    assert info.kl_divergence(p, q, base=2) == pytest.approx(info.kl_divergence(p, q) / math.log(2))


def test_known_values_and_asymmetry():
    assert info.entropy([0.5, 0.5], base=2) == pytest.approx(1.0)
    assert info.entropy([1.0, 0.0, 0.0]) == 0.0
    assert info.entropy(np.ones(8) / 8, base=2) == pytest.approx(3.0)
    p, q = np.array([0.9, 0.1]), np.array([0.5, 0.5])
    kl_pq = 0.9 * math.log(0.9 / 0.5) + 0.1 * math.log(0.1 / 0.5)
    kl_qp = 0.5 * math.log(0.5 / 0.9) + 0.5 * math.log(0.5 / 0.1)
    assert info.kl_divergence(p, q) == pytest.approx(kl_pq)
    assert info.kl_divergence(q, p) == pytest.approx(kl_qp)
    assert kl_pq != pytest.approx(kl_qp)


def test_zero_conventions():
    assert info.kl_divergence([0.5, 0.5, 0.0], [0.25, 0.25, 0.5]) == pytest.approx(math.log(2))
    assert info.kl_divergence([0.5, 0.5], [1.0, 0.0]) == math.inf
    assert info.cross_entropy([0.5, 0.5], [1.0, 0.0]) == math.inf
    assert info.cross_entropy([1.0, 0.0], [1.0, 0.0]) == 0.0


def test_batches_along_the_last_axis():
    P = np.array([[0.5, 0.5], [0.9, 0.1]])
    Q = np.array([0.5, 0.5])
    np.testing.assert_allclose(info.kl_divergence(P, Q),
                               [0.0, info.kl_divergence(P[1], Q)], atol=1e-15)
    np.testing.assert_allclose(info.entropy(P.T, axis=0), info.entropy(P))


@pytest.mark.parametrize("bad, message", [
    ([0.5, 0.6], "sums to 1.1"),
    ([1.2, -0.2], "negative"),
    ([np.nan, 1.0], "nan"),
    (0.5, "vector"),
    ([], "empty"),
])
def test_invalid_distributions_raise_readable_errors(bad, message):
    with pytest.raises(ValueError, match=message):
        info.entropy(bad)


def test_other_errors():
    with pytest.raises(ValueError, match="different numbers of outcomes"):
        info.kl_divergence([0.5, 0.5], [0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match="base"):
        info.entropy([0.5, 0.5], base=1)
    with pytest.raises(ValueError, match="base"):
        info.entropy([0.5, 0.5], base="bits")
    with pytest.raises(ValueError, match="softmax"):
        info.cross_entropy([2.0, 1.0, 0.5], [0.2, 0.3, 0.5])


def test_kl_normal_closed_form_and_vae_term():
    assert info.kl_normal(0.0, 1.0) == 0.0
    mu, s = 0.7, 0.4
    assert info.kl_normal(mu, s) == pytest.approx(0.5 * (mu ** 2 + s ** 2 - 1 - math.log(s ** 2)))
    # against a Monte Carlo estimate
    rng = np.random.default_rng(0)
    x = rng.normal(1.0, 2.0, 400_000)
    logp = -0.5 * ((x - 1) / 2) ** 2 - math.log(2)
    logq = -0.5 * ((x + 1) / 3) ** 2 - math.log(3)
    assert info.kl_normal(1.0, 2.0, -1.0, 3.0) == pytest.approx(np.mean(logp - logq), abs=0.01)
    with pytest.raises(ValueError, match="> 0"):
        info.kl_normal(0.0, -1.0)
