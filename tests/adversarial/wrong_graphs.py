"""Adversarial wrong solutions for notebook 28 (graphs): the GCN normalised adjacency
D~^{-1/2}(A + I)D~^{-1/2}, and mean aggregation over {u} ∪ N(u) from an undirected edge list.

Written from the exercise text alone (/tmp/exercises/28.md), without reading the checkers. Each
entry is a plausible learner's mistake or a near-miss correct on typical inputs only; the comment
beside it names an input allowed by the statement on which it differs from a correct solution
(checked against a scratch exact-arithmetic reference outside the repo).  Entries labelled
"HANGS:" never return on some inputs.
"""
import numpy as np


# ---------------------------------------------------------------------------------------------
# Exercise 1 — normalized_adjacency(A) -> A_hat
# ---------------------------------------------------------------------------------------------

def _na_no_self_loops(A):
    # witness: A=[[0,1],[1,0]] -> [[0,1],[1,0]] (true [[.5,.5],[.5,.5]]); isolated node -> nan
    A = np.asarray(A, dtype=float)
    d = A.sum(axis=1)
    s = 1 / np.sqrt(d)
    return s[:, None] * A * s[None, :]


def _na_degree_without_self_loop(A):
    # witness: A=[[0,1],[1,0]] -> (A+I)/1 = [[1,1],[1,1]] (true 0.5 everywhere); d = sum A only
    A = np.asarray(A, dtype=float)
    d = A.sum(axis=1)
    s = 1 / np.sqrt(d)
    return s[:, None] * (A + np.eye(len(A))) * s[None, :]


def _na_row_normalised(A):
    # witness: A=[[0,1,1],[1,0,0],[1,0,0]] -> row 0 = [1/3,1/3,1/3] (true [1/3, 1/sqrt6, 1/sqrt6])
    A = np.asarray(A, dtype=float)
    At = A + np.eye(len(A))
    return At / At.sum(axis=1, keepdims=True)


def _na_one_side_only(A):
    # witness: A=[[0,1,1],[1,0,0],[1,0,0]] -> D^{-1/2}(A+I): entry (0,1) = 1/sqrt3 (true 1/sqrt6)
    A = np.asarray(A, dtype=float)
    At = A + np.eye(len(A))
    return At / np.sqrt(At.sum(axis=1, keepdims=True))


def _na_edge_count_degree(A):
    # witness: A=[[0,2],[2,0]] (weights) -> d~ = 1 + 1 = 2: [[.5,1],[1,.5]] (true [[1/3,2/3],..])
    A = np.asarray(A, dtype=float)
    d = 1 + (A > 0).sum(axis=1)
    s = 1 / np.sqrt(d)
    return s[:, None] * (A + np.eye(len(A))) * s[None, :]


def _na_fill_diagonal_in_place(A):
    # witness: A=np.array([[0.,1.],[1.,0.]]) -> the caller's A gets ones on its diagonal
    np.fill_diagonal(A, 1)
    d = A.sum(axis=1)
    s = 1 / np.sqrt(d)
    return s[:, None] * A * s[None, :]


def _na_add_identity_in_place(A):
    # witness: A=np.array([[0.,1.],[1.,0.]]) -> the caller's A becomes A + I
    A += np.eye(len(A), dtype=A.dtype)
    d = A.sum(axis=1)
    s = 1 / np.sqrt(d)
    return s[:, None] * A * s[None, :]


def _na_int_output_buffer(A):
    # witness: A=np.array([[0,1],[1,0]]) (int) -> zeros_like keeps int: all 0 (true 0.5)
    A_hat = np.zeros_like(A)
    n = len(A)
    d = 1 + A.sum(axis=1)
    for u in range(n):
        for v in range(n):
            A_hat[u, v] = (A[u, v] + (u == v)) / np.sqrt(d[u] * d[v])
    return A_hat


def _na_elementwise_power_of_diag(A):
    # witness: any A with n >= 2 -> np.diag(d) ** -0.5 puts inf off the diagonal; inf*0 = nan
    A = np.asarray(A, dtype=float)
    At = A + np.eye(len(A))
    with np.errstate(divide="ignore", invalid="ignore"):
        D_inv_sqrt = np.diag(At.sum(axis=1)) ** -0.5
    return D_inv_sqrt @ At @ D_inv_sqrt


