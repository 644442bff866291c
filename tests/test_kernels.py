"""dlmath.kernels: every fast kernel against its slow NumPy reference, plus the rules and errors.

Shapes, strides, paddings, dilations and kernel sizes come from hypothesis (derandomized, so
every run checks the same cases); array contents from a NumPy generator seeded by hypothesis.
float64 results must match the references to ~1e-12, float32 ones to float32 rounding, and
keep their dtype.  A torch cross-check runs only when torch is installed.
"""
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import example, given, settings, strategies as st

from dlmath import kernels as K
from dlmath.kernels import reference as R

SETTINGS = settings(deadline=None, max_examples=60, derandomize=True)


# --------------------------------------------------------------------------- helpers ------

def assert_close(actual, expected, dtype):
    """float64: ~exact; float32: rounding error of sums of a few hundred terms."""
    assert actual.dtype == dtype, f"dtype {actual.dtype} returned for {dtype} input"
    assert actual.shape == expected.shape
    scale = max(1.0, float(np.abs(expected).max(initial=0.0)))
    tol = 1e-11 if dtype == np.float64 else 2e-5
    np.testing.assert_allclose(actual, expected, rtol=tol, atol=tol * scale)


@st.composite
def conv_cases(draw):
    """A convolution geometry whose effective kernel fits the padded input, and a data seed."""
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    dh, dw = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    ph, pw = draw(st.integers(0, kh)), draw(st.integers(0, kw))
    min_h = max(1, dh * (kh - 1) + 1 - 2 * ph)
    min_w = max(1, dw * (kw - 1) + 1 - 2 * pw)
    return dict(
        N=draw(st.integers(1, 3)), C=draw(st.integers(1, 4)), C_out=draw(st.integers(1, 4)),
        H=draw(st.integers(min_h, min_h + 6)), W=draw(st.integers(min_w, min_w + 6)),
        kernel=(kh, kw), stride=(draw(st.integers(1, 3)), draw(st.integers(1, 3))),
        padding=(ph, pw), dilation=(dh, dw), seed=draw(st.integers(0, 2**32 - 1)))


def conv_arrays(case, dtype):
    rng = np.random.default_rng(case["seed"])
    kh, kw = case["kernel"]
    x = rng.standard_normal((case["N"], case["C"], case["H"], case["W"])).astype(dtype)
    w = rng.standard_normal((case["C_out"], case["C"], kh, kw)).astype(dtype)
    b = rng.standard_normal(case["C_out"]).astype(dtype)
    return x, w, b


def geometry(case):
    return case["stride"], case["padding"], case["dilation"]


EDGE_CASES = [
    # kernel = input size, batch 1, one channel
    dict(N=1, C=1, C_out=1, H=5, W=4, kernel=(5, 4), stride=(1, 1), padding=(0, 0),
         dilation=(1, 1), seed=1),
    # stride > kernel
    dict(N=2, C=3, C_out=2, H=9, W=8, kernel=(2, 1), stride=(3, 3), padding=(0, 0),
         dilation=(1, 1), seed=2),
    # padding = kernel - 1 (a "full" convolution), dilation 2
    dict(N=1, C=2, C_out=3, H=4, W=6, kernel=(3, 3), stride=(1, 2), padding=(2, 2),
         dilation=(2, 1), seed=3),
    # the LeNet first layer, smaller batch
    dict(N=2, C=1, C_out=6, H=28, W=28, kernel=(5, 5), stride=(1, 1), padding=(2, 2),
         dilation=(1, 1), seed=4),
]


def with_examples(cases, dtypes=False):
    """Always check these cases too (in both dtypes when the test takes one)."""
    def decorate(test):
        for case in cases:
            if dtypes:
                test = example(case=case, dtype=np.float32)(test)
                test = example(case=case, dtype=np.float64)(test)
            else:
                test = example(case=case)(test)
        return test
    return decorate


# -------------------------------------------------------------------- output size rule ------

