"""The notebook-28 checkers (dlmath/exercises/graphs.py): correct solutions pass (two different
ones each, and the notebook's own), each catalogued mistake — written as real wrong code — is
caught under its own name, a stub is "not attempted", uncatalogued wrong solutions get
expected-vs-got, input mutation is caught, the sweep catches what the hand-picked cases miss, and
each oracle agrees with an independent computation."""
from pathlib import Path

import numpy as np
import pytest

from dlmath.data import load_karate_club
from dlmath.exercises import check_mean_aggregate, check_normalized_adjacency
from dlmath.exercises import graphs as gr
from exercise_helpers import named as _named, notebook_solutions, stub

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "28_graphs_message_passing.ipynb"
notebook_solution = notebook_solutions(NOTEBOOK)


# --------------------------------------------------------------------------------------------
# normalized_adjacency
# --------------------------------------------------------------------------------------------

def na_outer(A):                                    # √d̃ one at a time (no overflow)
    At = np.asarray(A, float) + np.eye(len(A))
    r = np.sqrt(At.sum(1))
    return At / np.outer(r, r)


def na_matrices(A):                                 # D̃^{-1/2} Ã D̃^{-1/2} as matrix products
    At = np.asarray(A, float) + np.eye(len(A))
    Dm = np.diag(1 / np.sqrt(At.sum(1)))
    return Dm @ At @ Dm


@pytest.mark.parametrize("fn", [na_outer, na_matrices, notebook_solution("normalized_adjacency")])
def test_normalized_correct_solutions_pass(fn):
    assert check_normalized_adjacency(fn)


def _with(f):
    def g(A):
        with np.errstate(all="ignore"):
            return f(np.asarray(A, float))
    return g


@pytest.mark.parametrize("fn, name", [
    (_with(lambda A: A / np.sqrt(np.outer(A.sum(1), A.sum(1)))), "no self-loops"),
    (_with(lambda A: (A + np.eye(len(A))) / np.sqrt(np.outer(A.sum(1), A.sum(1)))),
     "degrees without the self-loop"),
    (_with(lambda A: (A + np.eye(len(A))) / (A.sum(1) + 1)[:, None]), "row normalisation"),
    (_with(lambda A: (A + np.eye(len(A))) / np.sqrt(A.sum(1) + 1)[:, None]), "one side only"),
    (_with(lambda A: (A + np.eye(len(A))) * np.sqrt(np.outer(A.sum(1) + 1, A.sum(1) + 1))),
     "+½ power"),
    (_with(lambda A: (A + np.eye(len(A))) / np.sqrt(np.outer((A > 0).sum(1) + 1,
                                                             (A > 0).sum(1) + 1))),
     "neighbour count as degree"),
])
def test_normalized_mistakes_are_named(fn, name):
    assert _named(check_normalized_adjacency(fn), name)


def test_normalized_huge_and_tiny_weights():
    """√(d̃_u d̃_v) overflows for weights of 1e200; a cut-off for tiny weights drops real edges."""
    def product(A):
        At = np.asarray(A, float) + np.eye(len(A))
        d = At.sum(1)
        with np.errstate(over="ignore"):
            return At / np.sqrt(np.outer(d, d))
    r = check_normalized_adjacency(product)
    assert r.status == "failed" and "1e200" in r.message
    r = check_normalized_adjacency(lambda A: na_outer(np.where(np.asarray(A) < 1e-9, 0, A)))
    assert r.status == "failed" and "1e-12" in r.message


def test_normalized_stub_mutation_uncatalogued_and_sweep():
    assert check_normalized_adjacency(stub).status == "not attempted"

    def in_place(A):
        A += np.eye(len(A), dtype=A.dtype)            # the caller's matrix gets self-loops
        d = A.sum(1)
        return A / np.sqrt(np.outer(d, d))
    r = check_normalized_adjacency(in_place)
    assert r.status == "failed" and "in place" in r.message
    r = check_normalized_adjacency(lambda A: na_outer(A) * 1.001)
    assert r.status == "failed" and "expected" in r.message and not r.mistakes

    def wrong_for_big_graphs(A):                       # right up to 6 nodes only
        return na_outer(A) if len(A) <= 6 else na_outer(A).T * 0.5
    r = check_normalized_adjacency(wrong_for_big_graphs)
    assert r.status == "failed" and "random inputs" in r.message


