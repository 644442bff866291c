"""Exercise checkers for the course notebooks (filled in as the notebooks land)."""
__all__ = []
