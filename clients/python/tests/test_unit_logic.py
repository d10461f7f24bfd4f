"""Pure logic: back-off, resume trackers, models, URLs, error codes."""
import random

import pytest

from candlecast import Candle, CandlecastError, IndicatorPoint, Snapshot, Ticker, Trade
from candlecast.data_provider import _label, to_frame
from candlecast.errors import code_for_status, http_error
from candlecast.resume import (ALERT_RESUME_MARGIN_MS, Backoff, RecentIds, TradeTracker, WindowTracker,
                               alert_resume_since, points_unrecoverable)
from candlecast.urls import derive, with_owner
from candlecast.channels import gap_route, live_route
from candlecast.models import CandleGap
from candlecast.resume import gap_resume_since


def test_backoff_is_full_jitter_under_a_doubling_ceiling():
    b = Backoff(0.5, 15.0, random.Random(7))
    assert [b.ceiling(a) for a in range(7)] == [0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 15.0]
    for attempt in range(10):
        delays = [b.delay(attempt) for _ in range(200)]
        assert all(0 <= d <= b.ceiling(attempt) for d in delays)
        assert max(delays) > 0.8 * b.ceiling(attempt)          # the whole range is used, not a fixed delay
    assert all(0 <= b.restart_delay() <= 0.5 for _ in range(100))
    with pytest.raises(ValueError):
        Backoff(0, 1)


def test_window_tracker_delivers_each_closed_window_once_and_only_newer_open_versions():
    tr = WindowTracker()
    assert tr.since() is None
    tr.seed([(1000, True, 5, False), (2000, False, 3, False)])
    assert tr.since() == 1001
    assert not tr.accept(2000, False, 3)                      # same version again
    assert tr.accept(2000, False, 4)                          # more trades
    assert tr.accept(3000, False, 1)                          # the next window opened before 2000 closed
    assert tr.accept(2000, True, 4)                           # the close
    assert not tr.accept(2000, True, 4)                       # ... once
    assert not tr.accept(1000, True, 5)
    assert tr.since() == 2001
    assert not tr.accept(3000, False, 1) and tr.accept(3000, False, 1, partial=True)   # newly partial
    assert tr.accept(1000, True, 5, partial=True)             # a live re-mark of a closed window, once
    assert not tr.accept(1000, True, 5, partial=True)
    assert not tr.accept(2000, True, 4, partial=True, live=False)   # never from a resume snapshot


def test_resume_snapshot_after_a_drop_gives_only_what_was_missed():
    """Simulates a stream, a drop, and the server's `since` answer; the oracle is the full series."""
    series = [(t * 1000, True, t % 7 + 1) for t in range(1, 40)]
    tr, delivered = WindowTracker(), []
    for t, closed, n in series[:10]:
        tr.accept(t, False, n - 1)                            # an open version first
        if tr.accept(t, closed, n):
            delivered.append(t)
    since = tr.since()
    answer = [s for s in series if s[0] >= since]             # what the server sends for `since`
    for t, closed, n in answer:
        if tr.accept(t, closed, n, live=False):
            delivered.append(t)
    assert delivered == [s[0] for s in series]


def test_trade_tracker_and_recent_ids():
    tr = TradeTracker()
    assert tr.since() is None
    assert [tr.accept(i) for i in (5, 6, 6, 7)] == [True, True, False, True]
    assert tr.since() == 7
    ids = RecentIds(3)
    assert [ids.add(k) for k in "abca"] == [True, True, True, False]
    ids.add("d")
    assert ids.add("a") and len(ids) == 3                     # "a" was evicted, so it counts as new


def test_points_unrecoverable_when_the_snapshot_starts_after_the_last_closed_point():
    tr = WindowTracker()
    tr.accept(5000, True, (("value", 1.0),))
    assert not points_unrecoverable(tr, [4000, 5000, 6000])
    assert points_unrecoverable(tr, [7000, 8000])
    assert not points_unrecoverable(WindowTracker(), [7000])


def test_models_parse_frames_and_rest_json():
    frame = {"type": "candle", "symbol": "BTCUSD", "tf": "1s", "t": 1700000000000, "open": 1.5, "high": 2,
             "low": 1, "close": 1.75, "volume": 0.5, "trades": 7, "unix_timestamp": 1700000000, "closed": False,
             "extra": "ignored"}
    c = Candle.from_frame(frame)
    assert (c.symbol, c.t, c.high, c.trades, c.closed, c.partial, c.src, c.time) == \
           ("BTCUSD", 1700000000000, 2.0, 7, False, False, "trades", 1700000000)
    r = Candle.from_rest({"symbol": "BTCUSD", "tf": "1d", "t": 1, "o": 1, "h": 2, "l": 0.5, "c": 1.5, "v": 3,
                          "n": 0, "x": True, "partial": True, "src": "exchange"})
    assert (r.open, r.close, r.closed, r.partial, r.src) == (1.0, 1.5, True, True, "exchange")
    t = Trade.from_json({"id": 9, "t": 2, "p": 3.5, "q": 0.1, "side": "buy"}, "ETHUSD")
    assert (t.symbol, t.id, t.price, t.amount) == ("ETHUSD", 9, 3.5, 0.1)
    k = Ticker.from_json({"symbol": "X1", "last": 2, "open24h": 1, "change": 1, "changePct": 100, "high": 2,
                          "low": 1, "volume": 5, "trades": 3, "time": 9})
    assert (k.change_pct, k.bid, k.spread) == (100.0, None, None)
    p = IndicatorPoint.from_json({"t": 5, "closed": True, "macd": 1.5, "signal": 1, "hist": 0.5}, "X1", "1m",
                                 "macd:12:26:9")
    assert p.values == {"macd": 1.5, "signal": 1.0, "hist": 0.5}


