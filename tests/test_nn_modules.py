"""dlmath.nn modules: registration and traversal, modes, dtype, state dicts, repr, the layers'
shapes and default initialisation, and dlmath.nn.init statistics."""
import math
from collections import OrderedDict

import numpy as np
import pytest

import dlmath
import dlmath.nn as nn
import dlmath.nn.functional as F
from dlmath.autograd import gradcheck
from dlmath.autograd.tensor import Tensor


class TwoLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.act = nn.ReLU()
        self.drop = nn.Dropout(0.5)
        self.fc2 = nn.Linear(8, 3, bias=False)
        self.scale = nn.Parameter(np.ones(1, dtype=np.float32))
        self.register_buffer("steps", Tensor(np.zeros((), dtype=np.int64)))
        self.not_a_param = Tensor(np.zeros(2))         # plain attribute: not registered

    def forward(self, x):
        return self.fc2(self.drop(self.act(self.fc1(x)))) * self.scale


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


# ---- registration --------------------------------------------------------------------------
def test_parameter_is_a_tensor_that_requires_grad():
    p = nn.Parameter(np.zeros((2, 3), dtype=np.float32))
    assert isinstance(p, Tensor) and p.requires_grad and p.is_leaf and p.dtype == np.float32
    t = Tensor(np.ones(3))
    assert nn.Parameter(t).data is t.data                            # shares memory
    assert repr(p).startswith("Parameter containing:\ntensor(")
    assert type(p * 2) is Tensor                                      # ops give plain Tensors
    assert not nn.Parameter(np.ones(2), requires_grad=False).requires_grad


def test_named_parameters_children_modules_and_counts():
    m = TwoLayer()
    names = [n for n, _ in m.named_parameters()]
    assert names == ["scale", "fc1.weight", "fc1.bias", "fc2.weight"]
    assert sum(p.numel() for p in m.parameters()) == 4 * 8 + 8 + 8 * 3 + 1
    assert [type(c).__name__ for c in m.children()] == ["Linear", "ReLU", "Dropout", "Linear"]
    assert [n for n, _ in m.named_modules()] == ["", "fc1", "act", "drop", "fc2"]
    assert [n for n, _ in m.named_buffers()] == ["steps"]
    assert m.fc2.bias is None
    assert sum(p.numel() for p in lenet().parameters()) == 61706      # LeNet-5's famous count


def test_shared_parameters_are_listed_once_and_reassignment_updates_registry():
    shared = nn.Linear(2, 2)
    seq = nn.Sequential(shared, nn.ReLU(), shared)
    assert len(list(seq.parameters())) == 2
    m = TwoLayer()
    m.fc1 = nn.Linear(4, 5)
    assert m.fc1.out_features == 5 and m._modules["fc1"] is m.fc1
    del m.drop
    assert "drop" not in m._modules
    with pytest.raises(TypeError, match="cannot assign 'Tensor' as parameter 'scale'"):
        m.scale = Tensor(np.ones(1))
    m.scale = None
    assert "scale" not in dict(m.named_parameters())


def test_assigning_before_init_is_a_clear_error():
    class Broken(nn.Module):
        def __init__(self):
            self.fc = nn.Linear(2, 2)

    with pytest.raises(AttributeError, match=r"before Module.__init__\(\) call"):
        Broken()


def test_forward_is_required():
    with pytest.raises(NotImplementedError, match="forward"):
        nn.Module()(1)


# ---- modes, grads, dtype, apply ------------------------------------------------------------
def test_train_eval_reaches_dropout_and_batchnorm():
    m = nn.Sequential(nn.Linear(3, 3), nn.Dropout(0.5), nn.Sequential(nn.BatchNorm1d(3)))
    assert m.training and m[1].training and m[2][0].training
    assert m.eval() is m
    assert not any(sub.training for sub in m.modules())
    x = Tensor(np.random.default_rng(0).standard_normal((32, 3)).astype(np.float32))
    np.testing.assert_array_equal(m(x).data, m(x).data)        # eval is deterministic
    before = m[2][0].running_mean.data.copy()
    m(x)
    np.testing.assert_array_equal(m[2][0].running_mean.data, before)
    m.train()
    assert all(sub.training for sub in m.modules())
    m(x)
    assert not np.array_equal(m[2][0].running_mean.data, before)
    assert int(m[2][0].num_batches_tracked.item()) == 1


