"""check_top_singular_triplets (notebook 05, exercise 1): the k largest singular triplets of A by
power iteration on AᵀA with deflation, without a library SVD. Correct solutions (several ways of
deflating) pass; each classic mistake, written as the wrong code a learner would write from the
exercise text, is rejected under its catalogued name; a stub is "not attempted"."""
import numpy as np
import pytest

from dlmath.exercises import check_top_singular_triplets
from dlmath.exercises.linear_algebra import _st_problem, _st_sweep


# ---------------------------------------------------------------------- correct solutions
def _power(M, num_iters=500, seed=0):
    v = np.random.default_rng(seed).standard_normal(M.shape[0])
    for _ in range(num_iters):
        w = M @ v
        v = w / np.linalg.norm(w)
    return v


def deflate_gram(A, k, num_iters=500):
    """The notebook's solution: power iteration on M = AᵀA, deflate M ← M − σ²vvᵀ."""
    A = np.asarray(A, dtype=float)
    m, n = A.shape
    M = A.T @ A
    U, s, Vt = np.zeros((m, k)), np.zeros(k), np.zeros((k, n))
    rng = np.random.default_rng(0)
    for i in range(k):
        v = rng.standard_normal(n)
        for _ in range(num_iters):
            w = M @ v
            v = w / np.linalg.norm(w)
        s[i] = np.linalg.norm(A @ v)
        U[:, i], Vt[i] = A @ v / s[i], v
        M = M - s[i] ** 2 * np.outer(v, v)
    return U, s, Vt


def deflate_matrix(A, k, num_iters=500):
    """Deflate A itself, A ← A − σ u vᵀ, and iterate v ← AᵀAv on what is left; lists → arrays."""
    A = np.array(A, dtype=float)
    R = A.copy()
    us, ss, vs = [], [], []
    for i in range(k):
        v = _power(R.T @ R, num_iters, seed=i)
        sigma = np.linalg.norm(R @ v)
        u = R @ v / sigma
        us.append(u), ss.append(sigma), vs.append(v)
        R = R - sigma * np.outer(u, v)
    return (np.array(us).T.reshape(A.shape[0], k), np.array(ss),
            np.array(vs).reshape(k, A.shape[1]))


def project_every_step(A, k, num_iters=500):
    """No deflation of the matrix: project the iterate off the vectors found, at every step."""
    A = np.asarray(A, dtype=float)
    m, n = A.shape
    V = np.zeros((n, 0))
    U, s = np.zeros((m, k)), np.zeros(k)
    rng = np.random.default_rng(1)
    for i in range(k):
        v = rng.standard_normal(n)
        for _ in range(num_iters):
            v = v - V @ (V.T @ v)
            w = A.T @ (A @ v)
            v = w / np.linalg.norm(w)
        v = v - V @ (V.T @ v)
        v = v / np.linalg.norm(v)
        s[i] = np.linalg.norm(A @ v)
        U[:, i] = A @ v / s[i]
        V = np.column_stack([V, v])
    return U, s, V.T


def until_converged(A, k):
    """A while loop that stops when v no longer changes, σ from the Rayleigh quotient √(vᵀMv)."""
    A = np.asarray(A, dtype=float)
    m, n = A.shape
    M = A.T @ A
    U, s, Vt = np.zeros((m, k)), np.zeros(k), np.zeros((k, n))
    rng = np.random.default_rng(2)
    for i in range(k):
        v = rng.standard_normal(n)
        v /= np.linalg.norm(v)
        for _ in range(5000):
            w = M @ v
            w /= np.linalg.norm(w)
            done = np.linalg.norm(w - v) < 1e-13
            v = w
            if done:
                break
        s[i] = np.sqrt(max(v @ M @ v, 0.0))
        U[:, i], Vt[i] = A @ v / s[i], v
        M -= s[i] ** 2 * np.outer(v, v)           # M is our own array: in place is fine
    return U, s, Vt


