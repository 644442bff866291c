r"""Probability distributions with the names of ``torch.distributions``.

    Bernoulli(probs=p | logits=ℓ)     X ∈ {0, 1},  P(X = 1) = p
    Categorical(probs=π | logits=ℓ)   X ∈ {0, …, K−1},  P(X = k) = π_k
    Normal(loc=μ, scale=σ)            density e^{−(x−μ)²/2σ²} / (σ√(2π))
    Exponential(rate=λ)               density λe^{−λx} on x ≥ 0
    Poisson(rate=λ)                   P(X = k) = λᵏe^{−λ}/k!

Every distribution has ``mean``, ``variance``, ``stddev``, ``log_prob(x)``, ``prob(x)`` (and the
alias ``pmf`` or ``pdf``), ``cdf(x)``, ``entropy()`` (in nats) and ``sample(sample_shape, seed=…)``.
Parameters may be arrays (a batch of distributions, shape ``batch_shape``) and samples have shape
``sample_shape + batch_shape``, as in PyTorch. Sampling uses ``generator`` (a
``numpy.random.Generator``) or a fresh one seeded by ``seed``; with neither, dlmath's global
generator (reseeded by ``dlmath.manual_seed``).

``log_prob`` also accepts dlmath Tensors — as the value or as parameters with
``requires_grad=True`` — and then returns a Tensor, so maximum likelihood is a ``backward()`` away:
``-Normal(mu, sigma).log_prob(data).mean()`` is the loss whose gradient fits μ and σ.
"""
import math

import numpy as np

from .autograd import numerics

__all__ = ["Distribution", "Bernoulli", "Categorical", "Normal", "Exponential", "Poisson"]

_LOG_2PI = math.log(2 * math.pi)


def _is_tensor(x):
    from .autograd import Tensor
    return isinstance(x, Tensor)


def _np(x):
    return np.asarray(x.data if _is_tensor(x) else x, dtype=float)


def _rng(seed, generator):
    if generator is not None:
        return generator
    if seed is not None:
        return np.random.default_rng(seed)
    from .autograd.factory import default_generator
    return default_generator()


def _shape(sample_shape):
    if isinstance(sample_shape, (int, np.integer)):
        return (int(sample_shape),)
    return tuple(int(s) for s in sample_shape)


_erfc = np.vectorize(math.erfc, otypes=[float])
_lgamma = np.vectorize(math.lgamma, otypes=[float])


class Distribution:
    """The common interface. Subclasses set ``discrete`` and implement the formulas."""

    discrete = False
    batch_shape = ()

    # -- moments -------------------------------------------------------------------------------
    @property
    def mean(self):
        raise NotImplementedError

    @property
    def variance(self):
        raise NotImplementedError

    @property
    def stddev(self):
        return np.sqrt(self.variance)

    # -- probabilities -------------------------------------------------------------------------
    def log_prob(self, value):
        raise NotImplementedError

    def prob(self, value):
        """P(X = x) for a discrete distribution, the density p(x) for a continuous one."""
        lp = self.log_prob(value)
        return lp.exp() if _is_tensor(lp) else np.exp(lp)

    def cdf(self, value):
        raise NotImplementedError

    def entropy(self):
        raise NotImplementedError

    def sample(self, sample_shape=(), seed=None, generator=None):
        raise NotImplementedError

    def plot_range(self, coverage=0.999):
        """Where to plot: the integer support points (discrete) or an interval (lo, hi) holding
        at least ``coverage`` of the probability (continuous)."""
        raise NotImplementedError

    def _check_param(self, name, value, ok, rule):
        arr = _np(value)
        if arr.size == 0 or not np.all(ok(arr)):
            raise ValueError(f"{type(self).__name__}: invalid {name}={value!r}; {rule}")
        return arr


