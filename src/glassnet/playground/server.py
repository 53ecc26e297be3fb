"""``glassnet playground``: watch a network learn in the browser, and see the maths of it.

A small JSON server on the standard library's ``http.server``, bound to 127.0.0.1, runs
glassnet's engine for one page of plain HTML, CSS and JavaScript (``static/`` beside this
module, read with ``importlib.resources``). The settings a run takes live in
``playground.settings``, its points in ``playground.data``, the runs themselves in
``playground.session`` and the formula panel's text in ``playground.formula``; this module
routes requests to them, keeps sessions and uploads, and answers in JSON.

Sessions live in memory; an uploaded CSV is written to the server's own temporary folder
only for as long as ``load_csv`` reads it. Every request that the server cannot honour is
answered with a 4xx status and a one-line ``{"error": ...}``; nothing a page sends can
stop the server.

The API (all JSON):

    GET  /api/options           the choices and limits the page offers
    POST /api/session           settings -> a new session: the data, the network, metrics
    POST /api/step              {session, epochs} -> train that many epochs, new metrics
    POST /api/inspect           {session, layer, neuron[, source], split, sample} -> the
                                formula of one neuron or weight with the numbers of the Trace
    POST /api/upload            {filename, text[, target]} -> an uploaded data set's id
    GET  /api/export?session=   the trained model as a glassnet model file

Example:
    >>> server = make_server(port=0)  # doctest: +SKIP
    >>> server.serve_forever()  # doctest: +SKIP
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import tempfile
import threading
import uuid
import webbrowser
from collections import OrderedDict
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from urllib.parse import parse_qs, urlsplit

import numpy as np

from glassnet import datasets, modelfile
from glassnet.engine.optimizers import OPTIMIZERS
from glassnet.engine.validation import check_integer
from glassnet.playground.data import Upload, encode_classes
from glassnet.playground.session import Session
from glassnet.playground.settings import (
    DATASETS,
    HIDDEN_ACTIVATIONS,
    LOSSES,
    MAX_CLASSES,
    MAX_EPOCHS_PER_STEP,
    MAX_LAYERS,
    MAX_LEARNING_RATE,
    MAX_NEURONS,
    MAX_POINTS,
    MAX_UPLOAD_BYTES,
    BadRequest,
    Settings,
    as_bad_request,
)

__all__ = ["MAX_SESSIONS", "Playground", "make_server", "serve"]

MAX_SESSIONS = 32  # sessions, and uploads, kept at once; the oldest go first
STATIC_FILES = {"/": "index.html", "/app.js": "app.js", "/style.css": "style.css"}
CONTENT_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}


def _read_static() -> dict[str, tuple[str, bytes]]:
    """The page's three files, read once from the package: requests never name a path."""
    folder = resources.files("glassnet.playground") / "static"
    pages = {}
    for route, name in STATIC_FILES.items():
        content_type = CONTENT_TYPES[os.path.splitext(name)[1]] + "; charset=utf-8"
        pages[route] = (content_type, (folder / name).read_bytes())
    return pages


# ---------------------------------------------------------------------- uploads
def _target_of(header_line: str, target: str | None) -> str:
    """The target column: the one asked for, else the header's last name."""
    if target:
        return target
    names = [name.strip() for name in next(csv.reader([header_line]), [])]
    if not names or not names[-1]:
        raise BadRequest("the CSV's first row must name its columns, the target last")
    return names[-1]


def _load_csv_text(text: str, filename: str, target: str, folder: str) -> datasets.CSVData:
    """``datasets.load_csv`` of the text, through a file in ``folder`` that is gone after."""
    path = os.path.join(folder, f"{uuid.uuid4().hex}.csv")
    try:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        return datasets.load_csv(path, target=target)
    except datasets.DataError as error:
        raise BadRequest(str(error).replace(path, filename)) from None  # the path stays private
    finally:
        if os.path.exists(path):
            os.remove(path)


