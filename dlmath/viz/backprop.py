"""Explorer 15 — backpropagation, one node at a time, on a small computational graph.

An expression is a list of nodes, each an operation on earlier nodes or on the leaves (the
inputs). The forward pass computes the nodes' values in that order; the backward pass seeds
∂out/∂out = 1 and visits the nodes in reverse order, each adding

    (its own gradient) × (its local derivative with respect to the input)

to each input's gradient — so a node used twice collects two contributions (the chain rule summed
over paths). ``backprop_trace`` builds the graph with ``dlmath.Tensor`` (``retain_grad`` on every
node, one ``backward()``), takes each local derivative from dlmath too (the op applied to fresh
leaves and differentiated), and lists the steps; the stepper only shows them.
"""
from collections import namedtuple

import numpy as np
import ipywidgets as widgets
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from .. import calculus
from ..autograd import no_grad, tensor
from ._base import COLORS, Explorer, PathText, fmt, table_html

__all__ = ["OPS", "EXPRESSIONS", "Expression", "evaluate", "backprop_trace", "graph_layout",
           "backprop_stepper", "BackpropStepper"]

#: symbol (shown in the node box), the dlmath function, how to write the node, the local rules
Op = namedtuple("Op", "symbol fn formula rules")
OPS = {
    "add": Op("+", lambda u, v: u + v, "{0} + {1}", ("∂(u + v)/∂u = 1", "∂(u + v)/∂v = 1")),
    "mul": Op("·", lambda u, v: u * v, "{0}·{1}", ("∂(u·v)/∂u = v", "∂(u·v)/∂v = u")),
    "tanh": Op("tanh", lambda u: u.tanh(), "tanh({0})", ("d tanh(u)/du = 1 − tanh²(u)",)),
    "exp": Op("exp", lambda u: u.exp(), "exp({0})", ("d eᵘ/du = eᵘ",)),
    "square": Op("²", lambda u: u ** 2, "({0})²", ("d u²/du = 2u",)),
}

#: leaves: name → value; nodes: (name, op, input names), in an order where inputs come first
Expression = namedtuple("Expression", "leaves nodes")
EXPRESSIONS = {
    "neuron: o = tanh(x1·w1 + x2·w2 + b)": Expression(
        {"x1": 2.0, "w1": -0.5, "x2": -1.0, "w2": 0.8, "b": 1.5},
        [("x1·w1", "mul", ("x1", "w1")), ("x2·w2", "mul", ("x2", "w2")),
         ("s", "add", ("x1·w1", "x2·w2")), ("n", "add", ("s", "b")), ("o", "tanh", ("n",))]),
    "L = (a·b + c)²": Expression(
        {"a": 2.0, "b": -3.0, "c": 10.0},
        [("a·b", "mul", ("a", "b")), ("u", "add", ("a·b", "c")), ("L", "square", ("u",))]),
    "a reused leaf: y = a·a + a": Expression(
        {"a": 2.0}, [("a·a", "mul", ("a", "a")), ("y", "add", ("a·a", "a"))]),
    "two paths: out = tanh(m)·exp(m), m = a·b + c": Expression(
        {"a": 0.3, "b": -1.2, "c": 0.8},
        [("a·b", "mul", ("a", "b")), ("m", "add", ("a·b", "c")), ("t", "tanh", ("m",)),
         ("e", "exp", ("m",)), ("out", "mul", ("t", "e"))]),
}


def _check(expr):
    known = set(expr.leaves)
    used = set()
    if not expr.nodes:
        raise ValueError("an expression needs at least one operation")
    for name, op, inputs in expr.nodes:
        if op not in OPS:
            raise ValueError(f"node {name!r}: unknown operation {op!r}; choose from {list(OPS)}")
        arity = len(OPS[op].rules)
        if len(inputs) != arity:
            raise ValueError(f"node {name!r}: {op} takes {arity} input(s), got {len(inputs)}")
        for i in inputs:
            if i not in known:
                raise ValueError(f"node {name!r} uses {i!r} before it is defined")
        if name in known:
            raise ValueError(f"the name {name!r} is used twice")
        known.add(name)
        used.update(inputs)
    unused = [n for n in known if n not in used and n != expr.nodes[-1][0]]
    if unused:
        raise ValueError(f"{unused} do not feed the output {expr.nodes[-1][0]!r}")


