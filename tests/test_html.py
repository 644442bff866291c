"""`make html` renders every notebook to a page, offline: a local MathJax, embedded pictures,
and an index that follows the course map."""
import re
from pathlib import Path

from dlmath.tools.html import build, course_map

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_every_notebook_gets_a_page(tmp_path):
    entries = build(NOTEBOOKS, tmp_path)
    index = (tmp_path / "index.html").read_text()
    mapped = course_map((ROOT / "README.md").read_text())
    for nb in NOTEBOOKS:
        page = tmp_path / f"{nb.stem}.html"
        assert page.exists(), nb.name
        text = page.read_text()
        assert f'href="{nb.stem}.html"' in index
        # MathJax is served from the build folder, not a CDN
        assert "_static/mathjax/MathJax.js" in text
        assert 'preferredFont: "STIX-Web"' in text       # the only fonts the local copy has
        assert not re.search(r'<script src="https?://', text)   # no blocking remote script
        assert nb.name in mapped
    assert (tmp_path / "_static" / "mathjax" / "MathJax.js").exists()
    assert len(entries) == len(NOTEBOOKS)
    # the welcome notebook's LaTeX source reaches the page for MathJax to typeset
    welcome = (tmp_path / "00_welcome.html").read_text()
    assert re.search(r"f'\(x\) = 3x\^2 \+ 2", welcome)
