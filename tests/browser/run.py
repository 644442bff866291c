#!/usr/bin/env python3
"""Real-browser smoke test of the explorers (``make test-browser``).

Starts JupyterLab on 127.0.0.1 (a free port, its own random token, temporary runtime/workspace
dirs, serving a temporary copy of tests/browser/explorers.ipynb), drives Debian's Chromium with
Playwright (headless), runs all cells, waits for the kernel to go idle, checks that the explorers'
sliders and figures render, moves at least one slider (or steps a button) of every explorer but
the activation explorer with the keyboard and checks that the label and the picture changed
(and clicks a cell of the receptive-field explorer's output grid),
and that no cell produced an error; then saves the notebook and opens a copy of it unrun and
untrusted (as a reader of the committed notebook does): each explorer must show its static PNG.
It also measures, for the GD explorer's learning-rate slider, the conv explorer's window
position, the covariance explorer's ρ, the MLE explorer's θ, the schedule explorer's base lr,
the regularization explorer's λ, the receptive-field explorer's output row and the calibration
explorer's temperature, the time from a key press to the new picture painted (median and max
over 24 moves, printed, not asserted). The server is stopped by its process group in a
``finally`` block. Prints what it saw and ends with "N passed, M failed"; exits non-zero on
failure.

Needs ``/usr/bin/chromium`` (``apt-get install chromium``; ``.ci/run`` installs it) — without it
the test is skipped — and the ``playwright`` Python package (the ``browser`` extra in
pyproject.toml, which ``make test-browser`` installs). Playwright's own browser download is never
used: the registry package ships its driver, and the browser is Debian's.
``DLMATH_BROWSER_SCREENSHOT=page.png`` saves a screenshot of the page at the end.
"""
import contextlib
import hashlib
import importlib.util
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = Path(__file__).resolve().parent / "explorers.ipynb"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
# gd_explorer, conv_explorer, activation_explorer, broadcasting_explorer, conditioning_explorer,
# backprop_stepper, covariance_explorer, mle_explorer, schedule_explorer, regularization_explorer,
# receptive_field_explorer, calibration_explorer: their <img> figures in this order
EXPLORERS = 12
START = time.monotonic()


def log(msg):
    print(f"[{time.monotonic() - START:5.1f}s] {msg}", flush=True)


def ensure_playwright():
    if importlib.util.find_spec("playwright") is None:
        sys.exit("test-browser: the playwright package is missing; run `make test-browser` "
                 "(it installs the pinned `.[browser]` extra) or `pip install -e '.[browser]'`")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """A JupyterLab server of our own: started in its own process group, stopped by it."""

    def __init__(self, workdir):
        self.port = free_port()
        self.token = secrets.token_hex(24)
        self.workdir = workdir
        self.proc = None

    def url(self, path):
        sep = "&" if "?" in path else "?"
        return f"http://127.0.0.1:{self.port}{path}{sep}token={self.token}"

    def start(self):
        root = self.workdir / "root"
        root.mkdir()
        shutil.copy(NOTEBOOK, root / NOTEBOOK.name)
        env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(self.workdir / "runtime"),
                   JUPYTER_CONFIG_DIR=str(self.workdir / "config"),    # no user settings,
                   JUPYTER_DATA_DIR=str(self.workdir / "data"),        # a fresh trust database
                   OPENBLAS_NUM_THREADS="1", MPLBACKEND="Agg", PYTHONHASHSEED="0")
        cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
               f"--port={self.port}", f"--IdentityProvider.token={self.token}",
               f"--ServerApp.root_dir={root}", "--ServerApp.port_retries=0",
               f"--LabApp.workspaces_dir={self.workdir / 'workspaces'}",
               "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=None",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
        if os.geteuid() == 0:
            cmd.append("--allow-root")
        self.logfile = open(self.workdir / "lab.log", "wb")
        self.proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=self.logfile,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("jupyter lab exited early:\n" + self.log_tail())
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(self.url("/api/status"), timeout=2) as r:
                    if r.status == 200:
                        return
            time.sleep(0.3)
        raise RuntimeError("jupyter lab did not answer within 90 s:\n" + self.log_tail())

    def api(self, path, method="GET"):
        req = urllib.request.Request(self.url(path), method=method)
        with urllib.request.urlopen(req, timeout=10) as r:
            body = r.read()
        return json.loads(body) if body else None

    def kernels(self):
        """The running kernels; none while the server cannot list them yet (jupyter_server
        answers 500 to a listing that races a kernel's start: its last_activity is still None)."""
        try:
            return self.api("/api/kernels")
        except urllib.error.HTTPError as exc:
            if exc.code >= 500:
                return []
            raise

    def log_tail(self, n=2000):
        with contextlib.suppress(OSError):
            return (self.workdir / "lab.log").read_bytes()[-n:].decode(errors="replace")
        return ""

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            with contextlib.suppress(Exception):          # kernels first, politely
                for k in self.kernels():
                    self.api(f"/api/kernels/{k['id']}", method="DELETE")
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        self.logfile.close()


