"""Progress the learner can see (dlmath/exercises/tracking.py): a checker run inside a workspace
records its verdict for that notebook, atomically; outside one it records nothing; a corrupted
or foreign file is set aside with a message; ``progress()`` shows each notebook's exercises with
status and last hint, and a part is done when all its exercises pass."""
import json
import os
import re
from pathlib import Path

import pytest

from dlmath.exercises import check_conv_output_size, progress, tracking

ROOT = Path(__file__).resolve().parent.parent


def right(i, k, s=1, p=0, d=1):
    return (i + 2 * p - d * (k - 1) - 1) // s + 1


def off_by_one(i, k, s=1, p=0, d=1):
    return (i + 2 * p - d * (k - 1) - 1) // s


def stub(*args):
    raise NotImplementedError


def notebook(path, *calls):
    cells = [{"cell_type": "markdown", "metadata": {}, "source": "# a lesson"}]
    cells += [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
               "source": f"{c}(solution)"} for c in calls]
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                                "nbformat_minor": 5}))


@pytest.fixture
def work(tmp_path, monkeypatch):
    """A workspace with two notebooks of part 2 (06, 07) and one of part 1 (01)."""
    w = tmp_path / "my-work"
    w.mkdir()
    (w / tracking.MARKER).write_text("workspace")
    notebook(w / "01_vectors.ipynb", "check_conv_output_size")
    notebook(w / "06_derivatives.ipynb", "check_conv_output_size")
    notebook(w / "07_gradients.ipynb", "check_conv_output_size", "check_linear_backward")
    monkeypatch.chdir(w)
    for var in ("DLMATH_PROGRESS", "DLMATH_NOTEBOOK", "JPY_SESSION_NAME"):
        monkeypatch.delenv(var, raising=False)
    return w


def entries(w):
    data = json.loads((w / tracking.FILE).read_text())
    assert data["format"] == "dlmath-progress" and data["version"] == 1
    return data["exercises"]


