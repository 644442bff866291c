"""The notebook-22 checkers (dlmath/exercises/regularization.py): correct solutions pass (two
different ones each), each catalogued mistake — written as real wrong code — is caught under its
own name, a stub is "not attempted", uncatalogued wrong solutions get expected-vs-got, an
input-mutating one the in-place hint, the sweep catches what the hand-picked cases miss, each
oracle agrees with an independent computation, and the notebook's solutions pass."""
import json
import re
from pathlib import Path

import numpy as np
import pytest

import dlmath
import dlmath.nn.functional as F
from dlmath.exercises import check_dropout_forward, check_early_stopping, check_split_indices
from dlmath.exercises import regularization as rg

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / \
    "22_regularisation_generalisation.ipynb"


def stub(*args):
    raise NotImplementedError


def _named(result, name):
    return result.status == "failed" and result.mistakes and result.mistakes[0] == name


# --------------------------------------------------------------------------------------------
# dropout_forward
# --------------------------------------------------------------------------------------------

def dropout_vector(x, p, training, rng):
    if not training:
        return x
    if p == 1:
        return np.zeros_like(x, dtype=float)
    keep = rng.random(x.shape) >= p
    return x * keep / (1 - p)


def dropout_where(x, p, training, rng):          # a copy in eval mode, np.where, p = 1 drawn too
    x = np.array(x, dtype=float)
    if not training:
        return x.copy()
    u = rng.random(x.shape)
    scale = 0.0 if p >= 1 else 1.0 / (1.0 - p)
    return np.where(u >= p, x * scale, 0.0)


def _drop(mask_fn, scale_fn, eval_fn=lambda x, p: x, p1=lambda x: np.zeros_like(x)):
    def f(x, p, training, rng):
        if not training:
            return eval_fn(x, p)
        if p == 1:
            return p1(x)
        return x * mask_fn(rng, x, p) * scale_fn(p)
    return f


_keep = lambda rng, x, p: rng.random(x.shape) >= p
_inv = lambda p: 1 / (1 - p)

DROPOUT_WRONG = {
    "no inverted scaling": _drop(_keep, lambda p: 1.0),
    "multiplied by 1 − p": _drop(_keep, lambda p: 1 - p),
    "divided by p": _drop(_keep, lambda p: 1 / p if p else 1.0),
    "p taken as the keep probability": _drop(lambda rng, x, p: rng.random(x.shape) < p, _inv),
    "on at evaluation": lambda x, p, training, rng: dropout_vector(x, p, True, rng),
    "evaluation scaled by 1 − p": _drop(_keep, lambda p: 1.0, eval_fn=lambda x, p: x * (1 - p)),
    "nan at p = 1": lambda x, p, training, rng: (x * (rng.random(x.shape) >= p) / (1 - p)
                                                 if training else x),
    "p = 1 not all zeros": _drop(_keep, _inv, p1=lambda x: x),
    "one mask value per column": _drop(lambda rng, x, p: rng.random(x.shape[-1:]) >= p, _inv),
    "the mask returned": lambda x, p, training, rng: (
        (rng.random(x.shape) >= p).astype(float) if training and p < 1
        else (np.zeros_like(x) if training else x)),
    "u > p instead of u ≥ p": _drop(lambda rng, x, p: rng.random(x.shape) > p, _inv),
    "different draws": _drop(lambda rng, x, p: rng.binomial(1, 1 - p, x.shape), _inv),
}


@pytest.mark.parametrize("solution", [dropout_vector, dropout_where])
def test_dropout_correct(solution, capsys):
    r = check_dropout_forward(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(DROPOUT_WRONG))
def test_dropout_mistakes(name):
    r = check_dropout_forward(DROPOUT_WRONG[name])
    assert _named(r, name), (r.mistakes, r.message)


def test_dropout_fresh_generator_is_different_draws():
    def own_rng(x, p, training, rng):                # ignores the rng it is given
        return dropout_vector(x, p, training, np.random.default_rng(0))
    assert _named(check_dropout_forward(own_rng), "different draws")


