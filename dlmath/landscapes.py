r"""Two-dimensional test functions for optimization, with exact gradients and Hessians.

Each function f: ℝ² → ℝ is an object with

* ``value(x)`` (also ``f(x)``) — x may be an ndarray of shape (2,), a stack of points of shape
  (2, ...) such as ``np.stack([X, Y])``, or a dlmath ``Tensor`` of shape (2,), in which case the
  result is a Tensor that autograd can differentiate (the formulas use only +, −, ×, /, powers,
  indexing and ``cos``);
* ``value_grid(X, Y)`` — f on a meshgrid, for contour plots;
* ``gradient(x)`` → shape (2, ...) and ``hessian(x)`` → shape (2, 2, ...): written out by hand;
* ``minima`` — the global/local minima, an array of shape (k, 2) (k = 0 when there is none);
  ``stationary_points`` adds the saddles and maxima where they are known;
* ``domain`` — ((x_min, x_max), (y_min, y_max)), a sensible window to plot.

``trajectory(optimizer_factory, f, x0, steps)`` runs a ``dlmath.optim`` optimizer on f and returns
the path, the losses and whether the run diverged.

Loss-landscape slices of a *model* (``slice_1d``, ``slice_2d``, ``random_direction``, with
filter-normalised directions) live in ``dlmath.loss_landscape`` and are re-exported here.
"""
import math
from typing import NamedTuple

import numpy as np

__all__ = ["slice_1d", "slice_2d", "random_direction", "TestFunction", "Quadratic", "Rosenbrock", "Himmelblau", "Beale", "Saddle",
           "Rastrigin", "Trajectory", "trajectory"]


def _cos(x):
    """cos for numbers, ndarrays and Tensors (so that autograd can differentiate the formulas)."""
    return x.cos() if hasattr(x, "cos") else np.cos(x)


def _newton_refine(f, x, iters=20):
    """Polish a stationary point to machine precision with Newton's method on ∇f = 0."""
    x = np.array(x, dtype=float)
    for _ in range(iters):
        x = x - np.linalg.solve(f.hessian(x), f.gradient(x))
    return x


class TestFunction:
    """Base class: subclasses define ``value``, ``gradient``, ``hessian``, ``minima``, ``domain``."""

    name = "f"
    domain = ((-2.0, 2.0), (-2.0, 2.0))
    minima = np.zeros((0, 2))
    __test__ = False                         # not a pytest test class, despite its name

    def __call__(self, x):
        return self.value(x)

    def value(self, x):
        raise NotImplementedError

    def gradient(self, x):
        raise NotImplementedError

    def hessian(self, x):
        raise NotImplementedError

    @property
    def stationary_points(self):
        """Points where ∇f = 0 that are known in closed form (minima first)."""
        return self.minima

    def value_grid(self, X, Y):
        """f evaluated on a grid: ``X, Y = np.meshgrid(xs, ys)``; returns an array like X."""
        return self.value(np.stack([np.asarray(X, dtype=float), np.asarray(Y, dtype=float)]))

    def grid(self, n=200):
        """``(X, Y, Z)`` on an n×n grid covering ``domain``, ready for ``contour(X, Y, Z)``."""
        (x0, x1), (y0, y1) = self.domain
        X, Y = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
        return X, Y, self.value_grid(X, Y)

    def __repr__(self):
        return f"{type(self).__name__}()"


def _stack2(a, b):
    """``np.stack([a, b])``: the two components of a gradient. For one point (two numbers) the
    same array is built with ``np.array``, ~10x faster — the hot path of ``trajectory``."""
    if np.ndim(a) == 0 and np.ndim(b) == 0:
        return np.array([a, b])
    return np.stack([a, b])


def _hess(h00, h01, h11):
    return np.array([[h00, h01], [h01, h11]], dtype=float) if np.ndim(h00) == 0 else \
        np.stack([np.stack([h00, h01]), np.stack([h01, h11])])


