"""Explorer 15 (notebook 08): the backprop stepper. Its values and final gradients must equal
dlmath's (an independent Tensor computation here), plain-Python forward values and central finite
differences; the walk must visit the nodes in a valid order, accumulate reused nodes, and the
buttons must move the step."""
import math

import pytest

import dlmath
from dlmath.viz import backprop_stepper
from dlmath.viz.backprop import EXPRESSIONS, OPS, Expression, backprop_trace, graph_layout
from viz_helpers import assert_blit_matches_full_redraw

NEURON, SQUARE, REUSED, TWO_PATHS = EXPRESSIONS

# each expression written again as plain Python, independently of the node lists
PLAIN = {
    NEURON: lambda x1, w1, x2, w2, b: math.tanh(x1 * w1 + x2 * w2 + b),
    SQUARE: lambda a, b, c: (a * b + c) ** 2,
    REUSED: lambda a: a * a + a,
    TWO_PATHS: lambda a, b, c: math.tanh(a * b + c) * math.exp(a * b + c),
}


def dlmath_grads(name, leaves):
    """The gradients by dlmath, from the plain formula applied to Tensors."""
    T = {k: dlmath.tensor(v, requires_grad=True) for k, v in leaves.items()}
    if name == NEURON:
        out = (T["x1"] * T["w1"] + T["x2"] * T["w2"] + T["b"]).tanh()
    elif name == SQUARE:
        out = (T["a"] * T["b"] + T["c"]) ** 2
    elif name == REUSED:
        out = T["a"] * T["a"] + T["a"]
    else:
        m = T["a"] * T["b"] + T["c"]
        out = m.tanh() * m.exp()
    out.backward()
    return out.item(), {k: t.grad.item() for k, t in T.items()}


def central(f, leaves, k, h=1e-6):
    up, down = dict(leaves), dict(leaves)
    up[k] += h
    down[k] -= h
    return (f(**up) - f(**down)) / (2 * h)


@pytest.mark.parametrize("name", list(EXPRESSIONS))
def test_final_gradients_equal_dlmath_and_finite_differences(name):
    expr = EXPRESSIONS[name]
    tr = backprop_trace(expr)
    final = tr["steps"][-1]
    assert final["phase"] == "done"
    value, grads = dlmath_grads(name, expr.leaves)
    assert tr["value"][tr["output"]] == pytest.approx(PLAIN[name](**expr.leaves), rel=1e-14)
    assert tr["value"][tr["output"]] == pytest.approx(value, rel=1e-14)
    for k in expr.leaves:
        assert final["grads"][k] == pytest.approx(grads[k], rel=1e-12, abs=1e-15), k
        assert final["grads"][k] == pytest.approx(central(PLAIN[name], expr.leaves, k),
                                                  rel=1e-7, abs=1e-8), k
        assert tr["numeric"][k] == pytest.approx(grads[k], rel=1e-7, abs=1e-8)
        assert tr["grad"][k] == grads[k]
    for v in tr["names"]:               # inner nodes too: the walk equals retain_grad's .grad
        assert final["grads"][v] == pytest.approx(tr["grad"][v], rel=1e-12, abs=1e-15), v
    assert sorted(final["complete"]) == sorted(tr["names"])


def test_local_derivatives_follow_the_rules():
    tr = backprop_trace(EXPRESSIONS[TWO_PATHS])
    v = tr["value"]
    assert tr["local"]["a·b"] == pytest.approx([v["b"], v["a"]])          # ∂(u·v)/∂u = v
    assert tr["local"]["m"] == [1.0, 1.0]
    assert tr["local"]["t"] == pytest.approx([1 - math.tanh(v["m"]) ** 2])
    assert tr["local"]["e"] == pytest.approx([math.exp(v["m"])])
    assert tr["local"]["out"] == pytest.approx([v["e"], v["t"]])
    sq = backprop_trace(EXPRESSIONS[SQUARE])
    assert sq["local"]["L"] == pytest.approx([2 * sq["value"]["u"]])        # d u²/du = 2u
    assert {op.symbol for op in OPS.values()} == {"+", "·", "tanh", "exp", "²"}


def test_the_walk_forward_then_backward_in_a_valid_order():
    expr = EXPRESSIONS[NEURON]
    tr = backprop_trace(expr)
    steps = tr["steps"]
    F = len(expr.nodes)
    assert tr["n_steps"] == 2 * F + 3
    assert [s["phase"] for s in steps] == (["inputs"] + ["forward"] * F + ["seed"] +
                                           ["backward"] * F + ["done"])
    assert set(steps[0]["known"]) == set(expr.leaves) and steps[0]["grads"] == {}
    for k, (name, _, inputs) in enumerate(expr.nodes, start=1):
        assert steps[k]["node"] == name and name in steps[k]["known"]
        assert name not in steps[k - 1]["known"]
        assert all(i in steps[k - 1]["known"] for i in inputs)     # inputs computed before
    assert steps[F + 1]["grads"] == {"o": 1.0}
    for st in steps[F + 2:-1]:           # a node passes its gradient on only when complete
        node = st["node"]
        assert node in st["complete"]
        assert st["grads"][node] == pytest.approx(tr["grad"][node], rel=1e-12)
    st = steps[F + 2]                    # the tanh node: ∂o/∂n = 1 − o²
    assert st["node"] == "o" and "1 − tanh²(u)" in st["rule"]
    assert st["grads"]["n"] == pytest.approx(1 - tr["value"]["o"] ** 2)
    assert "n.grad += 1 × " in st["text"]


