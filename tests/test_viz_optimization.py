"""Explorers 1, 2, 3, 5: gradient descent, momentum, the optimizer race, loss landscapes. The
numbers must be dlmath's (optim + landscapes) and the figure must show them."""
import math

import numpy as np
import pytest

from dlmath import landscapes, optim
from dlmath.viz import (gd_explorer, landscape_explorer, momentum_explorer, optimizer_race)
from dlmath.viz.gd import gd_compute, gd_function, gd_verdict
from dlmath.viz.momentum import momentum_function, momentum_rate, optimal_momentum
from dlmath.viz.race import OPTIMIZERS
from dlmath.viz.landscape import LandscapeSource, _bilinear
from viz_helpers import line_data


# -- gradient descent --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def gd():
    return gd_explorer(mode="2-D", function="quadratic (λ = 1, L; rotated)", L=4.0, steps=200)


@pytest.mark.parametrize("mode, name", [("2-D", "quadratic (λ = 1, L; rotated)"),
                                        ("1-D", "quadratic ½Lx²")])
def test_gd_diverges_exactly_past_two_over_L(gd, mode, name):
    gd.set(mode=mode, function=name, L=4.0, steps=200)
    assert gd.result["lr_stable"] == pytest.approx(0.5)
    verdicts = {}
    for lr in (0.5 * (1 - 2e-3), 0.5, 0.5 * (1 + 2e-3)):
        gd.controls["lr"].value = lr
        assert gd.controls["lr"].value == pytest.approx(lr)
        verdicts[lr] = gd.result["verdict"]
        assert gd.verdict.get_text() == gd.result["verdict"]
    below, at, above = verdicts.values()
    assert below == "oscillating" and at == "oscillating" and above == "diverged"
    assert gd.result["growth"] == pytest.approx(1 + 4e-3, abs=1e-6)     # |1 − lr·L| = 1 + 2δ
    assert gd.stable_line.get_xdata()[0] == pytest.approx(0.5)


def test_gd_path_is_dlmath_sgd_and_is_drawn(gd):
    gd.set(mode="2-D", function="Rosenbrock", lr=1e-3, steps=50)
    f = landscapes.Rosenbrock()
    x0 = (gd.controls["x0"].value, gd.controls["y0"].value)
    tr = landscapes.trajectory(lambda p: optim.SGD(p, lr=1e-3), f, x0, 50)
    np.testing.assert_array_equal(gd.result["path"], tr.path)
    x, y = line_data(gd.path)
    np.testing.assert_array_equal(x, tr.path[:, 0])
    np.testing.assert_array_equal(y, tr.path[:, 1])
    _, loss = line_data(gd.loss_line)
    np.testing.assert_allclose(loss, np.maximum(tr.losses - 0.0, 1e-16))
    # the stability line sits at 2/L for the Hessian at the minimum (1, 1)
    L = np.linalg.eigvalsh(f.hessian(np.array([1.0, 1.0]))).max()
    assert gd.stable_line.get_xdata()[0] == pytest.approx(2 / L)


def test_gd_verdicts_on_the_1d_quadratic(gd):
    gd.set(mode="1-D", function="quadratic ½Lx²", L=4.0, steps=30)
    gd.controls["lr"].value = 0.2                     # |1 − 0.8| = 0.2 per step
    assert gd.result["verdict"] == "converged"
    gd.controls["lr"].value = 0.01                    # |1 − 0.04|: slow
    assert gd.result["verdict"] == "slow"
    gd.controls["lr"].value = 0.45                    # |1 − 1.8| = 0.8, sign flips
    assert gd.result["verdict"] == "oscillating"
    gd.controls["lr"].value = 2.0
    assert gd.result["verdict"] == "diverged"
    x, y = line_data(gd.path)
    np.testing.assert_allclose(y, 2.0 * x ** 2)       # on the curve f = ½·4·x²
    gd.controls["x0"].value = -1.0
    assert gd.result["path"][0, 0] == -1.0


