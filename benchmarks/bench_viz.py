"""Explorer updates: the median time from a learner's action — a control set to a new value, or a
button clicked — to the figure redrawn into the Agg buffer and encoded as the PNG the widget shows
(what a learner waits for while dragging).

Every explorer in ``dlmath.viz.__all__`` is listed with every control (slider, dropdown, toggle,
checkbox, text box) and every button, each in a fresh explorer. Target (DESIGN.md §2): ≤ 50 ms
median for every one of them, also the ones that update on release (``continuous_update=False``),
dropdowns and buttons. The table prints the median, the slowest update, the median as a multiple
of the target, and ✓/✗ against it; the benchmark never fails — tests do not assert wall-clock.

Values cycle twice through a fixed list (after two warm-up moves), as a learner drags back and
forth, so caches that a real session fills are filled here too: "max ms" shows the cold case.

``DLMATH_BENCH_VIZ=momentum,race`` (substrings of explorer names) times only those explorers.
"""
import math
import os
import statistics
import time

import ipywidgets as widgets
import numpy as np

import dlmath.viz as viz
from benchmarks._timing import table

TARGET_MS = 50.0
N_VALUES = 8                 # values per control when no list is given below
ROUNDS = 2

#: regularization_explorer's λ slider, dragged over 0.2-decade steps (its options) from 1e-6 to 1
LAMBDA_DRAG = [float(v) for v in 10.0 ** np.round(np.arange(-6.0, 0.01, 0.2), 1)]

