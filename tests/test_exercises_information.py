"""The notebook-16 checkers (dlmath/exercises/information.py): correct solutions pass (two
different ones each), each catalogued mistake — written as real wrong code — is caught under its
own name, a stub is "not attempted", uncatalogued wrong solutions get expected-vs-got with the
generic hint, an input-mutating one the in-place hint, the sweeps catch what the hand-picked cases
miss, and each sweep's oracle agrees with an independent computation."""
import math

import numpy as np
import pytest

from dlmath import info
from dlmath.exercises import (check_entropy, check_kl_divergence, check_log_softmax,
                              check_smoothed_cross_entropy)
from dlmath.exercises import information as I
import dlmath.nn.functional as F


def stub(*args):
    raise NotImplementedError


def _named(result, name):
    return result.status == "failed" and result.mistakes and result.mistakes[0] == name


# --------------------------------------------------------------------------------------------
# entropy
# --------------------------------------------------------------------------------------------

def ent_where(p, base):
    p = np.asarray(p, dtype=float)
    terms = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    return -terms.sum(axis=-1) / np.log(base)


def ent_loops(p, base):                               # row by row, math only, zeros skipped
    p = np.asarray(p, dtype=float)
    rows = p.reshape(-1, p.shape[-1])
    out = [-sum(x * math.log(x, base) for x in r if x > 0) for r in rows]
    return np.array(out).reshape(p.shape[:-1])


def _plogp(p):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(p, dtype=float) * np.log(p)


ENT_WRONG = {
    "0·log 0 = nan": lambda p, b: -np.sum(p * np.log(p), axis=-1) / np.log(b),
    "epsilon in the log": lambda p, b: -np.sum(np.asarray(p) * np.log(np.asarray(p) + 1e-12),
                                               axis=-1) / np.log(b),
    "divided by log₁₀(base)": lambda p, b: ent_where(p, math.e) / np.log10(b),
    "natural log whatever the base": lambda p, b: ent_where(p, math.e),
    "log₂ whatever the base": lambda p, b: ent_where(p, 2),
    "multiplied by ln(base)": lambda p, b: ent_where(p, math.e) * np.log(b),
    "minus sign forgotten": lambda p, b: -ent_where(p, b),
    "Σ log p without the weights": lambda p, b: -np.sum(
        np.where(p > 0, np.log(np.where(p > 0, p, 1.0)), 0.0), axis=-1) / np.log(b),
    "mean instead of sum": lambda p, b: -np.mean(np.nan_to_num(_plogp(p)), axis=-1) / np.log(b),
    "surprises not summed": lambda p, b: -np.nan_to_num(_plogp(p)) / np.log(b),
    "keepdims": lambda p, b: -np.nansum(_plogp(p), axis=-1, keepdims=True) / np.log(b),
    "summed over the whole batch": lambda p, b: -np.nansum(_plogp(p)) / np.log(b),
    "summed over the first axis": lambda p, b: -np.nansum(_plogp(p), axis=0) / np.log(b),
}


@pytest.mark.parametrize("solution", [ent_where, ent_loops])
def test_entropy_correct(solution, capsys):
    r = check_entropy(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(ENT_WRONG))
def test_entropy_mistakes(name):
    r = check_entropy(ENT_WRONG[name])
    assert _named(r, name), (r.mistakes, r.message)


def test_entropy_clip_is_told_about_epsilon():
    def clipped(p, base):
        q = np.clip(np.asarray(p, dtype=float), 1e-12, 1.0)
        return -np.sum(q * np.log(q), axis=-1) / np.log(base)
    assert _named(check_entropy(clipped), "epsilon in the log")


def test_entropy_stub_in_place_generic():
    assert check_entropy(stub).status == "not attempted"

    def zeros_patched_in_place(p, base):
        p[p == 0] = 1.0                               # changes the caller's array
        return -np.sum(p * np.log(p), axis=-1) / np.log(base)
    r = check_entropy(zeros_patched_in_place)
    assert r.status == "failed" and ("in place" in r.mistakes
                                     or "integer array in place" in r.mistakes)

    r = check_entropy(lambda p, b: ent_where(p, b) * 1.01)
    assert r.status == "failed" and r.mistakes == [] and "expected" in r.message
    assert "over axis=-1" in r.message


