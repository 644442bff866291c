"""Checkers for notebook 28: graphs and message passing.

* ``check_normalized_adjacency`` grades Â = D̃^{-1/2}(A + I)D̃^{-1/2} entry by entry against its
  definition, Â_ij = (A_ij + [i = j]) / √(d̃_i d̃_j) with d̃_i = 1 + Σ_j A_ij, in exact rational
  arithmetic for integer A (the square roots taken once, at the end, in float);
* ``check_mean_aggregate`` grades one mean-aggregation step from an edge list by enumerating, for
  every node, the set {i} ∪ {its neighbours} — straight from the edge list, never from a matrix.
"""
import math
from fractions import Fraction

import numpy as np

from .core import Case, Mistake, Sweep, _call, compare_array, float_array, fmt, run_checks
from .core import as_array as _arr, matches as _matches

__all__ = ["check_normalized_adjacency", "check_mean_aggregate"]


# ---------------------------------------------------------------------------------------------
# Exercise · the normalised adjacency matrix
# ---------------------------------------------------------------------------------------------

def _norm_adj_oracle(A):
    """Â_ij = (A_ij + [i = j]) / √(d̃_i d̃_j), d̃_i = 1 + Σ_j A_ij — sums exact (Fractions)."""
    A = np.asarray(A)
    n = A.shape[0]
    vals = [[Fraction(float(A[i, j])) + (1 if i == j else 0) for j in range(n)]
            for i in range(n)]
    deg = [sum(row) for row in vals]
    root = [math.sqrt(float(d)) for d in deg]             # √d̃ one at a time: d̃_u d̃_v may overflow
    return np.array([[float(vals[i][j]) / root[i] / root[j] for j in range(n)]
                     for i in range(n)]).reshape(n, n)


def _random_graph(rng, n, p, weighted=False):
    upper = np.triu(rng.random((n, n)) < p, 1)
    A = (upper | upper.T).astype(np.int64)
    if weighted:
        W = np.triu(rng.integers(1, 6, (n, n)), 1)
        A = A * (W + W.T)
    return A


def _norm_adj_input(rng, i):
    """Corners first — one node, two nodes with one edge, isolated nodes (degree 0), a star, a
    complete graph, a weighted graph, a float matrix — then random graphs of 1–12 nodes."""
    star = np.zeros((5, 5), dtype=np.int64)
    star[0, 1:] = star[1:, 0] = 1
    corners = [
        (np.zeros((1, 1), dtype=np.int64),), (np.array([[0, 1], [1, 0]]),),
        (np.array([[0, 1, 0], [1, 0, 0], [0, 0, 0]]),), (star,),
        (np.ones((4, 4), dtype=np.int64) - np.eye(4, dtype=np.int64),),
        (np.array([[0, 3, 1], [3, 0, 0], [1, 0, 0]]),),
        (np.array([[0.0, 0.5, 0.0], [0.5, 0.0, 2.0], [0.0, 2.0, 0.0]]),),
    ]
    if i < len(corners):
        return corners[i]
    n = int(rng.integers(1, 13))
    return (_random_graph(rng, n, float(rng.uniform(0.1, 0.8)), weighted=i % 4 == 0),)


