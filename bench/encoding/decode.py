"""Python client decode time per update frame (issue 20): JSON vs binary, with timeit.

What the client does per frame: ``json.loads`` (JSON) or ``decode_binary_frame`` (binary), then the model(s) the
subscription emits (``Candle.from_frame``, ``Trade.from_json`` per trade, ``Book.from_json``). The frames are the
server's own (``EncodingSizes`` writes them, the JS benchmark ``decode.mjs`` reads the same file)::

    /usr/bin/python3 bench/encoding/decode.py <frames.json from EncodingSizes> [frames per measurement, default 20000]

Per cell: the best of 7 timeit repeats, in process CPU time (``time.process_time``) and in wall time
(``time.perf_counter``): on a shared machine the minimum is the cost without the other processes' interference.
"""
from __future__ import annotations

import base64
import json
import os
import struct
import sys
import time
import timeit

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "clients", "python", "src"))

from candlecast import Book, Candle, Trade, decode_binary_frame  # noqa: E402

REPEATS = 7


def model(f: dict):
    t = f["type"]
    if t == "candle":
        return Candle.from_frame(f)
    if t == "trades":
        symbol = f["symbol"]
        return [Trade.from_json(x, symbol) for x in f["trades"]]
    return Book.from_json(f)


_CANDLE, _TRADE, _BOOK = struct.Struct("<q5dqIB"), struct.Struct("<qqddB"), struct.Struct("<HqqHH")
SIDES = ("buy", "sell")


def straight(b: bytes):
    """For comparison only (the client does not do this): the bytes read straight into the models, without the
    JSON-shaped dict and without the models' field checks; no error handling."""
    p = 3 + b[2]
    symbol = b[3:p].decode()
    if b[0] == 1:
        q = p + 1 + b[p]
        tf = b[p + 1:q].decode()
        t, o, h, lo, c, v, n, _, flags = _CANDLE.unpack_from(b, q)
        q += _CANDLE.size
        src = b[q + 1:q + 1 + b[q]].decode()
        return Candle(symbol, tf, t, o, h, lo, c, v, n, (flags & 1) != 0, (flags & 2) != 0, src or "trades")
    if b[0] == 2:
        n = int.from_bytes(b[p:p + 2], "little")
        return [Trade(symbol, i, t, price, q, SIDES[side])
                for i, t, price, q, side in _TRADE.iter_unpack(b[p + 2:p + 2 + 33 * n])]
    depth, seq, t, nb, na = _BOOK.unpack_from(b, p)
    x = iter(struct.unpack_from(f"<{2 * (nb + na)}d", b, p + _BOOK.size))
    levels = list(zip(x, x))
    return Book(symbol, depth, seq, t, levels[:nb], levels[nb:])


def per_frame_ns(fn, n: int, timer) -> float:
    return min(timeit.repeat(fn, number=n, repeat=REPEATS, timer=timer)) / n * 1e9


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as fh:
        frames = json.load(fh)
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
    loads = json.loads
    print(f"({n} frames x {REPEATS} repeats per cell, Python {sys.version.split()[0]}; ns per frame; "
          f"model = parse + the subscription's model(s), parse = json.loads / decode_binary_frame only, "
          f"straight = binary read straight into models, not what the client does)")
    print("frame     model_cpu_json  model_cpu_bin  ratio  parse_cpu_json  parse_cpu_bin  ratio  "
          "model_wall_json  model_wall_bin  ratio  straight_cpu  ratio")
    for kind, f in frames.items():
        text, raw = f["json"], base64.b64decode(f["binary"])
        if not model(loads(text)) == model(decode_binary_frame(raw)) == straight(raw):
            raise SystemExit(f"{kind}: the two encodings give different models")
        cells = []
        for jf, bf, timer in ((lambda: model(loads(text)), lambda: model(decode_binary_frame(raw)), time.process_time),
                              (lambda: loads(text), lambda: decode_binary_frame(raw), time.process_time),
                              (lambda: model(loads(text)), lambda: model(decode_binary_frame(raw)), time.perf_counter)):
            j, b = per_frame_ns(jf, n, timer), per_frame_ns(bf, n, timer)
            cells.append(f"{j:16.0f}{b:15.0f}{b / j:7.3f}")
        js = per_frame_ns(lambda: model(loads(text)), n, time.process_time)
        st = per_frame_ns(lambda: straight(raw), n, time.process_time)
        cells.append(f"{st:14.0f}{st / js:7.3f}")
        print(f"{kind:<9}" + "".join(cells))

if __name__ == "__main__":
    main()
