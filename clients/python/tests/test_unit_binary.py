"""The binary reader (issue 20) against an encoder written here from docs/PROTOCOL.md "Binary encoding": random
candles, trades and books give the same dict and the same models as their JSON frames; every truncation, trailing
bytes, bad tags and garbage raise bad_response; over a socket a bad binary frame is skipped and the stream goes on."""
import asyncio
import base64
import json
import logging
import math
import random
import struct
from pathlib import Path

import pytest

from candlecast import Book, Candle, CandlecastError, Client, Snapshot, Trade, decode_binary_frame
from candlecast.urls import with_encoding, with_owner

# ---------------------------------------------------------------- the test's own encoder (PROTOCOL.md, version 1)


def le(n: int, size: int, signed: bool = False) -> bytes:
    return n.to_bytes(size, "little", signed=signed)


def f64(x: float) -> bytes:
    return struct.pack("<d", x)


def s(text: str) -> bytes:
    raw = text.encode("utf-8")
    assert len(raw) <= 255
    return le(len(raw), 1) + raw


def enc_candle(f: dict) -> bytes:
    flags = (1 if f["closed"] else 0) | (2 if f.get("partial") else 0)
    return (le(1, 1) + le(1, 1) + s(f["symbol"]) + s(f["tf"]) + le(f["t"], 8, True)
            + b"".join(f64(f[k]) for k in ("open", "high", "low", "close", "volume"))
            + le(f["trades"], 8, True) + le(f["time_window_seconds"], 4) + le(flags, 1) + s(f.get("src", "")))


def enc_trades(f: dict) -> bytes:
    out = le(2, 1) + le(1, 1) + s(f["symbol"]) + le(len(f["trades"]), 2)
    for t in f["trades"]:
        out += le(t["id"], 8, True) + le(t["t"], 8, True) + f64(t["p"]) + f64(t["q"])
        out += le({"buy": 0, "sell": 1}[t["side"]], 1)
    return out


def enc_book(f: dict) -> bytes:
    out = (le(3, 1) + le(1, 1) + s(f["symbol"]) + le(f["depth"], 2) + le(f["seq"], 8, True)
           + le(f["time"], 8, True) + le(len(f["bids"]), 2) + le(len(f["asks"]), 2))
    for p, q in f["bids"] + f["asks"]:
        out += f64(p) + f64(q)
    return out


# ---------------------------------------------------------------- random JSON frames, as the server writes them

I64 = (-2 ** 63, 2 ** 63 - 1)


def rnd_double(r: random.Random) -> float:
    """Any finite double (random bits), or a market-like one, or an edge value."""
    pick = r.random()
    if pick < 0.1:
        return r.choice([0.0, -0.0, 5e-324, 1.7976931348623157e308, 1e-8, 0.1, 42.0])
    if pick < 0.5:
        return round(r.uniform(0, 100_000), r.randint(0, 8))
    while True:
        x = struct.unpack("<d", r.getrandbits(64).to_bytes(8, "little"))[0]
        if math.isfinite(x):
            return x


def rnd_text(r: random.Random, n: int) -> str:
    alphabet = "ABCXYZ019-_.:/ éü€日本🙂"
    while True:
        t = "".join(r.choice(alphabet) for _ in range(r.randint(0, n)))
        if len(t.encode("utf-8")) <= 255:
            return t


def rnd_candle(r: random.Random) -> dict:
    t = r.choice([r.randint(*I64), r.randint(0, 4_000_000_000_000), -1, 0, 999, -1001])
    f = {"type": "candle", "symbol": rnd_text(r, 12) or "BTCUSD", "tf": r.choice(["1s", "1m", "1h", "1d", "1w"]),
         "t": t, "open": rnd_double(r), "high": rnd_double(r), "low": rnd_double(r), "close": rnd_double(r),
         "volume": rnd_double(r), "trades": r.randint(*I64), "unix_timestamp": t // 1000,
         "time_window_seconds": r.choice([1, 60, 3600, 86400, 604800, 2 ** 32 - 1]), "closed": r.random() < 0.5}
    if r.random() < 0.3:
        f["partial"] = True
    if r.random() < 0.3:
        f["src"] = rnd_text(r, 60) or "import"
    return f


