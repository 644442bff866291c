"""dlmath.prob: moments, log_prob, cdf and entropy against closed forms; seeded sampling;
log_prob through autograd (maximum likelihood)."""
import math

import numpy as np
import pytest

import dlmath
from dlmath.prob import Bernoulli, Categorical, Exponential, Normal, Poisson

N = 200_000


@pytest.mark.parametrize("dist", [Bernoulli(0.3), Categorical([0.2, 0.5, 0.3]), Normal(1.0, 2.0),
                                  Exponential(2.0), Poisson(3.5)], ids=repr)
def test_sample_moments_match(dist):
    x = dist.sample((N,), seed=0)
    se = math.sqrt(float(dist.variance) / N)
    assert abs(x.mean() - float(dist.mean)) < 5 * se
    assert x.var() == pytest.approx(float(dist.variance), rel=0.03)
    assert np.allclose(dist.sample(5, seed=1), dist.sample(5, seed=1))      # seeded
    rng = np.random.default_rng(7)
    assert dist.sample((3, 2), generator=rng).shape == (3, 2)


def test_global_seed_drives_default_sampling():
    dlmath.manual_seed(3)
    a = Normal(0, 1).sample(4)
    dlmath.manual_seed(3)
    np.testing.assert_array_equal(a, Normal(0, 1).sample(4))


def test_closed_forms():
    n = Normal(1.0, 2.0)
    assert n.log_prob(2.0) == pytest.approx(-0.5 * 0.25 - math.log(2) - 0.5 * math.log(2 * math.pi))
    assert n.cdf(1.0) == pytest.approx(0.5)
    assert n.cdf(1.0 + 2.0 * 1.959964) == pytest.approx(0.975, abs=1e-6)
    assert n.entropy() == pytest.approx(0.5 * math.log(2 * math.pi * math.e * 4))
    e = Exponential(2.0)
    assert e.log_prob(0.5) == pytest.approx(math.log(2) - 1)
    assert e.log_prob(-1.0) == -np.inf
    assert e.cdf(0.5) == pytest.approx(1 - math.exp(-1))
    assert e.entropy() == pytest.approx(1 - math.log(2))
    b = Bernoulli(0.3)
    assert b.prob(1) == pytest.approx(0.3) and b.prob(0) == pytest.approx(0.7)
    assert b.log_prob(0.5) == -np.inf
    assert b.entropy() == pytest.approx(-(0.3 * math.log(0.3) + 0.7 * math.log(0.7)))
    np.testing.assert_allclose(b.cdf([-1, 0, 0.5, 1]), [0, 0.7, 0.7, 1])
    assert Bernoulli(0.0).entropy() == 0.0 and Bernoulli(1.0).log_prob(1) == 0.0
    c = Categorical([1.0, 2.0, 1.0])                           # normalised like PyTorch
    np.testing.assert_allclose(c.probs, [0.25, 0.5, 0.25])
    np.testing.assert_allclose(c.pmf([0, 1, 2, 3]), [0.25, 0.5, 0.25, 0])
    np.testing.assert_allclose(c.cdf([-1, 0, 1.5, 2]), [0, 0.25, 0.75, 1])
    assert c.mean == pytest.approx(1.0) and c.variance == pytest.approx(0.5)
    p = Poisson(3.5)
    assert p.pmf(2) == pytest.approx(3.5 ** 2 * math.exp(-3.5) / 2)
    assert p.cdf(2) == pytest.approx(sum(3.5 ** k * math.exp(-3.5) / math.factorial(k)
                                         for k in range(3)))
    assert p.log_prob(1.5) == -np.inf
    ks = np.arange(60)
    pk = p.pmf(ks)
    assert p.entropy() == pytest.approx(-np.sum(pk * np.log(pk)), rel=1e-10)


def test_logits_parametrisation_agrees_with_probs():
    np.testing.assert_allclose(Bernoulli(logits=0.0).probs, 0.5)
    l = np.array([0.5, -1.0, 2.0])
    c = Categorical(logits=l)
    np.testing.assert_allclose(c.probs, np.exp(l) / np.exp(l).sum())
    np.testing.assert_allclose(c.log_prob([0, 1, 2]), l - np.log(np.exp(l).sum()))


def test_batches_broadcast():
    n = Normal(np.array([0.0, 1.0]), 1.0)
    assert n.batch_shape == (2,)
    assert n.sample((5,), seed=0).shape == (5, 2)
    np.testing.assert_allclose(n.log_prob(np.array([0.0, 1.0])), [n.log_prob(0.0)[0]] * 2)
    c = Categorical(np.array([[0.2, 0.8], [0.5, 0.5]]))
    np.testing.assert_allclose(c.log_prob(np.array([1, 0])), np.log([0.8, 0.5]))
    assert c.sample((3,), seed=0).shape == (3, 2)
    np.testing.assert_allclose(Poisson(np.array([1.0, 2.0])).cdf(np.array([1.0, 2.0])),
                               [2 * math.exp(-1), 5 * math.exp(-2)])


def test_invalid_parameters_raise_readable_errors():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        Bernoulli(1.5)
    with pytest.raises(ValueError, match="> 0"):
        Normal(0.0, 0.0)
    with pytest.raises(ValueError, match="sum to 0"):
        Categorical([0.0, 0.0])
    with pytest.raises(ValueError, match=">= 0"):
        Categorical([0.5, -0.1])
    with pytest.raises(ValueError, match="rate"):
        Exponential(-1.0)
    with pytest.raises(ValueError, match="exactly one"):
        Bernoulli()


def test_maximum_likelihood_gradients_through_autograd():
    data = np.array([1.0, 2.0, 4.0])
    mu = dlmath.tensor(0.5, requires_grad=True)
    sigma = dlmath.tensor(1.5, requires_grad=True)
    nll = -Normal(mu, sigma).log_prob(data).mean()
    nll.backward()
    assert mu.grad.item() == pytest.approx(-np.mean(data - 0.5) / 1.5 ** 2)
    assert sigma.grad.item() == pytest.approx(1 / 1.5 - np.mean((data - 0.5) ** 2) / 1.5 ** 3)
    assert nll.item() == pytest.approx(-Normal(0.5, 1.5).log_prob(data).mean())
    p = dlmath.tensor(0.3, requires_grad=True)
    x = np.array([1.0, 0.0, 1.0, 1.0])
    ll = Bernoulli(probs=p).log_prob(x).sum()
    ll.backward()
    assert p.grad.item() == pytest.approx(3 / 0.3 - 1 / 0.7)
    logits = dlmath.tensor([0.1, 0.2, -0.3], requires_grad=True)
    Categorical(logits=logits).log_prob(np.array([0, 2])).sum().backward()
    soft = np.exp([0.1, 0.2, -0.3]) / np.exp([0.1, 0.2, -0.3]).sum()
    np.testing.assert_allclose(logits.grad.data, np.array([1, 0, 1]) - 2 * soft, atol=1e-12)
    lam = dlmath.tensor(2.0, requires_grad=True)
    Poisson(lam).log_prob(np.array([1.0, 3.0])).sum().backward()
    assert lam.grad.item() == pytest.approx(4 / 2.0 - 2)
