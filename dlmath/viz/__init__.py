"""Interactive explorers for the notebooks (ipywidgets + matplotlib).

Each explorer is a pure compute core (plain data in, plain data out — what the tests drive)
and a thin view. Nothing in dlmath imports this package; only notebooks do.
"""
from .welcome import widget_check

__all__ = ["widget_check"]
