"""``Dataset``, ``TensorDataset`` and a seeded ``DataLoader``, as in ``torch.utils.data``.

    ds = TensorDataset(X, y)                         # arrays or dlmath Tensors, same first dim
    for xb, yb in DataLoader(ds, batch_size=32, shuffle=True, seed=0):
        ...

A batch has the type of what went in: a TensorDataset of Tensors yields Tensors, one of ndarrays
yields ndarrays. With ``shuffle=True`` epoch e uses the permutation drawn from
``numpy.random.default_rng([seed, e])``, so a seeded loader repeats exactly, epoch by epoch, even
if an epoch was abandoned half-way.
"""
import math

import numpy as np

__all__ = ["Dataset", "TensorDataset", "DataLoader", "default_collate"]


def _is_tensor(x):
    from ..autograd import Tensor
    return isinstance(x, Tensor)


def _wrap_like(template, array):
    if _is_tensor(template):
        from ..autograd import Tensor
        return Tensor(array)
    return array


class Dataset:
    """Anything with ``__len__`` and ``__getitem__(i)`` returning one sample is a dataset."""

    def __getitem__(self, index):
        raise NotImplementedError

    def __len__(self):
        raise NotImplementedError


class TensorDataset(Dataset):
    """Samples are rows of the given arrays: ``ds[i] == (a[i], b[i], …)``.

    All arrays (ndarrays or dlmath Tensors) must have the same length along the first axis.
    """

    def __init__(self, *tensors):
        if not tensors:
            raise ValueError("TensorDataset needs at least one array")
        lengths = []
        for i, t in enumerate(tensors):
            shape = np.shape(t.data if _is_tensor(t) else t)
            if len(shape) == 0:
                raise ValueError(f"TensorDataset: argument {i} is a scalar; each argument needs a "
                                 "first (sample) dimension")
            lengths.append(shape[0])
        if len(set(lengths)) != 1:
            detail = ", ".join(f"argument {i}: {n}" for i, n in enumerate(lengths))
            raise ValueError(f"TensorDataset: size mismatch between arrays along the first "
                             f"dimension ({detail})")
        self.tensors = tuple(t if _is_tensor(t) else np.asarray(t) for t in tensors)

    def __getitem__(self, index):
        return tuple(_wrap_like(t, t.data[index]) if _is_tensor(t) else t[index]
                     for t in self.tensors)

    def __len__(self):
        return len(self.tensors[0].data if _is_tensor(self.tensors[0]) else self.tensors[0])

    def _batch(self, idx):
        """The batch of rows ``idx`` in one fancy-indexing step per array (the fast path)."""
        return tuple(_wrap_like(t, t.data[idx]) if _is_tensor(t) else t[idx]
                     for t in self.tensors)


def default_collate(samples):
    """Stack a list of samples into a batch: tuples field by field, Tensors into a Tensor,
    arrays and numbers into an ndarray (a new leading batch dimension)."""
    first = samples[0]
    if isinstance(first, (tuple, list)):
        return tuple(default_collate([s[i] for s in samples]) for i in range(len(first)))
    if isinstance(first, dict):
        return {k: default_collate([s[k] for s in samples]) for k in first}
    if _is_tensor(first):
        from ..autograd import Tensor
        return Tensor(np.stack([s.data for s in samples]))
    return np.stack([np.asarray(s) for s in samples])


class DataLoader:
    """Iterate over a dataset in mini-batches.

    Parameters
    ----------
    dataset : Dataset, TensorDataset or ndarray
    batch_size : int, default 1
    shuffle : bool, default False      reshuffle the order at the start of every epoch
    seed : int or None                 seed of the shuffles (None: fresh randomness per loader)
    drop_last : bool, default False    drop the last batch when it is smaller than batch_size
    collate_fn : callable, optional    turns a list of samples into a batch (default_collate)

    ``len(loader)`` is the number of batches: ⌈n / batch_size⌉, or ⌊n / batch_size⌋ with
    ``drop_last``.
    """

    def __init__(self, dataset, batch_size=1, shuffle=False, seed=None, drop_last=False,
                 collate_fn=None):
        if not (hasattr(dataset, "__len__") and hasattr(dataset, "__getitem__")):
            raise TypeError(f"DataLoader: the dataset must have __len__ and __getitem__, got a "
                            f"{type(dataset).__name__}")
        if not (isinstance(batch_size, (int, np.integer)) and not isinstance(batch_size, bool)
                and batch_size >= 1):
            raise ValueError(f"DataLoader: invalid batch_size={batch_size!r}; it must be an int "
                             ">= 1")
        self.dataset = dataset
        self.batch_size = int(batch_size)
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        self.collate_fn = collate_fn
        if seed is None:
            seed = int(np.random.default_rng().integers(2 ** 63))
        self.seed = seed
        self.epoch = 0

    def __len__(self):
        n = len(self.dataset)
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def _order(self):
        n = len(self.dataset)
        if not self.shuffle:
            return np.arange(n)
        return np.random.default_rng([self.seed, self.epoch]).permutation(n)

    def __iter__(self):
        order = self._order()
        self.epoch += 1
        fast = self.collate_fn is None and isinstance(self.dataset, (TensorDataset, np.ndarray))
        for b in range(len(self)):
            idx = order[b * self.batch_size:(b + 1) * self.batch_size]
            if fast:
                yield (self.dataset._batch(idx) if isinstance(self.dataset, TensorDataset)
                       else self.dataset[idx])
            else:
                collate = self.collate_fn or default_collate
                yield collate([self.dataset[int(i)] for i in idx])
