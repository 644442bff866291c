"""check_projection (notebook 03, exercise 1): the orthogonal projection of b onto col(A), written
with Gram–Schmidt. The correct solutions pass; each classic mistake, written as the wrong code a
learner would write from the exercise text, is rejected under its catalogued name."""
import numpy as np
import pytest

from dlmath.exercises import check_projection
from dlmath.exercises.linear_algebra import _pj_compare, _pj_generate, _pj_svd_projection

TOL = 1e-10


# ---------------------------------------------------------------------- correct solutions
def modified_gram_schmidt(A, b):
    A = np.asarray(A, dtype=float)
    b = np.asarray(b, dtype=float)
    basis = []
    for j in range(A.shape[1]):
        v = A[:, j].copy()
        for q in basis:
            v = v - (q @ v) * q
        if np.linalg.norm(v) > TOL * np.linalg.norm(A[:, j]):
            basis.append(v / np.linalg.norm(v))
    p = np.zeros_like(b)
    for q in basis:
        p = p + (q @ b) * q
    return p


def classical_gram_schmidt_matrix(A, b):
    A = np.array(A, dtype=float)
    b = np.array(b, dtype=float)
    Q = np.zeros((A.shape[0], 0))
    for a in A.T:
        v = a - Q @ (Q.T @ a)
        if np.linalg.norm(v) > TOL * np.linalg.norm(a):
            Q = np.column_stack([Q, v / np.linalg.norm(v)])
    return Q @ (Q.T @ b)


def orthogonal_not_normalised(A, b):
    """Keeps the orthogonal (unnormalised) v's and divides by v·v: also right."""
    A, b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)
    vs, p = [], np.zeros(len(b))
    for a in A.T:
        v = a.copy()
        for u in vs:
            v = v - (u @ a) / (u @ u) * u
        if np.linalg.norm(v) > TOL * np.linalg.norm(a):
            vs.append(v)
            p = p + (v @ b) / (v @ v) * v
    return list(p)                       # a list is accepted too


@pytest.mark.parametrize("fn", [modified_gram_schmidt, classical_gram_schmidt_matrix,
                                orthogonal_not_normalised])
def test_correct_solutions_pass(fn):
    result = check_projection(fn)
    assert result.status == "passed", result.message
    assert "200 random inputs" in result.message


def test_stub_is_not_attempted():
    def project(A, b):
        raise NotImplementedError
    result = check_projection(project)
    assert result.status == "not attempted"


# ---------------------------------------------------------------------- the mistakes
def gs_basis(A, keep, orthogonalise=True, normalise=True):
    """Helper for the wrong solutions below: Gram–Schmidt with a pluggable keep-rule."""
    basis = []
    for a in A.T:
        v = a.copy()
        if orthogonalise:
            for q in basis:
                v = v - (q @ v) * q
        if keep(v, a):
            basis.append(v / np.linalg.norm(v) if normalise else v)
    return basis


def not_normalised(A, b):
    A, b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)
    vs = []
    for a in A.T:
        v = a.copy()
        for u in vs:
            v = v - (u @ v) * u              # as if u had length 1
        if np.linalg.norm(v) > TOL * np.linalg.norm(a):
            vs.append(v)
    return sum(((u @ b) * u for u in vs), np.zeros(len(b)))


def raw_columns(A, b):
    A, b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)
    p = np.zeros(len(b))
    for a in A.T:
        if a @ a > 0:
            p = p + (a @ b) / (a @ a) * a
    return p


def orthogonalised_against_columns(A, b):
    A, b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)
    qs = []
    for j in range(A.shape[1]):
        v = A[:, j].copy()
        for i in range(j):                   # subtracts the projections on the *columns*
            a = A[:, i]
            if a @ a > 0:
                v = v - (a @ A[:, j]) / (a @ a) * a
        if np.linalg.norm(v) > TOL * np.linalg.norm(A[:, j]):
            qs.append(v / np.linalg.norm(v))
    return sum(((q @ b) * q for q in qs), np.zeros(len(b)))


