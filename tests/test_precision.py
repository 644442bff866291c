"""Precision sweep: every elementwise op and activation, its derivative, the softmax family and
the losses, against mpmath (40 significant digits), over the whole float32 and float64 range.

**Inputs.** float32: ± values log-spaced from the smallest subnormal to the largest finite
number (2 per decade, 8 per decade on [1e-5, 1e5]), a linear stretch over [−60, 60] where the
activations bend (off the integers), and the edges: smallest subnormals, the subnormal/normal
boundary, eps, the overflow edge, where eˣ overflows or underflows, where tanh and σ rounded to
±1 in the old formulas (19, 37.4, …). float64: all of those plus full-mantissa points every 2
decades over its own range, its own edges and linear stretch. Each reference is computed once
(mpmath, cached at module level) at the exact binary values and stored as a double-double
(hi + lo), so it resolves errors far below one float64 ulp.

**Error measure: ulps, i.e. relative error.** err = |got − exact| / ulp(exact), ulp(v) the gap
between adjacent floats of the tensor's dtype at v. In the normal range that *is* relative error:
1 ulp = 1.1e-16 … 2.2e-16 (float64), 6e-8 … 1.2e-7 (float32). Only where the exact value is a
subnormal (or below) does the ulp stop shrinking — there the format itself holds fewer digits,
so "a few ulps" means "correct to the last subnormal digit". No absolute tolerance anywhere: an
op returning 0 for a true 4.2e-18 is 4.2e-18 / 4.9e-324 ≈ 1e306 ulps wrong. Points are tested
where the exact value is representable (|exact| ≤ the dtype's max); where it underflows the
op must give (almost) 0.

**Tolerances**, in ulps, stated beside each op (OPS, ROW_TOL, the loss tests), budgeted from
what the library calls guarantee — float64 exp/log/tanh/sin/… within ~1 ulp (libm or SVML),
NumPy's SIMD float32 exp within 2.5 and log within 3.8 ulps (measured here: 2.4 and 3.1) —
plus ½ ulp per arithmetic operation:
  * 1–2 ulps (float32: 2–4) for one library call (exp, expm1, log, log1p, sqrt, sin, cos, tanh,
    powers, elu); 3–4 (float32: 5–6) for ops made of two or three (sigmoid, σ′, tanh′,
    softplus, logsigmoid, silu, the softmax family, cross-entropy, both binary
    cross-entropies); 5 (float32: 8) for softmax's Jacobian, a product of two softmax entries.
  * Two ops must round an intermediate *argument* before a steep function: gelu rounds x/√2
    (in float64) before erfc, gelu('tanh') rounds v = 2√(2/π)(x + 0.044715x³) before σ. There
    the bound is tol·(1 + κ·ρ), κ = the exact function's relative sensitivity to that argument
    (≈ x² in gelu's left tail, ≈ |v| in gelu('tanh')'s), ρ = eps(float64)/eps(dtype) for gelu,
    which works in float64, and 1 otherwise. That is the error a ½-ulp rounding of the
    argument causes in exact arithmetic ("backward stable"), and still misses catastrophic
    cancellation by many orders of magnitude.
  * Where the *exact* derivative is a sum of terms of opposite sign with a root (silu′ at
    x ≈ −1.28, gelu′ at x ≈ −0.75, bce_with_logits′ for a soft target), the bound is also
    multiplied by the cancellation factor (|a| + |b|)/|a + b| of that sum — infinite at the
    root, for any implementation.

Derivatives are taken with dlmath's autograd (``autograd.grad``), both the plain backward and
the ``create_graph=True`` one (the Tensor-op branch that higher derivatives use), and compared
with the exact derivative, a closed form evaluated in mpmath (itself checked against
``mpmath.diff``).
"""
import functools
import warnings

import mpmath as mp
from mpmath import libmp
import numpy as np
import pytest

import dlmath as dm
import dlmath.nn as nn
import dlmath.nn.functional as F

DPS = 40
DTYPES = [np.float64, np.float32]


# ----------------------------------------------------------------------------------------------
# the first failing cases of issue 10 (they failed before the fix; kept as named regressions)
# ----------------------------------------------------------------------------------------------
def _rel(got, exact):
    return abs((mp.mpf(float(got)) - exact) / exact)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("x", [-26.0, -37.0, -40.0, -80.0])
