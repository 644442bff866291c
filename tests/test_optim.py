"""dlmath.optim: update rules against hand-written references, kernels against NumPy, theory."""
import copy
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import dlmath
from dlmath import optim
from dlmath.optim import _kernels

# ---------------------------------------------------------------------------------------------
# The test problem: f(θ) = ½ θᵀAθ − bᵀθ, ∇f = Aθ − b, with A symmetric positive definite.
# ---------------------------------------------------------------------------------------------
_rng = np.random.default_rng(1234)
_Q = np.linalg.qr(_rng.standard_normal((4, 4)))[0]
A = _Q @ np.diag([0.5, 1.0, 2.0, 4.0]) @ _Q.T
A = (A + A.T) / 2
B = _rng.standard_normal(4)
THETA0 = _rng.standard_normal(4)
STEPS = 50


def grad_f(theta):
    return A @ theta - B


def run_dlmath(cls, kwargs, steps=STEPS, theta0=THETA0, grad=grad_f, dtype=np.float64):
    """Positions θ₁ … θ_steps of a dlmath optimizer fed the exact gradient."""
    p = dlmath.tensor(theta0.astype(dtype), requires_grad=True)
    opt = cls([p], **kwargs)
    path = []
    for _ in range(steps):
        p.grad = dlmath.tensor(grad(p.data.astype(np.float64)).astype(dtype))
        opt.step()
        path.append(p.data.copy())
    return np.array(path), opt, p


# ---------------------------------------------------------------------------------------------
# Reference implementations: the published update rules written out plainly (PyTorch's docs).
# ---------------------------------------------------------------------------------------------
def ref_sgd(lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False,
            maximize=False, grad=grad_f, steps=STEPS):
    theta, buf, path = THETA0.copy(), None, []
    for _ in range(steps):
        g = grad(theta)
        if maximize:
            g = -g
        if weight_decay != 0:
            g = g + weight_decay * theta
        if momentum != 0:
            if buf is None:
                buf = g.copy()
            else:
                buf = momentum * buf + (1 - dampening) * g
            if nesterov:
                g = g + momentum * buf
            else:
                g = buf
        theta = theta - lr * g
        path.append(theta)
    return np.array(path)


def ref_adagrad(lr=1e-2, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0,
                eps=1e-10, maximize=False, steps=STEPS):
    theta = THETA0.copy()
    state_sum = np.full_like(theta, initial_accumulator_value)
    path = []
    for t in range(1, steps + 1):
        g = grad_f(theta)
        if maximize:
            g = -g
        if weight_decay != 0:
            g = g + weight_decay * theta
        clr = lr / (1 + (t - 1) * lr_decay)
        state_sum = state_sum + g * g
        theta = theta - clr * g / (np.sqrt(state_sum) + eps)
        path.append(theta)
    return np.array(path)


def ref_rmsprop(lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False,
                maximize=False, steps=STEPS):
    theta = THETA0.copy()
    v = np.zeros_like(theta)
    g_avg = np.zeros_like(theta)
    buf = np.zeros_like(theta)
    path = []
    for _ in range(steps):
        g = grad_f(theta)
        if maximize:
            g = -g
        if weight_decay != 0:
            g = g + weight_decay * theta
        v = alpha * v + (1 - alpha) * g ** 2
        v_tilde = v
        if centered:
            g_avg = alpha * g_avg + (1 - alpha) * g
            v_tilde = v - g_avg ** 2
        if momentum > 0:
            buf = momentum * buf + g / (np.sqrt(v_tilde) + eps)
            theta = theta - lr * buf
        else:
            theta = theta - lr * g / (np.sqrt(v_tilde) + eps)
        path.append(theta)
    return np.array(path)