#: (explorer, control) → (values cycled through, setup applied first). Controls not listed get
#: N_VALUES values spread over their range (sliders) or all their options (dropdowns…).
VALUES = {
    ("gd_explorer", "lr"): (np.geomspace(0.01, 0.6, 12), None),
    ("gd_explorer", "x0"): (np.linspace(-1.5, 1.5, 12), None),
    ("momentum_explorer", "beta"): (np.linspace(0.1, 0.9, 12), None),
    ("momentum_explorer", "alpha"): (np.geomspace(0.005, 0.05, 12), None),
    ("momentum_explorer", "kappa"): ([10.0, 100.0, 30.0, 300.0, 3.0, 50.0], None),
    ("optimizer_race", "lr_Adam"): (np.geomspace(0.01, 0.3, 12), None),
    ("optimizer_race", "function"): (["Himmelblau", "Rosenbrock", "Beale",
                                      "quadratic (κ = 20, rotated)", "saddle x² − y²",
                                      "Rastrigin"], None),
    ("activation_explorer", "T"): (np.geomspace(0.2, 5, 12), {"activation": "softmax"}),
    ("activation_explorer", "z0"): (None, {"activation": "softmax"}),
    ("activation_explorer", "z1"): (None, {"activation": "softmax"}),
    ("activation_explorer", "z2"): (None, {"activation": "softmax"}),
    ("activation_explorer", "depth"): ([5, 20, 40], None),
    ("landscape_explorer", "lr"): (np.geomspace(0.01, 0.3, 12), None),
    ("landscape_explorer", "azim"): (np.arange(-60, 60, 10), None),
    ("conv_explorer", "position"): (np.arange(0, 64, 5), None),
    ("conv_explorer", "stride"): ([2, 1, 3], None),
    ("conv_explorer", "padding"): ([0, 2, 1, 3], None),
    ("conv_explorer", "pool_size"): ([3, 2], {"mode": "max pool"}),
    ("conv_explorer", "kernel"): (["1 2 1; 0 0 0; -1 -2 -1", "0 1 0; 1 -4 1; 0 1 0", "1 1; 1 1",
                                   "-1 0 1; -2 0 2; -1 0 1"], None),
    ("distribution_explorer", "n"): ([10, 20, 50, 100, 200, 500, 1000, 2000], None),
    ("distribution_explorer", "mu"): ([0.5, -0.5, 1.0, -1.5, 2.0, 0.0], {"distribution": "Normal"}),
    ("distribution_explorer", "sigma"): (None, {"distribution": "Normal"}),
    ("distribution_explorer", "p"): (None, {"distribution": "Bernoulli"}),
    ("distribution_explorer", "w0"): (None, {"distribution": "Categorical"}),
    ("distribution_explorer", "w1"): (None, {"distribution": "Categorical"}),
    ("distribution_explorer", "w2"): (None, {"distribution": "Categorical"}),
    ("distribution_explorer", "w3"): (None, {"distribution": "Categorical"}),
    ("distribution_explorer", "seed"): (np.arange(1, 9), None),
    ("information_explorer", "q0"): (np.linspace(0.05, 0.9, 12), None),
    ("matrix_explorer", "b"): (np.linspace(-1, 1, 12), None),
    ("svd_explorer", "k"): (np.arange(1, 40, 3), None),
    ("finite_difference_explorer", "h"): (np.geomspace(1e-14, 1e-1, 12), None),
    ("finite_difference_explorer", "x0"): (np.linspace(-1.5, 1.5, 12), None),
    ("bayes_explorer", "prior"): (np.geomspace(0.002, 0.4, 12), None),
    ("bayes_explorer", "sensitivity"): (np.linspace(0.6, 0.99, 12), None),
    ("broadcasting_explorer", "cell"): (np.arange(0, 24, 2), {"shape_a": "2, 3, 4",
                                                             "shape_b": "3, 1"}),
    ("broadcasting_explorer", "shape_a"): (["2, 3, 4", "3, 1", "4, 3", "2, 1, 4", "3"], None),
    ("broadcasting_explorer", "shape_b"): (["3, 1", "1, 4", "2, 1, 4", "4", "3, 4", "2, 3, 1"],
                                           {"shape_a": "2, 3, 4"}),
    ("broadcasting_explorer", "example"): (["(3, 1) and (1, 4)", "(2, 3, 4) and (3, 1)",
                                            "(4, 3) and (4,)",
                                            "(3, 3, 3) and (3,): the bias trap"], None),
    ("conditioning_explorer", "kappa"): (np.geomspace(1.5, 5000, 12), None),
    ("conditioning_explorer", "db_angle"): (np.linspace(0, 330, 12), None),
    ("conditioning_explorer", "rel_size"): (np.geomspace(1e-4, 0.1, 12), None),
    ("backprop_stepper", "step"): (np.arange(0, 13), None),
    ("backprop_stepper", "expression"): (["L = (a·b + c)²", "a reused leaf: y = a·a + a",
                                          "neuron: o = tanh(x1·w1 + x2·w2 + b)"], None),
    ("covariance_explorer", "rho"): (np.linspace(-0.95, 0.95, 12), {"n": 5000}),
    ("covariance_explorer", "sigma_x"): (np.linspace(0.4, 1.9, 12), {"n": 5000}),
    ("covariance_explorer", "sigma_y"): (None, {"n": 5000}),
    ("covariance_explorer", "n"): ([5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000], None),
    ("covariance_explorer", "seed"): (np.arange(1, 9), {"n": 5000}),
    ("mle_explorer", "theta"): (np.linspace(0.05, 0.95, 12), {"n": 1000}),
    ("mle_explorer", "n"): ([1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000], None),
    ("mle_explorer", "theta_true"): (np.linspace(0.1, 0.9, 12), {"n": 1000}),
    ("mle_explorer", "sigma"): (np.linspace(0.5, 2, 12), {"model": "Gaussian", "n": 1000}),
    ("mle_explorer", "seed"): (np.arange(1, 9), None),
    ("schedule_explorer", "lr"): (np.geomspace(0.05, 2.0, 12), None),
    ("schedule_explorer", "step_size"): (None, {"scheduler": "StepLR"}),
    ("schedule_explorer", "gamma"): (np.linspace(0.8, 0.99, 12), {"scheduler": "ExponentialLR"}),
    ("schedule_explorer", "milestone_1"): (None, {"scheduler": "MultiStepLR"}),
    ("schedule_explorer", "milestone_2"): (None, {"scheduler": "MultiStepLR"}),
    ("schedule_explorer", "start_factor"): (None, {"scheduler": "LinearLR"}),
    ("schedule_explorer", "end_factor"): (None, {"scheduler": "LinearLR"}),
    ("schedule_explorer", "total_iters"): (None, {"scheduler": "LinearLR"}),
    ("schedule_explorer", "max_lr"): (np.geomspace(0.05, 2.0, 12), {"scheduler": "OneCycleLR"}),
    ("schedule_explorer", "pct_start"): (np.linspace(0.1, 0.9, 9), {"scheduler": "OneCycleLR"}),
    ("schedule_explorer", "div_factor"): (None, {"scheduler": "OneCycleLR"}),
    ("schedule_explorer", "final_div_factor"): (None, {"scheduler": "OneCycleLR"}),
    ("schedule_explorer", "anneal_strategy"): (None, {"scheduler": "OneCycleLR"}),
    ("regularization_explorer", "degree"): (None, {"penalty": "L1"}),
    ("regularization_explorer", "lam"): (LAMBDA_DRAG, {"penalty": "L1"}),
    ("receptive_field_explorer", "input_size"): ([24, 32, 40, 48, 56, 64], None),
    ("receptive_field_explorer", "p1"): ([0, 1], None),
    ("receptive_field_explorer", "d1"): ([1, 2, 3, 4], {"type1": "conv"}),
    ("receptive_field_explorer", "s2"): (None, {"d3": 1}),
    ("receptive_field_explorer", "d2"): ([1, 2, 3, 4, 5, 6], {"d3": 1}),
    ("receptive_field_explorer", "d3"): ([1, 2, 3, 4, 5, 6], None),
    ("receptive_field_explorer", "k3"): ([1, 2, 3, 4], None),
    ("receptive_field_explorer", "k4"): ([1, 2, 3, 4, 5, 6], {"type4": "conv", "p4": 2}),
    ("receptive_field_explorer", "s4"): (None, {"type4": "conv", "p4": 2}),
    ("receptive_field_explorer", "d4"): ([1, 2, 3, 4], {"type4": "conv", "p4": 2}),
    ("receptive_field_explorer", "p4"): (None, {"type4": "conv"}),
    ("calibration_explorer", "T"): (np.geomspace(0.3, 7.0, 12), None),
}

