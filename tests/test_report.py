"""The instructor's report (python -m dlmath.exercises.report): two synthetic learners' folders
are run headless; the CSV has one row per learner and exercise with the checker's verdict and the
mistake recognised; a cell that raises, a cell that never ends and a broken notebook file are
reported and the run goes on; the learners' own files are left as they were."""
import csv
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RIGHT = "def conv_output_size(i, k, s=1, p=0, d=1):\n    return (i + 2*p - d*(k-1) - 1)//s + 1"
OFF_BY_ONE = "def conv_output_size(i, k, s=1, p=0, d=1):\n    return (i + 2*p - d*(k-1) - 1)//s"
STUB = "def conv_output_size(i, k, s=1, p=0, d=1):\n    raise NotImplementedError"
CHECK = "from dlmath.exercises import check_conv_output_size\ncheck_conv_output_size(conv_output_size)"


def write_nb(path, *sources):
    cells = [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
              "source": s} for s in sources]
    path.write_text(json.dumps({"cells": cells, "metadata": {"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5}))


def test_report_on_two_learners(tmp_path):
    alice, bob = tmp_path / "alice", tmp_path / "bob"
    alice.mkdir(), bob.mkdir()
    write_nb(alice / "24_convolution.ipynb", RIGHT, CHECK)
    write_nb(alice / "25_cnn.ipynb", OFF_BY_ONE, CHECK)
    # bob: a cell that raises before his (stubbed) check, a notebook that never ends, a broken file
    write_nb(bob / "24_convolution.ipynb", "1 / 0", STUB, CHECK)
    write_nb(bob / "25_cnn.ipynb", RIGHT, "while True:\n    pass", CHECK)
    (bob / "26_broken.ipynb").write_text('{"cells": [')
    (bob / "24_convolution.backup-20261201-100000.ipynb").write_text("{}")   # not a lesson
    before = {p: p.read_bytes() for p in (*alice.iterdir(), *bob.iterdir())}
    out = tmp_path / "class.csv"
    proc = subprocess.run([sys.executable, "-m", "dlmath.exercises.report", str(alice), str(bob),
                           str(tmp_path / "nobody"), "--out", str(out), "--timeout", "4"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = list(csv.DictReader(out.open()))
    got = {(r["learner"], r["notebook"]): r for r in rows}
    assert len(rows) == 5 and set(rows[0]) == {"learner", "notebook", "exercise", "status",
                                               "mistake", "notebook_run", "hint"}
    a24, a25 = got["alice", "24_convolution.ipynb"], got["alice", "25_cnn.ipynb"]
    assert (a24["exercise"], a24["status"], a24["notebook_run"]) == \
        ("check_conv_output_size", "passed", "ok")
    assert (a25["status"], a25["mistake"]) == ("failed", "off by one") and a25["hint"]
    b24, b25 = got["bob", "24_convolution.ipynb"], got["bob", "25_cnn.ipynb"]
    assert b24["status"] == "not attempted" and b24["notebook_run"] == "errors in cells 0"
    assert b25["status"] == "not run" and b25["notebook_run"] == "timed out in cell 1 after 4 s"
    assert got["bob", "26_broken.ipynb"]["notebook_run"].startswith("could not be read")
    assert "nobody is not a folder; skipped" in proc.stdout
    # the learners' folders are untouched: no progress file, no outputs saved into notebooks
    assert {p: p.read_bytes() for p in (*alice.iterdir(), *bob.iterdir())} == before
