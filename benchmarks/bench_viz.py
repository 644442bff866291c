"""Explorer updates: the median time from setting a control's value to the figure redrawn into the
Agg buffer and encoded as the PNG the widget shows (what a learner waits for while dragging).

Target (DESIGN.md §2): ≤ 50 ms median for the sliders that update while dragging. Controls that
change the picture's structure (a new function, image or axis range → a full redraw) use
``continuous_update=False`` or are dropdowns; they are listed too, marked "on release".
"""
import statistics
import time

import numpy as np

import dlmath.viz as viz
from benchmarks._timing import table

TARGET_MS = 50.0

#: (explorer, control, values cycled through, kind). "drag": updates while the slider moves.
CASES = [
    ("gd_explorer", "lr", np.geomspace(0.01, 0.6, 12), "drag"),
    ("gd_explorer", "x0", np.linspace(-1.5, 1.5, 12), "drag"),
    ("momentum_explorer", "beta", np.linspace(0.1, 0.9, 12), "drag"),
    ("momentum_explorer", "alpha", np.geomspace(0.005, 0.05, 12), "drag"),
    ("momentum_explorer", "kappa", [10.0, 100.0, 30.0], "on release"),
    ("optimizer_race", "lr_Adam", np.geomspace(0.01, 0.3, 12), "drag"),
    ("optimizer_race", "function", ["Himmelblau", "Rosenbrock"], "on release"),
    ("activation_explorer", "T", np.geomspace(0.2, 5, 12), "drag", {"activation": "softmax"}),
    ("activation_explorer", "depth", [5, 20, 40], "on release"),
    ("landscape_explorer", "lr", np.geomspace(0.01, 0.3, 12), "drag"),
    ("landscape_explorer", "azim", np.arange(-60, 60, 10), "on release"),
    ("conv_explorer", "position", np.arange(0, 64, 5), "drag"),
    ("conv_explorer", "stride", [2, 1, 3], "drag"),
    ("conv_explorer", "padding", [0, 2, 1, 3], "drag"),
    ("distribution_explorer", "n", [10, 20, 50, 100, 200, 500, 1000, 2000], "drag"),
    ("distribution_explorer", "mu", [0.5, -0.5, 1.0], "on release", {"distribution": "Normal"}),
    ("information_explorer", "q0", np.linspace(0.05, 0.9, 12), "drag"),
    ("matrix_explorer", "b", np.linspace(-1, 1, 12), "drag"),
    ("svd_explorer", "k", np.arange(1, 40, 3), "drag"),
    ("finite_difference_explorer", "h", np.geomspace(1e-14, 1e-1, 12), "drag"),
    ("finite_difference_explorer", "x0", np.linspace(-1.5, 1.5, 12), "drag"),
    ("bayes_explorer", "prior", np.geomspace(0.002, 0.4, 12), "drag"),
    ("bayes_explorer", "sensitivity", np.linspace(0.6, 0.99, 12), "drag"),
    ("broadcasting_explorer", "cell", np.arange(0, 24, 2), "drag",
     {"shape_a": "2, 3, 4", "shape_b": "3, 1"}),
    ("broadcasting_explorer", "shape_b", ["3, 1", "1, 4", "2, 1, 4", "4", "3, 4", "2, 3, 1"],
     "on release", {"shape_a": "2, 3, 4"}),
    ("broadcasting_explorer", "example", ["(3, 1) and (1, 4)", "(2, 3, 4) and (3, 1)",
                                          "(4, 3) and (4,)", "(3, 3, 3) and (3,): the bias trap"],
     "on release"),
    ("conditioning_explorer", "kappa", np.geomspace(1.5, 5000, 12), "drag"),
    ("conditioning_explorer", "db_angle", np.linspace(0, 330, 12), "drag"),
    ("conditioning_explorer", "rel_size", np.geomspace(1e-4, 0.1, 12), "drag"),
    ("backprop_stepper", "step", np.arange(0, 13), "drag"),
    ("backprop_stepper", "expression", ["L = (a·b + c)²", "a reused leaf: y = a·a + a",
                                        "neuron: o = tanh(x1·w1 + x2·w2 + b)"], "on release"),
    ("covariance_explorer", "rho", np.linspace(-0.95, 0.95, 12), "drag", {"n": 5000}),
    ("covariance_explorer", "sigma_x", np.linspace(0.4, 1.9, 12), "drag", {"n": 5000}),
    ("covariance_explorer", "n", [5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000], "drag"),
    ("covariance_explorer", "seed", np.arange(1, 9), "drag", {"n": 5000}),
    ("mle_explorer", "theta", np.linspace(0.05, 0.95, 12), "drag", {"n": 1000}),
    ("mle_explorer", "n", [1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000], "drag"),
    ("mle_explorer", "theta_true", np.linspace(0.1, 0.9, 12), "drag", {"n": 1000}),
    ("mle_explorer", "theta", np.linspace(-2, 2, 12), "drag", {"model": "Gaussian", "n": 1000}),
    ("mle_explorer", "sigma", np.linspace(0.5, 2, 12), "drag", {"model": "Gaussian", "n": 1000}),
    ("mle_explorer", "model", ["Gaussian", "Bernoulli"], "on release"),
]


def _value(w, v):
    if isinstance(v, (np.floating, float)) and not isinstance(w.value, float):
        return type(w.value)(v)
    return v.item() if isinstance(v, np.generic) else v


def time_case(name, control, values, setup=None, rounds=2):
    ex = getattr(viz, name)()
    if setup:
        ex.set(**setup)
    w = ex.controls[control]
    for v in values[:2]:                                    # warm-up (caches, first draws)
        w.value = _value(w, v)
    times, full = [], 0
    for _ in range(rounds):
        for v in values:
            v = _value(w, v)
            if w.value == v:
                continue
            f0 = ex.full_draws
            start = time.perf_counter()
            w.value = v
            times.append(time.perf_counter() - start)
            full += ex.full_draws - f0
            assert ex.error is None, (name, control, v, ex.error)
    return statistics.median(times), max(times), full / len(times), len(times)


def main():
    rows, worst = [], 0.0
    for case in CASES:
        name, control, values, kind = case[:4]
        setup = case[4] if len(case) > 4 else None
        med, mx, full, n = time_case(name, control, list(values), setup)
        ok = "✓" if med * 1e3 <= TARGET_MS else ("✗" if kind == "drag" else "–")
        if kind == "drag":
            worst = max(worst, med)
        rows.append([name, control, kind, f"{med * 1e3:.1f}", f"{mx * 1e3:.1f}",
                     f"{100 * full:.0f} %", n, ok])
    table(rows, ["explorer", "control", "updates", "median ms", "max ms", "full redraws",
                 "n", f"≤ {TARGET_MS:.0f} ms"])
    print(f"slowest median among the drag sliders: {worst * 1e3:.1f} ms (target ≤ {TARGET_MS:.0f} ms)")


if __name__ == "__main__":
    main()
