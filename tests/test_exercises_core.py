"""The exercise machinery: reference solutions pass, each catalogued mistake is caught with its
own hint, unattempted stubs don't raise, and a checker grades the learner's function only."""
import numpy as np

from dlmath.exercises import check_softmax, check_conv_output_size


def softmax_ok(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_no_shift(z):
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def softmax_wrong_axis(z):
    e = np.exp(z - z.max())
    return e / e.sum(axis=0, keepdims=True)


def softmax_unnormalised(z):
    return np.exp(z - z.max(axis=-1, keepdims=True))


def stub(*args):
    raise NotImplementedError


def test_softmax_checker(capsys):
    assert check_softmax(softmax_ok)
    assert "passed" in capsys.readouterr().out
    r = check_softmax(softmax_no_shift)
    assert not r and r.mistakes[0] == "overflow" and "max" in r.message
    r = check_softmax(softmax_wrong_axis)
    assert not r and "wrong axis" in r.mistakes
    r = check_softmax(softmax_unnormalised)
    assert not r and "not normalised" in r.mistakes
    r = check_softmax(stub)
    assert r.status == "not attempted" and "not attempted yet" in capsys.readouterr().out.split(
        "\n")[-2]


def test_conv_output_size_checker():
    ok = lambda i, k, s=1, p=0, d=1: (i + 2 * p - d * (k - 1) - 1) // s + 1
    assert check_conv_output_size(ok)
    bad = {
        "off by one": lambda i, k, s=1, p=0, d=1: (i + 2 * p - d * (k - 1) - 1) // s,
        "stride ignored": lambda i, k, s=1, p=0, d=1: i + 2 * p - d * (k - 1),
        "dilation ignored": lambda i, k, s=1, p=0, d=1: (i + 2 * p - k) // s + 1,
        "padding once": lambda i, k, s=1, p=0, d=1: (i + p - d * (k - 1) - 1) // s + 1,
        "rounded up": lambda i, k, s=1, p=0, d=1: -(-(i + 2 * p - d * (k - 1) - 1) // s) + 1,
    }
    for name, fn in bad.items():
        r = check_conv_output_size(fn)
        assert not r and name in r.mistakes, (name, r.message)


def test_checker_survives_a_crashing_function():
    r = check_softmax(lambda z: z.undefined_attribute)
    assert r.status == "failed" and "AttributeError" in r.message
    assert check_softmax("not a function").status == "error"
