"""dlmath.data: bundled files and their checksums, splits, toy sets, loaders, the MNIST downloader.

No test touches the network: MNIST-format files are made here and served from 127.0.0.1.
"""
import gzip
import hashlib
import http.server
import re
import shutil
import struct
import threading
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import dlmath
from dlmath import data as D
from dlmath.data import datasets, mnist

DATA = Path(__file__).resolve().parents[1] / "data"


# ---------------------------------------------------------------------------------------------
# Bundled files
# ---------------------------------------------------------------------------------------------
def test_readme_checksums_match_the_files_and_the_code():
    readme = (DATA / "README.md").read_text()
    for name, expected in datasets.SHA256.items():
        actual = hashlib.sha256((DATA / name).read_bytes()).hexdigest()
        row = re.search(rf"\|\s*`{re.escape(name)}`\s*\|.*\|\s*`([0-9a-f]{{64}})`\s*\|", readme)
        assert row, f"no checksum row for {name} in data/README.md"
        assert row.group(1) == actual == expected
        assert str((DATA / name).stat().st_size) in row.group(0)
    for kind, sums in mnist.SHA256.items():                 # the MNIST table agrees with the code
        for name, digest in sums.items():
            assert re.search(rf"\| {kind} \| `{re.escape(name)}` \| `{digest}` \|", readme)


def test_files_load_without_pickles_and_hold_what_the_readme_says():
    with np.load(DATA / "digits.npz", allow_pickle=False) as z:
        assert z["images"].shape == (1797, 8, 8) and z["images"].max() == 16
        assert str(z["license"]) == "CC BY 4.0"
    with np.load(DATA / "breast_cancer.npz", allow_pickle=False) as z:
        assert z["data"].shape == (569, 30)
        assert np.bincount(z["target"]).tolist() == [212, 357]
        assert z["target_names"].tolist() == ["malignant", "benign"]


def test_karate_club_is_zacharys_graph():
    g = D.load_karate_club()
    assert g.num_nodes == 34 and g.edges.shape == (78, 2) and g.edges.dtype == np.int64
    u, v = g.edges.T
    assert np.all(u < v), "each edge once, as (u, v) with u < v — no self-loops"
    assert len({(a, b) for a, b in g.edges.tolist()}) == 78, "no repeated edges"
    A = g.adjacency()
    assert np.array_equal(A, A.T) and np.all(np.diag(A) == 0) and A.sum() == 2 * 78
    degree = A.sum(axis=1)
    # the well-known degrees: the instructor (member 1 in the paper) 16, the officer (34) 17
    assert degree[0] == 16 and degree[33] == 17 and degree[32] == 12 and degree.min() == 1
    assert np.bincount(g.y).tolist() == [17, 17] and g.label_names == ("Mr. Hi", "Officer")
    assert g.y[0] == 0 and g.y[33] == 1 and g.y[9] == 1 and g.y[5] == 0   # rows 1, 34, 10, 6 of Table 3
    W = g.adjacency(weighted=True)
    assert np.array_equal(W > 0, A > 0) and g.weight.min() == 1 and g.weight.max() == 7
    assert W[0, 1] == 4 and W[25, 31] == 7                   # two entries of Zachary's matrix


def test_karate_club_refuses_a_modified_file(tmp_path):
    data = bytearray((DATA / "karate_club.npz").read_bytes())
    data[-30] ^= 1
    (tmp_path / "karate_club.npz").write_bytes(bytes(data))
    with pytest.raises(D.DataIntegrityError, match="SHA-256"):
        D.load_karate_club(root=tmp_path)


def test_load_digits():
    split = D.load_digits()
    (X_train, y_train), (X_test, y_test) = split
    assert X_train.shape == (1438, 64) and X_test.shape == (359, 64)
    assert X_train.dtype == np.float64 and y_train.dtype == np.int64
    assert X_train.min() == 0 and X_train.max() == 16
    assert split.target_names == tuple(str(d) for d in range(10))
    assert len(split.feature_names) == 64
    X_all, y_all = D.load_digits(split="all")
    # train and test partition the data set: every image used exactly once
    rows = {r.tobytes() for r in X_all}
    assert {r.tobytes() for r in X_train} | {r.tobytes() for r in X_test} == rows
    assert len(X_train) + len(X_test) == len(X_all)
    # stratified: per-class test fraction 0.2 ± rounding
    frac = np.bincount(y_test, minlength=10) / np.bincount(y_all, minlength=10)
    assert np.all(np.abs(frac - 0.2) < 0.01)
    img, _ = D.load_digits(split="test", images=True, dtype=np.float32)
    assert img.shape == (359, 1, 8, 8) and img.dtype == np.float32
    np.testing.assert_array_equal(img.reshape(359, 64), X_test)