def evaluate(expr, leaves=None):
    """The output of the expression as a float (no graph recorded), for finite differences."""
    vals = dict(expr.leaves if leaves is None else leaves)
    with no_grad():
        t = {k: tensor(float(v)) for k, v in vals.items()}
        for name, op, inputs in expr.nodes:
            t[name] = OPS[op].fn(*(t[i] for i in inputs))
    return t[expr.nodes[-1][0]].item()


def graph_layout(expr):
    """(x, y) per node: the output in the rightmost column, every other node as many columns to
    its left as its longest path to the output; within a column, nodes ordered by the heights of
    their users (fewer crossing arrows)."""
    out = expr.nodes[-1][0]
    users = {n: [] for n in list(expr.leaves) + [n for n, _, _ in expr.nodes]}
    for name, _, inputs in expr.nodes:
        for i in dict.fromkeys(inputs):
            users[i].append(name)
    depth = {out: 0}
    for name, _, inputs in reversed(expr.nodes):     # users before their inputs
        for i in inputs:
            depth[i] = max(depth.get(i, 0), depth[name] + 1)
    width = max(depth.values())
    order = list(expr.leaves) + [n for n, _, _ in expr.nodes]
    pos = {}
    for d in range(width + 1):
        column = [v for v in order if depth[v] == d]
        column.sort(key=lambda v: -np.mean([pos[u][1] for u in users[v]]) if users[v] else 0)
        for i, v in enumerate(column):
            pos[v] = (float(width - d), (len(column) - 1) / 2 - i)
    return pos


def _num(x):
    """A signed number for a node box: +0.9151, −0.3."""
    return f"{x:+.4g}".replace("-", "−")


def _term(x):
    """A number inside a worked sum: 4 significant digits, negatives in parentheses."""
    s = fmt(x).replace("-", "−")
    return f"({s})" if x < 0 else s


