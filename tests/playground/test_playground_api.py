"""The playground's JSON API, served in-process on 127.0.0.1 and called over real HTTP."""

import doctest
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import urllib.request

import numpy as np
import pytest

import glassnet
import glassnet.playground.server as playground
from glassnet.cli.main import main
from glassnet.playground.server import Playground, Settings, make_server


@pytest.fixture(scope="module")
def server():
    server = make_server(port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def request(server, method, path, body=None, headers=None, raw=None):
    """(status, headers, payload): JSON answers decoded, anything else as bytes."""
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=30)
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    connection.request(method, path, body=data, headers=headers or {})
    response = connection.getresponse()
    content = response.read()
    connection.close()
    if response.getheader("Content-Type") == "application/json":
        return response.status, dict(response.getheaders()), json.loads(content)
    return response.status, dict(response.getheaders()), content


def post(server, path, body):
    return request(server, "POST", path, body)


def new_session(server, **settings):
    status, _, reply = post(server, "/api/session", settings)
    assert status == 200, reply
    return reply


def assert_bad(answer, status, *words):
    code, _, reply = answer
    assert code == status, reply
    assert set(reply) == {"error"}
    for word in words:
        assert word in reply["error"], reply["error"]


# ---------------------------------------------------------------------- the page
@pytest.mark.parametrize(
    "path, content_type, marker",
    [
        ("/", "text/html", b"glassnet <span>playground</span>"),
        ("/app.js", "text/javascript", b"/api/step"),
        ("/style.css", "text/css", b".panel"),
    ],
)
def test_the_page_and_its_files_are_served(server, path, content_type, marker):
    status, headers, content = request(server, "GET", path)
    assert status == 200
    assert headers["Content-Type"].startswith(content_type)
    assert marker in content


def test_options_list_the_choices_and_defaults(server):
    status, _, options = request(server, "GET", "/api/options")
    assert status == 200
    assert {"xor", "moons", "circles", "spirals", "blobs", "sine"} <= set(options["datasets"])
    assert options["optimizers"] == ["sgd", "momentum", "nesterov", "adam"]
    assert options["defaults"]["dataset"] == "xor"
    assert options["limits"]["upload_bytes"] == playground.MAX_UPLOAD_BYTES


# ---------------------------------------------------------------------- sessions and training
def test_a_session_holds_the_split_data_and_the_network(server):
    reply = new_session(server, dataset="moons", points=120, split=0.75, layers="5,3")
    data = reply["data"]
    assert len(data["train"]["x"]) == 90 and len(data["test"]["x"]) == 30
    assert data["task"] == "classification" and data["classes"] == ["0", "1"]
    assert [np.shape(w) for w in reply["weights"]] == [(2, 5), (5, 3), (3, 1)]
    assert [len(layer) for layer in reply["neurons"]] == [5, 3, 1]
    # tanh and sigmoid maps keep their own scale; a relu map is stretched to its range
    assert {(m["low"], m["high"]) for m in reply["neurons"][0]} == {(-1.0, 1.0)}
    assert reply["neurons"][2][0]["low"] == 0.0 and reply["neurons"][2][0]["high"] == 1.0
    relu = new_session(server, dataset="moons", layers="2", activations="relu")["neurons"][0]
    assert all(m["low"] >= 0 and m["high"] > m["low"] for m in relu)
    assert reply["epoch"] == 0 and reply["train"]["loss"] > 0
    label = np.frombuffer(__import__("base64").b64decode(reply["regions"]["label"]), dtype=np.uint8)
    assert label.size == data["grid"] ** 2 and set(label.tolist()) <= {0, 1}


def test_the_same_settings_and_seed_rebuild_the_same_run(server):
    settings = dict(dataset="spirals", points=100, seed=7, layers="6", optimizer="momentum")
    first, second = new_session(server, **settings), new_session(server, **settings)
    assert first["session"] != second["session"]
    assert first["data"] == second["data"] and first["weights"] == second["weights"]
    steps = [post(server, "/api/step", {"session": r["session"], "epochs": 5})[2]
             for r in (first, second)]  # fmt: skip
    assert steps[0]["weights"] == steps[1]["weights"] and steps[0]["epoch"] == 5
    other = new_session(server, **{**settings, "seed": 8})
    assert other["data"] != first["data"]


