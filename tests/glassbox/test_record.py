"""Recording a step (glassbox/record.py): every stage in order, named in the trace's notation."""

import numpy as np
import pytest

from glassnet import Dense, Network
from glassnet.glassbox.record import trace_step

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([0, 1, 1, 0])


def neuron():
    return Network([Dense(2, 1, "sigmoid", weights=[0.2, 0.1], use_bias=False)], "half_sse")


def xor_network():
    return Network([Dense(2, 4, "tanh"), Dense(4, 1, "sigmoid")], "binary_crossentropy", seed=0)


def test_tutorial_000_is_recorded_weight_by_weight_in_the_order_it_is_worked():
    trace = trace_step(neuron(), [[0.3, 0.5]], [[1.0]], learning_rate=1.0)
    assert trace.names() == [
        "x", "z", "a",  # forward
        "E",  # loss
        "dE/da", "da/dz", "delta", "dz/dW", "dE/dW", "dz/dw1", "dE/dw1", "dz/dw2", "dE/dw2",
        "new W", "new w1", "new w2",  # update
    ]  # fmt: skip
    shown = [step.name for step in trace.steps if step.shown]
    assert "dE/dW" not in shown and "new W" not in shown  # spelled out weight by weight
    assert [step.stage for step in trace.steps][:4] == ["forward", "forward", "forward", "loss"]
    assert trace.step("z").formula == "x1*w1 + x2*w2"
    assert trace.step("dE/dw1").formula == "dE/da * da/dz * dz/dw1"
    assert trace.changes[0].entries == ["w1", "w2"]


def test_a_batch_through_two_layers_is_recorded_by_matrices_from_the_output_down():
    trace = trace_step(xor_network(), XOR_X, XOR_Y, learning_rate=0.5)
    backward = [step.name for step in trace.steps if step.stage == "backward"]
    assert backward == ["delta[2]", "dz/dW[2]", "dE/dW[2]", "dE/db[2]", "dE/da[1]", "da/dz[1]",
                        "delta[1]", "dz/dW[1]", "dE/dW[1]", "dE/db[1]"]  # fmt: skip
    assert trace.step("z[2]").formula == "a[1] @ W[2] + b[2]"
    assert trace.step("dE/da[1]").formula == "delta[2] @ W[2]^T"
    # E names the output it compares (a[2]) and what N counts
    assert trace.step("E").formula == (
        "-1/N * sum(y * log(a[2]) + (1 - y) * log(1 - a[2]))  (N = samples * outputs = 4 * 1)"
    )
    assert trace.step("delta[2]").formula == (
        "(a[2] - y) / N  (sigmoid with binary_crossentropy; N = samples * outputs = 4 * 1)"
    )
    assert [change.name for change in trace.changes] == ["W[1]", "b[1]", "W[2]", "b[2]"]
    assert trace.changes[0].entries[:3] == ["W[1][0,0]", "W[1][0,1]", "W[1][0,2]"]
    assert not any(name.startswith(("dE/dw", "new w")) for name in trace.names())


def test_formulas_are_right_hand_sides():
    traces = [
        trace_step(neuron(), [[0.3, 0.5]], [[1.0]], learning_rate=1.0),
        trace_step(xor_network(), XOR_X, XOR_Y, learning_rate=0.5),
        Network([Dense(3, 2, "relu"), Dense(2, 1, "identity")], "mse", seed=1).trace(
            np.eye(3), np.ones(3), 0.1
        ),
    ]
    for trace in traces:
        for step in trace.steps:
            assert not step.formula.startswith(f"{step.name} = "), step.formula
            assert not step.formula.startswith(("a = ", "E = ", "dE/da = ", "da/dz = "))
    assert traces[0].step("a").formula == "1 / (1 + exp(-z))"
    assert traces[0].step("E").formula == "1/2 * sum((y - a)^2)"
    assert traces[0].step("dE/da").formula == "a - y"
    assert traces[0].step("da/dz").formula == "a * (1 - a)"
    assert traces[2].step("a[1]").formula == "max(0, z[1])"


def test_the_step_is_plain_gradient_descent_and_with_apply_the_network_takes_it():
    network = xor_network()
    before = [layer.weights.copy() for layer in network.dense_layers]
    trace = trace_step(network, XOR_X, XOR_Y, learning_rate=0.5, apply=True)
    for index, (layer, old) in enumerate(zip(network.dense_layers, before, strict=True), start=1):
        np.testing.assert_array_equal(trace.layers[index - 1].weights, old)
        np.testing.assert_array_equal(layer.weights, trace[f"new W[{index}]"])
        np.testing.assert_allclose(layer.weights, old - 0.5 * trace[f"dE/dW[{index}]"],
                                   rtol=1e-15)  # fmt: skip
    assert trace.loss_after == network.compute_loss(*network.encode_targets(XOR_X, XOR_Y))


def test_the_records_are_what_the_step_was_computed_from():
    network = xor_network()
    trace = trace_step(network, XOR_X, XOR_Y, learning_rate=0.5)
    assert trace.loss == network.loss  # of the copy the step ran on: the same loss
    np.testing.assert_array_equal(trace.targets, XOR_Y.reshape(-1, 1))
    assert len(trace.layers) == len(network.dense_layers) == 2
    np.testing.assert_array_equal(trace.layers[0].inputs, XOR_X)
    np.testing.assert_array_equal(trace.layers[1].inputs, trace["a[1]"])
    np.testing.assert_array_equal(trace.layers[1].a, trace["a[2]"])


def test_l2_shows_in_the_weight_gradient():
    network = Network([Dense(3, 1, "tanh", l2=0.1)], "mse", seed=1)
    trace = trace_step(network, [[0.3, 0.5, -1.0], [1.0, 0.0, 2.0]], [[0.2], [0.1]], 0.3)
    assert trace.step("dE/dW").formula == "x^T @ delta + 0.1 * W"
    np.testing.assert_allclose(
        trace["dE/dW"], trace["x"].T @ trace["delta"] + 0.1 * trace.layers[0].weights,
        rtol=1e-12,
    )  # fmt: skip


def test_the_trace_starts_after_a_standardize_layer():
    from glassnet import Standardize

    X = np.array([[10.0, 200.0], [14.0, 100.0], [12.0, 300.0]])
    scaler = Standardize.fit(X)
    network = Network([scaler, Dense(2, 1, "sigmoid", weights=[0.2, 0.1])], "half_sse")
    trace = network.trace(X, [[1.0], [0.0], [1.0]], learning_rate=0.5)
    assert trace.step("x").formula == "(raw x - mean) / scale  (Standardize)"
    np.testing.assert_array_equal(trace["raw x"], X)
    standardized = (X - X.mean(axis=0)) / X.std(axis=0)
    np.testing.assert_allclose(trace["x"], standardized, rtol=1e-12)
    np.testing.assert_allclose(trace["dE/dW"], trace["x"].T @ trace["delta"], rtol=1e-12)


def test_network_trace_records_through_trace_step():
    by_network = neuron().trace([[0.3, 0.5]], [[1.0]], learning_rate=1.0)
    by_function = trace_step(neuron(), [[0.3, 0.5]], [[1.0]], learning_rate=1.0)
    assert by_network.to_dict() == by_function.to_dict()


@pytest.mark.parametrize("rate", [0, -0.1, float("nan"), "fast", True])
def test_the_learning_rate_is_a_positive_number(rate):
    with pytest.raises(ValueError, match=r"learning_rate must be a number in \(0, inf\)"):
        trace_step(neuron(), [[0.3, 0.5]], [[1.0]], learning_rate=rate)
