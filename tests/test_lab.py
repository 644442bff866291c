"""`make lab` serves JupyterLab on 127.0.0.1 with token auth: start it, ask /api/status with and
without the token, stop it by PID."""
import json
import os
import re
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
    with open(log, "w") as out:
        proc = subprocess.Popen(["make", "--no-print-directory", "lab", f"LAB_PORT={port}",
                                 "LAB_ARGS=--no-browser"], cwd=ROOT, stdout=out,
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
        # bound to loopback only
        assert f"127.0.0.1:{port}" in log.read_text()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
