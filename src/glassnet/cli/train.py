"""``glassnet train``: from a CSV file to a trained, saved network.

``train`` chooses the task from the target column, the output layer and loss through
``glassnet.engine.recipes`` (the one chooser, shared with the playground and the
estimators), holds out validation rows with ``glassnet.engine.arrays.holdout_split``, fits,
and saves the network with its settings, metric values and diagnostics. ``--quiet`` leaves
the figures; ``--verbose`` adds what was read, every epoch and the times. (``glassnet
perceptron`` lives in ``glassnet.cli.perceptron``.)

Example:
    >>> from glassnet.cli.main import main
    >>> main(["train", "iris.csv", "--target", "species", "--out", "m"])  # doctest: +SKIP
    0
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
import warnings
from typing import Any, TextIO

import numpy as np

from glassnet.cli.errors import CommandError, UsageError
from glassnet.cli.files import check_distinct, check_writable, is_standard_output, write_together
from glassnet.cli.limits import check_memory, check_scale, largest
from glassnet.cli.output import finite_values, metrics_table
from glassnet.cli.rows import read_csv, target_values
from glassnet.datasets import CSVData, DataError
from glassnet.engine.activations import ACTIVATIONS
from glassnet.engine.arrays import holdout_split
from glassnet.engine.callbacks import CSVLogger, EarlyStopping, History
from glassnet.engine.diagnostics import Diagnostics
from glassnet.engine.layers import Standardize
from glassnet.engine.network import Network
from glassnet.engine.recipes import CLASSIFICATION_LOSSES, build_mlp, output_for
from glassnet.modelfile import save
from glassnet.text import table

__all__ = ["HIDDEN_ACTIVATIONS", "MAX_INTEGER_CLASSES", "run_train", "stop_text"]

# An integer target with at most this many distinct values is read as class labels.
MAX_INTEGER_CLASSES = 20
HIDDEN_ACTIVATIONS = sorted(set(ACTIVATIONS) - {"step", "sign", "softmax"})


def _choose_task(data: CSVData, task: str, loss: str) -> str:
    """'classification' or 'regression', from --task, --loss or the target column."""
    if task == "auto" and loss != "auto":
        task = "classification" if loss in CLASSIFICATION_LOSSES else "regression"
    y = target_values(data)
    text = y.dtype.kind == "U"
    if task == "regression" and text:
        # The loader names the first cell that is not a number, by row and column.
        problem = data.target_problem or (
            f"{data.path}: column {data.target_name!r} holds text labels such as {y[0].item()!r}"
        )
        raise DataError(f"{problem}; regression needs numbers")
    if task != "auto":
        return task
    if text:
        return "classification"
    if y.dtype.kind == "i" and len(np.unique(y)) <= MAX_INTEGER_CLASSES:
        return "classification"
    return "regression"


def _number_of_classes(data: CSVData) -> int:
    classes = np.unique(target_values(data))
    if len(classes) < 2:
        raise DataError(
            f"{data.path}: column {data.target_name!r} has a single class {classes[0].item()!r}; "
            "a classifier needs at least two"
        )
    return len(classes)


def _build_network(args: argparse.Namespace, data: CSVData, task: str) -> Network:
    """The network ``args`` describe, its output layer and loss chosen for the task, once
    its inputs and its size are known to fit the arithmetic and the memory."""
    n_classes = _number_of_classes(data) if task == "classification" else 0
    try:
        output = output_for(task, n_classes=n_classes, loss=args.loss)
    except ValueError as error:
        # The recipe names the setting "loss"; on the command line it is the option --loss.
        raise UsageError(f"--{error}") from None
    check_scale(data, args, regression=task == "regression")
    check_memory(args, data.X.shape[1], data.X.shape[0], output.n_outputs)
    standardize = None
    if args.standardize:
        try:
            standardize = Standardize.fit(data.X)
        except ValueError:  # a scale that overflowed: values near the top of float64
            raise DataError(
                f"{data.path}: values as large as {largest(data.X)[0]:g} are too large to "
                "standardize; divide those columns by a power of ten first"
            ) from None
    return build_mlp(data.X.shape[1], args.hidden, args.activation, output, dropout=args.dropout,
                     standardize=standardize, seed=args.seed, dtype=args.dtype)  # fmt: skip


def _split(network: Network, data: CSVData, share: float):
    """(X_train, y_train, X_val, y_val): rows held out with the network's generator."""
    if not share:
        return data.X, data.y, None, None
    n = data.X.shape[0]
    try:
        kept, held = holdout_split(n, share, network.rng)
    except ValueError:
        raise DataError(
            f"{data.path}: {n} data rows are too few for --validation-split {share:g} "
            "(it leaves one side empty); use --validation-split 0"
        ) from None
    y = target_values(data)
    return data.X[kept], y[kept], data.X[held], y[held]


