"""Parameter: a Tensor that a Module registers as learnable."""
import numpy as np

from ..autograd.tensor import Tensor, _as_array


class Parameter(Tensor):
    """A Tensor with ``requires_grad=True`` that, when assigned as an attribute of a ``Module``,
    is registered in its ``parameters()``.

    ``Parameter(data=None, requires_grad=True)``. ``data`` may be a Tensor (its array is shared,
    not copied, as in PyTorch), an ndarray (kept with its dtype) or nested lists/numbers
    (float64, dlmath's rule for Python numbers). Operations on a Parameter return plain Tensors.
    """

    __slots__ = ()

    def __init__(self, data=None, requires_grad=True):
        if data is None:
            data = np.empty(0, dtype=np.float32)
        super().__init__(_as_array(data), requires_grad=requires_grad)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    def __reduce_ex__(self, protocol):
        return (Parameter, (self.data, self.requires_grad))