def test_training_xor_reaches_full_test_accuracy(server):
    reply = new_session(server, dataset="xor", points=200, noise=0.1, layers="4")
    for _ in range(10):
        status, _, state = post(server, "/api/step", {"session": reply["session"], "epochs": 20})
        assert status == 200
    assert state["epoch"] == 200
    assert state["test"]["accuracy"] >= 0.95
    assert state["train"]["loss"] < reply["train"]["loss"]


def test_the_largest_data_set_gets_figures_over_all_its_rows(server):
    reply = new_session(
        server, dataset="moons", points=playground.MAX_POINTS, split=0.8, layers="4"
    )
    status, _, state = post(server, "/api/step", {"session": reply["session"], "epochs": 5})
    assert status == 200
    session = server.app.sessions[reply["session"]]
    X, y = session.data.X_train, session.data.y_train
    assert len(X) > 1024  # more rows than one chunk of the network's evaluation
    expected = np.mean(session.network.predict(X) == y)
    assert state["train"]["accuracy"] == pytest.approx(expected)


def test_regression_on_the_sine_sends_a_curve(server):
    reply = new_session(server, dataset="sine", points=100, layers="8", loss="auto")
    assert reply["data"]["task"] == "regression" and reply["data"]["features"] == ["x"]
    assert len(reply["curve"]) == playground.CURVE
    assert reply["train"]["accuracy"] is None


def test_blobs_train_a_softmax_over_three_classes(server):
    reply = new_session(server, dataset="blobs", points=90, noise=0.5, layers="4")
    assert reply["data"]["classes"] == ["0", "1", "2"]
    assert np.shape(reply["weights"][-1]) == (4, 3)


def test_an_absurd_learning_rate_is_refused_with_a_message(server):
    assert_bad(post(server, "/api/session", {"lr": 1e6}), 400, "learning rate", "out of range")
    assert_bad(post(server, "/api/session", {"lr": "fast"}), 400, "learning rate", "number")
    assert_bad(post(server, "/api/session", {"lr": 0}), 400, "learning rate")


def test_divergence_stops_training_with_a_message_and_the_server_goes_on(server):
    reply = new_session(server, dataset="sine", points=50, layers="16,16",
                        activations="identity", optimizer="sgd", lr=10, batch=1)  # fmt: skip
    status, _, state = post(server, "/api/step", {"session": reply["session"], "epochs": 20})
    assert status == 200
    assert "diverged" in state["message"] and "smaller learning rate" in state["message"]
    status, _, again = post(server, "/api/step", {"session": reply["session"], "epochs": 1})
    assert status == 200 and again["epoch"] == state["epoch"]


def test_a_run_exploding_without_nan_is_still_drawn(server):
    reply = new_session(server, dataset="sine", points=50, noise=0.0, layers="16,16",
                        activations="relu", optimizer="sgd", lr=10, batch=0)  # fmt: skip
    status, _, state = post(server, "/api/step", {"session": reply["session"], "epochs": 30})
    assert status == 200 and state["epoch"] == 30
    assert state["train"]["loss"] is None or state["train"]["loss"] > 1e6
    assert all(np.isfinite(state["curve"]))


