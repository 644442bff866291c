"""Networks the course trains more than once, defined in one place.

``digits_cnn`` is the LeNet-style network notebook 25 builds layer by layer for the 8 × 8 digits
(``dlmath.data.load_digits(images=True)``, intensities / 16); notebook 26 slices its loss
landscape and notebook 27 measures its uncertainty (with ``dropout > 0`` for MC dropout).

    input (B, 1, 8, 8)
    Conv2d 1→16, 3×3, pad 1 · BatchNorm2d · ReLU · MaxPool2d 2     → (B, 16, 4, 4)
    Conv2d 16→32, 3×3, pad 1 · BatchNorm2d · ReLU · MaxPool2d 2    → (B, 32, 2, 2)
    Flatten → 128 · Linear 128→64 · ReLU · [Dropout p] · Linear 64→10 → logits (B, 10)

13 802 parameters. Dropout has none, so ``digits_cnn(seed, dropout=p)`` starts from the same
weights as ``digits_cnn(seed)``.
"""
from . import nn
from .autograd import manual_seed

__all__ = ["digits_cnn"]


def digits_cnn(seed=0, dropout=0.0):
    """A fresh ``nn.Sequential`` CNN for 10-class 8 × 8 digits, its weights drawn after
    ``manual_seed(seed)`` (the same network for the same seed). ``dropout`` p ∈ [0, 1) adds
    ``nn.Dropout(p)`` before the last layer; 0 leaves it out."""
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"dropout must be a probability in [0, 1), got {dropout!r}")
    manual_seed(seed)
    head = [nn.Dropout(dropout)] if dropout > 0 else []
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(128, 64), nn.ReLU(), *head, nn.Linear(64, 10))