def test_sigmoid_far_left_is_relatively_accurate(x, dtype):
    """½(1 + tanh(x/2)) gave rel. error 2e-6 at −26, 35 % at −37 and 0 below −37.4."""
    with mp.workdps(DPS):
        exact = 1 / (1 + mp.exp(-mp.mpf(x)))
        t = dm.tensor(np.array(x, dtype), requires_grad=True)
        y = t.sigmoid()
        (g,) = dm.autograd.grad(y, t)
        assert _rel(y.item(), exact) < 4 * np.finfo(dtype).eps
        assert _rel(g.item(), exact * (1 - exact)) < 8 * np.finfo(dtype).eps


@pytest.mark.parametrize("dtype", DTYPES)
def test_log_of_sigmoid_at_minus_40_is_finite_with_gradient_one(dtype):
    """It was −inf with a nan gradient. Exact: −40 − 4.2e-18 and σ(40) = 1 − 4.2e-18."""
    x = dm.tensor(np.array(-40.0, dtype), requires_grad=True)
    y = x.sigmoid().log()
    y.backward()
    eps = np.finfo(dtype).eps
    assert abs(y.item() / -40.0 - 1) < 2 * eps and abs(x.grad.item() - 1.0) < 2 * eps


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("x", [-40.0, -30.0])
def test_softplus_far_left_is_relatively_accurate(x, dtype):
    """(1 + e^(−|x|)).log() gave 0 at −40 (true 4.2e-18) and rel. error 1e-3 at −30."""
    with mp.workdps(DPS):
        exact = mp.log1p(mp.exp(mp.mpf(x)))
        got = F.softplus(dm.tensor(np.array(x, dtype))).item()
        assert _rel(got, exact) < 4 * np.finfo(dtype).eps


def test_one_sigmoid_everywhere():
    """Tensor.sigmoid, dlmath.sigmoid, F.sigmoid, nn.Sigmoid and the σ in
    binary_cross_entropy_with_logits' gradient are the same numbers; silu is x·σ(x) to the
    last bit or two (it forms the product before σ can underflow, see numerics.silu)."""
    x = np.concatenate([-np.geomspace(1e-3, 740, 60), [0.0], np.geomspace(1e-3, 740, 60)])
    want = dm.tensor(x).sigmoid().numpy()
    np.testing.assert_array_equal(dm.sigmoid(dm.tensor(x)).numpy(), want)
    np.testing.assert_array_equal(F.sigmoid(dm.tensor(x)).numpy(), want)
    np.testing.assert_array_equal(nn.Sigmoid()(dm.tensor(x)).numpy(), want)
    normal = np.abs(x) < 700                      # beyond, x·σ(x) is the less accurate one
    np.testing.assert_allclose(F.silu(dm.tensor(x)).numpy()[normal], (x * want)[normal],
                               rtol=5e-16, atol=0)
    np.testing.assert_array_equal(nn.SiLU()(dm.tensor(x)).numpy(), F.silu(dm.tensor(x)).numpy())
    t = dm.tensor(x, requires_grad=True)
    F.binary_cross_entropy_with_logits(t, np.zeros_like(x), reduction="sum").backward()
    np.testing.assert_array_equal(t.grad.numpy(), want)


# ----------------------------------------------------------------------------------------------
# grids and the error measure
# ----------------------------------------------------------------------------------------------
def _logs(lo, hi, per_decade):
    return np.geomspace(lo, hi, int(np.ceil((np.log10(hi) - np.log10(lo)) * per_decade)))


def _edges(dtype):
    fi = np.finfo(dtype)
    sub, tiny, big = float(fi.smallest_subnormal), float(fi.tiny), float(fi.max)
    e = [sub, 2 * sub, 3 * sub, tiny, np.nextafter(tiny, 0, dtype=dtype),
         np.nextafter(tiny, 1, dtype=dtype), fi.eps, fi.eps / 2, big,
         np.nextafter(fi.max, 0, dtype=dtype), big / 2,
         np.log(big), np.nextafter(np.log(fi.max), 0, dtype=dtype), -np.log(sub), -np.log(tiny),
         0.5, 1.0, 2.0, 19.0, 20.0, 20.5, 37.0, 37.4, 40.0, 100.0, 700.0, 745.0]
    e = np.asarray(e, dtype=np.float64)
    return np.concatenate([e, -e])


