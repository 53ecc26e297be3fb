"""The computation graph of one sample (plot/graph.py): each node's value and gradient are
the trace's, the gradients of a batch's samples add up to the trace's, SVG and PNG are
written, and what would be unreadable is refused in one line."""

from __future__ import annotations

import numpy as np
import pytest

from glassnet import Dense, Dropout, Network, plot
from glassnet.plot.graph import MAX_NODES


def neuron_trace():
    network = Network([Dense(2, 1, "sigmoid", weights=[0.2, 0.1], use_bias=False)], "half_sse")
    return network.trace([[0.3, 0.5]], [[1.0]], learning_rate=1.0)


def two_two_one(X, y):
    network = Network([Dense(2, 2, "sigmoid", weights=[[0.2, -0.4], [0.1, 0.3]], bias=[0, 0.1]),
                       Dense(2, 1, "sigmoid", weights=[[0.5], [-0.6]], bias=[0.05])],
                      "half_sse")  # fmt: skip
    return network.trace(X, y, learning_rate=1.0)


def test_tutorial_000_node_by_node():
    graph = plot.computation_graph(neuron_trace())
    assert [n.name for n in graph.nodes] == ["x1", "x2", "x1 * w1", "x2 * w2", "z", "a", "E"]
    assert graph.node("z").value == pytest.approx(0.11)
    assert graph.node("a").value == 0.5274723043445937
    assert graph.node("a").gradient == -0.4725276956554063  # dE/da
    assert graph.node("z").gradient == pytest.approx(-0.4725276956554063 * 0.24924527249399803)
    assert graph.node("E").gradient == 1.0
    assert graph.node("x1 * w1").extra == "w1 = 0.2, dE/dw1 = -0.03533"
    assert graph.node("x2 * w2").extra == "w2 = 0.1, dE/dw2 = -0.05889"
    # dE/dx_i = delta * w_i: what the input would move by, were it a parameter.
    assert graph.node("x1").gradient == pytest.approx(graph.node("z").gradient * 0.2)


def test_a_2_2_1_network_every_node_named_as_the_trace_names_it():
    trace = two_two_one([[0.3, 0.5]], [[1.0]])
    graph = plot.computation_graph(trace)
    assert len(graph.nodes) == 15 <= MAX_NODES
    assert graph.node("a[1][0,1]").value == trace["a[1]"][0, 1]
    assert graph.node("a[1][0,1]").gradient == trace["dE/da[1]"][0, 1]
    assert graph.node("z[2][0,0]").gradient == trace["delta[2]"][0, 0]
    assert graph.node("a[1][0,0] * W[2][0,0]").inputs == ["a[1][0,0]"]
    assert graph.node("z[2][0,0]").inputs == ["a[1][0,0] * W[2][0,0]", "a[1][0,1] * W[2][1,0]"]
    assert len(graph.edges()) == 2 * 2 + 4 + 2 + 2 + 2 + 1 + 1


def test_a_batchs_samples_shares_add_up_to_the_traces_gradients():
    X = np.array([[0.3, 0.5], [1.0, -1.0], [0.0, 2.0]])
    trace = two_two_one(X, [[1.0], [0.0], [1.0]])
    shares = np.zeros(2)
    for sample in range(3):
        graph = plot.computation_graph(trace, sample=sample, digits=None)
        node = graph.node(f"x[{sample},1] * W[1][1,0]")
        assert node.value == X[sample, 1] * 0.1
        shares[0] += float(node.extra.split("dE/dW = ")[1])
        shares[1] += graph.node(f"z[1][{sample},1]").gradient
    assert shares[0] == pytest.approx(trace["dE/dW[1]"][1, 0], rel=1e-12)
    assert shares[1] == pytest.approx(trace["dE/db[1]"][1], rel=1e-12)
    assert "share of the 3 samples' gradients" in graph.caption


def test_svg_inline_and_written_png_through_matplotlib(tmp_path):
    graph = plot.computation_graph(neuron_trace(), tmp_path / "graph.svg", decimals=3)
    svg = (tmp_path / "graph.svg").read_text()
    assert svg == graph._repr_svg_() and svg.startswith("<svg") and svg.endswith("</svg>")
    assert "value 0.527   grad -0.473" in svg and svg.count("<rect") == 1 + 7
    graph.save(tmp_path / "graph.png")
    assert (tmp_path / "graph.png").read_bytes()[:4] == b"\x89PNG"
    texts = [t.get_text() for t in graph.figure().axes[0].texts]
    assert "a = sigmoid" in texts and "value 0.527   grad -0.473" in texts


def test_what_would_not_be_readable_is_refused_in_one_line():
    network = Network([Dense(2, 4, "tanh"), Dense(4, 1, "sigmoid")], seed=0)
    with pytest.raises(ValueError, match=r"the 2-4-1 network's graph has 25 nodes; it stays "
                                         r"readable up to 20"):  # fmt: skip
        plot.computation_graph(network.trace([[0.3, 0.5]], [[1.0]]))
    dropped = Network([Dense(2, 2, "tanh"), Dropout(0.5), Dense(2, 1)], seed=0)
    with pytest.raises(ValueError, match="Dense layers only; this trace has dropout"):
        plot.computation_graph(dropped.trace([[0.3, 0.5]], [[1.0]]))
    with pytest.raises(ValueError, match=r"sample must be a whole number from 0 to 0 \(samples "):
        plot.computation_graph(neuron_trace(), sample=1)
    with pytest.raises(ValueError, match=r"graph\.gif: unknown picture format 'gif'"):
        plot.computation_graph(neuron_trace(), "graph.gif")