def test_conv_output_size_formula():
    assert K.conv_output_size(28, 5, 1, 2, 1) == 28
    assert K.conv_output_size(14, 5) == 10
    assert K.conv_output_size(7, 3, 2, 1, 1) == 4
    assert K.conv_output_size(7, 3, 1, 0, 2) == 3                 # effective kernel 5
    assert K.conv_output_size(5, 5) == 1                          # kernel = input
    assert K.conv_output_size(8, 2, 3) == 3                       # stride > kernel


@given(i=st.integers(1, 40), k=st.integers(1, 7), s=st.integers(1, 5), p=st.integers(0, 4),
       d=st.integers(1, 3))
@settings(deadline=None, max_examples=200, derandomize=True)
def test_conv_output_size_counts_windows(i, k, s, p, d):
    """The formula equals the number of window positions that fit, counted one by one."""
    eff = d * (k - 1) + 1
    if eff > i + 2 * p:
        with pytest.raises(ValueError, match="larger than the padded input"):
            K.conv_output_size(i, k, s, p, d)
        return
    count = sum(1 for start in range(0, i + 2 * p, s) if start + eff <= i + 2 * p)
    assert K.conv_output_size(i, k, s, p, d) == count


@pytest.mark.parametrize("args, message", [
    ((3, 5, 1, 0, 1), "conv2d: kernel 5 (dilation 1 → effective 5) is larger than the padded "
                      "input 3 (input 3 + 2×padding 0)"),
    ((5, 3, 1, 0, 3), "kernel 3 (dilation 3 → effective 7) is larger than the padded input 5"),
    ((5, 3, 0, 0, 1), "stride must be positive, got stride=0"),
    ((5, 3, -1, 0, 1), "stride must be positive, got stride=-1"),
    ((5, 3, 1, -1, 1), "padding must be non-negative, got padding=-1"),
    ((5, 3, 1, 0, 0), "dilation must be positive, got dilation=0"),
])
def test_conv_output_size_errors(args, message):
    with pytest.raises(ValueError) as err:
        K.conv_output_size(*args)
    assert message in str(err.value)


def test_pool_padding_rule():
    assert K.pool_output_size(7, 3, 2, 1) == 4
    with pytest.raises(ValueError, match=r"padding 2 should be at most half of the kernel size 3"):
        K.pool_output_size(7, 3, 2, 2)
    with pytest.raises(ValueError, match="padding 2 should be at most half"):
        K.max_pool2d_forward(np.zeros((1, 1, 8, 8)), 3, 1, 2)
    with pytest.raises(ValueError, match="avg_pool2d: kernel 4 .* larger than the padded input 3"):
        K.avg_pool2d_forward(np.zeros((1, 1, 3, 3)), 4)


# ------------------------------------------------------------------------- convolution ------

@given(case=conv_cases(), dtype=st.sampled_from([np.float64, np.float32]))
@with_examples(EDGE_CASES, dtypes=True)
@SETTINGS
def test_conv2d_forward_matches_reference(case, dtype):
    x, w, b = conv_arrays(case, dtype)
    s, p, d = geometry(case)
    y = K.conv2d_forward(x, w, b, s, p, d)
    Ho = K.conv_output_size(case["H"], case["kernel"][0], s[0], p[0], d[0])
    Wo = K.conv_output_size(case["W"], case["kernel"][1], s[1], p[1], d[1])
    assert y.shape == (case["N"], case["C_out"], Ho, Wo)
    ref = R.conv2d_forward_ref(x.astype(np.float64), w.astype(np.float64), b.astype(np.float64),
                               s, p, d)
    assert_close(y, ref, dtype)
    assert_close(K.conv2d_forward(x, w, None, s, p, d), ref - b[:, None, None], dtype)
    if dtype == np.float64:          # the vectorised NumPy baseline agrees too
        assert_close(R.conv2d_forward_numpy(x, w, b, s, p, d), ref, dtype)


