"""Adversarial wrong solutions for notebook 24 (convolution): the output-size rule, the true 2-D
convolution in "valid" mode (kernel flipped in both axes), and the gradient of k x k max pooling
with stride k (first maximum in row-major order wins ties).

Written from the exercise statements alone (without reading the checkers). Each entry is a
plausible learner's mistake or a sneaky near-miss; the comment beside it names an input allowed by
the statement on which it differs from a correct solution (checked against a scratch reference
outside the repo). Entries labelled "HANGS:" never return on some inputs.
"""
import math

import numpy as np


# ---------------------------------------------------------------------------------------------
# Exercise 1 — conv_output_size(i, k, s=1, p=0, d=1) = floor((i + 2p - d(k-1) - 1)/s) + 1
# ---------------------------------------------------------------------------------------------

def _cos_no_plus_one(i, k, s=1, p=0, d=1):
    # witness: i=5, k=3 -> 2 (true 3)
    return (i + 2 * p - d * (k - 1) - 1) // s


def _cos_padding_once(i, k, s=1, p=0, d=1):
    # witness: i=5, k=3, p=1 -> 4 (true 5)
    return (i + p - d * (k - 1) - 1) // s + 1


def _cos_ignores_dilation(i, k, s=1, p=0, d=1):
    # witness: i=7, k=3, d=2 -> 5 (true 3)
    return (i + 2 * p - k) // s + 1


def _cos_dilation_times_k(i, k, s=1, p=0, d=1):
    # effective kernel d*k instead of d(k-1)+1; witness: i=7, k=3, d=2 -> 2 (true 3)
    return (i + 2 * p - d * k) // s + 1


def _cos_ceil(i, k, s=1, p=0, d=1):
    # witness: i=6, k=3, s=2 -> ceil(3/2) + 1 = 3 (true 2)
    return math.ceil((i + 2 * p - d * (k - 1) - 1) / s) + 1


def _cos_round(i, k, s=1, p=0, d=1):
    # witness: i=8, k=3, s=3 -> round(5/3) + 1 = 3 (true 2)
    return round((i + 2 * p - d * (k - 1) - 1) / s) + 1


def _cos_float(i, k, s=1, p=0, d=1):
    # true division: witness i=5, k=3 -> 3.0 (a float, not an int); i=6, k=3, s=2 -> 2.5
    return (i + 2 * p - d * (k - 1) - 1) / s + 1


def _cos_precedence(i, k, s=1, p=0, d=1):
    # operator precedence: "- 1 // s" is "- (1 // s)"; witness: i=7, k=3, s=2 -> 5 (true 3)
    return i + 2 * p - d * (k - 1) - 1 // s + 1


def _cos_divides_whole(i, k, s=1, p=0, d=1):
    # stride applied to the input only: witness: i=7, k=3, s=2 -> 7//2 - 3 + 2 = 2 (true 3)
    return (i + 2 * p) // s - d * (k - 1)


def _cos_dilation_minus_one(i, k, s=1, p=0, d=1):
    # effective kernel d*k - 1; witness: i=5, k=3, d=1 -> (5 - 2) + 1 = 4 (true 3)
    return (i + 2 * p - (d * k - 1)) // s + 1


def _cos_stride_one_only(i, k, s=1, p=0, d=1):
    # stride ignored; witness: i=7, k=3, s=2 -> 5 (true 3)
    return i + 2 * p - d * (k - 1)


# ---------------------------------------------------------------------------------------------
# Exercise 2 — convolve2d(x, w), true convolution, valid mode
# ---------------------------------------------------------------------------------------------

def _correlate(x, w, dtype=float):
    x = np.asarray(x)
    w = np.asarray(w)
    kh, kw = w.shape
    H, W = x.shape
    out = np.zeros((H - kh + 1, W - kw + 1), dtype=dtype)
    for i in range(H - kh + 1):
        for j in range(W - kw + 1):
            out[i, j] = np.sum(x[i:i + kh, j:j + kw] * w)
    return out


def _cv_no_flip(x, w):
    # cross-correlation; witness: x=[[1, 2]], w=[[1, 0]] -> [[1]] (true [[2]])
    return _correlate(x, w)


def _cv_flip_rows_only(x, w):
    # witness: x=[[1, 2]], w=[[1, 0]] -> [[1]] (true [[2]]): the columns were not flipped
    return _correlate(x, np.asarray(w)[::-1])