def _read_upload(filename: str, text, target: str | None, folder: str) -> Upload:
    """An uploaded CSV's two features and target, or ``BadRequest`` saying what is wrong."""
    if not isinstance(text, str):
        raise BadRequest("upload: 'text' must hold the CSV file's content")
    size = len(text.encode("utf-8"))
    if size > MAX_UPLOAD_BYTES:
        raise BadRequest(
            f"{filename} is {size / 1e6:.1f} MB; the playground takes CSV files up to "
            f"{MAX_UPLOAD_BYTES / 1e6:.0f} MB (two features and a target need far less)",
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
        )
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or not lines[0].strip():
        raise BadRequest(f"{filename}: the file is empty; expected a header row and data rows")
    target = _target_of(lines[0], target)
    loaded = _load_csv_text(text, filename, target, folder)
    X, y = loaded.X, loaded.y
    if X.shape[1] != 2:
        raise BadRequest(
            f"{filename}: the playground needs exactly two feature columns besides the "
            f"target {target!r}; found {X.shape[1]}: {loaded.feature_names}"
        )
    if len(X) > MAX_POINTS * 5:
        raise BadRequest(f"{filename}: {len(X)} rows; the playground takes up to "
                         f"{MAX_POINTS * 5}")  # fmt: skip
    whole = y.dtype.kind in "iU" or (y.dtype.kind == "f" and np.all(y == np.round(y)))
    if y.dtype.kind == "U" or (whole and len(np.unique(y)) <= MAX_CLASSES):
        y, classes = encode_classes(y, f"{filename}: the target column {target!r}")
    else:
        y, classes = y.astype(np.float64), []
    return Upload(X, y, classes, loaded.feature_names, target)


