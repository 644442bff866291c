"""The engine's semantics: accumulation, no_grad, detach, higher order, deep graphs, dtypes,
errors, random expression graphs against finite differences."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st, HealthCheck

import dlmath as dm
from dlmath.autograd import functional as AF, gradcheck, gradgradcheck, GradcheckError


def test_tensor_construction_rules():
    assert dm.tensor(1.0).dtype == np.float64
    assert dm.tensor(3).dtype == np.float64                     # Python ints → float64
    assert dm.tensor([1, 2]).dtype == np.float64
    assert dm.tensor(np.ones(2, np.float32)).dtype == np.float32  # ndarrays keep their dtype
    assert dm.tensor(np.arange(3)).dtype == np.arange(3).dtype
    x = dm.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert x.shape == (2, 2) and x.ndim == 2 and x.T.numpy()[0, 1] == 3.0
    assert dm.tensor([5.0]).item() == 5.0
    with pytest.raises(RuntimeError, match="floating-point"):
        dm.tensor(np.arange(3), requires_grad=True)
    with pytest.raises(ValueError, match="one-element"):
        x.item()


@pytest.mark.parametrize("data, named", [
    ("abc", "str 'abc'"), (b"ab", "bytes b'ab'"), (None, "None"),
    ([1.0, "a"], "str 'a' at index [1]"),
    ([[1, 2], [3, None]], "None at index [1][1]"), ({"a": 1}, "dict"), ({1, 2}, "set"),
    (np.array(["x", "y"]), "dtype <U1"), (np.array([1, object()], dtype=object), "dtype object")])
def test_tensor_rejects_non_numeric_data_naming_the_type(data, named):
    with pytest.raises(TypeError, match="numeric tensor") as err:
        dm.tensor(data)
    assert named in str(err.value)
    with pytest.raises(TypeError, match="numeric tensor"):
        dm.Tensor(data)


@pytest.mark.parametrize("data, message", [
    ([[1, 2], [3]], "at dim 1 the rows have lengths [2, 1]"),
    ([[1.0], [2.0, 3.0], [4.0]], "at dim 1 the rows have lengths [1, 2, 1]"),
    ([[[1, 2], [3, 4]], [[5, 6], [7]]], "at dim 2 the rows have lengths [2, 2, 2, 1]"),
    ([[1, 2], 3], "at dim 1 some entries are sequences and some are not"),
    ([np.zeros(2), np.zeros(3)], "at dim 1 the rows have lengths [2, 3]")])
def test_tensor_rejects_ragged_nesting_naming_the_lengths(data, message):
    with pytest.raises(ValueError, match="ragged nested sequence") as err:
        dm.tensor(data)
    assert message in str(err.value)
    assert "inhomogeneous" not in str(err.value)


def test_tensor_accepts_what_pytorch_accepts():
    """bool stays bool (as torch.bool), ints become float64 (dlmath's documented rule),
    complex stays complex; nested lists/tuples, 0-d tensors and NumPy scalars inside lists."""
    assert dm.tensor([True, False]).dtype == np.bool_
    assert dm.tensor([[1, 2], [3, 4]]).dtype == np.float64
    assert dm.tensor(1 + 2j).dtype == np.complex128
    assert dm.tensor(((1.0, 2.0), (3.0, 4.0))).shape == (2, 2)
    assert dm.tensor([dm.tensor(1.0), dm.tensor(2.0)]).tolist() == [1.0, 2.0]
    assert dm.tensor([np.float32(1.5), np.int64(2)]).tolist() == [1.5, 2.0]
    assert dm.tensor([]).shape == (0,) and dm.tensor([[], []]).shape == (2, 0)


def test_tensor_copies_and_numpy_shares():
    a = np.ones(3)
    x = dm.tensor(a)
    a[0] = 5
    assert x.numpy()[0] == 1.0
    y = dm.tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="detach"):
        y.numpy()
    assert y.detach().numpy()[0] == 1.0


def test_reused_node_gets_every_contribution():
    x = dm.tensor(3.0, requires_grad=True)
    y = x * x + x                       # dy/dx = 2x + 1
    y.backward()
    assert x.grad.item() == 7.0


def test_gradients_accumulate_like_pytorch_and_zero_grad():
    x = dm.tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward()
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [4.0, 8.0])   # 2 · 2x
    x.zero_grad()
    assert x.grad is None
    (3 * x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 3.0])


def test_grad_accumulation_does_not_alias_other_tensors():
    x = dm.tensor([1.0, 2.0], requires_grad=True)
    y = dm.tensor([1.0, 2.0], requires_grad=True)
    (x + y).sum().backward()
    x.grad.data += 100                   # must not change y.grad
    np.testing.assert_array_equal(y.grad.numpy(), [1.0, 1.0])


def test_second_backward_through_freed_graph_raises_and_retain_graph_allows():
    x = dm.tensor(2.0, requires_grad=True)
    y = x.exp() * x
    y.backward()
    with pytest.raises(RuntimeError, match="second time"):
        y.backward()
    z = x.exp() * x
    z.backward(retain_graph=True)
    z.backward()
    np.testing.assert_allclose(x.grad.numpy(), 3 * (np.exp(2) * 3))


def test_backward_on_non_scalar_needs_gradient():
    x = dm.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"scalar outputs.*shape \(2,\)"):
        (x * 2).backward()
    (x * 2).backward(gradient=dm.tensor([1.0, 10.0]))
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 20.0])
    with pytest.raises(RuntimeError, match="does not require grad"):
        dm.tensor(1.0).backward()
    with pytest.raises(RuntimeError, match=r"gradient has shape \(3,\)"):
        (x * 2).backward(gradient=dm.ones(3))


def test_broadcast_error_names_both_shapes():
    with pytest.raises(ValueError, match=r"\(3, 4\) and \(5, 2\).*broadcast"):
        dm.ones(3, 4) + dm.ones(5, 2)
    with pytest.raises(ValueError, match=r"reshape.*\(2, 3\).*\(4,\)"):
        dm.ones(2, 3).reshape(4)
    with pytest.raises(IndexError, match="out of range"):
        dm.ones(2, 3).sum(dim=2)


def test_log_of_negative_follows_numpy():
    x = dm.tensor([-1.0, 0.0, 1.0])
    with pytest.warns(RuntimeWarning):
        y = x.log()
    assert np.isnan(y.numpy()[0]) and y.numpy()[1] == -np.inf and y.numpy()[2] == 0.0


def test_no_grad_and_detach():
    x = dm.tensor([1.0, 2.0], requires_grad=True)
    with dm.no_grad():
        y = x * 2
        with dm.enable_grad():
            z = x * 3
    assert not y.requires_grad and y.grad_fn is None
    assert z.requires_grad and repr(z.grad_fn) == "<MulBackward>"
    d = (x * 2).detach()
    assert not d.requires_grad and d.is_leaf

    @dm.no_grad()
    def f(a):
        return a * a
    assert not f(x).requires_grad
    # detached branches get no gradient
    (x * (x * 2).detach()).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 4.0])


def test_inplace_on_graph_tensor_is_refused_outside_no_grad():
    w = dm.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="no_grad"):
        w[0] = 5.0
    with dm.no_grad():
        w[0] = 5.0
    assert w.detach().numpy()[0] == 5.0


def test_deep_chain_has_no_recursion_limit():
    x = dm.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0 + 0.0
    y.backward()
    assert x.grad.item() == 1.0
    del y                               # freeing a 200 000-node chain must not crash either


def test_float32_stays_float32():
    rng = np.random.default_rng(0)
    w = dm.tensor(rng.standard_normal((3, 2)).astype(np.float32), requires_grad=True)
    x = dm.tensor(rng.standard_normal((4, 3)).astype(np.float32))
    y = ((x @ w).tanh() * 2.5 + 1).exp().mean() / 3
    assert y.dtype == np.float32
    y.backward()
    assert w.grad.dtype == np.float32


def test_retain_grad_on_intermediate():
    x = dm.tensor([1.0, 2.0], requires_grad=True)
    h = (x * 3).retain_grad()
    (h * h).sum().backward()
    np.testing.assert_array_equal(h.grad.numpy(), [6.0, 12.0])
    assert not h.is_leaf and x.is_leaf


def test_autograd_grad_returns_tuple_without_touching_grad():
    x = dm.tensor(2.0, requires_grad=True)
    y = dm.tensor(3.0, requires_grad=True)
    gx, gy = dm.autograd.grad(x * x * y, (x, y))
    assert gx.item() == 12.0 and gy.item() == 4.0 and x.grad is None
    z = dm.tensor(1.0, requires_grad=True)
    with pytest.raises(RuntimeError, match="not used"):
        dm.autograd.grad(x * 2, (x, z))
    assert dm.autograd.grad(x * 2, (x, z), allow_unused=True)[1] is None


def test_higher_order_derivatives():
    x = dm.tensor(0.7, requires_grad=True)
    y = x.tanh()
    (g,) = dm.autograd.grad(y, x, create_graph=True)
    (gg,) = dm.autograd.grad(g, x, create_graph=True)
    (ggg,) = dm.autograd.grad(gg, x)
    th = np.tanh(0.7)
    np.testing.assert_allclose(g.item(), 1 - th ** 2)
    np.testing.assert_allclose(gg.item(), -2 * th * (1 - th ** 2))
    np.testing.assert_allclose(ggg.item(), -2 * (1 - th ** 2) ** 2 + 4 * th ** 2 * (1 - th ** 2))
    # backward(create_graph=True) leaves a differentiable .grad
    w = dm.tensor([1.0, 2.0], requires_grad=True)
    (w ** 3).sum().backward(create_graph=True)
    assert w.grad.requires_grad
    w.grad.sum().backward()                 # d/dw Σ 3w² = 6w, added to the existing grad
    np.testing.assert_allclose(w.grad.detach().numpy(), [3 + 6, 12 + 12])


def test_functional_jacobian_hessian_hvp_grad():
    A = np.array([[2.0, 1.0], [1.0, 3.0]])
    f = lambda x: 0.5 * (x @ (dm.tensor(A) @ x)) + (x ** 3).sum()
    x0 = dm.tensor([0.5, -1.0])
    H = AF.hessian(f, x0).numpy()
    np.testing.assert_allclose(H, A + np.diag(6 * x0.numpy()))
    value, hv = AF.hvp(f, x0, dm.tensor([1.0, 2.0]))
    np.testing.assert_allclose(hv.numpy(), H @ [1.0, 2.0])
    np.testing.assert_allclose(value.item(), f(x0).item())
    J = AF.jacobian(lambda x: dm.stack([x[0] * x[1], x[0].exp()]), x0).numpy()
    np.testing.assert_allclose(J, [[-1.0, 0.5], [np.exp(0.5), 0.0]])
    np.testing.assert_allclose(AF.grad(f)(x0).numpy(), A @ x0.numpy() + 3 * x0.numpy() ** 2)
    d2 = AF.grad(AF.grad(lambda x: x ** 4))(dm.tensor(2.0))
    assert d2.item() == 48.0
    Jt = AF.jacobian(lambda a, b: a * b, (dm.tensor([1.0, 2.0]), dm.tensor([3.0, 4.0])))
    np.testing.assert_allclose(Jt[1].numpy(), np.diag([1.0, 2.0]))


def test_gradcheck_reports_a_wrong_gradient():
    from dlmath.autograd.tensor import _make

    def bad_square(x):        # forward x², backward claims 3x
        return _make(x.data ** 2, (x,), lambda g, out: (g * 3.0 * x,), "BadSquare")
    x = dm.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(GradcheckError, match=r"input 0.*index \(0,\).*analytic 3\.0.*numeric 2\.0"):
        gradcheck(bad_square, (x,))
    assert gradcheck(bad_square, (x,), raise_exception=False) is False
    assert gradcheck(lambda a: a * a, (x,))


def test_gradgradcheck_catches_a_wrong_second_derivative():
    from dlmath.autograd.tensor import _make

    def cube_bad_backward(x):   # correct first derivative 3x² but built from a detached x
        return _make(x.data ** 3, (x,), lambda g, out: (g * 3.0 * x.detach() ** 2,), "Cube")
    x = dm.tensor([0.5, 1.5], requires_grad=True)
    assert gradcheck(cube_bad_backward, (x,))
    with pytest.raises(GradcheckError):
        gradgradcheck(cube_bad_backward, (x,))


# ----------------------------------------------------------- random expression graphs
UNARY = [lambda a: a.tanh(), lambda a: a.sigmoid(), lambda a: a.exp() * 0.1,
         lambda a: (a * a + 1.0).log(), lambda a: (a * a + 0.5).sqrt(), lambda a: a * a]
BINARY = [lambda a, b: a + b, lambda a, b: a - b, lambda a, b: a * b,
          lambda a, b: a / (b * b + 1.0), lambda a, b: dm.stack([a, b]).sum(dim=0),
          lambda a, b: (a.reshape(-1) @ b.reshape(-1)) * a]


@st.composite
def expression(draw):
    """A random program over 2 inputs of shape (2, 3): each step applies a unary or binary op
    to earlier values, so values are reused; the result sums a random subset."""
    steps = draw(st.lists(st.tuples(st.booleans(), st.integers(0, 100), st.integers(0, 100),
                                    st.integers(0, 100)), min_size=1, max_size=8))
    return steps


def run_program(steps, a, b):
    vals = [a, b]
    for binary, op, i, j in steps:
        if binary:
            vals.append(BINARY[op % len(BINARY)](vals[i % len(vals)], vals[j % len(vals)]))
        else:
            vals.append(UNARY[op % len(UNARY)](vals[i % len(vals)]))
    return vals[-1] + vals[len(vals) // 2] * 0.5


@settings(deadline=None, max_examples=30, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(steps=expression(), seed=st.integers(0, 1000))
def test_random_expression_graphs_match_finite_differences(steps, seed):
    rng = np.random.default_rng(seed)
    a = dm.tensor(rng.uniform(-1, 1, (2, 3)), requires_grad=True)
    b = dm.tensor(rng.uniform(-1, 1, (2, 3)), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = run_program(steps, a, b)
        if not np.all(np.isfinite(out.data)) or np.abs(out.data).max() > 1e6:
            return
        assert gradcheck(lambda x, y: run_program(steps, x, y), (a, b), rtol=1e-3, atol=1e-5)