def test_splits_are_seeded():
    a = D.load_breast_cancer()
    b = D.load_breast_cancer()
    c = D.load_breast_cancer(seed=1)
    np.testing.assert_array_equal(a.X_train, b.X_train)
    assert not np.array_equal(a.y_train, c.y_train)
    assert a.X_train.shape == (456, 30) and a.X_test.shape == (113, 30)
    assert np.bincount(a.y_test).tolist() == [42, 71]                  # 20 % of 212 and of 357
    Xtr, ytr = D.load_breast_cancer(split="train")
    np.testing.assert_array_equal(Xtr, a.X_train)
    with pytest.raises(ValueError, match="split='validation'"):
        D.load_breast_cancer(split="validation")


@settings(deadline=None, max_examples=30)
@given(labels=st.lists(st.integers(0, 4), min_size=2, max_size=80),
       test_size=st.floats(0.05, 0.95), seed=st.integers(0, 1000))
def test_stratified_split_properties(labels, test_size, seed):
    y = np.array(labels)
    train, test = D.stratified_split(y, test_size, seed)
    assert sorted(np.concatenate([train, test]).tolist()) == list(range(len(y)))
    for c in np.unique(y):
        assert np.sum(y[test] == c) == int(round(test_size * np.sum(y == c)))
    again = D.stratified_split(y, test_size, seed)
    np.testing.assert_array_equal(again[0], train)


