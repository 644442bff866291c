"""The notebook-18 checkers (dlmath/exercises/losses_convexity.py): correct solutions pass (two
different ones each), each catalogued mistake — written as real wrong code — is caught under its
own name, a stub is "not attempted", uncatalogued wrong solutions get expected-vs-got, an
input-mutating one the in-place hint, the sweep catches what the hand-picked cases miss, and each
sweep's oracle agrees with an independent computation."""
from fractions import Fraction

import numpy as np
import pytest

import dlmath
import dlmath.nn.functional as F
from dlmath.exercises import check_huber, check_quadratic_convexity, check_svm_objective
from dlmath.exercises import losses_convexity as lc


def stub(*args):
    raise NotImplementedError


def _named(result, name):
    return result.status == "failed" and result.mistakes and result.mistakes[0] == name


# --------------------------------------------------------------------------------------------
# huber
# --------------------------------------------------------------------------------------------

def huber_where(r, delta):
    r = np.asarray(r, dtype=float)
    inside = np.abs(r) <= delta
    return (np.where(inside, 0.5 * r ** 2, delta * (np.abs(r) - 0.5 * delta)),
            np.where(inside, r, delta * np.sign(r)))


def huber_clip(r, delta):                       # ℓ = ½c² + δ(|r| − |c|) with c = clip(r, ±δ)
    r = np.array(r, dtype=float)
    c = np.clip(r, -delta, delta)
    return 0.5 * c * c + delta * (np.abs(r) - np.abs(c)), c


def _hub(loss_in, loss_out, slope_in, slope_out):
    def f(r, delta):
        r = np.asarray(r, dtype=float)
        a = np.abs(r)
        inside = a <= delta
        return (np.where(inside, loss_in(r, delta), loss_out(r, delta)),
                np.where(inside, slope_in(r, delta), slope_out(r, delta)))
    return f


_half = lambda r, d: 0.5 * r * r
_lin = lambda r, d: d * (np.abs(r) - 0.5 * d)
_id = lambda r, d: r
_clip = lambda r, d: d * np.sign(r)

HUBER_WRONG = {
    "SmoothL1 convention": _hub(lambda r, d: 0.5 * r * r / d, lambda r, d: np.abs(r) - 0.5 * d,
                                lambda r, d: r / d, lambda r, d: np.sign(r)),
    "branch constant δ²": _hub(_half, lambda r, d: d * np.abs(r) - d * d, _id, _clip),
    "no branch constant": _hub(_half, lambda r, d: d * np.abs(r), _id, _clip),
    "½ missing": _hub(lambda r, d: r * r, lambda r, d: 2 * d * np.abs(r) - d * d,
                      lambda r, d: 2 * r, lambda r, d: 2 * d * np.sign(r)),
    "branches swapped": lambda r, d: (np.where(np.abs(r) <= d, _lin(r, d), _half(r, d)),
                                      np.where(np.abs(r) <= d, _clip(r, d), r)),
    "r for |r| in the tail": _hub(_half, lambda r, d: d * (r - 0.5 * d), _id, _clip),
    "threshold r² ≤ δ": lambda r, d: (np.where(r * r <= d, _half(r, d), _lin(r, d)),
                                      np.where(r * r <= d, r, _clip(r, d))),
    "slope not clipped": _hub(_half, _lin, _id, _id),
    "sign lost in the tail": _hub(_half, _lin, _id, lambda r, d: d + 0 * r),
    "slope 2r inside": _hub(_half, _lin, lambda r, d: 2 * r, _clip),
    "MAE slope": _hub(_half, _lin, lambda r, d: np.sign(r), lambda r, d: np.sign(r)),
    "mean returned": lambda r, d: tuple(np.mean(v) for v in huber_where(r, d)),
}


@pytest.mark.parametrize("solution", [huber_where, huber_clip])
def test_huber_correct(solution, capsys):
    r = check_huber(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(HUBER_WRONG))
def test_huber_mistakes(name):
    r = check_huber(HUBER_WRONG[name])
    assert _named(r, name), (r.mistakes, r.message)


def test_huber_stub_generic_in_place(capsys):
    assert check_huber(stub).status == "not attempted"
    assert "not attempted" in capsys.readouterr().out
    r = check_huber(lambda r, d: tuple(1.01 * v for v in huber_where(r, d)))
    assert r.status == "failed" and r.mistakes == [] and "expected" in r.message

    def in_place(r, delta):
        loss, slope = huber_where(r, delta)
        r *= 0                                      # clobbers the caller's residuals
        return loss, slope
    r = check_huber(in_place)
    assert r.status == "failed" and ("in place" in r.mistakes
                                     or "integer array in place" in r.mistakes)


