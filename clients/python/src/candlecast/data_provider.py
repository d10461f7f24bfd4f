"""History with the seed provider's API: ``get_data``/``get_batch_data`` (REST) and ``get_data_socket``/
``get_batch_data_socket`` (the JSON protocol's ``history_batch`` over ``/ws``), same parameters and callbacks.
DataFrames (DatetimeIndex ``Date`` in UTC; ``Open High Low Close Volume``) when pandas is installed, else lists of
dicts with the same keys."""
from __future__ import annotations

import datetime as _dt
import logging
import os
from typing import Any, Callable, Dict, Iterable, List, Optional

from .client import Client
from .enums import DataPeriod, DataResolution
from .errors import CandlecastError
from .loop_thread import LoopThread
from .models import Candle
from .rest import Rest, TimeLike
from .urls import derive

log = logging.getLogger("candlecast")

try:
    import pandas as _pd
except ImportError:  # pandas is optional
    _pd = None

COLUMNS = ("Open", "High", "Low", "Close", "Volume")


def _label(value: Any) -> Optional[str]:
    """DataResolution/DataPeriod members, their names (``"DAY_01"``, ``"DataPeriod.YEAR_01"``) or labels."""
    if value is None:
        return None
    if isinstance(value, (DataResolution, DataPeriod)):
        return value.value
    text = str(value)
    name = text.split(".", 1)[1] if text.startswith(("DataResolution.", "DataPeriod.")) else text
    for enum in (DataResolution, DataPeriod):
        if name.upper() in enum.__members__:
            return enum[name.upper()].value
    return text


def to_frame(candles: List[Candle], use_pandas: bool = True):
    """Candles → DataFrame (or a list of row dicts without pandas)."""
    if _pd is not None and use_pandas:
        index = _pd.DatetimeIndex(_pd.to_datetime([c.t for c in candles], unit="ms", utc=True), name="Date")
        return _pd.DataFrame({"Open": [c.open for c in candles], "High": [c.high for c in candles],
                              "Low": [c.low for c in candles], "Close": [c.close for c in candles],
                              "Volume": [c.volume for c in candles]}, index=index)
    return [{"Date": _dt.datetime.fromtimestamp(c.t / 1000, _dt.timezone.utc), "Open": c.open, "High": c.high,
             "Low": c.low, "Close": c.close, "Volume": c.volume} for c in candles]