# ---------------------------------------------------------------------- the formula panel
def test_a_neuron_formula_carries_the_trace_numbers(server):
    reply = new_session(server, dataset="xor", layers="3", seed=3)
    key = reply["session"]
    post(server, "/api/step", {"session": key, "epochs": 4})
    status, _, panel = post(
        server,
        "/api/inspect",
        {"session": key, "layer": 1, "neuron": 2, "split": "train", "sample": 5},  # fmt: skip
    )
    assert status == 200 and panel["title"].startswith("neuron 3 of layer 1 (hidden)")
    # The same numbers from the library itself: a trace of the same network on that sample.
    session = server.app.sessions[key]
    x = session.data.X_train[5:6]
    trace = session.network.copy().trace(x, session.data.y_train[5:6], learning_rate=0.03)
    lines = panel["lines"]
    assert lines[0] == "z[1]_3 = sum over i of W[1]_i3 * x_i + b[1]_3"
    assert f"{x[0, 0]:.6g}" in lines[1] and f"{x[0, 1]:.6g}" in lines[1]
    assert lines[2] == f"  = {trace['z[1]'][0, 2]:.6g}"
    assert lines[3].startswith(f"a[1]_3 = tanh(z) = {trace['a[1]'][0, 2]:.6g}")
    assert lines[6].endswith(f" = {trace['delta[1]'][0, 2]:.6g}")
    assert f"dE/db[1]_3 = delta[1]_3 = {trace['dE/db[1]'][2]:.6g}" in lines


def test_the_output_neuron_shows_the_paired_delta(server):
    key = new_session(server, dataset="moons", layers="2")["session"]
    _, _, panel = post(server, "/api/inspect", {"session": key, "layer": 2, "neuron": 0})
    assert panel["title"].endswith("(output)")
    assert "delta[2]_1 = a[2]_1 - y  (sigmoid with binary_crossentropy)" in panel["lines"]


def test_a_weight_formula_is_input_times_delta(server):
    key = new_session(server, dataset="xor", layers="2", seed=5)["session"]
    _, _, panel = post(
        server, "/api/inspect", {"session": key, "layer": 2, "neuron": 0, "source": 1}
    )
    assert panel["title"] == "weight W[2]_21 into neuron 1 of layer 2 (output)"
    assert panel["lines"][1] == "dE/dW[2]_21 = a[1]_2 * delta[2]_1"
    product, result = panel["lines"][2].removeprefix("  = ").split(" = ")
    a, delta = (float(v.strip("()")) for v in product.split(" * "))
    assert float(result) == pytest.approx(a * delta, rel=1e-4)


@pytest.mark.parametrize(
    "body, words",
    [
        ({"layer": 9, "neuron": 0}, ["layer must be 1 to 2"]),
        ({"layer": 1, "neuron": 7}, ["neurons 0 to 1"]),
        ({"layer": 1, "neuron": 0, "source": 5}, ["inputs 0 to 1"]),
        ({"layer": 1, "neuron": 0, "sample": 10_000}, ["sample must be a row"]),
        ({"layer": 1, "neuron": 0, "split": "validation"}, ["split must be train or test"]),
    ],
)
def test_inspect_refuses_what_is_not_there(server, body, words):
    key = new_session(server, dataset="xor", layers="2")["session"]
    assert_bad(post(server, "/api/inspect", {"session": key, **body}), 400, *words)


def test_inspect_on_an_empty_test_set_says_why(server):
    key = new_session(server, dataset="xor", layers="2", points=4, noise=0, split=1)["session"]
    body = {"session": key, "layer": 1, "neuron": 0, "split": "test"}
    assert_bad(post(server, "/api/inspect", body), 400, "the test set is empty")


# ---------------------------------------------------------------------- perceptron mode
def test_perceptron_mode_replays_tutorial_002_epoch_by_epoch(server):
    reply = new_session(server, mode="perceptron", dataset="or", points=4, noise=0, split=1,
                        seed=42, lr=0.1)  # fmt: skip
    assert reply["perceptron"]["weights"] == pytest.approx([0.49671415, -0.1382643])
    assert reply["test"] == {"loss": None, "accuracy": None}
    key = reply["session"]
    weights, rmse = [], []
    for _ in range(3):
        state = post(server, "/api/step", {"session": key, "epochs": 1})[2]
        weights.append(state["perceptron"]["weights"])
        rmse.append(state["perceptron"]["table"][-1]["rmse"])
    assert weights[0] == pytest.approx([0.49671415, -0.0382643])
    assert weights[1] == pytest.approx([0.49671415, 0.0617357])
    assert rmse == [0.5, 0.5, 0.0]
    assert state["perceptron"]["done"] and "converged at epoch 3" in state["perceptron"]["message"]
    _, _, panel = post(server, "/api/inspect", {"session": key, "sample": 3})
    assert panel["lines"][0] == "z = w1*x1 + w2*x2"


