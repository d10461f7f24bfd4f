"""``pip install --no-index --no-build-isolation ./clients/python`` works offline in a venv that sees Debian's
packages (websockets, optionally pandas), and the installed package imports and works."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_offline_pip_install_into_a_venv(tmp_path):
    source = tmp_path / "candlecast-src"          # a copy, so the build leaves nothing in the worktree
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__", "target",
                                                                ".pytest_cache"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    py = venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL")}
    env["PIP_NO_INDEX"] = "1"
    r = subprocess.run([str(py), "-m", "pip", "install", "--no-index", "--no-build-isolation", "--no-cache-dir",
                        str(source)], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    probe = ("import candlecast, websockets; from candlecast import Client, WebSocketClient, DataProvider, "
             "DataResolution; c = Client('http://127.0.0.1:1'); print(candlecast.__file__, c.ws_url, "
             "DataResolution.DAY_01.value)")
    r = subprocess.run([str(py), "-c", probe], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    location, ws_url, day = r.stdout.split()
    assert location.startswith(str(venv)) and ws_url == "ws://127.0.0.1:1/ws" and day == "1d"
    r = subprocess.run([str(py), "-m", "pip", "show", "candlecast"], env=env, capture_output=True, text=True)
    assert "Requires: websockets" in r.stdout
