"""Grad mode: whether new operations are recorded in the graph (``no_grad``, ``enable_grad``)."""
import functools


class _GradMode:
    enabled = True


def is_grad_enabled():
    """True when operations on tensors that require grad are being recorded."""
    return _GradMode.enabled


class set_grad_enabled:
    """Context manager (and decorator) that switches graph recording on or off, as in PyTorch."""

    def __init__(self, mode):
        self.mode = bool(mode)
        self.prev = _GradMode.enabled
        _GradMode.enabled = self.mode       # like torch, it also works as a plain call

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        _GradMode.enabled = self.prev
        return False


class _ModeContext:
    mode = True

    def __enter__(self):
        self.prev = _GradMode.enabled
        _GradMode.enabled = self.mode
        return self

    def __exit__(self, *exc):
        _GradMode.enabled = self.prev
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.__class__():
                return fn(*args, **kwargs)
        return wrapper


class no_grad(_ModeContext):
    """``with dlmath.no_grad(): ...`` — results are plain tensors with no history
    (used for evaluation and for optimizer updates). Also usable as a decorator."""
    mode = False


class enable_grad(_ModeContext):
    """Re-enable graph recording inside a ``no_grad`` block."""
    mode = True
