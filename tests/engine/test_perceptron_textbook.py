"""Two printed textbook tables reproduced row by row, and the tie that decides them.

Neither book can be read here. Each table below was worked out by hand from the rule and
the starting values the book states (given with each test), and each ends with the final
weights the book prints. The Fausett rows also agree with an independent public
implementation of the same example (Dolpheyn/Perceptr0n, AND.md).
"""

from pathlib import Path

import numpy as np
import pytest

from glassnet import Perceptron

AND_X = [[0, 0], [0, 1], [1, 0], [1, 1]]

# Negnevitsky, "Artificial Intelligence: A Guide to Intelligent Systems", 2nd ed. (Addison-
# Wesley, 2005), chapter 6, section 6.3 "The perceptron": the table "Example of perceptron
# learning: the logical operation AND" (Table 6.3 in the editions known to us; the number
# was not checked against a copy). Y = step(x1 w1 + x2 w2 - theta) with step(X) = 1 for
# X >= 0, theta = 0.2 (given, not learned), alpha = 0.1, w1 = 0.3, w2 = -0.1, no bias,
# e = Yd - Y, w <- w + alpha * x * e after each row. The book ends at w1 = w2 = 0.1 in 5 epochs.
# epoch, x1, x2, Yd, w1, w2 (the row meets), Y, e, w1, w2 (after the row)
NEGNEVITSKY_ROWS = [
    (1, 0, 0, 0, 0.3, -0.1, 0, 0, 0.3, -0.1),
    (1, 0, 1, 0, 0.3, -0.1, 0, 0, 0.3, -0.1),
    (1, 1, 0, 0, 0.3, -0.1, 1, -1, 0.2, -0.1),
    (1, 1, 1, 1, 0.2, -0.1, 0, 1, 0.3, 0.0),
    (2, 0, 0, 0, 0.3, 0.0, 0, 0, 0.3, 0.0),
    (2, 0, 1, 0, 0.3, 0.0, 0, 0, 0.3, 0.0),
    (2, 1, 0, 0, 0.3, 0.0, 1, -1, 0.2, 0.0),
    (2, 1, 1, 1, 0.2, 0.0, 1, 0, 0.2, 0.0),  # z = 0.2 + 0 - 0.2 = 0: step(0) = 1
    (3, 0, 0, 0, 0.2, 0.0, 0, 0, 0.2, 0.0),
    (3, 0, 1, 0, 0.2, 0.0, 0, 0, 0.2, 0.0),
    (3, 1, 0, 0, 0.2, 0.0, 1, -1, 0.1, 0.0),  # z = 0.2 - 0.2 = 0
    (3, 1, 1, 1, 0.1, 0.0, 0, 1, 0.2, 0.1),
    (4, 0, 0, 0, 0.2, 0.1, 0, 0, 0.2, 0.1),
    (4, 0, 1, 0, 0.2, 0.1, 0, 0, 0.2, 0.1),
    (4, 1, 0, 0, 0.2, 0.1, 1, -1, 0.1, 0.1),  # z = 0
    (4, 1, 1, 1, 0.1, 0.1, 1, 0, 0.1, 0.1),  # z = 0.1 + 0.1 - 0.2 = 0
    (5, 0, 0, 0, 0.1, 0.1, 0, 0, 0.1, 0.1),
    (5, 0, 1, 0, 0.1, 0.1, 0, 0, 0.1, 0.1),
    (5, 1, 0, 0, 0.1, 0.1, 0, 0, 0.1, 0.1),
    (5, 1, 1, 1, 0.1, 0.1, 1, 0, 0.1, 0.1),  # z = 0
]