def check_normalized_adjacency(fn):
    """normalized_adjacency(A) → Â = D̃^{-1/2}(A + I)D̃^{-1/2} for a symmetric (n, n) adjacency
    matrix A with zero diagonal (0/1 or non-negative weights, integers or floats), D̃ the degree
    matrix of A + I; a float array (n, n).

    Catches: no self-loops (D^{-1/2} A D^{-1/2}: divides by 0 at isolated nodes, and a node
    forgets its own features), the degrees counted without the self-loop, row normalisation
    D̃^{-1}(A + I) (a mean, not symmetric), D̃^{-1/2} applied on one side only, D̃^{+1/2} instead
    of D̃^{-1/2}, the degree as the number of neighbours in a weighted graph (not the weight
    sum), A changed in place, an integer result. Sweep: the definition with exact sums."""
    star = np.zeros((4, 4), dtype=np.int64)
    star[0, 1:] = star[1:, 0] = 1

    def out(f, A=star):
        return _call(f, (A,))

    def gives(make, A=star):
        def detect(f):
            with np.errstate(all="ignore"):
                expected = make(np.asarray(A, dtype=float))
            return _matches(out(f, A), expected)
        return detect

    def inv_sqrt(v):
        with np.errstate(divide="ignore"):
            return 1 / np.sqrt(v)

    I = np.eye
    weighted = np.array([[0, 3, 1], [3, 0, 0], [1, 0, 0]])
    mistakes = [
        Mistake("no self-loops", gives(lambda A: A * np.outer(inv_sqrt(A.sum(1)),
                                                             inv_sqrt(A.sum(1)))),
                "add the self-loops first: Ã = A + I, so that each node keeps its own features "
                "(and an isolated node has degree 1, not 0 — no division by zero)."),
        Mistake("degrees without the self-loop",
                gives(lambda A: (A + I(len(A))) * np.outer(inv_sqrt(A.sum(1)), inv_sqrt(A.sum(1)))),
                "the degrees are those of Ã = A + I: d̃_i = 1 + Σ_j A_ij. Counting them from A "
                "leaves the self-loop out (and divides by 0 at isolated nodes)."),
        Mistake("row normalisation", gives(lambda A: (A + I(len(A))) / (A.sum(1) + 1)[:, None]),
                "D̃⁻¹Ã divides each row by its degree — a plain mean of the neighbours, and not "
                "symmetric. The GCN's Â is D̃^{-1/2} Ã D̃^{-1/2}: the square root on both sides."),
        Mistake("one side only", lambda f: gives(lambda A: (A + I(len(A))) * inv_sqrt(
            A.sum(1) + 1)[:, None])(f) or gives(lambda A: (A + I(len(A))) * inv_sqrt(
                A.sum(1) + 1)[None, :])(f),
                "D̃^{-1/2} multiplies on both sides: Â_ij = Ã_ij / √(d̃_i d̃_j)."),
        Mistake("+½ power", gives(lambda A: (A + I(len(A))) * np.sqrt(np.outer(A.sum(1) + 1,
                                                                              A.sum(1) + 1))),
                "the power is −½: divide by √(d̃_i d̃_j), don't multiply."),
        Mistake("neighbour count as degree", gives(
            lambda A: (A + I(len(A))) / np.sqrt(np.outer((A > 0).sum(1) + 1, (A > 0).sum(1) + 1)),
            A=weighted),
                "in a weighted graph the degree is the sum of the edge weights, d̃_i = 1 + "
                "Σ_j A_ij (A.sum(axis=1) + 1), not the number of neighbours."),
    ]
    cases = [
        # star 0–{1,2,3}: d̃ = (4, 2, 2, 2); Â_00 = 1/4, Â_0j = 1/√8, Â_jj = 1/2, Â_jk = 0
        Case("a star: node 0 joined to nodes 1, 2, 3", (star,),
             lambda o: compare_array(o, [[0.25] + [1 / math.sqrt(8)] * 3,
                                          [1 / math.sqrt(8), 0.5, 0, 0],
                                          [1 / math.sqrt(8), 0, 0.5, 0],
                                          [1 / math.sqrt(8), 0, 0, 0.5]])),
        # an isolated node: d̃ = 1, Â_22 = 1
        Case("two joined nodes and an isolated one", (np.array([[0, 1, 0], [1, 0, 0],
                                                               [0, 0, 0]]),),
             lambda o: compare_array(o, [[0.5, 0.5, 0], [0.5, 0.5, 0], [0, 0, 1.0]])),
        # d̃ = (5, 4, 2): Â_01 = 3/√20, Â_02 = 1/√10
        Case("a weighted graph (weights 3 and 1)", (weighted,),
             lambda o: compare_array(o, [[0.2, 3 / math.sqrt(20), 1 / math.sqrt(10)],
                                          [3 / math.sqrt(20), 0.25, 0],
                                          [1 / math.sqrt(10), 0, 0.5]])),
    ]
    cases += [
        # d̃ = 1 + 1e200: Â_01 = 1e200 / (1 + 1e200) = 1 — but d̃_0·d̃_1 = 1e400 overflows
        Case("huge weights (1e200): d̃_u·d̃_v overflows", (np.array([[0.0, 1e200], [1e200, 0.0]]),),
             lambda o: compare_array(o, _norm_adj_oracle(np.array([[0.0, 1e200], [1e200, 0.0]])),
                                      atol=0)),
        # weight 1e-12: Â_01 = 1e-12 / (1 + 1e-12) — tiny, but an edge
        Case("a tiny weight (1e-12) is still an edge", (np.array([[0.0, 1e-12], [1e-12, 0.0]]),),
             lambda o: compare_array(o, [[1 / (1 + 1e-12), 1e-12 / (1 + 1e-12)],
                                          [1e-12 / (1 + 1e-12), 1 / (1 + 1e-12)]], atol=0)),
    ]
    sweep = Sweep(_norm_adj_input, _norm_adj_oracle, lambda o, e, a: compare_array(o, e, atol=0),
                  n=150, seed=28, property="Â")
    return run_checks("normalized_adjacency", fn, cases, mistakes, sweep=sweep)


