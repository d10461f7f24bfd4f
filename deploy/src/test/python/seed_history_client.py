"""A client of the history provider's Socket.IO events, written to the provider's own guide
(WebSocket Guide for Data Provider: get_data_socket / get_batch_data_socket), run against
Candlecast's /socket.io by SeedSocketIoIT.

Usage: seed_history_client.py URL TICKER RESOLUTION PERIOD TIME_START TIME_END LIMIT BATCH_TICKERS

Prints one JSON object: the events received, in order, and the answers.
"""
import json
import sys
import threading

import socketio

try:  # the guide hands users DataFrames; pandas is optional here (Debian's python3-pandas)
    import pandas as pd
except ImportError:  # pragma: no cover
    pd = None


class DataProviderSocket:
    """The guide's client side: one connection, requests answered by events."""

    def __init__(self, url, timeout=30):
        self.url = url
        self.timeout = timeout
        self.sio = socketio.Client(reconnection=False)
        self.events = []
        self._lock = threading.Lock()
        self._waiters = {}
        for name in ("connection_response", "data_response", "data_error", "data_status",
                     "batch_progress", "batch_response", "batch_error"):
            self.sio.on(name, self._recorder(name))

    def _recorder(self, name):
        def on_event(data):
            with self._lock:
                self.events.append({"event": name, "data": data})
                waiter = self._waiters.get(name)
            if waiter is not None:
                waiter.set()
        return on_event

    def _expect(self, *names):
        done = threading.Event()
        with self._lock:
            for name in names:
                self._waiters[name] = done
        return done

    def _last(self, *names):
        with self._lock:
            for e in reversed(self.events):
                if e["event"] in names:
                    return e
        return None

    def _connect_socket(self):
        connected = self._expect("connection_response")
        self.sio.connect(self.url, socketio_path="socket.io", wait_timeout=self.timeout)
        if not connected.wait(self.timeout):
            raise RuntimeError("no connection_response")

    def _disconnect_socket(self):
        self.sio.disconnect()

    def get_data_socket(self, ticker, resolution, period, time_start=None, time_end=None,
                        limit=None, local_only=True):
        done = self._expect("data_response", "data_error")
        self.sio.emit("get_data", {
            "ticker": ticker, "resolution": resolution, "period": period,
            "time_start": time_start, "time_end": time_end, "limit": limit,
            "local_only": local_only})
        if not done.wait(self.timeout):
            raise RuntimeError("Request timeout")
        answer = self._last("data_response", "data_error")
        if answer["event"] == "data_error":
            return None, answer["data"]
        return answer["data"], None

    def get_batch_data_socket(self, tickers, resolution, period, limit=None, local_only=True):
        done = self._expect("batch_response", "batch_error")
        self.sio.emit("get_batch_data", {
            "tickers": tickers, "resolution": resolution, "period": period, "limit": limit,
            "local_only": local_only})
        if not done.wait(self.timeout):
            raise RuntimeError("Request timeout")
        return self._last("batch_response", "batch_error")


def frame(answer):
    """The guide's DataFrame (datetime index), when pandas is there; else the row count."""
    if pd is None:
        return {"pandas": False, "rows": len(answer["data"])}
    df = pd.DataFrame(answer["data"])
    df["Date"] = pd.to_datetime(df["Date"])
    df = df.set_index("Date")
    return {"pandas": True, "rows": len(df), "columns": list(df.columns),
            "last_close": float(df["Close"].iloc[-1]) if len(df) else None}


def main(argv):
    url, ticker, resolution, period, time_start, time_end, limit, batch = argv[1:9]
    provider = DataProviderSocket(url)
    provider._connect_socket()
    transport = provider.sio.transport()
    try:
        data, error = provider.get_data_socket(
            ticker=ticker, resolution=resolution, period=period, time_start=time_start,
            time_end=time_end, limit=int(limit), local_only=True)
        bad, bad_error = provider.get_data_socket(
            ticker="NOT_A-TICKER", resolution=resolution, period=period)
        batch_answer = provider.get_batch_data_socket(
            tickers=batch.split(","), resolution=resolution, period=period, limit=int(limit))
    finally:
        provider._disconnect_socket()
    out = {
        "events": [e["event"] for e in provider.events],
        "connection_response": provider.events[0]["data"],
        "data_response": data,
        "data_error_for_bad_ticker": bad_error,
        "frame": frame(data) if data else None,
        "batch_progress": [e["data"] for e in provider.events if e["event"] == "batch_progress"],
        "batch_answer": batch_answer,
        "transport": transport,
    }
    print(json.dumps(out))
    return 0 if error is None and bad is None else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
