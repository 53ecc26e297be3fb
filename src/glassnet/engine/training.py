"""The fit loop: the setup, the epoch loop and one step, each a function of one job.

``Network.fit`` documents the arguments and calls ``fit`` here. The data path:

    fit -> prepare (check, encode, hold out rows, choose the parameter arrays)
        -> begin (values before any update, callbacks' set_run and on_train_begin)
        -> run_epoch, for each epoch -> take_step, for each mini-batch
               -> Network.loss_and_gradients -> each layer's forward, then backward
               -> optimizer.step
        -> finish (the Stop record, on_train_end)

A NaN or infinite loss, or weights that stop being finite, end training at once with a
``TrainingDiverged`` warning. The weights kept are then the last ones known to give finite
outputs and a finite loss on every training row: those from before the epoch when they are
(a full-batch step's loss, the values before the first update, or a check made on the spot
say so), else the last ones that were. The last epoch's update is checked too (``finish``),
so a run never ends with weights whose outputs overflow.

Example:
    >>> from glassnet import Dense, Network
    >>> net = Network([Dense(1, 1, "identity", weights=[[0.0]], bias=[0.0])], loss="mse")
    >>> history = fit(net, [[1.0], [2.0]], [2.0, 4.0], epochs=2, learning_rate=0.1)
    >>> history.stop.kind, [round(value, 4) for value in history.loss]
    ('completed', [10.0, 1.06])
"""

from __future__ import annotations

import math
import sys
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from glassnet.engine.activations import (
    Identity,
    LeakyReLU,
    ReLU,
    Sigmoid,
    Sign,
    Softmax,
    Step,
    Tanh,
)
from glassnet.engine.arrays import all_finite, extremes, holdout_split
from glassnet.engine.callbacks import Callback, History, ProgressBar
from glassnet.engine.diagnostics import Diagnostics
from glassnet.engine.evaluation import class_indices, measure, metric_values
from glassnet.engine.layers import Dense, Dropout, Standardize
from glassnet.engine.metrics import accuracy, get_metric
from glassnet.engine.optimizers import Optimizer, Schedule, get_optimizer
from glassnet.engine.run import NetworkLike, Run, Stop, TrainingDiverged
from glassnet.engine.validation import check_integer, check_number

__all__ = [
    "Setup",
    "default_callbacks",
    "fit",
    "prepare",
    "run_epoch",
    "surely_finite",
    "take_step",
]


@dataclass
class Setup:
    """Everything one run needs, made once by ``prepare``.

    ``parameters``/``gradients`` are what the optimizer updates: the network's two flat
    arrays for a rule that treats every entry alike (``optimizer.flat``), else W and b of
    each layer. ``outputs`` collects the epoch's outputs when metrics are asked for, in
    the order the batches took the rows; ``truth`` holds the targets as labels (when a
    metric reads labels) and ``classes`` as class indices (None for values), found once.

    Example:
        >>> from glassnet import Dense, Network
        >>> setup = prepare(Network([Dense(2, 1)], seed=0), [[0, 1], [1, 0]], [0.5, 1.0])
        >>> setup.batch, len(setup.parameters), setup.optimizer.flat
        (2, 1, True)
    """

    X: NDArray[Any]
    Y: NDArray[Any]
    X_val: NDArray[Any] | None
    Y_val: NDArray[Any] | None
    epochs: int
    batch: int
    shuffle: bool
    optimizer: Optimizer
    metrics: Sequence[str | Callable[..., float]]
    callbacks: list[Callback]
    history: History
    parameters: list[NDArray[Any]]
    gradients: list[NDArray[Any]]
    outputs: NDArray[Any] | None
    truth: NDArray[Any] | None
    classes: NDArray[Any] | None
    full_batch: bool = False
    start: list[NDArray[Any]] | None = None
    start_epoch: int = 1
    kept: list[NDArray[Any]] | None = None
    kept_epoch: int = 1
    bounds: tuple[NDArray[Any], float] | None = None
    # The rows of a mini-batch, copied into arrays kept per batch size (take_step).
    batches: dict[int, tuple[NDArray[Any], NDArray[Any]]] = field(default_factory=dict)


