"""``make html``: the course as a Jupyter Book, offline, into ``build/html/``.

    python -m dlmath.tools.book [notebooks/*.ipynb] [--out build/html] [--verbose]

Renders the saved notebooks (nothing is re-run) with Jupyter Book 1.x (Sphinx, the book theme,
MyST-NB): a sidebar table of contents grouped by the README course map's parts, previous/next
links on every page, full-text search, LaTeX typeset by a local copy of MathJax 2 (from the
``jupyter-server-mathjax`` package), plots and the explorers' static first frames as images.

How it is put together, in a temporary source folder:

* ``_toc.yml`` from the README's course-map table: the first notebook row (the welcome
  notebook) is the book's root page, then every ``| **Part N · Title** | |`` row opens a part
  with that caption and the notebook rows below it are its chapters, in README order.
  A notebook in ``notebooks/`` that the course map does not list yet is left out, with a
  warning (tests/test_book.py fails on it); a row whose notebook does not exist is skipped.
* ``_config.yml``: no execution, only the toc's files, no launch/repository buttons, MathJax from
  ``_static/mathjax`` with the STIX-Web fonts (the only ones the local copy ships: with MathJax's
  default TeX fonts, glyphs such as the prime in f'(x) end in "Math Processing Error"), and a
  mime priority that prefers ``image/png`` and drops the ipywidgets view — the notebooks are
  committed without widget state, so the view would render as nothing, while every explorer
  saves its static first frame as a PNG beside it. Jupyter Book's extensions that reach out
  (sphinx-thebe's CDN script, intersphinx's inventory downloads) are left out.
* the notebooks, copied, with each explorer cell tagged ``explorer`` (class ``tag_explorer`` on
  the page) and a note in place of a widget that has no static picture.
* ``_assets/``: the MathJax copy (→ ``_static/mathjax``) and a line of CSS that keeps MathJax's
  hidden screen-reader MathML from asking for TeX fonts the copy does not have.

Sphinx builds into the temporary folder too (MyST-NB writes beside its output folder); the
finished site replaces ``--out`` (only if that is empty or a previous build).

After the build, :func:`offline_problems` scans the site: no ``<script src>``, ``<link href>``,
``<img src>``, CSS ``url()``/``@import`` may point at ``http(s)://`` (plain ``<a href>`` links
in the prose are fine: they load nothing); any such fetch makes the command fail.
"""
import argparse
import json
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
TITLE = "The Math Behind Deep Learning"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = ("[an interactive widget: it works when the notebook runs in JupyterLab "
               "(make lab); a static page cannot move it]")
# relative to the built site's _static/ (Sphinx prefixes relative script paths with it)
MATHJAX_PATH = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"
MATHJAX2_CONFIG = {
    # Sphinx writes inline math as \(…\) and display math as \[…\] inside class="math"
    "tex2jax": {"inlineMath": [["\\(", "\\)"]], "displayMath": [["\\[", "\\]"]],
                "processEscapes": False},
    "HTML-CSS": {"availableFonts": ["STIX-Web"], "preferredFont": "STIX-Web",
                 "webFont": "STIX-Web", "imageFont": None},
    "SVG": {"font": "STIX-Web"},
}

BOOK_CSS = "dlmath-book.css"
# MathJax 2 also puts each formula as hidden MathML in the page for screen readers, styled with
# MathJax's TeX web fonts for \mathbb and friends — fonts the local copy does not ship (a 404 per
# page). The hidden copy needs no font of its own.
BOOK_CSS_TEXT = """.MJX_Assistive_MathML, .MJX_Assistive_MathML * {
  font-family: inherit !important;
}
"""

_PART_ROW = re.compile(r"^\|\s*\*\*(Part\s[^*|]+?)\*\*\s*\|")
_NOTEBOOK_ROW = re.compile(r"^\|\s*\[`?([\w.\-]+)\.ipynb`?\]\([^)]*\)\s*\|")


