"""pyproject.toml and environment.yml name the same packages with the same version ranges,
and the Makefile offers every target the README promises."""
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def split(req):
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", req)
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = dict(split(r) for r in project["dependencies"])
    for extra in project["optional-dependencies"].values():
        wanted.update(split(r) for r in extra)
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = dict(split(d) for d in env["dependencies"] if isinstance(d, str))
    conda.pop("pip", None)
    python = conda.pop("python")                      # "=3.11": the version Binder builds
    from packaging.specifiers import SpecifierSet
    assert python.startswith("=") and python.lstrip("=") + ".0" in SpecifierSet(
        project["requires-python"]), f"environment.yml python {python} vs {project['requires-python']}"
    assert conda == wanted, (
        f"only in environment.yml: {sorted(set(conda.items()) - set(wanted.items()))}; "
        f"only in pyproject.toml: {sorted(set(wanted.items()) - set(conda.items()))}")
    pip = [d for d in env["dependencies"] if isinstance(d, dict)][0]["pip"]
    assert "-e ." in pip


def test_installed_versions_satisfy_the_pins():
    from importlib.metadata import version
    from packaging.specifiers import SpecifierSet
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for req in project["dependencies"] + project["optional-dependencies"]["course"]:
        name, spec = split(req)
        assert version(name) in SpecifierSet(spec), f"{name} {version(name)} not in {spec}"


def test_makefile_has_the_promised_targets():
    text = (ROOT / "Makefile").read_text()
    for target in ("setup", "lab", "test", "test-unit", "test-notebooks", "test-portability",
                   "test-browser",
                   "bench", "execute", "html", "clean-numba", "clean"):
        assert re.search(rf"^{re.escape(target)}:", text, re.M), f"make {target} is missing"
    readme = (ROOT / "README.md").read_text()
    assert readme.index("make lab") < readme.index("## ") or "make lab" in readme
    assert "make test" in readme