def test_the_perceptron_needs_two_classes(server):
    assert_bad(post(server, "/api/session", {"mode": "perceptron", "dataset": "blobs"}), 400,
               "two classes")  # fmt: skip


# ---------------------------------------------------------------------- CSV upload
def upload(server, text, filename="points.csv", target=""):
    return post(server, "/api/upload", {"filename": filename, "text": text, "target": target})


def test_an_uploaded_csv_becomes_a_data_set(server):
    rows = "\n".join(f"{i % 7},{i % 5},{'red' if i % 7 > i % 5 else 'blue'}" for i in range(40))
    status, _, reply = upload(server, "a,b,colour\n" + rows + "\n")
    assert status == 200, reply
    assert reply["rows"] == 40 and reply["features"] == ["a", "b"] and reply["target"] == "colour"
    assert reply["task"] == "classification" and reply["classes"] == ["blue", "red"]
    session = new_session(server, dataset="csv", upload=reply["upload"], layers="3")
    assert session["data"]["features"] == ["a", "b"]
    assert len(session["data"]["train"]["x"]) == 20
    assert os.listdir(server.app.folder) == []  # the file lived only while it was read


def test_a_csv_with_a_float_target_is_regression(server):
    rows = "\n".join(f"{i},{i / 2},{i * 0.37}" for i in range(30))
    status, _, reply = upload(server, "x1,x2,y\n" + rows, target="y")
    assert status == 200 and reply["task"] == "regression"
    session = new_session(server, dataset="csv", upload=reply["upload"], layers="2")
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
def test_bad_csv_files_get_readable_messages(server, text, status, words):
    assert_bad(upload(server, text), status, *words)
    assert "/tmp" not in upload(server, text)[2]["error"]  # the server's paths stay private


