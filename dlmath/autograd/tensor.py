"""The Tensor: an ndarray plus the history needed to differentiate through it.

Every operation below is written the same way (as in micrograd, but on arrays):

    forward:  compute ``out.data`` from the inputs' ``.data`` with NumPy;
    backward: a closure ``backward(g, out)`` that receives ∂L/∂out (a Tensor ``g`` with
              ``out``'s shape) and returns ∂L/∂input for each input (or None when that input
              does not require grad).

The backward closures are written with Tensor operations, not raw NumPy, so running them with
graph recording switched on (``create_graph=True``) builds a graph of the gradient itself:
that is how second derivatives (Hessians, Newton's method) come for free.

Broadcasting follows NumPy. When an input was broadcast in the forward pass, its gradient is
summed back over the broadcast dimensions (``_unbroadcast``), because each input element
contributed to every output element it was copied to.

Deliberate differences from PyTorch (documented so nothing surprises):
  * Python floats *and ints* become float64 tensors; an ndarray keeps its dtype.
  * ``.data`` is the underlying ``numpy.ndarray`` (PyTorch returns a Tensor there).
  * ``log``/``sqrt`` of negative numbers follow NumPy: ``nan`` plus a RuntimeWarning.

Memory sharing follows PyTorch: ``view`` always shares memory with its base (and raises when
the layout does not allow it, e.g. after ``transpose``); ``reshape`` shares when it can and
copies otherwise; ``transpose``/``permute``/``expand``/basic indexing share; ``contiguous()``
copies only a non-contiguous tensor.
"""
from collections import namedtuple

import numpy as np

from . import numerics
from .mode import _GradMode

def _plain(x):
    """The ndarray (or number) behind ``x``."""
    return x.data if isinstance(x, Tensor) else x


MaxResult = namedtuple("MaxResult", ["values", "indices"])   # like torch.return_types.max


# ----------------------------------------------------------------------------------------------
# construction helpers
# ----------------------------------------------------------------------------------------------
_NUMERIC_KINDS = "biufc"         # bool, signed/unsigned int, float, complex


def _as_array(data, dtype=None):
    """Convert ``data`` to an ndarray: Python numbers and lists → float64, arrays keep dtype.
    Like ``torch.tensor``, only numbers (bool, int, float, complex) are accepted: strings,
    bytes, None and other objects raise a TypeError naming what was found, and ragged nesting
    (rows of different lengths) a ValueError naming the lengths."""
    if isinstance(data, Tensor):
        arr = data.data
    elif isinstance(data, np.ndarray):
        arr = data
        if arr.dtype.kind not in _NUMERIC_KINDS:
            raise TypeError(f"tensor: cannot build a numeric tensor from an ndarray of dtype "
                            f"{arr.dtype}; tensors hold numbers (bool, int, float, complex)")
    else:
        try:
            arr = np.asarray(data)
        except ValueError:
            ragged = _ragged_message(data)
            if ragged is None:
                raise
            raise ValueError(ragged) from None
        if arr.dtype.kind not in _NUMERIC_KINDS:
            raise TypeError(_non_numeric_message(data)) from None
        if dtype is None and arr.dtype.kind in "iu":
            arr = arr.astype(np.float64)
    if dtype is not None:
        arr = arr.astype(dtype, copy=False)
    return arr


def _is_sequence(x):
    return isinstance(x, (list, tuple)) or (isinstance(x, (np.ndarray, Tensor)) and x.ndim > 0)


def _ragged_message(data):
    """Walk nested lists level by level; describe the first level whose rows disagree."""
    level = [data]
    for dim in range(64):
        seqs = [_is_sequence(x) for x in level]
        if not any(seqs):
            return None
        if not all(seqs):
            i = seqs.index(False)
            return (f"ragged nested sequence: at dim {dim} some entries are sequences and "
                    f"some are not (e.g. {level[i]!r} next to {level[seqs.index(True)]!r}); "
                    f"every row must have the same length")
        lengths = [len(x) for x in level]
        if len(set(lengths)) > 1:
            shown = ", ".join(map(str, lengths[:10])) + (", ..." if len(lengths) > 10 else "")
            return (f"ragged nested sequence: at dim {dim} the rows have lengths [{shown}]; "
                    f"every row must have the same length")
        level = [y for x in level for y in x]
    return None


def _non_numeric_message(data):
    """Name the first non-numeric entry of (nested) ``data`` and where it is."""
    def find(x, path):
        if _is_sequence(x) and not isinstance(x, (np.ndarray, Tensor)):
            for i, y in enumerate(x):
                hit = find(y, path + [i])
                if hit:
                    return hit
            return None
        if isinstance(x, np.ndarray) and x.dtype.kind not in _NUMERIC_KINDS:
            return path, x
        if isinstance(x, (bool, int, float, complex, np.number, np.bool_, np.ndarray, Tensor)):
            return None
        return path, x
    hit = find(data, [])
    path, bad = hit if hit else ([], data)
    where_ = "".join(f"[{i}]" for i in path)
    what = f"{type(bad).__name__} {bad!r}" if bad is not None else "None"
    if len(what) > 60:
        what = what[:57] + "..."
    at = f" at index {where_}" if where_ else ""
    return (f"tensor: cannot build a numeric tensor from {what}{at}; tensors hold numbers "
            f"(bool, int, float, complex), possibly in nested lists, or an ndarray of numbers")


