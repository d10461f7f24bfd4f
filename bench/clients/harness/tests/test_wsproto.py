import io

import pytest

import wsproto


def test_accept_key_is_the_rfc_6455_example():
    # RFC 6455 section 1.3 gives this key and its accept value
    assert wsproto.accept_key("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="


@pytest.mark.parametrize("size", [0, 5, 125, 126, 200, 65535, 65536, 70000])
@pytest.mark.parametrize("masked", [False, True])
def test_frames_round_trip_at_every_length_encoding(size, masked):
    payload = bytes(i % 251 for i in range(size))
    frame = wsproto.encode_masked(payload) if masked else wsproto.encode_frame(payload)
    stream = io.BytesIO(frame)
    fin, opcode, got = wsproto.read_frame(stream.read)
    assert (fin, opcode, got) == (True, wsproto.TEXT, payload)
    assert stream.read() == b""


def test_reserved_bits_are_refused():
    frame = bytearray(wsproto.encode_masked(b"x"))
    frame[0] |= 0x40
    with pytest.raises(wsproto.ProtocolError):
        wsproto.read_frame(io.BytesIO(bytes(frame)).read)


def test_a_request_that_is_no_upgrade_is_refused():
    _, path, headers = wsproto.parse_request(b"GET /ws HTTP/1.1\r\nHost: x")
    assert path == "/ws"
    with pytest.raises(wsproto.ProtocolError):
        wsproto.handshake_response(headers)


def test_a_bad_request_line_is_refused():
    with pytest.raises(wsproto.ProtocolError):
        wsproto.parse_request(b"GARBAGE\r\nHost: x")
