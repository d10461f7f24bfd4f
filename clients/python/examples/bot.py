"""A bot skeleton: follows RSI(14) on 1m candles and an alert it creates; decides on each closed point.

    PYTHONPATH=clients/python/src python3 clients/python/examples/bot.py --url http://localhost:8080 BTCUSD
"""
import argparse
import asyncio
import os

import candlecast


async def main(url, symbol, seconds, tf):
    async with candlecast.Client(url, token=os.environ.get("CANDLECAST_TOKEN")) as client:
        ticker = await (await client.ticker(symbol)).get(30)
        alert = await client.create_alert({"symbol": symbol, "note": "bot: price above +0.01%",
                                           "condition": {"kind": "price_above", "level": ticker.last * 1.0001}})
        print(f"alert {alert['id']} armed at {alert['condition']['level']:.2f}", flush=True)

        async def on_rsi():
            async for item in await client.indicator(symbol, tf, "rsi", {"period": 14}):
                if isinstance(item, candlecast.Snapshot):
                    print(f"rsi history: {len(item.points)} points", flush=True)
                elif item.closed:
                    rsi = item.values["value"]
                    action = "SELL" if rsi > 70 else "BUY" if rsi < 30 else "hold"
                    print(f"rsi {rsi:.1f} at {item.t}: {action}", flush=True)

        async def on_alerts():
            async for fire in await client.alerts():
                print(f"alert fired: {fire.kind} {fire.symbol} value {fire.value} >= {fire.threshold}", flush=True)

        tasks = [asyncio.ensure_future(on_rsi()), asyncio.ensure_future(on_alerts())]
        try:
            await asyncio.wait(tasks, timeout=seconds or None)
        finally:
            for t in tasks:
                t.cancel()
            await client.delete_alert(alert["id"])


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("symbol", nargs="?", default="BTCUSD")
    p.add_argument("--url", default="http://localhost:8080")
    p.add_argument("--tf", default="1m")
    p.add_argument("--seconds", type=float, default=0, help="stop after this long (0: never)")
    a = p.parse_args()
    asyncio.run(main(a.url, a.symbol, a.seconds, a.tf))
