"""The kernels' one thread pool: cut a batch into slices that the cores take in turn.

Why not Numba's ``parallel=True`` or a multi-threaded BLAS?  See the package docstring of
:mod:`dlmath.kernels`; in short, two thread pools on the same cores fight, so there is exactly
one: this one.  Each thread runs single-threaded code on its slices of the batch

* Numba kernels compiled with ``nogil=True`` (they release the GIL, so threads really overlap);
* NumPy ``matmul`` (BLAS releases the GIL), with BLAS pinned to one thread meanwhile.

The calling thread works too; ``n_threads - 1`` pool workers help it, taking slices of the
batch from a shared iterator (dynamic scheduling: robust when a core is busy elsewhere).

``DLMATH_NUM_THREADS`` (environment) or :func:`set_num_threads` choose the count; the default
is the number of cores this process may use.
"""
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import numpy as np

__all__ = ["get_num_threads", "set_num_threads", "parallel_batches", "batch_slices", "blas_single_thread",
           "scratch"]

_lock = threading.Lock()
_state = threading.local()          # .busy: this thread is already inside a parallel region
_pool = None                        # ThreadPoolExecutor, created on first use
_blas = None                        # threadpoolctl controllers for the loaded BLAS, or []


def _default_threads():
    env = os.environ.get("DLMATH_NUM_THREADS")
    if env:
        return max(1, int(env))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:                      # not Linux
        return max(1, os.cpu_count() or 1)


_n_threads = _default_threads()


def get_num_threads():
    """Number of threads the kernels split a batch over."""
    return _n_threads


def set_num_threads(n):
    """Use ``n`` threads (``n >= 1``) from now on."""
    global _n_threads, _pool
    n = int(n)
    if n < 1:
        raise ValueError(f"set_num_threads: need at least 1 thread, got {n}")
    with _lock:
        if _pool is not None and n - 1 > _pool._max_workers:    # too few workers: rebuild
            _pool.shutdown(wait=True)
            _pool = None
        _n_threads = n


def _forget_pool_after_fork():
    """A forked child has none of the parent's threads: start a fresh pool when needed."""
    global _pool, _lock
    _pool, _lock = None, threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool_after_fork)


def _get_pool():
    global _pool
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=max(1, _n_threads - 1),
                                       thread_name_prefix="dlmath-kernel")
        return _pool


def _blas_controllers():
    global _blas
    if _blas is None:
        try:
            from threadpoolctl import ThreadpoolController
            _blas = list(ThreadpoolController().select(user_api="blas").lib_controllers)
        except Exception:                        # threadpoolctl missing or unusable
            _blas = []
    return _blas


@contextmanager
def blas_single_thread():
    """Pin the BLAS library to one thread inside the block (cheap when it already is)."""
    changed = []
    for lib in _blas_controllers():
        n = lib.get_num_threads()
        if n is not None and n > 1:
            lib.set_num_threads(1)
            changed.append((lib, n))
    try:
        yield
    finally:
        for lib, n in changed:
            lib.set_num_threads(n)


def _run_marked(fn, *args):
    _state.busy = True
    try:
        return fn(*args)
    finally:
        _state.busy = False


#: the most slices a batch is cut into: enough that a late or busy core only delays the end a
#: little on the machines this course runs on (2–8 cores), few enough that hand-offs stay cheap
MAX_SLICES = 16


def batch_slices(n, min_items=1, grain=1):
    """The slices ``[(lo, hi), …]`` that :func:`parallel_batches` cuts ``range(n)`` into.

    They depend on ``n``, ``min_items`` and ``grain`` only — never on the thread count or the
    timing — so a reduction over slices (the conv weight gradient) adds the same partial sums
    in the same order on a 1-, 2- or 64-core machine: bit-identical results everywhere.
    """
    if n < 2 * max(1, min_items):
        return [(0, n)]
    k = min(MAX_SLICES, n // max(1, min_items))
    size = -(-n // k)                                    # ceil
    size = -(-size // grain) * grain
    return [(lo, min(lo + size, n)) for lo in range(0, n, size)]


def parallel_batches(work, n, min_items=1, grain=1):
    """Call ``work(lo, hi)`` on the slices :func:`batch_slices` gives; results in slice order.

    One slice (too little work to pay ~20 µs of thread hand-off) is a single call.  Otherwise
    the threads *take slices in turn* from a shared iterator: on a shared machine a core may be
    busy or late to wake, and then the other threads simply take more slices instead of waiting
    for a fixed half of the batch.  With one thread, or inside another parallel region (no
    nested pools), the same slices run in turn on the calling thread.  BLAS is pinned to one
    thread on every path: OpenBLAS's multi-threaded GEMM rounds differently from its
    single-threaded one, so the floating-point results depend only on the slices — not on the
    thread count, nor on how many threads BLAS happened to have.
    """
    slices = batch_slices(n, min_items, grain)
    t = min(_n_threads, len(slices))
    if len(slices) == 1 or t <= 1 or getattr(_state, "busy", False):
        with blas_single_thread():
            return [work(lo, hi) for lo, hi in slices]
    results = [None] * len(slices)
    todo = iter(enumerate(slices))        # shared: each next() is atomic under the GIL

    def take_slices():
        for i, (lo, hi) in todo:
            results[i] = work(lo, hi)

    pool = _get_pool()
    with blas_single_thread():
        helpers = [pool.submit(_run_marked, take_slices) for _ in range(t - 1)]
        try:
            _run_marked(take_slices)
        finally:
            for h in helpers:                # a helper that never started is not waited for
                if not h.cancel():
                    h.result()
    return results


#: scratch buffers up to this size stay allocated (per thread) between calls
SCRATCH_KEEP_BYTES = 32 * 1024 * 1024


def scratch(name, shape, dtype):
    """A per-thread work buffer of ``shape``/``dtype``, reused across calls.

    Reusing the im2col buffer keeps it warm in cache and avoids fresh page faults on every
    call.  Contents are garbage; never return a scratch buffer to a caller.
    """
    size = 1
    for s in shape:
        size *= int(s)
    dtype = np.dtype(dtype)
    if size * dtype.itemsize > SCRATCH_KEEP_BYTES:     # huge: do not hold on to it
        return np.empty(shape, dtype)
    bufs = getattr(_state, "buffers", None)
    if bufs is None:
        bufs = _state.buffers = {}
    buf = bufs.get((name, dtype))
    if buf is None or buf.size < size:
        buf = bufs[(name, dtype)] = np.empty(size, dtype)
    return buf[:size].reshape(shape)
