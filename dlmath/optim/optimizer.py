"""``Optimizer``: the base class every optimizer in ``dlmath.optim`` shares (PyTorch's design).

An optimizer holds

* ``param_groups`` — a list of dicts. Each has ``"params"`` (the parameters it updates) and the
  hyperparameters (``lr``, ``momentum``, …) for those parameters; a key a group does not set
  falls back to the constructor's value (``defaults``). Schedulers change ``group["lr"]`` in place.
* ``state`` — per-parameter memory (momentum buffers, running averages, step counts), a mapping
  keyed by the parameter object itself and created on the parameter's first update.

``step()`` applies one update to every parameter whose ``.grad`` is not ``None``: θ ← θ − (…).
The arithmetic lives in ``_kernels.py``; a subclass only says which state it keeps and which
kernel to call (``_update``).
"""
import copy
from collections.abc import MutableMapping

import numpy as np

from . import _kernels

__all__ = ["Optimizer", "required"]


class _RequiredParameter:
    """Marks a hyperparameter that has no default and must be given (PyTorch's ``required``)."""

    def __repr__(self):
        return "<required parameter>"


required = _RequiredParameter()


class _ParamState(MutableMapping):
    """``optimizer.state``: a dict keyed by parameter *identity*, creating ``{}`` on first access.

    Keying by ``id`` (and keeping a reference to the parameter so the id cannot be reused) works for
    any parameter object, whether or not it is hashable, just like PyTorch's ``defaultdict(dict)``
    keyed by tensors.
    """

    def __init__(self):
        self._items = {}                      # id(param) -> (param, state dict)

    def __getitem__(self, param):
        entry = self._items.get(id(param))
        if entry is None:
            entry = self._items[id(param)] = (param, {})
        return entry[1]

    def __setitem__(self, param, value):
        self._items[id(param)] = (param, value)

    def __delitem__(self, param):
        del self._items[id(param)]

    def __contains__(self, param):
        return id(param) in self._items

    def __iter__(self):
        return (param for param, _ in self._items.values())

    def __len__(self):
        return len(self._items)

    def __repr__(self):
        return f"<optimizer state for {len(self)} parameter(s)>"


def _copy_value(value):
    return value.copy() if isinstance(value, np.ndarray) else copy.deepcopy(value)


