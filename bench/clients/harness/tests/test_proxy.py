import socket
import threading

import pytest

from proxy import OutageProxy


def echo_server():
    srv = socket.create_server(("127.0.0.1", 0))

    def serve(conn):
        with conn:
            try:
                while data := conn.recv(4096):
                    conn.sendall(data)
            except OSError:  # the proxy's cut resets this side too
                pass

    def accept():
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return srv


def roundtrip(port, data=b"hello"):
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(data)
        return s.recv(4096)


def test_forwards_cuts_refuses_and_reopens():
    srv = echo_server()
    p = OutageProxy(srv.getsockname()[1])
    try:
        assert roundtrip(p.port) == b"hello"
        held = socket.create_connection(("127.0.0.1", p.port), timeout=5)
        held.sendall(b"ping")
        assert held.recv(16) == b"ping"
        assert p.cut() == 1
        with pytest.raises(ConnectionResetError):  # a reset, as a dead link shows itself, not a clean close
            held.sendall(b"x")
            held.recv(16)
        with pytest.raises(ConnectionRefusedError):
            roundtrip(p.port)
        p.reopen()
        assert roundtrip(p.port, b"again") == b"again"
        assert p.accepted == 3 and len(p.accept_times) == 3 and p.accept_times == sorted(p.accept_times)
    finally:
        p.close()
        srv.close()
