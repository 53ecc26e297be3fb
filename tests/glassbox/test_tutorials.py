"""The three tutorials reproduced to the last printed digit (../shared/seeds/README.md)."""

import json

import numpy as np
import pytest

from glassnet import Dense, Network, Perceptron
from glassnet.cli.main import main
from glassnet.datasets import tutorial_002_weights
from glassnet.glassbox.tutorials import (
    DEMOS,
    TEXTBOOK_TABLES,
    neuron,
    perceptron_and,
    perceptron_or,
    perceptron_textbook,
    run_demo,
    single_layer,
    views_demo,
    xor,
)


def test_neuron_matches_tutorial_000_digit_for_digit():
    numbers = neuron().numbers
    assert numbers["z"] == 0.11
    assert numbers["a"] == 0.5274723043445937
    assert numbers["dE/da"] == -0.4725276956554063
    assert numbers["da/dz"] == 0.24924527249399803
    assert numbers["dE/dw1"] == -0.03533258827937781
    assert numbers["dE/dw2"] == -0.058887647132296356
    assert numbers["new w1"] == 0.2353325882793778
    assert numbers["new w2"] == 0.15888764713229636
    # The correct half squared error, and the value the tutorial printed instead.
    assert numbers["E"] == 0.11164121158070414
    assert numbers["tutorial_printed_error"] == 0.23626384782770316


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
    numbers = single_layer().numbers
    assert numbers["starting_weights"] == pytest.approx([0.37454012, 0.95071431, 0.73199394])
    assert numbers["starting_bias"] == pytest.approx(0.59865848)
    assert round(numbers["prediction_100"], 8) == 0.05930351
    assert round(numbers["prediction_010"], 8) == 0.96175397  # 0.96175396...7
    assert str(numbers["prediction_010"]).startswith("0.96175396")
    # The tutorial's own code (sigmoid applied twice), as printed on its page.
    assert round(numbers["tutorial_code_prediction_100"], 4) == 0.0226
    assert round(numbers["tutorial_code_prediction_010"], 4) == 0.9878


def test_perceptron_or_matches_tutorial_002():
    numbers = perceptron_or().numbers
    weights = np.array(numbers["weights_per_epoch"])
    np.testing.assert_allclose(
        weights,
        [[0.49671415, -0.0382643], [0.49671415, 0.0617357], [0.49671415, 0.0617357]],
        atol=5e-9,
    )
    assert numbers["rmse_per_epoch"] == [0.5, 0.5, 0.0]
    assert numbers["converged"] is True
    assert numbers["predictions"] == [0.0, 1.0, 1.0, 1.0]


def test_perceptron_and_needs_a_bias_and_converges():
    numbers = perceptron_and().numbers
    assert numbers["converged"] is True
    assert numbers["predictions"] == [0.0, 0.0, 0.0, 1.0]
    assert numbers["bias_per_epoch"][-1] < 0
    # Without a bias, no weights put (0, 0) -> 0 and (1, 1) -> 1 apart from (0, 1), (1, 0).
    no_bias = Perceptron(2, weights=tutorial_002_weights())
    assert no_bias.fit([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 0, 0, 1]).converged is False


def test_xor_perceptron_fails_and_a_hidden_layer_learns_it():
    numbers = xor().numbers
    assert numbers["perceptron_converged"] is False
    assert "not linearly separable" in numbers["perceptron_message"]
    assert numbers["network_predictions"] == [0, 1, 1, 0]
    outputs = np.array(numbers["network_outputs"])
    assert np.all((outputs > 0.5) == np.array([False, True, True, False]))
    assert "dE/dW[1]" in numbers["first_step"]["quantities"]


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
    assert perceptron_or().numbers["starting_weights"] == tutorial_002_weights().tolist()
    assert perceptron_and().numbers["starting_weights"] == tutorial_002_weights().tolist()


