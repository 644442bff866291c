"""Checkers for notebook 20: momentum and Nesterov."""

__all__ = []
