"""Function forms of the Tensor methods (``dlmath.exp(x)`` as ``torch.exp(x)``)."""
from .tensor import Tensor, _as_array


def _t(x):
    return x if isinstance(x, Tensor) else Tensor(_as_array(x))


def exp(x):
    return _t(x).exp()


def log(x):
    return _t(x).log()


def log1p(x):
    return _t(x).log1p()


def expm1(x):
    return _t(x).expm1()


def sqrt(x):
    return _t(x).sqrt()


def sin(x):
    return _t(x).sin()


def cos(x):
    return _t(x).cos()


def abs(x):
    return _t(x).abs()


def tanh(x):
    return _t(x).tanh()


def sigmoid(x):
    return _t(x).sigmoid()


def relu(x):
    return _t(x).relu()


def clamp(x, min=None, max=None):
    return _t(x).clamp(min, max)


clip = clamp


def sum(x, dim=None, keepdim=False):
    return _t(x).sum(dim, keepdim)


def mean(x, dim=None, keepdim=False):
    return _t(x).mean(dim, keepdim)


def var(x, dim=None, unbiased=None, keepdim=False, correction=None):
    return _t(x).var(dim, unbiased, keepdim, correction)


def max(x, dim=None, keepdim=False):
    return _t(x).max(dim, keepdim)


def min(x, dim=None, keepdim=False):
    return _t(x).min(dim, keepdim)


def logsumexp(x, dim, keepdim=False):
    return _t(x).logsumexp(dim, keepdim)


def reshape(x, *shape):
    return _t(x).reshape(*shape)


def transpose(x, dim0, dim1):
    return _t(x).transpose(dim0, dim1)


def permute(x, *dims):
    return _t(x).permute(*dims)
