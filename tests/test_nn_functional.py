"""dlmath.nn.functional: activations, softmax family, linear, dropout, batch_norm, conv and pools.

Gradients are checked against central finite differences in float64 (``gradcheck``); second
derivatives where the op promises them (``gradgradcheck``)."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import dlmath
import dlmath.nn.functional as F
from dlmath.autograd import gradcheck, gradgradcheck
from dlmath.autograd.tensor import Tensor


def t64(a, grad=True):
    return Tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


def rnd(*shape, seed=0, grad=True):
    return t64(np.random.default_rng(seed).standard_normal(shape), grad)


def away_from_zero(*shape, seed=0):
    """Normal samples pushed away from 0 so kinks (relu at 0) are never straddled by ±eps."""
    a = np.random.default_rng(seed).standard_normal(shape)
    return t64(a + 0.1 * np.sign(a))


# ---- activations ---------------------------------------------------------------------------
@pytest.mark.parametrize("fn", [
    F.relu, F.sigmoid, F.tanh, F.silu, F.elu, F.softplus,
    lambda x: F.leaky_relu(x, 0.2),
    lambda x: F.gelu(x),
    lambda x: F.gelu(x, approximate="tanh"),
    F.logsigmoid, lambda x: F.softplus(x, beta=0.5, threshold=0.7),
], ids=["relu", "sigmoid", "tanh", "silu", "elu", "softplus", "leaky_relu", "gelu", "gelu_tanh",
        "logsigmoid", "softplus_beta_threshold"])
def test_activation_gradcheck(fn):
    assert gradcheck(fn, [away_from_zero(3, 4)])


@pytest.mark.parametrize("fn", [F.sigmoid, F.tanh, lambda x: F.gelu(x),
                                lambda x: F.leaky_relu(x, 0.2), F.silu, F.elu, F.softplus,
                                lambda x: F.softplus(x, beta=2.0, threshold=1.0),
                                lambda x: F.gelu(x, approximate="tanh"), F.logsigmoid],
                         ids=["sigmoid", "tanh", "gelu", "leaky_relu", "silu", "elu", "softplus",
                              "softplus_beta_threshold", "gelu_tanh", "logsigmoid"])
def test_activation_gradgradcheck(fn):
    assert gradgradcheck(fn, [away_from_zero(2, 3, seed=1)])


def test_activation_values():
    x = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
    np.testing.assert_allclose(F.relu(t64(x)).data, np.maximum(x, 0))
    np.testing.assert_allclose(F.leaky_relu(t64(x), 0.1).data, np.where(x > 0, x, 0.1 * x))
    np.testing.assert_allclose(F.leaky_relu(t64(x)).data, np.where(x > 0, x, 0.01 * x))
    np.testing.assert_allclose(F.sigmoid(t64(x)).data, 1 / (1 + np.exp(-x)))
    erf = np.vectorize(math.erf)
    np.testing.assert_allclose(F.gelu(t64(x)).data, x * 0.5 * (1 + erf(x / math.sqrt(2))),
                               rtol=1e-12, atol=1e-15)
    c = math.sqrt(2 / math.pi)
    np.testing.assert_allclose(F.gelu(t64(x), approximate="tanh").data,
                               0.5 * x * (1 + np.tanh(c * (x + 0.044715 * x ** 3))))
    with pytest.raises(ValueError, match="approximate"):
        F.gelu(t64(x), approximate="fast")


def test_softplus_logsigmoid_silu_gelu_tails():
    """The left tails keep full relative precision (the old formulas gave 0 here), the right
    tails do not overflow, and softplus's threshold and beta follow PyTorch."""
    x = t64([-40.0, -800.0, 0.0, 30.0, 1e308], grad=False)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        sp = F.softplus(x).data
        ls = F.logsigmoid(x).data
    np.testing.assert_allclose(sp, [np.exp(-40.0), 0.0, np.log(2), 30.0, 1e308], rtol=1e-15)
    np.testing.assert_allclose(ls, [-40.0 - np.exp(-40.0), -800.0, -np.log(2),
                                    -np.log1p(np.exp(-30.0)), 0.0], rtol=1e-15)
    assert F.softplus(t64([25.0], grad=False)).data[0] == 25.0            # above threshold: x
    np.testing.assert_allclose(F.softplus(t64([25.0], grad=False), threshold=30.0).data,
                               25.0 + np.exp(-25.0), rtol=1e-15)
    np.testing.assert_allclose(F.softplus(t64([-20.0], grad=False), beta=2.0).data,
                               np.exp(-40.0) / 2, rtol=1e-15)
    np.testing.assert_allclose(F.silu(t64([-40.0], grad=False)).data,
                               -40.0 * np.exp(-40.0) / (1 + np.exp(-40.0)), rtol=1e-15)
    phi_m10 = 7.619853024160526e-24                     # Φ(−10) (mpmath, 16 digits)
    np.testing.assert_allclose(F.gelu(t64([-10.0], grad=False)).data, -10 * phi_m10,
                               rtol=1e-14)
    xt = t64([0.0, -40.0])
    F.softplus(xt).sum().backward()
    np.testing.assert_allclose(xt.grad.data, [0.5, np.exp(-40.0)], rtol=1e-15)   # σ(x)


