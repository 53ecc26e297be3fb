"""The perceptron's epoch table and its verdict on classes no line separates."""

import pytest

from glassnet import Perceptron
from glassnet.datasets import logic_gate
from glassnet.engine.separability import separability_evidence


def test_perceptron_table_is_tutorial_002_worked_by_hand():
    X, y = logic_gate("OR")
    perceptron = Perceptron(2, learning_rate=0.1, weights=[0.49671415, -0.1382643])
    table = perceptron.fit(X, y).table(digits=4).splitlines()
    # Three lines of header (rule, output, arithmetic), the columns' names and a rule.
    assert table[3].split() == ["epoch", "sample", "x", "w", "z", "step(z)", "t", "error",
                                "correction"]  # fmt: skip
    # Epoch 1, sample 1: x = (0, 1), z = w2 = -0.1383, step(z) = 0, t = 1, e = 1, 0.1 * e * x.
    assert table[6].split() == ["1", "1", "[0,", "1]", "[0.4967,", "-0.1383]", "-0.1383", "0",
                                "1", "1", "[0,", "0.1]"]  # fmt: skip
    assert table[9] == "  epoch 1: 1 error, RMSE 0.5; after it w = [0.4967, -0.03826]"
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
    assert lines[3].split()[-2:] == ["b", "correction"]
    # Epoch 1, sample 0: z = b = 0, step(0) = 0, y = 0: no error, no correction.
    # Sample 1, x = (0, 1): z = 0.5, step = 1, y = 0, e = -1: b moves by 0.1 * -1.
    assert lines[6].split()[-1] == "-0.1"
    assert perceptron.epochs_[0].bias == pytest.approx(-0.2)  # samples 1 and 2 were wrong


def test_perceptron_table_before_fit_is_a_clear_error():
    with pytest.raises(ValueError, match="has not been fitted"):
        Perceptron(2).table()
