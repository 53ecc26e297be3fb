"""Training that real data needs: mini-batches, optimizers, targets, callbacks, data sets."""

import io
import math
import re

import numpy as np
import pytest

from glassnet import (
    SGD,
    Adam,
    CSVLogger,
    Dense,
    Dropout,
    EarlyStopping,
    InverseTime,
    Momentum,
    Nesterov,
    Network,
    ProgressBar,
    StepDecay,
    TrainingDiverged,
    gradcheck,
)
from glassnet.datasets import make_blobs, make_moons, make_sine, make_spirals


# ---------------------------------------------------------------- optimizers, restated
def run_optimizer(optimizer, steps=5):
    rng = np.random.default_rng(0)
    params = [rng.normal(size=(3, 2)), rng.normal(size=2)]
    grads = [[rng.normal(size=(3, 2)), rng.normal(size=2)] for _ in range(steps)]
    start = [p.copy() for p in params]
    for g in grads:
        optimizer.step(params, g)
    return start, grads, params


def test_sgd_restated():
    start, grads, params = run_optimizer(SGD(learning_rate=0.1))
    for i in range(2):
        w = start[i].copy()
        for g in grads:
            w = w - 0.1 * g[i]  # w <- w - lr * g
        np.testing.assert_allclose(params[i], w, rtol=1e-14)


def test_momentum_restated():
    start, grads, params = run_optimizer(Momentum(learning_rate=0.1, momentum=0.9))
    for i in range(2):
        w, v = start[i].copy(), np.zeros_like(start[i])
        for g in grads:
            v = 0.9 * v - 0.1 * g[i]
            w = w + v
        np.testing.assert_allclose(params[i], w, rtol=1e-14)


def test_nesterov_restated():
    start, grads, params = run_optimizer(Nesterov(learning_rate=0.1, momentum=0.9))
    for i in range(2):
        w, v = start[i].copy(), np.zeros_like(start[i])
        for g in grads:
            v = 0.9 * v - 0.1 * g[i]
            w = w + 0.9 * v - 0.1 * g[i]
        np.testing.assert_allclose(params[i], w, rtol=1e-14)


