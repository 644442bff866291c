"""The notebook-25 checkers (dlmath/exercises/cnn.py): correct solutions pass (two different ones
each), each catalogued mistake — written as real wrong code — is caught under its own name, a stub
is "not attempted", uncatalogued wrong solutions get expected-vs-got, an input-mutating one the
in-place hint, the sweep catches what the hand-picked cases miss, each oracle agrees with an
independent computation, and the notebook's solutions pass."""
import json
import re
from pathlib import Path

import numpy as np
import pytest

import dlmath.nn as nn
from dlmath.exercises import cnn
from dlmath.train import confusion_matrix

check_precision_recall, check_layer_costs = cnn.check_precision_recall, cnn.check_layer_costs
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "25_cnn_from_scratch.ipynb"


def stub(*args):
    raise NotImplementedError


def _named(result, name):
    return result.status == "failed" and result.mistakes and result.mistakes[0] == name


# --------------------------------------------------------------------------------------------
# precision_recall
# --------------------------------------------------------------------------------------------

def pr_add_at(y_true, y_pred, num_classes):
    K = num_classes
    C = np.zeros((K, K), dtype=np.int64)
    np.add.at(C, (np.asarray(y_true), np.asarray(y_pred)), 1)
    diag, cols, rows = np.diag(C).astype(float), C.sum(axis=0), C.sum(axis=1)
    return (C, np.divide(diag, cols, out=np.zeros(K), where=cols > 0),
            np.divide(diag, rows, out=np.zeros(K), where=rows > 0))


def pr_loops(y_true, y_pred, num_classes):       # one example at a time, plain Python
    K = num_classes
    C = [[0] * K for _ in range(K)]
    for t, p in zip(y_true.tolist(), y_pred.tolist()):
        C[t][p] += 1
    prec, rec = [], []
    for c in range(K):
        col = sum(C[i][c] for i in range(K))
        row = sum(C[c])
        prec.append(C[c][c] / col if col else 0.0)
        rec.append(C[c][c] / row if row else 0.0)
    return np.array(C), np.array(prec), np.array(rec)


def _pr(build_C=None, finish=None):
    """pr_add_at with the matrix built (or the ratios finished) another way."""
    def f(y_true, y_pred, K):
        t, p = np.asarray(y_true).astype(np.int64), np.asarray(y_pred).astype(np.int64)
        C = build_C(t, p, K) if build_C else pr_add_at(t, p, K)[0]
        K = len(C)
        diag, cols, rows = np.diag(C).astype(float), C.sum(axis=0), C.sum(axis=1)
        return finish(C, diag, cols, rows, K) if finish else (
            C, np.divide(diag, cols, out=np.zeros(K), where=cols > 0),
            np.divide(diag, rows, out=np.zeros(K), where=rows > 0))
    return f


def _fancy(t, p, K):
    C = np.zeros((K, K), dtype=np.int64)
    C[t, p] += 1                                    # buffered: repeats count once
    return C


def _transposed(t, p, K):
    C = np.zeros((K, K), dtype=np.int64)
    np.add.at(C, (p, t), 1)                         # rows = predictions
    return C


def _inferred(t, p, K):
    K = int(max(t.max(), p.max())) + 1
    C = np.zeros((K, K), dtype=np.int64)
    np.add.at(C, (t, p), 1)
    return C


def _float_C(t, p, K):
    C = np.zeros((K, K))
    np.add.at(C, (t, p), 1)
    return C


def _nan_finish(C, diag, cols, rows, K):
    with np.errstate(all="ignore"):
        return C, diag / cols, diag / rows


def _ones_finish(C, diag, cols, rows, K):
    return (C, np.divide(diag, cols, out=np.ones(K), where=cols > 0),
            np.divide(diag, rows, out=np.ones(K), where=rows > 0))


def _swap_finish(C, diag, cols, rows, K):
    return (C, np.divide(diag, rows, out=np.zeros(K), where=rows > 0),
            np.divide(diag, cols, out=np.zeros(K), where=cols > 0))


def _same_finish(C, diag, cols, rows, K):
    r = np.divide(diag, rows, out=np.zeros(K), where=rows > 0)
    return C, r, r.copy()