def test_a_reused_leaf_accumulates():
    tr = backprop_trace(EXPRESSIONS[REUSED])
    back = [s for s in tr["steps"] if s["phase"] == "backward"]
    assert [s["node"] for s in back] == ["y", "a·a"]
    assert back[0]["grads"]["a"] == 1.0 and "a" not in back[0]["complete"]     # 1 so far …
    assert back[1]["grads"]["a"] == 5.0 and "a" in back[1]["complete"]         # … + 2 + 2
    assert back[1]["edges"] == [("a", "a·a", 0), ("a", "a·a", 1)]


def test_any_expression_works_and_bad_ones_are_refused():
    expr = Expression({"p": 0.7, "q": -1.3},
                      [("pq", "mul", ("p", "q")), ("e", "exp", ("pq",)), ("r", "square", ("e",)),
                       ("z", "add", ("r", "p"))])
    tr = backprop_trace(expr)

    def f(p, q):
        return math.exp(p * q) ** 2 + p
    for k in expr.leaves:
        assert tr["steps"][-1]["grads"][k] == pytest.approx(central(f, expr.leaves, k), rel=1e-7)
    pos = graph_layout(expr)
    assert pos["z"][0] == max(x for x, _ in pos.values())
    assert all(pos[i][0] < pos[n][0] for n, _, ins in expr.nodes for i in ins)
    bad = [Expression({"a": 1.0}, [("y", "pow", ("a",))]),
           Expression({"a": 1.0}, [("y", "mul", ("a",))]),
           Expression({"a": 1.0}, [("y", "tanh", ("b",))]),
           Expression({"a": 1.0, "b": 2.0}, [("y", "tanh", ("a",))])]
    for expr, msg in zip(bad, ["unknown operation", "takes 2 input", "before it is defined",
                               "do not feed the output"]):
        with pytest.raises(ValueError, match=msg):
            backprop_trace(expr)


@pytest.fixture(scope="module")
def ex():
    return backprop_stepper()


def test_buttons_walk_the_steps(ex):
    n = ex.result["n_steps"]
    assert ex.step.value == 0 and ex.back_button.disabled
    ex.step_button.click()
    ex.step_button.click()
    assert ex.step.value == 2 and ex.result["state"]["node"] == "x2·w2"
    ex.back_button.click()
    assert ex.step.value == 1 and ex.result["state"]["node"] == "x1·w1"
    for _ in range(n + 3):
        ex.step_button.click()
    assert ex.step.value == n - 1 and ex.step_button.disabled
    assert ex.result["state"]["phase"] == "done"
    ex.reset_button.click()
    assert ex.step.value == 0 and not ex.step_button.disabled


def test_the_picture_shows_the_state(ex):
    tr = ex.trace()
    ex.step.value = 3                                    # forward: s computed, n not yet
    hl, val, grd = ex._node_art["s"]
    assert hl.get_visible() and val.get_visible() and val.get_text() == "data −1.8"
    assert not ex._node_art["n"][1].get_visible()
    assert not any(a[2].get_visible() for a in ex._node_art.values())   # no gradient yet
    fwd = [e for e, (f, b) in ex._edge_art.items() if f.get_visible()]
    assert sorted(fwd) == [("x1·w1", "s", 0), ("x2·w2", "s", 1)]
    assert ex.step_text.get_text() == "s = x1·w1 + x2·w2 = (−1) + (−0.8) = −1.8"
    assert_blit_matches_full_redraw(ex)
    ex.step.value = 8                                    # backward at n
    st = ex.result["state"]
    assert st["phase"] == "backward" and st["node"] == "n"
    assert ex._node_art["b"][2].get_text() == f"grad {tr['grad']['b']:+.4g}"
    bwd = [e for e, (f, b) in ex._edge_art.items() if b.get_visible()]
    assert sorted(bwd) == [("b", "n", 1), ("s", "n", 0)]
    assert "∂(u + v)/∂u = 1" in ex.rule_text.get_text()
    assert_blit_matches_full_redraw(ex)
    ex.step.value = ex.step.max
    html = ex.readout.value
    for k in tr["leaves"]:                               # the check table at the end
        assert f"{tr['grad'][k]:.10g}" in html
    assert "finite diff." in html


def test_changing_the_expression_rebuilds_the_graph_and_starts_over():
    ex = backprop_stepper(REUSED, step=-1)
    assert ex.result["state"]["phase"] == "done"
    assert ex._node_art["a"][2].get_text() == "grad +5"
    ex.expression.value = TWO_PATHS
    assert ex.step.value == 0 and ex.step.max == 2 * 5 + 2
    assert set(ex._node_art) == {"a", "b", "c", "a·b", "m", "t", "e", "out"}
    ex.step.value = 8                                    # after the exp node: m.grad partial
    st = ex.result["state"]
    assert st["node"] == "e" and "m" not in st["complete"]
    assert ex._node_art["m"][2].get_text().endswith("…")
    ex.step.value = 9                                    # after the tanh node: complete
    assert "m" in ex.result["state"]["complete"]
    assert ex._node_art["m"][2].get_text() == f"grad {ex.trace()['grad']['m']:+.4g}"
    assert_blit_matches_full_redraw(ex)
    with pytest.raises(ValueError, match="unknown expression"):
        backprop_stepper("x + y")
