"""Trace.check (glassbox/check.py): hand-worked values marked right or wrong, each common
slip recognised.

Every wrong answer below is built by hand, making the slip on purpose, from the numbers of
tutorial 000: x = (0.3, 0.5), w = (0.2, 0.1), no bias, y = 1, E = 1/2 (y - a)^2.
"""

import math

import numpy as np
import pytest

from glassnet import Dense, Network, Trace
from glassnet.glassbox.check import SLIPS, check_values, replay

X1, X2, W1, W2, Y = 0.3, 0.5, 0.2, 0.1, 1.0
Z = X1 * W1 + X2 * W2
A = 1 / (1 + math.exp(-Z))


def neuron_trace(learning_rate=1.0):
    network = Network([Dense(2, 1, "sigmoid", weights=[W1, W2], use_bias=False)], "half_sse")
    return network.trace([[X1, X2]], [[Y]], learning_rate=learning_rate)


def xor_trace(learning_rate=0.5):
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    network = Network([Dense(2, 4, "tanh"), Dense(4, 1, "sigmoid")], "binary_crossentropy", seed=0)
    return network.trace(X, [0, 1, 1, 0], learning_rate=learning_rate)


def test_right_answers_rounded_to_three_digits_are_right():
    report = neuron_trace().check({"z": 0.11, "a": 0.527, "dE/dw1": -0.0353, "new w2": 0.159})
    assert report.all_right
    assert [item.right for item in report] == [True, True, True, True]
    assert "right" in str(report)


def test_sign_flipped():
    # y - a instead of a - y: dE/dw1 = (y - a) * a (1 - a) * x1 = +0.0353
    wrong = (Y - A) * A * (1 - A) * X1
    item = neuron_trace().check({"dE/dw1": wrong})["dE/dw1"]
    assert not item.right
    assert item.slip == "sign flipped"
    assert item.factor == "dE/da"
    assert "a - y" in item.message


def test_sign_flipped_in_the_update():
    # new w1 = w1 + learning_rate * dE/dw1 (climbing the loss)
    wrong = W1 + 1.0 * (A - Y) * A * (1 - A) * X1
    item = neuron_trace().check({"new w1": wrong})["new w1"]
    assert item.slip == "sign flipped"


def test_sigmoid_derivative_of_a_instead_of_z():
    sigmoid_of_a = 1 / (1 + math.exp(-A))
    wrong_derivative = sigmoid_of_a * (1 - sigmoid_of_a)
    wrong = (A - Y) * wrong_derivative * X2
    report = neuron_trace().check({"da/dz": wrong_derivative, "dE/dw2": wrong})
    for name in ("da/dz", "dE/dw2"):
        assert report[name].slip == "sigmoid's derivative taken of a instead of z"
        assert report[name].factor == "da/dz"


def test_missing_one_half():
    wrong_loss = (Y - A) ** 2  # no 1/2
    item = neuron_trace().check({"E": wrong_loss})["E"]
    assert item.slip == "missing 1/2"
    assert item.factor == "E"


def test_missing_one_half_doubles_the_gradient():
    wrong = 2 * (A - Y) * A * (1 - A) * X1  # d/da (y - a)^2 = 2 (a - y)
    item = neuron_trace().check({"dE/dw1": wrong})["dE/dw1"]
    assert item.slip == "missing 1/2"
    assert item.factor == "E"


def test_learning_rate_applied_twice():
    rate = 0.5
    gradient = (A - Y) * A * (1 - A) * X1
    wrong = W1 - rate * rate * gradient
    item = neuron_trace(rate).check({"new w1": wrong})["new w1"]
    assert item.slip == "learning rate applied twice"
    assert item.factor == "learning_rate"
    # With the rate applied once the same entry is right.
    assert neuron_trace(rate).check({"new w1": W1 - rate * gradient}).all_right


def test_averaged_instead_of_summed_over_samples():
    # Half the sum of squared errors over two samples: the gradient is a sum, not a mean.
    X = np.array([[0.3, 0.5], [1.0, -1.0]])
    y = np.array([[1.0], [0.0]])
    w = np.array([[W1], [W2]])
    a = 1 / (1 + np.exp(-X @ w))
    summed = X.T @ ((a - y) * a * (1 - a))
    network = Network([Dense(2, 1, "sigmoid", weights=[W1, W2], use_bias=False)], "half_sse")
    trace = network.trace(X, y, learning_rate=1.0)
    np.testing.assert_allclose(trace["dE/dW"], summed, rtol=1e-12)
    item = trace.check({"dE/dW": summed / 2})["dE/dW"]
    assert item.slip == "averaged instead of summed over samples"
    assert item.factor == "E"


