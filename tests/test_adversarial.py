"""Every adversarial wrong solution (tests/adversarial/wrong_*.py, written from the exercise text
alone, without reading the checkers) must be rejected by its checker: status "failed" or "error",
never "passed" or "not attempted".

Wrong solutions labelled "HANGS:" never return on some inputs; the checkers' time limit must stop
them (DLMATH_ADVERSARIAL_HANGS=0 skips them).
``python -m tests.adversarial`` prints a per-checker summary.
"""
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.adversarial.harness import collect, run_one, hangs_enabled  # noqa: E402

CASES = list(collect())
ROOT = Path(__file__).resolve().parents[1]


def notebook_checkers():
    """Every dlmath checker a course notebook calls (a notebook's own helper that happens to be
    named check_… is not one): each must have wrong solutions."""
    import json
    import dlmath.exercises as exercises
    found = set()
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(nb.read_text())["cells"]:
            if cell["cell_type"] == "code":
                found.update(re.findall(r"\b(check_[a-z0-9_]+)\(", "".join(cell["source"])))
    return sorted(name for name in found if name in exercises.__all__)


def _param(checker, label, fn):
    marks = []
    if label.startswith("HANGS:") and not hangs_enabled():
        marks.append(pytest.mark.skip(
            reason="never returns on some inputs; skipped by DLMATH_ADVERSARIAL_HANGS=0"))
    return pytest.param(checker, fn, id=f"{checker}-{label}", marks=marks)


@pytest.mark.parametrize("checker, fn", [_param(*case) for case in CASES])
def test_checker_rejects_wrong_solution(checker, fn):
    result, printed = run_one(checker, fn)
    status = getattr(result, "status", None)
    assert not result, f"{checker} accepted a wrong solution ({fn.__name__}):\n{printed}"
    assert status in ("failed", "error"), f"{checker} gave status {status!r}:\n{printed}"


def test_every_checker_in_scope_has_wrong_solutions():
    counts = {}
    for checker, _, _ in CASES:
        counts[checker] = counts.get(checker, 0) + 1
    in_scope = notebook_checkers()
    thin = {c: counts.get(c, 0) for c in in_scope if counts.get(c, 0) < 5}
    assert not thin, f"checkers with fewer than 5 wrong solutions: {thin}"


def test_in_scope_list_comes_from_the_notebooks():
    found = notebook_checkers()
    assert "check_posterior" in found and "check_newton_minimize" in found
    assert all(name.startswith("check_") for name in found)