def test_nothing_is_recorded_outside_a_workspace(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DLMATH_PROGRESS", raising=False)
    check_conv_output_size(right)
    assert list(tmp_path.iterdir()) == []


def test_each_verdict_is_recorded_for_its_notebook(work, monkeypatch, capsys):
    monkeypatch.setenv("JPY_SESSION_NAME", str(work / "07_gradients.ipynb"))   # what Lab sets
    check_conv_output_size(stub)
    e = entries(work)["07_gradients.ipynb::check_conv_output_size"]
    assert e["status"] == "not attempted" and e["mistake"] is None
    check_conv_output_size(off_by_one)
    e = entries(work)["07_gradients.ipynb::check_conv_output_size"]
    assert e["status"] == "failed" and e["mistake"] == "off by one" and len(e["hint"]) > 20
    monkeypatch.setenv("DLMATH_NOTEBOOK", "06_derivatives.ipynb")            # takes precedence
    check_conv_output_size(right)
    got = entries(work)
    assert got["06_derivatives.ipynb::check_conv_output_size"]["status"] == "passed"
    assert got["07_gradients.ipynb::check_conv_output_size"]["status"] == "failed"
    assert len(got) == 2


def test_without_a_session_name_the_notebook_that_calls_the_checker_is_used(work):
    check_conv_output_size(right)
    assert list(entries(work)) == ["01_vectors.ipynb::check_conv_output_size"]


def test_a_write_killed_midway_leaves_the_previous_record(work, monkeypatch):
    check_conv_output_size(right)
    before = (work / tracking.FILE).read_bytes()

    def dies(*args, **kwargs):
        raise KeyboardInterrupt                      # the kernel interrupted mid-write
    monkeypatch.setattr(tracking.os, "replace", dies)
    with pytest.raises(KeyboardInterrupt):
        tracking.save(work / tracking.FILE, {"format": "half"})
    assert (work / tracking.FILE).read_bytes() == before
    assert sorted(p.name for p in work.iterdir() if p.name.startswith(".dlmath-progress")) == \
        [tracking.FILE]                              # no temporary file left behind


@pytest.mark.parametrize("content, why", [('{"format": "dlmath-progress", "versi', "valid JSON"),
                                          ('{"scores": [1, 2]}', "not a dlmath progress file"),
                                          ("", "valid JSON")])
def test_a_corrupted_or_foreign_file_is_set_aside(work, capsys, content, why):
    (work / tracking.FILE).write_text(content)
    result = check_conv_output_size(right)
    assert result                                     # the checker still works
    out = capsys.readouterr().out
    assert "could not be read" in out and why in out
    aside = list(work.glob(tracking.FILE + ".unreadable-*"))
    assert len(aside) == 1 and aside[0].read_text() == content
    assert entries(work)["01_vectors.ipynb::check_conv_output_size"]["status"] == "passed"


def test_an_unwritable_workspace_warns_instead_of_crashing(work, monkeypatch, capsys):
    def refuse(*a, **k):
        raise PermissionError("read-only file system")
    monkeypatch.setattr(tracking.tempfile, "mkstemp", refuse)
    assert check_conv_output_size(right)
    assert "could not record this result (PermissionError" in capsys.readouterr().out


def test_progress_table_and_parts(work, monkeypatch):
    p = progress()
    assert [t for t, _, _ in p.parts] == ["Part 1 · Linear algebra", "Part 2 · Calculus"]
    assert p.status("check_conv_output_size", "07_gradients.ipynb") is None      # not run
    monkeypatch.setenv("DLMATH_NOTEBOOK", "01_vectors.ipynb")
    check_conv_output_size(right)
    monkeypatch.setenv("DLMATH_NOTEBOOK", "07_gradients.ipynb")
    check_conv_output_size(off_by_one)
    p = progress()
    done = {t: d for t, d, _ in p.parts}
    assert done == {"Part 1 · Linear algebra": True, "Part 2 · Calculus": False}
    text, page = str(p), p._repr_html_()
    assert "Part 1 · Linear algebra — 1/1 passed — done ✅" in text
    assert "Part 2 · Calculus — 0/3 passed" in text
    assert re.search(r"check_conv_output_size\s+❌ not yet \(off by one\)", text)
    assert "<table>" in page and "off by one" in page and "widget" not in page
    assert "check_linear_backward" in page and "· not run" in page
    monkeypatch.setenv("DLMATH_NOTEBOOK", "06_derivatives.ipynb")
    check_conv_output_size(right)
    monkeypatch.setenv("DLMATH_NOTEBOOK", "07_gradients.ipynb")
    check_conv_output_size(right)
    assert not dict((t, d) for t, d, _ in progress().parts)["Part 2 · Calculus"]  # one not run


def test_progress_in_the_course_folder_lists_every_exercise_unrecorded(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DLMATH_PROGRESS", raising=False)
    p = progress()
    assert "Nothing is recorded here" in str(p)
    rows = list(p.rows())
    assert len(rows) >= 40 and all(status is None for _, _, _, status, _, _ in rows)
    assert ("Part 5 · Optimization", "18_loss_functions_landscapes.ipynb", "check_huber") in \
        [r[:3] for r in rows]


def test_parts_follow_the_readme_course_map():
    readme = (ROOT / "README.md").read_text()
    part, seen = None, {}
    for line in readme.splitlines():
        m = re.match(r"\| \*\*(Part \d+ · [^*]+)\*\* \|", line)
        if m:
            part = m.group(1)
        m = re.match(r"\| \[`(\d\d)_\w+\.ipynb`\]", line)
        if m and part:
            seen.setdefault(part, []).append(int(m.group(1)))
    assert seen, "no parts found in the README's course map"
    table = {t: (lo, hi) for t, lo, hi in tracking.PARTS}
    for title, numbers in seen.items():
        assert title in table, f"README part {title!r} is missing from tracking.PARTS"
        lo, hi = table[title]
        assert all(lo <= n <= hi for n in numbers), (title, numbers, (lo, hi))
