"""Exercise checkers: ``check_<name>(your_function)`` prints ✅, a specific hint, or
"not attempted yet" — see ``core.py`` for how they work. One module per topic:

    shared.py               checkers several notebooks use (softmax, conv output size)
    linear_algebra.py       vectors, matrices, linear systems, eigenvalues, SVD (01–05)
    differentiation.py      derivatives, gradients, the chain rule and autograd (06–08)
    backprop_curvature.py   backpropagation, curvature and Newton, integration (09–11)
    bayes.py                Bayes' theorem, the diagnostic test, naive Bayes (13)
"""
from .core import run_checks, Case, Mistake, CheckResult
from . import shared, linear_algebra, differentiation, backprop_curvature
from .shared import *                  # noqa: F401,F403
from .linear_algebra import *          # noqa: F401,F403
from .differentiation import *         # noqa: F401,F403
from .backprop_curvature import *      # noqa: F401,F403
from . import bayes                    # noqa: E402
from .bayes import *                   # noqa: F401,F403

__all__ = (["run_checks", "Case", "Mistake", "CheckResult"] + shared.__all__
           + linear_algebra.__all__ + differentiation.__all__ + backprop_curvature.__all__)
__all__ += bayes.__all__
