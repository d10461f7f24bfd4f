"""Gap notices against a scripted WebSocket server on loopback: a candles gap fills its hole on the candle
subscription it names (resubscribe with since = from, each closed window once and in order) and leaves the trades
stream of the symbol alone; a trades gap (with or without a channel) still restarts trades; malformed candles gaps
and gaps of series not subscribed are dropped."""
import asyncio
import json
import logging

from candlecast import Candle, Client, Snapshot
from test_unit_stub_server import Stub, candle, commands

MIN = 60_000
T0 = 1_700_000_040_000                      # a UTC minute
W = [T0 + i * MIN for i in range(8)]
#: The series as the server holds it: (open time, trades) of every closed window. The oracle of what is delivered.
TRUTH = [(t, 3 + i) for i, t in enumerate(W)]


def live(t, n, closed, tf="1m"):
    return json.dumps(dict(candle(t, n, closed), type="candle", symbol="BTCUSD", tf=tf))


def gap(**fields):
    return json.dumps(dict({"type": "gap", "channel": "candles", "symbol": "BTCUSD", "tf": "1m"}, **fields))


def serve(on_candles):
    """A server for one BTCUSD trades and one BTCUSD 1m candle subscription: trades get a one-trade snapshot,
    candle subscribes ``on_candles(command, k)`` (k = 1, 2, …: the how-manieth candles subscribe, over all
    connections), unsubscribes and pings their replies."""
    k = 0

    async def script(ws, received, n):
        nonlocal k
        async for f in commands(ws, received):
            rid, t = f.get("id"), f["type"]
            if t == "ping":
                await ws.send(json.dumps({"type": "pong", "id": rid, "timestamp": 1}))
            elif t == "unsubscribe":
                await ws.send(json.dumps({"type": "subscription", "status": "unsubscribed", "id": rid}))
            elif f.get("channel") == "trades":
                await ws.send(json.dumps({"type": "subscription", "status": "subscribed", "channel": "trades",
                                          "symbol": "BTCUSD", "id": rid}))
                await ws.send(json.dumps({"type": "snapshot", "channel": "trades", "symbol": "BTCUSD", "id": rid,
                                          "trades": [{"id": 1, "t": T0, "p": 1, "q": 1, "side": "buy"}]}))
            else:
                k += 1
                await ws.send(json.dumps({"type": "subscription", "status": "subscribed", "symbol": "BTCUSD",
                                          "tf": "1m", "id": rid}))
                for frame in on_candles(f, k):
                    await ws.send(frame)
    return script


def first_snapshot(f):
    return json.dumps({"type": "snapshot", "symbol": "BTCUSD", "tf": "1m", "id": f["id"],
                       "candles": [candle(t, n, True) for t, n in TRUTH[:2]]})


async def subscribe_both(c, errors):
    trades = await c.trades("BTC-USD")
    candles = await c.candles("BTC-USD", "1m", on_error=errors.append)
    assert isinstance(await trades.get(5), Snapshot) and isinstance(await candles.get(5), Snapshot)
    return trades, candles


async def until(condition):
    while not condition():
        await asyncio.sleep(0.01)


def sent(stub):
    """(type, channel, since) of every command of the one connection."""
    return [(f["type"], f.get("channel", "candles"), f.get("since")) for f in stub.connections[0]]


def test_a_candles_gap_resubscribes_that_series_from_its_from_and_delivers_each_closed_window_once_in_order():
    def on_candles(f, k):
        if k == 1:
            yield first_snapshot(f)
            yield live(W[2], TRUTH[2][1], True)
            yield live(W[3], 1, False)
            yield gap(**{"from": W[3], "to": W[6]})
            yield live(W[6], TRUTH[6][1], True)       # the next window, sent right after the notice
            yield live(W[7], 1, False)
        else:                                        # history from one window before since: W2 comes again
            held = [candle(t, n, True) for t, n in TRUTH if t >= f["since"] - MIN]
            yield json.dumps({"type": "snapshot", "symbol": "BTCUSD", "tf": "1m", "id": f["id"], "recovered": True,
                              "candles": held[:-1] + [candle(W[7], 2, False)]})
            yield live(W[7], 4, False)
            yield live(*TRUTH[7], True)

    async def main():
        errors = []
        async with Stub(serve(on_candles)) as stub, Client(stub.url) as c:
            trades, candles = await subscribe_both(c, errors)
            items = []
            while not items or not (items[-1].t == W[7] and items[-1].closed):
                items.append(await candles.get(5))
            assert all(isinstance(x, Candle) for x in items)
            assert [(x.t, x.trades) for x in items if x.closed] == TRUTH[2:]
            assert [x.t for x in items] == sorted(x.t for x in items)
            assert [(x.t, x.trades) for x in items if not x.closed] == [(W[3], 1), (W[7], 2), (W[7], 4)]
            assert sent(stub) == [("subscribe", "trades", None), ("subscribe", "candles", None),
                                  ("unsubscribe", "candles", None), ("subscribe", "candles", W[3])]
            assert (candles.stats.gaps, candles.stats.resumes, candles.stats.unrecovered) == (1, 1, 0)
            assert trades.stats.gaps == 0 and errors == [] and c.connects == 1
    asyncio.run(main())


