"""Checkers for notebook 17: the Gaussian KL of a VAE, the reparameterisation trick, the ELBO.
Each lists its hand-picked cases and the classic mistakes it recognises; expected values are
hand-computed numbers or come from an independent oracle, never a reference solution's output:

* ``check_kl_gaussian_standard`` integrates the *definition* KL(q‖p) = ∫ q log(q/p) numerically,
  one latent dimension at a time (a diagonal Gaussian's density is a product, so the KL of
  independent dimensions adds), with the log-densities from ``dlmath.prob.Normal``;
* ``check_reparameterize`` builds every input from a known answer: it picks μ, σ and ε, hands
  over logvar = 2 log σ, and expects z = μ + σε and, for a weighted sum Σ w·z, the gradients
  Σ_s w (for μ) and ½ Σ_s w σ ε (for logvar);
* ``check_elbo`` evaluates the Bernoulli log-likelihood with mpmath at 30 digits and the KL with
  ``dlmath.info.kl_normal``."""
import math

import mpmath
import numpy as np

from .core import Case, Given, Mistake, Sweep, fmt, run_checks, _call
from .core import as_array as _arr, matches as _is
from ..info import kl_normal
from ..prob import Normal

__all__ = ["check_kl_gaussian_standard", "check_reparameterize", "check_elbo"]


def _nonfinite(out):
    try:
        return not bool(np.all(np.isfinite(_arr(out))))
    except (TypeError, ValueError):
        return False


def _compare(expected, rtol=1e-7, atol=1e-9, what="one value per example"):
    """An ``expect``: shape (explained), finiteness, then values."""
    expected = np.asarray(expected, dtype=float)

    def expect(out):
        try:
            got = _arr(out)
        except (TypeError, ValueError):
            return f"expected an array of shape {expected.shape}, got {fmt(out)}"
        if got.shape != expected.shape:
            return (f"expected shape {expected.shape} ({what}), got {got.shape}"
                    + (f": {fmt(got)}" if got.size <= 12 else ""))
        if not np.all(np.isfinite(got)):
            return f"expected {fmt(expected)}, got {fmt(got)} (nan or inf)"
        if not np.allclose(got, expected, rtol=rtol, atol=atol):
            if expected.size <= 12:
                return f"expected {fmt(expected, digits=10)}, got {fmt(got, digits=10)}"
            worst = tuple(int(i) for i in np.unravel_index(np.argmax(np.abs(got - expected)),
                                                           got.shape))
            return (f"expected {fmt(expected[worst], digits=10)} at index {worst}, got "
                    f"{fmt(got[worst], digits=10)}")
        return None
    return expect


# ---------------------------------------------------------------------------------------------
# Exercise 1 · KL(N(μ, diag σ²) ‖ N(0, I))
# ---------------------------------------------------------------------------------------------

_T = np.linspace(-20.0, 20.0, 2001)             # standardised grid t = (z − μ)/σ
_W = np.full(_T.size, _T[1] - _T[0])
_W[[0, -1]] /= 2                                # trapezoid weights


def _kl_1d_integral(mu, logvar):
    """KL(N(μ, σ²) ‖ N(0, 1)) = ∫ q(z) log(q(z)/p(z)) dz for arrays of (μ, log σ²), by the
    trapezoid rule in z = μ + σt (dz = σ dt, so q dz = φ(t) dt): spectrally accurate for a
    Gaussian times a polynomial; the tails beyond |t| = 20 weigh less than e^(−200)."""
    mu = np.asarray(mu, dtype=float).reshape(-1, 1)
    sigma = np.exp(0.5 * np.asarray(logvar, dtype=float)).reshape(-1, 1)
    z = mu + sigma * _T
    q = Normal(mu, sigma)
    log_ratio = q.log_prob(z) - Normal(0.0, 1.0).log_prob(z)
    dens_dz = np.exp(q.log_prob(z)) * sigma                       # q(z) dz/dt
    return (dens_dz * log_ratio) @ _W


def _kl_oracle(mu, logvar):
    """Per-example KL: the 1-D integrals of each (example, dimension), added over the last axis
    (the log-density of a diagonal Gaussian is a sum over dimensions)."""
    mu, logvar = np.asarray(mu, dtype=float), np.asarray(logvar, dtype=float)
    per_dim = _kl_1d_integral(mu, logvar).reshape(mu.shape)
    return per_dim.sum(axis=-1)


def _kl_terms(mu, lv):
    return mu ** 2 + np.exp(lv) - 1 - lv            # twice the KL per dimension (for variants)


def _kl_input(rng, i):
    """(mu, logvar) of shape (..., d): corners first — all zero (KL exactly 0), one 1-D example,
    d = 1 with two leading axes, logvar at −30 and 10, integer arrays, a (1, 1) batch."""
    corners = [
        (np.zeros(3), np.zeros(3)),
        (np.array([0.7]), np.array([-0.4])),
        (np.array([[[0.5], [-1.0]], [[2.0], [0.0]]]), np.array([[[0.0], [1.0]], [[-2.0], [3.0]]])),
        (np.array([[0.0, 1.0], [-2.0, 0.5]]), np.array([[-30.0, 10.0], [10.0, -30.0]])),
        (np.array([[1, -2, 0], [3, 0, -1]]), np.array([[0, 2, -3], [1, -1, 0]])),
        (np.array([[0.3]]), np.array([[1e-8]])),
        (np.zeros((2, 3, 2)), np.zeros((2, 3, 2))),
    ]
    if i < len(corners):
        return corners[i]
    lead = [(), (int(rng.integers(1, 6)),),
            (int(rng.integers(1, 4)), int(rng.integers(1, 4)))][i % 3]
    d = int(rng.choice([1, 2, 3, 5, 8]))
    shape = lead + (d,)
    mu = rng.normal(0, rng.choice([0.1, 1.0, 5.0]), shape)
    lv = rng.uniform(-3, 3, shape) * rng.choice([0.1, 1.0, 3.0])
    if i % 6 == 1:
        lv.flat[int(rng.integers(lv.size))] = rng.choice([-30.0, 10.0])
    if i % 7 == 2:
        mu, lv = np.round(mu).astype(np.int64), np.round(lv).astype(np.int64)
    if i % 11 == 5:
        mu.flat[:] = 0.0
    return mu, lv


