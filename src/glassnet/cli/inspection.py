"""The commands that open a saved model: ``evaluate``, ``predict``, ``trace`` and ``info``.

(Named ``inspection`` rather than ``inspect``, which would read as the standard library's.)
``--quiet`` leaves the results alone (no heading, no note); ``--verbose`` adds what was
read and the model's layers (``info``: the diagnostics its file keeps).

Example:
    >>> from glassnet.cli.main import main
    >>> main(["evaluate", "iris.glassnet", "iris.csv", "--format", "json"])  # doctest: +SKIP
    0
"""

from __future__ import annotations

import argparse
import math
import sys
import warnings
from typing import Any

import numpy as np

from glassnet.cli.errors import UsageError
from glassnet.cli.files import check_distinct, check_writable, write_columns, write_text
from glassnet.cli.output import finite_values, metrics_table, print_json
from glassnet.cli.rows import (
    by_blocks,
    check_known_labels,
    checked_loss,
    checked_outputs,
    chosen_row,
    model_classes,
    read_rows,
    target_values,
)
from glassnet.datasets import DataError
from glassnet.engine.network import Network
from glassnet.engine.optimizers import OPTIMIZERS
from glassnet.engine.perceptron import Perceptron
from glassnet.glassbox.notebook import notebook_json
from glassnet.modelfile import ModelFile, read
from glassnet.text import table

__all__ = ["MAX_CONFUSION_CLASSES", "run_evaluate", "run_info", "run_predict", "run_trace"]

# A confusion matrix of more classes than this is not printed whole (5,000 classes would be
# 270 MB of text): its largest confusions are, and --format json keeps every count.
MAX_CONFUSION_CLASSES = 20