def test_a_corrupted_file_is_refused(tmp_path):
    shutil.copy(DATA / "digits.npz", tmp_path / "digits.npz")
    assert D.load_digits(split="all", root=tmp_path)[0].shape == (1797, 64)
    raw = bytearray((tmp_path / "digits.npz").read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    (tmp_path / "digits.npz").write_bytes(bytes(raw))
    with pytest.raises(D.DataIntegrityError, match=r"digits\.npz is corrupted.*SHA-256"):
        D.load_digits(root=tmp_path)
    with pytest.raises(D.DataIntegrityError, match="breast_cancer.npz is missing"):
        D.load_breast_cancer(root=tmp_path)


# ---------------------------------------------------------------------------------------------
# Toy data
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("make", [D.make_moons, D.make_circles, D.make_spirals, D.make_xor])
def test_toy_generators_are_seeded_and_shaped(make):
    X, y = make(n_samples=101, noise=0.1, seed=3)
    assert X.shape == (101, 2) and X.dtype == np.float64 and y.dtype == np.int64
    X2, y2 = make(n_samples=101, noise=0.1, seed=3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    X3, _ = make(n_samples=101, noise=0.1, seed=4)
    assert not np.array_equal(X, X3)
    with pytest.raises(ValueError, match="noise=-1"):
        make(n_samples=10, noise=-1)
    with pytest.raises(ValueError, match="n_samples=1"):
        make(n_samples=1)


def test_toy_geometry_without_noise():
    X, y = D.make_moons(200)
    assert np.bincount(y).tolist() == [100, 100]
    np.testing.assert_allclose(np.hypot(*X[y == 0].T), 1.0)             # upper moon: unit circle
    np.testing.assert_allclose(np.hypot(X[y == 1, 0] - 1, X[y == 1, 1] - 0.5), 1.0)
    X, y = D.make_circles(100, factor=0.3)
    np.testing.assert_allclose(np.hypot(*X.T), np.where(y == 0, 1.0, 0.3))
    X, y = D.make_spirals(99, n_classes=3)
    assert np.bincount(y).tolist() == [33, 33, 33] and np.hypot(*X.T).max() <= 1 + 1e-12
    X, y = D.make_xor(500)
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(int))
    assert 0.4 < y.mean() < 0.6


# ---------------------------------------------------------------------------------------------
# TensorDataset and DataLoader
# ---------------------------------------------------------------------------------------------
def test_tensor_dataset_lengths_must_match():
    with pytest.raises(ValueError, match=r"argument 0: 5, argument 1: 4"):
        D.TensorDataset(np.zeros((5, 2)), np.zeros(4))
    ds = D.TensorDataset(np.arange(10.0).reshape(5, 2), np.arange(5))
    assert len(ds) == 5
    x, y = ds[3]
    np.testing.assert_array_equal(x, [6.0, 7.0])
    assert y == 3


@pytest.mark.parametrize("n,bs,drop_last,expected_len", [(10, 3, False, 4), (10, 3, True, 3),
                                                         (9, 3, True, 3), (2, 5, False, 1),
                                                         (2, 5, True, 0)])
def test_data_loader_batches_cover_the_data(n, bs, drop_last, expected_len):
    X = np.arange(n * 2.0).reshape(n, 2)
    y = np.arange(n)
    loader = D.DataLoader(D.TensorDataset(X, y), batch_size=bs, shuffle=True, seed=0,
                          drop_last=drop_last)
    batches = list(loader)
    assert len(batches) == len(loader) == expected_len
    seen = np.concatenate([yb for _, yb in batches]) if batches else np.array([], int)
    assert len(set(seen.tolist())) == len(seen) == (n // bs * bs if drop_last else n)
    for xb, yb in batches:
        np.testing.assert_array_equal(xb, X[yb])                       # rows stay paired
        assert len(yb) == bs or (not drop_last and len(yb) == n % bs)


def test_data_loader_shuffling_is_seeded_and_changes_per_epoch():
    ds = D.TensorDataset(np.arange(50))
    first = [b[0].tolist() for b in D.DataLoader(ds, batch_size=50, shuffle=True, seed=7)]
    loader = D.DataLoader(ds, batch_size=50, shuffle=True, seed=7)
    e1 = next(iter(loader))[0].tolist()
    e2 = next(iter(loader))[0].tolist()
    assert e1 == first[0] and e1 != e2 and sorted(e1) == sorted(e2) == list(range(50))
    assert next(iter(D.DataLoader(ds, batch_size=50)))[0].tolist() == list(range(50))
    assert next(iter(D.DataLoader(ds, batch_size=50, shuffle=True, seed=8)))[0].tolist() != e1


def test_tensors_in_tensors_out_and_generic_datasets():
    X = dlmath.tensor(np.arange(12.0).reshape(6, 2))
    y = dlmath.tensor(np.arange(6))
    xb, yb = next(iter(D.DataLoader(D.TensorDataset(X, y), batch_size=4)))
    assert isinstance(xb, dlmath.Tensor) and isinstance(yb, dlmath.Tensor)
    assert xb.shape == (4, 2) and not xb.requires_grad
    np.testing.assert_array_equal(yb.data, [0, 1, 2, 3])

    class Squares(D.Dataset):
        def __len__(self):
            return 5

        def __getitem__(self, i):
            return np.array([i, i * i], dtype=float), i % 2

    batches = list(D.DataLoader(Squares(), batch_size=2))
    assert len(batches) == 3
    np.testing.assert_array_equal(batches[1][0], [[2, 4], [3, 9]])
    np.testing.assert_array_equal(batches[1][1], [0, 1])
    with pytest.raises(ValueError, match="batch_size=0"):
        D.DataLoader(Squares(), batch_size=0)


# ---------------------------------------------------------------------------------------------
# MNIST: IDX parsing and the downloader, against a local HTTP server
# ---------------------------------------------------------------------------------------------
IDX_CODES = {np.dtype(np.uint8): 0x08, np.dtype(np.int8): 0x09, np.dtype(np.int16): 0x0B,
             np.dtype(np.int32): 0x0C, np.dtype(np.float32): 0x0D, np.dtype(np.float64): 0x0E}


def idx_bytes(array):
    """An IDX file written by hand: 0x0000, type code, ndim, big-endian dims, big-endian data."""
    header = bytes([0, 0, IDX_CODES[array.dtype], array.ndim])
    header += b"".join(struct.pack(">I", n) for n in array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


@settings(deadline=None, max_examples=40)
@given(dtype=st.sampled_from(list(IDX_CODES)), shape=st.lists(st.integers(0, 4), min_size=1,
                                                                max_size=3),
       gz=st.booleans(), seed=st.integers(0, 100))
def test_read_idx_parses_every_type(dtype, shape, gz, seed):
    rng = np.random.default_rng(seed)
    array = (rng.standard_normal(shape) * 100).astype(dtype)
    raw = idx_bytes(array)
    got = D.read_idx(gzip.compress(raw) if gz else raw)
    assert got.dtype == dtype and got.shape == tuple(shape)
    np.testing.assert_array_equal(got, array)


def test_read_idx_rejects_bad_files():
    good = idx_bytes(np.arange(10, dtype=np.uint8).reshape(2, 5))
    with pytest.raises(D.DataIntegrityError, match=r"f\.idx: IDX data is truncated"):
        D.read_idx(good[:-1], "f.idx")
    with pytest.raises(D.DataIntegrityError, match="longer than its header"):
        D.read_idx(good + b"\0")
    with pytest.raises(D.DataIntegrityError, match="not an IDX file"):
        D.read_idx(b"\1" + good[1:])
    with pytest.raises(D.DataIntegrityError, match="type code 0x07"):
        D.read_idx(good[:2] + b"\x07" + good[3:])
    with pytest.raises(D.DataIntegrityError, match="gzip stream is corrupted or truncated"):
        D.read_idx(gzip.compress(good)[:-10], "x.gz")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _Truncating(_Quiet):
    """Announces the full Content-Length, sends half the body, closes the connection."""

    def do_GET(self):
        body = (Path(self.directory) / self.path.lstrip("/")).read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2])
        self.close_connection = True


def _serve(directory, handler=_Quiet):
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), lambda *a, **k: handler(*a, directory=str(directory), **k))
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture
def fake_mnist(tmp_path):
    """Small MNIST-format files, gzipped as the real ones, served on a loopback port."""
    rng = np.random.default_rng(0)
    arrays = {"train": (rng.integers(0, 256, (7, 28, 28), dtype=np.uint8),
                        rng.integers(0, 10, 7).astype(np.uint8)),
              "test": (rng.integers(0, 256, (3, 28, 28), dtype=np.uint8),
                       rng.integers(0, 10, 3).astype(np.uint8))}
    served = tmp_path / "served"
    served.mkdir()
    sums = {}
    for split, (images, labels) in arrays.items():
        for name, array in zip(mnist.FILES[split], (images, labels)):
            blob = gzip.compress(idx_bytes(array), mtime=0)
            (served / name).write_bytes(blob)
            sums[name] = hashlib.sha256(blob).hexdigest()
    server, url = _serve(served)
    yield dict(arrays=arrays, served=served, sums=sums, url=url, root=tmp_path / "cache")
    server.shutdown()
    server.server_close()


