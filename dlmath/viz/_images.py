"""Small deterministic test images for the SVD and convolution explorers (no files needed)."""
import numpy as np

__all__ = ["scene", "checkerboard", "shapes", "digits_mosaic", "digit", "small_shape",
           "SMALL_SHAPES"]


def scene(n=128):
    """A smooth synthetic landscape (sky gradient, sun, two mountain ridges, a lake with
    ripples, a house) in [0, 1], shape (n, n). Smooth regions are low rank; edges are not."""
    y, x = np.mgrid[0:n, 0:n] / (n - 1)
    img = 0.85 - 0.45 * y                                   # sky: lighter at the top
    sun = (x - 0.75) ** 2 + (y - 0.22) ** 2 < 0.012
    img = np.where(sun, 1.0, img)
    ridge1 = 0.55 - 0.12 * np.sin(6 * x + 0.5) - 0.08 * np.cos(13 * x)
    ridge2 = 0.68 - 0.06 * np.sin(9 * x + 2.0)
    img = np.where(y > ridge1, 0.45 - 0.25 * (y - ridge1), img)
    img = np.where(y > ridge2, 0.30 + 0.05 * np.sin(40 * x), img)
    lake = y > 0.82
    img = np.where(lake, 0.55 + 0.08 * np.sin(60 * y + 8 * x), img)
    house = (x > 0.15) & (x < 0.32) & (y > 0.62) & (y < 0.80)
    roof = (y < 0.62) & (y > 0.62 - 0.12 * (1 - np.abs(x - 0.235) / 0.1)) & \
        (np.abs(x - 0.235) < 0.1)
    img = np.where(house, 0.9, img)
    img = np.where(roof, 0.15, img)
    door = (x > 0.21) & (x < 0.26) & (y > 0.71) & (y < 0.80)
    return np.clip(np.where(door, 0.1, img), 0, 1)


def checkerboard(n=96, squares=8):
    """A checkerboard: rank 2 exactly (a rank-1 ±1 pattern plus the mean)."""
    k = np.arange(n) * squares // n
    return ((k[:, None] + k[None, :]) % 2).astype(float)


def shapes(n=96):
    """A disk, a rotated square and diagonal stripes on a gray background."""
    y, x = (np.mgrid[0:n, 0:n] + 0.5) / n
    img = np.full((n, n), 0.5)
    img[(x - 0.3) ** 2 + (y - 0.3) ** 2 < 0.03] = 1.0
    u, v = (x - 0.7) + (y - 0.3), (x - 0.7) - (y - 0.3)
    img[(np.abs(u) + np.abs(v) < 0.25) & (np.abs(u) < 0.17) & (np.abs(v) < 0.17)] = 0.0
    stripes = (y > 0.6) & (np.sin(40 * (x + y)) > 0)
    img[stripes] = 0.85
    return img


def digits_mosaic(rows=10, cols=10):
    """The first rows×cols images of dlmath's bundled 8×8 digits, tiled, scaled to [0, 1]."""
    from dlmath.data import load_digits
    X, _ = load_digits(split="all", images=True)
    tiles = X[: rows * cols, 0] / 16.0
    return tiles.reshape(rows, cols, 8, 8).transpose(0, 2, 1, 3).reshape(rows * 8, cols * 8)


def digit(index=0):
    """One 8×8 digit from dlmath's bundled data set, scaled to [0, 1], and its label."""
    from dlmath.data import load_digits
    X, y = load_digits(split="all", images=True)
    index = int(index) % len(X)
    return X[index, 0] / 16.0, int(y[index])


def _shape_square(n):
    img = np.zeros((n, n))
    img[n // 4: 3 * n // 4, n // 4: 3 * n // 4] = 1.0
    return img


def _shape_cross(n):
    img = np.zeros((n, n))
    c, w = n // 2, max(1, n // 8)
    img[c - w: c + w, 2: n - 2] = 1.0
    img[2: n - 2, c - w: c + w] = 1.0
    return img


def _shape_circle(n):
    y, x = np.mgrid[0:n, 0:n] + 0.5
    r = np.hypot(x - n / 2, y - n / 2)
    return ((r < n * 0.38) & (r > n * 0.22)).astype(float)


def _shape_diagonal(n):
    y, x = np.mgrid[0:n, 0:n]
    return (np.abs(x - y) <= 1).astype(float)


def _shape_gradient(n):
    y, x = np.mgrid[0:n, 0:n] / (n - 1)
    return 0.5 * x + 0.5 * (x > 0.5)


SMALL_SHAPES = {"square": _shape_square, "cross": _shape_cross, "ring": _shape_circle,
                "diagonal line": _shape_diagonal, "ramp + step": _shape_gradient}


def small_shape(name, n=12):
    """A small synthetic input image for the convolution explorer, values in [0, 1]."""
    if name not in SMALL_SHAPES:
        raise ValueError(f"unknown shape {name!r}; choose from {list(SMALL_SHAPES)}")
    return SMALL_SHAPES[name](n)
