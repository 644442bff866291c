"""The machinery behind every ``check_<name>(your_function)``.

A checker runs *your* function on a few cases chosen to expose the classic mistakes for that
exercise. It never calls a reference solution: the expected answers are written into the
checker (closed forms, hand-computed numbers), and each known mistake has a *detector* that
recognises its symptom and a *hint* that explains it.

    result = run_checks("softmax", fn, cases, mistakes)

prints one of
    ✅ softmax: all 4 checks passed.
    ❌ softmax: <the hint for the first mistake recognised>  (or the first failing case)
    ⏳ softmax: not attempted yet — …
and returns a ``CheckResult`` (truthy when passed). It never raises because of the learner's
code, so a notebook runs top to bottom even before the exercises are done.
"""
from dataclasses import dataclass, field
import warnings

import numpy as np


@dataclass
class Case:
    """One check: call ``fn(*args)``; ``expect(out)`` returns None if right, else a message."""
    name: str
    args: tuple
    expect: callable


@dataclass
class Mistake:
    """A classic mistake: ``detect(fn)`` returns True when the learner's fn shows its symptom."""
    name: str
    detect: callable
    hint: str


@dataclass
class CheckResult:
    exercise: str
    status: str                  # "passed" | "failed" | "not attempted" | "error"
    message: str
    mistakes: list = field(default_factory=list)

    def __bool__(self):
        return self.status == "passed"

    def __repr__(self):
        return f"CheckResult({self.exercise!r}, {self.status!r})"

    def _ipython_display_(self):
        """The checker already printed its verdict; show nothing more in a notebook."""


_ICONS = {"passed": "✅", "failed": "❌", "not attempted": "⏳", "error": "💥"}


def _call(fn, args):
    """Call quietly: NumPy overflow warnings are symptoms we diagnose, not noise to print."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            return fn(*[a.copy() if isinstance(a, np.ndarray) else a for a in args])


def _safe_detect(detector, fn):
    try:
        return bool(detector(fn))
    except Exception:
        return False


def run_checks(exercise, fn, cases, mistakes=(), verbose=True):
    """Grade ``fn`` on ``cases``; on failure, look for a catalogued mistake to explain it."""
    result = _grade(exercise, fn, cases, mistakes)
    if verbose:
        print(f"{_ICONS[result.status]} {exercise}: {result.message}")
    return result


def _grade(exercise, fn, cases, mistakes):
    if not callable(fn):
        return CheckResult(exercise, "error", f"expected a function, got {type(fn).__name__}")
    failure = None
    for case in cases:
        try:
            out = _call(fn, case.args)
        except NotImplementedError:
            return CheckResult(exercise, "not attempted",
                               "not attempted yet — replace `raise NotImplementedError` with "
                               "your code and run the check again.")
        except Exception as e:   # the learner's code raised: say what and where
            failure = f"on the case '{case.name}' your function raised {type(e).__name__}: {e}"
            break
        try:
            problem = case.expect(out)
        except Exception as e:
            problem = f"its result could not be checked ({type(e).__name__}: {e})"
        if problem:
            failure = f"on the case '{case.name}': {problem}"
            break
    if failure is None:
        return CheckResult(exercise, "passed", f"all {len(cases)} checks passed.")
    found = [m for m in mistakes if _safe_detect(m.detect, fn)]
    if found:
        return CheckResult(exercise, "failed", f"{found[0].hint}  ({failure})",
                           [m.name for m in found])
    return CheckResult(exercise, "failed", failure)


def close(expected, rtol=1e-6, atol=1e-9):
    """An ``expect`` for array answers: shape, finiteness, then values."""
    expected = np.asarray(expected)

    def expect(out):
        out = np.asarray(getattr(out, "data", out), dtype=float)
        if out.shape != expected.shape:
            return f"expected shape {expected.shape}, got {out.shape}"
        if not np.all(np.isfinite(out)) and np.all(np.isfinite(expected)):
            return "the result contains nan or inf"
        if not np.allclose(out, expected, rtol=rtol, atol=atol):
            worst = tuple(int(i) for i in np.unravel_index(
                np.argmax(np.abs(out - expected)), out.shape)) if out.ndim else ()
            return (f"expected {np.round(expected[worst], 6)} at index {worst}, got "
                    f"{np.round(out[worst], 6)}")
        return None
    return expect


def equal(expected):
    """An ``expect`` for exact answers (ints, tuples, strings)."""
    def expect(out):
        if out != expected:
            return f"expected {expected!r}, got {out!r}"
        return None
    return expect