def test_zero_grad_and_requires_grad_():
    m = TwoLayer()
    m.eval()
    m(Tensor(np.ones((2, 4), np.float32))).sum().backward()
    assert all(p.grad is not None for p in m.parameters())
    m.zero_grad(set_to_none=False)
    assert all(np.all(p.grad.data == 0) for p in m.parameters())
    m.zero_grad()
    assert all(p.grad is None for p in m.parameters())
    m.requires_grad_(False)
    assert not any(p.requires_grad for p in m.parameters())


def test_dtype_conversion_in_place():
    m = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2))
    params = list(m.parameters())
    assert all(p.dtype == np.float32 for p in params)
    assert m.double() is m
    assert all(p.dtype == np.float64 for p in m.parameters())
    assert list(m.parameters())[0] is params[0]                       # same objects
    assert m[1].running_var.dtype == np.float64
    assert m[1].num_batches_tracked.dtype == np.int64                 # integers untouched
    m.to(np.float32)
    assert all(p.dtype == np.float32 for p in m.parameters())
    m.to(dtype=dlmath.float64).float()
    assert m[0].weight.dtype == np.float32
    with pytest.raises(TypeError, match="floating point"):
        m.to(np.int32)
    y = m(Tensor(np.ones((4, 3), np.float32)))
    assert y.dtype == np.float32


def test_apply_visits_children_then_self():
    seen = []
    m = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.ReLU()))
    assert m.apply(lambda mod: seen.append(type(mod).__name__)) is m
    assert seen == ["Linear", "ReLU", "Sequential", "Sequential"]

    def init_zero(mod):
        if isinstance(mod, nn.Linear):
            nn.init.zeros_(mod.weight)
    m.apply(init_zero)
    assert np.all(m[0].weight.data == 0)


# ---- state dict ----------------------------------------------------------------------------
def test_state_dict_keys_and_load_round_trip():
    dlmath.manual_seed(0)
    a = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.Flatten(), nn.Linear(8, 2))
    a.train()
    a(Tensor(np.random.default_rng(0).standard_normal((3, 1, 4, 4)).astype(np.float32)))
    sd = a.state_dict()
    assert list(sd) == ["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean",
                        "1.running_var", "1.num_batches_tracked", "3.weight", "3.bias"]
    assert not any(v.requires_grad for v in sd.values())
    assert sd["0.weight"].data is a[0].weight.data                    # shares memory
    b = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.Flatten(), nn.Linear(8, 2))
    result = b.load_state_dict(sd)
    assert result.missing_keys == [] and result.unexpected_keys == []
    for k, v in b.state_dict().items():
        np.testing.assert_array_equal(v.data, sd[k].data)
    assert b[0].weight.data is not a[0].weight.data                   # copied, not aliased


def test_load_state_dict_errors_name_the_keys():
    m = nn.Linear(3, 2)
    with pytest.raises(RuntimeError) as e:
        m.load_state_dict({"weight": np.zeros((2, 4)), "extra": np.zeros(1)})
    msg = str(e.value)
    assert "Error(s) in loading state_dict for Linear" in msg
    assert 'Missing key(s) in state_dict: "bias"' in msg
    assert 'Unexpected key(s) in state_dict: "extra"' in msg
    assert "size mismatch for weight: copying a param with shape (2, 4) from checkpoint, " \
           "the shape in current model is (2, 3)" in msg
    before = m.weight.data.copy()
    res = m.load_state_dict({"weight": np.ones((2, 3))}, strict=False)
    assert res.missing_keys == ["bias"] and res.unexpected_keys == []
    np.testing.assert_array_equal(m.weight.data, 1.0)
    assert m.weight.dtype == np.float32                                # cast to the param's dtype
    with pytest.raises(RuntimeError, match="size mismatch for weight"):
        m.load_state_dict({"weight": np.ones((3, 3))}, strict=False)   # always an error
    assert before.shape == m.weight.shape


