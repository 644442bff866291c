"""The notebook-21 checkers (dlmath/exercises/optimizers.py): correct solutions pass (two
different ones each), each catalogued mistake — written as real wrong code — is caught under its
own name, a stub is "not attempted", uncatalogued wrong solutions get expected-vs-got, an
input-mutating one the in-place hint, the sweep catches what the hand-picked cases miss, the
oracle agrees with dlmath.optim (and PyTorch when installed), and the notebook's solutions pass."""
import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

import dlmath
from dlmath.exercises import check_adam_decay_step, check_adam_step
from dlmath.exercises import optimizers as ex

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "21_adaptive_optimizers.ipynb"


def stub(*args):
    raise NotImplementedError


def _named(result, name):
    return result.status == "failed" and result.mistakes and result.mistakes[0] == name


# --------------------------------------------------------------------------------------------
# adam_step
# --------------------------------------------------------------------------------------------

def adam_paper(theta, g, m, v, t, lr, betas, eps):
    b1, b2 = betas
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    m_hat = m / (1 - b1 ** t)
    v_hat = v / (1 - b2 ** t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def adam_pytorch_arrangement(theta, g, m, v, t, lr, betas, eps):
    """torch's arrangement, in place on copies: lerp for m, addcmul for v, step size folded."""
    b1, b2 = betas
    theta, m, v = theta.copy(), m.copy(), v.copy()
    m += (g - m) * (1 - b1)
    v *= b2
    v += (1 - b2) * g ** 2
    step_size = lr / (1 - b1 ** t)
    denom = np.sqrt(v) / math.sqrt(1 - b2 ** t) + eps
    theta -= step_size * m / denom
    return theta, m, v


def _adam(**flags):
    return lambda theta, g, m, v, t, lr, betas, eps: ex._variant(theta, g, m, v, t, lr, betas,
                                                                  eps, **flags)


def adam_t_from_zero(theta, g, m, v, t, lr, betas, eps):   # a counter that starts at 0
    return adam_paper(theta, g, m, v, t - 1, lr, betas, eps)


def adam_state_corrected_inplace(theta, g, m, v, t, lr, betas, eps):
    """bias correction applied to the running averages in place — the state is corrupted"""
    b1, b2 = betas
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    m /= 1 - b1 ** t
    v /= 1 - b2 ** t
    return theta - lr * m / (np.sqrt(v) + eps), m, v


def adam_eps_inside(theta, g, m, v, t, lr, betas, eps):
    b1, b2 = betas
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g ** 2
    return theta - lr * (m / (1 - b1 ** t)) / np.sqrt(v / (1 - b2 ** t) + eps), m, v


def adam_efficient(theta, g, m, v, t, lr, betas, eps):   # Kingma & Ba's α_t form
    b1, b2 = betas
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g ** 2
    alpha_t = lr * math.sqrt(1 - b2 ** t) / (1 - b1 ** t)
    return theta - alpha_t * m / (np.sqrt(v) + eps), m, v


def adam_old_state(theta, g, m, v, t, lr, betas, eps):
    b1, b2 = betas
    new = theta - lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)
    return new, b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g


ADAM_WRONG = {
    "t − 1 in the bias correction": adam_t_from_zero,
    "t + 1 in the bias correction": _adam(t_shift=1),
    "corrected averages returned as the state": adam_state_corrected_inplace,
    "no bias correction": _adam(bias1=False, bias2=False),
    "no bias correction of m": _adam(bias1=False),
    "no bias correction of v": _adam(bias2=False),
    "ε inside the square root": adam_eps_inside,
    "ε on the uncorrected √v": adam_efficient,
    "betas swapped": _adam(swap_betas=True),
    "(1 − β) missing": _adam(one_minus=False),
    "|g| instead of g²": _adam(square=False),
    "no square root": _adam(sqrt=False),
    "step with the previous averages": adam_old_state,
    "step uphill": _adam(sign=-1.0),
    "bias correction applied to θ": _adam(bias_on_theta=True),
}