def _trades_gap_restarts_trades(channel_fields):
    def on_candles(f, k):
        yield first_snapshot(f)
        yield json.dumps(dict({"type": "gap", "symbol": "BTCUSD", "since": 1, "dropped": 3}, **channel_fields))
        yield live(W[2], 1, False)

    async def main():
        async with Stub(serve(on_candles)) as stub, Client(stub.url) as c:
            trades, candles = await subscribe_both(c, [])
            assert (await candles.get(5)).t == W[2]
            await asyncio.wait_for(until(lambda: len(stub.connections[0]) >= 4), 5)
            assert sent(stub) == [("subscribe", "trades", None), ("subscribe", "candles", None),
                                  ("unsubscribe", "trades", None), ("subscribe", "trades", 1)]
            assert trades.stats.gaps == 1 and candles.stats.gaps == 0
    asyncio.run(main())


def test_a_trades_gap_restarts_trades_and_leaves_the_candles_of_the_symbol_alone():
    _trades_gap_restarts_trades({"channel": "trades"})


def test_a_gap_without_channel_from_an_older_server_restarts_trades():
    _trades_gap_restarts_trades({})


def _undisturbed(notices, caplog, early=()):
    """Sends ``early`` notices between the candle ack and snapshot, ``notices`` after the snapshot, then W2 closed
    and W3 open; returns the candle subscription's errors once W3 came, after checking that nothing was
    resubscribed."""
    def on_candles(f, k):
        yield from early
        yield first_snapshot(f)
        yield from notices
        yield live(*TRUTH[2], True)
        yield live(W[3], 1, False)

    async def main():
        errors = []
        async with Stub(serve(on_candles)) as stub, Client(stub.url) as c:
            trades, candles = await subscribe_both(c, errors)
            got = [await candles.get(5), await candles.get(5)]
            assert [(x.t, x.trades, x.closed) for x in got] == [(W[2], TRUTH[2][1], True), (W[3], 1, False)]
            await c.request({"type": "ping"})         # anything the notices set off was sent before this
            assert [t for t, _, _ in sent(stub)] == ["subscribe", "subscribe", "ping"]
            assert trades.stats.gaps == 0 and candles.stats.gaps == 0 and c.connects == 1 and c.is_connected()
            return errors
    with caplog.at_level(logging.WARNING, logger="candlecast"):
        return asyncio.run(main())


def test_malformed_candles_gaps_are_reported_and_dropped_and_the_stream_goes_on(caplog):
    bad = [{"to": W[4]}, {"from": W[3]}, {"from": str(W[3]), "to": W[4]}, {"from": W[3], "to": W[4] + 0.5},
           {"from": True, "to": W[4]}, {"from": W[4], "to": W[4]}, {"from": W[5], "to": W[4]}]
    errors = _undisturbed([gap(**b) for b in bad] + [gap(tf=None, **{"from": W[3], "to": W[4]})], caplog)
    assert [e.code for e in errors] == ["bad_response"] * len(bad)
    reasons = ["without 'from'", "without 'to'", "'from' is not an integer", "'to' is not an integer",
               "'from' is not an integer", "is not before 'to'", "is not before 'to'"]
    assert all(r in e.message for r, e in zip(reasons, errors, strict=True)), [e.message for e in errors]
    assert any("gap notice that names no series" in r.getMessage() and '"tf": null' in r.getMessage()
               for r in caplog.records)


def test_a_candles_gap_of_a_series_not_subscribed_is_ignored(caplog):
    others = [gap(tf="5m", **{"from": W[3], "to": W[4]}),
              json.dumps({"type": "gap", "channel": "candles", "symbol": "ETHUSD", "tf": "1m", "from": W[3],
                          "to": W[4]})]
    assert _undisturbed(others, caplog) == []
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_candles_gap_before_the_snapshot_is_ignored(caplog):
    """The snapshot comes from history, after the hole (the gateway does not send this; the client copes)."""
    assert _undisturbed([], caplog, early=[gap(**{"from": W[0], "to": W[1]})]) == []


def test_a_candles_gap_resubscribe_without_answer_reconnects_and_resumes_from_the_gap():
    def on_candles(f, k):
        if k == 1:
            yield first_snapshot(f)
            yield gap(**{"from": W[3], "to": W[5]})
        elif k == 3:                                 # k == 2 (the resubscribe) gets no answer but the ack
            yield json.dumps({"type": "snapshot", "symbol": "BTCUSD", "tf": "1m", "id": f["id"], "recovered": True,
                              "candles": [candle(t, n, True) for t, n in TRUTH if t >= f["since"]]})

    async def main():
        async with Stub(serve(on_candles)) as stub, Client(stub.url, request_timeout=0.5, backoff_initial=0.05,
                                                           backoff_max=0.1) as c:
            trades, candles = await subscribe_both(c, [])
            got = [await candles.get(5) for _ in TRUTH[3:]]
            assert [(x.t, x.trades) for x in got] == TRUTH[3:]
            assert len(stub.connections) == 2
            resumed = {f.get("channel", "candles"): f["since"] for f in stub.connections[1]}
            assert resumed == {"trades": 1, "candles": W[3]}
    asyncio.run(main())
