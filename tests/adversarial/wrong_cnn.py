"""Adversarial wrong solutions for notebook 25 (a CNN from scratch): the confusion matrix with
per-class precision and recall, and the parameter / multiply-add / shape bookkeeping of a small
network's layers.

Written from the exercise text alone (/tmp/exercises/25.md), without reading the checkers. Each
entry is a plausible learner's mistake or a near-miss correct on typical inputs only; the comment
beside it names an input allowed by the statement on which it differs from a correct solution
(checked against a scratch loop reference outside the repo).  Entries labelled "HANGS:" never
return on some inputs.
"""
import numpy as np


# ---------------------------------------------------------------------------------------------
# Exercise 1 — precision_recall(y_true, y_pred, num_classes) -> (C, precision, recall)
# ---------------------------------------------------------------------------------------------

def _safe_div(num, den):
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    out = np.zeros_like(num)
    np.divide(num, den, out=out, where=den > 0)
    return out


def _pr_from_C(C):
    d = np.diag(C)
    return _safe_div(d, C.sum(axis=0)), _safe_div(d, C.sum(axis=1))


def _count(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=np.int64)
    np.add.at(C, (y_true, y_pred), 1)
    return C


def _pr_transposed_matrix(y_true, y_pred, num_classes):
    # witness: y_true=[0], y_pred=[1], K=2 -> C=[[0,0],[1,0]] (true [[0,1],[0,0]]), and
    # the formulas applied to it swap precision and recall
    C = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(C, (y_pred, y_true), 1)          # rows: prediction
    p, r = _pr_from_C(C)
    return C, p, r


def _pr_transposed_matrix_only(y_true, y_pred, num_classes):
    # witness: y_true=[0], y_pred=[1], K=2 -> C transposed; precision/recall right
    C = _count(y_true, y_pred, num_classes)
    p, r = _pr_from_C(C)
    return C.T.copy(), p, r


def _pr_swapped(y_true, y_pred, num_classes):
    # witness: y_true=[0,0], y_pred=[0,1], K=2 -> precision [0.5, 0] (true [1, 0]), recall [1, 0]
    C = _count(y_true, y_pred, num_classes)
    d = np.diag(C)
    return C, _safe_div(d, C.sum(axis=1)), _safe_div(d, C.sum(axis=0))


def _pr_nan_zero_division(y_true, y_pred, num_classes):
    # witness: y_true=[0], y_pred=[0], K=2 -> precision[1] = nan (true 0.0)
    C = _count(y_true, y_pred, num_classes)
    d = np.diag(C).astype(float)
    return C, d / C.sum(axis=0), d / C.sum(axis=1)


def _pr_zero_division_one(y_true, y_pred, num_classes):
    # witness: y_true=[0], y_pred=[0], K=2 -> precision[1] = recall[1] = 1.0 (true 0.0)
    C = _count(y_true, y_pred, num_classes)
    d = np.diag(C).astype(float)
    col, row = C.sum(axis=0), C.sum(axis=1)
    p = np.where(col > 0, d / np.maximum(col, 1), 1.0)
    r = np.where(row > 0, d / np.maximum(row, 1), 1.0)
    return C, p, r


def _pr_only_precision_guarded(y_true, y_pred, num_classes):
    # witness: y_true=[0], y_pred=[0], K=2 -> recall[1] = nan (true 0.0); precision guarded
    C = _count(y_true, y_pred, num_classes)
    d = np.diag(C).astype(float)
    p = _safe_div(d, C.sum(axis=0))
    r = d / C.sum(axis=1)
    return C, p, r


def _pr_fancy_index_increment(y_true, y_pred, num_classes):
    # witness: y_true=[0,0], y_pred=[0,0], K=1 -> C=[[1]] (true [[2]]): repeated (i,j) pairs
    # are incremented once by buffered fancy indexing
    C = np.zeros((num_classes, num_classes), dtype=np.int64)
    C[y_true, y_pred] += 1
    p, r = _pr_from_C(C)
    return C, p, r


