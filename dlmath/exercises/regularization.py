"""Checkers for notebook 22: regularisation, data splits, dropout, early stopping.

Each lists its hand-picked cases (expected values worked out by hand in the comments) and the
classic mistakes it recognises, then runs a seeded sweep — degenerate corners first — against an
oracle that is not a reference solution:

* ``check_dropout_forward`` reproduces the learner's random draws from a second generator with the
  same seed, drawn *one number at a time* (a Generator's stream is the same element by element),
  and applies the definition element by element: out_i = x_i/(1 − p) if u_i ≥ p, else 0;
* ``check_split_indices`` does not reproduce any permutation: it checks the properties the
  exercise asks for with set operations (disjoint, covering, no repeats) and per-class counts
  (|count − f·n_c| ≤ 1), and the randomness by counting over many seeds how often each example
  lands in each part (every example of a class equally likely);
* ``check_early_stopping`` enumerates: after epoch e the best epoch so far is the first arg-min of
  the losses of epochs 1 … e, and training stops at the first e with e − best(e) = patience — no
  running counter at all."""
import numpy as np

from .core import Case, Given, Mistake, Sweep, fmt, run_checks, _call
from .core import as_array as _arr

__all__ = ["check_dropout_forward", "check_split_indices", "check_early_stopping"]


# ---------------------------------------------------------------------------------------------
# Exercise 1 · inverted dropout
# ---------------------------------------------------------------------------------------------

class _Rng(np.random.Generator):
    """``np.random.default_rng(seed)`` (the same PCG64 stream) that shows itself as that call in
    messages, so that a failing input can be pasted back."""

    def __init__(self, seed):
        super().__init__(np.random.PCG64(seed))
        self.seed = seed

    def __repr__(self):
        return f"np.random.default_rng({self.seed})"


def _uniforms(shape, seed):
    """The numbers ``default_rng(seed).random(shape)`` gives, drawn one at a time (C order)."""
    g = np.random.Generator(np.random.PCG64(seed))
    n = int(np.prod(shape, dtype=np.int64))
    return np.array([g.random() for _ in range(n)], dtype=float).reshape(shape)


_U0 = 0.6369616873214543            # np.random.default_rng(0).random(), exactly


def _dropout_oracle(x, p, training, seed):
    """The definition, element by element: x_i/(1 − p) if u_i ≥ p else 0 (training, p < 1);
    0 everywhere (training, p = 1); x (evaluation)."""
    x = np.asarray(x, dtype=float)
    if not training:
        return x.copy()
    if p >= 1:
        return np.zeros(x.shape)
    u = _uniforms(x.shape, seed)
    out = np.zeros(x.shape)
    for idx, v in np.ndenumerate(x):
        if u[idx] >= p:
            out[idx] = float(v) / (1.0 - p)
    return out


def _rng_problem(args):
    """For training with p < 1 the generator must have made exactly one draw rng.random(x.shape);
    None if so (or if nothing is required), else a message."""
    if args is None:
        return None
    x, p, training, rng = args
    if not isinstance(rng, _Rng) or (training and p >= 1):
        return None
    if not training:
        fresh = np.random.Generator(np.random.PCG64(rng.seed)).bit_generator.state
        if rng.bit_generator.state != fresh:
            return ("the result is right, but rng was used in evaluation mode: there nothing is "
                    "dropped, so draw nothing — return x before drawing the mask")
        return None
    ref = np.random.Generator(np.random.PCG64(rng.seed))
    ref.random(np.shape(x))
    if rng.bit_generator.state != ref.bit_generator.state:
        fresh = np.random.Generator(np.random.PCG64(rng.seed)).bit_generator.state
        if rng.bit_generator.state == fresh:
            return ("the result is right, but rng was not used: in training mode with p < 1 "
                    "(p = 0 too) draw the mask with one call keep = rng.random(x.shape) >= p, so "
                    "that the generator moves on exactly as the exercise fixes")
        return ("the result is right, but rng was not advanced by exactly one call "
                "rng.random(x.shape): draw the mask once, and nothing else")
    return None


def _dropout_compare(out, expected, args):
    try:
        got = _arr(out)
    except (TypeError, ValueError):
        return f"expected an array, got {fmt(out)}"
    if got.shape != expected.shape:
        return f"expected shape {expected.shape}, got {got.shape} ({fmt(got)})"
    if not np.all(np.isfinite(got)):
        return f"expected {fmt(expected)}, got {fmt(got)} (nan or inf)"
    if not np.allclose(got, expected, rtol=1e-12, atol=1e-300):
        if expected.size <= 12:
            return f"expected {fmt(expected)}, got {fmt(got)}"
        k = int(np.argmax(np.abs(got - expected).ravel()))
        idx = tuple(int(i) for i in np.unravel_index(k, expected.shape))
        return f"expected {fmt(expected[idx])} at index {idx}, got {fmt(got[idx])}"
    return _rng_problem(args)


def _dropout_expect(x, p, training, seed):
    expected = _dropout_oracle(x, p, training, seed)
    return lambda o: _dropout_compare(o, expected, None)


def _dropout_input(rng, i):
    """Given((x, p, training, rng), expected). Corners first — p = 0, p = 1 (training and
    evaluation), a 0-d x, a single element, evaluation with several p, 3-d arrays, p very close
    to 0 and 1 — then random shapes (up to 3-d), p uniform in [0, 1) or from a grid, both modes."""
    corners = [
        (np.array([1.0, -2.0, 3.0]), 0.0, True), (np.array([1.0, -2.0, 3.0]), 1.0, True),
        (np.array([[1.0, 2.0], [3.0, 4.0]]), 1.0, False), (np.array(2.5), 0.5, True),
        (np.array([7.0]), 0.3, True), (np.array([[0.5, -1.5]]), 0.9, False),
        (np.arange(24.0).reshape(2, 3, 4) - 11, 0.5, True), (np.full(10, 3.0), 1e-9, True),
        (np.full(10, 3.0), 1 - 1e-9, True), (np.zeros((3, 3)), 0.5, True),
    ]
    seed = int(rng.integers(0, 10_000))
    if i < len(corners):
        x, p, training = corners[i]
    else:
        ndim = int(rng.integers(1, 4))
        shape = tuple(int(v) for v in rng.integers(1, 6, ndim))
        x = rng.standard_normal(shape) * float(rng.choice([0.1, 1.0, 100.0]))
        p = float(rng.choice([0.1, 0.25, 0.5, 0.8])) if i % 3 else float(rng.uniform(0, 1))
        training = bool(i % 4)
    return Given((x, p, training, _Rng(seed)), _dropout_oracle(x, p, training, seed))


