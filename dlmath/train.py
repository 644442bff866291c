"""A small, readable training loop: ``fit``, ``evaluate``, ``accuracy``, ``confusion_matrix``,
``plot_history``.

One epoch of ``fit`` is exactly the loop every PyTorch tutorial writes:

    for xb, yb in train_loader:
        optimizer.zero_grad()          # gradients accumulate, so clear them
        loss = loss_fn(model(xb), yb)  # forward
        loss.backward()                # backward: fills p.grad for every parameter
        optimizer.step()               # θ ← update(θ, ∇θ)

The history comes back as plain data (a dict of lists), so notebooks can plot it and tests can
check it.
"""
import time

import numpy as np

from .autograd import Tensor, no_grad


def _as_tensor(x):
    return x if isinstance(x, Tensor) else Tensor(np.asarray(x))


def _targets(y):
    return y.data if isinstance(y, Tensor) else np.asarray(y)


def accuracy(logits, targets):
    """Fraction of rows whose arg-max matches the integer target: mean(argmax(z_i) == y_i).
    For a single output column (binary logits), predicts 1 when the logit is > 0."""
    z = logits.data if isinstance(logits, Tensor) else np.asarray(logits)
    y = _targets(targets).reshape(-1)
    if z.ndim == 1 or z.shape[-1] == 1:
        pred = (z.reshape(-1) > 0).astype(y.dtype)
    else:
        pred = z.argmax(axis=-1)
    if pred.shape != y.shape:
        raise ValueError(f"accuracy: {pred.shape[0]} predictions but {y.shape[0]} targets")
    return float(np.mean(pred == y))


def confusion_matrix(y_true, y_pred, num_classes=None):
    """C[i, j] = number of examples of true class i predicted as class j (rows: truth)."""
    y_true = _targets(y_true).astype(np.int64).reshape(-1)
    y_pred = _targets(y_pred).astype(np.int64).reshape(-1)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"confusion_matrix: {y_true.size} true labels but {y_pred.size} "
                         f"predictions")
    if num_classes is None:
        num_classes = int(max(y_true.max(initial=-1), y_pred.max(initial=-1))) + 1
    if y_true.size and (min(y_true.min(), y_pred.min()) < 0 or
                        max(y_true.max(), y_pred.max()) >= num_classes):
        raise ValueError(f"confusion_matrix: labels must lie in [0, {num_classes})")
    C = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(C, (y_true, y_pred), 1)
    return C


def evaluate(model, loss_fn, loader):
    """Mean loss and accuracy of ``model`` over ``loader`` in eval mode, without a graph.
    The loss is weighted by batch size, so a short last batch counts fairly."""
    was_training = getattr(model, "training", False)
    model.eval()
    total_loss, correct, n = 0.0, 0.0, 0
    with no_grad():
        for xb, yb in loader:
            out = model(_as_tensor(xb))
            b = len(_targets(yb))
            total_loss += float(loss_fn(out, yb).item()) * b
            correct += accuracy(out, yb) * b
            n += b
    if was_training:
        model.train()
    if n == 0:
        raise ValueError("evaluate: the loader produced no batches")
    return total_loss / n, correct / n


def predict(model, loader):
    """(predicted classes, true targets) over a loader, in eval mode."""
    model.eval()
    preds, ys = [], []
    with no_grad():
        for xb, yb in loader:
            out = model(_as_tensor(xb)).data
            preds.append(out.argmax(axis=-1) if out.ndim > 1 and out.shape[-1] > 1
                         else (out.reshape(-1) > 0).astype(np.int64))
            ys.append(_targets(yb))
    return np.concatenate(preds), np.concatenate(ys)


