"""`make lab` serves JupyterLab on 127.0.0.1 with token auth and the learner's settings: start it,
ask /api/status with and without the token, read the effective notification settings through the
server's settings API (no news prompt, no update check), check that it serves the learner's own
copy of the course (a fresh WORK folder filled from notebooks/), stop it by its process group."""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_make_lab_serves_with_token(tmp_path):
    port = free_port()
    log = tmp_path / "lab.log"
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               JUPYTER_CONFIG_DIR=str(tmp_path / "config"))
    env.pop("JUPYTER_TOKEN", None)
    work = f"build/test-lab-work-{os.getpid()}"            # inside the served root, git-ignored
    shutil.rmtree(ROOT / work, ignore_errors=True)
    with open(log, "w") as out:
        proc = subprocess.Popen(["make", "--no-print-directory", "lab", f"LAB_PORT={port}",
                                 "LAB_ARGS=--no-browser", f"WORK={work}"], cwd=ROOT, stdout=out,
                                stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        token, deadline = None, time.time() + 90
        while token is None and time.time() < deadline:
            time.sleep(0.5)
            assert proc.poll() is None, f"make lab exited early:\n{log.read_text()}"
            m = re.search(rf"http://127\.0\.0\.1:{port}/lab[^\s]*\?token=([0-9a-f]+)",
                          log.read_text())
            token = m and m.group(1)
        assert token, f"no token URL in the server log:\n{log.read_text()}"
        url = f"http://127.0.0.1:{port}/api/status"
        with urllib.request.urlopen(f"{url}?token={token}", timeout=10) as r:
            assert r.status == 200
            assert "started" in json.loads(r.read())
        try:                                                   # no token → refused
            urllib.request.urlopen(url, timeout=10)
            raise AssertionError("JupyterLab answered /api/status without the token")
        except urllib.error.HTTPError as e:
            assert e.code == 403
        # the effective settings, as the browser will receive them: news and update checks off
        plugin = "@jupyterlab/apputils-extension:notification"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab/api/settings/{plugin}"
                                    f"?token={token}", timeout=10) as r:
            settings = json.loads(r.read())
        # effective value = the user's setting if any, else the schema default, which is where
        # the server applies the environment's overrides.json
        props = settings["schema"]["properties"]
        effective = {k: settings["settings"].get(k, props[k]["default"]) for k in props}
        assert effective["fetchNews"] == "false", effective
        assert effective["checkForUpdates"] is False, effective
        # and the server side: the page config says news is disabled (no feed URL at all)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token={token}",
                                    timeout=10) as r:
            page = r.read().decode()
        config = json.loads(re.search(r'<script id="jupyter-config-data"[^>]*>(.*?)</script>',
                                      page, re.S).group(1))
        assert config["news"] == {"disabled": True}, config.get("news")
        # bound to loopback only
        assert f"127.0.0.1:{port}" in log.read_text()
        # the learner's copy: every course notebook, served from the WORK folder
        course = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents/{work}"
                                    f"?token={token}", timeout=10) as r:
            served = sorted(c["name"] for c in json.loads(r.read())["content"]
                            if c["name"].endswith(".ipynb"))
        assert served == course
        assert f"{work}/00_welcome.ipynb" in log.read_text()    # the notebook lab opened
    finally:
        shutil.rmtree(ROOT / work, ignore_errors=True)
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_lab_settings_merge_and_refuse_garbage(tmp_path):
    """The settings installer keeps other extensions' overrides and refuses a broken file."""
    from dlmath.tools import lab_settings
    settings = tmp_path / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"@other/ext:plugin": {"x": 1},
                                    lab_settings.NOTIFICATION: {"doNotDisturbMode": True}}))
    overrides, server = lab_settings.install(tmp_path)
    got = json.loads(overrides.read_text())
    assert got["@other/ext:plugin"] == {"x": 1}
    assert got[lab_settings.NOTIFICATION] == {"doNotDisturbMode": True, "fetchNews": "false",
                                              "checkForUpdates": False}
    assert json.loads(server.read_text())["LabApp"]["news_url"] is None
    settings.write_text("{not json")
    try:
        lab_settings.install(tmp_path)
        raise AssertionError("a broken overrides.json was silently replaced")
    except SystemExit as e:
        assert "overrides.json is not valid JSON" in str(e)
    assert settings.read_text() == "{not json"            # left for the user to look at
