"""The engine: activations and losses at extreme inputs, the perceptron, bad arguments."""

import warnings

import numpy as np
import pytest

from glassnet import Dense, Network, Perceptron
from glassnet.engine.activations import get_activation
from glassnet.engine.losses import get_loss


def test_sigmoid_is_exact_at_the_limits_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            a = get_activation("sigmoid").forward(np.array([-1000.0, 0.0, 1000.0]))
    assert a.tolist() == [0.0, 0.5, 1.0]


def test_softmax_is_stable_for_huge_logits():
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        a = get_activation("softmax").forward(np.array([[1000.0, 0.0, -1000.0]]))
    assert a.tolist() == [[1.0, 0.0, 0.0]]


def test_step_and_sign():
    z = np.array([-1.0, 0.0, 2.0])
    assert get_activation("step").forward(z).tolist() == [0.0, 0.0, 1.0]  # step(0) = 0
    sign = get_activation({"name": "sign", "threshold": 1.0})
    assert sign.forward(np.array([0.0, 1.0, 3.0])).tolist() == [-1.0, 0.0, 1.0]


@pytest.mark.parametrize(
    "activation, loss, z, y, expected",
    [
        # Each sample sits 1000 (sigmoid) or 2000 (softmax: 1000 - -1000) nats on the wrong side.
        ("sigmoid", "binary_crossentropy", [[1000.0], [-1000.0]], [[0.0], [1.0]], 1000.0),
        (
            "softmax",
            "crossentropy",
            [[1000.0, -1000.0], [-1000.0, 1000.0]],
            [[0, 1], [1, 0]],
            2000.0,
        ),
    ],
)
def test_paired_losses_are_finite_at_extreme_logits(activation, loss, z, y, expected):
    act, lossfn = get_activation(activation), get_loss(loss)
    z, y = np.array(z), np.array(y, dtype=float)
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        a = act.forward(z)
        value = lossfn.value_at(act, z, a, y)
        delta = lossfn.output_delta(act, z, a, y)
    assert value == pytest.approx(expected)
    np.testing.assert_array_equal(delta, (a - y) / 2)


def test_binary_crossentropy_from_probabilities_never_takes_log_zero():
    loss = get_loss("binary_crossentropy")
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        value = loss.value(np.array([[0.0], [1.0]]), np.array([[1.0], [0.0]]))
    assert np.isfinite(value) and value > 30


def test_losses_values_by_hand():
    a, y = np.array([[0.5], [1.0]]), np.array([[1.0], [0.0]])
    assert get_loss("half_sse").value(a, y) == 0.5 * (0.25 + 1.0)
    assert get_loss("mse").value(a, y) == (0.25 + 1.0) / 2
    np.testing.assert_array_equal(get_loss("mse").gradient(a, y), [[-0.5], [1.0]])


def reference_perceptron(X, y, w, b, alpha, mode, max_epochs):
    """A plain perceptron written independently of glassnet, for comparison."""
    history = []
    for _ in range(max_epochs):
        if mode == "batch":
            out = np.heaviside(X @ w + (b or 0.0), 0)
            e = y - out
            w = w + alpha * (X.T @ e)
            if b is not None:
                b = b + alpha * e.sum()
            errors = int(np.count_nonzero(e))
        else:
            errors = 0
            for xi, yi in zip(X, y, strict=True):
                e = yi - np.heaviside(xi @ w + (b or 0.0), 0)
                errors += e != 0
                w = w + alpha * e * xi
                if b is not None:
                    b = b + alpha * e
        history.append((w.copy(), b, errors))
        if errors == 0:
            break
    return history


@pytest.mark.parametrize("mode", ["batch", "online"])
@pytest.mark.parametrize("bias", [None, 0.3])
def test_perceptron_matches_a_reference_weight_for_weight(mode, bias):
    rng = np.random.default_rng(7)
    X = rng.normal(size=(30, 3))
    y = (X @ np.array([1.0, -2.0, 0.5]) + (0.2 if bias is not None else 0) > 0).astype(float)
    w0 = rng.normal(size=3)
    perceptron = Perceptron(3, learning_rate=0.05, weights=w0, bias=bias, mode=mode)
    perceptron.fit(X, y, max_epochs=200)
    expected = reference_perceptron(X, y, w0.copy(), bias, 0.05, mode, 200)
    assert len(perceptron.epochs_) == len(expected)
    for record, (w, b, errors) in zip(perceptron.epochs_, expected, strict=True):
        np.testing.assert_array_equal(record.weights, w)
        assert record.bias == b
        assert record.errors == errors
    assert perceptron.converged == (expected[-1][2] == 0)