def test_adam_restated():
    start, grads, params = run_optimizer(Adam(learning_rate=0.01, beta1=0.9, beta2=0.999))
    for i in range(2):
        w, m, v = start[i].copy(), np.zeros_like(start[i]), np.zeros_like(start[i])
        for t, g in enumerate(grads, start=1):
            m = 0.9 * m + 0.1 * g[i]
            v = 0.999 * v + 0.001 * g[i] ** 2
            m_hat, v_hat = m / (1 - 0.9**t), v / (1 - 0.999**t)
            w = w - 0.01 * m_hat / (np.sqrt(v_hat) + 1e-8)
        np.testing.assert_allclose(params[i], w, rtol=1e-12)


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: SGD(learning_rate=-1), "learning rate must be a number in (0, inf), got -1"),
        (lambda: Momentum(momentum=1.5), "momentum must be a number in [0, 1), got 1.5"),
        (lambda: Adam(beta1=1.0), "beta1 must be a number in [0, 1), got 1.0"),
        (lambda: Adam(epsilon=0), "epsilon must be a number in (0, inf), got 0"),
        (
            lambda: StepDecay(0.1, every=0),
            "decay interval must be a whole number in [1, inf), got 0",
        ),
    ],
)
def test_hyperparameters_are_validated(build, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        build()


def test_unknown_optimizer_name():
    network = Network([Dense(2, 1)], seed=0)
    with pytest.raises(ValueError, match="unknown optimizer 'adagrad'"):
        network.fit(np.zeros((2, 2)), np.zeros(2), optimizer="adagrad")


def test_schedules():
    assert [StepDecay(1.0, factor=0.5, every=2)(e) for e in (1, 2, 3, 5)] == [1, 1, 0.5, 0.25]
    assert InverseTime(1.0, decay=1.0)(3) == pytest.approx(1 / 3)
    network = Network([Dense(1, 1, "identity")], seed=0)
    optimizer = SGD(StepDecay(0.1, factor=0.1, every=1))
    network.fit([[1.0]], [1.0], epochs=3, optimizer=optimizer)
    assert optimizer.learning_rate == pytest.approx(0.001)


# ---------------------------------------------------------------- batches and seeds
def test_batch_equal_to_the_data_is_full_batch_training():
    X, y = make_moons(1000, seed=0)
    full = Network([Dense(2, 8, "tanh"), Dense(8, 1, "sigmoid")], "binary_crossentropy", seed=1)
    batch = Network([Dense(2, 8, "tanh"), Dense(8, 1, "sigmoid")], "binary_crossentropy", seed=1)
    h_full = full.fit(X, y, epochs=5, learning_rate=0.5)
    h_batch = batch.fit(X, y, epochs=5, learning_rate=0.5, batch_size=1000)
    assert h_full.history == h_batch.history
    for a, b in zip(full.get_weights(), batch.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_same_seed_same_history_different_seed_different():
    X, y = make_blobs(300, centers=3, seed=0)

    def run(seed):
        net = Network([Dense(2, 16, "relu"), Dropout(0.2), Dense(16, 3, "softmax")],
                      loss="crossentropy", seed=seed)  # fmt: skip
        return net.fit(X, y, epochs=4, batch_size=32, optimizer="adam", learning_rate=0.01,
                       validation_split=0.2).history  # fmt: skip

    assert run(5) == run(5)
    assert run(5) != run(6)


def test_minibatch_loop_is_over_batches_not_samples(monkeypatch):
    network = Network([Dense(2, 4, "tanh"), Dense(4, 1, "sigmoid")], "binary_crossentropy", seed=0)
    calls = []
    original = network.loss_and_gradients

    def counting(X, Y, training=False):
        calls.append(len(X))
        return original(X, Y, training)

    monkeypatch.setattr(network, "loss_and_gradients", counting)
    X, y = make_moons(1000, seed=1)
    network.fit(X, y, epochs=2, batch_size=256)
    assert calls == [256, 256, 256, 232] * 2


# ---------------------------------------------------------------- targets
def test_string_labels_onehot_predict_and_proba():
    X, y = make_blobs(150, centers=3, seed=2)
    labels = np.array(["cat", "dog", "eel"])[y]
    net = Network([Dense(2, 16, "relu"), Dense(16, 3, "softmax")], "crossentropy", seed=0)
    net.fit(X, labels, epochs=60, batch_size=16, optimizer="adam", learning_rate=0.02)
    assert net.classes.tolist() == ["cat", "dog", "eel"]
    assert set(net.predict(X)) <= {"cat", "dog", "eel"}
    proba = net.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert net.evaluate(X, labels)["accuracy"] > 0.95
    with pytest.raises(ValueError, match="y has 2 classes .* but the output layer has 3 neurons"):
        Network([Dense(2, 3, "softmax")], "crossentropy").fit(X, y % 2)


def test_binary_labels_with_a_sigmoid_output():
    X, y = make_moons(200, noise=0.05, seed=3)
    labels = np.where(y == 1, "yes", "no")
    net = Network([Dense(2, 16, "tanh"), Dense(16, 1, "sigmoid")], "binary_crossentropy", seed=0)
    net.fit(X, labels, epochs=200, batch_size=32, optimizer="adam", learning_rate=0.01)
    assert net.evaluate(X, labels)["accuracy"] > 0.97
    assert net.predict_proba(X[:3]).shape == (3, 2)
    assert set(net.predict(X)) == {"no", "yes"}


def test_several_outputs_at_once():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    Y = np.column_stack([X @ [1.0, 2.0, -1.0], X @ [0.5, 0.0, 1.0]])
    net = Network([Dense(3, 2, "identity")], loss="mse", seed=0)
    net.fit(X, Y, epochs=300, learning_rate=0.1)
    np.testing.assert_allclose(net.layers[0].weights, [[1, 0.5], [2, 0], [-1, 1]], atol=1e-3)
    assert net.evaluate(X, Y)["r2"] > 0.999


# ---------------------------------------------------------------- callbacks and history
def test_history_epoch_zero_is_kept_apart():
    X, y = make_moons(100, seed=0)
    net = Network([Dense(2, 1, "sigmoid")], "binary_crossentropy", seed=0)
    history = net.fit(X, y, epochs=3, learning_rate=0.1, validation_split=0.2)
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(values) == 3 for values in history.history.values())
    assert set(history.initial) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert history.epochs == [1, 2, 3]
    # Full batch: epoch 1's loss is measured before its update, so it is epoch 0's loss.
    assert history.history["loss"][0] == pytest.approx(history.initial["loss"])


def test_early_stopping_restores_the_best_weights():
    X, y = make_moons(300, noise=0.3, seed=0)
    net = Network([Dense(2, 64, "relu"), Dense(64, 1, "sigmoid")], "binary_crossentropy", seed=0)
    stopper = EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
    history = net.fit(X, y, epochs=500, batch_size=16, optimizer="adam", learning_rate=0.05,
                      validation_split=0.3, callbacks=[stopper])  # fmt: skip
    assert len(history) < 500
    assert history.stop.kind == "early_stopping" and "early stopping" in str(history.stop)
    best = min(history.history["val_loss"])
    assert history.history["val_loss"][stopper.best_epoch - 1] == best
    assert len(history) == stopper.best_epoch + stopper.patience + 1


def test_early_stopping_on_an_unknown_figure():
    net = Network([Dense(2, 1)], seed=0)
    with pytest.raises(ValueError, match="EarlyStopping monitors 'val_loss'"):
        net.fit(np.ones((4, 2)), np.ones(4), epochs=2, callbacks=[EarlyStopping()])


def test_csv_logger_writes_one_row_per_epoch(tmp_path):
    path = tmp_path / "log.csv"
    net = Network([Dense(2, 1, "sigmoid")], "binary_crossentropy", seed=0)
    net.fit(*make_moons(50, seed=0), epochs=4, callbacks=[CSVLogger(path)])
    lines = path.read_text().strip().splitlines()
    assert lines[0] == "epoch,loss,accuracy"
    assert [line.split(",")[0] for line in lines[1:]] == ["1", "2", "3", "4"]
    assert not list(tmp_path.glob("*.tmp*"))


def test_progress_prints_one_line_per_epoch_when_not_a_terminal():
    stream = io.StringIO()
    net = Network([Dense(2, 1, "sigmoid")], "binary_crossentropy", seed=0)
    net.fit(*make_moons(50, seed=0), epochs=3, callbacks=[ProgressBar(3, stream=stream)])
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3 and lines[0].startswith("epoch 1/3 - loss: ")
    assert "accuracy" in lines[0]


def test_divergence_stops_at_once_and_keeps_the_weights_from_before():
    X, y = make_sine(100, seed=0)
    X = X * 1000  # huge inputs and a huge learning rate blow the weights up
    net = Network([Dense(1, 8, "relu"), Dense(8, 1, "identity")], "mse", seed=0)
    with pytest.warns(TrainingDiverged, match=r"diverged at epoch \d+.*smaller learning rate"):
        history = net.fit(X, y, epochs=50, learning_rate=10.0)
    assert len(history) < 50
    assert all(np.all(np.isfinite(w)) for w in net.get_weights())
    assert all(math.isfinite(v) for v in history.loss)


# ---------------------------------------------------------------- regularisation and dtype
def test_gradcheck_with_l2_on_and_dropout_off():
    X, y = make_blobs(20, centers=3, n_features=4, seed=1)
    net = Network([Dense(4, 5, "relu", l2=0.01), Dropout(0.3), Dense(5, 3, "softmax", l2=0.01)],
                  "crossentropy", seed=2)  # fmt: skip
    assert gradcheck(net, X, y).max_relative_error < 1e-6


def test_dropout_is_active_only_while_training():
    layer = Dropout(0.5)
    Network([Dense(4, 4), layer, Dense(4, 1)], seed=0)
    x = np.ones((1000, 4))
    assert np.array_equal(layer.forward(x, training=False), x)
    dropped = layer.forward(x, training=True)
    assert set(np.unique(dropped)) == {0.0, 2.0}
    assert 0.45 < np.mean(dropped == 0) < 0.55


def test_float32_end_to_end():
    X, y = make_moons(256, seed=0)
    net = Network([Dense(2, 16, "relu"), Dense(16, 1, "sigmoid")], "binary_crossentropy",
                  seed=0, dtype=np.float32)  # fmt: skip
    net.fit(X, y, epochs=3, batch_size=64, optimizer="adam", learning_rate=0.01)
    assert all(p.dtype == np.float32 for p in net.parameters)
    assert net.forward(X).dtype == np.float32


def test_initializers_by_default_and_by_name():
    net = Network([Dense(100, 50, "relu"), Dense(50, 10, "tanh", init="zeros")], seed=0)
    relu_layer, tanh_layer = net.dense_layers
    assert relu_layer.init == "he_normal"
    assert abs(relu_layer.weights.std() - math.sqrt(2 / 100)) < 0.01
    assert not tanh_layer.weights.any()
    assert Dense(3, 3, "sigmoid").init == "glorot_uniform"


def test_summary_lists_layers_and_parameters():
    net = Network([Dense(64, 64, "relu"), Dropout(0.1), Dense(64, 10, "softmax")],
                  "crossentropy", seed=0)  # fmt: skip
    text = net.summary()
    assert "4160" in text and "650" in text and "total parameters: 4810" in text


# ---------------------------------------------------------------- acceptance on real data
def test_digits_reach_97_percent():
    pytest.importorskip("sklearn")
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    from glassnet.datasets import load_digits

    X, y = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
    scaler = StandardScaler().fit(X_train)
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    accuracies = []
    for seed in range(3):
        net = Network([Dense(64, 64, "relu", l2=1e-3), Dense(64, 10, "softmax", l2=1e-3)],
                      "crossentropy", seed=seed)  # fmt: skip
        net.fit(X_train, y_train, epochs=50, batch_size=32, optimizer="adam",
                learning_rate=0.001)  # fmt: skip
        accuracies.append(net.evaluate(X_test, y_test)["accuracy"])
    assert min(accuracies) >= 0.97, accuracies


def test_spirals_training_accuracy_99_percent():
    X, y = make_spirals(1000, noise=0.1, seed=0)
    X = X / 5  # radius 5 -> 1: inputs of order one
    net = Network([Dense(2, 64, "relu"), Dense(64, 64, "relu"), Dense(64, 1, "sigmoid")],
                  "binary_crossentropy", seed=0)  # fmt: skip
    net.fit(X, y, epochs=800, batch_size=32, optimizer="adam", learning_rate=0.01)
    assert net.evaluate(X, y)["accuracy"] >= 0.99


def test_noisy_sine_r2_on_held_out_points():
    X, y = make_sine(600, seed=0)
    net = Network([Dense(1, 32, "tanh"), Dense(32, 32, "tanh"), Dense(32, 1, "identity")],
                  "mse", seed=0)  # fmt: skip
    net.fit(X[:400], y[:400], epochs=300, batch_size=32, optimizer="adam", learning_rate=0.01)
    assert net.evaluate(X[400:], y[400:])["r2"] >= 0.98


def test_fit_watches_the_run_by_default_and_says_what_went_wrong(capsys):
    X, y = make_moons(200, seed=0)
    healthy = Network([Dense(2, 8, "tanh"), Dense(8, 1, "sigmoid")], "binary_crossentropy", seed=0)
    healthy.fit(X, y, epochs=20, learning_rate=0.5)
    assert healthy.diagnostics.notes == []
    wild = Network([Dense(2, 8, "tanh"), Dense(8, 1, "sigmoid")], "binary_crossentropy", seed=0)
    wild.fit(X * 100, y, epochs=30, learning_rate=50, verbose=1)
    assert "saturation" in wild.diagnostics.kinds()
    assert "Diagnostics:\n- Layer 1 (tanh)" in capsys.readouterr().err
    quiet = Network([Dense(2, 1, "sigmoid")], "binary_crossentropy", seed=0)
    quiet.fit(X, y, epochs=2, diagnostics=False)
    assert quiet.diagnostics is None


# ---------------------------------------------------------------- a run that diverges
def _finite_outputs(net, X) -> bool:
    with np.errstate(all="ignore"):
        return bool(np.isfinite(net.forward(X)).all())


def test_full_batch_keeps_the_last_weights_whose_loss_was_finite_not_the_first_broken_ones():
    # Epoch 1 at a learning rate of 1e308 leaves finite weights near 1e308 whose outputs
    # are NaN; epoch 2's loss shows it. The weights kept are those from before epoch 1.
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(40, 2))
    y = 2 * X[:, 0] - X[:, 1] + 0.5
    net = Network([Dense(2, 16, "relu"), Dense(16, 1, "identity")], "mse", seed=0)
    start = net.get_weights()
    with pytest.warns(TrainingDiverged, match="diverged at epoch 1: .*before epoch 1 are kept"):
        history = net.fit(X, y, epochs=5, learning_rate=1e308)
    assert len(history) == 1 and net.stop.kind == "diverged" and net.stop.epoch == 1
    assert all(np.array_equal(a, b) for a, b in zip(net.get_weights(), start, strict=True))
    assert _finite_outputs(net, X)