def sign_by_largest_entry(A, k, num_iters=500):
    """Fixes each sign so that v's largest-|·| entry is positive (safe with zero components)."""
    U, s, Vt = deflate_gram(A, k, num_iters)
    for i in range(k):
        if Vt[i, np.argmax(np.abs(Vt[i]))] < 0:
            U[:, i], Vt[i] = -U[:, i], -Vt[i]
    return U, s, Vt


CORRECT = [deflate_gram, deflate_matrix, project_every_step, until_converged,
           sign_by_largest_entry]


@pytest.mark.parametrize("fn", CORRECT, ids=[f.__name__ for f in CORRECT])
def test_correct_solutions_pass(fn):
    result = check_top_singular_triplets(fn)
    assert result.status == "passed", result.message
    assert "200 random inputs" in result.message


def test_stub_is_not_attempted():
    def top_singular_triplets(A, k, num_iters=500):
        raise NotImplementedError
    assert check_top_singular_triplets(top_singular_triplets).status == "not attempted"


# ---------------------------------------------------------------------- the mistakes
def library_svd(A, k):
    U, s, Vt = np.linalg.svd(np.asarray(A, dtype=float), full_matrices=False)
    return U[:, :k], s[:k], Vt[:k]


def library_eigh(A, k):
    A = np.asarray(A, dtype=float)
    lam, V = np.linalg.eigh(A.T @ A)
    V = V[:, ::-1][:, :k]
    s = np.sqrt(np.maximum(lam[::-1][:k], 0))
    return A @ V / s, s, V.T


def k_zero_column_stack(A, k, num_iters=500):
    A = np.asarray(A, dtype=float)
    M, us, ss, vs = A.T @ A, [], [], []
    for i in range(k):
        v = _power(M, num_iters, i)
        sigma = np.linalg.norm(A @ v)
        us.append(A @ v / sigma), ss.append(sigma), vs.append(v)
        M = M - sigma ** 2 * np.outer(v, v)
    return np.column_stack(us), np.array(ss), np.vstack(vs)      # fail for an empty list


def k_zero_plain_arrays(A, k, num_iters=500):
    A = np.asarray(A, dtype=float)
    M, us, ss, vs = A.T @ A, [], [], []
    for i in range(k):
        v = _power(M, num_iters, i)
        sigma = np.linalg.norm(A @ v)
        us.append(A @ v / sigma), ss.append(sigma), vs.append(v)
        M = M - sigma ** 2 * np.outer(v, v)
    return np.array(us).T, np.array(ss), np.array(vs)           # (0,) shapes for k = 0


def all_triplets(A, k, num_iters=500):
    A = np.asarray(A, dtype=float)
    return deflate_gram(A, min(A.shape), num_iters)


def one_too_many(A, k, num_iters=500):
    A = np.asarray(A, dtype=float)
    return deflate_gram(A, min(k + 1, min(A.shape)), num_iters)


def one_too_few(A, k, num_iters=500):
    return deflate_gram(A, max(k - 1, 0), num_iters)


def u_v_swapped(A, k, num_iters=500):
    """Iterates on AAᵀ (finding the uᵢ) but returns them as the vᵢ, and Aᵀu/σ as the uᵢ."""
    return deflate_gram(np.asarray(A, dtype=float).T, k, num_iters)


def u_as_rows(A, k, num_iters=500):
    U, s, Vt = deflate_gram(A, k, num_iters)
    return U.T, s, Vt


def v_as_columns(A, k, num_iters=500):
    U, s, Vt = deflate_gram(A, k, num_iters)
    return U, s, Vt.T


def sigma_squared(A, k, num_iters=500):
    A = np.asarray(A, dtype=float)
    m, n = A.shape
    M = A.T @ A
    U, s, Vt = np.zeros((m, k)), np.zeros(k), np.zeros((k, n))
    for i in range(k):
        v = _power(M, num_iters, i)
        lam = v @ M @ v                             # = σ², reported as σ
        s[i] = lam
        U[:, i], Vt[i] = A @ v / np.sqrt(lam), v
        M = M - lam * np.outer(v, v)
    return U, s, Vt