def _over_n_finish(C, diag, cols, rows, K):
    return C, diag / C.sum(), diag / C.sum()


def _floor_finish(C, diag, cols, rows, K):
    d = np.diag(C)
    return (C, np.where(cols > 0, d // np.maximum(cols, 1), 0).astype(float),
            np.where(rows > 0, d // np.maximum(rows, 1), 0).astype(float))


def pr_library(y_true, y_pred, num_classes):  # right values, but not counted by hand
    C = confusion_matrix(y_true, y_pred, num_classes)
    return (C,) + pr_add_at(y_true, y_pred, num_classes)[1:]


def pr_label_dtype(y_true, y_pred, num_classes):
    C = np.zeros((num_classes, num_classes), dtype=np.asarray(y_true).dtype)
    np.add.at(C, (y_true, y_pred), 1)              # uint8 counts wrap at 256
    return (C,) + pr_add_at(y_true, y_pred, num_classes)[1:]


PR_WRONG = {
    "library call": pr_library,
    "counts in the labels' dtype": pr_label_dtype,
    "rows are predictions": _pr(build_C=_transposed),
    "repeated pairs counted once": _pr(build_C=_fancy),
    "classes taken from the data": _pr(build_C=_inferred),
    "precision and recall swapped": _pr(finish=_swap_finish),
    "same axis for both": _pr(finish=_same_finish),
    "nan for empty classes": _pr(finish=_nan_finish),
    "1 for empty classes": _pr(finish=_ones_finish),
    "divided by N": _pr(finish=_over_n_finish),
    "integer division": _pr(finish=_floor_finish),
    "float matrix": _pr(build_C=_float_C),
    "float32 ratios": _pr(finish=lambda C, d, cols, rows, K: (
        C, (d / np.maximum(cols, 1)).astype(np.float32),
        (d / np.maximum(rows, 1)).astype(np.float32))),
}


@pytest.mark.parametrize("solution", [pr_add_at, pr_loops])
def test_precision_recall_correct(solution, capsys):
    r = check_precision_recall(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(PR_WRONG))
def test_precision_recall_mistakes(name):
    r = check_precision_recall(PR_WRONG[name])
    assert _named(r, name), (r.mistakes, r.message)


def test_precision_recall_stub_generic_in_place(capsys):
    assert check_precision_recall(stub).status == "not attempted"
    assert "not attempted" in capsys.readouterr().out

    def off(y_true, y_pred, K):                     # recall 1 % too high: uncatalogued
        C, p, r = pr_add_at(y_true, y_pred, K)
        return C, p, r * 1.01
    r = check_precision_recall(off)
    assert r.status == "failed" and r.mistakes == [] and "expected" in r.message

    def in_place(y_true, y_pred, K):
        out = pr_add_at(y_true, y_pred, K)
        y_pred[:] = y_true                          # "fixes" the caller's predictions
        return out
    r = check_precision_recall(in_place)
    assert r.status == "failed" and "in place" in r.mistakes


def test_precision_recall_small_integer_labels():
    def bincount_in_label_dtype(y_true, y_pred, K):  # y_true·K + y_pred wraps in uint8 / int8
        codes = y_true * np.array(K, dtype=y_true.dtype) + y_pred
        C = np.bincount(codes.astype(np.int64) % (K * K), minlength=K * K).reshape(K, K)
        return _pr(build_C=lambda t, p, k: C)(y_true, y_pred, K)
    r = check_precision_recall(bincount_in_label_dtype)
    assert r.status == "failed" and "random inputs failed" in r.message


def test_precision_recall_sweep_catches_what_the_cases_miss():
    def small_only(y_true, y_pred, K):              # right for up to 8 classes, then transposed
        C, p, r = pr_add_at(y_true, y_pred, K)
        return (C, p, r) if K <= 8 else (C.T, r, p)
    r = check_precision_recall(small_only)
    assert r.status == "failed" and "random inputs failed" in r.message


def test_precision_recall_oracle_matches_library():
    """The counting oracle agrees with dlmath.train.confusion_matrix and with ratios of its
    column and row sums."""
    rng = np.random.default_rng(3)
    for _ in range(30):
        K, N = int(rng.integers(1, 11)), int(rng.integers(1, 60))
        t, p = rng.integers(0, K, N), rng.integers(0, K, N)
        C, prec, rec = cnn._pr_oracle(t, p, K)
        assert np.array_equal(C, confusion_matrix(t, p, num_classes=K))
        cols, rows = C.sum(axis=0), C.sum(axis=1)
        assert np.allclose(prec[cols > 0], np.diag(C)[cols > 0] / cols[cols > 0])
        assert np.allclose(rec[rows > 0], np.diag(C)[rows > 0] / rows[rows > 0])
        assert np.all(prec[cols == 0] == 0) and np.all(rec[rows == 0] == 0)


# --------------------------------------------------------------------------------------------
# layer_costs
# --------------------------------------------------------------------------------------------

def costs_formulas(input_shape, layers):
    c, h, w = input_shape
    flat, rows = None, []
    for layer in layers:
        kind = layer[0]
        if kind == "conv":
            _, c_out, k, p = layer
            h, w = h + 2 * p - k + 1, w + 2 * p - k + 1
            rows.append((c_out * c * k * k + c_out, c_out * c * k * k * h * w, (c_out, h, w)))
            c = c_out
        elif kind == "batchnorm":
            rows.append((2 * c, 0, (c, h, w)))
        elif kind == "maxpool":
            h, w = h // layer[1], w // layer[1]
            rows.append((0, 0, (c, h, w)))
        elif kind == "flatten":
            flat = c * h * w
            rows.append((0, 0, (flat,)))
        elif kind == "linear":
            rows.append((flat * layer[1] + layer[1], flat * layer[1], (layer[1],)))
            flat = layer[1]
        else:                                         # relu
            rows.append((0, 0, (flat,) if flat is not None else (c, h, w)))
    return rows


def costs_modules(input_shape, layers):     # parameters from real modules, shapes by the rule
    shape, rows = tuple(input_shape), []
    for layer in layers:
        kind, macs, m = layer[0], 0, None
        if kind == "conv":
            _, c_out, k, p = layer
            m = nn.Conv2d(shape[0], c_out, k, padding=p)
            shape = (c_out,) + tuple(n + 2 * p - k + 1 for n in shape[1:])
            macs = m.weight.data.size * shape[1] * shape[2]
        elif kind == "linear":
            m = nn.Linear(shape[0], layer[1])
            shape, macs = (layer[1],), m.weight.data.size
        elif kind == "batchnorm":
            m = nn.BatchNorm2d(shape[0])
        elif kind == "maxpool":
            shape = (shape[0],) + tuple(n // layer[1] for n in shape[1:])
        elif kind == "flatten":
            shape = (shape[0] * shape[1] * shape[2],)
        rows.append((sum(q.data.size for q in m.parameters()) if m else 0, macs, shape))
    return rows


def _costs(**flags):
    return lambda s, layers: cnn._costs_variant(s, layers, **flags)


def costs_float_sizes(input_shape, layers):
    out = []
    for params, macs, shape in costs_formulas(input_shape, layers):
        out.append((params, macs, tuple(float(v) for v in shape)))
    return out


COSTS_WRONG = {
    "channels not updated": _costs(keep_channels=True),
    "padding ignored": _costs(pad="none"),
    "padding on one side": _costs(pad="once"),
    "pooling rounded up": _costs(pool="ceil"),
    "pooling with stride 1": _costs(pool="stride1"),
    "float sizes": costs_float_sizes,
    "conv bias forgotten": _costs(conv_bias=False),
    "input channels forgotten (params)": _costs(conv_cin=False),
    "batch norm buffers counted": _costs(bn=4),
    "batch norm γ only": _costs(bn=1),
    "linear bias forgotten": _costs(linear_bias=False),
    "input channels forgotten (macs)": _costs(macs_cin=False),
    "macs on the input size": _costs(macs_size="in"),
    "macs on the padded size": _costs(macs_size="padded"),
    "bias counted as a multiply-add": _costs(bias_mac=True),
    "macs for element-wise layers": _costs(elementwise_macs=True),
}


@pytest.mark.parametrize("solution", [costs_formulas, costs_modules])
def test_layer_costs_correct(solution, capsys):
    r = check_layer_costs(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(COSTS_WRONG))
def test_layer_costs_mistakes(name):
    r = check_layer_costs(COSTS_WRONG[name])
    assert _named(r, name), (r.mistakes, r.message)


def test_layer_costs_python_ints_and_no_overflow():
    def numpy_ints(input_shape, layers):
        return [(np.int64(p), np.int64(m), tuple(np.int64(v) for v in s))
                for p, m, s in costs_formulas(input_shape, layers)]
    r = check_layer_costs(numpy_ints)
    assert r.status == "failed" and "NumPy integer" in r.message

    def int32_products(input_shape, layers):
        return [(p, int(np.int64(m).astype(np.int32)), s)
                for p, m, s in costs_formulas(input_shape, layers)]
    r = check_layer_costs(int32_products)
    assert r.status == "failed" and "VGG" in r.message


def test_layer_costs_variant_without_flags_is_right():
    rng = np.random.default_rng(1)
    for i in range(40):
        args = cnn._costs_input(rng, i)
        assert cnn._costs_variant(*args) == cnn._measure(*args)


def test_layer_costs_stub_generic_in_place(capsys):
    assert check_layer_costs(stub).status == "not attempted"
    assert "not attempted" in capsys.readouterr().out

    def off_by_one(input_shape, layers):             # one MAC too many per conv: uncatalogued
        return [(p, m + (1 if m and s[0] != m else 0), s)
                for (p, m, s) in costs_formulas(input_shape, layers)]
    r = check_layer_costs(off_by_one)
    assert r.status == "failed" and r.mistakes == [] and "expected macs" in r.message

    def pops(input_shape, layers):                   # right, but empties the caller's list
        out = costs_formulas(input_shape, layers)
        while layers:
            layers.pop()
        return out
    r = check_layer_costs(pops)
    assert r.status == "failed" and "in place" in r.mistakes
    assert not check_layer_costs(42)


def test_layer_costs_sweep_catches_what_the_cases_miss():
    def small_kernels_only(input_shape, layers):     # right for k ≤ 3, ceil pooling after k = 4
        rows = costs_formulas(input_shape, layers)
        if any(L[0] == "conv" and L[2] == 4 for L in layers):
            rows = [(p, m + 1, s) for p, m, s in rows]
        return rows
    r = check_layer_costs(small_kernels_only)
    assert r.status == "failed" and "random inputs failed" in r.message


def test_layer_costs_oracle_is_a_measurement():
    """The measured MACs equal the number of multiplications of a direct loop convolution on a
    tiny case, and the parameter counts those of PyTorch-style formulas."""
    shape, layers = (2, 4, 3), [("conv", 3, 2, 1), ("flatten",), ("linear", 4)]
    rows = cnn._measure(shape, layers)
    count, (C, H, W), (_, co, k, p) = 0, shape, layers[0]
    for _o in range(co):
        for i in range(H + 2 * p - k + 1):
            for j in range(W + 2 * p - k + 1):
                count += C * k * k                 # one product per tap and input channel
    assert rows[0] == (co * C * k * k + co, count, (3, 5, 4))
    assert rows[2] == (60 * 4 + 4, 60 * 4, (4,))


# --------------------------------------------------------------------------------------------
# the notebook's solutions
# --------------------------------------------------------------------------------------------

def _solutions():
    nb = json.loads(NOTEBOOK.read_text())
    found = {}
    for cell in nb["cells"]:
        src = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and "<summary>Solution" in src:
            code = re.search(r"```python\n(.*?)```", src, re.S).group(1)
            name = re.search(r"def (\w+)\(", code).group(1)
            found[name] = code
    return found


@pytest.mark.skipif(not NOTEBOOK.exists(), reason="notebook 25 not written yet")
def test_notebook_solutions_pass():
    sols = _solutions()
    assert set(sols) == {"precision_recall", "layer_costs"}
    for name, check in (("precision_recall", check_precision_recall),
                        ("layer_costs", check_layer_costs)):
        ns = {"np": np}
        exec(sols[name], ns)
        r = check(ns[name])
        assert r, r.message
