import asyncio
import json
import os
import re

import websockets

import blaster
from conftest import REPO


def protocol_example():
    """The candle update frame of docs/PROTOCOL.md ("Raw WebSocket /ws"): the shape the blaster must copy."""
    doc = open(os.path.join(REPO, "docs", "PROTOCOL.md")).read()
    block = re.search(r'```json\n(\{"type":"candle".*?)\n```', doc, re.S).group(1)
    return json.loads(block.replace("\n", ""))


def test_frames_have_the_gateways_fields_in_its_order_and_types():
    example = protocol_example()
    for text in blaster.CandleStream().next_frames(25):
        frame = json.loads(text)
        assert list(frame) == list(example)
        assert {k: type(v) for k, v in frame.items()} == {k: type(v) for k, v in example.items()}


def test_windows_are_1s_with_rising_trades_and_one_closed_update_each():
    frames = [json.loads(f) for f in blaster.CandleStream(per_window=10).next_frames(1000)]
    for i, f in enumerate(frames):
        assert f["t"] == 1700000000000 + (i // 10) * 1000
        assert f["unix_timestamp"] == f["t"] // 1000
        assert f["trades"] == i % 10 + 1
        assert f["closed"] == (i % 10 == 9)
        assert f["low"] <= min(f["open"], f["close"]) and f["high"] >= max(f["open"], f["close"])


def test_a_stream_continues_where_it_stopped():
    whole = blaster.CandleStream().next_frames(300)
    s = blaster.CandleStream()
    assert s.next_frames(120) + s.next_frames(180) == whole


def test_chunks_hold_whole_frames_in_order():
    frames = blaster.CandleStream().next_frames(3000)
    chunks = blaster.chunk_frames(frames)
    assert len(chunks) > 1
    joined = b"".join(chunks)
    assert joined == b"".join(blaster.wsproto.encode_frame(f.encode()) for f in frames)


def test_replies_echo_the_id_and_refuse_what_is_not_served():
    ack, snap = blaster.reply_frames({"type": "subscribe", "symbol": "btc-usd", "tf": "1s", "id": "c1"})
    assert ack == {"type": "subscription", "status": "subscribed", "symbol": "BTCUSD", "tf": "1s", "id": "c1"}
    assert snap["type"] == "snapshot" and snap["candles"] == [] and snap["id"] == "c1"
    err = blaster.reply_frames({"type": "subscribe", "channel": "trades", "symbol": "BTCUSD", "id": 4})[0]
    assert err["type"] == "error" and err["code"] == "unknown_command" and err["id"] == 4


def test_a_client_gets_the_protocol_then_a_flood_of_candles_and_its_pongs():
    b = blaster.Blaster(prebuilt_frames=3000, log=lambda m: None).start()

    async def client():
        ws = await websockets.connect("ws://127.0.0.1:%d/ws" % b.port, max_size=None, open_timeout=30)
        try:
            assert json.loads(await ws.recv())["type"] == "connection"
            await ws.send("not json")
            assert json.loads(await ws.recv())["code"] == "bad_json"
            await ws.send(json.dumps({"type": "subscribe", "symbol": "BTCUSD", "tf": "1s", "id": 7}))
            assert json.loads(await ws.recv())["status"] == "subscribed"
            assert json.loads(await ws.recv())["candles"] == []
            await ws.send(json.dumps({"type": "ping", "id": "p1"}))
            candles, pong = [], None
            while len(candles) < 5000 or pong is None:  # past the prebuilt frames: the stream goes on
                f = json.loads(await ws.recv())
                if f["type"] == "candle":
                    candles.append(f)
                else:
                    pong = f
            return candles, pong
        finally:  # no closing handshake: websockets stops reading while its queue is full, the flood goes on
            ws.transport.abort()

    try:
        candles, pong = asyncio.run(asyncio.wait_for(client(), 60))
    finally:
        b.close()
    assert pong["type"] == "pong" and pong["id"] == "p1"
    assert [c["t"] for c in candles[::10]] == [1700000000000 + 1000 * i for i in range(500)]
    assert [c["trades"] for c in candles] == [i % 10 + 1 for i in range(5000)]
