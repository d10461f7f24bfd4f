"""Typed models of what the server sends (docs/CLIENTS.md, "Typed models"). Unknown fields are ignored."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from .errors import BAD_RESPONSE, CandlecastError


def _num(d: dict, k: str) -> float:
    v = d[k]
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise CandlecastError(BAD_RESPONSE, f"'{k}' is not a number: {v!r}")
    return float(v)


def _opt_num(d: dict, k: str) -> Optional[float]:
    v = d.get(k)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise CandlecastError(BAD_RESPONSE, f"'{k}' is not a number: {v!r}")
    return float(v)


def _int(d: dict, k: str) -> int:
    v = d[k]
    if isinstance(v, bool) or not isinstance(v, int):
        raise CandlecastError(BAD_RESPONSE, f"'{k}' is not an integer: {v!r}")
    return v


def _parsing(kind: str, d: Any, build):
    if not isinstance(d, dict):
        raise CandlecastError(BAD_RESPONSE, f"{kind} is not a JSON object: {d!r:.200}")
    try:
        return build(d)
    except KeyError as e:
        raise CandlecastError(BAD_RESPONSE, f"{kind} without {e}: {d!r:.200}") from None


@dataclass(slots=True)
class Candle:
    """One OHLCV window. ``t`` is the open time in epoch ms; ``time`` the same in seconds."""
    symbol: str
    tf: str
    t: int
    open: float
    high: float
    low: float
    close: float
    volume: float
    trades: int
    closed: bool
    partial: bool = False
    src: str = "trades"

    @property
    def time(self) -> int:
        return self.t // 1000

    @staticmethod
    def from_frame(d: dict, symbol: Optional[str] = None, tf: Optional[str] = None) -> "Candle":
        """From a JSON-protocol ``candle`` frame or snapshot/history element (``open … closed``)."""
        return _parsing("candle", d, lambda d: Candle(
            d["symbol"] if symbol is None else symbol, d["tf"] if tf is None else tf, _int(d, "t"),
            _num(d, "open"), _num(d, "high"), _num(d, "low"), _num(d, "close"), _num(d, "volume"),
            _int(d, "trades"), d["closed"] is True, d.get("partial") is True, d.get("src") or "trades"))

    @staticmethod
    def from_rest(d: dict) -> "Candle":
        """From REST's candle JSON (``o h l c v n x``)."""
        return _parsing("candle", d, lambda d: Candle(
            d["symbol"], d["tf"], _int(d, "t"), _num(d, "o"), _num(d, "h"), _num(d, "l"), _num(d, "c"),
            _num(d, "v"), _int(d, "n"), d["x"] is True, d.get("partial") is True, d.get("src") or "trades"))


@dataclass(slots=True)
class CandleGap:
    """A candles ``gap`` notice: the closed windows with open time ``from_`` ≤ t < ``to`` will not come."""
    symbol: str
    tf: str
    from_: int
    to: int

    @staticmethod
    def from_json(d: dict) -> "CandleGap":
        """Raises ``bad_response`` for a missing or non-integer bound, ``from`` ≥ ``to`` or a missing ``tf``."""
        def build(d):
            gap = CandleGap(str(d["symbol"]), d["tf"], d["from"], d["to"])
            if not isinstance(gap.tf, str):
                raise CandlecastError(BAD_RESPONSE, f"candles gap: 'tf' is not a string: {gap.tf!r}")
            for k, v in (("from", gap.from_), ("to", gap.to)):
                if type(v) is not int:
                    raise CandlecastError(BAD_RESPONSE, f"candles gap: '{k}' is not an integer: {v!r}")
            if gap.from_ >= gap.to:
                raise CandlecastError(BAD_RESPONSE, f"candles gap: 'from' ({gap.from_}) is not before 'to' ({gap.to})")
            return gap
        return _parsing("candles gap", d, build)


@dataclass(slots=True)
class Trade:
    symbol: str
    id: int
    t: int
    price: float
    amount: float
    side: str

    @staticmethod
    def from_json(d: dict, symbol: str) -> "Trade":
        return _parsing("trade", d, lambda d: Trade(symbol, _int(d, "id"), _int(d, "t"), _num(d, "p"),
                                                   _num(d, "q"), str(d["side"])))