def check_dropout_forward(fn):
    """dropout_forward(x, p, training, rng) → inverted dropout: in training mode keep = rng.random(
    x.shape) >= p and out = keep·x/(1 − p) (zeros when p = 1); in evaluation mode x unchanged.

    Catches: no inverted scaling (keep·x), survivors multiplied by 1 − p or divided by p, p taken
    as the keep probability (u < p keeps), dropout left on at evaluation, evaluation scaled by
    1 − p (the old, non-inverted convention), nan/inf at p = 1 (0/0), something else than zeros at
    p = 1, one mask value per column (a mask of shape x.shape[-1] broadcast), draws that have the
    right distribution but are not rng.random(x.shape) (rng.binomial, a fresh generator), the mask
    returned instead of the output, u > p for u ≥ p, no draw for p = 0; every check also looks at
    the generator afterwards (exactly one rng.random(x.shape) in training with p < 1, no draw in
    evaluation mode). Sweep: the element-by-element oracle (module docstring)."""
    x1 = np.array([1.0, 2.0, 3.0, 4.0])
    x2 = np.array([[1.0, -2.0, 3.0], [0.5, 5.0, -10.0]])

    def case(name, x, p, training, seed, expected, hint=""):
        args = (x, p, training, _Rng(seed))         # the expectation also inspects this rng
        return Case(name, args, lambda o: _dropout_compare(o, np.asarray(expected, float), args),
                    hint)

    cases = [
        # default_rng(0).random(4) = [0.637, 0.270, 0.041, 0.017]: with p = 0.25 the first two
        # survive, scaled by 1/0.75 — [4/3, 8/3, 0, 0]
        case("x = [1, 2, 3, 4], p = 0.25, training, rng = np.random.default_rng(0)",
             x1, 0.25, True, 0, [4 / 3, 8 / 3, 0.0, 0.0]),
        # default_rng(1).random((2, 3)) = [[0.512, 0.950, 0.144], [0.949, 0.312, 0.423]]: p = 0.4
        # keeps [[T, T, F], [T, F, T]]; scaled by 1/0.6 — [[5/3, −10/3, 0], [5/6, 0, −50/3]]
        case("2-D x, p = 0.4, training, rng = np.random.default_rng(1)", x2, 0.4, True, 1,
             [[5 / 3, -10 / 3, 0.0], [5 / 6, 0.0, -50 / 3]]),
        # evaluation: x itself, whatever p
        case("evaluation mode, p = 0.5", x2, 0.5, False, 2, x2,
             hint="in evaluation mode dropout does nothing: return x unchanged."),
        # p = 0: every u ≥ 0, nothing dropped, 1/(1 − 0) = 1 (and the mask is still drawn)
        case("p = 0 in training mode", x1, 0.0, True, 3, x1),
        # p = 1: every element dropped; keep·x/(1 − p) would be 0/0
        case("p = 1 in training mode", x2, 1.0, True, 4, np.zeros((2, 3)),
             hint="with p = 1 every element is dropped: return zeros of x's shape without "
                  "dividing by 1 − p = 0."),
        case("p = 1 in evaluation mode", x2, 1.0, False, 5, x2),
        # p exactly equal to the first uniform number of default_rng(0): u ≥ p keeps it
        case("x = [1.5], p = u = 0.6369616873214543 (the first number of default_rng(0))",
             np.array([1.5]), _U0, True, 0, [1.5 / (1 - _U0)],
             hint="an element survives when u ≥ p — also when u equals p exactly."),
        case("a 0-d x = 2.5, p = 0.5, training, rng = np.random.default_rng(0) (u = 0.637)",
             np.array(2.5), 0.5, True, 0, 5.0),
    ]
    probe = np.linspace(-3.0, 4.0, 40).reshape(5, 8)
    big = np.full((200, 100), 2.0)
    pp, seed = 0.3, 11
    u = _uniforms(probe.shape, seed)
    keep = u >= pp

    def out(f, x=probe, p=pp, training=True, s=seed):
        try:
            return _call(f, (x, p, training, _Rng(s)), mutates=True)
        except Exception:
            return None

    def gives(expected, **kw):
        def detect(f):
            o = out(f, **kw)
            if o is None:
                return False
            try:
                got = _arr(o)
            except (TypeError, ValueError):
                return False
            return got.shape == np.shape(expected) and bool(
                np.allclose(got, expected, rtol=1e-9, atol=1e-12, equal_nan=False))
        return detect

    def right_distribution_wrong_draws(f):
        o = out(f, x=big, p=0.25, s=12)
        if o is None:
            return False
        got = _arr(o)
        if got.shape != big.shape:
            return False
        kept = np.isclose(got, 2.0 / 0.75)
        mine = _uniforms(big.shape, 12) >= 0.25
        return bool(np.all(kept | (got == 0)) and abs(kept.mean() - 0.75) < 0.01
                    and np.mean(kept == mine) < 0.9)

    def nan_at_one(f):
        o = out(f, p=1.0)
        try:
            return o is not None and not np.all(np.isfinite(_arr(o)))
        except (TypeError, ValueError):
            return False

    col_keep = _uniforms((probe.shape[-1],), seed) >= pp
    mistakes = [
        Mistake("evaluation scaled by 1 − p", gives(probe * (1 - pp), training=False),
                "that is the old, non-inverted convention (scale at test time). With inverted "
                "dropout the scaling 1/(1 − p) happens in training, and evaluation returns x "
                "itself."),
        Mistake("no inverted scaling", gives(probe * keep),
                "the survivors must be scaled by 1/(1 − p): keep·x alone has the mean (1 − p)·x, "
                "so the next layer sees smaller inputs in training than at evaluation. Inverted "
                "dropout returns keep·x/(1 − p), whose mean is x."),
        Mistake("multiplied by 1 − p", gives(probe * keep * (1 - pp)),
                "divide the survivors by 1 − p (scale them up), don't multiply: the mean of "
                "keep·x/(1 − p) is (1 − p)·x/(1 − p) = x."),
        Mistake("divided by p", gives(probe * keep / pp),
                "the scale is 1/(1 − p), the inverse of the probability of being KEPT; p is the "
                "probability of being dropped."),
        Mistake("p taken as the keep probability",
                lambda f: any(gives(probe * ~keep * c)(f) for c in (1.0, 1 / (1 - pp), 1 / pp)),
                "p is the probability of DROPPING an element: an element survives when its "
                "uniform number u ≥ p (keep = rng.random(x.shape) >= p), not when u < p."),
        Mistake("on at evaluation", lambda f: gives(probe * keep / (1 - pp), training=False)(f)
                or gives(probe * keep, training=False)(f),
                "in evaluation mode (training=False) dropout must do nothing: return x unchanged. "
                "Left on, the network's predictions at test time are random."),
        Mistake("nan at p = 1", nan_at_one,
                "with p = 1 every element is dropped and keep·x/(1 − p) is 0/0 = nan: handle "
                "p = 1 separately and return zeros of x's shape."),
        Mistake("p = 1 not all zeros", lambda f: (lambda o: o is not None and np.all(np.isfinite(
                    _arr(o))) and _arr(o).shape == probe.shape and np.any(_arr(o) != 0))(
                    out(f, p=1.0)),
                "with p = 1 (training) every element is dropped: the result is all zeros."),
        Mistake("u > p instead of u ≥ p", lambda f: gives(probe * keep / (1 - pp))(f) and (
                lambda o: o is not None and np.shape(o) == (1,) and _arr(o)[0] == 0)(
                    out(f, x=np.array([1.5]), p=_U0, s=0)),
                "keep an element when its uniform number u ≥ p (the exercise's rule), not only "
                "when u > p: with p equal to a drawn u the two differ."),
        Mistake("one mask value per column", gives(probe * col_keep / (1 - pp)),
                "draw one uniform number per ELEMENT, rng.random(x.shape), not one per column "
                "(rng.random(x.shape[-1]) broadcast): every unit is dropped independently."),
        Mistake("the mask returned", lambda f: gives(keep.astype(float))(f)
                or gives(keep / (1 - pp))(f),
                "return the output keep·x/(1 − p), not the mask."),
        Mistake("different draws", right_distribution_wrong_draws,
                "your output has the right distribution, but not the draws the exercise fixes: "
                "draw the mask exactly as keep = rng.random(x.shape) >= p, once, from the rng "
                "you are given (not rng.binomial, not a new generator), so that it can be "
                "reproduced."),
    ]
    def p0_no_draw(f):
        g = _Rng(3)
        try:
            o = _call(f, (probe, 0.0, True, g), mutates=True)
        except Exception:
            return False
        fresh = np.random.Generator(np.random.PCG64(3)).bit_generator.state
        return _dropout_compare(o, probe, None) is None and g.bit_generator.state == fresh

    mistakes.append(Mistake(
        "no draw for p = 0", p0_no_draw,
        "with p = 0 the result is x, but the exercise still draws the mask — keep = "
        "rng.random(x.shape) >= p, one call for every p < 1 — so that the generator moves on the "
        "same way whatever p is (the next layer's mask depends on it)."))
    sweep = Sweep(_dropout_input, None, _dropout_compare, n=120, seed=22,
                  property="inverted-dropout output (x_i/(1 − p) where u_i ≥ p, else 0)",
                  hint="training: keep = rng.random(x.shape) >= p; return x * keep / (1 - p) "
                       "(zeros if p == 1); evaluation: return x.")
    return run_checks("dropout_forward", fn, cases, mistakes, sweep=sweep, hint=sweep.hint)


