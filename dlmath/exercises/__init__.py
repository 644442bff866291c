"""Exercise checkers: ``check_<name>(your_function)`` prints ✅, a specific hint, or
"not attempted yet" — see ``core.py`` for how they work."""
from .core import run_checks, Case, Mistake, CheckResult
from .checks import *          # noqa: F401,F403  the individual checkers
from .checks import __all__ as _checks_all

__all__ = ["run_checks", "Case", "Mistake", "CheckResult"] + list(_checks_all)
