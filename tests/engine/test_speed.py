"""The speed work changes no result: each shortcut is checked against the plain formula."""

import numpy as np
import pytest

import glassnet as gn
from glassnet.engine.activations import ReLU
from glassnet.engine.arrays import as_features
from glassnet.engine.evaluation import output_values


@pytest.mark.parametrize(("dtype", "rtol"), [(np.float32, 2e-6), (np.float64, 1e-13)])
def test_adam_with_its_folded_factors_follows_the_textbook_formula(dtype, rtol):
    rng = np.random.default_rng(0)
    shape = (64, 32)
    param = rng.standard_normal(shape).astype(dtype)
    expected = param.astype(np.float64)
    m = np.zeros(shape)
    v = np.zeros(shape)
    adam = gn.Adam(learning_rate=0.01)
    for t in range(1, 21):
        grad = (rng.standard_normal(shape) * 10.0 ** rng.integers(-4, 3, shape)).astype(dtype)
        adam.step([param], [grad])
        # Adam as its docstring writes it, in float64.
        m = 0.9 * m + (1 - 0.9) * grad
        v = 0.999 * v + (1 - 0.999) * grad.astype(np.float64) ** 2
        m_hat, v_hat = m / (1 - 0.9**t), v / (1 - 0.999**t)
        expected -= 0.01 * m_hat / (np.sqrt(v_hat) + 1e-8)
        np.testing.assert_allclose(param, expected, rtol=rtol, atol=rtol * 0.01 * t)
    assert param.dtype == dtype
    for got, want in zip((*adam.first_moments, *adam.second_moments), (m, v), strict=True):
        # m sums gradients of both signs: judge its rounding against its largest entry
        np.testing.assert_allclose(got, want, rtol=rtol * 10, atol=rtol * 10 * abs(want).max())


def test_float32_adam_takes_huge_gradients_as_the_plain_formula_does():
    # Raw features such as timestamps (~1e9) give gradients near 1e18: v ~ g^2 still fits
    # in float32, and every step moves the weight by about the learning rate.
    weight, adam = np.zeros(1, np.float32), gn.Adam(0.01)
    with np.errstate(all="raise"):
        for _ in range(3000):
            adam.step([weight], [np.array([1e18], np.float32)])
    assert np.isfinite(adam.second_moments[0]).all()
    assert weight[0] == pytest.approx(-30.0, rel=1e-3)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_relu_forward_against_zeros_is_maximum_with_the_scalar_zero(dtype):
    special = [np.nan, -np.inf, np.inf, -0.0, 0.0, -1e-30, 1e-30]
    z = np.concatenate([special, np.random.default_rng(6).standard_normal(57)])
    z = z.astype(dtype).reshape(8, 8)
    a = ReLU().forward(z)
    assert a.dtype == dtype
    np.testing.assert_array_equal(a, np.maximum(z, 0))
    assert np.array_equal(np.signbit(a), np.signbit(np.maximum(z, 0)))


def test_relu_backward_gives_positive_zero_like_where():
    z = np.array([[-1.0, 0.0, 2.0]])
    da = np.array([[-3.0, -4.0, -5.0]])
    delta = ReLU().backward(da, z, np.maximum(z, 0))
    np.testing.assert_array_equal(delta, np.where(z > 0, da, 0))
    assert not np.signbit(delta[0, :2]).any()  # 0.0, not the -0.0 of -3 * 0


def test_first_layer_without_input_gradient_fills_the_same_gradients():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((5, 3))
    layer = gn.Dense(3, 2, "tanh")
    layer.build(rng, np.float64)
    layer.forward(X)
    grad = rng.standard_normal((5, 2))
    full = layer.backward(grad)
    weights_gradient = layer.grad_weights.copy()
    assert full.shape == (5, 3)
    assert layer.backward(grad, input_gradient=False) is None
    np.testing.assert_array_equal(layer.grad_weights, weights_gradient)


def test_large_sets_are_evaluated_in_chunks_with_the_same_figures():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((10000, 8))
    y = (X[:, 0] > 0).astype(int)
    net = gn.Network([gn.Dense(8, 16, "relu"), gn.Dense(16, 2, "softmax")],
                     loss="crossentropy", seed=0)  # fmt: skip
    chunked = net.evaluate(X, y)
    X_encoded, Y = net.encode_targets(X, y)
    whole = net.compute_loss(X_encoded, Y)  # one forward pass over all rows
    assert chunked["loss"] == pytest.approx(whole, rel=1e-12)
    assert chunked["accuracy"] == np.mean(net.predict(X) == y)


