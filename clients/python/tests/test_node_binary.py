"""Issue 20 against the real node: a JSON client and a binary client (``encoding="binary"``) subscribed to the same
candles, trades and book yield equal models for every update both received; the binary one really read binary
frames."""
import asyncio
import time

import pytest

import candlecast.client as client_module
from candlecast import Book, Candle, Client, Trade

pytestmark = pytest.mark.node


async def _until(cond, timeout, what):
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


class Seen:
    """The live models of one client, by the update's identity: (t, trades, closed, partial) for a candle, the id
    for a trade, seq for a book."""

    def __init__(self):
        self.candles, self.trades, self.books = {}, {}, {}

    def candle(self, c):
        if isinstance(c, Candle):
            self.candles[(c.t, c.trades, c.closed, c.partial)] = c

    def trade(self, t):
        if isinstance(t, Trade):
            self.trades[t.id] = t

    def book(self, b):
        if isinstance(b, Book):
            self.books[b.seq] = b


def test_json_and_binary_clients_yield_equal_models(node, monkeypatch):
    decoded = []
    real = client_module.decode_binary_frame
    monkeypatch.setattr(client_module, "decode_binary_frame", lambda raw: decoded.append(len(raw)) or real(raw))
    seen = {"json": Seen(), "binary": Seen()}

    async def subscribe(c, s):
        await c.candles("BTCUSD", "1s", on_item=s.candle)
        await c.trades("BTCUSD", on_item=s.trade)
        await c.book("BTCUSD", depth=10, on_item=s.book)

    async def main():
        async with Client(node.url, token=node.token) as j, \
                Client(node.url, token=node.token, encoding="binary") as b:
            assert b.ws_url.endswith("/ws?encoding=binary") and j.encoding == "json"
            await asyncio.gather(subscribe(j, seen["json"]), subscribe(b, seen["binary"]))

            def common(kind):
                return seen["json"].__dict__[kind].keys() & seen["binary"].__dict__[kind].keys()
            await _until(lambda: len(common("candles")) >= 20 and len(common("trades")) >= 20
                         and len(common("books")) >= 5, 60, "20 candles, 20 trades and 5 books seen by both")
            assert j.connects == 1 and b.connects == 1
    asyncio.run(main())

    assert len(decoded) >= 25, "the binary client must have read binary frames"   # 20 candles, 4 books, 1 trades
    for kind in ("candles", "trades", "books"):
        j, b = seen["json"].__dict__[kind], seen["binary"].__dict__[kind]
        both = j.keys() & b.keys()
        assert [j[k] for k in sorted(both)] == [b[k] for k in sorted(both)], kind