def _iso(t: int) -> str:
    return _dt.datetime.fromtimestamp(t / 1000, _dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class DataProvider:
    """``DataProvider(url=None, token=None)``; the seed's ``DataProviderLocal()`` as well. Without arguments the
    node is ``$CANDLECAST_URL`` (else ``http://localhost:8080``) and the token ``$CANDLECAST_TOKEN``, so the seed's
    code runs unchanged."""

    def __init__(self, url: Optional[str] = None, token: Any = None, *, owner: Optional[str] = None,
                 use_pandas: bool = True, timeout: float = 600.0) -> None:
        url = url or os.environ.get("CANDLECAST_URL") or "http://localhost:8080"
        token = token if token is not None else os.environ.get("CANDLECAST_TOKEN")
        self.url = url
        self.rest = Rest(derive(url)[1], token, owner)
        self._token, self._owner = token, owner
        self.use_pandas = use_pandas
        self.timeout = timeout
        self._thread: Optional[LoopThread] = None
        self._client: Optional[Client] = None

    # ---- REST
    def get_data(self, ticker: str, resolution: Any = DataResolution.DAY_01, period: Any = None,
                 time_start: TimeLike = None, time_end: TimeLike = None, limit: Optional[int] = None,
                 local_only: bool = True, callback: Optional[Callable[[dict], None]] = None,
                 error_callback: Optional[Callable[[dict], None]] = None):
        """One ticker's bars (``BTC-USD`` or ``BTCUSD``), oldest first; None (and ``error_callback``) on error."""
        try:
            candles = self.rest.candles(ticker, _label(resolution), from_=time_start, to=time_end, limit=limit,
                                        period=_label(period) or "max", local_only=local_only)
        except CandlecastError as e:
            return self._failed(ticker, e, error_callback)
        return self._answer(ticker, _label(resolution), candles, callback)

    def get_batch_data(self, tickers: Iterable[str], resolution: Any = DataResolution.DAY_01, period: Any = None,
                       time_start: TimeLike = None, time_end: TimeLike = None, limit: Optional[int] = None,
                       local_only: bool = True, progress_callback: Optional[Callable[[dict], None]] = None,
                       error_callback: Optional[Callable[[dict], None]] = None) -> Dict[str, Any]:
        """ticker → frame for every ticker that answered (the others go to ``error_callback``)."""
        tickers = list(tickers)
        out: Dict[str, Any] = {}
        for i, ticker in enumerate(tickers, 1):
            if progress_callback:
                progress_callback({"ticker": ticker, "progress": f"{i}/{len(tickers)}", "index": i,
                                   "total": len(tickers)})
            frame = self.get_data(ticker, resolution, period, time_start, time_end, limit, local_only,
                                  error_callback=error_callback)
            if frame is not None:
                out[ticker] = frame
        return out

    # ---- WebSocket (history_batch)
    def _connect_socket(self) -> None:
        """Open the WebSocket once for several ``*_socket`` calls with ``auto_disconnect=False``."""
        if self._client is not None:
            return
        self._thread = LoopThread("candlecast-history")
        self._thread.start()

        async def connect() -> Client:
            client = Client(self.url, self._token, self._owner)
            await client.connect()
            return client
        try:
            self._client = self._thread.run(connect(), 60)
        except Exception:
            self._thread.stop()
            self._thread = None
            raise

    def _disconnect_socket(self) -> None:
        if self._client is not None:
            try:
                self._thread.run(self._client.close(), 30)
            finally:
                self._client = None
                self._thread.stop()
                self._thread = None

    def get_data_socket(self, ticker: str, resolution: Any = DataResolution.DAY_01, period: Any = None,
                        time_start: TimeLike = None, time_end: TimeLike = None, limit: Optional[int] = None,
                        local_only: bool = True, callback: Optional[Callable[[dict], None]] = None,
                        error_callback: Optional[Callable[[dict], None]] = None, auto_disconnect: bool = True):
        res = self._batch([ticker], resolution, period, time_start, time_end, limit, local_only, None,
                          error_callback, auto_disconnect)
        if res is None or ticker not in res:
            return None
        return self._answer(ticker, _label(resolution), res[ticker], callback)

    def get_batch_data_socket(self, tickers: Iterable[str], resolution: Any = DataResolution.DAY_01,
                              period: Any = None, limit: Optional[int] = None, local_only: bool = True,
                              progress_callback: Optional[Callable[[dict], None]] = None,
                              error_callback: Optional[Callable[[dict], None]] = None, auto_disconnect: bool = True,
                              time_start: TimeLike = None, time_end: TimeLike = None) -> Dict[str, Any]:
        res = self._batch(list(tickers), resolution, period, time_start, time_end, limit, local_only,
                          progress_callback, error_callback, auto_disconnect)
        return {t: to_frame(c, self.use_pandas) for t, c in (res or {}).items()}

    def _batch(self, tickers, resolution, period, time_start, time_end, limit, local_only, progress_callback,
               error_callback, auto_disconnect) -> Optional[Dict[str, List[Candle]]]:
        def progress(f: dict) -> None:
            if progress_callback:
                progress_callback({"ticker": f["symbol"], "progress": f.get("progress"),
                                   "index": int(str(f.get("progress", "0/0")).split("/")[0]), "total": len(tickers)})
        try:
            self._connect_socket()
            res = self._thread.run(self._client.history_batch(
                tickers, _label(resolution), period=_label(period) or "max", from_=time_start, to=time_end,
                limit=limit, local_only=local_only, on_progress=progress), self.timeout)
        except CandlecastError as e:
            self._failed(",".join(tickers), e, error_callback)
            return None
        finally:
            if auto_disconnect:
                self._disconnect_socket()
        out = {}
        for ticker, r in res.items():
            if isinstance(r, CandlecastError):
                self._failed(ticker, r, error_callback)
            else:
                out[ticker] = r
        return out

    # ---- shared
    def _answer(self, ticker: str, resolution: str, candles: List[Candle], callback):
        if callback:
            callback({"ticker": ticker, "resolution": resolution, "rows": len(candles),
                      "start_date": _iso(candles[0].t) if candles else None,
                      "end_date": _iso(candles[-1].t) if candles else None})
        return to_frame(candles, self.use_pandas)

    def _failed(self, ticker: str, err: CandlecastError, error_callback):
        log.warning("candlecast: %s: %s", ticker, err)
        if error_callback:
            error_callback({"ticker": ticker, "error": err.message or err.code, "code": err.code,
                            "status": err.status})
        return None


DataProviderLocal = DataProvider
