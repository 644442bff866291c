"""Explorer 17 (notebook 15): maximum likelihood. The drawn log-likelihood must be the sum of
dlmath.prob's log pmf/pdf, its maximum the closed form p̂ = k/n or μ̂ = x̄ (to the grid step), its
curvature n/(p̂(1 − p̂)) or n/σ² (checked by finite differences), and the picture the core's."""
import math

import numpy as np
import pytest

from dlmath import prob
from dlmath.viz import mle_explorer
from dlmath.viz.mle import (GRIDS, N_MAX, log_likelihood, mle_compute, mle_curvature, mle_data,
                            mle_estimate)
from viz_helpers import assert_blit_matches_full_redraw, line_data

CASES = [("Bernoulli", 0.3, 1.0), ("Bernoulli", 0.8, 1.0), ("Gaussian", 0.8, 1.0),
         ("Gaussian", -1.2, 0.5), ("Gaussian", 1.5, 2.0)]


def reference_loglik(model, data, theta, sigma):
    """Σᵢ log p(xᵢ | θ), one θ at a time, from dlmath.prob."""
    dist = prob.Bernoulli(probs=theta) if model == "Bernoulli" else prob.Normal(theta, sigma)
    return float(np.sum(dist.log_prob(data)))


@pytest.mark.parametrize("model, truth, sigma", CASES)
def test_total_loglik_is_the_sum_of_log_pmf_or_pdf(model, truth, sigma):
    for n in (1, 7, 100):
        x = mle_data(model, truth, sigma, seed=2, n=n)
        r = mle_compute(model, x, 0.37 if model == "Bernoulli" else 0.25, sigma, truth)
        grid = r["grid"]
        for i in (0, 123, 500, len(grid) - 1):
            assert r["loglik"][i] == pytest.approx(
                reference_loglik(model, x, grid[i], sigma), rel=1e-12, abs=1e-12)
        assert r["ll_theta"] == pytest.approx(reference_loglik(model, x, r["theta"], sigma),
                                              rel=1e-13)
        assert r["ll_theta"] == pytest.approx(log_likelihood(model, x, r["theta"], sigma),
                                              rel=1e-12)
        assert r["per_sample"] == pytest.approx(r["ll_theta"] / n)
        np.testing.assert_allclose(r["rel"], r["loglik"] - r["ll_hat"])


@pytest.mark.parametrize("model, truth, sigma", CASES)
def test_the_curve_peaks_at_the_closed_form(model, truth, sigma):
    for n in (1, 2, 5, 50, N_MAX):
        x = mle_data(model, truth, sigma, seed=n, n=n)
        r = mle_compute(model, x, 0.5 if model == "Bernoulli" else 0.0, sigma, truth)
        closed = x.mean()                                      # k/n or x̄
        assert r["theta_hat"] == pytest.approx(closed, abs=1e-15)
        if model == "Bernoulli":
            assert r["theta_hat"] == r["k"] / n
        if r["in_range"]:
            assert abs(r["grid_max"] - closed) <= r["grid_step"] / 2 + 1e-12
            assert r["rel"].max() <= 1e-9                          # no grid value above ℓ(θ̂)
        # the closed form beats its neighbours
        for d in (1e-3, -1e-3):
            t = np.clip(closed + d, 1e-9, 1 - 1e-9) if model == "Bernoulli" else closed + d
            assert log_likelihood(model, x, t, sigma) <= r["ll_hat"] + 1e-12


@pytest.mark.parametrize("model, truth, sigma", CASES)
def test_curvature_formula_matches_finite_differences(model, truth, sigma):
    for n in (3, 40, N_MAX):
        x = mle_data(model, truth, sigma, seed=11, n=n)
        th = mle_estimate(model, x)
        if model == "Bernoulli" and th in (0.0, 1.0):
            continue
        h = 1e-4 * (min(th, 1 - th) if model == "Bernoulli" else 1.0)
        f = lambda t: reference_loglik(model, x, t, sigma)
        second = (f(th + h) - 2 * f(th) + f(th - h)) / h ** 2
        curv = mle_curvature(model, x, sigma)
        assert -second == pytest.approx(curv, rel=1e-4)
        expected = n / (th * (1 - th)) if model == "Bernoulli" else n / sigma ** 2
        assert curv == pytest.approx(expected, rel=1e-12)
        r = mle_compute(model, x, th, sigma, truth)
        assert r["se"] == pytest.approx(1 / math.sqrt(curv))
        np.testing.assert_allclose(r["quadratic"], -0.5 * curv * (r["grid"] - th) ** 2)


def test_all_heads_puts_the_maximum_at_the_edge():
    x = np.ones(5)
    assert mle_curvature("Bernoulli", x) == math.inf
    r = mle_compute("Bernoulli", x, 0.5, theta_true=0.9)
    assert r["theta_hat"] == 1.0 and r["ll_hat"] == 0.0
    assert r["grid_max"] == 1.0 and r["loglik"][-1] == 0.0 and r["loglik"][0] == -math.inf
    assert mle_compute("Bernoulli", np.zeros(3), 0.5, theta_true=0.5)["grid_max"] == 0.0
    assert r["se"] == 0.0 and np.all(np.isnan(r["quadratic"]))
    with pytest.raises(ValueError, match="0s and 1s"):
        log_likelihood("Bernoulli", [0, 2], 0.5)
    with pytest.raises(ValueError, match="unknown model"):
        mle_compute("Poisson", x, 1.0)