# Fausett, "Fundamentals of Neural Networks: Architectures, Algorithms, and Applications"
# (Prentice Hall, 1994), chapter 2, section 2.3 "Perceptron", Example 2.11: the AND function
# with binary inputs and bipolar targets, in the book's order (1, 1), (1, 0), (0, 1), (0, 0);
# theta = 0.2, alpha = 1, weights and bias from 0; y = 1 if y_in > theta, 0 if
# -theta <= y_in <= theta, -1 below; only when y != t: w <- w + alpha t x, b <- b + alpha t.
# The book ends at w1 = 2, w2 = 3, b = -4 after 10 epochs.
FAUSETT_X = [[1, 1], [1, 0], [0, 1], [0, 0]]
FAUSETT_T = [1, -1, -1, -1]
# epoch, x1, x2, y_in, y, t, dw1, dw2, db, w1, w2, b (after the row)
FAUSETT_ROWS = [
    (1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1),
    (1, 1, 0, 2, 1, -1, -1, 0, -1, 0, 1, 0),
    (1, 0, 1, 1, 1, -1, 0, -1, -1, 0, 0, -1),
    (1, 0, 0, -1, -1, -1, 0, 0, 0, 0, 0, -1),
    (2, 1, 1, -1, -1, 1, 1, 1, 1, 1, 1, 0),
    (2, 1, 0, 1, 1, -1, -1, 0, -1, 0, 1, -1),
    (2, 0, 1, 0, 0, -1, 0, -1, -1, 0, 0, -2),
    (2, 0, 0, -2, -1, -1, 0, 0, 0, 0, 0, -2),
    (3, 1, 1, -2, -1, 1, 1, 1, 1, 1, 1, -1),
    (3, 1, 0, 0, 0, -1, -1, 0, -1, 0, 1, -2),
    (3, 0, 1, -1, -1, -1, 0, 0, 0, 0, 1, -2),
    (3, 0, 0, -2, -1, -1, 0, 0, 0, 0, 1, -2),
    (4, 1, 1, -1, -1, 1, 1, 1, 1, 1, 2, -1),
    (4, 1, 0, 0, 0, -1, -1, 0, -1, 0, 2, -2),
    (4, 0, 1, 0, 0, -1, 0, -1, -1, 0, 1, -3),
    (4, 0, 0, -3, -1, -1, 0, 0, 0, 0, 1, -3),
    (5, 1, 1, -2, -1, 1, 1, 1, 1, 1, 2, -2),
    (5, 1, 0, -1, -1, -1, 0, 0, 0, 1, 2, -2),
    (5, 0, 1, 0, 0, -1, 0, -1, -1, 1, 1, -3),
    (5, 0, 0, -3, -1, -1, 0, 0, 0, 1, 1, -3),
    (6, 1, 1, -1, -1, 1, 1, 1, 1, 2, 2, -2),
    (6, 1, 0, 0, 0, -1, -1, 0, -1, 1, 2, -3),
    (6, 0, 1, -1, -1, -1, 0, 0, 0, 1, 2, -3),
    (6, 0, 0, -3, -1, -1, 0, 0, 0, 1, 2, -3),
    (7, 1, 1, 0, 0, 1, 1, 1, 1, 2, 3, -2),
    (7, 1, 0, 0, 0, -1, -1, 0, -1, 1, 3, -3),
    (7, 0, 1, 0, 0, -1, 0, -1, -1, 1, 2, -4),
    (7, 0, 0, -4, -1, -1, 0, 0, 0, 1, 2, -4),
    (8, 1, 1, -1, -1, 1, 1, 1, 1, 2, 3, -3),
    (8, 1, 0, -1, -1, -1, 0, 0, 0, 2, 3, -3),
    (8, 0, 1, 0, 0, -1, 0, -1, -1, 2, 2, -4),
    (8, 0, 0, -4, -1, -1, 0, 0, 0, 2, 2, -4),
    (9, 1, 1, 0, 0, 1, 1, 1, 1, 3, 3, -3),
    (9, 1, 0, 0, 0, -1, -1, 0, -1, 2, 3, -4),
    (9, 0, 1, -1, -1, -1, 0, 0, 0, 2, 3, -4),
    (9, 0, 0, -4, -1, -1, 0, 0, 0, 2, 3, -4),
    (10, 1, 1, 1, 1, 1, 0, 0, 0, 2, 3, -4),
    (10, 1, 0, -2, -1, -1, 0, 0, 0, 2, 3, -4),
    (10, 0, 1, -1, -1, -1, 0, 0, 0, 2, 3, -4),
    (10, 0, 0, -4, -1, -1, 0, 0, 0, 2, 3, -4),
]


def negnevitsky(**changes) -> Perceptron:
    settings = dict(learning_rate=0.1, weights=[0.3, -0.1], bias=None, mode="online",
                    threshold=0.2, step_at_zero=1)  # fmt: skip
    return Perceptron(2, **{**settings, **changes}).fit(AND_X, [0, 0, 0, 1])


def rows_of(perceptron: Perceptron):
    """(epoch, position, record) for every row the perceptron saw."""
    return [(r.epoch, i, r) for r in perceptron.epochs_ for i in range(len(r.order))]