def test_a_nan_in_the_data_is_still_found_by_row_and_column():
    X = np.ones((4, 3))
    X[2, 1] = np.nan
    with pytest.raises(ValueError, match="row 2, column 1"):
        as_features(X, 3)


def test_diverging_float32_training_keeps_the_earlier_weights():
    X = np.array([[1e3, -1e3], [2e3, 1e3]], dtype=np.float32)
    net = gn.Network([gn.Dense(2, 1, "identity")], loss="mse", seed=0, dtype=np.float32)
    before = net.get_weights()
    with pytest.warns(gn.TrainingDiverged):
        net.fit(X, [1e30, -1e30], epochs=50, learning_rate=10.0)
    assert all(np.isfinite(p).all() for p in net.parameters)
    assert len(net.history) < 50 and net.get_weights()[0].shape == before[0].shape


@pytest.mark.parametrize(
    ("hidden", "output", "loss", "optimizer"),
    [
        ("relu", "softmax", "crossentropy", "adam"),
        ("sigmoid", "sigmoid", "binary_crossentropy", "momentum"),
        ("tanh", "identity", "mse", "nesterov"),
        ("leaky_relu", "identity", "half_sse", "sgd"),
    ],
)
def test_float32_training_makes_no_float64_array(hidden, output, loss, optimizer):
    rng = np.random.default_rng(3)
    X = rng.standard_normal((64, 5)).astype(np.float32)
    y = rng.integers(0, 3, 64) if output == "softmax" else rng.integers(0, 2, 64)
    width = 3 if output == "softmax" else 1
    layers = [gn.Dense(5, 8, hidden, l2=0.01), gn.Dropout(0.2), gn.Dense(8, width, output)]
    net = gn.Network(layers, loss=loss, seed=0, dtype=np.float32)
    net.fit(X, y, epochs=2, batch_size=16, optimizer=optimizer)
    arrays = []
    for layer in net.dense_layers:
        _, z, a = layer.cache
        arrays += [z, a, *layer.parameters, *layer.gradients]
    assert all(array.dtype == np.float32 for array in arrays)
    assert net.predict_proba(X).dtype == np.float32


def _small_network(seed=0):
    return gn.Network(
        [gn.Dense(4, 6, "relu", l2=0.01), gn.Dropout(0.25), gn.Dense(6, 3, "softmax")],
        loss="crossentropy",
        seed=seed,
    )


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "nesterov", "adam"])
def test_one_flat_update_equals_an_update_of_each_array(optimizer):
    rng = np.random.default_rng(4)
    X, y = rng.standard_normal((40, 4)), rng.integers(0, 3, 40)
    trained, manual = _small_network(), _small_network()
    trained.fit(X, y, epochs=3, batch_size=8, optimizer=optimizer, learning_rate=0.05)
    # The same run by hand: the same batches and dropout masks (same generator draws),
    # but the optimizer steps through the six arrays one by one.
    X_encoded, Y = manual.encode_targets(X, y)
    stepper = gn.get_optimizer(optimizer, 0.05)
    for _ in range(3):
        order = manual.rng.permutation(40)
        for start in range(0, 40, 8):
            rows = order[start : start + 8]
            manual.loss_and_gradients(X_encoded[rows], Y[rows], training=True)
            stepper.step(manual.parameters, manual.gradients)
    for got, expected in zip(trained.get_weights(), manual.get_weights(), strict=True):
        np.testing.assert_array_equal(got, expected)


def test_parameters_and_gradients_are_views_of_two_flat_arrays():
    net = _small_network()
    flat, flat_gradients = net.flat_storage()
    assert flat.size == net.count_parameters() == 4 * 6 + 6 + 6 * 3 + 3
    assert all(p.base is flat for p in net.parameters)
    assert all(g.base is flat_gradients for g in net.gradients)
    net.layers[0].weights[0, 0] = 7.0
    assert flat[0] == 7.0