def test_data_are_seeded_and_a_larger_n_adds_data():
    for model in ("Bernoulli", "Gaussian"):
        a = mle_data(model, 0.4, 1.0, seed=3, n=200)
        np.testing.assert_array_equal(a, mle_data(model, 0.4, 1.0, seed=3, n=200))
        np.testing.assert_array_equal(a[:20], mle_data(model, 0.4, 1.0, seed=3, n=20))
        assert not np.array_equal(a, mle_data(model, 0.4, 1.0, seed=4, n=200))
        full = mle_data(model, 0.4, 1.0, seed=3)
        assert len(full) == N_MAX
        assert abs(full.mean() - 0.4) < 4 * (math.sqrt(0.24) if model == "Bernoulli" else 1) \
            / math.sqrt(N_MAX)
    assert set(np.unique(mle_data("Bernoulli", 0.4, n=100))) <= {0.0, 1.0}
    # the same uniforms: a larger true p gives a superset of heads
    lo, hi = mle_data("Bernoulli", 0.3, n=500), mle_data("Bernoulli", 0.6, n=500)
    assert np.all(hi >= lo) and hi.sum() > lo.sum()


def test_the_curve_sharpens_with_n():
    widths = []
    for n in (10, 100, 1000):
        x = mle_data("Gaussian", 0.8, 1.0, seed=0, n=n)
        r = mle_compute("Gaussian", x, 0.0, 1.0, 0.8)
        inside = r["grid"][r["rel"] >= -2]                  # where ℓ is within 2 of its top
        widths.append(inside[-1] - inside[0])
        assert widths[-1] == pytest.approx(2 * 2 / math.sqrt(n), abs=2 * r["grid_step"])
    assert widths[0] > widths[1] > widths[2]


@pytest.fixture(scope="module")
def ex():
    return mle_explorer()


def test_the_picture_shows_the_core(ex):
    ex.set(model="Bernoulli", n=50, theta_true=0.3, seed=1)
    ex.theta.value = 0.6
    r = ex.result
    assert ex.error is None and r["n"] == 50 and r["theta"] == pytest.approx(0.6)
    x = mle_data("Bernoulli", 0.3, seed=1, n=50)
    np.testing.assert_array_equal(r["data"], x)
    gx, gy = line_data(ex.ll_line)
    np.testing.assert_array_equal(gx, GRIDS["Bernoulli"])
    np.testing.assert_allclose(gy, np.maximum(r["rel"], -9.0))
    (mx,), (my,) = line_data(ex.max_dot)
    assert (mx, my) == (x.mean(), 0.0)
    (tx,), (ty,) = line_data(ex.theta_dot)
    assert tx == pytest.approx(0.6)
    assert ty == pytest.approx(max(reference_loglik("Bernoulli", x, 0.6, 1) - r["ll_hat"],
                                   -7.85))
    np.testing.assert_allclose(line_data(ex.model_pmf)[1], [0.4, 0.6])
    np.testing.assert_allclose(line_data(ex.run_line)[1], np.cumsum(x) / np.arange(1, 51))
    assert f"{r['k']}/50" in ex.ll_text.get_text() and "n/(p̂(1 − p̂))" in ex.ll_text.get_text()
    assert "cross-entropy" in ex.readout.value
    assert_blit_matches_full_redraw(ex)
    ex.to_max.click()                                       # θ jumps to the maximum
    assert ex.theta.value == pytest.approx(r["theta_hat"], abs=ex.theta.step / 2)
    assert ex.result["ll_theta"] - ex.result["ll_hat"] == pytest.approx(0, abs=1e-9)


def test_switching_model_sets_the_theta_slider_and_moving_n_adds_data(ex):
    ex.controls["model"].value = "Gaussian"
    assert ex.error is None and ex.result["model"] == "Gaussian"
    assert (ex.theta.min, ex.theta.max) == (-5.0, 5.0) and "μ" in ex.theta.description
    assert ex.sigma.layout.display is None
    ex.set(n=100, sigma=0.5, theta_true=0.8)
    first = ex.result["data"].copy()
    assert ex.result["curvature"] == pytest.approx(100 / 0.25)
    full = ex.full_draws
    ex.controls["n"].value = 1000
    np.testing.assert_array_equal(ex.result["data"][:100], first)
    assert ex.result["curvature"] == pytest.approx(1000 / 0.25)
    assert "n/σ² = 4000" in ex.ll_text.get_text()
    x, y = line_data(ex.model_pdf)
    np.testing.assert_allclose(y, prob.Normal(ex.result["theta"], 0.5).pdf(x))
    assert ex.full_draws == full                              # n, θ, σ only blit
    assert_blit_matches_full_redraw(ex)
    full = ex.full_draws                                      # (counting the check's redraw)
    ex.controls["model"].value = "Bernoulli"
    assert (ex.theta.min, ex.theta.max) == (0.01, 0.99) and ex.sigma.layout.display == "none"
    assert ex.error is None and set(np.unique(ex.result["data"])) <= {0.0, 1.0}
    # back to a model drawn before: its kept background, which must equal a full redraw
    assert ex.full_draws == full
    assert ex.ax_l.get_xlim()[1] < 1.1 and ex.ax_d.get_xticks().tolist() == [0, 1]
    assert_blit_matches_full_redraw(ex)
    full = ex.full_draws
    ex.controls["model"].value = "Gaussian"
    assert ex.full_draws == full and ex.ax_l.get_xlim()[1] > 5
    assert_blit_matches_full_redraw(ex)
