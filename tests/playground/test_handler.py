"""The playground's HTTP (issue 16, item 15): every request gets a JSON answer with a 4xx
code for the client's mistakes, idle connections close, the threads stay bounded, and a
client that hangs up leaves no traceback."""

import doctest
import http.client
import json
import socket
import subprocess
import sys
import threading
import time

import pytest

import glassnet.playground.handler as handler_module
from glassnet.playground.handler import read_json
from glassnet.playground.server import make_server
from glassnet.playground.settings import BadRequest


def raw_exchange(port, data: bytes, timeout=10.0) -> bytes:
    """Send bytes as they are on a new connection and read until the server closes it."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(data)
        chunks = []
        while True:
            try:
                chunk = connection.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def answer_of(raw: bytes):
    """(status, headers, JSON body) of one raw HTTP answer."""
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    status = int(lines[0].split()[1])
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return status, headers, json.loads(body) if body else None


@pytest.mark.parametrize("method", ["PUT", "DELETE", "OPTIONS", "PATCH"])
@pytest.mark.parametrize("path, allowed", [("/api/step", "POST"), ("/", "GET"),
                                           ("/api/export", "GET")])  # fmt: skip
def test_other_methods_get_405_in_json_with_allow(api, method, path, allowed):
    status, headers, reply = api.request(method, path)
    assert status == 405 and headers["Allow"] == allowed
    assert headers["Content-Type"] == "application/json"
    assert reply == {"error": f"{method} is not allowed on {path}"}


def test_head_gets_405_with_allow_and_no_body(api):
    connection = http.client.HTTPConnection("127.0.0.1", api.port, timeout=10)
    connection.request("HEAD", "/")
    response = connection.getresponse()
    assert response.status == 405 and response.getheader("Allow") == "GET"
    assert response.read() == b""
    connection.close()


def test_a_get_of_a_post_endpoint_says_which_method(api):
    status, headers, reply = api.request("GET", "/api/session")
    assert status == 405 and headers["Allow"] == "POST"
    assert reply == {"error": "GET is not allowed on /api/session"}


def test_an_unknown_method_and_a_broken_request_line_are_json_too(api):
    status, headers, reply = answer_of(
        raw_exchange(api.port, b"BREW / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    )
    assert status == 501 and headers["Content-Type"] == "application/json"
    assert "BREW" in reply["error"]
    status, _, reply = answer_of(raw_exchange(api.port, b"GET / HTTP/1.1 more\r\n\r\n"))
    assert status == 400 and "error" in reply


@pytest.mark.parametrize("length", ["-1", "abc", "1e3", " "])
def test_a_content_length_that_is_not_a_count_is_a_400(api, length):
    request = (f"POST /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {length}\r\n"
               "\r\n{}").encode()  # fmt: skip
    status, _, reply = answer_of(raw_exchange(api.port, request))
    assert status == 400
    assert reply["error"].startswith("Content-Length must be a whole number of bytes, got")
    assert "larger than" not in reply["error"] and "MB" not in reply["error"]


def test_a_chunked_body_is_a_411(api):
    request = (b"POST /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked"
               b"\r\n\r\n2\r\n{}\r\n0\r\n\r\n")  # fmt: skip
    status, _, reply = answer_of(raw_exchange(api.port, request))
    assert status == 411 and "Content-Length" in reply["error"]


def test_a_body_over_4_mb_reads_a_413_instead_of_a_broken_pipe(api):
    body = b"x" * 5_000_000
    connection = http.client.HTTPConnection("127.0.0.1", api.port, timeout=30)
    connection.request("POST", "/api/upload", body=body,
                       headers={"Content-Type": "application/json"})  # fmt: skip
    response = connection.getresponse()
    assert response.status == 413
    assert json.loads(response.read()) == {
        "error": "the request is 5.0 MB; the playground takes up to 4 MB"
    }
    connection.close()


def test_deep_nesting_long_numbers_and_nan_are_400s_with_our_own_words(api):
    cases = [
        (b"[" * 200_000, "nested too deeply"),
        (b'{"points": ' + b"9" * 5000 + b"}", "has 5000 digits; the playground takes at most 40"),
        (b'{"lr": 1e400}', "the number 1e400 in the request is too large for a float"),
        (b'{"lr": NaN}', "NaN is not a number the playground takes"),
        (b'{"lr": -Infinity}', "-Infinity is not a number the playground takes"),
    ]
    for body, words in cases:
        api.assert_bad(api.request("POST", "/api/session", raw=body), 400, words)
    assert api.request("GET", "/api/options")[0] == 200


@pytest.mark.parametrize("field", ["neuron", "layer", "source"])
def test_inspect_with_true_for_a_number_is_a_400(api, field):
    key = api.new_session(dataset="xor", layers="2")["session"]
    body = {"session": key, "layer": 1, "neuron": 0, field: True}
    status, _, reply = api.post("/api/inspect", body)
    assert (
        status == 400
        and "must be a whole number" in reply["error"]
        and "got True" in reply["error"]
    )
    perceptron = api.new_session(mode="perceptron", dataset="or")["session"]
    status, _, reply = api.post("/api/inspect", {"session": perceptron, "sample": True})
    assert status == 400 and "got True" in reply["error"]


def test_an_idle_connection_closes_after_the_timeout():
    server = make_server(idle_timeout=0.5)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with socket.create_connection(server.server_address, timeout=10) as idle:
            started = time.monotonic()
            assert idle.recv(1) == b""  # the server hung up on the idle connection
            assert time.monotonic() - started < 8
    finally:
        server.shutdown()
        server.server_close()


def test_eighty_idle_sockets_hold_a_bounded_number_of_threads():
    server = make_server(idle_timeout=30, max_connections=8)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    before = threading.active_count()
    sockets = []
    try:
        for _ in range(80):
            sockets.append(socket.create_connection(server.server_address, timeout=10))
        time.sleep(0.5)
        assert threading.active_count() - before <= 8
        # One more is answered at once (503, JSON) rather than waiting behind the idle ones.
        status, _, reply = answer_of(
            raw_exchange(server.server_address[1], b"GET /api/options HTTP/1.1\r\n\r\n")
        )
        assert status == 503 and "8 connections at once" in reply["error"]
    finally:
        for connection in sockets:
            connection.close()
        server.shutdown()
        server.server_close()


def test_a_client_that_hangs_up_leaves_no_traceback(tmp_path):
    script = tmp_path / "serve.py"
    script.write_text(
        "import threading, socket, sys, time\n"
        "from glassnet.playground.server import make_server\n"
        "server = make_server()\n"
        "threading.Thread(target=server.serve_forever, daemon=True).start()\n"
        "for _ in range(20):\n"
        "    s = socket.create_connection(server.server_address)\n"
        "    s.sendall(b'GET /app.js HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\n\\r\\n')\n"
        "    linger = b'\\x01' + b'\\x00' * 7  # close at once, with a reset\n"
        "    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)\n"
        "    s.close()\n"
        "time.sleep(1)\n"
        "server.shutdown(); server.server_close()\n"
        "print('done')\n"
    )  # fmt: skip
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                            timeout=60)  # fmt: skip
    assert result.stdout.strip() == "done"
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr


def test_read_json_refuses_what_is_not_an_object():
    with pytest.raises(BadRequest, match="must be a JSON object"):
        read_json(b"[1, 2]")
    with pytest.raises(BadRequest, match="not JSON"):
        read_json(b"\xff\xfe")
    assert read_json(b"") == {}


def test_docstring_examples():
    result = doctest.testmod(handler_module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted >= 8