def test_the_last_epochs_update_is_checked_too():
    # Two rows, float32: the fifth epoch's update makes the outputs overflow to inf while
    # every weight stays finite. That update is undone, and the run says so.
    X, y = np.array([[0.0], [115.0]]), np.array([0.0, 602.0])
    net = Network([Dense(1, 1, "leaky_relu"), Dense(1, 1, "identity")], "mse", seed=0,
                  dtype=np.float32)  # fmt: skip
    with pytest.warns(TrainingDiverged, match="diverged at epoch 5: the loss became inf"):
        history = net.fit(X, y, epochs=5, learning_rate=0.001)
    assert len(history) == 5 and net.stop.epoch == 5
    assert _finite_outputs(net, X)
    assert math.isfinite(net.evaluate(X, y)["loss"])


def test_mini_batches_fall_back_to_the_last_weights_checked_on_every_row():
    X, y = make_sine(64, seed=2)
    net = Network([Dense(1, 8, "relu"), Dense(8, 1, "identity")], "mse", seed=0)
    with pytest.warns(TrainingDiverged):
        net.fit(X * 1000, y, epochs=30, batch_size=16, learning_rate=10.0)
    assert _finite_outputs(net, X * 1000)
    assert math.isfinite(net.evaluate(X * 1000, y)["loss"])


