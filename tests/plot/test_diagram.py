"""glassnet.plot.diagram: one line per weight, by sign and size, and the neurons' labels."""

from itertools import pairwise

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from matplotlib.colors import to_rgb  # noqa: E402

import glassnet as gn  # noqa: E402
from glassnet import plot  # noqa: E402


def weight_lines(ax) -> dict[str, object]:
    return {line.get_gid(): line for line in ax.get_lines() if (line.get_gid() or "")[:2] == "W["}


def test_network_diagram_draws_one_line_per_weight_by_sign_and_size():
    network = gn.Network(
        [
            gn.Standardize([0.0] * 3, [1.0] * 3),
            gn.Dense(3, 5, "relu"),
            gn.Dropout(0.2),
            gn.Dense(5, 4, "tanh"),
            gn.Dense(4, 2, "softmax"),
        ],
        loss="crossentropy",
        seed=3,
    )
    figure = plot.network_diagram(network)
    lines = weight_lines(figure.axes[0])
    assert len(lines) == 3 * 5 + 5 * 4 + 4 * 2
    widths = []
    for index, layer in enumerate(network.dense_layers, start=1):
        for (i, j), w in np.ndenumerate(layer.weights):
            line = lines[f"W[{index}][{i + 1},{j + 1}]"]
            positive = w >= 0
            assert to_rgb(line.get_color()) == to_rgb("#0072B2" if positive else "#D55E00")
            assert line.get_linestyle() == ("-" if positive else "--")
            widths.append((abs(w), line.get_linewidth()))
    widths.sort()
    assert all(a[1] <= b[1] for a, b in pairwise(widths))  # wider for larger |w|
    texts = [text.get_text() for text in figure.axes[0].texts]
    assert "layer 2\n4 tanh\n(after dropout 0.2)" in texts
    assert "layer 1\n5 relu\n(after standardize)" in texts


def test_network_diagram_labels_z_and_a_for_a_sample():
    xor = plot.example("xor")
    figure = plot.network_diagram(xor.model, x=[1.0, 0.0])
    output = xor.model.output_layer
    xor.model.forward([1.0, 0.0])
    z, a = output.cache[1][0, 0], output.cache[2][0, 0]
    texts = [text.get_text() for text in figure.axes[0].texts]
    assert f"b = {output.bias[0]:.3g}\nz = {z:.3g}\na = {a:.3g}" in texts
    assert texts.count("tanh") == 4 and texts.count("sigmoid") == 1
    assert "value 1" in texts and "value 0" in texts
    assert len(weight_lines(figure.axes[0])) == 2 * 4 + 4 * 1


def test_network_diagram_errors(or_perceptron):
    network = gn.Network([gn.Dense(2, 1)])
    with pytest.raises(ValueError, match="x must be one sample of 2 numbers, got 2 rows"):
        plot.network_diagram(network, x=[[0, 1], [1, 0]])
    with pytest.raises(ValueError, match=r"x must have shape \(n_samples, 2\), got shape \(3,\)"):
        plot.network_diagram(network, x=[0, 1, 2])
    with pytest.raises(TypeError, match="must be a glassnet Network"):
        plot.network_diagram(or_perceptron)
