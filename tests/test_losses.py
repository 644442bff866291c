"""Losses: values against hand-computed closed forms for every reduction, gradients against
finite differences, numerical stability at extreme inputs, and argument validation."""
import math

import numpy as np
import pytest

import dlmath.nn as nn
import dlmath.nn.functional as F
from dlmath.autograd import gradcheck, gradgradcheck
from dlmath.autograd.tensor import Tensor

REDUCTIONS = ["mean", "sum", "none"]


def t64(a, grad=True):
    return Tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


def reduce_np(per, reduction):
    return {"mean": np.mean, "sum": np.sum, "none": lambda v: v}[reduction](np.asarray(per))


# ---- regression ----------------------------------------------------------------------------
X = [0.5, -1.0, 2.0, 3.5]
Y = [1.0, 1.0, -0.5, 3.5]


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_mse_l1_closed_forms(reduction):
    # d = x − y = [−0.5, −2, 2.5, 0]
    mse = [0.25, 4.0, 6.25, 0.0]
    l1 = [0.5, 2.0, 2.5, 0.0]
    np.testing.assert_allclose(F.mse_loss(t64(X), t64(Y), reduction=reduction).data,
                               reduce_np(mse, reduction))
    np.testing.assert_allclose(F.l1_loss(t64(X), t64(Y), reduction=reduction).data,
                               reduce_np(l1, reduction))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_huber_closed_form(reduction):
    # δ = 1: |d| = [0.5, 2, 2.5, 0] → [½·0.25, 1·(2 − ½), 1·(2.5 − ½), 0]
    np.testing.assert_allclose(F.huber_loss(t64(X), t64(Y), reduction=reduction).data,
                               reduce_np([0.125, 1.5, 2.0, 0.0], reduction))
    # δ = 2: [0.125, 2·(2 − 1), 2·(2.5 − 1), 0]  (|d| = 2 is on the linear side: |d| < δ fails)
    np.testing.assert_allclose(
        F.huber_loss(t64(X), t64(Y), reduction=reduction, delta=2.0).data,
        reduce_np([0.125, 2.0, 3.0, 0.0], reduction))


def test_regression_gradchecks():
    x, y = t64([0.3, -1.2, 2.0, 0.7]), t64([1.0, 0.5, -0.5, 0.2])
    for fn in (F.mse_loss, F.l1_loss, F.huber_loss, F.smooth_l1_loss,
               lambda a, b: F.huber_loss(a, b, delta=0.5)):
        assert gradcheck(fn, [x, y])
    assert gradgradcheck(F.mse_loss, [x, y])


def test_regression_target_shape_mismatch_warns_like_pytorch():
    with pytest.warns(UserWarning, match="different to the input size"):
        F.mse_loss(t64(np.zeros((3, 1))), t64(np.zeros(3)))
    with pytest.raises(ValueError, match="cannot be broadcast"):
        F.mse_loss(t64(np.zeros(3)), t64(np.zeros(4)))


def test_regression_keeps_float32_with_float64_target():
    x = Tensor(np.ones(3, np.float32), requires_grad=True)
    loss = F.mse_loss(x, np.zeros(3))
    assert loss.dtype == np.float32


# ---- binary --------------------------------------------------------------------------------
P = [0.9, 0.2, 0.5, 0.999]
T = [1.0, 0.0, 1.0, 0.0]


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_closed_form(reduction):
    per = [-math.log(0.9), -math.log(0.8), -math.log(0.5), -math.log(0.001)]
    np.testing.assert_allclose(
        F.binary_cross_entropy(t64(P), t64(T), reduction=reduction).data,
        reduce_np(per, reduction), rtol=1e-12)
    w = np.array([1.0, 2.0, 0.5, 0.0])
    np.testing.assert_allclose(
        F.binary_cross_entropy(t64(P), t64(T), w, reduction=reduction).data,
        reduce_np(np.array(per) * w, reduction), rtol=1e-12)


def test_bce_clamps_log_at_minus_100_like_pytorch():
    x = t64([0.0, 1.0, 0.0, 1.0])
    y = t64([1.0, 0.0, 0.0, 1.0], grad=False)
    loss = F.binary_cross_entropy(x, y, reduction="none")
    np.testing.assert_array_equal(loss.data, [100.0, 100.0, 0.0, 0.0])
    loss.sum().backward()
    # PyTorch's gradient: (x − y) / max(x(1 − x), 1e-12)
    np.testing.assert_allclose(x.grad.data, [-1e12, 1e12, 0.0, 0.0])


