"""Checkers shared by several notebooks. Each lists the cases it runs and the classic mistakes
it recognises. Expected values are written out here, never taken from a reference solution."""
import numpy as np

from .core import Case, Mistake, close, equal, run_checks, _call

__all__ = ["check_softmax", "check_conv_output_size"]


def check_softmax(fn):
    """softmax(z) along the last axis: exp(z − max z) / Σ exp(z − max z).

    Catches: no max-shift (overflow → nan for large logits), normalising over the wrong axis,
    forgetting keepdims (broadcasting error or wrong shape), returning exp without dividing."""
    e = np.exp([1.0, 2.0, 3.0])
    small = e / e.sum()
    batch = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    cases = [
        Case("a 3-logit vector [1, 2, 3]", (np.array([1.0, 2.0, 3.0]),), close(small)),
        Case("a batch of 2 rows (normalise each row)", (batch,),
             close(np.stack([small, np.full(3, 1 / 3)]))),
        Case("huge logits [1000, 1001, 1002]", (np.array([1000.0, 1001.0, 1002.0]),),
             close(small)),
        Case("very negative logits [-1000, -999, -998]", (np.array([-1000.0, -999.0, -998.0]),),
             close(small)),
    ]
    mistakes = [
        Mistake("overflow", lambda f: not np.all(np.isfinite(
            _call(f, (np.array([1000.0, 1001.0, 1002.0]),)))),
            "exp(1000) overflows to inf and inf/inf is nan. Subtract the largest logit first: "
            "softmax(z) = softmax(z − max z), mathematically the same, numerically safe."),
        Mistake("wrong axis", lambda f: np.allclose(np.sum(_call(f, (batch,)), axis=0), 1.0)
                and not np.allclose(np.sum(_call(f, (batch,)), axis=-1), 1.0),
                "each row should sum to 1, but your columns do: normalise along the last axis "
                "(axis=-1, keepdims=True)."),
        Mistake("not normalised", lambda f: np.allclose(_call(f, (np.array([0.0, 0.0]),)), 1.0),
                "the outputs must sum to 1: divide exp(z) by its sum."),
    ]
    return run_checks("softmax", fn, cases, mistakes)


def check_conv_output_size(fn):
    """conv_output_size(i, k, s=1, p=0, d=1) = ⌊(i + 2p − d(k−1) − 1)/s⌋ + 1.

    Catches: the off-by-one (forgetting the +1), ignoring stride, ignoring dilation,
    padding counted once instead of on both sides, rounding up instead of down."""
    cases = [Case("28×28 input, 5×5 kernel", (28, 5, 1, 0, 1), equal(24)),
             Case("28, k5, padding 2 keeps the size", (28, 5, 1, 2, 1), equal(28)),
             Case("stride 2: 7, k3, s2", (7, 3, 2, 0, 1), equal(3)),
             Case("stride that does not divide: 8, k3, s2", (8, 3, 2, 0, 1), equal(3)),
             Case("dilation 2: 7, k3, d2", (7, 3, 1, 0, 2), equal(3)),
             Case("kernel = input", (5, 5, 1, 0, 1), equal(1))]
    f_ = lambda f, *a: _call(f, a)
    mistakes = [
        Mistake("off by one", lambda f: f_(f, 28, 5, 1, 0, 1) == 23,
                "off by one: the first window already gives an output, so add 1 — "
                "(i + 2p − k)/s + 1 for stride 1, dilation 1."),
        Mistake("stride ignored", lambda f: f_(f, 7, 3, 2, 0, 1) == 5,
                "the stride is ignored: the window jumps s pixels, so divide by s (and floor)."),
        Mistake("dilation ignored", lambda f: f_(f, 7, 3, 1, 0, 2) == 5,
                "dilation is ignored: a k-tap kernel with dilation d spans d(k−1)+1 pixels."),
        Mistake("padding once", lambda f: f_(f, 28, 5, 1, 2, 1) == 26,
                "padding goes on both sides: use i + 2p."),
        Mistake("rounded up", lambda f: f_(f, 8, 3, 2, 0, 1) == 4,
                "a window that would stick out past the edge is not used: round down (//)."),
    ]
    return run_checks("conv_output_size", fn, cases, mistakes)