def _pr_k_from_labels(y_true, y_pred, num_classes):
    # witness: y_true=[0], y_pred=[0], K=3 -> C of shape (1, 1) (true (3, 3))
    K = int(max(y_true.max(), y_pred.max())) + 1
    C = _count(y_true, y_pred, K)
    p, r = _pr_from_C(C)
    return C, p, r


def _pr_bincount_no_minlength(y_true, y_pred, num_classes):
    # witness: y_true=[0], y_pred=[0], K=2 -> bincount has 1 bin, reshape to (2, 2) raises
    K = num_classes
    C = np.bincount(y_true * K + y_pred).reshape(K, K)
    p, r = _pr_from_C(C)
    return C, p, r


def _pr_flat_index_in_place(y_true, y_pred, num_classes):
    # witness: y_true=np.array([1]), y_pred=np.array([0]), K=2 -> caller's y_true becomes [2]
    idx = y_true
    idx *= num_classes                         # in place: this is the caller's array
    idx += y_pred
    C = np.bincount(idx, minlength=num_classes ** 2).reshape(num_classes, num_classes)
    p, r = _pr_from_C(C)
    return C, p, r


def _pr_float_matrix(y_true, y_pred, num_classes):
    # witness: any input -> C is float64 (the text asks for an integer array)
    C = np.zeros((num_classes, num_classes))
    for t, q in zip(y_true, y_pred):
        C[t, q] += 1
    p, r = _pr_from_C(C)
    return C, p, r


