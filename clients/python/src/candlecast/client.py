"""The asyncio client: one WebSocket to ``/ws`` (JSON protocol), reconnect with jittered back-off, subscriptions
restored and resumed after every reconnect, requests matched by id, history over REST and ``history_batch``."""
from __future__ import annotations

import asyncio
import itertools
import json
import logging
from typing import Any, Callable, Dict, List, Optional

from websockets.exceptions import ConnectionClosed

from .errors import BAD_RESPONSE, CLOSED, CONNECTION_LOST, FORBIDDEN, TIMEOUT, UNAUTHORIZED, CandlecastError
from .models import Notice
from .rest import Rest, TokenSource, resolve_token
from .api import ClientApi, History
from .binary import decode_binary_frame
from .resume import Backoff
from .channels import live_route
from .streams import Subscription
from .transport import keepalive, open_socket
from .urls import derive, with_encoding, with_owner

log = logging.getLogger("candlecast")

IDLE, CONNECTING, CONNECTED, RECONNECTING = "idle", "connecting", "connected", "reconnecting"
CLOSED_STATE = "closed"
SERVICE_RESTART = 1012
RATE_LIMITED = "rate_limited"
RATE_LIMIT_RETRIES = 5
ENCODINGS = ("json", "binary")


class Client(ClientApi):
    """``Client(url, token=None, owner=None, …)``; ``await client.candles("BTCUSD", "1m")`` → an async iterator.

    ``token``: a JWT or a function returning one (called on every connect). ``encoding``: ``"json"`` (the default)
    or ``"binary"`` (candle, trades and book updates as compact binary frames, read into the same models; replies
    stay JSON); anything else raises ValueError. States: ``connecting`` →
    ``connected`` → (``reconnecting`` → ``connected``)* → ``closed``; ``connected`` means the socket is open and
    every subscription restored.
    """

    def __init__(self, url: str = "http://localhost:8080", token: TokenSource = None, owner: Optional[str] = None,
                 *, reconnect: bool = True, backoff_initial: float = 0.5, backoff_max: float = 15.0,
                 request_timeout: float = 10.0, ping_interval: float = 15.0, idle_timeout: float = 35.0,
                 open_timeout: float = 10.0, encoding: str = "json") -> None:
        if encoding not in ENCODINGS:
            raise ValueError(f"unknown encoding {encoding!r}: use 'json' (the default) or 'binary'")
        ws_url, http = derive(url)
        self.ws_url = with_encoding(with_owner(ws_url, owner), encoding)
        #: ``"json"`` or ``"binary"`` (issue 20: candle, trades and book updates as binary frames, same models)
        self.encoding = encoding
        self.token = token
        self.rest = Rest(http, token, owner)
        self.history = History(self.rest)
        self.reconnect = reconnect
        self.backoff = Backoff(backoff_initial, backoff_max)
        self.request_timeout = request_timeout
        self.ping_interval = ping_interval
        self.idle_timeout = idle_timeout
        self.open_timeout = open_timeout
        self.state = IDLE
        self.error: Optional[CandlecastError] = None
        self.connects = 0
        self._state_listeners: List[Callable[[str, dict], None]] = []
        self._notice_listeners: List[Callable[[Notice], None]] = []
        self._subs: Dict[tuple, Subscription] = {}
        self._routes: Dict[tuple, Subscription] = {}
        self._by_id: Dict[str, Callable[[dict], None]] = {}
        self._ids = itertools.count(1)
        self._ws = None
        self._generation = 0
        #: The server's clock (epoch ms) of the current socket's ``connection`` frame; None before it.
        self.server_time_at_connect: Optional[int] = None
        self._runner: Optional[asyncio.Task] = None
        self._open: Optional[asyncio.Event] = None
        self._wake: Optional[asyncio.Event] = None
        self._connected: Optional[asyncio.Event] = None
        self._closed: Optional[asyncio.Event] = None
        self._closing = False
        self._last_frame = 0.0
        self._tasks: set = set()

    # ------------------------------------------------------------------ state
    def on_state(self, listener: Callable[[str, dict], None]) -> Callable[[], None]:
        """``listener(state, detail)`` on every state change; detail: ``attempt``, ``delay``, ``error``."""
        self._state_listeners.append(listener)
        return lambda: self._state_listeners.remove(listener) if listener in self._state_listeners else None

    def on_notice(self, listener: Callable[[Notice], None]) -> Callable[[], None]:
        self._notice_listeners.append(listener)
        return lambda: self._notice_listeners.remove(listener) if listener in self._notice_listeners else None

    def is_connected(self) -> bool:
        return self.state == CONNECTED

    def _set_state(self, state: str, **detail: Any) -> None:
        if state == self.state:
            return
        self.state = state
        if self._connected is not None:
            if state == CONNECTED:
                self._connected.set()
            else:
                self._connected.clear()
            if state == CLOSED_STATE:
                self._closed.set()
        for listener in list(self._state_listeners):
            try:
                listener(state, detail)
            except Exception:
                log.exception("candlecast: state listener failed")

    # ------------------------------------------------------------------ lifecycle
    def _start(self) -> None:
        if self.state == CLOSED_STATE or self._closing:
            raise self.error or CandlecastError(CLOSED, "the client is closed")
        if self._runner is not None:
            return
        self._open, self._wake = asyncio.Event(), asyncio.Event()
        self._connected, self._closed = asyncio.Event(), asyncio.Event()
        self._runner = asyncio.get_running_loop().create_task(self._run())

    async def connect(self) -> None:
        """Connect (also implied by the first subscribe or request); returns once ``connected``. Raises the
        terminal error (``unauthorized``, ``forbidden``) or ``closed``."""
        self._start()
        await _either(self._connected, self._closed, None)
        if self.state != CONNECTED:
            raise self.error or CandlecastError(CLOSED, "the client is closed")

    async def close(self) -> None:
        """Ends the client: no reconnect; pending requests fail with ``closed``; every stream ends."""
        self._closing = True
        if self._wake is not None:
            self._wake.set()
        ws = self._ws
        if ws is not None:
            await ws.close()
        if self._runner is not None:
            await asyncio.gather(self._runner, return_exceptions=True)
        self._finish(None)

    def _finish(self, err: Optional[CandlecastError]) -> None:
        if err is not None and self.error is None:
            self.error = err
        self._fail_requests(err or CandlecastError(CLOSED, "the client is closed"))
        for sub in list(self._subs.values()):
            sub.end(err)
        self._subs.clear()
        self._routes.clear()
        self._closing = True
        self._set_state(CLOSED_STATE, error=err)

    async def __aenter__(self) -> "Client":
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def _run(self) -> None:
        attempt, last_err, first = 0, None, True
        while not self._closing:
            self._set_state(CONNECTING if first else RECONNECTING, attempt=attempt, error=last_err)
            first = False
            reached, code = False, None
            try:
                ws = await self._handshake()
            except CandlecastError as e:
                if e.code in (UNAUTHORIZED, FORBIDDEN) and not callable(self.token):
                    log.warning("candlecast: %s: handshake refused (%s), not retrying with a fixed token", self.ws_url, e)
                    self._finish(e)
                    return
                last_err = e
            else:
                reached, code, last_err = await self._session(ws)
            if self._closing or not self.reconnect:
                break
            if reached:
                attempt = 0
            if code == SERVICE_RESTART:
                delay = self.backoff.restart_delay()
            else:
                delay = self.backoff.delay(attempt)
                attempt += 1
            self._set_state(RECONNECTING, attempt=attempt, delay=delay, error=last_err)
            log.info("candlecast: reconnecting in %.2f s (attempt %d): %s", delay, attempt, last_err)
            try:
                await asyncio.wait_for(self._wake.wait(), delay)
            except asyncio.TimeoutError:
                pass
        self._finish(None if self._closing else last_err)

    async def _handshake(self):
        return await open_socket(self.ws_url, resolve_token(self.token), self.open_timeout)

    async def _session(self, ws):
        """One connection: read frames, keep it alive, restore the subscriptions. Returns (reached connected,
        close code, error)."""
        self._ws = ws
        self._generation += 1
        self.server_time_at_connect = None
        self.connects += 1
        self._open.set()
        loop = asyncio.get_running_loop()
        self._last_frame = loop.time()
        pinger = loop.create_task(keepalive(ws, lambda: self._last_frame, self.ping_interval, self.idle_timeout))
        restorer = loop.create_task(self._restore(ws, self._generation))
        err = None
        try:
            await self._read(ws)
        except ConnectionClosed:
            pass
        except Exception as e:  # a bug in a frame handler must not end the client silently
            log.exception("candlecast: reading frames failed")
            err = CandlecastError(BAD_RESPONSE, str(e))
        finally:
            reached = self.state == CONNECTED
            self._open.clear()
            self._ws = None
            pinger.cancel()
            restorer.cancel()
            await ws.close()
        rcvd = getattr(ws, "close_rcvd", None)
        code = rcvd.code if rcvd is not None else None
        lost = CandlecastError(CONNECTION_LOST, f"connection closed (code {code})")
        self._fail_requests(lost)
        for sub in list(self._subs.values()):
            sub.abort_attempt(lost)           # a subscribe in flight is restored on the next connection
        return reached, code, err or CandlecastError(CONNECTION_LOST, f"connection closed (code {code})")

    async def _read(self, ws) -> None:
        loop = asyncio.get_running_loop()
        by_id, routes, loads = self._by_id, self._routes, json.loads
        binary = self.encoding == "binary"
        async for raw in ws:
            self._last_frame = loop.time()
            if binary and type(raw) is bytes:
                try:
                    f = decode_binary_frame(raw)
                except CandlecastError as e:      # reported and skipped; the connection goes on
                    log.warning("candlecast: ignored a binary frame: %s", e)
                    continue
            else:
                try:
                    f = loads(raw)
                except ValueError:
                    log.warning("candlecast: a frame that is not JSON: %.200s", raw)
                    continue
            if type(f) is not dict:
                continue
            fid = f.get("id")
            if fid is not None:
                handler = by_id.get(fid) if isinstance(fid, str) else None
                if handler is not None:
                    try:
                        handler(f)
                    except CandlecastError as e:
                        log.warning("candlecast: reply %s: %s", fid, e)
                    continue
            route = live_route(f)
            if route is not None:
                sub = routes.get(route)
                if sub is not None:
                    try:
                        sub.on_live(f)
                    except CandlecastError as e:      # a malformed frame: reported, the stream goes on
                        sub.report(e)
                continue
            self._other(f)

    def _other(self, f: dict) -> None:
        t = f.get("type")
        if t == "connection":
            ts = f.get("timestamp")
            self.server_time_at_connect = ts if type(ts) is int else None
        elif t == "notice":
            try:
                notice = Notice.from_json(f)
            except CandlecastError as e:
                log.warning("candlecast: %s", e)
                return
            for listener in list(self._notice_listeners):
                try:
                    listener(notice)
                except Exception:
                    log.exception("candlecast: notice listener failed")
        elif t == "error":
            log.warning("candlecast: server error: %s", f)
        elif t == "gap":
            log.warning("candlecast: ignored a gap notice that names no series: %.200s", json.dumps(f))

    async def _restore(self, ws, generation: int) -> None:
        """(Re)subscribe every subscription not yet subscribed on this connection; then ``connected``."""
        while True:
            pending = [s for s in self._subs.values() if s.generation != generation]
            if not pending:
                break
            results = await asyncio.gather(*(self._subscribe_on(ws, generation, s) for s in pending),
                                           return_exceptions=True)
            for r in results:
                if isinstance(r, CandlecastError) and r.code in (TIMEOUT, CONNECTION_LOST):
                    log.warning("candlecast: restoring subscriptions failed (%s): reconnecting", r)
                    ws.transport.abort()
                    return
        if self._ws is ws:
            self._set_state(CONNECTED, attempt=0)

    async def _subscribe_on(self, ws, generation: int, sub: Subscription) -> None:
        """Send ``sub``'s subscribe command on ``ws`` and wait for its ack (and snapshot). A refusal ends ``sub``;
        ``rate_limited`` (many subscriptions restored at once) is retried after a pause."""
        for retry in itertools.count(1):
            try:
                return await self._subscribe_once(ws, generation, sub)
            except CandlecastError as e:
                if e.code == RATE_LIMITED and retry <= RATE_LIMIT_RETRIES and self._ws is ws:
                    await asyncio.sleep(0.5 * retry)
                    continue
                if e.code not in (CONNECTION_LOST, CLOSED, TIMEOUT):
                    self._drop(sub, e)
                raise

    async def _subscribe_once(self, ws, generation: int, sub: Subscription) -> None:
        sub.generation = generation
        attempt = sub.begin_attempt()
        cmd = sub.subscribe_command()
        rid = self._new_id()
        cmd["id"] = rid
        self._by_id[rid] = sub.on_reply
        stale = getattr(sub, "_rid", None)
        if stale is not None:
            self._by_id.pop(stale, None)
        sub._rid = rid
        try:
            await ws.send(json.dumps(cmd))
            await asyncio.wait_for(asyncio.shield(attempt), self.request_timeout)
        except asyncio.TimeoutError:
            raise CandlecastError(TIMEOUT, f"no answer to {cmd} in {self.request_timeout} s") from None
        except ConnectionClosed:
            raise CandlecastError(CONNECTION_LOST, f"connection closed while subscribing {sub.key}") from None

    def _drop(self, sub: Subscription, err: Optional[CandlecastError]) -> None:
        if self._subs.get(sub.key) is sub:
            del self._subs[sub.key]
        if sub.route is not None and self._routes.get(sub.route) is sub:
            del self._routes[sub.route]
        rid = getattr(sub, "_rid", None)
        if rid is not None:
            self._by_id.pop(rid, None)
        sub.end(err)

    def _route(self, sub: Subscription, route: tuple) -> None:
        if sub.route is not None and self._routes.get(sub.route) is sub:
            del self._routes[sub.route]
        sub.route = route
        self._routes[route] = sub

    def _resubscribe(self, sub: Subscription) -> None:
        """Unsubscribe and subscribe again on the same connection (a gap notice: resume with since)."""
        ws, generation = self._ws, self._generation

        async def again():
            try:
                await self.request(sub.unsubscribe_command())
            except CandlecastError as e:
                if e.code != "not_subscribed":
                    log.warning("candlecast: unsubscribe for a resync failed: %s", e)
            if self._ws is ws and sub.key in self._subs:
                try:
                    await self._subscribe_on(ws, generation, sub)
                except CandlecastError as e:
                    log.warning("candlecast: resubscribe of %s failed: %s", sub.key, e)
                    if e.code == TIMEOUT and self._ws is ws:
                        ws.transport.abort()      # the next connection restores it (with since)
        self._spawn(again())

    def _spawn(self, coro) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # ------------------------------------------------------------------ requests
    def _new_id(self) -> str:
        return f"c{next(self._ids)}"

    def _fail_requests(self, err: CandlecastError) -> None:
        for rid, handler in list(self._by_id.items()):
            fut = getattr(handler, "future", None)
            if fut is not None and not fut.done():
                fut.set_exception(err)
                self._by_id.pop(rid, None)
            elif fut is None:
                self._by_id.pop(rid, None)

    async def _wait_open(self, timeout: float):
        self._start()
        if self.state == CLOSED_STATE:
            raise self.error or CandlecastError(CLOSED, "the client is closed")
        if self._ws is None:
            await _either(self._open, self._closed, timeout)
            if self.state == CLOSED_STATE:
                raise self.error or CandlecastError(CLOSED, "the client is closed")
            if self._ws is None:
                raise CandlecastError(TIMEOUT, f"not connected within {timeout} s")
        return self._ws

    async def request(self, command: dict, timeout: Optional[float] = None) -> dict:
        """Send any JSON command (an ``id`` is added) and return its reply frame; an error frame raises."""
        timeout = self.request_timeout if timeout is None else timeout
        ws = await self._wait_open(timeout)
        rid = self._new_id()
        fut = asyncio.get_running_loop().create_future()

        def handler(f: dict) -> None:
            if not fut.done():
                if f.get("type") == "error":
                    fut.set_exception(CandlecastError.from_frame(f))
                else:
                    fut.set_result(f)
        handler.future = fut
        self._by_id[rid] = handler
        try:
            await ws.send(json.dumps(dict(command, id=rid)))
            return await asyncio.wait_for(fut, timeout)
        except asyncio.TimeoutError:
            raise CandlecastError(TIMEOUT, f"no reply to {command.get('type')} in {timeout} s") from None
        except ConnectionClosed:
            raise CandlecastError(CONNECTION_LOST, "connection closed while sending") from None
        finally:
            self._by_id.pop(rid, None)

    # ------------------------------------------------------------------ subscriptions
    async def _add(self, sub: Subscription) -> Subscription:
        if sub.key in self._subs:
            raise CandlecastError("already_subscribed", f"already subscribed to {sub.key}")
        self._start()
        self._subs[sub.key] = sub
        if sub.route is not None:
            self._routes[sub.route] = sub
        ws, generation = self._ws, self._generation
        if ws is not None and self.state == CONNECTED and sub.generation != generation:
            try:
                await self._subscribe_on(ws, generation, sub)
            except CandlecastError as e:
                if e.code not in (CONNECTION_LOST, TIMEOUT):
                    raise
                if e.code == TIMEOUT:
                    self._drop(sub, e)
                    raise
        await sub.ready()
        return sub

    async def _unsubscribe(self, sub: Subscription) -> None:
        if self._subs.get(sub.key) is not sub:
            sub.end(None)
            return
        self._drop(sub, None)
        if self._ws is not None:
            try:
                await self.request(sub.unsubscribe_command())
            except CandlecastError as e:
                if e.code not in ("not_subscribed", CONNECTION_LOST, CLOSED, TIMEOUT):
                    raise

async def _either(a: asyncio.Event, b: asyncio.Event, timeout: Optional[float]) -> None:
    """Until one of two events is set (or the timeout passed)."""
    waits = {asyncio.ensure_future(a.wait()), asyncio.ensure_future(b.wait())}
    try:
        await asyncio.wait(waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for w in waits:
            w.cancel()