def test_state_dict_through_save_and_load(tmp_path):
    dlmath.manual_seed(1)
    a = lenet()
    path = tmp_path / "lenet.npz"
    dlmath.save(a.state_dict(), path)
    dlmath.manual_seed(2)
    b = lenet()
    b.load_state_dict(dlmath.load(path))
    x = Tensor(np.random.default_rng(0).standard_normal((2, 1, 28, 28)).astype(np.float32))
    np.testing.assert_array_equal(a(x).data, b(x).data)


# ---- repr ----------------------------------------------------------------------------------
def test_repr_like_pytorch():
    m = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Sequential(nn.Flatten(), nn.Linear(400, 10, bias=False)),
                      nn.BatchNorm2d(6), nn.Dropout(0.25), nn.LeakyReLU(0.2),
                      nn.Softmax(dim=1), nn.GELU())
    assert repr(m) == """Sequential(
  (0): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))
  (1): ReLU()
  (2): MaxPool2d(kernel_size=2, stride=2, padding=0)
  (3): Sequential(
    (0): Flatten(start_dim=1, end_dim=-1)
    (1): Linear(in_features=400, out_features=10, bias=False)
  )
  (4): BatchNorm2d(6, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
  (5): Dropout(p=0.25, inplace=False)
  (6): LeakyReLU(negative_slope=0.2)
  (7): Softmax(dim=1)
  (8): GELU(approximate='none')
)"""
    assert repr(TwoLayer()).startswith("TwoLayer(\n  (fc1): Linear(in_features=4")


# ---- containers ----------------------------------------------------------------------------
def test_sequential_indexing_len_iteration_and_slices():
    layers = [nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)]
    s = nn.Sequential(*layers)
    assert len(s) == 3 and s[0] is layers[0] and s[-1] is layers[2]
    assert list(s) == layers
    head = s[:2]
    assert isinstance(head, nn.Sequential) and len(head) == 2 and head[1] is layers[1]
    with pytest.raises(IndexError):
        s[3]
    s.append(nn.Sigmoid())
    assert len(s) == 4 and [n for n, _ in s.named_children()] == ["0", "1", "2", "3"]
    del s[1]
    assert [n for n, _ in s.named_children()] == ["0", "1", "2"] and s[1] is layers[2]
    named = nn.Sequential(OrderedDict([("fc", nn.Linear(2, 2)), ("act", nn.Tanh())]))
    assert named.fc is named[0] and [n for n, _ in named.named_parameters()] == ["fc.weight",
                                                                                 "fc.bias"]
    x = Tensor(np.ones((5, 2), np.float32))
    np.testing.assert_allclose(s(x).data, layers[2](layers[0](x)).sigmoid().data)


def test_module_list_registers_parameters():
    ml = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
    assert len(ml) == 3 and len(list(ml.parameters())) == 6
    ml.append(nn.Linear(2, 1))
    assert [n for n, _ in ml.named_parameters()][-1] == "3.bias"
    assert isinstance(ml[1:], nn.ModuleList) and len(ml[1:]) == 3
    assert [type(m).__name__ for m in ml] == ["Linear"] * 4


# ---- layers --------------------------------------------------------------------------------
def test_linear_and_conv_default_init_like_pytorch():
    dlmath.manual_seed(0)
    lin = nn.Linear(500, 400)
    bound = 1 / math.sqrt(500)
    for p in (lin.weight, lin.bias):
        assert p.dtype == np.float32
        assert np.abs(p.data).max() <= bound
    # kaiming_uniform_(a=√5): U(−1/√fan_in, 1/√fan_in) has std 1/√(3·fan_in)
    assert abs(lin.weight.data.std() - bound / math.sqrt(3)) < 0.01 * bound
    conv = nn.Conv2d(8, 16, (3, 5))
    fan_in = 8 * 3 * 5
    assert conv.weight.shape == (16, 8, 3, 5)
    assert np.abs(conv.weight.data).max() <= 1 / math.sqrt(fan_in)
    assert np.abs(conv.bias.data).max() <= 1 / math.sqrt(fan_in)


