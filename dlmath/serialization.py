"""``dlmath.save`` / ``dlmath.load``: state dicts to and from ``.npz`` files.

The file is a plain NumPy ``.npz`` archive, written and read with ``allow_pickle=False`` (loading
a file never runs code): one array per tensor, plus one small JSON string ``__dlmath__`` that
records the structure — nested dicts, whether a value was a Tensor or an ndarray, and plain
Python values (numbers, strings, None, lists of them, e.g. an optimizer's hyper-parameters).

A save goes to a temporary file in the target's directory which is then ``os.replace``d over the
target: the replacement is atomic, so an interrupted save leaves the old file (or none), never
half a file.
"""
import io
import json
import os
import tempfile
import zipfile

import numpy as np

from .autograd.tensor import Tensor

__all__ = ["save", "load"]

_META = "__dlmath__"
_FORMAT = "dlmath.state/1"


def _encode(obj, arrays, path):
    """Return a JSON-able description of ``obj``, moving its arrays into ``arrays``."""
    where = "/".join(path) or "<root>"
    if isinstance(obj, Tensor):
        key = f"a{len(arrays)}"
        arrays[key] = obj.data
        return {"t": "tensor", "k": key}
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind == "O":
            raise TypeError(f"dlmath.save: the array at {where!r} has dtype object, which cannot "
                            f"be stored without pickle")
        key = f"a{len(arrays)}"
        arrays[key] = obj
        return {"t": "ndarray", "k": key}
    if isinstance(obj, np.generic):
        return {"t": "value", "v": obj.item()}
    if isinstance(obj, dict):
        items = []
        for k, v in obj.items():
            if not isinstance(k, (str, int)) or isinstance(k, bool):
                raise TypeError(f"dlmath.save: dict keys must be str or int, got "
                                f"{type(k).__name__} at {where!r}")
            items.append([k, _encode(v, arrays, path + [str(k)])])
        return {"t": "dict", "items": items}
    if isinstance(obj, (list, tuple)):
        return {"t": "tuple" if isinstance(obj, tuple) else "list",
                "items": [_encode(v, arrays, path + [str(i)]) for i, v in enumerate(obj)]}
    if obj is None or isinstance(obj, (bool, int, float, str)):
        if isinstance(obj, float) and not np.isfinite(obj):
            return {"t": "float", "v": repr(obj)}
        return {"t": "value", "v": obj}
    raise TypeError(f"dlmath.save: cannot store a {type(obj).__name__} at {where!r}; supported "
                    f"are dicts, lists/tuples, Tensors, ndarrays, numbers, strings and None")


def _decode(desc, arrays):
    t = desc["t"]
    if t == "tensor":
        return Tensor(arrays[desc["k"]])
    if t == "ndarray":
        return arrays[desc["k"]]
    if t == "dict":
        return {k: _decode(v, arrays) for k, v in desc["items"]}
    if t == "list":
        return [_decode(v, arrays) for v in desc["items"]]
    if t == "tuple":
        return tuple(_decode(v, arrays) for v in desc["items"])
    if t == "float":
        return float(desc["v"])
    if t == "value":
        return desc["v"]
    raise ValueError(f"unknown entry type {t!r}")


def save(obj, f):
    """Save ``obj`` — typically ``model.state_dict()`` (name → Tensor), or a dict of such dicts
    and plain values (``{'model': ..., 'optimizer': ..., 'epoch': 3}``) — to the file ``f`` (a
    path; the name is used exactly as given) or a binary file object."""
    arrays = {}
    meta = {"format": _FORMAT, "root": _encode(obj, arrays, [])}
    arrays[_META] = np.array(json.dumps(meta))
    if hasattr(f, "write"):
        np.savez(f, **arrays)
        return
    path = os.fspath(f)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp",
                               dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, **arrays)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def load(f, map_location=None, weights_only=True):
    """Load what ``dlmath.save`` wrote: tensors come back as Tensors (without grad), arrays as
    ndarrays, dicts as dicts. ``map_location`` and ``weights_only`` are accepted for PyTorch
    compatibility (dlmath is CPU-only and never unpickles).

    A missing file raises ``FileNotFoundError``; a file that is not a dlmath ``.npz`` (or is
    truncated/corrupted) raises ``ValueError`` saying so."""
    name = getattr(f, "name", None) if hasattr(f, "read") else os.fspath(f)
    if not hasattr(f, "read"):
        if not os.path.exists(name):
            raise FileNotFoundError(f"dlmath.load: no such file: {name!r}")
        with open(name, "rb") as fh:
            magic = fh.read(4)
        if magic != b"PK\x03\x04":
            raise ValueError(f"dlmath.load: {name!r} is not a dlmath checkpoint: an .npz archive "
                             f"written by dlmath.save starts with the zip signature b'PK\\x03"
                             f"\\x04', this file starts with {magic!r}")
    try:
        with np.load(f, allow_pickle=False) as npz:
            if not isinstance(npz, np.lib.npyio.NpzFile):
                raise ValueError("it holds a single .npy array, not an .npz archive")
            arrays = {k: npz[k] for k in npz.files}       # read everything now: CRC checks
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, KeyError,
            io.UnsupportedOperation) as e:
        if isinstance(e, FileNotFoundError):
            raise
        raise ValueError(f"dlmath.load: {name!r} is not a readable dlmath checkpoint (an .npz "
                         f"archive written by dlmath.save): {e}") from e
    if _META not in arrays:
        # a plain npz (np.savez): return its arrays as Tensors
        return {k: Tensor(v) for k, v in arrays.items()}
    try:
        meta = json.loads(str(arrays.pop(_META)))
        if meta.get("format") != _FORMAT:
            raise ValueError(f"unsupported format {meta.get('format')!r}")
        return _decode(meta["root"], arrays)
    except (ValueError, KeyError, TypeError) as e:
        raise ValueError(f"dlmath.load: {name!r} has a damaged or unknown dlmath header: "
                         f"{e}") from e
