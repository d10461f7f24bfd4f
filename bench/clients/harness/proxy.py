"""The outage proxy: a loopback TCP proxy between a client and a Candlecast node that can fail like a network.

`cut()` resets every proxied connection (both sides, SO_LINGER 0: the peers see a reset, not a clean close) and
stops listening, so new connections are refused (ECONNREFUSED) until `reopen()` listens again on the same port.
One thread with an epoll selector owns every socket; cut/reopen are requests it carries out (a socket must not be
closed under a thread that is reading it). 1s candles are a few frames a second, far from needing more.
"""
import queue
import selectors
import socket
import struct
import threading
import time


class OutageProxy:
    def __init__(self, target_port, target_host="127.0.0.1", host="127.0.0.1", port=0):
        self.target = (target_host, target_port)
        self.host = host
        self.sel = selectors.DefaultSelector()
        self.peer = {}
        self.accepted = 0
        self.accept_times = []  # epoch ms of every connection let through
        self.requests = queue.Queue()
        self.wake_r, self.wake_w = socket.socketpair()
        self.sel.register(self.wake_r, selectors.EVENT_READ, "wake")
        self.listener = self._listen(port)
        self.port = self.listener.getsockname()[1]
        self.closed = False
        self.thread = threading.Thread(target=self._loop, name="outage-proxy", daemon=True)
        self.thread.start()

    def _listen(self, port):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((self.host, port))
        s.listen(128)
        self.sel.register(s, selectors.EVENT_READ, "listen")
        return s

    def _call(self, fn):
        """Runs fn on the proxy's thread and returns its result."""
        done = queue.Queue()
        self.requests.put((fn, done))
        self.wake_w.send(b"x")
        ok, value = done.get(timeout=10)
        if not ok:
            raise value
        return value

    def cut(self):
        """Refuse new connections and reset every open one; returns how many connections were cut."""
        return self._call(self._cut)

    def reopen(self):
        """Listen again on the same port."""
        return self._call(lambda: setattr(self, "listener", self._listen(self.port)))

    def open_connections(self):
        return self._call(lambda: len(self.peer) // 2)

    def close(self):
        self._call(self._cut)
        self.closed = True
        self.wake_w.send(b"x")

    def _cut(self):
        if self.listener is not None:
            self.sel.unregister(self.listener)
            self.listener.close()
            self.listener = None
        socks = list(self.peer)
        for s in socks:
            self._reset(s)
        return len(socks) // 2

    def _loop(self):
        while not self.closed:
            for key, _ in self.sel.select(timeout=1.0):
                if key.data == "wake":
                    self.wake_r.recv(4096)
                    self._run_requests()
                elif key.data == "listen":
                    self._accept()
                elif key.fileobj in self.peer:
                    self._forward(key.fileobj)

    def _run_requests(self):
        while not self.requests.empty():
            fn, done = self.requests.get()
            try:
                done.put((True, fn()))
            except Exception as e:  # handed back to the caller's thread
                done.put((False, e))

    def _accept(self):
        try:
            client, _ = self.listener.accept()
        except OSError:
            return
        try:
            upstream = socket.create_connection(self.target, timeout=5)
        except OSError:
            _linger0_close(client)
            return
        for s in (client, upstream):
            s.settimeout(5)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.sel.register(s, selectors.EVENT_READ, "conn")
        self.peer[client], self.peer[upstream] = upstream, client
        self.accepted += 1
        self.accept_times.append(int(time.time() * 1000))

    def _forward(self, src):
        dst = self.peer[src]
        try:
            data = src.recv(65536)
            if data:
                dst.sendall(data)
                return
        except OSError:
            pass
        self._reset(src)

    def _reset(self, s):
        """Resets s and its peer (both directions gone: what a dead link looks like to both ends)."""
        other = self.peer.pop(s, None)
        for x in (s, other):
            if x is None:
                continue
            self.peer.pop(x, None)
            try:
                self.sel.unregister(x)
            except (KeyError, ValueError):
                pass
            _linger0_close(x)


def _linger0_close(s):
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    try:
        s.close()
    except OSError:
        pass