# ---------------------------------------------------------------------------------------------
# Exercise 2 · a stratified train/validation/test split
# ---------------------------------------------------------------------------------------------

_PARTS = ("train", "val", "test")


def _as_index_array(part, name):
    """(int64 array, None) or (None, message)."""
    if not isinstance(part, np.ndarray):
        return None, (f"{name} must be a NumPy array of integer indices, got a "
                      f"{type(part).__name__} ({fmt(part)})")
    a = part
    if a.dtype == bool:
        return None, (f"{name} is a boolean mask: return the indices of the examples "
                      f"(np.flatnonzero(mask)), not a mask")
    if a.ndim != 1:
        return None, f"{name} must be a 1-D array of indices, got shape {a.shape}"
    if a.dtype.kind not in "iu":
        if a.size == 0:
            return None, (f"{name} is empty but has dtype {a.dtype}: an empty part must be an "
                          f"empty INTEGER array (np.array([], dtype=int); np.array([]) is float)")
        if a.dtype.kind == "f" and np.all(a == np.round(a)):
            return None, f"{name} holds floats ({fmt(a[:5])} …): return integer indices"
        return None, f"{name} must hold integer indices, got dtype {a.dtype}"
    return a.astype(np.int64), None


def _split_problem(out, y, fractions, seed=None):
    """None if ``out`` is a valid split of y for these fractions (disjoint, covering, no repeats,
    per-class counts within one of f·n_c, zero-fraction parts empty), else a message."""
    if not isinstance(out, tuple) or len(out) != 3:
        return f"return a tuple of three index arrays (train, val, test), got {fmt(out)}"
    parts = []
    for name, part in zip(_PARTS, out):
        a, problem = _as_index_array(part, name)
        if problem:
            return problem
        parts.append(a)
    y = np.asarray(y)
    n = len(y)
    for name, a in zip(_PARTS, parts):
        bad = a[(a < 0) | (a >= n)]
        if bad.size:
            return f"{name} contains the index {int(bad[0])}, outside 0 … {n - 1}"
        values, counts = np.unique(a, return_counts=True)
        if np.any(counts > 1):
            return f"{name} contains the index {int(values[counts > 1][0])} more than once"
    for (na, a), (nb, b) in ((("train", parts[0]), ("val", parts[1])),
                             (("train", parts[0]), ("test", parts[2])),
                             (("val", parts[1]), ("test", parts[2]))):
        both = set(a.tolist()) & set(b.tolist())
        if both:
            return (f"{na} and {nb} overlap: {len(both)} index(es) in both, e.g. "
                    f"{min(both)}")
    missing = set(range(n)) - set(np.concatenate(parts).tolist())
    if missing:
        return (f"{len(missing)} of the {n} examples are in no part (lost), e.g. index "
                f"{min(missing)}")
    for name, a, f in zip(_PARTS, parts, fractions):
        if f == 0 and a.size:
            return f"{name} has fraction 0 but holds {a.size} example(s): it must be empty"
        for c in np.unique(y):
            n_c = int(np.sum(y == c))
            count = int(np.sum(y[a] == c))
            if abs(count - f * n_c) > 1 + 1e-9:
                return (f"not stratified: class {fmt(c)} has {n_c} examples, so {name} "
                        f"(fraction {fmt(f)}) should hold {fmt(f * n_c)} ± 1 of them, but holds "
                        f"{count}")
    return None