def test_entropy_sweep_catches_what_the_cases_miss():
    def breaks_beyond_eight(p, base):                # right for K ≤ 8 only
        p = np.asarray(p, dtype=float)
        return ent_where(p, base) if p.shape[-1] <= 8 else ent_where(p[..., :8], base)
    r = check_entropy(breaks_beyond_eight)
    assert r.status == "failed" and "random inputs failed" in r.message


def test_entropy_oracle_is_independent():
    rng = np.random.default_rng(1)
    for _ in range(5):
        p = rng.dirichlet(np.ones(6), size=3)
        p[0, 2] = 0
        p[0] /= p[0].sum()
        for base in (2, math.e, 10):
            assert np.allclose(I._entropy_oracle(p, base), info.entropy(p, base=base),
                               rtol=1e-12, atol=1e-15)
    assert I._entropy_oracle(np.full(8, 0.125), 2) == pytest.approx(3.0, abs=1e-15)


# --------------------------------------------------------------------------------------------
# kl_divergence
# --------------------------------------------------------------------------------------------

def kl_where(p, q):
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    pos = p > 0
    with np.errstate(divide="ignore"):
        t = np.where(pos, p * (np.log(np.where(pos, p, 1.0)) - np.log(np.where(pos, q, 1.0))),
                     0.0)
    return t.sum(axis=-1)


def kl_loops(p, q):                                   # row by row, the two conventions as ifs
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    out = []
    for a, b in zip(p.reshape(-1, p.shape[-1]), q.reshape(-1, q.shape[-1])):
        total = 0.0
        for x, y in zip(a, b):
            if x == 0:
                continue
            if y == 0:
                total = math.inf
                break
            total += x * math.log(x / y)
        out.append(total)
    return np.array(out).reshape(p.shape[:-1])


def _naive_terms(p, q):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(p, dtype=float) * np.log(np.asarray(p, dtype=float) / q)


def kl_dropped(p, q):
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    ok = (p > 0) & (q > 0)
    return np.where(ok, p * np.log(np.where(ok, p, 1.0) / np.where(ok, q, 1.0)), 0.0).sum(-1)


KL_WRONG = {
    "arguments swapped": lambda p, q: kl_where(q, p),
    "0·log 0 = nan": lambda p, q: np.sum(_naive_terms(p, q), axis=-1),
    "+inf lost": kl_dropped,
    "sign flipped": lambda p, q: -kl_where(p, q),
    "cross-entropy returned": lambda p, q: info.cross_entropy(p, q),
    "log₂": lambda p, q: kl_where(p, q) / np.log(2),
    "symmetrised": lambda p, q: 0.5 * (kl_where(p, q) + kl_where(q, p)),
    "mean instead of sum": lambda p, q: np.mean(np.nan_to_num(_naive_terms(p, q)), axis=-1),
    "terms not summed": lambda p, q: np.nan_to_num(_naive_terms(p, q)),
    "keepdims": lambda p, q: np.nansum(_naive_terms(p, q), axis=-1, keepdims=True),
    "summed over the first axis": lambda p, q: np.nansum(_naive_terms(p, q), axis=0),
    "summed over the whole batch": lambda p, q: np.nansum(_naive_terms(p, q)),
}


def kl_epsilon(p, q):                                 # clipping q: huge finite, not inf
    p = np.asarray(p, dtype=float)
    return np.sum(np.where(p > 0, p * np.log(np.where(p > 0, p, 1) / (np.asarray(q) + 1e-12)),
                           0), axis=-1)


@pytest.mark.parametrize("solution", [kl_where, kl_loops])
def test_kl_correct(solution, capsys):
    r = check_kl_divergence(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(KL_WRONG))