def test_dropout_stub_generic_in_place():
    assert check_dropout_forward(stub).status == "not attempted"

    def half_scale(x, p, training, rng):             # survivors scaled by 1/(1 − p/2)
        out = dropout_vector(x, p, training, rng)
        return out * (1 - p) / (1 - p / 2) if training and p < 1 else out
    r = check_dropout_forward(half_scale)
    assert r.status == "failed" and r.mistakes == [] and "expected" in r.message

    def in_place(x, p, training, rng):
        if not training:
            return x
        if p == 1:
            x *= 0
            return x
        x *= (rng.random(x.shape) >= p) / (1 - p)
        return x
    r = check_dropout_forward(in_place)
    assert r.status == "failed" and "in place" in r.mistakes


def test_dropout_sweep_catches_what_the_cases_miss():
    def small_only(x, p, training, rng):             # right up to 8 elements, no scaling beyond
        out = dropout_vector(x, p, training, rng)
        if training and 0 < p < 1 and np.size(x) > 8:
            return out * (1 - p) * 1.0001
        return out
    r = check_dropout_forward(small_only)
    assert r.status == "failed" and "random inputs failed" in r.message


def test_dropout_oracle_matches_the_library_and_the_expectation():
    """The oracle's draws are dlmath.nn.functional.dropout's (the same comparison u ≥ p on the
    same stream), and its mean over many draws is x within a 5σ bound."""
    x = np.linspace(-2, 3, 30).reshape(5, 6)
    for p in (0.1, 0.5, 0.8):
        dlmath.manual_seed(7)
        lib = F.dropout(dlmath.tensor(x), p=p, training=True).numpy()
        assert np.allclose(rg._dropout_oracle(x, p, True, 7), lib, rtol=1e-13, atol=0)
    xs = np.full(50_000, 1.5)
    for p in (0.2, 0.7):
        out = rg._dropout_oracle(xs, p, True, 3)
        sigma = 1.5 * np.sqrt(p / (1 - p))
        assert abs(out.mean() - 1.5) < 5 * sigma / np.sqrt(xs.size)
        assert set(np.unique(out).round(12)) <= {0.0, round(1.5 / (1 - p), 12)}
    assert np.array_equal(rg._dropout_oracle(x, 1.0, True, 0), np.zeros_like(x))
    assert np.array_equal(rg._dropout_oracle(x, 0.6, False, 0), x)


def test_rng_shows_itself_as_default_rng():
    g = rg._Rng(5)
    assert repr(g) == "np.random.default_rng(5)"
    assert np.array_equal(g.random(4), np.random.default_rng(5).random(4))


# --------------------------------------------------------------------------------------------
# split_indices
# --------------------------------------------------------------------------------------------

def split_rounded(y, fractions, seed):
    rng = np.random.default_rng(seed)
    y = np.asarray(y)
    parts = ([], [], [])
    for c in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == c))
        n_val, n_test = round(fractions[1] * len(idx)), round(fractions[2] * len(idx))
        parts[1].append(idx[:n_val])
        parts[2].append(idx[n_val:n_val + n_test])
        parts[0].append(idx[n_val + n_test:])
    return tuple(np.concatenate(p).astype(np.int64) for p in parts)


def split_largest_remainder(y, fractions, seed):
    """Sizes by the largest-remainder method, the assignment by one shuffled key per example."""
    rng = np.random.default_rng(seed)
    y = np.asarray(y)
    key = rng.random(len(y))
    train, val, test = [], [], []
    for c in sorted(set(y.tolist())):
        idx = np.flatnonzero(y == c)
        idx = idx[np.argsort(key[idx])]
        quotas = np.array(fractions, dtype=float) * len(idx)
        sizes = np.floor(quotas).astype(int)
        for k in np.argsort(-(quotas - sizes), kind="stable")[:len(idx) - sizes.sum()]:
            sizes[k] += 1
        cuts = np.cumsum(sizes)
        train += idx[:cuts[0]].tolist()
        val += idx[cuts[0]:cuts[1]].tolist()
        test += idx[cuts[1]:].tolist()
    return (np.array(train, dtype=int), np.array(val, dtype=int), np.array(test, dtype=int))


def split_with_replacement(y, fractions, seed):
    rng = np.random.default_rng(seed)
    n = len(y)
    n_tr, n_va = round(fractions[0] * n), round(fractions[1] * n)
    return (rng.choice(n, n_tr), rng.choice(n, n_va), rng.choice(n, n - n_tr - n_va))


def split_floor_each(y, fractions, seed):
    rng = np.random.default_rng(seed)
    parts = ([], [], [])
    for c in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == c))
        a = int(fractions[0] * len(idx))
        b = a + int(fractions[1] * len(idx))
        e = b + int(fractions[2] * len(idx))
        for k, piece in enumerate((idx[:a], idx[a:b], idx[b:e])):
            parts[k].append(piece)
    return tuple(np.concatenate(p).astype(int) for p in parts)