def backprop_trace(expr):
    """Run the expression through dlmath and list the stepper's steps.

    Returns a dict: ``names`` (leaves, then nodes), ``leaves``, ``output``, ``inputs`` (node →
    input names), ``op`` (node → op name, None for leaves), ``value`` and ``grad`` (from dlmath:
    ``.item()`` and ``.grad`` after one ``backward()`` with ``retain_grad()`` on every node),
    ``local`` (node → the local derivatives ∂node/∂input, one per input slot, also from dlmath),
    ``numeric`` (leaf → central difference of ``evaluate``, h = 1e-6), ``pos`` (``graph_layout``)
    and ``steps``: one dict per step with ``phase`` ("inputs", "forward", "seed", "backward",
    "done"), ``node`` (the node acted on, or None), ``known`` (names whose value is shown),
    ``grads`` (name → gradient accumulated so far, only names reached), ``complete`` (names whose
    gradient has received every contribution), ``edges`` ((input, node, slot) arrows in use),
    ``rule`` (the local rule used) and ``text`` (the arithmetic of the step).
    """
    _check(expr)
    T = {k: tensor(float(v), requires_grad=True) for k, v in expr.leaves.items()}
    for name, op, inputs in expr.nodes:
        T[name] = OPS[op].fn(*(T[i] for i in inputs)).retain_grad()
    out = expr.nodes[-1][0]
    T[out].backward()
    names = list(T)
    value = {k: T[k].item() for k in names}
    grad = {k: T[k].grad.item() for k in names}
    local = {}
    for name, op, inputs in expr.nodes:               # ∂node/∂(each input slot), by dlmath
        fresh = [tensor(value[i], requires_grad=True) for i in inputs]
        OPS[op].fn(*fresh).backward()
        local[name] = [t.grad.item() for t in fresh]
    numeric = {}
    for k, v in expr.leaves.items():
        def along(t, k=k):
            return evaluate(expr, {**expr.leaves, k: float(t)})
        numeric[k] = calculus.central_difference(along, float(v), 1e-6)

    op_of = {k: None for k in expr.leaves}
    inputs_of = {k: () for k in expr.leaves}
    for name, op, inputs in expr.nodes:
        op_of[name], inputs_of[name] = op, tuple(inputs)
    n_users = {k: 0 for k in names}
    for _, _, inputs in expr.nodes:
        for i in inputs:
            n_users[i] += 1

    steps = []
    known = list(expr.leaves)
    steps.append(dict(phase="inputs", node=None, known=list(known), grads={}, complete=[],
                      edges=[], rule="", text="the leaves hold the inputs: " + ", ".join(
                          f"{k} = {_term(v).strip('()')}" for k, v in expr.leaves.items())))
    for name, op, inputs in expr.nodes:
        known.append(name)
        f = OPS[op].formula
        steps.append(dict(
            phase="forward", node=name, known=list(known), grads={}, complete=[],
            edges=[(i, name, s) for s, i in enumerate(inputs)], rule="",
            text=f"{name} = {f.format(*inputs)} = {f.format(*(_term(value[i]) for i in inputs))}"
                 f" = {_term(value[name]).strip('()')}"))
    acc = {out: 1.0}
    done_users = {k: 0 for k in names}
    complete = [out]
    steps.append(dict(phase="seed", node=out, known=list(known), grads=dict(acc),
                      complete=list(complete), edges=[], rule=f"∂{out}/∂{out} = 1",
                      text=f"start the backward pass at the output: "
                           f"{out}.grad = ∂{out}/∂{out} = 1"))
    for name, op, inputs in reversed(expr.nodes):
        g = acc[name]
        parts = []
        for s, i in enumerate(inputs):
            c = g * local[name][s]
            acc[i] = acc.get(i, 0.0) + c
            done_users[i] += 1
            if done_users[i] == n_users[i]:
                complete.append(i)
            parts.append(f"{i}.grad += {_term(g)} × {_term(local[name][s])} → "
                         f"{_term(acc[i]).strip('()')}")
        sub = ", ".join(f"{u} = {i}" for u, i in zip("uv", inputs))
        rule = "; ".join(OPS[op].rules) + f"  ({sub})"
        steps.append(dict(phase="backward", node=name, known=list(known), grads=dict(acc),
                          complete=list(complete), edges=[(i, name, s) for s, i in
                                                          enumerate(inputs)],
                          rule=rule, text=";  ".join(parts)))
    steps.append(dict(phase="done", node=None, known=list(known), grads=dict(acc),
                      complete=list(complete), edges=[], rule="",
                      text=f"every gradient is complete (grad = ∂{out}/∂node); the table below "
                           f"checks them against dlmath's .grad and finite differences"))
    return {"names": names, "leaves": list(expr.leaves), "output": out, "inputs": inputs_of,
            "op": op_of, "value": value, "grad": grad, "local": local, "numeric": numeric,
            "pos": graph_layout(expr), "steps": steps, "n_steps": len(steps)}


PHASE_COLORS = {"forward": COLORS["blue"], "seed": COLORS["red"], "backward": COLORS["red"]}


