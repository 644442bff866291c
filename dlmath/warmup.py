"""Compile every Numba kernel once, for float32 and float64, into Numba's on-disk cache.

``python -m dlmath.warmup`` (``make setup`` runs it) calls each kernel on tiny inputs.  The
kernels are ``@njit(cache=True)``, so the machine code lands next to the sources in
``__pycache__`` and later processes load it instead of compiling (``make clean-numba``
removes it).  Prints how long it took: a few seconds when the cache is cold, well under one
when it is warm.
"""
import time

import numpy as np


def warm_up(verbose=False):
    """Run every kernel on tiny float32 and float64 arrays; return the seconds it took."""
    start = time.perf_counter()
    from dlmath import kernels as K                    # noqa: the import is part of the cost
    for dtype in (np.float32, np.float64):
        t = time.perf_counter()
        rng = np.random.default_rng(0)
        x = rng.standard_normal((2, 2, 6, 6)).astype(dtype)
        w = rng.standard_normal((3, 2, 3, 3)).astype(dtype)
        b = np.zeros(3, dtype)
        y = K.conv2d_forward(x, w, b, 1, 1)
        K.conv2d_backward_input(y, w, x.shape, 1, 1)
        K.conv2d_backward_weight(y, x, w.shape, 1, 1)
        K.conv2d_backward_bias(y)
        K.col2im(K.im2col(x, 3), x.shape, 3)
        for kernel, stride, padding in ((2, 2, 0), (3, 1, 1)):   # 2×2 fast path, general path
            y, arg = K.max_pool2d_forward(x, kernel, stride, padding)
            K.max_pool2d_backward(y, arg, x.shape)
            y = K.avg_pool2d_forward(x, kernel, stride, padding)
            K.avg_pool2d_backward(y, x.shape, kernel, stride, padding)
        _warm_optimizers(dtype)
        if dtype is np.float64:                        # GELU's erfc ufunc (float64 only)
            from dlmath.nn import functional as F
            F.gelu(np.linspace(-3.0, 3.0, 4))
        if verbose:
            print(f"  {np.dtype(dtype).name}: {time.perf_counter() - t:.2f} s")
    return time.perf_counter() - start


def _warm_optimizers(dtype):
    """One step of every optimizer variant, so their fused update kernels are cached too."""
    from dlmath import optim
    from dlmath.autograd import Tensor
    variants = [(optim.SGD, dict(lr=0.1)), (optim.SGD, dict(lr=0.1, momentum=0.9, nesterov=True)),
                (optim.Adagrad, {}), (optim.RMSprop, dict(momentum=0.9, centered=True)),
                (optim.Adam, dict(amsgrad=True)), (optim.Adam, {}), (optim.AdamW, {})]
    for cls, kwargs in variants:
        p = Tensor(np.ones(3, dtype), requires_grad=True)
        p.grad = Tensor(np.ones(3, dtype))
        opt = cls([p], **kwargs)
        opt.step()
        opt.step()


def main():
    print("dlmath.warmup: compiling the Numba kernels (float32, float64) into the cache …")
    seconds = warm_up(verbose=True)
    print(f"dlmath.warmup: done in {seconds:.2f} s")


if __name__ == "__main__":
    main()
