"""Errors: one exception type whose ``code`` is the server's code verbatim, or a client-side one."""
from __future__ import annotations

import json
from typing import Any, Optional

#: Client-side codes (docs/CLIENTS.md, "Requests and errors").
TIMEOUT = "timeout"
CONNECTION_LOST = "connection_lost"
CLOSED = "closed"
UNAUTHORIZED = "unauthorized"
FORBIDDEN = "forbidden"
BAD_RESPONSE = "bad_response"

_STATUS_CODES = {
    400: "bad_request",
    401: UNAUTHORIZED,
    403: FORBIDDEN,
    404: "not_found",
    410: "gone",
    429: "rate_limited",
    503: "unavailable",
}


class CandlecastError(Exception):
    """A server error (``code`` as the server sent it) or a client-side one.

    ``status`` is the HTTP status for REST errors and refused handshakes, else None; ``frame`` the server's
    error frame (JSON protocol) when there was one.
    """

    def __init__(self, code: str, message: str = "", status: Optional[int] = None,
                 frame: Optional[dict] = None) -> None:
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code
        self.message = message
        self.status = status
        self.frame = frame

    @classmethod
    def from_frame(cls, frame: dict) -> "CandlecastError":
        code = frame.get("code")
        if not isinstance(code, str):
            return cls(BAD_RESPONSE, f"error frame without a code: {json.dumps(frame)[:200]}", frame=frame)
        status = frame.get("status") if isinstance(frame.get("status"), int) else None
        return cls(code, str(frame.get("message", "")), status=status, frame=frame)


def code_for_status(status: int, text: str = "") -> str:
    """The client code of an HTTP error status (404 naming an unknown symbol is ``unknown_symbol``)."""
    if status == 404 and "unknown symbol" in text.replace("_", " ").lower():
        return "unknown_symbol"
    return _STATUS_CODES.get(status, f"http_{status}")


def http_error(status: int, body: Any) -> CandlecastError:
    """The error of a REST answer: the server's ``error`` text (and ``message`` when given) and the status."""
    text = ""
    if isinstance(body, dict):
        text = str(body.get("error", ""))
        if body.get("message"):
            text = f"{text}: {body['message']}" if text else str(body["message"])
    elif isinstance(body, (str, bytes)):
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    return CandlecastError(code_for_status(status, text), text[:500], status=status)
