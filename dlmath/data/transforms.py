"""Data augmentation: make new training examples by transformations that keep the label.

A digit shifted by one pixel is still the same digit, so training on randomly shifted copies
teaches the network that position does not matter (and reduces overfitting on small data sets).
Augmentation is applied to training batches only, never to the test set.
"""
import numpy as np

__all__ = ["RandomShift"]


class RandomShift:
    """Shift each image of a batch (N, C, H, W) by a random whole number of pixels in
    [−max_shift, max_shift] along each axis, filling the uncovered border with ``fill``.
    Seeded: the same seed gives the same sequence of shifts."""

    def __init__(self, max_shift=1, fill=0.0, seed=0):
        if max_shift < 0 or int(max_shift) != max_shift:
            raise ValueError(f"RandomShift: max_shift must be a whole number ≥ 0, got {max_shift}")
        self.max_shift = int(max_shift)
        self.fill = fill
        self.rng = np.random.default_rng(seed)

    def __call__(self, batch):
        from ..autograd import Tensor
        is_tensor = isinstance(batch, Tensor)
        x = batch.data if is_tensor else np.asarray(batch)
        if x.ndim != 4:
            raise ValueError(f"RandomShift expects a batch of images (N, C, H, W), got shape "
                             f"{x.shape}")
        m = self.max_shift
        if m == 0:
            return batch
        n, _, h, w = x.shape
        padded = np.pad(x, ((0, 0), (0, 0), (m, m), (m, m)), constant_values=self.fill)
        dy = self.rng.integers(0, 2 * m + 1, size=n)
        dx = self.rng.integers(0, 2 * m + 1, size=n)
        out = np.empty_like(x)
        for i in range(n):
            out[i] = padded[i, :, dy[i]:dy[i] + h, dx[i]:dx[i] + w]
        return Tensor(out) if is_tensor else out

    def __repr__(self):
        return f"RandomShift(max_shift={self.max_shift}, fill={self.fill})"