def test_the_epoch_table_of_tutorial_002_is_as_printed():
    lines = perceptron_or().text.splitlines()
    start = lines.index("epoch  weights after the epoch       bias    errors  RMSE")
    # The page's eight decimals (NumPy's print), without NumPy's spacing.
    assert lines[start + 1 : start + 4] == [
        "    1  [0.49671415, -0.0382643]           -       1  0.5000",
        "    2  [0.49671415, 0.0617357]            -       1  0.5000",
        "    3  [0.49671415, 0.0617357]            -       0  0.0000",
    ]
    assert lines[start - 1] == "w <- w + 0.1 * X^T e, e = y - step(X @ w)."


def test_the_epoch_table_with_a_bias_lines_up():
    lines = perceptron_and().text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("epoch  weights"))
    header, rows = lines[start], lines[start + 1 : start + 10]
    assert rows[0] == "    1  [0.39671415, -0.1382643]        -0.1       1  0.5000"
    # The header writes the bias rule out too, as the sum it is in batch mode.
    assert (
        lines[start - 1] == "w <- w + 0.1 * X^T e, b <- b + 0.1 * sum(e), e = y - step(X @ w + b)."
    )
    end = header.index("errors") + len("errors")  # the errors end where their header ends
    assert all(row[end - 1] != " " and row[end] == " " for row in rows)
    start = header.index("RMSE")  # and the RMSE starts under its header
    assert all(row[start - 1] == " " and row[start] != " " for row in rows)


def test_demo_views_is_a_tutorial():
    assert DEMOS["views"] is views_demo
    demo = run_demo("views")
    assert demo.title == "Three views of one step: neuron by neuron, matrices, glassnet"
    assert demo.numbers["max_difference"] < 1e-15
    assert demo.numbers["neuron_by_neuron"]["E"] == demo.numbers["matrix_form"]["E"]


def test_an_unknown_demo_lists_the_demos():
    with pytest.raises(ValueError, match="unknown demo 'nope'; expected one of neuron, "):
        run_demo("nope")


def test_perceptron_textbook_reproduces_both_books_final_weights(capsys):
    # The rows themselves are checked one by one in tests/engine/test_perceptron_textbook.py.
    numbers = perceptron_textbook().numbers
    negnevitsky, fausett = numbers["negnevitsky-and"], numbers["fausett-and"]
    assert negnevitsky["final_weights"] == negnevitsky["page_final_weights"] == [0.1, 0.1]
    assert negnevitsky["epochs"] == negnevitsky["page_epochs"] == 5
    assert negnevitsky["final_bias"] is None and negnevitsky["arithmetic"] == "exact"
    assert fausett["final_weights"] == fausett["page_final_weights"] == [2.0, 3.0]
    assert fausett["final_bias"] == fausett["page_final_bias"] == -4.0
    assert fausett["epochs"] == fausett["page_epochs"] == 10
    # The same run in float64 leaves the book at epoch 2's tie and ends elsewhere.
    assert negnevitsky["float64_final_weights"] == [0.19999999999999998, 0.1]
    assert negnevitsky["float64_epochs"] == 4
    assert DEMOS["perceptron-textbook"] is perceptron_textbook
    assert main(["demo", "perceptron-textbook"]) == 0
    text = capsys.readouterr().out
    assert "Negnevitsky, Artificial Intelligence: A Guide to Intelligent Systems" in text
    assert "Fausett, Fundamentals of Neural Networks" in text and "Example 2.11" in text
    assert "The page's final weights: w1 = 2, w2 = 3, b = -4 after 10 epochs." in text
    assert "glassnet's:               w1 = 2, w2 = 3, b = -4 after 10 epochs." in text


def test_textbook_tables_make_new_perceptrons_with_the_books_settings():
    book = TEXTBOOK_TABLES["negnevitsky-and"]
    first, second = book.perceptron(), book.perceptron()
    first.fit(book.X, book.targets)
    assert second.weights.tolist() == [0.3, -0.1] and second.epochs_ == []
    assert (second.threshold, second.step_at_zero, second.bias) == (0.2, 1, None)
    assert book.perceptron(arithmetic="float64").arithmetic == "float64"
