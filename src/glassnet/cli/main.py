"""The ``glassnet`` command line: from a CSV file to a trained, saved, inspectable model.

Each subcommand is a function ``run_NAME(args) -> int`` registered in ``build_parser``.
Errors the user can fix are one line on standard error, never a traceback: exit code 2
for usage errors (an unknown option or name, a bad value such as a negative learning
rate), 1 for data errors (a missing or malformed CSV, a file that is not a model). When a
command fails, it writes no output file.

Example:
    >>> main(["demo", "neuron", "--json"])  # doctest: +SKIP
    0
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import math
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import Any, TextIO

import numpy as np

from glassnet import __version__
from glassnet.datasets import CSVData, DataError, load_csv
from glassnet.engine.activations import ACTIVATIONS
from glassnet.engine.callbacks import CSVLogger, EarlyStopping
from glassnet.engine.diagnostics import Diagnostics
from glassnet.engine.layers import Dense, Dropout, Layer, Standardize
from glassnet.engine.network import Network, TrainingDiverged
from glassnet.engine.optimizers import OPTIMIZERS
from glassnet.engine.perceptron import Perceptron
from glassnet.files import write_atomically
from glassnet.glassbox.tutorials import DEMOS, run_demo
from glassnet.modelfile import ModelFile, read, save
from glassnet.text import format_number

__all__ = ["main", "build_parser", "UsageError"]

# An integer target with at most this many distinct values is read as class labels.
MAX_INTEGER_CLASSES = 20
HIDDEN_ACTIVATIONS = sorted(set(ACTIVATIONS) - {"step", "sign", "softmax"})


class UsageError(Exception):
    """A command-line mistake: reported in one line, exit code 2.

    Example:
        >>> try:
        ...     build_parser().parse_args(["train"])
        ... except UsageError as error:
        ...     print(error)  # doctest: +NORMALIZE_WHITESPACE
        the following arguments are required: DATA.csv, --target, --out
        (see 'glassnet train --help')
    """


class _Parser(argparse.ArgumentParser):
    """argparse that raises ``UsageError`` instead of exiting, so ``main`` reports it."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see '{self.prog} --help')")


# ---------------------------------------------------------------------- option types
def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return value


def positive_number(text: str) -> float:
    """An option value that must be a finite number above zero.

    Example:
        >>> positive_number("0.01")
        0.01
    """
    value = _number(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
    return value


def fraction(text: str) -> float:
    """An option value in [0, 1), such as a validation split or a dropout rate.

    Example:
        >>> fraction("0.2")
        0.2
    """
    value = _number(text)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 0 and below 1, got {text}")
    return value


def count(text: str, low: int = 1) -> int:
    """An option value that must be a whole number of at least ``low``.

    Example:
        >>> count("200")
        200
    """
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < low:
        raise argparse.ArgumentTypeError(f"must be at least {low}, got {text}")
    return value


def hidden_sizes(text: str) -> tuple[int, ...]:
    """``--hidden``: neurons per hidden layer, comma-separated; "0" or "" for none.

    Example:
        >>> hidden_sizes("16,8")
        (16, 8)
    """
    if text.strip() in ("", "0", "none"):
        return ()
    try:
        sizes = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected neurons per layer such as 16,8, got {text!r}"
        ) from None
    if any(size < 1 for size in sizes):
        raise argparse.ArgumentTypeError(f"every layer needs at least 1 neuron, got {text!r}")
    return sizes


def check_value(text: str) -> tuple[str, float]:
    """``--check name=value``: a hand-worked value to compare with the trace.

    Example:
        >>> check_value("dE/dw1=-0.0353")
        ('dE/dw1', -0.0353)
    """
    name, equals, value = text.rpartition("=")
    if not equals or not name.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE such as a=0.53, got {text!r}")
    return name.strip(), _number(value)


# ---------------------------------------------------------------------- shared steps
def _write_atomically(path: str, write: Callable[[TextIO], None]) -> None:
    """Call ``write`` on a new text file that becomes ``path`` only when complete."""

    def write_text(temporary: str) -> None:
        with open(temporary, "x", newline="", encoding="utf-8") as handle:
            write(handle)

    write_atomically(path, write_text)


def _check_writable(path: str) -> None:
    """Fail before any work if ``path`` cannot be written (a missing folder, a folder)."""
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise OSError(f"cannot write {path}: the folder {directory} does not exist")
    if os.path.isdir(path):
        raise OSError(f"cannot write {path}: it is a folder")


def _same_file(first: str, second: str) -> bool:
    """Whether two paths name one file: by device and inode when both exist (hard links,
    symbolic links, other spellings), else by the paths with links and ".." resolved."""
    if os.path.exists(first) and os.path.exists(second):
        return os.path.samefile(first, second)
    return os.path.realpath(first) == os.path.realpath(second)


def _check_distinct(inputs: dict[str, str | None], outputs: dict[str, str | None]) -> None:
    """Refuse, before any work, an output path that names an input file or another output.

    ``inputs`` maps a description ("the data file") to a path read, ``outputs`` an
    option ("--out") to a path written; None stands for an option not given.
    """
    given = [(option, path) for option, path in outputs.items() if path]
    for index, (option, path) in enumerate(given):
        for other_option, other in given[:index]:
            if _same_file(path, other):
                raise UsageError(
                    f"{option} {path} and {other_option} {other} are the same file; "
                    "give each its own path"
                )
        for description, source in inputs.items():
            if source and _same_file(path, source):
                raise UsageError(
                    f"{option} {path} is {description} {source}: writing it would destroy "
                    "that file; choose another path"
                )