class Quadratic(TestFunction):
    r"""f(x) = ½ (x − c)ᵀ A (x − c) with A = R(θ) diag(λ₁, λ₂) R(θ)ᵀ.

    ``Quadratic(eigenvalues=(1, 10), angle=0.3, center=(0, 0))`` — λ's are the curvatures along
    the axes rotated by ``angle`` (radians); ``Quadratic.from_condition_number(κ, mu=1)`` has
    eigenvalues (μ, κμ). ∇f = A(x − c), ∇²f = A. Equivalently f = ½xᵀAx − bᵀx + const with
    b = Ac. When both eigenvalues are > 0, c is the unique minimum; a negative one makes c a saddle.
    ``L`` = max |λᵢ| and ``mu`` = min λᵢ, ``condition_number`` κ = L/μ (∞ unless A is positive
    definite): gradient descent converges for lr < 2/L, fastest at lr = 2/(L + μ), with rate
    (κ − 1)/(κ + 1).
    """

    def __init__(self, eigenvalues=(1.0, 10.0), angle=0.0, center=(0.0, 0.0)):
        self.eigenvalues = np.asarray(eigenvalues, dtype=float)
        if self.eigenvalues.shape != (2,):
            raise ValueError(f"Quadratic: eigenvalues must be two numbers, got {eigenvalues!r}")
        self.angle = float(angle)
        self.center = np.asarray(center, dtype=float)
        c, s = math.cos(self.angle), math.sin(self.angle)
        self.rotation = np.array([[c, -s], [s, c]])
        self.A = self.rotation @ np.diag(self.eigenvalues) @ self.rotation.T
        self.A = (self.A + self.A.T) / 2                     # exactly symmetric
        self.b = self.A @ self.center
        self.name = f"quadratic λ={tuple(self.eigenvalues.tolist())}, θ={self.angle:g}"
        lo, hi = np.min(self.eigenvalues), np.max(self.eigenvalues)
        self.L, self.mu = float(np.max(np.abs(self.eigenvalues))), float(lo)
        self.condition_number = float(hi / lo) if lo > 0 else math.inf
        r = 2.0
        self.domain = ((self.center[0] - r, self.center[0] + r),
                       (self.center[1] - r, self.center[1] + r))
        self.minima = self.center[None, :].copy() if lo > 0 else np.zeros((0, 2))

    @classmethod
    def from_condition_number(cls, kappa, mu=1.0, angle=0.0, center=(0.0, 0.0)):
        """The quadratic with eigenvalues (μ, κμ): condition number κ."""
        if not kappa >= 1:
            raise ValueError(f"Quadratic: invalid kappa={kappa!r}; a condition number is >= 1")
        return cls((mu, kappa * mu), angle=angle, center=center)

    @property
    def stationary_points(self):
        return self.center[None, :].copy()

    def value(self, x):
        a00, a01, a11 = float(self.A[0, 0]), float(self.A[0, 1]), float(self.A[1, 1])
        u, v = x[0] - float(self.center[0]), x[1] - float(self.center[1])
        return 0.5 * (a00 * u * u + 2 * a01 * u * v + a11 * v * v)

    def gradient(self, x):
        x = np.asarray(x, dtype=float)
        (a00, a01), (_, a11) = self.A
        u, v = x[0] - self.center[0], x[1] - self.center[1]
        return _stack2(a00 * u + a01 * v, a01 * u + a11 * v)

    def hessian(self, x):
        x = np.asarray(x, dtype=float)
        ones = np.ones_like(x[0])
        return _hess(self.A[0, 0] * ones, self.A[0, 1] * ones, self.A[1, 1] * ones)

    def __repr__(self):
        return (f"Quadratic(eigenvalues={tuple(self.eigenvalues.tolist())}, angle={self.angle!r}, "
                f"center={tuple(self.center.tolist())})")