def test_a_run_that_does_not_diverge_is_not_touched_by_the_checks():
    # The same run twice: once as fit does it, once with the parts of the loop by hand and
    # no check at the end; the weights agree bit for bit.
    from glassnet.engine.training import begin, prepare, run_epoch

    X, y = make_moons(200, seed=3)
    make = lambda: Network([Dense(2, 8, "tanh"), Dense(8, 1, "sigmoid")],  # noqa: E731
                           "binary_crossentropy", seed=4)  # fmt: skip
    fitted = make()
    fitted.fit(X, y, epochs=4, batch_size=32, optimizer="adam", learning_rate=0.01)
    by_hand = make()
    setup = prepare(by_hand, X, y, epochs=4, batch_size=32, optimizer="adam", learning_rate=0.01)
    begin(by_hand, setup)
    for epoch in range(1, 5):
        assert run_epoch(by_hand, setup, epoch) is None
    for a, b in zip(fitted.get_weights(), by_hand.get_weights(), strict=True):
        assert np.array_equal(a, b)
    assert fitted.stop.kind == "completed"


def test_the_bound_proves_ordinary_runs_finite_without_a_pass():
    from glassnet.engine.training import prepare, surely_finite

    X, y = make_blobs(100, centers=3, n_features=4, seed=0)
    net = Network([Dense(4, 8, "relu"), Dropout(0.2), Dense(8, 3, "softmax")], "crossentropy",
                  seed=0)  # fmt: skip
    setup = prepare(net, X, y)
    assert surely_finite(net, setup)
    net.layers[0].weights[0, 0] = 1e200  # finite, but its products need not be
    assert not surely_finite(net, setup)


def test_a_callback_that_puts_back_broken_weights_is_overruled():
    from glassnet.engine.callbacks import Callback

    class PutsBackBrokenWeights(Callback):
        def on_train_end(self, logs=None):
            self.network.layers[1].weights[...] = 1e308  # four of them sum to inf

    X, y = make_sine(20, seed=0)
    net = Network([Dense(1, 4, "tanh"), Dense(4, 1, "identity")], "mse", seed=0)
    with pytest.warns(TrainingDiverged, match="a callback put back"):
        net.fit(X, y, epochs=2, callbacks=[PutsBackBrokenWeights()])
    assert _finite_outputs(net, X)
