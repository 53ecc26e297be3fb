"""The playground's HTTP: the standard library's server, made safe to leave running.

Every answer is JSON with a status that says whose mistake it was (4xx: the client's):
a body too large is read and dropped (up to ``DRAIN_LIMIT``) so the client reads its
413 instead of a broken pipe; a ``Content-Length`` that is not a count of bytes is a 400;
methods the playground does not take are a 405 with an ``Allow`` header; even the
standard library's own refusals (a malformed request line, an unknown method) come as
JSON. A connection idle for ``IDLE_TIMEOUT`` seconds is closed, and at most
``MAX_CONNECTIONS`` are served at once (each has a thread): one more is answered 503 at
once. A client that hangs up mid-answer ends its connection quietly, without a traceback.

Example:
    >>> from glassnet.playground.server import Playground
    >>> server = PlaygroundServer(0, Playground())
    >>> server.server_address[0]
    '127.0.0.1'
    >>> server.server_close()
"""

from __future__ import annotations

import json
import socket
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, Protocol

from glassnet.playground.settings import MAX_UPLOAD_BYTES, BadRequest

__all__ = [
    "DRAIN_LIMIT",
    "IDLE_TIMEOUT",
    "MAX_CONNECTIONS",
    "REQUEST_LIMIT",
    "PlaygroundServer",
    "json_answer",
    "read_json",
]

REQUEST_LIMIT = 2 * MAX_UPLOAD_BYTES  # the largest request body read (an upload in base64 fits)
DRAIN_LIMIT = 64_000_000  # a larger body is read and dropped up to this, then the 413 is sent
IDLE_TIMEOUT = 20.0  # seconds a connection may wait for its next request
MAX_CONNECTIONS = 32  # connections served at once, one thread each
# Methods HTTP defines that the playground does not take: a 405 with the ones it does.
OTHER_METHODS = ("PUT", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE", "CONNECT")
_QUIET = (ConnectionError, TimeoutError, socket.timeout)  # the client went away
MAX_DIGITS = 40  # an integer in a request body has at most this many digits

# An answer: (status, content type, body, headers).
Answer = tuple[int, str, bytes, dict[str, str]]


class App(Protocol):
    """What answers the requests (``playground.server.Playground``, which imports this
    module, so it is named by what it does)."""

    def handle(self, method: str, target: str, body: bytes) -> Answer: ...

    def allowed(self, target: str) -> list[str]: ...

    def close(self) -> None: ...


def json_answer(status: int, message: str, headers: dict[str, str] | None = None) -> Answer:
    """(status, content type, body, headers) of a one-line ``{"error": message}`` answer.

    Example:
        >>> json_answer(405, "PUT is not allowed", {"Allow": "GET"})[2]
        b'{"error": "PUT is not allowed"}'
    """
    content = json.dumps({"error": message}).encode()
    return int(status), "application/json", content, dict(headers or {})


# ---------------------------------------------------------------------- JSON bodies
def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise BadRequest(f"a number in the request has {len(text.lstrip('-'))} digits; "
                         f"the playground takes at most {MAX_DIGITS}")  # fmt: skip
    return int(text)


def _parse_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise BadRequest(f"the number {text[:40]} in the request is too large for a float")
    return value


def _parse_constant(name: str):
    raise BadRequest(f"{name} is not a number the playground takes (JSON has no {name})")


def read_json(body: bytes) -> dict[str, Any]:
    """The request body as a JSON object, or a ``BadRequest`` in one line (not UTF-8, not
    JSON, nested too deep, NaN, a number too long or too large).

    Example:
        >>> read_json(b'{"lr": 0.1}')
        {'lr': 0.1}
        >>> read_json(b"[" * 100_000)
        Traceback (most recent call last):
        ...
        glassnet.playground.settings.BadRequest: the request body is nested too deeply ...
    """
    try:
        text = body.decode("utf-8")
        payload = json.loads(text or "{}", parse_int=_parse_int, parse_float=_parse_float,
                             parse_constant=_parse_constant)  # fmt: skip
    except RecursionError:
        raise BadRequest("the request body is nested too deeply to be settings") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadRequest(f"the request body is not JSON ({error})") from None
    if not isinstance(payload, dict):
        raise BadRequest("the request body must be a JSON object")
    return payload


class Handler(BaseHTTPRequestHandler):
    """Reads one request, lets the server's ``Playground`` answer it, writes the answer.

    Example:
        >>> Handler.protocol_version, Handler.timeout
        ('HTTP/1.1', 20.0)
    """

    server: PlaygroundServer
    protocol_version = "HTTP/1.1"
    timeout: ClassVar[float | None] = IDLE_TIMEOUT  # an idle keep-alive connection closes
    close_connection: bool  # set when an answer ends the connection
    # One buffered write per answer, sent at once: a body sent after the headers in a second
    # small write would wait for a delayed ACK (Nagle's algorithm), 40 ms per frame.
    disable_nagle_algorithm = True
    wbufsize = -1

    def handle(self) -> None:
        """Serve the connection's requests; a client that hangs up ends it quietly.

        Example:
            >>> callable(Handler.handle)
            True
        """
        try:
            super().handle()
        except _QUIET:
            self.close_connection = True

    def _refusal(self, method: str) -> Answer | None:
        """The answer to a request refused before its body is read, or None to go on."""
        address = self.headers.get("Host") or ""
        host = address.rsplit(":", 1)[0]
        origin = self.headers.get("Origin")
        length = self.headers.get("Content-Length", "0").strip()
        if host not in ("127.0.0.1", "localhost"):
            # A page on another site cannot reach the playground through a renamed host...
            return json_answer(403, f"host {host!r} is not served")
        if origin is not None and origin != f"http://{address}":
            # ...nor post to it from its own address.
            return json_answer(403, f"requests from {origin} are refused")
        if self.headers.get("Transfer-Encoding"):
            return json_answer(411, "send the body with a Content-Length, not chunked")
        if not length.isdigit():
            return json_answer(400, f"Content-Length must be a whole number of bytes, got "
                                    f"{length[:40]!r}")  # fmt: skip
        if int(length) > REQUEST_LIMIT:
            self._drain(int(length))
            return json_answer(413, f"the request is {int(length) / 1e6:.1f} MB; the playground "
                                    f"takes up to {REQUEST_LIMIT / 1e6:.0f} MB")  # fmt: skip
        return None

    def _drain(self, length: int) -> None:
        """Read and drop a body too large to serve, so that the client gets to read the 413
        (closing on unread bytes would reset the connection under it)."""
        if length > DRAIN_LIMIT:
            return
        left = length
        while left > 0:
            chunk = self.rfile.read(min(left, 1 << 16))
            if not chunk:
                break
            left -= len(chunk)

    def _answer(self, method: str) -> None:
        result = self._refusal(method)
        if result is not None:
            self.close_connection = True
        elif method in OTHER_METHODS:
            allowed = self.server.app.allowed(self.path)
            result = json_answer(405, f"{method} is not allowed on {self.path.split('?')[0]}",
                                 {"Allow": ", ".join(allowed)} if allowed else {})  # fmt: skip
        else:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            result = self.server.app.handle(method, self.path, body)
        self._send(*result, body=method != "HEAD")

    def _send(self, status: int, content_type: str, content: bytes, headers: dict[str, str],
              body: bool = True) -> None:  # fmt: skip
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(content)))
        self.send_header("Cache-Control", "no-store")
        if self.close_connection:
            self.send_header("Connection", "close")
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(content)
        self.wfile.flush()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The standard library's own refusals (a bad request line, an unknown method, a
        header too long) as JSON, like every other answer.

        Example:
            >>> callable(Handler.send_error)
            True
        """
        self.close_connection = True
        if self.request_version == "HTTP/0.9":
            # A request line too broken to name its version: answer with a status line all
            # the same (no one speaks HTTP/0.9, whose answers have none).
            self.request_version = "HTTP/1.0"
        text = message or HTTPStatus(code).phrase
        self._send(*json_answer(code, text), body=self.command != "HEAD")

    def do_GET(self) -> None:  # noqa: N802 (the names http.server calls)
        self._answer("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._answer("POST")

    # The methods HTTP defines that the playground refuses: each a 405 naming the ones it takes.
    def do_PUT(self) -> None:  # noqa: N802
        self._answer("PUT")

    def do_DELETE(self) -> None:  # noqa: N802
        self._answer("DELETE")

    def do_OPTIONS(self) -> None:  # noqa: N802
        self._answer("OPTIONS")

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer("HEAD")

    def do_PATCH(self) -> None:  # noqa: N802
        self._answer("PATCH")

    def do_TRACE(self) -> None:  # noqa: N802
        self._answer("TRACE")

    def do_CONNECT(self) -> None:  # noqa: N802
        self._answer("CONNECT")

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal shows the address and errors, not every frame's request.

        Example:
            >>> Handler.log_message(None, "%s", "nothing is printed")
        """