class Rosenbrock(TestFunction):
    r"""f(x, y) = (a − x)² + b (y − x²)²: a curved, narrow valley; minimum f = 0 at (a, a²).

    ∇f = (−2(a − x) − 4bx(y − x²), 2b(y − x²));
    ∇²f = [[2 − 4b(y − x²) + 8bx², −4bx], [−4bx, 2b]].
    """

    name = "Rosenbrock"

    def __init__(self, a=1.0, b=100.0):
        self.a, self.b = float(a), float(b)
        self.minima = np.array([[self.a, self.a ** 2]])
        # (−2, 2) × (−1, 3) for the classic a = 1: the valley and the start (−1.5, 2) in view
        self.domain = ((self.a - 3.0, self.a + 1.0), (self.a ** 2 - 2.0, self.a ** 2 + 2.0))

    def value(self, x):
        a, b = self.a, self.b
        return (a - x[0]) ** 2 + b * (x[1] - x[0] ** 2) ** 2

    def gradient(self, x):
        x = np.asarray(x, dtype=float)
        a, b = self.a, self.b
        r = x[1] - x[0] ** 2
        return _stack2(-2 * (a - x[0]) - 4 * b * x[0] * r, 2 * b * r)

    def hessian(self, x):
        x = np.asarray(x, dtype=float)
        b = self.b
        return _hess(2 - 4 * b * (x[1] - x[0] ** 2) + 8 * b * x[0] ** 2, -4 * b * x[0],
                     2 * b * np.ones_like(x[0]))

    def __repr__(self):
        return f"Rosenbrock(a={self.a!r}, b={self.b!r})"


class Himmelblau(TestFunction):
    r"""f(x, y) = (x² + y − 11)² + (x + y² − 7)²: four minima with f = 0, one maximum, four saddles.

    With p = x² + y − 11 and q = x + y² − 7: ∇f = (4xp + 2q, 2p + 4yq);
    ∇²f = [[12x² + 4y − 42, 4(x + y)], [4(x + y), 12y² + 4x − 26]].
    The minima are (3, 2) and three irrational points, refined here to machine precision.
    """

    name = "Himmelblau"
    domain = ((-5.0, 5.0), (-5.0, 5.0))

    def __init__(self):
        guesses = [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)]
        self.minima = np.array([_newton_refine(self, g) for g in guesses])
        self.maximum = _newton_refine(self, (-0.270845, -0.923039))[None, :]
        saddles = [(0.086678, 2.884255), (-3.073026, -0.081353), (3.385154, 0.073852),
                   (-0.127961, -1.953715)]
        self.saddles = np.array([_newton_refine(self, g) for g in saddles])

    @property
    def stationary_points(self):
        return np.concatenate([self.minima, self.saddles, self.maximum])

    def value(self, x):
        return (x[0] ** 2 + x[1] - 11) ** 2 + (x[0] + x[1] ** 2 - 7) ** 2

    def gradient(self, x):
        x = np.asarray(x, dtype=float)
        p = x[0] ** 2 + x[1] - 11
        q = x[0] + x[1] ** 2 - 7
        return _stack2(4 * x[0] * p + 2 * q, 2 * p + 4 * x[1] * q)

    def hessian(self, x):
        x = np.asarray(x, dtype=float)
        return _hess(12 * x[0] ** 2 + 4 * x[1] - 42, 4 * (x[0] + x[1]),
                     12 * x[1] ** 2 + 4 * x[0] - 26)


class Beale(TestFunction):
    r"""f(x, y) = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²; minimum 0 at (3, 0.5).

    With rᵢ = cᵢ − x + x yⁱ (c = 1.5, 2.25, 2.625): ∇f = Σ 2rᵢ ∇rᵢ, ∇rᵢ = (yⁱ − 1, i x yⁱ⁻¹), and
    ∇²f = Σ 2(∇rᵢ ∇rᵢᵀ + rᵢ ∇²rᵢ) with ∇²rᵢ = [[0, i yⁱ⁻¹], [i yⁱ⁻¹, i(i−1) x yⁱ⁻²]].
    Flat plateaus and steep walls: a hard test for fixed-step methods.
    """

    name = "Beale"
    domain = ((-4.5, 4.5), (-4.5, 4.5))
    minima = np.array([[3.0, 0.5]])
    _c = (1.5, 2.25, 2.625)

    def value(self, x):
        return ((1.5 - x[0] + x[0] * x[1]) ** 2 + (2.25 - x[0] + x[0] * x[1] ** 2) ** 2
                + (2.625 - x[0] + x[0] * x[1] ** 3) ** 2)

    def gradient(self, x):
        x = np.asarray(x, dtype=float)
        gx = gy = 0.0
        for i, c in enumerate(self._c, start=1):
            r = c - x[0] + x[0] * x[1] ** i
            gx = gx + 2 * r * (x[1] ** i - 1)
            gy = gy + 2 * r * i * x[0] * x[1] ** (i - 1)
        return _stack2(gx, gy)

    def hessian(self, x):
        x = np.asarray(x, dtype=float)
        hxx = hxy = hyy = 0.0
        for i, c in enumerate(self._c, start=1):
            r = c - x[0] + x[0] * x[1] ** i
            rx, ry = x[1] ** i - 1, i * x[0] * x[1] ** (i - 1)
            rxy = i * x[1] ** (i - 1)
            ryy = i * (i - 1) * x[0] * x[1] ** (i - 2) if i >= 2 else 0.0 * x[0]
            hxx = hxx + 2 * rx * rx
            hxy = hxy + 2 * (rx * ry + r * rxy)
            hyy = hyy + 2 * (ry * ry + r * ryy)
        return _hess(hxx, hxy, hyy)