def _grids():
    """float32: ± 2 points per decade over its whole range, 8 per decade on [1e-5, 1e5], the
    edges, a linear stretch over [−60, 60]. float64: all of those (so every float32 point is a
    float64 point too, and the reference is computed once for both) plus full-mantissa points,
    one every 2 decades over the float64 range, its own edges and its own linear stretch."""
    f32, f64 = np.finfo(np.float32), np.finfo(np.float64)
    lin = np.linspace(-60, 60, 241) + 0.013               # off the integers: no lucky exact cases
    m32 = np.concatenate([_logs(float(f32.smallest_subnormal), float(f32.max) / 2, 2),
                          _logs(1e-5, 1e5, 8)])
    with np.errstate(over="ignore"):
        x32 = np.concatenate([m32, -m32, _edges(np.float32), lin, [0.0]]).astype(np.float32)
    x32 = np.unique(x32[np.isfinite(x32)])
    m64 = _logs(float(f64.smallest_subnormal), float(f64.max) / 2, 0.5)
    x64 = np.unique(np.concatenate([x32.astype(np.float64), m64, -m64, _edges(np.float64), lin]))
    return {np.float32: x32, np.float64: x64}


GRIDS = _grids()
UNION = GRIDS[np.float64]


def _split(v):
    """An mpf as a double-double (hi, lo): hi = v rounded to float64 (±inf when it overflows),
    lo = v − hi rounded (mpmath's low-level functions: this runs ~10⁵ times)."""
    hi = float(v)
    if not np.isfinite(hi):
        return hi, 0.0
    return hi, libmp.to_float(libmp.mpf_sub(v._mpf_, libmp.from_float(hi), 60))