def _leftovers(folder):
    return sorted(p.name for p in Path(folder).rglob("*.part"))


def test_load_mnist_downloads_verifies_parses_and_caches(fake_mnist):
    f = fake_mnist
    X, y = D.load_mnist(root=f["root"], base_url=f["url"], checksums=f["sums"], verbose=False)
    np.testing.assert_array_equal(X, f["arrays"]["train"][0])
    np.testing.assert_array_equal(y, f["arrays"]["train"][1])
    assert X.dtype == np.uint8 and y.dtype == np.int64
    Xt, yt = D.load_mnist(root=f["root"], base_url=f["url"], checksums=f["sums"], train=False,
                          verbose=False)
    assert Xt.shape == (3, 28, 28)
    folder = f["root"] / "mnist"
    assert (folder / "train.npz").exists() and (folder / "test.npz").exists()
    assert _leftovers(f["root"]) == []
    # cached: works with the raw files gone and no server reachable
    for name in mnist.FILES["train"]:
        (folder / name).unlink()
    X2, _ = D.load_mnist(root=f["root"], base_url="http://127.0.0.1:9/", checksums=f["sums"],
                         download=False, verbose=False)
    np.testing.assert_array_equal(X2, X)


def test_wrong_checksum_is_an_error_and_the_file_is_not_kept(fake_mnist):
    f = fake_mnist
    sums = dict(f["sums"], **{"train-images-idx3-ubyte.gz": "0" * 64})
    with pytest.raises(D.DataIntegrityError) as err:
        D.load_mnist(root=f["root"], base_url=f["url"], checksums=sums, verbose=False)
    message = str(err.value)
    assert "train-images-idx3-ubyte.gz" in message and "SHA-256" in message and "0" * 64 in message
    folder = f["root"] / "mnist"
    assert not (folder / "train-images-idx3-ubyte.gz").exists()
    assert not (folder / "train.npz").exists() and _leftovers(f["root"]) == []


