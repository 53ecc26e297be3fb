"""``glassnet demo`` and ``glassnet plot``: the tutorials' worked examples and the pictures.

Pictures need matplotlib (the ``plot`` extra); it is imported only when one is drawn, and
then with its file-only backend (Agg), so the command line never opens a window.
``--quiet`` draws the same pictures and says nothing of them; ``--verbose`` names each file
(and its size, for ``plot``).

Example:
    >>> from glassnet.cli.main import main
    >>> main(["plot", "boundary", "--example", "xor", "--out", "xor.png"])  # doctest: +SKIP
    wrote xor.png
    0
"""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from glassnet.cli.errors import UsageError, reported_as_command_error
from glassnet.cli.files import check_distinct
from glassnet.cli.rows import (
    check_known_labels,
    chosen_row,
    model_classes,
    read_csv,
    read_rows,
    target_values,
)
from glassnet.datasets import DataError
from glassnet.engine.callbacks import History
from glassnet.engine.network import Network
from glassnet.engine.perceptron import Perceptron
from glassnet.glassbox.tutorials import DEMOS, run_demo
from glassnet.modelfile import read

__all__ = ["PICTURE_KINDS", "run_demo_command", "run_plot"]

PICTURE_KINDS = ("boundary", "loss", "network", "animation", "graph")


def _plot_module():
    """glassnet.plot drawing to files only (matplotlib's Agg), or None without matplotlib."""
    try:
        import matplotlib
    except ImportError:
        return None
    matplotlib.use("Agg")
    from glassnet import plot

    return plot


def run_demo_command(args: argparse.Namespace) -> int:
    """``glassnet demo``: the tutorials' worked examples, every number printed (or as JSON).

    With every demo, or with ``--pictures``, it also draws their pictures.

    Example:
        >>> from glassnet.cli.main import main
        >>> main(["demo", "neuron", "--format", "json"])  # doctest: +ELLIPSIS
        {
          "neuron": {
            "z": 0.11,
        ...
        0
    """
    if args.format == "json" and args.pictures:
        raise UsageError("--pictures goes with the text output; leave out --format json")
    folder = args.pictures or "glassnet-demo"
    drawn = args.format != "json" and (args.pictures or not args.name)
    if drawn and os.path.exists(folder) and not os.path.isdir(folder):  # before the demos run
        raise UsageError(f"--pictures {folder} is a file, not a folder: give a folder for them")
    names = [args.name] if args.name else list(DEMOS)
    demos = [run_demo(name, args.decimals) for name in names]
    if args.format == "json":
        print(json.dumps({demo.name: demo.numbers for demo in demos}, indent=2))
        return 0
    for index, demo in enumerate(demos):
        if index:
            print("\n")
        print(demo)
    if args.name and not args.pictures:
        return 0
    plot = _plot_module()
    if plot is None:
        if not args.quiet:
            print("\nPictures: not drawn, they need matplotlib: pip install 'glassnet[plot]'")
        return 0
    with reported_as_command_error():
        paths = plot.save_demo_pictures(folder)
    if args.verbose:
        print(f"\nPictures written to {folder}:\n" + "\n".join(str(path) for path in paths))
    elif not args.quiet:
        written = ", ".join(os.path.basename(path) for path in paths)
        print(f"\nPictures ({written}) written to {folder}")
    return 0


