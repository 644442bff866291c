"""Wrong learner solutions for the differentiation exercises (notebooks 06-08), written from the
exercise text alone. Each function is wrong on some valid input; the comment above it names one.

Functions whose label starts with "HANGS:" never return (in any useful time) on some inputs.
"""
import numpy as np

EPS = np.finfo(np.float64).eps


# ---------------------------------------------------------------- 06 · central_difference(f, x, h)

# f = x^3, x = 1, h = 0.1: should be 3.01, this gives 6.02 (divides by h, not 2h)
def cd_divides_by_h(f, x, h):
    return (f(x + h) - f(x - h)) / h


# f = x^3, x = 1, h = 0.1: should be 3.01, this gives 0.602 * 0.1 (divides by 2, multiplies by h)
def cd_precedence(f, x, h):
    return (f(x + h) - f(x - h)) / 2 * h


# f = x^3, x = 1, h = 0.1: should be 3.01, this gives 3.31 (forward difference)
def cd_forward_difference(f, x, h):
    return (f(x + h) - f(x)) / h


# f = x^3, x = 1, h = 0.1: should be 3.01, this gives -3.01
def cd_sign_swapped(f, x, h):
    return (f(x - h) - f(x + h)) / (2 * h)


# x = np.array([0.0, 1.0]): float() of an array raises (only works for a single point)
def cd_float_result(f, x, h):
    return float((f(x + h) - f(x - h)) / (2 * h))


# f = x^3, x = 1, h = 0.1: should be 3 + h^2 = 3.01, this gives 3.00000001 (ignores h, uses 1e-4)
def cd_ignores_h(f, x, h):
    h = 1e-4
    return (f(x + h) - f(x - h)) / (2 * h)


# f = x^3, x = 1, h = 0.1: should be 3.01 (the asked formula), this gives exactly 3 (five-point
# stencil, not the central difference)
def cd_five_point_stencil(f, x, h):
    return (f(x - 2 * h) - 8 * f(x - h) + 8 * f(x + h) - f(x + 2 * h)) / (12 * h)


# x = np.array([1.0, 2.0]): the caller's array is shifted in place and left at x - h
def cd_shifts_x_in_place(f, x, h):
    x += h
    f_plus = f(x)
    x -= 2 * h
    f_minus = f(x)
    return (f_plus - f_minus) / (2 * h)


# ---------------------------------------------------------------- 06 · best_central_step(f0, f3, eps)

# f0 = sin(1), f3 = -cos(1): a negative base to the power 1/3 is a complex number
def step_no_abs(f0, f3, eps=EPS):
    return (3 * eps * f0 / f3) ** (1 / 3)


# f0 = f3 = 1: should be (3 eps)^(1/3) ~ 8.7e-6, this gives sqrt(3 eps) ~ 2.6e-8 (square root)
def step_square_root(f0, f3, eps=EPS):
    return (3 * eps * abs(f0) / abs(f3)) ** 0.5


# f0 = f3 = 1: should be (3 eps)^(1/3), this gives eps^(1/3) (drops the factor 3)
def step_missing_factor_3(f0, f3, eps=EPS):
    return (eps * abs(f0) / abs(f3)) ** (1 / 3)


# f0 = f3 = 1: should be (3 eps)^(1/3), this gives (6 eps)^(1/3)
def step_factor_6(f0, f3, eps=EPS):
    return (6 * eps * abs(f0) / abs(f3)) ** (1 / 3)


