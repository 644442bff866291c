"""The notebook-23 checkers (dlmath/exercises/neurons_activations.py): correct solutions pass (two
different ones each, and the notebook's own), each catalogued mistake — written as real wrong
code — is caught under its own name, a stub is "not attempted", uncatalogued wrong solutions get
expected-vs-got, the sweep catches what the hand-picked cases miss, and the oracle agrees with an
independent computation."""
import math
from pathlib import Path

import numpy as np
import pytest

import dlmath
import dlmath.nn.functional as F
from dlmath.exercises import check_gelu_grad, check_xor_weights
from dlmath.exercises import neurons_activations as na
from exercise_helpers import named as _named, notebook_solutions, stub

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "23_neurons_logic_activations.ipynb"
notebook_solution = notebook_solutions(NOTEBOOK)


# --------------------------------------------------------------------------------------------
# xor_weights
# --------------------------------------------------------------------------------------------

def xor_or_nand():
    return (np.array([[1.0, 1.0], [-1.0, -1.0]]), np.array([-0.5, 1.5]), np.array([1.0, 1.0]),
            -1.5)


def xor_or_and():                                # h₁ = OR, h₂ = AND, y = h₁ and not h₂
    return [[2, 2], [1, 1]], [-1, -1.5], [1, -2], -0.5


@pytest.mark.parametrize("fn", [xor_or_nand, xor_or_and, notebook_solution("xor_weights")])
def test_xor_correct_solutions_pass(fn):
    assert check_xor_weights(fn)


@pytest.mark.parametrize("fn, name", [
    (lambda: (np.array([[1.0, 1.0], [-1.0, -1.0]]), np.array([-0.5, 1.5]),
              np.array([-1.0, -1.0]), 1.5), "XNOR"),
    (lambda: (np.zeros((2, 2)), np.zeros(2), np.array([1.0, 1.0]), -0.5), "no hidden layer"),
    (lambda: (np.array([[1.0, 1.0], [0.0, 0.0]]), np.array([-0.5, -1.0]), np.array([1.0, 0.0]),
              -0.5), "OR"),
    (lambda: (np.array([[1.0, 1.0], [0.0, 0.0]]), np.array([-1.5, -1.0]), np.array([1.0, 0.0]),
              -0.5), "AND"),
])
def test_xor_mistakes_are_named(fn, name):
    assert _named(check_xor_weights(fn), name)


def test_xor_stub_shapes_ties_and_arguments():
    assert check_xor_weights(stub).status == "not attempted"
    r = check_xor_weights(lambda: ([1, 1, -1, -1], [-0.5, 1.5], [1, 1], -1.5))
    assert r.status == "failed" and "W1 must be shape (2, 2)" in r.message
    r = check_xor_weights(lambda: (np.ones((2, 2)), np.array([-0.5, -1.5]), np.array([1.0, -1.0])))
    assert r.status == "failed" and "tuple of 4 values" in r.message
    # right with step(z) = 1 for z > 0, but the output sits exactly on 0 at (0, 0): a tie
    tie = lambda: (np.array([[1.0, 1.0], [-1.0, -1.0]]), np.array([-0.5, 1.5]),
                   np.array([1.0, 1.0]), -1.0)
    r = check_xor_weights(tie)
    assert r.status == "failed" and "at least 0.1 away from 0" in r.message
    # a margin of 0.05 is too small even though the truth table is right
    thin = lambda: (np.array([[1.0, 1.0], [-1.0, -1.0]]), np.array([-0.95, 1.5]),
                    np.array([1.0, 1.0]), -1.5)
    r = check_xor_weights(thin)
    assert r.status == "failed" and "0.05" in r.message
    r = check_xor_weights(lambda x: xor_or_nand())                 # needs an argument
    assert r.status == "failed" and "raised TypeError" in r.message


def test_xor_network_is_the_definition():
    """The enumeration agrees with XOR written as a Python expression, for the catalogued answer."""
    W1, b1, w2, b2 = xor_or_nand()
    for (x1, x2), y in zip(na.XOR_INPUTS, na.xor_network(W1, b1, w2, b2)[3]):
        assert y == (int(x1) ^ int(x2))


# --------------------------------------------------------------------------------------------
# gelu_grad
# --------------------------------------------------------------------------------------------

def gelu_grad_erfc(x):
    x = np.asarray(x, dtype=float)
    cdf = 0.5 * np.vectorize(math.erfc, otypes=[float])(-x / math.sqrt(2))
    with np.errstate(over="ignore"):
        pdf = np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)
    return cdf + x * pdf