class Bernoulli(Distribution):
    """A coin with P(X = 1) = ``probs`` (or sigmoid(``logits``)). Mean p, variance p(1 − p)."""

    discrete = True

    def __init__(self, probs=None, logits=None):
        if (probs is None) == (logits is None):
            raise ValueError("Bernoulli: give exactly one of probs or logits")
        if probs is not None:
            self._raw_probs = probs
            self.probs = self._check_param("probs", probs, lambda p: (p >= 0) & (p <= 1),
                                           "probabilities must be in [0, 1]")
            with np.errstate(divide="ignore"):
                self.logits = np.log(self.probs) - np.log1p(-self.probs)
            self._q = 1 - self.probs                  # P(X = 0), exact for probs given
        else:
            self._raw_probs = None
            self.logits = self._check_param("logits", logits, np.isfinite, "must be finite")
            # σ(ℓ) and σ(−ℓ) in the stable form (no overflow, full relative precision in both
            # tails): 1/(1 + e^(−ℓ)) overflows for ℓ < −709, and 1 − σ(ℓ) is 0 for ℓ > 37
            self.probs = numerics.sigmoid(self.logits)
            self._q = numerics.sigmoid(-self.logits)
        self._raw_logits = logits
        self.batch_shape = self.probs.shape

    @property
    def mean(self):
        return self.probs

    @property
    def variance(self):
        return self.probs * self._q

    def enumerate_support(self):
        return np.array([0.0, 1.0])

    def plot_range(self, coverage=0.999):
        return self.enumerate_support()

    def log_prob(self, value):
        r"""log P(X = x). From logits ℓ: log σ(ℓ) = −softplus(−ℓ) for x = 1 and
        log σ(−ℓ) = −softplus(ℓ) for x = 0, softplus(t) = max(t, 0) + log1p(e^(−|t|)), accurate
        to the last digits for every ℓ (x·ℓ − softplus(ℓ), the same number in exact arithmetic,
        is 30 − 30 = 0 at ℓ = 30, x = 1, where the truth is −9.4e-14). From probs:
        log p and log1p(−p). With Tensors (the value or the parameter) the same formulas in
        Tensor ops, −[x·softplus(−ℓ) + (1 − x)·softplus(ℓ)], so x may be soft; gradient
        ∂/∂ℓ = x − σ(ℓ)."""
        if _is_tensor(value) or _is_tensor(self._raw_probs) or _is_tensor(self._raw_logits):
            if self._raw_logits is not None:
                from .nn.functional import softplus
                l = self._raw_logits
                l = l if _is_tensor(l) else _tensor(l)
                inf = float("inf")                     # no PyTorch-style threshold: exact
                return -(value * softplus(-l, threshold=inf)
                         + (1 - value) * softplus(l, threshold=inf))
            eps = np.finfo(float).eps
            p = self._raw_probs if _is_tensor(self._raw_probs) else _tensor(self._raw_probs)
            p = p.clamp(eps, 1 - eps)
            return value * p.log() + (1 - value) * (1 - p).log()
        x = _np(value)
        with np.errstate(divide="ignore", invalid="ignore"):
            if self._raw_probs is None:
                l = self.logits
                one, zero = -numerics.softplus(-l), -numerics.softplus(l)
            else:
                one, zero = np.log(self.probs), np.log1p(-self.probs)
            lp = np.where(x == 1, one, np.where(x == 0, zero, -np.inf))
        return lp

    def pmf(self, value):
        return self.prob(value)

    def cdf(self, value):
        x = _np(value)
        return np.where(x < 0, 0.0, np.where(x < 1, self._q, 1.0))

    def entropy(self):
        r"""−p log p − q log q (q = 1 − p). From logits: p·softplus(−ℓ) + q·softplus(ℓ)
        = softplus(−|ℓ|) + |ℓ|·σ(−|ℓ|) (softplus(t) = t + softplus(−t), p + q = 1), a sum of
        two positive terms, the second as −silu(−|ℓ|): accurate even where σ(−|ℓ|) is a
        subnormal with few digits (|ℓ| > 708), which |ℓ| would otherwise magnify."""
        if self._raw_probs is None:
            a = -np.abs(self.logits)
            return numerics.softplus(a) - numerics.silu(a)
        p, q = self.probs, self._q
        with np.errstate(divide="ignore", invalid="ignore"):
            return -(np.where(p > 0, p * np.log(p), 0.0) + np.where(q > 0, q * np.log1p(-p), 0.0))

    def sample(self, sample_shape=(), seed=None, generator=None):
        shape = _shape(sample_shape) + self.batch_shape
        return (_rng(seed, generator).random(shape) < self.probs).astype(float)

    def __repr__(self):
        return f"Bernoulli(probs={self.probs.tolist()})"