@pytest.mark.parametrize("bad", [
    {"symbol": "BTCUSD", "tf": "1m", "t": 1, "open": "1", "high": 1, "low": 1, "close": 1, "volume": 1,
     "trades": 1, "closed": True},
    {"symbol": "BTCUSD", "tf": "1m", "t": 1.5, "open": 1, "high": 1, "low": 1, "close": 1, "volume": 1,
     "trades": 1, "closed": True},
    {"symbol": "BTCUSD", "tf": "1m", "open": 1},
    ["not", "an", "object"],
])
def test_malformed_frames_are_bad_response(bad):
    with pytest.raises(CandlecastError) as e:
        Candle.from_frame(bad)
    assert e.value.code == "bad_response"


def test_urls_are_derived_both_ways():
    assert derive("http://h:8080") == ("ws://h:8080/ws", "http://h:8080")
    assert derive("https://h/base/") == ("wss://h/base/ws", "https://h/base")
    assert derive("ws://h:1/ws") == ("ws://h:1/ws", "http://h:1")
    assert derive("wss://h") == ("wss://h/ws", "https://h")
    assert with_owner("ws://h/ws", "a b") == "ws://h/ws?owner=a%20b"
    for bad in ("h:8080", "ftp://h", "http://"):
        with pytest.raises(ValueError):
            derive(bad)


def test_rest_codes_follow_the_status():
    assert [code_for_status(s) for s in (400, 401, 403, 404, 410, 429, 503, 502)] == \
           ["bad_request", "unauthorized", "forbidden", "not_found", "gone", "rate_limited", "unavailable",
            "http_502"]
    assert code_for_status(404, "unknown symbol NOPE") == "unknown_symbol"
    e = http_error(404, {"error": "unknown_symbol", "message": "NOPE"})
    assert (e.code, e.status, e.message) == ("unknown_symbol", 404, "unknown_symbol: NOPE")
    assert CandlecastError.from_frame({"type": "error"}).code == "bad_response"


def test_data_provider_labels_and_frames_without_pandas():
    assert [_label(x) for x in ("DAY_01", "DataPeriod.YEAR_01", "minute_05", "1h", None)] == \
           ["1d", "1y", "5m", "1h", None]
    rows = to_frame([Candle("X1", "1d", 86_400_000, 1, 2, 0.5, 1.5, 10, 3, True)], use_pandas=False)
    assert rows[0]["Date"].isoformat() == "1970-01-02T00:00:00+00:00" and rows[0]["Close"] == 1.5


def test_snapshot_repr_is_short():
    items = [Candle("X1", "1m", t, 1, 1, 1, 1, 0, 0, True) for t in range(1000)]
    text = repr(Snapshot("candles", "X1", "1m", None, items))
    assert text.startswith("Snapshot(channel='candles'") and "items=1000, last=Candle(" in text and len(text) < 400


def test_alert_resume_since_prefers_the_delivered_since_then_the_first_ack_server_time_minus_the_margin():
    t = 1_767_200_012_345
    assert alert_resume_since(None, None) is None
    assert alert_resume_since(None, t) == t - ALERT_RESUME_MARGIN_MS
    assert alert_resume_since(None, ALERT_RESUME_MARGIN_MS // 2) == 0
    assert alert_resume_since(42, t) == 42
    assert alert_resume_since(0, None) == 0


def test_gap_notices_route_by_channel():
    cg = {"type": "gap", "channel": "candles", "symbol": "BTCUSD", "tf": "1m", "from": 1, "to": 2}
    assert live_route(cg) == ("candles", "BTCUSD", "1m")
    assert live_route({"type": "gap", "channel": "trades", "symbol": "BTCUSD", "since": 5}) == ("trades", "BTCUSD")
    assert live_route({"type": "gap", "symbol": "BTCUSD", "since": 5}) == ("trades", "BTCUSD")    # older servers
    assert gap_route(dict(cg, tf=None)) is None and gap_route({k: v for k, v in cg.items() if k != "tf"}) is None
    assert gap_route(dict(cg, channel="book")) is None


@pytest.mark.parametrize("bad", [{"from": None}, {"to": "2"}, {"from": 1.0}, {"to": False}, {"from": 2},
                                 {"from": 3}, {"tf": 5}])
def test_malformed_candles_gaps_are_bad_response(bad):
    good = {"type": "gap", "channel": "candles", "symbol": "BTCUSD", "tf": "1m", "from": 1, "to": 2}
    assert CandleGap.from_json(good) == CandleGap("BTCUSD", "1m", 1, 2)
    with pytest.raises(CandlecastError) as e:
        CandleGap.from_json(dict(good, **bad))
    assert e.value.code == "bad_response" and "candles gap" in e.value.message
    with pytest.raises(CandlecastError):
        CandleGap.from_json({k: v for k, v in good.items() if k not in bad})


def test_gap_resume_since_is_the_gaps_from_unless_the_stream_is_past_it():
    tr = WindowTracker()
    assert gap_resume_since(tr.since(), 120_000) == 120_000
    tr.seed([(0, True, 1, False), (60_000, True, 1, False)])
    assert gap_resume_since(tr.since(), 120_000) == 120_000        # the next window: no hole before the gap
    assert gap_resume_since(tr.since(), 60_000) == 60_001          # 60 000 was delivered closed: not again