def check_kl_gaussian_standard(fn):
    """kl_gaussian_standard(mu, logvar) → KL(N(μ, diag σ²) ‖ N(0, I)) per example, summed over
    the last axis: ½ Σ_j (μ_j² + σ_j² − 1 − log σ_j²), σ² = exp(logvar); shape mu.shape[:-1].

    Catches: the −1 or the log σ² term missing, logvar used as log σ or as σ² taken for σ (σ
    and σ² confused), logvar used as the variance itself, μ not squared, the sign of log σ²
    flipped, the ½ missing, the −1 counted once per example, the reversed KL(N(0, I) ‖ q), no
    sum over the latent dimensions (or a mean), a sum or mean over the batch too, a sum over
    the first axis. Sweep: the definition ∫ q log(q/p) integrated numerically per dimension."""
    log2, log4 = math.log(2.0), math.log(4.0)
    cases = [
        Case("one example, d = 1: μ = 1, σ² = 1 (KL = ½·1² = 0.5)",
             (np.array([1.0]), np.array([0.0])), _compare(0.5)),
        Case("μ = 0 and logvar = 0 in every dimension: q is the prior, KL = 0",
             (np.zeros(4), np.zeros(4)), _compare(0.0)),
        Case("μ = 0, σ² = 2: KL = ½(2 − 1 − log 2)",
             (np.array([0.0]), np.array([log2])), _compare(0.5 * (1 - log2))),
        Case("μ = −3, σ² = 1: KL = ½·9 = 4.5 (μ enters squared)",
             (np.array([-3.0]), np.array([0.0])), _compare(4.5)),
        Case("a batch of 3 examples with d = 2 (one KL per row, summed over the 2 dimensions)",
             (np.array([[1.0, -2.0], [0.0, 0.0], [0.0, 0.5]]),
              np.array([[0.0, 0.0], [log4, -log4], [log2, 0.0]])),
             _compare([2.5, 1.125, 0.5 * (1 - log2) + 0.125])),
        Case("d = 1 with a batch of 4: shape (4, 1) gives 4 KLs",
             (np.array([[0.0], [1.0], [2.0], [-1.0]]), np.array([[0.0], [0.0], [0.0], [0.0]])),
             _compare([0.0, 0.5, 2.0, 0.5])),
        Case("logvar −30 and 10 in one example (σ² = e^−30 and e^10)",
             (np.array([0.0, 0.0]), np.array([-30.0, 10.0])),
             _compare(0.5 * (math.exp(-30) + 29 + math.exp(10) - 11))),
        Case("integer arrays", (np.array([[1, 0], [0, 2]]), np.array([[0, 0], [1, -1]])),
             _compare([0.5, 2.0 + 0.5 * (math.e - 2 + math.exp(-1))])),
        Case("two leading batch axes, shape (2, 3, 4) → (2, 3)",
             (np.linspace(-1.5, 2.0, 24).reshape(2, 3, 4),
              np.linspace(2.0, -2.5, 24).reshape(2, 3, 4)),
             _compare(_kl_oracle(np.linspace(-1.5, 2.0, 24).reshape(2, 3, 4),
                                 np.linspace(2.0, -2.5, 24).reshape(2, 3, 4)))),
    ]
    mu = np.array([[0.5, -1.0, 2.0], [1.5, 0.3, -0.7]])
    lv = np.array([[0.4, -1.2, 0.9], [-0.3, 1.1, -2.0]])
    lv_pos = np.abs(lv) + 0.1
    mu3 = np.linspace(-1.5, 2.0, 24).reshape(2, 3, 4)
    lv3 = np.linspace(2.0, -2.5, 24).reshape(2, 3, 4)
    mu_int, lv_int = np.array([[1, -2, 0], [3, 0, -1]]), np.array([[0, 2, -3], [1, -1, 0]])
    kl_int = 0.5 * _kl_terms(mu_int, lv_int).sum(axis=-1)

    def gives(variant, lv_=lv):
        return lambda fn_: _is(_call(fn_, (mu, lv_)), variant(mu, lv_), 1e-8, 1e-10)

    def half_sum(t):
        return 0.5 * t.sum(axis=-1)

    mistakes = [
        Mistake("no −1", gives(lambda m, v: half_sum(m ** 2 + np.exp(v) - v)),
                "the −1 is missing: per dimension the KL is ½(μ² + σ² − 1 − log σ²), which is 0 "
                "when q is the prior (μ = 0, σ² = 1). Without the −1 the KL of the prior with "
                "itself would be d/2."),
        Mistake("no log σ²", gives(lambda m, v: half_sum(m ** 2 + np.exp(v) - 1)),
                "the −log σ² term is missing: it comes from log(σ₂/σ₁) = −½ log σ² in the 1-D "
                "formula, and it is what makes a very narrow q (σ² → 0) expensive."),
        Mistake("logvar as log σ", gives(lambda m, v: half_sum(m ** 2 + np.exp(2 * v) - 1 - 2 * v)),
                "logvar is log σ², not log σ: σ² = exp(logvar) and log σ² = logvar (no factor 2)."),
        Mistake("σ for σ²", lambda fn_: any(gives(f)(fn_) for f in (
                    lambda m, v: half_sum(m ** 2 + np.exp(v / 2) - 1 - v),
                    lambda m, v: half_sum(m ** 2 + np.exp(v / 2) - 1 - v / 2),
                    lambda m, v: half_sum(m ** 2 + np.exp(v) - 1 - v / 2))),
                "σ and σ² are mixed up: the formula needs the variance σ² = exp(logvar) and its "
                "logarithm log σ² = logvar; σ = exp(½ logvar) appears nowhere."),
        Mistake("logvar as the variance",
                lambda fn_: gives(lambda m, v: half_sum(m ** 2 + v - 1 - np.log(v)), lv_pos)(fn_),
                "logvar is the *logarithm* of the variance: σ² = exp(logvar) (it can be negative; "
                "a variance cannot), and log σ² is logvar itself."),
        Mistake("μ not squared", gives(lambda m, v: half_sum(m + np.exp(v) - 1 - v)),
                "μ enters squared: ½(μ² + σ² − 1 − log σ²) — a KL is never negative, and moving "
                "q to −μ costs as much as moving it to +μ."),
        Mistake("+ log σ²", gives(lambda m, v: half_sum(m ** 2 + np.exp(v) - 1 + v)),
                "the sign of log σ² is wrong: the term is −log σ² (from log(σ₂/σ₁) with σ₂ = 1)."),
        Mistake("½ missing", gives(lambda m, v: 2 * half_sum(_kl_terms(m, v))),
                "the ½ is missing: KL = ½ Σ_j (μ_j² + σ_j² − 1 − log σ_j²). (Check: μ = 1, σ² = 1 "
                "gives 0.5.)"),
        Mistake("−1 once per example", gives(lambda m, v: half_sum(m ** 2 + np.exp(v) - v) - 0.5),
                "the −1 belongs to every dimension (it is inside the sum): ½ Σ_j (μ_j² + σ_j² − 1 "
                "− log σ_j²), so the prior has KL 0 in any number of dimensions."),
        Mistake("reversed KL", gives(lambda m, v: half_sum(v + (1 + m ** 2) * np.exp(-v) - 1)),
                "that is KL(N(0, I) ‖ q), the reverse direction: the VAE's term is KL(q ‖ p) with "
                "q = N(μ, σ²) first, ½(μ² + σ² − 1 − log σ²). KL is not symmetric."),
        Mistake("not summed over the latent dimensions",
                lambda fn_: _is(_call(fn_, (mu, lv)), 0.5 * _kl_terms(mu, lv), 1e-8, 1e-10)
                or _is(_call(fn_, (mu, lv)), 0.5 * _kl_terms(mu, lv).mean(axis=-1), 1e-8, 1e-10),
                "return one KL per example, *summed* over the last axis (the latent dimensions): "
                "the KL of independent dimensions adds, it is not averaged or kept per dimension."),
        Mistake("summed over the batch", lambda fn_: any(
                    _is(_call(fn_, (mu, lv)), f(half_sum(_kl_terms(mu, lv))), 1e-8, 1e-10)
                    for f in (np.sum, np.mean)),
                "return one KL per example (shape mu.shape[:-1]): sum over the last axis only, "
                "not over the batch as well."),
        Mistake("summed over the first axis", lambda fn_: _is(
                    _call(fn_, (mu, lv)), 0.5 * _kl_terms(mu, lv).sum(axis=0), 1e-8, 1e-10)
                or any(_is(_call(fn_, (mu3, lv3)), 0.5 * _kl_terms(mu3, lv3).sum(axis=k), 1e-8,
                           1e-10) for k in (0, 1)),
                "the latent dimensions are the *last* axis (axis=-1); the axes before it are the "
                "batch, however many there are."),
        Mistake("keepdims", lambda fn_: _is(_call(fn_, (mu, lv)),
                                            half_sum(_kl_terms(mu, lv))[:, None], 1e-8, 1e-10),
                "return shape mu.shape[:-1] — one number per example, no trailing axis of length "
                "1 (no keepdims=True)."),
        Mistake("integer inputs truncated", lambda fn_: _is(
                    _call(fn_, (mu_int.astype(float), lv_int.astype(float))), kl_int, 1e-8, 1e-10)
                and not _is(_call(fn_, (mu_int, lv_int)), kl_int, 1e-8, 1e-10),
                "right for float arrays, wrong for integer ones: convert first, "
                "np.asarray(mu, dtype=float) — an integer result buffer (np.zeros_like(mu), an "
                "in-place += into an int array) truncates the KL."),
    ]
    sweep = Sweep(_kl_input, _kl_oracle, lambda out, exp, args: _compare(exp)(out), n=150,
                  seed=17, property="KL = ∫ q log(q/p) (numerical integration per dimension, "
                                    "summed over the last axis)",
                  hint="KL = ½ Σ over the last axis of (μ² + exp(logvar) − 1 − logvar).")
    return run_checks("kl_gaussian_standard", fn, cases, mistakes, sweep=sweep, hint=sweep.hint)


