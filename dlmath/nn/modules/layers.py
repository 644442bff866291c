"""Layers with parameters or state: Linear, Conv2d, the pools, Flatten, Dropout, BatchNorm."""
import math

import numpy as np

from ...autograd.tensor import Tensor
from .. import functional as F
from .. import init
from ..functional._utils import pair
from ..parameter import Parameter
from .module import Module

__all__ = ["Identity", "Linear", "Conv2d", "MaxPool2d", "AvgPool2d", "Flatten", "Unflatten",
           "Dropout", "BatchNorm1d", "BatchNorm2d"]


def _dtype(dtype):
    return np.dtype(np.float32 if dtype is None else dtype)


class Identity(Module):
    """Returns its input unchanged (any constructor arguments are ignored)."""

    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, input):
        return input


class _WeightAndBias(Module):
    """Linear and Conv2d: a ``weight`` of the given shape and an optional ``bias`` of its
    first dimension, initialised as PyTorch does (kaiming_uniform_(a=√5) weights, bias
    U(−1/√fan_in, 1/√fan_in))."""

    def _make_parameters(self, weight_shape, bias, dtype):
        dt = _dtype(dtype)
        self.weight = Parameter(np.empty(weight_shape, dtype=dt))
        if bias:
            self.bias = Parameter(np.empty(weight_shape[0], dtype=dt))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)


class Linear(_WeightAndBias):
    """y = x Wᵀ + b with ``weight`` (out_features, in_features) and ``bias`` (out_features,).

    Initialised as PyTorch: weight ~ kaiming_uniform_(a=√5), i.e. U(−1/√in, 1/√in), and
    bias ~ U(−1/√in, 1/√in). float32 unless ``dtype`` is given."""

    def __init__(self, in_features, out_features, bias=True, dtype=None):
        super().__init__()
        self.in_features = int(in_features)
        self.out_features = int(out_features)
        self._make_parameters((self.out_features, self.in_features), bias, dtype)

    def forward(self, input):
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self):
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