def _check_float(arr, what="tensor"):
    if arr.dtype.kind not in "fc":
        raise RuntimeError(f"{what}: only floating-point tensors can require gradients, "
                           f"got dtype {arr.dtype} (convert with dtype=float64 or .double())")


def _make(data, parents, backward, op):
    """Create the output of an operation, recording history only if some input needs it."""
    if type(data) is not np.ndarray:
        data = np.asarray(data)
    out = Tensor.__new__(Tensor)
    out.data = data
    out.grad = None
    out._retain = False
    track = False
    if _GradMode.enabled:
        for p in parents:
            if p.requires_grad:
                track = True
                break
    if track:
        out.requires_grad = True
        out._parents = parents
        out._backward = backward
        out._op = op
    else:
        out.requires_grad = False
        out._parents = ()
        out._backward = None
        out._op = None
    return out


def _lift(x, like):
    """Turn the other operand of a binary op into a Tensor. A Python number takes ``like``'s
    floating dtype so that float32 tensors stay float32 (PyTorch's rule for scalars)."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, np.ndarray):
        return Tensor(x)
    if isinstance(x, (bool, int, float, np.number)) and like.data.dtype.kind == "f":
        return Tensor(np.asarray(x, dtype=like.data.dtype))
    return Tensor(_as_array(x))


def _lift_pair(a, b):
    """Make Tensors of two operands, Python numbers taking the other operand's float dtype."""
    if isinstance(a, Tensor):
        return a, _lift(b, a)
    if isinstance(b, Tensor):
        return _lift(a, b), b
    a = Tensor(_as_array(a))
    return a, _lift(b, a)


def _broadcast_error(op, a, b):
    sa, sb = tuple(a.shape), tuple(b.shape)
    n = max(len(sa), len(sb))
    pa, pb = (1,) * (n - len(sa)) + sa, (1,) * (n - len(sb)) + sb
    bad = [f"dimension {i - n}: {pa[i]} vs {pb[i]}" for i in range(n)
           if pa[i] != pb[i] and 1 not in (pa[i], pb[i])]
    return ValueError(
        f"{op}: shapes {sa} and {sb} cannot be broadcast together ({'; '.join(bad)}). Shapes are "
        f"aligned from the right; each pair of sizes must be equal or one of them must be 1")


def _binary_data(fn, a, b, op):
    try:
        return fn(a.data, b.data)
    except ValueError:
        if a.data.ndim and b.data.ndim:
            try:
                np.broadcast_shapes(a.shape, b.shape)
            except ValueError:
                raise _broadcast_error(op, a, b) from None
        raise


def _unbroadcast(g, shape):
    """Sum the gradient ``g`` back to ``shape`` (undo NumPy broadcasting). Differentiable."""
    if g.shape == shape:
        return g
    lead = g.ndim - len(shape)
    dims = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(shape)
                                      if s == 1 and g.shape[lead + i] != 1)
    if dims:
        g = g.sum(dim=dims, keepdim=True)
    return g.reshape(shape)


def _norm_dims(dim, ndim, op):
    """Normalise ``dim`` (None, int or tuple of ints, negatives allowed) to a tuple."""
    if dim is None:
        return tuple(range(ndim))
    dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
    out = []
    for d in dims:
        lo, hi = -max(ndim, 1), max(ndim, 1) - 1
        if not lo <= d <= hi:
            raise IndexError(f"{op}: dimension out of range (expected to be in range of "
                             f"[{lo}, {hi}] for a {ndim}-d tensor, but got {d})")
        out.append(int(d) % max(ndim, 1))
    return tuple(out)


def _expand_to(g, shape, dims, keepdim):
    """Broadcast a reduced gradient back to the input's ``shape`` (backward of sum/mean/max)."""
    if not keepdim:
        kept = tuple(1 if i in dims else s for i, s in enumerate(shape))
        g = g.reshape(kept)
    return g.expand(shape)


def _is_basic_index(idx):
    items = idx if isinstance(idx, tuple) else (idx,)
    return all(isinstance(i, (int, np.integer, slice)) or i is None or i is Ellipsis
               for i in items)


def _plain_index(idx):
    """Replace Tensors inside an index by their arrays."""
    if isinstance(idx, Tensor):
        return idx.data
    if isinstance(idx, tuple):
        return tuple(i.data if isinstance(i, Tensor) else i for i in idx)
    if isinstance(idx, list):
        return np.asarray(idx)
    return idx