@pytest.mark.parametrize("solution", [adam_paper, adam_pytorch_arrangement])
def test_adam_correct(solution, capsys):
    r = check_adam_step(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(ADAM_WRONG))
def test_adam_mistakes(name):
    r = check_adam_step(ADAM_WRONG[name])
    assert _named(r, name), (r.mistakes, r.message)


def test_adam_state_corrected_for_one_moment_only():
    def m_hat_stored(theta, g, m, v, t, lr, betas, eps):
        new, m_new, v_new = adam_paper(theta, g, m, v, t, lr, betas, eps)
        return new, m_new / (1 - betas[0] ** t), v_new
    assert _named(check_adam_step(m_hat_stored), "corrected averages returned as the state")

    def v_hat_stored(theta, g, m, v, t, lr, betas, eps):
        new, m_new, v_new = adam_paper(theta, g, m, v, t, lr, betas, eps)
        return new, m_new, v_new / (1 - betas[1] ** t)
    assert _named(check_adam_step(v_hat_stored), "corrected averages returned as the state")


def test_adam_stub_generic_in_place(capsys):
    assert check_adam_step(stub).status == "not attempted"
    assert "not attempted" in capsys.readouterr().out

    def lr_doubled(theta, g, m, v, t, lr, betas, eps):
        return adam_paper(theta, g, m, v, t, 2 * lr, betas, eps)
    r = check_adam_step(lr_doubled)
    assert r.status == "failed" and r.mistakes == [] and "expected" in r.message

    def in_place(theta, g, m, v, t, lr, betas, eps):       # torch-style, on the caller's arrays
        b1, b2 = betas
        m *= b1
        m += (1 - b1) * g
        v *= b2
        v += (1 - b2) * g * g
        theta -= lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)
        return theta, m, v
    r = check_adam_step(in_place)
    assert r.status == "failed" and "in place" in r.mistakes and "theta" in r.message


def test_adam_sweep_catches_what_the_cases_miss():
    def long_runs_wrong(theta, g, m, v, t, lr, betas, eps):   # drops the correction for t > 50
        if t > 50:
            return _adam(bias2=False)(theta, g, m, v, t, lr, betas, eps)
        return adam_paper(theta, g, m, v, t, lr, betas, eps)
    r = check_adam_step(long_runs_wrong)
    assert r.status == "failed" and "random inputs failed" in r.message


def test_adam_overflowing_square_fails_on_huge_gradients():
    def via_norm(theta, g, m, v, t, lr, betas, eps):          # g² for 1e200 would overflow
        b1, b2 = betas
        g = np.clip(g, -1e50, 1e50)
        return adam_paper(theta, g, m, v, t, lr, betas, eps)
    assert not check_adam_step(via_norm)


def test_adam_oracle_matches_dlmath_optim_and_torch():
    """A run of dlmath.optim.Adam (fused and NumPy kernels) and, when installed, torch.optim.Adam
    in float64 agree with the oracle iterated step by step."""
    rng = np.random.default_rng(3)
    theta0 = rng.standard_normal(5)
    grads = rng.standard_normal((30, 5)) * np.array([1e-3, 1, 10, 1e3, 0.1])
    kw = dict(lr=0.05, betas=(0.8, 0.99), eps=1e-3)
    runs = {}
    for fused in (True, False):
        p = dlmath.tensor(theta0.copy(), requires_grad=True)
        opt = dlmath.optim.Adam([p], fused=fused, **kw)
        path = []
        for g in grads:
            p.grad = dlmath.tensor(g.copy())
            opt.step()
            path.append(p.data.copy())
        runs[fused] = np.array(path)
    theta, m, v = theta0, np.zeros(5), np.zeros(5)
    for t, g in enumerate(grads, start=1):
        (theta, m, v), _ = ex._oracle(theta, g, m, v, t, kw["lr"], kw["betas"], kw["eps"])
        assert np.allclose(runs[True][t - 1], theta, rtol=1e-13, atol=1e-15)
        assert np.allclose(runs[False][t - 1], theta, rtol=1e-13, atol=1e-15)
    torch = pytest.importorskip("torch")
    p = torch.tensor(theta0.copy(), requires_grad=True)
    opt = torch.optim.Adam([p], **kw)
    for g in grads:
        p.grad = torch.tensor(g.copy())
        opt.step()
    assert np.allclose(p.detach().numpy(), theta, rtol=1e-13, atol=1e-15)