def test_perceptron_online_shuffle_is_seeded():
    X, y = [[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 1]
    runs = [
        Perceptron(2, bias=0.0, mode="online", shuffle=True, seed=5).fit(X, y) for _ in range(2)
    ]
    assert [r.weights.tolist() for r in runs[0].epochs_] == [
        r.weights.tolist() for r in runs[1].epochs_
    ]


def test_perceptron_on_xor_stops_and_says_so():
    p = Perceptron(2, bias=0.0, seed=1).fit([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0])
    assert not p.converged
    assert len(p.epochs_) < 100
    assert "not linearly separable" in p.message or "did not converge" in p.message


def test_perceptron_keeps_string_labels():
    p = Perceptron(1, weights=[0.0], bias=0.0).fit([[-1.0], [1.0]], ["no", "yes"])
    assert p.converged
    assert p.predict([[-2.0], [3.0]]).tolist() == ["no", "yes"]


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: Dense(2, 1, activation="swish"), "unknown activation 'swish'"),
        (lambda: Dense(2, 1, weights=[[1.0, 2.0, 3.0]]), "weights must have shape (2, 1)"),
        (lambda: Dense(0, 1), "n_inputs must be a positive integer"),
        (lambda: Network([Dense(2, 3), Dense(4, 1)]), "layer 2 expects 4 inputs but layer 1"),
        (lambda: Network([Dense(2, 1)], loss="hinge"), "unknown loss 'hinge'"),
        (lambda: Perceptron(2, learning_rate=-0.1), "learning_rate must be a positive number"),
        (lambda: Perceptron(2, mode="sometimes"), "mode must be 'batch' or 'online'"),
        (lambda: Perceptron(2, weights=[1.0]), "weights must have shape (2,)"),
    ],
)
def test_bad_arguments_name_the_value_and_what_was_expected(build, message):
    with pytest.raises(ValueError) as error:
        build()
    assert message in str(error.value)


def test_shape_mismatch_between_X_and_the_first_layer():
    network = Network([Dense(2, 1)], seed=0)
    with pytest.raises(ValueError, match=r"X has 3 columns but the network expects 2 inputs"):
        network.forward(np.zeros((4, 3)))


def test_y_of_the_wrong_length():
    network = Network([Dense(2, 1)], seed=0)
    with pytest.raises(ValueError, match=r"y has 3 rows but X has 4"):
        network.fit(np.zeros((4, 2)), np.zeros(3))


def test_nan_in_X_is_located():
    network = Network([Dense(2, 1)], seed=0)
    X = np.zeros((3, 2))
    X[2, 1] = np.nan
    with pytest.raises(ValueError, match=r"row 2, column 1"):
        network.predict(X)


def test_given_weights_are_used_as_they_are_and_others_come_from_the_seed():
    given = Dense(2, 2, weights=[[1, 2], [3, 4]], bias=[5, 6])
    Network([given, Dense(2, 1)], seed=0)
    assert given.weights.tolist() == [[1, 2], [3, 4]] and given.bias.tolist() == [5, 6]
    first = Network([Dense(3, 4), Dense(4, 1)], seed=11).get_weights()
    again = Network([Dense(3, 4), Dense(4, 1)], seed=11).get_weights()
    other = Network([Dense(3, 4), Dense(4, 1)], seed=12).get_weights()
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    assert not np.array_equal(first[0], other[0])


def test_layer_without_bias_has_only_weights():
    network = Network([Dense(3, 2, use_bias=False)], seed=0)
    assert network.parameter_names == ["W[1]"]
    assert network.count_parameters() == 6


def test_library_never_touches_the_global_generator():
    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    Network([Dense(2, 3), Dense(3, 1)], seed=None).fit(np.ones((4, 2)), np.ones(4), epochs=2)
    Perceptron(2).fit([[0, 1], [1, 0]], [0, 1])
    assert np.array_equal(np.random.get_state()[1], before)


def test_full_batch_training_is_tutorial_001_gradient_descent():
    X = np.array([[0, 1, 0], [0, 0, 1], [1, 0, 0], [1, 1, 0]], dtype=float)
    y = np.array([[1], [0], [0], [1]], dtype=float)
    W, b = np.array([[0.1], [0.2], [0.3]]), np.array([0.4])
    network = Network([Dense(3, 1, "sigmoid", weights=W, bias=b)], loss="half_sse")
    network.fit(X, y, epochs=3, learning_rate=0.5)
    for _ in range(3):  # the same three steps in plain NumPy
        a = 1 / (1 + np.exp(-(X @ W + b)))
        delta = (a - y) * a * (1 - a)
        W = W - 0.5 * X.T @ delta
        b = b - 0.5 * delta.sum(axis=0)
    np.testing.assert_allclose(network.layers[0].weights, W, rtol=1e-14)
    np.testing.assert_allclose(network.layers[0].bias, b, rtol=1e-14)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: Network(Dense(2, 1)), TypeError, "layers must be a list of layers"),
        (lambda: Network([Dense(2, 1)], seed="abc"), ValueError, "seed must be a non-negative"),
        (lambda: Perceptron(2, seed=-1), ValueError, "seed must be a non-negative integer"),
        (lambda: Perceptron(2).fit(np.zeros((4, 3)), [0, 1, 0, 1]), ValueError,
         "X has 3 columns but the perceptron expects 2 inputs"),
        (lambda: Network([Dense(2, 1, weights=[1, 1], use_bias=False)], "mse").trace(
            [[1, 1]], [[1]]).to_text(digits=-1), ValueError,
         "digits must be a positive integer or None, got -1"),
    ],
)  # fmt: skip
def test_api_mistakes_get_a_message_that_names_them(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_standardize_fits_columns_near_the_float64_limit_without_overflow():
    from glassnet import Standardize

    X = np.array([[1e300, 1.0], [3e300, 2.0], [-2e300, 3.0]])
    layer = Standardize.fit(X)
    assert np.all(np.isfinite(layer.scale)) and np.all(np.isfinite(layer.mean))
    np.testing.assert_allclose(layer.mean, [2e300 / 3, 2.0], rtol=1e-15)
    np.testing.assert_allclose(layer.scale[1], np.std([1.0, 2.0, 3.0]), rtol=1e-15)
    np.testing.assert_allclose(layer.forward(X).std(axis=0), [1.0, 1.0], rtol=1e-12)
