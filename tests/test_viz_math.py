"""Explorers 7–12: distributions/CLT, information, 2×2 matrices, SVD, finite differences, Bayes.
The compute state must equal dlmath's math modules and the figure must show it."""
import math

import numpy as np
import pytest

from dlmath import calculus, info, linalg
from dlmath.viz import (bayes_explorer, distribution_explorer, finite_difference_explorer,
                        information_explorer, matrix_explorer, svd_explorer)
from dlmath.viz.bayes import bayes_compute, natural_frequencies
from dlmath.viz.distribution import distribution_compute, make_distribution, SAMPLE_SIZES
from dlmath.viz.finite_difference import FD_FUNCTIONS, fd_compute
from dlmath.viz.svd import SVDCore
from viz_helpers import line_data


# -- 9. matrix ---------------------------------------------------------------------------------
def shoelace(P):
    x, y = P[:, 0], P[:, 1]
    return 0.5 * (np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def test_matrix_explorer_draws_eigenvectors_and_det_as_area():
    ex = matrix_explorer()
    ex.set(a=1.5, b=0.5, c=0.5, d=1.0)
    A = np.array([[1.5, 0.5], [0.5, 1.0]])
    w, V = np.linalg.eigh(A)
    assert ex.result["det"] == pytest.approx(np.linalg.det(A))
    assert shoelace(ex.square.get_xy()[:4]) == pytest.approx(np.linalg.det(A))
    for line in ex.eig_lines:
        assert line.get_visible()
        x, y = line_data(line)
        d = np.array([x[1] - x[0], y[1] - y[0]])
        d /= np.linalg.norm(d)
        assert max(abs(d @ V[:, 0]), abs(d @ V[:, 1])) == pytest.approx(1.0, abs=1e-9)
    segs = ex.grid.get_segments()
    np.testing.assert_allclose(segs[0], linalg.transform(A, linalg.grid_lines(2.0, 9))[0])
    x, y = line_data(ex.circle)
    np.testing.assert_allclose(np.hypot(x, y).max(), np.linalg.svd(A, compute_uv=False)[0],
                               rtol=1e-3)
    U, Vq = ex.basis.U, ex.basis.V
    np.testing.assert_allclose([U[0], Vq[0]], A[:, 0])
    ex.preset.value = "complex eigenvalues"
    assert not ex.result["real_eigen"] and not any(l.get_visible() for l in ex.eig_lines)
    assert "complex" in ex.eig_text.get_text()
    ex.preset.value = "reflection"
    assert ex.result["det"] == -1 and "flipped" in ex.det_text.get_text()
    assert (ex.controls["a"].value, ex.controls["d"].value) == (1.0, -1.0)


# -- 10. SVD -----------------------------------------------------------------------------------
def test_svd_error_equals_the_tail_of_the_singular_values():
    ex = svd_explorer()
    core = SVDCore(ex._core("scene").image)
    s = core.s
    for k in (0, 1, 5, 20, ex.controls["k"].max):
        ex.controls["k"].value = k
        r = ex.result
        tail = math.sqrt(float(np.sum(s[k:] ** 2)) / float(np.sum(s ** 2)))
        assert r["relative_error"] == pytest.approx(tail, abs=1e-12)
        assert r["relative_error_from_s"] == pytest.approx(tail, abs=1e-12)
        np.testing.assert_allclose(ex.im_rec.get_array(), linalg.low_rank_approx(core.image, k),
                                   atol=1e-10)
        assert line_data(ex.err_dot)[1][0] == pytest.approx(tail, abs=1e-12)
        np.testing.assert_allclose(line_data(ex.s_kept)[1], s[:k])
    ex.controls["image"].value = "checkerboard"
    assert ex.controls["k"].max == 2                         # a checkerboard has rank 2
    ex.controls["k"].value = 2
    assert ex.result["relative_error"] < 1e-12


def test_svd_explorer_takes_your_image():
    img = np.outer(np.arange(6.0), np.ones(4)) + np.eye(6, 4)
    ex = svd_explorer(image=img, k=1)
    assert ex.controls["image"].value == "your image"
    np.testing.assert_allclose(ex.im_orig.get_array(), img)
    assert ex.result["storage"] == pytest.approx(1 * (6 + 4 + 1) / 24)


# -- 11. finite differences --------------------------------------------------------------------
def test_finite_difference_explorer_plots_dlmath_calculus_errors():
    ex = finite_difference_explorer("exp(x)", x0=0.5, h=1e-4)
    hs, err = line_data(ex.lines["central"])
    ref = calculus.fd_error(np.exp, np.exp, 0.5, hs, "central")
    np.testing.assert_allclose(err, np.maximum(ref, 1e-18))
    h, e = line_data(ex.dots["forward"])
    assert h[0] == pytest.approx(1e-4)
    assert e[0] == pytest.approx(abs(calculus.forward_difference(np.exp, 0.5, 1e-4) - math.exp(0.5)))
    star = line_data(ex.stars["central"])[0][0]
    assert star == pytest.approx(calculus.best_h("central", math.exp(0.5), f3=math.exp(0.5)))
    ex.controls["h"].value = 1e-8
    assert ex.hline.get_xdata()[0] == pytest.approx(1e-8)
    assert ex.result["error_at_h"]["forward"] < 1e-6
    ex.controls["function"].value = "x³"
    assert ex.result["true"] == pytest.approx(3 * 0.25)


def test_fd_functions_derivatives_agree_with_autograd_where_it_can():
    import dlmath
    x = dlmath.tensor(np.linspace(-1.5, 1.5, 7), requires_grad=True)
    (x.exp().sum()).backward()
    np.testing.assert_allclose(FD_FUNCTIONS["exp(x)"][1](x.data), x.grad.data)
    x.grad = None
    (x.tanh().sum()).backward()
    np.testing.assert_allclose(FD_FUNCTIONS["tanh(x)"][1](x.data), x.grad.data, atol=1e-14)
    x.grad = None
    ((1 / (1 + x * x)).sum()).backward()
    np.testing.assert_allclose(FD_FUNCTIONS["1/(1 + x²)"][1](x.data), x.grad.data, atol=1e-14)
    r = fd_compute("sin(x)", 1.0, 1e-3)
    for name, (f, d1, d2, d3) in FD_FUNCTIONS.items():      # higher derivatives by FD
        for k, (lo, hi) in enumerate(((f, d1), (d1, d2), (d2, d3))):
            assert calculus.central_difference(lo, 0.7, 1e-5) == pytest.approx(hi(0.7), abs=1e-6)
    assert r["true"] == pytest.approx(math.cos(1.0))


# -- 12. Bayes ---------------------------------------------------------------------------------
def test_bayes_posterior_and_natural_frequencies():
    r = bayes_compute(0.01, 0.9, 0.95, 1000)
    post = 0.9 * 0.01 / (0.9 * 0.01 + 0.05 * 0.99)
    assert r["posterior_positive"] == pytest.approx(post)
    assert r["counts"].sum() == 1000 and tuple(r["counts"]) == (9, 1, 50, 940)
    assert np.bincount(r["grid"].ravel(), minlength=4).tolist() == r["counts"].tolist()
    assert natural_frequencies([0.4, 0.4, 0.2], 1).sum() == 1
    ex = bayes_explorer()
    ex.controls["prior"].value = 0.1
    exp = 0.9 * 0.1 / (0.9 * 0.1 + 0.05 * 0.9)
    assert ex.result["posterior_positive"] == pytest.approx(exp, rel=1e-3)
    assert ex.bars[1].get_height() == pytest.approx(ex.result["posterior_positive"])
    ex.controls["population"].value = 10000
    assert ex.result["grid"].shape == (100, 100)
    assert (ex.img.get_array() < 4).sum() == 10000 * 3 * 3   # a 3×3-pixel cell per person
    with pytest.raises(ValueError, match="probability"):
        bayes_compute(1.5, 0.9, 0.9)


# -- 7. distributions --------------------------------------------------------------------------
def test_distribution_explorer_histogram_is_the_samples():
    ex = distribution_explorer("Normal", n=500, seed=3)
    dist = make_distribution("Normal")
    data = dist.sample((400, 500), generator=np.random.default_rng(3))
    np.testing.assert_array_equal(ex.result["samples"], data[0])
    counts, _ = np.histogram(data[0], bins=ex.result["edges"])
    np.testing.assert_allclose(ex.result["hist"], counts / (500 * np.diff(ex.result["edges"])))
    x, y = line_data(ex.pdf)
    np.testing.assert_allclose(y, dist.pdf(x))
    _, rm = line_data(ex.run_line)
    np.testing.assert_allclose(rm, np.cumsum(data[0]) / np.arange(1, 501))
    z = ex.result["z_hist"]
    assert np.sum(z * np.diff(ex.result["z_edges"])) == pytest.approx(
        np.mean(np.abs(ex.result["z"]) < 4), abs=0.01)
    assert np.std(ex.result["means"]) == pytest.approx(1 / math.sqrt(500), rel=0.15)


@pytest.mark.parametrize("name", ["Bernoulli", "Categorical", "Exponential", "Poisson"])
def test_each_distribution_law_of_large_numbers_and_clt(name):
    ex = distribution_explorer(name, n=2000, seed=0)
    r = ex.result
    assert ex.error is None
    assert abs(r["sample_mean"] - r["mean"]) < 5 * r["std"] / math.sqrt(2000)
    assert np.mean(r["z"]) == pytest.approx(0, abs=0.2) and np.std(r["z"]) == pytest.approx(1, abs=0.15)
    if r["discrete"]:
        np.testing.assert_allclose(line_data(ex.pmf)[1], r["pmf"])
        assert r["hist"].sum() == pytest.approx(1.0)
    ex.controls["n"].value = 5
    assert len(ex.result["samples"]) == 5 and len(line_data(ex.run_line)[0]) == 5
    old = ex.result["samples"].copy()
    ex.resample.click()
    assert ex.controls["seed"].value == 1 and ex.result["n"] == 5
    assert SAMPLE_SIZES[0] == 1


def test_distribution_parameters_and_errors():
    ex = distribution_explorer("Categorical", n=100)
    ex.set(w0=0.0, w1=0.0, w2=0.0, w3=0.0)
    assert "weights" in ex.error
    ex.controls["w2"].value = 1.0
    assert ex.error is None and ex.result["mean"] == pytest.approx(2.0)


def test_distribution_parameters_redraw_in_place_and_come_back_from_kept_bitmaps():
    """A new μ moves the PDF, μ's line and band (the layer) and the panels' limits (a partial
    redraw, no new layout); going back to a μ seen before restores its bitmaps. The picture is
    always that of a full redraw, and the numbers those of distribution_compute."""
    from viz_helpers import assert_blit_matches_full_redraw
    ex = distribution_explorer("Normal", n=200, seed=1)
    full = ex.full_draws
    for mu in (1.0, -0.5, 1.0, -0.5):
        ex.controls["mu"].value = mu
        x, y = line_data(ex.pdf)
        np.testing.assert_allclose(y, make_distribution("Normal", mu=mu).pdf(x))
        assert line_data(ex.mu_line)[1][0] == mu
        assert ex.ax_l.get_ylim() == pytest.approx((mu - 2.6, mu + 2.6))
    assert ex.full_draws == full
    assert ex.view_restores >= 2 and ex.layer_restores >= 1
    assert_blit_matches_full_redraw(ex)
    r = distribution_compute(make_distribution("Normal", mu=-0.5), 200, 1)
    np.testing.assert_array_equal(ex.result["samples"], r["samples"])
    np.testing.assert_array_equal(ex.result["z_hist"], r["z_hist"])
    # another distribution: one legend in the layer, the right one
    ex.controls["distribution"].value = "Poisson"
    legends = [a for a in ex._layer if type(a).__name__ == "Legend"]
    assert len(legends) == 1 and legends[0].get_texts()[1].get_text() == "PMF"
    assert_blit_matches_full_redraw(ex)


# -- 8. information ----------------------------------------------------------------------------
def test_information_bars_are_dlmath_info():
    ex = information_explorer()
    p = np.array([0.6, 0.25, 0.1, 0.05])
    q = np.array([0.3, 0.3, 0.3, 0.1])
    np.testing.assert_allclose(ex.result["p"], p)
    heights = [b.get_height() for b in ex.b_base]
    tops = [b.get_height() for b in ex.b_top]
    assert heights[0] == pytest.approx(info.entropy(p))
    assert heights[2] == pytest.approx(info.kl_divergence(p, q))
    assert heights[3] == pytest.approx(info.kl_divergence(q, p))
    assert heights[5] == pytest.approx(info.entropy(q))
    assert heights[1] + tops[1] == pytest.approx(info.cross_entropy(p, q))   # H(p) + KL(p‖q)
    assert heights[4] + tops[4] == pytest.approx(info.cross_entropy(q, p))
    assert abs(ex.result["identity_gap"]) < 1e-12
    assert info.kl_divergence(p, q) != pytest.approx(info.kl_divergence(q, p))
    ex.controls["base"].value = 2
    assert ex.result["H_p"] == pytest.approx(info.entropy(p, base=2))
    ex.controls["q0"].value = 0.0                         # q gives 0 to an outcome p allows
    assert ex.result["KL_pq"] == math.inf and ex.texts[2].get_text() == "∞"
    assert ex.error is None
    for i in range(4):
        ex.controls[f"p{i}"].value = 0.0
    assert "all zeros" in ex.error