def _same_split(a, b):
    try:
        return all(set(np.asarray(p).tolist()) == set(np.asarray(q).tolist())
                   for p, q in zip(a, b)) and len(a) == len(b) == 3
    except TypeError:
        return False


def _split_input(rng, i):
    """(y, fractions, seed): corners first — one example, one class, all in train, an empty
    validation part, a class with one example, unbalanced classes, labels that are not 0 … K−1 —
    then 1–6 classes of 1–40 examples each (arbitrary labels, shuffled order) and fractions with
    f_train ≥ 0.3 (a zero part now and then)."""
    corners = [
        (np.array([4]), (0.6, 0.2, 0.2)), (np.array([2, 2, 2, 2, 2]), (0.6, 0.2, 0.2)),
        (np.array([0, 1, 0, 1]), (1.0, 0.0, 0.0)), (np.array([0] * 6 + [1] * 6), (0.75, 0.0, 0.25)),
        (np.array([7, 3, 7, 7, 3, 9]), (0.5, 0.25, 0.25)),
        (np.array([0] * 90 + [1] * 10), (0.8, 0.1, 0.1)),
        (np.array([-5, 100, -5, 100, 100, -5, 3]), (0.4, 0.3, 0.3)),
        (np.array([1] * 10 + [2]), (0.1, 0.45, 0.45)), (np.array([0]), (0.5, 0.5, 0.0)),
        (np.array([0, 0, 0, 1]), (0.5, 0.5, 0.0)), (np.array([5, 5, 5]), (0.5, 0.0, 0.5)),
        (np.array([1, 2, 2, 3, 3, 3]), (0.5, 0.5, 0.0)),
    ]
    seed = int(rng.integers(0, 2**31))
    if i < len(corners):
        y, fr = corners[i]
        return y, fr, seed
    k = int(rng.integers(1, 7))
    labels = rng.choice(np.arange(-20, 50), k, replace=False)
    y = rng.permutation(np.repeat(labels, rng.integers(1, 41, k)))
    f_train = float(rng.uniform(0.3, 1.0))
    share = float(rng.uniform(0, 1))
    f_val = (1 - f_train) * share
    if i % 5 == 0:
        f_val = 0.0
    elif i % 5 == 1:
        f_val = 1 - f_train                          # no test part
    if i % 3 == 0:
        f_train = float(rng.choice([0.5, 0.25, 0.75]))   # halves and quarters: exact .5 ties
        f_val = (1 - f_train) * float(rng.choice([0.0, 0.5, 1.0]))
    return y, (f_train, f_val, 1 - f_train - f_val), seed


