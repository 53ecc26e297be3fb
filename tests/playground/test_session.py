"""Playground sessions: the data drawn and split, the network built, training step by step,
what the page draws, and the perceptron's replay of tutorial 002."""

import doctest

import numpy as np
import pytest

import glassnet.playground.session as session_module
from glassnet.glassbox.tutorials import TEXTBOOK_TABLES
from glassnet.playground.data import CURVE, generate
from glassnet.playground.session import Session, build_network
from glassnet.playground.settings import MAX_POINTS, BadRequest, Settings


def test_a_session_holds_the_split_data_and_the_network(api):
    reply = api.new_session(dataset="moons", points=120, split=0.75, layers="5,3")
    data = reply["data"]
    assert len(data["train"]["x"]) == 90 and len(data["test"]["x"]) == 30
    assert data["task"] == "classification" and data["classes"] == ["0", "1"]
    assert [np.shape(w) for w in reply["weights"]] == [(2, 5), (5, 3), (3, 1)]
    assert [len(layer) for layer in reply["neurons"]] == [5, 3, 1]
    # tanh and sigmoid maps keep their own scale; a relu map is stretched to its range
    assert {(m["low"], m["high"]) for m in reply["neurons"][0]} == {(-1.0, 1.0)}
    assert reply["neurons"][2][0]["low"] == 0.0 and reply["neurons"][2][0]["high"] == 1.0
    relu = api.new_session(dataset="moons", layers="2", activations="relu")["neurons"][0]
    assert all(m["low"] >= 0 and m["high"] > m["low"] for m in relu)
    assert reply["epoch"] == 0 and reply["train"]["loss"] > 0
    label = np.frombuffer(__import__("base64").b64decode(reply["regions"]["label"]), dtype=np.uint8)
    assert label.size == data["grid"] ** 2 and set(label.tolist()) <= {0, 1}


def test_the_same_settings_and_seed_rebuild_the_same_run(api):
    settings = dict(dataset="spirals", points=100, seed=7, layers="6", optimizer="momentum")
    first, second = api.new_session(**settings), api.new_session(**settings)
    assert first["session"] != second["session"]
    assert first["data"] == second["data"] and first["weights"] == second["weights"]
    steps = [api.post("/api/step", {"session": r["session"], "epochs": 5})[2]
             for r in (first, second)]  # fmt: skip
    assert steps[0]["weights"] == steps[1]["weights"] and steps[0]["epoch"] == 5
    other = api.new_session(**{**settings, "seed": 8})
    assert other["data"] != first["data"]


def test_training_xor_reaches_full_test_accuracy(api):
    reply = api.new_session(dataset="xor", points=200, noise=0.1, layers="4")
    for _ in range(10):
        status, _, state = api.post("/api/step", {"session": reply["session"], "epochs": 20})
        assert status == 200
    assert state["epoch"] == 200
    assert state["test"]["accuracy"] >= 0.95
    assert state["train"]["loss"] < reply["train"]["loss"]


def test_the_largest_data_set_gets_metrics_over_all_its_rows(api):
    reply = api.new_session(dataset="moons", points=MAX_POINTS, split=0.8, layers="4")
    status, _, state = api.post("/api/step", {"session": reply["session"], "epochs": 5})
    assert status == 200
    session = api.server.app.sessions[reply["session"]]
    X, y = session.data.X_train, session.data.y_train
    assert len(X) > 1024  # more rows than one chunk of the network's evaluation
    expected = np.mean(session.network.predict(X) == y)
    assert state["train"]["accuracy"] == pytest.approx(expected)


def test_regression_on_the_sine_sends_a_curve(api):
    reply = api.new_session(dataset="sine", points=100, layers="8", loss="auto")
    assert reply["data"]["task"] == "regression" and reply["data"]["features"] == ["x"]
    assert len(reply["curve"]) == CURVE
    assert reply["train"]["accuracy"] is None


def test_blobs_train_a_softmax_over_three_classes(api):
    reply = api.new_session(dataset="blobs", points=90, noise=0.5, layers="4")
    assert reply["data"]["classes"] == ["0", "1", "2"]
    assert np.shape(reply["weights"][-1]) == (4, 3)


