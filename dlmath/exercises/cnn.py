"""Checkers for notebook 25: a CNN from scratch — evaluating a classifier class by class, and what
each layer of a convolutional network costs.

Each lists its hand-picked cases (expected values worked out by hand in the comments) and the
classic mistakes it recognises, then runs a seeded sweep — degenerate corners first — against an
oracle that is not a reference solution:

* ``check_precision_recall`` counts from the list of examples itself, class by class, in exact
  rational arithmetic: C_ij = #{n : t_n = i, p_n = j}, precision_j = #{t = p = j} / #{p = j},
  recall_i = #{t = p = i} / #{t = i} — no matrix is summed along an axis, so a transposed matrix
  or a wrong axis cannot agree with it by accident;
* ``check_layer_costs`` *measures* every layer with ``dlmath``'s own modules: the parameter count
  is the total size of a real layer's ``parameters()``, the output shape that of a real forward
  pass, and the multiply-adds are counted by running the operation on all-ones data — a
  convolution of an input padded with *ones* (so the padded products count too) by an all-ones
  kernel sums exactly one 1 per multiply-add, and so does an all-ones linear layer. No formula
  for any of the three is used."""
import copy
from fractions import Fraction

import numpy as np

from .core import Case, InputMutated, Mistake, Sweep, fmt, run_checks, _call

__all__ = ["check_precision_recall", "check_layer_costs"]


# ---------------------------------------------------------------------------------------------
# Exercise 1 · confusion matrix, precision and recall
# ---------------------------------------------------------------------------------------------

def _pr_oracle(y_true, y_pred, num_classes):
    """(C, precision, recall) by counting examples (see the module docstring); 0 for 0/0."""
    pairs = [(int(t), int(p)) for t, p in zip(np.asarray(y_true).tolist(),
                                                np.asarray(y_pred).tolist())]
    K = int(num_classes)
    C = np.array([[sum(1 for t, p in pairs if t == i and p == j) for j in range(K)]
                  for i in range(K)], dtype=np.int64)

    def ratio(hits, total):
        return float(Fraction(hits, total)) if total else 0.0

    precision = np.array([ratio(sum(1 for t, p in pairs if t == p == j),
                                sum(1 for _, p in pairs if p == j)) for j in range(K)])
    recall = np.array([ratio(sum(1 for t, p in pairs if t == p == i),
                             sum(1 for t, _ in pairs if t == i)) for i in range(K)])
    return C, precision, recall


def _pr_compare(out, expected, args=None):
    """None if out = (C, precision, recall) matches ``expected``, else a message."""
    if not isinstance(out, (tuple, list)) or len(out) != 3:
        return f"return a tuple of 3 values (C, precision, recall), got {fmt(out)}"
    C_exp, p_exp, r_exp = expected
    C = out[0]
    C_arr = np.asarray(getattr(C, "data", C))
    if C_arr.shape != C_exp.shape:
        return f"C: expected shape {C_exp.shape} (num_classes × num_classes), got {C_arr.shape}"
    if C_arr.dtype.kind not in "iu":
        if C_arr.dtype.kind == "f" and np.array_equal(C_arr, C_exp):
            return (f"C: the counts are right but stored as {C_arr.dtype}: a confusion matrix "
                    f"holds integer counts (np.zeros((K, K), dtype=int))")
        if C_arr.dtype.kind != "f":
            return f"C: expected an integer array, got dtype {C_arr.dtype}"
    if not np.array_equal(C_arr, C_exp):
        if C_exp.size <= 16:
            return f"C: expected {fmt(C_exp)}, got {fmt(C_arr)}"
        i, j = (int(v) for v in np.argwhere(C_arr != C_exp)[0])
        return f"C: expected C[{i}, {j}] = {C_exp[i, j]}, got {fmt(C_arr[i, j])}"
    for name, part, exp in (("precision", out[1], p_exp), ("recall", out[2], r_exp)):
        try:
            got = np.asarray(getattr(part, "data", part), dtype=float)
        except (TypeError, ValueError):
            return f"{name}: expected {fmt(exp)}, got {fmt(part)}"
        if got.shape != exp.shape:
            return f"{name}: expected shape {exp.shape}, got {got.shape} ({fmt(got)})"
        if not np.all(np.isfinite(got)):
            return f"{name}: expected {fmt(exp)}, got {fmt(got)} (nan or inf)"
        if not np.allclose(got, exp, rtol=1e-12, atol=1e-15):
            return f"{name}: expected {fmt(exp)}, got {fmt(got)}"
    return None