def test_kl_mistakes(name):
    r = check_kl_divergence(KL_WRONG[name])
    assert _named(r, name), (r.mistakes, r.message)


def test_kl_epsilon_is_told_about_inf():
    r = check_kl_divergence(kl_epsilon)
    assert _named(r, "+inf lost") and "epsilon" in r.message


def test_kl_stub_in_place_generic():
    assert check_kl_divergence(stub).status == "not attempted"

    def q_patched_in_place(p, q):
        q[q == 0] = 1e-300                            # changes the caller's q
        return kl_where(p, q)
    r = check_kl_divergence(q_patched_in_place)
    assert r.status == "failed" and ("in place" in r.mistakes
                                     or "integer array in place" in r.mistakes)
    r = check_kl_divergence(lambda p, q: kl_where(p, q) ** 2)
    assert r.status == "failed" and r.mistakes == [] and "expected" in r.message
    assert "ln p_k − ln q_k" in r.message


def test_kl_sweep_catches_what_the_cases_miss():
    def only_short_batches(p, q):                     # a batch beyond 2 rows loses its last row
        out = kl_where(p, q)
        if np.ndim(out) >= 1 and out.size > 4:
            out = out.copy()
            out.flat[-1] = 0.0
        return out
    r = check_kl_divergence(only_short_batches)
    assert r.status == "failed" and "random inputs failed" in r.message


def test_kl_oracle_is_independent():
    rng = np.random.default_rng(2)
    for _ in range(5):
        p, q = rng.dirichlet(np.ones(5), size=2), rng.dirichlet(np.ones(5), size=2)
        p[1, 0] = 0
        p[1] /= p[1].sum()
        assert np.allclose(I._kl_oracle(p, q), info.kl_divergence(p, q), rtol=1e-12, atol=1e-15)
    inf = I._kl_oracle(np.array([[0.5, 0.5], [0.0, 1.0]]), np.array([[1.0, 0.0], [0.0, 1.0]]))
    assert inf[0] == math.inf and inf[1] == 0.0
    assert info.kl_divergence([0.5, 0.5], [1.0, 0.0]) == math.inf


# --------------------------------------------------------------------------------------------
# log_softmax
# --------------------------------------------------------------------------------------------

def ls_shift(z):
    z = np.asarray(z, dtype=float)
    m = z.max(axis=-1, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=-1, keepdims=True))


def ls_log1p(z):                                      # 1 + Σ_{j ≠ argmax}, its log by log1p
    z = np.asarray(z, dtype=float)
    k = z.argmax(axis=-1)[..., None]
    m = np.take_along_axis(z, k, axis=-1)
    e = np.exp(z - m)
    np.put_along_axis(e, k, 0.0, axis=-1)
    return z - m - np.log1p(e.sum(axis=-1, keepdims=True))


def _softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def ls_global(z):
    z = np.asarray(z, dtype=float)
    m = z.max()
    return z - m - np.log(np.exp(z - m).sum(axis=-1, keepdims=True))


def ls_mean_shift(z):
    z = np.asarray(z, dtype=float)
    m = z.mean(axis=-1, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=-1, keepdims=True))


def ls_first_shift(z):
    z = np.asarray(z, dtype=float)
    m = z[..., :1]
    return z - m - np.log(np.exp(z - m).sum(axis=-1, keepdims=True))


def ls_no_keepdims(z):
    z = np.asarray(z, dtype=float)
    m = z.max(axis=-1)
    return z - m - np.log(np.exp(z - m).sum(axis=-1))


