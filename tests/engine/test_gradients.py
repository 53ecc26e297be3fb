"""Backpropagation against central finite differences, every activation and loss."""

import numpy as np
import pytest

from glassnet import Dense, Dropout, Network, gradcheck
from glassnet.engine.activations import ACTIVATIONS, get_activation

HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", "identity"]
# (output activation, loss, kind of target): the combinations that make sense.
OUTPUTS = [
    ("sigmoid", "binary_crossentropy", "binary"),
    ("softmax", "crossentropy", "classes"),
    ("identity", "mse", "values"),
    ("sigmoid", "half_sse", "values01"),
    ("tanh", "mse", "values"),
    ("sigmoid", "mse", "values01"),
]


def targets(kind, n, k, rng):
    if kind == "binary":
        return rng.integers(0, 2, n).astype(float) if k == 1 else rng.integers(0, 2, (n, k))
    if kind == "classes":
        return np.arange(n) % k
    if kind == "values01":
        return rng.uniform(0, 1, (n, k))
    return rng.normal(size=(n, k))


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("output, loss, kind", OUTPUTS)
@pytest.mark.parametrize("depth, n_samples, use_bias", [(1, 1, True), (2, 5, True), (3, 7, False)])
def test_gradcheck_below_1e6(hidden, output, loss, kind, depth, n_samples, use_bias):
    rng = np.random.default_rng(depth * 100 + n_samples)
    k = 3 if output == "softmax" else (1 if kind == "binary" else 2)
    sizes = [3] + [4] * (depth - 1) + [k]
    layers = [
        Dense(sizes[i], sizes[i + 1], hidden if i < depth - 1 else output, use_bias=use_bias)
        for i in range(depth)
    ]
    network = Network(layers, loss=loss, seed=depth)
    X = rng.normal(size=(n_samples, 3))
    y = targets(kind, n_samples, k, rng)
    if kind == "classes" and n_samples < k:
        y = np.eye(k)[[0] * n_samples]  # one-hot rows when a batch cannot hold every class
    result = gradcheck(network, X, y)
    assert result.max_relative_error < 1e-6, str(result)


def test_gradcheck_with_l2_and_dropout_layer_off():
    rng = np.random.default_rng(0)
    network = Network(
        [Dense(4, 6, "tanh", l2=0.1), Dropout(0.5), Dense(6, 3, "softmax", l2=0.05)],
        loss="crossentropy",
        seed=3,
    )
    result = gradcheck(network, rng.normal(size=(8, 4)), np.arange(8) % 3)
    assert result.max_relative_error < 1e-6
    assert len(result.rows) == network.count_parameters()


def test_gradcheck_catches_a_wrong_gradient():
    class BrokenTanh(type(get_activation("tanh"))):
        def derivative(self, z, a):
            return 1.0 - a  # wrong on purpose: should be 1 - a^2

    network = Network([Dense(2, 3, BrokenTanh()), Dense(3, 1, "identity")], loss="mse", seed=0)
    result = gradcheck(network, np.random.default_rng(1).normal(size=(4, 2)), np.ones(4))
    assert result.max_relative_error > 1e-3
    assert result.worst.startswith("W[1]") or result.worst.startswith("b[1]")
    assert not result.passed


@pytest.mark.parametrize("name", sorted(set(ACTIVATIONS) - {"step", "sign"}))
def test_activation_derivative_matches_finite_differences(name):
    activation = get_activation(name)
    z = np.random.default_rng(2).normal(size=(5, 4)) * 2
    z[np.abs(z) < 1e-3] = 0.5  # keep away from the kink of relu
    upstream = np.random.default_rng(3).normal(size=z.shape)
    h = 1e-6
    numerical = np.zeros_like(z)
    for index in np.ndindex(z.shape):
        plus, minus = z.copy(), z.copy()
        plus[index] += h
        minus[index] -= h
        difference = activation.forward(plus) - activation.forward(minus)
        numerical[index] = np.sum(upstream * difference) / (2 * h)
    a = activation.forward(z)
    np.testing.assert_allclose(activation.backward(upstream, z, a), numerical, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("l1, l2", [(0.05, 0.0), (0.0, 0.05), (0.03, 0.02)])
def test_regularised_gradients_match_finite_differences(l1, l2):
    # Weights kept away from 0, where |W| has its kink and finite differences do not hold.
    rng = np.random.default_rng(7)
    first = rng.uniform(0.2, 1.0, (3, 4)) * rng.choice([-1, 1], (3, 4))
    second = rng.uniform(0.2, 1.0, (4, 2)) * rng.choice([-1, 1], (4, 2))
    network = Network(
        [Dense(3, 4, "tanh", weights=first, l1=l1, l2=l2),
         Dense(4, 2, "identity", weights=second, l1=l1, l2=l2)],
        loss="mse",
    )  # fmt: skip
    result = gradcheck(network, rng.normal(size=(5, 3)), rng.normal(size=(5, 2)))
    assert result.max_relative_error < 1e-7, str(result)


def test_the_l1_term_is_l1_times_the_sum_of_absolute_weights():
    layer = Dense(2, 1, "identity", weights=[[0.5], [-2.0]], bias=[0.0], l1=0.1, l2=0.2)
    layer.build(np.random.default_rng(0), np.float64)
    # 0.1 * (0.5 + 2) + 0.2 / 2 * (0.25 + 4)
    assert layer.penalty() == pytest.approx(0.1 * 2.5 + 0.1 * 4.25, rel=1e-15)
    layer.forward(np.array([[1.0, 1.0]]))
    layer.backward_delta(np.array([[0.0]]), input_gradient=False)
    # no data gradient: only l1 * sign(W) + l2 * W
    np.testing.assert_allclose(layer.grad_weights, [[0.1 + 0.2 * 0.5], [-0.1 - 0.2 * 2.0]])
    with pytest.raises(ValueError, match=r"l1 must be a number in \[0, inf\), got -1"):
        Dense(2, 1, l1=-1)
