"""Your progress through the exercises: every ``check_<name>(…)`` call records its verdict, and
``progress()`` shows them, notebook by notebook and part by part.

    from dlmath.exercises import progress
    progress()

Where the record lives. ``make lab`` opens your own copy of the course (``my-work/``, see
``dlmath.tools.workspace``); that folder holds a marker file, and a checker run from a notebook in it
writes its verdict to ``my-work/.dlmath-progress.json``. The course folder ``notebooks/`` has no
marker, so checking there records nothing. ``DLMATH_PROGRESS=/some/file.json`` names the file
explicitly (the instructor's report uses that).

The file is JSON: ``{"format": "dlmath-progress", "version": 1, "exercises": {key: entry}}`` with
``key = "<notebook>::check_<name>"`` and ``entry = {notebook, checker, status, mistake, hint,
time}``; ``status`` is the checker's: "passed", "failed" (``mistake`` names the catalogued mistake
when one was recognised), "not attempted" or "error". Every write goes to a temporary file in the
same folder, flushed to disk, then renamed over the old one — so a kernel killed mid-write leaves
the previous record, never half a file. A file that is not valid JSON, or not a dlmath progress
file, is moved aside (``.dlmath-progress.json.unreadable-<time>``) with a message, and a fresh
record starts: a checker never crashes because of it.
"""
import datetime as _dt
import html as _html
import json
import os
import re
import sys
import tempfile
from pathlib import Path

__all__ = ["progress"]

FILE = ".dlmath-progress.json"
MARKER = ".dlmath-workspace"
FORMAT, VERSION = "dlmath-progress", 1
ROOT = Path(__file__).resolve().parents[2]
COURSE = ROOT / "notebooks"
NOTEBOOK_NAME = re.compile(r"^\d\d_[A-Za-z0-9_]+\.ipynb$")     # course notebooks, not backups
CHECK_CALL = re.compile(r"\b(check_[a-z0-9_]+)\(")

#: The course map's parts (README.md): (title, first notebook, last notebook). A test keeps this
#: equal to the README.
PARTS = [
    ("Welcome", 0, 0),
    ("Part 1 · Linear algebra", 1, 5),
    ("Part 2 · Calculus", 6, 11),
    ("Part 3 · Probability and statistics", 12, 15),
    ("Part 4 · Information theory", 16, 17),
    ("Part 5 · Optimization", 18, 22),
    ("Part 6 · Deep networks", 23, 29),       # 29: the closing page
]


# ------------------------------------------------------------------------------------------------
# where, and which notebook
# ------------------------------------------------------------------------------------------------

def store_path():
    """The progress file for this kernel, or None when nothing is to be recorded."""
    explicit = os.environ.get("DLMATH_PROGRESS")
    if explicit:
        return Path(explicit)
    cwd = Path.cwd()
    return cwd / FILE if (cwd / MARKER).exists() else None


def notebook_checkers(path):
    """The ``check_…`` names a notebook's code cells call, in order (a notebook that cannot be
    read has none)."""
    try:
        cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    found = []
    for cell in cells:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            src = cell.get("source", "")
            for name in CHECK_CALL.findall("".join(src) if isinstance(src, list) else str(src)):
                if name not in found:
                    found.append(name)
    return found


def course_notebooks(folder):
    """The course notebooks ``NN_name.ipynb`` in ``folder``, sorted (backups are left out)."""
    folder = Path(folder)
    return sorted(p for p in folder.glob("*.ipynb") if NOTEBOOK_NAME.match(p.name))


def _current_notebook(checker, folder):
    """Which notebook ran the checker: ``DLMATH_NOTEBOOK`` (set by the report), else the
    notebook JupyterLab started this kernel for (``JPY_SESSION_NAME``), else the one notebook in
    the folder that calls this checker (the first, if several do)."""
    for var in ("DLMATH_NOTEBOOK", "JPY_SESSION_NAME"):
        name = Path(os.environ.get(var, "")).name
        if NOTEBOOK_NAME.match(name):
            return name
    for nb in course_notebooks(folder):
        if checker in notebook_checkers(nb):
            return nb.name
    return ""


def _calling_checker(default):
    """The name of the ``check_…`` function in the call stack (what the learner called)."""
    frame = sys._getframe(1)
    while frame is not None:
        name = frame.f_code.co_name
        if name.startswith("check_") and frame.f_globals.get("__name__", "").startswith(
                "dlmath.exercises"):
            return name
        frame = frame.f_back
    return default


# ------------------------------------------------------------------------------------------------
# reading and writing the file
# ------------------------------------------------------------------------------------------------

def _empty():
    return {"format": FORMAT, "version": VERSION, "exercises": {}}


def _valid(data):
    return (isinstance(data, dict) and data.get("format") == FORMAT
            and data.get("version") == VERSION and isinstance(data.get("exercises"), dict)
            and all(isinstance(v, dict) for v in data["exercises"].values()))


def load(path, *, set_aside=True):
    """The record in ``path`` (an empty one if there is none). An unreadable or foreign file is
    moved aside (when ``set_aside``) with a message saying where, and an empty record returned."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return _empty()
    try:
        data = json.loads(text)
        problem = None if _valid(data) else "it is not a dlmath progress file"
    except ValueError as e:
        problem = f"it is not valid JSON ({e.msg} at line {e.lineno})"
    if problem is None:
        return data
    if set_aside:
        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = path.with_name(f"{path.name}.unreadable-{stamp}")
        n = 1
        while aside.exists():
            n += 1
            aside = path.with_name(f"{path.name}.unreadable-{stamp}-{n}")
        os.replace(path, aside)
        print(f"⚠️ dlmath progress: {path} could not be read ({problem}); it was moved to "
              f"{aside.name} and a new record started.")
    return _empty()


def save(path, data):
    """Write ``data`` to ``path`` atomically: a temporary file in the same folder, flushed and
    synced, then renamed over ``path``."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=1, sort_keys=True)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with _suppress():
            os.unlink(tmp)
        raise


