"""Three views of one step: plain floats neuron by neuron, matrix form, glassnet's trace."""

import math

import numpy as np
import pytest

from glassnet.cli.main import main
from glassnet.glassbox.tutorials import DEMOS
from glassnet.glassbox.views import (
    EXAMPLE,
    NAMES,
    glassnet_view,
    matrix_form,
    neuron_by_neuron,
    views,
)


def test_the_three_views_agree_on_every_quantity():
    three = views()
    for name in NAMES:
        plain = np.asarray(three.neurons.values[name], dtype=float)
        np.testing.assert_allclose(three.matrices.values[name], plain, rtol=1e-14, atol=1e-17)
        np.testing.assert_allclose(three.library.values[name], plain, rtol=1e-14, atol=1e-17)
    assert three.max_difference < 1e-15


def test_neuron_by_neuron_matches_a_hand_computation():
    # Output neuron, by hand: z = a1*0.5 + a2*(-0.6) + 0.05 with a = sigmoid(0.11), sigmoid(0.13).
    a1, a2 = 1 / (1 + math.exp(-0.11)), 1 / (1 + math.exp(-0.13))
    out = 1 / (1 + math.exp(-(a1 * 0.5 + a2 * -0.6 + 0.05)))
    delta_out = (out - 1.0) * out * (1 - out)
    delta_hidden_2 = delta_out * -0.6 * a2 * (1 - a2)
    values = neuron_by_neuron().values
    assert values["a[2]"] == [out]
    assert values["dE/dW[2]"] == [[a1 * delta_out], [a2 * delta_out]]
    assert values["dE/dW[1]"][1][1] == 0.5 * delta_hidden_2
    assert values["new b[1]"][1] == 0.1 - 1.0 * delta_hidden_2


def test_the_views_use_plain_floats_and_numpy_respectively():
    plain, matrices = neuron_by_neuron(), matrix_form()
    assert all(type(v) is float for v in plain.values["dE/dW[1]"][0])
    assert "(1 x 2) @ (2 x 2) + (2,)" in "\n".join(matrices.sections[0][1])
    assert [title for title, _ in plain.sections] == ["Forward", "Loss", "Backward", "Update"]


def test_another_example_agrees_too():
    example = dict(EXAMPLE, x=[-1.5, 2.0], y=0.0, learning_rate=0.3)
    three = views(example)
    assert three.max_difference < 1e-14
    assert glassnet_view(example).values["E"] == pytest.approx(
        0.5 * three.neurons.values["a[2]"][0] ** 2
    )


def test_demo_views_prints_both_columns_and_the_comparison(capsys):
    assert "views" in DEMOS
    assert main(["demo", "views"]) == 0
    printed = capsys.readouterr().out
    first_row = next(line for line in printed.splitlines() if line.startswith("z[1]_1 = "))
    assert "z[1] = x @ W[1] + b[1]" in first_row  # side by side on one line
    assert "The three views (and glassnet's trace) agree to" in printed


def test_the_views_import_nothing_from_the_tutorials():
    # The tutorials import the views (for their demo); the views must not import back.
    import subprocess
    import sys

    code = (
        "import sys, glassnet.glassbox.views; print('glassnet.glassbox.tutorials' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_views_print_numbers_and_factors_as_by_hand():
    working = "\n".join(line for _, lines in neuron_by_neuron().sections for line in lines)
    assert "z[1]_2 = 0.3*(-0.4) + 0.5*0.3 + 0.1 = 0.13" in working  # a negative factor
    assert "a[2]_1 = 1 / (1 + exp(-(-0.00573643))) = 0.498566" in working
    assert "w[2]_21: -0.6 - 1 * (-0.0667471) = -0.533253" in working
    matrices = "\n".join(line for _, lines in matrix_form().sections for line in lines)
    assert "a[1] = sigmoid(z[1]) = [[0.527472, 0.532454]]" in matrices
