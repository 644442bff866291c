"""Convolution and pooling kernels: dlmath vs plain NumPy vs PyTorch CPU, float32.

Per case, in one process, the contenders take turns, round after round (see
:func:`alternate`); the table shows medians.  The machine is shared, so each round also
records how much CPU *other* processes used meanwhile; rounds go on until 8 were quiet (or
40 rounds / 60 s passed) and the medians use only the quiet rounds.  The ``quiet`` column
says how many of how many rounds were quiet: with few, treat the row as noise (PyTorch's two
OpenMP threads slow down far more than dlmath when another process takes a core).

Baselines
* ``numpy``: the textbook vectorised NumPy method of :mod:`dlmath.kernels.reference`
  (``sliding_window_view`` im2col + ``tensordot``, col2im by strided slice additions; pooling
  by reshaping 2×2 blocks).  The explicit loop references are far too slow to time.
* ``torch``: ``torch.nn.functional`` with ``torch.set_num_threads(2)``; "fwd" under
  ``no_grad``, "fwd+bwd" = forward and ``backward`` with x, w, b all requiring grad.
* dlmath "fwd+bwd" = forward + ``conv2d_backward_input`` + ``_weight`` + ``_bias``.

Targets (from the project brief): conv fwd+bwd ≤ 1.5x torch; max-pool 2×2 fwd+bwd ≤ 0.5x.
"""
import os
import subprocess
import sys
import tempfile
import textwrap
import time

import numpy as np

from benchmarks._timing import table, try_torch
from dlmath import kernels as K
from dlmath.kernels import reference as R

CONV_CASES = [  # label, x shape, C_out, kernel, padding
    ("(a) 64×1×28×28 → 6, k5 p2", (64, 1, 28, 28), 6, 5, 2),
    ("(b) 64×6×14×14 → 16, k5", (64, 6, 14, 14), 16, 5, 0),
    ("(c) 128×32×16×16 → 64, k3 p1", (128, 32, 16, 16), 64, 3, 1),
]
POOL_CASES = [("64×6×28×28", (64, 6, 28, 28)), ("128×64×16×16", (128, 64, 16, 16))]
CONV_TARGET, POOL_TARGET = 1.5, 0.5


