"""The machinery behind every ``check_<name>(your_function)``.

A checker runs *your* function on a few hand-picked cases chosen to expose the classic mistakes
for that exercise, then on a seeded *sweep* of random inputs whose answers come from an
independent oracle (the definition, an enumeration, a closed form — never a reference solution).
Each known mistake has a *detector* that recognises its symptom and a *hint* that explains it.

    result = run_checks("softmax", fn, cases, mistakes, sweep=Sweep(generate, oracle))

prints one of
    ✅ softmax: all 4 checks passed.
    ❌ softmax: <the hint for the first mistake recognised>  (or the smallest failing input)
    ⏳ softmax: not attempted yet — …
and returns a ``CheckResult`` (truthy when passed). It never raises because of the learner's
code, so a notebook runs top to bottom even before the exercises are done. Every call of the
learner's function runs under a time limit (an infinite loop is stopped and reported) and on
copies of its array arguments (a function that changes its input in place is told so).
"""
from dataclasses import dataclass, field
import inspect
import math
import signal
import threading
import time
import warnings

import numpy as np


@dataclass
class Case:
    """One check: call ``fn(*args)``; ``expect(out)`` returns None if right, else a message.
    ``hint`` (optional) is added when this case fails and no catalogued mistake explains it."""
    name: str
    args: tuple
    expect: callable
    hint: str = ""


@dataclass
class Mistake:
    """A classic mistake: ``detect(fn)`` returns True when the learner's fn shows its symptom."""
    name: str
    detect: callable
    hint: str


@dataclass
class Sweep:
    """Seeded random inputs graded against an independent oracle.

    ``generate(rng, i) -> args`` makes the i-th input (use i to put degenerate corners first),
    or a ``Given(args, expected)`` when it built the input from a known answer;
    ``oracle(*args) -> expected`` computes the answer from the definition;
    ``compare(out, expected, args) -> None | message`` (default: shape, finiteness, then
    allclose with rtol=1e-6, atol=1e-9); ``size(args)`` ranks failing inputs so the smallest is
    shown (default: the total number of elements); ``property`` names what the oracle checks;
    ``hint`` (optional) is added when the sweep fails and no catalogued mistake explains it."""
    generate: callable
    oracle: callable
    compare: callable = None
    n: int = 200
    seed: int = 0
    size: callable = None
    property: str = "result"
    hint: str = ""


@dataclass
class Given:
    """What a Sweep's ``generate`` may return instead of an args tuple when it built the input
    from a known answer (a matrix from chosen singular values, …): the oracle is then skipped
    and ``expected`` used directly."""
    args: tuple
    expected: object


@dataclass
class CheckResult:
    exercise: str
    status: str                  # "passed" | "failed" | "not attempted" | "error"
    message: str
    mistakes: list = field(default_factory=list)
    failure: str = ""            # the failing case or input, without any hint

    def __bool__(self):
        return self.status == "passed"

    def __repr__(self):
        return f"CheckResult({self.exercise!r}, {self.status!r})"

    def _ipython_display_(self):
        """The checker already printed its verdict; show nothing more in a notebook."""


_ICONS = {"passed": "✅", "failed": "❌", "not attempted": "⏳", "error": "💥"}
_NOT_ATTEMPTED = ("not attempted yet — replace `raise NotImplementedError` with your code and "
                  "run the check again.")


# ------------------------------------------------------------------------------------------------
# calling the learner's function: copies, a time limit, in-place detection
# ------------------------------------------------------------------------------------------------
class TimeLimitExceeded(Exception):
    """The learner's function did not return within the time limit."""

    def __init__(self, limit):
        super().__init__(f"did not return within {limit:g} s")
        self.limit = limit


class InputMutated(Exception):
    """The learner's function changed one of its (array) inputs in place."""

    def __init__(self, where):
        super().__init__(f"changed its input {where} in place")
        self.where = where


class _Alarm(BaseException):
    """Raised inside the learner's code when time is up. A BaseException, so that a learner's
    ``except Exception`` does not swallow it."""


_settings = threading.local()          # the time limit and mutation policy of the current check


def _current(name, default):
    return getattr(_settings, name, default)