def ref_adam(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False,
             maximize=False, decoupled=False, steps=STEPS):
    beta1, beta2 = betas
    theta = THETA0.copy()
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    v_max = np.zeros_like(theta)
    path = []
    for t in range(1, steps + 1):
        g = grad_f(theta)
        if maximize:
            g = -g
        if decoupled:
            theta = theta * (1 - lr * weight_decay)
        elif weight_decay != 0:
            g = g + weight_decay * theta
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g ** 2
        m_hat = m / (1 - beta1 ** t)
        if amsgrad:
            v_max = np.maximum(v_max, v)
            v_hat = v_max / (1 - beta2 ** t)
        else:
            v_hat = v / (1 - beta2 ** t)
        theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
        path.append(theta)
    return np.array(path)


def ref_adamw(weight_decay=0.01, **kw):
    return ref_adam(weight_decay=weight_decay, decoupled=True, **kw)


CASES = [
    (optim.SGD, ref_sgd, dict(lr=0.1)),
    (optim.SGD, ref_sgd, dict(lr=0.1, momentum=0.9)),
    (optim.SGD, ref_sgd, dict(lr=0.1, momentum=0.9, dampening=0.3)),
    (optim.SGD, ref_sgd, dict(lr=0.1, momentum=0.8, nesterov=True)),
    (optim.SGD, ref_sgd, dict(lr=0.05, momentum=0.5, weight_decay=0.2, nesterov=True)),
    (optim.SGD, ref_sgd, dict(lr=0.1, weight_decay=0.5)),
    (optim.SGD, ref_sgd, dict(lr=0.01, momentum=0.9, maximize=True)),
    (optim.Adagrad, ref_adagrad, dict(lr=0.5)),
    (optim.Adagrad, ref_adagrad, dict(lr=0.5, lr_decay=0.05)),
    (optim.Adagrad, ref_adagrad, dict(lr=0.5, weight_decay=0.3, initial_accumulator_value=0.7)),
    (optim.Adagrad, ref_adagrad, dict(lr=0.5, eps=1e-3, maximize=True)),
    (optim.RMSprop, ref_rmsprop, dict(lr=0.01)),
    (optim.RMSprop, ref_rmsprop, dict(lr=0.01, alpha=0.9, centered=True)),
    (optim.RMSprop, ref_rmsprop, dict(lr=0.01, momentum=0.7)),
    (optim.RMSprop, ref_rmsprop, dict(lr=0.01, momentum=0.5, centered=True, weight_decay=0.1,
                                      eps=1e-4)),
    (optim.RMSprop, ref_rmsprop, dict(lr=0.001, maximize=True)),
    (optim.Adam, ref_adam, dict(lr=0.1)),
    (optim.Adam, ref_adam, dict(lr=0.1, betas=(0.8, 0.99), eps=1e-6)),
    (optim.Adam, ref_adam, dict(lr=0.1, weight_decay=0.3)),
    (optim.Adam, ref_adam, dict(lr=0.1, amsgrad=True)),
    (optim.Adam, ref_adam, dict(lr=0.05, amsgrad=True, weight_decay=0.1, maximize=True)),
    (optim.AdamW, ref_adamw, dict(lr=0.1)),
    (optim.AdamW, ref_adamw, dict(lr=0.1, weight_decay=0.5, amsgrad=True)),
    (optim.AdamW, ref_adamw, dict(lr=0.1, betas=(0.5, 0.9), maximize=True)),
]


def _case_id(case):
    cls, _, kw = case
    return cls.__name__ + "-" + "-".join(f"{k}={v}" for k, v in kw.items())


@pytest.mark.parametrize("fused", [None, False], ids=["numba", "numpy"])
@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_matches_published_update_rule(case, fused):
    cls, ref, kwargs = case
    path, _, _ = run_dlmath(cls, dict(kwargs, fused=fused))
    expected = ref(**kwargs)
    np.testing.assert_allclose(path, expected, rtol=1e-12, atol=1e-12)
    assert not np.allclose(path[-1], THETA0)            # it actually moved