def no_deflation(A, k, num_iters=500):
    A = np.asarray(A, dtype=float)
    m, n = A.shape
    M = A.T @ A
    U, s, Vt = np.zeros((m, k)), np.zeros(k), np.zeros((k, n))
    for i in range(k):
        v = _power(M, num_iters, i)                 # a new start each time, same matrix
        s[i] = np.linalg.norm(A @ v)
        U[:, i], Vt[i] = A @ v / s[i], v
    return U, s, Vt


def project_start_once(A, k, num_iters=500):
    A = np.asarray(A, dtype=float)
    m, n = A.shape
    M = A.T @ A
    U, s, Vt = np.zeros((m, k)), np.zeros(k), np.zeros((k, n))
    rng = np.random.default_rng(0)
    for i in range(k):
        v = rng.standard_normal(n)
        v = v - Vt[:i].T @ (Vt[:i] @ v)            # only the start is made ⟂ v₁ … v_{i−1}
        for _ in range(num_iters):
            w = M @ v
            v = w / np.linalg.norm(w)
        s[i] = np.linalg.norm(A @ v)
        U[:, i], Vt[i] = A @ v / s[i], v
    return U, s, Vt


def deflate_gram_by_sigma(A, k, num_iters=500):
    A = np.asarray(A, dtype=float)
    m, n = A.shape
    M = A.T @ A
    U, s, Vt = np.zeros((m, k)), np.zeros(k), np.zeros((k, n))
    for i in range(k):
        v = _power(M, num_iters, i)
        s[i] = np.sqrt(v @ M @ v)
        U[:, i], Vt[i] = A @ v / s[i], v
        M = M - s[i] * np.outer(v, v)               # σ, not σ²
    return U, s, Vt


def deflate_matrix_by_sigma_squared(A, k, num_iters=500):
    A = np.array(A, dtype=float)
    R = A.copy()
    U, s, Vt = np.zeros((A.shape[0], k)), np.zeros(k), np.zeros((k, A.shape[1]))
    for i in range(k):
        v = _power(R.T @ R, num_iters, i)
        s[i] = np.linalg.norm(R @ v)
        U[:, i], Vt[i] = R @ v / s[i], v
        R = R - s[i] ** 2 * np.outer(U[:, i], v)    # σ², not σ
    return U, s, Vt


def eigenvectors_of_A(A, k, num_iters=500):
    """Power iteration on A itself (only possible for square A)."""
    A = np.asarray(A, dtype=float)
    n = A.shape[0]
    M = A.copy()
    U, s, Vt = np.zeros((n, k)), np.zeros(k), np.zeros((k, n))
    for i in range(k):
        v = _power(M, num_iters, i)
        s[i] = abs(v @ M @ v)
        U[:, i], Vt[i] = v, v
        M = M - (v @ M @ v) * np.outer(v, v)
    return U, s, Vt


def u_not_divided(A, k, num_iters=500):
    U, s, Vt = deflate_gram(A, k, num_iters)
    return U * s, s, Vt


def separate_power_iterations(A, k, num_iters=500):
    """v from AᵀA and u from AAᵀ, each with its own random start: signs do not match."""
    A = np.asarray(A, dtype=float)
    m, n = A.shape
    M, N = A.T @ A, A @ A.T
    U, s, Vt = np.zeros((m, k)), np.zeros(k), np.zeros((k, n))
    for i in range(k):
        v, u = _power(M, num_iters, 10 + i), _power(N, num_iters, 20 + i)
        s[i] = np.sqrt(v @ M @ v)
        U[:, i], Vt[i] = u, v
        M, N = M - s[i] ** 2 * np.outer(v, v), N - s[i] ** 2 * np.outer(u, u)
    return U, s, Vt


