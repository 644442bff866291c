"""Optimizer steps: dlmath's fused Numba kernels vs the same update in NumPy vs torch.optim.

One ``optimizer.step()`` on a single float32 parameter of n elements (its gradient already set),
so the numbers include each library's per-step Python overhead. "torch" is torch.optim's default
CPU path, "torch fused" its ``fused=True`` CPU kernel. Ratios < 1 mean dlmath's fused step is
faster.
"""
import numpy as np

import dlmath as dm
from dlmath import optim
from benchmarks._timing import alternate, table, try_torch

CASES = [
    ("SGD momentum", "SGD", dict(lr=0.01, momentum=0.9), True),
    ("Adagrad", "Adagrad", dict(lr=0.01), True),
    ("RMSprop centered", "RMSprop", dict(lr=0.01, centered=True, momentum=0.9), False),
    ("Adam", "Adam", dict(lr=1e-3), True),
    ("AdamW amsgrad", "AdamW", dict(lr=1e-3, amsgrad=True), True),
]


def _dlmath_step(name, kwargs, p0, g, fused):
    p = dm.tensor(p0.copy(), requires_grad=True)
    p.grad = dm.tensor(g)
    opt = getattr(optim, name)([p], fused=fused, **kwargs)
    opt.step()                                       # create the state, compile on first use
    return opt.step


def _torch_step(torch, name, kwargs, p0, g, fused):
    p = torch.from_numpy(p0.copy()).requires_grad_()
    p.grad = torch.from_numpy(g.copy())
    extra = {"fused": True} if fused else {}
    opt = getattr(torch.optim, name)([p], **kwargs, **extra)
    opt.step()
    return opt.step


def main():
    torch = try_torch()
    rng = np.random.default_rng(0)
    rows = []
    for n in (10_000, 1_000_000):
        p0 = rng.standard_normal(n).astype(np.float32)
        g = rng.standard_normal(n).astype(np.float32)
        for label, name, kwargs, torch_has_fused in CASES:
            fns = {"fused": _dlmath_step(name, kwargs, p0, g, None),
                   "numpy": _dlmath_step(name, kwargs, p0, g, False)}
            if torch is not None:
                fns["torch"] = _torch_step(torch, name, kwargs, p0, g, False)
                if torch_has_fused:
                    fns["torch fused"] = _torch_step(torch, name, kwargs, p0, g, True)
            t = alternate(fns, repeats=15 if n > 100_000 else 40, number=1 if n > 100_000 else 5)
            rows.append([f"{label}, n={n:,}", f"{t['fused'] * 1e6:.0f} µs",
                         f"{t['fused'] / t['numpy']:.2f}x",
                         f"{t['fused'] / t['torch']:.2f}x" if "torch" in t else "n/a",
                         f"{t['fused'] / t['torch fused']:.2f}x" if "torch fused" in t else "n/a"])
    table(rows, ["step (float32)", "dlmath fused", "vs numpy", "vs torch", "vs torch fused"])
    if torch is not None:
        print(f"(torch {torch.__version__} with {torch.get_num_threads()} threads; dlmath's "
              "kernels run on one thread)")


if __name__ == "__main__":
    main()