def _classes_of(data: CSVData) -> np.ndarray:
    classes = np.unique(data.y)
    if len(classes) < 2:
        raise DataError(
            f"{data.path}: column {data.target_name!r} has a single class {classes[0].item()!r}; "
            "a classifier needs at least two"
        )
    return classes


def _choose_task(data: CSVData, task: str, loss: str) -> str:
    """'classification' or 'regression', from --task, --loss or the target column."""
    if task == "auto" and loss != "auto":
        task = "classification" if loss in ("crossentropy", "binary_crossentropy") else "regression"
    text = data.y.dtype.kind == "U"
    if task == "regression" and text:
        raise DataError(
            f"{data.path}: column {data.target_name!r} holds text labels such as "
            f"{data.y[0].item()!r}; regression needs numbers"
        )
    if task != "auto":
        return task
    if text:
        return "classification"
    if data.y.dtype.kind == "i" and len(np.unique(data.y)) <= MAX_INTEGER_CLASSES:
        return "classification"
    return "regression"


def _build_network(args: argparse.Namespace, data: CSVData, task: str) -> Network:
    layers: list[Layer] = [Standardize.fit(data.X)] if args.standardize else []
    width = data.X.shape[1]
    for size in args.hidden:
        layers.append(Dense(width, size, args.activation))
        if args.dropout:
            layers.append(Dropout(args.dropout))
        width = size
    if task == "regression":
        if args.loss in ("crossentropy", "binary_crossentropy"):
            raise UsageError(f"--loss {args.loss} needs class labels; this is regression")
        layers.append(Dense(width, 1, "identity"))
        loss = "mse" if args.loss == "auto" else args.loss
    else:
        if args.loss in ("mse", "half_sse"):
            raise UsageError(f"--loss {args.loss} is for regression; this is classification")
        n_classes = len(_classes_of(data))
        if args.loss == "binary_crossentropy" and n_classes > 2:
            raise UsageError(
                f"--loss binary_crossentropy separates two classes; column "
                f"{data.target_name!r} has {n_classes}: use crossentropy"
            )
        if n_classes == 2 and args.loss in ("auto", "binary_crossentropy"):
            layers.append(Dense(width, 1, "sigmoid"))
            loss = "binary_crossentropy"
        else:
            layers.append(Dense(width, n_classes, "softmax"))
            loss = "crossentropy"
    return Network(layers, loss=loss, seed=args.seed, dtype=args.dtype)


def _split(network: Network, data: CSVData, share: float):
    """(X_train, y_train, X_val, y_val): rows held out with the network's generator."""
    n = data.X.shape[0]
    if not share:
        return data.X, data.y, None, None
    n_val = int(round(n * share))
    if n_val < 1 or n_val >= n:
        raise DataError(
            f"{data.path}: {n} data rows are too few for --validation-split {share:g} "
            "(it leaves one side empty); use --validation-split 0"
        )
    order = network.rng.permutation(n)
    held, kept = order[:n_val], order[n_val:]
    return data.X[kept], data.y[kept], data.X[held], data.y[held]