# ----------------------------------------------------------------------------------------------
# the Tensor
# ----------------------------------------------------------------------------------------------
class Tensor:
    """An n-dimensional array that remembers how it was computed.

    ``Tensor(data, requires_grad=False, dtype=None)``; prefer ``dlmath.tensor(...)``.
    Attributes: ``data`` (ndarray), ``grad`` (Tensor or None), ``requires_grad`` (bool).
    """

    __slots__ = ("data", "grad", "requires_grad", "_parents", "_backward", "_op", "_retain")
    __array_ufunc__ = None          # make ``ndarray + Tensor`` call Tensor.__radd__

    def __init__(self, data, requires_grad=False, dtype=None):
        self.data = _as_array(data, dtype)
        if requires_grad:
            _check_float(self.data)
        self.grad = None
        self.requires_grad = bool(requires_grad)
        self._parents = ()
        self._backward = None
        self._op = None
        self._retain = False

    # ---- basic properties --------------------------------------------------------------------
    shape = property(lambda self: self.data.shape, doc="The shape, a tuple of ints.")
    ndim = property(lambda self: self.data.ndim, doc="Number of dimensions.")
    dtype = property(lambda self: self.data.dtype, doc="The NumPy dtype.")

    def dim(self):
        return self.data.ndim

    def size(self, dim=None):
        return self.data.shape if dim is None else self.data.shape[dim]

    def numel(self):
        return self.data.size

    def __len__(self):
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.data)

    @property
    def is_leaf(self):
        """True for tensors created by the user (not by an op that is being recorded)."""
        return self._backward is None

    @property
    def grad_fn(self):
        """The name of the op that produced this tensor, e.g. ``<MulBackward>``, or None."""
        return None if self._op is None else _GradFn(self._op)

    def numpy(self):
        """The underlying ndarray (shared, not copied). Like PyTorch, refuses if the tensor
        requires grad: call ``.detach().numpy()`` to say you mean to leave the graph."""
        if self.requires_grad:
            raise RuntimeError("Can't call numpy() on a Tensor that requires grad. "
                               "Use tensor.detach().numpy() instead.")
        return self.data

    def __array__(self, dtype=None, copy=None):
        arr = self.numpy()
        return arr if dtype is None else arr.astype(dtype)

    def item(self):
        if self.data.size != 1:
            raise ValueError(f"item(): only a one-element tensor can be converted to a Python "
                             f"number, this one has shape {self.shape} ({self.data.size} elements)")
        return self.data.reshape(()).item()

    def tolist(self):
        return self.data.tolist()

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __bool__(self):
        if self.data.size != 1:
            raise RuntimeError(f"Boolean value of a tensor with {self.data.size} elements is "
                               f"ambiguous (use .any() or .all())")
        return bool(self.data.reshape(()))

    def __hash__(self):
        return id(self)

    def __repr__(self):
        body = np.array2string(self.data, separator=", ", prefix="tensor(", precision=4)
        extra = ""
        if self.data.dtype != np.float64:
            extra += f", dtype={self.data.dtype}"
        if self._op is not None:
            extra += f", grad_fn=<{self._op}Backward>"
        elif self.requires_grad:
            extra += ", requires_grad=True"
        return f"tensor({body}{extra})"

    # ---- graph utilities ---------------------------------------------------------------------
    def detach(self):
        """A tensor sharing the same data but cut from the graph (requires_grad=False)."""
        return Tensor(self.data)

    def requires_grad_(self, requires_grad=True):
        if requires_grad:
            _check_float(self.data)
        self.requires_grad = bool(requires_grad)
        return self

    def retain_grad(self):
        """Ask backward() to also store ``.grad`` on this non-leaf tensor."""
        self._retain = True
        return self

    def zero_grad(self, set_to_none=True):
        """Forget the accumulated gradient. (PyTorch tensors spell this ``x.grad = None``.)"""
        if set_to_none or self.grad is None:
            self.grad = None
        else:
            self.grad = Tensor(np.zeros_like(self.data))
        return self

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Accumulate d(self)/d(leaf) into every leaf's ``.grad`` (see ``engine.backward``)."""
        from .engine import backward
        backward(self, gradient, retain_graph=retain_graph, create_graph=create_graph,
                 inputs=inputs)

    # ---- in-place helpers (never recorded) ---------------------------------------------------
    def zero_(self):
        self._check_inplace("zero_")
        self.data[...] = 0
        return self

    def __setitem__(self, idx, value):
        self._check_inplace("item assignment")
        self.data[_plain_index(idx)] = value.data if isinstance(value, Tensor) else value

    def add_(self, other, alpha=1):
        """self ← self + alpha·other, in place (never recorded): ``p.add_(p.grad, alpha=-lr)``."""
        self._check_inplace("add_")
        return self._update(np.add, other if alpha == 1 else _plain(other) * alpha, "add_")

    def sub_(self, other, alpha=1):
        """self ← self − alpha·other, in place (never recorded)."""
        self._check_inplace("sub_")
        return self._update(np.subtract, other if alpha == 1 else _plain(other) * alpha, "sub_")

    def mul_(self, other):
        """self ← self · other, in place (never recorded)."""
        self._check_inplace("mul_")
        return self._update(np.multiply, other, "mul_")

    def div_(self, other):
        """self ← self / other, in place (never recorded)."""
        self._check_inplace("div_")
        return self._update(np.true_divide, other, "div_")

    def copy_(self, src):
        """Overwrite self's values with ``src`` (broadcast to self's shape), in place."""
        self._check_inplace("copy_")
        return self._update(lambda a, b, out, casting: np.copyto(out, b, casting=casting) or out,
                            src, "copy_")

    # ``p -= lr * p.grad`` inside ``no_grad`` changes p itself, as in PyTorch, so p stays the
    # leaf the optimizer and the next backward() know. With gradients recorded, a leaf that
    # requires grad refuses (PyTorch does too); an intermediate result (``loss += term``) gets
    # the out-of-place value, which is what the autograd graph needs.
    def __iadd__(self, other):
        return self._augmented(np.add, other, "+=", Tensor.__add__)

    def __isub__(self, other):
        return self._augmented(np.subtract, other, "-=", Tensor.__sub__)

    def __imul__(self, other):
        return self._augmented(np.multiply, other, "*=", Tensor.__mul__)

    def __itruediv__(self, other):
        return self._augmented(np.true_divide, other, "/=", Tensor.__truediv__)

    def _augmented(self, ufunc, other, symbol, out_of_place):
        if _GradMode.enabled and (self.requires_grad or
                                  (isinstance(other, Tensor) and other.requires_grad)):
            if self.is_leaf and self.requires_grad:
                raise RuntimeError(
                    f"x {symbol} …: x is a leaf tensor that requires grad, and changing it in "
                    f"place while gradients are recorded would lose its history (PyTorch refuses "
                    f"this too). Update parameters inside `with dlmath.no_grad():`.")
            return out_of_place(self, other)
        return self._update(ufunc, other, symbol)

    def _update(self, ufunc, other, what):
        value = _plain(other)
        shape = np.shape(value)
        try:
            target = np.broadcast_shapes(self.data.shape, shape)
        except ValueError:
            target = None
        if target != self.data.shape:
            raise ValueError(f"{what}: an in-place update keeps the tensor's shape "
                             f"{tuple(self.data.shape)}, but the other operand has shape "
                             f"{tuple(shape)}, which does not broadcast to it")
        try:
            ufunc(self.data, value, out=self.data, casting="same_kind")
        except TypeError as err:
            raise TypeError(f"{what}: cannot store a {np.result_type(value)} result in this "
                            f"{self.data.dtype} tensor in place ({err})") from None
        return self

    def _check_inplace(self, what):
        if self.requires_grad and _GradMode.enabled:
            raise RuntimeError(
                f"{what}: in-place changes to a tensor that requires grad are not recorded by "
                f"dlmath's autograd. Do it inside `with dlmath.no_grad():`, or build a new tensor "
                f"(e.g. with dlmath.where or dlmath.cat) instead.")

    # ---- dtype ------------------------------------------------------------------------------
    def to(self, dtype):
        """Cast to ``dtype`` (differentiable: the gradient is cast back)."""
        dtype = np.dtype(dtype)
        if dtype == self.data.dtype:
            return self
        src = self.data.dtype

        def backward(g, out):
            return (g.to(src),)
        return _make(self.data.astype(dtype), (self,), backward, "To")

    def float(self):
        return self.to(np.float32)

    def double(self):
        return self.to(np.float64)

    def clone(self):
        def backward(g, out):
            return (g,)
        return _make(self.data.copy(), (self,), backward, "Clone")

    # ---- arithmetic -------------------------------------------------------------------------
    def __add__(self, other):
        a, b = self, _lift(other, self)

        def backward(g, out):
            return (_unbroadcast(g, a.shape) if a.requires_grad else None,
                    _unbroadcast(g, b.shape) if b.requires_grad else None)
        return _make(_binary_data(np.add, a, b, "add"), (a, b), backward, "Add")

    def __sub__(self, other):
        a, b = self, _lift(other, self)

        def backward(g, out):
            return (_unbroadcast(g, a.shape) if a.requires_grad else None,
                    _unbroadcast(-g, b.shape) if b.requires_grad else None)
        return _make(_binary_data(np.subtract, a, b, "sub"), (a, b), backward, "Sub")

    def __mul__(self, other):
        a, b = self, _lift(other, self)

        def backward(g, out):
            return (_unbroadcast(g * b, a.shape) if a.requires_grad else None,
                    _unbroadcast(g * a, b.shape) if b.requires_grad else None)
        return _make(_binary_data(np.multiply, a, b, "mul"), (a, b), backward, "Mul")

    def __truediv__(self, other):
        a, b = self, _lift(other, self)

        def backward(g, out):
            return (_unbroadcast(g / b, a.shape) if a.requires_grad else None,
                    _unbroadcast(-g * a / (b * b), b.shape) if b.requires_grad else None)
        return _make(_binary_data(np.true_divide, a, b, "div"), (a, b), backward, "Div")

    def __pow__(self, exponent):
        """``a ** p``. d/da = p·a^(p−1); for a tensor exponent also d/dp = a^p · ln a."""
        a = self
        if isinstance(exponent, (int, float, np.number)) and not isinstance(exponent, bool):
            p = exponent

            def backward(g, out):
                if p == 0:
                    return (g * 0.0,)
                return (g * p * a ** (p - 1),)
            return _make(a.data ** _lift(p, a).data, (a,), backward, "Pow")
        b = _lift(exponent, a)

        def backward(g, out):
            ga = _unbroadcast(g * b * a ** (b - 1.0), a.shape) if a.requires_grad else None
            gb = None
            if b.requires_grad:
                # 0^p has derivative 0 w.r.t. p (PyTorch's convention), not 0·log 0 = nan
                safe = where(a.data == 0, 1.0, a)
                gb = _unbroadcast(where(a.data == 0, 0.0, g * out * safe.log()), b.shape)
            return ga, gb
        return _make(_binary_data(np.power, a, b, "pow"), (a, b), backward, "Pow")

    def __neg__(self):
        def backward(g, out):
            return (-g,)
        return _make(-self.data, (self,), backward, "Neg")

    def __pos__(self):
        return self

    def __radd__(self, other):
        return _lift(other, self).__add__(self)

    def __rsub__(self, other):
        return _lift(other, self).__sub__(self)

    def __rmul__(self, other):
        return _lift(other, self).__mul__(self)

    def __rtruediv__(self, other):
        return _lift(other, self).__truediv__(self)

    def __rpow__(self, other):
        return _lift(other, self).__pow__(self)

    def __matmul__(self, other):
        return matmul(self, other)

    def __rmatmul__(self, other):
        return matmul(_lift(other, self), self)

    # comparisons give boolean tensors without history, as in PyTorch
    def _compare(self, other, fn):
        o = other.data if isinstance(other, Tensor) else other
        return Tensor(fn(self.data, o))

    def __lt__(self, other):
        return self._compare(other, np.less)

    def __le__(self, other):
        return self._compare(other, np.less_equal)

    def __gt__(self, other):
        return self._compare(other, np.greater)

    def __ge__(self, other):
        return self._compare(other, np.greater_equal)

    def __eq__(self, other):
        return self._compare(other, np.equal)

    def __ne__(self, other):
        return self._compare(other, np.not_equal)

    def any(self):
        return Tensor(np.any(self.data))

    def all(self):
        return Tensor(np.all(self.data))

    # ---- elementwise functions --------------------------------------------------------------
    def exp(self):
        """d/dx eˣ = eˣ (reuses the output)."""
        def backward(g, out):
            return (g * out,)
        return _make(np.exp(self.data), (self,), backward, "Exp")

    def log(self):
        """Natural log; d/dx ln x = 1/x. Negative inputs give nan with NumPy's RuntimeWarning,
        zero gives -inf (NumPy semantics; nothing is clamped)."""
        a = self

        def backward(g, out):
            return (g / a,)
        return _make(np.log(a.data), (a,), backward, "Log")

    def log1p(self):
        """log(1 + x), accurate also for tiny x (where 1 + x would round to 1, log1p(1e-20) =
        1e-20); d/dx log(1 + x) = 1/(1 + x)."""
        a = self

        def backward(g, out):
            return (g / (1.0 + a),)
        return _make(np.log1p(a.data), (a,), backward, "Log1p")

    def expm1(self):
        """eˣ − 1, accurate also for tiny x (expm1(1e-20) = 1e-20, where exp(x) − 1 gives 0);
        d/dx = eˣ."""
        a = self

        def backward(g, out):
            return (g * a.exp(),)
        return _make(np.expm1(a.data), (a,), backward, "Expm1")

    def sqrt(self):
        """d/dx √x = 1/(2√x)."""
        def backward(g, out):
            return (g / (2.0 * out),)
        return _make(np.sqrt(self.data), (self,), backward, "Sqrt")

    def sin(self):
        """d/dx sin x = cos x."""
        a = self

        def backward(g, out):
            return (g * a.cos(),)
        return _make(np.sin(a.data), (a,), backward, "Sin")

    def cos(self):
        """d/dx cos x = −sin x."""
        a = self

        def backward(g, out):
            return (-g * a.sin(),)
        return _make(np.cos(a.data), (a,), backward, "Cos")

    def abs(self):
        """d/dx |x| = sign(x) (0 at 0, as PyTorch)."""
        a = self

        def backward(g, out):
            return (g * np.sign(a.data),)
        return _make(np.abs(a.data), (a,), backward, "Abs")

    def sign(self):
        return Tensor(np.sign(self.data))

    def tanh(self):
        """d/dx tanh x = 1 − tanh² x, evaluated as sech² x = 4σ(2x)σ(−2x): 1 − tanh² would be
        exactly 0 for |x| > 19 in float64 (tanh rounds to ±1), sech² keeps every digit."""
        a = self

        def backward(g, out):
            if _GradMode.enabled:                    # create_graph: keep it differentiable
                two_a = 2.0 * a
                return (g * 4.0 * two_a.sigmoid() * (-two_a).sigmoid(),)
            return (g * Tensor(numerics.tanh_grad(a.data)),)
        return _make(np.tanh(a.data), (a,), backward, "Tanh")

    def sigmoid(self):
        """σ(x) = 1/(1 + e^(−x)), evaluated in two branches (``numerics.sigmoid``):
        1/(1 + e^(−x)) for x ≥ 0 and eˣ/(1 + eˣ) for x < 0, so nothing overflows and
        σ(−40) = 4.2e-18 keeps full relative precision (½(1 + tanh(x/2)) would give 0).
        σ′ = σ(x)·σ(−x), not σ(1 − σ), which would be 0 once σ rounds to 1 (x > 37)."""
        a = self

        def backward(g, out):
            if _GradMode.enabled:                    # create_graph: keep it differentiable
                return (g * out * (-a).sigmoid(),)
            return (g * Tensor(numerics.sigmoid_grad(a.data)),)
        return _make(numerics.sigmoid(a.data), (a,), backward, "Sigmoid")

    def relu(self):
        """max(x, 0); the derivative is 1 for x > 0 and 0 otherwise (0 at x = 0, as PyTorch)."""
        a = self

        def backward(g, out):
            return (g * (a.data > 0).astype(a.data.dtype),)
        return _make(np.maximum(a.data, 0), (a,), backward, "Relu")

    def clamp(self, min=None, max=None):
        """Clip to [min, max]; the gradient passes where min ≤ x ≤ max, else 0 (as PyTorch)."""
        if min is None and max is None:
            raise ValueError("clamp: at least one of min and max must be given")
        a = self
        lo = -np.inf if min is None else min
        hi = np.inf if max is None else max

        def backward(g, out):
            return (g * ((a.data >= lo) & (a.data <= hi)).astype(a.data.dtype),)
        return _make(np.clip(a.data, lo, hi).astype(a.data.dtype, copy=False), (a,), backward,
                     "Clamp")

    clip = clamp

    def maximum(self, other):
        return maximum(self, other)

    def minimum(self, other):
        return minimum(self, other)

    # ---- reductions -------------------------------------------------------------------------
    def sum(self, dim=None, keepdim=False):
        """Σ over ``dim`` (all dims if None). Backward: copy g back to every summed element."""
        a = self
        dims = _norm_dims(dim, a.ndim, "sum")

        def backward(g, out):
            return (_expand_to(g, a.shape, dims, keepdim),)
        return _make(a.data.sum(axis=dims, keepdims=keepdim), (a,), backward, "Sum")

    def mean(self, dim=None, keepdim=False):
        """Σ/n over ``dim``."""
        dims = _norm_dims(dim, self.ndim, "mean")
        n = int(np.prod([self.shape[d] for d in dims])) if self.ndim else 1
        return self.sum(dim=dims, keepdim=keepdim) / n

    def var(self, dim=None, unbiased=None, keepdim=False, correction=None):
        """Σ(x − x̄)²/(n − correction); correction=1 (Bessel) by default, as PyTorch.
        ``unbiased=False`` is the same as ``correction=0``."""
        if correction is None:
            correction = 0 if unbiased is False else 1
        dims = _norm_dims(dim, self.ndim, "var")
        n = int(np.prod([self.shape[d] for d in dims])) if self.ndim else 1
        centred = self - self.mean(dim=dims, keepdim=True)
        return (centred * centred).sum(dim=dims, keepdim=keepdim) / max(n - correction, 0)

    def std(self, dim=None, unbiased=None, keepdim=False, correction=None):
        return self.var(dim, unbiased, keepdim, correction).sqrt()

    def _reduce_extreme(self, dim, keepdim, fn, argfn, name):
        a = self
        if dim is None:
            value = fn(a.data)
            # the gradient is shared evenly between tied extremes (PyTorch's rule for max())
            tie = (a.data == value)
            mask = tie / tie.sum()

            def backward(g, out):
                return (g * mask.astype(a.data.dtype),)
            return _make(np.asarray(value), (a,), backward, name)
        (d,) = _norm_dims(dim, a.ndim, name.lower())
        idx = np.expand_dims(argfn(a.data, axis=d), d)
        values = np.take_along_axis(a.data, idx, axis=d)
        onehot = np.zeros_like(a.data)
        np.put_along_axis(onehot, idx, 1, axis=d)

        def backward(g, out):
            return (_expand_to(g, a.shape, (d,), keepdim) * onehot,)
        if not keepdim:
            values, idx = values.squeeze(d), idx.squeeze(d)
        return MaxResult(_make(values, (a,), backward, name), Tensor(idx))

    def max(self, dim=None, keepdim=False):
        """Largest element; with ``dim`` returns ``(values, indices)`` like PyTorch.
        Gradient: to the (first) arg-max along ``dim``; split evenly among ties when
        ``dim`` is None."""
        return self._reduce_extreme(dim, keepdim, np.max, np.argmax, "Max")

    def min(self, dim=None, keepdim=False):
        """Smallest element; see ``max``."""
        return self._reduce_extreme(dim, keepdim, np.min, np.argmin, "Min")

    def argmax(self, dim=None, keepdim=False):
        if dim is None:
            return Tensor(np.asarray(np.argmax(self.data)))
        return self.max(dim, keepdim).indices

    def argmin(self, dim=None, keepdim=False):
        if dim is None:
            return Tensor(np.asarray(np.argmin(self.data)))
        return self.min(dim, keepdim).indices

    def logsumexp(self, dim, keepdim=False):
        """log Σ exp(x) along ``dim``, computed as m + log1p(Σ_{j≠argmax} e^(x_j − m)),
        m = max(x) (``numerics.log_sum_exp``): no overflow, and full relative precision even
        when the result is tiny. Backward: g·softmax(x) (``numerics.softmax``)."""
        a = self
        dims = _norm_dims(dim, a.ndim, "logsumexp")
        kept = tuple(1 if i in dims else s for i, s in enumerate(a.shape))
        x = a.data
        if len(dims) > 1:              # several dims: move them to the end and merge them
            rest = [i for i in range(a.ndim) if i not in dims]
            x = np.transpose(x, rest + list(dims)).reshape([a.shape[i] for i in rest] + [-1])
        data = numerics.log_sum_exp(x, -1 if len(dims) > 1 else dims[0]).reshape(kept)

        def backward(g, out):
            g = g if keepdim else g.reshape(kept)
            if _GradMode.enabled:              # create_graph: softmax with Tensor ops
                m = np.max(a.data, axis=dims, keepdims=True)
                e = (a - Tensor(np.where(np.isfinite(m), m, 0))).exp()
                return (g * e / e.sum(dim=dims, keepdim=True),)
            return (g * Tensor(numerics.softmax(a.data, dims)),)
        if not keepdim:
            data = data.reshape(tuple(s for i, s in enumerate(a.shape) if i not in dims))
        return _make(data, (a,), backward, "Logsumexp")

    # ---- shape ------------------------------------------------------------------------------
    def reshape(self, *shape):
        """Same elements, new shape (one entry may be −1). Like PyTorch (and NumPy) the result
        shares memory with ``self`` when the new shape can be laid over the same memory, and is
        a copy otherwise (e.g. after a transpose); use ``view`` when you need the sharing."""
        return self._reshaped(shape, "reshape")

    def view(self, *shape):
        """Same elements, new shape, and *always* the same memory: writing into the view (under
        ``no_grad``) changes ``self`` and vice versa. Like PyTorch, a tensor whose memory is not
        laid out compatibly with the new shape (typically after ``transpose``/``permute``/``.T``)
        raises a RuntimeError instead of silently copying: use ``reshape`` (which may copy) or
        ``.contiguous().view(...)``."""
        return self._reshaped(shape, "view")

    def _reshaped(self, shape, op):
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        a = self
        try:
            data = np.reshape(a.data, shape, copy=False if op == "view" else None)
        except ValueError:
            try:
                data = np.reshape(a.data, shape)       # the shape itself is fine: a copy is needed
            except ValueError:
                raise ValueError(f"{op}: cannot reshape a tensor of shape {a.shape} "
                                 f"({a.data.size} elements) into shape {tuple(shape)}") from None
            raise RuntimeError(
                f"view size is not compatible with input tensor's size and stride (at least one "
                f"dimension spans across two contiguous subspaces): this tensor of shape "
                f"{a.shape} is not contiguous in a way that lets shape {tuple(shape)} share its "
                f"memory (was it transposed or permuted?). Use .reshape(...) instead, which "
                f"copies when it must.") from None

        def backward(g, out):
            return (g.reshape(a.shape),)
        return _make(data, (a,), backward, "View" if op == "view" else "Reshape")

    def is_contiguous(self):
        """True when the elements lie in memory in row-major (C) order with no gaps, i.e. every
        ``view`` of it is possible. ``transpose``, ``permute``, ``.T`` and step slices give
        non-contiguous tensors that share memory with the original."""
        return bool(self.data.flags.c_contiguous)

    def contiguous(self):
        """``self`` if it is contiguous, otherwise a contiguous copy (differentiable)."""
        if self.is_contiguous():
            return self
        a = self

        def backward(g, out):
            return (g,)
        return _make(np.ascontiguousarray(a.data), (a,), backward, "Contiguous")

    def flatten(self, start_dim=0, end_dim=-1):
        if self.ndim == 0:
            return self.reshape(1)
        s, e = _norm_dims((start_dim, end_dim), self.ndim, "flatten")
        shape = self.shape[:s] + (int(np.prod(self.shape[s:e + 1])),) + self.shape[e + 1:]
        return self.reshape(shape)

    def unsqueeze(self, dim):
        (d,) = _norm_dims(dim, self.ndim + 1, "unsqueeze")
        return self.reshape(self.shape[:d] + (1,) + self.shape[d:])

    def squeeze(self, dim=None):
        if dim is None:
            return self.reshape(tuple(s for s in self.shape if s != 1))
        dims = _norm_dims(dim, self.ndim, "squeeze")
        return self.reshape(tuple(s for i, s in enumerate(self.shape)
                                  if not (i in dims and s == 1)))

    def expand(self, *shape):
        """Broadcast to ``shape`` without copying; backward sums over the broadcast dims."""
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        a = self
        try:
            data = np.broadcast_to(a.data, shape)
        except ValueError:
            raise ValueError(f"expand: a tensor of shape {a.shape} cannot be expanded to "
                             f"{tuple(shape)} (only size-1 dimensions can grow)") from None

        def backward(g, out):
            return (_unbroadcast(g, a.shape),)
        return _make(data, (a,), backward, "Expand")

    def transpose(self, dim0, dim1):
        """Swap two dimensions."""
        a = self
        d0, d1 = _norm_dims((dim0, dim1), a.ndim, "transpose")

        def backward(g, out):
            return (g.transpose(d0, d1),)
        return _make(np.swapaxes(a.data, d0, d1), (a,), backward, "Transpose")

    def permute(self, *dims):
        """Reorder dimensions: out.shape[i] = self.shape[dims[i]]."""
        if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
            dims = tuple(dims[0])
        a = self
        norm = _norm_dims(dims, a.ndim, "permute")
        if sorted(norm) != list(range(a.ndim)):
            raise ValueError(f"permute: dims {dims} are not a permutation of the "
                             f"{a.ndim} dimensions of a tensor of shape {a.shape}")
        inverse = tuple(np.argsort(norm))

        def backward(g, out):
            return (g.permute(inverse),)
        return _make(np.transpose(a.data, norm), (a,), backward, "Permute")

    @property
    def T(self):
        """All dimensions reversed (the usual transpose for a matrix)."""
        return self.permute(tuple(reversed(range(self.ndim))))

    def __getitem__(self, idx):
        """Indexing with ints, slices, None, ..., integer arrays and boolean masks (NumPy
        rules). Backward scatters g back into a zero tensor, *adding* at repeated indices."""
        a = self
        idx = _plain_index(idx)
        try:
            data = a.data[idx]
        except IndexError as e:
            raise IndexError(f"index {idx!r} is invalid for a tensor of shape {a.shape}: {e}") \
                from None

        def backward(g, out):
            return (_index_add(g, idx, a.shape),)
        return _make(data, (a,), backward, "Index")

    def __iter__(self):
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self.shape[0]))

    # ---- method forms of module-level functions --------------------------------------------
    def matmul(self, other):
        return matmul(self, other)


