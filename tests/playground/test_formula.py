"""The formula panel: each quantity named as the trace names it, with the trace's numbers."""

import doctest

import numpy as np
import pytest

import glassnet.playground.formula as formula_module
from glassnet.engine.layers import Dense
from glassnet.engine.network import Network
from glassnet.playground.formula import formula_panel, perceptron_panel
from glassnet.playground.perceptron import PerceptronRun
from glassnet.playground.settings import Settings
from glassnet.text import format_number


def small_network(l2=0.0):
    """2 inputs -> 2 tanh -> 1 identity, mse: an output whose delta takes the chain rule."""
    layers = [Dense(2, 2, "tanh", weights=[[0.5, -0.3], [0.2, 0.8]], bias=[0.1, -0.2], l2=l2),
              Dense(2, 1, "identity", weights=[[1.5], [-0.7]], bias=[0.05], l2=l2)]  # fmt: skip
    return Network(layers, loss="mse")


def panel_of(network, layer, neuron, source=None, previous=None):
    x, y = np.array([[1.0, -2.0]]), np.array([[0.5]])
    trace = network.copy().trace(x, y, learning_rate=0.1)
    panel = formula_panel(trace, network, layer, neuron, source=source,
                          previous=previous or network.get_weights(), optimizer="sgd",
                          learning_rate=0.1)  # fmt: skip
    return panel, trace


def test_a_neuron_formula_carries_the_trace_numbers(api):
    reply = api.new_session(dataset="xor", layers="3", seed=3)
    key = reply["session"]
    api.post("/api/step", {"session": key, "epochs": 4})
    status, _, panel = api.post(
        "/api/inspect",
        {"session": key, "layer": 1, "neuron": 2, "split": "train", "sample": 5},  # fmt: skip
    )
    assert status == 200 and panel["title"].startswith("neuron 3 of layer 1 (hidden)")
    # The same numbers from the library itself: a trace of the same network on that sample.
    session = api.server.app.sessions[key]
    x = session.data.X_train[5:6]
    trace = session.network.copy().trace(x, session.data.y_train[5:6], learning_rate=0.03)
    lines = panel["lines"]
    assert lines[0] == "z[1]_3 = sum over i of W[1]_i3 * x_i + b[1]_3"
    assert f"{x[0, 0]:.6g}" in lines[1] and f"{x[0, 1]:.6g}" in lines[1]
    assert lines[2] == f"  = {trace['z[1]'][0, 2]:.6g}"
    assert lines[3].startswith(f"a[1]_3 = tanh(z) = {trace['a[1]'][0, 2]:.6g}")
    assert lines[6].endswith(f" = {trace['delta[1]'][0, 2]:.6g}")
    assert f"dE/db[1]_3 = delta[1]_3 = {trace['dE/db[1]'][2]:.6g}" in lines


def test_the_output_neuron_shows_the_paired_delta(api):
    key = api.new_session(dataset="moons", layers="2")["session"]
    _, _, panel = api.post("/api/inspect", {"session": key, "layer": 2, "neuron": 0})
    assert panel["title"].endswith("(output)")
    assert "delta[2]_1 = a[2]_1 - y  (sigmoid with binary_crossentropy)" in panel["lines"]


def test_a_weight_formula_is_input_times_delta(api):
    key = api.new_session(dataset="xor", layers="2", seed=5)["session"]
    _, _, panel = api.post("/api/inspect", {"session": key, "layer": 2, "neuron": 0, "source": 1})
    assert panel["title"] == "weight W[2]_21 into neuron 1 of layer 2 (output)"
    assert panel["lines"][1] == "dE/dW[2]_21 = a[1]_2 * delta[2]_1"
    product, result = panel["lines"][2].removeprefix("  = ").split(" = ")
    a, delta = (float(v.strip("()")) for v in product.split(" * "))
    assert float(result) == pytest.approx(a * delta, rel=1e-4)