@given(case=conv_cases(), dtype=st.sampled_from([np.float64, np.float32]))
@with_examples(EDGE_CASES, dtypes=True)
@SETTINGS
def test_conv2d_backward_matches_reference(case, dtype):
    x, w, _ = conv_arrays(case, dtype)
    s, p, d = geometry(case)
    y_shape = R.conv2d_forward_ref(x, w, None, s, p, d).shape
    gy = np.random.default_rng(case["seed"] + 1).standard_normal(y_shape).astype(dtype)
    x64, w64, gy64 = (a.astype(np.float64) for a in (x, w, gy))
    gx = K.conv2d_backward_input(gy, w, x.shape, s, p, d)
    assert_close(gx, R.conv2d_backward_input_ref(gy64, w64, x.shape, s, p, d), dtype)
    gw = K.conv2d_backward_weight(gy, x, w.shape, s, p, d)
    assert_close(gw, R.conv2d_backward_weight_ref(gy64, x64, w.shape, s, p, d), dtype)
    assert_close(K.conv2d_backward_bias(gy), R.conv2d_backward_bias_ref(gy64), dtype)
    if dtype == np.float64:
        assert_close(R.conv2d_backward_input_numpy(gy, w, x.shape, s, p, d), gx, dtype)
        assert_close(R.conv2d_backward_weight_numpy(gy, x, w.shape, s, p, d), gw, dtype)


@given(case=conv_cases())
@with_examples(EDGE_CASES)
@SETTINGS
def test_conv2d_adjoint_identity(case):
    """<conv(x, w), gy> = <x, backward_input(gy, w)> = <w, backward_weight(gy, x)>."""
    x, w, _ = conv_arrays(case, np.float64)
    s, p, d = geometry(case)
    y = K.conv2d_forward(x, w, None, s, p, d)
    gy = np.random.default_rng(case["seed"] + 2).standard_normal(y.shape)
    lhs = np.vdot(y, gy)
    assert np.isclose(np.vdot(x, K.conv2d_backward_input(gy, w, x.shape, s, p, d)), lhs,
                      rtol=1e-10, atol=1e-10)
    assert np.isclose(np.vdot(w, K.conv2d_backward_weight(gy, x, w.shape, s, p, d)), lhs,
                      rtol=1e-10, atol=1e-10)


@given(case=conv_cases())
@with_examples(EDGE_CASES)
@SETTINGS
def test_im2col_matches_reference_and_col2im_is_its_adjoint(case):
    x, _, _ = conv_arrays(case, np.float64)
    s, p, d = geometry(case)
    col = K.im2col(x, case["kernel"], s, p, d)
    np.testing.assert_array_equal(col, R.im2col_ref(x, case["kernel"], s, p, d))
    c = np.random.default_rng(case["seed"] + 3).standard_normal(col.shape)
    back = K.col2im(c, x.shape, case["kernel"], s, p, d)
    assert np.isclose(np.vdot(col, c), np.vdot(x, back), rtol=1e-10, atol=1e-10)
    x32 = x.astype(np.float32)
    col32 = K.im2col(x32, case["kernel"], s, p, d)
    assert col32.dtype == np.float32
    np.testing.assert_array_equal(col32, col.astype(np.float32))


def test_conv2d_large_batch_uses_threads_and_agrees():
    """A batch big enough to be split over threads and chunks gives the same numbers."""
    rng = np.random.default_rng(7)
    x = rng.standard_normal((37, 5, 12, 11))
    w = rng.standard_normal((7, 5, 3, 3))
    b = rng.standard_normal(7)
    y = K.conv2d_forward(x, w, b, 1, 1)
    gy = rng.standard_normal(y.shape)
    before = K.get_num_threads()
    try:
        results = []
        for n in (1, 2, 3):
            K.set_num_threads(n)
            results.append((K.conv2d_forward(x, w, b, 1, 1),
                            K.conv2d_backward_input(gy, w, x.shape, 1, 1),
                            K.conv2d_backward_weight(gy, x, w.shape, 1, 1)))
    finally:
        K.set_num_threads(before)
    ref = (R.conv2d_forward_ref(x, w, b, 1, 1), R.conv2d_backward_input_ref(gy, w, x.shape, 1, 1),
           R.conv2d_backward_weight_ref(gy, x, w.shape, 1, 1))
    for got in results:
        for a, e in zip(got, ref):
            assert_close(a, e, np.float64)