def course_parts(readme):
    """The README course map as ``[(caption, [notebook stem, …]), …]`` in order.

    Rows before the first ``**Part …**`` row belong to a part with caption ``None`` (the
    welcome notebook). Raises ``ValueError`` if the table has no notebook row.
    """
    parts = [(None, [])]
    for line in readme.splitlines():
        if m := _PART_ROW.match(line):
            parts.append((m.group(1).strip(), []))
        elif m := _NOTEBOOK_ROW.match(line):
            parts[-1][1].append(m.group(1))
    if not any(stems for _, stems in parts):
        raise ValueError("README.md has no course-map rows like "
                         "| [`00_welcome.ipynb`](notebooks/00_welcome.ipynb) | … |")
    return [(caption, stems) for caption, stems in parts if stems or caption]


def unlisted(parts, available):
    """The notebooks in ``available`` (stems) that the course map does not list, sorted: the
    book leaves them out (a notebook gets its README row when it joins the course)."""
    listed = {stem for _, stems in parts for stem in stems}
    return sorted(set(available) - listed)


def make_toc(parts, available):
    """The ``_toc.yml`` mapping (sphinx-external-toc's ``jb-book`` format) for the notebooks in
    ``available`` (a set of stems) that the course map lists: root = the first one, then one
    captioned part per README part, in README order. Raises ``ValueError`` if none is listed."""
    listed = [stem for _, stems in parts for stem in stems]
    order = [stem for stem in listed if stem in available]
    if not order:
        raise ValueError("no notebook of the README course map exists in notebooks/")
    toc = {"format": "jb-book", "root": order[0], "parts": []}
    for caption, stems in parts:
        chapters = [{"file": s} for s in stems if s in available and s != order[0]]
        if chapters:
            part = {"chapters": chapters}
            if caption:
                part["caption"] = caption
            toc["parts"].append(part)
    return toc


def make_config():
    """The ``_config.yml`` mapping: Jupyter Book's options, then Sphinx overrides."""
    from jupyter_book.config import get_default_sphinx_config
    return {
        "title": TITLE,
        "author": "the dlmath authors",
        "copyright": "the dlmath authors",
        "only_build_toc_files": True,
        "exclude_patterns": ["_assets"],
        "execute": {"execute_notebooks": "off"},          # the saved outputs, never re-run
        "parse": {"myst_enable_extensions": ["dollarmath", "amsmath"]},
        "html": {"use_repository_button": False, "use_issues_button": False,
                 "use_edit_page_button": False, "home_page_in_navbar": True,
                 "use_multitoc_numbering": False,
                 "comments": {"hypothesis": False, "utterances": False}},
        "latex": {"use_jupyterbook_latex": False},          # HTML only
        "launch_buttons": {"notebook_interface": "jupyterlab", "binderhub_url": "",
                           "jupyterhub_url": "", "thebe": False, "colab_url": "",
                           "deepnote_url": ""},
        "repository": {"url": ""},
        "sphinx": {"config": {
            # Jupyter Book's extensions without those that reach out: sphinx-thebe (its
            # live-code library's CDN address on every page) and intersphinx (inventories
            # downloaded at build time); sphinx-comments stays, switched off below
            "extensions": [e for e in get_default_sphinx_config()["extensions"]
                           if e not in ("sphinx_thebe", "sphinx.ext.intersphinx")],
            "html_static_path": ["_assets"],                # → _static/mathjax/
            "html_css_files": [BOOK_CSS],
            "myst_dmath_double_inline": True,               # $$…$$ inside a paragraph too
            "mathjax_path": MATHJAX_PATH,
            "mathjax2_config": MATHJAX2_CONFIG,
            "mathjax3_config": None,
            "myst_update_mathjax": False,                   # it would add a MathJax 3 config
            "nb_mime_priority_overrides": [("*", WIDGET_VIEW, None), ("*", "image/png", 5)],
            "nb_ipywidgets_js": {},                         # no require.js/widget CDN scripts
            "html_theme_options": {"search_bar_text": "Search the course…",
                                   "use_download_button": True,
                                   "use_fullscreen_button": False},
        }},
    }


def mathjax_source():
    """The MathJax 2 tree that ``jupyter-server-mathjax`` ships (MathJax.js, config/, jax/,
    extensions/, fonts/HTML-CSS/STIX-Web)."""
    import jupyter_server_mathjax
    return Path(jupyter_server_mathjax.__file__).parent / "static"


