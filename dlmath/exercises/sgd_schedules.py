"""Checkers for notebook 19: gradient descent, SGD, mini-batches and learning-rate schedules."""

__all__ = []
