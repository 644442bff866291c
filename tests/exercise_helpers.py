"""Helpers shared by the checker tests (not a test module)."""
import json
import math
import re

import numpy as np


def stub(*args):
    """An unattempted exercise: the checker must say "not attempted", not fail."""
    raise NotImplementedError


def named(result, name):
    """The checker failed and recognised the catalogued mistake ``name`` first."""
    return result.status == "failed" and result.mistakes and result.mistakes[0] == name


def notebook_solutions(notebook):
    """``solution(name)``: the function ``name`` from the notebook's collapsed solution (a markdown
    cell with a ```python block that starts ``def name(``, after any import lines), executed
    with ``np`` and ``math`` in scope."""
    def solution(name):
        for cell in json.loads(notebook.read_text())["cells"]:
            src = "".join(cell["source"])
            m = re.search(r"```python\n((?:import [^\n]*\n\n?)*def " + name + r"\(.*?)```", src,
                          re.S)
            if cell["cell_type"] == "markdown" and m:
                env = {"np": np, "math": math}
                exec(m.group(1), env)
                return env[name]
        raise AssertionError(f"no solution for {name} in {notebook.name}")
    return solution
