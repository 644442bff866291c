"""The linear (fully connected) layer as one fused op."""
from ...autograd.tensor import _make
from ._utils import as_tensor, const, recording

__all__ = ["linear"]


def linear(input, weight, bias=None):
    """y = x Wᵀ + b, with ``weight`` of shape (out_features, in_features) as in PyTorch and
    ``input`` of shape (..., in_features).

    One op instead of transpose → matmul → add (less bookkeeping per step). Backward, with the
    leading dimensions of x and g flattened into rows:
        ∂L/∂x = g W,   ∂L/∂W = gᵀ x,   ∂L/∂b = Σ_rows g."""
    x = as_tensor(input)
    w = as_tensor(weight)
    if w.ndim != 2:
        raise ValueError(f"linear: weight must be 2-D (out_features, in_features), got shape "
                         f"{w.shape}")
    n_out, n_in = w.shape
    if x.ndim == 0 or x.shape[-1] != n_in:
        raise ValueError(f"linear: input of shape {x.shape} has {x.shape[-1] if x.ndim else 0} "
                         f"features in its last dimension but weight of shape {w.shape} "
                         f"expects in_features={n_in} (weight is (out_features, in_features))")
    data = x.data @ w.data.T
    if bias is not None:
        b = as_tensor(bias)
        if b.shape != (n_out,):
            raise ValueError(f"linear: bias must have shape ({n_out},) to match weight {w.shape}, "
                             f"got {b.shape}")
        data += b.data
        parents = (x, w, b)
    else:
        b = None
        parents = (x, w)

    def backward(g, out):
        gx = gw = gb = None
        if recording():
            if x.requires_grad:
                gx = g.matmul(w)
            g2 = g.reshape(-1, n_out)
            if w.requires_grad:
                gw = g2.T.matmul(x.reshape(-1, n_in))
            if b is not None and b.requires_grad:
                gb = g2.sum(dim=0)
        else:
            gd = g.data
            if x.requires_grad:
                gx = const(gd @ w.data)
            g2 = gd.reshape(-1, n_out)
            if w.requires_grad:
                gw = const(g2.T @ x.data.reshape(-1, n_in))
            if b is not None and b.requires_grad:
                gb = const(g2.sum(axis=0))
        return (gx, gw) if b is None else (gx, gw, gb)
    return _make(data, parents, backward, "Linear")