# ------------------------------------------------------------------------------ timing ------

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _system_busy():
    """CPU seconds all processes have used so far (None when /proc/stat is unavailable)."""
    try:
        with open("/proc/stat") as f:
            v = [int(t) for t in f.readline().split()[1:]]
    except OSError:
        return None
    return (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / _TICK


def _own_cpu():
    t = os.times()
    return t.user + t.system


def alternate(fns, want_quiet=8, max_rounds=40, max_seconds=60.0, block=0.03, quiet=0.15):
    """Time the callables in turns; return (name → median seconds, quiet rounds, rounds).

    Each round gives every contender one *block*: back-to-back calls for about ``block``
    seconds, of which the first is dropped.  (Interleaving single calls would be unfair: after
    a torch call its OpenMP workers keep spinning on the cores for a while, which slows
    whatever runs next.)  A round is *quiet* when other processes used less than ``quiet``
    of a core meanwhile (/proc/stat minus our own CPU time).  Rounds continue until
    ``want_quiet`` quiet ones were seen (or ``max_rounds`` / ``max_seconds`` ran out); the
    result is the median over the quiet rounds' block medians, or over the quietest third
    of the rounds when fewer than 3 were quiet.
    """
    reps = {}
    for name, fn in fns.items():                 # warm up, and size the blocks
        fn()
        t = time.perf_counter()
        fn()
        reps[name] = max(3, min(200, int(block / max(time.perf_counter() - t, 1e-6))))
    rows, begin = [], time.perf_counter()
    while True:
        busy0, own0, start = _system_busy(), _own_cpu(), time.perf_counter()
        medians = {}
        for name, fn in fns.items():
            samples = []
            for _ in range(reps[name]):
                t = time.perf_counter()
                fn()
                samples.append(time.perf_counter() - t)
            medians[name] = float(np.median(samples[1:]))
        wall = time.perf_counter() - start
        other = 0.0 if busy0 is None else (_system_busy() - busy0 - (_own_cpu() - own0)) / wall
        rows.append((other, medians))
        n_quiet = sum(o < quiet for o, _ in rows)
        if (n_quiet >= want_quiet or len(rows) >= max_rounds
                or time.perf_counter() - begin > max_seconds):
            break
    keep = n_quiet if n_quiet >= 3 else max(3, len(rows) // 3)
    chosen = [r for _, r in sorted(rows, key=lambda row: row[0])[:keep]]
    return {name: float(np.median([r[name] for r in chosen])) for name in fns}, n_quiet, len(rows)


# ----------------------------------------------------------------------------- contenders ---

def _conv_contenders(torch, x, w, b, p):
    gy = np.random.default_rng(1).standard_normal(
        K.conv2d_forward(x, w, b, 1, p).shape).astype(x.dtype)

    def dl_fwd():
        K.conv2d_forward(x, w, b, 1, p)

    def dl_all():
        K.conv2d_forward(x, w, b, 1, p)
        K.conv2d_backward_input(gy, w, x.shape, 1, p)
        K.conv2d_backward_weight(gy, x, w.shape, 1, p)
        K.conv2d_backward_bias(gy)

    def np_fwd():
        R.conv2d_forward_numpy(x, w, b, 1, p)

    def np_all():
        R.conv2d_forward_numpy(x, w, b, 1, p)
        R.conv2d_backward_input_numpy(gy, w, x.shape, 1, p)
        R.conv2d_backward_weight_numpy(gy, x, w.shape, 1, p)
        gy.sum(axis=(0, 2, 3))

    fwd = {"dlmath": dl_fwd, "numpy": np_fwd}
    both = {"dlmath": dl_all, "numpy": np_all}
    if torch is not None:
        F = torch.nn.functional
        tx, tw, tb, tgy = (torch.from_numpy(a) for a in (x, w, b, gy))
        rx, rw, rb = (t.clone().requires_grad_() for t in (tx, tw, tb))

        def t_fwd():
            with torch.no_grad():
                F.conv2d(tx, tw, tb, padding=p)

        def t_all():
            F.conv2d(rx, rw, rb, padding=p).backward(tgy)

        fwd["torch"], both["torch"] = t_fwd, t_all
    return fwd, both


def _numpy_maxpool2x2(x):
    """Plain NumPy 2×2 max pooling with argmax, by reshaping into blocks."""
    N, C, H, W = x.shape
    blocks = x[:, :, :H // 2 * 2, :W // 2 * 2].reshape(N, C, H // 2, 2, W // 2, 2)
    blocks = blocks.transpose(0, 1, 2, 4, 3, 5).reshape(N, C, H // 2, W // 2, 4)
    k = blocks.argmax(axis=-1)
    return np.take_along_axis(blocks, k[..., None], -1)[..., 0], k


def _numpy_maxpool2x2_backward(gy, k, x_shape):
    N, C, H, W = x_shape
    g = np.zeros(gy.shape + (4,), gy.dtype)
    np.put_along_axis(g, k[..., None], gy[..., None], -1)
    g = g.reshape(N, C, H // 2, W // 2, 2, 2).transpose(0, 1, 2, 4, 3, 5)
    gx = np.zeros(x_shape, gy.dtype)
    gx[:, :, :H // 2 * 2, :W // 2 * 2] = g.reshape(N, C, H // 2 * 2, W // 2 * 2)
    return gx


def _pool_contenders(torch, x):
    y, arg = K.max_pool2d_forward(x, 2)
    gy = np.random.default_rng(1).standard_normal(y.shape).astype(x.dtype)

    def dl_all():
        y, arg = K.max_pool2d_forward(x, 2)
        K.max_pool2d_backward(gy, arg, x.shape)

    def np_all():
        y, k = _numpy_maxpool2x2(x)
        _numpy_maxpool2x2_backward(gy, k, x.shape)

    fwd = {"dlmath": lambda: K.max_pool2d_forward(x, 2), "numpy": lambda: _numpy_maxpool2x2(x)}
    both = {"dlmath": dl_all, "numpy": np_all}
    if torch is not None:
        F = torch.nn.functional
        tx, tgy = torch.from_numpy(x), torch.from_numpy(gy)
        rx = tx.clone().requires_grad_()

        def t_fwd():
            with torch.no_grad():
                F.max_pool2d(tx, 2)

        def t_all():
            F.max_pool2d(rx, 2).backward(tgy)

        fwd["torch"], both["torch"] = t_fwd, t_all
    return fwd, both


# ------------------------------------------------------------------------- compile times ---

_FIRST_CALL = """
import time
t0 = time.perf_counter()
import numpy as np
import dlmath.kernels as K
t1 = time.perf_counter()
import numba
t2 = time.perf_counter()
x = np.ones((2, 3, 8, 8), np.float32); w = np.ones((4, 3, 3, 3), np.float32)
t3 = time.perf_counter()
K.conv2d_forward(x, w, None, 1, 1)
t4 = time.perf_counter()
K.max_pool2d_forward(x, 2)
t5 = time.perf_counter()
print(t1 - t0, t2 - t1, t4 - t3, t5 - t4)
"""


def _subprocess(code, **env):
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                         text=True, env=dict(os.environ, **env), timeout=600)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return out.stdout


def compile_times():
    """(import s, import numba s, first conv s, first pool s) with the warm cache; cold compile
    of everything."""
    _subprocess("import dlmath.warmup as w; w.warm_up()")           # make sure the cache is warm
    warm = [float(v) for v in _subprocess(_FIRST_CALL).split()]
    with tempfile.TemporaryDirectory() as cache:                     # an empty cache elsewhere
        cold = float(_subprocess("import dlmath.warmup as w; print(w.warm_up())",
                                 NUMBA_CACHE_DIR=cache).split()[-1])
    return warm, cold


# -------------------------------------------------------------------------------- main -----

def _ms(t):
    return f"{t * 1e3:.3f}" if t < 0.01 else f"{t * 1e3:.2f}"


def main():
    torch = try_torch()
    from dlmath.kernels import _threads
    print(f"float32; dlmath threads: {_threads.get_num_threads()}; "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}; "
          f"torch: {torch.__version__ + ' (2 threads)' if torch else 'not installed'}")
    rng = np.random.default_rng(0)
    rows = []
    for label, x_shape, C_out, k, p in CONV_CASES:
        x = rng.standard_normal(x_shape).astype(np.float32)
        w = (rng.standard_normal((C_out, x_shape[1], k, k)) * 0.1).astype(np.float32)
        b = rng.standard_normal(C_out).astype(np.float32)
        fwd, both = _conv_contenders(torch, x, w, b, p)
        for what, fns, target in (("fwd", fwd, None), ("fwd+bwd", both, CONV_TARGET)):
            rows.append(_row(f"conv2d {label}", what, fns, target))
    for label, x_shape in POOL_CASES:
        x = rng.standard_normal(x_shape).astype(np.float32)
        fwd, both = _pool_contenders(torch, x)
        for what, fns, target in (("fwd", fwd, None), ("fwd+bwd", both, POOL_TARGET)):
            rows.append(_row(f"max_pool2d 2×2 {label}", what, fns, target))
    table(rows, ["case", "pass", "dlmath ms", "numpy ms", "torch ms", "dlmath/torch",
                 "target", "met", "quiet"])
    warm, cold = compile_times()
    print(f"\nwarm Numba cache, fresh process: import dlmath.kernels {warm[0]:.3f} s, "
          f"import numba {warm[1]:.3f} s, then first call conv2d_forward {warm[2]:.3f} s, "
          f"max_pool2d_forward {warm[3]:.3f} s (loading the cached machine code)")
    print(f"cold compile of every kernel, float32 + float64 (python -m dlmath.warmup, empty "
          f"cache): {cold:.1f} s")


def _row(label, what, fns, target):
    t, n_quiet, n = alternate(fns, block=0.1 if "128" in label else 0.03)
    ratio = t["dlmath"] / t["torch"] if "torch" in t else None
    return [label, what, _ms(t["dlmath"]), _ms(t["numpy"]),
            _ms(t["torch"]) if "torch" in t else "n/a",
            f"{ratio:.2f}x" if ratio is not None else "n/a",
            f"≤ {target}x" if target else "",
            ("yes" if ratio <= target else "NO") if target and ratio is not None else "",
            f"{n_quiet}/{n}"]


if __name__ == "__main__":
    main()