def _na_no_sqrt(A):
    # witness: A=[[0,1],[1,0]] -> (A+I)/(d_u d_v) = 0.25 everywhere (true 0.5)
    A = np.asarray(A, dtype=float)
    d = 1 + A.sum(axis=1)
    return (A + np.eye(len(A))) / np.outer(d, d)


def _na_sqrt_of_sum(A):
    # witness: A=[[0,1],[1,0]] -> 1/sqrt(2 + 2) = 0.5 ... but A=[[0,1,1],[1,0,0],[1,0,0]]:
    # (0,1) -> 1/sqrt(3 + 2) (true 1/sqrt6)
    A = np.asarray(A, dtype=float)
    d = 1 + A.sum(axis=1)
    return (A + np.eye(len(A))) / np.sqrt(d[:, None] + d[None, :])


def _na_product_overflow(A):
    # witness: A=[[0,1e200],[1e200,0]] -> d_u d_v = 1e400 overflows to inf: off-diagonal 0
    # (true 1e200 / (1e200 + 1) ~= 1)
    A = np.asarray(A, dtype=float)
    d = 1 + A.sum(axis=1)
    return (A + np.eye(len(A))) / np.sqrt(np.outer(d, d))


def _na_isolated_nodes_zero(A):
    # witness: A=[[0]] (one isolated node) -> [[0]] (true [[1]]: the self-loop alone)
    A = np.asarray(A, dtype=float)
    deg = A.sum(axis=1)
    s = np.where(deg > 0, 1 / np.sqrt(1 + deg), 0.0)
    return s[:, None] * (A + np.eye(len(A))) * s[None, :]


def _na_laplacian(A):
    # witness: A=[[0,1],[1,0]] -> I - A_hat = [[.5,-.5],[-.5,.5]] (true 0.5 everywhere)
    A = np.asarray(A, dtype=float)
    d = 1 + A.sum(axis=1)
    s = 1 / np.sqrt(d)
    return np.eye(len(A)) - s[:, None] * (A + np.eye(len(A))) * s[None, :]


def _na_diagonal_counted_twice(A):
    # witness: A=[[0,1],[1,0]] -> d~ = 1 + sum(A + I) = 3: 1/3 everywhere (true 0.5)
    A = np.asarray(A, dtype=float)
    At = A + np.eye(len(A))
    d = 1 + At.sum(axis=1)
    s = 1 / np.sqrt(d)
    return s[:, None] * At * s[None, :]


def _na_total_degree(A):
    # witness: A=[[0,1,1],[1,0,0],[1,0,0]] -> divides by 1 + sum of all entries = 5
    # (true entrywise sqrt(d_u d_v))
    A = np.asarray(A, dtype=float)
    return (A + np.eye(len(A))) / (1 + A.sum())


def _na_float32(A):
    # witness: A=[[0,1,1],[1,0,0],[1,0,0]] -> float32 1/sqrt6, relative error ~1e-8
    A = np.asarray(A, dtype=np.float32)
    d = 1 + A.sum(axis=1)
    s = 1 / np.sqrt(d)
    return s[:, None] * (A + np.eye(len(A), dtype=np.float32)) * s[None, :]


def _na_tiny_weights_dropped(A):
    # witness: A=[[0,1e-12],[1e-12,0]] -> edges below 1e-9 treated as absent: off-diagonal 0
    # (true 1e-12 / (1 + 1e-12))
    A = np.where(np.asarray(A, dtype=float) > 1e-9, A, 0.0)
    d = 1 + A.sum(axis=1)
    s = 1 / np.sqrt(d)
    return s[:, None] * (A + np.eye(len(A))) * s[None, :]


def _na_hangs_isolated(A):
    # witness: A=[[0]] -> "find a neighbour" loop never ends for a node without edges
    A = np.asarray(A, dtype=float)
    n = len(A)
    for u in range(n):
        v = 0
        while A[u, v] == 0:                    # look for the first neighbour ...
            v = (v + 1) % n                    # ... wraps around forever if there is none
    d = 1 + A.sum(axis=1)
    s = 1 / np.sqrt(d)
    return s[:, None] * (A + np.eye(n)) * s[None, :]


# ---------------------------------------------------------------------------------------------
# Exercise 2 — mean_aggregate(edges, H, num_nodes) -> (num_nodes, f)
# ---------------------------------------------------------------------------------------------