def check_split_indices(fn):
    """split_indices(y, fractions, seed) → (train, val, test) index arrays: disjoint, covering,
    stratified (|count − f·n_c| ≤ 1 for every class and part), random within each class and
    reproducible from the seed without NumPy's global random state.

    Catches: sampling with replacement (overlaps, repeats), lost examples (each part rounded down,
    or each of the three rounded separately), a split that ignores the classes, the parts in the
    wrong order, boolean masks, no shuffling (the first examples of each class always go to
    train), the seed not used (a new split on every call), NumPy's global random state used or
    changed (NumPy's or Python's), empty parts as float arrays, a shuffle that is not uniform (a
    rotation, Sattolo's algorithm: pair frequencies and per-example frequencies over 300 seeds).
    Sweep: the properties above on random label vectors (module docstring)."""
    y_bal = np.array([0] * 5 + [1] * 5)
    y_unbal = np.array([0] * 90 + [1] * 10)
    y_odd = np.array([7, 3, 7, 7, 3, 9])
    y_exch = np.array([0, 1] * 8 + [0] * 4)          # 12 of class 0, 8 of class 1, interleaved

    def valid(y, fr):
        return lambda o: _split_problem(o, y, fr)

    def call(f, y, fr, seed):
        try:
            return _call(f, (y, fr, seed), mutates=True)
        except Exception:
            return None

    def reproducible(f):
        a, b = call(f, y_unbal, (0.6, 0.2, 0.2), 7), call(f, y_unbal, (0.6, 0.2, 0.2), 7)
        if a is None or b is None or not _same_split(a, b):
            return ("called twice with the same seed it gave two different splits: make the "
                    "generator from the seed, rng = np.random.default_rng(seed), inside the "
                    "function")
        return None

    def varies(f):
        outs = [call(f, y_unbal, (0.6, 0.2, 0.2), s) for s in range(10)]
        if all(o is not None and _same_split(o, outs[0]) for o in outs):
            return ("seeds 0 … 9 all gave the same split: which examples go where must be random "
                    "(shuffle each class's indices with rng = np.random.default_rng(seed))")
        return None

    def exchangeable(f):
        """Over 300 seeds every example of a class should land in each part about equally
        often: within 0.15 of its class's average rate (at least 5 standard deviations), on
        a set with larger classes and on one with classes of 2, 3 and 4."""
        for y, fr in ((y_exch, (0.5, 0.25, 0.25)),
                      (np.array([0, 0, 1, 1, 1, 2, 2, 2, 2]), (0.5, 0.5, 0.0))):
            rates = np.zeros((3, len(y)))
            for s in range(300):
                o = call(f, y, fr, 1000 + s)
                problem = "it raised an error" if o is None else _split_problem(o, y, fr)
                if problem:
                    return f"on y = {fmt(y)}, fractions {fr}, seed {1000 + s}: {problem}"
                for k in range(3):
                    rates[k, np.asarray(o[k], dtype=np.int64)] += 1 / 300
            for k in range(3):
                for c in np.unique(y):
                    r = rates[k, y == c]
                    if np.abs(r - r.mean()).max() > 0.15:
                        j = int(np.flatnonzero(y == c)[np.argmax(np.abs(r - r.mean()))])
                        return (f"not random within a class: on y = {fmt(y)}, fractions {fr}, "
                                f"over 300 seeds example {j} (class {c}) was in {_PARTS[k]} "
                                f"{rates[k, j]:.0%} of the time, the class's examples on average "
                                f"{r.mean():.0%}. Shuffle each class's indices (rng.permutation) "
                                "before cutting them into parts.")
        # a uniform shuffle: every pair of a class of 4 together in validation with
        # probability C(2,2)/C(4,2) = 1/6 (a rotation, say, never puts examples 0 and 2 there)
        y4, fr4 = np.array([0, 0, 0, 0]), (0.5, 0.5, 0.0)
        together = np.zeros((4, 4))
        for s in range(300):
            o = call(f, y4, fr4, 5000 + s)
            if o is None or _split_problem(o, y4, fr4):
                return f"on y = [0, 0, 0, 0], fractions {fr4}, seed {5000 + s}: no valid split"
            v = np.asarray(o[1], dtype=np.int64)
            if len(v) == 2:
                together[v[0], v[1]] += 1 / 300
                together[v[1], v[0]] += 1 / 300
        pairs = [(i, j) for i in range(4) for j in range(i + 1, 4)]
        worst = max(pairs, key=lambda ij: abs(together[ij] - 1 / 6))
        if abs(together[worst] - 1 / 6) > 0.11:
            return (f"not a uniform shuffle: on y = [0, 0, 0, 0], fractions {fr4}, over 300 "
                    f"seeds examples {worst[0]} and {worst[1]} were together in val "
                    f"{together[worst]:.0%} of the time, not about 1/6 (17 %) as for every other "
                    "pair. Use rng.permutation (every order equally likely), not a rotation or "
                    "a hand-made shuffle.")
        return None

    def global_state_untouched(f):
        import random
        saved, saved_py = np.random.get_state(), random.getstate()
        try:
            call(f, y_unbal, (0.6, 0.2, 0.2), 3)
            after, after_py = np.random.get_state(), random.getstate()
        finally:
            np.random.set_state(saved)
            random.setstate(saved_py)
        same = saved[0] == after[0] and np.array_equal(saved[1], after[1]) and \
            tuple(saved[2:]) == tuple(after[2:])
        if not same or saved_py != after_py:
            which = "NumPy's" if not same else "Python's"
            return (f"it used or changed {which} global random state (np.random.seed, "
                    "np.random.permutation, random.shuffle …): make your own generator, "
                    "rng = np.random.default_rng(seed), and call rng.permutation / rng.shuffle")
        return None

    cases = [
        # 5 + 5 examples, fractions 0.6/0.2/0.2: each class 3, 1, 1 (each ± 1)
        Case("y = [0]*5 + [1]*5, fractions (0.6, 0.2, 0.2), seed 0", (y_bal, (0.6, 0.2, 0.2), 0),
             valid(y_bal, (0.6, 0.2, 0.2))),
        # 90 + 10: class 1 gets 8, 1, 1 (± 1) — a split that ignores classes rarely does
        Case("unbalanced: 90 of class 0, 10 of class 1, fractions (0.8, 0.1, 0.1)",
             (y_unbal, (0.8, 0.1, 0.1), 1), valid(y_unbal, (0.8, 0.1, 0.1))),
        # labels 3, 7, 9 (n = 2, 3, 1): 7 → 1.5, 0.75, 0.75 of them …; 9's single example anywhere
        Case("labels [7, 3, 7, 7, 3, 9] (a class of one), fractions (0.5, 0.25, 0.25)",
             (y_odd, (0.5, 0.25, 0.25), 2), valid(y_odd, (0.5, 0.25, 0.25))),
        Case("no validation part: fractions (0.75, 0, 0.25)", (y_unbal, (0.75, 0.0, 0.25), 3),
             valid(y_unbal, (0.75, 0.0, 0.25))),
        Case("everything in train: fractions (1, 0, 0)", (y_odd, (1.0, 0.0, 0.0), 4),
             valid(y_odd, (1.0, 0.0, 0.0))),
        Case("a single example", (np.array([3]), (0.6, 0.2, 0.2), 5),
             valid(np.array([3]), (0.6, 0.2, 0.2))),
        # val fraction larger than test: (0.5, 0.4, 0.1) on 90 + 10 → class 0: 45, 36, 9
        Case("fractions (0.5, 0.4, 0.1): the order of the parts", (y_unbal, (0.5, 0.4, 0.1), 6),
             valid(y_unbal, (0.5, 0.4, 0.1))),
    ]
    # properties that need several calls: each case calls fn once on a valid input, then its
    # expect runs the property check on fn itself
    for name, prop in (("the same seed twice gives the same split", reproducible),
                       ("different seeds give different splits", varies),
                       ("the global random states (NumPy's, Python's) are neither used nor "
                        "changed",
                        global_state_untouched),
                       ("every example of a class equally likely in each part (300 seeds)",
                        exchangeable)):
        cases.append(Case(name, (y_unbal, (0.6, 0.2, 0.2), 0),
                          lambda o, prop=prop: prop(fn)))

    def parts(f, y=y_unbal, fr=(0.8, 0.1, 0.1), seed=0):
        o = call(f, y, fr, seed)
        if not isinstance(o, (tuple, list)) or len(o) != 3 or \
                not all(isinstance(p, np.ndarray) for p in o):
            return None
        try:
            return [np.asarray(getattr(p, "data", p)) for p in o]
        except Exception:
            return None

    def repeats(f):
        ps = parts(f)
        if ps is None or any(p.dtype == bool for p in ps):
            return False
        allidx = np.concatenate([p.ravel() for p in ps]).astype(np.int64)
        return len(np.unique(allidx)) < len(allidx)

    def lost(f):
        bad = False
        for y, fr in ((y_unbal, (0.8, 0.1, 0.1)), (np.array([1] * 10 + [2] * 7), (0.45, 0.45, 0.1)),
                      (np.array([0] * 7 + [1] * 3), (0.7, 0.15, 0.15))):
            ps = parts(f, y, fr)
            if ps is None or any(p.dtype == bool for p in ps):
                return False
            allidx = np.concatenate([p.ravel() for p in ps]).astype(np.int64)
            if len(np.unique(allidx)) != len(allidx):
                return False
            bad |= len(allidx) < len(y)
        return bad

    def ignores_classes(f):
        bad = 0
        for s in range(5):
            ps = parts(f, seed=s)
            if ps is None or any(p.dtype == bool for p in ps):
                return False
            allidx = np.concatenate(ps).astype(np.int64)
            if sorted(allidx.tolist()) != list(range(100)):
                return False
            ones = [int(np.sum(y_unbal[p.astype(np.int64)] == 1)) for p in ps]
            bad += any(abs(c - f_ * 10) > 1 for c, f_ in zip(ones, (0.8, 0.1, 0.1)))
        return bad >= 1

    def wrong_order(f):
        ps = parts(f, fr=(0.5, 0.4, 0.1))
        return ps is not None and all(p.dtype != bool for p in ps) and \
            [len(p) for p in ps] in ([50, 10, 40], [40, 50, 10], [10, 40, 50], [40, 10, 50],
                                     [10, 50, 40])

    def masks(f):
        ps = parts(f)
        return ps is not None and any(p.dtype == bool for p in ps)

    def not_shuffled(f):
        outs = [call(f, y_unbal, (0.6, 0.2, 0.2), s) for s in range(6)]
        return all(o is not None and _same_split(o, outs[0]) for o in outs) and \
            _split_problem(outs[0], y_unbal, (0.6, 0.2, 0.2)) is None

    def unseeded(f):
        a, b = call(f, y_unbal, (0.6, 0.2, 0.2), 7), call(f, y_unbal, (0.6, 0.2, 0.2), 7)
        return a is not None and b is not None and not _same_split(a, b)

    mistakes = [
        Mistake("sampling with replacement", repeats,
                "some index appears twice (in one part or in two): drawing with replacement "
                "(rng.choice(n, k) or rng.integers) repeats examples. Shuffle the indices once "
                "(rng.permutation) and cut the shuffled array into pieces, so each example lands "
                "in exactly one part."),
        Mistake("examples lost", lost,
                "some examples are in no part. Rounding every part down (int(f·n)) — or rounding "
                "each of the three separately — can leave one or two out: compute the sizes of "
                "val and test, and give train all the rest of the class."),
        Mistake("classes ignored", ignores_classes,
                "the split is not stratified: you shuffled and cut the whole data set, so a "
                "small class can end up with too few (or too many) examples in a part. Split "
                "each class on its own (np.flatnonzero(y == c)) and put the pieces together."),
        Mistake("parts in the wrong order", wrong_order,
                "return the parts in the order (train, val, test), matching the fractions "
                "(f_train, f_val, f_test)."),
        Mistake("boolean masks", masks,
                "return index arrays (np.flatnonzero(mask) turns a mask into indices), not "
                "boolean masks."),
        Mistake("not shuffled", not_shuffled,
                "every seed gives the same split: the examples must be assigned at random — "
                "shuffle each class's indices with rng = np.random.default_rng(seed) before "
                "cutting them."),
        Mistake("seed not used", unseeded,
                "the same seed gave different splits: make the generator from the seed, "
                "np.random.default_rng(seed), so the split can be reproduced."),
    ]
    sweep = Sweep(_split_input, lambda *args: None,
                  lambda out, expected, args: _split_problem(out, *args), n=150, seed=22,
                  property="split (disjoint, covering, stratified)",
                  hint="for each class c: idx = rng.permutation(np.flatnonzero(y == c)); "
                       "n_val = round(f_val·n_c), n_test = round(f_test·n_c); val gets "
                       "idx[:n_val], test the next n_test, train the rest.")
    return run_checks("split_indices", fn, cases, mistakes, sweep=sweep, hint=sweep.hint,
                      time_limit=5.0)


