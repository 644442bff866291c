"""Checkers for notebook 18: loss functions, convexity, hinge loss and the margin."""

__all__ = []
