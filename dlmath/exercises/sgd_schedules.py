"""Checkers for notebook 19: gradient descent, SGD, mini-batches and learning-rate schedules.

Each lists its hand-picked cases (expected values worked out by hand in the comments) and the
classic mistakes it recognises, then runs a seeded sweep — degenerate corners first — against an
oracle that is not a reference solution:

* ``check_minibatches`` grades the batches by their *definition*: together they are a partition
  of range(n) (every index exactly once), ⌈n/B⌉ of them, all of size B but the last; the order is
  ``rng.permutation(n)`` drawn from an independent generator with the same seed, and the
  learner's generator must afterwards be exactly one permutation further on (its next number is
  compared with the independent generator's);
* ``check_lr_at`` evaluates the closed form of warm-up + cosine in 50-digit arithmetic (mpmath);
* ``check_sgd_epoch`` replays the epoch in exact rational arithmetic with every gradient taken
  from the *definition* of the batch loss: L_b is quadratic in w, so the central difference
  (L_b(w + e_j) − L_b(w − e_j))/2 is exactly ∂L_b/∂w_j — no gradient formula is used.
"""
from fractions import Fraction
import math

import numpy as np

from .core import Case, Mistake, Sweep, fmt, run_checks, _call
from .core import as_array as _arr, matches as _matches

__all__ = ["check_minibatches", "check_lr_at", "check_sgd_epoch"]


# ---------------------------------------------------------------------------------------------
# Exercise 1 · the mini-batches of one epoch
# ---------------------------------------------------------------------------------------------

class _SeededGenerator(np.random.Generator):
    """``np.random.default_rng(seed)`` (the same bit generator, PCG64), with a readable repr for
    the checker's messages."""

    def __init__(self, seed):
        super().__init__(np.random.PCG64(seed))
        self.seed = seed

    def __repr__(self):
        return f"np.random.default_rng({self.seed})"


def _reference_order(n, seed):
    """The order of the convention, and the next number the generator gives after drawing it —
    from a generator of our own with the same seed."""
    ref = np.random.default_rng(seed)
    order = ref.permutation(n)
    return order, float(ref.random())


def _as_batches(out):
    """The learner's batches as a list of 1-D int arrays, or a message saying what is wrong."""
    if isinstance(out, np.ndarray) and out.ndim == 2:
        out = list(out)
    if not isinstance(out, (list, tuple)):
        return None, f"return a list of index arrays, got {fmt(out)}"
    batches = []
    for k, b in enumerate(out):
        a = np.asarray(getattr(b, "data", b))
        if a.ndim != 1:
            return None, f"batch {k} should be a 1-D array of indices, got shape {a.shape}"
        if a.size and a.dtype.kind not in "iu":
            return None, (f"batch {k} has dtype {a.dtype}: indices must be integers (the "
                          "entries of rng.permutation(n))")
        batches.append(a.astype(np.int64))
    return batches, None


def _minibatch_problem(out, n, B, seed, gen):
    """None if ``out`` is the epoch of the convention for (n, B, seed) and ``gen`` (the learner's
    generator, after the call) is exactly one permutation further on; else a message."""
    batches, problem = _as_batches(out)
    if problem:
        return problem
    every = np.concatenate(batches) if batches else np.zeros(0, np.int64)
    counts = np.bincount(every[(every >= 0) & (every < n)], minlength=n)
    outside = every[(every < 0) | (every >= n)]
    if outside.size:
        return f"index {int(outside[0])} is not an example index 0 … {n - 1}"
    if counts.max(initial=0) > 1:
        return (f"index {int(np.argmax(counts))} appears {int(counts.max())} times in one epoch; "
                "every example must be used exactly once")
    if counts.min(initial=1) == 0:
        missing = np.flatnonzero(counts == 0)
        return (f"{len(missing)} of the {n} examples are in no batch (e.g. index "
                f"{int(missing[0])}); every example must be used exactly once per epoch")
    m = math.ceil(n / B)
    sizes = [len(b) for b in batches]
    want = [B] * (m - 1) + [n - (m - 1) * B]
    if sizes != want:
        return f"expected {m} batches of sizes {fmt(want)}, got sizes {fmt(sizes)}"
    order, after = _reference_order(n, seed)
    for k, b in enumerate(batches):
        piece = order[k * B:(k + 1) * B]
        if set(b.tolist()) != set(piece.tolist()):
            return (f"batch {k} should hold the indices {fmt(np.sort(piece))} (piece {k} of "
                    f"rng.permutation({n})), got {fmt(np.sort(b))}")
    try:
        got_after = float(gen.random())
    except Exception:                                  # pragma: no cover - a broken generator
        got_after = math.nan
    untouched = float(np.random.default_rng(seed).random())    # (permutation(1) draws nothing)
    if got_after == untouched != after:
        return ("the batches are right, but your call did not draw from rng at all (a copy of "
                "it or a generator of your own drew the permutation, or it was skipped): draw "
                "order = rng.permutation(n) from rng itself — even when one batch holds "
                "everything — so that a seeded run repeats and the next call gets a new shuffle")
    if got_after != after:
        return ("the batches are right, but afterwards rng is not where one rng.permutation(n) "
                "leaves it: draw exactly one permutation from rng and nothing else")
    return None


def _mb_case(name, n, B, seed, hint=""):
    gen = _SeededGenerator(seed)
    return Case(name, (n, B, gen), lambda o: _minibatch_problem(o, n, B, seed, gen), hint)