def test_divergence_stops_training_with_a_message_and_the_server_goes_on(api):
    reply = api.new_session(dataset="sine", points=50, layers="16,16",
                            activations="identity", optimizer="sgd", lr=10, batch=1)  # fmt: skip
    status, _, state = api.post("/api/step", {"session": reply["session"], "epochs": 20})
    assert status == 200
    assert "diverged" in state["message"] and "smaller learning rate" in state["message"]
    status, _, again = api.post("/api/step", {"session": reply["session"], "epochs": 1})
    assert status == 200 and again["epoch"] == state["epoch"]


def test_a_run_exploding_without_nan_is_still_drawn(api):
    reply = api.new_session(dataset="sine", points=50, noise=0.0, layers="16,16",
                            activations="relu", optimizer="sgd", lr=10, batch=0)  # fmt: skip
    status, _, state = api.post("/api/step", {"session": reply["session"], "epochs": 30})
    assert status == 200 and state["epoch"] == 30
    assert state["train"]["loss"] is None or state["train"]["loss"] > 1e6
    assert all(np.isfinite(state["curve"]))


@pytest.mark.parametrize(
    "body, words",
    [
        ({"layer": 9, "neuron": 0}, ["layer must be a whole number in [1, 2], got 9"]),
        ({"layer": 1, "neuron": 7}, ["layer 1's neuron must be a whole number in [0, 1], got 7"]),
        ({"layer": 1, "neuron": 0, "source": 5}, ["layer 1's input (source)", "[0, 1], got 5"]),
        ({"layer": 1, "neuron": 0, "sample": 10_000}, ["sample of the train set", "[0, 99]"]),
        (
            {"layer": 1, "neuron": 0, "split": "validation"},
            ["split must be one of 'train', 'test'"],
        ),
    ],
)
def test_inspect_refuses_what_is_not_there(api, body, words):
    key = api.new_session(dataset="xor", layers="2")["session"]
    api.assert_bad(api.post("/api/inspect", {"session": key, **body}), 400, *words)


def test_inspect_on_an_empty_test_set_says_why(api):
    key = api.new_session(dataset="xor", layers="2", points=4, noise=0, split=1)["session"]
    body = {"session": key, "layer": 1, "neuron": 0, "split": "test"}
    api.assert_bad(api.post("/api/inspect", body), 400, "the test set is empty")


def test_perceptron_mode_replays_tutorial_002_epoch_by_epoch(api):
    reply = api.new_session(mode="perceptron", dataset="or", points=4, noise=0, split=1,
                            seed=42, lr=0.1)  # fmt: skip
    assert reply["perceptron"]["weights"] == pytest.approx([0.49671415, -0.1382643])
    assert reply["test"] == {"loss": None, "accuracy": None}
    key = reply["session"]
    weights, rmse = [], []
    for _ in range(3):
        state = api.post("/api/step", {"session": key, "epochs": 1})[2]
        weights.append(state["perceptron"]["weights"])
        rmse.append(state["perceptron"]["table"][-1]["rmse"])
    assert weights[0] == pytest.approx([0.49671415, -0.0382643])
    assert weights[1] == pytest.approx([0.49671415, 0.0617357])
    assert rmse == ["0.5", "0.5", "0"]  # eight significant digits, as every number of the table
    assert state["perceptron"]["done"] and "converged at epoch 3" in state["perceptron"]["message"]
    _, _, panel = api.post("/api/inspect", {"session": key, "sample": 3})
    assert panel["lines"][0] == "z = w1*x1 + w2*x2"


def test_the_perceptron_needs_two_classes(api):
    api.assert_bad(api.post("/api/session", {"mode": "perceptron", "dataset": "blobs"}), 400,
                   "two classes")  # fmt: skip


@pytest.mark.parametrize(
    "settings, words",
    [
        ({"dataset": "blobs", "loss": "binary_crossentropy"}, ["binary_crossentropy", "has 3"]),
        ({"dataset": "sine", "loss": "crossentropy"}, ["crossentropy needs class labels"]),
        ({"dataset": "xor", "loss": "mse"}, ["loss mse is for regression"]),
    ],
)
def test_a_loss_that_does_not_fit_the_task_gets_a_400(api, settings, words):
    api.assert_bad(api.post("/api/session", settings), 400, *words)


