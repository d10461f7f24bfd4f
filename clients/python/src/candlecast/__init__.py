"""Candlecast client: live market data with reconnect and gap-free resume, history, typed models.

asyncio::

    async with candlecast.Client("http://localhost:8080") as client:
        async for item in await client.candles("BTCUSD", "1m"):
            print(item)

Threads (scripts, Streamlit): ``candlecast.WebSocketClient``; history: ``candlecast.DataProvider``.
"""
from .client import CLOSED_STATE, CONNECTED, CONNECTING, IDLE, RECONNECTING, Client
from .errors import CandlecastError
from .binary import decode_binary_frame
from .models import AlertFire, Book, Candle, IndicatorPoint, Notice, Portfolio, Snapshot, Ticker, Trade
from .streams import Subscription
from .rest import Rest
from .enums import DataPeriod, DataResolution
from .data_provider import DataProvider, DataProviderLocal
from .thread_client import WebSocketClient

__all__ = ["Client", "CandlecastError", "Candle", "Trade", "Ticker", "Book", "IndicatorPoint", "AlertFire",
           "Notice", "Portfolio", "DataProvider", "DataProviderLocal", "DataPeriod", "DataResolution",
           "WebSocketClient", "Snapshot", "Subscription", "Rest", "IDLE", "CONNECTING", "CONNECTED",
           "RECONNECTING", "CLOSED_STATE", "decode_binary_frame"]
__version__ = "0.1.0"