def test_a_huge_csv_is_refused(server):
    text = "a,b,y\n" + "1.000000,2.000000,0\n" * (playground.MAX_UPLOAD_BYTES // 19 + 1)
    assert_bad(upload(server, text), 413, "MB", "up to")


def test_a_missing_upload_and_a_missing_target_column(server):
    assert_bad(post(server, "/api/session", {"dataset": "csv"}), 400, "upload one first")
    assert_bad(post(server, "/api/session", {"dataset": "csv", "upload": "gone"}), 404,
               "upload the file again")  # fmt: skip
    assert_bad(upload(server, "a,b,y\n1,2,0\n", target="label"), 400, "no column named 'label'")
    assert_bad(post(server, "/api/upload", {"filename": "x.csv"}), 400, "'text'")


# ---------------------------------------------------------------------- export
def test_export_writes_a_model_file_that_glassnet_loads(server, tmp_path):
    key = new_session(server, dataset="circles", layers="4")["session"]
    post(server, "/api/step", {"session": key, "epochs": 10})
    status, headers, content = request(server, "GET", f"/api/export?session={key}")
    assert status == 200 and "attachment" in headers["Content-Disposition"]
    path = tmp_path / "model.glassnet"
    path.write_bytes(content)
    loaded = glassnet.load(path)
    network = server.app.sessions[key].network
    X = server.app.sessions[key].data.X_test
    np.testing.assert_array_equal(loaded.forward(X), network.forward(X))
    assert os.listdir(server.app.folder) == []


def test_export_of_a_perceptron(server, tmp_path):
    key = new_session(server, mode="perceptron", dataset="and", bias=True)["session"]
    post(server, "/api/step", {"session": key, "epochs": 2})
    status, _, content = request(server, "GET", f"/api/export?session={key}")
    assert status == 200
    (tmp_path / "p.glassnet").write_bytes(content)
    assert isinstance(glassnet.load(tmp_path / "p.glassnet"), glassnet.Perceptron)


# ---------------------------------------------------------------------- bad requests
@pytest.mark.parametrize(
    "settings, words",
    [
        ({"dataset": "mnist"}, ["dataset must be one of"]),
        ({"layers": "8,x"}, ["layers must be neuron counts"]),
        ({"layers": "99"}, ["1 to 16 neurons"]),
        ({"layers": "4,4", "activations": "tanh,relu,relu"}, ["one per hidden layer"]),
        ({"activations": "softmax"}, ["not offered"]),
        ({"points": 10**6}, ["points must be between"]),
        ({"points": 10.5}, ["whole number"]),
        ({"noise": "loud"}, ["noise must be a number"]),
        ({"split": 0}, ["training share"]),
        ({"optimizer": "lbfgs"}, ["optimizer must be one of"]),
        ({"dataset": "blobs", "loss": "binary_crossentropy"}, ["3 classes need"]),
        ({"dataset": "sine", "loss": "crossentropy"}, ["classification loss"]),
        ({"l2": -1}, ["L2"]),
        ({"mode": "magic"}, ["mode must be one of"]),
    ],
)
def test_bad_settings_get_a_400_naming_the_setting(server, settings, words):
    assert_bad(post(server, "/api/session", settings), 400, *words)


def test_bad_requests_of_every_kind(server):
    assert_bad(request(server, "GET", "/etc/passwd"), 404, "no such page")
    assert_bad(request(server, "GET", "/../setup.py"), 404, "no such page")
    assert_bad(request(server, "GET", "/api/step"), 405, "GET is not allowed")
    assert_bad(request(server, "POST", "/"), 405, "POST is not allowed")
    assert_bad(request(server, "POST", "/api/session", raw=b"{not json"), 400, "not JSON")
    assert_bad(request(server, "POST", "/api/session", raw=b"[1, 2]"), 400, "JSON object")
    assert_bad(request(server, "POST", "/api/session", raw=b"\xff\xfe"), 400, "not JSON")
    assert_bad(post(server, "/api/step", {"session": "nope"}), 404, "unknown or expired session")
    assert_bad(request(server, "GET", "/api/export?session=nope"), 404, "unknown")
    key = new_session(server)["session"]
    for epochs in (0, 101, "5", True):
        assert_bad(post(server, "/api/step", {"session": key, "epochs": epochs}), 400, "epochs")
    assert_bad(request(server, "GET", "/", headers={"Host": "evil.example:80"}), 403, "host")
    evil = {"Origin": "http://evil.example"}
    assert_bad(request(server, "POST", "/api/session", {}, headers=evil), 403, "evil.example")
    port = server.server_address[1]
    same = {"Origin": f"http://127.0.0.1:{port}"}
    assert request(server, "POST", "/api/session", {}, headers=same)[0] == 200
    assert_bad(
        request(server, "POST", "/api/upload", raw=b"{}", headers={"Content-Length": "99999999"}),
        413,
        "larger than",
    )
    status, _, _ = request(server, "GET", "/api/options")
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
    monkeypatch.setattr(playground, "MAX_SESSIONS", 3)
    app = Playground()
    keys = [json.loads(app.handle("POST", "/api/session", b'{"points": 8}')[2])["session"]
            for _ in range(5)]  # fmt: skip
    assert list(app.sessions) == keys[2:]
    app.close()


def test_settings_parse_strings_as_the_url_carries_them():
    settings = Settings.parse({"layers": "8, 8", "activations": "relu", "lr": "0.1",
                               "bias": "true", "seed": "12"})  # fmt: skip
    assert settings.layers == (8, 8) and settings.activations == ("relu", "relu")
    assert settings.lr == 0.1 and settings.bias is True and settings.seed == 12


def test_docstring_examples():
    result = doctest.testmod(playground, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted >= 4


def test_cli_refuses_a_port_out_of_range(capsys):
    assert main(["playground", "--port", "70000"]) == 1
    assert "port must be 0" in capsys.readouterr().err
    assert main(["playground", "--port", "-3"]) == 2