def coordinates(A, b):
    A, b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)
    Q = gs_basis(A, lambda v, a: np.linalg.norm(v) > TOL * np.linalg.norm(a))
    return np.array([q @ b for q in Q])      # Qᵀb, not Q Qᵀb


def fitted_coefficients(A, b):
    return np.linalg.lstsq(np.asarray(A, dtype=float), b, rcond=None)[0]    # x̂, not p


def rows(A, b):
    A, b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)
    qs = []
    for a in A:                              # rows!
        v = a.copy()
        for q in qs:
            v = v - (q @ v) * q
        if np.linalg.norm(v) > TOL * np.linalg.norm(a):
            qs.append(v / np.linalg.norm(v))
    return sum(((q @ b) * q for q in qs), np.zeros(len(b)))


def normal_equations(A, b):
    A, b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)
    return A @ np.linalg.solve(A.T @ A, A.T @ b)


def absolute_tolerance(A, b):
    A, b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)
    Q = gs_basis(A, lambda v, a: np.linalg.norm(v) > 1e-10)
    return sum(((q @ b) * q for q in Q), np.zeros(len(b)))


def loose_tolerance(A, b):
    A, b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)
    Q = gs_basis(A, lambda v, a: np.linalg.norm(v) > 1e-4 * np.linalg.norm(a))
    return sum(((q @ b) * q for q in Q), np.zeros(len(b)))


def no_skip(A, b):
    A, b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)
    Q = gs_basis(A, lambda v, a: True)       # divides round-off (or 0) by its length
    return sum(((q @ b) * q for q in Q), np.zeros(len(b)))


def skip_exact_zero_only(A, b):
    A, b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)
    Q = gs_basis(A, lambda v, a: np.linalg.norm(v) > 0)
    return sum(((q @ b) * q for q in Q), np.zeros(len(b)))


def integer_truncation(A, b):
    A, b = np.asarray(A), np.asarray(b)
    Q = np.zeros_like(A)                     # keeps an integer A's dtype
    k = 0
    for j in range(A.shape[1]):
        v = A[:, j] - Q[:, :k] @ (Q[:, :k].T @ A[:, j])
        if np.linalg.norm(v) > TOL * np.linalg.norm(A[:, j]):
            Q[:, k] = v / np.linalg.norm(v)  # truncated to whole numbers for int A
            k += 1
    return Q[:, :k] @ (Q[:, :k].T @ b)


def changes_A(A, b):
    A, b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)
    V = A                                    # not a copy: float input is overwritten
    kept = []
    for j in range(V.shape[1]):
        norm_a = np.linalg.norm(V[:, j])
        for i in kept:
            V[:, j] -= (V[:, i] @ V[:, j]) * V[:, i]
        if np.linalg.norm(V[:, j]) > TOL * norm_a:
            V[:, j] /= np.linalg.norm(V[:, j])
            kept.append(j)
    return V[:, kept] @ (V[:, kept].T @ b)


def changes_b(A, b):
    Q = gs_basis(np.asarray(A, dtype=float),
                 lambda v, a: np.linalg.norm(v) > TOL * np.linalg.norm(a))
    r = b                                    # the residual, computed in b itself
    if r.dtype.kind != "f":
        r = r.astype(float)
        original = r.copy()
    else:
        original = b.copy()
    for q in Q:
        r -= (q @ r) * q
    return original - r


def float32(A, b):
    A, b = np.asarray(A, dtype=np.float32), np.asarray(b, dtype=np.float32)
    Q = gs_basis(A, lambda v, a: np.linalg.norm(v) > 1e-6 * np.linalg.norm(a))
    return sum(((q @ b) * q for q in Q), np.zeros(len(b), dtype=np.float32))


