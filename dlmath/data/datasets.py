"""The real datasets bundled in ``data/``: handwritten digits, breast-cancer diagnosis and
Zachary's karate club (a small social graph).

Both loaders return NumPy arrays with a fixed, seeded, *stratified* train/test split (each class
appears in the test set in the same proportion as in the whole set)::

    (X_train, y_train), (X_test, y_test) = load_digits()           # unpack the split …
    split = load_breast_cancer(); split.X_train, split.feature_names  # … or use the fields
    X, y = load_digits(split="all")                                 # everything, file order

Every load recomputes the file's SHA-256 and raises ``DataIntegrityError`` if it differs from the
checksum recorded here (and in data/README.md): a corrupted or edited file is never used.
"""
import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["Split", "DataIntegrityError", "load_digits", "load_breast_cancer", "stratified_split",
           "Graph", "load_karate_club", "SHA256", "data_dir"]

#: SHA-256 of each bundled file (the same table is in data/README.md; a test checks both).
SHA256 = {
    "digits.npz": "570a41016038560821d526ab425e0c3ae3c10e12d488cabf9ed0fa9ce685f31d",
    "breast_cancer.npz": "e611a462c43f250ae98916745fb938ced630f69f2e2953c20e11ebc14853a898",
    "karate_club.npz": "c13644bf75ca12e81cc223428537bd8c8e69be02d198ee5022654e0cc805e912",
}


class DataIntegrityError(ValueError):
    """A data file is missing, truncated, corrupted, or does not match its published checksum."""


def data_dir():
    """The repository's ``data/`` folder (where the bundled .npz files live)."""
    return Path(__file__).resolve().parents[2] / "data"


def _sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _load_verified(name, root=None):
    path = Path(root) / name if root is not None else data_dir() / name
    if not path.is_file():
        raise DataIntegrityError(f"{path} is missing; restore it with `git checkout data/{name}` "
                                 "or rebuild it with `python data/make_data.py`")
    actual = _sha256(path)
    if actual != SHA256[name]:
        raise DataIntegrityError(
            f"{path} is corrupted or was modified: its SHA-256 is {actual}, expected "
            f"{SHA256[name]} (data/README.md). Restore it with `git checkout data/{name}` or "
            "rebuild it with `python data/make_data.py`.")
    with np.load(path, allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


@dataclass(frozen=True)
class Split:
    """A train/test split. Unpacks as ``(X_train, y_train), (X_test, y_test)``."""
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    feature_names: tuple
    target_names: tuple

    def __iter__(self):
        yield self.X_train, self.y_train
        yield self.X_test, self.y_test

    def __repr__(self):
        return (f"Split(X_train {self.X_train.shape} {self.X_train.dtype}, y_train "
                f"{self.y_train.shape}, X_test {self.X_test.shape}, y_test {self.y_test.shape}, "
                f"classes {list(self.target_names)})")


def stratified_split(y, test_size=0.2, seed=0):
    """Indices ``(train_idx, test_idx)`` of a seeded stratified split of the labels ``y``.

    For each class c with n_c examples, round(test_size · n_c) of them, chosen by a permutation
    from ``numpy.random.default_rng(seed)``, go to the test set. Both index arrays are shuffled
    (so classes are interleaved) and the same (y, test_size, seed) always gives the same split.
    """
    y = np.asarray(y)
    if not 0 < test_size < 1:
        raise ValueError(f"stratified_split: invalid test_size={test_size!r}; it must be in (0, 1)")
    rng = np.random.default_rng(seed)
    train, test = [], []
    for c in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == c))
        n_test = int(round(test_size * len(idx)))
        test.append(idx[:n_test])
        train.append(idx[n_test:])
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))


