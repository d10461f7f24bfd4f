"""A minimal driver speaking the drivers' CLI, for testing the harness before (and independently of) the clients:
websockets + json, reconnects every 0.5 s after a drop and resumes with since = last closed open time + 1, skipping
windows it already delivered. Not a client library: no back-off, no requests, no error mapping.
  /usr/bin/python3 bench/clients/harness/tests/fixture_driver.py follow --url http://127.0.0.1:8080 --seconds 30
  /usr/bin/python3 bench/clients/harness/tests/fixture_driver.py consume --url ... --count N"""
import argparse
import asyncio
import json
import os
import sys
import time

import websockets


def emit(obj):
    sys.stdout.write(json.dumps(dict(obj, at=int(time.time() * 1000))) + "\n")
    sys.stdout.flush()


async def follow(url, symbol, tf, resume):
    last_closed, first = None, True
    while True:
        try:
            async with websockets.connect(url, max_size=None) as ws:
                sub = {"type": "subscribe", "symbol": symbol, "tf": tf, "id": 1}
                if last_closed is not None and resume:
                    sub["since"] = last_closed + 1
                await ws.send(json.dumps(sub))
                async for message in ws:
                    frame = json.loads(message)
                    if frame.get("type") == "snapshot":
                        emit({"kind": "snapshot", "recovered": frame.get("recovered"), "count": len(frame["candles"])})
                        emit({"kind": "state", "state": "connected"})
                        if not first and resume:
                            for c in frame["candles"]:
                                if c.get("closed") and c["t"] > last_closed:
                                    last_closed = c["t"]
                                    emit({"kind": "candle", "t": c["t"], "closed": True, "trades": c["trades"]})
                        first = False
                    elif frame.get("type") == "candle":
                        if frame["closed"] and (last_closed is None or frame["t"] > last_closed):
                            last_closed = frame["t"]
                            emit({"kind": "candle", "t": frame["t"], "closed": True, "trades": frame["trades"]})
                        elif not frame["closed"]:
                            emit({"kind": "candle", "t": frame["t"], "closed": False, "trades": frame["trades"]})
        except (OSError, websockets.WebSocketException):
            emit({"kind": "state", "state": "reconnecting"})
            await asyncio.sleep(0.5)


async def consume(url, count):
    ws = await websockets.connect(url, max_size=None)
    start = time.perf_counter()
    await ws.send(json.dumps({"type": "subscribe", "symbol": "BTCUSD", "tf": "1s", "id": 1}))
    n = 0
    async for message in ws:
        if json.loads(message).get("type") == "candle":
            n += 1
            if n == count:
                break
    s = time.perf_counter() - start
    print(json.dumps({"lang": "python", "api": "fixture", "count": n, "seconds": s, "rate": n / s}), flush=True)
    os._exit(0)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("command", choices=["follow", "consume"])
    p.add_argument("--url", required=True)
    p.add_argument("--symbol", default="BTCUSD")
    p.add_argument("--tf", default="1s")
    p.add_argument("--seconds", type=float, default=30)
    p.add_argument("--count", type=int, default=1000)
    p.add_argument("--api", help="--api noresume: resubscribe without since (a gap the harness must report)")
    a = p.parse_args()
    url = a.url.replace("http://", "ws://", 1).rstrip("/") + "/ws"
    if a.command == "consume":
        asyncio.run(consume(url, a.count))
        return
    try:
        asyncio.run(asyncio.wait_for(follow(url, a.symbol, a.tf, a.api != "noresume"), a.seconds))
    except asyncio.TimeoutError:
        pass


if __name__ == "__main__":
    main()
