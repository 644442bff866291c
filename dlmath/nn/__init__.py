"""Neural networks with PyTorch's names: ``dlmath.nn`` (layers, ``Module``, ``Parameter``),
``dlmath.nn.functional`` (the stateless ops) and ``dlmath.nn.init`` (initialisers).

    import dlmath.nn as nn
    import dlmath.nn.functional as F

    model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
    loss = F.cross_entropy(model(x), y)
    loss.backward()

Parameters are float32 by default, as in PyTorch (``model.double()`` for gradient checks).
"""
from .parameter import Parameter
from . import functional, init
from .modules import *                      # noqa: F401,F403
from .modules import __all__ as _modules_all

__all__ = ["Parameter", "functional", "init"] + list(_modules_all)
