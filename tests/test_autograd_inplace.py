"""In-place updates follow PyTorch: ``p -= lr * p.grad`` inside ``no_grad`` changes p itself (the
optimizer's and the next backward's leaf), a leaf that requires grad refuses an in-place change
while gradients are recorded, and an intermediate result's ``+=`` keeps the graph right."""
import numpy as np
import pytest

import dlmath
from dlmath.autograd.gradcheck import gradcheck


def test_sgd_step_in_no_grad_changes_the_leaf_itself():
    w = dlmath.tensor([1.0, -2.0, 3.0], requires_grad=True)
    same = w
    for _ in range(3):                                # three steps of GD on ½‖w‖²
        loss = (w * w).sum() / 2
        loss.backward()
        with dlmath.no_grad():
            w -= 0.5 * w.grad
        w.grad = None
    assert w is same and w.requires_grad and w.is_leaf
    assert np.allclose(w.data, np.array([1.0, -2.0, 3.0]) * 0.5 ** 3)


def test_leaf_requiring_grad_refuses_in_place_with_grad_recorded():
    w = dlmath.tensor([1.0, 2.0], requires_grad=True)
    for update in (lambda: w.__iadd__(1.0), lambda: w.__isub__(1.0), lambda: w.__imul__(2.0),
                   lambda: w.__itruediv__(2.0), lambda: w.add_(1.0), lambda: w.mul_(2.0),
                   lambda: w.copy_(np.zeros(2))):
        with pytest.raises(RuntimeError, match="no_grad"):
            update()
    assert np.array_equal(w.data, [1.0, 2.0])        # nothing was changed


def test_augmented_assignment_on_an_intermediate_keeps_the_gradient():
    x = dlmath.tensor([0.5, -1.5, 2.0], requires_grad=True)
    total = (x * x).sum()
    total += (3 * x).sum()                            # d/dx = 2x + 3
    total *= 2.0                                      # d/dx = 4x + 6
    total.backward()
    assert np.allclose(x.grad.data, 4 * x.data + 6)

    def f(x):
        y = x.exp()
        y -= x * x
        y /= 2.0
        return y
    assert gradcheck(f, (dlmath.tensor(np.array([0.3, -0.7]), requires_grad=True),))


def test_in_place_values_alpha_and_broadcasting():
    t = dlmath.zeros(2, 3)
    alias = t
    t += dlmath.tensor([1.0, 2.0, 3.0])               # broadcast (3,) → (2, 3)
    t.add_(np.ones((2, 3)), alpha=-2)
    t.mul_(10.0).div_(5.0)
    assert t is alias and np.allclose(t.data, 2 * (np.array([1.0, 2.0, 3.0]) - 2))
    t.sub_(dlmath.ones(2, 3), alpha=0.5).copy_(np.array([7.0, 8.0, 9.0]))
    assert np.array_equal(t.data, np.tile([7.0, 8.0, 9.0], (2, 1)))


def test_float32_stays_float32_and_bad_shapes_are_named():
    h = dlmath.zeros(4).float()
    h += np.arange(4.0)                               # float64 operand, same kind: cast
    assert h.data.dtype == np.float32 and np.array_equal(h.data, np.arange(4.0))
    with pytest.raises(ValueError, match=r"shape \(2, 3\).*\(3, 2\)"):
        dlmath.zeros(2, 3).add_(dlmath.ones(3, 2))
    with pytest.raises(ValueError, match="keeps the tensor's shape"):
        t = dlmath.zeros(3)
        t += np.ones((2, 3))                          # would grow the tensor
    with pytest.raises(TypeError, match="int64"):
        i = dlmath.tensor(np.array([1, 2]))
        i += 0.5
