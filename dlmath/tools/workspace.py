"""Your own copy of the course, which course updates never overwrite.

    python -m dlmath.tools.workspace sync  [--course notebooks] [--work my-work]
    python -m dlmath.tools.workspace reset 07 [--course notebooks] [--work my-work]

``make lab`` runs ``sync`` and opens the copy: every course notebook ``notebooks/NN_name.ipynb``
that ``my-work/`` does not have yet is copied in (the first time: all of them; after a ``git pull``
that added notebooks: the new ones). A notebook you already have is never touched, so your
answers survive course updates, and ``git pull`` never conflicts with them (``my-work/`` is
git-ignored). ``notebooks/`` stays the pristine course that ``make test`` checks.

``make reset NB=07`` gives you a fresh copy of one notebook: your copy is first renamed to
``07_name.backup-YYYYMMDD-HHMMSS.ipynb`` beside it (nothing is ever deleted), then the course's
notebook is copied in.

The copy sits beside ``notebooks/`` at the same depth, so relative links (``../README.md``) work
the same, and the data loaders find ``data/`` through the installed package, not the working
directory. The folder also gets the marker file that turns on progress recording
(``dlmath.exercises.tracking``).
"""
import argparse
import datetime as _dt
import shutil
import sys
from pathlib import Path

from dlmath.exercises.tracking import MARKER, course_notebooks

ROOT = Path(__file__).resolve().parents[2]
MARKER_TEXT = ("This folder is your own copy of the course (made by `make lab`). Course updates "
               "never overwrite a notebook here;\n`make reset NB=07` replaces one with a fresh "
               "copy and keeps yours beside it. Your exercise progress is in "
               ".dlmath-progress.json.\n")


def sync(course=ROOT / "notebooks", work=ROOT / "my-work"):
    """Copy every course notebook that ``work`` lacks; returns the names copied."""
    course, work = Path(course), Path(work)
    notebooks = course_notebooks(course)
    if not notebooks:
        raise SystemExit(f"workspace: no course notebooks (NN_name.ipynb) in {course}")
    work.mkdir(parents=True, exist_ok=True)
    marker = work / MARKER
    if not marker.exists():
        marker.write_text(MARKER_TEXT, encoding="utf-8")
    copied = []
    for nb in notebooks:
        target = work / nb.name
        if not target.exists():
            shutil.copy2(nb, target)
            copied.append(nb.name)
    return copied


def find_notebook(course, which):
    """The course notebook meant by ``which``: "07", "7", "07_gradients" or "07_gradients.ipynb"."""
    which = str(which).strip()
    notebooks = course_notebooks(course)
    if not which:
        hits = []
    elif which.isdigit():
        hits = [nb for nb in notebooks if nb.name[:2] == f"{int(which):02d}"]
    else:
        stem = which[:-6] if which.endswith(".ipynb") else which
        hits = [nb for nb in notebooks if nb.stem == stem or nb.stem.startswith(stem)]
    if len(hits) != 1:
        names = ", ".join(nb.name[:2] for nb in notebooks)
        what = "matches no" if not hits else f"matches {len(hits)} of the"
        raise SystemExit(f"workspace: NB={which!r} {what} course notebook; give its number "
                         f"({names}) or its name, e.g. NB=07")
    return hits[0]


def reset(which, course=ROOT / "notebooks", work=ROOT / "my-work", now=None):
    """Replace ``work``'s copy of one notebook by the course's; the old copy is renamed to a
    timestamped backup beside it. Returns (fresh path, backup path or None)."""
    course, work = Path(course), Path(work)
    nb = find_notebook(course, which)
    sync(course, work)                                  # the folder and the marker exist
    target, backup = work / nb.name, None
    if target.exists():
        stamp = (now or _dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
        backup = work / f"{nb.stem}.backup-{stamp}.ipynb"
        n = 1
        while backup.exists():
            n += 1
            backup = work / f"{nb.stem}.backup-{stamp}-{n}.ipynb"
        target.rename(backup)
    shutil.copy2(nb, target)
    return target, backup


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m dlmath.tools.workspace", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=["sync", "reset"])
    ap.add_argument("notebook", nargs="?", help="for reset: the notebook's number or name")
    ap.add_argument("--course", default=str(ROOT / "notebooks"))
    ap.add_argument("--work", default=str(ROOT / "my-work"))
    args = ap.parse_args(argv)
    if args.command == "sync":
        copied = sync(args.course, args.work)
        have = len(course_notebooks(args.work))
        news = f"copied {len(copied)} new: {', '.join(copied)}" if copied else "nothing new"
        print(f"your copy of the course: {args.work} ({have} notebooks; {news})")
    else:
        if not args.notebook:
            ap.error("reset needs the notebook, e.g. `make reset NB=07`")
        fresh, backup = reset(args.notebook, args.course, args.work)
        kept = f"; your previous copy is kept as {backup.name}" if backup else ""
        print(f"fresh copy: {fresh}{kept}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
