"""A traced step as a notebook (glassbox/notebook.py): valid nbformat, Markdown with the
stages' math, and code that, run as it stands with NumPy alone, recomputes every stage and
agrees with the trace, on every kind of network the trace covers."""

from __future__ import annotations

import itertools
import json
import warnings

import numpy as np
import pytest

from glassnet import Adam, Dense, Dropout, Network, Standardize
from glassnet.glassbox.notebook import notebook, notebook_json

X = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


def run(trace) -> dict:
    """The notebook's code cells run in order, as a kernel would; returns their names."""
    code = "\n".join(c["source"] for c in notebook(trace)["cells"] if c["cell_type"] == "code")
    namespace: dict = {}
    exec(compile(code, "step.ipynb", "exec"), namespace)
    return namespace


# Every hidden activation with every output and loss; the optimizers, the penalties and
# dropout taken in turn across them (each meets every activation and every output).
PAIRS = list(itertools.product(
    ["identity", "sigmoid", "tanh", "relu", "leaky_relu", "softmax"],
    [("sigmoid", "binary_crossentropy"), ("softmax", "crossentropy"), ("identity", "mse"),
     ("tanh", "half_sse"), ("softmax", "mse")],
))  # fmt: skip
CASES = [
    (hidden, output, loss, ("sgd", "momentum", "nesterov", "adam")[i % 4], (0.0, 0.1)[i % 2],
     (0.0, 0.5)[i // 2 % 2])
    for i, (hidden, (output, loss)) in enumerate(PAIRS)
]  # fmt: skip


@pytest.mark.parametrize("hidden,output,loss,optimizer,penalty,dropout", CASES)
def test_the_recomputation_agrees_with_the_trace(hidden, output, loss, optimizer, penalty,
                                                 dropout):  # fmt: skip
    outputs = 3 if output == "softmax" else 1
    layers = [Dense(2, 3, hidden, l2=penalty, l1=penalty / 2)]
    layers += [Dropout(dropout)] if dropout else []
    layers += [Dense(3, outputs, output, l2=penalty)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # softmax without crossentropy says so
        network = Network(layers, loss=loss, seed=1)
    if loss == "crossentropy":
        y = [0, 1, 2]
    elif loss == "binary_crossentropy":
        y = [0, 1, 1]
    else:
        y = np.tile([[0.2], [0.5], [0.9]], (1, outputs))
    trace = network.trace(X, y, 0.1, optimizer=optimizer)
    namespace = run(trace)
    checked = namespace["trace_numbers"]
    assert {"E", "delta[2]", "dE/dW[1]", "dE/db[1]", "new W[1]", "new W[2]"} <= set(checked)
    for name, value in checked.items():  # the literals are the trace's, to the last bit
        assert np.array_equal(np.asarray(value), trace[name]), name
    for name in checked:
        np.testing.assert_allclose(namespace["recomputed"][name], trace[name], rtol=1e-9,
                                   atol=1e-12)  # fmt: skip


def test_tutorial_000_is_recomputed_weight_by_weight():
    network = Network([Dense(2, 1, "sigmoid", weights=[0.2, 0.1], use_bias=False)], "half_sse")
    namespace = run(network.trace([[0.3, 0.5]], [[1.0]], learning_rate=1.0))
    assert namespace["recomputed"]["dE/dw1"] == pytest.approx(-0.03533258827937781, abs=1e-16)
    assert namespace["recomputed"]["new w2"] == pytest.approx(0.15888764713229636, abs=1e-16)


def test_a_standardized_input_starts_from_the_scaled_x():
    network = Network([Standardize([1.0, 2.0], [2.0, 3.0]), Dense(2, 2, "tanh"),
                       Dense(2, 1, "sigmoid")], "binary_crossentropy", seed=0)  # fmt: skip
    trace = network.trace(X, [0, 1, 1], 0.1)
    np.testing.assert_array_equal(run(trace)["x"], trace["x"])


def test_the_file_is_nbformat_4_with_math_and_the_note():
    nbformat = pytest.importorskip("nbformat")
    network = Network([Dense(2, 2, "sigmoid"), Dense(2, 1, "sigmoid")], "half_sse", seed=0)
    text = notebook_json(network.trace(X, [[0.0], [1.0], [1.0]], 0.5), decimals=3,
                         note="one step on three rows")  # fmt: skip
    book = nbformat.reads(text, as_version=4)
    nbformat.validate(book)
    assert [c.cell_type for c in book.cells][:2] == ["markdown", "code"]
    assert "One step on three rows." in book.cells[0].source
    markdown = "\n".join(c.source for c in book.cells if c.cell_type == "markdown")
    assert markdown.count("$$") >= 30 and "### Update (learning rate 0.5)" in markdown
    assert all(c.outputs == [] for c in book.cells if c.cell_type == "code")
    assert json.loads(text)["metadata"]["kernelspec"]["name"] == "python3"


def test_what_it_cannot_recompute_is_refused_in_one_line(tmp_path):
    network = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)], "half_sse")
    used = Adam(0.1)
    network.trace([[1.0]], [[1.0]], optimizer=used, apply=True)  # the optimizer has state now
    trace = network.trace([[1.0]], [[1.0]], optimizer=used)
    with pytest.raises(ValueError, match="from a fresh optimizer"):
        notebook(trace)
    with pytest.raises(ValueError, match="a notebook's name ends in .ipynb"):
        network.trace([[1.0]], [[1.0]], 0.1).to_notebook(tmp_path / "step.txt")
