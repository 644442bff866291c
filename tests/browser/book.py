#!/usr/bin/env python3
"""Real-browser test of the course book (``make html``'s site), part of ``make test-browser``.

Builds the book into a temporary folder (or takes ``--site DIR``, e.g. ``build/html``), serves it
over HTTP on 127.0.0.1 (a free port, a thread of this process), and drives Debian's Chromium
headless with Playwright:

1. opens ``index.html``: it must land on the welcome page, whose title is rendered (emphasis, no
   literal asterisks), with the sidebar's part captions in the README's order;
2. follows "next" twice: the page titles must advance in course order;
3. types "Hessian" into the search box, and follows the result for notebook 10
   (``10_curvature_newton``), which must be among the hits;
4. checks that MathJax typeset the math (every formula rendered with a non-empty box, no "Math
   Processing Error"; the welcome page's f'(x) = 3x^2 + 2 among them);
5. checks that an explorer's static frame is a visible ``<img>`` with ``naturalWidth > 0``.

Every request to anything but the local server is blocked (``context.route``) and recorded; the
test fails if one was attempted — the offline proof (a deliberate probe request shows the block
works). A local file that is asked for but missing (a 404: a font, a script) and a JavaScript
error on a page fail it too.
Prints what it saw and ends with "N passed, M failed"; exits non-zero on failure. Without
``/usr/bin/chromium`` it says plainly that it skipped. ``DLMATH_BROWSER_SCREENSHOT=x.png``
saves a screenshot of notebook 10's explorer frame.
"""
import argparse
import contextlib
import functools
import http.server
import importlib.util
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
# the page's heading (the theme also prints a plain-text copy of the title, for print only)
H1 = "article section h1"
SEARCH_WORD = "Hessian"
PROBE = "http://192.0.2.1/probe.js"          # TEST-NET-1: never a real host
SEARCH_TARGET = "10_curvature_newton"
START = time.monotonic()


def log(msg):
    print(f"[{time.monotonic() - START:5.1f}s] {msg}", flush=True)


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


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    served = []                                            # paths, in order

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        QuietHandler.served.append(self.path)
        super().do_GET()


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # the browser drops a connection when it navigates on mid-transfer: not an error
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(site):
    """The site over HTTP on 127.0.0.1 and a free port, in a daemon thread; yields the base URL."""
    handler = functools.partial(QuietHandler, directory=str(site))
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def expected_course():
    """(page stems in reading order, part captions in order) from the README and notebooks/,
    the way the book builds them."""
    from dlmath.tools.book import course_parts, make_toc, toc_order
    parts = course_parts((ROOT / "README.md").read_text(encoding="utf-8"))
    toc = make_toc(parts, {p.stem for p in (ROOT / "notebooks").glob("*.ipynb")})
    return toc_order(toc), [p["caption"] for p in toc["parts"] if "caption" in p]


def stem_of(url):
    return Path(urlsplit(url).path).stem


# MathJax 2 leaves each formula as <span class="MathJax"> (or MathJax_Display / MathJax_SVG / a
# MathJax 3 <mjx-container>) next to a <script type="math/tex"> holding its TeX source.
JS_MATH_STATE = """() => {
    const hub = window.MathJax && window.MathJax.Hub;
    const sources = Array.from(document.querySelectorAll('script[type^="math/tex"]'));
    const boxes = sources.map(s => {
        let e = s.previousElementSibling;
        while (e && !/MathJax(_Display|_SVG|_CHTML)?\\b/.test(e.className || ''))
            e = e.previousElementSibling;
        const r = e ? (e.querySelector('.math, nobr, span') || e).getBoundingClientRect() : null;
        return [s.textContent, r ? r.width : 0, r ? r.height : 0];
    });
    return {
        loaded: !!hub,
        pending: hub ? (hub.queue.pending || 0) + (hub.queue.running || 0) : -1,
        // Sphinx's math markers (MathJax's own output has inner class="math" spans too)
        marked: document.querySelectorAll('.math.notranslate').length,
        typeset: boxes,
        rendered: document.querySelectorAll('.MathJax, .MathJax_Display, mjx-container').length,
        errors: (document.body.innerText.match(/Math Processing Error/g) || []).length
              + document.querySelectorAll('.MathJax_Error, merror, [data-mjx-error]').length,
    };
}"""


def wait_for(predicate, timeout, what, interval=0.25):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise TimeoutError(f"{what} (not within {timeout:.0f} s; last: {last!r})")


