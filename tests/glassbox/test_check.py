"""Trace.check (glassbox/check.py): hand-worked values marked right or wrong, and every
slip that gives a wrong one named, with the first factor it changes.

Every wrong answer below is built by hand, making the slip on purpose, mostly from the
numbers of tutorial 000: x = (0.3, 0.5), w = (0.2, 0.1), no bias, y = 1,
E = 1/2 (y - a)^2.
"""

import math

import numpy as np
import pytest

from glassnet import Dense, Network, Trace
from glassnet.glassbox.check import check_values

X1, X2, W1, W2, Y = 0.3, 0.5, 0.2, 0.1, 1.0
Z = X1 * W1 + X2 * W2
A = 1 / (1 + math.exp(-Z))
SLOPE = A * (1 - A)  # sigma'(z)
G1, G2 = (A - Y) * SLOPE * X1, (A - Y) * SLOPE * X2  # dE/dw1, dE/dw2
XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


def neuron_trace(learning_rate=1.0):
    network = Network([Dense(2, 1, "sigmoid", weights=[W1, W2], use_bias=False)], "half_sse")
    return network.trace([[X1, X2]], [[Y]], learning_rate=learning_rate)


def xor_trace(learning_rate=0.5):
    network = Network([Dense(2, 4, "tanh"), Dense(4, 1, "sigmoid")], "binary_crossentropy", seed=0)
    return network.trace(XOR_X, [0, 1, 1, 0], learning_rate=learning_rate)


def test_right_answers_rounded_to_three_digits_are_right():
    report = neuron_trace().check({"z": 0.11, "a": 0.527, "dE/dw1": -0.0353, "new w2": 0.159})
    assert report.all_right
    assert [item.right for item in report] == [True, True, True, True]
    assert "right" in str(report)


def test_sign_flipped():
    # y - a instead of a - y: dE/dw1 = (y - a) * a (1 - a) * x1 = +0.0353
    item = neuron_trace().check({"dE/dw1": -G1})["dE/dw1"]
    assert not item.right
    assert item.slips == ["sign flipped"]
    assert item.factor == "dE/da"
    assert "a - y" in item.message


def test_a_gradient_added_instead_of_subtracted_is_not_blamed_on_de_da_alone():
    # new w1 = w1 + learning_rate * dE/dw1: the update's sign, or dE/da's; both give it.
    item = neuron_trace().check({"new w1": W1 + G1})["new w1"]
    assert item.slips == ["gradient added instead of subtracted", "sign flipped"]
    assert item.factor == "learning_rate"
    assert "2 slips give this value equally" in item.message
    assert "To tell them apart, check dE/da too" in item.message


def test_a_right_gradient_rules_out_the_flipped_sign():
    report = neuron_trace().check({"dE/dw1": G1, "new w1": W1 + G1})
    item = report["new w1"]
    assert item.slips == ["gradient added instead of subtracted"]
    assert "Not sign flipped: it would change dE/dw1, which you have right." in item.message


def test_at_learning_rate_half_a_learner_who_used_one_is_told_both_slips_that_give_it():
    # w1 - 1 * dE/dw1 is also w1 - 0.5 * (2 dE/dw1), the gradient of a loss without its 1/2.
    item = neuron_trace(0.5).check({"new w1": W1 - 1.0 * G1})["new w1"]
    assert item.slips == ["learning rate left out", "missing 1/2"]
    assert "(1 used in place of 0.5)" in item.message
    assert "To tell them apart, check E too" in item.message
    assert item.ratio == pytest.approx(2.0)


def test_the_first_factor_a_missing_half_changes_is_de_da_not_e():
    for name, wrong in (("E", (Y - A) ** 2), ("dE/dw1", 2 * G1)):
        item = neuron_trace().check({name: wrong})[name]
        assert item.slips == ["missing 1/2"]
        assert item.factor == "dE/da"
        assert "The first factor of the chain rule that differs is dE/da" in item.message


def test_a_forgotten_sigma_prime():
    # delta = dE/da * da/dz with da/dz left out: dE/dw1 = (a - y) * x1, 1/sigma'(z) too large.
    report = neuron_trace().check({"dE/dw1": (A - Y) * X1, "dE/dw2": (A - Y) * X2})
    for item in report:
        assert item.slips == ["da/dz left out"]
        assert item.factor == "da/dz"
        assert item.ratio == pytest.approx(1 / SLOPE)


