"""MNIST and Fashion-MNIST: download the original IDX files, verify them, parse them, cache them.

    X, y = load_mnist()                          # 60 000 training digits: uint8 (n, 28, 28), int64
    X, y = load_mnist("fashion", train=False)    # 10 000 Fashion-MNIST test images

The first call downloads the two files of the split (images and labels, gzipped IDX) into
``root/<kind>/`` (default root: ``$DLMATH_DATA`` or ``~/.cache/dlmath``), checks each file's
SHA-256 against the published value, parses it and caches the arrays as ``train.npz`` /
``test.npz``; later calls read the cache. Downloads are written to a temporary file and renamed
only once complete and verified, so a partial, corrupted or substituted file is deleted and never
used: the error names the file, the URL and the checksums.

The IDX format (LeCun et al.): two zero bytes, a type byte (0x08 = uint8, 0x09 = int8,
0x0B = int16, 0x0C = int32, 0x0D = float32, 0x0E = float64), the number of dimensions d, then d
big-endian uint32 sizes, then the values, big-endian, in C order. Images are 0x00000803
(uint8, 3-D: count × 28 × 28), labels 0x00000801 (uint8, 1-D).
"""
import gzip
import hashlib
import http.client
import os
import struct
import sys
import tempfile
import urllib.error
import urllib.request
import zlib
from pathlib import Path

import numpy as np

from .datasets import DataIntegrityError, _sha256

__all__ = ["load_mnist", "read_idx", "MIRRORS", "FILES", "SHA256", "default_root"]

#: Where the files are fetched from, tried in order (override with ``base_url=``).
MIRRORS = {
    "mnist": ("https://ossci-datasets.s3.amazonaws.com/mnist/",
              "https://storage.googleapis.com/cvdf-datasets/mnist/"),
    "fashion": ("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",),
}

#: The (images, labels) file names of each split; the same names for both kinds.
FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}

#: Published SHA-256 of the canonical gzipped files.
SHA256 = {
    "mnist": {
        "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
        "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
        "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
        "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
    },
    "fashion": {
        "train-images-idx3-ubyte.gz": "08dc20ab1689590a0bcd66e874647b6ee8464e2d501b5a3f1f78831db19a3fdc",
        "train-labels-idx1-ubyte.gz": "b0197879cbda89f3dc7b894f9fd52b858e68ea4182b6947c9d8c2b67e5f18dcc",
        "t10k-images-idx3-ubyte.gz": "78dcbbfb5a27efaf1b6c1d616caca68560be8766c5bffcb2791df9273a534229",
        "t10k-labels-idx1-ubyte.gz": "42bd18137a62d5998cdeae52bf3a0676ac6b706f5cf8439b47bb5b151ae3dccf",
    },
}

_IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def default_root():
    """``$DLMATH_DATA`` if set, else ``~/.cache/dlmath``."""
    return Path(os.environ.get("DLMATH_DATA") or Path.home() / ".cache" / "dlmath")


def read_idx(source, name=None):
    """Parse an IDX file (raw or gzipped) given as a path or as bytes; return an ndarray.

    Raises ``DataIntegrityError`` naming the file when the magic number, type code or size does not
    add up (for instance a truncated download).
    """
    if isinstance(source, (bytes, bytearray)):
        raw, name = bytes(source), name or "<bytes>"
    else:
        raw, name = Path(source).read_bytes(), name or str(source)
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (EOFError, OSError, zlib.error) as e:
            raise DataIntegrityError(f"{name}: the gzip stream is corrupted or truncated ({e})") \
                from None
    if len(raw) < 4:
        raise DataIntegrityError(f"{name}: too short to be an IDX file ({len(raw)} bytes)")
    if raw[0] != 0 or raw[1] != 0:
        raise DataIntegrityError(f"{name}: not an IDX file (magic number starts with "
                                 f"{raw[:2].hex()}, expected 0000)")
    code, ndim = raw[2], raw[3]
    if code not in _IDX_TYPES:
        raise DataIntegrityError(f"{name}: unknown IDX type code 0x{code:02X}")
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise DataIntegrityError(f"{name}: truncated IDX header ({len(raw)} bytes, the header "
                                 f"of a {ndim}-D array needs {header})")
    dims = struct.unpack(f">{ndim}I", raw[4:header])
    dtype = np.dtype(_IDX_TYPES[code])
    expected = int(np.prod(dims, dtype=np.int64)) * dtype.itemsize
    if len(raw) - header != expected:
        what = "truncated" if len(raw) - header < expected else "longer than its header says"
        raise DataIntegrityError(f"{name}: IDX data is {what}: header says shape {dims} "
                                 f"({expected} bytes of {dtype.name}), found "
                                 f"{len(raw) - header} bytes")
    return np.frombuffer(raw, dtype=dtype, offset=header).reshape(dims).astype(dtype.newbyteorder("="))


