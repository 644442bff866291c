"""Seeded two-dimensional toy datasets for classification pictures.

Each generator returns ``(X, y)``: X float64 of shape (n_samples, 2), y int64 class labels, rows
shuffled. ``noise`` is the standard deviation of Gaussian noise added to every coordinate;
``seed`` makes the draw repeatable (the same seed always gives the same data).
"""
import numpy as np

__all__ = ["make_moons", "make_circles", "make_spirals", "make_xor"]


def _check(name, n_samples, noise, n_min=2):
    if not (isinstance(n_samples, (int, np.integer)) and n_samples >= n_min):
        raise ValueError(f"{name}: invalid n_samples={n_samples!r}; it must be an int >= {n_min}")
    if not noise >= 0:
        raise ValueError(f"{name}: invalid noise={noise!r}; it must be >= 0")


def _finish(X, y, noise, rng):
    X = X + noise * rng.standard_normal(X.shape) if noise > 0 else X
    order = rng.permutation(len(y))
    return X[order].astype(np.float64), y[order].astype(np.int64)


def make_moons(n_samples=100, noise=0.0, seed=0):
    """Two interleaving half circles: class 0 is (cos t, sin t), class 1 is (1 − cos t, ½ − sin t),
    t ∈ [0, π]. Not linearly separable; a small MLP separates them."""
    _check("make_moons", n_samples, noise)
    rng = np.random.default_rng(seed)
    n0 = n_samples // 2
    n1 = n_samples - n0
    t0, t1 = np.linspace(0, np.pi, n0), np.linspace(0, np.pi, n1)
    X = np.concatenate([np.column_stack([np.cos(t0), np.sin(t0)]),
                        np.column_stack([1 - np.cos(t1), 0.5 - np.sin(t1)])])
    y = np.concatenate([np.zeros(n0), np.ones(n1)])
    return _finish(X, y, noise, rng)


def make_circles(n_samples=100, noise=0.0, factor=0.5, seed=0):
    """Two concentric circles: class 0 on the unit circle, class 1 on radius ``factor`` (< 1).
    Separable by the feature x² + y², not by any line."""
    _check("make_circles", n_samples, noise)
    if not 0 < factor < 1:
        raise ValueError(f"make_circles: invalid factor={factor!r}; it must be in (0, 1)")
    rng = np.random.default_rng(seed)
    n0 = n_samples // 2
    n1 = n_samples - n0
    t0 = np.linspace(0, 2 * np.pi, n0, endpoint=False)
    t1 = np.linspace(0, 2 * np.pi, n1, endpoint=False)
    X = np.concatenate([np.column_stack([np.cos(t0), np.sin(t0)]),
                        factor * np.column_stack([np.cos(t1), np.sin(t1)])])
    y = np.concatenate([np.zeros(n0), np.ones(n1)])
    return _finish(X, y, noise, rng)


def make_spirals(n_samples=100, noise=0.0, n_classes=2, turns=1.5, seed=0):
    """``n_classes`` interleaved spiral arms: arm k is r(cos θ, sin θ) with r = s ∈ (0, 1] and
    θ = 2π·turns·s + 2πk/n_classes. The classic hard case for linear models."""
    _check("make_spirals", n_samples, noise, n_min=n_classes)
    if not (isinstance(n_classes, (int, np.integer)) and n_classes >= 2):
        raise ValueError(f"make_spirals: invalid n_classes={n_classes!r}; it must be an int >= 2")
    rng = np.random.default_rng(seed)
    sizes = [n_samples // n_classes + (k < n_samples % n_classes) for k in range(n_classes)]
    parts, labels = [], []
    for k, n in enumerate(sizes):
        s = np.linspace(0, 1, n + 1)[1:]
        theta = 2 * np.pi * turns * s + 2 * np.pi * k / n_classes
        parts.append(np.column_stack([s * np.cos(theta), s * np.sin(theta)]))
        labels.append(np.full(n, k))
    return _finish(np.concatenate(parts), np.concatenate(labels), noise, rng)


def make_xor(n_samples=100, noise=0.0, seed=0):
    """Points uniform in [−1, 1]², labelled 1 when x and y have different signs (XOR of the signs).
    The labels are fixed before the noise is added; no single neuron can fit them."""
    _check("make_xor", n_samples, noise)
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n_samples, 2))
    y = ((X[:, 0] > 0) ^ (X[:, 1] > 0)).astype(np.int64)
    return _finish(X, y, noise, rng)