def split_global(y, fractions, seed):
    rng = np.random.default_rng(seed)
    idx = rng.permutation(len(y))
    n_va, n_te = round(fractions[1] * len(y)), round(fractions[2] * len(y))
    return idx[n_va + n_te:], idx[:n_va], idx[n_va:n_va + n_te]


def split_wrong_order(y, fractions, seed):
    train, val, test = split_rounded(y, fractions, seed)
    return train, test, val


def split_masks(y, fractions, seed):
    parts = split_rounded(y, fractions, seed)
    masks = []
    for p in parts:
        m = np.zeros(len(y), dtype=bool)
        m[p] = True
        masks.append(m)
    return tuple(masks)


def split_not_shuffled(y, fractions, seed):
    parts = ([], [], [])
    for c in np.unique(y):
        idx = np.flatnonzero(y == c)
        n_val, n_test = round(fractions[1] * len(idx)), round(fractions[2] * len(idx))
        parts[0].append(idx[n_val + n_test:])
        parts[1].append(idx[:n_val])
        parts[2].append(idx[n_val:n_val + n_test])
    return tuple(np.concatenate(p).astype(int) for p in parts)


def split_unseeded(y, fractions, seed):
    return split_rounded(y, fractions, None)


def split_global_state(y, fractions, seed):
    np.random.seed(seed)
    parts = ([], [], [])
    for c in np.unique(y):
        idx = np.random.permutation(np.flatnonzero(y == c))
        n_val, n_test = round(fractions[1] * len(idx)), round(fractions[2] * len(idx))
        parts[0].append(idx[n_val + n_test:])
        parts[1].append(idx[:n_val])
        parts[2].append(idx[n_val:n_val + n_test])
    return tuple(np.concatenate(p).astype(int) for p in parts)


SPLIT_WRONG = {
    "sampling with replacement": split_with_replacement,
    "examples lost": split_floor_each,
    "classes ignored": split_global,
    "parts in the wrong order": split_wrong_order,
    "boolean masks": split_masks,
    "not shuffled": split_not_shuffled,
    "seed not used": split_unseeded,
}


@pytest.mark.parametrize("solution", [split_rounded, split_largest_remainder])
def test_split_correct(solution, capsys):
    r = check_split_indices(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(SPLIT_WRONG))
def test_split_mistakes(name):
    r = check_split_indices(SPLIT_WRONG[name])
    assert _named(r, name), (r.mistakes, r.message)


def test_split_global_state_and_bias_caught():
    r = check_split_indices(split_global_state)
    assert r.status == "failed" and "global random state" in r.message, r.message

    def first_to_train(y, fractions, seed):          # random, but class heads always in train
        train, val, test = split_rounded(y, fractions, seed)
        rest = np.concatenate([val, test])
        heads = [int(np.flatnonzero(y == c)[0]) for c in np.unique(y)]
        swap = [h for h in heads if h in set(rest.tolist())]
        # move each class's first example into train, swapping with a train example of its class
        train, val, test = train.tolist(), val.tolist(), test.tolist()
        for h in swap:
            c = y[h]
            t = next(i for i in train if y[i] == c and i not in heads)
            part = val if h in val else test
            part[part.index(h)] = t
            train[train.index(t)] = h
        return np.array(train, int), np.array(val, int), np.array(test, int)
    r = check_split_indices(first_to_train)
    assert r.status == "failed" and "not random within a class" in r.message, r.message


def test_split_stub_generic_in_place():
    assert check_split_indices(stub).status == "not attempted"

    def in_place(y, fractions, seed):
        out = split_rounded(y, fractions, seed)
        y.sort()
        return out
    r = check_split_indices(in_place)
    assert r.status == "failed" and "in place" in r.mistakes

    def too_many_in_val(y, fractions, seed):         # val gets round(…) + 1 of the first class
        train, val, test = split_rounded(y, fractions, seed)
        c = np.unique(y)[0]
        move = [i for i in train if y[i] == c][:2]
        if len(train) > 4 and len(move) == 2:
            return np.setdiff1d(train, move), np.concatenate([val, move]), test
        return train, val, test
    r = check_split_indices(too_many_in_val)
    assert r.status == "failed" and r.mistakes == [] and "not stratified" in r.message


