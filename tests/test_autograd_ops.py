"""Every autograd op against central finite differences (first and second derivatives),
over hypothesis-generated shapes (broadcasting, size-1 dims) and values away from kinks."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st, HealthCheck

import dlmath as dm
from dlmath.autograd import gradcheck, gradgradcheck

SETTINGS = settings(deadline=None, max_examples=25, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])

dims = st.integers(1, 3)
shapes = st.lists(dims, min_size=0, max_size=3).map(tuple)


@st.composite
def broadcast_pair(draw):
    """Two shapes that broadcast: the second is a suffix of the first with some dims set to 1."""
    a = draw(st.lists(dims, min_size=1, max_size=3).map(tuple))
    k = draw(st.integers(0, len(a)))
    b = tuple(1 if draw(st.booleans()) else s for s in a[len(a) - k:])
    return (a, b) if draw(st.booleans()) else (b, a)


def arr(draw, shape, lo=-2.0, hi=2.0, away_from=None):
    seed = draw(st.integers(0, 2**31 - 1))
    x = np.random.default_rng(seed).uniform(lo, hi, size=shape)
    if away_from is not None:        # push values away from a non-differentiable point
        close = np.abs(x - away_from) < 0.2
        x = np.where(close, x + np.where(x >= away_from, 0.3, -0.3), x)
    return x


def t(x):
    return dm.tensor(x, requires_grad=True)


def check(fn, *inputs, second=True):
    ts = [t(x) for x in inputs]
    assert gradcheck(fn, ts)
    if second:
        assert gradgradcheck(fn, ts)


# ---------------------------------------------------------------- binary ops with broadcasting
@SETTINGS
@given(data=st.data(), pair=broadcast_pair(),
       op=st.sampled_from(["add", "sub", "mul", "div", "pow", "maximum", "minimum"]))
def test_binary_ops_broadcast(data, pair, op):
    sa, sb = pair
    a = arr(data.draw, sa)
    b = arr(data.draw, sb)
    if op == "div":
        b = np.where(np.abs(b) < 0.5, 1.0, b)
    if op == "pow":
        a = np.abs(a) + 0.5
    fns = {"add": lambda x, y: x + y, "sub": lambda x, y: x - y, "mul": lambda x, y: x * y,
           "div": lambda x, y: x / y, "pow": lambda x, y: x ** y,
           "maximum": dm.maximum, "minimum": dm.minimum}
    fn = fns[op]
    out = fn(t(a), t(b))
    assert out.shape == np.broadcast_shapes(sa, sb)
    if op in ("maximum", "minimum"):
        close = np.abs(np.broadcast_to(a, out.shape) - np.broadcast_to(b, out.shape)) < 0.05
        if close.any():             # ties are checked in test_max_ties_follow_pytorch
            return
    check(fn, a, b, second=op not in ("maximum", "minimum"))


@SETTINGS
@given(data=st.data(), shape=shapes,
       p=st.sampled_from([2, 3, 0.5, -1, -1.5, 1]))
def test_scalar_power_and_reflected(data, shape, p):
    a = np.abs(arr(data.draw, shape)) + 0.5
    check(lambda x: x ** p, a)
    check(lambda x: 2.0 ** x + 3.0 / x - (1.0 - x) * 2, a)


# --------------------------------------------------------------------------- unary ops
UNARY = {
    "exp": (lambda x: x.exp(), None, None),
    "expm1": (lambda x: x.expm1(), None, None),
    "log": (lambda x: x.log(), "pos", None),
    "log1p": (lambda x: x.log1p(), "pos", None),
    "sqrt": (lambda x: x.sqrt(), "pos", None),
    "abs": (lambda x: x.abs(), None, 0.0),
    "sin": (lambda x: x.sin(), None, None),
    "cos": (lambda x: x.cos(), None, None),
    "tanh": (lambda x: x.tanh(), None, None),
    "sigmoid": (lambda x: x.sigmoid(), None, None),
    "relu": (lambda x: x.relu(), None, 0.0),
    "neg": (lambda x: -x, None, None),
    "clamp": (lambda x: x.clamp(-0.5, 0.7), None, None),
}


@SETTINGS
@given(data=st.data(), shape=shapes, name=st.sampled_from(sorted(UNARY)))
def test_unary_ops(data, shape, name):
    fn, domain, kink = UNARY[name]
    x = arr(data.draw, shape, away_from=kink)
    if domain == "pos":
        x = np.abs(x) + 0.3
    if name == "clamp":
        x = np.where(np.abs(x + 0.5) < 0.1, x - 0.2, x)
        x = np.where(np.abs(x - 0.7) < 0.1, x + 0.2, x)
    check(fn, x)


def test_unary_values_match_numpy():
    x = np.linspace(-3, 3, 13)
    pos = np.linspace(0.1, 3, 13)
    np.testing.assert_allclose(dm.tensor(x).exp().numpy(), np.exp(x))
    np.testing.assert_allclose(dm.tensor(pos).log().numpy(), np.log(pos))
    np.testing.assert_allclose(dm.tensor(x).sigmoid().numpy(), 1 / (1 + np.exp(-x)), rtol=1e-12)
    np.testing.assert_allclose(dm.tensor(x).relu().numpy(), np.maximum(x, 0))
    np.testing.assert_allclose(dm.tensor(x).clamp(-1, 2).numpy(), np.clip(x, -1, 2))
    np.testing.assert_array_equal(dm.tensor(pos).log1p().numpy(), np.log1p(pos))
    np.testing.assert_array_equal(dm.autograd.log1p(dm.tensor(pos)).numpy(), np.log1p(pos))
    np.testing.assert_array_equal(dm.autograd.expm1(dm.tensor(x)).numpy(), np.expm1(x))


def test_log1p_expm1_keep_tiny_arguments():
    """log1p/expm1 exist for the tiny-x regime where log(1 + x) and exp(x) − 1 return 0."""
    x = dm.tensor([1e-20, -1e-300], requires_grad=True)
    np.testing.assert_array_equal(x.detach().log1p().numpy(), [1e-20, -1e-300])
    np.testing.assert_array_equal(x.detach().expm1().numpy(), [1e-20, -1e-300])
    (x.log1p() + x.expm1()).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 2.0])


def test_tanh_and_sigmoid_derivatives_keep_their_tails():
    """1 − tanh² and σ(1 − σ) round to 0 once tanh/σ round to ±1 / 1; the stable forms don't:
    tanh′(20) = 4e^(−40)(1 + …), σ′(40) = e^(−40)(1 + …)."""
    x = dm.tensor([20.0, -20.0, 40.0, -40.0], requires_grad=True)
    (g_tanh,) = dm.autograd.grad(x.tanh().sum(), x)
    (g_sig,) = dm.autograd.grad(x.sigmoid().sum(), x)
    exact_tanh = 4 * np.exp(-40.0) / (1 + np.exp(-40.0)) ** 2
    exact_sig = np.exp(-40.0) / (1 + np.exp(-40.0)) ** 2
    np.testing.assert_allclose(g_tanh.numpy()[:2], exact_tanh, rtol=1e-15)
    np.testing.assert_allclose(g_sig.numpy()[2:], exact_sig, rtol=1e-15)
    np.testing.assert_allclose(x.detach().sigmoid().numpy()[3],
                               np.exp(-40.0) / (1 + np.exp(-40.0)), rtol=1e-15)


def test_sigmoid_saturates_without_overflow():
    x = dm.tensor([-1000.0, 0.0, 1000.0], requires_grad=True)
    with np.errstate(all="raise"):
        y = x.sigmoid()
        y.sum().backward()
    np.testing.assert_allclose(y.data, [0.0, 0.5, 1.0])
    np.testing.assert_allclose(x.grad.numpy(), [0.0, 0.25, 0.0])


# --------------------------------------------------------------------------- reductions
@SETTINGS
@given(data=st.data(), shape=st.lists(dims, min_size=1, max_size=3).map(tuple),
       op=st.sampled_from(["sum", "mean", "var", "std"]), keepdim=st.booleans())
def test_reductions(data, shape, op, keepdim):
    x = arr(data.draw, shape)
    ndim = len(shape)
    dim = data.draw(st.one_of(st.none(), st.integers(-ndim, ndim - 1),
                              st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim,
                                       unique=True).map(tuple)))
    if op in ("var", "std"):
        n = np.prod([shape[d] for d in (range(ndim) if dim is None else np.atleast_1d(dim))])
        if n < 2:
            return
        fn = lambda a: getattr(a, op)(dim=dim, keepdim=keepdim)
        ref = getattr(np, op)(x, axis=dim, ddof=1, keepdims=keepdim)
    else:
        fn = lambda a: getattr(a, op)(dim=dim, keepdim=keepdim)
        ref = getattr(np, op)(x, axis=dim, keepdims=keepdim)
    np.testing.assert_allclose(fn(dm.tensor(x)).numpy(), ref, rtol=1e-12, atol=1e-12)
    check(fn, x, second=True)


@SETTINGS
@given(data=st.data(), shape=st.lists(dims, min_size=1, max_size=3).map(tuple),
       op=st.sampled_from(["max", "min"]), keepdim=st.booleans())
def test_max_min(data, shape, op, keepdim):
    x = np.random.default_rng(data.draw(st.integers(0, 1000))).permutation(
        np.arange(np.prod(shape), dtype=float)).reshape(shape) * 0.3   # distinct values
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    values, indices = getattr(dm.tensor(x), op)(dim=dim, keepdim=keepdim)
    np.testing.assert_array_equal(values.numpy(),
                                  getattr(np, op)(x, axis=dim, keepdims=keepdim))
    np.testing.assert_array_equal(indices.numpy(),
                                  getattr(np, "arg" + op)(x, axis=dim, keepdims=keepdim))
    check(lambda a: getattr(a, op)(dim=dim, keepdim=keepdim).values, x)
    check(lambda a: getattr(a, op)(), x)


def test_max_ties_follow_pytorch():
    x = dm.tensor([1.0, 3.0, 3.0], requires_grad=True)
    x.max().backward()
    np.testing.assert_allclose(x.grad.numpy(), [0, 0.5, 0.5])   # full reduction: split evenly
    x.grad = None
    x.max(dim=0).values.backward()
    np.testing.assert_allclose(x.grad.numpy(), [0, 1, 0])       # along a dim: first arg-max
    a = dm.tensor([2.0, 1.0], requires_grad=True)
    b = dm.tensor([2.0, 0.0], requires_grad=True)
    dm.maximum(a, b).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), [0.5, 1.0])
    np.testing.assert_allclose(b.grad.numpy(), [0.5, 0.0])


# --------------------------------------------------------------------------- matmul
@SETTINGS
@given(data=st.data(), m=dims, k=dims, n=dims,
       kind=st.sampled_from(["1d1d", "1d2d", "2d1d", "2d2d", "batched", "batch_bcast",
                             "1d_batched"]))
def test_matmul(data, m, k, n, kind):
    shapes_for = {"1d1d": ((k,), (k,)), "1d2d": ((k,), (k, n)), "2d1d": ((m, k), (k,)),
                  "2d2d": ((m, k), (k, n)), "batched": ((2, m, k), (2, k, n)),
                  "batch_bcast": ((2, 1, m, k), (3, k, n)), "1d_batched": ((k,), (2, k, n))}
    sa, sb = shapes_for[kind]
    a, b = arr(data.draw, sa), arr(data.draw, sb)
    out = dm.tensor(a) @ dm.tensor(b)
    np.testing.assert_allclose(out.numpy(), a @ b, rtol=1e-12)
    check(lambda x, y: x @ y, a, b)


def test_matmul_shape_error_names_dimensions():
    with pytest.raises(ValueError, match=r"\(3, 4\) @ \(5, 2\).*last dimension is 4.*"
                                         r"second-to-last dimension is 5"):
        dm.randn(3, 4) @ dm.randn(5, 2)
    with pytest.raises(ValueError, match="at least 1 dimension"):
        dm.tensor(2.0) @ dm.randn(2)


# --------------------------------------------------------------------------- shape ops
@SETTINGS
@given(data=st.data(), shape=st.lists(dims, min_size=2, max_size=4).map(tuple))
def test_shape_ops(data, shape):
    x = arr(data.draw, shape)
    perm = tuple(data.draw(st.permutations(range(len(shape)))))
    d0, d1 = data.draw(st.integers(0, len(shape) - 1)), data.draw(st.integers(0, len(shape) - 1))
    np.testing.assert_array_equal(dm.tensor(x).permute(perm).numpy(), np.transpose(x, perm))
    np.testing.assert_array_equal(dm.tensor(x).transpose(d0, d1).numpy(), np.swapaxes(x, d0, d1))
    w = np.random.default_rng(0).standard_normal(np.transpose(x, perm).shape)
    check(lambda a: a.permute(perm) * w, x)
    check(lambda a: a.transpose(d0, d1).reshape(-1)[::2], x)
    check(lambda a: a.reshape(shape[0], -1).T.flatten().unsqueeze(0).squeeze(0), x)
    check(lambda a: a.reshape(1, *shape).expand(3, *shape) * 1.5, x)


@SETTINGS
@given(data=st.data(), shape=st.lists(st.integers(2, 4), min_size=1, max_size=3).map(tuple))
def test_getitem(data, shape):
    x = arr(data.draw, shape)
    rng = np.random.default_rng(data.draw(st.integers(0, 100)))
    ints = rng.integers(0, shape[0], size=5)             # repeats on purpose: gradients add
    mask = x > 0
    idx_choices = [(slice(None, None, 2),), (ints,), (mask,), (0,), (Ellipsis, -1),
                   (slice(1, None), None)]
    for idx in idx_choices:
        idx = idx if len(idx) > 1 else idx[0]
        np.testing.assert_array_equal(dm.tensor(x)[idx].numpy(), x[idx])
        check(lambda a: a[idx] * 1.0, x)


def test_getitem_repeated_indices_accumulate():
    x = dm.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x[[0, 0, 2, 0]].sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 0.0, 1.0])


@SETTINGS
@given(data=st.data(), shape=st.lists(dims, min_size=1, max_size=3).map(tuple))
def test_cat_stack_where(data, shape):
    a, b = arr(data.draw, shape), arr(data.draw, shape)
    dim = data.draw(st.integers(0, len(shape) - 1))
    np.testing.assert_array_equal(dm.cat([dm.tensor(a), dm.tensor(b)], dim).numpy(),
                                  np.concatenate([a, b], dim))
    np.testing.assert_array_equal(dm.stack([dm.tensor(a), dm.tensor(b)], dim).numpy(),
                                  np.stack([a, b], dim))
    check(lambda x, y: dm.cat([x, y * 2.0, x], dim), a, b)
    check(lambda x, y: dm.stack([x, y], dim) ** 2, a, b)
    cond = a > b
    check(lambda x, y: dm.where(cond, x * y, y.exp()), a, b)
    check(lambda x: dm.where(cond, x, 0.0), a)


# --------------------------------------------------------------------------- view vs reshape
def test_view_of_a_contiguous_tensor_aliases_it():
    base = dm.arange(12.0).reshape(3, 4)
    v = base.view(4, 3)
    assert v.is_contiguous() and np.shares_memory(v.data, base.data)
    v[0, 0] = 100.0
    base[2, 3] = -1.0
    assert base.numpy()[0, 0] == 100.0 and v.numpy()[3, 2] == -1.0
    w = dm.arange(6.0, requires_grad=True)
    u = w.view(2, 3)
    with dm.no_grad():
        u[1, 1] = 7.0                 # write through the view, see it in the base
    assert w.detach().numpy()[4] == 7.0
    assert base.view(-1).shape == (12,) and base.view((2, 6)).shape == (2, 6)


def test_view_of_a_permuted_tensor_raises_and_reshape_copies():
    base = dm.arange(6.0).reshape(2, 3)
    t = base.T
    assert not t.is_contiguous() and base.is_contiguous()
    with pytest.raises(RuntimeError, match=r"not contiguous.*\.reshape\(\.\.\.\)"):
        t.view(6)
    with pytest.raises(RuntimeError, match="view size is not compatible"):
        base.permute(1, 0).view(-1)
    r = t.reshape(6)
    np.testing.assert_array_equal(r.numpy(), [0, 3, 1, 4, 2, 5])
    assert not np.shares_memory(r.data, base.data)          # reshape copied, as it must
    c = t.contiguous()
    assert c.is_contiguous() and c.view(6).tolist() == r.tolist()
    assert base.contiguous() is base
    # a view that strides allow is still fine on a non-contiguous tensor (as PyTorch)
    assert np.shares_memory(t.view(3, 2).data, base.data)
    with pytest.raises(ValueError, match="cannot reshape"):
        base.view(4)


def test_view_reshape_contiguous_gradients():
    x = np.random.default_rng(0).normal(size=(2, 3, 4))
    check(lambda a: a.view(6, 4) * a.view(6, 4), x)
    check(lambda a: a.permute(2, 0, 1).reshape(4, 6) ** 2, x)
    check(lambda a: a.transpose(0, 2).contiguous().view(-1) * 1.5, x)
    a = dm.tensor(x, requires_grad=True)
    a.transpose(1, 2).contiguous().view(2, 12).sum().backward()
    np.testing.assert_array_equal(a.grad.numpy(), np.ones_like(x))


def test_logsumexp_is_stable_and_correct():
    x = dm.tensor([[1e4, 1e4 - 1.0, -1e4]], requires_grad=True)
    y = x.logsumexp(dim=1)
    expected = 1e4 + np.log(1 + np.exp(-1.0))
    np.testing.assert_allclose(y.data, [expected])
    y.sum().backward()
    p = np.exp([0.0, -1.0]) / np.exp([0.0, -1.0]).sum()
    np.testing.assert_allclose(x.grad.numpy(), [[p[0], p[1], 0.0]], atol=1e-15)
    assert gradcheck(lambda a: a.logsumexp(dim=-1), [t(np.random.default_rng(0).normal(
        size=(3, 4)))])


def test_logsumexp_keeps_tiny_results_dims_and_nonfinite_rows():
    x = dm.tensor([[0.0, -50.0], [0.0, 0.0]])
    np.testing.assert_allclose(x.logsumexp(dim=1).numpy(), [np.log1p(np.exp(-50.0)), np.log(2)],
                               rtol=1e-15)
    assert x.logsumexp(dim=1).numpy()[0] > 0                   # 1.9e-22, not log(1) = 0
    a = np.random.default_rng(1).normal(size=(2, 3, 4))
    np.testing.assert_allclose(dm.tensor(a).logsumexp(dim=(0, 2)).numpy(),
                               np.log(np.exp(a).sum(axis=(0, 2))), rtol=1e-14)
    assert dm.tensor(a).logsumexp(dim=(0, 2), keepdim=True).shape == (1, 3, 1)
    check(lambda t: t.logsumexp(dim=(0, 2)), a)
    check(lambda t: t.logsumexp(dim=1, keepdim=True), a)
    inf = np.inf
    with np.errstate(all="raise"):
        got = dm.tensor([[inf, 1.0], [-inf, -inf], [-inf, 2.0]]).logsumexp(dim=1).numpy()
    np.testing.assert_array_equal(got, [inf, -inf, 2.0])