def _pr_input(rng, i):
    """(y_true, y_pred, K): corners first — one class, one example, everything wrong, a class
    absent from both, repeated pairs only, int32, uint8 and int8 labels (y_true·K + y_pred does
    not fit in the small ones); then K = 1–12, N = 1–80 with
    a random accuracy, some classes left out of the truth or the predictions."""
    a = lambda v, dt=np.int64: np.array(v, dtype=dt)
    corners = [
        (a([0, 0, 0]), a([0, 0, 0]), 1), (a([1]), a([0]), 2), (a([0, 1, 2]), a([1, 2, 0]), 3),
        (a([2, 2, 2, 2]), a([2, 2, 2, 2]), 4), (a([0, 3, 3, 0]), a([3, 3, 3, 3]), 6),
        (a([1, 0, 1, 1, 0], np.int32), a([1, 1, 1, 0, 0], np.int32), 2),
        (a([9, 8, 9, 0, 9], np.uint8), a([9, 9, 9, 0, 8], np.uint8), 12),
        (a([19, 18, 19, 0, 7], np.uint8), a([19, 19, 19, 0, 8], np.uint8), 20),   # 19·20 > 255
        (a([15, 14, 15, 3], np.int8), a([15, 15, 15, 3], np.int8), 16),          # 15·16 > 127
    ]
    if i < len(corners):
        return corners[i]
    K = int(rng.integers(1, 13))
    N = int(rng.integers(1, 81))
    present = rng.choice(K, size=int(rng.integers(1, K + 1)), replace=False)
    y_true = rng.choice(present, size=N)
    wrong = rng.integers(0, K, size=N)
    y_pred = np.where(rng.random(N) < rng.uniform(0, 1), y_true, wrong)
    if i % 5 == 0 and K > 1:                            # one class never predicted
        y_pred = np.where(y_pred == K - 1, 0, y_pred)
    dt = [np.int64, np.int64, np.int32, np.int16][i % 4]
    return y_true.astype(dt), y_pred.astype(dt), K


# a probe: class 0 three times right, a class (3) present but never predicted, a class (4) never
# present and never predicted, a non-symmetric matrix and precision ≠ recall
_PR_PROBE = (np.array([0, 0, 0, 1, 1, 2, 2, 2, 3, 0, 1]),
             np.array([0, 0, 0, 1, 2, 2, 0, 2, 1, 1, 1]), 5)


