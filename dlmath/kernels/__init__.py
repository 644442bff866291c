"""Compute kernels: pure array functions (no autograd) on NumPy arrays in NCHW layout.

Every kernel keeps its input's dtype (float32 stays float32, float64 stays float64) and sits
beside a slow, obvious NumPy reference in :mod:`.reference` that the tests compare it to.

=========================  ===============================================================
:mod:`.shapes`             ``conv_output_size``, ``pool_output_size``: the sliding-window rule
:mod:`.unfold`             ``im2col`` / ``col2im`` (PyTorch: unfold / fold): conv as matmul
:mod:`.conv`               ``conv2d_forward``, ``conv2d_backward_input / _weight / _bias``
:mod:`.pool`               ``max_pool2d_forward / _backward``, ``avg_pool2d_forward / _backward``
:mod:`.reference`          the loop versions, and the plain NumPy im2col baseline
:mod:`._threads`           how the work is shared between the cores
:mod:`._loops`             inner-loop helpers (and why indices are unsigned)
=========================  ===============================================================

Threading — one pool, ours
--------------------------
Two thread pools on the same cores fight: on this project's 2-core machine, Numba's
``parallel=True`` workers and OpenBLAS's threads both at 2 threads made a LeNet training step
5.7x slower than PyTorch; capping BLAS to one thread inside Numba-parallel code gave 1.58x,
Numba's ``workqueue`` layer 1.68x.  So the kernels use *no* Numba threading layer and *no*
BLAS threads.  Instead :func:`._threads.parallel_batches` cuts the batch (or the N·C planes
for pooling) into slices, and the calling thread plus a small Python thread pool (one
thread per core in all) take the slices in turn; inside a slice everything is
single-threaded and releases the GIL:

* Numba kernels are ``@njit(nogil=True, cache=True)``, serial;
* BLAS (NumPy ``matmul``) is pinned to one thread for the duration (threadpoolctl).

Why this and not ``parallel=True``: a slice keeps its working set (a few images' column
matrix) in one core's L2 cache, between the im2col copy and the matrix products that read
it; the hand-off costs ~20 µs once per call instead of a barrier per loop; slices are taken
dynamically, so a core that another process is using only delays its own slice; no kernel
pays the ~6 s cold compile of a parallel Numba function; and one knob controls everything:
``DLMATH_NUM_THREADS`` or :func:`set_num_threads` (default: the cores this process may use).
BLAS threads outside the kernels are left alone, so the Makefile's ``OPENBLAS_NUM_THREADS=1``
is no longer needed by the kernels (it still suits dlmath's other small matrix products).

Measured on the 2-vCPU machine: the matrix products scale 1.4–1.75x on two threads, but
memory-bound loops (im2col, col2im, pooling, plain copies — even of L1-sized buffers) do not
scale at all, so the small layers gain little from the second core.

Importing this package is cheap: only :mod:`.shapes` loads eagerly; the Numba modules load
(from the on-disk cache, ``python -m dlmath.warmup`` fills it) the first time one of their
functions is used.  ``NUMBA_DISABLE_JIT=1`` runs the same code as plain Python (slowly).
"""
import importlib

from .shapes import conv_output_size, pool_output_size

_LAZY = {
    "im2col": "unfold", "col2im": "unfold",
    "conv2d_forward": "conv", "conv2d_backward_input": "conv",
    "conv2d_backward_weight": "conv", "conv2d_backward_bias": "conv",
    "max_pool2d_forward": "pool", "max_pool2d_backward": "pool",
    "avg_pool2d_forward": "pool", "avg_pool2d_backward": "pool",
    "get_num_threads": "_threads", "set_num_threads": "_threads",
}

__all__ = ["conv_output_size", "pool_output_size", *_LAZY]


def __getattr__(name):
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