def _history_from_log(args: argparse.Namespace, path: str) -> History:
    """A History from the CSV log of a training run (glassnet.CSVLogger's columns)."""
    try:
        log = read_csv(args, path)
    except DataError as error:  # the reader's words are about features: these are figures
        raise DataError(
            str(error).replace("feature columns must be", "a log's columns are")
        ) from None
    for needed in ("epoch", "loss"):
        if needed not in log.feature_names:
            raise DataError(
                f"{path}: no {needed!r} column; expected a training log as glassnet.CSVLogger "
                f"writes it, got the columns {log.feature_names}"
            )
    epochs = log.X[:, log.feature_names.index("epoch")]
    wrong = np.flatnonzero((epochs != np.round(epochs)) | (epochs < 1))
    if len(wrong) == 0:
        wrong = np.flatnonzero(np.diff(epochs) <= 0) + 1
    if len(wrong):  # a cut, an edit, or two runs appended into one file
        row = int(wrong[0])
        raise DataError(
            f"{path}: row {log.line(row)}, column 'epoch': {epochs[row]:g} does not follow on; "
            "a log's epochs are whole numbers from 1 that go up"
        )
    history = History()
    for name, values in zip(log.feature_names, log.X.T, strict=True):
        if name == "epoch":
            history.epochs = values.astype(int).tolist()
        else:
            history.history[name] = values.tolist()
    return history


def _check_sources(args: argparse.Namespace) -> None:
    """Refuse, before any work, a picture with no source, two, or one it cannot draw."""
    given = [flag for flag, value in (("--model", args.model), ("--example", args.example),
                                      ("--history", args.history)) if value]  # fmt: skip
    if len(given) != 1:
        raise UsageError("give one of --model FILE, --example NAME (or --history LOG.csv)")
    if args.history and args.kind != "loss":
        raise UsageError("--history LOG.csv is for 'glassnet plot loss'")
    check_distinct(
        {"the model file": args.model, "the data file": args.data, "the log": args.history},
        {"--out": args.out},
    )
    if args.model and args.kind == "loss":
        raise UsageError(
            "a model file keeps no per-epoch losses: draw the CSV log of its training with "
            "--history LOG.csv (glassnet.CSVLogger writes one)"
        )


@dataclass
class _Subject:
    """What a picture draws: the model, the rows drawn with it, how an animation trains it."""

    model: Network | Perceptron | None = None
    X: np.ndarray | None = None
    y: np.ndarray | None = None
    feature_names: list[str] | None = None
    epochs: int = 100
    fit_options: dict[str, Any] = field(default_factory=dict)


def _subject(args: argparse.Namespace, plot) -> _Subject:
    """The model of ``--example`` or ``--model`` (with the rows of ``--data``), or none."""
    subject = _Subject(epochs=args.epochs or 100)
    if args.example:
        with reported_as_command_error():
            example = plot.example(args.example, train=args.kind != "animation")
        subject = _Subject(example.model, example.X, example.y, None,
                           args.epochs or example.epochs, dict(example.fit_options))  # fmt: skip
    elif args.model:
        model_file = read(args.model)
        subject.model = model_file.model
        if args.kind in ("boundary", "animation"):
            if not args.data:
                raise UsageError(f"'glassnet plot {args.kind}' with a model file needs --data CSV")
            data = read_rows(args, model_file, need_target=True)
            check_known_labels(data, model_classes(subject.model))
            names = data.feature_names
            if args.features is None and len(names) > 2:
                raise DataError(
                    f"{args.data}: {len(names)} feature columns ({', '.join(names[:10])}); "
                    "choose the two to draw with --features I,J, for example --features 0,1 "
                    "(counting from 0; the others are held at their mean)"
                )
            subject.X, subject.y, subject.feature_names = data.X, data.y, names
    if args.learning_rate is not None:
        subject.fit_options["learning_rate"] = args.learning_rate
    return subject


def _check_columns(args: argparse.Namespace, n_inputs: int, names: list[str] | None) -> None:
    """Refuse ``--features`` or ``--x`` that do not fit the model's inputs, naming the option."""
    columns = ", ".join(f"{index}: {name}" for index, name in enumerate((names or [])[:10]))
    known = f" ({columns})" if columns else ""
    if args.features is not None and (
        len(set(args.features)) != 2 or not all(0 <= i < n_inputs for i in args.features)
    ):
        raise UsageError(
            f"--features {','.join(map(str, args.features))}: give two different column "
            f"numbers from 0 to {n_inputs - 1}; the model has {n_inputs} inputs{known}"
        )
    if args.x is not None and len(args.x) != n_inputs:
        raise UsageError(
            f"--x gives {len(args.x)} value{'s' * (len(args.x) != 1)}; the model takes "
            f"{n_inputs} inputs{known}"
        )