LS_WRONG = {
    "overflow": lambda z: np.asarray(z) - np.log(np.exp(z).sum(axis=-1, keepdims=True)),
    "log of the softmax": lambda z: np.log(_softmax(z)),
    "one max for the whole batch": ls_global,
    "shift by something other than the max": ls_mean_shift,
    "m not added back": lambda z: np.asarray(z, float) - np.log(
        np.exp(z - np.max(z, -1, keepdims=True)).sum(-1, keepdims=True)),
    "log-sum missing": lambda z: np.asarray(z, float) - np.max(z, -1, keepdims=True),
    "softmax returned": _softmax,
    "log-sum-exp returned": lambda z: np.max(z, -1) + np.log(
        np.exp(z - np.max(z, -1, keepdims=True)).sum(-1)),
    "wrong axis": lambda z: ls_shift(np.asarray(z).T).T if np.ndim(z) == 2 else ls_shift(z),
    "keepdims": ls_no_keepdims,
}


@pytest.mark.parametrize("solution", [ls_shift, ls_log1p])
def test_log_softmax_correct(solution, capsys):
    r = check_log_softmax(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(LS_WRONG))
def test_log_softmax_mistakes(name):
    r = check_log_softmax(LS_WRONG[name])
    assert _named(r, name), (r.mistakes, r.message)


def test_log_softmax_first_entry_shift():
    assert _named(check_log_softmax(ls_first_shift), "shift by something other than the max")


def test_log_softmax_stub_in_place_generic():
    assert check_log_softmax(stub).status == "not attempted"

    def shifted_in_place(z):
        z -= z.max(axis=-1, keepdims=True)            # changes the caller's z
        return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    r = check_log_softmax(shifted_in_place)
    assert r.status == "failed" and ("in place" in r.mistakes
                                     or "integer array in place" in r.mistakes)
    r = check_log_softmax(lambda z: ls_shift(z) * 1.001)
    assert r.status == "failed" and r.mistakes == [] and "expected" in r.message
    assert "keepdims=True" in r.message


def test_log_softmax_sweep_catches_what_the_cases_miss():
    def breaks_on_wide_rows(z):                       # right unless K ≥ 5
        z = np.asarray(z, dtype=float)
        return ls_shift(z) if z.shape[-1] < 5 else ls_shift(z) + 1e-6
    r = check_log_softmax(breaks_on_wide_rows)
    assert r.status == "failed" and "random inputs failed" in r.message


def test_log_softmax_oracle_is_independent():
    rng = np.random.default_rng(3)
    for _ in range(5):
        z = rng.normal(0, 10, (3, 4)) + rng.choice([0.0, 1e3, -1e3], (3, 1))
        assert np.allclose(I._log_softmax_oracle(z), F.log_softmax(z, dim=-1).data,
                           rtol=1e-13, atol=1e-12)
    assert np.array_equal(I._log_softmax_oracle(np.array([0.0, -2000.0])), [-0.0, -2000.0])


# --------------------------------------------------------------------------------------------
# smoothed_cross_entropy
# --------------------------------------------------------------------------------------------

def sce_matrix(logits, targets, eps):
    logp = ls_shift(logits)
    N, K = logp.shape
    q = np.full((N, K), eps / K)
    q[np.arange(N), targets] += 1 - eps
    return float(np.mean(-(q * logp).sum(axis=1)))


def sce_decomposed(logits, targets, eps):             # (1 − ε)·CE + ε·mean(−log p) per row
    logp = ls_log1p(logits)
    nll = -logp[np.arange(len(logp)), targets]
    uniform = -logp.mean(axis=1)
    return float(np.mean((1 - eps) * nll + eps * uniform))


def _sce(target=None, pred=None, log=ls_shift, reduce=np.mean, logits_map=None):
    def fn(logits, targets, eps):
        z = np.asarray(logits, dtype=float)
        if logits_map is not None:
            z = logits_map(z, eps)
        N, K = z.shape
        onehot = np.eye(K)[targets]
        q = (1 - eps) * onehot + eps / K if target is None else target(onehot, eps, K)
        with np.errstate(all="ignore"):
            logp = log(z) if pred is None else np.log(pred(_softmax(z), eps, K))
            return reduce(-(q * logp).sum(axis=1))
    return fn


def _rest(w):
    return lambda oh, e, K: (1 - e) * oh + w(e, K) * (1 - oh)


def _naive_log_softmax(z):
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