def sign_by_first_entry(A, k, num_iters=500):
    U, s, Vt = deflate_gram(A, k, num_iters)
    for i in range(k):
        sign = np.sign(Vt[i, 0])                    # 0 when v[0] = 0
        U[:, i], Vt[i] = U[:, i] * sign, Vt[i] * sign
    return U, s, Vt


def eigenvalue_from_first_components(A, k, num_iters=500):
    A = np.asarray(A, dtype=float)
    m, n = A.shape
    M = A.T @ A
    U, s, Vt = np.zeros((m, k)), np.zeros(k), np.zeros((k, n))
    for i in range(k):
        v = _power(M, num_iters, i)
        lam = (M @ v)[0] / v[0]                     # 0/0 when v[0] = 0
        s[i] = np.sqrt(lam)
        U[:, i], Vt[i] = A @ v / s[i], v
        M = M - lam * np.outer(v, v)
    return U, s, Vt


def start_from_e1(A, k, num_iters=500):
    A = np.asarray(A, dtype=float)
    m, n = A.shape
    M = A.T @ A
    U, s, Vt = np.zeros((m, k)), np.zeros(k), np.zeros((k, n))
    for i in range(k):
        v = np.eye(n)[0]
        for _ in range(num_iters):
            w = M @ v
            v = w / np.linalg.norm(w)
        s[i] = np.linalg.norm(A @ v)
        U[:, i], Vt[i] = A @ v / s[i], v
        M = M - s[i] ** 2 * np.outer(v, v)
    return U, s, Vt


def start_from_ones(A, k, num_iters=500):
    A = np.asarray(A, dtype=float)
    m, n = A.shape
    M = A.T @ A
    U, s, Vt = np.zeros((m, k)), np.zeros(k), np.zeros((k, n))
    for i in range(k):
        v = np.ones(n) / np.sqrt(n)
        for _ in range(num_iters):
            w = M @ v
            v = w / np.linalg.norm(w)
        s[i] = np.linalg.norm(A @ v)
        U[:, i], Vt[i] = A @ v / s[i], v
        M = M - s[i] ** 2 * np.outer(v, v)
    return U, s, Vt


def too_few_iterations(A, k, num_iters=500):
    return deflate_gram(A, k, num_iters=20)


def integer_zeros_like(A, k, num_iters=500):
    A = np.asarray(A)
    m, n = A.shape
    M = A.T @ A
    U, Vt = np.zeros_like(A, shape=(m, k)), np.zeros_like(A, shape=(k, n))   # int for int A
    s = np.zeros(k)
    for i in range(k):
        v = _power(M, num_iters, i)
        s[i] = np.linalg.norm(A @ v)
        U[:, i], Vt[i] = A @ v / s[i], v
        M = M - s[i] ** 2 * np.outer(v, v)
    return U, s, Vt


def deflates_the_input(A, k, num_iters=500):
    U = np.zeros((A.shape[0], k))
    s, Vt = np.zeros(k), np.zeros((k, A.shape[1]))
    for i in range(k):
        v = _power(A.T @ A, num_iters, i)
        s[i] = np.linalg.norm(A @ v)
        U[:, i], Vt[i] = A @ v / s[i], v
        A -= s[i] * np.outer(U[:, i], v)            # changes the caller's matrix
    return U, s, Vt


MISTAKES = [
    (library_svd, "library decomposition"),
    (library_eigh, "library decomposition"),
    (k_zero_column_stack, "k = 0"),
    (k_zero_plain_arrays, "k = 0"),
    (all_triplets, "all triplets"),
    (one_too_many, "off by one in k"),
    (one_too_few, "off by one in k"),
    (u_v_swapped, "u and v swapped"),
    (u_as_rows, "U transposed"),
    (v_as_columns, "Vt transposed"),
    (sigma_squared, "σ² for σ"),
    (no_deflation, "not deflated"),
    (project_start_once, "not deflated"),
    (deflate_gram_by_sigma, "deflated by σ"),
    (deflate_matrix_by_sigma_squared, "deflated by σ"),
    (eigenvectors_of_A, "eigenvectors of A"),
    (u_not_divided, "u not divided by σ"),
    (separate_power_iterations, "independent signs"),
    (sign_by_first_entry, "first component"),
    (eigenvalue_from_first_components, "first component"),
    (start_from_e1, "fixed start vector"),
    (start_from_ones, "fixed start vector"),
    (too_few_iterations, "not converged"),
    (integer_zeros_like, "integer matrix"),
    (deflates_the_input, "in place"),
]


