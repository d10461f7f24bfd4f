"""The public calls of the asyncio Client: subscriptions, alert commands, history (the connection itself is in
client.py)."""
from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, Callable, Dict, Iterable, List, Optional, Union

from websockets.exceptions import ConnectionClosed

from .errors import CONNECTION_LOST, TIMEOUT, CandlecastError
from .models import Candle
from .rest import Rest, TimeLike, time_param
from .channels import (AlertSubscription, AnalysisSubscription, BookSubscription, PortfolioSubscription,
                       TickerSubscription)
from .streams import CandleSubscription, Subscription, TradeSubscription, canonical

log = logging.getLogger("candlecast")


class ClientApi:
    """Mixed into Client; relies on its ``_start``, ``_add``, ``request``, ``_wait_open``, ``_new_id``, ``_by_id``."""

    async def candles(self, symbol: str, tf: str, throttle_ms: Optional[int] = None,
                      on_item: Optional[Callable] = None, on_error: Optional[Callable] = None) -> CandleSubscription:
        """Candles of (symbol, tf): a ``Snapshot`` (newest candles), then ``Candle`` updates, resumed without gap
        or duplicate after every reconnect."""
        self._start()
        return await self._add(CandleSubscription(self, symbol, tf, throttle_ms, on_item=on_item, on_error=on_error))

    async def trades(self, symbol: str, batch: Optional[int] = None, on_item=None, on_error=None) -> TradeSubscription:
        """The symbol's tape: a ``Snapshot`` of recent trades, then each ``Trade`` once, in order."""
        self._start()
        return await self._add(TradeSubscription(self, symbol, batch, on_item=on_item, on_error=on_error))

    async def ticker(self, symbol: str, on_item=None, on_error=None) -> TickerSubscription:
        self._start()
        return await self._add(TickerSubscription(self, symbol, on_item=on_item, on_error=on_error))

    async def book(self, symbol: str, depth: int = 10, on_item=None, on_error=None) -> BookSubscription:
        self._start()
        return await self._add(BookSubscription(self, symbol, depth, on_item=on_item, on_error=on_error))

    async def indicator(self, symbol: str, tf: str, name: str, params: Optional[dict] = None,
                        limit: Optional[int] = None, on_item=None, on_error=None) -> AnalysisSubscription:
        """An indicator series (``rsi``, ``macd``, …): a ``Snapshot`` of points, then ``IndicatorPoint`` items."""
        self._start()
        return await self._add(AnalysisSubscription(self, "indicator", symbol, tf, name, params, limit,
                                                    on_item=on_item, on_error=on_error))

    async def patterns(self, symbol: str, tf: str, params: Optional[dict] = None, limit: Optional[int] = None,
                       on_item=None, on_error=None) -> AnalysisSubscription:
        self._start()
        return await self._add(AnalysisSubscription(self, "patterns", symbol, tf, None, params, limit,
                                                    on_item=on_item, on_error=on_error))

    async def risk(self, symbol: str, tf: str, params: Optional[dict] = None, limit: Optional[int] = None,
                   on_item=None, on_error=None) -> AnalysisSubscription:
        self._start()
        return await self._add(AnalysisSubscription(self, "risk", symbol, tf, None, params, limit,
                                                    on_item=on_item, on_error=on_error))

    async def alerts(self, since: Optional[int] = None, on_item=None, on_error=None) -> AlertSubscription:
        """The owner's alert fires (after ``since``, a ``recordedAt``), each once."""
        self._start()
        return await self._add(AlertSubscription(self, since, on_item=on_item, on_error=on_error))

    async def portfolio(self, on_item=None, on_error=None) -> PortfolioSubscription:
        self._start()
        return await self._add(PortfolioSubscription(self, on_item=on_item, on_error=on_error))

    def subscriptions(self) -> List[Subscription]:
        return list(self._subs.values())

    # ------------------------------------------------------------------ alerts over /ws
    async def create_alert(self, definition: dict) -> dict:
        return (await self.request({"type": "alert_create", "alert": definition}))["alert"]

    async def delete_alert(self, alert_id: str) -> None:
        await self.request({"type": "alert_delete", "alertId": alert_id})

    async def list_alerts(self, symbol: Optional[str] = None, state: Optional[str] = None) -> List[dict]:
        cmd = {"type": "alert_list"}
        if symbol:
            cmd["symbol"] = symbol
        if state:
            cmd["state"] = state
        return (await self.request(cmd))["alerts"]

    async def get_alert(self, alert_id: str) -> dict:
        return await self.request({"type": "alert_get", "alertId": alert_id})

    # ------------------------------------------------------------------ history
    async def history_batch(self, symbols: Iterable[str], tf: str, *, period: Any = None, from_: TimeLike = None,
                            to: TimeLike = None, limit: Optional[int] = None, local_only: Optional[bool] = None,
                            on_progress: Optional[Callable[[dict], None]] = None,
                            on_status: Optional[Callable[[dict], None]] = None,
                            ) -> Dict[str, Union[List[Candle], CandlecastError]]:
        """Several symbols' candles in one ``history_batch`` command: symbol (as given) → candles or the error.
        Times out when no frame came for ``request_timeout`` (downloads send ``data_status`` frames)."""
        given = list(symbols)
        cmd: Dict[str, Any] = {"type": "history_batch", "symbols": given, "tf": tf}
        for k, v in (("period", getattr(period, "value", period)), ("from", time_param(from_)),
                     ("to", time_param(to)), ("limit", limit), ("local_only", local_only)):
            if v is not None:
                cmd[k] = v
        ws = await self._wait_open(self.request_timeout)
        batch = _Batch(given, tf, on_progress, on_status)
        rid = self._new_id()
        self._by_id[rid] = batch
        try:
            await ws.send(json.dumps(dict(cmd, id=rid)))
            return await batch.wait(self.request_timeout)
        except ConnectionClosed:
            raise CandlecastError(CONNECTION_LOST, "connection closed while sending") from None
        finally:
            self._by_id.pop(rid, None)


