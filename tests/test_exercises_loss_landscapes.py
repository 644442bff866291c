"""The notebook-26 checkers (dlmath/exercises/loss_landscapes.py): correct solutions pass (two
different ones each, and the notebook's own), each catalogued mistake — written as real wrong
code — is caught under its own name, a stub is "not attempted", uncatalogued wrong solutions get
expected-vs-got, input mutation is caught, the sweep catches what the hand-picked cases miss, and
each oracle agrees with an independent computation (dlmath.loss_landscape's own normalisation,
and least squares)."""
from pathlib import Path

import numpy as np
import pytest

import dlmath
import dlmath.nn as nn
from dlmath import loss_landscape as ll
from dlmath.exercises import check_filter_normalize, check_plane_coordinates
from dlmath.exercises import loss_landscapes as lsc
from exercise_helpers import named as _named, notebook_solutions, stub

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "26_loss_landscapes_real_network.ipynb"
notebook_solution = notebook_solutions(NOTEBOOK)


# --------------------------------------------------------------------------------------------
# filter_normalize
# --------------------------------------------------------------------------------------------

def fn_loops(direction, weights):
    out = []
    for d, w in zip(direction, weights):
        d, w = np.asarray(d, float), np.asarray(w, float)
        o = np.zeros(w.shape)
        if w.ndim >= 2:
            for i in range(w.shape[0]):
                dn = np.linalg.norm(d[i])
                if dn > 0:
                    o[i] = d[i] * np.linalg.norm(w[i]) / dn
        out.append(o)
    return out


def fn_reshape(direction, weights):
    out = []
    for d, w in zip(direction, weights):
        d, w = np.asarray(d, float), np.asarray(w, float)
        if w.ndim < 2:
            out.append(np.zeros(w.shape))
            continue
        D, W = d.reshape(len(d), -1), w.reshape(len(w), -1)
        dn = np.linalg.norm(D, axis=1)
        scale = np.divide(np.linalg.norm(W, axis=1), dn, out=np.zeros_like(dn), where=dn > 0)
        out.append((D * scale[:, None]).reshape(w.shape))
    return out


@pytest.mark.parametrize("fn", [fn_loops, fn_reshape, notebook_solution("filter_normalize")])
def test_filter_correct_solutions_pass(fn):
    assert check_filter_normalize(fn)


def _per_param(f):
    return lambda direction, weights: [f(np.asarray(d, float), np.asarray(w, float))
                                       for d, w in zip(direction, weights)]


def _rows(f):                       # f(d, w) for ≥ 2-D params, zeros for 1-D ones
    return _per_param(lambda d, w: np.zeros(w.shape) if w.ndim < 2 else f(d, w))


def _filter_norms(a):
    return np.sqrt((a ** 2).reshape(len(a), -1).sum(1)).reshape((-1,) + (1,) * (a.ndim - 1))


@pytest.mark.parametrize("fn, name", [
    (_rows(lambda d, w: d * np.linalg.norm(w) / np.linalg.norm(d)), "whole tensor"),
    (_rows(lambda d, w: d * np.linalg.norm(w, axis=0) / np.linalg.norm(d, axis=0)),
     "filters along the last axis"),
    (_per_param(lambda d, w: d if w.ndim < 2 else fn_loops([d], [w])[0]), "1-D not zeroed"),
    (_rows(lambda d, w: d * _filter_norms(d) / _filter_norms(w)), "ratio upside down"),
    (_rows(lambda d, w: d * _filter_norms(w) ** 2 / _filter_norms(d) ** 2), "squared norms"),
])
def test_filter_mistakes_are_named(fn, name):
    assert _named(check_filter_normalize(fn), name)


def test_filter_stub_mutation_uncatalogued_and_sweep():
    assert check_filter_normalize(stub).status == "not attempted"

    def in_place(direction, weights):
        out = fn_loops(direction, weights)
        for d, o in zip(direction, out):
            d[...] = o
        return direction
    r = check_filter_normalize(in_place)
    assert r.status == "failed" and "in place" in r.message
    r = check_filter_normalize(lambda d, w: [o * 1.01 for o in fn_loops(d, w)])
    assert r.status == "failed" and "expected" in r.message and not r.mistakes

    def wrong_for_4d(direction, weights):                 # conv weights: whole-tensor factor
        return [o if np.ndim(w) < 4 else np.asarray(d) * np.linalg.norm(w) / np.linalg.norm(d)
                for o, d, w in zip(fn_loops(direction, weights), direction, weights)]
    r = check_filter_normalize(wrong_for_4d)
    assert r.status == "failed"


def test_filter_oracle_agrees_with_dlmath_random_direction():
    dlmath.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.Flatten(), nn.Linear(144, 3))
    weights = [p.data.astype(np.float64) for p in model.parameters()]
    for seed in range(3):
        rng = np.random.default_rng(seed)          # random_direction draws the same numbers
        raw = [rng.standard_normal(w.shape) for w in weights]
        ours = lsc._filter_oracle(raw, weights)
        theirs = ll.random_direction(model, seed=seed)
        for a, b in zip(ours, theirs):
            assert np.allclose(a, b, rtol=1e-5, atol=1e-6)


# --------------------------------------------------------------------------------------------
# plane_coordinates
# --------------------------------------------------------------------------------------------

def pc_solve(delta, d1, d2):
    G = np.array([[d1 @ d1, d1 @ d2], [d1 @ d2, d2 @ d2]], float)
    return tuple(float(v) for v in np.linalg.solve(G, [d1 @ delta, d2 @ delta]))


def pc_lstsq(delta, d1, d2):
    return tuple(float(v) for v in np.linalg.lstsq(np.c_[d1, d2], delta, rcond=None)[0])


@pytest.mark.parametrize("fn", [pc_solve, pc_lstsq, notebook_solution("plane_coordinates")])
def test_plane_correct_solutions_pass(fn):
    assert check_plane_coordinates(fn)


@pytest.mark.parametrize("fn, name", [
    (lambda t, a, b: (t @ a / (a @ a), t @ b / (b @ b)), "separate projections"),
    (lambda t, a, b: (t @ a, t @ b), "plain dot products"),
    (lambda t, a, b: (t @ a / np.linalg.norm(a), t @ b / np.linalg.norm(b)),
     "divided by the norm"),
    (lambda t, a, b: pc_solve(t, a, b)[::-1], "coordinates swapped"),
])
def test_plane_mistakes_are_named(fn, name):
    assert _named(check_plane_coordinates(fn), name)


def test_plane_stub_uncatalogued_and_sweep():
    assert check_plane_coordinates(stub).status == "not attempted"
    r = check_plane_coordinates(lambda t, a, b: tuple(v + 1e-3 for v in pc_solve(t, a, b)))
    assert r.status == "failed" and "expected" in r.message and not r.mistakes

    def wrong_when_long(t, a, b):                       # Gram matrix in float32
        if len(a) < 10:
            return pc_solve(t, a, b)
        a32, b32, t32 = (np.asarray(v, np.float32) for v in (a, b, t))
        return pc_solve(t32, a32, b32)
    r = check_plane_coordinates(wrong_when_long)
    assert r.status == "failed" and "random inputs" in r.message


def test_plane_oracle_agrees_with_least_squares():
    rng = np.random.default_rng(2)
    for i in range(40):
        args = lsc._plane_input(rng, i)
        assert np.allclose(lsc._plane_oracle(*args), pc_lstsq(*(np.asarray(a, float)
                                                                for a in args)), rtol=1e-9)
