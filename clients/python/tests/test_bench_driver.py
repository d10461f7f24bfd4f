"""bench/clients/python/driver.py against a loopback blaster speaking the JSON protocol: consume counts typed
candles (not the snapshot) with both APIs; follow prints snapshot, candle and state lines."""
import asyncio
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parent.parent
DRIVER = ROOT.parent.parent / "bench" / "clients" / "python" / "driver.py"


def blaster(ready: threading.Event, port: list, stop: threading.Event):
    async def handler(ws, path):
        await ws.send('{"type":"connection","status":"connected","timestamp":1}')
        f = json.loads(await ws.recv())
        await ws.send(json.dumps({"type": "subscription", "status": "subscribed", "symbol": "BTCUSD", "tf": "1s",
                                  "id": f["id"]}))
        await ws.send(json.dumps({"type": "snapshot", "symbol": "BTCUSD", "tf": "1s", "time_window_seconds": 1,
                                  "id": f["id"], "candles": []}))
        t, n = 1_700_000_000_000, 0
        try:
            while not stop.is_set():
                n += 1
                closed = n % 10 == 0
                await ws.send(f'{{"type":"candle","symbol":"BTCUSD","tf":"1s","t":{t},"open":1.5,"high":2.0,'
                              f'"low":1.0,"close":1.75,"volume":0.5,"trades":{n},"unix_timestamp":{t // 1000},'
                              f'"time_window_seconds":1,"closed":{"true" if closed else "false"}}}')
                if closed:
                    t, n = t + 1000, 0
        except websockets.ConnectionClosed:
            pass

    async def main():
        server = await websockets.serve(handler, "127.0.0.1", 0)
        port.append(server.sockets[0].getsockname()[1])
        ready.set()
        while not stop.is_set():
            await asyncio.sleep(0.05)
        server.close()
    asyncio.run(main())


def run_driver(*args):
    ready, port, stop = threading.Event(), [], threading.Event()
    t = threading.Thread(target=blaster, args=(ready, port, stop), daemon=True)
    t.start()
    ready.wait(10)
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    try:
        r = subprocess.run([sys.executable, str(DRIVER), *args, "--url", f"http://127.0.0.1:{port[0]}",
                            "--symbol", "BTCUSD", "--tf", "1s"], env=env, capture_output=True, text=True, timeout=120)
    finally:
        stop.set()
        t.join(10)
    assert r.returncode == 0, r.stderr
    return [json.loads(line) for line in r.stdout.splitlines()]


def test_consume_counts_typed_candles_with_both_apis():
    for api in ("asyncio", "thread"):
        lines = run_driver("consume", "--count", "3000", "--api", api)
        assert len(lines) == 1
        (s,) = lines
        assert (s["lang"], s["api"], s["count"]) == ("python", api, 3000)
        assert s["seconds"] > 0 and abs(s["rate"] - 3000 / s["seconds"]) < 1e-6 * s["rate"]


def test_follow_prints_state_snapshot_and_candles():
    lines = run_driver("follow", "--seconds", "1.5")
    kinds = [line["kind"] for line in lines]
    states = [line["state"] for line in lines if line["kind"] == "state"]
    assert kinds[0] == "state" and states == ["connecting", "connected", "closed"]
    snap = next(line for line in lines if line["kind"] == "snapshot")
    assert snap["recovered"] is None and snap["count"] == 0
    candles = [line for line in lines if line["kind"] == "candle"]
    assert len(candles) > 10 and all({"t", "closed", "trades", "at"} <= set(c) for c in candles)
    assert lines[-1] == {"kind": "state", "state": "closed", "at": lines[-1]["at"]}
