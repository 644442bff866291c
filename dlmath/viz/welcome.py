"""The welcome notebook's "do the widgets work?" check: a slider whose label follows it."""
import ipywidgets as widgets


def describe_square(n):
    """The label text for slider value ``n`` (the compute core: plain in, plain out)."""
    return f"n = {n}  →  n² = {n * n}" + ("   ✓ widgets work!" if n != 3 else "")


def widget_check(start=3):
    """A slider and a label. Drag the slider: if the label changes, widgets work in this
    JupyterLab. Returns the container; ``.children[0]`` is the slider, ``[1]`` the label."""
    slider = widgets.IntSlider(value=start, min=0, max=10, description="n")
    label = widgets.Label(value=describe_square(start))

    def on_change(change):
        label.value = describe_square(change["new"])
    slider.observe(on_change, names="value")
    return widgets.VBox([slider, label])
