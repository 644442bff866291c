"""Timing helpers shared by the benchmarks: alternate the contenders, report medians."""
import statistics
import time


def alternate(fns, repeats=15, warmup=2, number=1):
    """Time each callable in ``fns`` (a dict name → fn), interleaving them so that noise from
    the shared machine hits all alike. Returns name → median seconds per call."""
    for fn in fns.values():
        for _ in range(warmup):
            fn()
    times = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.perf_counter()
            for _ in range(number):
                fn()
            times[name].append((time.perf_counter() - start) / number)
    return {name: statistics.median(ts) for name, ts in times.items()}


def try_torch():
    """PyTorch if installed (CPU, 2 threads), else None."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(2)
    return torch


def table(rows, headers):
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) for i, h in enumerate(headers)]
    line = "  ".join(str(h).ljust(w) for h, w in zip(headers, widths))
    print(line)
    print("-" * len(line))
    for r in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)))
