"""The thread-based API for scripts and Streamlit-like apps, with the names of the dashboard client Candlecast
replaces: ``WebSocketClient(...).start_background()``, ``callbacks``, ``get_latest_price(symbol)``,
``get_latest_data()``, ``is_connected()``, ``stop()``."""
from __future__ import annotations

import logging
import os
import queue
import threading
from typing import Any, Callable, Dict, Iterable, List, Optional

from .client import Client
from .loop_thread import LoopThread
from .models import Book, Candle, Snapshot, Ticker, Trade
from .streams import canonical

log = logging.getLogger("candlecast")

#: The seed client's queue bound: the oldest message goes when it is full.
QUEUE_SIZE = 100


class WebSocketClient:
    """Connects in a background thread, keeps the latest data per symbol and calls ``callbacks``.

    ``WebSocketClient(host='localhost', port=8080)`` (the seed's arguments) or ``WebSocketClient(url=…)``; without
    either, ``$CANDLECAST_URL`` (else ``http://localhost:8080``), and the token defaults to ``$CANDLECAST_TOKEN``;
    ``symbols``: tickers to follow (``get_latest_price``); ``timeframe``: also follow those symbols' candles.
    Each callback gets a dict: ``type`` (``ticker``/``candle``/``trade``/``book``/…), ``symbol``, ``price``,
    ``data`` (the typed model) and, for tickers, ``change``, ``change_pct``, ``high``, ``low``, ``volume``.
    Callbacks run on the client's thread: keep them short and never call the blocking methods from them.
    """

    def __init__(self, host: Optional[str] = None, port: Optional[int] = None, auto_reconnect: bool = True, *,
                 url: Optional[str] = None, token: Any = None, owner: Optional[str] = None,
                 symbols: Iterable[str] = ("BTCUSD",), timeframe: Optional[str] = None,
                 timeout: float = 30.0, **client_options: Any) -> None:
        if url is None and host is None and port is None:
            url = os.environ.get("CANDLECAST_URL")
        self.url = url or f"http://{host or 'localhost'}:{port or 8080}"
        token = token if token is not None else os.environ.get("CANDLECAST_TOKEN")
        self.auto_reconnect = auto_reconnect
        self.symbols = [canonical(s) for s in symbols]
        self.timeframe = timeframe
        self.timeout = timeout
        self.callbacks: List[Callable[[dict], None]] = []
        #: ``listener(state, detail)`` for each connection state change (registered at ``start_background``)
        self.state_callbacks: List[Callable[[str, dict], None]] = []
        self.latest_data: Dict[str, dict] = {}
        self.message_queue: "queue.Queue[dict]" = queue.Queue(maxsize=QUEUE_SIZE)
        self._lock = threading.Lock()
        self._token, self._owner, self._options = token, owner, client_options
        self._thread = LoopThread("candlecast-ws")
        self.client: Optional[Client] = None

    # ---- the seed's API
    def start_background(self) -> "WebSocketClient":
        """Connect and subscribe in a background thread; returns at once (``is_connected()`` tells when live)."""
        if self._thread.running:
            return self
        self._thread.start()

        async def setup() -> None:
            self.client = Client(self.url, self._token, self._owner, reconnect=self.auto_reconnect, **self._options)
            for listener in self.state_callbacks:
                self.client.on_state(listener)
            for s in self.symbols:
                self.client._spawn(self._follow(self.client.ticker(s, on_item=self._on_item)))
                if self.timeframe:
                    self.client._spawn(self._follow(self.client.candles(s, self.timeframe, on_item=self._on_item)))
        self._thread.run(setup(), self.timeout)
        return self

    async def _follow(self, subscribing) -> None:
        try:
            await subscribing
        except Exception as e:
            log.warning("candlecast: subscription failed: %s", e)

    def stop(self) -> None:
        """Close the connection and end the background thread."""
        if not self._thread.running:
            return
        if self.client is not None:
            try:
                self._thread.run(self.client.close(), self.timeout)
            except Exception as e:
                log.warning("candlecast: close failed: %s", e)
        self._thread.stop()

    def is_connected(self) -> bool:
        return self.client is not None and self.client.is_connected()

    @property
    def state(self) -> str:
        return self.client.state if self.client is not None else "idle"

    def get_latest_price(self, symbol: str) -> Optional[float]:
        with self._lock:
            data = self.latest_data.get(canonical(symbol))
            return None if data is None else data.get("price")

    def get_latest_data(self) -> Dict[str, dict]:
        with self._lock:
            return {k: dict(v) for k, v in self.latest_data.items()}

    # the seed's Streamlit wrapper names
    get_price = get_latest_price
    get_all_prices = get_latest_data

    # ---- more streams and calls (blocking; not from a callback)
    def subscribe_candles(self, symbol: str, tf: str, callback: Optional[Callable] = None, **kw):
        return self._subscribe("candles", callback, symbol, tf, **kw)

    def subscribe_trades(self, symbol: str, callback: Optional[Callable] = None, **kw):
        return self._subscribe("trades", callback, symbol, **kw)

    def subscribe_ticker(self, symbol: str, callback: Optional[Callable] = None):
        return self._subscribe("ticker", callback, symbol)

    def subscribe_book(self, symbol: str, depth: int = 10, callback: Optional[Callable] = None):
        return self._subscribe("book", callback, symbol, depth)

    def subscribe_indicator(self, symbol: str, tf: str, name: str, params: Optional[dict] = None,
                            callback: Optional[Callable] = None):
        return self._subscribe("indicator", callback, symbol, tf, name, params)

    def subscribe_alerts(self, since: Optional[int] = None, callback: Optional[Callable] = None):
        return self._subscribe("alerts", callback, since)

    def _subscribe(self, kind: str, callback: Optional[Callable], *args, **kw):
        """Subscribe; every item (typed model or Snapshot) goes to ``callback`` (on the client's thread) after the
        latest data and ``callbacks`` were updated. Returns the Subscription (``unsubscribe(sub)`` ends it)."""
        def on_item(item):
            self._on_item(item)
            if callback is not None:
                callback(item)
        return self.call(getattr(self.client, kind)(*args, on_item=on_item, **kw))

    def unsubscribe(self, subscription) -> None:
        self.call(subscription.close())

    def request(self, command: dict) -> dict:
        return self.call(self.client.request(command))

    def call(self, coro):
        """Run a coroutine of the asyncio ``Client`` (``client.history_batch(...)``, ``client.create_alert(...)``)
        on the background loop and return its result."""
        if self.client is None:
            raise RuntimeError("start_background() first")
        return self._thread.run(coro, self.timeout)

    # ---- items → latest data, queue, callbacks
    def _on_item(self, item: Any) -> None:
        data = _as_data(item)
        if data is None:
            return
        with self._lock:
            merged = self.latest_data.setdefault(data["symbol"], {"symbol": data["symbol"]})
            merged.update(data)
        try:
            self.message_queue.put_nowait(data)
        except queue.Full:
            try:
                self.message_queue.get_nowait()
            except queue.Empty:
                pass
            self.message_queue.put_nowait(data)
        for cb in list(self.callbacks):
            try:
                cb(data)
            except Exception:
                log.exception("candlecast: callback failed")


def _as_data(item: Any) -> Optional[dict]:
    if isinstance(item, Ticker):
        return {"type": "ticker", "symbol": item.symbol, "price": item.last, "change": item.change,
                "change_pct": item.change_pct, "high": item.high, "low": item.low, "volume": item.volume,
                "time": item.time, "data": item}
    if isinstance(item, Candle):
        return {"type": "candle", "symbol": item.symbol, "price": item.close, "time": item.t, "data": item}
    if isinstance(item, Trade):
        return {"type": "trade", "symbol": item.symbol, "price": item.price, "time": item.t, "data": item}
    if isinstance(item, Book):
        return {"type": "book", "symbol": item.symbol, "bid": item.bids[0][0] if item.bids else None,
                "ask": item.asks[0][0] if item.asks else None, "data": item}
    if isinstance(item, Snapshot) and item.items and isinstance(item.items[-1], (Candle, Trade)):
        last = _as_data(item.items[-1])
        return dict(last, type="snapshot", data=item)
    return None