def test_normalized_oracle_agrees_with_the_spectrum_rule():
    """Independent facts: Â is symmetric, Â √d̃ = √d̃ (eigenvalue 1), for the karate club too."""
    rng = np.random.default_rng(5)
    graphs = [load_karate_club().adjacency()] + [gr._norm_adj_input(rng, i)[0] for i in range(30)]
    for A in graphs:
        Ah = gr._norm_adj_oracle(A)
        s = np.sqrt(np.asarray(A, float).sum(1) + 1)
        assert np.allclose(Ah, Ah.T) and np.allclose(Ah @ s, s)
        assert np.allclose(Ah, na_matrices(A), rtol=1e-13, atol=1e-15)


# --------------------------------------------------------------------------------------------
# mean_aggregate
# --------------------------------------------------------------------------------------------

def agg_loop(edges, H, n):
    H = np.asarray(H, float)
    total, count = H.copy(), np.ones(n)
    for u, v in edges:
        total[u] += H[v]
        total[v] += H[u]
        count[u] += 1
        count[v] += 1
    return total / count[:, None]


def agg_add_at(edges, H, n):
    H = np.asarray(H, float)
    e = np.asarray(edges, dtype=int).reshape(-1, 2)
    total = H.copy()
    np.add.at(total, e[:, 0], H[e[:, 1]])
    np.add.at(total, e[:, 1], H[e[:, 0]])
    count = 1 + np.bincount(e.ravel(), minlength=n)
    return total / count[:, None]


@pytest.mark.parametrize("fn", [agg_loop, agg_add_at, notebook_solution("mean_aggregate")])
def test_aggregate_correct_solutions_pass(fn):
    assert check_mean_aggregate(fn)


def agg_one_way(edges, H, n):
    H = np.asarray(H, float)
    total, count = H.copy(), np.ones(n)
    for u, v in edges:
        total[u] += H[v]
        count[u] += 1
    return total / count[:, None]


def agg_no_self(edges, H, n):
    H = np.asarray(H, float)
    total, count = np.zeros_like(H), np.zeros(n)
    for u, v in edges:
        total[u] += H[v]
        total[v] += H[u]
        count[u] += 1
        count[v] += 1
    with np.errstate(all="ignore"):
        return np.nan_to_num(total / count[:, None])


def agg_sum(edges, H, n):
    return agg_loop(edges, H, n) * (1 + np.bincount(np.asarray(edges, int).ravel(),
                                                    minlength=n))[:, None]


def agg_by_degree(edges, H, n):
    deg = np.bincount(np.asarray(edges, int).ravel(), minlength=n)
    with np.errstate(all="ignore"):
        return np.nan_to_num(agg_sum(edges, H, n) / deg[:, None])


def agg_columns(edges, H, n):
    s = agg_sum(edges, H, n)
    return np.repeat(s.mean(1, keepdims=True), s.shape[1], 1)


@pytest.mark.parametrize("fn, name", [
    (agg_one_way, "one direction only"), (agg_no_self, "node itself left out"),
    (agg_sum, "sum, not mean"), (agg_by_degree, "divided by the degree alone"),
    (agg_columns, "features averaged instead of nodes"),
])
def test_aggregate_mistakes_are_named(fn, name):
    assert _named(check_mean_aggregate(fn), name)


def test_aggregate_stub_mutation_and_uncatalogued():
    assert check_mean_aggregate(stub).status == "not attempted"

    def in_place(edges, H, n):
        out = agg_loop(edges, H, n)
        H[...] = out
        return out
    r = check_mean_aggregate(in_place)
    assert r.status == "failed" and "in place" in r.message
    r = check_mean_aggregate(lambda e, H, n: agg_loop(e, H, n) + 0.01)
    assert r.status == "failed" and "expected" in r.message and not r.mistakes


def test_aggregate_sweep_catches_what_the_cases_miss():
    def wrong_for_many_features(edges, H, n):          # drops every column after the second
        out = agg_loop(edges, H, n)
        out[:, 2:] = 0
        return out
    r = check_mean_aggregate(wrong_for_many_features)
    assert r.status == "failed" and "random inputs" in r.message


def test_aggregate_oracle_is_the_row_normalised_matrix():
    """The enumeration equals D̃⁻¹(A + I)H built from the adjacency matrix."""
    rng = np.random.default_rng(8)
    for i in range(40):
        edges, H, n = gr._aggregate_input(rng, i)
        A = np.zeros((n, n))
        for u, v in np.asarray(edges).reshape(-1, 2):
            A[u, v] = A[v, u] = 1
        At = A + np.eye(n)
        assert np.allclose(gr._aggregate_oracle(edges, H, n),
                           At @ np.asarray(H, float) / At.sum(1)[:, None], rtol=1e-13, atol=1e-13)
