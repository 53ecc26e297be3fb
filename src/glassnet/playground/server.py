"""``glassnet playground``: watch a network learn in the browser, and see the maths of it.

A small JSON server on the standard library's ``http.server`` (``playground.handler``),
bound to 127.0.0.1, runs glassnet's engine for one page of plain HTML, CSS and
JavaScript (``static/``, read once by ``playground.page``, which also gathers the page's
options). The settings a run takes live in ``playground.settings``, its points in
``playground.data``, the runs themselves in ``playground.session`` (rebuilt by
``playground.journal``), the formula panel's text in ``playground.formula``, uploads in
``playground.uploads``, the classroom's lessons in ``playground.lessons``, the sessions and
uploads kept between requests in ``playground.store`` and the model file a page downloads
in ``playground.export``; this module routes requests to them and answers in JSON.

A session lives while its page uses it: one left idle for ``SESSION_IDLE_SECONDS`` goes
(and, to bound memory, the longest idle goes when ``MAX_SESSIONS`` are kept); a page
whose session has gone rebuilds it from its settings, journal and epoch. Every request
that the server cannot honour is answered with a 4xx status and a one-line
``{"error": ...}``; nothing a page sends can stop the server. Every POST may carry a
``seq`` (the page's count of its requests), and its answer carries it back, so that the
page can drop an answer that comes after a newer one.

The API (all JSON):

    GET  /api/options           the choices, limits, lessons and presets the page offers
    POST /api/session           settings [+ replay, replaces] -> a new session: the data,
                                the network, metrics (a replay rebuilds a run)
    POST /api/step              {session, epochs} -> train that many epochs, new metrics
    POST /api/change            {session, settings} -> live settings, without a new run
    POST /api/edit              {session, layer, neuron, source, value} -> a weight or a
                                bias (source "bias") set by hand
    POST /api/inspect           {session, layer, neuron[, source], split, sample} -> the
                                formula of one neuron, weight or bias with the numbers
    POST /api/upload            {filename, data (base64) or text[, target]} -> an id
    GET  /api/export?session=   the model on screen as a glassnet model file

Example:
    >>> server = make_server(port=0)  # doctest: +SKIP
    >>> server.serve_forever()  # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
import threading
import time
import uuid
import webbrowser
from collections.abc import Callable
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlsplit

from glassnet.engine.validation import check_integer
from glassnet.playground.export import model_file
from glassnet.playground.handler import Answer, PlaygroundServer, read_json
from glassnet.playground.journal import MAX_JOURNAL, rebuild
from glassnet.playground.page import page_options, read_static
from glassnet.playground.session import Session
from glassnet.playground.settings import MAX_EPOCHS_PER_STEP, BadRequest, Settings, as_bad_request
from glassnet.playground.store import SESSION_IDLE_SECONDS, Store
from glassnet.playground.uploads import read_upload

__all__ = ["MAX_SESSIONS", "SESSION_IDLE_SECONDS", "Playground", "make_server", "serve"]

MAX_SESSIONS = 500  # a memory bound only: past it the longest idle session goes
MAX_UPLOADS = 64  # uploads kept at once (each at most MAX_POINTS * 5 rows)


# ---------------------------------------------------------------------- the application
class Playground(Store):
    """The application without HTTP: sessions, uploads and a private temporary folder.

    ``handle(method, path, body)`` returns (status, content type, bytes, extra headers);
    ``close()`` deletes the temporary folder. ``clock`` gives the time sessions idle by;
    the sessions and uploads are kept as ``playground.store.Store`` keeps them.

    Example:
        >>> app = Playground()
        >>> app.handle("GET", "/api/options", b"")[0]
        200
        >>> app.close()
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(clock)
        self.folder: str = tempfile.mkdtemp(prefix="glassnet-playground-")
        self.static: dict[str, tuple[str, bytes]] = read_static()

    def close(self) -> None:
        """Delete the temporary folder (uploads are held in memory, not there).

        Example:
            >>> app = Playground(); app.close()
            >>> os.path.exists(app.folder)
            False
        """
        shutil.rmtree(self.folder, ignore_errors=True)

    # ------------------------------------------------------------------ dispatch
    def _routes(self) -> dict[tuple[str, str], Callable[[dict[str, Any]], dict[str, Any]]]:
        return {
            ("POST", "/api/session"): self.create,
            ("POST", "/api/step"): self.step,
            ("POST", "/api/change"): self.change,
            ("POST", "/api/edit"): self.edit,
            ("POST", "/api/inspect"): self.inspect,
            ("POST", "/api/upload"): self.upload,
        }

    def allowed(self, target: str) -> list[str]:
        """The methods a path takes (for a 405's ``Allow``); [] for no such path.

        Example:
            >>> app = Playground()
            >>> app.allowed("/api/step"), app.allowed("/"), app.allowed("/nothing")
            (['POST'], ['GET'], [])
            >>> app.close()
        """
        path = urlsplit(target).path
        if path in self.static or path in ("/api/options", "/api/export", "/favicon.ico"):
            return ["GET"]
        return ["POST"] if ("POST", path) in self._routes() else []

    def handle(self, method: str, target: str, body: bytes) -> Answer:
        """Answer one request; every failure becomes a 4xx (or 500) JSON message.

        Example:
            >>> app = Playground()
            >>> app.handle("GET", "/api/nothing", b"")
            (404, 'application/json', b'{"error": "no such page or endpoint: /api/nothing"}', {})
            >>> app.close()
        """
        url = urlsplit(target)
        seq: dict[str, Any] = {}
        try:
            if method == "GET" and url.path in self.static:
                content_type, content = self.static[url.path]
                return 200, content_type, content, {}
            if method == "GET" and url.path == "/favicon.ico":
                return 204, "image/x-icon", b"", {}
            if method == "GET" and url.path == "/api/options":
                return self._reply(200, self.options())
            if method == "GET" and url.path == "/api/export":
                return self.export(parse_qs(url.query).get("session", [""])[0])
            routes = self._routes()
            if (method, url.path) not in routes:
                allowed = self.allowed(url.path)
                if allowed:
                    raise BadRequest(f"{method} is not allowed on {url.path}",
                                     HTTPStatus.METHOD_NOT_ALLOWED)  # fmt: skip
                raise BadRequest(f"no such page or endpoint: {url.path}", HTTPStatus.NOT_FOUND)
            payload = read_json(body)
            if "seq" in payload:
                with as_bad_request():
                    seq = {"seq": check_integer("seq", payload["seq"], 0, 2**53 - 1)}
            return self._reply(200, {**routes[method, url.path](payload), **seq})
        except BadRequest as error:
            headers = {"Allow": ", ".join(self.allowed(url.path))} if error.status == 405 else {}
            return self._reply(error.status, {"error": str(error), **seq}, headers)
        except ValueError as error:
            # The engine's own messages are written for people: pass them on as they are.
            return self._reply(400, {"error": str(error), **seq})
        except MemoryError:
            return self._reply(507, {"error": "the server ran out of memory for this run", **seq})
        except Exception as error:  # the server answers and keeps serving, whatever happened
            return self._reply(500, {"error": f"internal error: {type(error).__name__}: "
                                              f"{error}", **seq})  # fmt: skip

    @staticmethod
    def _reply(
        status: int, payload: dict[str, Any], headers: dict[str, str] | None = None
    ) -> Answer:
        content = json.dumps(payload, allow_nan=False).encode()
        return status, "application/json", content, dict(headers or {})

    # ------------------------------------------------------------------ endpoints
    def options(self) -> dict[str, Any]:
        """The choices, limits, lessons and presets the page offers (``GET /api/options``).

        Example:
            >>> app = Playground()
            >>> app.options()["datasets"][:5], app.options()["limits"]["epochs_per_step"]
            (['and', 'or', 'nand', 'nor', 'xor'], 100)
            >>> app.close()
        """
        return page_options()

    def create(self, payload: dict[str, Any]) -> dict[str, Any]:
        """A new session from the page's settings (``POST /api/session``); with ``replay``
        ({epoch, journal}) the run is rebuilt to that epoch; ``replaces`` names the page's
        previous session, which goes.

        Example:
            >>> app = Playground()
            >>> state = app.create({"dataset": "xor", "seed": 0})
            >>> state["epoch"], sorted(state)[:4]
            (0, ['biases', 'data', 'epoch', 'journal'])
            >>> app.close()
        """
        settings = Settings.parse(payload)
        session = Session.create(settings, self.uploads_in_use(settings.upload))
        if "replay" in payload:
            rebuild(session, payload["replay"])
        key = uuid.uuid4().hex
        self.keep(self.sessions, key, session, MAX_SESSIONS)
        self.drop_replaced(payload.get("replaces", ""), key)
        with session.lock:
            return {"session": key, "data": session.data.to_json(),
                    "settings": session.settings.to_json(), "journal": session.journal,
                    **session.state()}  # fmt: skip

    def step(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Train the session ``epochs`` more epochs and return its new state (``POST /api/step``).

        Example:
            >>> app = Playground()
            >>> key = app.create({"dataset": "xor", "seed": 0})["session"]
            >>> app.step({"session": key, "epochs": 5})["epoch"]
            5
            >>> app.close()
        """
        session = self.session(payload.get("session", ""))
        with as_bad_request():
            epochs = check_integer("epochs", payload.get("epochs", 1), 1, MAX_EPOCHS_PER_STEP)
        with session.lock:
            session.step(epochs)
            return {"session": payload["session"], **session.state()}

    def change(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Live settings for a session that goes on training (``POST /api/change``):
        ``settings`` holds the page's settings, of which only ``settings.LIVE`` may differ.

        Example:
            >>> app = Playground()
            >>> key = app.create({"dataset": "xor", "seed": 0})["session"]
            >>> reply = app.change({"session": key, "settings": {"dataset": "xor", "seed": 0,
            ...                                                  "lr": 0.3}})
            >>> reply["settings"]["lr"], reply["journal"]
            (0.3, [{'epoch': 0, 'settings': {'lr': 0.3, 'optimizer': 'adam', 'batch': 10, \
'regularization': 'none', 'strength': 0.001}}])
            >>> app.close()
        """
        session = self.session(payload.get("session", ""))
        settings = Settings.parse(payload.get("settings"))
        with session.lock:
            if len(session.journal) >= MAX_JOURNAL:
                raise BadRequest(f"this run has recorded {MAX_JOURNAL} changes: start a new "
                                 "run (Reset) to change it further")  # fmt: skip
            note = session.change(settings)
            return {"session": payload["session"], "note": note,
                    "settings": session.settings.to_json(), "journal": session.journal,
                    **session.state()}  # fmt: skip

    def edit(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Set one weight (``source`` its input) or bias (``source`` "bias") by hand
        (``POST /api/edit``); the run goes on from there.

        Example:
            >>> app = Playground()
            >>> key = app.create({"dataset": "xor", "seed": 0, "layers": "2"})["session"]
            >>> app.edit({"session": key, "layer": 1, "neuron": 0, "source": 1,
            ...           "value": 0.5})["weights"][0][1][0]
            0.5
            >>> app.close()
        """
        session = self.session(payload.get("session", ""))
        with session.lock:
            if len(session.journal) >= MAX_JOURNAL:
                raise BadRequest(f"this run has recorded {MAX_JOURNAL} changes: start a new "
                                 "run (Reset) to edit it further")  # fmt: skip
            session.edit(payload.get("layer"), payload.get("neuron"), payload.get("source"),
                         payload.get("value"))  # fmt: skip
            return {"session": payload["session"], "journal": session.journal,
                    **session.state()}  # fmt: skip

    def inspect(self, payload: dict[str, Any]) -> dict[str, Any]:
        """One neuron's, weight's or bias's formulas with the numbers of a sample's trace
        (``POST /api/inspect``).

        Example:
            >>> app = Playground()
            >>> key = app.create({"dataset": "xor", "seed": 0})["session"]
            >>> app.inspect({"session": key, "layer": 1, "neuron": 0})["title"]
            'neuron 1 of layer 1 (hidden)'
            >>> app.close()
        """
        session = self.session(payload.get("session", ""))
        with session.lock:
            return session.inspect(payload.get("layer", 1), payload.get("neuron", 0),
                                   payload.get("source"), payload.get("split", "train"),
                                   payload.get("sample", 0))  # fmt: skip

    def upload(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Read an uploaded CSV (two features and a target) and keep it (``POST /api/upload``).

        Example:
            >>> app = Playground()
            >>> text = "x1,x2,label\\n0,0,a\\n0,1,b\\n1,0,b\\n1,1,a\\n"
            >>> answer = app.upload({"filename": "gate.csv", "text": text})
            >>> answer["rows"], answer["task"], answer["classes"]
            (4, 'classification', ['a', 'b'])
            >>> app.close()
        """
        filename = os.path.basename(str(payload.get("filename") or "upload.csv"))[:200]
        target = str(payload.get("target") or "").strip() or None
        upload = read_upload(filename, payload, target, self.folder)
        key = uuid.uuid4().hex
        self.keep(self.uploads, key, upload, MAX_UPLOADS)
        return {
            "upload": key,
            "filename": filename,
            "rows": len(upload.X),
            "features": upload.features,
            "target": upload.target,
            "task": "classification" if upload.classes else "regression",
            "classes": upload.classes,
            "delimiter": upload.delimiter,
        }

    def export(self, key: str) -> Answer:
        """The model on screen as a glassnet model file (``glassnet.load`` reads it back),
        with the run's settings, journal and metrics in its metadata.

        Example:
            >>> app = Playground()
            >>> key = app.create({"dataset": "xor", "seed": 0})["session"]
            >>> status, content_type, content, headers = app.export(key)
            >>> status, headers["Content-Disposition"]
            (200, 'attachment; filename="playground-xor-epoch0.glassnet"')
            >>> app.close()
        """
        content, name = model_file(self.session(key), self.folder)
        headers = {"Content-Disposition": f'attachment; filename="{name}"'}
        return 200, "application/octet-stream", content, headers


# ---------------------------------------------------------------------- serving
def make_server(port: int = 0, **limits: Any) -> PlaygroundServer:
    """A playground server on 127.0.0.1 (port 0 picks a free one); ``serve_forever`` runs it.

    ``limits`` may set ``idle_timeout`` and ``max_connections`` (``playground.handler``);
    ``server_close()`` also deletes the playground's temporary folder.

    Example:
        >>> server = make_server(); server.server_address[0]
        '127.0.0.1'
        >>> server.server_close()
    """
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise ValueError(f"port must be 0 (any free port) to 65535, got {port!r}")
    return PlaygroundServer(port, Playground(), **limits)


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
