"""The notebook-19 checkers (dlmath/exercises/sgd_schedules.py): correct solutions pass (two
different ones each), each catalogued mistake — written as real wrong code — is caught under its
own name, a stub is "not attempted", uncatalogued wrong solutions get expected-vs-got, an
input-mutating one the in-place hint, the sweep catches what the hand-picked cases miss, each
oracle agrees with an independent computation, and the notebook's own solutions pass."""
import copy
import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

import dlmath as dm
from dlmath.exercises import check_lr_at, check_minibatches, check_sgd_epoch
from dlmath.exercises import sgd_schedules as ss

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "19_gradient_descent_sgd.ipynb"


def stub(*args):
    raise NotImplementedError


def _named(result, name):
    return result.status == "failed" and result.mistakes and result.mistakes[0] == name


# --------------------------------------------------------------------------------------------
# minibatches
# --------------------------------------------------------------------------------------------

def mb_slices(n, batch_size, rng):
    order = rng.permutation(n)
    return [order[k:k + batch_size] for k in range(0, n, batch_size)]


def mb_split(n, batch_size, rng):                    # shuffle an arange, split at multiples of B
    idx = np.arange(n)
    rng.shuffle(idx)
    return [np.sort(b) for b in np.split(idx, range(batch_size, n, batch_size))]