def _figures_table(rows: dict[str, dict[str, float]]) -> str:
    """Named rows of figures as an aligned text table."""
    names = list(dict.fromkeys(name for figures in rows.values() for name in figures))
    table = [["", *names]] + [
        [label, *(f"{figures.get(name, math.nan):.6g}" for name in names)]
        for label, figures in rows.items()
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    lines = [
        "  ".join(
            cell.rjust(w) if i else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in table
    ]
    return "\n".join(line.rstrip() for line in lines)


def _columns_for(model_file: ModelFile, args: argparse.Namespace) -> tuple[list | None, str | None]:
    """The feature names and target the model was trained with (or given on the command line)."""
    # glassnet.modelfile.read has checked both: a list of the model's column names, a name or None.
    metadata = model_file.metadata
    return metadata.get("features"), getattr(args, "target", None) or metadata.get("target")


def _read_rows(args: argparse.Namespace, model_file: ModelFile, need_target: bool) -> CSVData:
    """The data file's columns matched by name to the model's features (and its target)."""
    model = model_file.model
    features, target = _columns_for(model_file, args)
    if need_target and target is None:
        raise UsageError(f"{args.model} does not name its target column; give --target COLUMN")
    dtype = model.dtype if isinstance(model, Network) else np.float64
    named = features is not None
    if not named and target is not None and not need_target:
        # A model saved without column names takes every column but the target, in order.
        features = [name for name in _header_cells(args.data) if name != target] or None
    data = load_csv(
        args.data, target=target if need_target else None, dtype=dtype, features=features
    )
    if named:
        extra = [name for name in data.columns if name not in features and name != target]
        if extra:
            raise DataError(
                f"{args.data}: column {extra[0]!r} is not one of the model's features "
                f"{features[:10]}" + ("" if target is None else f" or its target {target!r}")
            )
    n_inputs = model.n_inputs
    if data.X.shape[1] != n_inputs:
        raise DataError(
            f"{args.data}: {data.X.shape[1]} feature columns, but the model takes {n_inputs}"
            + ("" if named else " (it names no columns: every column but the target is used)")
        )
    return data


def _header_cells(path: str) -> list[str]:
    """The header row's names, or [] when the file cannot be read (load_csv then says why)."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            return [cell.strip() for cell in next(csv.reader(handle), [])]
    except (OSError, UnicodeDecodeError, csv.Error):
        return []


def _known_labels(data: CSVData, classes: np.ndarray | None) -> None:
    if classes is None:
        if data.y.dtype.kind == "U":
            raise DataError(
                f"{data.path}: column {data.target_name!r} holds text such as "
                f"{data.y[0].item()!r}; this model predicts numbers"
            )
        return
    if (classes.dtype.kind == "U") != (data.y.dtype.kind == "U"):
        unknown = np.ones(len(data.y), dtype=bool)
    else:
        unknown = ~np.isin(data.y, classes)
    if np.any(unknown):
        row = int(np.argmax(unknown))
        raise DataError(
            f"{data.path}: row {data.line(row)}, column {data.target_name!r}: label "
            f"{data.y[row].item()!r} was not seen in training; the model knows "
            f"{classes.tolist()[:20]}"
        )


def _labels(model: Network | Perceptron) -> np.ndarray | None:
    return model.classes if isinstance(model, Network) else model.classes_


def _by_blocks(function: Callable[[np.ndarray], np.ndarray], X: np.ndarray) -> np.ndarray:
    """``function`` of X, a block of rows at a time.

    A network keeps every layer's values from its last forward pass (for backward), so
    one pass over a large file would hold all of them at once; blocks bound that memory.
    (BLAS may round a row's last bit differently in a block than in one pass over all rows.)
    """
    rows = 16384
    return np.concatenate([function(X[start : start + rows]) for start in range(0, len(X), rows)])


def _write_table(handle: TextIO, header: list[str], columns: list[np.ndarray]) -> None:
    """Write the columns as CSV, formatting a block of rows at a time to bound the memory.

    Each number is written as the shortest text that reads back as the same value.
    """
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(header)
    for start in range(0, len(columns[0]), 8192):
        cells = [column[start : start + 8192].astype(str).tolist() for column in columns]
        writer.writerows(zip(*cells, strict=True))


def _print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, allow_nan=False, default=_json_default))


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _finite(figures: dict[str, float]) -> dict[str, float | None]:
    return {name: (value if math.isfinite(value) else None) for name, value in figures.items()}


# ---------------------------------------------------------------------- commands
def run_demo_command(args: argparse.Namespace) -> int:
    if args.json and args.pictures:
        raise UsageError("--pictures goes with the text output; leave out --json")
    names = [args.name] if args.name else list(DEMOS)
    demos = [run_demo(name) for name in names]
    if args.json:
        print(json.dumps({demo.name: demo.figures for demo in demos}, indent=2))
        return 0
    for index, demo in enumerate(demos):
        if index:
            print("\n")
        print(demo)
    if args.name and not args.pictures:
        return 0
    plot = _plot_module()
    if plot is None:
        print("\nPictures: not drawn, they need matplotlib: pip install 'glassnet[plot]'")
        return 0
    folder = args.pictures or "glassnet-demo"
    written = ", ".join(os.path.basename(path) for path in plot.save_demo_pictures(folder))
    print(f"\nPictures ({written}) written to {folder}")
    return 0


# ---------------------------------------------------------------------- pictures
def _plot_module():
    """glassnet.plot drawing to files only (matplotlib's Agg), or None without matplotlib."""
    try:
        import matplotlib
    except ImportError:
        return None
    matplotlib.use("Agg")
    from glassnet import plot

    return plot


def column_pair(text: str) -> tuple[int, int]:
    try:
        first, second = (int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected two column numbers such as 0,2, got {text!r}"
        ) from None
    return first, second


def numbers(text: str) -> list[float]:
    try:
        return [float(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected numbers separated by commas such as 0.3,0.5, got {text!r}"
        ) from None


def _history_from_log(path: str):
    """A History from the CSV log of a training run (glassnet.CSVLogger's columns)."""
    from glassnet.engine.callbacks import History

    log = load_csv(path)
    if "epoch" not in log.feature_names:
        raise DataError(
            f"{path}: no 'epoch' column; expected a training log as glassnet.CSVLogger "
            f"writes it, got the columns {log.feature_names}"
        )
    history = History()
    for name, values in zip(log.feature_names, log.X.T, strict=True):
        if name == "epoch":
            history.epochs = values.astype(int).tolist()
        else:
            history.history[name] = values.tolist()
    return history


def run_plot(args: argparse.Namespace) -> int:
    plot = _plot_module()
    if plot is None:
        raise UsageError("pictures need matplotlib: pip install 'glassnet[plot]'")
    sources = [flag for flag, value in (("--model", args.model), ("--example", args.example),
                                        ("--history", args.history)) if value]  # fmt: skip
    if len(sources) != 1:
        raise UsageError("give one of --model FILE, --example NAME (or --history LOG.csv)")
    if args.history and args.kind != "loss":
        raise UsageError("--history LOG.csv is for 'glassnet plot loss'")
    _check_distinct(
        {"the model file": args.model, "the data file": args.data, "the log": args.history},
        {"--out": args.out},
    )
    if args.model and args.kind == "loss":
        raise UsageError(
            "a model file keeps no per-epoch losses: draw the CSV log of its training with "
            "--history LOG.csv (glassnet.CSVLogger writes one)"
        )
    model = X = y = names = None
    epochs, fit_options = args.epochs or 100, {}
    if args.example:
        example = plot.example(args.example, train=args.kind != "animation")
        model, X, y = example.model, example.X, example.y
        epochs, fit_options = args.epochs or example.epochs, dict(example.fit_options)
    elif args.model:
        model_file = read(args.model)
        model = model_file.model
        if args.kind in ("boundary", "animation"):
            if not args.data:
                raise UsageError(f"'glassnet plot {args.kind}' with a model file needs --data CSV")
            data = _read_rows(args, model_file, need_target=True)
            _known_labels(data, _labels(model))
            X, y, names = data.X, data.y, data.feature_names
            if args.features is None and len(names) > 2:
                raise DataError(
                    f"{args.data}: {len(names)} feature columns ({', '.join(names[:10])}); "
                    "choose the two to draw with --features I,J, for example --features 0,1 "
                    "(counting from 0; the others are held at their mean)"
                )
    if args.learning_rate is not None:
        fit_options["learning_rate"] = args.learning_rate
    if args.kind == "animation":
        if isinstance(model, Perceptron):
            fit_options.pop("learning_rate", None)  # a perceptron keeps its own rate
        plot.training_animation(model, X, y, args.out, epochs=epochs, features=args.features,
                                feature_names=names, **fit_options)  # fmt: skip
    else:
        if args.kind == "boundary":
            picture = plot.decision_boundary(model, X, y, features=args.features,
                                             feature_names=names)  # fmt: skip
        elif args.kind == "loss":
            source = _history_from_log(args.history) if args.history else model
            picture = plot.loss_curve(source, metric=args.metric, log=args.log)
        elif isinstance(model, Network):
            picture = plot.network_diagram(model, x=args.x)
        else:
            raise UsageError("'glassnet plot network' draws a Network; this is a Perceptron")
        plot.save(picture, args.out)
    print(f"wrote {args.out}")
    return 0


def run_train(args: argparse.Namespace) -> int:
    """``glassnet train``: read the CSV, build and fit a network, save it with its figures.

    Classes or values are chosen from the target column (``--task`` overrides): text
    labels, or at most MAX_INTEGER_CLASSES distinct integers, are classes.

    Example:
        >>> main(["train", "iris.csv", "--target", "species", "--out", "m"])  # doctest: +SKIP
        0
    """
    _check_distinct({"the data file": args.data}, {"--out": args.out, "--log": args.log})
    _check_writable(args.out)
    if args.log:
        _check_writable(args.log)
    data = load_csv(args.data, target=args.target, dtype=args.dtype)
    task = _choose_task(data, args.task, args.loss)
    network = _build_network(args, data, task)
    if task == "classification":
        # Learn the labels from every row, so a class that lands only in validation is known.
        network.encode_targets(data.X, data.y)
    X, y, X_val, y_val = _split(network, data, args.validation_split)
    (n_rows, n_features), features, target = data.X.shape, data.feature_names, data.target_name
    del data  # the split holds copies: the whole table need not stay in memory
    stopper = None
    if args.early_stopping is not None:
        monitor = "val_loss" if X_val is not None else "loss"
        stopper = EarlyStopping(
            monitor=monitor, patience=args.early_stopping, restore_best_weights=True
        )
    diagnostics = Diagnostics()
    # The --log file is written from the history after training, so a failed run writes none.
    callbacks = [c for c in (stopper, diagnostics) if c is not None]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = network.fit(
            X,
            y,
            epochs=args.epochs,
            learning_rate=args.learning_rate,
            batch_size=args.batch_size,
            optimizer=args.optimizer,
            validation_data=None if X_val is None else (X_val, y_val),
            callbacks=callbacks,
            verbose=0 if args.quiet else 1,
        )
    if not len(history) and any(issubclass(w.category, TrainingDiverged) for w in caught):
        # Not one epoch finished: the weights are the random start, not a model worth a file.
        raise ValueError(
            f"training diverged in epoch 1, before any epoch completed: {args.out} not written; "
            f"try a smaller --learning-rate (now {args.learning_rate:g})"
        )
    for warning in caught:
        print(f"glassnet: warning: {warning.message}", file=sys.stderr)
    if args.log:
        logger = CSVLogger(args.log)
        for index, epoch in enumerate(history.epochs):
            logger.on_epoch_end(epoch, {k: v[index] for k, v in history.history.items()})
        logger.on_train_end()
    figures = {"training": network.evaluate(X, y)}
    if X_val is not None:
        figures["validation"] = network.evaluate(X_val, y_val)
    settings = {
        "data": os.path.basename(args.data),
        "rows": n_rows,
        "training_rows": int(X.shape[0]),
        "validation_rows": 0 if X_val is None else int(X_val.shape[0]),
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
        "stopped_reason": history.stopped_reason,
    }
    metadata = {
        "features": features,
        "target": target,
        "training": settings,
        "figures": {k: _finite(v) for k, v in figures.items()},
        "diagnostics": [str(note) for note in diagnostics.notes],
    }
    save(network, args.out, metadata)
    described = (
        f"{len(network.classes)} classes {network.classes.tolist()[:10]}"
        if task == "classification"
        else "regression"
    )
    print(
        f"{args.data}: {n_rows} rows, {n_features} feature columns, target {target!r} ({described})"
    )
    print(network.summary())
    ran = f"trained {len(history)} epochs"
    if history.stopped_reason:
        ran += f"; {history.stopped_reason}"
    if stopper is not None and stopper.best_weights is not None:
        ran += f"; kept the weights of epoch {stopper.best_epoch}, the best {monitor}"
    print(ran)
    print(_figures_table(figures))
    print(diagnostics)
    if args.log:
        print(f"wrote the per-epoch log {args.log} (glassnet plot loss --history draws it)")
    print(f"saved {args.out}")
    return 0


def run_perceptron(args: argparse.Namespace) -> int:
    """``glassnet perceptron``: the perceptron rule on a CSV file, epoch by epoch.

    Example:
        >>> main(["perceptron", "or.csv", "--target", "y"])  # doctest: +SKIP
        0
    """
    _check_distinct({"the data file": args.data}, {"--out": args.out})
    if args.out:
        _check_writable(args.out)
    data = load_csv(args.data, target=args.target)
    perceptron = Perceptron(
        data.X.shape[1],
        args.learning_rate,
        bias=None if args.no_bias else 0.0,
        mode=args.mode,
        seed=args.seed,
        shuffle=args.shuffle,
        activation=args.activation,
    )
    try:
        perceptron.fit(data.X, data.y, max_epochs=args.max_epochs)
    except ValueError as error:
        raise DataError(f"{data.path}: column {data.target_name!r}: {error}") from None
    epochs = [
        {
            "epoch": record.epoch,
            "weights": record.weights.tolist(),
            "bias": record.bias,
            "errors": record.errors,
            "rmse": record.rmse,
        }
        for record in perceptron.epochs_
    ]
    if args.out:
        settings = {
            "data": os.path.basename(args.data),
            "rows": int(data.X.shape[0]),
            "learning_rate": args.learning_rate,
            "max_epochs": args.max_epochs,
            "mode": args.mode,
            "seed": args.seed,
            "epochs_run": len(epochs),
        }
        figures = {"errors": epochs[-1]["errors"], "rmse": epochs[-1]["rmse"]}
        save(
            perceptron,
            args.out,
            {
                "features": data.feature_names,
                "target": data.target_name,
                "training": settings,
                "figures": figures,
            },
        )
    if args.json:
        _print_json(
            {
                "features": data.feature_names,
                "classes": perceptron.classes_,
                "converged": perceptron.converged,
                "message": perceptron.message,
                "epochs": epochs,
            }
        )
        return 0
    digits = 4
    rows = [("epoch", "weights", "bias", "errors", "RMSE")] + [
        (
            str(e["epoch"]),
            format_number(np.array(e["weights"]), digits),
            "-" if e["bias"] is None else format_number(e["bias"], digits),
            str(e["errors"]),
            f"{e['rmse']:.4f}",
        )
        for e in epochs
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    print(
        f"perceptron on {args.data}: features {data.feature_names[:10]}, "
        f"classes {perceptron.classes_.tolist()}"
    )
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    print(perceptron.message)
    if args.out:
        print(f"saved {args.out}")
    return 0


def _confusion(truth: np.ndarray, predicted: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """counts[i, j]: rows of true class i predicted as class j."""
    k = len(classes)
    pairs = np.searchsorted(classes, truth) * k + np.searchsorted(classes, predicted)
    return np.bincount(pairs, minlength=k * k).reshape(k, k)


def run_evaluate(args: argparse.Namespace) -> int:
    """``glassnet evaluate``: loss and metrics, and a confusion matrix for classes.

    Example:
        >>> main(["evaluate", "iris.glassnet", "iris.csv", "--json"])  # doctest: +SKIP
        0
    """
    model_file = read(args.model)
    model = model_file.model
    data = _read_rows(args, model_file, need_target=True)
    classes = _labels(model)
    _known_labels(data, classes)
    if isinstance(model, Network):
        figures = model.evaluate(data.X, data.y)
    else:
        figures = {"accuracy": float(np.mean(_by_blocks(model.predict, data.X) == data.y))}
    result: dict[str, Any] = {
        "model": args.model,
        "data": args.data,
        "rows": int(data.X.shape[0]),
        **_finite(figures),
    }
    if classes is not None:
        counts = _confusion(data.y, _by_blocks(model.predict, data.X), classes)
        result["confusion_matrix"] = {"labels": classes.tolist(), "counts": counts.tolist()}
    if args.json:
        _print_json(result)
        return 0
    print(f"{args.model} on {args.data} ({result['rows']} rows)")
    width = max(map(len, figures))
    for name, value in figures.items():
        print(f"{name.ljust(width)}  {value:.6g}")
    if classes is not None:
        labels = [str(label) for label in classes.tolist()]
        print("\nconfusion matrix (rows: true class, columns: predicted class)")
        cells = [["", *labels]] + [
            [label, *map(str, row)] for label, row in zip(labels, counts.tolist(), strict=True)
        ]
        widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
        for row in cells:
            print(
                "  ".join(
                    cell.rjust(w) if i else cell.ljust(w)
                    for i, (cell, w) in enumerate(zip(row, widths, strict=True))
                )
            )
    return 0


def run_predict(args: argparse.Namespace) -> int:
    """``glassnet predict``: one CSV row of predictions per data row, labels as trained.

    Example:
        >>> main(["predict", "iris.glassnet", "new.csv", "--proba"])  # doctest: +SKIP
        0
    """
    _check_distinct({"the model file": args.model, "the data file": args.data}, {"--out": args.out})
    model_file = read(args.model)
    model = model_file.model
    classes = _labels(model)
    if args.proba and (classes is None or isinstance(model, Perceptron)):
        raise UsageError("--proba needs a classifier network; this model predicts values")
    if args.out:
        _check_writable(args.out)
    data = _read_rows(args, model_file, need_target=False)
    name = model_file.metadata.get("target") or "prediction"
    predictions = _by_blocks(model.predict, data.X)
    if predictions.ndim == 2:
        header = (
            [name]
            if predictions.shape[1] == 1
            else [f"{name}[{i}]" for i in range(predictions.shape[1])]
        )
        columns = [predictions[:, i] for i in range(predictions.shape[1])]
    else:
        header, columns = [name], [predictions]
    if args.proba:
        probabilities = _by_blocks(model.predict_proba, data.X)
        header += [f"P({label})" for label in classes.tolist()]
        columns += [probabilities[:, i] for i in range(len(classes))]
    if args.out:
        _write_atomically(args.out, lambda handle: _write_table(handle, header, columns))
    else:
        _write_table(sys.stdout, header, columns)
    return 0


def _fewer_names(message: str, names: list[str], shown: int = 12) -> str:
    """Trace.check's message for an unknown name, its list of every name cut to ``shown``.

    A network's trace has dozens of names; the text output of the trace shows them all.
    """
    head, listed, rest = message.partition("; it has: ")
    every = ", ".join(names)
    if not listed or not rest.startswith(every) or len(names) <= shown:
        return message
    return (
        f"{head}; it has {len(names)} names: {', '.join(names[:shown])}, ...; the text "
        f"output of 'glassnet trace' lists them all{rest[len(every) :]}"
    )


def run_trace(args: argparse.Namespace) -> int:
    """``glassnet trace``: every number of one gradient-descent step on one data row.

    Runs on a copy of the model; with ``--check NAME=VALUE`` it marks hand-worked values.

    Example:
        >>> main(["trace", "iris.glassnet", "iris.csv", "--row", "3"])  # doctest: +SKIP
        0
    """
    model_file = read(args.model)
    network = model_file.model
    if not isinstance(network, Network):
        raise DataError(
            f"{args.model} holds a perceptron, whose rule is not gradient descent: "
            "'glassnet perceptron' prints its epoch table"
        )
    data = _read_rows(args, model_file, need_target=True)
    _known_labels(data, network.classes)
    n = data.X.shape[0]
    if args.row > n:
        raise UsageError(f"--row {args.row} is past the end: {args.data} has {n} data rows")
    network = network.copy()
    x, y = data.X[args.row - 1 : args.row], data.y[args.row - 1 : args.row]
    line = data.line(args.row - 1)
    note = f"one gradient-descent step on data row {args.row} of {args.data} (line {line})"
    if isinstance(network.layers[0], Standardize):
        # The trace starts at the first Dense layer, so it shows x as that layer sees it.
        x = network.layers.pop(0).forward(x)
        note += "; x is the row standardized with the training means and scales"
    trace = network.trace(x, y, learning_rate=args.learning_rate)
    report = None
    if args.check:
        try:
            report = trace.check(dict(args.check), args.tolerance)
        except (KeyError, ValueError) as error:
            message = _fewer_names(str(error).strip(chr(34)), trace.names())
            raise UsageError(f"--check: {message}") from None
    if args.format == "json":
        result = {"row": args.row, "note": note, **trace.to_dict()}
        if report is not None:
            result["check"] = report.to_dict()
        _print_json(result)
        return 0
    if args.format == "markdown":
        print(f"*{note}*\n")
        print(trace.to_markdown(digits=args.digits))
    else:
        print(note + "\n")
        print(trace.to_text(digits=args.digits))
    if report is not None:
        print("\nyour values:")
        print(report)
    return 0


def run_info(args: argparse.Namespace) -> int:
    """``glassnet info``: the layers, how the model was trained and its final figures.

    Example:
        >>> main(["info", "iris.glassnet", "--json"])  # doctest: +SKIP
        0
    """
    model_file = read(args.model)
    model, metadata = model_file.model, model_file.metadata
    if isinstance(model, Network):
        description = model.config()
        summary = model.summary()
    else:
        description = {
            "n_inputs": model.n_inputs,
            "activation": model.activation.name,
            "weights": model.weights.tolist(),
            "bias": model.bias,
            "converged": model.converged,
            "message": model.message,
        }
        summary = repr(model)
    classes = _labels(model)
    if args.json:
        _print_json(
            {
                "model": args.model,
                "kind": type(model).__name__,
                "format_version": model_file.format_version,
                "glassnet_version": model_file.glassnet_version,
                "classes": None if classes is None else classes.tolist(),
                "architecture": description,
                "metadata": metadata,
            }
        )
        return 0
    print(
        f"{args.model}: a glassnet {type(model).__name__} (model format "
        f"{model_file.format_version}, written by glassnet {model_file.glassnet_version})"
    )
    print(summary)
    if metadata.get("features") is not None:
        print(f"features ({len(metadata['features'])}): {', '.join(metadata['features'])}")
    if metadata.get("target") is not None:
        print(f"target: {metadata['target']}")
    if classes is not None:
        print(f"classes: {', '.join(map(str, classes.tolist()))}")
    training = metadata.get("training")
    if isinstance(training, dict):
        print(
            "trained with: "
            + ", ".join(
                f"{key} {value}" for key, value in training.items() if value not in (None, "", [])
            )
        )
    figures = metadata.get("figures")
    if isinstance(figures, dict) and figures:
        if all(isinstance(value, dict) for value in figures.values()):
            print(
                _figures_table(
                    {
                        k: {n: (math.nan if v is None else v) for n, v in f.items()}
                        for k, f in figures.items()
                    }
                )
            )
        else:
            print("figures: " + ", ".join(f"{k} {v}" for k, v in figures.items()))
    return 0


# ---------------------------------------------------------------------- the parser
def _command(commands, name: str, handler: Callable, help: str, example: str) -> _Parser:
    parser = commands.add_parser(
        name, help=help, description=help[0].upper() + help[1:] + ".", epilog=f"Example: {example}"
    )
    parser.set_defaults(handler=handler)
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The parser of every subcommand; each sets ``handler`` to its ``run_NAME`` function.

    Example:
        >>> build_parser().parse_args(["info", "m.glassnet"]).handler.__name__
        'run_info'
    """
    parser = _Parser(
        prog="glassnet",
        description="Neural networks that hide nothing: every number of a forward and "
        "backward pass, traced.",
        epilog="Example: glassnet demo neuron",
    )
    parser.add_argument("--version", action="version", version=f"glassnet {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    demo = commands.add_parser(
        "demo",
        help="reproduce the tutorials as worked examples",
        description="Reproduce the tutorials glassnet grew from, every number printed: "
        + ", ".join(DEMOS)
        + ". With no NAME, all of them.",
        epilog="Example: glassnet demo perceptron-or --json",
    )
    demo.add_argument(
        "name", nargs="?", choices=list(DEMOS), metavar="NAME", help="one of: " + ", ".join(DEMOS)
    )
    demo.add_argument("--json", action="store_true", help="print the figures as JSON")
    demo.add_argument("--pictures", metavar="DIR",
                      help="where the pictures go (default glassnet-demo; drawn when all "
                      "demos run or this is given; needs the plot extra)")  # fmt: skip
    demo.set_defaults(handler=run_demo_command)

    picture = _command(commands, "plot", run_plot,
                       "draw decision regions, a loss curve, a network or a training GIF",
                       "glassnet plot boundary --model iris.glassnet --data iris.csv "
                       "--features 0,2 --out iris.png")  # fmt: skip
    picture.add_argument("kind", choices=["boundary", "loss", "network", "animation"],
                         help="boundary: decision regions; loss: per epoch; network: neurons "
                         "and weights; animation: a GIF of the regions while training")  # fmt: skip
    picture.add_argument("--model", metavar="MODEL", help="a model file")
    picture.add_argument("--example", choices=["or", "xor", "spirals"],
                         help="a built-in example trained on the spot: or (tutorial 002's "
                         "perceptron), xor (2-4-1), spirals (2-32-32-3)")  # fmt: skip
    picture.add_argument("--data", metavar="DATA.csv",
                         help="boundary, animation: the rows drawn (with --model)")  # fmt: skip
    picture.add_argument("--target", metavar="COLUMN",
                         help="the target column, if the model file does not name it")  # fmt: skip
    picture.add_argument("--history", metavar="LOG.csv",
                         help="loss: a training log as glassnet.CSVLogger writes it")  # fmt: skip
    picture.add_argument("--features", type=column_pair, metavar="I,J",
                         help="boundary, animation: the two columns drawn, from 0")  # fmt: skip
    picture.add_argument("--x", type=numbers, metavar="X1,X2,...",
                         help="network: one sample, whose z and a label the neurons")  # fmt: skip
    picture.add_argument("--metric", help="loss: also draw this metric, e.g. accuracy")
    picture.add_argument("--log", action="store_true", help="loss: a logarithmic loss axis")
    picture.add_argument("--epochs", type=count, help="animation: epochs to train")
    picture.add_argument("--learning-rate", type=positive_number, metavar="RATE",
                         help="animation: a network's learning rate")  # fmt: skip
    picture.add_argument("--out", required=True, metavar="PATH",
                         help="the picture: .png, .svg, .pdf (.gif: animation)")  # fmt: skip

    train = _command(
        commands,
        "train",
        run_train,
        "train a network on a CSV file and save it",
        "glassnet train iris.csv --target species --hidden 8 --standardize --out iris.glassnet",
    )
    train.add_argument("data", metavar="DATA.csv", help="a CSV file with a header row")
    train.add_argument("--target", required=True, metavar="COLUMN", help="the column to predict")
    train.add_argument("--out", required=True, metavar="MODEL", help="where to save the model")
    train.add_argument(
        "--task",
        choices=["auto", "classification", "regression"],
        default="auto",
        help=f"auto: text labels or at most {MAX_INTEGER_CLASSES} distinct integers are classes",
    )
    train.add_argument(
        "--hidden",
        type=hidden_sizes,
        default=(16,),
        metavar="SIZES",
        help="neurons per hidden layer, e.g. 16,8 (default 16; 0 for none)",
    )
    train.add_argument(
        "--activation",
        choices=HIDDEN_ACTIVATIONS,
        default="relu",
        help="hidden layers' activation (default relu)",
    )
    train.add_argument(
        "--dropout",
        type=fraction,
        default=0.0,
        metavar="RATE",
        help="dropout after each hidden layer (default 0)",
    )
    train.add_argument(
        "--loss",
        choices=["auto", "mse", "half_sse", "crossentropy", "binary_crossentropy"],
        default="auto",
        help="auto: crossentropy for classes (binary for two), mse for values",
    )
    train.add_argument(
        "--optimizer", choices=sorted(OPTIMIZERS), default="adam", help="default adam"
    )
    train.add_argument(
        "--learning-rate", type=positive_number, default=0.01, metavar="RATE", help="default 0.01"
    )
    train.add_argument("--epochs", type=count, default=100, help="default 100")
    train.add_argument(
        "--batch-size", type=count, default=32, metavar="ROWS", help="rows per update (default 32)"
    )
    train.add_argument(
        "--validation-split",
        type=fraction,
        default=0.2,
        metavar="SHARE",
        help="share of rows held out to validate (default 0.2)",
    )
    train.add_argument(
        "--early-stopping",
        type=lambda t: count(t, 0),
        metavar="PATIENCE",
        help="stop when the validation loss has not improved for PATIENCE "
        "epochs, keeping the best weights",
    )
    train.add_argument(
        "--log",
        metavar="FILE.csv",
        help="write the loss and metrics of every epoch to a CSV file",
    )
    train.add_argument(
        "--standardize",
        action="store_true",
        help="scale each feature to mean 0 and standard deviation 1 (saved "
        "with the model and applied to new data)",
    )
    train.add_argument(
        "--seed",
        type=lambda t: count(t, 0),
        default=0,
        help="seeds the starting weights, the split and the batch order",
    )
    train.add_argument(
        "--dtype",
        choices=["float64", "float32"],
        default="float64",
        help="float32 halves the memory and is faster",
    )
    train.add_argument("--quiet", action="store_true", help="no progress while training")

    perceptron = _command(
        commands,
        "perceptron",
        run_perceptron,
        "train a Rosenblatt perceptron and print its epoch table",
        "glassnet perceptron or.csv --target y --learning-rate 0.1",
    )
    perceptron.add_argument("data", metavar="DATA.csv", help="a CSV file with a header row")
    perceptron.add_argument(
        "--target", required=True, metavar="COLUMN", help="the column to predict (two classes)"
    )
    perceptron.add_argument(
        "--learning-rate", type=positive_number, default=0.1, metavar="RATE", help="default 0.1"
    )
    perceptron.add_argument("--max-epochs", type=count, default=100, help="default 100")
    perceptron.add_argument(
        "--mode",
        choices=["batch", "online"],
        default="batch",
        help="batch: one update per epoch; online: one per row",
    )
    perceptron.add_argument("--activation", choices=["step", "sign"], default="step")
    perceptron.add_argument("--no-bias", action="store_true", help="no bias term")
    perceptron.add_argument(
        "--shuffle", action="store_true", help="online mode: a new row order each epoch"
    )
    perceptron.add_argument(
        "--seed", type=lambda t: count(t, 0), default=0, help="seeds the starting weights"
    )
    perceptron.add_argument("--out", metavar="MODEL", help="save the perceptron")
    perceptron.add_argument("--json", action="store_true", help="print the table as JSON")

    evaluate = _command(
        commands,
        "evaluate",
        run_evaluate,
        "the loss and metrics of a saved model on a CSV file",
        "glassnet evaluate iris.glassnet iris.csv",
    )
    predict = _command(
        commands,
        "predict",
        run_predict,
        "one prediction per row of a CSV file, as CSV",
        "glassnet predict iris.glassnet new.csv --proba --out predictions.csv",
    )
    trace = _command(
        commands,
        "trace",
        run_trace,
        "the worked example of one training step on one row",
        "glassnet trace iris.glassnet iris.csv --row 3 --format markdown",
    )
    for command in (evaluate, predict, trace):
        command.add_argument("model", metavar="MODEL", help="a model file")
        command.add_argument(
            "data",
            metavar="DATA.csv",
            help="a CSV file; columns are matched to the model's by name",
        )
        command.add_argument(
            "--target",
            metavar="COLUMN",
            help="the target column, if the model file does not name it",
        )
    evaluate.add_argument("--json", action="store_true", help="print the figures as JSON")
    predict.add_argument("--proba", action="store_true", help="add each class's probability")
    predict.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    trace.add_argument(
        "--row",
        type=count,
        default=1,
        metavar="N",
        help="the data row to trace, counting from 1 after the header",
    )
    trace.add_argument("--format", choices=["text", "markdown", "json"], default="text")
    trace.add_argument(
        "--learning-rate",
        type=positive_number,
        default=0.1,
        metavar="RATE",
        help="the step's learning rate (default 0.1)",
    )
    trace.add_argument(
        "--digits",
        type=count,
        default=None,
        help="significant digits shown (default: full precision)",
    )
    trace.add_argument(
        "--check",
        type=check_value,
        action="append",
        metavar="NAME=VALUE",
        help="a value worked by hand, marked right or wrong (repeatable)",
    )
    trace.add_argument(
        "--tolerance",
        type=fraction,
        default=0.01,
        help="relative tolerance of --check (default 0.01)",
    )

    info = _command(
        commands,
        "info",
        run_info,
        "what a model file holds: layers, how it was trained, its figures",
        "glassnet info iris.glassnet",
    )
    info.add_argument("model", metavar="MODEL", help="a model file")
    info.add_argument("--json", action="store_true", help="print it as JSON")

    def run_playground(args: argparse.Namespace) -> int:
        # Imported here: the web server's modules load only for this command.
        from glassnet.playground.server import serve

        serve(args.port, open_browser=args.open)
        return 0

    playground = _command(
        commands,
        "playground",
        run_playground,
        "a local web page that trains a network live and shows the maths of every neuron",
        "glassnet playground --open",
    )
    playground.add_argument(
        "--port",
        type=lambda t: count(t, 0),
        default=0,
        help="port on 127.0.0.1 (default 0: any free port, printed on start)",
    )
    playground.add_argument("--open", action="store_true", help="open the page in a browser")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0, 1 data error, 2 usage error,
    130 interrupted, 141 the reader of the output closed it early, as ``| head`` does).

    Example:
        >>> main(["train", "data.csv", "--target", "y", "--epochs", "0", "--out", "m"])
        2
    """
    try:
        args = build_parser().parse_args(argv)
        return args.handler(args)
    except UsageError as error:
        print(f"glassnet: error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader of the output (head, less) has gone. Stop quietly with the code of a
        # program ended by SIGPIPE (128 + 13); the rest of stdout goes to devnull, so
        # flushing it when Python exits does not fail again.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except (ValueError, OSError) as error:
        print(f"glassnet: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("glassnet: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