def ulps(got, hi, lo, dtype):
    """|got − (hi + lo)| in units of the last place of the exact value in ``dtype`` (nan → inf)."""
    got = np.asarray(got, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.abs((got - hi) - lo)
        exact = np.abs(hi).astype(dtype)
        unit = np.spacing(np.where(np.isfinite(exact), exact, np.finfo(dtype).max))
        err = diff / unit.astype(np.float64)
    return np.where(np.isnan(err), np.inf, err)


def representable(hi, dtype):
    return np.abs(hi) <= float(np.finfo(dtype).max)


def _check(what, x, got, hi, lo, tol, dtype):
    err = ulps(got, hi, lo, dtype)
    bad = ~(err <= tol)
    if bad.any():
        idx = np.flatnonzero(bad)
        worst = idx[np.argsort(-err[idx])][:6]
        rows = [f"  x={x[i]!r}: got {got[i]!r}, exact {hi[i]!r}: {err[i]:.3g} ulps "
                f"(allowed {tol[i]:.3g})" for i in worst]
        pytest.fail(f"{what} {np.dtype(dtype).name}: {len(idx)} of {len(err)} points exceed "
                    f"the tolerance; worst:\n" + "\n".join(rows))


# ----------------------------------------------------------------------------------------------
# the elementwise ops and their exact values and derivatives in mpmath
# ----------------------------------------------------------------------------------------------
def _sig2(x):
    """σ(x) and σ(−x) from one exponential (no 1 − σ, which cancels even in mpmath)."""
    e = mp.exp(x)
    return e / (1 + e), 1 / (1 + e)


def _log1p(t):
    """log(1 + t) to 40 digits, also for tiny t (a 4-term series there: error ≤ t⁴ ≤ 1e-40)."""
    if abs(t) < mp.mpf(1e-10):
        return t - t ** 2 / 2 + t ** 3 / 3 - t ** 4 / 4
    return mp.log(1 + t)


def _cancel(a, b):
    """(|a| + |b|)/|a + b| − 1: how much the sum a + b magnifies the rounding errors of its
    terms (0 when they have the same sign, ∞ at a root)."""
    return (abs(a) + abs(b)) / abs(a + b) - 1 if a + b else mp.inf


def _silu(x):
    s, sm = _sig2(x)
    a, b = s, x * s * sm
    return x * s, a + b, 0, _cancel(a, b)


with mp.workdps(DPS):                            # constants to 40 digits, computed once
    SQRT_2PI, SQRT_2 = mp.sqrt(2 * mp.pi), mp.sqrt(2)


def _gelu(x):
    """x·Φ(x). dlmath rounds x/√2 (in float64) before erfc; Φ's relative sensitivity to that is
    κ = |xφ(x)/Φ(x)| ≈ x² in the left tail, and φ(x) = e^(−x²/2) rounds x² (sensitivity x²)."""
    phi = mp.exp(-x * x / 2) / SQRT_2PI
    # mpmath's erfc overflows an internal float for |x| ≳ 1e10; there Φ is 0 or 1 in any
    # float format, and the asymptotic φ(x)/|x| is far below the smallest subnormal.
    cdf = mp.erfc(-x / SQRT_2) / 2 if x > -1e8 else phi / -x
    k = abs(x * phi / cdf) if cdf else mp.inf
    a, b = cdf, x * phi
    kdf = ((1 + k) * abs(a) + (1 + x * x) * abs(b)) / abs(a + b) - 1 if a + b else mp.inf
    return x * cdf, a + b, k, kdf


C_TANH = mp.mpf(float(np.sqrt(2 / np.pi)))        # the float constants gelu('tanh') uses
K_TANH = mp.mpf(0.044715)


def _gelu_tanh(x):
    """x·σ(v), v = 2√(2/π)(x + 0.044715x³) (= ½x(1 + tanh(v/2))). dlmath rounds v (a few
    ulps); σ's relative sensitivity to v is |v|·σ(−v), ≈ |v| in the left tail."""
    v = 2 * C_TANH * (x + K_TANH * x ** 3)
    s, sm = _sig2(v)
    a, b = s, x * (2 * C_TANH * (1 + 3 * K_TANH * x ** 2)) * s * sm
    kdf = (1 + abs(v)) * (abs(a) + abs(b)) / abs(a + b) - 1 if a + b else mp.inf
    return x * s, a + b, abs(v) * sm, kdf


def _softplus(x):
    if x > 20:                                    # PyTorch's threshold: x itself above 20
        return x, mp.mpf(1)
    s, _ = _sig2(x)
    return _log1p(mp.exp(x)), s


def _sigmoid(x):
    s, sm = _sig2(x)
    return s, s * sm


def _exp(x):
    e = mp.exp(x)
    return e, e


LEAK = mp.mpf(0.01)                              # F.leaky_relu's float slope, exactly


class Op:
    """An elementwise op under test.

    ``fn``: Tensor → Tensor (dlmath). ``exact``: mpf x → (f, f′[, κ_f, κ_f′]) in mpmath; the
    optional κ's are the error-magnification factors explained in the module docstring.
    ``tol``: {64: (ulps for f, ulps for f′), 32: (…)}; the bound at x is tol·(1 + κ·ρ), where
    ρ = 1 when the op computes in the tensor's dtype and ρ = eps64/eps32 when it computes in
    float64 and rounds the result once (``internal=np.float64``)."""

    def __init__(self, fn, exact, tol, domain=None, internal=None):
        self.fn, self.exact, self.tol, self.domain, self.internal = \
            fn, exact, tol, domain, internal


OPS = {
    "exp": Op(lambda t: t.exp(), _exp, {64: (2, 2), 32: (3, 3)}),
    "expm1": Op(lambda t: t.expm1(), lambda x: (mp.expm1(x), mp.exp(x)),
                {64: (2, 2), 32: (3, 3)}),
    "log": Op(lambda t: t.log(), lambda x: (mp.log(x), 1 / x), {64: (2, 2), 32: (4, 2)},
              domain=lambda x: x > 0),
    "log1p": Op(lambda t: t.log1p(), lambda x: (_log1p(x), 1 / (1 + x)),
                {64: (2, 2), 32: (3, 2)}, domain=lambda x: x > -1),
    "sqrt": Op(lambda t: t.sqrt(), lambda x: (mp.sqrt(x), 1 / (2 * mp.sqrt(x)) if x else mp.inf),
               {64: (1, 2), 32: (1, 2)}, domain=lambda x: x >= 0),
    "x**3": Op(lambda t: t ** 3, lambda x: (x ** 3, 3 * x ** 2), {64: (2, 2), 32: (2, 2)}),
    "x**-1.5": Op(lambda t: t ** -1.5, lambda x: (x ** -1.5, -1.5 * x ** -2.5),
                  {64: (2, 2), 32: (2, 3)}, domain=lambda x: x > 0),
    "abs": Op(lambda t: t.abs(), lambda x: (abs(x), mp.sign(x)), {64: (0, 0), 32: (0, 0)},
              domain=lambda x: x != 0),
    "relu": Op(lambda t: t.relu(), lambda x: (max(x, 0), mp.mpf(x > 0)),
               {64: (0, 0), 32: (0, 0)}, domain=lambda x: x != 0),
    "leaky_relu": Op(F.leaky_relu, lambda x: (x, 1) if x > 0 else (LEAK * x, LEAK),
                     {64: (1, 1), 32: (1, 1)}, domain=lambda x: x != 0),
    "elu": Op(F.elu, lambda x: (x, 1) if x > 0 else (mp.expm1(x), mp.exp(x)),
              {64: (2, 2), 32: (3, 3)}),
    "sin": Op(lambda t: t.sin(), lambda x: (mp.sin(x), mp.cos(x)), {64: (2, 2), 32: (2, 2)}),
    "cos": Op(lambda t: t.cos(), lambda x: (mp.cos(x), -mp.sin(x)), {64: (2, 2), 32: (2, 2)}),
    "tanh": Op(lambda t: t.tanh(), lambda x: (mp.tanh(x), 1 / mp.cosh(x) ** 2),
               {64: (2, 4), 32: (2, 5)}),
    "sigmoid": Op(lambda t: t.sigmoid(), _sigmoid, {64: (3, 4), 32: (5, 6)}),
    "logsigmoid": Op(F.logsigmoid, lambda x: (-_log1p(mp.exp(-x)), _sig2(x)[1]),
                     {64: (3, 3), 32: (5, 5)}),
    "softplus": Op(F.softplus, _softplus, {64: (3, 3), 32: (5, 5)}),
    "softplus(beta=2, threshold=inf)": Op(
        lambda t: F.softplus(t, beta=2.0, threshold=np.inf),
        lambda x: (_log1p(mp.exp(2 * x)) / 2, _sig2(2 * x)[0]), {64: (3, 3), 32: (5, 5)}),
    "silu": Op(F.silu, _silu, {64: (4, 5), 32: (6, 7)}),
    "gelu": Op(F.gelu, _gelu, {64: (2, 2), 32: (1, 1)}, internal=np.float64),
    "gelu(tanh)": Op(lambda t: F.gelu(t, approximate="tanh"), _gelu_tanh,
                     {64: (3, 4), 32: (5, 6)}),
}


@functools.lru_cache(maxsize=None)
def reference(name):
    """x (the UNION points in the op's domain) and rows hi/lo of f, hi/lo of f′, κ_f, κ_f′,
    computed once per op."""
    op = OPS[name]
    x = UNION if op.domain is None else UNION[op.domain(UNION)]
    out = np.zeros((6, len(x)))
    with mp.workdps(DPS):
        for i, xi in enumerate(x.tolist()):
            r = op.exact(mp.mpf(xi))
            out[0, i], out[1, i] = _split(mp.mpf(r[0]))
            out[2, i], out[3, i] = _split(mp.mpf(r[1]))
            if len(r) > 2:
                out[4, i], out[5, i] = min(float(r[2]), 1e300), min(float(r[3]), 1e300)
    return x, out


def _case(name, dtype):
    """The dtype's grid points in the op's domain, and the reference rows there."""
    x_all, ref = reference(name)
    x = GRIDS[dtype]
    x = x[np.isin(x.astype(np.float64), x_all)]
    return x, ref[:, np.searchsorted(x_all, x.astype(np.float64))]


def _rho(op, dtype):
    return np.finfo(op.internal).eps / np.finfo(dtype).eps if op.internal else 1.0


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("name", list(OPS))
def test_value_relative_error(name, dtype):
    op = OPS[name]
    x, ref = _case(name, dtype)
    keep = representable(ref[0], dtype)
    x, ref = x[keep], ref[:, keep]
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise",
                                                divide="raise", under="ignore"):
        warnings.simplefilter("error", RuntimeWarning)     # no overflow where f is finite
        got = op.fn(dm.tensor(x)).numpy()
    assert got.dtype == dtype
    tol = op.tol[np.finfo(dtype).bits][0] * (1 + ref[4] * _rho(op, dtype))
    _check(name, x, got, ref[0], ref[1], np.maximum(tol, 0.5), dtype)


