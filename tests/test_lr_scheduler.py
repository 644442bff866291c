"""dlmath.optim.lr_scheduler against hand-computed sequences (and torch when installed)."""
import math

import numpy as np
import pytest

import dlmath
from dlmath import optim
from dlmath.optim import lr_scheduler as S


def make_opt(lr=1.0, cls=optim.SGD, groups=1, **kw):
    params = [dlmath.tensor(np.zeros(2), requires_grad=True) for _ in range(groups)]
    if groups == 1:
        return cls(params, lr=lr, **kw)
    return cls([{"params": [p], "lr": lr * (i + 1)} for i, p in enumerate(params)], lr=lr, **kw)


def lrs(sched, n):
    """[lr at epoch 0, 1, …, n−1] of the first group."""
    out = [sched.get_last_lr()[0]]
    for _ in range(n - 1):
        sched.optimizer.step()
        sched.step()
        out.append(sched.get_last_lr()[0])
    return out


def test_step_lr():
    got = lrs(S.StepLR(make_opt(1.0), step_size=3, gamma=0.5), 10)
    np.testing.assert_allclose(got, [1, 1, 1, .5, .5, .5, .25, .25, .25, .125], rtol=1e-15)


def test_multistep_lr_with_repeated_milestone():
    got = lrs(S.MultiStepLR(make_opt(1.0), milestones=[2, 5, 5], gamma=0.1), 8)
    np.testing.assert_allclose(got, [1, 1, .1, .1, .1, 1e-3, 1e-3, 1e-3], rtol=1e-12)


def test_exponential_lr():
    got = lrs(S.ExponentialLR(make_opt(2.0), gamma=0.5), 5)
    np.testing.assert_allclose(got, [2, 1, .5, .25, .125], rtol=1e-15)


def test_cosine_annealing_lr_by_hand_and_closed_form():
    c = math.cos(math.pi / 4)
    got = lrs(S.CosineAnnealingLR(make_opt(1.0), T_max=4), 9)
    # η_t = ½(1 + cos(πt/4)) for t = 0..4, then back up the same curve
    hand = [1, (1 + c) / 2, 0.5, (1 - c) / 2, 0, (1 - c) / 2, 0.5, (1 + c) / 2, 1]
    np.testing.assert_allclose(got, hand, atol=1e-12)
    got = lrs(S.CosineAnnealingLR(make_opt(0.1), T_max=10, eta_min=0.001), 11)
    closed = [0.001 + 0.5 * (0.1 - 0.001) * (1 + math.cos(math.pi * t / 10)) for t in range(11)]
    np.testing.assert_allclose(got, closed, rtol=1e-12)


def test_linear_lr_warm_up():
    got = lrs(S.LinearLR(make_opt(1.0), start_factor=0.25, total_iters=3), 6)
    np.testing.assert_allclose(got, [0.25, 0.5, 0.75, 1.0, 1.0, 1.0], rtol=1e-12)
    got = lrs(S.LinearLR(make_opt(2.0), start_factor=1.0, end_factor=0.5, total_iters=4), 6)
    np.testing.assert_allclose(got, [2.0, 1.75, 1.5, 1.25, 1.0, 1.0], rtol=1e-12)


def test_one_cycle_lr_and_momentum():
    opt = make_opt(1.0, momentum=0.9)
    sched = S.OneCycleLR(opt, max_lr=1.0, total_steps=10)
    momenta = [opt.param_groups[0]["momentum"]]
    got = [sched.get_last_lr()[0]]
    for _ in range(9):
        opt.step()
        sched.step()
        got.append(sched.get_last_lr()[0])
        momenta.append(opt.param_groups[0]["momentum"])

    def cos_anneal(a, b, p):
        return a + (b - a) * (1 - math.cos(math.pi * p)) / 2

    start, peak = 1.0 / 25, 1.0
    end = start / 1e4
    # phase 1 ends at step 0.3·10 − 1 = 2, phase 2 at step 9
    hand = [cos_anneal(start, peak, t / 2) for t in range(3)] + \
           [cos_anneal(peak, end, (t - 2) / 7) for t in range(3, 10)]
    np.testing.assert_allclose(got, hand, rtol=1e-12, atol=1e-15)
    assert got[0] == pytest.approx(0.04) and got[2] == pytest.approx(1.0)
    assert got[-1] == pytest.approx(4e-6)
    hand_m = [cos_anneal(0.95, 0.85, t / 2) for t in range(3)] + \
             [cos_anneal(0.85, 0.95, (t - 2) / 7) for t in range(3, 10)]
    np.testing.assert_allclose(momenta, hand_m, rtol=1e-12)
    with pytest.raises(ValueError, match="total_steps=10"):
        opt.step()
        sched.step()
        sched.step()


def test_one_cycle_cycles_adam_beta1_and_rejects_adagrad():
    opt = make_opt(1.0, cls=optim.Adam)
    S.OneCycleLR(opt, max_lr=0.1, total_steps=20)
    assert opt.param_groups[0]["betas"] == (0.95, 0.999)
    with pytest.raises(ValueError, match="cycle_momentum"):
        S.OneCycleLR(make_opt(1.0, cls=optim.Adagrad), max_lr=0.1, total_steps=20)