def _confusion(truth: np.ndarray, predicted: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """counts[i, j]: rows of true class i predicted as class j."""
    k = len(classes)
    pairs = np.searchsorted(classes, truth) * k + np.searchsorted(classes, predicted)
    return np.bincount(pairs, minlength=k * k).reshape(k, k)


def _confusion_table(classes: np.ndarray, counts: np.ndarray) -> str:
    k = len(classes)
    if k > MAX_CONFUSION_CLASSES:
        return _largest_confusions(classes, counts)
    labels = [str(label) for label in classes.tolist()]
    rows = [["", *labels]]
    rows += [[label, *map(str, row)] for label, row in zip(labels, counts.tolist(), strict=True)]
    return "confusion matrix (rows: true class, columns: predicted class)\n" + table(
        rows, align="lr"
    )


def _largest_confusions(classes: np.ndarray, counts: np.ndarray, shown: int = 20) -> str:
    """The ``shown`` largest off-diagonal counts of a matrix too large to print."""
    k = len(classes)
    wrong = counts.copy()
    wrong[np.arange(k), np.arange(k)] = 0
    flat = wrong.ravel()
    some = np.argpartition(flat, -shown)[-shown:] if flat.size > shown else np.arange(flat.size)
    top = [int(i) for i in some[np.argsort(-flat[some], kind="stable")] if flat[i] > 0]
    rows = [["true class", "predicted as", "rows"]]
    rows += [[str(classes[i // k]), str(classes[i % k]), str(int(flat[i]))] for i in top]
    right = int(np.trace(counts))
    heading = (
        f"confusion matrix: {k:,} classes, too many to print; {right:,} of {int(counts.sum()):,}"
        f" rows are right; the {len(top)} largest confusions (--format json has every count):"
    )
    return heading + ("\n" + table(rows, align="llr") if top else "")


def run_evaluate(args: argparse.Namespace) -> int:
    """``glassnet evaluate``: loss and metrics, and a confusion matrix for classes.

    Example:
        >>> from glassnet.cli.main import main
        >>> main(["evaluate", "iris.glassnet", "iris.csv", "--format", "json"])  # doctest: +SKIP
        0
    """
    model_file = read(args.model)
    model = model_file.model
    data = read_rows(args, model_file, need_target=True)
    classes = model_classes(model)
    check_known_labels(data, classes)
    outputs = checked_outputs(model, data, args.allow_nonfinite)
    y = target_values(data)
    if isinstance(model, Network):
        metrics = model.evaluate(data.X, y)
        if not args.allow_nonfinite:
            checked_loss(model, data, y, metrics["loss"])
        predicted = outputs if model.targets is None else model.targets.decode(outputs)
    else:
        predicted = by_blocks(model.predict, data.X)
        metrics = {"accuracy": float(np.mean(predicted == y))}
    result: dict[str, Any] = {
        "model": args.model,
        "data": data.path,
        "rows": int(data.X.shape[0]),
        **finite_values(metrics),
    }
    if classes is not None:
        counts = _confusion(y, predicted, classes)
        result["confusion_matrix"] = {"labels": classes.tolist(), "counts": counts}
    if args.format == "json":
        print_json(result)
        return 0
    if args.verbose:
        print(model.summary() if isinstance(model, Network) else repr(model))
    if not args.quiet:
        print(f"{args.model} on {data.path} ({result['rows']} rows)")
    print(table([[name, f"{value:.6g}"] for name, value in metrics.items()]))
    if classes is not None:
        print("\n" + _confusion_table(classes, counts))
    return 0


def _prediction_columns(
    model: Network | Perceptron, data, name: str, args: argparse.Namespace
) -> tuple[list[str], list[np.ndarray]]:
    """(header, columns): one column per output (or the label), then P(label) per class."""
    X, proba = data.X, args.proba
    outputs = checked_outputs(model, data, args.allow_nonfinite)
    if isinstance(model, Perceptron):
        predictions = by_blocks(model.predict, X)
    else:
        predictions = outputs if model.targets is None else model.targets.decode(outputs)
    if predictions.ndim == 2:
        width = predictions.shape[1]
        header = [name] if width == 1 else [f"{name}[{i}]" for i in range(width)]
        columns = [predictions[:, i] for i in range(width)]
    else:
        header, columns = [name], [predictions]
    classes = model_classes(model)
    if proba and isinstance(model, Network) and classes is not None:  # run_predict checked it
        probabilities = by_blocks(model.predict_proba, X)
        header += [f"P({label})" for label in classes.tolist()]
        columns += [probabilities[:, i] for i in range(len(classes))]
    return header, columns


def run_predict(args: argparse.Namespace) -> int:
    """``glassnet predict``: one CSV row of predictions per data row, labels as trained.

    Printed on standard output, the rows have their control characters escaped, as all
    that glassnet prints; ``--out FILE`` (or ``--out -``) writes them exactly as they are.
    A row whose output is not finite stops the command, unless ``--allow-nonfinite``.

    Example:
        >>> from glassnet.cli.main import main
        >>> main(["predict", "iris.glassnet", "new.csv", "--proba"])  # doctest: +SKIP
        0
    """
    check_distinct({"the model file": args.model, "the data file": args.data}, {"--out": args.out})
    model_file = read(args.model)
    model = model_file.model
    if args.proba and (model_classes(model) is None or isinstance(model, Perceptron)):
        raise UsageError("--proba needs a classifier network; this model predicts values")
    if args.out:
        check_writable(args.out)
    data = read_rows(args, model_file, need_target=False)
    name = model_file.metadata.get("target") or "prediction"
    header, columns = _prediction_columns(model, data, name, args)
    if args.out:
        write_text(args.out, lambda handle: write_columns(handle, header, columns))
    else:
        write_columns(sys.stdout, header, columns)
    if args.verbose:
        where = "standard output" if not args.out or args.out == "-" else args.out
        print(f"glassnet: predicted {len(columns[0])} rows, {len(header)} columns "
              f"({', '.join(header[:10])}), to {where}", file=sys.stderr)  # fmt: skip
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


def _traced_network(args: argparse.Namespace):
    """(the network, the row's x and y, the note on them, how the model was trained)."""
    model_file = read(args.model)
    network = model_file.model
    if not isinstance(network, Network):
        raise DataError(
            f"{args.model} holds a perceptron, whose rule is not gradient descent: "
            "'glassnet perceptron' prints its epoch table"
        )
    data = read_rows(args, model_file, need_target=True)
    check_known_labels(data, network.classes)
    chosen_row(args.row, data)
    x, y = data.X[args.row : args.row + 1], target_values(data)[args.row : args.row + 1]
    note = (
        f"one training step on data row {args.row} (counted from 0) of {data.path} "
        f"(line {data.line(args.row)})"
    )
    return network, x, y, note, model_file.metadata.get("training") or {}


def _traced_optimizer(args: argparse.Namespace, training: dict) -> tuple[str, float, str]:
    """(optimizer, learning rate, what the note says): the ones asked for, else the ones
    the model was trained with (its file keeps their names, not their state)."""
    trained = training.get("optimizer")
    name = args.optimizer or (trained if trained in OPTIMIZERS else "sgd")
    rate = args.learning_rate
    if rate is None:
        rate = training.get("learning_rate") if name == trained else None
        rate = rate if isinstance(rate, int | float) and rate > 0 else 0.1
    if args.optimizer is None and trained in OPTIMIZERS:
        said = f"traced with {name} at learning rate {rate:g}, the optimizer it was trained with"
    else:
        said = f"traced with {name} at learning rate {rate:g}"
    if name != "sgd":
        said += "; its velocities and moments start at zero (the model file keeps no state)"
    return name, rate, said


def _check_trace_output(args: argparse.Namespace) -> None:
    """Refuse, before any work, rounding asked for twice and a notebook with nowhere to go."""
    if args.digits is not None and args.decimals is not None:
        raise UsageError(
            "give --digits (significant digits) or --decimals (decimal places), not both"
        )
    if (args.format == "ipynb") != bool(args.out):
        raise UsageError(
            "--format ipynb writes a notebook: give --out STEP.ipynb"
            if args.out is None
            else "--out goes with --format ipynb (the other formats print; redirect them)"
        )
    if args.out:
        if not args.out.endswith(".ipynb"):
            raise UsageError(f"--out {args.out}: a notebook's name ends in .ipynb")
        check_distinct({"the model file": args.model, "the data file": args.data},
                       {"--out": args.out})  # fmt: skip
        check_writable(args.out)


def run_trace(args: argparse.Namespace) -> int:
    """``glassnet trace``: every number of one gradient-descent step on one data row.

    Runs on a copy of the model; with ``--check NAME=VALUE`` it marks hand-worked values.
    ``--format ipynb --out STEP.ipynb`` writes the step as a notebook that recomputes it.

    Example:
        >>> from glassnet.cli.main import main
        >>> main(["trace", "iris.glassnet", "iris.csv", "--row", "3"])  # doctest: +SKIP
        0
    """
    _check_trace_output(args)
    network, x, y, note, training = _traced_network(args)
    if args.verbose:  # on standard error: the trace's own output stays as it is
        print(network.summary(), file=sys.stderr)
    optimizer, rate, said = _traced_optimizer(args, training)
    note += f"; {said}"
    trace = network.trace(x, y, learning_rate=rate, optimizer=optimizer)
    if not math.isfinite(trace.loss_before):  # shown, as every number is, but said too
        largest = float(np.max(np.abs(np.asarray(x, dtype=np.float64))))
        warnings.warn(
            f"the loss of row {args.row} is {trace.loss_before} before the step: the row's "
            f"inputs (as large as {largest:g}) overflow the network's arithmetic; the trace "
            "shows every number as it was computed",
            stacklevel=1,
        )
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
        print_json(result)
        return 0
    # Everything is rendered before anything is printed: a failure prints nothing.
    rounding = {"digits": args.digits, "decimals": args.decimals}
    if args.format == "ipynb":
        if args.digits is None and args.decimals is None:
            rounding["digits"] = 6  # the notebook's Markdown; its code keeps every digit
        book = notebook_json(trace, note=note, **rounding)
        write_text(args.out, lambda handle: handle.write(book))
        parts = [f"wrote {args.out}: {note}; open it in Jupyter and run all cells"]
    elif args.format == "markdown":
        parts = [f"*{note}*", trace.to_markdown(**rounding)]
    else:
        parts = [note, trace.to_text(**rounding)]
    if args.quiet:  # the step alone: no line saying which row and rule, nor what was written
        parts = parts[1:]
    if report is not None:
        parts.append(f"your values:\n{report}")
    if parts:
        print("\n\n".join(parts))
    return 0


def _architecture(model: Network | Perceptron) -> tuple[dict[str, Any], str]:
    """(the model's structure as JSON values, its summary as text)."""
    if isinstance(model, Network):
        return model.config(), model.summary()
    description = {
        "n_inputs": model.n_inputs,
        "activation": model.activation.name,
        "weights": model.weights.tolist(),
        "bias": model.bias,
        "threshold": model.threshold,
        "step_at_zero": model.step_at_zero,
        "rule": model.rule,
        "band": model.band,
        "arithmetic": model.arithmetic,
        "converged": model.converged,
        "message": model.message,
    }
    return description, repr(model)


def _metadata_lines(
    metadata: dict[str, Any], classes: np.ndarray | None, brief: bool = False
) -> list[str]:
    """The columns, classes, training settings and final metric values a model file keeps
    (``brief``: the metric values alone)."""
    lines: list[str] = []
    if brief:
        metadata = {"figures": metadata.get("figures")}
    if metadata.get("features") is not None:
        lines.append(f"features ({len(metadata['features'])}): {', '.join(metadata['features'])}")
    if metadata.get("target") is not None:
        lines.append(f"target: {metadata['target']}")
    if classes is not None:
        lines.append(f"classes: {', '.join(map(str, classes.tolist()))}")
    training = metadata.get("training")
    if isinstance(training, dict):
        given = [f"{key} {value}" for key, value in training.items() if value not in (None, "", [])]
        lines.append("trained with: " + ", ".join(given))
    metrics = metadata.get("figures")
    if isinstance(metrics, dict) and metrics:
        if all(isinstance(values, dict) for values in metrics.values()):
            lines.append(metrics_table(metrics))
        else:
            lines.append("figures: " + ", ".join(f"{k} {v}" for k, v in metrics.items()))
    return lines


def _describe(args: argparse.Namespace, model_file: ModelFile) -> dict[str, Any]:
    model = model_file.model
    classes = model_classes(model)
    return {
        "model": args.model,
        "kind": type(model).__name__,
        "format_version": model_file.format_version,
        "glassnet_version": model_file.glassnet_version,
        "classes": None if classes is None else classes.tolist(),
        "architecture": _architecture(model)[0],
        "metadata": model_file.metadata,
    }


def run_info(args: argparse.Namespace) -> int:
    """``glassnet info``: the layers, how the model was trained and its final metric values.

    Example:
        >>> from glassnet.cli.main import main
        >>> main(["info", "iris.glassnet", "--format", "json"])  # doctest: +SKIP
        0
    """
    model_file = read(args.model)
    if args.format == "json":
        print_json(_describe(args, model_file))
        return 0
    model = model_file.model
    lines = [
        f"{args.model}: a glassnet {type(model).__name__} (model format "
        f"{model_file.format_version}, written by glassnet {model_file.glassnet_version})",
        _architecture(model)[1],
        *_metadata_lines(model_file.metadata, model_classes(model), brief=args.quiet),
    ]
    if args.quiet:  # the layers and the figures
        lines = lines[1:]
    if args.verbose:
        notes = model_file.metadata.get("diagnostics")
        lines.append(_diagnostics_lines(notes))
    print("\n".join(lines))  # made whole first: a failure prints nothing
    return 0


def _diagnostics_lines(notes: Any) -> str:
    """The diagnostics of the model's training, as its file keeps them (``info --verbose``)."""
    if not isinstance(notes, list):
        return "diagnostics: none kept in the file"
    if not notes:
        return "diagnostics: nothing to report"
    return "diagnostics:\n" + "\n".join(f"  {note}" for note in notes)
