"""The playground's server: the page and its files, options, uploads, export, every kind of
bad request, the temporary folder, and the command that runs it."""

import doctest
import json
import os
import signal
import subprocess
import sys
import urllib.request

import numpy as np
import pytest

import glassnet
import glassnet.playground.server as server_module
from glassnet.cli.main import main
from glassnet.playground.server import Playground, make_server
from glassnet.playground.settings import MAX_UPLOAD_BYTES


@pytest.mark.parametrize(
    "path, content_type, marker",
    [
        ("/", "text/html", b"glassnet <span>playground</span>"),
        ("/app.js", "text/javascript", b"/api/step"),
        ("/style.css", "text/css", b".panel"),
    ],
)
def test_the_page_and_its_files_are_served(api, path, content_type, marker):
    status, headers, content = api.request("GET", path)
    assert status == 200
    assert headers["Content-Type"].startswith(content_type)
    assert marker in content


def test_options_list_the_choices_and_defaults(api):
    status, _, options = api.request("GET", "/api/options")
    assert status == 200
    assert {"xor", "moons", "circles", "spirals", "blobs", "sine"} <= set(options["datasets"])
    assert options["optimizers"] == ["sgd", "momentum", "nesterov", "adam"]
    assert options["defaults"]["dataset"] == "xor"
    assert options["limits"]["upload_bytes"] == MAX_UPLOAD_BYTES


def test_an_uploaded_csv_becomes_a_data_set(api):
    rows = "\n".join(f"{i % 7},{i % 5},{'red' if i % 7 > i % 5 else 'blue'}" for i in range(40))
    status, _, reply = api.upload("a,b,colour\n" + rows + "\n")
    assert status == 200, reply
    assert reply["rows"] == 40 and reply["features"] == ["a", "b"] and reply["target"] == "colour"
    assert reply["task"] == "classification" and reply["classes"] == ["blue", "red"]
    session = api.new_session(dataset="csv", upload=reply["upload"], layers="3")
    assert session["data"]["features"] == ["a", "b"]
    assert len(session["data"]["train"]["x"]) == 20
    assert os.listdir(api.server.app.folder) == []  # the file lived only while it was read


def test_a_csv_with_a_float_target_is_regression(api):
    rows = "\n".join(f"{i},{i / 2},{i * 0.37}" for i in range(30))
    status, _, reply = api.upload("x1,x2,y\n" + rows, target="y")
    assert status == 200 and reply["task"] == "regression"
    session = api.new_session(dataset="csv", upload=reply["upload"], layers="2")
    assert {"value", "low", "high"} <= set(session["regions"])


@pytest.mark.parametrize(
    "text, status, words",
    [
        ("a,b,y\n1,2,0\n3,oops,1\n", 400, ["points.csv", "row 3", "'b'", "not a number"]),
        ("a,b,y\n1,2,1\n3,4,1\n", 400, ["single class"]),
        ("a,b,c,y\n1,2,3,0\n4,5,6,1\n", 400, ["exactly two feature columns", "found 3"]),
        ("a,b,y\n1,2\n", 400, ["row 2 has 2 cells"]),
        ("", 400, ["empty"]),
        ("a,b,y\n", 400, ["no data rows"]),
    ],
)
def test_bad_csv_files_get_readable_messages(api, text, status, words):
    api.assert_bad(api.upload(text), status, *words)
    assert "/tmp" not in api.upload(text)[2]["error"]  # the server's paths stay private


