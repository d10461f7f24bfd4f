"""The connection logic against a scripted WebSocket server on loopback: request timeout, connection_lost, the
1012 fast reconnect with resume (since, recovered snapshot delivered as plain items), a trades gap marker."""
import asyncio
import json
import time

import pytest
import websockets

from candlecast import Candle, CandlecastError, Client, Snapshot, Trade
from candlecast.resume import ALERT_RESUME_MARGIN_MS


def candle(t, n, closed):
    return {"t": t, "open": 1, "high": 1, "low": 1, "close": 1, "volume": n, "trades": n, "closed": closed}


class Stub:
    """Runs ``script(ws, received)`` for each connection; ``received`` collects every command per connection."""

    def __init__(self, script, welcome_times=None):
        self.script = script
        self.connections = []
        self.welcome_times = welcome_times or {}

    async def __aenter__(self):
        async def handler(ws, path):
            received = []
            self.connections.append(received)
            stamp = self.welcome_times.get(len(self.connections), 1)
            await ws.send(json.dumps({"type": "connection", "status": "connected", "timestamp": stamp}))
            await self.script(ws, received, len(self.connections))
        self.server = await websockets.serve(handler, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"
        return self

    async def __aexit__(self, *exc):
        self.server.close()
        await self.server.wait_closed()


async def commands(ws, received):
    async for raw in ws:
        f = json.loads(raw)
        received.append(f)
        yield f


def test_a_request_without_reply_times_out():
    async def silent(ws, received, n):
        async for f in commands(ws, received):
            pass

    async def main():
        async with Stub(silent) as stub, Client(stub.url) as c:
            t0 = time.monotonic()
            with pytest.raises(CandlecastError) as e:
                await c.request({"type": "ping"}, timeout=0.3)
            assert e.value.code == "timeout" and 0.25 < time.monotonic() - t0 < 2
            assert stub.connections[0][0]["type"] == "ping" and stub.connections[0][0]["id"].startswith("c")
    asyncio.run(main())


def test_a_drop_fails_pending_requests_with_connection_lost_and_reconnects():
    async def drop_first(ws, received, n):
        async for f in commands(ws, received):
            if n == 1:
                await ws.close(1011)
                return
            await ws.send(json.dumps({"type": "pong", "id": f["id"], "timestamp": 2}))

    async def main():
        async with Stub(drop_first) as stub, Client(stub.url, backoff_initial=0.05, backoff_max=0.1) as c:
            await c.connect()
            with pytest.raises(CandlecastError) as e:
                await c.request({"type": "ping"})
            assert e.value.code == "connection_lost"
            assert (await c.request({"type": "ping"}))["type"] == "pong"
            assert len(stub.connections) == 2
    asyncio.run(main())


def test_close_1012_reconnects_at_once_and_resumes_candles_from_the_last_closed_window():
    async def restart(ws, received, n):
        async for f in commands(ws, received):
            if f.get("type") != "subscribe":
                continue
            ack = {"type": "subscription", "status": "subscribed", "symbol": "BTCUSD", "tf": "1s", "id": f["id"]}
            await ws.send(json.dumps(ack))
            if n == 1:
                await ws.send(json.dumps({"type": "snapshot", "symbol": "BTCUSD", "tf": "1s", "id": f["id"],
                                          "candles": [candle(1000, 2, True), candle(2000, 1, False)]}))
                await ws.send(json.dumps(dict(candle(2000, 3, False), type="candle", symbol="BTCUSD", tf="1s")))
                await ws.close(1012)
                return
            await ws.send(json.dumps({"type": "snapshot", "symbol": "BTCUSD", "tf": "1s", "id": f["id"],
                                      "recovered": True, "candles": [candle(2000, 3, False), candle(2000, 4, True),
                                                                     candle(3000, 1, False)]}))

    async def main():
        async with Stub(restart) as stub, Client(stub.url, backoff_initial=10, backoff_max=10) as c:
            sub = await c.candles("btc-usd", "1s")
            items = [await sub.get(5) for _ in range(4)]
            assert isinstance(items[0], Snapshot) and items[0].recovered is None
            assert [(x.t, x.trades, x.closed) for x in items[1:]] == [(2000, 3, False), (2000, 4, True),
                                                                      (3000, 1, False)]
            assert all(isinstance(x, Candle) for x in items[1:])
            again = stub.connections[1][0]
            assert again["since"] == 1001 and again["symbol"] == "BTCUSD"
            assert sub.stats.resumes == 1 and sub.stats.unrecovered == 0
    t0 = time.monotonic()
    asyncio.run(main())
    assert time.monotonic() - t0 < 5, "1012 must not wait for the 10 s back-off"


def test_an_unrecovered_resume_yields_a_fresh_snapshot():
    async def script(ws, received, n):
        async for f in commands(ws, received):
            await ws.send(json.dumps({"type": "subscription", "status": "subscribed", "id": f["id"]}))
            snap = {"type": "snapshot", "id": f["id"], "candles": [candle(n * 10_000, 1, True)]}
            if n > 1:
                snap["recovered"] = False
            await ws.send(json.dumps(snap))
            if n == 1:
                await ws.close(1012)
                return

    async def main():
        async with Stub(script) as stub, Client(stub.url) as c:
            sub = await c.candles("BTCUSD", "1m")
            first, second = await sub.get(5), await sub.get(5)
            assert (first.recovered, second.recovered) == (None, False)
            assert [x.t for x in second.candles] == [20_000] and sub.stats.unrecovered == 1
    asyncio.run(main())


def test_a_trades_gap_marker_resubscribes_with_since():
    async def script(ws, received, n):
        subs = 0
        async for f in commands(ws, received):
            if f["type"] == "unsubscribe":
                await ws.send(json.dumps({"type": "subscription", "status": "unsubscribed", "id": f["id"]}))
                continue
            subs += 1
            await ws.send(json.dumps({"type": "subscription", "status": "subscribed", "channel": "trades",
                                      "id": f["id"]}))
            if subs == 1:
                await ws.send(json.dumps({"type": "snapshot", "channel": "trades", "id": f["id"],
                                          "trades": [{"id": 1, "t": 1, "p": 1, "q": 1, "side": "buy"}]}))
                await ws.send(json.dumps({"type": "trades", "symbol": "ETHUSD",
                                          "trades": [{"id": 2, "t": 2, "p": 1, "q": 1, "side": "buy"}]}))
                await ws.send(json.dumps({"type": "gap", "channel": "trades", "symbol": "ETHUSD", "since": 2}))
                await ws.send(json.dumps({"type": "trades", "symbol": "ETHUSD",
                                          "trades": [{"id": 9, "t": 9, "p": 1, "q": 1, "side": "buy"}]}))
            else:
                await ws.send(json.dumps({"type": "snapshot", "channel": "trades", "id": f["id"], "recovered": True,
                                          "trades": [{"id": i, "t": i, "p": 1, "q": 1, "side": "sell"}
                                                     for i in range(3, 10)]}))

    async def main():
        async with Stub(script) as stub, Client(stub.url) as c:
            sub = await c.trades("ETH-USD")
            snap = await sub.get(5)
            ids = [t.id for t in snap.trades] + [(await sub.get(5)).id for _ in range(8)]
            assert ids == list(range(1, 10))
            sent = stub.connections[0]
            assert [f["type"] for f in sent] == ["subscribe", "unsubscribe", "subscribe"]
            assert sent[2]["since"] == 2 and len(stub.connections) == 1
    asyncio.run(main())


def test_a_subscribe_in_flight_when_the_connection_drops_is_restored_on_the_next():
    async def script(ws, received, n):
        async for f in commands(ws, received):
            if f["type"] != "subscribe":
                continue
            if n == 1:
                await ws.close(1011)                  # no ack: the drop happens mid-subscribe
                return
            await ws.send(json.dumps({"type": "subscription", "status": "subscribed", "channel": "ticker",
                                      "symbol": "BTCUSD", "id": f["id"]}))

    async def main():
        async with Stub(script) as stub, Client(stub.url, backoff_initial=0.05, backoff_max=0.1,
                                                request_timeout=5) as c:
            await c.connect()
            t0 = time.monotonic()
            sub = await c.ticker("BTCUSD")
            assert time.monotonic() - t0 < 2, "waited for the request timeout instead of the restore"
            assert not sub.closed and len(stub.connections) == 2
    asyncio.run(main())


def test_a_malformed_frame_is_reported_as_bad_response_and_the_stream_goes_on():
    async def script(ws, received, n):
        async for f in commands(ws, received):
            await ws.send(json.dumps({"type": "subscription", "status": "subscribed", "id": f["id"]}))
            await ws.send(json.dumps({"type": "snapshot", "id": f["id"], "candles": []}))
            await ws.send(json.dumps(dict(candle(1000, 1, False), type="candle", symbol="BTCUSD", tf="1m",
                                          trades="many")))
            await ws.send("not json at all")
            await ws.send(json.dumps(dict(candle(1000, 2, False), type="candle", symbol="BTCUSD", tf="1m")))

    async def main():
        errors = []
        async with Stub(script) as stub, Client(stub.url) as c:
            sub = await c.candles("BTCUSD", "1m", on_error=errors.append)
            assert isinstance(await sub.get(5), Snapshot)
            good = await sub.get(5)
            assert (good.t, good.trades) == (1000, 2)
            assert [e.code for e in errors] == ["bad_response"] and "trades" in errors[0].message
            assert c.connects == 1 and c.is_connected()
    asyncio.run(main())


def test_a_history_batch_in_flight_fails_with_connection_lost():
    async def script(ws, received, n):
        async for f in commands(ws, received):
            await ws.send(json.dumps({"type": "batch_progress", "id": f["id"], "symbol": "BTCUSD",
                                      "progress": "1/2"}))
            await ws.close(1011)
            return

    async def main():
        progress = []
        async with Stub(script) as stub, Client(stub.url, request_timeout=5) as c:
            t0 = time.monotonic()
            with pytest.raises(CandlecastError) as e:
                await c.history_batch(["BTC-USD", "ETHUSD"], "1d", on_progress=progress.append)
            assert e.value.code == "connection_lost" and time.monotonic() - t0 < 2
            assert progress[0]["symbol"] == "BTC-USD"
    asyncio.run(main())


def test_a_rate_limited_subscribe_is_retried_not_dropped():
    async def script(ws, received, n):
        async for f in commands(ws, received):
            if len(received) == 1:
                await ws.send(json.dumps({"type": "error", "code": "rate_limited", "message": "slow down",
                                          "id": f["id"]}))
                continue
            await ws.send(json.dumps({"type": "subscription", "status": "subscribed", "channel": "ticker",
                                      "id": f["id"]}))

    async def main():
        async with Stub(script) as stub, Client(stub.url) as c:
            await c.connect()
            sub = await c.ticker("BTCUSD")
            assert not sub.closed and [f["type"] for f in stub.connections[0]] == ["subscribe", "subscribe"]
            assert c.subscriptions() == [sub]
    asyncio.run(main())


def test_a_silent_server_is_dropped_after_two_unanswered_pings_and_reconnected():
    async def script(ws, received, n):
        async for f in commands(ws, received):
            pass                                       # never answers, not even the pings

    async def main():
        async with Stub(script) as stub, Client(stub.url, ping_interval=0.2, idle_timeout=30, backoff_initial=0.05,
                                                backoff_max=0.1) as c:
            await c.connect()
            t0 = time.monotonic()
            while len(stub.connections) < 2:
                assert time.monotonic() - t0 < 5, "the silent connection was never dropped"
                await asyncio.sleep(0.05)
            first = stub.connections[0]
            assert [f["type"] for f in first] == ["ping", "ping"] and "id" not in first[0]
            assert 0.3 < time.monotonic() - t0 < 3
    asyncio.run(main())


def test_alerts_without_a_fire_resume_since_the_first_acked_connections_server_time_minus_the_margin():
    first, later = 1_700_000_005_000, 1_700_000_060_000

    async def script(ws, received, n):
        async for f in commands(ws, received):
            if f.get("type") != "subscribe":
                continue
            await ws.send(json.dumps({"type": "subscription", "status": "subscribed", "channel": "alerts",
                                      "owner": "a", "id": f["id"]}))
            if n == 1:
                await ws.close(1012)
                return
            if n == 2:
                await ws.send(json.dumps({"type": "alert", "fire": "al-1|t:9", "alert": "al-1", "owner": "a",
                                          "symbol": "BTCUSD", "kind": "price_above", "value": 2.0,
                                          "threshold": 1.0, "firedAt": first + 2000, "recordedAt": first + 2001,
                                          "trade": None}))
                await ws.close(1012)
                return

    async def main():
        async with Stub(script, {1: first, 2: later, 3: later}) as stub, Client(stub.url) as c:
            sub = await c.alerts()
            fire = await sub.get(5)
            assert fire.fire == "al-1|t:9"
            while len(stub.connections) < 3 or not stub.connections[2]:
                await asyncio.sleep(0.01)
            assert "since" not in stub.connections[0][0]
            assert stub.connections[1][0]["since"] == first - ALERT_RESUME_MARGIN_MS
            assert stub.connections[2][0]["since"] == first + 2001
    asyncio.run(main())