def library_qr(A, b):
    Q, _ = np.linalg.qr(np.asarray(A, dtype=float))        # forbidden, and keeps no-direction columns
    return Q @ (Q.T @ np.asarray(b, dtype=float))


MISTAKES = [
    (float32, "float32"),
    (library_qr, "dependent columns"),
    (not_normalised, "not normalised"),
    (raw_columns, "raw columns"),
    (orthogonalised_against_columns, "orthogonalised against the columns"),
    (coordinates, "coordinates"),
    (fitted_coefficients, "coordinates"),
    (rows, "rows"),
    (normal_equations, "normal equations, rank-deficient"),
    (absolute_tolerance, "absolute tolerance"),
    (loose_tolerance, "tolerance too loose"),
    (no_skip, "dependent columns"),
    (skip_exact_zero_only, "dependent columns"),
    (integer_truncation, "integer arrays"),
    (changes_A, "in place"),
    (changes_b, "in place"),
]


@pytest.mark.parametrize("fn, name", MISTAKES, ids=[f.__name__ for f, _ in MISTAKES])
def test_each_mistake_is_rejected_by_name(fn, name):
    result = check_projection(fn)
    assert result.status == "failed"
    assert result.mistakes and result.mistakes[0] == name, (result.mistakes, result.message)


def test_first_mistake_hint_is_shown():
    result = check_projection(rows)
    assert "rows" in result.message and "A[:, j]" in result.message


def test_in_place_message_names_the_argument():
    assert "changed its input A in place" in check_projection(changes_A).message
    assert "changed its input b in place" in check_projection(changes_b).message


def test_uncatalogued_wrong_answer_gets_the_generic_message():
    def half_of_b(A, b):
        return 0.5 * np.asarray(b, dtype=float)
    result = check_projection(half_of_b)
    assert result.status == "failed" and result.mistakes == []
    assert "expected" in result.message and "got" in result.message
    assert "b − p must be orthogonal" in result.message


def test_a_subtly_wrong_solution_is_caught_by_the_sweep_alone():
    """Right on every hand-picked case, wrong only for 5 × 3 inputs: the sweep finds it and shows
    the smallest failing input with the property that fails."""
    def wrong_for_5_by_3(A, b):
        p = modified_gram_schmidt(A, b)
        A = np.asarray(A)
        return p + 1e-3 if A.shape == (5, 3) else p
    result = check_projection(wrong_for_5_by_3)
    assert result.status == "failed" and result.mistakes == []
    assert "random inputs failed" in result.message
    assert "b − p ⟂ every column of A" in result.message


def test_the_sweep_oracle_is_the_definition():
    """The oracle's p satisfies Aᵀ(b − p) = 0 and lies in col(A) on every generated input, and
    the compare function accepts it (and rejects a shifted one)."""
    rng = np.random.default_rng(0)
    kinds = set()
    for i in range(200):
        A, b = _pj_generate(rng, i)
        Af, bf = np.asarray(A, dtype=float), np.asarray(b, dtype=float)
        p = _pj_svd_projection(A, b)
        assert np.allclose(Af.T @ (bf - p), 0, atol=1e-8 * (1 + np.linalg.norm(Af) * np.linalg.norm(bf)))
        if Af.size and np.any(Af):
            coef = np.linalg.lstsq(Af, p, rcond=None)[0]        # p is a combination of columns
            assert np.allclose(Af @ coef, p, atol=1e-8 * (1 + np.linalg.norm(bf)))
        assert _pj_compare(p, p, (A, b)) is None
        if np.linalg.norm(bf) > 0:
            assert _pj_compare(p + 0.1 * np.linalg.norm(bf), p, (A, b)) is not None
        rank = np.linalg.matrix_rank(Af) if Af.size else 0
        kinds.add(("deficient" if rank < min(Af.shape) else "full", A.dtype.kind))
    assert {("deficient", "f"), ("full", "f"), ("full", "i")} <= kinds