class Checks:
    def __init__(self):
        self.passed, self.failed = 0, 0

    def check(self, name, fn):
        try:
            detail = fn()
            self.passed += 1
            log(f"PASS {name}" + (f": {detail}" if detail else ""))
            return True
        except Exception as exc:                           # report and go on
            self.failed += 1
            log(f"FAIL {name}: {type(exc).__name__}: {exc}")
            return False


def wait_for(predicate, timeout, what, interval=0.25):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise TimeoutError(f"{what} (not within {timeout:.0f} s; last: {last!r})")


def kernel_idle(lab):
    ks = lab.kernels()
    return bool(ks) and all(k["execution_state"] == "idle" for k in ks)


JS_PROMPTS = """() => Array.from(document.querySelectorAll(
    '.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')).map(e => e.textContent.trim())"""


def run_all_and_wait(page, lab, timeout):
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    time.sleep(0.5)

    def done():
        prompts = page.evaluate(JS_PROMPTS)
        finished = prompts and all(p.startswith("[") and p[1:-2].strip().isdigit()
                                   for p in prompts)
        return prompts if finished and kernel_idle(lab) else False
    return wait_for(done, timeout, "all cells executed and the kernel idle", interval=0.5)


# the sliders each explorer shows at its defaults (and the ones moved below)
EXPECTED_SLIDERS = ("learning rate", "window position", "depth", "element of C = A + B",
                    "condition number κ", "step", "correlation ρ", "sample size n",
                    "data count n", "θ = p (drag)", "base lr η₀", "polynomial degree d",
                    "penalty weight λ", "input size n", "output row", "output column",
                    "logit temperature T", "bins M")
# [label, hidden] for every slider: textContent, not innerText (JupyterLab 4 does not lay out
# the cells off screen); hidden = display: none on the slider or a box between it and its output
JS_SLIDER_LABELS = """es => es.map(e => {
    let hidden = false;
    for (let x = e; x && !x.classList.contains('jp-OutputArea-output'); x = x.parentElement)
        hidden = hidden || getComputedStyle(x).display === 'none';
    const label = e.querySelector('.widget-label');
    return [label ? label.textContent.trim() : '', hidden];
})"""
JS_SCROLL_TO_CELL = "e => (e.closest('.jp-Cell') || e).scrollIntoView({block: 'center'})"


def slider(page, description):
    """The ipywidgets slider whose description label reads ``description``, its cell scrolled
    into view first: JupyterLab 4 does not lay out the cells off screen (``content-visibility``),
    so a slider far below the last one used is attached but not visible."""
    exact = re.compile(rf"^\s*{re.escape(description)}\s*$")       # "step" is not "steps"
    loc = page.locator(".widget-slider").filter(
        has=page.locator(".widget-label", has_text=exact)).first
    loc.wait_for(state="attached", timeout=20_000)
    loc.evaluate(JS_SCROLL_TO_CELL)
    loc.wait_for(state="visible", timeout=20_000)
    return loc


def explorer_image(page, index):
    return page.locator("img.widget-image").nth(index)


def shot(locator):
    locator.scroll_into_view_if_needed()
    return locator.screenshot()


def move_slider(page, description, image_index, presses, key="ArrowRight"):
    s = slider(page, description)
    readout = s.locator(".widget-readout")
    img = explorer_image(page, image_index)
    before_value, before_png = readout.inner_text(), shot(img)
    handle = s.locator(".noUi-handle").first
    handle.focus()
    for _ in range(presses):
        page.keyboard.press(key)
    wait_for(lambda: readout.inner_text() != before_value, 10, f"{description} readout change")
    after = wait_for(lambda: (p := shot(img)) != before_png and p, 15,
                     f"the {description} plot to change")
    digest = lambda b: hashlib.sha1(b).hexdigest()[:8]                       # noqa: E731
    return (f"'{description}' {before_value} → {readout.inner_text()}; plot screenshot "
            f"{digest(before_png)} → {digest(after)}")


