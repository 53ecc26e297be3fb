"""glassnet.plot.curves: loss curves and a perceptron's curve, checked for what they draw."""

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import glassnet as gn  # noqa: E402
from glassnet import plot  # noqa: E402
from glassnet.datasets import make_blobs  # noqa: E402


def test_loss_curve_has_one_point_per_epoch_from_epoch_zero():
    X, y = make_blobs(60, centers=2, seed=0)
    network = gn.Network([gn.Dense(2, 1, "sigmoid")], loss="binary_crossentropy", seed=0)
    history = network.fit(X, y, epochs=7, learning_rate=0.1, validation_split=0.25)
    figure = plot.loss_curve(history)
    (training, validation) = figure.axes[0].get_lines()
    assert training.get_xdata().tolist() == list(range(8))
    assert training.get_ydata().tolist() == [history.initial["loss"], *history.loss]
    assert validation.get_ydata().tolist() == [
        history.initial["val_loss"],
        *history.history["val_loss"],
    ]
    assert [t.get_text() for t in figure.axes[0].get_legend().get_texts()] == [
        "training loss",
        "validation loss",
    ]
    assert figure.axes[0].get_xlabel() == "epoch"
    assert figure.axes[0].get_yscale() == "linear"


def test_loss_curve_with_a_metric_and_log_scale():
    xor = plot.example("xor")
    figure = plot.loss_curve(xor.model, metric="accuracy", log=True)
    loss_axes, metric_axes = figure.axes
    assert loss_axes.get_yscale() == "log"
    assert loss_axes.get_ylabel() == "loss (binary_crossentropy)"
    assert metric_axes.get_ylabel() == "accuracy"
    (accuracy,) = metric_axes.get_lines()
    assert len(accuracy.get_xdata()) == 2001
    assert accuracy.get_ydata()[-1] == 1.0


def test_loss_curve_of_a_perceptron_shows_errors_and_rmse_per_epoch(or_perceptron):
    figure = plot.loss_curve(or_perceptron)
    errors_axes, rmse_axes = figure.axes
    (errors,), (rmse,) = errors_axes.get_lines(), rmse_axes.get_lines()
    assert errors.get_xdata().tolist() == [1, 2, 3]
    assert errors.get_ydata().tolist() == [1, 1, 0]
    assert rmse.get_ydata().tolist() == [0.5, 0.5, 0.0]
    assert "converged at epoch 3" in figure.get_suptitle()


def test_loss_curve_errors(or_perceptron):
    with pytest.raises(ValueError, match="no metric 'f1'; it has \\['accuracy', 'loss'\\]"):
        plot.loss_curve(plot.example("xor").model, metric="f1")
    with pytest.raises(ValueError, match="no epochs"):
        plot.loss_curve(gn.History())
    with pytest.raises(ValueError, match="no training history"):
        plot.loss_curve(gn.Network([gn.Dense(2, 1)]))
    with pytest.raises(ValueError, match="call fit first"):
        plot.loss_curve(gn.Perceptron(2))
    with pytest.raises(ValueError, match="errors reach 0"):
        plot.loss_curve(or_perceptron, log=True)
    with pytest.raises(TypeError, match="History, Network or Perceptron"):
        plot.loss_curve({"loss": [1.0]})


def test_a_log_scale_refuses_a_loss_at_or_below_zero_naming_its_epoch():
    history = gn.History()
    history.initial = {"loss": 0.7, "val_loss": 0.8}
    for epoch, (loss, val_loss) in enumerate([(0.5, 0.6), (0.25, 0.0)], start=1):
        history.on_epoch_end(epoch, {"loss": loss, "val_loss": val_loss})
    with pytest.raises(ValueError, match="log scale: the val_loss of epoch 2 is 0, which has no"):
        plot.loss_curve(history, log=True)
    assert plot.loss_curve(history).axes[0].get_yscale() == "linear"  # drawn as it is
