"""The training loop and its metrics, on real data: logistic regression on the breast-cancer
table must reach ≥ 95 % test accuracy, an MLP on the digits ≥ 95 %."""
import numpy as np
import pytest

import dlmath as dm
from dlmath import nn, optim
from dlmath.data import DataLoader, TensorDataset, load_breast_cancer, load_digits
from dlmath.train import accuracy, confusion_matrix, evaluate, fit, plot_history, predict


def test_accuracy_and_confusion_matrix_by_hand():
    logits = np.array([[2.0, 1.0, 0.0], [0.0, 3.0, 1.0], [0.0, 0.0, 5.0], [4.0, 0.0, 0.0]])
    y = np.array([0, 1, 1, 2])
    assert accuracy(logits, y) == 0.5
    assert accuracy(np.array([[0.3], [-2.0]]), np.array([1, 1])) == 0.5   # binary logits
    C = confusion_matrix(y, logits.argmax(1), num_classes=3)
    np.testing.assert_array_equal(C, [[1, 0, 0], [0, 1, 1], [1, 0, 0]])
    assert C.sum() == 4 and np.trace(C) == 2
    with pytest.raises(ValueError, match="labels must lie"):
        confusion_matrix([0, 3], [0, 1], num_classes=3)
    with pytest.raises(ValueError, match="3 true labels but 2"):
        confusion_matrix([0, 1, 1], [0, 1])


def standardised(split):
    (Xtr, ytr), (Xte, yte) = split
    mu, sd = Xtr.mean(0), Xtr.std(0) + 1e-12
    return ((Xtr - mu) / sd).astype(np.float32), ytr, ((Xte - mu) / sd).astype(np.float32), yte


def test_logistic_regression_on_breast_cancer_reaches_95_percent():
    dm.manual_seed(0)
    Xtr, ytr, Xte, yte = standardised(load_breast_cancer())
    model = nn.Linear(30, 1)
    loss_fn = lambda out, y: nn.functional.binary_cross_entropy_with_logits(
        out.reshape(-1), dm.tensor(np.asarray(y, dtype=np.float32)))
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    train = DataLoader(TensorDataset(Xtr, ytr), batch_size=32, shuffle=True, seed=0)
    test = DataLoader(TensorDataset(Xte, yte), batch_size=128)
    hist = fit(model, loss_fn, opt, train, epochs=20, val_loader=test, progress=False)
    assert hist["train_loss"][-1] < hist["train_loss"][0]
    assert hist["val_acc"][-1] >= 0.95, hist["val_acc"]
    loss, acc = evaluate(model, loss_fn, test)
    assert acc == hist["val_acc"][-1] and np.isclose(loss, hist["val_loss"][-1])


def test_mlp_on_digits_and_history_is_plain_data():
    dm.manual_seed(0)
    Xtr, ytr, Xte, yte = standardised(load_digits())
    model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
    opt = optim.Adam(model.parameters(), lr=3e-3)
    sched = optim.lr_scheduler.StepLR(opt, step_size=5, gamma=0.5)
    train = DataLoader(TensorDataset(Xtr, ytr), batch_size=64, shuffle=True, seed=0)
    test = DataLoader(TensorDataset(Xte, yte), batch_size=256)
    hist = fit(model, nn.functional.cross_entropy, opt, train, epochs=8, val_loader=test,
               scheduler=sched, progress=False)
    assert hist["epoch"] == list(range(1, 9))
    assert hist["lr"][0] == 3e-3 and hist["lr"][5] == 1.5e-3
    assert hist["val_acc"][-1] >= 0.95, hist["val_acc"]
    pred, truth = predict(model, test)
    C = confusion_matrix(truth, pred, 10)
    assert np.trace(C) / C.sum() == pytest.approx(hist["val_acc"][-1])
    fig = plot_history(hist)
    lines = fig.axes[0].get_lines()
    np.testing.assert_allclose(lines[0].get_ydata(), hist["train_loss"])
    assert len(lines) == 2                  # train and validation


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning")
def test_fit_stops_on_a_diverging_loss():
    dm.manual_seed(0)
    X = np.random.default_rng(0).normal(size=(32, 4)) * 100
    y = X.sum(1, keepdims=True)
    model = nn.Linear(4, 1).double()
    opt = optim.SGD(model.parameters(), lr=100.0)
    loader = DataLoader(TensorDataset(X, y), batch_size=8)
    with pytest.raises(FloatingPointError, match="learning rate"):
        fit(model, lambda o, t: nn.functional.mse_loss(o, dm.tensor(t)), opt, loader,
            epochs=50, progress=False)


def test_random_shift_moves_whole_images_and_is_seeded():
    from dlmath.data import RandomShift
    x = np.zeros((50, 1, 5, 5), np.float32)
    x[:, 0, 2, 2] = 1.0                       # a single bright pixel in the centre
    out = RandomShift(1, seed=0)(x)
    assert out.shape == x.shape and out.dtype == np.float32
    pos = np.array([np.unravel_index(o[0].argmax(), (5, 5)) for o in out])
    assert np.all(np.abs(pos - 2) <= 1) and len({tuple(p) for p in pos}) > 4
    assert np.all(out.sum(axis=(1, 2, 3)) == 1.0)          # nothing lost or duplicated
    np.testing.assert_array_equal(out, RandomShift(1, seed=0)(x))
    t = RandomShift(1, seed=0)(dm.tensor(x))
    assert isinstance(t, dm.Tensor) and np.array_equal(t.numpy(), out)
    with pytest.raises(ValueError, match="N, C, H, W"):
        RandomShift(1)(np.zeros((3, 5, 5)))


def test_fit_steps_a_batch_scheduler_and_applies_the_transform_to_training_only():
    seen = []

    def spy(xb):
        seen.append(len(xb))
        return xb
    dm.manual_seed(0)
    X = np.random.default_rng(0).normal(size=(20, 3)).astype(np.float32)
    y = (X[:, 0] > 0).astype(np.int64)
    model = nn.Linear(3, 2)
    opt = optim.SGD(model.parameters(), lr=0.1)
    sched = optim.lr_scheduler.LinearLR(opt, start_factor=0.5, total_iters=4)
    loader = DataLoader(TensorDataset(X, y), batch_size=5)
    hist = fit(model, nn.functional.cross_entropy, opt, loader, epochs=1, val_loader=loader,
               scheduler=sched, step_scheduler_every="batch", transform=spy, progress=False)
    assert seen == [5, 5, 5, 5]                       # 4 training batches, validation untouched
    assert opt.param_groups[0]["lr"] == pytest.approx(0.1)   # warm-up finished after 4 steps
    assert hist["lr"] == [pytest.approx(0.1)]
