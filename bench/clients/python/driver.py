"""Bench driver of the Python client (issue 18). Prints JSON lines on stdout, nothing else.

  consume --url URL --symbol S --tf 1s --count N [--api asyncio|thread] [--token JWT]
      subscribe candles, count typed Candle items (snapshot not counted) until N, print one summary line;
      the time runs from the snapshot's arrival (the subscription is ready) to the N-th candle consumed
  follow --url URL --symbol S --tf 1s --seconds D [--api asyncio|thread] [--token JWT]
      print every candle, snapshot and state change with the delivery time, exit after D seconds

Run: PYTHONPATH=clients/python/src /usr/bin/python3 bench/clients/python/driver.py …
"""
import argparse
import asyncio
import json
import logging
import sys
import threading
import time

from candlecast import Candle, Client, Snapshot, WebSocketClient


def out(obj):
    sys.stdout.write(json.dumps(obj, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def now_ms():
    return int(time.time() * 1000)


def summary(api, n, seconds):
    out({"lang": "python", "api": api, "count": n, "seconds": seconds, "rate": n / seconds})


async def consume_asyncio(a):
    async with Client(a.url, token=a.token) as c:
        sub = await c.candles(a.symbol, a.tf)
        n, start = 0, time.perf_counter()      # the snapshot is in: live candles follow it
        async for item in sub:
            if isinstance(item, Candle):
                n += 1
                if n >= a.count:
                    break
        summary("asyncio", n, time.perf_counter() - start)


def consume_thread(a):
    done, state = threading.Event(), {"n": 0, "start": None}

    def on_item(item):
        if isinstance(item, Snapshot) and state["start"] is None:
            state["start"] = time.perf_counter()   # the snapshot is in: live candles follow it
        elif isinstance(item, Candle) and not done.is_set():
            state["n"] += 1
            if state["n"] >= a.count:
                state["end"] = time.perf_counter()
                done.set()

    client = WebSocketClient(url=a.url, token=a.token, symbols=())
    client.start_background()
    try:
        client.subscribe_candles(a.symbol, a.tf, callback=on_item)
        done.wait()
        summary("thread", state["n"], state["end"] - state["start"])
    finally:
        client.stop()


def follow_line(item):
    if isinstance(item, Candle):
        return {"kind": "candle", "t": item.t, "closed": item.closed, "trades": item.trades, "at": now_ms()}
    if isinstance(item, Snapshot):
        return {"kind": "snapshot", "recovered": item.recovered, "count": len(item.items), "at": now_ms()}
    return None


async def follow_asyncio(a):
    c = Client(a.url, token=a.token)
    c.on_state(lambda s, d: out({"kind": "state", "state": s, "at": now_ms()}))

    async def run():
        sub = await c.candles(a.symbol, a.tf)
        async for item in sub:
            line = follow_line(item)
            if line:
                out(line)
    task = asyncio.ensure_future(run())
    await asyncio.sleep(a.seconds)
    task.cancel()
    await c.close()


def follow_thread(a):
    client = WebSocketClient(url=a.url, token=a.token, symbols=())
    client.state_callbacks.append(lambda s, d: out({"kind": "state", "state": s, "at": now_ms()}))
    client.start_background()
    t = threading.Thread(target=lambda: client.subscribe_candles(
        a.symbol, a.tf, callback=lambda item: (follow_line(item) and out(follow_line(item)))), daemon=True)
    t.start()
    time.sleep(a.seconds)
    client.stop()


def main(argv=None):
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("command", choices=["consume", "follow"])
    p.add_argument("--url", required=True)
    p.add_argument("--symbol", required=True)
    p.add_argument("--tf", default="1s")
    p.add_argument("--count", type=int, default=200_000)
    p.add_argument("--seconds", type=float, default=30.0)
    p.add_argument("--api", choices=["asyncio", "thread"], default="asyncio")
    p.add_argument("--token")
    a = p.parse_args(argv)
    if a.command == "consume" and a.count < 1:
        p.error("--count must be at least 1")
    if a.command == "consume":
        asyncio.run(consume_asyncio(a)) if a.api == "asyncio" else consume_thread(a)
    else:
        asyncio.run(follow_asyncio(a)) if a.api == "asyncio" else follow_thread(a)


if __name__ == "__main__":
    main()