JS_ARM = """([index]) => {
    // Arm one measurement: t0 = the key press (keydown, seen first, in the capture phase),
    // t1 = the explorer's <img> has a new source, decoded, and two animation frames later
    // (the frame that shows it has been painted).
    const img = document.querySelectorAll('img.widget-image')[index];
    const m = window.__dlmathLatency = {src: img.src, t0: null, t1: null};
    document.addEventListener('keydown', () => { m.t0 = performance.now(); },
                              {once: true, capture: true});
    const obs = new MutationObserver(() => {
        if (img.src === m.src) return;
        obs.disconnect();
        img.decode().catch(() => null).then(() => requestAnimationFrame(
            () => requestAnimationFrame(() => { m.t1 = performance.now(); })));
    });
    obs.observe(img, {attributes: true, attributeFilter: ['src']});
}"""


def slider_latency(page, description, image_index, moves=24):
    """Key press on a slider → new picture painted, in ms, over ``moves`` presses (alternately
    right and left, so every press changes the value). Printed, never asserted: the machine is
    shared and noisy."""
    handle = slider(page, description).locator(".noUi-handle").first
    handle.scroll_into_view_if_needed()
    handle.focus()
    times = []
    for i in range(moves):
        page.evaluate(JS_ARM, [image_index])
        page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
        wait_for(lambda: page.evaluate("() => window.__dlmathLatency.t1 !== null"), 10,
                 f"the {description} picture to be repainted")
        times.append(page.evaluate("() => window.__dlmathLatency.t1 - window.__dlmathLatency.t0"))
    times.sort()
    median = (times[(moves - 1) // 2] + times[moves // 2]) / 2
    LATENCY[description] = (median, times[-1], moves)
    return f"key press → painted: median {median:.0f} ms, max {times[-1]:.0f} ms over {moves} moves"


LATENCY = {}


def click_cell(page, tooltip, image_index, readout_of, expect):
    """Click the receptive-field explorer's output-grid cell whose tooltip is ``tooltip`` (a
    ToggleButton: a <button> with that title); the slider ``readout_of`` must then read
    ``expect``, the cell be shown chosen (active), and the picture change."""
    cell = page.locator(f"button[title='{tooltip}']").first
    cell.wait_for(state="attached", timeout=20_000)
    cell.evaluate(JS_SCROLL_TO_CELL)
    readout = slider(page, readout_of).locator(".widget-readout")
    img = explorer_image(page, image_index)
    before_value, before_png = readout.inner_text(), shot(img)
    cell.click()
    wait_for(lambda: readout.inner_text().strip() == expect, 10,
             f"{readout_of} to read {expect}")
    wait_for(lambda: shot(img) != before_png, 15, f"the picture to change after '{tooltip}'")
    active = cell.evaluate("e => e.classList.contains('mod-active')")
    assert active, f"the clicked cell '{tooltip}' is not shown as chosen"
    return f"clicked '{tooltip}': {readout_of} {before_value} → {readout.inner_text()}"


def click_button(page, name, image_index, clicks, readout_of):
    """Click the button labelled ``name`` ``clicks`` times; the slider ``readout_of`` and the
    picture must change."""
    button = page.get_by_role("button", name=name).first
    readout = slider(page, readout_of).locator(".widget-readout")
    img = explorer_image(page, image_index)
    before_value, before_png = readout.inner_text(), shot(img)
    for _ in range(clicks):
        button.click()
    wait_for(lambda: readout.inner_text() != before_value, 10, f"{readout_of} readout change")
    wait_for(lambda: shot(img) != before_png, 15, f"the picture to change after '{name}'")
    return f"'{name}' ×{clicks}: {readout_of} {before_value} → {readout.inner_text()}"


def main():
    if not os.path.exists(CHROMIUM):
        print("test-browser: SKIPPED — Debian chromium not installed (apt-get install chromium)")
        return 0
    ensure_playwright()
    from playwright.sync_api import sync_playwright

    checks = Checks()
    workdir = Path(tempfile.mkdtemp(prefix="dlmath-browser-"))
    lab = Lab(workdir)
    try:
        lab.start()
        log(f"JupyterLab up on 127.0.0.1:{lab.port} (pid {lab.proc.pid}), serving a copy of "
            f"{NOTEBOOK.relative_to(ROOT)}")
        with sync_playwright() as pw:
            context = pw.chromium.launch_persistent_context(
                str(workdir / "chromium-profile"), executable_path=CHROMIUM, headless=True,
                args=CHROMIUM_ARGS, viewport={"width": 1400, "height": 1000})
            try:
                page = context.pages[0] if context.pages else context.new_page()
                console_errors = []
                page.on("pageerror", lambda e: console_errors.append(str(e)))
                log(f"Chromium {context.browser.version if context.browser else ''} headless")
                page.goto(lab.url(f"/lab/tree/{NOTEBOOK.name}"), wait_until="domcontentloaded")

                def opened():
                    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=60_000)
                    wait_for(lambda: lab.kernels(), 60, "a kernel to start")
                    try:
                        wait_for(lambda: kernel_idle(lab), 60, "the kernel to be idle")
                        note = "first try"
                    except TimeoutError:                   # slow first start: retry once
                        log("kernel not idle yet: restarting it once")
                        page.evaluate("() => window.jupyterapp.commands.execute("
                                      "'notebook:restart-kernel')")
                        with contextlib.suppress(Exception):
                            page.locator(".jp-Dialog .jp-mod-accept").click(timeout=5_000)
                        wait_for(lambda: kernel_idle(lab), 90, "the kernel to be idle (retry)")
                        note = "after one restart"
                    n = page.locator(".jp-Notebook .jp-Cell").count()
                    return f"{n} cells, kernel idle ({note})"
                if not checks.check("notebook opens and the kernel is idle", opened):
                    raise RuntimeError("cannot go on without a notebook")

                def ran():
                    prompts = run_all_and_wait(page, lab, 180)
                    return f"{len(prompts)} code cells executed, prompts {' '.join(prompts)}"
                checks.check("run all cells", ran)

                def rendered():
                    imgs = page.locator("img.widget-image")
                    wait_for(lambda: imgs.count() >= EXPLORERS, 30, "explorer figures")
                    sizes = [imgs.nth(i).evaluate("e => [e.naturalWidth, e.naturalHeight]")
                             for i in range(imgs.count())]
                    assert all(w > 300 and h > 150 for w, h in sizes), sizes
                    n_sliders = page.locator(".widget-slider").count()
                    visible = page.locator(".widget-slider:visible").count()
                    assert visible >= 8, f"only {visible} visible sliders"
                    pairs = page.locator(".widget-slider").evaluate_all(JS_SLIDER_LABELS)
                    labels = {label for label, _ in pairs}
                    shown = {label for label, hidden in pairs if not hidden}
                    for want in EXPECTED_SLIDERS:
                        assert want in labels, f"no '{want}' slider among {sorted(labels)}"
                    hidden = [w for w in EXPECTED_SLIDERS if w not in shown]
                    assert not hidden, f"sliders hidden (display: none) at the start: {hidden}"
                    return (f"{imgs.count()} figures {sizes}, {n_sliders} sliders "
                            f"({visible} visible)")
                checks.check("explorers render their sliders and figures", rendered)

                checks.check("GD: moving the learning-rate slider redraws the plot",
                             lambda: move_slider(page, "learning rate", 0, 20))
                checks.check("conv: moving the window-position slider redraws the plot",
                             lambda: move_slider(page, "window position", 1, 9))
                checks.check("broadcasting: moving the element slider redraws the plot",
                             lambda: move_slider(page, "element of C = A + B", 3, 5))
                checks.check("conditioning: moving the κ slider redraws the plot",
                             lambda: move_slider(page, "condition number κ", 4, 6))
                checks.check("backprop stepper: the step button walks the graph",
                             lambda: click_button(page, "step ▶", 5, 3, "step"))
                checks.check("covariance: moving the ρ slider redraws the plot",
                             lambda: move_slider(page, "correlation ρ", 6, 10))
                checks.check("covariance: moving the sample-size slider redraws the plot",
                             lambda: move_slider(page, "sample size n", 6, 2))
                checks.check("MLE: dragging θ along the log-likelihood redraws the plot",
                             lambda: move_slider(page, "θ = p (drag)", 7, 20))
                checks.check("MLE: moving the data-count slider redraws the plot",
                             lambda: move_slider(page, "data count n", 7, 2))
                checks.check("schedules: moving the base-lr slider redraws the plot",
                             lambda: move_slider(page, "base lr η₀", 8, 10))
                checks.check("regularization: moving the degree slider redraws the plot",
                             lambda: move_slider(page, "polynomial degree d", 9, 3))
                checks.check("regularization: moving the λ slider redraws the plot",
                             lambda: move_slider(page, "penalty weight λ", 9, 8))
                checks.check("receptive field: clicking an output cell picks it",
                             lambda: click_cell(page, "output cell (1, 4)", 10, "output row",
                                                "1"))
                checks.check("receptive field: moving the input-size slider redraws the plot",
                             lambda: move_slider(page, "input size n", 10, 4))
                checks.check("calibration: moving the temperature slider redraws the plot",
                             lambda: move_slider(page, "logit temperature T", 11, 10))
                checks.check("calibration: the T* button moves the temperature",
                             lambda: click_button(page, "T = T* (min NLL)", 11, 1,
                                                  "logit temperature T"))
                checks.check("latency: GD learning rate",
                             lambda: slider_latency(page, "learning rate", 0))
                checks.check("latency: conv window position",
                             lambda: slider_latency(page, "window position", 1))
                checks.check("latency: covariance ρ",
                             lambda: slider_latency(page, "correlation ρ", 6))
                checks.check("latency: MLE θ",
                             lambda: slider_latency(page, "θ = p (drag)", 7))
                checks.check("latency: schedule base lr",
                             lambda: slider_latency(page, "base lr η₀", 8))
                checks.check("latency: regularization λ",
                             lambda: slider_latency(page, "penalty weight λ", 9))
                checks.check("latency: receptive field output row",
                             lambda: slider_latency(page, "output row", 10))
                checks.check("latency: calibration temperature",
                             lambda: slider_latency(page, "logit temperature T", 11))

                def no_errors():
                    errs = page.locator('.jp-OutputArea-output[data-mime-type='
                                        '"application/vnd.jupyter.stderr"]').count()
                    tb = page.locator(".jp-OutputArea-output", has_text="Traceback").count()
                    notes = [t for t in page.locator(".widget-html").evaluate_all(
                        "es => es.map(e => e.textContent)") if "⚠" in t]   # off screen too
                    ready = page.locator(".jp-OutputArea-output",
                                         has_text="explorers ready: " + " ".join(["None"] * EXPLORERS)).count()
                    assert errs == 0 and tb == 0, f"{errs} stderr outputs, {tb} tracebacks"
                    assert not notes, f"explorer messages: {notes}"
                    assert ready == 1, f"the last cell did not report {EXPLORERS} error-free explorers"
                    assert not console_errors, f"page errors: {console_errors[:3]}"
                    return "no stderr, no traceback, no explorer error message, no page error"
                checks.check("no error outputs", no_errors)

                def reopened():
                    # Save, then open the saved notebook the way another reader meets it: not
                    # run, and not trusted on their machine (a changed copy has no signature).
                    # The widgets' models do not exist, so every explorer output must fall
                    # back to its static PNG.
                    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
                    saved = lab.workdir / "root" / NOTEBOOK.name
                    wait_for(lambda: "image/png" in saved.read_text(), 20, "the saved notebook")
                    nb = json.loads(saved.read_text())
                    nb["metadata"]["dlmath_browser_test"] = "a reader's copy"
                    copy = saved.with_name("reopened.ipynb")
                    copy.write_text(json.dumps(nb))
                    for k in lab.kernels():
                        lab.api(f"/api/kernels/{k['id']}", method="DELETE")
                    page.goto(lab.url(f"/lab/tree/{copy.name}"), wait_until="domcontentloaded")
                    panel = page.locator(".jp-NotebookPanel:visible")
                    panel.locator(".jp-Cell").first.wait_for(timeout=60_000)
                    pngs = panel.locator(".jp-OutputArea-output img:not(.widget-image)")
                    wait_for(lambda: pngs.count() >= EXPLORERS, 30, "static pictures")
                    sizes = [pngs.nth(i).evaluate("e => [e.naturalWidth, e.naturalHeight]")
                             for i in range(pngs.count())]
                    assert all(w > 300 and h > 150 for w, h in sizes), sizes
                    broken = panel.locator(".jp-OutputArea-output",
                                           has_text="Error displaying widget").count()
                    assert broken == 0, f"{broken} 'Error displaying widget' outputs"
                    return f"{pngs.count()} static PNGs {sizes}, no broken widget output"
                checks.check("a reader's saved copy shows the static pictures", reopened)
                if os.environ.get("DLMATH_BROWSER_SCREENSHOT"):   # for a human look
                    page.screenshot(path=os.environ["DLMATH_BROWSER_SCREENSHOT"], full_page=True)
            finally:
                context.close()
    except Exception as exc:
        checks.failed += 1
        log(f"FAIL setup: {type(exc).__name__}: {exc}")
        tail = lab.log_tail()
        if tail:
            print("--- jupyter lab log (tail) ---\n" + tail)
    finally:
        lab.stop()
        shutil.rmtree(workdir, ignore_errors=True)
        log(f"server stopped (process group {lab.proc.pid if lab.proc else '-'})")
    for name, (median, worst, n) in LATENCY.items():
        print(f"latency '{name}': key press → new picture painted, median {median:.0f} ms, "
              f"max {worst:.0f} ms over {n} moves (target: median ≤ 100 ms; not asserted)")
    print(f"{checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
