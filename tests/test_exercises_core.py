"""The exercise machinery: reference solutions pass, each catalogued mistake is caught with its
own hint, unattempted stubs don't raise, and a checker grades the learner's function only."""
import numpy as np

from dlmath.exercises import check_softmax, check_conv_output_size


def softmax_ok(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_no_shift(z):
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def softmax_wrong_axis(z):
    e = np.exp(z - z.max())
    return e / e.sum(axis=0, keepdims=True)


def softmax_unnormalised(z):
    return np.exp(z - z.max(axis=-1, keepdims=True))


def stub(*args):
    raise NotImplementedError


def test_softmax_checker(capsys):
    assert check_softmax(softmax_ok)
    assert "passed" in capsys.readouterr().out
    r = check_softmax(softmax_no_shift)
    assert not r and r.mistakes[0] == "overflow" and "max" in r.message
    r = check_softmax(softmax_wrong_axis)
    assert not r and "wrong axis" in r.mistakes
    r = check_softmax(softmax_unnormalised)
    assert not r and "not normalised" in r.mistakes
    r = check_softmax(stub)
    assert r.status == "not attempted" and "not attempted yet" in capsys.readouterr().out.split(
        "\n")[-2]


def test_conv_output_size_checker():
    ok = lambda i, k, s=1, p=0, d=1: (i + 2 * p - d * (k - 1) - 1) // s + 1
    assert check_conv_output_size(ok)
    bad = {
        "off by one": lambda i, k, s=1, p=0, d=1: (i + 2 * p - d * (k - 1) - 1) // s,
        "stride ignored": lambda i, k, s=1, p=0, d=1: i + 2 * p - d * (k - 1),
        "dilation ignored": lambda i, k, s=1, p=0, d=1: (i + 2 * p - k) // s + 1,
        "padding once": lambda i, k, s=1, p=0, d=1: (i + p - d * (k - 1) - 1) // s + 1,
        "rounded up": lambda i, k, s=1, p=0, d=1: -(-(i + 2 * p - d * (k - 1) - 1) // s) + 1,
    }
    for name, fn in bad.items():
        r = check_conv_output_size(fn)
        assert not r and name in r.mistakes, (name, r.message)


def _normalise(e, axis=-1):
    return e / e.sum(axis=axis, keepdims=True)


def test_softmax_checker_catches_the_subtle_mistakes():
    def into_int_copy(z):
        out = np.empty_like(z)
        out[...] = np.exp(z - z.max(axis=-1, keepdims=True))
        return _normalise(out)

    def in_place(z):
        z -= z.max(axis=-1, keepdims=True)
        return _normalise(np.exp(z))
    wrong = {
        "global max": lambda z: _normalise(np.exp(z - z.max())),
        "shift by another value": lambda z: _normalise(np.exp(z - z.min(axis=-1, keepdims=True))),
        "clipped logits": lambda z: _normalise(np.exp(np.clip(z, -50, 50))),
        "whole array": lambda z: (lambda e: e / e.sum())(np.exp(z - z.max(axis=-1, keepdims=True))),
        "keepdims forgotten": lambda z: (lambda e: e / e.sum(axis=-1))(np.exp(z - z.max(axis=-1))),
        "vectors fail": lambda z: _normalise(np.exp(z - z.max(axis=1, keepdims=True)), axis=1),
        "integer result": into_int_copy,
        "in place": in_place,
    }
    for name, fn in wrong.items():
        r = check_softmax(fn)
        assert not r and name in r.mistakes, (name, r.mistakes, r.message)
    # the sweep (rows 10⁴ apart, integer logits, 3-D batches) passes a correct variant
    assert check_softmax(lambda z: np.exp(z - np.logaddexp.reduce(z, axis=-1, keepdims=True)))


def test_softmax_sweep_catches_what_no_case_names():
    # right unless a row holds a logit above 5000: the cases never go there, the sweep does
    r = check_softmax(lambda z: softmax_ok(np.where(z > 5000, 5000.0, z)))
    assert not r and r.mistakes == [] and "random inputs failed" in r.message
    assert "logsumexp" in r.message and "keepdims=True" in r.message


def test_conv_output_size_parameters_in_combination():
    wrong = {
        "padding outside the division": lambda i, k, s=1, p=0, d=1:
            (i - d * (k - 1) - 1) // s + 1 + 2 * p,
        "dilation with the stride": lambda i, k, s=1, p=0, d=1:
            (i + 2 * p - k) // s + 1 - (d - 1) * (k - 1),
        "span d·k": lambda i, k, s=1, p=0, d=1: (i + 2 * p - d * k) // s + 1,
        "stride and dilation swapped": lambda i, k, s=1, p=0, d=1:
            (i + 2 * p - s * (k - 1) - 1) // d + 1,
        "rounded up": lambda i, k, s=1, p=0, d=1: round((i + 2 * p - d * (k - 1) - 1) / s) + 1,
        "float result": lambda i, k, s=1, p=0, d=1: np.floor((i + 2 * p - d * (k - 1) - 1) / s) + 1,
        "no defaults": lambda i, k, s, p, d: (i + 2 * p - d * (k - 1) - 1) // s + 1,
    }
    for name, fn in wrong.items():
        r = check_conv_output_size(fn)
        assert not r and name in r.mistakes, (name, r.mistakes, r.message)
    # ceil(n/s) = ⌊(n − 1)/s⌋ + 1 for n ≥ 1: a correct alternative
    import math
    assert check_conv_output_size(lambda i, k, s=1, p=0, d=1:
                                  math.ceil((i + 2 * p - d * (k - 1)) / s))
    # wrong only for stride 3 with dilation 3: no case and no detector, so the smallest input
    r = check_conv_output_size(lambda i, k, s=1, p=0, d=1: (i + 2 * p - d * (k - 1) - 1) // s + 1
                               + (s == 3 and d == 3))
    assert not r and r.mistakes == [] and "random inputs failed" in r.message
    assert "on input i = " in r.message and "s = 3" in r.message and "d = 3" in r.message


def test_checker_survives_a_crashing_function():
    r = check_softmax(lambda z: z.undefined_attribute)
    assert r.status == "failed" and "AttributeError" in r.message
    assert check_softmax("not a function").status == "error"


# ---------------------------------------------------------------- the machinery (issue 10)
import threading
import time

from dlmath.exercises.core import Case, Mistake, Sweep, close, equal, fmt, run_checks, _call


def _double_cases():
    return [Case("x = [1, 2]", (np.array([1.0, 2.0]),), close([2.0, 4.0])),
            Case("x = [0]", (np.zeros(1),), close([0.0]))]


def test_a_never_returning_function_is_stopped_and_the_case_named(capsys):
    def forever(x):
        while True:
            pass
    start = time.monotonic()
    r = run_checks("double", forever, _double_cases(), time_limit=0.3)
    assert time.monotonic() - start < 2.0          # stopped near the limit, not after the detectors
    assert r.status == "failed" and "did not return within 0.3 s" in r.message
    assert "on the case 'x = [1, 2]'" in r.message and "infinite loop" in r.message
    assert "❌ double" in capsys.readouterr().out
    # the process (the notebook kernel) is fine afterwards: the next check runs normally
    assert run_checks("double", lambda x: 2 * x, _double_cases())


def test_a_bare_except_does_not_keep_the_loop_alive():
    def stubborn(x):
        while True:
            try:
                while True:
                    pass
            except Exception:
                pass
    r = run_checks("double", stubborn, _double_cases(), time_limit=0.2, verbose=False)
    assert r.status == "failed" and "did not return" in r.message


def test_time_limit_works_from_a_worker_thread():
    def forever(x):
        while True:
            pass
    results = {}

    def worker():
        start = time.monotonic()
        results["r"] = run_checks("double", forever, _double_cases(), time_limit=0.3,
                                  verbose=False)
        results["t"] = time.monotonic() - start
        results["ok"] = run_checks("double", lambda x: 2 * x, _double_cases(), verbose=False)
    t = threading.Thread(target=worker)
    t.start()
    t.join(10)
    assert not t.is_alive()
    assert results["t"] < 2.0 and results["r"].status == "failed"
    assert "did not return within 0.3 s on the case 'x = [1, 2]'" in results["r"].message
    assert results["ok"]
    time.sleep(0.4)                    # no stray exception arrives later in this thread either


def test_a_fast_function_is_not_hurt_by_the_timer():
    assert run_checks("double", lambda x: 2 * x, _double_cases() * 50, time_limit=0.05,
                      verbose=False)


def test_mutating_the_input_gets_the_in_place_hint():
    def in_place(x):
        x *= 2
        return x
    r = run_checks("double", in_place, _double_cases(), verbose=False)
    assert r.status == "failed" and "in place" in r.mistakes
    assert "changed its input x in place" in r.message and "'x = [1, 2]'" in r.message
    # the caller's array is never touched, and mutates=True allows it
    x = np.array([1.0, 2.0])
    _call(in_place, (x,), mutates=True)
    assert np.array_equal(x, [1.0, 2.0])
    assert run_checks("double", in_place, _double_cases(), mutates=True, verbose=False)


def test_mutation_inside_a_list_and_nan_inputs():
    def pops(xs):
        xs[0][0] = 99.0
        return 0.0
    r = run_checks("f", pops, [Case("two arrays", ([np.ones(2), np.ones(2)],), close(0.0))],
                   verbose=False)
    assert "changed its input xs[0] in place" in r.message
    # an input holding nan is not "changed" by a function that leaves it alone
    assert run_checks("f", lambda x: 0.0, [Case("nan", (np.array([np.nan, 1.0]),), close(0.0))],
                      verbose=False)


def test_a_catalogued_mistake_still_wins_over_the_generic_in_place_hint():
    def in_place(x):
        x *= 2
        return x
    m = Mistake("doubles in place", lambda f: True, "SPECIFIC")
    r = run_checks("double", in_place, _double_cases(), [m], verbose=False)
    assert r.message.startswith("SPECIFIC") and r.mistakes == ["doubles in place", "in place"]


def test_sweep_reports_the_smallest_failing_input():
    # wrong only when the input has 3 or more entries; generated sizes go 8, 7, …, 1, 8, 7, …
    wrong = lambda x: x.sum() if len(x) < 3 else x.sum() + 1
    sweep = Sweep(lambda rng, i: (np.round(rng.standard_normal(8 - i % 8), 1),),
                  lambda x: float(np.sum(x)), n=40, property="sum of the entries")
    r = run_checks("total", wrong, [Case("[1, 2]", (np.array([1.0, 2.0]),), close(3.0))],
                   sweep=sweep, verbose=False)
    assert r.status == "failed" and r.mistakes == []
    assert "(30 of 40 random inputs failed)" in r.message
    assert "sum of the entries does not hold" in r.message
    shown = r.message.split("on input x = ")[1].split(" (")[0]
    assert shown.count(",") == 2, shown            # the smallest failing input has 3 entries
    assert "expected" in r.message and "got" in r.message
    r = run_checks("total", lambda x: x.sum(), [], sweep=sweep, verbose=False)
    assert r and r.message == "all 40 random inputs passed."


def test_sweep_failure_then_a_catalogued_mistake_and_hints():
    sweep = Sweep(lambda rng, i: (int(rng.integers(1, 9)),), lambda n: n * (n + 1) // 2, n=20,
                  compare=lambda out, exp, args: None if out == exp else f"expected {exp}, "
                  f"got {out}", property="1 + … + n", hint="GENERIC")
    r = run_checks("triangle", lambda n: n * n // 2, [], sweep=sweep, verbose=False)
    assert r.message.endswith("GENERIC") and "on input n = " in r.message
    m = Mistake("halved square", lambda f: _call(f, (4,)) == 8, "HALVED")
    r = run_checks("triangle", lambda n: n * n // 2, [], [m], sweep=[sweep], verbose=False)
    assert r.mistakes == ["halved square"] and r.message.startswith("HALVED")
    # a function that raises on some random input is reported with that input
    r = run_checks("triangle", lambda n: 1 / (n - 3) and n * (n + 1) // 2, [], sweep=sweep,
                   verbose=False)
    assert "ZeroDivisionError" in r.message and "n = 3" in r.message


def test_sweep_inputs_are_reproducible_and_degenerate_corners_first():
    seen = []

    def gen(rng, i):
        x = np.zeros(2) if i == 0 else rng.standard_normal(2)
        return (x,)
    sw = Sweep(gen, lambda x: 0.0, n=5, seed=3, compare=lambda o, e, a: seen.append(a[0]))
    run_checks("f", lambda x: 0.0, [], sweep=sw, verbose=False)
    first = [s.copy() for s in seen]
    seen.clear()
    run_checks("f", lambda x: 0.0, [], sweep=sw, verbose=False)
    assert all(np.array_equal(a, b) for a, b in zip(first, seen)) and not first[0].any()


def test_an_unattempted_stub_says_not_attempted_even_with_a_sweep(capsys):
    sweep = Sweep(lambda rng, i: (rng.standard_normal(3),), lambda x: x, n=5)
    r = run_checks("f", stub, [], sweep=sweep)
    assert r.status == "not attempted"
    assert capsys.readouterr().out.strip() == (
        "⏳ f: not attempted yet — replace `raise NotImplementedError` with your code and run "
        "the check again.")
    r = run_checks("f", stub, _double_cases(), sweep=sweep, verbose=False)
    assert r.status == "not attempted"


def test_fmt_is_compact():
    assert fmt(np.array([1.0, -2.5])) == "[1.0, -2.5]"
    assert fmt(np.array([[1, 2], [3, 4]])) == "[[1, 2], [3, 4]] (dtype int64)"
    assert fmt((3, 0.5)) == "(3, 0.5)" and fmt(1e-16) == "1e-16"
    assert fmt(np.float64(1e4)) == "10000.0" and fmt(1e6 + 0.25, digits=None) == "1000000.25"
    assert "shape (50, 4)" in fmt(np.zeros((50, 4))) and fmt(lambda x: x) == "a function"
    assert equal(3)(np.int64(3)) is None and equal((2, 3))((2, 4)) == "expected (2, 3), got (2, 4)"


def test_a_list_argument_changed_in_place_is_caught():
    """Replacing, appending or popping items of a list argument changes the caller's list: the
    check says so (arrays inside the list are watched separately, as before)."""
    from dlmath.exercises.core import Case, run_checks
    cases = [Case("a list", ([1.0, 2.0, 3.0],), lambda o: None if o == 6.0 else "wrong")]
    right = run_checks("total", lambda xs: float(sum(xs)), cases, verbose=False)
    assert right.status == "passed"
    for bad in (lambda xs: (xs.append(0.0), float(sum(xs)))[1],
                lambda xs: float(xs.pop() + sum(xs)),
                lambda xs: [xs.__setitem__(0, -1.0), float(sum(xs))][1]):
        r = run_checks("total", bad, cases, verbose=False)
        assert r.status == "failed" and "changed the list xs" in r.message
