"""Checkers for notebook 16: entropy, cross-entropy, KL divergence, log-sum-exp."""

__all__ = []