def test_split_sweep_catches_what_the_cases_miss():
    def big_only(y, fractions, seed):                # right up to 100 examples, lossy beyond
        out = split_rounded(y, fractions, seed)
        return out if len(y) <= 100 else (out[0][1:], out[1], out[2])
    r = check_split_indices(big_only)
    assert r.status == "failed" and "random inputs failed" in r.message


def test_split_properties_agree_with_brute_force():
    """_split_problem accepts exactly the splits a brute-force test of the definition accepts,
    on small random labelings and random (valid or broken) assignments."""
    rng = np.random.default_rng(0)
    for _ in range(300):
        y = rng.integers(0, 3, int(rng.integers(1, 9)))
        fr = (0.5, 0.25, 0.25)
        assign = rng.integers(-1, 3, len(y))            # −1: lost
        parts = [np.flatnonzero(assign == k) for k in range(3)]
        if rng.random() < 0.2 and len(y) > 1:            # a duplicate across parts
            parts[1] = np.append(parts[1], parts[0][:1])
        ok = all(a in range(3) for a in assign) and len(set(parts[1]) & set(parts[0])) == 0
        for c in set(y.tolist()):
            n_c = sum(1 for v in y if v == c)
            for k in range(3):
                cnt = sum(1 for i in parts[k] if y[i] == c)
                ok = ok and abs(cnt - fr[k] * n_c) <= 1
        assert (rg._split_problem(tuple(parts), y, fr) is None) == ok


# --------------------------------------------------------------------------------------------
# early_stopping
# --------------------------------------------------------------------------------------------

def es_counter(val_losses, patience):
    best, best_epoch, wait = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best:
            best, best_epoch, wait = loss, epoch, 0
        else:
            wait += 1
            if wait == patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses)


def es_distance(val_losses, patience):               # e − best = patience, no counter
    L = list(val_losses)
    best_epoch = 1
    for e in range(2, len(L) + 1):
        if L[e - 1] < L[best_epoch - 1]:
            best_epoch = e
        if e - best_epoch == patience:
            return best_epoch, e
    if len(L) - best_epoch >= patience:
        return best_epoch, best_epoch + patience
    return best_epoch, len(L)


def _es(**kw):
    def f(val_losses, patience):
        best, best_e, wait, prev = np.inf, 0, 0, np.inf
        for e, v in enumerate(val_losses, start=1):
            improved = v <= best if kw.get("ties") else v < best
            if improved or (kw.get("last_tie") and v == best):
                best_e = e
            best = min(best, v)
            if (v < prev) if kw.get("vs_previous") else improved:
                wait = 0 if kw.get("reset", True) else wait
            else:
                wait += 1
            prev = v
            if wait >= patience + kw.get("late", 0):
                return best_e + kw.get("shift_best", 0), e + kw.get("shift_stop", 0)
        return best_e + kw.get("shift_best", 0), len(val_losses) + kw.get("shift_stop", 0)
    return f


def es_early(val_losses, patience):
    best, best_epoch, wait = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best:
            best, best_epoch, wait = loss, epoch, 0
        else:
            wait += 1
        if wait >= patience - 1 and epoch > best_epoch:
            return best_epoch, epoch
    return best_epoch, len(val_losses)


def es_global_min(val_losses, patience):
    _, stop = es_counter(val_losses, patience)
    return int(np.argmin(val_losses)) + 1, stop


def es_last_kept(val_losses, patience):
    _, stop = es_counter(val_losses, patience)
    return stop, stop


ES_WRONG = {
    "epochs counted from 0": _es(shift_best=-1, shift_stop=-1),
    "best epoch counted from 0": _es(shift_best=-1),
    "stop epoch counted from 0": _es(shift_stop=-1),
    "stops one epoch late": _es(late=1),
    "stops one epoch early": es_early,
    "ties count as improvements": _es(ties=True),
    "minimum over all epochs": es_global_min,
    "last epoch kept": es_last_kept,
    "count not reset": _es(reset=False),
    "compared with the previous epoch": _es(vs_previous=True),
    "last of tied minima": _es(last_tie=True),
}


@pytest.mark.parametrize("solution", [es_counter, es_distance])
def test_es_correct(solution, capsys):
    r = check_early_stopping(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(ES_WRONG))
