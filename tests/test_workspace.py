"""The learner's own copy of the course (dlmath/tools/workspace.py, `make lab` / `make reset`):
the first sync copies every notebook, an edited copy survives later syncs, a notebook added to the
course appears, reset keeps the old copy as a timestamped backup, and `make test` never looks at
the copy."""
import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from dlmath.exercises.tracking import MARKER
from dlmath.tools import workspace

ROOT = Path(__file__).resolve().parent.parent
COURSE = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))


@pytest.fixture
def course(tmp_path):
    """A copy of three course notebooks to play the course folder (so we can 'update' it)."""
    c = tmp_path / "course"
    c.mkdir()
    for name in COURSE[:3]:
        shutil.copy2(ROOT / "notebooks" / name, c / name)
    return c


def _edit(path, text):
    nb = json.loads(path.read_text())
    nb["cells"].append({"cell_type": "markdown", "metadata": {}, "source": text})
    path.write_text(json.dumps(nb))


def test_first_sync_copies_every_course_notebook(tmp_path):
    work = tmp_path / "my-work"
    copied = workspace.sync(ROOT / "notebooks", work)
    assert copied == COURSE
    assert sorted(p.name for p in work.glob("*.ipynb")) == COURSE
    assert (work / MARKER).exists()                     # progress recording is on in the copy
    for name in COURSE:
        assert (work / name).read_bytes() == (ROOT / "notebooks" / name).read_bytes()


def test_edited_copy_survives_and_new_course_notebooks_appear(course, tmp_path):
    work = tmp_path / "my-work"
    workspace.sync(course, work)
    mine = work / COURSE[1]
    _edit(mine, "my answer")
    _edit(course / COURSE[1], "a course update")        # the course changed that notebook too
    shutil.copy2(ROOT / "notebooks" / COURSE[3], course / COURSE[3])   # and added one
    assert workspace.sync(course, work) == [COURSE[3]]
    assert "my answer" in mine.read_text() and "a course update" not in mine.read_text()
    assert (work / COURSE[3]).exists()
    assert workspace.sync(course, work) == []           # nothing new: nothing copied


def test_reset_keeps_the_old_copy_as_a_timestamped_backup(course, tmp_path):
    work = tmp_path / "my-work"
    workspace.sync(course, work)
    mine = work / COURSE[2]
    _edit(mine, "my answer")
    when = dt.datetime(2026, 12, 3, 6, 15, 0)
    fresh, backup = workspace.reset(COURSE[2][:2], course, work, now=when)
    assert fresh == mine and backup.name == f"{mine.stem}.backup-20261203-061500.ipynb"
    assert "my answer" in backup.read_text()
    assert mine.read_bytes() == (course / COURSE[2]).read_bytes()
    _edit(mine, "second try")                           # a second reset in the same second
    _, backup2 = workspace.reset(mine.stem, course, work, now=when)
    assert backup2 != backup and "second try" in backup2.read_text() and backup.exists()
    # backups are not course notebooks: sync does not copy over them or list them
    assert workspace.sync(course, work) == []


@pytest.mark.parametrize("which", ["99", "nonsense", ""])
def test_reset_names_a_notebook_that_does_not_exist(course, tmp_path, which):
    with pytest.raises(SystemExit, match="matches no course notebook"):
        workspace.reset(which or "  ", course, tmp_path / "w")


def test_reset_by_number_name_or_file_name(course):
    for which in (COURSE[0][:2], str(int(COURSE[0][:2])), Path(COURSE[0]).stem, COURSE[0]):
        assert workspace.find_notebook(course, which).name == COURSE[0]


def test_make_reset_through_the_makefile(course, tmp_path):
    work = tmp_path / "w"
    workspace.sync(ROOT / "notebooks", work)
    _edit(work / COURSE[1], "mine")
    out = subprocess.run(["make", "--no-print-directory", "reset", f"NB={COURSE[1][:2]}",
                          f"WORK={work}"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    backups = list(work.glob("*.backup-*.ipynb"))
    assert len(backups) == 1 and "mine" in backups[0].read_text()
    assert "kept as" in out.stdout
    usage = subprocess.run(["make", "--no-print-directory", "reset", f"WORK={work}"], cwd=ROOT,
                           capture_output=True, text=True)
    assert usage.returncode != 0 and "usage: make reset NB=07" in usage.stdout


def test_make_test_ignores_the_copy():
    dry = subprocess.run(["make", "-n", "--no-print-directory", "test-unit", "test-notebooks",
                          "test-portability"], cwd=ROOT, capture_output=True, text=True)
    assert "notebooks/00_welcome.ipynb" in dry.stdout
    assert "my-work" not in dry.stdout
    ignored = subprocess.run(["git", "check-ignore", "-q", "my-work/07_gradients.ipynb"],
                             cwd=ROOT)
    assert ignored.returncode == 0, "my-work/ must be git-ignored (git pull never touches it)"