def test_huber_sweep_catches_what_the_cases_miss():
    def only_small_arrays(r, delta):                # right up to 7 residuals, MSE beyond
        loss, slope = huber_where(r, delta)
        return (loss, slope) if np.size(r) <= 7 else (0.5 * np.asarray(r, float) ** 2, slope)
    r = check_huber(only_small_arrays)
    assert r.status == "failed" and "random inputs failed" in r.message


def test_huber_oracle_matches_pytorch_convention():
    """The Moreau-envelope oracle agrees with dlmath's huber_loss (PyTorch's HuberLoss) and is
    δ × smooth_l1_loss(beta=δ) — the convention the exercise states."""
    rng = np.random.default_rng(5)
    for delta in (0.01, 0.7, 1.0, 30.0):
        r = rng.standard_normal(50) * delta * 4
        loss, slope = lc._huber_oracle(r, delta)
        x = dlmath.tensor(r, requires_grad=True)
        lib = F.huber_loss(x, dlmath.tensor(np.zeros(50)), reduction="sum", delta=delta)
        lib.backward()
        assert np.allclose(loss.sum(), lib.item(), rtol=1e-12)
        assert np.allclose(slope, x.grad.numpy(), rtol=1e-12, atol=1e-15)
        sl1 = F.smooth_l1_loss(dlmath.tensor(r), dlmath.tensor(np.zeros(50)), reduction="none",
                               beta=delta).numpy()
        assert np.allclose(loss, delta * sl1, rtol=1e-12, atol=1e-300)


# --------------------------------------------------------------------------------------------
# svm_objective
# --------------------------------------------------------------------------------------------

def svm_vector(w, b, X, y, lam):
    m = y * (X @ w + b)
    viol = m < 1
    J = 0.5 * lam * (w @ w) + np.maximum(0.0, 1 - m).mean()
    return (J, lam * w - (y[viol, None] * X[viol]).sum(axis=0) / len(y),
            -y[viol].sum() / len(y))


def svm_loops(w, b, X, y, lam):                 # one example at a time, plain floats
    N, d = X.shape
    J = 0.5 * lam * sum(float(v) ** 2 for v in w)
    gw, gb = [lam * float(v) for v in w], 0.0
    for i in range(N):
        m = y[i] * (sum(float(X[i, j]) * float(w[j]) for j in range(d)) + b)
        if m < 1:
            J += (1 - m) / N
            for j in range(d):
                gw[j] -= y[i] * X[i, j] / N
            gb -= y[i] / N
    return J, np.array(gw), gb


def _svm(**flags):
    return lambda w, b, X, y, lam: lc._svm_variant(w, b, X, y, lam, **flags)


def svm_bias_grad_only(w, b, X, y, lam):        # λb in grad_b, J right
    J, gw, gb = svm_vector(w, b, X, y, lam)
    return J, gw, gb + lam * b


def svm_double_grad_only(w, b, X, y, lam):      # J right, grad 2λw
    J, gw, gb = svm_vector(w, b, X, y, lam)
    return J, gw + lam * w, gb


SVM_WRONG = {
    "no max(0, ·)": _svm(nomax=True),
    "subgradient sign flipped": _svm(sign=-1.0),
    "margin counted (≤)": _svm(le=True),
    "mean over the violators": _svm(per_violator=True),
    "sums instead of means": _svm(total=True),
    "bias regularised": _svm(reg_b=True),
    "½ missing from λ/2 ‖w‖²": _svm(reg_factor=1.0),
    "regulariser's gradient forgotten": _svm(reg_grad=False),
    "regulariser missing from J": _svm(reg_in_J=False),
    "perceptron loss (margin 0)": _svm(margin=0.0),
}


@pytest.mark.parametrize("solution", [svm_vector, svm_loops])
def test_svm_correct(solution, capsys):
    r = check_svm_objective(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(SVM_WRONG))
def test_svm_mistakes(name):
    r = check_svm_objective(SVM_WRONG[name])
    assert _named(r, name), (r.mistakes, r.message)


def test_svm_partial_mistakes_recognised():
    assert _named(check_svm_objective(svm_bias_grad_only), "bias regularised")
    assert _named(check_svm_objective(svm_double_grad_only), "½ missing from λ/2 ‖w‖²")