def _mb_drop_last(n, B, rng):
    order = rng.permutation(n)
    return [order[k * B:(k + 1) * B] for k in range(n // B)]


def _mb_merged(n, B, rng):
    out = mb_slices(n, B, rng)
    if len(out) > 1 and len(out[-1]) < B:
        out = out[:-2] + [np.concatenate(out[-2:])]
    return out


def _mb_padded(n, B, rng):
    order = rng.permutation(n)
    out = [order[k:k + B] for k in range(0, n, B)]
    if len(out[-1]) < B:
        out[-1] = np.concatenate([out[-1], order[:B - len(out[-1])]])
    return out


def _mb_replacement(n, B, rng):
    return [rng.integers(0, n, min(B, n - k)) for k in range(0, n, B)]


def _mb_not_shuffled(n, B, rng):
    order = np.arange(n)
    return [order[k:k + B] for k in range(0, n, B)]


def _mb_own_generator(n, B, rng):
    return mb_slices(n, B, np.random.default_rng(0))


def _mb_array_split(n, B, rng):
    return np.array_split(rng.permutation(n), math.ceil(n / B))


def _mb_empty_last(n, B, rng):
    order = rng.permutation(n)
    return [order[k * B:(k + 1) * B] for k in range(n // B + 1)]


def _mb_choice(n, B, rng):
    order = rng.choice(n, n, replace=False)
    return [order[k:k + B] for k in range(0, n, B)]


def _mb_extra_draw(n, B, rng):
    out = mb_slices(n, B, rng)
    rng.random()                                     # a stray draw
    return out


def _mb_copy(n, B, rng):                             # draws from a copy: rng never advances
    return mb_slices(n, B, copy.deepcopy(rng))


MB_WRONG = {
    "rng not advanced": _mb_copy,
    "last batch dropped": _mb_drop_last,
    "last batch merged": _mb_merged,
    "last batch padded": _mb_padded,
    "examples repeat": _mb_replacement,
    "not shuffled": _mb_not_shuffled,
    "own generator": _mb_own_generator,
    "np.array_split": _mb_array_split,
    "empty last batch": _mb_empty_last,
    "not rng.permutation": _mb_choice,
    "extra draws": _mb_extra_draw,
}


@pytest.mark.parametrize("solution", [mb_slices, mb_split])
def test_minibatches_correct(solution, capsys):
    r = check_minibatches(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(MB_WRONG))
def test_minibatches_mistakes(name):
    r = check_minibatches(MB_WRONG[name])
    assert _named(r, name), (r.mistakes, r.message)


def test_minibatches_new_permutation_per_batch_is_examples_repeat():
    def per_batch(n, B, rng):
        return [rng.permutation(n)[:min(B, n - k)] for k in range(0, n, B)]
    assert _named(check_minibatches(per_batch), "examples repeat")


def test_minibatches_stub_generic_float_indices(capsys):
    assert check_minibatches(stub).status == "not attempted"
    assert "not attempted" in capsys.readouterr().out

    def swapped_pieces(n, B, rng):                   # a partition, the first two pieces swapped
        out = mb_slices(n, B, rng)
        return out[1:2] + out[:1] + out[2:] if len(out) > 2 else out
    r = check_minibatches(swapped_pieces)
    assert r.status == "failed" and r.mistakes == [] and "should hold the indices" in r.message
    r = check_minibatches(lambda n, B, rng: [b.astype(float) for b in mb_slices(n, B, rng)])
    assert r.status == "failed" and "integers" in r.message


def test_minibatches_sweep_catches_what_the_cases_miss():
    def small_only(n, B, rng):                       # right up to n = 30, unshuffled beyond
        return mb_slices(n, B, rng) if n <= 30 else _mb_not_shuffled(n, B, rng)
    r = check_minibatches(small_only)
    assert r.status == "failed" and "random inputs failed" in r.message


def test_minibatches_definition_matches_dlmath_dataloader():
    """The convention is DataLoader's: one permutation per epoch cut into consecutive batches —
    so the sweep's definition agrees with dlmath.data.DataLoader's batches."""
    for n, B in [(10, 3), (12, 4), (5, 8), (37, 6)]:
        ds = dm.data.TensorDataset(np.arange(n))
        loader = dm.data.DataLoader(ds, batch_size=B, shuffle=True, seed=4)
        batches = [xb for (xb,) in loader]           # epoch 0: default_rng([4, 0])
        gen = ss._SeededGenerator([4, 0])
        gen.permutation(n)                           # where the loader's generator ends up
        assert ss._minibatch_problem(batches, n, B, [4, 0], gen) is None


# --------------------------------------------------------------------------------------------
# lr_at
# --------------------------------------------------------------------------------------------

def lr_branches(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < warmup_steps:
        return base_lr * step / warmup_steps
    if step > total_steps:
        return float(min_lr)
    p = (step - warmup_steps) / (total_steps - warmup_steps)
    return min_lr + 0.5 * (base_lr - min_lr) * (1 + math.cos(math.pi * p))


def lr_numpy(step, base_lr, warmup_steps, total_steps, min_lr=0.0):   # clip the progress
    warm = base_lr * step / max(warmup_steps, 1)
    p = np.clip((step - warmup_steps) / (total_steps - warmup_steps), 0.0, 1.0)
    decay = min_lr + (base_lr - min_lr) * np.cos(np.pi * p / 2) ** 2   # ½(1 + cos 2x) = cos² x
    return float(warm if step < warmup_steps else decay)


def _lr(warm=None, cos=None, after=None):
    def f(t, hi, W, T, lo=0.0):
        if t < W:
            return warm(t, hi, W, T, lo) if warm else hi * t / W
        if t > T and after is None:
            return float(lo)
        return (cos or (lambda t, hi, W, T, lo: lo + 0.5 * (hi - lo)
                        * (1 + math.cos(math.pi * (t - W) / (T - W)))))(t, hi, W, T, lo)
    return f


LR_WRONG = {
    "warm-up one step ahead": _lr(warm=lambda t, hi, W, T, lo: hi * (t + 1) / W),
    "warm-up reaches η_max early": _lr(warm=lambda t, hi, W, T, lo: hi * min(t / max(W - 1, 1),
                                                                            1.0)),
    "warm-up from η_min": _lr(warm=lambda t, hi, W, T, lo: lo + (hi - lo) * t / W),
    "integer division": _lr(warm=lambda t, hi, W, T, lo: hi * (t // W)),
    "cosine from step 0": _lr(cos=lambda t, hi, W, T, lo: lo + 0.5 * (hi - lo)
                              * (1 + math.cos(math.pi * t / T))),
    "progress over T": _lr(cos=lambda t, hi, W, T, lo: lo + 0.5 * (hi - lo)
                           * (1 + math.cos(math.pi * (t - W) / T))),
    "cos without π": _lr(cos=lambda t, hi, W, T, lo: lo + 0.5 * (hi - lo)
                         * (1 + math.cos((t - W) / (T - W)))),
    "½ missing": _lr(cos=lambda t, hi, W, T, lo: lo + (hi - lo)
                     * (1 + math.cos(math.pi * (t - W) / (T - W)))),
    "η_min ignored": _lr(cos=lambda t, hi, W, T, lo: 0.5 * hi
                         * (1 + math.cos(math.pi * (t - W) / (T - W)))),
    "η_min added": _lr(cos=lambda t, hi, W, T, lo: lo + 0.5 * hi
                       * (1 + math.cos(math.pi * (t - W) / (T - W)))),
    "cosine past T": _lr(after=True),
    "integer division in the cosine": _lr(cos=lambda t, hi, W, T, lo: lo + 0.5 * (hi - lo)
                                          * (1 + math.cos(math.pi * ((t - W) // (T - W))))),
    "linear decay": _lr(cos=lambda t, hi, W, T, lo: lo + (hi - lo) * (T - t) / (T - W)),
    "steps counted from 1": lambda t, hi, W, T, lo=0.0: lr_branches(t + 1, hi, W, T, lo),
    "0 after T": lambda t, hi, W, T, lo=0.0: lr_branches(t, hi, W, T, lo) if t <= T else 0.0,
}


def _lr_no_warmup_guard(t, hi, W, T, lo=0.0):
    warm = hi * t / W                                # computed first: fails for W = 0
    if t < W:
        return warm
    return lr_branches(t, hi, W, T, lo)


@pytest.mark.parametrize("solution", [lr_branches, lr_numpy])
def test_lr_at_correct(solution, capsys):
    r = check_lr_at(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(LR_WRONG))
def test_lr_at_mistakes(name):
    r = check_lr_at(LR_WRONG[name])
    assert _named(r, name), (r.mistakes, r.message)


def test_lr_at_crash_without_warmup():
    assert _named(check_lr_at(_lr_no_warmup_guard), "no warm-up crashes")

    def inclusive(t, hi, W, T, lo=0.0):             # t <= W: 0/0 at t = 0 when W = 0
        return hi * t / W if t <= W else lr_branches(t, hi, W, T, lo)
    assert _named(check_lr_at(inclusive), "no warm-up crashes")


def test_lr_at_min_lr_ignored_everywhere():          # the floor after T is 0 as well
    def no_min(t, hi, W, T, lo=0.0):
        return lr_branches(t, hi, W, T, 0.0)
    assert _named(check_lr_at(no_min), "η_min ignored")


def test_lr_at_stub_and_generic():
    assert check_lr_at(stub).status == "not attempted"
    r = check_lr_at(lambda *a: 1.001 * lr_branches(*a))
    assert r.status == "failed" and r.mistakes == [] and "expected" in r.message
    r = check_lr_at(lambda *a: [lr_branches(*a)])
    assert r.status == "failed" and "one number" in r.message


def test_lr_at_sweep_catches_what_the_cases_miss():
    def long_runs_wrong(t, hi, W, T, lo=0.0):       # right for T ≤ 100, 1% off beyond
        v = lr_branches(t, hi, W, T, lo)
        return v if T <= 100 or T == 10**6 or T == 12 else v * 1.01
    r = check_lr_at(long_runs_wrong)
    assert r.status == "failed" and "random inputs failed" in r.message


def test_lr_oracle_matches_dlmath_schedulers():
    """The 50-digit closed form agrees with dlmath's LinearLR (warm-up) and CosineAnnealingLR
    (decay) — an independent implementation, by recursion on the lr."""
    W, T, hi, lo = 5, 25, 0.5, 0.05
    p = dm.nn.Parameter(np.zeros(1))
    opt = dm.optim.SGD([p], lr=hi)
    warm = dm.optim.lr_scheduler.LinearLR(opt, start_factor=1e-12, end_factor=1.0,
                                          total_iters=W)
    for t in range(W):
        assert math.isclose(opt.param_groups[0]["lr"], ss._lr_oracle(t, hi, W, T, lo),
                            rel_tol=1e-9, abs_tol=1e-11)
        warm.step()
    opt = dm.optim.SGD([p], lr=hi)
    cos = dm.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=T - W, eta_min=lo)
    for t in range(W, T + 1):
        assert math.isclose(opt.param_groups[0]["lr"], ss._lr_oracle(t, hi, W, T, lo),
                            rel_tol=1e-12)
        cos.step()


# --------------------------------------------------------------------------------------------
# sgd_epoch
# --------------------------------------------------------------------------------------------

def sgd_loop(w, X, y, lr, batches):
    w = np.array(w, dtype=float)
    for b in batches:
        Xb, yb = X[b], y[b]
        w = w - lr * Xb.T @ (Xb @ w - yb) / len(b)
    return w


def sgd_autograd(w, X, y, lr, batches):              # the gradient from dlmath's autograd
    w = dm.tensor(np.array(w, dtype=float), requires_grad=True)
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    opt = dm.optim.SGD([w], lr=lr)
    for b in batches:
        opt.zero_grad()
        r = dm.tensor(X[b]) @ w - dm.tensor(y[b])
        ((r * r).sum() / (2 * len(b))).backward()
        opt.step()
    return w.detach().numpy().copy()


def _sgd(**flags):
    return lambda w, X, y, lr, batches: ss._sgd_variant(w, X, y, lr, batches, **flags)


def _sgd_accumulate_autograd(w, X, y, lr, batches):  # zero_grad forgotten, for real
    w = dm.tensor(np.array(w, dtype=float), requires_grad=True)
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    opt = dm.optim.SGD([w], lr=lr)
    for b in batches:
        r = dm.tensor(X[b]) @ w - dm.tensor(y[b])
        ((r * r).sum() / (2 * len(b))).backward()
        opt.step()
    return w.detach().numpy().copy()


def _sgd_fixed_size(w, X, y, lr, batches):
    w = np.array(w, dtype=float)
    B = len(batches[0])
    for b in batches:
        w = w - lr * X[b].T @ (X[b] @ w - y[b]) / B
    return w


SGD_WRONG = {
    "summed gradient": _sgd(divide="sum"),
    "fixed batch size": _sgd_fixed_size,
    "divided by N": _sgd(divide="N"),
    "gradients accumulate": _sgd_accumulate_autograd,
    "stale gradient": _sgd(stale=True),
    "full-batch gradient": _sgd(full=True),
    "factor 2": _sgd(factor=2.0),
    "sign flipped": _sgd(sign=-1.0),
    "steps from the start": _sgd(from_start=True),
    "batches ignored": _sgd(sequential=True),
    "one step per epoch": _sgd(one_step=True),
    "last batch skipped": lambda w, X, y, lr, batches: sgd_loop(w, X, y, lr, batches[:-1]),
}


def test_sgd_epoch_one_step_on_the_union():
    def union(w, X, y, lr, batches):
        return sgd_loop(w, X, y, lr, [np.concatenate(batches)])
    assert _named(check_sgd_epoch(union), "one step per epoch")


@pytest.mark.parametrize("solution", [sgd_loop, sgd_autograd])
def test_sgd_epoch_correct(solution, capsys):
    r = check_sgd_epoch(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(SGD_WRONG))
def test_sgd_epoch_mistakes(name):
    r = check_sgd_epoch(SGD_WRONG[name])
    assert _named(r, name), (r.mistakes, r.message)


def test_sgd_epoch_stub_generic_in_place():
    assert check_sgd_epoch(stub).status == "not attempted"
    r = check_sgd_epoch(lambda *a: 1.01 * sgd_loop(*a))
    assert r.status == "failed" and r.mistakes == [] and "expected" in r.message

    def in_place(w, X, y, lr, batches):
        for b in batches:
            w -= lr * X[b].T @ (X[b] @ w - y[b]) / len(b)
        return w
    r = check_sgd_epoch(in_place)
    assert r.status == "failed" and "in place" in r.mistakes


def test_sgd_epoch_consuming_the_batches_is_refused():
    def consumes(w, X, y, lr, batches):
        w = np.array(w, dtype=float)
        while batches:
            b = batches.pop(0)
            w = w - lr * X[b].T @ (X[b] @ w - y[b]) / len(b)
        return w
    r = check_sgd_epoch(consumes)
    assert r.status == "failed" and ("belongs to the caller" in r.message or "changed the list batches" in r.message)

    def round_the_overrides(w, X, y, lr, batches):
        out = sgd_loop(w, X, y, lr, list(batches))
        while len(batches):
            list.pop(batches)                       # the base-class method
        return out
    r = check_sgd_epoch(round_the_overrides)
    assert r.status == "failed" and ("belongs to the caller" in r.message or "changed the list batches" in r.message)

    def copies_first(w, X, y, lr, batches):         # list(batches) is the learner's own list
        todo = list(batches)
        while todo:
            w = sgd_loop(w, X, y, lr, [todo.pop(0)])
        return w
    assert check_sgd_epoch(copies_first)


def test_sgd_epoch_sweep_catches_what_the_cases_miss():
    def wide_wrong(w, X, y, lr, batches):           # right for d ≤ 2, summed beyond
        return sgd_loop(w, X, y, lr, batches) if np.shape(X)[1] <= 2 else \
            ss._sgd_variant(w, X, y, lr, batches, divide="sum")
    r = check_sgd_epoch(wide_wrong)
    assert r.status == "failed" and "random inputs failed" in r.message


def test_sgd_oracle_agrees_with_the_closed_form_gradient():
    """The exact epoch (gradients by central differences of L_b in fractions) agrees with the
    gradient formula Xᵀ(Xw − y)/|b| in floats on the sweep's inputs."""
    rng = np.random.default_rng(19)
    for i in range(60):
        w, X, y, lr, batches = ss._sgd_input(rng, i)
        assert np.allclose(ss._sgd_oracle(w, X, y, lr, batches),
                           sgd_loop(w, np.asarray(X, float), np.asarray(y, float), lr, batches),
                           rtol=1e-10, atol=1e-12), i


# --------------------------------------------------------------------------------------------
# the notebook's solutions pass their checkers
# --------------------------------------------------------------------------------------------

def _notebook_solutions():
    book = json.loads(NOTEBOOK.read_text())
    text = "\n".join("".join(c["source"]) for c in book["cells"] if c["cell_type"] == "markdown")
    return re.findall(r"<details><summary>Solution</summary>\s*```python\n(.*?)```", text, re.S)


def test_notebook_solutions_pass():
    sources = _notebook_solutions()
    assert len(sources) == 3
    env = {"np": np, "math": math}
    for src in sources:
        exec(src, env)
    assert check_minibatches(env["minibatches"])
    assert check_lr_at(env["lr_at"])
    assert check_sgd_epoch(env["sgd_epoch"])