class Categorical(Distribution):
    """X ∈ {0, …, K−1} with P(X = k) = probs[k] (normalised to sum 1, as PyTorch does) or
    softmax(logits)[k]. ``probs`` may have shape (..., K): a batch of categoricals."""

    discrete = True

    def __init__(self, probs=None, logits=None):
        if (probs is None) == (logits is None):
            raise ValueError("Categorical: give exactly one of probs or logits")
        self._raw_probs, self._raw_logits = probs, logits
        if probs is not None:
            p = self._check_param("probs", probs, lambda p: np.isfinite(p) & (p >= 0),
                                  "probabilities must be finite and >= 0")
            if p.ndim == 0:
                raise ValueError("Categorical: probs must have at least one dimension (K,)")
            total = p.sum(axis=-1, keepdims=True)
            if np.any(total <= 0):
                raise ValueError(f"Categorical: invalid probs={probs!r}; they sum to 0")
            self.probs = p / total
            with np.errstate(divide="ignore"):
                self.logits = np.log(self.probs)
        else:
            l = self._check_param("logits", logits, lambda l: ~np.isnan(l) & (l < np.inf),
                                  "logits must be < +inf and not nan")
            if l.ndim == 0:
                raise ValueError("Categorical: logits must have at least one dimension (K,)")
            m = np.max(l, axis=-1, keepdims=True)
            e = np.exp(l - m)
            self.probs = e / e.sum(axis=-1, keepdims=True)
            self.logits = l - m - np.log(e.sum(axis=-1, keepdims=True))
        self.num_categories = self.probs.shape[-1]
        self.batch_shape = self.probs.shape[:-1]

    @property
    def mean(self):
        return self.probs @ np.arange(self.num_categories, dtype=float)

    @property
    def variance(self):
        k = np.arange(self.num_categories, dtype=float)
        return self.probs @ (k * k) - self.mean ** 2

    def enumerate_support(self):
        return np.arange(self.num_categories)

    def plot_range(self, coverage=0.999):
        return self.enumerate_support()

    def log_prob(self, value):
        if _is_tensor(self._raw_probs) or _is_tensor(self._raw_logits):
            if self.batch_shape != ():
                raise NotImplementedError("Categorical.log_prob with Tensor parameters supports "
                                          "one distribution (probs of shape (K,))")
            idx = _np(value).astype(np.int64)
            if self._raw_logits is not None:
                l = self._raw_logits
                return (l - l.logsumexp(0))[idx]
            p = self._raw_probs
            return (p / p.sum()).log()[idx]
        x = _np(value)
        valid = (x == np.round(x)) & (x >= 0) & (x < self.num_categories)
        idx = np.where(valid, x, 0).astype(np.int64)
        logits = np.broadcast_to(self.logits, np.broadcast_shapes(idx.shape + (1,),
                                                                  self.logits.shape))
        idx = np.broadcast_to(idx, logits.shape[:-1])
        lp = np.take_along_axis(logits, idx[..., None], axis=-1)[..., 0]
        return np.where(valid, lp, -np.inf)

    def pmf(self, value):
        return self.prob(value)

    def cdf(self, value):
        x = np.floor(_np(value))
        c = np.cumsum(self.probs, axis=-1)
        idx = np.clip(x, 0, self.num_categories - 1).astype(np.int64)
        c = np.broadcast_to(c, np.broadcast_shapes(idx.shape + (1,), c.shape))
        idx = np.broadcast_to(idx, c.shape[:-1])
        out = np.take_along_axis(c, idx[..., None], axis=-1)[..., 0]
        return np.where(x < 0, 0.0, np.where(x >= self.num_categories - 1, 1.0, out))

    def entropy(self):
        p = self.probs
        with np.errstate(divide="ignore", invalid="ignore"):
            return -np.sum(np.where(p > 0, p * np.log(p), 0.0), axis=-1)

    def sample(self, sample_shape=(), seed=None, generator=None):
        shape = _shape(sample_shape) + self.batch_shape
        u = _rng(seed, generator).random(shape)
        c = np.cumsum(self.probs, axis=-1)
        c[..., -1] = np.inf                      # round-off must never push u past the end
        return (u[..., None] >= c).sum(axis=-1).astype(np.int64)

    def __repr__(self):
        return f"Categorical(probs={np.round(self.probs, 4).tolist()})"


