"""Loss-landscape slices of a trained model (Li, Xu, Taylor, Studer & Goldstein, 2018,
"Visualizing the Loss Landscape of Neural Nets").

A network has far too many parameters to plot its loss, so we look at a line or a plane through
the trained weights θ*:

    1-D:  L(θ* + α d)              or the straight path  L((1−α) θ_a + α θ_b)  between two models
    2-D:  L(θ* + α d₁ + β d₂)

With plain Gaussian directions the picture depends on the weights' scale (ReLU nets are
scale-invariant layer by layer), so each *filter* of a direction — a row of a Linear weight, one
output channel of a Conv2d weight — is rescaled to the norm of the matching filter of θ*:

    d_i ← d_i · ‖θ*_i‖ / ‖d_i‖                                     (filter normalisation)

and the directions are zero on biases and normalisation parameters (1-D tensors), so only the
weights move (``ignore_1d=False`` normalises those as whole vectors instead).
"""
import numpy as np

from .autograd import Tensor, no_grad


def _params(model):
    return [p for p in model.parameters()]


def random_direction(model, seed=0, ignore_1d=True):
    """A filter-normalised Gaussian direction: one ndarray per parameter (same shapes)."""
    rng = np.random.default_rng(seed)
    direction = []
    for p in _params(model):
        w = p.data
        d = rng.standard_normal(w.shape).astype(w.dtype)
        if w.ndim <= 1:
            if ignore_1d:
                d[...] = 0
            else:
                d *= np.linalg.norm(w) / (np.linalg.norm(d) + 1e-12)
        else:
            axes = tuple(range(1, w.ndim))
            wn = np.sqrt((w.astype(np.float64) ** 2).sum(axis=axes, keepdims=True))
            dn = np.sqrt((d.astype(np.float64) ** 2).sum(axis=axes, keepdims=True))
            d = (d * (wn / (dn + 1e-12))).astype(w.dtype)
        direction.append(d)
    return direction


def _batches(data):
    """``data`` is (X, y) or an iterable of (X, y) batches."""
    if isinstance(data, tuple) and len(data) == 2 and not isinstance(data[0], tuple):
        return [data]
    return data


def _loss(model, loss_fn, data):
    total, n = 0.0, 0
    for X, y in _batches(data):
        X = X if isinstance(X, Tensor) else Tensor(np.asarray(X))
        b = len(y.data if isinstance(y, Tensor) else y)
        total += float(loss_fn(model(X), y).item()) * b
        n += b
    return total / n


def _evaluate_along(model, loss_fn, data, points):
    """Evaluate the loss at θ(point) for each parameter-setting in ``points`` (a generator of
    lists of arrays); always restores the original weights and training mode."""
    params = _params(model)
    original = [p.data.copy() for p in params]
    was_training = getattr(model, "training", False)
    model.eval()
    losses = []
    try:
        with no_grad():
            for values in points:
                for p, v in zip(params, values):
                    p.data[...] = v
                losses.append(_loss(model, loss_fn, data))
    finally:
        for p, o in zip(params, original):
            p.data[...] = o
        if was_training:
            model.train()
    return np.array(losses)


def _check_direction(model, d, name):
    shapes = [p.shape for p in _params(model)]
    if len(d) != len(shapes) or any(np.shape(a) != s for a, s in zip(d, shapes)):
        raise ValueError(f"{name}: expected one array per parameter with shapes {shapes}, got "
                         f"{[np.shape(a) for a in d]}")


def slice_1d(model, loss_fn, data, direction=None, alphas=np.linspace(-1, 1, 41), seed=0,
             ignore_1d=True):
    """Losses along a line through the weights.

    ``direction``: None (a filter-normalised random direction from ``seed``), a list of arrays,
    or another Module with the same architecture — then the path is the straight line from this
    model (α = 0) to that one (α = 1). Returns ``{"alphas", "losses", "direction"}``."""
    alphas = np.asarray(alphas, dtype=float)
    theta = [p.data.copy() for p in _params(model)]
    if direction is None:
        d = random_direction(model, seed, ignore_1d)
    elif hasattr(direction, "parameters"):
        other = [p.data for p in _params(direction)]
        _check_direction(model, other, "slice_1d")
        d = [o - t for o, t in zip(other, theta)]
    else:
        d = [np.asarray(a) for a in direction]
        _check_direction(model, d, "slice_1d")
    points = ([t + a * di for t, di in zip(theta, d)] for a in alphas)
    return {"alphas": alphas, "losses": _evaluate_along(model, loss_fn, data, points),
            "direction": d}


def slice_2d(model, loss_fn, data, alphas=np.linspace(-1, 1, 25), betas=None,
             directions=None, seed=0, ignore_1d=True):
    """Losses on the plane θ* + α d₁ + β d₂; ``losses[j, i]`` is at (alphas[i], betas[j]) —
    the layout ``contour(alphas, betas, losses)`` expects. Returns
    ``{"alphas", "betas", "losses", "directions"}``."""
    alphas = np.asarray(alphas, dtype=float)
    betas = alphas if betas is None else np.asarray(betas, dtype=float)
    if directions is None:
        directions = (random_direction(model, seed, ignore_1d),
                      random_direction(model, seed + 1, ignore_1d))
    d1, d2 = directions
    _check_direction(model, d1, "slice_2d")
    _check_direction(model, d2, "slice_2d")
    theta = [p.data.copy() for p in _params(model)]
    points = ([t + a * u + b * v for t, u, v in zip(theta, d1, d2)]
              for b in betas for a in alphas)
    losses = _evaluate_along(model, loss_fn, data, points).reshape(len(betas), len(alphas))
    return {"alphas": alphas, "betas": betas, "losses": losses, "directions": (d1, d2)}