def math_typeset(page, what):
    """Wait until MathJax has typeset every formula of the page; return its state."""
    last = {}

    def done():
        last.update(page.evaluate(JS_MATH_STATE))
        s = last
        return s["loaded"] and s["pending"] == 0 and s["marked"] and \
            len(s["typeset"]) >= s["marked"] and s["rendered"] >= s["marked"]
    try:
        wait_for(done, 60, f"MathJax to typeset {what}")
    except TimeoutError:
        raise TimeoutError(f"MathJax did not typeset {what} within 60 s: " + str(
            {k: (len(v) if k == "typeset" else v) for k, v in last.items()})) from None
    state = last
    empty = [tex for tex, w, h in state["typeset"] if w <= 0 or h <= 0]
    assert not state["errors"], f"{state['errors']} math errors on {what}"
    assert not empty, f"{len(empty)} formulas with an empty box on {what}: {empty[:3]}"
    return state


def main(argv=None):
    parser = argparse.ArgumentParser(description="real-browser test of the course book")
    parser.add_argument("--site", help="a built book to test (default: build one now)")
    args = parser.parse_args(argv)
    if not os.path.exists(CHROMIUM):
        print("test-browser (book): SKIPPED — Debian chromium not installed "
              "(apt-get install chromium)")
        return 0
    if importlib.util.find_spec("playwright") is None:
        sys.exit("test-browser: the playwright package is missing; run `make test-browser` "
                 "(it installs the pinned `.[browser]` extra) or `pip install -e '.[browser]'`")
    from playwright.sync_api import sync_playwright

    checks = Checks()
    order, captions = expected_course()
    workdir = Path(tempfile.mkdtemp(prefix="dlmath-book-browser-"))
    try:
        if args.site:
            site = Path(args.site).resolve()
            log(f"testing the book in {site}")
        else:
            from dlmath.tools.book import build
            site = workdir / "html"
            result = build(site)
            log(f"built the book ({len(result['pages'])} pages) in {result['seconds']:.1f} s")
        with serve(site) as base, sync_playwright() as pw:
            log(f"serving {site} at {base}")
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            blocked, page_errors = [], []
            local = urlsplit(base).netloc

            def route(r):
                u = urlsplit(r.request.url)
                if u.scheme in ("http", "https") and u.netloc != local:
                    blocked.append(r.request.url)
                    return r.abort()
                return r.continue_()
            context.route("**/*", route)
            missing = []                                   # local requests answered ≥ 400
            context.on("response", lambda r: r.status >= 400 and urlsplit(r.url).netloc == local
                       and missing.append(f"{r.status} {urlsplit(r.url).path}"))
            page = context.new_page()
            page.on("pageerror", lambda e: page_errors.append(f"{stem_of(page.url)}: {e}"))
            try:
                run_checks(checks, page, base, order, captions)

                def offline():
                    assert not blocked, f"{len(blocked)} outside requests: {blocked[:5]}"
                    # the guard is live: a deliberate outside fetch must be caught
                    page.evaluate(f"() => fetch('{PROBE}').catch(() => null)")
                    wait_for(lambda: PROBE in blocked, 10, "the probe request to be blocked")
                    fonts = sorted({Path(p.split("?")[0]).name for p in QuietHandler.served
                                    if re.search(r"\.(woff2?|otf|ttf|eot)(\?|$)", p)})
                    return (f"0 requests outside 127.0.0.1 (a probe to {PROBE} was blocked, so "
                            f"the guard works); {len(QuietHandler.served)} local requests, "
                            f"web fonts served locally: {', '.join(fonts) or 'none'}")
                checks.check("offline: nothing was fetched from outside", offline)

                def nothing_missing():
                    assert not missing, f"{len(missing)} local files missing: {missing[:5]}"
                    return "every file the pages asked for exists (no 404)"
                checks.check("no missing local files", nothing_missing)

                def no_js_errors():
                    assert not page_errors, f"page errors: {page_errors[:3]}"
                    return "no JavaScript errors on any page"
                checks.check("no JavaScript errors", no_js_errors)
            finally:
                context.close()
                browser.close()
    except Exception as exc:
        checks.failed += 1
        log(f"FAIL setup: {type(exc).__name__}: {exc}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"{checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


def run_checks(checks, page, base, order, captions):
    def index():
        page.goto(base + "index.html", wait_until="load")
        page.wait_for_url(re.compile(rf"/{re.escape(order[0])}\.html"), timeout=10_000)
        h1 = page.locator(H1).first
        text = h1.inner_text().replace("#", "").strip()
        assert "*" not in text and "*" not in page.title(), f"literal asterisks: {text!r}"
        assert h1.locator("em").count() == 1, "the title's emphasis is not rendered"
        shown = [c.strip() for c in page.locator(
            "nav.bd-docs-nav .caption-text").all_inner_texts()]
        assert shown == captions, f"sidebar parts {shown} != README parts {captions}"
        links = page.locator("nav.bd-docs-nav a.reference").count()
        return (f"index.html → {stem_of(page.url)}.html, title '{text}' (<em> rendered), "
                f"sidebar: {len(shown)} parts in README order, {links} links")
    if not checks.check("index opens on the welcome page with the course's table of contents",
                        index):
        return

    def next_twice():
        seen = [(stem_of(page.url), page.locator(H1).first.inner_text().strip("#"))]
        for _ in range(2):
            with page.expect_navigation(wait_until="load"):
                page.locator("a.right-next").first.click()
            seen.append((stem_of(page.url),
                         page.locator(H1).first.inner_text().strip("# \n")))
        stems = [s for s, _ in seen]
        assert stems == order[:3], f"pages {stems}, course order {order[:3]}"
        back = page.locator("a.left-prev").first.get_attribute("href")
        assert back == f"{order[1]}.html", f"'previous' on {stems[-1]} points to {back}"
        return " → ".join(f"'{t}'" for _, t in seen) + f" ('previous' → {back})"
    checks.check('"next" twice follows the course order', next_twice)

    def search():
        page.locator("button.search-button-field:visible, button.search-button__button:visible"
                     ).first.click()
        box = page.locator('#pst-search-dialog input[name="q"]')
        box.wait_for(state="visible", timeout=5_000)
        box.fill(SEARCH_WORD)
        with page.expect_navigation(wait_until="load"):
            box.press("Enter")
        assert stem_of(page.url) == "search", page.url
        hits = page.locator("#search-results ul.search li a")
        wait_for(lambda: hits.count() > 0 and page.locator(
            "#search-results .search-summary").count(), 30, "search results")
        stems = [stem_of(h) for h in hits.evaluate_all("es => es.map(e => e.href)")]
        assert SEARCH_TARGET in stems, f"{SEARCH_TARGET} not among the hits {stems}"
        with page.expect_navigation(wait_until="load"):
            hits.nth(stems.index(SEARCH_TARGET)).click()
        pages = list(dict.fromkeys(stems))                # a page can hit more than once
        rank = pages.index(SEARCH_TARGET) + 1
        title = page.locator(H1).first.inner_text().strip("# \n")
        assert stem_of(page.url) == SEARCH_TARGET and title.startswith("10 ·"), page.url
        return (f"'{SEARCH_WORD}': {len(stems)} hits on {len(pages)} pages "
                f"({', '.join(pages[:4])}, …), notebook 10 is page #{rank}; followed it to "
                f"'{title}'")
    if not checks.check(f'search for "{SEARCH_WORD}" leads to notebook 10', search):
        page.goto(base + f"{SEARCH_TARGET}.html", wait_until="load")

    def math_on_10():
        s = math_typeset(page, SEARCH_TARGET)
        return (f"{len(s['typeset'])} formulas typeset by MathJax ({s['rendered']} rendered "
                f"elements), none empty, no 'Math Processing Error'")
    checks.check("MathJax typesets notebook 10's math", math_on_10)

    def explorer_frame():
        img = page.locator(".tag_explorer .cell_output img").first
        img.scroll_into_view_if_needed()
        img.wait_for(state="visible", timeout=10_000)
        w, h, done = img.evaluate("e => [e.naturalWidth, e.naturalHeight, e.complete]")
        box = img.bounding_box()
        assert done and w > 300 and h > 150, (w, h, done)
        assert box and box["width"] > 200 and box["height"] > 100, box
        in_view = img.evaluate("e => { const r = e.getBoundingClientRect(); "
                               "return r.top < innerHeight && r.bottom > 0; }")
        assert in_view, "the frame is not on screen after scrolling to it"
        if os.environ.get("DLMATH_BROWSER_SCREENSHOT"):      # for a human look
            page.screenshot(path=os.environ["DLMATH_BROWSER_SCREENSHOT"])
        n = page.locator(".tag_explorer").count()
        return (f"{n} explorer cell(s) on notebook 10; static frame {w}×{h} px, "
                f"shown at {box['width']:.0f}×{box['height']:.0f}")
    checks.check("an explorer's static frame is visible", explorer_frame)

    def welcome_formula():
        page.goto(base + f"{order[0]}.html", wait_until="load")
        s = math_typeset(page, order[0])
        tex = [t for t, w, h in s["typeset"] if re.search(r"f'\(x\) = 3x\^2 \+ 2", t)]
        assert tex, f"f'(x) = 3x^2 + 2 not typeset; sources {[t for t, *_ in s['typeset']]}"
        return f"{len(s['typeset'])} formulas on the welcome page, f'(x) = 3x^2 + 2 among them"
    checks.check("MathJax typesets the welcome page's f'(x) = 3x^2 + 2", welcome_formula)


if __name__ == "__main__":
    sys.exit(main())