class _GradFn:
    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name + "Backward"

    def __repr__(self):
        return f"<{self.name}>"


# ----------------------------------------------------------------------------------------------
# operations on several tensors
# ----------------------------------------------------------------------------------------------
def _index_add(g, idx, shape):
    """zeros(shape) with g added at ``idx`` — the backward of indexing (itself differentiable:
    its backward is indexing again)."""
    z = np.zeros(shape, dtype=g.data.dtype)
    if _is_basic_index(idx):
        z[idx] = g.data                  # basic indexing never repeats an element
    else:
        np.add.at(z, idx, g.data)        # integer arrays may repeat: contributions add up

    def backward(gg, out):
        return (gg[idx],)
    return _make(z, (g,), backward, "IndexAdd")


def matmul(a, b):
    """Matrix product with NumPy's rules: 1-D·1-D is a dot product, a 1-D operand is promoted
    to a row (left) or column (right) and the added dimension removed again, and leading
    dimensions broadcast as a batch. For 2-D:  Z = A B,  ∂L/∂A = G Bᵀ,  ∂L/∂B = Aᵀ G."""
    a = a if isinstance(a, Tensor) else Tensor(a)
    b = _lift(b, a)
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError(f"matmul: both operands need at least 1 dimension, got shapes "
                         f"{a.shape} and {b.shape} (use * for scaling by a scalar)")
    ka = a.shape[-1]
    kb = b.shape[0] if b.ndim == 1 else b.shape[-2]
    if ka != kb:
        which = "only" if b.ndim == 1 else "second-to-last"
        raise ValueError(
            f"matmul: shapes {a.shape} @ {b.shape} do not fit: the left operand's last "
            f"dimension is {ka} but the right operand's {which} dimension is {kb} "
            f"((m×n)@(n×p) needs the two n's equal)")
    try:
        data = np.matmul(a.data, b.data)
    except ValueError:
        raise ValueError(f"matmul: the batch dimensions of {a.shape} and {b.shape} cannot be "
                         f"broadcast together ({a.shape[:-2]} vs {b.shape[:-2]})") from None

    def backward(g, out):
        a2 = a.reshape(1, ka) if a.ndim == 1 else a
        b2 = b.reshape(kb, 1) if b.ndim == 1 else b
        if a.ndim == 1:
            g = g.unsqueeze(-2 if b.ndim > 1 else 0)
        if b.ndim == 1:
            g = g.unsqueeze(-1)
        ga = gb = None
        if a.requires_grad:
            ga = _unbroadcast(matmul(g, b2.transpose(-1, -2)), a2.shape).reshape(a.shape)
        if b.requires_grad:
            gb = _unbroadcast(matmul(a2.transpose(-1, -2), g), b2.shape).reshape(b.shape)
        return ga, gb
    return _make(data, (a, b), backward, "Matmul")