def test_bce_gradcheck_and_validation():
    assert gradcheck(lambda x: F.binary_cross_entropy(x, t64(T, False)),
                     [t64([0.3, 0.6, 0.2, 0.8])])
    assert gradcheck(lambda x, y: F.binary_cross_entropy(x, y, reduction="sum"),
                     [t64([0.3, 0.6, 0.2, 0.8]), t64([0.1, 0.9, 0.5, 0.4])])
    with pytest.raises(ValueError, match="between 0 and 1"):
        F.binary_cross_entropy(t64([1.5]), t64([1.0]))
    with pytest.raises(ValueError, match="target size"):
        F.binary_cross_entropy(t64([0.5, 0.5]), t64([[1.0, 0.0]]))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_with_logits_closed_form(reduction):
    z = np.array([2.0, -1.0, 0.0, 4.0])
    sig = 1 / (1 + np.exp(-z))
    per = -(np.array(T) * np.log(sig) + (1 - np.array(T)) * np.log(1 - sig))
    np.testing.assert_allclose(
        F.binary_cross_entropy_with_logits(t64(z), t64(T), reduction=reduction).data,
        reduce_np(per, reduction), rtol=1e-12)
    pw = np.array([3.0, 1.0, 2.0, 1.0])
    per_pw = -(pw * np.array(T) * np.log(sig) + (1 - np.array(T)) * np.log(1 - sig))
    np.testing.assert_allclose(
        F.binary_cross_entropy_with_logits(t64(z), t64(T), reduction=reduction,
                                           pos_weight=pw).data,
        reduce_np(per_pw, reduction), rtol=1e-12)


def test_bce_with_logits_extremes_and_gradients():
    z = t64([1000.0, -1000.0, 1000.0, -1000.0])
    y = t64([1.0, 0.0, 0.0, 1.0], grad=False)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        loss = F.binary_cross_entropy_with_logits(z, y, reduction="none")
    np.testing.assert_array_equal(loss.data, [0.0, 0.0, 1000.0, 1000.0])
    loss.sum().backward()
    np.testing.assert_array_equal(z.grad.data, [0.0, 0.0, 1.0, -1.0])     # σ(z) − y
    zz, yy = t64([0.3, -2.0, 1.5]), t64([0.2, 1.0, 0.0])
    assert gradcheck(F.binary_cross_entropy_with_logits, [zz, yy])
    assert gradcheck(lambda a, b: F.binary_cross_entropy_with_logits(
        a, b, t64([1.0, 2.0, 0.5], False), pos_weight=t64([2.0, 0.5, 3.0], False)), [zz, yy])
    assert gradgradcheck(F.binary_cross_entropy_with_logits, [zz, yy])
    assert gradgradcheck(lambda a, b: F.binary_cross_entropy_with_logits(
        a, b, t64([1.0, 2.0, 0.5], False), pos_weight=t64([2.0, 0.5, 3.0], False)), [zz, yy])


def test_bce_with_logits_keeps_tiny_losses_and_gradients():
    """For y = 0, x ≪ 0 the loss is softplus(x) ≈ eˣ; (1 − y)·x + softplus(−x) would cancel
    to 0. For y = 1, x ≫ 0 the gradient is −σ(−x) ≈ −e^(−x); σ(x) − 1 would round to 0."""
    z = t64([-40.0, 40.0, -40.0, 40.0])
    y = t64([0.0, 1.0, 0.0, 1.0], grad=False)
    loss = F.binary_cross_entropy_with_logits(z, y, reduction="none",
                                              pos_weight=t64([1.0, 1.0, 2.0, 2.0], False))
    tiny = np.log1p(np.exp(-40.0))
    np.testing.assert_allclose(loss.data, [tiny, tiny, tiny, 2 * tiny], rtol=1e-15)
    loss.sum().backward()
    s = np.exp(-40.0) / (1 + np.exp(-40.0))
    np.testing.assert_allclose(z.grad.data, [s, -s, s, -2 * s], rtol=1e-15)


def test_cross_entropy_keeps_a_confident_rows_tiny_loss_and_gradient():
    x = t64([[0.0, -50.0, -60.0]])
    tiny = np.exp(-50.0) + np.exp(-60.0)
    for target, kw in ((np.array([0]), {}), (np.array([0]), {"weight": np.ones(3)}),
                       (np.array([[1.0, 0.0, 0.0]]), {})):        # fused, weighted, probs
        x.grad = None
        loss = F.cross_entropy(x, target, **kw)
        np.testing.assert_allclose(loss.data, tiny, rtol=1e-15)               # not 0
        loss.backward()
        np.testing.assert_allclose(x.grad.data[0, 0], -tiny, rtol=1e-15)     # softmax − 1