# ---------------------------------------------------------------------------------------------
# Exercise · one step of mean aggregation from an edge list
# ---------------------------------------------------------------------------------------------

def _aggregate_oracle(edges, H, num_nodes):
    """For each node i: the mean of H over {i} ∪ {j : (i, j) or (j, i) is an edge}, each
    neighbour once (a set), summed with math.fsum."""
    H = np.asarray(H, dtype=float)
    nbrs = [{i} for i in range(num_nodes)]
    for u, v in np.asarray(edges, dtype=np.int64).reshape(-1, 2):
        nbrs[int(u)].add(int(v))
        nbrs[int(v)].add(int(u))
    out = np.empty((num_nodes, H.shape[1]))
    for i, s in enumerate(nbrs):
        for c in range(H.shape[1]):
            out[i, c] = math.fsum(H[j, c] for j in s) / len(s)
    return out


def _aggregate_input(rng, i):
    """Corners first — no edges at all, one edge, a node without edges among others, a path, a
    star, integer features, one feature column — then random graphs (each edge listed once, in
    either orientation) with 1–4 feature columns."""
    corners = [
        (np.zeros((0, 2), dtype=np.int64), np.array([[1.0], [2.0], [3.0]]), 3),
        (np.array([[0, 1]]), np.array([[1.0, 0.0], [0.0, 1.0]]), 2),
        (np.array([[2, 0]]), np.arange(6.0).reshape(3, 2), 3),
        (np.array([[0, 1], [1, 2], [2, 3]]), np.array([[1], [2], [4], [8]]), 4),
        (np.array([[0, 1], [2, 0], [0, 3], [4, 0]]), np.arange(10.0).reshape(5, 2) ** 2, 5),
    ]
    if i < len(corners):
        return corners[i]
    n = int(rng.integers(1, 10))
    A = _random_graph(rng, n, float(rng.uniform(0.1, 0.7)))
    edges = np.argwhere(np.triu(A, 1))
    flip = rng.random(len(edges)) < 0.5
    edges[flip] = edges[flip][:, ::-1]
    return (edges.astype(np.int64).reshape(-1, 2), rng.standard_normal((n, int(rng.integers(1, 5)))), n)