def test_layers_forward_shapes_and_gradcheck():
    x = Tensor(np.random.default_rng(0).standard_normal((2, 3, 8, 8)))
    conv = nn.Conv2d(3, 4, 3, stride=2, padding=1, dilation=1).double()
    assert conv(x).shape == (2, 4, 4, 4)
    assert nn.MaxPool2d(3, 1, 1)(x).shape == (2, 3, 8, 8)
    assert nn.AvgPool2d(2)(x).shape == (2, 3, 4, 4)
    assert nn.Flatten()(x).shape == (2, 192)
    assert nn.Flatten(0, 1)(x).shape == (6, 8, 8)
    assert nn.Identity(54, foo=1)(x) is x
    lin = nn.Linear(3, 2).double()
    assert gradcheck(lambda v, w, b: F.linear(v, w, b),
                     [Tensor(np.ones((2, 3)), requires_grad=True), lin.weight, lin.bias])


def test_batchnorm_module_running_stats_and_momentum_none():
    bn = nn.BatchNorm2d(3, momentum=None)
    rng = np.random.default_rng(0)
    xs = [rng.standard_normal((4, 3, 2, 2)).astype(np.float32) * (i + 1) for i in range(3)]
    for x in xs:
        bn(Tensor(x))
    # momentum=None: cumulative average of the batch means
    expected = np.mean([x.mean(axis=(0, 2, 3)) for x in xs], axis=0)
    np.testing.assert_allclose(bn.running_mean.data, expected, rtol=1e-5, atol=1e-6)
    assert int(bn.num_batches_tracked.item()) == 3
    with pytest.raises(ValueError, match=r"expected 4D input \(got 2D input"):
        bn(Tensor(np.ones((4, 3), np.float32)))
    with pytest.raises(ValueError, match="num_features=3"):
        bn(Tensor(np.ones((4, 2, 2, 2), np.float32)))
    bn1 = nn.BatchNorm1d(5, affine=False, track_running_stats=False)
    assert list(bn1.parameters()) == [] and bn1.state_dict() == OrderedDict()
    y = bn1.eval()(Tensor(rng.standard_normal((6, 5))))               # batch stats in eval too
    np.testing.assert_allclose(y.data.mean(0), 0, atol=1e-12)


def test_activation_modules():
    x = Tensor(np.linspace(-3, 3, 12).reshape(3, 4))
    pairs = [(nn.ReLU(), F.relu(x)), (nn.Sigmoid(), F.sigmoid(x)), (nn.Tanh(), F.tanh(x)),
             (nn.GELU("tanh"), F.gelu(x, approximate="tanh")), (nn.LeakyReLU(0.3),
                                                               F.leaky_relu(x, 0.3)),
             (nn.Softmax(dim=0), F.softmax(x, 0)), (nn.LogSoftmax(dim=1), F.log_softmax(x, 1))]
    for mod, ref in pairs:
        np.testing.assert_array_equal(mod(x).data, ref.data)


def test_dropout_module_train_eval_and_seed():
    d = nn.Dropout(0.5)
    x = Tensor(np.ones((100, 100), np.float32))
    dlmath.manual_seed(5)
    a = d(x).data
    dlmath.manual_seed(5)
    np.testing.assert_array_equal(a, d(x).data)
    assert 0.45 < (a == 0).mean() < 0.55
    assert d.eval()(x) is x
    with pytest.raises(ValueError, match="between 0 and 1"):
        nn.Dropout(2.0)


# ---- init ----------------------------------------------------------------------------------
def _big(*shape):
    return nn.Parameter(np.zeros(shape, dtype=np.float64))