def _draw(args: argparse.Namespace, plot, subject: _Subject) -> None:
    """Draw the picture ``args.kind`` names and write it to ``args.out``."""
    model, X, y, names = subject.model, subject.X, subject.y, subject.feature_names
    if args.kind == "animation":
        fit_options = subject.fit_options
        if isinstance(model, Perceptron):
            fit_options.pop("learning_rate", None)  # a perceptron keeps its own rate
        plot.training_animation(model, X, y, args.out, epochs=subject.epochs,
                                features=args.features, feature_names=names,
                                **fit_options)  # fmt: skip
        return
    if args.kind == "boundary":
        picture = plot.decision_boundary(model, X, y, features=args.features, feature_names=names)
    elif args.kind == "loss":
        source = _history_from_log(args, args.history) if args.history else model
        picture = plot.loss_curve(source, metric=args.metric, log=args.log_scale)
    elif isinstance(model, Network):
        picture = plot.network_diagram(model, x=args.x)
    else:
        raise UsageError("'glassnet plot network' draws a Network; this is a Perceptron")
    plot.save(picture, args.out)


def _draw_graph(args: argparse.Namespace, plot) -> None:
    """``glassnet plot graph``: one data row's computation graph through a model, each node
    with its value and gradient (a training step's, traced on a copy)."""
    if not (args.model and args.data) or args.example or args.history:
        raise UsageError(
            "'glassnet plot graph' draws one data row through a model: give --model FILE "
            "--data CSV (and --row N, counting from 0)"
        )
    check_distinct({"the model file": args.model, "the data file": args.data},
                   {"--out": args.out})  # fmt: skip
    model_file = read(args.model)
    network = model_file.model
    if not isinstance(network, Network):
        raise UsageError("'glassnet plot graph' draws a Network; this is a Perceptron")
    data = read_rows(args, model_file, need_target=True)
    check_known_labels(data, network.classes)
    row = chosen_row(args.row or 0, data)
    trace = network.trace(data.X[row : row + 1], target_values(data)[row : row + 1])
    with reported_as_command_error():
        plot.computation_graph(trace, args.out)


def run_plot(args: argparse.Namespace) -> int:
    """``glassnet plot KIND``: decision regions, a loss curve, a network or a training GIF.

    The model comes from a file (``--model``), a built-in example (``--example``) or, for a
    loss curve, a training log (``--history``).

    Example:
        >>> from glassnet.cli.main import main
        >>> main(["plot", "network", "--example", "xor", "--out", "net.png"])  # doctest: +SKIP
        wrote net.png
        0
    """
    plot = _plot_module()
    if plot is None:
        raise UsageError("pictures need matplotlib: pip install 'glassnet[plot]'")
    if args.kind == "graph":
        _draw_graph(args, plot)
    else:
        if args.row is not None:
            raise UsageError("--row N is for 'glassnet plot graph'")
        _check_sources(args)
        with reported_as_command_error():  # before an example or an animation trains
            plot.figures.check_picture_path(args.out, animation=args.kind == "animation")
        subject = _subject(args, plot)
        if subject.model is not None:
            names = subject.feature_names or getattr(subject.model, "feature_names", None)
            _check_columns(args, subject.model.n_inputs, names)
        # The plotting functions check what the user chose (the columns, the metric, the
        # file name and its format) and say what is wrong in one line.
        with reported_as_command_error():
            _draw(args, plot, subject)
    if args.verbose and os.path.isfile(args.out):
        print(f"wrote {args.out} ({os.path.getsize(args.out):,} bytes)")
    elif not args.quiet:
        print(f"wrote {args.out}")
    return 0