def test_es_mistakes(name):
    r = check_early_stopping(ES_WRONG[name])
    assert _named(r, name), (r.mistakes, r.message)


def test_es_stub_generic_in_place():
    assert check_early_stopping(stub).status == "not attempted"
    r = check_early_stopping(lambda L, p: (1, len(L)))
    assert r.status == "failed" and r.mistakes == [] and "expected" in r.message

    def in_place(val_losses, patience):
        out = es_counter(val_losses, patience)
        if isinstance(val_losses, np.ndarray):
            val_losses.sort()
        else:
            val_losses.append(0.0)
        return out
    r = check_early_stopping(in_place)
    assert r.status == "failed" and "in place" in r.mistakes


def test_es_sweep_catches_what_the_cases_miss():
    def short_only(val_losses, patience):             # right up to 12 epochs, late beyond
        return es_counter(val_losses, patience) if len(val_losses) <= 12 else \
            _es(late=1)(val_losses, patience)
    r = check_early_stopping(short_only)
    assert r.status in ("failed",) and ("random inputs failed" in r.message
                                        or r.mistakes == ["stops one epoch late"])


def test_es_oracle_matches_a_simulated_training_loop():
    """The enumeration oracle equals a loop that 'trains' epoch by epoch, keeps a copy of the
    best state and stops when the patience runs out."""
    rng = np.random.default_rng(3)
    for _ in range(500):
        n = int(rng.integers(1, 30))
        L = np.round(rng.normal(1, 0.3, n) - 0.02 * np.arange(n), 1)
        patience = int(rng.integers(1, 6))
        state, kept, since, trained = None, None, 0, 0
        for e in range(1, n + 1):
            trained = e
            if kept is None or L[e - 1] < L[kept - 1]:
                kept, since = e, 0
            else:
                since += 1
            if since >= patience:
                break
        assert rg._early_stopping_oracle(L, patience) == (kept, trained)


# --------------------------------------------------------------------------------------------
# the notebook's solutions
# --------------------------------------------------------------------------------------------

def _solutions():
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    code = {}
    for cell in cells:
        if cell["cell_type"] != "markdown":
            continue
        for block in re.findall(r"```python\n(.*?)```", "".join(cell["source"]), re.S):
            m = re.match(r"def (\w+)\(", block)
            if m:
                code[m.group(1)] = block
    return code


@pytest.mark.skipif(not NOTEBOOK.exists(), reason="notebook 22 not built yet")
@pytest.mark.parametrize("name, checker", [("dropout_forward", check_dropout_forward),
                                           ("split_indices", check_split_indices),
                                           ("early_stopping", check_early_stopping)])
def test_notebook_solution_passes(name, checker):
    code = _solutions()
    assert name in code, f"no solution for {name} in the notebook"
    namespace = {"np": np}
    exec(code[name], namespace)
    r = checker(namespace[name])
    assert r, r.message


# --------------------------------------------------------------------------------------------
# found by the adversary (tests/adversarial/wrong_regularization.py): kept here by name
# --------------------------------------------------------------------------------------------

def test_dropout_p0_must_still_draw():
    def shortcut(x, p, training, rng):
        if training and p == 0:
            return x.copy()                          # right values, rng not advanced
        return dropout_vector(x, p, training, rng)
    assert _named(check_dropout_forward(shortcut), "no draw for p = 0")

    def draws_twice(x, p, training, rng):
        out = dropout_vector(x, p, training, rng)
        if training and p < 1:
            rng.random()                             # an extra draw
        return out
    r = check_dropout_forward(draws_twice)
    assert r.status == "failed" and "exactly one call" in r.message