class BackpropStepper(Explorer):
    name = "backprop_stepper"
    summary = "a computational graph, stepped node by node: forward values, then gradients"
    figsize = (9.8, 3.7)
    constrained = False

    def __init__(self, expression=None, step=0):
        expression = expression or next(iter(EXPRESSIONS))
        if expression not in EXPRESSIONS:
            raise ValueError(f"backprop_stepper: unknown expression {expression!r}; choose from "
                             f"{list(EXPRESSIONS)}")
        self._init = (expression, step)
        self._traces = {}
        self._graph_key = None
        super().__init__()

    def trace(self, expression=None):
        key = expression or self.expression.value
        if key not in self._traces:
            self._traces[key] = backprop_trace(EXPRESSIONS[key])
        return self._traces[key]

    def build(self):
        expression, step = self._init
        self.expression = self.add("expression", widgets.Dropdown(
            options=list(EXPRESSIONS), value=expression, description="expression",
            layout=widgets.Layout(width="400px")))
        n = self.trace(expression)["n_steps"]
        step = int(np.clip(n + int(step) if int(step) < 0 else int(step), 0, n - 1))
        self.step = self.add("step", widgets.IntSlider(
            value=step, min=0, max=n - 1, description="step", layout=widgets.Layout(width="300px")))
        self.back_button = widgets.Button(description="◀ back", layout=widgets.Layout(width="80px"))
        self.step_button = widgets.Button(description="step ▶", layout=widgets.Layout(width="80px"))
        self.reset_button = widgets.Button(description="reset", layout=widgets.Layout(width="70px"))
        self.back_button.on_click(lambda _: self.move(-1))
        self.step_button.on_click(lambda _: self.move(+1))
        self.reset_button.on_click(lambda _: setattr(self.step, "value", 0))
        self.expression.observe(self._on_expression, names="value")

        ax = self.fig.add_axes((0, 0, 1, 1))
        self.ax = ax
        ax.axis("off")
        self.title = self.dynamic(PathText(ax, 0.01, 0.97, "", transform=ax.transAxes,
                                           va="top", size=9.5, weight="bold"))
        self.rule_text = self.dynamic(PathText(ax, 0.01, 0.1, "", transform=ax.transAxes,
                                               va="center", size=8.5))
        self.step_text = self.dynamic(PathText(ax, 0.01, 0.035, "", transform=ax.transAxes,
                                               va="center", size=8.5, family="DejaVu Sans Mono"))
        PathText(ax, 0.99, 0.97, "blue: leaves · orange: operations · data = value, grad = "
                 "∂out/∂node (orange grad: still collecting)", transform=ax.transAxes,
                 ha="right", va="top", size=7, color="0.4")
        self._static = []
        self._node_art = {}

    def control_rows(self):
        return [widgets.HBox([self.expression, self.back_button, self.step_button,
                              self.reset_button, self.step],
                             layout=widgets.Layout(flex_flow="row wrap"))]

    def move(self, delta):
        """Go ``delta`` steps forward (or back), staying inside the walk."""
        self.step.value = int(np.clip(self.step.value + delta, 0, self.step.max))

    def _on_expression(self, change):
        n = self.trace(change["new"])["n_steps"]
        with self.hold():
            self.step.value = 0
            self.step.max = n - 1

    # -- the static graph (rebuilt when the expression changes) --------------------------------
    def _build_graph(self, tr):
        ax = self.ax
        for a in self._static:
            self.undynamic(a)
            a.remove()
        self._static, self._node_art, self._edge_art = [], {}, {}
        pos = tr["pos"]
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        # the same scale for every expression: at least 5 columns and 4 rows of room
        cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
        half_w = max(max(xs) - min(xs), 4) / 2 + 0.62
        half_h = max(max(ys) - min(ys), 3) / 2
        ax.set_xlim(cx - half_w, cx + half_w)
        ax.set_ylim(cy - half_h - 1.1, cy + half_h + 0.72)    # room below for the rule text
        w, h = 0.66, 0.62
        for v in tr["names"]:
            x, y = pos[v]
            leaf = tr["op"][v] is None
            box = FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.02",
                                 fc="#dbe9f6" if leaf else "#fdebd0", ec="0.35", lw=0.9,
                                 zorder=2)
            ax.add_artist(box)
            head = v if leaf else f"{v}  ({OPS[tr['op'][v]].symbol})"
            t = PathText(ax, x, y + 0.17, head, ha="center", va="center", size=8.5,
                         weight="bold")
            hl = FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.02",
                                fc="none", ec=COLORS["blue"], lw=2.6, zorder=4)
            ax.add_artist(hl)
            val = PathText(ax, x, y - 0.02, "", ha="center", va="center", size=8,
                           family="DejaVu Sans Mono")
            grd = PathText(ax, x, y - 0.19, "", ha="center", va="center", size=8,
                           family="DejaVu Sans Mono")
            self.dynamic(hl, val, grd)
            self._node_art[v] = (hl, val, grd)
            self._static += [box, t, hl, val, grd]
        for v in tr["names"]:
            ins = tr["inputs"][v]
            for s, i in enumerate(ins):
                (x0, y0), (x1, y1) = pos[i], pos[v]
                twice = ins.count(i) > 1
                rad = (0.25 if s == 0 else -0.25) if twice else \
                    (0.0 if x1 - x0 == 1 else -0.3)
                kw = dict(connectionstyle=f"arc3,rad={rad}", shrinkA=0, shrinkB=0,
                          mutation_scale=11, zorder=1)
                a, b = (x0 + w / 2, y0), (x1 - w / 2, y1)
                base = FancyArrowPatch(a, b, arrowstyle="-|>", color="0.55", lw=1.0, **kw)
                fwd = FancyArrowPatch(a, b, arrowstyle="-|>", color=COLORS["blue"], lw=2.2, **kw)
                bwd = FancyArrowPatch(a, b, arrowstyle="<|-", color=COLORS["red"], lw=2.2, **kw)
                for p in (base, fwd, bwd):
                    ax.add_artist(p)            # (add_patch would also grow the data limits)
                self.dynamic(fwd, bwd)
                self._edge_art[(i, v, s)] = (fwd, bwd)
                self._static += [base, fwd, bwd]
        self.invalidate()

    # -- compute and draw ---------------------------------------------------------------------
    def compute(self):
        tr = self.trace()
        k = int(self.step.value)
        return {"trace": tr, "step": k, "state": tr["steps"][k], "n_steps": tr["n_steps"]}

    def draw(self, r):
        tr, st, k = r["trace"], r["state"], r["step"]
        if self._graph_key != self.expression.value:
            self._build_graph(tr)
            self._graph_key = self.expression.value
        known, grads, complete = set(st["known"]), st["grads"], set(st["complete"])
        phase = st["phase"]
        for v, (hl, val, grd) in self._node_art.items():
            hl.set_visible(v == st["node"])
            hl.set_edgecolor(PHASE_COLORS.get(phase, COLORS["blue"]))
            val.set_visible(v in known)
            if v in known:
                val.set_text(f"data {_num(tr['value'][v])}")
            grd.set_visible(v in grads)
            if v in grads:
                done = v in complete
                grd.set_text(f"grad {_num(grads[v])}" + ("" if done else "…"))
                grd.set_color(COLORS["red"] if done else COLORS["orange"])
        active = set(st["edges"])
        for e, (fwd, bwd) in self._edge_art.items():
            fwd.set_visible(e in active and phase == "forward")
            bwd.set_visible(e in active and phase == "backward")
        words = {"inputs": "the inputs", "forward": "forward pass", "seed": "backward pass: seed",
                 "backward": "backward pass", "done": "done"}
        self.title.set_text(f"step {k} of {r['n_steps'] - 1} · {words[phase]}")
        self.rule_text.set_text(("local rule: " + st["rule"]) if st["rule"] else "")
        self.step_text.set_text(st["text"])
        self.back_button.disabled = k == 0
        self.step_button.disabled = k == r["n_steps"] - 1
        self._readout(tr, st)

    def _readout(self, tr, st):
        rows = []
        for v in tr["names"]:
            g = st["grads"].get(v)
            rows.append([v, fmt(tr["value"][v]) if v in st["known"] else "",
                         "" if g is None else fmt(g, 6) + ("" if v in st["complete"] else " …")])
        html = table_html(rows, header=["node", "value", "grad (so far)"])
        if st["phase"] == "done":
            checks = [[k, fmt(st["grads"][k], 10), fmt(tr["grad"][k], 10),
                       fmt(tr["numeric"][k], 10)] for k in tr["leaves"]]
            html += "<div style='font-size:90%;margin-top:4px'>the stepper's gradients vs " \
                    "dlmath's <code>.grad</code> and central differences (h = 1e-6):</div>" + \
                    table_html(checks, header=["leaf", "stepper", "dlmath .grad", "finite diff."])
        self.readout.value = html

    def on_error(self, message):
        self.readout.value = ""


def backprop_stepper(expression=None, step=0):
    """Step through backpropagation on a small graph — the tanh neuron of notebook 08 (default),
    L = (a·b + c)², a reused leaf (y = a·a + a) or two paths (tanh(m)·exp(m)). ``step ▶`` and
    ``◀ back`` (or the step slider) walk the forward pass node by node (each value appears), then
    the backward pass (seed ∂out/∂out = 1, then each node passes grad × local derivative to its
    inputs, which add it up). Values, gradients and local derivatives come from ``dlmath.Tensor``
    (``retain_grad``, ``backward``). ``step`` may be negative (−1: the last step).
    ``.result["state"]`` is the current step of ``backprop_trace``."""
    return BackpropStepper(expression, step)