def test_the_published_checksums_are_used_by_default(fake_mnist):
    f = fake_mnist                                 # our fake files are not the real MNIST
    with pytest.raises(D.DataIntegrityError, match="expected 440fcabf"):
        D.load_mnist(root=f["root"], base_url=f["url"], verbose=False)
    with pytest.raises(D.DataIntegrityError, match="expected 08dc20ab"):
        D.load_mnist("fashion", root=f["root"], base_url=f["url"], verbose=False)


def test_a_corrupted_cached_file_is_replaced(fake_mnist):
    f = fake_mnist
    folder = f["root"] / "mnist"
    folder.mkdir(parents=True)
    (folder / "train-labels-idx1-ubyte.gz").write_bytes(b"garbage")
    _, y = D.load_mnist(root=f["root"], base_url=f["url"], checksums=f["sums"], verbose=False)
    np.testing.assert_array_equal(y, f["arrays"]["train"][1])
    assert hashlib.sha256((folder / "train-labels-idx1-ubyte.gz").read_bytes()).hexdigest() == \
        f["sums"]["train-labels-idx1-ubyte.gz"]


def test_a_truncated_file_with_matching_checksum_fails_to_parse_and_is_deleted(fake_mnist):
    f = fake_mnist
    name = "t10k-images-idx3-ubyte.gz"
    cut = (f["served"] / name).read_bytes()[:-40]
    (f["served"] / name).write_bytes(cut)
    sums = dict(f["sums"], **{name: hashlib.sha256(cut).hexdigest()})
    with pytest.raises(D.DataIntegrityError, match=f"{name}: the gzip stream is corrupted"):
        D.load_mnist(root=f["root"], base_url=f["url"], checksums=sums, train=False,
                     verbose=False)
    assert not (f["root"] / "mnist" / name).exists()


def test_a_download_cut_short_is_reported_as_truncated(fake_mnist):
    f = fake_mnist
    server, url = _serve(f["served"], _Truncating)
    try:
        with pytest.raises(D.DataIntegrityError, match=r"train-images-idx3-ubyte\.gz: download .* "
                                                       r"is truncated"):
            D.load_mnist(root=f["root"], base_url=url, checksums=f["sums"], verbose=False)
    finally:
        server.shutdown()
        server.server_close()
    assert list((f["root"] / "mnist").iterdir()) == []


def test_mirrors_are_tried_in_order_and_file_urls_work(fake_mnist):
    f = fake_mnist
    X, _ = D.load_mnist(root=f["root"], base_url=[f["url"] + "missing/", f["url"]],
                        checksums=f["sums"], verbose=False)
    assert X.shape == (7, 28, 28)
    X2, _ = D.load_mnist("fashion", root=f["root"], base_url=f["served"].as_uri(),
                         checksums=f["sums"], verbose=False)
    np.testing.assert_array_equal(X2, X)
    assert (f["root"] / "fashion" / "train.npz").exists()


def test_unreachable_mirror_and_bad_kind(fake_mnist):
    f = fake_mnist
    with pytest.raises(OSError, match=r"could not download .*missing/train-images"):
        D.load_mnist(root=f["root"], base_url=f["url"] + "missing/", checksums=f["sums"],
                     verbose=False)
    with pytest.raises(FileNotFoundError, match="download=False"):
        D.load_mnist(root=f["root"], download=False, verbose=False)
    with pytest.raises(ValueError, match="kind='emnist'"):
        D.load_mnist("emnist", root=f["root"])
