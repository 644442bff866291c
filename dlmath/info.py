r"""Entropy, cross-entropy and KL divergence of categorical distributions (Part 4).

    entropy(p)              H(p)    = −Σ pᵢ log pᵢ
    cross_entropy(p, q)     H(p, q) = −Σ pᵢ log qᵢ            = H(p) + KL(p‖q)
    kl_divergence(p, q)     KL(p‖q) =  Σ pᵢ log(pᵢ / qᵢ)      ≥ 0, = 0 iff p = q, not symmetric
    kl_normal(μ₁, σ₁, μ₂, σ₂)   KL between two Gaussians (the VAE regulariser), in closed form

p and q are probability vectors along ``axis`` (the last by default; leading axes are a batch).
``base`` is e (nats, the default), 2 (bits) or any number > 0 other than 1. Conventions:
0·log 0 = 0, and a q that is 0 where p is not gives +inf (q says "impossible" to what p does).
Invalid input — negative entries, nan, or a vector that does not sum to 1 — raises a ValueError
saying what is wrong, instead of returning a silently wrong number.
"""
import math

import numpy as np

__all__ = ["entropy", "cross_entropy", "kl_divergence", "kl_normal", "check_distribution"]


def _log_base(base):
    if base is None or base == "e":
        return 1.0
    if isinstance(base, str):
        raise ValueError(f"invalid base={base!r}; use None or 'e' (nats), 2 (bits), or a number > 0")
    if not (base > 0 and base != 1 and math.isfinite(base)):
        raise ValueError(f"invalid base={base!r}; a logarithm base must be > 0 and != 1")
    return math.log(base)


def check_distribution(p, name="p", axis=-1, atol=1e-6):
    """Return p as a float array after checking it is a probability vector along ``axis``:
    finite, ≥ 0 and summing to 1 (within ``atol``). Raises ValueError otherwise."""
    arr = np.asarray(getattr(p, "data", p) if not isinstance(p, np.ndarray) else p, dtype=float)
    if arr.ndim == 0:
        raise ValueError(f"{name} must be a vector of probabilities, got the scalar {arr.item()!r}")
    if arr.shape[axis] == 0:
        raise ValueError(f"{name} is empty")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains nan or inf: {arr.tolist()}")
    if np.any(arr < 0):
        raise ValueError(f"{name} has negative entries ({arr.min():g}); probabilities are >= 0")
    total = arr.sum(axis=axis)
    bad = np.abs(total - 1) > atol
    if np.any(bad):
        t = float(np.atleast_1d(total)[np.argmax(np.atleast_1d(bad))])
        raise ValueError(f"{name} sums to {t:.6g}, not 1 — normalise it first ({name} / "
                         f"{name}.sum()); logits need a softmax")
    return arr


def _pair(p, q, axis):
    p, q = check_distribution(p, "p", axis), check_distribution(q, "q", axis)
    if p.shape[axis] != q.shape[axis]:
        raise ValueError(f"p and q have different numbers of outcomes: {p.shape[axis]} vs "
                         f"{q.shape[axis]}")
    try:
        np.broadcast_shapes(p.shape, q.shape)
    except ValueError:
        raise ValueError(f"p and q have incompatible shapes {p.shape} and {q.shape}") from None
    return p, q


def _out(x):
    return float(x) if np.ndim(x) == 0 else x


def entropy(p, base=None, axis=-1):
    """H(p) = −Σ pᵢ log pᵢ: the average surprise of an outcome drawn from p (0 log 0 = 0)."""
    p = check_distribution(p, "p", axis)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log(p), 0.0)
    return _out(-terms.sum(axis=axis) / _log_base(base))


def cross_entropy(p, q, base=None, axis=-1):
    """H(p, q) = −Σ pᵢ log qᵢ: the average surprise when outcomes come from p but you expected q.
    +inf when q is 0 where p is not. (For logits and labels, the loss is
    ``dlmath.nn.functional.cross_entropy``.)"""
    p, q = _pair(p, q, axis)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log(q), 0.0)
    return _out(-terms.sum(axis=axis) / _log_base(base))


def kl_divergence(p, q, base=None, axis=-1):
    """KL(p‖q) = Σ pᵢ log(pᵢ/qᵢ) = H(p, q) − H(p) ≥ 0; zero only when p = q; +inf when q is 0
    where p is not. Not symmetric: KL(p‖q) ≠ KL(q‖p) in general."""
    p, q = _pair(p, q, axis)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * (np.log(p) - np.log(q)), 0.0)
    kl = terms.sum(axis=axis) / _log_base(base)
    return _out(np.maximum(kl, 0.0))          # round-off can give −1e-17 for p = q


def kl_normal(mu1, sigma1, mu2=0.0, sigma2=1.0, base=None):
    r"""KL(N(μ₁, σ₁²) ‖ N(μ₂, σ₂²)) = log(σ₂/σ₁) + (σ₁² + (μ₁ − μ₂)²)/(2σ₂²) − ½, elementwise.
    With the defaults μ₂ = 0, σ₂ = 1 it is the VAE term ½(μ² + σ² − 1 − log σ²)."""
    m1, s1, m2, s2 = (np.asarray(getattr(v, "data", v), dtype=float)
                      for v in (mu1, sigma1, mu2, sigma2))
    if np.any(s1 <= 0) or np.any(s2 <= 0):
        raise ValueError("kl_normal: standard deviations must be > 0")
    kl = np.log(s2 / s1) + (s1 ** 2 + (m1 - m2) ** 2) / (2 * s2 ** 2) - 0.5
    return _out(kl / _log_base(base))