class _Batch:
    """Collects the frames of one ``history_batch`` command."""

    def __init__(self, symbols: List[str], tf: str, on_progress, on_status) -> None:
        self.names = {canonical(s): s for s in symbols}
        self.tf, self.on_progress, self.on_status = tf, on_progress, on_status
        self.loop = asyncio.get_running_loop()
        self.done = self.loop.create_future()
        self.results: Dict[str, Any] = {}
        self.last = self.loop.time()

    @property
    def future(self) -> asyncio.Future:    # failed by the client when the connection drops
        return self.done

    def __call__(self, f: dict) -> None:
        self.last = self.loop.time()
        t, sym = f.get("type"), f.get("symbol")
        name = self.names.get(canonical(sym), sym) if isinstance(sym, str) else sym
        try:
            if t == "batch_progress" and self.on_progress:
                self.on_progress(dict(f, symbol=name))
            elif t == "data_status" and self.on_status:
                self.on_status(dict(f, symbol=name))
            elif t == "history":
                self.results[name] = [Candle.from_frame(e, canonical(sym), self.tf) for e in f.get("candles") or ()]
            elif t == "error" and sym is not None:
                self.results[name] = CandlecastError.from_frame(f)
            elif t == "error" and not self.done.done():
                self.done.set_exception(CandlecastError.from_frame(f))
            elif t == "batch_done" and not self.done.done():
                self.done.set_result(self.results)
        except CandlecastError as e:
            if not self.done.done():
                self.done.set_exception(e)
        except Exception:
            log.exception("candlecast: history_batch callback failed")

    async def wait(self, idle: float) -> Dict[str, Any]:
        while True:
            remaining = self.last + idle - self.loop.time()
            if remaining <= 0:
                raise CandlecastError(TIMEOUT, f"history_batch: nothing for {idle} s")
            finished, _ = await asyncio.wait({self.done}, timeout=remaining)
            if finished:
                return self.done.result()


class History:
    """History over REST (blocking calls run in a worker thread)."""

    def __init__(self, rest: Rest) -> None:
        self._rest = rest

    async def candles(self, symbol: str, tf: str, from_: TimeLike = None, to: TimeLike = None,
                      limit: Optional[int] = None, period: Any = None, local_only: Optional[bool] = None) -> List[Candle]:
        return await asyncio.to_thread(self._rest.candles, symbol, tf, from_, to, limit, period, local_only)

    async def trades(self, symbol: str, limit: Optional[int] = None, since: Optional[int] = None,
                     from_: TimeLike = None):
        return await asyncio.to_thread(self._rest.trades, symbol, limit, since, from_)
