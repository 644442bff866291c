"""The kernels' one thread pool: split a batch into contiguous slices, one per core.

Why not Numba's ``parallel=True`` or a multi-threaded BLAS?  See the package docstring of
:mod:`dlmath.kernels`; in short, two thread pools on the same cores fight, so there is exactly
one: this one.  Each worker runs single-threaded code on its own slice of the batch

* Numba kernels compiled with ``nogil=True`` (they release the GIL, so threads really overlap);
* NumPy ``matmul`` (BLAS releases the GIL), with BLAS pinned to one thread meanwhile.

The calling thread does the first slice itself; ``n_threads - 1`` pool workers do the rest.

``DLMATH_NUM_THREADS`` (environment) or :func:`set_num_threads` choose the count; the default
is the number of cores this process may use.
"""
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import numpy as np

__all__ = ["get_num_threads", "set_num_threads", "parallel_batches", "blas_single_thread",
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
        if _pool is not None and n != _n_threads:
            _pool.shutdown(wait=True)
            _pool = None
        _n_threads = n


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


def _run_marked(work, lo, hi):
    _state.busy = True
    try:
        return work(lo, hi)
    finally:
        _state.busy = False


def parallel_batches(work, n, min_items=2):
    """Call ``work(lo, hi)`` on contiguous slices covering ``range(n)``, in parallel.

    Returns the list of results in slice order.  Runs serially (one call ``work(0, n)``,
    BLAS threads left as they are) when there is one thread, when ``n < 2 * min_items`` (too
    little work to pay ~20 µs of thread hand-off), or when called from inside another
    parallel region (no nested pools).
    """
    t = min(_n_threads, n // max(1, min_items)) if n > 0 else 1
    if t <= 1 or getattr(_state, "busy", False):
        return [work(0, n)]
    bounds = [n * i // t for i in range(t + 1)]
    pool = _get_pool()
    with blas_single_thread():
        futures = [pool.submit(_run_marked, work, bounds[i], bounds[i + 1]) for i in range(1, t)]
        try:
            first = _run_marked(work, bounds[0], bounds[1])
        finally:
            rest = [f.result() for f in futures]    # always wait: workers use our buffers
        return [first] + rest


def scratch(name, shape, dtype):
    """A per-thread work buffer of ``shape``/``dtype``, reused across calls.

    Reusing the im2col buffer keeps it warm in cache and avoids fresh page faults on every
    call.  Contents are garbage; never return a scratch buffer to a caller.
    """
    size = 1
    for s in shape:
        size *= int(s)
    dtype = np.dtype(dtype)
    bufs = getattr(_state, "buffers", None)
    if bufs is None:
        bufs = _state.buffers = {}
    buf = bufs.get((name, dtype))
    if buf is None or buf.size < size:
        buf = bufs[(name, dtype)] = np.empty(size, dtype)
    return buf[:size].reshape(shape)
