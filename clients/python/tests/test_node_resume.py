"""The forced server-side disconnect (POST /api/connections/close: 1012 to every WebSocket of the node) in the middle
of a 1s-candle and trade stream: the client reconnects and resumes; what it delivered has no gap and no duplicate,
checked against REST as the oracle."""
import asyncio
import json
import time
import urllib.request

import pytest

from candlecast import Candle, Client, Snapshot, Trade
from conftest import mint

pytestmark = pytest.mark.node


async def _until(cond, timeout, what):
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


def test_forced_disconnect_keeps_candles_and_trades_contiguous(node):
    closed, trades, states, connected_at = [], [], [], []

    async def main():
        async with Client(node.url, token=node.token) as c:
            c.on_state(lambda s, d: (states.append(s), s == "connected" and connected_at.append(time.monotonic())))
            candles = await c.candles("BTCUSD", "1s", on_item=lambda x: x.closed and closed.append(x)
                                      if isinstance(x, Candle) else None)
            tape = await c.trades("BTCUSD", on_item=lambda x: trades.extend(
                x.trades if isinstance(x, Snapshot) else [x]))
            await _until(lambda: len(closed) >= 3, 20, "3 closed candles before the disconnect")
            asked = time.monotonic()
            status, _ = await asyncio.to_thread(node.post, "/api/connections/close?reason=python-test")
            assert status == 202
            await _until(lambda: c.connects >= 2 and c.is_connected(), 20, "the reconnect")
            # 1012 is a restart: reconnect after random(0, 0.5 s), not after the (up to 15 s) back-off
            print(f"restored {connected_at[-1] - asked:.3f} s after the close was asked")
            assert connected_at[-1] - asked < 8
            before = len(closed)
            await _until(lambda: len(closed) >= before + 3, 20, "3 closed candles after the reconnect")
            assert candles.stats.resumes >= 1 and candles.stats.unrecovered == 0
            assert tape.stats.resumes >= 1 and tape.stats.unrecovered == 0
    asyncio.run(main())

    assert states[:2] == ["connecting", "connected"] and "reconnecting" in states and states[-2:] == ["connected", "closed"]
    ts = [c.t for c in closed]
    assert len(ts) == len(set(ts)), f"a window twice: {ts}"
    assert all(b - a == 1000 for a, b in zip(ts, ts[1:])), f"not contiguous: {ts}"
    oracle = node.get(f"/api/candles?symbol=BTCUSD&tf=1s&from={ts[0]}&to={ts[-1]}&limit=5000")
    assert [o["t"] for o in oracle] == ts
    for got, want in zip(closed, oracle):
        assert (got.open, got.high, got.low, got.close, got.volume, got.trades) == \
               (want["o"], want["h"], want["l"], want["c"], want["v"], want["n"]), (got, want)

    ids = [t.id for t in trades]
    assert len(ids) == len(set(ids)), "a trade twice"
    oracle_trades = []                       # the tape after the first trade delivered, paged forward
    while ids[-1] not in {t["id"] for t in oracle_trades}:
        after = oracle_trades[-1]["id"] if oracle_trades else ids[0]
        page = node.get(f"/api/trades?symbol=BTCUSD&since={after}&limit=1000")
        assert page, f"the oracle has nothing after {after}"
        oracle_trades += page
    oracle_trades = oracle_trades[:[t["id"] for t in oracle_trades].index(ids[-1]) + 1]
    assert ids == [ids[0]] + [t["id"] for t in oracle_trades]
    for got, want in zip(trades[1:], oracle_trades):
        assert (got.t, got.price, got.amount, got.side) == (want["t"], want["p"], want["q"], want["side"])


def test_a_fire_recorded_while_kept_off_before_any_fire_arrives_once_after_the_reconnect(node):
    """An alerts subscription that has delivered nothing is cut off (1012) and kept off (its token function answers
    a refused token) while an alert of its owner fires: after the reconnect the fire arrives once, equal to REST."""
    owner = f"resume-py-{time.time_ns()}"
    token = mint(owner)
    blocked = [False]
    fires, states = [], []

    def create_alert():
        body = json.dumps({"symbol": "ETHUSD", "mode": "once",
                           "condition": {"kind": "move_up", "pct": 0.0001, "window": "5s"}}).encode()
        req = urllib.request.Request(node.url + "/api/alerts", data=body, method="POST", headers={
            "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            assert r.status == 201

    async def main():
        logged = []
        async with Client(node.url, token=lambda: "refused" if blocked[0] else token,
                          backoff_initial=0.1, backoff_max=0.3) as c:
            c.on_state(lambda s, d: states.append(s))
            await c.alerts(on_item=fires.append)
            blocked[0] = True
            status, _ = await asyncio.to_thread(node.post, "/api/connections/close?reason=python-alerts")
            assert status == 202
            await _until(lambda: "reconnecting" in states, 10, "the drop")
            await asyncio.to_thread(create_alert)

            async def recorded():
                logged[:] = (await asyncio.to_thread(node.get, "/api/alerts/fires?since=0", token))["fires"]
            deadline = time.monotonic() + 30
            while not logged:
                assert time.monotonic() < deadline, "no fire recorded in 30 s"
                await recorded()
            assert len(logged) == 1
            assert not c.is_connected() and fires == [], "the client is still kept off"
            blocked[0] = False
            await _until(lambda: fires, 30, "the fire after the reconnect")
            await _until(c.is_connected, 10, "connected")
            settle = time.monotonic() + 1
            await _until(lambda: time.monotonic() > settle, 2, "a second for any duplicate")
        return logged[0]

    want = asyncio.run(main())
    assert [f.fire for f in fires] == [want["fire"]], "exactly once, by id"
    assert fires[0].raw == want
    assert (fires[0].recorded_at, fires[0].fired_at, fires[0].value) == (want["recordedAt"], want["firedAt"],
                                                                          want["value"])
