"""The blaster: a loopback WebSocket server speaking Candlecast's JSON protocol on /ws, as fast as the socket takes it.

On connect it sends the connection frame; a candle `subscribe` gets the ack and an empty snapshot (both with the
command's id), then `candle` frames shaped exactly like the gateway's (docs/PROTOCOL.md, "Raw WebSocket /ws"):
1 s windows, UTC-aligned open times, `per_window` updates per window with the trade count rising 1, 2, ... and the
last update of each window closed. The frames are encoded once (JSON and WebSocket framing) and written in chunks
of whole frames, so the blaster's cost per frame is a share of a sendall. `{"type":"ping"}` gets its pong (the
clients' liveness check), control pings their pong, `unsubscribe` its reply.

Standalone: /usr/bin/python3 bench/clients/harness/blaster.py --port 9000 [--frames 220000]
"""
import argparse
import copy
import json
import random
import socket
import sys
import threading
import time

import wsproto

CHUNK_BYTES = 256 * 1024


class CandleStream:
    """Candle update frames of one series; deterministic for a seed. next_frames(n) continues where it stopped."""

    def __init__(self, symbol="BTCUSD", tf="1s", per_window=10, start_t=1700000000000, seed=18):
        self.symbol, self.tf, self.per_window = symbol, tf, per_window
        self.rnd = random.Random(seed)
        self.t, self.i = start_t, 0
        self.open = self.high = self.low = self.close = 37000.5
        self.volume = 0.0

    def next_frames(self, n):
        out = []
        for _ in range(n):
            out.append(self._next())
        return out

    def _next(self):
        if self.i == 0:
            self.open = self.high = self.low = self.close
            self.volume = 0.0
        self.close = round(self.close + self.rnd.choice((-0.5, -0.25, 0.25, 0.5)), 2)
        self.high, self.low = max(self.high, self.close), min(self.low, self.close)
        self.volume = round(self.volume + self.rnd.randint(1, 200) / 1000.0, 3)
        self.i += 1
        closed = self.i == self.per_window
        frame = candle_frame(self.symbol, self.tf, self.t, self.open, self.high, self.low, self.close,
                             self.volume, self.i, closed)
        if closed:
            self.i = 0
            self.t += 1000
        return frame


def candle_frame(symbol, tf, t, o, h, l, c, v, n, closed):
    """One update frame, field for field in the gateway's order (floats as Java prints them: 37001.0, 0.52)."""
    return ('{"type":"candle","symbol":"%s","tf":"%s","t":%d,"open":%r,"high":%r,"low":%r,"close":%r,'
            '"volume":%r,"trades":%d,"unix_timestamp":%d,"time_window_seconds":1,"closed":%s}'
            % (symbol, tf, t, float(o), float(h), float(l), float(c), float(v), n, t // 1000,
               "true" if closed else "false"))


def chunk_frames(frames):
    """Whole WebSocket frames packed into chunks of about CHUNK_BYTES."""
    chunks, buf, size = [], [], 0
    for f in frames:
        b = wsproto.encode_frame(f.encode("utf-8"))
        buf.append(b)
        size += len(b)
        if size >= CHUNK_BYTES:
            chunks.append(b"".join(buf))
            buf, size = [], 0
    if buf:
        chunks.append(b"".join(buf))
    return chunks


def reply_frames(cmd):
    """The JSON frames answering one client command (a dict); [] for commands that get no answer."""
    kind = cmd.get("type")
    ident = {"id": cmd["id"]} if "id" in cmd else {}
    if kind == "ping":
        return [dict({"type": "pong", "timestamp": int(time.time() * 1000)}, **ident)]
    if kind == "heartbeat":
        return [{"type": "heartbeat", "status": "ack", "timestamp": int(time.time() * 1000)}]
    if kind == "subscribe" and cmd.get("channel", "candles") == "candles":
        symbol, tf = str(cmd.get("symbol", "")).upper().replace("-", ""), cmd.get("tf", "1m")
        return [dict({"type": "subscription", "status": "subscribed", "symbol": symbol, "tf": tf}, **ident),
                dict({"type": "snapshot", "symbol": symbol, "tf": tf, "time_window_seconds": 1}, **ident,
                     candles=[])]
    if kind == "unsubscribe":
        reply = {"type": "subscription", "status": "unsubscribed"}
        reply.update({k: cmd[k] for k in ("channel", "symbol", "tf", "all") if k in cmd})
        return [dict(reply, **ident)]
    return [dict({"type": "error", "code": "unknown_command",
                  "message": "the blaster serves candle subscriptions only, not %r" % kind}, **ident)]


