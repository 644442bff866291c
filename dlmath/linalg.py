r"""Small, tested linear-algebra helpers for the Part 1 notebooks.

    power_iteration(A)        the dominant eigenpair by repeated multiplication (+ Rayleigh quotient)
    pca(X, k)                 principal components via the SVD of the centred data
    low_rank_approx(A, k)     the best rank-k approximation (Eckart–Young), and its error
    low_rank_error(s, k)      that error straight from the singular values
    2×2 maps                  det2, eig2 (closed form), transform, unit_circle, grid_lines, describe2

Inputs may be NumPy arrays, nested lists or dlmath Tensors (their ``.data`` is used); results are
NumPy arrays. Everything is checked against ``numpy.linalg`` in ``tests/test_linalg.py``.
"""
import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

__all__ = ["power_iteration", "PowerIterationResult", "pca", "PCAResult", "svd",
           "low_rank_approx", "low_rank_error", "det2", "eig2", "Eig2", "transform",
           "unit_circle", "grid_lines", "describe2"]


def _array(A, name="A", ndim=None):
    data = getattr(A, "data", A) if not isinstance(A, np.ndarray) else A
    arr = np.asarray(data)
    if arr.dtype.kind not in "fiub":
        raise TypeError(f"{name}: expected a real numeric array, got dtype {arr.dtype}")
    arr = arr.astype(np.result_type(arr.dtype, np.float64) if arr.dtype.kind != "f" else arr.dtype)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name}: expected a {ndim}-D array, got shape {arr.shape}")
    return arr


# ------------------------------------------------------------------------------------------------
# power iteration
# ------------------------------------------------------------------------------------------------
class PowerIterationResult(NamedTuple):
    eigenvalue: float         # the Rayleigh quotient vᵀAv at the last iterate
    eigenvector: np.ndarray   # unit vector, sign fixed so that its largest-|·| entry is > 0
    iterations: int           # multiplications by A that were done
    converged: bool           # ‖Av − λv‖ ≤ tol·max(1, |λ|) was reached
    history: np.ndarray       # the Rayleigh quotient after each iteration


def power_iteration(A, num_iters=1000, tol=1e-10, x0=None, seed=0):
    r"""The dominant eigenpair of a square matrix: v ← Av/‖Av‖, λ = vᵀAv.

    Converges when one eigenvalue is strictly largest in absolute value, at the rate
    |λ₂/λ₁| per step. Stops when the residual ‖Av − λv‖ ≤ ``tol``·max(1, |λ|) or after
    ``num_iters`` steps. ``x0`` is the start vector (random, seeded by ``seed``, by default).
    """
    A = _array(A, "power_iteration: A", ndim=2)
    n, m = A.shape
    if n != m:
        raise ValueError(f"power_iteration: A must be square, got shape {A.shape}")
    if x0 is None:
        v = np.random.default_rng(seed).standard_normal(n)
    else:
        v = _array(x0, "power_iteration: x0", ndim=1).astype(float)
        if v.shape != (n,):
            raise ValueError(f"power_iteration: x0 must have shape ({n},), got {v.shape}")
    norm = np.linalg.norm(v)
    if norm == 0:
        raise ValueError("power_iteration: x0 must not be the zero vector")
    v = v / norm
    lam, history, converged, it = 0.0, [], False, 0
    for it in range(1, num_iters + 1):
        w = A @ v
        norm = np.linalg.norm(w)
        if norm == 0:                       # v is in the null space: eigenvalue 0
            lam, converged = 0.0, True
            history.append(lam)
            break
        v = w / norm
        Av = A @ v
        lam = float(v @ Av)
        history.append(lam)
        if np.linalg.norm(Av - lam * v) <= tol * max(1.0, abs(lam)):
            converged = True
            break
    k = int(np.argmax(np.abs(v)))
    if v[k] < 0:
        v = -v
    return PowerIterationResult(lam, v, it, converged, np.array(history))


# ------------------------------------------------------------------------------------------------
# SVD, PCA and low-rank approximation
# ------------------------------------------------------------------------------------------------
def _flip_signs(U, Vt):
    """Deterministic signs: each right singular vector's largest-|·| entry is positive."""
    idx = np.argmax(np.abs(Vt), axis=1)
    signs = np.sign(Vt[np.arange(Vt.shape[0]), idx])
    signs[signs == 0] = 1.0
    return U * signs, Vt * signs[:, None]


def svd(A):
    """Thin SVD ``U, s, Vt`` with A = U diag(s) Vt, s descending, with deterministic signs."""
    A = _array(A, "svd: A", ndim=2)
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    U, Vt = _flip_signs(U, Vt)
    return U, s, Vt


