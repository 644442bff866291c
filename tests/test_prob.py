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


# ----------------------------------------------------------------------------------------------
# precision: relative error against mpmath over the whole float64 range (like test_precision.py)
# ----------------------------------------------------------------------------------------------
# err = |got − exact| / ulp(exact), ulp = the gap between adjacent float64 numbers at the exact
# value: in the normal range that is relative error (1 ulp = 1.1e-16 … 2.2e-16); where the exact
# value is subnormal it means "right to the last subnormal digit". No absolute tolerance: a
# probability of 4.2e-18 returned as 0 is 1e306 ulps wrong.
import warnings                                               # noqa: E402

import mpmath as mp                                           # noqa: E402

DPS = 40
TINY = float(np.finfo(float).smallest_subnormal)


def _ulps(got, exact):
    got = np.asarray(got, dtype=float)
    exact_f = np.array([float(e) for e in exact])
    diff = np.array([float(abs(mp.mpf(float(g)) - e)) for g, e in zip(got.ravel(), exact)])
    unit = np.spacing(np.abs(np.where(np.isfinite(exact_f), exact_f, np.finfo(float).max)))
    return np.where(np.isnan(got.ravel()), np.inf, diff / unit)


def _assert_ulps(what, x, got, exact, tol):
    err = _ulps(got, exact)
    tol = np.broadcast_to(np.asarray(tol, dtype=float), err.shape)
    bad = np.flatnonzero(~(err <= tol))
    rows = [f"  x={x[i]!r}: got {np.ravel(got)[i]!r}, exact {mp.nstr(exact[i], 17)}: "
            f"{err[i]:.3g} ulps (allowed {tol[i]:.3g})" for i in bad[np.argsort(-err[bad])][:6]]
    assert not len(bad), \
        f"{what}: {len(bad)} of {len(err)} points wrong; worst:\n" + "\n".join(rows)


def _logit_grid():
    """± 3 points per decade from 1e-300 to 1e308, a linear stretch over [−60, 60] (off the
    integers) and the edges where the old formulas broke: e^(−ℓ) overflows below ℓ = −709.8,
    σ(ℓ) rounds to 1 above 36.7, σ(ℓ) leaves the normal range below −708 and underflows below
    −745."""
    logs = np.geomspace(1e-300, 1e308, 3 * 608)
    edges = np.array([0.5, 1.0, 20.0, 30.0, 36.7, 37.0, 40.0, 100.0, 700.0, 708.0, 709.7,
                      709.8, 710.0, 744.0, 745.0, 745.2, 746.0, 1000.0, 1e5])
    lin = np.linspace(-60, 60, 121) + 0.013
    return np.unique(np.concatenate([logs, -logs, edges, -edges, lin, [0.0]]))


LOGITS = _logit_grid()


def _sigma_mp(l):
    return 1 / (1 + mp.exp(-mp.mpf(float(l))))


def _softplus_mp(t):
    return mp.log1p(mp.exp(mp.mpf(float(t))))