class Blaster:
    def __init__(self, host="127.0.0.1", port=0, prebuilt_frames=220_000, log=None):
        self.prebuilt_frames = prebuilt_frames
        self.log = log or (lambda msg: print(msg, file=sys.stderr))
        self.server = socket.create_server((host, port), reuse_port=False)
        self.port = self.server.getsockname()[1]
        self._chunks, self._chunks_lock, self._continuation = None, threading.Lock(), None
        self._closed = False
        self.connections = []

    def start(self):
        threading.Thread(target=self._accept_loop, name="blaster-accept", daemon=True).start()
        return self

    def close(self):
        self._closed = True
        self.server.close()
        for conn in list(self.connections):
            conn.stop()

    def prebuilt(self):
        """The first prebuilt_frames frames as chunks, encoded once for every connection."""
        with self._chunks_lock:
            if self._chunks is None:
                t0 = time.time()
                stream = CandleStream()
                self._chunks = chunk_frames(stream.next_frames(self.prebuilt_frames))
                self._continuation = stream
                self.log("blaster: %d frames encoded in %.2f s" % (self.prebuilt_frames, time.time() - t0))
            return self._chunks

    def continuation(self):
        """A stream positioned after the prebuilt frames (each connection continues its own copy)."""
        self.prebuilt()
        return copy.deepcopy(self._continuation)

    def _accept_loop(self):
        while not self._closed:
            try:
                sock, _ = self.server.accept()
            except OSError:
                return
            conn = Connection(self, sock)
            self.connections.append(conn)
            threading.Thread(target=conn.run, name="blaster-conn", daemon=True).start()


class Connection:
    def __init__(self, blaster, sock):
        self.blaster, self.sock = blaster, sock
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.write_lock = threading.Lock()
        self.stopped = threading.Event()
        self.sender = None
        self.frames_sent = 0
        self.buf = b""

    def stop(self):
        self.stopped.set()
        try:
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes a sender blocked in sendall (close alone does not)
        except OSError:
            pass
        try:
            self.sock.close()
        except OSError:
            pass

    def read_exact(self, n):
        while len(self.buf) < n:
            data = self.sock.recv(65536)
            if not data:
                raise EOFError
            self.buf += data
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def send(self, data):
        with self.write_lock:
            self.sock.sendall(data)

    def send_json(self, obj):
        self.send(wsproto.encode_frame(json.dumps(obj, separators=(",", ":")).encode("utf-8")))

    def run(self):
        try:
            if not self._handshake():
                return
            self.send_json({"type": "connection", "status": "connected", "timestamp": int(time.time() * 1000)})
            self._read_loop()
        except (EOFError, OSError, wsproto.ProtocolError):
            pass
        finally:
            self.stop()

    def _handshake(self):
        while b"\r\n\r\n" not in self.buf:
            data = self.sock.recv(65536)
            if not data:
                return False
            self.buf += data
        head, _, self.buf = self.buf.partition(b"\r\n\r\n")
        _, path, headers = wsproto.parse_request(head)
        try:
            if not path.startswith("/ws"):
                raise wsproto.ProtocolError("only /ws is served")
            self.send(wsproto.handshake_response(headers))
            return True
        except wsproto.ProtocolError as e:
            body = str(e).encode()
            self.send(b"HTTP/1.1 404 Not Found\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body))
            return False

    def _read_loop(self):
        parts = []
        while not self.stopped.is_set():
            fin, opcode, payload = wsproto.read_frame(self.read_exact)
            if opcode == wsproto.CLOSE:
                self.stopped.set()  # the sender stops after its chunk; a client that no longer reads gets a reset
                if self.write_lock.acquire(timeout=2):
                    try:
                        self.sock.sendall(wsproto.encode_frame(payload[:2], wsproto.CLOSE))
                    finally:
                        self.write_lock.release()
                self.stop()
                return
            if opcode == wsproto.PING:
                self.send(wsproto.encode_frame(payload, wsproto.PONG))
                continue
            if opcode in (wsproto.TEXT, wsproto.CONTINUATION):
                parts.append(payload)
                if fin:
                    self._command(b"".join(parts))
                    parts = []

    def _command(self, text):
        try:
            cmd = json.loads(text)
        except ValueError:
            self.send_json({"type": "error", "code": "bad_json", "message": "not JSON"})
            return
        if not isinstance(cmd, dict):
            self.send_json({"type": "error", "code": "bad_json", "message": "not a JSON object"})
            return
        for reply in reply_frames(cmd):
            self.send_json(reply)
        if cmd.get("type") == "subscribe" and cmd.get("channel", "candles") == "candles" and self.sender is None:
            self.sender = threading.Thread(target=self._blast, name="blaster-send", daemon=True)
            self.sender.start()
        elif cmd.get("type") == "unsubscribe":
            self.stopped.set()

    def _blast(self):
        chunks = self.blaster.prebuilt()
        per_chunk = max(1, self.blaster.prebuilt_frames // max(1, len(chunks)))
        stream = self.blaster.continuation()
        try:
            for chunk in chunks:
                if self.stopped.is_set():
                    return
                self.send(chunk)
                self.frames_sent += per_chunk
            while not self.stopped.is_set():
                for chunk in chunk_frames(stream.next_frames(1000)):
                    self.send(chunk)
                self.frames_sent += 1000
        except OSError:
            self.stopped.set()


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, default=9000)
    p.add_argument("--frames", type=int, default=220_000, help="frames encoded in advance")
    a = p.parse_args(argv)
    b = Blaster(port=a.port, prebuilt_frames=a.frames).start()
    b.prebuilt()
    print("blaster on ws://127.0.0.1:%d/ws" % b.port, file=sys.stderr)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        b.close()


if __name__ == "__main__":
    main()
