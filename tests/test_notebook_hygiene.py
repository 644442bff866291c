"""Every committed notebook is clean: executed top to bottom, no errors, no widget-state blob,
the plain python3 kernel, no absolute paths of the machine that ran it, in the course map."""
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
BROWSER_NOTEBOOK = ROOT / "tests" / "browser" / "explorers.ipynb"


def test_there_are_notebooks():
    assert NOTEBOOKS and NOTEBOOKS[0].name == "00_welcome.ipynb"


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.name)
def nb(request):
    return request.param, json.loads(request.param.read_text())


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def test_executed_in_order(nb):
    path, book = nb
    counts = [c["execution_count"] for c in code_cells(book)]
    assert None not in counts, f"{path.name}: some code cells were never run"
    assert counts == list(range(1, len(counts) + 1)), \
        f"{path.name}: execution counts {counts} — restart the kernel and run all, then save"


def test_no_error_outputs(nb):
    path, book = nb
    for i, c in enumerate(code_cells(book)):
        for o in c.get("outputs", []):
            assert o["output_type"] != "error", f"{path.name} cell {i}: {o.get('ename')}"
            if o["output_type"] == "stream" and o["name"] == "stderr":
                assert "Traceback" not in "".join(o["text"]), f"{path.name} cell {i}"


def test_no_widget_state_and_plain_kernel(nb):
    path, book = nb
    assert "widgets" not in book["metadata"], f"{path.name}: strip metadata.widgets"
    assert book["metadata"]["kernelspec"]["name"] == "python3"


def test_no_machine_paths_in_outputs(nb):
    path, book = nb
    text = json.dumps([c.get("outputs", []) for c in book["cells"]])
    for pattern in (str(ROOT), "/root/", "/home/", "/tmp/", "site-packages"):
        assert pattern not in text, f"{path.name}: output contains {pattern!r}"


def test_listed_in_readme_course_map(nb):
    path, _ = nb
    assert path.name in (ROOT / "README.md").read_text(), \
        f"{path.name} is missing from the README's course map"


def test_every_code_cell_fits_on_a_screen(nb):
    path, book = nb
    for i, c in enumerate(code_cells(book)):
        lines = "".join(c["source"]).count("\n") + 1
        assert lines <= 30, f"{path.name} cell {i} has {lines} lines; split it"


def test_no_trailing_semicolon_hiding_output(nb):
    """nbval ignores a trailing ';' — such cells would not be checked the way they read."""
    path, book = nb
    for i, c in enumerate(code_cells(book)):
        assert not re.search(r";\s*$", "".join(c["source"])), f"{path.name} cell {i}"


def test_notebooks_folder_holds_only_lessons():
    """notebooks/ is what a learner browses: course notebooks NN_name.ipynb and nothing else."""
    others = [p.name for p in (ROOT / "notebooks").iterdir()
              if p.name != ".ipynb_checkpoints" and not re.fullmatch(r"\d\d_\w+\.ipynb", p.name)]
    assert not others, f"not lessons, move them out of notebooks/ (e.g. to tests/): {others}"


def unrecognised_markers(book):
    """Comment lines in code cells that mention NBVAL but are not exactly one of nbval's own
    markers (nbval.plugin.comment_markers): nbval silently ignores them, e.g. a marker with
    trailing words, so the cell is compared strictly although it reads as if it were not."""
    from nbval.plugin import comment_markers
    bad = []
    for i, c in enumerate(book["cells"]):
        if c["cell_type"] != "code":
            continue
        for line in "".join(c["source"]).splitlines():
            text = line.strip()
            if text.startswith("#") and "NBVAL" in text \
                    and text.lstrip("#").strip() not in comment_markers:
                bad.append((i, text))
    return bad


@pytest.mark.parametrize("path", NOTEBOOKS + [BROWSER_NOTEBOOK], ids=lambda p: p.name)
def test_nbval_markers_are_ones_nbval_recognises(path):
    bad = unrecognised_markers(json.loads(path.read_text()))
    assert not bad, (f"{path.name}: nbval does not recognise {bad}; put the marker alone on its "
                     "line and the reason on the next")


def test_marker_check_rejects_trailing_words():
    """A synthetic notebook: the real marker passes, the one with an explanation after it (the
    mistake that made 03 fail on AMD machines) and a misspelt one are caught."""
    def book(*sources):
        return {"cells": [{"cell_type": "code", "source": s} for s in sources]}
    assert unrecognised_markers(book("# NBVAL_IGNORE_OUTPUT\n# (BLAS round-off)\nx = 1")) == []
    assert unrecognised_markers(book("#NBVAL_SKIP\nx = 1", "# NBVAL_RAISES_EXCEPTION\n1/0")) == []
    bad = unrecognised_markers(book("x = 1", "# NBVAL_IGNORE_OUTPUT  (round-off varies)\nx",
                                    "# NBVAL_IGNORE_OUPTUT\nx"))
    assert [i for i, _ in bad] == [1, 2]
