"""What the playground's tests share: a server on 127.0.0.1 and a client that calls it over
real HTTP."""

import http.client
import json
import threading

import pytest

from glassnet.playground.server import make_server


class Client:
    """Requests to one playground server, and the checks its answers get."""

    def __init__(self, server) -> None:
        self.server = server
        self.port = server.server_address[1]

    def request(self, method, path, body=None, headers=None, raw=None):
        """(status, headers, payload): JSON answers decoded, anything else as bytes."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        connection.request(method, path, body=data, headers=headers or {})
        response = connection.getresponse()
        content = response.read()
        connection.close()
        if response.getheader("Content-Type") == "application/json":
            return response.status, dict(response.getheaders()), json.loads(content)
        return response.status, dict(response.getheaders()), content

    def post(self, path, body):
        return self.request("POST", path, body)

    def new_session(self, **settings):
        status, _, reply = self.post("/api/session", settings)
        assert status == 200, reply
        return reply

    def upload(self, text, filename="points.csv", target=""):
        return self.post("/api/upload", {"filename": filename, "text": text, "target": target})

    @staticmethod
    def assert_bad(answer, status, *words):
        """The answer is ``status`` with one error message holding every one of ``words``."""
        code, _, reply = answer
        assert code == status, reply
        assert set(reply) == {"error"}
        for word in words:
            assert word in reply["error"], reply["error"]


@pytest.fixture(scope="module")
def server():
    server = make_server(port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def api(server):
    return Client(server)