def stop_text(history: History) -> str:
    """How the run ended early, in words; "" when it ran every epoch.

    The one place the command line reads the run's ``Stop`` record.

    Example:
        >>> from glassnet import Dense
        >>> net = Network([Dense(1, 1, "identity")], loss="mse", seed=0)
        >>> stop_text(net.fit([[1.0]], [[2.0]], epochs=2, learning_rate=0.1, verbose=0))
        ''
        >>> stopper = EarlyStopping("loss", patience=1)
        >>> stop_text(net.fit([[1.0]], [[2.0]], epochs=50, learning_rate=5.0, verbose=0,
        ...                   callbacks=[stopper]))  # doctest: +ELLIPSIS
        'early stopping: loss has not improved for 1 epochs ...'
    """
    stop = history.stop
    if stop is None or stop.kind == "completed":
        return ""
    return str(stop)


def _fit(network: Network, args: argparse.Namespace, X, y, validation, callbacks) -> History:
    """``network.fit`` with the options of ``args``; its warnings on stderr in one line each;
    a run that kept nothing worth a file (its start was broken, or it diverged in epoch 1)
    is a CommandError."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = network.fit(
            X,
            y,
            epochs=args.epochs,
            learning_rate=args.learning_rate,
            batch_size=args.batch_size,
            optimizer=args.optimizer,
            validation_data=validation,
            callbacks=callbacks,
            verbose=0 if args.quiet else 1,  # the progress on standard error
        )
    if not math.isfinite(history.initial["loss"]):
        value, _, column = largest(X)
        raise CommandError(
            f"the untrained network's outputs are already not finite on these rows (features as "
            f"large as {value:g}, in column {column + 1}): the inputs overflow its arithmetic; "
            f"{args.out} not written; "
            + (
                "divide the largest columns by a power of ten"
                if args.standardize
                else "try --standardize"
            )  # fmt: skip
        )
    stop = history.stop
    if stop is not None and stop.kind == "diverged" and stop.epoch == 1:
        # Not one epoch's weights were kept: the random start is not a model worth a file.
        raise CommandError(
            f"training diverged in epoch 1: {args.out} not written; try a smaller "
            f"--learning-rate (now {args.learning_rate:g})"
            + ("" if args.standardize else ", or --standardize")
        )
    for warning in caught:
        print(f"glassnet: warning: {warning.message}", file=sys.stderr)
    return history


def _write_log(path: str, history: History) -> None:
    """The per-epoch CSV log, written from the history once training has succeeded."""
    logger = CSVLogger(path)
    for index, epoch in enumerate(history.epochs):
        logger.on_epoch_end(
            epoch, {name: values[index] for name, values in history.history.items()}
        )
    logger.on_train_end()


def _settings(
    args: argparse.Namespace, task: str, rows: dict[str, int], network: Network, history: History
) -> dict[str, Any]:
    """How the model was trained, as the model file keeps it (``glassnet info`` shows it)."""
    return {
        "data": "standard input" if args.data == "-" else os.path.basename(args.data),
        **rows,
        "task": task,
        "hidden": list(args.hidden),
        "activation": args.activation,
        "dropout": args.dropout,
        "loss": network.loss.name,
        "optimizer": args.optimizer,
        "learning_rate": args.learning_rate,
        "epochs": args.epochs,
        "epochs_run": len(history),
        "batch_size": args.batch_size,
        "validation_split": args.validation_split,
        "early_stopping": args.early_stopping,
        "standardize": args.standardize,
        "seed": args.seed,
        "dtype": args.dtype,
        "stopped_reason": stop_text(history),
    }


def _data_line(path: str, data: CSVData, network: Network, task: str) -> str:
    """The first line ``train`` prints: the data file's rows, columns and target."""
    classes = network.classes
    described = (
        "regression" if classes is None else f"{len(classes)} classes {classes.tolist()[:10]}"
    )
    n_rows, n_features = data.X.shape
    return (
        f"{path}: {n_rows} rows, {n_features} feature columns, target "
        f"{data.target_name!r} ({described})"
    )


def _ran_line(history: History, stopper: EarlyStopping | None) -> str:
    """How many epochs ran, how the run ended and whose weights were kept."""
    ran = f"trained {len(history)} epochs"
    if stop_text(history):
        ran += f"; {stop_text(history)}"
    if stopper is not None and stopper.best_weights is not None:
        ran += f"; kept the weights of epoch {stopper.best_epoch}, the best {stopper.monitor}"
    return ran