def _mb_input(rng, i):
    """(n, B, generator): corners first — n = 1, B = 1, B = n, B > n, B = n − 1, B dividing n —
    then n = 2 … 300 with B from 1 to n + 5, some B dividing n exactly; the expected epoch comes
    from an independent generator with the same seed (in the compare)."""
    corners = [(1, 1), (1, 5), (2, 1), (5, 5), (5, 7), (6, 5), (12, 4), (13, 4), (100, 99),
               (100, 1), (7, 2)]
    seed = 1000 + i
    if i < len(corners):
        n, B = corners[i]
    else:
        n = int(rng.integers(2, 301))
        B = int(rng.integers(1, n + 6))
        if i % 4 == 0:                                  # B divides n
            divisors = [d for d in range(1, n + 1) if n % d == 0]
            B = int(rng.choice(divisors))
    return (n, B, _SeededGenerator(seed))


def _mb_compare(out, expected, args):
    n, B, gen = args
    return _minibatch_problem(out, n, B, gen.seed, gen)


def _mb_out(f, n, B, seed):
    """The learner's batches for (n, B, default_rng(seed)) as a list of arrays (None if not)."""
    try:
        out = _call(f, (n, B, _SeededGenerator(seed)), mutates=True)
    except Exception:
        return None
    batches, problem = _as_batches(out)
    return None if problem else batches


def _same_batches(got, want):
    return got is not None and len(got) == len(want) and all(
        sorted(g.tolist()) == sorted(np.asarray(w).tolist()) for g, w in zip(got, want))


def _pieces(order, B):
    return [order[k:k + B] for k in range(0, len(order), B)]


def check_minibatches(fn):
    """minibatches(n, batch_size, rng) → the batches of one epoch: rng.permutation(n) cut into
    consecutive pieces of batch_size, the last one smaller (kept).

    Catches: the last, smaller batch dropped (drop_last), merged into the one before, or padded
    (wrapped round to the start of the order); batches drawn independently (with replacement, or a
    new permutation per batch: examples repeat and others are never seen); no shuffle
    (np.arange); a generator made inside the function (or the global np.random), so every epoch
    repeats the same order; np.array_split (balanced sizes, not B); an empty trailing batch when B
    divides n; an order other than rng.permutation(n) (rng.choice); the given rng never used (a
    copy of it drew the permutation) or used for extra draws. Sweep:
    the definition (module docstring), n up to 300."""
    cases = [
        # 10 = 3 + 3 + 3 + 1: four batches, the last holds the one remaining index
        _mb_case("n = 10, batch_size = 3 (the last batch holds 1 index)", 10, 3, 0),
        _mb_case("n = 12, batch_size = 4 (B divides n: 3 batches, none empty)", 12, 4, 1),
        _mb_case("n = 5, batch_size = 8 (B > n: one batch of all 5)", 5, 8, 2),
        _mb_case("n = 6, batch_size = 1 (six batches of one: plain SGD)", 6, 1, 3),
        _mb_case("n = 7, batch_size = 7 (one batch: full-batch gradient descent)", 7, 7, 4),
        _mb_case("n = 1, batch_size = 1", 1, 1, 5),
        _mb_case("n = 11, batch_size = 5 (sizes 5, 5, 1)", 11, 5, 6),
        _mb_case("n = 20, batch_size = 6 (sizes 6, 6, 6, 2)", 20, 6, 7),
    ]
    n0, B0, s0 = 10, 3, 11
    order0, _ = _reference_order(n0, s0)
    right0 = _pieces(order0, B0)

    def gives(want):
        return lambda f: _same_batches(_mb_out(f, n0, B0, s0), want)

    def repeats_examples(f):                  # sizes right, but an example used twice
        got = _mb_out(f, 20, 5, s0)
        if got is None or [len(b) for b in got] != [5] * 4:
            return False
        every = np.concatenate(got)
        return len(set(every.tolist())) < len(every)

    def ignores_rng(f):                       # same epoch from two different generators
        a, b = _mb_out(f, 30, 7, 1), _mb_out(f, 30, 7, 2)
        if a is None or b is None or len(a) != len(b):
            return False
        every = np.concatenate(a)
        return _same_batches(a, b) and not np.array_equal(every, np.arange(len(every)))

    def rng_after(f):                         # (right batches?, the rng's next number after)
        gen = _SeededGenerator(s0)
        try:
            out = _call(f, (n0, B0, gen), mutates=True)
        except Exception:
            return False, None
        batches, problem = _as_batches(out)
        return problem is None and _same_batches(batches, right0), float(gen.random())

    untouched = float(np.random.default_rng(s0).random())

    def not_advanced(f):                      # the right batches, rng never used
        ok, nxt = rng_after(f)
        return ok and nxt == untouched

    def extra_draws(f):                       # the right batches, rng advanced too far
        ok, nxt = rng_after(f)
        return ok and nxt not in (untouched, _reference_order(n0, s0)[1])

    choice_order = np.random.default_rng(s0).choice(n0, n0, replace=False)
    mistakes = [
        Mistake("last batch dropped", gives(right0[:-1]),
                "your epoch leaves out the last, smaller batch (that is DataLoader's "
                "drop_last=True, or a loop over range(n // batch_size)): its examples are never "
                "seen in this epoch. Keep it: there are ⌈n/B⌉ batches."),
        Mistake("last batch merged", gives(right0[:-2] + [np.concatenate(right0[-2:])]),
                "the n % B left-over indices form a batch of their own; merged into the batch "
                "before, that batch is larger than batch_size."),
        Mistake("last batch padded", lambda f: _same_batches(
            _mb_out(f, n0, B0, s0), right0[:-1] + [np.concatenate([right0[-1], order0[:2]])]),
                "the last batch is padded with indices from the start of the order, so those "
                "examples are used twice in the epoch. Keep the last batch smaller."),
        Mistake("examples repeat", repeats_examples,
                "some example appears twice in one epoch, so others are never seen: that is "
                "sampling with replacement (rng.integers / rng.choice per batch, or a new "
                "permutation for every batch). Draw ONE permutation per epoch and cut it into "
                "pieces — each example exactly once."),
        Mistake("not shuffled", lambda f: _same_batches(_mb_out(f, n0, B0, s0),
                                                        _pieces(np.arange(n0), B0)),
                "the batches are 0 … B−1, B … 2B−1, …: the data are not shuffled, so every "
                "epoch sees the same batches in the same order (and sorted data — all of one "
                "class first — give very biased batches). Cut rng.permutation(n) instead."),
        Mistake("own generator", ignores_rng,
                "your batches do not depend on the rng you are given (a generator made inside "
                "the function, e.g. np.random.default_rng(0), or the global np.random): every "
                "epoch then repeats the same shuffle. Draw from rng, so that each call — each "
                "epoch — reshuffles."),
        Mistake("np.array_split", gives(np.array_split(order0, math.ceil(n0 / B0))),
                "np.array_split(order, k) makes k batches of *balanced* sizes (3, 3, 2, 2 for "
                "n = 10, k = 4), not batches of batch_size: cut at multiples of B, "
                "order[k*B:(k+1)*B]."),
        Mistake("empty last batch", lambda f: (lambda g: g is not None and len(g) == 4
                                               and len(g[-1]) == 0)(_mb_out(f, 12, 4, s0)),
                "when B divides n your epoch ends with an empty batch (a loop over "
                "range(n // B + 1)): there are exactly ⌈n/B⌉ batches."),
        Mistake("not rng.permutation", gives(_pieces(choice_order, B0)),
                "your epoch is a valid shuffle, but not the one rng.permutation(n) gives "
                "(rng.choice(n, n, replace=False) uses the random numbers differently): use "
                "order = rng.permutation(n), as the exercise says, so that a seed reproduces "
                "the run."),
        Mistake("rng not advanced", not_advanced,
                "your batches are right, but rng itself was never used (the permutation came "
                "from a copy of it, or from a generator of your own seeded the same way): the "
                "next call would repeat this epoch's shuffle. Draw order = rng.permutation(n) "
                "from the rng you are given."),
        Mistake("extra draws", extra_draws,
                "the batches are right, but your function drew more random numbers from rng "
                "than the one permutation (a second shuffle, a random call left in): draw "
                "exactly rng.permutation(n) and nothing else, so that a seeded run repeats."),
    ]
    sweep = Sweep(_mb_input, lambda *args: None, _mb_compare, n=120, seed=19,
                  size=lambda args: args[0],
                  property="epoch (a partition of range(n) into pieces of rng.permutation(n))",
                  hint="order = rng.permutation(n); return [order[k:k + batch_size] for k in "
                       "range(0, n, batch_size)].")
    return run_checks("minibatches", fn, cases, mistakes, sweep=sweep, hint=sweep.hint)