def _cv_flip_cols_only(x, w):
    # witness: x=[[1], [2]], w=[[1], [0]] -> [[1]] (true [[2]])
    return _correlate(x, np.asarray(w)[:, ::-1])


def _cv_transpose_not_flip(x, w):
    # w.T instead of w[::-1, ::-1] (for square kernels); witness: x=w=[[1, 2], [3, 4]] ->
    # sum x * w.T = 1 + 6 + 6 + 16 = 29 (true 1*4 + 2*3 + 3*2 + 4*1 = 20)
    w = np.asarray(w)
    if w.shape[0] != w.shape[1]:
        return _correlate(x, w[::-1, ::-1])
    return _correlate(x, w.T)


def _cv_flip_image(x, w):
    # flips the image instead of the kernel: output reversed;
    # witness: x=[[1, 2, 3]], w=[[1, 0]] -> [[3, 2]] (true [[2, 3]])
    x = np.asarray(x)
    return _correlate(x[::-1, ::-1], w)


def _cv_off_by_one_shape(x, w):
    # range(H - kh): witness: x 3x3, w 1x1 -> shape (2, 2) (true (3, 3)); kernel as big as the
    # image -> shape (0, 0)
    x = np.asarray(x)
    w = np.asarray(w)[::-1, ::-1]
    kh, kw = w.shape
    out = np.zeros((x.shape[0] - kh, x.shape[1] - kw))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(x[i:i + kh, j:j + kw] * w)
    return out


def _cv_same_mode(x, w):
    # zero-padded "same" output of shape (H, W); witness: x 3x3, w 3x3 -> 3x3 (true 1x1)
    x = np.asarray(x, dtype=float)
    w = np.asarray(w)
    kh, kw = w.shape
    pt, pl = (kh - 1) // 2, (kw - 1) // 2
    xp = np.pad(x, ((pt, kh - 1 - pt), (pl, kw - 1 - pl)))
    return _correlate(xp, w[::-1, ::-1])


def _cv_full_mode(x, w):
    # "full" output of shape (H + kh - 1, W + kw - 1); witness: x 2x2, w 1x1 -> 2x2 (same!) but
    # x 3x3, w 2x2 -> 4x4 (true 2x2)
    x = np.asarray(x, dtype=float)
    w = np.asarray(w)
    kh, kw = w.shape
    xp = np.pad(x, ((kh - 1, kh - 1), (kw - 1, kw - 1)))
    return _correlate(xp, w[::-1, ::-1])


def _cv_int_buffer(x, w):
    # zeros_like(x)-style int accumulator: witness: x=[[1, 1]] (int), w=[[0.5]] -> [[0, 0]]
    return _correlate(x, np.asarray(w)[::-1, ::-1], dtype=np.asarray(x).dtype)


def _cv_int_result_type(x, w):
    # accumulator of np.result_type(x, w): int x and int w give an int array (a float array wanted)
    x, w = np.asarray(x), np.asarray(w)
    return _correlate(x, w[::-1, ::-1], dtype=np.result_type(x, w))


def _cv_square_kernel_assumed(x, w):
    # k = w.shape[0] used for both axes; witness: x 3x3, w 1x2 -> kernel read as 1x1
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)[::-1, ::-1]
    k = w.shape[0]
    H, W = x.shape
    out = np.zeros((H - k + 1, W - k + 1))
    for i in range(H - k + 1):
        for j in range(W - k + 1):
            out[i, j] = np.sum(x[i:i + k, j:j + k] * w[:k, :k])
    return out