def test_reduce_lr_on_plateau():
    opt = make_opt(1.0)
    sched = S.ReduceLROnPlateau(opt, patience=2, factor=0.5)
    metrics = [10, 9, 9, 9, 9, 8, 8, 8, 8]
    got = []
    for m in metrics:
        sched.step(m)
        got.append(sched.get_last_lr()[0])
    assert got == [1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25]


def test_reduce_lr_on_plateau_cooldown_min_lr_and_max_mode():
    opt = make_opt(1.0)
    sched = S.ReduceLROnPlateau(opt, mode="max", patience=0, factor=0.1, cooldown=1, min_lr=0.005)
    got = []
    for m in [1, 1, 1, 1, 1, 2, 2]:
        sched.step(m)
        got.append(opt.param_groups[0]["lr"])
    # e1 best; e2 bad→cut; e3 cooldown; e4 bad→cut to max(0.01, 0.005); e5 cooldown;
    # e6 improved; e7 bad→cut to 0.005 (the floor)
    np.testing.assert_allclose(got, [1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.005])
    with pytest.raises(ValueError, match="factor"):
        S.ReduceLROnPlateau(opt, factor=1.5)


def test_schedules_change_each_param_group_from_its_own_base_lr():
    opt = make_opt(1.0, groups=2)
    sched = S.StepLR(opt, step_size=1, gamma=0.5)
    opt.step()
    sched.step()
    assert sched.get_last_lr() == [0.5, 1.0]
    assert [g["initial_lr"] for g in opt.param_groups] == [1.0, 2.0]


def test_the_optimizer_uses_the_scheduled_lr():
    x = dlmath.tensor(np.array([0.0]), requires_grad=True)
    opt = optim.SGD([x], lr=1.0)
    sched = S.ExponentialLR(opt, gamma=0.5)
    for _ in range(3):
        x.grad = dlmath.tensor(np.array([-1.0]))
        opt.step()
        sched.step()
    assert x.data[0] == 1.0 + 0.5 + 0.25


def test_state_dict_round_trip():
    opt = make_opt(1.0)
    sched = S.CosineAnnealingLR(opt, T_max=10, eta_min=0.01)
    lrs(sched, 4)
    saved_sched, saved_opt = sched.state_dict(), opt.state_dict()
    assert "optimizer" not in saved_sched and saved_sched["last_epoch"] == 3
    expected = lrs(sched, 6)[1:]
    opt2 = make_opt(1.0)
    sched2 = S.CosineAnnealingLR(opt2, T_max=10, eta_min=0.01)
    opt2.load_state_dict(saved_opt)
    sched2.load_state_dict(saved_sched)
    np.testing.assert_allclose(lrs(sched2, 6)[1:], expected, rtol=1e-15)


@pytest.mark.parametrize("make,pattern", [
    (lambda o: S.StepLR(o, step_size=0), "step_size=0"),
    (lambda o: S.CosineAnnealingLR(o, T_max=0), "T_max=0"),
    (lambda o: S.LinearLR(o, start_factor=0), "start_factor=0"),
    (lambda o: S.MultiStepLR(o, milestones=[5, 2]), "increasing"),
    (lambda o: S.OneCycleLR(o, max_lr=1.0), "total_steps"),
    (lambda o: S.OneCycleLR(o, max_lr=1.0, total_steps=10, pct_start=1.5), "pct_start=1.5"),
    (lambda o: S.ReduceLROnPlateau(o, mode="up"), "mode='up'"),
])
def test_bad_arguments(make, pattern):
    with pytest.raises(ValueError, match=pattern):
        make(make_opt(1.0))


def test_needs_a_dlmath_optimizer():
    with pytest.raises(TypeError, match="not a dlmath.optim.Optimizer"):
        S.StepLR(object(), step_size=1)


TORCH_SCHEDULES = [
    ("StepLR", dict(step_size=3, gamma=0.5), None),
    ("MultiStepLR", dict(milestones=[2, 5, 5, 9], gamma=0.5), None),
    ("ExponentialLR", dict(gamma=0.9), None),
    ("CosineAnnealingLR", dict(T_max=7, eta_min=0.01), None),
    ("LinearLR", dict(start_factor=0.1, total_iters=6), None),
    ("OneCycleLR", dict(max_lr=1.0, total_steps=40), None),
    ("OneCycleLR", dict(max_lr=1.0, total_steps=40, three_phase=True, anneal_strategy="linear"),
     None),
    ("ReduceLROnPlateau", dict(patience=2, cooldown=1, factor=0.5),
     [5, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2] * 2),
]


@pytest.mark.parametrize("name,kwargs,metrics", TORCH_SCHEDULES,
                         ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(TORCH_SCHEDULES)])
def test_matches_torch_lr_sequence(name, kwargs, metrics):
    torch = pytest.importorskip("torch")
    opt = make_opt(0.1, momentum=0.9)
    topt = torch.optim.SGD([torch.zeros(2, requires_grad=True)], lr=0.1, momentum=0.9)
    ours, theirs = getattr(S, name)(opt, **kwargs), getattr(torch.optim.lr_scheduler, name)(
        topt, **kwargs)
    for i in range(39):
        topt.step()
        args = (metrics[i],) if metrics else ()
        ours.step(*args)
        theirs.step(*args)
        assert ours.get_last_lr() == pytest.approx(theirs.get_last_lr(), rel=1e-13, abs=1e-15)
        assert opt.param_groups[0]["momentum"] == pytest.approx(topt.param_groups[0]["momentum"])