@dataclass
class PCAResult:
    """What ``pca`` returns. Rows of ``components`` are the principal directions."""
    components: np.ndarray                 # (k, d), orthonormal rows
    explained_variance: np.ndarray         # (k,), variance of the data along each direction
    explained_variance_ratio: np.ndarray   # (k,), fraction of the total variance
    singular_values: np.ndarray            # (k,), of the centred data matrix
    mean: np.ndarray                       # (d,), subtracted before projecting

    def transform(self, X):
        """Coordinates of the rows of X in the principal basis: (X − mean) Vᵀ."""
        return (_array(X, "PCAResult.transform: X") - self.mean) @ self.components.T

    def inverse_transform(self, Z):
        """Back from principal coordinates to data space: Z V + mean."""
        return _array(Z, "PCAResult.inverse_transform: Z") @ self.components + self.mean


def pca(X, n_components=None, center=True):
    r"""Principal component analysis of the rows of X (n samples × d features) via the SVD.

    With Xc = X − mean = U Σ Vᵀ, the principal directions are the rows of Vᵀ and the variance along
    direction i is σᵢ²/(n − 1) — the eigenvalues of the sample covariance XcᵀXc/(n − 1).
    """
    X = _array(X, "pca: X", ndim=2)
    n, d = X.shape
    if n < 2:
        raise ValueError(f"pca: need at least 2 samples, got {n}")
    k = min(n, d) if n_components is None else n_components
    if not isinstance(k, (int, np.integer)) or not 1 <= k <= min(n, d):
        raise ValueError(f"pca: n_components must be an int in [1, {min(n, d)}], got {k!r}")
    mean = X.mean(axis=0) if center else np.zeros(d)
    U, s, Vt = svd(X - mean)
    var = s ** 2 / (n - 1)
    total = var.sum()
    ratio = var / total if total > 0 else np.zeros_like(var)
    return PCAResult(Vt[:k].copy(), var[:k].copy(), ratio[:k].copy(), s[:k].copy(), mean)


def low_rank_error(singular_values, k, relative=False, norm="fro"):
    r"""The error of the best rank-k approximation, from the singular values alone
    (Eckart–Young): ‖A − A_k‖_F = √(σ²_{k+1} + … + σ²_r) and ‖A − A_k‖₂ = σ_{k+1}.
    ``relative=True`` divides by ‖A‖ in the same norm."""
    s = np.asarray(singular_values, dtype=float)
    if not 0 <= k <= s.size:
        raise ValueError(f"low_rank_error: k must be in [0, {s.size}], got {k}")
    if norm == "fro":
        err, full = math.sqrt(float(np.sum(s[k:] ** 2))), math.sqrt(float(np.sum(s ** 2)))
    elif norm == 2:
        err, full = (float(s[k]) if k < s.size else 0.0), (float(s[0]) if s.size else 0.0)
    else:
        raise ValueError(f"low_rank_error: norm must be 'fro' or 2, got {norm!r}")
    if relative:
        return err / full if full > 0 else 0.0
    return err


def low_rank_approx(A, k, return_svd=False):
    r"""The best rank-k approximation A_k = Σ_{i≤k} σᵢ uᵢ vᵢᵀ of a matrix (in both the Frobenius
    and the spectral norm). With ``return_svd=True`` also returns ``(U, s, Vt)``."""
    A = _array(A, "low_rank_approx: A", ndim=2)
    r = min(A.shape)
    if not isinstance(k, (int, np.integer)) or not 0 <= k <= r:
        raise ValueError(f"low_rank_approx: k must be an int in [0, {r}], got {k!r}")
    U, s, Vt = svd(A)
    Ak = (U[:, :k] * s[:k]) @ Vt[:k]
    return (Ak, (U, s, Vt)) if return_svd else Ak


# ------------------------------------------------------------------------------------------------
# 2×2 maps
# ------------------------------------------------------------------------------------------------
def _matrix2(A):
    A = _array(A, "A").astype(float)
    if A.shape != (2, 2):
        raise ValueError(f"expected a 2×2 matrix, got shape {A.shape}")
    return A


def det2(A):
    """ad − bc: the signed area of the image of the unit square."""
    A = _matrix2(A)
    return float(A[0, 0] * A[1, 1] - A[0, 1] * A[1, 0])


class Eig2(NamedTuple):
    eigenvalues: np.ndarray    # (2,), complex when the discriminant is negative
    eigenvectors: np.ndarray   # (2, 2) unit columns when real, else None
    real: bool                 # both eigenvalues real
    trace: float
    det: float
    discriminant: float        # tr² − 4 det