def _check_outputs(metrics: dict[str, dict[str, float]], out: str) -> None:
    """Refuse to write a model whose outputs on the training rows are not finite."""
    loss = metrics["training"]["loss"]
    if not math.isfinite(loss):
        raise CommandError(
            f"the trained network's loss on its training rows is {loss}: its outputs are not "
            f"finite, so {out} is not written; try a smaller --learning-rate or --standardize"
        )


def run_train(args: argparse.Namespace) -> int:
    """``glassnet train``: read the CSV, build and fit a network, save it with its metrics.

    Classes or values are chosen from the target column (``--task`` overrides): text
    labels, or at most MAX_INTEGER_CLASSES distinct integers, are classes. ``-`` reads
    the data from standard input; ``--out -`` writes the model to standard output, and
    what the command reports then goes to standard error. The model and the ``--log``
    are written together, after training: neither is left without the other.

    Example:
        >>> from glassnet.cli.main import main
        >>> main(["train", "iris.csv", "--target", "species", "--out", "m"])  # doctest: +SKIP
        0
    """
    report = sys.stderr if is_standard_output(args.out) else sys.stdout
    check_distinct({"the data file": args.data}, {"--out": args.out, "--log": args.log})
    for path in (args.out, args.log):
        if path:
            check_writable(path)
    started = time.perf_counter()
    data = read_csv(args, args.data, target=args.target, dtype=args.dtype)
    read = time.perf_counter()
    task = _choose_task(data, args.task, args.loss)
    network = _build_network(args, data, task)
    if task == "classification":
        # Learn the labels from every row, so a class that lands only in validation is known.
        network.encode_targets(data.X, target_values(data))
    X, y, X_val, y_val = _split(network, data, args.validation_split)
    heading = _data_line(data.path, data, network, task)
    features, target = data.feature_names, data.target_name
    rows = {
        "rows": data.X.shape[0],
        "training_rows": int(X.shape[0]),
        "validation_rows": 0 if X_val is None else int(X_val.shape[0]),
    }
    del data  # the split holds copies: the whole table need not stay in memory
    stopper = None
    if args.early_stopping is not None:
        monitor = "val_loss" if X_val is not None else "loss"
        stopper = EarlyStopping(monitor, patience=args.early_stopping, restore_best_weights=True)
    diagnostics = Diagnostics()
    # The --log file is written from the history after training, with the model.
    callbacks = [c for c in (stopper, diagnostics) if c is not None]
    validation = None if X_val is None else (X_val, y_val)
    history = _fit(network, args, X, y, validation, callbacks)
    trained = time.perf_counter()
    metrics = {"training": network.evaluate(X, y)}
    if X_val is not None:
        metrics["validation"] = network.evaluate(X_val, y_val)
    _check_outputs(metrics, args.out)
    metadata = {
        "features": features,
        "target": target,
        "training": _settings(args, task, rows, network, history),
        "figures": {name: finite_values(values) for name, values in metrics.items()},
        "diagnostics": [str(note) for note in diagnostics.notes],
    }
    write_together(args.out, lambda temporary: save(network, temporary, metadata),
                   args.log, lambda path: _write_log(path, history))  # fmt: skip
    verbose = []
    if args.verbose:
        times = (read - started, trained - read, time.perf_counter() - trained)
        verbose = [_every_epoch(history), "took {:.3g} s to read, {:.3g} s to train, {:.3g} s "
                   "to evaluate and save".format(*times)]  # fmt: skip
    _report(report, heading, network, _ran_line(history, stopper), metrics, diagnostics, args,
            verbose)  # fmt: skip
    return 0


def _every_epoch(history: History) -> str:
    """Each epoch's figures, a row per epoch from 0 (before training): ``--verbose``."""
    names = list(history.history)
    rows = [["epoch", *names]]
    if history.initial:
        rows.append(["0", *(f"{history.initial.get(name, math.nan):.6g}" for name in names)])
    for index, epoch in enumerate(history.epochs):
        rows.append([str(epoch), *(f"{history.history[name][index]:.6g}" for name in names)])
    return table(rows, align="r")


def _report(report: TextIO, heading: str, network: Network, ran: str, metrics, diagnostics,
            args: argparse.Namespace, verbose: list[str]) -> None:  # fmt: skip
    """What ``train`` prints once the model is saved: the figures alone with ``--quiet``;
    with ``--verbose``, ``verbose`` (every epoch, the times) after the run's line."""
    if args.quiet:
        print(metrics_table(metrics), file=report)
        return
    for text in (heading, network.summary(), ran, *verbose, metrics_table(metrics), diagnostics):
        print(text, file=report)
    if args.log:
        print(f"wrote the per-epoch log {args.log} (glassnet plot loss --history draws it)",
              file=report)  # fmt: skip
    print(f"saved {'the model to standard output' if args.out == '-' else args.out}", file=report)
