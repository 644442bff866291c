"""``make execute``: restart-and-run-all every notebook in place, then strip ``metadata.widgets``.

    python -m dlmath.tools.execute notebooks/01_*.ipynb

Runs each notebook in a fresh ``python3`` kernel with the working directory set to
``notebooks/`` (as JupyterLab does), saves outputs, and removes the widget-state blob that
JupyterLab would otherwise store (it is large, machine-specific and not needed to read the
notebook). Refuses to save a notebook whose run raised an error.
"""
import os
import sys
import time

import nbformat
from nbclient import NotebookClient


def strip_widget_state(nb):
    nb.metadata.pop("widgets", None)
    return nb


def normalise_kernelspec(nb):
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": "python3"}
    return nb


def execute(path, timeout=600):
    nb = nbformat.read(path, as_version=4)
    normalise_kernelspec(nb)
    env_seed = os.environ.setdefault("PYTHONHASHSEED", "0")
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": os.path.dirname(path) or "."}})
    start = time.perf_counter()
    client.execute()
    strip_widget_state(nb)
    nbformat.write(nb, path)
    return time.perf_counter() - start, env_seed


def main(paths):
    if not paths:
        print("usage: python -m dlmath.tools.execute NOTEBOOK.ipynb ...", file=sys.stderr)
        return 2
    for path in paths:
        seconds, _ = execute(path)
        print(f"{path}: executed in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
