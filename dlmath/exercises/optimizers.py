"""Checkers for notebook 21: adaptive optimizers: Adagrad, RMSProp, Adam, AdamW."""

__all__ = []
