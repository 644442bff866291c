"""Exercise checkers: ``check_<name>(your_function)`` prints ✅, a specific hint, or
"not attempted yet" — see ``core.py`` for how they work.

    checks.py    shared checkers (softmax, conv output size)
    part1.py     linear algebra notebooks (01–05)
    part2a.py    calculus notebooks 06–08
    part2b.py    calculus notebooks 09–11
"""
from .core import run_checks, Case, Mistake, CheckResult
from . import checks, part1, part2a, part2b
from .checks import *          # noqa: F401,F403
from .part1 import *           # noqa: F401,F403
from .part2a import *          # noqa: F401,F403
from .part2b import *          # noqa: F401,F403

__all__ = (["run_checks", "Case", "Mistake", "CheckResult"] + checks.__all__ + part1.__all__
           + part2a.__all__ + part2b.__all__)
