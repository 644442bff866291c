"""Loss-landscape slices: filter normalisation, the straight path between models, restoring
weights, and agreement with a direct loss evaluation."""
import numpy as np
import pytest

import dlmath as dm
from dlmath import nn
from dlmath.loss_landscape import random_direction, slice_1d, slice_2d


def small_problem():
    dm.manual_seed(0)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 1, 6, 6)).astype(np.float32)
    y = rng.integers(0, 3, size=40)
    model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(64, 3))
    return model, (X, y)


def test_filter_normalised_direction():
    model, _ = small_problem()
    d = random_direction(model, seed=3)
    for p, di in zip(model.parameters(), d):
        assert di.shape == p.shape and di.dtype == p.dtype
        if p.ndim == 1:
            assert not di.any()                        # biases stay put
        else:
            axes = tuple(range(1, p.ndim))
            np.testing.assert_allclose(np.linalg.norm(di.reshape(len(di), -1), axis=1),
                                       np.linalg.norm(p.data.reshape(len(di), -1), axis=1),
                                       rtol=1e-5)
    d_again = random_direction(model, seed=3)
    assert all(np.array_equal(a, b) for a, b in zip(d, d_again))


def test_slices_agree_with_direct_evaluation_and_restore_weights():
    model, (X, y) = small_problem()
    before = [p.data.copy() for p in model.parameters()]
    loss = nn.functional.cross_entropy
    with dm.no_grad():
        base = loss(model(dm.tensor(X)), y).item()
    s1 = slice_1d(model, loss, (X, y), alphas=[-0.5, 0.0, 0.5])
    assert s1["losses"][1] == pytest.approx(base, rel=1e-6)
    s2 = slice_2d(model, loss, (X, y), alphas=np.linspace(-1, 1, 5), betas=np.linspace(-1, 1, 3))
    assert s2["losses"].shape == (3, 5)
    assert s2["losses"][1, 2] == pytest.approx(base, rel=1e-6)
    # the point (α, β) = (1, −1) by hand
    d1, d2 = s2["directions"]
    with dm.no_grad():
        for p, t, u, v in zip(model.parameters(), before, d1, d2):
            p.data[...] = t + 1.0 * u - 1.0 * v
        by_hand = loss(model(dm.tensor(X)), y).item()
        for p, t in zip(model.parameters(), before):
            p.data[...] = t
    assert s2["losses"][0, 4] == pytest.approx(by_hand, rel=1e-5)
    assert all(np.array_equal(p.data, b) for p, b in zip(model.parameters(), before))


def test_interpolation_between_two_models():
    model, data = small_problem()
    other, _ = small_problem()
    with dm.no_grad():
        for p in other.parameters():
            p.data[...] = p.data * 0.5
    loss = nn.functional.cross_entropy
    s = slice_1d(model, loss, data, direction=other, alphas=[0.0, 1.0])
    with dm.no_grad():
        end = loss(other(dm.tensor(data[0])), data[1]).item()
    assert s["losses"][1] == pytest.approx(end, rel=1e-5)
    with pytest.raises(ValueError, match="one array per parameter"):
        slice_1d(model, loss, data, direction=[np.zeros(3)])
