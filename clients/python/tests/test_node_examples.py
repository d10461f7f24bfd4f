"""The examples run against the real node (each for a few seconds) and print what they promise."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.node


def run(node, script, *args, timeout=90):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), CANDLECAST_TOKEN=node.token, MPLBACKEND="Agg")
    r = subprocess.run([sys.executable, str(ROOT / "examples" / script), "--url", node.url, *args], env=env,
                       capture_output=True, text=True, timeout=timeout)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout


def test_live_candles(node):
    out = run(node, "live_candles.py", "BTC-USD", "--tf", "1s", "--seconds", "2.5")
    assert "[connected]" in out and "snapshot: " in out and " closed" in out and "BTCUSD 1s " in out


def test_ticker(node):
    lines = run(node, "ticker.py", "BTCUSD", "ETHUSD", "--seconds", "4").splitlines()
    assert any(line.startswith("● BTCUSD ") and "ETHUSD " in line and "…" not in line for line in lines)


def test_daily_png(node, tmp_path):
    png = tmp_path / "btc.png"
    out = run(node, "daily_png.py", "BTC-USD", str(png))
    assert "wrote " in out and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bot(node):
    out = run(node, "bot.py", "BTCUSD", "--tf", "1s", "--seconds", "5")
    assert "alert al-" in out and "rsi history: " in out and "rsi " in out
