"""Shared plumbing for the adversarial wrong solutions: collect them, run one under its checker.

``collect()`` yields ``(checker_name, label, fn)`` from every ``wrong_<topic>.py`` module;
``run_one(checker_name, fn)`` imports the checker by name from ``dlmath.exercises``, calls it with
its printed output captured, and returns ``(CheckResult, captured_text)``.
"""
import contextlib
import importlib
import io
import os

import numpy as np

from pathlib import Path

# Every wrong_<topic>.py beside this file, one per checker module of dlmath.exercises.
MODULES = tuple(sorted(p.stem for p in Path(__file__).parent.glob("wrong_*.py")))


def hangs_enabled():
    """Wrong solutions labelled "HANGS:" never return on some inputs; the checkers' time limit
    stops them, so they run unless DLMATH_ADVERSARIAL_HANGS=0."""
    return os.environ.get("DLMATH_ADVERSARIAL_HANGS", "1") != "0"


def collect():
    for name in MODULES:
        module = importlib.import_module(f"{__package__}.{name}")
        for checker, entries in module.WRONG.items():
            for label, fn in entries:
                yield checker, label, fn


def run_one(checker_name, fn):
    import dlmath.exercises
    checker = getattr(dlmath.exercises, checker_name)
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out), \
            np.errstate(all="ignore"):
        result = checker(fn)
    return result, out.getvalue()