class Normal(Distribution):
    """The Gaussian N(μ, σ²): ``loc`` μ, ``scale`` σ > 0."""

    def __init__(self, loc=0.0, scale=1.0):
        self._raw_loc, self._raw_scale = loc, scale
        self.loc = self._check_param("loc", loc, np.isfinite, "must be finite")
        self.scale = self._check_param("scale", scale, lambda s: np.isfinite(s) & (s > 0),
                                       "the standard deviation must be > 0")
        self.batch_shape = np.broadcast_shapes(self.loc.shape, self.scale.shape)

    @property
    def mean(self):
        return np.broadcast_to(self.loc, self.batch_shape).copy()

    @property
    def variance(self):
        return np.broadcast_to(self.scale ** 2, self.batch_shape).copy()

    def log_prob(self, value):
        if any(_is_tensor(t) for t in (value, self._raw_loc, self._raw_scale)):
            mu, sigma = self._raw_loc, self._raw_scale
            log_sigma = sigma.log() if _is_tensor(sigma) else float(np.log(sigma)) \
                if np.ndim(sigma) == 0 else np.log(_np(sigma))
            z = (value - mu) / sigma
            return -0.5 * (z * z) - log_sigma - 0.5 * _LOG_2PI
        x = _np(value)
        z = (x - self.loc) / self.scale
        return -0.5 * z * z - np.log(self.scale) - 0.5 * _LOG_2PI

    def pdf(self, value):
        return self.prob(value)

    def cdf(self, value):
        r"""Φ((x − μ)/σ) = ½·erfc(−z/√2) with z = (x − μ)/σ. The same number as ½(1 + erf(z/√2)),
        but with relative precision in the lower tail: there erf(z/√2) is −1 + (something tiny)
        and 1 + erf keeps only the rounding error of that sum (Φ(−10) = 7.6e-24 came out as 0);
        erfc(t) = 1 − erf(t) is computed directly, down to its underflow (z ≈ −38.5)."""
        t = (_np(value) - self.loc) / (self.scale * math.sqrt(2))
        return 0.5 * _erfc(-t)

    def entropy(self):
        return np.broadcast_to(0.5 * np.log(2 * math.pi * math.e * self.scale ** 2),
                               self.batch_shape).copy()

    def sample(self, sample_shape=(), seed=None, generator=None):
        shape = _shape(sample_shape) + self.batch_shape
        return self.loc + self.scale * _rng(seed, generator).standard_normal(shape)

    def plot_range(self, coverage=0.999):
        # |z| ≤ 4 holds 99.994 %; enough for any coverage ≤ 0.9999
        lo, hi = self.loc - 4 * self.scale, self.loc + 4 * self.scale
        return float(np.min(lo)), float(np.max(hi))

    def __repr__(self):
        return f"Normal(loc={self.loc.tolist()}, scale={self.scale.tolist()})"


class Exponential(Distribution):
    """Waiting time with constant hazard λ = ``rate`` > 0: density λe^{−λx} on x ≥ 0,
    mean 1/λ, variance 1/λ²."""

    def __init__(self, rate=1.0):
        self._raw_rate = rate
        self.rate = self._check_param("rate", rate, lambda r: np.isfinite(r) & (r > 0),
                                      "the rate must be > 0")
        self.batch_shape = self.rate.shape

    @property
    def mean(self):
        return 1 / self.rate

    @property
    def variance(self):
        return 1 / self.rate ** 2

    def log_prob(self, value):
        if _is_tensor(value) or _is_tensor(self._raw_rate):
            if np.any(_np(value) < 0):
                raise ValueError("Exponential.log_prob: the value must be >= 0")
            lam = self._raw_rate
            log_lam = lam.log() if _is_tensor(lam) else np.log(_np(lam))
            return log_lam - lam * value
        x = _np(value)
        with np.errstate(divide="ignore"):
            return np.where(x >= 0, np.log(self.rate) - self.rate * x, -np.inf)

    def pdf(self, value):
        return self.prob(value)

    def cdf(self, value):
        x = _np(value)
        return np.where(x >= 0, -np.expm1(-self.rate * np.maximum(x, 0)), 0.0)

    def entropy(self):
        return 1 - np.log(self.rate)

    def sample(self, sample_shape=(), seed=None, generator=None):
        shape = _shape(sample_shape) + self.batch_shape
        return _rng(seed, generator).standard_exponential(shape) / self.rate

    def plot_range(self, coverage=0.999):
        return 0.0, float(np.max(-np.log1p(-coverage) / self.rate))

    def __repr__(self):
        return f"Exponential(rate={self.rate.tolist()})"