def test_an_output_without_a_paired_loss_shows_the_chain_rule():
    network = small_network()
    panel, trace = panel_of(network, 2, 0)
    lines = panel["lines"]
    assert panel["title"] == "neuron 1 of layer 2 (output)"
    assert f"dE/da[2]_1 = 2 * (a - y) / N = {trace['dE/da[2]'][0, 0]:.6g}" in lines
    assert "da[2]_1/dz[2]_1 = 1 = 1" in lines
    assert lines[-1] == f"E for this sample (mse) = {trace.loss_before:.6g}"


def test_a_hidden_neuron_takes_its_error_from_the_layer_above():
    panel, trace = panel_of(small_network(), 1, 1)
    expected = f"dE/da[1]_2 = (delta[2] @ W[2]^T)_2 = {trace['dE/da[1]'][0, 1]:.6g}"
    assert expected in panel["lines"]
    assert "da[1]_2/dz[1]_2 = 1 - a^2" in panel["lines"][5]


def test_a_weight_with_l2_adds_its_penalty_to_the_gradient():
    network = small_network(l2=0.1)
    panel, trace = panel_of(network, 1, 0, source=1)
    gradient = trace["dE/dW[1]"][1, 0]
    assert panel["lines"][1] == "dE/dW[1]_21 = x_2 * delta[1]_1 + l2 * W[1]_21"
    assert panel["lines"][2].endswith(f" + 0.1 * 0.2 = {gradient:.6g}")
    factor = f"({gradient:.6g})" if gradient < 0 else f"{gradient:.6g}"  # a negative factor
    assert panel["lines"][4] == f"  = 0.2 - 0.1 * {factor} = {0.2 - 0.1 * gradient:.6g}"


def test_the_last_update_compares_with_the_weights_before_it():
    network = small_network()
    before = [array.copy() for array in network.get_weights()]
    before[0][0, 0] = 0.25  # as if the last step moved W[1]_11 from 0.25 to 0.5
    panel, _ = panel_of(network, 1, 0, source=0, previous=before)
    assert panel["lines"][-1] == "last update (sgd, over the last step): 0.25 -> 0.5  (change 0.25)"
    neuron, _ = panel_of(network, 1, 0, previous=before)
    assert (
        "last update (sgd, over the last step): W[1]_i1 by [0.25, 0], b[1]_1 by 0"
        in neuron["lines"]
    )


def test_the_perceptron_panel_with_a_bias_follows_the_engines_record():
    run = PerceptronRun.create(Settings(mode="perceptron", dataset="and", points=4, noise=0,
                                        split=1, seed=42, bias=True))  # fmt: skip
    record = run.perceptron.epochs_[1]
    step = run.sample(2, "train", 3)  # epoch 2, the corner (1, 1)
    panel = perceptron_panel(step, run.perceptron.decision_rule, 0.1, after=run.weights(2)[0])
    w, b = record.sample_weights[3], record.sample_bias[3]
    assert panel["title"] == "the perceptron, epoch 2"
    assert panel["lines"][0] == "z = w1*x1 + w2*x2 + b"
    assert panel["lines"][1].startswith(
        f"  = {format_number(w[0], 8)}*1 + {format_number(w[1], 8)}*1 + {format_number(b, 8)}"
    )
    assert (
        panel["lines"][3]
        == f"e = t - y = 1 - {record.predictions[3]:g} = {record.sample_errors[3]:g}"
    )
    assert panel["lines"][5] == f"bias correction = alpha * e = {record.bias_corrections[3]:g}"
    assert panel["lines"][6] == (
        "the rule: w <- w + alpha * sum(e * x) = w + alpha * X^T e, b <- b + alpha * sum(e)"
    )
    assert panel["lines"][-1].startswith("after epoch 2: w = [")


def test_the_perceptron_panel_of_negnevitskys_table_row_by_row():
    run = PerceptronRun.create(Settings(mode="perceptron", book="negnevitsky-and"))
    panel = perceptron_panel(run.sample(1, "train", 3), run.perceptron.decision_rule, 0.1,
                             threshold=0.2, batch=False, after=run.weights(1)[0])  # fmt: skip
    assert panel["lines"] == [
        "z = w1*x1 + w2*x2 - theta",
        "  = 0.2*1 + -0.1*1 - 0.2 = -0.1",
        "y = 0   (step(z) = 1 if z >= 0 else 0)",
        "e = t - y = 1 - 0 = 1",
        "correction = alpha * e * x = 0.1 * 1 * [1, 1] = [0.1, 0.1]",
        "the rule: w <- w + alpha * e * x",
        "after this sample: w = [0.3, 0]",
        "after epoch 1: w = [0.3, 0]",
    ]