def test_summed_instead_of_averaged_over_samples():
    # Binary cross-entropy is a mean over the samples: dE/db = sum (a - y) / n.
    X = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([1, 0, 1])
    network = Network([Dense(2, 1, "sigmoid", weights=[W1, W2])], "binary_crossentropy")
    a = 1 / (1 + np.exp(-X @ np.array([W1, W2])))
    trace = network.trace(X, y, learning_rate=0.1)
    np.testing.assert_allclose(trace["dE/db"], [np.sum(a - y) / 3], rtol=1e-12)
    item = trace.check({"dE/db": np.sum(a - y)})["dE/db"]
    assert item.slip == "summed instead of averaged over samples"
    assert item.factor == "E"


def test_a_wrong_value_no_slip_explains_gives_the_ratio():
    item = neuron_trace().check({"a": 0.7})["a"]
    assert not item.right and item.slip is None
    assert "times it" in item.message


def test_one_entry_of_a_matrix_by_index():
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    network = Network([Dense(2, 4, "tanh"), Dense(4, 1, "sigmoid")], "binary_crossentropy", seed=0)
    trace = network.trace(X, [0, 1, 1, 0], learning_rate=0.5)
    true = float(trace["dE/dW[1]"][0, 2])
    report = trace.check({"dE/dW[1][0,2]": true, "dE/dW[1][1,3]": -float(trace["dE/dW[1]"][1, 3])})
    assert report["dE/dW[1][0,2]"].right
    assert report["dE/dW[1][1,3]"].slip == "sign flipped"
    assert report["dE/dW[1][1,3]"].factor == "delta[2]"  # the paired output delta (a - y) / n


def test_unknown_name_lists_the_names():
    with pytest.raises(ValueError, match="has no quantity 'dE/dw3'.*dE/dw1"):
        neuron_trace().check({"dE/dw3": 0.1})


def test_wrong_shape_is_named():
    with pytest.raises(ValueError, match=r"dE/dW has shape \(2, 1\); the value given has shape"):
        neuron_trace().check({"dE/dW": [1.0, 2.0, 3.0]})


def test_not_a_number():
    with pytest.raises(ValueError, match="the value must be a number"):
        neuron_trace().check({"a": "half"})


def test_report_to_dict_is_plain_data():
    data = neuron_trace().check({"a": 0.5}).to_dict()
    assert data["all_right"] is False
    assert data["items"][0]["expected"] == pytest.approx(A, rel=1e-15)


def test_replay_reproduces_every_traced_quantity():
    # check() replays the step with slips; without one it must agree with the network.
    traces = [neuron_trace(), xor_trace()]
    network = Network([Dense(3, 4, "sigmoid", l2=0.1), Dense(4, 2, "identity")], "mse", seed=2)
    traces.append(network.trace(np.eye(3), np.ones((3, 2)), 0.3))
    for trace in traces:
        replayed = replay(trace)
        for name in trace.names():
            if name in replayed:
                np.testing.assert_allclose(replayed[name], trace[name], rtol=1e-12, atol=1e-15)
        assert set(trace.names()) - set(replayed) <= {"x", "z", "a", "z[1]", "a[1]", "z[2]",
                                                      "a[2]"}  # fmt: skip


def test_every_traced_value_from_e_on_is_right_at_zero_tolerance():
    # The replay, which check compares slips against, is the trace's own step.
    for trace in (neuron_trace(), xor_trace(), neuron_trace(0.5)):
        values = {name: trace[name] for name in trace.names()}
        assert trace.check(values, tolerance=0).all_right


def test_each_slip_made_by_the_replay_is_named_by_check():
    # Every slip the step allows, made in full, is recognised on the quantity it changes.
    trace = neuron_trace(0.5)
    for slip in ("sign", "sigmoid_of_a", "missing_half", "learning_rate_twice"):
        slipped = replay(trace, slip)
        item = trace.check({"new w1": slipped["new w1"]}, tolerance=1e-9)["new w1"]
        assert item.slip == SLIPS[slip][0]


def test_check_values_is_what_trace_check_does():
    trace = neuron_trace()
    values = {"a": 0.527, "dE/dw1": 0.0353}
    assert check_values(trace, values).to_dict() == trace.check(values).to_dict()


def test_a_trace_without_layer_records_cannot_be_checked():
    trace = Trace(learning_rate=0.1, n_samples=1)
    trace.add("z", "x1*w1", [[2.0]], "forward", per_sample=True)
    with pytest.raises(ValueError, match="check needs a trace made by Network.trace"):
        trace.check({"z": 2.0})


def test_tolerance_is_a_non_negative_number():
    with pytest.raises(ValueError, match=r"tolerance must be a number in \[0, inf\), got -1"):
        neuron_trace().check({"a": 0.5}, tolerance=-1)


def test_an_empty_check_is_refused():
    with pytest.raises(ValueError, match="check needs a dict of name -> value"):
        neuron_trace().check({})