def test_a_huge_csv_is_refused(api):
    text = "a,b,y\n" + "1.000000,2.000000,0\n" * (MAX_UPLOAD_BYTES // 19 + 1)
    api.assert_bad(api.upload(text), 413, "MB", "up to")


def test_a_missing_upload_and_a_missing_target_column(api):
    api.assert_bad(api.post("/api/session", {"dataset": "csv"}), 400, "upload one first")
    api.assert_bad(api.post("/api/session", {"dataset": "csv", "upload": "gone"}), 404,
                   "upload the file again")  # fmt: skip
    api.assert_bad(api.upload("a,b,y\n1,2,0\n", target="label"), 400, "no column named 'label'")
    api.assert_bad(api.post("/api/upload", {"filename": "x.csv"}), 400, "'text'")


def test_export_writes_a_model_file_that_glassnet_loads(api, tmp_path):
    key = api.new_session(dataset="circles", layers="4")["session"]
    api.post("/api/step", {"session": key, "epochs": 10})
    status, headers, content = api.request("GET", f"/api/export?session={key}")
    assert status == 200 and "attachment" in headers["Content-Disposition"]
    path = tmp_path / "model.glassnet"
    path.write_bytes(content)
    loaded = glassnet.load(path)
    network = api.server.app.sessions[key].network
    X = api.server.app.sessions[key].data.X_test
    np.testing.assert_array_equal(loaded.forward(X), network.forward(X))
    assert os.listdir(api.server.app.folder) == []


def test_export_of_a_perceptron(api, tmp_path):
    key = api.new_session(mode="perceptron", dataset="and", bias=True)["session"]
    api.post("/api/step", {"session": key, "epochs": 2})
    status, _, content = api.request("GET", f"/api/export?session={key}")
    assert status == 200
    (tmp_path / "p.glassnet").write_bytes(content)
    assert isinstance(glassnet.load(tmp_path / "p.glassnet"), glassnet.Perceptron)


def test_bad_requests_of_every_kind(api):
    api.assert_bad(api.request("GET", "/etc/passwd"), 404, "no such page")
    api.assert_bad(api.request("GET", "/../setup.py"), 404, "no such page")
    api.assert_bad(api.request("GET", "/api/step"), 405, "GET is not allowed")
    api.assert_bad(api.request("POST", "/"), 405, "POST is not allowed")
    api.assert_bad(api.request("POST", "/api/session", raw=b"{not json"), 400, "not JSON")
    api.assert_bad(api.request("POST", "/api/session", raw=b"[1, 2]"), 400, "JSON object")
    api.assert_bad(api.request("POST", "/api/session", raw=b"\xff\xfe"), 400, "not JSON")
    api.assert_bad(api.post("/api/step", {"session": "nope"}), 404, "unknown or expired session")
    api.assert_bad(api.request("GET", "/api/export?session=nope"), 404, "unknown")
    key = api.new_session()["session"]
    for epochs in (0, 101, "5", True):
        api.assert_bad(api.post("/api/step", {"session": key, "epochs": epochs}), 400,
                       "epochs must be a whole number in [1, 100]")  # fmt: skip
    api.assert_bad(api.request("GET", "/", headers={"Host": "evil.example:80"}), 403, "host")
    evil = {"Origin": "http://evil.example"}
    api.assert_bad(api.request("POST", "/api/session", {}, headers=evil), 403, "evil.example")
    same = {"Origin": f"http://127.0.0.1:{api.port}"}
    assert api.request("POST", "/api/session", {}, headers=same)[0] == 200
    api.assert_bad(
        api.request("POST", "/api/upload", raw=b"{}", headers={"Content-Length": "99999999"}),
        413,
        "the request is 100.0 MB; the playground takes up to 4 MB",
    )
    status, _, _ = api.request("GET", "/api/options")
    assert status == 200  # still serving


def test_an_unexpected_failure_is_a_500_with_a_message_not_a_crash(monkeypatch):
    app = Playground()
    monkeypatch.setattr(app, "options", lambda: 1 / 0)
    status, content_type, content, _ = app.handle("GET", "/api/options", b"")
    assert status == 500 and content_type == "application/json"
    assert "ZeroDivisionError" in json.loads(content)["error"]
    assert app.handle("GET", "/", b"")[0] == 200
    app.close()


def test_the_temporary_folder_is_removed_on_close():
    server = make_server()
    folder = server.app.folder
    assert os.path.isdir(folder) and os.path.basename(folder).startswith("glassnet-playground-")
    server.server_close()
    assert not os.path.exists(folder)


def test_the_command_serves_until_killed_and_cleans_up(tmp_path):
    command = [sys.executable, "-m", "glassnet.cli.main", "playground"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "TMPDIR": str(tmp_path)})  # fmt: skip
    try:
        line = process.stdout.readline()
        assert line.startswith("glassnet playground at http://127.0.0.1:")
        assert len(list(tmp_path.glob("glassnet-playground-*"))) == 1
        url = line.split()[3]
        with urllib.request.urlopen(url + "api/options", timeout=30) as response:
            assert json.load(response)["defaults"]["dataset"] == "xor"
    finally:
        process.send_signal(signal.SIGTERM)
        _, error = process.communicate(timeout=30)
    assert process.returncode == 130 and "interrupted" in error
    assert list(tmp_path.glob("glassnet-playground-*")) == []