def _ma_parts(edges, num_nodes):
    e = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    return e[:, 0], e[:, 1]


def _ma_directed(edges, H, num_nodes):
    # witness: edges=[[0,1]], H=[[0.],[2.]], n=2 -> row 1 stays 2 (true 1): only u <- v
    u, v = _ma_parts(edges, num_nodes)
    H = np.asarray(H, dtype=float)
    S = H.copy()
    np.add.at(S, u, H[v])
    cnt = 1 + np.bincount(u, minlength=num_nodes)
    return S / cnt[:, None]


def _ma_neighbours_only(edges, H, num_nodes):
    # witness: edges=[[0,1]], H=[[0.],[2.]], n=2 -> [[2],[0]] (true [[1],[1]]: self included)
    u, v = _ma_parts(edges, num_nodes)
    H = np.asarray(H, dtype=float)
    S = np.zeros_like(H)
    np.add.at(S, u, H[v])
    np.add.at(S, v, H[u])
    cnt = np.bincount(np.concatenate([u, v]), minlength=num_nodes)
    return S / np.maximum(cnt, 1)[:, None]


def _ma_fancy_index_accumulate(edges, H, num_nodes):
    # witness: edges=[[0,1],[0,2]], H=[[0.],[3.],[6.]], n=3 -> row 0 = (0 + 6)/3 = 2 (true 3):
    # S[u] += H[v] keeps only the last of repeated u
    u, v = _ma_parts(edges, num_nodes)
    H = np.asarray(H, dtype=float)
    S = H.copy()
    S[u] += H[v]
    S[v] += H[u]
    cnt = 1 + np.bincount(np.concatenate([u, v]), minlength=num_nodes)
    return S / cnt[:, None]


def _ma_sum_not_mean(edges, H, num_nodes):
    # witness: edges=[[0,1]], H=[[0.],[2.]], n=2 -> [[2],[2]] (true [[1],[1]])
    u, v = _ma_parts(edges, num_nodes)
    H = np.asarray(H, dtype=float)
    S = H.copy()
    np.add.at(S, u, H[v])
    np.add.at(S, v, H[u])
    return S


def _ma_degree_one_column(edges, H, num_nodes):
    # witness: edges=[[0,1]], H=[[0.],[2.]], n=2 -> node 1's count 1 (true 2): degree from
    # the first column only
    u, v = _ma_parts(edges, num_nodes)
    H = np.asarray(H, dtype=float)
    S = H.copy()
    np.add.at(S, u, H[v])
    np.add.at(S, v, H[u])
    cnt = 1 + np.bincount(u, minlength=num_nodes)
    return S / cnt[:, None]


def _ma_bincount_no_minlength(edges, H, num_nodes):
    # witness: edges=[[0,1]], H of 3 rows, n=3 (node 2 isolated) -> bincount length 2: error
    u, v = _ma_parts(edges, num_nodes)
    H = np.asarray(H, dtype=float)
    S = H.copy()
    np.add.at(S, u, H[v])
    np.add.at(S, v, H[u])
    cnt = 1 + np.bincount(np.concatenate([u, v]))
    return S / cnt[:, None]


def _ma_empty_edges_zeros(edges, H, num_nodes):
    # witness: edges=np.zeros((0,2), int), H=[[1.],[2.]], n=2 -> zeros (true H itself)
    if len(edges) == 0:
        return np.zeros((num_nodes, np.shape(H)[1]))
    u, v = _ma_parts(edges, num_nodes)
    H = np.asarray(H, dtype=float)
    S = H.copy()
    np.add.at(S, u, H[v])
    np.add.at(S, v, H[u])
    cnt = 1 + np.bincount(np.concatenate([u, v]), minlength=num_nodes)
    return S / cnt[:, None]


def _ma_accumulates_into_H(edges, H, num_nodes):
    # witness: edges=[[0,1]], H=np.array([[0.],[2.]]) -> the caller's H becomes [[2],[2]]
    u, v = _ma_parts(edges, num_nodes)
    S = H                                      # "start from the node itself" -- no copy
    Hu, Hv = H[u].copy(), H[v].copy()
    np.add.at(S, u, Hv)
    np.add.at(S, v, Hu)
    cnt = 1 + np.bincount(np.concatenate([u, v]), minlength=num_nodes)
    return S / cnt[:, None]


