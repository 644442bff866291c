"""The repository is a valid repo2docker source (Binder, or a JupyterHub image built by
repo2docker): `repo2docker --no-build --debug .` prints the Dockerfile it would build without a
Docker engine; it must install environment.yml (with dlmath itself) and run postBuild, which
compiles the kernels and applies the JupyterLab settings `make setup` applies."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REPO2DOCKER = shutil.which("repo2docker", path=str(Path(sys.executable).parent)) \
    or shutil.which("repo2docker")


@pytest.fixture(scope="module")
def dockerfile(tmp_path_factory):
    if REPO2DOCKER is None:
        pytest.skip("repo2docker is not installed (pip install 'jupyter-repo2docker'; "
                    "the test extra in pyproject.toml has it)")
    # a copy of the tracked files only, as a fresh clone would give repo2docker
    src = tmp_path_factory.mktemp("repo")
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                           check=True).stdout.decode().split("\0")
    for f in filter(None, files):
        if (ROOT / f).exists():
            (src / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / f, src / f)
    out = subprocess.run([REPO2DOCKER, "--no-build", "--debug", "."], cwd=src,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout + out.stderr


def test_uses_the_conda_environment_with_its_python(dockerfile):
    assert "Building conda environment for python=3.11" in dockerfile
    assert re.search(r'env update -p \$\{NB_PYTHON_PREFIX\} --file "environment.yml"', dockerfile)


def test_whole_repo_is_copied_before_the_environment_installs_dlmath(dockerfile):
    # environment.yml's pip section has `-e .`, so repo2docker must stage the repo first
    copy, update = dockerfile.index("COPY --chown"), dockerfile.index('--file "environment.yml"')
    assert dockerfile.rfind("${REPO_DIR}/", 0, update) > copy


def test_runs_postbuild_after_the_environment(dockerfile):
    m = re.search(r"RUN .*\./postBuild", dockerfile)
    assert m, "the Dockerfile does not run postBuild"
    assert m.start() > dockerfile.index('--file "environment.yml"')


def test_postbuild_does_what_make_setup_does():
    post = (ROOT / "postBuild").read_text()
    make = (ROOT / "Makefile").read_text()
    assert os.access(ROOT / "postBuild", os.X_OK)
    for step in ("-m dlmath.warmup", "-m dlmath.tools.lab_settings"):
        assert step in post and step in make, step