@pytest.mark.parametrize("create_graph", [False, True], ids=["backward", "create_graph"])
@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("name", list(OPS))
def test_derivative_relative_error(name, dtype, create_graph):
    op = OPS[name]
    x, ref = _case(name, dtype)
    keep = representable(ref[2], dtype) & representable(ref[0], dtype)
    x, ref = x[keep], ref[:, keep]
    t = dm.tensor(x, requires_grad=True)
    with np.errstate(all="ignore"):
        (g,) = dm.autograd.grad(op.fn(t).sum(), t, create_graph=create_graph)
    got = g.detach().numpy()
    assert got.dtype == dtype
    tol = op.tol[np.finfo(dtype).bits][1] * (1 + ref[5] * _rho(op, dtype))
    _check(name + "′", x, got, ref[2], ref[3], np.maximum(tol, 0.5), dtype)


@pytest.mark.parametrize("name", list(OPS))
def test_exact_derivatives_are_the_derivatives(name):
    """The closed-form f′ above agrees with mpmath's numerical derivative of f."""
    op = OPS[name]
    pts = np.array([-7.3, -1.9, -0.6, 0.35, 1.7, 4.1, 23.0])
    if op.domain is not None:
        pts = pts[op.domain(pts)]
    with mp.workdps(DPS):
        for p in map(mp.mpf, pts.tolist()):
            num = mp.diff(lambda v: op.exact(v)[0], p)
            assert abs(num - op.exact(p)[1]) <= mp.mpf(1e-25) * (1 + abs(num)), (name, p)


