"""The other streams: ticker, book, indicators/patterns/risk, alert fires, portfolio; and the live-frame router."""
from __future__ import annotations

import json
from typing import Optional, Tuple

from .models import AlertFire, Book, IndicatorPoint, Portfolio, Snapshot, Ticker
from .resume import RecentIds, WindowTracker, alert_resume_since, points_unrecoverable
from .streams import Subscription, canonical


class TickerSubscription(Subscription):
    channel = "ticker"
    needs_snapshot = False

    def __init__(self, client, symbol: str, **kw) -> None:
        self.symbol = canonical(symbol)
        super().__init__(client, ("ticker", self.symbol), **kw)
        self.last: Optional[Ticker] = None

    def subscribe_command(self) -> dict:
        return {"type": "subscribe", "channel": "ticker", "symbol": self.symbol}

    def on_live(self, f: dict) -> None:
        if f.get("type") != "ticker":
            return
        t = Ticker.from_json(f)
        if t != self.last:
            self.last = t
            self.emit(t)


class BookSubscription(Subscription):
    channel = "book"

    def __init__(self, client, symbol: str, depth: int = 10, **kw) -> None:
        self.symbol, self.depth = canonical(symbol), depth
        super().__init__(client, ("book", self.symbol), **kw)
        self.last_seq: Optional[int] = None

    def subscribe_command(self) -> dict:
        return {"type": "subscribe", "channel": "book", "symbol": self.symbol, "depth": self.depth}

    def on_snapshot(self, f: dict) -> None:
        self.on_live(dict(f, type="book"))

    def on_live(self, f: dict) -> None:
        if f.get("type") != "book":
            return
        b = Book.from_json(f)
        if self.last_seq is None or b.seq > self.last_seq:
            self.last_seq = b.seq
            self.emit(b)


class AnalysisSubscription(Subscription):
    """``indicator``, ``risk`` (window points) and ``patterns`` (detections)."""

    def __init__(self, client, channel: str, symbol: str, tf: str, name: Optional[str], params: Optional[dict],
                 limit: Optional[int] = None, **kw) -> None:
        self.channel, self.symbol, self.tf = channel, canonical(symbol), tf
        self.name, self.params, self.limit = name, dict(params or {}), limit
        ident = name if channel == "indicator" else channel
        super().__init__(client, (channel, self.symbol, tf, ident, json.dumps(self.params, sort_keys=True)), **kw)
        self.route = None
        self.series_key: Optional[str] = None
        self.tracker = WindowTracker()
        self._seen = RecentIds()

    def subscribe_command(self) -> dict:
        cmd = {"type": "subscribe", "channel": self.channel, "symbol": self.symbol, "tf": self.tf,
               "params": self.params}
        if self.channel == "indicator":
            cmd["name"] = self.name
        if self.limit is not None:
            cmd["limit"] = self.limit
        return cmd

    def on_ack(self, f: dict) -> None:
        self.series_key = f.get("key")
        self._client._route(self, (self.channel, self.symbol, self.tf, self.series_key))

    def _point(self, d: dict) -> IndicatorPoint:
        return IndicatorPoint.from_json(d, self.symbol, self.tf, self.series_key or "")

    def _fresh(self, p: IndicatorPoint) -> bool:
        if self.channel == "patterns":
            return self._seen.add((p.t, p.raw.get("pattern"), p.raw.get("direction")))
        return self.tracker.accept(p.t, p.closed, tuple(p.values.items()))

    def on_snapshot(self, f: dict) -> None:
        points = [self._point(d) for d in f.get("points") or ()]
        fields = f.get("fields")
        if self._started and self.channel != "patterns" and not points_unrecoverable(self.tracker,
                                                                                     [p.t for p in points]):
            self.stats.resumes += 1
            for p in points:
                if self._fresh(p):
                    self.emit(p)
            return
        if self._started and self.channel == "patterns":
            self.stats.resumes += 1
            for p in points:
                if self._fresh(p):
                    self.emit(p)
            return
        first = not self._started
        self.tracker.reset()
        for p in points:
            self._fresh(p)
        if not first:
            self.stats.unrecovered += 1
        self.emit(Snapshot(self.channel, self.symbol, self.tf, None if first else False, points,
                           key=self.series_key, fields=fields))

    def on_live(self, f: dict) -> None:
        t = f.get("type")
        if t == "patterns":
            for d in f.get("patterns") or ():
                p = self._point(dict(d, t=d.get("t", f.get("t")), closed=True))
                if self._fresh(p):
                    self.emit(p)
        elif t in ("indicator", "risk"):
            p = self._point(f)
            if self._fresh(p):
                self.emit(p)


