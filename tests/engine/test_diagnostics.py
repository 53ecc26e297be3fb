"""Diagnostics fire on constructed failures, name layer and units, and stay silent on a
healthy run."""

import numpy as np
import pytest

from glassnet import Dense, Network, TrainingDiverged
from glassnet.datasets import load_digits, logic_gate, make_spirals
from glassnet.engine.diagnostics import Diagnostics


@pytest.fixture(scope="module")
def spirals():
    return make_spirals(400, seed=0)


def test_learning_rate_50_on_the_spirals_makes_the_loss_rise(spirals):
    X, y = spirals
    network = Network([Dense(2, 16, "tanh"), Dense(16, 2, "softmax")], "crossentropy", seed=0)
    diagnostics = Diagnostics()
    network.fit(X, y, epochs=100, learning_rate=50, batch_size=32, callbacks=[diagnostics])
    assert network.diagnostics is diagnostics
    assert "rising_loss" in diagnostics.kinds()
    note = diagnostics.notes[diagnostics.kinds().index("rising_loss")]
    assert "the learning rate is too high" in note.text
    assert "smaller" in note.suggestion


def test_learning_rate_50_with_relu_diverges_and_kills_units(spirals):
    X, y = spirals
    network = Network([Dense(2, 16, "relu"), Dense(16, 2, "softmax")], "crossentropy", seed=0)
    diagnostics = Diagnostics()
    with pytest.warns(TrainingDiverged):
        network.fit(X, y, epochs=100, learning_rate=50, batch_size=32, callbacks=[diagnostics])
    assert diagnostics.kinds()[0] == "diverged"
    assert "NaN or infinite" in str(diagnostics)


def test_a_network_of_saturated_sigmoids(spirals):
    X, y = spirals
    weights = np.random.default_rng(0).normal(0, 20, (2, 8))  # |z| in the tens
    network = Network([Dense(2, 8, "sigmoid", weights=weights), Dense(8, 1, "sigmoid")],
                      "binary_crossentropy", seed=0)  # fmt: skip
    diagnostics = Diagnostics()
    network.fit(X * 3, y, epochs=50, learning_rate=0.1, callbacks=[diagnostics])
    note = diagnostics.notes[diagnostics.kinds().index("saturation")]
    assert note.layer == 1
    # The claim itself, recomputed: the units with |z| > 5 on 90% or more of the samples.
    share = np.mean(np.abs((X * 3) @ weights) > 5, axis=0)
    assert note.units == np.flatnonzero(share >= 0.9).tolist() == [0, 1, 2, 4, 6, 7]
    assert note.text.startswith(
        "Layer 1 (sigmoid): 6 of 8 units are saturated from the start to the end"
    )


def test_relu_layer_with_a_large_negative_bias_is_dead(spirals):
    X, y = spirals
    bias = np.array([-50.0] * 6 + [0.0, 0.0])  # units 0-5 can never fire on these inputs
    network = Network([Dense(2, 8, "relu", bias=bias), Dense(8, 2, "softmax")],
                      "crossentropy", seed=0)  # fmt: skip
    diagnostics = Diagnostics()
    network.fit(X, y, epochs=30, learning_rate=0.1, callbacks=[diagnostics])
    note = diagnostics.notes[diagnostics.kinds().index("dead_relu")]
    assert (note.layer, note.units) == (1, [0, 1, 2, 3, 4, 5])
    assert "6 of 8 units are dead" in note.text


def test_flat_loss_reports_the_gradient_norm_of_each_layer(spirals):
    X, y = spirals
    network = Network([Dense(2, 8, "relu", bias=np.full(8, -50.0)), Dense(8, 2, "softmax")],
                      "crossentropy", seed=0)  # fmt: skip
    diagnostics = Diagnostics()
    network.fit(X, y, epochs=30, learning_rate=0.1, callbacks=[diagnostics])
    assert diagnostics.kinds() == ["dead_relu", "flat_loss"]
    assert "||dE/dW[1]|| = 0, ||dE/dW[2]|| = 0" in diagnostics.notes[1].text


