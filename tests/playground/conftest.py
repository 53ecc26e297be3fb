"""What the playground's tests share: a server on 127.0.0.1, a client that calls it over
real HTTP, and a real browser (Debian's Chromium driven by Playwright) for the page."""

import http.client
import json
import os
import tempfile
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


# ---------------------------------------------------------------------- a real browser
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def base_url(server):
    return f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (never Playwright's own download); the tests
    that take it are skipped when either is missing."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing")
    sync_api = pytest.importorskip("playwright.sync_api")
    with tempfile.TemporaryDirectory() as profile, sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 800},
        )
        yield context
        context.close()


@pytest.fixture
def page(browser):
    """A new tab; the test fails if the page threw or logged an error, whatever it did."""
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.errors = errors
    yield page
    page.close()
    # A 4xx the test asked for is logged by Chromium as a failed resource: not a page error.
    assert [
        e
        for e in errors
        if not e.startswith("Failed to load resource: the server responded with a status of 4")
    ] == []


def open_page(page, url):
    """Load the playground and wait for its first run."""
    page.goto(url)
    page.wait_for_function("window.playground && window.playground.page.session !== null")


def text_of(page, selector):
    return page.inner_text(selector).strip()
