"""The three tutorials reproduced to the last printed digit (../shared/seeds/README.md)."""

import json

import numpy as np
import pytest

from glassnet import Dense, Network, Perceptron
from glassnet.cli.main import main
from glassnet.datasets import logic_gate, tutorial_002_weights
from glassnet.engine.perceptron import separability_evidence
from glassnet.glassbox.tutorials import (
    DEMOS,
    neuron,
    perceptron_and,
    perceptron_or,
    run_demo,
    single_layer,
    views_demo,
    xor,
)


def test_neuron_matches_tutorial_000_digit_for_digit():
    figures = neuron().figures
    assert figures["z"] == 0.11
    assert figures["a"] == 0.5274723043445937
    assert figures["dE/da"] == -0.4725276956554063
    assert figures["da/dz"] == 0.24924527249399803
    assert figures["dE/dw1"] == -0.03533258827937781
    assert figures["dE/dw2"] == -0.058887647132296356
    assert figures["new w1"] == 0.2353325882793778
    assert figures["new w2"] == 0.15888764713229636
    # The correct half squared error, and the value the tutorial printed instead.
    assert figures["E"] == 0.11164121158070414
    assert figures["tutorial_printed_error"] == 0.23626384782770316


def test_neuron_by_hand_with_plain_floats():
    # The same step written out as tutorial 000 does, with Python floats.
    x1, x2, w1, w2, y = 0.3, 0.5, 0.2, 0.1, 1.0
    z = x1 * w1 + x2 * w2
    a = 1 / (1 + np.exp(-z))
    de_da = -(y - a)
    da_dz = a * (1 - a)
    network = Network([Dense(2, 1, "sigmoid", weights=[w1, w2], use_bias=False)], "half_sse")
    trace = network.trace([[x1, x2]], [[y]], learning_rate=1.0)
    assert trace["dE/dw1"].item() == de_da * da_dz * x1
    assert trace["new w2"].item() == w2 - 1.0 * de_da * da_dz * x2


def test_single_layer_matches_tutorial_001_with_the_correct_derivative():
    figures = single_layer().figures
    assert figures["starting_weights"] == pytest.approx([0.37454012, 0.95071431, 0.73199394])
    assert figures["starting_bias"] == pytest.approx(0.59865848)
    assert round(figures["prediction_100"], 8) == 0.05930351
    assert round(figures["prediction_010"], 8) == 0.96175397  # 0.96175396...7
    assert str(figures["prediction_010"]).startswith("0.96175396")
    # The tutorial's own code (sigmoid applied twice), as printed on its page.
    assert round(figures["tutorial_code_prediction_100"], 4) == 0.0226
    assert round(figures["tutorial_code_prediction_010"], 4) == 0.9878


def test_perceptron_or_matches_tutorial_002():
    figures = perceptron_or().figures
    weights = np.array(figures["weights_per_epoch"])
    np.testing.assert_allclose(
        weights,
        [[0.49671415, -0.0382643], [0.49671415, 0.0617357], [0.49671415, 0.0617357]],
        atol=5e-9,
    )
    assert figures["rmse_per_epoch"] == [0.5, 0.5, 0.0]
    assert figures["converged"] is True
    assert figures["predictions"] == [0.0, 1.0, 1.0, 1.0]


def test_perceptron_and_needs_a_bias_and_converges():
    figures = perceptron_and().figures
    assert figures["converged"] is True
    assert figures["predictions"] == [0.0, 0.0, 0.0, 1.0]
    assert figures["bias_per_epoch"][-1] < 0
    # Without a bias, no weights put (0, 0) -> 0 and (1, 1) -> 1 apart from (0, 1), (1, 0).
    no_bias = Perceptron(2, weights=tutorial_002_weights())
    assert no_bias.fit([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 0, 0, 1]).converged is False


def test_xor_perceptron_fails_and_a_hidden_layer_learns_it():
    figures = xor().figures
    assert figures["perceptron_converged"] is False
    assert "not linearly separable" in figures["perceptron_message"]
    assert figures["network_predictions"] == [0, 1, 1, 0]
    outputs = np.array(figures["network_outputs"])
    assert np.all((outputs > 0.5) == np.array([False, True, True, False]))
    assert "dE/dW[1]" in figures["first_step"]["quantities"]