def check_mean_aggregate(fn):
    """mean_aggregate(edges, H, num_nodes) → (num_nodes, F): for every node i the mean of the
    feature rows H[j] over j ∈ {i} ∪ neighbours(i), from an undirected edge list ``edges``
    (E, 2) of int pairs, each edge listed once in either orientation.

    Catches: edges used in one direction only, the node itself left out, the sum instead of the
    mean, the mean over the neighbours but divided by the degree without the node itself (or
    with it, but summing without it), an isolated node given zeros or nan, rows and nodes
    swapped (averaging feature columns), H changed in place. Sweep: the enumeration of each
    node's neighbourhood as a set."""
    edges0 = np.array([[0, 1], [2, 1], [1, 3]])                 # node 1 is the hub; 4 alone
    H0 = np.array([[1.0, 0.0], [2.0, 10.0], [4.0, 0.0], [8.0, 30.0], [16.0, 5.0]])

    def out(f):
        return _call(f, (edges0, H0, 5))

    def gives(expected):
        return lambda f: _matches(out(f), expected)

    adj = np.zeros((5, 5))
    for u, v in edges0:
        adj[u, v] = adj[v, u] = 1
    one_way = np.zeros((5, 5))
    for u, v in edges0:
        one_way[u, v] = 1
    I5 = np.eye(5)
    deg = adj.sum(1)

    def safe_div(a, b):
        with np.errstate(all="ignore"):
            return a / b

    mistakes = [
        Mistake("one direction only", lambda f: gives(safe_div((one_way + I5) @ H0, (
            one_way + I5).sum(1)[:, None]))(f) or gives(safe_div((one_way.T + I5) @ H0, (
                one_way.T + I5).sum(1)[:, None]))(f),
                "the edges are undirected: (u, v) makes v a neighbour of u *and* u a neighbour "
                "of v — use each pair in both directions."),
        Mistake("node itself left out", gives(np.nan_to_num(safe_div(adj @ H0, deg[:, None]))),
                "the mean is over the node itself and its neighbours, {i} ∪ N(i) — the "
                "self-loop of the GCN (and an isolated node then keeps its own features)."),
        Mistake("sum, not mean", gives((adj + I5) @ H0),
                "divide each node's sum by the size of its neighbourhood, 1 + deg(i)."),
        Mistake("divided by the degree alone", gives(np.nan_to_num(safe_div((adj + I5) @ H0,
                                                                            deg[:, None]))),
                "the neighbourhood {i} ∪ N(i) has 1 + deg(i) members: divide by that."),
        Mistake("features averaged instead of nodes",
                lambda f: gives(np.repeat(((adj + I5) @ H0).mean(1, keepdims=True), 2, 1))(f),
                "average over the neighbouring *nodes* (rows of H), keeping every feature column "
                "separate."),
    ]
    cases = [
        # node 0: {0, 1} → (1.5, 5); node 1: {1, 0, 2, 3} → (15/4, 40/4); node 2: {2, 1} → (3, 5);
        # node 3: {3, 1} → (5, 20); node 4 alone → (16, 5)
        Case("a hub (node 1) with three neighbours, and an isolated node 4", (edges0, H0, 5),
             lambda o: compare_array(o, [[1.5, 5.0], [3.75, 10.0], [3.0, 5.0], [5.0, 20.0],
                                          [16.0, 5.0]])),
        Case("no edges: every node keeps its features", (np.zeros((0, 2), dtype=np.int64),
                                                         np.array([[1.0, 2.0], [3.0, 4.0]]), 2),
             lambda o: compare_array(o, [[1.0, 2.0], [3.0, 4.0]])),
        Case("integer features, no edges: still a float array", (np.zeros((0, 2), dtype=np.int64),
                                                                np.array([[1, 2], [3, 4]]), 2),
             lambda o: float_array(o, [[1.0, 2.0], [3.0, 4.0]])),
        # node 0: (1 + 2)/2; node 1: (1 + 2 + 4)/3; node 2: (2 + 4)/2
        Case("integer features on a path 0–1–2", (np.array([[0, 1], [1, 2]]),
                                                  np.array([[1], [2], [4]]), 3),
             lambda o: float_array(o, [[1.5], [7 / 3], [3.0]])),
    ]
    sweep = Sweep(_aggregate_input, _aggregate_oracle, lambda o, e, a: compare_array(o, e),
                  n=150, seed=28, property="the mean over {i} ∪ N(i)")
    return run_checks("mean_aggregate", fn, cases, mistakes, sweep=sweep)