def test_defaults_follow_pytorch():
    p = dlmath.tensor(np.zeros(2), requires_grad=True)
    assert optim.SGD([p]).defaults["lr"] == 1e-3
    assert optim.Adagrad([p]).defaults == dict(lr=0.01, lr_decay=0, weight_decay=0,
                                                initial_accumulator_value=0, eps=1e-10,
                                                maximize=False, fused=None)
    rms = optim.RMSprop([p]).defaults
    assert (rms["lr"], rms["alpha"], rms["eps"], rms["momentum"], rms["centered"]) == \
        (0.01, 0.99, 1e-8, 0, False)
    adam = optim.Adam([p]).defaults
    assert (adam["lr"], adam["betas"], adam["eps"], adam["weight_decay"], adam["amsgrad"]) == \
        (1e-3, (0.9, 0.999), 1e-8, 0, False)
    assert optim.AdamW([p]).defaults["weight_decay"] == 0.01
    # default lr actually used: one SGD step moves by 1e-3·g
    p.grad = dlmath.tensor(np.array([1.0, -2.0]))
    optim.SGD([p]).step()
    np.testing.assert_allclose(p.data, [-1e-3, 2e-3])


def test_maximize_on_minus_f_equals_minimize_on_f():
    for cls, kw in [(optim.SGD, dict(lr=0.1, momentum=0.9)), (optim.Adam, dict(lr=0.1)),
                    (optim.RMSprop, dict(lr=0.01, centered=True)), (optim.Adagrad, dict(lr=0.3))]:
        down, _, _ = run_dlmath(cls, kw)
        up, _, _ = run_dlmath(cls, dict(kw, maximize=True), grad=lambda th: -grad_f(th))
        np.testing.assert_array_equal(down, up)


def test_autograd_gradients_drive_the_optimizer():
    """The full loop with backward(): Adam on the quadratic reaches θ* = A⁻¹b."""
    theta = dlmath.tensor(THETA0.copy(), requires_grad=True)
    At, bt = dlmath.tensor(A), dlmath.tensor(B)
    opt = optim.Adam([theta], lr=0.05)
    for _ in range(1500):
        opt.zero_grad()
        loss = 0.5 * (theta @ (At @ theta)) - bt @ theta
        loss.backward()
        opt.step()
    np.testing.assert_allclose(theta.data, np.linalg.solve(A, B), atol=1e-6)


# ---------------------------------------------------------------------------------------------
# Fused kernels against the NumPy versions.
# ---------------------------------------------------------------------------------------------
def _kernel_args(name, n, dtype, rng, opts):
    """Arrays and scalars for one kernel call, scalars already cast to dtype as the optimizers do."""
    d = dtype
    p = rng.standard_normal(n).astype(d)
    g = rng.standard_normal(n).astype(d)
    pos = lambda: np.abs(rng.standard_normal(n)).astype(d) + d(0.1)       # noqa: E731
    if name == "sgd":
        return [p, g, rng.standard_normal(n).astype(d), d(opts["lr"]), d(opts["momentum"]),
                d(1 - opts["dampening"]), d(opts["wd"]), opts["nesterov"], opts["maximize"],
                opts["first"]]
    if name == "adagrad":
        return [p, g, pos(), d(opts["lr"]), d(opts["eps"]), d(opts["wd"]), opts["maximize"]]
    if name == "rmsprop":
        sq, ga = pos() + d(1.0), rng.standard_normal(n).astype(d) * d(0.1)
        return [p, g, sq, ga, rng.standard_normal(n).astype(d), d(opts["lr"]), d(opts["alpha"]),
                d(1 - opts["alpha"]), d(opts["eps"]), d(opts["wd"]), d(opts["momentum"]),
                opts["centered"], opts["maximize"]]
    t = opts["t"]
    b1, b2 = opts["betas"]
    return [p, g, rng.standard_normal(n).astype(d), pos(), pos(), d(b1), d(1 - b1), d(b2),
            d(1 - b2), d(opts["lr"] / (1 - b1 ** t)), d(math.sqrt(1 - b2 ** t)), d(opts["eps"]),
            d(opts["wd"]), d(1 - opts["lr"] * opts["wd"]), opts["decoupled"], opts["amsgrad"],
            opts["maximize"]]