class Saddle(TestFunction):
    r"""f(x, y) = x² − y²: a saddle at the origin, no minimum (f → −∞ along y).

    ∇f = (2x, −2y), ∇²f = diag(2, −2): one positive and one negative curvature. Gradient
    descent started exactly on the x-axis converges to the saddle; any y ≠ 0 escapes.
    """

    name = "saddle x² − y²"
    domain = ((-2.0, 2.0), (-2.0, 2.0))
    minima = np.zeros((0, 2))
    saddles = np.array([[0.0, 0.0]])

    @property
    def stationary_points(self):
        return self.saddles

    def value(self, x):
        return x[0] ** 2 - x[1] ** 2

    def gradient(self, x):
        x = np.asarray(x, dtype=float)
        return _stack2(2 * x[0], -2 * x[1])

    def hessian(self, x):
        x = np.asarray(x, dtype=float)
        ones = np.ones_like(x[0])
        return _hess(2 * ones, 0 * ones, -2 * ones)


class Rastrigin(TestFunction):
    r"""f(x) = 2A + Σᵢ (xᵢ² − A cos(2π xᵢ)), A = 10: a bowl covered in local minima; global 0 at 0.

    ∇f = 2x + 2πA sin(2πx) (per coordinate); ∇²f = diag(2 + 4π²A cos(2πx)).
    """

    name = "Rastrigin"
    domain = ((-5.12, 5.12), (-5.12, 5.12))
    minima = np.array([[0.0, 0.0]])

    def __init__(self, A=10.0):
        self.A = float(A)

    def value(self, x):
        A, w = self.A, 2 * math.pi
        return (2 * A + x[0] ** 2 - A * _cos(w * x[0])) + (x[1] ** 2 - A * _cos(w * x[1]))

    def gradient(self, x):
        x = np.asarray(x, dtype=float)
        return 2 * x + 2 * math.pi * self.A * np.sin(2 * math.pi * x)

    def hessian(self, x):
        x = np.asarray(x, dtype=float)
        d = 2 + 4 * math.pi ** 2 * self.A * np.cos(2 * math.pi * x)
        return _hess(d[0], 0 * d[0], d[1])

    def __repr__(self):
        return f"Rastrigin(A={self.A!r})"


class Trajectory(NamedTuple):
    """What ``trajectory`` returns (plain arrays)."""
    path: np.ndarray        # (n + 1, 2): x₀, x₁, …, xₙ
    losses: np.ndarray      # (n + 1,): f at each point of the path
    diverged: bool          # True if the run stopped early on a non-finite value
    steps: int              # n, the number of optimizer steps taken (= steps unless diverged)


