import asyncio
import pytest
from candlecast import Client, Snapshot, Candle, Ticker, Trade

pytestmark = pytest.mark.node


def test_smoke(node):
    async def main():
        async with Client(node.url, token=node.token) as c:
            states = []
            c.on_state(lambda s, d: states.append(s))
            sub = await c.candles("BTC-USD", "1s")
            first = await sub.get(10)
            assert isinstance(first, Snapshot)
            print("snapshot", len(first.candles), first.candles[-1] if first.candles else None)
            n = 0
            async for item in sub:
                assert isinstance(item, Candle)
                n += 1
                if n >= 5:
                    break
            t = await c.ticker("BTCUSD")
            print(await t.get(10))
            tr = await c.trades("ETHUSD")
            print(await tr.get(10))
            print(await tr.get(10))
            print(states)
    asyncio.run(main())
