"""Raw Python baseline: the socket library the Python client uses (websockets, asyncio) reading candle frames with
json.loads only, no client. Same CLI and output as the drivers' `consume`:
  /usr/bin/python3 bench/clients/raw/raw.py consume --url http://127.0.0.1:9000 --symbol BTCUSD --tf 1s --count N
Timed from the first candle frame to the N-th (as the drivers do) (the snapshot is not counted)."""
import argparse
import asyncio
import json
import os
import sys
import time

import websockets


def ws_url(url):
    if url.startswith(("ws://", "wss://")):
        return url
    base = url.rstrip("/").replace("https://", "wss://", 1).replace("http://", "ws://", 1)
    return base + "/ws"


async def consume(url, symbol, tf, count):
    ws = await websockets.connect(ws_url(url), max_size=None, ping_interval=None)
    start = None
    await ws.send(json.dumps({"type": "subscribe", "symbol": symbol, "tf": tf, "id": 1}))
    n = 0
    async for message in ws:
        frame = json.loads(message)
        if frame.get("type") == "candle":
            if start is None:
                start = time.perf_counter()
            n += 1
            if n == count:
                break
        elif frame.get("type") == "error":
            raise SystemExit("server error: %s" % message)
    seconds = time.perf_counter() - start
    print(json.dumps({"lang": "python", "api": "raw", "count": n, "seconds": round(seconds, 4),
                      "rate": round(n / seconds, 1)}))
    sys.stdout.flush()
    os._exit(0)  # no closing handshake and no asyncio.run tear-down: the blaster is still sending; the figure is in


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("command", choices=["consume"])
    p.add_argument("--url", required=True)
    p.add_argument("--symbol", default="BTCUSD")
    p.add_argument("--tf", default="1s")
    p.add_argument("--count", type=int, default=200_000)
    p.add_argument("--api", default="raw")
    a = p.parse_args(argv)
    asyncio.run(consume(a.url, a.symbol, a.tf, a.count))

if __name__ == "__main__":
    main()