# ---------------------------------------------------------------------------------------------
# Exercise 2 · the reparameterisation trick
# ---------------------------------------------------------------------------------------------

def _tensor(a, grad=False):
    from ..autograd import Tensor
    return Tensor(np.array(a, dtype=np.float64), requires_grad=grad)


def _rep_given(mu, sigma, eps, w):
    """Given((mu, logvar, eps) as Tensors, expected) for chosen μ, σ > 0, ε and weights w (of
    ε's shape): logvar = 2 log σ; z = μ + σε; ∂Σwz/∂μ = Σ_s w, ∂Σwz/∂logvar = ½ Σ_s w σ ε."""
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    eps, w = np.asarray(eps, dtype=float), np.asarray(w, dtype=float)
    logvar = 2 * np.log(sigma)
    lead = tuple(range(eps.ndim - mu.ndim))
    expected = {"z": mu + sigma * eps, "w": w,
                "grad_mu": w.sum(axis=lead) if lead else w,
                "grad_logvar": (0.5 * w * sigma * eps).sum(axis=lead) if lead
                else 0.5 * w * sigma * eps,
                "inputs": (mu.copy(), logvar.copy(), eps.copy())}
    return Given((_tensor(mu, True), _tensor(logvar, True), _tensor(eps)), expected)