class OwnerStreamSubscription(Subscription):
    """A stream of the connection's owner (alerts, portfolio): no symbol, no snapshot, keyed by its channel."""
    needs_snapshot = False

    def __init__(self, client, **kw) -> None:
        super().__init__(client, (self.channel,), **kw)

    def resume_fields(self, cmd: dict) -> None:
        """Adds the resume fields (e.g. ``since``) to a subscribe command; none by default."""

    def subscribe_command(self) -> dict:
        cmd = {"type": "subscribe", "channel": self.channel}
        self.resume_fields(cmd)
        return cmd

    def unsubscribe_command(self) -> dict:
        return {"type": "unsubscribe", "channel": self.channel}


class AlertSubscription(OwnerStreamSubscription):
    """Each fire once; resumes with ``since`` (see :func:`alert_resume_since`)."""
    channel = "alerts"

    def __init__(self, client, since: Optional[int] = None, **kw) -> None:
        super().__init__(client, **kw)
        self.since = since
        self.first_ack_server_time: Optional[int] = None
        self._fires = RecentIds()

    def resume_fields(self, cmd: dict) -> None:
        since = alert_resume_since(self.since, self.first_ack_server_time)
        if since is not None:
            cmd["since"] = since

    def on_ack(self, f: dict) -> None:
        if self.first_ack_server_time is None:
            self.first_ack_server_time = self._client.server_time_at_connect

    def on_live(self, f: dict) -> None:
        if f.get("type") != "alert":
            return
        fire = AlertFire.from_json(f)
        if self._fires.add(fire.fire):
            if self.since is None or fire.recorded_at > self.since:
                self.since = fire.recorded_at
            self.emit(fire)


class PortfolioSubscription(OwnerStreamSubscription):
    """Valuations as sent; resubscribed (a valuation is the whole state and the current one comes first)."""
    channel = "portfolio"

    def on_live(self, f: dict) -> None:
        if f.get("type") == "portfolio":
            self.emit(Portfolio.from_json(f))


def live_route(f: dict) -> Optional[Tuple]:
    """The subscription a live frame (without a command id) belongs to."""
    t = f.get("type")
    if t == "candle":
        return ("candles", f.get("symbol"), f.get("tf"))
    if t == "trades":
        return ("trades", f.get("symbol"))
    if t == "gap":
        return gap_route(f)
    if t in ("ticker", "book"):
        return (t, f.get("symbol"))
    if t in ("indicator", "risk", "patterns"):
        return (t, f.get("symbol"), f.get("tf"), f.get("key"))
    if t == "alert":
        return ("alerts",)
    if t == "portfolio":
        return ("portfolio",)
    return None


def gap_route(f: dict) -> Optional[Tuple]:
    """A ``gap`` notice goes by its ``channel``: ``candles`` to that (symbol, tf) series, ``trades`` or none (older
    servers) to the trades stream; None (logged by the client) for a candles gap without ``tf`` or another channel."""
    channel = f.get("channel")
    if channel == "candles":
        tf = f.get("tf")
        return ("candles", f.get("symbol"), tf) if isinstance(tf, str) else None
    if channel is None or channel == "trades":
        return ("trades", f.get("symbol"))
    return None
