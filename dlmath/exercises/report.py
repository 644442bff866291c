"""For an instructor: every learner's exercises as one CSV.

    python -m dlmath.exercises.report LEARNER_DIR… [--out progress.csv] [--timeout 120]

Each LEARNER_DIR is one learner's copy of the course (their ``my-work/``, collected however the
class hands work in). Every course notebook ``NN_name.ipynb`` in it is run headless (nbclient, a
fresh kernel, working directory = that folder, exactly as the learner would restart-and-run-all),
with its checkers' verdicts recorded into a temporary progress file (``DLMATH_PROGRESS``) — the
learner's own record is neither read nor changed, and nothing is saved into their notebooks.

The CSV has one row per learner and exercise: ``learner, notebook, exercise, status, mistake,
notebook_run, hint``. ``status`` is the checker's verdict ("passed", "failed", "not attempted",
"error") or "not run" when the run never reached that check. ``notebook_run`` says how the
notebook ran: "ok", "errors in cells 4, 9" (the run goes on past a failing cell, as the checks
after it still say something), "timed out in cell 7 after 120 s" or "kernel died"; a notebook
that cannot be read at all is reported as such. The run always goes on to the next notebook and
learner.
"""
import argparse
import csv
import os
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from .tracking import course_notebooks, load, notebook_checkers

FIELDS = ["learner", "notebook", "exercise", "status", "mistake", "notebook_run", "hint"]


def run_notebook(path, timeout=120, kernel_name="python3"):
    """Run one notebook headless; returns (entries recorded by its checkers, how it ran)."""
    path = Path(path)
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as e:                                   # not a notebook file
        return {}, f"could not be read ({type(e).__name__})"
    fd, store = tempfile.mkstemp(prefix="dlmath-report-", suffix=".json")
    os.close(fd)
    os.unlink(store)
    saved = {k: os.environ.get(k) for k in ("DLMATH_PROGRESS", "DLMATH_NOTEBOOK")}
    os.environ.update(DLMATH_PROGRESS=store, DLMATH_NOTEBOOK=path.name)
    running = []                                             # the index of the cell started last
    client = NotebookClient(nb, timeout=timeout, kernel_name=kernel_name, allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}},
                            on_cell_start=lambda cell, cell_index: running.append(cell_index))
    try:
        client.execute()
        errors = [str(i) for i, c in enumerate(nb.cells) if c.cell_type == "code" and any(
            o.get("output_type") == "error" for o in c.get("outputs", []))]
        how = f"errors in cells {', '.join(errors)}" if errors else "ok"
    except CellTimeoutError:
        where = f" in cell {running[-1]}" if running else ""
        how = f"timed out{where} after {timeout:g} s"
    except DeadKernelError:
        how = "kernel died"
    except Exception as e:                                   # anything else: report, go on
        how = f"could not be run ({type(e).__name__}: {e})"
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    entries = load(store, set_aside=False)["exercises"] if Path(store).exists() else {}
    Path(store).unlink(missing_ok=True)
    return entries, how


def learner_rows(folder, timeout=120, log=print):
    """The CSV rows of one learner's folder."""
    folder = Path(folder)
    rows = []
    for nb in course_notebooks(folder):
        try:
            nbformat.read(nb, as_version=4)
        except Exception as e:                  # broken JSON, not a notebook: say so, go on
            rows.append({"learner": folder.name, "notebook": nb.name, "exercise": "",
                         "status": "not run", "mistake": "", "hint": "",
                         "notebook_run": f"could not be read ({type(e).__name__})"})
            continue
        checkers = notebook_checkers(nb)
        if not checkers:
            continue
        log(f"  {folder.name}/{nb.name} …")
        entries, how = run_notebook(nb, timeout)
        for chk in checkers:
            e = entries.get(f"{nb.name}::{chk}", {})
            rows.append({"learner": folder.name, "notebook": nb.name, "exercise": chk,
                         "status": e.get("status", "not run"), "mistake": e.get("mistake") or "",
                         "notebook_run": how, "hint": e.get("hint") or ""})
    return rows


def report(folders, out, timeout=120, log=print):
    """Write the CSV for ``folders`` to ``out``; returns its rows."""
    rows = []
    for folder in folders:
        if not Path(folder).is_dir():
            log(f"report: {folder} is not a folder; skipped")
            continue
        log(f"{Path(folder).name}:")
        rows += learner_rows(folder, timeout, log)
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS)
        w.writeheader()
        w.writerows(rows)
    passed = sum(r["status"] == "passed" for r in rows)
    log(f"wrote {out}: {len(rows)} rows, {passed} passed")
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m dlmath.exercises.report", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folders", nargs="+", help="one folder per learner (their copy of the course)")
    ap.add_argument("--out", default="progress.csv", help="the CSV to write (progress.csv)")
    ap.add_argument("--timeout", type=float, default=120,
                    help="seconds a single cell may run before the notebook is reported as "
                         "timed out (120)")
    args = ap.parse_args(argv)
    report(args.folders, args.out, args.timeout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
