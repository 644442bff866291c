"""Checkers for notebook 22: regularisation, data splits, dropout, early stopping."""

__all__ = []