def _rep_compare(out, expected, args):
    """Values, then the inputs unchanged, then the gradients of Σ w·z through the result."""
    from ..autograd import Tensor
    z = expected["z"]
    if isinstance(out, np.ndarray):
        return ("you returned a NumPy array, not a dlmath Tensor: no gradient can flow back to mu "
                "and logvar. Build z from Tensor operations (mu + (0.5 * logvar).exp() * eps)")
    if not isinstance(out, Tensor):
        return f"expected a dlmath Tensor of shape {z.shape}, got {fmt(out)}"
    problem = _compare(z, 1e-9, 1e-12, "eps's shape")(out)
    if problem:
        return problem
    for name, t, before in zip(("mu", "logvar", "eps"), args, expected["inputs"]):
        if not np.array_equal(t.data, before):
            return f"your function changed its input {name} in place; the caller's data must stay"
    if not out.requires_grad:
        return ("the values are right, but the result is not connected to mu and logvar (its "
                "requires_grad is False): NumPy on .data, or a new dlmath.tensor(...), cuts the "
                "graph — use Tensor operations")
    mu, logvar = args[0], args[1]
    mu.grad = logvar.grad = None
    try:
        (out * _tensor(expected["w"])).sum().backward()
    except Exception as e:
        return f"backward through your result raised {type(e).__name__}: {e}"
    for name, t, key in (("mu", mu, "grad_mu"), ("logvar", logvar, "grad_logvar")):
        g = expected[key]
        if t.grad is None:
            return (f"the values are right, but no gradient reaches {name}: it was used through "
                    f"NumPy (.data) or .detach(), which cuts the graph")
        got = _arr(t.grad)
        if got.shape != g.shape or not np.allclose(got, g, rtol=1e-8, atol=1e-12):
            return (f"the values are right, but the gradient of Σ w·z with respect to {name} is "
                    f"wrong: expected {fmt(g)}, got {fmt(got)}")
    return None


def _rep_case(name, mu, sigma, eps, w=None, hint=""):
    eps = np.asarray(eps, dtype=float)
    w = np.linspace(0.5, 1.5, eps.size).reshape(eps.shape) if w is None else w
    given = _rep_given(mu, sigma, eps, w)
    return Case(name, given.args, lambda out, g=given: _rep_compare(out, g.expected, g.args), hint)


def _rep_input(rng, i):
    """Corners first: ε = 0 (z = μ, no gradient for logvar), σ = 1, N = d = 1, S = 1, logvar at
    −20 and 6; then N 1–6, d 1–5, with or without S 1–6 draws, log σ uniform in [−10, 3]."""
    if i == 0:
        return _rep_given([[0.5, -1.0]], [[2.0, 0.5]], np.zeros((1, 2)), [[1.0, -2.0]])
    if i == 1:
        return _rep_given([[0.3]], [[1.0]], [[1.7]], [[1.0]])
    if i == 2:
        return _rep_given([[1.0, 2.0]], [[math.exp(-10), math.exp(3)]], [[[1.5, -0.5]]],
                          [[[1.0, 1.0]]])
    N, d = int(rng.integers(1, 7)), int(rng.integers(1, 6))
    mu = rng.normal(0, rng.choice([0.5, 2.0]), (N, d))
    sigma = np.exp(rng.uniform(-10, 3, (N, d)) if i % 3 else rng.uniform(-1, 1, (N, d)))
    shape = (N, d) if i % 2 else (int(rng.integers(1, 7)), N, d)
    return _rep_given(mu, sigma, rng.standard_normal(shape), rng.uniform(-2, 2, shape))


