"""Every adversarial wrong solution (tests/adversarial/wrong_*.py, written from the exercise text
alone, without reading the checkers) must be rejected by its checker: status "failed" or "error",
never "passed" or "not attempted".

Wrong solutions labelled "HANGS:" never return on some inputs; the checkers' time limit must stop
them (DLMATH_ADVERSARIAL_HANGS=0 skips them).
``python -m tests.adversarial`` prints a per-checker summary.
"""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.adversarial.harness import collect, run_one, hangs_enabled  # noqa: E402

CASES = list(collect())


def _param(checker, label, fn):
    marks = []
    if label.startswith("HANGS:") and not hangs_enabled():
        marks.append(pytest.mark.skip(
            reason="never returns on some inputs; skipped by DLMATH_ADVERSARIAL_HANGS=0"))
    return pytest.param(checker, fn, id=f"{checker}-{label}", marks=marks)


@pytest.mark.parametrize("checker, fn", [_param(*case) for case in CASES])
def test_checker_rejects_wrong_solution(checker, fn):
    result, printed = run_one(checker, fn)
    status = getattr(result, "status", None)
    assert not result, f"{checker} accepted a wrong solution ({fn.__name__}):\n{printed}"
    assert status in ("failed", "error"), f"{checker} gave status {status!r}:\n{printed}"


def test_every_checker_in_scope_has_wrong_solutions():
    counts = {}
    for checker, _, _ in CASES:
        counts[checker] = counts.get(checker, 0) + 1
    in_scope = [
        "check_vector_norms", "check_cosine_similarity", "check_add_channel_bias",
        "check_matmul_shape", "check_linear_forward", "check_parallelogram_area",
        "check_condition_number", "check_power_iteration", "check_explained_variance_ratio",
        "check_central_difference", "check_best_central_step", "check_numerical_gradient",
        "check_directional_derivative", "check_gradient_descent", "check_div_backward",
        "check_topological_order", "check_linear_backward", "check_softmax_cross_entropy_grad",
        "check_tanh_backward", "check_hessian_fd", "check_classify_stationary_point",
        "check_trapezoid", "check_monte_carlo", "check_projection", "check_top_singular_triplets",
        "check_rank_for_error", "check_newton_minimize", "check_minibatch_noise"]
    thin = {c: counts.get(c, 0) for c in in_scope if counts.get(c, 0) < 5}
    assert not thin, f"checkers with fewer than 5 wrong solutions: {thin}"