class Conv2d(_WeightAndBias):
    """2-D convolution (cross-correlation) over an (N, C_in, H, W) input.

    ``weight`` (out_channels, in_channels, kh, kw), ``bias`` (out_channels,); output size per
    axis ⌊(i + 2p − d(k − 1) − 1)/s⌋ + 1. ``padding`` may also be 'valid' (0) or 'same' (stride 1
    and an odd effective kernel). Initialised as PyTorch (kaiming_uniform_(a=√5) weights, bias
    U(−1/√fan_in, 1/√fan_in), fan_in = in_channels·kh·kw)."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
                 bias=True, dtype=None):
        super().__init__()
        if int(in_channels) <= 0 or int(out_channels) <= 0:
            raise ValueError(f"Conv2d: in_channels and out_channels must be positive, got "
                             f"{in_channels} and {out_channels}")
        self.in_channels = int(in_channels)
        self.out_channels = int(out_channels)
        self.kernel_size = pair(kernel_size, "kernel_size", "Conv2d", allow_zero=False)
        self.stride = pair(stride, "stride", "Conv2d", allow_zero=False)
        self.dilation = pair(dilation, "dilation", "Conv2d", allow_zero=False)
        if isinstance(padding, str):
            self.padding = F.conv._string_padding(padding, self.kernel_size, self.stride,
                                                  self.dilation)
            self.padding_mode_str = padding
        else:
            self.padding = pair(padding, "padding", "Conv2d")
            self.padding_mode_str = None
        self._make_parameters((self.out_channels, self.in_channels) + self.kernel_size, bias,
                              dtype)

    def forward(self, input):
        return F.conv2d(input, self.weight, self.bias, self.stride, self.padding,
                        self.dilation)

    def extra_repr(self):
        s = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
             f"stride={self.stride}")
        if self.padding_mode_str is not None:
            s += f", padding={self.padding_mode_str}"
        elif self.padding != (0, 0):
            s += f", padding={self.padding}"
        if self.dilation != (1, 1):
            s += f", dilation={self.dilation}"
        if self.bias is None:
            s += ", bias=False"
        return s


class _Pool2d(Module):
    """Shared bookkeeping of the pooling layers (stride defaults to kernel_size)."""

    def __init__(self, kernel_size, stride=None, padding=0):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding = padding

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxPool2d(_Pool2d):
    """Max over k×k windows (stride defaults to kernel_size; windows may overlap)."""

    def forward(self, input):
        return F.max_pool2d(input, self.kernel_size, self.stride, self.padding)


class AvgPool2d(_Pool2d):
    """Mean over k×k windows (zero padding counts in the mean, PyTorch's default)."""

    def forward(self, input):
        return F.avg_pool2d(input, self.kernel_size, self.stride, self.padding)


class Flatten(Module):
    """Flatten dimensions ``start_dim``..``end_dim`` into one (default: all but the batch)."""

    def __init__(self, start_dim=1, end_dim=-1):
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input):
        return input.flatten(self.start_dim, self.end_dim)

    def extra_repr(self):
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Expand dimension ``dim`` into ``unflattened_size``."""

    def __init__(self, dim, unflattened_size):
        super().__init__()
        self.dim = dim
        self.unflattened_size = tuple(unflattened_size)

    def forward(self, input):
        d = self.dim % input.ndim
        return input.reshape(input.shape[:d] + self.unflattened_size + input.shape[d + 1:])

    def extra_repr(self):
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"


class Dropout(Module):
    """Inverted dropout with probability ``p`` in training mode; the identity in eval mode."""

    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def forward(self, input):
        return F.dropout(input, self.p, self.training)

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"


class _BatchNorm(Module):
    _expected_dims = ()

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True,
                 track_running_stats=True, dtype=None):
        super().__init__()
        self.num_features = int(num_features)
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        dt = _dtype(dtype)
        if affine:
            self.weight = Parameter(np.ones(self.num_features, dtype=dt))
            self.bias = Parameter(np.zeros(self.num_features, dtype=dt))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if track_running_stats:
            self.register_buffer("running_mean", Tensor(np.zeros(self.num_features, dtype=dt)))
            self.register_buffer("running_var", Tensor(np.ones(self.num_features, dtype=dt)))
            self.register_buffer("num_batches_tracked", Tensor(np.array(0, dtype=np.int64)))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)

    def reset_running_stats(self):
        if self.track_running_stats:
            self.running_mean.data[...] = 0
            self.running_var.data[...] = 1
            self.num_batches_tracked.data[...] = 0

    def reset_parameters(self):
        self.reset_running_stats()
        if self.affine:
            init.ones_(self.weight)
            init.zeros_(self.bias)

    def _check_input_dim(self, input):
        if input.ndim not in self._expected_dims:
            want = " or ".join(f"{d}D" for d in self._expected_dims)
            raise ValueError(f"{type(self).__name__}: expected {want} input (got {input.ndim}D "
                             f"input of shape {tuple(input.shape)})")
        if input.shape[1] != self.num_features:
            raise ValueError(f"{type(self).__name__}: input of shape {tuple(input.shape)} has "
                             f"{input.shape[1]} channels (dimension 1) but the layer was built "
                             f"for num_features={self.num_features}")

    def forward(self, input):
        self._check_input_dim(input)
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats:
            self.num_batches_tracked.data[...] += 1
            if self.momentum is None:           # cumulative moving average
                factor = 1.0 / float(self.num_batches_tracked.data)
        use_batch_stats = self.training or (self.running_mean is None
                                            and self.running_var is None)
        track = not self.training or self.track_running_stats
        return F.batch_norm(input, self.running_mean if track else None,
                            self.running_var if track else None, self.weight, self.bias,
                            use_batch_stats, factor, self.eps)

    def extra_repr(self):
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, track_running_stats={self.track_running_stats}")


class BatchNorm1d(_BatchNorm):
    """Batch normalisation of (N, C) or (N, C, L) inputs, per channel C (see
    ``functional.batch_norm``). Buffers running_mean, running_var, num_batches_tracked."""
    _expected_dims = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Batch normalisation of (N, C, H, W) inputs, per channel C (see
    ``functional.batch_norm``). Buffers running_mean, running_var, num_batches_tracked."""
    _expected_dims = (4,)