# ---------------------------------------------------------------------------------------------
# Exercise 3 · early stopping with patience
# ---------------------------------------------------------------------------------------------

def _early_stopping_oracle(val_losses, patience):
    """By enumeration: best(e) = the first arg-min of the losses of epochs 1 … e; training stops
    at the first e with e − best(e) ≥ patience (or at n); the result is (best(stop), stop)."""
    L = [float(v) for v in val_losses]
    n = len(L)
    for e in range(1, n + 1):
        prefix = L[:e]
        best = prefix.index(min(prefix)) + 1          # list.index: the first occurrence
        if e - best >= patience:
            return best, e
    prefix = L
    return prefix.index(min(prefix)) + 1, n


def _epochs_compare(out, expected, args):
    if not isinstance(out, tuple) or len(out) != 2:
        return f"return a tuple of two ints (best_epoch, stop_epoch), got {fmt(out)}"
    got = []
    for name, v in zip(("best_epoch", "stop_epoch"), out):
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)):
            return (f"{name} must be an int (an epoch number, usable as an index), got "
                    f"{fmt(v)} of type {type(v).__name__}")
        got.append(int(v))
    if tuple(got) != tuple(expected):
        return f"expected (best_epoch, stop_epoch) = {tuple(expected)}, got {tuple(got)}"
    return None