class Optimizer:
    """Base class: parameter groups, per-parameter state, ``step``, ``zero_grad``, state dicts.

    Parameters
    ----------
    params : iterable of parameters (objects with ``.data``, an ndarray, and ``.grad``) or of dicts
        A dict is a parameter group: ``{"params": [...], "lr": 0.1, ...}``; the keys it leaves out
        take the values in ``defaults``.
    defaults : dict
        The optimizer's hyperparameters as given to its constructor.
    """

    def __init__(self, params, defaults):
        self.defaults = dict(defaults)
        self.state = _ParamState()
        self.param_groups = []
        if _looks_like_parameter(params) or isinstance(params, (dict, np.ndarray)):
            raise TypeError(f"{type(self).__name__}: params must be an iterable of parameters or of "
                            f"dicts (parameter groups), but got a single {type(params).__name__}; "
                            "wrap it in a list: [param]")
        groups = list(params)
        if not groups:
            raise ValueError(f"{type(self).__name__}: got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    # -- groups ---------------------------------------------------------------------------------
    def add_param_group(self, param_group):
        """Add a group ``{"params": [...], hyperparameter: value, ...}``; missing keys take defaults.

        Every parameter may belong to one group only. The group's hyperparameters are checked the
        same way the constructor's are (``ValueError`` naming the argument, its value and the rule).
        """
        name = type(self).__name__
        if not isinstance(param_group, dict):
            raise TypeError(f"{name}: a parameter group must be a dict, got "
                            f"{type(param_group).__name__}")
        group = dict(param_group)
        params = group.get("params")
        if params is None:
            raise ValueError(f"{name}: a parameter group needs a 'params' entry")
        if _looks_like_parameter(params):
            params = [params]
        elif isinstance(params, (set, frozenset)):
            raise TypeError(f"{name}: parameters must be given in a fixed order (a list), not a set")
        params = list(params)
        for i, p in enumerate(params):
            if not _looks_like_parameter(p):
                raise TypeError(f"{name} can only optimize tensors (objects with .data and .grad); "
                                f"parameter {i} of the group is a {type(p).__name__}")
            if not np.issubdtype(np.asarray(p.data).dtype, np.floating):
                raise TypeError(f"{name} can only optimize floating-point parameters; parameter {i} "
                                f"of the group has dtype {np.asarray(p.data).dtype}")
            if getattr(p, "is_leaf", True) is False:
                raise ValueError(f"{name}: can't optimize a non-leaf tensor (parameter {i} of the "
                                 "group); optimize the leaf it was computed from")
        ids = [id(p) for p in params]
        if len(set(ids)) != len(ids):
            raise ValueError(f"{name}: a parameter group contains the same parameter twice")
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if seen.intersection(ids):
            raise ValueError(f"{name}: some parameters appear in more than one parameter group")
        group["params"] = params
        for key, default in self.defaults.items():
            if default is required and key not in group:
                raise ValueError(f"{name}: parameter group didn't specify a value of required "
                                 f"optimization parameter {key}")
            group.setdefault(key, default)
        self._validate_group(group)
        self.param_groups.append(group)

    def _validate_group(self, group):
        """Raise ``ValueError`` for invalid hyperparameters in ``group`` (subclasses extend)."""
        _check(self, group["lr"] >= 0, "lr", group["lr"], "the learning rate must be >= 0")
        if "weight_decay" in group:
            _check(self, group["weight_decay"] >= 0, "weight_decay", group["weight_decay"],
                   "weight decay must be >= 0")

    # -- gradients ------------------------------------------------------------------------------
    def zero_grad(self, set_to_none=True):
        """Forget the gradients: ``p.grad = None`` (default) or fill them with zeros in place."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if set_to_none:
                    p.grad = None
                else:
                    p.grad.data[...] = 0

    # -- the update -----------------------------------------------------------------------------
    def step(self, closure=None):
        """Update every parameter that has a gradient; parameters with ``.grad is None`` are skipped.

        ``closure`` (optional) re-evaluates the model and returns the loss; it is called first (with
        gradients enabled) and its value is returned, as in PyTorch.
        """
        loss = None
        if closure is not None:
            loss = _call_with_grad(closure)
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                self._step_param(p, group)
        return loss

    def _step_param(self, p, group):
        data = p.data
        if not isinstance(data, np.ndarray):
            raise TypeError(f"{type(self).__name__}: parameter .data must be a numpy.ndarray, got "
                            f"{type(data).__name__}")
        grad = np.asarray(p.grad.data if hasattr(p.grad, "data") else p.grad)
        if grad.shape != data.shape:
            raise ValueError(f"{type(self).__name__}: gradient shape {grad.shape} does not match "
                             f"parameter shape {data.shape}")
        grad = np.ascontiguousarray(grad, dtype=data.dtype).reshape(-1)
        state = self.state[p]
        if not state:
            self._init_state(state, data, group)
        # The kernels work on 1-D views; a non-contiguous parameter is updated in a copy written back.
        flat = data.reshape(-1) if data.flags.c_contiguous else data.flatten()
        kernel = getattr(_kernels, self._kernel_name + ("_numpy" if group.get("fused") is False
                                                        else "_fused"))
        self._update(kernel, flat, grad, state, group, data)
        if not data.flags.c_contiguous:
            data[...] = flat.reshape(data.shape)

    _kernel_name = None

    def _init_state(self, state, data, group):
        """Create the state of a parameter on its first update (subclasses)."""

    def _update(self, kernel, param, grad, state, group, data):
        """Call ``kernel`` on the flat parameter and gradient and the flattened state (subclasses).

        ``data`` is the parameter's array in its own shape (for creating state lazily); ``param``
        is a 1-D view of it (or a copy that is written back), ``grad`` a 1-D array of its dtype.
        """
        raise NotImplementedError

    # -- saving and restoring -------------------------------------------------------------------
    def state_dict(self):
        """The optimizer's state as plain data, in PyTorch's layout::

            {"state": {0: {"step": 3, "exp_avg": ndarray, ...}, 1: {...}},
             "param_groups": [{"lr": 0.001, ..., "params": [0, 1]}, ...]}

        Parameters are replaced by their index (counted across groups in order). Arrays are copies,
        so the dict is a snapshot that later steps do not change.
        """
        index = {}
        groups = []
        for group in self.param_groups:
            packed = {k: _copy_value(v) for k, v in group.items() if k != "params"}
            packed["params"] = [index.setdefault(id(p), len(index)) for p in group["params"]]
            groups.append(packed)
        state = {index[id(p)]: {k: _copy_value(v) for k, v in s.items()}
                 for p, s in self.state._items.values() if id(p) in index}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict):
        """Restore hyperparameters and state saved by ``state_dict()`` onto this optimizer's params.

        The saved groups must match the current ones in number and size (parameters are matched by
        position). State arrays are copied and cast to each parameter's dtype.
        """
        name = type(self).__name__
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(f"{name}.load_state_dict: the saved state has {len(saved_groups)} "
                             f"parameter group(s), this optimizer has {len(self.param_groups)}")
        for i, (saved, group) in enumerate(zip(saved_groups, self.param_groups)):
            if len(saved["params"]) != len(group["params"]):
                raise ValueError(f"{name}.load_state_dict: parameter group {i} has "
                                 f"{len(saved['params'])} parameter(s) in the saved state but "
                                 f"{len(group['params'])} here")
        by_index = {}
        for saved, group in zip(saved_groups, self.param_groups):
            by_index.update(zip(saved["params"], group["params"]))
        new_state = _ParamState()
        for key, saved_state in state_dict["state"].items():
            if key not in by_index:
                raise ValueError(f"{name}.load_state_dict: state for parameter index {key}, "
                                 "which no parameter group lists")
            p = by_index[key]
            restored = {}
            for k, v in saved_state.items():
                if isinstance(v, np.ndarray):
                    if v.shape != p.data.shape:
                        raise ValueError(f"{name}.load_state_dict: state {k!r} of parameter {key} "
                                         f"has shape {v.shape}, the parameter has {p.data.shape}")
                    v = np.array(v, dtype=p.data.dtype, order="C")
                else:
                    v = copy.deepcopy(v)
                restored[k] = v
            new_state[p] = restored
        new_groups = []
        for saved, group in zip(saved_groups, self.param_groups):
            restored = {k: copy.deepcopy(v) for k, v in saved.items() if k != "params"}
            restored["params"] = group["params"]
            new_groups.append(restored)
        self.state = new_state
        self.param_groups = new_groups

    def __repr__(self):
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {group[k]}" for k in sorted(group) if k != "params"]
        lines.append(")")
        return "\n".join(lines)


# -- helpers shared by the optimizers -----------------------------------------------------------
def _looks_like_parameter(obj):
    return hasattr(obj, "data") and hasattr(obj, "grad") and not isinstance(obj, (dict, type))


def _check(optimizer, ok, name, value, rule):
    """Raise ``ValueError("Adam: invalid eps=0; eps must be > 0")`` unless ``ok``."""
    if not ok:
        raise ValueError(f"{type(optimizer).__name__}: invalid {name}={value!r}; {rule}")


def _call_with_grad(closure):
    try:
        from ..autograd import enable_grad
    except ImportError:                        # autograd not importable: nothing to enable
        return closure()
    with enable_grad():
        return closure()
