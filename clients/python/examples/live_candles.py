"""Print live 1m candles of a symbol (asyncio API).

    PYTHONPATH=clients/python/src python3 clients/python/examples/live_candles.py --url http://localhost:8080 BTC-USD
"""
import argparse
import asyncio
import os
from datetime import datetime, timezone

import candlecast


async def main(url, symbol, tf, seconds):
    async with candlecast.Client(url, token=os.environ.get("CANDLECAST_TOKEN")) as client:
        client.on_state(lambda state, detail: print(f"[{state}]", flush=True))
        stream = await client.candles(symbol, tf)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds if seconds else None
        async for item in stream:
            if isinstance(item, candlecast.Snapshot):
                print(f"snapshot: {len(item.candles)} candles (recovered={item.recovered})", flush=True)
                continue
            when = datetime.fromtimestamp(item.time, timezone.utc).strftime("%Y-%m-%d %H:%M")
            print(f"{item.symbol} {tf} {when} O {item.open} H {item.high} L {item.low} C {item.close} "
                  f"V {item.volume:.6f} n {item.trades} {'closed' if item.closed else 'open'}", flush=True)
            if deadline and loop.time() > deadline:
                break


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("symbol", nargs="?", default="BTCUSD")
    p.add_argument("--url", default="http://localhost:8080")
    p.add_argument("--tf", default="1m")
    p.add_argument("--seconds", type=float, default=0, help="stop after this long (0: never)")
    a = p.parse_args()
    asyncio.run(main(a.url, a.symbol, a.tf, a.seconds))
