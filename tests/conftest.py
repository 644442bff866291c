"""Shared test settings: hypothesis without deadlines (JIT compiles on first call) and without
an on-disk example database (runs are derandomized and repeatable); a fixed NumPy seed."""
import os

import numpy as np
import pytest
from hypothesis import settings

os.environ.setdefault("MPLBACKEND", "Agg")
settings.register_profile("dlmath", deadline=None, database=None, derandomize=True)
settings.load_profile("dlmath")


@pytest.fixture(autouse=True)
def _seed_everything():
    """Every test starts from the same global seeds (dlmath's and NumPy's legacy one)."""
    import dlmath
    dlmath.manual_seed(0)
    np.random.seed(0)
    yield