# ---- cross-entropy / NLL -------------------------------------------------------------------
LOGITS = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0], [0.0, 0.0, 0.0], [1.0, -1.0, 3.0]])
LABELS = np.array([0, 1, 2, 0])


def log_softmax_np(z):
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_and_nll_closed_forms(reduction):
    per = -log_softmax_np(LOGITS)[np.arange(4), LABELS]
    np.testing.assert_allclose(F.cross_entropy(t64(LOGITS), LABELS, reduction=reduction).data,
                               reduce_np(per, reduction), rtol=1e-12)
    np.testing.assert_allclose(
        F.nll_loss(t64(log_softmax_np(LOGITS)), LABELS, reduction=reduction).data,
        reduce_np(per, reduction), rtol=1e-12)
    # the uniform row: −log(1/3)
    assert math.isclose(per[2], math.log(3))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_class_weights_weighted_mean(reduction):
    w = np.array([1.0, 2.0, 0.5])
    per = -log_softmax_np(LOGITS)[np.arange(4), LABELS] * w[LABELS]
    expected = per.sum() / w[LABELS].sum() if reduction == "mean" else reduce_np(per, reduction)
    np.testing.assert_allclose(F.cross_entropy(t64(LOGITS), LABELS, w,
                                               reduction=reduction).data, expected, rtol=1e-12)
    np.testing.assert_allclose(F.nll_loss(t64(log_softmax_np(LOGITS)), LABELS, w,
                                          reduction=reduction).data, expected, rtol=1e-12)


def test_cross_entropy_label_smoothing_and_ignore_index():
    eps, C = 0.1, 3
    lp = log_softmax_np(LOGITS)
    q = np.full((4, 3), eps / C)
    q[np.arange(4), LABELS] += 1 - eps
    per = -(q * lp).sum(1)
    np.testing.assert_allclose(
        F.cross_entropy(t64(LOGITS), LABELS, label_smoothing=eps).data, per.mean(), rtol=1e-12)
    labels = np.array([0, -100, 2, 0])
    keep = labels != -100
    expected = -lp[np.arange(4)[keep], labels[keep]].mean()
    np.testing.assert_allclose(F.cross_entropy(t64(LOGITS), labels).data, expected, rtol=1e-12)
    # an ignore_index that is a real class index: those rows are skipped too
    keep = LABELS != 0
    np.testing.assert_allclose(F.cross_entropy(t64(LOGITS), LABELS, ignore_index=0).data,
                               -lp[np.arange(4)[keep], LABELS[keep]].mean(), rtol=1e-12)
    x = t64(LOGITS)
    F.cross_entropy(x, labels).backward()
    np.testing.assert_array_equal(x.grad.data[1], 0.0)          # ignored row: no gradient


def test_cross_entropy_gradient_is_softmax_minus_onehot():
    x = t64(LOGITS)
    F.cross_entropy(x, LABELS, reduction="sum").backward()
    onehot = np.eye(3)[LABELS]
    np.testing.assert_allclose(x.grad.data, np.exp(log_softmax_np(LOGITS)) - onehot, rtol=1e-12)


@pytest.mark.parametrize("kwargs", [
    {}, {"reduction": "sum"}, {"reduction": "none"}, {"weight": np.array([1.0, 2.0, 0.5])},
    {"label_smoothing": 0.2}, {"weight": np.array([1.0, 2.0, 0.5]), "label_smoothing": 0.3},
    {"ignore_index": 1}])
def test_cross_entropy_gradcheck(kwargs):
    assert gradcheck(lambda x: F.cross_entropy(x, LABELS, **kwargs), [t64(LOGITS * 0.5)])


def test_cross_entropy_gradgradcheck():
    for reduction in REDUCTIONS:
        assert gradgradcheck(lambda x: F.cross_entropy(x, LABELS[:3], reduction=reduction),
                             [t64(LOGITS[:3])])
    assert gradgradcheck(lambda x: F.cross_entropy(x, LABELS[:2], label_smoothing=0.1),
                         [t64(LOGITS[:2])])
    assert gradgradcheck(lambda x: F.nll_loss(x, LABELS[:2]), [t64(LOGITS[:2])])