def test_the_network_has_the_layers_and_the_output_the_settings_ask_for():
    data = generate(Settings(dataset="blobs", points=30), {})
    network = build_network(Settings(layers=(5, 3), activations=("relu", "tanh"),
                                     regularization="l2", strength=0.01), data)  # fmt: skip
    assert [layer.activation.name for layer in network.layers] == ["relu", "tanh", "softmax"]
    assert [layer.n_outputs for layer in network.layers] == [5, 3, 3]
    assert network.loss.name == "crossentropy" and network.layers[0].l2 == 0.01
    assert network.layers[0].l1 == 0.0
    l1 = build_network(Settings(regularization="l1", strength=0.02), data)
    assert [(layer.l1, layer.l2) for layer in l1.dense_layers] == [(0.02, 0.0), (0.02, 0.0)]


def test_a_diverged_run_keeps_its_epoch_and_says_why():
    session = Session.create(Settings(dataset="sine", points=50, layers=(16, 16),
                                      activations=("identity",) * 2, optimizer="sgd", lr=10.0,
                                      batch=1), {})  # fmt: skip
    session.step(20)
    assert session.epoch == 0 and session.message.startswith("training diverged at epoch")


def test_docstring_examples():
    result = doctest.testmod(session_module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted >= 8


def same(first, second):
    return all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))


def test_every_change_to_a_run_counts_a_version():
    session = Session.create(Settings(dataset="xor", points=20), {})
    assert session.state()["version"] == 0
    session.step(3)
    session.change(Settings(dataset="xor", points=20, lr=0.2))
    session.change(Settings(dataset="xor", points=20, lr=0.2))  # no change: no version
    session.edit(1, 0, 0, 0.5)
    assert session.state()["version"] == 3


def test_a_live_learning_rate_keeps_the_weights_and_the_optimizers_moments():
    settings = Settings(dataset="moons", points=60, layers=(4,), optimizer="adam", seed=2)
    session = Session.create(settings, {})
    session.step(5)
    optimizer, weights = session.optimizer, session.network.get_weights()
    moments = [m.copy() for m in optimizer.first_moments]
    assert session.change(Settings(**{**settings.__dict__, "lr": 0.2})) == ""
    assert session.optimizer is optimizer and optimizer.learning_rate == 0.2
    assert same(optimizer.first_moments, moments) and same(session.network.get_weights(), weights)
    session.step(1)
    assert session.epoch == 6 and optimizer.learning_rate == 0.2  # the schedule is the new rate


def test_a_new_optimizer_starts_with_fresh_moments_and_says_so():
    settings = Settings(dataset="moons", points=60, layers=(4,), optimizer="adam")
    session = Session.create(settings, {})
    session.step(5)
    old = session.optimizer
    note = session.change(Settings(**{**settings.__dict__, "optimizer": "momentum"}))
    assert note == "optimizer momentum from epoch 5: a new optimizer starts with fresh moments"
    assert session.optimizer is not old and session.optimizer.name == "momentum"
    assert session.optimizer.learning_rate == settings.lr


def test_live_regularisation_sets_every_layers_strength():
    settings = Settings(dataset="moons", points=60, layers=(4, 3), activations=("tanh",) * 2)
    session = Session.create(settings, {})
    session.change(Settings(**{**settings.__dict__, "regularization": "l1", "strength": 0.05}))
    assert [(d.l1, d.l2) for d in session.network.dense_layers] == [(0.05, 0.0)] * 3
    session.change(Settings(**{**settings.__dict__, "regularization": "l2", "strength": 0.05}))
    assert [(d.l1, d.l2) for d in session.network.dense_layers] == [(0.0, 0.05)] * 3
    assert [entry["settings"]["regularization"] for entry in session.journal] == ["l1", "l2"]


def test_a_change_that_needs_a_new_run_is_refused():
    session = Session.create(Settings(dataset="xor"), {})
    with pytest.raises(BadRequest, match="layers, seed cannot change while a run trains"):
        session.change(Settings(dataset="xor", layers=(3,), seed=4))
    perceptron = Session.create(Settings(mode="perceptron", dataset="or"), {})
    with pytest.raises(BadRequest, match="the perceptron replays a finished run"):
        perceptron.change(Settings(mode="perceptron", dataset="or", lr=0.5))
    with pytest.raises(BadRequest, match="its weights are not edited"):
        perceptron.edit(1, 0, 0, 1.0)