def _ma_int_buffer(edges, H, num_nodes):
    # witness: edges=[[0,1]], H=np.array([[0],[1]]) (int) -> [[0],[0]] (true [[.5],[.5]])
    H = np.asarray(H)
    out = np.zeros_like(H)
    nbrs = [[w] for w in range(num_nodes)]
    for a, b in np.asarray(edges).reshape(-1, 2):
        nbrs[a].append(b)
        nbrs[b].append(a)
    for w in range(num_nodes):
        out[w] = H[nbrs[w]].mean(axis=0)
    return out


def _ma_nodes_from_edges(edges, H, num_nodes):
    # witness: edges=[[0,1]], H of 3 rows, n=3 -> output of 2 rows (n taken as max label + 1)
    u, v = _ma_parts(edges, num_nodes)
    n = int(max(u.max(), v.max())) + 1 if len(u) else num_nodes
    H = np.asarray(H, dtype=float)[:n]
    S = H.copy()
    np.add.at(S, u, H[v])
    np.add.at(S, v, H[u])
    cnt = 1 + np.bincount(np.concatenate([u, v]), minlength=n)
    return S / cnt[:, None]


def _ma_symmetric_normalisation(edges, H, num_nodes):
    # witness: edges=[[0,1],[0,2]], H=[[0.],[3.],[6.]], n=3 -> GCN weights 1/sqrt(d_u d_v)
    # instead of the mean 1/d_u: row 0 = (3 + 6)/sqrt6 (true 3)
    u, v = _ma_parts(edges, num_nodes)
    H = np.asarray(H, dtype=float)
    A = np.eye(num_nodes)
    A[u, v] = A[v, u] = 1
    s = 1 / np.sqrt(A.sum(axis=1))
    return (s[:, None] * A * s[None, :]) @ H


def _ma_half_self_half_neighbours(edges, H, num_nodes):
    # witness: edges=[[0,1],[0,2]], H=[[0.],[3.],[6.]], n=3 -> row 0 = (0 + 4.5)/2 = 2.25
    # (true (0 + 3 + 6)/3 = 3): averages "self" with "mean of neighbours"
    u, v = _ma_parts(edges, num_nodes)
    H = np.asarray(H, dtype=float)
    S = np.zeros_like(H)
    np.add.at(S, u, H[v])
    np.add.at(S, v, H[u])
    cnt = np.bincount(np.concatenate([u, v]), minlength=num_nodes)
    out = H.copy()
    has = cnt > 0
    out[has] = (H[has] + S[has] / cnt[has, None]) / 2
    return out


def _ma_dense_one_orientation(edges, H, num_nodes):
    # witness: edges=[[1,0]], H=[[0.],[2.]], n=2 -> only A[1,0] set: row 0 stays 0 (true 1)
    u, v = _ma_parts(edges, num_nodes)
    H = np.asarray(H, dtype=float)
    A = np.eye(num_nodes)
    A[u, v] = 1
    return (A @ H) / A.sum(axis=1, keepdims=True)


def _ma_features_averaged(edges, H, num_nodes):
    # witness: edges=[[0,1]], H=[[1.,2.],[3.,4.]], n=2 -> [[2.5],[2.5]] (true [[2,3],[2,3]]);
    # right only for f = 1
    u, v = _ma_parts(edges, num_nodes)
    h = np.asarray(H, dtype=float).mean(axis=1)      # "one number per node"
    S = h.copy()
    np.add.at(S, u, h[v])
    np.add.at(S, v, h[u])
    cnt = 1 + np.bincount(np.concatenate([u, v]), minlength=num_nodes)
    return (S / cnt)[:, None]


def _ma_float32(edges, H, num_nodes):
    # witness: edges=[[0,1],[0,2]], H=[[0.],[1.],[1.]], n=3 -> float32(2/3), rel. error 1e-8
    u, v = _ma_parts(edges, num_nodes)
    H = np.asarray(H, dtype=np.float32)
    S = H.copy()
    np.add.at(S, u, H[v])
    np.add.at(S, v, H[u])
    cnt = 1 + np.bincount(np.concatenate([u, v]), minlength=num_nodes)
    return S / cnt[:, None].astype(np.float32)