@pytest.mark.parametrize("fn,expected_std", [
    (lambda t: nn.init.xavier_uniform_(t), math.sqrt(2 / (300 + 200))),
    (lambda t: nn.init.xavier_normal_(t, gain=2.0), 2 * math.sqrt(2 / (300 + 200))),
    (lambda t: nn.init.kaiming_uniform_(t, nonlinearity="relu"), math.sqrt(2 / 200)),
    (lambda t: nn.init.kaiming_normal_(t, nonlinearity="relu"), math.sqrt(2 / 200)),
    (lambda t: nn.init.kaiming_normal_(t, mode="fan_out", nonlinearity="relu"),
     math.sqrt(2 / 300)),
    (lambda t: nn.init.kaiming_uniform_(t, a=math.sqrt(5)), 1 / math.sqrt(3 * 200)),
    (lambda t: nn.init.kaiming_normal_(t, a=0.1, nonlinearity="leaky_relu"),
     math.sqrt(2 / (1 + 0.01)) / math.sqrt(200)),
    (lambda t: nn.init.normal_(t, 1.0, 0.5), 0.5),
    (lambda t: nn.init.uniform_(t, -1, 1), 1 / math.sqrt(3)),
])
def test_init_statistics(fn, expected_std):
    dlmath.manual_seed(0)
    t = _big(300, 200)                                 # fan_in 200, fan_out 300
    assert fn(t) is t
    assert abs(t.data.std() - expected_std) < 0.01 * expected_std


def test_init_conv_fans_seeding_and_constants():
    w = _big(64, 32, 3, 3)                             # fan_in = 288, fan_out = 576
    dlmath.manual_seed(0)
    nn.init.kaiming_normal_(w, nonlinearity="relu")
    assert abs(w.data.std() - math.sqrt(2 / 288)) < 0.02 * math.sqrt(2 / 288)
    first = w.data.copy()
    dlmath.manual_seed(0)
    nn.init.kaiming_normal_(w, nonlinearity="relu")
    np.testing.assert_array_equal(w.data, first)       # same seed, same weights
    nn.init.constant_(w, 0.5)
    assert np.all(w.data == 0.5)
    nn.init.ones_(w)
    assert np.all(w.data == 1)
    nn.init.zeros_(w)
    assert np.all(w.data == 0)
    assert w.requires_grad                             # init never disturbs the flag
    f32 = nn.Parameter(np.zeros((10, 10), np.float32))
    nn.init.xavier_uniform_(f32)
    assert f32.dtype == np.float32


def test_calculate_gain_table_and_errors():
    assert nn.init.calculate_gain("linear") == 1 and nn.init.calculate_gain("sigmoid") == 1
    assert nn.init.calculate_gain("conv2d") == 1
    assert nn.init.calculate_gain("tanh") == pytest.approx(5 / 3)
    assert nn.init.calculate_gain("relu") == pytest.approx(math.sqrt(2))
    assert nn.init.calculate_gain("leaky_relu", 0.2) == pytest.approx(math.sqrt(2 / 1.04))
    assert nn.init.calculate_gain("selu") == 0.75
    with pytest.raises(ValueError, match="Unsupported nonlinearity"):
        nn.init.calculate_gain("swish")
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        nn.init.xavier_uniform_(_big(5))
    with pytest.raises(ValueError, match="fan_in, fan_out"):
        nn.init.kaiming_uniform_(_big(3, 3), mode="fan_avg")


# ---- training end to end -------------------------------------------------------------------
def test_small_mlp_learns_xor():
    dlmath.manual_seed(0)
    x = Tensor(np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32))
    y = np.array([0, 1, 1, 0])
    model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 2))
    loss_fn = nn.CrossEntropyLoss()
    for _ in range(300):
        model.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        with dlmath.no_grad():
            for p in model.parameters():
                p.data -= 0.5 * p.grad.data
    assert loss.item() < 0.05
    assert np.array_equal(model(x).data.argmax(1), y)