def check_reparameterize(fn):
    """reparameterize(mu, logvar, eps) → the Tensor z = μ + exp(½ logvar)·ε, eps of shape (N, d)
    or (S, N, d); graded on values *and* on the gradients of Σ w·z reaching mu and logvar.

    Catches: logvar used as σ, exp(logvar) (the variance) used as σ, the ½ outside the exp,
    exp(−½ logvar), √logvar, μ or σ forgotten, randomness of its own instead of eps, the
    graph cut (NumPy on .data, a new tensor, .detach()), a NumPy array returned, one ε shared
    by all S draws, by all examples or by all latent dimensions, the draws averaged. Sweep:
    inputs built from chosen μ, σ and ε."""
    cases = [
        _rep_case("N = d = 1: μ = 0.5, σ = 2 (logvar = log 4), ε = 1.5 → z = 3.5",
                  [[0.5]], [[2.0]], [[1.5]]),
        _rep_case("a batch of 3 with d = 2, σ from e^−10 to e^3 (logvar −20 to 6)",
                  [[0.0, 1.0], [-2.0, 0.5], [3.0, -1.0]],
                  [[math.exp(-10), 1.0], [3.0, 0.25], [math.exp(3), 0.5]],
                  [[1.0, -0.5], [0.3, 2.0], [-1.2, 0.8]]),
        _rep_case("ε = 0: z = μ, and the gradient for logvar is 0",
                  [[1.0, -1.0]], [[2.0, 3.0]], np.zeros((1, 2))),
        _rep_case("S = 5 draws of shape (5, 2, 3): z[s] = μ + σ·ε[s]",
                  [[0.0, 1.0, -1.0], [2.0, 0.0, 0.5]], [[1.0, 2.0, 0.5], [0.1, 1.5, 4.0]],
                  np.linspace(-2, 2, 30).reshape(5, 2, 3) ** 3 / 3),
        _rep_case("S = 1 draw, shape (1, 2, 2)", [[0.2, -0.4], [1.0, 0.0]],
                  [[0.7, 1.3], [2.0, 0.2]], [[[0.5, -1.5], [2.5, 0.1]]]),
    ]
    mu0 = np.array([[0.5, -1.0, 2.0], [1.5, 0.3, -0.7]])
    lv0 = np.array([[0.4, -1.2, 0.9], [-0.3, 1.1, -2.0]])
    eps_s = np.array([[[1.2, -0.3, 0.8], [-1.1, 0.6, 0.2]], [[0.4, 1.5, -0.9], [0.7, -0.2, 1.3]],
                      [[-0.5, 0.1, 2.0], [1.6, -1.4, -0.6]]])              # (3, 2, 3)

    def run(fn_, eps=eps_s, lv=lv0):
        return _call(fn_, (_tensor(mu0, True), _tensor(lv, True), _tensor(eps)))

    def gives(sigma_of, lv=lv0, eps=eps_s, mu_term=True):
        def detect(fn_):
            expected = (mu0 if mu_term else 0) + sigma_of(lv) * eps
            return _is(run(fn_, eps, lv), expected, 1e-8, 1e-10)
        return detect

    sigma = np.exp(0.5 * lv0)

    def broadcast_is(out, expected):
        """out equals expected (of eps_s's shape) once broadcast to it: a result of shape
        (N, d) or (1, N, d) that repeats one draw counts."""
        try:
            got = _arr(out)
            got = np.broadcast_to(got, eps_s.shape) if got.ndim <= 3 else got
        except (TypeError, ValueError):
            return False
        return _is(got, expected, 1e-8, 1e-10)

    def shared(eps_shared):
        return lambda fn_: broadcast_is(run(fn_),
                                        mu0 + sigma * np.broadcast_to(eps_shared, eps_s.shape))

    def right_values(fn_):
        return _is(run(fn_), mu0 + sigma * eps_s, 1e-8, 1e-10)

    def no_path(fn_):
        """Right values, but no gradient reaches logvar (or mu) through the result."""
        from ..autograd import Tensor
        mu, lv = _tensor(mu0, True), _tensor(lv0, True)
        out = _call(fn_, (mu, lv, _tensor(eps_s)))
        if not _is(out, mu0 + sigma * eps_s, 1e-8, 1e-10):
            return False
        if not isinstance(out, Tensor) or not out.requires_grad:
            return True
        out.sum().backward()
        return lv.grad is None or mu.grad is None or not np.any(_arr(lv.grad))

    def own_randomness(fn_):
        a, b = _arr(run(fn_)), _arr(run(fn_))
        zero = _arr(run(fn_, np.zeros_like(eps_s)))
        return (a.shape == b.shape and not np.allclose(a, b)) or \
            (zero.shape == eps_s.shape and not np.allclose(zero, np.broadcast_to(mu0, eps_s.shape)))

    lv_pos = np.abs(lv0) + 0.1
    mistakes = [
        Mistake("logvar as σ", gives(lambda v: v),
                "logvar is log σ², not σ: σ = exp(½ logvar). Using logvar itself as the scale "
                "gives negative scales and the wrong spread."),
        Mistake("variance as σ", gives(lambda v: np.exp(v)),
                "exp(logvar) is the variance σ², not the standard deviation: z = μ + σε needs "
                "σ = exp(½ logvar) = √(exp(logvar))."),
        Mistake("½ outside the exp", gives(lambda v: 0.5 * np.exp(v)),
                "the ½ belongs inside the exponential: σ = exp(½ logvar), not ½ exp(logvar)."),
        Mistake("exp(2·logvar)", gives(lambda v: np.exp(2 * v)),
                "exp(2·logvar) is σ⁴: σ is the *square root* of the variance exp(logvar), "
                "σ = exp(½ logvar)."),
        Mistake("exp(−½ logvar)", gives(lambda v: np.exp(-0.5 * v)),
                "exp(−½ logvar) is 1/σ: the scale is σ = exp(+½ logvar)."),
        Mistake("√logvar", gives(lambda v: np.sqrt(v), lv=lv_pos),
                "√logvar is not σ (and is nan for a negative logvar): σ = exp(½ logvar)."),
        Mistake("μ forgotten", gives(lambda v: np.exp(0.5 * v), mu_term=False),
                "μ is missing: z = μ + σε, the noise scaled by σ and shifted to the mean."),
        Mistake("σ forgotten", gives(lambda v: np.ones_like(v)),
                "σ is missing: z = μ + σε, not μ + ε — with σ the gradient also reaches logvar."),
        Mistake("own randomness", own_randomness,
                "don't draw random numbers yourself: all the randomness is in the eps you are "
                "given (that is the point of the trick — z is then a deterministic, "
                "differentiable function of μ and logvar). z = μ + exp(½ logvar)·eps."),
        Mistake("graph cut", no_path,
                "the values are right, but the gradient does not reach mu and logvar: NumPy "
                "functions on .data, a new dlmath.tensor(...) or .detach() cut the graph. Use "
                "Tensor operations: mu + (0.5 * logvar).exp() * eps."),
        Mistake("one ε for all draws", shared(eps_s[:1]),
                "every one of the S draws needs its own ε: z[s] = μ + σ·eps[s]. Broadcasting "
                "mu + sigma * eps does this for you."),
        Mistake("one ε for all examples", shared(eps_s[:, :1]),
                "each example needs its own ε (eps[..., n, :]); you used one example's ε for the "
                "whole batch. mu + sigma * eps broadcasts correctly."),
        Mistake("one ε for all dimensions", shared(eps_s[..., :1]),
                "each latent dimension needs its own ε (the dimensions are independent); you used "
                "one ε per example for all of them."),
        Mistake("draws averaged", lambda fn_: broadcast_is(
                    run(fn_), np.broadcast_to(mu0 + sigma * eps_s.mean(axis=0), eps_s.shape)),
                "return one z per draw, of eps's shape (S, N, d), not their average."),
    ]
    sweep = Sweep(_rep_input, None, _rep_compare, n=100, seed=17,
                  property="value z = μ + σε and gradients (for μ, σ, ε the checker chose, "
                           "logvar = 2 log σ)",
                  hint="z = mu + (0.5 * logvar).exp() * eps, with Tensor operations only.")
    return run_checks("reparameterize", fn, cases, mistakes, sweep=sweep, hint=sweep.hint)