@settings(deadline=None, max_examples=60)
@given(name=st.sampled_from(["sgd", "adagrad", "rmsprop", "adam"]),
       n=st.integers(0, 40), dtype=st.sampled_from([np.float32, np.float64]),
       seed=st.integers(0, 2 ** 32 - 1),
       lr=st.floats(1e-4, 1.0), momentum=st.sampled_from([0.0, 0.5, 0.9]),
       dampening=st.sampled_from([0.0, 0.2]), wd=st.sampled_from([0.0, 0.1]),
       flags=st.tuples(st.booleans(), st.booleans(), st.booleans(), st.booleans()),
       t=st.integers(1, 100))
def test_fused_kernel_equals_numpy_version(name, n, dtype, seed, lr, momentum, dampening, wd,
                                           flags, t):
    nesterov, maximize, flag_a, flag_b = flags
    opts = dict(lr=lr, momentum=momentum, dampening=0.0 if nesterov else dampening, wd=wd,
                nesterov=nesterov and momentum > 0, maximize=maximize, first=flag_a, eps=1e-8,
                alpha=0.9, centered=flag_a, betas=(0.9, 0.999), t=t, decoupled=flag_a,
                amsgrad=flag_b)
    fused_args = _kernel_args(name, n, dtype, np.random.default_rng(seed), opts)
    numpy_args = _kernel_args(name, n, dtype, np.random.default_rng(seed), opts)
    for _ in range(3):                                   # a few steps, state carried along
        getattr(_kernels, name + "_fused")(*fused_args)
        getattr(_kernels, name + "_numpy")(*numpy_args)
    for a, b in zip(fused_args, numpy_args):
        if isinstance(a, np.ndarray):
            assert a.dtype == dtype
            rtol = 1e-14 if dtype == np.float64 else 1e-6
            np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol)