def test_negnevitsky_and_table_row_by_row():
    perceptron = negnevitsky()
    assert perceptron.arithmetic_ == "exact"
    got = [
        (epoch, *np.asarray(AND_X)[r.order[i]].tolist(), r.targets[i], *r.sample_weights[i],
         r.predictions[i], r.sample_errors[i], *r.weights_after[i])
        for epoch, i, r in rows_of(perceptron)
    ]  # fmt: skip
    assert (
        got == NEGNEVITSKY_ROWS
    )  # every number exactly: 0.2 is the float 0.2, not 0.19999999999999998
    assert perceptron.converged and len(perceptron.epochs_) == 5
    assert perceptron.weights.tolist() == [0.1, 0.1] and perceptron.bias is None
    assert perceptron.threshold == 0.2  # given, never learned


def test_fausett_and_table_row_by_row():
    perceptron = Perceptron(2, learning_rate=1, weights=[0, 0], bias=0.0, mode="online",
                            rule="fausett", band=0.2).fit(FAUSETT_X, FAUSETT_T)  # fmt: skip
    got = [
        (epoch, *np.asarray(FAUSETT_X)[r.order[i]].tolist(), r.z[i], r.predictions[i],
         r.targets[i], *r.corrections[i], r.bias_corrections[i], *r.weights_after[i],
         r.bias_after[i])
        for epoch, i, r in rows_of(perceptron)
    ]  # fmt: skip
    assert got == FAUSETT_ROWS
    assert perceptron.converged and len(perceptron.epochs_) == 10
    assert (perceptron.weights.tolist(), perceptron.bias) == ([2.0, 3.0], -4.0)


def test_a_tie_is_decided_as_on_paper():
    exact, floats = negnevitsky(), negnevitsky(arithmetic="float64")
    # Epoch 2, row (1, 1): w = (0.2, 0) and z = 0.2 + 0 - 0.2, which is 0 on paper.
    on_paper = exact.epochs_[1]
    assert on_paper.z[3] == 0.0 and on_paper.predictions[3] == 1.0  # step(0) = 1: right
    in_float = floats.epochs_[1]
    assert in_float.sample_weights[3].tolist() == [0.19999999999999998, 0.0]
    assert in_float.z[3] == pytest.approx(-2.8e-17, abs=1e-18) and in_float.predictions[3] == 0.0
    # From there float64 takes another path, to other final weights, in 4 epochs.
    assert floats.weights.tolist() == [0.19999999999999998, 0.1] and len(floats.epochs_) == 4
    assert floats.arithmetic_ == "float64"


def test_the_table_prints_the_books_numbers_and_says_which_arithmetic():
    lines = negnevitsky().table().splitlines()
    assert lines[:3] == [
        "Rosenblatt's rule, online (after each sample), alpha = 0.1: w <- w + alpha * e * x",
        "z = w . x - theta (theta = 0.2, fixed), no bias; step(z) = 1 if z >= 0 else 0; "
        "e = t - y; targets 0/1",
        "arithmetic: exact (each number as the decimal written, in fractions: "
        "0.3 - 0.1 - 0.2 = 0, as on paper)",
    ]
    assert lines[3].split() == ["epoch", "x1", "x2", "t", "w1", "w2", "z", "y", "e", "dw1",
                                "dw2", "new", "w1", "new", "w2"]  # fmt: skip
    # Epoch 1, row (1, 0): z = 0.3 - 0.2 = 0.1, Y = 1, e = -1, dw1 = 0.1 * 1 * -1 = -0.1.
    assert lines[7].split() == ["1", "1", "0", "0", "0.3", "-0.1", "0.1", "1", "-1", "-0.1",
                                "0", "0.2", "-0.1"]  # fmt: skip
    assert lines[-1] == "converged at epoch 5: every sample is classified right"
    float_lines = negnevitsky(arithmetic="float64").table().splitlines()
    assert float_lines[2].startswith("arithmetic: float64")
    assert "0.19999999999999998" in float_lines[7]  # the float's own digits, not 0.2


def test_the_readme_shows_this_table_as_glassnet_prints_it():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("## The perceptron\n", 1)[1].split("\n## ", 1)[0]
    shown = section.split("print(book.fit(X, y).table())\n```\n\n```text\n", 1)[1]
    assert shown.split("\n```", 1)[0] == negnevitsky().table()
