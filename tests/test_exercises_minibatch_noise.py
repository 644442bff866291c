"""check_minibatch_noise (notebook 11, exercise 3): correct solutions pass, each catalogued
mistake — written as real wrong code — is caught under its own name, a stub is "not attempted",
an uncatalogued wrong solution gets the generic message."""
import itertools
import math

import numpy as np
import pytest

from dlmath.exercises import check_minibatch_noise


def _spread(G):
    C = G - G.mean(axis=0)
    return np.mean(np.sum(C**2, axis=1))             # σ² = (1/N) Σ ‖gᵢ − ḡ‖²


def formula(G, B):
    G = np.asarray(G, dtype=float)
    N = len(G)
    return _spread(G) / B * (N - B) / (N - 1)


def other_form(G, B):                                 # (1/B − 1/N) s², s² with ddof = 1
    G = np.asarray(G, dtype=float)
    N = len(G)
    s2 = np.sum(np.var(G, axis=0, ddof=1))
    return (1 / B - 1 / N) * s2


def enumerate_all(G, B):                              # the definition, for small N
    G = np.asarray(G, dtype=float)
    full = G.mean(axis=0)
    d2 = [np.sum((G[list(S)].mean(axis=0) - full) ** 2)
          for S in itertools.combinations(range(len(G)), B)]
    return float(np.mean(d2))


def with_replacement(G, B):
    return _spread(np.asarray(G, dtype=float)) / B


def ddof_one(G, B):
    G = np.asarray(G, dtype=float)
    N = len(G)
    return np.sum(np.var(G, axis=0, ddof=1)) / B * (N - B) / (N - 1)


def over_n(G, B):
    G = np.asarray(G, dtype=float)
    N = len(G)
    return _spread(G) / B * (N - B) / N


def standard_deviation(G, B):
    return math.sqrt(formula(G, B))


def not_centred(G, B):
    G = np.asarray(G, dtype=float)
    N = len(G)
    return np.mean(np.sum(G**2, axis=1)) / B * (N - B) / (N - 1)


def root_b(G, B):
    G = np.asarray(G, dtype=float)
    N = len(G)
    return _spread(G) / np.sqrt(B) * (N - B) / (N - 1)


def per_coordinate(G, B):
    G = np.asarray(G, dtype=float)
    N = len(G)
    return G.var(axis=0) / B * (N - B) / (N - 1)


def pooled_entries(G, B):
    G = np.asarray(G, dtype=float)
    N = len(G)
    return np.var(G) / B * (N - B) / (N - 1)


def one_pass(G, B):
    G = np.asarray(G, dtype=float)
    N = len(G)
    sigma2 = np.mean(np.sum(G**2, axis=1)) - np.sum(G.mean(axis=0) ** 2)
    return sigma2 / B * (N - B) / (N - 1)


def centred_in_place(G, B):
    N = len(G)
    G -= G.mean(axis=0)                               # changes the caller's array
    return np.mean(np.sum(G**2, axis=1)) / B * (N - B) / (N - 1)


def swapped(G, B):                                    # uncatalogued: N and B confused
    G = np.asarray(G, dtype=float)
    N = len(G)
    return _spread(G) / N * (N - B) / (N - 1)


def stub(G, B):
    raise NotImplementedError


@pytest.mark.parametrize("solution", [formula, other_form, enumerate_all])
def test_correct_solutions_pass(solution, capsys):
    r = check_minibatch_noise(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, name", [
    (with_replacement, "with replacement"), (ddof_one, "ddof = 1"), (over_n, "(N − B)/N"),
    (standard_deviation, "standard deviation"), (not_centred, "not centred"), (root_b, "1/√B"),
    (per_coordinate, "per coordinate"), (one_pass, "one-pass variance"),
    (pooled_entries, "variance of all entries"),
])
def test_each_mistake_is_named(wrong, name):
    r = check_minibatch_noise(wrong)
    assert r.status == "failed" and r.mistakes and r.mistakes[0] == name, (r.mistakes, r.message)


def test_in_place_centring_is_reported():
    r = check_minibatch_noise(centred_in_place)
    assert r.status == "failed" and "in place" in r.mistakes and "G" in r.message


def test_stub_is_not_attempted(capsys):
    r = check_minibatch_noise(stub)
    assert r.status == "not attempted"
    assert "not attempted yet" in capsys.readouterr().out


def test_uncatalogued_mistake_gets_the_generic_message():
    r = check_minibatch_noise(swapped)
    assert r.status == "failed" and r.mistakes == []
    assert "σ²/B · (N − B)/(N − 1)" in r.message


def only_small_batches(G, B):
    """Right on every hand-picked case (B ≤ 3), wrong for B ≥ 4."""
    return formula(G, B) if B <= 3 else with_replacement(G, B)


def test_the_sweep_catches_what_the_cases_miss():
    r = check_minibatch_noise(only_small_batches)
    assert r.status == "failed" and "random inputs failed" in r.message