@pytest.mark.parametrize("fn, name", MISTAKES, ids=[f.__name__ for f, _ in MISTAKES])
def test_each_mistake_is_rejected_by_name(fn, name):
    result = check_top_singular_triplets(fn)
    assert result.status == "failed"
    assert result.mistakes and result.mistakes[0] == name, (result.mistakes, result.message)


def test_the_library_is_restored_after_the_check():
    check_top_singular_triplets(library_svd)
    U, s, Vt = np.linalg.svd(np.eye(2))
    assert np.allclose(s, 1) and np.linalg.eigvalsh(np.eye(2)).shape == (2,)


def test_in_place_message_names_the_argument():
    assert "changed its input A in place" in check_top_singular_triplets(deflates_the_input).message


def test_uncatalogued_wrong_answer_gets_the_generic_message():
    def scaled(A, k, num_iters=500):
        U, s, Vt = deflate_gram(A, k, num_iters)
        return U, 1.01 * s, Vt
    result = check_top_singular_triplets(scaled)
    assert result.status == "failed" and result.mistakes == []
    assert "expected the singular values" in result.message
    assert "A vᵢ = σᵢ uᵢ" in result.message


def test_a_subtly_wrong_solution_is_caught_by_the_sweep_alone():
    """Right on every hand-picked case, wrong only for 5 × 3 inputs: the sweep finds it."""
    def wrong_for_5_by_3(A, k, num_iters=500):
        U, s, Vt = deflate_gram(A, k, num_iters)
        return (U, s * 1.001, Vt) if np.shape(A) == (5, 3) else (U, s, Vt)
    result = check_top_singular_triplets(wrong_for_5_by_3)
    assert result.status == "failed" and result.mistakes == []
    assert "random inputs failed" in result.message
    assert "singular-triplet property" in result.message


def test_the_sweep_oracle_is_the_construction():
    """Every generated matrix has the singular values it was built with (checked here, outside
    the checker, with NumPy's SVD), and the grader accepts NumPy's triplets and rejects altered
    ones; the corners are there (k = 0, k = rank, integer, repeated σ, rank-deficient)."""
    sweep = _st_sweep()
    rng = np.random.default_rng(sweep.seed)
    seen = set()
    for i in range(sweep.n):
        A, k = sweep.generate(rng, i)
        sigma = sweep.oracle(A, k)
        Af = np.asarray(A, dtype=float)
        U, s, Vt = np.linalg.svd(Af, full_matrices=False)
        assert np.allclose(s, sigma, rtol=1e-9, atol=1e-12 * max(1.0, s.max(initial=0))), i
        assert _st_problem((U[:, :k], s[:k], Vt[:k]), A, k, sigma) is None, i
        if k:
            assert _st_problem((U[:, :k], s[:k] * 1.01, Vt[:k]), A, k, sigma) is not None
            assert _st_problem((U[:, :k], s[:k], -Vt[:k]), A, k, sigma) is not None
        rank = int(np.sum(sigma > 0))
        seen.add("k=0" if k == 0 else "k=rank" if k == rank else "k<rank")
        seen.add(A.dtype.kind)
        if len(set(sigma[sigma > 0])) < rank:
            seen.add("repeated")
        if rank < min(Af.shape):
            seen.add("deficient")
    assert {"k=0", "k=rank", "k<rank", "f", "i", "repeated", "deficient"} <= seen