def fit(network: NetworkLike, X: ArrayLike, y: ArrayLike, **options: Any) -> History:
    """Train ``network`` on (X, y) and return its ``History``; ``Network.fit`` documents
    the options (epochs, learning_rate, batch_size, optimizer, validation_split,
    validation_data, callbacks, verbose, shuffle, metrics, diagnostics).

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[1.0]], bias=[0.0])], loss="mse")
        >>> print(fit(net, [[1.0]], [1.0], epochs=3).stop)
        trained all 3 epochs
    """
    setup = prepare(network, X, y, **options)
    for layer in network.layers:  # the steps write into arrays kept for the run
        layer.reuse_buffers(True)
    try:
        begin(network, setup)
        epoch, stop = 0, None
        # A run on its way to diverging overflows in callbacks too (Diagnostics' gradient
        # norms): the run's Stop says what happened, in one message, not NumPy's warnings.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for epoch in range(1, setup.epochs + 1):
                stop = run_epoch(network, setup, epoch)
                if stop is not None:
                    break
        finish(network, setup, stop or Stop("completed", epoch))
    finally:
        for layer in network.layers:
            layer.reuse_buffers(False)
    return setup.history


def prepare(
    network: NetworkLike,
    X: ArrayLike,
    y: ArrayLike,
    epochs: int = 1,
    learning_rate: float | Schedule | None = 0.01,
    batch_size: int | None = None,
    optimizer: str | Optimizer = "sgd",
    validation_split: float = 0.0,
    validation_data: tuple[ArrayLike, ArrayLike] | None = None,
    callbacks: Sequence[Callback] = (),
    verbose: int = 0,
    shuffle: bool = True,
    metrics: Sequence[str | Callable[..., float]] | None = None,
    diagnostics: bool = True,
) -> Setup:
    """Check the options, encode the data, hold out validation rows and choose the arrays
    the optimizer updates: everything before the first epoch that touches no weight.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1)], seed=0)
        >>> setup = prepare(net, [[0.0], [1.0], [2.0], [3.0]], [0, 1, 2, 3], batch_size=3,
        ...                 validation_split=0.25)
        >>> setup.X.shape, setup.X_val.shape, setup.batch
        ((3, 1), (1, 1), 3)
    """
    epochs = check_integer("epochs", epochs, low=0)
    if batch_size is not None:
        batch_size = check_integer("batch_size", batch_size, low=1)
    X_all, Y_all = network.encode_targets(X, y)
    optimizer = get_optimizer(optimizer, learning_rate)
    # each metric's function found once for the run, not once per epoch (an unknown name
    # is refused here, before any work)
    metrics = [get_metric(m) for m in (network.default_metrics if metrics is None else metrics)]
    X_fit, Y, X_val, Y_val = _validation_rows(
        network, X_all, Y_all, validation_split, validation_data
    )
    history = History()
    flat, flat_gradients = network.flat_storage()
    if optimizer.flat:  # one array for the whole network
        parameters, gradients = [flat], [flat_gradients]
    else:  # a rule of the user's own may treat W and b, or layers, differently
        parameters, gradients = network.parameters, network.gradients
    collect = bool(metrics)
    kind = network.targets.kind
    # the labels only for a metric that reads them: the built-in accuracy compares classes
    labels = collect and (kind == "values" or any(get_metric(m) is not accuracy for m in metrics))
    batch = X_fit.shape[0] if batch_size is None else min(batch_size, X_fit.shape[0])
    dropout = any(isinstance(layer, Dropout) and layer.rate > 0 for layer in network.layers)
    return Setup(
        X=X_fit,
        Y=Y,
        X_val=X_val,
        Y_val=Y_val,
        epochs=epochs,
        batch=batch,
        shuffle=shuffle,
        optimizer=optimizer,
        metrics=metrics,
        callbacks=default_callbacks(history, callbacks, epochs, verbose, diagnostics),
        history=history,
        parameters=parameters,
        gradients=gradients,
        outputs=np.empty_like(Y) if collect else None,
        truth=network.targets.decode(Y) if labels else None,
        classes=class_indices(kind, Y) if collect and kind != "values" else None,
        full_batch=batch == X_fit.shape[0] and not dropout,
    )