#: Extra cases: the same control in another setting (explorer, control, values, setup).
EXTRA = [
    ("regularization_explorer", "degree", None, {"penalty": "L2"}),
    ("regularization_explorer", "lam", LAMBDA_DRAG, {"penalty": "L2"}),
    ("receptive_field_explorer", "row", None, {"type3": "off"}),
    ("calibration_explorer", "T", np.geomspace(0.3, 7.0, 12), {"binning": "equal mass"}),
    ("mle_explorer", "theta", np.linspace(-2, 2, 12), {"model": "Gaussian", "n": 1000}),
    ("momentum_explorer", "kappa", [10.0, 100.0, 30.0, 300.0, 3.0, 50.0], {"rate_map": "Nesterov"}),
]

#: Buttons: (explorer, attribute) → (control moved untimed before each click, its values, setup).
#: A click that changes nothing (e.g. "step ▶" at the last step) is not timed.
BUTTONS = {
    ("momentum_explorer", "optimal"): ("alpha", np.geomspace(0.005, 0.5, 8), None),
    ("distribution_explorer", "resample"): (None, None, None),
    ("conditioning_explorer", "worst"): ("b_angle", np.linspace(10, 170, 8), None),
    ("backprop_stepper", "reset_button"): ("step", np.arange(1, 9), None),
    ("backprop_stepper", "step_button"): ("step", [0, 3, 6, 9], None),
    ("backprop_stepper", "back_button"): ("step", [12, 9, 6, 3], None),
    ("covariance_explorer", "resample"): (None, None, {"n": 5000}),
    ("mle_explorer", "to_max"): ("theta", np.linspace(0.05, 0.95, 8), {"n": 1000}),
    ("mle_explorer", "resample"): (None, None, {"n": 1000}),
    ("calibration_explorer", "to_best"): ("T", np.geomspace(0.3, 7.0, 8), None),
}


def _plain(v, like):
    """``v`` as the type the widget holds (ints stay ints, NumPy scalars become Python's)."""
    v = v.item() if isinstance(v, np.generic) else v
    if isinstance(like, bool) or isinstance(v, str):
        return v
    if isinstance(like, int) and isinstance(v, float):
        return int(round(v))
    if isinstance(like, float) and isinstance(v, int):
        return float(v)
    return v


def default_values(w, n=N_VALUES):
    """Values spread over a control's range, in drag order (or all its options)."""
    if isinstance(w, widgets.Checkbox):
        return [not w.value, w.value]
    if isinstance(w, (widgets.Dropdown, widgets.ToggleButtons, widgets.SelectionSlider)):
        return list(w._options_values)
    if isinstance(w, widgets.FloatLogSlider):
        lo, hi = w.min + 0.1 * (w.max - w.min), w.max - 0.1 * (w.max - w.min)
        return [float(w.base ** e) for e in np.linspace(lo, hi, n)]
    if isinstance(w, (widgets.IntSlider, widgets.BoundedIntText)):
        hi = min(w.max, w.min + 50)
        return sorted({int(round(v)) for v in np.linspace(w.min, hi, n)})
    if isinstance(w, widgets.FloatSlider):
        lo, hi = w.min + 0.1 * (w.max - w.min), w.max - 0.1 * (w.max - w.min)
        step = w.step or (hi - lo) / 100
        return [float(round(v / step) * step) for v in np.linspace(lo, hi, n)]
    raise TypeError(f"no values for a {type(w).__name__}; list them in VALUES")


def kind(w):
    """How a control updates: live while dragging, on release, or on a click/keypress."""
    if isinstance(w, widgets.Button):
        return "click"
    if isinstance(w, (widgets.Dropdown, widgets.ToggleButtons, widgets.Checkbox)):
        return "select"
    if getattr(w, "continuous_update", True):
        return "live"
    return "on release"