class _suppress:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return exc[0] is not None and issubclass(exc[0], OSError)


def record(result, checker=None):
    """Store a ``CheckResult`` for the notebook that ran it (``run_checks`` calls this). Does
    nothing outside a workspace; never raises — a problem becomes a printed warning."""
    try:
        path = store_path()
        if path is None:
            return None
        checker = checker or _calling_checker("check_" + result.exercise)
        notebook = _current_notebook(checker, path.parent)
        data = load(path)
        data["exercises"][f"{notebook}::{checker}"] = {
            "notebook": notebook, "checker": checker, "status": result.status,
            "mistake": result.mistakes[0] if result.mistakes else None,
            "hint": result.message,
            "time": _dt.datetime.now().astimezone().isoformat(timespec="seconds")}
        save(path, data)
        return path
    except Exception as e:                       # recording must never break a checker
        print(f"⚠️ dlmath progress: could not record this result ({type(e).__name__}: {e})")
        return None


# ------------------------------------------------------------------------------------------------
# the table
# ------------------------------------------------------------------------------------------------

_SHOW = {"passed": "✅ passed", "failed": "❌ not yet", "not attempted": "⏳ not attempted",
         "error": "💥 error", None: "· not run"}


def _part_of(number):
    for title, lo, hi in PARTS:
        if lo <= number <= hi:
            return title
    return "Other"


class Progress:
    """What ``progress()`` returns: ``.parts`` = [(part title, done?, [(notebook, [rows])])] with
    rows ``(checker, status or None, mistake, hint)``; shown as an HTML table in a notebook and as
    text elsewhere (``print(progress())``)."""

    def __init__(self, parts, source):
        self.parts, self.source = parts, source

    def rows(self):
        for part, _, notebooks in self.parts:
            for nb, rows in notebooks:
                for row in rows:
                    yield (part, nb) + row

    def status(self, checker, notebook=None):
        for _, nb, chk, status, _, _ in self.rows():
            if chk == checker and (notebook is None or nb == notebook):
                return status
        raise KeyError(f"no exercise {checker!r} in {notebook or 'any notebook'}")

    def _counts(self, notebooks):
        rows = [r for _, rs in notebooks for r in rs]
        return sum(r[1] == "passed" for r in rows), len(rows)

    def __str__(self):
        lines = [self.source]
        for part, done, notebooks in self.parts:
            passed, total = self._counts(notebooks)
            lines.append(f"\n{part} — {passed}/{total} passed" + (" — done ✅" if done else ""))
            for nb, rows in notebooks:
                lines.append(f"  {nb}")
                for chk, status, mistake, hint in rows:
                    what = f" ({mistake})" if mistake else ""
                    lines.append(f"    {chk:<34} {_SHOW[status]}{what}")
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self):
        esc = _html.escape
        out = [f"<p>{esc(self.source)}</p>"]
        for part, done, notebooks in self.parts:
            passed, total = self._counts(notebooks)
            out.append(f"<h4>{esc(part)} — {passed}/{total} passed"
                       f"{' — done ✅' if done else ''}</h4>")
            out.append("<table><tr><th>notebook</th><th>exercise</th><th>status</th>"
                       "<th>last hint</th></tr>")
            for nb, rows in notebooks:
                for i, (chk, status, mistake, hint) in enumerate(rows):
                    what = f" ({esc(mistake)})" if mistake else ""
                    out.append(f"<tr><td>{esc(nb) if i == 0 else ''}</td><td><code>{esc(chk)}"
                               f"</code></td><td>{_SHOW[status]}{what}</td>"
                               f"<td>{esc(hint or '')}</td></tr>")
            out.append("</table>")
        return "\n".join(out)


def progress(folder=None):
    """Your exercises, notebook by notebook: each one's last verdict and hint, and per part how
    many passed (a part is done when every exercise in it passed).

    ``folder``: the course copy to report on (default: the folder of this kernel's progress
    record — your ``my-work/`` — or, outside a workspace, the course itself, with nothing
    recorded)."""
    path = store_path() if folder is None else Path(folder) / FILE
    if folder is not None:
        base = Path(folder)
    elif path is not None:
        base = path.parent
    else:
        base = COURSE
    entries = load(path, set_aside=False)["exercises"] if path is not None else {}
    if path is None:
        source = ("Nothing is recorded here: progress is kept in your own copy of the course "
                  "(`make lab` opens it, in my-work/).")
    else:
        source = f"Progress recorded in {path.name} in {base.name}/."
    parts = {}
    for nb in course_notebooks(base):
        rows = []
        for chk in notebook_checkers(nb):
            e = entries.get(f"{nb.name}::{chk}", {})
            rows.append((chk, e.get("status"), e.get("mistake"), e.get("hint")))
        if rows:
            parts.setdefault(_part_of(int(nb.name[:2])), []).append((nb.name, rows))
    ordered = [(t, all(r[1] == "passed" for _, rs in parts[t] for r in rs), parts[t])
               for t, _, _ in PARTS + [("Other", -1, -1)] if t in parts]
    return Progress(ordered, source)