class Poisson(Distribution):
    """Counts of rare events with mean λ = ``rate`` ≥ 0: P(X = k) = λᵏe^{−λ}/k!,
    mean = variance = λ."""

    discrete = True

    def __init__(self, rate=1.0):
        self._raw_rate = rate
        self.rate = self._check_param("rate", rate, lambda r: np.isfinite(r) & (r >= 0),
                                      "the rate must be >= 0")
        self.batch_shape = self.rate.shape

    @property
    def mean(self):
        return self.rate.copy()

    @property
    def variance(self):
        return self.rate.copy()

    def log_prob(self, value):
        if _is_tensor(value) or _is_tensor(self._raw_rate):
            k = _np(value)
            if np.any((k < 0) | (k != np.round(k))):
                raise ValueError("Poisson.log_prob: the value must be a count 0, 1, 2, …")
            lam = self._raw_rate
            lam_t = lam if _is_tensor(lam) else _tensor(lam)
            return k * lam_t.log() - lam_t - _lgamma(k + 1)
        k = _np(value)
        valid = (k >= 0) & (k == np.round(k))
        kk = np.where(valid, k, 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            lp = np.where(kk > 0, kk * np.log(self.rate), 0.0) - self.rate - _lgamma(kk + 1)
        return np.where(valid, lp, -np.inf)

    def pmf(self, value):
        return self.prob(value)

    def _upper(self, tail=1e-16):
        lam = float(np.max(self.rate))
        return int(math.ceil(lam + 12 * math.sqrt(lam) + 30))

    def cdf(self, value):
        x = np.floor(_np(value))
        top = int(max(np.max(x), 0))
        ks = np.arange(top + 1, dtype=float)
        pm = np.exp(self.log_prob(ks.reshape((-1,) + (1,) * len(self.batch_shape))))
        c = np.cumsum(pm, axis=0)
        idx = np.clip(x, 0, top).astype(np.int64)
        out = c[idx] if self.batch_shape == () else np.take_along_axis(
            np.broadcast_to(c, (top + 1,) + np.broadcast_shapes(idx.shape, self.batch_shape)),
            np.broadcast_to(idx, np.broadcast_shapes(idx.shape, self.batch_shape))[None], 0)[0]
        return np.where(x < 0, 0.0, np.minimum(out, 1.0))

    def entropy(self):
        """−Σ P(k) log P(k), summed over k until the tail is negligible (no closed form)."""
        ks = np.arange(self._upper() + 1, dtype=float).reshape((-1,) + (1,) * len(self.batch_shape))
        lp = self.log_prob(ks)
        with np.errstate(invalid="ignore"):
            terms = np.where(np.isfinite(lp), np.exp(lp) * lp, 0.0)
        return -terms.sum(axis=0)

    def sample(self, sample_shape=(), seed=None, generator=None):
        shape = _shape(sample_shape) + self.batch_shape
        return _rng(seed, generator).poisson(self.rate, shape).astype(float)

    def plot_range(self, coverage=0.999):
        lam = float(np.max(self.rate))
        k = np.arange(0, self._upper() + 1)
        c = np.cumsum(np.exp(Poisson(lam).log_prob(k)))
        top = int(np.searchsorted(c, coverage)) + 1
        return np.arange(0, max(top, 1) + 1)

    def __repr__(self):
        return f"Poisson(rate={self.rate.tolist()})"


def _tensor(x):
    from .autograd import tensor
    return tensor(np.asarray(x, dtype=float))