def rnd_trade(r: random.Random) -> dict:
    return {"id": r.randint(*I64), "t": r.randint(*I64), "p": rnd_double(r), "q": rnd_double(r),
            "side": r.choice(["buy", "sell"])}


def rnd_trades(r: random.Random) -> dict:
    n = r.choice([0, 1, 2, 20, r.randint(0, 300)])
    return {"type": "trades", "symbol": rnd_text(r, 12), "trades": [rnd_trade(r) for _ in range(n)]}


def rnd_book(r: random.Random) -> dict:
    depth = r.choice([1, 10, 100, r.randint(0, 65535)])
    levels = lambda: [[rnd_double(r), rnd_double(r)] for _ in range(r.randint(0, min(depth, 120)))]  # noqa: E731
    return {"type": "book", "symbol": rnd_text(r, 12), "depth": depth, "seq": r.randint(*I64),
            "time": r.randint(*I64), "bids": levels(), "asks": levels()}


def same_bits(a, b) -> bool:
    """Equal, and for floats bit for bit (0.0 and -0.0 differ)."""
    if isinstance(a, float) or isinstance(b, float):
        return type(a) is float and type(b) is float and struct.pack("<d", a) == struct.pack("<d", b)
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_bits(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same_bits(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def via_json(f: dict) -> dict:
    """What the JSON path's reader gets for this frame."""
    return json.loads(json.dumps(f))


# ---------------------------------------------------------------- same dict, same models

def test_random_candles_decode_to_their_json_frame_and_model():
    r = random.Random(2001)
    for _ in range(2000):
        f = rnd_candle(r)
        got = decode_binary_frame(enc_candle(f))
        assert same_bits(got, via_json(f)), (f, got)
        assert Candle.from_frame(got) == Candle.from_frame(via_json(f))


def test_random_trades_frames_decode_to_their_json_frame_and_models():
    r = random.Random(2002)
    for _ in range(400):
        f = rnd_trades(r)
        got = decode_binary_frame(bytearray(enc_trades(f)))       # any bytes-like object
        assert same_bits(got, via_json(f)), f
        want = [Trade.from_json(t, f["symbol"]) for t in via_json(f)["trades"]]
        assert [Trade.from_json(t, got["symbol"]) for t in got["trades"]] == want


def test_random_books_decode_to_their_json_frame_and_model():
    r = random.Random(2003)
    for _ in range(400):
        f = rnd_book(r)
        got = decode_binary_frame(memoryview(enc_book(f)))
        assert same_bits(got, via_json(f)), f
        assert Book.from_json(got) == Book.from_json(via_json(f))


def test_the_servers_own_frames_decode_to_the_servers_json_frames():
    """tests/fixtures/server_frames.json: the gateway's encoders' output for the same updates (written by
    bench/encoding's EncodingSizes); the encoder above produces the same bytes, so it is the server's layout."""
    frames = json.loads((Path(__file__).parent / "fixtures" / "server_frames.json").read_text())
    assert sorted(frames) == ["book10", "book100", "candle", "trades1", "trades20"]
    encode = {"candle": enc_candle, "trades": enc_trades, "book": enc_book}
    for kind, pair in frames.items():
        want, raw = json.loads(pair["json"]), base64.b64decode(pair["binary"])
        got = decode_binary_frame(raw)
        assert got == want and [type(v) for v in got.values()] == [type(v) for v in want.values()], kind
        assert encode[want["type"]](want) == raw, kind


def test_a_realistic_candle_is_the_documented_size():
    f = {"type": "candle", "symbol": "BTCUSD", "tf": "1m", "t": 1765065600000, "open": 89123.45, "high": 89200.0,
         "low": 89001.1, "close": 89150.12, "volume": 12.34567891, "trades": 321, "unix_timestamp": 1765065600,
         "time_window_seconds": 60, "closed": False}
    frame = enc_candle(f)
    assert len(frame) + 2 == 76                                   # PROTOCOL.md: 76 bytes with the WebSocket header
    assert decode_binary_frame(frame) == f


# ---------------------------------------------------------------- malformed frames

def samples():
    r = random.Random(2004)
    c = rnd_candle(r)
    c["src"] = "import"
    t = {"type": "trades", "symbol": "ETHUSD", "trades": [rnd_trade(r) for _ in range(3)]}
    b = {"type": "book", "symbol": "BTCUSD", "depth": 10, "seq": 7, "time": 8, "bids": [[1.0, 2.0]] * 2,
         "asks": [[3.0, 4.0]] * 3}
    return [enc_candle(c), enc_trades(t), enc_book(b)]


def bad(data) -> CandlecastError:
    with pytest.raises(CandlecastError) as e:
        decode_binary_frame(data)
    assert e.value.code == "bad_response"
    return e.value


def test_every_truncation_is_a_bad_response():
    for frame in samples():
        for n in range(len(frame)):
            assert "truncated binary" in bad(frame[:n]).message, (frame[:n], n)


def test_trailing_bytes_are_a_bad_response():
    for frame in samples():
        assert bad(frame + b"\x00").message == f"1 bytes after a binary frame of {len(frame) + 1}"
        assert bad(frame + b"xyz").message.startswith("3 bytes after")


def test_unknown_kind_and_version_and_side_and_utf8_are_bad_responses():
    candle, trades, book = samples()
    assert bad(b"\x04\x01" + candle[2:]).message == "binary frame of unknown kind 4"
    assert bad(b"\x00\x01").message == "binary frame of unknown kind 0"
    assert bad(candle[:1] + b"\x02" + candle[2:]).message == "binary frame of layout version 2, expected 1"
    assert bad(b"\x01\x00").message == "binary frame of layout version 0, expected 1"
    assert bad(trades[:-1] + b"\x02").message == "binary trade with side 2"
    bad_symbol = b"\x03\x01" + b"\x02\xff\xfe" + book[2 + 1 + 6:]
    assert bad(bad_symbol).message == "binary frame with a string that is not UTF-8"


def test_counts_announcing_more_than_the_frame_holds():
    many = b"\x02\x01" + b"\x01A" + le(2, 2) + bytes(33)          # 2 trades announced, 1 present
    assert bad(many).message == "truncated binary trades frame: 2 trades announced"
    book = b"\x03\x01" + b"\x01A" + le(10, 2) + le(1, 8) + le(2, 8) + le(1, 2) + le(1, 2) + bytes(16)
    assert bad(book).message == "truncated binary book frame: 2 levels announced"


def test_garbage_is_a_bad_response_or_a_frame_never_another_exception():
    r = random.Random(2005)
    frames = 0
    valid = samples()
    for i in range(20_000):
        if i % 2:                                                 # random bytes behind a plausible head
            data = bytes([r.randint(0, 4), r.choice([1, 1, 1, r.randint(0, 255)])]) + r.randbytes(r.randint(0, 120))
        else:                                                     # a valid frame with 1-3 random bytes changed
            data = bytearray(r.choice(valid))
            for _ in range(r.randint(1, 3)):
                data[r.randrange(len(data))] = r.randint(0, 255)
            data = bytes(data)
        try:
            f = decode_binary_frame(data)
        except CandlecastError as e:
            assert e.code == "bad_response" and e.message
        else:                                                     # then it re-encodes to the same bytes
            frames += 1
            encode = {"candle": enc_candle, "trades": enc_trades, "book": enc_book}[f["type"]]
            if f["type"] != "candle" or data[-2 - len(f.get("src", "").encode())] < 4:   # flag bits 2-7 unused
                assert encode(f) == data, data
    assert 0 < frames < 20_000


# ---------------------------------------------------------------- the client over a socket

def test_unknown_encoding_is_refused_and_binary_is_asked_in_the_url():
    with pytest.raises(ValueError, match="unknown encoding 'protobuf': use 'json' \\(the default\\) or 'binary'"):
        Client("http://localhost:8080", encoding="protobuf")
    assert Client("http://h:1").ws_url == "ws://h:1/ws"
    assert Client("http://h:1", encoding="json").ws_url == "ws://h:1/ws"
    assert Client("http://h:1", encoding="binary").ws_url == "ws://h:1/ws?encoding=binary"
    assert Client("ws://h:1/ws", owner="a b", encoding="binary").ws_url == "ws://h:1/ws?owner=a%20b&encoding=binary"
    assert with_encoding(with_owner("ws://h/ws", None), "binary") == "ws://h/ws?encoding=binary"


def test_bad_binary_frames_are_logged_and_skipped_and_the_stream_goes_on(caplog):
    import websockets
    live = {"type": "candle", "symbol": "BTCUSD", "tf": "1s", "t": 5000, "open": 1.0, "high": 2.0, "low": 0.5,
            "close": 1.5, "volume": 3.0, "trades": 4, "unix_timestamp": 5, "time_window_seconds": 1,
            "closed": False}
    paths = []

    async def handler(ws, path):
        paths.append(path)
        await ws.send(json.dumps({"type": "connection", "status": "connected", "timestamp": 1,
                                  "encoding": "binary"}))
        async for raw in ws:
            f = json.loads(raw)
            if f.get("type") != "subscribe":
                continue
            await ws.send(json.dumps({"type": "subscription", "status": "subscribed", "symbol": "BTCUSD",
                                      "tf": "1s", "id": f["id"]}))
            await ws.send(json.dumps({"type": "snapshot", "symbol": "BTCUSD", "tf": "1s", "id": f["id"],
                                      "candles": []}))
            good = enc_candle(live)
            for frame in (good[:-3], good + b"\x00", b"\x09\x01", b"\x01\x07" + good[2:]):
                await ws.send(frame)
            await ws.send(good)
            await ws.send(enc_candle(dict(live, trades=5, closed=True)))

    async def main():
        server = await websockets.serve(handler, "127.0.0.1", 0)
        url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
        try:
            async with Client(url, encoding="binary") as c:
                sub = await c.candles("BTCUSD", "1s")
                items = [await sub.get(5) for _ in range(3)]
                assert c.connects == 1 and c.is_connected()
        finally:
            server.close()
            await server.wait_closed()
        return items

    with caplog.at_level(logging.WARNING, logger="candlecast"):
        items = asyncio.run(main())
    assert paths == ["/ws?encoding=binary"]
    assert isinstance(items[0], Snapshot)
    assert items[1:] == [Candle.from_frame(live), Candle.from_frame(dict(live, trades=5, closed=True))]
    skipped = [r.getMessage() for r in caplog.records if "ignored a binary frame" in r.getMessage()]
    assert len(skipped) == 4, skipped
    assert "truncated binary frame" in skipped[0] and "1 bytes after" in skipped[1]
    assert "unknown kind 9" in skipped[2] and "layout version 7" in skipped[3]


def test_the_decode_benchmark_runs_on_the_servers_frames():
    import subprocess
    import sys
    script = Path(__file__).resolve().parents[3] / "bench" / "encoding" / "decode.py"
    out = subprocess.run([sys.executable, str(script), str(Path(__file__).parent / "fixtures" / "server_frames.json"),
                          "20"], capture_output=True, text=True, timeout=120, check=True).stdout.splitlines()
    rows = {line.split()[0]: [float(x) for x in line.split()[1:]] for line in out[2:]}
    assert sorted(rows) == ["book10", "book100", "candle", "trades1", "trades20"]
    assert all(len(r) == 11 and all(x > 0 for x in r) for r in rows.values())