def test_conv2d_errors_name_the_shapes():
    x, w = np.zeros((2, 3, 8, 8)), np.zeros((5, 4, 3, 3))
    with pytest.raises(ValueError) as err:
        K.conv2d_forward(x, w)
    msg = str(err.value)
    assert "(2, 3, 8, 8)" in msg and "(5, 4, 3, 3)" in msg and "3 channels" in msg
    with pytest.raises(ValueError, match="kernel 5 .* larger than the padded input 3"):
        K.conv2d_forward(np.zeros((1, 1, 3, 3)), np.zeros((1, 1, 5, 5)))
    with pytest.raises(ValueError, match="expected input of shape"):
        K.conv2d_forward(np.zeros((3, 8, 8)), np.zeros((1, 3, 3, 3)))
    with pytest.raises(ValueError, match=r"bias must have shape \(5,\)"):
        K.conv2d_forward(np.zeros((1, 4, 8, 8)), w, np.zeros(4))
    with pytest.raises(TypeError, match="dtypes differ"):
        K.conv2d_forward(np.zeros((1, 4, 8, 8), np.float32), w)
    with pytest.raises(TypeError, match="float32 or float64"):
        K.conv2d_forward(np.zeros((1, 4, 8, 8), np.int64), w)
    with pytest.raises(ValueError, match=r"grad_output has shape \(1, 5, 5, 5\), expected \(1, 5, 6, 6\)"):
        K.conv2d_backward_input(np.zeros((1, 5, 5, 5)), w, (1, 4, 8, 8))
    with pytest.raises(ValueError, match="stride must be positive"):
        K.conv2d_backward_weight(np.zeros((1, 5, 6, 6)), np.zeros((1, 4, 8, 8)), w.shape, stride=0)


# ------------------------------------------------------------------------------ pooling ------