def where(condition, x, y):
    """Elementwise ``x if condition else y``; the gradient flows to the chosen branch."""
    cond = condition.data if isinstance(condition, Tensor) else np.asarray(condition)
    cond = cond.astype(bool, copy=False)
    x, y = _lift_pair(x, y)
    try:
        data = np.where(cond, x.data, y.data)
    except ValueError:
        raise ValueError(f"where: condition {cond.shape}, x {x.shape} and y {y.shape} cannot be "
                         f"broadcast together") from None

    def backward(g, out):
        return (_unbroadcast(where(cond, g, 0.0), x.shape) if x.requires_grad else None,
                _unbroadcast(where(cond, 0.0, g), y.shape) if y.requires_grad else None)
    return _make(data, (x, y), backward, "Where")


def _extreme_pair(a, b, pick, name):
    a, b = _lift_pair(a, b)
    data = _binary_data(pick, a, b, name.lower())

    def backward(g, out):
        # the winner gets the gradient; a tie splits it in half (PyTorch's rule)
        wins = pick(a.data, b.data) == a.data
        tie = a.data == b.data
        wa = (wins & ~tie) + 0.5 * tie
        wa = wa.astype(out.data.dtype)
        return (_unbroadcast(g * wa, a.shape) if a.requires_grad else None,
                _unbroadcast(g * (1.0 - wa), b.shape) if b.requires_grad else None)
    return _make(data, (a, b), backward, name)