def _pr_integer_division(y_true, y_pred, num_classes):
    # witness: y_true=[0,0], y_pred=[0,1], K=2 -> recall[0] = 1 // 2 = 0 (true 0.5)
    C = _count(y_true, y_pred, num_classes)
    d = np.diag(C)
    col, row = C.sum(axis=0), C.sum(axis=1)
    p = np.where(col > 0, d // np.maximum(col, 1), 0).astype(float)
    r = np.where(row > 0, d // np.maximum(row, 1), 0).astype(float)
    return C, p, r


def _pr_epsilon_denominator(y_true, y_pred, num_classes):
    # witness: y_true=[0], y_pred=[0], K=1 -> precision 1/(1+1e-7) = 0.9999999 (true 1.0);
    # the Keras-style "+ epsilon" trick instead of returning 0 for 0/0
    C = _count(y_true, y_pred, num_classes)
    d = np.diag(C).astype(float)
    eps = 1e-7
    return C, d / (C.sum(axis=0) + eps), d / (C.sum(axis=1) + eps)


def _pr_recall_over_n(y_true, y_pred, num_classes):
    # witness: y_true=[0,1], y_pred=[0,1], K=2 -> recall [0.5, 0.5] (true [1, 1])
    C = _count(y_true, y_pred, num_classes)
    d = np.diag(C).astype(float)
    return C, _safe_div(d, C.sum(axis=0)), d / len(y_true)


def _pr_relabel_present_classes(y_true, y_pred, num_classes):
    # witness: y_true=[0,2], y_pred=[0,2], K=3 -> class 2 counted in row/column 1 (np.unique
    # ranks the labels that occur; right only when every class occurs)
    labels = np.unique(np.concatenate([y_true, y_pred]))
    t = np.searchsorted(labels, y_true)
    q = np.searchsorted(labels, y_pred)
    C = _count(t, q, num_classes)
    p, r = _pr_from_C(C)
    return C, p, r


def _pr_labels_one_based(y_true, y_pred, num_classes):
    # witness: y_true=[0,1], y_pred=[0,0], K=2 -> C=[[0,1],[0,1]] (rolled; true [[1,0],[1,0]])
    C = np.zeros((num_classes, num_classes), dtype=np.int64)
    for t, q in zip(y_true, y_pred):
        C[t - 1, q - 1] += 1                   # label 0 wraps to the last row/column
    p, r = _pr_from_C(C)
    return C, p, r


def _pr_histogram2d(y_true, y_pred, num_classes):
    # witness: y_true=[1,2], y_pred=[1,2], K=3 -> histogram2d's bins span [1, 2], not [0, 3):
    # C=[[1,0,0],[0,0,0],[0,0,1]] (true [[0,0,0],[0,1,0],[0,0,1]])
    C, _, _ = np.histogram2d(y_true, y_pred, bins=num_classes)
    C = C.astype(np.int64)
    p, r = _pr_from_C(C)
    return C, p, r


def _pr_counts_in_label_dtype(y_true, y_pred, num_classes):
    # witness: y_true = y_pred = np.zeros(300, np.uint8), K=1 -> C=[[44]] (300 wraps in uint8)
    C = np.zeros((num_classes, num_classes), dtype=y_true.dtype)
    np.add.at(C, (y_true, y_pred), 1)
    p, r = _pr_from_C(C)
    return C, p, r


def _pr_micro_average(y_true, y_pred, num_classes):
    # witness: y_true=[0,1], y_pred=[0,0], K=2 -> scalar 0.5, 0.5 (true [0.5, 0], [1, 0])
    C = _count(y_true, y_pred, num_classes)
    acc = np.trace(C) / C.sum()
    return C, float(acc), float(acc)


def _pr_calls_library(y_true, y_pred, num_classes):
    # witness: any input -> the values are right, but the text says "Count the matrix yourself
    # (don't call dlmath.train.confusion_matrix)"
    from dlmath.train import confusion_matrix
    C = confusion_matrix(y_true, y_pred, num_classes)
    p, r = _pr_from_C(C)
    return C, p, r


def _pr_float32(y_true, y_pred, num_classes):
    # witness: y_true=[0,0,0], y_pred=[0,0,1], K=2 -> recall[0] = float32(2/3), off by 2e-8
    # relative (precision computed in single precision)
    C = _count(y_true, y_pred, num_classes)
    d = np.diag(C).astype(np.float32)
    col, row = C.sum(axis=0).astype(np.float32), C.sum(axis=1).astype(np.float32)
    p = np.where(col > 0, d / np.maximum(col, 1), 0).astype(np.float32)
    r = np.where(row > 0, d / np.maximum(row, 1), 0).astype(np.float32)
    return C, p, r


def _pr_guard_on_class_present(y_true, y_pred, num_classes):
    # witness: y_true=[0,1], y_pred=[0,0], K=2 -> class 1 occurs (so "guarded" off) but is never
    # predicted: precision[1] = 0/0 = nan (true 0.0)
    C = _count(y_true, y_pred, num_classes)
    d = np.diag(C).astype(float)
    col, row = C.sum(axis=0), C.sum(axis=1)
    present = (row + col) > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(present, d / col, 0.0)
        r = np.where(present, d / row, 0.0)
    return C, p, r


def _pr_hangs_on_correct(y_true, y_pred, num_classes):
    # witness: y_true=[0], y_pred=[0], K=1 -> the index is not advanced after a correct example
    C = np.zeros((num_classes, num_classes), dtype=np.int64)
    i = 0
    while i < len(y_true):
        t, q = int(y_true[i]), int(y_pred[i])
        if t == q:
            continue                           # "diagonal: filled below" ... i never advances
        C[t, q] += 1
        i += 1
    C[np.diag_indices(num_classes)] = np.bincount(y_true[y_true == y_pred], minlength=num_classes)
    p, r = _pr_from_C(C)
    return C, p, r


# ---------------------------------------------------------------------------------------------
# Exercise 2 — layer_costs(input_shape, layers) -> [(params, macs, out_shape), ...]
# ---------------------------------------------------------------------------------------------

def _layer_costs(input_shape, layers, conv=None, bn=None, pool=None, flat=None, lin=None,
                 relu=None):
    """A correct walk over the layers in which any one rule can be replaced by a wrong one.
    Each rule maps (layer tuple, current shape) -> (params, macs, out_shape)."""
    def conv_ok(L, s):
        _, co, k, p = L
        C, H, W = s
        Ho, Wo = H + 2 * p - k + 1, W + 2 * p - k + 1
        return co * C * k * k + co, co * Ho * Wo * C * k * k, (co, Ho, Wo)

    def bn_ok(L, s):
        return 2 * s[0], 0, tuple(s)

    def pool_ok(L, s):
        k = L[1]
        return 0, 0, (s[0], s[1] // k, s[2] // k)

    def flat_ok(L, s):
        return 0, 0, (s[0] * s[1] * s[2],)

    def lin_ok(L, s):
        n_in, n_out = s[0], L[1]
        return n_in * n_out + n_out, n_in * n_out, (n_out,)

    def relu_ok(L, s):
        return 0, 0, tuple(s)

    rules = {"conv": conv or conv_ok, "batchnorm": bn or bn_ok, "maxpool": pool or pool_ok,
             "flatten": flat or flat_ok, "linear": lin or lin_ok, "relu": relu or relu_ok}
    shape, out = tuple(input_shape), []
    for L in layers:
        row = rules[L[0]](L, shape)
        out.append(row)
        shape = row[2]
    return out


def _lc_conv_no_bias(input_shape, layers):
    # witness: (1, 3, 3), [("conv", 2, 3, 0)] -> params 18 (true 20)
    def conv(L, s):
        _, co, k, p = L
        C, H, W = s
        Ho, Wo = H + 2 * p - k + 1, W + 2 * p - k + 1
        return co * C * k * k, co * Ho * Wo * C * k * k, (co, Ho, Wo)
    return _layer_costs(input_shape, layers, conv=conv)


def _lc_conv_no_plus_one(input_shape, layers):
    # witness: (1, 4, 4), [("conv", 1, 3, 0)] -> out (1, 1, 1), macs 9 (true (1, 2, 2), 36)
    def conv(L, s):
        _, co, k, p = L
        C, H, W = s
        Ho, Wo = H + 2 * p - k, W + 2 * p - k
        return co * C * k * k + co, co * Ho * Wo * C * k * k, (co, Ho, Wo)
    return _layer_costs(input_shape, layers, conv=conv)


def _lc_conv_padding_once(input_shape, layers):
    # witness: (1, 4, 4), [("conv", 1, 3, 1)] -> out (1, 3, 3) (true (1, 4, 4))
    def conv(L, s):
        _, co, k, p = L
        C, H, W = s
        Ho, Wo = H + p - k + 1, W + p - k + 1
        return co * C * k * k + co, co * Ho * Wo * C * k * k, (co, Ho, Wo)
    return _layer_costs(input_shape, layers, conv=conv)


def _lc_conv_macs_no_cin(input_shape, layers):
    # witness: (3, 4, 4), [("conv", 2, 3, 1)] -> macs 2*16*9 = 288 (true 864)
    def conv(L, s):
        _, co, k, p = L
        C, H, W = s
        Ho, Wo = H + 2 * p - k + 1, W + 2 * p - k + 1
        return co * C * k * k + co, co * Ho * Wo * k * k, (co, Ho, Wo)
    return _layer_costs(input_shape, layers, conv=conv)


def _lc_conv_params_no_cin(input_shape, layers):
    # witness: (3, 4, 4), [("conv", 2, 3, 1)] -> params 2*9 + 2 = 20 (true 56)
    def conv(L, s):
        _, co, k, p = L
        C, H, W = s
        Ho, Wo = H + 2 * p - k + 1, W + 2 * p - k + 1
        return co * k * k + co, co * Ho * Wo * C * k * k, (co, Ho, Wo)
    return _layer_costs(input_shape, layers, conv=conv)


def _lc_conv_macs_input_size(input_shape, layers):
    # witness: (1, 5, 5), [("conv", 1, 3, 0)] -> macs 25*9 = 225 (true 9*9 = 81); right for
    # "same" padding (k = 2p + 1) only
    def conv(L, s):
        _, co, k, p = L
        C, H, W = s
        Ho, Wo = H + 2 * p - k + 1, W + 2 * p - k + 1
        return co * C * k * k + co, co * H * W * C * k * k, (co, Ho, Wo)
    return _layer_costs(input_shape, layers, conv=conv)


def _lc_conv_skips_padded_zeros(input_shape, layers):
    # witness: (1, 2, 2), [("conv", 1, 3, 1)] -> macs 16 (products with real pixels only;
    # true 4 * 9 = 36: the text says products with the padded zeros count too)
    def conv(L, s):
        _, co, k, p = L
        C, H, W = s
        Ho, Wo = H + 2 * p - k + 1, W + 2 * p - k + 1

        def real(n, n_out):
            # for each output position, how many kernel taps land on real (unpadded) pixels
            return sum(sum(1 for a in range(k) if 0 <= i - p + a < n) for i in range(n_out))
        return co * C * k * k + co, co * C * real(H, Ho) * real(W, Wo), (co, Ho, Wo)
    return _layer_costs(input_shape, layers, conv=conv)


def _lc_channels_never_updated(input_shape, layers):
    # witness: (1, 4, 4), [("conv", 8, 3, 1), ("batchnorm",)] -> batchnorm params 2 (true 16)
    C0 = input_shape[0]
    out, (C, H, W), flat = [], tuple(input_shape), None
    for L in layers:
        if L[0] == "conv":
            _, co, k, p = L
            H, W = H + 2 * p - k + 1, W + 2 * p - k + 1
            out.append((co * C0 * k * k + co, co * H * W * C0 * k * k, (co, H, W)))
        elif L[0] == "batchnorm":
            out.append((2 * C0, 0, (C, H, W)))
        elif L[0] == "relu":
            out.append((0, 0, (flat,) if flat else (C, H, W)))
        elif L[0] == "maxpool":
            H, W = H // L[1], W // L[1]
            out.append((0, 0, (C, H, W)))
        elif L[0] == "flatten":
            flat = C * H * W
            out.append((0, 0, (flat,)))
        elif L[0] == "linear":
            out.append((flat * L[1] + L[1], flat * L[1], (L[1],)))
            flat = L[1]
        if L[0] == "conv":
            C = L[1]
    return out


def _lc_batchnorm_counts_buffers(input_shape, layers):
    # witness: (3, 4, 4), [("batchnorm",)] -> params 12 (true 6: running stats are buffers)
    return _layer_costs(input_shape, layers, bn=lambda L, s: (4 * s[0], 0, tuple(s)))


def _lc_batchnorm_per_element(input_shape, layers):
    # witness: (3, 4, 4), [("batchnorm",)] -> params 96 (true 6: one gamma, beta per channel)
    return _layer_costs(input_shape, layers,
                        bn=lambda L, s: (2 * s[0] * s[1] * s[2], 0, tuple(s)))


def _lc_batchnorm_macs(input_shape, layers):
    # witness: (3, 4, 4), [("batchnorm",)] -> macs 48 (true 0: batch norm counts 0)
    return _layer_costs(input_shape, layers,
                        bn=lambda L, s: (2 * s[0], s[0] * s[1] * s[2], tuple(s)))


def _lc_maxpool_ceil(input_shape, layers):
    # witness: (1, 5, 5), [("maxpool", 2)] -> (1, 3, 3) (true (1, 2, 2): leftovers dropped)
    return _layer_costs(input_shape, layers,
                        pool=lambda L, s: (0, 0, (s[0], -(-s[1] // L[1]), -(-s[2] // L[1]))))


def _lc_maxpool_stride_one(input_shape, layers):
    # witness: (1, 4, 4), [("maxpool", 2)] -> (1, 3, 3) (true (1, 2, 2))
    return _layer_costs(input_shape, layers,
                        pool=lambda L, s: (0, 0, (s[0], s[1] - L[1] + 1, s[2] - L[1] + 1)))


def _lc_maxpool_always_2(input_shape, layers):
    # witness: (1, 6, 6), [("maxpool", 3)] -> (1, 3, 3) (true (1, 2, 2)); right for k = 2 only
    return _layer_costs(input_shape, layers,
                        pool=lambda L, s: (0, 0, (s[0], s[1] // 2, s[2] // 2)))


def _lc_linear_no_bias(input_shape, layers):
    # witness: (4,), [("linear", 3)] -> params 12 (true 15)
    return _layer_costs(input_shape, layers,
                        lin=lambda L, s: (s[0] * L[1], s[0] * L[1], (L[1],)))


def _lc_linear_macs_with_bias(input_shape, layers):
    # witness: (4,), [("linear", 3)] -> macs 15 (true 12: adding the bias is not counted)
    return _layer_costs(input_shape, layers,
                        lin=lambda L, s: ((s[0] + 1) * L[1], (s[0] + 1) * L[1], (L[1],)))


def _lc_linear_flops(input_shape, layers):
    # witness: (4,), [("linear", 3)] -> macs 24 (FLOPs: a multiply and an add; true 12)
    return _layer_costs(input_shape, layers,
                        lin=lambda L, s: (s[0] * L[1] + L[1], 2 * s[0] * L[1], (L[1],)))


def _lc_flatten_missing_comma(input_shape, layers):
    # witness: (2, 3, 3), [("flatten",)] -> out_shape 18, an int (true the tuple (18,))
    def flat(L, s):
        return 0, 0, (s[0] * s[1] * s[2])
    def lin(L, s):
        n_in = s if isinstance(s, int) else s[0]
        return n_in * L[1] + L[1], n_in * L[1], (L[1],)
    return _layer_costs(input_shape, layers, flat=flat, lin=lin)


def _lc_shapes_as_lists(input_shape, layers):
    # witness: (1, 4, 4), [("relu",)] -> out_shape [1, 4, 4], a list (the text asks a tuple)
    return [(p, m, list(s)) for p, m, s in _layer_costs(input_shape, layers)]


def _lc_numpy_ints(input_shape, layers):
    # witness: (2, 3, 3), [("flatten",)] -> (np.int64(0), ..., (np.int64(18),)) — np.prod
    # gives NumPy integers, the text asks for ints
    rows = _layer_costs(input_shape, layers,
                        flat=lambda L, s: (0, 0, (np.prod(s),)))
    return [(np.int64(p), np.int64(m), tuple(np.int64(x) for x in s)) for p, m, s in rows]


def _lc_relu_assumes_image(input_shape, layers):
    # witness: (4,), [("linear", 3), ("relu",)] -> unpacking (3,) into C, H, W raises
    def relu(L, s):
        C, H, W = s
        return 0, 0, (C, H, W)
    return _layer_costs(input_shape, layers, relu=relu)


def _lc_linear_n_in_fixed_at_flatten(input_shape, layers):
    # witness: (1, 2, 2), [("flatten",), ("linear", 3), ("linear", 5)] -> second linear uses
    # n_in = 4 (the flatten size): params 25 (true 20)
    state = {}
    def flat(L, s):
        state["n"] = s[0] * s[1] * s[2]
        return 0, 0, (state["n"],)
    def lin(L, s):
        n_in = state.get("n", s[0])
        return n_in * L[1] + L[1], n_in * L[1], (L[1],)
    return _layer_costs(input_shape, layers, flat=flat, lin=lin)


def _lc_consumes_layers(input_shape, layers):
    # witness: any non-empty list -> the caller's `layers` is emptied (popped from the front);
    # the rows themselves are right
    rows = _layer_costs(input_shape, list(layers))
    while layers:
        layers.pop(0)
    return rows


def _lc_square_images_only(input_shape, layers):
    # witness: (1, 4, 6), [("conv", 1, 3, 0)] -> out (1, 2, 2) (true (1, 2, 4)): W taken = H
    def conv(L, s):
        _, co, k, p = L
        C, H, W = s
        Ho = H + 2 * p - k + 1
        return co * C * k * k + co, co * Ho * Ho * C * k * k, (co, Ho, Ho)
    def pool(L, s):
        return 0, 0, (s[0], s[1] // L[1], s[1] // L[1])
    return _layer_costs(input_shape, layers, conv=conv, pool=pool)


def _lc_true_division(input_shape, layers):
    # witness: (1, 4, 4), [("conv", 1, 3, 0)] -> out (1, 2.0, 2.0), macs 36.0: the general
    # formula (H + 2p - k) / stride + 1 with "/" gives floats (the text asks for ints)
    def conv(L, s):
        _, co, k, p = L
        C, H, W = s
        stride = 1
        Ho, Wo = (H + 2 * p - k) / stride + 1, (W + 2 * p - k) / stride + 1
        return co * C * k * k + co, co * Ho * Wo * C * k * k, (co, Ho, Wo)
    return _layer_costs(input_shape, layers, conv=conv)


def _lc_int32_product(input_shape, layers):
    # witness: (512, 224, 224), [("conv", 512, 3, 1)] -> macs wraps in int32
    # (true 512*224*224*512*9 = 118_380_036_096); np.prod's default int on NumPy 1.x / Windows
    def conv(L, s):
        _, co, k, p = L
        C, H, W = s
        Ho, Wo = H + 2 * p - k + 1, W + 2 * p - k + 1
        macs = int(np.prod([co, Ho, Wo, C, k, k], dtype=np.int32))
        return co * C * k * k + co, macs, (co, Ho, Wo)
    return _layer_costs(input_shape, layers, conv=conv)


def _lc_pointwise_ignores_padding(input_shape, layers):
    # witness: (2, 3, 3), [("conv", 4, 1, 1)] -> a 1x1 "pointwise" shortcut keeps (4, 3, 3)
    # (true (4, 5, 5): padding still adds a border, macs 4*25*2 = 200, not 72)
    def conv(L, s):
        _, co, k, p = L
        C, H, W = s
        if k == 1:
            return co * C + co, co * C * H * W, (co, H, W)
        Ho, Wo = H + 2 * p - k + 1, W + 2 * p - k + 1
        return co * C * k * k + co, co * Ho * Wo * C * k * k, (co, Ho, Wo)
    return _layer_costs(input_shape, layers, conv=conv)


def _lc_linear_missing_comma(input_shape, layers):
    # witness: (4,), [("linear", 3)] -> out_shape 3, an int (true the tuple (3,))
    def lin(L, s):
        n_in = s if isinstance(s, int) else s[0]
        return n_in * L[1] + L[1], n_in * L[1], (L[1])
    def relu(L, s):
        return 0, 0, s
    return _layer_costs(input_shape, layers, lin=lin, relu=relu)


def _lc_hangs_pool_step(input_shape, layers):
    # witness: (1, 3, 3), [("maxpool", 1)] -> windows stepped by k - 1 = 0: never advances
    def pool(L, s):
        k = L[1]
        def count(n):
            i, c = 0, 0
            while i + k <= n:
                c += 1
                i += k - 1                     # "windows overlap by one"; 0 for k = 1
            return c
        return 0, 0, (s[0], count(s[1]), count(s[2]))
    return _layer_costs(input_shape, layers, pool=pool)


WRONG = {
    "check_precision_recall": [
        ("rows = prediction (transposed C), formulas applied to it", _pr_transposed_matrix),
        ("transposed C returned, precision/recall right", _pr_transposed_matrix_only),
        ("precision and recall swapped (row/column sums)", _pr_swapped),
        ("no zero-division guard: nan for 0/0", _pr_nan_zero_division),
        ("0/0 returned as 1.0", _pr_zero_division_one),
        ("zero division guarded for precision only", _pr_only_precision_guarded),
        ("C[y_true, y_pred] += 1: repeated pairs counted once", _pr_fancy_index_increment),
        ("K taken from the largest label, num_classes ignored", _pr_k_from_labels),
        ("bincount without minlength", _pr_bincount_no_minlength),
        ("flat index built in place in the caller's y_true", _pr_flat_index_in_place),
        ("confusion matrix of floats", _pr_float_matrix),
        ("integer division d // sum", _pr_integer_division),
        ("Keras-style + 1e-7 in the denominators", _pr_epsilon_denominator),
        ("recall divided by N instead of the row sum", _pr_recall_over_n),
        ("labels re-ranked by np.unique (absent classes collapse)", _pr_relabel_present_classes),
        ("labels taken as 1-based (label 0 wraps)", _pr_labels_one_based),
        ("np.histogram2d with bins=K (bins span the data range)", _pr_histogram2d),
        ("counts in the label dtype (uint8 wraps)", _pr_counts_in_label_dtype),
        ("micro-averaged scalars instead of per-class arrays", _pr_micro_average),
        ("calls dlmath.train.confusion_matrix (the text forbids it)", _pr_calls_library),
        ("precision/recall in float32", _pr_float32),
        ("0/0 guard on 'class occurs' instead of per denominator", _pr_guard_on_class_present),
        ("HANGS: index not advanced after a correct example", _pr_hangs_on_correct),
    ],
    "check_layer_costs": [
        ("conv bias not counted in params", _lc_conv_no_bias),
        ("conv output H + 2p - k (missing + 1)", _lc_conv_no_plus_one),
        ("conv padding added on one side only", _lc_conv_padding_once),
        ("conv macs without the C_in factor", _lc_conv_macs_no_cin),
        ("conv params without the C_in factor", _lc_conv_params_no_cin),
        ("conv macs over the input size, not the output size", _lc_conv_macs_input_size),
        ("conv macs skip the products with padded zeros", _lc_conv_skips_padded_zeros),
        ("channels C always those of input_shape", _lc_channels_never_updated),
        ("batchnorm running mean/var counted as params", _lc_batchnorm_counts_buffers),
        ("batchnorm gamma/beta per element instead of per channel", _lc_batchnorm_per_element),
        ("batchnorm macs counted", _lc_batchnorm_macs),
        ("maxpool with ceil mode", _lc_maxpool_ceil),
        ("maxpool with stride 1", _lc_maxpool_stride_one),
        ("maxpool window hard-coded to 2", _lc_maxpool_always_2),
        ("linear bias not counted in params", _lc_linear_no_bias),
        ("linear macs count the bias", _lc_linear_macs_with_bias),
        ("linear macs as FLOPs (2 per product)", _lc_linear_flops),
        ("flatten shape (C*H*W) without the comma: an int", _lc_flatten_missing_comma),
        ("shapes returned as lists", _lc_shapes_as_lists),
        ("NumPy integers instead of ints", _lc_numpy_ints),
        ("relu unpacks (C, H, W): fails after a linear layer", _lc_relu_assumes_image),
        ("linear n_in frozen at the flatten size", _lc_linear_n_in_fixed_at_flatten),
        ("pops the caller's layers list", _lc_consumes_layers),
        ("W taken equal to H (square images only)", _lc_square_images_only),
        ("true division in the output-size formula: float shapes", _lc_true_division),
        ("multiply-adds as an int32 np.prod (wraps for big layers)", _lc_int32_product),
        ("1x1 conv shortcut ignores the padding", _lc_pointwise_ignores_padding),
        ("linear shape (n_out) without the comma: an int", _lc_linear_missing_comma),
        ("HANGS: pooling windows stepped by k - 1 (k = 1 never advances)", _lc_hangs_pool_step),
    ],
}