def _validation_rows(
    network: NetworkLike,
    X: NDArray[Any],
    Y: NDArray[Any],
    split: float,
    data: tuple[ArrayLike, ArrayLike] | None,
) -> tuple[NDArray[Any], NDArray[Any], NDArray[Any] | None, NDArray[Any] | None]:
    """(X, Y, X_val, Y_val): the given validation data, or rows held out of X and Y."""
    if data is not None:
        if len(data) != 2:
            raise ValueError("validation_data must be a pair (X_val, y_val)")
        X_val, Y_val = network.encode_targets(*data)
        return X, Y, X_val, Y_val
    if not split:
        return X, Y, None, None
    check_number("validation_split", split, 0, 1, low_open=True, high_open=True)
    kept, held = holdout_split(X.shape[0], split, network.rng)
    return X[kept], Y[kept], X[held], Y[held]


def default_callbacks(
    history: History, callbacks: Sequence[Callback], epochs: int, verbose: int, diagnostics: bool
) -> list[Callback]:
    """The run's callbacks: its History first, the given ones, then a ProgressBar (when
    ``verbose``) and Diagnostics (when ``diagnostics``) unless one was given.

    Example:
        >>> [type(c).__name__ for c in default_callbacks(History(), [], 10, 1, True)]
        ['History', 'ProgressBar', 'Diagnostics']
    """
    chosen = [history, *callbacks]
    if verbose and not any(isinstance(c, ProgressBar) for c in chosen):
        chosen.append(ProgressBar(epochs))
    if diagnostics and not any(isinstance(c, Diagnostics) for c in chosen):
        chosen.append(Diagnostics(stream=sys.stderr if verbose else None))
    return chosen


def begin(network: NetworkLike, setup: Setup) -> None:
    """The values before any update (epoch 0), then every callback's set_run and
    on_train_begin.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[0.0]], bias=[0.0])], loss="mse")
        >>> setup = prepare(net, [[1.0]], [2.0], diagnostics=False)
        >>> begin(net, setup); setup.history.initial
        {'loss': 4.0}
    """
    network.diagnostics = None
    network.stop_training, network.stop = False, None
    network.history = setup.history
    setup.history.initial = measure(network, setup.X, setup.Y, setup.metrics)
    if setup.X_val is not None and setup.Y_val is not None:
        setup.history.initial.update(
            measure(network, setup.X_val, setup.Y_val, setup.metrics, "val_")
        )
    run = Run(network, setup.X, setup.Y, setup.history, setup.epochs, setup.batch, setup.optimizer)
    for callback in setup.callbacks:
        callback.set_run(run)
    for callback in setup.callbacks:
        callback.on_train_begin(dict(setup.history.initial))


def run_epoch(network: NetworkLike, setup: Setup, epoch: int) -> Stop | None:
    """One pass over the training rows in mini-batches, then the epoch's values to the
    callbacks; returns a ``Stop`` when training ends here, else None.

    NumPy's floating-point warnings are the caller's to silence: ``fit`` runs every epoch
    under ``np.errstate(over="ignore", invalid="ignore", divide="ignore")``, once for
    the run rather than once per epoch (the Stop record says what happened instead).

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[0.0]], bias=[0.0])], loss="mse")
        >>> setup = prepare(net, [[1.0]], [2.0], learning_rate=0.1, diagnostics=False)
        >>> begin(net, setup); run_epoch(net, setup, 1) is None, setup.history.loss
        (True, [4.0])
    """
    setup.optimizer.set_epoch(epoch)
    saved = [p.copy() for p in setup.parameters]
    setup.start, setup.start_epoch = saved, epoch
    if epoch == 1 and math.isfinite(setup.history.initial["loss"]):
        setup.kept, setup.kept_epoch = saved, 1  # measured on every row by begin
    n, batch = setup.X.shape[0], setup.batch
    order = network.rng.permutation(n) if setup.shuffle and batch < n else None
    total = 0.0
    for start in range(0, n, batch):
        stop = min(start + batch, n)
        value = take_step(network, setup, order, start, stop)
        if not math.isfinite(value):
            break
        total += value * (stop - start)
    if setup.full_batch and math.isfinite(value):
        # The one step's loss was computed on every row with the weights it started from.
        setup.kept, setup.kept_epoch = saved, epoch
    if not math.isfinite(value) or not all_finite(setup.parameters):
        return _diverged(network, setup, value)
    logs = _epoch_logs(network, setup, order, total / n)
    for callback in setup.callbacks:
        callback.on_epoch_end(epoch, logs)
    if network.stop_training:
        return network.stop or Stop("callback", epoch)
    return None


