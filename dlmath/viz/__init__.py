"""Interactive explorers for the notebooks (ipywidgets + matplotlib).

Each explorer is a pure compute core (plain data in, plain data out — what the tests drive)
and a thin view. Nothing in dlmath imports this package; only notebooks do.

    gd_explorer                 gradient descent and the learning rate (1-D, 2-D, the 2/L line)
    momentum_explorer           heavy ball vs Nesterov: α, β, κ, the optimal (α, β), the rate map
    optimizer_race              SGD, momentum, Adagrad, RMSprop, Adam (dlmath.optim) on one surface
    activation_explorer         f and f′ (autograd), saturation, softmax temperature, depth
    landscape_explorer          test functions or a model's 2-D slice: contour + 3-D surface
    conv_explorer               kernels, stride, padding, dilation, pooling, the output-size rule
    distribution_explorer       samples vs PMF/PDF, law of large numbers, CLT
    information_explorer        H(p), H(p, q), KL(p‖q), KL(q‖p)
    matrix_explorer             a 2×2 map: grid, unit circle, eigenvectors, det as area
    svd_explorer                rank-k approximation of an image, spectrum and error
    finite_difference_explorer  step size h: truncation vs round-off
    bayes_explorer              prior, sensitivity, specificity → posterior, natural frequencies
    broadcasting_explorer       two shapes aligned from the right, size-1 axes stretched, the result
    conditioning_explorer       Ax = b with condition number κ: ‖δx‖/‖x‖ ≤ κ‖δb‖/‖b‖, measured
    backprop_stepper            a computational graph stepped node by node: values, then gradients
    covariance_explorer         a 2-D Gaussian with correlation ρ: ellipses, √λ·eigenvectors, ρ̂ → ρ
    mle_explorer                coin flips or Gaussian data: drag θ along ℓ(θ), its maximum, curvature
    schedule_explorer           lr schedulers (dlmath.optim.lr_scheduler): the lr per step, an SGD run
    regularization_explorer     polynomial degree, L2/L1 penalty λ: fit, train/val error, zero weights
    receptive_field_explorer    a conv/pool stack: click an output cell, its exact receptive field
    calibration_explorer        temperature T: reliability diagram, ECE, NLL, the NLL-optimal T*

Every explorer is an ``ipywidgets.VBox``: ``.controls`` (name → widget), ``.result`` (the compute
core's output for the current controls), ``.error`` (a message, or None), ``.fig`` (its one
matplotlib Figure) and ``.set(**values)`` to move several controls at once. Displayed in a
notebook it shows the live widget; saved, it also carries a static PNG of its first frame.
"""
from .welcome import widget_check

_EXPLORERS = {
    "gd_explorer": ".gd", "momentum_explorer": ".momentum", "optimizer_race": ".race",
    "activation_explorer": ".activation", "landscape_explorer": ".landscape",
    "conv_explorer": ".conv", "distribution_explorer": ".distribution",
    "information_explorer": ".information", "matrix_explorer": ".matrix",
    "svd_explorer": ".svd", "finite_difference_explorer": ".finite_difference",
    "bayes_explorer": ".bayes", "broadcasting_explorer": ".broadcasting",
    "conditioning_explorer": ".conditioning", "backprop_stepper": ".backprop",
    "covariance_explorer": ".covariance", "mle_explorer": ".mle",
    "schedule_explorer": ".schedule", "regularization_explorer": ".regularization",
    "receptive_field_explorer": ".receptive_field", "calibration_explorer": ".calibration",
}

__all__ = ["widget_check", *_EXPLORERS]


def __getattr__(name):
    # Each explorer module is imported on first use: `import dlmath.viz` stays light, and an
    # explorer whose dependencies are still being built cannot break the others.
    if name in _EXPLORERS:
        import importlib
        return getattr(importlib.import_module(_EXPLORERS[name], __name__), name)
    raise AttributeError(f"module 'dlmath.viz' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_EXPLORERS))