# ---------------------------------------------------------------------- the application
class Playground:
    """The application without HTTP: sessions, uploads and a private temporary folder.

    ``handle(method, path, body)`` returns (status, content type, bytes, extra headers);
    ``close()`` deletes the temporary folder.

    Example:
        >>> app = Playground()
        >>> app.handle("GET", "/api/options", b"")[0]
        200
        >>> app.close()
    """

    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="glassnet-playground-")
        self.static = _read_static()
        self.sessions: OrderedDict[str, Session] = OrderedDict()
        self.uploads: OrderedDict[str, Upload] = OrderedDict()
        self.lock = threading.Lock()

    def close(self) -> None:
        """Delete the temporary folder (uploads are held in memory, not there).

        Example:
            >>> app = Playground(); app.close()
            >>> os.path.exists(app.folder)
            False
        """
        shutil.rmtree(self.folder, ignore_errors=True)

    # ------------------------------------------------------------------ dispatch
    def handle(self, method: str, target: str, body: bytes) -> tuple[int, str, bytes, dict]:
        """Answer one request; every failure becomes a 4xx (or 500) JSON message.

        Example:
            >>> app = Playground()
            >>> app.handle("GET", "/api/nothing", b"")
            (404, 'application/json', b'{"error": "no such page or endpoint: /api/nothing"}', {})
            >>> app.close()
        """
        url = urlsplit(target)
        routes = {
            ("GET", "/api/options"): lambda: self.options(),
            ("POST", "/api/session"): lambda: self.create(self._json(body)),
            ("POST", "/api/step"): lambda: self.step(self._json(body)),
            ("POST", "/api/inspect"): lambda: self.inspect(self._json(body)),
            ("POST", "/api/upload"): lambda: self.upload(self._json(body)),
        }
        try:
            if method == "GET" and url.path in self.static:
                content_type, content = self.static[url.path]
                return 200, content_type, content, {}
            if method == "GET" and url.path == "/favicon.ico":
                return 204, "image/x-icon", b"", {}
            if method == "GET" and url.path == "/api/export":
                return self.export(parse_qs(url.query).get("session", [""])[0])
            if (method, url.path) not in routes:
                known = any(path == url.path for _, path in routes)
                if known or url.path == "/api/export" or url.path in self.static:
                    raise BadRequest(f"{method} is not allowed on {url.path}",
                                     HTTPStatus.METHOD_NOT_ALLOWED)  # fmt: skip
                raise BadRequest(f"no such page or endpoint: {url.path}", HTTPStatus.NOT_FOUND)
            return self._reply(200, routes[method, url.path]())
        except BadRequest as error:
            return self._reply(error.status, {"error": str(error)})
        except ValueError as error:
            # The engine's own messages are written for people: pass them on as they are.
            return self._reply(400, {"error": str(error)})
        except Exception as error:  # the server answers and keeps serving, whatever happened
            return self._reply(500, {"error": f"internal error: {type(error).__name__}: {error}"})

    @staticmethod
    def _reply(status: int, payload: dict) -> tuple[int, str, bytes, dict]:
        content = json.dumps(payload, allow_nan=False).encode()
        return status, "application/json", content, {}

    @staticmethod
    def _json(body: bytes) -> dict:
        try:
            payload = json.loads(body.decode("utf-8") or "{}")
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise BadRequest(f"the request body is not JSON ({error})") from None
        if not isinstance(payload, dict):
            raise BadRequest("the request body must be a JSON object")
        return payload

    def _session(self, payload: dict) -> Session:
        key = str(payload.get("session", ""))
        with self.lock:
            if key not in self.sessions:
                raise BadRequest(
                    "unknown or expired session: press Reset to start a new one",
                    HTTPStatus.NOT_FOUND,
                )
            self.sessions.move_to_end(key)
            return self.sessions[key]

    @staticmethod
    def _keep(store: OrderedDict, key: str, value) -> None:
        store[key] = value
        while len(store) > MAX_SESSIONS:  # the oldest go first: memory stays bounded
            store.popitem(last=False)

    # ------------------------------------------------------------------ endpoints
    def options(self) -> dict:
        """The choices and limits the page offers (``GET /api/options``).

        Example:
            >>> app = Playground()
            >>> app.options()["datasets"][:5], app.options()["limits"]["epochs_per_step"]
            (['and', 'or', 'nand', 'nor', 'xor'], 100)
            >>> app.close()
        """
        return {
            "datasets": list(DATASETS),
            "activations": list(HIDDEN_ACTIVATIONS),
            "losses": list(LOSSES),
            "optimizers": list(OPTIMIZERS),
            "defaults": {
                **Settings().__dict__,
                "layers": ",".join(map(str, Settings().layers)),
                "activations": ",".join(Settings().activations),
            },
            "limits": {
                "points": MAX_POINTS,
                "layers": MAX_LAYERS,
                "neurons": MAX_NEURONS,
                "learning_rate": MAX_LEARNING_RATE,
                "upload_bytes": MAX_UPLOAD_BYTES,
                "epochs_per_step": MAX_EPOCHS_PER_STEP,
            },
        }

    def create(self, payload: dict) -> dict:
        """A new session from the page's settings (``POST /api/session``).

        Example:
            >>> app = Playground()
            >>> state = app.create({"dataset": "xor", "seed": 0})
            >>> state["epoch"], sorted(state)[:4]
            (0, ['biases', 'data', 'epoch', 'message'])
            >>> app.close()
        """
        settings = Settings.parse(payload)
        with self.lock:
            session = Session.create(settings, self.uploads)
            key = uuid.uuid4().hex
            self._keep(self.sessions, key, session)
        with session.lock:
            return {"session": key, "data": session.data.to_json(), **session.state()}

    def step(self, payload: dict) -> dict:
        """Train the session ``epochs`` more epochs and return its new state (``POST /api/step``).

        Example:
            >>> app = Playground()
            >>> key = app.create({"dataset": "xor", "seed": 0})["session"]
            >>> app.step({"session": key, "epochs": 5})["epoch"]
            5
            >>> app.close()
        """
        session = self._session(payload)
        with as_bad_request():
            epochs = check_integer("epochs", payload.get("epochs", 1), 1, MAX_EPOCHS_PER_STEP)
        with session.lock:
            session.step(epochs)
            return session.state()

    def inspect(self, payload: dict) -> dict:
        """One neuron's or weight's formulas with the numbers of a sample's trace
        (``POST /api/inspect``).

        Example:
            >>> app = Playground()
            >>> key = app.create({"dataset": "xor", "seed": 0})["session"]
            >>> app.inspect({"session": key, "layer": 1, "neuron": 0})["title"]
            'neuron 1 of layer 1 (hidden)'
            >>> app.close()
        """
        session = self._session(payload)
        with session.lock:
            x, y = session.sample(str(payload.get("split", "train")), payload.get("sample", 0))
            return session.inspect(
                payload.get("layer", 1), payload.get("neuron", 0), payload.get("source"), x, y
            )

    def upload(self, payload: dict) -> dict:
        """Read an uploaded CSV (two features and a target) and keep it (``POST /api/upload``).

        Example:
            >>> app = Playground()
            >>> text = "x1,x2,label\\n0,0,a\\n0,1,b\\n1,0,b\\n1,1,a\\n"
            >>> answer = app.upload({"filename": "gate.csv", "text": text})
            >>> answer["rows"], answer["task"], answer["classes"]
            (4, 'classification', ['a', 'b'])
            >>> app.close()
        """
        filename = os.path.basename(str(payload.get("filename") or "upload.csv"))
        target = str(payload.get("target") or "").strip() or None
        upload = _read_upload(filename, payload.get("text"), target, self.folder)
        key = uuid.uuid4().hex
        with self.lock:
            self._keep(self.uploads, key, upload)
        return {
            "upload": key,
            "filename": filename,
            "rows": len(upload.X),
            "features": upload.features,
            "target": upload.target,
            "task": "classification" if upload.classes else "regression",
            "classes": upload.classes,
        }

    def export(self, key: str) -> tuple[int, str, bytes, dict]:
        """The session's model as a glassnet model file (``glassnet.load`` reads it back).

        Example:
            >>> app = Playground()
            >>> key = app.create({"dataset": "xor", "seed": 0})["session"]
            >>> status, content_type, content, headers = app.export(key)
            >>> status, headers["Content-Disposition"]
            (200, 'attachment; filename="playground-xor-epoch0.glassnet"')
            >>> app.close()
        """
        session = self._session({"session": key})
        path = os.path.join(self.folder, f"{uuid.uuid4().hex}.glassnet")
        with session.lock:
            model = session.model_on_screen()
            data = session.data
            metadata = {
                "source": "glassnet playground",
                "settings": {**session.settings.__dict__},
                "features": data.feature_names,
                "target": data.target_name,
                "classes": data.classes,
                "epoch": session.epoch,
                # "figures" is the model file's key for metric values (glassnet.modelfile).
                "figures": {"train": session.metrics(data.X_train, data.y_train),
                            "test": session.metrics(data.X_test, data.y_test)},
            }  # fmt: skip
            try:
                modelfile.save(model, path, metadata=metadata)
                with open(path, "rb") as handle:
                    content = handle.read()
            finally:
                if os.path.exists(path):
                    os.remove(path)
        name = f"playground-{session.settings.dataset}-epoch{session.epoch}.glassnet"
        headers = {"Content-Disposition": f'attachment; filename="{name}"'}
        return 200, "application/octet-stream", content, headers