def buttons(ex):
    """(attribute name, widget) of every Button inside the explorer's widget tree."""
    found, seen, stack = [], set(), [ex]
    while stack:
        w = stack.pop()
        if id(w) in seen:
            continue
        seen.add(id(w))
        if isinstance(w, widgets.Button):
            names = [a for a, v in vars(ex).items() if v is w]
            found.append((names[0] if names else w.description, w))
        stack.extend(getattr(w, "children", ()))
    return sorted(found, key=lambda t: t[0])


def _timed(ex, action):
    """Run ``action`` and return (seconds, whether it redrew, full redraws it did)."""
    r0, f0 = ex.renders, ex.full_draws
    start = time.perf_counter()
    action()
    elapsed = time.perf_counter() - start
    assert ex.error is None, (ex.name, ex.error)
    return elapsed, ex.renders > r0, ex.full_draws - f0


def time_control(name, control, values=None, setup=None, rounds=ROUNDS):
    """Median and max seconds per update for one control, the fraction of full redraws, the
    number of timed updates and the control's kind."""
    ex = getattr(viz, name)()
    if setup:
        ex.set(**setup)
    w = ex.controls[control]
    values = [_plain(v, w.value) for v in (default_values(w) if values is None else values)]
    for v in values[:2]:                                    # warm-up (caches, first draws)
        w.value = v
    times, full = [], 0
    for _ in range(rounds):
        for v in values:
            if w.value == v:
                continue
            dt, drew, nfull = _timed(ex, lambda: setattr(w, "value", v))
            if drew:
                times.append(dt)
                full += nfull
    return times, full, kind(w)


def time_button(name, attr, perturb=None, values=None, setup=None, rounds=ROUNDS):
    ex = getattr(viz, name)()
    if setup:
        ex.set(**setup)
    button = getattr(ex, attr)
    values = list(values) if values is not None else [None] * 6
    for _ in range(2):
        button.click()
    times, full = [], 0
    for _ in range(rounds):
        for v in values:
            if perturb is not None:
                w = ex.controls[perturb]
                ex.controls[perturb].value = _plain(v, w.value)
            dt, drew, nfull = _timed(ex, button.click)
            if drew:
                times.append(dt)
                full += nfull
    return times, full, "click"


def cases(only=None):
    """Every (explorer, control-or-button, timing function) to run, in __all__ order."""
    out = []
    for name in viz.__all__:
        if name == "widget_check" or (only and not any(s in name for s in only)):
            continue
        ex = getattr(viz, name)()
        for control in ex.controls:
            values, setup = VALUES.get((name, control), (None, None))
            out.append((name, control, lambda n=name, c=control, v=values, s=setup:
                        time_control(n, c, v, s)))
        for n2, control, values, setup in EXTRA:
            if n2 == name:
                label = control + " (" + ", ".join(f"{k}={v}" for k, v in setup.items()) + ")"
                out.append((name, label, lambda n=name, c=control, v=values, s=setup:
                            time_control(n, c, v, s)))
        for attr, b in buttons(ex):
            perturb, values, setup = BUTTONS.get((name, attr), (None, None, None))
            out.append((name, f"[{b.description}]", lambda n=name, a=attr, p=perturb, v=values,
                        s=setup: time_button(n, a, p, v, s)))
    return out


def main(only=None):
    if only is None:
        env = os.environ.get("DLMATH_BENCH_VIZ", "")
        only = [s for s in env.split(",") if s] or None
    rows, failing, slowest = [], [], (0.0, "")
    for name, control, run in cases(only):
        times, full, how = run()
        if not times:
            rows.append([name, control, how, "—", "—", "—", "—", 0, "no update"])
            continue
        med, mx = statistics.median(times), max(times)
        ok = med * 1e3 <= TARGET_MS
        if not ok:
            failing.append(f"{name}.{control}")
        slowest = max(slowest, (med, f"{name}.{control}"))
        rows.append([name, control, how, f"{med * 1e3:.1f}", f"{mx * 1e3:.1f}",
                     f"{med * 1e3 / TARGET_MS:.2f}", f"{100 * full / len(times):.0f} %",
                     len(times), "✓" if ok else "✗"])
    table(rows, ["explorer", "control", "updates", "median ms", "max ms", "× target",
                 "full redraws", "n", f"≤ {TARGET_MS:.0f} ms"])
    n_ok = sum(r[-1] == "✓" for r in rows)
    print(f"{n_ok} of {len(rows)} controls at or under {TARGET_MS:.0f} ms median; slowest median "
          f"{slowest[0] * 1e3:.1f} ms ({slowest[1]})")
    if failing:
        print("over the target: " + ", ".join(failing))
    if math.isfinite(slowest[0]):
        return rows


if __name__ == "__main__":
    main()
