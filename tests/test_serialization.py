"""dlmath.save / dlmath.load: npz round trips, atomic writes, clear errors on bad files."""
import os
import zipfile

import numpy as np
import pytest

import dlmath
import dlmath.nn as nn
from dlmath.autograd.tensor import Tensor


def test_flat_state_dict_round_trip_keeps_dtypes_and_types(tmp_path):
    sd = {"w": Tensor(np.arange(6, dtype=np.float32).reshape(2, 3)),
          "b": Tensor(np.array([1.5, -2.0])),
          "steps": Tensor(np.array(7, dtype=np.int64)),
          "raw": np.array([True, False])}
    path = tmp_path / "sd.npz"
    dlmath.save(sd, path)
    back = dlmath.load(path)
    assert list(back) == list(sd)
    for k in ("w", "b", "steps"):
        assert isinstance(back[k], Tensor) and not back[k].requires_grad
        assert back[k].dtype == sd[k].dtype and back[k].shape == sd[k].shape
        np.testing.assert_array_equal(back[k].data, sd[k].data)
    assert isinstance(back["raw"], np.ndarray) and back["raw"].dtype == bool
    # it is a plain npz that NumPy reads without pickle
    with np.load(path, allow_pickle=False) as npz:
        assert "__dlmath__" in npz.files


def test_nested_dicts_and_plain_values(tmp_path):
    ckpt = {"model": nn.Linear(3, 2).state_dict(), "epoch": 4, "lr": 0.1, "name": "run-1",
            "history": [1.0, 0.5, float("inf")], "best": None,
            "optimizer": {"state": {0: {"momentum_buffer": Tensor(np.ones(3))}},
                          "param_groups": [{"lr": 0.1, "params": [0, 1]}]}}
    path = tmp_path / "ckpt.pt"                          # any file name is used as given
    dlmath.save(ckpt, path)
    assert os.listdir(tmp_path) == ["ckpt.pt"]
    back = dlmath.load(str(path))
    assert back["epoch"] == 4 and back["lr"] == 0.1 and back["name"] == "run-1"
    assert back["history"] == [1.0, 0.5, float("inf")] and back["best"] is None
    assert list(back["model"]) == ["weight", "bias"]
    np.testing.assert_array_equal(back["optimizer"]["state"][0]["momentum_buffer"].data, 1.0)
    assert back["optimizer"]["param_groups"][0]["params"] == [0, 1]


def test_unsupported_values_are_rejected(tmp_path):
    with pytest.raises(TypeError, match="dtype object"):
        dlmath.save({"x": np.array([object()])}, tmp_path / "a.npz")
    with pytest.raises(TypeError, match="cannot store a set"):
        dlmath.save({"x": {1, 2}}, tmp_path / "b.npz")
    assert os.listdir(tmp_path) == []                    # nothing half-written left behind


def test_interrupted_save_leaves_the_old_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    dlmath.save({"w": Tensor(np.zeros(3))}, path)
    original = path.read_bytes()

    def crash(fh, **arrays):
        fh.write(b"PK\x03\x04 partial garbage")
        raise KeyboardInterrupt("power cut")

    monkeypatch.setattr(np, "savez", crash)
    with pytest.raises(KeyboardInterrupt):
        dlmath.save({"w": Tensor(np.ones(3))}, path)
    assert path.read_bytes() == original
    assert os.listdir(tmp_path) == ["model.npz"]         # the temporary file was removed


def test_loading_bad_files_gives_clear_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file"):
        dlmath.load(tmp_path / "missing.npz")
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(ValueError, match="not a dlmath checkpoint"):
        dlmath.load(text)
    good = tmp_path / "good.npz"
    dlmath.save({"w": Tensor(np.arange(1000.0))}, good)
    data = good.read_bytes()
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="not a readable dlmath checkpoint"):
        dlmath.load(truncated)
    flipped = bytearray(data)
    i = data.index(b"\x00\x00\x00\x00\x00\x00\xf0\x3f")  # the bytes of 1.0 inside the array
    flipped[i + 7] ^= 0xFF
    corrupted = tmp_path / "corrupted.npz"
    corrupted.write_bytes(bytes(flipped))
    with pytest.raises(ValueError, match="not a readable dlmath checkpoint"):
        dlmath.load(corrupted)                           # the zip CRC check catches it
    pickled = tmp_path / "pickled.npz"
    np.savez(pickled, x=np.array([{"a": 1}], dtype=object))
    with pytest.raises(ValueError, match="not a readable dlmath checkpoint"):
        dlmath.load(pickled)                             # allow_pickle=False is enforced


def test_plain_npz_loads_as_tensors(tmp_path):
    path = tmp_path / "plain.npz"
    np.savez(path, weight=np.ones((2, 2), np.float32))
    back = dlmath.load(path)
    assert isinstance(back["weight"], Tensor) and back["weight"].dtype == np.float32


def test_file_objects(tmp_path):
    path = tmp_path / "f.npz"
    with open(path, "wb") as fh:
        dlmath.save({"a": Tensor(np.ones(2))}, fh)
    with open(path, "rb") as fh:
        assert zipfile.is_zipfile(fh)
        fh.seek(0)
        back = dlmath.load(fh)
    np.testing.assert_array_equal(back["a"].data, 1.0)


def test_model_round_trip_with_buffers(tmp_path):
    dlmath.manual_seed(0)
    a = nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3))
    a(Tensor(np.random.default_rng(0).standard_normal((8, 4)).astype(np.float32)))
    dlmath.save(a.state_dict(), tmp_path / "m.npz")
    b = nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3))
    b.load_state_dict(dlmath.load(tmp_path / "m.npz"))
    np.testing.assert_array_equal(b[1].running_mean.data, a[1].running_mean.data)
    assert int(b[1].num_batches_tracked.item()) == 1
    with pytest.raises(RuntimeError, match=r'Missing key\(s\) in state_dict: "1.weight"'):
        c = nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3))
        sd = dlmath.load(tmp_path / "m.npz")
        del sd["1.weight"]
        c.load_state_dict(sd)
