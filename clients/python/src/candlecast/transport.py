"""The WebSocket itself: the handshake (JWT header, refusals as CandlecastError) and the keep-alive."""
from __future__ import annotations

import asyncio
import logging
from typing import Callable, Optional

import websockets
from websockets.exceptions import InvalidHandshake, InvalidStatusCode

from .errors import CandlecastError, code_for_status

log = logging.getLogger("candlecast")


async def open_socket(url: str, token: Optional[str], open_timeout: float):
    """Connect to ``url``; a refused handshake raises its status' code (401 ``unauthorized``…), a network failure
    ``connection_failed``."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        return await websockets.connect(url, extra_headers=headers, open_timeout=open_timeout, ping_interval=None,
                                        compression=None, max_size=2 ** 24, max_queue=None, close_timeout=2)
    except InvalidStatusCode as e:
        raise CandlecastError(code_for_status(e.status_code), f"handshake refused with {e.status_code}",
                              status=e.status_code) from None
    except (OSError, asyncio.TimeoutError, InvalidHandshake) as e:
        raise CandlecastError("connection_failed", f"{url}: {e or type(e).__name__}") from None


async def keepalive(ws, last_frame: Callable[[], float], ping_interval: float, idle_timeout: float) -> None:
    """A ``{"type":"ping"}`` every ``ping_interval``; two pings without any frame since, or ``idle_timeout`` without
    a frame, drop the connection (checked every min(ping_interval, 5 s))."""
    loop = asyncio.get_running_loop()
    unanswered, pinged = 0, loop.time()
    while True:
        await asyncio.sleep(min(ping_interval, 5.0))
        now = loop.time()
        if last_frame() > pinged:
            unanswered = 0
        quiet = now - last_frame()
        if unanswered >= 2 or quiet > idle_timeout:
            log.warning("candlecast: no frame for %.1f s: dropping the connection", quiet)
            ws.transport.abort()
            return
        if now - pinged >= ping_interval:
            pinged = now
            unanswered += 1
            await ws.send('{"type":"ping"}')