@st.composite
def pool_cases(draw):
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    ph, pw = draw(st.integers(0, kh // 2)), draw(st.integers(0, kw // 2))
    stride = draw(st.one_of(st.none(), st.tuples(st.integers(1, 4), st.integers(1, 4))))
    min_h, min_w = max(1, kh - 2 * ph), max(1, kw - 2 * pw)
    return dict(N=draw(st.integers(1, 3)), C=draw(st.integers(1, 3)),
                H=draw(st.integers(min_h, min_h + 7)), W=draw(st.integers(min_w, min_w + 7)),
                kernel=(kh, kw), stride=stride, padding=(ph, pw),
                ties=draw(st.booleans()), seed=draw(st.integers(0, 2**32 - 1)))


def pool_input(case, dtype):
    rng = np.random.default_rng(case["seed"])
    shape = (case["N"], case["C"], case["H"], case["W"])
    if case["ties"]:                 # few distinct values: many equal maxima in a window
        return rng.integers(-2, 2, shape).astype(dtype)
    return rng.standard_normal(shape).astype(dtype)


POOL_EDGES = [
    dict(N=2, C=3, H=8, W=6, kernel=(2, 2), stride=None, padding=(0, 0), ties=False, seed=1),
    dict(N=1, C=1, H=7, W=5, kernel=(2, 2), stride=(2, 2), padding=(0, 0), ties=True, seed=2),
    dict(N=1, C=2, H=4, W=4, kernel=(4, 4), stride=None, padding=(0, 0), ties=False, seed=3),
    dict(N=2, C=1, H=9, W=9, kernel=(3, 3), stride=(2, 2), padding=(1, 1), ties=True, seed=4),
    dict(N=1, C=1, H=9, W=9, kernel=(1, 2), stride=(4, 3), padding=(0, 1), ties=False, seed=5),
]


@given(case=pool_cases(), dtype=st.sampled_from([np.float64, np.float32]))
@with_examples(POOL_EDGES, dtypes=True)
@SETTINGS
def test_max_pool_matches_reference(case, dtype):
    x = pool_input(case, dtype)
    k, s, p = case["kernel"], case["stride"], case["padding"]
    y, arg = K.max_pool2d_forward(x, k, s, p)
    y_ref, arg_ref = R.max_pool2d_forward_ref(x, k, s, p)
    assert y.dtype == dtype and y.shape == y_ref.shape
    np.testing.assert_array_equal(y, y_ref)
    np.testing.assert_array_equal(arg, arg_ref)          # ties: the first maximum
    gy = np.random.default_rng(case["seed"] + 1).standard_normal(y.shape).astype(dtype)
    gx = K.max_pool2d_backward(gy, arg, x.shape)
    assert_close(gx, R.max_pool2d_backward_ref(gy.astype(np.float64), arg_ref, x.shape), dtype)


@given(case=pool_cases(), dtype=st.sampled_from([np.float64, np.float32]))
@with_examples(POOL_EDGES, dtypes=True)
@SETTINGS
def test_avg_pool_matches_reference(case, dtype):
    x = pool_input(case, dtype)
    k, s, p = case["kernel"], case["stride"], case["padding"]
    y = K.avg_pool2d_forward(x, k, s, p)
    assert_close(y, R.avg_pool2d_forward_ref(x.astype(np.float64), k, s, p), dtype)
    gy = np.random.default_rng(case["seed"] + 1).standard_normal(y.shape).astype(dtype)
    gx = K.avg_pool2d_backward(gy, x.shape, k, s, p)
    assert_close(gx, R.avg_pool2d_backward_ref(gy.astype(np.float64), x.shape, k, s, p), dtype)
    if dtype == np.float64:          # the backward is the adjoint of the forward
        assert np.isclose(np.vdot(y, gy), np.vdot(x, gx), rtol=1e-10, atol=1e-10)


def test_max_pool_ties_nan_and_minus_infinity():
    x = np.array([[[[1.0, 1.0, 0.0],
                    [1.0, 0.0, 0.0],
                    [0.0, 0.0, 5.0]]]])
    y, arg = K.max_pool2d_forward(x, 2, 1)
    np.testing.assert_array_equal(y[0, 0], [[1.0, 1.0], [1.0, 5.0]])
    np.testing.assert_array_equal(arg[0, 0], [[0, 1], [3, 8]])   # first maximum in each window
    gx = K.max_pool2d_backward(np.ones_like(y), arg, x.shape)
    np.testing.assert_array_equal(gx[0, 0], [[1, 1, 0], [1, 0, 0], [0, 0, 1]])
    for k, s in (((2, 2), None), ((3, 3), (1, 1))):               # fast path and general path
        z = np.zeros((1, 1, 4, 4), np.float32)
        z[0, 0, 1, 0] = np.nan
        y, arg = K.max_pool2d_forward(z, k, s)
        assert np.isnan(y[0, 0, 0, 0]) and arg[0, 0, 0, 0] == 4   # NaN propagates, as in torch
    y, arg = K.max_pool2d_forward(np.full((1, 1, 3, 3), -np.inf), 2, 1, 1)
    assert np.all(y == -np.inf)          # padding never wins: the first real cell of the window
    np.testing.assert_array_equal(arg[0, 0], [[0, 0, 1, 2], [0, 0, 1, 2],
                                              [3, 3, 4, 5], [6, 6, 7, 8]])


def test_pool_errors():
    with pytest.raises(ValueError, match="expected input of shape"):
        K.max_pool2d_forward(np.zeros((4, 4)), 2)
    with pytest.raises(TypeError, match="float32 or float64"):
        K.avg_pool2d_forward(np.zeros((1, 1, 4, 4), np.int32), 2)
    with pytest.raises(ValueError, match="stride must be positive"):
        K.avg_pool2d_forward(np.zeros((1, 1, 4, 4)), 2, 0)
    with pytest.raises(ValueError, match=r"grad_output has shape \(1, 1, 3, 3\), expected \(1, 1, 2, 2\)"):
        K.avg_pool2d_backward(np.zeros((1, 1, 3, 3)), (1, 1, 4, 4), 2)
    with pytest.raises(ValueError, match="argmax entries must lie in"):
        K.max_pool2d_backward(np.zeros((1, 1, 2, 2)), np.full((1, 1, 2, 2), 16), (1, 1, 4, 4))


# ----------------------------------------------------------------------- the environment ------

def _run_python(code, **env):
    full_env = dict(os.environ, **env)
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, env=full_env, timeout=300)


def test_import_is_cheap_and_does_not_load_numba():
    out = _run_python("""
        import sys, dlmath.kernels as K
        assert K.conv_output_size(28, 5, 1, 2) == 28
        print('numba' in sys.modules)
    """)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_pure_python_path_with_jit_disabled():
    """NUMBA_DISABLE_JIT=1 runs the very same kernel code as plain Python."""
    out = _run_python("""
        import numpy as np
        from dlmath import kernels as K
        from dlmath.kernels import reference as R
        rng = np.random.default_rng(0)
        x, w, b = rng.standard_normal((2, 2, 6, 5)), rng.standard_normal((3, 2, 3, 2)), rng.standard_normal(3)
        y = K.conv2d_forward(x, w, b, (2, 1), 1, (1, 2))
        assert np.allclose(y, R.conv2d_forward_ref(x, w, b, (2, 1), 1, (1, 2)))
        gy = rng.standard_normal(y.shape)
        assert np.allclose(K.conv2d_backward_input(gy, w, x.shape, (2, 1), 1, (1, 2)),
                           R.conv2d_backward_input_ref(gy, w, x.shape, (2, 1), 1, (1, 2)))
        assert np.allclose(K.conv2d_backward_weight(gy, x, w.shape, (2, 1), 1, (1, 2)),
                           R.conv2d_backward_weight_ref(gy, x, w.shape, (2, 1), 1, (1, 2)))
        for k, s, p in ((2, None, 0), (3, 2, 1), (2, 3, 1), ((2, 3), 1, (1, 1))):
            y, a = K.max_pool2d_forward(x, k, s, p)
            yr, ar = R.max_pool2d_forward_ref(x, k, s, p)
            assert (y == yr).all() and (a == ar).all()
            assert np.allclose(K.max_pool2d_backward(y, a, x.shape), R.max_pool2d_backward_ref(y, ar, x.shape))
            ya = K.avg_pool2d_forward(x, k, s, p)
            assert np.allclose(ya, R.avg_pool2d_forward_ref(x, k, s, p))
            assert np.allclose(K.avg_pool2d_backward(ya, x.shape, k, s, p),
                               R.avg_pool2d_backward_ref(ya, x.shape, k, s, p))
        thin = rng.standard_normal((1, 2, 3, 1))              # windows hanging off the image
        assert np.allclose(K.avg_pool2d_forward(thin, 2, 1, 1), R.avg_pool2d_forward_ref(thin, 2, 1, 1))
        import numba
        assert numba.config.DISABLE_JIT
        print("ok")
    """, NUMBA_DISABLE_JIT="1")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_threads_survive_fork():
    """A forked child (e.g. a DataLoader worker) gets a fresh thread pool instead of hanging."""
    out = _run_python("""
        import os, numpy as np
        from dlmath import kernels as K
        x, w = np.ones((16, 3, 12, 12)), np.ones((8, 3, 3, 3))
        y = K.conv2d_forward(x, w)                 # starts the pool in the parent
        pid = os.fork()
        if pid == 0:
            ok = np.array_equal(K.conv2d_forward(x, w), y)
            os._exit(0 if ok else 1)
        _, status = os.waitpid(pid, 0)
        print(os.waitstatus_to_exitcode(status))
    """, DLMATH_NUM_THREADS="2")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "0"


# ---------------------------------------------------------------- optional: torch itself ------

TORCH_CONV = [((4, 3, 9, 8), (5, 3, 3, 2), (1, 1), (1, 0), (1, 1)),
              ((2, 2, 11, 10), (3, 2, 3, 3), (2, 3), (2, 1), (2, 1)),
              ((3, 1, 28, 28), (6, 1, 5, 5), 1, 2, 1),
              ((2, 6, 14, 14), (16, 6, 5, 5), 1, 0, 1)]


@pytest.mark.parametrize("x_shape, w_shape, stride, padding, dilation", TORCH_CONV)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_against_torch(x_shape, w_shape, stride, padding, dilation, dtype):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    rng = np.random.default_rng(11)
    x, w = rng.standard_normal(x_shape).astype(dtype), rng.standard_normal(w_shape).astype(dtype)
    b = rng.standard_normal(w_shape[0]).astype(dtype)
    tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    ty = F.conv2d(tx, tw, tb, stride, padding, dilation)
    gy = rng.standard_normal(tuple(ty.shape)).astype(dtype)
    ty.backward(torch.tensor(gy))
    assert_close(K.conv2d_forward(x, w, b, stride, padding, dilation), ty.detach().numpy(), dtype)
    assert_close(K.conv2d_backward_input(gy, w, x.shape, stride, padding, dilation),
                 tx.grad.numpy(), dtype)
    assert_close(K.conv2d_backward_weight(gy, x, w.shape, stride, padding, dilation),
                 tw.grad.numpy(), dtype)
    assert_close(K.conv2d_backward_bias(gy), tb.grad.numpy(), dtype)
    for k, s, p in ((2, None, 0), (3, 2, 1), (3, 1, 1), ((2, 3), (1, 2), (1, 0))):
        tx.grad = None
        ty, ti = F.max_pool2d(tx, k, s, p, return_indices=True)
        g = rng.standard_normal(tuple(ty.shape)).astype(dtype)
        ty.backward(torch.tensor(g))
        y, arg = K.max_pool2d_forward(x, k, s, p)
        np.testing.assert_array_equal(y, ty.detach().numpy())
        np.testing.assert_array_equal(arg, ti.numpy())
        assert_close(K.max_pool2d_backward(g, arg, x.shape), tx.grad.numpy(), dtype)
        tx.grad = None
        ty = F.avg_pool2d(tx, k, s, p)
        ty.backward(torch.tensor(g))
        assert_close(K.avg_pool2d_forward(x, k, s, p), ty.detach().numpy(), dtype)
        assert_close(K.avg_pool2d_backward(g, x.shape, k, s, p), tx.grad.numpy(), dtype)


def test_results_are_bit_identical_for_any_thread_count():
    """Slices depend on the problem size only, so 1, 2, 3 or 5 threads add the same partial sums
    in the same order: a notebook's strict output cannot depend on the machine's core count.
    Nor on how many threads BLAS has outside the kernels (1 or 2 here): OpenBLAS's threaded GEMM
    rounds differently, so the kernels pin it to one thread on every path — a single slice and
    a single kernel thread included. Small batches (one slice) are checked too."""
    from threadpoolctl import threadpool_limits
    rng = np.random.default_rng(11)
    x = rng.standard_normal((96, 32, 16, 16)).astype(np.float32)   # several chunks per slice
    w = rng.standard_normal((64, 32, 3, 3)).astype(np.float32)
    gy = rng.standard_normal((96, 64, 14, 14)).astype(np.float32)
    before = K.get_num_threads()
    try:
        runs = []
        for blas in (1, 2):
            with threadpool_limits(blas, user_api="blas"):
                for n in (1, 2, 3, 5):
                    K.set_num_threads(n)
                    runs.append((K.conv2d_forward(x, w, None),
                                 K.conv2d_backward_weight(gy, x, w.shape),
                                 K.conv2d_backward_input(gy, w, x.shape),
                                 K.conv2d_forward(x[:2], w, None)))          # one slice
    finally:
        K.set_num_threads(before)
    for run in runs[1:]:
        for a, b in zip(runs[0], run):
            np.testing.assert_array_equal(a, b)


def test_batch_slices_cover_the_batch_and_ignore_the_thread_count():
    from dlmath.kernels._threads import batch_slices
    for n, m, g in [(1, 1, 1), (7, 1, 1), (64, 3, 4), (1000, 7, 8), (5, 3, 1)]:
        s = batch_slices(n, m, g)
        assert s[0][0] == 0 and s[-1][1] == n
        assert all(a[1] == b[0] for a, b in zip(s, s[1:]))
        assert all(lo % g == 0 for lo, _ in s)