# ---------------------------------------------------------------------------------------------
# Exercise 2 · warm-up, then cosine decay
# ---------------------------------------------------------------------------------------------

def _lr_oracle(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    """The closed form in 50-digit arithmetic, rounded once to a float."""
    import mpmath
    with mpmath.workdps(50):
        t, W, T = int(step), int(warmup_steps), int(total_steps)
        hi, lo = mpmath.mpf(float(base_lr)), mpmath.mpf(float(min_lr))
        if t < W:
            value = hi * t / W
        elif t <= T:
            p = mpmath.mpf(t - W) / (T - W)
            value = lo + (hi - lo) * (1 + mpmath.cos(mpmath.pi * p)) / 2
        else:
            value = lo
        return float(value)


def _lr_compare(out, expected, args):
    if isinstance(out, (np.ndarray, np.generic)) and np.ndim(out) == 0:
        out = out.item()
    if isinstance(out, bool) or not isinstance(out, (int, float)):
        return f"return one number (a float), got {fmt(out)}"
    out = float(out)
    scale = max(abs(float(args[1])), abs(float(args[4])) if len(args) > 4 else 0.0)
    if not math.isfinite(out) or abs(out - expected) > 1e-12 * abs(expected) + 1e-15 * scale:
        return f"expected {fmt(expected, digits=12)}, got {fmt(out, digits=12)}"
    return None


def _lr_case(name, args, value, hint=""):
    return Case(name, args, lambda o: _lr_compare(o, value, args), hint)


def _lr_input(rng, i):
    """(step, base_lr, warmup_steps, total_steps, min_lr): corners first — the boundary steps
    t = 0, W − 1, W, T, T + 1 with W = 0, 1 and T = W + 1, integer base_lr, a huge T — then random
    schedules (base_lr log-uniform in [1e-4, 10], W = 0 … 50, T − W = 1 … 5000, min_lr 0 or a
    fraction of base_lr) at a boundary step or a random one up to T + 10."""
    corners = [(0, 0.1, 0, 10, 0.0), (10, 0.1, 0, 10, 0.0), (11, 0.1, 0, 10, 0.01),
               (0, 1.0, 1, 2, 0.0), (1, 1.0, 1, 2, 0.0), (2, 1.0, 1, 2, 0.5), (3, 1.0, 1, 2, 0.5),
               (4, 2, 5, 6, 1), (5, 2, 5, 6, 1), (6, 2, 5, 6, 1), (0, 3e-4, 100, 10**6, 3e-6),
               (500_050, 3e-4, 100, 10**6, 3e-6), (10**6, 3e-4, 100, 10**6, 3e-6),
               (10**6 + 1, 3e-4, 100, 10**6, 0.0)]
    if i < len(corners):
        return corners[i]
    base = float(10 ** rng.uniform(-4, 1))
    W = int(rng.integers(0, 51)) if i % 3 else 0
    T = W + int(rng.integers(1, 5001))
    lo = 0.0 if i % 2 else float(base * rng.choice([0.001, 0.01, 0.1, 0.5, 1.0]))
    if i % 11 == 0:                                   # integer arguments
        base, lo = int(rng.integers(1, 5)), 0
    picks = [0, W - 1, W, W + 1, T - 1, T, T + 1, int(rng.integers(0, T + 11))]
    t = max(0, int(rng.choice(picks)))
    return (t, base, W, T, lo)


def _cos_part(t, hi, lo, W, T):
    return lo + (hi - lo) * (1 + math.cos(math.pi * (t - W) / (T - W))) / 2


def _lr_right(t, hi, W, T, lo):
    return hi * t / W if t < W else (_cos_part(t, hi, lo, W, T) if t <= T else lo)


def check_lr_at(fn):
    """lr_at(step, base_lr, warmup_steps, total_steps, min_lr=0.0) → η_t for a linear warm-up
    from 0 (η_max·t/W for t < W) followed by a cosine decay from η_max at t = W to η_min at t = T,
    and η_min after T.

    Catches: the warm-up one step ahead ((t + 1)/W) or reaching η_max a step early (t/(W − 1)),
    the warm-up starting at η_min, integer division in the warm-up (t // W) or in the cosine's
    progress, the progress measured from step 0 (t/T) or divided by T instead of T − W, cos(p)
    without π, the ½ missing, η_min ignored or added on top of the full cosine, a linear decay
    instead of the cosine, every step shifted by one (steps counted from 1), 0 instead of η_min
    after T, the cosine continuing past T (the lr climbs back up, as CosineAnnealingLR does past
    T_max), a crash without warm-up (W = 0). Sweep: the closed form in 50-digit arithmetic, at the
    boundary steps and random ones."""
    c = math.cos(math.pi / 4)
    cases = [
        # W = 4, T = 12, η_max = 1, η_min = 0: warm-up 0, ¼, ½, ¾, then the cosine from t = 4
        _lr_case("t = 0 of a warm-up of W = 4 steps (η_max = 1): the warm-up starts at 0",
                 (0, 1.0, 4, 12, 0.0), 0.0),
        _lr_case("t = 1, W = 4: η = 1·1/4", (1, 1.0, 4, 12, 0.0), 0.25),
        _lr_case("t = 3, W = 4: the last warm-up step, η = 3/4", (3, 1.0, 4, 12, 0.0), 0.75),
        _lr_case("t = W = 4: the cosine starts at η_max", (4, 1.0, 4, 12, 0.0), 1.0),
        # p = (6 − 4)/(12 − 4) = ¼: ½(1 + cos(π/4)) = 0.853553…
        _lr_case("t = 6, W = 4, T = 12: p = 1/4", (6, 1.0, 4, 12, 0.0), (1 + c) / 2),
        # p = ½: cos(π/2) = 0 → half way between η_max and η_min
        _lr_case("t = 8, W = 4, T = 12: p = 1/2", (8, 1.0, 4, 12, 0.0), 0.5),
        _lr_case("t = T = 12: η_min = 0", (12, 1.0, 4, 12, 0.0), 0.0),
        _lr_case("t = 13 > T: stays at η_min", (13, 1.0, 4, 12, 0.0), 0.0,
                 hint="after T the schedule stays at η_min (a cosine formula alone would climb "
                      "back up)."),
        # W = 0: no warm-up; η_min = 0.01: 0.01 + ½·0.09·(1 + cos(π/2)) = 0.055
        _lr_case("no warm-up (W = 0), t = 0: η_max = 0.1", (0, 0.1, 0, 10, 0.01), 0.1,
                 hint="W = 0 means no warm-up: start directly with the cosine (don't divide by "
                      "W = 0)."),
        _lr_case("W = 0, t = 5 of T = 10, η_min = 0.01", (5, 0.1, 0, 10, 0.01), 0.055),
        _lr_case("W = 0, t = 25 > T = 10, η_min = 0.01", (25, 0.1, 0, 10, 0.01), 0.01),
        # integers: η_max = 2, W = 2, T = 6, η_min = 1: t = 1 → 2·½ = 1; t = 4 → p = ½ → 1.5
        _lr_case("integer arguments: t = 1, η_max = 2, W = 2, T = 6, η_min = 1", (1, 2, 2, 6, 1),
                 1.0),
        _lr_case("integer arguments: t = 4, η_max = 2, W = 2, T = 6, η_min = 1", (4, 2, 2, 6, 1),
                 1.5),
        # W = 1, T = 2: η_0 = 0, η_1 = η_max, η_2 = η_min
        _lr_case("W = 1, T = 2, t = 1: η_max", (1, 0.5, 1, 2, 0.1), 0.5),
        _lr_case("W = 1, T = 2, t = 2: η_min", (2, 0.5, 1, 2, 0.1), 0.1),
        # T = 10⁶, W = 10⁴, t = 505 000: p = ½ → ½(3e-4 + 3e-6)
        _lr_case("a long run: t = 505 000, W = 10⁴, T = 10⁶ (p = ½)",
                 (505_000, 3e-4, 10_000, 10**6, 3e-6), (3e-4 + 3e-6) / 2),
    ]
    probe = dict(hi=0.5, W=5, T=25, lo=0.05)
    steps = range(0, 32)

    def variant_gives(wrong, upto=None):
        hi, W, T, lo = probe["hi"], probe["W"], probe["T"], probe["lo"]
        ts = [t for t in steps if upto is None or t <= upto]
        want = [wrong(t, hi, W, T, lo) for t in ts]
        right = [_lr_right(t, hi, W, T, lo) for t in ts]
        if np.allclose(want, right):                  # pragma: no cover - a useless detector
            raise AssertionError("detector does not differ from the right schedule")

        def detect(f):
            for t, v in zip(ts, want):
                try:
                    out = _call(f, (t, hi, W, T, lo), mutates=True)
                    if not math.isclose(float(out), v, rel_tol=1e-9, abs_tol=1e-12):
                        return False
                except Exception:
                    return False
            return True
        return detect

    def after_T(rule):
        return lambda t, hi, W, T, lo: rule(t, hi, W, T, lo) if t <= T else \
            _cos_part(t, hi, lo, W, T)

    def cos_any(t, hi, W, T, lo, p, half=0.5, lo_in=True):
        if lo_in:
            return lo + (hi - lo) * half * (1 + math.cos(math.pi * p))
        return lo + hi * half * (1 + math.cos(math.pi * p))

    def schedule(warm=None, cos=None):
        warm = warm or (lambda t, hi, W, T, lo: hi * t / W)
        cos = cos or (lambda t, hi, W, T, lo: _cos_part(t, hi, lo, W, T))
        return lambda t, hi, W, T, lo: warm(t, hi, W, T, lo) if t < W else (
            cos(t, hi, W, T, lo) if t <= T else lo)

    def crashes_without_warmup(f):
        for t in (0, 3):
            try:
                _call(f, (t, 0.1, 0, 10, 0.0), mutates=True)
            except ZeroDivisionError:
                return True
            except Exception:
                return False
        return False

    mistakes = [
        Mistake("warm-up one step ahead", variant_gives(schedule(
            warm=lambda t, hi, W, T, lo: hi * (t + 1) / W)),
                "the warm-up starts at 0: η_t = η_max·t/W, so η_0 = 0 and η reaches η_max at "
                "t = W, where the cosine begins — (t + 1)/W is one step ahead."),
        Mistake("warm-up reaches η_max early", variant_gives(schedule(
            warm=lambda t, hi, W, T, lo: hi * t / (W - 1))),
                "η_max·t/W reaches η_max at t = W (the first cosine step), not at t = W − 1: "
                "divide by W."),
        Mistake("warm-up from η_min", variant_gives(schedule(
            warm=lambda t, hi, W, T, lo: lo + (hi - lo) * t / W)),
                "the warm-up climbs from 0 (not from η_min): η_t = η_max·t/W for t < W."),
        Mistake("integer division", variant_gives(schedule(
            warm=lambda t, hi, W, T, lo: hi * (t // W))),
                "t // W is 0 for every warm-up step: use true division, η_max·t/W."),
        Mistake("cosine from step 0", variant_gives(schedule(
            cos=lambda t, hi, W, T, lo: cos_any(t, hi, W, T, lo, t / T))),
                "the cosine starts where the warm-up ends: its progress is p = (t − W)/(T − W), "
                "0 at t = W and 1 at t = T, not t/T."),
        Mistake("progress over T", variant_gives(schedule(
            cos=lambda t, hi, W, T, lo: cos_any(t, hi, W, T, lo, (t - W) / T))),
                "the cosine lasts T − W steps: p = (t − W)/(T − W) reaches 1 at t = T; dividing "
                "by T leaves η above η_min at the end."),
        Mistake("cos without π", variant_gives(schedule(
            cos=lambda t, hi, W, T, lo: lo + (hi - lo) * (1 + math.cos((t - W) / (T - W))) / 2)),
                "the cosine runs over half a period: cos(π p) goes from 1 to −1 as p goes from 0 "
                "to 1; cos(p) without π stops at cos(1) ≈ 0.54."),
        Mistake("½ missing", variant_gives(schedule(
            cos=lambda t, hi, W, T, lo: cos_any(t, hi, W, T, lo, (t - W) / (T - W), half=1.0))),
                "1 + cos(π p) goes from 2 to 0: multiply by ½ (otherwise the schedule starts at "
                "2η_max)."),
        Mistake("η_min ignored", variant_gives(schedule(
            cos=lambda t, hi, W, T, lo: hi * (1 + math.cos(math.pi * (t - W) / (T - W))) / 2),
            upto=probe["T"]),
                "the cosine falls to η_min, not to 0: η = η_min + ½(η_max − η_min)(1 + cos(π p))."),
        Mistake("η_min added", variant_gives(schedule(
            cos=lambda t, hi, W, T, lo: cos_any(t, hi, W, T, lo, (t - W) / (T - W),
                                                lo_in=False))),
                "the amplitude is η_max − η_min: η_min + ½η_max(1 + cos(π p)) starts above "
                "η_max. Write η_min + ½(η_max − η_min)(1 + cos(π p))."),
        Mistake("integer division in the cosine", variant_gives(schedule(
            cos=lambda t, hi, W, T, lo: cos_any(t, hi, W, T, lo, (t - W) // (T - W)))),
                "(t − W) // (T − W) is 0 until the last step: the progress p is a fraction, use "
                "true division (t − W)/(T − W)."),
        Mistake("linear decay", variant_gives(schedule(
            cos=lambda t, hi, W, T, lo: lo + (hi - lo) * (1 - (t - W) / (T - W)))),
                "that is a linear decay; the exercise's decay is the cosine "
                "η_min + ½(η_max − η_min)(1 + cos(π p)), flat at both ends and steepest in the "
                "middle."),
        Mistake("steps counted from 1", variant_gives(
            lambda t, hi, W, T, lo: _lr_right(t + 1, hi, W, T, lo)),
                "steps are counted from 0: the first step, t = 0, has η_0 = 0 (or η_max without "
                "warm-up); your schedule is one step ahead everywhere."),
        Mistake("0 after T", variant_gives(lambda t, hi, W, T, lo: _lr_right(t, hi, W, T, lo)
                                           if t <= T else 0.0),
                "after T the schedule stays at η_min, not at 0."),
        Mistake("cosine past T", variant_gives(after_T(schedule())),
                "after T the schedule stays at η_min; the cosine formula alone climbs back up "
                "(as CosineAnnealingLR does past T_max)."),
        Mistake("no warm-up crashes", crashes_without_warmup,
                "W = 0 means no warm-up: every t ≥ 0 is in the cosine part. Test t < W first, "
                "so that t/W is never computed with W = 0."),
    ]
    sweep = Sweep(_lr_input, _lr_oracle, _lr_compare, n=300, seed=19,
                  size=lambda args: 1.0,
                  property="learning rate (the closed form, in 50-digit arithmetic)",
                  hint="η_max·t/W while t < W; then η_min + ½(η_max − η_min)(1 + cos(π(t − W)/"
                       "(T − W))) up to t = T; η_min after T.")
    return run_checks("lr_at", fn, cases, mistakes, sweep=sweep, hint=sweep.hint)


# ---------------------------------------------------------------------------------------------
# Exercise 3 · one epoch of mini-batch SGD
# ---------------------------------------------------------------------------------------------

def _batch_loss_exact(w, X, y, b):
    """L_b(w) = Σ_{i∈b} (x_i·w − y_i)² / (2|b|), in exact fractions."""
    total = Fraction(0)
    for i in b:
        r = sum((X[i][j] * w[j] for j in range(len(w))), Fraction(0)) - y[i]
        total += r * r
    return total / (2 * len(b))


class _Batches(list):
    """The caller's list of batches, handed to the learner read-only: a function that consumes it
    (batches.pop(0) in a while loop) would leave the caller an empty list — a second epoch over
    the same list would do nothing. (The checker passes a fresh copy of this list to each call;
    slicing or list(batches) gives an ordinary list to do with as one likes.)"""

    def _refuse(self, *args, **kwargs):
        raise TypeError("the list batches belongs to the caller: don't change it (batches.pop(0) "
                        "empties it, so a second epoch over the same list would do nothing) — "
                        "loop over it with `for b in batches`")

    append = extend = insert = pop = remove = clear = sort = reverse = _refuse
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse

    last = None                                        # the newest list (the learner's copy)

    def __init__(self, items=()):
        super().__init__(items)
        self._ids = [id(b) for b in self]              # what it held when it was made
        _Batches.last = self

    def changed(self):
        return [id(b) for b in self] != self._ids


def _batches_changed():
    """True when the list most recently handed to the learner no longer holds what it held (a
    change that went round the overrides, e.g. list.pop(batches))."""
    return _Batches.last is not None and _Batches.last.changed()


def _sgd_oracle(w, X, y, lr, batches):
    """The epoch in exact rational arithmetic; each gradient from the definition of L_b: for a
    quadratic, (L_b(w + e_j) − L_b(w − e_j))/2 = ∂L_b/∂w_j exactly."""
    F = lambda v: Fraction(float(v))
    Xf = [[F(v) for v in row] for row in np.asarray(X)]
    yf = [F(v) for v in np.asarray(y)]
    wf = [F(v) for v in np.asarray(w)]
    eta = F(lr)
    for b in batches:
        b = [int(i) for i in b]
        g = []
        for j in range(len(wf)):
            up = [v + (1 if k == j else 0) for k, v in enumerate(wf)]
            down = [v - (1 if k == j else 0) for k, v in enumerate(wf)]
            g.append((_batch_loss_exact(up, Xf, yf, b) - _batch_loss_exact(down, Xf, yf, b)) / 2)
        wf = [v - eta * gj for v, gj in zip(wf, g)]
    return np.array([float(v) for v in wf])


def _w_compare(out, expected, args):
    if _batches_changed():
        return ("the list batches belongs to the caller: don't change it — loop over it with "
                "`for b in batches`")
    try:
        got = _arr(out)
    except (TypeError, ValueError):
        return f"return the weights as an array, got {fmt(out)}"
    if got.shape != expected.shape:
        return f"expected weights of shape {expected.shape}, got shape {got.shape} ({fmt(got)})"
    if not np.all(np.isfinite(got)):
        return f"expected {fmt(expected)}, got {fmt(got)} (nan or inf)"
    scale = 1.0 + float(np.abs(expected).max(initial=0.0))
    if not np.allclose(got, expected, rtol=1e-9, atol=1e-11 * scale):
        return f"expected {fmt(expected)}, got {fmt(got)}"
    return None


def _sgd_case(name, args, expected, hint=""):
    expected = np.asarray(expected, dtype=float)
    return Case(name, args, lambda o: _w_compare(o, expected, args), hint)


def _stable_lr(X, batches, rng):
    """A learning rate below 1/L for every batch (L = λ_max(X_bᵀX_b/|b|)), so the exact and the
    floating-point epochs stay close (the steps contract)."""
    L = max(float(np.linalg.eigvalsh(X[b].T @ X[b] / len(b)).max()) for b in batches)
    return float(rng.uniform(0.05, 0.9)) / max(L, 1e-12)


def _sgd_input(rng, i):
    """(w, X, y, lr, batches): corners first — one batch of every example, batches of one, a
    smaller last batch, batches out of order, d = 1, integer data — then N = 1 … 14, d = 1 … 5,
    batches from a random permutation cut at a random size, a stable learning rate."""
    if i == 0:
        X = np.array([[1], [2], [3]]); y = np.array([2, 4, 6])
        return np.zeros(1), X, y, 0.1, _Batches([np.array([0, 1]), np.array([2])])
    if i == 1:
        X = np.array([[1, 0], [0, 1], [1, 1], [2, -1]]); y = np.array([1, 2, 2, 0])
        return np.array([0.5, -0.5]), X, y, 0.2, _Batches([np.arange(4)])
    if i == 2:
        X = np.array([[1.0, 2.0], [-1.0, 0.5], [0.0, 1.0]]); y = np.array([0.5, -1.0, 2.0])
        return np.array([1.0, 1.0]), X, y, 0.15, _Batches([np.array([2]), np.array([0]),
                                                           np.array([1])])
    if i == 3:
        X = np.array([[2], [-1], [1], [3], [0]]); y = np.array([1, 0, 2, 1, -1])
        return np.array([0.25]), X, y, 0.05, _Batches([np.array([4, 1]), np.array([3, 0]),
                                                      np.array([2])])
    N, d = int(rng.integers(1, 15)), int(rng.integers(1, 6))
    X = rng.normal(0, float(rng.choice([0.5, 1.0, 2.0])), (N, d))
    if i % 4 == 1:
        X = np.round(X * 2).astype(np.int64)
    y = X @ rng.normal(size=d) + rng.normal(0, 0.5, N)
    if i % 4 == 1:
        y = np.round(y).astype(np.int64)
    B = int(rng.integers(1, N + 1))
    order = rng.permutation(N)
    batches = [order[k:k + B] for k in range(0, N, B)]
    if i % 5 == 2:
        batches = batches + batches[:1]                # a batch used twice is fine too
    w = rng.normal(size=d)
    if not np.any(np.asarray(X) != 0):
        X = np.ones_like(X)
    return w, X, y, _stable_lr(np.asarray(X, dtype=float), batches, rng), _Batches(batches)


def _sgd_variant(w, X, y, lr, batches, *, divide="batch", accumulate=False, stale=False,
                 factor=1.0, sign=1.0, full=False, from_start=False, sequential=False,
                 one_step=False, skip_last=False, union=False):
    """The epoch with one mistake switched on (for recognising mistakes)."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    if skip_last:
        batches = batches[:-1]
    if union:                                          # one step on all the batches' examples
        batches = [np.concatenate([np.asarray(b) for b in batches])]
    w0 = np.asarray(w, dtype=float).copy()
    w = w0.copy()
    if sequential:                                     # ignores the given batches' contents
        sizes, start, batches = [len(b) for b in batches], 0, []
        for s in sizes:
            batches.append(np.arange(start, start + s)); start += s
    g_sum = np.zeros_like(w)
    mean_g = np.zeros_like(w)
    for b in batches:
        b = np.arange(len(y)) if full else np.asarray(b)
        at = w0 if stale else w
        n = {"batch": len(b), "sum": 1, "first": len(batches[0]), "N": len(y)}[divide]
        g = factor * X[b].T @ (X[b] @ at - y[b]) / n
        if one_step:
            mean_g += g / len(batches)
            continue
        g_sum = g_sum + g if accumulate else g
        w = (w0 if from_start else w) - sign * lr * g_sum
    if one_step:
        w = w0 - lr * mean_g
    return w


_SGD_PROBE = (np.array([0.2, -0.1]),
              np.array([[1.0, 0.5], [0.5, -1.0], [2.0, 1.0], [-1.0, 1.5], [0.0, 1.0],
                        [1.5, -0.5], [1.0, 1.0]]),
              np.array([1.0, -0.5, 2.0, 0.5, 1.0, 0.0, 1.5]), 0.1,
              _Batches([np.array([5, 2, 0]), np.array([6, 1, 3]), np.array([4])]))


def check_sgd_epoch(fn):
    """sgd_epoch(w, X, y, lr, batches) → the weights after one step per batch, in order, of
    w ← w − η∇L_b(w) with L_b(w) = Σ_{i∈b}(x_i·w − y_i)²/(2|b|): ∇L_b = X_bᵀ(X_b w − y_b)/|b|.

    Catches: the batch gradient summed instead of averaged (no 1/|b|), divided by a fixed batch
    size (the first batch's: wrong for a smaller last batch) or by N, accumulated over the batches
    (PyTorch's gradients add up when optimizer.zero_grad() is forgotten), taken at the epoch's
    starting weights (stale), or at the full data set (full-batch GD); the factor 2 of the loss
    without ½; the sign; every step taken from the starting weights; the given batches ignored
    (consecutive rows of X instead); the last batch skipped; one step per epoch (with the mean of
    the batch gradients, or on all the batches' examples at once). The list of batches is handed
    over read-only (consuming it with pop() raises a clear error). Mutating w
    (w -= …) is caught as an input change. Sweep: the exact-arithmetic epoch (module docstring)."""
    cases = [
        # batch [0, 1]: ∇ = ½(1·(0 − 2) + 2·(0 − 4)) = −5 → w = 0.5
        # batch [2]:   ∇ = 3·(3·0.5 − 6) = −13.5         → w = 0.5 + 1.35 = 1.85
        _sgd_case("X = [[1], [2], [3]], y = [2, 4, 6], w = [0], η = 0.1, batches [0, 1] then [2]",
                  _sgd_input(None, 0), [1.85],
                  hint="each batch's gradient is the MEAN over its own examples (divide by the "
                       "size of that batch), taken at the current w."),
        # one batch of all 4: Xw = [0.5, −0.5, 0, 1.5], r = Xw − y = [−0.5, −2.5, −2, 1.5]
        # Xᵀr = [−0.5 − 2 + 3, −2.5 − 2 − 1.5] = [0.5, −6] → /4 = [0.125, −1.5]
        # w = [0.5, −0.5] − 0.2·[0.125, −1.5] = [0.475, −0.2]
        _sgd_case("one batch holding all 4 examples (one full-batch GD step), integer X and y",
                  _sgd_input(None, 1), [0.475, -0.2]),
        # three batches of one, η = 0.15: [2] x = (0, 1), r = 1 − 2 = −1 → ∇ = [0, −1]
        #   → w = [1, 1.15];  [0]: r = 1 + 2.3 − 0.5 = 2.8 → ∇ = [2.8, 5.6] → w = [0.58, 0.31]
        # [1]: r = −0.58 + 0.155 + 1 = 0.575 → ∇ = [−0.575, 0.2875] → w = [0.66625, 0.266875]
        _sgd_case("batches of one example each, in the order [2], [0], [1] (plain SGD)",
                  _sgd_input(None, 2), [0.66625, 0.266875]),
        # [4, 1]: r = [−(−1), −0.25 − 0] = [1, −0.25] → ∇ = ½(0·1 + (−1)(−0.25)) = 0.125
        #         w = 0.25 − 0.05·0.125 = 0.24375
        # [3, 0]: r = [3·0.24375 − 1, 2·0.24375 − 1] = [−0.26875, −0.5125]
        #         ∇ = ½(3·(−0.26875) + 2·(−0.5125)) = −0.915625 → w = 0.28953125
        # [2]:    r = 0.28953125 − 2 = −1.71046875 → w = 0.28953125 + 0.05·1.71046875
        _sgd_case("batches [4, 1], [3, 0], [2]: indices out of order and a smaller last batch",
                  _sgd_input(None, 3), [0.28953125 + 0.05 * 1.71046875]),
    ]
    right = _sgd_variant(*_SGD_PROBE)

    def gives(**flags):
        want = _sgd_variant(*_SGD_PROBE, **flags)
        if np.allclose(want, right):                  # pragma: no cover - a useless detector
            raise AssertionError(f"{flags} does not change the probe's answer")

        def detect(f):
            try:
                return _matches(_call(f, _SGD_PROBE, mutates=True), want, 1e-9, 1e-12)
            except Exception:
                return False
        return detect

    mistakes = [
        Mistake("summed gradient", gives(divide="sum"),
                "you summed the batch's per-example gradients: L_b is the MEAN loss of the "
                "batch, so divide by |b| — otherwise the step grows with the batch size and a "
                "learning rate tuned for one B diverges for another."),
        Mistake("fixed batch size", gives(divide="first"),
                "divide each batch's gradient by the size of THAT batch, len(b): the last batch "
                "of an epoch is usually smaller than batch_size."),
        Mistake("divided by N", gives(divide="N"),
                "the mean is over the batch's |b| examples, not over all N: dividing by N makes "
                "every step |b|/N times too short."),
        Mistake("gradients accumulate", gives(accumulate=True),
                "your steps use the sum of this batch's gradient and all the previous ones: "
                "that is what happens in PyTorch (and dlmath) when optimizer.zero_grad() is "
                "forgotten — .grad keeps adding up. Use only the current batch's gradient."),
        Mistake("stale gradient", gives(stale=True),
                "each gradient must be taken at the CURRENT weights (after the previous "
                "steps), not at the weights the epoch started with."),
        Mistake("full-batch gradient", gives(full=True),
                "each step uses the gradient of its own batch, X[b] and y[b], not of the whole "
                "data set (that would be full-batch gradient descent, |batches| times)."),
        Mistake("factor 2", gives(factor=2.0),
                "L_b has a ½ in front: ∇L_b = X_bᵀ(X_b w − y_b)/|b|, without a factor 2."),
        Mistake("sign flipped", gives(sign=-1.0),
                "gradient DEscent: w ← w − η∇L_b(w) (your steps go uphill)."),
        Mistake("steps from the start", gives(from_start=True),
                "each step starts from the weights the previous step produced; yours restart "
                "from the initial w every time, so only the last batch counts."),
        Mistake("batches ignored", gives(sequential=True),
                "use the examples listed in each batch, X[b] and y[b] (b is an array of "
                "indices in shuffled order), not consecutive rows of X."),
        Mistake("last batch skipped", gives(skip_last=True),
                "every batch gets its step, the last (smaller) one too: loop over all of "
                "batches."),
        Mistake("one step per epoch", lambda f: gives(one_step=True)(f) or gives(union=True)(f),
                "take one step PER BATCH (that is the point of mini-batches: many cheap steps "
                "per epoch), not one step with the epoch's average gradient."),
    ]
    sweep = Sweep(_sgd_input, _sgd_oracle, _w_compare, n=100, seed=19,
                  property="weights (the epoch replayed in exact arithmetic)",
                  hint="for b in batches: g = X[b].T @ (X[b] @ w − y[b]) / len(b); w = w − lr*g "
                       "(a new array, so the caller's w is not changed).")
    return run_checks("sgd_epoch", fn, cases, mistakes, sweep=sweep, hint=sweep.hint)