# ----------------------------------------------------------------------------------------------
# softmax, log_softmax, logsumexp and cross-entropy, on rows of 3 logits
# ----------------------------------------------------------------------------------------------
def _rows(dtype):
    """Rows (0, −d, −2d), (−d, d, 0) and (c + d, c, c − d) with c = 1000.5, for d over every
    other positive grid point: near-ties (d tiny), confident rows (d large: softmax 1 − 1e-300),
    the max in each position, and large logits whose differences are rounded. Only
    logits up to a quarter of the dtype's max (so no difference of two logits overflows)."""
    x = GRIDS[dtype]
    d = x[(x > 0) & (x <= np.finfo(dtype).max / 4)][::2].astype(np.float64)
    c = 1000.5
    return np.concatenate([np.stack([0 * d, -d, -2 * d], 1), np.stack([-d, d, 0 * d], 1),
                           np.stack([c + d, c + 0 * d, c - d], 1)]).astype(dtype)


def _exact_row(r):
    """logsumexp, log_softmax, softmax y and 1 − y (as Σ of the others: 1 − y would cancel in
    mpmath too) of one row, from m + log1p(Σ_{j≠k} e^(x_j − m)) at 40 digits."""
    k = max(range(3), key=lambda i: r[i])
    m = r[k]
    s = sum(mp.exp(v - m) for i, v in enumerate(r) if i != k)
    lg = _log1p(s)
    ls = [(v - m) - lg for v in r]
    y = [mp.exp(v) for v in ls]
    rest = [sum(y[j] for j in range(3) if j != i) for i in range(3)]
    return m + lg, ls, y, rest


@functools.lru_cache(maxsize=None)
def row_reference(dtype):
    """The rows and hi/lo arrays: lse (2, n); log_softmax, softmax y, 1 − y (2, n, 3); the
    softmax Jacobian ∂y_i/∂x_j = y_i(δ_ij − y_j) (2, n, 3, 3)."""
    rows = _rows(dtype)
    n = len(rows)
    lse, ls, y, rest = (np.zeros((2, n)), np.zeros((2, n, 3)), np.zeros((2, n, 3)),
                        np.zeros((2, n, 3)))
    jac = np.zeros((2, n, 3, 3))
    with mp.workdps(DPS):
        for i, r in enumerate(rows.astype(np.float64).tolist()):
            a, b, c, e = _exact_row([mp.mpf(v) for v in r])
            lse[:, i] = _split(a)
            for j in range(3):
                ls[:, i, j], y[:, i, j], rest[:, i, j] = _split(b[j]), _split(c[j]), _split(e[j])
                for k in range(3):
                    jac[:, i, j, k] = _split(c[j] * e[j] if j == k else -c[j] * c[k])
    return rows, lse, ls, y, rest, jac


def _jacobian(fn, rows, create_graph):
    """J[n, i, j] = ∂fn(row n)_i / ∂x_nj by one backward pass per output column."""
    t = dm.tensor(rows, requires_grad=True)
    out = fn(t)
    cols = []
    for i in range(out.shape[1]):
        (g,) = dm.autograd.grad(out[:, i].sum(), t, retain_graph=True, create_graph=create_graph)
        cols.append(g.detach().numpy())
    return np.stack(cols, axis=1)


ROW_TOL = {64: 3, 32: 5}        # ulps, for every value and derivative below but softmax′,
SOFTMAX_JAC_TOL = {64: 5, 32: 8}    # which multiplies two softmax entries (≤ ROW_TOL each)