def test_sessions_are_bounded(monkeypatch):
    monkeypatch.setattr(server_module, "MAX_SESSIONS", 3)
    app = Playground()
    keys = [json.loads(app.handle("POST", "/api/session", b'{"points": 8}')[2])["session"]
            for _ in range(5)]  # fmt: skip
    assert list(app.sessions) == keys[2:]
    app.close()


def test_cli_refuses_a_port_out_of_range(capsys):
    assert main(["playground", "--port", "70000"]) == 2  # a usage error, as -3 is
    assert "argument --port: must be a whole number in [0, 65535]" in capsys.readouterr().err
    assert main(["playground", "--port", "-3"]) == 2


def test_uploads_are_bounded(monkeypatch):
    monkeypatch.setattr(server_module, "MAX_UPLOADS", 2)
    app = Playground()
    text = "a,b,y\n0,0,0\n1,1,1\n"
    keys = [app.upload({"filename": "two.csv", "text": text})["upload"] for _ in range(3)]
    assert list(app.uploads) == keys[1:]
    app.close()


def test_docstring_examples():
    result = doctest.testmod(server_module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted >= 10


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_sessions_go_by_idle_time_not_by_the_count_of_other_sessions():
    clock = Clock()
    app = Playground(clock=clock)
    paused = app.create({"dataset": "xor", "points": 8})["session"]
    for seed in range(100):  # another tab's sessions do not push it out
        app.create({"dataset": "moons", "points": 8, "seed": seed})
    clock.now += server_module.SESSION_IDLE_SECONDS - 1
    assert app.step({"session": paused, "epochs": 1})["epoch"] == 1  # its use renews it
    clock.now += server_module.SESSION_IDLE_SECONDS - 1
    assert app.step({"session": paused, "epochs": 1})["epoch"] == 2
    clock.now += server_module.SESSION_IDLE_SECONDS + 1  # left idle past the limit: gone
    status, _, content, _ = app.handle(
        "POST", "/api/step", json.dumps({"session": paused, "seq": 7}).encode()
    )
    assert status == 404
    assert json.loads(content) == {
        "error": "unknown or expired session: the page rebuilds it from its settings (press "
        "Reset to start anew)",
        "seq": 7,
    }
    assert paused not in app.sessions and app.sessions == {}  # the idle others went too
    app.close()


def test_uploads_go_by_idle_time_and_a_session_made_from_one_renews_it():
    clock = Clock()
    app = Playground(clock=clock)
    key = app.upload({"filename": "g.csv", "text": "a,b,y\n0,0,0\n1,1,1\n0,1,1\n1,0,0\n"})["upload"]
    clock.now += server_module.SESSION_IDLE_SECONDS - 1
    app.create({"dataset": "csv", "upload": key, "split": 0.5, "layers": "2"})
    clock.now += server_module.SESSION_IDLE_SECONDS - 1
    assert app.create({"dataset": "csv", "upload": key, "split": 0.5})["data"]["target"] == "y"
    clock.now += server_module.SESSION_IDLE_SECONDS + 1
    status, _, content, _ = app.handle(
        "POST", "/api/session", json.dumps({"dataset": "csv", "upload": key}).encode()
    )
    assert status == 404 and "upload the file again" in json.loads(content)["error"]
    app.close()


def test_a_new_run_of_a_page_replaces_its_previous_session(api):
    first = api.new_session(dataset="xor")["session"]
    second = api.new_session(dataset="moons", replaces=first)["session"]
    assert first not in api.server.app.sessions and second in api.server.app.sessions
    api.assert_bad(api.post("/api/step", {"session": first}), 404, "unknown or expired session")


def test_every_answer_carries_the_requests_sequence_number(api):
    key = api.new_session(dataset="xor", seq=11)
    assert key["seq"] == 11
    for path, body in [
        ("/api/step", {"epochs": 2}),
        ("/api/inspect", {"layer": 1}),
        ("/api/change", {"settings": {"lr": 0.1}}),
        ("/api/edit", {"layer": 1, "neuron": 0, "source": 0, "value": 0.5}),
    ]:
        status, _, reply = api.post(path, {"session": key["session"], "seq": 12, **body})
        assert status == 200 and reply["seq"] == 12, (path, reply)
    status, _, reply = api.post("/api/step", {"session": key["session"], "epochs": 0, "seq": 13})
    assert status == 400 and reply["seq"] == 13  # errors carry it too
    api.assert_bad(api.post("/api/step", {"session": key["session"], "seq": -1}), 400,
                   "seq must be a whole number in [0, 9007199254740991], got -1")  # fmt: skip


def test_change_and_edit_over_http(api):
    reply = api.new_session(dataset="moons", layers="3", optimizer="adam", seed=5)
    key = reply["session"]
    api.post("/api/step", {"session": key, "epochs": 4})
    status, _, changed = api.post("/api/change", {"session": key, "settings": {
        "dataset": "moons", "layers": "3", "seed": 5, "optimizer": "sgd", "lr": 0.2}})  # fmt: skip
    assert status == 200 and changed["epoch"] == 4 and changed["settings"]["optimizer"] == "sgd"
    assert (
        changed["note"] == "optimizer sgd from epoch 4: a new optimizer starts with fresh moments"
    )
    assert changed["journal"] == [
        {
            "epoch": 4,
            "settings": {
                "lr": 0.2,
                "optimizer": "sgd",
                "batch": 10,
                "regularization": "none",
                "strength": 0.001,
            },
        }
    ]
    api.assert_bad(api.post("/api/change", {"session": key, "settings": {"dataset": "xor"}}),
                   400, "dataset, layers, seed cannot change while a run trains")  # fmt: skip
    api.assert_bad(api.post("/api/change", {"session": key, "settings": "fast"}), 400,
                   "settings must be a JSON object")  # fmt: skip
    status, _, edited = api.post("/api/edit", {"session": key, "layer": 2, "neuron": 0,
                                               "source": "bias", "value": -2})  # fmt: skip
    assert status == 200 and edited["biases"][1][0] == -2.0
    assert edited["journal"][-1] == {
        "epoch": 4,
        "edit": {"layer": 2, "neuron": 0, "source": "bias", "value": -2.0},
    }
    api.assert_bad(
        api.post("/api/edit", {"session": key, "layer": 2, "neuron": 0, "source": 0, "value": "x"}),
        400,
        "the value typed must be a number",
    )


def test_a_session_with_a_replay_is_rebuilt_and_its_export_keeps_the_journal(api, tmp_path):
    reply = api.new_session(dataset="circles", layers="4", seed=8)
    key = reply["session"]
    api.post("/api/step", {"session": key, "epochs": 6})
    api.post("/api/change", {"session": key, "settings": {"dataset": "circles", "layers": "4",
                                                          "seed": 8, "lr": 0.1}})  # fmt: skip
    api.post("/api/edit", {"session": key, "layer": 1, "neuron": 2, "source": 1, "value": 0.3})
    state = api.post("/api/step", {"session": key, "epochs": 9})[2]
    journal = api.server.app.sessions[key].journal
    again = api.new_session(dataset="circles", layers="4", seed=8,
                            replay={"epoch": 15, "journal": journal})  # fmt: skip
    assert again["epoch"] == 15 and again["weights"] == state["weights"]
    assert again["journal"] == journal
    status, _, content = api.request("GET", f"/api/export?session={again['session']}")
    path = tmp_path / "rebuilt.glassnet"
    path.write_bytes(content)
    metadata = glassnet.modelfile.read(path).metadata
    assert metadata["journal"] == journal and metadata["epoch"] == 15
    assert metadata["started_with"]["lr"] == 0.03 and metadata["settings"]["lr"] == 0.1


def test_the_options_list_what_the_page_offers(api):
    options = api.request("GET", "/api/options")[2]
    assert options["live"] == ["lr", "optimizer", "batch", "regularization", "strength"]
    assert {"plane", "gauss"} <= set(options["datasets"]) and options["one_feature"] == ["sine"]
    assert options["features"]["x1x2"] == "{0}*{1}" and options["regularizations"][1] == "l1"
    assert options["defaults"]["features"] == "x1,x2" and "xor" in options["lessons"]
    assert options["presets"]["tutorial-002"]["settings"]["seed"] == 42
    assert options["limits"]["idle_seconds"] == server_module.SESSION_IDLE_SECONDS