def eig2(A, tol=1e-12):
    r"""Eigenvalues of a 2×2 matrix from the characteristic polynomial λ² − tr·λ + det = 0,
    and unit eigenvectors (columns) when they are real. A repeated eigenvalue of a matrix that is
    not a multiple of I has one eigenvector direction (defective): both columns are then equal."""
    A = _matrix2(A)
    tr, det = float(A[0, 0] + A[1, 1]), det2(A)
    disc = tr * tr - 4 * det
    scale = max(1.0, tr * tr)
    if disc < -tol * scale:
        root = 1j * math.sqrt(-disc)
        lams = np.array([(tr + root) / 2, (tr - root) / 2])
        return Eig2(lams, None, False, tr, det, disc)
    root = math.sqrt(max(disc, 0.0))
    lams = np.array([(tr + root) / 2, (tr - root) / 2])
    vecs = np.zeros((2, 2))
    for j, lam in enumerate(lams):
        M = A - lam * np.eye(2)
        # A null vector of M: perpendicular to its largest row (M has rank ≤ 1).
        rows = M if np.linalg.norm(M[0]) >= np.linalg.norm(M[1]) else M[::-1]
        r = rows[0]
        if np.linalg.norm(r) <= 1e-12 * max(1.0, np.abs(A).max()):
            v = np.eye(2)[:, j]                  # M = 0: every vector is an eigenvector
        else:
            v = np.array([-r[1], r[0]])
        v = v / np.linalg.norm(v)
        k = int(np.argmax(np.abs(v)))
        vecs[:, j] = v if v[k] > 0 else -v
    return Eig2(lams, vecs, True, tr, det, disc)


def transform(A, points):
    """Apply a 2×2 matrix to points. A last axis of length 2 holds the points as rows
    (shape (..., 2), e.g. (n, 2) or a stack of polylines); otherwise a first axis of length 2 holds
    them as columns (shape (2, n)). The shape is kept."""
    A = _matrix2(A)
    P = np.asarray(points, dtype=float)
    if P.ndim >= 1 and P.shape[-1] == 2:
        return P @ A.T
    if P.ndim >= 1 and P.shape[0] == 2:
        return np.tensordot(A, P, axes=(1, 0))
    raise ValueError(f"transform: points must have shape (..., 2) or (2, n), got {P.shape}")


def unit_circle(n=200):
    """n points on the unit circle, shape (n, 2), closed (the last equals the first)."""
    t = np.linspace(0, 2 * np.pi, n)
    return np.stack([np.cos(t), np.sin(t)], axis=1)


def grid_lines(lim=2.0, n=9, samples=2):
    """Line segments of a square grid on [−lim, lim]²: shape (2n, samples, 2) (n vertical, then n
    horizontal lines). A linear map sends lines to lines, so 2 samples per line are enough."""
    ticks = np.linspace(-lim, lim, n)
    s = np.linspace(-lim, lim, samples)
    vertical = np.stack([np.stack([np.full_like(s, t), s], axis=1) for t in ticks])
    horizontal = np.stack([np.stack([s, np.full_like(s, t)], axis=1) for t in ticks])
    return np.concatenate([vertical, horizontal])


def describe2(A, tol=1e-9):
    """A short description of what a 2×2 map does (for the explorer's read-out)."""
    A = _matrix2(A)
    d = det2(A)
    if np.allclose(A, 0, atol=tol):
        return "the zero map: everything collapses to the origin"
    if np.allclose(A, A[0, 0] * np.eye(2), atol=tol):
        return f"uniform scaling by {A[0, 0]:g}"
    if abs(d) <= tol:
        return "singular (det = 0): the plane collapses onto a line"
    if np.allclose(A.T @ A, np.eye(2), atol=1e-6):
        if d > 0:
            return f"a rotation by {math.degrees(math.atan2(A[1, 0], A[0, 0])):.0f}°"
        return "a reflection"
    if np.allclose(A, A.T, atol=tol):
        return "symmetric: stretches along two perpendicular eigen-directions" + \
            (" and flips orientation" if d < 0 else "")
    e = eig2(A)
    if not e.real:
        return "no real eigenvectors: every direction is turned (a rotation-like map)"
    if abs(e.discriminant) <= 1e-9 * max(1.0, e.trace ** 2):
        return "a shear-like map: one repeated eigenvalue, a single eigen-direction"
    return "two real eigen-directions that are not perpendicular" + \
        (", orientation flipped (det < 0)" if d < 0 else "")