def for_the_page(nb):
    """The notebook (a JSON dict, changed in place and returned) as the static page shows it.

    * A code cell whose output is an explorer (a widget view with its static PNG beside it) gets
      the cell tag ``explorer`` — MyST-NB turns it into the CSS class ``tag_explorer``, which the
      browser test uses to find the frame.
    * A widget view with no picture (the welcome notebook's widget check) would show its Python
      repr (``VBox(children=…)``); it says instead that the widget needs a running notebook.
    """
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if WIDGET_VIEW not in data:
                continue
            if "image/png" in data:
                tags = cell.setdefault("metadata", {}).setdefault("tags", [])
                if "explorer" not in tags:
                    tags.append("explorer")
            else:
                data["text/plain"] = WIDGET_NOTE
    return nb


def write_source(src, notebooks, readme):
    """Lay out the book source in ``src``: the course map's notebooks, _toc.yml, _config.yml,
    _assets/ (MathJax, the book's CSS). Returns the toc mapping."""
    by_stem = {Path(p).stem: Path(p) for p in notebooks}
    parts = course_parts(readme)
    toc = make_toc(parts, set(by_stem))
    for stem in toc_order(toc):
        path = by_stem[stem]
        nb = json.loads(path.read_text(encoding="utf-8"))
        (src / f"{stem}.ipynb").write_text(json.dumps(for_the_page(nb)), encoding="utf-8")
    (src / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False, allow_unicode=True),
                                  encoding="utf-8")
    (src / "_config.yml").write_text(yaml.safe_dump(make_config(), sort_keys=False,
                                                    allow_unicode=True), encoding="utf-8")
    shutil.copytree(mathjax_source(), src / "_assets" / "mathjax")
    (src / "_assets" / BOOK_CSS).write_text(BOOK_CSS_TEXT, encoding="utf-8")
    return toc


def toc_order(toc):
    """Page stems in reading order (root first)."""
    return [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]


def _check_output(out):
    """``out`` must be new, empty or a rendered site — a previous build, or the hand-written
    renderer's pages — which is replaced, so removed pages do not linger. Anything else (a
    file that is not a page or site data, a folder not named like ``_static``) is never
    deleted."""
    if not out.exists():
        return
    if not out.is_dir():
        raise ValueError(f"--out {out} is a file, not a folder")
    site_files = {".html", ".js", ".inv", ".buildinfo"}       # pages, search index, inventory
    foreign = [p.name for p in out.iterdir()
               if not (p.is_dir() and (p.name.startswith("_") or p.name == ".doctrees"))
               and not (p.is_file() and (p.suffix or p.name) in site_files)]
    if foreign:
        raise ValueError(f"--out {out} is not a rendered site (it holds {', '.join(foreign[:3])}"
                         f"); choose an empty or new folder")


