"""Exercise checkers: ``check_<name>(your_function)`` prints ✅, a specific hint, or
"not attempted yet" — see ``core.py`` for how they work. One module per topic:

    shared.py               checkers several notebooks use (softmax, conv output size)
    linear_algebra.py       vectors, matrices, linear systems, eigenvalues, SVD (01–05)
    differentiation.py      derivatives, gradients, the chain rule and autograd (06–08)
    backprop_curvature.py   backpropagation, curvature and Newton, integration (09–11)
    probability.py          random variables, distributions, sampling, LLN and CLT (12)
    bayes.py                Bayes' theorem, the diagnostic test, naive Bayes (13)
    descriptive_statistics.py  statistics, stable variance, batch norm, initialisation (14)
    likelihood.py           maximum likelihood, losses as negative log-likelihoods, MAP (15)
    information.py          entropy, cross-entropy, KL divergence, log-sum-exp (16)
    variational.py          Gaussian KL, the reparameterisation trick, the ELBO (17)
    losses_convexity.py     loss functions, convexity, the hinge loss and the margin (18)
    sgd_schedules.py        gradient descent, SGD, mini-batches, learning-rate schedules (19)
    momentum.py             momentum and Nesterov (20)
    optimizers.py           Adagrad, RMSProp, Adam, AdamW (21)
    regularization.py       regularisation, data splits, dropout, early stopping (22)
    neurons_activations.py  perceptrons as logic gates, XOR with two layers, GELU′ (23)
    convolution.py          true convolution (the flip), the gradient of max pooling (24)
    cnn.py                  confusion matrix, precision/recall, the cost of each layer (25)
    loss_landscapes.py      filter normalisation, coordinates in a plane of directions (26)
    uncertainty.py          Bayesian linear regression, calibration (ECE), uncertainty
                            decomposition, abstention (27)
    graphs.py               the normalised adjacency, mean aggregation from an edge list (28)

    tracking.py             every check's verdict recorded in your copy; ``progress()`` shows them
    report.py               ``python -m dlmath.exercises.report DIR…``: a class's progress as CSV
"""
from .core import run_checks, Case, Mistake, CheckResult
from .tracking import progress
from . import shared, linear_algebra, differentiation, backprop_curvature
from .shared import *                  # noqa: F401,F403
from .linear_algebra import *          # noqa: F401,F403
from .differentiation import *         # noqa: F401,F403
from .backprop_curvature import *      # noqa: F401,F403
from . import (probability, bayes, descriptive_statistics, likelihood,  # noqa: E402
               information, variational)
from .probability import *             # noqa: F401,F403
from .bayes import *                   # noqa: F401,F403
from .descriptive_statistics import *  # noqa: F401,F403
from .likelihood import *              # noqa: F401,F403
from .information import *             # noqa: F401,F403
from .variational import *             # noqa: F401,F403
from . import (losses_convexity, sgd_schedules, momentum, optimizers,  # noqa: E402
               regularization)
from .losses_convexity import *        # noqa: F401,F403
from .sgd_schedules import *           # noqa: F401,F403
from .momentum import *                # noqa: F401,F403
from .optimizers import *              # noqa: F401,F403
from .regularization import *          # noqa: F401,F403
from . import neurons_activations, convolution, cnn, loss_landscapes, graphs  # noqa: E402
from .neurons_activations import *     # noqa: F401,F403
from .convolution import *             # noqa: F401,F403
from .cnn import *                     # noqa: F401,F403
from .loss_landscapes import *         # noqa: F401,F403
from .graphs import *                  # noqa: F401,F403
from . import uncertainty              # noqa: E402
from .uncertainty import *             # noqa: F401,F403

__all__ = (["run_checks", "Case", "Mistake", "CheckResult", "progress"] + shared.__all__
           + linear_algebra.__all__ + differentiation.__all__ + backprop_curvature.__all__)
for _m in (probability, bayes, descriptive_statistics, likelihood, information, variational,
           losses_convexity, sgd_schedules, momentum, optimizers, regularization,
           neurons_activations, convolution, cnn, loss_landscapes, graphs, uncertainty):
    __all__ += _m.__all__