def test_svm_stub_generic_in_place():
    assert check_svm_objective(stub).status == "not attempted"

    def no_mean_in_grad_b(w, b, X, y, lam):      # grad_b not divided by N
        J, gw, gb = svm_vector(w, b, X, y, lam)
        return J, gw, gb * len(y)
    r = check_svm_objective(no_mean_in_grad_b)
    assert r.status == "failed" and r.mistakes == [] and "grad_b: expected" in r.message

    def in_place(w, b, X, y, lam):
        out = svm_vector(w, b, X, y, lam)
        w -= 0.1 * out[1]                           # a gradient step on the caller's w
        return out
    r = check_svm_objective(in_place)
    assert r.status == "failed" and "in place" in r.mistakes and "w" in r.message


def test_svm_sweep_catches_what_the_cases_miss():
    def wide_only(w, b, X, y, lam):                 # right for d ≤ 3, a dropped feature beyond
        J, gw, gb = svm_vector(w, b, X, y, lam)
        if len(w) > 3:
            gw = gw.copy()
            gw[-1] = 0.0
        return J, gw, gb
    r = check_svm_objective(wide_only)
    assert r.status == "failed" and "random inputs failed" in r.message


def test_svm_oracle_matches_autograd_and_fractions():
    """Away from the kinks the finite-difference oracle equals dlmath's autograd gradient of
    λ/2‖w‖² + mean(relu(1 − y f)); on the margin corners its J equals an exact rational sum."""
    rng = np.random.default_rng(1)
    for i in range(20, 30):
        w, b, X, y, lam = lc._svm_input(rng, i)
        J, gw, gb = lc._svm_oracle(w, b, X, y, lam)
        wt = dlmath.tensor(np.asarray(w, float), requires_grad=True)
        bt = dlmath.tensor(np.array(float(b)), requires_grad=True)
        f = dlmath.tensor(np.asarray(X, float)) @ wt + bt
        loss = 0.5 * lam * (wt * wt).sum() + (1 - dlmath.tensor(y.astype(float)) * f).relu().mean()
        loss.backward()
        assert np.isclose(J, loss.item(), rtol=1e-12)
        assert np.allclose(gw, wt.grad.numpy(), rtol=1e-7, atol=1e-9)
        assert np.isclose(gb, bt.grad.item(), rtol=1e-7, atol=1e-9)
    for i in range(7):
        w, b, X, y, lam = lc._svm_input(None, i)
        exact = Fraction(lam) / 2 * sum(Fraction(v) ** 2 for v in w) + sum(
            max(Fraction(0), 1 - int(yi) * (sum(Fraction(int(x)) * Fraction(v)
                                                 for x, v in zip(row, w)) + Fraction(b)))
            for row, yi in zip(X, y)) / len(y)
        assert lc._svm_oracle(w, b, X, y, lam)[0] == float(exact)


# --------------------------------------------------------------------------------------------
# quadratic_convexity
# --------------------------------------------------------------------------------------------

def _decide(lam, tol):
    if np.any(lam < -tol):
        return "not convex"
    return "strictly convex" if np.all(lam > tol) else "convex"


def qc_eigvalsh(A):
    lam = np.linalg.eigvalsh(A + A.T)
    return _decide(lam, 1e-10 * np.abs(lam).max())


def qc_symmetric_part(A):                       # ½(A + Aᵀ), eigenvalues via eigh
    S = (np.asarray(A, dtype=float) + np.asarray(A, dtype=float).T) / 2
    lam = np.linalg.eigh(S)[0]
    return _decide(lam, 1e-10 * max(abs(lam[0]), abs(lam[-1])))


def _minors_ok(H, strict):
    dets = [np.linalg.det(H[:k, :k]) for k in range(1, len(H) + 1)]
    return all(d > 0 for d in dets) if strict else all(d >= 0 for d in dets)


def qc_strict_tolerance(A):                     # |λ| < tol: the zero matrix has no zeros
    lam = np.linalg.eigvalsh(A + A.T)
    zero = np.abs(lam) < 1e-10 * np.abs(lam).max()
    if np.any(lam[~zero] < 0):
        return "not convex"
    return "convex" if np.any(zero) else "strictly convex"