def _direct_step(optimizer, x):
    """What ``optimizer.step()`` does to the one parameter ``x`` once ``x.grad`` is set — the same
    ``_update`` and kernel on the same arrays, so bit-for-bit the same numbers — as a function of
    the gradient (an ndarray), without building a gradient Tensor and walking the parameter groups
    on every step (those cost more than the update of two numbers). None when the optimizer is not
    a plain ``dlmath.optim`` one over ``[x]`` (a subclass with its own ``step``, several groups…):
    ``trajectory`` then calls ``step()`` as usual."""
    from .optim import _kernels
    from .optim.optimizer import Optimizer
    cls = type(optimizer)
    if (not isinstance(optimizer, Optimizer) or cls.step is not Optimizer.step
            or cls._step_param is not Optimizer._step_param or cls._kernel_name is None):
        return None
    groups = optimizer.param_groups
    if len(groups) != 1 or len(groups[0]["params"]) != 1 or groups[0]["params"][0] is not x:
        return None
    group, data = groups[0], x.data
    if not (isinstance(data, np.ndarray) and data.flags.c_contiguous):
        return None
    flat = data.reshape(-1)
    state = optimizer.state[x]

    def step(grad):
        g = np.ascontiguousarray(grad, dtype=data.dtype).reshape(-1)
        if not state:
            optimizer._init_state(state, data, group)
        kernel = getattr(_kernels, cls._kernel_name + ("_numpy" if group.get("fused") is False
                                                       else "_fused"))
        optimizer._update(kernel, flat, g, state, group, data)
    return step


def trajectory(optimizer_factory, f, x0, steps, gradient="auto", dtype=np.float64):
    """Run an optimizer on a 2-D function from ``x0``; return a ``Trajectory``.

    ``optimizer_factory`` builds the optimizer from a parameter list, e.g.
    ``lambda params: dlmath.optim.Adam(params, lr=0.1)``. The parameter is a dlmath Tensor of shape
    (2,). Each step sets its ``.grad`` and calls ``optimizer.step()``; the gradient comes from
    ``f.gradient`` when f has one (``gradient="auto"`` or ``"exact"``) or from autograd on
    ``f(x)`` (``gradient="autograd"``, or ``"auto"`` for a plain callable).

    The run stops early, with ``diverged=True``, as soon as a point or its loss is not finite
    (overflow): ``path`` and ``losses`` then hold the n + 1 finite values computed before that.
    """
    import dlmath
    if gradient not in ("auto", "exact", "autograd"):
        raise ValueError(f"trajectory: invalid gradient={gradient!r}; use 'auto', 'exact' or "
                         "'autograd'")
    exact = gradient == "exact" or (gradient == "auto" and hasattr(f, "gradient"))
    if exact and not hasattr(f, "gradient"):
        raise ValueError("trajectory: gradient='exact' needs a function with a .gradient method")
    x0 = np.array(x0, dtype=dtype)
    if x0.shape != (2,):
        raise ValueError(f"trajectory: x0 must be a point of shape (2,), got shape {x0.shape}")
    if not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"trajectory: invalid steps={steps!r}; it must be an int >= 0")
    x = dlmath.tensor(x0, requires_grad=True)
    optimizer = optimizer_factory([x])
    step = _direct_step(optimizer, x)
    path, losses = [x0.copy()], []
    diverged = False
    isfinite = math.isfinite
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps + 1):
            if exact:
                loss = float(f.value(x.data))
                grad = np.asarray(f.gradient(x.data), dtype=dtype)
            else:
                out = f(x)
                out.backward()
                loss, grad = float(out.item()), x.grad.data
            if not isfinite(loss):
                diverged = True
                break
            losses.append(loss)
            if len(losses) == steps + 1:          # the loss at the last point: no step after it
                break
            if not all(isfinite(g) for g in grad.flat):
                diverged = True
                break
            if step is not None and exact:
                step(grad)
            else:
                x.grad = dlmath.tensor(grad.astype(dtype, copy=False))
                optimizer.step()
                x.grad = None
            if not all(isfinite(v) for v in x.data.flat):
                diverged = True
                break
            path.append(x.data.copy())
    n = len(losses)
    path = np.array(path[:n], dtype=dtype).reshape(n, 2)
    return Trajectory(path=path, losses=np.array(losses, dtype=float), diverged=diverged,
                      steps=max(n - 1, 0))


from .loss_landscape import slice_1d, slice_2d, random_direction  # noqa: E402  (re-export)