def test_split_strict_types_and_small_classes():
    def float_empty(y, fractions, seed):             # np.array([]) of an empty part is float
        return tuple(np.array(p.tolist()) for p in split_rounded(y, fractions, seed))
    r = check_split_indices(float_empty)
    assert r.status == "failed" and "empty INTEGER array" in r.message

    def as_lists(y, fractions, seed):
        return [p for p in split_rounded(y, fractions, seed)]
    assert check_split_indices(as_lists).status == "failed"

    def test_gets_rest(y, fractions, seed):          # train, val rounded: test not empty at f = 0
        rng = np.random.default_rng(seed)
        parts = ([], [], [])
        for c in np.unique(y):
            idx = rng.permutation(np.flatnonzero(y == c))
            a = min(round(fractions[0] * len(idx)), len(idx))
            b = min(round(fractions[1] * len(idx)), len(idx) - a)
            for k, piece in enumerate((idx[:a], idx[a:a + b], idx[a + b:])):
                parts[k].append(piece)
        return tuple(np.concatenate(p).astype(np.int64) for p in parts)
    assert check_split_indices(test_gets_rest).status == "failed"

    def sattolo(y, fractions, seed):                 # cyclic permutations only: biased
        rng = np.random.default_rng(seed)
        parts = ([], [], [])
        for c in np.unique(y):
            idx = np.flatnonzero(y == c)
            for i in range(len(idx) - 1, 0, -1):
                j = int(rng.integers(0, i))
                idx[i], idx[j] = idx[j], idx[i]
            n_val, n_test = round(fractions[1] * len(idx)), round(fractions[2] * len(idx))
            for k, piece in enumerate((idx[n_val + n_test:], idx[:n_val],
                                       idx[n_val:n_val + n_test])):
                parts[k].append(piece)
        return tuple(np.concatenate(p).astype(np.int64) for p in parts)
    r = check_split_indices(sattolo)
    assert r.status == "failed" and "not random within a class" in r.message, r.message

    def python_random(y, fractions, seed):
        import random
        random.seed(seed)
        parts = ([], [], [])
        for c in np.unique(y):
            idx = np.flatnonzero(y == c).tolist()
            random.shuffle(idx)
            n_val, n_test = round(fractions[1] * len(idx)), round(fractions[2] * len(idx))
            for k, piece in enumerate((idx[n_val + n_test:], idx[:n_val],
                                       idx[n_val:n_val + n_test])):
                parts[k].extend(piece)
        return tuple(np.array(p, dtype=np.int64) for p in parts)
    r = check_split_indices(python_random)
    assert r.status == "failed" and "Python's global random state" in r.message, r.message


def test_es_exact_comparison_types_and_list_mutation():
    def min_delta(val_losses, patience):
        best, best_epoch = float("inf"), 0
        for e, v in enumerate(val_losses, start=1):
            if v < best - 1e-4:
                best, best_epoch = v, e
            elif e - best_epoch >= patience:
                return best_epoch, e
        return best_epoch, len(val_losses)
    assert _named(check_early_stopping(min_delta), "approximate comparison")

    def isclose_tie(val_losses, patience):
        best, best_epoch = float("inf"), 0
        for e, v in enumerate(val_losses, start=1):
            if v < best and not np.isclose(v, best):
                best, best_epoch = v, e
            elif e - best_epoch >= patience:
                return best_epoch, e
        return best_epoch, len(val_losses)
    assert _named(check_early_stopping(isclose_tie), "approximate comparison")

    floats = lambda L, p: tuple(float(v) for v in es_counter(L, p))
    assert _named(check_early_stopping(floats), "floats returned")
    assert check_early_stopping(lambda L, p: list(es_counter(L, p))).status == "failed"

    def sentinel(val_losses, patience):
        if isinstance(val_losses, list):
            val_losses.append(float("inf"))
        return es_counter(val_losses[:len(val_losses) - isinstance(val_losses, list)], patience)
    r = check_early_stopping(sentinel)
    assert r.status == "failed" and "changed the list val_losses" in r.message, r.message


def test_rotation_is_not_a_shuffle_and_eval_draws_nothing():
    def rotation(y, fractions, seed):                # uniform marginals, but only n_c splits
        rng = np.random.default_rng(seed)
        parts = ([], [], [])
        for c in np.unique(y):
            idx = np.flatnonzero(y == c)
            idx = np.roll(idx, int(rng.integers(len(idx))))
            n_val, n_test = round(fractions[1] * len(idx)), round(fractions[2] * len(idx))
            for k, piece in enumerate((idx[n_val + n_test:], idx[:n_val],
                                       idx[n_val:n_val + n_test])):
                parts[k].append(piece)
        return tuple(np.concatenate(p).astype(np.int64) for p in parts)
    r = check_split_indices(rotation)
    assert r.status == "failed" and "not a uniform shuffle" in r.message, r.message

    def eval_draws(x, p, training, rng):
        keep = rng.random(x.shape) >= p              # drawn before the mode is checked
        if not training:
            return x
        return np.zeros_like(x) if p == 1 else x * keep / (1 - p)
    r = check_dropout_forward(eval_draws)
    assert r.status == "failed" and "evaluation mode" in r.message, r.message
