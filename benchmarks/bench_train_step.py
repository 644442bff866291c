"""One training step — zero_grad, forward, cross-entropy, backward, SGD-momentum step — in dlmath
and (when installed) PyTorch CPU, timed alternately in the same process.

    (e) LeNet-5 on a float32 batch 64×1×28×28:
        conv 1→6 k5 p2, relu, maxpool 2, conv 6→16 k5, relu, maxpool 2, flatten,
        400→120→84→10 (relu between)                                 target ≤ 2x torch
    (f) MLP 64→128→10 (relu) on a float32 batch 64×64                  target ≤ 0.8x torch

Also prints the peak memory traced during one LeNet step (tracemalloc sees NumPy's buffers) and
the process's peak RSS. ``--profile`` prints where the MLP step spends its time (cProfile).

    python -m benchmarks.bench_train_step [--repeats N] [--profile]
"""
import argparse
import cProfile
import io
import pstats
import resource
import tracemalloc

import numpy as np

import dlmath
import dlmath.nn as nn
import dlmath.nn.functional as F

from benchmarks._timing import alternate

BATCH = 64


# ---- models --------------------------------------------------------------------------------
def dl_lenet():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def dl_mlp():
    return nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))


class _MomentumSGD:
    """Fallback when dlmath.optim is not there: b ← μb + g, θ ← θ − ηb."""

    def __init__(self, params, lr, momentum):
        self.params, self.lr, self.momentum = list(params), lr, momentum
        self.bufs = [None] * len(self.params)

    def zero_grad(self):
        for p in self.params:
            p.grad = None

    def step(self):
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue
            g = p.grad.data
            if self.bufs[i] is None:
                self.bufs[i] = g.copy()
            else:
                self.bufs[i] *= self.momentum
                self.bufs[i] += g
            p.data -= self.lr * self.bufs[i]


def dl_optimizer(params, lr=0.01, momentum=0.9):
    try:
        from dlmath.optim import SGD
    except ImportError:
        return _MomentumSGD(params, lr, momentum), "in-benchmark momentum update"
    return SGD(params, lr=lr, momentum=momentum), "dlmath.optim.SGD"


def make_dl_step(kind, seed=0):
    dlmath.manual_seed(seed)
    model = dl_lenet() if kind == "lenet" else dl_mlp()
    opt, opt_name = dl_optimizer(model.parameters())
    rng = np.random.default_rng(seed)
    shape = (BATCH, 1, 28, 28) if kind == "lenet" else (BATCH, 64)
    x = dlmath.Tensor(rng.standard_normal(shape).astype(np.float32))
    y = rng.integers(0, 10, BATCH)

    def step():
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss
    return step, opt_name


def make_torch_step(kind, seed=0):
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(2)
    torch.manual_seed(seed)
    tnn = torch.nn
    if kind == "lenet":
        model = tnn.Sequential(
            tnn.Conv2d(1, 6, 5, padding=2), tnn.ReLU(), tnn.MaxPool2d(2),
            tnn.Conv2d(6, 16, 5), tnn.ReLU(), tnn.MaxPool2d(2), tnn.Flatten(),
            tnn.Linear(400, 120), tnn.ReLU(), tnn.Linear(120, 84), tnn.ReLU(), tnn.Linear(84, 10))
    else:
        model = tnn.Sequential(tnn.Linear(64, 128), tnn.ReLU(), tnn.Linear(128, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    rng = np.random.default_rng(seed)
    shape = (BATCH, 1, 28, 28) if kind == "lenet" else (BATCH, 64)
    x = torch.from_numpy(rng.standard_normal(shape).astype(np.float32))
    y = torch.from_numpy(rng.integers(0, 10, BATCH))

    def step():
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss
    return step


# ---- timing --------------------------------------------------------------------------------
def time_alternating(fns, repeats, inner):
    """Median seconds per call of each function, measured in alternating rounds so that both
    see the same machine load (the machine is shared)."""
    for fn in fns.values():                       # warm-up: compile kernels, fill caches
        for _ in range(max(3, inner // 2)):
            fn()
    return alternate(fns, repeats=repeats, warmup=0, number=inner)


def peak_memory_of(fn):
    """Peak bytes allocated (traced) during one call of ``fn``, above what was live before."""
    fn()
    tracemalloc.start()
    base, _ = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak - base


def _fmt(seconds):
    return f"{seconds * 1e3:8.3f} ms" if seconds >= 1e-3 else f"{seconds * 1e6:8.1f} µs"


def profile_step(step, n=300, top=25):
    for _ in range(20):
        step()
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(n):
        step()
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


def run(repeats=15, profile=False):
    results = {}
    cases = [("e", "lenet", "LeNet-5 step, batch 64×1×28×28", 2.0, 5),
             ("f", "mlp", "MLP 64-128-10 step, batch 64", 0.8, 100)]
    for tag, kind, title, target, inner in cases:
        dl_step, opt_name = make_dl_step(kind)
        torch_step = make_torch_step(kind)
        fns = {"dlmath": dl_step}
        if torch_step is not None:
            fns["torch"] = torch_step
        med = time_alternating(fns, repeats, inner)
        line = f"({tag}) {title:34s} dlmath {_fmt(med['dlmath'])}"
        if "torch" in med:
            ratio = med["dlmath"] / med["torch"]
            ok = "meets" if ratio <= target else "MISSES"
            line += (f"   torch {_fmt(med['torch'])}   ratio {ratio:5.2f}x "
                     f"(target ≤ {target}x: {ok})")
        else:
            line += "   (torch not installed: no ratio)"
        print(line, flush=True)
        results[kind] = med
    print(f"    optimizer: {opt_name}; medians of {repeats} alternating rounds")

    step, _ = make_dl_step("lenet")
    peak = peak_memory_of(step)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"    LeNet step peak traced memory: {peak / 2**20:.1f} MiB "
          f"(process peak RSS so far {rss:.0f} MiB)")
    results["lenet_peak_bytes"] = peak

    if profile:
        step, _ = make_dl_step("mlp")
        print("\ncProfile of 300 dlmath MLP steps (sorted by own time):")
        print(profile_step(step))
    return results


def main(repeats=15, profile=False):
    """Entry point for ``make bench`` (no arguments) and the command line."""
    return run(repeats, profile)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    main(args.repeats, args.profile)
