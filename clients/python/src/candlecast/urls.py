"""The node's two base URLs from the one the user gives (``http://host:8080``, ``https://…``, ``ws://host:8080/ws``)."""
from __future__ import annotations

from typing import Optional, Tuple
from urllib.parse import quote, urlsplit, urlunsplit


def derive(url: str) -> Tuple[str, str]:
    """(WebSocket URL of ``/ws``, HTTP base URL without a trailing slash)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https", "ws", "wss") or not parts.netloc:
        raise ValueError(f"url must be http(s)://host[:port] or ws(s)://host[:port]/ws, was {url!r}")
    secure = scheme in ("https", "wss")
    path = parts.path.rstrip("/")
    if scheme in ("ws", "wss"):
        base_path = path[:-3] if path.endswith("/ws") else path
        ws_path = path if path.endswith("/ws") else path + "/ws"
    else:
        base_path = path
        ws_path = path + "/ws"
    ws = urlunsplit(("wss" if secure else "ws", parts.netloc, ws_path, "", ""))
    http = urlunsplit(("https" if secure else "http", parts.netloc, base_path, "", ""))
    return ws, http


def with_owner(ws_url: str, owner: Optional[str]) -> str:
    return ws_url if not owner else f"{ws_url}?owner={quote(owner, safe='')}"


def with_encoding(ws_url: str, encoding: str) -> str:
    """The ``encoding`` query parameter of issue 20; none for ``json`` (the server's default)."""
    if encoding == "json":
        return ws_url
    return f"{ws_url}{'&' if '?' in ws_url else '?'}encoding={quote(encoding, safe='')}"