def test_a_replaced_or_copied_array_is_still_trained():
    rng = np.random.default_rng(5)
    X, y = rng.standard_normal((30, 4)), rng.integers(0, 3, 30)
    net = _small_network()
    replaced = np.full((4, 6), 0.1)
    net.layers[0].weights = replaced  # a new array, outside the flat storage
    net.fit(X, y, epochs=2, learning_rate=0.5)
    assert not np.array_equal(net.layers[0].weights, np.full((4, 6), 0.1))
    assert all(p.base is net.flat_storage()[0] for p in net.parameters)
    twin = net.copy()  # a deep copy holds plain arrays, not views of net's storage
    before = net.get_weights()
    twin.fit(X, y, epochs=2, learning_rate=0.5)
    assert not np.array_equal(twin.get_weights()[0], before[0])
    for kept, original in zip(net.get_weights(), before, strict=True):
        np.testing.assert_array_equal(kept, original)


@pytest.mark.parametrize("n", [1025, 3000, 60001])
def test_evaluation_chunks_are_equal_so_the_last_one_is_never_a_few_rows(n):
    net = gn.Network([gn.Dense(2, 3, "relu"), gn.Dense(3, 1, "identity")], loss="mse", seed=0)
    X = np.arange(2 * n, dtype=float).reshape(n, 2)
    z, a = output_values(net, X)
    assert z.shape == a.shape == (n, 1)
    np.testing.assert_allclose(a, net.forward(X), rtol=1e-12)  # every row, in order
    output_values(net, X)
    last_chunk = net.layers[0].cache[0]
    assert 512 <= len(last_chunk) <= 1024
    np.testing.assert_array_equal(last_chunk, X[n - len(last_chunk) :])


@pytest.mark.parametrize(
    ("output", "loss", "metric"),
    [("softmax", "crossentropy", "accuracy"), ("identity", "mse", "mae")],
)
def test_epoch_metrics_pair_each_batch_output_with_its_own_row(output, loss, metric):
    rng = np.random.default_rng(7)
    X = rng.standard_normal((50, 3))
    y = rng.integers(0, 3, 50) if output == "softmax" else X @ [1.0, -2.0, 0.5]
    width = 3 if output == "softmax" else 1
    net = gn.Network([gn.Dense(3, 5, "tanh"), gn.Dense(5, width, output)], loss=loss, seed=1)
    # A step too small to change any weight: the outputs seen during the epoch, row by
    # row in shuffled batches, are those of the untrained network.
    history = net.fit(X, y, epochs=1, batch_size=7, learning_rate=1e-30, metrics=[metric])
    assert history.history[metric][0] == net.evaluate(X, y, metrics=[metric])[metric]
    assert history.history[metric][0] == history.initial[metric]


@pytest.mark.parametrize(("dtype", "rtol"), [(np.float64, 1e-14), (np.float32, 1e-6)])
def test_crossentropy_from_log_a_agrees_with_the_log_sum_exp_form(dtype, rtol):
    from glassnet.engine.activations import Softmax
    from glassnet.engine.losses import Crossentropy

    def log_sum_exp_form(z, y):  # the textbook-stable formula, in float64
        z = z.astype(np.float64)
        log_a = z - z.max(axis=1, keepdims=True)
        log_a -= np.log(np.exp(log_a).sum(axis=1, keepdims=True))
        return -np.sum(y * log_a) / len(z)

    rng = np.random.default_rng(8)
    softmax, loss = Softmax(), Crossentropy()
    y = np.eye(10, dtype=dtype)[rng.integers(0, 10, 64)]
    for scale in (0.1, 3.0, 8.0):  # from flat to confident outputs, all normal floats
        z = (rng.standard_normal((64, 10)) * scale).astype(dtype)
        a = softmax.forward(z.copy())
        assert a.min() >= np.finfo(dtype).tiny
        assert loss.value_at(softmax, z, a, y) == pytest.approx(log_sum_exp_form(z, y), rel=rtol)
    # Probabilities that underflow, to 0 or to the few digits of a subnormal float: the
    # log-sum-exp form takes over, finite and exact.
    wide = (rng.standard_normal((64, 10)) * 3000).astype(dtype)
    cases = [(wide, y)]
    for gap in {np.float32: [95.0, 100.0], np.float64: [740.0, 744.0]}[dtype]:
        z = np.zeros((1, 10), dtype=dtype)
        z[0, 1] = -gap  # a[1] = exp(-gap) / 9: subnormal, not 0
        cases.append((z, np.eye(10, dtype=dtype)[[1]]))
    for z, target in cases:
        a = softmax.forward(z.copy())
        assert a.min() < np.finfo(dtype).tiny and (a.max(axis=1) > 0).all()
        value = loss.value_at(softmax, z, a, target)
        assert np.isfinite(value)
        assert value == pytest.approx(log_sum_exp_form(z, target), rel=rtol)