def _download(url, dest, expected_sha256, timeout):
    """Fetch ``url`` into ``dest`` via a temporary file in the same folder, verifying SHA-256."""
    fd, tmp = tempfile.mkstemp(prefix=dest.name + ".", suffix=".part", dir=dest.parent)
    try:
        h = hashlib.sha256()
        received = 0
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=timeout) as resp:
            length = resp.headers.get("Content-Length") if hasattr(resp, "headers") else None
            while True:
                try:
                    chunk = resp.read(1 << 16)
                except http.client.IncompleteRead as e:       # the connection closed early
                    received += len(e.partial)
                    chunk = b""
                if not chunk:
                    break
                out.write(chunk)
                h.update(chunk)
                received += len(chunk)
        if length is not None and received != int(length):
            raise DataIntegrityError(f"{dest.name}: download from {url} is truncated: received "
                                     f"{received} of {length} bytes")
        actual = h.hexdigest()
        if actual != expected_sha256:
            raise DataIntegrityError(f"{dest.name}: downloaded from {url}, but its SHA-256 is "
                                     f"{actual}, expected {expected_sha256}; the file was "
                                     "deleted")
        os.replace(tmp, dest)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _fetch(name, folder, mirrors, expected, timeout, download, verbose):
    """Return the path of a verified copy of ``name`` in ``folder``, downloading it if needed."""
    path = folder / name
    if path.exists():
        if _sha256(path) == expected:
            return path
        if verbose:
            print(f"dlmath: {path} does not match its SHA-256; deleting it and downloading again",
                  file=sys.stderr)
        path.unlink()
    if not download:
        raise FileNotFoundError(f"{path} is not cached and download=False")
    errors = []
    for base in mirrors:
        url = base.rstrip("/") + "/" + name
        if verbose:
            print(f"dlmath: downloading {url}", file=sys.stderr)
        try:
            _download(url, path, expected, timeout)
            return path
        except DataIntegrityError as e:
            errors.append(e)
        except (urllib.error.URLError, OSError, ValueError) as e:   # unreachable, 404, bad URL …
            errors.append(OSError(f"{name}: could not download {url}: {e}"))
    message = "; ".join(str(e) for e in errors)
    if any(isinstance(e, DataIntegrityError) for e in errors):
        raise DataIntegrityError(message)
    raise OSError(message)


def load_mnist(kind="mnist", root=None, train=True, *, base_url=None, checksums=None,
               download=True, timeout=60, verbose=True):
    """Load MNIST (``kind="mnist"``) or Fashion-MNIST (``kind="fashion"``) as NumPy arrays.

    Returns ``(images, labels)``: images uint8 of shape (n, 28, 28) with values 0–255, labels
    int64 0–9; n = 60 000 for ``train=True``, 10 000 otherwise.

    Parameters
    ----------
    root : path, optional        cache folder (default ``default_root()``); files go to root/kind/
    base_url : str or list       mirror(s) to download from, tried in order (default MIRRORS[kind])
    checksums : dict, optional   {file name: SHA-256} replacing the published values (for tests)
    download : bool              if False, only use files already in the cache
    timeout : float              seconds per network operation
    """
    if kind not in SHA256:
        raise ValueError(f"load_mnist: invalid kind={kind!r}; use 'mnist' or 'fashion'")
    split = "train" if train else "test"
    folder = Path(root if root is not None else default_root()) / kind
    folder.mkdir(parents=True, exist_ok=True)
    sums = dict(SHA256[kind], **(checksums or {}))
    mirrors = MIRRORS[kind] if base_url is None else (
        (base_url,) if isinstance(base_url, (str, os.PathLike)) else tuple(base_url))
    mirrors = tuple(str(m) for m in mirrors)
    image_file, label_file = FILES[split]
    expected = (sums[image_file], sums[label_file])

    cache = folder / f"{split}.npz"
    if cache.exists():
        try:
            with np.load(cache, allow_pickle=False) as z:
                if tuple(z["sha256"].tolist()) == expected:
                    return z["images"], z["labels"]
        except Exception:                       # unreadable cache: rebuild it from the raw files
            pass
        cache.unlink()

    arrays = []
    for name in (image_file, label_file):
        path = _fetch(name, folder, mirrors, sums[name], timeout, download, verbose)
        try:
            arrays.append(read_idx(path, name))
        except DataIntegrityError:
            path.unlink()
            raise
    images, labels = arrays
    if images.ndim != 3 or images.dtype != np.uint8:
        raise DataIntegrityError(f"{image_file}: expected a 3-D uint8 IDX array, got "
                                 f"{images.ndim}-D {images.dtype}")
    if labels.ndim != 1 or len(labels) != len(images):
        raise DataIntegrityError(f"{label_file}: expected {len(images)} labels (one per image in "
                                 f"{image_file}), got shape {labels.shape}")
    labels = labels.astype(np.int64)
    fd, tmp = tempfile.mkstemp(prefix=cache.name + ".", suffix=".part", dir=folder)
    os.close(fd)
    try:
        with open(tmp, "wb") as f:
            np.savez_compressed(f, images=images, labels=labels, sha256=np.array(expected))
        os.replace(tmp, cache)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return images, labels