def gelu_grad_autograd(x):                       # dlmath's GELU backward (float64)
    t = dlmath.tensor(np.asarray(x, dtype=float), requires_grad=True)
    F.gelu(t).sum().backward()
    return t.grad.data


@pytest.mark.parametrize("fn", [gelu_grad_erfc, gelu_grad_autograd,
                                notebook_solution("gelu_grad")])
def test_gelu_correct_solutions_pass(fn):
    fn(np.array([0.5]))              # compile dlmath's erfc ufunc first: not part of the 2 s limit
    assert check_gelu_grad(fn)


def _cdf(x):
    return 0.5 * np.vectorize(math.erfc, otypes=[float])(-np.asarray(x, float) / math.sqrt(2))


def _pdf(x):
    x = np.asarray(x, float)
    with np.errstate(over="ignore"):
        return np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)


def g_phi_alone(x):
    return _cdf(x)


def g_unnormalised(x):
    x = np.asarray(x, float)
    return _cdf(x) + x * np.exp(-0.5 * x * x)


def g_minus(x):
    x = np.asarray(x, float)
    return _cdf(x) - x * _pdf(x)


def g_tanh(x):
    x = np.asarray(x, float)
    c = math.sqrt(2 / math.pi)
    t = np.tanh(c * (x + 0.044715 * x ** 3))
    return 0.5 * (1 + t) + 0.5 * x * (1 - t ** 2) * c * (1 + 3 * 0.044715 * x ** 2)


def g_sigmoid(x):
    x = np.asarray(x, float)
    s = 1 / (1 + np.exp(-1.702 * x))
    return s + 1.702 * x * s * (1 - s)


def g_erf(x):
    x = np.asarray(x, float)
    return 0.5 * (1 + np.vectorize(math.erf)(x / math.sqrt(2))) + x * _pdf(x)


def g_integer(x):
    x = np.asarray(x)
    out = gelu_grad_erfc(x)
    return out.astype(x.dtype) if x.dtype.kind == "i" else out


@pytest.mark.parametrize("fn, name", [
    (g_phi_alone, "Φ alone"), (g_unnormalised, "φ unnormalised"), (g_minus, "sign of xφ"),
    (g_tanh, "tanh approximation"), (g_sigmoid, "sigmoid approximation"),
    (g_erf, "½(1 + erf) in the tail"), (g_integer, "integer result"),
])
def test_gelu_mistakes_are_named(fn, name):
    assert _named(check_gelu_grad(fn), name)


def test_gelu_stub_scalar_and_uncatalogued():
    assert check_gelu_grad(stub).status == "not attempted"
    r = check_gelu_grad(lambda x: float(np.mean(gelu_grad_erfc(x))))
    assert r.status == "failed" and "expected shape" in r.message
    r = check_gelu_grad(lambda x: gelu_grad_erfc(x) * (1 + 1e-9))     # 9 digits, not 12
    assert r.status == "failed" and "relative error" in r.message and not r.mistakes


def test_gelu_sweep_catches_what_the_cases_miss():
    """Right on the cases' inputs, wrong for |x| in (4, 5): only the sweep's scales reach it."""
    def wrong_band(x):
        x = np.asarray(x, float)
        return np.where((np.abs(x) > 4) & (np.abs(x) < 5), 0.5, gelu_grad_erfc(x))
    r = check_gelu_grad(wrong_band)
    assert r.status == "failed" and "at x = " in r.message


def test_gelu_oracle_agrees_with_independent_values():
    """Against values worked out independently: GELU′(0) = ½; GELU′(x) + GELU′(−x) = 1 (since
    Φ(x) + Φ(−x) = 1 and xφ(x) is odd); and central differences of x·Φ(x) in 50-digit arithmetic."""
    import mpmath
    x = np.array([0.0, 0.3, 1.7, 4.2, 9.0])
    v, scale = na._gelu_grad_oracle(x)
    w, _ = na._gelu_grad_oracle(-x)
    assert v[0] == 0.5 and np.allclose(v + w, 1.0, rtol=0, atol=1e-15)
    assert np.all(scale >= np.abs(v))
    with mpmath.workdps(60):
        gelu = lambda t: t * mpmath.ncdf(t)
        for xi, vi in zip([-9.0, -3.5, 0.2, 2.5], na._gelu_grad_oracle(
                np.array([-9.0, -3.5, 0.2, 2.5]))[0]):
            fd = mpmath.diff(gelu, mpmath.mpf(xi))
            assert abs(float(fd) - vi) <= 1e-14 * abs(vi)