class PlaygroundServer(ThreadingHTTPServer):
    """A thread per connection on 127.0.0.1, at most ``max_connections`` at once; the
    ``app`` (a ``Playground``) answers the requests. ``server_close`` closes the app too.

    Example:
        >>> from glassnet.playground.server import Playground
        >>> server = PlaygroundServer(0, Playground(), max_connections=4)
        >>> server.max_connections
        4
        >>> server.server_close()
    """

    daemon_threads = True
    block_on_close = False
    request_queue_size = 64  # connections waiting to be accepted (the default is 5)

    def __init__(self, port: int, app: App, *, idle_timeout: float = IDLE_TIMEOUT,
                 max_connections: int = MAX_CONNECTIONS) -> None:  # fmt: skip
        self.app: App = app
        self.max_connections: int = max_connections
        self.slots: threading.BoundedSemaphore = threading.BoundedSemaphore(max_connections)
        handler = type("Handler", (Handler,), {"timeout": idle_timeout})
        super().__init__(("127.0.0.1", port), handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Serve the connection in a thread of its own, or answer 503 when all are taken.

        Example:
            >>> callable(PlaygroundServer.process_request)
            True
        """
        if not self.slots.acquire(blocking=False):
            status, _, content, _ = json_answer(503, "the playground serves "
                                                f"{self.max_connections} connections at once; "
                                                "try again")  # fmt: skip
            head = (
                f"HTTP/1.1 {status} Service Unavailable\r\nContent-Type: application/json"
                f"\r\nContent-Length: {len(content)}\r\nConnection: close\r\n\r\n"
            )
            try:
                request.sendall(head.encode() + content)
            except OSError:
                pass
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        """Serve one connection (in its own thread), then give its slot back.

        Example:
            >>> callable(PlaygroundServer.process_request_thread)
            True
        """
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """One line on standard error for a failure; nothing for a client that hung up.

        Example:
            >>> callable(PlaygroundServer.handle_error)
            True
        """
        error = sys.exc_info()[1]
        if isinstance(error, _QUIET):
            return
        print(f"glassnet playground: serving {client_address[0]} failed: "
              f"{type(error).__name__}: {error}", file=sys.stderr)  # fmt: skip

    def server_close(self) -> None:
        """Close the socket, and the app with it (its temporary folder goes).

        Example:
            >>> from glassnet.playground.server import Playground
            >>> import os
            >>> server = PlaygroundServer(0, Playground()); server.server_close()
            >>> os.path.exists(server.app.folder)
            False
        """
        super().server_close()
        self.app.close()
