"""Reads the binary update frames of ``/ws?encoding=binary`` (issue 20; layout in docs/PROTOCOL.md "Binary encoding").

A candle, trades or book frame becomes the dict ``json.loads`` gives for the JSON frame of the same update, so both
encodings share one code path and yield the same models. A truncated frame, trailing bytes, an unknown kind or layout
version, a side other than 0/1 or a string that is not UTF-8 raise a ``bad_response`` CandlecastError.
"""
from __future__ import annotations

import struct
from typing import List, Union

from .errors import BAD_RESPONSE, CandlecastError

CANDLE, TRADES, BOOK = 1, 2, 3
VERSION = 1

_HEAD = struct.Struct("<BB")              # kind, version
_CANDLE = struct.Struct("<q5dqIB")        # t, open high low close volume, trades, window seconds, flags
_U16 = struct.Struct("<H")
_TRADE = struct.Struct("<qqddB")          # id, t, p, q, side: 33 bytes, no padding
_BOOK = struct.Struct("<HqqHH")           # depth, seq, time, bid count, ask count
_SIDES = ("buy", "sell")

Bytes = Union[bytes, bytearray, memoryview]


class _Truncated(Exception):
    pass


def decode_binary_frame(data: Bytes) -> dict:
    """The JSON frame (as a dict) a binary update frame stands for; ``bad_response`` if it cannot be read."""
    b = bytes(data)
    size = len(b)
    try:
        if size < 2:
            raise _Truncated()
        kind, version = _HEAD.unpack_from(b, 0)
        if version != VERSION:
            raise _bad(f"binary frame of layout version {version}, expected {VERSION}")
        if kind == CANDLE:
            f, pos = _candle(b, 2)
        elif kind == TRADES:
            f, pos = _trades(b, 2)
        elif kind == BOOK:
            f, pos = _book(b, 2)
        else:
            raise _bad(f"binary frame of unknown kind {kind}")
    except (_Truncated, struct.error):
        raise _bad(f"truncated binary frame ({size} bytes)") from None
    if pos != size:
        raise _bad(f"{size - pos} bytes after a binary frame of {size}")
    return f


def _bad(message: str) -> CandlecastError:
    return CandlecastError(BAD_RESPONSE, message)


def _str(b: bytes, pos: int):
    """A ``u8`` length and that many bytes of UTF-8; (string, position after it)."""
    if pos >= len(b):
        raise _Truncated()
    end = pos + 1 + b[pos]
    if end > len(b):
        raise _Truncated()
    try:
        return b[pos + 1:end].decode("utf-8"), end
    except UnicodeDecodeError:
        raise _bad("binary frame with a string that is not UTF-8") from None


def _candle(b: bytes, pos: int):
    symbol, pos = _str(b, pos)
    tf, pos = _str(b, pos)
    t, o, h, lo, c, v, n, window, flags = _CANDLE.unpack_from(b, pos)
    src, pos = _str(b, pos + _CANDLE.size)
    f = {"type": "candle", "symbol": symbol, "tf": tf, "t": t, "open": o, "high": h, "low": lo, "close": c,
         "volume": v, "trades": n, "unix_timestamp": t // 1000, "time_window_seconds": window,
         "closed": (flags & 1) != 0}
    if flags & 2:
        f["partial"] = True
    if src:
        f["src"] = src
    return f, pos


def _trades(b: bytes, pos: int):
    symbol, pos = _str(b, pos)
    (n,) = _U16.unpack_from(b, pos)
    pos += 2
    end = pos + _TRADE.size * n
    if end > len(b):
        raise _bad(f"truncated binary trades frame: {n} trades announced")
    out: List[dict] = []
    for i, t, p, q, side in _TRADE.iter_unpack(b[pos:end]):
        if side > 1:
            raise _bad(f"binary trade with side {side}")
        out.append({"id": i, "t": t, "p": p, "q": q, "side": _SIDES[side]})
    return {"type": "trades", "symbol": symbol, "trades": out}, end


def _book(b: bytes, pos: int):
    symbol, pos = _str(b, pos)
    depth, seq, time, nb, na = _BOOK.unpack_from(b, pos)
    pos += _BOOK.size
    end = pos + 16 * (nb + na)
    if end > len(b):
        raise _bad(f"truncated binary book frame: {nb + na} levels announced")
    x = struct.unpack_from(f"<{2 * (nb + na)}d", b, pos)
    bids = [[x[k], x[k + 1]] for k in range(0, 2 * nb, 2)]
    asks = [[x[k], x[k + 1]] for k in range(2 * nb, 2 * (nb + na), 2)]
    return {"type": "book", "symbol": symbol, "depth": depth, "seq": seq, "time": time, "bids": bids,
            "asks": asks}, end