def test_gd_verdict_function_and_errors():
    assert gd_verdict(np.array([1.0, np.inf]), np.ones(2), np.zeros((2, 2)), True)[0] == "diverged"
    f = gd_function("1-D", "double well (x² − 1)²")
    r = gd_compute(f, 0.05, 1.8, 100)
    assert r["verdict"] == "converged" and abs(r["path"][-1, 0] - 1) < 1e-6
    assert r["L"] == pytest.approx(8.0)               # f''(±1) = 8
    with pytest.raises(ValueError, match="learning rate"):
        gd_compute(f, -1.0, 1.0, 10)
    with pytest.raises(ValueError, match="mode"):
        gd_function("3-D", "x")


# -- momentum ----------------------------------------------------------------------------------
def test_momentum_rate_matches_the_iteration_matrices():
    rng = np.random.default_rng(0)
    for _ in range(20):
        a, b, lam = rng.uniform(0.01, 1), rng.uniform(0, 0.99), rng.uniform(0.1, 5)
        hb = np.array([[1 + b - a * lam, -b], [1, 0]])
        nes = np.array([[1 - a * lam * (1 + b), -a * b * b], [lam, b]])
        assert momentum_rate(a, b, [lam], "heavy ball") == pytest.approx(
            np.abs(np.linalg.eigvals(hb)).max(), rel=1e-9)
        assert momentum_rate(a, b, [lam], "Nesterov") == pytest.approx(
            np.abs(np.linalg.eigvals(nes)).max(), rel=1e-9)


def test_optimal_momentum_from_kappa():
    o = optimal_momentum(100.0, 1.0)
    assert o["alpha"] == pytest.approx(4 / 121) and o["beta"] == pytest.approx((9 / 11) ** 2)
    assert o["rate"] == pytest.approx(9 / 11) and o["gd_rate"] == pytest.approx(99 / 101)
    assert momentum_rate(o["alpha"], o["beta"], [1.0, 100.0]) == pytest.approx(9 / 11, abs=1e-6)


@pytest.fixture(scope="module")
def mom():
    return momentum_explorer(kappa=25.0, steps=200)


def test_momentum_explorer_defaults_to_the_optimum_and_marks_it(mom):
    o = optimal_momentum(25.0, 1.0)
    assert mom.controls["alpha"].value == pytest.approx(o["alpha"], rel=0.02)
    assert mom.controls["beta"].value == pytest.approx(o["beta"], abs=0.006)
    sx, sy = line_data(mom.star)
    assert sx[0] == pytest.approx(o["alpha"]) and sy[0] == pytest.approx(o["beta"])
    dx, dy = line_data(mom.dot)
    assert dx[0] == mom.controls["alpha"].value and dy[0] == mom.controls["beta"].value


def test_heavy_ball_is_dlmath_sgd_and_decays_at_the_predicted_rate(mom):
    mom.set(function="quadratic (κ, rotated)", kappa=25.0, steps=200)
    o = optimal_momentum(25.0, 1.0)
    beta = 0.8                                         # > β* = 4/9: complex roots, |z| = √β
    mom.set(alpha=o["alpha"], beta=beta)
    f = momentum_function("quadratic (κ, rotated)", 25.0)
    tr = landscapes.trajectory(lambda p: optim.SGD(p, lr=o["alpha"], momentum=beta), f,
                               (-1.6, 1.2), 200)
    run = mom.result["runs"]["heavy ball"]
    np.testing.assert_array_equal(run["path"], tr.path)
    losses = run["losses"]
    measured = (losses[150] / losses[50]) ** (1 / 200)           # loss ∝ ρ^(2k)
    assert measured == pytest.approx(math.sqrt(beta), rel=0.03)
    assert mom.result["rates"]["heavy ball"] == pytest.approx(math.sqrt(beta), rel=1e-9)
    _, y = line_data(mom.losses["heavy ball"])
    np.testing.assert_allclose(y, np.maximum(losses, 1e-16))
    nes = mom.result["runs"]["Nesterov"]["path"]
    assert not np.allclose(nes, run["path"])


def test_kappa_moves_the_optimum_and_the_button_uses_it(mom):
    mom.set(function="quadratic (κ, rotated)", kappa=100.0)
    before = mom.mesh.get_array().copy()
    mom.controls["kappa"].value = 400.0
    assert not np.array_equal(before, mom.mesh.get_array())
    o = optimal_momentum(400.0, 1.0)
    assert line_data(mom.star)[0][0] == pytest.approx(o["alpha"])
    mom.optimal.click()
    assert mom.controls["alpha"].value == pytest.approx(o["alpha"], rel=0.02)
    assert mom.result["kappa"] == pytest.approx(400.0)
    mom.controls["function"].value = "Rosenbrock"
    assert mom.error is None and mom.result["kappa"] > 2000


