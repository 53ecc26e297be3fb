"""Three views of one step: plain floats neuron by neuron, matrix form, glassnet's trace."""

import math
import re

import numpy as np
import pytest

from glassnet.cli.main import main
from glassnet.glassbox.steps import INDICES
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


def test_demo_views_prints_all_three_views_stage_by_stage(capsys):
    assert "views" in DEMOS
    assert main(["demo", "views"]) == 0
    printed = capsys.readouterr().out
    lines = printed.splitlines()
    titles = [three.title for three in (neuron_by_neuron(), matrix_form(), glassnet_view())]
    for stage in ("Forward", "Loss", "Backward", "Update"):
        at = lines.index(stage)
        assert lines[at + 1] == "-" * len(stage)
        # the three views' titles follow, in order, before the next stage begins
        found = [line[:-1] for line in lines[at:] if line[:-1] in titles][:3]
        assert found == titles
    assert "z[1] = x @ W[1] + b[1]" in printed  # the trace's own line is there too
    assert printed.count("glassnet (Network.trace):") == 4


def test_demo_views_wraps_no_row_and_aligns_the_comparison(capsys):
    main(["demo", "views"])
    lines = capsys.readouterr().out.splitlines()
    # No array is cut across two lines: every line closes each bracket it opens.
    for line in lines:
        assert line.count("[") == line.count("]"), line
        assert line.count("(") == line.count(")"), line
    # The comparison: one entry a row, every row as long as the header, so the columns line up.
    header = next(i for i, line in enumerate(lines) if line.startswith("entry "))
    rows = lines[header + 2 : header + 2 + 28]
    assert all(len(row) == len(lines[header]) for row in rows)
    assert rows[0].split() == ["z[1][0,0]", "0.11", "0.11", "0.11", "0.0e+00"]
    assert rows[-1].startswith("new b[2][0]")


def test_the_views_write_entries_as_the_trace_does_and_say_so(capsys):
    main(["demo", "views"])
    printed = capsys.readouterr().out
    assert INDICES in printed
    assert views().stacked().splitlines()[0] == INDICES
    assert not re.search(r"[wb]\[\d\]_\d", printed)  # no w[1]_12 (1-based, from -> to)
    working = "\n".join(line for _, lines in neuron_by_neuron().sections for line in lines)
    assert "dE/dW[1][0,1] = 0.3 * 0.0187244 = 0.00561732" in working  # input 0 -> neuron 1
    assert "new W[1][1,0] = 0.1 - 1 * (-0.00781119) = 0.107811" in working


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
    assert "z[1][0,1] = 0.3*(-0.4) + 0.5*0.3 + 0.1 = 0.13" in working  # a negative factor
    assert "a[2][0,0] = 1 / (1 + exp(-(-0.00573643))) = 0.498566" in working
    assert "new W[2][1,0] = -0.6 - 1 * (-0.0667471) = -0.533253" in working
    matrices = "\n".join(line for _, lines in matrix_form().sections for line in lines)
    assert "a[1] = sigmoid(z[1]) = [[0.527472, 0.532454]]" in matrices