def test_history_states_are_exponential_averages():
    """The sweep's m, v from the closed form equal the recursion run over the same history."""
    rng = np.random.default_rng(0)
    b = (0.9, 0.99)
    g, m, v = ex._history_state(np.random.default_rng(5), 40, (3,), 2.0, b)
    rng = np.random.default_rng(5)
    mean = rng.standard_normal((3,)) * 2.0
    mult = float(rng.choice([0.1, 1, 3]))
    hist = mean + rng.standard_normal((39, 3)) * 2.0 * mult
    mr, vr = np.zeros(3), np.zeros(3)
    for gk in hist:
        mr, vr = b[0] * mr + (1 - b[0]) * gk, b[1] * vr + (1 - b[1]) * gk ** 2
    assert np.allclose(m, mr, rtol=1e-12) and np.allclose(v, vr, rtol=1e-12)


# --------------------------------------------------------------------------------------------
# adam_decay_step
# --------------------------------------------------------------------------------------------

def decay_via_adam(theta, g, m, v, t, lr, betas, eps, weight_decay, decoupled):
    if decoupled:
        return adam_paper(theta - lr * weight_decay * theta, g, m, v, t, lr, betas, eps)
    return adam_paper(theta, g + weight_decay * theta, m, v, t, lr, betas, eps)


def decay_written_out(theta, g, m, v, t, lr, betas, eps, weight_decay, decoupled):
    b1, b2 = betas
    theta = np.array(theta, dtype=float)
    if decoupled:
        theta *= 1 - lr * weight_decay
    else:
        g = g + weight_decay * theta
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g ** 2
    denom = np.sqrt(v) / math.sqrt(1 - b2 ** t) + eps
    return theta - lr / (1 - b1 ** t) * m / denom, m, v


def _dec(**flags):
    return lambda *a: ex._variant(*a, **flags)


def decay_after(theta, g, m, v, t, lr, betas, eps, weight_decay, decoupled):
    if decoupled:
        new, m, v = adam_paper(theta, g, m, v, t, lr, betas, eps)
        return new - lr * weight_decay * new, m, v
    return decay_via_adam(theta, g, m, v, t, lr, betas, eps, weight_decay, False)


DECAY_WRONG = {
    "conventions swapped": lambda *a: decay_via_adam(*a[:9], not a[9]),
    "weight decay ignored": lambda *a: adam_paper(*a[:8]),
    "decay not multiplied by lr": _dec(decay_lr=False),
    "decay bias-corrected": _dec(decay_bc=True),
    "decay divided by √v̂ + ε": _dec(decay_scaled=True),
    "decay applied after the Adam step": decay_after,
    "L2 and decoupled decay both": _dec(both=True),
    "2λθ for the L2 gradient": _dec(l2_factor=2.0),
    "L2 gradient not in v": _dec(l2_in_v=False),
}


@pytest.mark.parametrize("solution", [decay_via_adam, decay_written_out])
def test_decay_correct(solution, capsys):
    r = check_adam_decay_step(solution)
    assert r, r.message
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(DECAY_WRONG))
def test_decay_mistakes(name):
    r = check_adam_decay_step(DECAY_WRONG[name])
    assert _named(r, name), (r.mistakes, r.message)


