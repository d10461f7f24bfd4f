"""Subscriptions: what each stream sends to subscribe (and resume), and what it delivers. The client routes frames
to them; they hold the resume state (candlecast.resume) and hand items to an asyncio queue or a callback."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any, Callable, List, Optional

from .errors import CLOSED, CandlecastError
from .models import Candle, CandleGap, Snapshot, Trade
from .resume import TradeTracker, WindowTracker, gap_resume_since

log = logging.getLogger("candlecast")

#: Errors after which the server keeps the subscription (live updates follow).
STAYING = frozenset(("history_unavailable", "ticker_unavailable", "trades_unavailable", "book_unavailable"))
_END = object()


def canonical(symbol: str) -> str:
    return symbol.strip().upper().replace("-", "")


@dataclass
class Stats:
    resumes: int = 0
    unrecovered: int = 0
    delivered: int = 0
    #: gap notices (candles or trades) that made the stream subscribe again to fill the hole
    gaps: int = 0


class Subscription:
    """An async iterator of the stream's items (``Snapshot`` first, then models), restored after reconnects.

    With ``on_item`` given, items go to that callback instead (called on the client's event loop) and iterating
    yields nothing. ``close()`` unsubscribes.
    """

    channel = "candles"
    needs_snapshot = True

    def __init__(self, client, key: tuple, on_item: Optional[Callable[[Any], None]] = None,
                 on_error: Optional[Callable[[CandlecastError], None]] = None) -> None:
        self._client = client
        self.key = key
        self.route: Optional[tuple] = key
        self.on_item = on_item
        self.on_error = on_error
        self.stats = Stats()
        self.generation = -1
        self._queue: asyncio.Queue = asyncio.Queue()
        self._ready: asyncio.Future = asyncio.get_running_loop().create_future()
        self._attempt: Optional[asyncio.Future] = None
        self._acked = False
        self._started = False
        self._closed = False

    # ---- what to send
    def subscribe_command(self) -> dict:
        raise NotImplementedError

    def unsubscribe_command(self) -> dict:
        cmd = self.subscribe_command()
        cmd["type"] = "unsubscribe"
        for k in ("since", "throttleMs", "batch", "limit", "depth"):
            cmd.pop(k, None)
        return cmd

    # ---- frames
    def on_reply(self, f: dict) -> None:
        """A frame carrying this subscription's command id: ack, snapshot or error."""
        t = f.get("type")
        if t == "subscription":
            self._acked = True
            self.on_ack(f)
            if not self.needs_snapshot:
                self._settle()
        elif t == "snapshot":
            try:
                self.on_snapshot(f)
            except CandlecastError as e:
                self.report(e)
            self._settle()
        elif t == "error":
            err = CandlecastError.from_frame(f)
            if err.code in STAYING:
                self.report(err)
                self._settle()
            else:
                self._fail_attempt(err)
        else:
            self.on_live(f)

    def on_ack(self, f: dict) -> None:
        pass

    def on_snapshot(self, f: dict) -> None:
        raise NotImplementedError

    def on_live(self, f: dict) -> None:
        raise NotImplementedError

    # ---- delivery
    def emit(self, item: Any) -> None:
        self.stats.delivered += 1
        if self.on_item is not None:
            try:
                self.on_item(item)
            except Exception:  # a consumer's bug must not stop the stream
                log.exception("candlecast: on_item callback of %s failed", self.key)
        else:
            self._queue.put_nowait(item)

    def report(self, err: CandlecastError) -> None:
        log.warning("candlecast: %s: %s", self.key, err)
        if self.on_error is not None:
            try:
                self.on_error(err)
            except Exception:
                log.exception("candlecast: on_error callback of %s failed", self.key)

    def end(self, err: Optional[CandlecastError] = None) -> None:
        """No more items: the subscription was closed, refused on restore, or the client closed."""
        if self._closed:
            return
        self._closed = True
        if not self._ready.done():
            self._ready.set_exception(err or CandlecastError(CLOSED, "client closed"))
            self._ready.exception()  # consumed: nobody may be waiting
        if self._attempt is not None and not self._attempt.done():
            self._attempt.set_exception(err or CandlecastError(CLOSED, "client closed"))
            self._attempt.exception()
        if err is not None:
            self.report(err)
        self._queue.put_nowait(err if err is not None else _END)

    # ---- (re)subscribing, called by the client
    def begin_attempt(self) -> asyncio.Future:
        self._acked = False
        self._attempt = asyncio.get_running_loop().create_future()
        return self._attempt

    def abort_attempt(self, err: CandlecastError) -> None:
        if self._attempt is not None and not self._attempt.done():
            self._attempt.set_exception(err)
            self._attempt.exception()

    def _settle(self) -> None:
        self._started = True
        if self._attempt is not None and not self._attempt.done():
            self._attempt.set_result(None)
        if not self._ready.done():
            self._ready.set_result(None)

    def _fail_attempt(self, err: CandlecastError) -> None:
        if self._attempt is not None and not self._attempt.done():
            self._attempt.set_exception(err)
        else:
            self.report(err)

    # ---- public
    async def ready(self) -> None:
        """Wait until the first ack (and snapshot) was delivered; raises the server's refusal."""
        await asyncio.shield(self._ready)

    @property
    def closed(self) -> bool:
        return self._closed

    async def close(self) -> None:
        await self._client._unsubscribe(self)

    def __aiter__(self):
        return self

    async def __anext__(self):
        item = await self._queue.get()
        if item is _END:
            self._queue.put_nowait(_END)
            raise StopAsyncIteration
        if isinstance(item, CandlecastError):
            self._queue.put_nowait(_END)
            raise item
        return item

    async def get(self, timeout: Optional[float] = None):
        """The next item (``asyncio.TimeoutError`` after ``timeout`` seconds)."""
        return await asyncio.wait_for(self.__anext__(), timeout)

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.close()


class CandleSubscription(Subscription):
    channel = "candles"

    def __init__(self, client, symbol: str, tf: str, throttle_ms: Optional[int] = None, **kw) -> None:
        self.symbol, self.tf, self.throttle_ms = canonical(symbol), tf, throttle_ms
        super().__init__(client, ("candles", self.symbol, tf), **kw)
        self.tracker = WindowTracker()
        self._resuming = False
        self._syncing = False                  # a gap notice's resubscription is under way: live frames wait
        self._gap_from: Optional[int] = None

    def subscribe_command(self) -> dict:
        cmd = {"type": "subscribe", "symbol": self.symbol, "tf": self.tf}
        if self.throttle_ms is not None:
            cmd["throttleMs"] = self.throttle_ms
        since = self.tracker.since() if self._started else None
        if self._gap_from is not None:
            since = gap_resume_since(since, self._gap_from)
        self._resuming = since is not None
        if since is not None:
            cmd["since"] = since
        return cmd

    def on_snapshot(self, f: dict) -> None:
        sym, tf, tr = self.symbol, self.tf, self.tracker
        candles = [Candle.from_frame(e, sym, tf) for e in f.get("candles") or ()]
        recovered = f.get("recovered")
        if self._resuming and recovered is True:
            self.stats.resumes += 1
            for c in candles:
                if tr.accept(c.t, c.closed, c.trades, c.partial, live=False):
                    self.emit(c)
            return
        first = not self._resuming
        tr.reset()
        tr.seed((c.t, c.closed, c.trades, c.partial) for c in candles)
        if not first:
            self.stats.unrecovered += 1
        self.emit(Snapshot("candles", sym, tf, None if first else False, candles))

    def _settle(self) -> None:
        self._syncing, self._gap_from = False, None     # a snapshot (or a staying error) ends a gap's resync
        super()._settle()

    def on_live(self, f: dict) -> None:
        t = f.get("type")
        if t == "gap":
            self._on_gap(CandleGap.from_json(f))
        elif t == "candle" and not self._syncing:
            c = Candle.from_frame(f, self.symbol, self.tf)
            if self.tracker.accept(c.t, c.closed, c.trades, c.partial):
                self.emit(c)

    def _on_gap(self, gap: CandleGap) -> None:
        """Windows ``from`` ≤ t < ``to`` will not come live: subscribe again with ``since`` = ``from``; the snapshot
        (from history) carries them, the tracker drops what was delivered already. Frames until then are dropped:
        the next closed window, sent right after the notice, must not overtake the hole."""
        if self._syncing or self._attempt is None or not self._attempt.done():
            return      # a resubscription under way, or a snapshot still to come: it starts before this hole
        log.info("candlecast: candles gap %s %s [%s, %s): resubscribing", self.symbol, self.tf, gap.from_, gap.to)
        self.stats.gaps += 1
        self._syncing, self._gap_from = True, gap.from_
        self._client._resubscribe(self)


class TradeSubscription(Subscription):
    channel = "trades"

    def __init__(self, client, symbol: str, batch: Optional[int] = None, **kw) -> None:
        self.symbol, self.batch = canonical(symbol), batch
        super().__init__(client, ("trades", self.symbol), **kw)
        self.tracker = TradeTracker()
        self._resuming = False
        self._syncing = False

    def subscribe_command(self) -> dict:
        cmd = {"type": "subscribe", "channel": "trades", "symbol": self.symbol}
        if self.batch is not None:
            cmd["batch"] = self.batch
        since = self.tracker.since() if self._started else None
        self._resuming = since is not None
        if since is not None:
            cmd["since"] = since
        return cmd

    def begin_attempt(self) -> asyncio.Future:
        self._syncing = True
        return super().begin_attempt()

    def on_snapshot(self, f: dict) -> None:
        self._syncing = False
        trades = [Trade.from_json(e, self.symbol) for e in f.get("trades") or ()]
        if self._resuming and f.get("recovered") is True:
            self.stats.resumes += 1
            self._deliver(trades)
            return
        first = not self._resuming
        self.tracker.reset()
        for t in trades:
            self.tracker.accept(t.id)
        if not first:
            self.stats.unrecovered += 1
        self.emit(Snapshot("trades", self.symbol, None, None if first else False, trades))

    def _deliver(self, trades: List[Trade]) -> None:
        accept = self.tracker.accept
        for t in trades:
            if accept(t.id):
                self.emit(t)

    def on_live(self, f: dict) -> None:
        t = f.get("type")
        if t == "trades" and not self._syncing:
            self._deliver([Trade.from_json(e, self.symbol) for e in f.get("trades") or ()])
        elif t == "gap" and not self._syncing:
            log.info("candlecast: trades gap after %s (%s dropped): resubscribing", f.get("since"), f.get("dropped"))
            self.stats.gaps += 1
            self._syncing = True
            self._client._resubscribe(self)
