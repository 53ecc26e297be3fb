"""The slips check looks for (glassbox/slips.py), made by the engine on the rebuilt step:
no second backpropagation, so every kind of network the trace shows is replayed exactly."""

import math
import warnings

import numpy as np
import pytest

from glassnet import Dense, Dropout, Network, Standardize
from glassnet.engine.activations import Sigmoid
from glassnet.engine.losses import HalfSSE
from glassnet.glassbox.slips import (
    SLIPS,
    SlippedActivation,
    SlippedLoss,
    UnsquaredError,
    possible_slips,
    replay,
    variants,
)

X1, X2, W1, W2, Y = 0.3, 0.5, 0.2, 0.1, 1.0
A = 1 / (1 + math.exp(-(X1 * W1 + X2 * W2)))
X3 = np.random.default_rng(0).normal(size=(3, 3))


def neuron_trace(learning_rate=1.0):
    network = Network([Dense(2, 1, "sigmoid", weights=[W1, W2], use_bias=False)], "half_sse")
    return network.trace([[X1, X2]], [[Y]], learning_rate=learning_rate)


def networks():
    """Networks off the tutorials' path: L2 and L1, dropout, Standardize, softmax with mse,
    several outputs, a batch of 3; each with targets for X3."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # softmax without crossentropy
        softmax_mse = Network([Dense(3, 4, "tanh", l2=0.1), Dense(4, 2, "softmax")], "mse",
                              seed=1)  # fmt: skip
    return [
        (softmax_mse, np.full((3, 2), 0.3)),
        (Network([Dense(3, 4, "relu"), Dropout(0.5), Dense(4, 2, "sigmoid")],
                 "binary_crossentropy", seed=1), np.array([[0, 1], [1, 0], [1, 1]])),
        (Network([Standardize.fit(X3), Dense(3, 2, "leaky_relu", l1=0.05),
                  Dense(2, 3, "softmax")], "crossentropy", seed=2), [0, 1, 2]),
        (Network([Dense(3, 2, "sigmoid", l1=0.02, l2=0.03), Dense(2, 2, "identity")],
                 "half_sse", seed=3), np.ones((3, 2))),
    ]  # fmt: skip


def test_the_replay_without_a_slip_is_the_trace_itself_on_every_kind_of_network():
    for network, y in networks():
        trace = network.trace(X3, y, learning_rate=0.3)
        replayed = replay(trace)
        for name in trace.names():
            if trace.step(name).stage != "forward":
                assert name in replayed, name
                np.testing.assert_allclose(replayed[name], trace[name], rtol=1e-12, atol=1e-15)


def test_a_dropout_step_is_replayed_with_the_mask_it_drew():
    network, y = networks()[1]
    trace = network.trace(X3, y, learning_rate=0.3)
    assert np.any(trace["mask[1]"] == 0)  # some units dropped
    np.testing.assert_allclose(replay(trace)["dE/da[1]"], trace["dE/da[1]"], rtol=1e-12)


def test_the_slips_are_made_as_their_formulas_say():
    trace = neuron_trace()
    slope = A * (1 - A)
    twice = 1 / (1 + math.exp(-A))
    expected = {  # slip -> dE/dw1 with the slip made, by hand
        "sign": (Y - A) * slope * X1,
        "missing_half": 2 * (A - Y) * slope * X1,
        "unsquared": -0.5 * slope * X1,
        "sigmoid_of_a": (A - Y) * twice * (1 - twice) * X1,
        "no_derivative": (A - Y) * X1,
    }
    for slip, value in expected.items():
        assert replay(trace, slip)["dE/dw1"].item() == pytest.approx(value, rel=1e-14), slip
    assert replay(trace, "unsquared")["E"].item() == pytest.approx(0.5 * (Y - A), rel=1e-15)
    assert replay(trace, "added")["new w1"].item() == pytest.approx(
        W1 + (A - Y) * slope * X1, rel=1e-15
    )


def test_each_slip_the_step_allows_is_named_by_check_on_a_value_it_changes():
    for trace in (neuron_trace(0.5), *(n.trace(X3, y, 0.3) for n, y in networks())):
        found = variants(trace)
        truth = found[None]
        for slip in possible_slips(trace):
            name = next(
                name for name in truth
                if name != "E" and name in found[slip]
                and not np.allclose(found[slip][name], truth[name], rtol=1e-6)
            )  # fmt: skip
            item = trace.check({name: found[slip][name]}, tolerance=1e-9)[name]
            assert SLIPS[slip][0] in item.slips, (slip, name, item.message)


def test_the_slips_a_step_allows_follow_its_loss_layers_batch_and_update():
    neuron = ["sign", "missing_half", "unsquared", "sigmoid_of_a", "no_derivative", "added"]
    assert possible_slips(neuron_trace(1.0)) == neuron
    network = Network([Dense(2, 4, "tanh"), Dense(4, 1, "sigmoid")], "binary_crossentropy", seed=0)
    xor = network.trace([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0], 0.5)
    # sigmoid with cross-entropy pairs: no sigmoid slip at the output; tanh has no sigmoid.
    assert possible_slips(xor) == ["sign", "summed", "no_derivative", "added",
                                   "learning_rate_one", "learning_rate_twice"]  # fmt: skip
    adam = network.trace([[0, 0], [0, 1]], [0, 1], 0.5, optimizer="adam")
    assert "added" not in possible_slips(adam)  # not plain gradient descent: no update slip


def test_a_slip_the_step_cannot_make_is_refused():
    with pytest.raises(ValueError, match="cannot be replayed with the slip 'missing_two'"):
        replay(neuron_trace(), "missing_two")


def test_the_variant_objects():
    a, y = np.array([[0.25], [0.5]]), np.array([[1.0], [0.0]])
    no_half = SlippedLoss(HalfSSE(), value_scale=2.0, gradient_scale=2.0)
    assert no_half.value(a, y) == np.sum((a - y) ** 2)
    np.testing.assert_array_equal(no_half.gradient(a, y), 2 * (a - y))
    assert UnsquaredError().value(a, y) == 0.5 * np.sum(y - a)
    z = np.array([[0.0, 2.0]])
    left_out = SlippedActivation(Sigmoid(), "no_derivative")
    np.testing.assert_array_equal(left_out.forward(z), Sigmoid().forward(z))
    np.testing.assert_array_equal(left_out.backward(np.ones((1, 2)), z, Sigmoid().forward(z)),
                                  np.ones((1, 2)))  # fmt: skip
    with pytest.raises(ValueError, match="slip must be"):
        SlippedActivation(Sigmoid(), "other")