def test_bernoulli_from_logits_never_overflows():
    """1/(1 + e^(−ℓ)) overflowed (a RuntimeWarning) for ℓ < −709.8."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        b = Bernoulli(logits=np.array([-1e308, -1000.0, -710.0, 710.0, 1000.0, 1e308]))
        np.testing.assert_array_equal(b.probs, [0, 0, np.exp(-710.0), 1, 1, 1])
        np.testing.assert_array_equal(b.log_prob(np.array([1.0, 1, 1, 0, 0, 0])),
                                      [-1e308, -1000, -710, -710, -1000, -1e308])
        assert np.all(np.isfinite(b.entropy())) and np.all(b.variance >= 0)


def test_bernoulli_probs_from_logits_relative_precision():
    """σ(ℓ), σ(−ℓ) = P(X = 0) (as cdf(0)) and the variance σ(ℓ)σ(−ℓ), each within a few ulps of
    mpmath at every logit of the grid, both tails included (the old 1 − σ was 0 above ℓ = 37)."""
    with mp.workdps(DPS):
        p = [_sigma_mp(l) for l in LOGITS]
        q = [_sigma_mp(-l) for l in LOGITS]
        b = Bernoulli(logits=LOGITS)
        _assert_ulps("probs", LOGITS, b.probs, p, 2)
        _assert_ulps("cdf(0) = P(X = 0)", LOGITS, b.cdf(np.zeros_like(LOGITS)), q, 2)
        _assert_ulps("variance", LOGITS, b.variance, [a * c for a, c in zip(p, q)], 3)


def test_bernoulli_log_prob_and_entropy_from_logits_relative_precision():
    """log P(X = 1) = −softplus(−ℓ) and log P(X = 0) = −softplus(ℓ): the old x·ℓ − log(1 + e^ℓ)
    forms gave 0 for a true −9.4e-14 (ℓ = 30, x = 1) and −inf for −40 (ℓ = 40, x = 0). The
    entropy p·softplus(−ℓ) + q·softplus(ℓ) is a sum of two positive terms: relative too."""
    with mp.workdps(DPS):
        one = [-_softplus_mp(-l) for l in LOGITS]
        zero = [-_softplus_mp(l) for l in LOGITS]
        ent = [_sigma_mp(l) * _softplus_mp(-l) + _sigma_mp(-l) * _softplus_mp(l) for l in LOGITS]
        b = Bernoulli(logits=LOGITS)
        _assert_ulps("log_prob(1)", LOGITS, b.log_prob(np.ones_like(LOGITS)), one, 2)
        _assert_ulps("log_prob(0)", LOGITS, b.log_prob(np.zeros_like(LOGITS)), zero, 2)
        _assert_ulps("entropy", LOGITS, b.entropy(), ent, 6)


@pytest.mark.parametrize("x", [1.0, 0.0])
def test_bernoulli_log_prob_tensor_path_and_gradients(x):
    """The autograd branch (Tensor logits): the same values to a few ulps, the gradient
    ∂/∂ℓ log P(X = x) = x − σ(ℓ) (σ(−ℓ) for x = 1, −σ(ℓ) for x = 0) and, with create_graph,
    the second derivative −σ(ℓ)σ(−ℓ), all relative to mpmath. (The old softplus
    log(1 + e^(−|ℓ|)) + relu(ℓ) gave log_prob(1) = 0 at ℓ = 30 and a gradient 0 at ℓ = 0.)"""
    ls = LOGITS[np.abs(LOGITS) <= 1e5]
    with mp.workdps(DPS):
        want = [-_softplus_mp(-l) if x == 1 else -_softplus_mp(l) for l in ls]
        grad = [_sigma_mp(-l) if x == 1 else -_sigma_mp(l) for l in ls]
        second = [-_sigma_mp(l) * _sigma_mp(-l) for l in ls]
    t = dlmath.tensor(ls, requires_grad=True)
    y = Bernoulli(logits=t).log_prob(np.full_like(ls, x))
    (g,) = dlmath.autograd.grad(y.sum(), t, create_graph=True)
    (h,) = dlmath.autograd.grad(g.sum(), t)
    _assert_ulps("Tensor log_prob", ls, y.data, want, 2)
    _assert_ulps("gradient", ls, g.data, grad, 3)
    _assert_ulps("second derivative", ls, h.data, second, 6)
    assert g.data[ls == 0.0] == pytest.approx(x - 0.5, abs=0)


def _normal_grid():
    """z from −40 (Φ underflows below z ≈ −38.5) to 40 (Φ rounds to 1 above 8.3): a dense
    linear stretch, log-spaced small |z|, and the subnormal edge."""
    lin = np.linspace(-40, 40, 801) + 0.0071
    small = np.geomspace(1e-300, 1, 100)
    edge = np.linspace(-38.6, -37.4, 25)
    return np.unique(np.concatenate([lin, small, -small, edge, [0.0, -1.0, -10.0, -20.0]]))


Z = _normal_grid()


@pytest.mark.parametrize("loc, scale", [(0.0, 1.0), (3.0, 2.0), (-1.0, 0.25)])
def test_normal_cdf_relative_precision_in_both_tails(loc, scale):
    """Φ((x − μ)/σ) within 4(1 + κ) ulps of mpmath, κ = |z|φ(z)/Φ(z) — the relative sensitivity
    of Φ to its argument, which the division (x − μ)/(σ√2) rounds once (≈ z² in the lower tail:
    the error any implementation taking x makes, 'backward stable'). ½(1 + erf(z/√2)) misses
    that by up to 10³⁰⁰×: Φ(−10) = 7.6e-24 came out as 0, and Φ(−8) had 14 % error. Where the
    exact value is below half the smallest subnormal, the result must be 0."""
    x = loc + scale * Z                      # exact in float64 for these loc, scale: x − μ = σz
    with mp.workdps(DPS):
        exact = [mp.ncdf(mp.mpf(float(v)), mu=loc, sigma=scale) for v in x]
        kappa = np.array([float(abs(z) * mp.npdf(z) / mp.ncdf(z)) if mp.ncdf(z) > 0 else 0.0
                          for z in (mp.mpf(float(v)) for v in Z)])
    got = Normal(loc, scale).cdf(x)
    exact_f = np.array([float(e) for e in exact])
    shown = exact_f >= TINY / 2
    assert np.all(got[~shown] <= TINY)
    _assert_ulps(f"Normal({loc}, {scale}).cdf", x[shown], got[shown],
                 [e for e, s in zip(exact, shown) if s], 4 * (1 + kappa[shown]))


def test_normal_cdf_named_lower_tail_values():
    with mp.workdps(DPS):
        for z in (-8.0, -10.0, -20.0, -37.0):
            assert _rel(Normal(0.0, 1.0).cdf(z), mp.ncdf(z)) < 1e-12 * (1 + z * z) / 100


def _rel(got, exact):
    return abs((mp.mpf(float(got)) - exact) / exact)