# ---------------------------------------------------------------------------------------------
# Exercise 3 · the ELBO with a Bernoulli decoder
# ---------------------------------------------------------------------------------------------

def _bernoulli_loglik(x, logits):
    """Σ_j x log σ(ℓ) + (1 − x) log(1 − σ(ℓ)) per row, with mpmath at 30 digits: σ(ℓ) =
    1/(1 + e^−ℓ), so log σ(ℓ) = −log(1 + e^−ℓ) and log(1 − σ(ℓ)) = −log(1 + e^ℓ)."""
    x, logits = np.asarray(x, dtype=float), np.asarray(logits, dtype=float)
    out = np.empty(x.shape[0])
    with mpmath.workdps(30):
        for n in range(x.shape[0]):
            total = mpmath.mpf(0)
            for xv, lv in zip(x[n], logits[n]):
                l = mpmath.mpf(float(lv))
                if xv != 0:
                    total -= mpmath.mpf(float(xv)) * mpmath.log1p(mpmath.exp(-l))
                if xv != 1:
                    total -= (1 - mpmath.mpf(float(xv))) * mpmath.log1p(mpmath.exp(l))
            out[n] = float(total)
    return out


def _kl_closed(mu, logvar):
    mu, logvar = np.asarray(mu, dtype=float), np.asarray(logvar, dtype=float)
    return np.sum(kl_normal(mu, np.exp(0.5 * logvar)), axis=-1)


def _elbo_oracle(x, logits, mu, logvar):
    return _bernoulli_loglik(x, logits) - _kl_closed(mu, logvar)


def _elbo_input(rng, i):
    """(x, logits, mu, logvar): corners first — logits ±1000 on pixels that agree and disagree,
    D = 64 digit-sized rows, one example, integer 0/1 images, d = 1; then N 1–4, D 1–16, d 1–4,
    x binary or intensities in [0, 1], logits at scale 1–30 with an occasional ±1000."""
    if i == 0:
        return (np.array([[1.0, 0.0, 1.0, 0.0]]), np.array([[-1000.0, 1000.0, 1000.0, -1000.0]]),
                np.array([[0.5]]), np.array([[-0.5]]))
    if i == 1:
        return (rng.integers(0, 17, (2, 64)) / 16, rng.normal(0, 3, (2, 64)),
                rng.normal(0, 1, (2, 2)), rng.normal(0, 1, (2, 2)))
    if i == 2:
        return (rng.integers(0, 2, (3, 5)), rng.integers(-8, 9, (3, 5)),
                rng.integers(-2, 3, (3, 2)), rng.integers(-2, 3, (3, 2)))
    N, D, d = int(rng.integers(1, 5)), int(rng.integers(1, 17)), int(rng.integers(1, 5))
    if i % 3 == 0:
        x = rng.integers(0, 2, (N, D)).astype(float)
    else:
        x = rng.choice([0.0, 0.25, 0.5, 1.0, rng.random()], (N, D))
    logits = rng.normal(0, rng.choice([1.0, 5.0, 30.0]), (N, D))
    if i % 5 == 1:
        logits.flat[int(rng.integers(logits.size))] = rng.choice([-1000.0, 1000.0])
    mu = rng.normal(0, rng.choice([0.3, 1.0, 3.0]), (N, d))
    logvar = rng.uniform(-5, 3, (N, d))
    return x, logits, mu, logvar


