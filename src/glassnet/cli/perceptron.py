"""``glassnet perceptron``: the perceptron rule on a CSV file, epoch by epoch or row by row.

Runs Rosenblatt's (or Fausett's) rule through ``glassnet.engine.perceptron`` and prints its
epoch table, or with ``--rows`` the books' row-by-row table
(``glassnet.engine.perceptron_table``); ``--format json`` gives the same numbers, ``--out``
saves the perceptron as a model file. ``--quiet`` leaves the table and the verdict;
``--verbose`` adds the time it took.

Example:
    >>> from glassnet.cli.main import main
    >>> main(["perceptron", "or.csv", "--target", "y"])  # doctest: +SKIP
    0
"""

from __future__ import annotations

import argparse
import os
import time
from typing import Any

import numpy as np

from glassnet.cli.errors import UsageError
from glassnet.cli.files import check_distinct, check_writable
from glassnet.cli.output import print_json
from glassnet.cli.rows import read_csv, target_values
from glassnet.datasets import CSVData, DataError
from glassnet.engine.perceptron import Perceptron
from glassnet.engine.perceptron_table import rule_lines
from glassnet.modelfile import save
from glassnet.text import format_number, table

__all__ = ["run_perceptron"]


def _epoch_records(perceptron: Perceptron) -> list[dict[str, Any]]:
    return [
        {
            "epoch": record.epoch,
            "weights": record.weights.tolist(),
            "bias": record.bias,
            "errors": record.errors,
            "rmse": record.rmse,
        }
        for record in perceptron.epochs_
    ]


def _row_records(perceptron: Perceptron, X: np.ndarray) -> list[dict[str, Any]]:
    """Each row of each epoch as the books' tables show it (``--rows --format json``)."""
    rows = []
    for record in perceptron.epochs_:
        for position, sample in enumerate(record.order.tolist()):
            row = {
                "epoch": record.epoch, "sample": sample, "x": X[sample].tolist(),
                "target": None if record.targets is None else float(record.targets[position]),
                "weights": record.sample_weights[position].tolist(),
                "bias": None if record.sample_bias is None else float(record.sample_bias[position]),
                "z": float(record.z[position]), "output": float(record.predictions[position]),
                "error": float(record.sample_errors[position]),
                "corrections": record.corrections[position].tolist(),
                "bias_correction": None if record.bias_corrections is None else float(
                    record.bias_corrections[position]),
            }  # fmt: skip
            if record.weights_after is not None:  # online: the weights after the row
                row["weights_after"] = record.weights_after[position].tolist()
                row["bias_after"] = (None if record.bias_after is None
                                     else float(record.bias_after[position]))  # fmt: skip
            rows.append(row)
    return rows


def _save_perceptron(
    args: argparse.Namespace, data: CSVData, perceptron: Perceptron, epochs: list[dict[str, Any]]
) -> None:
    settings = {
        "data": os.path.basename(args.data),
        "rows": int(data.X.shape[0]),
        "learning_rate": args.learning_rate,
        "epochs": args.epochs,
        "mode": args.mode,
        "seed": args.seed,
        "epochs_run": len(epochs),
        "arithmetic": perceptron.arithmetic_,
    }
    metrics = {"errors": epochs[-1]["errors"], "rmse": epochs[-1]["rmse"]}
    metadata = {
        "features": data.feature_names,
        "target": data.target_name,
        "training": settings,
        "figures": metrics,
    }
    save(perceptron, args.out, metadata)


def _epoch_table(epochs: list[dict[str, Any]], digits: int = 4) -> str:
    """The perceptron's weights, bias, errors and RMSE after each epoch."""
    rows = [("epoch", "weights", "bias", "errors", "RMSE")] + [
        (
            str(epoch["epoch"]),
            format_number(np.array(epoch["weights"]), digits),
            "-" if epoch["bias"] is None else format_number(epoch["bias"], digits),
            str(epoch["errors"]),
            f"{epoch['rmse']:.4f}",
        )
        for epoch in epochs
    ]
    return table(rows, align="l")