@pytest.mark.parametrize("case", CASES[::3], ids=[_case_id(c) for c in CASES[::3]])
def test_fused_and_numpy_optimizers_agree(case):
    cls, _, kwargs = case
    fused, _, _ = run_dlmath(cls, dict(kwargs, fused=True))
    plain, _, _ = run_dlmath(cls, dict(kwargs, fused=False))
    np.testing.assert_allclose(fused, plain, rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize("case", CASES[::2], ids=[_case_id(c) for c in CASES[::2]])
def test_float32_parameters_stay_float32(case):
    cls, _, kwargs = case
    path32, opt, p = run_dlmath(cls, kwargs, steps=20, dtype=np.float32)
    path64, _, _ = run_dlmath(cls, kwargs, steps=20)
    assert p.data.dtype == np.float32 and path32.dtype == np.float32
    for value in opt.state[p].values():
        if isinstance(value, np.ndarray):
            assert value.dtype == np.float32
    np.testing.assert_allclose(path32, path64, rtol=1e-3, atol=1e-3)


# ---------------------------------------------------------------------------------------------
# Theory: step-size limit of gradient descent, heavy-ball rate.
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("L", [0.5, 2.0, 10.0])
def test_gradient_descent_converges_below_2_over_L_and_diverges_above(L):
    def run(lr, steps=200):
        x = dlmath.tensor(np.array([1.0]), requires_grad=True)
        opt = optim.SGD([x], lr=lr)
        xs = []
        for _ in range(steps):
            x.grad = dlmath.tensor(L * x.data)          # f(x) = L/2 x²
            opt.step()
            xs.append(x.data[0])
        return np.array(xs)

    for factor in (0.5, 1.0, 1.9, 2.1, 2.5):
        lr = factor / L
        xs = run(lr)
        np.testing.assert_allclose(xs, (1 - lr * L) ** np.arange(1, 201), rtol=1e-10, atol=1e-300)
        if factor < 2:
            assert abs(xs[-1]) < 1e-4
        else:
            assert abs(xs[-1]) > 1e4


@pytest.mark.parametrize("kappa", [10.0, 100.0, 1000.0])
def test_heavy_ball_rate_matches_theory(kappa):
    """With α = 4/(√L+√μ)², β = ((√κ−1)/(√κ+1))², the error shrinks like ρᵏ, ρ = (√κ−1)/(√κ+1)."""
    mu, L = 1.0, kappa
    alpha = 4 / (math.sqrt(L) + math.sqrt(mu)) ** 2
    rho = (math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)
    beta = rho ** 2
    D = np.array([mu, L])
    x = dlmath.tensor(np.array([1.0, 1.0]), requires_grad=True)
    opt = optim.SGD([x], lr=alpha, momentum=beta)
    steps = int(40 / (1 - rho))                         # ~e^-40 of progress
    errors = []
    for _ in range(steps):
        x.grad = dlmath.tensor(D * x.data)
        opt.step()
        errors.append(np.linalg.norm(x.data))
    errors = np.array(errors)
    k = np.arange(1, steps + 1)
    # Both eigen-directions sit exactly on the critical damping, a double eigenvalue ρ: the error
    # is (a + b·k)·ρᵏ. Divide the linear factor out and fit the rate on the second half.
    tail = slice(steps // 2, steps)
    slope = np.polyfit(k[tail], np.log(errors[tail] / k[tail]), 1)[0]
    assert abs(math.exp(slope) - rho) < 0.01 * (1 - rho)
    # and it beats the best plain gradient descent rate (κ−1)/(κ+1) by orders of magnitude
    gd_rate = (kappa - 1) / (kappa + 1)
    assert errors[-1] < 1e-6 * gd_rate ** steps or errors[-1] < 1e-12


# ---------------------------------------------------------------------------------------------
# API: validation, groups, skipping, zero_grad, state dicts.
# ---------------------------------------------------------------------------------------------
def _p(*values):
    return dlmath.tensor(np.array(values or [1.0, 2.0], dtype=float), requires_grad=True)


BAD = [
    (optim.SGD, dict(lr=-0.1), ["lr=-0.1", ">= 0"]),
    (optim.SGD, dict(lr=0.1, momentum=-0.5), ["momentum=-0.5", ">= 0"]),
    (optim.SGD, dict(lr=0.1, weight_decay=-1), ["weight_decay=-1", ">= 0"]),
    (optim.SGD, dict(lr=0.1, nesterov=True), ["nesterov", "momentum > 0"]),
    (optim.SGD, dict(lr=0.1, momentum=0.9, dampening=0.1, nesterov=True),
     ["nesterov", "dampening = 0"]),
    (optim.Adagrad, dict(eps=0), ["eps=0", "> 0"]),
    (optim.Adagrad, dict(lr_decay=-1), ["lr_decay=-1"]),
    (optim.Adagrad, dict(initial_accumulator_value=-0.1), ["initial_accumulator_value=-0.1"]),
    (optim.RMSprop, dict(alpha=1.5), ["alpha=1.5"]),
    (optim.RMSprop, dict(momentum=-0.1), ["momentum=-0.1"]),
    (optim.RMSprop, dict(eps=-1e-8), ["eps=-1e-08"]),
    (optim.Adam, dict(betas=(1.0, 0.999)), ["betas[0]=1.0", "0 <= betas[0] < 1"]),
    (optim.Adam, dict(betas=(0.9, -0.1)), ["betas[1]=-0.1"]),
    (optim.Adam, dict(eps=0.0), ["eps=0.0", "> 0"]),
    (optim.Adam, dict(lr=float("nan")), ["lr=nan"]),
    (optim.AdamW, dict(weight_decay=-0.01), ["weight_decay=-0.01"]),
]


@pytest.mark.parametrize("cls,kwargs,words", BAD, ids=[f"{c.__name__}-{k}" for c, k, _ in BAD])
def test_bad_hyperparameters_raise_value_error_naming_them(cls, kwargs, words):
    with pytest.raises(ValueError) as err:
        cls([_p()], **kwargs)
    message = str(err.value)
    assert cls.__name__ in message
    for word in words:
        assert word in message


def test_bad_hyperparameter_in_a_param_group_is_caught():
    with pytest.raises(ValueError, match="lr=-1"):
        optim.SGD([{"params": [_p()]}, {"params": [_p()], "lr": -1}], lr=0.1)


def test_params_must_be_an_iterable_not_a_tensor_and_not_empty():
    with pytest.raises(TypeError, match="wrap it in a list"):
        optim.SGD(_p(), lr=0.1)
    with pytest.raises(ValueError, match="empty parameter list"):
        optim.Adam([])
    with pytest.raises(TypeError, match="floating-point"):
        optim.SGD([dlmath.tensor(np.array([1, 2]))], lr=0.1)
    p = _p()
    with pytest.raises(ValueError, match="more than one parameter group"):
        optim.SGD([{"params": [p]}, {"params": [p]}], lr=0.1)


def test_generator_of_params_and_param_groups_with_own_lr():
    a, b, c = _p(1.0), _p(1.0), _p(1.0)
    opt = optim.SGD(iter([a]), lr=0.5)                  # a generator works
    assert opt.param_groups[0]["params"] == [a]
    opt = optim.SGD([{"params": [a, b]}, {"params": [c], "lr": 0.01, "momentum": 0.9}],
                    lr=0.1, weight_decay=0.0)
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.01]
    assert opt.param_groups[0]["momentum"] == 0 and opt.param_groups[1]["momentum"] == 0.9
    for p in (a, b, c):
        p.grad = dlmath.tensor(np.array([2.0]))
    opt.step()
    np.testing.assert_allclose([a.data[0], b.data[0], c.data[0]], [1 - 0.2, 1 - 0.2, 1 - 0.02])
    d = _p(3.0)
    opt.add_param_group({"params": d, "lr": 1.0})
    d.grad = dlmath.tensor(np.array([1.0]))
    opt.step()
    assert d.data[0] == 2.0 and opt.param_groups[2]["momentum"] == 0


def test_parameters_without_gradient_are_skipped():
    a, b = _p(1.0), _p(1.0)
    opt = optim.Adam([a, b], lr=0.1)
    a.grad = dlmath.tensor(np.array([1.0]))
    opt.step()
    assert a.data[0] != 1.0 and b.data[0] == 1.0
    assert a in opt.state and b not in opt.state and len(opt.state) == 1


def test_stand_in_parameter_objects_work():
    from types import SimpleNamespace
    p = SimpleNamespace(data=np.array([1.0, -1.0]), grad=SimpleNamespace(data=np.array([1.0, 1.0])),
                        requires_grad=True)
    optim.SGD([p], lr=0.25).step()
    np.testing.assert_allclose(p.data, [0.75, -1.25])


def test_zero_grad():
    a = _p()
    opt = optim.SGD([a], lr=0.1)
    a.grad = dlmath.tensor(np.array([1.0, 1.0]))
    opt.zero_grad(set_to_none=False)
    np.testing.assert_array_equal(a.grad.data, [0.0, 0.0])
    opt.zero_grad()
    assert a.grad is None


def test_non_contiguous_parameter_is_updated_in_place():
    base = np.arange(12.0).reshape(3, 4)
    p = dlmath.tensor(base, requires_grad=True)
    p.data = np.asfortranarray(base)                    # same values, Fortran order
    data_before = p.data
    p.grad = dlmath.tensor(np.ones((3, 4)))
    opt = optim.SGD([p], lr=0.5, momentum=0.9)
    opt.step()
    opt.step()
    assert p.data is data_before                         # same array, updated in place
    np.testing.assert_allclose(p.data, base - 0.5 * 1 - 0.5 * 1.9)


@pytest.mark.parametrize("case", CASES[1::3], ids=[_case_id(c) for c in CASES[1::3]])
def test_state_dict_round_trip_continues_identically(case):
    cls, _, kwargs = case
    path, opt, p = run_dlmath(cls, kwargs, steps=10)
    saved = opt.state_dict()
    snapshot = copy.deepcopy(saved)
    # continue the original for 10 more steps
    for _ in range(10):
        p.grad = dlmath.tensor(grad_f(p.data))
        opt.step()
    # the snapshot did not change while the optimizer went on
    for key, value in snapshot["state"][0].items():
        np.testing.assert_array_equal(saved["state"][0][key], value)
    # a fresh optimizer on a copy of the parameter, loaded from the snapshot, retraces the path
    q = dlmath.tensor(path[-1].copy(), requires_grad=True)
    fresh = cls([q], lr=123.0)                           # wrong lr: load_state_dict restores it
    fresh.load_state_dict(saved)
    assert fresh.param_groups[0]["lr"] == kwargs["lr"]
    for _ in range(10):
        q.grad = dlmath.tensor(grad_f(q.data))
        fresh.step()
    np.testing.assert_array_equal(q.data, p.data)


def test_state_dict_layout_is_pytorch_like():
    a, b, c = _p(), _p(), _p()
    opt = optim.Adam([{"params": [a, b]}, {"params": [c], "lr": 0.5}], lr=0.1)
    for p in (a, c):
        p.grad = dlmath.tensor(np.ones(2))
    opt.step()
    sd = opt.state_dict()
    assert [g["params"] for g in sd["param_groups"]] == [[0, 1], [2]]
    assert sorted(sd["state"]) == [0, 2]
    assert sd["state"][0]["step"] == 1 and set(sd["state"][2]) == {"step", "exp_avg", "exp_avg_sq"}
    assert sd["param_groups"][1]["lr"] == 0.5
    other = optim.Adam([_p()], lr=0.1)
    with pytest.raises(ValueError, match="parameter group"):
        other.load_state_dict(sd)


def test_closure_is_called_and_its_loss_returned():
    x = _p(3.0)
    opt = optim.SGD([x], lr=0.1)

    def closure():
        opt.zero_grad()
        loss = (x * x).sum()
        loss.backward()
        return loss

    loss = opt.step(closure)
    assert loss.item() == 9.0
    np.testing.assert_allclose(x.data, [3.0 - 0.1 * 6.0])


# ---------------------------------------------------------------------------------------------
# Against torch.optim itself, when it is installed.
# ---------------------------------------------------------------------------------------------
TORCH_CASES = [c for c in CASES if c[0] is not optim.SGD or "maximize" not in c[2]][::2] + [
    (optim.SGD, None, dict(lr=0.01, momentum=0.9, maximize=True))]


@pytest.mark.parametrize("case", TORCH_CASES, ids=[_case_id(c) for c in TORCH_CASES])
def test_trajectory_matches_torch_optim(case):
    torch = pytest.importorskip("torch")
    cls, _, kwargs = case
    path, _, _ = run_dlmath(cls, kwargs, steps=30)
    tp = torch.tensor(THETA0.copy(), dtype=torch.float64, requires_grad=True)
    topt = getattr(torch.optim, cls.__name__)([tp], **kwargs)
    tpath = []
    for _ in range(30):
        tp.grad = torch.from_numpy(grad_f(tp.detach().numpy().copy()))
        topt.step()
        tpath.append(tp.detach().numpy().copy())
    np.testing.assert_allclose(path, np.array(tpath), rtol=1e-12, atol=1e-12)


def test_import_compiles_nothing():
    """Kernels compile (or load from the cache) on their first call, never at import."""
    import subprocess
    import sys
    code = ("import dlmath.optim; from dlmath.optim import _kernels as k; "
            "print(sum(len(getattr(k, n).signatures) for n in k.__all__ if n.endswith('_fused')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"