def take_step(
    network: NetworkLike, setup: Setup, order: NDArray[np.intp] | None, start: int, stop: int
) -> float:
    """One update on rows start:stop (of the epoch's order): forward, backward, optimizer
    step; returns the batch's loss and takes no step when it is not finite.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[0.0]], bias=[0.0])], loss="mse")
        >>> setup = prepare(net, [[1.0]], [2.0], learning_rate=0.5, diagnostics=False)
        >>> take_step(net, setup, None, 0, 1), net.get_weights()[0].item()
        (4.0, 2.0)
    """
    whole = start == 0 and stop == setup.X.shape[0]
    if order is None:
        Xb, Yb = (setup.X, setup.Y) if whole else (setup.X[start:stop], setup.Y[start:stop])
    else:
        rows = order[start:stop]
        kept = setup.batches.get(stop - start)
        if kept is None:  # a smaller last batch takes the leading rows of the first's
            first = setup.batches.get(setup.batch)
            if first is None or stop - start > setup.batch:
                shape = (stop - start, *setup.X.shape[1:]), (stop - start, *setup.Y.shape[1:])
                first = np.empty(shape[0], setup.X.dtype), np.empty(shape[1], setup.Y.dtype)
            kept = setup.batches[stop - start] = first[0][: stop - start], first[1][: stop - start]
        # The rows copied into the kept arrays (take with out= needs mode="clip" not to copy
        # through a buffer of its own; the rows are in range).
        Xb = np.take(setup.X, rows, axis=0, out=kept[0], mode="clip")
        Yb = np.take(setup.Y, rows, axis=0, out=kept[1], mode="clip")
    value = network.loss_and_gradients(Xb, Yb, training=True)
    if not math.isfinite(value):
        return value
    if setup.outputs is not None and not whole:  # in the order the batches took the rows
        setup.outputs[start:stop] = network.output_layer.cache[2]
    setup.optimizer.step(setup.parameters, setup.gradients)
    return value


def _epoch_logs(
    network: NetworkLike, setup: Setup, order: NDArray[np.intp] | None, loss: float
) -> dict[str, float]:
    logs = {"loss": loss}
    if setup.outputs is not None:
        # One step on every row left its outputs in the output layer's cache, read there;
        # a mini-batch epoch copied each step's outputs as they came.
        whole = setup.batch >= setup.X.shape[0]
        outputs = network.output_layer.cache[2] if whole else setup.outputs
        # The targets in the batches' order: the classes (and their labels, if a metric
        # reads labels) for classes, found once; Y itself only for values.
        Y: NDArray[Any] | None = None if setup.classes is not None else setup.Y
        truth, classes = setup.truth, setup.classes
        if order is not None:
            Y = None if Y is None else Y[order]
            truth = None if truth is None else truth[order]
            classes = None if classes is None else classes[order]
        logs.update(metric_values(network, Y, outputs, setup.metrics, truth=truth, classes=classes))
    if setup.X_val is not None and setup.Y_val is not None:
        logs.update(measure(network, setup.X_val, setup.Y_val, setup.metrics, "val_"))
    return logs


def surely_finite(network: NetworkLike, setup: Setup) -> bool:
    """True when the network's outputs and loss on every training row are sure to be
    finite, shown without a pass over the rows; False means "not shown", not "infinite".

    The proof bounds |z| layer by layer: |z_j| <= sum_i |W_ij| u_i + |b_j|, where u bounds
    the layer's inputs column by column (for the first layer, the largest |x| of all,
    found once per run); ReLU, leaky ReLU and the identity pass the bound on,
    sigmoid, tanh, softmax, step and sign are at most 1. It holds when every bound, plus
    the largest |y|, stays below sqrt(max / (4 n k)) of the dtype, so that no product, no
    square of an error and no sum over the n rows and k outputs can overflow. A layer or
    activation of another kind is not bounded here: the caller then measures.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], bias=[0.0])], loss="mse")
        >>> setup = prepare(net, [[1.0], [3.0]], [2.0, 6.0])
        >>> surely_finite(net, setup), setup.bounds[0].tolist()
        (True, [3.0])
        >>> net.set_weights([np.array([[1e300]]), np.array([0.0])]); surely_finite(net, setup)
        False
    """
    X, Y = setup.X, setup.Y
    if setup.bounds is None:  # one bound for every column: one pass, 7.5 ms on 60,000 x 784
        smallest, largest = extremes(X)
        largest_x = max(largest, -smallest)
        setup.bounds = np.full(X.shape[1], largest_x), float(max(Y.max(), -Y.min()))
    bound, largest_y = setup.bounds
    limit = math.sqrt(float(np.finfo(network.dtype).max) / (4.0 * Y.size))
    with np.errstate(all="ignore"):
        for layer in network.layers:
            if type(layer) is Dropout:  # passes its inputs on unchanged at prediction
                continue
            if type(layer) is Standardize:
                bound = (bound + np.abs(layer.mean)) / np.abs(layer.scale)
                continue
            growth = _GROWTH.get(type(layer.activation)) if type(layer) is Dense else None
            if growth is None:
                return False
            z = np.abs(layer.weights).T.astype(np.float64) @ bound
            if layer.use_bias:
                z += np.abs(layer.bias)
            if not z.max() + largest_y < limit:  # False for NaN too
                return False
            bound = np.ones_like(z) if growth == 0 else z * growth
        penalty = sum(layer.penalty() for layer in network.layers)
    return math.isfinite(penalty)