def test_cross_entropy_spatial_unbatched_and_probability_targets():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 2, 2))
    y = rng.integers(0, 3, (2, 2, 2))
    flat_x = x.transpose(0, 2, 3, 1).reshape(-1, 3)
    per = -log_softmax_np(flat_x)[np.arange(8), y.reshape(-1)]
    out = F.cross_entropy(t64(x), y, reduction="none")
    assert out.shape == (2, 2, 2)
    np.testing.assert_allclose(out.data.reshape(-1), per, rtol=1e-12)
    assert gradcheck(lambda v: F.cross_entropy(v, y), [t64(x)])
    # unbatched: input (C,), target a scalar index
    np.testing.assert_allclose(F.cross_entropy(t64(LOGITS[0]), np.array(1)).data,
                               -log_softmax_np(LOGITS[:1])[0, 1], rtol=1e-12)
    # probabilities as targets (the input's shape)
    probs = np.array([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]])
    expected = -(probs * log_softmax_np(LOGITS[:2])).sum(1).mean()
    np.testing.assert_allclose(F.cross_entropy(t64(LOGITS[:2]), probs).data, expected,
                               rtol=1e-12)
    # dlmath's float tensors holding integers work as class indices
    np.testing.assert_allclose(F.cross_entropy(t64(LOGITS), Tensor(LABELS.astype(float))).data,
                               F.cross_entropy(t64(LOGITS), LABELS).data)