# -- optimizer race ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def race():
    return optimizer_race("Himmelblau", steps=80)


def test_race_paths_are_the_dlmath_optimizers(race):
    f = landscapes.Himmelblau()
    x0 = (race.controls["x0"].value, race.controls["y0"].value)
    for name in OPTIMIZERS:
        lr = race.controls[f"lr_{name}"].value
        tr = landscapes.trajectory(OPTIMIZERS[name](lr), f, x0, 80)
        np.testing.assert_array_equal(race.result["runs"][name]["path"], tr.path)
        _, y = line_data(race.losses[name])
        np.testing.assert_allclose(y, np.maximum(tr.losses, 1e-16))


def test_race_lr_slider_moves_only_its_optimizer_and_checkbox_hides(race):
    before = {n: r["path"] for n, r in race.result["runs"].items()}
    race.controls["lr_Adam"].value = 0.02
    after = race.result["runs"]
    assert not np.array_equal(after["Adam"]["path"], before["Adam"])
    for n in ("SGD", "momentum", "Adagrad", "RMSprop"):
        assert after[n]["path"] is before[n]                       # reused from the cache
    race.controls["show_SGD"].value = False
    assert "SGD" not in race.result["runs"] and not race.paths["SGD"].get_visible()
    race.controls["show_SGD"].value = True
    race.controls["function"].value = "Beale"
    assert (race.controls["x0"].value, race.controls["y0"].value) == (-1.0, -1.5)
    assert race.error is None


def test_race_on_the_saddle_uses_a_linear_loss_axis(race):
    race.controls["function"].value = "saddle x² − y²"
    assert race.result["f_min"] is None and race.ax_l.get_yscale() == "linear"
    assert race.error is None


# -- loss landscapes ---------------------------------------------------------------------------
def test_landscape_with_slice_data_and_given_path():
    a = np.linspace(-1, 1, 21)
    b = np.linspace(-1, 1, 17)
    losses = a[None, :] ** 2 + 2 * b[:, None] ** 2 + 0.1
    path = np.array([[0.9, 0.8], [0.5, 0.3], [0.1, 0.05]])
    ex = landscape_explorer(slice_data={"alphas": a, "betas": b, "losses": losses}, path=path)
    assert ex.error is None and ex.controls["surface"].value == "your slice"
    np.testing.assert_array_equal(ex.result["Z"], losses)
    x, y = line_data(ex.path2d)
    np.testing.assert_array_equal(x, path[:, 0])
    z = np.asarray(ex.path3d.get_data_3d()[2])
    exact = path[:, 0] ** 2 + 2 * path[:, 1] ** 2 + 0.1
    np.testing.assert_allclose(z, exact, atol=0.02)                 # bilinear on the grid
    np.testing.assert_array_equal(ex.result["minima"], [[0.0, 0.0]])
    ex.controls["elev"].value = 70
    ex.controls["azim"].value = 10
    assert (ex.ax_s.elev, ex.ax_s.azim) == (70, 10)
    ex.controls["log"].value = True
    assert ex.result["Z"].max() < 1.0                               # log10 scale
    ex.controls["optimizer"].value = "none"
    assert not ex.path2d.get_visible()
    with pytest.raises(ValueError, match="shape"):
        landscape_explorer(slice_data={"alphas": a, "betas": b, "losses": losses.T})


def test_landscape_on_a_test_function_runs_dlmath_adam():
    ex = landscape_explorer("Himmelblau")
    ex.set(optimizer="Adam", lr=0.05, steps=60)
    tr = landscapes.trajectory(OPTIMIZERS["Adam"](0.05), landscapes.Himmelblau(), (0.0, -4.0), 60)
    np.testing.assert_array_equal(ex.result["path"], tr.path)
    np.testing.assert_allclose(ex.result["path_values"], tr.losses)


