"""REST (``/api``) with the token, errors as CandlecastError; blocking (urllib), the asyncio API runs it in a
worker thread."""
from __future__ import annotations

import datetime as _dt
import json
import urllib.error
import urllib.request
from typing import Any, Callable, Dict, List, Optional, Union
from urllib.parse import urlencode

from .errors import BAD_RESPONSE, CandlecastError, http_error
from .models import Candle, Trade

TokenSource = Union[None, str, Callable[[], Optional[str]]]
TimeLike = Union[None, int, float, str, _dt.date, _dt.datetime]

#: Candles per REST page when a query needs several (the gateway's default ``max-limit``).
PAGE_LIMIT = 5000


def resolve_token(token: TokenSource) -> Optional[str]:
    return token() if callable(token) else token


def time_param(value: TimeLike) -> Optional[str]:
    """epoch ms (int), ``datetime`` (naive = UTC), ``date`` (the whole day on the server's side) or a string as is."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"not a time: {value!r}")
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.timezone.utc)
        return str(int(value.timestamp() * 1000))
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return str(int(value))
    return str(value)


class Rest:
    def __init__(self, base_url: str, token: TokenSource = None, owner: Optional[str] = None,
                 timeout: float = 30.0) -> None:
        self.base_url = base_url
        self.token = token
        self.owner = owner
        self.timeout = timeout

    def request(self, method: str, path: str, params: Optional[Dict[str, Any]] = None,
                body: Any = None) -> Any:
        """``method`` ``/api/…`` (or any path of the node) → the decoded JSON answer; errors raise."""
        url = self.base_url + path
        query = {k: v for k, v in (params or {}).items() if v is not None}
        if query:
            url += ("&" if "?" in url else "?") + urlencode(query)
        headers = {"Accept": "application/json"}
        token = resolve_token(self.token)
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if self.owner:
            headers["X-Candlecast-Owner"] = self.owner
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                raw = resp.read()
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                detail = json.loads(raw)
            except ValueError:
                detail = raw
            raise http_error(e.code, detail) from None
        except (urllib.error.URLError, OSError) as e:
            raise CandlecastError("connection_failed", f"{method} {path}: {e}") from None
        try:
            return json.loads(raw) if raw else None
        except ValueError:
            raise CandlecastError(BAD_RESPONSE, f"{method} {path}: not JSON: {raw[:200]!r}") from None

    def get(self, path: str, **params: Any) -> Any:
        return self.request("GET", path, params)

    def candles(self, symbol: str, tf: str, from_: TimeLike = None, to: TimeLike = None,
                limit: Optional[int] = None, period: Optional[str] = None,
                local_only: Optional[bool] = None) -> List[Candle]:
        """Oldest first; follows the ``next`` cursors while the range (``from_``/``period``) or ``limit`` asks for
        more than one page. Without ``from_``, ``period`` and ``limit``: the newest page (500 by default)."""
        params = {"symbol": symbol, "tf": tf, "meta": "true", "from": time_param(from_), "to": time_param(to),
                  "period": _label(period), "limit": min(limit, PAGE_LIMIT) if limit else None,
                  "local_only": None if local_only is None else str(bool(local_only)).lower()}
        bounded = from_ is not None or period is not None or limit is not None
        pages: List[List[Candle]] = []
        total = 0
        answer = self.get("/api/candles", **params)
        while True:
            if not isinstance(answer, dict) or not isinstance(answer.get("candles"), list):
                raise CandlecastError(BAD_RESPONSE, f"/api/candles answered {str(answer)[:200]}")
            page = [Candle.from_rest(c) for c in answer["candles"]]
            pages.append(page)
            total += len(page)
            nxt = answer.get("next")
            if not nxt or not bounded or not page or (limit is not None and total >= limit):
                break
            answer = self.get("/api/candles", cursor=nxt, meta="true")
        out = [c for page in reversed(pages) for c in page]
        return out[-limit:] if limit is not None and len(out) > limit else out

    def trades(self, symbol: str, limit: Optional[int] = None, since: Optional[int] = None,
               from_: TimeLike = None) -> List[Trade]:
        """``GET /api/trades``: the newest ``limit`` (``from_``: with t ≥ from) or, with ``since``, the first
        ``limit`` trades after that trade id."""
        answer = self.get("/api/trades", symbol=symbol, limit=limit, since=since, **{"from": time_param(from_)})
        if not isinstance(answer, list):
            raise CandlecastError(BAD_RESPONSE, f"/api/trades answered {str(answer)[:200]}")
        canonical = symbol.upper().replace("-", "")
        return [Trade.from_json(t, canonical) for t in answer]


def _label(value: Any) -> Optional[str]:
    """Enums (DataPeriod, DataResolution) by value, anything else as is."""
    if value is None:
        return None
    return str(getattr(value, "value", value))
