"""Loss modules: each stores its options and calls the matching ``functional`` loss."""
from .. import functional as F
from ..functional._utils import as_tensor, check_reduction
from .module import Module

__all__ = ["MSELoss", "L1Loss", "HuberLoss", "SmoothL1Loss", "BCELoss", "BCEWithLogitsLoss",
           "CrossEntropyLoss", "NLLLoss", "KLDivLoss", "MultiMarginLoss", "HingeEmbeddingLoss",
           "GaussianNLLLoss"]


class _Loss(Module):
    def __init__(self, reduction="mean"):
        super().__init__()
        if reduction != "batchmean" or not isinstance(self, KLDivLoss):
            check_reduction(reduction, type(self).__name__)
        self.reduction = reduction


class _WeightedLoss(_Loss):
    def __init__(self, weight=None, reduction="mean"):
        super().__init__(reduction)
        self.register_buffer("weight", None if weight is None else as_tensor(weight))


class MSELoss(_Loss):
    """Mean squared error (see ``functional.mse_loss``)."""

    def __init__(self, *, reduction="mean"):
        super().__init__(reduction)

    def forward(self, input, target):
        return F.mse_loss(input, target, reduction=self.reduction)


class L1Loss(_Loss):
    """Mean absolute error (see ``functional.l1_loss``)."""

    def __init__(self, *, reduction="mean"):
        super().__init__(reduction)

    def forward(self, input, target):
        return F.l1_loss(input, target, reduction=self.reduction)


class HuberLoss(_Loss):
    """Huber loss with threshold ``delta`` (see ``functional.huber_loss``)."""

    def __init__(self, reduction="mean", delta=1.0):
        super().__init__(reduction)
        self.delta = delta

    def forward(self, input, target):
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class SmoothL1Loss(_Loss):
    def __init__(self, *, reduction="mean", beta=1.0):
        super().__init__(reduction)
        self.beta = beta

    def forward(self, input, target):
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class BCELoss(_WeightedLoss):
    """Binary cross-entropy on probabilities (see ``functional.binary_cross_entropy``)."""

    def __init__(self, weight=None, *, reduction="mean"):
        super().__init__(weight, reduction)

    def forward(self, input, target):
        return F.binary_cross_entropy(input, target, self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy on logits (see ``functional.binary_cross_entropy_with_logits``)."""

    def __init__(self, weight=None, *, reduction="mean", pos_weight=None):
        super().__init__(reduction)
        self.register_buffer("weight", None if weight is None else as_tensor(weight))
        self.register_buffer("pos_weight",
                             None if pos_weight is None else as_tensor(pos_weight))

    def forward(self, input, target):
        return F.binary_cross_entropy_with_logits(input, target, self.weight,
                                                  reduction=self.reduction,
                                                  pos_weight=self.pos_weight)


class CrossEntropyLoss(_WeightedLoss):
    """Softmax cross-entropy on logits and class indices (see ``functional.cross_entropy``)."""

    def __init__(self, weight=None, *, ignore_index=-100, reduction="mean",
                 label_smoothing=0.0):
        super().__init__(weight, reduction)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input, target):
        return F.cross_entropy(input, target, self.weight, ignore_index=self.ignore_index,
                               reduction=self.reduction, label_smoothing=self.label_smoothing)


class NLLLoss(_WeightedLoss):
    """Negative log-likelihood on log-probabilities (see ``functional.nll_loss``)."""

    def __init__(self, weight=None, *, ignore_index=-100, reduction="mean"):
        super().__init__(weight, reduction)
        self.ignore_index = ignore_index

    def forward(self, input, target):
        return F.nll_loss(input, target, self.weight, ignore_index=self.ignore_index,
                          reduction=self.reduction)


class KLDivLoss(_Loss):
    """KL divergence; ``input`` is log-probabilities (see ``functional.kl_div``)."""

    def __init__(self, *, reduction="mean", log_target=False):
        super().__init__(reduction)
        self.log_target = log_target

    def forward(self, input, target):
        return F.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)


class MultiMarginLoss(_WeightedLoss):
    """Multi-class hinge loss (see ``functional.multi_margin_loss``)."""

    def __init__(self, p=1, margin=1.0, weight=None, *, reduction="mean"):
        super().__init__(weight, reduction)
        self.p = p
        self.margin = margin

    def forward(self, input, target):
        return F.multi_margin_loss(input, target, self.p, self.margin, self.weight,
                                   reduction=self.reduction)


class HingeEmbeddingLoss(_Loss):
    """Hinge embedding loss for ±1 targets (see ``functional.hinge_embedding_loss``)."""

    def __init__(self, margin=1.0, *, reduction="mean"):
        super().__init__(reduction)
        self.margin = margin

    def forward(self, input, target):
        return F.hinge_embedding_loss(input, target, self.margin, reduction=self.reduction)




class GaussianNLLLoss(_Loss):
    """Gaussian negative log-likelihood with predicted variances; called as
    ``loss(input, target, var)`` (see ``functional.gaussian_nll_loss``)."""

    def __init__(self, *, full=False, eps=1e-6, reduction="mean"):
        super().__init__(reduction)
        self.full, self.eps = full, eps

    def forward(self, input, target, var):
        return F.gaussian_nll_loss(input, target, var, full=self.full, eps=self.eps,
                                   reduction=self.reduction)
