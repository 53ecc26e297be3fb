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


# ---------------------------------------------------------------------- the advice fits
def suggestions(diagnostics: Diagnostics) -> str:
    return " ".join(note.suggestion for note in diagnostics.notes)


def test_a_dead_relu_network_is_told_the_cause_and_never_to_use_relu(spirals):
    # Units dead from the start (bias -50), the loss flat: neither a smaller learning rate
    # (the loss never rose, the weights never grew) nor "relu or tanh" (it is relu), nor a
    # larger learning rate (no gradient reaches the weights at all).
    X, y = spirals
    network = Network([Dense(2, 8, "relu", bias=np.full(8, -50.0)), Dense(8, 2, "softmax")],
                      "crossentropy", seed=0)  # fmt: skip
    diagnostics = Diagnostics()
    network.fit(X, y, epochs=30, learning_rate=0.1, callbacks=[diagnostics])
    dead, flat = diagnostics.notes
    assert "They were dead from the start" in dead.text and "as low as -50" in dead.text
    assert dead.suggestion == "start the biases at 0 or a small positive value; or leaky_relu."
    assert "dead units above pass none" in flat.text
    assert "relu" not in flat.suggestion and "ten times larger" not in flat.suggestion
    assert "learning rate" not in dead.suggestion and "he_normal" not in suggestions(diagnostics)


def test_units_killed_while_the_loss_rose_are_blamed_on_the_learning_rate(spirals):
    X, y = spirals
    network = Network([Dense(2, 16, "relu"), Dense(16, 2, "softmax")], "crossentropy", seed=0)
    diagnostics = Diagnostics()
    network.fit(X, y, epochs=100, learning_rate=1.0, batch_size=32, callbacks=[diagnostics])
    note = diagnostics.notes[diagnostics.kinds().index("dead_relu")]
    # The numbers: epoch 1's loss is above the loss before training.
    assert network.history.loss[0] > network.history.initial["loss"]
    assert "They died during training while the loss rose from 0.9462" in note.text
    assert note.suggestion.startswith("a learning rate three to ten times smaller (now 1)")


def test_units_that_died_while_the_loss_fell_point_to_the_biases():
    x = np.linspace(0, 1, 50).reshape(-1, 1)
    hidden = Dense(1, 4, "relu", weights=[[0.5, 0.2, 0.3, 0.1]], bias=[0.5] * 4)
    output = Dense(4, 1, "identity", weights=[[1.0]] * 4, bias=[0.0])
    network = Network([hidden, output], "mse", seed=0)
    diagnostics = Diagnostics()
    network.fit(x, np.full(50, -3.0), epochs=200, learning_rate=0.05, callbacks=[diagnostics])
    (note,) = diagnostics.notes
    assert "while the loss fell and the weights did not grow: their biases went negative" in (
        note.text
    )
    assert "learning rate" not in note.suggestion


def test_init_glorot_uniform_is_not_suggested_to_a_layer_that_uses_it(spirals):
    # Saturated by large inputs: the layer already draws glorot_uniform weights.
    X, y = spirals
    network = Network([Dense(2, 8, "sigmoid"), Dense(8, 1, "sigmoid")], "binary_crossentropy",
                      seed=0)  # fmt: skip
    assert network.layers[0].init == "glorot_uniform"
    diagnostics = Diagnostics()
    network.fit(X * 100 + 400, y, epochs=50, learning_rate=0.1, callbacks=[diagnostics])
    note = diagnostics.notes[diagnostics.kinds().index("saturation")]
    assert "Cause: the inputs are large" in note.text
    assert "glorot" not in note.suggestion and "starting weights" not in note.suggestion
    assert note.suggestion.startswith("scale the inputs (glassnet.Standardize)")


def test_large_starting_weights_are_named_as_such(spirals):
    X, y = spirals
    weights = np.random.default_rng(0).normal(0, 20, (2, 8))
    network = Network([Dense(2, 8, "sigmoid", weights=weights), Dense(8, 1, "sigmoid")],
                      "binary_crossentropy", seed=0)  # fmt: skip
    diagnostics = Diagnostics()
    network.fit(X * 3, y, epochs=50, learning_rate=0.1, callbacks=[diagnostics])
    note = diagnostics.notes[diagnostics.kinds().index("saturation")]
    assert "the starting weights are large (|W| up to 46.5" in note.text
    assert "smaller starting weights" in note.suggestion and "init=" not in note.suggestion


def test_xor_at_learning_rate_50_is_not_told_to_scale_its_0_1_inputs():
    X, y = logic_gate("XOR")
    network = Network([Dense(2, 4, "tanh"), Dense(4, 1, "sigmoid")], "binary_crossentropy", seed=0)
    diagnostics = Diagnostics()
    network.fit(X, y, epochs=2000, learning_rate=50.0, callbacks=[diagnostics])
    assert diagnostics.kinds() == ["saturation", "rising_loss", "vanishing_gradients"]
    assert "scale" not in suggestions(diagnostics) and "Standardize" not in suggestions(diagnostics)
    saturation = diagnostics.notes[0]
    assert "the weights grew during training" in saturation.text
    assert "the learning rate is too large" in saturation.text
    assert saturation.suggestion.startswith("a learning rate three to ten times smaller (now 50)")


def test_an_adam_run_is_not_told_to_use_adam(spirals):
    X, y = spirals
    network = Network([Dense(2, 16, "tanh"), Dense(16, 2, "softmax")], "crossentropy", seed=0)
    diagnostics = Diagnostics()
    network.fit(X, y, epochs=100, learning_rate=5, batch_size=32, optimizer="adam",
                callbacks=[diagnostics])  # fmt: skip
    assert "rising_loss" in diagnostics.kinds()
    assert "adam" not in suggestions(diagnostics)


def test_vanishing_gradients_advice_leaves_out_what_the_stack_uses(spirals):
    X, y = spirals
    layers = [Dense(2, 16, "sigmoid"), *(Dense(16, 16, "sigmoid") for _ in range(8))]
    network = Network([*layers, Dense(16, 2, "softmax")], "crossentropy", seed=0)
    diagnostics = Diagnostics()
    network.fit(X, y, epochs=20, learning_rate=0.1, callbacks=[diagnostics])
    note = diagnostics.notes[diagnostics.kinds().index("vanishing_gradients")]
    # Sigmoid layers with glorot weights, inputs about standardised: relu or tanh and
    # he_normal help; scaling the inputs would change nothing.
    assert note.suggestion == (
        "relu or tanh hidden layers with he_normal starting weights; or fewer layers."
    )
