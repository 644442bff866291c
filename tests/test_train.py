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