def _build_perceptron(args: argparse.Namespace, n_features: int) -> Perceptron:
    """The perceptron the options describe; a bad combination is a usage error naming the
    option."""
    if args.no_bias and args.bias is not None:
        raise UsageError("--bias gives a starting bias, --no-bias takes the bias away: "
                         "choose one (see 'glassnet perceptron --help')")  # fmt: skip
    try:
        return Perceptron(
            n_features, args.learning_rate, weights=args.weights,
            bias=None if args.no_bias else (args.bias or 0.0), mode=args.mode, seed=args.seed,
            shuffle=args.shuffle, activation=args.activation, threshold=args.threshold,
            step_at_zero=args.step_at_zero, rule=args.rule, band=args.band,
            arithmetic=args.arithmetic,
        )  # fmt: skip
    except ValueError as error:
        text = str(error)
        for name in ("weights", "bias", "threshold", "band", "rule", "step_at_zero"):
            if text.startswith(name + " ") or text.startswith(name + "="):
                text = "--" + name.replace("_", "-") + text[len(name) :]
        raise UsageError(f"{text} (see 'glassnet perceptron --help')") from None


def run_perceptron(args: argparse.Namespace) -> int:
    """``glassnet perceptron``: the perceptron rule on a CSV file, epoch by epoch.

    Example:
        >>> from glassnet.cli.main import main
        >>> main(["perceptron", "or.csv", "--target", "y"])  # doctest: +SKIP
        0
    """
    check_distinct({"the data file": args.data}, {"--out": args.out})
    if args.out:
        check_writable(args.out)
    data = read_csv(args, args.data, target=args.target)
    perceptron = _build_perceptron(args, data.X.shape[1])
    started = time.perf_counter()
    try:
        perceptron.fit(data.X, target_values(data), max_epochs=args.epochs)
    except ValueError as error:
        raise DataError(f"{data.path}: column {data.target_name!r}: {error}") from None
    took = time.perf_counter() - started
    epochs = _epoch_records(perceptron)
    if args.out:
        _save_perceptron(args, data, perceptron, epochs)
    if args.format == "json":
        settings = {"rule": perceptron.rule, "activation": perceptron.activation.name,
                    "threshold": perceptron.threshold, "step_at_zero": perceptron.step_at_zero,
                    "band": perceptron.band, "arithmetic": perceptron.arithmetic_}  # fmt: skip
        result = {
            "features": data.feature_names,
            "classes": perceptron.classes_,
            "settings": settings,
            "converged": perceptron.converged,
            "message": perceptron.message,
            "evidence": perceptron.evidence,
            "epochs": epochs,
        }
        if args.rows:
            result["rows"] = _row_records(perceptron, data.X)
        print_json(result)
        return 0
    _print_perceptron(args, data, perceptron, epochs, took)
    return 0


def _print_perceptron(args: argparse.Namespace, data: CSVData, perceptron: Perceptron,
                      epochs: list[dict[str, Any]], took: float) -> None:  # fmt: skip
    """The perceptron's text output: with ``--quiet`` the table and the verdict alone."""
    if not args.quiet:
        classes = [] if perceptron.classes_ is None else perceptron.classes_.tolist()
        print(f"perceptron on {args.data}: features {data.feature_names[:10]}, "
              f"classes {classes}")  # fmt: skip
    if args.rows:  # the books' table: its header, a row per sample, the verdict
        lines, rules = perceptron.table().splitlines(), rule_lines(perceptron)
        if args.quiet and lines[: len(rules)] == rules:  # the rows and the verdict alone
            lines = lines[len(rules) :]
        print("\n".join(lines))
    else:
        if not args.quiet:
            print("\n".join(rule_lines(perceptron)))
        print(_epoch_table(epochs))
        print(perceptron.message)
        if perceptron.evidence:
            print(perceptron.evidence)
    if args.verbose:
        print(f"trained {len(epochs)} epochs in {took:.3g} s")
    if args.out and not args.quiet:
        print(f"saved {args.out}")