def test_the_perceptron_panel_of_fausetts_rule_says_when_it_moves():
    run = PerceptronRun.create(Settings(mode="perceptron", book="fausett-and"))
    rule = run.perceptron.decision_rule
    moving = perceptron_panel(run.sample(1, "train", 0), rule, 1.0, batch=False)
    assert (
        moving["lines"][2] == "y = 0   (y = 1 if z > 0.2, 0 if -0.2 <= z <= 0.2 (undecided), "
        "-1 if z < -0.2)"
    )
    assert moving["lines"][3] == "t = 1: y != t, so the weights move"
    assert moving["lines"][4] == "correction = alpha * t * x = [1, 1]"
    still = perceptron_panel(run.sample(1, "train", 3), rule, 1.0, batch=False)
    assert still["lines"][3] == "t = -1: y = t, so no move"


def test_a_weight_with_l1_adds_l1_times_its_sign_to_the_gradient():
    network = small_network()
    for layer in network.dense_layers:
        layer.l1 = 0.05
    panel, trace = panel_of(network, 1, 1, source=0)  # W[1]_12 = -0.3: its sign is -1
    gradient = trace["dE/dW[1]"][0, 1]
    assert panel["lines"][1] == "dE/dW[1]_12 = x_1 * delta[1]_2 + l1 * sign(W[1]_12)"
    assert panel["lines"][2].endswith(f" + 0.05 * (-1) = {gradient:.6g}")
    delta = trace["delta[1]"][0, 1]
    assert gradient == pytest.approx(1.0 * delta + 0.05 * -1)  # the engine's l1 * sign(W)
    neuron, _ = panel_of(network, 1, 1)
    assert neuron["lines"][-4].startswith("dE/dW[1]_i2 = x_i * delta[1]_2 + l1 * sign(W[1]_i2)")


def test_a_bias_panel_shows_its_gradient_step_and_update():
    network = small_network(l2=0.1)  # the bias is not regularised, whatever the weights take
    before = [array.copy() for array in network.get_weights()]
    before[1][1] = -0.25  # as if the last step moved b[1]_2 from -0.25 to -0.2
    panel, trace = panel_of(network, 1, 1, source="bias", previous=before)
    gradient = trace["dE/db[1]"][1]
    assert panel["title"] == "bias b[1]_2 of neuron 2 of layer 1 (hidden)"
    assert panel["lines"][1] == f"dE/db[1]_2 = delta[1]_2 = {gradient:.6g}"
    assert gradient == pytest.approx(trace["delta[1]"][0, 1])
    factor = f"({gradient:.6g})" if gradient < 0 else f"{gradient:.6g}"
    assert panel["lines"][3] == f"  = (-0.2) - 0.1 * {factor} = {-0.2 - 0.1 * gradient:.6g}"
    last = "last update (sgd, over the last step): -0.25 -> -0.2  (change 0.05)"
    assert panel["lines"][4] == last


def test_the_inputs_of_the_first_layer_are_named():
    network = small_network()
    x, y = np.array([[1.0, -2.0]]), np.array([[0.5]])
    trace = network.copy().trace(x, y, learning_rate=0.1)
    panel = formula_panel(trace, network, 1, 0, previous=network.get_weights(), optimizer="sgd",
                          learning_rate=0.1, inputs=["x1", "x1*x2"])  # fmt: skip
    assert panel["lines"][-1] == "the inputs: x_1 = x1, x_2 = x1*x2"
    second = formula_panel(
        trace,
        network,
        2,
        0,
        previous=network.get_weights(),
        optimizer="sgd",
        learning_rate=0.1,
        inputs=["x1", "x1*x2"],
    )
    assert not second["lines"][-1].startswith("the inputs")


def test_docstring_examples():
    result = doctest.testmod(formula_module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted >= 6