@dataclass(slots=True)
class Ticker:
    symbol: str
    last: float
    open24h: float
    change: float
    change_pct: float
    high: Optional[float]
    low: Optional[float]
    volume: float
    trades: int
    time: int
    bid: Optional[float] = None
    ask: Optional[float] = None
    spread: Optional[float] = None

    @staticmethod
    def from_json(d: dict) -> "Ticker":
        return _parsing("ticker", d, lambda d: Ticker(
            d["symbol"], _num(d, "last"), _num(d, "open24h"), _num(d, "change"), _num(d, "changePct"),
            _opt_num(d, "high"), _opt_num(d, "low"), _num(d, "volume"), _int(d, "trades"), _int(d, "time"),
            _opt_num(d, "bid"), _opt_num(d, "ask"), _opt_num(d, "spread")))


@dataclass(slots=True)
class Book:
    """The whole book at the subscribed depth (never a diff): replace what you show."""
    symbol: str
    depth: int
    seq: int
    time: int
    bids: List[Tuple[float, float]]
    asks: List[Tuple[float, float]]

    @staticmethod
    def from_json(d: dict) -> "Book":
        def levels(v):
            return [(float(p), float(q)) for p, q in v]
        return _parsing("book", d, lambda d: Book(d["symbol"], int(d.get("depth") or len(d["bids"])),
                                                 _int(d, "seq"), _int(d, "time"), levels(d["bids"]),
                                                 levels(d["asks"])))


_POINT_META = frozenset(("type", "symbol", "tf", "key", "t", "closed", "id", "channel", "name"))


@dataclass(slots=True)
class IndicatorPoint:
    """An indicator, risk or pattern point; ``values`` its numeric fields, ``raw`` the point as sent."""
    symbol: str
    tf: str
    key: str
    t: int
    closed: bool
    values: Dict[str, float]
    raw: dict = field(repr=False, default_factory=dict)

    @staticmethod
    def from_json(d: dict, symbol: str, tf: str, key: str) -> "IndicatorPoint":
        def build(d):
            values = {k: float(v) for k, v in d.items()
                      if k not in _POINT_META and isinstance(v, (int, float)) and not isinstance(v, bool)}
            return IndicatorPoint(symbol, tf, key, _int(d, "t"), d.get("closed") is True, values, d)
        return _parsing("indicator point", d, build)


@dataclass(slots=True)
class AlertFire:
    fire: str
    alert: str
    owner: str
    symbol: str
    kind: str
    value: Optional[float]
    threshold: Optional[float]
    fired_at: int
    recorded_at: int
    trade: Optional[dict]
    raw: dict = field(repr=False, default_factory=dict)

    @staticmethod
    def from_json(d: dict) -> "AlertFire":
        return _parsing("alert fire", d, lambda d: AlertFire(
            str(d["fire"]), str(d["alert"]), str(d.get("owner", "")), str(d["symbol"]), str(d["kind"]),
            _opt_num(d, "value"), _opt_num(d, "threshold"), _int(d, "firedAt"), _int(d, "recordedAt"),
            d.get("trade"), d))


@dataclass(slots=True)
class Notice:
    id: str
    text: str
    level: str
    link: Optional[str]
    symbol: Optional[str]
    time: int

    @staticmethod
    def from_json(d: dict) -> "Notice":
        return _parsing("notice", d, lambda d: Notice(str(d["id"]), str(d["text"]), str(d.get("level", "info")),
                                                     d.get("link"), d.get("symbol"), _int(d, "time")))


@dataclass(slots=True)
class Portfolio:
    """An owner's live valuation (``positions`` and ``totals`` as the server computes them)."""
    owner: str
    time: int
    positions: List[dict]
    totals: dict
    raw: dict = field(repr=False, default_factory=dict)

    @staticmethod
    def from_json(d: dict) -> "Portfolio":
        return _parsing("portfolio", d, lambda d: Portfolio(str(d["owner"]), _int(d, "time"), list(d["positions"]),
                                                           dict(d["totals"]), d))


@dataclass(slots=True)
class Snapshot:
    """The start of a stream (``recovered`` None) or, after a reconnect the server could not bridge
    (``recovered`` False), a fresh start: replace what you hold with ``items``."""
    channel: str
    symbol: Optional[str]
    tf: Optional[str]
    recovered: Optional[bool]
    items: list
    key: Optional[str] = None
    fields: Optional[List[str]] = None

    def __repr__(self) -> str:
        last = f", last={self.items[-1]!r}" if self.items else ""
        return (f"Snapshot(channel={self.channel!r}, symbol={self.symbol!r}, tf={self.tf!r}, "
                f"recovered={self.recovered!r}, items={len(self.items)}{last})")

    @property
    def candles(self) -> list:
        return self.items

    @property
    def trades(self) -> list:
        return self.items

    @property
    def points(self) -> list:
        return self.items
