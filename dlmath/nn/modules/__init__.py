"""The layers of ``dlmath.nn`` (re-exported there)."""
from .module import Module
from .container import Sequential, ModuleList
from .layers import (Identity, Linear, Conv2d, MaxPool2d, AvgPool2d, Flatten, Unflatten,
                     Dropout, BatchNorm1d, BatchNorm2d)
from .activation import (ReLU, LeakyReLU, Sigmoid, Tanh, GELU, SiLU, ELU, Softplus, Softmax,
                         LogSoftmax)
from .loss import (MSELoss, L1Loss, HuberLoss, SmoothL1Loss, BCELoss, BCEWithLogitsLoss,
                   CrossEntropyLoss, NLLLoss, KLDivLoss, MultiMarginLoss, HingeEmbeddingLoss,
                   GaussianNLLLoss)

__all__ = ["Module", "Sequential", "ModuleList", "Identity", "Linear", "Conv2d", "MaxPool2d",
           "AvgPool2d", "Flatten", "Unflatten", "Dropout", "BatchNorm1d", "BatchNorm2d", "ReLU",
           "LeakyReLU", "Sigmoid", "Tanh", "GELU", "SiLU", "ELU", "Softplus", "Softmax",
           "LogSoftmax", "MSELoss", "L1Loss", "HuberLoss", "SmoothL1Loss", "BCELoss",
           "BCEWithLogitsLoss", "CrossEntropyLoss", "NLLLoss", "KLDivLoss", "MultiMarginLoss",
           "HingeEmbeddingLoss", "GaussianNLLLoss"]