def _pr_variant(y_true, y_pred, K, *, transpose=False, swap=False, fancy=False, empty=0.0,
                infer=False, over_n=False, floor=False, same_axis=None):
    """The three results with one mistake switched on (for recognising mistakes)."""
    t, p = np.asarray(y_true, dtype=np.int64), np.asarray(y_pred, dtype=np.int64)
    if infer:
        K = int(max(t.max(), p.max())) + 1
    C = np.zeros((K, K), dtype=np.int64)
    if fancy:
        C[t, p] += 1                                   # buffered: repeated pairs count once
    else:
        np.add.at(C, (t, p), 1)
    if transpose:
        C = C.T
    diag = np.diag(C).astype(float)
    col, row = C.sum(axis=0), C.sum(axis=1)
    if same_axis == "rows":
        col = row
    elif same_axis == "cols":
        row = col
    if over_n:
        col = row = np.full(K, len(t))

    def div(a, b):
        with np.errstate(all="ignore"):
            return np.where(b > 0, (a // np.maximum(b, 1)) if floor else a / np.maximum(b, 1),
                            empty)
    prec, rec = div(diag, col), div(diag, row)
    if swap:
        prec, rec = rec, prec
    return C, prec, rec


class LibraryCalled(Exception):
    """The learner's function called dlmath.train.confusion_matrix, which the exercise forbids."""


def _no_library(fn):
    """fn, called with ``dlmath.train.confusion_matrix`` (and any global name of fn bound to it)
    replaced by a function that raises ``LibraryCalled``."""
    import dlmath.train as train
    original = train.confusion_matrix

    def forbidden(*args, **kwargs):
        raise LibraryCalled("it calls dlmath.train.confusion_matrix")

    def precision_recall(y_true, y_pred, num_classes):
        names = [k for k, v in getattr(fn, "__globals__", {}).items() if v is original]
        train.confusion_matrix = forbidden
        for k in names:
            fn.__globals__[k] = forbidden
        try:
            return fn(y_true, y_pred, num_classes)
        finally:
            train.confusion_matrix = original
            for k in names:
                fn.__globals__[k] = original
    precision_recall.__name__ = getattr(fn, "__name__", "precision_recall")
    return precision_recall


def _raises_library(f):
    try:
        _call(f, _PR_PROBE, mutates=True)
    except LibraryCalled:
        return True
    return False


def check_precision_recall(fn):
    """precision_recall(y_true, y_pred, num_classes) → (C, precision, recall), with C_ij the
    number of examples of true class i predicted as j, precision_j = C_jj / Σ_i C_ij and
    recall_i = C_ii / Σ_j C_ij, 0 where a denominator is 0.

    Catches: the matrix transposed (rows = predictions), precision and recall swapped, both taken
    along the same axis, repeated pairs counted once (``C[y_true, y_pred] += 1`` is buffered: use
    ``np.add.at``), nan (0/0) for a class never predicted or never present, 1 instead of 0 there,
    calling dlmath.train.confusion_matrix, counts kept in the labels' own small dtype (uint8
    counts wrap at 256), the number of classes taken from the data (a missing last class loses its row), dividing by N
    (that is each class's share of the accuracy), integer division, float32 ratios and a float
    matrix; the sweep has uint8 and int8 labels whose y_true·K + y_pred overflows their dtype.
    Sweep: the counting oracle of the module docstring."""
    a = lambda v: np.array(v, dtype=np.int64)
    cases = [
        # C = [[1, 1, 0], [0, 2, 0], [1, 0, 1]]; column sums 2, 3, 1 → precision ½, ⅔, 1;
        # row sums 2, 2, 2 → recall ½, 1, ½
        Case("y_true = [0, 0, 1, 1, 2, 2], y_pred = [0, 1, 1, 1, 2, 0], 3 classes",
             (a([0, 0, 1, 1, 2, 2]), a([0, 1, 1, 1, 2, 0]), 3),
             lambda o: _pr_compare(o, (np.array([[1, 1, 0], [0, 2, 0], [1, 0, 1]]),
                                       np.array([0.5, 2 / 3, 1.0]), np.array([0.5, 1.0, 0.5])))),
        # the pair (1, 1) three times: C[1, 1] = 3, not 1
        Case("repeated pairs: y_true = y_pred = [1, 1, 1, 0], 2 classes",
             (a([1, 1, 1, 0]), a([1, 1, 1, 0]), 2),
             lambda o: _pr_compare(o, (np.array([[1, 0], [0, 3]]), np.ones(2), np.ones(2)))),
        # rows 0: [1 0 0 0 0], 1: [1 1 0 0 0], 3: [1 0 0 0 0]; column sums 3, 1, 0, 0, 0 →
        # precision ⅓, 1, 0, 0, 0; row sums 1, 2, 0, 1, 0 → recall 1, ½, 0, 0, 0
        Case("classes 2 and 4 absent, class 3 never predicted: y_true = [0, 1, 1, 3], "
             "y_pred = [0, 0, 1, 0], 5 classes", (a([0, 1, 1, 3]), a([0, 0, 1, 0]), 5),
             lambda o: _pr_compare(o, (np.array([[1, 0, 0, 0, 0], [1, 1, 0, 0, 0], [0] * 5,
                                                 [1, 0, 0, 0, 0], [0] * 5]),
                                       np.array([1 / 3, 1.0, 0, 0, 0]),
                                       np.array([1.0, 0.5, 0, 0, 0])))),
        # one example, right: only C[2, 2] = 1; classes 0 and 1 have 0/0 → 0
        Case("one example: y_true = y_pred = [2], 3 classes", (a([2]), a([2]), 3),
             lambda o: _pr_compare(o, (np.array([[0, 0, 0], [0, 0, 0], [0, 0, 1]]),
                                       np.array([0.0, 0.0, 1.0]), np.array([0.0, 0.0, 1.0])))),
        # everything wrong: C = [[0, 1], [1, 0]], all 0
        Case("all wrong: y_true = [0, 1], y_pred = [1, 0]", (a([0, 1]), a([1, 0]), 2),
             lambda o: _pr_compare(o, (np.array([[0, 1], [1, 0]]), np.zeros(2), np.zeros(2)))),
        # 300 uint8 zeros predicted 0, one 1 predicted 0: C = [[300, 0], [1, 0]];
        # precision 300/301, 0 (never predicted); recall 1, 0
        Case("301 uint8 labels: 300 × (0 → 0) and one 1 → 0",
             (np.array([0] * 300 + [1], dtype=np.uint8), np.zeros(301, dtype=np.uint8), 2),
             lambda o: _pr_compare(o, (np.array([[300, 0], [1, 0]]), np.array([300 / 301, 0.0]),
                                       np.array([1.0, 0.0])))),
    ]
    true = _pr_oracle(*_PR_PROBE)

    def out(f):
        o = _call(f, _PR_PROBE, mutates=True)
        return o if isinstance(o, (tuple, list)) and len(o) == 3 else (None, None, None)

    def is_variant(**flags):
        want = _pr_variant(*_PR_PROBE, **flags)
        return lambda f: _pr_compare(out(f), want) is None

    def c_is(**flags):                        # the matrix matches the variant's
        want = _pr_variant(*_PR_PROBE, **flags)[0]
        return lambda f: (np.shape(out(f)[0]) == want.shape
                          and np.array_equal(np.asarray(out(f)[0]), want))

    def nonfinite_at_empty(f):
        _, prec, rec = out(f)
        try:
            prec, rec = np.asarray(prec, dtype=float), np.asarray(rec, dtype=float)
            return prec.shape == (5,) and rec.shape == (5,) and \
                not np.all(np.isfinite(prec[3:])) and not np.isfinite(rec[4])
        except (TypeError, ValueError):
            return False

    def float32_ratios(f):
        _, prec, rec = out(f)
        return any(np.asarray(v).dtype == np.float32 for v in (prec, rec)
                   if isinstance(v, np.ndarray))

    def float_matrix(f):
        C = np.asarray(out(f)[0])
        return C.dtype.kind == "f" and np.array_equal(C, true[0])

    big = (np.zeros(300, dtype=np.uint8), np.zeros(300, dtype=np.uint8), 1)

    def small_counts(f):                      # C kept in uint8: 300 wraps to 44
        o = _call(f, big, mutates=True)
        C = np.asarray(o[0]) if isinstance(o, (tuple, list)) and len(o) == 3 else None
        return C is not None and C.shape == (1, 1) and C.dtype.itemsize == 1

    mistakes = [
        Mistake("library call", _raises_library,
                "the exercise asks you to count the matrix yourself, without "
                "dlmath.train.confusion_matrix: np.add.at, np.bincount or a loop over the "
                "examples."),
        Mistake("counts in the labels' dtype", small_counts,
                "your counts are stored in the labels' dtype (uint8 here), which wraps at 256: "
                "300 becomes 44. Make C an int64 array, np.zeros((K, K), dtype=np.int64)."),
        Mistake("rows are predictions", c_is(transpose=True),
                "your C is transposed: rows are the TRUE class and columns the prediction, "
                "C[i, j] = #examples of class i predicted as j (so C[y_true, y_pred] += …)."),
        Mistake("repeated pairs counted once", c_is(fancy=True),
                "C[y_true, y_pred] += 1 with index arrays is buffered: each (i, j) that occurs "
                "several times is incremented only once. Use np.add.at(C, (y_true, y_pred), 1), "
                "np.bincount(y_true * K + y_pred, minlength=K * K), or a loop over the examples."),
        Mistake("classes taken from the data",
                lambda f: np.shape(out(f)[0]) in ((4, 4), (len(np.unique(_PR_PROBE[0])),) * 2),
                "the matrix must be num_classes × num_classes even when some class never occurs "
                "(here class 4): take K from num_classes, not from the labels you were given."),
        Mistake("precision and recall swapped", is_variant(swap=True),
                "precision_j divides by the column sum Σ_i C_ij (everything PREDICTED as j); "
                "recall_i by the row sum Σ_j C_ij (everything that IS i) — you have them the "
                "other way round."),
        Mistake("same axis for both", lambda f: is_variant(same_axis="rows")(f)
                or is_variant(same_axis="cols")(f),
                "precision and recall use different sums: precision_j = C_jj / (column j's sum), "
                "recall_i = C_ii / (row i's sum)."),
        Mistake("nan for empty classes", nonfinite_at_empty,
                "a class that is never predicted has precision 0/0, one never present recall "
                "0/0: return 0.0 for those, e.g. np.divide(diag, sums, out=np.zeros(K), "
                "where=sums > 0)."),
        Mistake("1 for empty classes", is_variant(empty=1.0),
                "for a 0/0 (a class never predicted or never present) the exercise asks for 0.0, "
                "not 1.0 (scikit-learn's zero_division=0)."),
        Mistake("divided by N", lambda f: is_variant(over_n=True)(f)
                or is_variant(over_n=True, swap=True)(f),
                "C_jj / N is class j's share of the accuracy, not a precision or recall: divide "
                "by the column sum (precision) or the row sum (recall)."),
        Mistake("integer division", is_variant(floor=True),
                "// is integer (floor) division: 2 // 3 = 0. Use / on floats."),
        Mistake("float32 ratios", float32_ratios,
                "your precision or recall is float32 (about 7 digits): compute the ratios in "
                "float64, e.g. np.diag(C).astype(float) / …."),
        Mistake("float matrix", float_matrix,
                "the counts are right but C is a float array: build it as integers, "
                "np.zeros((K, K), dtype=int)."),
    ]
    sweep = Sweep(_pr_input, _pr_oracle, _pr_compare, n=150, seed=25,
                  property="confusion matrix, precision and recall (counted example by example)",
                  hint="C[i, j] counts the examples with y_true = i and y_pred = j; precision_j = "
                       "C[j, j] / C[:, j].sum(), recall_i = C[i, i] / C[i, :].sum(), 0 for 0/0.")
    if not callable(fn):
        return run_checks("precision_recall", fn, [])
    return run_checks("precision_recall", _no_library(fn), cases, mistakes, sweep=sweep,
                      hint=sweep.hint)


# ---------------------------------------------------------------------------------------------
# Exercise 2 · what each layer costs
# ---------------------------------------------------------------------------------------------

def _measure(input_shape, layers):
    """[(params, macs, out_shape)] measured with dlmath's modules (see the module docstring)."""
    import dlmath as dm
    import dlmath.nn as nn
    import dlmath.nn.functional as F
    shape, rows = tuple(int(v) for v in input_shape), []
    with dm.no_grad():
        for layer in layers:
            kind, macs = layer[0], 0
            if kind == "conv":
                _, c_out, k, p = layer
                module = nn.Conv2d(shape[0], c_out, k, padding=p, dtype=np.float64)
                ones = np.pad(np.ones((1,) + shape), ((0, 0), (0, 0), (p, p), (p, p)),
                              constant_values=1.0)
                macs = F.conv2d(dm.tensor(ones), dm.tensor(np.ones((c_out, shape[0], k, k))))
            elif kind == "linear":
                module = nn.Linear(shape[0], layer[1], dtype=np.float64)
                macs = F.linear(dm.tensor(np.ones((1,) + shape)),
                                dm.tensor(np.ones((layer[1], shape[0]))))
            else:
                module = {"batchnorm": lambda: nn.BatchNorm2d(shape[0], dtype=np.float64),
                          "relu": nn.ReLU, "maxpool": lambda: nn.MaxPool2d(layer[1]),
                          "flatten": nn.Flatten}[kind]()
            module.eval()
            y = module(dm.tensor(np.zeros((1,) + shape)))
            macs = int(round(float(macs.data.sum()))) if not isinstance(macs, int) else 0
            shape = tuple(int(v) for v in y.shape[1:])
            rows.append((int(sum(q.data.size for q in module.parameters())), macs, shape))
    return rows


def _describe(layer):
    return "(" + ", ".join(repr(v) for v in layer) + ")"


def _costs_compare(out, expected, args):
    """None if ``out`` lists (params, macs, out_shape) per layer as ``expected``, else a message
    naming the first layer and quantity that differ."""
    layers = args[1]
    if not isinstance(out, (list, tuple)) or len(out) != len(expected):
        n = len(expected)
        return (f"return a list with one (params, macs, out_shape) tuple per layer ({n} "
                f"layer{'s' if n != 1 else ''}), got {fmt(out)}")
    for idx, (got, exp, layer) in enumerate(zip(out, expected, layers)):
        where = f"layer {idx} {_describe(layer)}"
        if not isinstance(got, (list, tuple)) or len(got) != 3:
            return f"{where}: expected a tuple (params, macs, out_shape), got {fmt(got)}"
        params, macs, shape = got
        shape_ok = isinstance(shape, tuple) and all(type(v) is int for v in shape)
        if not shape_ok:
            numpy = isinstance(shape, tuple) and all(isinstance(v, np.integer) for v in shape)
            return (f"{where}: out_shape must be a tuple of Python ints such as {exp[2]}, got "
                    f"{fmt(shape)}" + (_NUMPY_INT if numpy else " (use // for sizes: / gives "
                                       "floats)" if isinstance(shape, (tuple, list)) else ""))
        if tuple(int(v) for v in shape) != exp[2]:
            return f"{where}: expected out_shape {exp[2]}, got {tuple(int(v) for v in shape)}"
        for name, value, want in (("params", params, exp[0]), ("macs", macs, exp[1])):
            if type(value) is not int:
                ok = isinstance(value, (float, np.floating, np.integer)) and value == want
                return (f"{where}: {name} must be a Python int, got {fmt(value)}"
                        + (_NUMPY_INT if isinstance(value, np.integer) else
                           " (the value is right: use // or int)" if ok else ""))
            if int(value) != want:
                return f"{where}: expected {name} = {want}, got {int(value)}"
    return None


_NUMPY_INT = (" — a NumPy integer (from np.prod, .size of a NumPy shape, …): convert it with "
              "int(…). NumPy integers have a fixed width and overflow silently on big layers; "
              "Python ints never do")


def _costs_input(rng, i):
    """(input_shape, layers): corners first — no layers, a 1×1 convolution, padding larger than
    the kernel needs, a pooling that drops rows, a pool of 1, a flatten straight into linear
    layers, a non-square image; then random stacks of 1–3 conv blocks (conv, optional batch
    norm and ReLU, optional pooling) on 1–4 channels of 2–14 pixels, often followed by flatten
    and 1–2 linear layers."""
    corners = [
        ((1, 8, 8), []),
        ((3, 4, 5), [("conv", 2, 1, 0)]),
        ((2, 3, 3), [("conv", 4, 3, 3), ("relu",)]),
        ((2, 7, 5), [("maxpool", 2), ("maxpool", 2)]),
        ((1, 5, 6), [("maxpool", 1), ("conv", 1, 5, 0), ("batchnorm",)]),
        ((4, 2, 3), [("flatten",), ("linear", 5), ("relu",), ("linear", 1)]),
        ((1, 9, 4), [("conv", 3, 2, 1), ("batchnorm",), ("relu",), ("maxpool", 3),
                     ("flatten",), ("linear", 7)]),
    ]
    if i < len(corners):
        return corners[i]
    C, H, W = int(rng.integers(1, 5)), int(rng.integers(2, 15)), int(rng.integers(2, 15))
    if i % 3 == 0:
        W = H
    layers, c, h, w = [], C, H, W
    for _ in range(int(rng.integers(1, 4))):
        k = int(rng.integers(1, 6))
        p = int(rng.integers(0, 3))
        if min(h, w) + 2 * p < k:
            k = min(h, w) + 2 * p
        c = int(rng.integers(1, 9))
        h, w = h + 2 * p - k + 1, w + 2 * p - k + 1
        layers.append(("conv", c, k, p))
        if rng.random() < 0.5:
            layers.append(("batchnorm",))
        if rng.random() < 0.7:
            layers.append(("relu",))
        if rng.random() < 0.6 and min(h, w) >= 2:
            pk = int(rng.integers(2, min(h, w, 3) + 1))
            layers.append(("maxpool", pk))
            h, w = h // pk, w // pk
    if rng.random() < 0.7:
        layers.append(("flatten",))
        for _ in range(int(rng.integers(1, 3))):
            layers.append(("linear", int(rng.integers(1, 12))))
            if rng.random() < 0.4:
                layers.append(("relu",))
    return (C, H, W), layers


# a probe with every kind of layer: odd sizes, padding, a pool that drops a row, H ≠ W
_COSTS_PROBE = ((3, 9, 7), [("conv", 4, 3, 1), ("batchnorm",), ("relu",), ("maxpool", 2),
                            ("conv", 5, 2, 0), ("maxpool", 2), ("flatten",), ("linear", 6),
                            ("relu",), ("linear", 2)])


def _costs_variant(input_shape, layers, *, conv_bias=True, conv_cin=True, macs_cin=True,
                   macs_size="out", bias_mac=False, pad="both", pool="floor", bn=2,
                   linear_bias=True, keep_channels=False, elementwise_macs=False):
    """[(params, macs, out_shape)] from the formulas, with one mistake switched on."""
    (c, h, w), flat, rows = input_shape, None, []
    for layer in layers:
        kind, params, macs = layer[0], 0, 0
        if kind == "conv":
            _, co, k, p = layer
            pp = {"both": 2 * p, "once": p, "none": 0}[pad]
            ho, wo = h + pp - k + 1, w + pp - k + 1
            params = co * (c if conv_cin else 1) * k * k + (co if conv_bias else 0)
            area = {"out": ho * wo, "in": h * w, "padded": (h + 2 * p) * (w + 2 * p)}[macs_size]
            macs = co * ((c if macs_cin else 1) * k * k + bias_mac) * area
            c, h, w = (c if keep_channels else co), ho, wo
        elif kind == "batchnorm":
            params = bn * c
            macs = c * h * w if elementwise_macs else 0
        elif kind == "relu":
            size = flat if flat is not None else c * h * w
            macs = size if elementwise_macs else 0
        elif kind == "maxpool":
            k = layer[1]
            h, w = {"floor": (h // k, w // k), "ceil": (-(-h // k), -(-w // k)),
                    "stride1": (h - k + 1, w - k + 1)}[pool]
        elif kind == "flatten":
            flat = c * h * w
        elif kind == "linear":
            n_out = layer[1]
            params = flat * n_out + (n_out if linear_bias else 0)
            macs = (flat + bias_mac) * n_out
            flat = n_out
        rows.append((params, macs, (flat,) if flat is not None else (c, h, w)))
    return rows


def _guard_layers(fn):
    """fn, called so that a change to the caller's ``layers`` list counts as changing an input."""
    def layer_costs(input_shape, layers):
        before = copy.deepcopy(layers)
        out = fn(input_shape, layers)
        if layers != before:
            raise InputMutated("layers")
        return out
    layer_costs.__name__ = getattr(fn, "__name__", "layer_costs")
    return layer_costs


def check_layer_costs(fn):
    """layer_costs(input_shape, layers) → [(params, macs, out_shape)] per layer: a convolution
    has C_out·C·k² + C_out parameters and C_out·C·k²·H_o·W_o multiply-adds with
    H_o = H + 2p − k + 1; batch norm 2C parameters; a linear layer n_in·n_out + n_out parameters
    and n_in·n_out multiply-adds; pooling ⌊H/k⌋.

    Catches: the convolution's bias forgotten, its input channels forgotten (in the parameters,
    or in the multiply-adds), multiply-adds counted on the input's (or the padded input's) size
    instead of the output's, the bias counted as a multiply-add, padding ignored or added on one
    side only, pooling rounded up or with stride 1, batch norm's running statistics counted as
    parameters (or γ alone), the linear bias forgotten, the channel count not updated after a
    convolution, multiply-adds charged to the element-wise layers, float sizes (/ for //).
    Sweep: the measuring oracle of the module docstring."""
    if not callable(fn):
        return run_checks("layer_costs", fn, [])
    guarded = _guard_layers(fn)
    probe_truth = _measure(*_COSTS_PROBE)

    def column(rows, j):
        return [r[j] if isinstance(r, (list, tuple)) and len(r) == 3 else None for r in rows]

    def out(f):
        o = _call(f, copy.deepcopy(_COSTS_PROBE), mutates=True)
        return list(o) if isinstance(o, (list, tuple)) and len(o) == len(probe_truth) else None

    def col_is(j, **flags):                  # column j (0 params, 1 macs, 2 shapes) as the variant
        want = column(_costs_variant(*_COSTS_PROBE, **flags), j)

        def detect(f):
            got = out(f)
            if got is None:
                return False
            got = column(got, j)
            if j == 2:
                got = [tuple(int(v) for v in s) if isinstance(s, (tuple, list)) else s
                       for s in got]
            return got == want and want != column(probe_truth, j)
        return detect

    def float_sizes(f):
        got = out(f)
        return got is not None and any(
            isinstance(s, (tuple, list)) and any(isinstance(v, float) for v in s)
            for s in column(got, 2))

    mistakes = [
        Mistake("channels not updated", col_is(2, keep_channels=True),
                "after a convolution the image has c_out channels: the next layer's C is the "
                "conv's c_out, not the channels it received."),
        Mistake("padding ignored", col_is(2, pad="none"),
                "padding p adds p zeros on EVERY side: H_o = H + 2p − k + 1 (you left p out)."),
        Mistake("padding on one side", col_is(2, pad="once"),
                "p zeros are added on both sides (top and bottom, left and right): "
                "H_o = H + 2p − k + 1, not H + p − k + 1."),
        Mistake("pooling rounded up", col_is(2, pool="ceil"),
                "MaxPool2d(k) drops the rows and columns left over: ⌊H/k⌋ (H // k), not ⌈H/k⌉."),
        Mistake("pooling with stride 1", col_is(2, pool="stride1"),
                "MaxPool2d(k) moves its window k pixels at a time (stride k): the output is "
                "⌊H/k⌋, not H − k + 1."),
        Mistake("float sizes", float_sizes,
                "sizes are ints: use integer division H // k (H / k gives a float)."),
        Mistake("conv bias forgotten", col_is(0, conv_bias=False),
                "a convolution has one bias per output channel: C_out·C·k² + C_out parameters."),
        Mistake("input channels forgotten (params)", col_is(0, conv_cin=False),
                "each output channel's kernel spans ALL C input channels: the weights are "
                "C_out × C × k × k, so C_out·C·k² + C_out parameters."),
        Mistake("batch norm buffers counted", col_is(0, bn=4),
                "running_mean and running_var are buffers (statistics), not learnable "
                "parameters: BatchNorm2d(C) learns γ and β, 2C numbers."),
        Mistake("batch norm γ only", col_is(0, bn=1),
                "BatchNorm2d(C) learns a scale γ AND a shift β per channel: 2C parameters."),
        Mistake("linear bias forgotten", col_is(0, linear_bias=False),
                "Linear(n_in, n_out) has a bias per output: n_in·n_out + n_out parameters."),
        Mistake("input channels forgotten (macs)", col_is(1, macs_cin=False),
                "each convolution output is a sum over C·k·k products (all input channels): "
                "C_out·C·k²·H_o·W_o multiply-adds."),
        Mistake("macs on the input size", col_is(1, macs_size="in"),
                "multiply-adds are counted per OUTPUT position: C_out·C·k²·H_o·W_o with the "
                "output's H_o × W_o, not the input's H × W."),
        Mistake("macs on the padded size", col_is(1, macs_size="padded"),
                "the kernel is applied at H_o × W_o = (H + 2p − k + 1) × (W + 2p − k + 1) "
                "positions, not at every pixel of the padded input."),
        Mistake("bias counted as a multiply-add", col_is(1, bias_mac=True),
                "adding the bias is not a multiply-add: a conv output costs C·k² of them, a "
                "linear output n_in."),
        Mistake("macs for element-wise layers", col_is(1, elementwise_macs=True),
                "batch norm, ReLU, pooling and flatten count 0 multiply-adds in this exercise "
                "(only the weighted sums of conv and linear layers are counted)."),
    ]
    net25 = [("conv", 16, 3, 1), ("batchnorm",), ("relu",), ("maxpool", 2), ("conv", 32, 3, 1),
             ("batchnorm",), ("relu",), ("maxpool", 2), ("flatten",), ("linear", 64), ("relu",),
             ("linear", 10)]
    lenet = [("conv", 6, 5, 2), ("relu",), ("maxpool", 2), ("conv", 16, 5, 0), ("relu",),
             ("maxpool", 2), ("flatten",), ("linear", 120), ("relu",), ("linear", 84), ("relu",),
             ("linear", 10)]
    by_hand = [
        # the notebook's net on one 8×8 digit:
        #   conv 1→16, k3 p1: 16·1·9 + 16 = 160 params, 16·9·8·8 = 9 216 MACs, (16, 8, 8)
        #   batch norm: 2·16 = 32; pool 2: (16, 4, 4)
        #   conv 16→32: 32·16·9 + 32 = 4 640, 32·144·4·4 = 73 728, (32, 4, 4); bn 64;
        #   pool (32, 2, 2)
        #   flatten 128; linear 64: 128·64 + 64 = 8 256, 8 192; linear 10: 650, 640
        ("the notebook's CNN on (1, 8, 8)", ((1, 8, 8), net25),
         [(160, 9216, (16, 8, 8)), (32, 0, (16, 8, 8)), (0, 0, (16, 8, 8)), (0, 0, (16, 4, 4)),
          (4640, 73728, (32, 4, 4)), (64, 0, (32, 4, 4)), (0, 0, (32, 4, 4)), (0, 0, (32, 2, 2)),
          (0, 0, (128,)), (8256, 8192, (64,)), (0, 0, (64,)), (650, 640, (10,))]),
        # LeNet-5 on 28×28: conv 1→6 k5 p2: 156, 6·25·784 = 117 600, (6, 28, 28); pool (6, 14, 14)
        #   conv 6→16 k5: 16·150 + 16 = 2 416, 16·150·100 = 240 000, (16, 10, 10); pool (16, 5, 5)
        #   400 → 120: 48 120, 48 000; 120 → 84: 10 164, 10 080; 84 → 10: 850, 840
        ("LeNet-5 on (1, 28, 28)", ((1, 28, 28), lenet),
         [(156, 117600, (6, 28, 28)), (0, 0, (6, 28, 28)), (0, 0, (6, 14, 14)),
          (2416, 240000, (16, 10, 10)), (0, 0, (16, 10, 10)), (0, 0, (16, 5, 5)),
          (0, 0, (400,)), (48120, 48000, (120,)), (0, 0, (120,)), (10164, 10080, (84,)),
          (0, 0, (84,)), (850, 840, (10,))]),
        # (3, 7, 7), conv 3→4 k3: 4·27 + 4 = 112, 4·27·25 = 2 700, (4, 5, 5); pool 2 → (4, 2, 2)
        # (⌊5/2⌋ = 2, not 3); flatten 16; linear 3: 16·3 + 3 = 51, 48
        ("odd sizes: (3, 7, 7), conv k3, pool 2 drops a row",
         ((3, 7, 7), [("conv", 4, 3, 0), ("maxpool", 2), ("flatten",), ("linear", 3)]),
         [(112, 2700, (4, 5, 5)), (0, 0, (4, 2, 2)), (0, 0, (16,)), (51, 48, (3,))]),
        # (2, 5, 6), conv 2→3, k1, p2: (3, 9, 10); 3·2 + 3 = 9 params; 3·2·1·90 = 540 MACs
        ("padding wider than the kernel: (2, 5, 6), conv k1 p2",
         ((2, 5, 6), [("conv", 3, 1, 2)]), [(9, 540, (3, 9, 10))]),
        # VGG's 512-channel 3×3 layer at 224×224: 512·512·9 + 512 = 2 359 808 parameters;
        # 512·512·9·224·224 = 118 380 036 096 MACs — beyond 2³¹ and 2³², so no int32 products
        ("a VGG-sized layer: (512, 224, 224), conv 512, k3 p1",
         ((512, 224, 224), [("conv", 512, 3, 1)]),
         [(2_359_808, 118_380_036_096, (512, 224, 224))]),
    ]
    cases = [Case(name, args, (lambda e, a: lambda o: _costs_compare(o, e, a))(exp, args))
             for name, args, exp in by_hand]
    sweep = Sweep(_costs_input, _measure, _costs_compare, n=120, seed=25,
                  size=lambda args: len(args[1]) + sum(args[0]) / 100,
                  property="parameters, multiply-adds and output shape of each layer (measured "
                           "with dlmath's modules)",
                  hint="conv: C_out·C·k² + C_out parameters, C_out·C·k²·H_o·W_o multiply-adds, "
                       "H_o = H + 2p − k + 1; batch norm 2C; pool ⌊H/k⌋; linear n_in·n_out + "
                       "n_out and n_in·n_out.")
    return run_checks("layer_costs", guarded, cases, mistakes, sweep=sweep, hint=sweep.hint)