def test_decay_stub_generic_in_place():
    assert check_adam_decay_step(stub).status == "not attempted"

    def adam_inside_wrong(theta, g, m, v, t, lr, betas, eps, weight_decay, decoupled):
        if decoupled:
            theta = theta - lr * weight_decay * theta
        else:
            g = g + weight_decay * theta
        return _adam(eps_inside=True)(theta, g, m, v, t, lr, betas, eps)
    r = check_adam_decay_step(adam_inside_wrong)
    assert r.status == "failed" and "expected" in r.message

    def in_place(theta, g, m, v, t, lr, betas, eps, weight_decay, decoupled):
        if decoupled:
            theta *= 1 - lr * weight_decay                  # on the caller's θ
            return adam_paper(theta, g, m, v, t, lr, betas, eps)
        return decay_via_adam(theta, g, m, v, t, lr, betas, eps, weight_decay, False)
    r = check_adam_decay_step(in_place)
    assert r.status == "failed" and "in place" in r.mistakes


def test_decay_sweep_catches_what_the_cases_miss():
    def big_arrays_wrong(theta, g, m, v, t, lr, betas, eps, weight_decay, decoupled):
        if np.size(theta) > 4 and decoupled:
            return _dec(decay_bc=True)(theta, g, m, v, t, lr, betas, eps, weight_decay, True)
        return decay_via_adam(theta, g, m, v, t, lr, betas, eps, weight_decay, decoupled)
    r = check_adam_decay_step(big_arrays_wrong)
    assert r.status == "failed" and "random inputs failed" in r.message


def test_decay_oracle_matches_dlmath_optim_and_torch():
    rng = np.random.default_rng(4)
    theta0 = rng.standard_normal(4)
    grads = rng.standard_normal((25, 4)) * np.array([1e-2, 1, 1e2, 0.3])
    kw = dict(lr=0.1, betas=(0.9, 0.99), eps=1e-6, weight_decay=0.7)
    for decoupled, cls in ((False, dlmath.optim.Adam), (True, dlmath.optim.AdamW)):
        p = dlmath.tensor(theta0.copy(), requires_grad=True)
        opt = cls([p], **kw)
        theta, m, v = theta0, np.zeros(4), np.zeros(4)
        for t, g in enumerate(grads, start=1):
            p.grad = dlmath.tensor(g.copy())
            opt.step()
            (theta, m, v), _ = ex._oracle(theta, g, m, v, t, kw["lr"], kw["betas"], kw["eps"],
                                          kw["weight_decay"], decoupled)
            assert np.allclose(p.data, theta, rtol=1e-12, atol=1e-15), (decoupled, t)
    torch = pytest.importorskip("torch")
    for decoupled, cls in ((False, torch.optim.Adam), (True, torch.optim.AdamW)):
        p = torch.tensor(theta0.copy(), requires_grad=True)
        opt = cls([p], **kw)
        theta, m, v = theta0, np.zeros(4), np.zeros(4)
        for t, g in enumerate(grads, start=1):
            p.grad = torch.tensor(g.copy())
            opt.step()
            (theta, m, v), _ = ex._oracle(theta, g, m, v, t, kw["lr"], kw["betas"], kw["eps"],
                                          kw["weight_decay"], decoupled)
        assert np.allclose(p.detach().numpy(), theta, rtol=1e-12, atol=1e-15), decoupled


# --------------------------------------------------------------------------------------------
# the notebook's solutions
# --------------------------------------------------------------------------------------------

def _solutions():
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    code = []
    for cell in cells:
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"])
            if "<summary>Solution" in text:
                code += re.findall(r"```python\n(.*?)```", text, flags=re.S)
    return code


@pytest.mark.skipif(not NOTEBOOK.exists(), reason="notebook 21 not built yet")
def test_notebook_solutions_pass():
    code = _solutions()
    assert len(code) == 2
    env = {"np": np, "math": math}
    for block in code:
        exec(block, env)
    assert check_adam_step(env["adam_step"])
    assert check_adam_decay_step(env["adam_decay_step"])
