"""Autograd overhead: forward + backward of small graphs, dlmath vs PyTorch CPU vs plain NumPy
(hand-written forward and backward, the floor any autograd pays on top of)."""
import subprocess
import sys
import time

import numpy as np

import dlmath as dm
from benchmarks._timing import alternate, table, try_torch


def import_time():
    code = "import time; t = time.perf_counter(); import dlmath; print(time.perf_counter() - t)"
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 check=True).stdout) for _ in range(3)]
    return min(runs)


def main():
    torch = try_torch()
    rng = np.random.default_rng(0)
    rows = []
    for n in (16, 256):
        x_np = rng.standard_normal((64, n)).astype(np.float32)
        w_np = rng.standard_normal((n, n)).astype(np.float32) * 0.1
        x = dm.tensor(x_np)
        w = dm.tensor(w_np, requires_grad=True)

        def dl():
            w.grad = None
            ((x @ w).tanh() * 2.0 + 1.0).sum().backward()

        def ref():
            h = np.tanh(x_np @ w_np)
            g = (1 - h * h) * 2.0
            return x_np.T @ g

        fns = {"dlmath": dl, "numpy": ref}
        if torch is not None:
            xt, wt = torch.from_numpy(x_np), torch.from_numpy(w_np).requires_grad_()

            def tt():
                wt.grad = None
                ((xt @ wt).tanh() * 2.0 + 1.0).sum().backward()
            fns["torch"] = tt
        t = alternate(fns, repeats=30)
        rows.append([f"tanh(x@W) fwd+bwd 64x{n}", f"{t['dlmath'] * 1e6:.0f} µs",
                     f"{t['dlmath'] / t['numpy']:.2f}x",
                     f"{t['dlmath'] / t['torch']:.2f}x" if torch else "n/a"])
    x = dm.tensor(1.0, requires_grad=True)
    start = time.perf_counter()
    y = x
    for _ in range(100_000):
        y = y * 1.0 + 0.0
    y.backward()
    chain = time.perf_counter() - start
    rows.append(["chain of 200k scalar ops fwd+bwd", f"{chain:.2f} s", "", ""])
    table(rows, ["case", "dlmath", "vs numpy", "vs torch"])
    print(f"import dlmath: {import_time() * 1000:.0f} ms (target ≤ 1000 ms)")


if __name__ == "__main__":
    main()
