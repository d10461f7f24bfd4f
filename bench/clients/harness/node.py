"""A real single Candlecast node for the reconnect benchmark, and a reference subscriber connected to it directly."""
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Node:
    """java -jar candlecast.jar with the mock feed at 50 trades/s on BTCUSD,ETHUSD, no authentication, own data dir."""

    def __init__(self, jar, log_path, feed_rate=50):
        self.jar, self.log_path, self.feed_rate = jar, log_path, feed_rate
        self.port = free_port()
        self.data_dir = tempfile.mkdtemp(prefix="candlecast-bench-clients-")
        self.proc = None

    def start(self, timeout_s=120):
        env = dict(os.environ, CANDLECAST_HTTP_HOST="127.0.0.1", CANDLECAST_HTTP_PORT=str(self.port),
                   CANDLECAST_KAFKA_EMBEDDED_PORT="0", CANDLECAST_DATA_DIR=self.data_dir,
                   CANDLECAST_GATEWAY_INSTANCES="1", CANDLECAST_FEED_RATE=str(self.feed_rate),
                   CANDLECAST_MOCK_HISTORY_DAYS="1", CANDLECAST_FEED_SYMBOLS="BTCUSD,ETHUSD")
        env.pop("CANDLECAST_GATEWAY_JWT_SECRET", None)
        log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(["java", "-Xmx384m", "-XX:+UseSerialGC", "-jar", self.jar], env=env,
                                     stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + timeout_s
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("node exited with %s, see %s" % (self.proc.returncode, self.log_path))
            if self._ready():
                return self
            time.sleep(0.5)
        raise RuntimeError("node not ready in %d s, see %s" % (timeout_s, self.log_path))

    def _ready(self):
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/ready" % self.port, timeout=2) as r:
                return r.status == 200
        except OSError:
            return False

    def candles(self, symbol, tf, frm, to, limit=500):
        """GET /api/candles straight from the node (the oracle); a list of open times."""
        url = "http://127.0.0.1:%d/api/candles?symbol=%s&tf=%s&from=%d&to=%d&limit=%d" % (
            self.port, symbol, tf, frm, to, limit)
        with urllib.request.urlopen(url, timeout=10) as r:
            return [c["t"] for c in json.loads(r.read())]

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class ReferenceSubscriber:
    """Subscribes 1s candles straight from the node (no proxy) and records when each closed candle arrived: the
    time the server itself published a window, to set a driver's caught-up time against."""

    def __init__(self, port, symbol="BTCUSD", tf="1s"):
        self.url = "ws://127.0.0.1:%d/ws" % port
        self.symbol, self.tf = symbol, tf
        self.closed_at = {}
        self.stopping = False
        self.streaming = threading.Event()  # set at the first closed candle: the node knows the symbol and streams
        self.thread = threading.Thread(target=lambda: asyncio.run(self._run()), name="reference", daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.stopping = True

    async def _run(self):
        import websockets
        while not self.stopping:
            try:
                async with websockets.connect(self.url, max_size=None) as ws:
                    await ws.send(json.dumps({"type": "subscribe", "symbol": self.symbol, "tf": self.tf}))
                    while not self.stopping:
                        try:
                            frame = json.loads(await asyncio.wait_for(ws.recv(), 1.0))
                        except asyncio.TimeoutError:
                            continue
                        if frame.get("type") == "candle" and frame.get("closed"):
                            self.closed_at.setdefault(frame["t"], int(time.time() * 1000))
                            self.streaming.set()
                        elif frame.get("type") == "error":  # right after /ready: unknown_symbol for a moment
                            raise RuntimeError(frame.get("code"))
            except Exception as e:  # the node going away ends the benchmark anyway; retry until stopped
                if self.stopping:
                    return
                print("reference subscriber: %s" % e, file=sys.stderr)
                await asyncio.sleep(1)