def test_a_new_weight_is_compared_by_its_change_not_its_value():
    # The forgotten sigma' carried into the update: the weights differ by a factor 1.45,
    # their changes by 4.01 = 1 / sigma'(z), which is what the report gives.
    wrong = W1 - 1.0 * (A - Y) * X1
    item = neuron_trace().check({"new w1": wrong})["new w1"]
    assert wrong / (W1 - G1) == pytest.approx(1.452, abs=1e-3)
    assert item.ratio == pytest.approx(1 / SLOPE) == pytest.approx(4.012, abs=1e-3)
    assert "Your change 0.141758 is 4.012 times the step's change 0.0353326" in item.message
    assert item.slip == "da/dz left out"


def test_the_sigmoids_derivative_taken_of_a_instead_of_z():
    sigmoid_of_a = 1 / (1 + math.exp(-A))
    wrong_derivative = sigmoid_of_a * (1 - sigmoid_of_a)
    report = neuron_trace().check({"da/dz": wrong_derivative, "dE/dw2": (A - Y) *
                                   wrong_derivative * X2})  # fmt: skip
    for name in ("da/dz", "dE/dw2"):
        assert report[name].slips == ["sigmoid's derivative taken of a instead of z"]
        assert report[name].factor == "da/dz"


def test_tutorial_000s_own_error_line():
    # The tutorial prints 0.5 * (y - a) = 0.23626384782770316 for E.
    item = neuron_trace().check({"E": 0.5 * (Y - A)})["E"]
    assert 0.5 * (Y - A) == pytest.approx(0.23626384782770316, rel=1e-15)
    assert item.slips == ["the error written 0.5 * (y - a), as tutorial 000 prints it"]


def test_a_transposed_matrix_is_a_slip_not_a_shape_error():
    item = neuron_trace().check({"dE/dW": [[G1, G2]]})["dE/dW"]  # (1, 2) for (2, 1)
    assert item.slip == "transposed" and item.factor == "dE/dW"
    assert "Transposed back, it is right." in item.message
    # Transposed and sign flipped: both named.
    item = neuron_trace().check({"dE/dW": [[-G1, -G2]]})["dE/dW"]
    assert item.slips == ["transposed", "sign flipped"]
    assert "Transposed back, it is still wrong" in item.message


def test_a_square_matrix_given_as_its_transpose():
    trace = xor_trace()
    tanh_weights = trace["dE/dW[1]"]  # (2, 4): take a square one from a 2 -> 2 network
    assert tanh_weights.shape == (2, 4)
    network = Network([Dense(2, 2, "tanh"), Dense(2, 1, "sigmoid")], "binary_crossentropy", seed=3)
    square = network.trace(XOR_X, [0, 1, 1, 0], learning_rate=0.5)
    true = square["dE/dW[1]"]
    item = square.check({"dE/dW[1]": true.T})["dE/dW[1]"]
    assert "transposed" in item.slips


def test_swapped_entries():
    item = neuron_trace().check({"dE/dW": [[G2], [G1]]})["dE/dW"]
    assert item.slips == ["entries swapped"]
    assert "entries swapped: [0,0] and [1,0]." in item.message
    # One entry of a matrix given another's value.
    trace = xor_trace()
    other = float(trace["dE/dW[1]"][1, 2])
    item = trace.check({"dE/dW[1][0,2]": other})["dE/dW[1][0,2]"]
    assert "entries swapped" in item.slips
    assert "yours is dE/dW[1][1,2]'s value" in item.message
    # Three entries moved round in a circle are not entries swapped: no pair holds each
    # other's values.
    rotated = trace["dE/dW[1]"].copy()
    rotated[0, :3] = rotated[0, [1, 2, 0]]
    assert "entries swapped" not in trace.check({"dE/dW[1]": rotated})["dE/dW[1]"].slips


def test_the_wrong_input():
    report = neuron_trace().check({"dz/dw1": X2, "dE/dw1": G2})
    assert report["dz/dw1"].slips == ["the wrong input x_i"]
    assert "x2 in place of x1" in report["dz/dw1"].message
    assert report["dz/dw1"].factor == "dz/dw1"
    # dE/dw1 taken with x2 is dE/dw2's value: the wrong input, or the entries swapped.
    assert report["dE/dw1"].slips == ["the wrong input x_i", "entries swapped"]


def test_the_wrong_input_with_l2_keeps_the_weights_own_penalty():
    network = Network([Dense(2, 1, "sigmoid", weights=[W1, W2], use_bias=False, l2=0.1)],
                      "half_sse")  # fmt: skip
    trace = network.trace([[X1, X2]], [[Y]], learning_rate=1.0)
    # (a - y) * sigma'(z) * x2 + l2 * w1: x2 for x1, the penalty still w1's.
    item = trace.check({"dE/dw1": G2 + 0.1 * W1})["dE/dw1"]
    assert item.slips == ["the wrong input x_i"]