def _early_stopping_input(rng, i):
    """(val_losses, patience): corners first — one epoch, patience larger than n, never improving,
    always improving, ties, a long plateau, a numpy array — then noisy decreasing-then-rising
    curves rounded to 1 or 2 decimals (so that ties occur), n from 1 to 40, patience 1 … 6."""
    corners = [
        ([0.7], 1), ([0.7], 3), ([1.0, 2.0, 3.0, 4.0, 5.0], 2), ([5.0, 4.0, 3.0, 2.0, 1.0], 2),
        ([1.0, 1.0, 1.0, 1.0], 1), ([1.0, 1.0, 1.0, 1.0], 5), (np.array([2.0, 1.0, 1.0, 0.5]), 2),
        ([3.0, 2.0, 2.1], 5), ([2.0, 1.0, 1.5, 1.0, 0.9, 0.8], 2),
        ([1.0, 1.0 - 1e-9, 1.0 - 2e-9], 1), ([1.0, float(np.nextafter(1.0, 0.0)), 1.0], 1),
        ([0.5, 0.5 - 1e-12, 0.6, 0.5 - 2e-12], 2),
    ]
    if i < len(corners):
        L, patience = corners[i]
        return (np.array(L) if isinstance(L, np.ndarray) else list(L)), patience
    n = int(rng.integers(1, 41))
    t = np.arange(n)
    turn = float(rng.uniform(0, n))
    curve = 1.0 / (1 + t) + 0.002 * np.maximum(t - turn, 0) ** 2 * float(rng.uniform(0, 3))
    curve = curve + rng.normal(0, float(rng.choice([0.0, 0.01, 0.05])), n)
    L = np.round(curve, int(rng.choice([1, 2, 3])))
    if i % 4 == 1:                                   # improvements far below any tolerance
        L = 1.0 - np.cumsum(rng.choice([0.0, 1e-12, 1e-9, 1e-6, -1e-6], n))
    patience = int(rng.integers(1, 7))
    return (L if i % 3 == 0 else [float(v) for v in L]), patience


def _safe_out(f, L, patience):
    try:
        return _call(f, (list(L), patience), mutates=True)
    except Exception:
        return None


