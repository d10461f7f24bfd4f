"""Fixtures: a real Candlecast node (one per session) started from deploy/target/candlecast.jar, and HS256 tokens."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent                      # clients/python
REPO = ROOT.parent.parent
sys.path.insert(0, str(ROOT / "src"))

JAR = Path(os.environ.get("CANDLECAST_JAR", REPO / "deploy" / "target" / "candlecast.jar"))
SECRET = "python-client-tests-secret-0123456789abcdefghij"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def mint(sub: str = "py-tester", secret: str = SECRET, ttl: int = 600, **claims) -> str:
    """An HS256 JWT minted with the standard library."""
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    body = b64url(json.dumps(dict({"sub": sub, "exp": int(time.time()) + ttl}, **claims),
                             separators=(",", ":")).encode())
    sig = hmac.new(secret.encode(), f"{header}.{body}".encode(), hashlib.sha256).digest()
    return f"{header}.{body}.{b64url(sig)}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Node:
    def __init__(self, port: int, proc: subprocess.Popen, log_path: Path) -> None:
        self.port = port
        self.proc = proc
        self.log_path = log_path
        self.url = f"http://127.0.0.1:{port}"
        self.token = mint("py-tester")
        self.operator_token = mint("py-operator", role="operator")

    def get(self, path: str, token: str | None = None):
        req = urllib.request.Request(self.url + path, headers={"Authorization": f"Bearer {token or self.token}"})
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read())

    def post(self, path: str, token: str | None = None):
        req = urllib.request.Request(self.url + path, data=b"", method="POST",
                                     headers={"Authorization": f"Bearer {token or self.operator_token}"})
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read()


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/ready", timeout=5) as r:
            return r.status == 200
    except Exception:
        return False


def _known(n: Node, symbol: str) -> bool:
    """The symbol has traded and the mock history's catch-up is over (its newest 1s candle is of the last 10 s):
    streams are then live in real time, as the tests expect."""
    try:
        newest = n.get(f"/api/candles?symbol={symbol}&tf=1s&limit=1")
        return len(newest) == 1 and newest[0]["t"] > time.time() * 1000 - 10_000
    except Exception:
        return False


@pytest.fixture(scope="session")
def node():
    if not JAR.is_file():
        pytest.fail(f"{JAR} is missing: build it first (mvn -q package -pl deploy -am -DskipTests)")
    data_dir = Path(tempfile.mkdtemp(prefix="candlecast-py-"))
    port = free_port()
    env = dict(os.environ, CANDLECAST_HTTP_HOST="127.0.0.1", CANDLECAST_HTTP_PORT=str(port),
               CANDLECAST_KAFKA_EMBEDDED_PORT="0", CANDLECAST_DATA_DIR=str(data_dir / "data"),
               CANDLECAST_GATEWAY_INSTANCES="1", CANDLECAST_FEED_RATE="50", CANDLECAST_MOCK_HISTORY_DAYS="1",
               CANDLECAST_FEED_SYMBOLS="BTCUSD,ETHUSD", CANDLECAST_GATEWAY_JWT_SECRET=SECRET)
    log_path = Path(os.environ.get("CANDLECAST_NODE_LOG", data_dir / "node.log"))
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "wb")
    proc = subprocess.Popen(["java", "-Xmx384m", "-XX:+UseSerialGC", "-jar", str(JAR)], env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while not _ready(url):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"the node did not become ready (exit {proc.poll()}); log: {log_path}:\n"
                               + log_path.read_text(errors="replace")[-3000:])
        time.sleep(0.5)
    n = Node(port, proc, log_path)
    for symbol in ("BTCUSD", "ETHUSD"):       # ready, and both symbols have traded
        while not _known(n, symbol):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"{symbol} never traded; log: {log_path}")
            time.sleep(0.5)
    try:
        yield n
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        log.close()
        if os.environ.get("CANDLECAST_KEEP_NODE_DIR") is None:
            shutil.rmtree(data_dir, ignore_errors=True)