SCE_WRONG = {
    "ε/(K − 1)": _sce(target=_rest(lambda e, K: e / (K - 1) if K > 1 else 0.0)),
    "ε/K on the other classes only": _sce(target=_rest(lambda e, K: e / K)),
    "(1 − ε) missing": _sce(target=lambda oh, e, K: oh + e / K),
    "ε and 1 − ε swapped": _sce(target=lambda oh, e, K: e * oh + (1 - e) / K),
    "ε ignored": _sce(target=lambda oh, e, K: oh),
    "prediction smoothed": _sce(target=lambda oh, e, K: oh,
                                pred=lambda s, e, K: (1 - e) * s + e / K),
    "logits smoothed": _sce(target=lambda oh, e, K: oh, logits_map=lambda z, e: (1 - e) * z),
    "ε not divided by K": _sce(target=lambda oh, e, K: (1 - e) * oh + e),
    "minus sign forgotten": lambda z, y, e: -sce_matrix(z, y, e),
    "one max for the whole batch": _sce(log=lambda z: z - z.max() - np.log(
        np.exp(z - z.max()).sum(axis=1, keepdims=True))),
    "sum over the batch": _sce(reduce=np.sum),
    "averaged over the classes too": lambda z, y, e: float(np.mean(
        -((1 - e) * np.eye(np.shape(z)[1])[y] + e / np.shape(z)[1]) * ls_shift(z))),
    "per-example losses": _sce(reduce=lambda a: a),
    "overflow": _sce(log=_naive_log_softmax),
    "log of the softmax": _sce(log=lambda z: np.log(_softmax(z))),
}


@pytest.mark.parametrize("solution", [sce_matrix, sce_decomposed])
def test_smoothed_ce_correct(solution, capsys):
    r = check_smoothed_cross_entropy(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(SCE_WRONG))
def test_smoothed_ce_mistakes(name):
    r = check_smoothed_cross_entropy(SCE_WRONG[name])
    assert _named(r, name), (r.mistakes, r.message)


def test_smoothed_ce_logits_plus_constant_is_also_logits_smoothed():
    wrong = _sce(target=lambda oh, e, K: oh, logits_map=lambda z, e: (1 - e) * z + e / z.shape[1])
    assert _named(check_smoothed_cross_entropy(wrong), "logits smoothed")


def test_smoothed_ce_stub_in_place_generic():
    assert check_smoothed_cross_entropy(stub).status == "not attempted"

    def logits_shifted_in_place(logits, targets, eps):
        logits -= logits.max(axis=1, keepdims=True)   # changes the caller's logits
        return sce_matrix(logits, targets, eps)
    r = check_smoothed_cross_entropy(logits_shifted_in_place)
    assert r.status == "failed" and ("in place" in r.mistakes
                                     or "integer array in place" in r.mistakes)
    r = check_smoothed_cross_entropy(lambda z, y, e: sce_matrix(z, y, e) + 0.01)
    assert r.status == "failed" and r.mistakes == [] and "expected" in r.message
    assert "q = (1 − ε)·onehot(y) + ε/K" in r.message


def test_smoothed_ce_sweep_catches_what_the_cases_miss():
    def breaks_for_many_classes(logits, targets, eps):     # right for K ≤ 4 only
        K = np.shape(logits)[1]
        return sce_matrix(logits, targets, eps) if K <= 4 else \
            sce_matrix(logits, targets, eps * (K - 1) / K)
    r = check_smoothed_cross_entropy(breaks_for_many_classes)
    assert r.status == "failed" and "random inputs failed" in r.message


def test_smoothed_ce_oracle_is_independent():
    rng = np.random.default_rng(4)
    for eps in (0.0, 0.1, 0.4):
        z = rng.normal(0, 5, (4, 6))
        y = rng.integers(6, size=4)
        torch_style = F.cross_entropy(z, y, label_smoothing=eps).item()
        assert I._smoothed_ce_oracle(z, y, eps) == pytest.approx(torch_style, rel=1e-12)