# ---------------------------------------------------------------------- HTTP
class _Handler(BaseHTTPRequestHandler):
    """Reads one request, lets the ``Playground`` answer it, writes the answer."""

    server: _Server
    protocol_version = "HTTP/1.1"
    # One buffered write per answer, sent at once: a body sent after the headers in a second
    # small write would wait for a delayed ACK (Nagle's algorithm), 40 ms per frame.
    disable_nagle_algorithm = True
    wbufsize = -1

    def _answer(self, method: str) -> None:
        address = self.headers.get("Host") or ""
        host = address.rsplit(":", 1)[0]
        origin = self.headers.get("Origin")
        length = self.headers.get("Content-Length") or "0"
        if host not in ("127.0.0.1", "localhost"):
            # A page on another site cannot reach the playground through a renamed host...
            self.close_connection = True
            result = Playground._reply(403, {"error": f"host {host!r} is not served"})
        elif origin is not None and origin != f"http://{address}":
            # ...nor post to it from its own address.
            self.close_connection = True
            result = Playground._reply(403, {"error": f"requests from {origin} are refused"})
        elif not length.isdigit() or int(length) > MAX_UPLOAD_BYTES * 2:
            self.close_connection = True
            result = Playground._reply(
                413, {"error": f"the request is larger than {MAX_UPLOAD_BYTES * 2 / 1e6:.0f} MB"}
            )
        else:
            body = self.rfile.read(int(length))
            result = self.server.app.handle(method, self.path, body)
        status, content_type, content, headers = result
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(content)))
        self.send_header("Cache-Control", "no-store")
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(content)

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        self._answer("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._answer("POST")

    def log_message(self, format: str, *args) -> None:
        """Quiet: the terminal shows the address and errors, not every frame's request."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, app: Playground) -> None:
        self.app = app
        super().__init__(("127.0.0.1", port), _Handler)

    def server_close(self) -> None:
        super().server_close()
        self.app.close()


def make_server(port: int = 0) -> ThreadingHTTPServer:
    """A playground server on 127.0.0.1 (port 0 picks a free one); ``serve_forever`` runs it.

    ``server_close()`` also deletes the playground's temporary folder.

    Example:
        >>> server = make_server(); server.server_address[0]
        '127.0.0.1'
        >>> server.server_close()
    """
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise ValueError(f"port must be 0 (any free port) to 65535, got {port!r}")
    return _Server(port, Playground())


def _interrupt(signal_number: int, frame) -> None:
    raise KeyboardInterrupt


def serve(port: int = 0, open_browser: bool = False) -> None:
    """Run the playground until Ctrl-C, printing its address (and opening it if asked).

    Example:
        >>> serve(8000, open_browser=True)  # doctest: +SKIP
        glassnet playground at http://127.0.0.1:8000/  (Ctrl-C stops it)
    """
    server = make_server(port)
    if threading.current_thread() is threading.main_thread():
        # A plain kill (SIGTERM) leaves like Ctrl-C, through the clean-up below.
        signal.signal(signal.SIGTERM, _interrupt)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    print(f"glassnet playground at {url}  (Ctrl-C stops it)", flush=True)
    if open_browser:
        webbrowser.open(url)
    try:
        server.serve_forever()
    finally:
        server.server_close()