def test_an_arbitrary_learning_rate_is_inferred():
    item = neuron_trace(0.5).check({"new w1": W1 - 0.3 * G1})["new w1"]
    assert item.slip == "a different learning rate" and item.factor == "learning_rate"
    assert "(0.3 in place of 0.5)" in item.message
    # A whole matrix whose every entry moved by 0.3 / 0.5 of the step: the same rate.
    trace = xor_trace(0.5)
    old, gradient = trace.layers[0].weights, trace["dE/dW[1]"]
    item = trace.check({"new W[1]": old - 0.3 * gradient})["new W[1]"]
    assert item.slip == "a different learning rate"
    assert "(0.3 in place of 0.5)" in item.message


def test_the_learning_rate_applied_twice():
    item = neuron_trace(0.5).check({"new w1": W1 - 0.25 * G1})["new w1"]
    assert item.slips == ["learning rate applied twice"]


def test_summed_instead_of_averaged_with_several_outputs_names_the_divisor():
    # Binary cross-entropy with 2 sigmoid outputs averages over N = 3 samples x 2 outputs.
    X = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    weights = np.array([[0.2, -0.3], [0.1, 0.4]])
    network = Network([Dense(2, 2, "sigmoid", weights=weights)], "binary_crossentropy")
    trace = network.trace(X, y, learning_rate=0.1)
    a = 1 / (1 + np.exp(-X @ weights))
    np.testing.assert_allclose(trace["dE/db"], (a - y).sum(axis=0) / 6, rtol=1e-12)
    report = trace.check({"dE/db": (a - y).sum(axis=0) / 3, "delta": a - y})
    assert report["dE/db"].slips == ["divided by the samples n instead of N = samples x outputs"]
    assert "(1/3 in place of 1/6)" in report["dE/db"].message
    assert report["dE/db"].factor == "delta"
    assert report["delta"].slips == ["summed instead of averaged over samples"]


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
    assert item.slips == ["averaged instead of summed over samples"]
    assert item.factor == "dE/da"


def test_a_wrong_value_no_slip_explains_gives_the_ratio():
    item = neuron_trace().check({"a": 0.7})["a"]
    assert not item.right and item.slip is None and item.slips == []
    assert item.ratio == pytest.approx(0.7 / A)
    assert "1.327 times it; no common slip explains that" in item.message


def test_one_entry_of_a_matrix_by_index():
    trace = xor_trace()
    true = float(trace["dE/dW[1]"][0, 2])
    report = trace.check({"dE/dW[1][0,2]": true, "dE/dW[1][1,3]": -float(trace["dE/dW[1]"][1, 3])})
    assert report["dE/dW[1][0,2]"].right
    assert report["dE/dW[1][1,3]"].slip == "sign flipped"
    assert report["dE/dW[1][1,3]"].factor == "delta[2]"  # the paired output delta (a - y) / N


def test_a_slip_in_the_hidden_layer_names_its_factor():
    # tanh's derivative left out in layer 1 of the XOR network: da/dz[1] differs first.
    trace = xor_trace()
    below = trace["dE/da[1]"]
    wrong = XOR_X.T @ below  # dE/dW[1] with delta[1] = dE/da[1], no 1 - a^2
    item = trace.check({"dE/dW[1]": wrong})["dE/dW[1]"]
    assert item.slips == ["da/dz left out"]
    assert item.factor == "da/dz[1]"


def test_unknown_name_lists_the_names_and_the_index_convention():
    with pytest.raises(ValueError, match="has no quantity 'dE/dw3'.*dE/dw1.*counted from 0"):
        neuron_trace().check({"dE/dw3": 0.1})


def test_wrong_shape_is_named():
    with pytest.raises(ValueError, match=r"dE/dW has shape \(2, 1\); the value given has shape"):
        neuron_trace().check({"dE/dW": [1.0, 2.0, 3.0]})


def test_not_a_number():
    with pytest.raises(ValueError, match="the value must be a number"):
        neuron_trace().check({"a": "half"})


def test_report_to_dict_is_plain_data():
    data = neuron_trace().check({"a": 0.5, "dE/dw1": -G1}).to_dict()
    assert data["all_right"] is False
    assert data["items"][0]["expected"] == pytest.approx(A, rel=1e-15)
    assert data["items"][1]["slips"] == ["sign flipped"]


def test_every_traced_value_is_right_at_zero_tolerance():
    for trace in (neuron_trace(), xor_trace(), neuron_trace(0.5)):
        values = {name: trace[name] for name in trace.names()}
        assert trace.check(values, tolerance=0).all_right


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
