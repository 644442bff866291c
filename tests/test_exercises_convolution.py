"""The notebook-24 checkers (dlmath/exercises/convolution.py): correct solutions pass (two
different ones each, and the notebook's own), each catalogued mistake — written as real wrong
code — is caught under its own name, a stub is "not attempted", uncatalogued wrong solutions get
expected-vs-got, input mutation is caught, the sweep catches what the hand-picked cases miss, and
each oracle agrees with an independent computation (dlmath's conv2d with the flipped kernel, and
dlmath's max_pool2d backward)."""
from pathlib import Path

import numpy as np
import pytest

import dlmath
import dlmath.nn.functional as F
from dlmath.exercises import check_convolve2d, check_max_pool_backward
from dlmath.exercises import convolution as cv
from exercise_helpers import named as _named, notebook_solutions, stub

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "24_convolution.ipynb"
notebook_solution = notebook_solutions(NOTEBOOK)


# --------------------------------------------------------------------------------------------
# convolve2d
# --------------------------------------------------------------------------------------------

def xcorr(x, w):
    x, w = np.asarray(x, float), np.asarray(w, float)
    kh, kw = w.shape
    out = np.zeros((x.shape[0] - kh + 1, x.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(x[i:i + kh, j:j + kw] * w)
    return out


def conv_flip(x, w):
    return xcorr(x, np.asarray(w)[::-1, ::-1])


def conv_by_shifts(x, w):                       # Σ_ab w[a, b] · (x shifted by (kh−1−a, kw−1−b))
    x, w = np.asarray(x, float), np.asarray(w, float)
    (H, W), (kh, kw) = x.shape, w.shape
    out = np.zeros((H - kh + 1, W - kw + 1))
    for a in range(kh):
        for b in range(kw):
            out += w[a, b] * x[kh - 1 - a:kh - 1 - a + H - kh + 1, kw - 1 - b:kw - 1 - b + W - kw + 1]
    return out


@pytest.mark.parametrize("fn", [conv_flip, conv_by_shifts, notebook_solution("convolve2d")])
def test_convolve_correct_solutions_pass(fn):
    assert check_convolve2d(fn)


def conv_same(x, w):
    kh, kw = np.shape(w)
    return conv_flip(np.pad(np.asarray(x, float), ((kh // 2, (kh - 1) // 2), (kw // 2, (kw - 1) // 2))), w)


def conv_int(x, w):
    out = conv_flip(x, w)
    x = np.asarray(x)
    return out.astype(x.dtype) if x.dtype.kind == "i" else out


@pytest.mark.parametrize("fn, name", [
    (xcorr, "no flip"),
    (lambda x, w: xcorr(x, np.asarray(w)[::-1]), "flipped along one axis"),
    (lambda x, w: xcorr(x, np.asarray(w)[:, ::-1]), "flipped along one axis"),
    (lambda x, w: xcorr(x, np.asarray(w).T) if np.shape(w)[0] == np.shape(w)[1]
     else conv_flip(x, w), "transpose, not flip"),
    (conv_same, "same or full size"),
    (lambda x, w: conv_flip(x, w)[::-1, ::-1], "output flipped"),
    (conv_int, "integer result"),
])
def test_convolve_mistakes_are_named(fn, name):
    assert _named(check_convolve2d(fn), name)


def test_convolve_stub_mutation_uncatalogued_and_sweep():
    assert check_convolve2d(stub).status == "not attempted"

    def mutates(x, w):
        w = np.asarray(w)
        w[...] = w[::-1, ::-1].copy()
        return xcorr(x, w)
    r = check_convolve2d(mutates)
    assert r.status == "failed" and "in place" in r.message
    r = check_convolve2d(lambda x, w: conv_flip(x, w) + 1e-3)
    assert r.status == "failed" and "expected" in r.message and not r.mistakes

    def wrong_for_tall_kernels(x, w):                   # right unless kh > kw
        w = np.asarray(w)
        return xcorr(x, w[::-1]) if w.shape[0] > w.shape[1] + 1 else conv_flip(x, w)
    r = check_convolve2d(wrong_for_tall_kernels)
    assert r.status == "failed" and "random inputs" in r.message


def test_convolve_oracle_is_conv2d_with_the_flipped_kernel():
    rng = np.random.default_rng(1)
    for i in range(40):
        x, w = cv._convolve_input(rng, i)
        x, w = np.asarray(x, float), np.asarray(w, float)
        ref = F.conv2d(dlmath.tensor(x[None, None]),
                       dlmath.tensor(w[::-1, ::-1].copy()[None, None])).data[0, 0]
        assert np.allclose(cv._convolve_oracle(x, w), ref, rtol=1e-12, atol=1e-12)


# --------------------------------------------------------------------------------------------
# max_pool_backward
# --------------------------------------------------------------------------------------------

def mpb_loops(x, g, k):
    x = np.asarray(x, float)
    dx = np.zeros_like(x)
    N, C, Ho, Wo = np.shape(g)
    for n in range(N):
        for c in range(C):
            for i in range(Ho):
                for j in range(Wo):
                    win = x[n, c, i * k:(i + 1) * k, j * k:(j + 1) * k]
                    a, b = np.unravel_index(np.argmax(win), win.shape)
                    dx[n, c, i * k + a, j * k + b] = g[n, c, i, j]
    return dx


def mpb_vectorised(x, g, k):                     # windows as an axis; argmax over it
    x, g = np.asarray(x, float), np.asarray(g, float)
    N, C, Ho, Wo = g.shape
    win = x[:, :, :Ho * k, :Wo * k].reshape(N, C, Ho, k, Wo, k).transpose(0, 1, 2, 4, 3, 5)
    arg = win.reshape(N, C, Ho, Wo, k * k).argmax(-1)
    mask = np.eye(k * k)[arg] * g[..., None]
    dx = np.zeros_like(x)
    dx[:, :, :Ho * k, :Wo * k] = mask.reshape(N, C, Ho, Wo, k, k).transpose(
        0, 1, 2, 4, 3, 5).reshape(N, C, Ho * k, Wo * k)
    return dx


@pytest.mark.parametrize("fn", [mpb_loops, mpb_vectorised, notebook_solution("max_pool_backward")])
def test_pool_correct_solutions_pass(fn):
    assert check_max_pool_backward(fn)


def _windows(fn_window):
    def f(x, g, k):
        x = np.asarray(x, float)
        dx = np.zeros_like(x)
        N, C, Ho, Wo = np.shape(g)
        for n in range(N):
            for c in range(C):
                for i in range(Ho):
                    for j in range(Wo):
                        sl = (n, c, slice(i * k, (i + 1) * k), slice(j * k, (j + 1) * k))
                        dx[sl] = fn_window(x[sl], g[n, c, i, j])
        return dx
    return f


def _last_max(win, g):
    out = np.zeros_like(win)
    flat = win.ravel()
    out.flat[len(flat) - 1 - int(np.argmax(flat[::-1]))] = g
    return out


def mpb_leftover(x, g, k):
    dx = mpb_loops(x, g, k)
    dx[..., -1, :] += 0.0 if np.shape(x)[-2] % k == 0 else 1.0
    return dx


@pytest.mark.parametrize("fn, name", [
    (_windows(lambda win, g: np.full_like(win, g)), "sent to every element"),
    (_windows(lambda win, g: np.full_like(win, g / win.size)), "average pooling's rule"),
    (_windows(lambda win, g: (win == win.max()) * g), "every tied maximum"),
    (_windows(_last_max), "last maximum"),
    (mpb_leftover, "leftover not zero"),
])
def test_pool_mistakes_are_named(fn, name):
    assert _named(check_max_pool_backward(fn), name)


def test_pool_stub_mutation_and_uncatalogued():
    assert check_max_pool_backward(stub).status == "not attempted"

    def in_place(x, g, k):
        x = np.asarray(x)
        dx = mpb_loops(x, g, k)
        x[...] = dx
        return dx
    r = check_max_pool_backward(in_place)
    assert r.status == "failed" and "in place" in r.message
    r = check_max_pool_backward(lambda x, g, k: 2 * mpb_loops(x, g, k))
    assert r.status == "failed" and "expected" in r.message and not r.mistakes


def test_pool_sweep_catches_what_the_cases_miss():
    def wrong_for_batches(x, g, k):                     # only the first image and channel
        dx = mpb_loops(x, g, k)
        dx[1:] = 0
        dx[:, 1:] = 0
        return dx
    r = check_max_pool_backward(wrong_for_batches)
    assert r.status == "failed" and "random inputs" in r.message


def test_pool_oracle_agrees_with_dlmath_max_pool2d():
    rng = np.random.default_rng(3)
    for i in range(60):
        x, g, k = cv._pool_input(rng, i)
        xt = dlmath.tensor(x, requires_grad=True)
        (F.max_pool2d(xt, k) * dlmath.tensor(g)).sum().backward()
        assert np.array_equal(xt.grad.data, cv._pool_grad_oracle(x, g, k))