def test_bilinear_is_exact_on_planes():
    xs, ys = np.linspace(0, 1, 5), np.linspace(0, 2, 7)
    Z = 3 * xs[None, :] - ys[:, None]
    pts = np.array([[0.3, 0.7], [0.99, 1.9], [2.0, 0.0]])
    out = _bilinear(xs, ys, Z, pts)
    np.testing.assert_allclose(out[:2], [0.9 - 0.7, 2.97 - 1.9])
    assert np.isnan(out[2])
    src = LandscapeSource.from_function("Himmelblau", n=31)
    assert src.Z.shape == (31, 31)


# -- the fast paths behind the explorers: same numbers, fewer redraws ----------------------------
def _reference_trajectory(factory, f, x0, steps, dtype=np.float64):
    """``landscapes.trajectory`` as it was written first: a gradient Tensor and
    ``optimizer.step()`` on every step — the definition the lean loop must reproduce bit for bit."""
    import dlmath
    x0 = np.array(x0, dtype=dtype)
    x = dlmath.tensor(x0, requires_grad=True)
    opt = factory([x])
    path, losses, diverged = [x0.copy()], [], False
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps + 1):
            loss = float(f.value(x.data))
            grad = np.asarray(f.gradient(x.data), dtype=dtype)
            if not math.isfinite(loss):
                diverged = True
                break
            losses.append(loss)
            if len(losses) == steps + 1:
                break
            if not np.all(np.isfinite(grad)):
                diverged = True
                break
            x.grad = dlmath.tensor(grad.astype(dtype, copy=False))
            opt.step()
            x.grad = None
            if not np.all(np.isfinite(x.data)):
                diverged = True
                break
            path.append(x.data.copy())
    n = len(losses)
    return np.array(path[:n], dtype=dtype).reshape(n, 2), np.array(losses), diverged


FUNCTIONS = [landscapes.Quadratic.from_condition_number(50, angle=math.pi / 6),
             landscapes.Rosenbrock(), landscapes.Himmelblau(), landscapes.Beale(),
             landscapes.Saddle(), landscapes.Rastrigin()]
FACTORIES = {
    **OPTIMIZERS,
    "Nesterov": lambda lr: (lambda p: optim.SGD(p, lr=lr, momentum=0.5, nesterov=True)),
    "SGD, decay + dampening": lambda lr: (lambda p: optim.SGD(p, lr=lr, momentum=0.3,
                                                              dampening=0.2, weight_decay=0.1)),
    "AdamW": lambda lr: (lambda p: optim.AdamW(p, lr=lr)),
    "Adam, NumPy kernel": lambda lr: (lambda p: optim.Adam(p, lr=lr, fused=False)),
}


@pytest.mark.parametrize("f", FUNCTIONS, ids=lambda f: type(f).__name__)
def test_trajectory_is_bit_identical_to_optimizer_step(f):
    """The lean loop (``_direct_step``: the optimizer's own ``_update`` and kernel, no gradient
    Tensor per step) gives exactly the numbers of ``optimizer.step()``, diverging runs included,
    in float64 and float32."""
    for name, factory in FACTORIES.items():
        for lr in (1e-3, 0.05, 3.0):                   # 3.0 diverges on most functions
            for x0 in ((-1.5, 2.0), (0.3, -0.7)):
                for dtype in (np.float64, np.float32):
                    tr = landscapes.trajectory(factory(lr), f, x0, 60, dtype=dtype)
                    path, losses, diverged = _reference_trajectory(factory(lr), f, x0, 60, dtype)
                    assert tr.path.dtype == path.dtype
                    np.testing.assert_array_equal(tr.path, path, err_msg=f"{name} lr={lr}")
                    np.testing.assert_array_equal(tr.losses, losses, err_msg=f"{name} lr={lr}")
                    assert tr.diverged == diverged and tr.steps == len(losses) - 1


def test_trajectory_falls_back_to_step_for_an_optimizer_of_its_own():
    class HalfStep(optim.SGD):                         # its own step(): the lean loop must not skip it
        def step(self, closure=None):
            for p in self.param_groups[0]["params"]:
                p.data -= 0.5 * self.param_groups[0]["lr"] * p.grad.data
    f = landscapes.Quadratic((1.0, 4.0))
    tr = landscapes.trajectory(lambda p: HalfStep(p, lr=0.2), f, (1.0, 1.0), 3)
    np.testing.assert_allclose(tr.path[1], [1 - 0.1 * 1.0, 1 - 0.1 * 4.0])
    assert landscapes._direct_step(HalfStep([_param()], lr=0.1), _param()) is None