def _finish(X, y, split, test_size, seed, feature_names, target_names):
    if split == "all":
        return X, y
    train_idx, test_idx = stratified_split(y, test_size, seed)
    if split == "train":
        return X[train_idx], y[train_idx]
    if split == "test":
        return X[test_idx], y[test_idx]
    if split is None:
        return Split(X[train_idx], y[train_idx], X[test_idx], y[test_idx],
                     tuple(feature_names), tuple(target_names))
    raise ValueError(f"invalid split={split!r}; use None (train and test), 'train', 'test' or "
                     "'all'")


def load_digits(split=None, *, test_size=0.2, seed=0, images=False, dtype=np.float64, root=None):
    """The UCI handwritten digits: 1 797 images of 8×8 pixels, intensities 0–16, labels 0–9.

    Parameters
    ----------
    split : None, "train", "test" or "all"
        None returns a ``Split`` (unpacks as ``(X_train, y_train), (X_test, y_test)``);
        "train"/"test" return that part as ``(X, y)``; "all" returns the whole set in file order.
    test_size : float, default 0.2     fraction of each class held out for testing (359 of the 1 797 images)
    seed : int, default 0              the split's random seed
    images : bool, default False       X of shape (n, 1, 8, 8) (N, C, H, W) instead of (n, 64)
    dtype : default float64            dtype of X (float32 for CNN training); y is int64
    root : path, optional              folder holding ``digits.npz`` (default: the repo's data/)

    Pixel values are left as counts 0–16: divide by 16 for [0, 1].
    """
    z = _load_verified("digits.npz", root)
    X = z["images"].astype(dtype)
    X = X.reshape(len(X), 1, 8, 8) if images else X.reshape(len(X), 64)
    y = z["target"].astype(np.int64)
    return _finish(X, y, split, test_size, seed, z["feature_names"].tolist(),
                   z["target_names"].tolist())


def load_breast_cancer(split=None, *, test_size=0.2, seed=0, dtype=np.float64, root=None):
    """Breast Cancer Wisconsin (Diagnostic): 569 masses × 30 features; y = 0 malignant, 1 benign.

    Same ``split``/``test_size``/``seed``/``dtype``/``root`` arguments as ``load_digits``
    (the default split holds out 113 of the 569, stratified by class). The features have very
    different scales (areas in the hundreds, smoothness around 0.1): standardise them with the
    *training* mean and standard deviation before gradient descent.
    """
    z = _load_verified("breast_cancer.npz", root)
    X = z["data"].astype(dtype)
    y = z["target"].astype(np.int64)
    return _finish(X, y, split, test_size, seed, z["feature_names"].tolist(),
                   z["target_names"].tolist())


@dataclass(frozen=True)
class Graph:
    """An undirected graph as arrays: node i is 0 … num_nodes − 1; each edge is listed once.

    edges (E, 2) int64 with u < v · weight (E,) int64 · y (num_nodes,) int64 node labels ·
    label_names (names of the label values)
    """
    num_nodes: int
    edges: np.ndarray
    weight: np.ndarray
    y: np.ndarray
    label_names: tuple

    def adjacency(self, weighted=False):
        """The symmetric (num_nodes, num_nodes) adjacency matrix A, A[u, v] = A[v, u] = 1 (or the
        edge's weight) for each edge, zero diagonal."""
        A = np.zeros((self.num_nodes, self.num_nodes))
        u, v = self.edges.T
        w = self.weight if weighted else 1.0
        A[u, v] = w
        A[v, u] = w
        return A


def load_karate_club(root=None):
    """Zachary's karate club (1977): 34 members, 78 friendships, and the club each member joined
    when the club split — y = 0 for Mr. Hi's (17 members), 1 for the Officer's (17).

    ``weight`` is the number of contexts (1–7) in which the two members interacted. Member 0 is
    the instructor Mr. Hi, member 33 the club's officer (the paper numbers them 1 and 34).
    """
    z = _load_verified("karate_club.npz", root)
    return Graph(int(len(z["club"])), z["edges"], z["weight"], z["club"],
                 tuple(z["club_names"].tolist()))