def check_early_stopping(fn):
    """early_stopping(val_losses, patience) → (best_epoch, stop_epoch), 1-based: an epoch improves
    only if its loss is strictly below the best so far; training stops after the first epoch e
    with e − best = patience (else after epoch n); the best epoch is searched up to the stop.

    Catches: epochs counted from 0, stopping one epoch late (e − best = patience + 1) or early,
    ties counted as improvements (≤), the minimum over ALL losses (looking past the stop), the
    last epoch's weights kept, a patience counter that is not reset by an improvement, comparing
    with the previous epoch instead of the best, the last of several tied minima as the best
    epoch. Sweep: the enumeration oracle (module docstring)."""
    def want(best, stop):
        return lambda o: _epochs_compare(o, (best, stop), None)

    cases = [
        # best 2.0 at epoch 2; epochs 3 (2.5), 4 (2.2) no better: 4 − 2 = 2 → stop after 4
        Case("[3.0, 2.0, 2.5, 2.2, 1.9], patience 2", ([3.0, 2.0, 2.5, 2.2, 1.9], 2), want(2, 4)),
        # never improves after epoch 1: stop after 1 + 2 = 3
        Case("never improving: [1, 2, 3, 4, 5], patience 2", ([1.0, 2.0, 3.0, 4.0, 5.0], 2),
             want(1, 3)),
        # improves every epoch: runs all 5, best is the last
        Case("always improving: [5, 4, 3, 2, 1], patience 2", ([5.0, 4.0, 3.0, 2.0, 1.0], 2),
             want(5, 5)),
        # ties at epochs 3, 4 are no improvement: 4 − 2 = 2 → stop after 4, best 2
        Case("ties: [2, 1, 1, 1, 0.5], patience 2", ([2.0, 1.0, 1.0, 1.0, 0.5], 2), want(2, 4),
             hint="a tie is not an improvement: compare with <, not <=."),
        Case("a single epoch: [0.7], patience 1", ([0.7], 1), want(1, 1)),
        # patience 1: epoch 3 (2.5) is not better than 2.0 → stop after 3
        Case("patience 1: [3, 2, 2.5, 1]", ([3.0, 2.0, 2.5, 1.0], 1), want(2, 3)),
        # best 2 (epoch 2); 3, 4 worse; epoch 5 (1.5) improves and resets; 6, 7, 8 worse →
        # 8 − 5 = 3 → stop after 8
        Case("an improvement resets the count: [3, 2, 2.5, 2.4, 1.5, 1.6, 1.7, 1.8], patience 3",
             ([3.0, 2.0, 2.5, 2.4, 1.5, 1.6, 1.7, 1.8], 3), want(5, 8)),
        # the patience is never used up: all 3 epochs, best 2
        Case("patience longer than the run: [3, 2, 2.1], patience 5", ([3.0, 2.0, 2.1], 5),
             want(2, 3)),
        # epochs 2, 3 tie with epoch 1: 3 − 1 = 2 → stop after 3; the 0.1 is never seen
        Case("a NumPy array [1, 1, 1, 0.1], patience 2", (np.array([1.0, 1.0, 1.0, 0.1]), 2),
             want(1, 3)),
        # 1.0 at epoch 2; 1.5 (3), then 1.2 (4) is below the previous epoch but not the best:
        # 4 − 2 = 2 → stop after 4
        Case("[2, 1, 1.5, 1.2, 1.1, 0.5], patience 2: better than the previous epoch is not "
             "enough", ([2.0, 1.0, 1.5, 1.2, 1.1, 0.5], 2), want(2, 4)),
        # tiny improvements are improvements: 0.99995 < 1, 0.9999 < 0.99995
        Case("tiny improvements: [1.0, 0.99995, 0.9999], patience 1", ([1.0, 0.99995, 0.9999], 1),
             want(3, 3)),
        Case("an improvement of 1e-9: [1.0, 1 − 1e-9], patience 1", ([1.0, 1.0 - 1e-9], 1),
             want(2, 2),
             hint="any strictly smaller loss is an improvement: compare exactly (loss < best), "
                  "without a tolerance, rounding or np.isclose."),
    ]
    mine = [3.0, 2.0, 2.5, 2.2, 1.9]                  # the caller's list, checked afterwards

    def list_untouched(o):
        before = list(mine)
        try:
            _call(lambda: fn(mine, 2), ())               # fn gets the list itself, not a copy
        except Exception as e:
            return f"it raised {type(e).__name__}: {e}"
        if mine != before:
            got = list(mine)
            mine[:] = before
            return (f"it changed the caller's list in place: {fmt(before)} became {fmt(got)}. "
                    "Don't append to, sort or modify val_losses; work on a copy if you must.")
        return None
    cases.append(Case("the caller's list is left unchanged", ([3.0, 2.0, 2.5, 2.2, 1.9], 2),
                      list_untouched))

    def ans(f, L, patience):
        try:
            o = _call(f, (list(L), patience), mutates=True)
        except Exception:
            return None
        if isinstance(o, np.ndarray) and o.shape == (2,):
            o = tuple(o.tolist())
        if not isinstance(o, (tuple, list)) or len(o) != 2:
            return None
        if not all(isinstance(v, (int, np.integer, float, np.floating)) for v in o):
            return None
        try:
            return tuple(int(v) for v in o)
        except (TypeError, ValueError):
            return None

    curves = [([3.0, 2.0, 2.5, 2.2, 1.9], 2), ([1.0, 2.0, 3.0, 4.0, 5.0], 2),
              ([3.0, 2.0, 2.5, 2.4, 1.5, 1.6, 1.7, 1.8], 3), ([2.0, 1.0, 1.0, 1.0, 0.5], 2),
              ([3.0, 2.0, 2.5, 1.0], 1), ([2.0, 1.0, 1.5, 1.2, 1.1, 0.5], 2)]

    def variant(transform):
        """True when fn agrees with ``transform(oracle)`` on every probe curve where the two
        differ from the right answer somewhere."""
        def detect(f):
            differs = False
            for L, pat in curves:
                right = _early_stopping_oracle(L, pat)
                wrong = transform(L, pat, right)
                if ans(f, L, pat) != wrong:
                    return False
                differs |= wrong != right
            return differs
        return detect

    def rule(L, patience, ties=False, reset=True, vs_previous=False, last_tie=False):
        """The early-stopping loop with one rule twisted (for the detectors)."""
        best, best_e, wait, prev = np.inf, 0, 0, np.inf
        for e, v in enumerate(L, start=1):
            improved = v <= best if ties else v < best
            if improved or (last_tie and v == best):
                best_e = e
            best = min(best, v)
            if (v < prev) if vs_previous else improved:
                wait = 0 if reset else wait
            else:
                wait += 1
            prev = v
            if wait >= patience:
                return best_e, e
        return best_e, len(L)

    mistakes = [
        Mistake("epochs counted from 0", variant(lambda L, p, r: (r[0] - 1, r[1] - 1)),
                "count epochs from 1: the first loss in the list is epoch 1 (enumerate(…, "
                "start=1), or add 1 to a Python index)."),
        Mistake("best epoch counted from 0", variant(lambda L, p, r: (r[0] - 1, r[1])),
                "best_epoch is counted from 1 too: the index of the best loss in the list plus "
                "1."),
        Mistake("stop epoch counted from 0", variant(lambda L, p, r: (r[0], r[1] - 1)),
                "stop_epoch is counted from 1 too: after the first loss in the list, one epoch "
                "has been trained."),
        Mistake("stops one epoch late", variant(
                lambda L, p, r: _early_stopping_oracle(L, p + 1)),
                "stop when `patience` epochs in a row have not improved — e − best_epoch = "
                "patience — not one epoch later (a counter compared with > instead of ≥)."),
        Mistake("stops one epoch early", lambda f: ans(f, [3.0, 2.0, 2.5, 2.2, 1.9], 2) == (2, 3)
                and ans(f, [1.0, 2.0, 3.0, 4.0, 5.0], 2) == (1, 2),
                "with patience k, training goes on for k epochs without improvement and stops "
                "after the k-th of them: e − best_epoch = patience."),
        Mistake("ties count as improvements", variant(lambda L, p, r: rule(L, p, ties=True)),
                "a loss equal to the best so far is not an improvement (use <, not <=): the "
                "earlier epoch stays the best and the patience keeps running."),
        Mistake("minimum over all epochs", lambda f: all(
                (ans(f, L, p) or (0,))[0] == int(np.argmin(L)) + 1 for L, p in curves)
                and ans(f, [3.0, 2.0, 2.5, 2.2, 1.9], 2) != (2, 4),
                "training stopped at stop_epoch, so the losses after it were never measured: "
                "look for the best epoch among epochs 1 … stop_epoch only."),
        Mistake("last epoch kept", variant(lambda L, p, r: (r[1], r[1])),
                "early stopping keeps the weights of the BEST epoch (the lowest validation "
                "loss), not those of the epoch where training stopped."),
        Mistake("count not reset", variant(lambda L, p, r: rule(L, p, reset=False)),
                "an improvement resets the count: only epochs IN A ROW without improvement "
                "count towards the patience."),
        Mistake("compared with the previous epoch", variant(
                lambda L, p, r: rule(L, p, vs_previous=True)),
                "compare each loss with the BEST loss so far, not with the previous epoch's: a "
                "loss that beats the previous epoch but not the best is no improvement."),
        Mistake("approximate comparison", lambda f: ans(f, [1.0, 1.0 - 1e-9, 1.0 - 2e-9], 1)
                == (1, 2) and ans(f, [3.0, 2.0, 2.5, 2.2, 1.9], 2) == (2, 4),
                "a loss smaller than the best by 1e-9 is still an improvement: compare exactly "
                "(loss < best) — no min_delta, no rounding, no np.isclose."),
        Mistake("floats returned", lambda f: (lambda o: isinstance(o, tuple) and len(o) == 2
                and any(isinstance(v, (float, np.floating)) for v in o))(
                    _safe_out(f, [3.0, 2.0, 2.5, 2.2, 1.9], 2)),
                "return the epochs as ints (e.g. int(...) of a NumPy index, or the counter of "
                "enumerate), not floats: an epoch number is used as an index."),
        Mistake("last of tied minima", variant(lambda L, p, r: rule(L, p, last_tie=True)),
                "on a tie keep the earlier epoch: it was the best first, and a tie is no "
                "improvement."),
    ]
    sweep = Sweep(_early_stopping_input, _early_stopping_oracle, _epochs_compare, n=200, seed=22,
                  property="(best_epoch, stop_epoch) of the early-stopping rule",
                  hint="best, best_epoch = inf, 0; for e, v in enumerate(val_losses, 1): if v < "
                       "best: best, best_epoch = v, e; elif e - best_epoch == patience: return "
                       "best_epoch, e — and after the loop return best_epoch, n.")
    return run_checks("early_stopping", fn, cases, mistakes, sweep=sweep, hint=sweep.hint)
