"""check_rank_for_error (notebook 05, exercise 2): the smallest rank k whose Eckart–Young error
√(Σ_{i>k} σᵢ²) is at most rel_tol·‖A‖_F, from the singular values alone. Correct solutions pass;
each classic mistake, written as the wrong code a learner would write from the exercise text, is
rejected under its catalogued name; a stub is "not attempted"."""
import math

import numpy as np
import pytest

from dlmath.exercises import check_rank_for_error
from dlmath.exercises.linear_algebra import _re_exact, _re_generate


# ---------------------------------------------------------------------- correct solutions
def loop_over_k(s, rel_tol):
    """The notebook's solution: compare squares, the dropped energy summed directly."""
    sq = np.asarray(s, dtype=float) ** 2
    bound = rel_tol ** 2 * sq.sum()
    for k in range(len(sq) + 1):
        if sq[k:].sum() <= bound:
            return k


def reversed_cumsum(s, rel_tol):
    """All tails at once, summed from the small end: tails[k] = Σ_{i≥k} σᵢ² (0-based)."""
    sq = np.asarray(s, dtype=float) ** 2
    tails = np.append(np.cumsum(sq[::-1])[::-1], 0.0)
    errors = np.sqrt(tails)
    return int(np.argmax(errors <= rel_tol * np.sqrt(sq.sum())))


def with_norms(s, rel_tol):
    s = np.asarray(s, dtype=float)
    k = 0
    while np.linalg.norm(s[k:]) > rel_tol * np.linalg.norm(s):
        k += 1
    return k


def python_floats(s, rel_tol):
    values = [float(x) for x in s]
    total = math.sqrt(sum(x * x for x in values))
    for k in range(len(values) + 1):
        if math.sqrt(sum(x * x for x in values[k:])) <= rel_tol * total:
            return k


CORRECT = [loop_over_k, reversed_cumsum, with_norms, python_floats]


@pytest.mark.parametrize("fn", CORRECT, ids=[f.__name__ for f in CORRECT])
def test_correct_solutions_pass(fn):
    result = check_rank_for_error(fn)
    assert result.status == "passed", result.message
    assert "300 random inputs" in result.message


def test_stub_is_not_attempted():
    def rank_for_error(s, rel_tol):
        raise NotImplementedError
    assert check_rank_for_error(rank_for_error).status == "not attempted"


# ---------------------------------------------------------------------- the mistakes
def sigma_not_squared(s, rel_tol):
    s = np.asarray(s, dtype=float)
    for k in range(len(s) + 1):
        if s[k:].sum() <= rel_tol * s.sum():
            return k


def energy_fraction(s, rel_tol):
    sq = np.asarray(s, dtype=float) ** 2
    for k in range(len(sq) + 1):
        if sq[k:].sum() / sq.sum() <= rel_tol:          # dropped energy, not the error
            return k


def total_minus_kept(s, rel_tol):
    sq = np.asarray(s, dtype=float) ** 2
    total = sq.sum()
    kept = np.concatenate([[0.0], np.cumsum(sq)])
    errors = np.sqrt(np.maximum(total - kept, 0.0))    # cancels when the tail is tiny
    return int(np.argmax(errors <= rel_tol * np.sqrt(total)))


def total_minus_kept_loop(s, rel_tol):
    s = np.asarray(s, dtype=float)
    total = np.sum(s ** 2)
    for k in range(len(s) + 1):
        if abs(total - np.sum(s[:k] ** 2)) <= rel_tol ** 2 * total:
            return k


def absolute_tolerance(s, rel_tol):
    sq = np.asarray(s, dtype=float) ** 2
    for k in range(len(sq) + 1):
        if np.sqrt(sq[k:].sum()) <= rel_tol:
            return k


def strict_inequality(s, rel_tol):
    sq = np.asarray(s, dtype=float) ** 2
    for k in range(len(sq) + 1):
        if np.sqrt(sq[k:].sum()) < rel_tol * np.sqrt(sq.sum()):
            return k
    return len(sq)


def kept_not_dropped(s, rel_tol):
    sq = np.asarray(s, dtype=float) ** 2
    for k in range(len(sq) + 1):
        if np.sqrt(sq[:k].sum()) <= rel_tol * np.sqrt(sq.sum()):
            return k


def spectral_norm(s, rel_tol):
    s = np.asarray(s, dtype=float)
    return int(np.sum(s > rel_tol * s[0])) if len(s) and s[0] > 0 else 0


def range_stops_early(s, rel_tol):
    sq = np.asarray(s, dtype=float) ** 2
    for k in range(len(sq)):                            # never tries k = len(s)
        if np.sqrt(sq[k:].sum()) <= rel_tol * np.sqrt(sq.sum()):
            return k


def one_based(s, rel_tol):
    sq = np.asarray(s, dtype=float) ** 2
    errors = np.sqrt(np.append(np.cumsum(sq[::-1])[::-1], 0.0))
    return int(np.argmax(errors <= rel_tol * np.sqrt(sq.sum()))) + 1


