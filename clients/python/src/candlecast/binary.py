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

_CANDLE = struct.Struct("<q5dqIB")        # t, open high low close volume, trades, window seconds, flags
_U16 = struct.Struct("<H")
_TRADE = struct.Struct("<qqddB")          # id, t, p, q, side: 33 bytes, no padding
_BOOK = struct.Struct("<HqqHH")           # depth, seq, time, bid count, ask count
_SIDES = ("buy", "sell")

Bytes = Union[bytes, bytearray, memoryview]


def decode_binary_frame(data: Bytes) -> dict:
    """The JSON frame (as a dict) a binary update frame stands for; ``bad_response`` if it cannot be read.

    The readers index and slice the bytes directly (no reader object, strings inline): a past-the-end read raises
    IndexError or struct.error, and every string's end is checked before it is decoded.
    """
    b = data if type(data) is bytes else bytes(data)
    size = len(b)
    try:
        if size < 2:
            raise IndexError()
        kind, version = b[0], b[1]
        if version != VERSION:
            raise _bad(f"binary frame of layout version {version}, expected {VERSION}")
        if kind == CANDLE:
            f, pos = _candle(b, size)
        elif kind == TRADES:
            f, pos = _trades(b, size)
        elif kind == BOOK:
            f, pos = _book(b, size)
        else:
            raise _bad(f"binary frame of unknown kind {kind}")
    except (IndexError, struct.error):
        raise _bad(f"truncated binary frame ({size} bytes)") from None
    except UnicodeDecodeError:
        raise _bad("binary frame with a string that is not UTF-8") from None
    if pos != size:
        raise _bad(f"{size - pos} bytes after a binary frame of {size}")
    return f


def _bad(message: str) -> CandlecastError:
    return CandlecastError(BAD_RESPONSE, message)


def _candle(b: bytes, size: int):
    p = 3 + b[2]
    if p > size:
        raise IndexError()
    symbol = b[3:p].decode()
    q = p + 1 + b[p]
    if q > size:
        raise IndexError()
    tf = b[p + 1:q].decode()
    t, o, h, lo, c, v, n, window, flags = _CANDLE.unpack_from(b, q)
    q += _CANDLE.size
    end = q + 1 + b[q]
    if end > size:
        raise IndexError()
    f = {"type": "candle", "symbol": symbol, "tf": tf, "t": t, "open": o, "high": h, "low": lo, "close": c,
         "volume": v, "trades": n, "unix_timestamp": t // 1000, "time_window_seconds": window,
         "closed": (flags & 1) != 0}
    if flags & 2:
        f["partial"] = True
    if end > q + 1:
        f["src"] = b[q + 1:end].decode()
    return f, end


def _trades(b: bytes, size: int):
    p = 3 + b[2]
    if p > size:
        raise IndexError()
    symbol = b[3:p].decode()
    (n,) = _U16.unpack_from(b, p)
    p += 2
    end = p + _TRADE.size * n
    if end > size:
        raise _bad(f"truncated binary trades frame: {n} trades announced")
    out: List[dict] = []
    for i, t, price, q, side in _TRADE.iter_unpack(b[p:end]):
        if side > 1:
            raise _bad(f"binary trade with side {side}")
        out.append({"id": i, "t": t, "p": price, "q": q, "side": _SIDES[side]})
    return {"type": "trades", "symbol": symbol, "trades": out}, end


def _book(b: bytes, size: int):
    p = 3 + b[2]
    if p > size:
        raise IndexError()
    symbol = b[3:p].decode()
    depth, seq, time, nb, na = _BOOK.unpack_from(b, p)
    p += _BOOK.size
    end = p + 16 * (nb + na)
    if end > size:
        raise _bad(f"truncated binary book frame: {nb + na} levels announced")
    x = iter(struct.unpack_from(f"<{2 * (nb + na)}d", b, p))
    levels = [[price, amount] for price, amount in zip(x, x)]
    return {"type": "book", "symbol": symbol, "depth": depth, "seq": seq, "time": time, "bids": levels[:nb],
            "asks": levels[nb:]}, end
