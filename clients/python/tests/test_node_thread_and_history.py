"""The thread API (the seed dashboard client's names) and DataProvider (the seed history provider's names) against
the real node; REST answers are the oracle."""
import threading
import time

import pandas as pd
import pytest

from candlecast import DataPeriod, DataProvider, DataProviderLocal, DataResolution, Rest, WebSocketClient

pytestmark = pytest.mark.node


def _until(cond, timeout, what):
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_websocket_client_in_a_background_thread(node):
    host, port = "127.0.0.1", node.port
    client = WebSocketClient(host=host, port=port, token=node.token, symbols=["BTC-USD", "ETHUSD"], timeframe="1s")
    seen, threads = [], set()
    client.callbacks.append(lambda data: (seen.append(data), threads.add(threading.current_thread().name)))
    assert not client.is_connected() and client.get_latest_price("BTCUSD") is None
    client.start_background()
    try:
        _until(client.is_connected, 30, "connected")
        _until(lambda: client.get_latest_price("btc-usd") and client.get_latest_price("ETHUSD"), 30, "prices")
        _until(lambda: any(d["type"] == "candle" for d in seen), 30, "a candle")
        latest = client.get_latest_data()
        assert set(latest) >= {"BTCUSD", "ETHUSD"}
        ticker = Rest(node.url, node.token).get("/api/ticker", symbol="ETHUSD")
        assert abs(latest["ETHUSD"]["price"] - ticker["last"]) / ticker["last"] < 0.05
        assert client.get_price("BTCUSD") == client.get_all_prices()["BTCUSD"]["price"]
        assert threads == {"candlecast-ws"}
        assert client.message_queue.qsize() <= 100
        trades = []
        sub = client.subscribe_trades("ETHUSD", callback=trades.append)
        _until(lambda: len(trades) >= 3, 20, "trades")
        client.unsubscribe(sub)
        pong = client.request({"type": "ping"})
        assert pong["type"] == "pong"
    finally:
        client.stop()
    assert not client.is_connected() and client.state == "closed"


def test_data_provider_get_data_matches_rest(node):
    provider = DataProviderLocal(node.url, token=node.token)
    got = []
    df = provider.get_data(ticker="BTC-USD", resolution=DataResolution.MINUTE_01, period=DataPeriod.DAY_01,
                           limit=120, local_only=True, callback=got.append)
    assert isinstance(df, pd.DataFrame) and isinstance(df.index, pd.DatetimeIndex) and df.index.name == "Date"
    assert list(df.columns) == ["Open", "High", "Low", "Close", "Volume"] and len(df) == 120
    oracle = Rest(node.url, node.token).get("/api/candles", symbol="BTCUSD", tf="1m",
                                            to=int(df.index[-1].timestamp() * 1000), limit=120)
    assert [int(t.timestamp() * 1000) for t in df.index] == [c["t"] for c in oracle]
    closed = oracle[:-1]                       # the newest minute is still open and moves on
    assert list(df["Close"][:-1]) == [c["c"] for c in closed] and list(df["Volume"][:-1]) == [c["v"] for c in closed]
    assert list(df["Open"][:-1]) == [c["o"] for c in closed] and list(df["High"][:-1]) == [c["h"] for c in closed]
    assert got[0]["ticker"] == "BTC-USD" and got[0]["rows"] == 120 and got[0]["end_date"].endswith("Z")


def test_data_provider_pages_beyond_one_page(node):
    rows = DataProvider(node.url, token=node.token, use_pandas=False).get_data("BTCUSD", "SECOND_01", limit=6500)
    ts = [int(r["Date"].timestamp() * 1000) for r in rows]
    assert len(ts) == 6500 and all(b - a == 1000 for a, b in zip(ts, ts[1:]))
    assert set(rows[0]) == {"Date", "Open", "High", "Low", "Close", "Volume"}


def test_data_provider_errors_and_batches(node):
    provider = DataProvider(node.url, token=node.token)
    errors, progress = [], []
    assert provider.get_data("NOPE", DataResolution.DAY_01, error_callback=errors.append) is None
    assert errors[0]["ticker"] == "NOPE" and errors[0]["code"] == "unknown_symbol" and errors[0]["status"] == 404
    res = provider.get_batch_data(["BTC-USD", "NOPE", "ETHUSD"], DataResolution.HOUR_01, DataPeriod.DAY_05,
                                  progress_callback=progress.append, error_callback=errors.append)
    assert set(res) == {"BTC-USD", "ETHUSD"} and [p["progress"] for p in progress] == ["1/3", "2/3", "3/3"]
    sock = provider.get_batch_data_socket(["BTC-USD", "NOPE", "ETHUSD"], DataResolution.HOUR_01,
                                          DataPeriod.DAY_05, progress_callback=progress.append,
                                          error_callback=errors.append)
    assert set(sock) == {"BTC-USD", "ETHUSD"}
    for t in sock:
        closed_rest = res[t].iloc[:-1]
        assert sock[t].iloc[:-1].equals(closed_rest), t   # the open hour may have moved on
    assert [e["ticker"] for e in errors] == ["NOPE", "NOPE", "NOPE"]
    provider._connect_socket()
    try:
        frames = [provider.get_data_socket(t, DataResolution.MINUTE_01, DataPeriod.DAY_01, limit=10,
                                           auto_disconnect=False) for t in ("BTC-USD", "ETHUSD")]
        assert [len(f) for f in frames] == [10, 10]
    finally:
        provider._disconnect_socket()