def test_cross_entropy_extreme_logits_are_finite_and_correct():
    x = t64([[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        loss = F.cross_entropy(x, np.array([1, 0]), reduction="none")
    np.testing.assert_allclose(loss.data, [2e4, 2e4 + math.log(2)])
    loss.sum().backward()
    np.testing.assert_allclose(x.grad.data, [[1, -1, 0], [-1, 0.5, 0.5]], atol=1e-12)
    x.grad = None
    F.cross_entropy(x, np.array([0, 1])).backward()
    np.testing.assert_allclose(x.grad.data, [[0, 0, 0], [0, -0.25, 0.25]], atol=1e-12)


def test_cross_entropy_target_errors():
    with pytest.raises(IndexError, match="Target 3 is out of bounds"):
        F.cross_entropy(t64(LOGITS), np.array([0, 1, 3, 0]))
    with pytest.raises(ValueError, match=r"target of shape \(3,\) does not fit input of shape "
                                         r"\(4, 3\)"):
        F.cross_entropy(t64(LOGITS), np.array([0, 1, 2]))
    with pytest.raises(ValueError, match="must be integers"):
        F.cross_entropy(t64(LOGITS), np.array([0.5, 1, 2, 0]))
    with pytest.raises(ValueError, match="label_smoothing"):
        F.cross_entropy(t64(LOGITS), LABELS, label_smoothing=1.5)
    with pytest.raises(ValueError, match=r"weight must have one entry per class, shape \(3,\)"):
        F.cross_entropy(t64(LOGITS), LABELS, np.ones(4))


# ---- margins, KL ---------------------------------------------------------------------------
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_multi_margin_closed_form(reduction):
    x = np.array([[0.1, 0.2, 0.4, 0.8], [1.0, -1.0, 0.5, 0.0]])
    y = np.array([3, 0])
    # row 0: Σ_{j≠3} max(0, 1 − 0.8 + x_j) / 4 = (0.3 + 0.4 + 0.6) / 4
    # row 1: Σ_{j≠0} max(0, 1 − 1 + x_j) / 4 = (0 + 0.5 + 0) / 4
    per = np.array([1.3 / 4, 0.5 / 4])
    np.testing.assert_allclose(F.multi_margin_loss(t64(x), y, reduction=reduction).data,
                               reduce_np(per, reduction), rtol=1e-12)
    per2 = np.array([(0.09 + 0.16 + 0.36) / 4, 0.25 / 4])
    np.testing.assert_allclose(F.multi_margin_loss(t64(x), y, p=2, reduction=reduction).data,
                               reduce_np(per2, reduction), rtol=1e-12)
    w = np.array([2.0, 1.0, 1.0, 0.5])
    np.testing.assert_allclose(
        F.multi_margin_loss(t64(x), y, weight=w, reduction=reduction).data,
        reduce_np(per * np.array([0.5, 2.0]), reduction), rtol=1e-12)
    jitter = np.array([[0.013, 0.021, -0.017, 0.005], [0.011, -0.019, 0.023, 0.031]])
    assert gradcheck(lambda v: F.multi_margin_loss(v, y), [t64(x + jitter)])
    assert gradcheck(lambda v: F.multi_margin_loss(v, y, p=2), [t64(x + jitter)])


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_hinge_embedding_closed_form(reduction):
    x = np.array([0.3, 2.0, 0.4, 1.5])
    y = np.array([1, 1, -1, -1])
    per = [0.3, 2.0, 0.6, 0.0]
    np.testing.assert_allclose(F.hinge_embedding_loss(t64(x), y, reduction=reduction).data,
                               reduce_np(per, reduction), rtol=1e-12)
    assert gradcheck(lambda v: F.hinge_embedding_loss(v, y, margin=0.8), [t64(x)])


def test_kl_div_conventions():
    p = np.array([[0.2, 0.3, 0.5], [0.0, 0.5, 0.5]])          # target probabilities
    q = np.array([[0.3, 0.3, 0.4], [0.25, 0.25, 0.5]])
    log_q = t64(np.log(q))
    kl_rows = np.array([0.2 * math.log(0.2 / 0.3) + 0.5 * math.log(0.5 / 0.4),
                        0.5 * math.log(0.5 / 0.25)])           # 0·log 0 = 0
    np.testing.assert_allclose(F.kl_div(log_q, p, reduction="batchmean").data,
                               kl_rows.mean(), rtol=1e-12)
    np.testing.assert_allclose(F.kl_div(log_q, p, reduction="sum").data, kl_rows.sum(),
                               rtol=1e-12)
    np.testing.assert_allclose(F.kl_div(log_q, p, reduction="mean").data,   # ÷ all 6 elements
                               kl_rows.sum() / 6, rtol=1e-12)
    none = F.kl_div(log_q, p, reduction="none").data
    np.testing.assert_allclose(none.sum(1), kl_rows, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(
        F.kl_div(log_q, np.log(np.maximum(p, 1e-300)), reduction="batchmean",
                 log_target=True).data, kl_rows.mean(), rtol=1e-9)
    assert gradcheck(lambda v: F.kl_div(v, p, reduction="batchmean"), [log_q])
    with pytest.raises(ValueError, match="'batchmean'"):
        F.kl_div(log_q, p, reduction="avg")


# ---- reductions validated everywhere -------------------------------------------------------
@pytest.mark.parametrize("call", [
    lambda r: F.mse_loss(t64(X), t64(Y), reduction=r),
    lambda r: F.l1_loss(t64(X), t64(Y), reduction=r),
    lambda r: F.huber_loss(t64(X), t64(Y), reduction=r),
    lambda r: F.smooth_l1_loss(t64(X), t64(Y), reduction=r),
    lambda r: F.binary_cross_entropy(t64(P), t64(T), reduction=r),
    lambda r: F.binary_cross_entropy_with_logits(t64(X), t64(T), reduction=r),
    lambda r: F.cross_entropy(t64(LOGITS), LABELS, reduction=r),
    lambda r: F.nll_loss(t64(LOGITS), LABELS, reduction=r),
    lambda r: F.multi_margin_loss(t64(LOGITS), LABELS, reduction=r),
    lambda r: F.hinge_embedding_loss(t64(X), np.ones(4), reduction=r),
    lambda r: nn.CrossEntropyLoss(reduction=r),
    lambda r: nn.MSELoss(reduction=r),
])
def test_bad_reduction_is_a_clear_value_error(call):
    with pytest.raises(ValueError, match=r"reduction must be one of 'mean', 'sum'.*got 'avg'"):
        call("avg")


def test_loss_modules_match_functionals():
    x, y = t64(LOGITS), LABELS
    w = np.array([1.0, 2.0, 0.5])
    assert nn.CrossEntropyLoss()(x, y).item() == F.cross_entropy(x, y).item()
    assert nn.CrossEntropyLoss(w, label_smoothing=0.1)(x, y).item() == \
        F.cross_entropy(x, y, w, label_smoothing=0.1).item()
    assert nn.NLLLoss(reduction="sum")(x, y).item() == F.nll_loss(x, y, reduction="sum").item()
    assert nn.MSELoss()(t64(X), t64(Y)).item() == F.mse_loss(t64(X), t64(Y)).item()
    assert nn.L1Loss()(t64(X), t64(Y)).item() == F.l1_loss(t64(X), t64(Y)).item()
    assert nn.HuberLoss(delta=0.5)(t64(X), t64(Y)).item() == \
        F.huber_loss(t64(X), t64(Y), delta=0.5).item()
    assert nn.BCELoss()(t64(P), t64(T)).item() == F.binary_cross_entropy(t64(P), t64(T)).item()
    assert nn.BCEWithLogitsLoss(pos_weight=t64([2.0] * 4, False))(t64(X), t64(T)).item() == \
        F.binary_cross_entropy_with_logits(t64(X), t64(T), pos_weight=t64([2.0] * 4)).item()
    assert repr(nn.CrossEntropyLoss()) == "CrossEntropyLoss()"


# ---- against PyTorch, when it is installed -------------------------------------------------
def test_against_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)

    def both(fn_dl, fn_t, *arrays, grad_mask=None):
        ins = [t64(a, grad_mask is None or grad_mask[i]) for i, a in enumerate(arrays)]
        tins = [torch.tensor(a, requires_grad=bool(grad_mask is None or grad_mask[i]))
                for i, a in enumerate(arrays)]
        out, tout = fn_dl(*ins), fn_t(*tins)
        np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-9, atol=1e-12)
        w = rng.standard_normal(out.shape)
        (out * t64(w, False)).sum().backward()
        (tout * torch.tensor(w)).sum().backward()
        for a, ta in zip(ins, tins):
            if a.requires_grad:
                np.testing.assert_allclose(a.grad.data, ta.grad.numpy(), rtol=1e-8, atol=1e-10)

    x = rng.standard_normal((4, 5)) * 3
    tF = torch.nn.functional
    both(lambda v: F.gelu(v), lambda v: tF.gelu(v), x)
    both(lambda v: F.gelu(v, approximate="tanh"), lambda v: tF.gelu(v, approximate="tanh"), x)
    both(lambda v: F.leaky_relu(v, 0.1), lambda v: tF.leaky_relu(v, 0.1), x)
    both(lambda v: F.softmax(v, 0), lambda v: tF.softmax(v, 0), x)
    both(lambda v: F.log_softmax(v, 1), lambda v: tF.log_softmax(v, 1), x * 1e3)
    y = np.array([0, 4, 2, 1])
    w = np.array([0.5, 1.0, 2.0, 1.0, 0.3])
    for kw in ({}, {"reduction": "none"}, {"reduction": "sum"}, {"ignore_index": 2}):
        both(lambda v: F.cross_entropy(v, y, **kw),
             lambda v: tF.cross_entropy(v, torch.tensor(y), **kw), x)
    for kw in ({}, {"reduction": "none"}, {"label_smoothing": 0.2}, {"ignore_index": 2}):
        both(lambda v: F.cross_entropy(v, y, w, **kw),
             lambda v: tF.cross_entropy(v, torch.tensor(y), torch.tensor(w), **kw), x)
    both(lambda v: F.nll_loss(v, y, w), lambda v: tF.nll_loss(v, torch.tensor(y),
                                                                torch.tensor(w)), x)
    p = rng.random((4, 5))
    tgt = (rng.random((4, 5)) > 0.5).astype(float)
    both(F.binary_cross_entropy, tF.binary_cross_entropy, p, tgt, grad_mask=[True, False])
    both(lambda a, b: F.binary_cross_entropy_with_logits(a, b, pos_weight=t64(w, False)),
         lambda a, b: tF.binary_cross_entropy_with_logits(a, b, pos_weight=torch.tensor(w)),
         x, tgt)
    both(lambda a, b: F.huber_loss(a, b, delta=0.7), lambda a, b: tF.huber_loss(a, b, delta=0.7),
         x, p)
    both(lambda a: F.multi_margin_loss(a, y, p=2, margin=0.5, weight=w),
         lambda a: tF.multi_margin_loss(a, torch.tensor(y), p=2, margin=0.5,
                                        weight=torch.tensor(w)), x)
    lq = np.log(rng.dirichlet(np.ones(5), 4))
    both(lambda a: F.kl_div(a, p, reduction="batchmean"),
         lambda a: tF.kl_div(a, torch.tensor(p), reduction="batchmean"), lq)
    # batch norm (train): values, gradients and running statistics
    xb = rng.standard_normal((6, 3, 2, 2))
    rm, rv = np.zeros(3), np.ones(3)
    trm, trv = torch.zeros(3, dtype=torch.float64), torch.ones(3, dtype=torch.float64)
    both(lambda a, g, b: F.batch_norm(a, Tensor(rm), Tensor(rv), g, b, True, 0.1, 1e-5),
         lambda a, g, b: tF.batch_norm(a, trm, trv, g, b, True, 0.1, 1e-5),
         xb, rng.standard_normal(3), rng.standard_normal(3))
    np.testing.assert_allclose(rm, trm.numpy(), rtol=1e-12)
    np.testing.assert_allclose(rv, trv.numpy(), rtol=1e-12)
    # conv and pools
    xc = rng.standard_normal((2, 3, 7, 6))
    wc = rng.standard_normal((4, 3, 3, 2))
    bc = rng.standard_normal(4)
    both(lambda a, k, b: F.conv2d(a, k, b, (2, 1), (1, 0), (1, 2)),
         lambda a, k, b: tF.conv2d(a, k, b, (2, 1), (1, 0), (1, 2)), xc, wc, bc)
    both(lambda a: F.max_pool2d(a, 3, 2, 1), lambda a: tF.max_pool2d(a, 3, 2, 1), xc)
    both(lambda a: F.avg_pool2d(a, 3, 2, 1), lambda a: tF.avg_pool2d(a, 3, 2, 1), xc)


# ---- Gaussian negative log-likelihood -------------------------------------------------------
MU, YG, VAR = [0.0, 1.0, 2.0], [1.0, 1.0, 0.0], [1.0, 4.0, 0.5]


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_gaussian_nll_closed_form(reduction):
    # d = μ − y = [−1, 0, 2]: ℓ = ½(log v + d²/v) = [½(0 + 1), ½ log 4, ½(log ½ + 8)]
    per = [0.5, 0.5 * math.log(4.0), 0.5 * (math.log(0.5) + 8.0)]
    got = F.gaussian_nll_loss(t64(MU), t64(YG), t64(VAR), reduction=reduction)
    np.testing.assert_allclose(got.data, reduce_np(per, reduction), rtol=1e-15)
    full = F.gaussian_nll_loss(t64(MU), t64(YG), t64(VAR), full=True, reduction=reduction)
    np.testing.assert_allclose(full.data, reduce_np(np.add(per, 0.5 * math.log(2 * math.pi)),
                                                    reduction), rtol=1e-15)


def test_gaussian_nll_is_the_gaussian_log_density():
    """full=True is exactly −log N(y; μ, v), summed: against the density written out."""
    rng = np.random.default_rng(3)
    mu, y, v = rng.standard_normal(20), rng.standard_normal(20), rng.uniform(0.1, 5, 20)
    density = np.exp(-(y - mu) ** 2 / (2 * v)) / np.sqrt(2 * np.pi * v)
    got = F.gaussian_nll_loss(t64(mu), t64(y), t64(v), full=True, reduction="sum").item()
    assert abs(got - -np.log(density).sum()) < 1e-12 * abs(got)


def test_gaussian_nll_variance_shapes():
    """One variance per element, per sample ((N, 1) or (N,)), or one number: the same losses."""
    rng = np.random.default_rng(4)
    mu, y = rng.standard_normal((5, 3)), rng.standard_normal((5, 3))
    per_sample = rng.uniform(0.5, 2.0, 5)
    expect = F.gaussian_nll_loss(t64(mu), t64(y), t64(np.repeat(per_sample[:, None], 3, 1)),
                                 reduction="none").data
    for v in (per_sample, per_sample[:, None]):
        got = F.gaussian_nll_loss(t64(mu), t64(y), t64(v), reduction="none")
        assert got.shape == (5, 3) and np.array_equal(got.data, expect)
    homo = F.gaussian_nll_loss(t64(mu), t64(y), 0.7, reduction="none").data
    assert np.array_equal(homo, F.gaussian_nll_loss(t64(mu), t64(y), t64(np.full((5, 3), 0.7)),
                                                    reduction="none").data)
    row_target = F.gaussian_nll_loss(t64(mu), t64(y[:1]), 0.7, reduction="none").data
    assert np.array_equal(row_target, F.gaussian_nll_loss(t64(mu), t64(np.repeat(y[:1], 5, 0)),
                                                          0.7, reduction="none").data)


def test_gaussian_nll_gradients():
    rng = np.random.default_rng(5)
    mu, y, v = t64(rng.standard_normal((3, 2))), t64(rng.standard_normal((3, 2))), \
        t64(rng.uniform(0.3, 2.0, (3, 2)))
    for reduction in REDUCTIONS:
        assert gradcheck(lambda a, b, c: F.gaussian_nll_loss(a, b, c, reduction=reduction),
                         [mu, y, v])
    assert gradcheck(lambda a, c: F.gaussian_nll_loss(a, y, c, full=True), [mu, t64(v.data[:, 0])])
    assert gradgradcheck(lambda a, b, c: F.gaussian_nll_loss(a, b, c), [mu, y, v])
    # the closed forms: ∂ℓ/∂μ = d/v, ∂ℓ/∂v = ½(1/v − d²/v²), per element (reduction 'sum')
    m, t, w = (t64(a.data.copy()) for a in (mu, y, v))
    F.gaussian_nll_loss(m, t, w, reduction="sum").backward()
    d = m.data - t.data
    np.testing.assert_allclose(m.grad.data, d / w.data, rtol=1e-14)
    np.testing.assert_allclose(t.grad.data, -d / w.data, rtol=1e-14)
    np.testing.assert_allclose(w.grad.data, 0.5 * (1 / w.data - d ** 2 / w.data ** 2),
                               rtol=1e-13, atol=1e-15)


def test_gaussian_nll_clamp_is_invisible_to_the_gradient():
    """v < eps is used as eps in the value, but the gradient flows to v as if unclamped (PyTorch):
    a variance collapsing to 0 is still pushed back up."""
    eps = 1e-3
    mu, y, v = t64([0.5, 0.0]), t64([0.0, 0.0]), t64([0.0, 1e-4])
    out = F.gaussian_nll_loss(mu, y, v, eps=eps, reduction="sum")
    assert abs(out.item() - (0.5 * (math.log(eps) + 0.25 / eps) + 0.5 * math.log(eps))) < 1e-12
    out.backward()
    np.testing.assert_allclose(v.grad.data, [0.5 * (1 / eps - 0.25 / eps ** 2), 0.5 / eps],
                               rtol=1e-12)
    assert v.grad.data[0] < 0                   # the loss falls as the (too small) variance grows


def test_gaussian_nll_relative_precision_against_mpmath():
    """Each ℓ within a few ulps of the 50-digit value, relative to the size of its two terms
    (½ log v and ½ d²/v may cancel; no formula can beat that condition number)."""
    mpmath = pytest.importorskip("mpmath")
    mpmath.mp.dps = 50
    rng = np.random.default_rng(6)
    mu = rng.standard_normal(400) * 10.0 ** rng.uniform(-10, 10, 400)
    y = rng.standard_normal(400)
    v = 10.0 ** rng.uniform(-6, 12, 400)
    got = F.gaussian_nll_loss(t64(mu), t64(y), t64(v), reduction="none").data
    for g, a, b, c in zip(got, mu, y, v):
        a, b, c = mpmath.mpf(a), mpmath.mpf(b), mpmath.mpf(c)
        t1, t2 = mpmath.log(c) / 2, (a - b) ** 2 / c / 2
        assert abs(mpmath.mpf(g) - (t1 + t2)) <= 4e-16 * (abs(t1) + abs(t2)) + 1e-300


def test_gaussian_nll_float32_and_module():
    x32 = Tensor(np.array(MU, dtype=np.float32), requires_grad=True)
    out = F.gaussian_nll_loss(x32, np.array(YG), np.array(VAR))
    assert out.data.dtype == np.float32
    loss = nn.GaussianNLLLoss(full=True, eps=1e-4, reduction="sum")
    assert loss(t64(MU), t64(YG), t64(VAR)).item() == \
        F.gaussian_nll_loss(t64(MU), t64(YG), t64(VAR), full=True, eps=1e-4,
                            reduction="sum").item()
    assert repr(nn.GaussianNLLLoss()) == "GaussianNLLLoss()"


@pytest.mark.parametrize("kwargs, match", [
    ({"var": [1.0, -0.5, 1.0]}, "var has negative"),
    ({"var": [1.0, np.nan, 1.0]}, "var has negative"),
    ({"var": -1.0}, "var has negative"),
    ({"var": [1.0, 2.0]}, r"var of shape \(2,\) does not fit the input shape \(3,\)"),
    ({"target": [1.0, 2.0]}, r"target shape \(2,\) does not broadcast"),
    ({"eps": 0.0}, "eps must be positive"),
    ({"reduction": "avg"}, "reduction must be one of"),
])
def test_gaussian_nll_bad_input(kwargs, match):
    args = {"target": YG, "var": VAR, **kwargs}
    with pytest.raises(ValueError, match=match):
        F.gaussian_nll_loss(t64(MU), args.pop("target"), args.pop("var"), **args)


def test_gaussian_nll_against_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(7)
    mu, y = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    for v, kw in ((rng.uniform(0.2, 2, (4, 3)), {}), (rng.uniform(0.2, 2, (4, 1)), {"full": True}),
                  (rng.uniform(0.2, 2, 4), {"reduction": "sum"}),
                  (np.array([[0.0, 1e-8, 1.0]] * 4), {"eps": 1e-3, "reduction": "none"})):
        a, b, c = t64(mu), t64(y), t64(v)
        ta, tb, tc = (torch.tensor(z, requires_grad=True) for z in (mu, y, v))
        out = F.gaussian_nll_loss(a, b, c, **kw)
        tout = torch.nn.functional.gaussian_nll_loss(ta, tb, tc, **kw)
        np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-12)
        w = rng.standard_normal(out.shape)
        (out * t64(w, False)).sum().backward()
        (tout * torch.tensor(w)).sum().backward()
        for mine, theirs in ((a, ta), (b, tb), (c, tc)):
            np.testing.assert_allclose(mine.grad.data, theirs.grad.numpy(), rtol=1e-10, atol=1e-12)
