"""End-to-end training on the bundled real data (issue: CNN ≥ 98 % on digits, logistic regression
≥ 95 % on breast cancer), the epoch time next to the same model in PyTorch CPU, and the time of a
25×25 filter-normalised loss-landscape slice of the trained CNN."""
import time

import numpy as np

import dlmath as dm
from dlmath import nn, optim
from dlmath.data import DataLoader, RandomShift, TensorDataset, load_breast_cancer, load_digits
from dlmath.loss_landscape import slice_2d
from dlmath.train import evaluate, fit
from benchmarks._timing import table, try_torch

EPOCHS = 20
BATCH = 32
LR = 5e-3


def digits_cnn(nn=nn):
    """A small LeNet-style CNN for 8×8 digits (``nn`` may be dlmath.nn or torch.nn):
    conv–conv–pool (32×4×4), conv–pool (64×2×2), linear 256 → 10."""
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(),
        nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(256, 10))


def digits_data():
    (Xtr, ytr), (Xte, yte) = load_digits(images=True, dtype=np.float32)
    return Xtr / 16.0, ytr, Xte / 16.0, yte


def train_dlmath():
    dm.manual_seed(0)
    Xtr, ytr, Xte, yte = digits_data()
    model = digits_cnn()
    opt = optim.Adam(model.parameters(), lr=LR)
    train = DataLoader(TensorDataset(Xtr, ytr), batch_size=BATCH, shuffle=True, seed=0)
    test = DataLoader(TensorDataset(Xte, yte), batch_size=360)
    sched = optim.lr_scheduler.OneCycleLR(opt, max_lr=LR, total_steps=EPOCHS * len(train))
    hist = fit(model, nn.functional.cross_entropy, opt, train, EPOCHS, val_loader=test,
               scheduler=sched, step_scheduler_every="batch", transform=RandomShift(1, seed=0),
               progress=False)
    return model, hist, (Xte, yte)


def train_torch(torch):
    """The same model, recipe and batches in PyTorch (augmentation done in NumPy likewise)."""
    torch.manual_seed(0)
    Xtr, ytr, Xte, yte = digits_data()
    model = digits_cnn(torch.nn)
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    steps = EPOCHS * -(-len(Xtr) // BATCH)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=LR, total_steps=steps)
    shift = RandomShift(1, seed=0)
    y = torch.from_numpy(ytr)
    rng = np.random.default_rng(0)
    seconds = []
    for _ in range(EPOCHS):
        start = time.perf_counter()
        perm = rng.permutation(len(Xtr))
        for i in range(0, len(Xtr), BATCH):
            idx = perm[i:i + BATCH]
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(torch.from_numpy(shift(Xtr[idx]))),
                                                     y[idx])
            loss.backward()
            opt.step()
            sched.step()
        seconds.append(time.perf_counter() - start)
    with torch.no_grad():
        acc = (model(torch.from_numpy(Xte)).argmax(1).numpy() == yte).mean()
    return float(np.median(seconds)), float(acc)


def breast_cancer_logistic():
    dm.manual_seed(0)
    (Xtr, ytr), (Xte, yte) = load_breast_cancer()
    mu, sd = Xtr.mean(0), Xtr.std(0)
    Xtr, Xte = ((Xtr - mu) / sd).astype(np.float32), ((Xte - mu) / sd).astype(np.float32)
    model = nn.Linear(30, 1)
    loss_fn = lambda out, y: nn.functional.binary_cross_entropy_with_logits(
        out.reshape(-1), dm.tensor(np.asarray(y, dtype=np.float32)))
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    train = DataLoader(TensorDataset(Xtr, ytr), batch_size=32, shuffle=True, seed=0)
    test = DataLoader(TensorDataset(Xte, yte), batch_size=128)
    hist = fit(model, loss_fn, opt, train, epochs=20, val_loader=test, progress=False)
    return hist["val_acc"][-1]


def main():
    torch = try_torch()
    model, hist, (Xte, yte) = train_dlmath()
    epoch_time = float(np.median(hist["seconds"]))
    rows = [["digits CNN (dlmath)", f"{hist['val_acc'][-1]:.4f}", f"{epoch_time * 1000:.0f} ms",
             "target acc ≥ 0.98: " + ("met" if hist["val_acc"][-1] >= 0.98 else "NOT met")]]
    if torch is not None:
        t_epoch, t_acc = train_torch(torch)
        ratio = epoch_time / t_epoch
        rows.append(["digits CNN (torch)", f"{t_acc:.4f}", f"{t_epoch * 1000:.0f} ms",
                     f"epoch ratio dlmath/torch {ratio:.2f}x (target ≤ 2x: "
                     f"{'met' if ratio <= 2 else 'NOT met'})"])
    acc = breast_cancer_logistic()
    rows.append(["breast cancer logistic regression", f"{acc:.4f}", "",
                 "target acc ≥ 0.95: " + ("met" if acc >= 0.95 else "NOT met")])
    start = time.perf_counter()
    s = slice_2d(model, nn.functional.cross_entropy, (Xte, yte), alphas=np.linspace(-1, 1, 25))
    t_slice = time.perf_counter() - start
    rows.append(["2-D slice of the CNN, 25×25 points", "", f"{t_slice:.1f} s",
                 f"target < 30 s: {'met' if t_slice < 30 else 'NOT met'}; "
                 f"loss range {s['losses'].min():.3f}–{s['losses'].max():.2f}"])
    table(rows, ["case", "test acc", "time/epoch", "verdict"])


if __name__ == "__main__":
    main()
