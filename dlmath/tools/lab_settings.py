"""JupyterLab as a learner meets it: no news prompt, no update check, nothing fetched.

    python -m dlmath.tools.lab_settings          # run by `make setup` and by Binder's postBuild

Writes two files into the environment JupyterLab runs from (``sys.prefix``), so they apply to
every user of that environment and never touch a learner's own ``~/.jupyter``:

* ``share/jupyter/lab/settings/overrides.json`` — JupyterLab's documented place for
  environment-wide setting defaults: ``fetchNews: "false"`` (Never, so no "Would you like to get
  notified about official Jupyter news?" toast) and ``checkForUpdates: false``;
* ``etc/jupyter/jupyter_lab_config.json`` — the server side of the same (LabApp reads its own
  config file, not ``jupyter_server_config.d``): no news URL and the update checker that never
  checks.

Existing keys in either file (another extension's defaults) are kept.
"""
import json
import os
import sys
from pathlib import Path

NOTIFICATION = "@jupyterlab/apputils-extension:notification"

#: the settings a learner gets, plugin id → {setting: value}
OVERRIDES = {NOTIFICATION: {"fetchNews": "false", "checkForUpdates": False}}

SERVER_CONFIG = {"LabApp": {"news_url": None,
                            "check_for_updates_class": "jupyterlab.NeverCheckForUpdate"}}


def _write_json(path, data):
    """Write atomically: a killed install never leaves half a settings file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n")
    os.replace(tmp, path)


def _merge_into(path, sections):
    """``path``'s JSON with each ``{section: {key: value}}`` of ``sections`` merged in."""
    merged = {}
    if path.exists():
        try:
            merged = json.loads(path.read_text())
        except json.JSONDecodeError as e:
            raise SystemExit(f"lab_settings: {path} is not valid JSON ({e}); fix or remove it")
    for section, values in sections.items():
        merged.setdefault(section, {}).update(values)
    _write_json(path, merged)
    return path


def install(prefix=sys.prefix):
    """Merge :data:`OVERRIDES` and :data:`SERVER_CONFIG` into ``prefix``'s Jupyter files."""
    prefix = Path(prefix)
    return (_merge_into(prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json",
                        OVERRIDES),
            _merge_into(prefix / "etc" / "jupyter" / "jupyter_lab_config.json", SERVER_CONFIG))


if __name__ == "__main__":
    for path in install(sys.argv[1] if len(sys.argv) > 1 else sys.prefix):
        print(f"dlmath.tools.lab_settings: wrote {path}")
