"""Python client decode time per update frame (issue 20): JSON vs binary, with timeit.

What the client does per frame: ``json.loads`` (JSON) or ``decode_binary_frame`` (binary), then the model(s) the
subscription emits (``Candle.from_frame``, ``Trade.from_json`` per trade, ``Book.from_json``). The frames are the
server's own (``EncodingSizes`` writes them, the JS benchmark ``decode.mjs`` reads the same file)::

    /usr/bin/python3 bench/encoding/decode.py <frames.json from EncodingSizes> [frames per measurement, default 20000]

Per cell: the best of 7 timeit repeats (wall, ``time.perf_counter``) and the best of 7 in process CPU time
(``time.process_time``): on a shared machine the minimum is the cost without the other processes' interference.
"""
from __future__ import annotations

import base64
import json
import os
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


def per_frame_ns(fn, n: int, timer) -> float:
    return min(timeit.repeat(fn, number=n, repeat=REPEATS, timer=timer)) / n * 1e9


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as fh:
        frames = json.load(fh)
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
    loads = json.loads
    print(f"frame     json_wall_ns  binary_wall_ns  wall_ratio  json_cpu_ns  binary_cpu_ns  cpu_ratio   "
          f"({n} frames x {REPEATS} repeats, Python {sys.version.split()[0]})")
    for kind, f in frames.items():
        text, raw = f["json"], base64.b64decode(f["binary"])
        if model(loads(text)) != model(decode_binary_frame(raw)):
            raise SystemExit(f"{kind}: the two encodings give different models")
        jf = lambda: model(loads(text))                 # noqa: E731
        bf = lambda: model(decode_binary_frame(raw))    # noqa: E731
        jw, bw = per_frame_ns(jf, n, time.perf_counter), per_frame_ns(bf, n, time.perf_counter)
        jc, bc = per_frame_ns(jf, n, time.process_time), per_frame_ns(bf, n, time.process_time)
        print(f"{kind:<9}{jw:13.0f}{bw:16.0f}{bw / jw:12.3f}{jc:13.0f}{bc:15.0f}{bc / jc:11.3f}")


if __name__ == "__main__":
    main()