QC_WRONG = {
    "not symmetrised": lambda A: _decide(np.linalg.eigvals(A).real,
                                         1e-10 * np.abs(np.linalg.eigvals(A)).max()),
    "diagonal only": lambda A: _decide(np.diag(A).astype(float), 1e-10 * np.abs(np.diag(A)).max()),
    "determinant only": lambda A: ("not convex" if np.linalg.det(A + A.T) < 0 else
                                   "strictly convex" if np.linalg.det(A + A.T) > 0 else "convex"),
    "leading principal minors": lambda A: ("strictly convex" if _minors_ok(A + A.T, True) else
                                           "convex" if _minors_ok(A + A.T, False) else
                                           "not convex"),
    "signs reversed": lambda A: qc_eigvalsh(-np.asarray(A, dtype=float)),
    "flat called strictly convex": lambda A: ("not convex" if qc_eigvalsh(A) == "not convex"
                                              else "strictly convex"),
    "flat called not convex": lambda A: ("strictly convex" if qc_eigvalsh(A) == "strictly convex"
                                         else "not convex"),
    "zero matrix": qc_strict_tolerance,
    "no tolerance": lambda A: _decide(np.linalg.eigvalsh(A + A.T), 0.0),
    "absolute tolerance": lambda A: _decide(np.linalg.eigvalsh(A + A.T), 1e-10),
    "not one of the three strings": lambda A: bool(np.all(np.linalg.eigvalsh(A + A.T) >= 0)),
}


@pytest.mark.parametrize("solution", [qc_eigvalsh, qc_symmetric_part])
def test_qc_correct(solution, capsys):
    r = check_quadratic_convexity(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(QC_WRONG))
def test_qc_mistakes(name):
    r = check_quadratic_convexity(QC_WRONG[name])
    assert _named(r, name), (r.mistakes, r.message)


def test_qc_eigvalsh_one_triangle_is_not_symmetrised():
    r = check_quadratic_convexity(lambda A: qc_eigvalsh(np.tril(A) + np.tril(A, -1).T))
    assert _named(r, "not symmetrised"), (r.mistakes, r.message)


def test_qc_stub_generic_in_place():
    assert check_quadratic_convexity(stub).status == "not attempted"
    r = check_quadratic_convexity(lambda A: "convex")
    assert r.status == "failed" and "expected 'strictly convex', got 'convex'" in r.message

    def in_place(A):
        A += A.T                                    # symmetrises the caller's matrix
        return qc_eigvalsh(A / 2)
    r = check_quadratic_convexity(in_place)
    assert r.status == "failed" and ("in place" in r.mistakes
                                     or "integer array in place" in r.mistakes)


def test_qc_sweep_catches_what_the_cases_miss():
    def small_only(A):                              # the diagonal test beyond 5×5
        return qc_eigvalsh(A) if len(A) <= 5 else QC_WRONG["diagonal only"](A)
    r = check_quadratic_convexity(small_only)
    assert r.status == "failed" and "random inputs failed" in r.message


def test_qc_construction_agrees_with_eigenvalues_and_the_definition():
    """The known answers of the sweep's matrices agree with the eigenvalues of A + Aᵀ and, for
    'not convex', with a direction where xᵀAx < 0 (the definition of convexity fails)."""
    rng = np.random.default_rng(18)
    for i in range(150):
        made = lc._convexity_input(rng, i)
        (A,), answer = made.args, made.expected
        assert qc_eigvalsh(A) == answer, i
        H = (A + A.T).astype(float)
        lam, V = np.linalg.eigh(H)
        if answer == "not convex":                  # f(½x + ½(−x)) = 0 > ½f(x) + ½f(−x)
            x = V[:, 0]
            assert x @ A @ x < 0


def test_extra_huber_mistakes_recognised():
    tail_pm1 = _hub(_half, _lin, _id, lambda r, d: np.sign(r))
    assert _named(check_huber(tail_pm1), "tail slope ±1")
    no_abs = lambda r, d: (np.where(np.asarray(r, float) <= d, _half(np.asarray(r, float), d),
                                    _lin(np.asarray(r, float), d)),
                           np.clip(np.asarray(r, float), -d, d))
    assert _named(check_huber(no_abs), "r ≤ δ without |·|")

    def int_out(r, delta):
        loss, slope = np.zeros_like(r), np.zeros_like(r)
        loss[...], slope[...] = huber_where(r, delta)
        return loss, slope
    assert _named(check_huber(int_out), "integer result")


def test_in_place_gets_the_in_place_hint_not_another():
    def qc_in_place(A):
        A += A.T
        return qc_eigvalsh(A / 2)
    r = check_quadratic_convexity(qc_in_place)
    assert r.mistakes[0] in ("in place", "integer array in place"), r.mistakes