def fit(model, loss_fn, optimizer, train_loader, epochs, val_loader=None, scheduler=None,
        progress=True, transform=None, step_scheduler_every="epoch"):
    """Train for ``epochs`` epochs; returns the history as a dict of per-epoch lists:
    ``epoch, train_loss, train_acc, val_loss, val_acc, lr, seconds``.

    ``progress=True`` shows a tqdm bar (a widget in JupyterLab, text elsewhere). A non-finite
    loss stops training with a clear error instead of silently producing nan weights.
    ``scheduler`` (optional) is stepped once per epoch, or once per batch with
    ``step_scheduler_every="batch"`` (as OneCycleLR expects); ``ReduceLROnPlateau`` gets the
    validation loss, or the training loss without a validation set. ``transform`` (optional,
    e.g. ``dlmath.data.RandomShift``) is applied to each *training* batch's inputs."""
    if step_scheduler_every not in ("epoch", "batch"):
        raise ValueError(f"fit: step_scheduler_every must be 'epoch' or 'batch', got "
                         f"{step_scheduler_every!r}")
    if epochs < 1:
        raise ValueError(f"fit: epochs must be ≥ 1, got {epochs}")
    history = {k: [] for k in ("epoch", "train_loss", "train_acc", "val_loss", "val_acc",
                               "lr", "seconds")}
    bar = None
    if progress:
        from tqdm.auto import tqdm
        bar = tqdm(total=epochs * len(train_loader), desc="training", unit="batch")
    try:
        for epoch in range(1, epochs + 1):
            start = time.perf_counter()
            model.train()
            total_loss, correct, n = 0.0, 0.0, 0
            for xb, yb in train_loader:
                if transform is not None:
                    xb = transform(xb)
                optimizer.zero_grad()
                out = model(_as_tensor(xb))
                loss = loss_fn(out, yb)
                value = float(loss.item())
                if not np.isfinite(value):
                    raise FloatingPointError(
                        f"fit: the loss became {value} in epoch {epoch}; the learning rate "
                        f"(now {optimizer.param_groups[0]['lr']}) is probably too large")
                loss.backward()
                optimizer.step()
                if scheduler is not None and step_scheduler_every == "batch":
                    scheduler.step()
                b = len(_targets(yb))
                total_loss += value * b
                correct += accuracy(out, yb) * b
                n += b
                if bar is not None:
                    bar.update(1)
                    bar.set_postfix(epoch=epoch, loss=f"{value:.4f}", refresh=False)  # bar redraws on its own
            history["epoch"].append(epoch)
            history["train_loss"].append(total_loss / n)
            history["train_acc"].append(correct / n)
            history["lr"].append(optimizer.param_groups[0]["lr"])
            if val_loader is not None:
                vl, va = evaluate(model, loss_fn, val_loader)
            else:
                vl = va = None
            history["val_loss"].append(vl)
            history["val_acc"].append(va)
            history["seconds"].append(time.perf_counter() - start)
            if scheduler is not None and step_scheduler_every == "epoch":
                if type(scheduler).__name__ == "ReduceLROnPlateau":
                    scheduler.step(vl if vl is not None else total_loss / n)
                else:
                    scheduler.step()
    finally:
        if bar is not None:
            bar.close()
    return history


def plot_history(history, fig=None):
    """Loss and accuracy per epoch (train, and validation when present) in one Figure."""
    from matplotlib.figure import Figure
    fig = fig or Figure(figsize=(9, 3.2))
    ax_loss, ax_acc = fig.subplots(1, 2)
    ep = history["epoch"]
    ax_loss.plot(ep, history["train_loss"], "o-", label="train")
    ax_acc.plot(ep, history["train_acc"], "o-", label="train")
    if any(v is not None for v in history["val_loss"]):
        ax_loss.plot(ep, history["val_loss"], "s--", label="validation")
        ax_acc.plot(ep, history["val_acc"], "s--", label="validation")
    ax_loss.set(xlabel="epoch", ylabel="loss", title="Loss")
    ax_acc.set(xlabel="epoch", ylabel="accuracy", title="Accuracy", ylim=(0, 1.02))
    for ax in (ax_loss, ax_acc):
        ax.grid(alpha=0.3)
        ax.legend()
    fig.tight_layout()
    return fig