def test_demo_command_prints_json_of_every_demo(capsys):
    assert main(["demo", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert set(DEMOS) <= set(printed)
    assert printed["neuron"]["new w1"] == 0.2353325882793778


def test_demo_command_prints_the_worked_example(capsys):
    assert main(["demo", "neuron"]) == 0
    out = capsys.readouterr().out
    assert "dE/dw1 = dE/da * da/dz * dz/dw1" in out
    assert "-0.4725276956554063 * 0.24924527249399803 * 0.3" in out
    assert "0.23626384782770316" in out  # the tutorial's printed error, explained


def test_the_perceptron_demos_start_from_tutorial_002_weights():
    assert perceptron_or().figures["starting_weights"] == tutorial_002_weights().tolist()
    assert perceptron_and().figures["starting_weights"] == tutorial_002_weights().tolist()


def test_the_epoch_table_of_tutorial_002_is_as_printed():
    lines = perceptron_or().text.splitlines()
    start = lines.index("epoch  weights after the epoch           bias    errors  RMSE")
    assert lines[start + 1 : start + 4] == [
        "    1  [ 0.49671415, -0.0382643 ]             -       1  0.5000",
        "    2  [0.49671415, 0.0617357 ]               -       1  0.5000",
        "    3  [0.49671415, 0.0617357 ]               -       0  0.0000",
    ]


def test_the_epoch_table_with_a_bias_lines_up():
    lines = perceptron_and().text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("epoch  weights"))
    header, rows = lines[start], lines[start + 1 : start + 10]
    assert rows[0] == "    1  [ 0.39671415, -0.1382643 ]        -0.1000       1  0.5000"
    end = header.index("errors") + len("errors")  # the errors end where their header ends
    assert all(row[end - 1] != " " and row[end] == " " for row in rows)
    start = header.index("RMSE")  # and the RMSE starts under its header
    assert all(row[start - 1] == " " and row[start] != " " for row in rows)


def test_demo_views_is_a_tutorial():
    assert DEMOS["views"] is views_demo
    demo = run_demo("views")
    assert demo.title == "Three views of one step: neuron by neuron, matrices, glassnet"
    assert demo.figures["max_difference"] < 1e-15
    assert demo.figures["neuron_by_neuron"]["E"] == demo.figures["matrix_form"]["E"]


def test_an_unknown_demo_lists_the_demos():
    with pytest.raises(ValueError, match="unknown demo 'nope'; expected one of neuron, "):
        run_demo("nope")


# ---------------------------------------------------------------------- the perceptron's table
def test_perceptron_table_is_tutorial_002_worked_by_hand():
    X, y = logic_gate("OR")
    perceptron = Perceptron(2, learning_rate=0.1, weights=[0.49671415, -0.1382643])
    table = perceptron.fit(X, y).table(digits=4).splitlines()
    # Epoch 1, sample 1: x = (0, 1), z = w2 = -0.1383, step(z) = 0, y = 1, e = 1, 0.1 * e * x.
    assert table[4].split() == ["1", "1", "[0,", "1]", "[0.4967,", "-0.1383]", "-0.1383", "0",
                                "1", "1", "[0,", "0.1]"]  # fmt: skip
    assert table[7] == "  epoch 1: 1 error, RMSE 0.5; after it w = [0.4967, -0.03826]"
    rmse_lines = [line for line in table if line.startswith("  epoch")]
    assert [line.split("RMSE ")[1].split(";")[0] for line in rmse_lines] == ["0.5", "0.5", "0"]
    assert table[-1] == "converged at epoch 3: every sample is classified right"


def test_perceptron_on_xor_ends_with_the_evidence():
    X, y = logic_gate("XOR")
    perceptron = Perceptron(2, learning_rate=0.1, weights=[0.49671415, -0.1382643], bias=0.0)
    table = perceptron.fit(X, y).table()
    assert not perceptron.converged
    assert "not linearly separable: no line separates these classes" in table
    assert table.splitlines()[-1].startswith(
        "Evidence: [0, 1] and [1, 0] are class 1, [0, 0] and [1, 1] are class 0, and both "
        "pairs have the midpoint [0.5, 0.5]."
    )


def test_separability_evidence_is_empty_for_separable_classes():
    X = [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert separability_evidence(X, [False, True, True, True]) == ""  # OR
    assert "labelled both" in separability_evidence([[1, 2], [1, 2]], [True, False])


def test_perceptron_table_shows_the_bias_correction():
    X, y = logic_gate("AND")
    perceptron = Perceptron(2, learning_rate=0.1, weights=[0.5, 0.5], bias=0.0).fit(X, y)
    lines = perceptron.table().splitlines()
    assert lines[1].split()[-2:] == ["b", "correction"]
    # Epoch 1, sample 0: z = b = 0, step(0) = 0, y = 0: no error, no correction.
    # Sample 1, x = (0, 1): z = 0.5, step = 1, y = 0, e = -1: b moves by 0.1 * -1.
    assert lines[4].split()[-1] == "-0.1"
    assert perceptron.epochs_[0].bias == pytest.approx(-0.2)  # samples 1 and 2 were wrong


def test_perceptron_table_before_fit_is_a_clear_error():
    with pytest.raises(ValueError, match="has not been fitted"):
        Perceptron(2).table()
