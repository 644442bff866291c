"""Each explorer control owns its ipywidgets Layout. A Layout shared between controls is one
object in the browser: hiding one slider (``layout.display = "none"``) hides every slider that
shares it — invisible to tests that only read ``.value``, so this checks the objects."""
import pytest

import dlmath.viz as viz

EXPLORERS = [name for name in viz.__all__ if name != "widget_check"]


@pytest.mark.parametrize("name", EXPLORERS)
def test_no_two_controls_share_a_layout(name):
    ex = getattr(viz, name)()
    owners = {}
    for key, control in ex.controls.items():
        layout = getattr(control, "layout", None)
        if layout is not None:
            owners.setdefault(id(layout), []).append(key)
    shared = [keys for keys in owners.values() if len(keys) > 1]
    assert not shared, f"{name}: controls sharing one Layout object: {shared}"


def test_the_check_sees_a_shared_layout():
    import ipywidgets as widgets
    lay = widgets.Layout(width="100px")
    a, b = widgets.FloatSlider(layout=lay), widgets.FloatSlider(layout=lay)
    a.layout.display = "none"
    assert b.layout.display == "none" and a.layout is b.layout      # the failure mode itself
