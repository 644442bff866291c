"""``make html``: render the whole course, offline, into ``build/html/``.

    python -m dlmath.tools.html [notebooks/*.ipynb] [--out build/html]

Each notebook becomes ``<name>.html`` from its *saved* outputs (nothing is re-run), with an
index page that follows the README's course map. LaTeX is typeset by a local copy of MathJax
(from the ``jupyter-server-mathjax`` package) so the pages work without internet; plots are
embedded PNGs; explorers show the static first frame each one saves next to its widget view
(their widget state is stripped, so the PNG is what a reader without a kernel sees).
"""
import argparse
import html
import re
import shutil
import sys
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parents[2]
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"
# jupyter-server-mathjax ships only the STIX-Web fonts (not MathJax's TeX fonts): say so, or
# glyphs such as the prime in f'(x) fail with "Math Processing Error".
MATHJAX_FONTS = """<script type="text/x-mathjax-config">
MathJax.Hub.Config({"HTML-CSS": {availableFonts: ["STIX-Web"], preferredFont: "STIX-Web",
                                  webFont: "STIX-Web", imageFont: null},
                    SVG: {font: "STIX-Web"}});
</script>
"""
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def mathjax_source():
    import jupyter_server_mathjax
    return Path(jupyter_server_mathjax.__file__).parent / "static"


def course_map(readme):
    """(notebook file name → one-line description) from the README's course-map table."""
    rows = {}
    for line in readme.splitlines():
        m = re.match(r"\|\s*\[`?([\w.\-]+\.ipynb)`?\]\([^)]*\)\s*\|\s*(.+?)\s*\|\s*$", line)
        if m:
            rows[m.group(1)] = m.group(2)
    return rows


def _title(nb, fallback):
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#\s+(.+)$", cell.source, re.M)
            if m:
                return m.group(1).strip()
    return fallback


def _drop_widget_views(nb):
    """Without saved widget state a widget view renders as nothing; drop it so the static
    PNG (and text) in the same output is what the page shows."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data")
            if data and WIDGET_MIME in data and len(data) > 1:
                del data[WIDGET_MIME]
    return nb


def build(paths, out):
    out.mkdir(parents=True, exist_ok=True)
    static = out / "_static" / "mathjax"
    if not (static / "MathJax.js").exists():
        shutil.copytree(mathjax_source(), static, dirs_exist_ok=True)
    exporter = HTMLExporter(template_name="lab")
    exporter.mathjax_url = f"_static/mathjax/MathJax.js?config={MATHJAX_CONFIG}"
    described = course_map((ROOT / "README.md").read_text())
    entries = []
    for path in paths:
        path = Path(path)
        nb = _drop_widget_views(nbformat.read(path, as_version=4))
        title = _title(nb, path.stem)
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
        # require.js only serves live widget state, which is stripped: don't block on a CDN
        body = re.sub(r'<script src="https?://[^"]*require[^"]*"></script>', "", body)
        body = body.replace('<script src="_static/mathjax/', MATHJAX_FONTS +
                            '<script src="_static/mathjax/', 1)
        (out / f"{path.stem}.html").write_text(body, encoding="utf-8")
        entries.append((path, title, described.get(path.name, "")))
        print(f"{path} → {out / (path.stem + '.html')}")
    rows = "\n".join(
        f'<tr><td><a href="{html.escape(p.stem)}.html">{html.escape(t)}</a></td>'
        f"<td>{html.escape(re.sub(r'`', '', d))}</td></tr>" for p, t, d in entries)
    (out / "index.html").write_text(f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>The Math Behind Deep Learning</title>
<style>body{{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em}}
table{{border-collapse:collapse}}td{{padding:.4em .8em;border-bottom:1px solid #ddd}}</style>
</head><body>
<h1>The Math Behind Deep Learning</h1>
<p>The course, rendered from the saved notebooks. Open them in JupyterLab (<code>make lab</code>)
to run the code and move the sliders.</p>
<table>
{rows}
</table></body></html>
""", encoding="utf-8")
    return entries


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*")
    parser.add_argument("--out", default=str(ROOT / "build" / "html"))
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(str(p) for p in (ROOT / "notebooks").glob("*.ipynb"))
    build(paths, Path(args.out))
    print(f"open {Path(args.out) / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