def test_an_optimizer_of_ones_own_still_gets_each_array_with_its_shape():
    class NoDecayOnBiases(gn.SGD):
        def update(self, index, param, grad):
            if param.ndim == 2:  # weight decay on W only
                param *= 0.9
            super().update(index, param, grad)

    net = _small_network()
    shapes = [p.shape for p in net.parameters]
    before = net.get_weights()
    optimizer = NoDecayOnBiases(learning_rate=1e-30)
    net.fit(np.ones((5, 4)), [0, 1, 2, 0, 1], epochs=1, optimizer=optimizer)
    after = net.get_weights()
    assert [p.shape for p in net.parameters] == shapes
    for old, new in zip(before, after, strict=True):
        np.testing.assert_allclose(new, old * (0.9 if old.ndim == 2 else 1.0), atol=1e-20)


def test_a_pickled_network_stores_each_parameter_once_and_comes_back_as_views():
    import pickle

    net = gn.Network([gn.Dense(200, 100, "relu"), gn.Dense(100, 10, "softmax")],
                     loss="crossentropy", seed=0)  # fmt: skip
    data = pickle.dumps(net)
    numbers = 2 * net.count_parameters() * 8  # parameters and gradients, float64
    assert numbers < len(data) < 1.1 * numbers
    loaded = pickle.loads(data)
    bases = [p.base for p in loaded.parameters]  # made by unpickling, before any other call
    assert bases[0] is not None and all(base is bases[0] for base in bases)
    flat, flat_gradients = loaded.flat_storage()
    assert flat is bases[0]
    assert all(g.base is flat_gradients for g in loaded.gradients)
    for got, expected in zip(loaded.get_weights(), net.get_weights(), strict=True):
        np.testing.assert_array_equal(got, expected)


def test_the_same_layer_twice_in_one_network_is_refused():
    layer = gn.Dense(3, 3, "tanh")
    with pytest.raises(ValueError, match="layer 3 is layer 1 again"):
        gn.Network([layer, gn.Dense(3, 3), layer])


def _special_values(dtype, shape=(16, 12), seed=9):
    special = [np.nan, -np.inf, np.inf, -0.0, 0.0, -1e-30, 1e-30, -800.0, 800.0, -90.0, 90.0]
    rest = np.random.default_rng(seed).standard_normal(int(np.prod(shape)) - len(special)) * 4
    return np.concatenate([special, rest]).astype(dtype).reshape(shape)


def _same_bits(got, expected):
    assert got.dtype == expected.dtype and got.shape == expected.shape
    assert got.tobytes() == expected.tobytes()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(gn.engine.activations.ACTIVATIONS))
def test_each_activations_into_forms_give_its_plain_forms_bit_for_bit(name, dtype):
    from glassnet.engine.activations import get_activation

    activation = get_activation(name)
    z = _special_values(dtype)
    with np.errstate(all="ignore"):  # as fit runs them
        a = activation.forward(z.copy())
        out = np.full_like(z, 7.0)
        into = activation.forward_into(z.copy(), out)
        _same_bits(into, a)
        da = _special_values(dtype, seed=10)
        expected = activation.backward(da, z, a)
        out = np.full_like(z, 7.0)
        _same_bits(activation.backward_into(da, z, a, out), expected)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_into_forms_are_the_textbook_formulas(dtype):
    from glassnet.engine.activations import ReLU, Sigmoid, Tanh

    z, da = _special_values(dtype), _special_values(dtype, seed=11)
    with np.errstate(all="ignore"):
        out = np.empty_like(z)
        _same_bits(Sigmoid().forward_into(z, out), (1.0 / (1.0 + np.exp(-z))).astype(dtype))
        a = Sigmoid().forward(z)
        _same_bits(Sigmoid().backward_into(da, z, a, out), da * (a * (1.0 - a)))
        a = np.tanh(z)
        _same_bits(Tanh().backward_into(da, z, a, out), da * (1.0 - a * a))
        relu = ReLU().forward_into(z, out)
        np.testing.assert_array_equal(relu, np.maximum(z, 0))  # NaN where z is NaN
        assert np.array_equal(np.signbit(relu), np.signbit(np.maximum(z, 0)))
        finite = np.nan_to_num(da, nan=1.0, posinf=2.0, neginf=-2.0)  # inf * 0 is NaN in both
        delta = ReLU().backward_into(finite, z, relu, out)
        np.testing.assert_array_equal(delta, np.where(z > 0, finite, 0))
        assert not np.signbit(delta[~(z > 0)]).any()