def test_a_diverged_run_goes_on_after_a_live_change():
    settings = Settings(dataset="gauss", layers=(6,), optimizer="sgd", lr=1.0)
    session = Session.create(settings, {})
    for _ in range(20):
        session.step(1)
    assert session.epoch == 14 and "diverged at epoch 15" in session.message
    assert "A live change goes on from the weights kept" in session.message
    session.change(Settings(**{**settings.__dict__, "lr": 0.001}))
    assert session.message == ""
    session.step(2)
    assert session.epoch == 16


@pytest.mark.parametrize(
    "place, words",
    [
        ((3, 0, 0, 1.0), "layer must be a whole number in [1, 2], got 3"),
        ((1, 9, 0, 1.0), "layer 1's neuron must be a whole number in [0, 3], got 9"),
        ((1, 0, 2, 1.0), "layer 1's input (source) must be a whole number in [0, 1], got 2"),
        ((1, 0, "bias", "1"), "the value typed must be a number in [-1000000, 1000000], got '1'"),
        ((1, 0, 0, float("nan")), "the value typed must be a number"),
        ((1, 0, 0, 1e7), "got 10000000.0"),
    ],
)
def test_an_edit_of_something_not_there_or_of_no_number_is_refused(place, words):
    session = Session.create(Settings(dataset="xor"), {})
    with pytest.raises(BadRequest) as caught:
        session.edit(*place)
    assert words in str(caught.value)
    assert session.journal == []


def test_the_perceptrons_loss_is_the_rmse_its_table_shows_for_the_epoch_on_screen():
    session = Session.create(Settings(mode="perceptron", dataset="or", points=4, noise=0,
                                      split=1, seed=42, lr=0.1), {})  # fmt: skip
    losses = []
    for _ in range(3):
        session.step(1)
        state = session.state()
        assert state["train"]["loss"] == float(state["perceptron"]["table"][-1]["rmse"])
        losses.append(state["train"]["loss"])
    assert losses == [0.5, 0.5, 0.0]
    # The model exported is the one after the update; its metrics are its own.
    assert session.model_metrics()["train"] == {"loss": 0.0, "accuracy": 1.0}


def test_crossed_inputs_reach_the_network_and_the_formula():
    session = Session.create(Settings(dataset="xor", layers=(), activations=(),
                                      features=("x1", "x2", "x1x2")), {})  # fmt: skip
    assert session.network.dense_layers[0].n_inputs == 3
    session.step(3)
    x, _ = session.sample("train", 2)
    panel = session.inspect(1, 0, 2, "train", 2)
    assert panel["title"] == "weight W_31 into neuron 1 of layer 1 (output)"
    assert panel["lines"][-1] == "the inputs: x_1 = x1, x_2 = x2, x_3 = x1*x2"
    assert panel["lines"][2].startswith(f"  = {x[0, 0] * x[0, 1]:.6g} * ")


@pytest.mark.parametrize("name", ["negnevitsky-and", "fausett-and"])
def test_a_books_table_is_replayed_with_its_own_rows_and_rule(name):
    book = TEXTBOOK_TABLES[name]
    session = Session.create(Settings(mode="perceptron", book=name, dataset="xor", lr=0.5), {})
    assert session.data.X_train.tolist() == [list(map(float, row)) for row in book.X]
    session.step(100)
    state = session.state()
    assert session.epoch == book.epochs
    final = state["perceptron"]
    assert final["weights"] == list(book.final_weights) and final["bias"] == book.final_bias
    assert state["train"] == {"loss": 0.0, "accuracy": 1.0} and state["test"]["loss"] is None
    assert final["book"] == book.citation and final["threshold"] == book.settings.get(
        "threshold", 0.0
    )
    model = session.model_on_screen()
    assert model.predict(np.array(book.X, dtype=float)).tolist() == list(book.targets)


def test_a_book_needs_perceptron_mode_and_must_be_known():
    with pytest.raises(BadRequest, match="the book fausett-and is a perceptron's table"):
        Settings.parse({"book": "fausett-and"})
    with pytest.raises(BadRequest, match="book must be one of '', 'negnevitsky-and'"):
        Settings.parse({"mode": "perceptron", "book": "rosenblatt-1958"})