def tail_skips_one(s, rel_tol):
    sq = np.asarray(s, dtype=float) ** 2
    for k in range(len(sq) + 1):
        if np.sqrt(sq[k + 1:].sum()) <= rel_tol * np.sqrt(sq.sum()):   # s[k+1:]
            return k


def divides_by_norm(s, rel_tol):
    sq = np.asarray(s, dtype=float) ** 2
    for k in range(len(sq) + 1):
        if np.sqrt(sq[k:].sum() / sq.sum()) <= rel_tol:               # nan for A = 0
            return k
    return len(sq)


def integer_truncation(s, rel_tol):
    scaled = np.array(s)                                # keeps an integer dtype
    if scaled.max() > 0:
        scaled[:] = scaled / scaled.max()               # [5, 3, 1] → [1, 0, 0] for int s
    sq = scaled.astype(float) ** 2
    for k in range(len(sq) + 1):
        if np.sqrt(sq[k:].sum()) <= rel_tol * np.sqrt(sq.sum()):
            return k


def squares_in_place(s, rel_tol):
    s **= 2                                             # changes the caller's array
    for k in range(len(s) + 1):
        if s[k:].sum() <= rel_tol ** 2 * s.sum():
            return k


MISTAKES = [
    (sigma_not_squared, "σ not squared"),
    (energy_fraction, "energy, not error"),
    (total_minus_kept, "total minus kept"),
    (total_minus_kept_loop, "total minus kept"),
    (absolute_tolerance, "absolute tolerance"),
    (strict_inequality, "strict inequality"),
    (kept_not_dropped, "kept, not dropped"),
    (spectral_norm, "spectral norm"),
    (range_stops_early, "stops before len(s)"),
    (one_based, "off by one"),
    (tail_skips_one, "off by one"),
    (divides_by_norm, "zero matrix"),
    (integer_truncation, "integer s"),
    (squares_in_place, "in place"),
]


@pytest.mark.parametrize("fn, name", MISTAKES, ids=[f.__name__ for f, _ in MISTAKES])
def test_each_mistake_is_rejected_by_name(fn, name):
    result = check_rank_for_error(fn)
    assert result.status == "failed"
    assert result.mistakes and result.mistakes[0] == name, (result.mistakes, result.message)


def test_cancellation_hint_explains_the_rounding():
    message = check_rank_for_error(total_minus_kept).message
    assert "1 + 1e-18 rounds to 1" in message and "s[k:]" in message


def test_uncatalogued_wrong_answer_gets_the_generic_message():
    def always_one(s, rel_tol):
        return 1
    result = check_rank_for_error(always_one)
    assert result.status == "failed" and result.mistakes == []
    assert "expected k = 2, got 1" in result.message
    assert "smallest k" in result.message


def test_a_subtly_wrong_solution_is_caught_by_the_sweep_alone():
    """Right on every hand-picked case, wrong only for spectra of 7 values: the sweep finds it."""
    def wrong_for_seven(s, rel_tol):
        k = loop_over_k(s, rel_tol)
        return k + 1 if len(s) == 7 and k < 7 else k
    result = check_rank_for_error(wrong_for_seven)
    assert result.status == "failed" and result.mistakes == []
    assert "random inputs failed" in result.message and "exact arithmetic" in result.message


def test_not_a_number_is_reported():
    result = check_rank_for_error(lambda s, rel_tol: "two")
    assert result.status == "failed" and "whole number" in result.message


def test_the_oracle_is_the_definition_and_the_tolerances_have_room():
    """The exact oracle agrees with a float computation on every generated input, and each
    random tolerance is at least 1 % away from every relative error √(Σ_{i>k}σᵢ²)/‖A‖_F (unless
    it is 0 or ≥ 1, or A = 0), so no float rounding can change the answer."""
    rng = np.random.default_rng(0)
    kinds, cancelled = set(), 0
    for i in range(300):
        s, tol = _re_generate(rng, i)
        k = _re_exact(s, tol)
        assert 0 <= k <= len(s)
        sf = np.asarray(s, dtype=float)
        total = math.sqrt(float(np.sum(sf ** 2)))
        errors = [math.sqrt(float(np.sum(sf[j:] ** 2))) for j in range(len(s) + 1)]
        if total > 0 and 1e-250 < total < 1e150:
            assert loop_over_k(s, tol) == k, (i, s, tol)
            if 0 < tol < 1:
                assert all(abs(e / total - tol) > 0.01 * tol for e in errors), (i, s, tol)
        cancelled += total_minus_kept(s, tol) != k
        kinds.add("int" if np.asarray(s).dtype.kind in "iu" else "float")
        kinds.add("tol=0" if tol == 0 else "tol>=1" if tol >= 1 else "between")
        kinds.add("k=len" if k == len(s) else "k=0" if k == 0 else "0<k<len")
    assert {"int", "float", "tol=0", "tol>=1", "between", "k=len", "k=0", "0<k<len"} <= kinds
    assert cancelled >= 5            # the sweep alone also catches "total minus kept"