def _param():
    import dlmath
    return dlmath.tensor(np.zeros(2), requires_grad=True)


@pytest.mark.parametrize("f", FUNCTIONS, ids=lambda f: type(f).__name__)
def test_gradient_at_a_point_equals_the_gradient_on_a_grid(f):
    """One point goes through ``np.array`` instead of ``np.stack``: the same numbers as the
    vectorised evaluation of the same formula on a grid."""
    X, Y = np.meshgrid(np.linspace(-1.7, 1.3, 5), np.linspace(-0.9, 2.1, 4))
    G = f.gradient(np.stack([X, Y]))
    for i in range(X.shape[0]):
        for j in range(X.shape[1]):
            g = f.gradient(np.array([X[i, j], Y[i, j]]))
            assert g.shape == (2,) and g.dtype == np.float64
            np.testing.assert_array_equal(g, G[:, i, j])


def test_momentum_kappa_is_live_and_redraws_only_the_layer(mom):
    from viz_helpers import assert_blit_matches_full_redraw
    mom.set(function="quadratic (κ, rotated)", kappa=100.0, steps=100)
    assert mom.controls["kappa"].continuous_update
    full, layer = mom.full_draws, mom.layer_draws
    for kappa in (120.0, 140.0, 100.0, 120.0):
        mom.controls["kappa"].value = kappa
        assert_blit_matches_full_redraw(mom)           # (that render is a full one)
    assert mom.full_draws - full == 4                  # the checks' own full renders only
    assert mom.layer_draws > layer
    # the contour sets are kept per κ: going back shows the same one again
    mom.controls["kappa"].value = 140.0
    first = mom.contour
    mom.controls["kappa"].value = 100.0
    mom.controls["kappa"].value = 140.0
    assert mom.contour is first and first.get_visible()
    assert sum(cs.get_visible() for cs in mom.contours.sets.values()) == 1
    o = optimal_momentum(140.0, 1.0)
    assert line_data(mom.star)[0][0] == pytest.approx(o["alpha"])


def test_momentum_back_and_forth_restores_kept_bitmaps():
    ex = momentum_explorer(kappa=50.0, steps=100)
    for v in (10.0, 50.0):
        ex.controls["kappa"].value = v
    restores = ex.layer_restores
    full = ex.full_draws
    ex.controls["kappa"].value = 10.0                  # seen before, same background: no drawing
    assert ex.layer_restores == restores + 1 and ex.full_draws == full
    for steps in (200, 100, 200):
        ex.controls["steps"].value = steps
    assert ex.view_restores >= 1                       # the loss panel at 200 steps came back
    assert ex.full_draws == full


def test_race_function_revisits_and_the_saddle_needs_no_new_layout(race):
    from viz_helpers import assert_blit_matches_full_redraw
    race.controls["function"].value = "Himmelblau"
    names = ["Rosenbrock", "Himmelblau", "saddle x² − y²", "Rosenbrock", "Himmelblau"]
    full, restores = race.full_draws, race.view_restores
    for name in names:
        race.controls["function"].value = name
        assert race.error is None and race.ax_c.get_title() == name
        assert sum(cs.get_visible() for cs in race.contours.sets.values()) == 1
    assert race.full_draws == full                     # no full redraw, not even for the saddle
    assert race.view_restores >= restores + 2          # Rosenbrock and Himmelblau came back
    assert race.ax_l.get_yscale() == "log"
    assert_blit_matches_full_redraw(race)
    assert race.controls["x0"].continuous_update and race.controls["y0"].continuous_update


def test_race_start_sliders_stay_the_dlmath_optimizers(race):
    race.set(function="Himmelblau", x0=0.5, y0=-3.0)
    f = landscapes.Himmelblau()
    for name in OPTIMIZERS:
        lr = race.controls[f"lr_{name}"].value
        tr = landscapes.trajectory(OPTIMIZERS[name](lr), f, (0.5, -3.0), 80)
        np.testing.assert_array_equal(race.result["runs"][name]["path"], tr.path)
