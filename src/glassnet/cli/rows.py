"""Reading a data file: its columns matched to a model's by name, what was read said.

``evaluate``, ``predict``, ``trace`` and ``plot`` read their rows here, so a file whose
columns come in another order, lack one of the model's features, hold an extra one or a
label the model never saw is refused in the same words by all four. Every command reads
its CSV files through ``read_csv``: with the ``--delimiter`` given, or the one found, and a
note on standard error saying what was read when the delimiter found is not a comma
(always with ``--verbose``, never with ``--quiet``).

Example:
    >>> from glassnet import Dense, Network
    >>> net = Network([Dense(2, 1, "identity")], loss="mse", seed=0)
    >>> by_blocks(net.predict, np.zeros((3, 2))).shape
    (3, 1)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

import numpy as np

from glassnet.cli.errors import CommandError, UsageError
from glassnet.datasets import CSVData, DataError, load_csv
from glassnet.engine.network import Network
from glassnet.engine.perceptron import Perceptron
from glassnet.modelfile import ModelFile

__all__ = [
    "by_blocks",
    "check_known_labels",
    "checked_loss",
    "checked_outputs",
    "chosen_row",
    "model_classes",
    "read_csv",
    "read_note",
    "read_rows",
    "target_values",
]


def chosen_row(row: int, data: CSVData) -> int:
    """``--row``, when the data has such a row, else a usage error saying how many it has.

    Example:
        >>> data = CSVData(np.zeros((1, 1)), np.array([0]), ["a"], "y", "data.csv")
        >>> chosen_row(0, data)
        0
        >>> chosen_row(1, data)
        Traceback (most recent call last):
        glassnet.cli.errors.UsageError: --row 1 is past the end: data.csv has 1 data row (row 0)
    """
    n = data.X.shape[0]
    if row < n:
        return row
    rows = "1 data row (row 0)" if n == 1 else f"{n} data rows (rows 0 to {n - 1})"
    raise UsageError(f"--row {row} is past the end: {data.path} has {rows}")


def target_values(data: CSVData) -> np.ndarray:
    """``data.y``, the target column of data read with one (the commands that call this
    asked for it: None here is a bug in glassnet, reported as one).

    Example:
        >>> data = CSVData(np.zeros((2, 1)), np.array([0, 1]), ["a"], "y", "data.csv")
        >>> target_values(data).tolist()
        [0, 1]
    """
    if data.y is None:
        raise ValueError(f"{data.path} was read without its target column")
    return data.y


def read_note(data: CSVData) -> str:
    """The line that says what was read: rows, columns and the delimiter.

    Example:
        >>> data = CSVData(np.zeros((120, 2)), None, ["a", "b"], "y", "data.csv",
        ...                ["a", "b", "y"], delimiter=";")
        >>> read_note(data)
        "read data.csv: 120 rows, 3 columns, delimiter ';'"
    """
    shown = "tab" if data.delimiter == "\t" else repr(data.delimiter)
    return (
        f"read {data.path}: {data.X.shape[0]} rows, {len(data.columns)} columns, delimiter {shown}"
    )


def read_csv(args: argparse.Namespace, path: str, **options: Any) -> CSVData:
    """``load_csv(path, **options)`` with ``args.delimiter`` (None: the one found), and
    ``read_note`` on standard error when a delimiter found is not a comma, or with
    ``args.verbose``; never with ``args.quiet``.

    Example:
        >>> data = read_csv(args, "data.csv", target="y")  # doctest: +SKIP
        glassnet: read data.csv: 120 rows, 3 columns, delimiter ';'
    """
    given = getattr(args, "delimiter", None)
    data = load_csv(path, delimiter=given, **options)
    found_other = given is None and data.delimiter != ","
    if not getattr(args, "quiet", False) and (found_other or getattr(args, "verbose", False)):
        print("glassnet: " + read_note(data), file=sys.stderr)
    return data


def _columns_for(model_file: ModelFile, args: argparse.Namespace) -> tuple[list | None, str | None]:
    """The feature names and target the model was trained with (or given on the command line)."""
    # glassnet.modelfile.read has checked both: a list of the model's column names, a name or None.
    metadata = model_file.metadata
    return metadata.get("features"), getattr(args, "target", None) or metadata.get("target")


def read_rows(args: argparse.Namespace, model_file: ModelFile, need_target: bool) -> CSVData:
    """The data file's (``args.data``) columns matched by name to the model's features.

    With ``need_target``, the target column too: the one ``--target`` names, else the one
    the model file names.

    Example:
        >>> data = read_rows(args, read("iris.glassnet"), need_target=True)  # doctest: +SKIP
    """
    model = model_file.model
    features, target = _columns_for(model_file, args)
    if need_target and target is None:
        raise UsageError(f"{args.model} does not name its target column; give --target COLUMN")
    if target is not None and features is not None and target in features:
        trained = model_file.metadata.get("target")
        raise UsageError(
            f"--target {target} is one of the model's features, {features[:10]}"
            + (f"; the model was trained to predict {trained!r}" if trained else "")
        )
    dtype = model.dtype if isinstance(model, Network) else np.float64
    named = features is not None
    classes = model_classes(model)
    # The file is read once (a pipe or standard input can be read only once). A model
    # saved without column names takes every column but the target, in order. A model of
    # text labels reads the target as text: "0" is its label '0', not the number 0.
    data = read_csv(
        args,
        args.data,
        target=target if need_target else None,
        dtype=dtype,
        features=features,
        ignore=[target] if target is not None and not named else (),
        target_text=classes is not None and classes.dtype.kind == "U",
    )
    if features is not None:
        known = {*features, target}  # a set: linear in the columns, however many
        extra = [name for name in data.columns if name not in known]
        if extra:
            raise DataError(
                f"{data.path}: column {extra[0]!r} is not one of the model's features "
                f"{features[:10]}" + ("" if target is None else f" or its target {target!r}")
            )
    n_inputs = model.n_inputs
    if data.X.shape[1] != n_inputs:
        raise DataError(
            f"{data.path}: {data.X.shape[1]} feature columns, but the model takes {n_inputs}"
            + ("" if named else " (it names no columns: every column but the target is used)")
        )
    return data


def check_known_labels(data: CSVData, classes: np.ndarray | None) -> None:
    """Refuse a target column the model cannot score: a label it never saw, text for values.

    ``classes`` is the model's labels, None for a model that predicts values.

    Example:
        >>> check_known_labels(read_rows(args, model_file, True), ["a", "b"])  # doctest: +SKIP
    """
    y = target_values(data)
    if classes is None:
        if y.dtype.kind == "U":
            raise DataError(
                f"{data.path}: column {data.target_name!r} holds text such as "
                f"{y[0].item()!r}; this model predicts numbers"
            )
        return
    unknown: np.ndarray
    if classes.dtype.kind == "U" and y.dtype.kind != "U":
        unknown = np.ones(len(y), dtype=np.bool_)
    elif y.dtype.kind == "U" and classes.dtype.kind != "U":
        # A column of numbers but for some cells (read_rows reads the target of a text
        # model as text): the first cell that is not one of the model's numbers is named.
        values, where = np.unique(y, return_inverse=True)
        unknown = ~np.array([_names_a_class(value, classes) for value in values.tolist()])[where]
    else:
        unknown = ~np.isin(y, classes)
    if np.any(unknown):
        row = int(np.argmax(unknown))
        raise DataError(
            f"{data.path}: row {data.line(row)}, column {data.target_name!r}: label "
            f"{y[row].item()!r} was not seen in training; the model knows "
            f"{classes.tolist()[:20]}"
        )


def _names_a_class(cell: str, classes: np.ndarray) -> bool:
    """Whether the text of a cell is one of the (numeric or boolean) class labels."""
    if cell in {str(label) for label in classes.tolist()}:
        return True
    try:
        return bool(np.isin(float(cell), classes))
    except ValueError:
        return False


def model_classes(model: Network | Perceptron) -> np.ndarray | None:
    """The class labels a model predicts, or None for a network that predicts values.

    Example:
        >>> from glassnet import Perceptron
        >>> perceptron = Perceptron(2, 0.1).fit([[0, 0], [1, 1]], [0, 1])
        >>> model_classes(perceptron).tolist()
        [0, 1]
    """
    return model.classes if isinstance(model, Network) else model.classes_


def by_blocks(function: Callable[[np.ndarray], np.ndarray], X: np.ndarray) -> np.ndarray:
    """``function`` of X, a block of rows at a time.

    A network keeps every layer's values from its last forward pass (for backward), so
    one pass over a large file would hold all of them at once; blocks bound that memory.
    (BLAS may round a row's last bit differently in a block than in one pass over all rows.)

    Example:
        >>> by_blocks(lambda rows: rows * 2, np.arange(3.0)).tolist()
        [0.0, 2.0, 4.0]
    """
    rows = 16384
    return np.concatenate([function(X[start : start + rows]) for start in range(0, len(X), rows)])


def checked_outputs(model: Network | Perceptron, data: CSVData, allow: bool = False) -> np.ndarray:
    """The model's outputs for the data rows (a perceptron's z); unless ``allow``, a
    CommandError naming the first row whose output is NaN or infinite.

    A model file can hold weights or settings that load but compute nothing finite (a
    scale of 1e-320, weights of 1e308): its predictions would be NaN rows, or labels chosen
    from NaN, printed with exit 0.

    Example:
        >>> checked_outputs(read("iris.glassnet").model, data)  # doctest: +SKIP
    """
    function = model.forward if isinstance(model, Network) else model.decision_function
    outputs = by_blocks(function, data.X)
    if allow:
        return outputs
    bad = ~np.isfinite(outputs.reshape(len(outputs), -1)).all(axis=1)
    if np.any(bad):
        row = int(np.argmax(bad))
        value = outputs[row].ravel()[~np.isfinite(outputs[row].ravel())][0]
        raise CommandError(
            f"{data.path}: row {data.line(row)}: the model's output is {value}, not a finite "
            f"number ({int(bad.sum())} of {len(bad)} rows): its weights or settings are broken "
            "or its inputs overflow them; --allow-nonfinite prints such rows anyway"
        )
    return outputs


def checked_loss(network: Network, data: CSVData, y: np.ndarray, loss: float) -> None:
    """A CommandError naming the first row whose loss is NaN or infinite, when ``loss``
    (the network's loss on every row of ``data``) is.

    Outputs can all be finite while the loss is not: an input of 1e308 sends the output
    neuron's z to infinity, its sigmoid to 1, and the cross-entropy, worked from z, to NaN.
    The row is found by halving the rows, a loss of a part at a time.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "sigmoid", weights=[[1e300]], bias=[0])],
        ...               loss="binary_crossentropy")
        >>> data = CSVData(np.array([[0.0], [1e300], [2.0]]), np.array([0, 1, 1]), ["x"], "y",
        ...                "data.csv", lines=np.array([2, 3, 4]))
        >>> checked_loss(net, data, data.y, net.evaluate(data.X, data.y)["loss"])
        Traceback (most recent call last):
        glassnet.cli.errors.CommandError: data.csv: row 3: the loss is nan there, ...
    """
    if np.isfinite(loss):
        return
    start, stop = 0, len(y)
    while stop - start > 1:  # the first half holds the first bad row, or the second does
        middle = (start + stop) // 2
        part = network.evaluate(data.X[start:middle], y[start:middle], metrics=[])["loss"]
        start, stop = (start, middle) if not np.isfinite(part) else (middle, stop)
    at = network.evaluate(data.X[start:stop], y[start:stop], metrics=[])["loss"]
    raise CommandError(
        f"{data.path}: row {data.line(start)}: the loss is {at} there, not a finite number, "
        "though the model's outputs are: the row's inputs or target are too large for the "
        "loss's arithmetic; --allow-nonfinite prints the figures anyway"
    )