# f0 = f3 = 1: the exponent 1 // 3 is 0, so this always gives 1
def step_integer_exponent(f0, f3, eps=EPS):
    return (3 * eps * abs(f0) / abs(f3)) ** (1 // 3)


# f0 = 8, f3 = 1: should be (24 eps)^(1/3), this gives (3 eps / 8)^(1/3) (ratio inverted)
def step_ratio_inverted(f0, f3, eps=EPS):
    return (3 * eps * abs(f3) / abs(f0)) ** (1 / 3)


# f0 = 100, f3 = 1, or eps = 1e-7 (float32-ish): always 1e-5, the notebook's example value
def step_hard_coded(f0, f3, eps=EPS):
    return 1e-5


# f0 = 1, f3 = -1: np.cbrt of the signed ratio gives a negative step -8.7e-6
def step_signed_cube_root(f0, f3, eps=EPS):
    return float(np.cbrt(3 * eps * f0 / f3))


# ---------------------------------------------------------------- 07 · numerical_gradient(f, x, h)

# f = x0 * x1 at (1, 2): should be (2, 1), this gives 1.5 in both entries (moves every coordinate)
def ng_moves_all_coordinates(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    slope = (f(x + h) - f(x - h)) / (2 * h)
    return np.full_like(x, slope)


# f = x0 * x1 at (1, 2): x0 is left at 1 - h while x1 is measured
def ng_forgets_to_restore(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in range(x.size):
        old = x.flat[i]
        x.flat[i] = old + h
        f_plus = f(x)
        x.flat[i] = old - h
        f_minus = f(x)
        grad.flat[i] = (f_plus - f_minus) / (2 * h)
    return grad


# x = np.array([0.1, 0.7]): works in the caller's array with += / -=; x + h - 2h + h is not
# exactly x, so the caller's x comes back changed in its last bits
def ng_perturbs_caller_array(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for i in range(x.size):
        x.flat[i] += h
        f_plus = f(x)
        x.flat[i] -= 2 * h
        f_minus = f(x)
        x.flat[i] += h
        grad.flat[i] = (f_plus - f_minus) / (2 * h)
    return grad


# f = sum(x^2), x = np.array([1, 2]) (int): x.copy() keeps the int dtype, old +- h truncates
# (1 - 1e-5 -> 0), so this gives (50000, 150000) instead of (2, 4)
def ng_int_copy(f, x, h=1e-5):
    x = x.copy()
    grad = np.zeros(x.shape)
    for i in range(x.size):
        old = x.flat[i]
        x.flat[i] = old + h
        f_plus = f(x)
        x.flat[i] = old - h
        f_minus = f(x)
        x.flat[i] = old
        grad.flat[i] = (f_plus - f_minus) / (2 * h)
    return grad


# x of shape (2, 3): returns a flat (6,) gradient instead of one shaped like x
def ng_flat_result(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    grad = []
    for i in range(x.size):
        old = x.flat[i]
        x.flat[i] = old + h
        f_plus = f(x)
        x.flat[i] = old - h
        f_minus = f(x)
        x.flat[i] = old
        grad.append((f_plus - f_minus) / (2 * h))
    return np.array(grad)


# f = sum(x^2) at (1, 2): should be (2, 4), this gives (4, 8) (divides by h, not 2h)
def ng_divides_by_h(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in range(x.size):
        old = x.flat[i]
        x.flat[i] = old + h
        f_plus = f(x)
        x.flat[i] = old - h
        f_minus = f(x)
        x.flat[i] = old
        grad.flat[i] = (f_plus - f_minus) / h
    return grad


# f = sum(x^3) at (1,), h = 1e-2: forward difference gives 3.0301 instead of 3.0001
def ng_forward_difference(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    f0 = f(x)
    for i in range(x.size):
        old = x.flat[i]
        x.flat[i] = old + h
        grad.flat[i] = (f(x) - f0) / h
        x.flat[i] = old
    return grad


# x of shape (2, 3): x[i] moves a whole row and only rows 0, 1 get an entry
def ng_rows_not_entries(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in range(len(x)):
        old = x[i].copy()
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


# f(W) = sum(W @ v) for W of shape (2, 3): f is handed the flattened (6,) vector, not a matrix
def ng_flattens_input(f, x, h=1e-5):
    flat = np.array(x, dtype=float).ravel()
    grad = np.zeros_like(flat)
    for i in range(flat.size):
        e = np.zeros_like(flat)
        e[i] = h
        grad[i] = (f(flat + e) - f(flat - e)) / (2 * h)
    return grad.reshape(np.shape(x))


# ---------------------------------------------------------------- 07 · directional_derivative(grad, u)

# grad = (1, 0), u = (3, 4): should be 0.6, this gives 3 (u not normalised)
def dd_not_normalised(grad, u):
    return float(np.dot(grad, u))


# grad = (2, 0), u = (1, 0): should be 2, this gives 1 (normalises the gradient, not u)
def dd_normalises_gradient(grad, u):
    grad = np.asarray(grad, dtype=float)
    return float(grad @ np.asarray(u) / np.linalg.norm(grad))


# grad = (1, 0), u = (3, 4): should be 0.6, this gives 0.12 (divides by |u|^2)
def dd_divides_by_norm_squared(grad, u):
    u = np.asarray(u, dtype=float)
    return float(np.dot(grad, u) / (u @ u))


# grad = (1, 0), u = (3, 4): should be 0.6, this gives 3/7 (L1 length)
def dd_l1_normalised(grad, u):
    u = np.asarray(u, dtype=float)
    return float(np.dot(grad, u / np.sum(np.abs(u))))


# u = np.array([3, 4]) (int): u /= norm raises; a float u is changed in the caller's hands
def dd_normalises_u_in_place(grad, u):
    u /= np.linalg.norm(u)
    return float(np.dot(grad, u))


# grad = (1, 0), u = (0, 1): should be 0, this gives |grad| = 1 (the steepest slope)
def dd_gradient_norm(grad, u):
    return float(np.linalg.norm(grad))


# grad = (1, 2), u = (1, 0): should be the number 1, this gives the vector (1, 0)
def dd_forgets_to_sum(grad, u):
    u = np.asarray(u, dtype=float)
    return np.asarray(grad) * (u / np.linalg.norm(u))


# grad = (1, 0), u = (1, 0): should be 1, this gives -1
def dd_minus_sign(grad, u):
    u = np.asarray(u, dtype=float)
    return float(-np.dot(grad, u / np.linalg.norm(u)))


# grad = (1, 0), u = (1, -1): should be 1/sqrt(2), this gives 0 (sum()==0 taken for u = 0)
def dd_sum_zero_guard(grad, u):
    u = np.asarray(u, dtype=float)
    if u.sum() == 0:
        return 0.0
    return float(np.dot(grad, u / np.linalg.norm(u)))


# ---------------------------------------------------------------- 07 · gradient_descent(grad_f, x0, lr, steps)

# f = 2x^2, x0 = 1, lr = 0.1, steps = 1: should be 0.6, this gives 1.4 (ascent)
def gd_plus_sign(grad_f, x0, lr, steps):
    x = np.array(x0, dtype=float)
    for _ in range(steps):
        x = x + lr * grad_f(x)
    return x


# f = 2x^2, x0 = 1, lr = 0.1, steps = 2: should be 0.36, this gives 0.6 (one step short)
def gd_one_step_short(grad_f, x0, lr, steps):
    x = np.array(x0, dtype=float)
    for _ in range(1, steps):
        x = x - lr * grad_f(x)
    return x


# f = 2x^2, x0 = 1, lr = 0.1, steps = 1: should be 0.6, this gives 0.36 (one step too many)
def gd_one_step_extra(grad_f, x0, lr, steps):
    x = np.array(x0, dtype=float)
    for _ in range(steps + 1):
        x = x - lr * grad_f(x)
    return x


# any x0 array, steps >= 1: x = x0 then x -= ... overwrites the caller's x0
def gd_mutates_x0(grad_f, x0, lr, steps):
    x = x0
    for _ in range(steps):
        x -= lr * grad_f(x)
    return x


# x0 = np.array([1]) (int), f = 2x^2, lr = 0.1, steps = 1: x[:] = 0.6 truncates to 0
def gd_int_copy_in_place(grad_f, x0, lr, steps):
    x = np.array(x0)
    for _ in range(steps):
        x[:] = x - lr * grad_f(x)
    return x


# f = 2x^2, x0 = 1, lr = 0.1, steps = 2: should be 0.36, this gives 0.2 (gradient taken at x0 only)
def gd_gradient_at_x0_only(grad_f, x0, lr, steps):
    x = np.array(x0, dtype=float)
    g = grad_f(x)
    for _ in range(steps):
        x = x - lr * g
    return x


# f = 2x^2, x0 = 1, lr = 0.1, steps = 2: returns the list of iterates, not the final point
def gd_returns_path(grad_f, x0, lr, steps):
    x = np.array(x0, dtype=float)
    path = [x]
    for _ in range(steps):
        x = x - lr * grad_f(x)
        path.append(x)
    return np.array(path)


# f = 2x^2, x0 = 1, lr = 0.6 (diverges: factor -1.4), steps = 60: stops early once |grad| > 1e6
def gd_stops_when_diverging(grad_f, x0, lr, steps):
    x = np.array(x0, dtype=float)
    for _ in range(steps):
        g = grad_f(x)
        if np.linalg.norm(g) > 1e6:
            break
        x = x - lr * g
    return x


# ---------------------------------------------------------------- 08 · div_backward(a, b, out)

# a / a: should leave a.grad = 0, "=" overwrites the first share with the second (-1/a)
def div_assigns_instead_of_adding(a, b, out):
    a.grad = out.grad / b.data
    b.grad = -a.data / b.data ** 2 * out.grad


# a = 1, b = 2, out.grad = 3: a.grad should be 1.5, this gives 0.5 (forgets out.grad)
def div_forgets_out_grad(a, b, out):
    a.grad += 1 / b.data
    b.grad += -a.data / b.data ** 2


# a = 1, b = 2, out.grad = 1: b.grad should be -0.25, this gives +0.25
def div_sign_of_b_share(a, b, out):
    a.grad += out.grad / b.data
    b.grad += a.data / b.data ** 2 * out.grad


# a = 3, b = 2, out.grad = 1: b.grad should be -0.75, this gives -0.25 (-1/b^2, forgot a)
def div_b_share_forgets_a(a, b, out):
    a.grad += out.grad / b.data
    b.grad += -1 / b.data ** 2 * out.grad


# a = 1, b = 2, out.grad = 1: a.grad should be 0.5, this gives 2 (the product rule's b)
def div_a_share_times_b(a, b, out):
    a.grad += out.grad * b.data
    b.grad += -a.data / b.data ** 2 * out.grad


# a = 1, b = 2, a.grad = 5 beforehand: uses a.grad where a.data belongs
def div_uses_a_grad_for_a_data(a, b, out):
    a.grad += out.grad / b.data
    b.grad += -a.grad / b.data ** 2 * out.grad


# a = 1, b = 2, out.grad = 1: b.grad should be -0.25, this gives -0.5 (-a/b, not squared)
def div_b_share_not_squared(a, b, out):
    a.grad += out.grad / b.data
    b.grad += -a.data / b.data * out.grad


# a = 1, b = 2, out.grad = 1: b.grad should be -0.25, this gives -2 (-b/a^2: a and b swapped);
# right for a / a only
def div_b_share_swapped(a, b, out):
    a.grad += out.grad / b.data
    b.grad += -b.data / a.data ** 2 * out.grad


# a / a with a = 2: should add 0, this adds 1/2 (skips the second share when a is b)
def div_same_node_one_share(a, b, out):
    a.grad += out.grad / b.data
    if a is not b:
        b.grad += -a.data / b.data ** 2 * out.grad


# ---------------------------------------------------------------- 08 · topological_order(root)

def _bfs(root):
    order, seen, queue = [], {id(root)}, [root]
    while queue:
        v = queue.pop(0)
        order.append(v)
        for c in v._prev:
            if id(c) not in seen:
                seen.add(id(c))
                queue.append(c)
    return order


# r = a + c, c = 2 * b, b = 3 * a (the shortcut r <- a): BFS from r gives r, a, c, b;
# reversed, b comes before its input a
def topo_reversed_bfs(root):
    return _bfs(root)[::-1]


# r = a + b, a = 2 * b (r._prev = (a, b)): reversed pre-order DFS puts a before its input b
def topo_reversed_preorder(root):
    order, seen, stack = [], set(), [root]
    while stack:
        v = stack.pop()
        if v in seen:
            continue
        seen.add(v)
        order.append(v)
        stack.extend(v._prev)
    return order[::-1]


# a chain x -> x*x -> (x*x)*(x*x) ... of 40 squarings: no seen set, every shared input is
# revisited, 2^40 visits (never returns); on a / a it lists a twice
def topo_no_seen_set(root):
    order, stack = [], [(root, False)]
    while stack:
        v, inputs_done = stack.pop()
        if inputs_done:
            order.append(v)
        else:
            stack.append((v, True))
            stack.extend((c, False) for c in v._prev)
    return order


# r = x + y: should be [.., .., r] with r last, this gives r first (post-order reversed)
def topo_root_first(root):
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        v, inputs_done = stack.pop()
        if inputs_done:
            order.append(v)
        elif v not in seen:
            seen.add(v)
            stack.append((v, True))
            stack.extend((c, False) for c in v._prev if c not in seen)
    return order[::-1]


# r = x + y: root is missing from the list
def topo_drops_root(root):
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        v, inputs_done = stack.pop()
        if inputs_done:
            if v is not root:
                order.append(v)
        elif v not in seen:
            seen.add(v)
            stack.append((v, True))
            stack.extend((c, False) for c in v._prev if c not in seen)
    return order


# r = b + a, a = 2 * b: inputs marked seen when pushed; a is appended before b has been
def topo_marks_seen_on_push(root):
    order, seen, stack = [], {root}, [(root, False)]
    while stack:
        v, inputs_done = stack.pop()
        if inputs_done:
            order.append(v)
            continue
        stack.append((v, True))
        for c in v._prev:
            if c not in seen:
                seen.add(c)
                stack.append((c, False))
    return order


# a chain of 20 000 operations: recursion (like build_topo) raises RecursionError
def topo_recursive(root):
    order, seen = [], set()

    def visit(v):
        if v not in seen:
            seen.add(v)
            for c in v._prev:
                visit(c)
            order.append(v)
    visit(root)
    return order


# r = x + y with x.data == y.data == 1.0: "seen" keyed on the value, so y is dropped
def topo_seen_by_data(root):
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        v, inputs_done = stack.pop()
        if inputs_done:
            order.append(v)
        elif v.data not in seen:
            seen.add(v.data)
            stack.append((v, True))
            stack.extend((c, False) for c in v._prev if c.data not in seen)
    return order


WRONG = {
    "check_central_difference": [
        ("divides by h instead of 2h", cd_divides_by_h),
        ("/ 2 * h precedence", cd_precedence),
        ("forward difference", cd_forward_difference),
        ("sign swapped", cd_sign_swapped),
        ("float() of the result fails on arrays", cd_float_result),
        ("ignores h (fixed 1e-4)", cd_ignores_h),
        ("five-point stencil instead of the central difference", cd_five_point_stencil),
        ("shifts the caller's array in place", cd_shifts_x_in_place),
    ],
    "check_best_central_step": [
        ("no abs: complex cube root for negative f3", step_no_abs),
        ("square root instead of cube root", step_square_root),
        ("drops the factor 3", step_missing_factor_3),
        ("factor 6 instead of 3", step_factor_6),
        ("exponent 1 // 3 is 0", step_integer_exponent),
        ("ratio inverted", step_ratio_inverted),
        ("hard-coded 1e-5", step_hard_coded),
        ("signed cube root gives a negative step", step_signed_cube_root),
    ],
    "check_numerical_gradient": [
        ("moves every coordinate at once", ng_moves_all_coordinates),
        ("never restores the coordinate", ng_forgets_to_restore),
        ("perturbs the caller's array with += and -=", ng_perturbs_caller_array),
        ("x.copy() keeps an int dtype", ng_int_copy),
        ("returns a flat gradient", ng_flat_result),
        ("divides by h instead of 2h", ng_divides_by_h),
        ("forward difference", ng_forward_difference),
        ("moves whole rows via x[i]", ng_rows_not_entries),
        ("calls f on the flattened vector", ng_flattens_input),
    ],
    "check_directional_derivative": [
        ("u not normalised", dd_not_normalised),
        ("normalises the gradient instead of u", dd_normalises_gradient),
        ("divides by |u| squared", dd_divides_by_norm_squared),
        ("L1-normalised u", dd_l1_normalised),
        ("normalises u in place", dd_normalises_u_in_place),
        ("returns |grad|", dd_gradient_norm),
        ("forgets to sum (returns a vector)", dd_forgets_to_sum),
        ("minus sign", dd_minus_sign),
        ("sum()==0 as the zero-direction test", dd_sum_zero_guard),
    ],
    "check_gradient_descent": [
        ("plus sign (ascent)", gd_plus_sign),
        ("one step short", gd_one_step_short),
        ("one step too many", gd_one_step_extra),
        ("mutates the caller's x0", gd_mutates_x0),
        ("in-place update of an int copy", gd_int_copy_in_place),
        ("gradient evaluated at x0 only", gd_gradient_at_x0_only),
        ("returns the whole path", gd_returns_path),
        ("stops early when the gradient blows up", gd_stops_when_diverging),
    ],
    "check_div_backward": [
        ("assigns instead of adding", div_assigns_instead_of_adding),
        ("forgets out.grad", div_forgets_out_grad),
        ("wrong sign on b's share", div_sign_of_b_share),
        ("b's share -1/b^2 (forgets a)", div_b_share_forgets_a),
        ("a's share times b (product rule)", div_a_share_times_b),
        ("uses a.grad in place of a.data", div_uses_a_grad_for_a_data),
        ("b's share -a/b (not squared)", div_b_share_not_squared),
        ("b's share -b/a^2 (a and b swapped)", div_b_share_swapped),
        ("a / a gets only one share", div_same_node_one_share),
    ],
    "check_topological_order": [
        ("reversed BFS", topo_reversed_bfs),
        ("reversed pre-order DFS", topo_reversed_preorder),
        ("HANGS: no seen set (exponential on shared inputs)", topo_no_seen_set),
        ("root first (list reversed)", topo_root_first),
        ("drops the root", topo_drops_root),
        ("marks inputs seen when pushed", topo_marks_seen_on_push),
        ("recursive (RecursionError on a deep chain)", topo_recursive),
        ("seen set keyed on node.data", topo_seen_by_data),
    ],
}