def test_relu_keeps_one_array_of_zeros_and_never_writes_it():
    from glassnet.engine.activations import ReLU

    relu = ReLU()
    first = relu.forward(np.full((3, 4), -1.0))
    second = relu.forward(np.full((2, 2), 5.0))
    assert first.tolist() == [[0.0] * 4] * 3 and second.tolist() == [[5.0, 5.0]] * 2
    assert not np.shares_memory(first, second)
    assert relu.forward(np.full((3, 4), -2.0)).sum() == 0.0  # the zeros stayed zeros


def _mlp(dtype, seed=0):
    layers = [gn.Dense(20, 16, "relu"), gn.Dense(16, 8, "tanh"), gn.Dense(8, 4, "softmax")]
    return gn.Network(layers, loss="crossentropy", seed=seed, dtype=dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_fit_with_kept_arrays_gives_the_weights_of_new_arrays_every_pass(dtype, optimizer):
    from glassnet.engine.training import begin, finish, prepare, run_epoch

    rng = np.random.default_rng(12)
    X, y = rng.standard_normal((300, 20)), rng.integers(0, 4, 300)  # batches of 64, then 44
    fitted = _mlp(dtype)
    history = fitted.fit(X, y, epochs=3, batch_size=64, optimizer=optimizer, learning_rate=0.05)
    by_hand = _mlp(dtype)  # the same loop with no kept arrays: every pass allocates
    setup = prepare(by_hand, X, y, epochs=3, batch_size=64, optimizer=optimizer,
                    learning_rate=0.05)  # fmt: skip
    begin(by_hand, setup)
    for epoch in range(1, 4):
        assert run_epoch(by_hand, setup, epoch) is None
    from glassnet.engine.run import Stop

    finish(by_hand, setup, Stop("completed", 3))
    for a, b in zip(fitted.get_weights(), by_hand.get_weights(), strict=True):
        _same_bits(a, b)
    assert history.history == setup.history.history


def test_kept_arrays_live_only_while_fit_runs():
    net = _mlp(np.float64)
    X, y = np.random.default_rng(13).standard_normal((32, 20)), np.arange(32) % 4
    copies = []

    class CopyDuringFit(gn.Callback):
        def on_epoch_end(self, epoch, logs):
            copies.append(self.network.copy())

    net.fit(X, y, epochs=1, batch_size=8, callbacks=[CopyDuringFit()])
    for network in (net, copies[0]):  # after fit, and a copy made during it
        first = network.layers[0].forward(X[:8], training=True)
        assert network.layers[0].forward(X[:8], training=True) is not first
    trace = net.trace(X[:8], y[:8], apply=True)  # a trace keeps its pass's arrays
    z = trace["z[1]"].copy()
    net.fit(X, y, epochs=1, batch_size=8)
    np.testing.assert_array_equal(trace["z[1]"], z)


def test_mini_batch_rows_copied_into_kept_arrays_are_the_rows_of_indexing():
    X = np.random.default_rng(14).standard_normal((50, 7)).astype(np.float32)
    rows = np.random.default_rng(15).permutation(50)[:13]
    out = np.empty((13, 7), np.float32)
    _same_bits(np.take(X, rows, axis=0, out=out, mode="clip"), X[rows])


@pytest.mark.parametrize(
    ("labels", "output"),
    [
        (["cat", "dog", "emu"], "softmax"),
        ([3, 7], "sigmoid"),
        (["no", "yes"], "softmax"),
    ],
)
def test_class_indices_are_what_decode_reads_and_accuracy_agrees(labels, output):
    from glassnet.engine.evaluation import class_indices, metric_values
    from glassnet.engine.metrics import accuracy

    width = 1 if output == "sigmoid" else len(labels)
    loss = "binary_crossentropy" if output == "sigmoid" else "crossentropy"
    net = gn.Network([gn.Dense(3, width, output)], loss=loss, seed=0)
    rng = np.random.default_rng(16)
    X, y = rng.standard_normal((40, 3)), rng.choice(labels, 40)
    X, Y = net.encode_targets(X, y)
    outputs = net.forward(X)
    outputs[0] = outputs[1]  # ties and exact halves decode as Targets.decode does
    if output == "sigmoid":
        outputs[2] = 0.5
    kind = net.targets.kind
    for rows in (Y, outputs):
        np.testing.assert_array_equal(
            net.targets.labels[class_indices(kind, rows).astype(int)], net.targets.decode(rows)
        )
    expected = accuracy(net.targets.decode(Y), net.targets.decode(outputs))
    assert metric_values(net, Y, outputs, ["accuracy"]) == {"accuracy": expected}
    assert 0 < expected < 1


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_relu_of_an_array_too_large_to_keep_zeros_for_is_the_same_maximum(dtype):
    from glassnet.engine.activations import ReLU

    z = np.random.default_rng(17).standard_normal((1100, 130)).astype(dtype)  # > 2**17
    z[0, :3] = [np.nan, -0.0, np.inf]
    out = np.full_like(z, 3.0)
    for a in (ReLU().forward(z), ReLU().forward_into(z, out)):
        np.testing.assert_array_equal(a, np.maximum(z, 0))
        assert np.array_equal(np.signbit(a), np.signbit(np.maximum(z, 0)))


def test_a_smaller_last_batch_writes_into_the_leading_rows_of_the_first_batchs_arrays():
    layer = gn.Dense(6, 5, "tanh")
    layer.build(np.random.default_rng(18), np.float64)
    layer.reuse_buffers(True)
    rng = np.random.default_rng(19)
    full = layer.forward(rng.standard_normal((8, 6)), training=True)
    layer.backward(rng.standard_normal((8, 5)))
    last = layer.forward(rng.standard_normal((3, 6)), training=True)
    dx = layer.backward(rng.standard_normal((3, 5)))
    assert last.shape == (3, 5) and dx.shape == (3, 6)
    assert np.shares_memory(last, full) and last.base is full
    inputs = rng.standard_normal((12, 6))  # a larger batch gets arrays of its own
    assert not np.shares_memory(layer.forward(inputs, training=True), full)
    expected = np.tanh(inputs @ layer.weights + layer.bias)
    np.testing.assert_array_equal(layer.cache[2], expected)


def test_fit_decodes_the_labels_only_for_a_metric_that_reads_them():
    from glassnet.engine.training import prepare

    rng = np.random.default_rng(20)
    X, y = rng.standard_normal((30, 3)), rng.choice(["a", "b", "c"], 30)
    net = gn.Network([gn.Dense(3, 3, "softmax")], loss="crossentropy", seed=0)
    accuracy_only = prepare(net, X, y)
    assert accuracy_only.truth is None and accuracy_only.classes.dtype.kind == "i"

    def share_of_a(y_true, y_pred):
        return float(np.mean(y_pred == "a"))

    with_labels = prepare(net, X, y, metrics=["accuracy", share_of_a])
    assert with_labels.truth.tolist() == net.targets.decode(with_labels.Y).tolist()
    history = net.fit(X, y, epochs=2, batch_size=7, metrics=["accuracy", share_of_a])
    assert 0 <= history.history["share_of_a"][-1] <= 1
    assert history.history["accuracy"][-1] == pytest.approx(history.history["accuracy"][-1])


@pytest.mark.parametrize("shape", [(3000, 200), (700_001,), (5, 4)])
def test_extremes_read_in_blocks_are_the_arrays_min_and_max(shape):
    from glassnet.engine.arrays import all_finite, extremes

    a = np.random.default_rng(21).standard_normal(shape).astype(np.float32)
    assert extremes(a) == (float(a.min()), float(a.max()))
    assert all_finite([a])
    for bad in (np.nan, np.inf, -np.inf):
        b = a.copy()
        b.flat[-1] = bad  # in the last block
        assert not all_finite([b])
        assert np.isnan(extremes(b)).all() if np.isnan(bad) else bad in extremes(b)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_binary_crossentropy_in_place_is_the_formula_on_z_bit_for_bit(dtype):
    from glassnet.engine.activations import Sigmoid
    from glassnet.engine.losses import BinaryCrossentropy

    rng = np.random.default_rng(23)
    z = (rng.standard_normal((50, 3)) * 30).astype(dtype)
    z[0, :3] = [0.0, -0.0, 800.0]
    y = rng.integers(0, 2, (50, 3)).astype(dtype)
    a = Sigmoid().forward(z)
    terms = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))  # the plain form
    assert BinaryCrossentropy().value_at(Sigmoid(), z, a, y) == float(terms.sum() / terms.size)