def _cv_square_image_assumed(x, w):
    # output width from H: witness: x 2x3, w 1x1 -> shape (2, 2) (true (2, 3))
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)[::-1, ::-1]
    kh, kw = w.shape
    n = x.shape[0]
    out = np.zeros((n - kh + 1, n - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(x[i:i + kh, j:j + kw] * w)
    return out


def _cv_index_off_by_one(x, w):
    # x[i + kh - 2 - a, ...]: index -1 wraps to the last row/column;
    # witness: x=[[1, 2]], w=[[1]] -> x[0, -1] = 2 at (0, 0) (true [[1, 2]])
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    kh, kw = w.shape
    H, W = x.shape
    out = np.zeros((H - kh + 1, W - kw + 1))
    for i in range(H - kh + 1):
        for j in range(W - kw + 1):
            for a in range(kh):
                for b in range(kw):
                    out[i, j] += x[i + kh - 2 - a, j + kw - 2 - b] * w[a, b]
    return out


def _cv_slice_drops_first(x, w):
    # w[kh-1:0:-1, kw-1:0:-1] drops row 0 and column 0 of the kernel;
    # witness: x=[[1, 2], [3, 4]], w 2x2 -> kernel becomes 1x1 [[w11]], output 2x2 (true 1x1)
    w = np.asarray(w)
    kh, kw = w.shape
    wf = w[kh - 1:0:-1, kw - 1:0:-1] if kh > 1 and kw > 1 else w
    return _correlate(x, wf)


def _cv_normalised_kernel(x, w):
    # "blur" habit: kernel divided by its sum; witness: w=[[2]] -> x (true 2x); w=[[1, -1]] -> nan
    w = np.asarray(w, dtype=float)
    return _correlate(x, w[::-1, ::-1] / w.sum())


def _cv_flips_in_place(x, w):
    # w[:] = w[::-1, ::-1] reverses the CALLER's kernel
    w[:] = w[::-1, ::-1].copy()
    return _correlate(x, w)


def _cv_flips_x_in_place(x, w):
    # convolution = flip(correlate(flip(x), w)) — right values, but x[:] = x[::-1, ::-1]
    # reverses the CALLER's image
    x[:] = x[::-1, ::-1].copy()
    return _correlate(x, w)[::-1, ::-1]


def _cv_float32(x, w):
    # float32 accumulator: witness: x=[[1e8, 1.]], w=[[1.]] -> 1e8 + ... loses the small digits;
    # x=[[0.1]] w=[[1]] -> 0.10000000149 (7 digits)
    return _correlate(np.asarray(x, np.float32), np.asarray(w, np.float32)[::-1, ::-1],
                      dtype=np.float32)


def _cv_fft(x, w):
    # FFT convolution: round-off relative to the largest entry; witness: x=[[1e12, 3, 1, 7]],
    # w=[[1, 2]] -> [[2e12, 6.99987, 9.00006]] (true [[2e12, 7, 9]]); x=[[1e8, 0, 1]], w=[[1]]
    # -> 7.4e-17 where the true value is 0 (integer inputs no longer give exact integers)
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    H, W = x.shape
    kh, kw = w.shape
    shape = (H + kh - 1, W + kw - 1)
    full = np.fft.irfft2(np.fft.rfft2(x, shape) * np.fft.rfft2(w, shape), shape)
    return full[kh - 1:H, kw - 1:W]


def _cv_odd_kernel_centre(x, w):
    # centre-based indexing r = k // 2 (assumes odd kernels); witness: w 2x2 on x 3x3 ->
    # output 1x1 from rows/cols centred at index 1 with offsets -1..1 reaching w[2] -> IndexError
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    kh, kw = w.shape
    rh, rw = kh // 2, kw // 2
    H, W = x.shape
    out = np.zeros((H - 2 * rh, W - 2 * rw))
    for i in range(rh, H - rh):
        for j in range(rw, W - rw):
            s = 0.0
            for a in range(-rh, rh + 1):
                for b in range(-rw, rw + 1):
                    s += x[i + a, j + b] * w[rh - a, rw - b]
            out[i - rh, j - rw] = s
    return out


def _cv_full_kernel_scalar(x, w):
    # kernel as big as the image special-cased to a plain number (shape () instead of (1, 1))
    x, w = np.asarray(x, dtype=float), np.asarray(w, dtype=float)
    if x.shape == w.shape:
        return float(np.sum(x * w[::-1, ::-1]))
    return _correlate(x, w[::-1, ::-1])


def _cv_rot90_once(x, w):
    # np.rot90(w) turns the kernel by 90 degrees, not 180; witness: x=[[1, 2], [3, 4]],
    # w=[[1, 0], [0, 0]] -> rot90 puts the 1 at (1, 0): 3 (true x[1, 1] = 4)
    return _correlate(x, np.rot90(np.asarray(w))) if np.asarray(w).shape[0] == \
        np.asarray(w).shape[1] else _correlate(x, np.asarray(w)[::-1, ::-1])


def _cv_int_accumulate_then_float(x, w):
    # products and sums in the inputs' integer dtype, cast to float at the end: wraps around;
    # witness: x=np.array([[200]], np.uint8), w=np.array([[2]], np.uint8) -> 144 (true 400);
    # x=[[3_000_000_000]], w=[[4_000_000_000]] (int64) -> overflow (true 1.2e19)
    x, w = np.asarray(x), np.asarray(w)
    kh, kw = w.shape
    wf = w[::-1, ::-1]
    H, W = x.shape
    out = np.zeros((H - kh + 1, W - kw + 1), dtype=np.result_type(x, w))
    for i in range(H - kh + 1):
        for j in range(W - kw + 1):
            out[i, j] = (x[i:i + kh, j:j + kw] * wf).sum(dtype=out.dtype)
    return out.astype(float)


def _cv_hangs_while(x, w):
    # HANGS: while-loop over columns that forgets j += 1 when the window sum is 0
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)[::-1, ::-1]
    kh, kw = w.shape
    H, W = x.shape
    out = np.zeros((H - kh + 1, W - kw + 1))
    for i in range(H - kh + 1):
        j = 0
        while j < W - kw + 1:
            s = np.sum(x[i:i + kh, j:j + kw] * w)
            if s == 0:
                continue
            out[i, j] = s
            j += 1
    return out


# ---------------------------------------------------------------------------------------------
# Exercise 3 — max_pool_backward(x, grad_out, k)
# ---------------------------------------------------------------------------------------------

def _windows(x, k):
    """Yield (n, c, r, s, window) for every k x k window, stride k, leftovers dropped."""
    N, C, H, W = x.shape
    for n in range(N):
        for c in range(C):
            for r in range(H // k):
                for s in range(W // k):
                    yield n, c, r, s, x[n, c, r * k:(r + 1) * k, s * k:(s + 1) * k]


def _mp_all_ties(x, grad_out, k):
    # every tied maximum gets the gradient; witness: x=[[[[1, 1], [0, 0]]]], k=2, g=[[[[1]]]] ->
    # [[1, 1], [0, 0]] (true [[1, 0], [0, 0]])
    x = np.asarray(x)
    dx = np.zeros(x.shape)
    for n, c, r, s, win in _windows(x, k):
        mask = win == win.max()
        dx[n, c, r * k:(r + 1) * k, s * k:(s + 1) * k] = mask * grad_out[n, c, r, s]
    return dx


def _mp_ties_split(x, grad_out, k):
    # the gradient shared equally among ties; witness as above -> [[0.5, 0.5], [0, 0]]
    x = np.asarray(x)
    dx = np.zeros(x.shape)
    for n, c, r, s, win in _windows(x, k):
        mask = win == win.max()
        dx[n, c, r * k:(r + 1) * k, s * k:(s + 1) * k] = mask * grad_out[n, c, r, s] / mask.sum()
    return dx


def _first_argmax(x, grad_out, k, pick):
    x = np.asarray(x)
    dx = np.zeros(x.shape)
    for n, c, r, s, win in _windows(x, k):
        a, b = pick(win)
        dx[n, c, r * k + a, s * k + b] = grad_out[n, c, r, s]
    return dx


def _mp_last_tie(x, grad_out, k):
    # the LAST tie in row-major order; witness: x=[[[[1, 1], [0, 0]]]] -> [[0, 1], [0, 0]]
    def pick(win):
        flat = win.ravel()
        idx = flat.size - 1 - int(np.argmax(flat[::-1]))
        return divmod(idx, k)
    return _first_argmax(x, grad_out, k, pick)


def _mp_column_major(x, grad_out, k):
    # ties broken in column-major order; witness: x=[[[[0, 1], [1, 0]]]], k=2 -> column-major
    # first maximum is (1, 0) (true: row-major first is (0, 1))
    def pick(win):
        idx = int(np.argmax(win.T.ravel()))
        b, a = divmod(idx, k)
        return a, b
    return _first_argmax(x, grad_out, k, pick)


def _mp_divmod_swapped(x, grad_out, k):
    # (col, row) = divmod(idx, k) swapped; witness: x=[[[[0, 5], [0, 0]]]] -> gradient at (1, 0)
    # (true (0, 1))
    def pick(win):
        idx = int(np.argmax(win.ravel()))
        b, a = divmod(idx, k)
        return a, b
    return _first_argmax(x, grad_out, k, pick)


def _mp_running_max_zero(x, grad_out, k):
    # running maximum initialised to 0: a window of negatives sends its gradient to (0, 0);
    # witness: x=[[[[-3, -1], [-2, -4]]]] -> (0, 0) (true (0, 1))
    def pick(win):
        best, pos = 0.0, (0, 0)
        for a in range(k):
            for b in range(k):
                if win[a, b] > best:
                    best, pos = win[a, b], (a, b)
        return pos
    return _first_argmax(x, grad_out, k, pick)


def _mp_running_max_ge(x, grad_out, k):
    # running maximum with >=: the last tie wins; witness: x=[[[[2, 2], [0, 0]]]] -> (0, 1)
    def pick(win):
        best, pos = -np.inf, (0, 0)
        for a in range(k):
            for b in range(k):
                if win[a, b] >= best:
                    best, pos = win[a, b], (a, b)
        return pos
    return _first_argmax(x, grad_out, k, pick)


def _mp_abs_max(x, grad_out, k):
    # argmax of |x|; witness: x=[[[[-5, 1], [0, 0]]]] -> (0, 0) (true (0, 1))
    def pick(win):
        return divmod(int(np.argmax(np.abs(win).ravel())), k)
    return _first_argmax(x, grad_out, k, pick)


def _mp_rounded_ties(x, grad_out, k):
    # values rounded to 6 decimals before argmax: near-ties resolved to the first;
    # witness: x=[[[[1, 1 + 1e-9], [0, 0]]]] -> (0, 0) (true (0, 1))
    def pick(win):
        return divmod(int(np.argmax(np.round(win, 6).ravel())), k)
    return _first_argmax(x, grad_out, k, pick)


def _mp_float32_argmax(x, grad_out, k):
    # argmax on float32 copies: 1 and 1 + 1e-9 become equal; witness as above -> (0, 0)
    def pick(win):
        return divmod(int(np.argmax(win.astype(np.float32).ravel())), k)
    return _first_argmax(x, grad_out, k, pick)


def _mp_stride_one(x, grad_out, k):
    # windows slid with stride 1 (overlapping), only the first H//k x W//k of them used;
    # witness: x 1x1x4x4, k=2: window (0, 1) is columns 1..2 (true 2..3)
    x = np.asarray(x)
    dx = np.zeros(x.shape)
    N, C, H, W = x.shape
    for n in range(N):
        for c in range(C):
            for r in range(H // k):
                for s in range(W // k):
                    win = x[n, c, r:r + k, s:s + k]
                    a, b = divmod(int(np.argmax(win)), k)
                    dx[n, c, r + a, s + b] += grad_out[n, c, r, s]
    return dx


def _mp_reshape_needs_divisible(x, grad_out, k):
    # reshape trick without cropping: H or W not divisible by k -> ValueError
    x = np.asarray(x)
    N, C, H, W = x.shape
    win = x.reshape(N, C, H // k, k, W // k, k).transpose(0, 1, 2, 4, 3, 5)
    idx = win.reshape(N, C, H // k, W // k, k * k).argmax(axis=-1)
    onehot = np.eye(k * k)[idx] * np.asarray(grad_out, float)[..., None]
    dx = onehot.reshape(N, C, H // k, W // k, k, k).transpose(0, 1, 2, 4, 3, 5)
    return dx.reshape(N, C, H, W)


def _mp_ceil_windows(x, grad_out, k):
    # partial edge windows kept (ceil): witness: x 1x1x3x3, k=2, grad_out 1x1x1x1 -> IndexError;
    # when it does run, leftover rows would get gradient
    x = np.asarray(x)
    dx = np.zeros(x.shape)
    N, C, H, W = x.shape
    for n in range(N):
        for c in range(C):
            for r in range(-(-H // k)):
                for s in range(-(-W // k)):
                    win = x[n, c, r * k:(r + 1) * k, s * k:(s + 1) * k]
                    a, b = np.unravel_index(int(np.argmax(win)), win.shape)
                    dx[n, c, r * k + a, s * k + b] = grad_out[n, c, r, s]
    return dx


def _mp_one_per_channel(x, grad_out, k):
    # argmax over the whole channel: all the channel's gradient to one position
    x = np.asarray(x)
    dx = np.zeros(x.shape)
    N, C, H, W = x.shape
    for n in range(N):
        for c in range(C):
            a, b = np.unravel_index(int(np.argmax(x[n, c])), (H, W))
            dx[n, c, a, b] = np.sum(grad_out[n, c])
    return dx


def _mp_average_pool(x, grad_out, k):
    # average-pooling backward: grad / k^2 to every entry of the window
    x = np.asarray(x)
    dx = np.zeros(x.shape)
    for n, c, r, s, win in _windows(x, k):
        dx[n, c, r * k:(r + 1) * k, s * k:(s + 1) * k] = grad_out[n, c, r, s] / k ** 2
    return dx


def _mp_int_buffer(x, grad_out, k):
    # zeros_like(x): int x truncates a gradient of 0.5 to 0
    x = np.asarray(x)
    dx = np.zeros_like(x)
    for n, c, r, s, win in _windows(x, k):
        a, b = divmod(int(np.argmax(win)), k)
        dx[n, c, r * k + a, s * k + b] = grad_out[n, c, r, s]
    return dx


def _mp_n_c_swapped(x, grad_out, k):
    # grad_out indexed [c, n]; N != C -> IndexError, N == C -> gradients of the wrong example
    x = np.asarray(x)
    dx = np.zeros(x.shape)
    for n, c, r, s, win in _windows(x, k):
        a, b = divmod(int(np.argmax(win)), k)
        dx[n, c, r * k + a, s * k + b] = grad_out[c, n, r, s]
    return dx


def _mp_reuses_x(x, grad_out, k):
    # x reused as the output buffer (dx = x; dx[...] = 0) — the caller's x is wiped
    pos = []
    for n, c, r, s, win in _windows(np.asarray(x), k):
        a, b = divmod(int(np.argmax(win)), k)
        pos.append((n, c, r * k + a, s * k + b, grad_out[n, c, r, s]))
    dx = x
    dx[...] = 0
    for n, c, i, j, g in pos:
        dx[n, c, i, j] = g
    return dx.astype(float)


def _mp_float32_out(x, grad_out, k):
    # float32 output: gradient 0.1 stored as 0.10000000149
    x = np.asarray(x)
    dx = np.zeros(x.shape, dtype=np.float32)
    for n, c, r, s, win in _windows(x, k):
        a, b = divmod(int(np.argmax(win)), k)
        dx[n, c, r * k + a, s * k + b] = grad_out[n, c, r, s]
    return dx


def _mp_running_max_minus_1e9(x, grad_out, k):
    # running maximum initialised to -1e9 ("very negative"): a window below -1e9 sends its
    # gradient to (0, 0); witness: x=[[[[-5e9, -2e9], [-3e9, -4e9]]]] -> (0, 0) (true (0, 1))
    def pick(win):
        best, pos = -1e9, (0, 0)
        for a in range(k):
            for b in range(k):
                if win[a, b] > best:
                    best, pos = win[a, b], (a, b)
        return pos
    return _first_argmax(x, grad_out, k, pick)


def _mp_cropped_shape(x, grad_out, k):
    # returns the gradient of the cropped input only: shape (N, C, (H//k) k, (W//k) k);
    # witness: x of shape (1, 1, 3, 3), k=2 -> shape (1, 1, 2, 2) (true (1, 1, 3, 3))
    x = np.asarray(x)
    N, C, H, W = x.shape
    return _first_argmax(x[:, :, :H // k * k, :W // k * k], grad_out, k,
                         lambda win: divmod(int(np.argmax(win)), k))


def _mp_windows_from_the_end(x, grad_out, k):
    # windows aligned to the bottom-right (the FIRST rows/columns left out when k does not
    # divide H); witness: x = arange(9).reshape(1, 1, 3, 3), k=2 -> the one window is rows and
    # columns 1..2, gradient at (2, 2) (true window rows/columns 0..1, gradient at (1, 1))
    x = np.asarray(x)
    N, C, H, W = x.shape
    oh, ow = H - H // k * k, W - W // k * k
    dx = np.zeros(x.shape)
    dx[:, :, oh:, ow:] = _first_argmax(x[:, :, oh:, ow:], grad_out, k,
                                       lambda win: divmod(int(np.argmax(win)), k))
    return dx


def _mp_hangs_on_nonpositive(x, grad_out, k):
    # HANGS: while-loop over windows that skips ahead only when the maximum is positive
    x = np.asarray(x)
    dx = np.zeros(x.shape)
    wins = list(_windows(x, k))
    t = 0
    while t < len(wins):
        n, c, r, s, win = wins[t]
        if win.max() <= 0:
            continue
        a, b = divmod(int(np.argmax(win)), k)
        dx[n, c, r * k + a, s * k + b] = grad_out[n, c, r, s]
        t += 1
    return dx


WRONG = {
    "check_conv_output_size": [
        ("forgets the + 1", _cos_no_plus_one),
        ("padding added once, not 2p", _cos_padding_once),
        ("dilation ignored", _cos_ignores_dilation),
        ("effective kernel d*k", _cos_dilation_times_k),
        ("ceil instead of floor", _cos_ceil),
        ("round instead of floor", _cos_round),
        ("true division: returns a float", _cos_float),
        ("precedence: - 1 // s", _cos_precedence),
        ("stride divides the input only", _cos_divides_whole),
        ("effective kernel d*k - 1", _cos_dilation_minus_one),
        ("stride ignored", _cos_stride_one_only),
    ],
    "check_convolve2d": [
        ("no flip: cross-correlation", _cv_no_flip),
        ("flips rows only", _cv_flip_rows_only),
        ("flips columns only", _cv_flip_cols_only),
        ("w.T instead of the 180-degree flip", _cv_transpose_not_flip),
        ("flips the image instead of the kernel", _cv_flip_image),
        ("range(H - kh): output one too small", _cv_off_by_one_shape),
        ("'same' mode with zero padding", _cv_same_mode),
        ("'full' mode", _cv_full_mode),
        ("accumulator of x's int dtype truncates", _cv_int_buffer),
        ("int output for int inputs (result_type)", _cv_int_result_type),
        ("square kernel assumed (k = kh)", _cv_square_kernel_assumed),
        ("square image assumed (W = H)", _cv_square_image_assumed),
        ("index i + kh - 2 - a (wraps to -1)", _cv_index_off_by_one),
        ("slice w[kh-1:0:-1] drops the kernel's first row/column", _cv_slice_drops_first),
        ("kernel normalised by its sum", _cv_normalised_kernel),
        ("w[:] = w[::-1, ::-1] (mutates caller's w)", _cv_flips_in_place),
        ("x[:] = x[::-1, ::-1], output flipped back (mutates caller's x)", _cv_flips_x_in_place),
        ("float32 accumulator", _cv_float32),
        ("FFT convolution (round-off relative to the largest entry)", _cv_fft),
        ("centre indexing for odd kernels only", _cv_odd_kernel_centre),
        ("kernel as big as the image returns a scalar", _cv_full_kernel_scalar),
        ("np.rot90 once (90 degrees, not 180)", _cv_rot90_once),
        ("integer accumulation (uint8/int64 wrap) then float", _cv_int_accumulate_then_float),
        ("HANGS: while-loop stuck on a zero window sum", _cv_hangs_while),
    ],
    "check_max_pool_backward": [
        ("every tied maximum gets the gradient", _mp_all_ties),
        ("ties share the gradient equally", _mp_ties_split),
        ("last tie wins (reversed argmax)", _mp_last_tie),
        ("ties broken in column-major order", _mp_column_major),
        ("divmod result swapped (col, row)", _mp_divmod_swapped),
        ("running max initialised to 0 (negative windows)", _mp_running_max_zero),
        ("running max with >= (last tie wins)", _mp_running_max_ge),
        ("argmax of |x|", _mp_abs_max),
        ("values rounded to 6 decimals before argmax", _mp_rounded_ties),
        ("argmax on float32 copies", _mp_float32_argmax),
        ("windows with stride 1", _mp_stride_one),
        ("reshape trick needs k | H and k | W", _mp_reshape_needs_divisible),
        ("partial edge windows kept (ceil)", _mp_ceil_windows),
        ("one argmax per channel", _mp_one_per_channel),
        ("average-pooling backward", _mp_average_pool),
        ("zeros_like(x): int x truncates the gradient", _mp_int_buffer),
        ("grad_out indexed [c, n]", _mp_n_c_swapped),
        ("x reused as the output buffer (mutates caller's x)", _mp_reuses_x),
        ("float32 output", _mp_float32_out),
        ("running max initialised to -1e9", _mp_running_max_minus_1e9),
        ("gradient of the cropped input only (wrong shape)", _mp_cropped_shape),
        ("windows aligned to the bottom-right", _mp_windows_from_the_end),
        ("HANGS: while-loop stuck on a non-positive window", _mp_hangs_on_nonpositive),
    ],
}