def check_elbo(fn):
    """elbo(x, x_logits, mu, logvar) → (N,) per-example ELBO of a Bernoulli-decoder VAE:
    Σ_j [x log σ(ℓ) + (1 − x) log(1 − σ(ℓ))] − ½ Σ_k (μ² + σ² − 1 − log σ²).

    Catches: the KL added instead of subtracted, the loss −ELBO returned, the reconstruction's
    sign flipped, the KL or the reconstruction missing, log of a computed sigmoid (or
    log(1 + eᵗ)) that overflows at ±1000, clipped probabilities, logits used as probabilities,
    x and σ(ℓ) swapped, a mean over the pixels, a mean or sum over the batch, the KL summed
    over the batch. Sweep: mpmath's Bernoulli log-likelihood minus dlmath.info.kl_normal."""
    l2 = math.log(2.0)
    cases = [
        Case("two pixels x = (1, 0) with logits 0 (σ = ½), q = the prior: ELBO = 2 log ½",
             (np.array([[1.0, 0.0]]), np.array([[0.0, 0.0]]), np.zeros((1, 1)), np.zeros((1, 1))),
             _compare([-2 * l2])),
        Case("x = 1 with logit −1000: log σ(−1000) = −1000 (finite)",
             (np.array([[1.0]]), np.array([[-1000.0]]), np.zeros((1, 1)), np.zeros((1, 1))),
             _compare([-1000.0])),
        Case("x = (1, 0, 1, 0), logits (−1000, 1000, 1000, −1000): −2000",
             (np.array([[1.0, 0.0, 1.0, 0.0]]), np.array([[-1000.0, 1000.0, 1000.0, -1000.0]]),
              np.zeros((1, 2)), np.zeros((1, 2))), _compare([-2000.0])),
        Case("a perfect reconstruction (logit 40 on x = 1), μ = 2, σ² = 1: ELBO ≈ −KL = −2",
             (np.array([[1.0]]), np.array([[40.0]]), np.array([[2.0]]), np.array([[0.0]])),
             _compare([-math.log1p(math.exp(-40)) - 2.0])),
        Case("intensities x = (0.25, 0.5, 1), d = 2",
             (np.array([[0.25, 0.5, 1.0]]), np.array([[1.0, -2.0, 0.5]]),
              np.array([[0.3, -0.4]]), np.array([[0.2, -0.5]])),
             _compare(_elbo_oracle([[0.25, 0.5, 1.0]], [[1.0, -2.0, 0.5]], [[0.3, -0.4]],
                                   [[0.2, -0.5]]))),
        Case("a batch of 3 (one ELBO per row, nothing averaged)",
             (np.array([[1.0, 0.0, 0.5], [0.0, 0.0, 1.0], [1.0, 1.0, 0.0]]),
              np.array([[2.0, -1.0, 0.0], [-3.0, 0.5, 4.0], [1.0, 1.0, -2.0]]),
              np.array([[0.0, 0.0], [1.0, -1.0], [0.5, 2.0]]),
              np.array([[0.0, 0.0], [0.5, -0.5], [-1.0, 1.0]])),
             _compare(_elbo_oracle([[1.0, 0.0, 0.5], [0.0, 0.0, 1.0], [1.0, 1.0, 0.0]],
                                   [[2.0, -1.0, 0.0], [-3.0, 0.5, 4.0], [1.0, 1.0, -2.0]],
                                   [[0.0, 0.0], [1.0, -1.0], [0.5, 2.0]],
                                   [[0.0, 0.0], [0.5, -0.5], [-1.0, 1.0]]))),
        Case("integer arrays: a 0/1 image, integer logits, μ and logvar",
             (np.array([[1, 0, 1], [0, 1, 1]]), np.array([[3, -2, 0], [1, 5, -4]]),
              np.array([[1, 0], [0, -2]]), np.array([[0, 1], [-1, 0]])),
             _compare(_elbo_oracle([[1, 0, 1], [0, 1, 1]], [[3, -2, 0], [1, 5, -4]],
                                   [[1, 0], [0, -2]], [[0, 1], [-1, 0]]))),
    ]
    # probes for the detectors: moderate logits, and the same with ±1000 entries
    x0 = np.array([[1.0, 0.0, 0.25, 0.5], [0.0, 1.0, 0.75, 1.0]])
    l0 = np.array([[1.5, -0.5, 0.3, -2.0], [0.8, 2.5, -1.0, 0.4]])
    mu0 = np.array([[0.5, -1.0, 0.3], [1.2, 0.0, -0.6]])
    lv0 = np.array([[0.4, -0.8, 0.1], [-0.3, 0.9, 0.5]])
    big = l0 * np.array([[1.0, 1.0, 1.0, 1.0], [1000.0, 400.0, 1.0, 1.0]])
    probs = np.array([[0.8, 0.3, 0.6, 0.1], [0.4, 0.9, 0.2, 0.5]])      # logits in (0, 1)
    sig = 1 / (1 + np.exp(-l0))

    rec0, kl0 = _bernoulli_loglik(x0, l0), _kl_closed(mu0, lv0)
    xb = np.array([[1.0, 0.0, 0.0, 1.0], [0.0, 1.0, 1.0, 1.0]])               # a 0/1 image
    int_args = (np.array([[1, 0, 1], [0, 1, 1]]), np.array([[3, -2, 0], [1, 5, -4]]),
                np.array([[1, 0], [0, -2]]), np.array([[0, 1], [-1, 0]]))
    int_right = _elbo_oracle(*int_args)

    def out(fn_, logits=l0, x=x0):
        return _call(fn_, (x, logits, mu0, lv0))

    def gives(expected, logits=l0, x=x0):
        return lambda fn_: _is(out(fn_, logits, x), expected, 1e-8, 1e-10)

    def unstable(fn_):
        return gives(rec0 - kl0)(fn_) and _nonfinite(out(fn_, big))

    def clipped(fn_):
        right = _elbo_oracle(x0, big, mu0, lv0)
        o = out(fn_, big)
        return gives(rec0 - kl0)(fn_) and not _nonfinite(o) and not _is(o, right, 1e-6, 1e-6)

    with np.errstate(all="ignore"):
        as_probs = (x0 * np.log(probs) + (1 - x0) * np.log(1 - probs)).sum(axis=1) - kl0
    x_soft = np.array([[0.9, 0.1, 0.25, 0.5], [0.2, 0.6, 0.75, 0.3]])
    swapped_soft = (sig * np.log(x_soft) + (1 - sig) * np.log(1 - x_soft)).sum(axis=1) - kl0
    D = x0.shape[1]
    mistakes = [
        Mistake("KL added", gives(rec0 + kl0),
                "the KL is *subtracted*: ELBO = E[log p(x | z)] − KL(q ‖ p). Adding it would "
                "reward an encoder for moving away from the prior."),
        Mistake("loss returned", gives(-rec0 + kl0),
                "that is −ELBO (the loss a VAE minimises: BCE + KL); the ELBO itself is the "
                "reconstruction log-likelihood minus the KL, a number ≤ 0 here."),
        Mistake("reconstruction sign", gives(-rec0 - kl0),
                "the reconstruction term is the log-likelihood Σ [x log σ(ℓ) + (1 − x) log(1 − "
                "σ(ℓ))] (≤ 0), not the binary cross-entropy (its negative)."),
        Mistake("KL missing", gives(rec0),
                "the KL term is missing: ELBO = reconstruction − KL(N(μ, σ²) ‖ N(0, I)), "
                "½ Σ (μ² + σ² − 1 − log σ²) per example."),
        Mistake("reconstruction missing", gives(-kl0),
                "the reconstruction term Σ_j [x log σ(ℓ) + (1 − x) log(1 − σ(ℓ))] is missing."),
        Mistake("unstable log-sigmoid", unstable,
                "log of a computed sigmoid is −inf once σ(ℓ) rounds to 0 or 1 (ℓ = ±1000), and "
                "log(1 + eᵗ) overflows for t = 1000. Use log σ(ℓ) = −softplus(−ℓ), log(1 − σ(ℓ)) "
                "= −softplus(ℓ) with softplus(t) = max(t, 0) + log1p(exp(−|t|))."),
        Mistake("clipped probabilities", clipped,
                "clipping σ(ℓ) to [ε, 1 − ε] keeps the answer finite but wrong: for x = 1 and "
                "ℓ = −1000 the log-likelihood is −1000, not log ε. Use the softplus forms "
                "log σ(ℓ) = −softplus(−ℓ), log(1 − σ(ℓ)) = −softplus(ℓ): exact for every ℓ."),
        Mistake("logits as probabilities", gives(as_probs, probs),
                "x_logits are logits (any real number), not probabilities: the decoder's "
                "probability is σ(ℓ) = 1/(1 + e^−ℓ)."),
        Mistake("x and σ(ℓ) swapped", gives(swapped_soft, l0, x_soft),
                "the data x weights the log-probabilities: x log σ(ℓ) + (1 − x) log(1 − σ(ℓ)), "
                "not σ(ℓ) log x + …"),
        Mistake("mean over pixels", gives(rec0 / D - kl0),
                "the reconstruction log-likelihood is *summed* over the D pixels (the pixels are "
                "independent given z, so their log-probabilities add), not averaged."),
        Mistake("averaged over the batch", lambda fn_: any(
                    _is(out(fn_), f(rec0 - kl0), 1e-8, 1e-10)
                    or _is(out(fn_), np.full(len(x0), f(rec0 - kl0)), 1e-8, 1e-10)
                    for f in (np.mean, np.sum)),
                "return one ELBO per example, an array of shape (N,): don't average or sum over "
                "the batch."),
        Mistake("KL over the batch", gives(rec0 - kl0.sum()),
                "each example has its own KL: subtract KL_n from the n-th reconstruction term, "
                "not the KL summed over the batch."),
        Mistake("x and 1 − x swapped", gives(_bernoulli_loglik(1 - x0, l0) - kl0),
                "x weights log σ(ℓ) (the log-probability of ink) and 1 − x weights log(1 − σ(ℓ)): "
                "x log σ(ℓ) + (1 − x) log(1 − σ(ℓ)). A pixel with x = 1 and ℓ = −1000 costs 1000."),
        Mistake("binary x only", lambda fn_: gives(_bernoulli_loglik(xb, l0) - kl0, x=xb)(fn_)
                and not gives(rec0 - kl0)(fn_),
                "right for 0/1 images, wrong for intensities such as x = 0.25: x is any number in "
                "[0, 1] here, so keep both terms, x log σ(ℓ) + (1 − x) log(1 − σ(ℓ)) — no "
                "rounding of x and no ±1-label shortcut log σ((2x − 1)ℓ)."),
        Mistake("KL part wrong", lambda fn_: _is(
                    _call(fn_, (x0, l0, np.zeros_like(mu0), np.zeros_like(lv0))), rec0, 1e-8, 1e-10)
                and not gives(rec0 - kl0)(fn_),
                "the reconstruction term is right (with q = the prior your answer is correct), but "
                "the KL part is not: KL = ½ Σ_k (μ_k² + exp(logvar_k) − 1 − logvar_k) per example "
                "— Exercise 1's function."),
        Mistake("integer inputs truncated", lambda fn_: _is(
                    _call(fn_, tuple(np.asarray(a, dtype=float) for a in int_args)), int_right,
                    1e-8, 1e-10) and not _is(_call(fn_, int_args), int_right, 1e-8, 1e-10),
                "right for float arrays, wrong for integer ones: convert the inputs first, "
                "np.asarray(x, dtype=float) — an integer result buffer truncates the ELBO."),
        Mistake("keepdims", gives((rec0 - kl0)[:, None]),
                "return shape (N,), one ELBO per example — no trailing axis of length 1."),
    ]
    sweep = Sweep(_elbo_input, _elbo_oracle, lambda o, e, a: _compare(e)(o), n=120, seed=17,
                  property="ELBO (mpmath Bernoulli log-likelihood minus the closed-form KL)",
                  hint="ELBO = −Σ_j [x·softplus(−ℓ) + (1 − x)·softplus(ℓ)] − ½ Σ_k (μ² + "
                       "exp(logvar) − 1 − logvar), per row.")
    return run_checks("elbo", fn, cases, mistakes, sweep=sweep, hint=sweep.hint)