def test_vanishing_gradients_in_a_deep_sigmoid_stack(spirals):
    X, y = spirals
    layers = [Dense(2, 16, "sigmoid"), *(Dense(16, 16, "sigmoid") for _ in range(8))]
    network = Network([*layers, Dense(16, 2, "softmax")], "crossentropy", seed=0)
    diagnostics = Diagnostics()
    network.fit(X, y, epochs=20, learning_rate=0.1, callbacks=[diagnostics])
    assert "vanishing_gradients" in diagnostics.kinds()
    norms = {index: np.median(values) for index, values in diagnostics.gradient_norms.items()}
    assert norms[1] < 1e-3 * norms[10]


def test_a_healthy_run_on_the_digits_is_silent():
    X, y = load_digits()
    network = Network([Dense(64, 32, "relu"), Dense(32, 10, "softmax")], "crossentropy", seed=0)
    diagnostics = Diagnostics()
    history = network.fit(X / 16, y, epochs=30, learning_rate=0.1, batch_size=32,
                          callbacks=[diagnostics])  # fmt: skip
    assert history.history["accuracy"][-1] > 0.95
    assert diagnostics.notes == []
    assert str(diagnostics) == "Diagnostics: nothing unusual in this training run."


def test_a_healthy_xor_run_is_silent_and_a_wild_one_is_not():
    X, y = logic_gate("XOR")
    notes = {}
    for learning_rate in (0.5, 50.0):
        network = Network([Dense(2, 4, "tanh"), Dense(4, 1, "sigmoid")],
                          "binary_crossentropy", seed=0)  # fmt: skip
        diagnostics = Diagnostics()
        network.fit(X, y, epochs=2000, learning_rate=learning_rate, callbacks=[diagnostics])
        notes[learning_rate] = diagnostics.kinds()
    assert notes[0.5] == []
    assert notes[50.0] == ["saturation", "rising_loss", "vanishing_gradients"]


def test_notes_are_printed_to_a_stream_at_the_end(tmp_path):
    X, y = logic_gate("XOR")
    network = Network([Dense(2, 4, "tanh"), Dense(4, 1, "sigmoid")], "binary_crossentropy", seed=0)
    path = tmp_path / "notes.txt"
    with open(path, "w") as stream:
        network.fit(X, y, epochs=300, learning_rate=50.0, callbacks=[Diagnostics(stream=stream)])
    assert path.read_text().startswith("Diagnostics:\n- Layer 1 (tanh): 4 of 4 units")


def test_a_standardize_layer_in_front_is_not_applied_twice():
    from glassnet import Standardize

    X, y = make_spirals(200, seed=1)
    X = X * 100 + 500  # far from standardized: applied twice, every unit would look dead
    network = Network([Standardize.fit(X), Dense(2, 16, "relu"), Dense(16, 2, "softmax")],
                      "crossentropy", seed=0)  # fmt: skip
    diagnostics = Diagnostics()
    network.fit(X, y, epochs=20, learning_rate=0.1, callbacks=[diagnostics])
    assert "dead_relu" not in diagnostics.kinds()


@pytest.mark.parametrize("rows", [2000, 20000])
def test_units_are_judged_on_rows_from_the_whole_set_not_its_end(rows):
    # Sorted inputs: unit 0 fires on the first half of the rows only, unit 1 on the second.
    x = np.linspace(-1, 1, rows).reshape(-1, 1)
    layers = [Dense(1, 2, "relu", weights=[[-1.0, 1.0]], bias=[0.0, 0.0]),
              Dense(2, 1, "identity", weights=[[1.0], [1.0]], bias=[0.0])]  # fmt: skip
    net = Network(layers, loss="mse", seed=0)
    net.fit(x, np.abs(x).ravel(), epochs=3, learning_rate=1e-6)
    assert not [note for note in net.diagnostics.notes if "dead" in note.text]
    sample = net.diagnostics.sample
    assert len(sample) <= 1024 and sample.min() == -1.0 and sample.max() > 0.99