def maximum(a, b):
    """Elementwise max(a, b); ties split the gradient evenly."""
    return _extreme_pair(a, b, np.maximum, "Maximum")


def minimum(a, b):
    """Elementwise min(a, b); ties split the gradient evenly."""
    return _extreme_pair(a, b, np.minimum, "Minimum")


def cat(tensors, dim=0):
    """Concatenate along ``dim``; backward slices g back into the pieces."""
    tensors = [t if isinstance(t, Tensor) else Tensor(t) for t in tensors]
    if not tensors:
        raise ValueError("cat: expected a non-empty list of tensors")
    (d,) = _norm_dims(dim, tensors[0].ndim, "cat")
    try:
        data = np.concatenate([t.data for t in tensors], axis=d)
    except ValueError:
        raise ValueError(f"cat: all shapes must match except in dimension {dim}; got "
                         f"{[t.shape for t in tensors]}") from None
    bounds = np.cumsum([0] + [t.shape[d] for t in tensors])

    def backward(g, out):
        lead = (slice(None),) * d
        return tuple(g[lead + (slice(int(s), int(e)),)] if t.requires_grad else None
                     for t, s, e in zip(tensors, bounds[:-1], bounds[1:]))
    return _make(data, tuple(tensors), backward, "Cat")


def stack(tensors, dim=0):
    """Stack equally shaped tensors along a new dimension ``dim``."""
    tensors = [t if isinstance(t, Tensor) else Tensor(t) for t in tensors]
    if not tensors:
        raise ValueError("stack: expected a non-empty list of tensors")
    shapes = {t.shape for t in tensors}
    if len(shapes) > 1:
        raise ValueError(f"stack: every tensor must have the same shape; got "
                         f"{[t.shape for t in tensors]}")
    (d,) = _norm_dims(dim, tensors[0].ndim + 1, "stack")
    data = np.stack([t.data for t in tensors], axis=d)

    def backward(g, out):
        lead = (slice(None),) * d
        return tuple(g[lead + (i,)] if t.requires_grad else None for i, t in enumerate(tensors))
    return _make(data, tuple(tensors), backward, "Stack")