# How much each activation can widen |z|: a factor, or 0 for one whose |a| is at most 1.
_GROWTH = {Identity: 1.0, ReLU: 1.0, LeakyReLU: 1.0, Sigmoid: 0, Tanh: 0, Softmax: 0, Step: 0,
           Sign: 0}  # fmt: skip


def _finite_on_training_rows(network: NetworkLike, setup: Setup) -> tuple[bool, float]:
    """(whether the outputs and loss on every training row are finite, the loss if measured)."""
    if all_finite(setup.parameters) and surely_finite(network, setup):
        return True, math.nan
    value = measure(network, setup.X, setup.Y, ())["loss"]
    return math.isfinite(value), value


def _put_back(network: NetworkLike, setup: Setup) -> int:
    """Put back the weights from before the last epoch if they give finite outputs and loss
    on every training row, else the last ones known to; returns the epoch they precede."""
    if setup.start is not None and setup.start is not setup.kept:
        _set(setup.parameters, setup.start)
        if _finite_on_training_rows(network, setup)[0]:
            setup.kept, setup.kept_epoch = setup.start, setup.start_epoch
    if setup.kept is None:  # nothing ever was: the run started from broken weights
        return setup.start_epoch
    _set(setup.parameters, setup.kept)
    return setup.kept_epoch


def _set(parameters: list[NDArray[Any]], values: list[NDArray[Any]]) -> None:
    for param, value in zip(parameters, values, strict=True):
        param[...] = value


def _diverged(network: NetworkLike, setup: Setup, value: float) -> Stop:
    """Put back weights known to work and warn; the Stop says whose weights were kept."""
    epoch = _put_back(network, setup)
    stop = Stop("diverged", epoch, {"loss": value, "learning_rate": setup.optimizer.learning_rate})
    # 5: past _diverged, run_epoch (or finish), training.fit and Network.fit, to fit's caller
    warnings.warn(stop.message(), TrainingDiverged, stacklevel=5)
    return stop


def finish(network: NetworkLike, setup: Setup, stop: Stop) -> None:
    """Check the last epoch's update, record how the run ended (network.stop, history.stop),
    then every on_train_end; weights a callback puts back there are checked too.

    Weights whose outputs or loss on the training rows are not finite are never where a
    run ends: the epoch's update is undone as when the loss diverges during an epoch.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1)], seed=0)
        >>> setup = prepare(net, [[1.0]], [2.0], epochs=0, diagnostics=False)
        >>> begin(net, setup); finish(net, setup, Stop("completed", 0)); net.stop.kind
        'completed'
    """
    if stop.kind != "diverged" and setup.start is not None:
        finite, value = _finite_on_training_rows(network, setup)
        if not finite:
            stop = _diverged(network, setup, value)
    network.stop_training = stop.early
    network.stop = setup.history.stop = stop
    ended = [p.copy() for p in setup.parameters] if setup.start is not None else None
    last = {name: values[-1] for name, values in setup.history.history.items() if values}
    for callback in setup.callbacks:
        callback.on_train_end(last)  # the last epoch's logs, as Keras passes them
    if ended is not None and not all(map(np.array_equal, setup.parameters, ended)):
        finite, value = _finite_on_training_rows(network, setup)  # put back by a callback
        if not finite:
            _set(setup.parameters, ended)
            message = (
                f"the weights a callback put back when training ended give a loss of {value} "
                "on the training rows; the weights training ended with are kept"
            )
            warnings.warn(message, TrainingDiverged, stacklevel=4)
