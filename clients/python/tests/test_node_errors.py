"""Every error path the client maps, against the real node: the server's codes verbatim, REST statuses, a refused
token (no retry loop with a fixed token, a retry with a token function)."""
import asyncio

import pytest

from candlecast import CandlecastError, Client, Rest, Snapshot

from conftest import mint

pytestmark = pytest.mark.node


def run(coro):
    return asyncio.run(coro)


async def _refused(node, **subscribe):
    async with Client(node.url, token=node.token) as c:
        kind = subscribe.pop("kind")
        await c.connect()
        with pytest.raises(CandlecastError) as e:
            await getattr(c, kind)(**subscribe)
        assert c.subscriptions() == [], "a refused subscription is not kept"
        assert c.is_connected()
        return e.value


@pytest.mark.parametrize("subscribe,code", [
    (dict(kind="candles", symbol="B$D", tf="1m"), "bad_symbol"),
    (dict(kind="candles", symbol="NOPE", tf="1m"), "unknown_symbol"),
    (dict(kind="candles", symbol="BTCUSD", tf="7m"), "unknown_timeframe"),
    (dict(kind="candles", symbol="BTCUSD", tf="1m", throttle_ms=-5), "bad_field"),
    (dict(kind="trades", symbol="NOPE"), "unknown_symbol"),
    (dict(kind="trades", symbol="BTCUSD", batch=0), "bad_field"),
    (dict(kind="ticker", symbol="NOPE"), "unknown_symbol"),
    (dict(kind="book", symbol="BTCUSD", depth=7), "bad_field"),
    (dict(kind="indicator", symbol="BTCUSD", tf="1m", name="nope"), "unknown_indicator"),
    (dict(kind="indicator", symbol="BTCUSD", tf="1m", name="rsi", params={"period": 0}), "bad_params"),
])
def test_subscribe_refusals_carry_the_server_code(node, subscribe, code):
    err = run(_refused(node, **subscribe))
    assert err.code == code, err
    assert err.message and err.frame["type"] == "error"


def test_subscribing_twice_is_refused_by_the_client(node):
    async def main():
        async with Client(node.url, token=node.token) as c:
            await c.ticker("BTCUSD")
            with pytest.raises(CandlecastError) as e:
                await c.ticker("btc-usd")
            assert e.value.code == "already_subscribed"
    run(main())


def test_request_errors_and_unknown_commands(node):
    async def main():
        async with Client(node.url, token=node.token) as c:
            with pytest.raises(CandlecastError) as e:
                await c.request({"type": "nope"})
            assert e.value.code == "unknown_type"
            with pytest.raises(CandlecastError) as e:
                await c.get_alert("al-zzzzzzzzzz")
            assert e.value.code == "not_found"
            with pytest.raises(CandlecastError) as e:
                await c.create_alert({"symbol": "BTCUSD", "condition": {"kind": "price_above", "level": -1}})
            assert e.value.code == "bad_alert"
            pong = await c.request({"type": "ping"})
            assert pong["type"] == "pong"
    run(main())


def test_a_fixed_bad_token_closes_with_unauthorized_and_does_not_retry(node):
    async def main():
        states = []
        c = Client(node.url, token=mint(secret="another-secret-that-is-long-enough-0123456789"))
        c.on_state(lambda s, d: states.append(s))
        with pytest.raises(CandlecastError) as e:
            await c.connect()
        assert e.value.code == "unauthorized" and e.value.status == 401
        await asyncio.sleep(1.5)                       # a retry loop would show more states by now
        assert states == ["connecting", "closed"]
        with pytest.raises(CandlecastError) as e2:
            await c.candles("BTCUSD", "1m")
        assert e2.value.code == "unauthorized"
        await c.close()
    run(main())


def test_a_token_function_is_asked_again_after_a_refusal(node):
    tokens = iter(["not-a-jwt", node.token])
    asked = []

    def token():
        asked.append(1)
        return next(tokens, node.token)

    async def main():
        async with Client(node.url, token=token, backoff_initial=0.05, backoff_max=0.2) as c:
            await c.connect()
            assert len(asked) == 2 and c.connects == 1
    run(main())


def test_rest_errors_map_statuses(node):
    rest = Rest(node.url, node.token)
    with pytest.raises(CandlecastError) as e:
        rest.candles("NOPE", "1m")
    assert (e.value.code, e.value.status) == ("unknown_symbol", 404)
    with pytest.raises(CandlecastError) as e:
        rest.candles("BTCUSD", "7m")
    assert (e.value.code, e.value.status) == ("bad_request", 400) and "7m" in e.value.message
    with pytest.raises(CandlecastError) as e:
        Rest(node.url, "bad").get("/api/symbols")
    assert (e.value.code, e.value.status) == ("unauthorized", 401)
    with pytest.raises(CandlecastError) as e:
        rest.request("POST", "/api/connections/close")     # not an operator
    assert (e.value.code, e.value.status) == ("forbidden", 403)
    with pytest.raises(CandlecastError) as e:
        rest.trades("BTCUSD", since=1, from_=5)
    assert e.value.code == "bad_request"


def test_history_batch_reports_each_symbol(node):
    async def main():
        progress = []
        async with Client(node.url, token=node.token) as c:
            res = await c.history_batch(["BTC-USD", "NOPE", "ethusd"], "1m", limit=30, on_progress=progress.append)
        assert set(res) == {"BTC-USD", "NOPE", "ethusd"}
        assert res["NOPE"].code == "unknown_symbol"
        oracle = Rest(node.url, node.token).candles("BTCUSD", "1m", limit=30)
        closed = [c for c in res["BTC-USD"] if c.closed]
        assert closed and all(c in oracle for c in closed)
        assert [p["progress"] for p in progress] == ["1/3", "2/3", "3/3"]
        with pytest.raises(CandlecastError) as e:
            async with Client(node.url, token=node.token) as c:
                await c.history_batch([], "1m")
        assert e.value.code == "bad_field"
    run(main())


def test_closed_client_fails_requests_with_closed(node):
    async def main():
        c = Client(node.url, token=node.token)
        sub = await c.candles("ETHUSD", "1m")
        assert isinstance(await sub.get(10), Snapshot)
        await c.close()
        assert c.state == "closed"
        with pytest.raises(CandlecastError) as e:
            await c.request({"type": "ping"})
        assert e.value.code == "closed"
        with pytest.raises(StopAsyncIteration):
            while True:
                await sub.__anext__()
    run(main())