def test_activations_keep_float32():
    x = Tensor(np.linspace(-2, 2, 7, dtype=np.float32), requires_grad=True)
    for fn in (F.relu, F.sigmoid, F.tanh, F.gelu, F.leaky_relu, F.silu, F.elu, F.softplus,
               F.logsigmoid, lambda v: F.gelu(v, approximate="tanh"),
               lambda v: F.softmax(v, 0), lambda v: F.log_softmax(v, 0)):
        y = fn(x)
        assert y.dtype == np.float32
        y.sum().backward()
        assert x.grad.dtype == np.float32
        x.grad = None


def test_sigmoid_extremes_are_finite():
    x = t64([-1000.0, 1000.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        y = F.sigmoid(x)
    np.testing.assert_array_equal(y.data, [0.0, 1.0])
    y.sum().backward()
    assert np.all(np.isfinite(x.grad.data)) and np.all(x.grad.data == 0)


# ---- softmax family ------------------------------------------------------------------------
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_softmax_log_softmax_gradcheck(dim):
    assert gradcheck(lambda x: F.softmax(x, dim), [rnd(3, 4)])
    assert gradcheck(lambda x: F.log_softmax(x, dim), [rnd(3, 4, seed=1)])


def test_softmax_log_softmax_gradgradcheck():
    assert gradgradcheck(lambda x: F.softmax(x, 1), [rnd(2, 3)])
    assert gradgradcheck(lambda x: F.log_softmax(x, 1), [rnd(2, 3, seed=2)])


def test_softmax_family_confident_rows_and_nonfinite_rows():
    x = t64([[0.0, -50.0, -60.0]])
    lp = F.log_softmax(x, dim=1)
    tiny = np.exp(-50.0) + np.exp(-60.0)
    np.testing.assert_allclose(lp.data[0, 0], -tiny, rtol=1e-15)             # not 0
    lp[0, 0].backward()                                        # ∂/∂x₀ = 1 − y₀ = Σ others
    np.testing.assert_allclose(x.grad.data[0, 0], tiny, rtol=1e-15)
    x.grad = None
    F.softmax(x, dim=1)[0, 0].backward()                       # y₀(1 − y₀)
    np.testing.assert_allclose(x.grad.data[0, 0], tiny / (1 + tiny) ** 2, rtol=1e-15)
    inf = np.inf
    rows = t64([[inf, 1.0], [-inf, -inf]], grad=False)
    with np.errstate(all="raise"):
        got = F.log_softmax(rows, dim=1).data
    np.testing.assert_array_equal(np.isnan(got), [[True, False], [True, True]])
    assert got[0, 1] == -inf                                   # PyTorch: [nan, -inf]


def test_softmax_values_and_rows_sum_to_one():
    x = np.random.default_rng(3).standard_normal((4, 5))
    y = F.softmax(t64(x), dim=1).data
    np.testing.assert_allclose(y, np.exp(x) / np.exp(x).sum(1, keepdims=True))
    np.testing.assert_allclose(F.log_softmax(t64(x), 1).data, np.log(y))
    np.testing.assert_allclose(y.sum(1), 1.0)


def test_softmax_huge_logits_are_exact_and_finite():
    x = t64([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        p = F.softmax(x, dim=1)
        lp = F.log_softmax(x, dim=1)
    np.testing.assert_allclose(p.data, [[1, 0, 0], [1 / 3, 1 / 3, 1 / 3]])
    np.testing.assert_allclose(lp.data, [[0, -2e4, -1e4], [-math.log(3)] * 3])
    # d/dx of log_softmax(x)[0, 1] = onehot(1) − softmax(x[0]) = [−1, 1, 0]
    lp[0, 1].backward()
    np.testing.assert_allclose(x.grad.data, [[-1, 1, 0], [0, 0, 0]], atol=1e-12)
    x.grad = None
    (p[0, 0] + p[1, 2]).backward()
    assert np.all(np.isfinite(x.grad.data))
    np.testing.assert_allclose(x.grad.data[1], [-1 / 9, -1 / 9, 2 / 9], atol=1e-12)


def test_softmax_implicit_dim_warns_like_pytorch():
    with pytest.warns(UserWarning, match="Implicit dimension"):
        y = F.softmax(rnd(2, 3, grad=False))
    np.testing.assert_allclose(y.data.sum(1), 1)


# ---- linear --------------------------------------------------------------------------------
def test_linear_value_and_gradcheck():
    x, w, b = rnd(5, 3), rnd(4, 3, seed=1), rnd(4, seed=2)
    np.testing.assert_allclose(F.linear(x, w, b).data, x.data @ w.data.T + b.data)
    assert gradcheck(F.linear, [x, w, b])
    assert gradcheck(F.linear, [x, w])
    assert gradcheck(F.linear, [rnd(2, 3, 3, seed=4), w, b])      # leading batch dims
    assert gradcheck(F.linear, [rnd(3, seed=5), w, b])            # a single vector
    assert gradgradcheck(F.linear, [rnd(2, 3), rnd(2, 3, seed=1), rnd(2, seed=2)])


def test_linear_shape_errors():
    with pytest.raises(ValueError, match=r"in_features=3"):
        F.linear(rnd(5, 4), rnd(2, 3))
    with pytest.raises(ValueError, match=r"bias must have shape \(2,\)"):
        F.linear(rnd(5, 3), rnd(2, 3), rnd(3))
    with pytest.raises(ValueError, match="weight must be 2-D"):
        F.linear(rnd(5, 3), rnd(3))


def test_linear_skips_gradients_nobody_needs():
    x = rnd(4, 3, grad=False)
    w = rnd(2, 3)
    F.linear(x, w).sum().backward()
    assert x.grad is None and w.grad is not None


# ---- dropout -------------------------------------------------------------------------------
def test_dropout_expected_value_and_rate():
    dlmath.manual_seed(0)
    x = Tensor(np.ones(200_000))
    y = F.dropout(x, p=0.3).data
    assert set(np.unique(y)) <= {0.0, 1 / 0.7}
    assert abs((y == 0).mean() - 0.3) < 0.005
    assert abs(y.mean() - 1.0) < 0.01                     # inverted scaling keeps E[y] = x


def test_dropout_is_seeded_and_backward_uses_the_same_mask():
    x = rnd(50, 20)
    dlmath.manual_seed(123)
    a = F.dropout(x, 0.5)
    dlmath.manual_seed(123)
    b = F.dropout(x, 0.5)
    np.testing.assert_array_equal(a.data, b.data)
    a.sum().backward()
    mask = (a.data != 0) * 2.0
    np.testing.assert_array_equal(x.grad.data, mask)
    c = F.dropout(x, 0.5)                                  # the generator moved on
    assert not np.array_equal(a.data, c.data)


def test_dropout_gradcheck_with_a_fixed_mask():
    def fn(x):
        dlmath.manual_seed(7)                  # the same mask on every evaluation
        return F.dropout(x, 0.4)
    assert gradcheck(fn, [rnd(4, 5)])
    assert gradgradcheck(lambda x: fn(x) * fn(x), [rnd(2, 3)])


def test_dropout_eval_p0_p1_and_validation():
    x = rnd(3, 4)
    assert F.dropout(x, 0.5, training=False) is x
    assert F.dropout(x, 0.0) is x
    assert np.all(F.dropout(x, 1.0).data == 0)
    for p in (-0.1, 1.5):
        with pytest.raises(ValueError, match="between 0 and 1"):
            F.dropout(x, p)


def test_dropout_keeps_float32():
    x = Tensor(np.ones((10, 10), np.float32))
    assert F.dropout(x, 0.5).dtype == np.float32


# ---- batch_norm ----------------------------------------------------------------------------
def _np_batch_norm_train(x, rm, rv, w, b, momentum, eps):
    axes = (0,) + tuple(range(2, x.ndim))
    shape = (1, -1) + (1,) * (x.ndim - 2)
    mean = x.mean(axis=axes)
    var = x.var(axis=axes)
    n = x.size // x.shape[1]
    y = (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + eps)
    y = y * w.reshape(shape) + b.reshape(shape)
    rm_new = (1 - momentum) * rm + momentum * mean
    rv_new = (1 - momentum) * rv + momentum * var * n / (n - 1)
    return y, rm_new, rv_new


@pytest.mark.parametrize("shape", [(6, 3), (4, 3, 5), (2, 3, 4, 4)])
def test_batch_norm_train_matches_numpy_and_updates_running_stats(shape):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape) * 3 + 1
    w, b = rng.standard_normal(3), rng.standard_normal(3)
    rm, rv = rng.standard_normal(3), rng.random(3) + 0.5
    rm_t, rv_t = Tensor(rm.copy()), Tensor(rv.copy())
    y = F.batch_norm(t64(x), rm_t, rv_t, t64(w), t64(b), training=True, momentum=0.2, eps=1e-3)
    y_ref, rm_ref, rv_ref = _np_batch_norm_train(x, rm, rv, w, b, 0.2, 1e-3)
    np.testing.assert_allclose(y.data, y_ref, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(rm_t.data, rm_ref, rtol=1e-12)
    np.testing.assert_allclose(rv_t.data, rv_ref, rtol=1e-12)     # unbiased variance


def test_batch_norm_eval_uses_running_stats():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((5, 3, 2, 2))
    rm, rv = rng.standard_normal(3), rng.random(3) + 0.5
    w, b = rng.standard_normal(3), rng.standard_normal(3)
    rm_t, rv_t = Tensor(rm.copy()), Tensor(rv.copy())
    y = F.batch_norm(t64(x), rm_t, rv_t, t64(w), t64(b), training=False, eps=1e-5)
    s = (1, 3, 1, 1)
    ref = (x - rm.reshape(s)) / np.sqrt(rv.reshape(s) + 1e-5) * w.reshape(s) + b.reshape(s)
    np.testing.assert_allclose(y.data, ref, rtol=1e-12)
    np.testing.assert_array_equal(rm_t.data, rm)                 # untouched in eval
    assert gradcheck(lambda x_, w_, b_: F.batch_norm(x_, rm_t, rv_t, w_, b_),
                     [t64(x), t64(w), t64(b)])


def test_batch_norm_train_gradcheck_and_gradgradcheck():
    x, w, b = rnd(4, 3, 2), rnd(3, seed=1), rnd(3, seed=2)
    fn = lambda x_, w_, b_: F.batch_norm(x_, None, None, w_, b_, training=True)  # noqa: E731
    assert gradcheck(fn, [x, w, b])
    assert gradcheck(lambda x_: F.batch_norm(x_, None, None, training=True), [rnd(5, 2)])
    assert gradgradcheck(fn, [rnd(3, 2, seed=3), rnd(2, seed=4), rnd(2, seed=5)])


def test_batch_norm_errors():
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        F.batch_norm(rnd(1, 3), None, None, training=True)
    with pytest.raises(ValueError, match=r"running_mean must have shape \(3,\)"):
        F.batch_norm(rnd(4, 3), Tensor(np.zeros(2)), Tensor(np.ones(3)))
    with pytest.raises(ValueError, match="required when training=False"):
        F.batch_norm(rnd(4, 3), None, None, training=False)


# ---- conv2d --------------------------------------------------------------------------------
def conv2d_reference(x, w, b, stride, padding, dilation):
    """The definition, looped: y[n,o,i,j] = b[o] + Σ w[o,c,a,e] x[n,c,i·s+a·d−p, j·s+e·d−p]."""
    (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
    N, C, H, W = x.shape
    O, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    Ho = (H + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    Wo = (W + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    y = np.zeros((N, O, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            patch = xp[:, :, i * sh: i * sh + dh * (kh - 1) + 1: dh,
                       j * sw: j * sw + dw * (kw - 1) + 1: dw]
            y[:, :, i, j] = np.einsum("ncab,ocab->no", patch, w)
    if b is not None:
        y += b[None, :, None, None]
    return y


@pytest.mark.parametrize("stride,padding,dilation", [
    (1, 0, 1), (2, 1, 1), ((1, 2), (2, 0), 1), (1, 1, 2), (2, 2, (2, 1))])
def test_conv2d_matches_reference_and_gradcheck(stride, padding, dilation):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 2, 6, 5))
    w = rng.standard_normal((3, 2, 3, 2))
    b = rng.standard_normal(3)
    pr = lambda v: (v, v) if isinstance(v, int) else v  # noqa: E731
    y = F.conv2d(t64(x), t64(w), t64(b), stride, padding, dilation)
    ref = conv2d_reference(x, w, b, pr(stride), pr(padding), pr(dilation))
    np.testing.assert_allclose(y.data, ref, rtol=1e-10, atol=1e-12)
    fn = lambda x_, w_, b_: F.conv2d(x_, w_, b_, stride, padding, dilation)  # noqa: E731
    assert gradcheck(fn, [t64(x), t64(w), t64(b)])


def test_conv2d_second_order():
    assert gradgradcheck(lambda x_, w_: F.conv2d(x_, w_, None, 1, 1),
                         [rnd(1, 2, 4, 4), rnd(2, 2, 3, 3, seed=1)])


@settings(deadline=None, max_examples=40)
@given(i=st.integers(1, 12), k=st.integers(1, 5), s=st.integers(1, 4), p=st.integers(0, 3),
       d=st.integers(1, 3))
def test_conv2d_output_size_rule(i, k, s, p, d):
    x = Tensor(np.zeros((1, 1, i, i + 1)))
    w = Tensor(np.zeros((1, 1, k, k)))
    o_h = (i + 2 * p - d * (k - 1) - 1) // s + 1
    o_w = (i + 1 + 2 * p - d * (k - 1) - 1) // s + 1
    if o_h < 1:
        with pytest.raises(ValueError, match="larger than the padded input"):
            F.conv2d(x, w, stride=s, padding=p, dilation=d)
        return
    assert F.conv2d(x, w, stride=s, padding=p, dilation=d).shape == (1, 1, o_h, o_w)


@settings(deadline=None, max_examples=40)
@given(i=st.integers(1, 12), k=st.integers(1, 5), s=st.integers(1, 4), p=st.integers(0, 2))
def test_pool_output_size_rule(i, k, s, p):
    x = Tensor(np.zeros((1, 2, i, i + 2)))
    o_h = (i + 2 * p - (k - 1) - 1) // s + 1
    o_w = (i + 2 + 2 * p - (k - 1) - 1) // s + 1
    for fn in (F.max_pool2d, F.avg_pool2d):
        if 2 * p > k:
            with pytest.raises(ValueError, match="at most half"):
                fn(x, k, s, p)
        elif o_h < 1:
            with pytest.raises(ValueError, match="larger than the padded input"):
                fn(x, k, s, p)
        else:
            assert fn(x, k, s, p).shape == (1, 2, o_h, o_w)


@settings(deadline=None, max_examples=30)
@given(n=st.integers(1, 5), c=st.integers(2, 6), scale=st.sampled_from([1.0, 1e2, 1e4]),
       seed=st.integers(0, 10_000))
def test_softmax_family_stable_for_any_scale(n, c, scale, seed):
    rng = np.random.default_rng(seed)
    x = t64(rng.standard_normal((n, c)) * scale)
    y = rng.integers(0, c, n)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        p = F.softmax(x, 1).data
        lp = F.log_softmax(x, 1)
        ce = F.cross_entropy(x, y)
    np.testing.assert_allclose(p.sum(1), 1.0)
    assert np.all(np.isfinite(lp.data))
    np.testing.assert_allclose(ce.data, -lp.data[np.arange(n), y].mean(), rtol=1e-12)
    ce.backward()
    np.testing.assert_allclose(x.grad.data, (p - np.eye(c)[y]) / n, atol=1e-12)


@pytest.fixture
def kernel_spy(monkeypatch):
    """Replace the kernels behind conv2d/pools by counting wrappers."""
    from dlmath.nn.functional.conv import _kernels
    kernels = _kernels()
    calls = {}
    for name in ("conv2d_forward", "conv2d_backward_input", "conv2d_backward_weight",
                 "max_pool2d_forward", "avg_pool2d_forward"):
        real = getattr(kernels, name)

        def spy(*a, _real=real, _name=name, **k):
            calls[_name] = calls.get(_name, 0) + 1
            return _real(*a, **k)
        monkeypatch.setattr(kernels, name, spy)
    return calls


@pytest.mark.parametrize("kwargs,message", [
    (dict(stride=0), "stride must be positive"),
    (dict(stride=(1, -1)), "stride must be positive"),
    (dict(padding=-1), "padding must be non-negative"),
    (dict(dilation=0), "dilation must be positive"),
    (dict(padding="half"), "padding must be an int"),
    (dict(stride=1.5), "stride must be an int or a pair"),
])
def test_conv2d_bad_arguments(kernel_spy, kwargs, message):
    with pytest.raises(ValueError, match=message):
        F.conv2d(rnd(1, 2, 5, 5), rnd(3, 2, 3, 3), **kwargs)
    assert kernel_spy == {}


def test_conv2d_shape_errors_name_shapes_and_rule(kernel_spy):
    with pytest.raises(ValueError, match=r"input has 3 channels.*\(1, 3, 5, 5\).*expects 2.*"
                                         r"\(4, 2, 3, 3\)"):
        F.conv2d(rnd(1, 3, 5, 5), rnd(4, 2, 3, 3))
    with pytest.raises(ValueError, match=r"larger than the padded input.*2 \+ 2·1 = 4.*"
                                         r"effective kernel.*= 5"):
        F.conv2d(rnd(1, 1, 2, 8), rnd(1, 1, 5, 5), padding=1)
    with pytest.raises(ValueError, match=r"expected a 4-D input.*\(5, 5\)"):
        F.conv2d(rnd(5, 5), rnd(1, 1, 3, 3))
    with pytest.raises(ValueError, match="weight must be 4-D"):
        F.conv2d(rnd(1, 1, 5, 5), rnd(1, 3, 3))
    with pytest.raises(ValueError, match=r"bias must have shape \(4,\)"):
        F.conv2d(rnd(1, 2, 5, 5), rnd(4, 2, 3, 3), rnd(3))
    assert kernel_spy == {}


def test_conv2d_never_computes_unneeded_input_gradient(kernel_spy):
    x = rnd(2, 1, 6, 6, grad=False)                 # images: no gradient wanted
    w, b = rnd(3, 1, 3, 3, seed=1), rnd(3, seed=2)
    F.conv2d(x, w, b).sum().backward()
    assert kernel_spy.get("conv2d_backward_input", 0) == 0
    assert kernel_spy["conv2d_backward_weight"] == 1
    x.requires_grad_()
    w.requires_grad_(False)
    b.requires_grad_(False)
    F.conv2d(x, w, b).sum().backward()
    assert kernel_spy["conv2d_backward_input"] == 1
    assert kernel_spy["conv2d_backward_weight"] == 1


def test_conv2d_float32_unbatched_and_same_padding():
    x = Tensor(np.random.default_rng(0).standard_normal((2, 7, 7)).astype(np.float32))
    w = Tensor(np.random.default_rng(1).standard_normal((4, 2, 3, 3)).astype(np.float32))
    y = F.conv2d(x, w, padding="same")
    assert y.shape == (4, 7, 7) and y.dtype == np.float32
    with pytest.raises(TypeError, match="dtypes differ"):
        F.conv2d(x, Tensor(w.data.astype(np.float64)))


# ---- pooling -------------------------------------------------------------------------------
def distinct(*shape, seed=0):
    """Values with no ties (a random permutation, well separated relative to eps)."""
    n = int(np.prod(shape))
    return t64(np.random.default_rng(seed).permutation(n).reshape(shape) * 0.1)


def max_pool_reference(x, k, s, p):
    N, C, H, W = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)), constant_values=-np.inf)
    Ho, Wo = (H + 2 * p - k) // s + 1, (W + 2 * p - k) // s + 1
    y = np.empty((N, C, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            y[:, :, i, j] = xp[:, :, i * s:i * s + k, j * s:j * s + k].max(axis=(2, 3))
    return y


def avg_pool_reference(x, k, s, p):
    N, C, H, W = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    Ho, Wo = (H + 2 * p - k) // s + 1, (W + 2 * p - k) // s + 1
    y = np.empty((N, C, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            y[:, :, i, j] = xp[:, :, i * s:i * s + k, j * s:j * s + k].mean(axis=(2, 3))
    return y


@pytest.mark.parametrize("k,s,p", [(2, None, 0), (3, 1, 1), (3, 2, 1), (2, 1, 0)])
def test_max_pool2d_values_and_gradcheck(k, s, p):
    x = distinct(2, 2, 5, 6)
    y = F.max_pool2d(x, k, s, p)
    np.testing.assert_allclose(y.data, max_pool_reference(x.data, k, s or k, p))
    assert gradcheck(lambda v: F.max_pool2d(v, k, s, p), [x])


@pytest.mark.parametrize("k,s,p", [(2, None, 0), (3, 1, 1), (3, 2, 1)])
def test_avg_pool2d_values_and_gradcheck(k, s, p):
    x = rnd(2, 2, 5, 6)
    y = F.avg_pool2d(x, k, s, p)
    np.testing.assert_allclose(y.data, avg_pool_reference(x.data, k, s or k, p), rtol=1e-12)
    assert gradcheck(lambda v: F.avg_pool2d(v, k, s, p), [x])


def test_pool_second_order():
    assert gradgradcheck(lambda v: F.max_pool2d(v, 2, 1), [distinct(1, 1, 4, 4)])
    assert gradgradcheck(lambda v: F.avg_pool2d(v, 2, 1, 1), [rnd(1, 1, 3, 3)])


def test_max_pool2d_ties_send_the_whole_gradient_to_one_element():
    x = t64(np.ones((1, 1, 4, 4)))
    F.max_pool2d(x, 2).sum().backward()
    g = x.grad.data.reshape(2, 2, 2, 2).transpose(0, 2, 1, 3).reshape(4, 4)
    np.testing.assert_array_equal(g.sum(axis=1), np.ones(4))     # one element per window
    assert set(np.unique(x.grad.data)) == {0.0, 1.0}


def test_pool_float32_and_output_sizes():
    x = Tensor(np.random.default_rng(0).standard_normal((2, 3, 28, 28)).astype(np.float32))
    assert F.max_pool2d(x, 2).shape == (2, 3, 14, 14)
    assert F.max_pool2d(x, 3, 2, 1).shape == (2, 3, 14, 14)
    assert F.avg_pool2d(x, 5, 3).shape == (2, 3, 8, 8)
    assert F.max_pool2d(x, 2).dtype == np.float32 and F.avg_pool2d(x, 2).dtype == np.float32


@pytest.mark.parametrize("fn", [F.max_pool2d, F.avg_pool2d])
def test_pool_errors(kernel_spy, fn):
    x = rnd(1, 1, 4, 4)
    with pytest.raises(ValueError, match="at most half of the kernel size"):
        fn(x, 2, 2, 2)
    with pytest.raises(ValueError, match="stride must be positive"):
        fn(x, 2, 0)
    with pytest.raises(ValueError, match="kernel_size must be positive"):
        fn(x, 0)
    with pytest.raises(ValueError, match="larger than the padded input"):
        fn(x, 5)
    with pytest.raises(ValueError, match="expected a 4-D input"):
        fn(rnd(4, 4), 2)
    assert kernel_spy == {}