def _check_rows(what, rows, got, hi, lo, dtype, tols=None):
    """Every element of got (n,), (n, 3) or (n, 3, 3) where the exact value is representable,
    within ``tols`` (default ROW_TOL) ulps; a failure names the row."""
    n = len(rows)
    row_of = np.broadcast_to(np.arange(n).reshape((n,) + (1,) * (got.ndim - 1)), got.shape)
    got, hi, lo, row_of = got.ravel(), hi.ravel(), lo.ravel(), row_of.ravel()
    keep = representable(hi, dtype)
    tol = np.full(keep.sum(), float((tols or ROW_TOL)[np.finfo(dtype).bits]))
    _check(what, rows[row_of[keep]], got[keep], hi[keep], lo[keep], tol, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_softmax_family_values(dtype):
    rows, lse, ls, y, _, _ = row_reference(dtype)
    t = dm.tensor(rows)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        _check_rows("logsumexp", rows, t.logsumexp(dim=1).numpy(), *lse, dtype)
        _check_rows("log_softmax", rows, F.log_softmax(t, dim=1).numpy(), *ls, dtype)
        _check_rows("softmax", rows, F.softmax(t, dim=1).numpy(), *y, dtype)
        for k in range(3):
            for target, kw in [(np.full(len(rows), k), {}),                  # the fused path
                               (np.full(len(rows), k), {"weight": np.ones(3)}),   # general path
                               (np.eye(3, dtype=dtype)[np.full(len(rows), k)], {})]:  # probs
                loss = F.cross_entropy(t, target, reduction="none", **kw).numpy()
                _check_rows(f"cross_entropy(target {k}, {list(kw) or target.dtype})", rows,
                            loss, -ls[0][:, k], -ls[1][:, k], dtype)


@pytest.mark.parametrize("create_graph", [False, True], ids=["backward", "create_graph"])
@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_softmax_family_derivatives(dtype, create_graph):
    rows, _, _, y, rest, jac = row_reference(dtype)
    with np.errstate(all="ignore"):
        t = dm.tensor(rows, requires_grad=True)
        (g,) = dm.autograd.grad(t.logsumexp(dim=1).sum(), t, create_graph=create_graph)
        _check_rows("logsumexp′ (= softmax)", rows, g.detach().numpy(), *y, dtype)
        j_ls = _jacobian(lambda a: F.log_softmax(a, dim=1), rows, create_graph)
        want = -np.broadcast_to(y[:, :, None, :], (2,) + j_ls.shape).copy()   # δ_ij − y_j
        idx = np.arange(3)
        want[:, :, idx, idx] = rest
        _check_rows("log_softmax′", rows, j_ls, *want, dtype)
        j_sm = _jacobian(lambda a: F.softmax(a, dim=1), rows, create_graph)
        _check_rows("softmax′", rows, j_sm, *jac, dtype, SOFTMAX_JAC_TOL)
        for k in range(3):
            want_hi, want_lo = y[0].copy(), y[1].copy()
            want_hi[:, k], want_lo[:, k] = -rest[0][:, k], -rest[1][:, k]
            for target, kw in [(np.full(len(rows), k), {}),
                               (np.full(len(rows), k), {"weight": np.ones(3)}),
                               (np.eye(3, dtype=dtype)[np.full(len(rows), k)], {})]:
                t = dm.tensor(rows, requires_grad=True)
                loss = F.cross_entropy(t, target, reduction="sum", **kw)
                (g,) = dm.autograd.grad(loss, t, create_graph=create_graph)
                _check_rows(f"cross_entropy′(target {k}, {list(kw) or target.dtype})", rows,
                            g.detach().numpy(), want_hi, want_lo, dtype)


# ----------------------------------------------------------------------------------------------
# binary cross-entropy on probabilities and on logits
# ----------------------------------------------------------------------------------------------
PW = 3.0                                           # a pos_weight for the logits loss
LOGIT_CASES = [(0.0, None), (1.0, None), (0.25, None), (1.0, PW)]      # (target y, pos_weight)


@functools.lru_cache(maxsize=None)
def logits_reference():
    """ℓ = p·y·softplus(−x) + (1 − y)·softplus(x) and ∂ℓ/∂x = (1 − y)σ(x) − p·y·σ(−x) at every
    UNION point for each (y, pos_weight) in LOGIT_CASES (hi/lo), and the cancellation factor of
    that difference (it has a root where σ(x) = y for soft y)."""
    out = np.zeros((len(LOGIT_CASES), 5, len(UNION)))
    with mp.workdps(DPS):
        for i, x in enumerate(map(mp.mpf, UNION.tolist())):
            e = mp.exp(x)
            sp_pos, sp_neg = _log1p(e), _log1p(1 / e)        # −log(1 − σ(x)), −log σ(x)
            s, sm = e / (1 + e), 1 / (1 + e)
            for c, (y, pw) in enumerate(LOGIT_CASES):
                py = mp.mpf(y) * (pw or 1)
                out[c, 0:2, i] = _split((1 - y) * sp_pos + py * sp_neg)
                a, b = (1 - y) * s, -py * sm
                out[c, 2:4, i] = _split(a + b)
                out[c, 4, i] = min(float(_cancel(a, b)), 1e300)
    return out


@pytest.mark.parametrize("create_graph", [False, True], ids=["backward", "create_graph"])
@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("case", range(len(LOGIT_CASES)),
                         ids=[f"y={y},pos_weight={p}" for y, p in LOGIT_CASES])
def test_bce_with_logits_relative_error(case, dtype, create_graph):
    """Loss within 3 ulps (float32: 5), gradient within 3 (5) ulps × (1 + cancellation)."""
    y, pw = LOGIT_CASES[case]
    ref = logits_reference()[case][:, np.isin(UNION, GRIDS[dtype].astype(np.float64))]
    x = GRIDS[dtype]
    tol = {64: 3, 32: 5}[np.finfo(dtype).bits]
    keep = representable(ref[0], dtype)
    t = dm.tensor(x[keep], requires_grad=True)
    kw = {} if pw is None else {"pos_weight": dm.tensor(np.array(pw, dtype))}
    with np.errstate(all="ignore"):
        loss = F.binary_cross_entropy_with_logits(t, np.full(t.shape, y, dtype),
                                                  reduction="none", **kw)
        (g,) = dm.autograd.grad(loss.sum(), t, create_graph=create_graph)
    _check(f"bce_with_logits(y={y}, pos_weight={pw})", x[keep], loss.detach().numpy(),
           ref[0][keep], ref[1][keep], np.full(keep.sum(), float(tol)), dtype)
    k2 = representable(ref[2], dtype)[keep]
    _check(f"bce_with_logits′(y={y}, pos_weight={pw})", x[keep][k2], g.detach().numpy()[k2],
           ref[2][keep][k2], ref[3][keep][k2], tol * (1 + ref[4][keep][k2]), dtype)


def _probabilities(dtype):
    """p ∈ (0, 1): 4 per decade from the smallest subnormal to ½, and 1 − the same down to
    eps/2 (every float just below 1 is of that form)."""
    fi = np.finfo(dtype)
    lo = _logs(float(fi.smallest_subnormal), 0.5, 4)
    near_one = 1 - _logs(float(fi.eps) / 2, 0.5, 4)
    p = np.unique(np.concatenate([lo, near_one, [0.3, 0.7, 0.25013]]).astype(dtype))
    return p[(p > 0) & (p < 1)]


BCE_TARGETS = [0.0, 1.0, 0.25]


@functools.lru_cache(maxsize=None)
def bce_reference(dtype):
    """PyTorch's definition: ℓ = −[y·max(log p, −100) + (1 − y)·max(log(1 − p), −100)] and
    ∂ℓ/∂p = (p − y)/max(p(1 − p), 1e-12) (the clamps keep ℓ ≤ 100 and the gradient finite)."""
    p = _probabilities(dtype)
    out = np.zeros((len(BCE_TARGETS), 4, len(p)))
    eps = mp.mpf(float(np.asarray(1e-12, dtype)))
    with mp.workdps(DPS):
        for i, v in enumerate(map(mp.mpf, p.astype(np.float64).tolist())):
            lp, l1p = max(mp.log(v), -100), max(_log1p(-v), -100)
            for c, y in enumerate(BCE_TARGETS):
                out[c, 0:2, i] = _split(-(y * lp + (1 - y) * l1p))
                out[c, 2:4, i] = _split((v - y) / max(v * (1 - v), eps))
    return p, out


@pytest.mark.parametrize("create_graph", [False, True], ids=["backward", "create_graph"])
@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("case", range(len(BCE_TARGETS)), ids=[f"y={y}" for y in BCE_TARGETS])
def test_binary_cross_entropy_relative_error(case, dtype, create_graph):
    """Loss and gradient within 2 ulps (float32: 5) for every probability, also 1e-300 and
    1 − 1e-16, where the loss has to come from log1p(−p), not log(1 − p)."""
    p, ref = bce_reference(dtype)
    ref = ref[case]
    tol = np.full(len(p), {64: 2.0, 32: 5.0}[np.finfo(dtype).bits])
    t = dm.tensor(p, requires_grad=True)
    with np.errstate(all="ignore"):
        loss = F.binary_cross_entropy(t, np.full(p.shape, BCE_TARGETS[case], dtype),
                                      reduction="none")
        (g,) = dm.autograd.grad(loss.sum(), t, create_graph=create_graph)
    _check(f"binary_cross_entropy(y={BCE_TARGETS[case]})", p, loss.detach().numpy(), ref[0],
           ref[1], tol, dtype)
    k = representable(ref[2], dtype)
    _check(f"binary_cross_entropy′(y={BCE_TARGETS[case]})", p[k], g.detach().numpy()[k],
           ref[2][k], ref[3][k], tol[k], dtype)