def _ma_empty_edges_returns_H(edges, H, num_nodes):
    # witness: edges=np.zeros((0,2), int), H=np.array([[1],[2]]) (int features) -> returns the
    # caller's int array itself (the text asks for a float array; it also aliases H)
    if len(edges) == 0:
        return H
    u, v = _ma_parts(edges, num_nodes)
    H = np.asarray(H, dtype=float)
    S = H.copy()
    np.add.at(S, u, H[v])
    np.add.at(S, v, H[u])
    cnt = 1 + np.bincount(np.concatenate([u, v]), minlength=num_nodes)
    return S / cnt[:, None]


def _ma_hangs_on_reversed(edges, H, num_nodes):
    # witness: edges=[[1,0]] -> the loop "normalises" an edge with u > v and re-reads it
    # without advancing: never returns
    e = np.asarray(edges, dtype=np.int64).reshape(-1, 2).tolist()
    H = np.asarray(H, dtype=float)
    S, cnt = H.copy(), np.ones(num_nodes)
    i = 0
    while i < len(e):
        a, b = e[i]
        if a > b:
            a, b = b, a                        # "put the edge in order" (local copy only) ...
            continue                           # ... then re-read e[i], still reversed
        S[a] += H[b]
        S[b] += H[a]
        cnt[a] += 1
        cnt[b] += 1
        i += 1
    return S / cnt[:, None]


WRONG = {
    "check_normalized_adjacency": [
        ("no self-loops: D^{-1/2} A D^{-1/2}", _na_no_self_loops),
        ("self-loops added but degree without the + 1", _na_degree_without_self_loop),
        ("row normalisation D~^{-1}(A + I)", _na_row_normalised),
        ("D~^{-1/2} on the left only", _na_one_side_only),
        ("degree counts edges, not weights", _na_edge_count_degree),
        ("np.fill_diagonal on the caller's A", _na_fill_diagonal_in_place),
        ("A += I on the caller's A", _na_add_identity_in_place),
        ("zeros_like(A) output truncates for integer A", _na_int_output_buffer),
        ("np.diag(d) ** -0.5: inf off the diagonal", _na_elementwise_power_of_diag),
        ("divides by d_u d_v (no square root)", _na_no_sqrt),
        ("divides by sqrt(d_u + d_v)", _na_sqrt_of_sum),
        ("sqrt(d_u * d_v): the product overflows for huge weights", _na_product_overflow),
        ("isolated nodes get 0 instead of their self-loop", _na_isolated_nodes_zero),
        ("returns the normalised Laplacian I - A_hat", _na_laplacian),
        ("degree of A + I plus one (self-loop counted twice)", _na_diagonal_counted_twice),
        ("one scalar normaliser (total degree)", _na_total_degree),
        ("computed in float32", _na_float32),
        ("tiny edge weights (< 1e-9) dropped", _na_tiny_weights_dropped),
        ("HANGS: neighbour search never ends for an isolated node", _na_hangs_isolated),
    ],
    "check_mean_aggregate": [
        ("edges used in one direction only", _ma_directed),
        ("mean over neighbours only (node itself left out)", _ma_neighbours_only),
        ("S[u] += H[v] fancy indexing drops repeated nodes", _ma_fancy_index_accumulate),
        ("sum instead of mean", _ma_sum_not_mean),
        ("degree from the first column only", _ma_degree_one_column),
        ("bincount without minlength", _ma_bincount_no_minlength),
        ("E = 0 special case returns zeros", _ma_empty_edges_zeros),
        ("accumulates into the caller's H", _ma_accumulates_into_H),
        ("zeros_like(H) output truncates for integer H", _ma_int_buffer),
        ("num_nodes taken from the largest label in edges", _ma_nodes_from_edges),
        ("GCN symmetric weights 1/sqrt(d_u d_v) instead of the mean", _ma_symmetric_normalisation),
        ("(self + mean of neighbours) / 2", _ma_half_self_half_neighbours),
        ("dense A with one orientation per edge", _ma_dense_one_orientation),
        ("features averaged into one number per node", _ma_features_averaged),
        ("computed in float32", _ma_float32),
        ("E = 0 shortcut returns the caller's H itself", _ma_empty_edges_returns_H),
        ("HANGS: edge loop re-reads a reversed edge forever", _ma_hangs_on_reversed),
    ],
}