def build(out, notebooks=None, readme=None, quiet=True):
    """Build the book into ``out`` and return ``{"pages": [stem, …] in reading order,
    "toc": the toc mapping, "unlisted": [notebook stems left out: not in the course map],
    "seconds": build time, "offline_problems": [...]}``.

    ``notebooks`` defaults to ``notebooks/*.ipynb``, ``readme`` to README.md's text. Raises
    ``RuntimeError`` if Sphinx fails."""
    from jupyter_book.sphinx import build_sphinx

    start = time.perf_counter()
    out = Path(out).resolve()
    notebooks = sorted(Path(p) for p in (notebooks or (ROOT / "notebooks").glob("*.ipynb")))
    readme = readme if readme is not None else (ROOT / "README.md").read_text(encoding="utf-8")
    _check_output(out)
    with tempfile.TemporaryDirectory(prefix="dlmath-book-") as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        toc = write_source(src, notebooks, readme)
        # MyST-NB writes output files next to the build folder (<outdir>/../jupyter_execute):
        # build inside the temporary folder and move the finished site to ``out``
        site = Path(tmp) / "html"
        status = build_sphinx(src, site, noconfig=True, path_config=src / "_config.yml",
                              doctreedir=Path(tmp) / "doctrees", freshenv=True,
                              confoverrides={"latex_individualpages": False},
                              quiet=quiet, really_quiet=False)
        if status != 0:
            raise RuntimeError(f"the book build failed (sphinx status {status!r}); see the "
                               f"messages above")
        if out.exists():
            shutil.rmtree(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(site, out)
    pages = toc_order(toc)
    # index.html (written by sphinx-external-toc) redirects to the root page
    missing = [s for s in pages + ["index"] if not (out / f"{s}.html").exists()]
    if missing:
        raise RuntimeError(f"the build wrote no page for {missing}")
    left_out = unlisted(course_parts(readme), {p.stem for p in notebooks})
    return {"pages": pages, "toc": toc, "unlisted": left_out,
            "seconds": time.perf_counter() - start,
            "offline_problems": offline_problems(out)}


# what a page may load: attributes that fetch, and CSS that fetches
_FETCHING_ATTR = re.compile(
    r"<(script|link|img|iframe|source|video|audio|embed)\b[^>]*?\s(src|href|srcset)\s*=\s*"
    r"[\"']?\s*((?:https?:)?//[^\"'\s>]+)", re.I)
_CSS_URL = re.compile(r"(?:url\(\s*[\"']?|@import\s+[\"'])\s*((?:https?:)?//[^\"')\s]+)", re.I)
_STYLE_BLOCK = re.compile(r"<style\b[^>]*>(.*?)</style>", re.I | re.S)
_STYLE_ATTR = re.compile(r"\sstyle\s*=\s*\"([^\"]*)\"", re.I)


def offline_problems(out):
    """Every remote fetch the built site would make: ``["page.html: <script src=https://…>",
    "_static/x.css: url(https://…)", …]``; empty when everything is local.

    Scanned: ``<script src>``, ``<link href>`` (stylesheets, fonts, preloads, icons), ``<img>``
    ``<iframe>`` ``<source>`` … ``src``/``srcset`` in every HTML file, and ``url()`` / ``@import``
    in every CSS file, ``<style>`` block and ``style=""`` attribute. ``<a href>`` is not a fetch.
    """
    out = Path(out)
    problems = []
    for page in sorted(out.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        rel = page.relative_to(out)
        for tag, attr, url in _FETCHING_ATTR.findall(text):
            problems.append(f"{rel}: <{tag} {attr}={url}>")
        css = "\n".join(_STYLE_BLOCK.findall(text) + _STYLE_ATTR.findall(text))
        problems += [f"{rel}: url({u})" for u in _CSS_URL.findall(css)]
    for sheet in sorted(out.rglob("*.css")):
        text = sheet.read_text(encoding="utf-8", errors="replace")
        problems += [f"{sheet.relative_to(out)}: url({u})" for u in _CSS_URL.findall(text)]
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Build the course as a Jupyter Book (offline, from the saved outputs).")
    parser.add_argument("notebooks", nargs="*", help="default: notebooks/*.ipynb")
    parser.add_argument("--out", default=str(ROOT / "build" / "html"),
                        help="output folder (default build/html)")
    parser.add_argument("--verbose", action="store_true", help="show Sphinx's progress")
    args = parser.parse_args(argv)
    try:
        result = build(args.out, notebooks=args.notebooks or None, quiet=not args.verbose)
    except (ValueError, RuntimeError) as exc:
        print(f"make html: {exc}", file=sys.stderr)
        return 1
    parts = [p.get("caption", "") for p in result["toc"]["parts"]]
    print(f"{len(result['pages'])} pages in {len(parts)} parts ({'; '.join(parts)}), "
          f"built in {result['seconds']:.1f} s")
    if result["unlisted"]:
        print("make html: left out, not in the README course map yet: " +
              ", ".join(s + ".ipynb" for s in result["unlisted"]), file=sys.stderr)
    if result["offline_problems"]:
        print("make html: the site would fetch from outside:\n  " +
              "\n  ".join(result["offline_problems"]), file=sys.stderr)
        return 1
    print(f"offline: every script, stylesheet, font and image is local; "
          f"open {Path(args.out) / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
