"""dlmath.models.digits_cnn is notebook 25's network: the same layers, and for the same seed the
same initial weights as the notebook's own ``make_cnn`` (run from the notebook's source); dropout
adds one parameter-free layer before the last and changes no weight; bad dropout is refused."""
import json
import re
from pathlib import Path

import numpy as np
import pytest

import dlmath as dm
import dlmath.nn as nn
from dlmath.models import digits_cnn

NB25 = Path(__file__).resolve().parents[1] / "notebooks" / "25_cnn_from_scratch.ipynb"


def notebook_make_cnn():
    for cell in json.loads(NB25.read_text())["cells"]:
        src = "".join(cell["source"])
        m = re.search(r"^def make_cnn\(.*?\n(?=\S)", src, re.S | re.M)
        if cell["cell_type"] == "code" and m:
            env = {"dm": dm, "nn": nn}
            exec(m.group(0), env)
            return env["make_cnn"]
    raise AssertionError("notebook 25 defines no make_cnn")


def weights(model):
    return [p.data for p in model.parameters()]


@pytest.mark.parametrize("seed", [0, 3])
def test_digits_cnn_is_notebook_25s_network(seed):
    ours, theirs = digits_cnn(seed), notebook_make_cnn()(seed)
    assert [type(m).__name__ for m in ours] == [type(m).__name__ for m in theirs]
    assert len(weights(ours)) == len(weights(theirs)) == 12           # 2 conv, 2 batch-norm, 2 linear: weight and bias each
    for a, b in zip(weights(ours), weights(theirs)):
        assert a.shape == b.shape and a.dtype == b.dtype and np.array_equal(a, b)
    assert sum(w.size for w in weights(ours)) == 13_802
    x = dm.tensor(np.random.default_rng(seed).random((2, 1, 8, 8), dtype=np.float32))
    with dm.no_grad():
        assert tuple(ours.eval()(x).shape) == (2, 10)


def test_dropout_adds_one_layer_and_keeps_the_weights():
    plain, dropped = digits_cnn(1), digits_cnn(1, dropout=0.25)
    kinds = [type(m).__name__ for m in dropped]
    assert kinds[-2] == "Dropout" and dropped[-2].p == 0.25 and len(dropped) == len(plain) + 1
    assert all(np.array_equal(a, b) for a, b in zip(weights(plain), weights(dropped)))
    assert not any(np.array_equal(a, b) for a, b in zip(weights(digits_cnn(0)), weights(plain))
                   if a.ndim > 1)                  # another seed, other kernels and matrices


@pytest.mark.parametrize("p", [-0.1, 1.0, 1.5])
def test_bad_dropout_is_refused(p):
    with pytest.raises(ValueError, match="dropout"):
        digits_cnn(0, dropout=p)