def _arg_names(fn, n):
    """Names for the first n positional arguments of fn (from its signature where possible)."""
    try:
        params = [p.name for p in inspect.signature(fn).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        params = []
    return [params[i] if i < len(params) else f"#{i + 1}" for i in range(n)]


def _copy_args(args):
    """Copies for the learner: ndarrays, and ndarrays inside lists/tuples/dicts one level deep.
    Returns (copies, [(path, original, copy), …]) for the arrays to compare afterwards; a list
    is watched too, as (path, None, (the copied list, its items' ids)), so that replacing,
    appending or popping items of the caller's list counts as changing it."""
    watched, out = [], []
    for i, a in enumerate(args):
        if isinstance(a, np.ndarray):
            c = a.copy()
            watched.append(((i,), a, c))
        elif isinstance(a, (list, tuple)):
            items = []
            for j, x in enumerate(a):
                if isinstance(x, np.ndarray):
                    x = x.copy()
                    watched.append(((i, j), a[j], x))
                items.append(x)
            c = type(a)(items) if isinstance(a, list) else (
                type(a)(*items) if hasattr(a, "_fields") else tuple(items))
            if isinstance(a, list):              # the list itself: no item replaced, added, removed
                watched.append(((i,), None, (c, [id(x) for x in items])))
        elif isinstance(a, dict):
            c = {}
            for k, x in a.items():
                if isinstance(x, np.ndarray):
                    c[k] = x.copy()
                    watched.append(((i, k), x, c[k]))
                else:
                    c[k] = x
        else:
            c = a
        out.append(c)
    return out, watched


def _same(a, b):
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    try:
        return bool(np.array_equal(a, b, equal_nan=True))
    except TypeError:                      # dtypes without nan (ints, objects)
        return bool(np.array_equal(a, b))


def _changed_input(fn, args, watched):
    for path, original, copy in watched:
        if original is None:                     # a list: compare its items' identities
            items, ids = copy
            changed = len(items) != len(ids) or any(id(x) != k for x, k in zip(items, ids))
        else:
            changed = not _same(original, copy)
        if changed:
            name = _arg_names(fn, len(args))[path[0]]
            if len(path) > 1:
                name += f"[{path[1]!r}]"
            return name + (_LIST if original is None else "")
    return None


def _on_alarm(signum, frame):
    if getattr(_settings, "alarm_armed", False):
        raise _Alarm()


def _run_main_thread(fn, args, limit):
    """SIGALRM-based limit (main thread only). Re-arms every 0.25 s in case the learner's code
    catches the first interruption with a bare ``except:``."""
    old_handler = signal.signal(signal.SIGALRM, _on_alarm)
    old_delay, old_interval = signal.setitimer(signal.ITIMER_REAL, limit, 0.25)
    start = time.monotonic()
    _settings.alarm_armed = True
    try:
        try:
            return fn(*args)
        finally:
            _settings.alarm_armed = False
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Alarm:
        raise TimeLimitExceeded(limit) from None
    finally:
        _settings.alarm_armed = False
        signal.signal(signal.SIGALRM, old_handler)
        if old_delay > 0:                  # someone else's timer was running: give it back
            left = max(old_delay - (time.monotonic() - start), 1e-6)
            signal.setitimer(signal.ITIMER_REAL, left, old_interval)


def _run_other_thread(fn, args, limit):
    """Watchdog fallback off the main thread: a daemon timer thread raises an asynchronous
    exception in the calling thread when time is up (CPython's PyThreadState_SetAsyncExc), so
    the runaway loop is really stopped, not merely abandoned."""
    import ctypes
    set_async = ctypes.pythonapi.PyThreadState_SetAsyncExc
    target = ctypes.c_ulong(threading.get_ident())
    lock, state = threading.Lock(), {"done": False, "fired": False}

    def fire():
        with lock:
            if not state["done"]:
                state["fired"] = True
                set_async(target, ctypes.py_object(_Alarm))

    timer = threading.Timer(limit, fire)
    timer.daemon = True
    try:
        timer.start()
        try:
            out = fn(*args)
        finally:
            with lock:
                state["done"] = True
                timer.cancel()
                if state["fired"]:                           # raised too late: clear it
                    set_async(target, ctypes.c_void_p(None))
        if state["fired"]:
            raise _Alarm()
        return out
    except _Alarm:
        raise TimeLimitExceeded(limit) from None


def _limited(fn, args, limit):
    if limit is None or limit <= 0:
        return fn(*args)
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        return _run_main_thread(fn, args, limit)
    return _run_other_thread(fn, args, limit)


def _call(fn, args, *, time_limit=None, mutates=None):
    """Call ``fn(*args)`` the way every check does: on copies of the array arguments, quietly
    (NumPy overflow warnings are symptoms we diagnose, not noise to print), under the current
    check's time limit (``TimeLimitExceeded``), and — unless mutation is allowed — raising
    ``InputMutated`` if fn changed one of its inputs in place."""
    if time_limit is None:
        time_limit = _current("time_limit", 2.0)
    if mutates is None:
        mutates = _current("mutates", False)
    copies, watched = _copy_args(tuple(args))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            out = _limited(fn, copies, time_limit)
    if not mutates:
        where = _changed_input(fn, copies, watched)
        if where is not None:
            raise InputMutated(where)
    return out


def _safe_detect(detector, fn):
    try:
        return bool(detector(fn))
    except Exception:
        return False


# ------------------------------------------------------------------------------------------------
# formatting
# ------------------------------------------------------------------------------------------------
def _num(v, digits=6):
    """A number for a message: ``digits`` significant digits, or (digits=None) the shortest
    repr that reads back exactly — inputs are shown exactly, results rounded."""
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        v = float(v)
        if digits is None:
            return repr(v)
        if math.isfinite(v) and v == int(v) and abs(v) < 1e6:
            return f"{int(v)}.0"
        return f"{v:.{digits}g}"
    if isinstance(v, (complex, np.complexfloating)):
        return f"{complex(v):.6g}"
    return None


def fmt(x, limit=200, digits=6):
    """A compact, readable repr of an input or output for messages (numbers to ``digits``
    significant digits; digits=None shows them exactly)."""
    s = _num(x, digits)
    if s is not None:
        return s
    if isinstance(x, np.ndarray):
        if x.ndim == 0:
            return fmt(x.item(), limit, digits)
        body = np.array2string(x, separator=", ", threshold=40, edgeitems=3, max_line_width=10**6,
                               formatter={"float_kind": lambda v: _num(v, digits)}
                               if x.dtype.kind == "f" else None)
        body = " ".join(body.split())
        if x.size > 40:
            body = f"shape {x.shape}: {body}"
        if x.dtype.kind not in "fc":
            body += f" (dtype {x.dtype})"
        elif x.dtype != np.float64:
            body += f" (dtype {x.dtype})"
        return body if len(body) <= 4 * limit else body[:4 * limit] + " …"
    if isinstance(x, tuple):
        inner = ", ".join(fmt(v, limit, digits) for v in x)
        return f"({inner},)" if len(x) == 1 else f"({inner})"
    if isinstance(x, list):
        return "[" + ", ".join(fmt(v, limit, digits) for v in x) + "]"
    if isinstance(x, dict):
        return "{" + ", ".join(f"{k!r}: {fmt(v, limit, digits)}" for k, v in x.items()) + "}"
    if callable(x):
        name = getattr(x, "__name__", "")
        return "a function" if not name or name == "<lambda>" else name
    data = getattr(x, "data", None)
    if isinstance(data, np.ndarray):
        return f"{type(x).__name__}({fmt(data, limit, digits)})"
    s = repr(x)
    return s if len(s) <= limit else s[:limit] + " …"


def _fmt_args(fn, args):
    names = _arg_names(fn, len(args))
    return ", ".join(f"{n} = {fmt(a, digits=None)}" if not n.startswith("#")
                     else fmt(a, digits=None) for n, a in zip(names, args))


# ------------------------------------------------------------------------------------------------
# grading
# ------------------------------------------------------------------------------------------------
def run_checks(exercise, fn, cases, mistakes=(), *, sweep=None, time_limit=2.0, mutates=False,
               verbose=True, hint=""):
    """Grade ``fn`` on ``cases``, then on the ``sweep``(s); on failure, look for a catalogued
    mistake to explain it, else show the failing case (the smallest failing random input) with
    ``hint`` — a checker-wide generic hint — added."""
    saved = (_current("time_limit", 2.0), _current("mutates", False))
    _settings.time_limit, _settings.mutates = time_limit, mutates
    try:
        result = _grade(exercise, fn, list(cases), mistakes, sweep, time_limit, hint)
    finally:
        _settings.time_limit, _settings.mutates = saved
    if verbose:
        print(f"{_ICONS[result.status]} {exercise}: {result.message}")
    from .tracking import record          # your progress (only inside your copy of the course)
    record(result)
    return result


class _NotAttempted(Exception):
    pass


def _timeout_message(limit, where):
    return (f"your function did not return within {limit:g} s {where} (an infinite loop? a while "
            "loop that never meets its stopping condition?)")


_LIST = " (a list)"


def _mutation_message(where_arg, where):
    if where_arg.endswith(_LIST):
        name = where_arg[:-len(_LIST)]
        return (f"your function changed the list {name} it was given {where} (an item replaced, "
                f"appended or removed): the caller's list must stay as it was. Build a new list "
                f"instead (e.g. out = list({name}), or a list comprehension).")
    return (f"your function changed its input {where_arg} in place {where}: the caller's data "
            f"must stay as it was. Work on a copy ({where_arg}.copy(), or np.array({where_arg}, "
            f"dtype=float)), or write {where_arg} = {where_arg} - … (a new array) instead of "
            f"{where_arg} -= ….")


def _try(fn, args, where, limit):
    """Call fn; returns (out, failure, kind), kind ∈ {None, 'raised', 'casting', 'timeout',
    'mutated'}."""
    try:
        return _call(fn, args), None, None
    except NotImplementedError:
        raise _NotAttempted() from None
    except TimeLimitExceeded:
        return None, _timeout_message(limit, where), "timeout"
    except InputMutated as e:
        return None, _mutation_message(e.where, where), "mutated"
    except Exception as e:       # the learner's code raised: say what and where
        text = f"{where} your function raised {type(e).__name__}: {e}"
        if _is_casting_error(e):
            return None, f"{_CASTING_HINT}  ({text})", "casting"
        return None, text, "raised"


_CASTING_HINT = ("an in-place update (x /= …, x -= …, out[i] = … into np.zeros_like / "
                 "np.empty_like / .copy() of an integer array) cannot store floats in an "
                 "integer array: make the array float first, e.g. np.array(x, dtype=float), "
                 "or write x = x / … (a new array).")


def _is_casting_error(e):
    text = str(e)
    return (type(e).__name__ in ("UFuncTypeError", "UFuncOutputCastingError", "TypeError")
            and "Cannot cast" in text and "int" in text and "casting" in text)


def _judge(expect, out):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with np.errstate(all="ignore"):
                return expect(out)
    except Exception as e:
        return f"its result could not be checked ({type(e).__name__}: {e})"


def _run_cases(fn, cases, limit):
    for case in cases:
        where = f"on the case '{case.name}'"
        out, failure, kind = _try(fn, case.args, where, limit)
        if failure:
            return failure, kind, case.hint
        problem = _judge(case.expect, out)
        if problem:
            return f"{where}: {problem}", None, case.hint
    return None, None, ""


def _size(args):
    total = 0
    for a in args:
        if isinstance(a, np.ndarray):
            total += a.size
        elif isinstance(a, (list, tuple)):
            total += _size(a) if a else 0
        elif isinstance(a, (int, float, np.number)):
            total += 1 + math.log10(1 + abs(float(a))) / 100 if math.isfinite(float(a)) else 2
        else:
            total += 1
    return total


def _default_compare(out, expected, args):
    return close(expected)(out)


def _run_sweep(fn, sweep, limit):
    """Run one Sweep; returns (failure, kind) for the smallest failing input, or (None, None)."""
    rng = np.random.default_rng(sweep.seed)
    compare = sweep.compare or _default_compare
    size = sweep.size or _size
    failures = []                   # (size, i, args, message, kind)
    for i in range(sweep.n):
        made = sweep.generate(rng, i)
        if isinstance(made, Given):
            args, expected = tuple(made.args), made.expected
        else:
            args = tuple(made)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                with np.errstate(all="ignore"):
                    expected = sweep.oracle(*args)
        where = f"on the input {_fmt_args(fn, args)}"
        out, failure, kind = _try(fn, args, where, limit)
        if kind == "timeout":       # don't wait for the remaining inputs
            return failure, kind
        if failure:
            failures.append((size(args), i, args, failure, kind))
            continue
        problem = _judge(lambda o: compare(o, expected, args), out)
        if problem:
            failures.append((size(args), i, args, problem, None))
    if not failures:
        return None, None
    _, i, args, problem, kind = min(failures, key=lambda f: (f[0], f[1]))
    count = f"{len(failures)} of {sweep.n} random inputs failed"
    if kind is not None:            # raised or mutated: the message already names the input
        return f"{problem} ({count})", kind
    return (f"on input {_fmt_args(fn, args)} ({count}) the {sweep.property} does not hold: "
            f"{problem}", None)


def _grade(exercise, fn, cases, mistakes, sweep, limit, hint):
    if not callable(fn):
        return CheckResult(exercise, "error", f"expected a function, got {type(fn).__name__}")
    sweeps = [] if sweep is None else (list(sweep) if isinstance(sweep, (list, tuple))
                                       else [sweep])
    try:
        failure, kind, case_hint = _run_cases(fn, cases, limit)
        if failure is None:
            for sw in sweeps:
                failure, kind = _run_sweep(fn, sw, limit)
                if failure is not None:
                    case_hint = sw.hint
                    break
    except _NotAttempted:
        return CheckResult(exercise, "not attempted", _NOT_ATTEMPTED)
    if failure is None:
        if not sweeps:
            return CheckResult(exercise, "passed", f"all {len(cases)} checks passed.")
        inputs = sum(sw.n for sw in sweeps)
        what = f"all {len(cases)} checks and {inputs} random inputs" if cases else \
            f"all {inputs} random inputs"
        return CheckResult(exercise, "passed", f"{what} passed.")
    if kind == "timeout":           # a definite diagnosis; the detectors would only time out too
        return CheckResult(exercise, "failed", failure, ["time limit"], failure)
    found = [m for m in mistakes if _safe_detect(m.detect, fn)]
    names = [m.name for m in found] + (["in place"] if kind == "mutated" else []) + \
        (["integer array in place"] if kind == "casting" else [])
    if found:
        return CheckResult(exercise, "failed", f"{found[0].hint}  ({failure})", names, failure)
    extra = " ".join(dict.fromkeys(h for h in (case_hint, hint) if h))
    message = f"{failure}. {extra}" if extra and kind not in ("mutated", "casting") else failure
    return CheckResult(exercise, "failed", message, names, failure)


# ------------------------------------------------------------------------------------------------
# expectations
# ------------------------------------------------------------------------------------------------

def as_array(out):
    """The learner's answer as a float ndarray (a Tensor's ``.data``, a list, a number)."""
    return np.asarray(getattr(out, "data", out), dtype=float)


def matches(out, expected, rtol=1e-9, atol=1e-12):
    """True when ``out`` has expected's shape and finite values allclose to it; never raises —
    what a Mistake's detector asks of the learner's output."""
    try:
        out, expected = as_array(out), np.asarray(expected, dtype=float)
    except (TypeError, ValueError):
        return False
    return out.shape == expected.shape and bool(np.all(np.isfinite(out))) \
        and bool(np.allclose(out, expected, rtol=rtol, atol=atol))

def compare_array(out, expected, rtol=1e-12, atol=1e-14, name="the result"):
    """None if ``out`` is an array of expected's shape, finite and allclose to it; else a message
    naming the shape, the nan/inf or the worst entry (expected vs got)."""
    try:
        got = as_array(out)
    except (TypeError, ValueError):
        return f"expected an array, got {fmt(out)}"
    expected = np.asarray(expected, dtype=float)
    if got.shape != expected.shape:
        return f"expected {name} of shape {expected.shape}, got shape {got.shape}"
    if not np.all(np.isfinite(got)):
        return f"{name} contains nan or inf: {fmt(got)}"
    if not np.allclose(got, expected, rtol=rtol, atol=atol):
        if expected.size <= 16:
            return f"expected {fmt(expected)}, got {fmt(got)}"
        k = tuple(int(i) for i in np.unravel_index(int(np.argmax(np.abs(got - expected))),
                                                   expected.shape))
        return f"expected {fmt(expected[k])} at index {k}, got {fmt(got[k])}"
    return None


def float_array(out, expected, **tolerances):
    """``compare_array``, and the answer must be a float ndarray (integer inputs included)."""
    problem = compare_array(out, expected, **tolerances)
    if problem is None and not (isinstance(out, np.ndarray) and out.dtype.kind == "f"):
        return f"expected a float array, got {fmt(out)}"
    return problem


def close(expected, rtol=1e-6, atol=1e-9):
    """An ``expect`` for array answers: shape, finiteness, then values."""
    expected = np.asarray(expected, dtype=float)

    def expect(out):
        out = np.asarray(getattr(out, "data", out), dtype=float)
        if out.shape != expected.shape:
            return f"expected shape {expected.shape}, got {out.shape}"
        if not np.all(np.isfinite(out)) and np.all(np.isfinite(expected)):
            if expected.size <= 12:
                return f"expected {fmt(expected)}, got {fmt(out)} (the result contains nan or inf)"
            return "the result contains nan or inf"
        if not np.allclose(out, expected, rtol=rtol, atol=atol, equal_nan=True):
            if expected.size <= 12:
                return f"expected {fmt(expected)}, got {fmt(out)}"
            worst = tuple(int(i) for i in np.unravel_index(
                np.nanargmax(np.abs(out - expected)), out.shape))
            return f"expected {fmt(expected[worst])} at index {worst}, got {fmt(out[worst])}"
        return None
    return expect


def equal(expected):
    """An ``expect`` for exact answers (ints, tuples, strings)."""
    def expect(out):
        if isinstance(out, np.ndarray) and out.ndim == 0 or isinstance(out, np.generic):
            out = out.item()
        if out != expected:
            return f"expected {fmt(expected)}, got {fmt(out)}"
        return None
    return expect
