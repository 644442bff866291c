"""The learning-rate schedule explorer: its lr curve must be the real dlmath scheduler's (and the
closed forms of the module docstring), its loss curve the SGD run under exactly those lrs (closed
form Π(1 − ηᵢλⱼ)² for the full batch, a plain loop over the mini-batches otherwise), and the
picture the core's."""
import math

import numpy as np
import pytest

from dlmath import optim
from dlmath.nn import Parameter
from dlmath.optim import lr_scheduler
from dlmath.viz import schedule_explorer
from dlmath.viz.schedule import (N, SCHEDULERS, WARMUP_START, lr_schedule, regression_data,
                                 schedule_compute, train_losses)
from viz_helpers import assert_blit_matches_full_redraw, line_data


def stepped(make, epochs):
    """lr per epoch of a scheduler built by ``make(opt)`` and stepped epochs − 1 times."""
    opt = optim.SGD([Parameter(np.zeros(2))], lr=0.4)
    s = make(opt)
    out = [s.get_last_lr()[0]]
    for _ in range(epochs - 1):
        opt.step()
        s.step()
        out.append(s.get_last_lr()[0])
    return np.array(out)


T = np.arange(40)
CLOSED = {        # (name, params) → the closed form of ηₜ, t = 0 … 39, with η₀ = 0.4
    ("StepLR", (("step_size", 7), ("gamma", 0.5))): 0.4 * 0.5 ** (T // 7),
    ("MultiStepLR", (("milestones", (10, 25)), ("gamma", 0.3))):
        0.4 * 0.3 ** ((T >= 10).astype(int) + (T >= 25)),
    ("ExponentialLR", (("gamma", 0.9),)): 0.4 * 0.9 ** T,
    ("CosineAnnealingLR", (("T_max", 40), ("eta_min", 0.01))):
        0.01 + 0.5 * (0.4 - 0.01) * (1 + np.cos(np.pi * T / 40)),
    ("LinearLR", (("start_factor", 1.0), ("end_factor", 0.1), ("total_iters", 30))):
        0.4 * (1 + (0.1 - 1) * np.minimum(T, 30) / 30),
    ("constant", ()): np.full(40, 0.4),
}


@pytest.mark.parametrize("case", list(CLOSED), ids=[c[0] for c in CLOSED])
def test_epoch_schedules_follow_their_closed_forms(case):
    name, params = case
    p = dict(params, lr=0.4)
    lrs = lr_schedule(name, p, epochs=40)
    np.testing.assert_allclose(lrs, CLOSED[case], rtol=1e-12, atol=1e-15)
    # held for every step of an epoch
    per_step = lr_schedule(name, p, epochs=40, steps_per_epoch=4)
    np.testing.assert_array_equal(per_step, np.repeat(lrs, 4))


def test_the_lrs_are_the_real_schedulers_get_last_lr():
    S = lr_scheduler
    np.testing.assert_array_equal(
        lr_schedule("CosineAnnealingLR", {"lr": 0.4, "T_max": 12, "eta_min": 0.0}, 30),
        stepped(lambda o: S.CosineAnnealingLR(o, T_max=12), 30))        # past T_max too
    np.testing.assert_array_equal(
        lr_schedule("StepLR", {"lr": 0.4, "step_size": 3, "gamma": 0.7}, 20),
        stepped(lambda o: S.StepLR(o, step_size=3, gamma=0.7), 20))


def test_one_cycle_is_stepped_per_batch_and_matches_its_closed_form():
    epochs, spe = 20, 8
    n = epochs * spe
    lrs = lr_schedule("OneCycleLR", {"max_lr": 2.0, "pct_start": 0.25, "div_factor": 10.0,
                                     "final_div_factor": 100.0}, epochs, spe)
    assert lrs.shape == (n,)
    start, peak, end = 0.2, 2.0, 0.2 / 100
    up = 0.25 * n - 1                                      # the last step of the first phase
    k = np.arange(n)
    cos = lambda a, b, p: b + (a - b) / 2 * (np.cos(np.pi * p) + 1)      # noqa: E731
    expected = np.where(k <= up, cos(start, peak, k / up), cos(peak, end, (k - up) / (n - 1 - up)))
    np.testing.assert_allclose(lrs, expected, rtol=1e-12)
    assert lrs.max() == pytest.approx(peak) and lrs[0] == pytest.approx(start)
    assert lrs[-1] == pytest.approx(end)
    linear = lr_schedule("OneCycleLR", {"max_lr": 2.0, "pct_start": 0.25, "div_factor": 10.0,
                                        "final_div_factor": 100.0, "anneal_strategy": "linear"},
                         epochs, spe)
    rise = k[: int(up) + 1]
    np.testing.assert_allclose(linear[: int(up) + 1], start + (peak - start) * rise / up)


def test_warm_up_multiplies_the_schedule():
    W, E = 5, 40
    warm = WARMUP_START + (1 - WARMUP_START) * np.minimum(T, W) / W
    for name, params in CLOSED:
        if name == "CosineAnnealingLR":
            params = (("T_max", 40), ("eta_min", 0.0))
            base = 0.2 * (1 + np.cos(np.pi * T / 40))
        else:
            base = CLOSED[(name, params)]
        lrs = lr_schedule(name, dict(params, lr=0.4, warmup=W), E)
        np.testing.assert_allclose(lrs, warm * base, rtol=1e-12, atol=1e-15, err_msg=name)


def test_full_batch_losses_have_the_closed_form():
    """Gradient descent on L(w) = (1/2n)‖Xw − y‖²: in H's eigenbasis each error component is
    multiplied by (1 − ηᵢλⱼ) at step i."""
    d = regression_data()
    lam, V = np.linalg.eigh(d["H"])
    c = V.T @ (0 - d["w_star"])
    rng = np.random.default_rng(3)
    lrs = rng.uniform(0.05, 2.5, 60)                 # some steps beyond 2/λ_max: it may grow
    losses = train_losses(lrs, batch_size=N)
    factors = np.cumprod(np.vstack([np.ones(len(lam)), (1 - lrs[:, None] * lam) ** 2]), axis=0)
    expected = 0.5 * factors @ (lam * c ** 2)
    np.testing.assert_allclose(losses, expected, rtol=1e-9)
    assert losses[0] == pytest.approx(0.5 * np.mean((d["y"] - 0) ** 2) -
                                      0.5 * np.mean((d["X"] @ d["w_star"] - d["y"]) ** 2))


def test_mini_batch_losses_are_a_plain_sgd_loop():
    d = regression_data()
    X, y = d["X"], d["y"]
    B, epochs = 8, 6
    lrs = lr_schedule("CosineAnnealingLR", {"lr": 0.8, "T_max": epochs}, epochs, N // B)
    rng = np.random.default_rng(0)                             # the batch order, seed 0
    w, losses = np.zeros(X.shape[1]), []
    best = 0.5 * np.mean((X @ d["w_star"] - y) ** 2)
    k = 0
    losses.append(0.5 * np.mean((X @ w - y) ** 2) - best)
    for _ in range(epochs):
        perm = rng.permutation(N)
        for i in range(N // B):
            idx = perm[i * B:(i + 1) * B]
            w = w - lrs[k] * X[idx].T @ (X[idx] @ w - y[idx]) / B
            losses.append(0.5 * np.mean((X @ w - y) ** 2) - best)
            k += 1
    np.testing.assert_allclose(train_losses(lrs, B), losses, rtol=1e-8, atol=1e-13)
    assert not np.array_equal(train_losses(lrs, B, seed=1), train_losses(lrs, B))


def test_compute_runs_the_schedule_and_the_constant_reference():
    r = schedule_compute("StepLR", {"lr": 0.5, "step_size": 5, "gamma": 0.5}, epochs=20,
                         batch_size=16)
    assert r["steps_per_epoch"] == 4 and len(r["lrs"]) == 80 and len(r["losses"]) == 81
    np.testing.assert_array_equal(r["lrs"], np.repeat(0.5 * 0.5 ** (np.arange(20) // 5), 4))
    np.testing.assert_array_equal(r["losses"], train_losses(r["lrs"], 16))
    np.testing.assert_array_equal(r["constant"], train_losses(np.full(80, 0.5), 16))
    np.testing.assert_allclose(r["epoch"], np.arange(81) / 4)
    one = schedule_compute("OneCycleLR", {"max_lr": 0.7}, epochs=10, batch_size=8)
    assert one["constant_lr"] == 0.7 and len(one["lrs"]) == 80


def test_decaying_the_lr_beats_the_noise_floor_of_a_constant_lr():
    """The claim the explorer shows (seeded, so exact): with mini-batches a constant lr stalls,
    cosine annealing and a step decay end far lower; with the full batch nothing is noisy."""
    cos = schedule_compute("CosineAnnealingLR", {"lr": 1.0, "T_max": 30}, 30, 8)
    step = schedule_compute("StepLR", {"lr": 1.0, "step_size": 10, "gamma": 0.3}, 30, 8)
    assert cos["final"] < cos["constant_final"] / 20
    assert step["final"] < step["constant_final"] / 5
    big = schedule_compute("constant", {"lr": 3.0}, 30, 8)
    assert big["diverged_at"] is not None and cos["diverged_at"] is None


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="unknown scheduler"):
        schedule_compute("CyclicLR")
    with pytest.raises(ValueError, match="unknown parameter 'tmax'"):
        schedule_compute("CosineAnnealingLR", {"tmax": 3})
    with pytest.raises(ValueError, match="batch_size"):
        schedule_compute("StepLR", batch_size=10)
    with pytest.raises(ValueError, match="pct_start"):
        lr_schedule("OneCycleLR", {"pct_start": 0.1}, epochs=10)       # 0.1 · 10 = 1 step
    with pytest.raises(ValueError, match="unknown parameter"):
        schedule_explorer(step=3)


@pytest.fixture(scope="module")
def ex():
    return schedule_explorer()


def test_every_scheduler_draws_without_error(ex):
    for name in SCHEDULERS:
        ex.controls["scheduler"].value = name
        assert ex.error is None, (name, ex.error)
        assert ex.result["name"] == name
        assert_blit_matches_full_redraw(ex)


def test_the_picture_shows_the_core(ex):
    ex.set(scheduler="StepLR", epochs=20, batch_size=16, lr=0.5, step_size=5, gamma=0.5,
           warmup=0)
    r = ex.result
    assert ex.error is None
    x, y = line_data(ex.lr_line)
    np.testing.assert_allclose(x, np.arange(81) / 4)
    np.testing.assert_array_equal(y[:-1], r["lrs"])
    _, loss = line_data(ex.loss_line)
    np.testing.assert_allclose(loss, np.clip(r["losses"], 5e-6, 100))
    assert "StepLR(opt, step_size=5, gamma=0.5)" in ex.readout.value
    shown = {k for k, w in ex.controls.items() if w.layout.display != "none"}
    assert {"step_size", "gamma", "lr", "warmup"} <= shown
    assert not shown & {"T_max", "max_lr", "pct_start", "milestone_1"}
    ex.controls["gamma"].value = 0.2                   # a slider moved: a new curve
    np.testing.assert_allclose(ex.result["lrs"][::4], 0.5 * 0.2 ** (np.arange(20) // 5))
    assert_blit_matches_full_redraw(ex)
    ex.controls["scheduler"].value = "OneCycleLR"
    shown = {k for k, w in ex.controls.items() if w.layout.display != "none"}
    assert {"max_lr", "pct_start", "div_factor"} <= shown and "lr" not in shown


def test_epochs_carry_t_max_along_and_milestones_keyword():
    e = schedule_explorer("CosineAnnealingLR", epochs=30, T_max=30)
    e.controls["epochs"].value = 50
    assert e.controls["T_max"].value == 50 and len(e.result["lrs"]) == 50 * 8
    assert e.result["lrs"][-1] == pytest.approx(0.5 * (1 + math.cos(math.pi * 49 / 50)))
    m = schedule_explorer("MultiStepLR", milestones=(20, 8), gamma=0.5, lr=0.4)
    assert (m.controls["milestone_1"].value, m.controls["milestone_2"].value) == (8, 20)
    np.testing.assert_allclose(m.result["lrs"][::8],
                               0.4 * 0.5 ** ((T[:30] >= 8).astype(int) + (T[:30] >= 20)))


def test_a_bad_combination_is_a_note_not_a_traceback():
    e = schedule_explorer("OneCycleLR", epochs=5, batch_size=64, pct_start=0.2)
    assert e.error is not None and "pct_start" in e.error and e._banner.get_visible()
    e.controls["pct_start"].value = 0.3
    assert e.error is None
    d = schedule_explorer("constant", lr=3.0, batch_size=8)
    assert d.error is None and "diverged" in d.readout.value
