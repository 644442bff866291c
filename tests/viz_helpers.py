"""Helpers shared by the explorer tests (not a test module)."""
import math

import ipywidgets as widgets
import numpy as np


def other_value(w):
    """A valid value for control ``w`` that differs from its current one."""
    if isinstance(w, widgets.Checkbox):
        return not w.value
    if isinstance(w, (widgets.Dropdown, widgets.ToggleButtons, widgets.SelectionSlider)):
        values = list(w._options_values)
        i = values.index(w.value)
        return values[(i + 1) % len(values)]
    if isinstance(w, widgets.FloatLogSlider):
        lo, hi, v = w.min, w.max, math.log(w.value, w.base)
        target = (v + hi) / 2 if hi - v > 1e-9 else (lo + v) / 2
        return float(w.base ** target)
    if isinstance(w, (widgets.IntSlider, widgets.BoundedIntText)):
        if w.value < w.max:
            return w.value + max(1, (w.max - w.value) // 2)
        return w.value - 1
    if isinstance(w, widgets.FloatSlider):
        return (w.value + w.max) / 2 if w.max - w.value > 1e-9 else (w.min + w.value) / 2
    if isinstance(w, widgets.Text):
        return "1 2 1; 0 0 0; -1 -2 -1"
    raise TypeError(f"no alternative value for {type(w).__name__}")


def random_value(w, rng):
    """A random valid value for control ``w`` (``rng`` a ``random.Random``)."""
    if isinstance(w, widgets.Checkbox):
        return not w.value
    if isinstance(w, (widgets.Dropdown, widgets.ToggleButtons, widgets.SelectionSlider)):
        return rng.choice(list(w._options_values))
    if isinstance(w, widgets.FloatLogSlider):
        return float(w.base ** rng.uniform(w.min, w.max))
    if isinstance(w, (widgets.IntSlider, widgets.BoundedIntText)):
        return rng.randint(w.min, min(w.max, w.min + 50))
    if isinstance(w, widgets.FloatSlider):
        return rng.uniform(w.min, w.max)
    if isinstance(w, widgets.Text):
        return rng.choice(["1 2 1; 0 0 0; -1 -2 -1", "0 1 0; 1 -4 1; 0 1 0", "1 1; 1 1"])
    raise TypeError(f"no random value for {type(w).__name__}")


def assert_blit_matches_full_redraw(ex):
    """The blitted frame must equal a full redraw: no dynamic artist was forgotten and no static
    artist changed without ``invalidate()``."""
    blitted = ex.frame()
    ex.render(full=True)
    full = ex.frame()
    diff = np.abs(blitted.astype(int) - full.astype(int))
    assert diff.max() == 0, (f"{ex.name}: blitted frame differs from a full redraw in "
                             f"{int((diff.max(axis=2) > 0).sum())} pixels")


def line_data(line):
    return np.asarray(line.get_xdata(), dtype=float), np.asarray(line.get_ydata(), dtype=float)
