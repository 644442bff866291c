"""``dlmath.nn.functional`` (conventionally ``import dlmath.nn.functional as F``): the stateless
operations behind the layers, with PyTorch's names, arguments and defaults.

    activations    relu, leaky_relu, sigmoid, logsigmoid, tanh, gelu, silu, elu, softplus,
                   softmax, log_softmax
    linear         linear
    conv           conv2d, max_pool2d, avg_pool2d  (arithmetic in dlmath.kernels)
    normalization  batch_norm
    dropout        dropout
    losses         mse_loss, l1_loss, huber_loss, smooth_l1_loss, binary_cross_entropy,
                   binary_cross_entropy_with_logits, cross_entropy, nll_loss, kl_div,
                   multi_margin_loss, hinge_embedding_loss

Every op is differentiable with dlmath's autograd and keeps its input's dtype.
"""
from .activations import (relu, leaky_relu, sigmoid, logsigmoid, tanh, gelu, silu, elu, softplus,
                          softmax, log_softmax)
from .linear import linear
from .conv import conv2d, max_pool2d, avg_pool2d
from .normalization import batch_norm
from .dropout import dropout
from .losses import (mse_loss, l1_loss, huber_loss, smooth_l1_loss, binary_cross_entropy,
                     binary_cross_entropy_with_logits, cross_entropy, nll_loss, kl_div,
                     multi_margin_loss, hinge_embedding_loss, gaussian_nll_loss)
from . import conv

__all__ = ["relu", "leaky_relu", "sigmoid", "logsigmoid", "tanh", "gelu", "silu", "elu",
           "softplus", "softmax", "log_softmax", "linear", "conv2d", "max_pool2d", "avg_pool2d",
           "batch_norm", "dropout", "mse_loss", "l1_loss", "huber_loss", "smooth_l1_loss",
           "binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy",
           "nll_loss", "kl_div", "multi_margin_loss", "hinge_embedding_loss", "gaussian_nll_loss"]
