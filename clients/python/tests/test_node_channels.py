"""Book, indicator (also across a forced disconnect), portfolio and notices against the real node; REST answers are
the oracle where there is one."""
import asyncio
import json
import time
import urllib.request

import pytest

from candlecast import Book, Client, IndicatorPoint, Notice, Portfolio, Snapshot

pytestmark = pytest.mark.node


async def _until(cond, timeout, what):
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


def test_book_is_whole_depth_with_increasing_seq(node):
    async def main():
        async with Client(node.url, token=node.token) as c:
            sub = await c.book("BTCUSD", depth=10)
            books = [await sub.get(20) for _ in range(3)]
        assert all(isinstance(b, Book) and 0 < len(b.bids) <= 10 and 0 < len(b.asks) <= 10 for b in books)
        assert all(a.seq < b.seq for a, b in zip(books, books[1:]))
        assert all(b.bids[0][0] < b.asks[0][0] for b in books)
    asyncio.run(main())


def test_indicator_points_survive_a_forced_disconnect(node):
    closed, states = [], []

    async def main():
        async with Client(node.url, token=node.token) as c:
            c.on_state(lambda s, d: states.append(s))
            sub = await c.indicator("ETHUSD", "1s", "rsi", {"period": 14},
                                    on_item=lambda p: isinstance(p, IndicatorPoint) and p.closed and closed.append(p))
            await _until(lambda: len(closed) >= 3, 20, "3 closed points")
            await asyncio.to_thread(node.post, "/api/connections/close?reason=python-indicator")
            await _until(lambda: c.connects >= 2 and c.is_connected(), 20, "the reconnect")
            before = len(closed)
            await _until(lambda: len(closed) >= before + 3, 20, "3 closed points after the reconnect")
            assert sub.stats.resumes >= 1 and sub.stats.unrecovered == 0 and sub.series_key == "rsi:14"
    asyncio.run(main())
    ts = [p.t for p in closed]
    assert all(b - a == 1000 for a, b in zip(ts, ts[1:])), ts
    oracle = node.get(f"/api/indicators?symbol=ETHUSD&tf=1s&name=rsi&period=14&from={ts[0]}&to={ts[-1]}")
    assert [(o["t"], o["value"]) for o in oracle if o["closed"]] == [(p.t, p.values["value"]) for p in closed]


def test_portfolio_and_notices(node):
    async def main():
        notices = []
        async with Client(node.url, token=node.token) as c:
            c.on_notice(notices.append)
            await c.connect()
            await asyncio.to_thread(_put_portfolio, node)
            sub = await c.portfolio()
            p = await sub.get(20)
            assert isinstance(p, Portfolio) and p.owner == "py-tester"
            assert [x["symbol"] for x in p.positions] == ["BTCUSD"] and p.positions[0]["quantity"] == 0.5
            text = f"python notice {time.time()}"
            await asyncio.to_thread(_notice, node, text)
            await _until(lambda: any(n.text == text for n in notices), 20, "the notice")
            n = next(n for n in notices if n.text == text)
            assert isinstance(n, Notice) and n.level == "warning" and n.id.startswith("n-")
    asyncio.run(main())


def _put_portfolio(node):
    body = json.dumps({"positions": [{"symbol": "BTC-USD", "quantity": 0.5, "avgCost": 42000}]}).encode()
    req = urllib.request.Request(node.url + "/api/portfolio", data=body, method="PUT",
                                 headers={"Authorization": f"Bearer {node.token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        assert r.status == 200


def _notice(node, text):
    body = json.dumps({"text": text, "level": "warning"}).encode()
    req = urllib.request.Request(node.url + "/api/notices", data=body, method="POST",
                                 headers={"Authorization": f"Bearer {node.operator_token}",
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        assert r.status == 202


def test_alert_fires_resume_across_a_forced_disconnect(node):
    """A rearming 'move up 0.0001 % in 1 s' alert fires on most up-ticks; the fires delivered around a forced
    disconnect are each once and equal the owner's recorded fires (REST) over that span."""
    fires, recorded = [], []

    async def main():
        async with Client(node.url, token=node.token) as c:
            alert = await c.create_alert({"symbol": "BTCUSD", "mode": "rearm", "cooldownMs": 0,
                                          "condition": {"kind": "move_up", "pct": 0.0001, "window": 1000}})
            try:
                sub = await c.alerts(on_item=fires.append)
                await _until(lambda: len(fires) >= 3, 30, "3 fires")
                await asyncio.to_thread(node.post, "/api/connections/close?reason=python-alerts")
                await _until(lambda: c.connects >= 2 and c.is_connected(), 20, "the reconnect")
                before = len(fires)
                await _until(lambda: len(fires) >= before + 3, 30, "3 fires after the reconnect")
                assert sub.since == max(f.recorded_at for f in fires)
                await sub.close()
                recorded.extend(await asyncio.to_thread(_recorded_fires, node, fires[0].recorded_at - 1,
                                                        fires[-1].recorded_at))
            finally:
                await c.delete_alert(alert["id"])
            return alert["id"]
    alert_id = asyncio.run(main())
    ids = [f.fire for f in fires]
    assert len(ids) == len(set(ids)) and all(f.alert == alert_id for f in fires)
    assert ids == [f["fire"] for f in recorded if f["alert"] == alert_id]


def _recorded_fires(node, since, until):
    """The owner's recorded fires with since < recordedAt <= until, paged forward (500 a page)."""
    out = []
    while True:
        page = node.get(f"/api/alerts/fires?since={since}&limit=500")["fires"]
        out += [f for f in page if f["recordedAt"] <= until]
        if len(page) < 500 or page[-1]["recordedAt"] > until:
            return out
        since = page[-1]["recordedAt"]
